//! `kpi-report init`: the input workbook a finance user fills in. The KGI, KPI, Actuals and
//! Plan sheets carry headers the reader accepts, the worked BtoB example as rows to replace
//! (monthly sales amounts against a seasonal budget), drop-down lists and date validation, a
//! hint on every header and a Guide sheet, so a new user can start without reading the
//! docs. `kpi-report run` reads the untouched file.
//!
//! The example rows are dated in the fiscal year that contains the day `init` runs (start
//! month from `./kpi-report.toml`, April by default), so the first run shows live figures.

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, NaiveTime};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties,
    ExcelDateTime, Format, FormatAlign, FormatBorder, Note, Workbook, Worksheet, XlsxError,
};
use unicode_width::UnicodeWidthStr;

use crate::contract::{t, Column, SheetRole, Text, ValueType};
use crate::dates;
use crate::model::{Field, Lang};

/// The file name used when PATH is a folder.
pub const DEFAULT_FILE_NAME: &str = "kpi-input.xlsx";

/// Data validation reaches down to this sheet row (Excel's numbering, header in row 1).
pub const VALIDATED_ROWS: u32 = 500;

/// Dates outside this range are typing mistakes, not plans.
const FIRST_VALID_DATE: (u16, u8, u8) = (2000, 1, 1);
const LAST_VALID_DATE: (u16, u8, u8) = (2099, 12, 31);

// The words the example rows use, as the drop-down lists offer them.
const INCREASE: Text = t("increase", "増加");
const STAY_BELOW: Text = t("stay_below", "以下に抑える");
const STAY_ABOVE: Text = t("stay_above", "以上を維持");
const LAST: Text = t("last", "最新値");
const WEEKLY: Text = t("weekly", "週次");
const MONTHLY: Text = t("monthly", "月次");
const SUM: Text = t("sum", "合計");
const KPI: Text = t("KPI", "KPI");
const KDI: Text = t("KDI", "KDI");

/// The example shown in a header's hint.
#[derive(Debug, Clone, Copy)]
enum Example {
    Text(Text),
    FiscalYearStart,
    FiscalYearEnd,
}

/// One column of the KGI or KPI sheet as the template writes it: the contract's entry for
/// the sheet, with the example its hint shows.
#[derive(Debug, Clone)]
struct ColumnSpec {
    field: Field,
    header: Text,
    required: bool,
    input: ValueType,
    choices: Vec<Text>,
    hint: Text,
    example: Example,
}

impl ColumnSpec {
    fn new(role: SheetRole, field: Field, example: Example) -> ColumnSpec {
        let spec = Column::Field(field).spec();
        ColumnSpec {
            field,
            header: spec.header_on(role),
            required: spec.required_on(role),
            input: spec.value,
            choices: match spec.value {
                ValueType::Choice(choices) => choices.offered(),
                _ => Vec::new(),
            },
            hint: spec.hint_on(role),
            example,
        }
    }
}

/// The columns of the KGI sheet, in the template's order, with their examples.
const KGI_COLUMNS: [(Field, Example); 12] = [
    (Field::Id, Example::Text(t("B", "B"))),
    (Field::Name, Example::Text(t("Annual sales", "年間売上高"))),
    (
        Field::Target,
        Example::Text(t("100,000,000", "100,000,000")),
    ),
    (Field::Baseline, Example::Text(t("1,200,000", "1,200,000"))),
    (Field::Unit, Example::Text(t("JPY", "円"))),
    (Field::Direction, Example::Text(INCREASE)),
    (Field::Aggregation, Example::Text(SUM)),
    (Field::Start, Example::FiscalYearStart),
    (Field::Deadline, Example::FiscalYearEnd),
    (Field::Owner, Example::Text(t("Sato", "佐藤"))),
    (Field::Frequency, Example::Text(MONTHLY)),
    (Field::Rollup, Example::Text(SUM)),
];

