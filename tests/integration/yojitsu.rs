//! 予実 (plan vs actual) through the binary: monthly amounts that add up, a budget phased
//! by month on a Plan sheet, ceilings and floors, forecast methods, the periods series and
//! the checks on values over time, read back from the JSON report. Every expected figure is
//! worked out by hand in the comment beside it; the seasonal budget is the README's worked
//! example, also computed by `tests/fixtures/yojitsu/expected.py`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{read_json, sheet, write_book, Case};
use calamine::DataType;

const MONTHS_JA: [&str; 12] = [
    "2026年4月",
    "2026年5月",
    "2026年6月",
    "2026年7月",
    "2026年8月",
    "2026年9月",
    "2026年10月",
    "2026年11月",
    "2026年12月",
    "2027年1月",
    "2027年2月",
    "2027年3月",
];

/// A row: the cells given, then numbers `n:` for each value (empty for `None`).
fn row(head: &[&str], values: &[Option<f64>]) -> Vec<String> {
    let mut cells: Vec<String> = head.iter().map(|s| s.to_string()).collect();
    cells.extend(
        values
            .iter()
            .map(|v| v.map(|v| format!("n:{v}")).unwrap_or_default()),
    );
    cells
}

fn some(values: &[f64]) -> Vec<Option<f64>> {
    values.iter().copied().map(Some).collect()
}

/// The README's seasonal budget, in Japanese: a sales KGI (千円) with a phased plan, a cost
/// ceiling, a margin floor, new customers counted per month (with a baseline that a sum
/// metric ignores) and a level metric fed monthly amounts.
pub(crate) fn seasonal_book(case: &Case) -> PathBuf {
    let path = case.path("予実.xlsx");
    let kgi = vec![
        row(
            &[
                "コード",
                "目標名",
                "目標値",
                "単位",
                "開始日",
                "期限",
                "集計方法",
                "担当者",
                "測定頻度",
            ],
            &[],
        ),
        row(
            &[
                "G1",
                "売上高",
                "n:12000",
                "千円",
                "d:2026-04-01",
                "d:2027-03-31",
                "合計",
                "佐藤",
                "月次",
            ],
            &[],
        ),
    ];
    let kpi = vec![
        row(
            &[
                "コード",
                "親ID",
                "指標名",
                "目標値",
                "基準値",
                "単位",
                "方向",
                "集計方法",
                "着地見込方法",
                "担当者",
                "測定頻度",
            ],
            &[],
        ),
        row(
            &[
                "K1",
                "G1",
                "販管費",
                "n:6000",
                "",
                "千円",
                "以下に抑える",
                "合計",
                "",
                "鈴木",
                "月次",
            ],
            &[],
        ),
        row(
            &[
                "K2",
                "G1",
                "粗利率",
                "n:0.3",
                "",
                "%",
                "以上を維持",
                "",
                "",
                "鈴木",
                "月次",
            ],
            &[],
        ),
        row(
            &[
                "K3",
                "G1",
                "新規顧客数",
                "n:150",
                "n:5",
                "社",
                "増加",
                "累計",
                "直近3か月平均",
                "田中",
                "月次",
            ],
            &[],
        ),
        row(
            &[
                "K4",
                "G1",
                "受注件数",
                "n:250",
                "",
                "件",
                "増加",
                "",
                "",
                "田中",
                "月次",
            ],
            &[],
        ),
    ];
    let mut head = vec!["コード"];
    head.extend(MONTHS_JA);
    let plan = vec![
        row(&head, &[]),
        row(
            &["G1"],
            &some(&[
                800., 800., 900., 900., 800., 1000., 1000., 1100., 1500., 900., 1000., 1300.,
            ]),
        ),
        row(&["K1"], &some(&[500.0; 12])),
    ];
    let mut head = vec!["コード"];
    head.extend(&MONTHS_JA[..6]);
    let actuals = vec![
        row(&head, &[]),
        row(&["G1"], &some(&[760., 820., 850., 880., 790., 1020.])),
        row(&["K1"], &some(&[480., 510., 520., 530., 490., 500.])),
        row(
            &["K2"],
            &[None, None, Some(0.32), Some(0.31), Some(0.33), Some(0.29)],
        ),
        row(&["K3"], &some(&[10., 12., 9., 11., 14., 13.])),
        row(
            &["K4"],
            &[None, None, Some(20.), Some(25.), Some(18.), Some(22.)],
        ),
    ];
    write_book(
        &path,
        &[
            ("KGI一覧", kgi),
            ("KPI一覧", kpi),
            ("予算", plan),
            ("実績", actuals),
        ],
    );
    path
}

/// `run INPUT --as-of AS_OF --out out --json` plus `extra`: the exit code and the JSON.
fn run_at(case: &Case, input: &Path, as_of: &str, extra: &[&str]) -> (i32, Value) {
    let mut args = vec![
        "run",
        input.to_str().unwrap(),
        "--as-of",
        as_of,
        "--out",
        "out",
        "--json",
    ];
    args.extend(extra);
    let run = case.kpi_report(&args);
    let stem = input.file_stem().unwrap().to_str().unwrap();
    let json = case.path("out").join(format!("{stem}-report.json"));
    assert!(json.is_file(), "exit {}: {}", run.code, run.stderr);
    (run.code, read_json(&json))
}

fn metric<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap_or_else(|| panic!("no metric {id}"))
}

fn close(actual: &Value, expected: f64) {
    let a = actual
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {actual}"));
    assert!(
        (a - expected).abs() <= 1e-9 * expected.abs().max(1.0),
        "{a} != {expected}"
    );
}

