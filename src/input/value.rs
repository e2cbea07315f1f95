//! Turning cell text into numbers, dates and enumeration values the way finance teams type them;
//! the Japanese formats (full-width forms, ¥/円, △ negatives, 万/億 multipliers, eras) live here.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use unicode_normalization::UnicodeNormalization;

use crate::model::{Direction, Frequency, Kind, Rollup};

/// Key for insensitive matching of sheet names, column headers and enumeration words:
/// Unicode NFKC, lower case, every white space (including U+3000 ideographic space) and every
/// `_` removed. Nothing else is removed, so `higher-is-better` keeps its hyphens.
pub fn normalize_key(text: &str) -> String {
    text.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace() && *c != '_')
        .collect()
}

/// NFKC (full-width digits, signs, parentheses and ％ become ASCII, ￥ becomes ¥), the
/// mathematical minus U+2212 as `-`, trimmed of white space and of invisible marks that
/// copy-paste leaves at the ends (zero-width space, byte-order mark).
fn prepare(text: &str) -> String {
    let mapped: String = text
        .nfkc()
        .map(|c| if c == '\u{2212}' { '-' } else { c })
        .collect();
    mapped
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}')
        .to_string()
}

// ---------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------

/// A number written as text, or `None` when the text is not a number.
///
/// Accepts thousands separators in groups of three, full-width forms, currency marks
/// (¥ ￥ $ € £ `\` before, 円 ¥ $ € £ after, `JPY`/`USD`/`EUR` either side), a trailing `%`
/// (divides by 100), negatives as `-`, `−`, `(…)`, `△`, `▲`, and the multipliers 千 万 億 兆 in
/// decreasing order (`1億2,000万5000`). The scaling is done on the decimal digits and the
/// result is parsed once, so `1.1万` is exactly 11000 and `0.3%` is exactly `0.003`.
/// A zero result is always `+0.0`.
pub fn parse_number(text: &str) -> Option<f64> {
    let prepared = prepare(text);
    let mut rest = prepared.as_str();
    let mut negative = false;
    let mut sign_seen = false;
    let mut parenthesized = false;
    let mut currency_seen = false;

    // Leading marks in any order, each kind at most once: one sign marker, one currency.
    loop {
        rest = rest.trim_start();
        if let Some((sign, after)) = strip_sign(rest) {
            if sign_seen {
                return None;
            }
            sign_seen = true;
            match sign {
                Sign::Plus => {}
                Sign::Minus => negative = true,
                Sign::OpenParenthesis => {
                    negative = true;
                    parenthesized = true;
                }
            }
            rest = after;
        } else if let Some(after) = strip_currency_prefix(rest) {
            if currency_seen {
                return None;
            }
            currency_seen = true;
            rest = after;
        } else {
            break;
        }
    }

    // Trailing marks in any order: the closing parenthesis, `%`, one currency.
    let mut closed = false;
    let mut percent = false;
    loop {
        rest = rest.trim_end();
        if let Some(before) = rest.strip_suffix(')') {
            if closed || !parenthesized {
                return None;
            }
            closed = true;
            rest = before;
        } else if let Some(before) = rest.strip_suffix('%') {
            if percent {
                return None;
            }
            percent = true;
            rest = before;
        } else if let Some(before) = strip_currency_suffix(rest) {
            if currency_seen {
                return None;
            }
            currency_seen = true;
            rest = before;
        } else {
            break;
        }
    }
    if parenthesized != closed || (percent && currency_seen) {
        return None;
    }

    // A percentage of a multiplied amount (`1万%`) is not something anyone means.
    let mut amount = parse_amount(rest, !percent)?;
    if percent {
        amount.exponent = amount.exponent.checked_sub(2)?;
    }
    let magnitude = amount.to_f64()?;
    if magnitude == 0.0 {
        Some(0.0)
    } else if negative {
        Some(-magnitude)
    } else {
        Some(magnitude)
    }
}

enum Sign {
    Plus,
    Minus,
    OpenParenthesis,
}

fn strip_sign(text: &str) -> Option<(Sign, &str)> {
    let mut chars = text.chars();
    let sign = match chars.next()? {
        '+' => Sign::Plus,
        '-' | '△' | '▲' => Sign::Minus,
        '(' => Sign::OpenParenthesis,
        _ => return None,
    };
    Some((sign, chars.as_str()))
}

/// ISO codes accepted as a currency token before or after the amount.
const CURRENCY_CODES: [&str; 3] = ["JPY", "USD", "EUR"];

fn strip_currency_prefix(text: &str) -> Option<&str> {
    // `\` is how the yen sign shows up in text from Shift_JIS systems.
    for mark in ['¥', '$', '€', '£', '\\'] {
        if let Some(after) = text.strip_prefix(mark) {
            return Some(after);
        }
    }
    let head = text.get(..3)?;
    if CURRENCY_CODES
        .iter()
        .any(|code| head.eq_ignore_ascii_case(code))
    {
        return text.get(3..);
    }
    None
}

fn strip_currency_suffix(text: &str) -> Option<&str> {
    for mark in ['円', '¥', '$', '€', '£'] {
        if let Some(before) = text.strip_suffix(mark) {
            return Some(before);
        }
    }
    let split = text.len().checked_sub(3)?;
    let tail = text.get(split..)?;
    if CURRENCY_CODES
        .iter()
        .any(|code| tail.eq_ignore_ascii_case(code))
    {
        return text.get(..split);
    }
    None
}

/// A non-negative decimal: `digits × 10^exponent`, digits most significant first.
#[derive(Debug, Clone, PartialEq)]
struct Decimal {
    digits: Vec<u8>,
    exponent: i64,
}

impl Decimal {
    /// The nearest f64 (one correctly rounded parse), or `None` when it is not finite.
    fn to_f64(&self) -> Option<f64> {
        let mut text: String = self
            .digits
            .iter()
            .filter_map(|digit| char::from_digit(u32::from(*digit), 10))
            .collect();
        if text.is_empty() {
            text.push('0');
        }
        text.push('e');
        text.push_str(&self.exponent.to_string());
        text.parse::<f64>().ok().filter(|value| value.is_finite())
    }
}

/// A number without sign or marks as written: integer digits, fraction digits, exponent.
struct WrittenNumber {
    integer: Vec<u8>,
    fraction: Vec<u8>,
    exponent: i64,
}

impl WrittenNumber {
    /// Digits of the integer part without leading zeros.
    fn integer_width(&self) -> usize {
        self.integer.iter().skip_while(|digit| **digit == 0).count()
    }

    /// The value times `10^power`, exactly.
    fn scaled(&self, power: u32) -> Option<Decimal> {
        let fraction_len = i64::try_from(self.fraction.len()).ok()?;
        let exponent = self
            .exponent
            .checked_add(i64::from(power))?
            .checked_sub(fraction_len)?;
        let mut digits = self.integer.clone();
        digits.extend_from_slice(&self.fraction);
        Some(Decimal { digits, exponent })
    }
}

/// Power of ten of a Japanese multiplier.
fn multiplier_power(c: char) -> Option<u32> {
    match c {
        '千' => Some(3),
        '万' => Some(4),
        '億' => Some(8),
        '兆' => Some(12),
        _ => None,
    }
}

