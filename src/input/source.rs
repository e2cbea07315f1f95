//! Sources (SPEC 9): exports of an accounting system or ERP — CSV in any encoding the
//! [`csv`](super::csv) reader tells, or a workbook — read once per run into sums per key and
//! period, then joined to the metrics of every input.
//!
//! A file is streamed: only the sums are kept (one per key and month), never its rows, so a
//! journal of a million lines takes the memory of its distinct keys and months. Journal lines
//! and department rows with the same key and period add up; the same metric and period from
//! two files is W17 (the later file wins), and rows no metric collects are I02.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use calamine::{Data, Reader};
use chrono::NaiveDate;

use crate::config::{JournalSide, Limits, Settings, SourceConfig, TextEncoding};
use crate::findings::{Finding, Problem};
use crate::model::{
    Aggregation, Direction, Field, GoalSet, Location, Measurement, Metric, PlanValue, Source,
};
use crate::text::normalize_key;

use super::cell;
use super::csv::{self as text_csv, CsvError, Record};
use super::months::FiscalContext;
use super::names::NameTable;
use super::open;
use super::period_table::PeriodTable;
use super::sheet::HEADER_SEARCH_ROWS;
use super::value::parse_number;
use crate::contract::{Column, SheetRole};

/// How a source's table is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Shape {
    /// Long if a date and a value column are found, else wide.
    #[default]
    Auto,
    /// A key, a period and an amount per row (journal lines, ledger exports).
    Long,
    /// A key, then one column per period.
    Wide,
    /// (v2) Periods down the rows: a period column, then one column per metric (read by the
    /// period-table reader; workbooks).
    Rows,
    /// (v2) A 予実 grid: per period a header over 予算/実績… sub-columns; the role's own
    /// sub-column is read (workbooks; `auto` tells one by its sub-header).
    Grid,
}

/// What a source's values are: actuals (measurements) or a plan (the phased budget).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord)]
pub enum SourceRole {
    #[default]
    Actuals,
    Plan,
}

/// What to read from a source's files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceSpec {
    pub role: SourceRole,
    pub shape: Shape,
    /// Columns whose values, joined with `/`, form the key; empty: the id (or name) column.
    pub key: Vec<String>,
    pub date: Option<String>,
    pub value: Option<String>,
    pub encoding: TextEncoding,
    /// Keep only rows whose column holds one of the values.
    pub filter: Vec<(String, Vec<String>)>,
    /// Workbooks: the sheet to read (default the first).
    pub sheet: Option<String>,
    /// Journal exports: the debit side's key columns and amount column.
    pub debit: Option<JournalSide>,
    /// Journal exports: the credit side's key columns and amount column.
    pub credit: Option<JournalSide>,
}

impl SourceSpec {
    pub fn from_config(config: &SourceConfig) -> Self {
        SourceSpec {
            role: match config.role.as_str() {
                "plan" => SourceRole::Plan,
                _ => SourceRole::Actuals,
            },
            shape: match config.shape.as_str() {
                "long" => Shape::Long,
                "wide" => Shape::Wide,
                "rows" => Shape::Rows,
                "grid" => Shape::Grid,
                _ => Shape::Auto,
            },
            key: config.key.clone(),
            date: config.date.clone(),
            value: config.value.clone(),
            encoding: config.encoding,
            filter: config
                .filter
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            sheet: config.sheet.clone(),
            debit: config.debit.clone(),
            credit: config.credit.clone(),
        }
    }

    fn is_journal(&self) -> bool {
        self.debit.is_some() || self.credit.is_some()
    }
}

/// Which amounts of a journal line a key's sums hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord)]
pub enum Side {
    /// One amount per row: not a journal with two sides.
    #[default]
    Single,
    /// 借方: the debit account's amounts (costs, assets bought).
    Debit,
    /// 貸方: the credit account's amounts (sales).
    Credit,
}

impl Side {
    fn index(self) -> usize {
        match self {
            Side::Single => 0,
            Side::Debit => 1,
            Side::Credit => 2,
        }
    }
}

/// The sums of one key in one period: the total of its rows, and the first and the last
/// row's value with its cell (a `last` or `average` metric takes the later row: W12).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PeriodSum {
    pub sum: f64,
    pub rows: u32,
    pub first: (f64, (u32, u32)),
    pub last: (f64, (u32, u32)),
}

impl PeriodSum {
    pub fn new(value: f64, cell: (u32, u32)) -> Self {
        PeriodSum {
            sum: value,
            rows: 1,
            first: (value, cell),
            last: (value, cell),
        }
    }
}

/// The sums of one key in one file: per period (a month's last day), and its row count.
#[derive(Debug, Clone, PartialEq)]
pub struct KeySums {
    pub key: String,
    /// In a journal export, the side whose amounts these are.
    pub side: Side,
    pub rows: u64,
    pub periods: BTreeMap<NaiveDate, PeriodSum>,
}

/// One file of a source, read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceTable {
    /// The file as named in findings.
    pub name: String,
    /// Actuals or plan values.
    pub role: SourceRole,
    /// Where its values stand: the file (a CSV's lines) or a sheet of the workbook.
    pub location: Location,
    pub keys: Vec<KeySums>,
    /// E07 (the file cannot be used) and E04 (unreadable cells) findings, naming the file.
    pub findings: Vec<Finding>,
}

impl SourceTable {
    /// A source file that cannot be used at all.
    pub fn failed(name: &str, problem: Problem, location: Option<Location>) -> Self {
        SourceTable {
            name: name.to_string(),
            role: SourceRole::Actuals,
            location: Location::text_file(name),
            keys: Vec::new(),
            findings: vec![Finding::new(
                problem,
                None,
                Some(location.unwrap_or_else(|| Location::text_file(name))),
            )],
        }
    }
}

/// Headers of key columns in accounting exports, besides the id and name columns.
const KEY_HEADERS: &[&str] = &[
    "勘定科目コード",
    "科目コード",
    "勘定科目",
    "科目",
    "集計キー",
    "集計コード",
    "Account",
    "Account code",
    "Account No",
    "Source",
];
/// Headers of date columns in journal exports, besides those of the Actuals sheet.
const DATE_HEADERS: &[&str] = &[
    "取引日",
    "伝票日付",
    "計上日",
    "取引日付",
    "仕訳日",
    "発生日",
    "Transaction date",
    "Posting date",
    // 勘定奉行's import layout names its columns by item code: CSJS005 is 伝票日付.
    "CSJS005",
];

