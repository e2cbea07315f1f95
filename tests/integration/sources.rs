//! Actuals from accounting exports (SPEC 9): CSV in CP932, UTF-8 (with or without BOM),
//! UTF-16, tab-separated, workbooks; folders with a re-exported month (W17), rows no metric
//! collects (I02), filters, composite keys, unreadable amounts, a CSV as the input itself.
//! Every expected figure is summed by hand from the rows written here.

use crate::support::*;

use encoding_rs::{SHIFT_JIS, WINDOWS_1252};

/// The goal workbook: a KGI and two KPIs keyed by account code; their values are amounts of
/// their month (aggregation sum: journal lines add up, the actual is the total so far).
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
                        "ID",
                        "Parent",
                        "Name",
                        "Target",
                        "Unit",
                        "Deadline",
                        "Owner",
                        "Aggregation",
                    ],
                    &[
                        "4110",
                        "G1",
                        "売上高",
                        "n:24000000",
                        "円",
                        "d:2027-03-31",
                        "田中",
                        "sum",
                    ],
                    &[
                        "5210",
                        "G1",
                        "計測費",
                        "n:1000000",
                        "円",
                        "d:2027-03-31",
                        "髙﨑",
                        "sum",
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

/// The actual of each KPI as of April and as of May (the total of the year so far).
fn actuals_by_month(case: &Case, input: &std::path::Path, extra: &[&str]) -> Vec<Option<f64>> {
    let mut figures = Vec::new();
    for as_of in ["2026-04-30", "2026-05-31"] {
        let report = run_at(case, input, &format!("out-{as_of}"), as_of, extra);
        figures.push(actual(&report, "4110"));
        figures.push(actual(&report, "5210"));
    }
    figures
}

/// By hand from JOURNAL: 4110 April 1,000,000 + 500,000 = 1,500,000; May adds
/// 1,200,000 − 200,000 = 1,000,000, so 2,500,000 to date; 5210 April −2,000 and nothing in
/// May (still −2,000 to date).
const EXPECTED: [Option<f64>; 4] = [
    Some(1_500_000.0),
    Some(-2_000.0),
    Some(2_500_000.0),
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
    // April 1,000 plus May's re-export 950 + 50 (not the first export's 900).
    let may = run_at(&case, &input, "b", "2026-05-31", &["--actuals", "exports"]);
    assert_eq!(actual(&may, "4110"), Some(2000.0));
    let run = case.check(&[&input], &["--actuals", "exports"]);
    let w17 = lines_with(&run.stdout, "W17");
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
    // April's 1,200 + 800.5, then May's 99 (6100 is no metric's).
    assert_eq!(actual(&may, "5210"), Some(2099.5));
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

/// A journal export of tests/fixtures/journals (see make_journals.py there).
fn journal_fixture(fixture: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/journals")
            .join(fixture),
    )
    .unwrap()
}

/// The lines of a `check` output that carry a finding code.
fn lines_with<'a>(stdout: &'a str, code: &str) -> Vec<&'a str> {
    stdout.lines().filter(|l| l.contains(code)).collect()
}

/// A goal workbook of `sum` KPIs, each with the keys of its source cell (header `header`).
fn keyed_goals(case: &Case, header: &str, metrics: &[(&str, &str)]) -> std::path::PathBuf {
    let path = case.path("goals.xlsx");
    let mut table: Vec<Vec<String>> = vec![["ID", "Name", "Target", "Aggregation", header]
        .map(String::from)
        .to_vec()];
    for (id, keys) in metrics {
        table.push(
            [*id, &format!("指標 {id}"), "n:1000000", "sum", keys]
                .map(String::from)
                .to_vec(),
        );
    }
    write_book(&path, &[("KPI", table)]);
    path
}

fn config_source(key: &str) -> String {
    format!("[[sources]]\npath = \"export.csv\"\nkey = {key}\ndate = \"月\"\nvalue = \"金額\"\n")
}

