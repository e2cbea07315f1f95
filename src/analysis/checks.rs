//! Health checks of SPEC section 5 against good KPI practice: definitions that make a row
//! invalid (E05, E06) and the warnings (W01–W11) and info (I01) on the computed figures.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::config::Settings;
use crate::display;
use crate::findings::{Finding, Problem};
use crate::model::{Aggregation, Direction, Field, Frequency, Kind, Location, Rollup, Source};

use super::compute::{effective_dates, unit_key};
use super::figures::{MetricReport, PlanSource};
use super::tree::Tree;
use crate::dates::days_between;
use crate::model::Status;

/// E05 (start on/after deadline, target equal to baseline) and E06 (`sum` rollup without a
/// child in the parent's unit). Returns the findings and the ids of the rows they invalidate.
pub fn definition_errors(
    tree: &Tree,
    as_of: NaiveDate,
    settings: &Settings,
) -> (Vec<Finding>, HashSet<String>) {
    let dates = effective_dates(tree, as_of, settings);
    let mut findings = Vec::new();
    let mut bad = HashSet::new();
    for (i, m) in tree.metrics.iter().enumerate() {
        let (start, deadline) = dates[i];
        if start >= deadline {
            let field = if m.start.is_some() {
                Field::Start
            } else {
                Field::Deadline
            };
            findings.push(Finding::new(
                Problem::StartNotBeforeDeadline {
                    start: start.to_string(),
                    deadline: deadline.to_string(),
                },
                Some(&m.id),
                Some(m.cell_of(field)),
            ));
            bad.insert(m.id.clone());
        }
        if let Some(target) = m.target.filter(|t| m.baseline == Some(*t)) {
            findings.push(Finding::new(
                Problem::TargetEqualsBaseline {
                    target: display::number(target),
                },
                Some(&m.id),
                Some(m.cell_of(Field::Baseline)),
            ));
            bad.insert(m.id.clone());
        }
        if m.rollup == Rollup::Sum && !tree.children[i].is_empty() {
            let unit = unit_key(&m.unit);
            let any_in_unit = tree.children[i]
                .iter()
                .any(|c| unit_key(&tree.metrics[*c].unit) == unit);
            if !any_in_unit {
                findings.push(Finding::new(
                    Problem::SumWithoutChildInUnit {
                        unit: m.unit.as_deref().unwrap_or_default().to_string(),
                    },
                    Some(&m.id),
                    Some(m.cell_of(Field::Rollup)),
                ));
                bad.insert(m.id.clone());
            }
        }
    }
    (findings, bad)
}

/// How many metrics W19 names (the count says how many there are in all).
const NO_TARGET_NAMES: usize = 5;

