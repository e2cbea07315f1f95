//! The analysis: pure functions from a goal set and an as-of date to every figure of SPEC
//! section 4 (inheritance, actuals, progress, pace, forecast, rates, status, rollups, impact,
//! priorities, previous period) and the health checks of section 5. No files, no cells.

pub mod checks;
pub mod formulas;
pub mod priority;
pub mod tree;

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::config::Settings;
use crate::dates;
use crate::findings::{sort_findings, Finding};
use crate::model::{Frequency, GoalSet, Kind, Location, Metric, Rollup};
use crate::text::normalize_key;

pub use crate::model::Status;
pub use priority::Priority;
use tree::Tree;

/// How a metric's actual came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActualSource {
    /// Its own measurements (the actual cell or the Actuals sheet).
    Own,
    /// The sum of its children in its unit (`sum` rollup).
    Sum,
    /// No value: progress is the weighted mean of its children's (`weighted` rollup).
    Weighted,
    /// No data at all.
    Missing,
}

/// The figures of one metric as of one date.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub as_of: NaiveDate,
    pub start: NaiveDate,
    pub deadline: NaiveDate,
    pub actual: Option<f64>,
    pub actual_source: ActualSource,
    /// The baseline used: its own, or for a `sum` parent the sum of its children's.
    pub baseline: Option<f64>,
    pub progress: Option<f64>,
    pub achieved: bool,
    pub shortfall: Option<f64>,
    pub elapsed: f64,
    pub pace: Option<f64>,
    pub forecast: Option<f64>,
    pub forecast_progress: Option<f64>,
    pub rate_so_far: Option<f64>,
    pub required_rate: Option<f64>,
    pub status: Status,
    pub last_measured: Option<NaiveDate>,
    /// Dated measurements up to the as-of date, one per date, oldest first (an undated
    /// actual cell stands at the as-of date).
    pub history: Vec<(NaiveDate, f64)>,
}

/// One metric with its definition, where it stands in the tree, and its figures now and
/// at the end of the previous month.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricReport {
    pub metric: Metric,
    /// The KGI at the top of its tree (its own id for a KGI); `None` when not under a KGI.
    pub kgi: Option<String>,
    pub depth: usize,
    pub children: Vec<String>,
    /// Share of the KGI: the product of weight shares up the tree.
    pub impact: Option<f64>,
    pub now: Figures,
    pub previous: Figures,
}

impl MetricReport {
    pub fn is_leaf(&self) -> bool {
        self.children.is_empty()
    }

    pub fn location(&self) -> &Location {
        &self.metric.location
    }

    /// Days from as-of to the deadline (negative when overdue).
    pub fn days_left(&self) -> i64 {
        dates::days_between(self.now.as_of, self.now.deadline)
    }

    /// The frequency the rates are expressed in (monthly when none is given).
    pub fn rate_frequency(&self) -> Frequency {
        self.metric.frequency.unwrap_or(Frequency::Monthly)
    }
}

/// Everything computed for one goal set.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub as_of: NaiveDate,
    pub previous_as_of: NaiveDate,
    /// In tree order: each KGI followed by its KPIs and KDIs, then unlinked KPIs.
    pub metrics: Vec<MetricReport>,
    /// The full ranking.
    pub priorities: Vec<Priority>,
    /// Structural errors (E01–E03, E05, E06), warnings and info, sorted.
    pub findings: Vec<Finding>,
}

impl Analysis {
    pub fn metric(&self, id: &str) -> Option<&MetricReport> {
        self.metrics.iter().find(|m| m.metric.id == id)
    }
}

/// Analyse a goal set as of `as_of`. Rows the reader could not read (`invalid_ids`) and rows
/// with structural errors are left out together with everything below them. The goal set
/// is consumed: its metrics move into the reports instead of being copied.
pub fn analyse(
    goal_set: GoalSet,
    invalid_ids: &[String],
    as_of: NaiveDate,
    settings: &Settings,
) -> Analysis {
    let (metrics, mut findings) = tree::remove_structural_errors(goal_set.metrics, invalid_ids);
    let mut tree = Tree::build(metrics);
    let (definition_errors, bad_ids) = checks::definition_errors(&tree, as_of, settings);
    findings.extend(definition_errors);
    if !bad_ids.is_empty() {
        let kept = tree::drop_with_descendants(std::mem::take(&mut tree.metrics), &bad_ids);
        tree = Tree::build(kept);
    }

    let previous_as_of = dates::previous_month_end(as_of);
    // The two dates are independent of each other.
    let (now, previous) = rayon::join(
        || compute_figures(&tree, as_of, settings),
        || compute_figures(&tree, previous_as_of, settings),
    );
    let impacts = impacts(&tree);

    // Ids first (a report names its KGI and children), then each metric moves into its report.
    let links: Vec<(Option<String>, Vec<String>)> = (0..tree.metrics.len())
        .map(|i| {
            let root = tree.root(i);
            let kgi = (tree.metrics[root].kind == Kind::Kgi).then(|| tree.metrics[root].id.clone());
            let children = tree.children[i]
                .iter()
                .map(|c| tree.metrics[*c].id.clone())
                .collect();
            (kgi, children)
        })
        .collect();
    let mut reports: Vec<Option<MetricReport>> = std::mem::take(&mut tree.metrics)
        .into_iter()
        .zip(links)
        .zip(now.into_iter().zip(previous))
        .enumerate()
        .map(|(i, ((metric, (kgi, children)), (now, previous)))| {
            Some(MetricReport {
                metric,
                kgi,
                depth: tree.depth[i],
                children,
                impact: impacts[i],
                now,
                previous,
            })
        })
        .collect();
    let mut metrics: Vec<MetricReport> = Vec::with_capacity(tree.order.len());
    metrics.extend(tree.order.iter().filter_map(|i| reports[*i].take()));

    let (health, priorities) = rayon::join(
        || checks::health_checks(&metrics, as_of, settings),
        || priority::rank(&metrics),
    );
    findings.extend(health);
    sort_findings(&mut findings);
    Analysis {
        as_of,
        previous_as_of,
        metrics,
        priorities,
        findings,
    }
}

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
            Some((_, true)) if !m.from_cell => {}
            _ => {
                by_date.insert(date, (m.value, m.from_cell));
            }
        }
    }
    let points = by_date.into_iter().map(|(d, (v, _))| (d, v)).collect();
    (points, last_measured)
}

fn unit_key(unit: &Option<String>) -> String {
    unit.as_deref().map(normalize_key).unwrap_or_default()
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
fn impacts(tree: &Tree) -> Vec<Option<f64>> {
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
