//! Unit tests of `batch`.

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn as_of_keywords() {
    let today = d(2026, 12, 1);
    assert_eq!(parse_as_of("today", today).unwrap(), today);
    assert_eq!(
        parse_as_of("prev-month-end", today).unwrap(),
        d(2026, 11, 30)
    );
    assert_eq!(
        parse_as_of("prev-month-end", d(2027, 1, 1)).unwrap(),
        d(2026, 12, 31)
    );
    assert_eq!(parse_as_of("2026-10-31", today).unwrap(), d(2026, 10, 31));
    assert!(parse_as_of("yesterday", today).is_err());
}

#[test]
fn output_stems_follow_the_pattern() {
    let as_of = d(2026, 10, 31);
    let input = Path::new("in/sales.xlsx");
    assert_eq!(output_stem("{stem}", input, as_of), "sales");
    assert_eq!(
        output_stem("{stem}-{period}", input, as_of),
        "sales-2026-10"
    );
    assert_eq!(
        output_stem("{as_of}_{stem}", input, as_of),
        "2026-10-31_sales"
    );
}

#[test]
fn lock_files_and_other_files_are_skipped_in_folders() {
    assert!(is_workbook_name(Path::new("a/KPI.XLSX")));
    assert!(is_workbook_name(Path::new("a/x.ods")));
    assert!(!is_workbook_name(Path::new("a/~$x.xlsx")));
    assert!(!is_workbook_name(Path::new("a/notes.txt")));
}
