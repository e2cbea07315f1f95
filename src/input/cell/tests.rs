//! Unit tests of `input::cell`.

use super::*;
use crate::model::Field;

#[test]
fn ids_keep_the_shown_form() {
    assert_eq!(text(&Data::Float(11.0)).unwrap().as_deref(), Some("11"));
    assert_eq!(text(&Data::Int(7)).unwrap().as_deref(), Some("7"));
    assert_eq!(text(&Data::Float(1.5)).unwrap().as_deref(), Some("1.5"));
    assert_eq!(
        text(&Data::String("  K1 ".into())).unwrap().as_deref(),
        Some("K1")
    );
    assert_eq!(text(&Data::String("   ".into())).unwrap(), None);
}

#[test]
fn numbers_from_text_and_refusals_show_the_raw_text() {
    assert_eq!(
        number(
            &Data::String("6,000万円".into()),
            Column::Field(Field::Target)
        )
        .unwrap(),
        Some(60_000_000.0)
    );
    let err = number(&Data::String("12,3.4".into()), Column::Field(Field::Target)).unwrap_err();
    assert_eq!(
        err,
        Problem::UnreadableNumber {
            field: Column::Field(Field::Target),
            raw: "12,3.4".into()
        }
    );
    assert!(matches!(
        number(
            &Data::Error(calamine::CellErrorType::Div0),
            Column::Field(Field::Target)
        ),
        Err(Problem::ErrorValue { .. })
    ));
    assert!(number(&Data::Bool(true), Column::Field(Field::Target)).is_err());
}

#[test]
fn dates_from_serials_text_and_yyyymmdd() {
    let d = NaiveDate::from_ymd_opt(2026, 4, 1);
    assert_eq!(
        date(&Data::Float(46113.0), Column::Field(Field::Deadline)).unwrap(),
        d
    );
    assert_eq!(
        date(&Data::Int(20260401), Column::Field(Field::Deadline)).unwrap(),
        d
    );
    assert_eq!(
        date(
            &Data::String("20260401".into()),
            Column::Field(Field::Deadline)
        )
        .unwrap(),
        d
    );
    assert_eq!(
        date(
            &Data::String("令和8年4月1日".into()),
            Column::Field(Field::Deadline)
        )
        .unwrap(),
        d
    );
    assert!(date(&Data::String("soon".into()), Column::Field(Field::Deadline)).is_err());
    assert_eq!(
        period(&Data::String("2026年4月".into()), Column::Date).unwrap(),
        NaiveDate::from_ymd_opt(2026, 4, 30)
    );
}

#[test]
fn period_headers() {
    assert_eq!(
        period_header(&Data::String("2026-04".into())),
        NaiveDate::from_ymd_opt(2026, 4, 30)
    );
    assert_eq!(
        period_header(&Data::Float(46142.0)),
        NaiveDate::from_ymd_opt(2026, 4, 30)
    );
    assert_eq!(
        period_header(&Data::Int(202604)),
        NaiveDate::from_ymd_opt(2026, 4, 30)
    );
    assert_eq!(period_header(&Data::String("Name".into())), None);
    assert_eq!(period_header(&Data::Float(12.0)), None);
}

#[test]
fn dates_outside_1900_to_9999_are_unreadable() {
    // Serial 3,000,000 is in the year 10113; 2958465 is 9999-12-31.
    assert!(matches!(
        date(&Data::Float(3_000_000.0), Column::Field(Field::Deadline)),
        Err(Problem::UnreadableDate { .. })
    ));
    assert_eq!(
        date(&Data::Float(2_958_465.0), Column::Field(Field::Deadline)).unwrap(),
        NaiveDate::from_ymd_opt(9999, 12, 31)
    );
    assert!(matches!(
        date(
            &Data::String("1899-12-31".into()),
            Column::Field(Field::Deadline)
        ),
        Err(Problem::UnreadableDate { .. })
    ));
}

#[test]
fn quoted_raw_text_is_short_and_on_one_line() {
    let long = Data::String(format!("a\nb{}", "x".repeat(1000)));
    let quoted = raw_quoted(&long);
    assert!(quoted.starts_with("a\\nb"));
    assert!(quoted.ends_with('…'));
    assert_eq!(quoted.chars().count(), 202);
    let cut = text(&Data::String("y".repeat(300))).unwrap().unwrap();
    assert_eq!(cut.chars().count(), MAX_TEXT_CHARS + 1);
    assert!(text_cut(&Data::String("y".repeat(300)), Column::Field(Field::Name)).is_some());
    assert!(text_cut(&Data::String("y".repeat(256)), Column::Field(Field::Name)).is_none());
}

#[test]
fn a_text_too_long_for_a_number_or_a_date_is_not_parsed() {
    let long = Data::String(format!("1{}", "0".repeat(MAX_VALUE_BYTES)));
    assert!(matches!(
        number(&long, Column::Field(Field::Target)),
        Err(Problem::UnreadableNumber { .. })
    ));
    assert!(matches!(
        date(&long, Column::Field(Field::Deadline)),
        Err(Problem::UnreadableDate { .. })
    ));
    assert_eq!(
        number(
            &Data::String("1,234,567円".into()),
            Column::Field(Field::Target)
        )
        .unwrap(),
        Some(1_234_567.0)
    );
}

#[test]
fn six_digit_numbers_in_a_period_position_are_months() {
    let april = NaiveDate::from_ymd_opt(2026, 4, 30);
    assert_eq!(period(&Data::Int(202604), Column::Date).unwrap(), april);
    assert_eq!(period(&Data::Float(202604.0), Column::Date).unwrap(), april);
    assert_eq!(
        period(&Data::String("202604".into()), Column::Date).unwrap(),
        april
    );
    assert_eq!(
        period(&Data::String("R.08/04/30".into()), Column::Date).unwrap(),
        april
    );
    // Out of the yyyymm range: an unreadable period, not a date in the year 2454.
    assert!(period(&Data::String("202613".into()), Column::Date).is_err());
    assert_eq!(period_header(&Data::Int(210001)), None);
    // An Excel serial is still a date.
    assert_eq!(
        period(&Data::Float(46142.0), Column::Date).unwrap(),
        NaiveDate::from_ymd_opt(2026, 4, 30)
    );
}
