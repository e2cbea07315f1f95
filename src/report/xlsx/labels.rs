//! The words of the workbook in English and Japanese: sheet names, column headers and the
//! labels of enumerations. Japanese follows the vocabulary Japanese KPI practice uses
//! (目標値, 実績, 進捗率, 期限, 担当者, 測定頻度, 優先順位).

use crate::model::{Aggregation, Direction, ForecastMethod, Frequency, Kind, Lang, Rollup};

/// Sheet names in the report language.
pub struct SheetNames {
    pub summary: &'static str,
    pub kpis: &'static str,
    pub monthly: &'static str,
    pub priorities: &'static str,
    pub tree: &'static str,
    pub trend: &'static str,
    pub checks: &'static str,
}

impl SheetNames {
    pub fn new(lang: Lang) -> SheetNames {
        SheetNames {
            summary: lang.pick("Summary", "サマリー"),
            kpis: lang.pick("KPIs", "KPI一覧"),
            monthly: lang.pick("Monthly", "予実"),
            priorities: lang.pick("Priorities", "優先順位"),
            tree: lang.pick("Tree", "ツリー"),
            trend: lang.pick("Trend", "推移"),
            checks: lang.pick("Checks", "チェック"),
        }
    }
}

/// KGI, KPI or KDI: the same letters in both languages.
pub fn kind(kind: Kind) -> &'static str {
    match kind {
        Kind::Kgi => "KGI",
        Kind::Kpi => "KPI",
        Kind::Kdi => "KDI",
    }
}

pub fn direction(direction: Direction, lang: Lang) -> &'static str {
    match direction {
        Direction::Increase => lang.pick("Increase", "増加"),
        Direction::Decrease => lang.pick("Decrease", "減少"),
        Direction::StayAbove => lang.pick("Stay above", "以上を維持"),
        Direction::StayBelow => lang.pick("Stay below", "以下に抑える"),
    }
}

pub fn frequency(frequency: Frequency, lang: Lang) -> &'static str {
    match frequency {
        Frequency::Daily => lang.pick("Daily", "日次"),
        Frequency::Weekly => lang.pick("Weekly", "週次"),
        Frequency::Monthly => lang.pick("Monthly", "月次"),
        Frequency::Quarterly => lang.pick("Quarterly", "四半期"),
        Frequency::Yearly => lang.pick("Yearly", "年次"),
    }
}

/// (v2) How values add up over time.
pub fn aggregation(aggregation: Aggregation, lang: Lang) -> &'static str {
    match aggregation {
        Aggregation::Last => lang.pick("Last", "最新値"),
        Aggregation::Sum => lang.pick("Sum", "合計"),
        Aggregation::Average => lang.pick("Average", "平均"),
    }
}

/// (v2) The forecast method used (着地見込みの方法).
pub fn forecast_method(method: ForecastMethod, lang: Lang) -> &'static str {
    match method {
        ForecastMethod::Auto => lang.pick("Auto", "自動"),
        ForecastMethod::Trend => lang.pick("Trend", "傾向"),
        ForecastMethod::RunRate => lang.pick("Run rate", "達成率ペース"),
        ForecastMethod::Plan => lang.pick("Plan", "計画どおり"),
        ForecastMethod::Average3 => lang.pick("3-period average", "直近3か月平均"),
    }
}

pub fn rollup(rollup: Rollup, lang: Lang) -> &'static str {
    match rollup {
        Rollup::Weighted => lang.pick("Weighted", "加重平均"),
        Rollup::Sum => lang.pick("Sum", "合計"),
    }
}

/// The report's title, with the company when one is configured.
/// "Acme KPI report", and for a per-owner report "Acme KPI report — Sato" /
/// "Acme KPIレポート（佐藤）".
pub fn report_title(company: &str, owner: Option<&str>, lang: Lang) -> String {
    let title = lang.pick("KPI report", "KPIレポート");
    let title = if company.trim().is_empty() {
        title.to_string()
    } else {
        format!("{} {title}", company.trim())
    };
    match (owner, lang) {
        (Some(owner), Lang::En) => format!("{title} — {owner}"),
        (Some(owner), Lang::Ja) => format!("{title}（{owner}）"),
        (None, _) => title,
    }
}

#[cfg(test)]
mod tests;
