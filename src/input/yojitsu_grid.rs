//! (v2) The 予実 grid: per period a header (often merged over its group) above sub-columns
//! 予算/計画/Plan/Budget, 実績/Actual, 差異, 達成率… A merged header's value is in its first
//! cell only, so a plain wide reading would take the group's first sub-column (often the
//! 予算) for every role. This finds, under each period, the sub-column that the role names;
//! a value is never taken from a sub-column other than its role's.

use calamine::Data;

use crate::contract::SheetRole;
use crate::text::normalize_key;

use super::grid::SheetGrid;
use super::months::{self, FiscalContext};
use super::period_table::{read_period_table, PeriodTable, TableCells};
use super::sheet::HeaderRow;
use crate::findings::Problem;

const PLAN_WORDS: &[&str] = &[
    "予算",
    "計画",
    "目標",
    "plan",
    "budget",
    "target",
    "予算額",
    "計画値",
    "目標値",
];
const ACTUAL_WORDS: &[&str] = &["実績", "実績値", "実績額", "actual", "actuals", "result"];

/// What the sub-header row below a wide table's header says of a column.
fn sub_role(data: Option<&Data>) -> Option<SheetRole> {
    let Some(Data::String(text)) = data else {
        return None;
    };
    let key = normalize_key(text);
    if PLAN_WORDS.contains(&key.as_str()) {
        Some(SheetRole::Plan)
    } else if ACTUAL_WORDS.contains(&key.as_str()) {
        Some(SheetRole::Actuals)
    } else {
        None
    }
}

/// The header of a 予実 grid read for `role`: each period moved to the sub-column under it
/// (up to the next period's column) that the role names, periods without one dropped.
/// `None` when the row below the header names no plan or actual sub-column: not a grid.
pub(super) fn grid_header(
    grid: &SheetGrid,
    header: &HeaderRow,
    role: SheetRole,
) -> Option<HeaderRow> {
    if header.periods.is_empty() || header.is_long_actuals() {
        return None;
    }
    let sub = header.row.checked_add(1)?;
    let mut starts: Vec<u32> = header.periods.iter().map(|(c, _)| *c).collect();
    starts.sort_unstable();
    // Where each period's group ends: before the next period, or a few columns on.
    let group = |col: u32| {
        let next = starts.iter().copied().find(|c| *c > col);
        col..next.unwrap_or(col.saturating_add(8))
    };
    let any_sub = header
        .periods
        .iter()
        .any(|(col, _)| group(*col).any(|c| sub_role(grid.get(sub, c)).is_some()));
    if !any_sub {
        return None;
    }
    let mut remapped = header.clone();
    remapped.periods = header
        .periods
        .iter()
        .filter_map(|(col, date)| {
            group(*col)
                .find(|c| sub_role(grid.get(sub, *c)) == Some(role))
                .map(|c| (c, *date))
        })
        .collect();
    Some(remapped)
}

/// (v2) Whether a row of texts is a 予実 grid's sub-header: it names both a plan and an
/// actual sub-column (予算 … 実績, Budget … Actual).
pub(super) fn is_sub_header<'t>(texts: impl Iterator<Item = &'t str>) -> bool {
    let (mut plan, mut actual) = (false, false);
    for text in texts {
        match sub_role(Some(&Data::String(text.to_string()))) {
            Some(SheetRole::Plan) => plan = true,
            Some(SheetRole::Actuals) => actual = true,
            _ => {}
        }
    }
    plan && actual
}

/// (v2) A 予実 grid given as a source (`shape = "grid"`, or told by its sub-header): the
/// cells read by the same reader as an Actuals or Plan sheet, taking only the sub-columns
/// of `role` under each period; month headers without a year as on a sheet.
pub(super) fn read_grid_cells(
    name: &str,
    cells: impl Iterator<Item = (u32, u32, Data)>,
    role: SheetRole,
    names: &super::names::NameTable,
    limits: &crate::config::Limits,
    fiscal: FiscalContext,
) -> Result<PeriodTable, Problem> {
    use super::grid::{GridBuilder, GridError};
    let not_a_grid = || Problem::ExportUnreadable {
        detail: "no 予実 grid within the first 20 rows: a key column and a header of periods \
                 (2026年4月, 4月, Apr 2026…) over sub-columns 予算/計画/Plan and 実績/Actual"
            .to_string(),
    };
    // The header is the row of periods over the sub-header: the rows above it (a title)
    // are not searched for a header, where a one-cell title over the months would read as
    // periods down the rows; a title's fiscal year (`2026年度`) still counts.
    let cells: Vec<(u32, u32, Data)> = cells.collect();
    let Some(header_row) = period_row(&cells) else {
        return Err(not_a_grid());
    };
    let mut fiscal = fiscal;
    if fiscal.fiscal_year.is_none() {
        fiscal.fiscal_year = cells
            .iter()
            .filter(|(row, _, _)| *row < header_row)
            .find_map(|(_, _, data)| match data {
                Data::String(s) => months::text_fiscal_year(s, fiscal.start_month),
                _ => None,
            });
    }
    let mut builder = GridBuilder::new(name, role, names, limits, true);
    for (row, col, data) in cells.into_iter().filter(|(row, _, _)| *row >= header_row) {
        match builder.push(row, col, data, None) {
            Ok(()) => {}
            Err(GridError::Refused(refusal)) => return Err(refusal.0),
            Err(_) => return Err(not_a_grid()),
        }
    }
    let (grid, header) = match builder.finish() {
        Ok(found) => found,
        Err(GridError::Refused(refusal)) => return Err(refusal.0),
        Err(_) => return Err(not_a_grid()),
    };
    let (resolved, month_findings) = months::resolve(name, &grid, &header, fiscal);
    let Some(grid_header) = grid_header(&grid, &resolved, role) else {
        return Err(not_a_grid());
    };
    let mut table = read_period_table(&TableCells {
        name,
        grid: &grid,
        header: &grid_header,
        fiscal: Some((
            fiscal.start_month,
            months::fiscal_year(&grid, header.row, fiscal),
        )),
    });
    table.findings.splice(0..0, month_findings);
    Ok(table)
}

/// The row of a grid's period headers: the first row (of the header search's) with a period
/// or month name that stands right above a sub-header naming both a plan and an actual
/// column. Cells in row order; only the first rows are looked at.
pub(super) fn period_row(cells: &[(u32, u32, Data)]) -> Option<u32> {
    let head_end = cells
        .iter()
        .position(|(r, _, _)| *r > super::sheet::HEADER_SEARCH_ROWS)
        .unwrap_or(cells.len());
    let head = &cells[..head_end];
    let row_of = |row: u32| head.iter().filter(move |(r, _, _)| *r == row);
    let is_period = |d: &Data| {
        super::cell::period_header(d).is_some()
            || matches!(d, Data::String(s) if super::value::parse_month_name(s).is_some())
    };
    let mut rows: Vec<u32> = head.iter().map(|(r, _, _)| *r).collect();
    rows.dedup();
    rows.into_iter().find(|row| {
        row_of(*row).any(|(_, _, d)| is_period(d))
            && row.checked_add(1).is_some_and(|below| {
                is_sub_header(row_of(below).filter_map(|(_, _, d)| match d {
                    Data::String(s) => Some(s.as_str()),
                    _ => None,
                }))
            })
    })
}
