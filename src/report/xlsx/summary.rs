//! The Summary sheet, what a manager reads in ten seconds: one row per KGI (target,
//! actual, progress and its change since last month, pace, forecast, status in colour,
//! deadline and days left), the top priorities with why they rank there, the count of
//! findings by severity, the as-of date and source, and a chart of progress by KGI and KPI.

use rust_xlsxwriter::{
    Chart, ChartAxisCrossing, ChartDataLabel, ChartFont, ChartFormat, ChartPoint, ChartSolidFill,
    ChartType, ColNum, RowNum, Worksheet, XlsxError,
};

use crate::analysis::{MetricReport, Status};
use crate::findings::Severity;
use crate::model::{Kind, Lang};
use crate::report::context::ReportContext;
use crate::report::palette::status_colours;
use crate::report::reason::priority_reason;

use super::formats::{variance_cell, Formats, ValueKind};
use super::kpis::value_kind;
use super::labels::{self, SheetNames};
use super::layout::{cell_ref, line_height, page_setup, progress_bars};
use super::sheet::{display_width, Sheet};

// Columns of the KGI table (A is the rank column of the priorities).
const RANK: ColNum = 0;
const NAME: ColNum = 1;
const ID: ColNum = 2;
const UNIT: ColNum = 3;
const TARGET: ColNum = 4;
const ACTUAL: ColNum = 5;
const PROGRESS: ColNum = 6;
const PREVIOUS_PROGRESS: ColNum = 7;
const CHANGE: ColNum = 8;
const PACE: ColNum = 9;
const FORECAST: ColNum = 10;
const FORECAST_PROGRESS: ColNum = 11;
const STATUS: ColNum = 12;
const PREVIOUS_STATUS: ColNum = 13;
const DEADLINE: ColNum = 14;
const DAYS_LEFT: ColNum = 15;
const LAST_COL: ColNum = DAYS_LEFT;
const COLUMNS: usize = LAST_COL as usize + 1;

// Columns of the priorities table.
const P_KGI: ColNum = 3;
const P_OWNER: ColNum = 4;
const P_SCORE: ColNum = 5;
const P_IMPACT: ColNum = 6;
const P_RATIO: ColNum = 7;
const P_STATUS: ColNum = 8;
const P_DEADLINE: ColNum = 9;
const P_WHY: ColNum = 10;

/// Bars in the progress chart, however many metrics there are.
const MAX_BARS: usize = 24;

pub fn write(
    ws: &mut Worksheet,
    ctx: &ReportContext,
    formats: &Formats,
    names: &SheetNames,
) -> Result<(), XlsxError> {
    let lang = ctx.lang;
    ws.set_name(names.summary)?;
    ws.set_active(true);
    ws.set_screen_gridlines(false);
    let mut sheet = Sheet::new(ws, COLUMNS);
    sheet.cap(NAME, 40.0);
    sheet.at_least(RANK, 4.0);

    sheet.loose_text(
        0,
        RANK,
        &labels::report_title(&ctx.settings.company, ctx.owner, lang),
        &formats.title,
    )?;
    sheet.ws.set_row_height(0, 30)?;
    write_info(&mut sheet, ctx, formats)?;

    let mut row: RowNum = 7;
    row = write_kgis(&mut sheet, row, ctx, formats)?;
    let mut reasons = Vec::new();
    if ctx.settings.top_priorities > 0 {
        row = write_priorities(&mut sheet, row + 1, ctx, formats, &mut reasons)?;
    }
    let last_row = write_progress_chart(&mut sheet, row + 1, ctx, formats, names)?;

    // Wrapped text in merged cells does not grow its row by itself: size the rows of the
    // reasons once the column widths are known.
    let why_width: f64 = (P_WHY..=LAST_COL).map(|c| sheet.width(c)).sum();
    for (row, width) in reasons {
        // Text runs about 10 % narrower than the digit widths columns are measured in.
        let lines = (width as f64 * 0.9 / why_width).ceil().max(1.0);
        if lines > 1.0 {
            sheet
                .ws
                .set_row_height(row, line_height(lang) * lines + 3.0)?;
        }
    }
    let ws = &mut *sheet.ws;
    page_setup(ws, ctx, None)?;
    ws.set_print_area(0, RANK, last_row, LAST_COL)?;
    sheet.fit_columns()
}

