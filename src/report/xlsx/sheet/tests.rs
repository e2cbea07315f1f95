//! Unit tests of `report::xlsx::sheet`.

use super::*;

#[test]
fn wide_characters_count_twice() {
    assert_eq!(display_width("Sales"), 5);
    assert_eq!(display_width("年間売上高"), 10);
    assert_eq!(display_width("KPI一覧"), 7);
    assert_eq!(display_width("two\nlines"), 5);
    assert_eq!(display_width("tab\there"), 7);
}

#[test]
fn numbers_measure_as_formatted() {
    assert_eq!(number_width(100_000_000.0, ValueKind::Money), 11);
    assert_eq!(number_width(-1_000.0, ValueKind::Count), 6);
    assert_eq!(number_width(0.496, ValueKind::Percent), 5);
    assert_eq!(number_width(3.5, ValueKind::Decimal), 4);
}

/// A grid with runs, breaks, empty text, blanks, dates and formulas.
fn write_grid<'f>(sheet: &mut Sheet<'_, 'f>, formats: &'f [Format; 3]) -> Result<(), XlsxError> {
    let [a, b, c] = formats;
    sheet.headers(0, &["one", "two", "three", "four"], c)?;
    for row in 1..6 {
        let f = if row == 3 { b } else { a };
        sheet.text(row, 0, &format!("id {row}"), a)?;
        sheet.text(row, 1, if row == 2 { "" } else { "name" }, f)?;
        sheet.maybe_number(
            row,
            2,
            (row != 4).then_some(row as f64),
            ValueKind::Count,
            f,
        )?;
        sheet.formula(row, 3, "=C2*2", 2.0, ValueKind::Count, b)?;
        let date = NaiveDate::from_ymd_opt(2026, 1, row).unwrap();
        sheet.date(row, 4, date, c)?;
        sheet.blank(row, 5, c)?;
    }
    sheet.fit_columns()
}

#[derive(Clone, Copy)]
enum Mode {
    PerCell,
    AlongRows,
    DownColumns,
}

fn saved(constant_memory: bool, mode: Mode) -> Vec<u8> {
    let formats = [
        Format::new().set_bold(),
        Format::new().set_num_format("0.0"),
        Format::new()
            .set_italic()
            .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin),
    ];
    let mut workbook = rust_xlsxwriter::Workbook::new();
    workbook.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_creation_datetime(&NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()),
    );
    let ws = if constant_memory {
        workbook.add_worksheet_with_constant_memory().unwrap()
    } else {
        workbook.add_worksheet()
    };
    let mut sheet = match mode {
        Mode::PerCell => Sheet::new(ws, 6),
        Mode::AlongRows => Sheet::along_rows(ws, 6),
        Mode::DownColumns => Sheet::down_columns(ws, 6),
    };
    write_grid(&mut sheet, &formats).unwrap();
    workbook.save_to_buffer().unwrap()
}

#[test]
fn formats_applied_by_runs_give_the_same_file_as_per_cell() {
    let per_cell = saved(false, Mode::PerCell);
    assert_eq!(saved(false, Mode::AlongRows), per_cell);
    assert_eq!(saved(false, Mode::DownColumns), per_cell);
    assert_eq!(saved(true, Mode::AlongRows), saved(true, Mode::PerCell));
}

#[test]
fn headers_may_wrap() {
    assert_eq!(header_width("Forecast progress"), 8);
    assert_eq!(header_width("見込み進捗率"), 7);
    assert_eq!(header_width("見込み\n進捗率"), 6);
    // A single English word is never split ("Frequency" wrapped as "Frequenc / y").
    assert_eq!(header_width("Frequency"), 9);
}

#[test]
fn column_runs_longer_than_the_cap_give_the_same_file_as_per_cell() {
    let format = Format::new().set_bold();
    let save = |down_columns: bool| {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        workbook.set_properties(
            &rust_xlsxwriter::DocProperties::new()
                .set_creation_datetime(&NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()),
        );
        let ws = workbook.add_worksheet();
        let mut sheet = if down_columns {
            Sheet::down_columns(ws, 1)
        } else {
            Sheet::new(ws, 1)
        };
        for row in 0..(MAX_COLUMN_RUN * 2 + 7) {
            sheet
                .number(row, 0, f64::from(row), ValueKind::Count, &format)
                .unwrap();
        }
        sheet.fit_columns().unwrap();
        workbook.save_to_buffer().unwrap()
    };
    assert_eq!(save(true), save(false));
}
