//! Unit tests of `delivery::sent_log`.

use super::*;

#[test]
fn recorded_deliveries_are_known_to_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("logs/sent.log");
    {
        let mut log = SentLog::open(&path).unwrap();
        assert!(!log.contains("<a@x>", "sato@example.jp"));
        log.record("<a@x>", "sato@example.jp", "sales-佐藤-report.eml")
            .unwrap();
        // A second run while this one holds the lock is refused.
        assert!(SentLog::open(&path)
            .unwrap_err()
            .contains("another kpi-report"));
    }
    let log = SentLog::open(&path).unwrap();
    assert!(log.contains("<a@x>", "SATO@example.jp"));
    assert!(!log.contains("<a@x>", "suzuki@example.jp"));
    assert!(!log.contains("<b@x>", "sato@example.jp"));
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().filter(|l| l.starts_with('#')).count(), 1);
    let line = text.lines().nth(1).unwrap();
    assert!(
        line.ends_with("\t<a@x>\tsato@example.jp\tsales-佐藤-report.eml"),
        "{line}"
    );
    assert!(SentLog::read_only(&dir.path().join("none.log"))
        .unwrap()
        .is_empty());
}
