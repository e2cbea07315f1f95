//! The figures of every metric as of one date (SPEC section 4): effective dates,
//! measurements up to the date, progress, pace, forecast, rates and status, children before
//! parents so that rollups can use them; and each metric's impact on its KGI.

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::Settings;
use crate::dates;
use crate::model::{Aggregation, Direction, Frequency, Kind, Metric, Rollup, Status, Unit};

use super::figures::{ActualSource, Figures, PeriodTotals, PlanSource};
use super::forecast::{self, ForecastBasis};
use super::formulas;
use super::series::{self, SeriesInput};
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

pub(crate) fn unit_key(unit: &Option<Unit>) -> String {
    unit.as_ref().map(Unit::key).unwrap_or_default()
}

/// The aggregation in effect for a metric: its own, else the config's default.
pub(crate) fn aggregation_of(metric: &Metric, settings: &Settings) -> Aggregation {
    metric.aggregation.unwrap_or(settings.default_aggregation)
}

/// Figures of every metric (indexed like `tree.metrics`) as of one date, with the series by
/// period.
pub fn compute_figures(tree: &Tree, as_of: NaiveDate, settings: &Settings) -> Vec<Figures> {
    compute(tree, as_of, settings, true)
}

/// What is computed for each metric on top of the figures.
struct Context<'a> {
    tree: &'a Tree,
    settings: &'a Settings,
    as_of: NaiveDate,
    dates: Vec<(NaiveDate, NaiveDate)>,
    aggregations: Vec<Aggregation>,
    /// Normalised once per metric, not once per child of every `sum` parent.
    unit_keys: Vec<String>,
}

impl Context<'_> {
    /// The children of a `sum` parent that it adds up: those in its unit.
    fn summed_children(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let unit = &self.unit_keys[i];
        self.tree.children[i]
            .iter()
            .copied()
            .filter(move |c| self.unit_keys[*c] == *unit)
    }

    /// The phased plan of metric `i` at `at`: its own plan, else for a `sum` parent the
    /// total of its children's when every child in its unit has one. The value is `None`
    /// for a level plan before its first date; the whole is `None` without a phased plan.
    fn phased_plan_at(&self, i: usize, at: NaiveDate) -> Option<(Option<f64>, PlanSource)> {
        let m = &self.tree.metrics[i];
        if !m.plan.is_empty() {
            let start = self.dates[i].0;
            let value = series::plan_at(&m.plan, self.aggregations[i], start, at);
            return Some((value, PlanSource::Phased));
        }
        if m.rollup != Rollup::Sum {
            return None;
        }
        let mut children = self.summed_children(i).peekable();
        children.peek()?;
        let mut total = Some(0.0);
        for c in children {
            let (value, _) = self.phased_plan_at(c, at)?;
            total = total.zip(value).map(|(t, v)| t + v);
        }
        Some((total, PlanSource::Children))
    }

    /// The forecast of metric `i` as if its deadline were `deadline`: from its own values
    /// with its own method, or for a `sum` parent the total of its children's.
    fn forecast_at(
        &self,
        i: usize,
        figures: &[Option<Figures>],
        deadline: NaiveDate,
    ) -> Option<f64> {
        let f = figures[i].as_ref()?;
        if f.deadline == deadline {
            return f.forecast;
        }
        match f.actual_source {
            ActualSource::Own => {
                let basis = self.basis(i, f, f.actual?);
                forecast::forecast(&basis, deadline).0
            }
            ActualSource::Sum => {
                let with_actual: Vec<usize> = self
                    .summed_children(i)
                    .filter(|c| figures[*c].as_ref().is_some_and(|f| f.actual.is_some()))
                    .collect();
                with_actual
                    .into_iter()
                    .map(|c| self.forecast_at(c, figures, deadline))
                    .sum()
            }
            ActualSource::Weighted | ActualSource::Missing => None,
        }
    }

    fn basis<'b>(&'b self, i: usize, f: &'b Figures, actual: f64) -> ForecastBasis<'b> {
        let m = &self.tree.metrics[i];
        ForecastBasis {
            aggregation: f.aggregation,
            requested: m.forecast_method.unwrap_or(self.settings.forecast_method),
            direction: m.direction,
            history: &f.history,
            actual,
            baseline: f.baseline,
            measurements: &m.measurements,
            plan: &m.plan,
            frequency: m.frequency,
            start: f.start,
            as_of: self.as_of,
            fiscal_start_month: self.settings.fiscal_year_start_month,
        }
    }
}

