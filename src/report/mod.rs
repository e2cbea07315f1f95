//! The outputs of one analysed input, one file per format: the JSON (`json.rs`), and the
//! renderers added beside it. Renderers never compute a figure; they only lay out
//! what the analysis produced.

pub mod context;
pub mod eml;
pub mod html;
pub mod json;
pub mod palette;
pub mod reason;
pub mod view;
pub mod xlsx;

use std::fmt;
use std::io::Write;
use std::path::Path;

pub use context::ReportContext;

/// Which outputs `run` writes besides the workbook and the HTML summary.
#[derive(Debug, Clone, Default)]
pub struct OutputOptions {
    pub json: bool,
    pub eml: bool,
    /// The HTML templates, parsed once per run: the built-ins with `templates`' overrides.
    pub html_templates: html::Templates,
}

impl OutputOptions {
    /// The outputs asked for, with the HTML templates of `templates` (the built-ins when
    /// `None`); the error names the template file that cannot be used.
    pub fn new(json: bool, eml: bool, templates: Option<&Path>) -> Result<Self, String> {
        Ok(OutputOptions {
            json,
            eml,
            html_templates: html::Templates::load(templates)?,
        })
    }
}

/// Why the outputs of one input could not be produced.
#[derive(Debug)]
pub enum OutputError {
    /// A renderer failed (a template, the e-mail settings, the workbook library).
    Render(String),
    /// Writing an output file failed.
    Write(std::io::Error),
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputError::Render(e) => f.write_str(e),
            OutputError::Write(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for OutputError {}

impl From<std::io::Error> for OutputError {
    fn from(e: std::io::Error) -> Self {
        OutputError::Write(e)
    }
}

/// Render every output of one input, each straight into the file `create` opens for its
/// name (the batch stages temporary files). Returns the files in the order written:
/// workbook, HTML, then JSON and e-mail when asked for.
pub fn render_all<W, C>(
    ctx: &ReportContext,
    stem: &str,
    options: &OutputOptions,
    create: &C,
) -> Result<Vec<W>, OutputError>
where
    W: Write + Send,
    C: Fn(&str) -> std::io::Result<W> + Sync,
{
    let workbook_name = format!("{stem}-report.xlsx");
    let html_name = format!("{stem}-summary.html");
    let write_bytes = |name: &str, bytes: &[u8]| -> Result<W, OutputError> {
        let mut file = create(name)?;
        file.write_all(bytes)?;
        Ok(file)
    };
    let json = || -> Option<Result<W, OutputError>> {
        options.json.then(|| {
            let mut file = create(&format!("{stem}-report.json"))?;
            json::write(ctx, &mut file)?;
            Ok(file)
        })
    };
    let view = view::view(ctx);
    let html = || -> Result<String, OutputError> {
        options
            .html_templates
            .render_view(&view)
            .map_err(OutputError::Render)
    };
    // The sheets are filled on all cores first; then the workbook is compressed, which
    // runs on one core, while the HTML and JSON are rendered on another.
    let workbook = xlsx::build(ctx).map_err(workbook_error)?;
    if !options.eml {
        let (workbook, (html, json)) = rayon::join(
            || -> Result<W, OutputError> {
                let mut file = create(&workbook_name)?;
                xlsx::save(workbook, &mut file).map_err(workbook_error)?;
                Ok(file)
            },
            || rayon::join(html, json),
        );
        let mut files = vec![workbook?, write_bytes(&html_name, html?.as_bytes())?];
        files.extend(json.transpose()?);
        return Ok(files);
    }
    // The e-mail carries the workbook and the HTML summary, so both are kept in memory.
    let (workbook, (html, json)) = rayon::join(
        || -> Result<Vec<u8>, OutputError> {
            let mut bytes = Vec::new();
            xlsx::save(workbook, &mut bytes).map_err(workbook_error)?;
            Ok(bytes)
        },
        || rayon::join(html, json),
    );
    let (workbook, html) = (workbook?, html?);
    let mut files = vec![
        write_bytes(&workbook_name, &workbook)?,
        write_bytes(&html_name, html.as_bytes())?,
    ];
    files.extend(json.transpose()?);
    let text = eml::text_summary(&view, ctx.lang, Some(workbook_name.as_str()));
    let message = eml::render(ctx, stem, &html, &text, &workbook).map_err(OutputError::Render)?;
    files.push(write_bytes(&format!("{stem}-report.eml"), &message)?);
    Ok(files)
}

fn workbook_error(e: rust_xlsxwriter::XlsxError) -> OutputError {
    match e {
        rust_xlsxwriter::XlsxError::IoError(e) => OutputError::Write(e),
        other => OutputError::Render(format!("report workbook: {other}")),
    }
}
