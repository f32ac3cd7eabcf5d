//! What each fuzz target checks, beyond "does not panic, overflow the stack
//! or hang". Every function takes raw bytes, as a file on disk would give
//! them, and panics (which libFuzzer reports as a crash) when a property of
//! Ward's pipeline does not hold.
//!
//! This file is also compiled into the root test suite (`tests/adversarial.rs`
//! includes it with `#[path]`), so it depends only on the Ward crates and
//! `serde_json`, which the root package has too.

use serde_json::Value;
use ward_diagnostics::{normalize_text, ColorChoice, Diagnostic, FileId, SourceFile, SourceMap};

#[path = "lsp_session.rs"]
mod lsp_session;
pub use lsp_session::check_lsp;

/// The name the fuzz input has as a model file.
pub const FILE_NAME: &str = "main.ward";

/// The text a `.ward` file with these bytes reads as: invalid UTF-8 replaced
/// (the CLI reports it instead; the library sees text), then BOM-stripped
/// and LF-normalised as every loader does.
pub fn input_text(data: &[u8]) -> String {
    normalize_text(&String::from_utf8_lossy(data))
}

/// `parse` target: the parser returns a tree for any text, every span of the
/// tree and of the diagnostics lies inside the text on character
/// boundaries, and the diagnostics render (terminal and JSON).
pub fn check_parse(data: &[u8]) {
    let text = input_text(data);
    let parse = ward_syntax::parse(&text, FileId(0));
    let ast = serde_json::to_value(&parse.ast).expect("the tree serialises");
    assert_spans_inside(&ast, &text);
    let sources = single_file(&text);
    assert_diagnostics_valid(&sources, &parse.errors);
    render_diagnostics(&sources, &parse.errors);
    // Syntax errors are errors: a file that has one never formats.
    if parse.has_errors() {
        assert!(ward_syntax::format(&text, FileId(0)).is_err());
    }
}

/// Splits the `pipeline` input into files: a record separator byte (0x1E)
/// starts the next file. The names let `use` reach each other, a
/// subfolder and (refused) the parent folder.
pub const FILE_SEPARATOR: char = '\u{1e}';
const FILE_NAMES: [&str; 4] = [FILE_NAME, "f1.ward", "sub/f2.ward", "sub/deeper/f3.ward"];
/// An SBOM beside the files, so that inputs naming it (`sbom:`) reach the
/// import: the insulin pump's, which the example's CGM imports.
const SBOM_FILE: (&str, &str) = (
    "sbom/cgm-fw.cdx.json",
    include_str!("../../examples/insulin-pump/sbom/cgm-fw.cdx.json"),
);

/// `pipeline` target: the input as an in-memory model (one file, or up to
/// four files split at [`FILE_SEPARATOR`], checked as a folder) goes through
/// loading, checking and, when it compiles, analysis and every output
/// available; all diagnostics point into loaded files and render.
pub fn check_pipeline(data: &[u8]) {
    let raw = String::from_utf8_lossy(data);
    let parts: Vec<&str> = raw.splitn(FILE_NAMES.len(), FILE_SEPARATOR).collect();
    let mut files: Vec<(&str, &str)> = FILE_NAMES.iter().copied().zip(parts).collect();
    let input = if files.len() == 1 { FILE_NAME } else { "." };
    files.push(SBOM_FILE);
    let compiled = ward_model::compile_memory(&files, input);
    assert_diagnostics_valid(&compiled.sources, &compiled.diagnostics);
    render_diagnostics(&compiled.sources, &compiled.diagnostics);
    if compiled.has_errors() {
        return;
    }
    let analysis = ward_analysis::analyze(&compiled.model);
    assert_diagnostics_valid(&compiled.sources, &analysis.findings);
    render_diagnostics(&compiled.sources, &analysis.findings);
    outputs(&compiled, &analysis);
}

