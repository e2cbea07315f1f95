//! (v2) The Monthly sheet (予実): the 予実管理表 a finance team keeps by hand. For each
//! metric with a phased plan or amounts that add up (`sum`), four rows by period across its
//! year: plan (予算), actual (実績), variance (差異) and attainment (達成率), then the year to
//! date (累計), the full-year plan, and the forecast (着地見込み) with its method, its
//! variance against the full-year plan (着地差異) and its attainment below it.
//!
//! Every figure comes from the analysis's `periods` series and the metric's figures. The
//! period variances and attainments, and the year to date where it is the total of the
//! period cells, are live formulas with the analysis's figures saved as their results.
//! Variances carry their meaning in the number format (F/U, 有利/不利, by the metric's
//! direction) and are coloured by a conditional format that reads the direction column, so
//! both follow an edited plan. Rows are grouped by the tree's levels, so a reader can fold
//! the sheet to the KGIs.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_xlsxwriter::{ColNum, ConditionalFormatFormula, RowNum, Worksheet, XlsxError};

use crate::analysis::series::PeriodKind;
use crate::analysis::{ActualSource, MetricReport, PeriodFigures, PlanSource};
use crate::model::{column_letters, Aggregation, Direction, Kind, Lang};
use crate::report::context::ReportContext;

use super::formats::{variance_cell, variance_suffix_width, Formats, ValueKind};
use super::kpis::value_kind;
use super::labels::{self, SheetNames};
use super::layout::{cell_ref, page_setup};
use super::sheet::{number_width, Sheet};

const ID: ColNum = 0;
const NAME: ColNum = 1;
const UNIT: ColNum = 2;
const DIRECTION: ColNum = 3;
const LINE: ColNum = 4;
const FIRST_PERIOD: ColNum = 5;
const HEADER_ROW: RowNum = 2;
const ROWS_PER_METRIC: RowNum = 4;
/// Excel's deepest outline level.
const MAX_OUTLINE_LEVEL: usize = 7;
/// A3 in Excel's paper sizes.
const PAPER_A3: u8 = 8;

/// The metrics on the sheet: those with a period series and either a phased plan of their
/// own or amounts that add up.
pub fn shown(report: &MetricReport) -> bool {
    let f = &report.now;
    !f.periods.is_empty()
        && (f.plan_source == PlanSource::Phased || f.aggregation == Aggregation::Sum)
}

/// Sheets of up to this many metrics keep every cell in memory and group their rows by the
/// tree; larger ones are written row by row in constant memory, without the outline.
pub const STANDARD_METRICS: usize = 2_500;

/// True when the sheet is a standard worksheet (see [`STANDARD_METRICS`]).
/// How many metrics the sheet shows (each on four rows).
pub fn metrics_shown(ctx: &ReportContext) -> usize {
    ctx.analysis.metrics.iter().filter(|m| shown(m)).count()
}

pub fn is_standard(ctx: &ReportContext) -> bool {
    ctx.analysis
        .metrics
        .iter()
        .filter(|m| shown(m))
        .take(STANDARD_METRICS + 1)
        .count()
        <= STANDARD_METRICS
}

/// A period column: periods of different lengths starting on one day get their own
/// columns, shorter first.
type ColumnKey = (NaiveDate, u8);

fn key(p: &PeriodFigures) -> ColumnKey {
    let rank = match p.period.kind {
        PeriodKind::Month => 0,
        PeriodKind::Quarter => 1,
        PeriodKind::Year => 2,
    };
    (p.period.start, rank)
}

/// The columns after the periods.
struct Tail {
    ytd: ColNum,
    full_year: ColNum,
    forecast: ColNum,
    method: ColNum,
}

/// The words of the sheet.
struct Words {
    plan: &'static str,
    straight_line: &'static str,
    actual: &'static str,
    variance: &'static str,
    attainment: &'static str,
    children_forecast: &'static str,
}

impl Words {
    fn new(lang: Lang) -> Words {
        Words {
            plan: lang.pick("Plan", "予算"),
            straight_line: lang.pick("Plan (straight line)", "計画(直線)"),
            actual: lang.pick("Actual", "実績"),
            variance: lang.pick("Variance", "差異"),
            attainment: lang.pick("Attainment", "達成率"),
            children_forecast: lang.pick("Sum of the parts", "下位指標の合計"),
        }
    }
}