/// The amount without sign and marks: a plain number (exponent allowed), or number segments
/// each followed by a multiplier in strictly decreasing order, with an optional remainder.
/// Segments after the first must fit under the previous multiplier (`1億2,000万`, not
/// `1億20000万`), and only the last figure may carry a fraction.
fn parse_amount(body: &str, allow_multipliers: bool) -> Option<Decimal> {
    let mut segments: Vec<(&str, u32)> = Vec::new();
    let mut start = 0;
    for (index, c) in body.char_indices() {
        if let Some(power) = multiplier_power(c) {
            segments.push((body.get(start..index)?, power));
            start = index.checked_add(c.len_utf8())?;
        }
    }
    let remainder = body.get(start..)?;
    if segments.is_empty() {
        return parse_written_number(remainder, true)?.scaled(0);
    }
    if !allow_multipliers {
        return None;
    }

    let has_remainder = !remainder.is_empty();
    let last_segment = segments.len().checked_sub(1)?;
    let mut previous_power: Option<u32> = None;
    let mut parts = Vec::with_capacity(segments.len().saturating_add(1));
    for (index, (segment, power)) in segments.iter().enumerate() {
        let number = parse_written_number(segment, false)?;
        let is_last_figure = !has_remainder && index == last_segment;
        if !number.fraction.is_empty() && !is_last_figure {
            return None;
        }
        if let Some(previous) = previous_power {
            let room = previous.checked_sub(*power)?;
            if room == 0 || number.integer_width() > usize::try_from(room).ok()? {
                return None;
            }
        }
        parts.push(number.scaled(*power)?);
        previous_power = Some(*power);
    }
    if has_remainder {
        let number = parse_written_number(remainder, false)?;
        if number.integer_width() > usize::try_from(previous_power?).ok()? {
            return None;
        }
        parts.push(number.scaled(0)?);
    }
    sum_decimals(&parts)
}

/// `1,234.5`, `.5`, `1e6`, `1.5E-3`: digits with optional thousands separators (groups of
/// three, not combined with an exponent), an optional fraction, an optional exponent.
fn parse_written_number(text: &str, allow_exponent: bool) -> Option<WrittenNumber> {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) if allow_exponent => (
            text.get(..at)?,
            Some(parse_exponent(text.get(at.checked_add(1)?..)?)?),
        ),
        Some(_) => return None,
        None => (text, None),
    };
    let (integer_text, fraction_text) = match mantissa.split_once('.') {
        Some((integer, fraction)) => (integer, Some(fraction)),
        None => (mantissa, None),
    };
    let fraction = match fraction_text {
        Some("") => return None,
        Some(fraction) => ascii_digits(fraction)?,
        None => Vec::new(),
    };
    let integer = if integer_text.contains(',') {
        if exponent.is_some() {
            return None;
        }
        grouped_digits(integer_text)?
    } else {
        ascii_digits(integer_text)?
    };
    if integer.is_empty() && fraction.is_empty() {
        return None;
    }
    Some(WrittenNumber {
        integer,
        fraction,
        exponent: exponent.unwrap_or(0),
    })
}

/// Bound on a written exponent: far beyond any finite f64, so clamping changes no result.
const EXPONENT_LIMIT: i64 = 1_000_000_000_000;

fn parse_exponent(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let digits = ascii_digits(digits)?;
    if digits.is_empty() {
        return None;
    }
    let magnitude = digits
        .iter()
        .fold(0_i64, |value, digit| {
            value.saturating_mul(10).saturating_add(i64::from(*digit))
        })
        .min(EXPONENT_LIMIT);
    Some(if negative { -magnitude } else { magnitude })
}

/// Every character an ASCII digit (possibly none), as digit values.
fn ascii_digits(text: &str) -> Option<Vec<u8>> {
    text.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                c.to_digit(10).and_then(|digit| u8::try_from(digit).ok())
            } else {
                None
            }
        })
        .collect()
}

/// `12,345,678`: a first group of one to three digits, then groups of exactly three.
fn grouped_digits(text: &str) -> Option<Vec<u8>> {
    let mut digits = Vec::new();
    for (index, group) in text.split(',').enumerate() {
        let valid_width = if index == 0 {
            (1..=3).contains(&group.len())
        } else {
            group.len() == 3
        };
        if !valid_width {
            return None;
        }
        digits.extend(ascii_digits(group)?);
    }
    Some(digits)
}

/// Exact sum of non-negative decimals.
fn sum_decimals(parts: &[Decimal]) -> Option<Decimal> {
    let exponent = parts.iter().map(|part| part.exponent).min()?;
    let mut total = Vec::new();
    for part in parts {
        let shift = usize::try_from(part.exponent.checked_sub(exponent)?).ok()?;
        let mut digits = part.digits.clone();
        digits.resize(digits.len().checked_add(shift)?, 0);
        total = add_digits(&total, &digits);
    }
    Some(Decimal {
        digits: total,
        exponent,
    })
}

fn add_digits(left: &[u8], right: &[u8]) -> Vec<u8> {
    let mut sum = Vec::with_capacity(left.len().max(right.len()).saturating_add(1));
    let mut left_digits = left.iter().rev();
    let mut right_digits = right.iter().rev();
    let mut carry = 0_u8;
    loop {
        let (a, b) = (left_digits.next(), right_digits.next());
        if a.is_none() && b.is_none() {
            break;
        }
        // Digits are 0..=9, so the column sum is at most 19.
        let column = a.copied().unwrap_or(0) + b.copied().unwrap_or(0) + carry;
        sum.push(column % 10);
        carry = column / 10;
    }
    if carry > 0 {
        sum.push(carry);
    }
    sum.reverse();
    sum
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

/// A piece of date text. White space runs are kept as one token because the separator
/// forms (`2026/4/1`) refuse it while the kanji forms (`2026 年 4 月 1 日`) allow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    /// A run of ASCII digits: its value (saturating) and its width.
    Number {
        value: u32,
        width: usize,
    },
    /// 元, the first year of an era.
    FirstYear,
    /// An era written in kanji (令和): the Western year of its year 1.
    EraName(i32),
    /// A lone Latin letter: an era initial (R, H, S, T, M) or the ISO time separator T.
    Letter(char),
    /// An English month name or abbreviation.
    MonthName(u32),
    /// An English weekday name or abbreviation.
    WeekdayName(Weekday),
    Space,
    Symbol(char),
}

fn tokenize(text: &str) -> Option<Vec<Token>> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if let Some(first) = c.to_digit(10) {
            let mut value = first;
            let mut width = 1_usize;
            while let Some(digit) = chars.peek().and_then(|next| next.to_digit(10)) {
                chars.next();
                value = value.saturating_mul(10).saturating_add(digit);
                width = width.saturating_add(1);
            }
            tokens.push(Token::Number { value, width });
        } else if c.is_whitespace() {
            while chars.peek().is_some_and(|next| next.is_whitespace()) {
                chars.next();
            }
            tokens.push(Token::Space);
        } else if c.is_ascii_alphabetic() {
            let mut word = String::from(c.to_ascii_lowercase());
            while let Some(next) = chars.peek().copied().filter(char::is_ascii_alphabetic) {
                chars.next();
                word.push(next.to_ascii_lowercase());
            }
            tokens.push(word_token(&word)?);
        } else if c == '元' {
            tokens.push(Token::FirstYear);
        } else if let Some(first_year) = chars.peek().and_then(|next| era_by_name(c, *next)) {
            chars.next();
            tokens.push(Token::EraName(first_year));
        } else {
            tokens.push(Token::Symbol(c));
        }
    }
    Some(tokens)
}

