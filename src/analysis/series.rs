//! A metric's values over time (SPEC section 4, v2): what its actual is for each
//! aggregation (the latest value, the total so far, the mean), the series the forecast and
//! the trend use, the phased plan up to a date, and the series by period (month, fiscal
//! quarter or fiscal year) that the outputs show.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::dates;
use crate::model::{Aggregation, Direction, Frequency, Measurement, PlanValue};

/// What a metric's measurements say as of one date.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Observed {
    /// A: the latest value (`last`), the total in [S, t] (`sum`), the mean in [S, t]
    /// (`average`).
    pub actual: Option<f64>,
    /// `last`/`average`: one value per date up to t (the actual cell wins on its date,
    /// otherwise the later row). `sum`: the running total Cᵢ at each date in [S, t], with
    /// the actual cell's total as the last point when it is used.
    pub history: Vec<(NaiveDate, f64)>,
    /// The latest dated measurement up to t.
    pub last_measured: Option<NaiveDate>,
}

/// One value per date up to `as_of`: the actual cell wins over a table row on its date,
/// otherwise the later row wins. Undated cells stand at `as_of`.
pub fn values_by_date(measurements: &[Measurement], as_of: NaiveDate) -> Vec<(NaiveDate, f64)> {
    let mut dated: Vec<(NaiveDate, f64, bool)> = measurements
        .iter()
        .map(|m| (m.date.unwrap_or(as_of), m.value, m.from_cell()))
        .filter(|(d, _, _)| *d <= as_of)
        .collect();
    // Stable: on one date the rows stay in input order.
    dated.sort_by_key(|(d, _, _)| *d);
    let mut values: Vec<(NaiveDate, f64)> = Vec::with_capacity(dated.len());
    let mut cell_on_last_date = false;
    for (date, value, from_cell) in dated {
        match values.last_mut() {
            Some((d, v)) if *d == date => {
                if from_cell || !cell_on_last_date {
                    *v = value;
                    cell_on_last_date |= from_cell;
                }
            }
            _ => {
                values.push((date, value));
                cell_on_last_date = from_cell;
            }
        }
    }
    values
}

/// The actual, the series and the latest measurement date of one metric as of `as_of`.
pub fn observe(
    measurements: &[Measurement],
    aggregation: Aggregation,
    start: NaiveDate,
    as_of: NaiveDate,
) -> Observed {
    let last_measured = measurements
        .iter()
        .filter_map(|m| m.date)
        .filter(|d| *d <= as_of)
        .max();
    match aggregation {
        Aggregation::Last => {
            let history = values_by_date(measurements, as_of);
            Observed {
                actual: history.last().map(|(_, v)| *v),
                history,
                last_measured,
            }
        }
        Aggregation::Average => {
            let history = values_by_date(measurements, as_of);
            let window: Vec<f64> = history
                .iter()
                .filter(|(d, _)| *d >= start)
                .map(|(_, v)| *v)
                .collect();
            let actual = (!window.is_empty()).then(|| mean(&window));
            Observed {
                actual,
                history,
                last_measured,
            }
        }
        Aggregation::Sum => {
            let amounts = amounts_by_date(measurements, start, as_of);
            let mut history = Vec::with_capacity(amounts.len() + 1);
            let mut total = 0.0;
            for (date, amount) in &amounts {
                total += amount;
                history.push((*date, total));
            }
            let mut actual = (!amounts.is_empty()).then_some(total);
            // The actual cell of a sum metric is a total so far: used when it is not older
            // than the latest amount (an undated cell counts at t).
            let latest_amount = amounts.keys().next_back().copied();
            let cell = measurements
                .iter()
                .filter(|m| m.from_cell())
                .map(|m| (m.date.unwrap_or(as_of), m.value))
                .rfind(|(d, _)| *d >= start && *d <= as_of);
            if let Some((date, value)) = cell {
                if latest_amount.is_none_or(|latest| date >= latest) {
                    if history.last().is_some_and(|(d, _)| *d == date) {
                        history.pop();
                    }
                    history.push((date, value));
                    actual = Some(value);
                }
            }
            Observed {
                actual,
                history,
                last_measured,
            }
        }
    }
}

