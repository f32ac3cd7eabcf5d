//! Loading a model's files: the input (a `.ward` file, a folder, or a
//! `Ward.toml`), every file named by `use`, and the standard library; each
//! file is read once (by canonical path), normalised and parsed, through a
//! per-file parse cache.
//!
//! Decisions the spec leaves open:
//! - Folder walks (folder input, and `Ward.toml` globs) are
//!   [`crate::ward_files_below`]'s: hidden entries (names starting with `.`)
//!   and folders named `target` skipped, symlinked folders not followed,
//!   regular files only (a symlinked `.ward` file is kept when it points
//!   inside the model root); a `.ward` path that is not UTF-8 is an error
//!   (E0121), never dropped.
//! - Every file read is a regular file of at most `MAX_SOURCE_BYTES` (E0122),
//!   inside the model root: `Ward.toml` `files` entries, `use` and the
//!   `[build]` paths resolve (symlinks included) below the root (E0105).
//! - `Ward.toml` without `files` means `files = ["**/*.ward"]`. A pattern
//!   without glob characters that names no file is an error; a glob that
//!   matches nothing is a warning. Files named by globs are read in byte
//!   order of their relative paths, like a folder.
//! - Given a file or folder below a `Ward.toml`, the model is what that
//!   `Ward.toml` names, even if the file given is not among them.
//! - File ids: the input's files in order, then files reached only by `use`
//!   (depth first), then the standard library files in use.

use crate::stdlib::{self, StdModule};
use crate::suggest::suggest;
use crate::vfs::{slash_path, Overlay, ReadError, Vfs};
use globset::GlobBuilder;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use ward_diagnostics::{normalize_text, Diagnostic, FileId, SourceFile, SourceMap, Span};
use ward_syntax::ast::{SourceFileAst, UseTarget};

/// Reusable parses, keyed by file (canonical path or stdlib name), text and
/// file id: the language server re-checks on every keystroke and only the
/// changed file is parsed again.
#[derive(Default)]
pub struct ParseCache {
    entries: HashMap<String, CachedParse>,
    parses: usize,
}

struct CachedParse {
    file: FileId,
    text: String,
    ast: Arc<SourceFileAst>,
    errors: Vec<Diagnostic>,
}

impl ParseCache {
    pub fn new() -> ParseCache {
        ParseCache::default()
    }
    /// How many files were actually parsed (not served from the cache) so far.
    pub fn parse_count(&self) -> usize {
        self.parses
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn parse(
        &mut self,
        key: &str,
        file: FileId,
        text: &str,
    ) -> (Arc<SourceFileAst>, Vec<Diagnostic>) {
        if let Some(hit) = self.entries.get(key) {
            if hit.file == file && hit.text == text {
                return (hit.ast.clone(), hit.errors.clone());
            }
        }
        self.parses += 1;
        let parse = ward_syntax::parse(text, file);
        let ast = Arc::new(parse.ast);
        self.entries.insert(
            key.to_owned(),
            CachedParse {
                file,
                text: text.to_owned(),
                ast: ast.clone(),
                errors: parse.errors.clone(),
            },
        );
        (ast, parse.errors)
    }

    fn retain(&mut self, keys: &HashSet<String>) {
        self.entries.retain(|k, _| keys.contains(k));
    }
}

/// Where a loaded file comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A file of the model.
    User,
    /// An embedded standard library file.
    Std(StdModule),
    /// `Ward.toml` or an input that could not be read: shown in diagnostics
    /// only, not parsed.
    Other,
}

pub struct LoadedFile {
    pub id: FileId,
    pub origin: Origin,
    pub ast: Arc<SourceFileAst>,
}

/// What a `use` item resolved to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UseResolution {
    Std(StdModule),
    File(FileId),
    /// An error was reported.
    Failed,
}

#[derive(Clone, Copy, Debug)]
pub struct UseItem {
    pub from: FileId,
    /// The whole `use` item.
    pub span: Span,
    /// The path or string after `use`.
    pub target_span: Span,
    pub resolution: UseResolution,
}

/// `[build]` settings of `Ward.toml`, passed through for the CLI (paths
/// resolved against the model root).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildConfig {
    pub templates: Option<PathBuf>,
    pub out: Option<PathBuf>,
    /// The opt-in artifacts `[outputs]` turns on.
    pub outputs: crate::Exports,
}

