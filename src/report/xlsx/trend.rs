//! The Trend sheet: the measurements of every metric with history by month-end (the last
//! measurement in each month; running totals for `sum`), and for a few leading metrics a
//! line chart over the metric's periods of the actual (the running total for `sum`) against
//! the plan line (the phased plan where there is one, else the straight line), the forecast
//! at the deadline and the target. Every figure of the charts comes from the analysis's
//! `periods` series.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    Chart, ChartEmptyCells, ChartFont, ChartFormat, ChartLegendPosition, ChartLine,
    ChartLineDashType, ChartMarker, ChartMarkerType, ChartSolidFill, ChartType, ColNum, Format,
    RowNum, Worksheet, XlsxError,
};

use crate::analysis::series::PeriodKind;
use crate::analysis::{MetricReport, PeriodFigures};
use crate::dates;
use crate::model::{Aggregation, Kind, Lang, Metric};
use crate::report::context::ReportContext;

use super::formats::{self, Formats, ValueKind};
use super::kpis::value_kind;
use super::labels::SheetNames;
use super::layout::page_setup;
use super::sheet::Sheet;

const ID: ColNum = 0;
const NAME: ColNum = 1;
const UNIT: ColNum = 2;
const TARGET: ColNum = 3;
const FIRST_MONTH: ColNum = 4;
/// At most this many months (ten years, the most recent) are shown.
const MAX_MONTHS: usize = 120;
/// Charts are for the leading metrics only, however large the input.
const MAX_CHARTS: usize = 10;
const CHART_WIDTH_PX: u32 = 600;
const CHART_HEIGHT_PX: u32 = 300;
const CHART_GAP_PX: u32 = 16;
const CHART_BANDS_PER_PAGE: u32 = 2;
/// Charts start a little below their band's first row, clear of a page break above it.
const CHART_TOP_OFFSET_PX: u32 = 6;

/// Month index (years × 12 + month) for stepping through months.
fn month_number(date: NaiveDate) -> i32 {
    date.year() * 12 + date.month0() as i32
}

fn month_end_of(number: i32) -> Option<NaiveDate> {
    let first =
        NaiveDate::from_ymd_opt(number.div_euclid(12), number.rem_euclid(12) as u32 + 1, 1)?;
    Some(dates::month_end(first))
}

/// Month-ends from the earliest measurement's month to the as-of month (at most
/// [`MAX_MONTHS`], the latest ones).
fn months(metrics: &[&MetricReport], as_of: NaiveDate) -> Vec<NaiveDate> {
    let last = month_number(as_of);
    let Some(first) = metrics
        .iter()
        .filter_map(|m| m.now.history.first().map(|(d, _)| month_number(*d)))
        .min()
    else {
        return Vec::new();
    };
    let first = first.max(last - MAX_MONTHS as i32 + 1);
    (first..=last).filter_map(month_end_of).collect()
}

/// The metrics charted: KGIs with history first, then the priorities shown on the Summary
/// that have history, then (room left) the metrics tracked without a target, which are
/// never ranked (a dashboard without targets still gets its charts); at most
/// [`MAX_CHARTS`].
fn charted<'a>(ctx: &ReportContext<'a>, with_history: &[&'a MetricReport]) -> Vec<usize> {
    let position = |id: &str| with_history.iter().position(|m| m.metric.id == id);
    let mut chosen: Vec<usize> = Vec::new();
    let mut seen: HashSet<usize> = HashSet::new();
    let kgis = with_history
        .iter()
        .enumerate()
        .filter(|(_, m)| m.metric.kind == Kind::Kgi)
        .map(|(i, _)| i);
    let priorities = ctx
        .analysis
        .priorities
        .iter()
        .take(ctx.settings.top_priorities)
        .filter_map(|p| position(&p.id));
    let tracked = with_history
        .iter()
        .enumerate()
        .filter(|(_, m)| m.metric.target.is_none())
        .map(|(i, _)| i);
    for i in kgis.chain(priorities).chain(tracked) {
        if chosen.len() == MAX_CHARTS {
            break;
        }
        if seen.insert(i) {
            chosen.push(i);
        }
    }
    chosen
}

/// Rows of the table: the metrics with dated measurements.
pub fn rows(ctx: &ReportContext) -> usize {
    ctx.analysis
        .metrics
        .iter()
        .filter(|m| !m.now.history.is_empty())
        .count()
}

