//! The figures of every metric as of one date (SPEC section 4): effective dates,
//! measurements up to the date, progress, pace, forecast, rates and status, children before
//! parents so that rollups can use them; and each metric's impact on its KGI.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::config::Settings;
use crate::dates;
use crate::model::{Frequency, Kind, Metric, Rollup, Status, Unit};

use super::figures::{ActualSource, Figures};
use super::formulas;
use super::tree::Tree;

/// Effective start and deadline of every metric: its own, else its parent's; a root without
/// a deadline ends with the fiscal year containing as-of, and without a start begins with
/// the fiscal year containing its deadline.
pub fn effective_dates(
    tree: &Tree,
    as_of: NaiveDate,
    settings: &Settings,
) -> Vec<(NaiveDate, NaiveDate)> {
    let fy = settings.fiscal_year_start_month;
    let mut result = vec![(as_of, as_of); tree.metrics.len()];
    for &i in &tree.order {
        let m = &tree.metrics[i];
        let inherited = tree.parent[i].map(|p| result[p]);
        let deadline = m
            .deadline
            .or(inherited.map(|(_, d)| d))
            .unwrap_or_else(|| dates::fiscal_year_end(as_of, fy));
        let start = m
            .start
            .or(inherited.map(|(s, _)| s))
            .unwrap_or_else(|| dates::fiscal_year_start(deadline, fy));
        result[i] = (start, deadline);
    }
    result
}

/// Measurements up to `as_of`, one per date (the actual cell wins over the Actuals sheet on
/// the same date; otherwise the last one in the sheet), and the latest dated one.
fn measurements_as_of(
    metric: &Metric,
    as_of: NaiveDate,
) -> (Vec<(NaiveDate, f64)>, Option<NaiveDate>) {
    let mut by_date: BTreeMap<NaiveDate, (f64, bool)> = BTreeMap::new();
    let mut last_measured: Option<NaiveDate> = None;
    for m in &metric.measurements {
        let date = m.date.unwrap_or(as_of);
        if date > as_of {
            continue;
        }
        if m.date.is_some() {
            last_measured = last_measured.max(Some(date));
        }
        match by_date.get(&date) {
            Some((_, true)) if !m.from_cell() => {}
            _ => {
                by_date.insert(date, (m.value, m.from_cell()));
            }
        }
    }
    let points = by_date.into_iter().map(|(d, (v, _))| (d, v)).collect();
    (points, last_measured)
}

pub(crate) fn unit_key(unit: &Option<Unit>) -> String {
    unit.as_ref().map(Unit::key).unwrap_or_default()
}

/// Figures of every metric (indexed like `tree.metrics`) as of one date.
pub fn compute_figures(tree: &Tree, as_of: NaiveDate, settings: &Settings) -> Vec<Figures> {
    let dates = effective_dates(tree, as_of, settings);
    let thresholds = &settings.thresholds;
    // Normalised once per metric, not once per child of every `sum` parent.
    let unit_keys: Vec<String> = tree.metrics.iter().map(|m| unit_key(&m.unit)).collect();
    let mut figures: Vec<Option<Figures>> = vec![None; tree.metrics.len()];
    // Children before parents: reverse pre-order.
    for &i in tree.order.iter().rev() {
        let m = &tree.metrics[i];
        let (start, deadline) = dates[i];
        let elapsed = formulas::elapsed(as_of, start, deadline);
        let (history, own_last) = measurements_as_of(m, as_of);
        let period = (start, as_of, deadline);
        let children: Vec<&Figures> = tree.children[i]
            .iter()
            .filter_map(|c| figures[*c].as_ref())
            .collect();

        let own_actual = history.last().map(|(_, v)| *v);
        let mut f = Figures {
            as_of,
            start,
            deadline,
            actual: own_actual,
            actual_source: ActualSource::Own,
            baseline: m.baseline,
            progress: None,
            achieved: false,
            shortfall: None,
            elapsed,
            pace: None,
            forecast: None,
            forecast_progress: None,
            rate_so_far: None,
            required_rate: None,
            status: Status::NoData,
            last_measured: own_last,
            history,
        };

        if own_actual.is_none() && !children.is_empty() && m.rollup == Rollup::Weighted {
            weighted_rollup(&mut f, tree, i, &figures, settings);
            f.status =
                formulas::status(f.progress.is_some(), f.achieved, period, f.pace, thresholds);
            figures[i] = Some(f);
            continue;
        }

        let mut sum_forecast = None;
        if own_actual.is_none() && !children.is_empty() && m.rollup == Rollup::Sum {
            let unit = &unit_keys[i];
            let summed: Vec<(&Metric, &Figures)> = tree.children[i]
                .iter()
                .filter(|c| unit_keys[**c] == *unit)
                .filter_map(|c| figures[*c].as_ref().map(|f| (&tree.metrics[*c], f)))
                .filter(|(_, f)| f.actual.is_some())
                .collect();
            if !summed.is_empty() {
                f.actual = Some(summed.iter().filter_map(|(_, f)| f.actual).sum());
                f.actual_source = ActualSource::Sum;
                if m.baseline.is_none() {
                    let all_in_unit: Vec<&Figures> = tree.children[i]
                        .iter()
                        .filter(|c| unit_keys[**c] == *unit)
                        .filter_map(|c| figures[*c].as_ref())
                        .collect();
                    f.baseline = all_in_unit.iter().map(|f| f.baseline).sum::<Option<f64>>();
                }
                sum_forecast = summed.iter().map(|(_, f)| f.forecast).sum::<Option<f64>>();
                f.last_measured = summed.iter().filter_map(|(_, f)| f.last_measured).min();
            }
        }

        let Some(actual) = f.actual else {
            f.actual_source = ActualSource::Missing;
            f.status = Status::NoData;
            figures[i] = Some(f);
            continue;
        };
        let (target, baseline, direction) = (m.target, f.baseline, m.direction);
        f.progress = formulas::progress(actual, target, baseline, direction);
        f.achieved = formulas::achieved(actual, target, direction);
        f.shortfall = Some(formulas::shortfall(actual, target, direction));
        f.pace = formulas::pace(f.progress, elapsed);
        f.forecast = if f.actual_source == ActualSource::Sum {
            if elapsed > 0.0 {
                sum_forecast
            } else {
                None
            }
        } else {
            formulas::forecast_at_deadline(
                &f.history, actual, baseline, direction, elapsed, deadline,
            )
        };
        f.forecast_progress = f
            .forecast
            .and_then(|fc| formulas::progress(fc, target, baseline, direction));
        let interval = m.frequency.unwrap_or(Frequency::Monthly).interval_days();
        let rates = formulas::rates(actual, target, baseline, direction, interval, period);
        f.rate_so_far = rates.so_far;
        f.required_rate = rates.required;
        f.status = formulas::status(true, f.achieved, period, f.pace, thresholds);
        figures[i] = Some(f);
    }
    figures
        .into_iter()
        .map(|f| f.unwrap_or_else(|| unreachable_figures(as_of)))
        .collect()
}

