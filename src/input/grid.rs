//! A sheet's cells held sparsely: only non-empty cells (and the formulas of cells without a
//! saved value), and below the header search rows only the columns the header names. Cells
//! come from calamine's streaming cell readers (xlsx, xlsb) or from its already bounded
//! ranges (xls, ods); the limits are checked cell by cell, so a huge or hostile sheet is
//! refused before it fills memory, and two far-apart cells never become a dense range.

use std::collections::{HashMap, HashSet};
use std::io::Cursor;

use calamine::{Data, DataRef, Dimensions, Reader, Sheets, XlsxFormulaMetadata};

use crate::config::Limits;
use crate::findings::Problem;
use crate::model::{column_letters, Location};

use super::names::NameTable;
use super::open::{Bytes, Workbook};
use super::sheet::{find_header_requiring, HeaderMiss, HeaderRow, HEADER_SEARCH_ROWS};
use crate::contract::{Column, SheetRole};
use crate::text::one_line;

#[derive(Debug, Clone, PartialEq)]
struct GridCell {
    row: u32,
    col: u32,
    value: Value,
}

/// A cell's value: its own, or a string the workbook shares between cells (an xlsx or
/// xlsb shared string), held once per sheet however many cells repeat it.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Own(Data),
    Shared(u32),
}

/// The shared strings that a sheet's cells refer to, each held once; found again by the
/// address of the reader's own copy, so a long string repeated in many cells is neither
/// copied nor hashed per cell.
#[derive(Debug, Default)]
struct Strings {
    values: Vec<Data>,
    index: HashMap<(usize, usize), u32>,
}

impl Strings {
    fn intern(&mut self, text: &str) -> u32 {
        let key = (text.as_ptr() as usize, text.len());
        let values = &mut self.values;
        *self.index.entry(key).or_insert_with(|| {
            values.push(Data::String(text.to_string()));
            (values.len() - 1) as u32
        })
    }

    fn get<'a>(&'a self, value: &'a Value) -> &'a Data {
        match value {
            Value::Own(data) => data,
            Value::Shared(i) => self.values.get(*i as usize).unwrap_or(&Data::Empty),
        }
    }
}

/// The cells of one sheet that the reader needs, with absolute zero-based positions.
#[derive(Debug, Default)]
pub struct SheetGrid {
    /// Sorted by (row, col), one cell per position, no `Data::Empty`.
    cells: Vec<GridCell>,
    /// The strings shared between cells.
    strings: Vec<Data>,
    /// Formulas of cells that have no saved value.
    formulas: HashMap<(u32, u32), String>,
    /// Formula cells whose saved value is an error that the reader does not give.
    formula_errors: HashSet<(u32, u32)>,
    /// Columns kept below the header search rows.
    kept: Vec<u32>,
}

/// A formula at a cell that has no value as read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FormulaCell<'a> {
    /// No saved value (the file was saved without calculating): the formula's text.
    WithoutValue(&'a str),
    /// The saved value is an error, not given by the reader (.xlsb).
    ErrorValue,
}

impl SheetGrid {
    pub fn get(&self, row: u32, col: u32) -> Option<&Data> {
        self.cells
            .binary_search_by(|c| (c.row, c.col).cmp(&(row, col)))
            .ok()
            .and_then(|i| self.cells.get(i))
            .map(|c| match &c.value {
                Value::Own(data) => data,
                Value::Shared(i) => self.strings.get(*i as usize).unwrap_or(&Data::Empty),
            })
    }

    /// The values of the cells above `row`, in row then column order (the header search
    /// rows are kept whole).
    pub fn cells_above(&self, row: u32) -> impl Iterator<Item = &Data> {
        self.cells
            .iter()
            .take_while(move |c| c.row < row)
            .map(|c| match &c.value {
                Value::Own(data) => data,
                Value::Shared(i) => self.strings.get(*i as usize).unwrap_or(&Data::Empty),
            })
    }

