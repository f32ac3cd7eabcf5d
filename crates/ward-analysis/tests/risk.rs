//! Risk semantics (spec §4) on Ward text: initial and residual risk,
//! planned and verified residuals, the policy's `require_verified` and
//! `controlled`, acceptance, transfer to the user, CVSS exploitability.

mod common;
use common::risk::model;
use ward_analysis::{Analysis, ExploitabilitySource, ThreatAnalysis};
use ward_model::{Compiled, RiskLevel};

fn threat<'a>(analysis: &'a Analysis, id: &str) -> &'a ThreatAnalysis {
    analysis
        .threat(id)
        .unwrap_or_else(|| panic!("no threat `{id}`"))
}

fn names(compiled: &Compiled, levels: &[ward_model::HazardId]) -> Vec<String> {
    levels
        .iter()
        .map(|h| compiled.model.hazard(*h).meta.name.clone())
        .collect()
}

#[test]
fn initial_risk_from_data_hazards_and_exploitability() {
    let (compiled, analysis) = model(
        "",
        r#"
        threat tamper "Tamper" { stride: [tampering], targets: [f_dose], exploitability: moderate }
        threat jam "Jam" { stride: [denial_of_service], targets: [pump], exploitability: high }
        threat peek "Peek" { stride: [information_disclosure], targets: [f_dose], exploitability: high }
        "#,
    );
    let policy = compiled.model.policy();
    let t = threat(&analysis, "tamper");
    assert_eq!(names(&compiled, &t.hazards), vec!["overdose"]);
    assert_eq!(policy.severity_name(t.severity.unwrap()), "catastrophic");
    assert_eq!(t.impact, ward_model::CiaLevel::High);
    assert_eq!(t.initial.security, RiskLevel::Review);
    assert_eq!(t.initial.safety, Some(RiskLevel::Unacceptable));
    assert_eq!(t.initial.overall, RiskLevel::Unacceptable);
    // Availability of the pump: its own hazard block and the data it receives.
    let j = threat(&analysis, "jam");
    assert_eq!(names(&compiled, &j.hazards), vec!["missed"]);
    assert_eq!(j.impact, ward_model::CiaLevel::Medium);
    assert_eq!(
        (j.initial.security, j.initial.safety),
        (RiskLevel::Review, Some(RiskLevel::Review))
    );
    // Confidentiality: no hazard, security risk only.
    let p = threat(&analysis, "peek");
    assert!(p.hazards.is_empty() && p.severity.is_none() && p.initial.safety.is_none());
    assert_eq!(p.initial.overall, RiskLevel::Review);
}

#[test]
fn planned_residual_counts_every_control_and_verified_only_verified_ones() {
    let (compiled, analysis) = model(
        "",
        r#"
        threat tamper "Tamper" { stride: [tampering], targets: [f_dose], exploitability: very_high }
        control auth "Auth" {
          category: authentication, requirement: "R", mitigates: [tamper], reduces: 2
          verification: [vt_pass], status: verified
        }
        control limit "Dose limit" {
          category: integrity, requirement: "R", mitigates: [tamper], reduces: 1, independent: true
          limits { overdose: serious }
          verification: [test "bench"]
        }
        "#,
    );
    let policy = compiled.model.policy();
    let t = threat(&analysis, "tamper");
    assert_eq!(t.planned.reduction, 3);
    assert_eq!(policy.exploitability_name(t.planned.exploitability), "low");
    assert_eq!(policy.severity_name(t.planned.severity.unwrap()), "serious");
    assert_eq!(t.planned.risk.overall, RiskLevel::Review); // security high x low
    assert_eq!(t.verified.reduction, 2);
    assert_eq!(
        policy.exploitability_name(t.verified.exploitability),
        "moderate"
    );
    assert_eq!(
        policy.severity_name(t.verified.severity.unwrap()),
        "catastrophic"
    );
    assert_eq!(t.verified.risk.overall, RiskLevel::Unacceptable);
    assert_eq!(t.judged, RiskLevel::Review);
    assert!(!t.controlled);
    // Acceptability rests on the unverified control: a warning.
    let codes: Vec<&str> = analysis.findings.iter().map(|d| d.code.as_str()).collect();
    assert!(codes.contains(&"W0408"), "{codes:?}");
    assert!(codes.contains(&"W0402"), "{codes:?}");
}

