//! The input contract in one table: the sheets, and for every column its key, its English
//! and Japanese headers, the names the reader accepts, what it holds, which sheets look for
//! it and require it, the hint the template shows, and the words of its drop-down list.
//!
//! The header matcher (`input::names`), the row reader, the `init` template, the config's
//! `names.*` validation and the messages all read from here: adding a column is one entry
//! in [`FIELDS`].

use crate::model::{Aggregation, Direction, Field, ForecastMethod, Frequency, Kind, Lang, Rollup};

/// A text in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    pub en: &'static str,
    pub ja: &'static str,
}

impl Text {
    pub fn get(self, lang: Lang) -> &'static str {
        lang.pick(self.en, self.ja)
    }
}

pub const fn t(en: &'static str, ja: &'static str) -> Text {
    Text { en, ja }
}

/// The sheets of the input contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SheetRole {
    Kgi,
    Kpi,
    Actuals,
    /// (v2) The phased plan (budget by month): a period table like the Actuals sheet.
    Plan,
}

impl SheetRole {
    pub const ALL: [SheetRole; 4] = [
        SheetRole::Kgi,
        SheetRole::Kpi,
        SheetRole::Actuals,
        SheetRole::Plan,
    ];

    /// True for the sheets read as period tables (key × period × value).
    pub fn is_period_table(self) -> bool {
        matches!(self, SheetRole::Actuals | SheetRole::Plan)
    }

    /// The key of the sheet in the config (`names.sheets.kgi`).
    pub fn key(self) -> &'static str {
        match self {
            SheetRole::Kgi => "kgi",
            SheetRole::Kpi => "kpi",
            SheetRole::Actuals => "actuals",
            SheetRole::Plan => "plan",
        }
    }

    pub fn from_key(key: &str) -> Option<SheetRole> {
        SheetRole::ALL.into_iter().find(|r| r.key() == key)
    }

    /// The sheet as named in messages and in the template.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            SheetRole::Kgi => lang.pick("KGI", "KGI一覧"),
            SheetRole::Kpi => lang.pick("KPI", "KPI一覧"),
            SheetRole::Actuals => lang.pick("Actuals", "実績推移"),
            SheetRole::Plan => lang.pick("Plan", "予算"),
        }
    }

    /// The sheet names the reader accepts (besides the config's).
    pub fn names(self) -> &'static [&'static str] {
        match self {
            SheetRole::Kgi => &[
                "KGI",
                "KGIs",
                "Goals",
                "Goal",
                "KGI一覧",
                "目標",
                "目標一覧",
                "KGIシート",
            ],
            SheetRole::Kpi => &[
                "KPI",
                "KPIs",
                "Metrics",
                "KPI一覧",
                "指標",
                "指標一覧",
                "KPIシート",
                "KPI・KDI",
                "Scorecard",
                "KPI Dashboard",
                "KPI Tracker",
            ],
            SheetRole::Actuals => &[
                "Actuals",
                "History",
                "実績",
                "実績推移",
                "実績一覧",
                "推移",
                "Actual",
            ],
            SheetRole::Plan => &[
                "Plan",
                "Budget",
                "Targets by month",
                "予算",
                "計画",
                "月次予算",
                "予算推移",
                "計画推移",
                "予算一覧",
                "Budgets",
                "Plans",
            ],
        }
    }
}

/// (v2) Sheets that hold a 予実 grid (plan and actuals side by side): read as the Plan and
/// the Actuals sheet when no sheet is named as either; as the Plan only when its periods
/// have plan sub-columns.
pub const YOJITSU_SHEET_NAMES: &[&str] = &[
    "予実",
    "予実表",
    "予実管理",
    "予実管理表",
    "予実対比",
    "Budget vs Actual",
    "Budget vs Actuals",
    "Plan vs Actual",
    "Plan vs Actuals",
    "BvA",
];

/// A column of one of the sheets: a metric field, or the Actuals sheet's date and value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Field(Field),
    Date,
    Value,
}

