//! A fuzzer for the stable toolchain, for machines where cargo-fuzz cannot run. It mutates
//! the corpus (byte-level mutations, splices, and for zip-based workbooks mutations of the
//! unpacked parts re-packed with valid checksums, so the XML parsers are reached), runs a
//! target in-process, keeps inputs that lead to a new outcome, and saves inputs that panic
//! outside the reader's guard or run too long.
//!
//! Usage: `stable_fuzz <cell_value|workbook> <seconds> <corpus-dir> <artifacts-dir>`
//! Exit code 0 when nothing crashed, 1 when crashes or slow inputs were saved.

use std::collections::{BTreeMap, HashSet};
use std::hash::{Hash, Hasher};
use std::io::{Cursor, Read, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kpi_report_fuzz::Outcome;

/// Inputs slower than this are saved as `slow-*`.
const SLOW: Duration = Duration::from_secs(5);
const MAX_CORPUS: usize = 4_000;
const MAX_INPUT: usize = 1 << 20;

/// xorshift64*: small, fast, reproducible from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

const TEXT_TOKENS: &[&str] = &[
    "0",
    "1",
    "9",
    "12",
    "2026",
    "-",
    "+",
    ".",
    ",",
    "%",
    "％",
    "(",
    ")",
    "△",
    "▲",
    "¥",
    "￥",
    "$",
    "€",
    "£",
    "円",
    "千",
    "万",
    "億",
    "兆",
    "年",
    "月",
    "日",
    "令和",
    "平成",
    "R",
    "H",
    "元",
    "/",
    "-",
    " ",
    "\u{3000}",
    "\u{a0}",
    "e",
    "E",
    "e+308",
    "e-400",
    "１２３",
    "，",
    "．",
    "Apr",
    "Sept",
    "FY",
    "Q1",
    "上期",
    "四半期",
    "増加",
    "↓",
    "weekly",
    "sum",
    "KDI",
    "9999999999999",
    "0.000000001",
    "31",
    "29",
    "2月",
    "R8.4.1",
    "令和8年4月1日",
    "2026年4月",
    "Apr-26",
    "46113",
    "19000101",
    "NaN",
    "inf",
    "-0",
    "٣",
    "𝟙",
    "\u{200b}",
    "\u{fe0f}",
    "#DIV/0!",
];

const XML_TOKENS: &[&str] = &[
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "99999999999",
    "-1",
    "0",
    "1048576",
    "16384",
    "XFD1048576",
    "A1",
    "ZZZZZ1",
    "A0",
    "A99999999999",
    "\"",
    "<",
    ">",
    "&amp;",
    "&#0;",
    "&#x10FFFF;",
    "<f t=\"shared\" si=\"4000000000\" ref=\"A1:A2\">A1</f>",
    "<v>1e308</v>",
    "<c r=\"B2\" t=\"e\"><v>#N/A</v></c>",
    "<c r=\"C3\" t=\"s\"><v>999999</v></c>",
    "<row r=\"4294967295\">",
    "<mergeCell ref=\"A1:XFD1048576\"/>",
    "uniqueCount=\"2000000000\"",
    "table:number-rows-repeated=\"1048576\"",
    "table:number-columns-repeated=\"16384\"",
    "office:value-type=\"float\" office:value=\"1\"",
    "<dimension ref=\"A1:XFD1048576\"/>",
    " t=\"inlineStr\"",
    " t=\"d\"",
    "<v>2026-13-45T99:99:99</v>",
    "state=\"veryHidden\"",
];

fn interesting_u32(rng: &mut Rng) -> u32 {
    [
        0,
        1,
        0x7F,
        0x80,
        0xFF,
        0xFFFF,
        0x1_0000,
        0x7FFF_FFFF,
        0xFFFF_FFFE,
        0xFFFF_FFFF,
    ][rng.below(10)]
}

/// One random byte-level change.
fn mutate_bytes(data: &mut Vec<u8>, rng: &mut Rng, tokens: &[&str], other: &[u8]) {
    let len = data.len();
    match rng.below(10) {
        0 if len > 0 => {
            let i = rng.below(len);
            data[i] ^= 1 << rng.below(8);
        }
        1 if len > 0 => {
            let i = rng.below(len);
            data[i] = rng.next() as u8;
        }
        2 if len >= 4 => {
            let i = rng.below(len - 3);
            data[i..i + 4].copy_from_slice(&interesting_u32(rng).to_le_bytes());
        }
        3 if len > 0 => {
            let start = rng.below(len);
            let end = (start + 1 + rng.below(64)).min(len);
            data.drain(start..end);
        }
        4 if len > 0 => {
            let start = rng.below(len);
            let end = (start + 1 + rng.below(256)).min(len);
            let chunk = data[start..end].to_vec();
            let at = rng.below(len + 1);
            data.splice(at..at, chunk);
        }
        5 | 6 => {
            let token = tokens[rng.below(tokens.len())].as_bytes();
            let at = rng.below(len + 1);
            if rng.chance(2) && len > 0 {
                let end = (at + token.len()).min(len);
                data.splice(at..end, token.iter().copied());
            } else {
                data.splice(at..at, token.iter().copied());
            }
        }
        7 if !other.is_empty() => {
            let from = rng.below(other.len());
            let take = (1 + rng.below(512)).min(other.len() - from);
            let at = rng.below(len + 1);
            data.splice(at..at, other[from..from + take].iter().copied());
        }
        8 if len > 1 => {
            let cut = rng.below(len);
            data.truncate(cut.max(1));
        }
        _ => {
            let at = rng.below(len + 1);
            let byte = rng.next() as u8;
            data.insert(at, byte);
        }
    }
    if data.len() > MAX_INPUT {
        data.truncate(MAX_INPUT);
    }
}

fn unzip(data: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(data)).ok()?;
    let mut parts = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).ok()?;
        if entry.size() > MAX_INPUT as u64 {
            return None;
        }
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).ok()?;
        parts.push((entry.name().ok()?.to_string(), bytes));
    }
    Some(parts)
}

