//! Writing cells while measuring them: every text, number and date written through
//! [`Sheet`] widens its column to fit, counting East Asian wide characters as two columns
//! (rust_xlsxwriter's autofit counts them as one narrow glyph, so Japanese columns would come
//! out too narrow). Input text always goes through `write_string`, never as a formula.
//!
//! Large sheets apply formats by runs: rust_xlsxwriter looks a format up by hashing all of it
//! for every cell it is given with, which cost a quarter of a large report's time. A sheet
//! made with [`Sheet::along_rows`] or [`Sheet::down_columns`] writes the values bare and
//! applies each run of cells sharing a format with one `set_range_format` (one lookup): the
//! cells end up with exactly the formats they would have had.

use chrono::NaiveDate;
use rust_xlsxwriter::{ColNum, Format, Formula, RowNum, Worksheet, XlsxError};
use unicode_width::UnicodeWidthChar;

use super::formats::ValueKind;

/// Excel's limit on the length of a cell's text.
const MAX_CELL_CHARS: usize = 32_767;
/// Widest column, in characters, unless a column sets its own cap.
pub const DEFAULT_MAX_WIDTH: f64 = 24.0;
/// Padding added to the widest content, in characters.
const PADDING: f64 = 1.2;
/// Excel's default column width, in characters.
const DEFAULT_COLUMN_WIDTH: f64 = 8.43;

/// Display width of a text: East Asian wide and full-width characters count as two
/// columns; the widest line of a multi-line text counts.
pub fn display_width(text: &str) -> usize {
    // Printable ASCII (ids, English names, numbers as text) is one column a byte.
    if text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return text.len();
    }
    text.split('\n')
        .map(|line| line.chars().map(|c| c.width().unwrap_or(0)).sum::<usize>())
        .max()
        .unwrap_or(0)
}

/// Width a header needs when it may wrap onto two lines: its widest line when it has
/// line breaks, its longest word, or for Japanese (no spaces, wide characters) about half
/// of it.
fn header_width(text: &str) -> usize {
    if text.contains('\n') {
        display_width(text)
    } else if text.contains(' ') || text.is_ascii() {
        // Latin text wraps only between words: a single word ("Frequency") is never split.
        text.split_whitespace()
            .map(display_width)
            .max()
            .unwrap_or(0)
    } else {
        // Japanese wraps between any two characters: half the characters per line, and a
        // wide character is two columns.
        let chars = text.chars().count();
        let per_line = chars.div_ceil(2);
        display_width(text) * per_line / chars.max(1) + 1
    }
}

/// Characters a number takes in its format (digits, separators, sign, decimals).
pub fn number_width(value: f64, kind: ValueKind) -> usize {
    let digits = |x: f64| -> usize {
        let x = x.abs().round();
        if x < 10.0 {
            1
        } else {
            (x.log10().floor() as usize + 1).min(20)
        }
    };
    let sign = usize::from(value < 0.0);
    let grouped = |d: usize| d + (d - 1) / 3;
    match kind {
        ValueKind::Money | ValueKind::Count => grouped(digits(value)) + sign,
        ValueKind::Decimal => grouped(digits(value)) + 3 + sign,
        ValueKind::Percent => digits(value * 100.0) + 3 + sign,
    }
}

/// When a sheet applies cell formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Formatting {
    /// With each cell (small sheets).
    PerCell,
    /// Once per run of equal formats along a row, when the sheet moves to another row:
    /// constant-memory sheets write a row out as soon as the next one starts.
    AlongRows,
    /// Once per run of equal formats down a column: standard sheets keep every cell until
    /// saved.
    DownColumns,
}

/// Rows in one column run at most: a run is applied while its rows are still in the cache
/// (applying a run walks the sheet's rows; whole-column runs made a 40,000-row sheet take
/// 2.7 times as long as a 20,000-row one).
const MAX_COLUMN_RUN: RowNum = 1024;

/// Cells down one column sharing one format, not yet applied.
#[derive(Clone, Copy)]
struct ColumnRun<'f> {
    format: &'f Format,
    first: RowNum,
    last: RowNum,
}

