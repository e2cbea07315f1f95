//! The Actuals sheet, long (id, date, value) or wide (id, then one column per period):
//! its measurements with their metric's id, and the findings of its unreadable cells.

use crate::contract::Column;
use crate::findings::{Finding, Problem};
use crate::model::{Field, Measurement, Source};

use super::cell;
use super::loaded::LoadedSheet;

/// The measurements of an Actuals sheet (long or wide), each with its metric's id, and the
/// findings of its unreadable cells. Needs nothing from the other sheets, so it runs on the
/// core that parsed the sheet.
/// The Actuals sheet is the first measurement table of a workbook.
pub(super) const ACTUALS_TABLE: u16 = 0;

pub(super) struct Actuals {
    /// The sheet, for `GoalSet::tables`.
    pub sheet: String,
    pub measurements: Vec<(String, Measurement)>,
    pub findings: Vec<Finding>,
}

/// `table` is the sheet's index in `GoalSet::tables` (see [`ACTUALS_TABLE`]).
pub(super) fn read_actuals(sheet: &LoadedSheet, table: u16) -> Actuals {
    let mut actuals = Actuals {
        sheet: sheet.name.clone(),
        measurements: Vec::new(),
        findings: Vec::new(),
    };
    let Some(id_col) = sheet.header.column(Column::Field(Field::Id)) else {
        return actuals;
    };
    let mut problem = |problem, id: Option<&str>, row, col| {
        let location = sheet.location(row, col);
        actuals
            .findings
            .push(Finding::new(problem, id, Some(location)));
    };
    let mut measurements = Vec::new();
    let long = sheet.header.is_long_actuals();
    let date_col = sheet.header.column(Column::Date);
    let value_col = sheet.header.column(Column::Value);
    let periods = &sheet.header.periods;
    for row in sheet.data_rows() {
        let id = match sheet.value(row, id_col).map(|d| cell::text(&d)) {
            Ok(Ok(Some(id))) => id,
            Ok(Ok(None)) => continue,
            Ok(Err(p)) | Err(p) => {
                problem(p, None, row, id_col);
                continue;
            }
        };
        let entries: Vec<(Option<u32>, u32)> = match (long, date_col, value_col) {
            (true, Some(d), Some(v)) => vec![(Some(d), v)],
            _ => periods.iter().map(|(col, _)| (None, *col)).collect(),
        };
        for (date_col, value_col) in entries {
            let value = match sheet.value(row, value_col) {
                Ok(data) => cell::number(&data, Column::Value),
                Err(p) => Err(p),
            };
            let value = match value {
                Ok(Some(v)) => v,
                Ok(None) => continue,
                Err(p) => {
                    problem(p, Some(&id), row, value_col);
                    continue;
                }
            };
            let date = match date_col {
                None => periods
                    .iter()
                    .find(|(c, _)| *c == value_col)
                    .map(|(_, d)| *d),
                Some(col) => match sheet
                    .value(row, col)
                    .and_then(|d| cell::period(&d, Column::Date))
                {
                    Ok(Some(d)) => Some(d),
                    Ok(None) => {
                        let unreadable = Problem::UnreadableDate {
                            field: Column::Date,
                            raw: String::new(),
                        };
                        problem(unreadable, Some(&id), row, col);
                        continue;
                    }
                    Err(p) => {
                        problem(p, Some(&id), row, col);
                        continue;
                    }
                },
            };
            if let Some(date) = date {
                let measurement = Measurement {
                    date: Some(date),
                    value,
                    source: Source::Table {
                        table,
                        row,
                        col: value_col,
                    },
                };
                measurements.push((id.clone(), measurement));
            }
        }
    }
    actuals.measurements = measurements;
    actuals
}