impl Column {
    /// The column's entry in the contract.
    pub fn spec(self) -> &'static FieldSpec {
        FIELDS
            .iter()
            .find(|spec| spec.column == self)
            .unwrap_or(&FIELDS[0])
    }

    /// The key of the column in the config (`names.columns.target`).
    pub fn key(self) -> &'static str {
        self.spec().key
    }

    /// The column as named in messages, in the report language.
    pub fn label(self, lang: Lang) -> &'static str {
        self.spec().header.get(lang)
    }

    pub fn from_key(key: &str) -> Option<Column> {
        FIELDS.iter().find(|s| s.key == key).map(|s| s.column)
    }

    /// The names the reader accepts for this column on a sheet, built-in ones only.
    pub fn names_on(self, role: SheetRole) -> impl Iterator<Item = &'static str> {
        let spec = self.spec();
        let extra = spec
            .names_on
            .iter()
            .filter(move |(r, _)| *r == role)
            .flat_map(|(_, names)| names.iter().copied());
        spec.names.iter().copied().chain(extra)
    }
}

/// What a header cell names: a column of the contract, or a period of a wide table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heading {
    Column(Column),
    Period(chrono::NaiveDate),
}

impl Heading {
    pub fn label(self, lang: Lang) -> String {
        match self {
            Heading::Column(column) => column.label(lang).to_string(),
            Heading::Period(date) => date.format("%Y-%m-%d").to_string(),
        }
    }
}

/// What a column holds: decides how the reader parses it and how the template validates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// An id: text, even when it looks like a number or a date (`1-2`).
    Code,
    Text,
    Number,
    Date,
    /// A month or a date (a month means its last day).
    Period,
    Choice(Choices),
}

/// The enumerations, each with its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choices {
    Direction,
    Frequency,
    Rollup,
    Kind,
    Aggregation,
    ForecastMethod,
}

/// One value of an enumeration: the word the template offers (if any) and every spelling
/// the reader accepts, already normalised (see `text::normalize_key`).
#[derive(Debug, Clone, Copy)]
pub struct Word<T: 'static> {
    pub value: T,
    pub offered: Option<Text>,
    pub accepted: &'static [&'static str],
}

pub const DIRECTION_WORDS: [Word<Direction>; 4] = [
    Word {
        value: Direction::Increase,
        offered: Some(t("increase", "増加")),
        accepted: &[
            "increase",
            "up",
            "higher",
            "higherisbetter",
            "higher-is-better",
            "↑",
            "増加",
            "高いほど良い",
            "高いほどよい",
            "高い方が良い",
            "高いほうが良い",
            "上昇",
            "増",
        ],
    },
    Word {
        value: Direction::Decrease,
        offered: Some(t("decrease", "減少")),
        accepted: &[
            "decrease",
            "down",
            "lower",
            "lowerisbetter",
            "lower-is-better",
            "↓",
            "減少",
            "低いほど良い",
            "低いほどよい",
            "低い方が良い",
            "低いほうが良い",
            "削減",
            "減",
        ],
    },
    Word {
        value: Direction::StayAbove,
        offered: Some(t("stay_above", "以上を維持")),
        accepted: &[
            "stayabove",
            "atleast",
            "minimum",
            "min",
            "floor",
            "≥",
            ">=",
            "以上",
            "以上を維持",
            "下限",
        ],
    },
    Word {
        value: Direction::StayBelow,
        offered: Some(t("stay_below", "以下に抑える")),
        accepted: &[
            "staybelow",
            "atmost",
            "maximum",
            "max",
            "ceiling",
            "cap",
            "≤",
            "<=",
            "以下",
            "以内",
            "以下に抑える",
            "上限",
            "予算内",
        ],
    },
];

pub const AGGREGATION_WORDS: [Word<Aggregation>; 3] = [
    Word {
        value: Aggregation::Last,
        offered: Some(t("last", "最新値")),
        accepted: &[
            "last",
            "latest",
            "level",
            "stock",
            "balance",
            "最新",
            "最新値",
            "残高",
            "期末",
            "ストック",
        ],
    },
    Word {
        value: Aggregation::Sum,
        offered: Some(t("sum", "合計")),
        accepted: &[
            "sum",
            "total",
            "flow",
            "amount",
            "合計",
            "累計",
            "期間合計",
            "フロー",
        ],
    },
    Word {
        value: Aggregation::Average,
        offered: Some(t("average", "平均")),
        accepted: &["average", "mean", "avg", "平均"],
    },
];

