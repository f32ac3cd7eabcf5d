//! A model at a git revision of the repository around a folder, read into
//! memory with `gix` (no checkout on disk, no `git` process): the revision is
//! resolved to a commit, and the `.ward` files and `Ward.toml` below the
//! model's folder in its tree become an in-memory model to compile.

use std::path::{Path, PathBuf};

/// The most a revision's model may hold, in bytes of `.ward` and
/// `Ward.toml` text (twice the generated N = 10,000 model): a guard against
/// reading a whole repository of unrelated blobs into memory.
pub const MAX_REVISION_BYTES: u64 = 32 << 20;

/// The deepest folder read below the model's folder: a guard against a
/// crafted tree nested deep enough to exhaust the stack.
pub const MAX_REVISION_DEPTH: usize = 64;

/// The model files of one revision.
pub struct RevisionModel {
    /// The full commit id the revision resolved to.
    pub commit: String,
    /// `(path relative to the model folder, text)`, in tree order.
    pub files: Vec<(String, String)>,
    /// What to compile among `files`: `.` (the folder) or `Ward.toml`.
    pub input: String,
}

/// Why a revision could not be read; the message says what to do.
#[derive(Debug)]
pub struct RevisionError(pub String);

impl std::fmt::Display for RevisionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn fail<T>(message: String) -> Result<T, RevisionError> {
    Err(RevisionError(message))
}

/// The commit checked out in the git repository around `dir`, if `dir` is
/// in one whose `HEAD` names a commit (`ward build`'s default revision).
pub fn head_commit(dir: &Path) -> Option<String> {
    let repo = gix::discover(dir).ok()?;
    let id = repo.head_id().ok()?;
    Some(id.to_string())
}

/// The git repository whose work tree holds `dir`.
pub struct Repository {
    repo: gix::Repository,
    workdir: PathBuf,
}

impl Repository {
    /// Finds the repository around `dir` (walking up, like git).
    pub fn around(dir: &Path) -> Result<Repository, RevisionError> {
        let repo = match gix::discover(dir) {
            Ok(repo) => repo,
            Err(e) => {
                return fail(format!(
                    "`{}` is not inside a git repository ({e})",
                    dir.display()
                ))
            }
        };
        let Some(workdir) = repo.workdir() else {
            return fail(
                "the git repository is bare: it has no work tree to place the model in".into(),
            );
        };
        let workdir = workdir
            .canonicalize()
            .unwrap_or_else(|_| workdir.to_path_buf());
        Ok(Repository { repo, workdir })
    }

    /// `path` (absolute, in the work tree) relative to the work tree's root.
    pub fn relative(&self, path: &Path) -> Result<PathBuf, RevisionError> {
        match path.strip_prefix(&self.workdir) {
            Ok(rel) => Ok(rel.to_path_buf()),
            Err(_) => fail(format!(
                "`{}` is outside the git repository at `{}`",
                path.display(),
                self.workdir.display()
            )),
        }
    }

    /// The model at `model` (a folder or a `Ward.toml`, relative to the work
    /// tree's root) in revision `rev`.
    pub fn read(&self, rev: &str, model: &Path) -> Result<RevisionModel, RevisionError> {
        let id = match self.repo.rev_parse_single(rev) {
            Ok(id) => id,
            Err(e) => {
                return fail(format!(
                    "`{rev}` is not a revision of this repository ({e})"
                ))
            }
        };
        let commit = match id.object().and_then(|o| o.peel_to_commit()) {
            Ok(c) => c,
            Err(e) => return fail(format!("revision `{rev}` names no commit ({e})")),
        };
        let commit_id = commit.id().to_string();
        let root_tree = match commit.tree() {
            Ok(t) => t,
            Err(e) => return fail(format!("cannot read the tree of `{rev}` ({e})")),
        };
        let (folder, input) = if model.file_name().is_some_and(|n| n == "Ward.toml") {
            (model.parent().unwrap_or(Path::new("")), "Ward.toml")
        } else {
            (model, ".")
        };
        let tree = if folder.as_os_str().is_empty() {
            root_tree
        } else {
            let entry = match root_tree.lookup_entry_by_path(folder) {
                Ok(Some(entry)) if entry.mode().is_tree() => entry,
                Ok(_) => {
                    return fail(format!(
                        "revision `{rev}` has no folder `{}`",
                        folder.display()
                    ))
                }
                Err(e) => {
                    return fail(format!(
                        "cannot read `{}` at `{rev}` ({e})",
                        folder.display()
                    ))
                }
            };
            match entry.object().and_then(|o| o.peel_to_tree()) {
                Ok(tree) => tree,
                Err(e) => {
                    return fail(format!(
                        "cannot read `{}` at `{rev}` ({e})",
                        folder.display()
                    ))
                }
            }
        };
        let mut files = Vec::new();
        let mut total = 0u64;
        let mut json = Vec::new();
        self.collect(tree, String::new(), 0, &mut files, &mut json, &mut total)
            .and_then(|()| self.add_named_sboms(json, &mut files, &mut total))
            .map_err(|e| RevisionError(format!("cannot read the model at `{rev}`: {e}")))?;
        if input == "Ward.toml" && !files.iter().any(|(name, _)| name == "Ward.toml") {
            return fail(format!("revision `{rev}` has no `{}`", model.display()));
        }
        Ok(RevisionModel {
            commit: commit_id,
            files,
            input: input.to_string(),
        })
    }

