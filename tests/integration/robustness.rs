//! Broken and hostile inputs (issue 8). Every broken workbook must end with a clear message
//! naming the file (and the sheet and cell where there is one), exit code 2, no panic, and
//! nothing written: a previous good report in the output folder stays byte-identical and no
//! temporary file is left behind. The inputs are generated here (hand-written xlsx parts,
//! compound files, crafted zips) or are small fixtures made by LibreOffice.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use crate::support::xlsb::{xlsb_bytes, xlsb_parts, Saved, XlsbCell, ERROR_DIV0};
use crate::support::{sample, Case};

// ---------------------------------------------------------------------------------------
// Refused or read: the two outcomes every input must have

/// The English sample's bytes: the good input each refused one replaces.
pub(crate) fn sample_en() -> Vec<u8> {
    std::fs::read(sample("sales-en.xlsx")).expect("sample")
}

pub(crate) fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .expect("fixture")
}

/// The standard assertion. A good report is written first from the English sample under the
/// same input name; then the broken bytes replace the input and both `run` and `check` must
/// exit 2 with a message naming the file and holding every `expected` fragment, print no
/// panic, and leave the output folder exactly as it was.
pub(crate) fn assert_refused(
    input: &str,
    bytes: &[u8],
    config: Option<&str>,
    expected: &[&str],
) -> String {
    let case = Case::new();
    if let Some(toml) = config {
        case.write("kpi-report.toml", toml);
    }
    case.write(input, sample_en());
    let good = case.run(input, "out", &["--json"]);
    assert!(
        good.code == 0 || good.code == 1,
        "the good run failed: {}",
        good.stderr
    );
    let before = case.contents("out");
    assert!(
        before.keys().any(|k| k.contains("-report")),
        "no report written by the good run: {before:?}"
    );

    case.write(input, bytes);
    let bad = case.run(input, "out", &["--json"]);
    let message = format!("{}{}", bad.stdout, bad.stderr);
    if std::env::var_os("SHOW_MESSAGES").is_some() {
        eprintln!("--- {input}\n{}", bad.stderr);
    }
    assert_eq!(bad.code, 2, "exit code for {input}: {message}");
    assert!(
        !message.contains("panicked"),
        "panic text for {input}: {message}"
    );
    let error_lines: Vec<&str> = bad.stderr.lines().filter(|l| l.contains("error")).collect();
    assert!(
        !error_lines.is_empty() && error_lines.iter().all(|l| l.starts_with(input)),
        "every error line must start with the file name {input}: {message}"
    );
    for fragment in expected {
        assert!(
            bad.stderr.contains(fragment),
            "{input}: expected {fragment:?} in: {message}"
        );
    }
    let after = case.contents("out");
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "files in the output folder changed for {input}"
    );
    assert!(
        before == after,
        "a previous report changed after the failed run of {input}"
    );
    assert!(
        !after.keys().any(|k| k.ends_with(".tmp")),
        "temp file left behind: {after:?}"
    );

    let checked = case.check(&[input], &[]);
    assert_eq!(checked.code, 2, "check exit code: {}", checked.stdout);
    assert!(!checked.stdout.contains("panicked") && !checked.stderr.contains("panicked"));
    for fragment in expected {
        assert!(
            checked.stdout.contains(fragment),
            "check output lacks {fragment:?}: {}",
            checked.stdout
        );
    }
    bad.stderr
}

