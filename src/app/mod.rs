//! The application layer: the commands (`run`, `check`, `init`) as the command line gives
//! them. Each input goes read -> analyse -> render through the library's layers; this layer
//! expands inputs, runs them in parallel, writes outputs safely, prints messages in a
//! stable order and decides the exit code.

mod check;
mod init;
mod inputs;
mod options;
pub mod output;
mod run;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::analysis::Analysis;
use crate::cli::{Cli, Command};
use crate::exit::{ExitStatus, UsageError};
use crate::findings::{Finding, Problem, Severity};
use crate::input::names::NameTable;
use crate::model::Lang;

use options::Options;

/// Run `kpi-report` as the command line says; returns the exit status.
pub fn main_with(cli: Cli, today: NaiveDate) -> Result<ExitStatus, UsageError> {
    match cli.command {
        Command::Run(args) => run::run(&args, today),
        Command::Check(args) => check::check(&args, today),
        Command::Init(args) => init::init(&args, today),
    }
}

/// What happened to one input: its findings, the lines to print, its exit status and the
/// files written.
#[derive(Debug, Clone)]
struct InputOutcome {
    /// The input as named in messages.
    file: String,
    lang: Lang,
    findings: Vec<Finding>,
    /// Lines besides the findings (files written, why nothing was written).
    notes: Vec<String>,
    status: ExitStatus,
    written: Vec<PathBuf>,
}

impl InputOutcome {
    /// An input that could not be used at all: its findings, exit 2.
    fn failed(file: String, lang: Lang, findings: Vec<Finding>) -> InputOutcome {
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
    fn missing(path: &Path, why: &str, lang: Lang) -> InputOutcome {
        let finding = Finding::file(Problem::InputPath {
            detail: why.to_string(),
        });
        InputOutcome::failed(display_name(path), lang, vec![finding])
    }

    /// The finding lines that `options` shows, then the notes.
    fn lines(&self, options: &Options, all: bool) -> Vec<String> {
        self.findings
            .iter()
            .filter(|f| all || shown(f, options))
            .map(|f| f.line(&self.file, self.lang))
            .chain(self.notes.iter().cloned())
            .collect()
    }
}

/// The analysis of one input, in its report language.
struct Analysed {
    analysis: Analysis,
    lang: Lang,
}

/// read -> analyse for one file; `Err` holds the findings of an unusable file.
fn analyse_input(
    path: &Path,
    options: &Options,
    names: &NameTable,
) -> Result<Analysed, (Lang, Vec<Finding>)> {
    let fallback_lang = options.lang.unwrap_or_default();
    let analysed = crate::analyse_file(path, &options.settings, names, options.as_of)
        .map_err(|findings| (fallback_lang, findings))?;
    Ok(Analysed {
        lang: options.lang.unwrap_or(analysed.header_lang),
        analysis: analysed.analysis,
    })
}

fn display_name(path: &Path) -> String {
    path.display().to_string()
}

/// Which findings a run prints: errors always, warnings unless quiet, info when verbose.
fn shown(finding: &Finding, options: &Options) -> bool {
    match finding.severity() {
        Severity::Error => true,
        Severity::Warning => !options.quiet,
        Severity::Info => options.verbose,
    }
}

/// The status of an analysed input from its findings.
fn status_of(findings: &[Finding], options: &Options) -> ExitStatus {
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
fn worst(outcomes: &[InputOutcome]) -> ExitStatus {
    outcomes
        .iter()
        .map(|o| o.status)
        .max()
        .unwrap_or(ExitStatus::Success)
}

fn progress_bar(count: usize, options: &Options) -> Option<indicatif::ProgressBar> {
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
fn ignore_broken_pipe(result: std::io::Result<()>) {
    if let Err(e) = result {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: {e}");
        }
    }
}
