//! Delivery (SPEC section 10): the per-owner part of a report ([`burst`]) and sending the
//! .eml files over SMTP ([`smtp`]), each accepted delivery recorded in the [`sent_log`] so
//! that a re-run never sends the same message to the same recipient twice. Between the
//! report layer (which renders the messages) and the app layer (which runs the commands).

pub mod burst;
pub mod message;
pub mod sent_log;
pub mod smtp;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::model::Lang;

pub use message::Outgoing;
pub use sent_log::SentLog;
pub use smtp::{Relay, SendError, SmtpRelay};

/// One recipient (or a whole message) that could not be delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The .eml file as named in messages.
    pub file: String,
    /// `None` when the message itself could not be sent (unreadable, no recipient).
    pub recipient: Option<String>,
    pub reason: String,
}

impl Failure {
    /// The line printed for it, in `lang`.
    pub fn line(&self, lang: Lang) -> String {
        match (&self.recipient, lang) {
            (Some(to), Lang::En) => format!(
                "kpi-report: error: {}: not delivered to {to}: {}",
                self.file, self.reason
            ),
            (Some(to), Lang::Ja) => format!(
                "kpi-report: エラー: {}: {to} に送信できませんでした: {}",
                self.file, self.reason
            ),
            (None, Lang::En) => format!(
                "kpi-report: error: {}: not sent: {}",
                self.file, self.reason
            ),
            (None, Lang::Ja) => format!(
                "kpi-report: エラー: {}: 送信できませんでした: {}",
                self.file, self.reason
            ),
        }
    }
}

/// What a delivery run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Deliveries the server accepted (one per message and recipient).
    pub delivered: usize,
    /// Deliveries left out because the sent log has them.
    pub already_sent: usize,
    pub failures: Vec<Failure>,
    /// What happened to each message, one line each, for the log.
    pub lines: Vec<String>,
}

/// How failures are retried.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub retries: u32,
    /// The wait before the first retry; each later one waits twice as long.
    pub first_delay: Duration,
}

impl RetryPolicy {
    pub fn of(smtp: &crate::config::Smtp) -> RetryPolicy {
        RetryPolicy {
            retries: smtp.retries,
            first_delay: Duration::from_secs_f64(smtp.retry_delay_s),
        }
    }

    fn delay(&self, retry: u32) -> Duration {
        self.first_delay
            .saturating_mul(2u32.saturating_pow(retry.min(16)))
    }
}

/// The name of a file in messages: as given.
fn file_name(path: &Path) -> String {
    path.display().to_string()
}

/// The file part of a path for the sent log.
fn base_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file_name(path))
}

/// Read the .eml files; those that cannot be sent are failures, and those without any
/// recipient (a full report while `email.to` is empty) are warnings: nobody is left without
/// their message.
pub fn read_messages(files: &[PathBuf], lang: Lang) -> (Vec<Outgoing>, Vec<Failure>, Vec<String>) {
    let mut messages = Vec::new();
    let mut failures = Vec::new();
    let mut warnings = Vec::new();
    for path in files {
        match message::read(path) {
            Ok(m) if m.recipients.is_empty() => warnings.push(match lang {
                Lang::En => format!(
                    "kpi-report: warning: {}: not sent: it has no To or Cc address (email.to in kpi-report.toml)",
                    file_name(path)
                ),
                Lang::Ja => format!(
                    "kpi-report: 警告: {}: 宛先（To/Cc）がないため送信しません（kpi-report.toml の email.to）",
                    file_name(path)
                ),
            }),
            Ok(m) => messages.push(m),
            Err(reason) => failures.push(Failure {
                file: file_name(path),
                recipient: None,
                reason,
            }),
        }
    }
    (messages, failures, warnings)
}

/// The .eml files of a folder, sorted by name.
pub fn messages_in(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read the folder {}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("eml")))
        .collect();
    files.sort();
    Ok(files)
}

/// `--dry-run`: who would get what. Sends nothing and writes nothing.
pub fn dry_run(messages: &[Outgoing], sent_log: &Path, lang: Lang) -> Result<Report, String> {
    let sent = SentLog::read_only(sent_log)?;
    let mut report = Report::default();
    for message in messages {
        let (done, to_send): (Vec<&String>, Vec<&String>) = message
            .recipients
            .iter()
            .partition(|r| sent_log::contains(&sent, &message.key, r));
        let file = file_name(&message.path);
        if !to_send.is_empty() {
            report.lines.push(match lang {
                Lang::En => format!(
                    "would send {file} to {} (subject: {})",
                    join(&to_send),
                    crate::text::quoted(&message.subject)
                ),
                Lang::Ja => format!(
                    "送信予定: {file} → {}（件名: {}）",
                    join(&to_send),
                    crate::text::quoted(&message.subject)
                ),
            });
        }
        if !done.is_empty() {
            report.lines.push(match lang {
                Lang::En => format!("already sent {file} to {}", join(&done)),
                Lang::Ja => format!("送信済み: {file} → {}", join(&done)),
            });
        }
        report.delivered += to_send.len();
        report.already_sent += done.len();
    }
    Ok(report)
}

