//! Models and their analysed snapshots. A model is the folder holding the
//! nearest `Ward.toml` above a file, else the file's folder; a buffer with
//! no path (`untitled:`) is a model of its own. Each model keeps a parse
//! cache so that a keystroke re-parses only the file that changed.

use crate::documents::{canonical, DocumentStore};
use crate::features::since_base::SinceBase;
use crate::line_index::LineIndex;
use crate::trace;
use crate::uri;
use lsp_types::Uri;
use std::collections::{BTreeMap, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use ward_diagnostics::{Diagnostic, FileId, SourceFile, SourceMap, Span};
use ward_model::{Origin, Overlay, ParseCache};
use ward_syntax::ast::SourceFileAst;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ModelKey {
    /// The model rooted at a folder (with or without `Ward.toml`).
    Root(PathBuf),
    /// A buffer that is not a file on disk.
    Buffer(Uri),
}

/// One file of a snapshot, as the features see it.
pub struct FileView {
    /// `None` for the embedded standard library.
    pub uri: Option<Uri>,
    pub index: LineIndex,
    pub ast: Arc<SourceFileAst>,
    /// A file of the model (not the stdlib, not `Ward.toml`).
    pub is_user: bool,
}

/// An analysed model at one point in time: everything a request needs.
pub struct Snapshot {
    pub sources: SourceMap,
    /// Indexed by `FileId`.
    pub files: Vec<FileView>,
    /// `None` when the semantic stages could not run (the snapshot then
    /// still serves syntax-level features).
    pub model: Option<ward_model::Model>,
    /// `None` when the model is missing or the analysis failed.
    pub analysis: Option<ward_analysis::Analysis>,
    /// The analysis resolved for presenters (hover, inlay hints), resolved
    /// on first use (see [`Snapshot::view`]).
    view: OnceLock<Option<ward_view::View>>,
    /// Syntax and semantic diagnostics; the findings stay in `analysis`
    /// (see [`Snapshot::diagnostics`]), not copied: at N = 10,000 they are
    /// about 90,000.
    compile_diagnostics: Vec<Diagnostic>,
    /// Why there is no analysis: the model does not compile.
    pub analysis_waits: Option<AnalysisWait>,
    /// While the analysis waits, the last snapshot of this model that was
    /// analysed: its generated threat ids still complete names mid-edit
    /// (their risk is not shown).
    pub last_analysed: Option<Arc<Snapshot>>,
    /// `[diff] base` of the model's `Ward.toml`.
    pub diff_base: Option<String>,
}

/// The model has errors, so the analysis waits (no risk findings, no risk
/// in hover or inlay hints) until they are fixed, as in `ward check`.
#[derive(Clone, Copy, Debug)]
pub struct AnalysisWait {
    pub errors: usize,
    /// The first error with a position, in source order.
    pub first: Option<Span>,
}

impl AnalysisWait {
    /// `None` when the compile diagnostics hold no error.
    fn of(compile: &[Diagnostic]) -> Option<AnalysisWait> {
        let errors: Vec<&Diagnostic> = compile.iter().filter(|d| d.is_error()).collect();
        (!errors.is_empty()).then(|| AnalysisWait {
            errors: errors.len(),
            first: errors
                .iter()
                .filter_map(|d| d.span)
                .min_by_key(|s| (s.file, s.start)),
        })
    }
}

impl Snapshot {
    pub fn file_of(&self, uri: &Uri) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.uri.as_ref() == Some(uri))
            .map(|i| FileId(i as u32))
    }
    pub fn file(&self, id: FileId) -> &FileView {
        &self.files[id.0 as usize]
    }
    pub fn text(&self, id: FileId) -> &str {
        &self.sources.get(id).text
    }
    pub fn source(&self, id: FileId) -> &SourceFile {
        self.sources.get(id)
    }
    /// The LSP range of a span.
    pub fn range(&self, span: Span) -> lsp_types::Range {
        self.file(span.file).index.range(
            self.text(span.file),
            span.start as usize,
            span.end as usize,
        )
    }
    /// The LSP location of a span, if its file has a URI.
    pub fn location(&self, span: Span) -> Option<lsp_types::Location> {
        let uri = self.file(span.file).uri.clone()?;
        Some(lsp_types::Location {
            uri,
            range: self.range(span),
        })
    }
    pub fn offset(&self, file: FileId, position: lsp_types::Position) -> usize {
        self.file(file).index.offset(self.text(file), position)
    }

    /// Every diagnostic: syntax, semantic, then the analysis' findings.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        let findings = self.analysis.as_ref().map(|a| a.findings.as_slice());
        self.compile_diagnostics
            .iter()
            .chain(findings.unwrap_or_default())
    }

    /// The line index of file `id` when it is the same file with the same
    /// text as `source` (an edit elsewhere leaves it valid).
    fn unchanged_line_index(&self, id: FileId, source: &SourceFile) -> Option<LineIndex> {
        let file = self.files.get(id.0 as usize)?;
        let old = (id.0 as usize) < self.sources.len();
        let old = old.then(|| self.sources.get(id))?;
        (old.path == source.path && old.text == source.text).then(|| file.index.clone())
    }

    /// The analysis resolved for presenters; `None` without an analysis.
    /// Resolved once, on first use, so that an edit's diagnostics do not
    /// wait for it (at N = 10,000 it costs about a third of an edit).
    pub fn view(&self) -> Option<&ward_view::View> {
        self.view
            .get_or_init(|| {
                let (model, analysis) = self.model.as_ref().zip(self.analysis.as_ref())?;
                catch_unwind(AssertUnwindSafe(|| {
                    ward_view::View::new(model, analysis, &self.sources)
                }))
                .map_err(|_| eprintln!("ward-lsp: resolving the analysis panicked"))
                .ok()
            })
            .as_ref()
    }
}

