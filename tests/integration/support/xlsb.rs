//! A small .xlsb writer for tests: LibreOffice cannot save .xlsb and rust_xlsxwriter writes
//! only .xlsx, so this writes the binary parts by hand from the same tables of cells as
//! `write_book`. The records and fields are those of [MS-XLSB]; each record is a type and a
//! size (both variable-length integers, 7 bits a byte, low bits first) and then its payload.
//!
//! What is written: [Content_Types].xml, the package and workbook relationships, and the
//! binary parts xl/workbook.bin (BrtWbProp and one BrtBundleSh a sheet), xl/sharedStrings.bin
//! (every text cell is a shared string, as Excel writes them), xl/styles.bin (number formats
//! and cell formats only: style 1 is the `yyyy-mm-dd` date format of `write_book`) and
//! xl/worksheets/sheetN.bin. Numbers go in BrtCellRk where the RK form holds them exactly (as
//! Excel does: whole numbers, hundredths, doubles with 34 low zero bits) and in BrtCellReal
//! otherwise. The style part leaves out fonts, fills, borders and cell styles: calamine and
//! LibreOffice read the file without them.

use std::collections::HashMap;
use std::io::{Cursor, Write};
use std::path::Path;

use rust_xlsxwriter::ExcelDateTime;

// Record types ([MS-XLSB] lists them by name, and each record's layout).
const BRT_ROW_HDR: u16 = 0x0000;
const BRT_CELL_RK: u16 = 0x0002;
const BRT_CELL_REAL: u16 = 0x0005;
const BRT_CELL_ISST: u16 = 0x0007;
const BRT_FMLA_NUM: u16 = 0x0009;
const BRT_FMLA_ERROR: u16 = 0x000B;
const BRT_SST_ITEM: u16 = 0x0013;
const BRT_FMT: u16 = 0x002C;
const BRT_XF: u16 = 0x002F;
const BRT_BEGIN_SHEET: u16 = 0x0081;
const BRT_END_SHEET: u16 = 0x0082;
const BRT_BEGIN_BOOK: u16 = 0x0083;
const BRT_END_BOOK: u16 = 0x0084;
const BRT_BEGIN_BUNDLE_SHS: u16 = 0x008F;
const BRT_END_BUNDLE_SHS: u16 = 0x0090;
const BRT_BEGIN_SHEET_DATA: u16 = 0x0091;
const BRT_END_SHEET_DATA: u16 = 0x0092;
const BRT_WS_DIM: u16 = 0x0094;
const BRT_WB_PROP: u16 = 0x0099;
const BRT_BUNDLE_SH: u16 = 0x009C;
const BRT_BEGIN_SST: u16 = 0x009F;
const BRT_END_SST: u16 = 0x00A0;
const BRT_BEGIN_STYLE_SHEET: u16 = 0x0116;
const BRT_END_STYLE_SHEET: u16 = 0x0117;
const BRT_BEGIN_FMTS: u16 = 0x0267;
const BRT_END_FMTS: u16 = 0x0268;
const BRT_BEGIN_CELL_XFS: u16 = 0x0269;
const BRT_END_CELL_XFS: u16 = 0x026A;

/// The cell format (index into the cell XFs) of date cells, and its number format: the first
/// custom format id, with `write_book`'s format code.
const DATE_STYLE: u32 = 1;
const DATE_FORMAT_ID: u16 = 164;
const DATE_FORMAT_CODE: &str = "yyyy-mm-dd";

/// One cell as written.
#[derive(Debug, Clone, PartialEq)]
pub enum XlsbCell {
    Blank,
    Number(f64),
    /// An Excel serial date, shown with the date style.
    Date(f64),
    Text(String),
    /// A formula (its parsed tokens, an `rgce` of Ptg structures) with its saved value.
    Formula {
        rgce: Vec<u8>,
        saved: Saved,
    },
}

/// The saved value of a formula cell. A .xlsb formula record always holds one: there is no
/// formula "without a value" as in .xlsx, but the value may be an error.
#[derive(Debug, Clone, PartialEq)]
pub enum Saved {
    Number(f64),
    /// An error code (a BErr), e.g. 0x07 `#DIV/0!`.
    Error(u8),
}

pub const ERROR_DIV0: u8 = 0x07;

