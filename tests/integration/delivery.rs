//! End-to-end tests of delivery (SPEC section 10): `run --burst owner --send` and
//! `send DIR` against a real SMTP server started on 127.0.0.1 for each test (Python's
//! aiosmtpd, `tests/fixtures/smtp/server.py`): login, STARTTLS with a certificate signed by
//! a CA trusted through `smtp.ca_file`, TLS from the first byte, a 451 then success, a 550
//! for one recipient, the sent log, `--dry-run`, per-owner messages read back.
//!
//! Without python3 and aiosmtpd the tests that need the server say so and pass, except when
//! KPI_REPORT_REQUIRE_SMTP_TESTS=1 (CI sets it): then they fail.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use calamine::{Data, Reader};
use mail_parser::{MessageParser, MimeHeaders};
use serde_json::Value;

use crate::support::{rows, write_book, Case, Run, AS_OF, KGI_HEAD, KPI_HEAD};

const PASSWORD: &str = "pw-Zq7!kpi-secret";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/smtp")
}

/// The test SMTP server, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Server {
    /// Start the server with `args`; `None` (the test passes, saying why) when python3 or
    /// aiosmtpd is missing, unless KPI_REPORT_REQUIRE_SMTP_TESTS=1.
    fn start(args: &[&str]) -> Option<Server> {
        let usable = Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .output()
            .is_ok_and(|o| o.status.success());
        if !usable {
            let why = "python3 with aiosmtpd is not installed (pip install aiosmtpd)";
            if std::env::var("KPI_REPORT_REQUIRE_SMTP_TESTS").is_ok_and(|v| v == "1") {
                panic!("KPI_REPORT_REQUIRE_SMTP_TESTS=1 but {why}");
            }
            eprintln!("SKIPPED: an SMTP delivery test: {why}");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let errors = std::fs::File::create(dir.path().join("server.err")).unwrap();
        let mut child = Command::new("python3")
            .arg(fixtures().join("server.py"))
            .arg("--dir")
            .arg(dir.path())
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(errors)
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .strip_prefix("PORT ")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| {
                let _ = child.kill();
                panic!(
                    "the SMTP server did not start: {line:?} {}",
                    std::fs::read_to_string(dir.path().join("server.err")).unwrap_or_default()
                )
            });
        Some(Server { child, port, dir })
    }

    /// The messages the server accepted, in order: the envelope recipients and the bytes.
    fn received(&self) -> Vec<(Vec<String>, Vec<u8>)> {
        (1..)
            .map(|n| self.dir.path().join(format!("{n}.eml")))
            .take_while(|p| p.exists())
            .map(|p| {
                let envelope: Value = serde_json::from_str(
                    &std::fs::read_to_string(p.with_extension("json")).unwrap(),
                )
                .unwrap();
                let to = envelope["rcpt_tos"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap().to_string())
                    .collect();
                (to, std::fs::read(&p).unwrap())
            })
            .collect()
    }

    fn recipients(&self) -> Vec<String> {
        let mut all: Vec<String> = self.received().into_iter().flat_map(|r| r.0).collect();
        all.sort();
        all
    }

    fn auth_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("auth.log")).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `kpi-report ARGS` in the case folder with `env` set.
