//! How numbers, percentages and amounts are written for people: in messages, the HTML
//! summary, the e-mail text and the template workbook. One place, so every output writes
//! `1,234.5` and `49.6%` the same way.

use crate::model::{Lang, Unit};

/// What is shown for a figure that is not a number.
pub const DASH: &str = "–";

/// `value` with `decimals` places and thousands separators; `trim` drops trailing zeros.
/// A value that rounds to zero has no minus sign.
pub fn decimal(value: f64, decimals: usize, trim: bool) -> String {
    if !value.is_finite() {
        return DASH.to_string();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (int_part, frac_part) = text.split_once('.').unwrap_or((&text, ""));
    let frac_part = if trim {
        frac_part.trim_end_matches('0')
    } else {
        frac_part
    };
    let mut grouped = String::with_capacity(int_part.len() + int_part.len() / 3);
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let is_zero = int_part.chars().all(|c| c == '0') && frac_part.chars().all(|c| c == '0');
    let sign = if value < 0.0 && !is_zero { "-" } else { "" };
    if frac_part.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac_part}")
    }
}

/// A number for messages: thousands separators, at most two decimals, no trailing zeros.
pub fn number(value: f64) -> String {
    decimal(value, 2, true)
}

/// Whole numbers from 100 up, two decimals (trimmed) below: figures in running text.
pub fn figure(value: f64) -> String {
    if value.abs() >= 100.0 {
        decimal(value, 0, false)
    } else {
        decimal(value, 2, true)
    }
}

/// A fraction as a percentage with one decimal: 0.496 -> `49.6%`.
pub fn percent(fraction: f64) -> String {
    if !fraction.is_finite() {
        return DASH.to_string();
    }
    format!("{}%", decimal(fraction * 100.0, 1, false))
}

/// A fraction as a whole percentage: 0.8476 -> `85%`.
pub fn percent_whole(fraction: f64) -> String {
    if !fraction.is_finite() {
        return DASH.to_string();
    }
    format!("{}%", decimal(fraction * 100.0, 0, false))
}

/// A difference of two percentages, in points with one decimal: 0.01 -> `1.0 pt`, in
/// Japanese `1.0ポイント` (the article's 「5%ポイント」, without the redundant %).
pub fn points(fraction: f64, lang: Lang) -> String {
    if !fraction.is_finite() {
        return DASH.to_string();
    }
    let number = decimal(fraction * 100.0, 1, false);
    match lang {
        Lang::En => format!("{number} pt"),
        Lang::Ja => format!("{number}ポイント"),
    }
}

/// A difference of two values in a metric's unit: [`points`] for `%`, else [`amount`].
pub fn difference(value: f64, unit: Option<&Unit>, lang: Lang) -> String {
    if unit.is_some_and(Unit::is_percent) {
        points(value, lang)
    } else {
        amount(value, unit)
    }
}

/// A value in a metric's unit: decimals by magnitude, the unit placed as finance readers
/// write it (`¥1,200`, `1,200円`, `1,200 JPY`). A `%` unit holds fractions.
pub fn amount(value: f64, unit: Option<&Unit>) -> String {
    if unit.is_some_and(Unit::is_percent) {
        return percent(value);
    }
    let unit = unit.map(Unit::as_str);
    let magnitude = value.abs();
    let decimals = if magnitude >= 100.0 {
        0
    } else if magnitude >= 10.0 {
        1
    } else {
        2
    };
    let number = decimal(value, decimals, true);
    match unit {
        None => number,
        Some(u) if ["¥", "￥", "$", "€", "£"].contains(&u) => match number.strip_prefix('-') {
            Some(positive) => format!("-{u}{positive}"),
            None => format!("{u}{number}"),
        },
        Some(u) if u.starts_with(|c: char| c.is_ascii_alphanumeric()) => format!("{number} {u}"),
        Some(u) => format!("{number}{u}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_of_percentages_are_points() {
        let percent = Unit::new("%");
        assert_eq!(points(0.0126, Lang::En), "1.3 pt");
        assert_eq!(points(-0.01, Lang::Ja), "-1.0ポイント");
        assert_eq!(difference(0.01, percent.as_ref(), Lang::Ja), "1.0ポイント");
        assert_eq!(
            difference(850.0, Unit::new("k JPY").as_ref(), Lang::En),
            "850 k JPY"
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(number(100_000_000.0), "100,000,000");
        assert_eq!(number(1234.5), "1,234.5");
        assert_eq!(number(-0.004), "0");
        assert_eq!(number(-12.345), "-12.35");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(figure(5_200_579.47), "5,200,579");
        assert_eq!(figure(12.5), "12.5");
        assert_eq!(number(f64::NAN), DASH);
    }

    #[test]
    fn every_spelling_of_percent_shows_fractions_as_percentages() {
        for unit in ["%", "％", "percent", "Percent", "pct", "パーセント"] {
            assert_eq!(amount(0.5, Unit::new(unit).as_ref()), "50.0%", "{unit}");
        }
        assert_eq!(amount(0.5, Unit::new("pt").as_ref()), "0.5 pt");
    }

    #[test]
    fn percentages_and_amounts() {
        assert_eq!(percent(0.496), "49.6%");
        assert_eq!(percent_whole(0.8476), "85%");
        assert_eq!(amount(1200.0, Unit::new("円").as_ref()), "1,200円");
        assert_eq!(amount(-1200.0, Unit::new("¥").as_ref()), "-¥1,200");
        assert_eq!(amount(1200.0, Unit::new("JPY").as_ref()), "1,200 JPY");
        assert_eq!(amount(0.031, Unit::new("%").as_ref()), "3.1%");
        assert_eq!(amount(12.345, None), "12.3");
        assert_eq!(amount(2.345, None), "2.35");
        assert_eq!(percent(f64::NAN), DASH);
    }
}
