//! The sources of a run (`--actuals`, `--plan`, then `[[sources]]`), expanded into their files and read
//! once, in parallel, for every input to take its rows from.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::findings::Problem;
use crate::input::names::NameTable;
use crate::input::source::{read_source, SourceRole, SourceSpec, SourceTable};

use super::options::Options;

/// File name extensions taken from a source folder.
const SOURCE_EXTENSIONS: [&str; 9] = [
    "csv", "tsv", "txt", "xlsx", "xlsm", "xls", "xlsb", "ods", "prn",
];

/// A file to read, or a path that names none.
enum Planned {
    File(PathBuf, SourceSpec),
    Failed(SourceTable),
}

pub(crate) fn read_sources(options: &Options, names: &NameTable) -> Vec<SourceTable> {
    let mut planned: Vec<Planned> = Vec::new();
    for given in &options.actuals {
        planned.extend(expand(given, &SourceSpec::default()));
    }
    let plan = SourceSpec {
        role: SourceRole::Plan,
        ..SourceSpec::default()
    };
    for given in &options.plan {
        planned.extend(expand(given, &plan));
    }
    let settings = &options.settings;
    for config in &settings.sources {
        let path = settings.config_dir.join(&config.path);
        planned.extend(expand(&path, &SourceSpec::from_config(config)));
    }
    planned
        .into_par_iter()
        .map(|p| match p {
            Planned::File(path, spec) => {
                let mut table = read_source(
                    &path,
                    &path.display().to_string(),
                    &spec,
                    settings,
                    names,
                    options.as_of,
                );
                table.role = spec.role;
                table
            }
            Planned::Failed(table) => table,
        })
        .collect()
}

/// A file, every export in a folder (sorted by name), or the files a glob matches (sorted).
fn expand(path: &Path, spec: &SourceSpec) -> Vec<Planned> {
    let shown = path.display().to_string();
    let failed = |detail: &str| {
        vec![Planned::Failed(SourceTable::failed(
            &shown,
            Problem::InputPath {
                detail: detail.to_string(),
            },
            None,
        ))]
    };
    let text = path.to_string_lossy();
    let mut files: Vec<PathBuf> = if text.contains(['*', '?', '[']) {
        match glob::glob(&text) {
            Ok(paths) => paths
                .filter_map(Result::ok)
                .filter(|p| p.is_file())
                .collect(),
            Err(e) => return failed(&format!("not a valid pattern: {e}")),
        }
    } else if path.is_dir() {
        match std::fs::read_dir(path) {
            Ok(entries) => entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && is_export_name(p))
                .collect(),
            Err(e) => return failed(&e.to_string()),
        }
    } else if path.exists() {
        vec![path.to_path_buf()]
    } else {
        return failed("no such file or folder");
    };
    if files.is_empty() {
        return failed("no export found there (a monthly export that did not arrive?)");
    }
    files.sort();
    files
        .into_iter()
        .map(|f| Planned::File(f, spec.clone()))
        .collect()
}

fn is_export_name(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with("~$") || name.starts_with(".~lock") || name.starts_with('.') {
        return false;
    }
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SOURCE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}
