//! libFuzzer target: a whole workbook read from bytes, analysed, rendered as JSON.
#![no_main]

use std::sync::OnceLock;

use kpi_report::config::Settings;

static SETTINGS: OnceLock<Settings> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let settings = SETTINGS.get_or_init(kpi_report_fuzz::fuzz_settings);
    let _ = kpi_report_fuzz::workbook(data, settings);
});
