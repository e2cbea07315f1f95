//! The KPIs sheet: one row per metric in tree order with every figure of SPEC section 4.
//! Progress, shortfall, pace, variance and attainment are formulas over the row's target,
//! actual, baseline, expected progress and plan to date cells, with the analysis' figures
//! saved as their results.

use rust_xlsxwriter::{ColNum, ConditionalFormatFormula, RowNum, Worksheet, XlsxError};

use crate::analysis::{ActualSource, MetricReport};
use crate::model::{column_letters, Direction, Kind, Lang};
use crate::report::context::ReportContext;

use super::formats::{variance_cell, variance_suffix_width, Formats, ValueKind};
use super::labels::{self, SheetNames};
use super::layout::{add_status_colours, cell_ref, finish_table, progress_bars};
use super::sheet::{number_width, Sheet};

const ID: ColNum = 0;
const NAME: ColNum = 1;
const TYPE: ColNum = 2;
const OWNER: ColNum = 3;
const UNIT: ColNum = 4;
const DIRECTION: ColNum = 5;
const AGGREGATION: ColNum = 6;
const BASELINE: ColNum = 7;
const TARGET: ColNum = 8;
const ACTUAL: ColNum = 9;
const PROGRESS: ColNum = 10;
const SHORTFALL: ColNum = 11;
const EXPECTED: ColNum = 12;
const PACE: ColNum = 13;
const STATUS: ColNum = 14;
const PLAN_TO_DATE: ColNum = 15;
const VARIANCE: ColNum = 16;
const ATTAINMENT: ColNum = 17;
const FORECAST: ColNum = 18;
const FORECAST_METHOD: ColNum = 19;
const FORECAST_PROGRESS: ColNum = 20;
const PREVIOUS_PROGRESS: ColNum = 21;
const PREVIOUS_STATUS: ColNum = 22;
const RATE_SO_FAR: ColNum = 23;
const REQUIRED_RATE: ColNum = 24;
const IMPACT: ColNum = 25;
const START: ColNum = 26;
const DEADLINE: ColNum = 27;
const DAYS_LEFT: ColNum = 28;
const LAST_MEASURED: ColNum = 29;
const LAST_COL: ColNum = LAST_MEASURED;
const COLUMNS: usize = LAST_COL as usize + 1;

fn headers(lang: Lang) -> [&'static str; COLUMNS] {
    [
        "ID",
        lang.pick("Name", "名称"),
        lang.pick("Type", "種別"),
        lang.pick("Owner", "担当者"),
        lang.pick("Unit", "単位"),
        lang.pick("Direction", "方向"),
        lang.pick("Aggregation", "集計方法"),
        lang.pick("Baseline", "基準値"),
        lang.pick("Target", "目標値"),
        lang.pick("Actual", "実績"),
        lang.pick("Progress", "進捗率"),
        lang.pick("Shortfall", "目標まで"),
        lang.pick("Expected progress", "予定\n進捗率"),
        lang.pick("Pace", "ペース"),
        lang.pick("Status", "状況"),
        lang.pick("Plan to date", "予算\n(現在)"),
        lang.pick("Variance", "差異"),
        lang.pick("Attainment", "達成率"),
        lang.pick("Forecast", "着地見込み"),
        lang.pick("Forecast method", "見込み\n方法"),
        lang.pick("Forecast progress", "見込み\n進捗率"),
        lang.pick("Progress last month", "前月末\n進捗率"),
        lang.pick("Status last month", "前月末\n状況"),
        lang.pick("Rate so far", "現在の\nペース"),
        lang.pick("Required rate", "必要ペース"),
        lang.pick("Impact on KGI", "KGI\n影響度"),
        lang.pick("Start", "開始日"),
        lang.pick("Deadline", "期限"),
        lang.pick("Days left", "残日数"),
        lang.pick("Last measured", "最終\n測定日"),
    ]
}

/// How a metric's values are shown: by unit, and as counts when its inputs are whole.
pub fn value_kind(report: &MetricReport) -> ValueKind {
    let whole = |v: f64| v.fract() == 0.0;
    let inputs_whole = report.metric.target.is_none_or(whole)
        && report.now.baseline.is_none_or(whole)
        && report.now.actual.is_none_or(whole);
    ValueKind::of(report.metric.unit.as_ref(), inputs_whole)
}

