//! The period-table reader: a table of key × period × value, long (a key, a date and a
//! value column: one value per row) or wide (a key column, then one column per period
//! whose header is a date or a month). The Actuals and Plan sheets are read through it, and
//! so will exports be: it takes a sheet's cells and header row, whatever file they came
//! from, and gives each value with its key and the cell it was read from.

use calamine::Data;
use chrono::NaiveDate;

use crate::contract::Column;
use crate::findings::{Finding, Problem};
use crate::model::{Field, Location};

use super::cell;
use super::grid::{FormulaCell, SheetGrid};
use super::sheet::HeaderRow;

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

#[cfg(test)]
mod tests;
