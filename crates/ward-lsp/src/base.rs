//! The base side of the diff lens: the model at the `[diff] base` revision,
//! read from git (`ward_diff::revision`, no `git` process) on a worker
//! thread so the request loop never waits on git, then compiled and
//! analysed once per commit: a later request for the same resolved commit
//! reuses the analysed side.

use crossbeam_channel::{Receiver, Sender};
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use ward_analysis::Analysis;
use ward_diff::revision::Repository;
use ward_model::Compiled;

/// The model at the base revision, compiled and analysed.
pub struct BaseSide {
    /// The revision as `Ward.toml` names it.
    pub base: String,
    /// The commit it resolved to.
    pub commit: String,
    pub compiled: Compiled,
    pub analysis: Analysis,
}

impl BaseSide {
    pub fn side(&self) -> ward_diff::Side<'_> {
        ward_diff::Side {
            label: self.base.clone(),
            commit: Some(self.commit.clone()),
            model: &self.compiled.model,
            analysis: &self.analysis,
            sources: &self.compiled.sources,
        }
    }
}

/// Analysed base sides by model root and resolved commit, shared with the
/// worker threads.
type SideCache = Mutex<HashMap<(PathBuf, String), Arc<BaseSide>>>;

/// A finished read of a model's base.
pub struct BaseRead {
    pub root: PathBuf,
    pub base: String,
    /// Why there is no base side: the message says what to do.
    pub result: Result<Arc<BaseSide>, String>,
}

/// Reads bases on worker threads; results arrive on `receiver`.
pub struct Bases {
    sender: Sender<BaseRead>,
    receiver: Receiver<BaseRead>,
    /// Analysed sides by model root and resolved commit.
    by_commit: Arc<SideCache>,
}

impl Default for Bases {
    fn default() -> Bases {
        let (sender, receiver) = crossbeam_channel::unbounded();
        Bases {
            sender,
            receiver,
            by_commit: Arc::default(),
        }
    }
}

impl Bases {
    pub fn receiver(&self) -> &Receiver<BaseRead> {
        &self.receiver
    }

    /// Starts reading the model rooted at `root` at revision `base`.
    pub fn request(&self, root: PathBuf, base: String) {
        let sender = self.sender.clone();
        let cache = self.by_commit.clone();
        std::thread::spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(|| read(&root, &base, &cache)))
                .unwrap_or_else(|_| Err("reading it failed unexpectedly".into()));
            // The server may be gone; nothing to do then.
            let _ = sender.send(BaseRead { root, base, result });
        });
    }
}

fn read(root: &Path, base: &str, cache: &SideCache) -> Result<Arc<BaseSide>, String> {
    let repo = Repository::around(root).map_err(|e| e.to_string())?;
    let inside = repo.relative(root).map_err(|e| e.to_string())?;
    let read = repo.read(base, &inside).map_err(|e| e.to_string())?;
    let key = (root.to_path_buf(), read.commit.clone());
    if let Some(side) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(side);
    }
    let files: Vec<(&str, &str)> = read
        .files
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    let compiled = ward_model::compile_memory(&files, &read.input);
    let Some(analysis) = ward_analysis::analyze_compiled(&compiled) else {
        let errors = compiled.diagnostics.iter().filter(|d| d.is_error()).count();
        return Err(format!(
            "the model at `{base}` does not compile ({errors} error(s); `ward diff {base} .` shows them)"
        ));
    };
    if !analysis.within_budget {
        return Err(format!(
            "the analysis of the model at `{base}` stopped at its threat budget (E0420)"
        ));
    }
    let side = Arc::new(BaseSide {
        base: base.to_owned(),
        commit: read.commit,
        compiled,
        analysis,
    });
    if let Ok(mut cache) = cache.lock() {
        cache.insert(key, side.clone());
    }
    Ok(side)
}
