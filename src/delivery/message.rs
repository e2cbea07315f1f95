//! A message to send: an .eml file read back for its envelope (the From address, every To
//! and Cc address), its subject and the key the sent log knows it by.

use std::path::{Path, PathBuf};

use mail_parser::{Address, MessageParser};

/// One .eml file ready to be sent.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    /// `<Message-ID>`; a message without one is known by a digest of its bytes.
    pub key: String,
    /// The envelope sender: the From address.
    pub from: String,
    /// Every To and Cc address, each once, in the order of the headers.
    pub recipients: Vec<String>,
    pub subject: String,
}

/// The largest .eml file sent (a report workbook is a few MB; this leaves room).
const MAX_MESSAGE_BYTES: u64 = 100 * 1024 * 1024;

/// Read `path` (a regular file, at most [`MAX_MESSAGE_BYTES`] of it: a pipe or device
/// named `x.eml` is never opened); the error says why it cannot be sent.
pub fn read(path: &Path) -> Result<Outgoing, String> {
    let bytes = crate::files::read_regular(path, MAX_MESSAGE_BYTES).map_err(|e| match e {
        crate::files::FileError::TooLarge(size) => format!(
            "{} MB is more than a message may be ({} MB)",
            size / (1024 * 1024),
            MAX_MESSAGE_BYTES / (1024 * 1024)
        ),
        other => format!("cannot read it: {}", other.describe()),
    })?;
    parse(path, bytes)
}

fn addresses(list: Option<&Address>) -> Vec<String> {
    list.map(|a| {
        a.iter()
            .filter_map(|addr| addr.address())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    })
    .unwrap_or_default()
}

pub(crate) fn parse(path: &Path, bytes: Vec<u8>) -> Result<Outgoing, String> {
    let message = MessageParser::default()
        .parse_headers(&bytes)
        .ok_or_else(|| "not an e-mail message".to_string())?;
    let from = addresses(message.from())
        .into_iter()
        .next()
        .ok_or_else(|| "it has no From address".to_string())?;
    let mut recipients: Vec<String> = Vec::new();
    for address in addresses(message.to())
        .into_iter()
        .chain(addresses(message.cc()))
    {
        if !recipients.iter().any(|r| r.eq_ignore_ascii_case(&address)) {
            recipients.push(address);
        }
    }
    if message.bcc().is_some() {
        // Sent as it is, a Bcc header would show every blind copy to every recipient.
        return Err("it has a Bcc header; kpi-report does not send blind copies".to_string());
    }
    let key = match message.message_id() {
        Some(id) if !id.trim().is_empty() => format!("<{}>", id.trim()),
        _ => format!("sha:{:016x}", fnv(&bytes)),
    };
    let subject = message.subject().unwrap_or("").to_string();
    Ok(Outgoing {
        path: path.to_path_buf(),
        bytes,
        key,
        from,
        recipients,
        subject,
    })
}

/// 64-bit FNV-1a: the key of a message without a Message-ID.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests;
