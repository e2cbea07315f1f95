//! `kpi-report init`: the input workbook a finance user fills in. The KGI, KPI and Actuals
//! sheets carry headers the reader accepts, the worked BtoB example as rows to replace,
//! drop-down lists and date validation, a hint on every header and a Guide sheet, so a new
//! user can start without reading the docs. `kpi-report run` reads the untouched file.
//!
//! The example rows are dated in the fiscal year that contains the day `init` runs (start
//! month from `./kpi-report.toml`, April by default), so the first run shows live figures.

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, NaiveTime};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties,
    ExcelDateTime, Format, FormatAlign, FormatBorder, Note, Workbook, Worksheet, XlsxError,
};
use unicode_width::UnicodeWidthStr;

use crate::dates;
use crate::model::{Field, Lang};

/// The file name used when PATH is a folder.
pub const DEFAULT_FILE_NAME: &str = "kpi-input.xlsx";

/// Data validation reaches down to this sheet row (Excel's numbering, header in row 1).
pub const VALIDATED_ROWS: u32 = 500;

/// Dates outside this range are typing mistakes, not plans.
const FIRST_VALID_DATE: (u16, u8, u8) = (2000, 1, 1);
const LAST_VALID_DATE: (u16, u8, u8) = (2099, 12, 31);

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

const fn t(en: &'static str, ja: &'static str) -> Text {
    Text { en, ja }
}

// The words of the drop-down lists. A test checks the reader accepts every one of them.
const INCREASE: Text = t("increase", "増加");
const DECREASE: Text = t("decrease", "減少");
const WEEKLY: Text = t("weekly", "週次");
const MONTHLY: Text = t("monthly", "月次");
const WEIGHTED: Text = t("weighted", "加重平均");
const SUM: Text = t("sum", "合計");
const KPI: Text = t("KPI", "KPI");
const KDI: Text = t("KDI", "KDI");

pub const DIRECTION_WORDS: [Text; 2] = [INCREASE, DECREASE];
pub const FREQUENCY_WORDS: [Text; 5] = [
    t("daily", "日次"),
    WEEKLY,
    MONTHLY,
    t("quarterly", "四半期"),
    t("yearly", "年次"),
];
pub const ROLLUP_WORDS: [Text; 2] = [WEIGHTED, SUM];
pub const TYPE_WORDS: [Text; 2] = [KPI, KDI];