/// A source cell lists several keys (`,` `、` `;` `+`) and wildcards: `4110/*` every
/// department of 4110, `9*` every account starting with 9. A row collected by two metrics
/// counts for both (SPEC 9 forbids nothing of the kind: `4110/*` and `4110/営業1部` both take
/// 4110/営業1部's rows). By hand from JOURNAL, as of 2026-05-31 (sum metrics):
/// - ALL `4110/*`: 1,000,000 + 500,000 + 1,200,000 − 200,000 = 2,500,000
/// - TWO `4110/営業1部, 9999/本社`: 1,000,000 + 1,200,000 + 300 = 2,200,300
/// - NINE `9*`: 300 + 25 = 325
/// - MIX `4110/営業2部、5210/営業Ⅲ課 + 9998/本社`: 500,000 − 200,000 − 2,000 + 25 = 298,025
/// - RULE, no source cell, `source = "9999/*"` from a `[[set]]` rule: 300
///
/// Every row is collected by some metric: no I02.
#[test]
fn a_source_cell_with_several_keys_and_wildcards() {
    let case = Case::new();
    let input = keyed_goals(
        &case,
        "Source",
        &[
            ("ALL", "4110/*"),
            ("TWO", "4110/営業1部, 9999/本社"),
            ("NINE", "9*"),
            ("MIX", "4110/営業2部、5210/営業Ⅲ課 + 9998/本社"),
            ("RULE", ""),
        ],
    );
    case.write("export.csv", cp932(JOURNAL));
    case.write(
        "kpi-report.toml",
        config_source("[\"勘定科目コード\", \"部門\"]")
            + "\n[[set]]\nmatch = [\"RULE\"]\nsource = \"9999/*\"\n",
    );
    let report = run_at(&case, &input, "out", "2026-05-31", &[]);
    assert_eq!(actual(&report, "ALL"), Some(2_500_000.0));
    assert_eq!(actual(&report, "TWO"), Some(2_200_300.0));
    assert_eq!(actual(&report, "NINE"), Some(325.0));
    assert_eq!(actual(&report, "MIX"), Some(298_025.0));
    assert_eq!(actual(&report, "RULE"), Some(300.0));
    let run = case.check(&[&input], &["--verbose"]);
    assert!(!run.stdout.contains("I02"), "{}", run.stdout);
}

/// A composite key with the department first: `営業1部/*` is every account of 営業1部, and the
/// Japanese header 集計キー names the column. By hand from JOURNAL, as of 2026-05-31:
/// 営業1部 1,000,000 + 1,200,000 = 2,200,000; 本社 300 + 25 = 325. The other rows
/// (営業2部's two, 営業Ⅲ課's one) are I02: 3 rows, 500,000 − 200,000 − 2,000 = 298,000.
#[test]
fn a_department_wildcard_takes_every_account_of_the_department() {
    let case = Case::new();
    let input = keyed_goals(
        &case,
        "集計キー",
        &[("EIGYO1", "営業1部/*"), ("HQ", "本社/*")],
    );
    case.write("export.csv", cp932(JOURNAL));
    case.write(
        "kpi-report.toml",
        config_source("[\"部門\", \"勘定科目コード\"]"),
    );
    let report = run_at(&case, &input, "out", "2026-05-31", &[]);
    assert_eq!(actual(&report, "EIGYO1"), Some(2_200_000.0));
    assert_eq!(actual(&report, "HQ"), Some(325.0));
    let run = case.check(&[&input], &["--verbose"]);
    let i02 = lines_with(&run.stdout, "I02");
    assert_eq!(i02.len(), 1, "{}", run.stdout);
    assert!(
        i02[0].contains("3 row(s) (total 298000)") || i02[0].contains("3 行(合計 298000)"),
        "{}",
        i02[0]
    );
}

/// One journal export of each product in tests/fixtures/journals (made by make_journals.py,
/// which prints the expected figures): sales on the credit side, costs on the debit side, and
/// the net of the sales account (credit less the return on the debit side). By hand from the
/// five lines, as of 2026-05-31: credit 売上高 110,000 + 55,000 = 165,000; debit 旅費交通費
/// 12,300 + 700 = 13,000; net 売上高 165,000 − 10,000 = 155,000. As of 2026-04-30 the sales
/// are 110,000.
fn journal_case(fixture: &str, source_block: &str, keys: [&str; 3]) {
    let case = Case::new();
    let input = keyed_goals(
        &case,
        "集計キー",
        &[("SALES", keys[0]), ("COSTS", keys[1]), ("NET", keys[2])],
    );
    let bytes = journal_fixture(fixture);
    case.write(fixture, bytes);
    case.write(
        "kpi-report.toml",
        format!("[[sources]]\npath = \"{fixture}\"\n{source_block}"),
    );
    let report = run_at(&case, &input, "out", "2026-05-31", &[]);
    assert_eq!(actual(&report, "SALES"), Some(165_000.0), "{fixture}");
    assert_eq!(actual(&report, "COSTS"), Some(13_000.0), "{fixture}");
    assert_eq!(actual(&report, "NET"), Some(155_000.0), "{fixture}");
    let april = run_at(&case, &input, "april", "2026-04-30", &[]);
    assert_eq!(actual(&april, "SALES"), Some(110_000.0), "{fixture}");
}