/// A worksheet being written, with the width each column needs so far.
pub struct Sheet<'a, 'f> {
    pub ws: &'a mut Worksheet,
    widths: Vec<f64>,
    caps: Vec<f64>,
    formatting: Formatting,
    /// `AlongRows`: the row being written and the format of each of its cells so far.
    row: RowNum,
    row_formats: Vec<(ColNum, &'f Format)>,
    /// `DownColumns`: the open run of each column.
    column_runs: Vec<Option<ColumnRun<'f>>>,
    /// The first and last columns written so far: the sheet's dimensions span them.
    written_cols: Option<(ColNum, ColNum)>,
}

impl<'a, 'f> Sheet<'a, 'f> {
    /// A small sheet: each cell is written with its format.
    pub fn new(ws: &'a mut Worksheet, columns: usize) -> Self {
        Sheet {
            ws,
            widths: vec![0.0; columns],
            caps: vec![DEFAULT_MAX_WIDTH; columns],
            formatting: Formatting::PerCell,
            row: 0,
            row_formats: Vec::with_capacity(columns),
            column_runs: Vec::new(),
            written_cols: None,
        }
    }

    /// A large sheet written row by row (in constant memory or not): formats are applied
    /// per run along each row. Rows must be written in order, through this `Sheet` only.
    pub fn along_rows(ws: &'a mut Worksheet, columns: usize) -> Self {
        Sheet {
            formatting: Formatting::AlongRows,
            ..Sheet::new(ws, columns)
        }
    }

    /// A large standard worksheet: formats are applied per run down each column.
    pub fn down_columns(ws: &'a mut Worksheet, columns: usize) -> Self {
        Sheet {
            formatting: Formatting::DownColumns,
            column_runs: vec![None; columns],
            ..Sheet::new(ws, columns)
        }
    }

    /// Write a bare value at `(row, col)` whose format is `format`: now, or recorded for
    /// its run.
    fn put(
        &mut self,
        row: RowNum,
        col: ColNum,
        format: &'f Format,
        write: impl FnOnce(&mut Worksheet, Option<&Format>) -> Result<(), XlsxError>,
    ) -> Result<(), XlsxError> {
        self.written(col);
        match self.formatting {
            Formatting::PerCell => write(self.ws, Some(format)),
            Formatting::AlongRows => {
                self.start_row(row)?;
                write(self.ws, None)?;
                self.row_formats.push((col, format));
                Ok(())
            }
            Formatting::DownColumns => {
                write(self.ws, None)?;
                let index = col as usize;
                if index >= self.column_runs.len() {
                    self.column_runs.resize(index + 1, None);
                }
                match &mut self.column_runs[index] {
                    Some(run)
                        if std::ptr::eq(run.format, format)
                            && run.last + 1 == row
                            && row - run.first < MAX_COLUMN_RUN =>
                    {
                        run.last = row;
                        Ok(())
                    }
                    open => {
                        let finished = open.replace(ColumnRun {
                            format,
                            first: row,
                            last: row,
                        });
                        match finished {
                            Some(run) => self.apply_column_run(col, run),
                            None => Ok(()),
                        }
                    }
                }
            }
        }
    }

    /// A cell written with its format right away (headers, titles); in a sheet formatted
    /// along rows, the previous row's formats are applied first.
    fn put_formatted(
        &mut self,
        row: RowNum,
        col: ColNum,
        write: impl FnOnce(&mut Worksheet) -> Result<(), XlsxError>,
    ) -> Result<(), XlsxError> {
        self.written(col);
        if self.formatting == Formatting::AlongRows {
            self.start_row(row)?;
        }
        write(self.ws)
    }

    fn written(&mut self, col: ColNum) {
        self.written_cols = Some(match self.written_cols {
            Some((first, last)) => (first.min(col), last.max(col)),
            None => (col, col),
        });
    }

    /// Moving to `row`: the formats of the row before are applied while it is still held.
    fn start_row(&mut self, row: RowNum) -> Result<(), XlsxError> {
        if row != self.row {
            self.apply_row_formats()?;
            self.row = row;
        }
        Ok(())
    }

    fn apply_row_formats(&mut self) -> Result<(), XlsxError> {
        let mut cells = std::mem::take(&mut self.row_formats);
        cells.sort_by_key(|(col, _)| *col);
        let mut rest = cells.as_slice();
        while let Some(&(first, format)) = rest.first() {
            let run = rest
                .iter()
                .zip(first..)
                .take_while(|((col, f), expected)| *col == *expected && std::ptr::eq(*f, format))
                .count();
            let last = first + run as ColNum - 1;
            self.ws
                .set_range_format(self.row, first, self.row, last, format)?;
            rest = &rest[run..];
        }
        cells.clear();
        self.row_formats = cells;
        Ok(())
    }