/// The columns of the KPI sheet, in the template's order, with their examples.
const KPI_COLUMNS: [(Field, Example); 16] = [
    (Field::Id, Example::Text(t("B1", "B1"))),
    (Field::Parent, Example::Text(t("B", "B"))),
    (Field::Type, Example::Text(KPI)),
    (
        Field::Name,
        Example::Text(t("Repeat sales", "リピート売上")),
    ),
    (
        Field::Target,
        Example::Text(t("100,000,000", "100,000,000")),
    ),
    (Field::Baseline, Example::Text(t("1,200,000", "1,200,000"))),
    (Field::Unit, Example::Text(t("JPY", "円"))),
    (Field::Direction, Example::Text(INCREASE)),
    (Field::Aggregation, Example::Text(SUM)),
    (Field::Start, Example::FiscalYearStart),
    (Field::Deadline, Example::FiscalYearEnd),
    (Field::Owner, Example::Text(t("Sato", "佐藤"))),
    (Field::Frequency, Example::Text(MONTHLY)),
    (Field::Weight, Example::Text(t("3", "3"))),
    (Field::Rollup, Example::Text(SUM)),
    // (v2) The keys of exports it collects (--actuals, [[sources]]); empty: its ID or name.
    (Field::Source, Example::Text(t("4110/*", "4110/*"))),
];

fn columns(role: SheetRole, list: &[(Field, Example)]) -> Vec<ColumnSpec> {
    list.iter()
        .map(|(field, example)| ColumnSpec::new(role, *field, *example))
        .collect()
}

/// The Actuals sheet's id and name columns (the months follow).
fn actuals_hint(column: Column) -> Text {
    column.spec().hint_on(SheetRole::Actuals)
}

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

/// The KGIs of the worked example: annual sales of 100,000,000 JPY, summed from its KPIs in
/// yen; and selling expenses held under a budget of 24,000,000 JPY (a ceiling, `stay_below`),
/// summed from its cost line.
fn kgi_examples(fy: FiscalYear) -> Vec<Vec<(Field, Cell)>> {
    let costs = vec![
        (Field::Id, Cell::Text(t("C", "C"))),
        (Field::Name, Cell::Text(t("Selling expenses", "販売費"))),
        (Field::Target, Cell::Number(24_000_000.0)),
        (Field::Unit, Cell::Text(t("JPY", "円"))),
        (Field::Direction, Cell::Text(STAY_BELOW)),
        (Field::Aggregation, Cell::Text(SUM)),
        (Field::Start, Cell::Date(fy.start)),
        (Field::Deadline, Cell::Date(fy.end)),
        (Field::Owner, Cell::Text(t("Kobayashi", "小林"))),
        (Field::Frequency, Cell::Text(MONTHLY)),
        (Field::Rollup, Cell::Text(SUM)),
    ];
    vec![
        vec![
            (Field::Id, Cell::Text(t("B", "B"))),
            (Field::Name, Cell::Text(t("Annual sales", "年間売上高"))),
            (Field::Target, Cell::Number(100_000_000.0)),
            (Field::Unit, Cell::Text(t("JPY", "円"))),
            (Field::Direction, Cell::Text(INCREASE)),
            (Field::Aggregation, Cell::Text(SUM)),
            (Field::Start, Cell::Date(fy.start)),
            (Field::Deadline, Cell::Date(fy.end)),
            (Field::Owner, Cell::Text(t("Sato", "佐藤"))),
            (Field::Frequency, Cell::Text(MONTHLY)),
            (Field::Rollup, Cell::Text(SUM)),
        ],
        costs,
    ]
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
    direction: Text,
    /// `sum` (each value is the amount of its month) or `last` (a level, e.g. a rate).
    aggregation: Text,
    /// False: the deadline is inherited from the parent (shown empty).
    own_deadline: bool,
    /// True: the Plan sheet holds a seasonal monthly budget for it (`SEASON`); false: it
    /// is planned on a straight line from start to deadline.
    budgeted: bool,
    /// The example actuals run at this fraction of the plan, so the first report shows
    /// each status: on track, at risk, off track.
    example_pace: f64,
}

/// The share (in percent) of the year's budget planned for each month of the fiscal year:
/// a seasonal business that sells most at the half-year and year ends. They add up to 100.
const SEASON: [u32; 12] = [6, 7, 8, 8, 6, 10, 8, 8, 11, 6, 7, 15];

