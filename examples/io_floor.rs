//! The I/O floor for the benchmark: read every sheet of a workbook fully with calamine and
//! write an output with the same number of cells with rust_xlsxwriter, nothing else.
//! `kpi-report run` on the same input is compared against this.
//!
//! `cargo run --release --example io_floor -- IN.xlsx OUT.xlsx [ZIP_LEVEL] [CELLS]`
//! `cargo run --release --example io_floor -- count REPORT.xlsx`
//!
//! Without `ZIP_LEVEL` (or with `-`) the output is saved with rust_xlsxwriter's defaults (zip
//! level 6): that is the floor of the benchmark. With it (a large report uses 1), it shows
//! how much of the floor is compression. With `CELLS` the output has that many cells instead
//! of the input's: the input's cells are written again, onto more sheets, until there are
//! as many as a report has (`count` prints the number of cells holding a value in a
//! workbook), so the floor also shows what writing an output of the report's size costs.

use calamine::{open_workbook_auto, Data, Range, Reader};
use rust_xlsxwriter::Workbook;

const USAGE: &str =
    "usage: io_floor IN.xlsx OUT.xlsx [ZIP_LEVEL|-] [CELLS] | io_floor count FILE.xlsx";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let input = args.get(1).ok_or(USAGE)?;
    let output = args.get(2).ok_or(USAGE)?;
    if input == "count" {
        let mut book = open_workbook_auto(output)?;
        let mut cells = 0usize;
        for name in book.sheet_names() {
            let range = book.worksheet_range(&name)?;
            cells += range
                .used_cells()
                .filter(|(_, _, c)| **c != Data::Empty)
                .count();
        }
        println!("{cells}");
        return Ok(());
    }
    let zip_level: Option<u8> = match args.get(3).map(String::as_str) {
        Some("-") | None => None,
        Some(level) => Some(level.parse().map_err(|_| "ZIP_LEVEL is 1 to 9")?),
    };
    let wanted: Option<usize> = match args.get(4) {
        Some(cells) => Some(cells.parse().map_err(|_| "CELLS is a number")?),
        None => None,
    };
    let start = std::time::Instant::now();
    let mut source = open_workbook_auto(input)?;
    let mut target = Workbook::new();
    if let Some(level) = zip_level {
        target.set_zip_compression_level(level);
    }
    let mut cells = 0usize;
    let limit = wanted.unwrap_or(usize::MAX);
    // Each sheet is let go once written (the floor's memory is one sheet's range at a time),
    // unless it is to be written again.
    let mut kept: Vec<(String, Range<Data>)> = Vec::new();
    for name in source.sheet_names() {
        let range = source.worksheet_range(&name)?;
        copy(&mut target, &name, &range, &mut cells, limit)?;
        if wanted.is_some() {
            kept.push((name, range));
        }
    }
    for pass in 2.. {
        let before = cells;
        if cells >= limit || kept.is_empty() {
            break;
        }
        for (name, range) in &kept {
            copy(
                &mut target,
                &format!("{pass} {name}"),
                range,
                &mut cells,
                limit,
            )?;
        }
        if cells == before {
            break;
        }
    }
    let read_and_filled = start.elapsed().as_secs_f64();
    target.save(output)?;
    eprintln!(
        "wrote {cells} cells: read and filled in {read_and_filled:.3} s, saved in {:.3} s",
        start.elapsed().as_secs_f64() - read_and_filled
    );
    Ok(())
}

/// Write the cells of `range` onto a new sheet `name`, up to `limit` cells in all.
fn copy(
    target: &mut Workbook,
    name: &str,
    range: &Range<Data>,
    cells: &mut usize,
    limit: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let sheet = target.add_worksheet();
    sheet.set_name(name)?;
    for (r, row) in range.rows().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if *cells == limit {
                return Ok(());
            }
            let (r, c) = (r as u32, c as u16);
            match cell {
                Data::Empty => continue,
                Data::Float(f) => sheet.write_number(r, c, *f)?,
                Data::Int(i) => sheet.write_number(r, c, *i as f64)?,
                Data::String(s) => sheet.write_string(r, c, s)?,
                other => sheet.write_string(r, c, other.to_string())?,
            };
            *cells += 1;
        }
    }
    Ok(())
}
