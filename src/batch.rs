//! Many inputs in one run: expanding folders, processing inputs in parallel, writing each
//! input's outputs atomically, printing messages in a stable order, and the exit code.

use std::collections::HashMap;
use std::fmt;
use std::fs::File;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::analysis::{dates, Analysis};
use crate::cli::{CheckArgs, Cli, Command, CommonArgs, FailOn, LangArg, RunArgs};
use crate::config::Settings;
use crate::findings::{Finding, Severity};
use crate::input::names::NameTable;
use crate::model::Lang;
use crate::report::{self, ReportContext};

/// The documented exit codes (SPEC section 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    /// Reports written, no finding at or above `--fail-on`.
    Success = 0,
    /// Reports written, but findings at or above `--fail-on` (or `--keep-going` dropped rows).
    Findings = 1,
    /// Usage error, or an input unreadable or invalid (nothing written for it).
    Invalid = 2,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// A usage error: bad flags, config or as-of date. Exit 2 before any input is read.
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// File name extensions read from a folder.
pub const WORKBOOK_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xls", "xlsb", "ods"];

/// The validated options of `run` and `check`.
#[derive(Debug, Clone)]
pub struct Options {
    pub inputs: Vec<PathBuf>,
    pub as_of: NaiveDate,
    pub settings: Settings,
    pub lang: Option<Lang>,
    pub fail_on: Severity,
    pub keep_going: bool,
    pub quiet: bool,
    pub verbose: bool,
}

impl Options {
    pub fn from_common(common: &CommonArgs, today: NaiveDate) -> Result<Options, UsageError> {
        let settings =
            Settings::load(common.config.as_deref()).map_err(|e| UsageError(e.to_string()))?;
        let as_of = parse_as_of(&common.as_of, today)?;
        let lang = common
            .lang
            .map(|l| match l {
                LangArg::En => Lang::En,
                LangArg::Ja => Lang::Ja,
            })
            .or(settings.lang);
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
        })
    }
}

/// `today`, `prev-month-end`, or a date.
pub fn parse_as_of(text: &str, today: NaiveDate) -> Result<NaiveDate, UsageError> {
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

/// One input as given or found in a folder, or a path that could not be listed.
#[derive(Debug, Clone)]
pub enum InputPath {
    File(PathBuf),
    Missing(PathBuf, String),
}

/// Expand folders into their workbooks (sorted by name, lock files `~$x.xlsx` skipped).
pub fn expand_inputs(paths: &[PathBuf]) -> Vec<InputPath> {
    let mut result = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = match std::fs::read_dir(path) {
                Ok(entries) => entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file() && is_workbook_name(p))
                    .collect(),
                Err(e) => {
                    result.push(InputPath::Missing(path.clone(), e.to_string()));
                    continue;
                }
            };
            found.sort();
            result.extend(found.into_iter().map(InputPath::File));
        } else if path.exists() {
            result.push(InputPath::File(path.clone()));
        } else {
            result.push(InputPath::Missing(
                path.clone(),
                "no such file or folder".to_string(),
            ));
        }
    }
    result
}