/// The KGIs' KPIs: repeat sales 60,000,000 and new sales 40,000,000 JPY add up to the sales
/// KGI (with a seasonal budget on the Plan sheet); 100 negotiations (a count: a driver, not
/// summed into the yen KGI) with the sales calls (a KDI) below, planned on a straight line;
/// a gross margin that must stay at or above 30 % (a floor, a level: `last`); and the
/// advertising budget of 24,000,000 JPY under the expenses KGI (a ceiling, seasonal budget,
/// running over it). The other values are the amount of their month (aggregation `sum`).
/// Start dates are left empty to show inheritance.
const EXAMPLE_KPIS: [ExampleKpi; 6] = [
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
        direction: INCREASE,
        aggregation: SUM,
        own_deadline: true,
        budgeted: true,
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
        direction: INCREASE,
        aggregation: SUM,
        own_deadline: true,
        budgeted: true,
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
        direction: INCREASE,
        aggregation: SUM,
        own_deadline: true,
        budgeted: false,
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
        direction: INCREASE,
        aggregation: SUM,
        own_deadline: false,
        budgeted: false,
        example_pace: 1.05,
    },
    ExampleKpi {
        id: "B4",
        parent: "B",
        kind: KPI,
        name: t("Gross margin", "粗利率"),
        target: 0.30,
        unit: t("%", "%"),
        owner: t("Ito", "伊藤"),
        frequency: MONTHLY,
        weight: Some(1.0),
        direction: STAY_ABOVE,
        aggregation: LAST,
        own_deadline: true,
        budgeted: false,
        example_pace: 1.03,
    },
    ExampleKpi {
        id: "C1",
        parent: "C",
        kind: KPI,
        name: t("Advertising", "広告宣伝費"),
        target: 24_000_000.0,
        unit: t("JPY", "円"),
        owner: t("Yamamoto", "山本"),
        frequency: MONTHLY,
        weight: None,
        direction: STAY_BELOW,
        aggregation: SUM,
        own_deadline: true,
        budgeted: true,
        example_pace: 1.04,
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
                (Field::Direction, Cell::Text(kpi.direction)),
                (Field::Aggregation, Cell::Text(kpi.aggregation)),
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

/// The plan of an example KPI for the month at `index` (0 = the fiscal year's first
/// month): its seasonal share of the target when it is budgeted, a twelfth otherwise, the
/// target itself for a level (`last`).
fn example_plan(kpi: &ExampleKpi, index: usize) -> f64 {
    if kpi.aggregation.en == LAST.en {
        kpi.target
    } else if kpi.budgeted {
        kpi.target * f64::from(SEASON[index % 12]) / 100.0
    } else {
        kpi.target / 12.0
    }
}

/// The Plan sheet's rows: the seasonal monthly budget of the budgeted example KPIs.
fn example_budget() -> Vec<(&'static str, Text, Vec<f64>)> {
    EXAMPLE_KPIS
        .iter()
        .filter(|kpi| kpi.budgeted)
        .map(|kpi| {
            let values = (0..12).map(|i| example_plan(kpi, i)).collect();
            (kpi.id, kpi.name, values)
        })
        .collect()
}

/// The example actuals: the amount of each month that ended before `today`, the month's
/// plan at the KPI's example pace, rounded (the KGI has no row: its rollup is `sum`).
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
            } else if kpi.target < 1.0 {
                0.001
            } else {
                1.0
            };
            let values = (0..ended)
                .map(|month| {
                    let value = example_plan(kpi, month) * kpi.example_pace;
                    if step < 1.0 {
                        (value / step).round() / (1.0 / step)
                    } else {
                        (value / step).round() * step
                    }
                })
                .collect();
            (kpi.id, kpi.name, values)
        })
        .collect()
}

