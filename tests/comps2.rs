//! The v2 component vocabulary end to end (issue #16): the example's
//! security properties reach model.json (and its schema), `ward diff`
//! compares them, and `ward fmt` keeps them.

mod support;

use serde_json::Value;
use std::path::Path;
use support::{assert_matches_schema, copy_tree, diff_json, repo_root, run_ward, stderr};

fn example_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo_root().join("examples/insulin-pump"), dir.path());
    dir
}

fn element<'a>(model: &'a Value, id: &str) -> &'a Value {
    model["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("no element {id}"))
}

#[test]
fn model_json_records_stated_security_properties_and_leaves_defaults_out() {
    let model = example_copy();
    let out = tempfile::tempdir().unwrap();
    let o = run_ward(
        model.path(),
        &["build", "--no-svg", "-o", out.path().to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("model.json")).unwrap())
            .unwrap();
    assert_matches_schema(&json, "docs/model-schema.json");
    let api = element(&json, "cloud_api");
    assert_eq!(api["authorization"], "per_patient");
    let portal = element(&json, "portal");
    assert_eq!(
        portal["processes"],
        serde_json::json!(["therapy_history", "patient_profile"])
    );
    // Processed is not stored.
    assert_eq!(portal["stores"], serde_json::json!([]));
    // A component that states none of them has none of the keys.
    let db = element(&json, "dose_db");
    for key in [
        "input_validation",
        "output_encoding",
        "access_control",
        "authorization",
        "parses",
        "processes",
        "runs_on",
    ] {
        assert!(db.get(key).is_none(), "{key} on dose_db");
    }
}

#[test]
fn ward_diff_reports_a_changed_security_property() {
    let old = example_copy();
    let new = example_copy();
    let components = new.path().join("components.ward");
    let text = std::fs::read_to_string(&components).unwrap();
    assert!(text.contains("  authorization: per_patient\n"));
    std::fs::write(
        &components,
        text.replace(
            "  authorization: per_patient\n",
            "  authorization: role_based\n",
        ),
    )
    .unwrap();
    let json = diff_json(old.path(), new.path());
    let api = json["declarations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "cloud_api")
        .unwrap_or_else(|| panic!("{json:#}"));
    assert_eq!(api["change"], "changed");
    let text = api.to_string();
    assert!(
        text.contains("authorization")
            && text.contains("role_based")
            && text.contains("per_patient"),
        "{api}"
    );
}

#[test]
fn ward_fmt_keeps_the_component_properties() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.ward");
    let model = "system s { version: \"1\" }\nzone z { trust: controlled }\ndata d { kind: phi }\n\
                 component host in z { kind: runtime }\n\
                 component api in z {\n  kind:   proxy\n  input_validation: true\n  output_encoding: true\n  \
                 access_control: true\n  authorization: per_patient\n  parses: [hl7v2,xml]\n  processes: [d]\n  runs_on: host\n}\n";
    std::fs::write(&file, model).unwrap();
    let fix = run_ward(dir.path(), &["fmt", "."]);
    assert_eq!(fix.status.code(), Some(0), "{}", stderr(&fix));
    let formatted = std::fs::read_to_string(&file).unwrap();
    for line in [
        "  kind: proxy\n",
        "  input_validation: true\n",
        "  output_encoding: true\n",
        "  access_control: true\n",
        "  authorization: per_patient\n",
        "  parses: [hl7v2, xml]\n",
        "  processes: [d]\n",
        "  runs_on: host\n",
    ] {
        assert!(formatted.contains(line), "{line:?} in\n{formatted}");
    }
    let again = run_ward(dir.path(), &["fmt", "--check", "."]);
    assert_eq!(again.status.code(), Some(0));
    assert_check_clean(dir.path());
}

/// The formatted model still compiles without diagnostics of its own.
fn assert_check_clean(dir: &Path) {
    let o = run_ward(dir, &["check", "."]);
    assert!(!stderr(&o).contains("error["), "{}", stderr(&o));
}
