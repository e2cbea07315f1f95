//! Writing outputs safely: each output is staged in a temporary file beside its target and
//! renamed into place only when every output of the input is complete; the output folder is
//! locked for the length of a run (the folder itself, so no lock file is left in it); what
//! an interrupted run left is removed by the next one, and SIGINT/SIGTERM remove the
//! temporary files of the run they stop; `init` writes a new file the same way.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use rayon::prelude::*;

use crate::exit::UsageError;

/// Temporary files of this process, removed by the interrupt handler.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

const TEMP_PREFIX: &str = ".kpi-report-";
const TEMP_SUFFIX: &str = ".tmp";

fn live() -> MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock().unwrap_or_else(PoisonError::into_inner)
}

fn forget(registry: &mut Vec<PathBuf>, path: &Path) {
    if let Some(i) = registry.iter().position(|p| p == path) {
        registry.swap_remove(i);
    }
}

/// A temporary file's path, known to the interrupt handler while it exists.
struct Tracked(PathBuf);

impl Tracked {
    fn new(path: &Path) -> Tracked {
        live().push(path.to_path_buf());
        Tracked(path.to_path_buf())
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        forget(&mut live(), &self.0);
    }
}

/// On SIGINT, SIGTERM or SIGHUP: remove this run's temporary files and exit 130. A commit
/// in progress finishes (or rolls back) first, so the previous reports are either all
/// replaced or all kept.
pub(crate) fn remove_temp_files_on_interrupt() {
    // An embedding program may have its own handler: then it keeps it.
    let _ = ctrlc::set_handler(|| {
        let registry = live();
        for path in registry.iter() {
            let _ = std::fs::remove_file(path);
        }
        eprintln!("interrupted: temporary files removed; no output was left half-written");
        std::process::exit(130);
    });
}

/// One output being written: a temporary file in the output folder, renamed into place by
/// [`commit`] once every output of the input is complete, so a failure leaves the previous
/// reports untouched and no partial file behind (the temporary file is removed on drop).
pub struct Staged {
    file: std::io::BufWriter<tempfile::NamedTempFile>,
    target: PathBuf,
    tracked: Tracked,
}

impl Staged {
    /// A temporary file in `dir` for the output `name`.
    pub fn create(dir: &Path, name: &str) -> std::io::Result<Staged> {
        let mut builder = tempfile::Builder::new();
        builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
        // Reports are for sharing: readable by others like any file the user saves
        // (a temp file would otherwise keep its private 0600).
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
        let temp = builder.tempfile_in(dir)?;
        let tracked = Tracked::new(temp.path());
        Ok(Staged {
            file: std::io::BufWriter::with_capacity(256 * 1024, temp),
            target: dir.join(name),
            tracked,
        })
    }
}

impl Write for Staged {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.file.write_all(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// The inputs of a run, which no output may replace: compared as files (device and inode
/// on Unix, the resolved path elsewhere), so a link or another spelling of the path is
/// recognised.
#[derive(Debug, Default)]
pub struct Inputs {
    files: Vec<(PathBuf, FileKey)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum FileKey {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg_attr(unix, allow(dead_code))]
    Path(PathBuf),
}

fn file_key(path: &Path) -> Option<FileKey> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path)
            .ok()
            .map(|m| FileKey::Inode(m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        std::fs::canonicalize(path).ok().map(FileKey::Path)
    }
}

impl Inputs {
    pub fn new<'a>(paths: impl IntoIterator<Item = &'a Path>) -> Inputs {
        Inputs {
            files: paths
                .into_iter()
                .filter_map(|p| file_key(p).map(|key| (p.to_path_buf(), key)))
                .collect(),
        }
    }

    /// The input that `target` is (after following links), if any.
    fn input_at(&self, target: &Path) -> Option<&Path> {
        let key = file_key(target)?;
        self.files
            .iter()
            .find(|(_, k)| *k == key)
            .map(|(p, _)| p.as_path())
    }
}

/// Why the outputs of an input were not (all) put in place; the message says what the
/// output folder holds now.
#[derive(Debug)]
pub struct CommitError(pub String);

impl std::error::Error for CommitError {}

impl std::fmt::Display for CommitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

const KEPT: &str = "nothing was replaced (previous reports left as they were)";