/// Figures of every metric as of one date; the series by period only when `with_periods`
/// (the previous month's figures do not need them).
pub(crate) fn compute(
    tree: &Tree,
    as_of: NaiveDate,
    settings: &Settings,
    with_periods: bool,
) -> Vec<Figures> {
    let cx = Context {
        tree,
        settings,
        as_of,
        dates: effective_dates(tree, as_of, settings),
        aggregations: tree
            .metrics
            .iter()
            .map(|m| aggregation_of(m, settings))
            .collect(),
        unit_keys: tree.metrics.iter().map(|m| unit_key(&m.unit)).collect(),
    };
    let mut figures: Vec<Option<Figures>> = vec![None; tree.metrics.len()];
    // Children before parents: a metric's figures read only those of its descendants, so
    // the metrics of one depth are computed together on all cores, the deepest first.
    let deepest = tree.depth.iter().copied().max().unwrap_or(0);
    let mut levels: Vec<Vec<usize>> = vec![Vec::new(); deepest + 1];
    for &i in &tree.order {
        levels[tree.depth[i]].push(i);
    }
    for level in levels.iter().rev() {
        let computed: Vec<Figures> = level
            .par_iter()
            .with_min_len(64)
            .map(|&i| metric_figures(&cx, i, &figures, with_periods))
            .collect();
        for (&i, f) in level.iter().zip(computed) {
            figures[i] = Some(f);
        }
    }
    figures
        .into_iter()
        .map(|f| f.unwrap_or_else(|| no_figures(as_of)))
        .collect()
}