fn checks<'a>(doc: &'a Value, code: &str) -> Vec<&'a Value> {
    doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["code"] == code)
        .collect()
}

#[test]
fn a_seasonal_budget_gives_plan_to_date_variance_attainment_and_a_run_rate_landing() {
    let case = Case::new();
    let input = seasonal_book(&case);
    let (code, doc) = run_at(&case, &input, "2026-09-30", &[]);
    assert_eq!(code, 0);
    assert_eq!(doc["lang"], "ja");
    let g1 = metric(&doc, "G1");
    assert_eq!(g1["aggregation"], "sum");
    // 実績 A = 760+820+850+880+790+1,020 = 5,120 (not September's 1,020).
    close(&g1["actual"], 5120.0);
    // 予算 to date P(t) = 800+800+900+900+800+1,000 = 5,200; full-year plan 12,000.
    close(&g1["plan_to_date"], 5200.0);
    close(&g1["plan_total"], 12000.0);
    // 差異 v = 5,120 − 5,200 = −80; 達成率 a = 5,120/5,200 = 0.984615…
    close(&g1["variance"], -80.0);
    close(&g1["attainment"], 5120.0 / 5200.0);
    // ê = 5,200/12,000; p = 5,120/12,000; π = p/ê = 0.9846 → on_track (the straight line,
    // 6,000 by now, would say π = 0.853, at_risk).
    close(&g1["expected_progress"], 5200.0 / 12000.0);
    close(&g1["progress"], 5120.0 / 12000.0);
    close(&g1["pace"], 5120.0 / 5200.0);
    assert_eq!(g1["status"], "on_track");
    // 着地見込み (run_rate): 5,120 + (12,000 − 5,200) × 5,120/5,200 = 11,815.38…
    assert_eq!(g1["forecast_method"], "run_rate");
    close(&g1["forecast"], 5120.0 + 6800.0 * 5120.0 / 5200.0);
    // Previous month (08-31): 4,100 of 12,000.
    close(&g1["previous"]["progress"], 4100.0 / 12000.0);
    // The periods: twelve months, running totals for a sum metric.
    let periods = g1["periods"].as_array().unwrap();
    assert_eq!(periods.len(), 12);
    assert_eq!(periods[5]["period"], "2026-09");
    assert_eq!(periods[5]["end"], "2026-09-30");
    close(&periods[5]["actual"], 1020.0);
    close(&periods[5]["actual_cumulative"], 5120.0);
    close(&periods[5]["plan_cumulative"], 5200.0);
    close(&periods[6]["plan"], 1000.0);
    close(&periods[6]["plan_cumulative"], 6200.0);
    assert!(periods[6]["actual"].is_null());
    assert!(periods[6]["actual_cumulative"].is_null());
}

