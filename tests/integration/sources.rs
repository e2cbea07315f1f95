//! Actuals from accounting exports (SPEC 9): CSV in CP932, UTF-8 (with or without BOM),
//! UTF-16, tab-separated, workbooks; folders with a re-exported month (W17), rows no metric
//! collects (I02), filters, composite keys, unreadable amounts, a CSV as the input itself.
//! Every expected figure is summed by hand from the rows written here.

use crate::support::*;

use encoding_rs::{SHIFT_JIS, WINDOWS_1252};

/// The goal workbook: a KGI and two KPIs keyed by account code.
fn goals(case: &Case) -> std::path::PathBuf {
    let path = case.path("goals.xlsx");
    write_book(
        &path,
        &[
            (
                "KGI",
                rows(&[
                    &["ID", "Name", "Target", "Deadline"],
                    &["G1", "営業利益", "n:100000000", "d:2027-03-31"],
                ]),
            ),
            (
                "KPI",
                rows(&[
                    &[
                        "ID", "Parent", "Name", "Target", "Unit", "Deadline", "Owner",
                    ],
                    &[
                        "4110",
                        "G1",
                        "売上高",
                        "n:24000000",
                        "円",
                        "d:2027-03-31",
                        "田中",
                    ],
                    &[
                        "5210",
                        "G1",
                        "計測費",
                        "n:1000000",
                        "円",
                        "d:2027-03-31",
                        "髙﨑",
                    ],
                ]),
            ),
        ],
    );
    path
}

/// A journal-style export as 勘定奉行 or BizForecast write it: code, name, department, month,
/// amount, CRLF line ends.
const JOURNAL: &str = "勘定科目コード,勘定科目名,部門,月,金額\r\n\
4110,売上高,営業1部,2026/04,\"1,000,000\"\r\n\
4110,売上高,営業2部,2026/04,500000\r\n\
4110,売上高,営業1部,2026/05,\"1,200,000\"\r\n\
4110,売上高,営業2部,2026/05,\"△200,000\"\r\n\
5210,髙﨑 ㎝ 計測費,営業Ⅲ課,2026/04,(2000)\r\n\
9999,雑収入,本社,2026/04,300\r\n\
9998,受取利息,本社,2026/05,25\r\n";

