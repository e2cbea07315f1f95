//! The documented exit codes (SPEC section 2) and the usage error that ends a run before any
//! input is read. A leaf: every layer may name them, none depends on another for them.

/// The documented exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    /// Reports written, no finding at or above `--fail-on`.
    Success = 0,
    /// Reports written, but findings at or above `--fail-on` (or `--keep-going` dropped rows).
    Findings = 1,
    /// Usage error, or an input unreadable or invalid (nothing written for it).
    Invalid = 2,
    /// Reports written, but at least one message could not be delivered (`--send`, `send`).
    /// Takes precedence over every other code: the reports are there, the mail is not.
    Undelivered = 3,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// A usage error: bad flags, config, date or templates. Exit 2 before any input is read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);
