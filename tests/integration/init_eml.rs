//! End-to-end tests of `kpi-report init` (the fillable input workbook: refusing to overwrite,
//! validations read back from the workbook's XML, `run` on the untouched file) and of
//! `run --eml` (the message parsed back with mail-parser). Each test works in its own temp dir
//! and runs the real binary.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Datelike, Months, NaiveDate};

use mail_parser::{Message, MessageParser, MimeHeaders};

use crate::support::{ids, read_json, zip_names, zip_text, Case};

const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The XML of every worksheet of an .xlsx by sheet name, and all its notes together.
struct WorkbookXml {
    sheets: BTreeMap<String, String>,
    notes: String,
}

/// Every value of `attribute="..."` in the elements named `element`.
fn attributes(xml: &str, element: &str, attribute: &str) -> Vec<String> {
    xml.split(&format!("<{element} "))
        .skip(1)
        .filter_map(|tag| {
            let tag = format!(" {}", &tag[..tag.find('>').unwrap_or(tag.len())]);
            let start = tag.find(&format!(" {attribute}=\""))? + attribute.len() + 3;
            Some(tag[start..start + tag[start..].find('"')?].to_string())
        })
        .collect()
}

fn workbook_xml(path: &Path) -> WorkbookXml {
    let workbook = zip_text(path, "xl/workbook.xml");
    let rels = zip_text(path, "xl/_rels/workbook.xml.rels");
    let names = attributes(&workbook, "sheet", "name");
    let ids = attributes(&workbook, "sheet", "r:id");
    let rel_ids = attributes(&rels, "Relationship", "Id");
    let targets = attributes(&rels, "Relationship", "Target");
    let mut sheets = BTreeMap::new();
    for (name, id) in names.iter().zip(&ids) {
        let target = &targets[rel_ids.iter().position(|r| r == id).unwrap()];
        sheets.insert(name.clone(), zip_text(path, &format!("xl/{target}")));
    }
    let notes = zip_names(path)
        .iter()
        .filter(|n| n.starts_with("xl/comments"))
        .map(|n| zip_text(path, n))
        .collect();
    WorkbookXml { sheets, notes }
}

/// The `<dataValidation …>…</dataValidation>` elements of a sheet.
fn validations(sheet_xml: &str) -> Vec<&str> {
    sheet_xml
        .split("<dataValidation ")
        .skip(1)
        .map(|v| &v[..v.find("</dataValidation>").unwrap()])
        .collect()
}

fn list_validation<'a>(sheet_xml: &'a str, words: &str) -> &'a str {
    let formula = format!("<formula1>\"{words}\"</formula1>");
    validations(sheet_xml)
        .into_iter()
        .find(|v| v.starts_with("type=\"list\"") && v.contains(&formula))
        .unwrap_or_else(|| panic!("no drop-down list {words}"))
}

