//! Checks a zip-based workbook (xlsx, xlsm, xlsb, ods) before calamine opens it. calamine
//! puts no cap on what a file inflates to, reserves memory from the shared-string count an
//! xlsx declares, and expands an ods sheet's repeated rows and columns into dense ranges.
//! So the central directory's entry sizes and ratios are checked first (the zip reader
//! refuses an entry that inflates past its declared size, so those sizes hold), then the
//! declared shared-string count and the style tables' lengths (calamine keeps a full style
//! per cell format), then what the ods sheets would expand to.

use std::io::{BufRead, BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};

use crate::config::Limits;
use crate::findings::Problem;

use crate::text::one_line;

/// Which workbook a zip holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZipKind {
    Xlsx,
    Xlsb,
    Ods,
}

/// What the checks found out about a workbook that may be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZipCheck {
    pub kind: ZipKind,
    /// Uncompressed size of the shared-strings part, 0 when there is none: every parser of
    /// the workbook reads all of it when opened.
    pub shared_strings_bytes: u64,
}

/// Entries larger than this are checked for a bomb-like compression ratio.
const RATIO_CHECKED_BYTES: u64 = 16 * 1024 * 1024;
/// Workbook XML compresses about 5-15:1, and a sheet of one value repeated stays far
/// below this; deflate tops out near 1032:1, which is what bombs use.
const MAX_RATIO: u64 = 250;
/// calamine's caps on an ods sheet's expansion (the xlsx grid limits).
const ODS_MAX_ROWS: u64 = 1_048_576;
const ODS_MAX_COLUMNS: u64 = 16_384;
const ODS_MIMETYPE: &str = "application/vnd.oasis.opendocument.spreadsheet";

fn corrupt(what: &str, e: &dyn std::fmt::Display) -> Problem {
    Problem::Unreadable {
        detail: format!("{what}: {}", one_line(&e.to_string())),
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

/// Inspect the archive; the workbook kind, or why it must not be opened.
pub fn check_zip(bytes: &[u8], limits: &Limits) -> Result<ZipCheck, Problem> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| corrupt("truncated or corrupt zip", &e))?;
    let max_total = limits.max_uncompressed_mb.saturating_mul(1024 * 1024);
    let mut total: u64 = 0;
    let mut names: Vec<String> = Vec::with_capacity(archive.len());
    let mut shared_strings_bytes: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| corrupt("corrupt zip entry", &e))?;
        if entry.encrypted() {
            return Err(Problem::Encrypted);
        }
        let name = entry
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_else(|_| String::from_utf8_lossy(entry.name_raw()).into_owned());
        let size = entry.size();
        let compressed = entry.compressed_size();
        if size > RATIO_CHECKED_BYTES && size / compressed.max(1) > MAX_RATIO {
            return Err(Problem::ZipBomb {
                entry: name,
                compressed,
                size,
            });
        }
        total = total.saturating_add(size);
        let name = name.replace('\\', "/").to_ascii_lowercase();
        if name.ends_with("sharedstrings.xml") || name.ends_with("sharedstrings.bin") {
            shared_strings_bytes = shared_strings_bytes.saturating_add(size);
        }
        names.push(name);
    }
    if total > max_total {
        return Err(Problem::TooLarge {
            what: format!("{} uncompressed", megabytes(total)),
            limit: format!("max_uncompressed_mb = {}", limits.max_uncompressed_mb),
        });
    }
    let file_len = (bytes.len() as u64).max(1);
    if total > 4 * RATIO_CHECKED_BYTES && total / file_len > MAX_RATIO {
        return Err(Problem::ZipBomb {
            entry: "the archive".to_string(),
            compressed: file_len,
            size: total,
        });
    }

    let has = |wanted: &str| names.iter().any(|n| n == wanted);
    let kind = if has("mimetype") && has("content.xml") {
        let mimetype = read_small(&mut archive, "mimetype");
        if mimetype.trim() != ODS_MIMETYPE {
            return Err(Problem::NotAWorkbook {
                detail: format!("an OpenDocument file of type \"{}\"", one_line(&mimetype)),
            });
        }
        ZipKind::Ods
    } else if names.iter().any(|n| n.ends_with("workbook.bin")) {
        ZipKind::Xlsb
    } else if (has("[content_types].xml") || names.iter().any(|n| n.ends_with("workbook.xml")))
        && !has("word/document.xml")
        && !has("ppt/presentation.xml")
    {
        ZipKind::Xlsx
    } else {
        let detail = if has("word/document.xml") {
            "a Word document"
        } else if has("ppt/presentation.xml") {
            "a PowerPoint presentation"
        } else {
            "a zip archive without a workbook inside"
        };
        return Err(Problem::NotAWorkbook {
            detail: detail.to_string(),
        });
    };
    match kind {
        ZipKind::Xlsx => {
            for (i, name) in names.iter().enumerate() {
                if name.ends_with("sharedstrings.xml") {
                    check_shared_strings(&mut archive, i, limits)?;
                } else if name.ends_with("styles.xml") {
                    check_styles(&mut archive, i)?;
                }
            }
        }
        ZipKind::Ods => {
            if let Some(i) = names.iter().position(|n| n == "content.xml") {
                check_ods_content(&mut archive, i, limits)?;
            }
        }
        ZipKind::Xlsb => {}
    }
    Ok(ZipCheck {
        kind,
        shared_strings_bytes,
    })
}