/// What a column holds, which decides its validation and cell format.
#[derive(Debug, Clone, Copy)]
enum Input {
    /// An id: stored as text so `1-2` never turns into a date.
    Code,
    Text,
    Number,
    Date,
    Choice(&'static [Text]),
}

/// The example shown in a header's hint.
#[derive(Debug, Clone, Copy)]
enum Example {
    Text(Text),
    FiscalYearStart,
    FiscalYearEnd,
}

/// One column of the KGI or KPI sheet.
#[derive(Debug, Clone, Copy)]
struct ColumnSpec {
    field: Field,
    header: Text,
    required: bool,
    input: Input,
    hint: Text,
    example: Example,
}

const fn column(
    field: Field,
    header: Text,
    required: bool,
    input: Input,
    hint: Text,
    example: Example,
) -> ColumnSpec {
    ColumnSpec {
        field,
        header,
        required,
        input,
        hint,
        example,
    }
}

const TARGET: ColumnSpec = column(
    Field::Target,
    t("Target", "目標値"),
    true,
    Input::Number,
    t(
        "The value to reach by the deadline. A number, or text such as 1億円, 6,000万円 or 12.5%.",
        "期限までに達成する値。数値のほか「1億円」「6,000万円」「12.5%」のような書き方も読めます。",
    ),
    Example::Text(t("100,000,000", "100,000,000")),
);
const BASELINE: ColumnSpec = column(
    Field::Baseline,
    t("Baseline", "基準値"),
    false,
    Input::Number,
    t(
        "The value at the start (last year's, for example). Progress is measured from it; without one, from zero.",
        "開始時点の値（前年実績など）。進捗はこの値から測ります（空欄ならゼロから）。",
    ),
    Example::Text(t("1,200,000", "1,200,000")),
);
const UNIT: ColumnSpec = column(
    Field::Unit,
    t("Unit", "単位"),
    false,
    Input::Text,
    t(
        "JPY, %, deals, calls… A sum rollup adds up only the KPIs in the parent's unit.",
        "円、%、件、回など。集計が「合計」のときは、親と同じ単位のKPIだけを合計します。",
    ),
    Example::Text(t("JPY", "円")),
);
const DIRECTION: ColumnSpec = column(
    Field::Direction,
    t("Direction", "方向"),
    false,
    Input::Choice(&DIRECTION_WORDS),
    t(
        "increase: higher is better (the default). decrease: lower is better (costs, return rates).",
        "増加: 高いほど良い（既定）。減少: 低いほど良い（コスト、返品率など）。",
    ),
    Example::Text(INCREASE),
);
const START: ColumnSpec = column(
    Field::Start,
    t("Start", "開始日"),
    false,
    Input::Date,
    t(
        "First day of the period. Empty: the parent's start, else the first day of the fiscal year.",
        "期間の開始日。空欄なら親の開始日、親がなければ年度の初日です。",
    ),
    Example::FiscalYearStart,
);
const DEADLINE: ColumnSpec = column(
    Field::Deadline,
    t("Deadline", "期限"),
    false,
    Input::Date,
    t(
        "The date the target must be reached. Empty: the parent's deadline, else the end of the fiscal year.",
        "目標値の達成期限。空欄なら親の期限、親がなければ年度末です。",
    ),
    Example::FiscalYearEnd,
);
const OWNER: ColumnSpec = column(
    Field::Owner,
    t("Owner", "担当者"),
    false,
    Input::Text,
    t(
        "The person who answers for the figure.",
        "この数値に責任を持つ担当者。",
    ),
    Example::Text(t("Sato", "佐藤")),
);
const FREQUENCY: ColumnSpec = column(
    Field::Frequency,
    t("Frequency", "測定頻度"),
    false,
    Input::Choice(&FREQUENCY_WORDS),
    t(
        "How often the figure is measured. A figure not updated for longer than that is flagged as stale.",
        "測定する頻度。この間隔を過ぎても実績が更新されないと警告します。",
    ),
    Example::Text(MONTHLY),
);
const ROLLUP: ColumnSpec = column(
    Field::Rollup,
    t("Rollup", "集計"),
    false,
    Input::Choice(&ROLLUP_WORDS),
    t(
        "Used when there are no actuals of its own: weighted = weighted average of the children's progress (the default); sum = total of the children in the same unit.",
        "自身の実績がないときの算出方法。加重平均: 子の進捗の加重平均（既定）。合計: 同じ単位の子の合計。",
    ),
    Example::Text(SUM),
);

const KGI_COLUMNS: [ColumnSpec; 11] = [
    column(
        Field::Id,
        t("ID", "コード"),
        true,
        Input::Code,
        t(
            "A short code for the goal, unique in the workbook. The KPI sheet's Parent column and the Actuals sheet refer to it.",
            "目標の短いコード（ブック内で重複不可）。KPI一覧の「親ID」と実績推移から参照します。",
        ),
        Example::Text(t("B", "B")),
    ),
    column(
        Field::Name,
        t("Name", "目標名"),
        true,
        Input::Text,
        t("The goal in a few words.", "目標の内容を短く。"),
        Example::Text(t("Annual sales", "年間売上高")),
    ),
    TARGET,
    BASELINE,
    UNIT,
    DIRECTION,
    START,
    DEADLINE,
    OWNER,
    FREQUENCY,
    ROLLUP,
];

const KPI_COLUMNS: [ColumnSpec; 14] = [
    column(
        Field::Id,
        t("ID", "コード"),
        true,
        Input::Code,
        t(
            "A short code for the indicator, unique across the KGI and KPI sheets.",
            "指標の短いコード（KGI一覧・KPI一覧を通じて重複不可）。",
        ),
        Example::Text(t("B1", "B1")),
    ),
    column(
        Field::Parent,
        t("Parent", "親ID"),
        true,
        Input::Code,
        t(
            "The ID of the KGI (or KPI) this indicator drives. Empty means tied to no KGI, which is flagged.",
            "この指標が貢献するKGI（または上位KPI）のコード。空欄はKGIに紐づかない指標として警告されます。",
        ),
        Example::Text(t("B", "B")),
    ),
    column(
        Field::Type,
        t("Type", "種別"),
        false,
        Input::Choice(&TYPE_WORDS),
        t(
            "KPI (the default), or KDI for an action that drives a KPI, such as calls per week.",
            "KPI（既定）、またはKDI（架電数などKPIを動かす行動の指標）。",
        ),
        Example::Text(KPI),
    ),
    column(
        Field::Name,
        t("Name", "指標名"),
        true,
        Input::Text,
        t("The indicator in a few words.", "指標の内容を短く。"),
        Example::Text(t("Repeat sales", "リピート売上")),
    ),
    TARGET,
    BASELINE,
    UNIT,
    DIRECTION,
    START,
    DEADLINE,
    OWNER,
    FREQUENCY,
    column(
        Field::Weight,
        t("Weight", "ウェイト"),
        false,
        Input::Number,
        t(
            "Importance among the indicators with the same parent (default 1). Used by the weighted rollup and the priority ranking.",
            "同じ親を持つ指標の中での重み（既定 1）。加重平均の集計と優先順位に使います。",
        ),
        Example::Text(t("3", "3")),
    ),
    ROLLUP,
];

const ACTUALS_ID_HINT: Text = t(
    "The ID of a KGI or KPI: one row per ID. A KGI whose rollup is sum needs no row.",
    "KGIまたはKPIのコード。1行に1指標です。集計が「合計」のKGIは行が不要です。",
);
const ACTUALS_NAME_HINT: Text = t(
    "For the reader's convenience; kpi-report does not read it.",
    "見やすくするための列です（kpi-report は読み込みません）。",
);
const ACTUALS_MONTH_HINT: Text = t(
    "One column per month: the header is the month (a date, or text such as 2026-04); the value is the figure at the month's end. Add columns to the right as the year goes on; leave a cell empty when not measured.",
    "1列に1か月。見出しは月（日付、または「2026年4月」のような文字）、値はその月末時点の数値です。月が進んだら右に列を足し、測っていない月は空欄のままにします。",
);

/// A cell of an example row.
#[derive(Debug, Clone, Copy)]
enum Cell {
    Text(Text),
    Number(f64),
    Date(NaiveDate),
}

/// The fiscal year the examples are dated in.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FiscalYear {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl FiscalYear {
    pub fn containing(day: NaiveDate, start_month: u32) -> FiscalYear {
        FiscalYear {
            start: dates::fiscal_year_start(day, start_month),
            end: dates::fiscal_year_end(day, start_month),
        }
    }

