//! The KGI and KPI sheets: their rows turned into [`Metric`]s, every unreadable cell a
//! finding naming the sheet and cell (the row it stands in is left out).

use std::collections::HashMap;

use chrono::Datelike;

use calamine::Data;

use crate::contract::{
    Column, SheetRole, AGGREGATION_WORDS, DIRECTION_WORDS, FORECAST_METHOD_WORDS, FREQUENCY_WORDS,
    KIND_WORDS, ROLLUP_WORDS,
};
use crate::findings::{Finding, Problem};
use crate::model::{
    Aggregation, Direction, Field, GoalSet, Kind, Lang, Location, Measurement, Metric, PlanValue,
    Rollup, Source, Unit,
};
use crate::text::normalize_key;

use crate::config::rules::Fill;
use crate::config::GoalEntry;
use crate::config::Settings;

use super::goal_months;
use super::loaded::{area_reference, both, load_sheet, LoadedSheet};
use super::months::FiscalContext;
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
    /// Metrics whose target cell is empty: their target comes from their plan (or their
    /// children, for a total row) when [`SheetReader::finish`] runs.
    without_target: Vec<String>,
    /// Total rows (合計, Total…): the KGI of a goal set that has none, else left out.
    totals: Vec<Metric>,
    /// The fields each metric's row gives in a non-empty cell (by id): a `[[set]]` rule
    /// never overrides them.
    given: HashMap<String, Vec<Field>>,
    /// What gives month headers without a year their year (a goal sheet's month columns).
    fiscal: Option<FiscalContext>,
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
            without_target: Vec::new(),
            totals: Vec::new(),
            given: HashMap::new(),
            fiscal: None,
        }
    }

    /// Read a goal sheet's month columns (`Jan`, `4月`) with this fiscal context.
    pub(super) fn with_fiscal(mut self, fiscal: FiscalContext) -> Self {
        self.fiscal = Some(fiscal);
        self
    }

    /// A reader for a CSV input's one sheet.
    pub(super) fn without_workbook<'a>(
        settings: &'a Settings,
        names: &'a NameTable,
    ) -> SheetReader<'a> {
        SheetReader::new(None, settings, names)
    }

    /// Record a finding of the reader that is not about one cell (I03).
    pub(super) fn note(&mut self, finding: Finding) {
        self.outcome.findings.push(finding);
    }

    /// The goal set, once every sheet is read: a total row becomes the KGI of a goal set
    /// that has none, and the metrics without a target cell take it from their plan.
    pub(super) fn finish(mut self) -> ReadOutcome {
        self.apply_set_rules();
        self.apply_goal_entries();
        self.adopt_total_row();
        self.targets_from_plan();
        self.outcome
    }

    /// SPEC 7 `[[set]]`: each rule fills the fields its metrics' rows leave empty, in order
    /// (a later rule wins); W18 for a rule that matches no metric.
    fn apply_set_rules(&mut self) {
        let settings = self.settings;
        for (i, rule) in settings.set.iter().enumerate() {
            // Checked when the config was loaded.
            let Ok(fill) = rule.fill() else { continue };
            let mut matched = false;
            let metrics = self
                .outcome
                .goal_set
                .metrics
                .iter_mut()
                .chain(self.totals.iter_mut());
            for metric in metrics {
                if !rule.matches(&metric.id, &metric.name, &metric.location.sheet) {
                    continue;
                }
                matched = true;
                let given = self.given.get(&metric.id).map_or(&[][..], Vec::as_slice);
                if fill_metric(metric, &fill, given) {
                    self.without_target.retain(|id| *id != metric.id);
                }
            }
            if !matched {
                self.outcome.findings.push(Finding::new(
                    Problem::RuleMatchesNothing {
                        rule: rule.label(i),
                    },
                    None,
                    None,
                ));
            }
        }
    }

    /// SPEC 7 `[[goal]]`: an entry whose id or name is a metric's fills that metric's
    /// empty fields; any other adds a goal (a KGI unless its type says otherwise), with the
    /// top-level metrics its `children` name under it. A goal with `rollup = "sum"` and no
    /// target takes the sum of its children's targets. W18 when its children name nothing.
    fn apply_goal_entries(&mut self) {
        let settings = self.settings;
        // Entries that fill a workbook metric first (a sum goal adds up their targets), then
        // those that add a goal.
        let (filling, adding): (Vec<&GoalEntry>, Vec<&GoalEntry>) =
            settings.goal.iter().partition(|g| {
                self.outcome
                    .goal_set
                    .metrics
                    .iter()
                    .any(|m| g.is(&m.id, &m.name))
            });
        let added: Vec<&str> = adding.iter().map(|g| g.id.as_str()).collect();
        for goal in filling.into_iter().chain(adding.iter().copied()) {
            // Checked when the config was loaded.
            let Ok(fill) = goal.fill() else { continue };
            let metrics = &mut self.outcome.goal_set.metrics;
            let existing = metrics.iter_mut().find(|m| goal.is(&m.id, &m.name));
            let id = match existing {
                Some(metric) => {
                    let given = self.given.get(&metric.id).map_or(&[][..], Vec::as_slice);
                    if fill_metric(metric, &fill, given) {
                        self.without_target.retain(|id| *id != metric.id);
                    }
                    metric.id.clone()
                }
                None => {
                    let name = goal.name.as_deref().unwrap_or(&goal.id);
                    let mut metric = Metric::new(&goal.id, name, Kind::Kgi, 0.0);
                    metric.target = None;
                    metric.location = Location::sheet(&goal.label());
                    if !fill_metric(&mut metric, &fill, &[]) {
                        self.without_target.push(metric.id.clone());
                    }
                    metrics.insert(0, metric);
                    goal.id.clone()
                }
            };
            let mut children = Vec::new();
            for m in metrics.iter_mut() {
                let another_goal = added.contains(&m.id.as_str());
                if m.parent.is_none()
                    && m.id != id
                    && !another_goal
                    && goal.is_parent_of(&m.id, &m.name)
                {
                    m.parent = Some(id.clone());
                    children.push((m.id.clone(), m.unit.clone(), m.target));
                }
            }
            if !goal.children.is_empty() && children.is_empty() {
                self.outcome.findings.push(Finding::new(
                    Problem::RuleMatchesNothing { rule: goal.label() },
                    None,
                    None,
                ));
            }
            let Some(parent) = metrics.iter_mut().find(|m| m.id == id) else {
                continue;
            };
            if parent.unit.is_none() {
                let mut units = children.iter().map(|(_, u, _)| u.clone());
                if let Some(first) = units.next() {
                    if units.all(|u| u == first) {
                        parent.unit = first;
                    }
                }
            }
            let complete = !children.is_empty()
                && children.iter().all(|(child, unit, _)| {
                    *unit == parent.unit && !self.without_target.contains(child)
                });
            if parent.rollup == Rollup::Sum && self.without_target.contains(&id) && complete {
                parent.target = children.iter().map(|(_, _, t)| *t).sum();
                self.without_target.retain(|pending| *pending != id);
            }
        }
    }

    /// SPEC 3 total rows: when the goal set has no KGI, the first total row becomes the KGI
    /// with rollup `sum` over the other top-level rows of its sheet. Otherwise (or for a
    /// second total row) it is left out, as in v1.
    fn adopt_total_row(&mut self) {
        let metrics = &mut self.outcome.goal_set.metrics;
        if metrics.iter().any(|m| m.kind == Kind::Kgi) || self.totals.is_empty() {
            return;
        }
        let mut total = self.totals.remove(0);
        self.totals.clear();
        if metrics.iter().any(|m| m.id == total.id) {
            return;
        }
        total.kind = Kind::Kgi;
        total.rollup = Rollup::Sum;
        total.parent = None;
        let mut children_targets = Vec::new();
        for m in metrics.iter_mut() {
            if m.parent.is_none() && m.location.sheet == total.location.sheet {
                m.parent = Some(total.id.clone());
                children_targets.push((m.id.clone(), m.unit.clone(), m.target));
            }
        }
        if total.unit.is_none() {
            // The children's common unit, when they have one.
            let mut units = children_targets.iter().map(|(_, u, _)| u.clone());
            if let Some(first) = units.next() {
                if units.all(|u| u == first) {
                    total.unit = first;
                }
            }
        }
        if self.without_target.contains(&total.id) {
            // A total row without a target: the sum of its children's targets when they all
            // have one in its unit (else from its plan, else it is an error).
            let complete = !children_targets.is_empty()
                && children_targets
                    .iter()
                    .all(|(id, unit, _)| *unit == total.unit && !self.without_target.contains(id));
            if complete {
                total.target = children_targets.iter().map(|(_, _, t)| *t).sum();
                self.without_target.retain(|id| *id != total.id);
            }
        }
        metrics.insert(0, total);
    }

    /// SPEC 3 target from the plan: a metric without a target cell takes its plan total
    /// (`sum`) or its last plan value (`last`, `average`); then a `sum` parent without one
    /// takes the sum of its same-unit children's targets when they all have one. A metric
    /// left without a target is tracked (`target` stays `None`: status `no_target`, W19).
    fn targets_from_plan(&mut self) {
        if self.without_target.is_empty() {
            return;
        }
        let default_aggregation = self.settings.default_aggregation;
        let pending = std::mem::take(&mut self.without_target);
        let metrics = &mut self.outcome.goal_set.metrics;
        for metric in metrics.iter_mut() {
            if !pending.contains(&metric.id) {
                continue;
            }
            let aggregation = metric.aggregation.unwrap_or(default_aggregation);
            metric.target = match aggregation {
                _ if metric.plan.is_empty() => None,
                Aggregation::Sum => Some(metric.plan.iter().map(|p| p.value).sum()),
                Aggregation::Last | Aggregation::Average => {
                    metric.plan.iter().max_by_key(|p| p.date).map(|p| p.value)
                }
            };
        }
        // Deepest parents first: one pass per level, at most as many as there are metrics.
        for _ in 0..metrics.len() {
            let mut changed = false;
            for i in 0..metrics.len() {
                let parent = &metrics[i];
                if parent.target.is_some()
                    || parent.rollup != Rollup::Sum
                    || !pending.contains(&parent.id)
                {
                    continue;
                }
                // Children in another unit are drivers, not summed.
                let children: Vec<&Metric> = metrics
                    .iter()
                    .filter(|m| m.parent.as_deref() == Some(parent.id.as_str()))
                    .filter(|m| m.unit == parent.unit)
                    .collect();
                let total = children.iter().map(|c| c.target).sum::<Option<f64>>();
                if let (false, Some(total)) = (children.is_empty(), total) {
                    metrics[i].target = Some(total);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// (v2) SPEC 3 goal set from a table: a workbook without a goal sheet takes every key
    /// of its period tables as a metric named by its key (I03 says so). A metric with a
    /// plan (a Plan sheet's values, or an `X Target` column) takes the plan total as its
    /// target (aggregation `sum`: a plan by period is an amount per period), starts with
    /// its first plan month and ends with its last; one without a plan needs a target from
    /// `[[goal]]`.
    pub(super) fn metrics_from_tables(
        &mut self,
        tables: &[(SheetRole, PeriodTable)],
    ) -> Result<(), Vec<Finding>> {
        let limit = self.settings.limits.max_metrics as usize;
        let mut known: std::collections::HashSet<String> = self
            .outcome
            .goal_set
            .metrics
            .iter()
            .map(|m| normalize_key(&m.id))
            .collect();
        // Plan tables first: a key that has a plan is a metric with a target (its plan
        // total) and aggregation `sum`, whichever sheet lists it first.
        let plans = tables.iter().filter(|(role, _)| *role == SheetRole::Plan);
        let others = tables.iter().filter(|(role, _)| *role != SheetRole::Plan);
        for (role, table) in plans.chain(others) {
            // Per key (a long table lists a key again when its rows are not together):
            // its first value's cell and its first and last plan dates.
            type Seen = (
                Option<(u32, u32)>,
                Option<(chrono::NaiveDate, chrono::NaiveDate)>,
            );
            // (keyed by the normalised keys, borrowed: no new string for every value)
            let mut seen: HashMap<&str, Seen> = HashMap::new();
            let mut key_dates: HashMap<&str, Vec<chrono::NaiveDate>> = HashMap::new();
            let mut order: Vec<(&str, &str)> = Vec::new();
            let keys: Vec<String> = table.keys.iter().map(|k| normalize_key(k)).collect();
            let plan_all = *role == SheetRole::Plan;
            let values = table
                .entries
                .iter()
                .map(|e| (e, plan_all))
                .chain(table.plans.iter().map(|e| (e, true)));
            for (entry, plan) in values {
                let Some(key) = keys.get(entry.key as usize) else {
                    continue;
                };
                let slot = seen.entry(key.as_str()).or_insert_with(|| {
                    let written = table
                        .keys
                        .get(entry.key as usize)
                        .map_or("", String::as_str);
                    order.push((key.as_str(), written));
                    (None, None)
                });
                key_dates.entry(key.as_str()).or_default().push(entry.date);
                if slot.0.is_none_or(|cell| (entry.row, entry.col) < cell) {
                    slot.0 = Some((entry.row, entry.col));
                }
                if plan {
                    slot.1 = Some(match slot.1 {
                        Some((first, last)) => (first.min(entry.date), last.max(entry.date)),
                        None => (entry.date, entry.date),
                    });
                }
            }
            let (mut added, mut planned) = (0usize, 0usize);
            for (wanted, key) in order {
                // A row key naming a total (`Total Income`, `営業費用合計`) sums the rows
                // above it: not a metric (its rows are reported as I02).
                if !table.down && total_row_key(key) {
                    continue;
                }
                if !known.insert(wanted.to_string()) {
                    continue;
                }
                if self.outcome.goal_set.metrics.len() >= limit {
                    let problem = Problem::TooLarge {
                        what: format!("more than {limit} keys in sheet \"{}\"", table.sheet),
                        limit: format!("max_metrics = {limit}"),
                    };
                    return Err(vec![Finding::new(
                        problem,
                        None,
                        Some(Location::sheet(&table.sheet)),
                    )]);
                }
                let (cell, dates) = seen.get(wanted).copied().unwrap_or((None, None));
                let mut metric = Metric::new(key, key, Kind::Kpi, 0.0);
                // Measured as often as the table's dates say (a budget by month: monthly).
                metric.frequency = key_dates
                    .get(wanted)
                    .map(|d| super::period_table::frequency_of(d));
                // The cell of its first value: findings about the metric point there.
                metric.location = match cell {
                    Some((row, col)) => Location::cell(&table.sheet, row, col),
                    None => Location::sheet(&table.sheet),
                };
                if let Some((first, last)) = dates {
                    metric.aggregation = Some(Aggregation::Sum);
                    metric.deadline = Some(last);
                    metric.start = first.with_day(1).filter(|start| *start < last);
                    planned += 1;
                }
                self.without_target.push(metric.id.clone());
                self.outcome.goal_set.metrics.push(metric);
                added += 1;
            }
            if added > 0 {
                let shape = if table.down {
                    "rows"
                } else if table.wide {
                    "wide"
                } else {
                    "long"
                };
                self.note(Finding::new(
                    Problem::GoalSetFromTable {
                        sheet: table.sheet.clone(),
                        shape,
                        metrics: added,
                        planned,
                    },
                    None,
                    Some(Location::sheet(&table.sheet)),
                ));
            }
        }
        Ok(())
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
            // Keys written another way (`ｓａｌｅｓ`, `Sales `): matched after normalising.
            let mut loose: Option<HashMap<String, usize>> = None;
            table
                .keys
                .iter()
                .map(|k| {
                    if let Some(i) = index.get(k.as_str()) {
                        return Some(*i);
                    }
                    let loose = loose.get_or_insert_with(|| {
                        let mut loose = HashMap::new();
                        for (i, m) in metrics.iter().enumerate() {
                            loose.entry(normalize_key(&m.name)).or_insert(i);
                        }
                        for (i, m) in metrics.iter().enumerate() {
                            loose.insert(normalize_key(&m.id), i);
                        }
                        loose
                    });
                    loose.get(&normalize_key(k)).copied()
                })
                .collect()
        };
        let plan_role = role == SheetRole::Plan;
        let mut counts = vec![0usize; metrics.len()];
        let mut plan_counts = vec![0usize; metrics.len()];
        for entry in &table.entries {
            if let Some(Some(i)) = targets.get(entry.key as usize) {
                counts[*i] += 1;
            }
        }
        for entry in &table.plans {
            if let Some(Some(i)) = targets.get(entry.key as usize) {
                plan_counts[*i] += 1;
            }
        }
        for ((metric, count), plans) in metrics.iter_mut().zip(&counts).zip(&plan_counts) {
            if plan_role {
                metric.plan.reserve_exact(*count + *plans);
            } else {
                metric.measurements.reserve_exact(*count);
                metric.plan.reserve_exact(*plans);
            }
        }
        // Rows whose key is no metric's (I02): their rows, total and first keys.
        let mut unmatched_rows: Vec<u32> = Vec::new();
        let mut unmatched_total = 0.0;
        let mut unmatched_keys: Vec<String> = Vec::new();
        let values = table
            .entries
            .into_iter()
            .map(|e| (e, plan_role))
            .chain(table.plans.into_iter().map(|e| (e, true)));
        for (entry, plan) in values {
            let Some(Some(i)) = targets.get(entry.key as usize) else {
                if unmatched_rows.last() != Some(&entry.row) {
                    unmatched_rows.push(entry.row);
                }
                unmatched_total += entry.value;
                let key = table.keys.get(entry.key as usize);
                if let Some(key) = key {
                    if unmatched_keys.len() < 5 && !unmatched_keys.contains(key) {
                        unmatched_keys.push(key.clone());
                    }
                }
                continue;
            };
            let metric = &mut metrics[*i];
            let source = Source::Table {
                table: table_index,
                row: entry.row,
                col: entry.col,
            };
            if plan {
                metric.plan.push(PlanValue {
                    date: entry.date,
                    value: entry.value,
                    source,
                });
            } else {
                metric.measurements.push(Measurement {
                    date: Some(entry.date),
                    value: entry.value,
                    source,
                });
            }
        }
        if table.down {
            // Down the rows, a metric's plan and values come row by row: keep the plan in
            // date order.
            for metric in metrics.iter_mut() {
                metric.plan.sort_by_key(|p| p.date);
            }
        }
        if !unmatched_rows.is_empty() {
            unmatched_rows.sort_unstable();
            unmatched_rows.dedup();
            let problem = Problem::UnmatchedRows {
                rows: unmatched_rows.len() as u64,
                total: cell::format_plain_number(unmatched_total),
                keys: unmatched_keys,
            };
            self.outcome.findings.push(Finding::new(
                problem,
                None,
                Some(Location::sheet(&table.sheet)),
            ));
        }
        self.outcome.findings.extend(table.findings);
    }
}

impl SheetReader<'_> {
    /// Load the goal sheets (a KGI sheet, a KPI sheet, or either alone) and read their rows
    /// into metrics.
    pub(super) fn read_goal_sheets(
        &mut self,
        kgi: Option<&str>,
        kpi: Option<&str>,
    ) -> Result<(), Vec<Finding>> {
        let (settings, names) = (self.settings, self.names);
        let Some(workbook) = self.workbook.as_deref_mut() else {
            return Ok(());
        };
        let kgi = match kgi {
            Some(name) => load_sheet(workbook, name, SheetRole::Kgi, settings, names).map(Some),
            None => Ok(None),
        };
        let kpi = match kpi {
            Some(name) => load_sheet(workbook, name, SheetRole::Kpi, settings, names).map(Some),
            None => Ok(None),
        };
        let (kgi, kpi) = both(kgi, kpi)?;
        self.read_loaded_goals(kgi, kpi)
    }

    /// Read the rows of the loaded goal sheets into metrics (a CSV input has one sheet).
    pub(super) fn read_loaded_goals(
        &mut self,
        kgi: Option<LoadedSheet>,
        kpi: Option<LoadedSheet>,
    ) -> Result<(), Vec<Finding>> {
        let rows = kgi.as_ref().map_or(0, |s| s.data_rows().len())
            + kpi.as_ref().map_or(0, |s| s.data_rows().len());
        let limit = self.settings.limits.max_metrics;
        if rows > limit as usize {
            let problem = Problem::TooLarge {
                what: format!("{rows} metric rows in the KGI and KPI sheets"),
                limit: format!("max_metrics = {limit}"),
            };
            let sheet = kpi.as_ref().or(kgi.as_ref()).map(|s| s.name.as_str());
            return Err(vec![Finding::new(
                problem,
                None,
                sheet.map(Location::sheet),
            )]);
        }
        let japanese = kpi
            .as_ref()
            .or(kgi.as_ref())
            .is_some_and(|s| s.header.japanese);
        self.outcome.goal_set.header_lang = if japanese { Lang::Ja } else { Lang::En };
        if let Some(kgi) = kgi {
            self.read_metrics(kgi, SheetRole::Kgi);
        }
        if let Some(kpi) = kpi {
            self.read_metrics(kpi, SheetRole::Kpi);
        }
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

    /// The columns of config `id_columns` on this sheet's header row, when it has them all.
    fn id_columns(&self, sheet: &LoadedSheet) -> Vec<u32> {
        let wanted = &self.settings.id_columns;
        if wanted.is_empty() {
            return Vec::new();
        }
        let width = self.settings.limits.max_columns.min(1024);
        let found: Vec<u32> = wanted
            .iter()
            .filter_map(|name| {
                let key = crate::text::normalize_key(name);
                (0..width).find(|col| {
                    matches!(sheet.cell(sheet.header.row, *col),
                        Data::String(s) if crate::text::normalize_key(s) == key)
                })
            })
            .collect();
        if found.len() == wanted.len() {
            found
        } else {
            Vec::new()
        }
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
        // SPEC 7 `id_columns`: the id is those columns' values joined with `/`; a value left
        // empty under one written above it (部門 written once per block) carries down.
        let id_columns = self.id_columns(&sheet);
        let mut fields = fields;
        if let Some(first) = id_columns.first() {
            fields.retain(|(f, _)| *f != Field::Id);
            fields.push((Field::Id, *first));
        }
        let mut carried: Vec<Option<String>> = vec![None; id_columns.len()];
        // The rows that became metrics, for the sheet's period columns (goal_months).
        let mut metric_rows: Vec<(u32, String)> = Vec::new();
        for row in sheet.data_rows() {
            let mut cells: HashMap<Field, (u32, Data)> = HashMap::new();
            let mut problems: Vec<(Problem, Location)> = Vec::new();
            for (field, col) in &fields {
                if *field == Field::Id && !id_columns.is_empty() {
                    continue;
                }
                match sheet.value(row, *col) {
                    Ok(data) => {
                        cells.insert(*field, (*col, data));
                    }
                    Err(p) => problems.push((p, sheet.location(row, *col))),
                }
            }
            if !id_columns.is_empty() {
                let last = id_columns.len() - 1;
                for (i, (slot, col)) in carried.iter_mut().zip(&id_columns).enumerate() {
                    match cell::text(sheet.cell(row, *col)) {
                        Ok(Some(text)) => *slot = Some(text),
                        // Only the leading columns carry down (a block's 部門).
                        _ if i == last => *slot = None,
                        _ => {}
                    }
                }
                let parts: Vec<&str> = carried.iter().flatten().map(String::as_str).collect();
                let others_blank = cells.values().all(|(_, d)| cell::is_blank(d));
                // An incomplete id (a 合計 row under 部門) leaves the row to the name.
                if parts.len() == id_columns.len() && !others_blank {
                    cells.insert(Field::Id, (id_columns[0], Data::String(parts.join("/"))));
                }
            }
            if cells.values().all(|(_, d)| cell::is_blank(d)) && problems.is_empty() {
                continue;
            }
            // A section heading (`DEMAND GENERATION`, often merged across the row): a name
            // and nothing else is not a metric, and its empty cells are not errors.
            // A value in a period column (`Jan … Dec`) makes the row a metric.
            let has_periods = goal_months::has_values(&sheet, row);
            let heading = problems.is_empty()
                && !has_periods
                && cells
                    .iter()
                    .filter(|(f, _)| **f != Field::Name)
                    .all(|(_, (_, d))| cell::is_blank(d));
            if heading {
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
            let built = build_metric(
                &sheet,
                (row, has_periods),
                role,
                &fields,
                &cells,
                &mut problems,
                self.settings,
            );
            if !merged.is_empty() {
                problems.retain(|(p, location)| {
                    !(matches!(p, Problem::MissingId) && merged.iter().any(|(_, l)| l == location))
                });
                problems.extend(merged);
            }
            match built {
                Some(built) if problems.is_empty() => {
                    let given: Vec<Field> = cells
                        .iter()
                        .filter(|(_, (_, d))| !cell::is_blank(d))
                        .map(|(f, _)| *f)
                        .collect();
                    self.given.entry(built.metric.id.clone()).or_insert(given);
                    if built.target_missing {
                        self.without_target.push(built.metric.id.clone());
                    }
                    metric_rows.push((row, built.metric.id.clone()));
                    match built.row {
                        RowKind::Metric => self.outcome.goal_set.metrics.push(built.metric),
                        RowKind::Total => self.totals.push(built.metric),
                    }
                }
                built => {
                    let id = built.map(|b| b.metric.id).or_else(|| {
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
        // (v2) Period columns on the goal sheet (`Jan … Dec`): the rows' measurements.
        let table = self
            .fiscal
            .and_then(|fiscal| goal_months::read(&sheet, fiscal, &metric_rows));
        if let Some(table) = table {
            self.add_table(SheetRole::Actuals, table);
        }
    }
}

/// Fill the fields a `[[set]]` rule gives and the row does not; true when it gave the target.
fn fill_metric(metric: &mut Metric, fill: &Fill, given: &[Field]) -> bool {
    let free = |field: Field| !given.contains(&field);
    if let (Some(v), true) = (fill.direction, free(Field::Direction)) {
        metric.direction = v;
    }
    if let (Some(v), true) = (fill.aggregation, free(Field::Aggregation)) {
        metric.aggregation = Some(v);
    }
    if let (Some(v), true) = (&fill.unit, free(Field::Unit)) {
        metric.unit = Unit::new(v);
    }
    if let (Some(v), true) = (fill.frequency, free(Field::Frequency)) {
        metric.frequency = Some(v);
    }
    if let (Some(v), true) = (&fill.owner, free(Field::Owner)) {
        metric.owner = Some(v.clone());
    }
    if let (Some(v), true) = (fill.weight, free(Field::Weight)) {
        metric.weight = v;
    }
    if let (Some(v), true) = (fill.rollup, free(Field::Rollup)) {
        metric.rollup = v;
    }
    if let (Some(v), true) = (fill.kind, free(Field::Type)) {
        metric.kind = v;
    }
    if let (Some(v), true) = (fill.forecast_method, free(Field::ForecastMethod)) {
        metric.forecast_method = Some(v);
    }
    if let (Some(v), true) = (&fill.source, free(Field::Source)) {
        metric.source = super::source::source_keys(v);
    }
    if let (Some(v), true) = (fill.baseline, free(Field::Baseline)) {
        metric.baseline = Some(v);
    }
    if let (Some(v), true) = (&fill.parent, free(Field::Parent)) {
        if *v != metric.id {
            metric.parent = Some(v.clone());
        }
    }
    if let (Some(v), true) = (fill.start, free(Field::Start)) {
        metric.start = Some(v);
    }
    if let (Some(v), true) = (fill.deadline, free(Field::Deadline)) {
        metric.deadline = Some(v);
    }
    match (fill.target, free(Field::Target)) {
        (Some(v), true) => {
            metric.target = Some(v);
            true
        }
        _ => false,
    }
}

/// What a row is besides a metric (SPEC 3): a grand total (合計, Total…), a subtotal
/// (小計, Subtotal…, never a metric), or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TotalWord {
    Grand,
    Sub,
}

fn total_word(name: Option<&str>) -> Option<TotalWord> {
    let key = crate::text::normalize_key(name?);
    let key = key.trim_end_matches([':', '：']);
    if [
        "合計",
        "総計",
        "全社合計",
        "計",
        "総合計",
        "total",
        "grandtotal",
        "sum",
        "totals",
        "overall",
    ]
    .contains(&key)
    {
        Some(TotalWord::Grand)
    } else if ["小計", "subtotal", "sub-total"].contains(&key) {
        Some(TotalWord::Sub)
    } else {
        None
    }
}

/// (v2) A period table's row key that names a total: a total word alone (SPEC 3 total
/// rows), or as the first or last word of the key (`Total Income`, `Expenses total`), or
/// a key ending in 合計/小計 (`販管費合計`).
fn total_row_key(key: &str) -> bool {
    if total_word(Some(key)).is_some() {
        return true;
    }
    let lower = key.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let english = |w: Option<&&str>| w.is_some_and(|w| ["total", "totals", "subtotal"].contains(w));
    let key = crate::text::normalize_key(key);
    let key = key.trim_end_matches([':', '：']);
    (words.len() > 1 && (english(words.first()) || english(words.last())))
        || (key.chars().count() > 2 && (key.ends_with("合計") || key.ends_with("小計")))
}

/// A goal-sheet row as read: a metric or a total row, and whether its target cell was
/// empty (then its target is a placeholder until the plan is read).
struct Built {
    metric: Metric,
    row: RowKind,
    target_missing: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowKind {
    Metric,
    Total,
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
    (row, has_periods): (u32, bool),
    role: SheetRole,
    fields: &[(Field, u32)],
    cells: &HashMap<Field, (u32, Data)>,
    problems: &mut Vec<(Problem, Location)>,
    settings: &Settings,
) -> Option<Built> {
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
    let has_id_column = cells.contains_key(&Field::Id);
    let total = total_word(name.as_deref());
    if total == Some(TotalWord::Sub) || (total.is_some() && role == SheetRole::Kgi && id.is_none())
    {
        // A subtotal is the sum of rows above it, never a metric of its own.
        return None;
    }
    // A heading (`Income:`, 販売費及び一般管理費): a name and nothing else.
    let others_blank = cells
        .iter()
        .filter(|(f, _)| **f != Field::Name)
        .all(|(_, (_, d))| cell::is_blank(d));
    if id.is_none() && others_blank && !has_periods {
        return None;
    }
    let id = match id {
        Some(id) => Some(id),
        // Without an id column the name is the id; a total row is named by its name.
        None if !has_id_column || total.is_some() => match name.clone() {
            Some(name) => Some(name),
            // A row of figures without a name: a note or an unnamed total, not a metric.
            None => return None,
        },
        None => {
            // A note without an id or a target: not a metric.
            target?;
            problems.push((Problem::MissingId, loc(Field::Id)));
            None
        }
    };
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
        cell::deadline(
            get(Field::Deadline),
            Column::Field(Field::Deadline),
            settings.fiscal_year_start_month,
        ),
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
    let source = keep(cell::text(get(Field::Source)), loc(Field::Source), problems);
    let id = id?;
    // An empty target cell: the target comes from the plan (or, for a total row, from the
    // rows it adds up); a cell that could not be read has its own finding already.
    let target_missing = target.is_none();
    if target_missing && !cell::is_blank(get(Field::Target)) {
        return None;
    }
    if unit.is_none() {
        // A target typed as `12%`, `6,000万円` or `100件` says its unit.
        unit = [Field::Target, Field::Actual, Field::Baseline]
            .into_iter()
            .find_map(|f| match get(f) {
                Data::String(s) => cell::unit_word(s),
                _ => None,
            });
    }
    let mut columns = fields.to_vec();
    if !has_id_column {
        // Messages about the id (E01) name the name cell.
        if let Some((_, col)) = fields.iter().find(|(f, _)| *f == Field::Name) {
            columns.push((Field::Id, *col));
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
    let metric = Metric {
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
        source: source
            .as_deref()
            .map(super::source::source_keys)
            .unwrap_or_default(),
        plan: Vec::new(),
        measurements,
        location: if sheet.text {
            Location::line(&sheet.name, row, None)
        } else {
            Location::row(&sheet.name, row)
        },
        columns,
    };
    Some(Built {
        metric,
        row: if total.is_some() && role == SheetRole::Kpi {
            RowKind::Total
        } else {
            RowKind::Metric
        },
        target_missing,
    })
}
