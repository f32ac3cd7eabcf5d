//! Acceptance: one `accept` may cover an explicit list of threats, each
//! judged on its own (stale or not), and at the submission stage an
//! acceptance is a decision record (E0434) with a real benefit-risk
//! rationale for an unacceptable residual (E0435).

mod common;
use common::PRELUDE;
use std::path::PathBuf;
use ward_analysis::acceptance_checks::{ACCEPT_WITHOUT_RECORD, PLACEHOLDER_BENEFIT_RISK};
use ward_analysis::{analyze, Analysis};
use ward_diagnostics::Diagnostic;
use ward_model::{compile_str, Compiled, RiskLevel, Stage};

/// After `PRELUDE`: a pump commanded from a phone app, and three threats:
/// `tamper` unacceptable, `jam` and `peek` at review.
const MODEL: &str = r#"
hazard overdose "Overdose" { severity: catastrophic }
data dose "Dose command" { kind: command, confidentiality: low, integrity: high, hazards { integrity: [overdose] } }
data status "Pump status" { kind: telemetry, availability: medium }
component app "App" in home { kind: mobile_app }
component pump "Pump" in hw { kind: device }
flow f_dose: app -> pump { protocol: ble, carries: [dose] }
flow f_status: pump -> app { protocol: ble, carries: [status] }
threat tamper "Tamper" { stride: [tampering], targets: [f_dose], exploitability: moderate }
threat jam "Jam" { stride: [denial_of_service], targets: [f_status], exploitability: high }
threat peek "Peek" { stride: [information_disclosure], targets: [f_dose], exploitability: high }
"#;

/// `MODEL` plus `accepts`, compiled without errors and analysed at `stage`.
fn at(stage: Stage, accepts: &str) -> (Compiled, Analysis) {
    let text = format!("{PRELUDE}{MODEL}{accepts}");
    let mut compiled = compile_str("model.ward", &text);
    let errors: Vec<&Diagnostic> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{text}");
    compiled.model.stage = stage;
    let analysis = analyze(&compiled.model);
    (compiled, analysis)
}

fn with_code(analysis: &Analysis, code: ward_diagnostics::Code) -> Vec<&Diagnostic> {
    analysis
        .findings
        .iter()
        .filter(|d| d.code == code)
        .collect()
}

fn text(compiled: &Compiled, span: ward_diagnostics::Span) -> String {
    compiled.sources.get(span.file).text[span.range()].to_string()
}

#[test]
fn each_threat_of_a_list_is_accepted_by_the_one_accept() {
    let (_, analysis) = at(
        Stage::Design,
        "accept [peek, jam] { level: review, rationale: \"Both are nuisances the alarm reveals\" }\n",
    );
    for id in ["peek", "jam"] {
        let t = analysis.threat(id).unwrap();
        assert_eq!(t.judged, RiskLevel::Review, "{id}");
        let a = t
            .acceptance
            .as_ref()
            .unwrap_or_else(|| panic!("{id} is accepted"));
        assert_eq!(a.accept.index(), 0, "{id}");
        assert_eq!(a.level, RiskLevel::Review, "{id}");
        assert!(!a.stale, "{id}");
    }
    assert!(analysis.threat("tamper").unwrap().acceptance.is_none());
    // Accepted: no "review, not accepted" for either.
    let review: Vec<&str> = with_code(&analysis, ward_diagnostics::Code::W0402)
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert!(review.is_empty(), "{review:?}");
}

#[test]
fn each_threat_of_a_list_is_stale_or_not_on_its_own() {
    let (compiled, analysis) = at(
        Stage::Design,
        "accept [peek, tamper] { level: review, rationale: \"One rationale\" }\n",
    );
    let peek = analysis
        .threat("peek")
        .unwrap()
        .acceptance
        .as_ref()
        .unwrap();
    assert!(!peek.stale);
    let tamper = analysis.threat("tamper").unwrap();
    assert_eq!(tamper.judged, RiskLevel::Unacceptable);
    assert!(tamper.acceptance.as_ref().unwrap().stale);
    let stale = with_code(&analysis, ward_diagnostics::Code::E0404);
    let [e] = stale.as_slice() else {
        panic!("one E0404: {stale:#?}")
    };
    assert_eq!(
        e.message,
        "stale acceptance of `tamper` by `accept [peek, tamper]`: it accepts `review` but the residual risk is `unacceptable`"
    );
    assert_eq!(text(&compiled, e.span.unwrap()), "review");
    let labels: Vec<(String, &str)> = e
        .labels
        .iter()
        .map(|l| (text(&compiled, l.span), l.message.as_str()))
        .collect();
    assert_eq!(
        labels,
        [
            ("tamper".to_string(), "`tamper` is accepted here"),
            (
                "tamper".to_string(),
                "`tamper` has residual risk `unacceptable`"
            ),
        ]
    );
    // The first points into the list, the second at the declaration.
    let list_start = compiled.model.accepts[0].meta.name_span.start;
    assert!(e.labels[0].span.start > list_start);
    assert!(e.labels[1].span.start < list_start);
}

#[test]
fn a_single_form_stale_acceptance_keeps_its_message() {
    let (_, analysis) = at(
        Stage::Design,
        "accept tamper { level: review, rationale: \"r\" }\n",
    );
    let stale = with_code(&analysis, ward_diagnostics::Code::E0404);
    assert_eq!(
        stale.iter().map(|d| d.message.as_str()).collect::<Vec<_>>(),
        ["stale acceptance of `tamper`: it accepts `review` but the residual risk is `unacceptable`"]
    );
    assert_eq!(stale[0].labels.len(), 1);
}

