//! The spec's code blocks (tests/spec/language.md): each alone gives no
//! diagnostic except those caused by declarations outside it; Appendix A
//! compiles with no diagnostic at all.

use ward_diagnostics::{render_terminal, ColorChoice};

const SPEC: &str = include_str!("../../../tests/spec/language.md");

/// The ```-fenced blocks after `## 1.`, with the heading above each.
fn blocks() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut heading = String::new();
    let mut lines = SPEC.lines();
    while let Some(line) = lines.next() {
        if line.starts_with('#') {
            heading = line.to_string();
        } else if line.trim_start() == "```" || line.trim_start() == "```ward" {
            let mut block = String::new();
            for inner in lines.by_ref() {
                if inner.trim_start().starts_with("```") {
                    break;
                }
                block.push_str(inner);
                block.push('\n');
            }
            out.push((heading.clone(), block));
        }
    }
    out
}

fn render(compiled: &ward_model::Compiled) -> String {
    render_terminal(&compiled.sources, &compiled.diagnostics, ColorChoice::Never)
}

#[test]
fn appendix_a_compiles_cleanly() {
    let (_, text) = blocks()
        .into_iter()
        .find(|(h, _)| h.contains("Appendix A"))
        .expect("Appendix A");
    let compiled = ward_model::compile_str("appendix_a.ward", &text);
    assert!(compiled.diagnostics.is_empty(), "{}", render(&compiled));
    assert!(compiled.model.uses_stride && compiled.model.fda_coverage);
    assert_eq!(
        compiled.model.system.as_ref().map(|s| s.meta.name.as_str()),
        Some("demo")
    );
}

/// Codes a block alone may raise: ids declared outside it, a missing `use`
/// file, no `system`.
const OUTSIDE: &[&str] = &["E0111", "E0104", "E0115"];

#[test]
fn every_spec_block_compiles_alone() {
    let mut failures = String::new();
    for (heading, text) in blocks() {
        // The grammar sketches of §1 are not Ward.
        if text.contains("ident (\"") || text.trim_start().starts_with("decl ") {
            continue;
        }
        let text = text.replace("\"...\"", "\"text\"");
        let compiled = ward_model::compile_str("block.ward", &text);
        let unexpected: Vec<_> = compiled
            .diagnostics
            .iter()
            .filter(|d| !OUTSIDE.contains(&d.code.as_str()))
            .cloned()
            .collect();
        if !unexpected.is_empty() {
            failures.push_str(&format!(
                "--- {heading}\n{text}\n{}",
                render_terminal(&compiled.sources, &unexpected, ColorChoice::Never)
            ));
        }
    }
    assert!(failures.is_empty(), "{failures}");
}
