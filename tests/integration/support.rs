//! The harness every test module shares: a temp folder per test, input workbooks written from
//! tables of cells, the real binary run in that folder, and its outputs read back (the JSON
//! report, the report workbook, the files of a folder).

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use calamine::{open_workbook_auto, Data, Range, Reader, Sheets};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;

pub mod xlsb;

/// The as-of date of the tests' runs: the samples hold Actuals up to this month end.
pub const AS_OF: &str = "2026-10-31";

/// The KGI sheet's headers, every column.
pub const KGI_HEAD: &[&str] = &[
    "ID",
    "Name",
    "Target",
    "Unit",
    "Direction",
    "Start",
    "Deadline",
    "Owner",
    "Frequency",
    "Rollup",
];
/// The KPI sheet's headers, every column.
pub const KPI_HEAD: &[&str] = &[
    "ID",
    "Parent",
    "Type",
    "Name",
    "Target",
    "Baseline",
    "Unit",
    "Direction",
    "Deadline",
    "Owner",
    "Frequency",
    "Weight",
    "Rollup",
    "Actual",
    "Measured",
];

/// The shipped samples folder.
pub fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// A shipped sample workbook, e.g. `sales-en.xlsx`.
pub fn sample(name: &str) -> PathBuf {
    samples().join(name)
}

/// A table of cells from rows written as slices (for `write_book`).
pub fn rows<'a>(table: &[&[&'a str]]) -> Vec<Vec<&'a str>> {
    table.iter().map(|r| r.to_vec()).collect()
}

/// Writes an input workbook with rust_xlsxwriter: each sheet a table of cells from A1. A cell is
/// `""` blank, `n:12.5` a number, `d:2026-04-01` a date cell, anything else text (text even
/// when it looks like a formula).
pub fn write_book<S: AsRef<str>>(path: &Path, sheets: &[(&str, Vec<Vec<S>>)]) {
    let mut workbook = Workbook::new();
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    for (name, rows) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c, cell) = (r as u32, c as u16, cell.as_ref());
                if cell.is_empty() {
                    continue;
                } else if let Some(n) = cell.strip_prefix("n:") {
                    sheet.write_number(r, c, n.parse::<f64>().unwrap()).unwrap();
                } else if let Some(d) = cell.strip_prefix("d:") {
                    let date = ExcelDateTime::parse_from_str(d).unwrap();
                    sheet
                        .write_datetime_with_format(r, c, &date, &date_format)
                        .unwrap();
                } else {
                    sheet.write_string(r, c, cell).unwrap();
                }
            }
        }
    }
    workbook.save(path).unwrap();
}

/// How a run of the binary ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A temp folder for one test, removed when the test ends. The binary runs in it, so no
/// `kpi-report.toml` but the test's own is picked up; paths given to it may be relative.
pub struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    pub fn new() -> Case {
        Case {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file of the case (and the folders above it); returns its path.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// `kpi-report ARGS`, run in the case folder.
    pub fn kpi_report<S: AsRef<OsStr>>(&self, args: &[S]) -> Run {
        let output = Command::cargo_bin("kpi-report")
            .unwrap()
            .current_dir(self.dir.path())
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        Run {
            code: output
                .status
                .code()
                .unwrap_or_else(|| panic!("kpi-report ended by a signal: {stderr}")),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr,
        }
    }

    /// `run INPUT --as-of AS_OF --out OUT` plus `extra`.
    pub fn run(&self, input: impl AsRef<Path>, out: &str, extra: &[&str]) -> Run {
        let mut args: Vec<&OsStr> = vec![
            "run".as_ref(),
            input.as_ref().as_os_str(),
            "--as-of".as_ref(),
            AS_OF.as_ref(),
            "--out".as_ref(),
            out.as_ref(),
        ];
        args.extend(extra.iter().map(OsStr::new));
        self.kpi_report(&args)
    }

    /// `run INPUT --as-of AS_OF --out OUT --json` plus `extra`: how it ended, and the JSON
    /// report (a panic showing the run's messages when none was written).
    pub fn run_json(&self, input: impl AsRef<Path>, out: &str, extra: &[&str]) -> (Run, Value) {
        let run = self.run(&input, out, &[&["--json"], extra].concat());
        let path = self.output(out, input, "report.json");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "no JSON {} ({e}); exit {}; stderr: {}",
                path.display(),
                run.code,
                run.stderr
            )
        });
        (run, serde_json::from_str(&text).unwrap())
    }

    /// `check INPUTS --as-of AS_OF` plus `extra`.
    pub fn check<P: AsRef<Path>>(&self, inputs: &[P], extra: &[&str]) -> Run {
        let mut args: Vec<&OsStr> = vec!["check".as_ref()];
        args.extend(inputs.iter().map(|p| p.as_ref().as_os_str()));
        args.extend([OsStr::new("--as-of"), OsStr::new(AS_OF)]);
        args.extend(extra.iter().map(OsStr::new));
        self.kpi_report(&args)
    }

    /// The file `run` writes for INPUT into the case's folder OUT: `OUT/STEM-SUFFIX`
    /// (`report.json`, `report.xlsx`, `summary.html`, `report.eml`).
    pub fn output(&self, out: &str, input: impl AsRef<Path>, suffix: &str) -> PathBuf {
        let stem = input.as_ref().file_stem().unwrap().to_str().unwrap();
        self.path(out).join(format!("{stem}-{suffix}"))
    }

    /// The names in a folder of the case (`"."`: the case folder itself), sorted.
    pub fn files(&self, folder: &str) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.path(folder))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Every file in a folder of the case with its bytes, by name: to compare the folder
    /// before and after a run.
    pub fn contents(&self, folder: &str) -> BTreeMap<String, Vec<u8>> {
        self.files(folder)
            .into_iter()
            .map(|name| {
                let bytes = std::fs::read(self.path(folder).join(&name)).unwrap();
                (name, bytes)
            })
            .collect()
    }
}

