//! The KGI and KPI sheets: their rows turned into [`Metric`]s, every unreadable cell a
//! finding naming the sheet and cell (the row it stands in is left out).

use std::collections::HashMap;

use calamine::Data;

use crate::contract::{
    Column, SheetRole, AGGREGATION_WORDS, DIRECTION_WORDS, FORECAST_METHOD_WORDS, FREQUENCY_WORDS,
    KIND_WORDS, ROLLUP_WORDS,
};
use crate::findings::{Finding, Problem};
use crate::model::{
    Direction, Field, GoalSet, Kind, Lang, Location, Measurement, Metric, PlanValue, Rollup,
    Source, Unit,
};

use crate::config::Settings;

use super::loaded::{area_reference, both, load_sheet, LoadedSheet};
use super::names::NameTable;
use super::open::Workbook;
use super::period_table::PeriodTable;
use super::{cell, grid};

/// A workbook read into a goal set, with the cell-level errors found on the way.
#[derive(Debug, Clone, Default)]
pub struct ReadOutcome {
    pub goal_set: GoalSet,
    /// E04 findings: unreadable cells. The rows they stand in are not in `goal_set`.
    pub findings: Vec<Finding>,
    /// Ids of metric rows left out because of those errors.
    pub invalid_ids: Vec<String>,
    /// The rows of a Recipients / 宛先 sheet, when the workbook has one.
    pub recipients: Vec<super::recipients::RecipientRow>,
    /// Why a Recipients sheet the workbook has could not be used.
    pub recipients_note: Option<String>,
}

pub(super) struct SheetReader<'a> {
    /// `None` for a CSV input, which has no merged areas.
    pub workbook: Option<&'a mut Workbook>,
    settings: &'a Settings,
    names: &'a NameTable,
    outcome: ReadOutcome,
}

impl SheetReader<'_> {
    pub(super) fn new<'a>(
        workbook: Option<&'a mut Workbook>,
        settings: &'a Settings,
        names: &'a NameTable,
    ) -> SheetReader<'a> {
        SheetReader {
            workbook,
            settings,
            names,
            outcome: ReadOutcome::default(),
        }
    }

    /// A reader for a CSV input's one sheet.
    pub(super) fn without_workbook<'a>(
        settings: &'a Settings,
        names: &'a NameTable,
    ) -> SheetReader<'a> {
        SheetReader::new(None, settings, names)
    }

    pub(super) fn finish(self) -> ReadOutcome {
        self.outcome
    }

    /// Attach the values of a period table to their metrics, matched by id, else by name:
    /// measurements from the Actuals sheet, plan values from the Plan sheet. Keys that are
    /// no metric's are left out. Keeps the findings of the table's unreadable cells. The
    /// table is listed in `GoalSet::tables`, which its values' sources point into.
    pub(super) fn add_table(&mut self, role: SheetRole, table: PeriodTable) {
        let tables = &mut self.outcome.goal_set.tables;
        let table_index = u16::try_from(tables.len()).unwrap_or(u16::MAX);
        tables.push(Location::sheet(&table.sheet));
        let metrics = &mut self.outcome.goal_set.metrics;
        // Which metric each key of the table belongs to, then the values moved in place:
        // no second copy of a large table is held.
        let targets: Vec<Option<usize>> = {
            let mut index: HashMap<&str, usize> = HashMap::with_capacity(metrics.len() * 2);
            // Names first, so that an id equal to another metric's name wins.
            for (i, m) in metrics.iter().enumerate() {
                index.entry(m.name.as_str()).or_insert(i);
            }
            for (i, m) in metrics.iter().enumerate() {
                index.insert(m.id.as_str(), i);
            }
            table
                .keys
                .iter()
                .map(|k| index.get(k.as_str()).copied())
                .collect()
        };
        let mut counts = vec![0usize; metrics.len()];
        for entry in &table.entries {
            if let Some(Some(i)) = targets.get(entry.key as usize) {
                counts[*i] += 1;
            }
        }
        for (metric, count) in metrics.iter_mut().zip(&counts) {
            match role {
                SheetRole::Plan => metric.plan.reserve_exact(*count),
                _ => metric.measurements.reserve_exact(*count),
            }
        }
        for entry in table.entries {
            let Some(Some(i)) = targets.get(entry.key as usize) else {
                continue;
            };
            let metric = &mut metrics[*i];
            let source = Source::Table {
                table: table_index,
                row: entry.row,
                col: entry.col,
            };
            match role {
                SheetRole::Plan => metric.plan.push(PlanValue {
                    date: entry.date,
                    value: entry.value,
                    source,
                }),
                _ => metric.measurements.push(Measurement {
                    date: Some(entry.date),
                    value: entry.value,
                    source,
                }),
            }
        }
        self.outcome.findings.extend(table.findings);
    }
}