    /// The last day of each month of the year.
    fn month_ends(self) -> Vec<NaiveDate> {
        (0..12)
            .filter_map(|i| self.start.checked_add_months(Months::new(i)))
            .map(dates::month_end)
            .collect()
    }
}

/// The KGI of the BtoB worked example: annual sales of 100,000,000 JPY, summed from its
/// KPIs in yen.
fn kgi_examples(fy: FiscalYear) -> Vec<Vec<(Field, Cell)>> {
    vec![vec![
        (Field::Id, Cell::Text(t("B", "B"))),
        (Field::Name, Cell::Text(t("Annual sales", "年間売上高"))),
        (Field::Target, Cell::Number(100_000_000.0)),
        (Field::Unit, Cell::Text(t("JPY", "円"))),
        (Field::Direction, Cell::Text(INCREASE)),
        (Field::Start, Cell::Date(fy.start)),
        (Field::Deadline, Cell::Date(fy.end)),
        (Field::Owner, Cell::Text(t("Sato", "佐藤"))),
        (Field::Frequency, Cell::Text(MONTHLY)),
        (Field::Rollup, Cell::Text(SUM)),
    ]]
}

/// One KPI or KDI of the worked example.
struct ExampleKpi {
    id: &'static str,
    parent: &'static str,
    kind: Text,
    name: Text,
    target: f64,
    unit: Text,
    owner: Text,
    frequency: Text,
    weight: Option<f64>,
    /// False: the deadline is inherited from the parent (shown empty).
    own_deadline: bool,
    /// The example actuals run at this fraction of the even pace to the target, so the
    /// first report shows each status: on track, at risk, off track.
    example_pace: f64,
}

/// The KGI's KPIs: repeat sales 60,000,000 and new sales 40,000,000 JPY add up to it; 100
/// negotiations (a count: a driver, not summed) with the sales calls (a KDI) below. Start
/// dates are left empty to show inheritance.
const EXAMPLE_KPIS: [ExampleKpi; 4] = [
    ExampleKpi {
        id: "B1",
        parent: "B",
        kind: KPI,
        name: t("Repeat sales", "リピート売上"),
        target: 60_000_000.0,
        unit: t("JPY", "円"),
        owner: t("Suzuki", "鈴木"),
        frequency: MONTHLY,
        weight: Some(3.0),
        own_deadline: true,
        example_pace: 1.02,
    },
    ExampleKpi {
        id: "B2",
        parent: "B",
        kind: KPI,
        name: t("New sales", "新規売上"),
        target: 40_000_000.0,
        unit: t("JPY", "円"),
        owner: t("Takahashi", "高橋"),
        frequency: MONTHLY,
        weight: Some(2.0),
        own_deadline: true,
        example_pace: 0.70,
    },
    ExampleKpi {
        id: "B3",
        parent: "B",
        kind: KPI,
        name: t("New-customer negotiations", "新規顧客商談数"),
        target: 100.0,
        unit: t("deals", "件"),
        owner: t("Takahashi", "高橋"),
        frequency: MONTHLY,
        weight: Some(1.0),
        own_deadline: true,
        example_pace: 0.88,
    },
    ExampleKpi {
        id: "B3a",
        parent: "B3",
        kind: KDI,
        name: t("Sales calls", "架電数"),
        target: 2_400.0,
        unit: t("calls", "回"),
        owner: t("Tanaka", "田中"),
        frequency: WEEKLY,
        weight: None,
        own_deadline: false,
        example_pace: 1.05,
    },
];

