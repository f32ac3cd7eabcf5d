//! `--explain-risk` and the terminal risk table on analysed models: the
//! examples snapshotted, and the steps that name reach, proximity, CVSS and
//! evidence. The models are ward-analysis' test models, shared so that the
//! analysis tests (which assert the facts) and these (which assert the words)
//! read the same text.

#[path = "../../ward-analysis/tests/common/mod.rs"]
mod common;
use common::examples::example;
use common::reach::{BLE_PUMP, UPLOAD};
use common::*;
use std::collections::BTreeMap;
use std::fmt::Write;
use ward_analysis::{analyze, paths, Analysis, ModelGraph};
use ward_diagnostics::SourceMap;
use ward_model::{Model, Stage};
use ward_view::{explain_risk, risk_table, View};

/// The `--explain-risk` text of a threat, which must contain `needle`.
fn explained(model: &Model, analysis: &Analysis, id: &str, needle: &str) -> String {
    let text = explain_risk(
        model,
        analysis,
        &View::new(model, analysis, &SourceMap::new()),
        id,
    )
    .expect("the threat exists");
    assert!(text.contains(needle), "`{needle}` not in:\n{text}");
    text
}

/// The threat table with scores, the attack paths and the findings by code.
fn summary(compiled: &ward_model::Compiled) -> String {
    let model = &compiled.model;
    let analysis = analyze(model);
    let mut out = risk_table(
        model,
        &analysis,
        &View::new(model, &analysis, &compiled.sources),
    );
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
            &View::new(&compiled.model, &analysis, &compiled.sources),
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
            &View::new(&compiled.model, &analysis, &compiled.sources),
            "ble_jam"
        )
        .unwrap()
    );
}

#[test]
fn multi_patient_names_the_shared_element_reached() {
    let (compiled, analysis) = analysed_with_prelude(UPLOAD);
    explained(
        &compiled.model,
        &analysis,
        "upload_injection",
        "11. Multi-patient: yes (what it alters reaches `db`, which is `fleet: shared`",
    );
}

#[test]
fn a_ble_threat_starts_within_radio_range_and_a_network_one_at_an_entry_point() {
    let (compiled, analysis) = analysed_with_prelude(BLE_PUMP);
    let model = &compiled.model;
    let text = explained(
        model,
        &analysis,
        "ble_device_tracking@pump",
        "10. Sequence of events: starts with an attacker within radio range of `pump` in zone `hw`",
    );
    assert!(!text.contains("app -[f_dose]->"), "{text}");
    explained(
        model,
        &analysis,
        "dose_forgery",
        "10. Shortest modelled paths from an entry point:\n    - app -[f_dose]-> pump",
    );
}

#[test]
fn a_physical_cvss_vector_starts_with_physical_access() {
    let (compiled, analysis) = analysed_with_prelude(BLE_PUMP);
    explained(
        &compiled.model,
        &analysis,
        "usb_attack",
        "starts with an attacker with physical access to `pump` in zone `hw`",
    );
}

#[test]
fn a_cvss_vector_is_explained_by_its_scores() {
    let (compiled, analysis) = common::risk::model(
        "",
        r#"
        threat remote "Remote" { stride: [tampering], targets: [f_dose], cvss: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" }
        "#,
    );
    explained(
        &compiled.model,
        &analysis,
        "remote",
        "base score 9.8, exploitability sub-score 3.9",
    );
}

#[test]
fn a_claim_rejected_by_e0405_is_not_counted_in_the_verified_residual() {
    let text = common::evidence::model(&format!(
        "{}\nverification vt \"Test\" {{ method: test, result: pending, tested_version: \"4.2.0\" }}",
        common::evidence::control("verified", "vt")
    ));
    let (compiled, analysis) = analysed_at(Stage::Design, &text);
    let view = View::new(&compiled.model, &analysis, &compiled.sources);
    // The shortfall is worded once per control, in the view.
    assert_eq!(
        view.controls[0].shortfall.as_deref(),
        Some("no verification of it passed")
    );
    let explained = explain_risk(&compiled.model, &analysis, &view, "forge").unwrap();
    let verified_step = explained
        .lines()
        .skip_while(|l| !l.starts_with("8."))
        .take(2)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(verified_step.contains("none counted"), "{verified_step}");
    assert!(
        explained.contains("`mac`: not verified: no verification of it passed"),
        "{explained}"
    );
}

#[test]
fn a_stated_impact_and_a_disposition_are_named_in_the_derivation() {
    let (compiled, analysis) = analysed_with_prelude(
        r#"
data dose "Dose command" { kind: command, confidentiality: low, integrity: high }
component app "App" in home { kind: mobile_app }
component pump "Pump" in hw { kind: device }
flow f_dose: app -> pump { protocol: ble, carries: [dose] }
threat peek "Peek" { stride: [information_disclosure], targets: [f_dose], exploitability: high, impact: high }
disposition peek { status: in_progress, ticket: "SEC-3" }
"#,
    );
    let text = explained(
        &compiled.model,
        &analysis,
        "peek",
        "security impact = high (impact stated by hand: the threat's `impact`)",
    );
    assert!(text.contains("disposition: `in_progress`"), "{text}");
}