#[test]
fn require_verified_judges_the_verified_residual() {
    let body = r#"
        threat tamper "Tamper" { stride: [tampering], targets: [f_dose], exploitability: moderate }
        control auth "Auth" { category: authentication, requirement: "R", mitigates: [tamper], reduces: 2, verification: [vt_pass] }
        "#;
    let (_, planned) = model("require_verified: false", body);
    // moderate - 2 = very_low; catastrophic x very_low = review.
    assert_eq!(threat(&planned, "tamper").judged, RiskLevel::Review);
    let (_, verified) = model("require_verified: true", body);
    let t = threat(&verified, "tamper");
    assert_eq!(t.judged, RiskLevel::Unacceptable);
    assert!(!t.controlled);
    let finding = verified
        .findings
        .iter()
        .find(|d| d.code == "E0401")
        .expect("E0401");
    assert!(
        finding.message.contains("verified residual"),
        "{}",
        finding.message
    );
    // No "rests on unverified controls" warning when verified is what is judged.
    assert!(!verified.findings.iter().any(|d| d.code == "W0408"));
}

#[test]
fn the_policy_controlled_list_decides_controlled() {
    let body = r#"
        threat jam "Jam" { stride: [denial_of_service], targets: [pump], exploitability: high }
        "#;
    let (_, strict) = model("controlled: [acceptable]", body);
    assert!(!threat(&strict, "jam").controlled);
    let (_, lenient) = model("controlled: [acceptable, review]", body);
    assert_eq!(threat(&lenient, "jam").judged, RiskLevel::Review);
    assert!(threat(&lenient, "jam").controlled);
}

#[test]
fn residual_exploitability_caps_and_never_exceeds_the_initial_level() {
    let (compiled, analysis) = model(
        "",
        r#"
        threat a "A" { stride: [tampering], targets: [f_dose], exploitability: high }
        threat b "B" { stride: [tampering], targets: [f_dose], exploitability: low }
        control cap "Cap" {
          category: integrity, requirement: "R", mitigates: [a, b], residual_exploitability: moderate
          verification: [vt_pass]
        }
        "#,
    );
    let policy = compiled.model.policy();
    assert_eq!(
        policy.exploitability_name(threat(&analysis, "a").planned.exploitability),
        "moderate"
    );
    assert_eq!(
        threat(&analysis, "a").planned.capped_by,
        compiled.model.find_control("cap")
    );
    assert_eq!(
        policy.exploitability_name(threat(&analysis, "b").planned.exploitability),
        "low"
    );
    assert_eq!(threat(&analysis, "b").planned.capped_by, None);
}

#[test]
fn information_for_safety_lowers_nothing_and_transfers_the_threat() {
    let (_, analysis) = model(
        "",
        r#"
        threat jam "Jam" { stride: [denial_of_service], targets: [pump], exploitability: high }
        control label "Labeling" {
          category: resiliency, requirement: "Tell users", mitigates: [jam]
          option: information_for_safety, verification: [vt_pass]
        }
        "#,
    );
    let t = threat(&analysis, "jam");
    assert!(t.transferred);
    assert_eq!(t.controls.len(), 1);
    assert!(t.planned.controls.is_empty());
    assert_eq!(t.planned.risk, t.initial);
}