/// Make every staged output durable (in parallel: each waits for the disk), check every
/// target, then rename each into place: all of them, or none. A target that is a folder,
/// cannot be named (too long, not allowed) or is one of the run's `inputs` stops the
/// commit before anything is replaced; a rename that still fails puts back the files
/// already replaced.
pub fn commit(files: Vec<Staged>, inputs: &Inputs) -> Result<Vec<PathBuf>, CommitError> {
    let synced: Vec<(tempfile::NamedTempFile, PathBuf, Tracked)> = files
        .into_par_iter()
        .map(|staged| {
            let target = staged.target;
            let temp = staged.file.into_inner().map_err(|e| e.into_error());
            let temp = temp.and_then(|temp| temp.as_file().sync_all().map(|()| temp));
            temp.map(|temp| (temp, target, staged.tracked))
                .map_err(|e| CommitError(format!("cannot write the reports: {e}; {KEPT}")))
        })
        .collect::<Result<_, _>>()?;
    for (_, target, _) in &synced {
        check_target(target, inputs)?;
    }

    // From here to the end, the interrupt handler waits: the renames and a rollback are
    // never cut in the middle.
    let mut registry = live();
    let mut backups: Vec<Option<tempfile::NamedTempFile<()>>> = Vec::with_capacity(synced.len());
    for (_, target, _) in &synced {
        match backup(target) {
            Ok(b) => {
                if let Some(b) = &b {
                    registry.push(b.path().to_path_buf());
                }
                backups.push(b);
            }
            Err(e) => {
                forget_all(&mut registry, &backups);
                return Err(CommitError(format!(
                    "cannot keep a copy of {} while replacing it: {e}; {KEPT}",
                    target.display()
                )));
            }
        }
    }
    let mut written: Vec<PathBuf> = Vec::with_capacity(synced.len());
    let mut failure = None;
    let mut trackers = Vec::with_capacity(synced.len());
    for (temp, target, tracked) in synced {
        trackers.push(tracked);
        if failure.is_some() {
            continue;
        }
        match temp.persist(&target) {
            Ok(_) => written.push(target),
            Err(e) => failure = Some((target, e.error)),
        }
    }
    let result = match failure {
        None => Ok(written),
        Some((target, error)) => Err(roll_back(&written, &mut backups, &target, &error)),
    };
    forget_all(&mut registry, &backups);
    drop(registry);
    // Backups left (after success, or when not needed) are removed here.
    drop(backups);
    drop(trackers);
    result
}

fn forget_all(registry: &mut Vec<PathBuf>, backups: &[Option<tempfile::NamedTempFile<()>>]) {
    for b in backups.iter().flatten() {
        forget(registry, b.path());
    }
}

/// Refuse a target that cannot be replaced by a file, or that is an input.
fn check_target(target: &Path, inputs: &Inputs) -> Result<(), CommitError> {
    let refuse = |why: String| Err(CommitError(format!("{why}; {KEPT}")));
    match std::fs::symlink_metadata(target) {
        Ok(m) if m.is_dir() => refuse(format!(
            "cannot write {}: a folder has that name",
            target.display()
        )),
        Ok(_) => match inputs.input_at(target) {
            Some(input) => refuse(format!(
                "{} would replace the input {} (inputs are never replaced: choose another --out or output_name)",
                target.display(),
                input.display()
            )),
            None => Ok(()),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => refuse(format!("cannot write {}: {e}", target.display())),
    }
}

/// A second name for an existing target (a hard link, or a copy where the file system has
/// none), to put it back if the commit fails; removed when dropped.
fn backup(target: &Path) -> std::io::Result<Option<tempfile::NamedTempFile<()>>> {
    match std::fs::symlink_metadata(target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
        Ok(_) => {}
    }
    let dir = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let builder = {
        let mut b = tempfile::Builder::new();
        b.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
        b
    };
    builder
        .make_in(dir, |path| std::fs::hard_link(target, path))
        .or_else(|_| {
            builder.make_in(dir, |path| {
                if std::fs::symlink_metadata(target)?.file_type().is_symlink() {
                    let link = std::fs::read_link(target)?;
                    symlink(&link, path)
                } else {
                    std::fs::copy(target, path).map(|_| ())
                }
            })
        })
        .map(Some)
}

#[cfg(unix)]
fn symlink(original: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(original, link)
}

#[cfg(not(unix))]
fn symlink(_original: &Path, _link: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other(
        "symbolic links are not supported here",
    ))
}

/// Put back what a failed commit replaced; the message says what the folder holds.
fn roll_back(
    written: &[PathBuf],
    backups: &mut [Option<tempfile::NamedTempFile<()>>],
    failed: &Path,
    error: &std::io::Error,
) -> CommitError {
    let mut not_restored: Vec<String> = Vec::new();
    for (i, target) in written.iter().enumerate() {
        let restored = match backups.get_mut(i).and_then(Option::take) {
            Some(previous) => previous.persist(target).map_err(|e| e.error),
            None => std::fs::remove_file(target),
        };
        if let Err(e) = restored {
            not_restored.push(format!("{} ({e})", target.display()));
        }
    }
    if not_restored.is_empty() {
        CommitError(format!(
            "cannot write {}: {error}; the reports already replaced were put back (previous reports left as they were)",
            failed.display()
        ))
    } else {
        CommitError(format!(
            "cannot write {}: {error}; and could not put back the previous {}: the output folder holds new and previous reports mixed",
            failed.display(),
            not_restored.join(", ")
        ))
    }
}