/// W01–W11, W15, W19 and I01 over the analysed metrics (in tree order).
pub fn health_checks(
    metrics: &[MetricReport],
    as_of: NaiveDate,
    settings: &Settings,
    tables: &[Location],
) -> Vec<Finding> {
    let by_id: HashMap<&str, &MetricReport> =
        metrics.iter().map(|m| (m.metric.id.as_str(), m)).collect();
    let mut findings = Vec::new();
    // W15 once for a goal set without a KGI (instead of W03 on every row).
    let has_kgi = metrics.iter().any(|m| m.metric.kind == Kind::Kgi);
    if !has_kgi && !metrics.is_empty() {
        findings.push(Finding::new(Problem::NoKgi, None, None));
    }
    // W19 once for the metrics tracked without a target, naming the first few.
    let untargeted: Vec<&MetricReport> = metrics
        .iter()
        .filter(|m| m.metric.target.is_none())
        .collect();
    if let Some(first) = untargeted.first() {
        let location = (untargeted.len() == 1).then(|| first.metric.cell_of(Field::Target));
        let id = (untargeted.len() == 1).then_some(first.metric.id.as_str());
        findings.push(Finding::new(
            Problem::NoTarget {
                count: untargeted.len(),
                names: untargeted
                    .iter()
                    .take(NO_TARGET_NAMES)
                    .map(|m| m.metric.name.clone())
                    .collect(),
            },
            id,
            location,
        ));
    }
    for report in metrics {
        let m = &report.metric;
        let id = Some(m.id.as_str());
        let mut push = |problem: Problem, field: Field| {
            findings.push(Finding::new(problem, id, Some(m.cell_of(field))));
        };
        let children: Vec<&MetricReport> = report
            .children
            .iter()
            .filter_map(|c| metrics.get(*c))
            .collect();

        if m.kind == Kind::Kgi {
            if children.is_empty() {
                push(Problem::KgiWithoutKpi, Field::Id);
            } else if children.len() > settings.max_kpis_per_kgi {
                push(
                    Problem::TooManyKpis {
                        count: children.len(),
                        max: settings.max_kpis_per_kgi,
                    },
                    Field::Id,
                );
            }
        } else if m.parent.is_none() && has_kgi {
            push(Problem::NotLinked, Field::Parent);
        }

        // Own deadline, or one up the tree.
        let ancestors = || {
            std::iter::successors(m.parent.as_deref(), |p| {
                by_id.get(p).and_then(|r| r.metric.parent.as_deref())
            })
            .filter_map(|p| by_id.get(p).copied())
            .take(metrics.len())
        };
        let has_deadline = m.deadline.is_some() || ancestors().any(|a| a.metric.deadline.is_some());
        if !has_deadline {
            push(Problem::NoDeadline, Field::Deadline);
        }
        if m.kind != Kind::Kgi {
            let kgi = report.kgi.and_then(|k| metrics.get(k));
            if let (Some(own), Some(kgi)) = (m.deadline, kgi) {
                if let Some(kgi_deadline) = kgi.metric.deadline {
                    if own > kgi_deadline {
                        push(
                            Problem::DeadlineAfterKgi {
                                deadline: own.to_string(),
                                kgi: kgi.metric.id.clone(),
                                kgi_deadline: kgi_deadline.to_string(),
                            },
                            Field::Deadline,
                        );
                    }
                }
            }
        }
        if m.owner.is_none() {
            push(Problem::NoOwner, Field::Owner);
        }
        if m.frequency.is_none() {
            push(Problem::NoFrequency, Field::Frequency);
        }
        if let Some(last) = report.now.last_measured {
            let interval = m.frequency.unwrap_or(Frequency::Monthly).interval_days();
            let age = days_between(last, as_of);
            let allowed = interval + settings.stale_grace_days as f64;
            if age as f64 > allowed {
                push(
                    Problem::Stale {
                        last: last.to_string(),
                        days: age,
                        allowed: allowed.floor() as i64,
                    },
                    Field::Id,
                );
            }
        }
        if m.rollup == Rollup::Sum && !children.is_empty() {
            let unit = unit_key(&m.unit);
            let in_unit: Vec<Option<f64>> = children
                .iter()
                .filter(|c| unit_key(&c.metric.unit) == unit)
                .map(|c| c.metric.target)
                .collect();
            // Only when the parent and every summed child have a target (W19 otherwise).
            let sum = in_unit.iter().copied().sum::<Option<f64>>();
            if let (false, Some(sum), Some(target)) = (in_unit.is_empty(), sum, m.target) {
                if (sum - target).abs() > 0.005 * target.abs() {
                    push(
                        Problem::NotMece {
                            sum: display::number(sum),
                            target: display::number(target),
                        },
                        Field::Target,
                    );
                }
            }
        }
        if let (Some(required), Some(so_far)) = (report.now.required_rate, report.now.rate_so_far) {
            if so_far > 0.0 && required > 2.0 * so_far {
                push(
                    Problem::NotAchievable {
                        required: display::number(required),
                        so_far: display::number(so_far),
                        per: report.rate_frequency(),
                    },
                    Field::Id,
                );
            }
        }
        if !children.is_empty()
            && matches!(report.now.status, Status::AtRisk | Status::OffTrack)
            && children
                .iter()
                .all(|c| matches!(c.now.status, Status::Achieved | Status::OnTrack))
        {
            push(
                Problem::KpisDoNotDrive {
                    status: report.now.status,
                },
                Field::Id,
            );
        }
        if m.unit.is_none() {
            push(Problem::NoUnit, Field::Unit);
        }
        findings.extend(over_time_checks(report, tables));
    }
    findings
}

