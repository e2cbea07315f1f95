//! `X-report.xlsx`: the formatted report workbook of SPEC section 6, with the sheets
//! Summary, KPIs, Monthly (v2), Priorities, Tree, Trend and Checks in the report language.
//!
//! Figures come from the analysis. Progress, shortfall and pace on the KPIs sheet (and the
//! priority score) are live formulas over the row's cells with the computed figure saved as
//! the result, so the file reads right in viewers that do not recalculate and stays live
//! when someone edits a target. Document dates come from as-of: the same inputs and as-of
//! give a byte-identical file.

mod checks;
mod formats;
mod kpis;
mod labels;
mod layout;
mod monthly;
mod priorities;
mod sheet;
mod summary;
mod tree;
mod trend;

use rust_xlsxwriter::{DocProperties, Workbook, Worksheet, XlsxError};

use rayon::prelude::*;

use crate::model::Lang;

use super::context::ReportContext;
use formats::Formats;
use labels::SheetNames;

/// Writes one sheet of the report.
type SheetWriter =
    fn(&mut Worksheet, &ReportContext, &Formats, &SheetNames) -> Result<(), XlsxError>;

/// Save a workbook from [`build`] to `out` as it is compressed, without holding the whole
/// file in memory.
pub fn save(mut workbook: Workbook, out: impl std::io::Write + Send) -> Result<(), XlsxError> {
    let saved = workbook.save_to_writer(out);
    // Freeing the Tree's cells takes tens of milliseconds: off the critical path.
    rayon::spawn(move || drop(workbook));
    saved
}

/// The report workbook with every sheet filled (on all cores), ready to save.
pub fn build(ctx: &ReportContext) -> Result<Workbook, XlsxError> {
    let formats = Formats::new(ctx.lang);
    let names = SheetNames::new(ctx.lang);
    let mut workbook = Workbook::new();
    if ctx.lang == Lang::Ja {
        workbook.set_default_format(
            &formats.base,
            formats::JA_DEFAULT_ROW_PX,
            formats::JA_DEFAULT_COLUMN_PX,
        )?;
    }
    workbook.set_properties(&properties(ctx));
    workbook.set_zip_compression_level(zip_level(ctx.analysis.metrics.len()));
    // The large sheets are written in parallel and share the workbook's table of formats:
    // registered here in a fixed order, a format's index never depends on which sheet
    // met it first, and re-runs stay byte-identical.
    for format in formats.cell_formats() {
        workbook.register_format(format);
    }

    let mut writers: Vec<SheetWriter> = Vec::with_capacity(7);
    workbook.add_worksheet();
    writers.push(summary::write);
    large_sheet(&mut workbook);
    writers.push(kpis::write);
    // Standard: its rows are grouped by the tree's levels, unless it is huge.
    if monthly::is_standard(ctx) {
        workbook.add_worksheet();
    } else {
        large_sheet(&mut workbook);
    }
    writers.push(monthly::write);
    large_sheet(&mut workbook);
    writers.push(priorities::write);
    // Standard: a sheet written row by row has no outline levels, and the tree needs them.
    workbook.add_worksheet();
    writers.push(tree::write);
    // In a standard worksheet the charts' caches are filled from the cells, for viewers
    // that draw charts from the caches (previews in mail clients); a huge input keeps
    // memory flat instead, and spreadsheet applications draw from the cells anyway.
    if trend::rows(ctx) <= STANDARD_TREND_ROWS {
        workbook.add_worksheet();
    } else {
        large_sheet(&mut workbook);
    }
    writers.push(trend::write);
    large_sheet(&mut workbook);
    writers.push(checks::write);

    // Sheets are independent of each other: they are filled on all cores, in as many
    // groups as there are threads, made about even by each sheet's estimated cost (the
    // largest first into the least loaded group): on two cores a large Monthly sheet is
    // filled alone while the KPIs, Tree, Trend and the small sheets share the other core.
    let costs = sheet_costs(ctx);
    let mut jobs: Vec<(f64, (&mut Worksheet, SheetWriter))> = workbook
        .worksheets_mut()
        .iter_mut()
        .zip(writers)
        .zip(costs)
        .map(|(job, cost)| (cost, job))
        .collect();
    jobs.sort_by(|a, b| b.0.total_cmp(&a.0));
    let groups = rayon::current_num_threads().clamp(1, jobs.len().max(1));
    let mut bins: Vec<(f64, Vec<(&mut Worksheet, SheetWriter)>)> =
        (0..groups).map(|_| (0.0, Vec::new())).collect();
    for (cost, job) in jobs {
        if let Some(bin) = bins.iter_mut().min_by(|a, b| a.0.total_cmp(&b.0)) {
            bin.0 += cost;
            bin.1.push(job);
        }
    }
    bins.into_par_iter()
        .with_max_len(1)
        .try_for_each(|(_, group)| {
            group
                .into_iter()
                .try_for_each(|(ws, write)| write(ws, ctx, &formats, &names))
        })?;
    Ok(workbook)
}

