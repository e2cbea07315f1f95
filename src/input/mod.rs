//! Everything calamine: open a workbook, find the KGI, KPI and Actuals sheets and their
//! header rows, and turn rows into [`Metric`]s with their measurements. Every unreadable cell
//! becomes a finding naming the sheet and cell; the row it stands in is left out.

pub mod cell;
pub mod grid;
pub mod names;
pub mod open;
pub mod sheet;
pub mod value;
pub mod xls_guard;
pub mod zip_guard;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Once;

use calamine::{Data, Dimensions, Reader, SheetVisible};

use crate::config::Settings;
use crate::findings::{Finding, Problem};
use crate::model::{
    column_letters, Direction, Field, GoalSet, Kind, Lang, Location, Measurement, Metric, Rollup,
};

use grid::{FormulaCell, GridError, SheetGrid};
use names::{Column, NameTable, SheetRole};
use open::{Bytes, Opened, Workbook};
use sheet::HeaderRow;
use zip_guard::ZipKind;

/// A workbook read into a goal set, with the cell-level errors found on the way.
#[derive(Debug, Clone, Default)]
pub struct ReadOutcome {
    pub goal_set: GoalSet,
    /// E04 findings: unreadable cells. The rows they stand in are not in `goal_set`.
    pub findings: Vec<Finding>,
    /// Ids of metric rows left out because of those errors.
    pub invalid_ids: Vec<String>,
}

/// Read the file at `path`. `Err` means the file cannot be used at all (E07 and the like).
pub fn read_path(
    path: &Path,
    settings: &Settings,
    names: &NameTable,
) -> Result<ReadOutcome, Vec<Finding>> {
    let bytes = open::read_file(path, &settings.limits).map_err(|p| vec![Finding::file(p)])?;
    read_bytes(bytes, settings, names)
}

/// Read workbook bytes. A panic inside the spreadsheet parser is caught and reported as an
/// unreadable file: one bad input never takes the batch down. The panic's own report is
/// kept off stderr (the finding names the file instead); panics elsewhere print as usual.
pub fn read_bytes(
    bytes: Vec<u8>,
    settings: &Settings,
    names: &NameTable,
) -> Result<ReadOutcome, Vec<Finding>> {
    let bytes = Bytes::from(bytes);
    guarded(|| read_unguarded(bytes, settings, names))
}

/// Run `parse` with a panic inside it caught and turned into an unreadable-file finding.
/// Work handed to another thread is guarded there by its own call.
fn guarded<T>(parse: impl FnOnce() -> Result<T, Vec<Finding>>) -> Result<T, Vec<Finding>> {
    install_quiet_panic_hook();
    let was_guarded = GUARDED.with(|g| g.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(parse));
    GUARDED.with(|g| g.set(was_guarded));
    result.unwrap_or_else(|_| {
        let reason = CAUGHT_PANIC
            .with(|c| c.borrow_mut().take())
            .unwrap_or_else(|| "unknown error".to_string());
        Err(vec![Finding::file(Problem::Unreadable {
            detail: format!("the spreadsheet parser failed on it: {reason}"),
        })])
    })
}

thread_local! {
    /// True while this thread runs the guarded parser.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
    /// The message of the last panic caught on this thread while guarded.
    static CAUGHT_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A panic's source file, short but telling whose code it is: a dependency as
/// `calamine-0.38.0/src/xls.rs` (from its registry path), the standard library as
/// `library/core/src/...`, this crate as `src/input/grid.rs`.
fn short_source_path(file: &str) -> &str {
    let file_from = |marker: &str| file.find(marker).map(|i| &file[i + marker.len()..]);
    if let Some(rest) = file_from("/registry/src/") {
        // `index.crates.io-…/calamine-0.38.0/src/xls.rs`: drop the index folder.
        return rest.split_once(['/', '\\']).map_or(rest, |(_, path)| path);
    }
    if let Some(i) = file.find("library/") {
        return &file[i..];
    }
    match file.rfind("/src/") {
        Some(i) if file.starts_with('/') => &file[i + 1..],
        _ => file,
    }
}

/// Wrap the panic hook once: inside [`read_bytes`] a panic is recorded for the finding
/// instead of printed; everywhere else the previous hook runs unchanged.
fn install_quiet_panic_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if GUARDED.with(Cell::get) {
                let payload = info.payload();
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown error".to_string());
                let place = info
                    .location()
                    .map(|l| format!(" at {}:{}", short_source_path(l.file()), l.line()))
                    .unwrap_or_default();
                let reason = format!("{}{place}", crate::text::one_line(&message));
                CAUGHT_PANIC.with(|c| *c.borrow_mut() = Some(reason));
            } else {
                previous(info);
            }
        }));
    });
}