impl XlsbCell {
    /// A cell in `write_book`'s notation: `""` blank, `n:12.5` a number, `d:2026-04-01` a
    /// date, anything else text. Two more for formulas: `sum:E2:E3=150` is `=SUM(E2:E3)`
    /// saved as 150, `sum:$E$2:$E$3=#DIV/0!` `=SUM($E$2:$E$3)` saved as the error.
    pub fn parse(cell: &str) -> XlsbCell {
        if cell.is_empty() {
            XlsbCell::Blank
        } else if let Some(n) = cell.strip_prefix("n:") {
            XlsbCell::Number(n.parse().unwrap())
        } else if let Some(d) = cell.strip_prefix("d:") {
            XlsbCell::Date(ExcelDateTime::parse_from_str(d).unwrap().to_excel())
        } else if let Some(formula) = cell.strip_prefix("sum:") {
            let (area, saved) = formula.split_once('=').unwrap();
            let saved = match saved {
                "#DIV/0!" => Saved::Error(ERROR_DIV0),
                n => Saved::Number(n.parse().unwrap()),
            };
            XlsbCell::Formula {
                rgce: sum_formula(area),
                saved,
            }
        } else {
            XlsbCell::Text(cell.to_string())
        }
    }
}

/// Writes an .xlsb from tables of cells in `XlsbCell::parse`'s notation, each from A1.
pub fn write_xlsb<S: AsRef<str>>(path: &Path, sheets: &[(&str, Vec<Vec<S>>)]) {
    let sheets: Vec<(&str, Vec<Vec<XlsbCell>>)> = sheets
        .iter()
        .map(|(name, rows)| {
            let rows = rows
                .iter()
                .map(|row| row.iter().map(|c| XlsbCell::parse(c.as_ref())).collect())
                .collect();
            (*name, rows)
        })
        .collect();
    std::fs::write(path, xlsb_bytes(&sheets)).unwrap();
}