pub fn write(
    ws: &mut Worksheet,
    ctx: &ReportContext,
    formats: &Formats,
    names: &SheetNames,
) -> Result<(), XlsxError> {
    let lang = ctx.lang;
    ws.set_name(names.trend)?;
    let with_history: Vec<&MetricReport> = ctx
        .analysis
        .metrics
        .iter()
        .filter(|m| !m.now.history.is_empty())
        .collect();
    let months = months(&with_history, ctx.analysis.as_of);
    let charted = charted(ctx, &with_history);

    let mut sheet = Sheet::along_rows(ws, FIRST_MONTH as usize + months.len());
    sheet.cap(NAME, 40.0);
    sheet.loose_text(
        0,
        ID,
        lang.pick(
            "Actual by month (last measurement in each month)",
            "月別の実績推移(各月の最終測定値)",
        ),
        &formats.section,
    )?;
    if with_history.is_empty() {
        sheet.loose_text(
            1,
            ID,
            lang.pick(
                "No metric has dated measurements yet.",
                "日付のある測定値はまだありません。",
            ),
            &formats.subtitle,
        )?;
        page_setup(sheet.ws, ctx, None)?;
        return sheet.fit_columns();
    }

    // Charts sit above the table, two side by side per band.
    let row_px = if lang == Lang::Ja {
        formats::JA_DEFAULT_ROW_PX
    } else {
        20
    };
    let band_rows = (CHART_HEIGHT_PX + CHART_GAP_PX).div_ceil(row_px);
    let bands = charted
        .iter()
        .filter(|i| !with_history[**i].now.periods.is_empty())
        .count()
        .div_ceil(2) as u32;
    let header_row: RowNum = 2 + bands * band_rows;

    let month_header = |i: usize| -> ColNum { FIRST_MONTH + i as ColNum };
    sheet.ws.set_row_height(header_row, 22)?;
    sheet.headers(
        header_row,
        &[
            "ID",
            lang.pick("Name", "名称"),
            lang.pick("Unit", "単位"),
            lang.pick("Target", "目標値"),
        ],
        &formats.header,
    )?;
    for (i, month) in months.iter().enumerate() {
        sheet.date(header_row, month_header(i), *month, &formats.header_month)?;
        sheet.at_least(month_header(i), 9.0);
    }

    let first_month = months.first().map(|d| month_number(*d)).unwrap_or(0);
    let mut by_month: Vec<Option<f64>> = vec![None; months.len()];
    for (i, report) in with_history.iter().enumerate() {
        let row = header_row + 1 + i as RowNum;
        let kind = value_kind(report);
        let value = formats.value(kind);
        let m = &report.metric;
        let name_format = formats.name(0, m.kind == Kind::Kgi);
        row_head(&mut sheet, row, m, (&m.name, name_format), kind, formats)?;
        by_month.iter_mut().for_each(|v| *v = None);
        for (date, v) in &report.now.history {
            let index = month_number(*date) - first_month;
            if let Some(slot) = usize::try_from(index)
                .ok()
                .and_then(|i| by_month.get_mut(i))
            {
                *slot = Some(*v);
            }
        }
        for (j, v) in by_month.iter().enumerate() {
            sheet.maybe_number(row, month_header(j), *v, kind, value)?;
        }
    }
    let last_table_row = header_row + with_history.len() as RowNum;

    // The lines of the charts, below the table, each over the metric's own periods: the
    // actual (running total for `sum`), the plan line (phased, else straight), the forecast
    // from the latest actual to the deadline, and the target.
    let mut row = last_table_row + 2;
    if !charted.is_empty() {
        sheet.loose_text(
            row,
            ID,
            lang.pick(
                "Chart lines by period: actual (running total for amounts that add up), plan \
                 (the phased plan, else the straight line from start to target), forecast at \
                 the deadline, target",
                "グラフ用(期間別):実績(合計の指標は累計)、予算(予算シートがあればその累計、\
                 なければ開始から目標値までの直線)、期限の着地見込み、目標値",
            ),
            &formats.label,
        )?;
        row += 1;
    }
    let mut blocks: Vec<(usize, ChartBlock)> = Vec::new();
    for &i in &charted {
        let report = with_history[i];
        if report.now.periods.is_empty() {
            continue;
        }
        let block = chart_block(&mut sheet, row, report, lang, formats)?;
        row = block.end + 2;
        blocks.push((i, block));
    }

    for (n, (i, block)) in blocks.iter().enumerate() {
        let actual_name_row = header_row + 1 + *i as RowNum;
        let chart = line_chart(
            names.trend,
            block,
            actual_name_row,
            value_kind(with_history[*i]),
            lang,
            formats,
        );
        let band_top = 2 + (n as u32 / 2) * band_rows;
        let x_offset = if n % 2 == 0 {
            0
        } else {
            CHART_WIDTH_PX + CHART_GAP_PX
        };
        sheet
            .ws
            .insert_chart_with_offset(band_top, ID, &chart, x_offset, CHART_TOP_OFFSET_PX)?;
    }

    let ws = &mut *sheet.ws;
    // Printed, two bands of charts fill a page; the table starts on a page of its own.
    let breaks: Vec<RowNum> = (1..bands)
        .filter(|band| band % CHART_BANDS_PER_PAGE == 0)
        .map(|band| 2 + band * band_rows)
        .chain((bands > 0).then_some(header_row))
        .collect();
    if !breaks.is_empty() {
        ws.set_page_breaks(&breaks)?;
    }
    let last_month_col = month_header(months.len().saturating_sub(1));
    ws.autofilter(header_row, ID, last_table_row, last_month_col)?;
    if bands == 0 {
        ws.set_freeze_panes(header_row + 1, NAME + 1)?;
    }
    page_setup(ws, ctx, Some(header_row))?;
    sheet.fit_columns()
}