fn read_unguarded(
    bytes: Bytes,
    settings: &Settings,
    names: &NameTable,
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
        let matching = || sheets.iter().filter(|(n, _)| names.sheet_matches(role, n));
        matching()
            .find(|(_, visible)| *visible)
            .or_else(|| matching().next())
            .map(|(n, _)| n.clone())
    };
    let kgi_sheet = find(SheetRole::Kgi);
    let kpi_sheet = find(SheetRole::Kpi);
    let actuals_sheet = find(SheetRole::Actuals);

    let mut fatal = Vec::new();
    for (role, found) in [(SheetRole::Kgi, &kgi_sheet), (SheetRole::Kpi, &kpi_sheet)] {
        if found.is_none() {
            fatal.push(Finding::file(Problem::MissingSheet {
                sheet: role.label(),
                accepted: names.sheet_names_for_message(role, settings),
            }));
        }
    }
    let (Some(kgi_sheet), Some(kpi_sheet)) = (kgi_sheet, kpi_sheet) else {
        return Err(fatal);
    };

    let mut reader = SheetReader {
        workbook: &mut workbook,
        settings,
        names,
        outcome: ReadOutcome::default(),
    };
    // An xlsx or xlsb parses its sheets when asked for: the Actuals sheet, often the
    // largest, is parsed and read on another core by a second parser over the same bytes
    // while this one reads the KGI and KPI sheets. Every parser reads the whole
    // shared-strings table first, so a workbook with a large one is read by one parser.
    // (.xls and .ods are parsed whole when opened.)
    let apart = zip.filter(|z| {
        matches!(z.kind, ZipKind::Xlsx | ZipKind::Xlsb)
            && z.shared_strings_bytes <= MAX_SHARED_STRINGS_APART
    });
    let (goals, actuals) = match (actuals_sheet.as_deref(), apart) {
        (Some(name), Some(zip)) => rayon::join(
            || guarded(|| reader.read_goal_sheets(&kgi_sheet, &kpi_sheet)),
            || guarded(|| load_apart(&bytes, zip.kind, name, settings, names).map(Some)),
        ),
        _ => {
            let goals = reader.read_goal_sheets(&kgi_sheet, &kpi_sheet);
            let actuals = actuals_sheet
                .map(|name| load_sheet(reader.workbook, &name, SheetRole::Actuals, settings, names))
                .transpose()
                .map(|sheet| sheet.as_ref().map(read_actuals));
            (goals, actuals)
        }
    };
    let ((), actuals) = both(goals, actuals)?;
    if let Some(actuals) = actuals {
        reader.add_actuals(actuals);
    }
    Ok(reader.outcome)
}

