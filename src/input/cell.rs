//! One cell as calamine gives it, turned into text, a number, a date or an enumeration word,
//! or into the [`Problem`] a finance user can act on (with the raw text shown).

use calamine::Data;
use chrono::{Datelike, NaiveDate};

use crate::contract::{find_word, Column, ValueType, Word};
use crate::findings::Problem;
use crate::text::{normalize_key, quoted, shorten};

use super::value::{
    excel_serial_to_date, parse_counted, parse_date, parse_fiscal_year_end, parse_number,
    parse_period_header, yyyymm,
};

/// What a cell holds, before it is interpreted for a field.
pub fn is_blank(data: &Data) -> bool {
    match data {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// The cell as the user sees it, for messages.
pub fn raw_text(data: &Data) -> String {
    match data {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => format_plain_number(*f),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => dt
            .as_datetime()
            .map(|d| d.date().format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| dt.as_f64().to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// The cell's text as a message quotes it: one line, at most 200 characters (a cell may
/// hold 32,767, and a sheet thousands of such cells).
pub fn raw_quoted(data: &Data) -> String {
    match data {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => quoted(s),
        other => quoted(&raw_text(other)),
    }
}

/// A number or date written as text is at most this many bytes; a longer text is
/// unreadable as one without being parsed.
pub const MAX_VALUE_BYTES: usize = 256;

/// At most this many characters of an id, parent, name, unit or owner are read: the
/// outputs carry these texts on every row, in every format.
pub const MAX_TEXT_CHARS: usize = 256;

/// When a text field's cell holds more than [`MAX_TEXT_CHARS`] characters: the warning
/// that it was cut.
pub fn text_cut(data: &Data, field: Column) -> Option<Problem> {
    let Data::String(s) = data else { return None };
    let trimmed = s.trim();
    if trimmed.len() <= MAX_TEXT_CHARS {
        return None;
    }
    let chars = trimmed.chars().count();
    (chars > MAX_TEXT_CHARS).then_some(Problem::TextCut {
        field,
        chars,
        max: MAX_TEXT_CHARS,
    })
}

/// A number written without exponent or trailing `.0`: 11.0 -> "11", 0.5 -> "0.5".
pub fn format_plain_number(value: f64) -> String {
    if value.is_finite() && value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

fn error_value(data: &Data) -> Option<Problem> {
    match data {
        Data::Error(e) => Some(Problem::ErrorValue {
            value: e.to_string(),
        }),
        _ => None,
    }
}

/// Text for id, name, unit, owner: trimmed, cut at [`MAX_TEXT_CHARS`] characters with "…"
/// (the same way wherever an id is read, so a cut id still matches); numbers as written
/// (id 11 -> "11").
pub fn text(data: &Data) -> Result<Option<String>, Problem> {
    if let Some(p) = error_value(data) {
        return Err(p);
    }
    let trimmed = match data {
        Data::String(s) => shorten(s.trim(), MAX_TEXT_CHARS),
        other => shorten(raw_text(other).trim(), MAX_TEXT_CHARS),
    };
    Ok(if trimmed.is_empty() {
        None
    } else {
        Some(trimmed)
    })
}

/// A number: numeric cells as they are, text through the Japanese-aware parser.
pub fn number(data: &Data, field: Column) -> Result<Option<f64>, Problem> {
    let unreadable = || Problem::UnreadableNumber {
        field,
        raw: raw_quoted(data),
    };
    match data {
        Data::Empty => Ok(None),
        Data::Float(f) if f.is_finite() => Ok(Some(*f)),
        Data::Float(_) => Err(unreadable()),
        Data::Int(i) => Ok(Some(*i as f64)),
        Data::String(s) if s.trim().is_empty() => Ok(None),
        // No number is written this long: not parsed (a parser normalises the whole text).
        Data::String(s) if s.len() > MAX_VALUE_BYTES => Err(unreadable()),
        Data::String(s) => parse_number(s)
            .or_else(|| parse_counted(s).map(|(n, _)| n))
            .map(Some)
            .ok_or_else(unreadable),
        Data::Error(_) => Err(error_value(data).unwrap_or_else(unreadable)),
        Data::Bool(_) | Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => {
            Err(unreadable())
        }
    }
}

/// The unit a number typed as text says: `%` for `12%`, 円 for `6,000万円`, the count word
/// of `100件` or `12.5pt`; `None` for a plain number.
pub fn unit_word(text: &str) -> Option<String> {
    let t = text.trim();
    if parse_number(t).is_some() {
        if t.ends_with('%') || t.ends_with('％') {
            return Some("%".to_string());
        }
        if t.ends_with('円') {
            return Some("円".to_string());
        }
        return None;
    }
    parse_counted(t).map(|(_, word)| word)
}

/// A deadline: a date, or (v2) a period meaning its last day — a month (`2027/3`,
/// `2027年3月`, `Mar-27`) or a fiscal year (`2026年度`, `令和8年度`, `FY2026`,
/// `2027年3月期`), the fiscal year starting in `start_month`.
pub fn deadline(
    data: &Data,
    field: Column,
    start_month: u32,
) -> Result<Option<NaiveDate>, Problem> {
    match data {
        Data::String(s) if !s.trim().is_empty() => {
            let t = s.trim();
            if let Some(d) =
                parse_period_header(t).or_else(|| parse_fiscal_year_end(t, start_month))
            {
                return Ok(Some(d));
            }
            date(data, field)
        }
        _ => date(data, field),
    }
}

/// A date: date cells, Excel serial numbers, `20260401`, and every text form of SPEC 3.
pub fn date(data: &Data, field: Column) -> Result<Option<NaiveDate>, Problem> {
    date_with(data, field, parse_date)
}

/// A date or a month (a month means its last day), for the Actuals sheet's date column. A
/// six-digit number 190001–209912 ending in 01–12 is a `yyyymm` month, never an Excel serial.
pub fn period(data: &Data, field: Column) -> Result<Option<NaiveDate>, Problem> {
    let number = match data {
        Data::Int(i) => Some(*i as f64),
        Data::Float(f) => Some(*f),
        Data::String(s) if s.trim().len() == 6 && s.trim().bytes().all(|b| b.is_ascii_digit()) => {
            s.trim().parse::<f64>().ok()
        }
        _ => None,
    };
    // Six digits are a month or nothing (as serials they would be dates after 2173).
    if let Some(n) = number.filter(|n| n.fract() == 0.0 && (100_000.0..1_000_000.0).contains(n)) {
        return yyyymm(n as u32)
            .map(Some)
            .ok_or_else(|| Problem::UnreadableDate {
                field,
                raw: raw_text(data),
            });
    }
    date_with(data, field, parse_period_header)
}

/// Dates a workbook can show (Excel's own range ends in 9999): outside it, a date cell is
/// unreadable, not written as a raw serial in the workbook or `+10000-01-01` in the JSON.
fn date_with(
    data: &Data,
    field: Column,
    parse_text: fn(&str) -> Option<NaiveDate>,
) -> Result<Option<NaiveDate>, Problem> {
    let unreadable = || Problem::UnreadableDate {
        field,
        raw: raw_quoted(data),
    };
    match any_date(data, parse_text, &unreadable)? {
        Some(d) if !(1900..=9999).contains(&d.year()) => Err(unreadable()),
        other => Ok(other),
    }
}

fn any_date(
    data: &Data,
    parse_text: fn(&str) -> Option<NaiveDate>,
    unreadable: &dyn Fn() -> Problem,
) -> Result<Option<NaiveDate>, Problem> {
    match data {
        Data::Empty => Ok(None),
        Data::DateTime(dt) => dt
            .as_datetime()
            .map(|d| Some(d.date()))
            .ok_or_else(unreadable),
        Data::Float(f) => number_as_date(*f).map(Some).ok_or_else(unreadable),
        Data::Int(i) => number_as_date(*i as f64).map(Some).ok_or_else(unreadable),
        Data::String(s) if s.trim().is_empty() => Ok(None),
        Data::String(s) if s.len() > MAX_VALUE_BYTES => Err(unreadable()),
        Data::String(s) => {
            let trimmed = s.trim();
            if let Some(d) = parse_text(trimmed) {
                return Ok(Some(d));
            }
            match parse_number(trimmed) {
                Some(n) if trimmed.chars().all(|c| c.is_ascii_digit()) => {
                    number_as_date(n).map(Some).ok_or_else(unreadable)
                }
                _ => Err(unreadable()),
            }
        }
        Data::DateTimeIso(s) => {
            let head = s.get(..10).unwrap_or(s);
            parse_date(head).map(Some).ok_or_else(unreadable)
        }
        Data::Error(_) => Err(error_value(data).unwrap_or_else(unreadable)),
        Data::Bool(_) | Data::DurationIso(_) => Err(unreadable()),
    }
}

/// An Excel serial, or a `yyyymmdd` number as ERP exports write dates.
fn number_as_date(n: f64) -> Option<NaiveDate> {
    if n.fract() == 0.0 && (19_000_101.0..=29_991_231.0).contains(&n) {
        let n = n as i64;
        let (y, m, d) = (n / 10_000, (n / 100) % 100, n % 100);
        return NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32);
    }
    excel_serial_to_date(n)
}

/// An enumeration word (direction, frequency, rollup, type), by the words of the contract.
pub fn word<T: Copy>(data: &Data, field: Column, words: &[Word<T>]) -> Result<Option<T>, Problem> {
    match text(data)? {
        None => Ok(None),
        Some(t) => find_word(words, &normalize_key(&t))
            .map(Some)
            .ok_or_else(|| Problem::UnknownWord {
                field,
                raw: quoted(&t),
                expected: match field.spec().value {
                    ValueType::Choice(choices) => choices.for_message(),
                    _ => String::new(),
                },
            }),
    }
}

/// A wide Actuals sheet's column header, when it names a period: a date cell, an Excel
/// serial in a plausible range, or month text (`2026-04`, `2026年4月`, `Apr-26`).
pub fn period_header(data: &Data) -> Option<NaiveDate> {
    match data {
        Data::DateTime(dt) => dt.as_datetime().map(|d| d.date()),
        Data::DateTimeIso(s) => parse_period_header(s.get(..10).unwrap_or(s)),
        Data::Float(_) | Data::Int(_) => {
            let n = match data {
                Data::Float(f) => *f,
                Data::Int(i) => *i as f64,
                _ => return None,
            };
            // 1970-01-01 .. 2099-12-31 as serials; six-digit yyyymm as numbers.
            if (25_569.0..=73_050.0).contains(&n) {
                excel_serial_to_date(n)
            } else if n.fract() == 0.0 && (190_001.0..=209_912.0).contains(&n) {
                yyyymm(n as u32)
            } else {
                None
            }
        }
        Data::String(s) => parse_period_header(s.trim()),
        _ => None,
    }
    .filter(|d| d.year() >= 1900)
}

#[cfg(test)]
mod tests;
