//! The panic guard: a panic inside a spreadsheet parser (calamine's or ours) becomes an
//! unreadable-file finding for that input, printed nowhere, instead of ending the run.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use crate::findings::{Finding, Problem};

/// Run `parse` with a panic inside it caught and turned into an unreadable-file finding.
/// Work handed to another thread is guarded there by its own call.
pub(super) fn guarded<T>(
    parse: impl FnOnce() -> Result<T, Vec<Finding>>,
) -> Result<T, Vec<Finding>> {
    install_quiet_panic_hook();
    let was_guarded = GUARDED.with(|g| g.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(parse));
    GUARDED.with(|g| g.set(was_guarded));
    result.unwrap_or_else(|_| {
        let reason = CAUGHT_PANIC
            .with(|c| c.borrow_mut().take())
            .unwrap_or_else(|| "unknown error".to_string());
        Err(vec![Finding::file(Problem::Unreadable {
            detail: format!("the spreadsheet parser failed on it: {reason}"),
        })])
    })
}

thread_local! {
    /// True while this thread runs the guarded parser.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
    /// The message of the last panic caught on this thread while guarded.
    static CAUGHT_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A panic's source file, short but telling whose code it is: a dependency as
/// `calamine-0.38.0/src/xls.rs` (from its registry path), the standard library as
/// `library/core/src/...`, this crate as `src/input/grid.rs`.
fn short_source_path(file: &str) -> &str {
    let file_from = |marker: &str| file.find(marker).map(|i| &file[i + marker.len()..]);
    if let Some(rest) = file_from("/registry/src/") {
        // `index.crates.io-…/calamine-0.38.0/src/xls.rs`: drop the index folder.
        return rest.split_once(['/', '\\']).map_or(rest, |(_, path)| path);
    }
    if let Some(i) = file.find("library/") {
        return &file[i..];
    }
    match file.rfind("/src/") {
        Some(i) if file.starts_with('/') => &file[i + 1..],
        _ => file,
    }
}

/// Wrap the panic hook once: inside [`read_bytes`] a panic is recorded for the finding
/// instead of printed; everywhere else the previous hook runs unchanged.
fn install_quiet_panic_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if GUARDED.with(Cell::get) {
                let payload = info.payload();
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown error".to_string());
                let place = info
                    .location()
                    .map(|l| format!(" at {}:{}", short_source_path(l.file()), l.line()))
                    .unwrap_or_default();
                let reason = format!("{}{place}", crate::text::one_line(&message));
                CAUGHT_PANIC.with(|c| *c.borrow_mut() = Some(reason));
            } else {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests;
