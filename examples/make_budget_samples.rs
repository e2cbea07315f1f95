//! Writes the 予実 (budget vs actual) samples `samples/budget-en.xlsx` and
//! `samples/budget-ja.xlsx`: the same FY2026 goal set once in English and once in Japanese.
//!
//! - KGI S, annual sales of 120,000 (thousand JPY), the sum of store sales (S1) and online
//!   sales (S2), each entered as the amount of its month (aggregation `sum`) against a
//!   seasonal monthly budget on the Plan sheet (December and March are the big months);
//! - KGI C, selling expenses held under a budget of 36,000 (stay_below, `sum`): advertising
//!   (C1, over its phased budget: a projected overrun) and logistics (C2, on budget);
//! - under S, a gross-margin floor of 30 % (M, stay_above, `last`), store visitors (S3, a
//!   count per month without a budget: the straight line) and the online conversion rate
//!   (S4, a level KPI).
//!
//! Actuals run from April to October 2026; the README runs the samples with
//! `--as-of 2026-10-31`. The figures the tests expect are worked out independently in
//! `tests/fixtures/yojitsu/expected.py`.
//!
//! Regenerate with `cargo run --example make_budget_samples` from the repository root; the
//! output is byte-identical from run to run.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rust_xlsxwriter::{Color, DocProperties, Format, FormatBorder, Workbook, XlsxError};

#[derive(Clone, Copy, PartialEq)]
enum Lang {
    En,
    Ja,
}

impl Lang {
    fn pick<T>(self, en: T, ja: T) -> T {
        match self {
            Lang::En => en,
            Lang::Ja => ja,
        }
    }
}

type Text = (&'static str, &'static str);

fn get(text: Text, lang: Lang) -> &'static str {
    lang.pick(text.0, text.1)
}

/// One goal row: id, parent, type, name, target, unit, direction, aggregation, rollup,
/// baseline, owner.
struct Goal {
    id: &'static str,
    parent: &'static str,
    kind: &'static str,
    name: Text,
    target: f64,
    unit: Text,
    direction: Text,
    aggregation: Text,
    rollup: Text,
    baseline: Option<f64>,
    owner: Text,
}

const THOUSAND_YEN: Text = ("k JPY", "千円");
const SUM: Text = ("sum", "合計");
const LAST: Text = ("last", "最新値");
const WEIGHTED: Text = ("weighted", "加重平均");
const INCREASE: Text = ("increase", "増加");

const STAY_BELOW: Text = ("stay_below", "以下に抑える");

const GOALS: [Goal; 9] = [
    Goal {
        id: "S",
        parent: "",
        kind: "KGI",
        name: ("Annual sales", "年間売上高"),
        target: 120_000.0,
        unit: THOUSAND_YEN,
        direction: INCREASE,
        aggregation: SUM,
        rollup: SUM,
        baseline: None,
        owner: ("Sato", "佐藤"),
    },
    Goal {
        id: "C",
        parent: "",
        kind: "KGI",
        name: ("Selling expenses", "販売費"),
        target: 36_000.0,
        unit: THOUSAND_YEN,
        direction: STAY_BELOW,
        aggregation: SUM,
        rollup: SUM,
        baseline: None,
        owner: ("Kobayashi", "小林"),
    },
    Goal {
        id: "S1",
        parent: "S",
        kind: "KPI",
        name: ("Store sales", "店舗売上"),
        target: 72_000.0,
        unit: THOUSAND_YEN,
        direction: INCREASE,
        aggregation: SUM,
        rollup: WEIGHTED,
        baseline: None,
        owner: ("Suzuki", "鈴木"),
    },
    Goal {
        id: "S2",
        parent: "S",
        kind: "KPI",
        name: ("Online sales", "EC売上"),
        target: 48_000.0,
        unit: THOUSAND_YEN,
        direction: INCREASE,
        aggregation: SUM,
        rollup: WEIGHTED,
        baseline: None,
        owner: ("Takahashi", "高橋"),
    },
    Goal {
        id: "M",
        parent: "S",
        kind: "KPI",
        name: ("Gross margin", "粗利率"),
        target: 0.30,
        unit: ("%", "%"),
        direction: ("stay_above", "以上を維持"),
        aggregation: LAST,
        rollup: WEIGHTED,
        baseline: None,
        owner: ("Ito", "伊藤"),
    },
    Goal {
        id: "S3",
        parent: "S",
        kind: "KDI",
        name: ("Store visitors", "来店客数"),
        target: 240_000.0,
        unit: ("visitors", "人"),
        direction: INCREASE,
        aggregation: SUM,
        rollup: WEIGHTED,
        baseline: None,
        owner: ("Tanaka", "田中"),
    },
    Goal {
        id: "S4",
        parent: "S",
        kind: "KPI",
        name: ("Online conversion rate", "EC購入率"),
        target: 0.03,
        unit: ("%", "%"),
        direction: INCREASE,
        aggregation: LAST,
        rollup: WEIGHTED,
        baseline: Some(0.02),
        owner: ("Watanabe", "渡辺"),
    },
    Goal {
        id: "C1",
        parent: "C",
        kind: "KPI",
        name: ("Advertising", "広告宣伝費"),
        target: 14_400.0,
        unit: THOUSAND_YEN,
        direction: STAY_BELOW,
        aggregation: SUM,
        rollup: WEIGHTED,
        baseline: None,
        owner: ("Yamamoto", "山本"),
    },
    Goal {
        id: "C2",
        parent: "C",
        kind: "KPI",
        name: ("Logistics", "物流費"),
        target: 21_600.0,
        unit: THOUSAND_YEN,
        direction: STAY_BELOW,
        aggregation: SUM,
        rollup: WEIGHTED,
        baseline: None,
        owner: ("Nakamura", "中村"),
    },
];