/// The amounts of a `sum` metric (table rows, not its cell) dated in [start, as_of], summed
/// per date: several rows on one date are journal lines.
fn amounts_by_date(
    measurements: &[Measurement],
    start: NaiveDate,
    as_of: NaiveDate,
) -> BTreeMap<NaiveDate, f64> {
    let mut amounts: BTreeMap<NaiveDate, f64> = BTreeMap::new();
    for m in measurements.iter().filter(|m| !m.from_cell()) {
        if let Some(date) = m.date.filter(|d| *d >= start && *d <= as_of) {
            *amounts.entry(date).or_insert(0.0) += m.value;
        }
    }
    amounts
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// The phased plan at `at`: for `sum`, the total of the plan values dated in [start, at]
/// (0 when none is due yet); for `last`/`average`, the value of the latest plan date on or
/// before `at` (the later row on one date), none before the first. `None` without a plan.
pub fn plan_at(
    plan: &[PlanValue],
    aggregation: Aggregation,
    start: NaiveDate,
    at: NaiveDate,
) -> Option<f64> {
    if plan.is_empty() {
        return None;
    }
    match aggregation {
        Aggregation::Sum => Some(
            plan.iter()
                .filter(|p| p.date >= start && p.date <= at)
                .map(|p| p.value)
                .sum(),
        ),
        Aggregation::Last | Aggregation::Average => {
            let mut best: Option<&PlanValue> = None;
            for p in plan.iter().filter(|p| p.date <= at) {
                if best.is_none_or(|b| p.date >= b.date) {
                    best = Some(p);
                }
            }
            best.map(|p| p.value)
        }
    }
}

/// How long the periods of a metric's series are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    Month,
    /// A quarter of the fiscal year.
    Quarter,
    /// The fiscal year.
    Year,
}

impl PeriodKind {
    /// Calendar months for daily, weekly, monthly or no frequency; fiscal quarters for
    /// quarterly; the fiscal year for yearly.
    pub fn for_frequency(frequency: Option<Frequency>) -> Self {
        match frequency {
            Some(Frequency::Quarterly) => PeriodKind::Quarter,
            Some(Frequency::Yearly) => PeriodKind::Year,
            _ => PeriodKind::Month,
        }
    }

    fn months(self) -> u32 {
        match self {
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 3,
            PeriodKind::Year => 12,
        }
    }
}

/// One period of a series: its first and last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub kind: PeriodKind,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// First month of the fiscal year, for naming quarters and years.
    fiscal_start_month: u32,
}

impl Period {
    /// `2026-04` for a month; `2026-Q1` for the first quarter of the fiscal year that
    /// starts in 2026; `2026` for that fiscal year.
    pub fn label(&self) -> String {
        let fiscal_year = dates::fiscal_year_start(self.start, self.fiscal_start_month).year();
        match self.kind {
            PeriodKind::Month => format!("{:04}-{:02}", self.start.year(), self.start.month()),
            PeriodKind::Quarter => {
                let months = (self.start.month() + 12 - self.fiscal_start_month) % 12;
                format!("{fiscal_year:04}-Q{}", months / 3 + 1)
            }
            PeriodKind::Year => format!("{fiscal_year:04}"),
        }
    }
}

/// The periods that cover [start, deadline], from the one holding `start` to the one
/// holding `deadline`.
pub fn periods_covering(
    start: NaiveDate,
    deadline: NaiveDate,
    kind: PeriodKind,
    fiscal_start_month: u32,
) -> Vec<Period> {
    let step = kind.months();
    // The first month of the period holding `start`: months counted from the fiscal start.
    let offset = (start.month() + 12 - fiscal_start_month) % 12;
    let first_month_back = offset % step;
    let Some(mut period_start) = first_of_month(start)
        .and_then(|d| d.checked_sub_months(chrono::Months::new(first_month_back)))
    else {
        return Vec::new();
    };
    let mut periods = Vec::new();
    // Bounded: a deadline centuries away would not make a useful series.
    while period_start <= deadline && periods.len() < 1200 {
        let Some(next) = period_start.checked_add_months(chrono::Months::new(step)) else {
            break;
        };
        let Some(end) = next.pred_opt() else {
            break;
        };
        periods.push(Period {
            kind,
            start: period_start,
            end,
            fiscal_start_month,
        });
        period_start = next;
    }
    periods
}

fn first_of_month(date: NaiveDate) -> Option<NaiveDate> {
    date.with_day(1)
}