/// Headers of a journal export's account and amount columns on each side, told apart
/// without a config (freee, マネーフォワード, 勘定奉行's item codes CSJS201/213 and
/// CSJS301/313): codes before names, as for single-amount exports.
const DEBIT_ACCOUNT_HEADERS: &[&str] = &[
    "借方勘定科目コード",
    "借方科目コード",
    "CSJS201",
    "借方勘定科目",
    "借方科目",
    "Debit account",
];
const DEBIT_AMOUNT_HEADERS: &[&str] = &[
    "借方金額",
    "借方金額(円)",
    "借方本体金額",
    "CSJS213",
    "Debit amount",
];
const CREDIT_ACCOUNT_HEADERS: &[&str] = &[
    "貸方勘定科目コード",
    "貸方科目コード",
    "CSJS301",
    "貸方勘定科目",
    "貸方科目",
    "Credit account",
];
const CREDIT_AMOUNT_HEADERS: &[&str] = &[
    "貸方金額",
    "貸方金額(円)",
    "貸方本体金額",
    "CSJS313",
    "Credit amount",
];
/// Headers of amount columns, besides those of the Actuals sheet.
const VALUE_HEADERS: &[&str] = &["金額", "合計金額", "税込金額", "発生金額", "Amount"];

/// How many date texts of one file are remembered with their month.
const MAX_CACHED_DATES: usize = 50_000;

/// How many unreadable cells of one file are reported one by one.
const MAX_CELL_FINDINGS: usize = 100;

/// Where the columns stand, decided from the header row.
#[derive(Debug, Clone, PartialEq)]
struct Layout {
    /// `None` for a file without a header row (every column named by position).
    header_row: Option<u32>,
    keys: Vec<u32>,
    /// Long shape: the date and value columns.
    long: Option<(u32, u32)>,
    /// Wide shape: the period columns.
    periods: Vec<(u32, NaiveDate)>,
    filters: Vec<(u32, Vec<String>)>,
    /// A journal export: each line gives an amount to a debit key and to a credit key.
    journal: Option<Journal>,
}

/// Where a journal export's columns stand.
#[derive(Debug, Clone, PartialEq)]
struct Journal {
    date: u32,
    sides: Vec<SideColumns>,
}

/// A journal side, its key columns and its amount column.
type SideColumns = (Side, Vec<u32>, u32);

/// The columns of a journal's sides as `find` locates them, or the names it cannot find.
fn journal_sides(
    spec: &SourceSpec,
    find: impl Fn(&str) -> Option<u32>,
) -> Result<Vec<SideColumns>, Vec<String>> {
    let mut missing = Vec::new();
    let mut sides = Vec::new();
    for (side, wanted) in [(Side::Debit, &spec.debit), (Side::Credit, &spec.credit)] {
        let Some(wanted) = wanted else { continue };
        let mut keys = Vec::new();
        for name in wanted.key.iter().chain([&wanted.amount]) {
            match find(name) {
                Some(c) => keys.push(c),
                None => missing.push(name.clone()),
            }
        }
        if let Some(amount) = keys.pop().filter(|_| missing.is_empty()) {
            sides.push((side, keys, amount));
        }
    }
    if missing.is_empty() {
        Ok(sides)
    } else {
        Err(missing)
    }
}

/// The config's `where` columns as `find` locates them, or the names it cannot find.
fn filter_columns(
    spec: &SourceSpec,
    find: impl Fn(&str) -> Option<u32>,
) -> Result<Vec<(u32, Vec<String>)>, Vec<String>> {
    let mut missing = Vec::new();
    let mut filters = Vec::new();
    for (column, values) in &spec.filter {
        match find(column) {
            Some(c) => filters.push((c, values.iter().map(|v| normalize_key(v)).collect())),
            None => missing.push(column.clone()),
        }
    }
    if missing.is_empty() {
        Ok(filters)
    } else {
        Err(missing)
    }
}

/// A column named by its position, `#4` (1-based): for exports without a header row, such as
/// 弥生会計's import format.
fn position(name: &str) -> Option<u32> {
    let digits = name.trim().strip_prefix('#')?;
    digits.parse::<u32>().ok()?.checked_sub(1)
}

/// The layout of a file whose columns are all named by position: no header row.
fn positional_layout(spec: &SourceSpec) -> Option<Layout> {
    if spec.shape == Shape::Wide || (spec.key.is_empty() && !spec.is_journal()) {
        return None;
    }
    let date = position(spec.date.as_deref()?)?;
    let filters = filter_columns(spec, position).ok()?;
    if spec.is_journal() {
        let sides = journal_sides(spec, position).ok()?;
        return Some(Layout {
            header_row: None,
            keys: Vec::new(),
            long: None,
            periods: Vec::new(),
            filters,
            journal: Some(Journal { date, sides }),
        });
    }
    let keys: Vec<u32> = spec
        .key
        .iter()
        .map(|k| position(k))
        .collect::<Option<_>>()?;
    let value = position(spec.value.as_deref()?)?;
    Some(Layout {
        header_row: None,
        keys,
        long: Some((date, value)),
        periods: Vec::new(),
        filters,
        journal: None,
    })
}

/// A journal layout on a header row: the config's debit and credit columns, or (without a
/// config naming any key) debit and credit account and amount headers found on the row.
/// `None` when the row is not read as a journal; `Err` names what the config's is missing.
fn journal_layout(
    row: u32,
    cells: &[(u32, String)],
    spec: &SourceSpec,
    names: &NameTable,
) -> Option<Result<Layout, Vec<String>>> {
    let find = |wanted: &str| {
        cells
            .iter()
            .find(|(_, t)| header_is(t, wanted))
            .map(|(c, _)| *c)
    };
    let find_in = |list: &[&str]| list.iter().find_map(|w| find(w));
    let sides = if spec.is_journal() {
        journal_sides(spec, find)
    } else if spec.key.is_empty() && spec.value.is_none() && spec.shape != Shape::Wide {
        let debit = (
            find_in(DEBIT_ACCOUNT_HEADERS),
            find_in(DEBIT_AMOUNT_HEADERS),
        );
        let credit = (
            find_in(CREDIT_ACCOUNT_HEADERS),
            find_in(CREDIT_AMOUNT_HEADERS),
        );
        match (debit, credit) {
            ((Some(da), Some(dv)), (Some(ca), Some(cv))) => Ok(vec![
                (Side::Debit, vec![da], dv),
                (Side::Credit, vec![ca], cv),
            ]),
            _ => return None,
        }
    } else {
        return None;
    };
    let date = match &spec.date {
        Some(wanted) => find(wanted).ok_or_else(|| vec![wanted.clone()]),
        None => cells
            .iter()
            .find(|(_, t)| {
                names.column_for_header(SheetRole::Actuals, t) == Some(Column::Date)
                    || header_in(t, DATE_HEADERS)
            })
            .map(|(c, _)| *c)
            .ok_or_else(|| vec![Column::Date.label(crate::model::Lang::En).to_string()]),
    };
    let filters = filter_columns(spec, find);
    Some(match (sides, date, filters) {
        (Ok(sides), Ok(date), Ok(filters)) => Ok(Layout {
            header_row: Some(row),
            keys: Vec::new(),
            long: None,
            periods: Vec::new(),
            filters,
            journal: Some(Journal { date, sides }),
        }),
        (sides, date, filters) => Err([sides.err(), date.err(), filters.err()]
            .into_iter()
            .flatten()
            .flatten()
            .collect()),
    })
}

