//! The view's resolved records: what model.json serialises and the tables
//! show (FDA category coverage, a threat's acceptance, the declarations,
//! a threat's names).

#[path = "../../ward-analysis/tests/common/mod.rs"]
mod common;
use common::evidence::{control, model};
use common::*;
use ward_model::{ControlCategory, Stage};
use ward_view::View;

#[test]
fn coverage_names_each_components_controls_per_category() {
    let (compiled, analysis) = analysed_at(Stage::Design, &model(&control("verified", "")));
    let view = View::new(&compiled.model, &analysis, &compiled.sources);
    assert_eq!(view.coverage.len(), analysis.coverage.len());
    let pump = view
        .coverage
        .iter()
        .find(|c| c.component == "pump")
        .expect("the pump's coverage");
    // `mac` is an integrity control implemented in the pump.
    assert_eq!(pump.controls(ControlCategory::Integrity), ["mac"]);
    assert!(pump.controls(ControlCategory::Authentication).is_empty());
    assert!(pump.missing.iter().any(|m| m == "authentication"));
    assert!(!pump.missing.iter().any(|m| m == "integrity"));
}

#[test]
fn an_acceptance_carries_its_accept_record_and_whether_it_is_stale() {
    let text = model(&format!(
        "{}\naccept forge {{ level: review, rationale: \"Alarms limit harm\", approved_by: \"Board\", date: \"2026-07-16\" }}",
        control("verified", "")
    ));
    let (compiled, analysis) = analysed_at(Stage::Design, &text);
    let view = View::new(&compiled.model, &analysis, &compiled.sources);
    let forge = analysis.threat("forge").unwrap();
    let index = analysis
        .threats
        .iter()
        .position(|t| t.id == "forge")
        .unwrap();
    let accepted = view.threat(index).acceptance.as_deref().expect("accepted");
    assert_eq!(accepted.level, "review");
    // Judged review (catastrophic x very_low after `mac`): not stale.
    assert_eq!(forge.judged, ward_model::RiskLevel::Review);
    assert!(!accepted.stale);
    assert_eq!(accepted.rationale, "Alarms limit harm");
    assert_eq!(accepted.approved_by.as_deref(), Some("Board"));
    assert_eq!(accepted.date.as_deref(), Some("2026-07-16"));
    // A threat without an accept has none.
    let (compiled, analysis) = analysed_at(Stage::Design, &model(&control("verified", "")));
    let unaccepted = View::new(&compiled.model, &analysis, &compiled.sources);
    assert!(unaccepted.threat(index).acceptance.is_none());
}

#[test]
fn declarations_are_resolved_to_names_locations_and_analysis_facts() {
    let (compiled, analysis) = analysed_at(Stage::Design, &model(&control("verified", "")));
    let view = View::new(&compiled.model, &analysis, &compiled.sources);
    let d = &view.declarations;
    // Indexed like the model's own lists.
    assert_eq!(d.zones.len(), compiled.model.zones.len());
    assert_eq!(d.elements.len(), compiled.model.elements.len());
    let hw = d.zones.iter().find(|z| z.common.id == "hw").unwrap();
    assert_eq!(hw.parent.as_deref(), Some("home"));
    assert_eq!(hw.controlled_by.as_deref(), Some("manufacturer"));
    assert_eq!(d.data[0].hazards.integrity, ["overdose"]);
    let pump = d.elements.iter().find(|e| e.common.id == "pump").unwrap();
    assert_eq!(pump.zone.as_deref(), Some("hw"));
    assert_eq!(pump.flows_in, ["f_dose"]);
    let app = d.elements.iter().find(|e| e.common.id == "app").unwrap();
    assert!(app.entry, "`app` is in an untrusted zone");
    let flow = &d.flows[0];
    assert_eq!(
        (flow.source.as_deref(), flow.target.as_deref()),
        (Some("app"), Some("pump"))
    );
    assert_eq!(flow.carries, ["cmd"]);
    assert!(flow.crosses_boundary);
    // The flow's name, where it is written (line 16 of the model text).
    let at = flow.common.location.as_ref().expect("a location");
    assert_eq!(
        (at.line, at.column, at.end_line, at.end_column),
        (16, 6, 16, 12)
    );
    let mac = &d.controls[0];
    assert_eq!(mac.mitigates, ["forge"]);
    assert_eq!(mac.implemented_in, ["pump"]);
    assert_eq!(d.hazards[0].severity, "catastrophic");
    // Without the sources a declaration has no location, and nothing panics.
    let unlocated = View::new(&compiled.model, &analysis, &Default::default());
    assert!(unlocated.declarations.flows[0].common.location.is_none());
}

#[test]
fn a_threat_names_its_targets_data_hazards_and_controls() {
    let (compiled, analysis) = analysed_at(Stage::Design, &model(&control("verified", "")));
    let view = View::new(&compiled.model, &analysis, &compiled.sources);
    let index = analysis
        .threats
        .iter()
        .position(|t| t.id == "forge")
        .unwrap();
    let forge = view.threat(index);
    assert_eq!(*forge.targets, ["f_dose"]);
    assert_eq!(*forge.affected_data, ["cmd"]);
    assert_eq!(*forge.hazards, ["overdose"]);
    assert_eq!(*forge.controls, ["mac"]);
}