fn word_token(word: &str) -> Option<Token> {
    let mut letters = word.chars();
    if let (Some(letter), None) = (letters.next(), letters.next()) {
        return Some(Token::Letter(letter));
    }
    if let Some(month) = month_by_name(word) {
        return Some(Token::MonthName(month));
    }
    weekday_by_name(word).map(Token::WeekdayName)
}

/// Western year of year 1 of an era written in kanji.
fn era_by_name(first: char, second: char) -> Option<i32> {
    match (first, second) {
        ('令', '和') => Some(2019),
        ('平', '成') => Some(1989),
        ('昭', '和') => Some(1926),
        ('大', '正') => Some(1912),
        ('明', '治') => Some(1868),
        _ => None,
    }
}

/// Western year of year 1 of an era written by its initial.
fn era_by_initial(letter: char) -> Option<i32> {
    match letter.to_ascii_lowercase() {
        'r' => Some(2019),
        'h' => Some(1989),
        's' => Some(1926),
        't' => Some(1912),
        'm' => Some(1868),
        _ => None,
    }
}

fn month_by_name(word: &str) -> Option<u32> {
    let month = match word {
        "jan" | "january" => 1,
        "feb" | "february" => 2,
        "mar" | "march" => 3,
        "apr" | "april" => 4,
        "may" => 5,
        "jun" | "june" => 6,
        "jul" | "july" => 7,
        "aug" | "august" => 8,
        "sep" | "sept" | "september" => 9,
        "oct" | "october" => 10,
        "nov" | "november" => 11,
        "dec" | "december" => 12,
        _ => return None,
    };
    Some(month)
}

fn weekday_by_name(word: &str) -> Option<Weekday> {
    let weekday = match word {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    };
    Some(weekday)
}

fn weekday_by_kanji(c: char) -> Option<Weekday> {
    match c {
        '月' => Some(Weekday::Mon),
        '火' => Some(Weekday::Tue),
        '水' => Some(Weekday::Wed),
        '木' => Some(Weekday::Thu),
        '金' => Some(Weekday::Fri),
        '土' => Some(Weekday::Sat),
        '日' => Some(Weekday::Sun),
        _ => None,
    }
}

fn trim_spaces(mut tokens: &[Token]) -> &[Token] {
    while let [Token::Space, rest @ ..] = tokens {
        tokens = rest;
    }
    while let [rest @ .., Token::Space] = tokens {
        tokens = rest;
    }
    tokens
}

fn is_number(token: &Token, widths: std::ops::RangeInclusive<usize>) -> Option<u32> {
    match token {
        Token::Number { value, width } if widths.contains(width) => Some(*value),
        _ => None,
    }
}

/// Drops a trailing time of day (` 0:00`, `T09:30`, ` 00:00:00.000`); refuses a malformed one
/// only by leaving it in place, where it makes the date unreadable.
fn strip_time(tokens: &[Token]) -> &[Token] {
    let time_start = tokens.iter().enumerate().rev().find_map(|(index, token)| {
        let separator = matches!(token, Token::Space | Token::Letter('t'));
        let time = tokens.get(index.checked_add(1)?..)?;
        (separator && index > 0 && is_time(time)).then_some(index)
    });
    match time_start.and_then(|index| tokens.get(..index)) {
        Some(date) => date,
        None => tokens,
    }
}

fn is_time(tokens: &[Token]) -> bool {
    let two_digits_below =
        |token: &Token, limit: u32| is_number(token, 2..=2).is_some_and(|v| v < limit);
    let (hour, minute, rest) = match tokens {
        [hour, Token::Symbol(':'), minute, rest @ ..] => (hour, minute, rest),
        _ => return false,
    };
    let clock = is_number(hour, 1..=2).is_some_and(|h| h < 24) && two_digits_below(minute, 60);
    clock
        && match rest {
            [] => true,
            [Token::Symbol(':'), second] => two_digits_below(second, 60),
            [Token::Symbol(':'), second, Token::Symbol('.'), fraction] => {
                two_digits_below(second, 60) && is_number(fraction, 1..=usize::MAX).is_some()
            }
            _ => false,
        }
}

/// Splits off a trailing weekday in parentheses: `(水)`, `(水曜日)`, `(Wed)`.
/// `Err(())` when the text ends in parentheses that hold something else.
fn strip_weekday(tokens: &[Token]) -> Result<(&[Token], Option<Weekday>), ()> {
    let Some((Token::Symbol(')'), before_close)) = tokens.split_last() else {
        return Ok((tokens, None));
    };
    let open = before_close
        .iter()
        .rposition(|token| *token == Token::Symbol('('))
        .ok_or(())?;
    let inside = before_close
        .get(open.checked_add(1).ok_or(())?..)
        .ok_or(())?;
    let weekday = match trim_spaces(inside) {
        [Token::WeekdayName(day)] => Some(*day),
        [Token::Symbol(c)] => weekday_by_kanji(*c),
        [Token::Symbol(c), Token::Symbol('曜')] => weekday_by_kanji(*c),
        [Token::Symbol(c), Token::Symbol('曜'), Token::Symbol('日')] => weekday_by_kanji(*c),
        _ => None,
    }
    .ok_or(())?;
    Ok((before_close.get(..open).ok_or(())?, Some(weekday)))
}

/// The year at the start: four digits, or an era with its year (`R8`, `令和元`).
fn leading_year(tokens: &[Token]) -> Option<(i32, &[Token])> {
    match tokens {
        [Token::Number { value, width: 4 }, rest @ ..] => {
            let year = i32::try_from(*value).ok().filter(|year| *year >= 1)?;
            Some((year, rest))
        }
        [era, year, rest @ ..] => {
            let first_year = match era {
                Token::EraName(first_year) => *first_year,
                Token::Letter(letter) => era_by_initial(*letter)?,
                _ => return None,
            };
            let year_of_era = match year {
                Token::FirstYear => 1,
                other => i32::try_from(is_number(other, 1..=2)?).ok()?,
            };
            if year_of_era < 1 {
                return None;
            }
            Some((first_year.checked_add(year_of_era)?.checked_sub(1)?, rest))
        }
        _ => None,
    }
}

fn is_date_separator(c: char) -> bool {
    matches!(c, '-' | '/' | '.')
}

fn without_spaces(tokens: &[Token]) -> Vec<Token> {
    tokens
        .iter()
        .filter(|token| **token != Token::Space)
        .copied()
        .collect()
}

/// `2026-4-1`, `R8.4.1`, `2026年4月1日`, `令和元年5月1日`.
fn date_from_tokens(tokens: &[Token]) -> Option<NaiveDate> {
    if !tokens.contains(&Token::Space) {
        let (year, rest) = leading_year(tokens)?;
        if let [Token::Symbol(first), month, Token::Symbol(second), day] = rest {
            if first == second && is_date_separator(*first) {
                return NaiveDate::from_ymd_opt(
                    year,
                    is_number(month, 1..=2)?,
                    is_number(day, 1..=2)?,
                );
            }
        }
    }
    let compact = without_spaces(tokens);
    let (year, rest) = leading_year(&compact)?;
    match rest {
        [Token::Symbol('年'), month, Token::Symbol('月'), day, Token::Symbol('日')] => {
            NaiveDate::from_ymd_opt(year, is_number(month, 1..=2)?, is_number(day, 1..=2)?)
        }
        _ => None,
    }
}

