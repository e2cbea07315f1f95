//! The HTML summary (`X-summary.html`) end to end: the real binary on the shipped samples and
//! on workbooks written here, with snapshots, escaping of hostile text, e-mail safety, and
//! `--templates` overrides falling back to the built-ins.

use std::path::Path;

use crate::support::{rows, sample, samples, write_book, Case};

/// The HTML summary a run wrote into `out` for the input named STEM.
fn summary(case: &Case, stem: &str) -> String {
    let path = case.output("out", stem, "summary.html");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "<img src=x onerror=alert(1)>";

const KGI_HEAD: &[&str] = &[
    "ID",
    "Name",
    "Target",
    "Unit",
    "Start",
    "Deadline",
    "Owner",
    "Frequency",
];
const KPI_HEAD: &[&str] = &[
    "ID",
    "Parent",
    "Name",
    "Target",
    "Unit",
    "Owner",
    "Frequency",
    "Actual",
];

/// A workbook of KGI and KPI rows under the headers above.
fn goal_set(path: &Path, kgis: &[&[&str]], kpis: &[&[&str]]) {
    write_book(
        path,
        &[
            ("KGI", rows(&[&[KGI_HEAD], kgis].concat())),
            ("KPI", rows(&[&[KPI_HEAD], kpis].concat())),
        ],
    );
}

/// A KGI and two KPIs whose names, owner and unit are hostile HTML.
fn hostile_book(path: &Path) {
    goal_set(
        path,
        &[&[
            "K1",
            SCRIPT,
            "n:1000",
            "<b>u</b>",
            "d:2026-04-01",
            "d:2027-03-31",
            "\"><i>owner</i>",
            "monthly",
        ]],
        &[
            &["P1", "K1", IMG, "n:100", "件", "Ito", "monthly", "n:20"],
            &[
                "P2",
                "K1",
                "a & b ' \" </td></tr></table>",
                "n:100",
                "件",
                "Ito",
                "monthly",
                "n:60",
            ],
        ],
    );
}

/// Everything that would make the page unsafe or not self-contained in an e-mail client.
fn assert_email_safe(html: &str) {
    let lower = html.to_lowercase();
    for banned in [
        "<script",
        "http://",
        "https://",
        "<link",
        "@import",
        "url(",
        "<img",
        "<iframe",
        "<object",
        "<embed",
        "<style",
        "<form",
        "javascript:",
        "<base",
    ] {
        assert!(!lower.contains(banned), "the summary contains {banned:?}");
    }
    // No event handler attributes in any tag (escaped text may mention them, tags may not).
    for tag in tags(html) {
        let tag = tag.to_lowercase();
        let has_handler = tag
            .split(|c: char| c.is_whitespace())
            .skip(1)
            .any(|attr| attr.starts_with("on") && attr.contains('='));
        assert!(!has_handler, "event handler in tag {tag}");
    }
}

/// The raw tags of a document: from each `<` to the next `>`.
fn tags(html: &str) -> Vec<&str> {
    let mut result = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        result.push(&rest[start..start + len + 1]);
        rest = &rest[start + len + 1..];
    }
    result
}