/// The figures of metric `i`, its children's being known.
fn metric_figures(
    cx: &Context,
    i: usize,
    figures: &[Option<Figures>],
    with_periods: bool,
) -> Figures {
    let (tree, settings, as_of) = (cx.tree, cx.settings, cx.as_of);
    let thresholds = &settings.thresholds;
    let m = &tree.metrics[i];
    let (start, deadline) = cx.dates[i];
    let aggregation = cx.aggregations[i];
    let sum = aggregation == Aggregation::Sum;
    let elapsed = formulas::elapsed(as_of, start, deadline);
    let observed = series::observe(&m.measurements, aggregation, start, as_of);
    let period = (start, as_of, deadline);
    let periods = if with_periods {
        series::period_series(&SeriesInput {
            measurements: &m.measurements,
            plan: &m.plan,
            aggregation,
            frequency: m.frequency,
            start,
            deadline,
            as_of,
            fiscal_start_month: settings.fiscal_year_start_month,
        })
        .into_iter()
        .map(|p| p.with_variance(m.direction))
        .collect()
    } else {
        Vec::new()
    };
    let children: Vec<&Figures> = tree.children[i]
        .iter()
        .filter_map(|c| figures[*c].as_ref())
        .collect();

    let own_actual = observed.actual;
    let mut f = Figures {
        as_of,
        start,
        deadline,
        actual: own_actual,
        actual_source: ActualSource::Own,
        // A `sum` metric accumulates from zero: its baseline cell is not used (I04).
        baseline: if sum { None } else { m.baseline },
        elapsed,
        last_measured: observed.last_measured,
        history: observed.history,
        aggregation,
        periods,
        ..no_figures(as_of)
    };

    if own_actual.is_none()
        && !children.is_empty()
        && m.rollup == Rollup::Weighted
        && m.target.is_none()
    {
        // Without a target of its own, a weighted parent is tracked like any metric
        // without one: no_target, no progress (its children keep theirs).
        f.actual_source = ActualSource::Weighted;
        f.status = Status::NoTarget;
        return f;
    }
    if own_actual.is_none() && !children.is_empty() && m.rollup == Rollup::Weighted {
        weighted_rollup(&mut f, tree, i, figures, settings);
        let pace_basis = f.expected_progress.unwrap_or(f.elapsed);
        f.pace = formulas::pace(f.progress, pace_basis);
        f.status = formulas::status(f.progress.is_some(), f.achieved, period, f.pace, thresholds);
        return f;
    }

    let mut sum_forecast = None;
    if own_actual.is_none() && !children.is_empty() && m.rollup == Rollup::Sum {
        let summed: Vec<usize> = cx
            .summed_children(i)
            .filter(|c| figures[*c].as_ref().is_some_and(|f| f.actual.is_some()))
            .collect();
        if !summed.is_empty() {
            let child = |c: &usize| figures[*c].as_ref();
            f.actual = Some(
                summed
                    .iter()
                    .filter_map(child)
                    .filter_map(|f| f.actual)
                    .sum(),
            );
            f.actual_source = ActualSource::Sum;
            if m.baseline.is_none() {
                f.baseline = cx
                    .summed_children(i)
                    .filter_map(|c| figures[c].as_ref())
                    .map(|f| f.baseline)
                    .sum::<Option<f64>>();
            }
            // Each child's value expected at this parent's deadline.
            sum_forecast = summed
                .iter()
                .map(|c| cx.forecast_at(*c, figures, deadline))
                .sum::<Option<f64>>();
            f.last_measured = summed
                .iter()
                .filter_map(child)
                .filter_map(|f| f.last_measured)
                .min();
            if with_periods && f.periods.is_empty() && m.plan.is_empty() {
                let series: Vec<&[series::PeriodFigures]> = cx
                    .summed_children(i)
                    .filter_map(|c| figures[c].as_ref())
                    .map(|f| f.periods.as_slice())
                    .collect();
                f.periods = series::sum_of_series(&series, m.direction);
            }
        }
    }

    let Some(target) = m.target else {
        untargeted(cx, i, &mut f, sum_forecast);
        return f;
    };
    // The plan line: phased where there is one, else the straight line.
    let (baseline, direction) = (f.baseline, m.direction);
    match cx.phased_plan_at(i, as_of) {
        Some((to_date, source)) => {
            f.plan_source = source;
            f.plan_to_date = to_date;
            f.plan_total = cx.phased_plan_at(i, deadline).and_then(|(p, _)| p);
            f.full_year_plan = f.plan_total;
            f.expected_progress =
                to_date.and_then(|p| formulas::progress(p, target, baseline, direction));
        }
        None => {
            f.plan_to_date =
                formulas::straight_line_plan(target, baseline, direction, sum, elapsed);
            f.plan_source = if f.plan_to_date.is_some() {
                PlanSource::StraightLine
            } else {
                PlanSource::None
            };
            f.expected_progress = Some(elapsed);
            f.full_year_plan = formulas::straight_line_plan(target, baseline, direction, sum, 1.0);
        }
    }

    if !f.periods.is_empty() {
        period_plan_lines(cx, i, &mut f);
    }

    let Some(actual) = f.actual else {
        f.actual_source = ActualSource::Missing;
        f.status = Status::NoData;
        return f;
    };
    f.progress = formulas::progress(actual, target, baseline, direction);
    f.achieved = formulas::achieved_as_of(actual, target, direction, as_of, deadline);
    f.shortfall = Some(formulas::shortfall(actual, target, direction));
    if let Some(plan) = f.plan_to_date {
        let variance = actual - plan;
        f.variance = Some(variance);
        f.attainment = (plan != 0.0)
            .then(|| actual / plan)
            .filter(|a| a.is_finite());
        f.favourable = Some(formulas::favourable(variance, direction));
    }
    f.pace = formulas::pace_against_plan(
        direction,
        f.progress,
        f.expected_progress,
        actual,
        f.plan_to_date,
    );
    if f.actual_source == ActualSource::Sum {
        f.forecast = if elapsed > 0.0 { sum_forecast } else { None };
    } else {
        let (forecast, method) = forecast::forecast(&cx.basis(i, &f, actual), deadline);
        f.forecast = forecast;
        f.forecast_method = Some(method);
    }
    f.forecast_progress = f
        .forecast
        .and_then(|fc| formulas::progress(fc, target, baseline, direction));
    landing(&mut f, direction);
    let interval = m.frequency.unwrap_or(Frequency::Monthly).interval_days();
    let rates = formulas::rates(actual, target, baseline, direction, interval, period);
    f.rate_so_far = rates.so_far;
    f.required_rate = rates.required;
    // Nothing due yet on a phased plan (or nothing spent against a ceiling): on plan.
    let nothing_due = f.pace.is_none()
        && (f.plan_source.is_phased() && f.plan_to_date.is_none_or(|p| p == 0.0)
            || direction == Direction::StayBelow && actual == 0.0);
    let pace_for_status = if nothing_due {
        Some(f64::INFINITY)
    } else {
        f.pace
    };
    f.status = formulas::status(
        true,
        f.achieved,
        period,
        pace_for_status,
        &formulas::thresholds_for(direction, thresholds),
    );
    f
}

