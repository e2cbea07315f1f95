//! Workbooks laid out the way finance teams already keep them (issue 17): a flat list of
//! KPIs on one sheet with no id, parent or KGI sheet; a budget list with section, subtotal
//! and total rows; the Japanese deadline and count forms; a target taken from the plan.
//! Run through the binary and read back from the JSON. Every expected figure is worked out
//! by hand beside it and by `tests/fixtures/layouts/expected.py`.

use crate::support::{close, codes, metric, write_book, Case};

/// `KPI, Target, Actual, Owner` under a title, on a sheet named `Sheet1`: the name is the
/// id, there are no parents and no KGI.
#[test]
fn a_flat_list_on_one_sheet_is_a_goal_set() {
    let case = Case::new();
    let path = case.path("marketing.xlsx");
    write_book(
        &path,
        &[(
            "Sheet1",
            vec![
                vec!["Marketing KPIs 2026", "", "", ""],
                vec!["", "", "", ""],
                vec!["KPI", "Target", "Actual", "Owner"],
                vec!["Website visits", "n:10000", "n:4000", "Ann"],
                vec!["Leads", "n:500", "n:100", "Bob"],
                vec!["Conversion rate", "5%", "2.5%", "Ann"],
            ],
        )],
    );
    let (run, json) = case.run_json(&path, "out", &["--verbose"]);
    assert_eq!(run.code, 0, "warnings only: {}", run.stderr);
    // Progress from zero: 4000/10000, 100/500, 0.025/0.05.
    for (id, target, actual, progress) in [
        ("Website visits", 10000.0, 4000.0, 0.4),
        ("Leads", 500.0, 100.0, 0.2),
        ("Conversion rate", 0.05, 0.025, 0.5),
    ] {
        let m = metric(&json, id);
        assert_eq!(m["name"], id);
        assert_eq!(m["kind"], "kpi");
        assert!(m["parent"].is_null());
        assert!(close(&m["target"], target), "{id}: {m}");
        assert!(close(&m["actual"], actual), "{id}: {m}");
        assert!(close(&m["progress"], progress), "{id}: {m}");
    }
    assert_eq!(metric(&json, "Conversion rate")["unit"], "%");
    // W15 once, no W03 per row; I03 names the sheet taken.
    assert_eq!(codes(&json, "W15").len(), 1, "{}", json["checks"]);
    assert!(codes(&json, "W03").is_empty(), "{}", json["checks"]);
    let i03 = codes(&json, "I03");
    assert_eq!(i03.len(), 1);
    assert!(i03[0]["message"].as_str().unwrap().contains("Sheet1"));
    assert!(run.stderr.contains("W15"), "{}", run.stderr);
    // Without a KGI each of the three top-level metrics has impact 1/3. The fiscal year
    // runs 2026-04-01..2027-03-31 (364 days), 213 days elapsed at 2026-10-31: the run-rate
    // forecast is p / (213/364) and the score (1 - forecast) / 3.
    let elapsed = 213.0 / 364.0;
    let priorities = json["priorities"].as_array().unwrap();
    let ranked: Vec<&str> = priorities
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ranked, ["Leads", "Website visits", "Conversion rate"]);
    for (p, progress) in priorities.iter().zip([0.2, 0.4, 0.5]) {
        assert!(close(&p["impact"], 1.0 / 3.0), "{p}");
        let score = (1.0 - progress / elapsed) / 3.0;
        assert!(
            (p["score"].as_f64().unwrap() - score).abs() < 1e-9,
            "{p} {score}"
        );
    }
}

