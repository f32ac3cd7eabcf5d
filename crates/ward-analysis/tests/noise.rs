//! Less noise from rules (issue #16): a `per: link` rule keeps one threat
//! for both directions of a `<->` flow, a `group_by: target` rule one per
//! element its flows go into, and titles list only the data or interfaces
//! the threat is about. References to a merged threat get W0491 with a fix.

mod common;
use common::{analysed, analysed_with_prelude, finding_codes};

use ward_analysis::{codes, Analysis, ThreatAnalysis};
use ward_diagnostics::apply_fixes;
use ward_model::{compile_str, Compiled};

fn threats_of<'a>(analysis: &'a Analysis, rule: &str) -> Vec<&'a ThreatAnalysis> {
    analysis
        .threats
        .iter()
        .filter(|t| t.rule.as_deref() == Some(rule))
        .collect()
}

fn target_names(compiled: &Compiled, threat: &ThreatAnalysis) -> Vec<String> {
    threat
        .targets
        .iter()
        .map(|t| compiled.model.target_name(*t).to_string())
        .collect()
}

/// A BLE link both ways between a phone in the home and a pump, across a
/// trust boundary, without authentication.
const LINK: &str = r#"
use std::stride
data reading { kind: telemetry, availability: high, integrity: high }
component app in home { kind: mobile_app }
component pump in hw { kind: device }
flow f: app <-> pump { protocol: ble, carries: [reading] }
"#;

#[test]
fn a_link_rule_on_a_two_way_flow_yields_one_threat_on_the_forward_flow_naming_both_directions() {
    let (compiled, analysis) = analysed_with_prelude(LINK);
    let jamming = threats_of(&analysis, "wireless_jamming");
    assert_eq!(jamming.len(), 1, "one jamming threat for the link");
    assert_eq!(jamming[0].id, "wireless_jamming@f");
    assert_eq!(target_names(&compiled, jamming[0]), ["f", "f.reverse"]);
    assert_eq!(
        jamming[0].title,
        "Jamming of ble flow f between app and pump"
    );
}

#[test]
fn a_direction_rule_on_a_two_way_flow_still_yields_a_threat_per_direction() {
    let (compiled, analysis) = analysed_with_prelude(LINK);
    let spoofing = threats_of(&analysis, "unauthenticated_crossing");
    let ids: Vec<&str> = spoofing.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "unauthenticated_crossing@f",
            "unauthenticated_crossing@f.reverse"
        ]
    );
    assert_eq!(target_names(&compiled, spoofing[1]), ["f.reverse"]);
}

/// Three command flows into one service that keeps no log.
const THREE_COMMANDS: &str = r#"
use std::stride
data cmd { kind: command, integrity: high }
component portal in cloud { kind: web_app }
component app in home { kind: mobile_app }
component tool in home { kind: mobile_app }
component svc in cloud { kind: service }
flow f_portal: portal -> svc { protocol: https, carries: [cmd], authenticated: true, encrypted: true, integrity_protected: true }
flow f_app: app -> svc { protocol: https, carries: [cmd], authenticated: true, encrypted: true, integrity_protected: true }
flow f_tool: tool -> svc { protocol: https, carries: [cmd], authenticated: true, encrypted: true, integrity_protected: true }
"#;

#[test]
fn command_flows_into_one_service_yield_one_grouped_threat_listing_the_flows() {
    let (compiled, analysis) = analysed_with_prelude(THREE_COMMANDS);
    let unrecorded = threats_of(&analysis, "command_non_attribution");
    assert_eq!(unrecorded.len(), 1, "one threat per service, not per flow");
    assert_eq!(unrecorded[0].id, "command_non_attribution@svc");
    // By name, whatever the order of declarations (tests/properties.rs).
    assert_eq!(
        target_names(&compiled, unrecorded[0]),
        ["f_app", "f_portal", "f_tool"]
    );
    assert_eq!(
        unrecorded[0].title,
        "Commands on f_app, f_portal, f_tool to svc are not recorded"
    );
}

#[test]
fn a_grouped_threat_is_named_by_its_element_in_mitigates() {
    let (_, analysis) = analysed_with_prelude(&format!(
        "{THREE_COMMANDS}
control audit \"Audit log\" {{
  category: event_detection
  requirement: \"The service shall log every command.\"
  mitigates: [command_non_attribution@svc]
  verification: [test \"Commands logged\"]
}}"
    ));
    let unrecorded = threats_of(&analysis, "command_non_attribution");
    assert_eq!(unrecorded[0].controls.len(), 1, "the control mitigates it");
    let codes = finding_codes(&analysis);
    assert!(
        !codes.contains(&codes::STALE_REFERENCE.as_str()),
        "{codes:?}"
    );
    assert!(
        !codes.contains(&codes::MERGED_REFERENCE.as_str()),
        "{codes:?}"
    );
}