#[test]
fn init_writes_a_workbook_and_refuses_to_overwrite_without_force() {
    let case = Case::new();
    let run = case.kpi_report(&["init", "goals.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("goals.xlsx"));
    assert!(
        run.stdout.contains("kpi-report run goals.xlsx"),
        "the next command is printed: {}",
        run.stdout
    );
    let written = std::fs::read(case.path("goals.xlsx")).unwrap();
    assert!(written.starts_with(b"PK"));

    // An existing file is never replaced without --force.
    case.write("goals.xlsx", b"my own goals");
    let run = case.kpi_report(&["init", "goals.xlsx"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("goals.xlsx already exists"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--force"));
    assert_eq!(
        std::fs::read(case.path("goals.xlsx")).unwrap(),
        b"my own goals"
    );

    let run = case.kpi_report(&["init", "goals.xlsx", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(std::fs::read(case.path("goals.xlsx"))
        .unwrap()
        .starts_with(b"PK"));
    assert_eq!(
        case.files("."),
        ["goals.xlsx"],
        "no temporary file left behind"
    );
}

#[test]
fn init_default_name_folders_and_wrong_extensions() {
    let case = Case::new();
    let run = case.kpi_report(&["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(case.path("kpi-input.xlsx").is_file());

    std::fs::create_dir(case.path("inputs")).unwrap();
    let run = case.kpi_report(&["init", "inputs"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(case.path("inputs/kpi-input.xlsx").is_file());

    let run = case.kpi_report(&["init", "new/folder/goals.xlsx", "--lang", "ja"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(case.path("new/folder/goals.xlsx").is_file());

    let run = case.kpi_report(&["init", "goals.csv"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains(".xlsx"), "{}", run.stderr);
    assert!(!case.path("goals.csv").exists());
}

#[test]
fn english_template_has_dropdowns_date_validation_hints_and_frozen_headers() {
    let case = Case::new();
    assert_eq!(case.kpi_report(&["init", "goals.xlsx"]).code, 0);
    let xml = workbook_xml(&case.path("goals.xlsx"));
    let names: Vec<&str> = xml.sheets.keys().map(String::as_str).collect();
    for name in ["KGI", "KPI", "Actuals", "Plan", "Guide"] {
        assert!(names.contains(&name), "{names:?}");
    }

    let kpi = &xml.sheets["KPI"];
    for words in [
        "increase,decrease,stay_above,stay_below",
        "last,sum,average",
        "daily,weekly,monthly,quarterly,yearly",
        "weighted,sum",
        "KPI,KDI",
    ] {
        let validation = list_validation(kpi, words);
        assert!(validation.contains("sqref=\""), "{validation}");
        assert!(
            validation.contains("2:"),
            "from the first data row: {validation}"
        );
        assert!(
            validation.contains("500\""),
            "down to row 500: {validation}"
        );
        assert!(
            validation.contains("prompt=\""),
            "an input message: {validation}"
        );
        assert!(
            validation.contains("error=\""),
            "an error message: {validation}"
        );
    }
    // Start and Deadline: dates between 2000-01-01 (serial 36526) and 2099-12-31 (73050).
    let dates: Vec<&str> = validations(kpi)
        .into_iter()
        .filter(|v| v.starts_with("type=\"date\""))
        .collect();
    assert_eq!(dates.len(), 2, "{dates:?}");
    for validation in dates {
        assert!(
            validation.contains("<formula1>36526</formula1>"),
            "{validation}"
        );
        assert!(
            validation.contains("<formula2>73050</formula2>"),
            "{validation}"
        );
        assert!(validation.contains("error=\"Enter a date between 2000-01-01 and 2099-12-31"));
    }
    let kgi = &xml.sheets["KGI"];
    list_validation(kgi, "increase,decrease,stay_above,stay_below");
    list_validation(kgi, "last,sum,average");
    list_validation(kgi, "weighted,sum");
    assert_eq!(
        validations(kgi)
            .iter()
            .filter(|v| v.starts_with("type=\"date\""))
            .count(),
        2
    );

    for sheet in ["KGI", "KPI", "Actuals", "Plan"] {
        let pane = attributes(&xml.sheets[sheet], "pane", "ySplit");
        assert_eq!(pane, ["1"], "{sheet}: the header row is frozen");
        assert!(
            xml.sheets[sheet].contains("customWidth=\"1\""),
            "{sheet}: widths set"
        );
    }
    // A hint on every header: what it means, and an example.
    for hint in [
        "Target (required)",
        "text such as 1億円",
        "Example: 100,000,000",
        "Choose: increase / decrease / stay_above / stay_below",
        "Choose: last / sum / average",
        "Parent (optional)",
        "One column per month",
        "the budget of the month",
    ] {
        assert!(xml.notes.contains(hint), "no note with {hint}");
    }
}

#[test]
fn japanese_template_has_japanese_sheets_headers_and_words() {
    let case = Case::new();
    let run = case.kpi_report(&["init", "目標.xlsx", "--lang", "ja"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("目標.xlsx を作成しました"),
        "{}",
        run.stdout
    );
    let xml = workbook_xml(&case.path("目標.xlsx"));
    for name in ["KGI一覧", "KPI一覧", "実績推移", "予算", "使い方"] {
        assert!(xml.sheets.contains_key(name), "{:?}", xml.sheets.keys());
    }
    let kpi = &xml.sheets["KPI一覧"];
    for words in [
        "増加,減少,以上を維持,以下に抑える",
        "最新値,合計,平均",
        "日次,週次,月次,四半期,年次",
        "加重平均,合計",
        "KPI,KDI",
    ] {
        list_validation(kpi, words);
    }
    assert!(validations(kpi)
        .iter()
        .any(|v| v.starts_with("type=\"date\"") && v.contains("2000/1/1〜2099/12/31")));
    for hint in [
        "目標値（必須）",
        "「1億円」",
        "選択肢: 増加 / 減少 / 以上を維持 / 以下に抑える",
        "選択肢: 最新値 / 合計 / 平均",
        "その月の予算",
        "親ID（任意）",
        // (v2) The KPI sheet's source column: the keys it collects in exports.
        "取込データ（--actuals、[[sources]]）から集計するキー",
    ] {
        assert!(xml.notes.contains(hint), "no note with {hint}");
    }
}

/// `run` on the untouched template: exit 0 or 1 (warnings are fine), reports written, the
/// example goal set read with the language of its headers.
#[test]
fn run_works_on_the_untouched_template_in_both_languages() {
    for (lang, file) in [("en", "goals.xlsx"), ("ja", "目標.xlsx")] {
        let case = Case::new();
        assert_eq!(case.kpi_report(&["init", file, "--lang", lang]).code, 0);
        for as_of in ["today", "prev-month-end"] {
            let run = case.kpi_report(&["run", file, "--as-of", as_of, "--json", "--out", "out"]);
            assert!(matches!(run.code, 0 | 1), "{lang} {as_of}: {}", run.stderr);
            assert!(!run.stderr.contains("error"), "{}", run.stderr);
            let doc = read_json(&case.output("out", file, "report.json"));
            assert_eq!(doc["lang"], lang);
            assert_eq!(
                ids(&doc["metrics"]),
                ["B", "B1", "B2", "B3", "B3a", "B4", "C", "C1"]
            );
            assert_eq!(doc["metrics"][0]["rollup"], "sum");
            assert_eq!(doc["metrics"][4]["kind"], "kdi");
            assert_eq!(doc["metrics"][4]["frequency"], "weekly");
            // A floor (a level) and a cost line held under its seasonal budget.
            let m = &doc["metrics"];
            assert_eq!(
                (&m[5]["direction"], &m[5]["aggregation"]),
                (&"stay_above".into(), &"last".into())
            );
            assert_eq!(m[5]["target"], 0.3);
            assert_eq!(
                (&m[6]["kind"], &m[6]["direction"]),
                (&"kgi".into(), &"stay_below".into())
            );
            assert_eq!(
                (&m[7]["direction"], &m[7]["aggregation"]),
                (&"stay_below".into(), &"sum".into())
            );
            assert_eq!(m[7]["plan_total"], 24_000_000.0);
        }
        let run = case.kpi_report(&["check", file]);
        assert!(matches!(run.code, 0 | 1), "{}", run.stdout);
        assert!(!run.stdout.contains(": error "), "{}", run.stdout);
        template_plan_figures(&case, file);
    }
}

/// The seasonal budget of the template (percent of the year by fiscal month), as the Guide
/// states it, and the example pace of repeat sales (B1, 60,000,000 JPY).
const SEASON: [f64; 12] = [6., 7., 8., 8., 6., 10., 8., 8., 11., 6., 7., 15.];

/// The template's 予実 figures for repeat sales, worked independently: the months ended
/// before today hold the month's budget x 1.02 rounded to 100,000; as of the fiscal year's
/// end the plan to date is the whole budget; as of the last month end it is the budget of
/// the months ended so far.
fn template_plan_figures(case: &Case, file: &str) {
    let today = chrono::Local::now().date_naive();
    let fy_start_year = if today.month() >= 4 {
        today.year()
    } else {
        today.year() - 1
    };
    let month_end = |i: u32| {
        let first = NaiveDate::from_ymd_opt(fy_start_year, 4, 1).unwrap() + Months::new(i + 1);
        first - chrono::Days::new(1)
    };
    let ended = (0..12).filter(|i| month_end(*i) < today).count();
    let actual: f64 = SEASON[..ended]
        .iter()
        .map(|p| (600_000.0 * p * 1.02 / 100_000.0).round() * 100_000.0)
        .sum();
    let fy_end = month_end(11).format("%Y-%m-%d").to_string();
    let run = case.kpi_report(&["run", file, "--as-of", &fy_end, "--json", "--out", "fy"]);
    assert!(matches!(run.code, 0 | 1), "{}", run.stderr);
    let doc = read_json(&case.output("fy", file, "report.json"));
    let b1 = &doc["metrics"][1];
    assert_eq!(b1["aggregation"], "sum");
    assert_eq!(b1["plan_total"], 60_000_000.0);
    assert_eq!(b1["plan_to_date"], 60_000_000.0);
    if ended == 0 {
        return;
    }
    assert_eq!(b1["actual"], actual);
    assert_eq!(b1["variance"], actual - 60_000_000.0);
    let last_end = month_end(u32::try_from(ended).unwrap() - 1)
        .format("%Y-%m-%d")
        .to_string();
    let run = case.kpi_report(&["run", file, "--as-of", &last_end, "--json", "--out", "m"]);
    assert!(matches!(run.code, 0 | 1), "{}", run.stderr);
    let doc = read_json(&case.output("m", file, "report.json"));
    let b1 = &doc["metrics"][1];
    let plan: f64 = SEASON[..ended].iter().map(|p| 600_000.0 * p).sum();
    assert_eq!(b1["plan_to_date"], plan);
    assert_eq!(b1["actual"], actual);
    let attainment = b1["attainment"].as_f64().unwrap();
    assert!((attainment - actual / plan).abs() < 1e-9, "{attainment}");
}

const EMAIL_CONFIG: &str = r#"
[email]
from = "経営企画部 <planning@example.co.jp>"
to = ["佐藤 太郎 <sato@example.com>", "kpi@example.com"]
cc = ["\"Suzuki, Finance\" <suzuki@example.com>"]
subject = "KPIレポート {period}: {stem}"
"#;

/// `multipart/mixed[multipart/alternative[text/plain,text/html],application/…]`.
fn structure(message: &Message, id: u32) -> String {
    let part = message.part(id).unwrap();
    let ctype = part.content_type().unwrap();
    let mut text = format!("{}/{}", ctype.ctype(), ctype.subtype().unwrap_or(""));
    if let Some(children) = part.sub_parts() {
        let inner: Vec<String> = children.iter().map(|c| structure(message, *c)).collect();
        text.push_str(&format!("[{}]", inner.join(",")));
    }
    text
}

#[test]
fn run_eml_writes_a_message_a_mail_parser_reads_back_exactly() {
    let case = Case::new();
    assert_eq!(
        case.kpi_report(&["init", "売上目標.xlsx", "--lang", "ja"])
            .code,
        0
    );
    case.write("mail.toml", EMAIL_CONFIG);
    let args = [
        "run",
        "売上目標.xlsx",
        "--as-of",
        "2026-10-31",
        "--config",
        "mail.toml",
        "--eml",
        "--out",
        "out",
    ];
    let run = case.kpi_report(&args);
    assert!(matches!(run.code, 0 | 1), "{}", run.stderr);
    assert!(!run.stderr.contains("sendmail"), "recipients are set");
    let bytes = std::fs::read(case.path("out/売上目標-report.eml")).unwrap();
    let message = MessageParser::default().parse(&bytes).unwrap();

    assert_eq!(message.subject(), Some("KPIレポート 2026-10: 売上目標"));
    let from = message.from().unwrap().first().unwrap();
    assert_eq!(
        (from.name(), from.address()),
        (Some("経営企画部"), Some("planning@example.co.jp"))
    );
    let to: Vec<_> = message
        .to()
        .unwrap()
        .iter()
        .map(|a| (a.name(), a.address()))
        .collect();
    assert_eq!(
        to,
        [
            (Some("佐藤 太郎"), Some("sato@example.com")),
            (None, Some("kpi@example.com"))
        ]
    );
    let cc = message.cc().unwrap().first().unwrap();
    assert_eq!(
        (cc.name(), cc.address()),
        (Some("Suzuki, Finance"), Some("suzuki@example.com"))
    );
    assert_eq!(message.date().unwrap().to_rfc3339(), "2026-10-31T00:00:00Z");
    assert!(message
        .message_id()
        .is_some_and(|id| id.starts_with("2026-10-31.") && id.ends_with("@example.co.jp")));

    let text = message.body_text(0).unwrap();
    assert!(text.contains("KPIレポート: 売上目標.xlsx"), "{text}");
    assert!(text.contains("年間売上高"), "the KGI: {text}");
    assert!(text.contains("チェック:"), "{text}");
    let html = message.body_html(0).unwrap();
    assert!(html.contains("年間売上高"), "{html}");

    let workbook = case.path("out/売上目標-report.xlsx");
    assert_eq!(
        structure(&message, 0),
        format!("multipart/mixed[multipart/alternative[text/plain,text/html],{XLSX_TYPE}]")
    );
    let attachment = message.attachment(0).unwrap();
    assert_eq!(attachment.attachment_name(), Some("売上目標-report.xlsx"));
    assert_eq!(attachment.contents(), std::fs::read(&workbook).unwrap());

    // The same inputs, config and as-of give the same bytes.
    let run = case.kpi_report(&args);
    assert!(matches!(run.code, 0 | 1));
    assert_eq!(
        std::fs::read(case.path("out/売上目標-report.eml")).unwrap(),
        bytes
    );
}

#[test]
fn run_eml_without_recipients_warns_and_still_writes_the_message() {
    let case = Case::new();
    assert_eq!(case.kpi_report(&["init", "goals.xlsx"]).code, 0);
    let run = case.kpi_report(&["run", "goals.xlsx", "--eml", "--out", "out"]);
    assert!(matches!(run.code, 0 | 1), "{}", run.stderr);
    assert!(
        run.stderr.contains("`sendmail -t` will refuse"),
        "{}",
        run.stderr
    );
    let bytes = std::fs::read(case.path("out/goals-report.eml")).unwrap();
    let message = MessageParser::default().parse(&bytes).unwrap();
    assert!(message.to().is_none());
    assert!(message
        .subject()
        .is_some_and(|s| s.starts_with("KPI report ") && s.ends_with(": goals")));
    assert_eq!(
        message.from().unwrap().first().unwrap().address(),
        Some("kpi-report@localhost")
    );
}

#[test]
fn a_malformed_address_in_the_config_is_a_usage_error_naming_the_key() {
    let case = Case::new();
    assert_eq!(case.kpi_report(&["init", "goals.xlsx"]).code, 0);
    case.write("bad.toml", "[email]\nto = [\"sato at example.com\"]\n");
    let run = case.kpi_report(&["run", "goals.xlsx", "--eml", "--config", "bad.toml"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("email.to"), "{}", run.stderr);
    assert!(run.stderr.contains("sato at example.com"));
    assert!(!case.path("reports").exists());
}

/// The e-mail's text part says the same 予実 as the HTML cards, from the budget samples
/// (figures of `tests/fixtures/yojitsu/expected.py`, "sample" lines).
#[test]
fn eml_text_part_carries_plan_to_date_variance_and_recent_months() {
    let case = Case::new();
    for (stem, lines) in [
        (
            "budget-en",
            vec![
                "      plan to date 62,000 k JPY (phased budget), variance −2,900 k JPY unfavourable, attainment 95.3%",
                "      recent (k JPY): 2026-08 plan 8,000, actual 7,500, −500 unfavourable; 2026-09 plan 10,000, actual 9,700, −300 unfavourable; 2026-10 plan 10,000, actual 9,400, −600 unfavourable",
                "      plan to date 20,600 k JPY (phased budget), variance +850 k JPY unfavourable, attainment 104.1%",
                // 着地差異: S1 36,800 + 34,800 × 36,800/37,200 = 71,225.81 and S2 22,300 +
                // 23,200 × 22,300/24,800 = 43,161.29 land at 114,387.10: 5,612.90 under the
                // 120,000 plan, 95.3 %.
                "      forecast vs full-year plan 120,000 k JPY: −5,613 k JPY unfavourable, attainment 95.3%",
                // The expenses ceiling in its own words: 36,000 − 21,450 = 14,550 left; C1
                // 15,930 + C2 21,600 = 37,530 lands 1,530 over the 36,000 budget (104.25 %).
                "      spent to date 21,450 k JPY, budget (ceiling) 36,000 k JPY, budget left 14,550 k JPY (budget used 59.6%), pace 96%",
                "      projected landing 37,530 k JPY (104.2% of the ceiling) at the deadline 2027-03-31",
                "      forecast vs full-year plan 36,000 k JPY: +1,530 k JPY unfavourable, attainment 104.2%",
                // C1: run rate 8,850 + 6,400 × 8,850 / 8,000 = 15,930 over its 14,400.
                "     Carries 50.0% of “Selling expenses” and is projected to overrun its ceiling: 15,930 k JPY at its deadline against 14,400 k JPY.",
            ],
        ),
        (
            "budget-ja",
            vec![
                "      計画(累計) 62,000千円（月次予算）、差異 △2,900千円 不利、達成率 95.3%",
                "      直近の予実 (千円): 2026年8月 計画 8,000・実績 7,500・△500 不利 / 2026年9月 計画 10,000・実績 9,700・△300 不利 / 2026年10月 計画 10,000・実績 9,400・△600 不利",
                "      計画(累計) 20,600千円（月次予算）、差異 +850千円 不利、達成率 104.1%",
                "      着地差異（年間計画 120,000千円比）△5,613千円 不利、着地達成率 95.3%",
                "      実績(累計) 21,450千円、予算(上限) 36,000千円、残予算 14,550千円（予算消化率 59.6%）、ペース 96%",
                "      着地見込み 37,530千円（上限の104.2%）、期限 2027-03-31",
                "      着地差異（年間計画 36,000千円比）+1,530千円 不利、着地達成率 104.2%",
                "     「販売費」への影響度50.0%。期限時点の見込み15,930千円が上限14,400千円を超える見込みです(超過)。",
            ],
        ),
    ] {
        let input = crate::support::sample(&format!("{stem}.xlsx"));
        let run = case.run(&input, "out", &["--eml"]);
        assert!(run.code <= 1, "{}", run.stderr);
        let bytes = std::fs::read(case.output("out", &input, "report.eml")).unwrap();
        let message = MessageParser::default().parse(&bytes).unwrap();
        let text = message.body_text(0).unwrap();
        for line in lines {
            assert!(
                text.lines().any(|l| l == line),
                "{stem}: no line “{line}” in\n{text}"
            );
        }
    }
}
