//! Text helpers every layer shares: the insensitive key that sheet names, headers and words
//! are matched by, and the one-line, bounded form of any text quoted in a message.

use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

/// Key for insensitive matching of sheet names, column headers and enumeration words:
/// Unicode NFKC, lower case, every white space (including U+3000 ideographic space) and every
/// `_` removed. Nothing else is removed, so `higher-is-better` keeps its hyphens.
pub fn normalize_key(text: &str) -> String {
    text.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace() && *c != '_')
        .collect()
}

/// At most this many characters of a text are quoted in a message.
pub const QUOTED_CHARS: usize = 200;

/// The first line of `text`, trimmed and cut at [`QUOTED_CHARS`] characters with "…": for
/// error details from libraries, which may run over several lines.
pub fn one_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    shorten(line, QUOTED_CHARS)
}

/// `text` cut at `max` characters, with "…" when cut.
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// Text from an input as it may be quoted in a one-line message: control characters (line
/// breaks, tabs, escapes) shown escaped as `\n`, `\t`, `\u{1b}`, and at most
/// [`QUOTED_CHARS`] characters, so that a cell cannot forge or flood a line of `check`'s
/// output or a cron log.
pub fn quoted(text: &str) -> String {
    escape_controls(&shorten(text, QUOTED_CHARS))
}

/// `text` with its control characters (line breaks, tabs, escapes, Unicode line
/// separators) shown escaped as `\n`, `\t`, `\u{1b}`: one line, whatever it holds.
pub fn escape_controls(text: &str) -> String {
    if !text.chars().any(needs_escape) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}')
}

/// Fill a name pattern (`output_name`, `email.subject`) in one pass: `{stem}`, `{as_of}`
/// (YYYY-MM-DD), `{period}` (YYYY-MM of as-of) and `{owner}`. A value is never filled again,
/// so an input named `q{period}.xlsx` keeps its braces. Control characters become spaces.
pub fn fill_pattern(pattern: &str, stem: &str, as_of: NaiveDate, owner: &str) -> String {
    let period = as_of.format("%Y-%m").to_string();
    let as_of = as_of.format("%Y-%m-%d").to_string();
    let values = [
        ("{period}", period.as_str()),
        ("{stem}", stem),
        ("{as_of}", as_of.as_str()),
        ("{owner}", owner),
    ];
    let mut out = String::with_capacity(pattern.len() + stem.len());
    let mut rest = pattern;
    while let Some(c) = rest.chars().next() {
        match values.iter().find(|(key, _)| rest.starts_with(key)) {
            Some((key, value)) => {
                out.push_str(value);
                rest = &rest[key.len()..];
            }
            None => {
                out.push(if c.is_control() { ' ' } else { c });
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_width_and_spaces() {
        assert_eq!(normalize_key("ＫＰＩ 一覧"), "kpi一覧");
        assert_eq!(normalize_key("Start_Date"), "startdate");
        assert_eq!(normalize_key("higher-is-better"), "higher-is-better");
    }

    #[test]
    fn quoted_text_stays_on_one_line() {
        assert_eq!(
            quoted("12\nsales.xlsx:KPI!E9: info"),
            "12\\nsales.xlsx:KPI!E9: info"
        );
        assert_eq!(quoted("a\tb\u{1b}[31m"), "a\\tb\\u{1b}[31m");
        let long = "x".repeat(500);
        assert_eq!(quoted(&long).chars().count(), QUOTED_CHARS + 1);
        assert!(quoted(&long).ends_with('…'));
    }

    #[test]
    fn patterns_are_filled_once() {
        let as_of = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
        assert_eq!(
            fill_pattern("{stem}-{period}", "q{period}", as_of, ""),
            "q{period}-2026-10"
        );
        assert_eq!(
            fill_pattern("{as_of}_{stem}", "s", as_of, ""),
            "2026-10-31_s"
        );
        assert_eq!(
            fill_pattern("KPI {owner}\n", "s", as_of, "佐藤"),
            "KPI 佐藤 "
        );
    }

    #[test]
    fn one_line_takes_the_first_line_shortened() {
        assert_eq!(one_line("  first\nsecond"), "first");
        assert_eq!(shorten("abcdef", 3), "abc…");
        assert_eq!(shorten("abc", 3), "abc");
    }
}
