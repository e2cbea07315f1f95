//! What the analysis computes for one metric: its [`Figures`] as of one date, and the
//! [`MetricReport`] that holds them now and at the end of the previous month with the
//! metric's place in the tree.

use chrono::NaiveDate;

use crate::dates;
use crate::model::{Aggregation, ForecastMethod, Frequency, Location, Metric, Status};

pub use super::series::{Period, PeriodFigures, PeriodKind, PeriodTotals};

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

/// Where a metric's plan to date comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanSource {
    /// Its own phased plan (Plan sheet).
    Phased,
    /// A `sum` parent: the total of its children's phased plans.
    Children,
    /// The straight line of SPEC section 4 (or the target of a floor or a ceiling).
    StraightLine,
    /// No plan line (a decrease without baseline, a weighted parent).
    None,
}

impl PlanSource {
    /// True for a plan from a Plan sheet (its own or its children's).
    pub fn is_phased(self) -> bool {
        matches!(self, PlanSource::Phased | PlanSource::Children)
    }
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
    /// actual cell stands at the as-of date); for a `sum` metric the running totals from S.
    pub history: Vec<(NaiveDate, f64)>,
    /// (v2) How the values add up over time (the metric's, else the config's default).
    pub aggregation: Aggregation,
    /// (v2) Where the plan to date comes from.
    pub plan_source: PlanSource,
    /// (v2) P(t): the value the metric should have now.
    pub plan_to_date: Option<f64>,
    /// (v2) The plan at the deadline; only with a phased plan.
    pub plan_total: Option<f64>,
    /// (v2) ê: the progress formula applied to P(t) (e on the straight line).
    pub expected_progress: Option<f64>,
    /// (v2) v = A − P(t) (差異).
    pub variance: Option<f64>,
    /// (v2) a = A / P(t) (達成率 to date), when P(t) ≠ 0.
    pub attainment: Option<f64>,
    /// (v2) Whether the variance is good news for this direction.
    pub favourable: Option<bool>,
    /// (v2) The plan at the deadline: `plan_total` with a phased plan, else the straight
    /// line at D (the target; none for a decrease without baseline or a weighted rollup).
    pub full_year_plan: Option<f64>,
    /// (v2) 着地差異: F − the full-year plan (forecast against plan at the deadline).
    pub forecast_variance: Option<f64>,
    /// (v2) F / the full-year plan, when that is not 0.
    pub forecast_attainment: Option<f64>,
    /// (v2) Whether the forecast variance is good news for this direction.
    pub forecast_favourable: Option<bool>,
    /// (v2) The forecast method actually used (never `auto`); `None` where the forecast is
    /// not computed from the metric's own values (rollups).
    pub forecast_method: Option<ForecastMethod>,
    /// (v2) The series by period over [S, D] (only for the report's own date).
    pub periods: Vec<PeriodFigures>,
    /// (v2) For a `sum` metric with periods: whether its plan to date and actual are the
    /// totals of its periods.
    pub period_totals: PeriodTotals,
}

/// One metric with its definition, where it stands in the tree, and its figures now and
/// at the end of the previous month.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricReport {
    pub metric: Metric,
    /// The KGI at the top of its tree (itself for a KGI), as an index into
    /// `Analysis::metrics`; `None` when not under a KGI.
    pub kgi: Option<usize>,
    pub depth: usize,
    /// Its children, as indices into `Analysis::metrics`.
    pub children: Vec<usize>,
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

    /// The change of progress since the previous month-end, as a fraction (0.05 is 5
    /// points); `None` unless there is progress at both dates.
    pub fn progress_change(&self) -> Option<f64> {
        Some(self.now.progress? - self.previous.progress?)
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