fn kpi_examples(fy: FiscalYear) -> Vec<Vec<(Field, Cell)>> {
    EXAMPLE_KPIS
        .iter()
        .map(|kpi| {
            let mut row = vec![
                (Field::Id, Cell::Text(t(kpi.id, kpi.id))),
                (Field::Parent, Cell::Text(t(kpi.parent, kpi.parent))),
                (Field::Type, Cell::Text(kpi.kind)),
                (Field::Name, Cell::Text(kpi.name)),
                (Field::Target, Cell::Number(kpi.target)),
                (Field::Unit, Cell::Text(kpi.unit)),
                (Field::Direction, Cell::Text(INCREASE)),
                (Field::Owner, Cell::Text(kpi.owner)),
                (Field::Frequency, Cell::Text(kpi.frequency)),
            ];
            if kpi.own_deadline {
                row.push((Field::Deadline, Cell::Date(fy.end)));
            }
            if let Some(weight) = kpi.weight {
                row.push((Field::Weight, Cell::Number(weight)));
            }
            row
        })
        .collect()
}

/// The example actuals: month-end values, cumulative from the start of the year, for the
/// months that ended before `today` (the KGI has no row: its rollup is `sum`).
fn example_actuals(fy: FiscalYear, today: NaiveDate) -> Vec<(&'static str, Text, Vec<f64>)> {
    let ended = fy
        .month_ends()
        .into_iter()
        .filter(|month_end| *month_end < today)
        .count();
    EXAMPLE_KPIS
        .iter()
        .map(|kpi| {
            let step = if kpi.target >= 1_000_000.0 {
                100_000.0
            } else {
                1.0
            };
            let values = (1..=ended)
                .map(|month| {
                    let value = kpi.target * kpi.example_pace * month as f64 / 12.0;
                    (value / step).round() * step
                })
                .collect();
            (kpi.id, kpi.name, values)
        })
        .collect()
}

/// Sheet names of the template, as the reader finds them.
pub fn sheet_names(lang: Lang) -> [&'static str; 4] {
    [
        lang.pick("Guide", "使い方"),
        lang.pick("KGI", "KGI一覧"),
        lang.pick("KPI", "KPI一覧"),
        lang.pick("Actuals", "実績推移"),
    ]
}

/// The formats of the template, defined once.
struct Styles {
    header_required: Format,
    header_optional: Format,
    header_month: Format,
    code: Format,
    number: Format,
    date: Format,
    guide_title: Format,
    guide_heading: Format,
    guide_step: Format,
    guide_text: Format,
}

impl Styles {
    fn new(lang: Lang) -> Styles {
        let base = Format::new().set_font_name(lang.pick("Calibri", "游ゴシック"));
        let header = base
            .clone()
            .set_bold()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter);
        Styles {
            header_required: header
                .clone()
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(0x1F4E79)),
            header_month: header
                .clone()
                .set_background_color(Color::RGB(0xDDEBF7))
                .set_num_format(lang.pick("yyyy-mm", "yyyy\"年\"m\"月\"")),
            header_optional: header.set_background_color(Color::RGB(0xDDEBF7)),
            code: base.clone().set_num_format("@"),
            number: base.clone().set_num_format("#,##0"),
            date: base
                .clone()
                .set_num_format(lang.pick("yyyy-mm-dd", "yyyy/m/d")),
            guide_title: base.clone().set_bold().set_font_size(14),
            guide_heading: base
                .clone()
                .set_bold()
                .set_border(FormatBorder::Thin)
                .set_background_color(Color::RGB(0xDDEBF7)),
            guide_step: base.clone().set_text_wrap().set_align(FormatAlign::Top),
            guide_text: base
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_border(FormatBorder::Thin),
        }
    }

    fn header(&self, required: bool) -> &Format {
        if required {
            &self.header_required
        } else {
            &self.header_optional
        }
    }

    /// The format of a whole column, so that typed values show right too.
    fn column(&self, input: Input) -> Option<&Format> {
        match input {
            Input::Code => Some(&self.code),
            Input::Date => Some(&self.date),
            Input::Number | Input::Text | Input::Choice(_) => None,
        }
    }
}

