use std::cell::RefCell;
use std::collections::HashMap;

use super::*;

/// A relay that answers from a script per recipient (errors first, then success) and keeps
/// what it delivered.
struct Scripted {
    script: RefCell<HashMap<String, Vec<SendError>>>,
    delivered: RefCell<Vec<(String, String)>>,
    attempts: RefCell<usize>,
}

impl Scripted {
    fn new(script: &[(&str, Vec<SendError>)]) -> Scripted {
        Scripted {
            script: RefCell::new(
                script
                    .iter()
                    .map(|(to, errors)| (to.to_string(), errors.clone()))
                    .collect(),
            ),
            delivered: RefCell::new(Vec::new()),
            attempts: RefCell::new(0),
        }
    }
}

impl Relay for Scripted {
    fn send(&self, _from: &str, to: &str, message: &[u8]) -> Result<(), SendError> {
        *self.attempts.borrow_mut() += 1;
        if let Some(errors) = self.script.borrow_mut().get_mut(to) {
            if !errors.is_empty() {
                return Err(errors.remove(0));
            }
        }
        self.delivered.borrow_mut().push((
            to.to_string(),
            String::from_utf8_lossy(message).into_owned(),
        ));
        Ok(())
    }
}

fn message(id: &str, to: &[&str]) -> Outgoing {
    let text = format!(
        "From: kpi@example.jp\r\nTo: {}\r\nMessage-ID: <{id}>\r\nSubject: s\r\n\r\nbody {id}\r\n",
        to.join(", ")
    );
    message::parse(Path::new(&format!("{id}.eml")), text.into_bytes()).unwrap()
}

fn policy(retries: u32) -> RetryPolicy {
    RetryPolicy {
        retries,
        first_delay: Duration::from_millis(100),
    }
}

#[test]
fn one_refused_recipient_does_not_stop_the_others_and_transient_failures_are_retried() {
    let dir = tempfile::tempdir().unwrap();
    let mut log = SentLog::open(&dir.path().join("sent.log")).unwrap();
    let relay = Scripted::new(&[
        (
            "bad@example.jp",
            vec![SendError::Permanent("550 no such user".into())],
        ),
        (
            "slow@example.jp",
            vec![
                SendError::Transient("451 try later".into()),
                SendError::Transient("connection lost".into()),
            ],
        ),
    ]);
    let waits = RefCell::new(Vec::new());
    let messages = [message(
        "m1",
        &["a@example.jp", "bad@example.jp", "slow@example.jp"],
    )];
    let report = send(
        &messages,
        &relay,
        &mut log,
        policy(3),
        &|d| waits.borrow_mut().push(d),
        Lang::En,
    );
    assert_eq!(report.delivered, 2);
    assert_eq!(report.failures.len(), 1);
    assert_eq!(
        report.failures[0].line(Lang::En),
        "kpi-report: error: m1.eml: not delivered to bad@example.jp: 550 no such user"
    );
    // Back-off: 100 ms, then 200 ms.
    assert_eq!(
        *waits.borrow(),
        [Duration::from_millis(100), Duration::from_millis(200)]
    );
    let delivered: Vec<String> = relay
        .delivered
        .borrow()
        .iter()
        .map(|d| d.0.clone())
        .collect();
    assert_eq!(delivered, ["a@example.jp", "slow@example.jp"]);

    // The next run sends only to the one not delivered.
    let report = send(&messages, &relay, &mut log, policy(3), &|_| {}, Lang::En);
    assert_eq!((report.delivered, report.already_sent), (1, 2));
    assert!(report.failures.is_empty());
}

#[test]
fn transient_failures_give_up_after_the_retries() {
    let dir = tempfile::tempdir().unwrap();
    let mut log = SentLog::open(&dir.path().join("sent.log")).unwrap();
    let relay = Scripted::new(&[(
        "a@example.jp",
        vec![SendError::Transient("421 busy".into()); 5],
    )]);
    let report = send(
        &[message("m", &["a@example.jp"])],
        &relay,
        &mut log,
        policy(2),
        &|_| {},
        Lang::Ja,
    );
    assert_eq!(*relay.attempts.borrow(), 3);
    assert_eq!(
        report.failures[0].line(Lang::Ja),
        "kpi-report: エラー: m.eml: a@example.jp に送信できませんでした: 421 busy（3回試行）"
    );
    // Nothing recorded: the next run tries again.
    assert!(!log.contains("<m>", "a@example.jp"));
}

#[test]
fn dry_run_lists_who_would_get_what_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sent.log");
    let messages = [message("m", &["a@example.jp", "b@example.jp"])];
    let report = dry_run(&messages, &path, Lang::En).unwrap();
    assert_eq!(
        report.lines,
        ["would send m.eml to a@example.jp, b@example.jp (subject: s)"]
    );
    assert!(!path.exists());
    SentLog::open(&path)
        .unwrap()
        .record("<m>", "a@example.jp", "m.eml")
        .unwrap();
    let report = dry_run(&messages, &path, Lang::En).unwrap();
    assert_eq!(
        report.lines,
        [
            "would send m.eml to b@example.jp (subject: s)",
            "already sent m.eml to a@example.jp"
        ]
    );
}
