//! The analysed example models, snapshotted: the threat table with scores,
//! the attack paths and the findings by code.

mod common;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;
use ward_analysis::{analyze, paths, ModelGraph};
use ward_view::{explain_risk, risk_table, View};

fn example(name: &str) -> ward_model::Compiled {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    let compiled = ward_model::compile_path(&path);
    let errors: Vec<_> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    assert!(
        errors.is_empty(),
        "{}",
        ward_diagnostics::render_terminal(
            &compiled.sources,
            &errors,
            ward_diagnostics::ColorChoice::Never
        )
    );
    compiled
}

fn summary(compiled: &ward_model::Compiled) -> String {
    let model = &compiled.model;
    let analysis = analyze(model);
    let mut out = risk_table(model, &analysis, &View::new(model, &analysis));
    let graph = ModelGraph::new(model);
    out.push_str("\nattack paths:\n");
    for path in &analysis.paths {
        let _ = writeln!(out, "  {}", paths::describe(&graph, path));
    }
    let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
    for finding in &analysis.findings {
        *by_code.entry(finding.code.as_str()).or_default() += 1;
    }
    out.push_str("\nfindings:\n");
    for (code, count) in by_code {
        let _ = writeln!(out, "  {code}: {count}");
    }
    out
}

#[test]
fn insulin_pump_example() {
    let compiled = example("insulin-pump");
    insta::assert_snapshot!("insulin_pump", summary(&compiled));
    let analysis = analyze(&compiled.model);
    // A threat scored from a CVSS vector, with controls, paths and fleet reach.
    let cvss = analysis
        .threats
        .iter()
        .find(|t| {
            matches!(
                t.exploitability_source,
                ward_analysis::ExploitabilitySource::Cvss { .. }
            ) && !t.controls.is_empty()
        })
        .expect("the example has a CVSS-scored, mitigated threat");
    insta::assert_snapshot!(
        "insulin_pump_explain_cvss",
        explain_risk(
            &compiled.model,
            &analysis,
            &View::new(&compiled.model, &analysis),
            &cvss.id
        )
        .unwrap()
    );
}

#[test]
fn glucose_monitor_example() {
    let compiled = example("glucose-monitor");
    insta::assert_snapshot!("glucose_monitor", summary(&compiled));
    let analysis = analyze(&compiled.model);
    insta::assert_snapshot!(
        "glucose_monitor_explain_ble_jam",
        explain_risk(
            &compiled.model,
            &analysis,
            &View::new(&compiled.model, &analysis),
            "ble_jam"
        )
        .unwrap()
    );
}

#[test]
fn analysis_is_deterministic_and_serialises() {
    let compiled = example("insulin-pump");
    let a = serde_json::to_string(&analyze(&compiled.model)).unwrap();
    let b = serde_json::to_string(&analyze(&compiled.model)).unwrap();
    assert_eq!(a, b);
}