fn cp932(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = SHIFT_JIS.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

fn utf16le(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

fn actual(report: &serde_json::Value, id: &str) -> Option<f64> {
    report["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .and_then(|m| m["actual"].as_f64())
}

/// `run INPUT --as-of AS_OF --out OUT --json EXTRA`: the JSON report.
fn run_at(
    case: &Case,
    input: &std::path::Path,
    out: &str,
    as_of: &str,
    extra: &[&str],
) -> serde_json::Value {
    let mut args = vec![
        "run",
        input.to_str().unwrap(),
        "--as-of",
        as_of,
        "--out",
        out,
        "--json",
    ];
    args.extend_from_slice(extra);
    let run = case.kpi_report(&args);
    assert!(
        run.code <= 1,
        "exit {}: {}{}",
        run.code,
        run.stdout,
        run.stderr
    );
    read_json(&case.output(out, input, "report.json"))
}

/// The actual of each KPI as of April and as of May (a month's value is its latest).
fn actuals_by_month(case: &Case, input: &std::path::Path, extra: &[&str]) -> Vec<Option<f64>> {
    let mut figures = Vec::new();
    for as_of in ["2026-04-30", "2026-05-31"] {
        let report = run_at(case, input, &format!("out-{as_of}"), as_of, extra);
        figures.push(actual(&report, "4110"));
        figures.push(actual(&report, "5210"));
    }
    figures
}

/// By hand from JOURNAL: 4110 April 1,000,000 + 500,000; May 1,200,000 − 200,000;
/// 5210 April −2,000 and nothing in May (its April value stays the latest).
const EXPECTED: [Option<f64>; 4] = [
    Some(1_500_000.0),
    Some(-2_000.0),
    Some(1_000_000.0),
    Some(-2_000.0),
];

#[test]
fn a_cp932_journal_export_is_summed_by_account_and_month() {
    let case = Case::new();
    let input = goals(&case);
    case.write("export.csv", cp932(JOURNAL));
    assert_eq!(
        actuals_by_month(&case, &input, &["--actuals", "export.csv"]),
        EXPECTED
    );
    // The two rows of unknown accounts are I02, with their count and total (300 + 25).
    let run = case.check(&[&input], &["--actuals", "export.csv", "--verbose"]);
    assert!(
        run.stdout
            .contains("goals.xlsx:export.csv: info I02: 2 row(s) (total 325) match no metric; keys: 9999, 9998")
            || run.stdout.contains("goals.xlsx:export.csv: info I02: 2 行(合計 325)"),
        "{}",
        run.stdout
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn utf8_utf8_bom_utf16_and_tab_separated_exports_give_the_same_figures() {
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(JOURNAL.as_bytes());
    let tsv = JOURNAL
        .replace("\"1,000,000\"", "1000000")
        .replace("\"1,200,000\"", "1200000")
        .replace("\"△200,000\"", "△200000")
        .replace(',', "\t");
    let exports: [(&str, Vec<u8>); 4] = [
        ("plain.csv", JOURNAL.as_bytes().to_vec()),
        ("bom.csv", bom),
        ("utf16.csv", utf16le(JOURNAL)),
        ("tabs.tsv", cp932(&tsv)),
    ];
    for (name, bytes) in exports {
        let case = Case::new();
        let input = goals(&case);
        case.write(name, bytes);
        assert_eq!(
            actuals_by_month(&case, &input, &["--actuals", name]),
            EXPECTED,
            "{name}"
        );
    }
}

#[test]
fn a_re_exported_month_replaces_the_earlier_file_with_w17() {
    let case = Case::new();
    let input = goals(&case);
    let head = "勘定科目コード,月,金額\r\n";
    case.write(
        "exports/2026-04.csv",
        cp932(&format!("{head}4110,2026/04,700\r\n4110,2026/04,300\r\n")),
    );
    case.write(
        "exports/2026-05.csv",
        cp932(&format!("{head}4110,2026/05,900\r\n")),
    );
    // Sorted after 2026-05.csv: the re-export of May wins.
    case.write(
        "exports/2026-05b.csv",
        cp932(&format!("{head}4110,2026/05,950\r\n4110,2026/05,50\r\n")),
    );
    let april = run_at(&case, &input, "a", "2026-04-30", &["--actuals", "exports"]);
    assert_eq!(actual(&april, "4110"), Some(1000.0));
    let may = run_at(&case, &input, "b", "2026-05-31", &["--actuals", "exports"]);
    assert_eq!(actual(&may, "4110"), Some(1000.0));
    let run = case.check(&[&input], &["--actuals", "exports"]);
    let w17: Vec<&str> = run.stdout.lines().filter(|l| l.contains("W17")).collect();
    assert_eq!(w17.len(), 1, "{}", run.stdout);
    assert!(
        w17[0].contains("2026-05")
            && w17[0].contains("2026-05.csv")
            && w17[0].contains("2026-05b.csv"),
        "{}",
        w17[0]
    );
}

#[test]
fn a_config_source_with_composite_keys_a_filter_and_a_glob() {
    let case = Case::new();
    let path = case.path("dept.xlsx");
    write_book(
        &path,
        &[
            (
                "KGI",
                rows(&[&["ID", "Name", "Target"], &["G1", "売上", "n:1000"]]),
            ),
            (
                "KPI",
                rows(&[
                    &["ID", "Parent", "Name", "Target"],
                    &["4110/営業1部", "G1", "売上 営業1部", "n:500"],
                    &["4110/営業2部", "G1", "売上 営業2部", "n:500"],
                ]),
            ),
        ],
    );
    case.write("exports/journal-2026.csv", cp932(JOURNAL));
    case.write("exports/readme.md", "not an export");
    case.write(
        "kpi-report.toml",
        r#"
[[sources]]
path = "exports/*.csv"
key = ["勘定科目コード", "部門"]
date = "月"
value = "金額"
encoding = "cp932"
where = { "部門" = ["営業1部"] }
"#,
    );
    let report = run_at(&case, &path, "out", "2026-05-31", &[]);
    // Only 営業1部's rows are kept: its May row; 営業2部 has nothing.
    assert_eq!(actual(&report, "4110/営業1部"), Some(1_200_000.0));
    assert_eq!(actual(&report, "4110/営業2部"), None);
}

#[test]
fn an_unreadable_amount_names_the_file_line_and_column() {
    let case = Case::new();
    let input = goals(&case);
    case.write(
        "bad.csv",
        cp932("勘定科目コード,月,金額\r\n4110,2026/04,100\r\n4110,2026/04,12O0\r\n"),
    );
    let run = case.run(&input, "out", &["--actuals", "bad.csv"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(
        all.contains("bad.csv line 3, column 3") && all.contains("E04") && all.contains("12O0"),
        "{all}"
    );
    assert!(!case.path("out").join("goals-report.xlsx").exists());
}

#[test]
fn western_european_text_is_refused_not_misread() {
    let case = Case::new();
    let input = goals(&case);
    let (bytes, _, _) = WINDOWS_1252
        .encode("Konto,Monat,Betrag\r\n4110,2026/04,100\r\n4110 Caf\u{e9},2026/04,5\r\n");
    case.write("latin.csv", bytes);
    let run = case.check(&[&input], &["--actuals", "latin.csv"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.contains("latin.csv line 3") && run.stdout.contains("Windows-1252"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_goal_workbook_with_an_xlsx_export_of_transactions() {
    let case = Case::new();
    let input = goals(&case);
    write_book(
        &case.path("costs.xlsx"),
        &[(
            "取引",
            rows(&[
                &["経費明細 2026年度"],
                &[],
                &["取引日", "勘定科目コード", "摘要", "金額"],
                &["d:2026-04-03", "5210", "計測器", "n:1200"],
                &["d:2026-04-28", "5210", "校正", "n:800.5"],
                &["d:2026-05-02", "5210", "計測器", "n:99"],
                &["d:2026-05-09", "6100", "交通費", "n:1000"],
            ]),
        )],
    );
    let april = run_at(
        &case,
        &input,
        "a",
        "2026-04-30",
        &["--actuals", "costs.xlsx"],
    );
    assert_eq!(actual(&april, "5210"), Some(2000.5));
    let may = run_at(
        &case,
        &input,
        "b",
        "2026-05-31",
        &["--actuals", "costs.xlsx"],
    );
    assert_eq!(actual(&may, "5210"), Some(99.0));
}

#[test]
fn a_missing_source_is_an_error_for_every_input() {
    let case = Case::new();
    let input = goals(&case);
    let run = case.check(&[&input], &["--actuals", "nowhere/*.csv"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.contains("nowhere/*.csv") && run.stdout.contains("E07"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_csv_is_an_input_too_and_a_folder_run_takes_it() {
    let case = Case::new();
    case.write(
        "in/goals.csv",
        cp932("KPI ID,KPI,目標値,実績,単位\r\n=\"0012\",髙島屋 売上,\"1,000\",△50,円\r\nK2,商談件数,120,30,件\r\n"),
    );
    let run = case.kpi_report(&["run", "in", "--as-of", AS_OF, "--out", "out", "--json"]);
    assert!(run.code <= 1, "{}{}", run.stdout, run.stderr);
    let report = read_json(&case.path("out/goals-report.json"));
    assert_eq!(actual(&report, "0012"), Some(-50.0));
    assert_eq!(actual(&report, "K2"), Some(30.0));
    // An unreadable cell names the line and column.
    case.write("bad.csv", "KPI ID,KPI,目標値\nK1,a,abc\n");
    let run = case.check(&["bad.csv"], &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout.contains("bad.csv:line 2, column 3: error E04"),
        "{}",
        run.stdout
    );
}

/// A budget by month from an export (`--plan`, and `role = "plan"` in the config) is the
/// plan of its metric: the 予実 figures come from it. By hand, as of 2026-05-31, for 4110
/// (aggregation sum): actual 1,000,000 + 500,000 + 1,200,000 − 200,000 = 2,500,000; plan to
/// date 1,400,000 + 1,600,000 = 3,000,000 (June's 1,800,000 is not due); variance −500,000;
/// attainment 2,500,000 / 3,000,000 = 0.8333…; plan total 4,800,000.
#[test]
fn a_plan_from_an_export_is_the_metrics_budget() {
    let case = Case::new();
    let goals = case.path("goals.xlsx");
    write_book(
        &goals,
        &[(
            "KPI",
            rows(&[
                &[
                    "ID",
                    "Name",
                    "Target",
                    "Unit",
                    "Aggregation",
                    "Start",
                    "Deadline",
                ],
                &[
                    "4110",
                    "売上高",
                    "n:24000000",
                    "円",
                    "sum",
                    "d:2026-04-01",
                    "d:2027-03-31",
                ],
            ]),
        )],
    );
    case.write("journal.csv", cp932(JOURNAL));
    case.write(
        "budget.csv",
        "勘定科目コード,月,金額\n4110,2026/04,1400000\n4110,2026/05,1600000\n4110,2026/06,1800000\n",
    );
    let expect = |doc: &serde_json::Value| {
        let m = &doc["metrics"][0];
        assert_eq!(m["id"], "4110");
        assert_eq!(m["actual"], 2_500_000.0);
        assert_eq!(m["plan_to_date"], 3_000_000.0);
        assert_eq!(m["plan_total"], 4_800_000.0);
        assert_eq!(m["variance"], -500_000.0);
        let attainment = m["attainment"].as_f64().unwrap();
        assert!(
            (attainment - 2_500_000.0 / 3_000_000.0).abs() < 1e-12,
            "{attainment}"
        );
    };
    let run = case.kpi_report(&[
        "run",
        "goals.xlsx",
        "--as-of",
        "2026-05-31",
        "--out",
        "out",
        "--json",
        "--actuals",
        "journal.csv",
        "--plan",
        "budget.csv",
    ]);
    assert!(matches!(run.code, 0 | 1), "{}", run.stderr);
    expect(&read_json(&case.path("out/goals-report.json")));

    // The same from the config.
    case.write(
        "kpi-report.toml",
        "[[sources]]\npath = \"journal.csv\"\n\n[[sources]]\npath = \"budget.csv\"\nrole = \"plan\"\n",
    );
    let run = case.kpi_report(&[
        "run",
        "goals.xlsx",
        "--as-of",
        "2026-05-31",
        "--out",
        "out2",
        "--json",
    ]);
    assert!(matches!(run.code, 0 | 1), "{}", run.stderr);
    expect(&read_json(&case.path("out2/goals-report.json")));
}