pub fn write(
    ws: &mut Worksheet,
    ctx: &ReportContext,
    formats: &Formats,
    names: &SheetNames,
) -> Result<(), XlsxError> {
    let lang = ctx.lang;
    ws.set_name(names.monthly)?;
    ws.group_symbols_above(true);
    let metrics: Vec<&MetricReport> = ctx.analysis.metrics.iter().filter(|m| shown(m)).collect();
    // A large sheet is written row by row in constant memory, without the outline.
    let standard = is_standard(ctx);
    let mut sheet = if standard {
        Sheet::down_columns(ws, FIRST_PERIOD as usize)
    } else {
        Sheet::along_rows(ws, FIRST_PERIOD as usize)
    };
    sheet.cap(NAME, 40.0);
    sheet.loose_text(
        0,
        ID,
        lang.pick(
            "Plan vs actual by period (予実)",
            "予実管理表(期間別の予算と実績)",
        ),
        &formats.section,
    )?;
    if metrics.is_empty() {
        sheet.loose_text(
            1,
            ID,
            lang.pick(
                "No metric has a phased plan (Plan sheet) or amounts that add up (aggregation = sum).",
                "予算(計画シート)のある指標も、集計方法が合計の指標もありません。",
            ),
            &formats.subtitle,
        )?;
        page_setup(sheet.ws, ctx, None)?;
        return sheet.fit_columns();
    }
    sheet.loose_text(
        1,
        ID,
        lang.pick(
            "Variance = actual − plan: F favourable, U unfavourable for the metric's direction \
             (sales above plan F, a cost above budget U). Year to date: the total so far for \
             amounts that add up, the latest value otherwise. Under the forecast: its variance \
             and attainment against the full-year plan.",
            "差異 = 実績 − 予算。指標の方向から見て有利/不利を表示(売上は上振れが有利、費用は\
             予算超過が不利)。累計:合計の指標は期首からの合計、それ以外は現在の値。\
             着地見込みの下は年間予算に対する着地差異と達成率。",
        ),
        &formats.subtitle,
    )?;

    // The period columns: every period of the metrics shown, in order.
    let mut columns: BTreeMap<ColumnKey, ColNum> = BTreeMap::new();
    let mut headers: BTreeMap<ColumnKey, &PeriodFigures> = BTreeMap::new();
    for report in &metrics {
        for p in &report.now.periods {
            headers.entry(key(p)).or_insert(p);
        }
    }
    for (i, (k, _)) in headers.iter().enumerate() {
        columns.insert(*k, FIRST_PERIOD + i as ColNum);
    }
    let next = FIRST_PERIOD + headers.len() as ColNum;
    let tail = Tail {
        ytd: next,
        full_year: next + 1,
        forecast: next + 2,
        method: next + 3,
    };

    ws_headers(&mut sheet, &headers, &tail, lang, formats)?;

    let words = Words::new(lang);
    for (i, report) in metrics.iter().enumerate() {
        let top = HEADER_ROW + 1 + i as RowNum * ROWS_PER_METRIC;
        write_metric(
            &mut sheet, top, report, &columns, &tail, &words, lang, formats,
        )?;
    }
    let last_row = HEADER_ROW + metrics.len() as RowNum * ROWS_PER_METRIC;

    // Fold by the tree: a metric's descendants on the sheet are grouped under it.
    let depths: Vec<usize> = metrics.iter().map(|m| m.depth).collect();
    let ends = super::tree::subtree_ends(&depths);
    for (i, end) in ends.iter().enumerate() {
        if standard && *end > i && depths[i] < MAX_OUTLINE_LEVEL {
            let first = HEADER_ROW + 1 + (i as RowNum + 1) * ROWS_PER_METRIC;
            let last = HEADER_ROW + (*end as RowNum + 1) * ROWS_PER_METRIC;
            sheet.ws.group_rows(first, last)?;
        }
    }

    let ws = &mut *sheet.ws;
    add_variance_colours(
        ws,
        (HEADER_ROW + 1, last_row),
        tail.forecast,
        &words,
        lang,
        formats,
    )?;
    ws.autofilter(HEADER_ROW, ID, last_row, tail.method)?;
    ws.set_freeze_panes(HEADER_ROW + 1, FIRST_PERIOD)?;
    page_setup(ws, ctx, Some(HEADER_ROW))?;
    ws.set_paper_size(PAPER_A3);
    sheet.fit_columns()
}