#[test]
fn a_freee_journal_export_gives_sales_costs_and_net() {
    journal_case(
        "freee.csv",
        "date = \"取引日\"\n\
         debit = { key = [\"借方勘定科目\"], amount = \"借方金額\" }\n\
         credit = { key = [\"貸方勘定科目\"], amount = \"貸方金額\" }\n",
        ["貸方:売上高", "借方:旅費交通費", "売上高"],
    );
}

#[test]
fn a_money_forward_journal_export_gives_sales_costs_and_net() {
    journal_case(
        "moneyforward.csv",
        "date = \"取引日\"\n\
         debit = { key = [\"借方勘定科目\"], amount = \"借方金額(円)\" }\n\
         credit = { key = [\"貸方勘定科目\"], amount = \"貸方金額(円)\" }\n",
        ["credit:売上高", "debit:旅費交通費", "net:売上高"],
    );
}

#[test]
fn a_yayoi_journal_export_without_a_header_gives_sales_costs_and_net() {
    journal_case(
        "yayoi.csv",
        "date = \"#4\"\n\
         debit = { key = [\"#5\"], amount = \"#9\" }\n\
         credit = { key = [\"#11\"], amount = \"#15\" }\n",
        ["貸方:売上高", "借方:旅費交通費", "差額:売上高"],
    );
}

#[test]
fn a_kanjo_bugyo_journal_export_with_item_codes_gives_sales_costs_and_net() {
    // The last line continues the previous slip: its empty 伝票日付 is the slip's date.
    journal_case(
        "bugyo.csv",
        "date = \"CSJS005\"\n\
         debit = { key = [\"CSJS201\"], amount = \"CSJS213\" }\n\
         credit = { key = [\"CSJS301\"], amount = \"CSJS313\" }\n",
        ["credit:4110", "debit:7410", "4110"],
    );
}

/// Without a config, `--actuals` tells a journal from its 借方/貸方 account and amount headers
/// (freee's and マネーフォワード's); the figures are those of the config blocks. Lines no metric
/// collects are I02 with the side named: by hand, debit 売掛金 110,000 + 55,000, credit 未払金
/// 12,300, credit 売掛金 10,000 and credit 現金 700: 5 lines, 188,000.
#[test]
fn journal_exports_are_recognised_without_a_config() {
    for fixture in ["freee.csv", "moneyforward.csv"] {
        let case = Case::new();
        let input = keyed_goals(
            &case,
            "Source",
            &[
                ("SALES", "貸方:売上高"),
                ("COSTS", "借方:旅費交通費"),
                ("NET", "売上高"),
            ],
        );
        let bytes = journal_fixture(fixture);
        case.write(fixture, bytes);
        let report = run_at(&case, &input, "out", "2026-05-31", &["--actuals", fixture]);
        assert_eq!(actual(&report, "SALES"), Some(165_000.0), "{fixture}");
        assert_eq!(actual(&report, "COSTS"), Some(13_000.0), "{fixture}");
        assert_eq!(actual(&report, "NET"), Some(155_000.0), "{fixture}");
        let run = case.check(&[&input], &["--actuals", fixture, "--verbose"]);
        let i02 = lines_with(&run.stdout, "I02");
        assert_eq!(i02.len(), 1, "{}", run.stdout);
        assert!(
            i02[0].contains("5 row(s) (total 188000)") && i02[0].contains("debit:売掛金"),
            "{}",
            i02[0]
        );
    }
}

