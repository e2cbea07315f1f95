//! Unit tests of `delivery::message`.

use super::*;

#[test]
fn envelope_from_the_headers() {
    let text = "From: =?utf-8?b?57WM5Za25LyB55S76YOo?= <planning@example.jp>\r\n\
                To: Sato <sato@example.jp>, kpi@example.jp\r\n\
                Cc: SATO@example.jp, =?utf-8?b?6Yi05pyo?= <suzuki@example.jp>\r\n\
                Subject: =?utf-8?b?S1BJ44Os44Od44O844OI?=\r\n\
                Message-ID: <2026-10-31.abc@example.jp>\r\n\r\nbody\r\n";
    let message = parse(Path::new("a.eml"), text.as_bytes().to_vec()).unwrap();
    assert_eq!(message.from, "planning@example.jp");
    assert_eq!(
        message.recipients,
        ["sato@example.jp", "kpi@example.jp", "suzuki@example.jp"]
    );
    assert_eq!(message.key, "<2026-10-31.abc@example.jp>");
    assert_eq!(message.subject, "KPIレポート");
}

#[test]
fn without_a_message_id_the_content_is_the_key() {
    let a = parse(
        Path::new("a.eml"),
        b"From: a@x.jp\r\nTo: b@x.jp\r\n\r\none\r\n".to_vec(),
    )
    .unwrap();
    let b = parse(
        Path::new("a.eml"),
        b"From: a@x.jp\r\nTo: b@x.jp\r\n\r\ntwo\r\n".to_vec(),
    )
    .unwrap();
    assert!(a.key.starts_with("sha:"));
    assert_ne!(a.key, b.key);
    assert!(parse(Path::new("a.eml"), b"To: b@x.jp\r\n\r\nx".to_vec()).is_err());
    assert!(parse(
        Path::new("a.eml"),
        b"From: a@x.jp\r\nBcc: c@x.jp\r\n\r\nx".to_vec()
    )
    .is_err());
}