/// `Category, Budget, Spent` with a section heading, a subtotal and a total row: the
/// heading and the subtotal are not metrics, the total row is the KGI over the others.
#[test]
fn a_budget_list_with_section_subtotal_and_total_rows() {
    let case = Case::new();
    let path = case.path("budget.xlsx");
    write_book(
        &path,
        &[(
            "Department budget",
            vec![
                vec!["Category", "Budget", "Spent"],
                vec!["Expenses:", "", ""],
                vec!["Travel", "n:12000", "n:9100"],
                vec!["Office supplies", "n:3000", "n:2400"],
                vec!["Subtotal", "n:15000", "n:11500"],
                vec!["Software", "n:5000", "n:5200"],
                vec!["Total", "n:20000", "n:16700"],
            ],
        )],
    );
    let (run, json) = case.run_json(&path, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    let ids: Vec<&str> = json["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["Total", "Travel", "Office supplies", "Software"]);
    let total = metric(&json, "Total");
    assert_eq!(total["kind"], "kgi");
    assert_eq!(total["rollup"], "sum");
    assert!(close(&total["target"], 20000.0));
    // Its own cell: 16700 = 9100 + 2400 + 5200; progress 16700/20000 = 0.835.
    assert!(close(&total["actual"], 16700.0), "{total}");
    assert!(close(&total["progress"], 0.835), "{total}");
    for id in ["Travel", "Office supplies", "Software"] {
        assert_eq!(metric(&json, id)["parent"], "Total");
    }
    // The children's targets add up (12000 + 3000 + 5000): no W09; a KGI: no W15.
    assert!(codes(&json, "W09").is_empty());
    assert!(codes(&json, "W15").is_empty());
}

/// A total row without a target takes the sum of its children's targets.
#[test]
fn a_total_row_without_a_target_adds_up_its_rows() {
    let case = Case::new();
    let path = case.path("sales.xlsx");
    write_book(
        &path,
        &[(
            "支店別",
            vec![
                vec!["支店", "", ""],
                vec!["項目", "予算", "実績"],
                vec!["東京", "6,000万円", "n:41000000"],
                vec!["大阪", "4,500万円", "n:30500000"],
                vec!["合計", "", "n:71500000"],
            ],
        )],
    );
    let (run, json) = case.run_json(&path, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    let total = metric(&json, "合計");
    assert_eq!(total["kind"], "kgi");
    // 60,000,000 + 45,000,000 = 105,000,000; 71,500,000 / 105,000,000.
    assert!(close(&total["target"], 105_000_000.0), "{total}");
    assert_eq!(total["unit"], "円");
    assert!(close(&total["progress"], 71_500_000.0 / 105_000_000.0));
    assert_eq!(json["lang"], "ja");
}

/// The Japanese deadline and count forms of SPEC 3; the unit comes from the count word.
#[test]
fn japanese_deadline_and_count_forms() {
    let case = Case::new();
    let path = case.path("指標.xlsx");
    write_book(
        &path,
        &[(
            "KPI一覧",
            vec![
                vec!["指標名", "目標値", "実績", "期限"],
                vec!["受注件数", "100件", "40件", "2027年3月期"],
                vec!["新規取引先", "50社", "n:20", "2026年度"],
                vec!["会員数", "64,500人", "n:32250", "令和8年度"],
                vec!["在庫回転", "3.5ヶ月", "n:2.8", "FY2026"],
                vec!["シェア", "12.5pt", "n:10", "2027/3"],
                vec!["解約率", "3%", "2%", "2027年3月"],
            ],
        )],
    );
    let (run, json) = case.run_json(&path, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    for (id, target, unit) in [
        ("受注件数", 100.0, "件"),
        ("新規取引先", 50.0, "社"),
        ("会員数", 64500.0, "人"),
        ("在庫回転", 3.5, "ヶ月"),
        ("シェア", 12.5, "pt"),
        ("解約率", 0.03, "%"),
    ] {
        let m = metric(&json, id);
        assert!(close(&m["target"], target), "{id}: {m}");
        assert_eq!(m["unit"], unit, "{id}");
        // Every form means the end of the fiscal year that starts in April 2026.
        assert_eq!(m["deadline"], "2027-03-31", "{id}");
    }
    assert!(close(&metric(&json, "受注件数")["actual"], 40.0));
}

/// A fiscal year starting in January: 2026年度 and FY2026 end on 2026-12-31, while
/// 2027年3月期 still ends in March 2027.
#[test]
fn fiscal_year_deadlines_follow_the_fiscal_year_start() {
    let case = Case::new();
    case.write("kpi-report.toml", "fiscal_year_start_month = 1\n");
    let path = case.path("fy.xlsx");
    write_book(
        &path,
        &[(
            "KPI",
            vec![
                vec!["Name", "Target", "Deadline"],
                vec!["A", "n:10", "2026年度"],
                vec!["B", "n:10", "FY2026"],
                vec!["C", "n:10", "2027年3月期"],
            ],
        )],
    );
    let (_, json) = case.run_json(&path, "out", &[]);
    assert_eq!(metric(&json, "A")["deadline"], "2026-12-31");
    assert_eq!(metric(&json, "B")["deadline"], "2026-12-31");
    assert_eq!(metric(&json, "C")["deadline"], "2027-03-31");
}

/// Two rows with the same name on a sheet without an id column: E01 names both cells.
#[test]
fn two_rows_with_one_name_are_a_duplicate_id() {
    let case = Case::new();
    let path = case.path("dup.xlsx");
    write_book(
        &path,
        &[(
            "KPIs",
            vec![
                vec!["KPI", "Target"],
                vec!["Leads", "n:10"],
                vec!["Leads", "n:20"],
            ],
        )],
    );
    let run = case.check(&[&path], &[]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.contains("dup.xlsx:KPIs!A3: error E01") && run.stdout.contains("KPIs!A2"),
        "{}",
        run.stdout
    );
}

/// A metric without a target cell takes its plan: the total of a `sum` metric's plan, the
/// last value of a `last` one. One with neither a target nor a plan is tracked (W19).
#[test]
fn a_metric_without_a_target_takes_it_from_the_plan() {
    let case = Case::new();
    let path = case.path("plan.xlsx");
    write_book(
        &path,
        &[
            (
                "KPI",
                vec![
                    vec!["ID", "Name", "Target", "Aggregation"],
                    vec!["S", "Sales", "", "sum"],
                    vec!["H", "Headcount", "", "last"],
                ],
            ),
            (
                "Plan",
                vec![
                    vec!["ID", "2026-04", "2026-05", "2026-06"],
                    vec!["S", "n:100", "n:120", "n:130"],
                    vec!["H", "n:40", "n:42", "n:45"],
                ],
            ),
        ],
    );
    let (run, json) = case.run_json(&path, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    // 100 + 120 + 130 = 350; the last plan value of Headcount is 45.
    assert!(close(&metric(&json, "S")["target"], 350.0));
    assert!(close(&metric(&json, "H")["target"], 45.0));

    let path = case.path("noplan.xlsx");
    write_book(
        &path,
        &[(
            "KPI",
            vec![
                vec!["ID", "Name", "Target", "Owner"],
                vec!["S", "Sales", "", "Sato"],
            ],
        )],
    );
    // (v2) Tracked without a target: W19 at its target cell, no error.
    let run = case.check(&[&path], &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("noplan.xlsx:KPI!C2: warning W19"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("E04"), "{}", run.stdout);
}

/// The header search names what is missing from the row that looks like a header, and the
/// accepted names include the config's own.
#[test]
fn a_missing_target_column_is_named_with_the_configs_names() {
    let case = Case::new();
    case.write("kpi-report.toml", "[names.columns]\ntarget = [\"Soll\"]\n");
    let path = case.path("nohead.xlsx");
    write_book(
        &path,
        &[(
            "KPI",
            vec![
                vec!["Name", "Owner", "Note"],
                vec!["n:46000", "n:46100", "n:46200"],
            ],
        )],
    );
    let run = case.check(&[&path], &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout.contains("required column(s) Target not found")
            && run.stdout.contains("Soll")
            && run.stdout.contains("Budget"),
        "{}",
        run.stdout
    );
}

/// `[[set]]` turns a cost list into ceilings added up over time without editing it: a cell
/// in the workbook wins over the rule, a later rule over an earlier one, a rule's target
/// fills an empty target cell, and a rule that matches nothing is W18.
#[test]
fn set_rules_fill_what_the_rows_leave_empty() {
    let case = Case::new();
    case.write(
        "kpi-report.toml",
        r#"
[[set]]
match = ["*"]
direction = "stay_below"
aggregation = "sum"
unit = "USD"

[[set]]
match = ["office*"]
owner = "Kim"
target = 3000

[[set]]
match = ["Marketing*"]
owner = "Lee"
"#,
    );
    let path = case.path("costs.xlsx");
    write_book(
        &path,
        &[(
            "Costs",
            vec![
                vec!["Category", "Budget", "Spent", "Direction", "Owner"],
                vec!["Travel", "n:12000", "n:9100", "", "Ann"],
                vec!["Office supplies", "", "n:2400", "", ""],
                vec!["Revenue", "n:50000", "n:31000", "increase", "Bob"],
            ],
        )],
    );
    let (run, json) = case.run_json(&path, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    let travel = metric(&json, "Travel");
    assert_eq!(travel["direction"], "stay_below");
    assert_eq!(travel["aggregation"], "sum");
    assert_eq!(travel["unit"], "USD");
    assert_eq!(travel["owner"], "Ann");
    let office = metric(&json, "Office supplies");
    assert!(close(&office["target"], 3000.0), "{office}");
    assert_eq!(office["owner"], "Kim");
    assert_eq!(office["direction"], "stay_below");
    // The row's own direction wins over the rule.
    assert_eq!(metric(&json, "Revenue")["direction"], "increase");
    let w18 = codes(&json, "W18");
    assert_eq!(w18.len(), 1, "{}", json["checks"]);
    assert!(w18[0]["message"].as_str().unwrap().contains("Marketing*"));
}

/// A `[[set]]` rule with a word kpi-report does not know is a usage error naming the rule.
#[test]
fn a_set_rule_with_an_unknown_word_is_a_config_error() {
    let case = Case::new();
    case.write(
        "kpi-report.toml",
        "[[set]]\nmatch = [\"*\"]\ndirection = \"sideways\"\n",
    );
    let path = case.path("x.xlsx");
    write_book(
        &path,
        &[("KPI", vec![vec!["Name", "Target"], vec!["A", "n:1"]])],
    );
    let run = case.check(&[&path], &[]);
    assert_eq!(run.code, 2, "{} {}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("[[set]] #1") && run.stderr.contains("sideways"),
        "{}",
        run.stderr
    );
}

/// `[[goal]]` adds a KGI over a flat list (its target the sum of the children's) and gives
/// a metric of the workbook the target its row leaves empty; children naming nothing is W18.
#[test]
fn goal_entries_add_a_kgi_and_fill_targets() {
    let case = Case::new();
    case.write(
        "kpi-report.toml",
        r#"
[[goal]]
id = "ALL"
name = "All costs"
rollup = "sum"
children = ["*"]
direction = "stay_below"

[[goal]]
id = "Software"
target = 5000

[[goal]]
id = "X"
target = 1
children = ["Nothing*"]
"#,
    );
    let path = case.path("costs.xlsx");
    write_book(
        &path,
        &[(
            "Costs",
            vec![
                vec!["Category", "Budget", "Spent"],
                vec!["Travel", "n:12000", "n:9100"],
                vec!["Office supplies", "n:3000", "n:2400"],
                vec!["Software", "", "n:5200"],
            ],
        )],
    );
    let (run, json) = case.run_json(&path, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    let all = metric(&json, "ALL");
    assert_eq!(all["kind"], "kgi");
    assert_eq!(all["name"], "All costs");
    assert_eq!(all["direction"], "stay_below");
    // 12000 + 3000 + 5000 (Software's target from its [[goal]]).
    assert!(close(&all["target"], 20000.0), "{all}");
    // A sum rollup without actuals of its own: 9100 + 2400 + 5200.
    assert!(close(&all["actual"], 16700.0), "{all}");
    for id in ["Travel", "Office supplies", "Software"] {
        assert_eq!(metric(&json, id)["parent"], "ALL", "{id}");
    }
    assert!(close(&metric(&json, "Software")["target"], 5000.0));
    assert!(codes(&json, "W15").is_empty());
    let w18 = codes(&json, "W18");
    assert_eq!(w18.len(), 1, "{}", json["checks"]);
    assert!(w18[0]["message"]
        .as_str()
        .unwrap()
        .contains("[[goal]] id = \"X\""));
}

/// `id_columns = ["部門", "勘定科目"]`: the id joins the two, the 部門 written once per block
/// carries down, and the same account in two departments is two metrics.
#[test]
fn composite_ids_from_id_columns() {
    let case = Case::new();
    case.write("kpi-report.toml", "id_columns = [\"部門\", \"勘定科目\"]\n");
    let path = case.path("部門別.xlsx");
    write_book(
        &path,
        &[(
            "部門別予算",
            vec![
                vec!["2026年度 部門別予算", "", "", ""],
                vec!["部門", "勘定科目", "予算", "実績"],
                vec!["営業1部", "売上高", "1,000万円", "600万円"],
                vec!["", "販売費", "200万円", "150万円"],
                vec!["営業2部", "売上高", "800万円", "500万円"],
                vec!["", "販売費", "100万円", "90万円"],
            ],
        )],
    );
    let (run, json) = case.run_json(&path, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    for (id, name, target, actual) in [
        ("営業1部/売上高", "売上高", 10_000_000.0, 6_000_000.0),
        ("営業1部/販売費", "販売費", 2_000_000.0, 1_500_000.0),
        ("営業2部/売上高", "売上高", 8_000_000.0, 5_000_000.0),
        ("営業2部/販売費", "販売費", 1_000_000.0, 900_000.0),
    ] {
        let m = metric(&json, id);
        assert_eq!(m["name"], name);
        assert!(close(&m["target"], target), "{id}: {m}");
        assert!(close(&m["actual"], actual), "{id}: {m}");
    }
    assert_eq!(json["metrics"].as_array().unwrap().len(), 4);
}

/// The silent misread of issue 17: a 予実 grid whose month headers are merged over
/// 予算 / 実績 / 差異 / 達成率. The 実績 values are the actuals and the 予算 values the plan,
/// never the reverse; 差異 and 達成率 are not read.
#[test]
fn a_yojitsu_grid_gives_actuals_from_jisseki_and_the_plan_from_yosan() {
    use rust_xlsxwriter::{Format, Workbook};
    let case = Case::new();
    let path = case.path("予実.xlsx");
    let mut book = Workbook::new();
    let kpi = book.add_worksheet();
    kpi.set_name("KPI").unwrap();
    for (c, h) in ["コード", "指標名", "目標値", "集計方法"]
        .iter()
        .enumerate()
    {
        kpi.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in [["S", "売上高", "", "合計"], ["C", "販売費", "", "合計"]]
        .iter()
        .enumerate()
    {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                kpi.write_string(r as u32 + 1, c as u16, *v).unwrap();
            }
        }
    }
    let grid = book.add_worksheet();
    grid.set_name("予実管理表").unwrap();
    grid.write_string(0, 0, "2026年度 予実管理表").unwrap();
    grid.write_string(1, 0, "コード").unwrap();
    grid.write_string(1, 1, "科目").unwrap();
    let merged = Format::new();
    // (key, name, [(予算, 実績, 差異, 達成率) per month])
    let rows: [(&str, &str, [[f64; 4]; 3]); 2] = [
        (
            "S",
            "売上高",
            [
                [1000.0, 900.0, -100.0, 0.9],
                [1100.0, 1200.0, 100.0, 1.09],
                [1200.0, 1150.0, -50.0, 0.96],
            ],
        ),
        (
            "C",
            "販売費",
            [
                [200.0, 210.0, 10.0, 1.05],
                [200.0, 190.0, -10.0, 0.95],
                [250.0, 240.0, -10.0, 0.96],
            ],
        ),
    ];
    for (m, month) in ["2026年4月", "2026年5月", "2026年6月"].iter().enumerate() {
        let first = 2 + 4 * m as u16;
        grid.merge_range(1, first, 1, first + 3, month, &merged)
            .unwrap();
        for (k, sub) in ["予算", "実績", "差異", "達成率"].iter().enumerate() {
            grid.write_string(2, first + k as u16, *sub).unwrap();
        }
        for (r, (key, name, months)) in rows.iter().enumerate() {
            let row = 3 + r as u32;
            grid.write_string(row, 0, *key).unwrap();
            grid.write_string(row, 1, *name).unwrap();
            for (k, v) in months[m].iter().enumerate() {
                grid.write_number(row, first + k as u16, *v).unwrap();
            }
        }
    }
    book.save(&path).unwrap();

    let (run, json) = case.run_json(&path, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    let sales = metric(&json, "S");
    // Actual: the 実績 sum 900 + 1200 + 1150 = 3250; the target from the plan: the 予算
    // total 1000 + 1100 + 1200 = 3300.
    assert!(close(&sales["actual"], 3250.0), "{sales}");
    assert!(close(&sales["target"], 3300.0), "{sales}");
    let periods = sales["periods"].as_array().unwrap();
    let by_month: Vec<(f64, f64)> = periods
        .iter()
        .filter(|p| !p["actual"].is_null())
        .map(|p| (p["plan"].as_f64().unwrap(), p["actual"].as_f64().unwrap()))
        .collect();
    assert_eq!(
        by_month,
        [(1000.0, 900.0), (1100.0, 1200.0), (1200.0, 1150.0)]
    );
    let cost = metric(&json, "C");
    // 210 + 190 + 240 = 640 against a plan of 200 + 200 + 250 = 650.
    assert!(close(&cost["actual"], 640.0), "{cost}");
    assert!(close(&cost["target"], 650.0), "{cost}");
}

/// A period table keyed by name (no id column anywhere): `Category, Month, Amount` rows
/// matched to the flat list's names; a `[[set]]` makes them amounts that add up.
#[test]
fn a_long_table_keyed_by_name() {
    let case = Case::new();
    case.write(
        "kpi-report.toml",
        "[[set]]\nmatch = [\"*\"]\naggregation = \"sum\"\n",
    );
    let path = case.path("spend.xlsx");
    write_book(
        &path,
        &[
            (
                "KPI",
                vec![
                    vec!["Category", "Budget"],
                    vec!["Travel", "n:12000"],
                    vec!["Software", "n:6000"],
                ],
            ),
            (
                "Actuals",
                vec![
                    vec!["Category", "Month", "Amount"],
                    vec!["Travel", "2026-04", "n:1000"],
                    vec!["Travel", "2026-05", "n:1500"],
                    vec!["Software", "2026-04", "n:500"],
                    vec!["Travel", "2026-06", "n:700"],
                ],
            ),
        ],
    );
    let (run, json) = case.run_json(&path, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    // 1000 + 1500 + 700 = 3200; Software 500.
    assert!(close(&metric(&json, "Travel")["actual"], 3200.0));
    assert!(close(&metric(&json, "Software")["actual"], 500.0));
}

/// A section heading merged across the row (`DEMAND GENERATION` over A4:D4, as in public
/// KPI trackers) is not a metric and its empty cells are not errors.
#[test]
fn a_merged_section_heading_is_not_a_metric() {
    use rust_xlsxwriter::{Format, Workbook};
    let case = Case::new();
    let path = case.path("tracker.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Monthly KPIs").unwrap();
    sheet.write_string(0, 0, "MONTHLY KPI TRACKER").unwrap();
    for (c, h) in ["Metric", "Target", "Actual", "Owner"].iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    sheet
        .merge_range(3, 0, 3, 3, "DEMAND GENERATION", &Format::new())
        .unwrap();
    sheet.write_string(4, 0, "MQLs").unwrap();
    sheet.write_number(4, 1, 300.0).unwrap();
    sheet.write_number(4, 2, 240.0).unwrap();
    sheet
        .merge_range(5, 0, 5, 3, "REVENUE", &Format::new())
        .unwrap();
    sheet.write_string(6, 0, "Bookings").unwrap();
    sheet.write_number(6, 1, 1000.0).unwrap();
    sheet.write_number(6, 2, 450.0).unwrap();
    book.save(&path).unwrap();
    let (run, json) = case.run_json(&path, "out", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ids: Vec<&str> = json["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["MQLs", "Bookings"]);
    // 240 / 300 and 450 / 1000.
    assert!(close(&metric(&json, "MQLs")["progress"], 0.8));
    assert!(close(&metric(&json, "Bookings")["progress"], 0.45));
}
