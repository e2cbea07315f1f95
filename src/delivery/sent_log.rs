//! The sent log (SPEC section 10): one line per delivery the server accepted, so that a
//! later run never sends the same message to the same recipient again. A text file a person
//! can read: `TIME<TAB>MESSAGE-ID<TAB>RECIPIENT<TAB>FILE`, lines starting with `#` are
//! comments. Each line is written and flushed to disk as soon as the server accepts the
//! message, so a run stopped halfway still knows what it sent. The log is locked while a
//! run sends, so two runs cannot both send a message.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The sent log, open and locked for appending.
#[derive(Debug)]
pub struct SentLog {
    path: PathBuf,
    file: File,
    sent: HashSet<(String, String)>,
}

const HEADER: &str = "# kpi-report sent log: time (UTC), Message-ID, recipient, file. \
                      A message listed here is not sent again to that recipient; \
                      delete a line to send it again.\n";

fn entry_key(message: &str, recipient: &str) -> (String, String) {
    (message.to_string(), recipient.to_ascii_lowercase())
}

/// The (Message-ID, recipient) pairs of a log's text.
fn parse(text: &str) -> HashSet<(String, String)> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let mut fields = line.split('\t').skip(1);
            Some(entry_key(fields.next()?.trim(), fields.next()?.trim()))
        })
        .collect()
}

impl SentLog {
    /// Open (or create) the log and lock it.
    pub fn open(path: &Path) -> Result<SentLog, String> {
        let cannot =
            |e: std::io::Error| format!("cannot open the sent log {}: {e}", path.display());
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(cannot)?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(cannot)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(format!(
                    "another kpi-report is sending (the sent log {} is locked); try again when it has finished",
                    path.display()
                ))
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(cannot(e)),
        }
        let mut text = String::new();
        file.read_to_string(&mut text).map_err(cannot)?;
        if text.is_empty() {
            file.write_all(HEADER.as_bytes()).map_err(cannot)?;
        }
        Ok(SentLog {
            path: path.to_path_buf(),
            file,
            sent: parse(&text),
        })
    }

    /// The sent pairs of the log at `path` without locking it (for `--dry-run`, which
    /// writes nothing); an absent log is empty.
    pub fn read_only(path: &Path) -> Result<HashSet<(String, String)>, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(parse(&text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(HashSet::new()),
            Err(e) => Err(format!("cannot read the sent log {}: {e}", path.display())),
        }
    }

    pub fn contains(&self, message: &str, recipient: &str) -> bool {
        self.sent.contains(&entry_key(message, recipient))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Record an accepted delivery, on disk before this returns.
    pub fn record(&mut self, message: &str, recipient: &str, file: &str) -> Result<(), String> {
        let time = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ");
        let clean = |s: &str| s.replace(['\t', '\r', '\n'], " ");
        let line = format!(
            "{time}\t{}\t{}\t{}\n",
            clean(message),
            clean(recipient),
            clean(file)
        );
        self.file
            .write_all(line.as_bytes())
            .and_then(|()| self.file.sync_data())
            .map_err(|e| format!("cannot write the sent log {}: {e}", self.path.display()))?;
        self.sent.insert(entry_key(message, recipient));
        Ok(())
    }
}

pub(crate) fn contains(sent: &HashSet<(String, String)>, message: &str, recipient: &str) -> bool {
    sent.contains(&entry_key(message, recipient))
}

#[cfg(test)]
mod tests;
