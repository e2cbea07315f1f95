//! Month headers without a year on the Actuals sheet (issue 17, SPEC 3 v2 "Period
//! headers"): `4月…3月`, `Apr…Mar`, `January…December`, plain `4…3`, a year row above the
//! months. Their year comes from config `fiscal_year`, else a title cell (`2026年度`), else
//! the fiscal year of the as-of date (2026-10-31 here: FY2026 = 2026-04..2027-03 when the
//! fiscal year starts in April). Run through the binary, read back from the JSON.
//!
//! Every book has one KPI `S` (target 1,000, values added up by a `[[set]]` rule) and twelve
//! monthly values 10, 20, …, 120 in fiscal order. By hand: with FY2026, the months dated on
//! or before 2026-10-31 are Apr…Oct, so the actual is 10 + 20 + … + 70 = 280.

use serde_json::Value;

use crate::support::{write_book, Case};

const SUM_RULE: &str = "[[set]]\nmatch = [\"*\"]\naggregation = \"sum\"\n";

/// The goal sheet and an Actuals sheet: `above` rows, then `ID, Name` and `headers`, then
/// the row of `S` with 10, 20, … under the headers.
fn book(case: &Case, name: &str, above: &[Vec<String>], headers: &[&str]) -> std::path::PathBuf {
    book_until(case, name, above, headers, "")
}

/// [`book`] with S's deadline (blank: the end of the as-of date's fiscal year). The report's
/// series runs over the deadline's fiscal year, so a book of FY2025 months gives its
/// deadline `2026年3月期` (2026-03-31) to have them all in the series.
fn book_until(
    case: &Case,
    name: &str,
    above: &[Vec<String>],
    headers: &[&str],
    deadline: &str,
) -> std::path::PathBuf {
    let path = case.path(name);
    let mut actuals: Vec<Vec<String>> = above.to_vec();
    let mut head = vec!["ID".to_string(), "Name".to_string()];
    head.extend(headers.iter().map(|h| h.to_string()));
    actuals.push(head);
    let mut row = vec!["S".to_string(), "Sales".to_string()];
    row.extend((1..=headers.len()).map(|i| format!("n:{}", 10 * i)));
    actuals.push(row);
    let kpi: Vec<Vec<&str>> = vec![
        vec!["ID", "Name", "Target", "Deadline"],
        vec!["S", "Sales", "n:1000", deadline],
    ];
    let kpi: Vec<Vec<String>> = kpi
        .into_iter()
        .map(|r| r.into_iter().map(String::from).collect())
        .collect();
    write_book(&path, &[("KPI", kpi), ("Actuals", actuals)]);
    path
}

