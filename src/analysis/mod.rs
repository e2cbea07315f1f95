//! The analysis: pure functions from a goal set and an as-of date to every figure of SPEC
//! section 4 (inheritance, actuals, progress, pace, forecast, rates, status, rollups, impact,
//! priorities, previous period) and the health checks of section 5. No files, no cells.

pub mod checks;
pub mod compute;
pub mod figures;
pub mod forecast;
pub mod formulas;
pub mod priority;
pub mod series;
pub mod tree;

use chrono::NaiveDate;

use crate::config::Settings;
use crate::dates;
use crate::findings::{sort_findings, Finding};
use crate::model::{GoalSet, Kind};

pub use crate::model::Status;
pub use compute::{compute_figures, effective_dates};
pub use figures::{ActualSource, Figures, MetricReport, PeriodFigures, PeriodTotals, PlanSource};
pub use priority::Priority;
use tree::Tree;

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

    /// The KGI a metric stands under (itself for a KGI).
    pub fn kgi_of(&self, report: &MetricReport) -> Option<&MetricReport> {
        report.kgi.and_then(|k| self.metrics.get(k))
    }

    /// The metric a priority is about.
    pub fn metric_of(&self, priority: &Priority) -> Option<&MetricReport> {
        self.metrics.get(priority.metric)
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
        || compute::compute_figures(&tree, as_of, settings),
        || {
            // Of the previous month-end only the progress and status are reported: its
            // history is let go before the reports are rendered (the peak of a large run).
            let mut previous = compute::compute(&tree, previous_as_of, settings, false);
            for figures in &mut previous {
                figures.history = Vec::new();
            }
            previous
        },
    );
    let impacts = compute::impacts(&tree);

    // Links first (a report points at its KGI and children by their place in tree order),
    // then each metric moves into its report.
    let mut position = vec![0; tree.metrics.len()];
    for (place, i) in tree.order.iter().enumerate() {
        position[*i] = place;
    }
    let links: Vec<(Option<usize>, Vec<usize>)> = (0..tree.metrics.len())
        .map(|i| {
            let root = tree.root(i);
            let kgi = (tree.metrics[root].kind == Kind::Kgi).then(|| position[root]);
            let children = tree.children[i].iter().map(|c| position[*c]).collect();
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
        || checks::health_checks(&metrics, as_of, settings, &goal_set.tables),
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

#[cfg(test)]
mod tests;