/// A small entry's text (the ods `mimetype`).
fn read_small(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> String {
    let mut text = String::new();
    if let Ok(entry) = archive.by_name(name) {
        let _ = entry.take(256).read_to_string(&mut text);
    }
    text
}

/// An XML reader configured as calamine configures its own.
fn xml_reader<R: BufRead>(input: R, expand_empty: bool) -> quick_xml::Reader<R> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = expand_empty;
    reader
}

/// A raw attribute value by its full name, the way calamine looks attributes up.
fn raw_attribute(element: &BytesStart, key: &str) -> Option<String> {
    element
        .attributes()
        .with_checks(false)
        .map_while(Result::ok)
        .find(|a| a.key.as_ref() == key)
        .map(|a| a.value.into_owned())
}

/// Plain decimal digits as calamine parses them; anything else is no number.
fn declared_count(raw: &str) -> Option<u64> {
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(raw.bytes().fold(0u64, |n, d| {
        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    }))
}

/// calamine reserves room for `uniqueCount` strings before reading one: refuse a count the
/// part cannot hold (each `<si/>` takes at least 5 bytes) or beyond `max_cells`.
fn check_shared_strings(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    index: usize,
    limits: &Limits,
) -> Result<(), Problem> {
    let Ok(entry) = archive.by_index(index) else {
        return Ok(());
    };
    let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
    let size = entry.size();
    let mut reader = xml_reader(BufReader::new(entry), true);
    let mut buf = Vec::new();
    let declared = loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "sst" => {
                break raw_attribute(&e, "uniqueCount").and_then(|v| declared_count(&v));
            }
            Ok(Event::Eof) | Err(_) => break None,
            Ok(_) => {}
        }
    };
    let Some(count) = declared else {
        return Ok(());
    };
    if count > size / 5 + 1 {
        return Err(Problem::Unreadable {
            detail: format!(
                "{name} declares {count} shared strings, more than its {size} bytes can hold"
            ),
        });
    }
    if count > limits.max_cells {
        return Err(Problem::TooLarge {
            what: format!("{name} declares {count} shared strings"),
            limit: format!("max_cells = {}", limits.max_cells),
        });
    }
    Ok(())
}

/// Most records in one style table of `styles.xml` (cell formats, fonts, fills, borders,
/// number formats). Excel itself allows about 64,000 cell formats; calamine keeps a full
/// style (with copies of its font, fill and borders) for each.
pub const MAX_STYLE_RECORDS: u64 = 65_536;

/// The style tables and the element of each record, as calamine reads them.
const STYLE_TABLES: [(&str, &str); 5] = [
    ("cellXfs", "xf"),
    ("fonts", "font"),
    ("fills", "fill"),
    ("borders", "border"),
    ("numFmts", "numFmt"),
];

/// Refuse a `styles.xml` whose tables are longer than any workbook's: it would make
/// calamine allocate gigabytes before a cell is read.
fn check_styles(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, index: usize) -> Result<(), Problem> {
    let Ok(entry) = archive.by_index(index) else {
        return Ok(());
    };
    let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
    let mut reader = xml_reader(BufReader::new(entry), true);
    let mut buf = Vec::new();
    // The table being read (its record element) and its records so far.
    let mut table: Option<(&str, &str, u64)> = None;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                let local = e.local_name();
                let local = local.as_ref();
                match &mut table {
                    Some((list, record, count)) if local == *record => {
                        *count += 1;
                        if *count > MAX_STYLE_RECORDS {
                            return Err(Problem::TooLarge {
                                what: format!(
                                    "{name} holds more than {MAX_STYLE_RECORDS} records in {list}"
                                ),
                                limit: format!(
                                    "{MAX_STYLE_RECORDS} style records (Excel allows about 64,000 cell formats)"
                                ),
                            });
                        }
                    }
                    Some(_) => {}
                    None => {
                        table = STYLE_TABLES
                            .iter()
                            .find(|(list, _)| local == *list)
                            .map(|(list, record)| (*list, *record, 0));
                    }
                }
            }
            Ok(Event::End(e)) => {
                if table.is_some_and(|(list, _, _)| e.local_name().as_ref() == list) {
                    table = None;
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    Ok(())
}

/// What one ods sheet expands to in calamine: the cells of each row element up to its last
/// value (rows are stored once, columns repeated), then the dense rectangle around the
/// values with repeated rows expanded.
#[derive(Default)]
struct OdsTable {
    rows_seen: u64,
    row_cells: u64,
    rows: Option<(u64, u64)>,
    cols: Option<(u64, u64)>,
}

impl OdsTable {
    fn cells(&self) -> u64 {
        let rect = match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => (r1 - r0 + 1).saturating_mul(c1 - c0 + 1),
            _ => 0,
        };
        self.row_cells.saturating_add(rect)
    }
}