#[test]
fn at_submission_an_accept_needs_approved_by_and_date() {
    let cases = [
        ("", Some("no `approved_by` and `date`")),
        ("approved_by: \"Risk board, RR-7\"", Some("no `date`")),
        ("date: \"2026-03-14\"", Some("no `approved_by`")),
        (
            "approved_by: \"Risk board, RR-7\", date: \"2026-03-14\"",
            None,
        ),
    ];
    for (record, missing) in cases {
        let accepts =
            format!("accept [peek, jam] {{ level: review, rationale: \"r\", {record} }}\n");
        let (compiled, analysis) = at(Stage::Submission, &accepts);
        let found = with_code(&analysis, ACCEPT_WITHOUT_RECORD);
        match missing {
            None => assert!(found.is_empty(), "{record}: {found:#?}"),
            Some(missing) => {
                let [e] = found.as_slice() else {
                    panic!("{record}: one E0434: {found:#?}")
                };
                assert!(e.is_error());
                assert_eq!(
                    e.message,
                    format!(
                        "`accept [peek, jam]` does not record who accepted the residual risk and when: {missing}"
                    )
                );
                assert_eq!(text(&compiled, e.span.unwrap()), "[peek, jam]");
                assert!(e.help.as_deref().unwrap().contains("ISO 14971 §7.4"));
            }
        }
        // A design is still a draft: nothing.
        let (_, design) = at(Stage::Design, &accepts);
        assert!(
            with_code(&design, ACCEPT_WITHOUT_RECORD).is_empty(),
            "{record}"
        );
    }
}

#[test]
fn at_submission_an_unacceptable_residual_needs_a_real_benefit_risk_rationale() {
    let record = "approved_by: \"Risk board, RR-7\", date: \"2026-03-14\"";
    for (benefit_risk, placeholder) in [
        ("none", true),
        ("N/A", true),
        ("  tbd ", true),
        ("-", true),
        ("", true),
        (
            "BRA-2026-03: insulin delivery outweighs the residual risk",
            false,
        ),
    ] {
        let accepts = format!(
            "accept tamper {{ level: unacceptable, rationale: \"r\", benefit_risk: \"{benefit_risk}\", {record} }}\n"
        );
        let (compiled, analysis) = at(Stage::Submission, &accepts);
        assert_eq!(
            analysis.threat("tamper").unwrap().judged,
            RiskLevel::Unacceptable
        );
        let found = with_code(&analysis, PLACEHOLDER_BENEFIT_RISK);
        if !placeholder {
            assert!(found.is_empty(), "{benefit_risk:?}: {found:#?}");
            continue;
        }
        let [e] = found.as_slice() else {
            panic!("{benefit_risk:?}: one E0435: {found:#?}")
        };
        assert!(e.is_error());
        assert_eq!(
            e.message,
            format!(
                "`accept tamper` accepts the unacceptable verified residual risk of `tamper` without a benefit-risk rationale: `benefit_risk: {benefit_risk:?}` states none"
            )
        );
        assert_eq!(
            text(&compiled, e.span.unwrap()),
            format!("\"{benefit_risk}\"")
        );
        assert!(with_code(&analysis, ACCEPT_WITHOUT_RECORD).is_empty());
        let (_, design) = at(Stage::Design, &accepts);
        assert!(
            with_code(&design, PLACEHOLDER_BENEFIT_RISK).is_empty(),
            "{benefit_risk:?}"
        );
    }
}

#[test]
fn a_placeholder_benefit_risk_is_not_reported_for_a_residual_that_is_not_unacceptable() {
    let (_, analysis) = at(
        Stage::Submission,
        "accept [peek, jam] { level: review, rationale: \"r\", benefit_risk: \"none\", approved_by: \"Board\", date: \"2026-03-14\" }\n",
    );
    assert!(with_code(&analysis, PLACEHOLDER_BENEFIT_RISK).is_empty());
}

fn docs() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/diagnostics")
}

/// The submission-only codes are not in `codes::ALL` (whose page examples
/// are checked at the design stage): their examples yield them at the
/// submission stage, and nothing else does.
#[test]
fn the_pages_of_e0434_and_e0435_have_examples_that_yield_them_at_submission() {
    for code in [ACCEPT_WITHOUT_RECORD, PLACEHOLDER_BENEFIT_RISK] {
        let page = std::fs::read_to_string(docs().join(format!("{code}.md"))).unwrap();
        assert!(page.starts_with(&format!("# {code}: ")), "{code}");
        assert!(page.contains("## Fix"), "{code}");
        let after = page.split("## Example").nth(1).expect("an example");
        let start = after.find("```ward\n").unwrap() + "```ward\n".len();
        let end = after[start..].find("```").unwrap();
        let example = &after[start..start + end];
        let mut compiled = compile_str("model.ward", example);
        assert!(
            !compiled.diagnostics.iter().any(Diagnostic::is_error),
            "{code}: {:#?}",
            compiled.diagnostics
        );
        compiled.model.stage = Stage::Submission;
        let analysis = analyze(&compiled.model);
        let codes: Vec<&str> = analysis.findings.iter().map(|d| d.code.as_str()).collect();
        assert!(codes.contains(&code.as_str()), "{code}: {codes:?}");
        compiled.model.stage = Stage::Design;
        let design = analyze(&compiled.model);
        assert!(
            !design.findings.iter().any(|d| d.code == code),
            "{code} at design"
        );
    }
}