/// How a date is written in hints.
pub(crate) fn date_text(date: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::En => date.format("%Y-%m-%d").to_string(),
        Lang::Ja => format!("{}/{}/{}", date.year(), date.month(), date.day()),
    }
}

fn cell_text(cell: &Cell, lang: Lang) -> String {
    match cell {
        Cell::Text(text) => text.get(lang).to_string(),
        Cell::Number(value) => crate::display::decimal(*value, 0, false),
        Cell::Date(date) => date_text(*date, lang),
    }
}

fn example_text(example: Example, fy: FiscalYear, lang: Lang) -> String {
    match example {
        Example::Text(text) => text.get(lang).to_string(),
        Example::FiscalYearStart => date_text(fy.start, lang),
        Example::FiscalYearEnd => date_text(fy.end, lang),
    }
}

fn choice_list(words: &[Text], lang: Lang) -> String {
    words
        .iter()
        .map(|w| w.get(lang))
        .collect::<Vec<_>>()
        .join(" / ")
}

/// The full hint of a header: what it means, an example, the choices.
fn header_hint(spec: &ColumnSpec, fy: FiscalYear, lang: Lang) -> String {
    let mut lines = vec![format!(
        "{}{}",
        spec.header.get(lang),
        if spec.required {
            lang.pick(" (required)", "（必須）")
        } else {
            lang.pick(" (optional)", "（任意）")
        }
    )];
    lines.push(spec.hint.get(lang).to_string());
    if let Input::Choice(words) = spec.input {
        lines.push(format!(
            "{}{}",
            lang.pick("Choose: ", "選択肢: "),
            choice_list(words, lang)
        ));
    }
    lines.push(format!(
        "{}{}",
        lang.pick("Example: ", "例: "),
        example_text(spec.example, fy, lang)
    ));
    lines.join("\n")
}

/// A note sized to its text (notes do not grow by themselves).
fn note(text: &str) -> Note {
    const WIDTH_PX: u32 = 300;
    const COLUMNS_PER_LINE: usize = 44;
    let lines: usize = text
        .lines()
        .map(|line| line.width().div_ceil(COLUMNS_PER_LINE).max(1))
        .sum();
    let height = 16 + 15 * u32::try_from(lines).unwrap_or(20);
    Note::new(text)
        .set_author("kpi-report")
        .add_author_prefix(false)
        .set_width(WIDTH_PX)
        .set_height(height)
}

/// A column width in Excel's units from the East Asian width of what it shows, with room
/// for the drop-down arrow.
fn column_width<'a>(texts: impl IntoIterator<Item = &'a str>) -> f64 {
    let widest = texts.into_iter().map(|s| s.width()).max().unwrap_or(0);
    (widest as f64 + 3.0).clamp(8.0, 36.0)
}

fn valid_date_range() -> Result<(ExcelDateTime, ExcelDateTime), XlsxError> {
    let (y1, m1, d1) = FIRST_VALID_DATE;
    let (y2, m2, d2) = LAST_VALID_DATE;
    Ok((
        ExcelDateTime::from_ymd(y1, m1, d1)?,
        ExcelDateTime::from_ymd(y2, m2, d2)?,
    ))
}

/// The drop-down list or date validation of a column, with its input and error messages.
fn validation(spec: &ColumnSpec, lang: Lang) -> Result<Option<DataValidation>, XlsxError> {
    let header = spec.header.get(lang);
    let validation = match spec.input {
        Input::Choice(words) => {
            let list: Vec<&str> = words.iter().map(|w| w.get(lang)).collect();
            DataValidation::new()
                .allow_list_strings(&list)?
                .set_error_style(DataValidationErrorStyle::Warning)
                .set_error_title(lang.pick("Not in the list", "リストにない値です"))?
                .set_error_message(format!(
                    "{}{}",
                    lang.pick("Choose one of: ", "次から選んでください: "),
                    choice_list(words, lang)
                ))?
        }
        Input::Date => {
            let (first, last) = valid_date_range()?;
            DataValidation::new()
                .allow_date(DataValidationRule::Between(first, last))
                .set_error_title(lang.pick("Not a date", "日付ではありません"))?
                .set_error_message(lang.pick(
                    "Enter a date between 2000-01-01 and 2099-12-31, for example 2027-03-31.",
                    "2000/1/1〜2099/12/31 の日付を入力してください（例: 2027/3/31）。",
                ))?
        }
        Input::Code | Input::Text | Input::Number => return Ok(None),
    };
    Ok(Some(
        validation
            .set_input_title(header)?
            .set_input_message(spec.hint.get(lang))?,
    ))
}