pub fn write(
    ws: &mut Worksheet,
    ctx: &ReportContext,
    formats: &Formats,
    names: &SheetNames,
) -> Result<(), XlsxError> {
    let lang = ctx.lang;
    ws.set_name(names.kpis)?;
    ws.set_row_height(0, 33)?;
    let mut sheet = Sheet::along_rows(ws, COLUMNS);
    sheet.cap(NAME, 48.0);
    sheet.headers(0, &headers(lang), &formats.header)?;
    // Headers of one long word that would break mid-word.
    for col in [AGGREGATION, ATTAINMENT] {
        sheet.at_least(col, 12.0);
    }

    let metrics = &ctx.analysis.metrics;
    for (i, report) in metrics.iter().enumerate() {
        write_row(&mut sheet, i as RowNum + 1, report, lang, formats)?;
    }
    let last_row = metrics.len() as RowNum;

    let ws = &mut *sheet.ws;
    if last_row >= 1 {
        add_status_colours(ws, (1, last_row), STATUS, lang, formats)?;
        add_status_colours(ws, (1, last_row), PREVIOUS_STATUS, lang, formats)?;
        // KGI rows stand out; the progress columns are left to their data bars and the
        // variance to its colours (LibreOffice shows one conditional format per cell).
        let range =
            |from: ColNum, to: ColNum| format!("{}:{}", cell_ref(1, from), cell_ref(last_row, to));
        let kgi_rows = ConditionalFormatFormula::new()
            .set_rule(format!("=${}2=\"KGI\"", column_letters(u32::from(TYPE))).as_str())
            .set_multi_range(format!(
                "{} {} {} {}",
                range(ID, PROGRESS - 1),
                range(PROGRESS + 1, VARIANCE - 1),
                range(VARIANCE + 1, FORECAST_PROGRESS - 1),
                range(FORECAST_PROGRESS + 1, LAST_COL)
            ))
            .set_format(&formats.highlight_kgi_row);
        ws.add_conditional_format(1, ID, last_row, LAST_COL, &kgi_rows)?;
        let bars = progress_bars();
        ws.add_conditional_format(1, PROGRESS, last_row, PROGRESS, &bars)?;
        ws.add_conditional_format(1, FORECAST_PROGRESS, last_row, FORECAST_PROGRESS, &bars)?;
        add_variance_colours(ws, last_row, lang, formats)?;
    }
    // Every figure of a metric on one row is wide: A3 landscape keeps it legible on paper.
    ws.set_paper_size(8);
    finish_table(&mut sheet, ctx, last_row, (ID, LAST_COL), NAME + 1)
}