/// Everything produced from an analysed model: the risk table, risk
/// explanations, the analysis as JSON, and every artifact of `ward build`
/// rendered in memory (`render_all`, without SVG: Graphviz is a separate
/// program, and the DOT it would read is checked here).
fn outputs(compiled: &ward_model::Compiled, analysis: &ward_analysis::Analysis) {
    let view = ward_view::View::new(&compiled.model, analysis, &compiled.sources);
    let _ = ward_view::risk_table(&compiled.model, analysis, &view);
    for threat in analysis.threats.iter().take(3) {
        let explained = ward_view::explain_risk(&compiled.model, analysis, &view, &threat.id);
        assert!(
            explained.is_some(),
            "no explanation for threat `{}`",
            threat.id
        );
    }
    serde_json::to_string(analysis).expect("the analysis serialises");
    let input = ward_render::RenderInput {
        model: &compiled.model,
        analysis,
        sources: &compiled.sources,
        diagnostics: &compiled.diagnostics,
    };
    let options = ward_render::RenderOptions {
        templates_dir: None,
        no_svg: true,
        timestamp: None,
        ..Default::default()
    };
    let artifacts = match ward_render::render_all(&input, &options) {
        Ok(artifacts) => artifacts,
        // The built-in templates render every model that compiles.
        Err(errors) => panic!("rendering failed: {errors:#?}"),
    };
    assert_artifacts_complete(&artifacts);
}

/// The artifacts every build writes, besides one DOT file per view.
pub const ARTIFACTS: [&str; 15] = [
    "control-requirements.csv",
    "control-requirements.md",
    "coverage.csv",
    "coverage.md",
    "findings.sarif",
    "interfaces.csv",
    "interfaces.md",
    "model.json",
    "report.html",
    "risk-register.csv",
    "risk-register.md",
    "safety-transfer.csv",
    "safety-transfer.md",
    "traceability.csv",
    "traceability.md",
];

/// Every artifact is there, non-empty UTF-8; the JSON ones parse; the
/// report has exactly one script element (its own: whatever a title holds
/// is escaped).
fn assert_artifacts_complete(artifacts: &[ward_render::Artifact]) {
    for name in ARTIFACTS {
        assert!(
            artifacts.iter().any(|a| a.path == name),
            "artifact `{name}` missing"
        );
    }
    assert!(
        artifacts
            .iter()
            .any(|a| a.path.starts_with("diagrams/") && a.path.ends_with(".dot")),
        "no DOT view"
    );
    for artifact in artifacts {
        let path = &artifact.path;
        assert!(!artifact.bytes.is_empty(), "artifact `{path}` is empty");
        let text = match std::str::from_utf8(&artifact.bytes) {
            Ok(text) => text,
            Err(error) => panic!("artifact `{path}` is not UTF-8: {error}"),
        };
        if path.ends_with(".json") || path.ends_with(".sarif") {
            if let Err(error) = serde_json::from_str::<Value>(text) {
                panic!("artifact `{path}` is not JSON: {error}");
            }
        }
        if path == "report.html" {
            // One executable script (its hash is in the CSP); the data
            // islands are `application/json`, which browsers never run.
            let lower = text.to_ascii_lowercase();
            let scripts = lower.matches("<script").count();
            let islands = lower.matches("<script type=\"application/json\"").count();
            assert_eq!(
                scripts - islands,
                1,
                "report.html has {scripts} script elements, {islands} of them data"
            );
        }
    }
}

/// The model the `manifest` target's `Ward.toml` describes: files a
/// `files` entry or glob can name, below the root and in a subfolder.
const MANIFEST_MODEL: [(&str, &str); 3] = [
    (
        "main.ward",
        "system s \"S\" { version: \"1\" }\nuse \"sub/f1.ward\"\n",
    ),
    ("sub/f1.ward", "zone home \"Home\" { trust: untrusted }\n"),
    (
        "sub/deeper/f2.ward",
        "component pump \"Pump\" in home { kind: device }\n",
    ),
];