fn write_cell(
    worksheet: &mut Worksheet,
    styles: &Styles,
    row: u32,
    col: u16,
    cell: &Cell,
    lang: Lang,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(text) => {
            worksheet.write_string(row, col, text.get(lang))?;
        }
        Cell::Number(value) => {
            worksheet.write_number_with_format(row, col, *value, &styles.number)?;
        }
        Cell::Date(date) => {
            worksheet.write_date_with_format(row, col, date, &styles.date)?;
        }
    }
    Ok(())
}

/// The KGI or KPI sheet: header with hints, example rows, validations, widths, frozen panes.
fn write_metric_sheet(
    worksheet: &mut Worksheet,
    styles: &Styles,
    columns: &[ColumnSpec],
    rows: &[Vec<(Field, Cell)>],
    fy: FiscalYear,
    lang: Lang,
) -> Result<(), XlsxError> {
    for (col, spec) in (0u16..).zip(columns) {
        worksheet.write_string_with_format(
            0,
            col,
            spec.header.get(lang),
            styles.header(spec.required),
        )?;
        worksheet.insert_note(0, col, &note(&header_hint(spec, fy, lang)))?;
        if let Some(validation) = validation(spec, lang)? {
            worksheet.add_data_validation(1, col, VALIDATED_ROWS - 1, col, &validation)?;
        }
        let examples: Vec<String> = rows
            .iter()
            .flat_map(|row| row.iter().filter(|(f, _)| *f == spec.field))
            .map(|(_, cell)| cell_text(cell, lang))
            .collect();
        let mut shown = vec![
            spec.header.get(lang).to_string(),
            example_text(spec.example, fy, lang),
        ];
        shown.extend(examples);
        if let Input::Choice(words) = spec.input {
            shown.extend(words.iter().map(|w| w.get(lang).to_string()));
        }
        worksheet.set_column_width(col, column_width(shown.iter().map(String::as_str)))?;
        if let Some(format) = styles.column(spec.input) {
            worksheet.set_column_format(col, format)?;
        }
    }
    for (row, cells) in (1u32..).zip(rows) {
        for (field, cell) in cells {
            if let Some(col) = columns.iter().position(|c| c.field == *field) {
                let col = u16::try_from(col).map_err(|_| XlsxError::RowColumnLimitError)?;
                write_cell(worksheet, styles, row, col, cell, lang)?;
            }
        }
    }
    worksheet.set_row_height(0, 20)?;
    worksheet.set_freeze_panes(1, 1)?;
    print_setup(worksheet);
    Ok(())
}

/// The Actuals sheet in the wide shape: ID, name, then one column per month of the year.
fn write_actuals_sheet(
    worksheet: &mut Worksheet,
    styles: &Styles,
    fy: FiscalYear,
    today: NaiveDate,
    lang: Lang,
) -> Result<(), XlsxError> {
    let actuals = example_actuals(fy, today);
    let id_header = lang.pick("ID", "コード");
    let name_header = lang.pick("Name", "指標名");
    worksheet.write_string_with_format(0, 0, id_header, &styles.header_required)?;
    worksheet.insert_note(
        0,
        0,
        &note(&format!("{id_header}\n{}", ACTUALS_ID_HINT.get(lang))),
    )?;
    worksheet.write_string_with_format(0, 1, name_header, &styles.header_optional)?;
    worksheet.insert_note(
        0,
        1,
        &note(&format!("{name_header}\n{}", ACTUALS_NAME_HINT.get(lang))),
    )?;
    worksheet.set_column_format(0, &styles.code)?;
    worksheet.set_column_width(0, 8.0)?;
    let names = actuals.iter().map(|(_, name, _)| name.get(lang));
    worksheet.set_column_width(1, column_width(names.chain([name_header])))?;

    for (col, month_end) in (2u16..).zip(fy.month_ends()) {
        worksheet.write_date_with_format(0, col, month_end, &styles.header_month)?;
        worksheet.set_column_width(col, 12.0)?;
    }
    let first_month = date_text(fy.start, lang);
    worksheet.insert_note(
        0,
        2,
        &note(&format!(
            "{}\n{}: {first_month}",
            ACTUALS_MONTH_HINT.get(lang),
            lang.pick("This column", "この列"),
        )),
    )?;

    for (row, (id, name, values)) in (1u32..).zip(actuals) {
        worksheet.write_string(row, 0, id)?;
        worksheet.write_string(row, 1, name.get(lang))?;
        for (col, value) in (2u16..).zip(values) {
            worksheet.write_number_with_format(row, col, value, &styles.number)?;
        }
    }
    worksheet.set_row_height(0, 20)?;
    worksheet.set_freeze_panes(1, 2)?;
    print_setup(worksheet);
    Ok(())
}

