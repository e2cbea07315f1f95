//! Writing cells while measuring them: every text, number and date written through
//! [`Sheet`] widens its column to fit, counting East Asian wide characters as two columns
//! (rust_xlsxwriter's autofit counts them as one narrow glyph, so Japanese columns would come
//! out too narrow). Input text always goes through `write_string`, never as a formula.

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
    text.split('\n')
        .map(|line| line.chars().map(|c| c.width().unwrap_or(0)).sum::<usize>())
        .max()
        .unwrap_or(0)
}

/// Width a header needs when it may wrap onto two lines: its widest line when it has
/// line breaks, its longest word, or for Japanese (no spaces) about half of it.
fn header_width(text: &str) -> usize {
    if text.contains('\n') {
        display_width(text)
    } else if text.contains(' ') {
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

/// A worksheet being written, with the width each column needs so far.
pub struct Sheet<'a> {
    pub ws: &'a mut Worksheet,
    widths: Vec<f64>,
    caps: Vec<f64>,
}

impl<'a> Sheet<'a> {
    pub fn new(ws: &'a mut Worksheet, columns: usize) -> Self {
        Sheet {
            ws,
            widths: vec![0.0; columns],
            caps: vec![DEFAULT_MAX_WIDTH; columns],
        }
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
        format: &Format,
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
        format: &Format,
    ) -> Result<(), XlsxError> {
        let text = truncate(text);
        self.fit(col, display_width(text) + 2 * level);
        self.ws.write_string_with_format(row, col, text, format)?;
        Ok(())
    }

    /// Text that does not widen its column (titles that overflow into empty cells).
    pub fn loose_text(
        &mut self,
        row: RowNum,
        col: ColNum,
        text: &str,
        format: &Format,
    ) -> Result<(), XlsxError> {
        self.ws
            .write_string_with_format(row, col, truncate(text), format)?;
        Ok(())
    }

    pub fn header(
        &mut self,
        row: RowNum,
        col: ColNum,
        text: &str,
        format: &Format,
    ) -> Result<(), XlsxError> {
        // Bold header text is wider than body text.
        self.at_least(col, header_width(text) as f64 * 1.1);
        self.ws.write_string_with_format(row, col, text, format)?;
        Ok(())
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
        format: &Format,
    ) -> Result<(), XlsxError> {
        self.fit(col, number_width(value, kind));
        self.ws.write_number_with_format(row, col, value, format)?;
        Ok(())
    }

    /// A number with extra characters in its format (a rate's `/mo`).
    pub fn number_with_suffix(
        &mut self,
        row: RowNum,
        col: ColNum,
        value: f64,
        kind: ValueKind,
        suffix: &str,
        format: &Format,
    ) -> Result<(), XlsxError> {
        self.fit(col, number_width(value, kind) + display_width(suffix));
        self.ws.write_number_with_format(row, col, value, format)?;
        Ok(())
    }

    /// A number, or a formatted blank cell when the figure is absent.
    pub fn maybe_number(
        &mut self,
        row: RowNum,
        col: ColNum,
        value: Option<f64>,
        kind: ValueKind,
        format: &Format,
    ) -> Result<(), XlsxError> {
        match value {
            Some(v) if v.is_finite() => self.number(row, col, v, kind, format),
            _ => self.blank(row, col, format),
        }
    }

    pub fn blank(&mut self, row: RowNum, col: ColNum, format: &Format) -> Result<(), XlsxError> {
        self.ws.write_blank(row, col, format)?;
        Ok(())
    }

    pub fn date(
        &mut self,
        row: RowNum,
        col: ColNum,
        date: NaiveDate,
        format: &Format,
    ) -> Result<(), XlsxError> {
        self.fit(col, 10);
        self.ws.write_date_with_format(row, col, date, format)?;
        Ok(())
    }

    pub fn maybe_date(
        &mut self,
        row: RowNum,
        col: ColNum,
        date: Option<NaiveDate>,
        format: &Format,
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
        format: &Format,
    ) -> Result<(), XlsxError> {
        self.fit(col, number_width(result, kind));
        let formula = Formula::new(formula).set_result(result.to_string());
        self.ws
            .write_formula_with_format(row, col, formula, format)?;
        Ok(())
    }

    /// The width a column gets from [`Sheet::fit_columns`], in characters.
    pub fn width(&self, col: ColNum) -> f64 {
        let col = col as usize;
        match (self.widths.get(col), self.caps.get(col)) {
            (Some(w), Some(cap)) if *w > 0.0 => w.min(*cap) + PADDING,
            _ => DEFAULT_COLUMN_WIDTH,
        }
    }

    /// Set every column to the width its content needs, within its cap.
    pub fn fit_columns(&mut self) -> Result<(), XlsxError> {
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
mod tests {
    use super::*;

    #[test]
    fn wide_characters_count_twice() {
        assert_eq!(display_width("Sales"), 5);
        assert_eq!(display_width("年間売上高"), 10);
        assert_eq!(display_width("KPI一覧"), 7);
    }

    #[test]
    fn numbers_measure_as_formatted() {
        assert_eq!(number_width(100_000_000.0, ValueKind::Money), 11);
        assert_eq!(number_width(-1_000.0, ValueKind::Count), 6);
        assert_eq!(number_width(0.496, ValueKind::Percent), 5);
        assert_eq!(number_width(3.5, ValueKind::Decimal), 4);
    }

    #[test]
    fn headers_may_wrap() {
        assert_eq!(header_width("Forecast progress"), 8);
        assert_eq!(header_width("見込み進捗率"), 7);
        assert_eq!(header_width("見込み\n進捗率"), 6);
    }
}
