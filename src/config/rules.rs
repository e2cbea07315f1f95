//! (v2) `[[set]]` rules: fields the workbook's rows leave empty, filled for the metrics a
//! rule matches (by id or name, `*` and `?` wildcards, optionally on one sheet only). Later
//! rules win over earlier ones; a cell in the workbook wins over every rule.

use chrono::NaiveDate;
use serde::Deserialize;

use super::messages::Fault;
use crate::contract::{
    find_word, Word, AGGREGATION_WORDS, DIRECTION_WORDS, FORECAST_METHOD_WORDS, FREQUENCY_WORDS,
    KIND_WORDS, ROLLUP_WORDS,
};
use crate::model::{Aggregation, Direction, ForecastMethod, Frequency, Kind, Rollup};
use crate::text::normalize_key;

/// One `[[set]]` rule as written in the config.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetRule {
    #[serde(rename = "match")]
    pub patterns: Vec<String>,
    #[serde(default)]
    pub sheet: Option<String>,
    #[serde(default)]
    pub direction: Option<String>,
    #[serde(default)]
    pub aggregation: Option<String>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub frequency: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub weight: Option<f64>,
    #[serde(default)]
    pub rollup: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub forecast_method: Option<String>,
    /// (v2) The keys the metric collects in exports, as a `source` cell lists them.
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub target: Option<f64>,
    #[serde(default)]
    pub baseline: Option<f64>,
    #[serde(default)]
    pub parent: Option<String>,
    /// `"2026-04-01"`.
    #[serde(default)]
    pub start: Option<String>,
    #[serde(default)]
    pub deadline: Option<String>,
}

/// A rule's fields, read: what it fills.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fill {
    pub direction: Option<Direction>,
    pub aggregation: Option<Aggregation>,
    pub unit: Option<String>,
    pub frequency: Option<Frequency>,
    pub owner: Option<String>,
    pub weight: Option<f64>,
    pub rollup: Option<Rollup>,
    pub kind: Option<Kind>,
    pub forecast_method: Option<ForecastMethod>,
    pub source: Option<String>,
    pub target: Option<f64>,
    pub baseline: Option<f64>,
    pub parent: Option<String>,
    pub start: Option<NaiveDate>,
    pub deadline: Option<NaiveDate>,
}