fn kpi_report(case: &Case, args: &[&str], env: &[(&str, &str)]) -> Run {
    let output = assert_cmd::Command::cargo_bin("kpi-report")
        .unwrap()
        .current_dir(case.path(""))
        .env_remove("KPI_REPORT_SMTP_PASSWORD")
        .envs(env.iter().copied())
        .args(args)
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A KGI (owner 社長) over three KPIs: K-SATO (佐藤), K-SUZUKI under it (鈴木 一郎) and K-LEE
/// (Lee/Ops); a 宛先 sheet gives 鈴木 一郎's and Lee/Ops's addresses.
fn goals(case: &Case) -> PathBuf {
    let path = case.path("goals.xlsx");
    let kgi = vec![
        KGI_HEAD.to_vec(),
        vec![
            "G-100",
            "売上高",
            "n:1000",
            "万円",
            "increase",
            "d:2026-04-01",
            "d:2027-03-31",
            "社長",
            "monthly",
            "weighted",
        ],
    ];
    let kpi = |id, parent, kind, name, owner, actual| {
        vec![
            id,
            parent,
            kind,
            name,
            "n:100",
            "",
            "件",
            "increase",
            "d:2027-03-31",
            owner,
            "monthly",
            "n:1",
            "",
            actual,
            "d:2026-10-31",
        ]
    };
    let mut kpis = vec![KPI_HEAD.to_vec()];
    kpis.push(kpi("K-SATO", "G-100", "kpi", "新規売上", "佐藤", ""));
    kpis.push(kpi(
        "K-SUZUKI",
        "K-SATO",
        "kdi",
        "商談数",
        "鈴木 一郎",
        "n:40",
    ));
    kpis.push(kpi("K-LEE", "G-100", "kpi", "既存売上", "Lee/Ops", "n:55"));
    let recipients = rows(&[
        &["送付先一覧"],
        &["担当者", "メールアドレス"],
        &["鈴木 一郎", "suzuki@example.jp; ichiro@example.jp"],
        &["Lee/Ops", "lee@example.com"],
    ]);
    write_book(&path, &[("KGI", kgi), ("KPI", kpis), ("宛先", recipients)]);
    path
}

fn config(case: &Case, smtp: &str) {
    let ca = fixtures().join("ca.pem");
    case.write(
        "kpi-report.toml",
        format!(
            r#"[email]
from = "経営企画部 <planning@example.jp>"
to = ["部長 <boss@example.jp>"]
subject = "KPIレポート {{period}} {{owner}}"

[email.owners]
"佐藤" = "佐藤 花子 <sato@example.jp>"

[smtp]
retry_delay_s = 0
ca_file = "{}"
{smtp}
"#,
            ca.display().to_string().replace('\\', "\\\\")
        ),
    );
}

fn run_send(case: &Case, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let mut args = vec!["run", "goals.xlsx", "--as-of", AS_OF, "--out", "out"];
    args.extend(extra);
    kpi_report(case, &args, env)
}

/// Every cell of a sheet as text.
fn cells(workbook: &Path, sheet: &str) -> Vec<String> {
    let mut book = calamine::open_workbook_auto(workbook).unwrap();
    let range = book.worksheet_range(sheet).unwrap();
    range
        .used_cells()
        .filter_map(|(_, _, d)| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn each_owner_gets_their_part_over_starttls_with_a_login() {
    let Some(server) = Server::start(&["--starttls", "--auth", &format!("kpi:{PASSWORD}")]) else {
        return;
    };
    let case = Case::new();
    goals(&case);
    config(
        &case,
        &format!(
            "host = \"localhost\"\nport = {}\nsecurity = \"starttls\"\nusername = \"kpi\"\npassword_env = \"KPI_TEST_SMTP_PW\"",
            server.port
        ),
    );
    let run = run_send(
        &case,
        &["--burst", "owner", "--send"],
        &[("KPI_TEST_SMTP_PW", PASSWORD)],
    );
    assert!(matches!(run.code, 0 | 1), "{}", run.stderr);
    // 社長 has no address: a warning, a report, no message.
    assert!(
        run.stderr.contains("社長 has no e-mail address")
            || run.stderr.contains("社長 のメールアドレスがありません"),
        "{}",
        run.stderr
    );
    assert!(case.path("out/goals-社長-report.xlsx").exists());
    assert!(!case.path("out/goals-社長-report.eml").exists());
    // The owner part of the names made safe: Lee/Ops -> Lee_Ops, 鈴木 一郎 -> 鈴木_一郎.
    for name in [
        "goals-report.eml",
        "goals-佐藤-report.eml",
        "goals-鈴木_一郎-report.eml",
        "goals-Lee_Ops-report.eml",
        "goals-Lee_Ops-summary.html",
    ] {
        assert!(case.path(&format!("out/{name}")).exists(), "{name}");
    }
    // An owner's report says whose it is, in the HTML title and the workbook's Summary.
    let html = std::fs::read_to_string(case.path("out/goals-佐藤-summary.html")).unwrap();
    assert!(
        html.contains("<title>KPI report — 佐藤"),
        "owner in the HTML title"
    );
    let full = std::fs::read_to_string(case.path("out/goals-summary.html")).unwrap();
    assert!(
        !full.contains("KPI report — "),
        "the full report names no owner"
    );
    let summary = crate::support::sheet(&case.path("out/goals-佐藤-report.xlsx"), "Summary");
    assert!(
        summary
            .used_cells()
            .any(|(_, _, c)| c.to_string().contains("KPI report — 佐藤")),
        "owner in the Summary title"
    );

    assert_eq!(
        server.recipients(),
        [
            "boss@example.jp",
            "ichiro@example.jp",
            "lee@example.com",
            "sato@example.jp",
            "suzuki@example.jp"
        ]
    );
    assert!(server.auth_log().lines().all(|l| l.ends_with("kpi ok")));
    assert!(!server.auth_log().is_empty());

    // Each owner's message: their subject, their addresses, their metrics only.
    let expected: [(&str, &str, &[&str], &[&str]); 3] = [
        (
            "sato@example.jp",
            "佐藤",
            &["G-100", "K-SATO", "K-SUZUKI"],
            &["K-LEE"],
        ),
        (
            "suzuki@example.jp",
            "鈴木 一郎",
            &["G-100", "K-SATO", "K-SUZUKI"],
            &["K-LEE"],
        ),
        (
            "lee@example.com",
            "Lee/Ops",
            &["G-100", "K-LEE"],
            &["K-SATO", "K-SUZUKI"],
        ),
    ];
    for (address, owner, shown, hidden) in expected {
        let received = server.received();
        let (_, bytes) = received
            .iter()
            .find(|(to, _)| to == &[address.to_string()])
            .unwrap();
        let message = MessageParser::default().parse(bytes).unwrap();
        assert_eq!(
            message.subject(),
            Some(format!("KPIレポート 2026-10 {owner}").as_str())
        );
        let to: Vec<&str> = message
            .to()
            .unwrap()
            .iter()
            .filter_map(|a| a.address())
            .collect();
        assert!(
            to.contains(&address) && !to.contains(&"boss@example.jp"),
            "{to:?}"
        );
        let attachment = message.attachment(0).unwrap();
        let safe = owner.replace(['/', ' '], "_");
        assert_eq!(
            attachment.attachment_name(),
            Some(format!("goals-{safe}-report.xlsx").as_str())
        );
        let workbook = case.write(&format!("read-{safe}.xlsx"), attachment.contents());
        let kpis = cells(&workbook, "KPIs");
        for id in shown {
            assert!(kpis.iter().any(|c| c == id), "{owner}: {id} missing");
        }
        for id in hidden {
            assert!(!kpis.iter().any(|c| c == id), "{owner}: {id} shown");
        }
    }
    // The full report goes to email.to with every metric.
    let received = server.received();
    let (_, full) = received
        .iter()
        .find(|(to, _)| to == &["boss@example.jp".to_string()])
        .unwrap();
    let full = MessageParser::default().parse(full).unwrap();
    assert_eq!(full.subject(), Some("KPIレポート 2026-10"));

    // The password is in no output, message, log or report.
    let log = std::fs::read_to_string(case.path("kpi-report-sent.log")).unwrap();
    assert_eq!(
        log.lines().filter(|l| !l.starts_with('#')).count(),
        5,
        "{log}"
    );
    let mut everything = vec![
        run.stdout.clone(),
        run.stderr.clone(),
        log,
        server.auth_log(),
    ];
    everything.extend(
        server
            .received()
            .iter()
            .map(|r| String::from_utf8_lossy(&r.1).into_owned()),
    );
    for entry in std::fs::read_dir(case.path("out")).unwrap() {
        everything.push(
            String::from_utf8_lossy(&std::fs::read(entry.unwrap().path()).unwrap()).into_owned(),
        );
    }
    assert!(everything.iter().all(|text| !text.contains(PASSWORD)));

    // A re-run sends nothing again.
    let again = run_send(
        &case,
        &["--burst", "owner", "--send"],
        &[("KPI_TEST_SMTP_PW", PASSWORD)],
    );
    assert!(matches!(again.code, 0 | 1), "{}", again.stderr);
    assert_eq!(server.received().len(), 5);
    assert!(
        again
            .stderr
            .contains("0 deliveries accepted, 5 already sent"),
        "{}",
        again.stderr
    );
}

#[test]
fn a_refused_recipient_gives_exit_3_and_the_others_still_get_it_and_a_busy_one_is_retried() {
    let Some(server) =
        Server::start(&["--refuse", "gone@example.jp", "--busy", "boss@example.jp:1"])
    else {
        return;
    };
    let case = Case::new();
    goals(&case);
    config(
        &case,
        &format!(
            "host = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"",
            server.port
        ),
    );
    let text = std::fs::read_to_string(case.path("kpi-report.toml")).unwrap();
    case.write(
        "kpi-report.toml",
        text.replace(
            "to = [\"部長 <boss@example.jp>\"]",
            "to = [\"部長 <boss@example.jp>\", \"gone@example.jp\", \"cfo@example.jp\"]",
        ),
    );
    let run = run_send(&case, &["--send", "--lang", "en"], &[]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let failures: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("not delivered"))
        .collect();
    assert_eq!(failures.len(), 1, "{}", run.stderr);
    assert!(
        failures[0].starts_with("kpi-report: error: out/goals-report.eml: not delivered to gone@example.jp: permanent error (550)"),
        "{}",
        failures[0]
    );
    // boss got a 451 first, then the message on the retry; cfo got it at once.
    assert_eq!(server.recipients(), ["boss@example.jp", "cfo@example.jp"]);
    // The reports stay written.
    assert!(case.path("out/goals-report.xlsx").exists());

    // A re-run tries only the refused one again.
    let again = run_send(&case, &["--send", "--lang", "en"], &[]);
    assert_eq!(again.code, 3, "{}", again.stderr);
    assert_eq!(server.received().len(), 2);
    assert!(
        again
            .stderr
            .contains("0 deliveries accepted, 2 already sent, 1 failed"),
        "{}",
        again.stderr
    );
}

#[test]
fn dry_run_says_who_would_get_what_and_sends_nothing() {
    let Some(server) = Server::start(&[]) else {
        return;
    };
    let case = Case::new();
    goals(&case);
    config(
        &case,
        &format!(
            "host = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"",
            server.port
        ),
    );
    let run = run_send(
        &case,
        &["--burst", "owner", "--send", "--dry-run", "--lang", "en"],
        &[],
    );
    assert!(matches!(run.code, 0 | 1), "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "would send out/goals-report.eml to boss@example.jp (subject: KPIレポート 2026-10)"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "would send out/goals-鈴木_一郎-report.eml to suzuki@example.jp, ichiro@example.jp"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("nothing sent"), "{}", run.stderr);
    assert!(server.received().is_empty());
    assert!(!case.path("kpi-report-sent.log").exists());

    // `send DIR` sends what the dry run listed; TLS is not used with security = "none".
    let sent = kpi_report(&case, &["send", "out", "--lang", "en"], &[]);
    assert_eq!(sent.code, 0, "{}", sent.stderr);
    assert_eq!(server.received().len(), 5);
    let dry = kpi_report(&case, &["send", "out", "--dry-run", "--lang", "en"], &[]);
    assert_eq!(dry.code, 0);
    assert!(!dry.stdout.contains("would send"), "{}", dry.stdout);
    assert!(
        dry.stdout
            .contains("already sent out/goals-report.eml to boss@example.jp"),
        "{}",
        dry.stdout
    );
}

#[test]
fn tls_from_the_first_byte_with_the_company_ca() {
    let Some(server) = Server::start(&["--tls"]) else {
        return;
    };
    let case = Case::new();
    goals(&case);
    config(
        &case,
        &format!(
            "host = \"localhost\"\nport = {}\nsecurity = \"tls\"",
            server.port
        ),
    );
    let run = run_send(&case, &["--send"], &[]);
    assert!(matches!(run.code, 0 | 1), "{}", run.stderr);
    assert_eq!(server.recipients(), ["boss@example.jp"]);

    // Without the company CA the certificate is not trusted: nothing sent, exit 3, and no
    // retry of a certificate error.
    let text = std::fs::read_to_string(case.path("kpi-report.toml")).unwrap();
    let without_ca: String = text
        .lines()
        .filter(|l| !l.starts_with("ca_file"))
        .map(|l| format!("{l}\n"))
        .collect();
    case.write(
        "kpi-report.toml",
        without_ca.replace(
            "to = [\"部長 <boss@example.jp>\"]",
            "to = [\"cfo@example.jp\"]",
        ),
    );
    let run = run_send(&case, &["--send", "--lang", "en"], &[]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.contains("not delivered to cfo@example.jp"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("attempts"), "{}", run.stderr);
    assert_eq!(server.received().len(), 1);
}

#[test]
fn a_missing_password_or_server_is_a_usage_error_before_anything_is_written() {
    let case = Case::new();
    goals(&case);
    config(&case, "host = \"127.0.0.1\"\nport = 9\nusername = \"kpi\"");
    let run = run_send(&case, &["--send"], &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("KPI_REPORT_SMTP_PASSWORD"),
        "{}",
        run.stderr
    );
    assert!(!case.path("out").exists());

    config(&case, "port = 25");
    let run = run_send(&case, &["--send"], &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("[smtp] host"), "{}", run.stderr);

    config(&case, &format!("host = \"x\"\npassword = \"{PASSWORD}\""));
    let run = run_send(&case, &["--send"], &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("password_env"), "{}", run.stderr);
    assert!(!run.stderr.contains(PASSWORD), "{}", run.stderr);

    let run = kpi_report(&case, &["send", "nowhere"], &[]);
    assert_eq!(run.code, 2);
}

#[test]
fn an_unreachable_server_is_retried_then_reported_per_recipient() {
    // A port nothing listens on: connection refused on every attempt.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let case = Case::new();
    goals(&case);
    config(
        &case,
        &format!("host = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\nretries = 2"),
    );
    let run = run_send(&case, &["--send", "--lang", "en"], &[]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.contains("not delivered to boss@example.jp")
            && run.stderr.contains("(after 3 attempts)"),
        "{}",
        run.stderr
    );
    assert!(case.path("out/goals-report.eml").exists());
}

#[test]
fn a_refused_login_is_reported_per_recipient_without_retrying_or_showing_the_password() {
    let Some(server) = Server::start(&["--starttls", "--auth", &format!("kpi:{PASSWORD}")]) else {
        return;
    };
    let case = Case::new();
    goals(&case);
    config(
        &case,
        &format!(
            "host = \"localhost\"\nport = {}\nusername = \"kpi\"",
            server.port
        ),
    );
    let wrong = "not-the-password";
    let run = run_send(
        &case,
        &["--send", "--lang", "en"],
        &[("KPI_REPORT_SMTP_PASSWORD", wrong)],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("not delivered to boss@example.jp: permanent error (535)"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("attempts"), "{}", run.stderr);
    assert!(!run.stderr.contains(wrong) && !run.stdout.contains(wrong));
    assert!(server.received().is_empty());
    assert_eq!(
        server.auth_log().lines().count(),
        1,
        "{}",
        server.auth_log()
    );
}