impl Layout {
    fn is_data(&self, row: u32) -> bool {
        self.header_row.is_none_or(|h| row > h)
    }
}

fn header_is(text: &str, wanted: &str) -> bool {
    let key = normalize_key(text);
    !key.is_empty() && key == normalize_key(wanted)
}

fn header_in(text: &str, list: &[&str]) -> bool {
    list.iter().any(|w| header_is(text, w))
}

/// The layout of a table from the first rows (each a row number and its non-empty cells),
/// or the problem naming what is missing.
/// Whether the first rows of an export are a 予実 grid (a row of periods over a row that
/// names plan and actual sub-columns), told as for a sheet's cells; a long export with both
/// a 予算 and a 実績 column has no row of periods above them: not a grid.
fn looks_like_grid(rows: &[(u32, Vec<(u32, String)>)]) -> bool {
    let cells: Vec<(u32, u32, Data)> = rows
        .iter()
        .flat_map(|(row, cells)| {
            cells
                .iter()
                .map(|(col, text)| (*row, *col, Data::String(text.clone())))
        })
        .collect();
    super::yojitsu_grid::period_row(&cells).is_some()
}

fn find_layout(
    rows: &[(u32, Vec<(u32, String)>)],
    spec: &SourceSpec,
    names: &NameTable,
) -> Result<Layout, Problem> {
    if let Some(layout) = positional_layout(spec) {
        return Ok(layout);
    }
    let mut best: Option<Vec<String>> = None;
    for (row, cells) in rows {
        if let Some(journal) = journal_layout(*row, cells, spec, names) {
            match journal {
                Ok(layout) => return Ok(layout),
                Err(missing) => {
                    if best.as_ref().is_none_or(|b| missing.len() < b.len()) {
                        best = Some(missing);
                    }
                    continue;
                }
            }
        }
        let find = |wanted: &str| {
            cells
                .iter()
                .find(|(_, t)| header_is(t, wanted))
                .map(|(c, _)| *c)
        };
        let mut missing: Vec<String> = Vec::new();
        let keys: Vec<u32> = if spec.key.is_empty() {
            let by = |column: Column, role: SheetRole| {
                cells
                    .iter()
                    .find(|(_, t)| names.column_for_header(role, t) == Some(column))
                    .map(|(c, _)| *c)
            };
            let key = by(Column::Field(Field::Id), SheetRole::Actuals)
                .or_else(|| {
                    cells
                        .iter()
                        .find(|(_, t)| header_in(t, KEY_HEADERS))
                        .map(|(c, _)| *c)
                })
                .or_else(|| by(Column::Field(Field::Name), SheetRole::Kpi))
                // (v2) then a key named loosely, as on a period table (`cost_id`).
                .or_else(|| {
                    cells
                        .iter()
                        .find(|(_, t)| super::sheet::is_loose_key_header(t))
                        .map(|(c, _)| *c)
                });
            match key {
                Some(c) => vec![c],
                None => {
                    missing.push("key (ID / Code / 勘定科目コード / Name)".to_string());
                    Vec::new()
                }
            }
        } else {
            spec.key
                .iter()
                .filter_map(|k| {
                    let found = find(k);
                    if found.is_none() {
                        missing.push(k.clone());
                    }
                    found
                })
                .collect()
        };
        let named = |wanted: &Option<String>, column: Column, extra: &[&str]| match wanted {
            Some(w) => find(w).ok_or_else(|| w.clone()),
            None => cells
                .iter()
                .find(|(c, t)| {
                    !keys.contains(c)
                        && (names.column_for_header(SheetRole::Actuals, t) == Some(column)
                            || header_in(t, extra))
                })
                .map(|(c, _)| *c)
                .ok_or_else(|| column.label(crate::model::Lang::En).to_string()),
        };
        let date = named(&spec.date, Column::Date, DATE_HEADERS).or_else(|missing| {
            // (v2) then a date named loosely (`order_date_month`), as on a period table.
            match &spec.date {
                Some(_) => Err(missing),
                None => cells
                    .iter()
                    .find(|(c, t)| !keys.contains(c) && super::sheet::is_loose_date_header(t))
                    .map(|(c, _)| *c)
                    .ok_or(missing),
            }
        });
        let value = named(&spec.value, Column::Value, VALUE_HEADERS);
        let periods: Vec<(u32, NaiveDate)> = cells
            .iter()
            .filter(|(c, _)| !keys.contains(c))
            .filter_map(|(c, t)| cell::period_header(&Data::String(t.clone())).map(|d| (*c, d)))
            .collect();
        let long = match (spec.shape, date, value) {
            (Shape::Wide, _, _) => None,
            (_, Ok(d), Ok(v)) => Some((d, v)),
            (Shape::Long, d, v) => {
                missing.extend(d.err());
                missing.extend(v.err());
                None
            }
            // (`shape = "rows"` is read by `rows_source`, `grid` by the grid reader)
            (Shape::Auto | Shape::Rows | Shape::Grid, d, v) => {
                if periods.is_empty() {
                    missing.extend(d.err());
                    missing.extend(v.err());
                }
                None
            }
        };
        if spec.shape == Shape::Wide && periods.is_empty() {
            missing.push("period columns (2026-04, 2026年4月...)".to_string());
        }
        let filters = filter_columns(spec, find).unwrap_or_else(|names| {
            missing.extend(names);
            Vec::new()
        });
        if missing.is_empty() {
            return Ok(Layout {
                header_row: Some(*row),
                keys,
                long,
                periods: if long.is_some() { Vec::new() } else { periods },
                filters,
                journal: None,
            });
        }
        if best.as_ref().is_none_or(|b| missing.len() < b.len()) {
            best = Some(missing);
        }
    }
    let missing = best.unwrap_or_else(|| vec!["key".to_string()]).join(", ");
    Err(Problem::ExportUnreadable {
        detail: format!(
            "no row within the first 20 names the column(s) {missing}; an export needs a key \
             column (ID, Code, コード, 勘定科目コード, or the config's key), and a date and an \
             amount column (日付, 年月, 月, 金額, Amount...) or one column per month, or for a \
             journal a date and each side's account and amount (借方勘定科目, 借方金額, \
             貸方勘定科目, 貸方金額)"
        ),
    })
}

/// The sums of one file, built row by row.
struct Sums<'a> {
    name: &'a str,
    location: Location,
    limits: &'a Limits,
    /// How a cell is located: a CSV's line and column, or a workbook's sheet and cell.
    locate: &'a dyn Fn(u32, u32) -> Location,
    /// The slot of each key, one map per [`Side`].
    index: [HashMap<String, usize>; 3],
    keys: Vec<KeySums>,
    /// Periods of the date texts seen (journals repeat a few hundred dates a million times).
    periods: HashMap<String, Option<NaiveDate>>,
    /// A journal's previous line's period: the lines of a slip after its first may leave
    /// the date empty (勘定奉行, 弥生).
    last_period: Option<NaiveDate>,
    entries: u64,
    findings: Vec<Finding>,
    more_unreadable: u64,
    key: String,
}