/// A date written as text, or `None`.
///
/// Accepts `2026-04-01`, `2026/4/1`, `2026.4.1`, `2026年4月1日` (spaces allowed around the
/// kanji), the eras 令和 平成 昭和 大正 明治 by name or initial (`令和元年5月1日`, `R8.4.1`), full-width
/// forms, a trailing time (` 00:00:00`, `T09:30`) which is ignored, and a trailing weekday in
/// parentheses (`(水)`, `（水曜日）`, `(Wed)`) which must be the date's weekday. Years are four
/// digits (or an era year); the order is always year, month, day.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let prepared = prepare(text);
    let tokens = tokenize(&prepared)?;
    let tokens = trim_spaces(strip_time(trim_spaces(&tokens)));
    let (tokens, weekday) = strip_weekday(tokens).ok()?;
    let date = date_from_tokens(trim_spaces(tokens))?;
    match weekday {
        Some(day) if day != date.weekday() => None,
        _ => Some(date),
    }
}

/// Excel serial day number (1900 date system) to a date; `None` outside 1..=2958465
/// (1900-01-01..=9999-12-31) or when not finite. Fractions (times of day) are dropped.
/// Excel counts a fictitious 1900-02-29 as serial 60: that serial gives `None` (no real date
/// was meant), and serials after it are shifted back by one day (46113 = 2026-04-01).
pub fn excel_serial_to_date(serial: f64) -> Option<NaiveDate> {
    if !serial.is_finite() {
        return None;
    }
    let day = serial.floor();
    if !(1.0..=2_958_465.0).contains(&day) {
        return None;
    }
    // In range, so the conversion is exact.
    let day = day as u64;
    let day_zero = match day {
        60 => return None,
        ..=59 => NaiveDate::from_ymd_opt(1899, 12, 31)?,
        _ => NaiveDate::from_ymd_opt(1899, 12, 30)?,
    };
    day_zero.checked_add_days(Days::new(day))
}

fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)?
        .checked_add_months(Months::new(1))?
        .pred_opt()
}

/// Separators allowed between an English month name and its year.
fn is_month_name_separator(token: &Token) -> bool {
    matches!(
        token,
        Token::Space | Token::Symbol('-' | '/' | '.' | ',' | '\'' | '’')
    )
}

/// `2026-04`, `R8.4`, `2026年4月分`, `202604`, `Apr-26`, `April 2026`, `2026-Apr`.
fn month_from_tokens(tokens: &[Token]) -> Option<NaiveDate> {
    if let [Token::Number { value, width: 6 }] = tokens {
        let year = i32::try_from(value / 100).ok().filter(|year| *year >= 1)?;
        return last_day_of_month(year, value % 100);
    }
    if let (Some(Token::MonthName(month)), Some(year)) = (tokens.first(), tokens.last()) {
        let between = tokens.get(1..tokens.len().checked_sub(1)?)?;
        if (1..=2).contains(&between.len()) && between.iter().all(is_month_name_separator) {
            let year = match year {
                Token::Number { value, width: 2 } => value.checked_add(2000)?,
                Token::Number { value, width: 4 } => *value,
                _ => return None,
            };
            return last_day_of_month(i32::try_from(year).ok().filter(|y| *y >= 1)?, *month);
        }
    }
    if let [Token::Number { value, width: 4 }, separator, Token::MonthName(month)] = tokens {
        if is_month_name_separator(separator) {
            return last_day_of_month(i32::try_from(*value).ok().filter(|y| *y >= 1)?, *month);
        }
    }
    if !tokens.contains(&Token::Space) {
        let (year, rest) = leading_year(tokens)?;
        if let [Token::Symbol(separator), month] = rest {
            if is_date_separator(*separator) {
                return last_day_of_month(year, is_number(month, 1..=2)?);
            }
        }
    }
    let compact = without_spaces(tokens);
    let (year, rest) = leading_year(&compact)?;
    match rest {
        [Token::Symbol('年'), month, Token::Symbol('月')]
        | [Token::Symbol('年'), month, Token::Symbol('月'), Token::Symbol('分' | '度')] => {
            last_day_of_month(year, is_number(month, 1..=2)?)
        }
        _ => None,
    }
}

/// A column header of a wide Actuals sheet naming a period: a month means its LAST day
/// (`2026-04` -> 2026-04-30), a full date (anything [`parse_date`] reads) means that date.
/// Months: `2026-04`, `2026/4`, `2026.4`, `2026年4月` (`分`/`度` may follow), `202604`,
/// `Apr-26`/`Apr 2026`/`April 2026`/`2026-Apr` (a two-digit year is 20yy), `R8.4`, `令和8年4月`.
/// `None` when it is not a period, including a month without a year or a year alone.
pub fn parse_period_header(text: &str) -> Option<NaiveDate> {
    if let Some(date) = parse_date(text) {
        return Some(date);
    }
    let prepared = prepare(text);
    let tokens = tokenize(&prepared)?;
    month_from_tokens(trim_spaces(&tokens))
}

// ---------------------------------------------------------------------------------------------
// Enumerations
// ---------------------------------------------------------------------------------------------

// The word lists are written as normalize_key output (lower case, no spaces), which a test checks.

const INCREASE_WORDS: &[&str] = &[
    "increase",
    "up",
    "higher",
    "higherisbetter",
    "higher-is-better",
    "↑",
    "増加",
    "高いほど良い",
    "高いほどよい",
    "高い方が良い",
    "高いほうが良い",
    "上昇",
    "増",
];

const DECREASE_WORDS: &[&str] = &[
    "decrease",
    "down",
    "lower",
    "lowerisbetter",
    "lower-is-better",
    "↓",
    "減少",
    "低いほど良い",
    "低いほどよい",
    "低い方が良い",
    "低いほうが良い",
    "削減",
    "減",
];

const FREQUENCY_WORDS: &[(Frequency, &[&str])] = &[
    (Frequency::Daily, &["daily", "day", "日次", "毎日", "日"]),
    (Frequency::Weekly, &["weekly", "week", "週次", "毎週", "週"]),
    (
        Frequency::Monthly,
        &["monthly", "month", "月次", "毎月", "月"],
    ),
    (
        Frequency::Quarterly,
        &["quarterly", "quarter", "四半期", "四半期毎", "四半期ごと"],
    ),
    (
        Frequency::Yearly,
        &["yearly", "annual", "annually", "year", "年次", "毎年", "年"],
    ),
];

const ROLLUP_WORDS: &[(Rollup, &[&str])] = &[
    (
        Rollup::Weighted,
        &[
            "weighted",
            "weight",
            "weightedaverage",
            "加重",
            "加重平均",
            "重み付け",
            "ウェイト",
        ],
    ),
    (
        Rollup::Sum,
        &["sum", "total", "合計", "合算", "積み上げ", "積上げ"],
    ),
];

const KIND_WORDS: &[(Kind, &[&str])] = &[
    (Kind::Kpi, &["kpi", "指標", "中間指標"]),
    (
        Kind::Kdi,
        &["kdi", "action", "行動", "行動指標", "アクション"],
    ),
    (Kind::Kgi, &["kgi", "目標", "最終目標"]),
];