/// One period of a metric's series.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodFigures {
    pub period: Period,
    /// The plan of the period: the total (`sum`), the last (`last`) or the mean
    /// (`average`) of the plan values dated in it; `None` without plan values.
    pub plan: Option<f64>,
    /// The actual of the period from the measurements dated in it and on or before t.
    pub actual: Option<f64>,
    /// `sum` with a plan: the running total of the plan from S.
    pub plan_cumulative: Option<f64>,
    /// `sum`: the running total of the actuals from S (an empty period keeps the previous
    /// total); `None` for periods that start after t.
    pub actual_cumulative: Option<f64>,
    /// The plan line at the period's end (at D for the last one): P of SPEC section 4 at
    /// that date, from the phased plan where there is one, else the straight line. For
    /// `sum` the running plan, for `last`/`average` the plan value in force.
    pub plan_line: Option<f64>,
    /// The period's actual − its plan, when it has both (差異).
    pub variance: Option<f64>,
    /// The period's actual / its plan, when it has both and the plan is not 0 (達成率).
    pub attainment: Option<f64>,
    /// Whether the period's variance is good news for the metric's direction.
    pub favourable: Option<bool>,
}

impl PeriodFigures {
    /// Sets the period's variance, attainment and whether the variance is favourable for
    /// `direction`.
    pub fn with_variance(mut self, direction: Direction) -> PeriodFigures {
        self.variance = self.actual.zip(self.plan).map(|(a, p)| a - p);
        self.attainment = self
            .actual
            .zip(self.plan)
            .filter(|(_, p)| *p != 0.0)
            .map(|(a, p)| a / p)
            .filter(|x| x.is_finite());
        self.favourable = self
            .variance
            .map(|v| super::formulas::favourable(v, direction));
        self
    }
}

/// The series of a `sum` parent without values or a plan of its own: per period, the total
/// of its summed children's plans when every child has one, and of their actuals where any
/// has one. Empty unless every child's series has the same periods.
pub fn sum_of_series(children: &[&[PeriodFigures]], direction: Direction) -> Vec<PeriodFigures> {
    let Some(first) = children.first() else {
        return Vec::new();
    };
    let aligned = children.iter().all(|c| {
        c.len() == first.len()
            && c.iter()
                .zip(first.iter())
                .all(|(a, b)| a.period == b.period)
    });
    if !aligned || first.is_empty() {
        return Vec::new();
    }
    let total = |values: Vec<Option<f64>>, all: bool| -> Option<f64> {
        if all {
            values.into_iter().sum()
        } else {
            values.into_iter().flatten().reduce(|a, b| a + b)
        }
    };
    (0..first.len())
        .map(|k| {
            let column = |get: fn(&PeriodFigures) -> Option<f64>| -> Vec<Option<f64>> {
                children.iter().map(|c| get(&c[k])).collect()
            };
            PeriodFigures {
                period: first[k].period,
                plan: total(column(|p| p.plan), true),
                actual: total(column(|p| p.actual), false),
                plan_cumulative: total(column(|p| p.plan_cumulative), true),
                actual_cumulative: total(column(|p| p.actual_cumulative), false),
                plan_line: None,
                variance: None,
                attainment: None,
                favourable: None,
            }
            .with_variance(direction)
        })
        .collect()
}

/// How the year to date relates to the periods of a `sum` metric, so that a report can
/// show its totals as sums over the period cells where they are exactly that.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PeriodTotals {
    /// The leading periods that have ended on or before t (their plan is due).
    pub due: usize,
    /// P(t) is the total of the plans of the `due` periods.
    pub plan_adds_up: bool,
    /// A is the total of the periods' actuals (not an actual cell's total).
    pub actual_adds_up: bool,
}

/// Whether the plan to date and the actual of a `sum` metric are the totals of its periods'
/// plans (those due by `as_of`) and actuals.
pub fn period_totals(
    periods: &[PeriodFigures],
    as_of: NaiveDate,
    plan_to_date: Option<f64>,
    actual: Option<f64>,
) -> PeriodTotals {
    let due = periods.iter().take_while(|p| p.period.end <= as_of).count();
    let same = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
    let plans: f64 = periods[..due].iter().filter_map(|p| p.plan).sum();
    let actuals: f64 = periods.iter().filter_map(|p| p.actual).sum();
    PeriodTotals {
        due,
        plan_adds_up: plan_to_date.is_some_and(|p| same(p, plans)),
        actual_adds_up: actual.is_some_and(|a| same(a, actuals)),
    }
}

