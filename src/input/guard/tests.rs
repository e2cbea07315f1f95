//! Unit tests of `input::guard`.

use super::*;

#[test]
fn panic_sites_say_whose_code_it_is() {
    assert_eq!(
        short_source_path(
            "/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/calamine-0.38.0/src/xlsx/mod.rs"
        ),
        "calamine-0.38.0/src/xlsx/mod.rs"
    );
    assert_eq!(
        short_source_path("/rustc/59807616e1fa/library/core/src/slice/index.rs"),
        "library/core/src/slice/index.rs"
    );
    assert_eq!(short_source_path("src/input/grid.rs"), "src/input/grid.rs");
    assert_eq!(
        short_source_path("/work/kpi-report/src/input/grid.rs"),
        "src/input/grid.rs"
    );
}

#[test]
fn a_panic_in_the_parser_becomes_a_finding() {
    let result: Result<(), Vec<Finding>> = guarded(|| panic!("boom"));
    let findings = result.expect_err("the panic is a finding");
    assert_eq!(findings.len(), 1);
    match &findings[0].problem {
        Problem::Unreadable { detail } => assert!(
            detail.starts_with(
                "the spreadsheet parser failed on it: boom at src/input/guard/tests.rs:"
            ),
            "{detail}"
        ),
        other => panic!("unexpected problem {other:?}"),
    }
    // Outside the guard the thread's state is back to normal, and a second guarded run
    // does not see the first one's message.
    assert!(!GUARDED.with(Cell::get));
    let fine: Result<u8, Vec<Finding>> = guarded(|| Ok(7));
    assert_eq!(fine.ok(), Some(7));
}
