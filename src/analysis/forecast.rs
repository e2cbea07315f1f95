//! The forecast F (着地見込み): the value expected at the deadline, by the metric's method
//! (SPEC section 4, v2): trend, run_rate, plan, average3, or auto. A method that cannot
//! apply falls back to `trend`, and the method actually used is returned with the value.

use chrono::NaiveDate;

use crate::model::{Aggregation, Direction, ForecastMethod, Frequency, Measurement, PlanValue};

use super::formulas;
use super::series::{self, PeriodKind, SeriesInput};

/// What a forecast is computed from, for one metric as of one date.
#[derive(Debug, Clone, Copy)]
pub struct ForecastBasis<'a> {
    pub aggregation: Aggregation,
    /// The method asked for (the metric's, else the config's).
    pub requested: ForecastMethod,
    pub direction: Direction,
    /// The series of [`series::Observed::history`]: values by date, or running totals for `sum`.
    pub history: &'a [(NaiveDate, f64)],
    pub actual: f64,
    /// The baseline in use (none for `sum`).
    pub baseline: Option<f64>,
    pub measurements: &'a [Measurement],
    pub plan: &'a [PlanValue],
    pub frequency: Option<Frequency>,
    pub start: NaiveDate,
    pub as_of: NaiveDate,
    pub fiscal_start_month: u32,
}

/// The method `auto` stands for: `run_rate` for a `sum` metric with a plan, else `trend`.
pub fn resolve(
    requested: ForecastMethod,
    aggregation: Aggregation,
    has_plan: bool,
) -> ForecastMethod {
    match requested {
        ForecastMethod::Auto if aggregation == Aggregation::Sum && has_plan => {
            ForecastMethod::RunRate
        }
        ForecastMethod::Auto => ForecastMethod::Trend,
        other => other,
    }
}

/// F at `deadline` and the method used; F is `None` when no time has elapsed (e = 0).
pub fn forecast(basis: &ForecastBasis, deadline: NaiveDate) -> (Option<f64>, ForecastMethod) {
    let sum = basis.aggregation == Aggregation::Sum;
    let has_plan = !basis.plan.is_empty();
    let method = resolve(basis.requested, basis.aggregation, has_plan);
    let elapsed = formulas::elapsed(basis.as_of, basis.start, deadline);
    if elapsed <= 0.0 {
        let used = match method {
            ForecastMethod::RunRate if !sum || !has_plan => ForecastMethod::Trend,
            ForecastMethod::Plan if !has_plan => ForecastMethod::Trend,
            other => other,
        };
        return (None, used);
    }
    let a = basis.actual;
    let plan_at = |at| series::plan_at(basis.plan, basis.aggregation, basis.start, at);
    let applied = match method {
        ForecastMethod::RunRate if sum => match (plan_at(basis.as_of), plan_at(deadline)) {
            // The rest of the plan at the attainment so far.
            (Some(to_date), Some(total)) if to_date != 0.0 => {
                Some(a + (total - to_date) * a / to_date)
            }
            _ => None,
        },
        ForecastMethod::Plan if sum => match (plan_at(basis.as_of), plan_at(deadline)) {
            (Some(to_date), Some(total)) => Some(a + (total - to_date)),
            _ => None,
        },
        ForecastMethod::Plan => plan_at(deadline),
        ForecastMethod::Average3 => average3(basis, deadline),
        _ => None,
    };
    match applied.filter(|f| f.is_finite()) {
        Some(f) => (Some(f), method),
        None => (trend(basis, deadline, elapsed), ForecastMethod::Trend),
    }
}

/// `trend`: the least-squares line through the series at the deadline with ≥ 2 dates; else
/// A/e for `sum` (accumulating from zero); else B + (A − B)/e with a baseline; else A/e for
/// an increase; else A.
pub fn trend(basis: &ForecastBasis, deadline: NaiveDate, elapsed: f64) -> Option<f64> {
    if basis.aggregation == Aggregation::Sum && basis.history.len() < 2 {
        let f = basis.actual / elapsed;
        return f.is_finite().then_some(f);
    }
    formulas::forecast_at_deadline(
        basis.history,
        basis.actual,
        basis.baseline,
        basis.direction,
        elapsed,
        deadline,
    )
}

/// `average3`: for `sum`, A + n × the mean of the last three non-empty period actuals among
/// the periods ending on or before t (fewer when fewer), n = the periods ending in (t, D];
/// for `last`/`average`, the mean of the last three values. `None` without any value.
fn average3(basis: &ForecastBasis, deadline: NaiveDate) -> Option<f64> {
    if basis.aggregation != Aggregation::Sum {
        let last: Vec<f64> = basis
            .history
            .iter()
            .rev()
            .take(3)
            .map(|(_, v)| *v)
            .collect();
        return (!last.is_empty()).then(|| last.iter().sum::<f64>() / last.len() as f64);
    }
    let kind = PeriodKind::for_frequency(basis.frequency);
    let periods = series::periods_covering(basis.start, deadline, kind, basis.fiscal_start_month);
    let input = SeriesInput {
        measurements: basis.measurements,
        plan: &[],
        aggregation: basis.aggregation,
        frequency: basis.frequency,
        start: basis.start,
        deadline,
        as_of: basis.as_of,
        fiscal_start_month: basis.fiscal_start_month,
    };
    let actuals = series::period_actuals(&input, &periods);
    let closed: Vec<f64> = periods
        .iter()
        .zip(&actuals)
        .filter(|(p, _)| p.end <= basis.as_of)
        .filter_map(|(_, a)| *a)
        .collect();
    let last: Vec<f64> = closed.iter().rev().take(3).copied().collect();
    if last.is_empty() {
        return None;
    }
    let mean = last.iter().sum::<f64>() / last.len() as f64;
    let left = periods
        .iter()
        .filter(|p| p.end > basis.as_of && p.end <= deadline)
        .count();
    Some(basis.actual + left as f64 * mean)
}
