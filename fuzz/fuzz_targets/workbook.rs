//! libFuzzer target: a whole workbook read from bytes, analysed, rendered as JSON.
#![no_main]

use std::sync::OnceLock;

use kpi_report::config::Settings;

static SETTINGS: OnceLock<Settings> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let settings = SETTINGS.get_or_init(kpi_report_fuzz::fuzz_settings);
    let outcome = kpi_report_fuzz::workbook(data, settings);
    // The reader's guard turns parser panics into messages; one in our own code is a bug.
    if outcome.panicked_in_our_code() {
        panic!(
            "panic in kpi-report caught by the reader's guard at {:?}",
            outcome.caught_panic_site()
        );
    }
});
