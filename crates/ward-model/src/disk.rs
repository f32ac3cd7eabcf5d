//! Model sources on disk, as the loader and `ward fmt` both see them: the
//! walk that finds a folder's `.ward` files (bounded, regular files only,
//! never leaving the folder) and the bounded read of one file (a regular
//! file, never a FIFO or device that could block or never end).

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Folder entries a walk looks at before it gives up (a large source tree
/// has tens of thousands).
pub const MAX_WALK_ENTRIES: usize = 100_000;

/// What a walk of a folder found.
#[derive(Debug, Default)]
pub(crate) struct DiskWalk {
    /// `/`-separated path relative to the folder -> the file to read.
    pub files: BTreeMap<String, PathBuf>,
    /// `.ward` files whose path below the folder is not UTF-8: they have no
    /// name a `Ward.toml` or a diagnostic can give, so they are reported.
    pub non_utf8: Vec<PathBuf>,
    /// The walk stopped at [`MAX_WALK_ENTRIES`].
    pub truncated: bool,
}

/// Why [`ward_files_below`] listed no files.
#[derive(Debug)]
pub enum WalkError {
    /// The folder (or its canonical form) cannot be read.
    Unreadable { dir: PathBuf, error: io::Error },
    /// The folder has over [`MAX_WALK_ENTRIES`] entries.
    TooLarge { dir: PathBuf },
    /// A `.ward` file whose path is not UTF-8 (the loader rejects it, E0121).
    NonUtf8Name { path: PathBuf },
}

impl fmt::Display for WalkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WalkError::Unreadable { dir, error } => {
                write!(f, "cannot read the folder `{}`: {error}", dir.display())
            }
            WalkError::TooLarge { dir } => write!(
                f,
                "the folder `{}` has over {MAX_WALK_ENTRIES} entries: stopped listing its `.ward` files",
                dir.display()
            ),
            WalkError::NonUtf8Name { path } => write!(
                f,
                "the file name `{}` is not UTF-8",
                path.display()
            ),
        }
    }
}

impl std::error::Error for WalkError {}

/// Every `.ward` file below `dir`, exactly as the loader walks a model
/// folder: hidden entries (names starting with `.`) and `target` folders
/// are skipped, folder symlinks are not followed, only regular files are
/// listed (a symlinked file only when it resolves to a regular file inside
/// `dir`, listed as its target), at most [`MAX_WALK_ENTRIES`] entries are
/// looked at. Paths are absolute, canonical, sorted and without duplicates.
pub fn ward_files_below(dir: &Path) -> Result<Vec<PathBuf>, WalkError> {
    let root = dir.canonicalize().map_err(|error| WalkError::Unreadable {
        dir: dir.to_path_buf(),
        error,
    })?;
    if let Err(error) = std::fs::read_dir(&root) {
        return Err(WalkError::Unreadable { dir: root, error });
    }
    let walk = walk_disk(&root);
    if walk.truncated {
        return Err(WalkError::TooLarge { dir: root });
    }
    if let Some(path) = walk.non_utf8.into_iter().next() {
        return Err(WalkError::NonUtf8Name { path });
    }
    let mut files: Vec<PathBuf> = walk.files.into_values().collect();
    files.sort();
    files.dedup();
    Ok(files)
}

pub(crate) fn skipped_name(name: &OsStr) -> bool {
    name.as_encoded_bytes().starts_with(b".") || name == "target"
}

pub(crate) fn is_ward_name(name: &OsStr) -> bool {
    name.as_encoded_bytes().ends_with(b".ward")
}

/// Walks `root` (canonical) with an explicit stack (no recursion, whatever
/// the depth).
pub(crate) fn walk_disk(root: &Path) -> DiskWalk {
    let mut walk = DiskWalk::default();
    let mut pending = vec![root.to_path_buf()];
    let mut seen = 0usize;
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            seen += 1;
            if seen > MAX_WALK_ENTRIES {
                walk.truncated = true;
                return walk;
            }
            let name = entry.file_name();
            if skipped_name(&name) {
                continue;
            }
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                pending.push(path);
                continue;
            }
            if !is_ward_name(&name) {
                continue;
            }
            let target = if kind.is_file() {
                path.clone()
            } else if kind.is_symlink() {
                match path.canonicalize() {
                    Ok(t) if t.starts_with(root) && is_regular_file(&t) => t,
                    _ => continue,
                }
            } else {
                // FIFOs, sockets, devices: reading one could block or never end.
                continue;
            };
            let Ok(rel) = path.strip_prefix(root) else {
                continue;
            };
            match rel.to_str() {
                Some(rel) => {
                    walk.files.insert(rel.replace('\\', "/"), target);
                }
                None => walk.non_utf8.push(path),
            }
        }
    }
    walk.non_utf8.sort();
    walk
}

