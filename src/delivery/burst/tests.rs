use chrono::NaiveDate;

use super::*;
use crate::analysis::analyse;
use crate::config::Settings;
use crate::model::{GoalSet, Kind, Measurement, Metric};

fn metric(id: &str, kind: Kind, parent: Option<&str>, owner: Option<&str>) -> Metric {
    let mut m = Metric::new(id, &format!("metric {id}"), kind, 100.0);
    m.parent = parent.map(str::to_string);
    m.owner = owner.map(str::to_string);
    m.start = NaiveDate::from_ymd_opt(2026, 4, 1);
    m.deadline = NaiveDate::from_ymd_opt(2027, 3, 31);
    m.measurements = vec![Measurement {
        date: NaiveDate::from_ymd_opt(2026, 10, 31),
        value: 30.0,
        source: crate::model::Source::ActualCell,
    }];
    m
}

/// K1 (社長) over A (佐藤) over A1 (鈴木) and A2 (nobody), and B (鈴木).
fn analysis() -> Analysis {
    let metrics = vec![
        metric("K1", Kind::Kgi, None, Some("社長")),
        metric("A", Kind::Kpi, Some("K1"), Some("佐藤")),
        metric("A1", Kind::Kdi, Some("A"), Some("鈴木")),
        metric("A2", Kind::Kdi, Some("A"), None),
        metric("B", Kind::Kpi, Some("K1"), Some(" 鈴木 ")),
    ];
    let goal_set = GoalSet {
        metrics,
        ..GoalSet::default()
    };
    analyse(
        goal_set,
        &[],
        NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(),
        &Settings::default(),
    )
}

fn ids(analysis: &Analysis) -> Vec<&str> {
    analysis
        .metrics
        .iter()
        .map(|m| m.metric.id.as_str())
        .collect()
}

#[test]
fn an_owner_sees_their_metrics_what_is_below_and_the_parents_above() {
    let all = analysis();
    assert_eq!(owners(&all), ["社長", "佐藤", "鈴木"]);

    let sato = owner_view(&all, "佐藤");
    assert_eq!(ids(&sato), ["K1", "A", "A1", "A2"]);
    // The KGI is there for context, with only the child on the way to 佐藤's metrics; the
    // links point into the part.
    assert_eq!(sato.metrics[0].children, [1]);
    assert_eq!(sato.metrics[1].children, [2, 3]);
    assert!(sato.metrics.iter().all(|m| m.kgi == Some(0)));
    for p in &sato.priorities {
        assert_eq!(sato.metrics[p.metric].metric.id, p.id);
    }
    let ranked: Vec<(usize, &str)> = sato
        .priorities
        .iter()
        .map(|p| (p.rank, p.id.as_str()))
        .collect();
    assert_eq!(
        ranked.iter().map(|r| r.0).collect::<Vec<_>>(),
        (1..=ranked.len()).collect::<Vec<_>>()
    );
    assert!(
        ranked.iter().all(|(_, id)| ["A1", "A2"].contains(id)),
        "{ranked:?}"
    );

    let suzuki = owner_view(&all, "鈴木");
    assert_eq!(ids(&suzuki), ["K1", "A", "A1", "B"]);
    assert_eq!(suzuki.metrics[0].children, [1, 3]);
    assert_eq!(suzuki.metrics[1].children, [2]);
    // The figures are the whole analysis's, not computed again on the part.
    assert_eq!(suzuki.metrics[0].now.progress, all.metrics[0].now.progress);
    // The findings are those about their metrics only (A2 has no owner: W06 is not theirs).
    assert!(suzuki
        .findings
        .iter()
        .all(|f| f.id.as_deref().is_some_and(|id| ["A1", "B"].contains(&id))));
    assert!(all.findings.iter().any(|f| f.id.as_deref() == Some("A2")));

    assert_eq!(ids(&owner_view(&all, "社長")), ["K1", "A", "A1", "A2", "B"]);
    assert!(owner_view(&all, "誰か").metrics.is_empty());
}

#[test]
fn owner_names_made_safe_for_file_names() {
    assert_eq!(safe_file_part("佐藤 太郎"), "佐藤_太郎");
    assert_eq!(
        safe_file_part("R&D / Sales: \"east\"?"),
        "R&D___Sales___east__"
    );
    assert_eq!(safe_file_part("../.."), ".._");
    assert_eq!(safe_file_part("..."), "owner");
    assert_eq!(safe_file_part("a\nb."), "a_b");
    assert_eq!(safe_file_part(&"長".repeat(100)).chars().count(), 60);
    assert_eq!(
        file_parts(&["a/b".to_string(), "a:b".to_string(), "A:B".to_string()]),
        ["a_b", "a_b-2", "A_B-3"]
    );
}

#[test]
fn addresses_from_the_config_and_the_sheet() {
    let mut email = Email::default();
    email.owners.insert(
        "佐藤".to_string(),
        vec![parse_mailbox("佐藤 <sato@example.jp>").unwrap()],
    );
    let row = |owner: &str, address: &str, cell: u32| RecipientRow {
        owner: owner.to_string(),
        address: address.to_string(),
        location: crate::model::Location::cell("宛先", cell, 1),
    };
    let rows = [
        row("佐藤", "SATO@example.jp", 1),
        row("ｽｽﾞｷ", "suzuki@example.jp", 2),
        row("田中", "tanaka at example", 3),
        row("田中", "", 4),
    ];
    let (map, problems) = addresses(&email, &rows, Lang::En);
    let of = |owner| {
        addresses_of(&map, owner)
            .iter()
            .map(|m| m.address.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(of("佐藤"), ["sato@example.jp"]);
    assert_eq!(of("スズキ"), ["suzuki@example.jp"]);
    assert!(of("田中").is_empty());
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].starts_with("宛先!B4: warning: \"tanaka at example\""),
        "{}",
        problems[0]
    );
}
