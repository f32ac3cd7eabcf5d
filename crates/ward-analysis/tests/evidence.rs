//! Evidence-based verification (issue #13, items 1, 2 and 12; the submission
//! stage): what counts as verified, the findings for failed and stale
//! evidence, unrated data, and what the submission stage turns into errors.

mod common;
use common::evidence::{control, model, BASE};
use common::*;
use ward_analysis::JudgedOn;
use ward_diagnostics::Severity;
use ward_model::{RiskLevel, Stage};

#[test]
fn a_proposed_control_with_a_pending_test_is_planned_not_evidence() {
    let text = model(&format!(
        "{}\nverification vt \"Test\" {{ method: test, result: pending, tested_version: \"4.2.0\", scope: [pump] }}",
        control("proposed", "vt")
    ));
    // Design: judged on the planned residual, but it says it rests on an
    // unverified control.
    let (_, design) = analysed_at(Stage::Design, &text);
    assert_eq!(design.judged_on, JudgedOn::Planned);
    let t = design.threat("forge").unwrap();
    assert_eq!(t.planned.risk.overall, RiskLevel::Review);
    assert_eq!(t.verified.risk.overall, RiskLevel::Unacceptable);
    assert!(t.verified.controls.is_empty());
    assert!(t.rests_on_unverified());
    assert_eq!(t.unverified_controls().len(), 1);
    assert!(finding_codes(&design).contains(&"W0408"));
    assert!(!design.findings.iter().any(|d| d.is_error()));
    // Submission: judged on verified evidence; the control relied on
    // without evidence is an error, and so is the unaccepted residual.
    let (_, submission) = analysed_at(Stage::Submission, &text);
    assert_eq!(submission.judged_on, JudgedOn::Verified);
    let t = submission.threat("forge").unwrap();
    assert_eq!(t.judged, RiskLevel::Unacceptable);
    assert!(!t.controlled);
    let e0430 = submission
        .findings
        .iter()
        .find(|d| d.code == "E0430")
        .expect("E0430");
    assert!(e0430.is_error());
    assert!(
        e0430.message.contains("its status is `proposed`"),
        "{}",
        e0430.message
    );
    assert!(
        e0430.message.contains("no verification of it passed"),
        "{}",
        e0430.message
    );
    assert!(finding_codes(&submission).contains(&"E0401"));
}

#[test]
fn a_failed_test_without_disposition_keeps_the_control_unverified() {
    let verifications = r#"
verification vt_pen "Penetration test" { type: penetration, method: test, result: fail, tested_version: "4.2.0", scope: [pump] }
verification vt_insp "Inspection" { method: inspection, result: pass, tested_version: "4.2.0", scope: [pump] }
"#;
    let text = model(&format!(
        "{}\n{verifications}",
        control("verified", "vt_pen, vt_insp")
    ));
    let (_, analysis) = analysed_at(Stage::Design, &text);
    let evidence = &analysis.evidence[0];
    assert!(!evidence.verified);
    assert_eq!(evidence.passing.len(), 1);
    assert_eq!(evidence.open_failures.len(), 1);
    let w0431 = analysis
        .findings
        .iter()
        .find(|d| d.code == "W0431")
        .expect("W0431");
    assert_eq!(w0431.severity, Severity::Warning);
    assert!(
        w0431.message.contains("`vt_pen` failed"),
        "{}",
        w0431.message
    );
    assert!(
        w0431.notes.iter().any(|n| n.contains("`mac`")),
        "{:?}",
        w0431.notes
    );
    let t = analysis.threat("forge").unwrap();
    assert!(
        t.verified.controls.is_empty(),
        "a rejected claim is not counted"
    );
    // At submission the same finding is an error.
    let (_, submission) = analysed_at(Stage::Submission, &text);
    let w0431 = submission
        .findings
        .iter()
        .find(|d| d.code == "W0431")
        .unwrap();
    assert_eq!(w0431.severity, Severity::Error);

    // A disposition (a retest superseded it) lets the passing evidence count.
    let dispositioned = text.replace(
        "result: fail,",
        "result: fail, disposition: \"Superseded by retest TR-31 after fix\",",
    );
    let (_, analysis) = analysed_at(Stage::Submission, &dispositioned);
    assert!(analysis.evidence[0].verified);
    assert!(!finding_codes(&analysis).contains(&"W0431"));
    let t = analysis.threat("forge").unwrap();
    assert_eq!(t.verified.controls.len(), 1);
    assert_eq!(t.judged, RiskLevel::Review);
}