fn rezip(parts: &[(String, Vec<u8>)], rng: &mut Rng) -> Option<Vec<u8>> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let method = if rng.chance(2) {
        zip::CompressionMethod::Stored
    } else {
        zip::CompressionMethod::Deflated
    };
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, bytes) in parts {
        writer.start_file(name.as_str(), options).ok()?;
        writer.write_all(bytes).ok()?;
    }
    Some(writer.finish().ok()?.into_inner())
}

/// Mutate a workbook: inside a part of a zip-based one (re-packed with valid checksums), or
/// its raw bytes.
fn mutate_workbook(input: &[u8], rng: &mut Rng, other: &[u8]) -> Vec<u8> {
    if input.starts_with(b"PK") && rng.below(4) != 0 {
        if let Some(mut parts) = unzip(input) {
            if !parts.is_empty() {
                // Prefer the parts the reader parses.
                let xml: Vec<usize> = (0..parts.len())
                    .filter(|i| parts[*i].0.ends_with(".xml") || parts[*i].0.ends_with(".bin"))
                    .collect();
                let pick = if xml.is_empty() || rng.chance(8) {
                    rng.below(parts.len())
                } else {
                    xml[rng.below(xml.len())]
                };
                if rng.chance(16) {
                    parts.remove(pick);
                } else {
                    for _ in 0..1 + rng.below(4) {
                        mutate_bytes(&mut parts[pick].1, rng, XML_TOKENS, other);
                    }
                }
                if let Some(bytes) = rezip(&parts, rng) {
                    return bytes;
                }
            }
        }
    }
    let mut data = input.to_vec();
    for _ in 0..1 + rng.below(8) {
        mutate_bytes(&mut data, rng, XML_TOKENS, other);
    }
    data
}

fn hash_of(data: &[u8]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    data.hash(&mut h);
    h.finish()
}

fn load_corpus(dir: &Path) -> Vec<Vec<u8>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .filter(|p| p.is_file())
        .filter_map(|p| std::fs::read(p).ok())
        .filter(|d| d.len() <= MAX_INPUT)
        .collect()
}

