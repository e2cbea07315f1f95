//! Steps every sheet of the report workbook shares: closing a table (autofilter, frozen
//! header, print setup), the page setup with header and footer, status colours and progress
//! bars as conditional formats, and cell references for formulas.

use rust_xlsxwriter::{
    ColNum, ConditionalFormatCell, ConditionalFormatCellRule, ConditionalFormatDataBar,
    ConditionalFormatType, RowNum, Worksheet, XlsxError,
};

use crate::findings::Severity;
use crate::model::Lang;
use crate::report::context::ReportContext;

use super::formats::{self, Formats};
use super::labels;
use super::sheet::Sheet;

/// A table's closing steps: an autofilter over its header row (row 0) and the rows below
/// it to `last_row`, across `cols`; the header row and the columns before `frozen_col`
/// frozen; the print setup repeating the header; the columns fitted.
pub(crate) fn finish_table(
    sheet: &mut Sheet,
    ctx: &ReportContext,
    last_row: RowNum,
    cols: (ColNum, ColNum),
    frozen_col: ColNum,
) -> Result<(), XlsxError> {
    sheet.ws.autofilter(0, cols.0, last_row, cols.1)?;
    sheet.ws.set_freeze_panes(1, frozen_col)?;
    page_setup(sheet.ws, ctx, Some(0))?;
    sheet.fit_columns()
}

/// Landscape, one page wide, the header row repeated on every page, and a header and
/// footer with the title, as-of date, source, sheet and page numbers.
pub(crate) fn page_setup(
    ws: &mut Worksheet,
    ctx: &ReportContext,
    header_row: Option<RowNum>,
) -> Result<(), XlsxError> {
    let lang = ctx.lang;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.25, 0.25);
    ws.set_print_center_horizontally(true);
    if let Some(row) = header_row {
        ws.set_repeat_rows(row, row)?;
    }
    let title = header_text(&labels::report_title(
        &ctx.settings.company,
        ctx.owner,
        lang,
    ));
    let as_of = match lang {
        Lang::En => format!("As of {}", ctx.analysis.as_of),
        Lang::Ja => format!("{} 時点", ctx.analysis.as_of.format("%Y/%m/%d")),
    };
    ws.set_header(format!("&L&\"-,Bold\"{title}&C&A&R{as_of}"));
    let page = lang.pick("Page &P of &N", "&P / &N ページ");
    ws.set_footer(format!("&L{}&C{page}&Rkpi-report", header_text(ctx.source)));
    Ok(())
}

/// User text in a header or footer: `&` starts a code there, so it is doubled, and the
/// text is kept short enough for Excel's 255-character limit.
pub(crate) fn header_text(text: &str) -> String {
    let short: String = text.chars().filter(|c| !c.is_control()).take(60).collect();
    short.replace('&', "&&")
}

/// Colour a column of status labels by conditional formatting, one rule per status.
pub(crate) fn add_status_colours(
    ws: &mut Worksheet,
    rows: (RowNum, RowNum),
    col: ColNum,
    lang: Lang,
    formats: &Formats,
) -> Result<(), XlsxError> {
    if rows.1 < rows.0 {
        return Ok(());
    }
    for status in formats::STATUSES {
        let rule = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::EqualTo(status.label(lang)))
            .set_format(formats.status_highlight(status));
        ws.add_conditional_format(rows.0, col, rows.1, col, &rule)?;
    }
    Ok(())
}

/// Data bars for progress: empty at 0 %, full at 100 %, light enough to read the number.
pub(crate) fn progress_bars() -> ConditionalFormatDataBar {
    ConditionalFormatDataBar::new()
        .set_minimum(ConditionalFormatType::Number, 0)
        .set_maximum(ConditionalFormatType::Number, 1)
        .set_fill_color("#9DC3E6")
        .set_border_color("#5B9BD5")
        .set_solid_fill(true)
}

/// `A1`-style reference to a cell (zero-based row and column).
pub(crate) fn cell_ref(row: RowNum, col: ColNum) -> String {
    format!(
        "{}{}",
        crate::model::column_letters(u32::from(col)),
        row + 1
    )
}

/// Height of one line of text, in points.
pub fn line_height(lang: Lang) -> f64 {
    match lang {
        Lang::En => 15.0,
        Lang::Ja => 18.75,
    }
}

/// Severity as shown: capitalised in English ("Warning"), as is in Japanese.
pub fn severity_label(severity: Severity, lang: Lang) -> &'static str {
    match (severity, lang) {
        (Severity::Error, Lang::En) => "Error",
        (Severity::Warning, Lang::En) => "Warning",
        (Severity::Info, Lang::En) => "Info",
        (s, Lang::Ja) => s.label(Lang::Ja),
    }
}