/// The cells that name a row: the metric's id, a name (the metric's, or the chart line's),
/// its unit and its target.
fn row_head<'f>(
    sheet: &mut Sheet<'_, 'f>,
    row: RowNum,
    m: &Metric,
    (name, name_format): (&str, &'f Format),
    kind: ValueKind,
    formats: &'f Formats,
) -> Result<(), XlsxError> {
    sheet.text(row, ID, &m.id, &formats.text)?;
    sheet.text(row, NAME, name, name_format)?;
    let unit = m.unit.as_deref().unwrap_or("");
    sheet.text(row, UNIT, unit, &formats.text_center)?;
    sheet.maybe_number(row, TARGET, m.target, kind, formats.value(kind))
}

/// Where a chart's lines are: the rows of its periods, actual, plan, forecast and target,
/// over the columns from [`FIRST_MONTH`] to `last_col`.
struct ChartBlock {
    header: RowNum,
    actual: RowNum,
    plan: Option<RowNum>,
    forecast: Option<RowNum>,
    /// `None` for a metric tracked without a target: its chart has no target line.
    target: Option<RowNum>,
    /// The block's last row.
    end: RowNum,
    last_col: ColNum,
    actual_name: &'static str,
    plan_name: &'static str,
}

/// At most this many periods (the latest ones up to the deadline) on a chart.
const MAX_CHART_PERIODS: usize = 120;

/// Write the lines of one metric's chart from `top`, all from its `periods` series.
fn chart_block<'f>(
    sheet: &mut Sheet<'_, 'f>,
    top: RowNum,
    report: &MetricReport,
    lang: Lang,
    formats: &'f Formats,
) -> Result<ChartBlock, XlsxError> {
    let m = &report.metric;
    let f = &report.now;
    let kind = value_kind(report);
    let value = formats.value(kind);
    let sum = f.aggregation == Aggregation::Sum;
    let periods = &f.periods[f.periods.len().saturating_sub(MAX_CHART_PERIODS)..];
    let col = |j: usize| FIRST_MONTH + j as ColNum;
    let last_col = col(periods.len().saturating_sub(1));
    let (header, actual, plan_row) = (top, top + 1, top + 2);

    row_head(
        sheet,
        header,
        m,
        (lang.pick("Period", "期間"), &formats.text_muted),
        kind,
        formats,
    )?;
    for (j, p) in periods.iter().enumerate() {
        match p.period.kind {
            PeriodKind::Month => {
                sheet.date(header, col(j), p.period.start, &formats.header_month)?
            }
            PeriodKind::Quarter | PeriodKind::Year => {
                sheet.text(header, col(j), &p.period.label(), &formats.text_center)?
            }
        }
    }
    let actual_name = if sum {
        lang.pick("Actual (running total)", "実績(累計)")
    } else {
        lang.pick("Actual", "実績")
    };
    row_head(
        sheet,
        actual,
        m,
        (actual_name, &formats.text_muted),
        kind,
        formats,
    )?;
    let actual_of = |p: &PeriodFigures| if sum { p.actual_cumulative } else { p.actual };
    for (j, p) in periods.iter().enumerate() {
        sheet.maybe_number(actual, col(j), actual_of(p), kind, value)?;
    }
    let plan_name = match (f.plan_source.is_phased(), sum) {
        (true, true) => lang.pick("Plan (running total)", "予算(累計)"),
        (true, false) => lang.pick("Plan", "予算"),
        (false, _) => lang.pick("Linear plan", "計画(直線)"),
    };
    let plan = if periods.iter().any(|p| p.plan_line.is_some()) {
        row_head(
            sheet,
            plan_row,
            m,
            (plan_name, &formats.text_muted),
            kind,
            formats,
        )?;
        for (j, p) in periods.iter().enumerate() {
            sheet.maybe_number(plan_row, col(j), p.plan_line, kind, value)?;
        }
        Some(plan_row)
    } else {
        None
    };
    let mut next = if plan.is_some() {
        plan_row + 1
    } else {
        plan_row
    };
    // The forecast: a line from the latest actual to the forecast at the deadline.
    let latest = periods.iter().rposition(|p| actual_of(p).is_some());
    let forecast = match (f.forecast, latest) {
        (Some(forecast), Some(from)) if from + 1 < periods.len() => {
            let name = lang.pick("Forecast", "着地見込み");
            row_head(sheet, next, m, (name, &formats.text_muted), kind, formats)?;
            for j in 0..periods.len() {
                let v = if j == from {
                    actual_of(&periods[j])
                } else if j + 1 == periods.len() {
                    Some(forecast)
                } else {
                    None
                };
                sheet.maybe_number(next, col(j), v, kind, value)?;
            }
            next += 1;
            Some(next - 1)
        }
        _ => None,
    };
    let target = match m.target {
        Some(goal) => {
            row_head(
                sheet,
                next,
                m,
                (lang.pick("Target", "目標値"), &formats.text_muted),
                kind,
                formats,
            )?;
            for j in 0..periods.len() {
                sheet.number(next, col(j), goal, kind, value)?;
            }
            next += 1;
            Some(next - 1)
        }
        None => None,
    };
    Ok(ChartBlock {
        header,
        actual,
        plan,
        forecast,
        target,
        end: next - 1,
        last_col,
        actual_name,
        plan_name,
    })
}