/// The width of the Guide's merged step cells (columns B to F), in characters.
const GUIDE_TEXT_WIDTH: usize = 130;

/// Landscape, one page wide: a printed template shows every column.
fn print_setup(worksheet: &mut Worksheet) {
    worksheet.set_landscape();
    worksheet.set_print_fit_to_pages(1, 0);
}

/// The widths of the Guide table's columns: sheet, column, required, meaning, example,
/// choices.
const GUIDE_TABLE_WIDTHS: [usize; 6] = [10, 14, 8, 64, 16, 36];

/// One row of the Guide table, as tall as its longest wrapped cell (rows do not grow to
/// wrapped text by themselves when the file is opened).
fn write_guide_row(
    worksheet: &mut Worksheet,
    styles: &Styles,
    row: u32,
    cells: &[String],
) -> Result<(), XlsxError> {
    let mut lines = 1;
    for ((col, text), width) in (0u16..).zip(cells).zip(GUIDE_TABLE_WIDTHS) {
        worksheet.write_string_with_format(row, col, text, &styles.guide_text)?;
        lines = lines.max(text.width().div_ceil(width.saturating_sub(2).max(1)));
    }
    worksheet.set_row_height(row, 15.0 * lines as f64 + 2.0)?;
    Ok(())
}

/// The steps of the Guide sheet.
const GUIDE_STEPS: [Text; 6] = [
    t(
        "KGI sheet: one row per final goal (Key Goal Indicator): what, how much, by when.",
        "KGI一覧: 最終目標（KGI）を1行に1つ。何を、いくつ、いつまでに。",
    ),
    t(
        "KPI sheet: the indicators that drive a KGI, and KDIs (the actions that drive a KPI). Parent is the ID of the KGI or KPI above. Keep a few KPIs per KGI (5 at most).",
        "KPI一覧: KGIを動かす指標（KPI）と、KPIを動かす行動の指標（KDI）。「親ID」には上位のKGIまたはKPIのコードを入れます。1つのKGIにつきKPIは少なく（5つまで）。",
    ),
    t(
        "Actuals sheet: one row per ID, one column per month; enter the figure at each month's end. Add month columns to the right as the year goes on.",
        "実績推移: 1行に1指標、1列に1か月。各月末時点の数値を入れます。月が進んだら右に列を足します。",
    ),
    t(
        "The rows B, B1, B2, B3 and B3a are an example (annual sales of 100,000,000 JPY from repeat sales, new sales and negotiations): replace them with your own.",
        "B、B1、B2、B3、B3a の行は記入例です（年間売上1億円を、リピート売上・新規売上・商談数で支える例）。自社の目標に置き換えてください。",
    ),
    t(
        "Dark headers are required, light ones optional. Point at a header for what it means and an example; Direction, Frequency, Rollup and Type have drop-down lists.",
        "濃い色の見出しは必須、薄い色は任意です。見出しにカーソルを合わせると説明と例が出ます。方向・測定頻度・集計・種別はリストから選べます。",
    ),
    t(
        "Then run:  kpi-report run <this file>.xlsx  — the reports are written to the reports folder. A monthly job adds --as-of prev-month-end.",
        "次のコマンドで実行します:  kpi-report run <このファイル>.xlsx  — レポートは reports フォルダに書き出されます。毎月の定期実行では --as-of prev-month-end を付けます。",
    ),
];