#[derive(Default)]
struct ModelState {
    dirty: bool,
    snapshot: Option<Arc<Snapshot>>,
    /// The diff lens of `snapshot`, when a base is configured and read.
    since_base: Option<Arc<SinceBase>>,
    cache: ParseCache,
}

#[derive(Default)]
pub struct Workspace {
    models: BTreeMap<ModelKey, ModelState>,
    /// Which model each document belongs to, found once per document.
    keys: HashMap<Uri, ModelKey>,
}

impl Workspace {
    pub fn key_for(&mut self, uri: &Uri, documents: &DocumentStore) -> ModelKey {
        if let Some(key) = self.keys.get(uri) {
            return key.clone();
        }
        let path = documents
            .get(uri)
            .and_then(|d| d.path.clone())
            .or_else(|| uri::to_path(uri).map(|p| canonical(&p)));
        let key = match path {
            Some(path) => ModelKey::Root(model_root(&path)),
            None => ModelKey::Buffer(uri.clone()),
        };
        self.keys.insert(uri.clone(), key.clone());
        key
    }

    pub fn forget_file(&mut self, uri: &Uri) {
        self.keys.remove(uri);
    }

    /// Forgets which model every document belongs to.
    pub fn forget_all_files(&mut self) {
        self.keys.clear();
    }

    pub fn keys(&self) -> Vec<ModelKey> {
        self.models.keys().cloned().collect()
    }

    pub fn mark_dirty(&mut self, key: &ModelKey) {
        self.models.entry(key.clone()).or_default().dirty = true;
    }

    pub fn mark_clean(&mut self, key: &ModelKey) {
        if let Some(state) = self.models.get_mut(key) {
            state.dirty = false;
        }
    }

    pub fn is_dirty(&self, key: &ModelKey) -> bool {
        self.models.get(key).is_some_and(|s| s.dirty)
    }

    pub fn dirty_keys(&self) -> Vec<ModelKey> {
        self.models
            .iter()
            .filter(|(_, s)| s.dirty)
            .map(|(k, _)| k.clone())
            .collect()
    }

    pub fn snapshot(&self, key: &ModelKey) -> Option<Arc<Snapshot>> {
        self.models.get(key)?.snapshot.clone()
    }

    pub fn since_base(&self, key: &ModelKey) -> Option<Arc<SinceBase>> {
        self.models.get(key)?.since_base.clone()
    }

    pub fn set_since_base(&mut self, key: &ModelKey, since: Option<Arc<SinceBase>>) {
        if let Some(state) = self.models.get_mut(key) {
            state.since_base = since;
        }
    }

    pub fn remove(&mut self, key: &ModelKey) {
        self.models.remove(key);
    }

    /// Every snapshot, for workspace-wide requests.
    pub fn snapshots(&self) -> Vec<Arc<Snapshot>> {
        self.models
            .values()
            .filter_map(|s| s.snapshot.clone())
            .collect()
    }

    /// Re-analyses a model from the open buffers and the disk.
    pub fn refresh(&mut self, key: &ModelKey, documents: &DocumentStore) -> Option<Arc<Snapshot>> {
        let state = self.models.entry(key.clone()).or_default();
        state.dirty = false;
        let mut snapshot = build(key, documents, &mut state.cache, state.snapshot.as_deref());
        if snapshot.analysis.is_none() {
            snapshot.last_analysed = match state.snapshot.take() {
                Some(old) if old.analysis.is_some() => Some(old),
                Some(old) => old.last_analysed.clone(),
                None => None,
            };
        }
        let snapshot = Arc::new(snapshot);
        state.snapshot = Some(snapshot.clone());
        Some(snapshot)
    }
}

/// The folder holding the nearest `Ward.toml` above a file, else its folder.
pub fn model_root(file: &Path) -> PathBuf {
    let folder = file.parent().unwrap_or(Path::new("/"));
    folder
        .ancestors()
        .find(|dir| dir.join("Ward.toml").is_file())
        .unwrap_or(folder)
        .to_path_buf()
}