    fn apply_column_run(&mut self, col: ColNum, run: ColumnRun) -> Result<(), XlsxError> {
        self.ws
            .set_range_format(run.first, col, run.last, col, run.format)?;
        Ok(())
    }

    /// Apply every format still pending (done by [`Sheet::fit_columns`]).
    fn apply_pending(&mut self) -> Result<(), XlsxError> {
        self.apply_row_formats()?;
        for col in 0..self.column_runs.len() {
            if let Some(run) = self.column_runs[col].take() {
                self.apply_column_run(col as ColNum, run)?;
            }
        }
        Ok(())
    }

    /// Let a column grow up to `max` characters (names, messages).
    pub fn cap(&mut self, col: ColNum, max: f64) {
        self.ensure(col);
        self.caps[col as usize] = max;
    }

    /// The column is at least `width` characters wide.
    pub fn at_least(&mut self, col: ColNum, width: f64) {
        self.ensure(col);
        let w = &mut self.widths[col as usize];
        *w = w.max(width);
    }

    fn ensure(&mut self, col: ColNum) {
        let col = col as usize;
        if col >= self.widths.len() {
            self.widths.resize(col + 1, 0.0);
            self.caps.resize(col + 1, DEFAULT_MAX_WIDTH);
        }
    }

    fn fit(&mut self, col: ColNum, chars: usize) {
        self.at_least(col, chars as f64);
    }

    /// Input or label text, always as a string cell.
    pub fn text(
        &mut self,
        row: RowNum,
        col: ColNum,
        text: &str,
        format: &'f Format,
    ) -> Result<(), XlsxError> {
        self.indented_text(row, col, text, 0, format)
    }

    /// Text in a format indented by `level` (a name in the tree); each level takes about
    /// two characters.
    pub fn indented_text(
        &mut self,
        row: RowNum,
        col: ColNum,
        text: &str,
        level: usize,
        format: &'f Format,
    ) -> Result<(), XlsxError> {
        let text = truncate(text);
        self.fit(col, display_width(text) + 2 * level);
        if text.is_empty() {
            // An empty string is no cell: a formatted blank keeps the row's look.
            return self.blank(row, col, format);
        }
        self.put(row, col, format, |ws, format| {
            match format {
                Some(format) => ws.write_string_with_format(row, col, text, format),
                None => ws.write_string(row, col, text),
            }
            .map(|_| ())
        })
    }

    /// Text that does not widen its column (titles that overflow into empty cells).
    pub fn loose_text(
        &mut self,
        row: RowNum,
        col: ColNum,
        text: &str,
        format: &Format,
    ) -> Result<(), XlsxError> {
        self.put_formatted(row, col, |ws| {
            ws.write_string_with_format(row, col, truncate(text), format)
                .map(|_| ())
        })
    }

    pub fn header(
        &mut self,
        row: RowNum,
        col: ColNum,
        text: &str,
        format: &Format,
    ) -> Result<(), XlsxError> {
        // Bold header text is wider than body text.
        self.at_least(col, header_width(text) as f64 * 1.25);
        self.put_formatted(row, col, |ws| {
            ws.write_string_with_format(row, col, text, format)
                .map(|_| ())
        })
    }

    pub fn headers(
        &mut self,
        row: RowNum,
        headers: &[&str],
        format: &Format,
    ) -> Result<(), XlsxError> {
        for (col, text) in headers.iter().enumerate() {
            self.header(row, col as ColNum, text, format)?;
        }
        Ok(())
    }

    pub fn number(
        &mut self,
        row: RowNum,
        col: ColNum,
        value: f64,
        kind: ValueKind,
        format: &'f Format,
    ) -> Result<(), XlsxError> {
        self.fit(col, number_width(value, kind));
        self.put_number(row, col, value, format)
    }

    fn put_number(
        &mut self,
        row: RowNum,
        col: ColNum,
        value: f64,
        format: &'f Format,
    ) -> Result<(), XlsxError> {
        self.put(row, col, format, |ws, format| {
            match format {
                Some(format) => ws.write_number_with_format(row, col, value, format),
                None => ws.write_number(row, col, value),
            }
            .map(|_| ())
        })
    }

    /// A number with extra characters in its format (a rate's `/mo`).
    pub fn number_with_suffix(
        &mut self,
        row: RowNum,
        col: ColNum,
        value: f64,
        kind: ValueKind,
        suffix: &str,
        format: &'f Format,
    ) -> Result<(), XlsxError> {
        self.fit(col, number_width(value, kind) + display_width(suffix));
        self.put_number(row, col, value, format)
    }

