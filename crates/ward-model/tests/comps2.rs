//! Component kinds and security properties of threat library v2 (issue #16):
//! their defaults, lowering, and diagnostics E0180, E0181, W0180.

use ward_model::*;

fn compiled(body: &str) -> Compiled {
    compile_str(
        "m.ward",
        &format!(
            "system s \"S\" {{ version: \"1.0.0\" }}\nzone cloud \"Cloud\" {{ trust: controlled }}\n{body}"
        ),
    )
}

fn codes(c: &Compiled) -> Vec<&'static str> {
    c.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

fn element<'m>(m: &'m Model, name: &str) -> &'m Element {
    m.element(m.find_element(name).unwrap())
}

#[test]
fn every_new_kind_lowers_with_its_defaults() {
    let kinds = [
        "proxy",
        "identity_provider",
        "ci_pipeline",
        "code_repository",
        "browser",
        "ml_model",
        "agent",
        "runtime",
    ];
    let body: String = kinds
        .iter()
        .map(|k| format!("component c_{k} in cloud {{ kind: {k} }}\n"))
        .collect();
    let c = compiled(&body);
    assert!(c.diagnostics.is_empty(), "{:?}", codes(&c));
    for k in kinds {
        let e = element(&c.model, &format!("c_{k}"));
        let kind = ComponentKind::parse(k).unwrap();
        assert_eq!(e.kind, ElementKind::Component(kind));
        // Every v2 kind is software patched through a release path.
        assert!(e.updatable, "{k}");
        assert_eq!(e.security, ComponentSecurity::default(), "{k}");
        // A browser is the user's software: its controls belong to the web app.
        assert_eq!(
            e.kind.is_checked_for_fda_categories(),
            k != "browser",
            "{k}"
        );
        assert_eq!(e.kind.stride_class(), StrideClass::Process, "{k}");
    }
}

#[test]
fn security_properties_lower_onto_the_element() {
    let c = compiled(
        r#"
data glucose "Glucose" { kind: phi, confidentiality: high }
data token "Token" { kind: credential, confidentiality: high }
component host "Cluster" in cloud { kind: runtime }
component api "API" in cloud {
  kind: service
  input_validation: true
  output_encoding: true
  access_control: true
  authorization: per_patient
  parses: [hl7v2, json, my_format]
  stores: [token]
  processes: [glucose]
  runs_on: host
}
"#,
    );
    assert!(c.diagnostics.is_empty(), "{:?}", codes(&c));
    let m = &c.model;
    let api = element(m, "api");
    let s = &api.security;
    assert!(s.input_validation && s.output_encoding && s.access_control);
    assert_eq!(s.authorization, Some(Authorization::PerPatient));
    assert_eq!(s.parses, ["hl7v2", "json", "my_format"]);
    assert_eq!(s.processes, [m.find_data("glucose").unwrap()]);
    assert_eq!(api.stores, [m.find_data("token").unwrap()]);
    assert_eq!(s.runs_on, m.find_element("host"));
    let handled: Vec<DataId> = api.handled_data().collect();
    assert_eq!(handled.len(), 2);
}

#[test]
fn a_wrong_authorization_value_is_an_error_with_a_suggestion() {
    let c = compiled("component api in cloud { authorization: role_base }");
    let d = &c.diagnostics[0];
    assert_eq!(d.code.as_str(), "E0205", "{d:?}");
    assert!(
        d.help.as_deref().unwrap_or("").contains("role_based"),
        "{d:?}"
    );
    assert_eq!(element(&c.model, "api").security.authorization, None);
}

#[test]
fn an_unknown_processed_data_id_is_the_unknown_reference_error() {
    let c = compiled("data glucose \"G\" {}\ncomponent api in cloud { processes: [glucos] }");
    assert_eq!(codes(&c), ["E0111"]);
    let d = &c.diagnostics[0];
    assert!(format!("{d:?}").contains("glucose"), "{d:?}");
    assert!(element(&c.model, "api").security.processes.is_empty());
}

#[test]
fn stored_and_processed_data_warns_and_the_fix_removes_it_from_processes() {
    let src = "system s \"S\" { version: \"1.0.0\" }\nzone cloud \"Cloud\" { trust: controlled }\ndata a \"A\" {}\ndata b \"B\" {}\ncomponent api in cloud { stores: [a], processes: [a, b] }\n";
    let c = compile_str("m.ward", src);
    assert_eq!(codes(&c), ["W0180"]);
    let m = &c.model;
    // Stored wins: `a` is no longer processed.
    assert_eq!(
        element(m, "api").security.processes,
        [m.find_data("b").unwrap()]
    );
    let fix = c.diagnostics[0].fixes.first().expect("a fix");
    let fixed = ward_diagnostics::apply_fixes(src, [fix]).text;
    assert!(fixed.contains("stores: [a], processes: [b]"), "{fixed}");
    assert!(compile_str("m.ward", &fixed).diagnostics.is_empty());
}

#[test]
fn runs_on_must_name_another_runtime_component() {
    let c = compiled(
        r#"
component vm in cloud { kind: runtime, runs_on: vm }
component api in cloud { kind: service }
component web in cloud { kind: web_app, runs_on: api }
actor ops in cloud { kind: human }
component job in cloud { runs_on: ops }
"#,
    );
    assert_eq!(codes(&c), ["E0181", "E0180", "E0180"]);
    assert!(c.diagnostics[1].message.contains("not a `runtime`"));
    for name in ["vm", "web", "job"] {
        assert_eq!(element(&c.model, name).security.runs_on, None, "{name}");
    }
}

#[test]
fn runs_on_takes_one_id_and_suggests_a_misspelt_one() {
    let c = compiled(
        "component host in cloud { kind: runtime }\ncomponent a in cloud { runs_on: hots }\ncomponent b in cloud { runs_on: [host] }",
    );
    assert_eq!(codes(&c), ["E0111", "E0204"]);
    assert!(format!("{:?}", c.diagnostics[0]).contains("host"));
}

#[test]
fn actors_take_none_of_the_component_properties() {
    let c = compiled("actor u in cloud { kind: human, input_validation: true }");
    assert_eq!(codes(&c).len(), 1);
}

#[test]
fn when_types_the_new_attributes_and_calls() {
    let rule = |when: &str| {
        compiled(&format!(
            "rule r \"R {{id}}\" {{ stride: tampering, applies_to: component, exploitability: low, when: {when} }}"
        ))
    };
    for ok in [
        "input_validation and output_encoding and access_control",
        "authorization == unspecified or authorization == per_patient",
        "xml in parses",
        "processes != [] and processes_kind(phi) and handles_kind(credential)",
        "runs_on.hosts_exposed and runs_on.kind == runtime",
        "hosts_exposed",
    ] {
        let c = rule(ok);
        assert!(c.diagnostics.is_empty(), "{ok}: {:?}", c.diagnostics);
    }
    let c = rule("authorization == per_patien");
    assert_eq!(codes(&c), ["E0302"], "{:?}", c.diagnostics);
    assert!(format!("{:?}", c.diagnostics[0]).contains("per_patient"));
}
