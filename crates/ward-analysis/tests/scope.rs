//! `out_of_scope` (docs/language.md §3.6 "Out of scope"): no rule threats on
//! an out-of-scope element or flow, nor on a flow between two out-of-scope
//! ends; a flow with one end in scope keeps its threats; an empty reason is
//! E0160 and a hand-written threat on an out-of-scope target W0160.

mod common;
use common::{analysed, PRELUDE};
use ward_analysis::Analysis;
use ward_diagnostics::Code;
use ward_model::{compile_str, Compiled, Target};

/// After `PRELUDE`: an app talking to a cloud service over an unprotected
/// link, a hospital system the cloud reports to, and a lab system beside it.
/// `{his}`, `{lab}` and `{report}` are replaced by each case's extra
/// properties for `his`, `lab` and the `f_report` flow.
const MODEL: &str = r#"
use std::stride
zone hospital "Hospital" { trust: untrusted, controlled_by: hcf }
data readings "Readings" { kind: phi, confidentiality: high, integrity: high }
component app "App" in home { kind: mobile_app, stores: [readings] }
component api "Cloud API" in cloud { kind: service, stores: [readings] }
component his "Hospital information system" in hospital { kind: service, stores: [readings] {his} }
component lab "Lab system" in hospital { kind: service, stores: [readings] {lab} }
flow f_sync: app <-> api { protocol: http, carries: [readings] }
flow f_report: api -> his { protocol: http, carries: [readings] {report} }
flow f_lab: his -> lab { protocol: http, carries: [readings] }
"#;

fn model(his: &str, lab: &str, report: &str) -> String {
    let text = MODEL
        .replace("{his}", his)
        .replace("{lab}", lab)
        .replace("{report}", report);
    format!("{PRELUDE}{text}")
}

const OUT: &str = r#", out_of_scope: "run by the hospital""#;

/// The ids of the threats generated on the element or flow `name`.
fn threats_on(compiled: &Compiled, analysis: &Analysis, name: &str) -> Vec<String> {
    let model = &compiled.model;
    analysis
        .threats
        .iter()
        .filter(|t| {
            t.targets
                .iter()
                .any(|&target| model.target_name(target) == name)
        })
        .map(|t| t.id.clone())
        .collect()
}

fn codes(compiled: &Compiled) -> Vec<Code> {
    compiled.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn an_out_of_scope_element_gets_no_rule_threats_and_keeps_its_reason() {
    let (compiled, analysis) = analysed(&model("", "", ""));
    assert!(!threats_on(&compiled, &analysis, "his").is_empty());

    let (compiled, analysis) = analysed(&model(OUT, "", ""));
    assert_eq!(
        threats_on(&compiled, &analysis, "his"),
        Vec::<String>::new()
    );
    let his = compiled
        .model
        .elements
        .iter()
        .find(|e| e.meta.name == "his")
        .unwrap();
    assert_eq!(his.out_of_scope.as_deref(), Some("run by the hospital"));
    // The rest of the model is untouched: the app still has its threats.
    assert!(!threats_on(&compiled, &analysis, "app").is_empty());
}

#[test]
fn a_flow_with_one_end_in_scope_keeps_its_threats_and_one_between_two_out_of_scope_ends_has_none() {
    let (compiled, analysis) = analysed(&model("", "", ""));
    let report_before = threats_on(&compiled, &analysis, "f_report");
    assert!(!report_before.is_empty());
    assert!(!threats_on(&compiled, &analysis, "f_lab").is_empty());

    // `his` out: `f_report` (api in scope) keeps every threat; `f_lab`
    // (his -> lab) keeps its threats too, as `lab` is in scope.
    let (compiled, analysis) = analysed(&model(OUT, "", ""));
    assert_eq!(threats_on(&compiled, &analysis, "f_report"), report_before);
    assert!(!threats_on(&compiled, &analysis, "f_lab").is_empty());

    // Both ends of `f_lab` out: nothing in scope sends or receives it.
    let (compiled, analysis) = analysed(&model(OUT, OUT, ""));
    assert_eq!(
        threats_on(&compiled, &analysis, "f_lab"),
        Vec::<String>::new()
    );
    assert_eq!(threats_on(&compiled, &analysis, "f_report"), report_before);
}

#[test]
fn an_out_of_scope_flow_gets_no_rule_threats_in_either_direction() {
    let text = model("", "", "").replace(
        "flow f_sync: app <-> api { protocol: http, carries: [readings] }",
        r#"flow f_sync: app <-> api { protocol: http, carries: [readings], out_of_scope: "vendor SDK link, assessed by the SDK supplier" }"#,
    );
    let (compiled, analysis) = analysed(&text);
    assert_eq!(
        threats_on(&compiled, &analysis, "f_sync"),
        Vec::<String>::new()
    );
    assert_eq!(
        threats_on(&compiled, &analysis, "f_sync.reverse"),
        Vec::<String>::new()
    );
    let reverse = compiled
        .model
        .flows
        .iter()
        .position(|f| f.meta.name == "f_sync.reverse")
        .unwrap();
    assert!(!compiled
        .model
        .in_scope(Target::Flow(ward_model::FlowId(reverse as u32))));
    // The endpoints stay in scope.
    assert!(!threats_on(&compiled, &analysis, "app").is_empty());
}

#[test]
fn an_empty_reason_is_e0160() {
    let compiled = compile_str("model.ward", &model(r#", out_of_scope: "  ""#, "", ""));
    let e0160: Vec<_> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::E0160)
        .collect();
    assert_eq!(e0160.len(), 1, "{:?}", codes(&compiled));
    assert!(e0160[0].is_error());
    // The element is then in scope, so its threats are still generated.
    let his = compiled
        .model
        .elements
        .iter()
        .find(|e| e.meta.name == "his")
        .unwrap();
    assert_eq!(his.out_of_scope, None);
}

#[test]
fn a_hand_written_threat_on_an_out_of_scope_element_is_kept_with_w0160() {
    let text = format!(
        "{}\nthreat his_outage \"HIS outage\" {{ stride: [denial_of_service], targets: [his, api], exploitability: moderate }}\n",
        model(OUT, "", "")
    );
    let (compiled, analysis) = analysed(&text);
    let w0160: Vec<_> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::W0160)
        .collect();
    assert_eq!(w0160.len(), 1, "{:?}", codes(&compiled));
    assert!(w0160[0].message.contains("`his`"), "{}", w0160[0].message);
    assert!(threats_on(&compiled, &analysis, "his").contains(&"his_outage".to_string()));

    // No warning when the targets are in scope.
    let text = text.replace(OUT, "");
    let (compiled, _) = analysed(&text);
    assert!(!codes(&compiled).contains(&Code::W0160));
}
