//! Flow security properties and request/response links in the analysis:
//! each new `when` attribute evaluates to what the flow states, and a
//! request/response link (`returns`) yields the response direction's own
//! threats on the response data, with `per: link` rules still one threat
//! per link.

mod common;
use common::analysed_with_prelude;

use ward_analysis::{Analysis, ThreatAnalysis};
use ward_model::Compiled;

/// Flows that differ in one property each, and a rule per `when` under
/// test (a rule named `r0`, `r1`, ...).
fn matching_flows(flows: &str, whens: &[&str]) -> Vec<Vec<String>> {
    let mut text = String::from(
        "data q { kind: other }\ncomponent app in home { kind: mobile_app }\ncomponent api in cloud { kind: service }\n",
    );
    text.push_str(flows);
    for (i, when) in whens.iter().enumerate() {
        text.push_str(&format!(
            "rule r{i} \"R{i} {{id}}\" {{ stride: spoofing, applies_to: flow, exploitability: low, when: {when} }}\n"
        ));
    }
    let (compiled, analysis) = analysed_with_prelude(&text);
    (0..whens.len())
        .map(|i| {
            let rule = format!("r{i}");
            let mut flows: Vec<String> = analysis
                .threats
                .iter()
                .filter(|t| t.rule.as_deref() == Some(rule.as_str()))
                .flat_map(|t| t.targets.iter())
                .map(|t| compiled.model.target_name(*t).to_string())
                .collect();
            flows.sort();
            flows
        })
        .collect()
}

const AUTH_FLOWS: &str = "
flow none: app -> api { protocol: https, encrypted: true }
flow bare: app -> api { protocol: https, encrypted: true, authenticated: true }
flow mfa: app -> api { protocol: https, encrypted: true, auth: mfa }
flow token_blind: app -> api { protocol: https, encrypted: true, auth: token, server_authenticated: false }
flow old_tls: app -> api { protocol: https, encrypted: true, tls_version: tls1_0 }
flow new_tls: app -> api { protocol: https, encrypted: true, tls_version: tls1_3, identity: end_user }
flow batch: app -> api { protocol: https, encrypted: true, identity: service }
flow fetch: app -> api { protocol: https, encrypted: true, carries: [q], returns: [q] }
";

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn auth_evaluates_to_the_method_or_unspecified() {
    let got = matching_flows(
        AUTH_FLOWS,
        &[
            "auth == mfa",
            "auth == unspecified",
            "auth == none and protocol == https",
            "auth in [password, token]",
        ],
    );
    assert_eq!(got[0], names(&["mfa"]));
    assert_eq!(got[1], names(&["bare"]));
    assert_eq!(
        got[2],
        names(&[
            "batch",
            "fetch",
            "fetch.reverse",
            "new_tls",
            "none",
            "old_tls"
        ])
    );
    assert_eq!(got[3], names(&["token_blind"]));
}

#[test]
fn server_authenticated_follows_authenticated_unless_stated() {
    let got = matching_flows(
        AUTH_FLOWS,
        &[
            "server_authenticated",
            "authenticated and not server_authenticated",
        ],
    );
    assert_eq!(got[0], names(&["bare", "mfa"]));
    assert_eq!(got[1], names(&["token_blind"]));
}

#[test]
fn tls_version_is_ordered_and_unspecified_compares_with_nothing() {
    let got = matching_flows(
        AUTH_FLOWS,
        &[
            "tls_version < tls1_2",
            "tls_version >= tls1_2",
            "tls_version == unspecified and id == mfa",
        ],
    );
    assert_eq!(got[0], names(&["old_tls"]));
    assert_eq!(got[1], names(&["new_tls"]));
    assert_eq!(got[2], names(&["mfa"]));
}

#[test]
fn identity_and_is_response_evaluate() {
    let got = matching_flows(
        AUTH_FLOWS,
        &[
            "identity == service",
            "identity == end_user",
            "identity == unspecified and auth == mfa",
            "is_response",
        ],
    );
    assert_eq!(got[0], names(&["batch"]));
    assert_eq!(got[1], names(&["new_tls"]));
    assert_eq!(got[2], names(&["mfa"]));
    assert_eq!(got[3], names(&["fetch.reverse"]));
}

