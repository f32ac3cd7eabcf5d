//! `when` attributes of the v2 component vocabulary (issue #16), evaluated:
//! each fires a test rule exactly on the components it describes.

mod common;

use common::{analysed_with_prelude, threat_ids};
use ward_analysis::risk::affected_data;
use ward_analysis::ModelGraph;
use ward_model::Target;

/// The ids of the components a test rule with this `when` fires on.
fn fires_on(body: &str, when: &str) -> Vec<String> {
    let (_, analysis) = analysed_with_prelude(&format!(
        "{body}\nrule r \"R {{id}}\" {{ stride: tampering, applies_to: component, exploitability: low, when: {when} }}\n"
    ));
    let mut ids: Vec<String> = threat_ids(&analysis)
        .into_iter()
        .filter_map(|id| id.strip_prefix("r@").map(str::to_owned))
        .collect();
    ids.sort();
    ids
}

const COMPONENTS: &str = r#"
data glucose "Glucose" { kind: phi, confidentiality: high }
data token "Token" { kind: credential, confidentiality: high }
component plain in cloud { kind: service }
component api in cloud {
  kind: service
  input_validation: true
  output_encoding: true
  access_control: true
  authorization: role_based
  parses: [xml, json]
  processes: [glucose]
  stores: [token]
}
"#;

#[test]
fn boolean_properties_default_to_false() {
    for attr in ["input_validation", "output_encoding", "access_control"] {
        assert_eq!(fires_on(COMPONENTS, attr), ["api"], "{attr}");
        assert_eq!(
            fires_on(COMPONENTS, &format!("not {attr}")),
            ["plain"],
            "{attr}"
        );
    }
}

#[test]
fn authorization_is_unspecified_when_not_stated() {
    assert_eq!(fires_on(COMPONENTS, "authorization == role_based"), ["api"]);
    assert_eq!(
        fires_on(COMPONENTS, "authorization == unspecified"),
        ["plain"]
    );
    assert!(fires_on(COMPONENTS, "authorization == none").is_empty());
}

#[test]
fn parses_is_a_list_of_format_names() {
    assert_eq!(fires_on(COMPONENTS, "xml in parses"), ["api"]);
    assert!(fires_on(COMPONENTS, "dicom in parses").is_empty());
    assert_eq!(fires_on(COMPONENTS, "parses == []"), ["plain"]);
}

#[test]
fn processed_data_is_handled_but_never_stored() {
    assert_eq!(fires_on(COMPONENTS, "glucose in processes"), ["api"]);
    assert_eq!(fires_on(COMPONENTS, "processes_kind(phi)"), ["api"]);
    assert_eq!(fires_on(COMPONENTS, "handles_kind(phi)"), ["api"]);
    assert_eq!(fires_on(COMPONENTS, "handles_kind(credential)"), ["api"]);
    // Data-store facts read `stores` only.
    assert!(fires_on(COMPONENTS, "stores_kind(phi)").is_empty());
    assert!(fires_on(COMPONENTS, "glucose in stores").is_empty());
    assert!(fires_on(COMPONENTS, "processes_kind(credential)").is_empty());
    // `max_confidentiality` is over stored data: only the token counts.
    let (compiled, _) = analysed_with_prelude(
        "data glucose \"G\" { kind: phi, confidentiality: high }\ncomponent api in cloud { processes: [glucose] }",
    );
    assert!(fires_on(
        "data glucose \"G\" { kind: phi, confidentiality: high }\ncomponent api in cloud { processes: [glucose] }",
        "max_confidentiality >= low"
    )
    .is_empty());
    // ... but its threats affect the processed data.
    let m = &compiled.model;
    let graph = ModelGraph::new(m);
    let api = m.find_element("api").unwrap();
    assert_eq!(
        affected_data(&graph, &[Target::Element(api)]),
        [m.find_data("glucose").unwrap()]
    );
}

const HOSTED: &str = r#"
component cluster in cloud { kind: runtime }
component quiet_vm in cloud { kind: runtime }
component portal in cloud { kind: web_app, runs_on: cluster }
component backend in cloud { kind: service, runs_on: cluster }
component job in cloud { kind: service, runs_on: quiet_vm }
component lone in cloud { kind: service }
actor clinician in internet { kind: human }
flow browse: clinician -> portal { protocol: https }
flow call: portal -> backend { protocol: https }
flow batch: backend -> job { protocol: https }
"#;

#[test]
fn hosts_exposed_marks_a_runtime_with_an_exposed_hosted_component() {
    assert_eq!(fires_on(HOSTED, "hosts_exposed"), ["cluster"]);
    // A runtime whose hosted components are all internal hosts none.
    assert_eq!(
        fires_on(HOSTED, "kind == runtime and not hosts_exposed"),
        ["quiet_vm"]
    );
}

#[test]
fn runs_on_navigates_to_the_runtime() {
    assert_eq!(
        fires_on(HOSTED, "runs_on == cluster"),
        ["backend", "portal"]
    );
    assert_eq!(
        fires_on(HOSTED, "runs_on.hosts_exposed"),
        ["backend", "portal"]
    );
    assert_eq!(
        fires_on(HOSTED, "runs_on.kind == runtime"),
        ["backend", "job", "portal"]
    );
    // Absent: no comparison holds.
    assert!(fires_on(HOSTED, "id == lone and runs_on != cluster").is_empty());
}
