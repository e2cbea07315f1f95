//! Reading an input file (a workbook, the config) with a bound: only a regular file (after
//! following links) is opened, so a device never feeds endless bytes and a pipe never
//! blocks the run, and at most `max_bytes` are read whatever the file claims its size is.

use std::io::Read;
use std::path::Path;

/// Why a file was not read.
#[derive(Debug)]
pub enum FileError {
    Io(std::io::Error),
    Folder,
    /// A device, a pipe (FIFO) or a socket.
    NotRegular,
    /// Larger than allowed; the size seen (at least `max_bytes + 1`).
    TooLarge(u64),
}

impl FileError {
    /// In words, for a message after the file's name.
    pub fn describe(&self) -> String {
        match self {
            FileError::Io(e) => describe_io(e),
            FileError::Folder => "a folder, not a file".to_string(),
            FileError::NotRegular => "not a regular file (a device, pipe or socket)".to_string(),
            FileError::TooLarge(size) => format!("{size} bytes or more"),
        }
    }
}

/// An I/O error on a path in words: a missing file is "no such file or folder", a link
/// loop says so (not "no such file").
pub fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let text = e.to_string();
            text.lines().next().unwrap_or("").trim().to_string()
        }
    }
}

/// The bytes of the regular file at `path`, at most `max_bytes` of them.
pub fn read_regular(path: &Path, max_bytes: u64) -> Result<Vec<u8>, FileError> {
    read_bounded(path, max_bytes, false)
}

/// Like [`read_regular`], and a character device is read too, up to the bound: the config
/// may be `/dev/null` (no settings), while `/dev/zero` is refused as too large. Pipes and
/// sockets are never opened (a pipe without a writer would block for ever).
pub fn read_regular_or_device(path: &Path, max_bytes: u64) -> Result<Vec<u8>, FileError> {
    read_bounded(path, max_bytes, true)
}

fn read_bounded(path: &Path, max_bytes: u64, devices: bool) -> Result<Vec<u8>, FileError> {
    let metadata = std::fs::metadata(path).map_err(FileError::Io)?;
    check_kind(&metadata, max_bytes, devices)?;
    let file = std::fs::File::open(path).map_err(FileError::Io)?;
    // The path may have been replaced since: the opened file is checked again.
    let metadata = file.metadata().map_err(FileError::Io)?;
    check_kind(&metadata, max_bytes, devices)?;
    let capacity = usize::try_from(metadata.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity.saturating_add(1));
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(FileError::Io)?;
    if bytes.len() as u64 > max_bytes {
        return Err(FileError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

fn check_kind(
    metadata: &std::fs::Metadata,
    max_bytes: u64,
    devices: bool,
) -> Result<(), FileError> {
    if metadata.is_dir() {
        Err(FileError::Folder)
    } else if devices && is_char_device(metadata) {
        Ok(())
    } else if !metadata.is_file() {
        Err(FileError::NotRegular)
    } else if metadata.len() > max_bytes {
        Err(FileError::TooLarge(metadata.len()))
    } else {
        Ok(())
    }
}

#[cfg(unix)]
fn is_char_device(metadata: &std::fs::Metadata) -> bool {
    std::os::unix::fs::FileTypeExt::is_char_device(&metadata.file_type())
}

#[cfg(not(unix))]
fn is_char_device(_metadata: &std::fs::Metadata) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_and_folders_are_not_read() {
        assert!(matches!(
            read_regular(Path::new("/dev/zero"), 1024),
            Err(FileError::NotRegular)
        ));
        assert!(matches!(
            read_regular(Path::new("/"), 1024),
            Err(FileError::Folder)
        ));
    }

    #[test]
    fn a_device_may_be_read_with_the_bound() {
        assert_eq!(
            read_regular_or_device(Path::new("/dev/null"), 10).unwrap(),
            b""
        );
        assert!(matches!(
            read_regular_or_device(Path::new("/dev/zero"), 10),
            Err(FileError::TooLarge(11))
        ));
    }

    #[test]
    fn at_most_max_bytes_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, [1u8; 100]).unwrap();
        assert_eq!(read_regular(&path, 100).unwrap().len(), 100);
        assert!(matches!(
            read_regular(&path, 99),
            Err(FileError::TooLarge(100))
        ));
    }
}
