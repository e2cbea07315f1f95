//! The 予実 (plan vs actual) part of the view model: plan to date, variance (favourable or
//! not, by colour *and* by sign and word), attainment and the last periods, as display-ready
//! strings for the HTML cards and tree and the e-mail's text part; and the priority sentence
//! of a floor or ceiling that the forecast crosses. Every figure comes from the analysis
//! (`Figures`, `PeriodFigures`); this only words and formats them.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::analysis::series::PeriodKind;
use crate::analysis::{Figures, PeriodFigures};
use crate::display;
use crate::model::{ForecastMethod, Lang};

/// At most this many recent periods are shown in a KGI card's plan-vs-actual table.
pub const RECENT_PERIODS: usize = 3;

/// Formats a value in the metric's unit.
pub type Amount<'a> = &'a dyn Fn(f64) -> String;

/// A variance as shown: its sign and a word say whether it is good news, the colour only
/// repeats it.
#[derive(Debug, Clone, Serialize)]
pub struct VarianceView {
    /// False when there is no plan to compare with (then every text is "–" or empty).
    pub known: bool,
    /// The signed amount: "+850 k JPY", "−2,900 k JPY"; "△2,900千円" in Japanese; "–".
    pub text: String,
    /// "favourable" / "unfavourable", "有利" / "不利"; empty when unknown.
    pub word: &'static str,
    /// ✓ for favourable, ! for unfavourable; empty when unknown.
    pub symbol: &'static str,
    /// `text` and `word` together: "−2,900 k JPY unfavourable".
    pub label: String,
    pub favourable: bool,
    /// Text colour (`#rrggbb`): green when favourable, red when not, grey when unknown.
    pub color: &'static str,
    /// A light background of the same hue.
    pub background: &'static str,
}

/// One row of a card's plan-vs-actual table. Amounts are shown without their unit (the
/// table's title names it, `PlanView::unit`) so that four columns fit a phone's width.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodRow {
    /// "2026-10" / "2026年10月" (quarters and years as `2026-Q3`, `2026`).
    pub period: String,
    /// The period's plan, or "–".
    pub plan: String,
    /// The period's actual, or "–".
    pub actual: String,
    pub variance: VarianceView,
}

/// The 予実 figures of one metric.
#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    /// True when there is a plan to date (phased or the straight line) to compare with.
    pub shown: bool,
    /// True when the plan is a phased one (a Plan sheet or the children's), not the line.
    pub phased: bool,
    /// P(t): "62,000 k JPY", or "–".
    pub plan_to_date: String,
    /// The plan at the deadline (phased plans only): "120,000 k JPY", or "–".
    pub plan_total: String,
    /// (v2) The plan at the deadline, phased or the straight line's end (the target):
    /// "120,000 k JPY", or "–".
    pub full_year_plan: String,
    /// (v2) True when there is a forecast and a full-year plan to compare it with.
    pub forecast_shown: bool,
    /// (v2) 着地差異: forecast − full-year plan, favourable or not like `variance`.
    pub forecast_variance: VarianceView,
    /// (v2) forecast / full-year plan: "95.3%", or "–".
    pub forecast_attainment: String,
    /// v = A − P(t).
    pub variance: VarianceView,
    /// a = A / P(t): "95.3%", or "–".
    pub attainment: String,
    /// ê, the progress expected by now: "52.1%", or "–".
    pub expected_progress: String,
    /// The forecast method used, in words: "run rate" / "達成率ペース"; empty for rollups.
    pub forecast_method: String,
    /// "Seasonal budget" / "月次予算" or "Straight line" / "直線按分": where the plan
    /// comes from.
    pub plan_basis: String,
    /// The last `RECENT_PERIODS` periods that have started by the report date, oldest first.
    pub periods: Vec<PeriodRow>,
    /// The unit of the periods' amounts, for the table's title ("k JPY"); empty when the
    /// amounts carry their own (`%`) or there is none.
    pub unit: String,
}

/// The fixed texts of the 予実 parts, in the report language.
#[derive(Debug, Clone, Serialize)]
pub struct PlanLabels {
    pub plan_to_date: &'static str,
    pub plan_total: &'static str,
    /// (v2) The forecast's variance and attainment against the full-year plan.
    pub forecast_variance: &'static str,
    pub forecast_attainment: &'static str,
    pub variance: &'static str,
    pub attainment: &'static str,
    pub expected_progress: &'static str,
    pub forecast_method: &'static str,
    /// The title of the plan-vs-actual table.
    pub recent: &'static str,
    pub period: &'static str,
    pub plan: &'static str,
    pub actual: &'static str,
}