/// `manifest` target: the input as `Ward.toml` (invalid UTF-8 replaced) of
/// a small in-memory model, loaded as a folder: diagnostics point into
/// loaded files and render; every file loaded, and the `[build]` `out` and
/// `templates` paths, lie inside the model root, whatever `files`, `..`,
/// absolute paths or globs say.
pub fn check_manifest(data: &[u8]) {
    let manifest = String::from_utf8_lossy(data);
    let mut files = vec![("Ward.toml", manifest.as_ref())];
    files.extend(MANIFEST_MODEL);
    let compiled = ward_model::compile_memory(&files, ".");
    assert_diagnostics_valid(&compiled.sources, &compiled.diagnostics);
    render_diagnostics(&compiled.sources, &compiled.diagnostics);
    for (_, file) in compiled.sources.files() {
        if let Some(path) = &file.path {
            assert!(
                path.starts_with(&compiled.root),
                "`{}` loaded from outside the root `{}`",
                path.display(),
                compiled.root.display()
            );
        }
    }
    for path in [&compiled.build.out, &compiled.build.templates]
        .into_iter()
        .flatten()
    {
        assert!(
            path.starts_with(&compiled.root),
            "[build] path `{}` outside the root",
            path.display()
        );
    }
}

/// `format` target: a file without syntax errors formats; the output parses
/// without errors to the same tree (spans aside) with the same comments,
/// and formatting it again changes nothing.
pub fn check_format(data: &[u8]) {
    let text = input_text(data);
    let before = ward_syntax::parse(&text, FileId(0));
    if before.has_errors() {
        return;
    }
    let once = match ward_syntax::format(&text, FileId(0)) {
        Ok(once) => once,
        Err(errors) => panic!("a file without syntax errors was refused: {errors:#?}"),
    };
    let after = ward_syntax::parse(&once, FileId(0));
    assert!(
        !after.has_errors(),
        "the formatted text has syntax errors: {:#?}\n--- formatted\n{once}",
        after.errors
    );
    assert_eq!(
        tree_shape(&before.ast),
        tree_shape(&after.ast),
        "formatting changed the tree\n--- formatted\n{once}"
    );
    assert_eq!(
        comment_texts(&before.ast),
        comment_texts(&after.ast),
        "formatting changed the comments\n--- formatted\n{once}"
    );
    let twice = ward_syntax::format(&once, FileId(0)).expect("the formatted text formats");
    assert_eq!(once, twice, "formatting is not idempotent");
}

fn single_file(text: &str) -> SourceMap {
    let mut sources = SourceMap::new();
    sources.add(SourceFile::new(FILE_NAME, None, text));
    sources
}

fn render_diagnostics(sources: &SourceMap, diagnostics: &[Diagnostic]) {
    let _ = ward_diagnostics::render_terminal(sources, diagnostics, ColorChoice::Never);
    let _ = ward_diagnostics::render_json(sources, diagnostics);
}

/// Every span of every diagnostic names a loaded file and lies inside it on
/// character boundaries (editors and the terminal renderer slice there).
fn assert_diagnostics_valid(sources: &SourceMap, diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        assert!(!d.message.is_empty(), "{}: empty message", d.code);
        let spans = d.span.into_iter().chain(d.labels.iter().map(|l| l.span));
        for span in spans {
            assert!(
                (span.file.0 as usize) < sources.len(),
                "{}: span in unknown file {:?}",
                d.code,
                span.file
            );
            let text = &sources.get(span.file).text;
            assert_span(
                text,
                span.start as usize,
                span.end as usize,
                d.code.as_str(),
            );
        }
    }
}

fn is_span(map: &serde_json::Map<String, Value>) -> bool {
    map.len() == 3
        && ["file", "start", "end"]
            .iter()
            .all(|k| map.contains_key(*k))
}