/// The Guide sheet: the steps, then every column of every sheet with its hint.
fn write_guide_sheet(
    worksheet: &mut Worksheet,
    styles: &Styles,
    names: [&str; 4],
    fy: FiscalYear,
    lang: Lang,
) -> Result<(), XlsxError> {
    worksheet.write_string_with_format(
        0,
        0,
        lang.pick(
            "kpi-report input workbook: how to fill it in",
            "kpi-report 入力ブック: 記入のしかた",
        ),
        &styles.guide_title,
    )?;
    worksheet.set_row_height(0, 24)?;
    let mut row = 2u32;
    for (number, step) in (1..).zip(GUIDE_STEPS) {
        let text = step.get(lang);
        worksheet.write_string_with_format(row, 0, format!("{number}."), &styles.guide_step)?;
        worksheet.merge_range(row, 1, row, 5, text, &styles.guide_step)?;
        // A merged cell does not grow to its wrapped text: size the row from the text.
        let lines = text.width().div_ceil(GUIDE_TEXT_WIDTH).max(1);
        worksheet.set_row_height(row, 15.0 * lines as f64 + 2.0)?;
        row += 1;
    }
    row += 1;
    let headings = [
        lang.pick("Sheet", "シート"),
        lang.pick("Column", "列"),
        lang.pick("Required", "必須"),
        lang.pick("What it means", "意味"),
        lang.pick("Example", "例"),
        lang.pick("Choices", "選択肢"),
    ];
    for (col, heading) in (0u16..).zip(headings) {
        worksheet.write_string_with_format(row, col, heading, &styles.guide_heading)?;
    }
    row += 1;
    let required = |yes: bool| {
        if yes {
            lang.pick("yes", "○")
        } else {
            ""
        }
    };
    for (sheet, columns) in [(names[1], &KGI_COLUMNS[..]), (names[2], &KPI_COLUMNS[..])] {
        for spec in columns {
            let choices = match spec.input {
                Input::Choice(words) => choice_list(words, lang),
                _ => String::new(),
            };
            let cells = [
                sheet.to_string(),
                spec.header.get(lang).to_string(),
                required(spec.required).to_string(),
                spec.hint.get(lang).to_string(),
                example_text(spec.example, fy, lang),
                choices,
            ];
            write_guide_row(worksheet, styles, row, &cells)?;
            row += 1;
        }
    }
    let actuals = [
        (
            lang.pick("ID", "コード"),
            true,
            ACTUALS_ID_HINT,
            "B1".to_string(),
        ),
        (
            lang.pick("Name", "指標名"),
            false,
            ACTUALS_NAME_HINT,
            String::new(),
        ),
        (
            lang.pick("(months)", "（各月）"),
            false,
            ACTUALS_MONTH_HINT,
            date_text(fy.start, lang),
        ),
    ];
    for (header, is_required, hint, example) in actuals {
        let cells = [
            names[3].to_string(),
            header.to_string(),
            required(is_required).to_string(),
            hint.get(lang).to_string(),
            example,
            String::new(),
        ];
        write_guide_row(worksheet, styles, row, &cells)?;
        row += 1;
    }
    for (col, width) in (0u16..).zip(GUIDE_TABLE_WIDTHS) {
        worksheet.set_column_width(col, width as f64)?;
    }
    print_setup(worksheet);
    Ok(())
}

/// The template workbook as written on `today`: the examples are dated in the fiscal year
/// containing it, with actuals for the months that ended before it.
pub fn template(
    lang: Lang,
    today: NaiveDate,
    fiscal_year_start_month: u32,
) -> Result<Vec<u8>, XlsxError> {
    let fy = FiscalYear::containing(today, fiscal_year_start_month);
    let names = sheet_names(lang);
    let styles = Styles::new(lang);
    let mut workbook = Workbook::new();
    let created = NaiveDateTime::new(fy.start, NaiveTime::MIN);
    workbook.set_properties(
        &DocProperties::new()
            .set_title(lang.pick("KGI/KPI input", "KGI・KPI 入力"))
            .set_comment(lang.pick(
                "Written by kpi-report init. Fill in the KGI, KPI and Actuals sheets.",
                "kpi-report init で作成。KGI一覧・KPI一覧・実績推移に記入してください。",
            ))
            .set_creation_datetime(&created),
    );

    write_guide_sheet(
        workbook.add_worksheet().set_name(names[0])?,
        &styles,
        names,
        fy,
        lang,
    )?;
    let kgi = workbook.add_worksheet().set_name(names[1])?;
    write_metric_sheet(kgi, &styles, &KGI_COLUMNS, &kgi_examples(fy), fy, lang)?;
    let kpi = workbook.add_worksheet().set_name(names[2])?;
    write_metric_sheet(kpi, &styles, &KPI_COLUMNS, &kpi_examples(fy), fy, lang)?;
    write_actuals_sheet(
        workbook.add_worksheet().set_name(names[3])?,
        &styles,
        fy,
        today,
        lang,
    )?;
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests;