#[test]
fn a_claim_rejected_by_e0405_counts_nowhere() {
    let text = model(&format!(
        "{}\nverification vt \"Test\" {{ method: test, result: pending, tested_version: \"4.2.0\" }}",
        control("verified", "vt")
    ));
    let (_, analysis) = analysed_at(Stage::Design, &text);
    assert!(finding_codes(&analysis).contains(&"E0405"));
    let t = analysis.threat("forge").unwrap();
    assert!(t.verified.controls.is_empty());
    assert_eq!(t.verified.risk.overall, RiskLevel::Unacceptable);
}

#[test]
fn a_version_bump_makes_older_evidence_stale() {
    let text = model(&format!(
        "{}\nverification vt \"Test\" {{ method: test, result: pass, tested_version: \"4.1.0\", scope: [pump] }}",
        control("verified", "vt")
    ));
    let (_, analysis) = analysed_at(Stage::Design, &text);
    let evidence = &analysis.evidence[0];
    assert!(!evidence.verified);
    assert!(evidence.passing.is_empty());
    assert_eq!(evidence.stale.len(), 1);
    assert_eq!(evidence.stale[0].tested.as_deref(), Some("4.1.0"));
    assert_eq!(evidence.stale[0].current, "4.2.0");
    let w0432 = analysis
        .findings
        .iter()
        .find(|d| d.code == "W0432")
        .expect("W0432");
    assert!(
        w0432
            .message
            .contains("`vt` tested version `4.1.0`, but `pump` is at version `4.2.0`"),
        "{}",
        w0432.message
    );
    // No tested version at all, for a versioned component: stale too.
    let untested = text.replace("tested_version: \"4.1.0\", ", "");
    let (_, analysis) = analysed_at(Stage::Design, &untested);
    assert!(!analysis.evidence[0].verified);
    let w0432 = analysis
        .findings
        .iter()
        .find(|d| d.code == "W0432")
        .unwrap();
    assert!(
        w0432.message.contains("does not say which version"),
        "{}",
        w0432.message
    );
    // The current version: verified, no finding.
    let current = text.replace("4.1.0", "4.2.0");
    let (_, analysis) = analysed_at(Stage::Submission, &current);
    assert!(analysis.evidence[0].verified);
    assert!(
        !analysis.findings.iter().any(|d| d.is_error()),
        "{:?}",
        finding_codes(&analysis)
    );
}

#[test]
fn unrated_data_is_a_gap_and_stated_none_is_not() {
    let text = format!(
        "{BASE}\ndata note \"Note\" {{ kind: other, confidentiality: low }}\ncomponent box \"Box\" in hw {{ kind: device, stores: [note] }}"
    );
    let (_, design) = analysed_at(Stage::Design, &text);
    let w0440: Vec<_> = design
        .findings
        .iter()
        .filter(|d| d.code == "W0440")
        .collect();
    assert_eq!(w0440.len(), 1);
    assert_eq!(w0440[0].severity, Severity::Warning);
    assert_eq!(
        w0440[0].message,
        "data `note` has no `integrity` or `availability` rating"
    );
    let (_, submission) = analysed_at(Stage::Submission, &text);
    let w0440 = submission
        .findings
        .iter()
        .find(|d| d.code == "W0440")
        .unwrap();
    assert_eq!(w0440.severity, Severity::Error);
    let rated = text.replace(
        "kind: other, confidentiality: low",
        "kind: other, confidentiality: low, integrity: none, availability: none",
    );
    let (_, analysis) = analysed_at(Stage::Submission, &rated);
    assert!(!finding_codes(&analysis).contains(&"W0440"));
}