/// Aggregation decides what two rows of one key in one month mean (SPEC 4, as on the Actuals
/// sheet): a `last` balance takes the later row and W12 names both cells; an `average`
/// metric takes the later row too and averages the months; a `sum` metric adds the rows.
/// By hand, as of 2026-05-31:
/// - 1110 (last): April 500 then 800 → 800 (W12: lines 2 and 3); May 900 → 900.
/// - 2110 (average): April 100 then 300 → 300; May 200; mean (300 + 200) / 2 = 250.
/// - 4110 (sum): April 10 + 20, May 5 → 35; no W12.
#[test]
fn a_last_metric_with_two_rows_in_a_month_takes_the_later_with_w12() {
    let case = Case::new();
    let path = case.path("goals.xlsx");
    write_book(
        &path,
        &[(
            "KPI",
            rows(&[
                &["ID", "Name", "Target", "Aggregation"],
                &["1110", "現金残高", "n:1000", "last"],
                &["2110", "平均在庫", "n:1000", "average"],
                &["4110", "売上高", "n:1000", "sum"],
            ]),
        )],
    );
    case.write(
        "balances.csv",
        "勘定科目コード,月,金額\n1110,2026/04,500\n1110,2026/04,800\n1110,2026/05,900\n\
         2110,2026/04,100\n2110,2026/04,300\n2110,2026/05,200\n\
         4110,2026/04,10\n4110,2026/04,20\n4110,2026/05,5\n",
    );
    let report = run_at(
        &case,
        &path,
        "out",
        "2026-05-31",
        &["--actuals", "balances.csv"],
    );
    assert_eq!(actual(&report, "1110"), Some(900.0));
    assert_eq!(actual(&report, "2110"), Some(250.0));
    assert_eq!(actual(&report, "4110"), Some(35.0));
    let april = run_at(
        &case,
        &path,
        "april",
        "2026-04-30",
        &["--actuals", "balances.csv"],
    );
    assert_eq!(actual(&april, "1110"), Some(800.0));
    let run = case.check(&[&path], &["--actuals", "balances.csv"]);
    let w12 = lines_with(&run.stdout, "W12");
    assert_eq!(w12.len(), 2, "{}", run.stdout);
    assert!(
        w12.iter()
            .any(|l| l.contains("balances.csv line 2, column 3")
                && l.contains("the later one, balances.csv line 3, column 3")),
        "{}",
        run.stdout
    );
    // 4110's rows (lines 8 and 9) add up: no W12 for them.
    assert!(
        w12.iter()
            .all(|l| !l.contains("line 8") && !l.contains("line 9")),
        "{}",
        run.stdout
    );
}

