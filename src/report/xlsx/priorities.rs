//! The Priorities sheet: the full ranking with the parts of each score, so a reader sees
//! why a KPI ranks where it does. The score is a live formula, impact × shortfall ratio.

use rust_xlsxwriter::{ColNum, RowNum, Worksheet, XlsxError};

use crate::analysis::{MetricReport, Priority};
use crate::model::Lang;
use crate::report::context::ReportContext;

use super::formats::{Formats, ValueKind};
use super::labels::SheetNames;
use super::layout::{add_status_colours, cell_ref, finish_table};
use super::sheet::Sheet;

const RANK: ColNum = 0;
const ID: ColNum = 1;
const NAME: ColNum = 2;
const KGI: ColNum = 3;
const OWNER: ColNum = 4;
const SCORE: ColNum = 5;
const IMPACT: ColNum = 6;
const SHORTFALL_RATIO: ColNum = 7;
const BASIS: ColNum = 8;
const PROGRESS: ColNum = 9;
const FORECAST_PROGRESS: ColNum = 10;
const STATUS: ColNum = 11;
const DEADLINE: ColNum = 12;
const DAYS_LEFT: ColNum = 13;
const COLUMNS: usize = 14;

fn headers(lang: Lang) -> [&'static str; COLUMNS] {
    [
        lang.pick("Rank", "順位"),
        "ID",
        lang.pick("Name", "名称"),
        "KGI",
        lang.pick("Owner", "担当者"),
        lang.pick("Score", "スコア"),
        lang.pick("Impact on KGI", "KGI\n影響度"),
        lang.pick("Shortfall ratio", "未達率"),
        lang.pick("Based on", "算定基準"),
        lang.pick("Progress", "進捗率"),
        lang.pick("Forecast progress", "見込み\n進捗率"),
        lang.pick("Status", "状況"),
        lang.pick("Deadline", "期限"),
        lang.pick("Days left", "残日数"),
    ]
}

/// What the shortfall ratio was taken from: the forecast, or the current progress.
pub fn basis_label(priority: &Priority, lang: Lang) -> &'static str {
    if priority.from_forecast {
        lang.pick("Forecast", "着地見込み")
    } else {
        lang.pick("Current progress", "現状の進捗")
    }
}

pub fn write(
    ws: &mut Worksheet,
    ctx: &ReportContext,
    formats: &Formats,
    names: &SheetNames,
) -> Result<(), XlsxError> {
    let lang = ctx.lang;
    ws.set_name(names.priorities)?;
    ws.set_row_height(0, 33)?;
    let mut sheet = Sheet::along_rows(ws, COLUMNS);
    sheet.cap(NAME, 48.0);
    sheet.headers(0, &headers(lang), &formats.header)?;

    let priorities = &ctx.analysis.priorities;
    for (i, priority) in priorities.iter().enumerate() {
        let row = i as RowNum + 1;
        let report = ctx.analysis.metric_of(priority);
        let kgi = report.and_then(|r| ctx.analysis.kgi_of(r));
        write_row(&mut sheet, row, priority, report, kgi, lang, formats)?;
    }
    if priorities.is_empty() {
        sheet.loose_text(
            1,
            RANK,
            lang.pick(
                "Nothing to prioritise: every KPI under a KGI is achieved or has no data.",
                "優先すべきKPIはありません(すべて達成済み、またはデータなし)。",
            ),
            &formats.subtitle,
        )?;
    }
    let last_row = priorities.len() as RowNum;
    let ws = &mut *sheet.ws;
    add_status_colours(ws, (1, last_row), STATUS, lang, formats)?;
    finish_table(&mut sheet, ctx, last_row, (RANK, DAYS_LEFT), NAME + 1)
}

fn write_row<'f>(
    sheet: &mut Sheet<'_, 'f>,
    row: RowNum,
    priority: &Priority,
    report: Option<&MetricReport>,
    kgi: Option<&MetricReport>,
    lang: Lang,
    formats: &'f Formats,
) -> Result<(), XlsxError> {
    let percent = &formats.percent;
    sheet.number(
        row,
        RANK,
        priority.rank as f64,
        ValueKind::Count,
        &formats.rank,
    )?;
    sheet.text(row, ID, &priority.id, &formats.text)?;
    let name = report.map(|r| r.metric.name.as_str()).unwrap_or("");
    sheet.text(row, NAME, name, &formats.text)?;
    let kgi = kgi.map(|k| k.metric.id.as_str()).unwrap_or("");
    sheet.text(row, KGI, kgi, &formats.text_center)?;
    let owner = report.and_then(|r| r.metric.owner.as_deref()).unwrap_or("");
    sheet.text(row, OWNER, owner, &formats.text)?;
    let formula = format!(
        "={}*{}",
        cell_ref(row, IMPACT),
        cell_ref(row, SHORTFALL_RATIO)
    );
    sheet.formula(
        row,
        SCORE,
        &formula,
        priority.score,
        ValueKind::Decimal,
        &formats.score,
    )?;
    sheet.number(row, IMPACT, priority.impact, ValueKind::Percent, percent)?;
    sheet.number(
        row,
        SHORTFALL_RATIO,
        priority.shortfall_ratio,
        ValueKind::Percent,
        percent,
    )?;
    sheet.text(
        row,
        BASIS,
        basis_label(priority, lang),
        &formats.text_center,
    )?;
    let now = report.map(|r| &r.now);
    sheet.maybe_number(
        row,
        PROGRESS,
        now.and_then(|f| f.progress),
        ValueKind::Percent,
        percent,
    )?;
    sheet.maybe_number(
        row,
        FORECAST_PROGRESS,
        now.and_then(|f| f.forecast_progress),
        ValueKind::Percent,
        percent,
    )?;
    match report {
        Some(r) => {
            sheet.text(row, STATUS, r.now.status.label(lang), &formats.text_center)?;
            sheet.date(row, DEADLINE, priority.deadline, &formats.date)?;
            sheet.number(
                row,
                DAYS_LEFT,
                r.days_left() as f64,
                ValueKind::Count,
                &formats.days,
            )?;
        }
        None => {
            sheet.blank(row, STATUS, &formats.text_center)?;
            sheet.date(row, DEADLINE, priority.deadline, &formats.date)?;
            sheet.blank(row, DAYS_LEFT, &formats.days)?;
        }
    }
    Ok(())
}
