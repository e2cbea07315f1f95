//! `kpi-report check`: read and analyse every input, print every finding (as lines or one
//! JSON document), write nothing, exit like `run`.

use std::io::Write;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::cli::CheckArgs;
use crate::exit::{ExitStatus, UsageError};
use crate::input::names::NameTable;
use crate::report::json;

use super::inputs::{expand_inputs, InputPath};
use super::options::Options;
use super::outcome::{
    analyse_input, display_name, ignore_broken_pipe, status_of, worst, InputOutcome,
};

pub(crate) fn check(args: &CheckArgs, today: NaiveDate) -> Result<ExitStatus, UsageError> {
    let mut options = Options::from_common(&args.common, today)?;
    let names = NameTable::new(&options.settings);
    options.sources = super::sources::read_sources(&options, &names);
    let inputs = expand_inputs(&options.inputs);
    let outcomes: Vec<InputOutcome> = inputs
        .par_iter()
        .map(|input| check_one(input, &options, &names))
        .collect();
    let mut stdout = std::io::stdout().lock();
    let result = if args.json {
        let checks: Vec<json::FileFinding> = outcomes
            .iter()
            .flat_map(|o| {
                o.findings.iter().map(|finding| json::FileFinding {
                    file: &o.file,
                    lang: o.lang,
                    finding,
                })
            })
            .collect();
        writeln!(stdout, "{}", json::check_document(options.as_of, &checks))
    } else {
        outcomes
            .iter()
            .flat_map(|o| o.lines(&options, true))
            .try_for_each(|line| writeln!(stdout, "{line}"))
    };
    ignore_broken_pipe(result);
    Ok(worst(&outcomes))
}

fn check_one(input: &InputPath, options: &Options, names: &NameTable) -> InputOutcome {
    let lang = options.lang.unwrap_or_default();
    let path = match input {
        InputPath::Missing(path, why) => return InputOutcome::missing(path, why, lang),
        InputPath::File(path) => path,
    };
    let file = display_name(path);
    match analyse_input(path, options, names) {
        Ok(a) => {
            let status = status_of(&a.analysis.findings, options);
            InputOutcome {
                file,
                lang: a.lang,
                findings: a.analysis.findings,
                notes: Vec::new(),
                status,
                written: Vec::new(),
            }
        }
        Err((lang, findings)) => InputOutcome::failed(file, lang, findings),
    }
}
