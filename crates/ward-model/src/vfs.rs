//! The file system as the loader sees it: unsaved editor buffers (the
//! [`Overlay`]) over the disk, or the overlay alone for in-memory models.
//!
//! Paths are absolute and normalised: canonical (symlinks and `..` resolved)
//! where the file exists on disk, else lexically normalised below the
//! canonical form of their longest existing ancestor.

use crate::disk::{
    is_regular_file, is_ward_name, read_bytes_at_most, skipped_name, walk_disk, DiskWalk,
    SourceReadError, MAX_SOURCE_BYTES,
};
use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Texts of unsaved editor buffers by path; they take precedence over disk.
#[derive(Clone, Debug, Default)]
pub struct Overlay {
    texts: BTreeMap<PathBuf, String>,
}

impl Overlay {
    pub fn new() -> Overlay {
        Overlay::default()
    }
    /// Sets the text of a file (its path need not exist on disk).
    pub fn insert(&mut self, path: &Path, text: impl Into<String>) {
        self.texts.insert(normalize(path, true), text.into());
    }
    /// Sets a text at a path of the in-memory file system (no disk access).
    pub(crate) fn insert_virtual(&mut self, path: &Path, text: impl Into<String>) {
        self.texts.insert(normalize(path, false), text.into());
    }
    pub fn remove(&mut self, path: &Path) {
        self.texts.remove(&normalize(path, true));
    }
    pub fn get(&self, path: &Path) -> Option<&str> {
        self.texts.get(&normalize(path, true)).map(String::as_str)
    }
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }
    pub(crate) fn paths(&self) -> impl Iterator<Item = &PathBuf> {
        self.texts.keys()
    }
    pub(crate) fn get_normalized(&self, path: &Path) -> Option<&str> {
        self.texts.get(path).map(String::as_str)
    }
}

/// Makes a path absolute (against the current directory) and normalises it.
/// With `disk`, symlinks of existing ancestors are resolved.
pub(crate) fn normalize(path: &Path, disk: bool) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else if disk {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    } else {
        Path::new("/").join(path)
    };
    let lexical = lexical_normalize(&absolute);
    if !disk {
        return lexical;
    }
    if let Ok(canonical) = lexical.canonicalize() {
        return canonical;
    }
    // Canonicalise the longest existing ancestor, keep the rest as written.
    let mut rest = Vec::new();
    let mut cursor = lexical.as_path();
    while let Some(parent) = cursor.parent() {
        if let Some(name) = cursor.file_name() {
            rest.push(name.to_os_string());
        }
        if let Ok(canonical) = parent.canonicalize() {
            let mut out = canonical;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        cursor = parent;
    }
    lexical
}

/// Resolves `.` and `..` without touching the disk.
pub(crate) fn lexical_normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The loader's view of files: the overlay, then (when enabled) the disk.
pub(crate) struct Vfs<'a> {
    pub overlay: &'a Overlay,
    pub disk: bool,
}

pub(crate) enum ReadError {
    NotFound,
    /// A FIFO, socket, device or folder.
    NotRegular,
    /// Over [`crate::MAX_SOURCE_BYTES`].
    TooLarge,
    Io(io::Error),
    /// Byte offset of the first invalid sequence.
    Utf8(usize, Vec<u8>),
}

impl Vfs<'_> {
    pub fn normalize(&self, path: &Path) -> PathBuf {
        normalize(path, self.disk)
    }

    pub fn is_file(&self, path: &Path) -> bool {
        self.overlay.get_normalized(path).is_some() || (self.disk && is_regular_file(path))
    }

    pub fn is_dir(&self, path: &Path) -> bool {
        (self.disk && path.is_dir())
            || self
                .overlay
                .paths()
                .any(|p| p.starts_with(path) && p != path)
    }

    /// The overlay's files directly in `dir`, sorted.
    pub fn overlay_files_in(&self, dir: &Path) -> Vec<PathBuf> {
        self.overlay
            .paths()
            .filter(|p| p.parent() == Some(dir))
            .cloned()
            .collect()
    }

    pub fn read(&self, path: &Path) -> Result<String, ReadError> {
        self.read_capped(path, MAX_SOURCE_BYTES)
    }

    /// [`Vfs::read`] of a file with a smaller cap than a source's (an SBOM).
    pub fn read_capped(&self, path: &Path, cap: u64) -> Result<String, ReadError> {
        if let Some(text) = self.overlay.get_normalized(path) {
            if text.len() as u64 > cap {
                return Err(ReadError::TooLarge);
            }
            return Ok(text.to_owned());
        }
        if !self.disk {
            return Err(ReadError::NotFound);
        }
        match read_bytes_at_most(path, cap) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|e| {
                let at = e.utf8_error().valid_up_to();
                ReadError::Utf8(at, e.into_bytes())
            }),
            Err(SourceReadError::NotFound) => Err(ReadError::NotFound),
            Err(SourceReadError::NotRegular) => Err(ReadError::NotRegular),
            Err(SourceReadError::TooLarge) => Err(ReadError::TooLarge),
            Err(SourceReadError::Io(e)) => Err(ReadError::Io(e)),
        }
    }

    /// Every `.ward` file below `root`, as `/`-separated relative paths in
    /// byte order: the disk as [`crate::ward_files_below`] walks it, then
    /// the overlay's files (hidden and `target` entries skipped there too).
    pub fn walk(&self, root: &Path) -> Walk {
        let mut disk = if self.disk {
            walk_disk(root)
        } else {
            DiskWalk::default()
        };
        for path in self.overlay.paths() {
            if let Ok(rel) = path.strip_prefix(root) {
                if is_ward_name(rel.as_os_str()) && !rel.iter().any(skipped_name) {
                    match rel.to_str() {
                        Some(name) => {
                            disk.files.insert(name.replace('\\', "/"), path.clone());
                        }
                        None => disk.non_utf8.push(path.clone()),
                    }
                }
            }
        }
        Walk {
            files: disk.files.into_iter().collect(),
            non_utf8: disk.non_utf8,
            truncated: disk.truncated,
        }
    }
}

/// The `.ward` files found below a model root.
pub(crate) struct Walk {
    pub files: Vec<(String, PathBuf)>,
    /// `.ward` files whose path is not UTF-8: reported, never dropped.
    pub non_utf8: Vec<PathBuf>,
    /// The walk stopped at [`crate::MAX_WALK_ENTRIES`]: a folder without
    /// `Ward.toml` opened in an editor may be a home folder or `/`, and the
    /// language server lists the model's folder on every analysis.
    pub truncated: bool,
}

/// A relative path with `/` separators.
pub(crate) fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_normalization_resolves_dots() {
        assert_eq!(
            lexical_normalize(Path::new("/a/b/../c/./d.ward")),
            PathBuf::from("/a/c/d.ward")
        );
        assert_eq!(
            lexical_normalize(Path::new("/a/../../x")),
            PathBuf::from("/x")
        );
    }

    #[test]
    fn in_memory_overlay_is_a_file_system() {
        let mut overlay = Overlay::new();
        overlay.insert(Path::new("/m/b.ward"), "b");
        overlay.insert(Path::new("/m/sub/a.ward"), "a");
        overlay.insert(Path::new("/m/.hidden/c.ward"), "c");
        let vfs = Vfs {
            overlay: &overlay,
            disk: false,
        };
        assert!(vfs.is_dir(Path::new("/m")));
        assert!(vfs.is_file(Path::new("/m/b.ward")));
        let names: Vec<String> = vfs
            .walk(Path::new("/m"))
            .files
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(names, ["b.ward", "sub/a.ward"]);
    }
}