impl PlanLabels {
    pub fn new(lang: Lang) -> PlanLabels {
        let l = |en, ja| lang.pick(en, ja);
        PlanLabels {
            plan_to_date: l("Plan to date", "計画(累計)"),
            plan_total: l("Full-year plan", "年間計画"),
            forecast_variance: l("Forecast vs plan", "着地差異"),
            forecast_attainment: l("Forecast attainment", "着地達成率"),
            variance: l("Variance", "差異"),
            attainment: l("Attainment", "達成率"),
            expected_progress: l("Expected by now", "計画進捗率"),
            forecast_method: l("Forecast method", "着地見込方法"),
            recent: l("Plan vs actual, recent periods", "直近の予実"),
            period: l("Period", "期間"),
            plan: l("Plan", "計画"),
            actual: l("Actual", "実績"),
        }
    }
}

const FAVOURABLE_INK: &str = "#116329";
const FAVOURABLE_FILL: &str = "#e6f4ea";
const UNFAVOURABLE_INK: &str = "#a3151f";
const UNFAVOURABLE_FILL: &str = "#fdecec";
const NEUTRAL_INK: &str = "#4b5563";
const NEUTRAL_FILL: &str = "#f3f5f8";

/// A variance with its sign, word and colours; `favourable` is the analysis's judgement.
pub fn variance_view(
    variance: Option<f64>,
    favourable: Option<bool>,
    amount: Amount,
    lang: Lang,
) -> VarianceView {
    let (Some(v), Some(good)) = (variance.filter(|v| v.is_finite()), favourable) else {
        return VarianceView {
            known: false,
            text: display::DASH.to_string(),
            word: "",
            symbol: "",
            label: display::DASH.to_string(),
            favourable: false,
            color: NEUTRAL_INK,
            background: NEUTRAL_FILL,
        };
    };
    let magnitude = amount(v.abs());
    // A variance that shows as zero in the unit's decimals is neither plus nor minus.
    let zero = magnitude == amount(0.0);
    let text = if zero {
        format!("±{magnitude}")
    } else if v < 0.0 {
        // Japanese ledgers mark a negative amount with a leading triangle.
        format!("{}{magnitude}", lang.pick("−", "△"))
    } else {
        format!("+{magnitude}")
    };
    let word = if good {
        lang.pick("favourable", "有利")
    } else {
        lang.pick("unfavourable", "不利")
    };
    VarianceView {
        known: true,
        label: format!("{text} {word}"),
        text,
        word,
        symbol: if good { "✓" } else { "!" },
        favourable: good,
        color: if good {
            FAVOURABLE_INK
        } else {
            UNFAVOURABLE_INK
        },
        background: if good {
            FAVOURABLE_FILL
        } else {
            UNFAVOURABLE_FILL
        },
    }
}

/// The forecast method in words.
pub fn forecast_method_text(method: ForecastMethod, lang: Lang) -> &'static str {
    match method {
        ForecastMethod::Auto => lang.pick("auto", "自動"),
        ForecastMethod::Trend => lang.pick("trend", "傾向"),
        ForecastMethod::RunRate => lang.pick("run rate", "達成率ペース"),
        ForecastMethod::Plan => lang.pick("plan", "計画"),
        ForecastMethod::Average3 => lang.pick("last 3 months' average", "直近3か月平均"),
    }
}

/// A period's name: the analysis's label, months in Japanese as `2026年10月`.
fn period_text(p: &PeriodFigures, lang: Lang) -> String {
    match (lang, p.period.kind) {
        (Lang::Ja, PeriodKind::Month) => {
            format!("{}年{}月", p.period.end.year(), p.period.end.month())
        }
        _ => p.period.label(),
    }
}

/// The last `RECENT_PERIODS` periods that started on or before `as_of` and have a plan of
/// their own (a phased plan): without one, plan and variance would be dashes.
fn recent_periods(
    periods: &[PeriodFigures],
    as_of: NaiveDate,
    amount: Amount,
    difference: Amount,
    lang: Lang,
) -> Vec<PeriodRow> {
    let started: Vec<&PeriodFigures> = periods
        .iter()
        .filter(|p| p.period.start <= as_of && p.plan.is_some())
        .collect();
    let skip = started.len().saturating_sub(RECENT_PERIODS);
    let value = |v: Option<f64>| v.map(amount).unwrap_or_else(|| display::DASH.to_string());
    started
        .into_iter()
        .skip(skip)
        .map(|p| PeriodRow {
            period: period_text(p, lang),
            plan: value(p.plan),
            actual: value(p.actual),
            variance: variance_view(p.variance, p.favourable, difference, lang),
        })
        .collect()
}