/// Sheet names of the template, as the reader finds them.
pub fn sheet_names(lang: Lang) -> [&'static str; 5] {
    [
        lang.pick("Guide", "使い方"),
        lang.pick("KGI", "KGI一覧"),
        lang.pick("KPI", "KPI一覧"),
        lang.pick("Actuals", "実績推移"),
        lang.pick("Plan", "予算"),
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
    fn column(&self, input: ValueType) -> Option<&Format> {
        match input {
            ValueType::Code => Some(&self.code),
            ValueType::Date | ValueType::Period => Some(&self.date),
            ValueType::Number | ValueType::Text | ValueType::Choice(_) => None,
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
    if !spec.choices.is_empty() {
        lines.push(format!(
            "{}{}",
            lang.pick("Choose: ", "選択肢: "),
            choice_list(&spec.choices, lang)
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
        ValueType::Choice(_) => {
            let words = &spec.choices;
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
        ValueType::Date | ValueType::Period => {
            let (first, last) = valid_date_range()?;
            DataValidation::new()
                .allow_date(DataValidationRule::Between(first, last))
                .set_error_title(lang.pick("Not a date", "日付ではありません"))?
                .set_error_message(lang.pick(
                    "Enter a date between 2000-01-01 and 2099-12-31, for example 2027-03-31.",
                    "2000/1/1〜2099/12/31 の日付を入力してください（例: 2027/3/31）。",
                ))?
        }
        ValueType::Code | ValueType::Text | ValueType::Number => return Ok(None),
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
        shown.extend(spec.choices.iter().map(|w| w.get(lang).to_string()));
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

/// The Actuals or Plan sheet in the wide shape: ID, name, then one column per month of the
/// year, with `rows` (id, name, the values of the first months).
fn write_period_sheet(
    worksheet: &mut Worksheet,
    styles: &Styles,
    role: SheetRole,
    rows: Vec<(&'static str, Text, Vec<f64>)>,
    fy: FiscalYear,
    lang: Lang,
) -> Result<(), XlsxError> {
    let actuals = rows;
    let actuals_hint = |column: Column| column.spec().hint_on(role);
    let id_header = lang.pick("ID", "コード");
    let name_header = lang.pick("Name", "指標名");
    worksheet.write_string_with_format(0, 0, id_header, &styles.header_required)?;
    worksheet.insert_note(
        0,
        0,
        &note(&format!(
            "{id_header}\n{}",
            actuals_hint(Column::Field(Field::Id)).get(lang)
        )),
    )?;
    worksheet.write_string_with_format(0, 1, name_header, &styles.header_optional)?;
    worksheet.insert_note(
        0,
        1,
        &note(&format!(
            "{name_header}\n{}",
            actuals_hint(Column::Field(Field::Name)).get(lang)
        )),
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
    let month_hint = match role {
        SheetRole::Plan => period_plan_hint().get(lang).to_string(),
        _ => actuals_hint(Column::Date).get(lang).to_string(),
    };
    worksheet.insert_note(
        0,
        2,
        &note(&format!(
            "{month_hint}\n{}: {first_month}",
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

/// What a month column of the Plan sheet holds.
fn period_plan_hint() -> Text {
    t(
        "One column per month: the budget of the month. For a sum metric (sales of the month) it is the amount planned for that month, so a seasonal budget is followed month by month; for a last metric, the level planned at the month's end. Fill in the whole year.",
        "1列に1か月。その月の予算です。集計方法が合計の指標（月の売上など）はその月の計画額で、季節変動のある予算を月ごとに追えます。最新値の指標は月末時点の計画水準。1年分を記入します。",
    )
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
const GUIDE_STEPS: [Text; 8] = [
    t(
        "KGI sheet: one row per final goal (Key Goal Indicator): what, how much, by when.",
        "KGI一覧: 最終目標（KGI）を1行に1つ。何を、いくつ、いつまでに。",
    ),
    t(
        "KPI sheet: the indicators that drive a KGI, and KDIs (the actions that drive a KPI). Parent is the ID of the KGI or KPI above. Keep a few KPIs per KGI (5 at most).",
        "KPI一覧: KGIを動かす指標（KPI）と、KPIを動かす行動の指標（KDI）。「親ID」には上位のKGIまたはKPIのコードを入れます。1つのKGIにつきKPIは少なく（5つまで）。",
    ),
    t(
        "Actuals sheet: one row per ID, one column per month. Add month columns to the right as the year goes on.",
        "実績推移: 1行に1指標、1列に1か月。月が進んだら右に列を足します。",
    ),
    t(
        "Aggregation says what a month's value means. sum: the amount of the month (sales, costs, calls); the actual is the total so far and the target is the year's total. last: the level at the month's end (headcount, a balance, a rate); the actual is the latest value. average: the actual is the mean of the months.",
        "集計方法は月の値の意味です。合計: その月の金額・件数（売上、費用、架電数）。実績は累計、目標は年間の合計です。最新値: 月末時点の水準（人数、残高、率）。実績は最新の値です。平均: 実績は各月の平均です。",
    ),
    t(
        "Plan sheet (optional): the monthly budget (予算). Without it the plan is a straight line from start to deadline; with it, the plan to date follows the season, so a busy March is not reported as a shortfall in September. The report shows plan to date, variance (actual minus plan) and attainment (actual / plan).",
        "予算（任意）: 月ごとの予算。ないときは開始日から期限まで一直線の計画とみなします。あれば計画累計が季節変動に沿うので、3月に売上が集中する事業でも9月時点で不足と誤判定しません。レポートには計画累計・差異（実績−計画）・達成率（実績÷計画）が出ます。",
    ),
    t(
        "The rows B, B1, B2, B3, B3a, B4, C and C1 are an example (annual sales of 100,000,000 JPY from repeat sales and new sales with a seasonal budget, driven by negotiations and calls; a gross margin kept at or above 30 %; selling expenses held under a budget of 24,000,000 JPY, its advertising line with a seasonal budget): replace them with your own. Direction: increase or decrease to reach a target; stay_above for a floor (a margin), stay_below for a ceiling (a cost budget).",
        "B、B1、B2、B3、B3a、B4、C、C1 の行は記入例です（年間売上1億円を、季節変動のある予算つきのリピート売上・新規売上と、商談数・架電数で支える例。粗利率は30%以上を維持、販売費は予算2,400万円以下に抑え、その広告宣伝費には月次予算）。自社の目標に置き換えてください。方向: 目標に向けて増やすなら増加、減らすなら減少。下限を守る指標（利益率など）は以上を維持、上限を守る指標（経費予算など）は以下に抑える。",
    ),
    t(
        "Dark headers are required, light ones optional. Point at a header for what it means and an example; Direction, Aggregation, Frequency, Rollup and Type have drop-down lists.",
        "濃い色の見出しは必須、薄い色は任意です。見出しにカーソルを合わせると説明と例が出ます。方向・集計方法・測定頻度・集計・種別はリストから選べます。",
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
    names: [&str; 5],
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
    let sheets = [
        (names[1], columns(SheetRole::Kgi, &KGI_COLUMNS)),
        (names[2], columns(SheetRole::Kpi, &KPI_COLUMNS)),
    ];
    for (sheet, columns) in sheets {
        for spec in &columns {
            let choices = choice_list(&spec.choices, lang);
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
            actuals_hint(Column::Field(Field::Id)),
            "B1".to_string(),
        ),
        (
            lang.pick("Name", "指標名"),
            false,
            actuals_hint(Column::Field(Field::Name)),
            String::new(),
        ),
        (
            lang.pick("(months)", "（各月）"),
            false,
            actuals_hint(Column::Date),
            date_text(fy.start, lang),
        ),
    ];
    let plan = [
        (
            lang.pick("ID", "コード"),
            true,
            Column::Field(Field::Id).spec().hint_on(SheetRole::Plan),
            "B1".to_string(),
        ),
        (
            lang.pick("(months)", "（各月）"),
            false,
            period_plan_hint(),
            date_text(fy.start, lang),
        ),
    ];
    let period_rows = actuals
        .into_iter()
        .map(|row| (names[3], row))
        .chain(plan.into_iter().map(|row| (names[4], row)));
    for (sheet, (header, is_required, hint, example)) in period_rows {
        let cells = [
            sheet.to_string(),
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
                "Written by kpi-report init. Fill in the KGI, KPI, Actuals and Plan sheets.",
                "kpi-report init で作成。KGI一覧・KPI一覧・実績推移・予算に記入してください。",
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
    let kgi_columns = columns(SheetRole::Kgi, &KGI_COLUMNS);
    write_metric_sheet(kgi, &styles, &kgi_columns, &kgi_examples(fy), fy, lang)?;
    let kpi = workbook.add_worksheet().set_name(names[2])?;
    let kpi_columns = columns(SheetRole::Kpi, &KPI_COLUMNS);
    write_metric_sheet(kpi, &styles, &kpi_columns, &kpi_examples(fy), fy, lang)?;
    write_period_sheet(
        workbook.add_worksheet().set_name(names[3])?,
        &styles,
        SheetRole::Actuals,
        example_actuals(fy, today),
        fy,
        lang,
    )?;
    write_period_sheet(
        workbook.add_worksheet().set_name(names[4])?,
        &styles,
        SheetRole::Plan,
        example_budget(),
        fy,
        lang,
    )?;
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests;
