//! The Checks sheet: every finding with its code, severity, message in the report
//! language and where it stands in the input.

use rust_xlsxwriter::{
    ColNum, ConditionalFormatCell, ConditionalFormatCellRule, RowNum, Worksheet, XlsxError,
};

use crate::config::EXCEL_DATA_ROWS;
use crate::findings::Severity;
use crate::model::Lang;
use crate::report::context::ReportContext;

use super::formats::Formats;
use super::labels::SheetNames;
use super::layout::finish_table;
use super::layout::{line_height, severity_label};
use super::sheet::{display_width, Sheet};

const CODE: ColNum = 0;
const SEVERITY: ColNum = 1;
const ID: ColNum = 2;
const MESSAGE: ColNum = 3;
const LOCATION: ColNum = 4;
const COLUMNS: usize = 5;
/// Longer messages wrap.
const MAX_MESSAGE_WIDTH: usize = 90;

fn headers(lang: Lang) -> [&'static str; COLUMNS] {
    [
        lang.pick("Code", "コード"),
        lang.pick("Severity", "重要度"),
        "ID",
        lang.pick("Message", "内容"),
        lang.pick("Location", "場所"),
    ]
}

pub fn write(
    ws: &mut Worksheet,
    ctx: &ReportContext,
    formats: &Formats,
    names: &SheetNames,
) -> Result<(), XlsxError> {
    let lang = ctx.lang;
    ws.set_name(names.checks)?;
    ws.set_row_height(0, 22)?;
    let mut sheet = Sheet::new(ws, COLUMNS);
    sheet.cap(MESSAGE, MAX_MESSAGE_WIDTH as f64);
    sheet.cap(LOCATION, 30.0);
    sheet.headers(0, &headers(lang), &formats.header)?;

    // Excel's rows end at 1,048,576: when the findings outnumber them, the last row says how
    // many more there are (the JSON and `check` list them all).
    let (shown, more) = rows_shown(ctx.analysis.findings.len());
    let findings = &ctx.analysis.findings[..shown];
    let messages: Vec<String> = findings.iter().map(|f| f.message(lang)).collect();
    // Rows are written in order and cannot be revisited, so the message column's width is
    // known first and long messages get the height of their wrapped lines.
    let message_width = messages
        .iter()
        .map(|m| display_width(m))
        .max()
        .unwrap_or(0)
        .min(MAX_MESSAGE_WIDTH) as f64;
    for (i, (finding, message)) in findings.iter().zip(&messages).enumerate() {
        let row = i as RowNum + 1;
        let lines = (display_width(message) as f64 / message_width.max(1.0)).ceil();
        if lines > 1.0 {
            sheet
                .ws
                .set_row_height(row, line_height(lang) * lines + 3.0)?;
        }
        sheet.text(row, CODE, finding.code().as_str(), &formats.text_center)?;
        sheet.text(
            row,
            SEVERITY,
            severity_label(finding.severity(), lang),
            &formats.text_center,
        )?;
        sheet.text(row, ID, finding.id.as_deref().unwrap_or(""), &formats.text)?;
        sheet.text(row, MESSAGE, message, &formats.text_wrap)?;
        let location = finding
            .location
            .as_ref()
            .map(|l| l.reference())
            .unwrap_or_default();
        sheet.text(row, LOCATION, &location, &formats.text_muted)?;
    }
    if more > 0 {
        let note = match lang {
            Lang::En => format!("… and {more} more findings: `kpi-report check` lists them all"),
            Lang::Ja => format!("…ほか{more}件の指摘は `kpi-report check` ですべて表示できます"),
        };
        sheet.loose_text(shown as RowNum + 1, CODE, &note, &formats.subtitle)?;
    }
    if findings.is_empty() {
        sheet.loose_text(
            1,
            CODE,
            lang.pick(
                "No findings: the goal set passes every check.",
                "指摘事項はありません。すべてのチェックに合格しました。",
            ),
            &formats.subtitle,
        )?;
    }
    let last_row = findings.len() as RowNum;
    let ws = &mut *sheet.ws;
    if last_row >= 1 {
        for (severity, format) in [
            (Severity::Error, &formats.highlight_error),
            (Severity::Warning, &formats.highlight_warning),
            (Severity::Info, &formats.highlight_info),
        ] {
            let rule = ConditionalFormatCell::new()
                .set_rule(ConditionalFormatCellRule::EqualTo(severity_label(
                    severity, lang,
                )))
                .set_format(format);
            ws.add_conditional_format(1, SEVERITY, last_row, SEVERITY, &rule)?;
        }
    }
    finish_table(&mut sheet, ctx, last_row, (CODE, LOCATION), 0)
}

/// How many findings get a row of their own, and how many more a closing note counts.
fn rows_shown(findings: usize) -> (usize, usize) {
    let rows = EXCEL_DATA_ROWS as usize;
    if findings <= rows {
        (findings, 0)
    } else {
        (rows - 1, findings - (rows - 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_beyond_the_last_row_are_counted() {
        assert_eq!(rows_shown(0), (0, 0));
        assert_eq!(rows_shown(1_048_575), (1_048_575, 0));
        assert_eq!(rows_shown(1_048_576), (1_048_574, 2));
        assert_eq!(rows_shown(3_400_000), (1_048_574, 2_351_426));
    }
}
