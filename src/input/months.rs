//! (v2) Month headers without a year (`4月`, `Apr`, `January`, `4`, or `月度` `1 … 12`
//! counted from the fiscal year's first month): their year comes from
//! a year row above them (`2026` over `4月 5月 …`), else from the fiscal year — config
//! `fiscal_year`, else a title cell above the header (`2026年度`, `FY2026`, `2027年3月期`),
//! else the fiscal year containing the as-of date. The months must run in fiscal order; a
//! month out of order is a finding naming its cell, and its column is not read. Month
//! names running from January in calendar order (`Jan … Dec`) are one calendar year's.

use calamine::Data;
use chrono::{Datelike, Months, NaiveDate};

use crate::findings::{Finding, Problem};
use crate::model::Location;
use crate::text::normalize_key;

use super::cell;
use super::grid::SheetGrid;
use super::sheet::{HeaderRow, YearlessMonth};
use super::value::{parse_fiscal_year_end, parse_number};

/// What decides the year of a month header without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FiscalContext {
    /// First month of the fiscal year (1–12).
    pub start_month: u32,
    /// Config `fiscal_year`: the calendar year in which the fiscal year starts.
    pub fiscal_year: Option<i32>,
    /// (v2) The fiscal year the file's name gives (`予実_2026年度.xlsx`, `budget_FY2026.xlsx`).
    pub file_year: Option<i32>,
    pub as_of: NaiveDate,
}

impl FiscalContext {
    /// The fiscal year (by the calendar year it starts in) that contains `date`.
    fn year_of(&self, date: NaiveDate) -> i32 {
        if date.month() >= self.start_month {
            date.year()
        } else {
            date.year() - 1
        }
    }
}

/// The header with its yearless month columns turned into periods (a header with dated
/// periods, or without yearless months, is returned as it is), and the findings of months
/// out of order.
pub fn resolve(
    sheet: &str,
    grid: &SheetGrid,
    header: &HeaderRow,
    context: FiscalContext,
) -> (HeaderRow, Vec<Finding>) {
    let mut resolved = header.clone();
    resolved.months.clear();
    let mut findings = Vec::new();
    if !header.periods.is_empty() || header.months.is_empty() {
        return (resolved, findings);
    }
    let mut months: Vec<YearlessMonth> = header.months.clone();
    months.sort_by_key(|m| m.col);
    // `月度 1 … 12`: fiscal month numbers, 1 the fiscal year's first month.
    if months.first().is_some_and(|m| m.number && m.month == 1)
        && getsudo_label(grid, header.row, months[0].col)
    {
        for m in &mut months {
            m.month = (context.start_month + m.month - 2) % 12 + 1;
        }
    }
    // Plain numbers are months only when their run starts at the fiscal year's first month.
    if months
        .first()
        .is_some_and(|m| m.number && m.month != context.start_month)
    {
        return (resolved, findings);
    }
    // Month names from January on in calendar order (`Jan … Dec`) where the fiscal year
    // starts in another month: the months of one calendar year (the year row's, else the
    // configured or titled year, else the year of the as-of date), not out of fiscal order.
    let calendar = context.start_month != 1
        && months.first().is_some_and(|m| !m.number && m.month == 1)
        && months.windows(2).all(|w| w[1].month > w[0].month);
    // (v2) `January … December` under a title with a plain year (`Budgeted Income &
    // Expenses 2022`): that calendar year.
    let january_on = months.first().is_some_and(|m| !m.number && m.month == 1)
        && months.windows(2).all(|w| w[1].month > w[0].month)
        && (context.start_month == 1 || calendar);
    let years = year_row(grid, header.row, &months);
    let fiscal_year = match years {
        Some(_) => None,
        None => Some(
            context
                .fiscal_year
                .or_else(|| title_fiscal_year(grid, header.row, context.start_month))
                .or_else(|| january_on.then(|| title_year(grid, header.row)).flatten())
                .or(context.file_year)
                .unwrap_or_else(|| {
                    if calendar {
                        context.as_of.year()
                    } else {
                        context.year_of(context.as_of)
                    }
                }),
        ),
    };
    let raw = |m: &YearlessMonth| {
        grid.get(header.row, m.col)
            .map(cell::raw_text)
            .unwrap_or_default()
    };
    let mut last: Option<(NaiveDate, String)> = None;
    for (i, month) in months.iter().enumerate() {
        let year = match (&years, fiscal_year) {
            (Some(years), _) => years.get(i).copied().flatten(),
            (None, Some(fy)) => Some(if calendar || month.month >= context.start_month {
                fy
            } else {
                fy + 1
            }),
            (None, None) => None,
        };
        let Some(date) = year.and_then(|y| last_day(y, month.month)) else {
            continue;
        };
        if let Some((previous, previous_raw)) = &last {
            if date <= *previous {
                findings.push(Finding::new(
                    Problem::MonthOutOfOrder {
                        raw: raw(month),
                        previous: previous_raw.clone(),
                        first_month: context.start_month,
                    },
                    None,
                    Some(Location::cell(sheet, header.row, month.col)),
                ));
                continue;
            }
        }
        last = Some((date, raw(month)));
        resolved.periods.push((month.col, date));
    }
    (resolved, findings)
}

