//! CSV and TSV exports read as text: the encoding told from the bytes (a BOM, else valid
//! UTF-8, else CP932 — Windows-31J, the Shift_JIS superset Japanese Excel writes), the
//! delimiter sniffed (comma, tab, semicolon, or Excel's `sep=` line), quotes and CRLF as the
//! `csv` crate reads them, and Excel's `="0012"` codes kept as text with their leading zeros.
//!
//! Records are streamed: the file is decoded chunk by chunk, so memory holds one record at a
//! time and never the decoded file. A record's row is its line number less one, so a cell
//! found at (row, col) is reported as "line row+1, column col+1"; cells are the same
//! [`Data::String`] values a workbook reader gives for text cells, so the header search and
//! the row readers work on a CSV unchanged.

use std::io::{self, Read};

use calamine::Data;
use encoding_rs::{Decoder, DecoderResult, Encoding, SHIFT_JIS, UTF_16BE, UTF_16LE, WINDOWS_1252};

use super::grid::{GridBuilder, GridError, SheetGrid};
use super::names::NameTable;
use super::sheet::HeaderRow;
use crate::config::Limits;
pub use crate::config::TextEncoding;
use crate::contract::{Column, SheetRole};
use crate::findings::Problem;
use crate::model::Location;

/// How a text file was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    pub encoding: &'static Encoding,
    /// Bytes of a byte-order mark to skip (UTF-8's; UTF-16 decoders drop their own).
    bom: u64,
    pub delimiter: u8,
    /// The first line is Excel's `sep=;` and is not a record.
    sep_line: bool,
}

/// What went wrong reading a text file: a message and where (1-based line and column).
#[derive(Debug, Clone, PartialEq)]
pub struct CsvError {
    pub detail: String,
    pub line: Option<u64>,
    pub column: Option<u32>,
}

impl CsvError {
    fn at(detail: String, line: Option<u64>, column: Option<u32>) -> Self {
        CsvError {
            detail,
            line,
            column,
        }
    }

    /// The finding's problem and location, `name` being the file name shown.
    pub fn into_problem(self, name: &str) -> (Problem, Location) {
        let location = match (self.line, self.column) {
            (Some(line), column) => {
                Location::line(name, row_of_line(line), column.map(|c| c.saturating_sub(1)))
            }
            _ => Location::text_file(name),
        };
        (
            Problem::ExportUnreadable {
                detail: crate::text::one_line(&self.detail),
            },
            location,
        )
    }
}

fn row_of_line(line: u64) -> u32 {
    u32::try_from(line.saturating_sub(1)).unwrap_or(u32::MAX)
}

fn utf16_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.starts_with(&[0xFF, 0xFE]) {
        Some(UTF_16LE)
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        Some(UTF_16BE)
    } else {
        None
    }
}

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];
const CHUNK: usize = 64 * 1024;
/// How much of the start of the file the delimiter is sniffed from.
const SNIFF_BYTES: usize = 64 * 1024;

/// Counters gathered over the whole file in one pass, to tell the encoding.
#[derive(Default)]
struct Scan {
    head: Vec<u8>,
    /// Line of the first byte sequence that is not UTF-8.
    utf8_bad: Option<u64>,
    /// Line of the first byte sequence that is not CP932.
    cp932_bad: Option<u64>,
    /// Line of the first byte above 0x7F.
    first_high: Option<u64>,
}

/// Tell the encoding of the file and its delimiter, reading it once from `open()`.
fn detect<R: Read>(mut reader: R, wanted: TextEncoding) -> Result<Detected, CsvError> {
    let mut first = vec![0u8; 4];
    let got = read_full(&mut reader, &mut first)?;
    first.truncate(got);
    let (encoding, bom): (&'static Encoding, u64) = if let Some(encoding) = utf16_bom(&first) {
        (encoding, 0)
    } else if first.starts_with(UTF8_BOM) {
        (encoding_rs::UTF_8, 3)
    } else {
        (encoding_rs::UTF_8, 0)
    };
    let explicit = match wanted {
        TextEncoding::Auto => None,
        TextEncoding::Utf8 => Some(encoding_rs::UTF_8),
        TextEncoding::Cp932 => Some(SHIFT_JIS),
        TextEncoding::Utf16 => Some(utf16_bom(&first).unwrap_or(UTF_16LE)),
        TextEncoding::Windows1252 => Some(WINDOWS_1252),
    };
    let bom = if explicit.is_some_and(|e| e != encoding_rs::UTF_8) {
        0
    } else {
        bom
    };
    let mut scan = Scan::default();
    scan.head.extend_from_slice(&first);
    let encoding = match explicit {
        Some(e) => {
            fill_head(&mut reader, &mut scan.head)?;
            e
        }
        None if encoding != encoding_rs::UTF_8 || bom == 3 => {
            fill_head(&mut reader, &mut scan.head)?;
            encoding
        }
        None => {
            let cp932 = scan_all(&mut reader, &mut scan)?;
            choose(&scan, &cp932)?
        }
    };
    let head = decode_head(encoding, &scan.head, bom);
    let (delimiter, sep_line) = sniff_delimiter(&head);
    Ok(Detected {
        encoding,
        bom,
        delimiter,
        sep_line,
    })
}

