//! End-to-end tests of reading, analysis, `check`, `run --json`, exit codes and batches:
//! each test writes its input workbooks with rust_xlsxwriter in its own temp dir, runs the
//! real binary and reads the outputs back.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{
    ids, read_json, rows, sample, write_book, Case, Run, AS_OF, KGI_HEAD, KPI_HEAD,
};

/// A KGI row with the usual defaults: owner, monthly, FY2026.
fn kgi<'a>(id: &'a str, target: &'a str, unit: &'a str, rollup: &'a str) -> Vec<&'a str> {
    vec![
        id,
        id,
        target,
        unit,
        "increase",
        "d:2026-04-01",
        "d:2027-03-31",
        "Sato",
        "monthly",
        rollup,
    ]
}

/// A KPI row, in the columns of KPI_HEAD, with the usual defaults: increase, owner, monthly,
/// no baseline, deadline or weight of its own.
fn kpi<'a>(
    id: &'a str,
    parent: &'a str,
    target: &'a str,
    unit: &'a str,
    actual: &'a str,
) -> Vec<&'a str> {
    vec![
        id, parent, "KPI", id, target, "", unit, "increase", "", "Suzuki", "monthly", "", "",
        actual, "",
    ]
}

/// A workbook in the case folder with KGI, KPI and (when given) Actuals sheets, headers in
/// row 1.
fn book(
    case: &Case,
    name: &str,
    kgis: Vec<Vec<&str>>,
    kpis: Vec<Vec<&str>>,
    actuals: Option<Vec<Vec<&str>>>,
) -> PathBuf {
    let path = case.path(name);
    let mut kgi_rows = vec![KGI_HEAD.to_vec()];
    kgi_rows.extend(kgis);
    let mut kpi_rows = vec![KPI_HEAD.to_vec()];
    kpi_rows.extend(kpis);
    let mut sheets = vec![("KGI", kgi_rows), ("KPI", kpi_rows)];
    if let Some(a) = actuals {
        sheets.push(("Actuals", a));
    }
    write_book(&path, &sheets);
    path
}

/// A workbook with one KGI G and one KPI K under it, half way: 50 of 100.
fn half_way_book(case: &Case, name: &str) -> PathBuf {
    book(
        case,
        name,
        vec![kgi("G", "n:100", "u", "")],
        vec![kpi("K", "G", "n:100", "u", "n:50")],
        None,
    )
}

/// `run --json` on one input; the JSON document and the exit code.
fn json(case: &Case, input: &Path, extra: &[&str]) -> (Value, i32) {
    let (run, doc) = case.run_json(input, "out", extra);
    (doc, run.code)
}

fn metric<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap_or_else(|| panic!("no metric {id}"))
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn close(actual: &Value, expected: f64) {
    let a = num(actual);
    assert!(
        (a - expected).abs() <= 1e-6 * expected.abs().max(1.0),
        "{a} != {expected}"
    );
}

fn codes(doc: &Value) -> Vec<String> {
    let mut codes: Vec<String> = doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{}:{}",
                c["code"].as_str().unwrap(),
                c["id"].as_str().unwrap_or("")
            )
        })
        .collect();
    codes.sort();
    codes
}

// Elapsed on 2026-10-31 for FY2026 (2026-04-01 .. 2027-03-31): 213 of 364 days.
const E: f64 = 213.0 / 364.0;
const MONTH: f64 = 365.25 / 12.0;