/// Everything [`period_series`] needs about one metric.
#[derive(Debug, Clone, Copy)]
pub struct SeriesInput<'a> {
    pub measurements: &'a [Measurement],
    pub plan: &'a [PlanValue],
    pub aggregation: Aggregation,
    pub frequency: Option<Frequency>,
    pub start: NaiveDate,
    pub deadline: NaiveDate,
    pub as_of: NaiveDate,
    pub fiscal_start_month: u32,
}

/// The series by period over [S, D] for a metric with measurements or a plan (empty
/// otherwise). A mid-period as-of counts the period's values so far, and the plan values
/// dated in it (a month's plan is dated at its end, so it is due only then).
pub fn period_series(input: &SeriesInput) -> Vec<PeriodFigures> {
    if input.measurements.is_empty() && input.plan.is_empty() {
        return Vec::new();
    }
    let kind = PeriodKind::for_frequency(input.frequency);
    let periods = periods_covering(input.start, input.deadline, kind, input.fiscal_start_month);
    let actuals = period_actuals(input, &periods);
    let plans = period_plans(input, &periods);
    let sum = input.aggregation == Aggregation::Sum;
    let has_plan = !input.plan.is_empty();
    let mut actual_total = 0.0;
    let mut plan_total = 0.0;
    periods
        .into_iter()
        .zip(actuals.into_iter().zip(plans))
        .map(|(period, (actual, plan))| {
            actual_total += actual.unwrap_or(0.0);
            plan_total += plan.unwrap_or(0.0);
            PeriodFigures {
                period,
                plan,
                actual,
                plan_cumulative: (sum && has_plan).then_some(plan_total),
                actual_cumulative: (sum && period.start <= input.as_of).then_some(actual_total),
                plan_line: None,
                variance: None,
                attainment: None,
                favourable: None,
            }
        })
        .collect()
}

/// Each period's actual: `sum` totals the amounts (table rows) dated in [S, t]; `last` takes
/// the latest and `average` the mean of the values by date up to t.
pub fn period_actuals(input: &SeriesInput, periods: &[Period]) -> Vec<Option<f64>> {
    let values: Vec<(NaiveDate, f64)> = match input.aggregation {
        Aggregation::Sum => amounts_by_date(input.measurements, input.start, input.as_of)
            .into_iter()
            .collect(),
        Aggregation::Last | Aggregation::Average => values_by_date(input.measurements, input.as_of),
    };
    by_period(&values, periods, input.aggregation)
}

/// Each period's plan from the plan values dated in it.
fn period_plans(input: &SeriesInput, periods: &[Period]) -> Vec<Option<f64>> {
    if input.plan.is_empty() {
        return vec![None; periods.len()];
    }
    let mut values: Vec<(NaiveDate, f64)> = input.plan.iter().map(|p| (p.date, p.value)).collect();
    // Stable: on one date the later row stays last.
    values.sort_by_key(|(d, _)| *d);
    by_period(&values, periods, input.aggregation)
}

/// Combine values sorted by date into their periods (sorted too) in one pass: the total
/// (`sum`), the last (`last`) or the mean (`average`); `None` for a period without values.
fn by_period(
    values: &[(NaiveDate, f64)],
    periods: &[Period],
    aggregation: Aggregation,
) -> Vec<Option<f64>> {
    let mut combined: Vec<Option<f64>> = vec![None; periods.len()];
    let mut counts: Vec<u32> = Vec::new();
    if aggregation == Aggregation::Average {
        counts = vec![0; periods.len()];
    }
    let mut i = 0;
    for (date, value) in values {
        while i < periods.len() && periods[i].end < *date {
            i += 1;
        }
        if i == periods.len() {
            break;
        }
        if periods[i].start > *date {
            continue;
        }
        let slot = &mut combined[i];
        *slot = Some(match (aggregation, *slot) {
            (Aggregation::Last, _) | (_, None) => *value,
            (Aggregation::Sum | Aggregation::Average, Some(so_far)) => so_far + value,
        });
        if let Some(count) = counts.get_mut(i) {
            *count += 1;
        }
    }
    if aggregation == Aggregation::Average {
        for (slot, count) in combined.iter_mut().zip(&counts) {
            if let Some(total) = slot {
                *total /= f64::from(*count);
            }
        }
    }
    combined
}

#[cfg(test)]
mod tests;