fn ws_headers(
    sheet: &mut Sheet,
    periods: &BTreeMap<ColumnKey, &PeriodFigures>,
    tail: &Tail,
    lang: Lang,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.ws.set_row_height(HEADER_ROW, 33)?;
    sheet.headers(
        HEADER_ROW,
        &[
            "ID",
            lang.pick("Name", "名称"),
            lang.pick("Unit", "単位"),
            lang.pick("Direction", "方向"),
            "",
        ],
        &formats.header,
    )?;
    for (i, p) in periods.values().enumerate() {
        let col = FIRST_PERIOD + i as ColNum;
        match p.period.kind {
            PeriodKind::Month => {
                sheet.ws.write_date_with_format(
                    HEADER_ROW,
                    col,
                    p.period.start,
                    &formats.header_month,
                )?;
                sheet.at_least(col, if lang == Lang::Ja { 10.0 } else { 9.0 });
            }
            PeriodKind::Quarter | PeriodKind::Year => {
                sheet.header(HEADER_ROW, col, &p.period.label(), &formats.header)?
            }
        }
    }
    for (col, text) in [
        (tail.ytd, lang.pick("Year to date", "累計")),
        (tail.full_year, lang.pick("Full-year plan", "年間予算")),
        (tail.forecast, lang.pick("Forecast", "着地見込み")),
        (tail.method, lang.pick("Forecast method", "見込み方法")),
    ] {
        sheet.header(HEADER_ROW, col, text, &formats.header)?;
    }
    Ok(())
}