/// Loads, checks and analyses a model: open buffers over the disk, parses
/// reused from the model's cache. The semantic stages run under
/// `catch_unwind` one by one, so that a failure in a later stage still
/// leaves the earlier results to serve requests.
fn build(
    key: &ModelKey,
    documents: &DocumentStore,
    cache: &mut ParseCache,
    previous: Option<&Snapshot>,
) -> Snapshot {
    let mut clock = std::time::Instant::now();
    let mut overlay = Overlay::new();
    let input = match key {
        ModelKey::Root(root) => {
            for document in documents.iter() {
                if let Some(path) = document.path.as_ref().filter(|p| p.starts_with(root)) {
                    overlay.insert(path, document.text.clone());
                }
            }
            root.clone()
        }
        ModelKey::Buffer(uri) => {
            let path = buffer_path(uri);
            if let Some(document) = documents.get(uri) {
                overlay.insert(&path, document.text.clone());
            }
            path
        }
    };
    let loaded = ward_model::load(&input, &overlay, cache);
    trace::stage("load and parse", &mut clock);
    let asts: Vec<(Arc<SourceFileAst>, bool)> = loaded
        .files
        .iter()
        .map(|f| (f.ast.clone(), f.origin == Origin::User))
        .collect();
    let compiled = catch_unwind(AssertUnwindSafe(|| ward_model::check(loaded)));
    trace::stage("check", &mut clock);
    // Analysis runs only on a model that compiles, as `ward check` decides.
    let analysis = compiled.as_ref().ok().and_then(|compiled| {
        catch_unwind(AssertUnwindSafe(|| {
            ward_analysis::analyze_compiled(compiled)
        }))
        .map_err(|_| eprintln!("ward-lsp: analysing the model at {input:?} panicked"))
        .ok()
        .flatten()
    });
    let diff_base = compiled.as_ref().ok().and_then(|c| c.diff_base.clone());
    let (mut sources, model, mut diagnostics) = match compiled {
        Ok(compiled) => (compiled.sources, Some(compiled.model), compiled.diagnostics),
        Err(_) => {
            eprintln!("ward-lsp: checking the model at {input:?} panicked; serving syntax only");
            // Reload (cheap: the parses are cached) for the sources alone.
            let loaded = ward_model::load(&input, &overlay, cache);
            (loaded.sources, None, loaded.diagnostics)
        }
    };
    let analysis_waits = AnalysisWait::of(&diagnostics);
    trace::stage("analyse", &mut clock);
    let mut files: Vec<FileView> = sources
        .files()
        .map(|(id, source)| {
            let (ast, is_user) = asts.get(id.0 as usize).cloned().unwrap_or_default();
            let open = source.path.as_deref().and_then(|p| documents.by_path(p));
            let uri = match (key, open, &source.path) {
                (ModelKey::Buffer(uri), _, _)
                    if source.path.as_deref() == Some(input.as_path()) =>
                {
                    Some(uri.clone())
                }
                (ModelKey::Buffer(_), _, _) => None,
                (_, Some(document), _) => Some(document.uri.clone()),
                (_, None, Some(path)) => Some(uri::from_path(path)),
                (_, None, None) => None,
            };
            let index = match open {
                Some(document) if document.text == source.text => document.index.clone(),
                _ => previous
                    .and_then(|p| p.unchanged_line_index(id, source))
                    .unwrap_or_else(|| LineIndex::new(&source.text)),
            };
            FileView {
                uri,
                index,
                ast,
                is_user,
            }
        })
        .collect();
    // Open buffers of this model that the model does not include (left out
    // by `Ward.toml`): parsed alone, for syntax diagnostics and outline.
    if let ModelKey::Root(root) = key {
        for document in documents.iter() {
            let Some(path) = document.path.as_ref().filter(|p| p.starts_with(root)) else {
                continue;
            };
            if files.iter().any(|f| f.uri.as_ref() == Some(&document.uri))
                || model_root(path) != *root
            {
                continue;
            }
            let id = sources.add(SourceFile::new(
                path.display().to_string(),
                Some(path.clone()),
                document.text.clone(),
            ));
            let parse = ward_syntax::parse(&document.text, id);
            diagnostics.extend(parse.errors);
            files.push(FileView {
                uri: Some(document.uri.clone()),
                index: document.index.clone(),
                ast: Arc::new(parse.ast),
                is_user: true,
            });
        }
    }
    trace::stage("snapshot", &mut clock);
    Snapshot {
        sources,
        files,
        model,
        analysis,
        view: OnceLock::new(),
        compile_diagnostics: diagnostics,
        analysis_waits,
        last_analysed: None,
        diff_base,
    }
}

/// Where an unsaved buffer lives for the loader: a virtual path that no
/// `Ward.toml` is above.
fn buffer_path(uri: &Uri) -> PathBuf {
    let name: String = uri
        .as_str()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    PathBuf::from("/ward-lsp-buffers").join(format!("{name}.ward"))
}