impl<'a> Sums<'a> {
    fn new(
        name: &'a str,
        location: Location,
        limits: &'a Limits,
        locate: &'a dyn Fn(u32, u32) -> Location,
    ) -> Self {
        Sums {
            name,
            location,
            limits,
            locate,
            index: Default::default(),
            keys: Vec::new(),
            periods: HashMap::new(),
            last_period: None,
            entries: 0,
            findings: Vec::new(),
            more_unreadable: 0,
            key: String::new(),
        }
    }

    fn unreadable(&mut self, problem: Problem, row: u32, col: u32) {
        if self.findings.len() < MAX_CELL_FINDINGS {
            let location = (self.locate)(row, col);
            self.findings
                .push(Finding::new(problem, None, Some(location)));
        } else {
            self.more_unreadable += 1;
        }
    }

    /// Add one data row; `get(col)` is the text of a cell. `Err` stops the file (a limit).
    fn row<'t>(
        &mut self,
        layout: &Layout,
        row: u32,
        get: impl Fn(u32) -> Option<&'t str>,
    ) -> Result<(), Problem> {
        for (col, allowed) in &layout.filters {
            let text = get(*col).map(normalize_key).unwrap_or_default();
            if !allowed.contains(&text) {
                return Ok(());
            }
        }
        if let Some(journal) = &layout.journal {
            return self.journal_row(journal, row, &get);
        }
        if !self.build_key(&layout.keys, &get) {
            return Ok(());
        }
        let slot = self.slot(Side::Single);
        match layout.long {
            Some((date_col, value_col)) => {
                let Some(value) = self.value(&get, row, value_col) else {
                    return Ok(());
                };
                let Some(period) = self.period(&get, row, date_col) else {
                    return Ok(());
                };
                self.add(slot, period, value, (row, value_col))?;
                self.keys[slot].rows += 1;
            }
            None => {
                let mut counted = false;
                for (col, period) in &layout.periods {
                    if let Some(value) = self.value(&get, row, *col) {
                        self.add(slot, *period, value, (row, *col))?;
                        counted = true;
                    }
                }
                if counted {
                    self.keys[slot].rows += 1;
                }
            }
        }
        Ok(())
    }

    /// One journal line: its debit amount to the debit key, its credit amount to the
    /// credit key (a side without an account or an amount gives nothing).
    fn journal_row<'t>(
        &mut self,
        journal: &Journal,
        row: u32,
        get: &impl Fn(u32) -> Option<&'t str>,
    ) -> Result<(), Problem> {
        let dated = get(journal.date).is_some_and(|t| !t.trim().is_empty());
        let period = match self.last_period {
            Some(previous) if !dated => previous,
            _ => match self.period(get, row, journal.date) {
                Some(period) => period,
                None => return Ok(()),
            },
        };
        self.last_period = Some(period);
        for (side, keys, amount) in &journal.sides {
            if !self.build_key(keys, get) {
                continue;
            }
            let Some(value) = self.value(get, row, *amount) else {
                continue;
            };
            let slot = self.slot(*side);
            self.add(slot, period, value, (row, *amount))?;
            self.keys[slot].rows += 1;
        }
        Ok(())
    }

    /// The key of a row into `self.key`: the cells of `cols` joined with `/`; false when
    /// they are all empty.
    fn build_key<'t>(&mut self, cols: &[u32], get: &impl Fn(u32) -> Option<&'t str>) -> bool {
        self.key.clear();
        let mut any = false;
        for (i, col) in cols.iter().enumerate() {
            if i > 0 {
                self.key.push('/');
            }
            let part = get(*col).map(str::trim).unwrap_or("");
            any |= !part.is_empty();
            self.key.push_str(part);
        }
        any
    }

    /// The slot of `self.key` on `side`, made on first sight.
    fn slot(&mut self, side: Side) -> usize {
        let index = &mut self.index[side.index()];
        match index.get(self.key.as_str()) {
            Some(i) => *i,
            None => {
                let i = self.keys.len();
                index.insert(self.key.clone(), i);
                self.keys.push(KeySums {
                    key: self.key.clone(),
                    side,
                    rows: 0,
                    periods: BTreeMap::new(),
                });
                i
            }
        }
    }

    /// The period (a month's last day) of a date cell; `None` (and E04) when unreadable.
    fn period<'t>(
        &mut self,
        get: &impl Fn(u32) -> Option<&'t str>,
        row: u32,
        date_col: u32,
    ) -> Option<NaiveDate> {
        let Some(date_text) = get(date_col) else {
            let problem = Problem::UnreadableDate {
                field: Column::Date,
                raw: String::new(),
            };
            self.unreadable(problem, row, date_col);
            return None;
        };
        let period = match self.periods.get(date_text) {
            Some(p) => *p,
            None => {
                let data = Data::String(date_text.to_string());
                let period = cell::period(&data, Column::Date)
                    .ok()
                    .flatten()
                    .map(crate::dates::month_end);
                // Bounded: a file of all-different date texts must not grow it.
                if self.periods.len() >= MAX_CACHED_DATES {
                    self.periods.clear();
                }
                self.periods.insert(date_text.to_string(), period);
                period
            }
        };
        if period.is_none() {
            let problem = Problem::UnreadableDate {
                field: Column::Date,
                raw: crate::text::shorten(date_text, 60),
            };
            self.unreadable(problem, row, date_col);
        }
        period
    }

    fn value<'t>(
        &mut self,
        get: &impl Fn(u32) -> Option<&'t str>,
        row: u32,
        col: u32,
    ) -> Option<f64> {
        let text = get(col)?.trim();
        if text.is_empty() {
            return None;
        }
        match amount(text) {
            Some(v) => Some(v),
            None => {
                let problem = Problem::UnreadableNumber {
                    field: Column::Value,
                    raw: crate::text::shorten(text, 60),
                };
                self.unreadable(problem, row, col);
                None
            }
        }
    }

    fn add(
        &mut self,
        slot: usize,
        period: NaiveDate,
        value: f64,
        cell: (u32, u32),
    ) -> Result<(), Problem> {
        let sums = &mut self.keys[slot];
        match sums.periods.get_mut(&period) {
            Some(sum) => {
                sum.sum += value;
                sum.rows += 1;
                sum.last = (value, cell);
            }
            None => {
                self.entries += 1;
                if self.entries > self.limits.max_cells {
                    return Err(Problem::TooLarge {
                        what: format!(
                            "more than {} sums of keys and months",
                            self.limits.max_cells
                        ),
                        limit: format!("max_cells = {}", self.limits.max_cells),
                    });
                }
                sums.periods.insert(period, PeriodSum::new(value, cell));
            }
        }
        Ok(())
    }

    fn finish(mut self) -> SourceTable {
        if self.more_unreadable > 0 {
            self.findings.push(Finding::new(
                Problem::Unreadable {
                    detail: format!(
                        "{} more unreadable cells after the first {MAX_CELL_FINDINGS}",
                        self.more_unreadable
                    ),
                },
                None,
                Some(Location::text_file(self.name)),
            ));
        }
        SourceTable {
            name: self.name.to_string(),
            role: SourceRole::Actuals,
            location: self.location,
            keys: self.keys,
            findings: self.findings,
        }
    }
}