#[test]
fn sample_btob_figures_by_hand() {
    let case = Case::new();
    let (doc, code) = json(&case, &sample("sales-en.xlsx"), &[]);
    assert_eq!(code, 0, "warnings only");
    assert_eq!(doc["schema"], "kpi-report/1");
    assert_eq!(doc["as_of"], AS_OF);
    assert_eq!(doc["source"], "sales-en.xlsx");

    // B1 repeat sales: A = 35,400,000 of T = 60,000,000.
    let b1 = metric(&doc, "B1");
    close(&b1["progress"], 0.59);
    close(&b1["shortfall"], 24_600_000.0);
    close(&b1["elapsed"], E);
    close(&b1["pace"], 0.59 / E);
    // 7 month-end points, least squares at 2027-03-31 (computed independently).
    close(&b1["forecast"], 59_922_967.822_911_92);
    close(&b1["forecast_progress"], 59_922_967.822_911_92 / 60e6);
    // gained 35.4M in 213 days; 24.6M to go in 151 days; per month of 365.25/12 days.
    close(&b1["rate_so_far"], 35_400_000.0 / 213.0 * MONTH);
    close(&b1["required_rate"], 24_600_000.0 / 151.0 * MONTH);
    assert_eq!(b1["status"], "on_track");
    // weights 3, 2, 1 under B: 3/6.
    close(&b1["impact"], 0.5);
    assert_eq!(b1["kgi"], "B");
    assert_eq!(b1["last_measured"], "2026-10-31");
    assert_eq!(b1["start"], "2026-04-01");

    // B annual sales: sum of B1 and B2 (yen); B3 counts deals and is a driver.
    let b = metric(&doc, "B");
    close(&b["actual"], 49_600_000.0);
    close(&b["progress"], 0.496);
    close(
        &b["forecast"],
        59_922_967.822_911_92 + 24_461_410.314_924_695,
    );
    assert_eq!(b["status"], "at_risk"); // pace 0.496 / 0.585 = 0.848
    close(&b["impact"], 1.0);
    assert_eq!(b["kgi"], "B");
    // previous month end: 29.88M + 12.5M = 42.38M
    assert_eq!(b["previous"]["as_of"], "2026-09-30");
    close(&b["previous"]["progress"], 0.4238);

    // B3a: a KDI under B3, impact (1/6) * 1.
    let b3a = metric(&doc, "B3a");
    assert_eq!(b3a["kind"], "kdi");
    close(&b3a["impact"], 1.0 / 6.0);
    assert_eq!(b3a["deadline"], "2027-03-31", "inherited from B3 -> B");
}

#[test]
fn sample_btoc_and_high_ticket_figures_by_hand() {
    let case = Case::new();
    let (doc, _) = json(&case, &sample("sales-en.xlsx"), &[]);

    // C4 return rate, a decrease with baseline 5% -> target 2%, now 3.1%:
    // p = (0.031 - 0.05) / (0.02 - 0.05) = 0.6333.
    let c4 = metric(&doc, "C4");
    assert_eq!(c4["direction"], "decrease");
    close(&c4["progress"], 0.019 / 0.03);
    close(&c4["shortfall"], 0.011);
    close(&c4["forecast"], 0.018_506_387_132_368_542);
    // gained = B - A = 0.019 per 213 days, monthly.
    close(&c4["rate_so_far"], 0.019 / 213.0 * MONTH);
    assert_eq!(c4["status"], "on_track");
    assert_eq!(c4["frequency"], Value::Null);

    // C2 new customers, baseline 8: 21 >= 20 achieved; on 2026-09-30 it was on track with
    // (18 - 8) / (20 - 8) = 0.8333, pace 0.8333 / 0.5 = 1.67.
    let c2 = metric(&doc, "C2");
    assert_eq!(c2["status"], "achieved");
    assert_eq!(c2["previous"]["status"], "on_track");
    close(&c2["previous"]["progress"], 10.0 / 12.0);

    // H1 negotiations, quarterly: (220 - 200) / (240 - 200) = 0.5 from 2026-09-30.
    let h1 = metric(&doc, "H1");
    close(&h1["progress"], 0.5);
    close(&h1["pace"], 0.5 / E);
    assert_eq!(h1["status"], "at_risk");
    assert_eq!(h1["last_measured"], "2026-09-30");
    close(&h1["forecast"], 241.760_869_565_217_38);
    close(&h1["rate_so_far"], 20.0 / 213.0 * 365.25 / 4.0);
    close(&h1["required_rate"], 20.0 / 151.0 * 365.25 / 4.0);
    // On 2026-09-30: e = 182/364 = 0.5, pace 1.0: on track.
    assert_eq!(h1["previous"]["status"], "on_track");

    // H3 has its own deadline 2027-06-30: e = 213/455.
    let h3 = metric(&doc, "H3");
    assert_eq!(h3["deadline"], "2027-06-30");
    close(&h3["elapsed"], 213.0 / 455.0);

    // Priorities: leaves under a KGI with data, not achieved; C2 (achieved) is not ranked.
    let ranked = ids(&doc["priorities"]);
    assert!(!ranked.contains(&"C2"));
    assert!(!ranked.contains(&"B3"), "B3 has a child");
    assert_eq!(&ranked[..3], ["C1", "B2", "H3"]);
    let first = &doc["priorities"][0];
    assert_eq!(first["rank"], 1);
    close(
        &first["score"],
        num(&first["impact"]) * num(&first["shortfall_ratio"]),
    );
}

