//! The period-table reader: a table of key × period × value, long (a key, a date and a
//! value column: one value per row), wide (a key column, then one column per period
//! whose header is a date or a month) or (v2) periods down the rows (a period column, then
//! one column per metric named by its header; `X Target` columns hold X's plan). The Actuals and Plan sheets are read through it, and
//! so will exports be: it takes a sheet's cells and header row, whatever file they came
//! from, and gives each value with its key and the cell it was read from.

use calamine::Data;
use chrono::NaiveDate;

use crate::contract::Column;
use crate::findings::{Finding, Problem};
use crate::model::{Field, Frequency, Location};

use super::cell;
use super::grid::{FormulaCell, SheetGrid};
use super::sheet::{DownRows, HeaderRow};

/// One value of a period table.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Its key, by index into [`PeriodTable::keys`] (a wide row's values share one key).
    pub key: u32,
    /// The date of the value (a month means its last day).
    pub date: NaiveDate,
    pub value: f64,
    /// The value's cell: zero-based row and column (for a CSV export, line and column).
    pub row: u32,
    pub col: u32,
}

/// The values of a period table in row order, and the findings of its unreadable cells.
#[derive(Debug, Clone, Default)]
pub struct PeriodTable {
    /// The sheet (or file) it was read from.
    pub sheet: String,
    /// The keys as written (a metric's id or name), one per row that has a value.
    pub keys: Vec<String>,
    pub entries: Vec<Entry>,
    /// (v2) Periods down the rows: the values of the `X Target` / `X 目標` / `X 予算` /
    /// `X Plan` columns, X's plan (keyed by X).
    pub plans: Vec<Entry>,
    /// (v2) Read as periods down the rows.
    pub down: bool,
    /// Read as one column per period.
    pub wide: bool,
    pub findings: Vec<Finding>,
}

impl PeriodTable {
    pub fn key(&self, entry: &Entry) -> &str {
        self.keys
            .get(entry.key as usize)
            .map(String::as_str)
            .unwrap_or_default()
    }
}

/// A table's cells as the reader sees them: a sheet's grid and its header row.
pub struct TableCells<'a> {
    /// The sheet's name, for the cells the values and findings name.
    pub name: &'a str,
    pub grid: &'a SheetGrid,
    pub header: &'a HeaderRow,
    /// The first month (1–12) and the starting calendar year of the fiscal year that gives
    /// a year to months written without one in a period column (`4月`, `Apr`).
    pub fiscal: Option<(u32, i32)>,
}

impl TableCells<'_> {
    /// The cell's value, or the problem of a formula without a usable saved value.
    fn value(&self, row: u32, col: u32) -> Result<Data, Problem> {
        if let Some(data) = self.grid.get(row, col) {
            return Ok(data.clone());
        }
        match self.grid.formula(row, col) {
            Some(FormulaCell::WithoutValue(formula)) => Err(Problem::FormulaWithoutValue {
                formula: formula.to_string(),
            }),
            Some(FormulaCell::ErrorValue) => Err(Problem::FormulaErrorValue),
            None => Ok(Data::Empty),
        }
    }
}

/// Read a period table: long when the header names a date and a value column, else wide
/// over the header's period columns. Rows without a key are skipped; an unreadable key,
/// value or date is a finding naming its cell, and only that value is left out.
pub fn read_period_table(table: &TableCells) -> PeriodTable {
    let mut result = PeriodTable {
        sheet: table.name.to_string(),
        ..PeriodTable::default()
    };
    let header = table.header;
    if let Some(down) = &header.down {
        read_down_rows(table, down, &mut result);
        return result;
    }
    let key = header
        .column(Column::Field(Field::Id))
        .or_else(|| header.column(Column::Field(Field::Name)));
    let Some(key_col) = key else {
        return result;
    };
    let mut problem = |problem, key: Option<&str>, row, col| {
        let location = Location::cell(table.name, row, col);
        result
            .findings
            .push(Finding::new(problem, key, Some(location)));
    };
    let mut entries = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    let long = match (header.column(Column::Date), header.column(Column::Value)) {
        (Some(date), Some(value)) => Some((date, value)),
        _ => None,
    };
    result.wide = long.is_none();
    for row in table.grid.rows_after(header.row) {
        let key = match table.value(row, key_col).map(|d| cell::text(&d)) {
            Ok(Ok(Some(key))) => key,
            Ok(Ok(None)) => continue,
            Ok(Err(p)) | Err(p) => {
                problem(p, None, row, key_col);
                continue;
            }
        };
        // (the date's column in a long table, the value's column, the wide column's date)
        let cells: Vec<(Option<u32>, u32, Option<NaiveDate>)> = match long {
            Some((date_col, value_col)) => vec![(Some(date_col), value_col, None)],
            None => header
                .periods
                .iter()
                .map(|(col, date)| (None, *col, Some(*date)))
                .collect(),
        };
        for (date_col, value_col, period) in cells {
            let value = match table
                .value(row, value_col)
                .and_then(|data| cell::number(&data, Column::Value))
            {
                Ok(Some(v)) => v,
                Ok(None) => continue,
                Err(p) => {
                    problem(p, Some(&key), row, value_col);
                    continue;
                }
            };
            let date = match (period, date_col) {
                (Some(date), _) => date,
                (None, Some(col)) => match table
                    .value(row, col)
                    .and_then(|d| cell::period(&d, Column::Date))
                {
                    Ok(Some(d)) => d,
                    Ok(None) => {
                        let unreadable = Problem::UnreadableDate {
                            field: Column::Date,
                            raw: String::new(),
                        };
                        problem(unreadable, Some(&key), row, col);
                        continue;
                    }
                    Err(p) => {
                        problem(p, Some(&key), row, col);
                        continue;
                    }
                },
                (None, None) => continue,
            };
            if keys.last() != Some(&key) {
                keys.push(key.clone());
            }
            entries.push(Entry {
                key: (keys.len() - 1) as u32,
                date,
                value,
                row,
                col: value_col,
            });
        }
    }
    result.entries = entries;
    result.keys = keys;
    result
}