/// The monthly budget (April to March), in thousand JPY.
const PLAN: [(&str, [f64; 12]); 4] = [
    (
        "S1",
        [
            4800., 4800., 5400., 5400., 4800., 6000., 6000., 6600., 9000., 5400., 6000., 7800.,
        ],
    ),
    (
        "S2",
        [
            3200., 3200., 3600., 3600., 3200., 4000., 4000., 4400., 6000., 3600., 4000., 5200.,
        ],
    ),
    (
        "C1",
        [
            1000., 1000., 1200., 1200., 1000., 1400., 1200., 1200., 1600., 1000., 1000., 1600.,
        ],
    ),
    (
        "C2",
        [
            1800., 1800., 1800., 1800., 1800., 1800., 1800., 1800., 2000., 1800., 1800., 1600.,
        ],
    ),
];

/// The actuals, April to October 2026: amounts of the month for `sum` metrics, the level at
/// the month's end for `last` ones.
const ACTUALS: [(&str, [f64; 7]); 7] = [
    ("S1", [4700., 4900., 5200., 5300., 4700., 6100., 5900.]),
    ("S2", [2900., 3000., 3200., 3300., 2800., 3600., 3500.]),
    ("C1", [1100., 1050., 1300., 1350., 1150., 1500., 1400.]),
    ("C2", [1800., 1800., 1800., 1800., 1800., 1800., 1800.]),
    ("M", [0.32, 0.31, 0.33, 0.31, 0.29, 0.32, 0.31]),
    (
        "S3",
        [
            19_500., 20_100., 18_800., 19_900., 17_600., 21_000., 20_400.,
        ],
    ),
    ("S4", [0.021, 0.022, 0.022, 0.024, 0.023, 0.025, 0.026]),
];

fn month_end(index: usize) -> NaiveDate {
    let (year, month) = if index < 9 {
        (2026, 4 + index as u32)
    } else {
        (2027, index as u32 - 8)
    };
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.and_then(|d| d.pred_opt()).expect("a valid month")
}

fn goal(id: &str) -> &'static Goal {
    GOALS
        .iter()
        .find(|g| g.id == id)
        .expect("a goal of the sample")
}

