//! Unit tests of `input::sheet`.

use super::*;
use crate::config::Settings;
use crate::model::Field;

fn range(rows: &[&[&str]]) -> Range<Data> {
    let height = rows.len() as u32;
    let width = rows.iter().map(|r| r.len()).max().unwrap_or(1) as u32;
    let mut range = Range::new((0, 0), (height.max(1) - 1, width.max(1) - 1));
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                range.set_value((r as u32, c as u32), Data::String(text.to_string()));
            }
        }
    }
    range
}

fn names() -> NameTable {
    NameTable::new(&Settings::default())
}

#[test]
fn header_below_title_and_blank_rows() {
    let r = range(&[
        &["FY2026 KPIs — exported 2026-11-01"],
        &[],
        &["ID", "Parent", "Name", "Target", "Department"],
        &["K1", "G1", "Repeat sales", "60000000", "Sales"],
    ]);
    let header = find_header_row(&r, SheetRole::Kpi, &names()).unwrap();
    assert_eq!(header.row, 2);
    assert_eq!(header.column(Column::Field(Field::Target)), Some(3));
    assert_eq!(header.column(Column::Field(Field::Parent)), Some(1));
    assert!(!header.japanese);
}

#[test]
fn japanese_headers_are_detected() {
    let r = range(&[&["コード", "紐づくKGI", "指標名", "目標値", "担当者"]]);
    let header = find_header_row(&r, SheetRole::Kpi, &names()).unwrap();
    assert!(header.japanese);
    assert_eq!(header.column(Column::Field(Field::Owner)), Some(4));
}

#[test]
fn missing_columns_are_reported_from_the_best_row() {
    let r = range(&[&["Title"], &["ID", "Name", "Owner"]]);
    let missing = find_header_row(&r, SheetRole::Kpi, &names()).unwrap_err();
    assert_eq!(missing.missing, vec![Column::Field(Field::Target)]);
}

#[test]
fn a_data_row_is_never_blamed() {
    // The header row names Name and Owner; the row below holds numbers that would read as
    // periods or targets. The missing column is named from the text row.
    let r = range(&[&["Name", "Owner", "Note"], &["45000", "46000", "47000"]]);
    let missing = find_header_row(&r, SheetRole::Kpi, &names()).unwrap_err();
    assert_eq!(missing.missing, vec![Column::Field(Field::Target)]);
}

#[test]
fn without_a_header_the_closest_text_row_is_given_never_a_data_row() {
    // Rows of dates and numbers (some written as text) score no lower than the title, but
    // only the title is a row of text: it is the closest, naming no column.
    let r = range(&[
        &["Sales by month"],
        &["2026-04-01", "100", "200"],
        &["45000", "45100", "45200"],
        &["Notes", "see", "Sheet2"],
    ]);
    let miss = find_header_row(&r, SheetRole::Kpi, &names()).unwrap_err();
    let closest = miss.closest.unwrap();
    assert_eq!(closest.named, 0);
    assert_eq!(closest.row, 3, "the text row with the most texts");
    assert_eq!(closest.texts, ["Notes", "see", "Sheet2"]);
    // Only data rows: no closest row at all.
    let r = range(&[&["2026-04-01", "100"], &["45000", "45100"]]);
    let miss = find_header_row(&r, SheetRole::Kpi, &names()).unwrap_err();
    assert_eq!(miss.closest, None);
    assert_eq!(
        miss.missing,
        [Column::Field(Field::Name), Column::Field(Field::Target)]
    );
}

#[test]
fn header_beyond_row_20_is_not_found() {
    let mut rows: Vec<&[&str]> = vec![&[]; 20];
    rows.push(&["ID", "Name", "Target"]);
    let r = range(&rows);
    assert!(find_header_row(&r, SheetRole::Kgi, &names()).is_err());
}

#[test]
fn actuals_shapes() {
    let long = range(&[&["ID", "年月", "実績"]]);
    let header = find_header_row(&long, SheetRole::Actuals, &names()).unwrap();
    assert!(header.is_long_actuals());
    let wide = range(&[&["ID", "Name", "2026-04", "2026年5月", "Jun-26", "Unit"]]);
    let header = find_header_row(&wide, SheetRole::Actuals, &names()).unwrap();
    assert!(!header.is_long_actuals());
    assert_eq!(header.periods.len(), 3);
    assert_eq!(
        header.periods[1].1,
        NaiveDate::from_ymd_opt(2026, 5, 31).unwrap()
    );
    let neither = range(&[&["ID", "Name", "Notes"]]);
    assert!(find_header_row(&neither, SheetRole::Actuals, &names()).is_err());
}