    /// The JSON files among `json` that a `.ward` file names (`sbom:
    /// "PATH"`, relative to the model folder), read like the model's files:
    /// an SBOM is part of the model, other JSON of the repository is not.
    fn add_named_sboms(
        &self,
        json: Vec<(String, gix::ObjectId)>,
        files: &mut Vec<(String, String)>,
        total: &mut u64,
    ) -> Result<(), String> {
        let named: Vec<(String, gix::ObjectId)> = json
            .into_iter()
            .filter(|(path, _)| {
                let quoted = format!("\"{path}\"");
                files
                    .iter()
                    .any(|(name, text)| name.ends_with(".ward") && text.contains(&quoted))
            })
            .collect();
        for (path, id) in named {
            let text = self.blob_text(id, &path, total)?;
            files.push((path, text));
        }
        Ok(())
    }

    /// A blob's text, counted against [`MAX_REVISION_BYTES`].
    fn blob_text(&self, id: gix::ObjectId, path: &str, total: &mut u64) -> Result<String, String> {
        let blob = self.repo.find_object(id).map_err(|e| e.to_string())?;
        *total += blob.data.len() as u64;
        if *total > MAX_REVISION_BYTES {
            return Err(format!(
                "its model files hold more than {} MiB",
                MAX_REVISION_BYTES >> 20
            ));
        }
        String::from_utf8(blob.data.clone()).map_err(|_| format!("`{path}` is not UTF-8 text"))
    }

    /// The model's files below `tree`, depth first; JSON files (SBOM
    /// candidates) go to `json` unread.
    fn collect(
        &self,
        tree: gix::Tree<'_>,
        prefix: String,
        depth: usize,
        files: &mut Vec<(String, String)>,
        json: &mut Vec<(String, gix::ObjectId)>,
        total: &mut u64,
    ) -> Result<(), String> {
        if depth > MAX_REVISION_DEPTH {
            return Err(format!(
                "`{prefix}` is nested more than {MAX_REVISION_DEPTH} folders deep"
            ));
        }
        let mut subtrees = Vec::new();
        for entry in tree.iter() {
            let entry = entry.map_err(|e| e.to_string())?;
            let name = entry.filename().to_string();
            let path = format!("{prefix}{name}");
            let mode = entry.mode();
            if mode.is_tree() {
                // Build output is not part of the model.
                if name != "out" && !name.starts_with('.') {
                    subtrees.push((entry.object_id(), format!("{path}/")));
                }
                continue;
            }
            if !mode.is_blob() {
                continue;
            }
            if name.ends_with(".json") {
                json.push((path, entry.object_id()));
                continue;
            }
            if !(name.ends_with(".ward") || name == "Ward.toml") {
                continue;
            }
            let text = self.blob_text(entry.object_id(), &path, total)?;
            files.push((path, text));
        }
        for (id, prefix) in subtrees {
            let tree = self
                .repo
                .find_object(id)
                .and_then(|o| o.peel_to_tree())
                .map_err(|e| e.to_string())?;
            self.collect(tree, prefix, depth + 1, files, json, total)?;
        }
        Ok(())
    }
}