pub const FORECAST_METHOD_WORDS: [Word<ForecastMethod>; 5] = [
    Word {
        value: ForecastMethod::Auto,
        offered: Some(t("auto", "自動")),
        accepted: &["auto", "自動", "既定"],
    },
    Word {
        value: ForecastMethod::Trend,
        offered: Some(t("trend", "傾向")),
        accepted: &["trend", "傾向", "トレンド"],
    },
    Word {
        value: ForecastMethod::RunRate,
        offered: Some(t("run_rate", "達成率ペース")),
        accepted: &["runrate", "run-rate", "ペース", "達成率ペース"],
    },
    Word {
        value: ForecastMethod::Plan,
        offered: Some(t("plan", "計画")),
        accepted: &["plan", "budget", "計画", "予算"],
    },
    Word {
        value: ForecastMethod::Average3,
        offered: Some(t("average3", "直近3か月平均")),
        accepted: &[
            "average3",
            "last3",
            "直近3か月平均",
            "直近3ヶ月平均",
            "直近3カ月平均",
            "3か月平均",
            "3ヶ月平均",
            "3カ月平均",
        ],
    },
];

pub const FREQUENCY_WORDS: [Word<Frequency>; 5] = [
    Word {
        value: Frequency::Daily,
        offered: Some(t("daily", "日次")),
        accepted: &["daily", "day", "日次", "毎日", "日"],
    },
    Word {
        value: Frequency::Weekly,
        offered: Some(t("weekly", "週次")),
        accepted: &["weekly", "week", "週次", "毎週", "週"],
    },
    Word {
        value: Frequency::Monthly,
        offered: Some(t("monthly", "月次")),
        accepted: &["monthly", "month", "月次", "毎月", "月"],
    },
    Word {
        value: Frequency::Quarterly,
        offered: Some(t("quarterly", "四半期")),
        accepted: &["quarterly", "quarter", "四半期", "四半期毎", "四半期ごと"],
    },
    Word {
        value: Frequency::Yearly,
        offered: Some(t("yearly", "年次")),
        accepted: &["yearly", "annual", "annually", "year", "年次", "毎年", "年"],
    },
];

pub const ROLLUP_WORDS: [Word<Rollup>; 2] = [
    Word {
        value: Rollup::Weighted,
        offered: Some(t("weighted", "加重平均")),
        accepted: &[
            "weighted",
            "weight",
            "weightedaverage",
            "加重",
            "加重平均",
            "重み付け",
            "ウェイト",
        ],
    },
    Word {
        value: Rollup::Sum,
        offered: Some(t("sum", "合計")),
        accepted: &["sum", "total", "合計", "合算", "積み上げ", "積上げ"],
    },
];

pub const KIND_WORDS: [Word<Kind>; 3] = [
    Word {
        value: Kind::Kpi,
        offered: Some(t("KPI", "KPI")),
        accepted: &["kpi", "指標", "中間指標"],
    },
    Word {
        value: Kind::Kdi,
        offered: Some(t("KDI", "KDI")),
        accepted: &["kdi", "action", "行動", "行動指標", "アクション"],
    },
    Word {
        value: Kind::Kgi,
        offered: None,
        accepted: &["kgi", "目標", "最終目標"],
    },
];

/// (v2) Count and unit words read after a number (`100件`, `50社`, `3.5ヶ月`, `12.5pt`):
/// the number is read without them and the word becomes the unit when the unit cell is
/// empty. Longer words first where one ends another (`店舗` before `店`).
pub const COUNT_WORDS: &[&str] = &[
    "ヶ月",
    "か月",
    "カ月",
    "ヵ月",
    "ケ月",
    "ヶ所",
    "か所",
    "箇所",
    "店舗",
    "時間",
    "拠点",
    "世帯",
    "件",
    "社",
    "人",
    "名",
    "個",
    "回",
    "台",
    "本",
    "日",
    "店",
    "枚",
    "点",
    "票",
    "冊",
    "組",
    "席",
    "室",
    "週",
    "倍",
    "ポイント",
    "pts",
    "pt",
    "hrs",
    "hours",
    "days",
    "users",
    "deals",
    "x",
];