/// A JSON file (a report) read back.
/// The metric `id` of a JSON report (a panic naming it when there is none).
pub fn metric<'a>(json: &'a Value, id: &str) -> &'a Value {
    json["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap_or_else(|| panic!("no metric {id} in {json}"))
}

/// The findings of a JSON report with this code.
pub fn codes(json: &Value, code: &str) -> Vec<Value> {
    json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["code"] == code)
        .cloned()
        .collect()
}

/// Whether a JSON number is `expected`, to a billionth of it (or of 1).
pub fn close(actual: &Value, expected: f64) -> bool {
    actual
        .as_f64()
        .is_some_and(|a| (a - expected).abs() <= 1e-9 * expected.abs().max(1.0))
}

pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// The `id` of each entry of a JSON report's list, in order: `ids(&doc["metrics"])`.
pub fn ids(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["id"].as_str().unwrap())
        .collect()
}

/// A workbook read back with calamine (a report workbook, or LibreOffice's copy of one).
pub fn open_workbook(path: &Path) -> Sheets<BufReader<File>> {
    open_workbook_auto(path).unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()))
}

/// One sheet of a workbook: its values as saved.
pub fn sheet(path: &Path, name: &str) -> Range<Data> {
    open_workbook(path).worksheet_range(name).unwrap()
}

/// One part of an xlsx (a zip) as text, e.g. `xl/workbook.xml`.
pub fn zip_text(path: &Path, entry: &str) -> String {
    let file = File::open(path).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let mut text = String::new();
    archive
        .by_name(entry)
        .unwrap_or_else(|_| panic!("{entry} in {}", path.display()))
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The names of the parts of an xlsx (a zip), in the archive's order.
pub fn zip_names(path: &Path) -> Vec<String> {
    let file = File::open(path).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    (0..archive.len())
        .map(|i| archive.by_index(i).unwrap().name().unwrap().to_string())
        .collect()
}

/// Convert `input` to xlsx with LibreOffice headless into `out`, with the LibreOffice user
/// profile `profile` (a `file://` URL); returns the new file.
pub fn libreoffice_convert(profile: &str, input: &Path, out: &Path) -> PathBuf {
    std::fs::create_dir_all(out).unwrap();
    let output = std::process::Command::new("soffice")
        .arg(format!("-env:UserInstallation={profile}"))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx",
            "--outdir",
        ])
        .arg(out)
        .arg(input)
        .output()
        .unwrap();
    let stem = input.file_stem().unwrap().to_str().unwrap();
    let converted = out.join(format!("{stem}.xlsx"));
    assert!(
        converted.exists(),
        "soffice did not convert {}: {}{}",
        input.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    converted
}
