//! Every finding code: its page `docs/diagnostics/CODE.md` has an example
//! model that compiles and yields the finding; the rendering of the
//! example's findings of that code is snapshotted.

mod common;
use common::*;
use std::path::PathBuf;
use ward_analysis::codes;
use ward_diagnostics::{render_terminal, ColorChoice};

fn docs() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/diagnostics")
}

/// The first ```ward block after `## Example`.
fn example(page: &str) -> String {
    let after = page
        .split("## Example")
        .nth(1)
        .expect("an `## Example` section");
    let start = after.find("```ward\n").expect("a ```ward block") + "```ward\n".len();
    let end = after[start..].find("```").expect("a closed block");
    after[start..start + end].to_string()
}

#[test]
fn every_finding_code_has_a_page_with_a_summary_line() {
    for code in codes::ALL {
        let page = std::fs::read_to_string(docs().join(format!("{code}.md")))
            .unwrap_or_else(|e| panic!("docs/diagnostics/{code}.md: {e}"));
        assert!(
            page.starts_with(&format!("# {code}: ")),
            "{code}.md must start with `# {code}: summary`"
        );
        assert!(
            page.contains("## Example") && page.contains("## Fix"),
            "{code}.md needs Example and Fix"
        );
    }
}

#[test]
fn every_finding_code_has_a_page_whose_example_yields_it() {
    for code in codes::ALL {
        let page = std::fs::read_to_string(docs().join(format!("{code}.md")))
            .unwrap_or_else(|e| panic!("docs/diagnostics/{code}.md: {e}"));
        assert!(
            page.starts_with(&format!("# {code}: ")),
            "{code}.md must start with `# {code}: summary`"
        );
        let text = example(&page);
        // A submission-stage example says so on its first line.
        let stage = if text.starts_with("// ward check --stage submission") {
            ward_model::Stage::Submission
        } else {
            ward_model::Stage::Design
        };
        let (compiled, analysis) = analysed_at(stage, &text);
        let (ours, others): (Vec<_>, Vec<_>) = analysis
            .findings
            .iter()
            .cloned()
            .partition(|d| d.code == code);
        // Pages' examples are minimal models without hazards or ratings:
        // the generic-model findings (W0415-W0417) are expected there.
        let others: Vec<_> = others
            .into_iter()
            .filter(|d| !codes::MISSING_MEDICAL_FACTS.contains(&d.code))
            .collect();
        assert!(
            !ours.is_empty(),
            "the example of {code} does not yield it; it yields {:?}",
            others.iter().map(|d| d.code.as_str()).collect::<Vec<_>>()
        );
        assert!(
            others.is_empty(),
            "the example of {code} also yields:\n{}",
            render_terminal(&compiled.sources, &others, ColorChoice::Never)
        );
        let rendered = render_terminal(&compiled.sources, &ours, ColorChoice::Never);
        insta::assert_snapshot!(format!("finding_{code}"), rendered);
    }
}
