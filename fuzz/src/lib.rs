//! What the fuzz targets run, shared by the libFuzzer targets (`fuzz_targets/`) and the
//! stable-toolchain runner (`src/bin/stable_fuzz.rs`): the cell-value parser on arbitrary
//! text and numbers, and a whole workbook read from bytes and analysed as `kpi-report run`
//! would, down to the JSON report.

use calamine::Data;
use chrono::NaiveDate;
use kpi_report::config::Settings;
use kpi_report::contract::{Column, DIRECTION_WORDS};
use kpi_report::input::names::NameTable;
use kpi_report::input::{cell, value};
use kpi_report::model::{Field, Lang};
use kpi_report::report::{json, ReportContext};

/// The cell-value parser: `data` as the text typed in a cell, and its first bytes as the
/// numbers a cell can store.
pub fn cell_value(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = value::parse_number(&text);
    let _ = value::parse_date(&text);
    let _ = value::parse_period_header(&text);
    let _ = value::parse_direction(&text);
    let _ = value::parse_frequency(&text);
    let _ = value::parse_rollup(&text);
    let _ = value::parse_kind(&text);
    let _ = kpi_report::text::normalize_key(&text);
    let _ = kpi_report::text::quoted(&text);
    let _ = value::has_japanese(&text);
    let mut cells = vec![Data::String(text.into_owned())];
    if let Some(bytes) = data.get(..8) {
        let mut raw = [0u8; 8];
        raw.copy_from_slice(bytes);
        let float = f64::from_le_bytes(raw);
        let _ = value::excel_serial_to_date(float);
        cells.push(Data::Float(float));
        cells.push(Data::Int(i64::from_le_bytes(raw)));
    }
    for data in &cells {
        let _ = cell::number(data, Column::Field(Field::Target));
        let _ = cell::date(data, Column::Field(Field::Deadline));
        let _ = cell::period(data, Column::Date);
        let _ = cell::word(data, Column::Field(Field::Direction), &DIRECTION_WORDS);
        let _ = cell::text_cut(data, Column::Field(Field::Name));
        let _ = cell::raw_quoted(data);
        let _ = cell::text(data);
        let _ = cell::period_header(data);
        let _ = cell::raw_text(data);
    }
}

/// The settings the workbook target reads with: the defaults, with fewer cells allowed so
/// that inputs expanding to the limit stay within the fuzzer's memory budget.
pub fn fuzz_settings() -> Settings {
    let mut settings = Settings::default();
    settings.limits.max_cells = 1_000_000;
    settings
}

/// What reading one workbook came to, for the runners' bookkeeping.
pub enum Outcome {
    /// Read: the number of metrics analysed.
    Read(usize),
    /// Refused with findings; `parser_failed` when a panic was caught by the reader's guard.
    Refused {
        summary: String,
        parser_failed: bool,
    },
}

impl Outcome {
    /// Where a panic caught by the reader's guard happened (`calamine-0.38.0/src/xls.rs:633`,
    /// `src/input/grid.rs:120`), if one did.
    pub fn caught_panic_site(&self) -> Option<&str> {
        match self {
            Outcome::Refused {
                summary,
                parser_failed: true,
            } => summary
                .split("the spreadsheet parser failed on it: ")
                .nth(1)
                .and_then(|s| s.rsplit_once(" at "))
                .map(|(_, place)| place.split(')').next().unwrap_or(place)),
            _ => None,
        }
    }

    /// A caught panic in kpi-report's own code (its paths are relative, `src/...`): the
    /// guard hides it from users, but it is a bug to fix, so the fuzzers treat it as a crash.
    pub fn panicked_in_our_code(&self) -> bool {
        self.caught_panic_site()
            .is_some_and(|site| site.starts_with("src/"))
    }
}

/// Read and analyse workbook bytes, then render the JSON report.
pub fn workbook(data: &[u8], settings: &Settings) -> Outcome {
    let names = NameTable::new(settings);
    let as_of = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap_or_default();
    match kpi_report::input::read_bytes(data.to_vec(), settings, &names, as_of) {
        Ok(read) => {
            let mut analysis =
                kpi_report::analysis::analyse(read.goal_set, &read.invalid_ids, as_of, settings);
            analysis.findings.extend(read.findings);
            for lang in [Lang::En, Lang::Ja] {
                let ctx = ReportContext {
                    source: "fuzz.xlsx",
                    lang,
                    analysis: &analysis,
                    settings,
                    owner: None,
                };
                let _ = json::render(&ctx);
                for finding in &analysis.findings {
                    let _ = finding.line("fuzz.xlsx", lang);
                }
            }
            Outcome::Read(analysis.metrics.len())
        }
        Err(findings) => {
            let lines: Vec<String> = findings
                .iter()
                .map(|f| f.line("fuzz.xlsx", Lang::En))
                .collect();
            let parser_failed = lines
                .iter()
                .any(|l| l.contains("the spreadsheet parser failed on it"));
            for finding in &findings {
                let _ = finding.message(Lang::Ja);
            }
            Outcome::Refused {
                summary: lines.join("\n"),
                parser_failed,
            }
        }
    }
}
