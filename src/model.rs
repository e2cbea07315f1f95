//! The domain: a goal set of KGIs, KPIs and KDIs as read from one workbook, with their
//! measurements. Nothing here knows about cells or files beyond a [`Location`] to point back at.

use chrono::NaiveDate;
use serde::Serialize;

use crate::text::normalize_key;

/// Which way is better for a metric: reach a higher or a lower target, or (v2) stay at or
/// above a floor, or at or below a ceiling, throughout the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    #[default]
    Increase,
    Decrease,
    /// A floor: a margin or an NPS that must not fall below the target.
    StayAbove,
    /// A ceiling: a cost budget that must not be exceeded.
    StayBelow,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Increase => "increase",
            Direction::Decrease => "decrease",
            Direction::StayAbove => "stay_above",
            Direction::StayBelow => "stay_below",
        }
    }

    /// True for stay_above and stay_below: a limit to keep, not a value to reach.
    pub fn is_limit(self) -> bool {
        matches!(self, Direction::StayAbove | Direction::StayBelow)
    }

    /// True when a higher value is the better one (increase, stay_above).
    pub fn higher_is_better(self) -> bool {
        matches!(self, Direction::Increase | Direction::StayAbove)
    }
}

/// (v2) What a metric's values mean over time, and so what its actual is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Aggregation {
    /// Each value is the level at its date (a stock, a balance): the actual is the latest.
    #[default]
    Last,
    /// Each value is the amount of its period (a flow): the actual is their total so far.
    Sum,
    /// The actual is the mean of the values so far.
    Average,
}

impl Aggregation {
    pub fn as_str(self) -> &'static str {
        match self {
            Aggregation::Last => "last",
            Aggregation::Sum => "sum",
            Aggregation::Average => "average",
        }
    }
}

/// (v2) How the value expected at the deadline (着地見込み) is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ForecastMethod {
    /// `run_rate` for a `sum` metric with a plan, else `trend`.
    #[default]
    Auto,
    /// The least-squares line through the (cumulative) values, with fallbacks.
    Trend,
    /// The rest of the plan at the attainment so far.
    RunRate,
    /// The rest of the plan as planned.
    Plan,
    /// The mean of the last three periods, for each period left.
    Average3,
}

impl ForecastMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            ForecastMethod::Auto => "auto",
            ForecastMethod::Trend => "trend",
            ForecastMethod::RunRate => "run_rate",
            ForecastMethod::Plan => "plan",
            ForecastMethod::Average3 => "average3",
        }
    }
}

/// How often a metric is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Frequency {
    Daily,
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
}

impl Frequency {
    /// Length of one measurement interval in calendar days.
    pub fn interval_days(self) -> f64 {
        match self {
            Frequency::Daily => 1.0,
            Frequency::Weekly => 7.0,
            Frequency::Monthly => 365.25 / 12.0,
            Frequency::Quarterly => 365.25 / 4.0,
            Frequency::Yearly => 365.25,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
            Frequency::Monthly => "monthly",
            Frequency::Quarterly => "quarterly",
            Frequency::Yearly => "yearly",
        }
    }
}

/// How a parent without its own actual is computed from its children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rollup {
    #[default]
    Weighted,
    Sum,
}

/// KGI (final goal), KPI (intermediate indicator) or KDI (action).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Kgi,
    Kpi,
    Kdi,
}

/// Where a metric stands, the first rule that applies winning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// (v2) No target and no plan: tracked only (W19).
    NoTarget,
    NoData,
    Achieved,
    NotStarted,
    Overdue,
    OnTrack,
    AtRisk,
    OffTrack,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NoTarget => "no_target",
            Status::NoData => "no_data",
            Status::Achieved => "achieved",
            Status::NotStarted => "not_started",
            Status::Overdue => "overdue",
            Status::OnTrack => "on_track",
            Status::AtRisk => "at_risk",
            Status::OffTrack => "off_track",
        }
    }

    /// The label shown to readers (a word, so status never relies on colour alone).
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Status::NoTarget => lang.pick("No target", "目標未設定"),
            Status::NoData => lang.pick("No data", "データなし"),
            Status::Achieved => lang.pick("Achieved", "達成"),
            Status::NotStarted => lang.pick("Not started", "未開始"),
            Status::Overdue => lang.pick("Overdue", "期限超過"),
            Status::OnTrack => lang.pick("On track", "順調"),
            Status::AtRisk => lang.pick("At risk", "要注意"),
            Status::OffTrack => lang.pick("Off track", "遅れ"),
        }
    }

    /// A symbol that carries the status in plain text and for colour-blind readers.
    pub fn symbol(self) -> &'static str {
        match self {
            Status::NoTarget => "□",
            Status::NoData => "–",
            Status::Achieved => "★",
            Status::NotStarted => "○",
            Status::Overdue => "✕",
            Status::OnTrack => "●",
            Status::AtRisk => "▲",
            Status::OffTrack => "✕",
        }
    }

    /// True for at_risk, off_track and overdue: the statuses that need attention.
    pub fn is_bad(self) -> bool {
        matches!(self, Status::AtRisk | Status::OffTrack | Status::Overdue)
    }
}