#[test]
fn sample_check_codes_are_exactly_the_designed_ones() {
    let case = Case::new();
    let (doc, _) = json(&case, &sample("sales-en.xlsx"), &[]);
    assert_eq!(
        codes(&doc),
        ["W05:H3", "W06:C3", "W07:C4", "W10:B2", "W10:C1", "W10:H3", "W11:B3"]
    );
}

#[test]
fn japanese_sample_reads_the_same_figures() {
    let case = Case::new();
    let (en, _) = json(&case, &sample("sales-en.xlsx"), &[]);
    let (ja, _) = json(&case, &sample("sales-ja.xlsx"), &[]);
    assert_eq!(ja["lang"], "ja", "Japanese headers choose Japanese");
    let fields = [
        "target", "actual", "progress", "forecast", "status", "deadline", "pace",
    ];
    for (a, b) in en["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .zip(ja["metrics"].as_array().unwrap())
    {
        assert_eq!(a["id"], b["id"]);
        for f in fields {
            assert_eq!(a[f], b[f], "{} {f}", a["id"]);
        }
    }
    // `1億円`, `6,000万円`, `△120` as text cells.
    close(&metric(&ja, "B")["target"], 100_000_000.0);
    close(&metric(&ja, "B1")["target"], 60_000_000.0);
    let messages: Vec<&str> = ja["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("担当者")),
        "{messages:?}"
    );
}

#[test]
fn check_prints_file_sheet_cell_lines_and_exit_codes() {
    let case = Case::new();
    let Run { code, stdout, .. } = case.check(&[sample("sales-en.xlsx")], &[]);
    assert_eq!(code, 0);
    assert!(
        stdout
            .lines()
            .any(|l| l.ends_with("sales-en.xlsx:KPI!J10: warning W06: no owner")),
        "{stdout}"
    );
    let run = case.check(&[sample("sales-en.xlsx")], &["--fail-on", "warning"]);
    assert_eq!(run.code, 1);
    let run = case.check(&[sample("sales-en.xlsx")], &["--json"]);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["checks"].as_array().unwrap().len(), 7);
    assert_eq!(doc["checks"][0]["location"], "KPI!I14");
}

#[test]
fn unreadable_cells_are_all_listed_with_raw_text_and_nothing_is_written() {
    let case = Case::new();
    let input = book(
        &case,
        "bad.xlsx",
        vec![kgi("G1", "n:100", "JPY", "")],
        vec![
            kpi("K1", "G1", "12,3.4", "JPY", "n:5"),
            kpi("K2", "G1", "n:10", "JPY", "abc"),
            kpi("K3", "G1", "", "JPY", "n:1"),
        ],
        None,
    );
    let Run { code, stdout, .. } = case.check(&[&input], &[]);
    assert_eq!(code, 2);
    assert!(
        stdout.contains("bad.xlsx:KPI!E2: error E04: Target \"12,3.4\" is not a number"),
        "{stdout}"
    );
    assert!(
        stdout.contains("bad.xlsx:KPI!N3: error E04: Actual \"abc\" is not a number"),
        "{stdout}"
    );
    // (v2) An empty target is not an error: the metric is tracked (W19).
    assert!(
        stdout.contains("bad.xlsx:KPI!E4: warning W19: 1 metric(s) have no target (K3)"),
        "{stdout}"
    );

    let run = case.run("bad.xlsx", "out", &["--json"]);
    assert_eq!(run.code, 2);
    let reports: Vec<String> = case
        .files("out")
        .into_iter()
        .filter(|name| !name.starts_with('.'))
        .collect();
    assert!(reports.is_empty(), "nothing written for an invalid input");

    // --keep-going drops the invalid rows, lists the errors, exits 1.
    let (doc, code) = json(&case, &input, &["--keep-going"]);
    assert_eq!(code, 1);
    assert_eq!(ids(&doc["metrics"]), ["G1", "K3"]);
    assert_eq!(
        codes(&doc).iter().filter(|c| c.starts_with("E04")).count(),
        2
    );
}

