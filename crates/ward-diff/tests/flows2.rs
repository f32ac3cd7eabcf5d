//! `ward diff` compares a flow's security properties and its response data
//! (`returns`), so a weakened link shows as a change of that flow.

use ward_diff::{diff, Change, ModelDiff, Side};

const BASE: &str = r#"
system s "S" { version: "1.0.0" }
zone clinic "Clinic" { trust: controlled, controlled_by: hcf }
zone cloud "Cloud" { trust: controlled, controlled_by: manufacturer }
actor clinician in clinic { kind: human }
component portal in cloud { kind: web_app }
data query { kind: other }
data record { kind: phi }
data summary { kind: phi }
"#;

fn compare(old_flow: &str, new_flow: &str) -> ModelDiff {
    let old = ward_model::compile_str("m.ward", &format!("{BASE}{old_flow}"));
    let new = ward_model::compile_str("m.ward", &format!("{BASE}{new_flow}"));
    assert!(!old.has_errors() && !new.has_errors());
    let (old_analysis, new_analysis) = (
        ward_analysis::analyze(&old.model),
        ward_analysis::analyze(&new.model),
    );
    diff(
        &side("old", &old, &old_analysis),
        &side("new", &new, &new_analysis),
    )
}

fn side<'a>(
    label: &str,
    compiled: &'a ward_model::Compiled,
    analysis: &'a ward_analysis::Analysis,
) -> Side<'a> {
    Side {
        label: label.into(),
        commit: None,
        model: &compiled.model,
        analysis,
        sources: &compiled.sources,
    }
}

/// The changed fields of flow `f`, as `field: old -> new`.
fn flow_changes(d: &ModelDiff) -> Vec<String> {
    d.declarations
        .iter()
        .filter(|c| c.kind == "flow" && c.id == "f")
        .inspect(|c| assert_eq!(c.change, Change::Changed))
        .flat_map(|c| c.fields.iter())
        .map(|f| {
            format!(
                "{}: {} -> {}",
                f.field,
                f.old.as_deref().unwrap_or("-"),
                f.new.as_deref().unwrap_or("-")
            )
        })
        .collect()
}

#[test]
fn security_properties_are_compared() {
    let d = compare(
        "flow f: clinician -> portal { protocol: https, encrypted: true, auth: mfa, tls_version: tls1_3, identity: end_user }\n",
        "flow f: clinician -> portal { protocol: https, encrypted: true, auth: password, server_authenticated: false, tls_version: tls1_0, identity: service }\n",
    );
    let mut changes = flow_changes(&d);
    changes.sort();
    assert_eq!(
        changes,
        [
            "auth: mfa -> password",
            "identity: end_user -> service",
            "server_authenticated: true -> false",
            "tls_version: tls1_3 -> tls1_0",
        ]
    );
}

#[test]
fn the_response_data_is_compared() {
    let d = compare(
        "flow f: clinician -> portal { carries: [query], returns: [summary] }\n",
        "flow f: clinician -> portal { carries: [query], returns: [summary, record] }\n",
    );
    assert_eq!(
        flow_changes(&d),
        ["returns: [summary] -> [summary, record]"]
    );
    let same = compare(
        "flow f: clinician -> portal { carries: [query], returns: [record] }\n",
        "flow f: clinician -> portal { carries: [query], returns: [record] }\n",
    );
    assert!(flow_changes(&same).is_empty());
}