/// A portal asks the records API for a patient record over cleartext HTTP
/// inside the cloud: the request carries a query, the response the record.
const REQUEST_RESPONSE: &str = r#"
use std::stride
data query "Record query" { kind: other, integrity: medium, confidentiality: medium }
data record "Patient record" { kind: phi, confidentiality: high, integrity: high }
component portal in cloud { kind: web_app }
component records in cloud { kind: service }
flow lookup: portal -> records { protocol: http, carries: [query], returns: [record] }
"#;

fn threats_on<'a>(
    compiled: &Compiled,
    analysis: &'a Analysis,
    rule: &str,
) -> Vec<(&'a ThreatAnalysis, Vec<String>)> {
    analysis
        .threats
        .iter()
        .filter(|t| t.rule.as_deref() == Some(rule))
        .map(|t| {
            let targets = t
                .targets
                .iter()
                .map(|t| compiled.model.target_name(*t).to_string())
                .collect();
            (t, targets)
        })
        .collect()
}

#[test]
fn the_response_direction_has_its_own_threats_on_the_response_data() {
    let (compiled, analysis) = analysed_with_prelude(REQUEST_RESPONSE);
    // Cleartext PHI travels only in the response.
    let phi = threats_on(&compiled, &analysis, "cleartext_phi_in_transit");
    assert_eq!(phi.len(), 1, "{phi:?}");
    assert_eq!(phi[0].1, ["lookup.reverse"]);
    assert_eq!(phi[0].0.id, "cleartext_phi_in_transit@lookup.reverse");
    assert!(
        phi[0].0.title.contains("(record)") && !phi[0].0.title.contains("query"),
        "{}",
        phi[0].0.title
    );
    // The request's own data keeps its threats on the request only.
    let disclosure = threats_on(&compiled, &analysis, "flow_information_disclosure");
    assert_eq!(disclosure.len(), 1, "{disclosure:?}");
    assert_eq!(
        disclosure[0].1,
        ["lookup"],
        "the response is PHI: its own rule"
    );
    assert!(
        !disclosure[0].0.title.contains("record"),
        "{}",
        disclosure[0].0.title
    );
}

#[test]
fn a_link_rule_keeps_one_threat_per_request_response_link_naming_both_directions_data() {
    let (compiled, analysis) = analysed_with_prelude(REQUEST_RESPONSE);
    let tampering = threats_on(&compiled, &analysis, "flow_tampering");
    assert_eq!(tampering.len(), 1, "one threat for the link: {tampering:?}");
    assert_eq!(tampering[0].0.id, "flow_tampering@lookup");
    assert_eq!(tampering[0].1, ["lookup", "lookup.reverse"]);
    assert_eq!(
        tampering[0].0.title,
        "Tampering with query, record on http flow lookup without integrity protection"
    );
}

#[test]
fn a_two_way_flow_without_returns_keeps_its_titles() {
    let (compiled, analysis) = analysed_with_prelude(
        "use std::stride\n\
         data reading { kind: telemetry, integrity: high }\n\
         component app in home { kind: mobile_app }\n\
         component api in cloud { kind: service }\n\
         flow f: app <-> api { protocol: http, carries: [reading] }\n",
    );
    let tampering = threats_on(&compiled, &analysis, "flow_tampering");
    assert_eq!(tampering.len(), 1);
    assert_eq!(
        tampering[0].0.title,
        "Tampering with reading on http flow f without integrity protection"
    );
}

#[test]
fn server_authentication_decides_the_tls_middle_threat() {
    let (_, analysis) = analysed_with_prelude(
        "use std::stride\n\
         data reading { kind: telemetry }\n\
         component app in home { kind: mobile_app }\n\
         component api in cloud { kind: service }\n\
         flow checked: app -> api { protocol: https, carries: [reading], encrypted: true, authenticated: true }\n\
         flow blind: app -> api { protocol: https, carries: [reading], encrypted: true, auth: token, server_authenticated: false }\n\
         flow pinned: app -> api { protocol: https, carries: [reading], encrypted: true, server_authenticated: true }\n",
    );
    let ids: Vec<&str> = analysis
        .threats
        .iter()
        .filter(|t| t.rule.as_deref() == Some("tls_without_server_authentication"))
        .map(|t| t.id.as_str())
        .collect();
    assert_eq!(ids, ["tls_without_server_authentication@blind"]);
}