    /// A number, or a formatted blank cell when the figure is absent.
    pub fn maybe_number(
        &mut self,
        row: RowNum,
        col: ColNum,
        value: Option<f64>,
        kind: ValueKind,
        format: &'f Format,
    ) -> Result<(), XlsxError> {
        match value {
            Some(v) if v.is_finite() => self.number(row, col, v, kind, format),
            _ => self.blank(row, col, format),
        }
    }

    /// A formatted empty cell. In a row already started, within the columns written so far,
    /// the cell is made by its run's `set_range_format` (no lookup of its own, and the
    /// sheet's dimensions already span it); otherwise it is written with its format (a
    /// bare blank is no cell).
    pub fn blank(&mut self, row: RowNum, col: ColNum, format: &'f Format) -> Result<(), XlsxError> {
        let within = self
            .written_cols
            .is_some_and(|(first, last)| first <= col && col <= last);
        if self.formatting == Formatting::AlongRows
            && row == self.row
            && !self.row_formats.is_empty()
            && within
        {
            self.row_formats.push((col, format));
            return Ok(());
        }
        self.put(row, col, format, |ws, _| {
            ws.write_blank(row, col, format).map(|_| ())
        })
    }

    pub fn date(
        &mut self,
        row: RowNum,
        col: ColNum,
        date: NaiveDate,
        format: &'f Format,
    ) -> Result<(), XlsxError> {
        self.fit(col, 10);
        self.put(row, col, format, |ws, format| {
            match format {
                Some(format) => ws.write_date_with_format(row, col, date, format),
                None => ws.write_datetime(row, col, date),
            }
            .map(|_| ())
        })
    }

    pub fn maybe_date(
        &mut self,
        row: RowNum,
        col: ColNum,
        date: Option<NaiveDate>,
        format: &'f Format,
    ) -> Result<(), XlsxError> {
        match date {
            Some(d) => self.date(row, col, d, format),
            None => self.blank(row, col, format),
        }
    }

    /// A live formula with our computed figure saved as its result, so viewers that do
    /// not recalculate show the same number.
    pub fn formula(
        &mut self,
        row: RowNum,
        col: ColNum,
        formula: &str,
        result: f64,
        kind: ValueKind,
        format: &'f Format,
    ) -> Result<(), XlsxError> {
        self.fit(col, number_width(result, kind));
        let formula = Formula::new(formula).set_result(result_text(result));
        self.put(row, col, format, |ws, format| {
            match format {
                Some(format) => ws.write_formula_with_format(row, col, formula, format),
                None => ws.write_formula(row, col, formula),
            }
            .map(|_| ())
        })
    }

    /// The width a column gets from [`Sheet::fit_columns`], in characters.
    pub fn width(&self, col: ColNum) -> f64 {
        let col = col as usize;
        match (self.widths.get(col), self.caps.get(col)) {
            (Some(w), Some(cap)) if *w > 0.0 => w.min(*cap) + PADDING,
            _ => DEFAULT_COLUMN_WIDTH,
        }
    }

    /// Apply the formats still pending, and set every column to the width its content
    /// needs, within its cap. The last call on a sheet.
    pub fn fit_columns(&mut self) -> Result<(), XlsxError> {
        self.apply_pending()?;
        for (col, (width, cap)) in self.widths.iter().zip(&self.caps).enumerate() {
            if *width > 0.0 {
                let w = width.min(*cap) + PADDING;
                self.ws.set_column_width(col as ColNum, w)?;
            }
        }
        Ok(())
    }
}

/// Cut text to Excel's cell limit, at a character boundary.
/// A formula's saved result: the text `f64`'s Display gives (the shortest that reads back
/// as the same number, no exponent), made by zmij, which writes the same digits faster; an
/// exponent (only for very large or small numbers) is left to Display.
pub fn result_text(value: f64) -> String {
    if value.is_finite() {
        let mut buffer = zmij::Buffer::new();
        let text = buffer.format_finite(value);
        if !text.contains(['e', 'E']) {
            return text.strip_suffix(".0").unwrap_or(text).to_string();
        }
    }
    value.to_string()
}

fn truncate(text: &str) -> &str {
    if text.len() <= MAX_CELL_CHARS {
        return text;
    }
    match text.char_indices().nth(MAX_CELL_CHARS) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

#[cfg(test)]
mod tests;
