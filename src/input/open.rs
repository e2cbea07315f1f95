//! Opening a workbook from its bytes: the format is told from the content (not the file
//! name), encrypted and non-workbook files are recognised, and every format is inspected
//! before calamine parses it ([`zip_guard`](super::zip_guard) for zip-based workbooks,
//! [`xls_guard`](super::xls_guard) for .xls) so that a bomb or a lying size is refused
//! instead of exhausting memory.

use std::io::Cursor;
use std::sync::Arc;

use calamine::{Ods, Reader, Sheets, Xls, Xlsb, Xlsx};

use crate::config::Limits;
use crate::files::FileError;
use crate::findings::Problem;
use crate::text::one_line;

use super::xls_guard::{check_xls, is_encrypted_package};
use super::zip_guard::{check_zip, ZipCheck, ZipKind};

/// A workbook file's bytes, shared: a sheet of a zip-based workbook can be parsed by a
/// second parser over the same bytes, on another core.
pub type Bytes = Arc<[u8]>;

pub type Workbook = Sheets<Cursor<Bytes>>;

/// An opened workbook, with what the checks found out about a zip-based one (`None` for
/// .xls).
pub struct Opened {
    pub workbook: Workbook,
    pub zip: Option<ZipCheck>,
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const EMPTY_ZIP_MAGIC: &[u8] = b"PK\x05\x06";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Read a workbook file: a regular file (after following links) of at most `max_file_mb`.
pub fn read_file(path: &std::path::Path, limits: &Limits) -> Result<Vec<u8>, Problem> {
    let max = limits.max_file_mb.saturating_mul(1024 * 1024);
    crate::files::read_regular(path, max).map_err(|e| match e {
        FileError::TooLarge(size) => Problem::TooLarge {
            what: format!("{} MB file", size / (1024 * 1024)),
            limit: format!("max_file_mb = {}", limits.max_file_mb),
        },
        other => Problem::InputPath {
            detail: other.describe(),
        },
    })
}

/// Open workbook bytes, whatever the file was called.
pub fn open_bytes(bytes: Bytes, limits: &Limits) -> Result<Opened, Problem> {
    if bytes.is_empty() {
        return Err(Problem::EmptyFile);
    }
    let max_file = limits.max_file_mb.saturating_mul(1024 * 1024);
    if bytes.len() as u64 > max_file {
        return Err(Problem::TooLarge {
            what: format!("{} MB file", bytes.len() / (1024 * 1024)),
            limit: format!("max_file_mb = {}", limits.max_file_mb),
        });
    }
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(EMPTY_ZIP_MAGIC) {
        let check = check_zip(&bytes, limits)?;
        Ok(Opened {
            workbook: parse_zip(bytes, check.kind)?,
            zip: Some(check),
        })
    } else if bytes.starts_with(CFB_MAGIC) {
        if is_encrypted_package(&bytes)? {
            return Err(Problem::Encrypted);
        }
        check_xls(&bytes, limits)?;
        Xls::new(Cursor::new(bytes))
            .map(|xls| Opened {
                workbook: Sheets::Xls(xls),
                zip: None,
            })
            .map_err(|e| match e {
                calamine::XlsError::Password => Problem::Encrypted,
                other => Problem::Unreadable {
                    detail: one_line(&other.to_string()),
                },
            })
    } else {
        Err(Problem::NotAWorkbook {
            detail: describe_content(&bytes),
        })
    }
}

/// Parse a zip-based workbook of a kind [`check_zip`] told, once it has passed the checks
/// (again for a second parser over the same bytes).
pub fn parse_zip(bytes: Bytes, kind: ZipKind) -> Result<Workbook, Problem> {
    let cursor = Cursor::new(bytes);
    let unreadable = |detail: String| Problem::Unreadable {
        detail: one_line(&detail),
    };
    match kind {
        ZipKind::Xlsx => Xlsx::new(cursor).map(Sheets::Xlsx).map_err(|e| match e {
            calamine::XlsxError::Password => Problem::Encrypted,
            other => unreadable(other.to_string()),
        }),
        ZipKind::Xlsb => Xlsb::new(cursor).map(Sheets::Xlsb).map_err(|e| match e {
            calamine::XlsbError::Password => Problem::Encrypted,
            other => unreadable(other.to_string()),
        }),
        ZipKind::Ods => Ods::new(cursor).map(Sheets::Ods).map_err(|e| match e {
            calamine::OdsError::Password => Problem::Encrypted,
            other => unreadable(other.to_string()),
        }),
    }
}

/// A CSV or TSV export: text that is neither a zip nor an OLE file nor an HTML page.
pub fn is_delimited_text(bytes: &[u8]) -> bool {
    !bytes.starts_with(ZIP_MAGIC)
        && !bytes.starts_with(EMPTY_ZIP_MAGIC)
        && !bytes.starts_with(CFB_MAGIC)
        && !is_html(bytes)
        && looks_like_text(bytes)
}

/// True when the bytes look like text rather than a binary file: UTF-16 with a BOM, or no
/// control bytes other than tab, CR, LF, form feed and Ctrl-Z in the first 8 KB.
pub fn looks_like_text(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let head = &bytes[..bytes.len().min(8192)];
    !head.is_empty()
        && head
            .iter()
            .all(|b| *b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1a))
}

fn is_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(512)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    text.contains("<html") || text.contains("<table") || text.contains("<!doctype")
}

/// A short guess at what a non-workbook file is, so the user knows what went wrong.
fn describe_content(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(512)];
    if is_html(head) {
        "an HTML file, perhaps saved with a workbook name; open it and save as .xlsx".to_string()
    } else if head.starts_with(b"%PDF") {
        "a PDF file".to_string()
    } else if std::str::from_utf8(head).is_ok() || head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        "a text file (CSV?); open it in a spreadsheet and save as .xlsx".to_string()
    } else {
        "unknown binary content".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(bytes: &[u8]) -> Result<Workbook, Problem> {
        open_bytes(Bytes::from(bytes), &Limits::default()).map(|o| o.workbook)
    }

    #[test]
    fn empty_and_text_files_are_named() {
        assert!(matches!(open(b""), Err(Problem::EmptyFile)));
        match open(b"id,name,target\n1,a,2\n") {
            Err(Problem::NotAWorkbook { detail }) => assert!(detail.contains("CSV"), "{detail}"),
            other => panic!("{:?}", other.err()),
        }
    }

    #[test]
    fn truncated_zip_is_unreadable() {
        let mut bytes = ZIP_MAGIC.to_vec();
        bytes.extend_from_slice(&[0u8; 40]);
        assert!(matches!(open(&bytes), Err(Problem::Unreadable { .. })));
    }
}