#[test]
fn duplicate_columns_are_recorded_first_one_kept() {
    let r = range(&[&["ID", "Name", "Parent", "Target", "目標値"]]);
    let header = find_header_row(&r, SheetRole::Kpi, &names()).unwrap();
    assert_eq!(header.column(Column::Field(Field::Target)), Some(3));
    assert_eq!(
        header.duplicates,
        vec![DuplicateHeader {
            heading: Heading::Column(Column::Field(Field::Target)),
            first: 3,
            second: 4
        }]
    );
    let wide = range(&[&["ID", "2026-04", "2026年4月"]]);
    let header = find_header_row(&wide, SheetRole::Actuals, &names()).unwrap();
    assert_eq!(header.duplicates.len(), 1);
    assert_eq!(header.data_columns(), vec![0, 1]);
}

#[test]
fn sparse_cells_far_apart_need_no_dense_range() {
    let id = Data::String("ID".into());
    let name = Data::String("Name".into());
    let target = Data::String("Target".into());
    let far = Data::Float(1.0);
    let cells = vec![
        (3, 0, &id),
        (3, 1, &name),
        (3, 16_383, &target),
        (1_048_575, 16_383, &far),
    ];
    let header = find_header_in_cells(&cells, SheetRole::Kgi, &names()).unwrap();
    assert_eq!(header.row, 3);
    assert_eq!(header.column(Column::Field(Field::Target)), Some(16_383));
}

#[test]
fn header_texts_longer_than_any_column_name_are_not_compared() {
    // Spaces are ignored when matching, so this would name Target if it were normalised:
    // a text this long is skipped without normalising it (the header search stays linear in
    // the cells, not in their text).
    let padded = Data::String(format!("Target{}", " ".repeat(MAX_HEADER_BYTES)));
    let id = Data::String("ID".into());
    let name = Data::String("Name".into());
    let cells = vec![(0, 0, &id), (0, 1, &name), (0, 2, &padded)];
    let missing = find_header_in_cells(&cells, SheetRole::Kgi, &names()).unwrap_err();
    assert_eq!(missing.missing, vec![Column::Field(Field::Target)]);
}

#[test]
fn yearless_month_headers_and_number_runs() {
    let named = range(&[&["ID", "4月", "5月", "Jun", "合計"]]);
    let header = find_header_row(&named, SheetRole::Actuals, &names()).unwrap();
    assert!(header.periods.is_empty());
    let months: Vec<(u32, u32)> = header.months.iter().map(|m| (m.col, m.month)).collect();
    assert_eq!(months, [(1, 4), (2, 5), (3, 6)]);
    assert_eq!(header.data_columns(), [0, 1, 2, 3]);

    let with_numbers = |numbers: &[f64]| {
        let mut row = Range::new((0, 0), (0, numbers.len() as u32));
        row.set_value((0, 0), Data::String("ID".to_string()));
        for (i, n) in numbers.iter().enumerate() {
            row.set_value((0, i as u32 + 1), Data::Float(*n));
        }
        find_header_row(&row, SheetRole::Actuals, &names())
    };
    // A wrapped run of consecutive months is kept (its start is checked against the fiscal
    // year when it is resolved); gaps, repeats, a lone number or a fraction are not months.
    let run = with_numbers(&[10.0, 11.0, 12.0, 1.0, 2.0]).unwrap();
    assert_eq!(run.months.len(), 5);
    for refused in [&[4.0, 6.0, 7.0][..], &[4.0, 4.0], &[4.0], &[4.5, 5.5]] {
        assert!(with_numbers(refused).is_err(), "{refused:?}");
    }
    // Month names win over numbers in the same row: the numbers are not read as months.
    let mut mixed = range(&[&["ID", "4月", "5月"]]);
    mixed.set_value((0, 2), Data::Float(5.0));
    let header = find_header_row(&mixed, SheetRole::Actuals, &names()).unwrap();
    assert_eq!(header.months.len(), 1);
}