fn write_row<'f>(
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
    let is_kgi = m.kind == Kind::Kgi;

    sheet.text(row, ID, &m.id, &formats.text)?;
    sheet.indented_text(
        row,
        NAME,
        &m.name,
        report.depth,
        formats.name(report.depth, is_kgi),
    )?;
    sheet.text(row, TYPE, labels::kind(m.kind), &formats.text_center)?;
    sheet.text(row, OWNER, m.owner.as_deref().unwrap_or(""), &formats.text)?;
    sheet.text(
        row,
        UNIT,
        m.unit.as_deref().unwrap_or(""),
        &formats.text_center,
    )?;
    sheet.text(
        row,
        DIRECTION,
        labels::direction(m.direction, lang),
        &formats.text_center,
    )?;
    sheet.text(
        row,
        AGGREGATION,
        labels::aggregation(now.aggregation, lang),
        &formats.text_center,
    )?;
    sheet.maybe_number(row, BASELINE, now.baseline, kind, value)?;
    // A metric tracked without a target (W19): the cell stays blank, and no formula of
    // the row divides by it (progress, shortfall and pace are blank too).
    sheet.maybe_number(row, TARGET, m.target, kind, value)?;

    let has_own_actual = matches!(now.actual_source, ActualSource::Own | ActualSource::Sum);
    let actual = now.actual.filter(|_| has_own_actual);
    sheet.maybe_number(row, ACTUAL, actual, kind, value)?;

    // Progress: a formula over this row's cells where there is an actual, else the
    // weighted rollup of the children as a value.
    match (now.progress, actual, m.target) {
        (Some(progress), Some(_), Some(target)) => {
            let formula = progress_formula(row, now.baseline, target, m.direction);
            sheet.formula(
                row,
                PROGRESS,
                &formula,
                progress,
                ValueKind::Percent,
                &formats.percent,
            )?;
        }
        (progress, _, _) => sheet.maybe_number(
            row,
            PROGRESS,
            progress,
            ValueKind::Percent,
            &formats.percent,
        )?,
    }
    let shortfall_format = formats.shortfall(kind, m.direction);
    match (now.shortfall, actual) {
        (Some(shortfall), Some(_)) => {
            let (a, t) = (cell_ref(row, ACTUAL), cell_ref(row, TARGET));
            let difference = match m.direction {
                Direction::Increase | Direction::StayAbove => format!("{t}-{a}"),
                Direction::Decrease | Direction::StayBelow => format!("{a}-{t}"),
            };
            // A difference of two percentages is in points, like a variance; against a
            // ceiling or a floor the number format says what is left or over.
            let (formula, shortfall) = variance_cell(kind, &difference, shortfall);
            sheet.formula(row, SHORTFALL, &formula, shortfall, kind, shortfall_format)?;
            // Room for the words ("left", "余裕") and points the number format adds.
            let words = matches!(m.direction, Direction::StayAbove | Direction::StayBelow);
            if words || kind == ValueKind::Percent {
                sheet.at_least(SHORTFALL, (number_width(shortfall, kind) + 12) as f64);
            }
        }
        _ => sheet.blank(row, SHORTFALL, shortfall_format)?,
    }
    // ê: the share of the way the plan says the metric should be by now (the time elapsed
    // on the straight line).
    let expected = now.expected_progress.unwrap_or(now.elapsed);
    // Without a target there is no way to be expected along (W19): blank.
    let shown = Some(expected).filter(|_| m.target.is_some() || now.expected_progress.is_some());
    sheet.maybe_number(row, EXPECTED, shown, ValueKind::Percent, &formats.percent)?;
    // Pace: progress / expected progress; against a floor actual / plan to date, against a
    // ceiling plan to date / actual (SPEC 4).
    let (a, p) = (cell_ref(row, ACTUAL), cell_ref(row, PLAN_TO_DATE));
    let pace_formula = match (m.direction, now.actual_source) {
        (_, ActualSource::Weighted) | (Direction::Increase | Direction::Decrease, _) => {
            (now.progress.is_some() && expected > 0.0)
                .then(|| format!("={}/{}", cell_ref(row, PROGRESS), cell_ref(row, EXPECTED)))
        }
        (Direction::StayAbove, _) => {
            (actual.is_some() && now.plan_to_date.is_some()).then(|| format!("={a}/{p}"))
        }
        (Direction::StayBelow, _) => {
            (actual.is_some() && now.plan_to_date.is_some()).then(|| format!("={p}/{a}"))
        }
    };
    match (now.pace, pace_formula) {
        (Some(pace), Some(formula)) => sheet.formula(
            row,
            PACE,
            &formula,
            pace,
            ValueKind::Percent,
            &formats.percent,
        )?,
        (pace, _) => sheet.maybe_number(row, PACE, pace, ValueKind::Percent, &formats.percent)?,
    }
    sheet.text(row, STATUS, now.status.label(lang), &formats.text_center)?;
    sheet.maybe_number(row, PLAN_TO_DATE, now.plan_to_date, kind, value)?;
    let variance_format = formats.variance(kind, m.direction.higher_is_better());
    match (now.variance, actual, now.plan_to_date) {
        (Some(v), Some(_), Some(_)) => {
            let (formula, v) = variance_cell(kind, &format!("{a}-{p}"), v);
            sheet.formula(row, VARIANCE, &formula, v, kind, variance_format)?;
            sheet.at_least(
                VARIANCE,
                (number_width(v, kind) + variance_suffix_width(kind, lang)) as f64,
            );
        }
        _ => sheet.blank(row, VARIANCE, variance_format)?,
    }
    match (now.attainment, actual, now.plan_to_date) {
        (Some(r), Some(_), Some(_)) => sheet.formula(
            row,
            ATTAINMENT,
            &format!("={a}/{p}"),
            r,
            ValueKind::Percent,
            &formats.percent,
        )?,
        _ => sheet.blank(row, ATTAINMENT, &formats.percent)?,
    }
    sheet.maybe_number(row, FORECAST, now.forecast, kind, value)?;
    let method = match (now.forecast, now.forecast_method) {
        (Some(_), Some(method)) => labels::forecast_method(method, lang),
        (Some(_), None) => lang.pick("Sum of the parts", "下位指標の合計"),
        (None, _) => "",
    };
    sheet.indented_text(row, FORECAST_METHOD, method, 1, formats.name(1, false))?;
    sheet.maybe_number(
        row,
        FORECAST_PROGRESS,
        now.forecast_progress,
        ValueKind::Percent,
        &formats.percent,
    )?;
    sheet.maybe_number(
        row,
        PREVIOUS_PROGRESS,
        report.previous.progress,
        ValueKind::Percent,
        &formats.percent,
    )?;
    sheet.text(
        row,
        PREVIOUS_STATUS,
        report.previous.status.label(lang),
        &formats.text_center,
    )?;
    let frequency = report.rate_frequency();
    let rate_format = formats.rate(kind, frequency);
    let suffix = super::formats::rate_suffix(frequency, lang);
    for (col, rate) in [
        (RATE_SO_FAR, now.rate_so_far),
        (REQUIRED_RATE, now.required_rate),
    ] {
        match rate {
            Some(r) if r.is_finite() => {
                sheet.number_with_suffix(row, col, r, kind, suffix, rate_format)?
            }
            _ => sheet.blank(row, col, rate_format)?,
        }
    }
    sheet.maybe_number(
        row,
        IMPACT,
        report.impact,
        ValueKind::Percent,
        &formats.percent,
    )?;
    sheet.date(row, START, now.start, &formats.date)?;
    sheet.date(row, DEADLINE, now.deadline, &formats.date)?;
    sheet.number(
        row,
        DAYS_LEFT,
        report.days_left() as f64,
        ValueKind::Count,
        &formats.days,
    )?;
    sheet.maybe_date(row, LAST_MEASURED, now.last_measured, &formats.date)?;
    Ok(())
}