/// An amount: the forms exports write most (`1234`, `-1234`, `1,234`, `△1,234`, `12.5`)
/// directly, every other form of SPEC 3 through the parser.
fn amount(text: &str) -> Option<f64> {
    simple_amount(text).or_else(|| parse_number(text))
}

/// Digits in groups of three separated by commas (or none), an optional fraction, an optional
/// leading `-`, `△` or `▲`; `None` for anything else (the full parser decides).
fn simple_amount(text: &str) -> Option<f64> {
    let (negative, rest) = match text.strip_prefix(['-', '△', '▲']) {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (integer, fraction) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    if integer.is_empty() || integer.len() > 19 {
        return None;
    }
    let mut value: u64 = 0;
    let mut digits_since_comma = 0usize;
    let mut commas = false;
    for (i, b) in integer.bytes().enumerate() {
        match b {
            b'0'..=b'9' => {
                value = value * 10 + u64::from(b - b'0');
                digits_since_comma += 1;
            }
            b',' if i > 0 && (!commas && digits_since_comma <= 3 || digits_since_comma == 3) => {
                commas = true;
                digits_since_comma = 0;
            }
            _ => return None,
        }
    }
    if commas && digits_since_comma != 3 {
        return None;
    }
    // Beyond 2^53 the integer would not be exact: let the parser round it once.
    if value > (1u64 << 53) {
        return None;
    }
    let mut magnitude = value as f64;
    if let Some(fraction) = fraction {
        if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // One correctly rounded parse of the whole decimal.
        let plain: String = integer.chars().filter(|c| *c != ',').collect();
        magnitude = format!("{plain}.{fraction}").parse::<f64>().ok()?;
    }
    Some(if magnitude == 0.0 {
        0.0
    } else if negative {
        -magnitude
    } else {
        magnitude
    })
}

/// Read one file of a source. Never fails: a file that cannot be used gives a table with its
/// E07 finding, so every input that uses the source reports it.
pub fn read_source(
    path: &Path,
    name: &str,
    spec: &SourceSpec,
    settings: &Settings,
    names: &NameTable,
    as_of: NaiveDate,
) -> SourceTable {
    let limits = &settings.limits;
    let metadata = match std::fs::metadata(path) {
        Ok(m) if m.is_file() => m,
        Ok(_) => {
            let problem = Problem::InputPath {
                detail: "not a file".to_string(),
            };
            return SourceTable::failed(name, problem, None);
        }
        Err(e) => {
            let problem = Problem::InputPath {
                detail: e.to_string(),
            };
            return SourceTable::failed(name, problem, None);
        }
    };
    let max_file = limits.max_file_mb.saturating_mul(1024 * 1024);
    if metadata.len() > max_file {
        let problem = Problem::TooLarge {
            what: format!("{} MB file", metadata.len() / (1024 * 1024)),
            limit: format!("max_file_mb = {}", limits.max_file_mb),
        };
        return SourceTable::failed(name, problem, None);
    }
    if metadata.len() == 0 {
        return SourceTable::failed(name, Problem::EmptyFile, None);
    }
    let mut head = [0u8; 8192];
    let got = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .unwrap_or(0);
    // The year of month headers without one (a 予実 grid's `4月`), as for a sheet.
    let fiscal = FiscalContext {
        start_month: settings.fiscal_year_start_month,
        fiscal_year: settings.fiscal_year,
        file_year: path.file_stem().and_then(|s| s.to_str()).and_then(|stem| {
            super::months::file_name_fiscal_year(stem, settings.fiscal_year_start_month)
        }),
        as_of,
    };
    if open::is_delimited_text(&head[..got]) {
        read_csv_source(path, name, spec, limits, names, fiscal)
    } else {
        read_workbook_source(path, name, spec, limits, names, fiscal)
    }
}

fn read_csv_source(
    path: &Path,
    name: &str,
    spec: &SourceSpec,
    limits: &Limits,
    names: &NameTable,
    fiscal: FiscalContext,
) -> SourceTable {
    if matches!(spec.shape, Shape::Rows | Shape::Grid) {
        return csv_table_source(path, name, spec, limits, names, fiscal);
    }
    let locate = |row: u32, col: u32| Location::line(name, row, Some(col));
    let mut sums = Sums::new(name, Location::text_file(name), limits, &locate);
    let mut head: Vec<(u32, Vec<(u32, String)>)> = Vec::new();
    let mut layout: Option<Layout> = None;
    let result = text_csv::read_records(
        || std::fs::File::open(path),
        spec.encoding,
        |record: &Record| -> Result<(), SourceError> {
            if let Some(layout) = &layout {
                if !layout.is_data(record.row) {
                    return Ok(());
                }
                let mut failed: Option<CsvError> = None;
                let get = |col: u32| record.field(col).unwrap_or_default();
                // A field that is not text in the file's encoding is an error of the file.
                for col in layout.used_columns() {
                    if let Err(e) = record.field(col) {
                        failed = Some(e);
                    }
                }
                if let Some(e) = failed {
                    return Err(SourceError::Csv(e));
                }
                return sums
                    .row(layout, record.row, get)
                    .map_err(SourceError::Limit);
            }
            let mut cells = Vec::new();
            for field in record.fields() {
                let (col, text) = field.map_err(SourceError::Csv)?;
                cells.push((col, text.to_string()));
            }
            head.push((record.row, cells));
            if head.len() >= HEADER_SEARCH_ROWS as usize {
                if spec.shape == Shape::Auto && looks_like_grid(&head) {
                    return Err(SourceError::Grid);
                }
                let found = find_layout(&head, spec, names).map_err(SourceError::Layout)?;
                replay(&mut sums, &found, &head).map_err(SourceError::Limit)?;
                layout = Some(found);
            }
            Ok(())
        },
    );
    let failed = |problem, location| SourceTable::failed(name, problem, location);
    match result {
        Ok(_) => {}
        Err(SourceError::Csv(e)) => {
            let (problem, location) = e.into_problem(name);
            return failed(problem, Some(location));
        }
        Err(SourceError::Layout(problem) | SourceError::Limit(problem)) => {
            return failed(problem, None)
        }
        Err(SourceError::Grid) => {
            return csv_table_source(path, name, spec, limits, names, fiscal);
        }
    }
    if layout.is_none() {
        if spec.shape == Shape::Auto && looks_like_grid(&head) {
            return csv_table_source(path, name, spec, limits, names, fiscal);
        }
        match find_layout(&head, spec, names) {
            Ok(found) => {
                if let Err(problem) = replay(&mut sums, &found, &head) {
                    return failed(problem, None);
                }
            }
            Err(problem) => return failed(problem, None),
        }
    }
    sums.finish()
}

/// Why reading a file stopped.
enum SourceError {
    Csv(CsvError),
    Layout(Problem),
    Limit(Problem),
    /// (v2) Its first rows are a 予実 grid: read by the grid reader instead.
    Grid,
}

impl From<CsvError> for SourceError {
    fn from(e: CsvError) -> Self {
        SourceError::Csv(e)
    }
}

impl Layout {
    fn used_columns(&self) -> Vec<u32> {
        let mut cols: Vec<u32> = self.keys.clone();
        if let Some(journal) = &self.journal {
            cols.push(journal.date);
            for (_, keys, amount) in &journal.sides {
                cols.extend(keys.iter().chain([amount]));
            }
        }
        cols.extend(self.long.map(|(d, v)| [d, v]).into_iter().flatten());
        cols.extend(self.periods.iter().map(|(c, _)| *c));
        cols.extend(self.filters.iter().map(|(c, _)| *c));
        cols
    }
}

/// The data rows among the rows read before the header was found.
fn replay(
    sums: &mut Sums,
    layout: &Layout,
    head: &[(u32, Vec<(u32, String)>)],
) -> Result<(), Problem> {
    for (row, cells) in head.iter().filter(|(r, _)| layout.is_data(*r)) {
        let get = |col: u32| {
            cells
                .iter()
                .find(|(c, _)| *c == col)
                .map(|(_, t)| t.as_str())
        };
        sums.row(layout, *row, get)?;
    }
    Ok(())
}

fn read_workbook_source(
    path: &Path,
    name: &str,
    spec: &SourceSpec,
    limits: &Limits,
    names: &NameTable,
    fiscal: FiscalContext,
) -> SourceTable {
    let failed = |problem| SourceTable::failed(name, problem, None);
    // Checked as a regular file above; read with the bound all the same (it may have grown).
    let bytes = match open::read_file(path, limits) {
        Ok(b) => b,
        Err(problem) => return failed(problem),
    };
    let mut workbook = match open::open_bytes(open::Bytes::from(bytes), limits) {
        Ok(opened) => opened.workbook,
        Err(problem) => return failed(problem),
    };
    let sheets = workbook.sheet_names();
    let sheet = match &spec.sheet {
        Some(wanted) => sheets.iter().find(|s| header_is(s, wanted)).cloned(),
        None => sheets.first().cloned(),
    };
    let Some(sheet) = sheet else {
        return failed(Problem::ExportUnreadable {
            detail: match &spec.sheet {
                Some(wanted) => format!("no sheet named \"{wanted}\""),
                None => "the workbook has no sheet".to_string(),
            },
        });
    };
    let range = match workbook.worksheet_range(&sheet) {
        Ok(range) => range,
        Err(e) => {
            return failed(Problem::Unreadable {
                detail: crate::text::one_line(&e.to_string()),
            })
        }
    };
    let base = Location::sheet(&sheet).in_file(name);
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let cells = || {
        range
            .used_cells()
            .map(move |(r, c, d)| (row0 + r as u32, col0 + c as u32, d.clone()))
    };
    if spec.shape == Shape::Rows {
        return rows_source(name, base, cells(), spec, names, limits);
    }
    // A 予実 grid read as a wide table would take each period's first sub-column (often
    // the 予算) whatever the role: it is read by the grid reader, the role's sub-column only.
    let grid = spec.shape == Shape::Grid
        || (spec.shape == Shape::Auto && {
            let head: Vec<(u32, u32, Data)> = cells()
                .take_while(|(r, _, _)| *r <= HEADER_SEARCH_ROWS)
                .collect();
            super::yojitsu_grid::period_row(&head).is_some()
        });
    if grid {
        return grid_source(name, base, cells(), spec, names, limits, fiscal);
    }
    let locate = |row: u32, col: u32| base.at(row, col);
    let mut sums = Sums::new(name, base.clone(), limits, &locate);
    let rows: Vec<(u32, Vec<(u32, String)>)> = range
        .rows()
        .enumerate()
        .map(|(r, cells)| {
            let row = row0 + r as u32;
            let texts = cells
                .iter()
                .enumerate()
                .filter(|(_, d)| !cell::is_blank(d))
                .map(|(c, d)| (col0 + c as u32, cell_text(d)))
                .collect();
            (row, texts)
        })
        .collect();
    let head_end = rows.len().min(HEADER_SEARCH_ROWS as usize);
    let layout = match find_layout(&rows[..head_end], spec, names) {
        Ok(layout) => layout,
        Err(problem) => return SourceTable::failed(name, problem, Some(base.clone())),
    };
    if let Err(problem) = replay(&mut sums, &layout, &rows) {
        return failed(problem);
    }
    sums.finish()
}

/// (v2) A CSV source with periods down the rows (`shape = "rows"`): its fields as text
/// cells, read by the same reader as a workbook's (findings name the line and column).
fn csv_table_source(
    path: &Path,
    name: &str,
    spec: &SourceSpec,
    limits: &Limits,
    names: &NameTable,
    fiscal: FiscalContext,
) -> SourceTable {
    let mut cells: Vec<(u32, u32, Data)> = Vec::new();
    let result = text_csv::read_records(
        || std::fs::File::open(path),
        spec.encoding,
        |record: &Record| -> Result<(), CsvError> {
            for field in record.fields() {
                let (col, text) = field?;
                if !text.trim().is_empty() {
                    cells.push((record.row, col, Data::String(text.to_string())));
                }
            }
            Ok(())
        },
    );
    if let Err(e) = result {
        let (problem, location) = e.into_problem(name);
        return SourceTable::failed(name, problem, Some(location));
    }
    let base = Location::text_file(name);
    if spec.shape == Shape::Rows {
        return rows_source(name, base, cells.into_iter(), spec, names, limits);
    }
    grid_source(name, base, cells.into_iter(), spec, names, limits, fiscal)
}

/// (v2) A 予実 grid source (a workbook's sheet or a CSV's fields), read by the grid reader
/// of the Actuals and Plan sheets: the source's role takes its own sub-columns only.
fn grid_source(
    name: &str,
    base: Location,
    cells: impl Iterator<Item = (u32, u32, Data)>,
    spec: &SourceSpec,
    names: &NameTable,
    limits: &Limits,
    fiscal: FiscalContext,
) -> SourceTable {
    let role = match spec.role {
        SourceRole::Actuals => SheetRole::Actuals,
        SourceRole::Plan => SheetRole::Plan,
    };
    match super::yojitsu_grid::read_grid_cells(&base.sheet, cells, role, names, limits, fiscal) {
        Ok(table) => table_source(name, base, table, false),
        Err(problem) => SourceTable::failed(name, problem, Some(base)),
    }
}

/// (v2) A source with periods down the rows (a workbook's sheet or a CSV's fields), read
/// by the period-table reader shared with the Actuals and Plan sheets: each metric
/// column's values summed per period.
fn rows_source(
    name: &str,
    base: Location,
    cells: impl Iterator<Item = (u32, u32, Data)>,
    spec: &SourceSpec,
    names: &NameTable,
    limits: &Limits,
) -> SourceTable {
    let table = match super::period_table::read_down_cells(&base.sheet, cells, names, limits) {
        Ok(table) => table,
        Err(problem) => return SourceTable::failed(name, problem, Some(base)),
    };
    table_source(name, base, table, spec.role == SourceRole::Plan)
}

/// A period table read from a source's cells, as the source's sums per key and period. A
/// plan source (`plans`) takes a rows table's `X Target` columns when it has them, else
/// every value (a 予実 grid read for one role holds that role's values only).
fn table_source(name: &str, base: Location, table: PeriodTable, plans: bool) -> SourceTable {
    let values = if plans && !table.plans.is_empty() {
        &table.plans
    } else {
        &table.entries
    };
    let mut keys: Vec<KeySums> = Vec::new();
    // Each key's place in `keys` by its text (rows of one key, even apart, share it): no
    // search through the keys for every value.
    let mut places: HashMap<&str, usize> = HashMap::new();
    for entry in values {
        let key = table.key(entry);
        let i = *places.entry(key).or_insert_with(|| {
            keys.push(KeySums {
                key: key.to_string(),
                side: Side::Single,
                rows: 0,
                periods: BTreeMap::new(),
            });
            keys.len() - 1
        });
        let sums = &mut keys[i];
        sums.rows += 1;
        let cell = (entry.row, entry.col);
        sums.periods
            .entry(entry.date)
            .and_modify(|p| {
                p.sum += entry.value;
                p.rows += 1;
                p.last = (entry.value, cell);
            })
            .or_insert_with(|| PeriodSum::new(entry.value, cell));
    }
    let findings = table
        .findings
        .into_iter()
        .map(|f| match f.location.clone() {
            Some(at) => Finding::new(f.problem.clone(), f.id.as_deref(), Some(at.in_file(name))),
            None => f,
        })
        .collect();
    SourceTable {
        name: name.to_string(),
        role: SourceRole::Actuals,
        location: base,
        keys,
        findings,
    }
}

/// A workbook cell as the text a CSV would hold: numbers plainly, dates as `2026-04-30`.
fn cell_text(data: &Data) -> String {
    match data {
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(d) => d.date().format("%Y-%m-%d").to_string(),
            None => cell::raw_text(data),
        },
        Data::Error(e) => format!("#{e:?}"),
        _ => cell::raw_text(data),
    }
}