fn write_workbook(lang: Lang, path: &str) -> Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    let exported = NaiveDateTime::new(
        NaiveDate::from_ymd_opt(2026, 11, 1).expect("date"),
        NaiveTime::MIN,
    );
    workbook.set_properties(
        &DocProperties::new()
            .set_title(lang.pick("FY2026 budget and actuals", "2026年度 予算実績"))
            .set_author(lang.pick("Finance & Planning", "経営企画部"))
            .set_creation_datetime(&exported),
    );
    let font = lang.pick("Calibri", "游ゴシック");
    let header = Format::new()
        .set_font_name(font)
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0xDDEBF7));
    let month_header = header
        .clone()
        .set_num_format(lang.pick("mmm-yy", "yyyy\"年\"m\"月\""));
    let number = Format::new().set_font_name(font).set_num_format("#,##0");
    let percent = Format::new().set_font_name(font).set_num_format("0.0%");
    let date = Format::new()
        .set_font_name(font)
        .set_num_format(lang.pick("yyyy-mm-dd", "yyyy/m/d"));
    let text = Format::new().set_font_name(font);
    let value_format = |id: &str| {
        if get(goal(id).unit, Lang::En) == "%" {
            &percent
        } else {
            &number
        }
    };

    let headers: [Text; 15] = [
        ("ID", "コード"),
        ("Parent", "親ID"),
        ("Type", "種別"),
        ("Name", "指標名"),
        ("Target", "目標値"),
        ("Baseline", "基準値"),
        ("Unit", "単位"),
        ("Direction", "方向"),
        ("Aggregation", "集計方法"),
        ("Rollup", "集計"),
        ("Start", "開始日"),
        ("Deadline", "期限"),
        ("Owner", "担当者"),
        ("Frequency", "測定頻度"),
        ("Weight", "重み"),
    ];
    for (sheet_name, kgi) in [
        (lang.pick("KGI", "KGI一覧"), true),
        (lang.pick("KPI", "KPI一覧"), false),
    ] {
        // The KGI sheet has no parent, type or weight column.
        let columns: Vec<usize> = (0..headers.len())
            .filter(|c| !kgi || ![1, 2, 14].contains(c))
            .collect();
        let sheet = workbook.add_worksheet().set_name(sheet_name)?;
        for (col, &c) in (0u16..).zip(&columns) {
            sheet.write_string_with_format(0, col, get(headers[c], lang), &header)?;
            sheet.set_column_width(col, if c == 3 { 26.0 } else { 12.0 })?;
        }
        let goals = GOALS.iter().filter(|g| (g.kind == "KGI") == kgi);
        for (row, g) in (1u32..).zip(goals) {
            for (col, &c) in (0u16..).zip(&columns) {
                match c {
                    0 => sheet.write_string_with_format(row, col, g.id, &text)?,
                    1 => sheet.write_string_with_format(row, col, g.parent, &text)?,
                    2 => sheet.write_string_with_format(row, col, g.kind, &text)?,
                    3 => sheet.write_string_with_format(row, col, get(g.name, lang), &text)?,
                    4 => sheet.write_number_with_format(row, col, g.target, value_format(g.id))?,
                    5 => match g.baseline {
                        Some(b) => {
                            sheet.write_number_with_format(row, col, b, value_format(g.id))?
                        }
                        None => sheet,
                    },
                    6 => sheet.write_string_with_format(row, col, get(g.unit, lang), &text)?,
                    7 => sheet.write_string_with_format(row, col, get(g.direction, lang), &text)?,
                    8 => {
                        sheet.write_string_with_format(row, col, get(g.aggregation, lang), &text)?
                    }
                    9 => sheet.write_string_with_format(row, col, get(g.rollup, lang), &text)?,
                    10 => {
                        sheet.write_date_with_format(row, col, month_end(0).with_day0(0), &date)?
                    }
                    11 => sheet.write_date_with_format(row, col, month_end(11), &date)?,
                    12 => sheet.write_string_with_format(row, col, get(g.owner, lang), &text)?,
                    13 => sheet.write_string_with_format(
                        row,
                        col,
                        lang.pick("monthly", "月次"),
                        &text,
                    )?,
                    _ => sheet.write_number_with_format(row, col, 1.0, &number)?,
                };
            }
        }
        sheet.set_freeze_panes(1, 1)?;
    }

    for (name, rows) in [
        (
            lang.pick("Plan", "予算"),
            PLAN.iter()
                .map(|(id, values)| (*id, values.to_vec()))
                .collect::<Vec<_>>(),
        ),
        (
            lang.pick("Actuals", "実績推移"),
            ACTUALS
                .iter()
                .map(|(id, values)| (*id, values.to_vec()))
                .collect(),
        ),
    ] {
        let sheet = workbook.add_worksheet().set_name(name)?;
        sheet.write_string_with_format(0, 0, lang.pick("ID", "コード"), &header)?;
        sheet.write_string_with_format(0, 1, lang.pick("Name", "指標名"), &header)?;
        sheet.set_column_width(1, 24.0)?;
        for col in 0..12u16 {
            sheet.write_date_with_format(0, col + 2, month_end(usize::from(col)), &month_header)?;
            sheet.set_column_width(col + 2, 11.0)?;
        }
        for (row, (id, values)) in (1u32..).zip(rows) {
            sheet.write_string_with_format(row, 0, id, &text)?;
            sheet.write_string_with_format(row, 1, get(goal(id).name, lang), &text)?;
            for (col, value) in (2u16..).zip(values) {
                sheet.write_number_with_format(row, col, value, value_format(id))?;
            }
        }
        sheet.set_freeze_panes(1, 2)?;
    }
    workbook.save(path)
}

trait FirstDay {
    fn with_day0(self, day0: u32) -> NaiveDate;
}

impl FirstDay for NaiveDate {
    /// The day `day0 + 1` of the date's month.
    fn with_day0(self, day0: u32) -> NaiveDate {
        chrono::Datelike::with_day0(&self, day0).expect("a valid day")
    }
}

fn main() -> Result<(), XlsxError> {
    for (id, values) in &PLAN {
        assert_eq!(
            values.iter().sum::<f64>(),
            goal(id).target,
            "{id}: the budget adds up"
        );
    }
    std::fs::create_dir_all("samples")?;
    for (lang, file) in [(Lang::En, "budget-en.xlsx"), (Lang::Ja, "budget-ja.xlsx")] {
        let path = format!("samples/{file}");
        write_workbook(lang, &path)?;
        println!("wrote {path}");
    }
    Ok(())
}
