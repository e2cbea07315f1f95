//! The analysis in process, without any file: a goal set built in code, every expected
//! figure worked out by hand in the comments (SPEC section 4), and the definition and health
//! checks that need no workbook (E05, E06, W04, W09).

use chrono::NaiveDate;

use super::*;
use crate::findings::Code;
use crate::model::{Measurement, Metric, Rollup, Source, Unit};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

const AS_OF: (i32, u32, u32) = (2026, 10, 31);

fn as_of() -> NaiveDate {
    d(AS_OF.0, AS_OF.1, AS_OF.2)
}

fn metric(id: &str, kind: Kind, parent: Option<&str>, target: f64, unit: &str) -> Metric {
    let mut m = Metric::new(id, id, kind, target);
    m.parent = parent.map(str::to_string);
    m.unit = Unit::new(unit);
    m
}

fn measured(mut m: Metric, values: &[(NaiveDate, f64)]) -> Metric {
    for (i, (date, value)) in values.iter().enumerate() {
        m.measurements.push(Measurement {
            date: Some(*date),
            value: *value,
            source: Source::Table {
                table: 0,
                row: i as u32 + 1,
                col: 1,
            },
        });
    }
    m
}

/// KGI S: sales of 1,200 JPY over the fiscal year 2026-04-01 .. 2027-03-31, the sum of S1
/// (800 JPY, weight 2) and S2 (400 JPY, weight 1), each measured once at the as-of date.
fn sales() -> GoalSet {
    let mut kgi = metric("S", Kind::Kgi, None, 1200.0, "JPY");
    kgi.rollup = Rollup::Sum;
    kgi.start = Some(d(2026, 4, 1));
    kgi.deadline = Some(d(2027, 3, 31));
    let mut s1 = measured(
        metric("S1", Kind::Kpi, Some("S"), 800.0, "JPY"),
        &[(as_of(), 400.0)],
    );
    s1.weight = 2.0;
    let s2 = measured(
        metric("S2", Kind::Kpi, Some("S"), 400.0, "JPY"),
        &[(as_of(), 100.0)],
    );
    GoalSet {
        metrics: vec![kgi, s1, s2],
        ..GoalSet::default()
    }
}

fn analysed(goal_set: GoalSet) -> Analysis {
    analyse(goal_set, &[], as_of(), &Settings::default())
}

fn report<'a>(analysis: &'a Analysis, id: &str) -> &'a MetricReport {
    analysis
        .metric(id)
        .unwrap_or_else(|| panic!("{id} not in the analysis"))
}

fn close(actual: Option<f64>, expected: f64) {
    match actual {
        Some(a) => assert!((a - expected).abs() < 1e-6, "{a} != {expected}"),
        None => panic!("no value, expected {expected}"),
    }
}

fn codes(analysis: &Analysis) -> Vec<(Code, Option<&str>)> {
    analysis
        .findings
        .iter()
        .map(|f| (f.code(), f.id.as_deref()))
        .collect()
}

// The period has 364 days (2026-04-01 to 2027-03-31) and 213 of them have passed on
// 2026-10-31: e = 213/364.
const ELAPSED: f64 = 213.0 / 364.0;

#[test]
fn figures_of_leaves_by_hand() {
    let analysis = analysed(sales());
    let s1 = report(&analysis, "S1");
    // Dates are inherited from the KGI.
    assert_eq!(
        (s1.now.start, s1.now.deadline),
        (d(2026, 4, 1), d(2027, 3, 31))
    );
    assert!((s1.now.elapsed - ELAPSED).abs() < 1e-12);
    // p = 400/800; pace = p/e = 0.5 × 364/213 = 0.8545 → at risk (0.80 ≤ pace < 0.95).
    close(s1.now.progress, 0.5);
    close(s1.now.pace, 0.5 / ELAPSED);
    assert_eq!(s1.now.status, Status::AtRisk);
    // One measurement, no baseline: F = A/e = 400 × 364/213 = 683.57.
    close(s1.now.forecast, 400.0 / ELAPSED);
    close(s1.now.forecast_progress, 0.5 / ELAPSED);
    close(s1.now.shortfall, 400.0);
    // S2: p = 0.25, pace = 0.4272 → off track.
    let s2 = report(&analysis, "S2");
    close(s2.now.pace, 0.25 / ELAPSED);
    assert_eq!(s2.now.status, Status::OffTrack);
    // Nothing measured at the previous month-end: no change since then.
    assert_eq!(s1.previous.progress, None);
    assert_eq!(s1.progress_change(), None);
}