/// A metric's four rows from `top`, written row by row (a large sheet is written in order).
#[allow(clippy::too_many_arguments)]
fn write_metric<'f>(
    sheet: &mut Sheet<'_, 'f>,
    top: RowNum,
    report: &MetricReport,
    columns: &BTreeMap<ColumnKey, ColNum>,
    tail: &Tail,
    words: &Words,
    lang: Lang,
    formats: &'f Formats,
) -> Result<(), XlsxError> {
    let m = &report.metric;
    let f = &report.now;
    let kind = value_kind(report);
    let value = formats.value(kind);
    let variance_format = formats.variance(kind, m.direction.higher_is_better());
    let (plan_row, actual_row, variance_row, attainment_row) = (top, top + 1, top + 2, top + 3);
    let sum = f.aggregation == Aggregation::Sum;
    let phased = f.plan_source == PlanSource::Phased;
    let cols: Vec<ColNum> = f
        .periods
        .iter()
        .map(|p| columns.get(&key(p)).copied().unwrap_or(FIRST_PERIOD))
        .collect();
    // Year to date: the total of the period cells where the analysis's figure is exactly
    // that, else the figure itself.
    let contiguous = |cols: &[ColNum]| -> Option<(ColNum, ColNum)> {
        let (first, last) = (*cols.first()?, *cols.last()?);
        (usize::from(last - first) + 1 == cols.len()).then_some((first, last))
    };
    let totals = f.period_totals;
    let plan_to_date = f.plan_to_date;
    let own_actual = matches!(f.actual_source, ActualSource::Own | ActualSource::Sum);
    let actual = f.actual.filter(|_| own_actual);
    let sum_of = |row: RowNum, cols: Option<(ColNum, ColNum)>| {
        cols.map(|(first, last)| format!("=SUM({}:{})", cell_ref(row, first), cell_ref(row, last)))
    };
    let plan_ytd = match plan_to_date {
        Some(_) if sum && phased && totals.plan_adds_up && totals.due > 0 => {
            sum_of(plan_row, contiguous(&cols[..totals.due]))
        }
        _ => None,
    };
    let actual_ytd = match actual {
        Some(_) if sum && f.actual_source == ActualSource::Own && totals.actual_adds_up => {
            sum_of(actual_row, contiguous(&cols))
        }
        _ => None,
    };
    let (ytd_a, ytd_p) = (cell_ref(actual_row, tail.ytd), cell_ref(plan_row, tail.ytd));
    let both = actual.is_some() && plan_to_date.is_some();

    let plan_label = if phased || f.plan_source == PlanSource::Children {
        words.plan
    } else {
        words.straight_line
    };
    let head = |sheet: &mut Sheet<'_, 'f>, row: RowNum, label: &str| -> Result<(), XlsxError> {
        let first = row == top;
        let id_format = if first {
            &formats.block_top
        } else {
            &formats.text
        };
        sheet.text(row, ID, &m.id, id_format)?;
        if first {
            sheet.indented_text(
                row,
                NAME,
                &m.name,
                report.depth,
                formats.name(report.depth, m.kind == Kind::Kgi),
            )?;
            sheet.text(
                row,
                UNIT,
                m.unit.as_deref().unwrap_or(""),
                &formats.text_center,
            )?;
        } else {
            sheet.blank(row, NAME, &formats.text)?;
            sheet.blank(row, UNIT, &formats.text)?;
        }
        // On every row: the variance colours read it.
        sheet.text(
            row,
            DIRECTION,
            labels::direction(m.direction, lang),
            &formats.text_muted,
        )?;
        sheet.text(row, LINE, label, &formats.label)
    };

    // 予算 / Plan: the periods, the plan to date, the full-year plan (the plan line at D).
    head(sheet, plan_row, plan_label)?;
    for (p, &col) in f.periods.iter().zip(&cols) {
        sheet.maybe_number(plan_row, col, p.plan, kind, value)?;
    }
    match (plan_to_date, &plan_ytd) {
        (Some(p), Some(formula)) => sheet.formula(plan_row, tail.ytd, formula, p, kind, value)?,
        _ => sheet.maybe_number(plan_row, tail.ytd, plan_to_date, kind, value)?,
    }
    sheet.maybe_number(plan_row, tail.full_year, f.full_year_plan, kind, value)?;
    // Blank cells take the format of the cells beside them (they look the same): one run
    // of formats along the row instead of several, which a huge sheet feels.
    sheet.blank(plan_row, tail.forecast, value)?;
    sheet.blank(plan_row, tail.method, value)?;

    // 実績 / Actual: the periods, the actual, the forecast and its method.
    head(sheet, actual_row, words.actual)?;
    for (p, &col) in f.periods.iter().zip(&cols) {
        sheet.maybe_number(actual_row, col, p.actual, kind, value)?;
    }
    match (actual, &actual_ytd) {
        (Some(a), Some(formula)) => sheet.formula(actual_row, tail.ytd, formula, a, kind, value)?,
        _ => sheet.maybe_number(actual_row, tail.ytd, actual, kind, value)?,
    }
    sheet.blank(actual_row, tail.full_year, value)?;
    sheet.maybe_number(actual_row, tail.forecast, f.forecast, kind, value)?;
    let method = match (f.forecast, f.forecast_method) {
        (Some(_), Some(method)) => labels::forecast_method(method, lang),
        (Some(_), None) => words.children_forecast,
        (None, _) => "",
    };
    // Indented: clear of the forecast's digits beside it.
    sheet.indented_text(actual_row, tail.method, method, 1, formats.name(1, false))?;

    // 差異 / Variance: actual − plan, in each period and to date.
    head(sheet, variance_row, words.variance)?;
    // Each period column's letters once, for both rows of formulas.
    let letters: Vec<String> = cols.iter().map(|c| column_letters(u32::from(*c))).collect();
    let (a, p_) = (actual_row + 1, plan_row + 1);
    for ((p, &col), l) in f.periods.iter().zip(&cols).zip(&letters) {
        match p.variance {
            Some(v) => {
                let difference = format!("{l}{a}-{l}{p_}");
                let (formula, v) = variance_cell(kind, &difference, v);
                sheet.formula(variance_row, col, &formula, v, kind, variance_format)?;
                sheet.at_least(
                    col,
                    (number_width(v, kind) + variance_suffix_width(kind, lang)) as f64,
                );
            }
            None => sheet.blank(variance_row, col, variance_format)?,
        }
    }
    match f.variance {
        Some(v) if both => {
            let (formula, v) = variance_cell(kind, &format!("{ytd_a}-{ytd_p}"), v);
            sheet.formula(variance_row, tail.ytd, &formula, v, kind, variance_format)?;
            sheet.at_least(
                tail.ytd,
                (number_width(v, kind) + variance_suffix_width(kind, lang)) as f64,
            );
        }
        _ => sheet.blank(variance_row, tail.ytd, variance_format)?,
    }
    sheet.blank(variance_row, tail.full_year, variance_format)?;
    // 着地差異: the forecast against the full-year plan, under the forecast.
    let (forecast_cell, full_year_cell) = (
        cell_ref(actual_row, tail.forecast),
        cell_ref(plan_row, tail.full_year),
    );
    let landing = f.forecast.is_some() && f.full_year_plan.is_some();
    match f.forecast_variance {
        Some(v) if landing => {
            let difference = format!("{forecast_cell}-{full_year_cell}");
            let (formula, v) = variance_cell(kind, &difference, v);
            sheet.formula(
                variance_row,
                tail.forecast,
                &formula,
                v,
                kind,
                variance_format,
            )?;
            sheet.at_least(
                tail.forecast,
                (number_width(v, kind) + variance_suffix_width(kind, lang)) as f64,
            );
        }
        _ => sheet.blank(variance_row, tail.forecast, variance_format)?,
    }
    sheet.blank(variance_row, tail.method, variance_format)?;

    // 達成率 / Attainment: actual / plan, in each period and to date.
    head(sheet, attainment_row, words.attainment)?;
    for ((p, &col), l) in f.periods.iter().zip(&cols).zip(&letters) {
        match p.attainment {
            Some(r) => {
                let formula = format!("={l}{a}/{l}{p_}");
                sheet.formula(
                    attainment_row,
                    col,
                    &formula,
                    r,
                    ValueKind::Percent,
                    &formats.percent,
                )?
            }
            None => sheet.blank(attainment_row, col, &formats.percent)?,
        }
    }
    match f.attainment {
        Some(r) if both => sheet.formula(
            attainment_row,
            tail.ytd,
            &format!("={ytd_a}/{ytd_p}"),
            r,
            ValueKind::Percent,
            &formats.percent,
        )?,
        _ => sheet.blank(attainment_row, tail.ytd, &formats.percent)?,
    }
    sheet.blank(attainment_row, tail.full_year, &formats.percent)?;
    match f.forecast_attainment {
        Some(r) if landing => sheet.formula(
            attainment_row,
            tail.forecast,
            &format!("={forecast_cell}/{full_year_cell}"),
            r,
            ValueKind::Percent,
            &formats.percent,
        )?,
        _ => sheet.blank(attainment_row, tail.forecast, &formats.percent)?,
    }
    sheet.blank(attainment_row, tail.method, &formats.percent)?;
    Ok(())
}

