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
    let err = Settings::parse("max_kpi_per_kgi = 3")
        .unwrap_err()
        .text(Lang::En);
    assert!(err.contains("max_kpi_per_kgi"), "{err}");
    let err = Settings::parse("[thresholds]\non_trak = 0.9")
        .unwrap_err()
        .text(Lang::En);
    assert!(err.contains("on_trak"), "{err}");
}

#[test]
fn wrong_type_is_named() {
    let err = Settings::parse("stale_grace_days = \"seven\"")
        .unwrap_err()
        .text(Lang::En);
    assert!(err.contains("stale_grace_days"), "{err}");
}

#[test]
fn values_are_validated() {
    assert!(Settings::parse("fiscal_year_start_month = 13").is_err());
    assert!(Settings::parse("[thresholds]\non_track = 0.5\nat_risk = 0.8").is_err());
    assert!(Settings::parse("output_name = \"../x\"").is_err());
    assert!(Settings::parse("[names.columns]\ntargett = [\"x\"]").is_err());
    let err = Settings::parse("[email]\nto = [\"sato at example.com\"]")
        .unwrap_err()
        .text(Lang::En);
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
    let err = Settings::parse("[limits]\nmax_metrics = 1048576")
        .unwrap_err()
        .text(Lang::En);
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
            "key [[sources]] #1 encoding: \"ebcdic\" is not known here",
        ),
        (
            "[[sources]]\npath = \"a.csv\"\nrole = \"budget\"",
            "write one of: actuals, plan",
        ),
        (
            "[[sources]]\npath = \"a.csv\"\nshape = \"diagonal\"",
            "write one of: auto, long, wide",
        ),
        (
            "[[sources]]\npath = \"a.csv\"\nshape = \"long\"",
            "date and value",
        ),
        ("[[sources]]\nkey = [\"a\"]", "path is required"),
        (
            "[[sources]]\npath = \"a.csv\"\nvalue = \"金額\"\ndebit = { key = [\"借方勘定科目\"], amount = \"借方金額\" }",
            "key [[sources]] #1 value: a journal source names each side's key and amount",
        ),
        (
            "[[sources]]\npath = \"a.csv\"\ncredit = { key = [], amount = \"貸方金額\" }",
            "key [[sources]] #1 credit: each side needs key",
        ),
        (
            "[[sources]]\npath = \"a.csv\"\nvalues = \"x\"",
            "line 3, key [[sources]] #1 values: unknown key",
        ),
    ] {
        let err = Settings::parse(text).unwrap_err().text(Lang::En);
        assert!(err.contains(expected), "{text}: {err}");
    }
}

