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
use crate::text::normalize_key;

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
    /// (v2) Periods down the rows: the period column(s) and one column per metric.
    pub down: Option<DownRows>,
}

/// (v2) A table with one row per period: a period column (a date, `202604`, `2026/04`,
/// `2026年4月`, `R8.4`, `4月`), or a `year` and a `month` column, then one column per metric
/// named by its header (`X Target` / `X 目標` / `X 予算` / `X Plan` hold X's plan).
#[derive(Debug, Clone, PartialEq)]
pub struct DownRows {
    /// The period column (with `month`: the year column).
    pub period: u32,
    /// The month column beside a year column.
    pub month: Option<u32>,
    /// The metric columns: column and header as written.
    pub metrics: Vec<(u32, String)>,
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
            .chain(self.down.iter().flat_map(|d| {
                let metrics = d.metrics.iter().map(|(c, _)| *c);
                std::iter::once(d.period).chain(d.month).chain(metrics)
            }))
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
    let below = |row: u32| -> Vec<(u32, &Data)> {
        cells
            .iter()
            .filter(|(r, _, _)| *r > row && *r < HEADER_SEARCH_ROWS)
            .map(|(_, c, d)| (*c, *d))
            .collect()
    };
    for (row, row_cells) in &rows {
        let (row, row_cells) = (*row, row_cells.as_slice());
        let mut header = header_candidate(row, row_cells, role, names);
        if role.is_period_table() {
            let below = below(row);
            prefer_dated_column(&mut header, &below);
            key_left_of_periods(&mut header, row_cells, &below);
        }
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
        if role.is_period_table()
            && !header.has(Column::Field(Field::Id))
            && !header.has(Column::Field(Field::Name))
        {
            if let Some(down) = down_rows(row_cells, &header, &below(row)) {
                header.down = Some(down);
                return Ok(header);
            }
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

/// Headers of a year column beside a month column (`year`, `month`).
const YEAR_HEADERS: &[&str] = &["year", "年", "年度", "fy", "fiscalyear", "会計年度"];
/// Headers of the month column beside a year column.
const MONTH_HEADERS: &[&str] = &["month", "月", "月度", "mon"];
/// Headers of a period column besides the date column's own names.
const PERIOD_HEADERS: &[&str] = &[
    "yyyymm",
    "yyyy/mm",
    "yyyy-mm",
    "yearmonth",
    "week",
    "weekof",
    "weekending",
    "週",
    "年月度",
];
/// Headers of total columns, never a metric of a periods-down-the-rows table.
const TOTAL_HEADERS: &[&str] = &["合計", "総計", "計", "total", "grandtotal", "sum", "累計"];

/// Whether a cell below a period column holds a period: a date, `202604`, `2026/04`,
/// `2026年4月`, `R8.4`, or a month without its year (`4月`, `Apr`).
pub fn is_period_cell(data: &Data) -> bool {
    if matches!(data, Data::String(s) if parse_month_name(s).is_some()) {
        return true;
    }
    matches!(cell::period(data, Column::Date), Ok(Some(_)))
        && !matches!(data, Data::Int(_) | Data::Float(_) if !is_yyyymm(data))
}

/// A six-digit number that is a `yyyymm` month (a plain number is a period only so).
fn is_yyyymm(data: &Data) -> bool {
    let n = match data {
        Data::Int(i) => *i as f64,
        Data::Float(f) => *f,
        _ => return false,
    };
    n.fract() == 0.0 && (190_001.0..=209_912.0).contains(&n)
}

/// (v2) The periods-down-the-rows reading of a header row without a key column: a period
/// column (named `Date`, `年月`, `yyyymm`…, or without a header above periods), or a
/// `year` column and a `month` column, and at least one other column with a text header
/// (a metric). `below` holds the cells under the row within the header search rows: the
/// period column must hold a period there.
fn down_rows(
    row_cells: &[(u32, &Data)],
    header: &HeaderRow,
    below: &[(u32, &Data)],
) -> Option<DownRows> {
    let key_of = |data: &Data| match data {
        Data::String(s) if s.len() <= MAX_HEADER_BYTES => Some(normalize_key(s)),
        _ => None,
    };
    let header_in = |col: u32, words: &[&str]| {
        row_cells
            .iter()
            .find(|(c, _)| *c == col)
            .and_then(|(_, d)| key_of(d))
            .is_some_and(|k| words.contains(&k.as_str()))
    };
    let column_named = |words: &[&str]| {
        row_cells
            .iter()
            .find(|(_, d)| key_of(d).is_some_and(|k| words.contains(&k.as_str())))
            .map(|(c, _)| *c)
    };
    let holds_periods = |col: u32, test: &dyn Fn(&Data) -> bool| {
        let values: Vec<&Data> = below
            .iter()
            .filter(|(c, d)| *c == col && !cell::is_blank(d))
            .map(|(_, d)| *d)
            .collect();
        !values.is_empty() && values.iter().filter(|d| test(d)).count() * 2 > values.len()
    };
    let is_year = |d: &Data| match d {
        Data::Int(i) => (1900..=2099).contains(i),
        Data::Float(f) => f.fract() == 0.0 && (1900.0..=2099.0).contains(f),
        Data::String(s) => s
            .trim()
            .trim_end_matches(['年', '度'])
            .parse::<i64>()
            .is_ok_and(|y| (1900..=2099).contains(&y)),
        _ => false,
    };
    let is_month = |d: &Data| match d {
        Data::Int(i) => (1..=12).contains(i),
        Data::Float(f) => f.fract() == 0.0 && (1.0..=12.0).contains(f),
        Data::String(s) => {
            parse_month_name(s).is_some()
                || s.trim().parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
        }
        _ => false,
    };
    let year = column_named(YEAR_HEADERS).filter(|c| holds_periods(*c, &is_year));
    let month = header
        .column(Column::Date)
        .filter(|c| header_in(*c, MONTH_HEADERS))
        .or_else(|| column_named(MONTH_HEADERS))
        .filter(|c| holds_periods(*c, &is_month));
    let (period, month) = match (year, month) {
        (Some(year), Some(month)) => (year, Some(month)),
        _ => {
            let named = header
                .column(Column::Date)
                .or_else(|| column_named(PERIOD_HEADERS))
                .filter(|c| holds_periods(*c, &is_period_cell));
            // Else a column without a header over periods.
            let unnamed = || {
                let mut cols: Vec<u32> = below.iter().map(|(c, _)| *c).collect();
                cols.sort_unstable();
                cols.dedup();
                cols.into_iter().find(|c| {
                    // A header row has no value over the period column (a data row does).
                    let titled = row_cells
                        .iter()
                        .any(|(hc, d)| hc == c && !cell::is_blank(d));
                    // The first cell under the row is a period (not a header further down).
                    let first = below.iter().find(|(bc, d)| bc == c && !cell::is_blank(d));
                    !titled
                        && first.is_some_and(|(_, d)| is_period_cell(d))
                        && holds_periods(*c, &is_period_cell)
                })
            };
            (named.or_else(unnamed)?, None)
        }
    };
    let metrics: Vec<(u32, String)> = row_cells
        .iter()
        .filter(|(c, _)| *c != period && Some(*c) != month)
        .filter_map(|(c, d)| match d {
            Data::String(s) if s.len() <= MAX_HEADER_BYTES && !s.trim().is_empty() => {
                let key = normalize_key(s);
                let numeric = super::value::parse_number(s).is_some();
                let total = TOTAL_HEADERS.contains(&key.as_str());
                let dated = cell::period_header(d).is_some();
                (!numeric && !total && !dated).then(|| (*c, s.trim().to_string()))
            }
            _ => None,
        })
        .collect();
    // At least one metric column holds a number under the row (a header row, not a row of
    // text values).
    let numbers = metrics.iter().any(|(col, _)| {
        below
            .iter()
            .any(|(c, d)| c == col && matches!(cell::number(d, Column::Value), Ok(Some(_))))
    });
    if !numbers {
        return None;
    }
    Some(DownRows {
        period,
        month,
        metrics,
    })
}

/// (v2) A long table with two date-like columns (`Date` and `Month`): the one holding
/// dates (a day, not only a month) is the date column, and the other is not reported as a
/// second date column. When both or neither hold dates, both stay reported (E07).
fn prefer_dated_column(header: &mut HeaderRow, below: &[(u32, &Data)]) {
    let Some(first) = header.column(Column::Date) else {
        return;
    };
    let Some(index) = header
        .duplicates
        .iter()
        .position(|d| d.heading == Heading::Column(Column::Date))
    else {
        return;
    };
    let second = header.duplicates[index].second;
    let is_day = |d: &Data| match d {
        Data::DateTime(_) | Data::DateTimeIso(_) => true,
        Data::String(s) => super::value::parse_date(s).is_some(),
        _ => false,
    };
    let dated = |col: u32| {
        let values: Vec<&Data> = below
            .iter()
            .filter(|(c, d)| *c == col && !cell::is_blank(d))
            .map(|(_, d)| *d)
            .collect();
        !values.is_empty() && values.iter().filter(|d| is_day(d)).count() * 2 > values.len()
    };
    let keep = match (dated(first), dated(second)) {
        (true, false) => first,
        (false, true) => second,
        _ => return,
    };
    header.duplicates.remove(index);
    for (column, col) in header.columns.iter_mut() {
        if *column == Column::Date {
            *col = keep;
        }
    }
}

/// (v2) A wide table whose key column has a header no name matches (`Figures in USD`):
/// the nearest column left of the first period column whose header is text and whose cells
/// below hold text is the key.
fn key_left_of_periods(header: &mut HeaderRow, row_cells: &[(u32, &Data)], below: &[(u32, &Data)]) {
    if header.has(Column::Field(Field::Id)) || header.has(Column::Field(Field::Name)) {
        return;
    }
    let first_period = header
        .periods
        .iter()
        .map(|(c, _)| *c)
        .chain(header.months.iter().map(|m| m.col))
        .min();
    let Some(first_period) = first_period else {
        return;
    };
    let taken = |col: u32| header.columns.iter().any(|(_, c)| *c == col);
    let key = row_cells
        .iter()
        .filter(|(c, d)| {
            *c < first_period
                && !taken(*c)
                && matches!(d, Data::String(s) if !s.trim().is_empty() && s.len() <= MAX_HEADER_BYTES)
        })
        .map(|(c, _)| *c)
        .filter(|col| {
            let values: Vec<&Data> = below
                .iter()
                .filter(|(c, d)| c == col && !cell::is_blank(d))
                .map(|(_, d)| *d)
                .collect();
            let texts = values
                .iter()
                .filter(|d| {
                    matches!(d, Data::String(s) if super::value::parse_number(s).is_none())
                })
                .count();
            !values.is_empty() && texts * 2 > values.len()
        })
        .max();
    if let Some(col) = key {
        header.columns.push((Column::Field(Field::Name), col));
    }
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
        down: None,
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
    if role.is_period_table() {
        loose_columns(&mut header, row_cells);
    }
    header
}

/// (v2) Period tables exported by other tools name their columns freely: when no column is
/// the date (or the key) by its name, a header containing `date`, `month`, `日付` or `年月`
/// (`order_date_month`) is the date column, and one ending in `_id`, ` ID` or `code`
/// (`cost_id`) is the key.
fn loose_columns(header: &mut HeaderRow, row_cells: &[(u32, &Data)]) {
    let free = |header: &HeaderRow, col: u32| {
        !header.columns.iter().any(|(_, c)| *c == col)
            && !header.periods.iter().any(|(c, _)| *c == col)
            && !header.months.iter().any(|m| m.col == col)
    };
    let texts = || {
        row_cells.iter().filter_map(|(c, d)| match d {
            Data::String(s) if s.len() <= MAX_HEADER_BYTES => Some((*c, s.trim())),
            _ => None,
        })
    };
    if !header.has(Column::Date) {
        let date = texts().find(|(c, s)| free(header, *c) && is_loose_date_header(s));
        if let Some((col, _)) = date {
            header.columns.push((Column::Date, col));
        }
    }
    if !header.has(Column::Field(Field::Id)) && !header.has(Column::Field(Field::Name)) {
        let key = texts().find(|(c, s)| free(header, *c) && is_loose_key_header(s));
        if let Some((col, _)) = key {
            header.columns.push((Column::Field(Field::Id), col));
        }
    }
}

/// (v2) A header that names a date column loosely: it has the word `date` or `month`
/// (`order_date_month`, `Posting Date`), or contains `日付` or `年月`.
pub(crate) fn is_loose_date_header(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| matches!(w, "date" | "month"))
        || text.contains("日付")
        || text.contains("年月")
}

/// (v2) A header that names a key column loosely: it ends in `_id`, ` id`, `-id`, `code`,
/// `コード` or a glued `ID` (`cost_id`, `Account code`, `CostID`).
pub(crate) fn is_loose_key_header(text: &str) -> bool {
    let lower = text.to_lowercase();
    text.len() > 3
        && (["_id", " id", "-id", "code", "コード"]
            .iter()
            .any(|w| lower.ends_with(w))
            || text.ends_with("ID") && !text.ends_with(" ID"))
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
