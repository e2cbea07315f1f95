//! (v2) Period columns on a goal sheet: `Metric, Target, Jan, Feb, … Dec` holds each row's
//! values per period, read as a wide Actuals sheet would give them (each value's cell is
//! its measurement's source). Month headers without a year take theirs as on any period
//! table (`months::resolve`: a year row, config `fiscal_year`, a title, the as-of date). A
//! cell holding only a placeholder (`-`, `—`, `n/a`, `TBD`) is an empty period, not an
//! unreadable number.

use calamine::Data;

use crate::contract::Column;
use crate::findings::Finding;

use super::cell;
use super::loaded::LoadedSheet;
use super::months::{self, FiscalContext};
use super::period_table::{Entry, PeriodTable};

/// The values of the goal sheet's period columns for the rows that became metrics (`rows`:
/// each row with its metric's id), or `None` when the sheet has no period column. An
/// unreadable value is a finding naming its cell; only that value is left out.
pub(super) fn read(
    sheet: &LoadedSheet,
    fiscal: FiscalContext,
    rows: &[(u32, String)],
) -> Option<PeriodTable> {
    if sheet.header.periods.is_empty() && sheet.header.months.is_empty() {
        return None;
    }
    let (header, findings) = months::resolve(&sheet.name, &sheet.grid, &sheet.header, fiscal);
    let mut table = PeriodTable {
        sheet: sheet.name.clone(),
        findings,
        ..PeriodTable::default()
    };
    if header.periods.is_empty() {
        return Some(table);
    }
    for (row, id) in rows {
        let mut keyed = false;
        for (col, date) in &header.periods {
            let value = sheet
                .value(*row, *col)
                .and_then(|data| match placeholder(&data) {
                    true => Ok(None),
                    false => cell::number(&data, Column::Value),
                });
            match value {
                Ok(Some(value)) => {
                    if !keyed {
                        table.keys.push(id.clone());
                        keyed = true;
                    }
                    table.entries.push(Entry {
                        key: (table.keys.len() - 1) as u32,
                        date: *date,
                        value,
                        row: *row,
                        col: *col,
                    });
                }
                Ok(None) => {}
                Err(problem) => table.findings.push(Finding::new(
                    problem,
                    Some(id),
                    Some(sheet.location(*row, *col)),
                )),
            }
        }
    }
    Some(table)
}

/// Whether the row holds a value (not a placeholder) in one of the sheet's period columns.
pub(super) fn has_values(sheet: &LoadedSheet, row: u32) -> bool {
    let header = &sheet.header;
    header
        .periods
        .iter()
        .map(|(col, _)| *col)
        .chain(header.months.iter().map(|m| m.col))
        .any(|col| {
            let data = sheet.cell(row, col);
            !cell::is_blank(data) && !placeholder(data)
        })
}

/// Text that stands for "no value yet" in a tracker's month cell.
fn placeholder(data: &Data) -> bool {
    let Data::String(text) = data else {
        return false;
    };
    let key = crate::text::normalize_key(text);
    [
        "-", "--", "—", "–", "―", "ー", "n/a", "na", "tbd", "未", "未定",
    ]
    .contains(&key.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dashes_and_not_available_are_empty_periods() {
        for text in ["-", " — ", "N/A", "tbd", "未定"] {
            assert!(placeholder(&Data::String(text.to_string())), "{text}");
        }
        for data in [Data::String("12".to_string()), Data::Float(0.0)] {
            assert!(!placeholder(&data));
        }
    }
}