/// As-of date, the month compared with, the source, and the findings by severity.
fn write_info<'f>(
    sheet: &mut Sheet<'_, 'f>,
    ctx: &ReportContext,
    formats: &'f Formats,
) -> Result<(), XlsxError> {
    let lang = ctx.lang;
    let info = [
        lang.pick("As of", "基準日"),
        lang.pick("Compared with", "比較(前月末)"),
        lang.pick("Source", "元データ"),
    ];
    for (i, label) in info.iter().enumerate() {
        sheet.text(2 + i as RowNum, NAME, label, &formats.label)?;
    }
    // Values span three columns so a date or file name fits without widening the ID column.
    sheet
        .ws
        .merge_range(2, ID, 2, TARGET, "", &formats.info_date)?;
    sheet.date(2, ID, ctx.analysis.as_of, &formats.info_date)?;
    sheet
        .ws
        .merge_range(3, ID, 3, TARGET, "", &formats.info_date)?;
    sheet.date(3, ID, ctx.analysis.previous_as_of, &formats.info_date)?;
    sheet
        .ws
        .merge_range(4, ID, 4, TARGET, "", &formats.info_text)?;
    sheet.loose_text(4, ID, ctx.source, &formats.info_text)?;

    let count = |severity: Severity| {
        ctx.analysis
            .findings
            .iter()
            .filter(|f| f.severity() == severity)
            .count()
    };
    sheet.text(
        2,
        PROGRESS,
        lang.pick("Findings", "チェック結果"),
        &formats.label,
    )?;
    for (i, (severity, alarm)) in [
        (Severity::Error, Status::OffTrack),
        (Severity::Warning, Status::AtRisk),
        (Severity::Info, Status::NoData),
    ]
    .into_iter()
    .enumerate()
    {
        let row = 3 + i as RowNum;
        let n = count(severity);
        let label = match (severity, lang) {
            (Severity::Error, Lang::En) => "Errors",
            (Severity::Warning, Lang::En) => "Warnings",
            (s, lang) => super::layout::severity_label(s, lang),
        };
        sheet.text(row, PROGRESS, label, &formats.text)?;
        let format = if n > 0 {
            formats.status(alarm)
        } else {
            &formats.info_count
        };
        sheet.number(row, PREVIOUS_PROGRESS, n as f64, ValueKind::Count, format)?;
    }
    Ok(())
}

fn kgi_headers(lang: Lang) -> [&'static str; COLUMNS - 1] {
    [
        "KGI",
        "ID",
        lang.pick("Unit", "単位"),
        lang.pick("Target", "目標値"),
        lang.pick("Actual", "実績"),
        lang.pick("Progress", "進捗率"),
        lang.pick("Last month", "前月末"),
        lang.pick("Change", "増減"),
        lang.pick("Pace", "ペース"),
        lang.pick("Forecast", "着地見込み"),
        lang.pick("Forecast progress", "見込み\n進捗率"),
        lang.pick("Status", "状況"),
        lang.pick("Status last month", "前月末\n状況"),
        lang.pick("Deadline", "期限"),
        lang.pick("Days left", "残日数"),
    ]
}

/// One row per KGI. Returns the next free row.
fn write_kgis<'f>(
    sheet: &mut Sheet<'_, 'f>,
    top: RowNum,
    ctx: &ReportContext,
    formats: &'f Formats,
) -> Result<RowNum, XlsxError> {
    let lang = ctx.lang;
    sheet.loose_text(
        top,
        RANK,
        lang.pick("Goals (KGI)", "KGI(最終目標)の状況"),
        &formats.section,
    )?;
    let header = top + 1;
    sheet.ws.set_row_height(header, 33)?;
    for (i, text) in kgi_headers(lang).iter().enumerate() {
        sheet.header(header, NAME + i as ColNum, text, &formats.header)?;
    }
    let kgis: Vec<&MetricReport> = ctx
        .analysis
        .metrics
        .iter()
        .filter(|m| m.metric.kind == Kind::Kgi)
        .collect();
    let mut row = header + 1;
    for report in &kgis {
        write_kgi(sheet, row, report, lang, formats)?;
        row += 1;
    }
    if kgis.is_empty() {
        sheet.loose_text(
            row,
            NAME,
            lang.pick("No KGI in the input.", "KGIがありません。"),
            &formats.subtitle,
        )?;
        row += 1;
    } else {
        let bars = progress_bars();
        sheet
            .ws
            .add_conditional_format(header + 1, PROGRESS, row - 1, PROGRESS, &bars)?;
    }
    Ok(row)
}

