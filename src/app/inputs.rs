//! The inputs of a run: files as given, and folders expanded into the workbooks and CSV/TSV
//! exports they hold.

use std::path::{Path, PathBuf};

/// File name extensions read from a folder.
pub(crate) const WORKBOOK_EXTENSIONS: [&str; 7] =
    ["xlsx", "xlsm", "xls", "xlsb", "ods", "csv", "tsv"];

/// One input as given or found in a folder, or a path that could not be used.
#[derive(Debug, Clone)]
pub(crate) enum InputPath {
    File(PathBuf),
    Missing(PathBuf, String),
}

/// Expand folders into their workbooks (sorted by name, lock files `~$x.xlsx` skipped).
pub(crate) fn expand_inputs(paths: &[PathBuf]) -> Vec<InputPath> {
    let mut result = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = match std::fs::read_dir(path) {
                Ok(entries) => entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file() && is_workbook_name(p))
                    .collect(),
                Err(e) => {
                    result.push(InputPath::Missing(path.clone(), e.to_string()));
                    continue;
                }
            };
            found.sort();
            result.extend(found.into_iter().map(InputPath::File));
        } else if path.exists() {
            result.push(InputPath::File(path.clone()));
        } else {
            result.push(InputPath::Missing(
                path.clone(),
                "no such file or folder".to_string(),
            ));
        }
    }
    result
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