/// The value whose accepted spellings include `key` (already normalised).
pub fn find_word<T: Copy>(words: &[Word<T>], key: &str) -> Option<T> {
    words
        .iter()
        .find(|w| w.accepted.contains(&key))
        .map(|w| w.value)
}

impl Choices {
    /// The words the template's drop-down list offers, in order.
    pub fn offered(self) -> Vec<Text> {
        fn offered<T>(words: &[Word<T>]) -> Vec<Text> {
            words.iter().filter_map(|w| w.offered).collect()
        }
        match self {
            Choices::Direction => offered(&DIRECTION_WORDS),
            Choices::Frequency => offered(&FREQUENCY_WORDS),
            Choices::Rollup => offered(&ROLLUP_WORDS),
            Choices::Kind => offered(&KIND_WORDS),
            Choices::Aggregation => offered(&AGGREGATION_WORDS),
            Choices::ForecastMethod => offered(&FORECAST_METHOD_WORDS),
        }
    }

    /// The words a message names: the ones the drop-down offers.
    pub fn named(self) -> Vec<Text> {
        self.offered()
    }

    /// The named words in both languages, for a message: `increase, decrease, 増加, 減少`.
    pub fn for_message(self) -> String {
        let words = self.named();
        let mut all: Vec<&str> = words.iter().map(|w| w.en).collect();
        for w in &words {
            if !all.contains(&w.ja) {
                all.push(w.ja);
            }
        }
        all.join(", ")
    }
}

/// One column of the contract.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub column: Column,
    /// The key in the config (`names.columns.<key>`) and in JSON.
    pub key: &'static str,
    /// The header the template writes and messages use.
    pub header: Text,
    /// Accepted header names on every sheet that looks for the column.
    pub names: &'static [&'static str],
    /// Further names accepted on one sheet only (`KGI` is a name on the KGI sheet and a
    /// parent on the KPI sheet).
    pub names_on: &'static [(SheetRole, &'static [&'static str])],
    pub value: ValueType,
    /// The sheets whose header search looks for the column.
    pub found_on: &'static [SheetRole],
    /// The sheets on which the header row must have it.
    pub required_on: &'static [SheetRole],
    /// What the column means, as the template's hint says it.
    pub hint: Text,
    /// A sheet's own header and hint, where they differ from the general ones.
    pub on_sheet: &'static [(SheetRole, Text, Text)],
}

impl FieldSpec {
    pub fn header_on(&self, role: SheetRole) -> Text {
        self.on_sheet
            .iter()
            .find(|(r, _, _)| *r == role)
            .map_or(self.header, |(_, header, _)| *header)
    }

    pub fn hint_on(&self, role: SheetRole) -> Text {
        self.on_sheet
            .iter()
            .find(|(r, _, _)| *r == role)
            .map_or(self.hint, |(_, _, hint)| *hint)
    }

    pub fn required_on(&self, role: SheetRole) -> bool {
        self.required_on.contains(&role)
    }
}

const GOAL_SHEETS: &[SheetRole] = &[SheetRole::Kgi, SheetRole::Kpi];
const KPI_SHEET: &[SheetRole] = &[SheetRole::Kpi];
const ALL_SHEETS: &[SheetRole] = &SheetRole::ALL;
const PERIOD_TABLES: &[SheetRole] = &[SheetRole::Actuals, SheetRole::Plan];
const NOWHERE: &[SheetRole] = &[];

