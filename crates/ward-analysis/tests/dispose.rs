//! Dispositions (docs/language.md §3.21): a `not_applicable` or
//! `false_positive` threat stays listed but is not open risk while its
//! pinned target hash holds; a change to its targets makes it stale (W0162,
//! whose fix writes the current hash) and open risk again; `mitigated`
//! without a verified control is W0161; a threat's own `impact` replaces
//! the impact derived from the data.

mod common;
use common::PRELUDE;
use ward_analysis::{analyze, codes, Analysis, ThreatAnalysis};
use ward_diagnostics::{apply_fixes, Code, Diagnostic};
use ward_model::{compile_str, CiaLevel, Compiled, DispositionStatus, RiskLevel, Stage};

/// After `PRELUDE`: a pump commanded from a phone app; `tamper` is
/// unacceptable and has no control.
const MODEL: &str = r#"
hazard overdose "Overdose" { severity: catastrophic }
data dose "Dose command" { kind: command, confidentiality: low, integrity: high, hazards { integrity: [overdose] } }
component app "App" in home { kind: mobile_app }
component pump "Pump" in hw { kind: device }
flow f_dose: app -> pump { protocol: ble, carries: [dose] }
threat tamper "Tamper" { stride: [tampering], targets: [f_dose], exploitability: moderate }
"#;

const RECORD: &str = "rationale: \"The link is wired inside the enclosure\"\n  approver: \"RRB-7\"\n  date: \"2026-07-16\"";

fn compiled(model: &str, extra: &str) -> (String, Compiled) {
    let text = format!("{PRELUDE}{model}{extra}");
    let compiled = compile_str("model.ward", &text);
    let errors: Vec<&Diagnostic> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{text}");
    (text, compiled)
}

fn at(stage: Stage, model: &str, extra: &str) -> (String, Analysis) {
    let (text, mut compiled) = compiled(model, extra);
    compiled.model.stage = stage;
    (text, analyze(&compiled.model))
}

fn threat<'a>(analysis: &'a Analysis, id: &str) -> &'a ThreatAnalysis {
    analysis
        .threats
        .iter()
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("no threat {id}"))
}

fn with_code(analysis: &Analysis, code: Code) -> Vec<&Diagnostic> {
    analysis
        .findings
        .iter()
        .filter(|d| d.code == code)
        .collect()
}

/// The hash of `tamper`'s targets in `model`, as a disposition pins it.
fn current_hash(model: &str) -> String {
    let (_, analysis) = at(
        Stage::Design,
        model,
        "disposition tamper { status: in_progress }\n",
    );
    let hash = threat(&analysis, "tamper")
        .disposition
        .as_ref()
        .expect("a disposition")
        .current_hash
        .clone();
    assert!(
        hash.starts_with("sha256:") && hash.len() == 7 + 64,
        "{hash}"
    );
    hash
}

fn not_applicable(hash: &str) -> String {
    format!("disposition tamper {{\n  status: not_applicable\n  {RECORD}\n  target_hash: \"{hash}\"\n}}\n")
}

#[test]
fn a_not_applicable_threat_is_listed_but_not_open_risk() {
    let (_, open) = at(Stage::Design, MODEL, "");
    assert_eq!(threat(&open, "tamper").judged, RiskLevel::Unacceptable);
    assert_eq!(with_code(&open, codes::UNACCEPTABLE_RESIDUAL).len(), 1);

    let (_, analysis) = at(Stage::Design, MODEL, &not_applicable(&current_hash(MODEL)));
    let t = threat(&analysis, "tamper");
    let d = t.disposition.as_ref().expect("a disposition");
    assert_eq!(d.status, DispositionStatus::NotApplicable);
    assert!(d.dispositioned && !d.stale);
    // Still scored and listed, with its risk; only the verdict differs.
    assert_eq!(t.judged, RiskLevel::Unacceptable);
    assert_eq!(analysis.threats.len(), open.threats.len());
    for code in [
        codes::UNACCEPTABLE_RESIDUAL,
        codes::NO_CONTROL,
        codes::STALE_DISPOSITION,
    ] {
        assert!(with_code(&analysis, code).is_empty(), "{code:?}");
    }
}

#[test]
fn a_change_to_a_target_makes_the_disposition_stale_and_the_threat_open_again() {
    let pinned = current_hash(MODEL);
    let changed = MODEL.replace("protocol: ble", "protocol: ble, encrypted: true");
    assert_ne!(current_hash(&changed), pinned);
    let (_, analysis) = at(Stage::Design, &changed, &not_applicable(&pinned));
    let d = threat(&analysis, "tamper").disposition.clone().unwrap();
    assert!(d.stale && !d.dispositioned);
    let stale = with_code(&analysis, codes::STALE_DISPOSITION);
    assert_eq!(stale.len(), 1);
    assert!(!stale[0].is_error());
    assert_eq!(with_code(&analysis, codes::UNACCEPTABLE_RESIDUAL).len(), 1);
    // A change elsewhere in the model does not touch it.
    let elsewhere = format!("{MODEL}component cloud_api \"API\" in cloud {{ kind: service }}\n");
    assert_eq!(current_hash(&elsewhere), pinned);

    let (_, submission) = at(Stage::Submission, &changed, &not_applicable(&pinned));
    let stale = with_code(&submission, codes::STALE_DISPOSITION);
    assert!(stale.len() == 1 && stale[0].is_error());
}

