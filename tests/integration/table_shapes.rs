//! Period tables laid out like the public files of issue 17: `yyyymm` rows × branch
//! columns, `year` + `month` columns × metrics with `X Target` columns, a long plan table
//! as the whole goal set, a year taken from the file's name, and rows of a sheet that match
//! no metric (I02). Each figure is worked out by hand in the comments beside it.

use serde_json::Value;

use crate::support::{close, codes, metric, write_book, Case};

/// A 支店別売上 sheet: `年月` rows (202604, 2026/05, 2026年6月, R8.7) × one column per
/// branch, and a 合計 column that is no metric; the KPI sheet names the branches.
#[test]
fn yyyymm_rows_by_branch_columns_are_the_branches_actuals() {
    let case = Case::new();
    let path = case.path("branches.xlsx");
    write_book(
        &path,
        &[
            (
                "KPI",
                vec![
                    vec!["ID", "指標名", "目標値", "集計方法", "期限"],
                    vec!["TKY", "東京", "n:1000", "合計", "2027-03-31"],
                    vec!["OSK", "大阪", "n:600", "合計", "2027-03-31"],
                ],
            ),
            (
                "実績",
                vec![
                    vec!["支店別売上", "", "", ""],
                    vec!["年月", "東京", "大阪", "合計"],
                    vec!["n:202604", "n:100", "n:50", "n:150"],
                    vec!["2026/05", "n:110", "n:60", "n:170"],
                    vec!["2026年6月", "n:120", "", "n:120"],
                    vec!["R8.7", "n:130", "n:70", "n:200"],
                ],
            ),
        ],
    );
    let (run, json) = case.run_json(&path, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    assert!(codes(&json, "E04").is_empty(), "{}", json["checks"]);
    // 東京: 100 + 110 + 120 + 130 = 460 of 1000; 大阪: 50 + 60 + 70 = 180 of 600.
    assert!(close(&metric(&json, "TKY")["actual"], 460.0), "{json}");
    assert!(close(&metric(&json, "TKY")["progress"], 0.46));
    assert!(close(&metric(&json, "OSK")["actual"], 180.0));
    assert!(close(&metric(&json, "OSK")["progress"], 0.3));
    // The 合計 column is not a metric and not an unmatched key either.
    assert!(codes(&json, "I02").is_empty(), "{}", json["checks"]);
    let periods: Vec<&str> = metric(&json, "TKY")["periods"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| !p["actual"].is_null())
        .map(|p| p["period"].as_str().unwrap())
        .collect();
    assert_eq!(periods, ["2026-04", "2026-05", "2026-06", "2026-07"]);
}

/// A dashboard's raw data with no goal sheet: `year, month` columns, then `Sales`,
/// `Sales Target`, `Calls`, `Calls Target` and a text column. The goal set is its metrics:
/// each X Target column is X's plan, its total X's target.
#[test]
fn year_and_month_rows_with_target_columns_are_the_goal_set() {
    let case = Case::new();
    let path = case.path("dashboard.xlsx");
    write_book(
        &path,
        &[(
            "Sheet1",
            vec![
                vec![
                    "year",
                    "month",
                    "Sales",
                    "Sales Target",
                    "Calls",
                    "Calls Target",
                    "Note",
                ],
                vec!["n:2026", "n:7", "n:90", "n:100", "n:40", "n:50", "slow"],
                vec!["n:2026", "n:8", "n:120", "n:100", "n:55", "n:50", ""],
                vec!["n:2026", "n:9", "n:95", "n:100", "n:45", "n:50", "ok"],
                vec!["n:2026", "n:10", "n:110", "n:100", "n:60", "n:50", ""],
                vec!["n:2026", "n:11", "", "n:100", "", "n:50", ""],
                vec!["n:2026", "n:12", "", "n:100", "", "n:50", ""],
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
    assert_eq!(
        ids,
        ["Sales", "Calls"],
        "no metric for the Target or Note columns"
    );
    // Sales: plan 6 × 100 = 600 is the target; actual to 2026-10-31:
    // 90 + 120 + 95 + 110 = 415, progress 415 / 600.
    let sales = metric(&json, "Sales");
    assert_eq!(sales["aggregation"], "sum");
    assert!(close(&sales["target"], 600.0), "{sales}");
    assert!(close(&sales["plan_total"], 600.0));
    assert!(close(&sales["actual"], 415.0));
    assert!(close(&sales["progress"], 415.0 / 600.0));
    // Plan to date July..October: 400; variance 415 - 400 = 15.
    assert!(close(&sales["plan_to_date"], 400.0), "{sales}");
    assert!(close(&sales["variance"], 15.0), "{sales}");
    // The plan runs 2026-07..2026-12: start and deadline.
    assert_eq!(sales["start"], "2026-07-01");
    assert_eq!(sales["deadline"], "2026-12-31");
    // Calls: 6 × 50 = 300; 40 + 55 + 45 + 60 = 200.
    let calls = metric(&json, "Calls");
    assert!(close(&calls["target"], 300.0));
    assert!(close(&calls["actual"], 200.0));
    let i03 = codes(&json, "I03");
    assert_eq!(i03.len(), 1, "{}", json["checks"]);
    let message = i03[0]["message"].as_str().unwrap();
    assert!(
        message.contains("Sheet1") && message.contains("2"),
        "{message}"
    );
    assert!(codes(&json, "E04").is_empty(), "{}", json["checks"]);
}

/// A long plan `order_date_month, category, target` (sales_target.xlsx): read as it is it
/// was 35 × E01 (one category per month); now each category is a metric with its plan.
#[test]
fn a_long_plan_table_is_the_whole_goal_set() {
    let case = Case::new();
    let path = case.path("sales_target.xlsx");
    let mut rows = vec![vec![
        "order_date_month".to_string(),
        "category".to_string(),
        "target".to_string(),
    ]];
    // Furniture 1000 + 10·m, Clothing 2000 for months 4..=9 of 2026.
    for m in 4..=9 {
        rows.push(vec![
            format!("d:2026-{m:02}-18"),
            "Furniture".to_string(),
            format!("n:{}", 1000 + 10 * m),
        ]);
    }
    for m in 4..=9 {
        rows.push(vec![
            format!("d:2026-{m:02}-18"),
            "Clothing".to_string(),
            "n:2000".to_string(),
        ]);
    }
    write_book(&path, &[("sales_target", rows)]);
    let (run, json) = case.run_json(&path, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    assert!(codes(&json, "E01").is_empty(), "{}", json["checks"]);
    // Furniture: 6 × 1000 + 10 × (4 + 5 + 6 + 7 + 8 + 9) = 6000 + 390 = 6390.
    let furniture = metric(&json, "Furniture");
    assert!(close(&furniture["target"], 6390.0), "{furniture}");
    assert_eq!(furniture["aggregation"], "sum");
    assert_eq!(furniture["deadline"], "2026-09-18");
    // Clothing: 6 × 2000 = 12000.
    assert!(close(&metric(&json, "Clothing")["target"], 12000.0));
    assert_eq!(json["metrics"].as_array().unwrap().len(), 2);
    let i03 = codes(&json, "I03");
    assert_eq!(i03.len(), 1);
    assert!(i03[0]["message"].as_str().unwrap().contains("sales_target"));

    // In Japanese the finding says the same.
    let (_, json) = case.run_json(&path, "ja", &["--lang", "ja"]);
    let i03 = codes(&json, "I03");
    assert!(
        i03[0]["message"]
            .as_str()
            .unwrap()
            .contains("目標のシートがない"),
        "{}",
        i03[0]
    );
}

/// Month headers without a year take it from the file's name (`budget_FY2025.xlsx`) when
/// neither the config nor a title cell gives one — not from the as-of date (FY2026).
#[test]
fn the_file_name_gives_the_year_of_month_headers() {
    let case = Case::new();
    let sheets = |title: &'static str| {
        vec![
            (
                "KPI",
                vec![
                    vec!["ID", "Name", "Target", "Aggregation", "Start", "Deadline"],
                    vec!["S", "Sales", "n:1000", "sum", "2024-04-01", "2027-03-31"],
                ],
            ),
            (
                "Actuals",
                vec![
                    vec![title, "", ""],
                    vec!["ID", "Apr", "May"],
                    vec!["S", "n:100", "n:200"],
                ],
            ),
        ]
    };
    let path = case.path("budget_FY2025.xlsx");
    write_book(&path, &sheets(""));
    let (run, json) = case.run_json(&path, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    let with_actual = |json: &Value| -> Vec<String> {
        metric(json, "S")["periods"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| !p["actual"].is_null())
            .map(|p| p["period"].as_str().unwrap().to_string())
            .collect()
    };
    // FY2025 from April: Apr = 2025-04, May = 2025-05.
    assert_eq!(with_actual(&json), ["2025-04", "2025-05"], "{json}");

    // A title cell wins over the file's name: 2026年度 -> 2026-04, 2026-05.
    let path = case.path("予実_2025年度.xlsx");
    write_book(&path, &sheets("2026年度 実績"));
    let (_, json) = case.run_json(&path, "out2", &[]);
    assert_eq!(with_actual(&json), ["2026-04", "2026-05"]);

    // And the config's fiscal_year wins over both.
    case.write("kpi-report.toml", "fiscal_year = 2024\n");
    let (_, json) = case.run_json(&path, "out3", &[]);
    assert_eq!(with_actual(&json), ["2024-04", "2024-05"]);
}

/// Rows of an Actuals sheet whose key is no metric's are reported once (I02) with their
/// count, total and first keys — the same finding as for an export.
#[test]
fn rows_of_a_sheet_that_match_no_metric_are_reported_once() {
    let case = Case::new();
    let path = case.path("unmatched.xlsx");
    write_book(
        &path,
        &[
            (
                "KPI",
                vec![
                    vec!["ID", "Name", "Target", "Aggregation"],
                    vec!["S", "Sales", "n:1000", "sum"],
                ],
            ),
            (
                "Actuals",
                vec![
                    vec!["ID", "Date", "Value"],
                    vec!["S", "2026-04-30", "n:100"],
                    vec!["X9", "2026-04-30", "n:7"],
                    vec!["Y1", "2026-05-31", "n:5"],
                    vec!["X9", "2026-05-31", "n:3"],
                    vec!["Sales", "2026-05-31", "n:50"],
                ],
            ),
        ],
    );
    let (run, json) = case.run_json(&path, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    // S: 100 (by id) + 50 (by name) = 150.
    assert!(close(&metric(&json, "S")["actual"], 150.0));
    // Unmatched: 3 rows, 7 + 5 + 3 = 15, keys X9, Y1.
    let i02 = codes(&json, "I02");
    assert_eq!(i02.len(), 1, "{}", json["checks"]);
    let message = i02[0]["message"].as_str().unwrap();
    assert_eq!(
        message, "3 row(s) (total 15) match no metric; keys: X9, Y1",
        "{message}"
    );
    assert!(
        i02[0]["location"]
            .as_str()
            .unwrap_or("")
            .contains("Actuals"),
        "{}",
        i02[0]
    );
}

/// A source workbook laid out with periods down the rows (`shape = "rows"`) is read by the
/// same reader: its branch columns are the metrics' actuals; a column no metric has is I02.
#[test]
fn a_source_with_periods_down_the_rows() {
    let case = Case::new();
    let goals = case.path("goals.xlsx");
    write_book(
        &goals,
        &[(
            "KPI",
            vec![
                vec!["ID", "Name", "Target", "Aggregation"],
                vec!["TKY", "東京", "n:1000", "sum"],
            ],
        )],
    );
    write_book(
        &case.path("branches.xlsx"),
        &[(
            "売上",
            vec![
                vec!["年月", "東京", "名古屋"],
                vec!["n:202604", "n:100", "n:30"],
                vec!["n:202605", "n:150", "n:20"],
            ],
        )],
    );
    case.write(
        "kpi-report.toml",
        "[[sources]]\npath = \"branches.xlsx\"\nshape = \"rows\"\n",
    );
    let (run, json) = case.run_json(&goals, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    // 東京: 100 + 150 = 250 of 1000.
    assert!(close(&metric(&json, "TKY")["actual"], 250.0), "{json}");
    // 名古屋 is no metric's: 2 rows, 30 + 20 = 50.
    let i02 = codes(&json, "I02");
    assert_eq!(i02.len(), 1, "{}", json["checks"]);
    assert!(
        i02[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("2 row(s) (total 50) match no metric; keys: 名古屋"),
        "{}",
        i02[0]
    );
}

/// An Actuals sheet whose header fits no shape: the E07 says what it saw and which shapes
/// it tried, in English and in Japanese.
#[test]
fn an_actuals_sheet_of_no_known_shape_says_what_was_tried() {
    let case = Case::new();
    let path = case.path("shapeless.xlsx");
    write_book(
        &path,
        &[
            (
                "KPI",
                vec![vec!["ID", "Name", "Target"], vec!["S", "Sales", "n:10"]],
            ),
            (
                "Actuals",
                vec![
                    vec!["Region", "Comment"],
                    vec!["East", "fine"],
                    vec!["West", "late"],
                ],
            ),
        ],
    );
    let run = case.check(&[&path], &[]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("shapeless.xlsx:Actuals: error E07: the table's shape could not be told: ")
            && run.stdout.contains("Region")
            && run
                .stdout
                .contains("Shapes tried: long (a key, a date and a value column), wide")
            && run.stdout.contains("periods down the rows"),
        "{}",
        run.stdout
    );
    let run = case.check(&[&path], &["--lang", "ja"]);
    assert!(
        run.stdout.contains("表の形が分かりません。") && run.stdout.contains("試した形: 縦持ち"),
        "{}",
        run.stdout
    );
}

/// A *Budget vs Actual* workbook laid out like the public template of issue 17
/// (atarbusra/Excel-project): a *Budget* sheet one column per month `January … December`
/// (no year; the title says `2025`) with the key header `Figures in USD`, `Income:` /
/// `Expenses:` headings and total rows; an *Actual* sheet `Date, Month, Category,
/// Description, Amount` (two date-like columns: the dated one is read). The goal set is
/// the Budget table (target = the year's budget, aggregation sum), the Actual sheet its
/// actuals; a `[[set]]` rule makes the expenses ceilings.
#[test]
fn a_budget_vs_actual_workbook_with_a_figures_header_and_date_and_month_columns() {
    let case = Case::new();
    let path = case.path("Budget vs Actual.xlsx");
    let months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let row = |name: &str, values: &dyn Fn(usize) -> f64| -> Vec<String> {
        std::iter::once(name.to_string())
            .chain((1..=12).map(|m| format!("n:{}", values(m))))
            .collect()
    };
    let budget: Vec<Vec<String>> = vec![
        vec!["Budgeted Income & Expenses 2025".to_string()],
        std::iter::once("Figures in USD".to_string())
            .chain(months.iter().map(|m| m.to_string()))
            .collect(),
        vec!["Income:".to_string()],
        row("Salary", &|_| 100.0),
        row("Bonus", &|m| 10.0 * m as f64),
        row("Total Income", &|m| 100.0 + 10.0 * m as f64),
        vec!["Expenses:".to_string()],
        row("Rent", &|_| 50.0),
        row("Food", &|_| 30.0),
        row("Total Expenses", &|_| 80.0),
    ];
    let actual: Vec<Vec<&str>> = vec![
        vec!["Actual Income & Expenses 2025"],
        vec!["Date", "Month", "Category", "Description", "Amount"],
        vec!["d:2025-01-31", "January", "Salary", "9-5 job", "n:100"],
        vec!["d:2025-01-01", "January", "Rent", "flat", "n:50"],
        vec!["d:2025-01-08", "January", "Food", "shop", "n:20"],
        vec!["d:2025-01-08", "January", "Food", "dinner", "n:15"],
        vec!["d:2025-02-28", "February", "Salary", "9-5 job", "n:100"],
        vec!["d:2025-02-28", "February", "Bonus", "sales", "n:25"],
        vec!["d:2025-02-01", "February", "Rent", "flat", "n:50"],
        vec!["d:2025-02-12", "February", "Food", "shop", "n:40"],
        vec![
            "d:2025-11-12",
            "November",
            "Food",
            "after the as-of date",
            "n:99",
        ],
    ];
    let actual: Vec<Vec<String>> = actual
        .into_iter()
        .map(|r| r.into_iter().map(str::to_string).collect())
        .collect();
    write_book(&path, &[("Budget", budget), ("Actual", actual)]);
    case.write(
        "kpi-report.toml",
        "[[set]]\nmatch = [\"Rent\", \"Food\"]\ndirection = \"stay_below\"\n",
    );
    let run = case.kpi_report(&[
        "run",
        "Budget vs Actual.xlsx",
        "--as-of",
        "2025-10-31",
        "--out",
        "out",
        "--json",
    ]);
    assert!(run.code <= 1, "{}{}", run.stdout, run.stderr);
    let json = crate::support::read_json(&case.output("out", &path, "report.json"));
    let names: Vec<&str> = json["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    // The headings and the total rows are no metrics.
    assert_eq!(names, ["Salary", "Bonus", "Rent", "Food"], "{json}");
    // By hand, as of 2025-10-31 (January … October planned so far; November's 99 is later):
    // (name, target = 12 months' budget, plan to date, actual, variance, direction)
    let expected = [
        ("Salary", 1200.0, 1000.0, 200.0, -800.0, "increase"),
        // 10 + 20 + … + 120 = 780; to October 10 × (1 + … + 10) = 550; actual 25.
        ("Bonus", 780.0, 550.0, 25.0, -525.0, "increase"),
        ("Rent", 600.0, 500.0, 100.0, -400.0, "stay_below"),
        // 20 + 15 + 40 = 75.
        ("Food", 360.0, 300.0, 75.0, -225.0, "stay_below"),
    ];
    for (id, target, to_date, actual, variance, direction) in expected {
        let m = metric(&json, id);
        assert!(close(&m["target"], target), "{id} target: {m}");
        assert!(close(&m["plan_to_date"], to_date), "{id} plan to date: {m}");
        assert!(close(&m["actual"], actual), "{id} actual: {m}");
        assert!(close(&m["variance"], variance), "{id} variance: {m}");
        assert_eq!(m["direction"], direction, "{id}: {m}");
        assert_eq!(m["aggregation"], "sum", "{id}: {m}");
        // The months are 2025 (the title's year), January to December.
        assert_eq!(m["start"], "2025-01-01", "{id}: {m}");
        assert_eq!(m["deadline"], "2025-12-31", "{id}: {m}");
    }
    // January's two Food lines: 20 + 15.
    let food = metric(&json, "Food");
    let january = food["periods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["period"] == "2025-01")
        .unwrap();
    assert!(close(&january["actual"], 35.0), "{food}");
    assert!(close(&january["plan"], 30.0), "{food}");
    // The two total rows: (100 × 12 + 780) + 80 × 12 = 1980 + 960 = 2940.
    let i02 = codes(&json, "I02");
    assert_eq!(i02.len(), 1, "{}", json["checks"]);
    assert!(
        i02[0]["message"].as_str().unwrap().starts_with(
            "2 row(s) (total 2940) match no metric; keys: Total Income, Total Expenses"
        ),
        "{}",
        i02[0]
    );
    // The Date column is read, not reported as a second date column beside Month.
    assert!(codes(&json, "E07").is_empty(), "{}", json["checks"]);
    assert!(codes(&json, "W12").is_empty(), "{}", json["checks"]);
}

/// A CSV source with periods down the rows (`shape = "rows"`): `年月` rows in three text
/// forms, one column per branch (a thousands separator and an empty cell among them); a
/// column no metric has is I02; an unreadable amount is named by line and column.
#[test]
fn a_csv_source_with_periods_down_the_rows() {
    let case = Case::new();
    let goals = case.path("goals.xlsx");
    write_book(
        &goals,
        &[(
            "KPI",
            vec![
                vec!["ID", "Name", "Target", "Aggregation"],
                vec!["TKY", "東京", "n:5000", "sum"],
                vec!["OSK", "大阪", "n:600", "sum"],
            ],
        )],
    );
    case.write(
        "branches.csv",
        "支店別売上,,,\n年月,東京,大阪,名古屋\n202604,\"1,100\",50,30\n2026/05,150,,20\n2026年6月,200,70,\n",
    );
    case.write(
        "kpi-report.toml",
        "[[sources]]\npath = \"branches.csv\"\nshape = \"rows\"\n",
    );
    let (run, json) = case.run_json(&goals, "out", &[]);
    assert!(run.code <= 1, "{}{}", run.stdout, run.stderr);
    // 東京: 1,100 + 150 + 200 = 1450; 大阪: 50 + 70 = 120 (May empty: not measured).
    assert!(close(&metric(&json, "TKY")["actual"], 1450.0), "{json}");
    assert!(close(&metric(&json, "OSK")["actual"], 120.0), "{json}");
    let tokyo = metric(&json, "TKY");
    let may = tokyo["periods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["period"] == "2026-05")
        .unwrap();
    assert!(close(&may["actual"], 150.0), "{tokyo}");
    // 名古屋 is no metric's: 2 rows, 30 + 20 = 50.
    let i02 = codes(&json, "I02");
    assert_eq!(i02.len(), 1, "{}", json["checks"]);
    assert!(
        i02[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("2 row(s) (total 50) match no metric; keys: 名古屋"),
        "{}",
        i02[0]
    );

    // An amount that is no number: the finding names the file, line and column.
    case.write(
        "branches.csv",
        "年月,東京,大阪\n202604,100,50\n2026/05,abc,60\n",
    );
    let run = case.check(&[&goals], &[]);
    assert!(
        run.stdout.contains("branches.csv line 3, column 2"),
        "{}",
        run.stdout
    );
}

/// The variance_dashboard case: a long budget `cost_id, budget, date` is the goal set, and
/// an export of transactions `date, cost_id, cost` (a workbook, given with --actuals) holds
/// the actuals — neither header is one of the tool's names, both are read as named loosely
/// (`cost_id` the key, `date` the date, `cost` the amount spent). By hand, as of 2026-10-31:
/// - id 1: budget 100 + 100 + 120 + 80 (Jul–Oct) = 400 = target and plan to date; costs
///   30 + 50 (Jul) + 90 (Sep) + 200 (Oct) = 370; variance 370 − 400 = −30;
/// - id 2: budget 50 × 4 = 200 (Jul–Oct), costs 60 (Aug) + 70 (Oct) = 130; a cost on
///   2026-06-30, before its first budget month, is outside [S, t] and not counted.
#[test]
fn a_long_budget_with_an_export_of_costs_named_loosely() {
    let case = Case::new();
    let budget = case.path("budget.xlsx");
    let mut rows = vec![["cost_id", "budget", "date"].map(String::from).to_vec()];
    for (id, month, amount) in [
        ("n:1", "07", "n:100"),
        ("n:1", "08", "n:100"),
        ("n:1", "09", "n:120"),
        ("n:1", "10", "n:80"),
        ("n:2", "07", "n:50"),
        ("n:2", "08", "n:50"),
        ("n:2", "09", "n:50"),
        ("n:2", "10", "n:50"),
    ] {
        rows.push(vec![
            id.to_string(),
            amount.to_string(),
            format!("d:2026-{month}-20"),
        ]);
    }
    write_book(&budget, &[("budget", rows)]);
    let costs = case.path("costs.xlsx");
    write_book(
        &costs,
        &[(
            "costs",
            vec![
                vec!["date", "cost_id", "cost"],
                vec!["d:2026-07-03", "n:1", "n:30"],
                vec!["d:2026-07-28", "n:1", "n:50"],
                vec!["d:2026-09-11", "n:1", "n:90"],
                vec!["d:2026-10-05", "n:1", "n:200"],
                vec!["d:2026-08-14", "n:2", "n:60"],
                vec!["d:2026-10-30", "n:2", "n:70"],
                vec!["d:2026-06-30", "n:2", "n:999"],
            ],
        )],
    );
    let costs_arg = costs.display().to_string();
    let (run, json) = case.run_json(&budget, "out", &["--actuals", &costs_arg]);
    assert!(run.code <= 1, "{}", run.stderr);
    let one = metric(&json, "1");
    assert!(close(&one["target"], 400.0), "{one}");
    assert!(close(&one["actual"], 370.0), "{one}");
    assert!(close(&one["plan_to_date"], 400.0), "{one}");
    assert!(close(&one["variance"], -30.0), "{one}");
    let two = metric(&json, "2");
    assert!(close(&two["target"], 200.0), "{two}");
    assert!(close(&two["actual"], 130.0), "{two}");
    // A budget by month is measured monthly: no W07 "no measurement frequency".
    assert_eq!(one["frequency"], "monthly", "{one}");
    assert!(codes(&json, "W07").is_empty(), "{}", json["checks"]);
}
