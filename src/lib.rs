//! kpi-report: read KGI/KPI workbooks, compute progress, pace, forecasts and priorities,
//! check the goal set against good KPI practice, and write the reports.
//!
//! The pipeline follows the data: [`input`] reads a workbook into a [`model::GoalSet`],
//! [`analysis`] computes every figure and finding, [`report`] renders the outputs,
//! [`delivery`] splits them by owner and sends them over SMTP, and [`app`] runs the commands over many inputs and writes the outputs safely.

pub mod analysis;
pub mod app;
pub mod cli;
pub mod config;
pub mod contract;
pub mod dates;
pub mod delivery;
pub mod display;
pub mod exit;
pub mod files;
pub mod findings;
pub mod input;
pub mod model;
pub mod report;
pub mod template;
pub mod text;

use std::path::Path;

use chrono::NaiveDate;

use crate::analysis::Analysis;
use crate::config::Settings;
use crate::findings::{sort_findings, Finding};
use crate::input::names::NameTable;
use crate::model::Lang;

/// One input analysed, with the language of its headers.
#[derive(Debug, Clone)]
pub struct AnalysedFile {
    pub analysis: Analysis,
    pub header_lang: Lang,
    /// The rows of the workbook's Recipients sheet (per-owner reports' addresses).
    pub recipients: Vec<input::recipients::RecipientRow>,
    /// Why the workbook's Recipients sheet could not be used.
    pub recipients_note: Option<String>,
}

/// read -> join the sources' actuals -> model -> analyse for one workbook. `Err` holds the findings of a file that
/// cannot be used at all (not a workbook, missing sheets or columns).
pub fn analyse_file(
    path: &Path,
    settings: &Settings,
    names: &NameTable,
    as_of: NaiveDate,
    sources: &[input::source::SourceTable],
) -> Result<AnalysedFile, Vec<Finding>> {
    let read = input::read_path(path, settings, names, as_of)?;
    Ok(analyse_read(read, settings, as_of, sources))
}

/// join the sources' actuals -> model -> analyse for one input already read (a run reads
/// its first inputs while the sources are read).
pub fn analyse_read(
    mut read: input::ReadOutcome,
    settings: &Settings,
    as_of: NaiveDate,
    sources: &[input::source::SourceTable],
) -> AnalysedFile {
    let source_findings =
        input::source::apply_sources(&mut read.goal_set, sources, settings.default_aggregation);
    let header_lang = read.goal_set.header_lang;
    let mut analysis = analysis::analyse(read.goal_set, &read.invalid_ids, as_of, settings);
    analysis.findings.extend(read.findings);
    analysis.findings.extend(source_findings);
    sort_findings(&mut analysis.findings);
    AnalysedFile {
        analysis,
        header_lang,
        recipients: read.recipients,
        recipients_note: read.recipients_note,
    }
}