/// Every index is visited by the pre-order walk; this only satisfies the type.
fn unreachable_figures(as_of: NaiveDate) -> Figures {
    Figures {
        as_of,
        start: as_of,
        deadline: as_of,
        actual: None,
        actual_source: ActualSource::Missing,
        baseline: None,
        progress: None,
        achieved: false,
        shortfall: None,
        elapsed: 0.0,
        pace: None,
        forecast: None,
        forecast_progress: None,
        rate_so_far: None,
        required_rate: None,
        status: Status::NoData,
        last_measured: None,
        history: Vec::new(),
    }
}

/// p = Σ wᵢ·min(pᵢ, cap) / Σ wᵢ over children with data; p̂ likewise from the children's p̂
/// (their p where they have none). No actual, shortfall or forecast.
fn weighted_rollup(
    f: &mut Figures,
    tree: &Tree,
    i: usize,
    figures: &[Option<Figures>],
    settings: &Settings,
) {
    let cap = settings.rollup_cap;
    let mut weight_sum = 0.0;
    let mut progress_sum = 0.0;
    let mut forecast_sum = 0.0;
    for &c in &tree.children[i] {
        let Some(child) = figures[c].as_ref() else {
            continue;
        };
        let Some(p) = child.progress else {
            continue;
        };
        let w = tree.metrics[c].weight;
        weight_sum += w;
        progress_sum += w * p.min(cap);
        forecast_sum += w * child.forecast_progress.unwrap_or(p).min(cap);
    }
    f.actual = None;
    f.baseline = None;
    f.actual_source = ActualSource::Weighted;
    f.last_measured = None;
    if weight_sum > 0.0 {
        let p = progress_sum / weight_sum;
        f.progress = Some(p);
        f.forecast_progress = Some(forecast_sum / weight_sum);
        f.achieved = p >= 1.0;
        f.pace = formulas::pace(Some(p), f.elapsed);
    }
}

/// Impact: the product of weight shares (wᵢ / Σ sibling w) up to the KGI; 1 for a KGI,
/// `None` below a root that is not a KGI.
pub(crate) fn impacts(tree: &Tree) -> Vec<Option<f64>> {
    let mut impact: Vec<Option<f64>> = vec![None; tree.metrics.len()];
    // Each parent's total child weight once, not once per child (a KGI may have many).
    let child_weights: Vec<f64> = tree
        .children
        .iter()
        .map(|children| children.iter().map(|c| tree.metrics[*c].weight).sum())
        .collect();
    for &i in &tree.order {
        impact[i] = match tree.parent[i] {
            None => (tree.metrics[i].kind == Kind::Kgi).then_some(1.0),
            Some(p) => impact[p].map(|parent_impact| {
                let siblings = child_weights[p];
                let share = if siblings > 0.0 {
                    tree.metrics[i].weight / siblings
                } else {
                    0.0
                };
                parent_impact * share
            }),
        };
    }
    impact
}