    /// The formula of a cell without a value.
    pub fn formula(&self, row: u32, col: u32) -> Option<FormulaCell<'_>> {
        if self.formula_errors.contains(&(row, col)) {
            return Some(FormulaCell::ErrorValue);
        }
        self.formulas
            .get(&(row, col))
            .map(String::as_str)
            .filter(|f| !f.is_empty())
            .map(FormulaCell::WithoutValue)
    }

    /// The rows below `row` that hold a value or a formula, in order.
    pub fn rows_after(&self, row: u32) -> Vec<u32> {
        let mut rows: Vec<u32> = Vec::new();
        for cell in &self.cells {
            if cell.row > row && rows.last() != Some(&cell.row) {
                rows.push(cell.row);
            }
        }
        let formula_rows = self.formulas.keys().chain(&self.formula_errors);
        if formula_rows.clone().any(|(r, _)| *r > row) {
            rows.extend(formula_rows.map(|(r, _)| *r).filter(|r| *r > row));
            rows.sort_unstable();
            rows.dedup();
        }
        rows
    }

    /// Record the formula of a cell, for readers that give formulas in a separate pass.
    /// Ignored where the cell has a value or its column is not read.
    pub fn add_formula(&mut self, row: u32, col: u32, formula: String) {
        if !formula.is_empty() && self.reads_empty(row, col) {
            self.formulas.insert((row, col), formula);
        }
    }

    /// Record a formula cell whose saved value is an error the reader does not give.
    /// Ignored where the cell has a value or its column is not read.
    pub fn add_formula_error(&mut self, row: u32, col: u32) {
        if self.reads_empty(row, col) {
            self.formula_errors.insert((row, col));
        }
    }

    /// A cell in a column that is read, without a value.
    fn reads_empty(&self, row: u32, col: u32) -> bool {
        let kept = row < HEADER_SEARCH_ROWS || self.kept.binary_search(&col).is_ok();
        kept && self.get(row, col).is_none()
    }
}

/// Why a sheet could not be loaded.
#[derive(Debug)]
pub enum GridError {
    /// The sheet breaks a limit or cannot be parsed; the location names sheet or cell.
    Refused(Box<(Problem, Location)>),
    /// No row within the first 20 holds the required columns.
    MissingColumns(HeaderMiss),
    /// A header-area cell came after the header had been decided (rows out of order in the
    /// file): read the sheet again, keeping every column until the end.
    ReadAgain,
}

/// Collects a sheet's cells in whatever order they arrive.
pub struct GridBuilder<'a> {
    sheet: &'a str,
    role: SheetRole,
    /// The columns the header row must hold (by default the role's).
    required: Vec<Column>,
    names: &'a NameTable,
    limits: &'a Limits,
    keep_all: bool,
    /// Cells of the header search rows, all columns.
    head: Vec<GridCell>,
    /// Cells below, kept columns only (all columns when `keep_all`).
    body: Vec<GridCell>,
    formulas: HashMap<(u32, u32), String>,
    strings: Strings,
    /// The header and its data columns, decided when the first cell below the search rows
    /// arrives (or at the end).
    decided: Option<(HeaderRow, Vec<u32>)>,
    stored: u64,
}

impl<'a> GridBuilder<'a> {
    pub fn new(
        sheet: &'a str,
        role: SheetRole,
        names: &'a NameTable,
        limits: &'a Limits,
        keep_all: bool,
    ) -> Self {
        GridBuilder {
            sheet,
            role,
            required: crate::contract::required_columns(role),
            names,
            limits,
            keep_all,
            head: Vec::new(),
            body: Vec::new(),
            formulas: HashMap::new(),
            strings: Strings::default(),
            decided: None,
            stored: 0,
        }
    }

    /// Require these columns in the header row instead of the role's.
    pub fn requiring(mut self, required: &[Column]) -> Self {
        self.required = required.to_vec();
        self
    }

    /// Add one cell. `formula` is the cell's formula, when it has one and no saved value.
    pub fn push(
        &mut self,
        row: u32,
        col: u32,
        data: Data,
        formula: Option<String>,
    ) -> Result<(), GridError> {
        let formula = formula.filter(|f| !f.is_empty());
        let is_empty = matches!(data, Data::Empty);
        if is_empty && formula.is_none() {
            return Ok(());
        }
        if !self.admit(row, col)? {
            return Ok(());
        }
        match formula {
            Some(f) if is_empty => {
                self.formulas.insert((row, col), f);
            }
            _ => self.store(row, col, Value::Own(data)),
        }
        Ok(())
    }

    /// Add a cell holding one of the workbook's shared strings, as the reader lends it.
    pub fn push_shared(&mut self, row: u32, col: u32, text: &str) -> Result<(), GridError> {
        if self.admit(row, col)? {
            let index = self.strings.intern(text);
            self.store(row, col, Value::Shared(index));
        }
        Ok(())
    }

