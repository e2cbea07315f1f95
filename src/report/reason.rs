//! Why a KPI ranks where it does, in one sentence: the same words in the HTML summary, the
//! workbook's Summary sheet and the e-mail text. The figures come from the analysis's
//! [`Priority`]; this only words them.

use crate::analysis::{MetricReport, Priority};
use crate::display;
use crate::model::{Direction, Lang};

/// Why a KPI ranks where it does: for a floor or ceiling its forecast (else its actual)
/// crosses, the projected overrun or shortfall against the limit; otherwise the progress
/// its shortfall was taken from. `report` is the priority's metric.
pub fn priority_reason(
    priority: &Priority,
    report: Option<&MetricReport>,
    kgi_name: &str,
    lang: Lang,
) -> String {
    let limit = report.and_then(|r| {
        let amount = |v: f64| display::amount(v, r.metric.unit.as_ref());
        limit_reason(
            r,
            &display::percent(priority.impact),
            kgi_name,
            &amount,
            lang,
        )
    });
    limit.unwrap_or_else(|| progress_reason(priority, kgi_name, lang))
}

/// `Carries 60.0% of “Annual sales” and is forecast to reach only 70.2% of target by its
/// deadline.` — its share of the KGI and the progress its shortfall was taken from.
fn progress_reason(priority: &Priority, kgi_name: &str, lang: Lang) -> String {
    let impact = display::percent(priority.impact);
    let progress = display::percent(priority.basis);
    let reaches = priority.reaches_target();
    match lang {
        Lang::En => {
            let second = match (priority.from_forecast, reaches) {
                (true, false) => {
                    format!("is forecast to reach only {progress} of target by its deadline")
                }
                (true, true) => {
                    format!("is forecast to reach {progress} of target by its deadline")
                }
                (false, _) if priority.deadline_passed => {
                    format!("stands at {progress} of target past its deadline")
                }
                (false, _) => format!("stands at {progress} of target (no forecast yet)"),
            };
            format!("Carries {impact} of “{kgi_name}” and {second}.")
        }
        Lang::Ja => {
            let second = match (priority.from_forecast, reaches) {
                (true, false) => format!("期限時点の達成見込みは{progress}にとどまります"),
                (true, true) => format!("期限時点の達成見込みは{progress}です"),
                (false, _) if priority.deadline_passed => {
                    format!("期限を過ぎて、進捗率は{progress}です")
                }
                (false, _) => format!("現在の進捗率は{progress}です(予測なし)"),
            };
            format!("「{kgi_name}」への影響度{impact}。{second}。")
        }
    }
}

/// The priority sentence of a floor or ceiling the forecast (else the actual) crosses: a
/// cost line projected over its budget, a margin projected under its floor. `None` for the
/// other metrics, whose sentence is the progress one.
fn limit_reason(
    r: &MetricReport,
    impact: &str,
    kgi_name: &str,
    amount: &dyn Fn(f64) -> String,
    lang: Lang,
) -> Option<String> {
    let direction = r.metric.direction;
    let target = r.metric.target?;
    let (value, projected) = match (r.now.forecast, r.now.actual) {
        (Some(f), _) => (f, true),
        (None, Some(a)) => (a, false),
        (None, None) => return None,
    };
    let crosses = match direction {
        Direction::StayBelow => value > target,
        Direction::StayAbove => value < target,
        Direction::Increase | Direction::Decrease => false,
    };
    if !crosses {
        return None;
    }
    let (value, limit) = (amount(value), amount(target));
    let ceiling = direction == Direction::StayBelow;
    Some(match lang {
        Lang::En => {
            let what = match (ceiling, projected) {
                (true, true) => format!(
                    "is projected to overrun its ceiling: {value} at its deadline against {limit}"
                ),
                (true, false) => format!("is over its ceiling: {value} against {limit}"),
                (false, true) => format!(
                    "is projected to fall below its floor: {value} at its deadline against {limit}"
                ),
                (false, false) => format!("is below its floor: {value} against {limit}"),
            };
            format!("Carries {impact} of “{kgi_name}” and {what}.")
        }
        Lang::Ja => {
            let what = match (ceiling, projected) {
                (true, true) => {
                    format!("期限時点の見込み{value}が上限{limit}を超える見込みです(超過)")
                }
                (true, false) => format!("実績{value}が上限{limit}を超えています"),
                (false, true) => {
                    format!("期限時点の見込み{value}が下限{limit}を下回る見込みです")
                }
                (false, false) => format!("実績{value}が下限{limit}を下回っています"),
            };
            format!("「{kgi_name}」への影響度{impact}。{what}。")
        }
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn priority(from_forecast: bool, basis: f64, deadline_passed: bool) -> Priority {
        Priority {
            rank: 1,
            id: "B2".to_string(),
            metric: 0,
            score: 0.4 * (1.0 - basis),
            impact: 0.4,
            shortfall_ratio: (1.0 - basis).clamp(0.0, 1.0),
            from_forecast,
            basis,
            deadline_passed,
            deadline: NaiveDate::from_ymd_opt(2027, 3, 31).unwrap_or_default(),
        }
    }

    fn priority_reason_of(p: &Priority, kgi_name: &str, lang: Lang) -> String {
        priority_reason(p, None, kgi_name, lang)
    }

    #[test]
    fn the_sentence_follows_the_basis_of_the_shortfall() {
        assert_eq!(
            priority_reason_of(&priority(true, 0.702, false), "Annual sales", Lang::En),
            "Carries 40.0% of “Annual sales” and is forecast to reach only 70.2% of target by its deadline."
        );
        assert_eq!(
            priority_reason_of(&priority(false, 0.5, true), "年間売上高", Lang::Ja),
            "「年間売上高」への影響度40.0%。期限を過ぎて、進捗率は50.0%です。"
        );
        assert_eq!(
            priority_reason_of(&priority(false, 0.25, false), "Sales", Lang::En),
            "Carries 40.0% of “Sales” and stands at 25.0% of target (no forecast yet)."
        );
        assert_eq!(
            priority_reason_of(&priority(true, 1.1, false), "Sales", Lang::En),
            "Carries 40.0% of “Sales” and is forecast to reach 110.0% of target by its deadline."
        );
    }
}
