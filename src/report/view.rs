//! The view model of a report: the analysis as display-ready strings ([`SummaryView`]),
//! what the HTML summary's templates print and the e-mail's text part words, so the two
//! always say the same. Every field is documented in the README ("Templates").

use serde::Serialize;

use crate::analysis::{ActualSource, MetricReport, Priority};
use crate::display;
use crate::findings::{Finding, Severity};
use crate::model::{Aggregation, Direction, Kind, Lang, Status, Unit};

use super::context::ReportContext;
use super::palette::{severity_colours, status_colours};
use super::plan_view::{plan_view, PlanLabels, PlanView};
use super::reason::priority_reason;

/// At most this many KGI cards are shown (an e-mail body must stay small); the rest are
/// counted.
pub const MAX_KGI_CARDS: usize = 20;
/// At most this many KPI tree rows are shown; the rest are counted (the workbook has all).
pub const MAX_TREE_ROWS: usize = 200;
/// At most this many findings are shown; the rest are counted.
pub const MAX_FINDINGS: usize = 100;

/// Everything the page template gets, at the top level of its context.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryView {
    /// `en` or `ja`, for `<html lang>`.
    pub lang: &'static str,
    /// `kpi-report 0.1.0`.
    pub generator: String,
    /// "KPI report" / "KPIレポート".
    pub title: String,
    /// `company` from the config; empty when not set.
    pub company: String,
    /// The input's file name.
    pub source: String,
    /// The report date, `YYYY-MM-DD`.
    pub as_of: String,
    /// The end of the previous month, the base of every "change since last month".
    pub previous_as_of: String,
    /// One line for the inbox preview (hidden preheader).
    pub preheader: String,
    /// How many KGIs stand in each status, worst first; statuses with no KGI left out.
    pub overview: Vec<StatusCount>,
    /// Every fixed text of the page in the report language.
    pub labels: Labels,
    /// The first `MAX_KGI_CARDS` KGIs in tree order.
    pub kgis: Vec<KgiCard>,
    /// Like `tree_more`, for KGI cards.
    pub kgis_more: String,
    /// The top `top_priorities` of the ranking.
    pub priorities: Vec<PriorityRow>,
    /// Length of the full ranking.
    pub priorities_total: usize,
    /// The KPI tree in order, each KGI followed by its KPIs and KDIs.
    pub tree: Vec<TreeRow>,
    /// "… and 12 more in the workbook" when the tree was cut; empty otherwise.
    pub tree_more: String,
    pub findings: Vec<FindingRow>,
    /// Like `tree_more`, for findings.
    pub findings_more: String,
    /// "2 warnings, 1 info" / "警告 2件・情報 1件"; empty when there are none.
    pub findings_summary: String,
    /// How many findings of each severity (all of them, not only those shown).
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

/// A status as shown: never colour alone, always a symbol and a word too.
#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    /// `on_track`, `at_risk`, ... (the JSON's status).
    pub key: &'static str,
    /// "On track" / "順調".
    pub label: &'static str,
    /// ● ▲ ✕ ★ ○ –
    pub symbol: &'static str,
    /// `symbol label`: "● On track".
    pub text: String,
    /// Text colour (`#rrggbb`).
    pub color: &'static str,
    /// Badge background.
    pub background: &'static str,
    /// Progress bar fill.
    pub bar: &'static str,
    /// True for at_risk, off_track and overdue.
    pub bad: bool,
}

/// A horizontal bar: widths are percentages clamped to 0–100, ready for `width="…"`.
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    /// The value as text: "49.6%" (not clamped: "112.0%").
    pub text: String,
    /// Filled width: "49.6%".
    pub fill: String,
    /// Remaining width: "50.4%".
    pub rest: String,
    pub has_fill: bool,
    pub has_rest: bool,
    /// Fill colour.
    pub color: &'static str,
}

/// A change since the previous month-end.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// "+7.2 pt" / "+7.2pt"; "–" when either month has no progress.
    pub text: String,
    /// ↑ ↓ → or empty.
    pub arrow: &'static str,
    /// `up`, `down`, `flat` or `none`.
    pub direction: &'static str,
    pub color: &'static str,
    /// The previous status.
    pub previous_status: StatusView,
    /// True when the status changed since last month.
    pub status_changed: bool,
    /// "was At risk" / "前月: 要注意" when the status changed; empty otherwise.
    pub status_text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusCount {
    pub status: StatusView,
    pub count: usize,
    /// "2 On track" / "順調 2".
    pub text: String,
}