    fn store(&mut self, row: u32, col: u32, value: Value) {
        let cell = GridCell { row, col, value };
        if row < HEADER_SEARCH_ROWS {
            self.head.push(cell);
        } else {
            self.body.push(cell);
        }
    }

    /// Whether a non-empty cell at (row, col) is kept; an error when it breaks a limit.
    fn admit(&mut self, row: u32, col: u32) -> Result<bool, GridError> {
        self.check_position(row, col)?;
        if row < HEADER_SEARCH_ROWS {
            if self.decided.is_some() && !self.keep_all {
                return Err(GridError::ReadAgain);
            }
        } else if !self.keep_all {
            if self.decided.is_none() {
                self.decide()?;
            }
            if let Some((_, kept)) = &self.decided {
                if kept.binary_search(&col).is_err() {
                    return Ok(false);
                }
            }
        }
        self.stored += 1;
        if self.stored > self.limits.max_cells {
            return Err(GridError::Refused(Box::new((
                Problem::TooLarge {
                    what: format!("more than {} cells to read", self.limits.max_cells),
                    limit: format!("max_cells = {}", self.limits.max_cells),
                },
                Location::sheet(self.sheet),
            ))));
        }
        Ok(true)
    }

    fn check_position(&self, row: u32, col: u32) -> Result<(), GridError> {
        let limits = self.limits;
        let reference = || format!("{}{}", column_letters(col), u64::from(row) + 1);
        let (what, limit) = if row >= limits.max_rows {
            (
                format!("data in row {} (cell {})", u64::from(row) + 1, reference()),
                format!("max_rows = {}", limits.max_rows),
            )
        } else if col >= limits.max_columns {
            (
                format!(
                    "data in column {} (cell {})",
                    column_letters(col),
                    reference()
                ),
                format!("max_columns = {}", limits.max_columns),
            )
        } else {
            return Ok(());
        };
        Err(GridError::Refused(Box::new((
            Problem::TooLarge { what, limit },
            Location::cell(self.sheet, row, col),
        ))))
    }

    fn decide(&mut self) -> Result<(), GridError> {
        sort_unique(&mut self.head);
        let strings = &self.strings;
        let cells: Vec<(u32, u32, &Data)> = self
            .head
            .iter()
            .map(|c| (c.row, c.col, strings.get(&c.value)))
            .collect();
        let header = find_header_requiring(&cells, self.role, self.names, &self.required)
            .map_err(GridError::MissingColumns)?;
        let kept = header.data_columns();
        self.decided = Some((header, kept));
        Ok(())
    }

    /// The sheet's cells and header row.
    pub fn finish(mut self) -> Result<(SheetGrid, HeaderRow), GridError> {
        if self.decided.is_none() || self.keep_all {
            self.decide()?;
        }
        let Some((header, kept)) = self.decided.take() else {
            return Err(GridError::MissingColumns(HeaderMiss {
                missing: self.required.clone(),
                closest: None,
            }));
        };
        let mut cells = self.head;
        cells.extend(
            self.body
                .into_iter()
                .filter(|c| kept.binary_search(&c.col).is_ok()),
        );
        sort_unique(&mut cells);
        let formulas = self
            .formulas
            .into_iter()
            .filter(|((r, c), _)| *r < HEADER_SEARCH_ROWS || kept.binary_search(c).is_ok())
            .collect();
        Ok((
            SheetGrid {
                cells,
                strings: self.strings.values,
                formulas,
                formula_errors: HashSet::new(),
                kept,
            },
            header,
        ))
    }
}

/// Sort by position; where a position repeats, the later cell wins (as in calamine).
fn sort_unique(cells: &mut Vec<GridCell>) {
    // Sheets arrive in order almost always: then there is nothing to do.
    if cells
        .windows(2)
        .all(|w| (w[0].row, w[0].col) < (w[1].row, w[1].col))
    {
        return;
    }
    cells.sort_by_key(|c| (c.row, c.col));
    cells.reverse();
    cells.dedup_by_key(|c| (c.row, c.col));
    cells.reverse();
}

/// Load one sheet's grid and header row.
pub fn load_sheet(
    workbook: &mut Workbook,
    name: &str,
    role: SheetRole,
    names: &NameTable,
    limits: &Limits,
) -> Result<(SheetGrid, HeaderRow), GridError> {
    match load_sheet_once(workbook, name, role, names, limits, false) {
        Err(GridError::ReadAgain) => load_sheet_once(workbook, name, role, names, limits, true),
        other => other,
    }
}

