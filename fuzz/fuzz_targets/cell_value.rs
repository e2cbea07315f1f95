//! libFuzzer target: the cell-value parser (numbers, dates, words) on arbitrary input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    kpi_report_fuzz::cell_value(data);
});
