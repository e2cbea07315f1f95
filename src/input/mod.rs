//! Everything calamine: open a workbook, find the KGI, KPI and Actuals sheets and their
//! header rows, and turn rows into [`Metric`]s with their measurements. Every unreadable cell
//! becomes a finding naming the sheet and cell; the row it stands in is left out.

pub mod cell;
pub mod csv;
mod goal_months;
mod goals;
pub mod grid;
mod guard;
mod loaded;
mod months;

pub use goals::ReadOutcome;

use goals::SheetReader;
use loaded::{both, load_sheet};

use guard::guarded;
pub mod names;
pub mod open;
pub mod period_table;
pub mod recipients;
pub mod sheet;
pub mod source;
pub mod value;
pub mod xls_guard;
mod yojitsu_grid;
pub mod zip_guard;

use std::path::Path;

use calamine::{Reader, SheetVisible};
use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::Settings;
use crate::findings::{Finding, Problem};
use crate::text;

use crate::contract::SheetRole;
use loaded::LoadedSheet;
use months::FiscalContext;
use names::NameTable;
use open::{Bytes, Opened, Workbook};
use period_table::{read_period_table, PeriodTable, TableCells};
use zip_guard::ZipKind;

/// Read the file at `path`. `Err` means the file cannot be used at all (E07 and the like).
/// `as_of` gives the year of month headers without one when nothing else does.
pub fn read_path(
    path: &Path,
    settings: &Settings,
    names: &NameTable,
    as_of: NaiveDate,
) -> Result<ReadOutcome, Vec<Finding>> {
    let bytes = open::read_file(path, &settings.limits).map_err(|p| vec![Finding::file(p)])?;
    // (v2) `予実_2026年度.xlsx`, `budget_FY2026.xlsx`: the fiscal year of month headers
    // without a year when neither the config nor a title cell gives one.
    let file_year = path
        .file_stem()
        .and_then(|s| s.to_str())
        .and_then(|stem| months::file_name_fiscal_year(stem, settings.fiscal_year_start_month));
    read_bytes_with(bytes, settings, names, as_of, file_year)
}

/// Read workbook bytes. A panic inside the spreadsheet parser is caught and reported as an
/// unreadable file: one bad input never takes the batch down. The panic's own report is
/// kept off stderr (the finding names the file instead); panics elsewhere print as usual.
pub fn read_bytes(
    bytes: Vec<u8>,
    settings: &Settings,
    names: &NameTable,
    as_of: NaiveDate,
) -> Result<ReadOutcome, Vec<Finding>> {
    read_bytes_with(bytes, settings, names, as_of, None)
}

/// [`read_bytes`] with the fiscal year the file's name gives, if any.
fn read_bytes_with(
    bytes: Vec<u8>,
    settings: &Settings,
    names: &NameTable,
    as_of: NaiveDate,
    file_year: Option<i32>,
) -> Result<ReadOutcome, Vec<Finding>> {
    let bytes = Bytes::from(bytes);
    let fiscal = FiscalContext {
        start_month: settings.fiscal_year_start_month,
        fiscal_year: settings.fiscal_year,
        file_year,
        as_of,
    };
    if open::is_delimited_text(&bytes) {
        return guarded(|| read_csv_input(&bytes, settings, names, fiscal));
    }
    guarded(|| read_unguarded(bytes, settings, names, fiscal))
}

/// A CSV given as an input: read like a workbook of one sheet, the KPI sheet (a list of
/// KPIs, with KGIs among them by their type; the parent column optional). Findings are
/// prefixed with the input's name already: locations say the line alone.
fn read_csv_input(
    bytes: &[u8],
    settings: &Settings,
    names: &NameTable,
    fiscal: FiscalContext,
) -> Result<ReadOutcome, Vec<Finding>> {
    use crate::contract::Column;
    use crate::model::Field;
    // (v2) Without an id column the name is the id.
    const REQUIRED: [Column; 2] = [Column::Field(Field::Name), Column::Field(Field::Target)];
    let loaded = csv::load_grid(
        bytes,
        "",
        SheetRole::Kpi,
        &REQUIRED,
        names,
        &settings.limits,
    );
    let sheet = loaded::loaded_sheet(loaded, "", SheetRole::Kpi, names, true)?;
    let mut reader = SheetReader::without_workbook(settings, names).with_fiscal(fiscal);
    reader.read_loaded_goals(None, Some(sheet))?;
    Ok(reader.finish())
}

