//! Writing an imported model: all files or none, never replacing a file and
//! never writing through a symbolic link. The files are written into a
//! staging folder created exclusively inside the output folder, then each
//! is hard-linked into place (a link fails when anything, a symbolic link
//! included, is at the target) and the staging folder removed; a failure
//! removes what was linked, and the output folder when the import made it.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Paths under `dir` that stop the import: an entry of any kind at a
/// file's path, or `dir` itself when it is not a folder.
pub fn paths_in_the_way(dir: &Path, files: &[(String, String)]) -> Vec<PathBuf> {
    // The folder named on the command line may be a link to a folder (the
    // user's choice, as for `ward init`); anything else there is in the way.
    if std::fs::symlink_metadata(dir).is_ok() && !dir.is_dir() {
        return vec![dir.to_path_buf()];
    }
    files
        .iter()
        .map(|(name, _)| dir.join(name))
        .filter(|path| std::fs::symlink_metadata(path).is_ok())
        .collect()
}

pub fn write_all(dir: &Path, files: &[(String, String)]) -> io::Result<()> {
    let made = std::fs::symlink_metadata(dir).is_err();
    if made {
        std::fs::create_dir_all(dir)?;
    }
    let result = stage_and_link(dir, files);
    if result.is_err() && made {
        // Only when empty: never removes anything ward did not make.
        let _ = std::fs::remove_dir(dir);
    }
    result
}

fn stage_and_link(dir: &Path, files: &[(String, String)]) -> io::Result<()> {
    let staging = tempfile::Builder::new()
        .prefix(".ward-import.")
        .tempdir_in(dir)?;
    for (name, text) in files {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(staging.path().join(name))?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
    }
    let mut linked = Vec::new();
    for (name, _) in files {
        let target = dir.join(name);
        if let Err(err) = std::fs::hard_link(staging.path().join(name), &target) {
            for path in &linked {
                let _ = std::fs::remove_file(path);
            }
            return Err(err);
        }
        linked.push(target);
    }
    staging.close()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<(String, String)> {
        vec![
            ("Ward.toml".into(), "files = []\n".into()),
            ("model.ward".into(), "system s {}\n".into()),
        ]
    }

    /// A link planted at a target after the check: nothing is written
    /// through it, and what was linked before it is removed.
    #[test]
    fn a_link_at_a_target_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("secret");
        std::fs::write(&secret, "secret").unwrap();
        std::os::unix::fs::symlink(&secret, dir.path().join("model.ward")).unwrap();
        let err = write_all(dir.path(), &files()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&secret).unwrap(), "secret");
        assert!(
            !dir.path().join("Ward.toml").exists(),
            "a half-written model"
        );
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 2, "the staging folder is left behind");
    }

    #[test]
    fn a_new_folder_gets_every_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("a/b");
        write_all(&out, &files()).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["Ward.toml", "model.ward"]);
    }
}