/// The row being scanned: its repeat count, the next column, and its value extent.
struct OdsRow {
    repeats: u64,
    col: u64,
    first: Option<u64>,
    end: u64,
}

fn repeat_count(element: &BytesStart, key: &str) -> u64 {
    raw_attribute(element, key)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(1)
}

fn check_ods_content(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    index: usize,
    limits: &Limits,
) -> Result<(), Problem> {
    let Ok(entry) = archive.by_index(index) else {
        return Ok(());
    };
    let mut reader = xml_reader(BufReader::new(entry), false);
    let mut buf = Vec::new();
    let mut total: u64 = 0;
    let mut table: Option<OdsTable> = None;
    let mut row: Option<OdsRow> = None;
    // Depth inside a cell with content, so nested elements are skipped.
    let mut cell_depth = 0usize;
    let too_large = |total: u64| Problem::TooLarge {
        what: format!("the .ods sheets expand to {total} cells"),
        limit: format!("max_cells = {}", limits.max_cells),
    };
    loop {
        buf.clear();
        let (element, is_empty) = match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) => {
                if cell_depth > 0 {
                    cell_depth -= 1;
                    continue;
                }
                match e.name().as_ref() {
                    "table:table-row" => {
                        if let (Some(t), Some(r)) = (table.as_mut(), row.take()) {
                            finish_row(t, r);
                        }
                    }
                    "table:table" => {
                        if let Some(t) = table.take() {
                            total = total.saturating_add(t.cells());
                            if total > limits.max_cells {
                                return Err(too_large(total));
                            }
                        }
                    }
                    _ => {}
                }
                continue;
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => continue,
        };
        if cell_depth > 0 {
            if !is_empty {
                cell_depth += 1;
            }
            continue;
        }
        match element.name().as_ref() {
            "table:table" if !is_empty => table = Some(OdsTable::default()),
            "table:table-row" => {
                let Some(t) = table.as_mut() else { continue };
                let remaining = ODS_MAX_ROWS.saturating_sub(t.rows_seen);
                let r = OdsRow {
                    repeats: repeat_count(&element, "table:number-rows-repeated").min(remaining),
                    col: 0,
                    first: None,
                    end: 0,
                };
                if is_empty {
                    finish_row(t, r);
                } else {
                    row = Some(r);
                }
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let Some(r) = row.as_mut() else { continue };
                let remaining = ODS_MAX_COLUMNS.saturating_sub(r.col);
                let repeats =
                    repeat_count(&element, "table:number-columns-repeated").min(remaining);
                let has_value = raw_attribute(&element, "office:value-type").is_some()
                    || raw_attribute(&element, "table:formula").is_some();
                if has_value || !is_empty {
                    if repeats > 0 {
                        r.first = Some(r.first.map_or(r.col, |f| f.min(r.col)));
                        r.end = r.col + repeats;
                    }
                    if !is_empty {
                        cell_depth = 1;
                    }
                }
                r.col += repeats;
            }
            _ => {}
        }
        // A table's rows so far already exceed the budget: no need to read on.
        if let Some(t) = &table {
            if total.saturating_add(t.cells()) > limits.max_cells {
                return Err(too_large(total.saturating_add(t.cells())));
            }
        }
    }
    Ok(())
}

fn finish_row(table: &mut OdsTable, row: OdsRow) {
    if let Some(first) = row.first {
        let (top, bottom) = (table.rows_seen, table.rows_seen + row.repeats.max(1) - 1);
        table.rows = Some(
            table
                .rows
                .map_or((top, bottom), |(a, b)| (a.min(top), b.max(bottom))),
        );
        let (left, right) = (first, row.end.saturating_sub(1).max(first));
        table.cols = Some(
            table
                .cols
                .map_or((left, right), |(a, b)| (a.min(left), b.max(right))),
        );
        table.row_cells = table.row_cells.saturating_add(row.end);
    }
    table.rows_seen = table.rows_seen.saturating_add(row.repeats);
}

#[cfg(test)]
mod tests;