/// The keys of a metric's `source` cell: separated by `,` `、` `;` or `+` (full-width forms
/// too), each trimmed; empty parts dropped.
pub fn source_keys(text: &str) -> Vec<String> {
    text.split([',', '、', ';', '+', '，', '；', '＋'])
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_string)
        .collect()
}

/// What a metric takes of a key in a journal export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Take {
    /// Credit less debit (and the amount of a single-amount export): sales less returns.
    CreditLessDebit,
    /// Debit less credit (and the amount of a single-amount export): costs less refunds.
    DebitLessCredit,
    Debit,
    Credit,
}

impl Take {
    /// The net on the metric's natural side: a metric that should rise or stay above a
    /// floor (sales, profit) takes credit − debit; one that should fall or stay under a
    /// ceiling (a cost) takes debit − credit, so a cost account's net is not negative.
    fn net(direction: Direction) -> Self {
        if direction.higher_is_better() {
            Take::CreditLessDebit
        } else {
            Take::DebitLessCredit
        }
    }

    /// The sign a key's sums on `side` take, or `None` when this side is not taken.
    fn sign(self, side: Side) -> Option<f64> {
        match (self, side) {
            (Take::CreditLessDebit, Side::Debit) | (Take::DebitLessCredit, Side::Credit) => {
                Some(-1.0)
            }
            (Take::CreditLessDebit | Take::DebitLessCredit, _)
            | (Take::Debit, Side::Debit)
            | (Take::Credit, Side::Credit) => Some(1.0),
            _ => None,
        }
    }
}

