use std::collections::HashMap;

use super::*;
use crate::text::normalize_key;

fn all_words() -> Vec<&'static str> {
    let mut all: Vec<&str> = Vec::new();
    all.extend(
        DIRECTION_WORDS
            .iter()
            .flat_map(|w| w.accepted.iter().copied()),
    );
    all.extend(
        FREQUENCY_WORDS
            .iter()
            .flat_map(|w| w.accepted.iter().copied()),
    );
    all.extend(ROLLUP_WORDS.iter().flat_map(|w| w.accepted.iter().copied()));
    all.extend(KIND_WORDS.iter().flat_map(|w| w.accepted.iter().copied()));
    all.extend(
        AGGREGATION_WORDS
            .iter()
            .flat_map(|w| w.accepted.iter().copied()),
    );
    all.extend(
        FORECAST_METHOD_WORDS
            .iter()
            .flat_map(|w| w.accepted.iter().copied()),
    );
    all
}

#[test]
fn accepted_words_are_written_as_keys() {
    for word in all_words() {
        assert_eq!(normalize_key(word), word, "{word}");
    }
}

#[test]
fn every_offered_word_is_accepted_as_its_own_value() {
    fn check<T: Copy + PartialEq + std::fmt::Debug>(words: &[Word<T>]) {
        for word in words {
            if let Some(text) = word.offered {
                for shown in [text.en, text.ja] {
                    assert_eq!(find_word(words, &normalize_key(shown)), Some(word.value));
                }
            }
        }
    }
    check(&DIRECTION_WORDS);
    check(&FREQUENCY_WORDS);
    check(&ROLLUP_WORDS);
    check(&KIND_WORDS);
    for text in Choices::Direction.named() {
        for shown in [text.en, text.ja] {
            assert!(
                find_word(&DIRECTION_WORDS, &normalize_key(shown)).is_some(),
                "{shown}"
            );
        }
    }
    check(&AGGREGATION_WORDS);
    check(&FORECAST_METHOD_WORDS);
}

#[test]
fn every_column_has_one_entry_and_a_unique_key() {
    let mut keys = HashMap::new();
    for spec in &FIELDS {
        assert!(keys.insert(spec.key, spec.column).is_none(), "{}", spec.key);
        assert_eq!(spec.column.spec().key, spec.key);
        assert_eq!(Column::from_key(spec.key), Some(spec.column));
        for role in spec.required_on {
            assert!(
                spec.found_on.contains(role),
                "{} required but not looked for",
                spec.key
            );
        }
    }
    for field in crate::model::Field::ALL {
        assert_eq!(Column::Field(field).key(), field.key());
    }
}

#[test]
fn no_header_name_means_two_columns_on_one_sheet() {
    for role in SheetRole::ALL {
        let mut seen: HashMap<String, Column> = HashMap::new();
        for column in columns_of(role) {
            for name in column.names_on(role) {
                if let Some(other) = seen.insert(normalize_key(name), column) {
                    assert_eq!(other, column, "{name} on {role:?}");
                }
            }
        }
    }
}

#[test]
fn labels_follow_the_language() {
    let target = Column::Field(Field::Target);
    assert_eq!(target.label(Lang::En), "Target");
    assert_eq!(target.label(Lang::Ja), "目標値");
    assert_eq!(SheetRole::Kpi.label(Lang::Ja), "KPI一覧");
    assert_eq!(
        required_columns(SheetRole::Kpi),
        [Field::Name, Field::Target].map(Column::Field)
    );
    assert!(required_columns(SheetRole::Actuals).is_empty());
}

#[test]
fn choices_for_a_message_name_both_languages() {
    assert_eq!(
        Choices::Rollup.for_message(),
        "weighted, sum, 加重平均, 合計"
    );
}