/// Each config error in English and Japanese: its line, its key, and what to change.
#[test]
fn errors_name_line_key_and_fix_in_both_languages() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "lang = \"ja\"\n[thresholds]\non_trak = 0.9\n",
            "line 3, key thresholds.on_trak: unknown key; the keys here are: on_track, at_risk. Correct the spelling or delete the line",
            "3行目、キー thresholds.on_trak: 不明なキーです。ここで使えるキー: on_track, at_risk。綴りを直すか、この行を削除してください",
        ),
        (
            "\nstale_grace_days = \"seven\"\n",
            "line 2, key stale_grace_days: this key takes a whole number (3), not \"seven\"",
            "2行目、キー stale_grace_days: このキーの値は整数(例: 3)です(\"seven\" は使えません)",
        ),
        (
            "company = \"Acme\nlang = \"en\"\n",
            "line 1: not valid TOML",
            "1行目: TOMLとして読めません",
        ),
        (
            "[names.columns]\ntargett = [\"計画\"]\n",
            "line 2, key names.columns.targett: unknown key; the keys here are: id,",
            "2行目、キー names.columns.targett: 不明なキーです。ここで使えるキー: id,",
        ),
        (
            "[names.sheets]\nkpi = [\"\"]\n",
            "line 2, key names.sheets.kpi: an empty name matches nothing",
            "2行目、キー names.sheets.kpi: 空の名前は何にも一致しません",
        ),
        (
            "[[set]]\nmatch = [\"*\"]\n\n[[set]]\nmatch = [\"Travel\"]\ndirection = \"sideways\"\n",
            "line 6, key [[set]] #2 direction: \"sideways\" is not known here; write one of: increase, 増加,",
            "6行目、キー [[set]] #2 direction: 「sideways」は使えません。次のいずれかを書いてください: increase, 増加,",
        ),
        (
            "[[goal]]\nid = \"KGI\"\ndeadline = \"March\"\n",
            "line 3, key [[goal]] #1 deadline: \"March\" is not a date; write YYYY-MM-DD",
            "3行目、キー [[goal]] #1 deadline: 「March」は日付として読めません。YYYY-MM-DD で書いてください",
        ),
        (
            "[[set]]\nunit = \"円\"\n",
            "line 2, key [[set]] #1: match is missing; this table needs it",
            "2行目、キー [[set]] #1: match がありません",
        ),
        (
            "[smtp]\nhost = \"mail\"\npassword = \"hunter2\"\n",
            "line 3, key smtp.password: the password is never read from the config file; delete this line",
            "3行目、キー smtp.password: パスワードは設定ファイルから読みません。この行を削除し",
        ),
        (
            "[smtp]\nport = 0\n",
            "line 2, key smtp.port: must be a port from 1 to 65535",
            "2行目、キー smtp.port: 1〜65535のポート番号にしてください",
        ),
        (
            "[email]\nfrom = \"a@example.com\"\nto = [\"sato at example.com\"]\n",
            "line 3, key email.to: \"sato at example.com\": not an e-mail address",
            "3行目、キー email.to: 「sato at example.com」: メールアドレスではありません",
        ),
        (
            "[[sources]]\npath = \"a.csv\"\nshape = \"long\"\n",
            "line 3, key [[sources]] #1 shape: shape = \"long\" needs the date and value columns",
            "3行目、キー [[sources]] #1 shape: shape = \"long\" には日付と値の列が必要です",
        ),
        (
            "fiscal_year_start_month = 13\n",
            "line 1, key fiscal_year_start_month: must be a month from 1 to 12, not 13",
            "1行目、キー fiscal_year_start_month: 期首の月は1〜12で書いてください(13 は使えません",
        ),
        (
            "lang = \"fr\"\n",
            "line 1, key lang: \"fr\" is not known here; write one of: en, ja",
            "1行目、キー lang: 「fr」は使えません。次のいずれかを書いてください: en, ja",
        ),
    ];
    for (text, en, ja) in cases {
        let issue = Settings::parse(text).unwrap_err();
        let (got_en, got_ja) = (issue.text(Lang::En), issue.text(Lang::Ja));
        assert!(got_en.starts_with(en), "{text}\n{got_en}");
        assert!(got_ja.starts_with(ja), "{text}\n{got_ja}");
    }
}

#[test]
fn the_configs_own_lang_is_read_before_it_is_validated() {
    assert_eq!(
        locate::lang("lang = \"ja\"\nmax_kpi_per_kgi = 3\n"),
        Some(Lang::Ja)
    );
    assert_eq!(locate::lang("lang = \"en\"\n"), Some(Lang::En));
    assert_eq!(locate::lang("lang = \"ja\n"), None);
    let error = ConfigError::Invalid {
        path: "k.toml".into(),
        issue: Box::new(Settings::parse("x = 1").unwrap_err()),
        lang: None,
    };
    let both = error.message(None);
    assert!(
        both.starts_with("config k.toml: line 1, key x: unknown key"),
        "{both}"
    );
    assert!(
        both.contains("\nkpi-report: エラー: 設定ファイル k.toml: 1行目、キー x: 不明なキーです"),
        "{both}"
    );
    assert!(!error.message(Some(Lang::Ja)).contains("unknown key"));
}