#[test]
fn a_cost_ceiling_over_plan_and_a_margin_floor_below_it() {
    let case = Case::new();
    let input = seasonal_book(&case);
    let (_, doc) = run_at(&case, &input, "2026-09-30", &[]);
    let k1 = metric(&doc, "K1");
    assert_eq!(k1["direction"], "stay_below");
    // 3,030 spent against 3,000 planned: v = +30 (over), a = 1.01, π = 3,000/3,030 → at_risk
    close(&k1["actual"], 3030.0);
    close(&k1["variance"], 30.0);
    close(&k1["attainment"], 1.01);
    close(&k1["pace"], 3000.0 / 3030.0);
    assert_eq!(k1["status"], "at_risk");
    // shortfall A − T = 3,030 − 6,000 (within the ceiling); landing 3,030 + 3,000 × 1.01
    close(&k1["shortfall"], -2970.0);
    close(&k1["forecast"], 6060.0);
    assert!(k1["rate_so_far"].is_null());
    let k2 = metric(&doc, "K2");
    assert_eq!(k2["direction"], "stay_above");
    assert_eq!(k2["aggregation"], "last");
    // 0.29 against the floor 0.30: P(t) = T, π = 0.29/0.30 → at_risk; not achieved.
    close(&k2["actual"], 0.29);
    close(&k2["plan_to_date"], 0.3);
    close(&k2["pace"], 0.29 / 0.3);
    assert_eq!(k2["status"], "at_risk");
    assert!(k2.get("plan_total").is_none());
    // The K1 priority is its projected overrun: p̂ − 1 = 6,060/6,000 − 1 = 0.01.
    let priority = doc["priorities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "K1")
        .unwrap();
    close(&priority["shortfall_ratio"], 0.01);
}

#[test]
fn new_customers_counted_per_month_with_the_average3_landing_and_i04() {
    let case = Case::new();
    let input = seasonal_book(&case);
    let (_, doc) = run_at(&case, &input, "2026-09-30", &[]);
    let k3 = metric(&doc, "K3");
    // 10+12+9+11+14+13 = 69; the baseline 5 is ignored (I04): p = 69/150.
    close(&k3["actual"], 69.0);
    assert!(k3["baseline"].is_null());
    close(&k3["progress"], 0.46);
    // No plan: the straight line 150 × 0.5 = 75; π = 0.46/0.5 = 0.92 → at_risk.
    close(&k3["plan_to_date"], 75.0);
    close(&k3["pace"], 0.92);
    assert_eq!(k3["status"], "at_risk");
    // 直近3か月平均: (11+14+13)/3 for the 6 months left: 69 + 6 × 38/3 = 145.
    assert_eq!(k3["forecast_method"], "average3");
    close(&k3["forecast"], 69.0 + 6.0 * 38.0 / 3.0);
    let i04 = checks(&doc, "I04");
    assert_eq!(i04.len(), 1);
    assert_eq!(i04[0]["id"], "K3");
    assert_eq!(i04[0]["location"], "KPI一覧!E4");
    assert!(i04[0]["message"]
        .as_str()
        .unwrap()
        .contains("基準値は使いません"));
}

#[test]
fn w16_tells_the_user_to_set_the_aggregation_to_sum() {
    let case = Case::new();
    let input = seasonal_book(&case);
    let (_, doc) = run_at(&case, &input, "2026-09-30", &[]);
    // K4: 20, 25, 18, 22 taken as levels: the actual is 22 of 250; 250 > 4 × 25 and the
    // series falls (25 → 18): W16.
    close(&metric(&doc, "K4")["actual"], 22.0);
    let w16 = checks(&doc, "W16");
    assert_eq!(w16.len(), 1, "{w16:?}");
    assert_eq!(w16[0]["id"], "K4");
    assert!(w16[0]["message"]
        .as_str()
        .unwrap()
        .contains("集計方法 = 合計"));
    // G1's plan adds up to its target, K1's too: no W13. No missing month: no W14.
    assert!(checks(&doc, "W13").is_empty());
    assert!(checks(&doc, "W14").is_empty());
    // The same run in English: the message says what to do.
    let (_, doc) = run_at(&case, &input, "2026-09-30", &["--lang", "en"]);
    let w16 = checks(&doc, "W16");
    assert!(w16[0]["message"]
        .as_str()
        .unwrap()
        .contains("set aggregation = sum"));
}

#[test]
fn the_report_workbook_is_written_with_the_figures_of_the_analysis() {
    let case = Case::new();
    let input = seasonal_book(&case);
    let (code, _) = run_at(&case, &input, "2026-09-30", &[]);
    assert_eq!(code, 0);
    let kpis = sheet(&case.path("out").join("予実-report.xlsx"), "KPI一覧");
    // The K1 row shows the analysis's pace against the plan (3,000/3,030), not p/e.
    let pace = kpis
        .rows()
        .find(|r| {
            r.iter()
                .any(|c| matches!(c, calamine::Data::String(s) if s == "K1"))
        })
        .and_then(|r| {
            r.iter()
                .filter_map(|c| match c {
                    calamine::Data::Float(v) => Some(*v),
                    _ => None,
                })
                .find(|v| (v - 3000.0 / 3030.0).abs() < 1e-9)
        });
    assert!(pace.is_some(), "no pace 0.990 on the K1 row");
}

/// An English workbook: long Actuals and a long Budget sheet.
fn table<'a>(rows: &[&[&'a str]]) -> Vec<Vec<&'a str>> {
    rows.iter().map(|r| r.to_vec()).collect()
}

fn english_book(
    case: &Case,
    name: &str,
    kpis: &[&[&str]],
    actuals: &[&[&str]],
    plan: &[&[&str]],
) -> PathBuf {
    let path = case.path(name);
    let mut kpi_rows: Vec<&[&str]> = vec![&[
        "ID",
        "Parent",
        "Name",
        "Target",
        "Unit",
        "Direction",
        "Aggregation",
        "Forecast method",
        "Deadline",
        "Owner",
        "Frequency",
    ]];
    kpi_rows.extend(kpis);
    let mut sheets = vec![
        (
            "KGI",
            table(&[
                &[
                    "ID",
                    "Name",
                    "Target",
                    "Unit",
                    "Start",
                    "Deadline",
                    "Rollup",
                    "Owner",
                    "Frequency",
                ],
                &[
                    "G",
                    "Sales",
                    "n:100",
                    "JPY",
                    "d:2026-04-01",
                    "d:2027-03-31",
                    "sum",
                    "Ann",
                    "monthly",
                ],
            ]),
        ),
        ("KPI", table(&kpi_rows)),
    ];
    let mut actual_rows: Vec<&[&str]> = vec![&["ID", "Date", "Value"]];
    actual_rows.extend(actuals);
    sheets.push(("Actuals", table(&actual_rows)));
    if !plan.is_empty() {
        let mut plan_rows: Vec<&[&str]> = vec![&["ID", "Month", "Budget"]];
        plan_rows.extend(plan);
        sheets.push(("Budget", table(&plan_rows)));
    }
    write_book(&path, &sheets);
    path
}

#[test]
fn a_sum_kgi_forecasts_its_regions_at_its_own_deadline() {
    let case = Case::new();
    let input = english_book(
        &case,
        "regions.xlsx",
        &[
            &[
                "R1", "G", "Region 1", "n:66", "JPY", "", "", "", "", "Ann", "monthly",
            ],
            &[
                "R2",
                "G",
                "Region 2",
                "n:34",
                "JPY",
                "",
                "",
                "",
                "d:2027-06-30",
                "Ann",
                "monthly",
            ],
        ],
        &[
            &["R1", "d:2026-09-30", "n:33"],
            &["R2", "d:2026-09-30", "n:13"],
        ],
        &[],
    );
    let (_, doc) = run_at(&case, &input, "2026-09-30", &[]);
    // R1: one value, A/e = 33/(182/364) = 66 by 2027-03-31.
    close(&metric(&doc, "R1")["forecast"], 66.0);
    // R2 at its own deadline 2027-06-30 (455 days from the start): 13 × 455/182 = 32.5.
    close(&metric(&doc, "R2")["forecast"], 32.5);
    // The KGI ends 2027-03-31: R2 expected then is 13/0.5 = 26; 66 + 26 = 92 (not 98.5).
    close(&metric(&doc, "G")["forecast"], 92.0);
}