fn sales(json: &Value) -> &Value {
    json["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "S")
        .unwrap_or_else(|| panic!("no metric S in {json}"))
}

/// The (period, actual) pairs of S's series that have an actual.
fn measured(json: &Value) -> Vec<(String, f64)> {
    sales(json)["periods"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| !p["actual"].is_null())
        .map(|p| {
            (
                p["period"].as_str().unwrap().to_string(),
                p["actual"].as_f64().unwrap(),
            )
        })
        .collect()
}

/// Apr…Oct of 2026 with 10…70: what every FY2026 book below gives at 2026-10-31.
fn fy2026_to_october() -> Vec<(String, f64)> {
    (4..=10)
        .map(|m| (format!("2026-{m:02}"), 10.0 * (m - 3) as f64))
        .collect()
}

fn assert_fy2026(json: &Value) {
    assert_eq!(measured(json), fy2026_to_october(), "{}", sales(json));
    // 10 + 20 + … + 70 = 280.
    assert_eq!(
        sales(json)["actual"].as_f64(),
        Some(280.0),
        "{}",
        sales(json)
    );
}

fn text(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

const JA_MONTHS: [&str; 12] = [
    "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月", "1月", "2月", "3月",
];

#[test]
fn japanese_months_take_their_year_from_config_fiscal_year() {
    let case = Case::new();
    case.write("kpi-report.toml", format!("fiscal_year = 2026\n{SUM_RULE}"));
    let path = book(&case, "ja.xlsx", &[], &JA_MONTHS);
    let (run, json) = case.run_json(&path, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    assert_fy2026(&json);

    // fiscal_year = 2025: Apr 2025 … Mar 2026, all on or before the as-of date. The first
    // and last measured months prove the wrap: 4月 → 2025-04, 3月 → 2026-03.
    case.write("kpi-report.toml", format!("fiscal_year = 2025\n{SUM_RULE}"));
    let path = book_until(&case, "ja2025.xlsx", &[], &JA_MONTHS, "2026年3月期");
    let (_, json) = case.run_json(&path, "out", &[]);
    let got = measured(&json);
    assert_eq!(got.len(), 12, "{got:?}");
    assert_eq!(got[0], ("2025-04".to_string(), 10.0));
    assert_eq!(got[8], ("2025-12".to_string(), 90.0));
    assert_eq!(got[9], ("2026-01".to_string(), 100.0));
    assert_eq!(got[11], ("2026-03".to_string(), 120.0));

    // A year that is not one is refused, naming the key.
    case.write("kpi-report.toml", "fiscal_year = 26000\n");
    let run = case.kpi_report(&["check", path.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("fiscal_year"), "{}", run.stderr);
}

#[test]
fn a_title_cell_names_the_fiscal_year() {
    let case = Case::new();
    case.write("kpi-report.toml", SUM_RULE);
    let title = text(&[&["2026年度 月次実績"]]);
    let path = book(&case, "title.xlsx", &title, &JA_MONTHS);
    let (run, json) = case.run_json(&path, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    assert_fy2026(&json);

    // The title wins over the as-of date: `2026年3月期` is the fiscal year Apr 2025 …
    // Mar 2026, so 4月 is 2025-04 and all twelve values are dated before 2026-10-31.
    let title = text(&[&["2026年3月期"]]);
    let path = book_until(&case, "title2.xlsx", &title, &JA_MONTHS, "2026/3/31");
    let (_, json) = case.run_json(&path, "out", &[]);
    let got = measured(&json);
    assert_eq!(got.first(), Some(&("2025-04".to_string(), 10.0)), "{got:?}");
    assert_eq!(got.last(), Some(&("2026-03".to_string(), 120.0)), "{got:?}");
}

#[test]
fn english_month_abbreviations_follow_the_as_of_date() {
    let case = Case::new();
    case.write("kpi-report.toml", SUM_RULE);
    let months = [
        "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar",
    ];
    // No config year, no title: the fiscal year containing 2026-10-31 is FY2026.
    let path = book(&case, "en.xlsx", &[], &months);
    let (run, json) = case.run_json(&path, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    assert_fy2026(&json);
}

#[test]
fn full_month_names_with_a_calendar_fiscal_year() {
    let case = Case::new();
    case.write(
        "kpi-report.toml",
        format!("fiscal_year_start_month = 1\n{SUM_RULE}"),
    );
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
    let path = book(&case, "cal.xlsx", &[], &months);
    let (run, json) = case.run_json(&path, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    // FY2026 is Jan…Dec 2026: Jan…Oct measured, 10 + 20 + … + 100 = 550.
    let expected: Vec<(String, f64)> = (1..=10)
        .map(|m| (format!("2026-{m:02}"), 10.0 * m as f64))
        .collect();
    assert_eq!(measured(&json), expected);
    assert_eq!(sales(&json)["actual"].as_f64(), Some(550.0));
}

#[test]
fn a_year_row_above_the_month_names_is_combined() {
    let case = Case::new();
    case.write("kpi-report.toml", SUM_RULE);
    // `2025` over 4月 (its cell standing for Apr…Dec, as a merged cell would), `2026` over
    // 1月: Apr 2025 … Mar 2026, although the as-of date's fiscal year is FY2026.
    let mut above = vec![vec![String::new(); 14]];
    above[0][2] = "n:2025".to_string();
    above[0][11] = "2026年".to_string();
    let path = book_until(&case, "rows.xlsx", &above, &JA_MONTHS, "2026/3/31");
    let (run, json) = case.run_json(&path, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    let got = measured(&json);
    assert_eq!(got.len(), 12, "{got:?}");
    assert_eq!(got[0], ("2025-04".to_string(), 10.0));
    assert_eq!(got[8], ("2025-12".to_string(), 90.0));
    assert_eq!(got[9], ("2026-01".to_string(), 100.0));
    assert_eq!(got[11], ("2026-03".to_string(), 120.0));

    // One year cell over the whole run: the months run on past December (2026 over
    // 4月…3月 is Apr 2026 … Mar 2027), the same as FY2026.
    let mut above = vec![vec![String::new(); 14]];
    above[0][2] = "n:2026".to_string();
    let path = book(&case, "one.xlsx", &above, &JA_MONTHS);
    let (_, json) = case.run_json(&path, "out", &[]);
    assert_fy2026(&json);
}

#[test]
fn plain_numbers_in_fiscal_order_are_months_and_nothing_else_is() {
    let case = Case::new();
    case.write("kpi-report.toml", SUM_RULE);
    let numbers = [
        "n:4", "n:5", "n:6", "n:7", "n:8", "n:9", "n:10", "n:11", "n:12", "n:1", "n:2", "n:3",
    ];
    let path = book(&case, "numbers.xlsx", &[], &numbers);
    let (run, json) = case.run_json(&path, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    assert_fy2026(&json);

    // 1…12 with a fiscal year starting in April are not months: no period header, so the
    // Actuals sheet is refused for its missing columns rather than read with guessed dates.
    let numbers: Vec<String> = (1..=12).map(|m| format!("n:{m}")).collect();
    let numbers: Vec<&str> = numbers.iter().map(String::as_str).collect();
    let path = book(&case, "ids.xlsx", &[], &numbers);
    let run = case.run(&path, "out2", &["--json"]);
    let doc = std::fs::read_to_string(case.output("out2", &path, "report.json"))
        .ok()
        .map(|t| serde_json::from_str::<Value>(&t).unwrap());
    if let Some(doc) = doc {
        assert!(measured(&doc).is_empty(), "{}", sales(&doc));
    } else {
        assert_ne!(run.code, 0, "{}", run.stderr);
    }

    // The same 1…12 under a `月度` label are fiscal months: 1 is April (the fiscal year's
    // first month), 12 is March — FY2026 again, 280.
    let mut above = vec![vec![String::new(); 14]];
    above[0][2] = "月度".to_string();
    let path = book(&case, "getsudo.xlsx", &above, &numbers);
    let (run, json) = case.run_json(&path, "out3", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    assert_fy2026(&json);
}

#[test]
fn a_month_out_of_fiscal_order_is_refused_naming_its_cell() {
    let case = Case::new();
    case.write("kpi-report.toml", format!("fiscal_year = 2026\n{SUM_RULE}"));
    // 6月 written before 5月: E04 at E1 (the header row is row 1, 5月 in column E), and the
    // 5月 column (value 30) is not read. Read: 4月 10, 6月 20, 7月 40 … 10月 70.
    let months = [
        "4月", "6月", "5月", "7月", "8月", "9月", "10月", "11月", "12月", "1月", "2月", "3月",
    ];
    let path = book(&case, "order.xlsx", &[], &months);
    // An error: no report (exit 2) unless --keep-going.
    let run = case.run(&path, "out", &["--json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!case.output("out", &path, "report.json").exists());
    assert!(run.stderr.contains("Actuals!E1"), "{}", run.stderr);
    assert!(run.stderr.contains("E04"), "{}", run.stderr);
    assert!(run.stderr.contains("\"5月\""), "{}", run.stderr);
    let (run, json) = case.run_json(&path, "kept", &["--keep-going"]);
    assert!(run.code >= 1, "{}", run.stderr);
    let e04: Vec<&Value> = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["code"] == "E04")
        .collect();
    assert_eq!(e04.len(), 1, "{}", json["checks"]);
    let got = measured(&json);
    let months: Vec<&str> = got.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        months,
        ["2026-04", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    );
    // 10 + 20 + 40 + 50 + 60 + 70 = 250.
    assert_eq!(sales(&json)["actual"].as_f64(), Some(250.0));

    // In Japanese when the headers are.
    let run = case.kpi_report(&["check", path.to_str().unwrap(), "--lang", "ja"]);
    let printed = format!("{}{}", run.stdout, run.stderr);
    assert!(printed.contains("Actuals!E1"), "{printed}");
    assert!(printed.contains("年度の順"), "{printed}");
}

#[test]
fn a_wide_sheet_with_full_dates_is_read_as_before() {
    let case = Case::new();
    // Config fiscal_year 2030 must not move months that carry their year.
    case.write("kpi-report.toml", format!("fiscal_year = 2030\n{SUM_RULE}"));
    let months: Vec<String> = (4..=12)
        .map(|m| format!("2026-{m:02}"))
        .chain((1..=3).map(|m| format!("2027年{m}月")))
        .collect();
    let months: Vec<&str> = months.iter().map(String::as_str).collect();
    let path = book(&case, "dated.xlsx", &[], &months);
    let (run, json) = case.run_json(&path, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    assert_fy2026(&json);
}

/// A 予実 grid whose merged month headers carry no year (`4月`, `5月`, `6月` over
/// 予算/実績/差異/達成率) under a `2025年度 予実管理表` title: the months are Apr–Jun 2025,
/// not of the as-of date's FY2026. The deadline 2026/3/31 keeps them in the series.
#[test]
fn a_yojitsu_grid_with_yearless_merged_months_and_a_title() {
    use rust_xlsxwriter::{Format, Workbook};
    let case = Case::new();
    let path = case.path("予実.xlsx");
    let mut book = Workbook::new();
    let kpi = book.add_worksheet();
    kpi.set_name("KPI").unwrap();
    for (c, h) in ["コード", "指標名", "目標値", "期限", "集計方法"]
        .iter()
        .enumerate()
    {
        kpi.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["S", "売上高", "", "2026/3/31", "合計"].iter().enumerate() {
        if !v.is_empty() {
            kpi.write_string(1, c as u16, *v).unwrap();
        }
    }
    let grid = book.add_worksheet();
    grid.set_name("予実管理表").unwrap();
    grid.write_string(0, 0, "2025年度 予実管理表").unwrap();
    grid.write_string(1, 0, "コード").unwrap();
    grid.write_string(1, 1, "科目").unwrap();
    // (予算, 実績, 差異, 達成率) per month.
    let months = [
        ("4月", [1000.0, 900.0, -100.0, 0.9]),
        ("5月", [1100.0, 1200.0, 100.0, 1.09]),
        ("6月", [1200.0, 1150.0, -50.0, 0.96]),
    ];
    for (m, (month, values)) in months.iter().enumerate() {
        let first = 2 + 4 * m as u16;
        grid.merge_range(1, first, 1, first + 3, month, &Format::new())
            .unwrap();
        for (k, sub) in ["予算", "実績", "差異", "達成率"].iter().enumerate() {
            grid.write_string(2, first + k as u16, *sub).unwrap();
        }
        for (k, v) in values.iter().enumerate() {
            grid.write_number(3, first + k as u16, *v).unwrap();
        }
    }
    // The key row is below the sub-header.
    grid.write_string(3, 0, "S").unwrap();
    grid.write_string(3, 1, "売上高").unwrap();
    book.save(&path).unwrap();

    let (run, json) = case.run_json(&path, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    let periods = sales(&json)["periods"].as_array().unwrap();
    let by_month: Vec<(String, f64, f64)> = periods
        .iter()
        .filter(|p| !p["actual"].is_null())
        .map(|p| {
            (
                p["period"].as_str().unwrap().to_string(),
                p["plan"].as_f64().unwrap(),
                p["actual"].as_f64().unwrap(),
            )
        })
        .collect();
    let expected: Vec<(String, f64, f64)> = [
        ("2025-04", 1000.0, 900.0),
        ("2025-05", 1100.0, 1200.0),
        ("2025-06", 1200.0, 1150.0),
    ]
    .iter()
    .map(|(p, plan, actual)| (p.to_string(), *plan, *actual))
    .collect();
    assert_eq!(by_month, expected);
    // 900 + 1200 + 1150 = 3250 against the 予算 total 1000 + 1100 + 1200 = 3300.
    assert_eq!(sales(&json)["actual"].as_f64(), Some(3250.0));
    assert_eq!(sales(&json)["target"].as_f64(), Some(3300.0));
}
