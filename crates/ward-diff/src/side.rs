//! One side of `ward diff` as named on the command line: a folder or a
//! `Ward.toml` on disk, else a git revision (`main`, `v1.2.0`, `REV:PATH`)
//! of the repository around the current folder; compiled and analysed.

use crate::revision::Repository;
use std::path::{Path, PathBuf};
use ward_analysis::Analysis;
use ward_model::{Compiled, Stage};

/// A side, compiled and analysed.
pub struct LoadedSide {
    pub label: String,
    pub commit: Option<String>,
    pub compiled: Compiled,
    pub analysis: Analysis,
}

impl LoadedSide {
    pub fn side(&self) -> crate::Side<'_> {
        crate::Side {
            label: self.label.clone(),
            commit: self.commit.clone(),
            model: &self.compiled.model,
            analysis: &self.analysis,
            sources: &self.compiled.sources,
        }
    }
}

pub enum SideError {
    /// Not a path, not a revision, or unreadable: the message says which.
    Unreadable(String),
    /// The side was read but does not compile (its diagnostics say why).
    DoesNotCompile(Box<Compiled>),
}

/// Reads `arg` relative to `cwd`; `model` is where the model is in a
/// revision, relative to `cwd`. `stage` overrides each side's `Ward.toml`.
pub fn load(
    arg: &str,
    model: &Path,
    cwd: &Path,
    stage: Option<Stage>,
) -> Result<LoadedSide, SideError> {
    let path = cwd.join(arg);
    let (mut compiled, commit) = if !arg.is_empty() && path.exists() {
        (ward_model::compile_path(&path), None)
    } else {
        let (rev, inside) = match arg.split_once(':') {
            Some((rev, inside)) if !rev.is_empty() => (rev, Some(inside)),
            _ => (arg, None),
        };
        let not_here = format!("`{arg}` is not a folder or file here");
        let repo = Repository::around(cwd)
            .map_err(|e| SideError::Unreadable(format!("{not_here}, nor a revision: {e}")))?;
        let model_in_repo = match inside {
            Some(p) => PathBuf::from(p),
            None => repo
                .relative(&absolute(cwd, model))
                .map_err(|e| SideError::Unreadable(format!("{not_here}, and {e}")))?,
        };
        let read = repo
            .read(rev, &model_in_repo)
            .map_err(|e| SideError::Unreadable(format!("{not_here}, and {e}")))?;
        let files: Vec<(&str, &str)> = read
            .files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        (
            ward_model::compile_memory(&files, &read.input),
            Some(read.commit),
        )
    };
    if let Some(stage) = stage {
        compiled.model.stage = stage;
    }
    let Some(analysis) = ward_analysis::analyze_compiled(&compiled) else {
        return Err(SideError::DoesNotCompile(Box::new(compiled)));
    };
    if !analysis.within_budget {
        return Err(SideError::Unreadable(format!(
            "`{arg}`: the analysis stopped at its threat budget (E0420); run `ward check` on it"
        )));
    }
    Ok(LoadedSide {
        label: arg.to_string(),
        commit,
        compiled,
        analysis,
    })
}

/// `cwd/path`, canonical when it exists (the work tree's root is).
fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    let joined = cwd.join(path);
    joined.canonicalize().unwrap_or_else(|_| {
        let base = cwd.canonicalize().unwrap_or_else(|_| cwd.to_path_buf());
        base.join(path)
    })
}