fn load_sheet_once(
    workbook: &mut Workbook,
    name: &str,
    role: SheetRole,
    names: &NameTable,
    limits: &Limits,
    keep_all: bool,
) -> Result<(SheetGrid, HeaderRow), GridError> {
    let mut builder = GridBuilder::new(name, role, names, limits, keep_all);
    let refused = |detail: String| {
        GridError::Refused(Box::new((
            Problem::Unreadable {
                detail: one_line(&detail),
            },
            Location::sheet(name),
        )))
    };
    match workbook {
        Sheets::Xlsx(xlsx) => stream_xlsx(xlsx, name, &mut builder).map_err(|e| match e {
            StreamError::Grid(g) => g,
            StreamError::Parse(detail) => refused(detail),
        })?,
        Sheets::Xlsb(xlsb) => stream_xlsb(xlsb, name, &mut builder).map_err(|e| match e {
            StreamError::Grid(g) => g,
            StreamError::Parse(detail) => refused(detail),
        })?,
        Sheets::Xls(_) | Sheets::Ods(_) => {
            let range = workbook
                .worksheet_range(name)
                .map_err(|e| refused(e.to_string()))?;
            let (row0, col0) = range.start().unwrap_or((0, 0));
            for (r, c, data) in range.used_cells() {
                builder.push(row0 + r as u32, col0 + c as u32, data.clone(), None)?;
            }
        }
    }
    let (mut grid, header) = builder.finish()?;
    match workbook {
        Sheets::Xlsx(_) => {}
        Sheets::Xlsb(xlsb) => {
            // An .xlsb formula cell always holds its saved value, and calamine gives every
            // value but an error (it skips BrtFmlaError): so a formula, found in a pass of its
            // own, at a cell left without a value holds an error. Its text is not shown:
            // calamine has none for the cells of a filled-down (shared) formula.
            let mut reader = xlsb
                .worksheet_cells_reader(name)
                .map_err(|e| refused(e.to_string()))?;
            // Each undecodable formula has been read whole; still, a reader that failed
            // without moving on must not spin: past as many failures as cells may be kept,
            // the sheet is refused.
            let mut undecodable: u64 = 0;
            loop {
                match reader.next_formula() {
                    Ok(Some(cell)) => {
                        let (row, col) = cell.get_position();
                        grid.add_formula_error(row, col);
                    }
                    Ok(None) => break,
                    Err(e @ (calamine::XlsbError::Io(_) | calamine::XlsbError::Zip(_))) => {
                        return Err(refused(e.to_string()))
                    }
                    // A formula calamine cannot decode (PtgMemErr, PtgMemArea, PtgTbl...): its
                    // record has been read, so go on with the next. The cell's value, if it is
                    // not an error, was read in the first pass; an error would read as empty.
                    Err(e) => {
                        undecodable += 1;
                        if undecodable > limits.max_cells {
                            return Err(refused(e.to_string()));
                        }
                    }
                }
            }
        }
        Sheets::Xls(_) | Sheets::Ods(_) => {
            if let Ok(formulas) = workbook.worksheet_formula(name) {
                let (row0, col0) = formulas.start().unwrap_or((0, 0));
                for (r, c, f) in formulas.used_cells() {
                    grid.add_formula(row0 + r as u32, col0 + c as u32, f.clone());
                }
            }
        }
    }
    Ok((grid, header))
}

enum StreamError {
    Grid(GridError),
    Parse(String),
}

impl From<GridError> for StreamError {
    fn from(e: GridError) -> Self {
        StreamError::Grid(e)
    }
}