/// A favourable variance green, an unfavourable one red, by the direction in each row
/// (higher is better for an increase or a floor), as on the Monthly sheet; the number
/// format already says it in a word.
fn add_variance_colours(
    ws: &mut Worksheet,
    last_row: RowNum,
    lang: Lang,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let cell = cell_ref(1, VARIANCE);
    let dir = format!("${}2", column_letters(u32::from(DIRECTION)));
    let higher = format!(
        "OR({dir}=\"{}\",{dir}=\"{}\")",
        labels::direction(Direction::Increase, lang),
        labels::direction(Direction::StayAbove, lang)
    );
    for (good, format) in [
        (true, &formats.highlight_good),
        (false, &formats.highlight_bad),
    ] {
        let (gt, lt) = if good { (">", "<") } else { ("<", ">") };
        let rule = format!("=AND(ISNUMBER({cell}),IF({higher},{cell}{gt}0,{cell}{lt}0))");
        let cf = ConditionalFormatFormula::new()
            .set_rule(rule.as_str())
            .set_format(format);
        ws.add_conditional_format(1, VARIANCE, last_row, VARIANCE, &cf)?;
    }
    Ok(())
}

/// SPEC 4 progress over this row's cells: with a baseline B ≠ T `(A−B)/(T−B)`; without,
/// `A/T` for an increase and `T/A` for a decrease (1 when A ≤ 0).
fn progress_formula(
    row: RowNum,
    baseline: Option<f64>,
    target: f64,
    direction: Direction,
) -> String {
    let (a, t, b) = (
        cell_ref(row, ACTUAL),
        cell_ref(row, TARGET),
        cell_ref(row, BASELINE),
    );
    match (baseline, direction) {
        (Some(base), _) if base != target => format!("=({a}-{b})/({t}-{b})"),
        (_, Direction::Increase | Direction::StayAbove | Direction::StayBelow) => {
            format!("={a}/{t}")
        }
        (_, Direction::Decrease) => format!("=IF({a}<=0,1,{t}/{a})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_formulas_follow_the_spec() {
        assert_eq!(
            progress_formula(1, Some(5.0), 10.0, Direction::Increase),
            "=(J2-H2)/(I2-H2)"
        );
        assert_eq!(
            progress_formula(1, None, 10.0, Direction::Increase),
            "=J2/I2"
        );
        assert_eq!(
            progress_formula(9, None, 10.0, Direction::Decrease),
            "=IF(J10<=0,1,I10/J10)"
        );
        // A baseline equal to the target is ignored, as in the analysis.
        assert_eq!(
            progress_formula(1, Some(10.0), 10.0, Direction::Increase),
            "=J2/I2"
        );
    }
}
