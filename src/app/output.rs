//! Writing outputs safely: each output is staged in a temporary file beside its target and
//! renamed into place only when every output of the input is complete; the output folder is
//! locked for the length of a run; `init` writes a new file the same way.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::exit::UsageError;

/// One output being written: a temporary file in the output folder, renamed into place by
/// [`commit`] once every output of the input is complete, so a failure leaves the previous
/// reports untouched and no partial file behind (the temporary file is removed on drop).
pub struct Staged {
    file: std::io::BufWriter<tempfile::NamedTempFile>,
    target: PathBuf,
}

impl Staged {
    /// A temporary file in `dir` for the output `name`.
    pub fn create(dir: &Path, name: &str) -> std::io::Result<Staged> {
        let mut builder = tempfile::Builder::new();
        builder.prefix(".kpi-report-").suffix(".tmp");
        // Reports are for sharing: readable by others like any file the user saves
        // (a temp file would otherwise keep its private 0600).
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
        Ok(Staged {
            file: std::io::BufWriter::with_capacity(256 * 1024, builder.tempfile_in(dir)?),
            target: dir.join(name),
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

/// Make every staged output durable (in parallel: each waits for the disk), then rename
/// each into place.
pub fn commit(files: Vec<Staged>) -> std::io::Result<Vec<PathBuf>> {
    let synced: Vec<(tempfile::NamedTempFile, PathBuf)> = files
        .into_par_iter()
        .map(|staged| {
            let temp = staged.file.into_inner().map_err(|e| e.into_error())?;
            temp.as_file().sync_all()?;
            Ok((temp, staged.target))
        })
        .collect::<std::io::Result<_>>()?;
    let mut written = Vec::with_capacity(synced.len());
    for (temp, target) in synced {
        temp.persist(&target).map_err(|e| e.error)?;
        written.push(target);
    }
    Ok(written)
}

/// An exclusive lock on the output folder for the length of the run, so two runs into the
/// same folder do not interleave their writes.
pub(crate) fn lock_output_folder(dir: &Path) -> Result<File, UsageError> {
    let path = dir.join(".kpi-report.lock");
    let file = File::create(&path).map_err(|e| {
        UsageError(format!(
            "cannot write to the output folder {}: {e}",
            dir.display()
        ))
    })?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(UsageError(format!(
            "another kpi-report run is writing to {}; try again when it has finished",
            dir.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(UsageError(format!(
            "cannot lock the output folder {}: {e}",
            dir.display()
        ))),
    }
}

/// Write to a temporary file in the target folder, then move it into place: a failure
/// leaves no partial file, and without `--force` an existing file is never replaced, even
/// one created meanwhile.
pub(crate) fn write_new_file(path: &Path, bytes: &[u8], force: bool) -> Result<(), UsageError> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let cannot = |e: std::io::Error| UsageError(format!("cannot write {}: {e}", path.display()));
    std::fs::create_dir_all(&folder).map_err(cannot)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".kpi-report-")
        .suffix(".tmp")
        .tempfile_in(&folder)
        .map_err(cannot)?;
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
