//! Issue 17: metrics without a target are tracked (status `no_target`, W19), not refused;
//! and month columns on a goal sheet (`Metric, Target, Jan … Dec`) are measurements. Run
//! through the binary; every expected figure is worked out by hand beside it and by
//! `tests/fixtures/layouts/no_target.py`.

use std::path::PathBuf;

use calamine::Data;
use serde_json::Value;

use crate::support::{close, codes, metric, sheet, write_book, zip_names, Case};

/// The actuals of a metric's periods, by period label.
fn period_actuals(m: &Value) -> Vec<(String, f64)> {
    m["periods"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| Some((p["period"].as_str()?.to_string(), p["actual"].as_f64()?)))
        .collect()
}

/// A web dashboard: a KGI `sum` over Sessions (no target) and Organic sessions (6,000), and
/// an NPS without a target, not linked. Monthly amounts April–October 2026 on a wide
/// Actuals sheet. The KGI's children do not all have a target, so it has none either.
pub(crate) fn dashboard_book(case: &Case) -> PathBuf {
    let path = case.path("dashboard.xlsx");
    let months = [
        "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10",
    ];
    let mut actuals_header = vec!["ID"];
    actuals_header.extend(months);
    write_book(
        &path,
        &[
            (
                "KPI",
                vec![
                    vec![
                        "ID",
                        "Parent",
                        "Type",
                        "Name",
                        "Target",
                        "Unit",
                        "Aggregation",
                        "Rollup",
                        "Owner",
                    ],
                    vec![
                        "G",
                        "",
                        "KGI",
                        "Web growth",
                        "",
                        "visits",
                        "sum",
                        "sum",
                        "Ann",
                    ],
                    vec!["S", "G", "KPI", "Sessions", "", "visits", "sum", "", "Ann"],
                    vec![
                        "O",
                        "G",
                        "KPI",
                        "Organic sessions",
                        "n:6000",
                        "visits",
                        "sum",
                        "",
                        "Bob",
                    ],
                    vec!["N", "", "KPI", "NPS", "", "pt", "last", "", "Bob"],
                ],
            ),
            (
                "Actuals",
                vec![
                    actuals_header,
                    vec![
                        "S", "n:1000", "n:1100", "n:1200", "n:1300", "n:1400", "n:1500", "n:1600",
                    ],
                    vec![
                        "O", "n:500", "n:520", "n:540", "n:560", "n:580", "n:600", "n:620",
                    ],
                    vec!["N", "n:30", "n:32", "n:31", "n:35", "n:36", "n:38", "n:40"],
                ],
            ),
        ],
    );
    path
}