#[test]
fn a_sum_rollup_adds_the_children_in_its_unit() {
    let analysis = analysed(sales());
    let s = report(&analysis, "S");
    assert_eq!(s.now.actual_source, ActualSource::Sum);
    // A = 400 + 100 = 500; p = 500/1200; F = 683.57 + 170.89 = 500/e.
    close(s.now.actual, 500.0);
    close(s.now.progress, 500.0 / 1200.0);
    close(s.now.forecast, 500.0 / ELAPSED);
    assert_eq!(s.now.status, Status::OffTrack);
    // Links by place: the KGI is first, its children follow.
    assert_eq!(s.kgi, Some(0));
    let children: Vec<&str> = s
        .children
        .iter()
        .map(|c| analysis.metrics[*c].metric.id.as_str())
        .collect();
    assert_eq!(children, ["S1", "S2"]);
}

#[test]
fn a_weighted_rollup_averages_the_childrens_progress_by_weight() {
    let mut goal_set = sales();
    goal_set.metrics[0].rollup = Rollup::Weighted;
    let analysis = analysed(goal_set);
    let s = report(&analysis, "S");
    assert_eq!(s.now.actual_source, ActualSource::Weighted);
    assert_eq!(s.now.actual, None);
    // (2 × 0.5 + 1 × 0.25) / 3 = 0.41667.
    close(s.now.progress, (2.0 * 0.5 + 0.25) / 3.0);
}

#[test]
fn priorities_rank_by_impact_times_shortfall() {
    let analysis = analysed(sales());
    // S1: impact 2/3, p̂ = 0.8545, ratio 0.1455, score 0.0970.
    // S2: impact 1/3, p̂ = 0.4272, ratio 0.5728, score 0.1909 → first.
    let ranked: Vec<(&str, usize)> = analysis
        .priorities
        .iter()
        .map(|p| (p.id.as_str(), p.rank))
        .collect();
    assert_eq!(ranked, [("S2", 1), ("S1", 2)]);
    let first = &analysis.priorities[0];
    assert!(first.from_forecast);
    assert!((first.impact - 1.0 / 3.0).abs() < 1e-12);
    assert!((first.basis - 0.25 / ELAPSED).abs() < 1e-12);
    assert!((first.score - (1.0 / 3.0) * (1.0 - 0.25 / ELAPSED)).abs() < 1e-12);
    assert_eq!(
        analysis.metric_of(first).map(|m| m.metric.id.as_str()),
        Some("S2")
    );
}

#[test]
fn the_change_since_last_month_compares_progress_at_both_month_ends() {
    let mut goal_set = sales();
    goal_set.metrics[1] = measured(goal_set.metrics[1].clone(), &[(d(2026, 9, 30), 300.0)]);
    let analysis = analysed(goal_set);
    let s1 = report(&analysis, "S1");
    // 300/800 at 2026-09-30, 400/800 at 2026-10-31: +12.5 points.
    close(s1.previous.progress, 0.375);
    close(s1.progress_change(), 0.125);
}

#[test]
fn e05_start_on_or_after_the_deadline_and_target_equal_to_baseline() {
    let mut goal_set = sales();
    goal_set.metrics[2].start = Some(d(2027, 3, 31));
    goal_set.metrics[1].baseline = Some(800.0);
    let analysis = analysed(goal_set);
    let found = codes(&analysis);
    assert!(found.contains(&(Code::E05, Some("S2"))), "{found:?}");
    assert!(found.contains(&(Code::E05, Some("S1"))), "{found:?}");
    // Both rows are left out of the figures.
    assert!(analysis.metric("S1").is_none() && analysis.metric("S2").is_none());
}

#[test]
fn e06_a_sum_without_a_child_in_its_unit() {
    let mut goal_set = sales();
    goal_set.metrics[0].unit = Unit::new("件");
    let analysis = analysed(goal_set);
    assert!(codes(&analysis).contains(&(Code::E06, Some("S"))));
    assert!(analysis.metric("S").is_none());
}

#[test]
fn w04_without_a_deadline_anywhere_up_the_tree() {
    let mut goal_set = sales();
    goal_set.metrics[0].deadline = None;
    goal_set.metrics[0].start = None;
    let analysis = analysed(goal_set);
    let w04: Vec<Option<&str>> = codes(&analysis)
        .into_iter()
        .filter(|(c, _)| *c == Code::W04)
        .map(|(_, id)| id)
        .collect();
    assert_eq!(w04, [Some("S"), Some("S1"), Some("S2")]);
    // With one on the KGI, its KPIs inherit it: no W04 at all.
    assert!(!codes(&analysed(sales()))
        .iter()
        .any(|(c, _)| *c == Code::W04));
}

#[test]
fn w09_when_the_childrens_targets_do_not_add_up_to_a_sum_parents() {
    let mut goal_set = sales();
    // 800 + 400 = 1,200 against 1,300: more than 0.5 % apart.
    goal_set.metrics[0].target = Some(1300.0);
    assert!(codes(&analysed(goal_set)).contains(&(Code::W09, Some("S"))));
    // 1,200 against 1,205: within 0.5 %, no W09.
    let mut goal_set = sales();
    goal_set.metrics[0].target = Some(1205.0);
    assert!(!codes(&analysed(goal_set))
        .iter()
        .any(|(c, _)| *c == Code::W09));
}
