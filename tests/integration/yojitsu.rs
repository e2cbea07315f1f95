//! 予実 (plan vs actual) through the binary: monthly amounts that add up, a budget phased
//! by month on a Plan sheet, ceilings and floors, forecast methods, the periods series and
//! the checks on values over time, read back from the JSON report. Every expected figure is
//! worked out by hand in the comment beside it; the seasonal budget is the README's worked
//! example, also computed by `tests/fixtures/yojitsu/expected.py`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{read_json, sheet, write_book, Case};

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
fn seasonal_book(case: &Case) -> PathBuf {
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
    }
}
