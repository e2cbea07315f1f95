//! Unit tests of `input`: a workbook written in memory, read through the whole reader.

use rust_xlsxwriter::Workbook;

use super::*;
use crate::model::Location;

fn book() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let kgi = workbook
        .add_worksheet()
        .set_name("KGI")
        .unwrap_or_else(|e| panic!("{e}"));
    for (col, text) in ["ID", "Name", "Target"].iter().enumerate() {
        kgi.write_string(0, col as u16, *text).ok();
    }
    kgi.write_string(1, 0, "S").ok();
    kgi.write_string(1, 1, "Sales").ok();
    kgi.write_number(1, 2, 1200.0).ok();
    let kpi = workbook
        .add_worksheet()
        .set_name("KPI")
        .unwrap_or_else(|e| panic!("{e}"));
    for (col, text) in ["ID", "Parent", "Name", "Target", "Actual"]
        .iter()
        .enumerate()
    {
        kpi.write_string(0, col as u16, *text).ok();
    }
    for (col, text) in ["S1", "S", "Shop", "600"].iter().enumerate() {
        kpi.write_string(1, col as u16, *text).ok();
    }
    kpi.write_number(1, 4, 50.0).ok();
    let actuals = workbook
        .add_worksheet()
        .set_name("Actuals")
        .unwrap_or_else(|e| panic!("{e}"));
    actuals.write_string(0, 0, "ID").ok();
    actuals.write_string(0, 1, "2026-04").ok();
    actuals.write_string(0, 2, "2026-05").ok();
    actuals.write_string(1, 0, "S1").ok();
    actuals.write_number(1, 1, 100.0).ok();
    actuals.write_number(1, 2, 250.0).ok();
    workbook.save_to_buffer().unwrap_or_default()
}

#[test]
fn every_measurement_records_where_it_was_read() {
    let settings = Settings::default();
    let names = NameTable::new(&settings);
    let outcome = read_bytes(book(), &settings, &names, chrono::NaiveDate::MIN)
        .unwrap_or_else(|f| panic!("{f:?}"));
    let goal_set = &outcome.goal_set;
    assert_eq!(goal_set.tables, [Location::sheet("Actuals")]);
    let shop = goal_set
        .metrics
        .iter()
        .find(|m| m.id == "S1")
        .map(|m| &m.measurements);
    let places: Vec<(f64, Option<String>)> = shop
        .into_iter()
        .flatten()
        .map(|m| {
            (
                m.value,
                goal_set.source_location(m.source).map(|l| l.reference()),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            (50.0, None),
            (100.0, Some("Actuals!B2".to_string())),
            (250.0, Some("Actuals!C2".to_string())),
        ]
    );
}