#[test]
fn metrics_without_a_target_are_tracked_with_w19() {
    let case = Case::new();
    let path = dashboard_book(&case);
    let (run, json) = case.run_json(&path, "out", &["--eml"]);
    // W19 is a warning: the reports are written and the run succeeds.
    assert_eq!(run.code, 0, "{}", run.stderr);

    // Sessions: 1000 + 1100 + … + 1600 = 9100, tracked; its months as written.
    let s = metric(&json, "S");
    assert_eq!(s["status"], "no_target");
    assert!(s["target"].is_null(), "{s}");
    assert!(close(&s["actual"], 9100.0), "{s}");
    for figure in ["progress", "pace", "shortfall", "forecast_progress"] {
        assert!(s[figure].is_null(), "{figure}: {s}");
    }
    assert!(s["forecast"].as_f64().is_some(), "{s}");
    let expected: Vec<(String, f64)> = (0..7)
        .map(|i| (format!("2026-{:02}", 4 + i), 1000.0 + 100.0 * i as f64))
        .collect();
    assert_eq!(period_actuals(s), expected);
    // NPS: the last value, 40.
    let n = metric(&json, "N");
    assert_eq!(n["status"], "no_target");
    assert!(close(&n["actual"], 40.0), "{n}");
    // The KGI adds up its children in visits (9100 + 3920 = 13020) but has no target.
    let g = metric(&json, "G");
    assert_eq!(g["status"], "no_target");
    assert!(g["target"].is_null());
    assert!(close(&g["actual"], 13020.0), "{g}");
    // Organic sessions keeps its figures: 500 + 520 + … + 620 = 3920 of 6000.
    let o = metric(&json, "O");
    assert!(close(&o["progress"], 3920.0 / 6000.0), "{o}");
    assert_ne!(o["status"], "no_target");
    // Only the metric with a target is ranked.
    let ranked: Vec<&str> = json["priorities"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["id"].as_str())
        .collect();
    assert_eq!(ranked, ["O"]);

    // W19 once, naming the three in tree order.
    let w19 = codes(&json, "W19");
    assert_eq!(w19.len(), 1, "{}", json["checks"]);
    assert_eq!(w19[0]["severity"], "warning");
    let message = w19[0]["message"].as_str().unwrap();
    assert!(
        message.contains("3 metric(s) have no target (Web growth, Sessions, NPS)"),
        "{message}"
    );
    assert!(codes(&json, "E04").is_empty(), "{}", json["checks"]);
    assert!(run.stderr.contains("W19"), "{}", run.stderr);

    // The KPIs sheet: a blank target, the status in words, no progress.
    let kpis = sheet(&case.output("out", &path, "report.xlsx"), "KPIs");
    let header: Vec<String> = (0..kpis.width() as u32)
        .map(|c| {
            kpis.get_value((0, c))
                .map(|d| d.to_string())
                .unwrap_or_default()
        })
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap() as u32;
    let row = (1..kpis.height() as u32)
        .find(|r| kpis.get_value((*r, col("ID"))) == Some(&Data::String("S".into())))
        .unwrap();
    let at = |name: &str| kpis.get_value((row, col(name))).cloned();
    assert!(
        matches!(at("Target"), None | Some(Data::Empty)),
        "{:?}",
        at("Target")
    );
    for blank in ["Progress", "Expected progress", "Pace", "Shortfall"] {
        assert!(
            matches!(at(blank), None | Some(Data::Empty)),
            "{blank}: {:?}",
            at(blank)
        );
    }
    assert_eq!(at("Status"), Some(Data::String("No target".into())));
    assert_eq!(at("Actual"), Some(Data::Float(9100.0)));

    // The Trend sheet charts the tracked metrics too (no target line for them): O (the
    // priority), then S and N; G has no measurements of its own.
    let xlsx = case.output("out", &path, "report.xlsx");
    let trend = sheet(&xlsx, "Trend");
    let lines = |name: &str| -> Vec<String> {
        trend
            .rows()
            .filter(|r| r.get(1) == Some(&Data::String(name.into())))
            .filter_map(|r| r.first().map(|d| d.to_string()))
            .collect()
    };
    assert_eq!(lines("Period"), ["O", "S", "N"]);
    assert_eq!(lines("Target"), ["O"], "only O has a target line");
    // One chart per block, plus the Summary's status chart.
    let charts = zip_names(&xlsx)
        .into_iter()
        .filter(|n| n.starts_with("xl/charts/chart"))
        .count();
    assert_eq!(charts, 4);

    // The HTML summary and the e-mail say so in words.
    let html = std::fs::read_to_string(case.output("out", &path, "summary.html")).unwrap();
    assert!(html.contains("No target"), "no 'No target' in the HTML");
    let eml = std::fs::read_to_string(case.output("out", &path, "report.eml")).unwrap();
    assert!(eml.contains("no target; actual 13,020"), "{eml}");

    // In Japanese.
    let (run, json) = case.run_json(&path, "ja", &["--lang", "ja"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let message = codes(&json, "W19")[0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains("目標値のない指標が3件あります(Web growth、Sessions、NPS)"),
        "{message}"
    );
    let html = std::fs::read_to_string(case.output("ja", &path, "summary.html")).unwrap();
    assert!(html.contains("目標未設定"));
    let check = case.check(&[&path], &["--lang", "ja"]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    assert!(
        check.stdout.contains("warning W19: 目標値のない指標が3件"),
        "{}",
        check.stdout
    );
}

/// A flat list where every row lacks a target (a KPI dashboard): a full report and W19,
/// never E04; with `--fail-on warning` the run says so (exit 1).
#[test]
fn a_dashboard_without_any_target_gets_a_report() {
    let case = Case::new();
    let path = case.path("flat.xlsx");
    write_book(
        &path,
        &[(
            "Sheet1",
            vec![
                vec!["KPI", "Target", "Actual", "Owner"],
                vec!["Website visits", "", "n:4000", "Ann"],
                vec!["Leads", "", "n:100", "Bob"],
            ],
        )],
    );
    let (run, json) = case.run_json(&path, "out", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(close(&metric(&json, "Website visits")["actual"], 4000.0));
    assert_eq!(metric(&json, "Leads")["status"], "no_target");
    assert!(json["priorities"].as_array().unwrap().is_empty());
    let w19 = codes(&json, "W19");
    assert_eq!(w19.len(), 1);
    assert!(w19[0]["message"]
        .as_str()
        .unwrap()
        .contains("2 metric(s) have no target (Website visits, Leads)"));
    for suffix in ["report.xlsx", "summary.html"] {
        assert!(case.output("out", &path, suffix).exists(), "{suffix}");
    }
    let run = case.run(&path, "strict", &["--fail-on", "warning"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
}

/// `Metric, Target, Aggregation, Jan … Dec` under a title, a section heading merged across
/// the row, and `-` for the months to come (the public kpi_tracker.xlsx's layout). With a
/// calendar fiscal year: the year of as-of (2026). As of 2026-10-31: MQLs (`last`) = the
/// October value 315, progress 315/300 = 1.05; Spend (`sum`) = 1000 + 1100 + … + 1900 =
/// 14500 of 18000, progress 0.8055…; Jan's cell is Monthly KPIs!D5 for MQLs.
#[test]
fn month_columns_on_a_goal_sheet_are_measurements() {
    let case = Case::new();
    case.write("kpi-report.toml", "fiscal_year_start_month = 1\n");
    let path = case.path("tracker.xlsx");
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut header = vec!["Metric", "Target", "Aggregation"];
    header.extend(months);
    let mql = [240, 265, 280, 290, 300, 310, 305, 320, 325, 315];
    let spend = [1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700, 1800, 1900];
    let row = |name: &str, target: &str, aggregation: &str, values: &[i32]| {
        let mut cells = vec![
            name.to_string(),
            target.to_string(),
            aggregation.to_string(),
        ];
        cells.extend(values.iter().map(|v| format!("n:{v}")));
        cells.extend(["-".to_string(), String::new()]);
        cells
    };
    write_book(
        &path,
        &[(
            "Monthly KPIs",
            vec![
                vec!["MONTHLY KPI TRACKER".to_string()],
                vec![],
                header.iter().map(|s| s.to_string()).collect(),
                vec!["DEMAND GENERATION".to_string()],
                row("MQLs", "n:300", "last", &mql),
                row("Spend", "n:18000", "sum", &spend),
                row("Sessions", "", "sum", &spend),
            ],
        )],
    );
    let (run, json) = case.run_json(&path, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    assert!(codes(&json, "E04").is_empty(), "{}", json["checks"]);
    let mqls = metric(&json, "MQLs");
    assert!(close(&mqls["actual"], 315.0), "{mqls}");
    assert!(close(&mqls["progress"], 1.05), "{mqls}");
    let got = period_actuals(mqls);
    assert_eq!(got.len(), 10, "{got:?}");
    assert_eq!(got[0], ("2026-01".to_string(), 240.0));
    assert_eq!(got[9], ("2026-10".to_string(), 315.0));
    let spend_m = metric(&json, "Spend");
    assert!(close(&spend_m["actual"], 14500.0), "{spend_m}");
    assert!(close(&spend_m["progress"], 14500.0 / 18000.0), "{spend_m}");
    // A row without a target but with months: tracked, its months summed.
    let sessions = metric(&json, "Sessions");
    assert_eq!(sessions["status"], "no_target");
    assert!(close(&sessions["actual"], 14500.0), "{sessions}");
    // The section heading is not a metric.
    assert!(json["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["name"] != "DEMAND GENERATION"));

    // The default fiscal year (April): Jan … Dec are still one calendar year, 2026; the
    // `sum` metric counts from its start, 2026-04-01: 1300 + 1400 + … + 1900 = 11200.
    let case = Case::new();
    let copy = case.path("tracker.xlsx");
    std::fs::copy(&path, &copy).unwrap();
    let (run, json) = case.run_json(&copy, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    assert!(codes(&json, "E04").is_empty(), "{}", json["checks"]);
    assert!(close(&metric(&json, "MQLs")["actual"], 315.0));
    assert!(close(&metric(&json, "Spend")["actual"], 11200.0));

    // `check` names a month cell that cannot be read (Monthly KPIs!E5: Feb of MQLs).
    let bad = case.path("bad.xlsx");
    let mut broken = row("MQLs", "n:300", "last", &mql);
    broken[4] = "lots".to_string();
    write_book(
        &bad,
        &[(
            "Monthly KPIs",
            vec![header.iter().map(|s| s.to_string()).collect(), broken],
        )],
    );
    let run = case.check(&[&bad], &[]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.contains("bad.xlsx:'Monthly KPIs'!E2: error E04"),
        "{}",
        run.stdout
    );
}

/// A `sum` KGI with an empty target takes the sum of its same-unit children's targets when
/// they all have one (6000 + 4000 = 10000; the driver in another unit is not added); a
/// `weighted` KGI without a target is tracked (no progress of its own), its KPIs keep theirs.
#[test]
fn a_sum_parent_without_a_target_adds_up_its_childrens() {
    let case = Case::new();
    let path = case.path("parents.xlsx");
    write_book(
        &path,
        &[(
            "KPI",
            vec![
                vec![
                    "ID", "Parent", "Type", "Name", "Target", "Unit", "Rollup", "Actual",
                ],
                vec!["G", "", "KGI", "Sales", "", "JPY", "sum", ""],
                vec!["A", "G", "KPI", "Shop", "n:6000", "JPY", "", "n:3000"],
                vec!["B", "G", "KPI", "Online", "n:4000", "JPY", "", "n:1000"],
                vec!["V", "G", "KPI", "Visits", "n:900", "visits", "", "n:300"],
                vec!["H", "", "KGI", "Quality", "", "", "", ""],
                vec!["Q", "H", "KPI", "Returns handled", "n:100", "", "", "n:50"],
            ],
        )],
    );
    let (run, json) = case.run_json(&path, "out", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let g = metric(&json, "G");
    assert!(close(&g["target"], 10000.0), "{g}");
    // 3000 + 1000 = 4000 of 10000.
    assert!(close(&g["actual"], 4000.0), "{g}");
    assert!(close(&g["progress"], 0.4), "{g}");
    let h = metric(&json, "H");
    assert_eq!(h["status"], "no_target");
    assert!(h["progress"].is_null(), "{h}");
    assert!(close(&metric(&json, "Q")["progress"], 0.5));
    let w19 = codes(&json, "W19");
    assert_eq!(w19.len(), 1, "{}", json["checks"]);
    assert!(w19[0]["message"]
        .as_str()
        .unwrap()
        .contains("1 metric(s) have no target (Quality)"));
    assert_eq!(w19[0]["location"], "KPI!E6");
}

/// Japanese month headers on a goal sheet under a `2026年度` title: 4月 is April 2026, 3月
/// March 2027; as of 2026-10-31 the `合計` metric adds 4月…10月: 1 + 2 + … + 7 = 28 of 120.
#[test]
fn japanese_month_columns_on_a_goal_sheet() {
    let case = Case::new();
    let path = case.path("jp.xlsx");
    let mut header: Vec<String> = ["指標名", "目標値", "集計方法"].map(String::from).to_vec();
    header.extend([4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3].map(|m| format!("{m}月")));
    let mut row: Vec<String> = ["受注件数", "n:120", "合計"].map(String::from).to_vec();
    row.extend((1..=12).map(|v| format!("n:{v}")));
    write_book(
        &path,
        &[(
            "KPI",
            vec![vec!["2026年度 KPI".to_string()], vec![], header, row],
        )],
    );
    let (run, json) = case.run_json(&path, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    let m = metric(&json, "受注件数");
    assert!(close(&m["actual"], 28.0), "{m}");
    assert!(close(&m["progress"], 28.0 / 120.0), "{m}");
    let got = period_actuals(m);
    assert_eq!(got.first(), Some(&("2026-04".to_string(), 1.0)), "{got:?}");
    assert_eq!(got.last(), Some(&("2026-10".to_string(), 7.0)), "{got:?}");
}