fn join(list: &[&String]) -> String {
    list.iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Send every message to each of its recipients the sent log does not have, retrying
/// transient failures as `policy` says (`sleep` waits between tries), and record each
/// accepted delivery in the log at once.
pub fn send(
    messages: &[Outgoing],
    relay: &dyn Relay,
    log: &mut SentLog,
    policy: RetryPolicy,
    sleep: &dyn Fn(Duration),
    lang: Lang,
) -> Report {
    let mut report = Report::default();
    for message in messages {
        let file = file_name(&message.path);
        let mut delivered_to = Vec::new();
        let mut skipped = Vec::new();
        for recipient in &message.recipients {
            if log.contains(&message.key, recipient) {
                report.already_sent += 1;
                skipped.push(recipient);
                continue;
            }
            match send_with_retries(relay, message, recipient, policy, sleep) {
                Ok(()) => {
                    report.delivered += 1;
                    delivered_to.push(recipient);
                    if let Err(reason) =
                        log.record(&message.key, recipient, &base_name(&message.path))
                    {
                        // Delivered, but a later run may send it again: say so.
                        report.failures.push(Failure {
                            file: file.clone(),
                            recipient: Some(recipient.clone()),
                            reason: format!("delivered, but {reason}"),
                        });
                    }
                }
                Err((error, attempts)) => {
                    let tries = match (attempts, lang) {
                        (1, _) => String::new(),
                        (n, Lang::En) => format!(" (after {n} attempts)"),
                        (n, Lang::Ja) => format!("（{n}回試行）"),
                    };
                    report.failures.push(Failure {
                        file: file.clone(),
                        recipient: Some(recipient.clone()),
                        reason: format!("{}{tries}", error.reason()),
                    });
                }
            }
        }
        if !delivered_to.is_empty() {
            report.lines.push(match lang {
                Lang::En => format!("sent {file} to {}", join(&delivered_to)),
                Lang::Ja => format!("送信しました: {file} → {}", join(&delivered_to)),
            });
        }
        if !skipped.is_empty() {
            report.lines.push(match lang {
                Lang::En => format!(
                    "not sent again: {file} to {} (in the sent log {})",
                    join(&skipped),
                    log.path().display()
                ),
                Lang::Ja => format!(
                    "再送しません: {file} → {}（送信ログ {} に記録済み）",
                    join(&skipped),
                    log.path().display()
                ),
            });
        }
    }
    report
}

/// One delivery with its retries; the error comes with the number of attempts made.
fn send_with_retries(
    relay: &dyn Relay,
    message: &Outgoing,
    recipient: &str,
    policy: RetryPolicy,
    sleep: &dyn Fn(Duration),
) -> Result<(), (SendError, u32)> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match relay.send(&message.from, recipient, &message.bytes) {
            Ok(()) => return Ok(()),
            Err(SendError::Transient(_)) if attempt <= policy.retries => {
                sleep(policy.delay(attempt - 1));
            }
            Err(e) => return Err((e, attempt)),
        }
    }
}

/// The closing line of a delivery run.
pub fn summary(report: &Report, dry_run: bool, lang: Lang) -> String {
    let failed = report.failures.len();
    match (dry_run, lang) {
        (true, Lang::En) => format!(
            "dry run: {} deliveries would be made, {} already sent; nothing sent",
            report.delivered, report.already_sent
        ),
        (true, Lang::Ja) => format!(
            "ドライラン: 送信予定 {}件、送信済み {}件（何も送信していません）",
            report.delivered, report.already_sent
        ),
        (false, Lang::En) => format!(
            "{} deliveries accepted, {} already sent, {failed} failed",
            report.delivered, report.already_sent
        ),
        (false, Lang::Ja) => format!(
            "送信 {}件、送信済みのため省略 {}件、失敗 {failed}件",
            report.delivered, report.already_sent
        ),
    }
}

#[cfg(test)]
mod tests;