fn read_full<R: Read>(reader: &mut R, buf: &mut [u8]) -> Result<usize, CsvError> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io_error(&e)),
        }
    }
    Ok(filled)
}

fn io_error(e: &io::Error) -> CsvError {
    CsvError::at(format!("cannot read the file: {e}"), None, None)
}

fn fill_head<R: Read>(reader: &mut R, head: &mut Vec<u8>) -> Result<(), CsvError> {
    let start = head.len();
    head.resize(SNIFF_BYTES.max(start), 0);
    let got = read_full(reader, &mut head[start..])?;
    head.truncate(start + got);
    Ok(())
}

/// Once the file is known not to be UTF-8, how much of it is enough to tell CP932 from
/// Western text; the rest is checked as it is decoded (an error there names its line).
const EVIDENCE_BYTES: u64 = 4 * 1024 * 1024;

/// Read the file, checking it as UTF-8 and as CP932 and counting what tells Western text
/// from Japanese; stops early once it is not UTF-8 and enough has been seen.
fn scan_all<R: Read>(reader: &mut R, scan: &mut Scan) -> Result<Cp932Check, CsvError> {
    let mut line: u64 = 1;
    let mut cp932 = Cp932Check::default();
    let mut buf = vec![0u8; CHUNK];
    let mut pending = std::mem::take(&mut scan.head);
    // Bytes of a UTF-8 character cut by the end of the previous chunk.
    let mut carry: Vec<u8> = Vec::new();
    let mut scanned: u64 = 0;
    loop {
        let data: &[u8] = if !pending.is_empty() {
            &pending
        } else {
            let n = read_full(reader, &mut buf)?;
            if n == 0 {
                break;
            }
            &buf[..n]
        };
        let room = SNIFF_BYTES.saturating_sub(scan.head.len());
        scan.head.extend_from_slice(&data[..data.len().min(room)]);
        if scan.utf8_bad.is_none() {
            let mut joined;
            let text: &[u8] = if carry.is_empty() {
                data
            } else {
                joined = std::mem::take(&mut carry);
                joined.extend_from_slice(data);
                &joined
            };
            if let Err(e) = std::str::from_utf8(text) {
                let cut = e.valid_up_to();
                if e.error_len().is_none() && text.len() - cut < 4 {
                    carry = text[cut..].to_vec();
                } else {
                    let before = text[..cut].iter().filter(|b| **b == b'\n').count() as u64;
                    scan.utf8_bad = Some(line + before);
                }
            }
        }
        for &b in data {
            if b >= 0x80 && scan.first_high.is_none() {
                scan.first_high = Some(line);
            }
            if scan.cp932_bad.is_none() && !cp932.push(b) {
                scan.cp932_bad = Some(line);
            }
            if b == b'\n' {
                line += 1;
            }
        }
        scanned += data.len() as u64;
        pending = Vec::new();
        if scan.utf8_bad.is_some() && scanned >= EVIDENCE_BYTES {
            return Ok(cp932);
        }
    }
    if scan.utf8_bad.is_none() && !carry.is_empty() {
        scan.utf8_bad = Some(line);
    }
    if scan.cp932_bad.is_none() && !cp932.finish() {
        scan.cp932_bad = Some(line);
    }
    Ok(cp932)
}

