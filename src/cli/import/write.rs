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
    // A file's folders below `dir` may exist, as folders (a symbolic link
    // there would be written through).
    let mut in_the_way: Vec<PathBuf> = files
        .iter()
        .flat_map(|(name, _)| folders_of(name))
        .map(|folder| dir.join(folder))
        .filter(|path| std::fs::symlink_metadata(path).is_ok_and(|m| !m.is_dir()))
        .collect();
    in_the_way.extend(
        files
            .iter()
            .map(|(name, _)| dir.join(name))
            .filter(|path| std::fs::symlink_metadata(path).is_ok()),
    );
    in_the_way.sort();
    in_the_way.dedup();
    in_the_way
}

/// The folders of a `/`-separated relative path, outermost first
/// (`a/b/c.json`: `a`, `a/b`).
fn folders_of(name: &str) -> impl Iterator<Item = &str> {
    name.match_indices('/').map(move |(i, _)| &name[..i])
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
        if let Some(last) = folders_of(name).last() {
            std::fs::create_dir_all(staging.path().join(last))?;
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(staging.path().join(name))?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
    }
    let mut made = Made::default();
    for (name, _) in files {
        if let Err(err) = link(dir, name, staging.path(), &mut made) {
            made.undo();
            return Err(err);
        }
    }
    staging.close()
}

/// What linking made in the output folder, to undo on a failure.
#[derive(Default)]
struct Made {
    files: Vec<PathBuf>,
    folders: Vec<PathBuf>,
}

impl Made {
    fn undo(&self) {
        for path in &self.files {
            let _ = std::fs::remove_file(path);
        }
        // Innermost first; only empty folders go.
        for path in self.folders.iter().rev() {
            let _ = std::fs::remove_dir(path);
        }
    }
}

/// Links the staged `name` into `dir`, making its missing folders; a folder
/// that is there must be a folder, never a symbolic link.
fn link(dir: &Path, name: &str, staging: &Path, made: &mut Made) -> io::Result<()> {
    for folder in folders_of(name) {
        let path = dir.join(folder);
        match std::fs::create_dir(&path) {
            Ok(()) => made.folders.push(path),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {
                if !std::fs::symlink_metadata(&path)?.is_dir() {
                    return Err(err);
                }
            }
            Err(err) => return Err(err),
        }
    }
    let target = dir.join(name);
    std::fs::hard_link(staging.join(name), &target)?;
    made.files.push(target);
    Ok(())
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

    /// A kept file's folder that is a symbolic link is in the way, and
    /// nothing is written through it.
    #[test]
    fn a_link_at_a_kept_file_folder_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("sbom")).unwrap();
        let mut all = files();
        all.push(("sbom/fw.cdx.json".into(), "{}".into()));
        assert_eq!(
            paths_in_the_way(dir.path(), &all),
            [dir.path().join("sbom")]
        );
        let err = write_all(dir.path(), &all).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
        assert!(
            !dir.path().join("Ward.toml").exists(),
            "a half-written model"
        );
    }

    #[test]
    fn kept_files_get_their_folders() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("feeds")).unwrap();
        let mut all = files();
        all.push(("feeds/osv/a.json".into(), "{}".into()));
        all.push(("feeds/kev.json".into(), "[]".into()));
        assert!(paths_in_the_way(dir.path(), &all).is_empty());
        write_all(dir.path(), &all).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("feeds/osv/a.json")).unwrap(),
            "{}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("feeds/kev.json")).unwrap(),
            "[]"
        );
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
