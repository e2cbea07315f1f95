//! Unit tests of `input::names`.

use super::*;
use crate::model::Field;

fn table() -> NameTable {
    NameTable::new(&Settings::default())
}

#[test]
fn sheets_match_english_and_japanese_names_insensitively() {
    let t = table();
    assert!(t.sheet_matches(SheetRole::Kgi, "kgi"));
    assert!(t.sheet_matches(SheetRole::Kgi, " ＫＧＩ一覧 "));
    assert!(t.sheet_matches(SheetRole::Kpi, "KPIs"));
    assert!(t.sheet_matches(SheetRole::Kpi, "指標"));
    assert!(t.sheet_matches(SheetRole::Actuals, "実績 推移"));
    assert!(!t.sheet_matches(SheetRole::Kpi, "KGI"));
}

#[test]
fn headers_match_with_notes_and_widths() {
    let t = table();
    let target = Some(Column::Field(Field::Target));
    assert_eq!(t.column_for_header(SheetRole::Kpi, "Target (JPY)"), target);
    assert_eq!(t.column_for_header(SheetRole::Kpi, "目標値（円）"), target);
    assert_eq!(t.column_for_header(SheetRole::Kpi, "ＴＡＲＧＥＴ"), target);
    assert_eq!(
        t.column_for_header(SheetRole::Kpi, "紐づくKGI"),
        Some(Column::Field(Field::Parent))
    );
    assert_eq!(
        t.column_for_header(SheetRole::Kpi, "KGI"),
        Some(Column::Field(Field::Parent))
    );
    assert_eq!(
        t.column_for_header(SheetRole::Kgi, "KGI"),
        Some(Column::Field(Field::Name))
    );
    assert_eq!(
        t.column_for_header(SheetRole::Kgi, "KGI ID"),
        Some(Column::Field(Field::Id))
    );
    assert_eq!(
        t.column_for_header(SheetRole::Kpi, "KGI ID"),
        Some(Column::Field(Field::Parent))
    );
    assert_eq!(t.column_for_header(SheetRole::Kpi, "Department"), None);
    assert_eq!(
        t.column_for_header(SheetRole::Actuals, "年月"),
        Some(Column::Date)
    );
}

#[test]
fn config_adds_names() {
    let settings = Settings::parse(
        "[names.sheets]\nkpi = [\"Scorecard\"]\n[names.columns]\ntarget = [\"Plan\"]",
    )
    .unwrap();
    let t = NameTable::new(&settings);
    assert!(t.sheet_matches(SheetRole::Kpi, "scorecard"));
    assert_eq!(
        t.column_for_header(SheetRole::Kgi, "PLAN"),
        Some(Column::Field(Field::Target))
    );
}