/// `text` with the safe fixes of the analysis findings applied.
fn fixed(analysis: &Analysis, text: &str) -> String {
    let fixes: Vec<_> = analysis
        .findings
        .iter()
        .filter(|d| d.code == codes::MERGED_REFERENCE)
        .flat_map(|d| d.fixes.iter())
        .collect();
    assert!(!fixes.is_empty(), "W0491 carries a fix");
    apply_fixes(text, fixes).text
}

#[test]
fn a_reference_to_a_merged_threat_gets_w0491_and_its_fix_names_the_kept_threat() {
    let control = |refs: &str| {
        format!(
            "control c \"C\" {{
  category: resiliency
  requirement: \"The pump shall alarm on lost links.\"
  mitigates: [{refs}]
  verification: [test \"Alarm\"]
}}"
        )
    };
    for (model, reference, kept) in [
        (LINK, "wireless_jamming@f.reverse", "wireless_jamming@f"),
        (
            THREE_COMMANDS,
            "command_non_attribution@f_app",
            "command_non_attribution@svc",
        ),
    ] {
        let text = format!("{}{model}{}", common::PRELUDE, control(reference));
        let (_, analysis) = analysed(&text);
        let merged: Vec<_> = analysis
            .findings
            .iter()
            .filter(|d| d.code == codes::MERGED_REFERENCE)
            .collect();
        assert_eq!(merged.len(), 1, "{reference}");
        assert!(merged[0].message.contains(kept), "{}", merged[0].message);
        assert!(!finding_codes(&analysis).contains(&codes::STALE_REFERENCE.as_str()));
        let after = fixed(&analysis, &text);
        assert!(after.contains(&format!("mitigates: [{kept}]")), "{after}");
        let (_, analysis) = analysed(&after);
        assert!(
            !finding_codes(&analysis).contains(&codes::MERGED_REFERENCE.as_str()),
            "the fixed model is clean"
        );
    }
}

#[test]
fn the_debug_interface_title_lists_only_debug_ports() {
    let (_, analysis) = analysed_with_prelude(
        "use std::stride
component pump in hw { kind: device, interfaces: [ble, usb, jtag, uart, swd] }",
    );
    let debug = threats_of(&analysis, "debug_port_exposed");
    assert_eq!(
        debug[0].title,
        "Debug interface on pump (jtag, swd) reachable with physical access"
    );
}

#[test]
fn cleartext_titles_name_only_the_data_of_their_kind() {
    let (_, analysis) = analysed_with_prelude(
        "use std::stride
data glucose { kind: phi, confidentiality: high }
data token { kind: credential, confidentiality: high }
data status { kind: telemetry, confidentiality: medium }
component app in home { kind: mobile_app }
component api in cloud { kind: service }
flow f: app -> api { protocol: http, carries: [glucose, token, status], authenticated: true }",
    );
    let phi = threats_of(&analysis, "cleartext_phi_in_transit");
    assert_eq!(phi[0].title, "Cleartext PHI (glucose) on http flow f");
    let credentials = threats_of(&analysis, "cleartext_credentials_in_transit");
    assert_eq!(
        credentials[0].title,
        "Cleartext credentials (token) on http flow f"
    );
}

#[test]
fn per_on_a_component_rule_is_w0490_and_an_unknown_filter_is_e0310() {
    let (_, analysis) = analysed(
        r#"system s "S" {}
zone z "Z" { trust: untrusted }
component c in z { kind: service }
rule r "R {id}" { stride: tampering, applies_to: component, per: link, exploitability: low }
"#,
    );
    assert!(
        finding_codes(&analysis).contains(&codes::FLOW_SHAPE_ON_ELEMENT_RULE.as_str()),
        "{:?}",
        finding_codes(&analysis)
    );
    let compiled = compile_str(
        "model.ward",
        r#"system s "S" {}
rule q "Q {carries:bogus} {interfaces:phi}" { stride: tampering, applies_to: flow, exploitability: low }
"#,
    );
    let codes: Vec<&str> = compiled
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    // `bogus` is no data kind, and `interfaces` only takes `debug`.
    assert_eq!(
        codes.iter().filter(|c| **c == "E0310").count(),
        2,
        "{codes:?}"
    );
}