/// Every `{file, start, end}` object in a serialised tree is a valid span.
fn assert_spans_inside(value: &Value, text: &str) {
    match value {
        Value::Object(map) if is_span(map) => {
            let at = |key: &str| map[key].as_u64().expect("a span offset") as usize;
            assert_span(text, at("start"), at("end"), "tree");
        }
        Value::Object(map) => map.values().for_each(|v| assert_spans_inside(v, text)),
        Value::Array(items) => items.iter().for_each(|v| assert_spans_inside(v, text)),
        _ => {}
    }
}

fn assert_span(text: &str, start: usize, end: usize, what: &str) {
    assert!(
        start <= end && end <= text.len(),
        "{what}: span {start}..{end} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what}: span {start}..{end} splits a character"
    );
}

/// The items without spans, for comparing trees before and after
/// formatting. Doc comments are compared without trailing whitespace on
/// their lines, which the formatter removes.
pub fn tree_shape(ast: &ward_syntax::ast::SourceFileAst) -> Value {
    let mut items = serde_json::to_value(&ast.items).expect("the tree serialises");
    strip_spans(&mut items);
    items
}

/// Replaces every span (`{file, start, end}`, whatever its field is
/// called: `span`, `open`, `close`, ...) by null.
fn strip_spans(value: &mut Value) {
    match value {
        Value::Object(map) if is_span(map) => *value = Value::Null,
        Value::Object(map) => {
            if let Some(Value::String(doc)) = map.get_mut("doc") {
                *doc = doc
                    .lines()
                    .map(str::trim_end)
                    .collect::<Vec<_>>()
                    .join("\n");
            }
            map.values_mut().for_each(strip_spans);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_spans),
        _ => {}
    }
}

/// The comments as a sorted multiset (line comments without trailing
/// whitespace, which the formatter removes).
pub fn comment_texts(ast: &ward_syntax::ast::SourceFileAst) -> Vec<String> {
    use ward_syntax::ast::CommentKind;
    let mut texts: Vec<String> = ast
        .comments
        .iter()
        .map(|c| match c.kind {
            CommentKind::Block => c.text.clone(),
            CommentKind::Line | CommentKind::Doc => c.text.trim_end().to_string(),
        })
        .collect();
    texts.sort();
    texts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The insulin pump as four files (see `FILE_SEPARATOR`): it compiles,
    /// so the whole pipeline runs, renders included.
    #[test]
    fn the_insulin_pump_goes_through_the_whole_pipeline() {
        let files = [
            concat!(
                include_str!("../../examples/insulin-pump/system.ward"),
                include_str!("../../examples/insulin-pump/zones.ward"),
            ),
            concat!(
                include_str!("../../examples/insulin-pump/components.ward"),
                include_str!("../../examples/insulin-pump/actors.ward"),
                include_str!("../../examples/insulin-pump/data.ward"),
                include_str!("../../examples/insulin-pump/hazards.ward"),
            ),
            concat!(
                include_str!("../../examples/insulin-pump/flows.ward"),
                include_str!("../../examples/insulin-pump/threats.ward"),
                include_str!("../../examples/insulin-pump/usecases.ward"),
            ),
            concat!(
                include_str!("../../examples/insulin-pump/controls.ward"),
                include_str!("../../examples/insulin-pump/verification.ward"),
                include_str!("../../examples/insulin-pump/acceptance.ward"),
                include_str!("../../examples/insulin-pump/assumptions.ward"),
            ),
        ];
        let input = files.join(&FILE_SEPARATOR.to_string());
        let compiled = ward_model::compile_memory(
            &FILE_NAMES
                .iter()
                .copied()
                .zip(input.split(FILE_SEPARATOR))
                .chain([SBOM_FILE])
                .collect::<Vec<_>>(),
            ".",
        );
        assert!(!compiled.has_errors(), "{:#?}", compiled.diagnostics);
        check_pipeline(input.as_bytes());
    }
}