fn write_kgi<'f>(
    sheet: &mut Sheet<'_, 'f>,
    row: RowNum,
    report: &MetricReport,
    lang: Lang,
    formats: &'f Formats,
) -> Result<(), XlsxError> {
    let m = &report.metric;
    let now = &report.now;
    let kind = value_kind(report);
    let value = formats.value(kind);
    let percent = &formats.percent;
    sheet.text(row, NAME, &m.name, &formats.name_kgi)?;
    sheet.text(row, ID, &m.id, &formats.text_center)?;
    sheet.text(
        row,
        UNIT,
        m.unit.as_deref().unwrap_or(""),
        &formats.text_center,
    )?;
    sheet.maybe_number(row, TARGET, m.target, kind, value)?;
    sheet.maybe_number(row, ACTUAL, now.actual, kind, value)?;
    sheet.maybe_number(row, PROGRESS, now.progress, ValueKind::Percent, percent)?;
    sheet.maybe_number(
        row,
        PREVIOUS_PROGRESS,
        report.previous.progress,
        ValueKind::Percent,
        percent,
    )?;
    // The change of progress in points, like the HTML's "+7.8 pt".
    match report.progress_change() {
        Some(change) => {
            let difference = format!(
                "{}-{}",
                cell_ref(row, PROGRESS),
                cell_ref(row, PREVIOUS_PROGRESS)
            );
            let (formula, points) = variance_cell(ValueKind::Percent, &difference, change);
            sheet.formula(
                row,
                CHANGE,
                &formula,
                points,
                ValueKind::Percent,
                &formats.percent_change,
            )?;
        }
        _ => sheet.blank(row, CHANGE, &formats.percent_change)?,
    }
    sheet.maybe_number(row, PACE, now.pace, ValueKind::Percent, percent)?;
    sheet.maybe_number(row, FORECAST, now.forecast, kind, value)?;
    sheet.maybe_number(
        row,
        FORECAST_PROGRESS,
        now.forecast_progress,
        ValueKind::Percent,
        percent,
    )?;
    sheet.text(
        row,
        STATUS,
        now.status.label(lang),
        formats.status(now.status),
    )?;
    sheet.text(
        row,
        PREVIOUS_STATUS,
        report.previous.status.label(lang),
        formats.status(report.previous.status),
    )?;
    sheet.date(row, DEADLINE, now.deadline, &formats.date)?;
    sheet.number(
        row,
        DAYS_LEFT,
        report.days_left() as f64,
        ValueKind::Count,
        &formats.days,
    )?;
    Ok(())
}

fn priority_headers(lang: Lang) -> [&'static str; 11] {
    [
        lang.pick("Rank", "順位"),
        "KPI",
        "ID",
        "KGI",
        lang.pick("Owner", "担当者"),
        lang.pick("Score", "スコア"),
        lang.pick("Impact on KGI", "KGI\n影響度"),
        lang.pick("Shortfall ratio", "未達率"),
        lang.pick("Status", "状況"),
        lang.pick("Deadline", "期限"),
        lang.pick("Why it ranks here", "この順位の理由"),
    ]
}

/// The top priorities. Returns the next free row.
fn write_priorities<'f>(
    sheet: &mut Sheet<'_, 'f>,
    top: RowNum,
    ctx: &ReportContext,
    formats: &'f Formats,
    reasons: &mut Vec<(RowNum, usize)>,
) -> Result<RowNum, XlsxError> {
    let lang = ctx.lang;
    let shown = ctx.settings.top_priorities;
    let title = match lang {
        Lang::En => format!("Focus first: top {shown} priorities"),
        Lang::Ja => format!("優先して取り組むKPI(上位{shown}件)"),
    };
    sheet.loose_text(top, RANK, &title, &formats.section)?;
    let header = top + 1;
    sheet.ws.set_row_height(header, 33)?;
    for (i, text) in priority_headers(lang).iter().enumerate() {
        let col = i as ColNum;
        if col == P_WHY {
            sheet
                .ws
                .merge_range(header, P_WHY, header, LAST_COL, text, &formats.header)?;
        } else {
            sheet.header(header, col, text, &formats.header)?;
        }
    }
    let mut row = header + 1;
    for priority in ctx.analysis.priorities.iter().take(shown) {
        let report = ctx.analysis.metric_of(priority);
        let kgi = report.and_then(|r| ctx.analysis.kgi_of(r));
        sheet.number(
            row,
            RANK,
            priority.rank as f64,
            ValueKind::Count,
            &formats.rank,
        )?;
        sheet.text(
            row,
            NAME,
            report.map(|r| r.metric.name.as_str()).unwrap_or(""),
            &formats.text,
        )?;
        sheet.text(row, ID, &priority.id, &formats.text_center)?;
        let kgi_id = kgi.map(|k| k.metric.id.as_str()).unwrap_or("");
        sheet.text(row, P_KGI, kgi_id, &formats.text_center)?;
        let owner = report.and_then(|r| r.metric.owner.as_deref()).unwrap_or("");
        sheet.text(row, P_OWNER, owner, &formats.text)?;
        sheet.number(
            row,
            P_SCORE,
            priority.score,
            ValueKind::Decimal,
            &formats.score,
        )?;
        sheet.number(
            row,
            P_IMPACT,
            priority.impact,
            ValueKind::Percent,
            &formats.percent,
        )?;
        sheet.number(
            row,
            P_RATIO,
            priority.shortfall_ratio,
            ValueKind::Percent,
            &formats.percent,
        )?;
        match report {
            Some(r) => sheet.text(
                row,
                P_STATUS,
                r.now.status.label(lang),
                formats.status(r.now.status),
            )?,
            None => sheet.blank(row, P_STATUS, &formats.text_center)?,
        }
        sheet.date(row, P_DEADLINE, priority.deadline, &formats.date)?;
        let kgi_name = kgi.map(|k| k.metric.name.as_str()).unwrap_or("");
        let reason = priority_reason(priority, report, kgi_name, lang);
        sheet
            .ws
            .merge_range(row, P_WHY, row, LAST_COL, &reason, &formats.text_wrap)?;
        reasons.push((row, display_width(&reason)));
        row += 1;
    }
    if ctx.analysis.priorities.is_empty() {
        sheet.loose_text(
            row,
            NAME,
            lang.pick(
                "Nothing to prioritise: every KPI under a KGI is achieved or has no data.",
                "優先すべきKPIはありません(すべて達成済み、またはデータなし)。",
            ),
            &formats.subtitle,
        )?;
        row += 1;
    }
    Ok(row)
}

