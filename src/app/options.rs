//! The command line's common options validated into the settings a run trusts: the config
//! loaded, the as-of date parsed, the language and severity chosen.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::cli::{CommonArgs, FailOn, LangArg};
use crate::config::Settings;
use crate::dates;
use crate::exit::UsageError;
use crate::findings::Severity;
use crate::model::Lang;

/// The validated options of `run` and `check`.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub inputs: Vec<PathBuf>,
    pub as_of: NaiveDate,
    pub settings: Settings,
    pub lang: Option<Lang>,
    pub fail_on: Severity,
    pub keep_going: bool,
    pub quiet: bool,
    pub verbose: bool,
    /// `--actuals` as given.
    pub actuals: Vec<PathBuf>,
    /// `--plan` as given.
    pub plan: Vec<PathBuf>,
    /// The sources' files, read once for every input (`--actuals`, then `[[sources]]`).
    pub sources: Vec<crate::input::source::SourceTable>,
}

impl Options {
    pub fn from_common(common: &CommonArgs, today: NaiveDate) -> Result<Options, UsageError> {
        let flag = common.lang.map(lang_of);
        let settings =
            Settings::load(common.config.as_deref()).map_err(|e| UsageError(e.message(flag)))?;
        let as_of = parse_as_of(&common.as_of, today)?;
        let lang = flag.or(settings.lang);
        let inputs = if common.inputs.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            common.inputs.clone()
        };
        Ok(Options {
            inputs,
            as_of,
            settings,
            lang,
            fail_on: match common.fail_on {
                FailOn::Error => Severity::Error,
                FailOn::Warning => Severity::Warning,
            },
            keep_going: common.keep_going,
            quiet: common.quiet,
            verbose: common.verbose,
            actuals: common.actuals.clone(),
            plan: common.plan.clone(),
            sources: Vec::new(),
        })
    }
}

pub(crate) fn lang_of(arg: LangArg) -> Lang {
    match arg {
        LangArg::En => Lang::En,
        LangArg::Ja => Lang::Ja,
    }
}

/// `today`, `prev-month-end`, or a date.
pub(crate) fn parse_as_of(text: &str, today: NaiveDate) -> Result<NaiveDate, UsageError> {
    match text.trim() {
        "today" => Ok(today),
        "prev-month-end" => Ok(dates::previous_month_end(today)),
        other => crate::input::value::parse_date(other).ok_or_else(|| {
            UsageError(format!(
                "--as-of \"{other}\" is not a date; use YYYY-MM-DD, today or prev-month-end"
            ))
        }),
    }
}

#[cfg(test)]
mod tests;