/// Both results, or the findings of either or both, in order (a file-level finding that
/// both parsers made is given once).
fn both<A, B>(
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

/// A shared-strings part larger than this (uncompressed) is not parsed twice.
const MAX_SHARED_STRINGS_APART: u64 = 16 * 1024 * 1024;

/// Load and read an Actuals sheet with a parser of its own over the workbook's bytes
/// (already checked when the workbook was opened).
fn load_apart(
    bytes: &Bytes,
    kind: ZipKind,
    name: &str,
    settings: &Settings,
    names: &NameTable,
) -> Result<Actuals, Vec<Finding>> {
    let mut workbook = open::parse_zip(bytes.clone(), kind).map_err(|p| vec![Finding::file(p)])?;
    let sheet = load_sheet(&mut workbook, name, SheetRole::Actuals, settings, names)?;
    Ok(read_actuals(&sheet))
}

/// A sheet's cells (sparse, with the formulas of cells without a saved value), its header
/// row, and its merged areas (read only when an empty required cell needs explaining).
struct LoadedSheet {
    name: String,
    grid: SheetGrid,
    header: HeaderRow,
    merges: Option<grid::MergedAreas>,
}

impl LoadedSheet {
    fn cell(&self, row: u32, col: u32) -> &Data {
        self.grid.get(row, col).unwrap_or(&Data::Empty)
    }

    fn location(&self, row: u32, col: u32) -> Location {
        Location::cell(&self.name, row, col)
    }

    /// The cell's value, or a finding when it is a formula without a saved value or one whose
    /// saved value is an error the reader does not give.
    fn value(&self, row: u32, col: u32) -> Result<Data, Problem> {
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

    fn data_rows(&self) -> Vec<u32> {
        self.grid.rows_after(self.header.row)
    }
}

/// `C5:C7` for an area.
fn area_reference(area: &Dimensions) -> String {
    let cell = |(row, col): (u32, u32)| format!("{}{}", column_letters(col), u64::from(row) + 1);
    format!("{}:{}", cell(area.start), cell(area.end))
}

/// Load a sheet's grid and header row; `Err` holds what makes the file unusable.
fn load_sheet(
    workbook: &mut Workbook,
    name: &str,
    role: SheetRole,
    settings: &Settings,
    names: &NameTable,
) -> Result<LoadedSheet, Vec<Finding>> {
    let refused = |problem, location| Err(vec![Finding::new(problem, None, Some(location))]);
    let (grid, header) = match grid::load_sheet(workbook, name, role, names, &settings.limits) {
        Ok(loaded) => loaded,
        Err(GridError::Refused(problem, location)) => return refused(problem, location),
        Err(GridError::MissingColumns(missing)) => {
            let missing = if missing.is_empty() {
                names::required_columns(role).to_vec()
            } else {
                missing
            };
            let labels = missing.iter().map(|c| c.label().to_string()).collect();
            let problem = Problem::MissingColumns {
                columns: labels,
                accepted: names.column_names_for_message(role, &missing),
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
        let cell = |col| Location::cell(name, header.row, col);
        return Err(header
            .duplicates
            .iter()
            .map(|duplicate| {
                Finding::new(
                    Problem::DuplicateColumn {
                        column: duplicate.label.clone(),
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
    })
}

struct SheetReader<'a> {
    workbook: &'a mut Workbook,
    settings: &'a Settings,
    names: &'a NameTable,
    outcome: ReadOutcome,
}

impl SheetReader<'_> {
    /// Load the KGI and KPI sheets and read their rows into metrics.
    fn read_goal_sheets(&mut self, kgi: &str, kpi: &str) -> Result<(), Vec<Finding>> {
        let load = |reader: &mut Self, name, role| {
            load_sheet(reader.workbook, name, role, reader.settings, reader.names)
        };
        let kgi = load(self, kgi, SheetRole::Kgi);
        let (kgi, kpi) = both(kgi, load(self, kpi, SheetRole::Kpi))?;
        let rows = kgi.data_rows().len() + kpi.data_rows().len();
        let limit = self.settings.limits.max_metrics;
        if rows > limit as usize {
            let problem = Problem::TooLarge {
                what: format!("{rows} metric rows in the KGI and KPI sheets"),
                limit: format!("max_metrics = {limit}"),
            };
            return Err(vec![Finding::new(
                problem,
                None,
                Some(Location::sheet(&kpi.name)),
            )]);
        }
        self.outcome.goal_set.header_lang = if kpi.header.japanese {
            Lang::Ja
        } else {
            Lang::En
        };
        self.read_metrics(kgi, SheetRole::Kgi);
        self.read_metrics(kpi, SheetRole::Kpi);
        Ok(())
    }

    /// When an empty cell lies inside a merged area (not its first cell), the problem to
    /// report instead of "missing": the value is in the area's first cell only.
    fn merged_cell_problem(
        &mut self,
        sheet: &mut LoadedSheet,
        row: u32,
        col: u32,
        field: Field,
    ) -> Option<Problem> {
        if sheet.merges.is_none() {
            sheet.merges = Some(grid::merged_areas(self.workbook, &sheet.name));
        }
        let area = sheet.merges.as_mut()?.covering(row, col)?;
        Some(Problem::MergedCell {
            field: Column::Field(field).label().to_string(),
            area: area_reference(area),
        })
    }

    fn read_metrics(&mut self, mut sheet: LoadedSheet, role: SheetRole) {
        let fields: Vec<(Field, u32)> = sheet
            .header
            .columns
            .iter()
            .filter_map(|(c, i)| match c {
                Column::Field(f) => Some((*f, *i)),
                _ => None,
            })
            .collect();
        for row in sheet.data_rows() {
            let mut cells: HashMap<Field, (u32, Data)> = HashMap::new();
            let mut problems: Vec<(Problem, Location)> = Vec::new();
            for (field, col) in &fields {
                match sheet.value(row, *col) {
                    Ok(data) => {
                        cells.insert(*field, (*col, data));
                    }
                    Err(p) => problems.push((p, sheet.location(row, *col))),
                }
            }
            if cells.values().all(|(_, d)| cell::is_blank(d)) && problems.is_empty() {
                continue;
            }
            // The texts the outputs carry on every row are cut (cell::text), with a warning.
            for field in [
                Field::Id,
                Field::Parent,
                Field::Name,
                Field::Unit,
                Field::Owner,
            ] {
                let Some((col, data)) = cells.get(&field) else {
                    continue;
                };
                if let Some(cut) = cell::text_cut(data, Column::Field(field).label()) {
                    let location = Some(sheet.location(row, *col));
                    self.outcome
                        .findings
                        .push(Finding::new(cut, None, location));
                }
            }
            let mut merged: Vec<(Problem, Location)> = Vec::new();
            for field in [Field::Id, Field::Parent, Field::Target] {
                if let Some((col, data)) = cells.get(&field) {
                    if cell::is_blank(data) {
                        if let Some(p) = self.merged_cell_problem(&mut sheet, row, *col, field) {
                            merged.push((p, sheet.location(row, *col)));
                        }
                    }
                }
            }
            let built = build_metric(&sheet, row, role, &fields, &cells, &mut problems);
            if !merged.is_empty() {
                problems.retain(|(p, location)| {
                    !(matches!(p, Problem::MissingId | Problem::MissingTarget)
                        && merged.iter().any(|(_, l)| l == location))
                });
                problems.extend(merged);
            }
            match built {
                Some(metric) if problems.is_empty() => self.outcome.goal_set.metrics.push(metric),
                built => {
                    let id = built.map(|m| m.id).or_else(|| {
                        cells
                            .get(&Field::Id)
                            .and_then(|(_, d)| cell::text(d).ok().flatten())
                    });
                    if let Some(id) = &id {
                        self.outcome.invalid_ids.push(id.clone());
                    }
                    for (problem, location) in problems {
                        self.outcome.findings.push(Finding::new(
                            problem,
                            id.as_deref(),
                            Some(location),
                        ));
                    }
                }
            }
        }
    }

    /// Attach the measurements read from the Actuals sheet to their metrics (rows for ids
    /// that are not metrics are ignored) and keep the findings of its unreadable cells.
    fn add_actuals(&mut self, actuals: Actuals) {
        let metrics = &mut self.outcome.goal_set.metrics;
        let index: HashMap<&str, usize> = metrics
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.as_str(), i))
            .collect();
        let found: Vec<(usize, Measurement)> = actuals
            .measurements
            .into_iter()
            .filter_map(|(id, m)| index.get(id.as_str()).map(|&i| (i, m)))
            .collect();
        drop(index);
        for (i, measurement) in found {
            metrics[i].measurements.push(measurement);
        }
        self.outcome.findings.extend(actuals.findings);
    }
}

/// The measurements of an Actuals sheet (long or wide), each with its metric's id, and the
/// findings of its unreadable cells. Needs nothing from the other sheets, so it runs on the
/// core that parsed the sheet.
struct Actuals {
    measurements: Vec<(String, Measurement)>,
    findings: Vec<Finding>,
}

fn read_actuals(sheet: &LoadedSheet) -> Actuals {
    let mut actuals = Actuals {
        measurements: Vec::new(),
        findings: Vec::new(),
    };
    let Some(id_col) = sheet.header.column(Column::Field(Field::Id)) else {
        return actuals;
    };
    let mut problem = |problem, id: Option<&str>, row, col| {
        let location = sheet.location(row, col);
        actuals
            .findings
            .push(Finding::new(problem, id, Some(location)));
    };
    let mut measurements = Vec::new();
    let long = sheet.header.is_long_actuals();
    let date_col = sheet.header.column(Column::Date);
    let value_col = sheet.header.column(Column::Value);
    let periods = &sheet.header.periods;
    for row in sheet.data_rows() {
        let id = match sheet.value(row, id_col).map(|d| cell::text(&d)) {
            Ok(Ok(Some(id))) => id,
            Ok(Ok(None)) => continue,
            Ok(Err(p)) | Err(p) => {
                problem(p, None, row, id_col);
                continue;
            }
        };
        let entries: Vec<(Option<u32>, u32)> = match (long, date_col, value_col) {
            (true, Some(d), Some(v)) => vec![(Some(d), v)],
            _ => periods.iter().map(|(col, _)| (None, *col)).collect(),
        };
        for (date_col, value_col) in entries {
            let value = match sheet.value(row, value_col) {
                Ok(data) => cell::number(&data, "Value"),
                Err(p) => Err(p),
            };
            let value = match value {
                Ok(Some(v)) => v,
                Ok(None) => continue,
                Err(p) => {
                    problem(p, Some(&id), row, value_col);
                    continue;
                }
            };
            let date = match date_col {
                None => periods
                    .iter()
                    .find(|(c, _)| *c == value_col)
                    .map(|(_, d)| *d),
                Some(col) => match sheet.value(row, col).and_then(|d| cell::period(&d, "Date")) {
                    Ok(Some(d)) => Some(d),
                    Ok(None) => {
                        let unreadable = Problem::UnreadableDate {
                            field: "Date".to_string(),
                            raw: String::new(),
                        };
                        problem(unreadable, Some(&id), row, col);
                        continue;
                    }
                    Err(p) => {
                        problem(p, Some(&id), row, col);
                        continue;
                    }
                },
            };
            if let Some(date) = date {
                let measurement = Measurement {
                    date: Some(date),
                    value,
                    from_cell: false,
                };
                measurements.push((id.clone(), measurement));
            }
        }
    }
    actuals.measurements = measurements;
    actuals
}

/// Names of rows that are totals, not metrics (common at the bottom of exports).
fn is_total_row(name: Option<&str>) -> bool {
    name.map(crate::text::normalize_key).is_some_and(|n| {
        [
            "合計",
            "小計",
            "総計",
            "計",
            "total",
            "subtotal",
            "grandtotal",
            "sum",
        ]
        .contains(&n.as_str())
    })
}

/// The value of a readable cell; an unreadable one is recorded and gives `None`.
fn keep<T>(
    result: Result<Option<T>, Problem>,
    location: Location,
    problems: &mut Vec<(Problem, Location)>,
) -> Option<T> {
    result.unwrap_or_else(|p| {
        problems.push((p, location));
        None
    })
}

/// Build one metric from its row's cells, recording every unreadable cell in `problems`.
fn build_metric(
    sheet: &LoadedSheet,
    row: u32,
    role: SheetRole,
    fields: &[(Field, u32)],
    cells: &HashMap<Field, (u32, Data)>,
    problems: &mut Vec<(Problem, Location)>,
) -> Option<Metric> {
    let empty = Data::Empty;
    let get = |f: Field| cells.get(&f).map(|(_, d)| d).unwrap_or(&empty);
    let loc = |f: Field| {
        let col = cells.get(&f).map(|(c, _)| *c).unwrap_or(0);
        sheet.location(row, col)
    };

    let id = keep(cell::text(get(Field::Id)), loc(Field::Id), problems);
    let name = keep(cell::text(get(Field::Name)), loc(Field::Name), problems);
    let target = keep(
        cell::number(get(Field::Target), "Target"),
        loc(Field::Target),
        problems,
    );
    if id.is_none() {
        if is_total_row(name.as_deref()) || target.is_none() {
            // A note or a total row without an id: not a metric.
            return None;
        }
        problems.push((Problem::MissingId, loc(Field::Id)));
    }
    let parent = keep(cell::text(get(Field::Parent)), loc(Field::Parent), problems);
    let actual = keep(
        cell::number(get(Field::Actual), "Actual"),
        loc(Field::Actual),
        problems,
    );
    let measured = keep(
        cell::date(get(Field::Measured), "Measured"),
        loc(Field::Measured),
        problems,
    );
    let baseline = keep(
        cell::number(get(Field::Baseline), "Baseline"),
        loc(Field::Baseline),
        problems,
    );
    let mut unit = keep(cell::text(get(Field::Unit)), loc(Field::Unit), problems);
    let direction = keep(
        cell::word(
            get(Field::Direction),
            "Direction",
            value::parse_direction,
            "increase, decrease, 増加, 減少, ↑, ↓",
        ),
        loc(Field::Direction),
        problems,
    );
    let start = keep(
        cell::date(get(Field::Start), "Start"),
        loc(Field::Start),
        problems,
    );
    let deadline = keep(
        cell::date(get(Field::Deadline), "Deadline"),
        loc(Field::Deadline),
        problems,
    );
    let owner = keep(cell::text(get(Field::Owner)), loc(Field::Owner), problems);
    let frequency = keep(
        cell::word(
            get(Field::Frequency),
            "Frequency",
            value::parse_frequency,
            "daily, weekly, monthly, quarterly, yearly, 日次, 週次, 月次, 四半期, 年次",
        ),
        loc(Field::Frequency),
        problems,
    );
    let weight = keep(
        cell::number(get(Field::Weight), "Weight"),
        loc(Field::Weight),
        problems,
    );
    if weight.is_some_and(|w| w < 0.0) {
        problems.push((
            Problem::InvalidWeight {
                raw: cell::raw_quoted(get(Field::Weight)),
            },
            loc(Field::Weight),
        ));
    }
    let rollup = keep(
        cell::word(
            get(Field::Rollup),
            "Rollup",
            value::parse_rollup,
            "weighted, sum, 加重平均, 合計",
        ),
        loc(Field::Rollup),
        problems,
    );
    let kind = keep(
        cell::word(get(Field::Type), "Type", value::parse_kind, "KPI, KDI"),
        loc(Field::Type),
        problems,
    );
    let id = id?;
    let Some(target) = target else {
        // A target cell that could not be read at all (a formula without a value) has its
        // own finding already.
        if cells.contains_key(&Field::Target) && cell::is_blank(get(Field::Target)) {
            problems.push((Problem::MissingTarget, loc(Field::Target)));
        }
        return None;
    };
    if unit.is_none() {
        // A target typed as `12%` or `6,000万円` says its unit.
        if let Data::String(s) = get(Field::Target) {
            let t = s.trim();
            if t.ends_with('%') || t.ends_with('％') {
                unit = Some("%".to_string());
            } else if t.ends_with('円') {
                unit = Some("円".to_string());
            }
        }
    }
    let kind = match role {
        SheetRole::Kgi => Kind::Kgi,
        _ => kind.unwrap_or(Kind::Kpi),
    };
    let mut measurements = Vec::new();
    if let Some(value) = actual {
        measurements.push(Measurement {
            date: measured,
            value,
            from_cell: true,
        });
    }
    Some(Metric {
        name: name.unwrap_or_else(|| id.clone()),
        id,
        kind,
        parent: if role == SheetRole::Kgi { None } else { parent },
        unit,
        direction: direction.unwrap_or(Direction::Increase),
        target,
        baseline,
        start,
        deadline,
        owner,
        frequency,
        weight: weight.unwrap_or(1.0),
        rollup: rollup.unwrap_or(Rollup::Weighted),
        measurements,
        location: Location::row(&sheet.name, row),
        columns: fields.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_sites_say_whose_code_it_is() {
        assert_eq!(
            short_source_path(
                "/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/calamine-0.38.0/src/xlsx/mod.rs"
            ),
            "calamine-0.38.0/src/xlsx/mod.rs"
        );
        assert_eq!(
            short_source_path("/rustc/59807616e1fa/library/core/src/slice/index.rs"),
            "library/core/src/slice/index.rs"
        );
        assert_eq!(short_source_path("src/input/grid.rs"), "src/input/grid.rs");
        assert_eq!(
            short_source_path("/work/kpi-report/src/input/grid.rs"),
            "src/input/grid.rs"
        );
    }

    #[test]
    fn a_panic_in_the_parser_becomes_a_finding_without_output() {
        let settings = Settings::default();
        let names = NameTable::new(&settings);
        // Any input is fine: the panic is raised inside the guard on purpose.
        let result = panic::catch_unwind(|| {
            install_quiet_panic_hook();
            GUARDED.with(|g| g.set(true));
            let caught = panic::catch_unwind(|| panic!("boom"));
            GUARDED.with(|g| g.set(false));
            caught.is_err()
        });
        assert_eq!(result.ok(), Some(true));
        let message = CAUGHT_PANIC
            .with(|c| c.borrow_mut().take())
            .unwrap_or_default();
        assert!(
            message.starts_with("boom at src/input/mod.rs:"),
            "{message}"
        );
        assert!(read_bytes(Vec::new(), &settings, &names).is_err());
    }
}