fn is_workbook_name(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with("~$") || name.starts_with(".~lock") {
        return false;
    }
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| WORKBOOK_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// What happened to one input: the lines to print and its exit status.
#[derive(Debug, Clone)]
pub struct InputOutcome {
    pub lines: Vec<String>,
    pub status: ExitStatus,
    pub written: Vec<PathBuf>,
    /// The findings (for `check --json`).
    pub findings: Vec<(String, Lang, Finding)>,
}

/// The analysis of one input, or why there is none.
pub struct Analysed {
    pub analysis: Analysis,
    pub lang: Lang,
}

/// read -> analyse for one file; `Err` holds the findings of an unusable file.
pub fn analyse_input(
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

/// Output file stem for an input: the config pattern with `{stem}`, `{as_of}`, `{period}`.
pub fn output_stem(pattern: &str, input: &Path, as_of: NaiveDate) -> String {
    let stem = input
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("report");
    let name = pattern
        .replace("{stem}", stem)
        .replace("{as_of}", &as_of.format("%Y-%m-%d").to_string())
        .replace("{period}", &as_of.format("%Y-%m").to_string());
    // Names from the data never become paths.
    name.chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | '\0') {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// Run `kpi-report` as the command line says; returns the exit status.
pub fn main_with(cli: Cli, today: NaiveDate) -> Result<ExitStatus, UsageError> {
    match cli.command {
        Command::Run(args) => run(&args, today),
        Command::Check(args) => check(&args, today),
        Command::Init(args) => crate::report::init::init(&args, today),
    }
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

/// `kpi-report check`: print every finding; write nothing.
pub fn check(args: &CheckArgs, today: NaiveDate) -> Result<ExitStatus, UsageError> {
    let options = Options::from_common(&args.common, today)?;
    let names = NameTable::new(&options.settings);
    let inputs = expand_inputs(&options.inputs);
    let outcomes: Vec<InputOutcome> = inputs
        .par_iter()
        .map(|input| check_one(input, &options, &names))
        .collect();
    let mut stdout = std::io::stdout().lock();
    let worst = outcomes
        .iter()
        .map(|o| o.status)
        .max()
        .unwrap_or(ExitStatus::Success);
    let result = if args.json {
        let items: Vec<serde_json::Value> = outcomes
            .iter()
            .flat_map(|o| &o.findings)
            .map(|(file, lang, f)| {
                serde_json::json!({
                    "file": file,
                    "code": f.code().as_str(),
                    "severity": f.severity().as_str(),
                    "id": f.id,
                    "message": f.message(*lang),
                    "location": f.location.as_ref().map(|l| l.reference()),
                })
            })
            .collect();
        let text = serde_json::to_string_pretty(&serde_json::json!({
            "schema": "kpi-report/1",
            "as_of": options.as_of.to_string(),
            "checks": items,
        }))
        .unwrap_or_default();
        writeln!(stdout, "{text}")
    } else {
        outcomes
            .iter()
            .flat_map(|o| &o.lines)
            .try_for_each(|line| writeln!(stdout, "{line}"))
    };
    ignore_broken_pipe(result);
    Ok(worst)
}

fn check_one(input: &InputPath, options: &Options, names: &NameTable) -> InputOutcome {
    let (path, file) = match input {
        InputPath::Missing(path, why) => {
            return missing_input(path, why);
        }
        InputPath::File(path) => (path, display_name(path)),
    };
    let (lang, findings, status) = match analyse_input(path, options, names) {
        Ok(a) => {
            let status = status_of(&a.analysis.findings, options);
            (a.lang, a.analysis.findings, status)
        }
        Err((lang, findings)) => (lang, findings, ExitStatus::Invalid),
    };
    InputOutcome {
        lines: findings.iter().map(|f| f.line(&file, lang)).collect(),
        status,
        written: Vec::new(),
        findings: findings
            .into_iter()
            .map(|f| (file.clone(), lang, f))
            .collect(),
    }
}

fn missing_input(path: &Path, why: &str) -> InputOutcome {
    InputOutcome {
        lines: vec![format!("{}: error E07: {why}", display_name(path))],
        status: ExitStatus::Invalid,
        written: Vec::new(),
        findings: Vec::new(),
    }
}

/// `kpi-report run`: analyse every input and write its reports.
pub fn run(args: &RunArgs, today: NaiveDate) -> Result<ExitStatus, UsageError> {
    let options = Options::from_common(&args.common, today)?;
    let outputs = report::OutputOptions::from_args(args)?;
    let names = NameTable::new(&options.settings);
    let inputs = expand_inputs(&options.inputs);

    std::fs::create_dir_all(&args.out).map_err(|e| {
        UsageError(format!(
            "cannot create the output folder {}: {e}",
            args.out.display()
        ))
    })?;
    let _lock = lock_output_folder(&args.out)?;
    if outputs.eml && !options.quiet {
        if let Some(warning) = report::eml::recipients_warning(&options.settings.email) {
            eprintln!("{warning}");
        }
    }

    // Two inputs that would write the same report names: the later one is refused.
    let mut stems: HashMap<String, PathBuf> = HashMap::new();
    let mut collisions: HashMap<usize, String> = HashMap::new();
    for (i, input) in inputs.iter().enumerate() {
        if let InputPath::File(path) = input {
            let stem = output_stem(&options.settings.output_name, path, options.as_of);
            if let Some(first) = stems.get(&stem) {
                collisions.insert(
                    i,
                    format!(
                        "{}: error E07: its reports would overwrite those of {} (same name {stem}); rename one or set output_name",
                        display_name(path),
                        display_name(first)
                    ),
                );
            } else {
                stems.insert(stem, path.clone());
            }
        }
    }

    let bar = progress_bar(inputs.len(), &options);
    let outcomes: Vec<InputOutcome> = inputs
        .par_iter()
        .enumerate()
        .map(|(i, input)| {
            let outcome = match (collisions.get(&i), input) {
                (Some(message), _) => InputOutcome {
                    lines: vec![message.clone()],
                    status: ExitStatus::Invalid,
                    written: Vec::new(),
                    findings: Vec::new(),
                },
                (None, InputPath::Missing(path, why)) => missing_input(path, why),
                (None, InputPath::File(path)) => {
                    run_one(path, &options, &names, &args.out, &outputs)
                }
            };
            if let Some(bar) = &bar {
                bar.inc(1);
            }
            outcome
        })
        .collect();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }

    let mut stderr = std::io::stderr().lock();
    for outcome in &outcomes {
        for line in &outcome.lines {
            let _ = writeln!(stderr, "{line}");
        }
    }
    let written = outcomes.iter().filter(|o| !o.written.is_empty()).count();
    let failed = outcomes
        .iter()
        .filter(|o| o.status == ExitStatus::Invalid)
        .count();
    if !options.quiet {
        let _ = writeln!(stderr, "{}", closing_line(written, failed, &args.out));
    }
    Ok(outcomes
        .iter()
        .map(|o| o.status)
        .max()
        .unwrap_or(ExitStatus::Success))
}

fn closing_line(written: usize, failed: usize, out: &Path) -> String {
    let reports = if written == 1 { "report" } else { "reports" };
    let mut line = format!("{written} {reports} written to {}", out.display());
    if failed > 0 {
        let inputs = if failed == 1 { "input" } else { "inputs" };
        line.push_str(&format!(", {failed} {inputs} failed (see above)"));
    }
    line
}

fn run_one(
    path: &Path,
    options: &Options,
    names: &NameTable,
    out: &Path,
    outputs: &report::OutputOptions,
) -> InputOutcome {
    let file = display_name(path);
    let analysed = match analyse_input(path, options, names) {
        Ok(a) => a,
        Err((lang, findings)) => {
            return InputOutcome {
                lines: findings.iter().map(|f| f.line(&file, lang)).collect(),
                status: ExitStatus::Invalid,
                written: Vec::new(),
                findings: Vec::new(),
            }
        }
    };
    let lang = analysed.lang;
    let findings = &analysed.analysis.findings;
    let mut lines: Vec<String> = findings
        .iter()
        .filter(|f| shown(f, options))
        .map(|f| f.line(&file, lang))
        .collect();
    let status = status_of(findings, options);
    if status == ExitStatus::Invalid {
        lines.push(format!(
            "{file}: not written: fix the errors above, or use --keep-going to skip the invalid rows"
        ));
        return InputOutcome {
            lines,
            status,
            written: Vec::new(),
            findings: Vec::new(),
        };
    }
    let source = path.file_name().and_then(|n| n.to_str()).unwrap_or("input");
    let ctx = ReportContext {
        source,
        lang,
        analysis: &analysed.analysis,
        settings: &options.settings,
    };
    let stem = output_stem(&options.settings.output_name, path, options.as_of);
    let rendered = report::render_all(&ctx, &stem, outputs, &|name: &str| {
        Staged::create(out, name)
    })
    .and_then(|files| commit(files).map_err(report::OutputError::Write));
    // Freeing a large analysis takes tens of milliseconds: it is done off the critical
    // path (a run of one input exits without waiting for it).
    rayon::spawn(move || drop(analysed));
    match rendered {
        Ok(written) => {
            if options.verbose {
                lines.extend(written.iter().map(|p| format!("wrote {}", p.display())));
            }
            InputOutcome {
                lines,
                status,
                written,
                findings: Vec::new(),
            }
        }
        Err(e) => {
            lines.push(match e {
                report::OutputError::Render(e) => {
                    format!("{file}: error: cannot render the reports: {e}")
                }
                report::OutputError::Write(e) => format!(
                    "{file}: error: cannot write the reports to {}: {e} (previous reports left as they were)",
                    out.display()
                ),
            });
            InputOutcome {
                lines,
                status: ExitStatus::Invalid,
                written: Vec::new(),
                findings: Vec::new(),
            }
        }
    }
}

/// One output being written: a temporary file in the output folder, renamed into place by
/// [`commit`] once every output of the input is complete, so a failure leaves the previous
/// reports untouched and no partial file behind (the temporary file is removed on drop).
pub struct Staged {
    file: std::io::BufWriter<tempfile::NamedTempFile>,
    target: PathBuf,
}

impl Staged {
    /// A temporary file in `dir` for the output `name`.
    pub fn create(dir: &Path, name: &str) -> std::io::Result<Staged> {
        let mut builder = tempfile::Builder::new();
        builder.prefix(".kpi-report-").suffix(".tmp");
        // Reports are for sharing: readable by others like any file the user saves
        // (a temp file would otherwise keep its private 0600).
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
        Ok(Staged {
            file: std::io::BufWriter::with_capacity(256 * 1024, builder.tempfile_in(dir)?),
            target: dir.join(name),
        })
    }
}

impl Write for Staged {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.file.write_all(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// Make every staged output durable (in parallel: each waits for the disk), then rename
/// each into place.
pub fn commit(files: Vec<Staged>) -> std::io::Result<Vec<PathBuf>> {
    let synced: Vec<(tempfile::NamedTempFile, PathBuf)> = files
        .into_par_iter()
        .map(|staged| {
            let temp = staged.file.into_inner().map_err(|e| e.into_error())?;
            temp.as_file().sync_all()?;
            Ok((temp, staged.target))
        })
        .collect::<std::io::Result<_>>()?;
    let mut written = Vec::with_capacity(synced.len());
    for (temp, target) in synced {
        temp.persist(&target).map_err(|e| e.error)?;
        written.push(target);
    }
    Ok(written)
}

/// Write every file to a temporary file in `dir` first, then rename each into place, so a
/// failure leaves the previous reports untouched and no partial file behind.
pub fn write_atomically(dir: &Path, files: &[(String, Vec<u8>)]) -> std::io::Result<Vec<PathBuf>> {
    let mut staged = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let mut file = Staged::create(dir, name)?;
        file.write_all(bytes)?;
        staged.push(file);
    }
    commit(staged)
}

/// An exclusive lock on the output folder for the length of the run, so two runs into the
/// same folder do not interleave their writes.
fn lock_output_folder(dir: &Path) -> Result<File, UsageError> {
    let path = dir.join(".kpi-report.lock");
    let file = File::create(&path).map_err(|e| {
        UsageError(format!(
            "cannot write to the output folder {}: {e}",
            dir.display()
        ))
    })?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(UsageError(format!(
            "another kpi-report run is writing to {}; try again when it has finished",
            dir.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(UsageError(format!(
            "cannot lock the output folder {}: {e}",
            dir.display()
        ))),
    }
}

/// A closed pipe (`kpi-report check | head`) is not an error.
fn ignore_broken_pipe(result: std::io::Result<()>) {
    if let Err(e) = result {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: {e}");
        }
    }
}

#[cfg(test)]
mod tests;
