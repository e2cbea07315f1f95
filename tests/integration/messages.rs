//! Messages that help (issue 17 item 7, SPEC 5 and 7): a config error names the file, the
//! line and the key and says what to change, in the report language (both languages when
//! it is not known yet); a sheet without a header row is never blamed on a data row; the
//! accepted header names include the config's own; "no goal sheet" lists the sheets. Each
//! ends in exit 2 with nothing written.

use crate::support::{write_book, Case, Run};

/// A small goal workbook the config errors are tried on (it is fine by itself).
fn good_book(case: &Case) -> std::path::PathBuf {
    let path = case.path("goals.xlsx");
    write_book(
        &path,
        &[("KPI", vec![vec!["Name", "Target"], vec!["Sales", "n:100"]])],
    );
    path
}

/// `run` with this config and flags: exit 2, nothing written; the standard error.
fn refused(case: &Case, input: &std::path::Path, extra: &[&str]) -> String {
    let run = case.run(input, "out", extra);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        !case.path("out").exists() || case.files("out").is_empty(),
        "nothing is written: {:?}",
        case.files("out")
    );
    run.stderr
}

#[test]
fn a_config_error_without_a_language_is_given_in_both() {
    let case = Case::new();
    let input = good_book(&case);
    case.write(
        "kpi-report.toml",
        "company = \"Acme\"\n[thresholds]\non_trak = 0.9\n",
    );
    let stderr = refused(&case, &input, &[]);
    assert!(
        stderr.contains(
            "kpi-report: error: config kpi-report.toml: line 3, key thresholds.on_trak: unknown key; the keys here are: on_track, at_risk. Correct the spelling or delete the line"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "設定ファイル kpi-report.toml: 3行目、キー thresholds.on_trak: 不明なキーです。ここで使えるキー: on_track, at_risk。綴りを直すか、この行を削除してください"
        ),
        "{stderr}"
    );
    // check refuses it the same way.
    let run = case.check(&[&input], &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("thresholds.on_trak"), "{}", run.stderr);
}

#[test]
fn a_config_error_follows_the_lang_flag() {
    let case = Case::new();
    let input = good_book(&case);
    case.write("kpi-report.toml", "\n\nstale_grace_days = \"seven\"\n");
    let ja = refused(&case, &input, &["--lang", "ja"]);
    assert!(
        ja.contains(
            "設定ファイル kpi-report.toml: 3行目、キー stale_grace_days: このキーの値は整数(例: 3)です(\"seven\" は使えません)"
        ),
        "{ja}"
    );
    assert!(!ja.contains("this key takes"), "Japanese only: {ja}");
    let en = refused(&case, &input, &["--lang", "en"]);
    assert!(
        en.contains(
            "config kpi-report.toml: line 3, key stale_grace_days: this key takes a whole number (3), not \"seven\""
        ),
        "{en}"
    );
    assert!(!en.contains("設定ファイル"), "English only: {en}");
}

