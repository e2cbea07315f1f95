//! The colours of a status, defined once for every output: the HTML summary's badges and
//! bars, the workbook's status cells and the Summary sheet's chart. Dark text on a light tint
//! passes contrast; the bar is a mid-tone. A status is never shown by colour alone: every
//! output writes its symbol and word too.

use crate::findings::Severity;
use crate::model::Status;

/// How one status is coloured, as `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusColours {
    /// Text on `fill`.
    pub ink: &'static str,
    /// Badge or cell background.
    pub fill: &'static str,
    /// Progress bar or chart bar.
    pub bar: &'static str,
}

pub fn status_colours(status: Status) -> StatusColours {
    let (ink, fill, bar) = match status {
        Status::OnTrack => ("#116329", "#dcf5e3", "#2da44e"),
        Status::Achieved => ("#0a4fa3", "#dbeafe", "#3b82f6"),
        Status::AtRisk => ("#7a4d00", "#fff1c2", "#e0a100"),
        Status::OffTrack => ("#a3151f", "#fde2e1", "#e5484d"),
        Status::Overdue => ("#ffffff", "#a3151f", "#a3151f"),
        Status::NotStarted | Status::NoData => ("#4b5563", "#eef0f3", "#9ca3af"),
        // Neither good nor bad: a metric tracked without a target (W19).
        Status::NoTarget => ("#4c4372", "#eeebf7", "#a49bc7"),
    };
    StatusColours { ink, fill, bar }
}

/// Text and background of a finding's severity: the status colours of the same weight.
pub fn severity_colours(severity: Severity) -> StatusColours {
    status_colours(match severity {
        Severity::Error => Status::OffTrack,
        Severity::Warning => Status::AtRisk,
        Severity::Info => Status::NoData,
    })
}

/// `#rrggbb` as the number rust_xlsxwriter's `Color::RGB` takes.
pub fn rgb(hex: &str) -> u32 {
    u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_colours_convert_for_the_workbook() {
        assert_eq!(rgb("#116329"), 0x116329);
        assert_eq!(rgb(status_colours(Status::Overdue).ink), 0xFFFFFF);
    }
}