/// (v2) The checks on values over time: W12 (two values on one date for `last`/`average`),
/// W13 (the plan does not add up to the target), W14 (a missing period of a `sum` metric),
/// W16 (amounts per period on a `last` metric) and I04 (a baseline on a `sum` metric).
/// `tables` are the goal set's tables, which the measurements' sources point into.
pub fn over_time_checks(report: &MetricReport, tables: &[Location]) -> Vec<Finding> {
    let m = &report.metric;
    let now = &report.now;
    let id = Some(m.id.as_str());
    let mut findings = Vec::new();
    let sum = now.aggregation == Aggregation::Sum;
    if !sum {
        findings.extend(same_date_values(report, tables));
    }
    if m.baseline.is_some() && sum {
        findings.push(Finding::new(
            Problem::BaselineIgnored,
            id,
            Some(m.cell_of(Field::Baseline)),
        ));
    }
    // W13: the metric's own plan, not a parent's summed one, and not for `average`.
    if now.plan_source == PlanSource::Phased && now.aggregation != Aggregation::Average {
        let plan_end = if sum {
            now.plan_total
        } else {
            let last = m
                .plan
                .iter()
                .filter(|p| p.date <= now.deadline)
                .max_by_key(|p| p.date);
            last.map(|p| p.value)
        };
        if let (Some(plan), Some(target)) = (plan_end, m.target) {
            if (plan - target).abs() > 0.005 * target.abs() {
                findings.push(Finding::new(
                    Problem::PlanNotTarget {
                        plan: display::number(plan),
                        target: display::number(target),
                        sum,
                    },
                    id,
                    Some(m.cell_of(Field::Target)),
                ));
            }
        }
    }
    if sum {
        let first = now.periods.iter().position(|p| p.actual.is_some());
        if let Some(first) = first {
            let missing: Vec<String> = now.periods[first..]
                .iter()
                .filter(|p| p.period.end <= now.as_of && p.actual.is_none())
                .map(|p| p.period.label())
                .collect();
            if !missing.is_empty() {
                findings.push(Finding::new(
                    Problem::MissingPeriods { periods: missing },
                    id,
                    Some(m.cell_of(Field::Id)),
                ));
            }
        }
    }
    if now.aggregation == Aggregation::Last
        && m.direction == Direction::Increase
        && m.baseline.is_none()
    {
        let window: Vec<f64> = now
            .history
            .iter()
            .filter(|(d, _)| *d >= now.start)
            .map(|(_, v)| *v)
            .collect();
        let largest = window.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let falls = window.windows(2).any(|w| w[1] < w[0]);
        let target = m.target.unwrap_or(f64::NEG_INFINITY);
        if window.len() >= 3 && target > 4.0 * largest && falls {
            findings.push(Finding::new(
                Problem::LooksLikeAmounts {
                    largest: display::number(largest),
                    target: display::number(target),
                },
                id,
                Some(m.cell_of(Field::Id)),
            ));
        }
    }
    findings
}

/// W12: table values of one metric on one date (the first pair named by its cells, the
/// later row being the one used), once per metric with the count of the other dates: a
/// journal export fed to a `last` metric would otherwise give one finding per day.
fn same_date_values(report: &MetricReport, tables: &[Location]) -> Vec<Finding> {
    let m = &report.metric;
    let mut by_date: HashMap<NaiveDate, Source> = HashMap::new();
    let mut first_pair: Option<(NaiveDate, Source, Source)> = None;
    let mut dates_twice: HashSet<NaiveDate> = HashSet::new();
    let place = |source: Source| match source {
        Source::Table { table, row, col } => tables.get(usize::from(table)).map(|t| {
            let mut location = t.clone();
            location.row = Some(row);
            location.col = Some(col);
            location
        }),
        Source::ActualCell => None,
    };
    for measurement in m.measurements.iter().filter(|x| !x.from_cell()) {
        let Some(date) = measurement.date else {
            continue;
        };
        if let Some(first) = by_date.insert(date, measurement.source) {
            dates_twice.insert(date);
            first_pair.get_or_insert((date, first, measurement.source));
        }
    }
    let Some((date, first, second)) = first_pair else {
        return Vec::new();
    };
    let reference = |s| place(s).map(|l| l.reference()).unwrap_or_default();
    vec![Finding::new(
        Problem::SameDate {
            date: date.to_string(),
            first: reference(first),
            second: reference(second),
            more: dates_twice.len() - 1,
        },
        Some(&m.id),
        place(second),
    )]
}
