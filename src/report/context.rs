//! What every renderer gets: the analysis of one input and how to present it.

use crate::analysis::Analysis;
use crate::config::Settings;
use crate::model::Lang;

/// What every renderer gets: the analysis of one input and how to present it.
#[derive(Debug, Clone, Copy)]
pub struct ReportContext<'a> {
    /// The input's file name, as shown in reports (`sales-en.xlsx`).
    pub source: &'a str,
    pub lang: Lang,
    pub analysis: &'a Analysis,
    pub settings: &'a Settings,
    /// The owner a per-owner report is for (`--burst owner`): `{owner}` of the subject.
    pub owner: Option<&'a str>,
}
