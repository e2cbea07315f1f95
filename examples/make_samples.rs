//! Writes the sample input workbooks `samples/sales-en.xlsx` and `samples/sales-ja.xlsx`:
//! the same FY2026 goal set (the BtoB, BtoC and high-ticket examples of the KGI/KPI article)
//! once with English and once with Japanese sheet names, headers and words, laid out like a
//! finance team's export: title row, blank row, header row, extra columns the tool ignores.
//! The Japanese file types some figures as text (`1億円`, `6,000万円`, `△120`, `2%`) the way
//! hand-kept sheets do; the English file holds the same values as numbers.
//!
//! Regenerate with `cargo run --example make_samples` from the repository root. The output is
//! byte-identical from run to run (no clock, no randomness), so the committed files only change
//! when this program does.
//!
//! The fiscal year runs 2026-04-01 .. 2027-03-31 and the actuals end in October 2026. The
//! README runs the samples with `--as-of 2026-10-31`, where elapsed e = 213/364 ≈ 0.585 for a
//! metric spanning the whole fiscal year. Each metric's intended status is written next to its
//! data with the arithmetic (progress p, pace = p / e; on_track ≥ 0.95, at_risk ≥ 0.80).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rust_xlsxwriter::{
    Color, DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

const OUTPUT_DIR: &str = "samples";

/// Language of one generated workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// A text in both languages.
#[derive(Debug, Clone, Copy)]
struct Text {
    en: &'static str,
    ja: &'static str,
}

impl Text {
    fn get(self, lang: Lang) -> &'static str {
        lang.pick(self.en, self.ja)
    }
}

const fn text(en: &'static str, ja: &'static str) -> Text {
    Text { en, ja }
}

/// A figure in a cell. `JaText` is the same value typed as text in the Japanese workbook
/// (the English one writes the number).
#[derive(Debug, Clone, Copy)]
enum Figure {
    Empty,
    Number(f64),
    JaText(f64, &'static str),
}

use Figure::{Empty as E, JaText as J, Number as N};

const fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("invalid date in the sample data"),
    }
}

const FY_START: NaiveDate = ymd(2026, 4, 1);
const FY_END: NaiveDate = ymd(2027, 3, 31);
/// The day the workbooks were "exported": title rows and document properties.
const EXPORTED: NaiveDate = ymd(2026, 11, 1);
/// The months of the Actuals sheet, April to October 2026.
const MONTHS: [(i32, u32); 7] = [
    (2026, 4),
    (2026, 5),
    (2026, 6),
    (2026, 7),
    (2026, 8),
    (2026, 9),
    (2026, 10),
];

#[derive(Debug, Clone, Copy)]
enum Unit {
    Yen,
    TenThousandYen,
    Deals,
    Calls,
    Customers,
    Companies,
    Orders,
    Percent,
}

impl Unit {
    fn label(self) -> Text {
        match self {
            Unit::Yen => text("JPY", "円"),
            Unit::TenThousandYen => text("10k JPY", "万円"),
            Unit::Deals => text("deals", "件"),
            Unit::Calls => text("calls", "回"),
            Unit::Customers => text("customers", "人"),
            Unit::Companies => text("customers", "社"),
            Unit::Orders => text("orders", "件"),
            Unit::Percent => text("%", "%"),
        }
    }