/// Every column of the contract, in the order the header search tries them.
pub const FIELDS: [FieldSpec; 21] = [
    FieldSpec {
        column: Column::Field(Field::Id),
        key: "id",
        header: t("ID", "コード"),
        names: &["ID", "Code", "コード", "番号", "ID番号"],
        names_on: &[
            (SheetRole::Kgi, &["KGI ID", "KGIコード", "KGI No", "KGI番号"]),
            (
                SheetRole::Kpi,
                &["KPI ID", "KPIコード", "KPI No", "KPI番号", "指標コード", "指標ID"],
            ),
            (
                SheetRole::Actuals,
                &["KPI ID", "KGI ID", "指標コード", "指標ID", "KPIコード"],
            ),
            (
                SheetRole::Plan,
                &["KPI ID", "KGI ID", "指標コード", "指標ID", "KPIコード"],
            ),
        ],
        value: ValueType::Code,
        found_on: ALL_SHEETS,
        // (v2) Optional: without an id column the name is the id on a goal sheet and the
        // key of a period table (which needs one or the other: `input::sheet`).
        required_on: NOWHERE,
        hint: t(
            "A short code for the indicator, unique across the KGI and KPI sheets.",
            "指標の短いコード（KGI一覧・KPI一覧を通じて重複不可）。",
        ),
        on_sheet: &[
            (
                SheetRole::Kgi,
                t("ID", "コード"),
                t(
                    "A short code for the goal, unique in the workbook. The KPI sheet's Parent column and the Actuals sheet refer to it.",
                    "目標の短いコード（ブック内で重複不可）。KPI一覧の「親ID」と実績推移から参照します。",
                ),
            ),
            (
                SheetRole::Actuals,
                t("ID", "コード"),
                t(
                    "The ID of a KGI or KPI: one row per ID. A KGI whose rollup is sum needs no row.",
                    "KGIまたはKPIのコード。1行に1指標です。集計が「合計」のKGIは行が不要です。",
                ),
            ),
        ],
    },
    FieldSpec {
        column: Column::Field(Field::Name),
        key: "name",
        header: t("Name", "名称"),
        names: &[
            "Name",
            "名称",
            "指標名",
            "目標名",
            "項目",
            "項目名",
            "Title",
            "Metric",
            "Indicator",
            "Category",
            "Item",
            "Line item",
            "KPI name",
            "Measure",
            "勘定科目",
            "科目",
            "費目",
        ],
        names_on: &[
            (SheetRole::Kgi, &["KGI", "KGI名"]),
            (SheetRole::Kpi, &["KPI", "KPI名", "KDI", "KPI・KDI"]),
        ],
        value: ValueType::Text,
        found_on: ALL_SHEETS,
        required_on: GOAL_SHEETS,
        hint: t("The indicator in a few words.", "指標の内容を短く。"),
        on_sheet: &[
            (
                SheetRole::Kgi,
                t("Name", "目標名"),
                t("The goal in a few words.", "目標の内容を短く。"),
            ),
            (
                SheetRole::Kpi,
                t("Name", "指標名"),
                t("The indicator in a few words.", "指標の内容を短く。"),
            ),
            (
                SheetRole::Actuals,
                t("Name", "指標名"),
                t(
                    "For the reader's convenience; kpi-report does not read it.",
                    "見やすくするための列です（kpi-report は読み込みません）。",
                ),
            ),
        ],
    },
    FieldSpec {
        column: Column::Field(Field::Parent),
        key: "parent",
        header: t("Parent", "親ID"),
        names: &[
            "Parent",
            "Parent ID",
            "KGI ID",
            "親",
            "親ID",
            "紐づくKGI",
            "紐付くKGI",
            "紐づくKPI",
            "上位",
            "上位ID",
            "上位指標",
            "親指標",
        ],
        names_on: &[(SheetRole::Kpi, &["KGI"])],
        value: ValueType::Code,
        found_on: KPI_SHEET,
        // (v2) Optional: a flat list without parents is a goal set (W15 when it has no KGI).
        required_on: NOWHERE,
        hint: t(
            "The ID of the KGI (or KPI) this indicator drives. Empty means tied to no KGI, which is flagged.",
            "この指標が貢献するKGI（または上位KPI）のコード。空欄はKGIに紐づかない指標として警告されます。",
        ),
        on_sheet: &[],
    },
    FieldSpec {
        column: Column::Field(Field::Target),
        key: "target",
        header: t("Target", "目標値"),
        names: &["Target", "Goal", "目標値", "Target value"],
        // (v2) On a goal sheet a budget column is the target (`Category, Budget, Spent`).
        names_on: &[
            (
                SheetRole::Kgi,
                &["Budget", "予算", "予算額", "Planned", "Plan"],
            ),
            (
                SheetRole::Kpi,
                &["Budget", "予算", "予算額", "Planned", "Plan"],
            ),
        ],
        value: ValueType::Number,
        found_on: GOAL_SHEETS,
        required_on: GOAL_SHEETS,
        hint: t(
            "The value to reach by the deadline. A number, or text such as 1億円, 6,000万円 or 12.5%.",
            "期限までに達成する値。数値のほか「1億円」「6,000万円」「12.5%」のような書き方も読めます。",
        ),
        on_sheet: &[],
    },
    FieldSpec {
        column: Column::Field(Field::Actual),
        key: "actual",
        header: t("Actual", "実績値"),
        names: &[
            "Actual",
            "Current",
            "実績",
            "実績値",
            "現状値",
            "現在値",
            "Actual value",
            "Spent",
            "Actual spend",
            "Achieved",
            "Result",
            "結果",
            "実績額",
        ],
        names_on: &[],
        value: ValueType::Number,
        found_on: GOAL_SHEETS,
        required_on: NOWHERE,
        hint: t(
            "The latest figure, when there is no Actuals sheet row for the indicator.",
            "最新の実績値（実績推移に行がない指標のとき）。",
        ),
        on_sheet: &[],
    },
    FieldSpec {
        column: Column::Field(Field::Measured),
        key: "measured",
        header: t("Measured", "測定日"),
        names: &[
            "Measured",
            "As of",
            "測定日",
            "計測日",
            "Measured on",
            "実績日",
            "基準日",
        ],
        names_on: &[],
        value: ValueType::Date,
        found_on: GOAL_SHEETS,
        required_on: NOWHERE,
        hint: t(
            "The date the actual was taken.",
            "実績値を測定した日。",
        ),
        on_sheet: &[],
    },
    FieldSpec {
        column: Column::Field(Field::Baseline),
        key: "baseline",
        header: t("Baseline", "基準値"),
        names: &[
            "Baseline",
            "Start value",
            "基準値",
            "開始値",
            "初期値",
            "Last year",
            "前年実績",
        ],
        names_on: &[],
        value: ValueType::Number,
        found_on: GOAL_SHEETS,
        required_on: NOWHERE,
        hint: t(
            "The value at the start (last year's, for example). Progress is measured from it; without one, from zero.",
            "開始時点の値（前年実績など）。進捗はこの値から測ります（空欄ならゼロから）。",
        ),
        on_sheet: &[],
    },
    FieldSpec {
        column: Column::Field(Field::Unit),
        key: "unit",
        header: t("Unit", "単位"),
        names: &["Unit", "単位"],
        names_on: &[],
        value: ValueType::Text,
        found_on: GOAL_SHEETS,
        required_on: NOWHERE,
        hint: t(
            "JPY, %, deals, calls… A sum rollup adds up only the KPIs in the parent's unit.",
            "円、%、件、回など。集計が「合計」のときは、親と同じ単位のKPIだけを合計します。",
        ),
        on_sheet: &[],
    },
    FieldSpec {
        column: Column::Field(Field::Direction),
        key: "direction",
        header: t("Direction", "方向"),
        names: &["Direction", "方向", "評価方向", "向き"],
        names_on: &[],
        value: ValueType::Choice(Choices::Direction),
        found_on: GOAL_SHEETS,
        required_on: NOWHERE,
        hint: t(
            "increase: higher is better (the default). decrease: lower is better (costs, return rates).",
            "増加: 高いほど良い（既定）。減少: 低いほど良い（コスト、返品率など）。",
        ),
        on_sheet: &[],
    },
    FieldSpec {
        column: Column::Field(Field::Start),
        key: "start",
        header: t("Start", "開始日"),
        names: &["Start", "Start date", "開始日", "開始"],
        names_on: &[],
        value: ValueType::Date,
        found_on: GOAL_SHEETS,
        required_on: NOWHERE,
        hint: t(
            "First day of the period. Empty: the parent's start, else the first day of the fiscal year.",
            "期間の開始日。空欄なら親の開始日、親がなければ年度の初日です。",
        ),
        on_sheet: &[],
    },
    FieldSpec {
        column: Column::Field(Field::Deadline),
        key: "deadline",
        header: t("Deadline", "期限"),
        names: &[
            "Deadline",
            "Due",
            "Due date",
            "期限",
            "期日",
            "達成期限",
            "End date",
            "終了日",
        ],
        names_on: &[],
        value: ValueType::Date,
        found_on: GOAL_SHEETS,
        required_on: NOWHERE,
        hint: t(
            "The date the target must be reached. Empty: the parent's deadline, else the end of the fiscal year.",
            "目標値の達成期限。空欄なら親の期限、親がなければ年度末です。",
        ),
        on_sheet: &[],
    },
    FieldSpec {
        column: Column::Field(Field::Owner),
        key: "owner",
        header: t("Owner", "担当者"),
        names: &["Owner", "担当", "担当者", "責任者", "Responsible"],
        names_on: &[],
        value: ValueType::Text,
        found_on: GOAL_SHEETS,
        required_on: NOWHERE,
        hint: t(
            "The person who answers for the figure.",
            "この数値に責任を持つ担当者。",
        ),
        on_sheet: &[],
    },
    FieldSpec {
        column: Column::Field(Field::Frequency),
        key: "frequency",
        header: t("Frequency", "測定頻度"),
        names: &["Frequency", "測定頻度", "頻度", "計測頻度"],
        names_on: &[],
        value: ValueType::Choice(Choices::Frequency),
        found_on: GOAL_SHEETS,
        required_on: NOWHERE,
        hint: t(
            "How often the figure is measured. A figure not updated for longer than that is flagged as stale.",
            "測定する頻度。この間隔を過ぎても実績が更新されないと警告します。",
        ),
        on_sheet: &[],
    },
    FieldSpec {
        column: Column::Field(Field::Weight),
        key: "weight",
        header: t("Weight", "ウェイト"),
        names: &["Weight", "重み", "ウェイト", "ウエイト"],
        names_on: &[],
        value: ValueType::Number,
        found_on: KPI_SHEET,
        required_on: NOWHERE,
        hint: t(
            "Importance among the indicators with the same parent (default 1). Used by the weighted rollup and the priority ranking.",
            "同じ親を持つ指標の中での重み（既定 1）。加重平均の集計と優先順位に使います。",
        ),
        on_sheet: &[],
    },
    FieldSpec {
        column: Column::Field(Field::Rollup),
        key: "rollup",
        header: t("Rollup", "集計"),
        names: &["Rollup", "Roll-up", "集計"],
        names_on: &[],
        value: ValueType::Choice(Choices::Rollup),
        found_on: GOAL_SHEETS,
        required_on: NOWHERE,
        hint: t(
            "Used when there are no actuals of its own: weighted = weighted average of the children's progress (the default); sum = total of the children in the same unit.",
            "自身の実績がないときの算出方法。加重平均: 子の進捗の加重平均（既定）。合計: 同じ単位の子の合計。",
        ),
        on_sheet: &[],
    },
    FieldSpec {
        column: Column::Field(Field::Type),
        key: "type",
        header: t("Type", "種別"),
        names: &["Type", "種別", "区分", "Kind"],
        names_on: &[],
        value: ValueType::Choice(Choices::Kind),
        found_on: KPI_SHEET,
        required_on: NOWHERE,
        hint: t(
            "KPI (the default), or KDI for an action that drives a KPI, such as calls per week.",
            "KPI（既定）、またはKDI（架電数などKPIを動かす行動の指標）。",
        ),
        on_sheet: &[],
    },
    FieldSpec {
        column: Column::Field(Field::Aggregation),
        key: "aggregation",
        header: t("Aggregation", "集計方法"),
        names: &["Aggregation", "Over time", "集計方法", "時間集計", "Aggregate"],
        names_on: &[],
        value: ValueType::Choice(Choices::Aggregation),
        found_on: GOAL_SHEETS,
        required_on: NOWHERE,
        hint: t(
            "What the values over time mean. last: each value is the level at its date (the default). sum: each value is the amount of its period (sales of the month), the actual is their total so far. average: the actual is their mean.",
            "時系列の値の意味。最新値: 各値はその時点の水準（既定）。合計: 各値はその期間の金額（月次売上など）で、実績はその累計。平均: 実績は値の平均。",
        ),
        on_sheet: &[],
    },
    FieldSpec {
        column: Column::Field(Field::ForecastMethod),
        key: "forecast_method",
        header: t("Forecast method", "着地見込方法"),
        names: &[
            "Forecast method",
            "Forecast",
            "着地見込方法",
            "着地見込み方法",
            "見込方法",
        ],
        names_on: &[],
        value: ValueType::Choice(Choices::ForecastMethod),
        found_on: GOAL_SHEETS,
        required_on: NOWHERE,
        hint: t(
            "How the value at the deadline is forecast: auto (the default), trend, run_rate (the rest of the plan at the attainment so far), plan, average3 (the last three months).",
            "着地見込みの算出方法: 自動（既定）、傾向、達成率ペース（残りの計画×これまでの達成率）、計画、直近3か月平均。",
        ),
        on_sheet: &[],
    },
    FieldSpec {
        column: Column::Field(Field::Source),
        key: "source",
        header: t("Source", "集計キー"),
        names: &[
            "Source",
            "Account",
            "集計キー",
            "集計コード",
            "勘定科目コード",
            "Source key",
            "Account code",
            "取込キー",
        ],
        names_on: &[],
        value: ValueType::Text,
        found_on: GOAL_SHEETS,
        required_on: NOWHERE,
        hint: t(
            "The keys it collects in exports (--actuals, [[sources]]), separated by , 、 ; or +. A key ending in * takes every key that starts with it (4110/* = every department of account 4110). In a journal, credit: takes the credit side, debit: the debit side; without, the net on the metric's side (credit − debit for sales and what should rise, debit − credit for costs and what should fall or stay under a ceiling). Empty: its ID or name.",
            "取込データ（--actuals、[[sources]]）から集計するキー。「,」「、」「;」「+」で区切って複数指定できます。末尾の * はそれで始まるすべてのキー（4110/* は勘定科目4110の全部門）。仕訳データでは「貸方:」で貸方、「借方:」で借方、指定なしは差額（売上など増やす指標は貸方−借方、費用など減らす・上限内に抑える指標は借方−貸方）。空欄ならコードか名称。",
        ),
        on_sheet: &[],
    },
    FieldSpec {
        column: Column::Date,
        key: "date",
        header: t("Date", "年月"),
        names: &[
            "Date",
            "Period",
            "Month",
            "日付",
            "年月",
            "期間",
            "月",
            "対象月",
            "計上月",
        ],
        names_on: &[],
        value: ValueType::Period,
        found_on: PERIOD_TABLES,
        required_on: NOWHERE,
        hint: t(
            "One column per month: the header is the month (a date, or text such as 2026-04); the value is the month's figure: the amount of the month for a sum metric, the level at the month's end otherwise. Add columns to the right as the year goes on; leave a cell empty when not measured.",
            "1列に1か月。見出しは月（日付、または「2026年4月」のような文字）、値はその月の数値です。集計方法が合計の指標はその月の金額、それ以外は月末時点の水準です。月が進んだら右に列を足し、測っていない月は空欄のままにします。",
        ),
        on_sheet: &[],
    },
    FieldSpec {
        column: Column::Value,
        key: "value",
        header: t("Value", "値"),
        names: &["Value", "値", "数値", "Amount", "金額"],
        names_on: &[
            (
                SheetRole::Actuals,
                &[
                    "Actual", "Actuals", "実績", "実績値", "実績額", "Cost", "Costs", "Spent",
                    "Spend", "Expense", "費用", "支出",
                ],
            ),
            (
                SheetRole::Plan,
                &["Plan", "Budget", "予算", "計画", "計画値", "予算額", "Target", "目標値"],
            ),
        ],
        value: ValueType::Number,
        found_on: PERIOD_TABLES,
        required_on: NOWHERE,
        hint: t(
            "The figure measured at the row's date.",
            "その日付時点の実績値。",
        ),
        on_sheet: &[(
            SheetRole::Plan,
            t("Plan", "予算"),
            t(
                "The plan for the period that ends on the row's date: the amount of the period for a sum metric, the level planned for that date otherwise.",
                "その日付で終わる期間の計画値。集計方法が合計の指標は期間の金額、それ以外はその時点の水準です。",
            ),
        )],
    },
];

/// The columns looked for on a sheet, in matching order.
pub fn columns_of(role: SheetRole) -> Vec<Column> {
    FIELDS
        .iter()
        .filter(|spec| spec.found_on.contains(&role))
        .map(|spec| spec.column)
        .collect()
}

/// The columns a sheet's header row must have.
pub fn required_columns(role: SheetRole) -> Vec<Column> {
    FIELDS
        .iter()
        .filter(|spec| spec.required_on(role))
        .map(|spec| spec.column)
        .collect()
}

#[cfg(test)]
mod tests;