/// The estimated cost of filling each sheet, in the order the sheets are added (Summary,
/// KPIs, Monthly, Priorities, Tree, Trend, Checks): microseconds per row as measured on a
/// 20,000-KPI report with a Plan sheet (Monthly 60 per metric shown, KPIs 22, Tree, Trend
/// and Priorities about 7). Only their proportions matter.
fn sheet_costs(ctx: &ReportContext) -> [f64; 7] {
    let metrics = ctx.analysis.metrics.len() as f64;
    [
        10_000.0,
        22.0 * metrics,
        60.0 * monthly::metrics_shown(ctx) as f64,
        6.5 * metrics,
        6.7 * metrics,
        7.4 * trend::rows(ctx) as f64,
        5.0 * ctx.analysis.findings.len() as f64,
    ]
}

/// Reports of up to this many metrics are compressed at level 2, larger ones at level 1.
const SMALL_REPORT_METRICS: usize = 1_000;

/// The zip compression level of a report of `metrics` rows. Compression is most of a
/// report's save time. Measured on the 70 MB of XML of a 20,000-KPI report (zlib-rs, best
/// of 5): level 6 (the default) 0.94 s -> 9.7 MB, level 3 0.36 s -> 11.1 MB, level 2 0.26 s
/// -> 11.7 MB, level 1 0.19 s -> 16.2 MB; the whole run is about 12 % faster at level 1
/// than at level 2. On small reports level 6 is no bargain either: a batch of 200 inputs
/// of 100 KPIs takes 19 % longer on one core than at level 2 for files 12 % smaller (81 KB
/// instead of 93 KB). So: level 2 (the sample: 43 KB instead of 50 KB at level 1), and
/// level 1 for huge exports, where speed matters more than a third more megabytes.
fn zip_level(metrics: usize) -> u8 {
    if metrics <= SMALL_REPORT_METRICS {
        2
    } else {
        1
    }
}

/// Trend sheets up to this many rows keep every cell in memory (see `render`).
const STANDARD_TREND_ROWS: usize = 5_000;

/// A worksheet written row by row that keeps one row in memory (20,000 KPIs × 24 months
/// must not hold every cell); a standard one when no temporary file can be made.
fn large_sheet(workbook: &mut Workbook) {
    if workbook.add_worksheet_with_constant_memory().is_err() {
        workbook.add_worksheet();
    }
}

/// The custom document property that marks a workbook as a report of kpi-report's, so that
/// a later run never reads it as an input (its value is the JSON schema's name).
pub const REPORT_MARK: &str = "kpi-report";

/// Title, subject, company and dates from as-of, so that re-runs are byte-identical.
fn properties(ctx: &ReportContext) -> DocProperties {
    let lang = ctx.lang;
    let title = format!(
        "{}: {}",
        labels::report_title(&ctx.settings.company, ctx.owner, lang),
        ctx.source
    );
    let subject = match lang {
        Lang::En => format!("KGI/KPI progress as of {}", ctx.analysis.as_of),
        Lang::Ja => format!("KGI・KPI進捗 {}時点", ctx.analysis.as_of),
    };
    let mut properties = DocProperties::new()
        .set_title(title)
        .set_subject(subject)
        .set_author("kpi-report")
        .set_keywords("KGI, KPI")
        .set_comment(lang.pick(
            "Generated by kpi-report from the goal workbook named in the title.",
            "kpi-reportが目標ワークブックから作成しました。",
        ))
        .set_creation_datetime(&ctx.analysis.as_of)
        .set_custom_property(REPORT_MARK, "report");
    if !ctx.settings.company.trim().is_empty() {
        properties = properties.set_company(ctx.settings.company.trim());
    }
    properties
}
