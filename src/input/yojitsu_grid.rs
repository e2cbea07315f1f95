//! (v2) The 予実 grid: per period a header (often merged over its group) above sub-columns
//! 予算/計画/Plan/Budget, 実績/Actual, 差異, 達成率… A merged header's value is in its first
//! cell only, so a plain wide reading would take the group's first sub-column (often the
//! 予算) for every role. This finds, under each period, the sub-column that the role names;
//! a value is never taken from a sub-column other than its role's.

use calamine::Data;

use crate::contract::SheetRole;
use crate::text::normalize_key;

use super::grid::SheetGrid;
use super::sheet::HeaderRow;

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
