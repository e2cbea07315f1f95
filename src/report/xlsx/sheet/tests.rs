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

#[test]
fn a_formula_result_reads_back_as_the_same_number_as_short_as_display_writes_it() {
    // Round figures, fractions, negatives, the values a report saves (sums of amounts,
    // ratios, differences with rounding noise), and numbers at both ends of the range.
    let mut values = vec![
        0.0,
        -0.0,
        1.0,
        -1.0,
        719.0,
        0.5,
        0.1 + 0.2,
        3.789_999_999_999_999,
        0.665_335_994_677_312_1,
        649.280_000_000_000_1,
        -13.549_999_999_999_997,
        1e15,
        1e16,
        1e17,
        123_456_789_012_345_680.0,
        1e-5,
        1e-7,
        2.5e-300,
        1.7e308,
        f64::MIN_POSITIVE,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ];
    // Every magnitude, with a xorshift's mantissas.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..20_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let bits = (state & 0x800F_FFFF_FFFF_FFFF) | ((state % 2046 + 1) << 52);
        values.push(f64::from_bits(bits));
        values.push((state % 10_000_000) as f64 / 100.0);
    }
    let mut differ = 0;
    for value in values {
        let (text, display) = (result_text(value), value.to_string());
        if value.is_nan() {
            assert_eq!(text, "NaN");
            continue;
        }
        // The same number back, never an exponent, never longer than Display's text.
        assert_eq!(text.parse::<f64>().ok(), Some(value), "{value:e}: {text}");
        assert!(!text.contains('e') || !value.is_finite(), "{text}");
        assert_eq!(text.len(), display.len(), "{value:e}: {text} / {display}");
        differ += usize::from(text != display);
    }
    // Only when two texts of the shortest length read back alike may the last digit differ.
    assert!(differ < 400, "{differ} of 40,023 differ from Display");
}