/// A shipped sample's summary: written by a run that succeeds, e-mail safe, and as in its
/// snapshot (with the version filtered out).
fn assert_sample_summary(stem: &str) {
    let case = Case::new();
    let run = case.run(sample(&format!("{stem}.xlsx")), "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    let html = summary(&case, stem);
    assert_email_safe(&html);
    insta::with_settings!({
        filters => vec![
            (r"kpi-report \d+\.\d+\.\d+[0-9A-Za-z.+-]*", "kpi-report [VERSION]"),
        ],
    }, {
        insta::assert_snapshot!(format!("summary_{stem}"), html);
    });
}

#[test]
fn sample_summary_en_snapshot() {
    assert_sample_summary("sales-en");
}

#[test]
fn sample_summary_ja_snapshot() {
    assert_sample_summary("sales-ja");
}

#[test]
fn same_input_and_as_of_give_byte_identical_html() {
    let first = Case::new();
    let second = Case::new();
    first.run(samples(), "out", &[]);
    second.run(samples(), "out", &[]);
    for stem in ["sales-en", "sales-ja"] {
        assert_eq!(
            summary(&first, stem),
            summary(&second, stem),
            "{stem} differs"
        );
    }
}

#[test]
fn summary_shows_every_section_in_english() {
    let case = Case::new();
    case.run(sample("sales-en.xlsx"), "out", &["--lang", "en"]);
    let html = summary(&case, "sales-en");
    for text in [
        "<html lang=\"en\">",
        "max-width:600px",
        "KPI report",
        "As of <strong style=\"color:#ffffff;\">2026-10-31</strong>",
        "Source: sales-en.xlsx",
        "Goals (KGI)",
        "Annual sales",
        "49.6%",
        "▲ At risk",
        "● On track",
        "✕ Off track",
        "Forecast at deadline",
        "Pace vs plan",
        "151 days left",
        "+7.2 pt",
        "Top priorities",
        "Impact on KGI",
        "KPI tree",
        "Checks",
        "W05",
    ] {
        assert!(html.contains(text), "missing {text:?}");
    }
}

#[test]
fn lang_ja_gives_japanese_labels() {
    let case = Case::new();
    case.run(sample("sales-en.xlsx"), "out", &["--lang", "ja"]);
    let html = summary(&case, "sales-en");
    for text in [
        "<html lang=\"ja\">",
        "KPIレポート",
        "基準日",
        "進捗率",
        "達成見込み",
        "期限",
        "残り151日",
        "前月比",
        "優先順位",
        "KGIへの影響度",
        "KPIツリー",
        "チェック結果",
        "▲ 要注意",
        "● 順調",
    ] {
        assert!(html.contains(text), "missing {text:?}");
    }
}

#[test]
fn hostile_text_in_the_input_shows_as_text() {
    let case = Case::new();
    // The file name is input text too.
    let input = case.path("evil<b>.xlsx");
    hostile_book(&input);
    let config = case.write("kpi-report.toml", "company = \"<i>Acme</i> & Co\"\n");
    let run = case.run(&input, "out", &["--config", config.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let html = summary(&case, "evil<b>");
    assert_email_safe(&html);
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("&lt;i&gt;Acme&lt;"));
    assert!(html.contains("&amp; Co"));
    assert!(html.contains("evil&lt;b&gt;.xlsx"));
    assert!(html.contains("a &amp; b &#39; &quot; &lt;"));
    for raw in ["<b>", "<i>", "</td></tr></table>\"", "\"><i>"] {
        assert!(!html.contains(raw), "unescaped {raw:?}");
    }
    // Same document structure as any other summary: the hostile row closed no table.
    assert_eq!(
        html.matches("<table").count(),
        html.matches("</table>").count()
    );
}

#[test]
fn override_of_one_partial_keeps_the_others_built_in() {
    let case = Case::new();
    let dir = case.path("tpl");
    case.write(
        "tpl/footer.html",
        "<tr><td>CUSTOM FOOTER for {{ source }}: {% for k in kgis %}{{ k.name }};{% endfor %}</td></tr>\n",
    );
    let input = case.path("in.xlsx");
    hostile_book(&input);
    let run = case.run(&input, "out", &["--templates", dir.to_str().unwrap()]);
    assert!(run.code <= 1, "{}", run.stderr);
    let html = summary(&case, "in");
    assert!(html.contains("CUSTOM FOOTER for in.xlsx: &lt;script&gt;"));
    // The user's template is escaped like the built-ins.
    assert!(!html.contains("<script"));
    // The other partials are the built-in ones.
    assert!(html.contains("KPI tree"));
    assert!(html.contains("Top priorities"));
    assert!(!html.contains("Generated by"));
}

#[test]
fn override_of_the_page_can_include_built_in_partials() {
    let case = Case::new();
    let dir = case.path("tpl");
    case.write(
        "tpl/summary.html",
        "<!DOCTYPE html><html><body><table>{% include \"tree.html\" %}</table><p>{{ labels.as_of }} {{ as_of }}</p></body></html>",
    );
    let run = case.run(
        sample("sales-en.xlsx"),
        "out",
        &["--templates", dir.to_str().unwrap()],
    );
    assert!(run.code <= 1, "{}", run.stderr);
    let html = summary(&case, "sales-en");
    assert!(html.starts_with("<!DOCTYPE html><html><body><table>"));
    assert!(html.contains("KPI tree"));
    assert!(html.contains("<p>As of 2026-10-31</p>"));
    assert!(!html.contains("Top priorities"));
}

#[test]
fn override_folder_ignores_unrelated_files() {
    let case = Case::new();
    let dir = case.path("tpl");
    case.write("tpl/README.md", "# my templates\n");
    case.write("tpl/notes.txt", "{{ broken\n");
    let run = case.run(
        sample("sales-en.xlsx"),
        "out",
        &["--templates", dir.to_str().unwrap()],
    );
    assert!(run.code <= 1, "{}", run.stderr);
    assert!(summary(&case, "sales-en").contains("KPI tree"));
}

#[test]
fn override_not_ending_in_html_is_refused() {
    let case = Case::new();
    let dir = case.path("tpl");
    case.write("tpl/footer.txt", "<tr><td>{{ source }}</td></tr>\n");
    let run = case.run(
        sample("sales-en.xlsx"),
        "out",
        &["--templates", dir.to_str().unwrap()],
    );
    assert_eq!(run.code, 2);
    let err = &run.stderr;
    assert!(err.contains("footer.txt"), "{err}");
    assert!(err.contains("must end in .html"), "{err}");
    assert!(err.contains("footer.html"), "{err}");
    assert!(!case.path("out/sales-en-summary.html").exists());
}

#[test]
fn broken_template_is_a_usage_error_naming_the_file() {
    let case = Case::new();
    let dir = case.path("tpl");
    case.write("tpl/footer.html", "<tr><td>{{ source }}</td></tr>\n");
    case.write("tpl/tree.html", "{% if %}\n");
    let run = case.run(
        sample("sales-en.xlsx"),
        "out",
        &["--templates", dir.to_str().unwrap()],
    );
    assert_eq!(run.code, 2);
    let err = &run.stderr;
    assert!(err.contains("tree.html"), "{err}");
    assert!(!err.contains("footer.html"), "{err}");
    assert!(!case.path("out/sales-en-summary.html").exists());
}

#[test]
fn missing_templates_folder_is_a_usage_error() {
    let case = Case::new();
    let run = case.run(
        sample("sales-en.xlsx"),
        "out",
        &["--templates", "no-such-folder"],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no-such-folder"));
}

#[test]
fn template_referring_to_unknown_variable_fails_that_input_only() {
    let case = Case::new();
    let dir = case.path("tpl");
    case.write(
        "tpl/footer.html",
        "<tr><td>{{ no_such_variable.x }}</td></tr>\n",
    );
    let run = case.run(samples(), "out", &["--templates", dir.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    let err = &run.stderr;
    assert!(
        err.contains("footer.html") || err.contains("no_such_variable"),
        "{err}"
    );
    assert!(!case.path("out/sales-en-summary.html").exists());
}

#[test]
fn achieved_overdue_and_empty_goal_sets_render() {
    let case = Case::new();
    let input = case.path("edge.xlsx");
    goal_set(
        &input,
        &[
            &[
                "G",
                "Done goal",
                "n:100",
                "件",
                "d:2026-04-01",
                "d:2027-03-31",
                "A",
                "monthly",
            ],
            &[
                "L",
                "Late goal",
                "n:100",
                "件",
                "d:2025-04-01",
                "d:2026-09-30",
                "A",
                "monthly",
            ],
            &[
                "N",
                "No data goal",
                "n:100",
                "件",
                "d:2026-04-01",
                "d:2027-03-31",
                "A",
                "monthly",
            ],
        ],
        &[
            &["G1", "G", "Done KPI", "n:10", "件", "B", "monthly", "n:12"],
            &["L1", "L", "Late KPI", "n:10", "件", "B", "monthly", "n:4"],
            &["N1", "N", "Empty KPI", "n:10", "件", "B", "monthly", ""],
        ],
    );
    let run = case.run(&input, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    let html = summary(&case, "edge");
    assert_email_safe(&html);
    for text in [
        "★ Achieved",
        "✕ Overdue",
        "– No data",
        "31 days overdue",
        "past its deadline",
        "120.0%",
    ] {
        assert!(html.contains(text), "missing {text:?}");
    }
    // Progress bars are clamped: 120 % fills the bar, no more.
    assert!(!html.contains("width=\"120"));
}

#[test]
fn kgi_cards_stop_at_twenty_and_the_rest_are_counted() {
    let case = Case::new();
    let input = case.path("many.xlsx");
    let ids: Vec<String> = (1..=23).map(|i| format!("G{i:02}")).collect();
    let names: Vec<String> = ids.iter().map(|id| format!("Goal {id}")).collect();
    let kpi_ids: Vec<String> = ids.iter().map(|id| format!("{id}-K")).collect();
    let kgis: Vec<Vec<&str>> = ids
        .iter()
        .zip(&names)
        .map(|(id, name)| {
            vec![
                id.as_str(),
                name.as_str(),
                "n:100",
                "件",
                "d:2026-04-01",
                "d:2027-03-31",
                "A",
                "monthly",
            ]
        })
        .collect();
    let kpis: Vec<Vec<&str>> = ids
        .iter()
        .zip(&kpi_ids)
        .map(|(id, kpi)| {
            vec![
                kpi.as_str(),
                id.as_str(),
                "KPI",
                "n:100",
                "件",
                "B",
                "monthly",
                "n:40",
            ]
        })
        .collect();
    let kgis: Vec<&[&str]> = kgis.iter().map(Vec::as_slice).collect();
    let kpis: Vec<&[&str]> = kpis.iter().map(Vec::as_slice).collect();
    goal_set(&input, &kgis, &kpis);
    let run = case.run(&input, "out", &[]);
    assert!(run.code <= 1, "{}", run.stderr);
    let html = summary(&case, "many");

    // A card's title is the KGI's name in 17 px bold; the tree lists every KGI as well.
    let card_title = |name: &str| format!("line-height:1.35;color:#111827;\">{name}</div>");
    let cards: Vec<&String> = names
        .iter()
        .filter(|n| html.contains(&card_title(n)))
        .collect();
    assert_eq!(cards.len(), 20, "{cards:?}");
    assert!(html.contains(&card_title("Goal G20")));
    assert!(!html.contains(&card_title("Goal G21")));
    assert!(
        html.contains("… and 3 more in the workbook"),
        "no count of the rest"
    );
    assert!(html.contains("Goal G23"), "the tree still lists every KGI");
}

/// The page's text as a reader sees it: tags dropped, entities of the figures decoded,
/// whitespace collapsed.
fn visible_text(html: &str) -> String {
    let body = &html[html.find("<body").unwrap_or(0)..];
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.replace("&#x2F;", "/").replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The 予実 parts of the budget samples' summary, English and Japanese: the figures of
/// `tests/fixtures/yojitsu/expected.py` ("sample" lines), each variance with its sign and
/// word, the last three months of each KGI, attainment in the tree and the advertising
/// overrun worded as one.
#[test]
fn budget_sample_cards_show_plan_variance_attainment_and_recent_months() {
    let case = Case::new();
    for stem in ["budget-en", "budget-ja"] {
        let run = case.run(sample(&format!("{stem}.xlsx")), "out", &[]);
        assert!(run.code <= 1, "{}", run.stderr);
        let html = summary(&case, stem);
        assert_email_safe(&html);
        let text = visible_text(&html);
        let expected: &[&str] = if stem == "budget-en" {
            &[
                // S: plan to date 62,000, actual 59,100, variance −2,900, attainment 95.3 %.
                "Plan to date 62,000 k JPY Phased budget Variance −2,900 k JPY unfavourable Attainment 95.3%",
                "Plan vs actual, recent periods (k JPY)",
                // S by month: Aug 4,800 + 3,200 = 8,000 against 4,700 + 2,800 = 7,500 ...
                "2026-08 8,000 7,500 −500 unfavourable",
                "2026-09 10,000 9,700 −300 unfavourable",
                "2026-10 10,000 9,400 −600 unfavourable",
                // C, a ceiling: 21,450 against 20,600 is over budget, a plus that is bad news.
                "Budget to date 20,600 k JPY Phased budget Variance +850 k JPY unfavourable Attainment 104.1%",
                // 着地差異: S lands at 71,225.81 + 43,161.29 = 114,387.10, 5,612.90 under the
                // plan; C at 15,930 + 21,600 = 37,530, 1,530 over its budget.
                "Full-year plan 120,000 k JPY Forecast vs plan −5,613 k JPY unfavourable Forecast attainment 95.3%",
                "Full-year budget 36,000 k JPY Forecast vs plan +1,530 k JPY unfavourable Forecast attainment 104.2%",
                // The ceiling in its words: 36,000 − 21,450 left.
                "Spent to date 21,450 k JPY Budget (ceiling) 36,000 k JPY Budget left 14,550 k JPY",
                "2026-10 3,000 3,200 +200 unfavourable",
                // C1: run rate 8,850 + 6,400 × 8,850 / 8,000 = 15,930 over 14,400.
                "is projected to overrun its ceiling: 15,930 k JPY at its deadline against 14,400 k JPY.",
                // The tree: C1 attainment 8,850 / 8,000 = 110.6 %.
                "Attainment 110.6%",
            ]
        } else {
            &[
                "計画(累計) 62,000千円 月次予算 差異 △2,900千円 不利 達成率 95.3%",
                "直近の予実 (千円)",
                "2026年8月 8,000 7,500 △500 不利",
                "2026年10月 3,000 3,200 +200 不利",
                "予算(累計) 20,600千円 月次予算 差異 +850千円 不利 達成率 104.1%",
                "年間計画 120,000千円 着地差異 △5,613千円 不利 着地達成率 95.3%",
                "年間予算 36,000千円 着地差異 +1,530千円 不利 着地達成率 104.2%",
                "実績(累計) 21,450千円 予算(上限) 36,000千円 残予算 14,550千円",
                "期限時点の見込み15,930千円が上限14,400千円を超える見込みです",
                "達成率 110.6%",
            ]
        };
        for phrase in expected {
            assert!(text.contains(phrase), "{stem}: no “{phrase}” in\n{text}");
        }
    }
}

/// (v2) A ceiling and a floor as KGIs, in their own words: the budget left under the
/// ceiling (not "remaining 0"), the projected landing against it, and a `%` floor's margin
/// and variance in points. Figures by hand: the cost line spent 700 of a 1,200 budget as
/// of 2026-09-30 (half the year, straight line 600 to date): 500 left, variance +100
/// unfavourable; the margin 31 % against a floor of 30 %: 1.0 pt above, variance +1.0 pt
/// favourable (the floor is its own plan line).
#[test]
fn ceiling_and_floor_cards_say_what_is_left_and_percent_variances_are_points() {
    for (lang, words) in [
        (
            "en",
            [
                "Budget used",
                "Spent to date",
                "Budget (ceiling)",
                "Budget left",
                "500 JPY",
                "Projected landing",
                "of the ceiling",
                "Forecast vs plan",
                "Above the floor",
                "1.0 pt",
                "+1.0 pt",
                "+100 JPY",
            ],
        ),
        (
            "ja",
            [
                "予算消化率",
                "実績(累計)",
                "予算(上限)",
                "残予算",
                "500 JPY",
                "着地見込み",
                "上限の",
                "着地差異",
                "下限との差",
                "1.0ポイント",
                "+1.0ポイント",
                "+100 JPY",
            ],
        ),
    ] {
        let case = Case::new();
        let input = case.path("limits.xlsx");
        let head: &[&str] = &[
            "ID",
            "Name",
            "Type",
            "Target",
            "Unit",
            "Direction",
            "Aggregation",
            "Start",
            "Deadline",
            "Owner",
            "Frequency",
            "Actual",
            "Measured",
        ];
        write_book(
            &input,
            &[(
                "KPI",
                rows(&[
                    head,
                    &[
                        "C",
                        "Costs",
                        "KGI",
                        "n:1200",
                        "JPY",
                        "stay_below",
                        "sum",
                        "d:2026-04-01",
                        "d:2027-03-31",
                        "Kobayashi",
                        "monthly",
                        "n:700",
                        "d:2026-09-30",
                    ],
                    &[
                        "M",
                        "Margin",
                        "KGI",
                        "n:0.3",
                        "%",
                        "stay_above",
                        "last",
                        "d:2026-04-01",
                        "d:2027-03-31",
                        "Ito",
                        "monthly",
                        "n:0.31",
                        "d:2026-09-30",
                    ],
                ]),
            )],
        );
        let run = case.kpi_report(&[
            "run",
            input.to_str().unwrap(),
            "--as-of",
            "2026-09-30",
            "--out",
            "out",
            "--lang",
            lang,
        ]);
        assert!(matches!(run.code, 0 | 1), "{}", run.stderr);
        let html = summary(&case, "limits.xlsx");
        for word in words {
            assert!(html.contains(word), "{lang}: no {word:?} in the HTML");
        }
        // Not the old wording of a ceiling: nothing "remaining", no 0 left.
        assert!(!html.contains(if lang == "en" {
            "Remaining"
        } else {
            "目標まで残り"
        }));
    }
}
