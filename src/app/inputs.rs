//! The inputs of a run: files as given, and folders expanded into the workbooks and CSV/TSV
//! exports they hold.

use std::path::{Path, PathBuf};

use crate::files::describe_io;

/// File name extensions read from a folder.
pub(crate) const WORKBOOK_EXTENSIONS: [&str; 7] =
    ["xlsx", "xlsm", "xls", "xlsb", "ods", "csv", "tsv"];

/// One input as given or found in a folder, or a path that could not be used.
#[derive(Debug, Clone)]
pub(crate) enum InputPath {
    File(PathBuf),
    Missing(PathBuf, String),
}

/// Expand folders into their workbooks (sorted by name, lock files `~$x.xlsx` and
/// kpi-report's own reports skipped). A folder without any workbook is a path that could
/// not be used (a monthly job must notice an export that did not arrive), and so is a
/// report of kpi-report's given as an input.
pub(crate) fn expand_inputs(paths: &[PathBuf]) -> Vec<InputPath> {
    let mut result = Vec::new();
    for path in paths {
        let metadata = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                result.push(InputPath::Missing(path.clone(), describe_io(&e)));
                continue;
            }
        };
        if metadata.is_dir() {
            let mut found: Vec<PathBuf> = match std::fs::read_dir(path) {
                Ok(entries) => entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file() && is_workbook_name(p))
                    .collect(),
                Err(e) => {
                    result.push(InputPath::Missing(path.clone(), describe_io(&e)));
                    continue;
                }
            };
            let candidates = found.len();
            found.retain(|p| !is_own_report(p));
            if found.is_empty() {
                let why = if candidates > 0 {
                    "a folder holding no workbook but kpi-report's own reports"
                } else {
                    "a folder holding no workbook (.xlsx, .xlsm, .xlsb, .xls, .ods)"
                };
                result.push(InputPath::Missing(path.clone(), why.to_string()));
                continue;
            }
            found.sort();
            result.extend(found.into_iter().map(InputPath::File));
        } else if metadata.is_file() && is_own_report(path) {
            result.push(InputPath::Missing(
                path.clone(),
                "a report written by kpi-report, not a goal workbook".to_string(),
            ));
        } else {
            result.push(InputPath::File(path.clone()));
        }
    }
    result
}

/// A workbook carrying kpi-report's mark in its document properties: one of its own
/// reports, never read as an input (an output folder may also be an input folder). Reports
/// written before the mark existed are told by the author and keywords every report has
/// had. Only the small `docProps` parts are read, at most 64 KB of each.
pub(crate) fn is_own_report(path: &Path) -> bool {
    let zip_name = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "xlsx" | "xlsm"));
    if !zip_name {
        return false;
    }
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let Ok(mut archive) = zip::ZipArchive::new(std::io::BufReader::new(file)) else {
        return false;
    };
    let mut part = |name: &str| -> String {
        let mut text = Vec::new();
        if let Ok(entry) = archive.by_name(name) {
            let _ =
                std::io::Read::read_to_end(&mut std::io::Read::take(entry, 64 * 1024), &mut text);
        }
        String::from_utf8_lossy(&text).into_owned()
    };
    let mark = format!("name=\"{}\"", crate::report::xlsx::REPORT_MARK);
    if part("docProps/custom.xml").contains(&mark) {
        return true;
    }
    let core = part("docProps/core.xml");
    core.contains("<dc:creator>kpi-report</dc:creator>")
        && core.contains("<cp:keywords>KGI, KPI</cp:keywords>")
}

pub(crate) fn is_workbook_name(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with("~$") || name.starts_with(".~lock") {
        return false;
    }
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| WORKBOOK_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_files_and_other_files_are_skipped_in_folders() {
        assert!(is_workbook_name(Path::new("a/KPI.XLSX")));
        assert!(is_workbook_name(Path::new("a/x.ods")));
        assert!(!is_workbook_name(Path::new("a/~$x.xlsx")));
        assert!(!is_workbook_name(Path::new("a/notes.txt")));
        assert!(is_workbook_name(Path::new("a/kpi.CSV")));
        assert!(is_workbook_name(Path::new("a/kpi.tsv")));
    }
}
