//! Why a KPI ranks where it does, in one sentence: the same words in the HTML summary, the
//! workbook's Summary sheet and the e-mail text. The figures come from the analysis's
//! [`Priority`]; this only words them.

use crate::analysis::Priority;
use crate::display;
use crate::model::Lang;

/// `Carries 60.0% of “Annual sales” and is forecast to reach only 70.2% of target by its
/// deadline.` — its share of the KGI and the progress its shortfall was taken from.
pub fn priority_reason(priority: &Priority, kgi_name: &str, lang: Lang) -> String {
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

    #[test]
    fn the_sentence_follows_the_basis_of_the_shortfall() {
        assert_eq!(
            priority_reason(&priority(true, 0.702, false), "Annual sales", Lang::En),
            "Carries 40.0% of “Annual sales” and is forecast to reach only 70.2% of target by its deadline."
        );
        assert_eq!(
            priority_reason(&priority(false, 0.5, true), "年間売上高", Lang::Ja),
            "「年間売上高」への影響度40.0%。期限を過ぎて、進捗率は50.0%です。"
        );
        assert_eq!(
            priority_reason(&priority(false, 0.25, false), "Sales", Lang::En),
            "Carries 40.0% of “Sales” and stands at 25.0% of target (no forecast yet)."
        );
        assert_eq!(
            priority_reason(&priority(true, 1.1, false), "Sales", Lang::En),
            "Carries 40.0% of “Sales” and is forecast to reach 110.0% of target by its deadline."
        );
    }
}