/// Actual (markers, gaps bridged), plan (dashed), forecast (dotted) and target (red) over
/// the metric's periods.
fn line_chart(
    sheet_name: &str,
    block: &ChartBlock,
    name_row: RowNum,
    kind: ValueKind,
    lang: Lang,
    formats: &Formats,
) -> Chart {
    let mut chart = Chart::new(ChartType::Line);
    let categories = (
        sheet_name,
        block.header,
        FIRST_MONTH,
        block.header,
        block.last_col,
    );
    let range = |row: RowNum| (sheet_name, row, FIRST_MONTH, row, block.last_col);
    chart
        .add_series()
        .set_name(block.actual_name)
        .set_categories(categories)
        .set_values(range(block.actual))
        .set_format(
            ChartFormat::new().set_line(ChartLine::new().set_color("#1F3864").set_width(2.25)),
        )
        .set_marker(
            ChartMarker::new()
                .set_type(ChartMarkerType::Circle)
                .set_size(5)
                .set_format(
                    ChartFormat::new()
                        .set_solid_fill(ChartSolidFill::new().set_color("#1F3864"))
                        .set_line(ChartLine::new().set_color("#1F3864")),
                ),
        );
    if let Some(plan_row) = block.plan {
        chart
            .add_series()
            .set_name(block.plan_name)
            .set_categories(categories)
            .set_values(range(plan_row))
            .set_format(
                ChartFormat::new().set_line(
                    ChartLine::new()
                        .set_color("#7F7F7F")
                        .set_width(1.5)
                        .set_dash_type(ChartLineDashType::Dash),
                ),
            );
    }
    if let Some(forecast_row) = block.forecast {
        chart
            .add_series()
            .set_name(lang.pick("Forecast", "着地見込み"))
            .set_categories(categories)
            .set_values(range(forecast_row))
            .set_format(
                ChartFormat::new().set_line(
                    ChartLine::new()
                        .set_color("#ED7D31")
                        .set_width(1.75)
                        .set_dash_type(ChartLineDashType::RoundDot),
                ),
            )
            .set_marker(
                ChartMarker::new()
                    .set_type(ChartMarkerType::Diamond)
                    .set_size(6)
                    .set_format(
                        ChartFormat::new()
                            .set_solid_fill(ChartSolidFill::new().set_color("#ED7D31"))
                            .set_line(ChartLine::new().set_color("#ED7D31")),
                    ),
            );
    }
    if let Some(target_row) = block.target {
        chart
            .add_series()
            .set_name(lang.pick("Target", "目標値"))
            .set_categories(categories)
            .set_values(range(target_row))
            .set_format(
                ChartFormat::new().set_line(ChartLine::new().set_color("#C00000").set_width(1.25)),
            );
    }
    chart.title().set_name((sheet_name, name_row, NAME));
    chart.show_empty_cells_as(ChartEmptyCells::Connected);
    chart.legend().set_position(ChartLegendPosition::Bottom);
    chart.x_axis().set_num_format(lang.pick("mmm yy", "yyyy/m"));
    chart.y_axis().set_num_format(match kind {
        ValueKind::Percent => "0%",
        ValueKind::Decimal => "#,##0.0",
        ValueKind::Money | ValueKind::Count => "#,##0",
    });
    chart.set_width(CHART_WIDTH_PX).set_height(CHART_HEIGHT_PX);
    let mut font = ChartFont::new();
    font.set_name(formats.font_name);
    let mut title_font = ChartFont::new();
    title_font
        .set_name(formats.font_name)
        .set_size(12)
        .set_bold();
    chart.title().set_font(&title_font);
    chart.x_axis().set_font(&font);
    chart.y_axis().set_font(&font);
    chart.legend().set_font(&font);
    chart
}
