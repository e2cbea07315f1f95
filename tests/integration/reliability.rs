//! Reliability round 2 (issue 14): nothing lost, nothing overwritten, nothing unbounded.
//! Each test reproduces one defect found by a red-team pass against the release of the
//! time: inputs replaced by reports, texts copied per cell and quoted whole, unbounded
//! style tables, a lock file that followed symlinks, commits that were not all-or-nothing,
//! devices and pipes read without end, quadratic merged-cell lookups, leaked temp files,
//! empty input folders that passed, reports read back as inputs, forged finding lines.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;

use crate::robustness::{
    assert_read, assert_refused, fixture, goal_set, kgi_sheet, kpi_sheet, num, sample_en, t, xlsx,
    xlsx_parts, zip_deflated, Sheet,
};
use crate::support::{Case, AS_OF};

/// `kpi-report ARGS` in the case folder with a time limit: a hang fails the test instead
/// of blocking it. Returns (exit code, stdout, stderr).
fn run_limited(case: &Case, args: &[&str], limit: Duration) -> (i32, String, String) {
    let mut child = Command::cargo_bin("kpi-report")
        .unwrap()
        .current_dir(case.path("."))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read both pipes while waiting, so a long output never blocks the child.
    let drain = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("kpi-report {args:?} still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (
        status.code().unwrap_or(-1),
        stdout.join().unwrap(),
        stderr.join().unwrap(),
    )
}