/// An exclusive lock on the output folder for the length of the run, so two runs into the
/// same folder do not interleave their writes. The folder itself is locked (on Unix): no
/// lock file is created in it, and no file planted there is opened. Once locked, the
/// temporary files an interrupted run left behind are removed.
pub(crate) fn lock_output_folder(dir: &Path) -> Result<File, UsageError> {
    let file = open_lock(dir).map_err(|e| {
        UsageError(format!(
            "cannot write to the output folder {}: {e}",
            dir.display()
        ))
    })?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            return Err(UsageError(format!(
                "another kpi-report run is writing to {}; try again when it has finished",
                dir.display()
            )))
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(UsageError(format!(
                "cannot lock the output folder {}: {e}",
                dir.display()
            )))
        }
    }
    remove_leftovers(dir);
    Ok(file)
}

#[cfg(unix)]
fn open_lock(dir: &Path) -> std::io::Result<File> {
    let file = File::open(dir)?;
    if !file.metadata()?.is_dir() {
        return Err(std::io::Error::other("not a folder"));
    }
    Ok(file)
}

/// Where a folder cannot be opened as a file, a lock file outside it, in the temp folder,
/// named after the folder's resolved path.
#[cfg(not(unix))]
fn open_lock(dir: &Path) -> std::io::Result<File> {
    use std::hash::{Hash, Hasher};
    let resolved = std::fs::canonicalize(dir)?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    resolved.hash(&mut hasher);
    let path = std::env::temp_dir().join(format!("kpi-report-{:016x}.lock", hasher.finish()));
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
}

/// Remove the temporary files (`.kpi-report-*.tmp`) that a killed run left in `dir`; the
/// caller holds the folder's lock, so none of them is being written. Links are removed,
/// never followed.
fn remove_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        if entry.file_type().is_ok_and(|t| !t.is_dir()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Write to a temporary file in the target folder, then move it into place: a failure
/// leaves no partial file, and without `--force` an existing file is never replaced, even
/// one created meanwhile. The file is readable by others (0644 less the umask), like the
/// reports.
pub(crate) fn write_new_file(path: &Path, bytes: &[u8], force: bool) -> Result<(), UsageError> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let cannot = |e: std::io::Error| UsageError(format!("cannot write {}: {e}", path.display()));
    std::fs::create_dir_all(&folder).map_err(cannot)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut temp = builder.tempfile_in(&folder).map_err(cannot)?;
    let _tracked = Tracked::new(temp.path());
    temp.write_all(bytes).map_err(cannot)?;
    temp.as_file().sync_all().map_err(cannot)?;
    let persisted = if force {
        temp.persist(path)
    } else {
        temp.persist_noclobber(path)
    };
    persisted.map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            refusal(path)
        } else {
            cannot(e.error)
        }
    })?;
    Ok(())
}

pub(crate) fn refusal(path: &Path) -> UsageError {
    UsageError(format!(
        "{} already exists; not overwritten (add --force to replace it)",
        path.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_commit_puts_back_what_it_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("a-report.xlsx");
        let new_file = dir.path().join("a-summary.html");
        std::fs::write(&old, "previous").unwrap();
        let mut backups = vec![backup(&old).unwrap(), backup(&new_file).unwrap()];
        assert!(backups[1].is_none(), "no previous file, no backup");
        // The first two renames happened, then the third failed.
        for target in [&old, &new_file] {
            let temp = dir.path().join("staged");
            std::fs::write(&temp, "new").unwrap();
            std::fs::rename(&temp, target).unwrap();
        }
        let failed = dir.path().join("a-report.json");
        let error = std::io::Error::other("disk full");
        let message = roll_back(
            &[old.clone(), new_file.clone()],
            &mut backups,
            &failed,
            &error,
        );
        assert!(
            message
                .0
                .contains("a-report.json: disk full; the reports already replaced were put back"),
            "{}",
            message.0
        );
        assert_eq!(std::fs::read_to_string(&old).unwrap(), "previous");
        assert!(!new_file.exists());
        drop(backups);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "backups removed");
    }

    #[test]
    fn targets_are_checked_before_anything_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.xlsx");
        std::fs::write(&input, "input").unwrap();
        let inputs = Inputs::new([input.as_path()]);
        std::fs::create_dir(dir.path().join("folder.html")).unwrap();
        let staged = |name: &str| {
            let mut s = Staged::create(dir.path(), name).unwrap();
            s.write_all(b"new").unwrap();
            s
        };
        let error = commit(vec![staged("ok.xlsx"), staged("folder.html")], &inputs).unwrap_err();
        assert!(
            error
                .0
                .contains("a folder has that name; nothing was replaced"),
            "{error}"
        );
        assert!(!dir.path().join("ok.xlsx").exists());
        let error = commit(vec![staged("ok.xlsx"), staged("in.xlsx")], &inputs).unwrap_err();
        assert!(error.0.contains("would replace the input"), "{error}");
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "input");
        let written = commit(vec![staged("ok.xlsx")], &inputs).unwrap();
        assert_eq!(written, [dir.path().join("ok.xlsx")]);
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["folder.html", "in.xlsx", "ok.xlsx"],
            "no temp file left"
        );
    }
}
