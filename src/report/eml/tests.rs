//! Unit tests of `report::eml`.

use super::*;
use crate::analysis::Analysis;
use crate::config::Settings;
use crate::display;
use mail_parser::{MessageParser, MimeHeaders};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn empty_analysis() -> Analysis {
    Analysis {
        as_of: d(2026, 10, 31),
        previous_as_of: d(2026, 9, 30),
        metrics: Vec::new(),
        priorities: Vec::new(),
        findings: Vec::new(),
    }
}

fn mailbox(text: &str) -> crate::config::Mailbox {
    crate::config::mailbox::parse_mailbox(text).unwrap()
}

fn settings(subject: &str, to: &[&str], cc: &[&str]) -> Settings {
    Settings {
        email: Email {
            from: mailbox("経営企画部 <planning@example.co.jp>"),
            to: to.iter().map(|s| mailbox(s)).collect(),
            cc: cc.iter().map(|s| mailbox(s)).collect(),
            subject: subject.to_string(),
            ..Email::default()
        },
        ..Settings::default()
    }
}

#[test]
fn subject_pattern_is_filled_in_one_pass() {
    let as_of = d(2026, 10, 31);
    assert_eq!(
        subject("KPIレポート {period}: {stem}", "売上目標", as_of),
        "KPIレポート 2026-10: 売上目標"
    );
    assert_eq!(
        subject("{as_of} {stem}", "odd{period}", as_of),
        "2026-10-31 odd{period}"
    );
    assert_eq!(subject("a\r\nb {x}", "s", as_of), "a  b {x}");
}

#[test]
fn numbers_and_percentages_in_the_text() {
    assert_eq!(display::figure(100_000_000.0), "100,000,000");
    assert_eq!(display::figure(-1_234_567.4), "-1,234,567");
    assert_eq!(display::figure(44.0), "44");
    assert_eq!(display::figure(0.126), "0.13");
    assert_eq!(display::figure(2.5), "2.5");
    assert_eq!(display::percent(0.4075), "40.8%");
    assert_eq!(display::percent(f64::NAN), "–");
}

#[test]
fn message_structure_headers_and_attachment_round_trip() {
    let analysis = empty_analysis();
    let settings = settings(
        "KPIレポート {period}: {stem}",
        &["Sato <sato@example.com>", "kpi@example.com"],
        &["鈴木 <suzuki@example.com>"],
    );
    let ctx = ReportContext {
        source: "売上目標.xlsx",
        lang: Lang::Ja,
        analysis: &analysis,
        settings: &settings,
        owner: None,
    };
    let workbook: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
    let html = "<p>進捗 52.0%</p>";
    let text = text_summary(
        &crate::report::view::view(&ctx),
        Lang::Ja,
        Some("売上目標-report.xlsx"),
    );
    let bytes = render(&ctx, "売上目標", html, &text, &workbook).unwrap();

    let message = MessageParser::default().parse(&bytes).unwrap();
    assert_eq!(message.subject(), Some("KPIレポート 2026-10: 売上目標"));
    let from = message.from().unwrap().first().unwrap();
    assert_eq!(from.name(), Some("経営企画部"));
    assert_eq!(from.address(), Some("planning@example.co.jp"));
    let to: Vec<_> = message.to().unwrap().iter().map(|a| a.address()).collect();
    assert_eq!(to, [Some("sato@example.com"), Some("kpi@example.com")]);
    let cc = message.cc().unwrap().first().unwrap();
    assert_eq!(cc.name(), Some("鈴木"));
    assert_eq!(message.date().unwrap().to_rfc3339(), "2026-10-31T00:00:00Z");
    let id = message.message_id().unwrap();
    assert!(
        id.starts_with("2026-10-31.") && id.ends_with("@example.co.jp"),
        "{id}"
    );

    let root = message.root_part();
    let root_type = root.content_type().unwrap();
    assert_eq!(
        (root_type.ctype(), root_type.subtype()),
        ("multipart", Some("mixed"))
    );
    assert_eq!(message.body_text(0).unwrap(), text);
    assert_eq!(message.body_html(0).unwrap(), html);
    assert_eq!(message.attachment_count(), 1);
    let attachment = message.attachment(0).unwrap();
    assert_eq!(attachment.attachment_name(), Some("売上目標-report.xlsx"));
    let ctype = attachment.content_type().unwrap();
    assert_eq!(
        format!("{}/{}", ctype.ctype(), ctype.subtype().unwrap()),
        XLSX_CONTENT_TYPE
    );
    assert_eq!(attachment.contents(), &workbook[..]);

    let again = render(&ctx, "売上目標", html, &text, &workbook).unwrap();
    assert_eq!(bytes, again, "the same report gives the same bytes");
    let other = render(&ctx, "売上目標", "<p>changed</p>", &text, &workbook).unwrap();
    assert_ne!(
        MessageParser::default().parse(&other).unwrap().message_id(),
        Some(id),
        "another report gets another Message-ID"
    );
}

#[test]
fn no_recipients_still_gives_a_message_and_a_warning() {
    let analysis = empty_analysis();
    let settings = settings("KPI report {period}: {stem}", &[], &[]);
    let ctx = ReportContext {
        source: "sales.xlsx",
        lang: Lang::En,
        analysis: &analysis,
        settings: &settings,
        owner: None,
    };
    let bytes = render(&ctx, "sales", "<p>x</p>", "x", b"xlsx").unwrap();
    let message = MessageParser::default().parse(&bytes).unwrap();
    assert!(message.to().is_none());
    assert_eq!(message.subject(), Some("KPI report 2026-10: sales"));
    assert!(recipients_warning(&settings.email).is_some());
    assert!(recipients_warning(&self::settings("s", &["a@b.c"], &[]).email).is_none());
}

#[test]
fn boundaries_avoid_the_bodies() {
    let hash = 0x1234;
    let first = boundary("alt", hash, &[]);
    assert_eq!(first, "=_kpi-report-alt-0000000000001234");
    let body = format!("text {first} text");
    let second = boundary("alt", hash, &[&body]);
    assert_ne!(second, first);
    assert!(!body.contains(&second));
}
