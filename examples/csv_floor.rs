//! The floors of the sources benchmark, for a CP932 journal export (`gen_journal`):
//! - `decode`: read the file and decode it from CP932 with encoding_rs, nothing else;
//! - `sum` (the SPEC 8 floor): that, plus parsing it with the `csv` crate and summing the
//!   amount column by key and month in a hash map.
//!
//! `cargo run --release --example csv_floor -- IN.csv decode|sum [KEY_COL DATE_COL VALUE_COL]`
//! (columns zero-based; defaults 2 0 6, the layout `gen_journal` writes).

use std::collections::HashMap;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let input = args.get(1).ok_or("usage: csv_floor IN.csv decode|sum")?;
    let mode = args.get(2).map(String::as_str).unwrap_or("sum");
    let col =
        |i: usize, default: usize| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let (key_col, date_col, value_col) = (col(3, 2), col(4, 0), col(5, 6));
    let start = std::time::Instant::now();
    let bytes = std::fs::read(input)?;
    let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(&bytes);
    if had_errors {
        return Err("not CP932".into());
    }
    if mode == "decode" {
        eprintln!("decoded {} chars in {:?}", text.len(), start.elapsed());
        return Ok(());
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut sums: HashMap<(String, String), f64> = HashMap::new();
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record)? {
        let (Some(key), Some(date), Some(value)) = (
            record.get(key_col),
            record.get(date_col),
            record.get(value_col),
        ) else {
            continue;
        };
        let month = date.get(..7).unwrap_or(date).to_string();
        let cleaned: String = value
            .chars()
            .filter(|c| *c != ',')
            .map(|c| if c == '△' { '-' } else { c })
            .collect();
        let amount: f64 = cleaned.parse().map_err(|_| format!("amount {value}"))?;
        *sums.entry((key.to_string(), month)).or_insert(0.0) += amount;
    }
    let total: f64 = sums.values().sum();
    eprintln!(
        "{} sums, total {total}, in {:?}",
        sums.len(),
        start.elapsed()
    );
    Ok(())
}