/// One KGI card.
#[derive(Debug, Clone, Serialize)]
pub struct KgiCard {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub owner: String,
    pub status: StatusView,
    /// Progress p: "49.6%", or "–".
    pub progress: String,
    pub progress_bar: Bar,
    /// Share of the period elapsed: "58.5%".
    pub elapsed: String,
    pub elapsed_bar: Bar,
    /// "49,600,000 JPY", or "–" (a weighted rollup has no value of its own).
    pub actual: String,
    pub target: String,
    /// Remaining gap in the unit: "50,400,000 JPY"; "–" when unknown. Against a ceiling the
    /// budget left (or the overrun), against a floor the margin above it (or below it):
    /// `words.shortfall` says which.
    pub shortfall: String,
    /// (v2) `ceiling` (stay_below), `floor` (stay_above) or empty (a target to reach).
    pub limit: &'static str,
    /// (v2) The card's labels, in the words of its direction: a ceiling's "Budget used",
    /// "Budget left", a floor's "Floor", ...
    pub words: CardWords,
    /// (v2) The forecast's headline: the forecast progress ("95.3%") for a target, the
    /// forecast value for a ceiling or a floor ("37,530 k JPY"); "–" when none.
    pub forecast_main: String,
    /// (v2) The line under it: the forecast value for a target, its share of the ceiling
    /// or floor otherwise ("104.2% of the ceiling"); empty when none.
    pub forecast_note: String,
    /// Pace as a share of plan: "85%".
    pub pace: String,
    /// Forecast value at the deadline: "84,384,378 JPY"; "–" when none.
    pub forecast: String,
    /// Forecast progress p̂: "84.4%"; "–" when none.
    pub forecast_progress: String,
    pub deadline: String,
    /// "151 days left", "due today", "12 days overdue" / "残り151日", "本日期限", "12日超過".
    pub days_left: String,
    pub days_left_number: i64,
    pub overdue: bool,
    pub change: Change,
    /// "3 KPIs" / "KPI 3件": its direct children.
    pub children: String,
    /// "Progress is the weighted mean of its KPIs" (weighted rollup) or the sum note; empty
    /// when the KGI has its own actual.
    pub basis_note: String,
    /// (v2) Plan to date, variance, attainment and the recent periods (予実).
    pub plan: PlanView,
}

/// (v2) The labels of a KGI card that depend on its direction.
#[derive(Debug, Clone, Serialize)]
pub struct CardWords {
    /// "Actual"; "Spent to date" / "実績(累計)" for a ceiling on amounts that add up.
    pub actual: &'static str,
    /// "Progress"; "Budget used" / "予算消化率" for a ceiling; "Value vs floor" for a floor.
    pub progress: &'static str,
    /// "Target"; "Budget (ceiling)" / "予算(上限)"; "Floor" / "下限".
    pub target: &'static str,
    /// "Remaining"; "Budget left" / "残予算" or "Over budget" / "予算超過"; "Above the
    /// floor" / "下限との差" or "Below the floor" / "下限割れ".
    pub shortfall: &'static str,
    /// "Forecast at deadline"; "Projected landing" / "着地見込み" for a ceiling or floor.
    pub forecast: &'static str,
    /// "Plan to date"; "Budget to date" / "予算(累計)" for a ceiling.
    pub plan_to_date: &'static str,
    /// "Full-year plan"; "Full-year budget" / "年間予算" for a ceiling.
    pub full_year: &'static str,
}

/// One entry of the priority ranking, with the parts of its score.
#[derive(Debug, Clone, Serialize)]
pub struct PriorityRow {
    pub rank: usize,
    pub id: String,
    pub name: String,
    /// "KPI" or "KDI".
    pub kind: &'static str,
    pub owner: String,
    pub status: StatusView,
    pub kgi_id: String,
    pub kgi_name: String,
    /// Score, 3 decimals: "0.195".
    pub score: String,
    /// Share of the KGI: "40.0%".
    pub impact: String,
    /// clamp(1 − p̂, 0, 1) (or with p): "48.6%".
    pub shortfall_ratio: String,
    /// True when the ratio came from the forecast p̂, false from current progress p.
    pub from_forecast: bool,
    /// "forecast" / "現状" … the basis in words.
    pub basis: String,
    /// The progress the ratio was taken from: "51.4%".
    pub basis_progress: String,
    /// Current progress: "23.8%".
    pub progress: String,
    pub deadline: String,
    pub days_left: String,
    /// "0.195 = 40.0% × 48.6%".
    pub formula: String,
    /// The reason in one sentence, in the report language.
    pub reason: String,
}