/// A source that cannot be read is an error of every input that uses it, naming the source;
/// an input whose only problem it is exits 2 and gets no report.
#[test]
fn a_broken_source_is_an_error_of_every_input() {
    let case = Case::new();
    let first = goals(&case);
    let second = case.path("second.xlsx");
    std::fs::copy(&first, &second).unwrap();
    // No amount column: E07 naming the file.
    case.write("broken.csv", "勘定科目コード,月,摘要\n4110,2026/04,x\n");
    let run = case.check(&[&first, &second], &["--actuals", "broken.csv"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    for input in ["goals.xlsx", "second.xlsx"] {
        assert!(
            run.stdout
                .lines()
                .any(|l| l.contains(&format!("{input}:broken.csv: error E07"))),
            "{input}: {}",
            run.stdout
        );
    }
    let run = case.kpi_report(&[
        "run",
        "goals.xlsx",
        "second.xlsx",
        "--as-of",
        "2026-05-31",
        "--out",
        "out",
        "--actuals",
        "broken.csv",
    ]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(case.files("out").is_empty(), "{:?}", case.files("out"));
}

/// Without a side prefix a metric takes the net on its natural side: a cost held under a
/// budget (`stay_below`, set by a `[[set]]` rule) takes debit − credit, a sales metric credit −
/// debit. By hand from freee.csv, as of 2026-05-31: 旅費交通費 debit 12,300 + 700 = 13,000,
/// credit none → 13,000 (not −13,000); 売上高 credit 165,000 − debit 10,000 = 155,000; 売掛金
/// (an asset, here a `decrease` metric) debit 110,000 + 55,000 − credit 10,000 = 155,000.
#[test]
fn without_a_side_a_cost_takes_debit_less_credit_and_sales_credit_less_debit() {
    let case = Case::new();
    let input = keyed_goals(
        &case,
        "Source",
        &[
            ("COSTS", "旅費交通費"),
            ("NET", "売上高"),
            ("AR", "net:売掛金"),
        ],
    );
    case.write("freee.csv", journal_fixture("freee.csv"));
    case.write(
        "kpi-report.toml",
        "[[set]]\nmatch = [\"COSTS\"]\ndirection = \"stay_below\"\n\
         [[set]]\nmatch = [\"AR\"]\ndirection = \"decrease\"\n",
    );
    let report = run_at(
        &case,
        &input,
        "out",
        "2026-05-31",
        &["--actuals", "freee.csv"],
    );
    assert_eq!(actual(&report, "COSTS"), Some(13_000.0));
    assert_eq!(actual(&report, "NET"), Some(155_000.0));
    assert_eq!(actual(&report, "AR"), Some(155_000.0));
}

/// A journal export fed to a `last` metric has two rows in many months: W12 is said once
/// for the metric, naming the first pair and counting the other months (here April's
/// lines 2 and 3, then May and June twice as well: "2 more dates"), not once per month.
#[test]
fn w12_is_said_once_per_metric_with_the_count_of_other_dates() {
    let case = Case::new();
    let path = case.path("goals.xlsx");
    write_book(
        &path,
        &[(
            "KPI",
            rows(&[
                &["ID", "Name", "Target", "Aggregation"],
                &["1110", "現金残高", "n:1000", "last"],
            ]),
        )],
    );
    case.write(
        "balances.csv",
        "勘定科目コード,月,金額\n1110,2026/04,500\n1110,2026/04,800\n1110,2026/05,900\n\
         1110,2026/05,950\n1110,2026/06,700\n1110,2026/06,710\n",
    );
    let run = case.check(&[&path], &["--actuals", "balances.csv"]);
    let w12 = lines_with(&run.stdout, "W12");
    assert_eq!(w12.len(), 1, "{}", run.stdout);
    assert!(
        w12[0].contains("balances.csv line 2, column 3")
            && w12[0].contains("(and on 2 more dates)"),
        "{}",
        w12[0]
    );
    let run = case.check(&[&path], &["--actuals", "balances.csv", "--lang", "ja"]);
    let w12 = lines_with(&run.stdout, "W12");
    assert!(w12[0].contains("ほかに2つの日付でも同様"), "{}", w12[0]);
}

/// A 予実 grid given as a workbook export (`--actuals`/`--plan`, shape told by its
/// sub-header): each role takes its own sub-column, never the group's first (the 予算).
/// Months without a year under a `2026年度` title (April start). By hand, as of
/// 2026-05-31, account 4110: 実績 900 (4月) + 1,300 (5月) = 2,200; 予算 1,000 + 1,100 =
/// 2,100 to date; 差異 columns ignored. The same grid as a CSV gives the same figures.
#[test]
fn a_yojitsu_grid_export_gives_each_role_its_own_sub_column() {
    let case = Case::new();
    let path = case.path("goals.xlsx");
    write_book(
        &path,
        &[(
            "KPI",
            rows(&[
                &["ID", "Name", "Target", "Aggregation", "Deadline"],
                &["4110", "売上高", "n:12000", "sum", "2027-03-31"],
            ]),
        )],
    );
    let grid = case.path("yojitsu.xlsx");
    write_book(
        &grid,
        &[(
            "予実",
            rows(&[
                &["2026年度 予実管理表", "", "", "", "", "", ""],
                &["科目コード", "4月", "", "", "5月", "", ""],
                &["", "予算", "実績", "差異", "予算", "実績", "差異"],
                &[
                    "4110", "n:1000", "n:900", "n:-100", "n:1100", "n:1300", "n:200",
                ],
            ]),
        )],
    );
    let report = run_at(
        &case,
        &path,
        "out",
        "2026-05-31",
        &["--actuals", "yojitsu.xlsx", "--plan", "yojitsu.xlsx"],
    );
    assert_eq!(actual(&report, "4110"), Some(2_200.0));
    let metric = crate::support::metric(&report, "4110");
    assert_eq!(metric["plan_to_date"].as_f64(), Some(2_100.0), "{metric}");

    case.write(
        "yojitsu.csv",
        "2026年度 予実管理表\n科目コード,4月,,,5月,,\n,予算,実績,差異,予算,実績,差異\n\
         4110,1000,900,-100,1100,1300,200\n",
    );
    let report = run_at(
        &case,
        &path,
        "csv",
        "2026-05-31",
        &["--actuals", "yojitsu.csv", "--plan", "yojitsu.csv"],
    );
    assert_eq!(actual(&report, "4110"), Some(2_200.0));
    let metric = crate::support::metric(&report, "4110");
    assert_eq!(metric["plan_to_date"].as_f64(), Some(2_100.0), "{metric}");
}
