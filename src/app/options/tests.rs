//! Unit tests of `app::options`.

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
