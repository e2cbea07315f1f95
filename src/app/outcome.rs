//! What happens to one input, shared by `run` and `check`: read -> analyse through the
//! library, the findings it prints, and the exit status it contributes.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::analysis::Analysis;
use crate::exit::ExitStatus;
use crate::findings::{Finding, Problem, Severity};
use crate::input::names::NameTable;
use crate::model::Lang;

use super::options::Options;

/// What happened to one input: its findings, the lines to print, its exit status and the
/// files written.
#[derive(Debug, Clone)]
pub(crate) struct InputOutcome {
    /// The input as named in messages.
    pub(crate) file: String,
    pub(crate) lang: Lang,
    pub(crate) findings: Vec<Finding>,
    /// Lines besides the findings (files written, why nothing was written).
    pub(crate) notes: Vec<String>,
    pub(crate) status: ExitStatus,
    pub(crate) written: Vec<PathBuf>,
}

impl InputOutcome {
    /// An input that could not be used at all: its findings, exit 2.
    pub(crate) fn failed(file: String, lang: Lang, findings: Vec<Finding>) -> InputOutcome {
        InputOutcome {
            file,
            lang,
            findings,
            notes: Vec::new(),
            status: ExitStatus::Invalid,
            written: Vec::new(),
        }
    }

    /// A path that names no readable file: E07 naming it.
    pub(crate) fn missing(path: &Path, why: &str, lang: Lang) -> InputOutcome {
        let finding = Finding::file(Problem::InputPath {
            detail: why.to_string(),
        });
        InputOutcome::failed(display_name(path), lang, vec![finding])
    }

    /// The finding lines that `options` shows, then the notes.
    pub(crate) fn lines(&self, options: &Options, all: bool) -> Vec<String> {
        self.findings
            .iter()
            .filter(|f| all || shown(f, options))
            .map(|f| f.line(&self.file, self.lang))
            .chain(self.notes.iter().cloned())
            .collect()
    }
}

/// The analysis of one input, in its report language.
pub(crate) struct Analysed {
    pub(crate) analysis: Analysis,
    pub(crate) lang: Lang,
    /// The workbook's Recipients sheet, for per-owner reports.
    pub(crate) recipients: Vec<crate::input::recipients::RecipientRow>,
    pub(crate) recipients_note: Option<String>,
}

/// What reading one input gave: the file's contents, or the findings of an unusable file.
pub(crate) type ReadInput = Result<crate::input::ReadOutcome, Vec<Finding>>;

/// Read one input (the sources not joined yet).
pub(crate) fn read_input(path: &Path, options: &Options, names: &NameTable) -> ReadInput {
    crate::input::read_path(path, &options.settings, names, options.as_of)
}

/// read -> analyse for one file; `Err` holds the findings of an unusable file.
pub(crate) fn analyse_input(
    path: &Path,
    options: &Options,
    names: &NameTable,
) -> Result<Analysed, (Lang, Vec<Finding>)> {
    analyse_read(read_input(path, options, names), options)
}

/// Join the run's sources to an input already read, and analyse it.
pub(crate) fn analyse_read(
    read: ReadInput,
    options: &Options,
) -> Result<Analysed, (Lang, Vec<Finding>)> {
    let fallback_lang = options.lang.unwrap_or_default();
    let read = read.map_err(|findings| (fallback_lang, findings))?;
    let analysed = crate::analyse_read(read, &options.settings, options.as_of, &options.sources);
    Ok(Analysed {
        lang: options.lang.unwrap_or(analysed.header_lang),
        analysis: analysed.analysis,
        recipients: analysed.recipients,
        recipients_note: analysed.recipients_note,
    })
}

/// The input as named in messages: on one line, whatever its name holds.
pub(crate) fn display_name(path: &Path) -> String {
    crate::text::escape_controls(&path.display().to_string())
}

/// Which findings a run prints: errors always, warnings unless quiet, info when verbose.
pub(crate) fn shown(finding: &Finding, options: &Options) -> bool {
    match finding.severity() {
        Severity::Error => true,
        Severity::Warning => !options.quiet,
        Severity::Info => options.verbose,
    }
}

/// The status of an analysed input from its findings.
pub(crate) fn status_of(findings: &[Finding], options: &Options) -> ExitStatus {
    let has_errors = findings.iter().any(|f| f.severity() == Severity::Error);
    if has_errors && !options.keep_going {
        ExitStatus::Invalid
    } else if findings
        .iter()
        .any(|f| f.severity().at_least(options.fail_on))
    {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    }
}

/// The worst status of a run (2 over 1 over 0).
pub(crate) fn worst(outcomes: &[InputOutcome]) -> ExitStatus {
    outcomes
        .iter()
        .map(|o| o.status)
        .max()
        .unwrap_or(ExitStatus::Success)
}

pub(crate) fn progress_bar(count: usize, options: &Options) -> Option<indicatif::ProgressBar> {
    if count < 2 || options.quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(count as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}") {
        bar.set_style(style);
    }
    Some(bar)
}

/// A closed pipe (`kpi-report check | head`) is not an error.
pub(crate) fn ignore_broken_pipe(result: std::io::Result<()>) {
    if let Err(e) = result {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: {e}");
        }
    }
}