/// Valid UTF-8, else plausible CP932, else an error naming the first line neither reads.
///
/// Japanese text is mostly kana, symbols and common kanji, whose CP932 lead bytes are
/// 0x81–0x9F. Western text read as CP932 starts most of its characters with 0xE0–0xFC
/// (é, ü, à…, which lead only rare kanji, extensions and user-defined characters): when those
/// outnumber the common ones, the file is taken for Windows-1252 and refused, not misread.
fn choose(scan: &Scan, cp932: &Cp932Check) -> Result<&'static Encoding, CsvError> {
    if scan.utf8_bad.is_none() {
        return Ok(encoding_rs::UTF_8);
    }
    let western = cp932.rare > cp932.common;
    match scan.cp932_bad {
        None if !western => Ok(SHIFT_JIS),
        _ if western => Err(CsvError::at(
            "the file is neither UTF-8 nor CP932 (Shift_JIS): its accented letters look like \
             Windows-1252 (Western European) text; save it as \"CSV UTF-8\", or set \
             encoding = \"windows-1252\" for this source"
                .to_string(),
            scan.first_high,
            None,
        )),
        bad => Err(CsvError::at(
            "the file is neither UTF-8 nor CP932 (Shift_JIS): a byte sequence here decodes in \
             neither; save it as \"CSV UTF-8\""
                .to_string(),
            bad.or(scan.utf8_bad),
            None,
        )),
    }
}

/// A streaming CP932 check: the byte structure, then encoding_rs for whether each
/// double-byte code is mapped (an unmapped one decodes in no candidate).
#[derive(Default)]
struct Cp932Check {
    lead: Option<u8>,
    /// Characters led by 0x81–0x9F: symbols, kana, common kanji.
    common: u64,
    /// Characters led by 0xE0–0xFC: rare kanji, vendor extensions, user-defined.
    rare: u64,
}

impl Cp932Check {
    fn push(&mut self, b: u8) -> bool {
        match self.lead.take() {
            Some(lead) => mapped_pairs()
                .get(pair_index(lead, b))
                .copied()
                .unwrap_or(false),
            None => match b {
                0x00..=0x80 | 0xA1..=0xDF => true,
                0x81..=0x9F | 0xE0..=0xFC => {
                    if b <= 0x9F {
                        self.common += 1;
                    } else {
                        self.rare += 1;
                    }
                    self.lead = Some(b);
                    true
                }
                _ => false,
            },
        }
    }

    fn finish(&self) -> bool {
        self.lead.is_none()
    }
}

/// Where a double-byte code stands in [`mapped_pairs`].
fn pair_index(lead: u8, trail: u8) -> usize {
    (usize::from(lead) << 8) | usize::from(trail)
}

/// Whether each double-byte code (lead << 8 | trail) is a CP932 character, worked out once
/// from encoding_rs's Shift_JIS (the WHATWG one, which is Windows-31J).
fn mapped_pairs() -> &'static [bool] {
    static TABLE: std::sync::OnceLock<Vec<bool>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = vec![false; 1 << 16];
        for lead in (0x81..=0x9F).chain(0xE0..=0xFC) {
            for trail in (0x40..=0x7E).chain(0x80..=0xFC) {
                let (_, had_errors) = SHIFT_JIS.decode_without_bom_handling(&[lead, trail]);
                table[pair_index(lead, trail)] = !had_errors;
            }
        }
        table
    })
}

fn decode_head(encoding: &'static Encoding, head: &[u8], bom: u64) -> String {
    let body = head.get(bom as usize..).unwrap_or(&[]);
    let mut decoder = encoding.new_decoder_with_bom_removal();
    let mut out = String::with_capacity(body.len() * 3 / 2 + 16);
    let capacity = decoder
        .max_utf8_buffer_length(body.len())
        .unwrap_or(body.len() * 3 + 16);
    out.reserve(capacity);
    let _ = decoder.decode_to_string(body, &mut out, false);
    out
}

/// The delimiter used most consistently over the first lines (comma, tab, semicolon), or the
/// one Excel's first line `sep=;` names.
fn sniff_delimiter(head: &str) -> (u8, bool) {
    let first = head.lines().next().unwrap_or("").trim();
    if let Some(sep) = first.strip_prefix("sep=") {
        if let [b] = sep.as_bytes() {
            return (*b, true);
        }
    }
    let lines: Vec<&str> = head
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(30)
        .collect();
    // Drop a last line that may have been cut off by the sniffing window.
    let lines = match lines.split_last() {
        Some((_, rest)) if lines.len() > 2 && head.len() >= SNIFF_BYTES => rest,
        _ => &lines[..],
    };
    let mut best = (b',', 0usize, 0usize);
    for delimiter in [b',', b'\t', b';'] {
        let counts: Vec<usize> = lines
            .iter()
            .map(|l| count_outside_quotes(l, delimiter))
            .collect();
        // The most frequent non-zero count, and on how many lines it appears.
        let mut tally: Vec<(usize, usize)> = Vec::new();
        for c in counts.iter().copied().filter(|c| *c > 0) {
            match tally.iter_mut().find(|(n, _)| *n == c) {
                Some((_, k)) => *k += 1,
                None => tally.push((c, 1)),
            }
        }
        let Some(&(count, lines_with)) = tally.iter().max_by_key(|(n, k)| (*k, *n)) else {
            continue;
        };
        if (lines_with, count) > (best.1, best.2) {
            best = (delimiter, lines_with, count);
        }
    }
    (best.0, false)
}

