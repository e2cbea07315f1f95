//! Unit tests of `dates`.

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn fiscal_year_from_april() {
    assert_eq!(fiscal_year_start(d(2027, 3, 31), 4), d(2026, 4, 1));
    assert_eq!(fiscal_year_start(d(2026, 4, 1), 4), d(2026, 4, 1));
    assert_eq!(fiscal_year_end(d(2026, 11, 26), 4), d(2027, 3, 31));
    assert_eq!(fiscal_year_end(d(2026, 2, 1), 4), d(2026, 3, 31));
    assert_eq!(fiscal_year_start(d(2026, 6, 1), 1), d(2026, 1, 1));
    assert_eq!(fiscal_year_end(d(2026, 6, 1), 1), d(2026, 12, 31));
}

#[test]
fn month_ends() {
    assert_eq!(month_end(d(2028, 2, 3)), d(2028, 2, 29));
    assert_eq!(month_end(d(2026, 12, 3)), d(2026, 12, 31));
    assert_eq!(previous_month_end(d(2026, 11, 26)), d(2026, 10, 31));
    assert_eq!(previous_month_end(d(2026, 1, 1)), d(2025, 12, 31));
}