/// A key of a `source` cell: its side prefix (`credit:`, `貸方:`, `debit:`, `借方:`, `net:`,
/// `差額:`) read off (`None` for the net, whose sign the metric's direction decides), the
/// rest normalised; a trailing `*` makes it a prefix.
fn source_pattern(key: &str) -> (Option<Take>, String, bool) {
    let (take, rest) = match key.split_once([':', '：']) {
        Some((side, rest)) => match normalize_key(side).as_str() {
            "credit" | "貸方" | "cr" => (Some(Take::Credit), rest),
            "debit" | "借方" | "dr" => (Some(Take::Debit), rest),
            "net" | "差額" | "差引" | "純額" => (None, rest),
            _ => (None, key),
        },
        None => (None, key),
    };
    let rest = rest.trim();
    match rest.strip_suffix(['*', '＊']) {
        Some(prefix) => (take, normalize_key(prefix), true),
        None => (take, normalize_key(rest), false),
    }
}

/// Which metrics collect which keys: a metric's `source` keys (exact or ending in `*`), and
/// for a metric without a `source` cell the key equal to its id, else its name.
struct Collectors {
    exact: HashMap<String, Vec<(usize, Take)>>,
    prefixes: Vec<(String, usize, Take)>,
}

impl Collectors {
    fn new(metrics: &[Metric]) -> Self {
        let mut exact: HashMap<String, Vec<(usize, Take)>> = HashMap::new();
        let mut prefixes = Vec::new();
        for (i, metric) in metrics.iter().enumerate() {
            let net = Take::net(metric.direction);
            for key in &metric.source {
                match source_pattern(key) {
                    (take, prefix, true) => prefixes.push((prefix, i, take.unwrap_or(net))),
                    (take, key, false) => {
                        exact.entry(key).or_default().push((i, take.unwrap_or(net)))
                    }
                }
            }
        }
        // A key that is one metric's id is not another one's name.
        let mut default: HashMap<String, usize> = HashMap::new();
        let plain = || {
            metrics
                .iter()
                .enumerate()
                .filter(|(_, m)| m.source.is_empty())
        };
        for (i, metric) in plain() {
            default.entry(normalize_key(&metric.id)).or_insert(i);
        }
        for (i, metric) in plain() {
            default.entry(normalize_key(&metric.name)).or_insert(i);
        }
        for (key, i) in default {
            exact
                .entry(key)
                .or_default()
                .push((i, Take::net(metrics[i].direction)));
        }
        Collectors { exact, prefixes }
    }