fn count_outside_quotes(line: &str, delimiter: u8) -> usize {
    let mut quoted = false;
    let mut count = 0;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == delimiter && !quoted {
            count += 1;
        }
    }
    count
}

/// A reader giving the file's text as UTF-8, decoding chunk by chunk; a byte sequence the
/// encoding does not map is an error naming its line.
struct Decoding<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    finished: bool,
    output: Vec<u8>,
    position: usize,
    /// Line breaks decoded so far.
    lines: u64,
}

/// The marker inside the io::Error of an undecodable byte sequence.
#[derive(Debug)]
struct Undecodable {
    line: u64,
    encoding: &'static str,
}

impl std::fmt::Display for Undecodable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "a byte sequence that is not {} on line {}",
            self.encoding, self.line
        )
    }
}

impl std::error::Error for Undecodable {}

impl<R: Read> Decoding<R> {
    fn new(inner: R, encoding: &'static Encoding) -> Self {
        let decoder = if encoding == UTF_16LE || encoding == UTF_16BE {
            encoding.new_decoder_with_bom_removal()
        } else {
            encoding.new_decoder_without_bom_handling()
        };
        Decoding {
            inner,
            decoder,
            input: vec![0u8; CHUNK],
            start: 0,
            end: 0,
            eof: false,
            finished: false,
            output: Vec::with_capacity(CHUNK * 3 + 16),
            position: 0,
            lines: 0,
        }
    }
}

impl<R: Read> Read for Decoding<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.position < self.output.len() {
                let n = buf.len().min(self.output.len() - self.position);
                buf[..n].copy_from_slice(&self.output[self.position..self.position + n]);
                self.position += n;
                return Ok(n);
            }
            if self.finished {
                return Ok(0);
            }
            if self.start == self.end && !self.eof {
                self.start = 0;
                self.end = loop {
                    match self.inner.read(&mut self.input) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                };
                self.eof = self.end == 0;
            }
            self.output.clear();
            self.output.resize(CHUNK * 3 + 16, 0);
            self.position = 0;
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.input[self.start..self.end],
                &mut self.output,
                self.eof,
            );
            self.start += read;
            self.output.truncate(written);
            self.lines += self.output.iter().filter(|b| **b == b'\n').count() as u64;
            match result {
                DecoderResult::InputEmpty => self.finished = self.eof,
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(_, _) => {
                    // What came before is not given out: the reading stops here anyway.
                    let marker = Undecodable {
                        line: self.lines + 1,
                        encoding: encoding_label(self.decoder.encoding()),
                    };
                    return Err(io::Error::new(io::ErrorKind::InvalidData, marker));
                }
            }
        }
    }
}

fn encoding_label(encoding: &'static Encoding) -> &'static str {
    if encoding == SHIFT_JIS {
        "CP932 (Shift_JIS)"
    } else if encoding == UTF_16LE || encoding == UTF_16BE {
        "UTF-16"
    } else if encoding == WINDOWS_1252 {
        "Windows-1252"
    } else {
        "UTF-8"
    }
}

/// One record of the file: its row (line number less one) and its fields.
pub struct Record<'a> {
    pub row: u32,
    pub line: u64,
    fields: &'a csv::ByteRecord,
}

impl Record<'_> {
    /// The text of field `col` (zero-based) with Excel's `="..."` removed; `None` when the
    /// record is shorter or the field is empty.
    pub fn field(&self, col: u32) -> Result<Option<&str>, CsvError> {
        match self.fields.get(col as usize) {
            None => Ok(None),
            Some(bytes) => field_text(self.without_cr(col as usize, bytes), self.line, col),
        }
    }

    /// Every non-empty field with its zero-based column.
    pub fn fields(&self) -> impl Iterator<Item = Result<(u32, &str), CsvError>> + '_ {
        self.fields
            .iter()
            .enumerate()
            .filter_map(move |(i, bytes)| {
                let col = u32::try_from(i).unwrap_or(u32::MAX);
                field_text(self.without_cr(i, bytes), self.line, col)
                    .map(|text| text.map(|t| (col, t)))
                    .transpose()
            })
    }

    /// Records end at LF (so that line numbers count right after CRLF): the CR of a CRLF
    /// ends the last field, and is not part of it.
    fn without_cr<'b>(&self, index: usize, bytes: &'b [u8]) -> &'b [u8] {
        if index + 1 == self.fields.len() {
            bytes.strip_suffix(b"\r").unwrap_or(bytes)
        } else {
            bytes
        }
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