/// The bytes of an .xlsb with these sheets (its parts, deflated).
pub fn xlsb_bytes(sheets: &[(&str, Vec<Vec<XlsbCell>>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in xlsb_parts(sheets) {
        zip.start_file(name, options).unwrap();
        zip.write_all(&data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The parts of an .xlsb with these sheets, by name, in the order they are zipped.
pub fn xlsb_parts(sheets: &[(&str, Vec<Vec<XlsbCell>>)]) -> Vec<(String, Vec<u8>)> {
    let mut strings = SharedStrings::default();
    let sheet_parts: Vec<Vec<u8>> = sheets
        .iter()
        .map(|(_, rows)| worksheet(rows, &mut strings))
        .collect();

    let mut parts: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), content_types(sheets.len())),
        ("_rels/.rels".into(), PACKAGE_RELS.as_bytes().to_vec()),
        (
            "xl/_rels/workbook.bin.rels".into(),
            workbook_rels(sheets.len()),
        ),
        ("xl/workbook.bin".into(), workbook(sheets)),
        ("xl/styles.bin".into(), styles()),
        ("xl/sharedStrings.bin".into(), strings.part()),
    ];
    for (i, part) in sheet_parts.into_iter().enumerate() {
        parts.push((format!("xl/worksheets/sheet{}.bin", i + 1), part));
    }
    parts
}

/// Appends one record: type, size, payload.
fn record(out: &mut Vec<u8>, typ: u16, payload: &[u8]) {
    // The type: one byte below 0x80, else two.
    if typ < 0x80 {
        out.push(typ as u8);
    } else {
        out.push((typ & 0x7F) as u8 | 0x80);
        out.push((typ >> 7) as u8);
    }
    // The size: up to four bytes of seven bits.
    let mut size = payload.len();
    assert!(size < 1 << 28, "record too large");
    loop {
        let low = (size & 0x7F) as u8;
        size >>= 7;
        if size == 0 {
            out.push(low);
            break;
        }
        out.push(low | 0x80);
    }
    out.extend_from_slice(payload);
}

/// XLWideString: a count of UTF-16 units, then the units.
fn wide_string(out: &mut Vec<u8>, text: &str) {
    let units: Vec<u16> = text.encode_utf16().collect();
    out.extend((units.len() as u32).to_le_bytes());
    out.extend(units.iter().flat_map(|u| u.to_le_bytes()));
}

/// Cell: the column, and the cell format as 24 bits (then 8 bits of flags).
fn cell_header(col: u32, style: u32) -> Vec<u8> {
    let mut out = col.to_le_bytes().to_vec();
    out.extend(style.to_le_bytes());
    out
}

/// The RK form of a number (RkNumber) when it holds it exactly: bit 0 says
/// "divided by 100", bit 1 "a 30-bit integer" (else the high 30 bits of a double).
fn rk(value: f64) -> Option<u32> {
    let fits =
        |n: f64| n.fract() == 0.0 && (-(1i64 << 29) as f64..(1i64 << 29) as f64).contains(&n);
    if fits(value) {
        return Some(((value as i32) << 2) as u32 | 0b10);
    }
    let hundred_times = (value * 100.0).round();
    if fits(hundred_times) && hundred_times / 100.0 == value {
        return Some(((hundred_times as i32) << 2) as u32 | 0b11);
    }
    let bits = value.to_bits();
    if bits & 0x3_FFFF_FFFF == 0 {
        return Some((bits >> 32) as u32);
    }
    None
}

/// A number cell: BrtCellRk where it fits, else BrtCellReal.
fn number(out: &mut Vec<u8>, col: u32, style: u32, value: f64) {
    let mut payload = cell_header(col, style);
    match rk(value) {
        Some(rk) => {
            payload.extend(rk.to_le_bytes());
            record(out, BRT_CELL_RK, &payload);
        }
        None => {
            payload.extend(value.to_le_bytes());
            record(out, BRT_CELL_REAL, &payload);
        }
    }
}

/// `D3` or `$D$3` to a zero-based row and a column with its relative flags (ColRelShort,
/// 14 bits of column, bit 14 "the column is relative", bit 15 "the row
/// is relative").
fn reference(text: &str) -> (u32, u16) {
    let column_relative = !text.starts_with('$');
    let text = text.trim_start_matches('$');
    let split = text.find(|c: char| c == '$' || c.is_ascii_digit()).unwrap();
    let (letters, rest) = text.split_at(split);
    let row_relative = !rest.starts_with('$');
    let row: u32 = rest.trim_start_matches('$').parse().unwrap();
    let col = letters.bytes().fold(0u16, |n, b| {
        n * 26 + u16::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    let flags = if column_relative { 0x4000 } else { 0 } | if row_relative { 0x8000 } else { 0 };
    (row - 1, (col - 1) | flags)
}

/// The tokens of `SUM(area)`: PtgArea (0x25: first and last row, first and last column) and
/// PtgFuncVar (0x22: one argument, function 4 = SUM).
pub fn sum_formula(area: &str) -> Vec<u8> {
    let (first, last) = area.split_once(':').unwrap();
    let ((row1, col1), (row2, col2)) = (reference(first), reference(last));
    let mut rgce = vec![0x25];
    rgce.extend(row1.to_le_bytes());
    rgce.extend(row2.to_le_bytes());
    rgce.extend(col1.to_le_bytes());
    rgce.extend(col2.to_le_bytes());
    rgce.extend([0x22, 1, 4, 0]);
    rgce
}

/// A formula cell: BrtFmlaNum or BrtFmlaError, the saved value, the formula flags (none)
/// and the formula: a CellParsedFormula, the tokens' size
/// and the tokens, then no extra data.
fn formula(out: &mut Vec<u8>, col: u32, rgce: &[u8], saved: &Saved) {
    let mut payload = cell_header(col, 0);
    let typ = match saved {
        Saved::Number(value) => {
            payload.extend(value.to_le_bytes());
            BRT_FMLA_NUM
        }
        Saved::Error(code) => {
            payload.push(*code);
            BRT_FMLA_ERROR
        }
    };
    payload.extend(0u16.to_le_bytes());
    payload.extend((rgce.len() as u32).to_le_bytes());
    payload.extend(rgce);
    payload.extend(0u32.to_le_bytes());
    record(out, typ, &payload);
}

#[derive(Default)]
struct SharedStrings {
    index: HashMap<String, u32>,
    list: Vec<String>,
    uses: u32,
}

impl SharedStrings {
    fn add(&mut self, text: &str) -> u32 {
        self.uses += 1;
        if let Some(&i) = self.index.get(text) {
            return i;
        }
        let i = self.list.len() as u32;
        self.index.insert(text.to_string(), i);
        self.list.push(text.to_string());
        i
    }

    /// xl/sharedStrings.bin: BrtBeginSst (uses, unique strings), one
    /// BrtSSTItem each (a RichStr without runs or phonetics: flags 0, then the text),
    /// BrtEndSst.
    fn part(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut begin = self.uses.to_le_bytes().to_vec();
        begin.extend((self.list.len() as u32).to_le_bytes());
        record(&mut out, BRT_BEGIN_SST, &begin);
        for text in &self.list {
            let mut item = vec![0u8];
            wide_string(&mut item, text);
            record(&mut out, BRT_SST_ITEM, &item);
        }
        record(&mut out, BRT_END_SST, &[]);
        out
    }
}

/// xl/worksheets/sheetN.bin: BrtBeginSheet, BrtWsDim (the used area),
/// BrtBeginSheetData, for each row with cells a BrtRowHdr and its cells, BrtEndSheetData,
/// BrtEndSheet.
fn worksheet(rows: &[Vec<XlsbCell>], strings: &mut SharedStrings) -> Vec<u8> {
    let used = |row: &Vec<XlsbCell>| -> Vec<u32> {
        (0..row.len() as u32)
            .filter(|&c| row[c as usize] != XlsbCell::Blank)
            .collect()
    };
    let mut area: Option<(u32, u32, u32, u32)> = None;
    for (r, row) in rows.iter().enumerate() {
        let cols = used(row);
        if let (Some(&first), Some(&last)) = (cols.first(), cols.last()) {
            let r = r as u32;
            area = Some(match area {
                None => (r, r, first, last),
                Some((r0, _, c0, c1)) => (r0, r, c0.min(first), c1.max(last)),
            });
        }
    }

    let mut out = Vec::new();
    record(&mut out, BRT_BEGIN_SHEET, &[]);
    // UncheckedRfX: first row, last row, first column, last column (A1 when empty).
    let (r0, r1, c0, c1) = area.unwrap_or((0, 0, 0, 0));
    let dimension: Vec<u8> = [r0, r1, c0, c1]
        .iter()
        .flat_map(|n| n.to_le_bytes())
        .collect();
    record(&mut out, BRT_WS_DIM, &dimension);
    record(&mut out, BRT_BEGIN_SHEET_DATA, &[]);
    for (r, row) in rows.iter().enumerate() {
        let cols = used(row);
        let (Some(&first), Some(&last)) = (cols.first(), cols.last()) else {
            continue;
        };
        // BrtRowHdr: row, cell format 0, height 300 twips (15 pt), three bytes of
        // flags, one column span (BrtColSpan: first and last column with cells).
        let mut header = (r as u32).to_le_bytes().to_vec();
        header.extend(0u32.to_le_bytes());
        header.extend(300u16.to_le_bytes());
        header.extend([0, 0, 0]);
        header.extend(1u32.to_le_bytes());
        header.extend(first.to_le_bytes());
        header.extend(last.to_le_bytes());
        record(&mut out, BRT_ROW_HDR, &header);
        for col in cols {
            match &row[col as usize] {
                XlsbCell::Blank => {}
                XlsbCell::Number(n) => number(&mut out, col, 0, *n),
                XlsbCell::Date(serial) => number(&mut out, col, DATE_STYLE, *serial),
                XlsbCell::Text(text) => {
                    // BrtCellIsst: the index into the shared strings.
                    let mut payload = cell_header(col, 0);
                    payload.extend(strings.add(text).to_le_bytes());
                    record(&mut out, BRT_CELL_ISST, &payload);
                }
                XlsbCell::Formula { rgce, saved } => formula(&mut out, col, rgce, saved),
            }
        }
    }
    record(&mut out, BRT_END_SHEET_DATA, &[]);
    record(&mut out, BRT_END_SHEET, &[]);
    out
}

/// xl/workbook.bin: BrtBeginBook; BrtWbProp (flags 0: the 1900 date
/// system; theme version 0; no code name); BrtBeginBundleShs, a BrtBundleSh per sheet
/// (visible, sheet id, the relationship id of its part, its name), BrtEndBundleShs;
/// BrtEndBook.
fn workbook(sheets: &[(&str, Vec<Vec<XlsbCell>>)]) -> Vec<u8> {
    let mut out = Vec::new();
    record(&mut out, BRT_BEGIN_BOOK, &[]);
    let mut properties = 0u32.to_le_bytes().to_vec();
    properties.extend(0u32.to_le_bytes());
    wide_string(&mut properties, "");
    record(&mut out, BRT_WB_PROP, &properties);
    record(&mut out, BRT_BEGIN_BUNDLE_SHS, &[]);
    for (i, (name, _)) in sheets.iter().enumerate() {
        let mut payload = 0u32.to_le_bytes().to_vec();
        payload.extend((i as u32 + 1).to_le_bytes());
        wide_string(&mut payload, &format!("rId{}", i + 1));
        wide_string(&mut payload, name);
        record(&mut out, BRT_BUNDLE_SH, &payload);
    }
    record(&mut out, BRT_END_BUNDLE_SHS, &[]);
    record(&mut out, BRT_END_BOOK, &[]);
    out
}

/// xl/styles.bin, the number formats and cell formats only:
/// BrtBeginFmts and one BrtFmt (id, format code) for the date format, then BrtBeginCellXFs
/// and two BrtXF (parent style, number format, font, fill, border, rotation, indent,
/// alignment flags, applied-attribute flags, reserved; 16 bytes): 0 General, 1 the date.
fn styles() -> Vec<u8> {
    let mut out = Vec::new();
    record(&mut out, BRT_BEGIN_STYLE_SHEET, &[]);
    record(&mut out, BRT_BEGIN_FMTS, &1u32.to_le_bytes());
    let mut format = DATE_FORMAT_ID.to_le_bytes().to_vec();
    wide_string(&mut format, DATE_FORMAT_CODE);
    record(&mut out, BRT_FMT, &format);
    record(&mut out, BRT_END_FMTS, &[]);
    record(&mut out, BRT_BEGIN_CELL_XFS, &2u32.to_le_bytes());
    for number_format in [0u16, DATE_FORMAT_ID] {
        let mut xf = 0u16.to_le_bytes().to_vec(); // parent: the Normal style
        xf.extend(number_format.to_le_bytes());
        xf.extend([0u8; 6]); // font, fill, border 0
        xf.extend([0, 0]); // rotation, indent
        xf.extend(0x1010u16.to_le_bytes()); // general, bottom-aligned, locked
        xf.push(if number_format == 0 { 0 } else { 0x01 }); // number format applied
        xf.push(0);
        record(&mut out, BRT_XF, &xf);
    }
    record(&mut out, BRT_END_CELL_XFS, &[]);
    record(&mut out, BRT_END_STYLE_SHEET, &[]);
    out
}

const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>"#;

fn content_types(sheets: usize) -> Vec<u8> {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/styles.bin" ContentType="application/vnd.ms-excel.styles"/><Override PartName="/xl/sharedStrings.bin" ContentType="application/vnd.ms-excel.sharedStrings"/>"#,
    );
    for i in 1..=sheets {
        xml.push_str(&format!(
            r#"<Override PartName="/xl/worksheets/sheet{i}.bin" ContentType="application/vnd.ms-excel.worksheet"/>"#
        ));
    }
    xml.push_str("</Types>");
    xml.into_bytes()
}

fn workbook_rels(sheets: usize) -> Vec<u8> {
    let relationship = |id: String, kind: &str, target: String| {
        format!(
            r#"<Relationship Id="{id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" Target="{target}"/>"#
        )
    };
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for i in 1..=sheets {
        xml.push_str(&relationship(
            format!("rId{i}"),
            "worksheet",
            format!("worksheets/sheet{i}.bin"),
        ));
    }
    let next = sheets + 1;
    xml.push_str(&relationship(
        format!("rId{next}"),
        "styles",
        "styles.bin".into(),
    ));
    xml.push_str(&relationship(
        format!("rId{}", next + 1),
        "sharedStrings",
        "sharedStrings.bin".into(),
    ));
    xml.push_str("</Relationships>");
    xml.into_bytes()
}
