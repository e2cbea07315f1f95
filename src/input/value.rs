//! Turning cell text into numbers, dates and enumeration values the way finance teams type them;
//! the Japanese formats (full-width forms, ¥/円, △ negatives, 万/億 multipliers, eras) live here.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use crate::text::normalize_key;
use unicode_normalization::UnicodeNormalization;

use crate::contract::{
    find_word, COUNT_WORDS, DIRECTION_WORDS, FREQUENCY_WORDS, KIND_WORDS, ROLLUP_WORDS,
};
use crate::model::{Direction, Frequency, Kind, Rollup};

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

/// A number followed by a count or unit word of the contract (`100件`, `64,500人`,
/// `3.5ヶ月`, `12.5pt`, `1万人`): the number and the word as written.
pub fn parse_counted(text: &str) -> Option<(f64, String)> {
    let prepared = prepare(text);
    let lower = prepared.to_lowercase();
    COUNT_WORDS.iter().find_map(|word| {
        let rest = lower.strip_suffix(word)?;
        if rest.trim().is_empty() || rest.ends_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let written = prepared.get(rest.len()..)?.to_string();
        parse_number(rest).map(|n| (n, written))
    })
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
        // 弥生's `R.01/07/01`: a dot after the era's initial.
        [Token::Letter(letter), Token::Symbol('.'), year @ Token::Number { .. }, rest @ ..]
            if era_by_initial(*letter).is_some() =>
        {
            let first_year = era_by_initial(*letter)?;
            let year_of_era = i32::try_from(is_number(year, 1..=2)?).ok()?;
            if year_of_era < 1 {
                return None;
            }
            Some((first_year.checked_add(year_of_era)?.checked_sub(1)?, rest))
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

/// A six-digit `yyyymm` month, 190001–209912 with a month 01–12: its last day.
pub fn yyyymm(value: u32) -> Option<NaiveDate> {
    if !(190_001..=209_912).contains(&value) {
        return None;
    }
    last_day_of_month(i32::try_from(value / 100).ok()?, value % 100)
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
        return yyyymm(*value);
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

/// (v2) A month header without a year: `4月`, `4月度`, `4月分`, `Apr`, `April`, `January`
/// (`Sept.` too). `None` for anything else, including a month with a year.
pub fn parse_month_name(text: &str) -> Option<u32> {
    let prepared = prepare(text);
    let tokens = tokenize(&prepared)?;
    let compact = without_spaces(trim_spaces(&tokens));
    match compact.as_slice() {
        [Token::MonthName(month)] | [Token::MonthName(month), Token::Symbol('.')] => Some(*month),
        [month, Token::Symbol('月')] | [month, Token::Symbol('月'), Token::Symbol('度' | '分')] => {
            is_number(month, 1..=2).filter(|m| (1..=12).contains(m))
        }
        _ => None,
    }
}

/// (v2) A fiscal year or a fiscal period end written as a deadline, meaning its last day:
/// `2026年度`, `令和8年度`, `FY2026`, `FY26` (the fiscal year that starts in 2026, in
/// `start_month`), and `2027年3月期`, `2027/3期` (the period that ends in March 2027).
pub fn parse_fiscal_year_end(text: &str, start_month: u32) -> Option<NaiveDate> {
    let prepared = prepare(text);
    let compact: String = prepared.chars().filter(|c| !c.is_whitespace()).collect();
    let lower = compact.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("fy") {
        let rest = rest.trim_start_matches(['-', '\'', '’', '.']);
        if rest.is_empty() || !rest.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let year: i32 = match rest.len() {
            4 => rest.parse().ok()?,
            2 => rest.parse::<i32>().ok()?.checked_add(2000)?,
            _ => return None,
        };
        return fiscal_year_last_day(year, start_month);
    }
    let tokens = tokenize(&compact)?;
    let (year, rest) = leading_year(&tokens)?;
    match rest {
        [Token::Symbol('年'), Token::Symbol('度')] => fiscal_year_last_day(year, start_month),
        [Token::Symbol('年'), month, Token::Symbol('月'), Token::Symbol('期'), tail @ ..]
        | [Token::Symbol('/' | '-' | '.'), month, Token::Symbol('期'), tail @ ..]
            if tail.is_empty() || tail == [Token::Symbol('末')] =>
        {
            last_day_of_month(year, is_number(month, 1..=2)?)
        }
        _ => None,
    }
}

/// The last day of the fiscal year that starts in `start_month` of `year`.
pub fn fiscal_year_last_day(year: i32, start_month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, start_month, 1)?
        .checked_add_months(Months::new(12))?
        .pred_opt()
}

// ---------------------------------------------------------------------------------------------
// Enumerations
// ---------------------------------------------------------------------------------------------

// The words are the contract's (`crate::contract`), written as normalize_key output.

/// Which way is better: increase/up/higher/↑/増加/高いほど良い…, decrease/down/lower/↓/減少/低いほど良い….
pub fn parse_direction(text: &str) -> Option<Direction> {
    find_word(&DIRECTION_WORDS, &normalize_key(text))
}

/// The measurement frequency: daily/日次/毎日, weekly/週次/毎週, monthly/月次/毎月,
/// quarterly/四半期, yearly/annual/年次/毎年, and the single kanji 日 週 月 年.
pub fn parse_frequency(text: &str) -> Option<Frequency> {
    find_word(&FREQUENCY_WORDS, &normalize_key(text))
}

/// The rollup: weighted/加重平均/ウェイト… or sum/total/合計/積み上げ….
pub fn parse_rollup(text: &str) -> Option<Rollup> {
    find_word(&ROLLUP_WORDS, &normalize_key(text))
}

/// The `type` column: KPI or KDI (Kind::Kpi / Kind::Kdi), with 指標/行動指標/action…;
/// also KGI/目標 -> Kind::Kgi.
pub fn parse_kind(text: &str) -> Option<Kind> {
    find_word(&KIND_WORDS, &normalize_key(text))
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
mod tests;