/// A regular file (symlinks followed), not a FIFO, socket or device.
pub(crate) fn is_regular_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// The largest source file (`.ward` or `Ward.toml`) read, in bytes: above
/// the 100 MB files of the stress tests, far below what exhausts memory.
pub const MAX_SOURCE_BYTES: u64 = 128 * 1024 * 1024;

/// Why [`read_source_bytes`] read nothing.
#[derive(Debug)]
pub enum SourceReadError {
    NotFound,
    /// A FIFO, socket, device or folder.
    NotRegular,
    /// Over [`MAX_SOURCE_BYTES`] (or the cap of [`read_bytes_capped`]).
    TooLarge,
    Io(io::Error),
}

impl fmt::Display for SourceReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceReadError::NotFound => f.write_str("no such file"),
            SourceReadError::NotRegular => f.write_str("not a regular file"),
            SourceReadError::TooLarge => write!(f, "larger than {MAX_SOURCE_BYTES} bytes"),
            SourceReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for SourceReadError {}

/// Reads a source file: a regular file only (checked on the open file, and
/// opened without blocking, so a file swapped for a FIFO cannot hang the
/// read), at most [`MAX_SOURCE_BYTES`] (files in `/proc` claim size 0, so
/// the read itself is bounded).
pub fn read_source_bytes(path: &Path) -> Result<Vec<u8>, SourceReadError> {
    read_bytes_capped(path, MAX_SOURCE_BYTES)
}

/// [`read_source_bytes`] with a cap of its own (SBOMs and other imported
/// files have a smaller one).
pub(crate) fn read_bytes_capped(path: &Path, cap: u64) -> Result<Vec<u8>, SourceReadError> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => SourceReadError::NotFound,
        _ => SourceReadError::Io(e),
    })?;
    let metadata = file.metadata().map_err(SourceReadError::Io)?;
    if !metadata.is_file() {
        return Err(SourceReadError::NotRegular);
    }
    if metadata.len() > cap {
        return Err(SourceReadError::TooLarge);
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(SourceReadError::Io)?;
    if bytes.len() as u64 > cap {
        return Err(SourceReadError::TooLarge);
    }
    Ok(bytes)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn lists_regular_ward_files_inside_the_folder_only() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("model");
        let outside = tmp.path().join("outside");
        for dir in [
            &root.join("sub"),
            &root.join(".git"),
            &root.join("target"),
            &outside,
        ] {
            std::fs::create_dir_all(dir).unwrap();
        }
        for file in [
            "a.ward",
            "sub/b.ward",
            ".git/c.ward",
            "target/d.ward",
            "notes.txt",
        ] {
            std::fs::write(root.join(file), "").unwrap();
        }
        std::fs::write(outside.join("secret.ward"), "").unwrap();
        std::os::unix::fs::symlink(&outside, root.join("linked")).unwrap();
        std::os::unix::fs::symlink(outside.join("secret.ward"), root.join("s.ward")).unwrap();
        std::os::unix::fs::symlink(root.join("a.ward"), root.join("alias.ward")).unwrap();
        let fifo = root.join("pipe.ward");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        let root = root.canonicalize().unwrap();
        assert_eq!(
            ward_files_below(&root).unwrap(),
            [root.join("a.ward"), root.join("sub/b.ward")]
        );
    }

    #[test]
    fn a_non_utf8_name_is_an_error_not_a_collision() {
        let tmp = tempfile::tempdir().unwrap();
        for bytes in [&b"x\xff.ward"[..], &b"x\xfe.ward"[..]] {
            std::fs::write(tmp.path().join(OsStr::from_bytes(bytes)), "").unwrap();
        }
        let walk = walk_disk(&tmp.path().canonicalize().unwrap());
        assert_eq!(walk.non_utf8.len(), 2, "both names are reported");
        assert!(matches!(
            ward_files_below(tmp.path()),
            Err(WalkError::NonUtf8Name { .. })
        ));
    }
}
