//! Where the time of one `kpi-report run` goes: reads, analyses and renders one input,
//! printing the wall time and peak memory after each phase: read, analyse, render (the
//! workbook, HTML and JSON, concurrently as `run` does) and commit; with
//! `PHASES_SEPARATELY=1` each output is rendered alone, in memory, then all are written.
//! A profiling aid for the benchmark of `scripts/bench.sh`, not part of the CLI.
//!
//! `cargo run --release --example phases -- IN.xlsx [AS_OF] [OUT_DIR]`

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use kpi_report::app::output::{commit, Inputs, Staged};
use kpi_report::config::Settings;
use kpi_report::input::names::NameTable;
use kpi_report::report::{self, ReportContext};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let input = args
        .get(1)
        .ok_or("usage: phases IN.xlsx [AS_OF] [OUT_DIR]")?;
    let as_of_text = args.get(2).map(String::as_str).unwrap_or("2026-10-31");
    let as_of = kpi_report::input::value::parse_date(as_of_text)
        .ok_or_else(|| format!("not a date: {as_of_text}"))?;
    let out = args.get(3).map(String::as_str).unwrap_or("target/phases");
    std::fs::create_dir_all(out)?;
    let settings = Settings::default();
    let names = NameTable::new(&settings);
    let mut clock = Instant::now();
    let mut cpu = cpu_seconds();
    let mut lap = |what: &str| {
        let now = cpu_seconds();
        eprintln!(
            "{what:>10}: {:7.3} s, {:6.3} s CPU, peak memory so far {} MB",
            clock.elapsed().as_secs_f64(),
            now - cpu,
            peak_rss_mb()
        );
        clock = Instant::now();
        cpu = now;
    };

    let read = kpi_report::input::read_path(Path::new(input), &settings, &names, as_of)
        .map_err(|f| format!("unreadable: {} findings", f.len()))?;
    lap("read");
    let lang = read.goal_set.header_lang;
    let mut analysis =
        kpi_report::analysis::analyse(read.goal_set, &read.invalid_ids, as_of, &settings);
    analysis.findings.extend(read.findings);
    lap("analyse");
    let ctx = ReportContext {
        source: "input.xlsx",
        lang,
        analysis: &analysis,
        settings: &settings,
        owner: None,
    };
    if std::env::var_os("PHASES_SEPARATELY").is_some() {
        // Each output on its own, one after the other, kept in memory.
        let filled = report::xlsx::build(&ctx)?;
        lap("sheets");
        let mut workbook = Vec::new();
        report::xlsx::save(filled, &mut workbook)?;
        lap("zip");
        let html = report::html::Templates::default().render_view(&report::view::view(&ctx))?;
        lap("html");
        let json = report::json::render(&ctx);
        lap("json");
        let files = vec![
            ("phases-report.xlsx".to_string(), workbook),
            ("phases-summary.html".to_string(), html.into_bytes()),
            ("phases-report.json".to_string(), json.into_bytes()),
        ];
        let mut staged = Vec::new();
        for (name, bytes) in &files {
            let mut file = Staged::create(Path::new(out), name)?;
            file.write_all(bytes)?;
            staged.push(file);
        }
        commit(staged, &Inputs::default())?;
        lap("write");
        return Ok(());
    }
    // As `kpi-report run --json` does it: rendered concurrently into staged files.
    let options = report::OutputOptions {
        json: true,
        ..Default::default()
    };
    let staged = report::render_all(&ctx, "phases", &options, &|name: &str| {
        Staged::create(Path::new(out), name)
    })?;
    lap("render");
    commit(staged, &Inputs::default())?;
    lap("commit");
    drop(analysis);
    lap("free");
    Ok(())
}
/// The CPU time of the process so far, all threads, user and system (Linux), in seconds;
/// 0 elsewhere.
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            // The fields after the command name, which is in parentheses.
            let rest = &stat[stat.rfind(')')? + 2..];
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let utime: f64 = fields.get(11)?.parse().ok()?;
            let stime: f64 = fields.get(12)?.parse().ok()?;
            Some((utime + stime) / 100.0)
        })
        .unwrap_or(0.0)
}

/// The process's peak resident memory so far (Linux), in MB; 0 elsewhere.
fn peak_rss_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}