fn read_unguarded(
    bytes: Bytes,
    settings: &Settings,
    names: &NameTable,
    fiscal: FiscalContext,
) -> Result<ReadOutcome, Vec<Finding>> {
    let Opened { mut workbook, zip } =
        open::open_bytes(bytes.clone(), &settings.limits).map_err(|p| vec![Finding::file(p)])?;
    let sheets: Vec<(String, bool)> = workbook
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
        .collect();
    if sheets.is_empty() {
        return Err(vec![Finding::file(Problem::NoSheets)]);
    }
    // Hidden sheets are read (templates often hide the data they hold), but when a visible
    // and a hidden sheet both match, the visible one is the one the user sees and edits.
    let find = |role| {
        // The config's own names first (`names.sheets`), then visible sheets.
        let matching = || sheets.iter().filter(|(n, _)| names.sheet_matches(role, n));
        matching()
            .min_by_key(|(n, visible)| (!names.is_own_sheet_name(role, n), !*visible))
            .map(|(n, _)| n.clone())
    };
    let kgi_sheet = find(SheetRole::Kgi);
    let kpi_sheet = find(SheetRole::Kpi);
    // The period tables: measurements (Actuals) and the phased plan (Plan).
    let mut tables: Vec<(SheetRole, String)> = [SheetRole::Actuals, SheetRole::Plan]
        .into_iter()
        .filter_map(|role| find(role).map(|name| (role, name)))
        .collect();
    if tables.is_empty() {
        // A 予実 grid gives both.
        let yojitsu = sheets.iter().find(|(n, _)| is_yojitsu_sheet(n));
        if let Some((name, _)) = yojitsu {
            tables.push((SheetRole::Actuals, name.clone()));
            tables.push((SheetRole::Plan, name.clone()));
        }
    }

    // SPEC 3 goal sheets: a KGI sheet, a KPI sheet, or either alone; when no sheet name
    // matches, the first visible sheet whose header row holds a name and a target column.
    let mut guessed = None;
    // (v2) No goal sheet: the goal set comes from the period tables' keys.
    let mut from_table = false;
    let (kgi_sheet, kpi_sheet) = match (kgi_sheet, kpi_sheet) {
        (None, None) => {
            let visible = || sheets.iter().filter(|(_, visible)| *visible);
            let mut found = None;
            for (name, _) in visible() {
                let Ok((grid, header)) =
                    grid::load_sheet(&mut workbook, name, SheetRole::Kpi, names, &settings.limits)
                else {
                    continue;
                };
                // A long table (`month, category, target`: the same name on every month)
                // is a period table, not a list of goals.
                if repeats_names(&grid, &header)
                    && [SheetRole::Actuals, SheetRole::Plan]
                        .into_iter()
                        .any(|role| {
                            grid::load_sheet(&mut workbook, name, role, names, &settings.limits)
                                .is_ok_and(|(_, h)| h.is_long_actuals())
                        })
                {
                    continue;
                }
                found = Some(name.clone());
                break;
            }
            match found {
                Some(found) => {
                    // The goal sheet is not also read as a period table.
                    tables.retain(|(_, name)| *name != found);
                    guessed = Some(found.clone());
                    (None, Some(found))
                }
                None => {
                    if tables.is_empty() {
                        // The first visible sheet that reads as a period table: as actuals,
                        // else as a plan (a value column named Target or Budget).
                        'sheets: for (name, _) in visible() {
                            for role in [SheetRole::Actuals, SheetRole::Plan] {
                                let loaded = grid::load_sheet(
                                    &mut workbook,
                                    name,
                                    role,
                                    names,
                                    &settings.limits,
                                );
                                // (a header naming one column twice is no table to guess)
                                if loaded.is_ok_and(|(_, h)| h.duplicates.is_empty()) {
                                    tables.push((role, name.clone()));
                                    break 'sheets;
                                }
                            }
                        }
                    }
                    if tables.is_empty() {
                        return Err(vec![Finding::file(Problem::NoGoalSheet {
                            sheets: sheets
                                .iter()
                                .map(|(n, _)| format!("\"{}\"", text::quoted(n)))
                                .collect::<Vec<_>>()
                                .join(", "),
                            kgi: names.sheet_names_for_message(SheetRole::Kgi, settings),
                            kpi: names.sheet_names_for_message(SheetRole::Kpi, settings),
                        })]);
                    }
                    from_table = true;
                    (None, None)
                }
            }
        }
        found => found,
    };

    let mut reader = SheetReader::new(Some(&mut workbook), settings, names).with_fiscal(fiscal);
    if let Some(sheet) = guessed {
        reader.note(Finding::new(
            Problem::GoalSheetGuessed {
                sheet: sheet.clone(),
            },
            None,
            Some(crate::model::Location::sheet(&sheet)),
        ));
    }
    // An xlsx or xlsb parses its sheets when asked for: the period tables, often the
    // largest sheets, are parsed and read on other cores, each by a parser of its own over
    // the same bytes, while this one reads the KGI and KPI sheets. Every parser reads the
    // whole shared-strings table first, so a workbook with a large one is read by one
    // parser. (.xls and .ods are parsed whole when opened.)
    let apart = zip.filter(|z| {
        matches!(z.kind, ZipKind::Xlsx | ZipKind::Xlsb)
            && z.shared_strings_bytes <= MAX_SHARED_STRINGS_APART
    });
    let (goals, read_tables) = match apart {
        Some(zip) if !tables.is_empty() => rayon::join(
            || guarded(|| reader.read_goal_sheets(kgi_sheet.as_deref(), kpi_sheet.as_deref())),
            || {
                tables
                    .par_iter()
                    .map(|(role, name)| {
                        guarded(|| {
                            load_apart(&bytes, zip.kind, *role, name, settings, names, fiscal)
                        })
                        .map(|table| (*role, table))
                    })
                    .collect::<Vec<_>>()
            },
        ),
        _ => {
            let goals = reader.read_goal_sheets(kgi_sheet.as_deref(), kpi_sheet.as_deref());
            let read_tables = tables
                .iter()
                .map(|(role, name)| match reader.workbook.as_deref_mut() {
                    Some(workbook) => load_sheet(workbook, name, *role, settings, names)
                        .map(|sheet| (*role, read_table(&sheet, *role, fiscal))),
                    None => Err(Vec::new()),
                })
                .collect();
            (goals, read_tables)
        }
    };
    let goals = goals.map_err(|findings| {
        loaded::on_goal_sheets(
            findings,
            &sheets,
            kgi_sheet.as_deref(),
            kpi_sheet.as_deref(),
        )
    });
    let mut loaded = Vec::new();
    let mut failed: Vec<Finding> = Vec::new();
    for table in read_tables {
        match table {
            Ok(table) => loaded.push(table),
            Err(findings) => {
                for finding in findings {
                    if !failed.contains(&finding) {
                        failed.push(finding);
                    }
                }
            }
        }
    }
    let tables = if failed.is_empty() {
        Ok(loaded)
    } else {
        Err(failed)
    };
    let ((), tables) = both(goals, tables)?;
    if from_table {
        reader.metrics_from_tables(&tables)?;
    }
    for (role, table) in tables {
        reader.add_table(role, table);
    }
    let sheet_names: Vec<String> = sheets.into_iter().map(|(name, _)| name).collect();
    let mut outcome = reader.finish();
    let (recipients, note) = recipients::read(&mut workbook, &sheet_names);
    outcome.recipients = recipients;
    outcome.recipients_note = note;
    Ok(outcome)
}

