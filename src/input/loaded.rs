//! A sheet as the readers use it: its cells, its header row and its merged areas, loaded
//! with the limits checked; and the findings of two readers combined.

use calamine::{Data, Dimensions};

use crate::config::Settings;
use crate::contract::{required_columns, SheetRole};
use crate::findings::{Finding, Problem};
use crate::model::{column_letters, Location};

use super::grid::{self, FormulaCell, GridError, SheetGrid};
use super::names::NameTable;
use super::open::Workbook;
use super::sheet::HeaderRow;

/// Both results, or the findings of either or both, in order (a file-level finding that
/// both parsers made is given once).
pub(super) fn both<A, B>(
    a: Result<A, Vec<Finding>>,
    b: Result<B, Vec<Finding>>,
) -> Result<(A, B), Vec<Finding>> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (a, b) => {
            let mut findings = a.err().unwrap_or_default();
            for finding in b.err().unwrap_or_default() {
                if !findings.contains(&finding) {
                    findings.push(finding);
                }
            }
            Err(findings)
        }
    }
}

/// A sheet's cells (sparse, with the formulas of cells without a saved value), its header
/// row, and its merged areas (read only when an empty required cell needs explaining).
pub(super) struct LoadedSheet {
    pub name: String,
    pub grid: SheetGrid,
    pub header: HeaderRow,
    pub merges: Option<grid::MergedAreas>,
    /// A CSV input: cells are named by line and column.
    pub text: bool,
}

impl LoadedSheet {
    pub fn cell(&self, row: u32, col: u32) -> &Data {
        self.grid.get(row, col).unwrap_or(&Data::Empty)
    }

    pub fn location(&self, row: u32, col: u32) -> Location {
        if self.text {
            Location::line(&self.name, row, Some(col))
        } else {
            Location::cell(&self.name, row, col)
        }
    }

    /// The cell's value, or a finding when it is a formula without a saved value or one whose
    /// saved value is an error the reader does not give.
    pub fn value(&self, row: u32, col: u32) -> Result<Data, Problem> {
        let data = self.cell(row, col);
        if !matches!(data, Data::Empty) {
            return Ok(data.clone());
        }
        match self.grid.formula(row, col) {
            Some(FormulaCell::WithoutValue(formula)) => Err(Problem::FormulaWithoutValue {
                formula: crate::text::quoted(formula),
            }),
            Some(FormulaCell::ErrorValue) => Err(Problem::FormulaErrorValue),
            None => Ok(Data::Empty),
        }
    }

    pub fn data_rows(&self) -> Vec<u32> {
        self.grid.rows_after(self.header.row)
    }
}

/// A goal sheet taken for its name (`kgi`, `kpi`) whose header cannot be read: its message
/// also lists the workbook's sheets and how to map another one with `names.sheets`.
pub(super) fn on_goal_sheets(
    mut findings: Vec<Finding>,
    sheets: &[(String, bool)],
    kgi: Option<&str>,
    kpi: Option<&str>,
) -> Vec<Finding> {
    let list = sheets
        .iter()
        .map(|(n, _)| format!("\"{}\"", crate::text::quoted(n)))
        .collect::<Vec<_>>()
        .join(", ");
    for finding in &mut findings {
        let sheet = finding.location.as_ref().map(|l| l.sheet.as_str());
        let role = match sheet {
            Some(s) if Some(s) == kpi => SheetRole::Kpi,
            Some(s) if Some(s) == kgi => SheetRole::Kgi,
            _ => continue,
        };
        if let Problem::MissingColumns { goal_sheets, .. }
        | Problem::NoHeaderRow { goal_sheets, .. } = &mut finding.problem
        {
            *goal_sheets = Some((role, list.clone()));
        }
    }
    findings
}

/// `C5:C7` for an area.
pub(super) fn area_reference(area: &Dimensions) -> String {
    let cell = |(row, col): (u32, u32)| format!("{}{}", column_letters(col), u64::from(row) + 1);
    format!("{}:{}", cell(area.start), cell(area.end))
}

/// Load a sheet's grid and header row; `Err` holds what makes the file unusable.
pub(super) fn load_sheet(
    workbook: &mut Workbook,
    name: &str,
    role: SheetRole,
    settings: &Settings,
    names: &NameTable,
) -> Result<LoadedSheet, Vec<Finding>> {
    let loaded = grid::load_sheet(workbook, name, role, names, &settings.limits);
    loaded_sheet(loaded, name, role, names, false)
}

/// A loaded grid as a sheet to read, or the findings that make it unusable; `text` for a
/// CSV (cells named by line and column).
pub(super) fn loaded_sheet(
    loaded: Result<(SheetGrid, HeaderRow), GridError>,
    name: &str,
    role: SheetRole,
    names: &NameTable,
    text: bool,
) -> Result<LoadedSheet, Vec<Finding>> {
    let refused = |problem, location| Err(vec![Finding::new(problem, None, Some(location))]);
    let (grid, header) = match loaded {
        Ok(loaded) => loaded,
        Err(GridError::Refused(refusal)) => return refused(refusal.0, refusal.1),
        Err(GridError::MissingColumns(miss)) => {
            let missing = if miss.missing.is_empty() {
                required_columns(role)
            } else {
                miss.missing
            };
            let columns = names.accepted_names(role, &missing);
            // A row that names some columns is the header with columns missing; none
            // naming any: there is no header row (the closest text row is shown).
            let problem = match miss.closest {
                Some(closest) if closest.named > 0 => Problem::MissingColumns {
                    columns,
                    row: Some(closest.row + 1),
                    goal_sheets: None,
                },
                closest => Problem::NoHeaderRow {
                    columns,
                    closest: closest.map(|c| (c.row + 1, c.texts.join(", "))),
                    goal_sheets: None,
                },
            };
            // A period table: say which shapes were tried.
            let problem = if role.is_period_table() {
                Problem::NoTableShape {
                    seen: Box::new(problem),
                }
            } else {
                problem
            };
            return refused(problem, Location::sheet(name));
        }
        Err(GridError::ReadAgain) => {
            let problem = Problem::Unreadable {
                detail: "the sheet's rows are out of order".to_string(),
            };
            return refused(problem, Location::sheet(name));
        }
    };
    if !header.duplicates.is_empty() {
        let cell = |col| {
            if text {
                Location::line(name, header.row, Some(col))
            } else {
                Location::cell(name, header.row, col)
            }
        };
        return Err(header
            .duplicates
            .iter()
            .map(|duplicate| {
                Finding::new(
                    Problem::DuplicateColumn {
                        column: duplicate.heading,
                        first: cell(duplicate.first).reference(),
                        second: cell(duplicate.second).reference(),
                    },
                    None,
                    Some(cell(duplicate.second)),
                )
            })
            .collect());
    }
    Ok(LoadedSheet {
        name: name.to_string(),
        grid,
        header,
        merges: None,
        text,
    })
}