#[test]
fn journal_lines_add_up_and_two_levels_on_one_date_are_w12() {
    let case = Case::new();
    let input = english_book(
        &case,
        "journal.xlsx",
        &[
            &[
                "S", "G", "Sales", "n:100", "JPY", "", "sum", "", "", "Ann", "monthly",
            ],
            &[
                "H",
                "G",
                "Headcount",
                "n:12",
                "people",
                "",
                "",
                "",
                "",
                "Ann",
                "monthly",
            ],
        ],
        &[
            &["S", "d:2026-09-30", "n:10"],
            &["S", "d:2026-09-30", "n:15"],
            &["S", "d:2026-08-31", "n:20"],
            &["H", "d:2026-09-30", "n:10"],
            &["H", "d:2026-09-30", "n:11"],
        ],
        &[],
    );
    let (_, doc) = run_at(&case, &input, "2026-09-30", &[]);
    // Journal lines of a sum metric: 10 + 15 + 20.
    close(&metric(&doc, "S")["actual"], 45.0);
    let periods = metric(&doc, "S")["periods"].as_array().unwrap();
    close(&periods[5]["actual"], 25.0);
    // A level metric with two values on 09-30: the later row (11) and W12 naming both cells.
    close(&metric(&doc, "H")["actual"], 11.0);
    let w12 = checks(&doc, "W12");
    assert_eq!(w12.len(), 1);
    assert_eq!(w12[0]["id"], "H");
    assert_eq!(w12[0]["location"], "Actuals!C6");
    let message = w12[0]["message"].as_str().unwrap();
    assert!(
        message.contains("Actuals!C5") && message.contains("Actuals!C6"),
        "{message}"
    );
    // The periods of a level metric carry no running totals.
    let periods = metric(&doc, "H")["periods"].as_array().unwrap();
    assert!(periods[5].get("actual_cumulative").is_none());
}

