//! Unit tests of `plan_view`: the words, signs and colours of variances, the recent
//! periods and the sentence of a crossed floor or ceiling.

use super::*;

fn yen(v: f64) -> String {
    display::amount(v, crate::model::Unit::new("千円").as_ref())
}

#[test]
fn a_variance_says_favourable_or_not_by_sign_and_word_not_colour_alone() {
    let bad = variance_view(Some(-2900.0), Some(false), &yen, Lang::En);
    assert_eq!(bad.text, "−2,900千円");
    assert_eq!(bad.label, "−2,900千円 unfavourable");
    assert_eq!((bad.symbol, bad.color), ("!", UNFAVOURABLE_INK));
    // A cost over budget: a plus that is bad news.
    let over = variance_view(Some(850.0), Some(false), &yen, Lang::Ja);
    assert_eq!(over.label, "+850千円 不利");
    // Japanese negatives carry the triangle.
    let under = variance_view(Some(-400.0), Some(true), &yen, Lang::Ja);
    assert_eq!(under.label, "△400千円 有利");
    assert_eq!(under.color, FAVOURABLE_INK);
    let zero = variance_view(Some(0.0), Some(true), &yen, Lang::En);
    assert_eq!(zero.text, "±0千円");
    let unknown = variance_view(None, None, &yen, Lang::En);
    assert!(!unknown.known);
    assert_eq!((unknown.text.as_str(), unknown.word), ("–", ""));
}

#[test]
fn forecast_methods_are_named_in_both_languages() {
    assert_eq!(
        forecast_method_text(ForecastMethod::RunRate, Lang::En),
        "run rate"
    );
    assert_eq!(
        forecast_method_text(ForecastMethod::Average3, Lang::Ja),
        "直近3か月平均"
    );
}