/// Favourable variances and attainments green, unfavourable red, by the direction in each
/// row: higher is better for an increase or a floor, lower for a decrease or a ceiling.
fn add_variance_colours(
    ws: &mut Worksheet,
    (first_row, last_row): (RowNum, RowNum),
    last_col: ColNum,
    words: &Words,
    lang: Lang,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let cell = cell_ref(first_row, FIRST_PERIOD);
    let row = first_row + 1;
    let dir = format!("$D{row}");
    let line = format!("$E{row}");
    let higher = format!(
        "OR({dir}=\"{}\",{dir}=\"{}\")",
        labels::direction(Direction::Increase, lang),
        labels::direction(Direction::StayAbove, lang)
    );
    let rule = |above: bool| {
        let (gt, lt) = if above { (">", "<") } else { ("<", ">") };
        format!(
            "=AND(ISNUMBER({cell}),OR(AND({line}=\"{v}\",IF({higher},{cell}{gt}0,{cell}{lt}0)),\
             AND({line}=\"{a}\",IF({higher},{cell}{gt}1,{cell}{lt}1))))",
            v = words.variance,
            a = words.attainment,
        )
    };
    for (above, format) in [
        (true, &formats.highlight_good),
        (false, &formats.highlight_bad),
    ] {
        let cf = ConditionalFormatFormula::new()
            .set_rule(rule(above).as_str())
            .set_format(format);
        ws.add_conditional_format(first_row, FIRST_PERIOD, last_row, last_col, &cf)?;
    }
    Ok(())
}
