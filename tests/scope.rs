//! `out_of_scope` end to end, on a copy of the example: the example's
//! hospital EHR is out of scope, so its rule threat is not in the register,
//! model.json and the report give the reason, and bringing it back into
//! scope is a change `ward diff` reports with the threat it adds.

mod support;

use serde_json::Value;
use std::path::Path;
use support::{copy_tree, diff_json, repo_root, run_ward, stderr};

const EHR_THREAT: &str = "external_data_repudiation@hospital_ehr";
const REASON: &str =
    "run and secured by the hospital; Acme's side of the link is the EHR integration engine";

fn example_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo_root().join("examples/insulin-pump"), dir.path());
    dir
}

fn build(model: &Path, out: &Path) {
    let o = run_ward(model, &["build", "--no-svg", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn the_out_of_scope_ehr_has_no_rule_threats_and_its_reason_is_in_model_json_and_the_report() {
    let model = example_copy();
    let out = tempfile::tempdir().unwrap();
    build(model.path(), out.path());

    let register = std::fs::read_to_string(out.path().join("risk-register.csv")).unwrap();
    assert!(!register.contains("@hospital_ehr"), "{register}");
    // The integration engine that talks to it is in scope and keeps its threats.
    assert!(register.contains("@ehr_gateway"), "{register}");

    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("model.json")).unwrap())
            .unwrap();
    let ehr = json["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "hospital_ehr")
        .unwrap();
    assert_eq!(ehr["out_of_scope"], REASON);
    let engine = json["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "ehr_gateway")
        .unwrap();
    assert!(engine.get("out_of_scope").is_none());

    let report = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    let section = &report[report
        .find("id=\"out-of-scope\"")
        .expect("an Out of scope list")..];
    let section = &section[..section.find("</table>").unwrap()];
    assert!(
        section.contains("<td><code>hospital_ehr</code></td><td>actor</td>"),
        "{section}"
    );
    assert!(
        section.contains("run and secured by the hospital"),
        "{section}"
    );
}

#[test]
fn bringing_the_ehr_into_scope_is_a_change_ward_diff_reports_with_its_threat() {
    let old = example_copy();
    let new = example_copy();
    let actors = new.path().join("actors.ward");
    let text = std::fs::read_to_string(&actors).unwrap();
    let line = format!("  out_of_scope: \"{REASON}\"\n");
    assert!(text.contains(&line));
    std::fs::write(&actors, text.replace(&line, "")).unwrap();

    let json = diff_json(old.path(), new.path());
    let threat = json["threats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == EHR_THREAT)
        .unwrap_or_else(|| panic!("{json:#}"));
    assert_eq!(threat["change"], "added");
    let actor = json["declarations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "hospital_ehr")
        .unwrap_or_else(|| panic!("{json:#}"));
    assert_eq!(actor["change"], "changed");
    assert!(actor.to_string().contains("out_of_scope"), "{actor}");
}