fn field_text(bytes: &[u8], line: u64, col: u32) -> Result<Option<&str>, CsvError> {
    if bytes.is_empty() {
        return Ok(None);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| {
        CsvError::at(
            "the text is not valid UTF-8; save the file as \"CSV UTF-8\" or set its encoding"
                .to_string(),
            Some(line),
            Some(col.saturating_add(1)),
        )
    })?;
    Ok(Some(excel_text(text)))
}

/// `="0012"` (Excel's way to keep a code as text) as `0012`.
pub fn excel_text(text: &str) -> &str {
    text.strip_prefix("=\"")
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text)
}

/// Read every record of the text that `open` gives (called twice: once to tell the encoding
/// and delimiter, once to read), passing each to `each` in file order.
pub fn read_records<R, E>(
    open: impl Fn() -> io::Result<R>,
    wanted: TextEncoding,
    mut each: impl FnMut(&Record) -> Result<(), E>,
) -> Result<Detected, E>
where
    R: Read,
    E: From<CsvError>,
{
    let detected = detect(open().map_err(|e| io_error(&e))?, wanted)?;
    let mut raw = open().map_err(|e| io_error(&e))?;
    if detected.bom > 0 {
        io::copy(&mut (&mut raw).take(detected.bom), &mut io::sink()).map_err(|e| io_error(&e))?;
    }
    let source: Box<dyn Read + '_> = if detected.encoding == encoding_rs::UTF_8 {
        Box::new(raw)
    } else {
        Box::new(Decoding::new(raw, detected.encoding))
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(detected.delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(CHUNK)
        .from_reader(source);
    let mut record = csv::ByteRecord::new();
    let mut first = true;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(&e).into()),
        }
        if std::mem::take(&mut first) && detected.sep_line {
            continue;
        }
        let line = record.position().map_or(1, csv::Position::line);
        let row = row_of_line(line);
        each(&Record {
            row,
            line,
            fields: &record,
        })?;
    }
    Ok(detected)
}

fn csv_error(e: &csv::Error) -> CsvError {
    let line = e.position().map(csv::Position::line);
    if let csv::ErrorKind::Io(io) = e.kind() {
        if let Some(marker) = io.get_ref().and_then(|i| i.downcast_ref::<Undecodable>()) {
            return CsvError::at(
                format!(
                    "the text is not {}: a byte sequence on this line decodes to no character; \
                     save the file as \"CSV UTF-8\" or set its encoding",
                    marker.encoding
                ),
                Some(marker.line),
                None,
            );
        }
        return io_error(io);
    }
    CsvError::at(crate::text::one_line(&e.to_string()), line, None)
}

/// Load a CSV held in memory as the one sheet of a workbook: its cells (text, as a workbook
/// reader gives text cells), found header row, and the limits checked as it streams.
pub fn load_grid(
    bytes: &[u8],
    name: &str,
    role: SheetRole,
    required: &[Column],
    names: &NameTable,
    limits: &Limits,
) -> Result<(SheetGrid, HeaderRow), GridError> {
    let mut builder = GridBuilder::new(name, role, names, limits, false).requiring(required);
    let refused = |e: CsvError| {
        let (problem, location) = e.into_problem(name);
        GridError::Refused(Box::new((problem, location)))
    };
    let result = read_records(
        || Ok(bytes),
        TextEncoding::Auto,
        |record: &Record| -> Result<(), GridError> {
            for field in record.fields() {
                let (col, text) = field.map_err(refused)?;
                builder.push(record.row, col, Data::String(text.to_string()), None)?;
            }
            Ok(())
        },
    );
    match result {
        Ok(_) => builder.finish(),
        Err(GridError::Refused(refusal)) => {
            let (problem, location) = *refusal;
            Err(GridError::Refused(Box::new((
                problem,
                grid_location(location, name),
            ))))
        }
        Err(other) => Err(other),
    }
}

/// A grid's cell location as the line and column of a text file.
fn grid_location(location: Location, name: &str) -> Location {
    match location.row {
        Some(row) => Location::line(name, row, location.col),
        None => Location::text_file(name),
    }
}

impl From<CsvError> for GridError {
    fn from(e: CsvError) -> Self {
        let (problem, location) = e.into_problem("");
        GridError::Refused(Box::new((problem, location)))
    }
}

#[cfg(test)]
mod tests;
