//! Finding the header row of a sheet (the first row within the first 20 that holds the
//! required columns, below title rows, blank rows and merged title cells) and which column
//! holds which field. Works on the sheet's non-empty cells in row order, so it is tested
//! without files and never needs a dense copy of the sheet.

use calamine::{Data, Range};
use chrono::NaiveDate;

use super::cell;
use super::names::NameTable;
use super::value::{has_japanese, parse_month_name};
use crate::contract::{required_columns, Column, Heading, SheetRole};
use crate::model::Field;

/// How many rows from the top of a sheet are searched for the header row.
pub const HEADER_SEARCH_ROWS: u32 = 20;

/// A header cell's text is at most this many bytes: no column name or period is longer,
/// and a longer text (a title, a note, a hostile string repeated across the top rows) is
/// not normalised to be compared.
pub const MAX_HEADER_BYTES: usize = 256;

/// The header row of a sheet and what its cells name. Rows and columns are absolute
/// (zero-based sheet coordinates, as in `A1` = (0, 0)).
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderRow {
    pub row: u32,
    pub columns: Vec<(Column, u32)>,
    /// Wide Actuals sheets (and goal sheets, v2): the columns whose header names a period.
    pub periods: Vec<(u32, NaiveDate)>,
    /// (v2) Period tables and goal sheets: the columns whose header is a month without a year (`4月`,
    /// `Apr`, `January`, or a plain number 1–12 in a consecutive run), with the month and
    /// whether it was a plain number. Resolved into `periods` by `months::resolve`.
    pub months: Vec<YearlessMonth>,
    /// True when the matched header texts are Japanese.
    pub japanese: bool,
    /// Header cells naming a column (or a period) already named to their left. The first
    /// one is in `columns`; these are reported, because which one holds the data is a guess.
    pub duplicates: Vec<DuplicateHeader>,
}

/// (v2) A column header naming a month without its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearlessMonth {
    pub col: u32,
    pub month: u32,
    /// A plain number (`4`), not a month name.
    pub number: bool,
}

/// A second header cell for the same column: its label and both column indexes.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicateHeader {
    pub heading: Heading,
    pub first: u32,
    pub second: u32,
}

impl HeaderRow {
    pub fn column(&self, column: Column) -> Option<u32> {
        self.columns
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, i)| *i)
    }

    pub fn has(&self, column: Column) -> bool {
        self.column(column).is_some()
    }

    /// The long Actuals shape has a date and a value column; otherwise it is wide.
    pub fn is_long_actuals(&self) -> bool {
        self.has(Column::Date) && self.has(Column::Value)
    }

    /// Every column this header reads data from.
    pub fn data_columns(&self) -> Vec<u32> {
        let mut cols: Vec<u32> = self
            .columns
            .iter()
            .map(|(_, c)| *c)
            .chain(self.periods.iter().map(|(c, _)| *c))
            .chain(self.months.iter().map(|m| m.col))
            .collect();
        cols.sort_unstable();
        cols.dedup();
        cols
    }
}

/// Why no header row was found: the required columns missing from the text row that came
/// closest (naming the most columns), and that row. A row of numbers or dates is never the
/// closest: a data row is never blamed.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderMiss {
    pub missing: Vec<Column>,
    pub closest: Option<TextRow>,
}

/// A row of text cells within the header search: its row, its texts and how many columns
/// they name.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRow {
    pub row: u32,
    pub texts: Vec<String>,
    pub named: usize,
}

/// Find the header row in a dense range (tests and small sheets).
pub fn find_header_row(
    range: &Range<Data>,
    role: SheetRole,
    names: &NameTable,
) -> Result<HeaderRow, HeaderMiss> {
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let cells: Vec<(u32, u32, &Data)> = range
        .used_cells()
        .map(|(r, c, d)| (row0 + r as u32, col0 + c as u32, d))
        .collect();
    find_header_in_cells(&cells, role, names)
}

/// Find the header row among a sheet's non-empty cells, sorted by row then column; on
/// failure, the required columns missing from the best candidate row.
pub fn find_header_in_cells(
    cells: &[(u32, u32, &Data)],
    role: SheetRole,
    names: &NameTable,
) -> Result<HeaderRow, HeaderMiss> {
    find_header_requiring(cells, role, names, &required_columns(role))
}

