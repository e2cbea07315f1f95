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
mod tests;