#[test]
fn acceptance_is_stale_when_its_level_differs_from_the_judged_residual() {
    let (_, analysis) = model(
        "",
        r#"
        threat jam "Jam" { stride: [denial_of_service], targets: [pump], exploitability: high }
        threat peek "Peek" { stride: [information_disclosure], targets: [f_dose], exploitability: high }
        accept jam { level: review, rationale: "Jamming cannot be prevented" }
        accept peek { level: unacceptable, rationale: "r", benefit_risk: "BRA-1" }
        "#,
    );
    let jam = threat(&analysis, "jam").acceptance.as_ref().unwrap();
    assert!(!jam.stale);
    let peek = threat(&analysis, "peek");
    assert!(peek.acceptance.as_ref().unwrap().stale);
    let stale: Vec<_> = analysis
        .findings
        .iter()
        .filter(|d| d.code == "E0404")
        .collect();
    assert_eq!(stale.len(), 1);
    assert!(
        stale[0].message.contains("`unacceptable`"),
        "{}",
        stale[0].message
    );
    assert!(
        stale[0].message.contains("`review`"),
        "{}",
        stale[0].message
    );
    // Accepted threats get no residual finding.
    assert!(!analysis
        .findings
        .iter()
        .any(|d| d.code == "W0402" || d.code == "E0401"));
}

#[test]
fn cvss_vectors_give_the_exploitability_and_its_source() {
    let (compiled, analysis) = model(
        "",
        r#"
        threat remote "Remote" { stride: [tampering], targets: [f_dose], cvss: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" }
        threat local "Local" { stride: [tampering], targets: [f_dose], cvss: "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:H/A:N" }
        "#,
    );
    let policy = compiled.model.policy();
    let remote = threat(&analysis, "remote");
    assert_eq!(
        policy.exploitability_name(remote.exploitability),
        "very_high"
    );
    match &remote.exploitability_source {
        ExploitabilitySource::Cvss {
            base_score,
            exploitability_subscore,
            ..
        } => {
            assert_eq!(
                format!("{base_score:.1}/{exploitability_subscore:.1}"),
                "9.8/3.9"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        policy.exploitability_name(threat(&analysis, "local").exploitability),
        "very_low"
    );
}

#[test]
fn multi_patient_and_paths_reach_the_threats() {
    let (_, analysis) = model(
        "",
        r#"
        zone cloud "Cloud" { trust: controlled }
        component api "API" in cloud { kind: service, fleet: shared }
        flow f_push: api -> app { protocol: https, carries: [cmd] }
        threat t "T" { stride: [tampering], targets: [pump], exploitability: low }
        threat u "U" { stride: [tampering], targets: [f_dose], exploitability: low }
        "#,
    );
    let t = threat(&analysis, "t");
    assert!(t.multi_patient);
    // One path from the app (home is untrusted) to the pump, through f_dose.
    assert_eq!(t.paths.len(), 1);
    assert_eq!(threat(&analysis, "u").paths, t.paths);
}

#[test]
fn equal_caps_and_limits_name_the_same_control_in_any_declaration_order() {
    // Found by tests/properties.rs: of two equal caps, the first declared
    // was named, so shuffling declarations changed `capped_by`.
    let controls = [
        r#"control zeta "Z" { category: integrity, requirement: "R", mitigates: [a], residual_exploitability: low, limits { overdose: minor }, verification: [vt_pass] }"#,
        r#"control alpha "A" { category: integrity, requirement: "R", mitigates: [a], residual_exploitability: low, limits { overdose: minor }, verification: [vt_pass] }"#,
    ];
    for order in [[0, 1], [1, 0]] {
        let body = format!(
            "threat a \"A\" {{ stride: [tampering], targets: [f_dose], exploitability: high }}\n{}\n{}\n",
            controls[order[0]], controls[order[1]]
        );
        let (compiled, analysis) = model("", &body);
        let planned = &threat(&analysis, "a").planned;
        let alpha = compiled.model.find_control("alpha");
        assert_eq!(planned.capped_by, alpha, "order {order:?}");
        let overdose = planned
            .severities
            .iter()
            .find(|s| compiled.model.hazard(s.hazard).meta.name == "overdose")
            .expect("overdose is a hazard of `a`");
        assert_eq!(overdose.limited_by, alpha, "order {order:?}");
    }
}