/// One node of the KPI tree.
#[derive(Debug, Clone, Serialize)]
pub struct TreeRow {
    pub id: String,
    pub name: String,
    /// "KGI", "KPI" or "KDI".
    pub kind: &'static str,
    pub is_kgi: bool,
    /// 0 for a KGI (or an unlinked KPI), 1 for its KPIs, ...
    pub depth: usize,
    /// Left padding for the indentation: "12px" + 16 px per level.
    pub indent: String,
    /// "└ " for nodes below the top, empty for the top.
    pub branch: &'static str,
    pub owner: String,
    pub status: StatusView,
    pub progress: String,
    pub progress_bar: Bar,
    pub pace: String,
    pub actual: String,
    pub target: String,
    pub change: Change,
    /// (v2) Plan to date, variance and attainment; its `periods` are left empty.
    pub plan: PlanView,
}

/// One finding of the health checks.
#[derive(Debug, Clone, Serialize)]
pub struct FindingRow {
    pub code: &'static str,
    /// `error`, `warning` or `info`.
    pub severity: &'static str,
    /// "warning" / "警告".
    pub severity_label: &'static str,
    /// ✕ ▲ ○
    pub symbol: &'static str,
    pub color: &'static str,
    pub background: &'static str,
    pub message: String,
    /// `KPI!A5`; empty for the whole file.
    pub location: String,
    /// The metric's id and name, when the finding is about one: "B2 New sales".
    pub metric: String,
}

/// Every fixed text of the page, in the report language.
#[derive(Debug, Clone, Serialize)]
pub struct Labels {
    /// (v2) The texts of the 予実 parts: `labels.plan.variance`, ...
    pub plan: PlanLabels,
    pub as_of: &'static str,
    pub previous: &'static str,
    pub source: &'static str,
    /// ": " / "：", after a label followed by its value.
    pub colon: &'static str,
    pub kgis: &'static str,
    pub kgis_intro: &'static str,
    pub no_kgis: &'static str,
    pub progress: &'static str,
    pub elapsed: &'static str,
    pub actual: &'static str,
    pub target: &'static str,
    pub shortfall: &'static str,
    pub pace: &'static str,
    pub forecast: &'static str,
    pub deadline: &'static str,
    pub days_left: &'static str,
    pub change: &'static str,
    /// A shorter `change` for narrow table headers.
    pub change_short: &'static str,
    pub owner: &'static str,
    pub priorities: &'static str,
    pub priorities_intro: &'static str,
    pub no_priorities: &'static str,
    pub rank: &'static str,
    pub impact: &'static str,
    pub gap: &'static str,
    pub score: &'static str,
    pub tree: &'static str,
    pub tree_intro: &'static str,
    pub metric: &'static str,
    pub status: &'static str,
    pub checks: &'static str,
    pub checks_intro: &'static str,
    pub no_findings: &'static str,
    pub location: &'static str,
    pub generated_by: &'static str,
    pub footer_note: &'static str,
}