impl SheetReader<'_> {
    /// Load the KGI and KPI sheets and read their rows into metrics.
    pub(super) fn read_goal_sheets(&mut self, kgi: &str, kpi: &str) -> Result<(), Vec<Finding>> {
        let (settings, names) = (self.settings, self.names);
        let Some(workbook) = self.workbook.as_deref_mut() else {
            return Ok(());
        };
        let kgi = load_sheet(workbook, kgi, SheetRole::Kgi, settings, names);
        let kpi = load_sheet(workbook, kpi, SheetRole::Kpi, settings, names);
        let (kgi, kpi) = both(kgi, kpi)?;
        self.read_loaded_goals(Some(kgi), kpi)
    }

    /// Read the rows of the loaded goal sheets into metrics (a CSV input has no KGI sheet).
    pub(super) fn read_loaded_goals(
        &mut self,
        kgi: Option<LoadedSheet>,
        kpi: LoadedSheet,
    ) -> Result<(), Vec<Finding>> {
        let rows = kgi.as_ref().map_or(0, |k| k.data_rows().len()) + kpi.data_rows().len();
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
        if let Some(kgi) = kgi {
            self.read_metrics(kgi, SheetRole::Kgi);
        }
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
            sheet.merges = Some(match self.workbook.as_deref_mut() {
                Some(workbook) => grid::merged_areas(workbook, &sheet.name),
                None => grid::MergedAreas::default(),
            });
        }
        let area = sheet.merges.as_mut()?.covering(row, col)?;
        Some(Problem::MergedCell {
            field: Column::Field(field),
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
                if let Some(cut) = cell::text_cut(data, Column::Field(field)) {
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
        cell::number(get(Field::Target), Column::Field(Field::Target)),
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
        cell::number(get(Field::Actual), Column::Field(Field::Actual)),
        loc(Field::Actual),
        problems,
    );
    let measured = keep(
        cell::date(get(Field::Measured), Column::Field(Field::Measured)),
        loc(Field::Measured),
        problems,
    );
    let baseline = keep(
        cell::number(get(Field::Baseline), Column::Field(Field::Baseline)),
        loc(Field::Baseline),
        problems,
    );
    let mut unit = keep(cell::text(get(Field::Unit)), loc(Field::Unit), problems);
    let direction = keep(
        cell::word(
            get(Field::Direction),
            Column::Field(Field::Direction),
            &DIRECTION_WORDS,
        ),
        loc(Field::Direction),
        problems,
    );
    let start = keep(
        cell::date(get(Field::Start), Column::Field(Field::Start)),
        loc(Field::Start),
        problems,
    );
    let deadline = keep(
        cell::date(get(Field::Deadline), Column::Field(Field::Deadline)),
        loc(Field::Deadline),
        problems,
    );
    let owner = keep(cell::text(get(Field::Owner)), loc(Field::Owner), problems);
    let frequency = keep(
        cell::word(
            get(Field::Frequency),
            Column::Field(Field::Frequency),
            &FREQUENCY_WORDS,
        ),
        loc(Field::Frequency),
        problems,
    );
    let weight = keep(
        cell::number(get(Field::Weight), Column::Field(Field::Weight)),
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
            Column::Field(Field::Rollup),
            &ROLLUP_WORDS,
        ),
        loc(Field::Rollup),
        problems,
    );
    let kind = keep(
        cell::word(get(Field::Type), Column::Field(Field::Type), &KIND_WORDS),
        loc(Field::Type),
        problems,
    );
    let aggregation = keep(
        cell::word(
            get(Field::Aggregation),
            Column::Field(Field::Aggregation),
            &AGGREGATION_WORDS,
        ),
        loc(Field::Aggregation),
        problems,
    );
    let forecast_method = keep(
        cell::word(
            get(Field::ForecastMethod),
            Column::Field(Field::ForecastMethod),
            &FORECAST_METHOD_WORDS,
        ),
        loc(Field::ForecastMethod),
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
            source: Source::ActualCell,
        });
    }
    Some(Metric {
        name: name.unwrap_or_else(|| id.clone()),
        id,
        kind,
        parent: if role == SheetRole::Kgi { None } else { parent },
        unit: unit.as_deref().and_then(Unit::new),
        direction: direction.unwrap_or(Direction::Increase),
        target,
        baseline,
        start,
        deadline,
        owner,
        frequency,
        weight: weight.unwrap_or(1.0),
        rollup: rollup.unwrap_or(Rollup::Weighted),
        aggregation,
        forecast_method,
        plan: Vec::new(),
        measurements,
        location: if sheet.text {
            Location::line(&sheet.name, row, None)
        } else {
            Location::row(&sheet.name, row)
        },
        columns: fields.to_vec(),
    })
}