#[test]
fn a_long_budget_sheet_w13_and_w14() {
    let case = Case::new();
    let input = english_book(
        &case,
        "budget.xlsx",
        &[&[
            "C", "G", "Travel", "n:1000", "JPY", "ceiling", "sum", "plan", "", "Ann", "monthly",
        ]],
        &[
            &["C", "d:2026-04-30", "n:100"],
            &["C", "d:2026-05-31", "n:100"],
            &["C", "d:2026-07-31", "n:100"],
        ],
        &[
            &["C", "2026-04", "n:100"],
            &["C", "2026-05", "n:100"],
            &["C", "2026-06", "n:100"],
            &["C", "2026-07", "n:100"],
            &["C", "2026-08", "n:100"],
            &["C", "2026-09", "n:100"],
        ],
    );
    let (_, doc) = run_at(&case, &input, "2026-09-30", &[]);
    let c = metric(&doc, "C");
    // Plan to date 600 (= plan total: the budget runs to September), A = 300.
    close(&c["plan_to_date"], 600.0);
    close(&c["plan_total"], 600.0);
    close(&c["variance"], -300.0);
    // plan: A + (plan_total − P(t)) = 300 + 0
    assert_eq!(c["forecast_method"], "plan");
    close(&c["forecast"], 300.0);
    // W13: the plan adds up to 600, not the target 1,000.
    let w13 = checks(&doc, "W13");
    assert_eq!(w13.len(), 1);
    assert!(w13[0]["message"].as_str().unwrap().contains("600"));
    // W14: June, August and September have no amount.
    let w14 = checks(&doc, "W14");
    assert_eq!(w14.len(), 1);
    assert!(w14[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("no value for 2026-06, 2026-08, 2026-09"));
}

#[test]
fn config_default_aggregation_and_forecast_method() {
    let case = Case::new();
    let input = english_book(
        &case,
        "config.xlsx",
        &[&[
            "K", "G", "Sales", "n:100", "JPY", "", "", "", "", "Ann", "monthly",
        ]],
        &[
            &["K", "d:2026-08-31", "n:20"],
            &["K", "d:2026-09-30", "n:30"],
        ],
        &[],
    );
    // As v1: the latest value.
    let (_, doc) = run_at(&case, &input, "2026-09-30", &[]);
    close(&metric(&doc, "K")["actual"], 30.0);
    assert_eq!(metric(&doc, "K")["aggregation"], "last");
    case.write(
        "kpi-report.toml",
        "default_aggregation = \"sum\"\nforecast_method = \"average3\"\n",
    );
    let (_, doc) = run_at(&case, &input, "2026-09-30", &[]);
    let k = metric(&doc, "K");
    close(&k["actual"], 50.0);
    assert_eq!(k["aggregation"], "sum");
    // average3: (20 + 30)/2 a month for the 6 months left: 50 + 6 × 25 = 200.
    assert_eq!(k["forecast_method"], "average3");
    close(&k["forecast"], 200.0);
    // A word the config does not know is refused, naming the key.
    case.write("kpi-report.toml", "default_aggregation = \"flow\"\n");
    let run = case.kpi_report(&["check", input.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("default_aggregation"), "{}", run.stderr);
}

#[test]
fn an_unknown_aggregation_word_names_its_cell() {
    let case = Case::new();
    let input = english_book(
        &case,
        "bad.xlsx",
        &[&[
            "K",
            "G",
            "Sales",
            "n:100",
            "JPY",
            "",
            "weekly-ish",
            "",
            "",
            "Ann",
            "monthly",
        ]],
        &[],
        &[],
    );
    let run = case.kpi_report(&["check", input.to_str().unwrap(), "--as-of", "2026-09-30"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout
            .contains("KPI!G2: error E04: Aggregation \"weekly-ish\""),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("sum"), "{}", run.stdout);
}

/// The shipped budget samples, English and Japanese, as of the README's date: the figures
/// printed by `tests/fixtures/yojitsu/expected.py` (section "sample").
#[test]
fn budget_samples_show_plan_to_date_variance_and_attainment() {
    let case = Case::new();
    for file in ["budget-en.xlsx", "budget-ja.xlsx"] {
        let (run, doc) = case.run_json(crate::support::sample(file), file, &[]);
        assert!(matches!(run.code, 0 | 1), "{file}: {}", run.stderr);
        let metric = |id: &str| -> Value {
            doc["metrics"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["id"] == id)
                .cloned()
                .unwrap_or_else(|| panic!("{file}: no {id}"))
        };
        // id, plan to date, plan total, actual, variance, attainment
        for (id, plan, total, actual, variance, attainment) in [
            ("S1", 37200.0, 72000.0, 36800.0, -400.0, 0.989247311827957),
            ("S2", 24800.0, 48000.0, 22300.0, -2500.0, 0.8991935483870968),
            ("C1", 8000.0, 14400.0, 8850.0, 850.0, 1.10625),
            ("C2", 12600.0, 21600.0, 12600.0, 0.0, 1.0),
            ("S", 62000.0, 120000.0, 59100.0, -2900.0, 0.9532258064516129),
            ("C", 20600.0, 36000.0, 21450.0, 850.0, 1.0412621359223302),
        ] {
            let m = metric(id);
            assert_eq!(m["aggregation"], "sum", "{file} {id}");
            assert_eq!(m["plan_to_date"], plan, "{file} {id}");
            assert_eq!(m["plan_total"], total, "{file} {id}");
            assert_eq!(m["actual"], actual, "{file} {id}");
            assert_eq!(m["variance"], variance, "{file} {id}");
            let got = m["attainment"].as_f64().unwrap();
            assert!((got - attainment).abs() < 1e-12, "{file} {id}: {got}");
        }
        // 着地差異 (forecast − full-year plan), by hand: S lands at 71,225.81 + 43,161.29 =
        // 114,387.10 (S1 36,800 + 34,800 × 36,800/37,200; S2 22,300 + 23,200 ×
        // 22,300/24,800), 5,612.90 under 120,000; C at 15,930 + 21,600 = 37,530, 1,530 over
        // its 36,000 budget.
        let s = metric("S");
        let landing =
            36_800.0 + 34_800.0 * 36_800.0 / 37_200.0 + 22_300.0 + 23_200.0 * 22_300.0 / 24_800.0;
        close(&s["forecast_variance"], landing - 120_000.0);
        close(&s["forecast_attainment"], landing / 120_000.0);
        close(&metric("C")["forecast_variance"], 1_530.0);
        close(&metric("C")["forecast_attainment"], 37_530.0 / 36_000.0);
        // Without a phased plan the full-year plan is the floor: M's trend 0.2985 against 0.30.
        let m = metric("M");
        close(
            &m["forecast_variance"],
            m["forecast"].as_f64().unwrap() - 0.30,
        );
        // Advertising runs over its budget: the run-rate forecast 15,930 is above the
        // ceiling of 14,400, and it is the first priority.
        let c1 = metric("C1");
        assert_eq!(c1["direction"], "stay_below");
        assert_eq!(c1["forecast_method"], "run_rate");
        assert!((c1["forecast"].as_f64().unwrap() - 15930.0).abs() < 1e-9);
        assert_eq!(doc["priorities"][0]["id"], "C1");
        let m = metric("M");
        assert_eq!(
            (m["direction"].as_str(), m["aggregation"].as_str()),
            (Some("stay_above"), Some("last"))
        );
        assert_eq!(m["actual"], 0.31);
        // The workbook's Summary words that priority as the HTML does: a projected overrun.
        let xlsx = case.output(file, crate::support::sample(file), "report.xlsx");
        let summary_name = if file.contains("-ja") {
            "サマリー"
        } else {
            "Summary"
        };
        let summary = sheet(&xlsx, summary_name);
        let expected = if file.contains("-ja") {
            "期限時点の見込み15,930千円が上限14,400千円を超える見込みです"
        } else {
            "is projected to overrun its ceiling: 15,930 k JPY at its deadline against 14,400 k JPY"
        };
        assert!(
            summary
                .used_cells()
                .any(|(_, _, c)| c.get_string().is_some_and(|t| t.contains(expected))),
            "{file}: no Summary cell with {expected:?}"
        );
    }
}

/// The rows of a sheet whose first cell is `id` and whose cell in `col` is `label`.
fn labelled_row(range: &calamine::Range<calamine::Data>, id: &str, col: usize, label: &str) -> u32 {
    (0..range.height() as u32)
        .find(|r| {
            range.get_value((*r, 0)).and_then(|c| c.get_string()) == Some(id)
                && range
                    .get_value((*r, col as u32))
                    .and_then(|c| c.get_string())
                    == Some(label)
        })
        .unwrap_or_else(|| panic!("no row {id} {label}"))
}

/// The numbers of a row from `first` for `n` columns (`None` for an empty cell).
fn numbers(
    range: &calamine::Range<calamine::Data>,
    row: u32,
    first: u32,
    n: u32,
) -> Vec<Option<f64>> {
    (first..first + n)
        .map(|c| range.get_value((row, c)).and_then(|v| v.as_f64()))
        .collect()
}

/// The column whose header (in `row`) is `header`.
fn column(range: &calamine::Range<calamine::Data>, row: u32, header: &str) -> u32 {
    (0..range.width() as u32)
        .find(|c| range.get_value((row, *c)).and_then(|v| v.get_string()) == Some(header))
        .unwrap_or_else(|| panic!("no column {header}"))
}

fn close_all(actual: &[Option<f64>], expected: &[Option<f64>]) {
    assert_eq!(actual.len(), expected.len(), "{actual:?} != {expected:?}");
    for (a, e) in actual.iter().zip(expected) {
        match (a, e) {
            (Some(a), Some(e)) => assert!(
                (a - e).abs() <= 1e-6 * e.abs().max(1.0),
                "{actual:?} != {expected:?}"
            ),
            (None, None) => {}
            _ => panic!("{actual:?} != {expected:?}"),
        }
    }
}

#[test]
fn the_monthly_sheet_is_the_yojitsu_table_with_live_totals() {
    let case = Case::new();
    let input = seasonal_book(&case);
    let (code, _) = run_at(&case, &input, "2026-09-30", &[]);
    assert_eq!(code, 0);
    let xlsx = case.path("out").join("予実-report.xlsx");
    let mut book = crate::support::open_workbook(&xlsx);
    use calamine::Reader;
    assert_eq!(book.sheet_names()[2], "予実");
    let monthly = book.worksheet_range("予実").unwrap();
    let formulas = book.worksheet_formula("予実").unwrap();
    let formula = |row: u32, col: u32| -> String {
        formulas.get_value((row, col)).cloned().unwrap_or_default()
    };
    // Header row 3: ID, 名称, 単位, 方向, (line), twelve months, 累計, 年間予算, 着地見込み, 見込み方法.
    let header = 2;
    let ytd = column(&monthly, header, "累計");
    assert_eq!(ytd, 5 + 12);
    assert_eq!(column(&monthly, header, "年間予算"), ytd + 1);
    let forecast = column(&monthly, header, "着地見込み");
    let method = column(&monthly, header, "見込み方法");

    // G1 (expected.py): the seasonal budget against the actuals, month by month.
    let plan = labelled_row(&monthly, "G1", 4, "予算");
    let actual = labelled_row(&monthly, "G1", 4, "実績");
    let variance = labelled_row(&monthly, "G1", 4, "差異");
    let attainment = labelled_row(&monthly, "G1", 4, "達成率");
    assert_eq!(
        (actual, variance, attainment),
        (plan + 1, plan + 2, plan + 3)
    );
    let budget = [
        800., 800., 900., 900., 800., 1000., 1000., 1100., 1500., 900., 1000., 1300.,
    ];
    close_all(&numbers(&monthly, plan, 5, 12), &budget.map(Some));
    let sales = [760., 820., 850., 880., 790., 1020.];
    let mut expected: Vec<Option<f64>> = sales.iter().copied().map(Some).collect();
    expected.extend([None; 6]);
    close_all(&numbers(&monthly, actual, 5, 12), &expected);
    let mut expected: Vec<Option<f64>> = [-40., 20., -50., -20., -10., 20.].map(Some).to_vec();
    expected.extend([None; 6]);
    close_all(&numbers(&monthly, variance, 5, 12), &expected);
    let mut expected: Vec<Option<f64>> =
        sales.iter().zip(budget).map(|(a, p)| Some(a / p)).collect();
    expected.extend([None; 6]);
    close_all(&numbers(&monthly, attainment, 5, 12), &expected);
    // Live formulas over the row's cells: the month's variance and attainment, and the
    // year to date over the period cells (plan: the six months due; actual: the row).
    assert_eq!(formula(variance, 5), "F5-F4");
    assert_eq!(formula(attainment, 10), "K5/K4");
    assert_eq!(formula(plan, ytd), "SUM(F4:K4)");
    assert_eq!(formula(actual, ytd), "SUM(F5:Q5)");
    assert_eq!(formula(variance, ytd), "R5-R4");
    assert_eq!(formula(attainment, ytd), "R5/R4");
    // 累計 5,200 and 5,120; 差異 −80; 達成率 98.46 %; 年間予算 12,000; 着地見込み (run rate)
    // 5,120 + 6,800 × 5,120/5,200.
    close_all(
        &[plan, actual, variance, attainment]
            .map(|r| monthly.get_value((r, ytd)).and_then(|v| v.as_f64())),
        &[
            Some(5200.0),
            Some(5120.0),
            Some(-80.0),
            Some(5120.0 / 5200.0),
        ],
    );
    close_all(&numbers(&monthly, plan, ytd + 1, 1), &[Some(12000.0)]);
    close_all(
        &numbers(&monthly, actual, forecast, 1),
        &[Some(5120.0 + 6800.0 * 5120.0 / 5200.0)],
    );
    assert_eq!(
        monthly
            .get_value((actual, method))
            .and_then(|v| v.get_string()),
        Some("達成率ペース")
    );
    // 着地差異 under the forecast: 11,815.38 − 12,000 = −184.62 and 11,815.38 / 12,000 =
    // 98.46 %, live over the forecast and the full-year plan cells.
    let landing = 5120.0 + 6800.0 * 5120.0 / 5200.0;
    close_all(
        &[variance, attainment].map(|r| monthly.get_value((r, forecast)).and_then(|v| v.as_f64())),
        &[Some(landing - 12000.0), Some(landing / 12000.0)],
    );
    assert_eq!(formula(variance, forecast), "T5-S4");
    assert_eq!(formula(attainment, forecast), "T5/S4");

    // K1, a cost held under its budget: 3,030 against 3,000 is +30 over (unfavourable).
    let k1 = labelled_row(&monthly, "K1", 4, "差異");
    let mut expected: Vec<Option<f64>> = [-20., 10., 20., 30., -10., 0.].map(Some).to_vec();
    expected.extend([None; 6]);
    close_all(&numbers(&monthly, k1, 5, 12), &expected);
    close_all(&numbers(&monthly, k1, ytd, 1), &[Some(30.0)]);
    // K3, counted per month without a plan: the straight line 75 to date, 150 for the year.
    let k3 = labelled_row(&monthly, "K3", 4, "計画(直線)");
    close_all(&numbers(&monthly, k3, ytd, 2), &[Some(75.0), Some(150.0)]);
    close_all(&numbers(&monthly, k3 + 2, ytd, 1), &[Some(-6.0)]);
    close_all(&numbers(&monthly, k3 + 3, ytd, 1), &[Some(0.92)]);
    assert_eq!(
        monthly
            .get_value((k3 + 1, method))
            .and_then(|v| v.get_string()),
        Some("直近3か月平均")
    );
    // K2 (a level without a budget) and K4 (levels) are not on the sheet.
    for id in ["K2", "K4"] {
        assert!(
            !(0..monthly.height() as u32)
                .any(|r| monthly.get_value((r, 0)).and_then(|c| c.get_string()) == Some(id)),
            "{id} on the Monthly sheet"
        );
    }

    // What the XML says: variances signed with the word by direction (a stay_below metric's
    // overrun is 不利), colours by rule, the KPIs' rows grouped under the KGI, the month
    // header and the metric column frozen, A3 landscape.
    let styles = crate::support::zip_text(&xlsx, "xl/styles.xml").replace("&quot;", "\"");
    assert!(
        styles.contains("+#,##0\" 不利\";\"△\"#,##0\" 有利\""),
        "no cost variance format"
    );
    assert!(
        styles.contains("+#,##0\" 有利\";\"△\"#,##0\" 不利\""),
        "no sales variance format"
    );
    let xml = crate::support::zip_text(&xlsx, "xl/worksheets/sheet3.xml");
    assert!(
        xml.contains("<pane xSplit=\"5\" ySplit=\"3\""),
        "frozen panes"
    );
    assert!(xml.contains("paperSize=\"8\"") && xml.contains("orientation=\"landscape\""));
    assert!(xml.contains("<conditionalFormatting"));
    let outline = |excel_row: u32| -> bool {
        let tag = format!("<row r=\"{excel_row}\"");
        let start = xml
            .find(&tag)
            .unwrap_or_else(|| panic!("no row {excel_row}"));
        xml[start..start + xml[start..].find('>').unwrap()].contains("outlineLevel=\"1\"")
    };
    assert!(
        !outline(plan + 1),
        "the KGI's rows stay visible when folded"
    );
    assert!(
        outline(k1 + 1) && outline(k3 + 4),
        "the KPIs' rows fold under the KGI"
    );
}

#[test]
fn kpis_and_trend_show_the_plan_to_date_and_the_running_totals() {
    let case = Case::new();
    let input = seasonal_book(&case);
    run_at(&case, &input, "2026-09-30", &["--lang", "en"]);
    let xlsx = case.path("out").join("予実-report.xlsx");
    let kpis = sheet(&xlsx, "KPIs");
    let g1 = labelled_row(&kpis, "G1", 2, "KGI");
    let k1 = labelled_row(&kpis, "K1", 2, "KPI");
    let value = |row: u32, header: &str| kpis.get_value((row, column(&kpis, 0, header))).cloned();
    let number = |row: u32, header: &str| value(row, header).and_then(|v| v.as_f64());
    close_all(
        &[
            "Plan to date",
            "Variance",
            "Attainment",
            "Expected progress",
            "Pace",
        ]
        .map(|h| number(g1, h)),
        &[
            Some(5200.0),
            Some(-80.0),
            Some(5120.0 / 5200.0),
            Some(5200.0 / 12000.0),
            Some(5120.0 / 5200.0),
        ],
    );
    close_all(
        &["Plan to date", "Variance", "Attainment", "Pace"].map(|h| number(k1, h)),
        &[Some(3000.0), Some(30.0), Some(1.01), Some(3000.0 / 3030.0)],
    );
    // K1's variance (+30 over its budget) says U and is coloured by the row's direction
    // (column F), the ceiling written out; the shortfall under the ceiling reads "left".
    assert_eq!(
        value(k1, "Direction")
            .and_then(|v| v.get_string().map(String::from))
            .as_deref(),
        Some("Stay below")
    );
    let styles = crate::support::zip_text(&xlsx, "xl/styles.xml").replace("&quot;", "\"");
    assert!(
        styles.contains("+#,##0\" U\";\"-\"#,##0\" F\""),
        "no cost variance format"
    );
    assert!(
        styles.contains("#,##0\" over\";#,##0\" left\""),
        "no ceiling shortfall format"
    );
    let xml = crate::support::zip_text(&xlsx, "xl/worksheets/sheet2.xml").replace("&quot;", "\"");
    let start = xml
        .find("<conditionalFormatting sqref=\"Q2:Q")
        .expect("no conditional format on the Variance column");
    let element = &xml[start..start + xml[start..].find("</conditionalFormatting>").unwrap()];
    assert_eq!(
        element.matches("<cfRule").count(),
        2,
        "favourable and unfavourable colours"
    );
    assert!(xml.contains("OR($F2=\"Increase\",$F2=\"Stay above\")"));
    assert_eq!(
        value(g1, "Aggregation")
            .and_then(|v| v.get_string().map(String::from))
            .as_deref(),
        Some("Sum")
    );
    assert_eq!(
        value(g1, "Forecast method")
            .and_then(|v| v.get_string().map(String::from))
            .as_deref(),
        Some("Run rate")
    );
    use calamine::Reader;
    let formulas = crate::support::open_workbook(&xlsx)
        .worksheet_formula("KPIs")
        .unwrap();
    let f = |row: u32, header: &str| {
        formulas
            .get_value((row, column(&kpis, 0, header)))
            .cloned()
            .unwrap_or_default()
    };
    let r = g1 + 1;
    assert_eq!(f(g1, "Variance"), format!("J{r}-P{r}"));
    assert_eq!(f(g1, "Attainment"), format!("J{r}/P{r}"));
    assert_eq!(f(g1, "Pace"), format!("K{r}/M{r}"));
    // A ceiling's pace is plan / actual.
    assert_eq!(f(k1, "Pace"), format!("P{0}/J{0}", k1 + 1));

    // Trend: G1's chart lines over its twelve months (expected.py): the running budget, the
    // running actual to September, and the forecast from September's total to March.
    let trend = sheet(&xlsx, "Trend");
    let plan = labelled_row(&trend, "G1", 1, "Plan (running total)");
    let actual = labelled_row(&trend, "G1", 1, "Actual (running total)");
    let forecast = labelled_row(&trend, "G1", 1, "Forecast");
    let running_plan = [
        800., 1600., 2500., 3400., 4200., 5200., 6200., 7300., 8800., 9700., 10700., 12000.,
    ];
    close_all(&numbers(&trend, plan, 4, 12), &running_plan.map(Some));
    let mut expected: Vec<Option<f64>> =
        [760., 1580., 2430., 3310., 4100., 5120.].map(Some).to_vec();
    expected.extend([None; 6]);
    close_all(&numbers(&trend, actual, 4, 12), &expected);
    let mut expected = vec![None; 12];
    expected[5] = Some(5120.0);
    expected[11] = Some(5120.0 + 6800.0 * 5120.0 / 5200.0);
    close_all(&numbers(&trend, forecast, 4, 12), &expected);
    // K3 has no budget: the straight line 150 × elapsed at each month end (expected.py).
    let line = labelled_row(&trend, "K3", 1, "Linear plan");
    let days = [
        29., 60., 90., 121., 152., 182., 213., 243., 274., 305., 333., 364.,
    ];
    close_all(
        &numbers(&trend, line, 4, 12),
        &days.map(|d| Some(150.0 * d / 364.0)),
    );
}

#[test]
fn a_monthly_sheet_of_thousands_of_metrics_is_written_in_order_without_the_outline() {
    let case = Case::new();
    let path = case.path("many.xlsx");
    // 2,600 cost lines (sum) under one KGI, each with one amount in April: more than the
    // 2,500 metrics a standard Monthly sheet holds.
    let n = 2600;
    let kgi = vec![
        vec!["ID", "Name", "Target", "Start", "Deadline"]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>(),
        ["G", "Total", "n:1000000", "d:2026-04-01", "d:2027-03-31"]
            .map(String::from)
            .to_vec(),
    ];
    let mut kpi = vec![["ID", "Parent", "Name", "Target", "Aggregation"]
        .map(String::from)
        .to_vec()];
    let mut actuals = vec![["ID", "Date", "Value"].map(String::from).to_vec()];
    for i in 0..n {
        kpi.push(vec![
            format!("C{i}"),
            "G".into(),
            format!("Cost {i}"),
            "n:1200".into(),
            "sum".into(),
        ]);
        actuals.push(vec![
            format!("C{i}"),
            "d:2026-04-30".into(),
            format!("n:{}", 100 + i % 7),
        ]);
    }
    write_book(&path, &[("KGI", kgi), ("KPI", kpi), ("Actuals", actuals)]);
    let (code, _) = run_at(&case, &path, "2026-04-30", &["--lang", "en"]);
    assert!(matches!(code, 0 | 1));
    let xlsx = case.path("out").join("many-report.xlsx");
    let monthly = sheet(&xlsx, "Monthly");
    // Title, note, header, then four rows a metric.
    assert_eq!(monthly.height(), 3 + 4 * n);
    let last = labelled_row(&monthly, &format!("C{}", n - 1), 4, "Actual");
    // April's amount of the last line: 100 + 2599 mod 7 = 100 + 2 = 102, also its total so far.
    close_all(&numbers(&monthly, last, 5, 1), &[Some(102.0)]);
    let ytd = column(&monthly, 2, "Year to date");
    close_all(&numbers(&monthly, last, ytd, 1), &[Some(102.0)]);
    let xml = crate::support::zip_text(&xlsx, "xl/worksheets/sheet3.xml");
    assert!(
        !xml.contains("outlineLevel"),
        "a constant-memory sheet has no outline"
    );
}