fn save(dir: &Path, prefix: &str, data: &[u8]) -> PathBuf {
    let path = dir.join(format!("{prefix}-{:016x}", hash_of(data)));
    let _ = std::fs::write(&path, data);
    path
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        eprintln!(
            "usage: stable_fuzz <cell_value|workbook> <seconds> <corpus-dir> <artifacts-dir>"
        );
        std::process::exit(2);
    }
    let target = args[1].as_str();
    let seconds: u64 = args[2].parse().unwrap_or(60);
    let corpus_dir = PathBuf::from(&args[3]);
    let artifacts = PathBuf::from(&args[4]);
    let _ = std::fs::create_dir_all(&artifacts);
    let _ = std::fs::create_dir_all(&corpus_dir);
    if !matches!(target, "cell_value" | "workbook") {
        eprintln!("unknown target {target}");
        std::process::exit(2);
    }

    // Panics that escape a target are the findings: report them briefly, save the input.
    let default_hook = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if std::env::var_os("STABLE_FUZZ_VERBOSE").is_some() {
            default_hook(info);
        } else {
            eprintln!("PANIC: {info}");
        }
    }));

    let mut corpus = load_corpus(&corpus_dir);
    if corpus.is_empty() {
        corpus.push(b"1,000".to_vec());
    }
    let seed_count = corpus.len();
    let settings = kpi_report_fuzz::fuzz_settings();
    let seed = std::env::var("STABLE_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9E37_79B9_7F4A_7C15u64);
    let mut rng = Rng(seed | 1);
    let mut seen_outcomes: HashSet<u64> = HashSet::new();
    let mut parser_failures: BTreeMap<String, usize> = BTreeMap::new();
    let mut crashes = 0usize;
    let mut slow = 0usize;
    let mut execs = 0u64;
    let mut read_ok = 0u64;
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let current = artifacts.join("current-input");

    // Run the seeds as they are first.
    let mut queue: Vec<Vec<u8>> = corpus.clone();
    while Instant::now() < deadline {
        let input = match queue.pop() {
            Some(seed_input) => seed_input,
            None => {
                let base = &corpus[rng.below(corpus.len())];
                let other = &corpus[rng.below(corpus.len())];
                match target {
                    "cell_value" => {
                        let mut data = base.clone();
                        for _ in 0..1 + rng.below(6) {
                            mutate_bytes(&mut data, &mut rng, TEXT_TOKENS, other);
                        }
                        data.truncate(4096);
                        data
                    }
                    _ => mutate_workbook(base, &mut rng, other),
                }
            }
        };
        if target == "workbook" {
            // If the process dies (abort, out of memory), this file holds the culprit.
            let _ = std::fs::write(&current, &input);
        }
        let began = Instant::now();
        let result = panic::catch_unwind(AssertUnwindSafe(|| match target {
            "cell_value" => {
                kpi_report_fuzz::cell_value(&input);
                (false, 0u64)
            }
            _ => match kpi_report_fuzz::workbook(&input, &settings) {
                Outcome::Read(n) => (true, n as u64),
                outcome @ Outcome::Refused { .. } => {
                    if outcome.panicked_in_our_code() {
                        panic!(
                            "panic in kpi-report caught by the reader's guard at {:?}",
                            outcome.caught_panic_site()
                        );
                    }
                    let Outcome::Refused {
                        summary,
                        parser_failed,
                    } = &outcome
                    else {
                        return (false, 0);
                    };
                    if *parser_failed {
                        // Keep the panic site (the source line), not the varying details.
                        let site = outcome.caught_panic_site().unwrap_or_default().to_string();
                        let count = parser_failures.entry(site).or_default();
                        if *count == 0 {
                            save(&artifacts, "caught", &input);
                        }
                        *count += 1;
                    }
                    // The outcome: which messages, without numbers that vary per input.
                    let shape: String = summary
                        .chars()
                        .filter(|c| !c.is_ascii_digit())
                        .take(160)
                        .collect();
                    (false, hash_of(shape.as_bytes()))
                }
            },
        }));
        let elapsed = began.elapsed();
        execs += 1;
        match result {
            Ok((was_read, outcome)) => {
                if was_read {
                    read_ok += 1;
                }
                if target == "workbook"
                    && seen_outcomes.insert(outcome ^ (u64::from(was_read) << 63))
                    && corpus.len() < MAX_CORPUS
                {
                    corpus.push(input.clone());
                    save(&corpus_dir, "found", &input);
                }
            }
            Err(_) => {
                crashes += 1;
                let path = save(&artifacts, "crash", &input);
                eprintln!("crash saved to {}", path.display());
            }
        }
        if elapsed > SLOW {
            slow += 1;
            let path = save(&artifacts, "slow", &input);
            eprintln!(
                "slow input ({:.1} s) saved to {}",
                elapsed.as_secs_f64(),
                path.display()
            );
        }
    }
    let _ = std::fs::remove_file(&current);
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{target}: {execs} runs in {secs:.0} s ({:.0}/s), {seed_count} seeds, corpus {}, {} read as workbooks",
        execs as f64 / secs.max(0.001),
        corpus.len(),
        read_ok
    );
    for (site, count) in &parser_failures {
        println!("  parser panic caught by the reader's guard ({count}×) at {site}");
    }
    println!("  crashes: {crashes}, slow inputs: {slow}");
    if crashes > 0 || slow > 0 {
        std::process::exit(1);
    }
}