#[test]
fn a_config_error_follows_the_configs_own_lang() {
    let case = Case::new();
    let input = good_book(&case);
    case.write(
        "settings.toml",
        "lang = \"ja\"\n\n[[set]]\nmatch = [\"*\"]\ndirection = \"sideways\"\n",
    );
    let stderr = refused(&case, &input, &["--config", "settings.toml"]);
    assert!(
        stderr.contains(
            "設定ファイル settings.toml: 5行目、キー [[set]] #1 direction: 「sideways」は使えません。次のいずれかを書いてください: increase, 増加, decrease, 減少, stay_above, 以上を維持, stay_below, 以下に抑える"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("is not known here"), "{stderr}");
    // --lang wins over the config's lang.
    let en = refused(
        &case,
        &input,
        &["--config", "settings.toml", "--lang", "en"],
    );
    assert!(
        en.contains("config settings.toml: line 5, key [[set]] #1 direction: \"sideways\" is not known here; write one of: increase, 増加,"),
        "{en}"
    );
}

#[test]
fn config_errors_of_each_kind_name_the_key_and_the_change() {
    let case = Case::new();
    let input = good_book(&case);
    for (config, en, ja) in [
        (
            "company = \"Acme\nlang = \"en\"\n",
            "config kpi-report.toml: line 1: not valid TOML (",
            "設定ファイル kpi-report.toml: 1行目: TOMLとして読めません(",
        ),
        (
            "[names.columns]\nquota = [\"Quota\"]\n",
            "line 2, key names.columns.quota: unknown key; the keys here are: id, name, parent, target,",
            "2行目、キー names.columns.quota: 不明なキーです。ここで使えるキー: id, name, parent, target,",
        ),
        (
            "[names.sheets]\nkpi = [\"Scorecard 2026\", \" \"]\n",
            "line 2, key names.sheets.kpi: an empty name matches nothing; write the sheet name or column header as the workbook spells it",
            "2行目、キー names.sheets.kpi: 空の名前は何にも一致しません。ブックにあるとおりのシート名または列見出しを書いてください",
        ),
        (
            "[names.sheets]\nkpis = [\"Scorecard\"]\n",
            "line 2, key names.sheets.kpis: unknown key; the keys here are: kgi, kpi, actuals",
            "2行目、キー names.sheets.kpis: 不明なキーです。ここで使えるキー: kgi, kpi, actuals",
        ),
        (
            "[[goal]]\nid = \"Total\"\ndeadline = \"March\"\n",
            "line 3, key [[goal]] #1 deadline: \"March\" is not a date; write YYYY-MM-DD (\"2027-03-31\")",
            "3行目、キー [[goal]] #1 deadline: 「March」は日付として読めません。YYYY-MM-DD で書いてください(例: \"2027-03-31\")",
        ),
        (
            "[[sources]]\npath = \"exports/*.csv\"\nrole = \"budget\"\n",
            "line 3, key [[sources]] #1 role: \"budget\" is not known here; write one of: actuals, plan",
            "3行目、キー [[sources]] #1 role: 「budget」は使えません。次のいずれかを書いてください: actuals, plan",
        ),
        (
            "[smtp]\nhost = \"mail.example.com\"\npassword = \"hunter2\"\n",
            "line 3, key smtp.password: the password is never read from the config file; delete this line and put it in the environment variable named by smtp.password_env (default KPI_REPORT_SMTP_PASSWORD)",
            "3行目、キー smtp.password: パスワードは設定ファイルから読みません。この行を削除し、smtp.password_env で指定する環境変数(既定 KPI_REPORT_SMTP_PASSWORD)にパスワードを入れてください",
        ),
        (
            "fiscal_year_start_month = 13\n",
            "line 1, key fiscal_year_start_month: must be a month from 1 to 12, not 13 (4 for a year starting in April)",
            "1行目、キー fiscal_year_start_month: 期首の月は1〜12で書いてください(13 は使えません。4月始まりなら 4)",
        ),
    ] {
        case.write("kpi-report.toml", config);
        let en_err = refused(&case, &input, &["--lang", "en"]);
        assert!(en_err.contains(en), "{config}\n{en_err}");
        assert!(!en_err.contains("hunter2"), "{en_err}");
        let ja_err = refused(&case, &input, &["--lang", "ja"]);
        assert!(ja_err.contains(ja), "{config}\n{ja_err}");
    }
}

#[test]
fn a_config_that_cannot_be_read_is_named_in_both_languages() {
    let case = Case::new();
    let input = good_book(&case);
    let stderr = refused(&case, &input, &["--config", "nothere.toml"]);
    assert!(
        stderr.contains(
            "cannot read config nothere.toml: no such file or folder; check the --config path"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("設定ファイル nothere.toml を読めません: ファイルがありません"),
        "{stderr}"
    );
}

/// A sheet whose best-scoring rows are numbers and dates: no data row is blamed; the message
/// says no header row was found and shows the closest row of text.
#[test]
fn no_header_row_names_the_closest_text_row_not_a_data_row() {
    let case = Case::new();
    let path = case.path("numbers.xlsx");
    write_book(
        &path,
        &[(
            "KPI",
            vec![
                vec!["Sales by month", "", ""],
                vec!["", "", ""],
                vec!["d:2026-04-01", "n:100", "n:200"],
                vec!["d:2026-05-01", "n:110", "n:210"],
                vec!["n:45000", "n:45100", "n:45200"],
            ],
        )],
    );
    let en = refused(&case, &path, &["--lang", "en"]);
    assert!(
        en.contains(
            "numbers.xlsx:KPI: error E07: no header row found: the closest row of text, row 1 (Sales by month), names none of the required columns. Put a header row naming Name, Target above the data (accepted headers: Name ("
        ),
        "{en}"
    );
    assert!(
        en.contains(
            "or map your headers in the config with [names.columns] name = [\"your header\"]"
        ),
        "{en}"
    );
    assert!(!en.contains("row 3") && !en.contains("row 5"), "{en}");
    let ja = refused(&case, &path, &["--lang", "ja"]);
    assert!(
        ja.contains(
            "numbers.xlsx:KPI: error E07: 見出し行が見つかりません。文字の行で最も近いのは1行目(Sales by month)ですが、必須の列を示す見出しがありません。データの上に "
        ),
        "{ja}"
    );
    assert!(ja.contains("[names.columns] name = [\"見出し\"]"), "{ja}");

    // No text at all in the first rows: said so.
    let bare = case.path("bare.xlsx");
    write_book(
        &bare,
        &[("KPI", vec![vec!["n:1", "n:2"], vec!["d:2026-04-30", "n:3"]])],
    );
    let en = refused(&case, &bare, &["--lang", "en"]);
    assert!(
        en.contains(
            "no header row found: the first 20 rows hold no row of text. Put a header row naming"
        ),
        "{en}"
    );
}

/// The accepted names of a missing column include the config's own, and the row that came
/// closest to a header is named; in both languages.
#[test]
fn missing_columns_list_the_configs_own_names() {
    let case = Case::new();
    case.write(
        "kpi-report.toml",
        "[names.columns]\ntarget = [\"Quota\", \"ノルマ\"]\n",
    );
    let path = case.path("quota.xlsx");
    write_book(
        &path,
        &[(
            "KPI",
            vec![
                vec!["Team sales", ""],
                vec!["Name", "Goalz"],
                vec!["Sales", "n:100"],
            ],
        )],
    );
    let Run { code, stdout, .. } = case.check(&[&path], &["--lang", "en"]);
    assert_eq!(code, 2);
    assert!(
        stdout.contains("quota.xlsx:KPI: error E07: required column(s) Target not found in a header row within the first 20 rows (the closest to a header is row 2); name the header one of: Target (Target / Goal /"),
        "{stdout}"
    );
    assert!(stdout.contains(" / Quota / ノルマ)"), "{stdout}");
    assert!(
        stdout
            .contains("or map yours in the config with [names.columns] target = [\"your header\"]"),
        "{stdout}"
    );
    let Run { stdout, .. } = case.check(&[&path], &["--lang", "ja"]);
    assert!(
        stdout.contains("quota.xlsx:KPI: error E07: 必須の列 目標値 が先頭20行の見出しにありません(見出しに最も近いのは2行目)"),
        "{stdout}"
    );
    assert!(stdout.contains(" / Quota / ノルマ)"), "{stdout}");
    assert!(
        stdout.contains("[names.columns] target = [\"見出し\"]"),
        "{stdout}"
    );
}

/// No goal sheet at all: the workbook's sheets are listed with how to name one or map it,
/// in the report language.
#[test]
fn no_goal_sheet_lists_the_sheets_in_both_languages() {
    let case = Case::new();
    case.write(
        "kpi-report.toml",
        "[names.sheets]\nkpi = [\"Scorecard 2026\"]\n",
    );
    let path = case.path("notes.xlsx");
    write_book(
        &path,
        &[
            ("Notes", vec![vec!["Read me first"]]),
            ("Data", vec![vec!["n:1", "n:2"]]),
        ],
    );
    let en = refused(&case, &path, &["--lang", "en"]);
    assert!(
        en.contains("notes.xlsx: error E07: no goal sheet (the workbook's sheets: \"Notes\", \"Data\"); name the sheet of goals one of: KPI,"),
        "{en}"
    );
    assert!(
        en.contains("Scorecard 2026 (KGIs:"),
        "the config's own name: {en}"
    );
    assert!(en.contains("names.sheets.kpi = [\"your sheet\"]"), "{en}");
    let ja = refused(&case, &path, &["--lang", "ja"]);
    assert!(
        ja.contains("notes.xlsx: error E07: 目標のシートがありません(このブックのシート: \"Notes\", \"Data\")"),
        "{ja}"
    );
    assert!(
        ja.contains("names.sheets.kpi にシート名を加えてください"),
        "{ja}"
    );
}

/// A sheet taken as the goal sheet for its name whose header cannot be read: the message
/// says what to change on it, and lists the workbook's sheets with how to map another one.
#[test]
fn a_goal_sheet_found_by_name_but_unreadable_lists_the_sheets() {
    let case = Case::new();
    let path = case.path("dashboard.xlsx");
    write_book(
        &path,
        &[
            (
                "KPI",
                vec![vec!["Dashboard (charts only)"], vec!["See Sheet1"]],
            ),
            (
                "Sheet1",
                vec![vec!["Metric", "Goal"], vec!["Sales", "n:100"]],
            ),
        ],
    );
    let en = refused(&case, &path, &["--lang", "en"]);
    assert!(
        en.contains("dashboard.xlsx:KPI: error E07: no header row found: the closest row of text, row 1 (Dashboard (charts only)), names none of the required columns."),
        "{en}"
    );
    assert!(
        en.contains("; if the goals are on another sheet (the workbook's sheets: \"KPI\", \"Sheet1\"), map it with names.sheets.kpi = [\"that sheet\"]"),
        "{en}"
    );
    let ja = refused(&case, &path, &["--lang", "ja"]);
    assert!(
        ja.contains("目標が別のシートにある場合は(このブックのシート: \"KPI\", \"Sheet1\")、設定ファイルの names.sheets.kpi にそのシート名を加えてください"),
        "{ja}"
    );
    // Mapped as the message says, the workbook is read.
    case.write("kpi-report.toml", "[names.sheets]\nkpi = [\"Sheet1\"]\n");
    let (run, json) = case.run_json(&path, "mapped", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    assert_eq!(json["metrics"][0]["target"], 100.0);

    // A KGI sheet without a KPI sheet, its Target column missing: names.sheets.kgi.
    let kgi = case.path("kgi.xlsx");
    write_book(
        &kgi,
        &[
            (
                "KGI",
                vec![
                    vec!["ID", "Name", "Due"],
                    vec!["G1", "Sales", "d:2027-03-31"],
                ],
            ),
            ("Other", vec![vec!["x"]]),
        ],
    );
    let en = refused(&case, &kgi, &["--lang", "en"]);
    assert!(
        en.contains("kgi.xlsx:KGI: error E07: required column(s) Target not found in a header row within the first 20 rows (the closest to a header is row 1)"),
        "{en}"
    );
    assert!(
        en.contains("(the workbook's sheets: \"KGI\", \"Other\"), map it with names.sheets.kgi"),
        "{en}"
    );
}