/// A workbook whose KGI and KPI sheets refer to shared strings: `strings` is the table,
/// and each cell is `s:N` (shared string N), `n:V` (a number) or inline text.
fn shared_strings_book(strings: &[String], kgi: &[Vec<String>], kpi: &[Vec<String>]) -> Vec<u8> {
    fn sheet_xml(rows: &[Vec<String>]) -> String {
        let mut xml = String::from(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
        );
        for (r, row) in rows.iter().enumerate() {
            xml.push_str(&format!(r#"<row r="{}">"#, r + 1));
            for (c, cell) in row.iter().enumerate() {
                let reference = format!("{}{}", (b'A' + c as u8) as char, r + 1);
                if let Some(i) = cell.strip_prefix("s:") {
                    xml.push_str(&format!(r#"<c r="{reference}" t="s"><v>{i}</v></c>"#));
                } else if let Some(v) = cell.strip_prefix("n:") {
                    xml.push_str(&format!(r#"<c r="{reference}"><v>{v}</v></c>"#));
                } else if !cell.is_empty() {
                    xml.push_str(&format!(
                        r#"<c r="{reference}" t="inlineStr"><is><t>{cell}</t></is></c>"#
                    ));
                }
            }
            xml.push_str("</row>");
        }
        xml.push_str("</sheetData></worksheet>");
        xml
    }
    let mut sst = format!(
        r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{0}" uniqueCount="{0}">"#,
        strings.len()
    );
    for s in strings {
        sst.push_str(&format!("<si><t>{s}</t></si>"));
    }
    sst.push_str("</sst>");
    let sheets = vec![
        ("KGI".to_string(), false, sheet_xml(kgi)),
        ("KPI".to_string(), false, sheet_xml(kpi)),
    ];
    zip_deflated(&xlsx_parts(&sheets, Some(&sst)))
}

fn cells(row: &[&str]) -> Vec<String> {
    row.iter().map(|s| s.to_string()).collect()
}

// ---------------------------------------------------------------------------------------
// 1. Inputs are never replaced

#[test]
fn a_report_never_replaces_an_input_in_the_same_folder() {
    let case = Case::new();
    case.write("in/a.xlsx", sample_en());
    // A goal workbook of its own that happens to be named like a's report.
    let other = goal_set(kpi_sheet());
    case.write("in/a-report.xlsx", &other);
    let run = case.kpi_report(&["run", "in", "--out", "in", "--as-of", AS_OF]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let refusal = run
        .stderr
        .lines()
        .find(|l| l.contains("would replace the input"))
        .unwrap_or_else(|| panic!("no refusal: {}", run.stderr));
    assert!(
        refusal.starts_with("in/a.xlsx: error") && refusal.contains("in/a-report.xlsx"),
        "{refusal}"
    );
    assert!(refusal.contains("nothing was replaced"), "{refusal}");
    assert_eq!(std::fs::read(case.path("in/a-report.xlsx")).unwrap(), other);
    assert!(!case.path("in/a-summary.html").exists());
}

#[test]
fn a_report_never_replaces_its_own_input_nor_one_behind_a_link() {
    let case = Case::new();
    case.write("kpi-report.toml", "output_name = \"sales\"\n");
    case.write("sales-report.xlsx", sample_en());
    let run = case.kpi_report(&["run", "sales-report.xlsx", "--out", ".", "--as-of", AS_OF]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("./sales-report.xlsx would replace the input sales-report.xlsx"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read(case.path("sales-report.xlsx")).unwrap(),
        sample_en()
    );

    // The report's name is a link to the input: the same file, after resolving links.
    let case = Case::new();
    case.write("src/b.xlsx", sample_en());
    std::fs::create_dir(case.path("out")).unwrap();
    std::os::unix::fs::symlink("../src/b.xlsx", case.path("out/b-report.xlsx")).unwrap();
    let run = case.run("src/b.xlsx", "out", &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("out/b-report.xlsx would replace the input src/b.xlsx"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(case.path("src/b.xlsx")).unwrap(), sample_en());
}

// ---------------------------------------------------------------------------------------
// 2. One long shared string in many cells

#[test]
fn a_long_shared_string_in_many_cells_is_bounded_in_messages_and_outputs() {
    let long = "長".repeat(20_000);
    let strings = vec![long.clone()];
    let kgi = vec![
        cells(&["ID", "Name", "Target"]),
        cells(&["G1", "Sales", "n:100"]),
    ];
    let mut kpi = vec![cells(&["ID", "Parent", "Name", "Target", "Owner"])];
    // 300 rows whose Target is the long text (E04 each), one row whose name and owner are.
    for r in 0..300 {
        kpi.push(cells(&[&format!("K{r}"), "G1", "x", "s:0", "o"]));
    }
    kpi.push(cells(&["OK", "G1", "s:0", "n:10", "s:0"]));
    let case = Case::new();
    case.write("long.xlsx", shared_strings_book(&strings, &kgi, &kpi));
    let run = case.check(&["long.xlsx"], &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let e04: Vec<&str> = run.stdout.lines().filter(|l| l.contains("E04")).collect();
    assert_eq!(
        e04.len(),
        300,
        "{}",
        &run.stdout[..2000.min(run.stdout.len())]
    );
    for line in &e04 {
        // The raw text is quoted at 200 characters and "…".
        assert!(line.chars().count() < 400, "{line}");
        assert!(
            line.contains(&format!("\"{}…\"", "長".repeat(200))),
            "{line}"
        );
    }
    // The name and owner the outputs carry are cut, with a warning each.
    let w12: Vec<&str> = run.stdout.lines().filter(|l| l.contains("W20")).collect();
    assert!(
        w12.iter().any(|l| l.starts_with(
            "long.xlsx:KPI!C302: warning W20: Name is 20000 characters long; cut to its first 256"
        )),
        "{w12:?}"
    );
    assert!(
        w12.iter().any(|l| l.starts_with("long.xlsx:KPI!E302")),
        "{w12:?}"
    );

    let (_, doc) = case.run_json("long.xlsx", "out", &["--keep-going"]);
    let ok = doc["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "OK")
        .unwrap();
    assert_eq!(ok["name"].as_str().unwrap().chars().count(), 257);
    assert_eq!(ok["owner"].as_str().unwrap().chars().count(), 257);
    let json_len = std::fs::metadata(case.path("out/long-report.json"))
        .unwrap()
        .len();
    assert!(json_len < 1_000_000, "JSON of {json_len} bytes");
}

// ---------------------------------------------------------------------------------------
// 3. Style tables

#[test]
fn a_style_table_longer_than_excel_allows_is_refused_before_it_is_parsed() {
    let sheets = vec![
        ("KGI".to_string(), false, kgi_sheet().xml()),
        ("KPI".to_string(), false, kpi_sheet().xml()),
    ];
    let mut parts = xlsx_parts(&sheets, None);
    let mut styles = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="70000">"#,
    );
    for _ in 0..70_000 {
        styles.push_str(r#"<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>"#);
    }
    styles.push_str("</cellXfs></styleSheet>");
    parts.push(("xl/styles.xml".to_string(), styles.into_bytes()));
    assert_refused(
        "styles.xlsx",
        &zip_deflated(&parts),
        None,
        &[
            "error E07",
            "xl/styles.xml holds more than 65536 records in cellXfs",
            "65536 style records",
        ],
    );
}

// ---------------------------------------------------------------------------------------
// 4. The lock

#[test]
fn the_lock_leaves_no_file_and_never_follows_a_planted_link() {
    let case = Case::new();
    case.write("in.xlsx", sample_en());
    let precious = case.write("precious.txt", "keep me");
    std::fs::create_dir(case.path("out")).unwrap();
    std::os::unix::fs::symlink(&precious, case.path("out/.kpi-report.lock")).unwrap();
    let run = case.run("in.xlsx", "out", &[]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "keep me");
    assert_eq!(
        case.files("out"),
        [".kpi-report.lock", "in-report.xlsx", "in-summary.html"]
    );

    // Nothing written (the input is invalid): the folder stays empty.
    let case = Case::new();
    case.write("bad.xlsx", b"not a workbook");
    let run = case.run("bad.xlsx", "out", &[]);
    assert_eq!(run.code, 2);
    assert!(case.files("out").is_empty(), "{:?}", case.files("out"));
}

// ---------------------------------------------------------------------------------------
// 5. All or nothing

#[test]
fn a_name_too_long_for_one_output_replaces_none() {
    let case = Case::new();
    // 243 bytes: "-report.xlsx" fits in 255, "-summary.html" does not.
    let stem = "x".repeat(243);
    let input = format!("{stem}.xlsx");
    case.write(&input, sample_en());
    let previous = case.write(&format!("out/{stem}-report.xlsx"), "previous report");
    let run = case.run(&input, "out", &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("-summary.html: File name too long"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("nothing was replaced"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(&previous).unwrap(),
        "previous report"
    );
    assert_eq!(case.files("out"), [format!("{stem}-report.xlsx")]);
}

#[test]
fn a_folder_named_like_an_output_replaces_none() {
    let case = Case::new();
    case.write("m.xlsx", sample_en());
    let first = case.run("m.xlsx", "out", &[]);
    assert!(first.code == 0 || first.code == 1, "{}", first.stderr);
    let workbook = std::fs::read(case.path("out/m-report.xlsx")).unwrap();
    std::fs::remove_file(case.path("out/m-summary.html")).unwrap();
    std::fs::create_dir(case.path("out/m-summary.html")).unwrap();
    // A later month: the workbook would change.
    let run = case.kpi_report(&["run", "m.xlsx", "--out", "out", "--as-of", "2026-11-30"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "cannot write out/m-summary.html: a folder has that name; nothing was replaced"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read(case.path("out/m-report.xlsx")).unwrap(),
        workbook
    );
    assert_eq!(case.files("out"), ["m-report.xlsx", "m-summary.html"]);
}

// ---------------------------------------------------------------------------------------
// 6. Devices and FIFOs

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

#[test]
fn devices_and_pipes_are_refused_without_reading_them() {
    let case = Case::new();
    let limit = Duration::from_secs(60);
    let (code, _, stderr) = run_limited(
        &case,
        &["run", "/dev/zero", "--out", "out", "--as-of", AS_OF],
        limit,
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("/dev/zero: error E07: cannot read the input: not a regular file (a device, pipe or socket)"),
        "{stderr}"
    );
    mkfifo(&case.path("pipe.xlsx"));
    let (code, _, stderr) = run_limited(
        &case,
        &["run", "pipe.xlsx", "--out", "out", "--as-of", AS_OF],
        limit,
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("pipe.xlsx: error E07"), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
    // The folder is not left locked: a run of a good input follows at once.
    case.write("good.xlsx", sample_en());
    let run = case.run("good.xlsx", "out", &[]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);

    // A config is read with a bound: /dev/null is an empty config, /dev/zero too large, a
    // pipe refused.
    let (code, _, stderr) = run_limited(
        &case,
        &[
            "check",
            "good.xlsx",
            "--config",
            "/dev/zero",
            "--as-of",
            AS_OF,
        ],
        limit,
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("cannot read config /dev/zero: larger than 1024 KB"),
        "{stderr}"
    );
    mkfifo(&case.path("pipe.toml"));
    let (code, _, stderr) = run_limited(
        &case,
        &[
            "check",
            "good.xlsx",
            "--config",
            "pipe.toml",
            "--as-of",
            AS_OF,
        ],
        limit,
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("cannot read config pipe.toml: not a regular file"),
        "{stderr}"
    );
}

// ---------------------------------------------------------------------------------------
// 7. Merged areas

#[test]
fn many_merged_areas_and_many_empty_cells_are_read_in_linear_time() {
    // 4,000 rows with an empty Parent (merged in its area) and 200,000 merged areas: the
    // lookup per empty cell is a binary search, not a pass over every area.
    let rows = 4_000u32;
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>ID</t></is></c><c r="B1" t="inlineStr"><is><t>Parent</t></is></c><c r="C1" t="inlineStr"><is><t>Name</t></is></c><c r="D1" t="inlineStr"><is><t>Target</t></is></c></row>"#,
    );
    for r in 2..=rows + 1 {
        let parent = if r == 2 {
            r#"<c r="B2" t="inlineStr"><is><t>G1</t></is></c>"#.to_string()
        } else {
            String::new()
        };
        xml.push_str(&format!(
            r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>K{r}</t></is></c>{parent}<c r="C{r}" t="inlineStr"><is><t>M{r}</t></is></c><c r="D{r}"><v>10</v></c></row>"#
        ));
    }
    xml.push_str("</sheetData><mergeCells>");
    // B2:B4001 (the parent cells) and many small areas to the right.
    xml.push_str(&format!(r#"<mergeCell ref="B2:B{}"/>"#, rows + 1));
    for i in 0..200_000u32 {
        let r = 10 + i / 50;
        let c = 5 + (i % 50) * 2;
        let col = |c: u32| {
            let mut n = c + 1;
            let mut s = Vec::new();
            while n > 0 {
                s.push(b'A' + ((n - 1) % 26) as u8);
                n = (n - 1) / 26;
            }
            s.reverse();
            String::from_utf8(s).unwrap()
        };
        xml.push_str(&format!(
            r#"<mergeCell ref="{}{r}:{}{r}"/>"#,
            col(c),
            col(c + 1)
        ));
    }
    xml.push_str("</mergeCells></worksheet>");
    let sheets = vec![
        ("KGI".to_string(), false, kgi_sheet().xml()),
        ("KPI".to_string(), false, xml),
    ];
    let case = Case::new();
    case.write("merged.xlsx", zip_deflated(&xlsx_parts(&sheets, None)));
    let started = Instant::now();
    let (code, stdout, stderr) = run_limited(
        &case,
        &["check", "merged.xlsx", "--as-of", AS_OF],
        Duration::from_secs(120),
    );
    let took = started.elapsed();
    assert_eq!(code, 2, "{stderr}");
    let merged: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("inside the merged cells B2:B4001"))
        .collect();
    assert_eq!(
        merged.len(),
        rows as usize - 1,
        "{}",
        &stdout[..1000.min(stdout.len())]
    );
    // 4,000 × 200,000 comparisons took minutes in a debug build; the index, well under one.
    assert!(took < Duration::from_secs(60), "took {took:?}");
}

// ---------------------------------------------------------------------------------------
// 8. Interrupted runs

#[test]
fn a_run_removes_what_a_killed_run_left_and_follows_no_link() {
    let case = Case::new();
    case.write("in.xlsx", sample_en());
    let outside = case.write("outside.txt", "outside");
    case.write("out/.kpi-report-Ab12Cd.tmp", vec![0u8; 4096]);
    std::os::unix::fs::symlink(&outside, case.path("out/.kpi-report-link.tmp")).unwrap();
    case.write("out/notes.tmp", "not ours");
    let run = case.run("in.xlsx", "out", &[]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert_eq!(
        case.files("out"),
        ["in-report.xlsx", "in-summary.html", "notes.tmp"]
    );
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "outside");
}

/// A goal workbook large enough that writing its reports takes a while.
fn large_book(case: &Case, name: &str) {
    let mut kpi: Vec<Vec<String>> = vec![cells(&["ID", "Parent", "Name", "Target", "Actual"])];
    for i in 0..20_000 {
        kpi.push(vec![
            format!("K{i}"),
            "G1".to_string(),
            format!("Metric number {i}"),
            format!("n:{}", 1000 + i % 97),
            format!("n:{}", i % 1000),
        ]);
    }
    let kgi = vec![
        cells(&["ID", "Name", "Target", "Deadline"]),
        cells(&["G1", "Sales", "n:100000", "2027-03-31"]),
    ];
    crate::support::write_book(&case.path(name), &[("KGI", kgi), ("KPI", kpi)]);
}

#[test]
fn sigterm_while_writing_leaves_no_temp_file() {
    let case = Case::new();
    large_book(&case, "big.xlsx");
    std::fs::create_dir(case.path("out")).unwrap();
    let previous = case.write("out/big-report.json", "previous");
    let mut caught = false;
    for _attempt in 0..3 {
        let mut child = Command::cargo_bin("kpi-report")
            .unwrap()
            .current_dir(case.path("."))
            .args([
                "run", "big.xlsx", "--out", "out", "--json", "--as-of", AS_OF,
            ])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Wait for the first temporary file, then stop the run.
        let started = Instant::now();
        let mut seen = false;
        while started.elapsed() < Duration::from_secs(120) {
            if case.files("out").iter().any(|n| n.ends_with(".tmp")) {
                seen = true;
                break;
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        if !seen {
            let _ = child.wait();
            continue;
        }
        let pid = child.id().to_string();
        assert!(Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        if output.status.code() == Some(130) {
            assert!(
                stderr.contains("interrupted: temporary files removed"),
                "{stderr}"
            );
            let left: Vec<String> = case
                .files("out")
                .into_iter()
                .filter(|n| n.ends_with(".tmp"))
                .collect();
            assert!(left.is_empty(), "temp files left: {left:?}");
            assert_eq!(std::fs::read_to_string(&previous).unwrap(), "previous");
            caught = true;
            break;
        }
        // The run finished before the signal: try again from the previous state.
        std::fs::write(&previous, "previous").unwrap();
        for name in case.files("out") {
            if name != "big-report.json" {
                std::fs::remove_file(case.path("out").join(name)).unwrap();
            }
        }
    }
    assert!(caught, "the run was never caught while writing");
}

// ---------------------------------------------------------------------------------------
// 9. Empty input folders

#[test]
fn an_input_folder_without_a_workbook_exits_2_naming_it() {
    let case = Case::new();
    std::fs::create_dir(case.path("exports")).unwrap();
    let run = case.run("exports", "out", &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "exports: error E07: cannot read the input: a folder holding no workbook (.xlsx, .xlsm, .xlsb, .xls, .ods)"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("0 reports written"), "{}", run.stderr);
    // A folder named like a workbook, inside the folder or named itself.
    std::fs::create_dir(case.path("exports/x.xlsx")).unwrap();
    let run = case.run("exports", "out", &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = case.run("exports/x.xlsx", "out", &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("exports/x.xlsx: error E07"),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------------------------------
// 10. The tool's outputs are never inputs

#[test]
fn reports_in_the_input_folder_are_not_read_back() {
    let case = Case::new();
    case.write("in/a.xlsx", sample_en());
    let first = case.kpi_report(&["run", "in", "--out", "in", "--as-of", AS_OF]);
    assert!(first.code == 0 || first.code == 1, "{}", first.stderr);
    let after_first = case.files("in");
    assert_eq!(after_first, ["a-report.xlsx", "a-summary.html", "a.xlsx"]);
    let second = case.kpi_report(&["run", "in", "--out", "in", "--as-of", AS_OF]);
    assert_eq!(second.code, first.code, "{}", second.stderr);
    assert_eq!(case.files("in"), after_first);
    assert!(
        second.stderr.contains("1 report written"),
        "{}",
        second.stderr
    );
    // Renamed, a report is still recognised by its mark; named as an input, it is refused.
    std::fs::rename(case.path("in/a-report.xlsx"), case.path("in/copy.xlsx")).unwrap();
    let run = case.run("in/copy.xlsx", "out", &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "in/copy.xlsx: error E07: cannot read the input: a report written by kpi-report"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_report_written_before_the_mark_is_recognised_too() {
    // A report of an earlier release: no custom property, but the author and keywords
    // every report has carried.
    let mut parts = xlsx_parts(
        &[
            ("KGI".to_string(), false, kgi_sheet().xml()),
            ("KPI".to_string(), false, kpi_sheet().xml()),
        ],
        None,
    );
    parts.push((
        "docProps/core.xml".to_string(),
        br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>kpi-report</dc:creator><cp:keywords>KGI, KPI</cp:keywords></cp:coreProperties>"#.to_vec(),
    ));
    let case = Case::new();
    case.write("in/a.xlsx", sample_en());
    case.write("in/a-report.xlsx", zip_deflated(&parts));
    let run = case.run("in", "out", &[]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert_eq!(case.files("out"), ["a-report.xlsx", "a-summary.html"]);
}

// ---------------------------------------------------------------------------------------
// 11. check --json names every unreadable path

#[test]
fn check_json_names_every_unreadable_path() {
    let case = Case::new();
    std::fs::create_dir(case.path("empty")).unwrap();
    mkfifo(&case.path("fifo.xlsx"));
    std::os::unix::fs::symlink("loop-b.xlsx", case.path("loop-a.xlsx")).unwrap();
    std::os::unix::fs::symlink("loop-a.xlsx", case.path("loop-b.xlsx")).unwrap();
    let (code, stdout, stderr) = run_limited(
        &case,
        &[
            "check",
            "missing.xlsx",
            "empty",
            "/dev/null",
            "fifo.xlsx",
            "loop-a.xlsx",
            "--json",
            "--as-of",
            AS_OF,
        ],
        Duration::from_secs(60),
    );
    assert_eq!(code, 2, "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let checks = doc["checks"].as_array().unwrap();
    let about = |file: &str| -> String {
        let check = checks
            .iter()
            .find(|c| c["file"] == file)
            .unwrap_or_else(|| panic!("nothing names {file}: {stdout}"));
        assert_eq!(check["code"], "E07");
        check["message"].as_str().unwrap().to_string()
    };
    assert!(about("missing.xlsx").contains("no such file or folder"));
    assert!(about("empty").contains("a folder holding no workbook"));
    assert!(about("/dev/null").contains("not a regular file"));
    assert!(about("fifo.xlsx").contains("not a regular file"));
    // A link loop is not "no such file".
    assert!(about("loop-a.xlsx").contains("symbolic links"), "{stdout}");
}

// ---------------------------------------------------------------------------------------
// 12. Encryption is told from the compound file's directory

#[test]
fn an_xls_with_encryption_words_in_it_is_read() {
    // The sample .xls with one more (free) sector holding the UTF-16 text
    // "EncryptionInfo" and "EncryptedPackage", as a cell's text would be stored.
    let mut bytes = fixture("sales-ja.xls");
    let mut sector: Vec<u8> = "EncryptionInfo EncryptedPackage"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    sector.resize(512, 0);
    bytes.extend_from_slice(&sector);
    let json = assert_read("words.xls", &bytes, None);
    assert!(!json["metrics"].as_array().unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------
// 13. One finding, one line

#[test]
fn cell_text_and_file_names_cannot_forge_finding_lines() {
    let forged = "12\nsales.xlsx:KPI!E9: info I01: forged line";
    let kpi = kpi_sheet().with(1, 3, t(forged));
    let case = Case::new();
    case.write("sales\nmore.xlsx", goal_set(kpi));
    let run = case.check(&["sales\nmore.xlsx"], &[]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    for line in run.stdout.lines() {
        assert!(
            line.starts_with("sales\\nmore.xlsx"),
            "forged or split line: {line:?}"
        );
    }
    assert!(
        run.stdout
            .contains("sales\\nmore.xlsx:KPI!D2: error E04: Target \"12\\nsales.xlsx:KPI!E9: info I01: forged line\" is not a number"),
        "{}",
        run.stdout
    );
}

// ---------------------------------------------------------------------------------------
// Cosmetic

#[test]
fn a_negative_weight_is_called_an_invalid_weight() {
    let kpi = Sheet::rows(
        "KPI",
        vec![
            vec![t("ID"), t("Parent"), t("Name"), t("Target"), t("Weight")],
            vec![t("K1"), t("G1"), t("Calls"), num(10.0), num(-1.0)],
        ],
    );
    let case = Case::new();
    case.write("w.xlsx", xlsx(&[kgi_sheet(), kpi]));
    let run = case.check(&["w.xlsx"], &[]);
    assert!(
        run.stdout
            .contains("w.xlsx:KPI!E2: error E04: Weight \"-1\" is not a valid weight; use a number of 0 or more"),
        "{}",
        run.stdout
    );
}

#[test]
fn init_writes_a_file_others_can_read_like_the_reports() {
    use std::os::unix::fs::PermissionsExt;
    let case = Case::new();
    let run = case.kpi_report(&["init", "goals.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mode = std::fs::metadata(case.path("goals.xlsx"))
        .unwrap()
        .permissions()
        .mode();
    // 0644 less the umask; the tests run with the usual umask 022.
    assert_eq!(mode & 0o777, 0o644, "{mode:o}");
}

// ---------------------------------------------------------------------------------------
// Measurement inputs

/// Writes the hostile inputs of issue 14 at full size into `$KPI_MEASURE_DIR`, for measuring
/// peak memory and time of a release build with `/usr/bin/time -v` (see the README's
/// "Broken and hostile inputs"). Does nothing without the variable.
#[test]
fn write_reliability_measurement_inputs() {
    let Some(dir) = std::env::var_os("KPI_MEASURE_DIR") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let long = "x".repeat(32_767);
    let kgi = vec![
        cells(&["ID", "Name", "Target"]),
        cells(&["G1", "Sales", "n:100"]),
    ];
    // One long shared string as the Target of 60,000 rows: an E04 per row.
    let mut kpi = vec![cells(&["ID", "Parent", "Name", "Target"])];
    for r in 0..60_000 {
        kpi.push(vec![format!("K{r}"), "G1".into(), "m".into(), "s:0".into()]);
    }
    std::fs::write(
        dir.join("shared-string-e04.xlsx"),
        shared_strings_book(std::slice::from_ref(&long), &kgi, &kpi),
    )
    .unwrap();
    // The same string in 19 title rows x 2,000 columns above the header row.
    let mut kpi: Vec<Vec<String>> = (0..19).map(|_| vec!["s:0".to_string(); 2_000]).collect();
    kpi.push(cells(&["ID", "Parent", "Name", "Target"]));
    kpi.push(cells(&["K1", "G1", "m", "n:10"]));
    std::fs::write(
        dir.join("shared-string-header.xlsx"),
        shared_strings_book_wide(&long, &kgi, &kpi),
    )
    .unwrap();
    // The string as name, owner and unit of 20,000 metrics.
    let mut kpi = vec![cells(&["ID", "Parent", "Name", "Target", "Owner", "Unit"])];
    for r in 0..20_000 {
        kpi.push(vec![
            format!("K{r}"),
            "G1".into(),
            "s:0".into(),
            "n:10".into(),
            "s:0".into(),
            "s:0".into(),
        ]);
    }
    std::fs::write(
        dir.join("shared-string-outputs.xlsx"),
        shared_strings_book(std::slice::from_ref(&long), &kgi, &kpi),
    )
    .unwrap();
    // 5,000,000 cell formats.
    let sheets = vec![
        ("KGI".to_string(), false, kgi_sheet().xml()),
        ("KPI".to_string(), false, kpi_sheet().xml()),
    ];
    let mut parts = xlsx_parts(&sheets, None);
    let mut styles = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/></font></fonts><cellXfs count="5000000">"#,
    );
    for _ in 0..5_000_000 {
        styles.push_str(r#"<xf numFmtId="0" fontId="0"/>"#);
    }
    styles.push_str("</cellXfs></styleSheet>");
    parts.push(("xl/styles.xml".to_string(), styles.into_bytes()));
    std::fs::write(dir.join("styles-5m.xlsx"), zip_deflated(&parts)).unwrap();
    // 32,000 rows with an empty Parent and 1,600,000 merged areas.
    let rows = 32_000u32;
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>ID</t></is></c><c r="B1" t="inlineStr"><is><t>Parent</t></is></c><c r="C1" t="inlineStr"><is><t>Name</t></is></c><c r="D1" t="inlineStr"><is><t>Target</t></is></c></row>"#,
    );
    for r in 2..=rows + 1 {
        xml.push_str(&format!(
            r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>K{r}</t></is></c><c r="C{r}" t="inlineStr"><is><t>M</t></is></c><c r="D{r}"><v>10</v></c></row>"#
        ));
    }
    xml.push_str("</sheetData><mergeCells>");
    for i in 0..1_600_000u32 {
        // Two-cell areas in columns F.. on rows 2..: none covers column B.
        let r = 2 + i / 100;
        let c = 5 + (i % 100) * 2;
        xml.push_str(&format!(
            r#"<mergeCell ref="{}{r}:{}{r}"/>"#,
            letters(c),
            letters(c + 1)
        ));
    }
    xml.push_str("</mergeCells></worksheet>");
    let sheets = vec![
        ("KGI".to_string(), false, kgi_sheet().xml()),
        ("KPI".to_string(), false, xml),
    ];
    std::fs::write(
        dir.join("merged-1.6m.xlsx"),
        zip_deflated(&xlsx_parts(&sheets, None)),
    )
    .unwrap();
}

fn letters(col: u32) -> String {
    let mut n = col + 1;
    let mut s = Vec::new();
    while n > 0 {
        s.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap()
}

/// Like [`shared_strings_book`] for rows wider than 26 columns.
fn shared_strings_book_wide(long: &str, kgi: &[Vec<String>], kpi: &[Vec<String>]) -> Vec<u8> {
    let sheet_xml = |rows: &[Vec<String>]| {
        let mut xml = String::from(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
        );
        for (r, row) in rows.iter().enumerate() {
            xml.push_str(&format!(r#"<row r="{}">"#, r + 1));
            for (c, cell) in row.iter().enumerate() {
                let reference = format!("{}{}", letters(c as u32), r + 1);
                if let Some(i) = cell.strip_prefix("s:") {
                    xml.push_str(&format!(r#"<c r="{reference}" t="s"><v>{i}</v></c>"#));
                } else if let Some(v) = cell.strip_prefix("n:") {
                    xml.push_str(&format!(r#"<c r="{reference}"><v>{v}</v></c>"#));
                } else {
                    xml.push_str(&format!(
                        r#"<c r="{reference}" t="inlineStr"><is><t>{cell}</t></is></c>"#
                    ));
                }
            }
            xml.push_str("</row>");
        }
        xml.push_str("</sheetData></worksheet>");
        xml
    };
    let sst = format!(
        r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{long}</t></si></sst>"#
    );
    let sheets = vec![
        ("KGI".to_string(), false, sheet_xml(kgi)),
        ("KPI".to_string(), false, sheet_xml(kpi)),
    ];
    zip_deflated(&xlsx_parts(&sheets, Some(&sst)))
}

#[test]
fn a_cell_the_parser_refuses_is_placed() {
    // A boolean cell holding "maybe": the sheet cannot be read; the message says where.
    let mut kpi = kpi_sheet().xml();
    kpi = kpi.replace(
        "</row></sheetData>",
        r#"</row><row r="9"><c r="A9" t="inlineStr"><is><t>K9</t></is></c><c r="B9" t="b"><v>maybe</v></c></row></sheetData>"#,
    );
    let sheets = vec![
        ("KGI".to_string(), false, kgi_sheet().xml()),
        ("KPI".to_string(), false, kpi),
    ];
    assert_refused(
        "bool.xlsx",
        &zip_deflated(&xlsx_parts(&sheets, None)),
        None,
        &["bool.xlsx:KPI: error E07", "(in the cell after A9)"],
    );
}