    fn number_style(self, lang: Lang) -> NumberStyle {
        match (self, lang) {
            (Unit::Percent, _) => NumberStyle::Percent,
            // Japanese ledgers show negative amounts with a leading triangle.
            (Unit::TenThousandYen, Lang::Ja) => NumberStyle::Triangle,
            _ => NumberStyle::Thousands,
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Direction {
    Increase,
    Decrease,
}

impl Direction {
    /// The plain word, as on the KGI sheet.
    fn word(self) -> Text {
        match self {
            Direction::Increase => text("increase", "増加"),
            Direction::Decrease => text("decrease", "減少"),
        }
    }

    /// "Higher is better" wording, as the Japanese KPI sheet spells it.
    fn better_word(self) -> Text {
        match self {
            Direction::Increase => text("increase", "高いほど良い"),
            Direction::Decrease => text("decrease", "低いほど良い"),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Frequency {
    Weekly,
    Monthly,
    Quarterly,
}

impl Frequency {
    fn word(self) -> Text {
        match self {
            Frequency::Weekly => text("weekly", "週次"),
            Frequency::Monthly => text("monthly", "月次"),
            Frequency::Quarterly => text("quarterly", "四半期"),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Rollup {
    Sum,
    Weighted,
}

impl Rollup {
    fn word(self) -> Text {
        match self {
            Rollup::Sum => text("sum", "合計"),
            Rollup::Weighted => text("weighted", "加重平均"),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Kpi,
    Kdi,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Kpi => "KPI",
            Kind::Kdi => "KDI",
        }
    }
}

/// Owners, romanised in the English workbook.
const SATO: Text = text("Sato", "佐藤");
const SUZUKI: Text = text("Suzuki", "鈴木");
const TAKAHASHI: Text = text("Takahashi", "高橋");
const TANAKA: Text = text("Tanaka", "田中");
const ITO: Text = text("Ito", "伊藤");
const WATANABE: Text = text("Watanabe", "渡辺");
const YAMAMOTO: Text = text("Yamamoto", "山本");
const NAKAMURA: Text = text("Nakamura", "中村");
const KOBAYASHI: Text = text("Kobayashi", "小林");

struct Kgi {
    id: &'static str,
    name: Text,
    target: Figure,
    unit: Unit,
    direction: Direction,
    start: NaiveDate,
    deadline: NaiveDate,
    owner: Text,
    frequency: Frequency,
    rollup: Rollup,
    department: Text,
}

struct Kpi {
    id: &'static str,
    parent: &'static str,
    kind: Kind,
    name: Text,
    target: Figure,
    baseline: Figure,
    unit: Unit,
    direction: Direction,
    deadline: Option<NaiveDate>,
    owner: Option<Text>,
    frequency: Option<Frequency>,
    weight: Option<f64>,
    comment: Text,
}

/// One metric's month-end values, April to October 2026.
struct Actuals {
    id: &'static str,
    values: [Figure; MONTHS.len()],
}

const KGIS: [Kgi; 3] = [
    // At risk: no own actuals; sum of B1 + B2 (B3 counts deals, not yen, so it is a driver).
    // p = (35.4M + 14.2M) / 100M = 0.496, pace = 0.496 / 0.585 = 0.85.
    Kgi {
        id: "B",
        name: text("Annual sales", "年間売上高"),
        target: J(100_000_000.0, "1億円"),
        unit: Unit::Yen,
        direction: Direction::Increase,
        start: FY_START,
        deadline: FY_END,
        owner: SATO,
        frequency: Frequency::Monthly,
        rollup: Rollup::Sum,
        department: text("Corporate Sales", "法人営業部"),
    },
    // On track: own cumulative actuals (the running sum of C1).
    // p = 8.66M / 10M = 0.866, pace = 1.48. The article's 10M a year sits oddly with its 2M a
    // month, so this KGI runs well ahead while C1 lags; the figures are the article's.
    Kgi {
        id: "C",
        name: text("Next-year sales", "来期売上"),
        target: N(10_000_000.0),
        unit: Unit::Yen,
        direction: Direction::Increase,
        start: FY_START,
        deadline: FY_END,
        owner: ITO,
        frequency: Frequency::Monthly,
        rollup: Rollup::Weighted,
        department: text("E-commerce", "EC事業部"),
    },
    // Off track: year-over-year sales increase, cumulative, in 10k JPY; +10% of last year's
    // 500M JPY = 5,000. The KGI sheet has no baseline column: no baseline means the same as 0.
    // p = 2,180 / 5,000 = 0.436, pace = 0.745.
    Kgi {
        id: "H",
        name: text("Sales +10% vs last year", "売上高10%アップ"),
        target: N(5_000.0),
        unit: Unit::TenThousandYen,
        direction: Direction::Increase,
        start: FY_START,
        deadline: FY_END,
        owner: NAKAMURA,
        frequency: Frequency::Monthly,
        rollup: Rollup::Weighted,
        department: text("Solutions Sales", "ソリューション営業部"),
    },
];

const KPIS: [Kpi; 11] = [
    // On track: p = 35.4M / 60M = 0.590, pace = 1.01.
    Kpi {
        id: "B1",
        parent: "B",
        kind: Kind::Kpi,
        name: text("Repeat sales", "リピート売上"),
        target: J(60_000_000.0, "6,000万円"),
        baseline: E,
        unit: Unit::Yen,
        direction: Direction::Increase,
        deadline: Some(FY_END),
        owner: Some(SUZUKI),
        frequency: Some(Frequency::Monthly),
        weight: Some(3.0),
        comment: text(
            "Existing customers, cumulative from April",
            "既存顧客・4月からの累計",
        ),
    },
    // Off track: p = 14.2M / 40M = 0.355, pace = 0.61. Needs 2.6x its rate so far (W10).
    Kpi {
        id: "B2",
        parent: "B",
        kind: Kind::Kpi,
        name: text("New sales", "新規売上"),
        target: J(40_000_000.0, "4,000万円"),
        baseline: E,
        unit: Unit::Yen,
        direction: Direction::Increase,
        deadline: Some(FY_END),
        owner: Some(TAKAHASHI),
        frequency: Some(Frequency::Monthly),
        weight: Some(2.0),
        comment: text(
            "New customers, cumulative from April",
            "新規顧客・4月からの累計",
        ),
    },
    // At risk: p = 51 / 100 = 0.51, pace = 0.87. Its only child B3a is on track, so the
    // calls do not drive the negotiations (W11).
    Kpi {
        id: "B3",
        parent: "B",
        kind: Kind::Kpi,
        name: text("New-customer negotiations", "新規顧客商談数"),
        target: N(100.0),
        baseline: E,
        unit: Unit::Deals,
        direction: Direction::Increase,
        deadline: Some(FY_END),
        owner: Some(TAKAHASHI),
        frequency: Some(Frequency::Monthly),
        weight: Some(1.0),
        comment: text(
            "Leading indicator of new sales; counted in deals, not summed into B",
            "新規売上の先行指標（件数のため合計に含めない）",
        ),
    },
    // On track: p = 1,460 / 2,400 = 0.608, pace = 1.04. No deadline of its own: inherits B3's.
    Kpi {
        id: "B3a",
        parent: "B3",
        kind: Kind::Kdi,
        name: text("Sales calls", "架電数"),
        target: N(2_400.0),
        baseline: E,
        unit: Unit::Calls,
        direction: Direction::Increase,
        deadline: None,
        owner: Some(TANAKA),
        frequency: Some(Frequency::Weekly),
        weight: None,
        comment: text(
            "Inside-sales calls to prospects, cumulative",
            "インサイドセールスの架電数（累計）",
        ),
    },
    // Off track: p = (1.39M - 1.2M) / (2M - 1.2M) = 0.24, pace = 0.41. Needs 4.5x its rate (W10).
    Kpi {
        id: "C1",
        parent: "C",
        kind: Kind::Kpi,
        name: text("Monthly sales", "月間売上"),
        target: N(2_000_000.0),
        baseline: N(1_200_000.0),
        unit: Unit::Yen,
        direction: Direction::Increase,
        deadline: Some(FY_END),
        owner: Some(ITO),
        frequency: Some(Frequency::Monthly),
        weight: Some(2.0),
        comment: text(
            "Sales of the month; baseline = last year's average month",
            "当月の売上（基準値は前年の月平均）",
        ),
    },
    // Achieved in October: 21 ≥ 20 (on track in September: p = (18 - 8) / 12 = 0.83, pace 1.67).
    Kpi {
        id: "C2",
        parent: "C",
        kind: Kind::Kpi,
        name: text("New customers per month", "月間新規顧客数"),
        target: N(20.0),
        baseline: N(8.0),
        unit: Unit::Customers,
        direction: Direction::Increase,
        deadline: Some(FY_END),
        owner: Some(WATANABE),
        frequency: Some(Frequency::Monthly),
        weight: Some(1.0),
        comment: text("First-time buyers in the month", "当月の初回購入者数"),
    },
    // At risk: p = (40 - 30) / (50 - 30) = 0.50, pace = 0.85. No owner (W06).
    Kpi {
        id: "C3",
        parent: "C",
        kind: Kind::Kpi,
        name: text("Orders per month", "月間受注件数"),
        target: N(50.0),
        baseline: N(30.0),
        unit: Unit::Orders,
        direction: Direction::Increase,
        deadline: Some(FY_END),
        owner: None,
        frequency: Some(Frequency::Monthly),
        weight: Some(1.0),
        comment: text("Owner to be decided", "担当者未定"),
    },
    // On track, a decrease metric: p = (3.1% - 5%) / (2% - 5%) = 0.63, pace = 1.08.
    // No frequency (W07); measured since June only.
    Kpi {
        id: "C4",
        parent: "C",
        kind: Kind::Kpi,
        name: text("Return rate", "返品率"),
        target: J(0.02, "2%"),
        baseline: J(0.05, "5%"),
        unit: Unit::Percent,
        direction: Direction::Decrease,
        deadline: Some(FY_END),
        owner: Some(YAMAMOTO),
        frequency: None,
        weight: Some(1.0),
        comment: text(
            "Returns / orders; tracked since June",
            "返品数÷受注件数、6月から集計",
        ),
    },
    // At risk: measured quarterly, last in September. p = (220 - 200) / 40 = 0.50,
    // pace = 0.85 (on track as of September 30: pace = 0.50 / 0.50 = 1.0).
    Kpi {
        id: "H1",
        parent: "H",
        kind: Kind::Kpi,
        name: text("Negotiations +20%", "商談数20%アップ"),
        target: N(240.0),
        baseline: N(200.0),
        unit: Unit::Deals,
        direction: Direction::Increase,
        deadline: Some(FY_END),
        owner: Some(KOBAYASHI),
        frequency: Some(Frequency::Quarterly),
        weight: None,
        comment: text(
            "Rolling 12 months; last year 200 (+20%)",
            "直近12か月の件数、前年200件の20%増",
        ),
    },
    // On track: p = (60 - 50) / (65 - 50) = 0.67, pace = 1.14.
    Kpi {
        id: "H2",
        parent: "H",
        kind: Kind::Kpi,
        name: text("New customers +30%", "新規顧客獲得30%アップ"),
        target: N(65.0),
        baseline: N(50.0),
        unit: Unit::Companies,
        direction: Direction::Increase,
        deadline: Some(FY_END),
        owner: Some(KOBAYASHI),
        frequency: Some(Frequency::Monthly),
        weight: None,
        comment: text(
            "Rolling 12 months; last year 50 (+30%)",
            "直近12か月の社数、前年50社の30%増",
        ),
    },
    // Off track: deadline after the KGI's (W05), so e = 213/455 = 0.468;
    // p = (2.11M - 2.0M) / (2.4M - 2.0M) = 0.275, pace = 0.59. Needs 2.3x its rate (W10).
    Kpi {
        id: "H3",
        parent: "H",
        kind: Kind::Kpi,
        name: text("Average price +20%", "客単価20%アップ"),
        target: N(2_400_000.0),
        baseline: N(2_000_000.0),
        unit: Unit::Yen,
        direction: Direction::Increase,
        deadline: Some(ymd(2027, 6, 30)),
        owner: Some(NAKAMURA),
        frequency: Some(Frequency::Monthly),
        weight: None,
        comment: text(
            "Last year 2.0M JPY (+20%); new price list from April 2027",
            "前年200万円の20%増、新価格表は2027年4月適用",
        ),
    },
];

/// Month-end actuals, April .. October 2026. B has no row: it is the sum of B1 and B2.
const ACTUALS: [Actuals; 13] = [
    Actuals {
        id: "B1",
        values: [
            N(4_860_000.0),
            N(9_920_000.0),
            N(15_240_000.0),
            N(20_150_000.0),
            N(24_630_000.0),
            N(29_880_000.0),
            N(35_400_000.0),
        ],
    },
    // Typed by hand in the Japanese ledger, in 万円.
    Actuals {
        id: "B2",
        values: [
            J(1_600_000.0, "160万円"),
            J(3_400_000.0, "340万円"),
            J(5_200_000.0, "520万円"),
            J(7_100_000.0, "710万円"),
            J(8_900_000.0, "890万円"),
            J(12_500_000.0, "1,250万円"),
            J(14_200_000.0, "1,420万円"),
        ],
    },
    Actuals {
        id: "B3",
        values: [N(6.0), N(13.0), N(20.0), N(28.0), N(35.0), N(43.0), N(51.0)],
    },
    Actuals {
        id: "B3a",
        values: [
            N(190.0),
            N(400.0),
            N(600.0),
            N(820.0),
            N(1_010.0),
            N(1_240.0),
            N(1_460.0),
        ],
    },
    // Running sum of C1 (checked in `main`).
    Actuals {
        id: "C",
        values: [
            N(1_080_000.0),
            N(2_230_000.0),
            N(3_440_000.0),
            N(4_700_000.0),
            N(5_940_000.0),
            N(7_270_000.0),
            N(8_660_000.0),
        ],
    },
    Actuals {
        id: "C1",
        values: [
            N(1_080_000.0),
            N(1_150_000.0),
            N(1_210_000.0),
            N(1_260_000.0),
            N(1_240_000.0),
            N(1_330_000.0),
            N(1_390_000.0),
        ],
    },
    Actuals {
        id: "C2",
        values: [N(9.0), N(11.0), N(12.0), N(14.0), N(15.0), N(18.0), N(21.0)],
    },
    Actuals {
        id: "C3",
        values: [
            N(31.0),
            N(33.0),
            N(34.0),
            N(36.0),
            N(37.0),
            N(39.0),
            N(40.0),
        ],
    },
    Actuals {
        id: "C4",
        values: [E, E, N(0.041), N(0.038), N(0.036), N(0.033), N(0.031)],
    },
    // April is behind last year; a hand-typed negative in the Japanese ledger.
    Actuals {
        id: "H",
        values: [
            J(-120.0, "△120"),
            N(60.0),
            N(380.0),
            N(760.0),
            N(1_150.0),
            N(1_620.0),
            N(2_180.0),
        ],
    },
    Actuals {
        id: "H1",
        values: [E, E, N(209.0), E, E, N(220.0), E],
    },
    Actuals {
        id: "H2",
        values: [
            N(50.0),
            N(51.0),
            N(53.0),
            N(55.0),
            N(57.0),
            N(58.0),
            N(60.0),
        ],
    },
    Actuals {
        id: "H3",
        values: [
            N(1_950_000.0),
            N(1_980_000.0),
            N(2_010_000.0),
            N(2_040_000.0),
            N(2_070_000.0),
            N(2_090_000.0),
            N(2_110_000.0),
        ],
    },
];

/// How a number cell is shown.
#[derive(Debug, Clone, Copy)]
enum NumberStyle {
    General,
    Thousands,
    Percent,
    Triangle,
}

/// A cell of a sheet, before it is styled for its row (header or data).
enum Cell {
    Empty,
    Text(String),
    Number(f64, NumberStyle),
    Date(NaiveDate),
}

impl Cell {
    fn text(text: &str) -> Cell {
        Cell::Text(text.to_string())
    }

    fn figure(figure: Figure, unit: Unit, lang: Lang) -> Cell {
        match (figure, lang) {
            (Figure::Empty, _) => Cell::Empty,
            (Figure::JaText(_, typed), Lang::Ja) => Cell::text(typed),
            (Figure::Number(value) | Figure::JaText(value, _), _) => {
                Cell::Number(value, unit.number_style(lang))
            }
        }
    }

    fn optional_text(text: Option<Text>, lang: Lang) -> Cell {
        text.map_or(Cell::Empty, |text| Cell::text(text.get(lang)))
    }
}

/// One sheet as it is laid out: title in row 1, header in row 3, data from row 4.
struct Sheet {
    name: &'static str,
    title: String,
    /// Header cell and column width.
    columns: Vec<(Cell, f64)>,
    rows: Vec<Vec<Cell>>,
    frozen_columns: u16,
}

fn title(lang: Lang, en_subject: &str, ja_subject: &str) -> String {
    match lang {
        Lang::En => format!(
            "FY2026 {en_subject} — exported {}",
            EXPORTED.format("%Y-%m-%d")
        ),
        Lang::Ja => format!(
            "2026年度 {ja_subject}（{} 出力）",
            EXPORTED.format("%Y/%m/%d")
        ),
    }
}

fn header_columns(lang: Lang, columns: &[(Text, f64)]) -> Vec<(Cell, f64)> {
    columns
        .iter()
        .map(|&(header, width)| (Cell::text(header.get(lang)), width))
        .collect()
}

fn kgi_sheet(lang: Lang) -> Sheet {
    let columns = [
        (text("ID", "ID"), 6.0),
        (text("Name", "目標名"), 26.0),
        (text("Target", "目標値"), 15.0),
        (text("Unit", "単位"), 9.0),
        (text("Direction", "方向"), 10.0),
        (text("Start", "開始日"), 12.0),
        (text("Deadline", "期限"), 12.0),
        (text("Owner", "担当者"), 11.0),
        (text("Frequency", "測定頻度"), 11.0),
        (text("Rollup", "集計"), 10.0),
        (text("Department", "部署"), 22.0),
    ];
    let rows = KGIS
        .iter()
        .map(|kgi| {
            vec![
                Cell::text(kgi.id),
                Cell::text(kgi.name.get(lang)),
                Cell::figure(kgi.target, kgi.unit, lang),
                Cell::text(kgi.unit.label().get(lang)),
                Cell::text(kgi.direction.word().get(lang)),
                Cell::Date(kgi.start),
                Cell::Date(kgi.deadline),
                Cell::text(kgi.owner.get(lang)),
                Cell::text(kgi.frequency.word().get(lang)),
                Cell::text(kgi.rollup.word().get(lang)),
                Cell::text(kgi.department.get(lang)),
            ]
        })
        .collect();
    Sheet {
        name: lang.pick("KGI", "KGI一覧"),
        title: title(lang, "sales goals", "売上目標"),
        columns: header_columns(lang, &columns),
        rows,
        frozen_columns: 0,
    }
}

fn kpi_sheet(lang: Lang) -> Sheet {
    let columns = [
        (text("ID", "コード"), 7.0),
        (text("Parent", "紐づくKGI"), 11.0),
        (text("Type", "種別"), 7.0),
        (text("Name", "指標名"), 28.0),
        (text("Target", "目標値"), 13.0),
        (text("Baseline", "基準値"), 13.0),
        (text("Unit", "単位"), 10.0),
        (text("Direction", "方向"), 13.0),
        (text("Deadline", "期限"), 12.0),
        (text("Owner", "担当者"), 11.0),
        (text("Frequency", "測定頻度"), 11.0),
        (text("Weight", "ウェイト"), 9.0),
        (text("Rollup", "集計"), 9.0),
        (text("Comment", "備考"), 48.0),
    ];
    let rows = KPIS
        .iter()
        .map(|kpi| {
            vec![
                Cell::text(kpi.id),
                Cell::text(kpi.parent),
                Cell::text(kpi.kind.word()),
                Cell::text(kpi.name.get(lang)),
                Cell::figure(kpi.target, kpi.unit, lang),
                Cell::figure(kpi.baseline, kpi.unit, lang),
                Cell::text(kpi.unit.label().get(lang)),
                Cell::text(kpi.direction.better_word().get(lang)),
                kpi.deadline.map_or(Cell::Empty, Cell::Date),
                Cell::optional_text(kpi.owner, lang),
                Cell::optional_text(kpi.frequency.map(Frequency::word), lang),
                kpi.weight
                    .map_or(Cell::Empty, |w| Cell::Number(w, NumberStyle::General)),
                // Leaf KPIs and B3 (which has its own actuals) leave the rollup to the default.
                Cell::Empty,
                Cell::text(kpi.comment.get(lang)),
            ]
        })
        .collect();
    Sheet {
        name: lang.pick("KPI", "KPI一覧"),
        title: title(lang, "KPIs and KDIs", "KPI・KDI一覧"),
        columns: header_columns(lang, &columns),
        rows,
        frozen_columns: 0,
    }
}

/// Name and unit of a metric of either sheet.
fn metric_name_and_unit(id: &str) -> (Text, Unit) {
    KGIS.iter()
        .find(|kgi| kgi.id == id)
        .map(|kgi| (kgi.name, kgi.unit))
        .or_else(|| {
            KPIS.iter()
                .find(|kpi| kpi.id == id)
                .map(|kpi| (kpi.name, kpi.unit))
        })
        .unwrap_or_else(|| panic!("actuals for unknown metric {id}"))
}

fn month_end(year: i32, month: u32) -> NaiveDate {
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    ymd(next_year, next_month, 1).pred_opt().expect("in range")
}

fn actuals_sheet(lang: Lang) -> Sheet {
    let mut columns = header_columns(
        lang,
        &[(text("ID", "コード"), 7.0), (text("Name", "指標名"), 28.0)],
    );
    for (year, month) in MONTHS {
        let header = match lang {
            // A real date cell: the month's last day, shown as "Apr-26".
            Lang::En => Cell::Date(month_end(year, month)),
            Lang::Ja => Cell::Text(format!("{year}年{month}月")),
        };
        columns.push((header, 13.0));
    }
    let rows = ACTUALS
        .iter()
        .map(|actuals| {
            let (name, unit) = metric_name_and_unit(actuals.id);
            let mut row = vec![Cell::text(actuals.id), Cell::text(name.get(lang))];
            row.extend(
                actuals
                    .values
                    .iter()
                    .map(|&value| Cell::figure(value, unit, lang)),
            );
            row
        })
        .collect();
    Sheet {
        name: lang.pick("Actuals", "実績推移"),
        title: title(lang, "monthly actuals", "月次実績"),
        columns,
        rows,
        frozen_columns: 2,
    }
}

/// The cell formats of one workbook, in its language's font and date style.
struct Styles {
    title: Format,
    header: Format,
    header_month: Format,
    text: Format,
    date: Format,
    general: Format,
    thousands: Format,
    percent: Format,
    triangle: Format,
}

impl Styles {
    fn new(lang: Lang) -> Styles {
        let base = Format::new().set_font_name(lang.pick("Calibri", "游ゴシック"));
        let cell = base.clone().set_border(FormatBorder::Thin);
        let header = cell
            .clone()
            .set_bold()
            .set_background_color(Color::RGB(0xDDEBF7))
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        Styles {
            title: base
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::VerticalCenter),
            header_month: header.clone().set_num_format("mmm-yy"),
            header,
            text: cell.clone(),
            date: cell
                .clone()
                .set_num_format(lang.pick("yyyy-mm-dd", "yyyy/m/d"))
                .set_align(FormatAlign::Center),
            general: cell.clone(),
            thousands: cell.clone().set_num_format("#,##0"),
            percent: cell.clone().set_num_format("0.0%"),
            triangle: cell.set_num_format("#,##0;\"△\"#,##0"),
        }
    }

    fn number(&self, style: NumberStyle) -> &Format {
        match style {
            NumberStyle::General => &self.general,
            NumberStyle::Thousands => &self.thousands,
            NumberStyle::Percent => &self.percent,
            NumberStyle::Triangle => &self.triangle,
        }
    }
}

fn write_data_cell(
    worksheet: &mut Worksheet,
    styles: &Styles,
    row: u32,
    col: u16,
    cell: &Cell,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Empty => worksheet.write_blank(row, col, &styles.text)?,
        Cell::Text(text) => worksheet.write_string_with_format(row, col, text, &styles.text)?,
        Cell::Number(value, style) => {
            worksheet.write_number_with_format(row, col, *value, styles.number(*style))?
        }
        Cell::Date(date) => worksheet.write_date_with_format(row, col, date, &styles.date)?,
    };
    Ok(())
}

fn write_header_cell(
    worksheet: &mut Worksheet,
    styles: &Styles,
    row: u32,
    col: u16,
    cell: &Cell,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(text) => worksheet.write_string_with_format(row, col, text, &styles.header)?,
        Cell::Date(date) => {
            worksheet.write_date_with_format(row, col, date, &styles.header_month)?
        }
        Cell::Empty | Cell::Number(..) => unreachable!("headers are texts or dates"),
    };
    Ok(())
}

fn write_sheet(workbook: &mut Workbook, styles: &Styles, sheet: &Sheet) -> Result<(), XlsxError> {
    const TITLE_ROW: u32 = 0;
    const HEADER_ROW: u32 = 2;
    let worksheet = workbook.add_worksheet().set_name(sheet.name)?;
    let last_col = u16::try_from(sheet.columns.len() - 1).expect("few columns");

    worksheet.merge_range(
        TITLE_ROW,
        0,
        TITLE_ROW,
        last_col,
        &sheet.title,
        &styles.title,
    )?;
    worksheet.set_row_height(TITLE_ROW, 24)?;
    worksheet.set_row_height(HEADER_ROW, 20)?;
    for (col, (header, width)) in (0..).zip(&sheet.columns) {
        write_header_cell(worksheet, styles, HEADER_ROW, col, header)?;
        worksheet.set_column_width(col, *width)?;
    }
    for (row, cells) in (HEADER_ROW + 1..).zip(&sheet.rows) {
        for (col, cell) in (0..).zip(cells) {
            write_data_cell(worksheet, styles, row, col, cell)?;
        }
    }
    let last_row = HEADER_ROW + u32::try_from(sheet.rows.len()).expect("few rows");
    worksheet.autofilter(HEADER_ROW, 0, last_row, last_col)?;
    worksheet.set_freeze_panes(HEADER_ROW + 1, sheet.frozen_columns)?;
    Ok(())
}

fn write_workbook(lang: Lang, path: &str) -> Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    let exported_at = NaiveDateTime::new(EXPORTED, NaiveTime::from_hms_opt(9, 0, 0).unwrap());
    let properties = DocProperties::new()
        .set_title(lang.pick("FY2026 sales goals", "2026年度 売上目標"))
        .set_author(lang.pick("Finance & Planning", "経営企画部"))
        .set_company(lang.pick("Sample Trading Co., Ltd.", "株式会社サンプル商事"))
        .set_creation_datetime(&exported_at);
    workbook.set_properties(&properties);

    let styles = Styles::new(lang);
    for sheet in [kgi_sheet(lang), kpi_sheet(lang), actuals_sheet(lang)] {
        write_sheet(&mut workbook, &styles, &sheet)?;
    }
    workbook.save(path)
}

/// Guards against editing one figure and not the other.
fn check_consistency() {
    let values = |id: &str| -> Vec<f64> {
        let actuals = ACTUALS.iter().find(|a| a.id == id).expect("row exists");
        actuals
            .values
            .iter()
            .map(|figure| match *figure {
                Figure::Number(value) | Figure::JaText(value, _) => value,
                Figure::Empty => panic!("{id} has every month"),
            })
            .collect()
    };
    let running_sum: Vec<f64> = values("C1")
        .iter()
        .scan(0.0, |sum, value| {
            *sum += value;
            Some(*sum)
        })
        .collect();
    assert_eq!(values("C"), running_sum, "C must be the running sum of C1");
}

fn main() -> Result<(), XlsxError> {
    check_consistency();
    std::fs::create_dir_all(OUTPUT_DIR)?;
    for (lang, file) in [(Lang::En, "sales-en.xlsx"), (Lang::Ja, "sales-ja.xlsx")] {
        let path = format!("{OUTPUT_DIR}/{file}");
        write_workbook(lang, &path)?;
        println!("wrote {path}");
    }
    Ok(())
}