/// Stream an xlsx sheet's cells with their formulas in one pass. Shared formulas are
/// expanded only for the cells that need the text (no saved value), from the anchors seen.
fn stream_xlsx(
    xlsx: &mut calamine::Xlsx<Cursor<Bytes>>,
    name: &str,
    builder: &mut GridBuilder,
) -> Result<(), StreamError> {
    let mut reader = match xlsx.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        // A chart sheet or dialog sheet: no cells.
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(()),
        Err(e) => return Err(StreamError::Parse(e.to_string())),
    };
    let mut anchors: HashMap<usize, (String, (u32, u32))> = HashMap::new();
    // The last cell read: a cell the parser refuses (a `t="b"` or `t="e"` cell holding
    // something else) is the next one, and the message says so.
    let mut last: Option<(u32, u32)> = None;
    loop {
        let record = match reader.next_cell_with_formula_metadata() {
            Ok(Some(record)) => record,
            Ok(None) => break,
            Err(e) => {
                let place = match last {
                    Some((row, col)) => format!(
                        "in the cell after {}{}",
                        column_letters(col),
                        u64::from(row) + 1
                    ),
                    None => "in the sheet's first cell".to_string(),
                };
                return Err(StreamError::Parse(format!(
                    "{} ({place})",
                    one_line(&e.to_string())
                )));
            }
        };
        last = Some(record.pos);
        let needs_text = matches!(record.value, DataRef::Empty);
        let formula = match record.formula {
            Some(XlsxFormulaMetadata::Normal { formula }) => Some(formula),
            Some(XlsxFormulaMetadata::Shared {
                shared_index,
                range,
                formula,
            }) => {
                let start = range.map(|r| r.start).unwrap_or(record.pos);
                anchors.insert(shared_index, (formula.clone(), start));
                Some(formula)
            }
            Some(XlsxFormulaMetadata::SharedDerived { shared_index }) if needs_text => anchors
                .get(&shared_index)
                .and_then(|(f, start)| calamine::expand_shared_formula(f, *start, record.pos).ok())
                .or_else(|| Some("(shared formula)".to_string())),
            Some(_) | None => None,
        };
        let (row, col) = record.pos;
        match record.value {
            DataRef::SharedString(text) => builder.push_shared(row, col, text)?,
            value => builder.push(row, col, Data::from(value), formula)?,
        }
    }
    Ok(())
}

fn stream_xlsb(
    xlsb: &mut calamine::Xlsb<Cursor<Bytes>>,
    name: &str,
    builder: &mut GridBuilder,
) -> Result<(), StreamError> {
    let mut reader = xlsb
        .worksheet_cells_reader(name)
        .map_err(|e| StreamError::Parse(e.to_string()))?;
    loop {
        let cell = match reader.next_cell() {
            Ok(Some(cell)) => cell,
            Ok(None) => break,
            Err(e) => return Err(StreamError::Parse(e.to_string())),
        };
        let (row, col) = cell.get_position();
        match cell.get_value() {
            DataRef::SharedString(text) => builder.push_shared(row, col, text)?,
            value => builder.push(row, col, Data::from(value.clone()), None)?,
        }
    }
    Ok(())
}

/// The merged areas of a sheet, where the format records them (xlsx, xls). Read only when an
/// empty required cell needs explaining.
pub fn merged_areas(workbook: &mut Workbook, name: &str) -> MergedAreas {
    MergedAreas::new(match workbook {
        Sheets::Xlsx(xlsx) => xlsx.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xls(xls) => xls.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xlsb(_) | Sheets::Ods(_) => Vec::new(),
    })
}

/// A sheet's merged areas, indexed by column (on first use of each column): finding the
/// area around a cell takes a binary search, not a pass over every area, so a sheet with
/// millions of merged areas and many empty cells is read in time linear in its size.
#[derive(Debug, Default)]
pub struct MergedAreas {
    areas: Vec<Dimensions>,
    /// For each column looked up: (first row, last row, area) of the areas crossing it,
    /// by first row.
    columns: HashMap<u32, Vec<(u32, u32, usize)>>,
}

impl MergedAreas {
    pub fn new(areas: Vec<Dimensions>) -> MergedAreas {
        MergedAreas {
            areas,
            columns: HashMap::new(),
        }
    }

    /// The merged area holding the cell, when the cell is not the area's first one (the
    /// one that holds the value).
    pub fn covering(&mut self, row: u32, col: u32) -> Option<&Dimensions> {
        let areas = &self.areas;
        let index = self.columns.entry(col).or_insert_with(|| {
            let mut index: Vec<(u32, u32, usize)> = areas
                .iter()
                .enumerate()
                .filter(|(_, a)| (a.start.1..=a.end.1).contains(&col))
                .map(|(i, a)| (a.start.0, a.end.0, i))
                .collect();
            index.sort_unstable();
            index
        });
        // Areas do not overlap in a sound file: the one starting last at or above the row.
        let after = index.partition_point(|(first, _, _)| *first <= row);
        let (_, last, i) = *index.get(after.checked_sub(1)?)?;
        let area = areas.get(i)?;
        (row <= last && area.start != (row, col)).then_some(area)
    }
}

#[cfg(test)]
mod tests;
