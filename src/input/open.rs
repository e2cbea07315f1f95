//! Opening a workbook from its bytes: the format is told from the content (not the file
//! name), encrypted and non-workbook files are recognised, and zip archives are inspected
//! before parsing so that a zip bomb is refused instead of exhausting memory.

use std::io::Cursor;

use calamine::{Ods, Reader, Sheets, Xls, Xlsb, Xlsx};

use crate::config::Limits;
use crate::findings::Problem;

pub type Workbook = Sheets<Cursor<Vec<u8>>>;

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const EMPTY_ZIP_MAGIC: &[u8] = b"PK\x05\x06";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Open workbook bytes, whatever the file was called.
pub fn open_bytes(bytes: Vec<u8>, limits: &Limits) -> Result<Workbook, Problem> {
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
        open_zip(bytes, limits)
    } else if bytes.starts_with(CFB_MAGIC) {
        if contains_utf16(&bytes, "EncryptionInfo") {
            return Err(Problem::Encrypted);
        }
        Xls::new(Cursor::new(bytes))
            .map(Sheets::Xls)
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

/// Which kind of zip-based workbook this is, after checking its declared sizes.
fn open_zip(bytes: Vec<u8>, limits: &Limits) -> Result<Workbook, Problem> {
    let kind = {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).map_err(|e| {
            Problem::Unreadable {
                detail: format!("truncated or corrupt zip: {}", one_line(&e.to_string())),
            }
        })?;
        let mut total: u64 = 0;
        let mut kind = None;
        let max_total = limits.max_uncompressed_mb.saturating_mul(1024 * 1024);
        for i in 0..archive.len() {
            let entry = archive.by_index_raw(i).map_err(|e| Problem::Unreadable {
                detail: format!("corrupt zip entry: {}", one_line(&e.to_string())),
            })?;
            total = total.saturating_add(entry.size());
            let compressed = entry.compressed_size().max(1);
            // Real workbooks compress XML about 10:1; a bomb compresses far better.
            if entry.size() > 64 * 1024 * 1024 && entry.size() / compressed > 1000 {
                return Err(Problem::TooLarge {
                    what: format!(
                        "{} inflates from {} bytes to {} MB (a zip bomb?)",
                        entry.name().unwrap_or_default(),
                        entry.compressed_size(),
                        entry.size() / (1024 * 1024)
                    ),
                    limit: "compression ratio 1000:1".to_string(),
                });
            }
            match entry.name().unwrap_or_default().as_ref() {
                "xl/workbook.xml" => kind = kind.or(Some("xlsx")),
                "xl/workbook.bin" => kind = kind.or(Some("xlsb")),
                "content.xml" => kind = kind.or(Some("ods")),
                _ => {}
            }
        }
        if total > max_total {
            return Err(Problem::TooLarge {
                what: format!("{} MB uncompressed", total / (1024 * 1024)),
                limit: format!("max_uncompressed_mb = {}", limits.max_uncompressed_mb),
            });
        }
        kind
    };
    let cursor = Cursor::new(bytes);
    let result = match kind {
        Some("xlsx") => Xlsx::new(cursor)
            .map(Sheets::Xlsx)
            .map_err(|e| e.to_string()),
        Some("xlsb") => Xlsb::new(cursor)
            .map(Sheets::Xlsb)
            .map_err(|e| e.to_string()),
        Some("ods") => Ods::new(cursor).map(Sheets::Ods).map_err(|e| e.to_string()),
        _ => {
            return Err(Problem::NotAWorkbook {
                detail: "a zip archive without a workbook inside".to_string(),
            })
        }
    };
    result.map_err(|detail| Problem::Unreadable {
        detail: one_line(&detail),
    })
}

fn contains_utf16(bytes: &[u8], needle: &str) -> bool {
    let pattern: Vec<u8> = needle
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    bytes
        .windows(pattern.len())
        .any(|w| w == pattern.as_slice())
}

/// A short guess at what a non-workbook file is, so the user knows what went wrong.
fn describe_content(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(512)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    if text.contains("<html") || text.contains("<table") || text.contains("<!doctype") {
        "an HTML file, perhaps saved with a workbook name; open it and save as .xlsx".to_string()
    } else if head.starts_with(b"%PDF") {
        "a PDF file".to_string()
    } else if std::str::from_utf8(head).is_ok() || head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        "a text file (CSV?); open it in a spreadsheet and save as .xlsx".to_string()
    } else {
        "unknown binary content".to_string()
    }
}

fn one_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    let mut out: String = line.chars().take(200).collect();
    if line.chars().count() > 200 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(bytes: &[u8]) -> Result<Workbook, Problem> {
        open_bytes(bytes.to_vec(), &Limits::default())
    }

    #[test]
    fn empty_and_text_files_are_named() {
        assert!(matches!(open(b""), Err(Problem::EmptyFile)));
        match open(b"id,name,target\n1,a,2\n") {
            Err(Problem::NotAWorkbook { detail }) => assert!(detail.contains("CSV"), "{detail}"),
            Err(other) => panic!("{other:?}"),
            Ok(_) => panic!("a CSV file opened as a workbook"),
        }
    }

    #[test]
    fn truncated_zip_is_unreadable() {
        let mut bytes = ZIP_MAGIC.to_vec();
        bytes.extend_from_slice(&[0u8; 40]);
        assert!(matches!(open(&bytes), Err(Problem::Unreadable { .. })));
    }

    #[test]
    fn encrypted_ooxml_is_recognised() {
        let mut bytes = CFB_MAGIC.to_vec();
        bytes.extend_from_slice(&[0u8; 100]);
        bytes.extend(
            "EncryptionInfo"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        );
        assert!(matches!(open(&bytes), Err(Problem::Encrypted)));
    }
}
