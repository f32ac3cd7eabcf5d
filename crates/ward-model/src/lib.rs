//! Ward semantic model: loading files (`use`, folders, `Ward.toml`), the
//! embedded standard library, name resolution, the typed [`Model`] and its
//! checks (spec §1-§3).
//!
//! Entry points: [`compile_path`] for the CLI, [`Workspace`] (or [`compile`]
//! with an [`Overlay`] and a [`ParseCache`]) for the language server, and
//! [`compile_str`] / [`compile_memory`] for tests. A model is always
//! produced, partial when there are errors.

pub mod codes;
mod digest;
mod disk;
pub mod feeds;
pub mod language;
mod load;
mod lower;
pub mod model;
mod names;
pub mod outputs;
mod policy;
mod props;
mod sbom;
mod stdlib;
mod suggest;
pub mod version;
pub mod vex;
mod vfs;
mod when;

pub use digest::sha256_hex;
pub use disk::{
    read_bytes_at_most, read_source_bytes, ward_files_below, SourceReadError, WalkError,
    MAX_SOURCE_BYTES, MAX_WALK_ENTRIES,
};
pub use load::{load, BuildConfig, Loaded, LoadedFile, Origin, ParseCache, UseItem, UseResolution};
pub use model::*;
pub use outputs::{Export, Exports};
pub use props::{add_days, days_between, is_calendar_date};
pub use sbom::SbomFile;
pub use stdlib::{StdModule, STD_POLICY_PATH, STD_POLICY_TITLE};
pub use suggest::did_you_mean;
pub use vfs::Overlay;

use std::path::{Path, PathBuf};
use ward_diagnostics::{Diagnostic, SourceMap};

/// A compiled model: its files, the (possibly partial) model and every
/// diagnostic of loading, parsing and checking, sorted by position.
pub struct Compiled {
    pub sources: SourceMap,
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
    /// The model root (canonical).
    pub root: PathBuf,
    /// The `Ward.toml` that defined the model, if any.
    pub manifest: Option<PathBuf>,
    /// `[build]` settings of `Ward.toml`.
    pub build: BuildConfig,
    /// `[diff] base` of `Ward.toml`.
    pub diff_base: Option<String>,
}

impl Compiled {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Which declarations [`Model::content`] digests. Formatting and hashing
/// every declaration costs about a fifth of a check, and only approvals,
/// dispositions and `ward check --print-hash` read those digests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Digests {
    /// Every declaration's when the model declares an approval or a
    /// disposition (the analysis reads them then); otherwise only the
    /// `use`, imported-file and stage entries.
    #[default]
    WhenRead,
    /// Every declaration's, always.
    All,
}

/// Checks a loaded model.
pub fn check(loaded: Loaded) -> Compiled {
    check_with(loaded, Digests::WhenRead)
}

/// Checks a loaded model, digesting the declarations `digests` asks for.
pub fn check_with(loaded: Loaded, digests: Digests) -> Compiled {
    let (model, semantic) = lower::build(&loaded, digests);
    let mut diagnostics = loaded.diagnostics;
    diagnostics.extend(semantic);
    ward_diagnostics::sort_and_note_follow_ons(&mut diagnostics);
    Compiled {
        sources: loaded.sources,
        model,
        diagnostics,
        root: loaded.root,
        manifest: loaded.manifest,
        build: loaded.build,
        diff_base: loaded.diff_base,
    }
}

/// Loads and checks the model at `input` (a `.ward` file, a folder or a
/// `Ward.toml`), reading unsaved buffers from `overlay` and reusing parses.
pub fn compile(input: &Path, overlay: &Overlay, cache: &mut ParseCache) -> Compiled {
    check(load(input, overlay, cache))
}

/// Loads and checks the model at `input` from disk.
pub fn compile_path(input: &Path) -> Compiled {
    compile(input, &Overlay::new(), &mut ParseCache::new())
}

/// Loads and checks the model at `input` from disk, digesting the
/// declarations `digests` asks for (`ward check --print-hash` asks for all).
pub fn compile_path_with(input: &Path, digests: Digests) -> Compiled {
    let loaded = load(input, &Overlay::new(), &mut ParseCache::new());
    check_with(loaded, digests)
}

/// Checks one in-memory file, named `name` (its `use` of other files fails).
pub fn compile_str(name: &str, text: &str) -> Compiled {
    compile_memory(&[(name, text)], name)
}

/// Checks an in-memory model without touching the disk: `files` are
/// `(relative path, text)` under a virtual root, and `input` is one of
/// them, a folder (`"."` for the root) or `Ward.toml`.
pub fn compile_memory(files: &[(&str, &str)], input: &str) -> Compiled {
    let root = Path::new("/ward-memory");
    let mut overlay = Overlay::new();
    for (name, text) in files {
        overlay.insert_virtual(&root.join(name), *text);
    }
    check(load::load_in_memory(
        &root.join(input),
        &overlay,
        &mut ParseCache::new(),
    ))
}

/// Unsaved buffers and cached parses, for re-checking on every edit.
#[derive(Default)]
pub struct Workspace {
    pub overlay: Overlay,
    pub cache: ParseCache,
}

impl Workspace {
    pub fn new() -> Workspace {
        Workspace::default()
    }
    /// Sets the unsaved text of a file.
    pub fn set_text(&mut self, path: &Path, text: impl Into<String>) {
        self.overlay.insert(path, text);
    }
    /// Forgets the unsaved text of a file (it is read from disk again).
    pub fn close(&mut self, path: &Path) {
        self.overlay.remove(path);
    }
    /// Compiles the model that `input` belongs to.
    pub fn compile(&mut self, input: &Path) -> Compiled {
        compile(input, &self.overlay, &mut self.cache)
    }
}