/// The chart's data (KGIs and the KPIs directly under them) and a bar chart of their
/// progress coloured by status. Returns the last row used, chart included.
fn write_progress_chart<'f>(
    sheet: &mut Sheet<'_, 'f>,
    top: RowNum,
    ctx: &ReportContext,
    formats: &'f Formats,
    names: &SheetNames,
) -> Result<RowNum, XlsxError> {
    let lang = ctx.lang;
    sheet.loose_text(
        top,
        RANK,
        lang.pick("Progress by KGI and KPI", "KGI・KPI別の進捗率"),
        &formats.section,
    )?;
    let bars: Vec<&MetricReport> = ctx
        .analysis
        .metrics
        .iter()
        .filter(|m| m.kgi.is_some() && m.depth <= 1)
        .take(MAX_BARS)
        .collect();
    if bars.is_empty() {
        return Ok(top);
    }
    let header = top + 1;
    sheet.ws.set_row_height(header, 33)?;
    for (col, text) in [
        (NAME, lang.pick("KGI / KPI", "KGI・KPI")),
        (ID, "ID"),
        (UNIT, lang.pick("Progress", "進捗率")),
        (TARGET, lang.pick("Status", "状況")),
    ] {
        sheet.header(header, col, text, &formats.header)?;
    }
    let first = header + 1;
    for (i, report) in bars.iter().enumerate() {
        let row = first + i as RowNum;
        let is_kgi = report.metric.kind == Kind::Kgi;
        sheet.indented_text(
            row,
            NAME,
            &report.metric.name,
            report.depth,
            formats.name(report.depth, is_kgi),
        )?;
        sheet.text(row, ID, &report.metric.id, &formats.text_center)?;
        sheet.maybe_number(
            row,
            UNIT,
            report.now.progress,
            ValueKind::Percent,
            &formats.percent,
        )?;
        sheet.text(
            row,
            TARGET,
            report.now.status.label(lang),
            formats.status(report.now.status),
        )?;
    }
    let last = first + bars.len() as RowNum - 1;

    let points: Vec<ChartPoint> =
        bars.iter()
            .map(|r| {
                ChartPoint::new().set_format(ChartFormat::new().set_solid_fill(
                    ChartSolidFill::new().set_color(status_colours(r.now.status).bar),
                ))
            })
            .collect();
    let mut chart = Chart::new(ChartType::Bar);
    chart
        .add_series()
        .set_name(lang.pick("Progress", "進捗率"))
        .set_categories((names.summary, first, NAME, last, NAME))
        .set_values((names.summary, first, UNIT, last, UNIT))
        .set_points(&points)
        .set_gap(60)
        .set_data_label(ChartDataLabel::new().show_value().set_num_format("0%"));
    let mut font = ChartFont::new();
    font.set_name(formats.font_name);
    chart.title().set_hidden();
    chart.legend().set_hidden();
    // In a bar chart the categories run up the y axis: reverse them so the table's order
    // reads from the top, with the value axis kept at the bottom.
    chart
        .y_axis()
        .set_reverse()
        .set_crossing(ChartAxisCrossing::Max)
        .set_font(&font);
    chart
        .x_axis()
        .set_num_format("0%")
        .set_min(0)
        .set_font(&font);
    let height = (bars.len() as u32 * 26 + 60).max(220);
    chart.set_width(720).set_height(height);
    sheet
        .ws
        .insert_chart_with_offset(header, ACTUAL, &chart, 10, 0)?;
    let row_px = if lang == Lang::Ja {
        super::formats::JA_DEFAULT_ROW_PX
    } else {
        20
    };
    let chart_rows = height.div_ceil(row_px);
    Ok(last.max(header + chart_rows))
}