impl Labels {
    pub fn new(lang: Lang) -> Labels {
        let l = |en, ja| lang.pick(en, ja);
        Labels {
            plan: PlanLabels::new(lang),
            as_of: l("As of", "基準日"),
            previous: l("Last month-end", "前月末"),
            source: l("Source", "元データ"),
            colon: l(": ", "："),
            kgis: l("Goals (KGI)", "KGI(最終目標)"),
            kgis_intro: l(
                "Where each goal stands, whether it is on pace, and where it will land.",
                "各KGIの進捗率・ペース・期限時点の達成見込み",
            ),
            no_kgis: l(
                "No KGI in this workbook.",
                "このブックにはKGIがありません。",
            ),
            progress: l("Progress", "進捗率"),
            elapsed: l("Time elapsed", "期間経過率"),
            actual: l("Actual", "実績"),
            target: l("Target", "目標"),
            shortfall: l("Remaining", "目標まで残り"),
            pace: l("Pace vs plan", "ペース(計画比)"),
            forecast: l("Forecast at deadline", "達成見込み"),
            deadline: l("Deadline", "期限"),
            days_left: l("Days left", "残り日数"),
            change: l("Since last month", "前月比"),
            change_short: l("vs last month", "前月比"),
            owner: l("Owner", "担当"),
            priorities: l("Top priorities", "優先順位"),
            priorities_intro: l(
                "KPIs to focus on first: impact on the KGI × expected shortfall at the deadline.",
                "KGIへの影響度 × 期限時点の未達見込みが大きい順に、優先して取り組むKPIを示します。",
            ),
            no_priorities: l(
                "Nothing to prioritise: every KPI with data is achieved.",
                "優先して対応すべきKPIはありません(データのあるKPIはすべて達成)。",
            ),
            rank: l("Rank", "順位"),
            impact: l("Impact on KGI", "KGIへの影響度"),
            gap: l("Shortfall", "未達見込み"),
            score: l("Score", "スコア"),
            tree: l("KPI tree", "KPIツリー"),
            tree_intro: l(
                "Every KGI with the KPIs and KDIs under it.",
                "KGIと、それを構成するKPI・KDIの状況",
            ),
            metric: l("Metric", "指標"),
            status: l("Status", "状況"),
            checks: l("Checks", "チェック結果"),
            checks_intro: l(
                "How the goal set itself holds up against good KPI practice.",
                "目標設定そのもののチェック(KPI設定のポイントに基づく)",
            ),
            no_findings: l("No problems found.", "問題は見つかりませんでした。"),
            location: l("Where", "場所"),
            generated_by: l("Generated by", "作成ツール"),
            footer_note: l(
                "Figures as of the report date; the attached workbook has every metric.",
                "数値は基準日時点のものです。全指標の詳細は添付のブックをご覧ください。",
            ),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Building the view model.

/// The view model of one report.
pub fn view(ctx: &ReportContext) -> SummaryView {
    let lang = ctx.lang;
    let analysis = ctx.analysis;
    let all_kgis = || {
        analysis
            .metrics
            .iter()
            .filter(|r| r.metric.kind == Kind::Kgi)
    };
    let kgis: Vec<KgiCard> = all_kgis()
        .take(MAX_KGI_CARDS)
        .map(|r| kgi_card(r, lang))
        .collect();
    let kgis_more = more_text(all_kgis().count().saturating_sub(MAX_KGI_CARDS), lang);

    let mut overview: Vec<StatusCount> = Vec::new();
    for status in STATUS_ORDER {
        let count = analysis
            .metrics
            .iter()
            .filter(|r| r.metric.kind == Kind::Kgi && r.now.status == status)
            .count();
        if count > 0 {
            let label = status.label(lang);
            overview.push(StatusCount {
                status: status_view(status, lang),
                count,
                text: match lang {
                    Lang::En => format!("{count} {label}"),
                    Lang::Ja => format!("{label} {count}"),
                },
            });
        }
    }

    let priorities: Vec<PriorityRow> = analysis
        .priorities
        .iter()
        .take(ctx.settings.top_priorities)
        .filter_map(|p| priority_row(p, ctx))
        .collect();

    let tree: Vec<TreeRow> = analysis
        .metrics
        .iter()
        .take(MAX_TREE_ROWS)
        .map(|r| tree_row(r, lang))
        .collect();
    let tree_more = more_text(analysis.metrics.len().saturating_sub(MAX_TREE_ROWS), lang);

    let findings: Vec<FindingRow> = analysis
        .findings
        .iter()
        .take(MAX_FINDINGS)
        .map(|f| finding_row(f, ctx))
        .collect();
    let findings_more = more_text(analysis.findings.len().saturating_sub(MAX_FINDINGS), lang);

    let title = match (ctx.owner, lang) {
        (Some(owner), Lang::En) => format!("KPI report — {owner}"),
        (Some(owner), Lang::Ja) => format!("KPIレポート（{owner}）"),
        (None, _) => lang.pick("KPI report", "KPIレポート").to_string(),
    };
    let preheader = preheader(&title, &overview, &priorities, ctx);
    let count = |severity: Severity| {
        analysis
            .findings
            .iter()
            .filter(|f| f.severity() == severity)
            .count()
    };
    SummaryView {
        lang: lang.code(),
        generator: format!("kpi-report {}", env!("CARGO_PKG_VERSION")),
        title,
        company: ctx.settings.company.trim().to_string(),
        source: ctx.source.to_string(),
        as_of: fmt_date(analysis.as_of),
        previous_as_of: fmt_date(analysis.previous_as_of),
        preheader,
        overview,
        labels: Labels::new(lang),
        kgis,
        kgis_more,
        priorities,
        priorities_total: analysis.priorities.len(),
        tree,
        tree_more,
        findings,
        findings_more,
        findings_summary: findings_summary(&analysis.findings, lang),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        infos: count(Severity::Info),
    }
}

/// Worst first, as the overview lists them.
const STATUS_ORDER: [Status; 8] = [
    Status::Overdue,
    Status::OffTrack,
    Status::AtRisk,
    Status::OnTrack,
    Status::Achieved,
    Status::NotStarted,
    Status::NoData,
    Status::NoTarget,
];

fn preheader(
    title: &str,
    overview: &[StatusCount],
    priorities: &[PriorityRow],
    ctx: &ReportContext,
) -> String {
    let lang = ctx.lang;
    let counts: Vec<&str> = overview.iter().map(|c| c.text.as_str()).collect();
    let mut text = format!(
        "{title} {} · {}",
        fmt_date(ctx.analysis.as_of),
        counts.join(" · ")
    );
    if let Some(first) = priorities.first() {
        match lang {
            Lang::En => text.push_str(&format!(" · focus first: {}", first.name)),
            Lang::Ja => text.push_str(&format!(" · 最優先: {}", first.name)),
        }
    }
    text
}

fn more_text(more: usize, lang: Lang) -> String {
    if more == 0 {
        return String::new();
    }
    match lang {
        Lang::En => format!("… and {more} more in the workbook"),
        Lang::Ja => format!("…ほか{more}件はブックをご覧ください"),
    }
}

fn findings_summary(findings: &[Finding], lang: Lang) -> String {
    let parts: Vec<String> = [Severity::Error, Severity::Warning, Severity::Info]
        .into_iter()
        .filter_map(|severity| {
            let n = findings.iter().filter(|f| f.severity() == severity).count();
            (n > 0).then(|| match lang {
                Lang::En => {
                    let word = severity.label(lang);
                    if n == 1 {
                        format!("{n} {word}")
                    } else {
                        format!("{n} {word}s")
                    }
                }
                Lang::Ja => format!("{} {n}件", severity.label(lang)),
            })
        })
        .collect();
    parts.join(lang.pick(", ", "・"))
}

fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Kgi => "KGI",
        Kind::Kpi => "KPI",
        Kind::Kdi => "KDI",
    }
}

pub fn status_view(status: Status, lang: Lang) -> StatusView {
    let colours = status_colours(status);
    let label = status.label(lang);
    let symbol = status.symbol();
    StatusView {
        key: status.as_str(),
        label,
        symbol,
        text: format!("{symbol} {label}"),
        color: colours.ink,
        background: colours.fill,
        bar: colours.bar,
        bad: status.is_bad(),
    }
}

fn bar(fraction: Option<f64>, color: &'static str) -> Bar {
    let percent = fraction
        .filter(|f| f.is_finite())
        .map(|f| (f * 100.0).clamp(0.0, 100.0))
        .unwrap_or(0.0);
    // Rounded to one decimal so fill + rest is exactly 100.
    let fill = (percent * 10.0).round() / 10.0;
    let rest = ((1000.0 - fill * 10.0).round() / 10.0).max(0.0);
    Bar {
        text: fraction.map(display::percent).unwrap_or_else(dash),
        fill: format!("{fill:.1}%"),
        rest: format!("{rest:.1}%"),
        has_fill: fill > 0.0,
        has_rest: rest > 0.0,
        color,
    }
}

fn change(report: &MetricReport, lang: Lang) -> Change {
    let (now, previous) = (&report.now, &report.previous);
    let (text, arrow, direction, color) = match (report.progress_change(), now.progress) {
        (Some(change), _) => {
            let points = change * 100.0;
            let rounded = (points * 10.0).round() / 10.0;
            let unit = lang.pick(" pt", "pt");
            if rounded > 0.0 {
                (format!("+{rounded:.1}{unit}"), "↑", "up", "#116329")
            } else if rounded < 0.0 {
                (format!("−{:.1}{unit}", -rounded), "↓", "down", "#a3151f")
            } else {
                (format!("±0.0{unit}"), "→", "flat", "#4b5563")
            }
        }
        (None, Some(_)) => (lang.pick("new", "新規").to_string(), "", "none", "#4b5563"),
        _ => (dash(), "", "none", "#4b5563"),
    };
    // More of a budget used is neither good nor bad news by itself: no colour.
    let color = if report.metric.direction == Direction::StayBelow {
        "#4b5563"
    } else {
        color
    };
    let status_changed = now.status != previous.status;
    let previous_status = status_view(previous.status, lang);
    let status_text = if status_changed {
        match lang {
            Lang::En => format!("was {}", previous_status.text),
            Lang::Ja => format!("前月: {}", previous_status.text),
        }
    } else {
        String::new()
    };
    Change {
        text,
        arrow,
        direction,
        color,
        previous_status,
        status_changed,
        status_text,
    }
}

fn days_left_text(days: i64, lang: Lang) -> String {
    match (lang, days) {
        (Lang::En, 0) => "due today".to_string(),
        (Lang::En, 1) => "1 day left".to_string(),
        (Lang::En, d) if d > 0 => format!("{} days left", display::decimal(d as f64, 0, false)),
        (Lang::En, -1) => "1 day overdue".to_string(),
        (Lang::En, d) => format!("{} days overdue", display::decimal(-d as f64, 0, false)),
        (Lang::Ja, 0) => "本日期限".to_string(),
        (Lang::Ja, d) if d > 0 => format!("残り{}日", display::decimal(d as f64, 0, false)),
        (Lang::Ja, d) => format!("{}日超過", display::decimal(-d as f64, 0, false)),
    }
}

fn kgi_card(r: &MetricReport, lang: Lang) -> KgiCard {
    let m = &r.metric;
    let now = &r.now;
    let unit = m.unit.as_ref();
    let status = status_view(now.status, lang);
    let days = r.days_left();
    let children = r.children.len();
    let basis_note = match now.actual_source {
        ActualSource::Weighted => lang
            .pick(
                "Progress is the weighted mean of its KPIs.",
                "進捗率は配下KPIの加重平均です。",
            )
            .to_string(),
        ActualSource::Sum => lang
            .pick(
                "Actual is the sum of its KPIs in the same unit.",
                "実績は同じ単位の配下KPIの合計です。",
            )
            .to_string(),
        ActualSource::Own | ActualSource::Missing => String::new(),
    };
    let labels = Labels::new(lang);
    let amount = |v: f64| display::amount(v, unit);
    let difference = |v: f64| display::difference(v, unit, lang);
    let limit = match m.direction {
        Direction::StayBelow => "ceiling",
        Direction::StayAbove => "floor",
        Direction::Increase | Direction::Decrease => "",
    };
    // The shortfall is positive over a ceiling or under a floor (SPEC 4).
    let over = now.shortfall.is_some_and(|s| s > 0.0);
    let words = match m.direction {
        Direction::StayBelow => CardWords {
            actual: if now.aggregation == Aggregation::Sum {
                lang.pick("Spent to date", "実績(累計)")
            } else {
                labels.actual
            },
            progress: lang.pick("Budget used", "予算消化率"),
            target: lang.pick("Budget (ceiling)", "予算(上限)"),
            shortfall: if over {
                lang.pick("Over budget", "予算超過")
            } else {
                lang.pick("Budget left", "残予算")
            },
            forecast: lang.pick("Projected landing", "着地見込み"),
            plan_to_date: lang.pick("Budget to date", "予算(累計)"),
            full_year: lang.pick("Full-year budget", "年間予算"),
        },
        Direction::StayAbove => CardWords {
            actual: labels.actual,
            progress: lang.pick("Value vs floor", "下限比"),
            target: lang.pick("Floor", "下限"),
            shortfall: if over {
                lang.pick("Below the floor", "下限割れ")
            } else {
                lang.pick("Above the floor", "下限との差")
            },
            forecast: lang.pick("Projected landing", "着地見込み"),
            plan_to_date: labels.plan.plan_to_date,
            full_year: labels.plan.plan_total,
        },
        Direction::Increase | Direction::Decrease => CardWords {
            actual: labels.actual,
            progress: labels.progress,
            target: labels.target,
            shortfall: labels.shortfall,
            forecast: labels.forecast,
            plan_to_date: labels.plan.plan_to_date,
            full_year: labels.plan.plan_total,
        },
    };
    let shortfall = match (m.direction, now.shortfall) {
        (Direction::StayBelow | Direction::StayAbove, Some(v)) => difference(v.abs()),
        (_, Some(v)) => difference(v.max(0.0)),
        (_, None) => dash(),
    };
    let (forecast_main, forecast_note) = match (limit, now.forecast) {
        // Without a target there is no forecast progress: the value is the figure.
        ("", Some(forecast)) if now.forecast_progress.is_none() => {
            (amount(forecast), String::new())
        }
        ("", _) => (
            now.forecast_progress
                .map(display::percent)
                .unwrap_or_else(dash),
            now.forecast.map(amount).unwrap_or_default(),
        ),
        (_, Some(forecast)) => (
            amount(forecast),
            now.forecast_progress
                .map(|p| {
                    let p = display::percent(p);
                    match (m.direction, lang) {
                        (Direction::StayBelow, Lang::En) => format!("{p} of the ceiling"),
                        (Direction::StayBelow, Lang::Ja) => format!("上限の{p}"),
                        (_, Lang::En) => format!("{p} of the floor"),
                        (_, Lang::Ja) => format!("下限の{p}"),
                    }
                })
                .unwrap_or_default(),
        ),
        (_, None) => (dash(), String::new()),
    };
    KgiCard {
        id: m.id.clone(),
        name: m.name.clone(),
        unit: m.unit.as_deref().unwrap_or_default().to_string(),
        owner: m.owner.clone().unwrap_or_default(),
        progress: now.progress.map(display::percent).unwrap_or_else(dash),
        progress_bar: bar(now.progress, status.bar),
        elapsed: display::percent(now.elapsed),
        elapsed_bar: bar(Some(now.elapsed), "#9ca3af"),
        status,
        actual: now
            .actual
            .map(|v| display::amount(v, unit))
            .unwrap_or_else(dash),
        target: m
            .target
            .map(|t| display::amount(t, unit))
            .unwrap_or_else(dash),
        shortfall,
        limit,
        words,
        forecast_main,
        forecast_note,
        pace: now.pace.map(display::percent_whole).unwrap_or_else(dash),
        forecast: now
            .forecast
            .map(|v| display::amount(v, unit))
            .unwrap_or_else(dash),
        forecast_progress: now
            .forecast_progress
            .map(display::percent)
            .unwrap_or_else(dash),
        deadline: fmt_date(now.deadline),
        days_left: days_left_text(days, lang),
        days_left_number: days,
        overdue: days < 0,
        change: change(r, lang),
        children: match lang {
            Lang::En if children == 1 => "1 KPI".to_string(),
            Lang::En => format!("{children} KPIs"),
            Lang::Ja => format!("KPI {children}件"),
        },
        basis_note,
        plan: plan_view(
            now,
            &amount,
            &|v| display::amount(v, percent_unit(unit)),
            unit.filter(|u| !u.is_percent())
                .map(Unit::as_str)
                .unwrap_or_default(),
            unit.is_some_and(Unit::is_percent),
            lang,
        ),
    }
}

fn priority_row(p: &Priority, ctx: &ReportContext) -> Option<PriorityRow> {
    let lang = ctx.lang;
    let r = ctx.analysis.metric_of(p)?;
    let m = &r.metric;
    let kgi = ctx.analysis.kgi_of(r);
    let kgi_name = kgi.map(|k| k.metric.name.clone()).unwrap_or_default();
    let impact = display::percent(p.impact);
    let ratio = display::percent(p.shortfall_ratio);
    let basis = if p.from_forecast {
        lang.pick("forecast", "達成見込み")
    } else {
        lang.pick("current progress", "現在の進捗率")
    }
    .to_string();
    Some(PriorityRow {
        rank: p.rank,
        id: p.id.clone(),
        name: m.name.clone(),
        kind: kind_label(m.kind),
        owner: m.owner.clone().unwrap_or_default(),
        status: status_view(r.now.status, lang),
        kgi_id: kgi.map(|k| k.metric.id.clone()).unwrap_or_default(),
        reason: priority_reason(p, Some(r), &kgi_name, lang),
        kgi_name,
        score: format!("{:.3}", p.score),
        formula: format!("{:.3} = {impact} × {ratio}", p.score),
        impact,
        shortfall_ratio: ratio,
        from_forecast: p.from_forecast,
        basis,
        basis_progress: display::percent(p.basis),
        progress: r.now.progress.map(display::percent).unwrap_or_else(dash),
        deadline: fmt_date(p.deadline),
        days_left: days_left_text(r.days_left(), lang),
    })
}

fn tree_row(r: &MetricReport, lang: Lang) -> TreeRow {
    let m = &r.metric;
    let unit = m.unit.as_ref();
    let status = status_view(r.now.status, lang);
    TreeRow {
        id: m.id.clone(),
        name: m.name.clone(),
        kind: kind_label(m.kind),
        is_kgi: m.kind == Kind::Kgi,
        depth: r.depth,
        indent: format!("{}px", 8 + 16 * r.depth.min(8)),
        branch: if r.depth > 0 { "└ " } else { "" },
        owner: m.owner.clone().unwrap_or_default(),
        progress: r.now.progress.map(display::percent).unwrap_or_else(dash),
        progress_bar: bar(r.now.progress, status.bar),
        status,
        pace: r.now.pace.map(display::percent_whole).unwrap_or_else(dash),
        actual: r
            .now
            .actual
            .map(|v| display::amount(v, unit))
            .unwrap_or_else(dash),
        target: m
            .target
            .map(|t| display::amount(t, unit))
            .unwrap_or_else(dash),
        change: change(r, lang),
        plan: PlanView {
            periods: Vec::new(),
            ..plan_view(
                &r.now,
                &|v| display::amount(v, unit),
                &|v| display::amount(v, unit),
                "",
                unit.is_some_and(Unit::is_percent),
                lang,
            )
        },
    }
}

/// The unit a table's amounts keep when the unit is in the table's title: only `%`, which
/// changes how the value reads (fractions shown as percentages).
fn percent_unit(unit: Option<&Unit>) -> Option<&Unit> {
    unit.filter(|u| u.is_percent())
}

fn finding_row(f: &Finding, ctx: &ReportContext) -> FindingRow {
    let severity = f.severity();
    let symbol = match severity {
        Severity::Error => "✕",
        Severity::Warning => "▲",
        Severity::Info => "○",
    };
    let colours = severity_colours(severity);
    let (color, background) = (colours.ink, colours.fill);
    let metric = match f.id.as_deref() {
        Some(id) => match ctx.analysis.metric(id) {
            Some(r) => format!("{id} {}", r.metric.name),
            None => id.to_string(),
        },
        None => String::new(),
    };
    FindingRow {
        code: f.code().as_str(),
        severity: severity.as_str(),
        severity_label: severity.label(ctx.lang),
        symbol,
        color,
        background,
        message: f.message(ctx.lang),
        location: f.reference(),
        metric,
    }
}

// ---------------------------------------------------------------------------------------------
// Formatting for display.

fn dash() -> String {
    display::DASH.to_string()
}

pub fn fmt_date(date: chrono::NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Unit;

    #[test]
    fn amounts_follow_the_unit() {
        assert_eq!(
            display::amount(49_600_000.0, Unit::new("JPY").as_ref()),
            "49,600,000 JPY"
        );
        assert_eq!(
            display::amount(49_600_000.0, Unit::new("円").as_ref()),
            "49,600,000円"
        );
        assert_eq!(
            display::amount(2180.0, Unit::new("万円").as_ref()),
            "2,180万円"
        );
        assert_eq!(display::amount(1200.0, Unit::new("¥").as_ref()), "¥1,200");
        assert_eq!(display::amount(-1200.0, Unit::new("$").as_ref()), "-$1,200");
        assert_eq!(display::amount(0.031, Unit::new("%").as_ref()), "3.1%");
        assert_eq!(display::amount(87.474, Unit::new("件").as_ref()), "87.5件");
        assert_eq!(display::amount(84_384_378.14, None), "84,384,378");
        assert_eq!(display::amount(1.5, None), "1.5");
        assert_eq!(display::amount(-0.0001, None), "0");
    }

    #[test]
    fn percentages_and_bars_clamp_only_the_bar() {
        assert_eq!(display::percent(0.496), "49.6%");
        assert_eq!(display::percent_whole(0.8476), "85%");
        let over = bar(Some(1.12), "#000000");
        assert_eq!(over.text, "112.0%");
        assert_eq!((over.fill.as_str(), over.has_rest), ("100.0%", false));
        let under = bar(Some(-0.2), "#000000");
        assert_eq!((under.rest.as_str(), under.has_fill), ("100.0%", false));
        let mid = bar(Some(0.4964), "#000000");
        assert_eq!((mid.fill.as_str(), mid.rest.as_str()), ("49.6%", "50.4%"));
        let none = bar(None, "#000000");
        assert_eq!(none.text, "–");
    }

    #[test]
    fn days_left_in_both_languages() {
        assert_eq!(days_left_text(151, Lang::En), "151 days left");
        assert_eq!(days_left_text(0, Lang::En), "due today");
        assert_eq!(days_left_text(-12, Lang::En), "12 days overdue");
        assert_eq!(days_left_text(151, Lang::Ja), "残り151日");
        assert_eq!(days_left_text(-1, Lang::Ja), "1日超過");
    }
}
