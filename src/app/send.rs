//! Delivery over SMTP: `kpi-report send DIR` and the end of `run --send`. Prints what was
//! sent (or with `--dry-run` what would be), one line per recipient that could not be
//! reached, and gives exit 3 when there was one.

use std::io::Write;
use std::path::PathBuf;

use crate::cli::SendArgs;
use crate::config::Settings;
use crate::delivery::{self, smtp, RetryPolicy, SentLog, SmtpRelay};
use crate::exit::{ExitStatus, UsageError};
use crate::model::Lang;

use super::options::lang_of;

/// `kpi-report send DIR`.
pub(crate) fn send_folder(args: &SendArgs) -> Result<ExitStatus, UsageError> {
    let settings = Settings::load(args.config.as_deref())
        .map_err(|e| UsageError(e.message(args.lang.map(lang_of))))?;
    let lang = args.lang.map(lang_of).or(settings.lang).unwrap_or_default();
    check_setup(&settings, args.dry_run)?;
    let files = delivery::messages_in(&args.dir).map_err(UsageError)?;
    if files.is_empty() {
        return Err(UsageError(format!(
            "no .eml file in {}; write them with `kpi-report run --eml --out {}`",
            args.dir.display(),
            args.dir.display()
        )));
    }
    deliver(&files, &settings, args.dry_run, lang, args.quiet)
}

/// What `--send` needs before any report is written: a server, a readable `ca_file`, and
/// the password's environment variable when a username is set (not for a dry run, which
/// connects to nothing).
pub(crate) fn check_setup(settings: &Settings, dry_run: bool) -> Result<(), UsageError> {
    let password = if dry_run {
        None
    } else {
        smtp::password(&settings.smtp).map_err(UsageError)?
    };
    SmtpRelay::new(&settings.smtp, password)
        .map(drop)
        .map_err(UsageError)
}

/// Send (or with `dry_run` list) the messages of `files`.
pub(crate) fn deliver(
    files: &[PathBuf],
    settings: &Settings,
    dry_run: bool,
    lang: Lang,
    quiet: bool,
) -> Result<ExitStatus, UsageError> {
    let (messages, mut failures, warnings) = delivery::read_messages(files, lang);
    let mut stderr = std::io::stderr().lock();
    if !quiet {
        for warning in &warnings {
            let _ = writeln!(stderr, "{warning}");
        }
    }
    let report = if dry_run {
        let report =
            delivery::dry_run(&messages, &settings.smtp.sent_log, lang).map_err(UsageError)?;
        let mut stdout = std::io::stdout().lock();
        for line in &report.lines {
            let _ = writeln!(stdout, "{line}");
        }
        report
    } else {
        let password = smtp::password(&settings.smtp).map_err(UsageError)?;
        let relay = SmtpRelay::new(&settings.smtp, password).map_err(UsageError)?;
        let mut log = SentLog::open(&settings.smtp.sent_log).map_err(UsageError)?;
        let report = delivery::send(
            &messages,
            &relay,
            &mut log,
            RetryPolicy::of(&settings.smtp),
            &std::thread::sleep,
            lang,
        );
        if !quiet {
            for line in &report.lines {
                let _ = writeln!(stderr, "{line}");
            }
        }
        report
    };
    failures.extend(report.failures.iter().cloned());
    for failure in &failures {
        let _ = writeln!(stderr, "{}", failure.line(lang));
    }
    if !quiet {
        let mut summary = delivery::summary(&report, dry_run, lang);
        if report.failures.len() != failures.len() {
            summary.push_str(&match lang {
                Lang::En => format!(
                    ", {} messages unusable",
                    failures.len() - report.failures.len()
                ),
                Lang::Ja => format!(
                    "、送信できないメッセージ {}件",
                    failures.len() - report.failures.len()
                ),
            });
        }
        let _ = writeln!(stderr, "{summary}");
    }
    Ok(if failures.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Undelivered
    })
}
