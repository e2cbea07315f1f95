//! Unit tests of `config::mailbox`.

use super::*;

#[test]
fn mailboxes_with_and_without_names() {
    let sato = parse_mailbox(" Sato Taro <sato@example.com> ").unwrap();
    assert_eq!(sato.name.as_deref(), Some("Sato Taro"));
    assert_eq!(sato.address, "sato@example.com");
    assert_eq!(sato.domain(), "example.com");
    assert_eq!(
        parse_mailbox("\"Sato, Finance\" <sato@example.com>")
            .unwrap()
            .name
            .as_deref(),
        Some("Sato, Finance")
    );
    assert_eq!(
        parse_mailbox("佐藤 太郎 <sato@example.jp>")
            .unwrap()
            .name
            .as_deref(),
        Some("佐藤 太郎")
    );
    assert_eq!(
        parse_mailbox("ops@example.com").unwrap().name,
        None::<String>
    );
    for bad in [
        "",
        "sato",
        "Sato <>",
        "a b@example.com",
        "sato@",
        "<@x>",
        "a@b, c@d",
    ] {
        assert!(parse_mailbox(bad).is_err(), "{bad}");
    }
}