#[test]
fn files_that_cannot_be_used_name_the_problem() {
    let case = Case::new();
    case.write("notes.xlsx", "id,name\n1,x\n");
    case.write("empty.xlsx", "");
    write_book(
        &case.path("nokpi.xlsx"),
        &[
            ("Notes", rows(&[&["Read me"]])),
            ("Data", rows(&[&["x", "y"]])),
        ],
    );
    write_book(
        &case.path("nocol.xlsx"),
        &[
            ("KGI", rows(&[KGI_HEAD])),
            ("KPI", rows(&[&["Title row"], &["ID", "Name", "Owner"]])),
        ],
    );
    let inputs: Vec<PathBuf> = ["notes.xlsx", "empty.xlsx", "nokpi.xlsx", "nocol.xlsx"]
        .iter()
        .map(|n| case.path(n))
        .collect();
    let Run { code, stdout, .. } = case.check(&inputs, &[]);
    assert_eq!(code, 2);
    assert!(
        stdout.contains("notes.xlsx: error E07: required column(s) Target not found"),
        "{stdout}"
    );
    assert!(
        stdout.contains("empty.xlsx: error E07: the file is empty"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "nokpi.xlsx: error E07: no goal sheet (the workbook's sheets: \"Notes\", \"Data\"); name the sheet of goals one of: KPI, KPIs"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("nocol.xlsx:KPI: error E07: required column(s) Target not found"),
        "{stdout}"
    );
}

#[test]
fn japanese_sheets_title_rows_text_numbers_and_long_actuals() {
    let case = Case::new();
    let path = case.path("jp.xlsx");
    write_book(
        &path,
        &[
            (
                "ＫＧＩ 一覧",
                rows(&[
                    &["2026年度 目標"],
                    &[],
                    &[
                        "コード",
                        "目標名",
                        "目標値",
                        "単位",
                        "開始日",
                        "期限",
                        "担当者",
                        "測定頻度",
                    ],
                    &[
                        "G",
                        "年間売上",
                        "1億2,000万円",
                        "円",
                        "令和8年4月1日",
                        "2027/3/31",
                        "佐藤",
                        "月次",
                    ],
                ]),
            ),
            (
                "指標",
                rows(&[
                    &[
                        "コード",
                        "紐づくKGI",
                        "指標名",
                        "目標値",
                        "基準値",
                        "単位",
                        "方向",
                        "担当者",
                        "頻度",
                    ],
                    &[
                        "K",
                        "G",
                        "返品数",
                        "△10",
                        "n:50",
                        "件",
                        "低いほど良い",
                        "鈴木",
                        "週次",
                    ],
                ]),
            ),
            (
                "実績推移",
                rows(&[
                    &["ID", "年月", "実績"],
                    &["G", "2026年9月", "６，０００万円"],
                    &["K", "R8.9.30", "n:20"],
                    &["K", "2026年11月", "n:-20"],
                ]),
            ),
        ],
    );
    let (doc, code) = json(&case, &path, &[]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["lang"], "ja");
    let g = metric(&doc, "G");
    close(&g["target"], 120_000_000.0);
    close(&g["actual"], 60_000_000.0);
    assert_eq!(g["last_measured"], "2026-09-30");
    let k = metric(&doc, "K");
    close(&k["target"], -10.0);
    assert_eq!(k["direction"], "decrease");
    assert_eq!(k["frequency"], "weekly");
    // The November measurement is after as-of and ignored: (20 - 50) / (-10 - 50) = 0.5.
    close(&k["actual"], 20.0);
    close(&k["progress"], 0.5);
    assert_eq!(k["deadline"], "2027-03-31", "inherited from G");
}

#[test]
fn wide_actuals_with_every_month_header_form() {
    let case = Case::new();
    let input = book(
        &case,
        "wide.xlsx",
        vec![kgi("G", "n:12", "", "")],
        vec![],
        Some(rows(&[
            &[
                "ID",
                "Name",
                "2026-04",
                "2026/5",
                "2026年6月",
                "Jul-26",
                "d:2026-08-31",
                "Unit",
            ],
            &["G", "Sales", "n:1", "n:2", "n:3", "n:4", "n:5", "x"],
        ])),
    );
    let (doc, _) = json(&case, &input, &[]);
    let g = metric(&doc, "G");
    close(&g["actual"], 5.0);
    assert_eq!(g["last_measured"], "2026-08-31");
    // y = 1..5 at month ends Apr..Aug: least squares at 2027-03-31.
    let days = [29.0, 60.0, 90.0, 121.0, 152.0];
    let mean_x = days.iter().sum::<f64>() / 5.0;
    let sxx: f64 = days.iter().map(|x| (x - mean_x).powi(2)).sum();
    let sxy: f64 = days
        .iter()
        .enumerate()
        .map(|(i, x)| (x - mean_x) * (i as f64 + 1.0 - 3.0))
        .sum();
    close(&g["forecast"], 3.0 + sxy / sxx * (364.0 - mean_x));
    // Stale: last measured 2026-08-31, 61 days before as-of > 30.4 + 7.
    assert!(codes(&doc).contains(&"W08:G".to_string()));
}

#[test]
fn every_status_is_reachable() {
    let case = Case::new();
    // Each KPI under its own KGI-level settings; FY2026, as-of 2026-10-31 (e = 0.585).
    let kpis = vec![
        kpi("nodata", "G", "n:100", "u", ""),
        kpi("achieved", "G", "n:100", "u", "n:100"),
        kpi("ontrack", "G", "n:100", "u", "n:56"),
        kpi("atrisk", "G", "n:100", "u", "n:47"),
        kpi("offtrack", "G", "n:100", "u", "n:46"),
    ];
    let mut late = kpi("overdue", "", "n:100", "u", "n:1");
    late[8] = "d:2026-09-30";
    let mut early = kpi("notstarted", "", "n:100", "u", "n:1");
    early[8] = "d:2027-12-31";
    let input = book(
        &case,
        "status.xlsx",
        vec![kgi("G", "n:1", "u", "")],
        kpis.into_iter().chain([late, early]).collect(),
        None,
    );
    // notstarted: no start, deadline 2027-12-31 -> starts 2027-04-01 (its fiscal year).
    let (doc, _) = json(&case, &input, &[]);
    for (id, status) in [
        ("nodata", "no_data"),
        ("achieved", "achieved"),
        ("ontrack", "on_track"),   // 0.56 / 0.585 = 0.957
        ("atrisk", "at_risk"),     // 0.47 / 0.585 = 0.803
        ("offtrack", "off_track"), // 0.46 / 0.585 = 0.786
        ("overdue", "overdue"),
        ("notstarted", "not_started"),
    ] {
        assert_eq!(metric(&doc, id)["status"], status, "{id}");
    }
    assert_eq!(metric(&doc, "notstarted")["start"], "2027-04-01");
    // G: weighted mean of the children with data, capped at 1:
    // (1 + 0.56 + 0.47 + 0.46) / 4 = 0.6225
    close(
        &metric(&doc, "G")["progress"],
        (1.0 + 0.56 + 0.47 + 0.46) / 4.0,
    );
    assert_eq!(metric(&doc, "G")["actual"], Value::Null);
    assert_eq!(metric(&doc, "G")["forecast"], Value::Null);
    assert_eq!(metric(&doc, "G")["status"], "on_track"); // 0.6225 / 0.585 = 1.06
}

#[test]
fn decrease_without_baseline_sum_rollup_driver_and_weighted_cap() {
    let case = Case::new();
    let mut dec = kpi("D", "W", "n:20", "min", "n:40");
    dec[7] = "decrease";
    let mut over = kpi("O", "W", "n:10", "u", "n:30");
    over[11] = "n:3"; // weight 3, progress 3.0 capped at 1
    let input = book(
        &case,
        "roll.xlsx",
        vec![kgi("S", "n:1000", "JPY", "sum"), kgi("W", "n:1", "", "")],
        vec![
            kpi("S1", "S", "n:600", "JPY", "n:300"),
            kpi("S2", "S", "n:400", "jpy", "n:100"),
            kpi("S3", "S", "n:50", "deals", "n:40"),
            dec,
            over,
        ],
        None,
    );
    let (doc, _) = json(&case, &input, &[]);
    let s = metric(&doc, "S");
    close(&s["actual"], 400.0); // 300 + 100; the deals are a driver
    close(&s["progress"], 0.4);
    // Forecasts of S1, S2 with one undated measurement each: A/e.
    close(&s["forecast"], 300.0 / E + 100.0 / E);
    // D: decrease without baseline: T/A = 20/40; forecast = A; no rates.
    let d = metric(&doc, "D");
    close(&d["progress"], 0.5);
    close(&d["forecast"], 40.0);
    assert_eq!(d["rate_so_far"], Value::Null);
    // W: (1 * 0.5 + 3 * min(3, 1)) / 4
    close(&metric(&doc, "W")["progress"], (0.5 + 3.0) / 4.0);
    close(&metric(&doc, "O")["impact"], 0.75);
}

#[test]
fn structural_errors_and_each_warning_code() {
    let case = Case::new();
    let mut many = Vec::new();
    let ids = ["M1", "M2", "M3", "M4", "M5", "M6"];
    for id in ids {
        many.push(kpi(id, "G2", "n:10", "u", "n:6"));
    }
    let mut no_owner = kpi("N1", "G3", "n:10", "", "n:6");
    no_owner[9] = "";
    no_owner[10] = "";
    let input = book(
        &case,
        "checks.xlsx",
        vec![
            kgi("G1", "n:10", "u", ""),
            kgi("G2", "n:10", "u", ""),
            kgi("G3", "n:10", "u", ""),
        ],
        many.into_iter()
            .chain([
                no_owner,
                kpi("ORPHAN", "", "n:10", "u", "n:6"),
                kpi("BAD", "NOPE", "n:10", "u", "n:6"),
                kpi("M1", "G3", "n:10", "u", "n:6"),
            ])
            .collect(),
        None,
    );
    let Run { code, stdout, .. } = case.check(&[&input], &[]);
    assert_eq!(code, 2, "{stdout}");
    for expected in [
        "error E01: duplicate id \"M1\" (already used at KPI!A2)",
        "error E02: parent id \"NOPE\" does not exist",
        "warning W01: KGI without any KPI",
        "warning W02: 6 KPIs directly under this KGI (more than 5)",
        "warning W03: KPI not linked to any KGI",
        "warning W06: no owner",
        "warning W07: no measurement frequency",
        "info I01: no unit",
    ] {
        assert!(stdout.contains(expected), "missing {expected}:\n{stdout}");
    }
}

#[test]
fn previous_reports_survive_a_failing_rerun_and_batches_go_on() {
    let case = Case::new();
    let good = book(
        &case,
        "a-good.xlsx",
        vec![kgi("G", "n:10", "u", "")],
        vec![kpi("K", "G", "n:10", "u", "n:5")],
        None,
    );
    case.write("b-bad.xlsx", b"PK\x03\x04 truncated");
    let Run { code, stderr, .. } = case.run(".", "out", &["--json"]);
    assert_eq!(code, 2, "the worst input decides");
    assert!(stderr.contains("b-bad.xlsx: error E07"), "{stderr}");
    assert!(stderr.contains("1 report written to"), "{stderr}");
    assert!(stderr.contains("1 input failed (see above)"), "{stderr}");
    let json = case.path("out/a-good-report.json");
    let before = std::fs::read(&json).unwrap();

    // Break the good input and run again: the old report stays byte-identical.
    std::fs::write(&good, b"not a workbook any more").unwrap();
    let run = case.kpi_report(&[
        "run",
        "a-good.xlsx",
        "--as-of",
        "2026-11-30",
        "--json",
        "--out",
        "out",
    ]);
    assert_eq!(run.code, 2);
    assert_eq!(std::fs::read(&json).unwrap(), before);
    let leftovers: Vec<String> = case
        .files("out")
        .into_iter()
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn config_errors_name_the_key_and_settings_apply() {
    let case = Case::new();
    let input = half_way_book(&case, "c.xlsx");
    case.write("kpi-report.toml", "max_kpi_per_kgi = 3\n");
    let Run { code, stderr, .. } = case.check(&[&input], &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("max_kpi_per_kgi"), "{stderr}");

    // K: 0.5 / 0.585 = 0.85 -> at_risk by default; on_track with on_track = 0.85.
    case.write(
        "kpi-report.toml",
        "[thresholds]\non_track = 0.85\nat_risk = 0.5\n",
    );
    let (doc, _) = json(&case, &input, &[]);
    assert_eq!(metric(&doc, "K")["status"], "on_track");
    let (doc, _) = json(&case, &input, &["--config", "/dev/null"]);
    assert_eq!(metric(&doc, "K")["status"], "at_risk");
}

#[test]
fn as_of_and_output_name_pattern() {
    let case = Case::new();
    half_way_book(&case, "p.xlsx");
    case.write("kpi-report.toml", "output_name = \"{stem}-{period}\"\n");
    let run = case.kpi_report(&[
        "run",
        "p.xlsx",
        "--json",
        "--as-of",
        "2026-07-15",
        "--out",
        "out",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = read_json(&case.path("out/p-2026-07-report.json"));
    assert_eq!(doc["as_of"], "2026-07-15");
    assert_eq!(metric(&doc, "K")["previous"]["as_of"], "2026-06-30");
    let run = case.kpi_report(&["check", "p.xlsx", "--as-of", "someday"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--as-of \"someday\" is not a date"),
        "{}",
        run.stderr
    );
}

#[test]
fn unwritable_output_folder_is_a_clear_error_without_temp_files() {
    let case = Case::new();
    let input = half_way_book(&case, "u.xlsx");
    // A file where the output folder should be.
    case.write("out", b"");
    let Run { code, stderr, .. } = case.run(&input, "out", &["--json"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("cannot create the output folder out"),
        "{stderr}"
    );
    let names = case.files(".");
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn a_second_run_into_a_locked_folder_is_refused() {
    let case = Case::new();
    let input = half_way_book(&case, "l.xlsx");
    let out = case.path("out");
    std::fs::create_dir(&out).unwrap();
    // Another run holds the lock: on the folder itself.
    let lock = std::fs::File::open(&out).unwrap();
    lock.try_lock().unwrap();
    let run = case.run(&input, "out", &["--json"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("another kpi-report run is writing to"));
    assert!(!out.join("l-report.json").exists());
    drop(lock);
    let run = case.run(&input, "out", &["--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(out.join("l-report.json").exists());
    // The run leaves no lock file (nor any other) in the output folder.
    assert_eq!(
        case.files("out"),
        ["l-report.json", "l-report.xlsx", "l-summary.html"]
    );
}

#[test]
fn more_metric_rows_than_max_metrics_are_refused_naming_the_limit() {
    let case = Case::new();
    let input = book(
        &case,
        "big.xlsx",
        vec![kgi("G", "n:100", "u", "")],
        vec![
            kpi("K1", "G", "n:100", "u", "n:50"),
            kpi("K2", "G", "n:100", "u", "n:50"),
        ],
        None,
    );
    case.write("kpi-report.toml", "[limits]\nmax_metrics = 2\n");
    let run = case.run(&input, "out", &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("big.xlsx:KPI: error E07: input too large (3 metric rows in the KGI and KPI sheets; limit max_metrics = 2)"),
        "{}",
        run.stderr
    );
    assert!(case.files("out").iter().all(|f| !f.contains("big-")));

    case.write("kpi-report.toml", "[limits]\nmax_metrics = 3\n");
    let (doc, code) = json(&case, &input, &[]);
    assert_eq!(code, 0);
    assert_eq!(ids(&doc["metrics"]), ["G", "K1", "K2"]);
}
