//! Calendar helpers: fiscal years, month ends, and the previous period's as-of date.

use chrono::{Datelike, NaiveDate};

/// Last day of the month of `date`.
pub fn month_end(date: NaiveDate) -> NaiveDate {
    let (y, m) = if date.month() == 12 {
        (date.year() + 1, 1)
    } else {
        (date.year(), date.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(date)
}

/// Last day of the month before `date`'s month: the previous period's as-of date.
pub fn previous_month_end(date: NaiveDate) -> NaiveDate {
    date.with_day(1).and_then(|d| d.pred_opt()).unwrap_or(date)
}

/// First day of the fiscal year (starting in `start_month`) that contains `date`.
pub fn fiscal_year_start(date: NaiveDate, start_month: u32) -> NaiveDate {
    let year = if date.month() >= start_month {
        date.year()
    } else {
        date.year() - 1
    };
    NaiveDate::from_ymd_opt(year, start_month, 1).unwrap_or(date)
}

/// Last day of the fiscal year that contains `date`.
pub fn fiscal_year_end(date: NaiveDate, start_month: u32) -> NaiveDate {
    let start = fiscal_year_start(date, start_month);
    NaiveDate::from_ymd_opt(start.year() + 1, start_month, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(date)
}

/// Calendar days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

#[cfg(test)]
mod tests {
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
}
