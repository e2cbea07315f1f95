//! The four defects the v2 foundation fixed because of the code's shape: a `percent` unit
//! shown differently by each output, Japanese messages naming fields in English, an input's
//! own `{period}` substituted into its output names, and a missing input that `check --json`
//! passed over in silence.

use std::path::PathBuf;

use serde_json::Value;

use crate::support::{rows, write_book, Case, AS_OF};

/// One KGI with a `%` target written as a fraction and a unit written in words.
fn percent_book(case: &Case, name: &str, unit: &str) -> PathBuf {
    let path = case.path(name);
    write_book(
        &path,
        &[
            (
                "KGI",
                rows(&[
                    &[
                        "ID", "Name", "Target", "Unit", "Start", "Deadline", "Actual", "Measured",
                    ],
                    &[
                        "R",
                        "Repeat rate",
                        "n:0.5",
                        unit,
                        "d:2026-04-01",
                        "d:2027-03-31",
                        "n:0.25",
                        "d:2026-10-31",
                    ],
                ]),
            ),
            (
                "KPI",
                rows(&[
                    &[
                        "ID", "Parent", "Name", "Target", "Unit", "Actual", "Measured",
                    ],
                    &["R1", "R", "Calls", "n:100", "calls", "n:40", "d:2026-10-31"],
                ]),
            ),
        ],
    );
    path
}

#[test]
fn a_percent_unit_shows_as_a_percentage_in_every_output() {
    for unit in ["percent", "％", "%"] {
        let case = Case::new();
        let input = percent_book(&case, "rate.xlsx", unit);
        let run = case.run(&input, "out", &["--eml"]);
        assert_eq!(run.code, 0, "{unit}: {}", run.stderr);
        let html = std::fs::read_to_string(case.output("out", &input, "summary.html")).unwrap();
        // Target 0.5 and actual 0.25 are fractions: 50.0% and 25.0%, never "0.5 percent".
        assert!(html.contains("50.0%"), "{unit}: target in the HTML");
        assert!(html.contains("25.0%"), "{unit}: actual in the HTML");
        assert!(
            !html.contains("0.5 percent") && !html.contains("0.5%"),
            "{unit}"
        );
        let eml = std::fs::read_to_string(case.output("out", &input, "report.eml")).unwrap();
        assert!(
            eml.contains("50.0%"),
            "{unit}: target in the e-mail text:\n{eml}"
        );
        assert!(!eml.contains("0.5 percent"), "{unit}");
    }
}

#[test]
fn japanese_messages_name_the_fields_in_japanese() {
    let case = Case::new();
    let input = case.path("目標.xlsx");
    write_book(
        &input,
        &[
            (
                "KGI一覧",
                rows(&[
                    &["コード", "目標名", "目標値", "期限"],
                    &["B", "年間売上高", "abc", "d:2027-03-31"],
                ]),
            ),
            (
                "KPI一覧",
                rows(&[
                    &["コード", "親ID", "指標名", "目標値", "方向"],
                    &["B1", "B", "リピート売上", "n:600", "上がる"],
                ]),
            ),
        ],
    );
    let run = case.check(&[&input], &[]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.contains("目標値「abc」を数値として読めません"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("方向「上がる」は使えません"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("Target「"), "{}", run.stdout);
    assert!(!run.stdout.contains("Direction「"), "{}", run.stdout);
}

#[test]
fn an_inputs_own_braces_are_never_filled_in() {
    let case = Case::new();
    let input = percent_book(&case, "q{period}.xlsx", "%");
    let run = case.run(&input, "out", &["--json", "--eml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut files: Vec<String> = case
        .files("out")
        .into_iter()
        .filter(|f| !f.starts_with(".kpi-report"))
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "q{period}-report.eml",
            "q{period}-report.json",
            "q{period}-report.xlsx",
            "q{period}-summary.html"
        ]
    );
    let eml = std::fs::read_to_string(case.path("out/q{period}-report.eml")).unwrap();
    let subject = eml.lines().find(|l| l.starts_with("Subject:")).unwrap();
    assert!(subject.contains("q{period}"), "{subject}");
}

#[test]
fn a_missing_input_is_an_e07_naming_the_file_in_text_and_json() {
    let case = Case::new();
    let run = case.check(&["nothere.xlsx"], &["--json"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    let checks = doc["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 1, "{doc}");
    assert_eq!(checks[0]["code"], "E07", "{doc}");
    assert!(
        checks[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("nothere.xlsx"),
        "{doc}"
    );

    let run = case.check(&["nothere.xlsx"], &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout.contains("nothere.xlsx") && run.stdout.contains("E07"),
        "{}{}",
        run.stdout,
        run.stderr
    );

    let run = case.kpi_report(&["run", "nothere.xlsx", "--as-of", AS_OF, "--out", "out"]);
    assert_eq!(run.code, 2);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(all.contains("nothere.xlsx") && all.contains("E07"), "{all}");
    let written =
        case.path("out").exists() && case.files("out").iter().any(|f| f.ends_with(".xlsx"));
    assert!(!written, "no report for a missing input");
}
