//! The Tree sheet: the KPI tree as an outline. Names are indented by level and every
//! metric's descendants form an Excel row group under it, so a reader can fold the tree to
//! the KGIs or to any level.

use rust_xlsxwriter::{ColNum, RowNum, Worksheet, XlsxError};

use crate::analysis::MetricReport;
use crate::model::{Kind, Lang};
use crate::report::context::ReportContext;

use super::formats::{Formats, ValueKind};
use super::labels::{self, SheetNames};
use super::layout::{add_status_colours, finish_table};
use super::sheet::Sheet;

const ID: ColNum = 0;
const NAME: ColNum = 1;
const TYPE: ColNum = 2;
const PARENT: ColNum = 3;
const OWNER: ColNum = 4;
const UNIT: ColNum = 5;
const DIRECTION: ColNum = 6;
const FREQUENCY: ColNum = 7;
const WEIGHT: ColNum = 8;
const ROLLUP: ColNum = 9;
const IMPACT: ColNum = 10;
const PROGRESS: ColNum = 11;
const STATUS: ColNum = 12;
const DEADLINE: ColNum = 13;
const INPUT_CELL: ColNum = 14;
const COLUMNS: usize = 15;
/// Excel's deepest outline level.
const MAX_OUTLINE_LEVEL: usize = 7;

fn headers(lang: Lang) -> [&'static str; COLUMNS] {
    [
        "ID",
        lang.pick("Name", "名称"),
        lang.pick("Type", "種別"),
        lang.pick("Parent", "親ID"),
        lang.pick("Owner", "担当者"),
        lang.pick("Unit", "単位"),
        lang.pick("Direction", "方向"),
        lang.pick("Frequency", "測定頻度"),
        lang.pick("Weight", "ウェイト"),
        lang.pick("Rollup", "集計"),
        lang.pick("Impact on KGI", "KGI\n影響度"),
        lang.pick("Progress", "進捗率"),
        lang.pick("Status", "状況"),
        lang.pick("Deadline", "期限"),
        lang.pick("Input cell", "入力セル"),
    ]
}

/// For each metric in tree (pre-)order, given by its depth, the index of its last
/// descendant (itself when it has none): descendants follow a metric with a greater depth.
pub(crate) fn subtree_ends(depths: &[usize]) -> Vec<usize> {
    let mut ends: Vec<usize> = (0..depths.len()).collect();
    let mut open: Vec<usize> = Vec::new();
    for (i, depth) in depths.iter().enumerate() {
        while let Some(&top) = open.last() {
            if depths[top] >= *depth {
                ends[top] = i - 1;
                open.pop();
            } else {
                break;
            }
        }
        open.push(i);
    }
    for top in open {
        ends[top] = depths.len().saturating_sub(1);
    }
    ends
}

pub fn write(
    ws: &mut Worksheet,
    ctx: &ReportContext,
    formats: &Formats,
    names: &SheetNames,
) -> Result<(), XlsxError> {
    let lang = ctx.lang;
    ws.set_name(names.tree)?;
    ws.set_row_height(0, 33)?;
    ws.group_symbols_above(true);
    let mut sheet = Sheet::down_columns(ws, COLUMNS);
    sheet.cap(NAME, 56.0);
    sheet.cap(INPUT_CELL, 30.0);
    sheet.headers(0, &headers(lang), &formats.header)?;

    let metrics = &ctx.analysis.metrics;
    for (i, report) in metrics.iter().enumerate() {
        write_row(&mut sheet, i as RowNum + 1, report, lang, formats)?;
    }
    let depths: Vec<usize> = metrics.iter().map(|m| m.depth).collect();
    let ends = subtree_ends(&depths);
    for (i, report) in metrics.iter().enumerate() {
        if ends[i] > i && report.depth < MAX_OUTLINE_LEVEL {
            sheet
                .ws
                .group_rows(i as RowNum + 2, ends[i] as RowNum + 1)?;
        }
    }
    let last_row = metrics.len() as RowNum;
    let ws = &mut *sheet.ws;
    add_status_colours(ws, (1, last_row), STATUS, lang, formats)?;
    finish_table(&mut sheet, ctx, last_row, (ID, INPUT_CELL), NAME + 1)
}

fn write_row<'f>(
    sheet: &mut Sheet<'_, 'f>,
    row: RowNum,
    report: &MetricReport,
    lang: Lang,
    formats: &'f Formats,
) -> Result<(), XlsxError> {
    let m = &report.metric;
    sheet.text(row, ID, &m.id, &formats.text)?;
    sheet.indented_text(
        row,
        NAME,
        &m.name,
        report.depth,
        formats.name(report.depth, m.kind == Kind::Kgi),
    )?;
    sheet.text(row, TYPE, labels::kind(m.kind), &formats.text_center)?;
    sheet.text(
        row,
        PARENT,
        m.parent.as_deref().unwrap_or(""),
        &formats.text_center,
    )?;
    sheet.text(row, OWNER, m.owner.as_deref().unwrap_or(""), &formats.text)?;
    sheet.text(
        row,
        UNIT,
        m.unit.as_deref().unwrap_or(""),
        &formats.text_center,
    )?;
    sheet.text(
        row,
        DIRECTION,
        labels::direction(m.direction, lang),
        &formats.text_center,
    )?;
    let frequency = m
        .frequency
        .map(|f| labels::frequency(f, lang))
        .unwrap_or("");
    sheet.text(row, FREQUENCY, frequency, &formats.text_center)?;
    sheet.number(row, WEIGHT, m.weight, ValueKind::Decimal, &formats.weight)?;
    // The rollup only matters for a parent.
    let rollup = if report.is_leaf() {
        ""
    } else {
        labels::rollup(m.rollup, lang)
    };
    sheet.text(row, ROLLUP, rollup, &formats.text_center)?;
    sheet.maybe_number(
        row,
        IMPACT,
        report.impact,
        ValueKind::Percent,
        &formats.percent,
    )?;
    sheet.maybe_number(
        row,
        PROGRESS,
        report.now.progress,
        ValueKind::Percent,
        &formats.percent,
    )?;
    sheet.text(
        row,
        STATUS,
        report.now.status.label(lang),
        &formats.text_center,
    )?;
    sheet.date(row, DEADLINE, report.now.deadline, &formats.date)?;
    sheet.text(
        row,
        INPUT_CELL,
        &m.cell_of(crate::model::Field::Id).reference(),
        &formats.text_muted,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtrees_end_before_the_next_sibling() {
        // Depths of a pre-order walk: K(0) a(1) a1(2) b(1) L(0)
        let depths = [0, 1, 2, 1, 0];
        assert_eq!(subtree_ends(&depths), vec![3, 2, 2, 3, 4]);
        assert!(subtree_ends(&[]).is_empty());
    }
}
