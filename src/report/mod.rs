//! The outputs of one analysed input, one file per format: the JSON (`json.rs`), and the
//! renderers added beside it. Renderers never compute a figure; they only lay out
//! what the analysis produced.

pub mod eml;
pub mod html;
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
    /// The HTML templates, parsed once per run: the built-ins with `templates`' overrides.
    pub html_templates: html::Templates,
}

impl OutputOptions {
    pub fn from_args(args: &crate::cli::RunArgs) -> Result<Self, crate::batch::UsageError> {
        let html_templates =
            html::Templates::load(args.templates.as_deref()).map_err(crate::batch::UsageError)?;
        Ok(OutputOptions {
            json: args.json,
            eml: args.eml,
            html_templates,
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
    files.push((
        format!("{stem}-summary.html"),
        html::render(ctx, &options.html_templates)?.into_bytes(),
    ));
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
        let Some(workbook) = find(&workbook_name) else {
            return Err("the workbook to attach to the e-mail is missing".to_string());
        };
        let text = eml::text_summary(ctx, Some(workbook_name.as_str()));
        let html = match find(&html_name).map(std::str::from_utf8) {
            Some(Ok(html)) => html.to_string(),
            _ => return Err("the HTML summary for the e-mail body is missing".to_string()),
        };
        let message = eml::render(ctx, stem, &html, &text, workbook)?;
        files.push((format!("{stem}-report.eml"), message));
    }
    Ok(files)
}