/// (v2) A source's sheet read as periods down the rows through this reader (SPEC 9
/// `shape = "rows"`): its cells in any order. `Err` when no row within the first 20 reads
/// as such a header.
pub fn read_down_cells(
    name: &str,
    cells: impl Iterator<Item = (u32, u32, Data)>,
    names: &super::names::NameTable,
    limits: &crate::config::Limits,
) -> Result<PeriodTable, Problem> {
    use super::grid::{GridBuilder, GridError};
    let no_header = || Problem::ExportUnreadable {
        detail: "no row within the first 20 reads as periods down the rows: a period column \
                 (Date, 年月, yyyymm, or a year and a month column) and one column per \
                 metric, named by its id or name"
            .to_string(),
    };
    let mut builder = GridBuilder::new(
        name,
        crate::contract::SheetRole::Actuals,
        names,
        limits,
        true,
    );
    for (row, col, data) in cells {
        match builder.push(row, col, data, None) {
            Ok(()) => {}
            Err(GridError::Refused(refusal)) => return Err(refusal.0),
            Err(_) => return Err(no_header()),
        }
    }
    let (grid, header) = match builder.finish() {
        Ok(found) => found,
        Err(GridError::Refused(refusal)) => return Err(refusal.0),
        Err(_) => return Err(no_header()),
    };
    if header.down.is_none() {
        return Err(no_header());
    }
    Ok(read_period_table(&TableCells {
        name,
        grid: &grid,
        header: &header,
        fiscal: None,
    }))
}

/// Suffixes of a periods-down-the-rows column that holds the plan of the metric it names.
const PLAN_SUFFIXES: &[&str] = &[
    "target",
    "plan",
    "budget",
    "goal",
    "目標",
    "目標値",
    "予算",
    "計画",
    "計画値",
];

/// `X Target` -> `X` (also `X目標`, `X_plan`, `X (予算)`); `None` when the header names no plan.
pub fn plan_of(header: &str) -> Option<&str> {
    let trimmed = header.trim();
    let lower = trimmed.to_lowercase();
    PLAN_SUFFIXES
        .iter()
        .find_map(|suffix| {
            let cut = lower.strip_suffix(suffix)?;
            let cut = cut.strip_suffix(['(', '（']).unwrap_or(cut);
            let base = trimmed.get(..cut.len())?;
            let base = base.trim_end_matches([' ', '_', '-', '(', '（', '　']);
            (!base.is_empty()).then_some(base)
        })
        .or_else(|| {
            // `X (Target)`, `X（目標）`
            let inner = trimmed.strip_suffix([')', '）'])?;
            let open = inner.rfind(['(', '（'])?;
            let word =
                crate::text::normalize_key(inner.get(open..)?.trim_start_matches(['(', '（']));
            let base = inner.get(..open)?.trim();
            (PLAN_SUFFIXES.contains(&word.as_str()) && !base.is_empty()).then_some(base)
        })
}

/// Read a periods-down-the-rows table: per data row, its period, then a value per metric
/// column. A row without a period (a note, a total row) is skipped; an unreadable period
/// or value is a finding naming its cell. A column without any number (text: a note, a
/// comment) is ignored.
fn read_down_rows(table: &TableCells, down: &DownRows, result: &mut PeriodTable) {
    let rows = table.grid.rows_after(table.header.row);
    let mut keys: Vec<String> = Vec::new();
    // Per metric column: its key's index and whether it holds the plan.
    let mut columns: Vec<(u32, u32, bool)> = Vec::new();
    for (col, text) in &down.metrics {
        let numeric = rows.iter().any(|row| {
            matches!(table.value(*row, *col), Ok(data) if matches!(cell::number(&data, Column::Value), Ok(Some(_))))
        });
        if !numeric {
            continue;
        }
        let (key, plan) = match plan_of(text) {
            Some(base) => (base.to_string(), true),
            None => (text.clone(), false),
        };
        let index = match keys
            .iter()
            .position(|k| crate::text::normalize_key(k) == crate::text::normalize_key(&key))
        {
            Some(i) => i,
            None => {
                keys.push(key);
                keys.len() - 1
            }
        };
        columns.push((*col, index as u32, plan));
    }
    for row in rows {
        let date = match down_period(table, down, row) {
            Ok(Some(date)) => date,
            Ok(None) => continue,
            Err((problem, col)) => {
                let location = Location::cell(table.name, row, col);
                result
                    .findings
                    .push(Finding::new(problem, None, Some(location)));
                continue;
            }
        };
        for (col, key, plan) in &columns {
            let value = match table
                .value(row, *col)
                .and_then(|data| cell::number(&data, Column::Value))
            {
                Ok(Some(v)) => v,
                Ok(None) => continue,
                Err(p) => {
                    let location = Location::cell(table.name, row, *col);
                    let key = keys.get(*key as usize).map(String::as_str);
                    result.findings.push(Finding::new(p, key, Some(location)));
                    continue;
                }
            };
            let entry = Entry {
                key: *key,
                date,
                value,
                row,
                col: *col,
            };
            if *plan {
                result.plans.push(entry);
            } else {
                result.entries.push(entry);
            }
        }
    }
    result.keys = keys;
    result.down = true;
}

