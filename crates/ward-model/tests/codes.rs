//! One test per diagnostic code of the semantic model: the example of its
//! page in `docs/diagnostics/CODE.md` (or, for codes about loading files,
//! the folder `tests/fixtures/CODE/`) must raise the code, and the page's
//! fixed example must compile without any diagnostic. Each rendering is an
//! insta snapshot.

use std::path::{Path, PathBuf};
use ward_diagnostics::{render_terminal, ColorChoice};

fn docs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/diagnostics")
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The codes this crate owns: E0100-E0399 and W0100-W0399.
fn model_codes() -> Vec<String> {
    let mut codes: Vec<String> = std::fs::read_dir(docs_dir())
        .expect("docs/diagnostics")
        .filter_map(|e| e.ok()?.path().file_stem()?.to_str().map(str::to_owned))
        .filter(|c| {
            c.len() == 5
                && (c.starts_with("E0") || c.starts_with("W0"))
                && ("0100".."0400").contains(&&c[1..])
        })
        .collect();
    codes.sort();
    codes
}

/// The ```ward blocks of a page: the example, then the fix.
fn ward_blocks(page: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "```ward" {
            let block: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "```").collect();
            blocks.push(block.join("\n") + "\n");
        }
    }
    blocks
}

/// Examples that do not declare a system get one, so that they show only
/// their own diagnostic (except the example of "no system").
fn complete(code: &str, text: &str) -> String {
    if code == "E0115" || text.lines().any(|l| l.starts_with("system ")) {
        text.to_owned()
    } else {
        format!("{text}system example \"Example\" {{}}\n")
    }
}

fn render(compiled: &ward_model::Compiled) -> String {
    render_terminal(&compiled.sources, &compiled.diagnostics, ColorChoice::Never)
}

fn codes_of(compiled: &ward_model::Compiled) -> Vec<&'static str> {
    compiled
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

#[test]
fn every_code_is_raised_by_its_example_and_not_by_its_fix() {
    let codes = model_codes();
    assert!(codes.len() >= 40, "found only {codes:?}");
    let mut failures = Vec::new();
    for code in &codes {
        if code == "E0108" {
            // Needs a folder of over 100,000 entries: made on the fly by
            // `a_folder_too_large_to_list_is_an_error_not_a_walk_of_the_disk`
            // in tests/loading.rs.
            continue;
        }
        if code == "E0136" {
            // A 32 MiB SBOM: made on the fly by tests/sbom.rs at the
            // repository root.
            continue;
        }
        if code == "E0121" || code == "E0122" {
            // A non-UTF-8 file name and a 128 MiB file: made on the fly by
            // tests/hostile_fs.rs at the repository root.
            continue;
        }
        if code == "E0151" {
            // An analysis finding of the submission stage (the model's
            // stage is set after lowering): ward-analysis's tests/postmarket.rs.
            continue;
        }
        if code == "W0161" || code == "W0162" {
            // Analysis findings about dispositions (the evidence of the
            // controls, the targets' hash now): ward-analysis's
            // tests/findings.rs.
            continue;
        }
        if code == "E0157" {
            // A VEX file over 32 MiB or 100,000 statements: made on the fly
            // by tests/vex.rs and ward-supply's unit tests.
            continue;
        }
        let fixture = fixtures_dir().join(code);
        let compiled = if fixture.is_dir() {
            let main = fixture.join("main.ward");
            ward_model::compile_path(if main.is_file() { &main } else { &fixture })
        } else {
            let page = std::fs::read_to_string(docs_dir().join(format!("{code}.md"))).unwrap();
            let blocks = ward_blocks(&page);
            assert_eq!(blocks.len(), 2, "{code}.md needs an example and a fix");
            let fixed = ward_model::compile_str("fixed.ward", &complete(code, &blocks[1]));
            if !fixed.diagnostics.is_empty() {
                failures.push(format!("{code}: the fix is not clean:\n{}", render(&fixed)));
            }
            ward_model::compile_str("example.ward", &complete(code, &blocks[0]))
        };
        if !codes_of(&compiled).contains(&code.as_str()) {
            failures.push(format!(
                "{code}: not raised by its example:\n{}",
                render(&compiled)
            ));
        }
        insta::assert_snapshot!(code.as_str(), render(&compiled));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_code_constant_has_a_page() {
    let source = include_str!("../src/codes.rs");
    let pages = model_codes();
    for line in source.lines().filter(|l| l.starts_with("pub const")) {
        let code = line
            .split("Code::")
            .nth(1)
            .expect("a `Code::...` constant")
            .trim_end_matches(';');
        assert!(
            pages.iter().any(|p| p == code),
            "{code} has no docs/diagnostics/{code}.md"
        );
        let page = std::fs::read_to_string(docs_dir().join(format!("{code}.md"))).unwrap();
        assert!(
            page.starts_with(&format!("# {code}: ")),
            "{code}.md must start with `# {code}: summary`"
        );
    }
}
