//! Unit tests of `report::xlsx::labels`.

use super::*;

#[test]
fn the_title_names_the_company_and_a_per_owner_reports_owner() {
    assert_eq!(report_title("", None, Lang::En), "KPI report");
    assert_eq!(report_title(" Acme ", None, Lang::En), "Acme KPI report");
    assert_eq!(
        report_title("Acme", Some("Sato"), Lang::En),
        "Acme KPI report — Sato"
    );
    assert_eq!(
        report_title("株式会社サンプル", Some("佐藤"), Lang::Ja),
        "株式会社サンプル KPIレポート（佐藤）"
    );
}