/// Report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Ja,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    /// Pick the English or the Japanese text.
    pub fn pick<'a>(self, en: &'a str, ja: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Ja => ja,
        }
    }
}

/// Where something stands: a sheet and a cell (`C7`) or a whole row of the input workbook,
/// or of another file (an export given as a source): a sheet of a workbook, or a line and
/// column of a CSV file (its `sheet` empty).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// The file, when it is not the input the finding is reported for.
    pub file: Option<String>,
    pub sheet: String,
    /// Zero-based row index.
    pub row: Option<u32>,
    /// Zero-based column index; with `row`, a cell.
    pub col: Option<u32>,
}

impl Location {
    pub fn sheet(sheet: &str) -> Self {
        Location {
            file: None,
            sheet: sheet.to_string(),
            row: None,
            col: None,
        }
    }

    pub fn cell(sheet: &str, row: u32, col: u32) -> Self {
        Location {
            file: None,
            sheet: sheet.to_string(),
            row: Some(row),
            col: Some(col),
        }
    }

    pub fn row(sheet: &str, row: u32) -> Self {
        Location {
            file: None,
            sheet: sheet.to_string(),
            row: Some(row),
            col: None,
        }
    }

    /// A line (zero-based) and column of a text file such as a CSV export.
    pub fn line(file: &str, line: u32, col: Option<u32>) -> Self {
        Location {
            file: Some(file.to_string()),
            sheet: String::new(),
            row: Some(line),
            col,
        }
    }

    /// Another file as a whole (a source that cannot be used, rows of it no metric takes).
    pub fn text_file(file: &str) -> Self {
        Location {
            file: Some(file.to_string()),
            sheet: String::new(),
            row: None,
            col: None,
        }
    }

    /// Another cell of the same sheet (or field of the same text file).
    pub fn at(&self, row: u32, col: u32) -> Self {
        Location {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            row: Some(row),
            col: Some(col),
        }
    }

    /// The same place in another file.
    pub fn in_file(mut self, file: &str) -> Self {
        self.file = Some(file.to_string());
        self
    }

    /// `KPI!C7`, `KPI!7:7` for a row, `KPI` for a sheet, empty for the file itself; in
    /// another workbook `[costs.xlsx]KPI!C7`; in a text file `export.csv line 12, column 3`.
    pub fn reference(&self) -> String {
        if self.sheet.is_empty() {
            if let Some(file) = &self.file {
                // A CSV input names its lines without its own name (findings start with it).
                let name = if file.is_empty() {
                    String::new()
                } else {
                    format!("{file} ")
                };
                return match (self.row, self.col) {
                    (Some(r), Some(c)) => format!("{name}line {}, column {}", r + 1, c + 1),
                    (Some(r), None) => format!("{name}line {}", r + 1),
                    _ => file.clone(),
                };
            }
        }
        let sheet = quote_sheet(&self.sheet);
        let place = match (self.row, self.col) {
            (Some(r), Some(c)) => format!("{sheet}!{}{}", column_letters(c), r + 1),
            (Some(r), None) => format!("{sheet}!{}:{}", r + 1, r + 1),
            _ => sheet,
        };
        match &self.file {
            Some(file) => format!("[{file}]{place}"),
            None => place,
        }
    }
}

/// Quote a sheet name the way Excel does when it has spaces or punctuation.
fn quote_sheet(name: &str) -> String {
    let plain = name
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '.');
    if plain {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// Zero-based column index to Excel letters: 0 -> A, 26 -> AA.
pub fn column_letters(col: u32) -> String {
    let mut n = col as u64 + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// One dated (or undated) value of a metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measurement {
    /// `None` for an undated `actual` cell: it counts as measured on the as-of date.
    pub date: Option<NaiveDate>,
    pub value: f64,
    pub source: Source,
}

impl Measurement {
    /// True for the metric's own `actual` cell, false for a measurement table's entry.
    pub fn from_cell(&self) -> bool {
        self.source == Source::ActualCell
    }
}

/// Where a measurement was read, compactly (a large Actuals sheet holds many).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The metric's own `actual` cell (its row is the metric's location).
    ActualCell,
    /// A cell of a measurement table, `GoalSet::tables[table]`, at a zero-based row and
    /// column (for a CSV export, its line and column).
    Table { table: u16, row: u32, col: u32 },
}