fn lookup<T: Copy>(table: &[(T, &[&str])], text: &str) -> Option<T> {
    let key = normalize_key(text);
    table
        .iter()
        .find(|(_, words)| words.contains(&key.as_str()))
        .map(|(value, _)| *value)
}

/// Which way is better: increase/up/higher/↑/増加/高いほど良い…, decrease/down/lower/↓/減少/低いほど良い….
pub fn parse_direction(text: &str) -> Option<Direction> {
    lookup(
        &[
            (Direction::Increase, INCREASE_WORDS),
            (Direction::Decrease, DECREASE_WORDS),
        ],
        text,
    )
}

/// The measurement frequency: daily/日次/毎日, weekly/週次/毎週, monthly/月次/毎月,
/// quarterly/四半期, yearly/annual/年次/毎年, and the single kanji 日 週 月 年.
pub fn parse_frequency(text: &str) -> Option<Frequency> {
    lookup(FREQUENCY_WORDS, text)
}

/// The rollup: weighted/加重平均/ウェイト… or sum/total/合計/積み上げ….
pub fn parse_rollup(text: &str) -> Option<Rollup> {
    lookup(ROLLUP_WORDS, text)
}

/// The `type` column: KPI or KDI (Kind::Kpi / Kind::Kdi), with 指標/行動指標/action…;
/// also KGI/目標 -> Kind::Kgi.
pub fn parse_kind(text: &str) -> Option<Kind> {
    lookup(KIND_WORDS, text)
}

