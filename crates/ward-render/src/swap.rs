//! Replacing an output folder by a staged one: one build at a time (a lock
//! on the folder that holds it), in one atomic exchange where the filesystem
//! offers it, and leftovers of an interrupted build put back or removed by
//! the next one.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Prefixes of the folders a build makes beside the output folder `name`.
pub(crate) fn staging_prefix(name: &str) -> String {
    format!(".{name}.new-")
}
pub(crate) fn old_prefix(name: &str) -> String {
    format!(".{name}.old-")
}

/// An exclusive lock on the folder that holds the output folder, held until
/// dropped: concurrent builds into one folder wait for each other instead
/// of racing their renames. Locking the folder itself (not a lock file)
/// leaves nothing behind.
pub(crate) struct OutputLock {
    _folder: fs::File,
}

impl OutputLock {
    /// Waits for the lock (another build into the same folder holds it).
    pub fn acquire(parent: &Path) -> io::Result<OutputLock> {
        let folder = fs::File::open(parent)?;
        #[cfg(unix)]
        rustix::fs::flock(&folder, rustix::fs::FlockOperation::LockExclusive)?;
        Ok(OutputLock { _folder: folder })
    }
}

/// Puts back or removes what an interrupted build left beside `target`
/// (called with the lock held, so no other build is using them): a staged
/// new output is removed; a previous output moved aside is put back when
/// `target` is missing (the build stopped between its two renames), else
/// removed. Returns a note for each.
pub(crate) fn recover_leftovers(parent: &Path, target: &Path, name: &str) -> Vec<String> {
    let (staging, old) = (staging_prefix(name), old_prefix(name));
    let mut leftovers: Vec<(PathBuf, bool)> = match fs::read_dir(parent) {
        Ok(entries) => entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter_map(|e| {
                let file_name = e.file_name().to_string_lossy().into_owned();
                let is_old = file_name.starts_with(&old);
                (is_old || file_name.starts_with(&staging)).then(|| (e.path(), is_old))
            })
            .collect(),
        Err(_) => return Vec::new(),
    };
    leftovers.sort();
    let mut notes = Vec::new();
    for (path, is_old) in leftovers {
        if is_old && fs::symlink_metadata(target).is_err() && fs::rename(&path, target).is_ok() {
            notes.push(format!(
                "an interrupted build had moved the previous output aside: `{}` was put back as `{}`",
                path.display(),
                target.display()
            ));
            continue;
        }
        // A staged or a previous output: of an interrupted build, or of
        // one that could not delete it (after an exchange, the staging
        // name holds the previous output).
        let what =
            "left beside the output by an earlier build (interrupted, or unable to clean up)";
        match fs::remove_dir_all(&path) {
            Ok(()) => notes.push(format!("removed `{}`, {what}", path.display())),
            Err(e) => notes.push(format!(
                "could not remove `{}`, {what}: {e}",
                path.display()
            )),
        }
    }
    notes
}

/// Swaps `staged` and `target` (both folders) in one step. `Ok(false)` when
/// the filesystem or platform cannot (the caller then renames twice).
pub(crate) fn exchange(staged: &Path, target: &Path) -> io::Result<bool> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        match renameat_with(CWD, staged, CWD, target, RenameFlags::EXCHANGE) {
            Ok(()) => Ok(true),
            // No RENAME_EXCHANGE on this kernel or filesystem.
            Err(e)
                if [
                    rustix::io::Errno::INVAL,
                    rustix::io::Errno::NOSYS,
                    rustix::io::Errno::OPNOTSUPP,
                ]
                .contains(&e) =>
            {
                Ok(false)
            }
            Err(e) => Err(e.into()),
        }
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    {
        let _ = (staged, target);
        Ok(false)
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// Temporary folders here are on ext4 or tmpfs, which both support
    /// RENAME_EXCHANGE: the swap must take the one-step path.
    #[test]
    fn exchange_swaps_two_folders_in_one_step() {
        let tmp = tempfile::tempdir().unwrap();
        let (new, out) = (tmp.path().join(".out.new-1"), tmp.path().join("out"));
        fs::create_dir(&new).unwrap();
        fs::create_dir(&out).unwrap();
        fs::write(new.join("a.md"), "new").unwrap();
        fs::write(out.join("a.md"), "old").unwrap();
        assert!(exchange(&new, &out).unwrap());
        assert_eq!(fs::read_to_string(out.join("a.md")).unwrap(), "new");
        assert_eq!(fs::read_to_string(new.join("a.md")).unwrap(), "old");
    }
}