    /// The metrics that collect `key` on `side`, each once, with the sign it takes.
    fn of(&self, key: &str, side: Side, found: &mut Vec<(usize, f64)>) {
        found.clear();
        let key = normalize_key(key);
        let exact = self.exact.get(&key).into_iter().flatten().copied();
        let prefixed = self
            .prefixes
            .iter()
            .filter(|(prefix, _, _)| key.starts_with(prefix.as_str()))
            .map(|(_, m, take)| (*m, *take));
        for (m, take) in exact.chain(prefixed) {
            if let Some(sign) = take.sign(side) {
                if !found.iter().any(|(seen, _)| *seen == m) {
                    found.push((m, sign));
                }
            }
        }
    }
}

/// What one file gives one metric for one period, over every key the metric collects.
#[derive(Debug, Clone, Copy)]
struct Collected {
    /// Σ of the rows (a `sum` metric's amount).
    total: f64,
    /// Σ of each key's later row, and of its first (a `last`/`average` metric's value, and
    /// the value the later row replaces).
    latest: f64,
    earliest: f64,
    first_cell: (u32, u32),
    last_cell: (u32, u32),
    /// The first and last cell of a key with two rows in the period (W12).
    twice: Option<((u32, u32), (u32, u32))>,
}

impl Collected {
    fn new(p: &PeriodSum) -> Self {
        Collected {
            total: 0.0,
            latest: 0.0,
            earliest: 0.0,
            first_cell: p.first.1,
            last_cell: p.last.1,
            twice: None,
        }
    }

    fn add(&mut self, p: &PeriodSum, sign: f64) {
        self.total += sign * p.sum;
        self.latest += sign * p.last.0;
        self.earliest += sign * p.first.0;
        if p.rows >= 2 && self.twice.is_none() {
            self.twice = Some((p.first.1, p.last.1));
            self.last_cell = p.last.1;
        }
    }

    /// The values a metric takes, in row order, each with its cell: `sum` one amount (the
    /// journal lines added up); `last`/`average` the later row, after the earlier one when a
    /// key has two, so the analysis uses the later and says W12 as for the Actuals sheet.
    fn values(&self, aggregation: Aggregation, role: SourceRole) -> Vec<(f64, (u32, u32))> {
        match (aggregation, self.twice) {
            (Aggregation::Sum, _) => vec![(self.total, self.first_cell)],
            (_, Some((first, later))) if role == SourceRole::Actuals => {
                vec![(self.earliest, first), (self.latest, later)]
            }
            _ => vec![(self.latest, self.last_cell)],
        }
    }
}

/// A metric's values for a period from one file, and the file.
type Taken = (Vec<(f64, (u32, u32))>, usize);

/// Join the sources' sums to the metrics of one goal set, in source order (a later file
/// replaces an earlier one's value for the same metric and period: W17). A metric collects
/// the keys its `source` cell lists (else its id or name); a key may feed several metrics.
/// Rows that no metric collects are I02 per file; the files' own errors are returned for
/// this input too. `default_aggregation` is the config's, for metrics that do not say.
pub fn apply_sources(
    goal_set: &mut GoalSet,
    tables: &[SourceTable],
    default_aggregation: Aggregation,
) -> Vec<Finding> {
    let mut findings: Vec<Finding> = Vec::new();
    let collectors = Collectors::new(&goal_set.metrics);
    // (role, metric, period) -> (values, the file they came from)
    let mut values: BTreeMap<(SourceRole, usize, NaiveDate), Taken> = BTreeMap::new();
    // (metric, first file, second file) -> periods replaced
    let mut overlaps: BTreeMap<(usize, usize, usize), Vec<NaiveDate>> = BTreeMap::new();
    let mut found: Vec<(usize, f64)> = Vec::new();
    for (t, table) in tables.iter().enumerate() {
        findings.extend(table.findings.iter().cloned());
        // Several keys of one file may feed one metric: they add up.
        let mut here: BTreeMap<(usize, NaiveDate), Collected> = BTreeMap::new();
        let (mut rows, mut total, mut unmatched) = (0u64, 0.0f64, Vec::new());
        for sums in &table.keys {
            collectors.of(&sums.key, sums.side, &mut found);
            if found.is_empty() {
                rows += sums.rows;
                total += sums.periods.values().map(|p| p.sum).sum::<f64>();
                if unmatched.len() < 5 {
                    unmatched.push(match sums.side {
                        Side::Single => sums.key.clone(),
                        Side::Debit => format!("debit:{}", sums.key),
                        Side::Credit => format!("credit:{}", sums.key),
                    });
                }
                continue;
            }
            for &(m, sign) in &found {
                for (period, p) in &sums.periods {
                    here.entry((m, *period))
                        .or_insert_with(|| Collected::new(p))
                        .add(p, sign);
                }
            }
        }
        for ((m, period), collected) in here {
            let metric = &goal_set.metrics[m];
            let aggregation = metric.aggregation.unwrap_or(default_aggregation);
            let taken = (collected.values(aggregation, table.role), t);
            if let Some((_, earlier)) = values.insert((table.role, m, period), taken) {
                overlaps.entry((m, earlier, t)).or_default().push(period);
            }
        }
        if rows > 0 {
            let problem = Problem::UnmatchedRows {
                rows,
                total: cell::format_plain_number(total),
                keys: unmatched,
            };
            findings.push(Finding::new(
                problem,
                None,
                Some(Location::text_file(&table.name)),
            ));
        }
    }
    for ((m, first, second), periods) in overlaps {
        let metric = &goal_set.metrics[m];
        let period = periods
            .iter()
            .map(|p| p.format("%Y-%m").to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let problem = Problem::SourceOverlap {
            period,
            first: tables[first].name.clone(),
            second: tables[second].name.clone(),
        };
        findings.push(Finding::new(
            problem,
            Some(&metric.id),
            Some(Location::text_file(&tables[second].name)),
        ));
    }
    // Each file a measurement table of the goal set, for a measurement to point back at.
    let first_table = goal_set.tables.len();
    goal_set
        .tables
        .extend(tables.iter().map(|t| t.location.clone()));
    for ((role, m, period), (taken, t)) in values {
        let table = u16::try_from(first_table + t).unwrap_or(u16::MAX);
        let metric = &mut goal_set.metrics[m];
        let source = |(row, col)| Source::Table { table, row, col };
        match role {
            SourceRole::Actuals => {
                // A value from a source replaces the Actuals sheet's for the same period.
                metric
                    .measurements
                    .retain(|x| x.from_cell() || x.date != Some(period));
                metric
                    .measurements
                    .extend(taken.into_iter().map(|(value, cell)| Measurement {
                        date: Some(period),
                        value,
                        source: source(cell),
                    }));
            }
            SourceRole::Plan => {
                // And one replaces the Plan sheet's value for the same period.
                metric.plan.retain(|x| x.date != period);
                metric
                    .plan
                    .extend(taken.into_iter().map(|(value, cell)| PlanValue {
                        date: period,
                        value,
                        source: source(cell),
                    }));
                metric.plan.sort_by_key(|x| x.date);
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests;
