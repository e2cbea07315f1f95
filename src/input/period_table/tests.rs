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
        fiscal: Some((4, 2026)),
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

#[test]
fn yyyymm_rows_with_branch_columns_are_read_down_the_rows() {
    // 支店別売上: a `yyyymm` column, then one column per branch; a 合計 column is no metric.
    let table = read(
        "実績",
        SheetRole::Actuals,
        &[
            (0, 0, text("年月")),
            (0, 1, text("東京")),
            (0, 2, text("大阪")),
            (0, 3, text("合計")),
            (1, 0, Data::Int(202604)),
            (1, 1, Data::Float(100.0)),
            (1, 2, Data::Float(50.0)),
            (1, 3, Data::Float(150.0)),
            (2, 0, text("2026/05")),
            (2, 1, Data::Float(110.0)),
            (2, 2, text("60")),
            (3, 0, text("R8.6")),
            (3, 1, Data::Float(120.0)),
        ],
    );
    assert!(table.findings.is_empty(), "{:?}", table.findings);
    assert!(table.down);
    assert_eq!(table.keys, ["東京", "大阪"]);
    let got: Vec<(&str, NaiveDate, f64)> = table
        .entries
        .iter()
        .map(|e| (table.key(e), e.date, e.value))
        .collect();
    assert_eq!(
        got,
        [
            ("東京", d(2026, 4, 30), 100.0),
            ("大阪", d(2026, 4, 30), 50.0),
            ("東京", d(2026, 5, 31), 110.0),
            ("大阪", d(2026, 5, 31), 60.0),
            ("東京", d(2026, 6, 30), 120.0),
        ]
    );
}

#[test]
fn year_and_month_columns_with_target_columns_give_values_and_plans() {
    let table = read(
        "Actuals",
        SheetRole::Actuals,
        &[
            (0, 0, text("year")),
            (0, 1, text("month")),
            (0, 2, text("Sales")),
            (0, 3, text("Sales Target")),
            (0, 4, text("Note")),
            (1, 0, Data::Int(2026)),
            (1, 1, Data::Int(12)),
            (1, 2, Data::Float(9.0)),
            (1, 3, Data::Float(10.0)),
            (1, 4, text("ok")),
            (2, 0, Data::Int(2027)),
            (2, 1, text("Jan")),
            (2, 2, Data::Float(11.0)),
            (2, 3, Data::Float(12.0)),
        ],
    );
    assert!(table.findings.is_empty(), "{:?}", table.findings);
    assert_eq!(table.keys, ["Sales"]);
    let values: Vec<(NaiveDate, f64)> = table.entries.iter().map(|e| (e.date, e.value)).collect();
    assert_eq!(values, [(d(2026, 12, 31), 9.0), (d(2027, 1, 31), 11.0)]);
    let plans: Vec<(NaiveDate, f64)> = table.plans.iter().map(|e| (e.date, e.value)).collect();
    assert_eq!(plans, [(d(2026, 12, 31), 10.0), (d(2027, 1, 31), 12.0)]);
}

#[test]
fn month_names_down_the_rows_take_the_fiscal_year() {
    // Fiscal year 2026 from April: 4月 is 2026-04, 1月 is 2027-01.
    let table = read(
        "実績",
        SheetRole::Actuals,
        &[
            (0, 0, text("月")),
            (0, 1, text("売上")),
            (0, 2, text("売上目標")),
            (1, 0, text("4月")),
            (1, 1, Data::Float(1.0)),
            (1, 2, Data::Float(2.0)),
            (2, 0, text("1月")),
            (2, 1, Data::Float(3.0)),
        ],
    );
    assert!(table.findings.is_empty(), "{:?}", table.findings);
    assert_eq!(table.keys, ["売上"]);
    let values: Vec<NaiveDate> = table.entries.iter().map(|e| e.date).collect();
    assert_eq!(values, [d(2026, 4, 30), d(2027, 1, 31)]);
    assert_eq!(table.plans.len(), 1);
}

#[test]
fn plan_columns_are_recognised_by_their_suffix() {
    assert_eq!(plan_of("ICI Target"), Some("ICI"));
    assert_eq!(plan_of("売上 目標"), Some("売上"));
    assert_eq!(plan_of("売上予算"), Some("売上"));
    assert_eq!(plan_of("Sales (Plan)"), Some("Sales"));
    assert_eq!(plan_of("cost_budget"), Some("cost"));
    assert_eq!(plan_of("Target"), None);
    assert_eq!(plan_of("Sales"), None);
}

#[test]
fn a_long_table_under_a_title_is_not_taken_for_periods_down_the_rows() {
    let table = read(
        "Actuals",
        SheetRole::Actuals,
        &[
            (0, 0, text("Sales history")),
            (1, 0, text("ID")),
            (1, 1, text("Date")),
            (1, 2, text("Value")),
            (2, 0, text("K1")),
            (2, 1, text("2026-04-30")),
            (2, 2, Data::Float(5.0)),
        ],
    );
    assert!(!table.down);
    assert_eq!(table.entries.len(), 1);
}

#[test]
fn a_keys_frequency_follows_its_dates() {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    // A budget by month (any day of the month), with a month missing.
    let monthly = [d(2026, 4, 20), d(2026, 5, 31), d(2026, 7, 1)];
    assert_eq!(frequency_of(&monthly), Frequency::Monthly);
    // Irregular transactions: summed by month.
    let transactions = [d(2026, 4, 3), d(2026, 4, 15), d(2026, 6, 2)];
    assert_eq!(frequency_of(&transactions), Frequency::Monthly);
    let weekly = [d(2026, 4, 6), d(2026, 4, 13), d(2026, 4, 20)];
    assert_eq!(frequency_of(&weekly), Frequency::Weekly);
    let daily = [d(2026, 4, 6), d(2026, 4, 7), d(2026, 4, 8)];
    assert_eq!(frequency_of(&daily), Frequency::Daily);
    let quarterly = [d(2026, 6, 30), d(2026, 9, 30), d(2026, 12, 31)];
    assert_eq!(frequency_of(&quarterly), Frequency::Quarterly);
    let yearly = [d(2025, 3, 31), d(2026, 3, 31)];
    assert_eq!(frequency_of(&yearly), Frequency::Yearly);
    // One date, or none: monthly, how the report reads a table.
    assert_eq!(frequency_of(&[d(2026, 4, 1)]), Frequency::Monthly);
}