/// Read a loaded Actuals or Plan sheet through the period-table reader; a 予実 grid gives
/// the role's own sub-columns only.
/// Month headers without a year are given theirs first (SPEC 3 v2).
fn read_table(sheet: &LoadedSheet, role: SheetRole, fiscal: FiscalContext) -> PeriodTable {
    let (header, month_findings) = months::resolve(&sheet.name, &sheet.grid, &sheet.header, fiscal);
    let grid_header = yojitsu_grid::grid_header(&sheet.grid, &header, role);
    if grid_header.is_none() && role == SheetRole::Plan && is_yojitsu_sheet(&sheet.name) {
        // A 予実 sheet without plan sub-columns holds actuals only.
        return PeriodTable::default();
    }
    let mut table = read_period_table(&TableCells {
        name: &sheet.name,
        grid: &sheet.grid,
        header: grid_header.as_ref().unwrap_or(&header),
        fiscal: Some((
            fiscal.start_month,
            months::fiscal_year(&sheet.grid, sheet.header.row, fiscal),
        )),
    });
    // A 予実 grid is read twice (plan and actuals): its header findings are given once.
    if role == SheetRole::Actuals || grid_header.is_none() {
        table.findings.splice(0..0, month_findings);
    }
    table
}

/// Whether a goal sheet's name (else id) column holds the same value on two rows.
fn repeats_names(grid: &grid::SheetGrid, header: &sheet::HeaderRow) -> bool {
    use crate::contract::Column;
    use crate::model::Field;
    let Some(col) = header
        .column(Column::Field(Field::Name))
        .or_else(|| header.column(Column::Field(Field::Id)))
    else {
        return false;
    };
    let mut seen = std::collections::HashSet::new();
    grid.rows_after(header.row).into_iter().any(|row| {
        let key = grid.get(row, col).map(cell::raw_text).unwrap_or_default();
        !key.trim().is_empty() && !seen.insert(text::normalize_key(&key))
    })
}

fn is_yojitsu_sheet(name: &str) -> bool {
    let key = text::normalize_key(name);
    crate::contract::YOJITSU_SHEET_NAMES
        .iter()
        .any(|n| text::normalize_key(n) == key)
}

/// A shared-strings part larger than this (uncompressed) is not parsed twice.
const MAX_SHARED_STRINGS_APART: u64 = 16 * 1024 * 1024;

/// Load and read a period table (Actuals, Plan) with a parser of its own over the
/// workbook's bytes (already checked when the workbook was opened).
fn load_apart(
    bytes: &Bytes,
    kind: ZipKind,
    role: SheetRole,
    name: &str,
    settings: &Settings,
    names: &NameTable,
    fiscal: FiscalContext,
) -> Result<PeriodTable, Vec<Finding>> {
    let mut workbook: Workbook =
        open::parse_zip(bytes.clone(), kind).map_err(|p| vec![Finding::file(p)])?;
    let sheet = load_sheet(&mut workbook, name, role, settings, names)?;
    Ok(read_table(&sheet, role, fiscal))
}

#[cfg(test)]
mod tests;