#[test]
fn the_verdict_counts_open_threats_and_says_what_blocks_submission() {
    use ward_view::ThreatStatus;
    // Accepting `forge` at a level other than the one it is judged at is stale.
    let (_, before) = analysed_at(Stage::Submission, &model(&control("verified", "")));
    let other = match before.threat("forge").unwrap().judged {
        ward_model::RiskLevel::Review => "unacceptable",
        _ => "review",
    };
    let text = model(&format!(
        "{}\naccept forge {{ level: {other}, rationale: \"Old board decision\", benefit_risk: \"Therapy outweighs\" }}",
        control("verified", "")
    ));
    let (_, analysis) = analysed_at(Stage::Submission, &text);
    let verdict = ward_view::Verdict::new(&analysis, &[]);
    let forge = analysis.threat("forge").unwrap();
    assert_eq!(ThreatStatus::of(forge), ThreatStatus::StaleAcceptance);
    assert_eq!(verdict.stale_acceptances, 1);
    assert_eq!(
        verdict.controlled + verdict.accepted + verdict.stale_acceptances + verdict.uncontrolled,
        analysis.threats.len()
    );
    assert!(!verdict.ready);
    assert_eq!(verdict.stage, "submission");
    assert!(
        verdict.summary.starts_with("Not ready for submission: ")
            && verdict.summary.contains("1 stale acceptance"),
        "{}",
        verdict.summary
    );

    // Every threat controlled: ready, and the sentence says on what evidence.
    let mut all_controlled = analysis.clone();
    for t in &mut all_controlled.threats {
        t.controlled = true;
    }
    let ready = ward_view::Verdict::new(&all_controlled, &[]);
    assert!(ready.ready);
    assert_eq!(analysis.threats.len(), 1);
    assert_eq!(
        ready.summary,
        "The threat is controlled on verified evidence"
    );

    // A stale approval blocks the verdict even when every threat is controlled.
    let stale = ward_view::ApprovalRecord {
        id: "dr3".into(),
        role: "Design review chair".into(),
        name: "A. Example".into(),
        date: "2026-11-30".into(),
        scope: "model",
        threats: Vec::new(),
        approved_hash: "sha256:old".into(),
        current_hash: "sha256:new".into(),
        stale: true,
        note: None,
        location: None,
    };
    let blocked = ward_view::Verdict::new(&all_controlled, &[stale]);
    assert!(!blocked.ready);
    assert_eq!(blocked.stale_approvals, 1);
    assert_eq!(
        blocked.summary,
        "Not ready for submission: 1 stale approval"
    );
}

#[test]
fn the_verdict_says_the_safety_assessment_is_missing_when_medical_facts_are() {
    let (_, analysis) = analysed_at(Stage::Design, &model(&control("verified", "")));
    let mut all_controlled = analysis.clone();
    for t in &mut all_controlled.threats {
        t.controlled = true;
    }
    assert!(ward_view::Verdict::new(&all_controlled, &[]).ready);
    // The same scores without hazards: not "controlled", but not assessed.
    all_controlled.missing_medical_facts = vec![ward_analysis::MissingMedicalFact::Hazards];
    let verdict = ward_view::Verdict::new(&all_controlled, &[]);
    assert!(!verdict.ready);
    assert_eq!(verdict.safety_not_assessed, ["no hazards declared"]);
    assert_eq!(
        verdict.summary,
        "Safety assessment missing (no hazards declared); security: The threat is controlled on planned controls"
    );
}

#[test]
fn a_hand_written_threat_shows_its_own_references_and_no_suggestion() {
    let text = model(&control("verified", ""))
        .replace(
            "threat forge",
            "/// Forged dose commands over the air.\nthreat forge",
        )
        .replace(
            "targets: [f_dose], exploitability: high }",
            "targets: [f_dose], exploitability: high, capec: [94], cwe: [345] }",
        );
    let (compiled, analysis) = analysed_at(Stage::Design, &text);
    let view = View::new(&compiled.model, &analysis, &compiled.sources);
    let index = analysis
        .threats
        .iter()
        .position(|t| t.id == "forge")
        .unwrap();
    let about = &view.threat(index).about;
    assert_eq!(
        about.description.as_deref(),
        Some("Forged dose commands over the air.")
    );
    assert!(about.suggest.is_empty());
    let links: Vec<(&str, &str)> = about
        .references()
        .map(|r| (r.label.as_str(), r.url.as_str()))
        .collect();
    assert_eq!(
        links,
        [
            (
                "CAPEC-94",
                "https://capec.mitre.org/data/definitions/94.html"
            ),
            ("CWE-345", "https://cwe.mitre.org/data/definitions/345.html")
        ]
    );
}