/// The 予実 view of a metric's figures. `amount` formats a value with its unit, `bare`
/// without it (the periods' table) and `unit` is what `bare` leaves out; `percent` says
/// the values are percentages, whose variances are shown in points (`+1.0 pt`).
pub fn plan_view(
    now: &Figures,
    amount: Amount,
    bare: Amount,
    unit: &str,
    percent: bool,
    lang: Lang,
) -> PlanView {
    let dash = || display::DASH.to_string();
    let phased = now.plan_source.is_phased();
    let points = |v: f64| display::points(v, lang);
    let (difference, bare_difference): (Amount, Amount) = if percent {
        (&points, &points)
    } else {
        (amount, bare)
    };
    PlanView {
        shown: now.plan_to_date.is_some(),
        phased,
        plan_to_date: now.plan_to_date.map(amount).unwrap_or_else(dash),
        plan_total: now.plan_total.map(amount).unwrap_or_else(dash),
        full_year_plan: now.full_year_plan.map(amount).unwrap_or_else(dash),
        forecast_shown: now.forecast_variance.is_some(),
        forecast_variance: variance_view(
            now.forecast_variance,
            now.forecast_favourable,
            difference,
            lang,
        ),
        forecast_attainment: now
            .forecast_attainment
            .map(display::percent)
            .unwrap_or_else(dash),
        variance: variance_view(now.variance, now.favourable, difference, lang),
        attainment: now.attainment.map(display::percent).unwrap_or_else(dash),
        expected_progress: now
            .expected_progress
            .map(display::percent)
            .unwrap_or_else(dash),
        forecast_method: now
            .forecast_method
            .map(|m| forecast_method_text(m, lang).to_string())
            .unwrap_or_default(),
        plan_basis: if phased {
            lang.pick("Phased budget", "月次予算")
        } else {
            lang.pick("Straight line", "直線按分")
        }
        .to_string(),
        periods: recent_periods(&now.periods, now.as_of, bare, bare_difference, lang),
        unit: unit.to_string(),
    }
}

/// The e-mail text's 予実 lines of a KGI (none without a plan to date), indented like the
/// other lines of its KGI:
/// `plan to date 62,000 k JPY, variance −2,900 k JPY unfavourable, attainment 95.3%` and
/// `forecast vs full-year plan 120,000 k JPY: −5,613 k JPY unfavourable, attainment 95.3%`
/// and `recent (k JPY): 2026-09 plan 10,000, actual 9,700, −300 unfavourable; …`.
pub fn text_lines(plan: &PlanView, lang: Lang) -> Vec<String> {
    if !plan.shown {
        return Vec::new();
    }
    let labels = PlanLabels::new(lang);
    let mut lines = vec![match lang {
        Lang::En => format!(
            "      plan to date {} ({}), variance {}, attainment {}",
            plan.plan_to_date,
            plan.plan_basis.to_lowercase(),
            plan.variance.label,
            plan.attainment
        ),
        Lang::Ja => format!(
            "      {} {}（{}）、{} {}、{} {}",
            labels.plan_to_date,
            plan.plan_to_date,
            plan.plan_basis,
            labels.variance,
            plan.variance.label,
            labels.attainment,
            plan.attainment
        ),
    }];
    if plan.forecast_shown {
        lines.push(match lang {
            Lang::En => format!(
                "      forecast vs full-year plan {}: {}, attainment {}",
                plan.full_year_plan, plan.forecast_variance.label, plan.forecast_attainment
            ),
            Lang::Ja => format!(
                "      {}（{} {}比）{}、{} {}",
                labels.forecast_variance,
                labels.plan_total,
                plan.full_year_plan,
                plan.forecast_variance.label,
                labels.forecast_attainment,
                plan.forecast_attainment
            ),
        });
    }
    if !plan.periods.is_empty() {
        let unit = if plan.unit.is_empty() {
            String::new()
        } else {
            format!(" ({})", plan.unit)
        };
        let rows: Vec<String> = plan
            .periods
            .iter()
            .map(|row| match lang {
                Lang::En => format!(
                    "{} plan {}, actual {}, {}",
                    row.period, row.plan, row.actual, row.variance.label
                ),
                Lang::Ja => format!(
                    "{} 計画 {}・実績 {}・{}",
                    row.period, row.plan, row.actual, row.variance.label
                ),
            })
            .collect();
        lines.push(match lang {
            Lang::En => format!("      recent{unit}: {}", rows.join("; ")),
            Lang::Ja => format!("      {}{unit}: {}", labels.recent, rows.join(" / ")),
        });
    }
    lines
}

#[cfg(test)]
mod tests;