/// (v2) One value of a metric's plan (a phased budget): the value due at the end of the
/// period that ends on `date` — the amount of that period for a `sum` metric, the level
/// planned for that date otherwise.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlanValue {
    pub date: NaiveDate,
    pub value: f64,
    pub source: Source,
}

/// Optional fields of a metric row, by the column they were read from, so that checks can
/// point at the exact cell (an empty owner cell, a deadline cell).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Id,
    Name,
    Parent,
    Target,
    Actual,
    Measured,
    Baseline,
    Unit,
    Direction,
    Start,
    Deadline,
    Owner,
    Frequency,
    Weight,
    Rollup,
    Type,
    /// (v2) How the values add up over time.
    Aggregation,
    /// (v2) How the forecast is computed.
    ForecastMethod,
    /// (v2) The keys it collects in exports (SPEC 9).
    Source,
}

impl Field {
    pub const ALL: [Field; 19] = [
        Field::Id,
        Field::Name,
        Field::Parent,
        Field::Target,
        Field::Actual,
        Field::Measured,
        Field::Baseline,
        Field::Unit,
        Field::Direction,
        Field::Start,
        Field::Deadline,
        Field::Owner,
        Field::Frequency,
        Field::Weight,
        Field::Rollup,
        Field::Type,
        Field::Aggregation,
        Field::ForecastMethod,
        Field::Source,
    ];

    /// The key used for this field in the config's extra column names.
    pub fn key(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Name => "name",
            Field::Parent => "parent",
            Field::Target => "target",
            Field::Actual => "actual",
            Field::Measured => "measured",
            Field::Baseline => "baseline",
            Field::Unit => "unit",
            Field::Direction => "direction",
            Field::Start => "start",
            Field::Deadline => "deadline",
            Field::Owner => "owner",
            Field::Frequency => "frequency",
            Field::Weight => "weight",
            Field::Rollup => "rollup",
            Field::Type => "type",
            Field::Aggregation => "aggregation",
            Field::ForecastMethod => "forecast_method",
            Field::Source => "source",
        }
    }
}

/// What a unit means for the figures: decided once, when the unit is read, so every output
/// shows a metric's values the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// `%`, `％`, `percent`, `pct`, `パーセント`: the values are fractions (12.5% is 0.125).
    Percent,
    /// A currency (円, 万円, JPY, USD, $, €…).
    Currency,
    /// Anything else: counts (件, 社, deals) and measures.
    Other,
}

/// A metric's unit as written in the workbook, with its meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    text: String,
    kind: UnitKind,
}

