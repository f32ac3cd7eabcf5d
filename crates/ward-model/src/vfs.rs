//! The file system as the loader sees it: unsaved editor buffers (the
//! [`Overlay`]) over the disk, or the overlay alone for in-memory models.
//!
//! Paths are absolute and normalised: canonical (symlinks and `..` resolved)
//! where the file exists on disk, else lexically normalised below the
//! canonical form of their longest existing ancestor.

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
    Io(io::Error),
    /// Byte offset of the first invalid sequence.
    Utf8(usize, Vec<u8>),
}

impl Vfs<'_> {
    pub fn normalize(&self, path: &Path) -> PathBuf {
        normalize(path, self.disk)
    }

    pub fn is_file(&self, path: &Path) -> bool {
        self.overlay.get_normalized(path).is_some() || (self.disk && path.is_file())
    }

    pub fn is_dir(&self, path: &Path) -> bool {
        (self.disk && path.is_dir())
            || self
                .overlay
                .paths()
                .any(|p| p.starts_with(path) && p != path)
    }

    pub fn read(&self, path: &Path) -> Result<String, ReadError> {
        if let Some(text) = self.overlay.get_normalized(path) {
            return Ok(text.to_owned());
        }
        if !self.disk {
            return Err(ReadError::NotFound);
        }
        match std::fs::read(path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|e| {
                let at = e.utf8_error().valid_up_to();
                ReadError::Utf8(at, e.into_bytes())
            }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(ReadError::NotFound),
            Err(e) => Err(ReadError::Io(e)),
        }
    }

    /// Every `.ward` file below `root`, as `/`-separated relative paths in
    /// byte order. Hidden entries (name starting with `.`) and `target`
    /// folders are skipped; symlinked folders are not followed, symlinked
    /// files are kept when they point inside `root`. The disk walk stops
    /// after [`MAX_WALK_ENTRIES`] entries (`Walk::truncated`).
    pub fn walk(&self, root: &Path) -> Walk {
        let mut found = std::collections::BTreeMap::new();
        let truncated = self.disk && !walk_disk(root, &mut found);
        for path in self.overlay.paths() {
            if let Ok(rel) = path.strip_prefix(root) {
                let rel = slash_path(rel);
                if rel.ends_with(".ward") && !rel.split('/').any(skipped_name) {
                    found.insert(rel, path.clone());
                }
            }
        }
        Walk {
            files: found.into_iter().collect(),
            truncated,
        }
    }
}

/// The `.ward` files found below a model root.
pub(crate) struct Walk {
    pub files: Vec<(String, PathBuf)>,
    /// The walk stopped at [`MAX_WALK_ENTRIES`]: a folder without
    /// `Ward.toml` opened in an editor may be a home folder or `/`, and the
    /// language server lists the model's folder on every analysis.
    pub truncated: bool,
}

/// Folder entries a walk looks at before it gives up (a large source tree
/// has tens of thousands).
pub const MAX_WALK_ENTRIES: usize = 100_000;

fn skipped_name(name: &str) -> bool {
    name.starts_with('.') || name == "target"
}

/// Adds the `.ward` files below `root` to `found`, folders visited with an
/// explicit stack (no recursion, whatever the depth); false when it stopped
/// at [`MAX_WALK_ENTRIES`].
fn walk_disk(root: &Path, found: &mut BTreeMap<String, PathBuf>) -> bool {
    let mut pending = vec![root.to_path_buf()];
    let mut seen = 0usize;
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            seen += 1;
            if seen > MAX_WALK_ENTRIES {
                return false;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            if skipped_name(&name) {
                continue;
            }
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                pending.push(path);
            } else if name.ends_with(".ward") {
                let target = if kind.is_symlink() {
                    match path.canonicalize() {
                        Ok(t) if t.starts_with(root) && t.is_file() => t,
                        _ => continue,
                    }
                } else {
                    path.clone()
                };
                if let Ok(rel) = path.strip_prefix(root) {
                    found.insert(slash_path(rel), target);
                }
            }
        }
    }
    true
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
