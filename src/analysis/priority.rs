//! The priority ranking: which leaf KPIs and KDIs to fix first, with the parts of each score.

use std::cmp::Ordering;

use chrono::NaiveDate;

use super::figures::MetricReport;
use crate::model::{Direction, Status};

/// One entry of the ranking. `score = impact × shortfall_ratio`.
#[derive(Debug, Clone, PartialEq)]
pub struct Priority {
    pub rank: usize,
    pub id: String,
    /// The metric, as an index into `Analysis::metrics`.
    pub metric: usize,
    pub score: f64,
    pub impact: f64,
    /// clamp(1 − p̂, 0, 1) (for a ceiling clamp(p̂ − 1, 0, 1), the projected overrun), or
    /// with p when there is no forecast or the deadline has passed.
    pub shortfall_ratio: f64,
    /// True when the ratio used the forecast progress p̂ (false: the current progress p).
    pub from_forecast: bool,
    /// The progress the ratio was taken from: p̂, or p.
    pub basis: f64,
    /// True when the deadline has passed (the ratio then uses p).
    pub deadline_passed: bool,
    pub deadline: NaiveDate,
}

impl Priority {
    /// True when the basis reaches the target (the KPI ranks only by its impact).
    pub fn reaches_target(&self) -> bool {
        self.shortfall_ratio <= 0.0
    }
}

/// Rank leaf KPIs/KDIs under a KGI (or, in a goal set without a KGI, all of them: their
/// impact is then their share of the top level) that have data and are not achieved: by
/// score descending, then earlier deadline, then id.
pub fn rank(metrics: &[MetricReport]) -> Vec<Priority> {
    let mut entries: Vec<Priority> = metrics
        .iter()
        .enumerate()
        .filter(|(_, m)| m.is_leaf() && m.metric.kind != crate::model::Kind::Kgi)
        .filter(|(_, m)| {
            !matches!(
                m.now.status,
                Status::NoTarget | Status::NoData | Status::Achieved
            )
        })
        .filter_map(|(index, m)| {
            let impact = m.impact?;
            let deadline_passed = m.now.as_of > m.now.deadline;
            let (basis, from_forecast) = match m.now.forecast_progress {
                Some(p_hat) if !deadline_passed => (p_hat, true),
                _ => (m.now.progress?, false),
            };
            // A ceiling's gap is its projected overrun.
            let gap = if m.metric.direction == Direction::StayBelow {
                basis - 1.0
            } else {
                1.0 - basis
            };
            let shortfall_ratio = gap.clamp(0.0, 1.0);
            Some(Priority {
                rank: 0,
                id: m.metric.id.clone(),
                metric: index,
                score: impact * shortfall_ratio,
                impact,
                shortfall_ratio,
                from_forecast,
                basis,
                deadline_passed,
                deadline: m.now.deadline,
            })
        })
        .collect();
    entries.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(Ordering::Equal)
            .then(a.deadline.cmp(&b.deadline))
            .then_with(|| a.id.cmp(&b.id))
    });
    for (i, e) in entries.iter_mut().enumerate() {
        e.rank = i + 1;
    }
    entries
}