impl Unit {
    /// The unit of a cell's text; `None` when it is blank.
    pub fn new(text: &str) -> Option<Unit> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let key = normalize_key(text);
        let kind = if matches!(key.as_str(), "%" | "percent" | "pct" | "パーセント") {
            UnitKind::Percent
        } else if CURRENCY_MARKS.iter().any(|c| key.contains(c)) {
            UnitKind::Currency
        } else {
            UnitKind::Other
        };
        Some(Unit {
            text: text.to_string(),
            kind,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn kind(&self) -> UnitKind {
        self.kind
    }

    pub fn is_percent(&self) -> bool {
        self.kind == UnitKind::Percent
    }

    /// The unit as compared between metrics (a `sum` parent adds children in its unit).
    pub fn key(&self) -> String {
        normalize_key(&self.text)
    }
}

impl std::ops::Deref for Unit {
    type Target = str;

    fn deref(&self) -> &str {
        &self.text
    }
}

impl Serialize for Unit {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

/// Currency names and marks, as normalised keys (a unit containing one is a currency).
const CURRENCY_MARKS: [&str; 16] = [
    "円",
    "jpy",
    "¥",
    "usd",
    "$",
    "eur",
    "€",
    "£",
    "gbp",
    "ドル",
    "ユーロ",
    "cny",
    "rmb",
    "krw",
    "₩",
    "yen",
];

/// One KGI, KPI or KDI row as read from the workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    pub id: String,
    pub name: String,
    pub kind: Kind,
    /// Parent id; `None` for KGIs and for KPIs not linked to anything.
    pub parent: Option<String>,
    pub unit: Option<Unit>,
    pub direction: Direction,
    /// (v2) `None` for a metric tracked without a target (no target cell and no plan):
    /// status `no_target`, W19.
    pub target: Option<f64>,
    pub baseline: Option<f64>,
    pub start: Option<NaiveDate>,
    pub deadline: Option<NaiveDate>,
    pub owner: Option<String>,
    pub frequency: Option<Frequency>,
    pub weight: f64,
    pub rollup: Rollup,
    /// (v2) How its values add up over time; `None` takes the config's default.
    pub aggregation: Option<Aggregation>,
    /// (v2) How its forecast is computed; `None` takes the config's method.
    pub forecast_method: Option<ForecastMethod>,
    /// (v2) The keys it collects in exports, as its `source` cell lists them (SPEC 9);
    /// empty: the key equal to its id or its name.
    pub source: Vec<String>,
    /// (v2) Its phased plan (Plan sheet), in input order; empty without one.
    pub plan: Vec<PlanValue>,
    /// The `actual` cell (with its `measured` date) and the Actuals sheet entries, in input
    /// order. Filtering by as-of date happens in the analysis.
    pub measurements: Vec<Measurement>,
    /// The row this metric was read from (sheet and zero-based row).
    pub location: Location,
    /// Zero-based column of each field present on the sheet.
    pub columns: Vec<(Field, u32)>,
}

impl Metric {
    /// A metric with defaults for everything but id, name, kind and target; for tests and
    /// for building goal sets in code.
    pub fn new(id: &str, name: &str, kind: Kind, target: f64) -> Self {
        Metric {
            id: id.to_string(),
            name: name.to_string(),
            kind,
            parent: None,
            unit: None,
            direction: Direction::Increase,
            target: Some(target),
            baseline: None,
            start: None,
            deadline: None,
            owner: None,
            frequency: None,
            weight: 1.0,
            rollup: Rollup::Weighted,
            aggregation: None,
            forecast_method: None,
            source: Vec::new(),
            plan: Vec::new(),
            measurements: Vec::new(),
            location: Location::default(),
            columns: Vec::new(),
        }
    }

    /// The cell of `field` on this metric's row, or the row itself when the column is absent.
    pub fn cell_of(&self, field: Field) -> Location {
        match (
            self.location.row,
            self.columns.iter().find(|(f, _)| *f == field),
        ) {
            (Some(row), Some((_, col))) => self.location.at(row, *col),
            (Some(row), None) => match self.columns.iter().find(|(f, _)| *f == Field::Id) {
                Some((_, col)) => self.location.at(row, *col),
                None => self.location.clone(),
            },
            _ => self.location.clone(),
        }
    }
}

/// Everything read from one input workbook.
#[derive(Debug, Clone, Default)]
pub struct GoalSet {
    /// The metrics in sheet order: KGIs first, then KPIs/KDIs.
    pub metrics: Vec<Metric>,
    /// The language of the KPI sheet's headers (the default report language).
    pub header_lang: Lang,
    /// The tables read (the Actuals sheet, the Plan sheet, exports), as `Source::Table`
    /// counts them.
    pub tables: Vec<Location>,
}

impl GoalSet {
    /// Where a measurement was read: its table's cell, or `None` for an `actual` cell.
    pub fn source_location(&self, source: Source) -> Option<Location> {
        match source {
            Source::ActualCell => None,
            Source::Table { table, row, col } => {
                let table = self.tables.get(usize::from(table))?;
                let mut location = table.clone();
                location.row = Some(row);
                location.col = Some(col);
                Some(location)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_excel() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn references_quote_sheet_names_with_spaces() {
        assert_eq!(Location::cell("KPI", 6, 2).reference(), "KPI!C7");
        assert_eq!(Location::cell("KPI一覧", 0, 0).reference(), "KPI一覧!A1");
        assert_eq!(Location::row("My KPIs", 4).reference(), "'My KPIs'!5:5");
    }

    #[test]
    fn references_name_another_file_and_csv_lines() {
        assert_eq!(
            Location::cell("実績", 2, 3)
                .in_file("costs.xlsx")
                .reference(),
            "[costs.xlsx]実績!D3"
        );
        assert_eq!(
            Location::line("export.csv", 11, Some(2)).reference(),
            "export.csv line 12, column 3"
        );
        assert_eq!(
            Location::line("export.csv", 0, None).reference(),
            "export.csv line 1"
        );
    }

    #[test]
    fn a_measurement_names_the_cell_it_was_read_from() {
        let goal_set = GoalSet {
            tables: vec![Location::sheet("Actuals")],
            ..GoalSet::default()
        };
        let source = Source::Table {
            table: 0,
            row: 4,
            col: 3,
        };
        assert_eq!(
            goal_set.source_location(source).map(|l| l.reference()),
            Some("Actuals!D5".to_string())
        );
        assert_eq!(goal_set.source_location(Source::ActualCell), None);
        let missing = Source::Table {
            table: 1,
            row: 0,
            col: 0,
        };
        assert_eq!(goal_set.source_location(missing), None);
    }
}