/// The fiscal year (by the calendar year it starts in) of months written without a year:
/// config `fiscal_year`, else a title cell above the header (`2026年度`), else the file's
/// name (`予実_2026年度.xlsx`), else the fiscal year containing the as-of date.
pub fn fiscal_year(grid: &SheetGrid, header_row: u32, context: FiscalContext) -> i32 {
    context
        .fiscal_year
        .or_else(|| title_fiscal_year(grid, header_row, context.start_month))
        .or(context.file_year)
        .unwrap_or_else(|| context.year_of(context.as_of))
}

/// The fiscal year a file's name (without its extension) gives: a word of it that names
/// one (`予実_2026年度`, `budget_FY2026`, `計画(2027年3月期)`), by the calendar year it
/// starts in.
pub fn file_name_fiscal_year(stem: &str, start_month: u32) -> Option<i32> {
    if stem.len() > 255 {
        return None;
    }
    let separators = [
        '_', '-', ' ', '　', '.', '(', ')', '（', '）', '[', ']', '【', '】', '・',
    ];
    std::iter::once(stem)
        .chain(stem.split(separators))
        .filter(|word| !word.is_empty())
        .find_map(|word| starting_year(word, start_month))
}

/// The calendar year in which the fiscal year a text names (`2026年度`, `FY2026`,
/// `2027年3月期`) starts.
fn starting_year(text: &str, start_month: u32) -> Option<i32> {
    let end = parse_fiscal_year_end(text, start_month)?;
    // The fiscal year that ends on `end` starts the day after, a year before.
    let start = end.succ_opt()?.checked_sub_months(Months::new(12))?;
    Some(start.year())
}

/// Whether a `月度` label stands left of `col` in the header row, or over it in the row
/// above (`月度` merged over `1 2 … 12`).
fn getsudo_label(grid: &SheetGrid, header_row: u32, col: u32) -> bool {
    let is_label =
        |data: Option<&Data>| matches!(data, Some(Data::String(s)) if normalize_key(s) == "月度");
    (0..col).any(|c| is_label(grid.get(header_row, c)))
        || header_row
            .checked_sub(1)
            .is_some_and(|above| (0..=col).any(|c| is_label(grid.get(above, c))))
}

fn last_day(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)?
        .checked_add_months(Months::new(1))?
        .pred_opt()
}

/// A calendar year written in a cell: `2026`, `2026年`.
fn year_cell(data: &Data) -> Option<i32> {
    let n = match data {
        Data::Int(i) => *i as f64,
        Data::Float(f) => *f,
        Data::String(s) => {
            let t = s.trim();
            parse_number(t.strip_suffix('年').unwrap_or(t))?
        }
        _ => return None,
    };
    (n.fract() == 0.0 && (1900.0..=9999.0).contains(&n)).then_some(n as i32)
}

/// The year row directly above the header: per month column, the year written at or left
/// of it (a merged year cell holds its value in its first column). Under one year cell the
/// months run on past December into the next year (`2026` over `4月 … 3月`). `None` when
/// that row holds no year over the months.
fn year_row(
    grid: &SheetGrid,
    header_row: u32,
    months: &[YearlessMonth],
) -> Option<Vec<Option<i32>>> {
    let row = header_row.checked_sub(1)?;
    let first = months.first()?.col;
    let last = months.last()?.col;
    // Per column from the first month's: the year in force and the column it was written in.
    let mut current: Option<(i32, u32)> = None;
    let mut by_col = Vec::new();
    for col in first..=last {
        if let Some(year) = grid.get(row, col).and_then(year_cell) {
            current = Some((year, col));
        }
        by_col.push(current);
    }
    if by_col.iter().all(Option::is_none) {
        return None;
    }
    let mut years = Vec::with_capacity(months.len());
    // (the year cell's column, the previous month under it, years added by wrapping)
    let mut group: Option<(u32, u32, i32)> = None;
    for m in months {
        let at = by_col.get((m.col - first) as usize).copied().flatten();
        let Some((year, cell_col)) = at else {
            years.push(None);
            continue;
        };
        let wrap = match group {
            Some((col, previous, wrap)) if col == cell_col => wrap + i32::from(m.month < previous),
            _ => 0,
        };
        group = Some((cell_col, m.month, wrap));
        years.push(Some(year + wrap));
    }
    Some(years)
}

/// A title cell above the header with a plain year as a word of its own (`Budgeted Income
/// & Expenses 2022`): that year. Only for month names from January on in calendar order,
/// where a plain year cannot mean a fiscal year that starts in another month.
fn title_year(grid: &SheetGrid, header_row: u32) -> Option<i32> {
    grid.cells_above(header_row).find_map(|data| match data {
        Data::String(s) if s.len() <= 128 => s.split_whitespace().find_map(|w| {
            let year = w.parse::<i32>().ok()?;
            (w.len() == 4 && (1900..=2099).contains(&year)).then_some(year)
        }),
        _ => None,
    })
}

/// A title cell above the header naming a fiscal year (`2026年度`, `FY2026`,
/// `2027年3月期`): the calendar year it starts in.
fn title_fiscal_year(grid: &SheetGrid, header_row: u32, start_month: u32) -> Option<i32> {
    grid.cells_above(header_row).find_map(|data| match data {
        Data::String(s) => text_fiscal_year(s, start_month),
        _ => None,
    })
}

/// The fiscal year a title text names: the whole title, else its first word that names
/// one (`2026年度 予実管理表`, `Budget FY2026`).
pub fn text_fiscal_year(text: &str, start_month: u32) -> Option<i32> {
    if text.len() > 128 {
        return None;
    }
    let starting_year = |text: &str| starting_year(text, start_month);
    starting_year(text.trim()).or_else(|| text.split_whitespace().find_map(starting_year))
}
