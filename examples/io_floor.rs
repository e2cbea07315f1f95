//! The I/O floor for the benchmark: read every sheet of a workbook fully with calamine and
//! write an output with the same number of cells with rust_xlsxwriter, nothing else.
//! `kpi-report run` on the same input is compared against this.
//!
//! `cargo run --release --example io_floor -- IN.xlsx OUT.xlsx [ZIP_LEVEL]`
//!
//! Without `ZIP_LEVEL` the output is saved with rust_xlsxwriter's defaults (zip level 6):
//! that is the floor of the benchmark. With it (a large report uses 1), it shows how much of
//! the floor is compression.

use calamine::{open_workbook_auto, Data, Reader};
use rust_xlsxwriter::Workbook;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let input = args
        .get(1)
        .ok_or("usage: io_floor IN.xlsx OUT.xlsx [ZIP_LEVEL]")?;
    let output = args
        .get(2)
        .ok_or("usage: io_floor IN.xlsx OUT.xlsx [ZIP_LEVEL]")?;
    let zip_level: Option<u8> = match args.get(3) {
        Some(level) => Some(level.parse().map_err(|_| "ZIP_LEVEL is 1 to 9")?),
        None => None,
    };
    let start = std::time::Instant::now();
    let mut source = open_workbook_auto(input)?;
    let mut target = Workbook::new();
    if let Some(level) = zip_level {
        target.set_zip_compression_level(level);
    }
    let mut cells = 0usize;
    for name in source.sheet_names() {
        let range = source.worksheet_range(&name)?;
        let sheet = target.add_worksheet();
        sheet.set_name(&name)?;
        for (r, row) in range.rows().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    Data::Empty => continue,
                    Data::Float(f) => sheet.write_number(r, c, *f)?,
                    Data::Int(i) => sheet.write_number(r, c, *i as f64)?,
                    Data::String(s) => sheet.write_string(r, c, s)?,
                    other => sheet.write_string(r, c, other.to_string())?,
                };
                cells += 1;
            }
        }
    }
    let read_and_filled = start.elapsed().as_secs_f64();
    target.save(output)?;
    eprintln!(
        "copied {cells} cells: read and filled in {read_and_filled:.3} s, saved in {:.3} s",
        start.elapsed().as_secs_f64() - read_and_filled
    );
    Ok(())
}