/// A model's files, parsed, with load and syntax diagnostics.
pub struct Loaded {
    pub sources: SourceMap,
    /// Indexed by `FileId`.
    pub files: Vec<LoadedFile>,
    pub uses: Vec<UseItem>,
    /// The model root (canonical).
    pub root: PathBuf,
    /// The `Ward.toml` used, if any.
    pub manifest: Option<PathBuf>,
    pub build: BuildConfig,
    /// `stage` of `Ward.toml` (default `design`).
    pub stage: crate::Stage,
    /// `as_of` of `Ward.toml`: the date end-of-support dates are judged
    /// against (a checked `YYYY-MM-DD`; never the clock).
    pub as_of: Option<String>,
    /// `[diff] base` of `Ward.toml`: the revision the language server shows
    /// changes since (any revision `ward diff` accepts).
    pub diff_base: Option<String>,
    /// The SBOM files components name (`sbom:`), each read once.
    pub sboms: Vec<crate::sbom::SbomFile>,
    /// The vulnerability feeds of `Ward.toml`, in pattern order.
    pub feeds: Vec<crate::feeds::FeedFile>,
    /// The VEX files of `Ward.toml`'s `[vulnerabilities] vex`, in order.
    pub vex: Vec<crate::vex::VexFile>,
    /// `[vulnerabilities] feeds` and `vex` of `Ward.toml`, as written.
    pub vulnerability_patterns: (Vec<String>, Vec<String>),
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn file(&self, id: FileId) -> &LoadedFile {
        &self.files[id.0 as usize]
    }
    /// Whether `use std::...` names this module anywhere in the model.
    pub fn uses_std(&self, module: StdModule) -> bool {
        self.uses
            .iter()
            .any(|u| u.resolution == UseResolution::Std(module))
    }
    /// The files read besides `.ward` sources (each once, in load order)
    /// and the `[vulnerabilities]` patterns. An SBOM or VEX file is at the
    /// path the model names (normalised), a feed where its pattern found it.
    pub fn supply_inputs(&self) -> crate::SupplyInputs {
        let named = |written: &str, read: &str| named_path(written).unwrap_or_else(|| read.into());
        let sboms = (self.sboms.iter()).filter_map(|s| Some((named(&s.written, &s.name), s.file?)));
        let feeds = (self.feeds.iter()).map(|f| (f.name.clone(), f.file));
        // One VEX file per `vex` entry, in order.
        let vex = (self.vex.iter().zip(&self.vulnerability_patterns.1))
            .filter_map(|(v, written)| Some((named(written, &v.name), v.file?)));
        let mut seen = HashSet::new();
        let files = sboms
            .chain(feeds)
            .chain(vex)
            .filter(|(path, _)| seen.insert(path.clone()))
            .map(|(path, file)| crate::SupplyFile { path, file })
            .collect();
        crate::SupplyInputs {
            files,
            feed_patterns: self.vulnerability_patterns.0.clone(),
            vex_paths: self.vulnerability_patterns.1.clone(),
        }
    }
}

