//! Reading and rewriting model sources in a repository nobody reviewed.
//!
//! A planted symlink, FIFO or device must never make a command write
//! outside the file it means, block, or read without bound, so sources are
//! opened without following symlinks and without blocking, must be regular
//! files of bounded size, and are replaced through a temporary file created
//! exclusively under an unpredictable name (see docs/reliability.md).

use std::fs::{File, OpenOptions, Permissions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// The largest source file `ward fmt` reads: 64 MiB, far above any real
/// model and far below what would exhaust memory.
pub const MAX_SOURCE_BYTES: u64 = 64 * 1024 * 1024;

/// Why a source cannot be read or replaced.
#[derive(Debug)]
pub enum SourceError {
    SymbolicLink,
    NotRegular,
    HardLinked(u64),
    TooLarge(u64),
    Io(io::Error),
}

impl std::fmt::Display for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SourceError::SymbolicLink => f.write_str(
                "it is a symbolic link; Ward does not write through links (run it on the link's target)",
            ),
            SourceError::NotRegular => {
                f.write_str("it is not a regular file (a folder, FIFO, socket or device)")
            }
            SourceError::HardLinked(links) => write!(
                f,
                "it has {links} hard links; replacing it would split them (format one copy and link again)"
            ),
            SourceError::TooLarge(bytes) => write!(
                f,
                "it has {bytes} bytes, more than the {MAX_SOURCE_BYTES}-byte limit for a source file"
            ),
            SourceError::Io(err) => err.fmt(f),
        }
    }
}

impl From<io::Error> for SourceError {
    fn from(err: io::Error) -> Self {
        SourceError::Io(err)
    }
}

/// A regular source file, opened without following a symlink and without
/// blocking on a FIFO.
fn open_regular(path: &Path) -> Result<(File, std::fs::Metadata), SourceError> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path)
        .map_err(|err| match err.raw_os_error() {
            Some(libc::ELOOP) => SourceError::SymbolicLink,
            _ => SourceError::Io(err),
        })?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(SourceError::NotRegular);
    }
    Ok((file, meta))
}

/// The bytes of the regular file at `path`, at most [`MAX_SOURCE_BYTES`].
pub fn read_source(path: &Path) -> Result<Vec<u8>, SourceError> {
    let (file, meta) = open_regular(path)?;
    if meta.len() > MAX_SOURCE_BYTES {
        return Err(SourceError::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The size can change between the stat and the read: read one byte more
    // than the limit to notice.
    file.take(MAX_SOURCE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return Err(SourceError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Replaces the regular file at `path` with `text`, keeping its permission
/// bits (and its owner where allowed). The new text goes to a temporary file
/// in the same folder, created with `O_EXCL` under a random name, and is
/// renamed over the original, so an interrupted write never leaves a
/// half-written source and a planted `*.tmp` symlink is never followed.
pub fn replace_source(path: &Path, text: &str) -> Result<(), SourceError> {
    let (_, meta) = open_regular(path)?;
    if meta.nlink() > 1 {
        return Err(SourceError::HardLinked(meta.nlink()));
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".ward-tmp")
        .tempfile_in(folder)?;
    temp.write_all(text.as_bytes())?;
    temp.as_file().sync_all()?;
    temp.as_file()
        .set_permissions(Permissions::from_mode(meta.mode() & 0o7777))?;
    // Root formatting another user's file keeps that user as owner; anyone
    // else cannot change the owner, and the file is then theirs, as with
    // any editor that saves by renaming.
    let _ = std::os::unix::fs::fchown(temp.as_file(), Some(meta.uid()), Some(meta.gid()));
    // The path may have been swapped for a link since it was opened: check
    // again just before the rename (which replaces the entry itself and never
    // follows a link at the destination).
    let now = std::fs::symlink_metadata(path)?;
    if now.file_type().is_symlink() {
        return Err(SourceError::SymbolicLink);
    }
    if !now.is_file() {
        return Err(SourceError::NotRegular);
    }
    temp.persist(path).map_err(|err| SourceError::Io(err.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_keeps_permissions_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("main.ward");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, Permissions::from_mode(0o600)).unwrap();
        replace_source(&path, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let mode = std::fs::metadata(&path).unwrap().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["main.ward"]);
    }

    #[test]
    fn a_symlink_is_neither_read_nor_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.txt");
        std::fs::write(&target, "secret").unwrap();
        let link = dir.path().join("main.ward");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(matches!(read_source(&link), Err(SourceError::SymbolicLink)));
        assert!(matches!(replace_source(&link, "x"), Err(SourceError::SymbolicLink)));
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "secret");
    }

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.ward");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        assert!(matches!(read_source(&fifo), Err(SourceError::NotRegular)));
    }

    #[test]
    fn a_hard_linked_file_is_not_split() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("main.ward");
        std::fs::write(&path, "old").unwrap();
        std::fs::hard_link(&path, dir.path().join("copy.ward")).unwrap();
        assert!(matches!(replace_source(&path, "new"), Err(SourceError::HardLinked(2))));
        assert_eq!(std::fs::read_to_string(dir.path().join("copy.ward")).unwrap(), "old");
    }
}
