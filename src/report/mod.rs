//! The outputs of one analysed input, one file per format: the JSON (`json.rs`), and the
//! renderers added beside it. Renderers never compute a figure; they only lay out
//! what the analysis produced.

pub mod eml;
pub mod init;
pub mod json;
pub mod xlsx;

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
}

/// Which outputs `run` writes besides the workbook and the HTML summary.
#[derive(Debug, Clone, Default)]
pub struct OutputOptions {
    pub json: bool,
    pub eml: bool,
    pub templates: Option<std::path::PathBuf>,
}

impl OutputOptions {
    pub fn from_args(args: &crate::cli::RunArgs) -> Result<Self, crate::batch::UsageError> {
        Ok(OutputOptions {
            json: args.json,
            eml: args.eml,
            templates: args.templates.clone(),
        })
    }
}

/// Render every output of one input: `(file name, bytes)` pairs, written by the caller.
pub fn render_all(
    ctx: &ReportContext,
    stem: &str,
    options: &OutputOptions,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut files = Vec::new();
    let workbook = xlsx::render(ctx).map_err(|e| format!("report workbook: {e}"))?;
    files.push((format!("{stem}-report.xlsx"), workbook));
    if options.json {
        files.push((
            format!("{stem}-report.json"),
            json::render(ctx).into_bytes(),
        ));
    }
    if options.eml {
        // The message carries the workbook and the HTML summary rendered above.
        let workbook_name = format!("{stem}-report.xlsx");
        let html_name = format!("{stem}-summary.html");
        let find = |name: &str| {
            files
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, bytes)| bytes.as_slice())
        };
        let workbook = find(&workbook_name);
        let text = eml::text_summary(ctx, workbook.map(|_| workbook_name.as_str()));
        let html = match find(&html_name).map(std::str::from_utf8) {
            Some(Ok(html)) => html.to_string(),
            // Only until the HTML summary is rendered on this branch.
            _ => eml::html_from_text(&text),
        };
        let message = eml::render(ctx, stem, &html, &text, workbook)?;
        files.push((format!("{stem}-report.eml"), message));
    }
    Ok(files)
}
