//! Rewriting model sources in a repository nobody reviewed (`ward fmt`,
//! `ward check --fix`).
//!
//! A planted symlink or hard link must never make a command write outside
//! the file it means, so a source is replaced only when it is a regular
//! file with one link, through a temporary file created exclusively in the
//! same folder under an unpredictable name (see docs/reliability.md).
//! Reading goes through the loader's own bounded, regular-file-only read.

use std::fs::Permissions;
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

/// Why a source cannot be replaced.
#[derive(Debug)]
pub enum ReplaceError {
    SymbolicLink,
    NotRegular,
    HardLinked(u64),
    Io(io::Error),
}

impl std::fmt::Display for ReplaceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReplaceError::SymbolicLink => f.write_str(
                "it is a symbolic link; Ward does not write through links (name the link's target)",
            ),
            ReplaceError::NotRegular => {
                f.write_str("it is not a regular file (a folder, FIFO, socket or device)")
            }
            ReplaceError::HardLinked(links) => write!(
                f,
                "it has {links} hard links; replacing it would split them (change one copy and link again)"
            ),
            ReplaceError::Io(err) => err.fmt(f),
        }
    }
}

impl From<io::Error> for ReplaceError {
    fn from(err: io::Error) -> Self {
        ReplaceError::Io(err)
    }
}

/// The file at `path` as it is now: a regular file, not a link.
fn regular_file(path: &Path) -> Result<std::fs::Metadata, ReplaceError> {
    let meta = std::fs::symlink_metadata(path)?;
    if meta.file_type().is_symlink() {
        return Err(ReplaceError::SymbolicLink);
    }
    if !meta.is_file() {
        return Err(ReplaceError::NotRegular);
    }
    Ok(meta)
}

/// Replaces the regular file at `path` with `text`, keeping its permission
/// bits (and its owner where allowed). The new text goes to a temporary file
/// in the same folder, created with `O_EXCL` under a random name, and is
/// renamed over the original, so an interrupted write never leaves a
/// half-written source and a planted temporary-name symlink is never
/// followed.
pub fn replace_source(path: &Path, text: &str) -> Result<(), ReplaceError> {
    let meta = regular_file(path)?;
    if meta.nlink() > 1 {
        return Err(ReplaceError::HardLinked(meta.nlink()));
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".ward-tmp")
        .tempfile_in(folder)?;
    temp.write_all(text.as_bytes())?;
    temp.as_file()
        .set_permissions(Permissions::from_mode(meta.mode() & 0o7777))?;
    // Root rewriting another user's file keeps that user as its owner;
    // anyone else cannot change owners, and the file becomes theirs, as with
    // any editor that saves by renaming.
    let _ = std::os::unix::fs::fchown(temp.as_file(), Some(meta.uid()), Some(meta.gid()));
    temp.as_file().sync_all()?;
    // The path may have been swapped for a link meanwhile: check again just
    // before the rename (which replaces the entry itself and never follows a
    // link at the destination).
    regular_file(path)?;
    temp.persist(path)
        .map_err(|err| ReplaceError::Io(err.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacing_keeps_permissions_and_leaves_no_temporary_file() {
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
    fn a_symlink_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("bashrc");
        std::fs::write(&target, "secret").unwrap();
        let link = dir.path().join("main.ward");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(matches!(
            replace_source(&link, "x"),
            Err(ReplaceError::SymbolicLink)
        ));
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "secret");
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
    }

    #[test]
    fn a_fifo_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.ward");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        assert!(matches!(
            replace_source(&fifo, "x"),
            Err(ReplaceError::NotRegular)
        ));
    }

    #[test]
    fn a_hard_linked_file_is_not_split() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("main.ward");
        std::fs::write(&path, "old").unwrap();
        std::fs::hard_link(&path, dir.path().join("copy.ward")).unwrap();
        assert!(matches!(
            replace_source(&path, "new"),
            Err(ReplaceError::HardLinked(2))
        ));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("copy.ward")).unwrap(),
            "old"
        );
    }
}
