//! Unit tests of `config`.

use super::*;

#[test]
fn empty_config_gives_spec_defaults() {
    let s = Settings::parse("").unwrap();
    assert_eq!(s, Settings::default());
    assert_eq!(s.fiscal_year_start_month, 4);
    assert_eq!(s.thresholds.on_track, 0.95);
    assert_eq!(s.top_priorities, 5);
}

#[test]
fn unknown_key_is_named() {
    let err = Settings::parse("max_kpi_per_kgi = 3").unwrap_err();
    assert!(err.contains("max_kpi_per_kgi"), "{err}");
    let err = Settings::parse("[thresholds]\non_trak = 0.9").unwrap_err();
    assert!(err.contains("on_trak"), "{err}");
}

#[test]
fn wrong_type_is_named() {
    let err = Settings::parse("stale_grace_days = \"seven\"").unwrap_err();
    assert!(err.contains("stale_grace_days"), "{err}");
}

#[test]
fn values_are_validated() {
    assert!(Settings::parse("fiscal_year_start_month = 13").is_err());
    assert!(Settings::parse("[thresholds]\non_track = 0.5\nat_risk = 0.8").is_err());
    assert!(Settings::parse("output_name = \"../x\"").is_err());
    assert!(Settings::parse("[names.columns]\ntargett = [\"x\"]").is_err());
    let err = Settings::parse("[email]\nto = [\"sato at example.com\"]").unwrap_err();
    assert!(err.contains("email.to"), "{err}");
    let s = Settings::parse("lang = \"ja\"\n[names.columns]\ntarget = [\"計画\"]").unwrap();
    assert_eq!(s.lang, Some(Lang::Ja));
    assert_eq!(s.extra_column_names("target"), ["計画".to_string()]);
}

#[test]
fn max_metrics_fits_a_report_sheet() {
    assert_eq!(Settings::default().limits.max_metrics, 250_000);
    let s = Settings::parse("[limits]\nmax_metrics = 1048575").unwrap();
    assert_eq!(s.limits.max_metrics, EXCEL_DATA_ROWS);
    let err = Settings::parse("[limits]\nmax_metrics = 1048576").unwrap_err();
    assert!(err.contains("limits.max_metrics"), "{err}");
    assert!(Settings::parse("[limits]\nmax_metrics = 0").is_err());
}

#[test]
fn sources_are_read_and_checked() {
    let s = Settings::parse(
        r#"
[[sources]]
path = "exports/*.csv"
key = ["勘定科目コード", "部門"]
date = "月"
value = "金額"
encoding = "Shift_JIS"
where = { "部門" = ["営業1部"] }

[[sources]]
path = "costs.xlsx"
sheet = "仕訳"
"#,
    )
    .unwrap();
    assert_eq!(s.sources.len(), 2);
    assert_eq!(s.sources[0].encoding, TextEncoding::Cp932);
    assert_eq!(s.sources[0].filter["部門"], ["営業1部".to_string()]);
    assert_eq!(s.sources[1].sheet.as_deref(), Some("仕訳"));
    for (text, expected) in [
        (
            "[[sources]]\npath = \"a.csv\"\nencoding = \"ebcdic\"",
            "unknown encoding",
        ),
        (
            "[[sources]]\npath = \"a.csv\"\nrole = \"budget\"",
            "expected actuals or plan",
        ),
        (
            "[[sources]]\npath = \"a.csv\"\nshape = \"grid\"",
            "not supported",
        ),
        (
            "[[sources]]\npath = \"a.csv\"\nshape = \"long\"",
            "date and value",
        ),
        ("[[sources]]\nkey = [\"a\"]", "path is required"),
        (
            "[[sources]]\npath = \"a.csv\"\nvalues = \"x\"",
            "unknown field",
        ),
    ] {
        let err = Settings::parse(text).unwrap_err();
        assert!(err.contains(expected), "{text}: {err}");
    }
}