/// Run a workbook that must be read; returns the JSON report.
pub(crate) fn assert_read(input: &str, bytes: &[u8], config: Option<&str>) -> serde_json::Value {
    let case = Case::new();
    if let Some(toml) = config {
        case.write("kpi-report.toml", toml);
    }
    case.write(input, bytes);
    let (run, json) = case.run_json(input, "out", &[]);
    assert!(
        run.code == 0 || run.code == 1,
        "{input} was not read (exit {}): {}",
        run.code,
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"));
    json
}

// ---------------------------------------------------------------------------------------
// Writing workbooks by hand: every part of a minimal xlsx, so tests control each cell

#[derive(Clone, Debug)]
pub(crate) enum C {
    Text(String),
    Num(f64),
    /// A formula without a saved value.
    Formula(String),
    /// An error value such as `#DIV/0!`.
    Error(String),
    Blank,
}

pub(crate) fn t(text: &str) -> C {
    C::Text(text.to_string())
}

pub(crate) fn num(value: f64) -> C {
    C::Num(value)
}

fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[derive(Clone)]
pub(crate) struct Sheet {
    name: String,
    hidden: bool,
    cells: Vec<(u32, u32, C)>,
    merges: Vec<String>,
}

impl Sheet {
    /// A sheet from rows of cells starting at A1.
    pub(crate) fn rows(name: &str, rows: Vec<Vec<C>>) -> Sheet {
        let cells = rows
            .into_iter()
            .enumerate()
            .flat_map(|(r, row)| {
                row.into_iter()
                    .enumerate()
                    .map(move |(c, cell)| (r as u32, c as u32, cell))
            })
            .collect();
        Sheet {
            name: name.to_string(),
            hidden: false,
            cells,
            merges: Vec::new(),
        }
    }

    pub(crate) fn with(mut self, row: u32, col: u32, cell: C) -> Sheet {
        self.cells.retain(|(r, c, _)| (*r, *c) != (row, col));
        self.cells.push((row, col, cell));
        self
    }

    fn hidden(mut self) -> Sheet {
        self.hidden = true;
        self
    }

    fn merge(mut self, area: &str) -> Sheet {
        self.merges.push(area.to_string());
        self
    }

    pub(crate) fn xml(&self) -> String {
        let mut cells = self.cells.clone();
        cells.sort_by_key(|(r, c, _)| (*r, *c));
        let mut xml = String::from(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
        );
        let mut current: Option<u32> = None;
        for (row, col, cell) in &cells {
            if current != Some(*row) {
                if current.is_some() {
                    xml.push_str("</row>");
                }
                xml.push_str(&format!(r#"<row r="{}">"#, row + 1));
                current = Some(*row);
            }
            let r = format!("{}{}", column_letters(*col), row + 1);
            xml.push_str(&match cell {
                C::Text(s) => {
                    format!(
                        r#"<c r="{r}" t="inlineStr"><is><t>{}</t></is></c>"#,
                        escape(s)
                    )
                }
                C::Num(v) => format!(r#"<c r="{r}"><v>{v}</v></c>"#),
                C::Formula(f) => format!(r#"<c r="{r}"><f>{}</f></c>"#, escape(f)),
                C::Error(e) => format!(r#"<c r="{r}" t="e"><v>{}</v></c>"#, escape(e)),
                C::Blank => format!(r#"<c r="{r}"/>"#),
            });
        }
        if current.is_some() {
            xml.push_str("</row>");
        }
        xml.push_str("</sheetData>");
        if !self.merges.is_empty() {
            xml.push_str(&format!(r#"<mergeCells count="{}">"#, self.merges.len()));
            for area in &self.merges {
                xml.push_str(&format!(r#"<mergeCell ref="{area}"/>"#));
            }
            xml.push_str("</mergeCells>");
        }
        xml.push_str("</worksheet>");
        xml
    }
}

/// The parts of a minimal xlsx, with the sheets' XML given; `shared_strings` is added as
/// `xl/sharedStrings.xml` when present.
pub(crate) fn xlsx_parts(
    sheets: &[(String, bool, String)],
    shared_strings: Option<&str>,
) -> Vec<(String, Vec<u8>)> {
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
    );
    let mut workbook = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    let mut parts = Vec::new();
    for (i, (name, hidden, xml)) in sheets.iter().enumerate() {
        let n = i + 1;
        types.push_str(&format!(r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#));
        let state = if *hidden { r#" state="hidden""# } else { "" };
        workbook.push_str(&format!(
            r#"<sheet name="{}" sheetId="{n}"{state} r:id="rId{n}"/>"#,
            escape(name)
        ));
        rels.push_str(&format!(r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#));
        parts.push((
            format!("xl/worksheets/sheet{n}.xml"),
            xml.clone().into_bytes(),
        ));
    }
    if let Some(sst) = shared_strings {
        types.push_str(r#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#);
        rels.push_str(r#"<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#);
        parts.push(("xl/sharedStrings.xml".to_string(), sst.as_bytes().to_vec()));
    }
    types.push_str("</Types>");
    workbook.push_str("</sheets></workbook>");
    rels.push_str("</Relationships>");
    let mut all = vec![
        ("[Content_Types].xml".to_string(), types.into_bytes()),
        (
            "_rels/.rels".to_string(),
            br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_vec(),
        ),
        ("xl/workbook.xml".to_string(), workbook.into_bytes()),
        ("xl/_rels/workbook.xml.rels".to_string(), rels.into_bytes()),
    ];
    all.extend(parts);
    all
}

pub(crate) fn zip_deflated(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        writer.start_file(name.as_str(), options).unwrap();
        writer.write_all(data).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

pub(crate) fn xlsx(sheets: &[Sheet]) -> Vec<u8> {
    let sheets: Vec<(String, bool, String)> = sheets
        .iter()
        .map(|s| (s.name.clone(), s.hidden, s.xml()))
        .collect();
    zip_deflated(&xlsx_parts(&sheets, None))
}

pub(crate) fn kgi_sheet() -> Sheet {
    Sheet::rows(
        "KGI",
        vec![
            vec![t("ID"), t("Name"), t("Target"), t("Deadline")],
            vec![t("G1"), t("Annual sales"), num(100_000.0), t("2027-03-31")],
        ],
    )
}

pub(crate) fn kpi_sheet() -> Sheet {
    Sheet::rows(
        "KPI",
        vec![
            vec![t("ID"), t("Parent"), t("Name"), t("Target"), t("Actual")],
            vec![
                t("K1"),
                t("G1"),
                t("Repeat sales"),
                num(60_000.0),
                num(30_000.0),
            ],
            vec![
                t("K2"),
                t("G1"),
                t("New sales"),
                num(40_000.0),
                num(10_000.0),
            ],
        ],
    )
}

/// A small valid workbook, to make broken variants of.
pub(crate) fn goal_set(kpi: Sheet) -> Vec<u8> {
    xlsx(&[kgi_sheet(), kpi])
}

// ---------------------------------------------------------------------------------------
// Crafting containers: raw zips (with lying sizes) and compound files

struct RawEntry {
    name: String,
    method: u16,
    data: Vec<u8>,
    crc: u32,
    declared_size: u32,
}

impl RawEntry {
    fn stored(name: &str, data: &[u8]) -> RawEntry {
        RawEntry {
            name: name.to_string(),
            method: 0,
            data: data.to_vec(),
            crc: crc32fast::hash(data),
            declared_size: data.len() as u32,
        }
    }
}

/// A zip written field by field, so declared sizes can say anything.
fn raw_zip(entries: &[RawEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let header = |sig: u32, central_dir: bool| {
            let mut h = sig.to_le_bytes().to_vec();
            if central_dir {
                h.extend_from_slice(&20u16.to_le_bytes());
            }
            h.extend_from_slice(&20u16.to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            h.extend_from_slice(&e.method.to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            h.extend_from_slice(&0x21u16.to_le_bytes());
            h.extend_from_slice(&e.crc.to_le_bytes());
            h.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
            h.extend_from_slice(&e.declared_size.to_le_bytes());
            h.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            if central_dir {
                h.extend_from_slice(&[0u8; 6]);
                h.extend_from_slice(&0u32.to_le_bytes());
                h.extend_from_slice(&offset.to_le_bytes());
            }
            h.extend_from_slice(e.name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend_from_slice(&e.data);
        central.extend(header(0x0201_4b50, true));
    }
    let central_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0u8; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A raw deflate stream of `prefix`, `megabytes` MiB of spaces and `suffix`, built by
/// repeating one compressed block: a few kilobytes per gigabyte.
fn deflate_bomb(prefix: &[u8], megabytes: usize, suffix: &[u8]) -> (Vec<u8>, u64) {
    use flate2::{Compress, Compression, FlushCompress};
    let mut compress = Compress::new(Compression::best(), false);
    let mut run = |input: &[u8], flush: FlushCompress| {
        let mut out = Vec::with_capacity(input.len() / 100 + 1024);
        let before = compress.total_in();
        loop {
            let consumed = (compress.total_in() - before) as usize;
            compress
                .compress_vec(&input[consumed..], &mut out, flush)
                .expect("deflate");
            let consumed = (compress.total_in() - before) as usize;
            if consumed == input.len() && out.len() < out.capacity() {
                break;
            }
            out.reserve(64 * 1024);
        }
        out
    };
    let mut stream = run(prefix, FlushCompress::Sync);
    let spaces = vec![b' '; 1024 * 1024];
    let block = run(&spaces, FlushCompress::Sync);
    for _ in 0..megabytes {
        stream.extend_from_slice(&block);
    }
    stream.extend(run(suffix, FlushCompress::Finish));
    let size = (prefix.len() + megabytes * spaces.len() + suffix.len()) as u64;
    (stream, size)
}

/// An xlsx whose KPI sheet is a bomb declaring `declared_size` bytes (its real size when
/// `None`).
fn bomb_xlsx(megabytes: usize, declared_size: Option<u32>) -> Vec<u8> {
    let kpi = kpi_sheet().xml();
    let (head, tail) = kpi.split_at(kpi.find("</sheetData>").unwrap());
    let (stream, size) = deflate_bomb(head.as_bytes(), megabytes, tail.as_bytes());
    let sheets = vec![
        ("KGI".to_string(), false, kgi_sheet().xml()),
        ("KPI".to_string(), false, String::new()),
    ];
    let mut entries: Vec<RawEntry> = xlsx_parts(&sheets, None)
        .into_iter()
        .filter(|(name, _)| name != "xl/worksheets/sheet2.xml")
        .map(|(name, data)| RawEntry::stored(&name, &data))
        .collect();
    entries.push(RawEntry {
        name: "xl/worksheets/sheet2.xml".to_string(),
        method: 8,
        data: stream,
        crc: 0,
        declared_size: declared_size.unwrap_or(size as u32),
    });
    raw_zip(&entries)
}

/// A compound file (512-byte sectors) holding the given streams, each padded to 4 KiB so it
/// lives in regular sectors. `fat_patch` may overwrite FAT entries to corrupt chains.
fn compound_file(streams: &[(&str, Vec<u8>)], fat_patch: &[(usize, u32)]) -> Vec<u8> {
    const END: u32 = 0xFFFF_FFFE;
    const FREE: u32 = 0xFFFF_FFFF;
    assert!(streams.len() <= 3);
    let padded: Vec<Vec<u8>> = streams
        .iter()
        .map(|(_, data)| {
            let mut d = data.clone();
            let len = d.len().max(4096).div_ceil(512) * 512;
            d.resize(len, 0);
            d
        })
        .collect();
    let data_sectors: usize = padded.iter().map(|d| d.len() / 512).sum();
    let mut fat_sectors = 1;
    while fat_sectors * 128 < fat_sectors + 1 + data_sectors {
        fat_sectors += 1;
    }
    assert!(fat_sectors <= 109);
    let dir_sector = fat_sectors;
    let mut fat = vec![FREE; fat_sectors * 128];
    for entry in fat.iter_mut().take(fat_sectors) {
        *entry = 0xFFFF_FFFD;
    }
    fat[dir_sector] = END;
    let mut next = dir_sector + 1;
    let mut starts = Vec::new();
    for d in &padded {
        let n = d.len() / 512;
        starts.push(next as u32);
        for i in 0..n {
            fat[next + i] = if i + 1 == n {
                END
            } else {
                (next + i + 1) as u32
            };
        }
        next += n;
    }
    for (index, value) in fat_patch {
        fat[*index] = *value;
    }
    let mut header = vec![0u8; 512];
    header[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    header[24..26].copy_from_slice(&0x3Eu16.to_le_bytes());
    header[26..28].copy_from_slice(&3u16.to_le_bytes());
    header[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes());
    header[30..32].copy_from_slice(&9u16.to_le_bytes());
    header[32..34].copy_from_slice(&6u16.to_le_bytes());
    header[44..48].copy_from_slice(&(fat_sectors as u32).to_le_bytes());
    header[48..52].copy_from_slice(&(dir_sector as u32).to_le_bytes());
    header[56..60].copy_from_slice(&4096u32.to_le_bytes());
    header[60..64].copy_from_slice(&END.to_le_bytes());
    header[68..72].copy_from_slice(&END.to_le_bytes());
    for (i, slot) in header[76..512].chunks_exact_mut(4).enumerate() {
        let id = if i < fat_sectors { i as u32 } else { FREE };
        slot.copy_from_slice(&id.to_le_bytes());
    }
    let entry = |name: &str, kind: u8, start: u32, size: u32, right: u32, child: u32| {
        let mut e = vec![0u8; 128];
        let units: Vec<u16> = name.encode_utf16().collect();
        for (i, u) in units.iter().enumerate() {
            e[i * 2..i * 2 + 2].copy_from_slice(&u.to_le_bytes());
        }
        e[64..66].copy_from_slice(&(((units.len() + 1) * 2) as u16).to_le_bytes());
        e[66] = kind;
        e[67] = 1;
        e[68..72].copy_from_slice(&FREE.to_le_bytes());
        e[72..76].copy_from_slice(&right.to_le_bytes());
        e[76..80].copy_from_slice(&child.to_le_bytes());
        e[116..120].copy_from_slice(&start.to_le_bytes());
        e[120..124].copy_from_slice(&size.to_le_bytes());
        e
    };
    let mut directory = entry("Root Entry", 5, END, 0, FREE, 1);
    for (i, (name, data)) in streams.iter().enumerate() {
        let right = if i + 1 < streams.len() {
            (i + 2) as u32
        } else {
            FREE
        };
        let size = data.len().max(4096) as u32;
        directory.extend(entry(name, 2, starts[i], size, right, FREE));
    }
    directory.resize(512, 0);
    let mut out = header;
    for value in fat {
        out.extend_from_slice(&value.to_le_bytes());
    }
    out.extend(directory);
    for d in padded {
        out.extend(d);
    }
    out
}

fn biff_record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut out = typ.to_le_bytes().to_vec();
    out.extend_from_slice(&(data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
    out
}

/// A BIFF8 workbook stream with one sheet named `KPI` holding the given records.
fn xls_workbook_stream(sheet_records: &[Vec<u8>]) -> Vec<u8> {
    let bof = |kind: u16| {
        let mut data = 0x0600u16.to_le_bytes().to_vec();
        data.extend_from_slice(&kind.to_le_bytes());
        data.extend_from_slice(&[0u8; 12]);
        biff_record(0x0809, &data)
    };
    let bound_sheet = |pos: u32| {
        let mut data = pos.to_le_bytes().to_vec();
        data.extend_from_slice(&[0, 0, 3, 0]);
        data.extend_from_slice(b"KPI");
        biff_record(0x0085, &data)
    };
    let globals_len = bof(5).len() + bound_sheet(0).len() + biff_record(0x000A, &[]).len();
    let mut stream = bof(5);
    stream.extend(bound_sheet(globals_len as u32));
    stream.extend(biff_record(0x000A, &[]));
    stream.extend(bof(0x0010));
    for r in sheet_records {
        stream.extend_from_slice(r);
    }
    stream.extend(biff_record(0x000A, &[]));
    stream
}

fn xls_number(row: u16, col: u16, value: f64) -> Vec<u8> {
    let mut data = row.to_le_bytes().to_vec();
    data.extend_from_slice(&col.to_le_bytes());
    data.extend_from_slice(&0u16.to_le_bytes());
    data.extend_from_slice(&value.to_le_bytes());
    biff_record(0x0203, &data)
}

// ---------------------------------------------------------------------------------------
// Not a workbook at all

#[test]
fn text_file_named_xlsx_is_read_as_the_csv_it_is() {
    // The format is told from the content: this is a CSV, and it lacks the target column
    // (v2: without an id column the name is the id).
    assert_refused(
        "kpis.xlsx",
        b"Name,Owner\nSales,Ann\n",
        None,
        &["error E07", "required column(s) Target"],
    );
}

#[test]
fn html_saved_as_xls() {
    assert_refused(
        "export.xls",
        b"<html><body><table><tr><td>ID</td></tr></table></body></html>",
        None,
        &["error E07", "HTML"],
    );
}

#[test]
fn word_document_named_xlsx() {
    let docx = zip_deflated(&[
        ("[Content_Types].xml".to_string(), b"<Types/>".to_vec()),
        ("word/document.xml".to_string(), b"<w:document/>".to_vec()),
    ]);
    assert_refused("goals.xlsx", &docx, None, &["error E07", "Word document"]);
}

#[test]
fn zero_byte_file() {
    assert_refused("empty.xlsx", b"", None, &["error E07", "empty (0 bytes)"]);
}

// ---------------------------------------------------------------------------------------
// Damaged files

#[test]
fn truncated_zip() {
    let bytes = sample_en();
    for keep in [bytes.len() / 2, bytes.len() - 30, 100] {
        assert_refused(
            "sales.xlsx",
            &bytes[..keep],
            None,
            &["error E07", "truncated or corrupt zip"],
        );
    }
}

#[test]
fn corrupt_sheet_data_inside_the_zip() {
    let mut bytes = sample_en();
    let (start, len) = {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).unwrap();
        let entry = archive.by_name("xl/worksheets/sheet2.xml").unwrap();
        (
            entry.data_start().unwrap() as usize,
            entry.compressed_size() as usize,
        )
    };
    for b in &mut bytes[start + len / 3..start + len / 3 + 40] {
        *b ^= 0x5A;
    }
    // The second sheet is the KPI sheet: its data cannot be inflated or fails its checksum.
    assert_refused("sales.xlsx", &bytes, None, &["KPI", "error E07", "damaged"]);
}

#[test]
fn workbook_with_no_sheets() {
    let parts = xlsx_parts(&[], None);
    assert_refused(
        "blank.xlsx",
        &zip_deflated(&parts),
        None,
        &["error E07", "no sheets"],
    );
}

// ---------------------------------------------------------------------------------------
// Encrypted

/// The container Excel writes for a password-protected xlsx: a compound file with the
/// encryption descriptor and the encrypted package (contents stand-ins).
fn encrypted_ooxml() -> Vec<u8> {
    let mut info = vec![4, 0, 4, 0, 0x40, 0, 0, 0];
    info.extend_from_slice(br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><encryption xmlns="http://schemas.microsoft.com/office/2006/encryption"><keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512"/></encryption>"#);
    let package: Vec<u8> = (0..6000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    compound_file(
        &[("EncryptionInfo", info), ("EncryptedPackage", package)],
        &[],
    )
}

#[test]
fn encrypted_xlsx() {
    assert_refused(
        "secret.xlsx",
        &encrypted_ooxml(),
        None,
        &["error E07", "password-protected"],
    );
}

#[test]
fn encrypted_xls_and_ods_saved_by_libreoffice() {
    for (name, fixture_name) in [
        ("secret.xls", "encrypted.xls"),
        ("secret.ods", "encrypted.ods"),
    ] {
        assert_refused(
            name,
            &fixture(fixture_name),
            None,
            &["error E07", "password-protected"],
        );
    }
}

// ---------------------------------------------------------------------------------------
// Sheets and columns

#[test]
fn missing_sheets() {
    let notes = Sheet::rows("Notes", vec![vec![t("nothing here")]]);
    let stderr = assert_refused(
        "sales.xlsx",
        &xlsx(&[notes]),
        None,
        &[
            "error E07",
            "no goal sheet",
            "\"Notes\"",
            "names.sheets.kpi",
        ],
    );
    assert!(
        stderr.contains("KGI一覧") && stderr.contains("KPI一覧"),
        "accepted names listed: {stderr}"
    );
}

#[test]
fn missing_columns() {
    let kpi = Sheet::rows(
        "KPI",
        vec![
            vec![t("ID"), t("Name"), t("Owner")],
            vec![t("K1"), t("Repeat sales"), t("Sato")],
        ],
    );
    assert_refused(
        "sales.xlsx",
        &goal_set(kpi),
        None,
        &[
            "sales.xlsx:KPI: error E07",
            "column(s) Target not",
            "目標値",
            "Budget",
        ],
    );
}

#[test]
fn duplicate_header_names() {
    let kpi = kpi_sheet()
        .with(0, 5, t("目標値（円）"))
        .with(1, 5, num(1.0));
    assert_refused(
        "sales.xlsx",
        &goal_set(kpi),
        None,
        &[
            "sales.xlsx:KPI!F1: error E07",
            "two columns are both Target (KPI!D1 and KPI!F1)",
        ],
    );
}

#[test]
fn every_column_holding_the_wrong_type() {
    let header = [
        "ID",
        "Parent",
        "Name",
        "Target",
        "Actual",
        "Measured",
        "Baseline",
        "Unit",
        "Direction",
        "Start",
        "Deadline",
        "Owner",
        "Frequency",
        "Weight",
        "Rollup",
        "Type",
    ];
    let wrong = vec![
        t("K1"),
        t("G1"),
        t("Repeat sales"),
        t("sixty thousand"),
        t("n/a"),
        t("last week"),
        t("about 5"),
        t("円"),
        t("sideways"),
        t("someday"),
        t("2027-02-30"),
        t("Sato"),
        t("now and then"),
        t("heavy"),
        t("average"),
        t("KXI"),
    ];
    let kpi = Sheet::rows("KPI", vec![header.iter().map(|h| t(h)).collect(), wrong]);
    let stderr = assert_refused("sales.xlsx", &goal_set(kpi), None, &["error E04"]);
    for (cell, raw) in [
        ("KPI!D2", "sixty thousand"),
        ("KPI!E2", "n/a"),
        ("KPI!F2", "last week"),
        ("KPI!G2", "about 5"),
        ("KPI!I2", "sideways"),
        ("KPI!J2", "someday"),
        ("KPI!K2", "2027-02-30"),
        ("KPI!M2", "now and then"),
        ("KPI!N2", "heavy"),
        ("KPI!O2", "average"),
        ("KPI!P2", "KXI"),
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with(&format!("sales.xlsx:{cell}: error E04")) && l.contains(raw)),
            "no finding for {cell} showing {raw:?}: {stderr}"
        );
    }
}

#[test]
fn formula_cells_without_saved_values() {
    let kpi = kpi_sheet()
        .with(1, 3, C::Formula("SUM(H2:H9)".to_string()))
        .with(2, 4, C::Formula("D3*0.25".to_string()));
    assert_refused(
        "sales.xlsx",
        &goal_set(kpi),
        None,
        &[
            "sales.xlsx:KPI!D2: error E04: formula \"=SUM(H2:H9)\" has no saved value",
            "sales.xlsx:KPI!E3: error E04: formula \"=D3*0.25\"",
            "recalculate",
        ],
    );
    assert!(!stderr_has_missing_target_elsewhere(&goal_set(
        kpi_sheet().with(1, 3, C::Formula("SUM(H2:H9)".to_string()))
    )));
}

/// A cell that cannot be read is reported once, at its own cell, not again as "missing"
/// (nor as a metric without a target, W19).
fn stderr_has_missing_target_elsewhere(bytes: &[u8]) -> bool {
    let case = Case::new();
    case.write("once.xlsx", bytes);
    let stdout = case.check(&["once.xlsx"], &[]).stdout;
    stdout.contains("missing target") || stdout.contains("W19")
}

#[test]
fn error_cells() {
    let kpi = kpi_sheet()
        .with(1, 3, C::Error("#DIV/0!".to_string()))
        .with(2, 4, C::Error("#N/A".to_string()));
    assert_refused(
        "sales.xlsx",
        &goal_set(kpi),
        None,
        &[
            "sales.xlsx:KPI!D2: error E04: the cell holds the error value #DIV/0!",
            "sales.xlsx:KPI!E3: error E04: the cell holds the error value #N/A",
        ],
    );
}

#[test]
fn merged_cells_inside_the_data() {
    // The parent and the target of K2 were merged with K1's: only the first cell keeps a value.
    let kpi = kpi_sheet()
        .with(2, 1, C::Blank)
        .with(2, 3, C::Blank)
        .merge("B2:B3")
        .merge("D2:D3");
    assert_refused(
        "sales.xlsx",
        &goal_set(kpi),
        None,
        &[
            "sales.xlsx:KPI!D3: error E04: Target is empty: the cell is inside the merged cells D2:D3",
            "sales.xlsx:KPI!B3: error E04: Parent is empty: the cell is inside the merged cells B2:B3",
            "unmerge",
        ],
    );
}

#[test]
fn merged_title_cells_above_the_header_are_fine() {
    let kgi = Sheet::rows(
        "KGI",
        vec![
            vec![t("FY2026 goals"), C::Blank, C::Blank],
            vec![t("ID"), t("Name"), t("Target")],
            vec![t("G1"), t("Annual sales"), num(100_000.0)],
        ],
    )
    .merge("A1:C1");
    let json = assert_read("merged.xlsx", &xlsx(&[kgi, kpi_sheet()]), None);
    assert_eq!(json["metrics"].as_array().map(Vec::len), Some(3));
}

#[test]
fn hidden_sheets_are_read() {
    let json = assert_read(
        "hidden.xlsx",
        &xlsx(&[kgi_sheet().hidden(), kpi_sheet()]),
        None,
    );
    assert_eq!(json["metrics"][0]["id"], "G1");
}

#[test]
fn a_visible_sheet_wins_over_a_hidden_one_of_the_same_role() {
    let stale = Sheet::rows("KPI", vec![vec![t("old copy")]]).hidden();
    let mut current = kpi_sheet();
    current.name = "指標".to_string();
    let json = assert_read("two.xlsx", &xlsx(&[kgi_sheet(), stale, current]), None);
    assert_eq!(json["metrics"].as_array().map(Vec::len), Some(3));
}

// ---------------------------------------------------------------------------------------
// Too large: refused with a configurable limit, before memory runs out

#[test]
fn data_beyond_max_rows() {
    let kpi = kpi_sheet().with(1_000_000, 0, t("K9"));
    assert_refused(
        "sales.xlsx",
        &goal_set(kpi),
        None,
        &[
            "sales.xlsx:KPI!A1000001: error E07",
            "data in row 1000001",
            "max_rows = 1000000",
            "[limits]",
        ],
    );
}

#[test]
fn a_lower_max_rows_from_the_config() {
    let mut rows = vec![vec![t("ID"), t("Parent"), t("Name"), t("Target")]];
    for i in 0..600 {
        rows.push(vec![t(&format!("K{i}")), t("G1"), t("x"), num(1.0)]);
    }
    assert_refused(
        "sales.xlsx",
        &goal_set(Sheet::rows("KPI", rows)),
        Some("[limits]\nmax_rows = 500\n"),
        &["sales.xlsx:KPI!A501: error E07", "max_rows = 500"],
    );
}

#[test]
fn far_apart_cells() {
    // A1 and XFD1048576: a dense range would be 17 billion cells.
    let kpi = kpi_sheet().with(1_048_575, 16_383, num(1.0));
    assert_refused(
        "sales.xlsx",
        &goal_set(kpi.clone()),
        None,
        &["sales.xlsx:KPI!XFD1048576: error E07", "max_rows"],
    );
    // With the limits raised to the whole grid the two cells are read as two cells.
    let json = assert_read(
        "far.xlsx",
        &goal_set(kpi),
        Some("[limits]\nmax_rows = 1048576\nmax_columns = 16384\n"),
    );
    assert_eq!(json["metrics"].as_array().map(Vec::len), Some(3));
}

#[test]
fn zip_bomb() {
    // About 4 MB that inflates to 3.7 GB, sizes declared honestly.
    let bomb = bomb_xlsx(3_700, None);
    assert!(bomb.len() < 8 * 1024 * 1024, "{}", bomb.len());
    assert_refused(
        "bomb.xlsx",
        &bomb,
        None,
        &[
            "error E07",
            "xl/worksheets/sheet2.xml would inflate from",
            "to 3700 MB",
            "zip bomb",
        ],
    );
}

#[test]
fn zip_bomb_lying_about_its_size() {
    // Declares 20 MB, inflates to 1 GB: the zip reader stops at the declared size.
    let bomb = bomb_xlsx(1_000, Some(20 * 1024 * 1024));
    assert_refused(
        "bomb.xlsx",
        &bomb,
        None,
        &[
            "bomb.xlsx:KPI: error E07",
            "damaged",
            "larger than its declared",
        ],
    );
}

#[test]
fn declared_shared_strings_count_the_file_cannot_hold() {
    let sst = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2000000000" uniqueCount="2000000000"><si><t>ID</t></si></sst>"#;
    let sheets = vec![
        ("KGI".to_string(), false, kgi_sheet().xml()),
        ("KPI".to_string(), false, kpi_sheet().xml()),
    ];
    let bytes = zip_deflated(&xlsx_parts(&sheets, Some(sst)));
    assert_refused(
        "sales.xlsx",
        &bytes,
        None,
        &["error E07", "declares 2000000000 shared strings"],
    );
}

#[test]
fn shared_strings_beyond_max_cells() {
    let mut sst = String::from(r#"<sst count="5000" uniqueCount="5000">"#);
    for i in 0..5000 {
        sst.push_str(&format!("<si><t>text {i}</t></si>"));
    }
    sst.push_str("</sst>");
    let sheets = vec![
        ("KGI".to_string(), false, kgi_sheet().xml()),
        ("KPI".to_string(), false, kpi_sheet().xml()),
    ];
    let bytes = zip_deflated(&xlsx_parts(&sheets, Some(&sst)));
    assert_refused(
        "sales.xlsx",
        &bytes,
        Some("[limits]\nmax_cells = 1000\n"),
        &[
            "error E07",
            "declares 5000 shared strings",
            "max_cells = 1000",
        ],
    );
}

#[test]
fn ods_repeats_that_expand_beyond_max_cells() {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:body><office:spreadsheet>
<table:table table:name="KPI"><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table>
</office:spreadsheet></office:body></office:document-content>"#;
    let mut entries = vec![RawEntry::stored(
        "mimetype",
        b"application/vnd.oasis.opendocument.spreadsheet",
    )];
    entries.push(RawEntry::stored("content.xml", content.as_bytes()));
    assert_refused(
        "sales.ods",
        &raw_zip(&entries),
        None,
        &["error E07", ".ods sheets expand", "max_cells"],
    );
}

#[test]
fn xls_declaring_more_rows_than_an_xls_holds() {
    let mut dims = 0u32.to_le_bytes().to_vec();
    dims.extend_from_slice(&4_000_000_000u32.to_le_bytes());
    dims.extend_from_slice(&[0, 0, 0xFF, 0, 0, 0]);
    let stream = xls_workbook_stream(&[biff_record(0x0200, &dims), xls_number(0, 0, 1.0)]);
    assert_refused(
        "old.xls",
        &compound_file(&[("Workbook", stream)], &[]),
        None,
        &["error E07", "damaged", "more than an .xls sheet holds"],
    );
}

#[test]
fn xls_with_far_apart_cells() {
    let stream = xls_workbook_stream(&[xls_number(0, 0, 1.0), xls_number(65_535, 255, 2.0)]);
    assert_refused(
        "old.xls",
        &compound_file(&[("Workbook", stream)], &[]),
        Some("[limits]\nmax_cells = 1000000\n"),
        &["error E07", ".xls sheets span more than 1000000 cells"],
    );
}

#[test]
fn xls_whose_sector_chain_loops() {
    // The directory's sector points back to itself: calamine would follow it forever.
    let stream = xls_workbook_stream(&[xls_number(0, 0, 1.0)]);
    let plain = compound_file(&[("Workbook", stream.clone())], &[]);
    let directory_sector = 1;
    let looping = compound_file(
        &[("Workbook", stream)],
        &[(directory_sector, directory_sector as u32)],
    );
    assert_ne!(plain, looping);
    assert_refused("old.xls", &looping, None, &["error E07", "loops"]);
}

// ---------------------------------------------------------------------------------------
// Workbooks made by other tools

/// A report's metrics without the fields that name the file.
fn metrics(json: &serde_json::Value) -> serde_json::Value {
    json["metrics"].clone()
}

#[test]
fn xls_and_ods_saved_by_libreoffice_read_like_the_xlsx() {
    let en = assert_read("sales-en.xlsx", &sample_en(), None);
    let ods = assert_read("sales-en.ods", &fixture("sales-en.ods"), None);
    assert_eq!(metrics(&en), metrics(&ods));
    assert_eq!(en["checks"], ods["checks"]);
    let ja_sample = std::fs::read(sample("sales-ja.xlsx")).expect("sample");
    let ja = assert_read("sales-ja.xlsx", &ja_sample, None);
    let xls = assert_read("sales-ja.xls", &fixture("sales-ja.xls"), None);
    assert_eq!(metrics(&ja), metrics(&xls));
    assert_eq!(ja["checks"], xls["checks"]);
}

// ---------------------------------------------------------------------------------------
// Many inputs, and input text that must stay text

#[test]
fn one_bad_input_does_not_stop_the_others() {
    let case = Case::new();
    case.write("in/a-good.xlsx", sample_en());
    case.write("in/b-empty.xlsx", b"");
    case.write("in/c-bomb.xlsx", bomb_xlsx(300, None));
    let run = case.run("in", "out", &["--json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("b-empty.xlsx: error E07"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("c-bomb.xlsx: error E07"),
        "{}",
        run.stderr
    );
    let out = case.contents("out");
    assert!(out.contains_key("a-good-report.json"), "{out:?}");
    assert!(!out
        .keys()
        .any(|k| k.starts_with("b-empty") || k.starts_with("c-bomb")));
}

#[test]
fn input_text_never_becomes_a_formula_markup_or_a_path() {
    let kgi = Sheet::rows(
        "KGI",
        vec![
            vec![t("ID"), t("Name"), t("Target"), t("Unit")],
            vec![
                t("../../G1"),
                t("=HYPERLINK(\"http://evil.example\",\"click\")"),
                num(100.0),
                t("<script>alert(1)</script>"),
            ],
        ],
    );
    let kpi = Sheet::rows(
        "KPI",
        vec![
            vec![t("ID"), t("Parent"), t("Name"), t("Target"), t("Owner")],
            vec![
                t("/etc/passwd"),
                t("../../G1"),
                t("@SUM(1+1)*cmd|' /C calc'!A0"),
                num(10.0),
                t("<img src=x onerror=alert(1)>"),
            ],
        ],
    );
    let case = Case::new();
    case.write("inject.xlsx", xlsx(&[kgi, kpi]));
    let run = case.run("inject.xlsx", "out", &["--json"]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    // Only the input's own report names, in the output folder, and nothing next to it.
    let out = case.contents("out");
    for name in out.keys() {
        assert!(name.starts_with("inject-"), "unexpected file {name}");
    }
    let top = case.files(".");
    assert_eq!(top.len(), 2, "{top:?}");
    // Whatever renderers exist: no input text as a formula in the workbook, no raw markup
    // in the HTML.
    if let Some(workbook) = out.get("inject-report.xlsx") {
        let mut archive = zip::ZipArchive::new(Cursor::new(workbook.as_slice())).unwrap();
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).unwrap();
            let mut xml = String::new();
            let _ = entry.read_to_string(&mut xml);
            for f in xml.split("<f>").skip(1) {
                let formula = f.split("</f>").next().unwrap_or("");
                assert!(
                    !formula.contains("HYPERLINK") && !formula.contains("cmd|"),
                    "input text became a formula: {formula}"
                );
            }
        }
    }
    if let Some(html) = out.get("inject-summary.html") {
        let html = String::from_utf8_lossy(html);
        assert!(!html.contains("<script>alert"), "raw script in the HTML");
        assert!(!html.contains("<img src=x"), "raw markup in the HTML");
    }
}

// ---------------------------------------------------------------------------------------
// Fuzzing seeds

/// Writes the small hand-made seeds of `fuzz/corpus/workbook/`:
/// `KPI_FUZZ_SEEDS=fuzz/corpus/workbook cargo test --test integration -- --ignored write_fuzz_seeds`
#[test]
#[ignore]
fn write_fuzz_seeds() {
    let Some(dir) = std::env::var_os("KPI_FUZZ_SEEDS") else {
        return;
    };
    let dir = PathBuf::from(dir);
    let kpi = kpi_sheet()
        .with(2, 3, C::Formula("SUM(D2:D2)".to_string()))
        .with(2, 4, C::Error("#DIV/0!".to_string()))
        .with(3, 0, t("K3"))
        .with(3, 1, t("G1"))
        .with(3, 2, t("６,000万円"))
        .with(3, 3, t("1億2,000万"))
        .with(4, 0, t("K4"))
        .merge("B4:B5");
    let actuals = Sheet::rows(
        "実績",
        vec![
            vec![t("ID"), t("2026-04"), t("2026年5月"), t("Jun-26")],
            vec![t("K1"), num(1.0), t("△1,000"), t("12.5%")],
        ],
    );
    let sheets: Vec<(String, bool, String)> = [kgi_sheet().hidden(), kpi, actuals]
        .iter()
        .map(|s| (s.name.clone(), s.hidden, s.xml()))
        .collect();
    let sst = r#"<sst count="2" uniqueCount="2"><si><t>ID</t></si><si><r><t>Na</t></r><r><t>me</t></r></si></sst>"#;
    let parts = xlsx_parts(&sheets, Some(sst));
    let stored: Vec<RawEntry> = parts
        .iter()
        .map(|(name, data)| RawEntry::stored(name, data))
        .collect();
    std::fs::write(dir.join("seed-handmade-stored.xlsx"), raw_zip(&stored)).unwrap();
    std::fs::write(dir.join("seed-handmade.xlsx"), zip_deflated(&parts)).unwrap();
    let stream = xls_workbook_stream(&[xls_number(0, 0, 1.0), xls_number(3, 2, 2.5)]);
    std::fs::write(
        dir.join("seed-tiny.xls"),
        compound_file(&[("Workbook", stream)], &[]),
    )
    .unwrap();
    let content = r#"<office:document-content><office:body><office:spreadsheet><table:table table:name="KGI"><table:table-row><table:table-cell office:value-type="string"><text:p>ID</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Name</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Target</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="2"><table:table-cell office:value-type="string"><text:p>G1</text:p></table:table-cell><table:table-cell table:number-columns-repeated="1"/><table:table-cell office:value-type="float" office:value="100" table:formula="of:=[.A1]"><text:p>100</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let ods = raw_zip(&[
        RawEntry::stored(
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        RawEntry::stored("content.xml", content.as_bytes()),
    ]);
    std::fs::write(dir.join("seed-tiny.ods"), ods).unwrap();
    std::fs::write(dir.join("seed-encrypted.xlsx"), encrypted_ooxml()).unwrap();

    // An .xlsb: numbers in each number record, a date, shared strings, a formula with a
    // saved value, one saved as an error, and a filled-down (PtgExp) cell saved as an error.
    let cells = |rows: &[&[&str]]| -> Vec<Vec<XlsbCell>> {
        rows.iter()
            .map(|row| row.iter().map(|c| XlsbCell::parse(c)).collect())
            .collect()
    };
    let mut kpi = cells(&[
        &["ID", "Parent", "Name", "Target", "Actual", "Measured"],
        &[
            "K1",
            "G1",
            "６,000万円",
            "sum:E2:E3=150",
            "n:1.23",
            "d:2026-04-30",
        ],
        &[
            "K2",
            "G1",
            "x",
            "sum:$E$2:$E$3=#DIV/0!",
            "n:0.125",
            "2026年4月1日",
        ],
        &["K3", "G1", "y", "", "n:1e10", ""],
    ]);
    kpi[3][3] = XlsbCell::Formula {
        rgce: vec![0x01, 1, 0, 0, 0],
        saved: Saved::Error(ERROR_DIV0),
    };
    let xlsb = [
        (
            "KGI",
            cells(&[&["ID", "Name", "Target"], &["G1", "Sales", "n:100"]]),
        ),
        ("KPI", kpi),
        (
            "実績",
            cells(&[&["ID", "2026-04", "2026年5月"], &["K1", "n:-7", "△1,000"]]),
        ),
    ];
    std::fs::write(dir.join("seed-handmade.xlsb"), xlsb_bytes(&xlsb)).unwrap();
    let stored: Vec<RawEntry> = xlsb_parts(&xlsb)
        .iter()
        .map(|(name, data)| RawEntry::stored(name, data))
        .collect();
    std::fs::write(dir.join("seed-handmade-stored.xlsb"), raw_zip(&stored)).unwrap();
}

// ---------------------------------------------------------------------------------------
// Regressions found by fuzzing (tests/fixtures/fuzz-*)

/// A compound file cut inside its allocation table: calamine asserted on the short sector
/// (a panic caught by the reader's guard); now refused as truncated before calamine runs.
#[test]
fn fuzz_truncated_allocation_table() {
    assert_refused(
        "old.xls",
        &fixture("fuzz-truncated-fat.xls"),
        None,
        &["error E07", "damaged", "truncated"],
    );
}

/// A sheet whose position points past the end of the workbook stream: calamine sliced out
/// of bounds; now refused before calamine runs.
#[test]
fn fuzz_sheet_outside_the_workbook_stream() {
    assert_refused(
        "old.xls",
        &fixture("fuzz-xls-sheet-outside-stream.xls"),
        None,
        &["error E07", "a sheet points outside the workbook stream"],
    );
}

/// Mutated .xls files on which calamine 0.38 panics (a formula's length past its record,
/// records shorter than their fields, defined names shorter than their declared lengths). The reader's guard turns each into a message; these
/// keep it that way, and show the panic text never reaches the user.
#[test]
fn fuzz_xls_parser_panics_are_reported_as_damaged() {
    for name in [
        "fuzz-xls-formula-slice.xls",
        "fuzz-xls-short-record-a.xls",
        "fuzz-xls-short-record-b.xls",
        "fuzz-xls-short-name-a.xls",
        "fuzz-xls-short-name-b.xls",
    ] {
        assert_refused(
            "old.xls",
            &fixture(name),
            None,
            &["old.xls: error E07: the workbook is damaged and cannot be read"],
        );
    }
}

// ---------------------------------------------------------------------------------------
// Inputs for measuring memory and time (README), too large to write in every test run

/// `KPI_MEASURE_DIR=/tmp/m cargo test --release --test integration -- --ignored
/// write_measurement_inputs`, then run `/usr/bin/time -v kpi-report check FILE` on each.
#[test]
#[ignore]
fn write_measurement_inputs() {
    let Some(dir) = std::env::var_os("KPI_MEASURE_DIR") else {
        return;
    };
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("bomb.xlsx"), bomb_xlsx(3_700, None)).unwrap();
    std::fs::write(
        dir.join("bomb-lying.xlsx"),
        bomb_xlsx(3_700, Some(100 * 1024 * 1024)),
    )
    .unwrap();
    let sheets = vec![
        ("KGI".to_string(), false, kgi_sheet().xml()),
        ("KPI".to_string(), false, kpi_sheet().xml()),
    ];
    let declared = r#"<sst count="2000000000" uniqueCount="2000000000"><si><t>ID</t></si></sst>"#;
    std::fs::write(
        dir.join("sst-declared.xlsx"),
        zip_deflated(&xlsx_parts(&sheets, Some(declared))),
    )
    .unwrap();
    // A real table of 3,000,000 distinct strings (about 90 MB of XML).
    let mut sst = String::from(r#"<sst count="3000000" uniqueCount="3000000">"#);
    for i in 0..3_000_000 {
        sst.push_str(&format!("<si><t>customer name number {i:08}</t></si>"));
    }
    sst.push_str("</sst>");
    std::fs::write(
        dir.join("sst-huge.xlsx"),
        zip_deflated(&xlsx_parts(&sheets, Some(&sst))),
    )
    .unwrap();
    drop(sst);
    // An Actuals sheet of 1,000,000 rows (header + 999,999 measurements).
    let mut actuals = String::from(
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>ID</t></is></c><c r="B1" t="inlineStr"><is><t>Date</t></is></c><c r="C1" t="inlineStr"><is><t>Value</t></is></c></row>"#,
    );
    for r in 2..=1_000_000u32 {
        let id = if r % 2 == 0 { "K1" } else { "K2" };
        let serial = 46_113 + (r % 200);
        actuals.push_str(&format!(
            r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{id}</t></is></c><c r="B{r}"><v>{serial}</v></c><c r="C{r}"><v>{}</v></c></row>"#,
            r % 997
        ));
    }
    actuals.push_str("</sheetData></worksheet>");
    let with_actuals = vec![
        sheets[0].clone(),
        sheets[1].clone(),
        ("Actuals".to_string(), false, actuals),
    ];
    std::fs::write(
        dir.join("rows-1m-actuals.xlsx"),
        zip_deflated(&xlsx_parts(&with_actuals, None)),
    )
    .unwrap();
    // A KPI sheet of 1,000,000 rows: one KGI and 999,999 KPIs.
    let mut kpi = String::from(
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>ID</t></is></c><c r="B1" t="inlineStr"><is><t>Parent</t></is></c><c r="C1" t="inlineStr"><is><t>Name</t></is></c><c r="D1" t="inlineStr"><is><t>Target</t></is></c><c r="E1" t="inlineStr"><is><t>Actual</t></is></c></row>"#,
    );
    for r in 2..=1_000_000u32 {
        kpi.push_str(&format!(
            r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>K{r}</t></is></c><c r="B{r}" t="inlineStr"><is><t>G1</t></is></c><c r="C{r}" t="inlineStr"><is><t>Metric {r}</t></is></c><c r="D{r}"><v>{}</v></c><c r="E{r}"><v>{}</v></c></row>"#,
            1000 + r % 50,
            r % 1000
        ));
    }
    kpi.push_str("</sheetData></worksheet>");
    let big_kpi = vec![sheets[0].clone(), ("KPI".to_string(), false, kpi)];
    std::fs::write(
        dir.join("rows-1m-kpis.xlsx"),
        zip_deflated(&xlsx_parts(&big_kpi, None)),
    )
    .unwrap();
    // A1 and XFD1048576 on the KPI sheet.
    std::fs::write(
        dir.join("far-apart.xlsx"),
        goal_set(kpi_sheet().with(1_048_575, 16_383, num(1.0))),
    )
    .unwrap();
}

/// A cell reference with more letters than a column number holds (`ZZZZZZZ1`): calamine
/// 0.38 multiplies past u32 (a panic in debug builds, a wrapped number in release). Either
/// way the file ends with a message.
#[test]
fn fuzz_cell_reference_overflow() {
    assert_refused(
        "sales.xlsx",
        &fixture("fuzz-xlsx-reference-overflow.xlsx"),
        None,
        &["error E07"],
    );
}