#[test]
fn submission_asks_for_criteria_the_overall_statement_and_the_hazardous_situation() {
    let verified = format!(
        "{}\nverification vt \"Test\" {{ method: test, result: pass, tested_version: \"4.2.0\", scope: [pump] }}",
        control("verified", "vt")
    );
    let text = model(&verified)
        .replace(
            "  acceptance: \"Forged commands are rejected in 100 of 100 trials.\"\n",
            "",
        )
        .replace(", overall_residual: \"Acceptable: see RMF-12.\"", "")
        .replace(
            "  hazardous_situation: \"A forged bolus is delivered\"\n",
            "",
        )
        .replace("  rmf_ref: \"HA-001\"\n", "");
    let (_, design) = analysed_at(Stage::Design, &text);
    let codes = finding_codes(&design);
    // Design: the hazardous situation is a warning; the submission-only
    // checks (the risk-file reference among them) are silent.
    assert!(codes.contains(&"W0436"), "{codes:?}");
    assert!(
        !codes.contains(&"W0437") && !codes.contains(&"E0433") && !codes.contains(&"E0438"),
        "{codes:?}"
    );
    assert!(!design.findings.iter().any(|d| d.is_error()), "{codes:?}");

    let (_, submission) = analysed_at(Stage::Submission, &text);
    let severity = |code: &str| {
        submission
            .findings
            .iter()
            .find(|d| d.code == code)
            .map(|d| d.severity)
    };
    assert_eq!(severity("E0433"), Some(Severity::Error));
    assert_eq!(severity("E0438"), Some(Severity::Error));
    assert_eq!(severity("W0436"), Some(Severity::Error));
    // The missing risk-file reference is a warning, at submission only.
    assert_eq!(severity("W0437"), Some(Severity::Warning));
    let w0436 = submission
        .findings
        .iter()
        .find(|d| d.code == "W0436")
        .unwrap();
    assert!(
        w0436
            .notes
            .iter()
            .any(|n| n.contains("on 1 row of the safety transfer")),
        "{:?}",
        w0436.notes
    );
}

#[test]
fn the_stage_comes_from_ward_toml_and_a_bad_one_is_refused() {
    let text = model("");
    let compiled = ward_model::compile_memory(
        &[("Ward.toml", "stage = \"submission\"\n"), ("m.ward", &text)],
        "Ward.toml",
    );
    assert_eq!(compiled.model.stage, Stage::Submission);
    let compiled = ward_model::compile_memory(&[("m.ward", &text)], ".");
    assert_eq!(compiled.model.stage, Stage::Design);
    let compiled = ward_model::compile_memory(
        &[("Ward.toml", "stage = \"final\"\n"), ("m.ward", &text)],
        "Ward.toml",
    );
    let error = compiled
        .diagnostics
        .iter()
        .find(|d| d.code == "E0102")
        .expect("E0102 for an unknown stage");
    assert!(
        error.message.contains("unknown stage `final`"),
        "{}",
        error.message
    );
}

#[test]
fn a_date_must_be_a_calendar_date() {
    let text = model(
        "verification vt \"Test\" { method: test, result: pass, date: \"2026-02-30\" }\nverification ok \"Test\" { method: test, result: pass, date: \"2026-02-28\" }",
    );
    let compiled = ward_model::compile_str("m.ward", &text);
    let errors: Vec<_> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.code == "E0216")
        .collect();
    assert_eq!(errors.len(), 1, "{:?}", compiled.diagnostics);
    assert!(errors[0]
        .message
        .contains("`2026-02-30` is not a calendar date"));
    assert_eq!(
        compiled.model.verifications[1].date.as_deref(),
        Some("2026-02-28")
    );
}