/// [`find_header_in_cells`] with other required columns than the role's (a CSV list of KPIs
/// needs no parent column).
pub fn find_header_requiring(
    cells: &[(u32, u32, &Data)],
    role: SheetRole,
    names: &NameTable,
    required: &[Column],
) -> Result<HeaderRow, HeaderMiss> {
    // The row blamed when no header is found: the text row naming the most columns (a data
    // row of numbers or dates is never blamed, and a row naming one column, such as a title
    // or a 予算/実績 sub-header, loses to one naming more; among rows naming as many, the
    // one missing fewer, then the one with more texts).
    let mut best_missing: Option<(TextRow, Vec<Column>)> = None;
    let head = cells.iter().take_while(|(r, _, _)| *r < HEADER_SEARCH_ROWS);
    let mut rows: Vec<(u32, Vec<(u32, &Data)>)> = Vec::new();
    for (row, col, data) in head {
        match rows.last_mut() {
            Some((r, row_cells)) if r == row => row_cells.push((*col, data)),
            _ => rows.push((*row, vec![(*col, data)])),
        }
    }
    for (row, row_cells) in rows {
        let header = header_candidate(row, &row_cells, role, names);
        let mut missing: Vec<Column> = required
            .iter()
            .filter(|c| !header.has(**c))
            .copied()
            .collect();
        // A period table's key: its id column, else its name column.
        if role.is_period_table()
            && !header.has(Column::Field(Field::Id))
            && !header.has(Column::Field(Field::Name))
        {
            missing.push(Column::Field(Field::Id));
        }
        if role.is_period_table()
            && !header.is_long_actuals()
            && header.periods.is_empty()
            && header.months.is_empty()
        {
            if !header.has(Column::Date) {
                missing.push(Column::Date);
            }
            if !header.has(Column::Value) {
                missing.push(Column::Value);
            }
        }
        if missing.is_empty() {
            return Ok(header);
        }
        let texts: Vec<String> = row_cells
            .iter()
            .filter_map(|(_, d)| match d {
                Data::String(s)
                    if super::value::parse_number(s).is_none()
                        && super::value::parse_date(s).is_none()
                        && !s.trim().is_empty() =>
                {
                    Some(crate::text::quoted(s.trim()))
                }
                _ => None,
            })
            .collect();
        if texts.is_empty() || texts.len() * 2 < row_cells.len() {
            continue;
        }
        let named = header.columns.len();
        if best_missing.as_ref().is_none_or(|(best, best_missing)| {
            named > best.named
                || (named == best.named
                    && (missing.len() < best_missing.len()
                        || (missing.len() == best_missing.len() && texts.len() > best.texts.len())))
        }) {
            best_missing = Some((TextRow { row, texts, named }, missing));
        }
    }
    Err(match best_missing {
        Some((closest, missing)) => HeaderMiss {
            missing,
            closest: Some(closest),
        },
        None => HeaderMiss {
            missing: required.to_vec(),
            closest: None,
        },
    })
}

/// What one row would name if it were the header row.
fn header_candidate(
    row: u32,
    row_cells: &[(u32, &Data)],
    role: SheetRole,
    names: &NameTable,
) -> HeaderRow {
    let mut header = HeaderRow {
        row,
        columns: Vec::new(),
        periods: Vec::new(),
        months: Vec::new(),
        japanese: false,
        duplicates: Vec::new(),
    };
    for (col, data) in row_cells {
        if matches!(data, Data::String(text) if text.len() > MAX_HEADER_BYTES) {
            continue;
        }
        if let Data::String(text) = data {
            if let Some(column) = names.column_for_header(role, text) {
                match header.column(column) {
                    Some(first) => header.duplicates.push(DuplicateHeader {
                        heading: Heading::Column(column),
                        first,
                        second: *col,
                    }),
                    None => {
                        header.columns.push((column, *col));
                        header.japanese |= has_japanese(text);
                    }
                }
                continue;
            }
        }
        // Period columns: a wide table's values; (v2) on a goal sheet, each row's values
        // per period (`Metric, Target, Jan, Feb, …`).
        if let Some(date) = cell::period_header(data) {
            match header.periods.iter().find(|(_, d)| *d == date) {
                Some((first, _)) => header.duplicates.push(DuplicateHeader {
                    heading: Heading::Period(date),
                    first: *first,
                    second: *col,
                }),
                None => header.periods.push((*col, date)),
            }
        } else if let Some(month) = yearless_month(data) {
            header.months.push(YearlessMonth {
                col: *col,
                month: month.0,
                number: month.1,
            });
        }
    }
    keep_month_run(&mut header.months);
    header
}

/// A header cell that names a month without a year: the month, and whether it is a plain
/// number.
fn yearless_month(data: &Data) -> Option<(u32, bool)> {
    let number = match data {
        Data::Int(i) => Some(*i as f64),
        Data::Float(f) => Some(*f),
        Data::String(s) => return parse_month_name(s).map(|m| (m, false)),
        _ => None,
    }?;
    (number.fract() == 0.0 && (1.0..=12.0).contains(&number)).then_some((number as u32, true))
}

/// Plain numbers count as months only when there are no month names and they form one run
/// of consecutive months (wrapping after 12, at least two): an id or value is never a month.
/// Whether the run starts at the fiscal year's first month is checked when it is resolved.
fn keep_month_run(months: &mut Vec<YearlessMonth>) {
    if months.iter().any(|m| !m.number) {
        months.retain(|m| !m.number);
        return;
    }
    let consecutive = months.windows(2).all(|w| w[1].month == w[0].month % 12 + 1);
    if months.len() < 2 || months.len() > 12 || !consecutive {
        months.clear();
    }
}

#[cfg(test)]
mod tests;
