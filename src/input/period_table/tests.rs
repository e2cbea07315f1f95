//! Unit tests of `input::period_table`: the same reader for Actuals and Plan, long and wide.

use calamine::Data;

use super::*;
use crate::config::{Limits, Settings};
use crate::contract::SheetRole;
use crate::input::grid::GridBuilder;
use crate::input::names::NameTable;

fn text(s: &str) -> Data {
    Data::String(s.to_string())
}

fn read(sheet: &str, role: SheetRole, cells: &[(u32, u32, Data)]) -> PeriodTable {
    let names = NameTable::new(&Settings::default());
    let limits = Limits::default();
    let mut builder = GridBuilder::new(sheet, role, &names, &limits, false);
    for (r, c, d) in cells {
        builder.push(*r, *c, d.clone(), None).unwrap();
    }
    let (grid, header) = builder.finish().unwrap();
    read_period_table(&TableCells {
        name: sheet,
        grid: &grid,
        header: &header,
    })
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn a_wide_plan_sheet_gives_each_month_with_its_cell() {
    let table = read(
        "予算",
        SheetRole::Plan,
        &[
            (0, 0, text("2026年度 予算")),
            (1, 0, text("コード")),
            (1, 1, text("指標名")),
            (1, 2, text("2026年4月")),
            (1, 3, text("2026年5月")),
            (1, 4, text("合計")),
            (2, 0, text("K1")),
            (2, 1, text("売上")),
            (2, 2, Data::Float(800.0)),
            (2, 3, text("1,000")),
            (2, 4, Data::Float(1800.0)),
        ],
    );
    assert!(table.findings.is_empty(), "{:?}", table.findings);
    let got: Vec<(&str, NaiveDate, f64, String)> = table
        .entries
        .iter()
        .map(|e| {
            (
                table.key(e),
                e.date,
                e.value,
                Location::cell(&table.sheet, e.row, e.col).reference(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("K1", d(2026, 4, 30), 800.0, "予算!C3".to_string()),
            ("K1", d(2026, 5, 31), 1000.0, "予算!D3".to_string()),
        ]
    );
}

#[test]
fn a_long_plan_sheet_reads_its_budget_column() {
    let table = read(
        "Budget",
        SheetRole::Plan,
        &[
            (0, 0, text("KPI ID")),
            (0, 1, text("Month")),
            (0, 2, text("Budget")),
            (1, 0, text("K1")),
            (1, 1, text("2026-04")),
            (1, 2, Data::Float(5.0)),
            (2, 0, text("K1")),
            (2, 1, text("2026-05")),
            (2, 2, text("abc")),
        ],
    );
    assert_eq!(table.entries.len(), 1);
    assert_eq!(table.entries[0].date, d(2026, 4, 30));
    // The unreadable value is a finding naming its cell; the row's key is kept.
    assert_eq!(table.findings.len(), 1);
    assert_eq!(table.findings[0].reference(), "Budget!C3");
    assert_eq!(table.findings[0].id.as_deref(), Some("K1"));
}

#[test]
fn the_actuals_sheet_goes_through_the_same_reader() {
    let table = read(
        "Actuals",
        SheetRole::Actuals,
        &[
            (0, 0, text("ID")),
            (0, 1, text("Date")),
            (0, 2, text("Actual")),
            (1, 0, text("K1")),
            (1, 1, text("2026/6/15")),
            (1, 2, Data::Float(7.0)),
            (2, 0, Data::Empty),
        ],
    );
    assert_eq!(table.entries.len(), 1);
    assert_eq!(table.entries[0].date, d(2026, 6, 15));
    let e = &table.entries[0];
    assert_eq!(
        Location::cell(&table.sheet, e.row, e.col).reference(),
        "Actuals!C2"
    );
}
