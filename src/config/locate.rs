//! Where a config error stands: the key path and line of a byte offset in the TOML text,
//! the line of a key path, and the config's own `lang` read before the whole file is
//! validated (so an error in it is given in that language). Serde's error texts are turned
//! into the [`Fault`]s of the message table here.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::messages::{Carried, ConfigIssue, Fault, Kind, Step};
use crate::model::Lang;

type Doc<'i> = Spanned<DeTable<'i>>;

/// The 1-based line of a byte offset.
pub fn line_at(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The config's `lang`, when the text parses and says `en` or `ja`.
pub fn lang(text: &str) -> Option<Lang> {
    let doc = DeTable::parse(text).ok()?;
    let value = doc.get_ref().get("lang")?;
    match value
        .get_ref()
        .as_str()?
        .trim()
        .to_ascii_lowercase()
        .as_str()
    {
        "en" => Some(Lang::En),
        "ja" => Some(Lang::Ja),
        _ => None,
    }
}

/// The TOML text parsed with its spans, or the syntax error as an issue.
pub fn parse(text: &str) -> Result<Doc<'_>, ConfigIssue> {
    DeTable::parse(text).map_err(|e| ConfigIssue {
        path: Vec::new(),
        line: e.span().map(|s| line_at(text, s.start)),
        fault: Fault::Syntax {
            detail: e.message().trim().to_string(),
        },
    })
}

/// The deepest key whose key or value holds `offset`.
fn path_at(table: &DeTable<'_>, offset: usize, path: &mut Vec<Step>) {
    for (key, value) in table.iter() {
        let inside = |span: Range<usize>| span.contains(&offset) || span.start == offset;
        if inside(key.span()) {
            path.push(Step::Key(key.get_ref().to_string()));
            return;
        }
        if inside(value.span()) {
            path.push(Step::Key(key.get_ref().to_string()));
            value_path_at(value.get_ref(), offset, path);
            return;
        }
        // A table opened by a `[header]`: its keys stand below it, outside its own span.
        if let DeValue::Table(inner) = value.get_ref() {
            let before = path.len();
            path.push(Step::Key(key.get_ref().to_string()));
            path_at(inner, offset, path);
            if path.len() > before + 1 {
                return;
            }
            path.truncate(before);
        }
        if let DeValue::Array(items) = value.get_ref() {
            for (i, item) in items.iter().enumerate() {
                if let DeValue::Table(inner) = item.get_ref() {
                    let before = path.len();
                    path.extend([Step::Key(key.get_ref().to_string()), Step::Index(i)]);
                    if inside(item.span()) {
                        path_at(inner, offset, path);
                        return;
                    }
                    path_at(inner, offset, path);
                    if path.len() > before + 2 {
                        return;
                    }
                    path.truncate(before);
                }
            }
        }
    }
}

fn value_path_at(value: &DeValue<'_>, offset: usize, path: &mut Vec<Step>) {
    match value {
        DeValue::Table(inner) => path_at(inner, offset, path),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if item.span().contains(&offset) {
                    if let DeValue::Table(inner) = item.get_ref() {
                        path.push(Step::Index(i));
                        path_at(inner, offset, path);
                    }
                    return;
                }
            }
        }
        _ => {}
    }
}

/// The span of the key a path names (the key itself, or the table an index names).
fn span_of(table: &DeTable<'_>, path: &[Step]) -> Option<Range<usize>> {
    let (Step::Key(first), rest) = path.split_first()? else {
        return None;
    };
    let (key, value) = table.get_key_value(first.as_str())?;
    match rest.split_first() {
        None => Some(key.span()),
        Some((Step::Key(_), _)) => match value.get_ref() {
            DeValue::Table(inner) => span_of(inner, rest).or(Some(key.span())),
            _ => Some(key.span()),
        },
        Some((Step::Index(i), below)) => {
            let item = match value.get_ref() {
                DeValue::Array(items) => items.get(*i)?,
                _ => return Some(key.span()),
            };
            match item.get_ref() {
                DeValue::Table(inner) if !below.is_empty() => {
                    span_of(inner, below).or_else(|| first_key_span(inner).or(Some(item.span())))
                }
                DeValue::Table(inner) => first_key_span(inner).or(Some(item.span())),
                _ => Some(item.span()),
            }
        }
    }
}

/// A table of an array stands where its first key does (its `[[header]]` is above it).
fn first_key_span(table: &DeTable<'_>) -> Option<Range<usize>> {
    table.iter().map(|(k, _)| k.span()).min_by_key(|s| s.start)
}

/// The line of the key a path names, when the text has it.
pub fn line_of(doc: &Doc<'_>, text: &str, path: &[Step]) -> Option<usize> {
    span_of(doc.get_ref(), path).map(|s| line_at(text, s.start))
}

/// Words between backticks in a serde message (`expected one of \`a\`, \`b\``).
fn backticked(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// A serde error of the whole config as an issue: its key, its line, and what to change.
pub fn serde_issue(doc: &Doc<'_>, text: &str, error: &toml::de::Error) -> ConfigIssue {
    let span = error.span();
    let mut path = Vec::new();
    if let Some(span) = &span {
        path_at(doc.get_ref(), span.start, &mut path);
    }
    let written = span
        .as_ref()
        .and_then(|s| text.get(s.clone()))
        .map(|w| crate::text::shorten(w.trim(), 60))
        .unwrap_or_default();
    let message = error.message().trim();
    let fault = if let Some(carried) = Carried::read(message) {
        path.extend(carried.below);
        carried.fault
    } else if let Some(rest) = message.strip_prefix("unknown field ") {
        let (_, expected) = rest.split_once(',').unwrap_or((rest, ""));
        Fault::UnknownKey {
            expected: backticked(expected),
        }
    } else if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (value, expected) = rest.split_once(',').unwrap_or((rest, ""));
        Fault::UnknownWord {
            value: value.trim_matches('`').to_string(),
            expected: backticked(expected),
        }
    } else if let Some(rest) = message.strip_prefix("missing field ") {
        Fault::MissingKey {
            key: rest.trim_matches('`').to_string(),
        }
    } else if let Some(rest) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
    {
        let expected = rest.rsplit_once("expected ").map_or("", |(_, e)| e);
        Fault::WrongType {
            written: if written.is_empty() {
                rest.split_once(", expected")
                    .map_or(rest, |(w, _)| w)
                    .to_string()
            } else {
                written
            },
            expected: Kind::from_serde(expected),
        }
    } else {
        Fault::Syntax {
            detail: message.to_string(),
        }
    };
    let line = line_of(doc, text, &path).or_else(|| span.map(|s| line_at(text, s.start)));
    ConfigIssue { path, line, fault }
}
