//! What the analysis computes for one metric: its [`Figures`] as of one date, and the
//! [`MetricReport`] that holds them now and at the end of the previous month with the
//! metric's place in the tree.

use chrono::NaiveDate;

use crate::dates;
use crate::model::{Frequency, Location, Metric, Status};

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