/// True when the text holds Japanese script: hiragana, katakana (also half-width), or CJK
/// ideographs (with 々 〆 〇). Japanese punctuation and full-width Latin do not count.
/// Used to guess the report language from headers.
pub fn has_japanese(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c,
            '\u{3040}'..='\u{309F}'       // hiragana
            | '\u{30A0}'..='\u{30FA}'     // katakana (without the middle dot ・)
            | '\u{30FC}'..='\u{30FF}'     // ー ヽ ヾ ヿ
            | '\u{31F0}'..='\u{31FF}'     // katakana phonetic extensions
            | '\u{FF66}'..='\u{FF9F}'     // half-width katakana
            | '\u{3400}'..='\u{4DBF}'     // CJK extension A
            | '\u{4E00}'..='\u{9FFF}'     // CJK unified ideographs
            | '\u{F900}'..='\u{FAFF}'     // CJK compatibility ideographs
            | '\u{20000}'..='\u{3134F}'   // CJK extensions B..G
            | '々' | '〆' | '〇')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("valid test date")
    }

    fn exact(text: &str) -> f64 {
        text.parse::<f64>().expect("valid test number")
    }

    /// Asserts each (input, expected) pair bit for bit, naming the input on failure.
    fn assert_numbers(cases: &[(&str, f64)]) {
        for (input, expected) in cases {
            let parsed = parse_number(input);
            assert_eq!(
                parsed.map(f64::to_bits),
                Some(expected.to_bits()),
                "parse_number({input:?}) = {parsed:?}, expected {expected}"
            );
        }
    }

    fn assert_not_numbers(inputs: &[&str]) {
        for input in inputs {
            assert_eq!(parse_number(input), None, "parse_number({input:?})");
        }
    }

    fn assert_dates(cases: &[(&str, NaiveDate)], parse: fn(&str) -> Option<NaiveDate>) {
        for (input, expected) in cases {
            assert_eq!(parse(input), Some(*expected), "input {input:?}");
        }
    }

    fn assert_not_dates(inputs: &[&str], parse: fn(&str) -> Option<NaiveDate>) {
        for input in inputs {
            assert_eq!(parse(input), None, "input {input:?}");
        }
    }

    // --- normalize_key -----------------------------------------------------------------------

    #[test]
    fn normalize_key_folds_width_case_and_spaces() {
        assert_eq!(normalize_key("ＫＰＩ　一覧"), "kpi一覧");
        assert_eq!(normalize_key(" Start Date "), "startdate");
        assert_eq!(normalize_key("KGI_ID"), "kgiid");
        assert_eq!(normalize_key("As\tof\n"), "asof");
        assert_eq!(normalize_key("ｳｪｲﾄ"), "ウェイト");
    }

    #[test]
    fn normalize_key_keeps_other_separators() {
        assert_eq!(normalize_key("Higher-is-Better"), "higher-is-better");
        assert_eq!(normalize_key("a.b/c・d"), "a.b/c・d");
    }

    // --- numbers -----------------------------------------------------------------------------

    #[test]
    fn plain_numbers() {
        assert_numbers(&[
            ("1000", 1000.0),
            ("-3.5", -3.5),
            ("+2", 2.0),
            (".5", 0.5),
            ("1e6", 1e6),
            ("1.5E-3", exact("1.5E-3")),
            ("0", 0.0),
            ("007", 7.0),
        ]);
    }

    #[test]
    fn surrounding_white_space_is_ignored() {
        assert_numbers(&[(" 42 ", 42.0), ("\u{3000}42\u{3000}", 42.0), ("\t7\n", 7.0)]);
    }

    #[test]
    fn thousands_separators_group_by_three() {
        assert_numbers(&[
            ("1,000", 1000.0),
            ("12,345,678.9", exact("12345678.9")),
            ("-1,000", -1000.0),
            ("999", 999.0),
        ]);
    }

    #[test]
    fn thousands_separators_must_group_by_three() {
        assert_not_numbers(&[
            "12,3.4", "1,00", "1,0000", ",100", "1,,000", "1,000,", "1234,567",
        ]);
    }

    #[test]
    fn space_is_not_a_thousands_separator() {
        assert_not_numbers(&["1 000", "1\u{3000}000"]);
    }

    #[test]
    fn full_width_digits_signs_and_marks() {
        assert_numbers(&[
            ("１，２３４", 1234.0),
            ("－５", -5.0),
            ("１２．５％", 0.125),
            ("＋３", 3.0),
            ("（１，０００）", -1000.0),
        ]);
    }

    #[test]
    fn currency_marks_before_or_after() {
        assert_numbers(&[
            ("¥1,200", 1200.0),
            ("1,200円", 1200.0),
            ("$ 5.00", 5.0),
            ("€3", 3.0),
            ("3€", 3.0),
            ("£7", 7.0),
            ("￥６，０００", 6000.0),
            ("1,200 円", 1200.0),
            ("\\1,200", 1200.0),
            ("-$5", -5.0),
            ("$-5", -5.0),
        ]);
    }

    #[test]
    fn currency_codes_as_prefix_or_suffix_token() {
        assert_numbers(&[
            ("JPY 1,200", 1200.0),
            ("jpy1200", 1200.0),
            ("5.00 USD", 5.0),
            ("5usd", 5.0),
            ("EUR 3", 3.0),
            ("3 Eur", 3.0),
        ]);
    }

    #[test]
    fn only_one_currency_mark() {
        assert_not_numbers(&["¥1,200円", "$$5", "USD 5 USD", "円", "¥", "JPY"]);
    }

    #[test]
    fn trailing_percent_divides_by_one_hundred() {
        assert_numbers(&[
            ("12.5%", 0.125),
            ("-3%", exact("-0.03")),
            ("0.3%", exact("0.003")),
            ("100%", 1.0),
            ("12.5 %", 0.125),
            ("1e2%", 1.0),
        ]);
        assert_not_numbers(&["%", "12%%", "¥12%", "1万%"]);
    }

    #[test]
    fn negatives_in_accounting_forms() {
        assert_numbers(&[
            ("-1,000", -1000.0),
            ("\u{2212}1,000", -1000.0),
            ("(1,000)", -1000.0),
            ("（1,000）", -1000.0),
            ("△1,000", -1000.0),
            ("▲1,000", -1000.0),
            ("▲ 120", -120.0),
            ("△¥1,200", -1200.0),
            ("(¥1,200)", -1200.0),
            ("(1,200)円", -1200.0),
            ("(1,200円)", -1200.0),
            ("▲120万円", -1_200_000.0),
            ("(12.5%)", -0.125),
        ]);
    }

    #[test]
    fn double_negation_is_refused() {
        assert_not_numbers(&[
            "--1", "(-1)", "△-1", "▲△1", "-(1)", "+-1", "((1))", "(1", "1)",
        ]);
    }

    #[test]
    fn negative_zero_reads_as_zero() {
        let zero = parse_number("(0)").expect("zero");
        assert_eq!(zero.to_bits(), 0.0_f64.to_bits());
        assert_eq!(
            parse_number("-0").map(f64::to_bits),
            Some(0.0_f64.to_bits())
        );
    }

    #[test]
    fn japanese_multipliers() {
        assert_numbers(&[
            ("6,000万円", 60_000_000.0),
            ("1億2,000万", 120_000_000.0),
            ("1億2000万5000", 120_005_000.0),
            ("3千", 3000.0),
            ("1.5万", 15000.0),
            ("2万5千", 25000.0),
            ("△120万円", -1_200_000.0),
            ("1兆", 1e12),
            ("1,200千円", 1_200_000.0),
            ("1万5000.5", 10000.0 + 5000.5),
            ("1億2.5万", 100_025_000.0),
        ]);
    }

    #[test]
    fn multipliers_must_decrease_and_not_repeat() {
        assert_not_numbers(&["1万2億", "1万2万", "億億", "万", "1億万", "1万万"]);
    }

    #[test]
    fn multiplier_segments_must_fit_under_the_previous_one() {
        assert_not_numbers(&["1億20000万", "1万10000", "2万10千", "1千1000"]);
    }

    #[test]
    fn only_the_last_figure_of_a_compound_may_have_a_fraction() {
        assert_not_numbers(&["1.5億2000万", "1.5万5000"]);
    }

    #[test]
    fn multiplier_scaling_is_exact() {
        assert_eq!(parse_number("1.1万"), Some(11000.0));
        assert_eq!(parse_number("0.3%"), Some(exact("0.003")));
        assert_eq!(parse_number("12.5%"), Some(0.125));
        assert_eq!(parse_number("1.23456789億"), Some(123_456_789.0));
        assert_eq!(parse_number("0.7万"), Some(7000.0));
    }

    #[test]
    fn not_numbers() {
        assert_not_numbers(&[
            "", "   ", "\u{3000}", "abc", "1..2", "-", "%", "円", "1-2", "12a", "NaN", "nan",
            "inf", "-inf", "infinity", "1e999", "1.", ".", "e6", "1e", "1e+", "1,000e3", "0x10",
            "1/2", "1_000",
        ]);
    }

    #[test]
    fn non_finite_results_are_refused() {
        assert_not_numbers(&["1e999", "１e９９９９", "-1e400", "1e311%"]);
        // The percent scaling is done before rounding, so this is finite.
        assert_eq!(parse_number("1e309%"), Some(1e307));
        assert_eq!(parse_number("1e-400"), Some(0.0));
    }

    #[test]
    fn separated_numbers_round_trip_exactly() {
        // A small linear congruential generator keeps the test free of dependencies.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            state >> 11
        };
        for round in 0..4000 {
            let integer = next() % 10_u64.pow(u32::try_from(round % 16).unwrap_or(0) + 1);
            let decimals = next() % 4;
            let fraction = next() % 10_u64.pow(u32::try_from(decimals).unwrap_or(0));
            let plain = if decimals == 0 {
                integer.to_string()
            } else {
                format!(
                    "{integer}.{fraction:0width$}",
                    width = usize::try_from(decimals).unwrap_or(0)
                )
            };
            let digits = integer.to_string();
            let mut grouped = String::new();
            for (index, c) in digits.chars().enumerate() {
                if index > 0 && (digits.len() - index).is_multiple_of(3) {
                    grouped.push(',');
                }
                grouped.push(c);
            }
            let separated = match plain.split_once('.') {
                Some((_, fraction)) => format!("{grouped}.{fraction}"),
                None => grouped,
            };
            let expected = exact(&plain);
            assert_eq!(parse_number(&separated), Some(expected), "{separated}");
            if expected != 0.0 {
                assert_eq!(
                    parse_number(&format!("△¥{separated}")),
                    Some(-expected),
                    "{separated}"
                );
                assert_eq!(parse_number(&format!("({separated})")), Some(-expected));
            }
            let percent = exact(&format!("{plain}e-2"));
            assert_eq!(
                parse_number(&format!("{separated}%")),
                Some(percent),
                "{separated}%"
            );
        }
    }

    #[test]
    fn compound_multipliers_round_trip_exactly() {
        let mut state: u64 = 12345;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            state >> 33
        };
        for _ in 0..2000 {
            let (oku, man, rest) = (next() % 100_000 + 1, next() % 10_000, next() % 10_000);
            let expected = (oku * 100_000_000 + man * 10_000 + rest) as f64;
            assert_eq!(
                parse_number(&format!("{oku}億{man}万{rest}")),
                Some(expected)
            );
            assert_eq!(
                parse_number(&format!("▲{oku}億{man}万{rest}円")),
                Some(-expected)
            );
        }
    }

    #[test]
    fn nasty_inputs_do_not_panic() {
        let nines = "9".repeat(10_000);
        let tiny = format!("0.{}1", "0".repeat(10_000));
        let long_exponent = format!("1e{}", "9".repeat(100));
        let long_negative_exponent = format!("{}e-{}", "1".repeat(50_000), "9".repeat(40));
        let many_groups = format!("1{}", ",000".repeat(5_000));
        let long_fraction_remainder = format!("1万0.{}", "1".repeat(5_000));
        let mut nasty: Vec<&str> = vec![
            &nines,
            &tiny,
            &long_exponent,
            &long_negative_exponent,
            &many_groups,
            &long_fraction_remainder,
            "\u{200b}",
            "1\u{200b}000",
            "\u{feff}12",
            "e\u{301}",
            "1\u{301}",
            "\u{301}",
            "億億",
            "１e９９９９",
            "(((",
            ")))",
            "△",
            "▲▲",
            "万",
            "99999999999999999999億",
            "R99999999999999.4.1",
            "令和99999999999999年4月1日",
            "令和",
            "元",
            "2026-04-01T99:99",
            "9999-12-31",
            "9999-12",
            "0000-01-01",
            "0000-00",
            "000000",
            "999999",
            "4294967295-01-01",
            "Apr-99999999999",
            "(水)",
            "()",
            "2026/4/1(",
            "2026/4/1)",
            "2026/4/1((水))",
            "\u{10ffff}",
            "ｱ",
            "\u{0}",
            "🎌1",
            " ",
            "",
        ];
        let long_digits_date = format!("{nines}-01-01");
        nasty.push(&long_digits_date);
        for input in nasty {
            let _ = parse_number(input);
            let _ = parse_date(input);
            let _ = parse_period_header(input);
            let _ = parse_direction(input);
            let _ = parse_frequency(input);
            let _ = parse_rollup(input);
            let _ = parse_kind(input);
            let _ = has_japanese(input);
            let _ = normalize_key(input);
        }
        assert_eq!(parse_number(&nines), None);
        assert_eq!(parse_number(&tiny), Some(exact(&tiny)));
        assert_eq!(parse_number("9999-12-31"), None);
        assert_eq!(parse_date("9999-12-31"), Some(date(9999, 12, 31)));
        assert_eq!(parse_period_header("9999-12"), Some(date(9999, 12, 31)));
    }

    // --- dates -------------------------------------------------------------------------------

    #[test]
    fn iso_slash_and_dot_dates() {
        let april_first = date(2026, 4, 1);
        assert_dates(
            &[
                ("2026-04-01", april_first),
                ("2026-4-1", april_first),
                ("2026/4/1", april_first),
                ("2026/04/01", april_first),
                ("2026.4.1", april_first),
                (" 2026-04-01 ", april_first),
            ],
            parse_date,
        );
    }

    #[test]
    fn mixed_date_separators_are_refused() {
        assert_not_dates(&["2026-4/1", "2026/4.1", "2026 / 4 / 1"], parse_date);
    }

    #[test]
    fn time_of_day_is_ignored() {
        let april_first = date(2026, 4, 1);
        assert_dates(
            &[
                ("2026-04-01 00:00:00", april_first),
                ("2026-04-01T09:30", april_first),
                ("2026/4/1 0:00", april_first),
                ("2026-04-01 23:59:59.999", april_first),
                ("2026年4月1日 9:00", april_first),
            ],
            parse_date,
        );
        assert_not_dates(
            &["2026-04-01 24:00", "2026-04-01T9:3", "2026-04-01 noon"],
            parse_date,
        );
    }

    #[test]
    fn full_width_dates() {
        assert_eq!(parse_date("２０２６／４／１"), Some(date(2026, 4, 1)));
        assert_eq!(parse_date("２０２６年４月１日"), Some(date(2026, 4, 1)));
    }

    #[test]
    fn japanese_kanji_dates() {
        let april_first = date(2026, 4, 1);
        assert_dates(
            &[
                ("2026年4月1日", april_first),
                ("2026年04月01日", april_first),
                ("2026 年 4 月 1 日", april_first),
                ("2026　年　4　月　1　日", april_first),
            ],
            parse_date,
        );
        assert_not_dates(
            &["20 26年4月1日", "2026年4月", "2026年4月1", "4月1日"],
            parse_date,
        );
    }

    #[test]
    fn weekday_in_parentheses_is_allowed_when_it_matches() {
        let april_first = date(2026, 4, 1);
        assert_dates(
            &[
                ("2026/4/1(水)", april_first),
                ("2026年4月1日（水）", april_first),
                ("2026-04-01 (水曜日)", april_first),
                ("2026/4/1(Wed)", april_first),
                ("2026/4/1(水) 9:00", april_first),
                ("令和8年4月1日(水)", april_first),
            ],
            parse_date,
        );
    }

    #[test]
    fn wrong_weekday_is_refused() {
        assert_not_dates(
            &[
                "2026/4/1(木)",
                "2026/4/1(Thu)",
                "2026/4/1(abc)",
                "2026/4/1()",
            ],
            parse_date,
        );
    }

    #[test]
    fn reiwa_long_form() {
        assert_eq!(parse_date("令和8年4月1日"), Some(date(2026, 4, 1)));
        assert_eq!(parse_date("令和 8 年 4 月 1 日"), Some(date(2026, 4, 1)));
        assert_eq!(parse_date("令和1年5月1日"), Some(date(2019, 5, 1)));
        assert_eq!(parse_date("㋿8年4月1日"), Some(date(2026, 4, 1)));
    }

    #[test]
    fn first_year_of_an_era_is_gannen() {
        assert_eq!(parse_date("令和元年5月1日"), Some(date(2019, 5, 1)));
        assert_eq!(parse_date("平成元年1月8日"), Some(date(1989, 1, 8)));
    }

    #[test]
    fn reiwa_short_form() {
        let april_first = date(2026, 4, 1);
        assert_dates(
            &[
                ("R8.4.1", april_first),
                ("R8/4/1", april_first),
                ("R08.04.01", april_first),
                ("r8.4.1", april_first),
                ("Ｒ８．４．１", april_first),
                ("R8-4-1", april_first),
            ],
            parse_date,
        );
    }

    #[test]
    fn older_eras() {
        assert_dates(
            &[
                ("H31.4.30", date(2019, 4, 30)),
                ("平成31年4月30日", date(2019, 4, 30)),
                ("S64.1.7", date(1989, 1, 7)),
                ("昭和1年12月25日", date(1926, 12, 25)),
                ("T1.8.1", date(1912, 8, 1)),
                ("大正15年1月1日", date(1926, 1, 1)),
                ("M45.7.29", date(1912, 7, 29)),
                ("明治1年10月23日", date(1868, 10, 23)),
            ],
            parse_date,
        );
    }

    #[test]
    fn era_year_must_be_at_least_one() {
        assert_not_dates(
            &["R0.4.1", "令和0年4月1日", "X8.4.1", "R123.4.1"],
            parse_date,
        );
    }

    #[test]
    fn invalid_calendar_dates_are_refused() {
        assert_not_dates(
            &[
                "2026-02-30",
                "2026-13-01",
                "2026-00-10",
                "2026-04-00",
                "2025-02-29",
            ],
            parse_date,
        );
        assert_eq!(parse_date("2024-02-29"), Some(date(2024, 2, 29)));
    }

    #[test]
    fn two_digit_years_and_day_month_orders_are_refused() {
        assert_not_dates(
            &["26/4/1", "4/1/2026", "1/4/2026", "01.04.2026", "26-04-01"],
            parse_date,
        );
    }

    #[test]
    fn text_and_bare_numbers_are_not_dates() {
        assert_not_dates(
            &[
                "",
                "  ",
                "today",
                "46113",
                "20260401",
                "2026",
                "April 1, 2026",
                "1-Apr-2026",
                "2026-04",
            ],
            parse_date,
        );
    }

    // --- Excel serials -----------------------------------------------------------------------

    #[test]
    fn excel_serials_follow_the_1900_system() {
        assert_eq!(excel_serial_to_date(1.0), Some(date(1900, 1, 1)));
        assert_eq!(excel_serial_to_date(59.0), Some(date(1900, 2, 28)));
        assert_eq!(excel_serial_to_date(61.0), Some(date(1900, 3, 1)));
        assert_eq!(excel_serial_to_date(45292.0), Some(date(2024, 1, 1)));
        assert_eq!(excel_serial_to_date(46113.0), Some(date(2026, 4, 1)));
        assert_eq!(excel_serial_to_date(2_958_465.0), Some(date(9999, 12, 31)));
    }

    #[test]
    fn excel_fictitious_leap_day_is_none() {
        assert_eq!(excel_serial_to_date(60.0), None);
        assert_eq!(excel_serial_to_date(60.5), None);
    }

    #[test]
    fn excel_serial_time_fraction_is_dropped() {
        assert_eq!(excel_serial_to_date(46113.75), Some(date(2026, 4, 1)));
        assert_eq!(excel_serial_to_date(46_113.999_999), Some(date(2026, 4, 1)));
    }

    #[test]
    fn excel_serials_out_of_range_are_none() {
        for serial in [
            0.0,
            0.5,
            -1.0,
            -0.0,
            2_958_466.0,
            1e300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN,
        ] {
            assert_eq!(excel_serial_to_date(serial), None, "{serial}");
        }
    }

    // --- period headers ----------------------------------------------------------------------

    #[test]
    fn month_headers_mean_the_last_day() {
        let end_of_april = date(2026, 4, 30);
        assert_dates(
            &[
                ("2026-04", end_of_april),
                ("2026/4", end_of_april),
                ("2026/04", end_of_april),
                ("2026.4", end_of_april),
                ("2026年4月", end_of_april),
                ("2026年4月分", end_of_april),
                ("2026年4月度", end_of_april),
                ("2026年 4月", end_of_april),
                ("202604", end_of_april),
                ("令和8年4月", end_of_april),
                ("R8.4", end_of_april),
                ("Ｒ８．４", end_of_april),
                ("２０２６年４月", end_of_april),
            ],
            parse_period_header,
        );
        assert_eq!(parse_period_header("2026-02"), Some(date(2026, 2, 28)));
        assert_eq!(parse_period_header("2024/2"), Some(date(2024, 2, 29)));
        assert_eq!(parse_period_header("2026-12"), Some(date(2026, 12, 31)));
    }

    #[test]
    fn english_month_headers() {
        let end_of_april = date(2026, 4, 30);
        assert_dates(
            &[
                ("Apr-26", end_of_april),
                ("Apr 26", end_of_april),
                ("Apr-2026", end_of_april),
                ("Apr 2026", end_of_april),
                ("April 2026", end_of_april),
                ("april-2026", end_of_april),
                ("2026-Apr", end_of_april),
                ("APR-26", end_of_april),
                ("Apr. 2026", end_of_april),
                ("Apr '26", end_of_april),
            ],
            parse_period_header,
        );
        assert_eq!(parse_period_header("Sept 2026"), Some(date(2026, 9, 30)));
        assert_eq!(parse_period_header("Dec-25"), Some(date(2025, 12, 31)));
    }

    #[test]
    fn date_headers_mean_that_date() {
        assert_dates(
            &[
                ("2026-04-15", date(2026, 4, 15)),
                ("2026/4/1", date(2026, 4, 1)),
                ("2026年4月10日", date(2026, 4, 10)),
                ("R8.4.1", date(2026, 4, 1)),
                ("2026-04-30 00:00:00", date(2026, 4, 30)),
            ],
            parse_period_header,
        );
    }

    #[test]
    fn non_period_headers_are_none() {
        assert_not_dates(
            &[
                "ID",
                "Name",
                "Unit",
                "単位",
                "合計",
                "Total",
                "4月",
                "2026",
                "2026-13",
                "",
                "202613",
                "202600",
                "26-Apr",
                "Apr",
                "Apr-2",
                "2026年度",
                "Apr-026",
                "12345",
                "1234567",
            ],
            parse_period_header,
        );
    }

    // --- enumerations ------------------------------------------------------------------------

    #[test]
    fn word_lists_are_written_as_keys() {
        let mut all: Vec<&str> = Vec::new();
        all.extend(INCREASE_WORDS);
        all.extend(DECREASE_WORDS);
        for (_, words) in FREQUENCY_WORDS {
            all.extend(*words);
        }
        for (_, words) in ROLLUP_WORDS {
            all.extend(*words);
        }
        for (_, words) in KIND_WORDS {
            all.extend(*words);
        }
        for word in all {
            assert_eq!(normalize_key(word), word);
        }
    }

    #[test]
    fn direction_words() {
        for word in [
            "increase",
            "Up",
            "HIGHER",
            "higher is better",
            "higher-is-better",
            "↑",
            "増加",
            "高いほど良い",
            "高い方が良い",
            "上昇",
            "増",
            " Increase ",
            "ＵＰ",
        ] {
            assert_eq!(parse_direction(word), Some(Direction::Increase), "{word}");
        }
        for word in [
            "decrease",
            "down",
            "Lower",
            "lower is better",
            "↓",
            "減少",
            "低いほど良い",
            "低い方が良い",
            "削減",
            "減",
        ] {
            assert_eq!(parse_direction(word), Some(Direction::Decrease), "{word}");
        }
        for word in ["", "sideways", "↔", "higher is worse"] {
            assert_eq!(parse_direction(word), None, "{word}");
        }
    }

    #[test]
    fn frequency_words() {
        let cases: &[(Frequency, &[&str])] = &[
            (Frequency::Daily, &["daily", "Day", "日次", "毎日", "日"]),
            (Frequency::Weekly, &["weekly", "week", "週次", "毎週", "週"]),
            (
                Frequency::Monthly,
                &["Monthly", "month", "月次", "毎月", "月"],
            ),
            (
                Frequency::Quarterly,
                &["quarterly", "Quarter", "四半期", "四半期毎", "四半期ごと"],
            ),
            (
                Frequency::Yearly,
                &["yearly", "annual", "Annually", "year", "年次", "毎年", "年"],
            ),
        ];
        for (expected, words) in cases {
            for word in *words {
                assert_eq!(parse_frequency(word), Some(*expected), "{word}");
            }
        }
        assert_eq!(parse_frequency("hourly"), None);
        assert_eq!(parse_frequency(""), None);
    }

    #[test]
    fn rollup_words() {
        for word in [
            "weighted",
            "Weight",
            "weighted average",
            "Weighted_Average",
            "加重",
            "加重平均",
            "重み付け",
            "ウェイト",
            "ｳｪｲﾄ",
        ] {
            assert_eq!(parse_rollup(word), Some(Rollup::Weighted), "{word}");
        }
        for word in ["sum", "SUM", "total", "合計", "合算", "積み上げ", "積上げ"] {
            assert_eq!(parse_rollup(word), Some(Rollup::Sum), "{word}");
        }
        assert_eq!(parse_rollup("average"), None);
    }

    #[test]
    fn kind_words() {
        for word in ["KPI", "kpi", "ＫＰＩ", "指標", "中間指標"] {
            assert_eq!(parse_kind(word), Some(Kind::Kpi), "{word}");
        }
        for word in ["KDI", "action", "Action", "行動", "行動指標", "アクション"] {
            assert_eq!(parse_kind(word), Some(Kind::Kdi), "{word}");
        }
        for word in ["KGI", "目標", "最終目標"] {
            assert_eq!(parse_kind(word), Some(Kind::Kgi), "{word}");
        }
        assert_eq!(parse_kind("OKR"), None);
        assert_eq!(parse_kind(""), None);
    }

    // --- language ----------------------------------------------------------------------------

    #[test]
    fn japanese_script_is_detected() {
        for text in [
            "名称",
            "ひらがな",
            "カタカナ",
            "ｶﾀｶﾅ",
            "KPI一覧",
            "々",
            "ー",
        ] {
            assert!(has_japanese(text), "{text}");
        }
    }

    #[test]
    fn latin_and_punctuation_are_not_japanese() {
        for text in [
            "",
            "Name",
            "ＫＰＩ",
            "１２３",
            "、。「」",
            "・",
            "（）",
            "€ ¥",
        ] {
            assert!(!has_japanese(text), "{text}");
        }
    }
}