/// A path relative to the model root as written, with `.` and `..`
/// resolved as the loader resolves them; `None` when it climbs out or is
/// not a plain relative UTF-8 path.
fn named_path(written: &str) -> Option<String> {
    use std::path::Component;
    let mut parts = Vec::new();
    for part in Path::new(written).components() {
        match part {
            Component::Normal(p) => parts.push(p.to_str()?),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Loads the model at `input` (a `.ward` file, a folder or a `Ward.toml`).
pub fn load(input: &Path, overlay: &Overlay, cache: &mut ParseCache) -> Loaded {
    Loader::new(
        Vfs {
            overlay,
            disk: true,
        },
        cache,
    )
    .run(input)
}

/// Loads a model from the overlay alone, without touching the disk.
pub(crate) fn load_in_memory(input: &Path, overlay: &Overlay, cache: &mut ParseCache) -> Loaded {
    Loader::new(
        Vfs {
            overlay,
            disk: false,
        },
        cache,
    )
    .run(input)
}

struct Loader<'a> {
    vfs: Vfs<'a>,
    cache: &'a mut ParseCache,
    root: PathBuf,
    sources: SourceMap,
    files: Vec<LoadedFile>,
    by_path: HashMap<PathBuf, FileId>,
    /// `use` edges between files, for the cycle check.
    edges: Vec<(FileId, FileId, usize)>,
    uses: Vec<UseItem>,
    diagnostics: Vec<Diagnostic>,
    cache_keys: HashSet<String>,
    stage: crate::Stage,
    as_of: Option<String>,
    diff_base: Option<String>,
    sboms: Vec<crate::sbom::SbomFile>,
    feeds: Vec<crate::feeds::FeedFile>,
    /// `[vulnerabilities] feeds` of `Ward.toml`, with their spans.
    feed_patterns: Vec<(String, Span)>,
    /// `[vulnerabilities] vex` of `Ward.toml`: the path and its span.
    vex_entries: Vec<(String, Span)>,
    vex: Vec<crate::vex::VexFile>,
    vulnerability_patterns: (Vec<String>, Vec<String>),
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    /// Spanned by the parser: finding each pattern in the text afterwards
    /// was quadratic in the number of patterns.
    files: Option<Vec<toml::Spanned<String>>>,
    /// `"design"` or `"submission"`.
    stage: Option<toml::Spanned<String>>,
    /// `"YYYY-MM-DD"`: the date support ends are judged against.
    as_of: Option<toml::Spanned<String>>,
    build: Option<ManifestBuild>,
    diff: Option<ManifestDiff>,
    /// `xlsx = true`, ...: keys checked against `Export::ALL`.
    outputs: Option<std::collections::BTreeMap<toml::Spanned<String>, toml::Spanned<toml::Value>>>,
    vulnerabilities: Option<ManifestVulnerabilities>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestVulnerabilities {
    /// Paths or file-name patterns of OSV and KEV files (docs/lifecycle.md).
    feeds: Option<Vec<toml::Spanned<String>>>,
    /// VEX files (CSAF 2.0 VEX, CycloneDX VEX), relative to the root.
    vex: Option<Vec<toml::Spanned<String>>>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestDiff {
    /// A revision: `"main"`, `"v1.2.0"`, a commit id.
    base: Option<toml::Spanned<String>>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestBuild {
    templates: Option<toml::Spanned<String>>,
    out: Option<toml::Spanned<String>>,
}

impl<'a> Loader<'a> {
    fn new(vfs: Vfs<'a>, cache: &'a mut ParseCache) -> Loader<'a> {
        Loader {
            vfs,
            cache,
            root: PathBuf::new(),
            sources: SourceMap::new(),
            files: Vec::new(),
            by_path: HashMap::new(),
            edges: Vec::new(),
            uses: Vec::new(),
            diagnostics: Vec::new(),
            cache_keys: HashSet::new(),
            stage: crate::Stage::Design,
            as_of: None,
            diff_base: None,
            sboms: Vec::new(),
            feeds: Vec::new(),
            feed_patterns: Vec::new(),
            vex_entries: Vec::new(),
            vex: Vec::new(),
            vulnerability_patterns: (Vec::new(), Vec::new()),
        }
    }

    fn run(mut self, input: &Path) -> Loaded {
        let input = self.vfs.normalize(input);
        let mut manifest = None;
        let mut build = BuildConfig::default();
        if self.vfs.is_file(&input) && input.file_name().is_some_and(|n| n == "Ward.toml") {
            self.root = input.parent().unwrap_or(Path::new("/")).to_path_buf();
            build = self.load_manifest(&input);
            manifest = Some(input.clone());
        } else if self.vfs.is_dir(&input) || self.vfs.is_file(&input) {
            let folder = if self.vfs.is_dir(&input) {
                input.clone()
            } else {
                input.parent().unwrap_or(Path::new("/")).to_path_buf()
            };
            if let Some(toml) = self.find_manifest(&folder) {
                self.root = toml.parent().unwrap_or(Path::new("/")).to_path_buf();
                build = self.load_manifest(&toml);
                manifest = Some(toml);
            } else if self.vfs.is_dir(&input) {
                self.root = folder;
                let files = self.walk_root(None);
                for (_, path) in files {
                    self.load_file(&path, None);
                }
            } else {
                self.root = folder;
                self.load_file(&input, None);
            }
        } else {
            self.root = input.parent().unwrap_or(Path::new("/")).to_path_buf();
            let name = input.to_string_lossy().into_owned();
            let id = self.add_unparsed(name.clone(), None, String::new());
            self.diagnostics.push(
                Diagnostic::error(
                    crate::codes::UNREADABLE_FILE,
                    Span::new(id, 0, 0),
                    format!("cannot read `{name}`"),
                )
                .with_primary_label(self.missing_label(&input, "no such file or folder")),
            );
        }
        if self.files.is_empty() {
            // An empty model: a file to report "no system" in.
            let name = input
                .file_name()
                .map_or(".".into(), |n| n.to_string_lossy().into_owned());
            self.add_unparsed(name, None, String::new());
        }
        self.check_cycles();
        self.load_stdlib();
        // After the stdlib, so that SBOMs shift no file id of a model
        // without them.
        self.load_sboms();
        // Last, for the same reason.
        self.load_feeds();
        // After the feeds: VEX statements apply to their records.
        self.load_vex();
        self.cache.retain(&self.cache_keys);
        Loaded {
            sources: self.sources,
            files: self.files,
            uses: self.uses,
            root: self.root,
            manifest,
            build,
            stage: self.stage,
            as_of: self.as_of,
            diff_base: self.diff_base,
            sboms: self.sboms,
            feeds: self.feeds,
            vex: self.vex,
            vulnerability_patterns: self.vulnerability_patterns,
            diagnostics: self.diagnostics,
        }
    }

    /// Reads and parses each SBOM file a component names, once; errors
    /// are reported at the first `sbom:` that names it.
    fn load_sboms(&mut self) {
        use crate::sbom::{self, SbomFile, SbomText};
        for (written, at) in sbom::sbom_properties(&self.files) {
            if self.sboms.iter().any(|s| s.written == written) {
                continue;
            }
            let read = sbom::read(&self.vfs, &self.root, &written, at, |p| {
                self.relative_to_root(p)
            });
            let (name, file, parsed) = match read {
                SbomText::Read { path, name, text } => {
                    let id = self.add_unparsed(name.clone(), Some(path), text);
                    let (parsed, diagnostics) = sbom::parse(id, &self.sources.get(id).text, at);
                    self.diagnostics.extend(diagnostics);
                    (name, Some(id), parsed.map(Arc::new))
                }
                SbomText::Failed(d) => {
                    self.diagnostics.push(d);
                    (written.clone(), None, None)
                }
            };
            self.sboms.push(SbomFile {
                written,
                name,
                file,
                sbom: parsed,
            });
        }
    }

    /// Reads and parses each vulnerability feed of `Ward.toml`, once; errors
    /// are reported at the pattern that names it.
    fn load_feeds(&mut self) {
        use crate::feeds::{self, FeedFile, MAX_FEED_FILES};
        for (pattern, at) in std::mem::take(&mut self.feed_patterns) {
            let paths = match feeds::expand(&self.vfs, &self.root, &pattern, at) {
                Ok(paths) => paths,
                Err(d) => {
                    self.diagnostics.push(*d);
                    continue;
                }
            };
            if paths.is_empty() {
                self.diagnostics.push(
                    Diagnostic::error(
                        crate::codes::FEED_UNREADABLE,
                        at,
                        format!("feed pattern `{pattern}` matches no file"),
                    )
                    .with_primary_label("no such file")
                    .with_help("the pattern is relative to the model root (the folder of `Ward.toml`); remove it if the feed is gone"),
                );
            }
            for path in paths {
                let name = self.relative_to_root(&path);
                if self.feeds.iter().any(|f| f.name == name) {
                    continue;
                }
                if self.feeds.len() >= MAX_FEED_FILES {
                    self.diagnostics.push(
                        Diagnostic::error(
                            crate::codes::FEED_UNREADABLE,
                            at,
                            format!("the feeds name over {MAX_FEED_FILES} files; the rest are not read"),
                        )
                        .with_primary_label("too many feed files")
                        .with_help("merge the records into fewer files (an OSV file may hold a list of records)"),
                    );
                    return;
                }
                match feeds::read(&self.vfs, &self.root, &path, &name, at) {
                    Ok(text) => {
                        let id = self.add_unparsed(name.clone(), Some(path), text);
                        let parsed = feeds::parse(id, &self.sources.get(id).text, at);
                        let feed = match parsed {
                            Ok(feed) => Some(Arc::new(feed)),
                            Err(d) => {
                                self.diagnostics.push(*d);
                                None
                            }
                        };
                        self.feeds.push(FeedFile {
                            name,
                            file: id,
                            feed,
                        });
                    }
                    Err(d) => self.diagnostics.push(*d),
                }
            }
        }
    }

    /// Reads and parses each VEX file of `Ward.toml`, in order; errors are
    /// reported in the file, with a label at its `Ward.toml` entry.
    fn load_vex(&mut self) {
        for (written, at) in std::mem::take(&mut self.vex_entries) {
            let (name, file, vex) = match crate::vex::read(&self.vfs, &self.root, &written, at) {
                Ok((path, text)) => {
                    let name = self.relative_to_root(&path);
                    let id = self.add_unparsed(name.clone(), Some(path), text);
                    let parsed = crate::vex::parse(id, &self.sources.get(id).text, at);
                    let vex = parsed.map_err(|d| self.diagnostics.push(d)).ok();
                    (name, Some(id), vex.map(Arc::new))
                }
                Err(d) => {
                    self.diagnostics.push(d);
                    (written, None, None)
                }
            };
            self.vex.push(crate::vex::VexFile {
                name,
                at,
                file,
                vex,
            });
        }
    }

    fn find_manifest(&self, folder: &Path) -> Option<PathBuf> {
        folder
            .ancestors()
            .map(|dir| dir.join("Ward.toml"))
            .find(|p| self.vfs.is_file(p))
    }

    fn display_name(&self, path: &Path) -> String {
        match path.strip_prefix(&self.root) {
            Ok(rel) if !rel.as_os_str().is_empty() => slash_path(rel),
            _ => path.to_string_lossy().into_owned(),
        }
    }

    /// A path relative to the root, with `..` where it lies outside.
    fn relative_to_root(&self, path: &Path) -> String {
        let root: Vec<_> = self.root.components().collect();
        let target: Vec<_> = path.components().collect();
        let common = root.iter().zip(&target).take_while(|(a, b)| a == b).count();
        let mut parts: Vec<String> = vec!["..".to_string(); root.len() - common];
        parts.extend(
            target[common..]
                .iter()
                .map(|c| c.as_os_str().to_string_lossy().into_owned()),
        );
        parts.join("/")
    }

    /// The label of a path that is not a readable file: it may exist as
    /// something that is never read (a FIFO, socket, device or folder).
    fn missing_label(&self, path: &Path, missing: &'static str) -> &'static str {
        if self.vfs.disk && std::fs::symlink_metadata(path).is_ok() {
            "not a regular file (a FIFO, socket, device or folder)"
        } else {
            missing
        }
    }

    fn add_unparsed(&mut self, name: String, path: Option<PathBuf>, text: String) -> FileId {
        let id = self.sources.add(SourceFile::new(name, path, text));
        self.files.push(LoadedFile {
            id,
            origin: Origin::Other,
            ast: Arc::new(SourceFileAst::default()),
        });
        id
    }

    /// The `.ward` files below the model root; E0108 when the folder is
    /// too large to list (at `at`, else on the folder itself).
    fn walk_root(&mut self, at: Option<Span>) -> Vec<(String, PathBuf)> {
        let walk = self.vfs.walk(&self.root);
        if walk.truncated {
            let span = at.unwrap_or_else(|| {
                let name = self.root.to_string_lossy().into_owned();
                Span::new(self.add_unparsed(name, None, String::new()), 0, 0)
            });
            self.diagnostics.push(
                Diagnostic::error(
                    crate::codes::FOLDER_TOO_LARGE,
                    span,
                    format!(
                        "the model folder `{}` has over {} entries: stopped listing its `.ward` files",
                        self.root.display(),
                        crate::MAX_WALK_ENTRIES
                    ),
                )
                .with_primary_label("model root")
                .with_help("put a `Ward.toml` in the model's own folder, listing its files (`files = [\"model/**/*.ward\"]`), or check a smaller folder"),
            );
        }
        for path in &walk.non_utf8 {
            let name = self.display_name(path);
            // Without `Ward.toml`, the file stands in under its lossy name.
            let span = at.unwrap_or_else(|| {
                Span::new(self.add_unparsed(name.clone(), None, String::new()), 0, 0)
            });
            self.diagnostics.push(
                Diagnostic::error(
                    crate::codes::NON_UTF8_NAME,
                    span,
                    format!("the file name `{name}` is not UTF-8; the file is not loaded"),
                )
                .with_primary_label("a `.ward` file below the model root")
                .with_help("rename the file: Ward names files by their UTF-8 paths, and two names that differ only in invalid bytes would be one"),
            );
        }
        walk.files
    }

    fn load_manifest(&mut self, path: &Path) -> BuildConfig {
        // A `Ward.toml` linked to a file elsewhere is not read: a parse
        // error would print a line of that file.
        let linked_out = self.vfs.disk
            && self
                .vfs
                .normalize(path)
                .parent()
                .is_some_and(|dir| dir != self.root);
        let text = match self.vfs.read(path) {
            Ok(text) if !linked_out => normalize_text(&text),
            result => {
                let id =
                    self.add_unparsed("Ward.toml".into(), Some(path.to_path_buf()), String::new());
                let (code, message) = match result {
                    Ok(_) => (
                        crate::codes::USE_OUTSIDE_ROOT,
                        "`Ward.toml` is a symbolic link to a file outside the model root; it is not read".to_string(),
                    ),
                    Err(ReadError::TooLarge) => (
                        crate::codes::FILE_TOO_LARGE,
                        format!("`Ward.toml` is larger than {} bytes", crate::MAX_SOURCE_BYTES),
                    ),
                    Err(_) => (crate::codes::UNREADABLE_FILE, "cannot read `Ward.toml`".to_string()),
                };
                self.diagnostics
                    .push(Diagnostic::error(code, Span::new(id, 0, 0), message));
                return BuildConfig::default();
            }
        };
        let id = self.add_unparsed("Ward.toml".into(), Some(path.to_path_buf()), text.clone());
        let manifest: Manifest = match toml::from_str(&text) {
            Ok(m) => m,
            Err(e) => {
                let range = e.span().unwrap_or(0..0);
                self.diagnostics.push(
                    Diagnostic::error(
                        crate::codes::BAD_MANIFEST,
                        Span::new(id, range.start, range.end),
                        format!("invalid `Ward.toml`: {}", e.message()),
                    )
                    .with_help("`Ward.toml` takes `files = [\"a.ward\", \"dir/**/*.ward\"]`, `stage = \"design\"` or `\"submission\"`, an optional `as_of = \"YYYY-MM-DD\"`, an optional `[build]` table with `templates` and `out`, an optional `[outputs]` table (`xlsx = true`, `reqif = true`, `otm = true`), an optional `[diff]` table with `base`, and an optional `[vulnerabilities]` table with `feeds` and `vex`"),
                );
                return BuildConfig::default();
            }
        };
        if let Some(stage) = &manifest.stage {
            match crate::Stage::parse(stage.get_ref()) {
                Some(parsed) => self.stage = parsed,
                None => self.diagnostics.push(
                    Diagnostic::error(
                        crate::codes::BAD_MANIFEST,
                        Span::new(id, stage.span().start, stage.span().end),
                        format!("invalid `Ward.toml`: unknown stage `{}`", stage.get_ref()),
                    )
                    .with_primary_label("not a stage")
                    .with_help("`stage` is `\"design\"` (judge on planned controls) or `\"submission\"` (judge on verified evidence; gaps a reviewer would reject are errors)"),
                ),
            }
        }
        if let Some(as_of) = &manifest.as_of {
            if crate::props::is_calendar_date(as_of.get_ref()) {
                self.as_of = Some(as_of.get_ref().clone());
            } else {
                self.diagnostics.push(
                    Diagnostic::error(
                        crate::codes::BAD_MANIFEST,
                        Span::new(id, as_of.span().start, as_of.span().end),
                        format!("invalid `Ward.toml`: `as_of` `{}` is not a calendar date", as_of.get_ref()),
                    )
                    .with_primary_label("expected \"YYYY-MM-DD\"")
                    .with_help("`as_of` is the date support ends are judged against, e.g. `as_of = \"2026-11-30\"`"),
                );
            }
        }
        let (feeds, vex) = manifest
            .vulnerabilities
            .map_or((None, None), |v| (v.feeds, v.vex));
        for entry in vex.into_iter().flatten() {
            let span = Span::new(id, entry.span().start, entry.span().end);
            self.vex_entries.push((entry.into_inner(), span));
        }
        if let Some(feeds) = feeds {
            self.feed_patterns = feeds
                .into_iter()
                .map(|f| {
                    let span = Span::new(id, f.span().start, f.span().end);
                    (f.into_inner(), span)
                })
                .collect();
        }
        self.vulnerability_patterns = (
            self.feed_patterns.iter().map(|(p, _)| p.clone()).collect(),
            self.vex_entries.iter().map(|(p, _)| p.clone()).collect(),
        );
        if let Some(base) = manifest.diff.and_then(|d| d.base) {
            if base.get_ref().trim().is_empty() {
                self.diagnostics.push(
                    Diagnostic::error(
                        crate::codes::BAD_MANIFEST,
                        Span::new(id, base.span().start, base.span().end),
                        "invalid `Ward.toml`: `[diff] base` is empty",
                    )
                    .with_primary_label("not a revision")
                    .with_help("`base` names the git revision the editor shows changes since, e.g. `base = \"main\"`"),
                );
            } else {
                self.diff_base = Some(base.into_inner());
            }
        }
        let patterns = manifest
            .files
            .unwrap_or_else(|| vec![toml::Spanned::new(0..0, "**/*.ward".into())]);
        let all = self.walk_root(Some(Span::new(id, 0, 0)));
        let mut chosen: std::collections::BTreeMap<String, PathBuf> = Default::default();
        for pattern in &patterns {
            let span = Span::new(id, pattern.span().start, pattern.span().end);
            let pattern = pattern.get_ref();
            let is_glob = pattern.contains(['*', '?', '[', '{']);
            if !is_glob {
                let path = self.vfs.normalize(&self.root.join(pattern));
                if !path.starts_with(&self.root) {
                    self.diagnostics
                        .push(self.outside_root(span, pattern, &path));
                } else if self.vfs.is_file(&path) {
                    chosen.insert(self.display_name(&path), path);
                } else {
                    self.diagnostics.push(
                        Diagnostic::error(
                            crate::codes::USE_MISSING,
                            span,
                            format!("`{pattern}` names no file"),
                        )
                        .with_primary_label(self.missing_label(&path, "no such file")),
                    );
                }
                continue;
            }
            let matcher = match GlobBuilder::new(pattern).literal_separator(true).build() {
                Ok(glob) => glob.compile_matcher(),
                Err(e) => {
                    self.diagnostics.push(Diagnostic::error(
                        crate::codes::BAD_MANIFEST,
                        span,
                        format!("invalid pattern `{pattern}`: {}", e.kind()),
                    ));
                    continue;
                }
            };
            let before = chosen.len();
            let mut matched = false;
            for (rel, path) in &all {
                if matcher.is_match(rel) {
                    matched = true;
                    chosen.insert(rel.clone(), path.clone());
                }
            }
            if !matched && before == chosen.len() {
                self.diagnostics.push(Diagnostic::warning(
                    crate::codes::EMPTY_PATTERN,
                    span,
                    format!("pattern `{pattern}` matches no `.ward` file"),
                ));
            }
        }
        for (_, path) in chosen {
            self.load_file(&path, None);
        }
        let build = manifest.build.unwrap_or(ManifestBuild {
            templates: None,
            out: None,
        });
        let outputs = self.outputs(manifest.outputs.unwrap_or_default(), id);
        BuildConfig {
            templates: build.templates.and_then(|t| self.build_path(&t, id)),
            out: build.out.and_then(|o| self.build_path(&o, id)),
            outputs,
        }
    }

    /// `[outputs]`: each key a format of `Export::ALL`, each value a boolean.
    fn outputs(
        &mut self,
        table: std::collections::BTreeMap<toml::Spanned<String>, toml::Spanned<toml::Value>>,
        id: FileId,
    ) -> crate::Exports {
        let mut on = crate::Exports::new();
        for (key, value) in table {
            let key_span = Span::new(id, key.span().start, key.span().end);
            let Some(export) = crate::Export::from_key(key.get_ref()) else {
                let (message, help) = crate::outputs::unknown_export(key.get_ref());
                let mut d = Diagnostic::error(
                    crate::outputs::UNKNOWN_OUTPUT,
                    key_span,
                    format!("invalid `Ward.toml`: {message} in `[outputs]`"),
                )
                .with_primary_label("not an output format")
                .with_help(help);
                if let Some(s) = crate::suggest::suggest(key.get_ref(), crate::Export::keys()) {
                    d = d.with_fix(s.fix(key.get_ref(), key_span));
                }
                self.diagnostics.push(d);
                continue;
            };
            match value.get_ref() {
                toml::Value::Boolean(true) => {
                    on.insert(export);
                }
                toml::Value::Boolean(false) => {}
                other => self.diagnostics.push(
                    Diagnostic::error(
                        crate::outputs::BAD_OUTPUT_SWITCH,
                        Span::new(id, value.span().start, value.span().end),
                        format!(
                            "invalid `Ward.toml`: `[outputs] {}` is a {}, not `true` or `false`",
                            key.get_ref(),
                            other.type_str()
                        ),
                    )
                    .with_primary_label("expected `true` or `false`")
                    .with_help(format!("write `{} = true` to write the artifact, `false` (or nothing) to leave it out", key.get_ref())),
                ),
            }
        }
        on
    }

    /// A `[build]` path of `Ward.toml`, resolved against the root; `None`
    /// (and E0105) when it resolves outside: a repository must not make a
    /// build write, or list, folders elsewhere (`-o` and `--templates` on
    /// the command line may).
    fn build_path(&mut self, written: &toml::Spanned<String>, id: FileId) -> Option<PathBuf> {
        let span = Span::new(id, written.span().start, written.span().end);
        let written = written.get_ref();
        let path = self.vfs.normalize(&self.root.join(written));
        if path.starts_with(&self.root) {
            return Some(path);
        }
        let d = self
            .outside_root(span, written, &path)
            .with_help("give a folder outside the model on the command line instead (`ward build -o DIR`, `--templates DIR`)");
        self.diagnostics.push(d);
        None
    }

    /// E0105 for a `Ward.toml` entry that resolves outside the root.
    fn outside_root(&self, span: Span, written: &str, path: &Path) -> Diagnostic {
        Diagnostic::error(
            crate::codes::USE_OUTSIDE_ROOT,
            span,
            format!("`{written}` is outside the model root"),
        )
        .with_primary_label("resolves outside the model root")
        .with_note(format!(
            "it resolves to `{}`, relative to the model root",
            self.relative_to_root(path)
        ))
    }

    /// Loads a file (once) and, recursively, the files it `use`s.
    fn load_file(&mut self, path: &Path, via: Option<Span>) -> Option<FileId> {
        if let Some(id) = self.by_path.get(path) {
            return Some(*id);
        }
        let name = self.display_name(path);
        let text = match self.vfs.read(path) {
            Ok(text) => normalize_text(&text),
            Err(err) => {
                let mut code = crate::codes::UNREADABLE_FILE;
                let (message, label) = match err {
                    ReadError::NotFound => {
                        (format!("cannot read `{name}`"), "no such file".to_string())
                    }
                    ReadError::NotRegular => (
                        format!("cannot read `{name}`"),
                        "not a regular file (a FIFO, socket or device)".to_string(),
                    ),
                    ReadError::TooLarge => {
                        code = crate::codes::FILE_TOO_LARGE;
                        (
                            format!("`{name}` is larger than {} bytes", crate::MAX_SOURCE_BYTES),
                            "file too large".to_string(),
                        )
                    }
                    ReadError::Io(e) => (format!("cannot read `{name}`"), e.to_string()),
                    ReadError::Utf8(at, bytes) => {
                        let prefix = String::from_utf8_lossy(&bytes[..at]);
                        let line = prefix.matches('\n').count() + 1;
                        let column =
                            prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                        (
                            format!("`{name}` is not valid UTF-8"),
                            format!("invalid byte at line {line}, column {column}"),
                        )
                    }
                };
                let id = self.add_unparsed(name, Some(path.to_path_buf()), String::new());
                self.by_path.insert(path.to_path_buf(), id);
                let mut d = Diagnostic::error(code, via.unwrap_or(Span::new(id, 0, 0)), message)
                    .with_primary_label(label);
                if via.is_some() {
                    d = d.with_note("Ward source files must be UTF-8 text");
                }
                self.diagnostics.push(d);
                return None;
            }
        };
        let id = self
            .sources
            .add(SourceFile::new(name, Some(path.to_path_buf()), text));
        self.by_path.insert(path.to_path_buf(), id);
        let key = path.to_string_lossy().into_owned();
        let ast = self.parse(key, id);
        self.files.push(LoadedFile {
            id,
            origin: Origin::User,
            ast: ast.clone(),
        });
        for item in &ast.items {
            if let ward_syntax::ast::Item::Use(u) = item {
                self.resolve_use(id, path, u);
            }
        }
        Some(id)
    }

    fn parse(&mut self, key: String, id: FileId) -> Arc<SourceFileAst> {
        let (ast, errors) = self.cache.parse(&key, id, &self.sources.get(id).text);
        self.cache_keys.insert(key);
        self.diagnostics.extend(errors);
        ast
    }

    fn resolve_use(&mut self, from: FileId, from_path: &Path, item: &ward_syntax::ast::Use) {
        let target_span = match &item.target {
            UseTarget::Path(path) => path.span,
            UseTarget::File(s) => s.span,
        };
        // Pushed first: nested files' `use` items come after this one.
        let index = self.uses.len();
        self.uses.push(UseItem {
            from,
            span: item.span,
            target_span,
            resolution: UseResolution::Failed,
        });
        let resolution = match &item.target {
            UseTarget::Path(path) => self.resolve_std_use(path),
            UseTarget::File(s) => self.resolve_file_use(from, from_path, &s.value, s.span, index),
        };
        self.uses[index].resolution = resolution;
    }

    fn resolve_std_use(&mut self, path: &ward_syntax::ast::Path) -> UseResolution {
        let text = path.text();
        if let Some(module) = StdModule::by_use_path(&text) {
            return UseResolution::Std(module);
        }
        let known = StdModule::USABLE
            .iter()
            .map(|m| m.use_path())
            .collect::<Vec<_>>();
        let mut d = Diagnostic::error(
            crate::codes::UNKNOWN_MODULE,
            path.span,
            format!("unknown module `{text}`"),
        )
        .with_primary_label("no such module");
        if text == stdlib::STD_POLICY_PATH {
            d = d.with_help(format!(
                "std policies need no `use`: name it in the system, `policy: {}`",
                stdlib::STD_POLICY_PATH
            ));
        } else if let Some(best) = suggest(&text, known.iter().copied()) {
            d = d
                .with_help(format!("did you mean `{}`?", best.name))
                .with_fix(best.fix(&text, path.span));
        } else {
            d = d.with_help(format!("the standard modules are {}", backticked(&known)));
        }
        self.diagnostics.push(d);
        UseResolution::Failed
    }

    fn resolve_file_use(
        &mut self,
        from: FileId,
        from_path: &Path,
        written: &str,
        span: Span,
        use_index: usize,
    ) -> UseResolution {
        let error = |code, message: String, label: &str| {
            Diagnostic::error(code, span, message).with_primary_label(label)
        };
        if !written.ends_with(".ward") {
            self.diagnostics.push(
                error(
                    crate::codes::USE_NOT_WARD,
                    format!("`{written}` is not a `.ward` file"),
                    "not a `.ward` file",
                )
                .with_help("`use` names Ward source files, ending in `.ward`"),
            );
            return UseResolution::Failed;
        }
        let folder = from_path.parent().unwrap_or(Path::new("/"));
        let path = self.vfs.normalize(&folder.join(written));
        if !self.vfs.is_file(&path) {
            let label = self.missing_label(&path, "no such file");
            self.diagnostics.push(
                error(
                    crate::codes::USE_MISSING,
                    format!("file `{written}` not found"),
                    label,
                )
                .with_note(format!(
                    "looked for `{}` (relative to the model root)",
                    self.relative_to_root(&path)
                )),
            );
            return UseResolution::Failed;
        }
        if !path.starts_with(&self.root) {
            self.diagnostics.push(
                error(
                    crate::codes::USE_OUTSIDE_ROOT,
                    format!("`{written}` is outside the model root"),
                    "resolves outside the model root",
                )
                .with_note(format!("it resolves to `{}`, relative to the model root", self.relative_to_root(&path)))
                .with_note("the model root is the folder of the nearest `Ward.toml`, else the folder given, else the file's folder"),
            );
            return UseResolution::Failed;
        }
        match self.load_file(&path, Some(span)) {
            Some(to) => {
                self.edges.push((from, to, use_index));
                UseResolution::File(to)
            }
            None => UseResolution::Failed,
        }
    }

    /// Reports each `use` that closes a cycle (a back edge of a depth-first
    /// walk in file order).
    fn check_cycles(&mut self) {
        let n = self.files.len();
        let mut adjacency: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
        for &(from, to, use_index) in &self.edges {
            adjacency[from.0 as usize].push((to.0 as usize, use_index));
        }
        // 0 = unvisited, 1 = on the stack, 2 = done
        let mut state = vec![0u8; n];
        let mut back_edges = Vec::new();
        for start in 0..n {
            if state[start] != 0 {
                continue;
            }
            let mut stack = vec![(start, 0usize)];
            state[start] = 1;
            while let Some(top) = stack.len().checked_sub(1) {
                let (node, next) = stack[top];
                if let Some(&(to, use_index)) = adjacency[node].get(next) {
                    stack[top].1 += 1;
                    match state[to] {
                        0 => {
                            state[to] = 1;
                            stack.push((to, 0));
                        }
                        1 => {
                            let cycle: Vec<usize> = stack
                                .iter()
                                .map(|(f, _)| *f)
                                .skip_while(|f| *f != to)
                                .chain([to])
                                .collect();
                            back_edges.push((use_index, cycle));
                        }
                        _ => {}
                    }
                } else {
                    state[node] = 2;
                    stack.pop();
                }
            }
        }
        for (use_index, cycle) in back_edges {
            let names: Vec<String> = cycle
                .iter()
                .map(|f| format!("`{}`", self.sources.get(FileId(*f as u32)).name))
                .collect();
            let item = &mut self.uses[use_index];
            item.resolution = UseResolution::Failed;
            self.diagnostics.push(
                Diagnostic::error(crate::codes::USE_CYCLE, item.target_span, "import cycle")
                    .with_primary_label("this `use` closes a cycle")
                    .with_note(format!("cycle: {}", names.join(" -> ")))
                    .with_help("every declaration is visible from every file; remove one of the `use` items"),
            );
        }
    }

    fn load_stdlib(&mut self) {
        let mut modules = vec![StdModule::Policy];
        for module in [StdModule::Stride, StdModule::Fda] {
            if self
                .uses
                .iter()
                .any(|u| u.resolution == UseResolution::Std(module))
            {
                modules.push(module);
            }
        }
        for module in modules {
            let id = self.sources.add(SourceFile::new(
                module.file_name(),
                None,
                normalize_text(module.text()),
            ));
            let ast = self.parse(module.file_name(), id);
            self.files.push(LoadedFile {
                id,
                origin: Origin::Std(module),
                ast,
            });
        }
    }
}

/// The span of `"text"` in a TOML source, for diagnostics about a pattern.
pub(crate) fn backticked(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