/// SPEC 3 a metric without a target (and without a plan of its own): tracked. Its actual,
/// periods, forecast and, for a `sum` parent, its children's phased plan with the variance
/// are kept; the figures that need a target (progress, pace, shortfall, rates) stay null.
fn untargeted(cx: &Context, i: usize, f: &mut Figures, sum_forecast: Option<f64>) {
    let m = &cx.tree.metrics[i];
    f.status = Status::NoTarget;
    if let Some((to_date, source)) = cx.phased_plan_at(i, cx.as_of) {
        f.plan_source = source;
        f.plan_to_date = to_date;
        f.plan_total = cx.phased_plan_at(i, f.deadline).and_then(|(p, _)| p);
        f.full_year_plan = f.plan_total;
    }
    if !f.periods.is_empty() {
        period_plan_lines(cx, i, f);
    }
    let Some(actual) = f.actual else {
        f.actual_source = ActualSource::Missing;
        return;
    };
    if let Some(plan) = f.plan_to_date {
        let variance = actual - plan;
        f.variance = Some(variance);
        f.attainment = (plan != 0.0)
            .then(|| actual / plan)
            .filter(|a| a.is_finite());
        f.favourable = Some(formulas::favourable(variance, m.direction));
    }
    if f.actual_source == ActualSource::Sum {
        f.forecast = if f.elapsed > 0.0 { sum_forecast } else { None };
    } else {
        let (forecast, method) = forecast::forecast(&cx.basis(i, f, actual), f.deadline);
        f.forecast = forecast;
        f.forecast_method = Some(method);
    }
    landing(f, m.direction);
}

/// 着地差異: where the forecast lands against the plan for the whole period (F − the
/// full-year plan), its attainment F / plan, and whether that is good news.
fn landing(f: &mut Figures, direction: Direction) {
    if let (Some(forecast), Some(plan)) = (f.forecast, f.full_year_plan) {
        let variance = forecast - plan;
        f.forecast_variance = Some(variance);
        f.forecast_attainment = (plan != 0.0)
            .then(|| forecast / plan)
            .filter(|a| a.is_finite());
        f.forecast_favourable = Some(formulas::favourable(variance, direction));
    }
}

/// Each period's plan line (the plan at its end, at D for the last; its variance and
/// attainment are set with the series), and how the year to date relates to the periods.
fn period_plan_lines(cx: &Context, i: usize, f: &mut Figures) {
    let m = &cx.tree.metrics[i];
    let sum = f.aggregation == Aggregation::Sum;
    let (start, deadline) = (f.start, f.deadline);
    for p in &mut f.periods {
        let at = p.period.end.min(deadline);
        p.plan_line = match cx.phased_plan_at(i, at) {
            Some((value, _)) => value,
            None => m.target.and_then(|target| {
                formulas::straight_line_plan(
                    target,
                    f.baseline,
                    m.direction,
                    sum,
                    formulas::elapsed(at, start, deadline),
                )
            }),
        };
    }
    if sum {
        f.period_totals = series::period_totals(&f.periods, f.as_of, f.plan_to_date, f.actual);
    }
}

/// The figures of a metric nothing is known about: no data, every figure absent. The
/// starting point of each metric's figures (and, for the type's sake, of an index the
/// pre-order walk would not visit).
fn no_figures(as_of: NaiveDate) -> Figures {
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
        aggregation: Aggregation::Last,
        plan_source: PlanSource::None,
        plan_to_date: None,
        plan_total: None,
        expected_progress: None,
        variance: None,
        attainment: None,
        favourable: None,
        full_year_plan: None,
        forecast_variance: None,
        forecast_attainment: None,
        forecast_favourable: None,
        forecast_method: None,
        periods: Vec::new(),
        period_totals: PeriodTotals::default(),
    }
}

/// p = Σ wᵢ·min(pᵢ, cap) / Σ wᵢ over children with data; p̂ likewise from the children's p̂
/// (their p where they have none). No actual, shortfall or forecast. ê is the parent's own
/// e, unless a child has a phased plan: then Σ wᵢ·êᵢ / Σ wᵢ over the same children.
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
    let mut expected_sum = 0.0;
    let mut any_phased = false;
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
        expected_sum += w * child.expected_progress.unwrap_or(child.elapsed);
        any_phased |= child.plan_source.is_phased();
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
        f.expected_progress = Some(if any_phased {
            expected_sum / weight_sum
        } else {
            f.elapsed
        });
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
    // Without a KGI, the top-level metrics share one unit of impact by weight (1/n).
    let has_kgi = tree.metrics.iter().any(|m| m.kind == Kind::Kgi);
    let root_weights: f64 = (0..tree.metrics.len())
        .filter(|i| tree.parent[*i].is_none())
        .map(|i| tree.metrics[i].weight)
        .sum();
    for &i in &tree.order {
        impact[i] = match tree.parent[i] {
            None if has_kgi => (tree.metrics[i].kind == Kind::Kgi).then_some(1.0),
            None if root_weights > 0.0 => Some(tree.metrics[i].weight / root_weights),
            None => Some(0.0),
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

#[cfg(test)]
mod tests;