impl SetRule {
    /// The rule as a message names it: `[[set]] match = ["Travel", "Office*"]`.
    pub fn label(&self, index: usize) -> String {
        format!(
            "[[set]] #{} (match = [{}])",
            index + 1,
            self.patterns
                .iter()
                .map(|p| format!("\"{p}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }

    /// True when the rule applies to a metric with this id and name on this sheet.
    pub fn matches(&self, id: &str, name: &str, sheet: &str) -> bool {
        if let Some(only) = &self.sheet {
            if normalize_key(only) != normalize_key(sheet) {
                return false;
            }
        }
        self.patterns.iter().any(|p| {
            wildcard(&normalize_key(p), &normalize_key(id))
                || wildcard(&normalize_key(p), &normalize_key(name))
        })
    }

    /// The rule's fields read, or the first one that cannot be (its key and what is wrong).
    pub fn fill(&self) -> Result<Fill, (&'static str, Fault)> {
        fn word<T: Copy>(
            key: &'static str,
            value: &Option<String>,
            words: &[Word<T>],
        ) -> Result<Option<T>, (&'static str, Fault)> {
            match value {
                None => Ok(None),
                Some(v) => find_word(words, &normalize_key(v))
                    .map(Some)
                    .ok_or_else(|| {
                        let mut expected: Vec<String> = Vec::new();
                        for w in words {
                            let spelled = match w.offered {
                                Some(text) => vec![text.en, text.ja],
                                None => w.accepted.iter().take(1).copied().collect(),
                            };
                            for text in spelled {
                                if !expected.iter().any(|e| e == text) {
                                    expected.push(text.to_string());
                                }
                            }
                        }
                        (
                            key,
                            Fault::UnknownWord {
                                value: crate::text::quoted(v),
                                expected,
                            },
                        )
                    }),
            }
        }
        let date = |key: &'static str,
                    value: &Option<String>|
         -> Result<Option<NaiveDate>, (&'static str, Fault)> {
            match value {
                None => Ok(None),
                Some(v) => NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
                    .map(Some)
                    .map_err(|_| {
                        (
                            key,
                            Fault::NotADate {
                                value: crate::text::quoted(v),
                            },
                        )
                    }),
            }
        };
        if self.patterns.is_empty() {
            return Err(("match", Fault::EmptyMatch));
        }
        if self.weight.is_some_and(|w| !(w.is_finite() && w >= 0.0)) {
            return Err(("weight", Fault::Weight));
        }
        if [self.target, self.baseline]
            .iter()
            .flatten()
            .any(|v| !v.is_finite())
        {
            let key = if self.target.is_some_and(|v| !v.is_finite()) {
                "target"
            } else {
                "baseline"
            };
            return Err((key, Fault::NotFinite));
        }
        Ok(Fill {
            direction: word("direction", &self.direction, &DIRECTION_WORDS)?,
            aggregation: word("aggregation", &self.aggregation, &AGGREGATION_WORDS)?,
            unit: self.unit.clone(),
            frequency: word("frequency", &self.frequency, &FREQUENCY_WORDS)?,
            owner: self.owner.clone(),
            weight: self.weight,
            rollup: word("rollup", &self.rollup, &ROLLUP_WORDS)?,
            kind: word("type", &self.kind, &KIND_WORDS)?,
            forecast_method: word(
                "forecast_method",
                &self.forecast_method,
                &FORECAST_METHOD_WORDS,
            )?,
            source: self.source.clone(),
            target: self.target,
            baseline: self.baseline,
            parent: self.parent.clone(),
            start: date("start", &self.start)?,
            deadline: date("deadline", &self.deadline)?,
        })
    }
}

/// One `[[goal]]` entry: a goal the workbook does not hold (a KGI over a flat list), or,
/// when its id or name is a metric's, the fields that metric's row leaves empty.
/// Its fields repeat [`SetRule`]'s on purpose: serde cannot `flatten` a shared struct into
/// one that denies unknown fields, and a misspelt key must stay an error naming it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoalEntry {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    /// Ids, names or wildcards of top-level metrics put under it.
    #[serde(default)]
    pub children: Vec<String>,
    #[serde(default)]
    pub direction: Option<String>,
    #[serde(default)]
    pub aggregation: Option<String>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub frequency: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub weight: Option<f64>,
    #[serde(default)]
    pub rollup: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub forecast_method: Option<String>,
    /// (v2) The keys the metric collects in exports, as a `source` cell lists them.
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub target: Option<f64>,
    #[serde(default)]
    pub baseline: Option<f64>,
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub start: Option<String>,
    #[serde(default)]
    pub deadline: Option<String>,
}

impl GoalEntry {
    /// The entry as a message names it.
    pub fn label(&self) -> String {
        format!("[[goal]] id = \"{}\"", self.id)
    }

    /// The entry's fields read (its type defaults to kgi when it adds a goal), or the first
    /// one that cannot be.
    pub fn fill(&self) -> Result<Fill, (&'static str, Fault)> {
        if self.id.trim().is_empty() {
            return Err(("id", Fault::EmptyId));
        }
        let rule = SetRule {
            patterns: vec![self.id.clone()],
            sheet: None,
            direction: self.direction.clone(),
            aggregation: self.aggregation.clone(),
            unit: self.unit.clone(),
            frequency: self.frequency.clone(),
            owner: self.owner.clone(),
            weight: self.weight,
            rollup: self.rollup.clone(),
            kind: self.kind.clone(),
            forecast_method: self.forecast_method.clone(),
            source: self.source.clone(),
            target: self.target,
            baseline: self.baseline,
            parent: self.parent.clone(),
            start: self.start.clone(),
            deadline: self.deadline.clone(),
        };
        rule.fill()
    }

    /// True when a child pattern names this metric (by id or name).
    pub fn is_parent_of(&self, id: &str, name: &str) -> bool {
        self.children.iter().any(|p| {
            let p = normalize_key(p);
            wildcard(&p, &normalize_key(id)) || wildcard(&p, &normalize_key(name))
        })
    }

    /// True when this entry is the metric with this id or name.
    pub fn is(&self, id: &str, name: &str) -> bool {
        let key = normalize_key(&self.id);
        key == normalize_key(id)
            || key == normalize_key(name)
            || self
                .name
                .as_deref()
                .is_some_and(|n| normalize_key(n) == normalize_key(name))
    }
}

/// `*` any run of characters, `?` one character; the rest compared as is.
pub fn wildcard(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Iterative matching with backtracking to the last `*`.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_like_a_shell() {
        assert!(wildcard("*", "travel"));
        assert!(wildcard("office*", "officesupplies"));
        assert!(wildcard("?at", "cat"));
        assert!(!wildcard("?at", "at"));
        assert!(wildcard("a*b*c", "axxbyyc"));
        assert!(!wildcard("a*b*c", "axxbyy"));
    }

    #[test]
    fn a_rule_reads_its_words_and_names_a_bad_one() -> Result<(), String> {
        let text = "match = [\"*\"]\ndirection = \"以下\"\naggregation = \"sum\"";
        let rule: SetRule = toml::from_str(text).map_err(|e| e.to_string())?;
        let fill = rule.fill().map_err(|(key, f)| format!("{key}: {f:?}"))?;
        assert_eq!(fill.direction, Some(Direction::StayBelow));
        assert_eq!(fill.aggregation, Some(Aggregation::Sum));
        let text = "match = [\"*\"]\ndirection = \"sideways\"";
        let bad: SetRule = toml::from_str(text).map_err(|e| e.to_string())?;
        assert!(bad.fill().is_err_and(|(key, fault)| key == "direction"
            && matches!(fault, Fault::UnknownWord { value, .. } if value == "sideways")));
        Ok(())
    }
}