/// The period of a row of a periods-down-the-rows table: `None` for a row without one.
fn down_period(
    table: &TableCells,
    down: &DownRows,
    row: u32,
) -> Result<Option<NaiveDate>, (Problem, u32)> {
    let data = table
        .value(row, down.period)
        .map_err(|p| (p, down.period))?;
    if cell::is_blank(&data) {
        return Ok(None);
    }
    let unreadable = |data: &Data, col| {
        (
            Problem::UnreadableDate {
                field: Column::Date,
                raw: cell::raw_quoted(data),
            },
            col,
        )
    };
    let Some(month_col) = down.month else {
        if let Data::String(text) = &data {
            if let Some(month) = super::value::parse_month_name(text) {
                let Some((start, fiscal_year)) = table.fiscal else {
                    return Err(unreadable(&data, down.period));
                };
                let year = if month >= start {
                    fiscal_year
                } else {
                    fiscal_year + 1
                };
                return month_end(year, month)
                    .map(Some)
                    .ok_or_else(|| unreadable(&data, down.period));
            }
        }
        return match cell::period(&data, Column::Date) {
            Ok(Some(date)) => Ok(Some(date)),
            Ok(None) => Ok(None),
            Err(p) => Err((p, down.period)),
        };
    };
    let year = whole_number(&data).filter(|y| (1900..=9999).contains(y));
    let Some(year) = year else {
        return Err(unreadable(&data, down.period));
    };
    let month_data = table.value(row, month_col).map_err(|p| (p, month_col))?;
    let month = match &month_data {
        Data::String(text) => super::value::parse_month_name(text)
            .or_else(|| whole_number(&month_data).and_then(|m| u32::try_from(m).ok())),
        _ => whole_number(&month_data).and_then(|m| u32::try_from(m).ok()),
    };
    match month.filter(|m| (1..=12).contains(m)) {
        Some(month) => month_end(year as i32, month)
            .map(Some)
            .ok_or_else(|| unreadable(&month_data, month_col)),
        None => Err(unreadable(&month_data, month_col)),
    }
}

/// A whole number written as a number or as text (`2026`, `2026年`, `4`).
fn whole_number(data: &Data) -> Option<i64> {
    let n = match data {
        Data::Int(i) => *i as f64,
        Data::Float(f) => *f,
        Data::String(s) => {
            let t = s.trim().trim_end_matches(['年', '度', '月']);
            super::value::parse_number(t)?
        }
        _ => return None,
    };
    (n.fract() == 0.0 && n.abs() < 1e9).then_some(n as i64)
}

fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)?
        .checked_add_months(chrono::Months::new(1))?
        .pred_opt()
}

/// (v2) How often a key of a table is measured, from its dates: every day (gaps of one
/// day), every week (gaps of seven days), else by the months the dates fall in — every
/// quarter or every year when no two are closer than 3 or 12 months, monthly otherwise
/// (a budget by month, and irregular transactions, which the report sums by month).
pub fn frequency_of(dates: &[NaiveDate]) -> Frequency {
    use chrono::Datelike;
    let mut dates = dates.to_vec();
    dates.sort_unstable();
    dates.dedup();
    let gaps: Vec<i64> = dates.windows(2).map(|w| (w[1] - w[0]).num_days()).collect();
    if gaps.is_empty() {
        return Frequency::Monthly;
    }
    if gaps.iter().all(|g| *g == 1) {
        return Frequency::Daily;
    }
    if gaps.iter().all(|g| *g == 7) {
        return Frequency::Weekly;
    }
    let month = |d: &NaiveDate| d.year() as i64 * 12 + d.month0() as i64;
    let closest = dates
        .windows(2)
        .map(|w| month(&w[1]) - month(&w[0]))
        .min()
        .unwrap_or(1);
    match closest {
        12.. => Frequency::Yearly,
        3.. => Frequency::Quarterly,
        _ => Frequency::Monthly,
    }
}

#[cfg(test)]
mod tests;