#[test]
fn the_fix_writes_the_current_hash_and_the_disposition_holds_again() {
    for extra in [
        // No hash at all: the fix inserts it.
        format!("disposition tamper {{\n  status: false_positive\n  {RECORD}\n}}\n"),
        // An outdated hash: the fix replaces it.
        not_applicable("sha256:0000"),
    ] {
        let (text, analysis) = at(Stage::Design, MODEL, &extra);
        assert!(
            !threat(&analysis, "tamper")
                .disposition
                .as_ref()
                .unwrap()
                .dispositioned
        );
        let stale = with_code(&analysis, codes::STALE_DISPOSITION);
        assert_eq!(stale.len(), 1, "{extra}");
        let fixed = apply_fixes(&text, stale[0].fixes.iter());
        assert_eq!(fixed.applied, 1);
        assert!(fixed.text.contains(&current_hash(MODEL)), "{}", fixed.text);
        let mut recompiled = compile_str("model.ward", &fixed.text);
        recompiled.model.stage = Stage::Design;
        let analysis = analyze(&recompiled.model);
        assert!(
            threat(&analysis, "tamper")
                .disposition
                .as_ref()
                .unwrap()
                .dispositioned
        );
        assert!(with_code(&analysis, codes::STALE_DISPOSITION).is_empty());
    }
}

#[test]
fn tracking_statuses_change_no_risk_and_mitigated_needs_a_verified_control() {
    let (_, open) = at(Stage::Design, MODEL, "");
    let control = r#"
control seal "Sealed link" {
  category: integrity
  requirement: "The link shall be sealed."
  mitigates: [tamper]
  residual_exploitability: very_low
  verification: [test "Seal inspection"]
}
"#;
    let (_, tracked) = at(
        Stage::Design,
        &format!("{MODEL}{control}"),
        "disposition tamper { status: mitigated, ticket: \"SEC-9\" }\n",
    );
    let t = threat(&tracked, "tamper");
    assert!(!t.disposition.as_ref().unwrap().dispositioned);
    assert_eq!(t.initial, threat(&open, "tamper").initial);
    let warned = with_code(&tracked, codes::MITIGATED_WITHOUT_EVIDENCE);
    assert_eq!(warned.len(), 1);
    assert!(warned[0].message.contains("`tamper`"));

    let verified = control.replace(
        "verification: [test \"Seal inspection\"]",
        "verification: [test \"Seal inspection\"]\n  status: verified",
    );
    let evidence =
        "verification seal_test \"Seal inspection\" { method: inspection, result: pass }\n";
    let verified = verified.replace("[test \"Seal inspection\"]", "[seal_test]");
    let (_, done) = at(
        Stage::Design,
        &format!("{MODEL}{verified}{evidence}"),
        "disposition tamper { status: mitigated, ticket: \"SEC-9\" }\n",
    );
    assert!(threat(&done, "tamper").verified.risk.overall <= RiskLevel::Review);
    assert!(with_code(&done, codes::MITIGATED_WITHOUT_EVIDENCE).is_empty());
}

#[test]
fn a_threat_has_one_disposition_and_a_decision_needs_its_record() {
    let text = format!(
        "{PRELUDE}{MODEL}disposition tamper {{ status: in_progress }}\ndisposition tamper {{ status: open }}\n"
    );
    let compiled = compile_str("model.ward", &text);
    let codes: Vec<&str> = compiled
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["E0162"]);

    let text = format!(
        "{PRELUDE}{MODEL}disposition tamper {{ status: not_applicable, approver: \"RRB-7\" }}\n"
    );
    let compiled = compile_str("model.ward", &text);
    let e0161: Vec<&Diagnostic> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "E0161")
        .collect();
    assert_eq!(e0161.len(), 1);
    assert!(
        e0161[0].message.contains("`rationale`, `date`"),
        "{}",
        e0161[0].message
    );
    // The decision does not count: the threat stays open risk.
    assert_eq!(
        compiled.model.dispositions[0].status,
        DispositionStatus::Open
    );
}

#[test]
fn an_unknown_threat_reference_gets_a_did_you_mean() {
    let text = format!("{PRELUDE}{MODEL}disposition tamperr {{ status: open }}\n");
    let compiled = compile_str("model.ward", &text);
    let d = compiled
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "E0111")
        .expect("E0111");
    assert!(
        d.help.as_deref().unwrap_or("").contains("`tamper`"),
        "{d:?}"
    );
    assert!(!d.fixes.is_empty());
}

#[test]
fn a_stated_impact_replaces_the_derived_one() {
    // `dose` is rated low for confidentiality: disclosure derives `low`.
    let peek = "threat peek \"Peek\" { stride: [information_disclosure], targets: [f_dose], exploitability: high }\n";
    let (_, derived) = at(Stage::Design, &format!("{MODEL}{peek}"), "");
    let t = threat(&derived, "peek");
    assert_eq!(t.impact, CiaLevel::Low);
    assert!(!t.impact_by_hand);

    let stated = peek.replace("exploitability: high", "exploitability: high, impact: high");
    let (_, by_hand) = at(Stage::Design, &format!("{MODEL}{stated}"), "");
    let t2 = threat(&by_hand, "peek");
    assert_eq!(t2.impact, CiaLevel::High);
    assert!(t2.impact_by_hand);
    assert!(
        t2.initial.security > t.initial.security,
        "{:?} vs {:?}",
        t2.initial,
        t.initial
    );
    assert!(t2.planned.risk.security > t.planned.risk.security);
}
