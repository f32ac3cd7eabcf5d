//! The opt-in exports (issue #19, Deliver 2): `ward.xlsx` read back by
//! openpyxl and `design-inputs.reqif` parsed by PyPI `reqif`, both
//! independent of Ward; the `[outputs]` switches and `--format`; stable
//! identifiers and byte-identical output across builds and thread counts.

mod support;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::{
    copy_tree, json_diagnostics, repo_root, require_python, run_ward, stderr, stdout, write,
};

/// A copy of the insulin-pump example (whose Ward.toml turns both exports
/// on) in a fresh folder.
fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&repo_root().join("examples/insulin-pump"), dir.path());
    dir
}

fn build(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", "--no-svg", "-q", "-o", "out"];
    args.extend_from_slice(extra);
    let out = run_ward(dir, &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    out
}

/// Runs `script` with `args` under the test Python and parses the one JSON
/// document it prints.
fn python(modules: &[&str], script: &str, args: &[&Path]) -> Value {
    let python = require_python(modules);
    let out = Command::new(python)
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "the Python reader failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the reader prints JSON")
}

/// What openpyxl sees in a workbook: per sheet its header, frozen pane,
/// filter, and every cell's value, type, fill and link.
const READ_XLSX: &str = r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": wb.sheetnames, "created": str(wb.properties.created), "cells": {}}
for ws in wb.worksheets:
    rows = []
    for row in ws.iter_rows():
        rows.append([{
            "v": c.value, "t": c.data_type,
            "fill": c.fill.fgColor.rgb if c.fill and c.fill.fill_type == "solid" else None,
            "link": c.hyperlink.location if c.hyperlink else None,
        } for c in row])
    out["cells"][ws.title] = {"freeze": ws.freeze_panes, "filter": ws.auto_filter.ref, "rows": rows}
print(json.dumps(out))
"#;

/// What PyPI `reqif` sees: objects with their type and attribute values,
/// relations with their type, and the specifications' hierarchy.
const READ_REQIF: &str = r#"
import json, sys
from reqif.parser import ReqIFParser
bundle = ReqIFParser.parse(sys.argv[1])
content = bundle.core_content.req_if_content
defs = {}
for t in content.spec_types:
    for a in (getattr(t, "attribute_definitions", None) or []):
        defs[a.identifier] = a.long_name
objects = {o.identifier: {"type": o.spec_object_type,
                          "values": {defs[a.definition_ref]: a.value for a in o.attributes}}
           for o in content.spec_objects}
relations = [{"id": r.identifier, "type": r.relation_type_ref, "source": r.source, "target": r.target}
             for r in content.spec_relations]
def walk(h):
    return {"object": h.spec_object, "children": [walk(c) for c in (h.children or [])]}
specs = {s.long_name: [walk(h) for h in (s.children or [])] for s in content.specifications}
print(json.dumps({"objects": objects, "relations": relations, "specifications": specs,
                  "namespace": bundle.namespace_info.namespace}))
"#;

/// Validation against the ReqIF XSD that PyPI `reqif` ships (the OMG
/// schema with its XHTML modules, all local), with `xmlschema`, as
/// `reqif validate --use-reqif-schema` does.
const VALIDATE_REQIF: &str = r#"
import json, os, sys, reqif, xmlschema
root = os.path.dirname(os.path.dirname(os.path.abspath(reqif.__file__)))
path = os.path.abspath(sys.argv[1])
os.chdir(root)  # the schema's imports are relative to the package
schema = xmlschema.XMLSchema(os.path.join(root, "reqif", "reqif_schema", "reqif.xsd"))
print(json.dumps({"errors": [str(e.reason) for e in schema.iter_errors(path)][:5]}))
"#;

/// The first few schema errors of a ReqIF file (none when it is valid).
fn schema_errors(path: &Path) -> Value {
    python(&["reqif", "xmlschema"], VALIDATE_REQIF, &[path])["errors"].clone()
}

#[test]
fn the_xsd_check_rejects_an_invalid_file() {
    // The validator the other tests rely on does find a misplaced element.
    let dir = example();
    build(dir.path(), &[]);
    let good = dir.path().join("out/design-inputs.reqif");
    let bad = dir.path().join("bad.reqif");
    let text = std::fs::read_to_string(&good).unwrap();
    write(
        &bad,
        &text
            .replacen("<TYPE>", "<TYPO>", 1)
            .replacen("</TYPE>", "</TYPO>", 1),
    );
    assert_eq!(schema_errors(&good), serde_json::json!([]));
    assert!(schema_errors(&bad)
        .as_array()
        .is_some_and(|e| !e.is_empty()));
}

fn sheet<'a>(book: &'a Value, name: &str) -> &'a Value {
    &book["cells"][name]
}

fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .expect("csv");
    reader
        .records()
        .map(|r| r.expect("record").iter().map(str::to_string).collect())
        .collect()
}

fn texts(row: &Value) -> Vec<String> {
    row.as_array()
        .expect("row")
        .iter()
        .map(|c| c["v"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn the_example_writes_a_workbook_openpyxl_reads_sheet_by_register() {
    let dir = example();
    build(dir.path(), &[]);
    let out = dir.path().join("out");
    let book = python(&["openpyxl"], READ_XLSX, &[&out.join("ward.xlsx")]);
    let sheets: Vec<&str> = book["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(
        sheets,
        [
            "About",
            "Risk register",
            "Safety transfer",
            "Control requirements",
            "Traceability",
            "Interfaces",
            "Coverage",
            "Vulnerabilities",
            "Anomalies",
            "Out of scope"
        ]
    );
    // No clock: the creation date is fixed.
    assert_eq!(book["created"], "1980-01-01 00:00:00");

    // Each register sheet holds the CSV's rows (texts as the CSV writes
    // them), under a frozen header with a filter over every row.
    for (name, csv) in [
        ("Risk register", "risk-register.csv"),
        ("Control requirements", "control-requirements.csv"),
        ("Traceability", "traceability.csv"),
        ("Coverage", "coverage.csv"),
        ("Vulnerabilities", "vulnerabilities.csv"),
        ("Anomalies", "anomalies.csv"),
    ] {
        let sheet = sheet(&book, name);
        let rows = sheet["rows"].as_array().unwrap();
        let csv = csv_rows(&out.join(csv));
        assert_eq!(rows.len(), csv.len(), "{name}: rows");
        for (row, want) in rows.iter().zip(&csv) {
            assert_eq!(&texts(row), want, "{name}");
        }
        assert_eq!(sheet["freeze"], "A2", "{name}: the header row is frozen");
        let last_column = column_letters(csv[0].len());
        assert_eq!(
            sheet["filter"].as_str().unwrap(),
            format!("A1:{last_column}{}", csv.len()),
            "{name}: the filter covers the register"
        );
    }

    // The elements and flows the model leaves out, with their reasons, as
    // model.json has them and the report lists them.
    let model: Value =
        serde_json::from_slice(&std::fs::read(out.join("model.json")).unwrap()).unwrap();
    let scoped = sheet(&book, "Out of scope");
    let rows = scoped["rows"].as_array().unwrap();
    assert_eq!(texts(&rows[0]), ["Id", "Declaration", "Title", "Reason"]);
    let ehr = model["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "hospital_ehr")
        .unwrap();
    assert_eq!(
        rows[1..].iter().map(texts).collect::<Vec<_>>(),
        [[
            "hospital_ehr",
            "actor",
            "Hospital EHR",
            ehr["out_of_scope"].as_str().unwrap()
        ]],
        "one row per out-of-scope element or flow"
    );
    assert_eq!(scoped["freeze"], "A2");
    assert_eq!(scoped["filter"], "A1:D2");

    // Risk levels are coloured as in the report; cells are strings.
    let register = sheet(&book, "Risk register")["rows"].as_array().unwrap();
    let header = texts(&register[0]);
    let column = |title: &str| header.iter().position(|h| h == title).unwrap();
    let mut coloured = 0;
    for row in &register[1..] {
        let cell = &row[column("Initial risk")];
        let want = match cell["v"].as_str().unwrap() {
            "acceptable" => "FFC8E6C9",
            "review" => "FFFFE082",
            "unacceptable" => "FFEF9A9A",
            other => panic!("not a risk level: {other}"),
        };
        assert_eq!(cell["fill"], want);
        assert_eq!(cell["t"], "s");
        coloured += 1;
    }
    assert!(coloured > 100);

    // Threat -> control -> verification: a threat's Controls cell links to
    // the row of its first control, whose Verifications cell links to that
    // control's traceability rows.
    let requirements = sheet(&book, "Control requirements")["rows"]
        .as_array()
        .unwrap();
    let traceability = sheet(&book, "Traceability")["rows"].as_array().unwrap();
    let row_of = |link: &Value, sheet: &str| -> usize {
        let link = link.as_str().expect("a link");
        let (target, cell) = link.split_once('!').unwrap();
        assert_eq!(target, format!("'{sheet}'"));
        cell.trim_start_matches('A').parse::<usize>().unwrap() - 1
    };
    let threat = register
        .iter()
        .find(|r| r[0]["v"] == "alert_suppression")
        .expect("the threat's row");
    let controls = &threat[column("Controls")];
    assert_eq!(
        controls["v"],
        "pump_local_alarms, api_resilience, remote_monitoring_status"
    );
    let control_row = &requirements[row_of(&controls["link"], "Control requirements")];
    let requirement_header = texts(&requirements[0]);
    let req_column = |title: &str| requirement_header.iter().position(|h| h == title).unwrap();
    assert!(control_row[req_column("Mitigates")]["v"]
        .as_str()
        .unwrap()
        .contains("alert_suppression"));
    let trace_row = &traceability[row_of(
        &control_row[req_column("Verifications")]["link"],
        "Traceability",
    )];
    assert_eq!(
        trace_row[5]["v"], "pump_local_alarms",
        "the control's first traceability row"
    );
    assert!(trace_row[7]["v"]
        .as_str()
        .unwrap()
        .starts_with("vt_loss_alarm"));
    // And back: the traceability row's threat links to the register.
    assert!(trace_row[0]["link"]
        .as_str()
        .unwrap()
        .starts_with("'Risk register'!A"));

    // The About sheet states what the workbook was built from.
    let about: Vec<(String, String)> = sheet(&book, "About")["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| {
            Some((
                r[0]["v"].as_str()?.to_string(),
                r[1]["v"].as_str()?.to_string(),
            ))
        })
        .collect();
    for (label, want) in [
        ("System", "acme_aid"),
        ("Version", "2.1.0"),
        ("Stage", "design"),
        (
            "Sources sha256",
            model["sources"]["sha256"].as_str().unwrap(),
        ),
        ("Verdict", model["verdict"]["summary"].as_str().unwrap()),
    ] {
        assert!(
            about.iter().any(|(l, v)| l == label && v == want),
            "About has no `{label}: {want}`: {about:?}"
        );
    }

    // Both exports are in the design-history index.
    let index: Value =
        serde_json::from_slice(&std::fs::read(out.join("index.json")).unwrap()).unwrap();
    let listed = index.to_string();
    assert!(listed.contains("\"ward.xlsx\"") && listed.contains("\"design-inputs.reqif\""));
}

#[test]
fn the_example_writes_reqif_the_reqif_library_reads() {
    let dir = example();
    build(dir.path(), &[]);
    let out = dir.path().join("out");
    let reqif = python(&["reqif"], READ_REQIF, &[&out.join("design-inputs.reqif")]);
    let model: Value =
        serde_json::from_slice(&std::fs::read(out.join("model.json")).unwrap()).unwrap();
    let objects = reqif["objects"].as_object().unwrap();
    let of_type = |t: &str| objects.values().filter(|o| o["type"] == t).count();
    let controls = model["controls"].as_array().unwrap();
    assert_eq!(of_type("ward-type-control"), controls.len());
    assert_eq!(
        of_type("ward-type-threat"),
        model["threats"].as_array().unwrap().len()
    );
    assert_eq!(
        of_type("ward-type-verification"),
        model["verifications"].as_array().unwrap().len()
    );

    // A control carries its requirement as the control requirements state it.
    let ble = &objects["ward-control-ble_mutual_auth"]["values"];
    assert_eq!(ble["Requirement ID"], "SR-001");
    assert_eq!(ble["Category"], "authentication");
    assert_eq!(ble["Status"], "verified");
    assert!(ble["Requirement"]
        .as_str()
        .unwrap()
        .starts_with("The pump, the CGM and the app shall mutually authenticate"));
    assert!(ble["Acceptance criteria"]
        .as_str()
        .unwrap()
        .starts_with("100% of spoofed"));
    assert!(ble["Mitigates"]
        .as_str()
        .unwrap()
        .contains("device_impersonation@cgm"));

    // Relations: control -> threat (mitigates), verification -> control (verifies).
    let relations = reqif["relations"].as_array().unwrap();
    let has = |t: &str, s: &str, d: &str| {
        relations
            .iter()
            .any(|r| r["type"] == t && r["source"] == s && r["target"] == d)
    };
    assert!(has(
        "ward-type-mitigates",
        "ward-control-ble_mutual_auth",
        "ward-threat-device_impersonation-at-cgm"
    ));
    assert!(has(
        "ward-type-verifies",
        "ward-verification-vt_ble_auth",
        "ward-control-ble_mutual_auth"
    ));
    for r in relations {
        for end in ["source", "target"] {
            assert!(
                objects.contains_key(r[end].as_str().unwrap()),
                "dangling relation {r}"
            );
        }
    }

    // The design-inputs specification lists every control, its verifications below it.
    let design_inputs = reqif["specifications"]["Design inputs"].as_array().unwrap();
    assert_eq!(design_inputs.len(), controls.len());
    let ble_node = design_inputs
        .iter()
        .find(|h| h["object"] == "ward-control-ble_mutual_auth")
        .unwrap();
    assert_eq!(
        ble_node["children"][0]["object"],
        "ward-verification-vt_ble_auth"
    );
    assert_eq!(
        reqif["namespace"],
        "http://www.omg.org/spec/ReqIF/20110401/reqif.xsd"
    );
}

/// The identifiers of a ReqIF file (IDENTIFIER attributes), sorted.
fn identifiers(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut ids: Vec<String> = text
        .split("IDENTIFIER=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn reqif_identifiers_are_the_models_ids_and_survive_an_edit() {
    let dir = example();
    build(dir.path(), &[]);
    let reqif = dir.path().join("out/design-inputs.reqif");
    let before = identifiers(&reqif);
    assert!(before.contains(&"ward-control-ble_mutual_auth".to_string()));
    let model: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/model.json")).unwrap()).unwrap();
    let hash = &model["sources"]["sha256"].as_str().unwrap()[..12];
    assert!(
        !before.iter().any(|id| id.contains(hash)),
        "no identifier comes from the source hash"
    );
    // A changed requirement text (and so a changed source hash) keeps every
    // identifier: a requirements tool updates the same objects.
    let controls = dir.path().join("controls.ward");
    let text = std::fs::read_to_string(&controls).unwrap();
    let changed = text.replacen(
        "shall reject every unbonded peer",
        "shall reject every unbonded or unknown peer",
        1,
    );
    assert_ne!(text, changed, "the edit applies");
    write(&controls, &changed);
    build(dir.path(), &[]);
    assert_eq!(identifiers(&reqif), before);
    let now = std::fs::read_to_string(&reqif).unwrap();
    assert!(now.contains("unbonded or unknown peer"));
    assert!(now.contains("LAST-CHANGE=\"1980-01-01T00:00:00Z\""));

    // A renamed control keeps its first id's identifier through
    // `renamed_from`, so the tool updates the requirement it holds.
    let text = std::fs::read_to_string(&controls).unwrap();
    let renamed = text.replacen(
        "control ble_mutual_auth \"Mutual authentication of pump, CGM and app\" {",
        "control ble_mutual_authentication \"Mutual authentication of pump, CGM and app\" {\n  renamed_from: [ble_mutual_auth]",
        1,
    );
    assert_ne!(text, renamed, "the rename applies");
    write(&controls, &renamed);
    build(dir.path(), &[]);
    assert_eq!(identifiers(&reqif), before);
    let now = std::fs::read_to_string(&reqif).unwrap();
    assert!(
        now.contains("ble_mutual_authentication"),
        "the new id is its text"
    );
}

#[test]
fn both_exports_are_byte_identical_across_builds_and_thread_counts() {
    let dir = example();
    let run = |threads: &str, out: &str| -> (Vec<u8>, Vec<u8>) {
        let o = support::ward()
            .current_dir(dir.path())
            .env("RAYON_NUM_THREADS", threads)
            .args(["build", "--no-svg", "-q", "-o", out])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let out = dir.path().join(out);
        (
            std::fs::read(out.join("ward.xlsx")).unwrap(),
            std::fs::read(out.join("design-inputs.reqif")).unwrap(),
        )
    };
    let one = run("1", "out1");
    let again = run("1", "out2");
    let four = run("4", "out3");
    assert!(one == again, "two builds differ");
    assert!(one == four, "1 and 4 threads differ");
}

/// A copy of the render fixture with hostile text in a threat title and a
/// control requirement.
fn hostile_model() -> (tempfile::TempDir, &'static str, &'static str) {
    const TITLE: &str = "=cmd|' /C calc'!A0 <b>&amp; ]]> \u{202e}txt.exe \u{7}bell";
    const REQUIREMENT: &str = "@SUM(1+1) <script> & ]]> \u{2066}isolate\u{2069} line\nbreak";
    let dir = tempfile::tempdir().unwrap();
    let text =
        std::fs::read_to_string(repo_root().join("crates/ward-render/tests/fixtures/pump.ward"))
            .unwrap()
            .replace(
                "\"Replay of a captured bolus command\"",
                &format!("\"{TITLE}\""),
            )
            .replace(
                "\"The pump shall reject any command not authenticated with a bonded key.\"",
                &format!("\"{}\"", REQUIREMENT.replace('\n', "\\n")),
            );
    write(&dir.path().join("pump.ward"), &text);
    (dir, TITLE, REQUIREMENT)
}

#[test]
fn hostile_text_stays_text_in_the_workbook_and_escaped_in_reqif() {
    let (dir, title, requirement) = hostile_model();
    build(dir.path(), &["--format", "xlsx", "--format", "reqif"]);
    let out = dir.path().join("out");
    // As the CSV neutralises it: a leading `'`, hidden characters visible.
    let shown_title = "'=cmd|' /C calc'!A0 <b>&amp; ]]> <U+202E>txt.exe <U+0007>bell";
    let shown_requirement = "'@SUM(1+1) <script> & ]]> <U+2066>isolate<U+2069> line\nbreak";
    let csv = std::fs::read_to_string(out.join("risk-register.csv")).unwrap();
    assert!(csv.contains(shown_title), "the CSV writes the title so");

    let book = python(&["openpyxl"], READ_XLSX, &[&out.join("ward.xlsx")]);
    let register = sheet(&book, "Risk register")["rows"].as_array().unwrap();
    let cell = register
        .iter()
        .map(|r| &r[1])
        .find(|c| c["v"].as_str().is_some_and(|v| v.contains("calc")))
        .expect("the hostile title's cell");
    assert_eq!(cell["v"], shown_title);
    assert_eq!(cell["t"], "s", "a string, not a formula");
    let requirements = sheet(&book, "Control requirements")["rows"]
        .as_array()
        .unwrap();
    assert!(requirements
        .iter()
        .any(|r| r[1]["v"] == shown_requirement && r[1]["t"] == "s"));

    let reqif = python(&["reqif"], READ_REQIF, &[&out.join("design-inputs.reqif")]);
    let objects = &reqif["objects"];
    let neutral = |s: &str| {
        s.replace('\u{202e}', "<U+202E>")
            .replace('\u{7}', "<U+0007>")
            .replace('\u{2066}', "<U+2066>")
            .replace('\u{2069}', "<U+2069>")
    };
    assert_eq!(
        objects["ward-threat-replay_bolus"]["values"]["Title"],
        neutral(title)
    );
    // The line break survives as a character reference.
    assert_eq!(
        objects["ward-control-ble_auth"]["values"]["Requirement"],
        neutral(requirement)
    );
    let text = std::fs::read_to_string(out.join("design-inputs.reqif")).unwrap();
    assert!(!text.contains('\u{202e}') && !text.contains('\u{7}'));
    assert_eq!(
        schema_errors(&out.join("design-inputs.reqif")),
        serde_json::json!([])
    );
}

/// The "Out of scope" sheet is there only when the model leaves something
/// out, and its reasons are text like every cell (here a flow's reason
/// that starts like a formula).
#[test]
fn the_out_of_scope_sheet_lists_each_flow_left_out_only_when_there_is_one() {
    let (dir, _, _) = hostile_model();
    build(dir.path(), &["--format", "xlsx"]);
    let book = python(
        &["openpyxl"],
        READ_XLSX,
        &[&dir.path().join("out/ward.xlsx")],
    );
    let sheets = book["sheets"].as_array().unwrap();
    assert!(
        !sheets.iter().any(|s| s == "Out of scope"),
        "nothing is out of scope: {sheets:?}"
    );

    let model = dir.path().join("pump.ward");
    let text = std::fs::read_to_string(&model).unwrap();
    let probe = "{ protocol: https }\n";
    assert!(text.contains(&format!("\"Probing\" {probe}")));
    write(
        &model,
        &text.replace(
            &format!("\"Probing\" {probe}"),
            "\"Probing\" { protocol: https, out_of_scope: \"=HYPERLINK(\\\"x\\\") the host's own scans\" }\n",
        ),
    );
    build(dir.path(), &["--format", "xlsx"]);
    let book = python(
        &["openpyxl"],
        READ_XLSX,
        &[&dir.path().join("out/ward.xlsx")],
    );
    let rows = sheet(&book, "Out of scope")["rows"].as_array().unwrap();
    assert_eq!(
        rows.iter().map(texts).collect::<Vec<_>>(),
        [
            ["Id", "Declaration", "Title", "Reason"],
            [
                "f_probe",
                "flow",
                "Probing",
                "'=HYPERLINK(\"x\") the host's own scans"
            ]
        ]
    );
    assert_eq!(rows[1][3]["t"], "s", "a string, not a formula");
    // The About sheet links to it with the registers.
    let about = sheet(&book, "About")["rows"].as_array().unwrap();
    assert!(about
        .iter()
        .any(|r| r[1]["v"] == "Out of scope" && r[1]["link"] == "'Out of scope'!A1"));
}

#[test]
fn exports_are_off_by_default_and_format_turns_each_on() {
    let (dir, _, _) = hostile_model();
    build(dir.path(), &[]);
    let out = dir.path().join("out");
    assert!(!out.join("ward.xlsx").exists() && !out.join("design-inputs.reqif").exists());
    build(dir.path(), &["--format", "reqif"]);
    assert!(!out.join("ward.xlsx").exists() && out.join("design-inputs.reqif").exists());
    let index = std::fs::read_to_string(out.join("index.md")).unwrap();
    assert!(index.contains("design-inputs.reqif") && !index.contains("ward.xlsx"));
}

#[test]
fn an_unknown_format_on_the_command_line_is_e0610_and_writes_nothing() {
    let (dir, _, _) = hostile_model();
    let out = run_ward(
        dir.path(),
        &[
            "build",
            "--no-svg",
            "-o",
            "out",
            "--format",
            "xlsx,reqiff",
            "--message-format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let diagnostics = json_diagnostics(&stdout(&out));
    let e = diagnostics
        .iter()
        .find(|d| d["code"] == "E0610")
        .expect("E0610");
    assert_eq!(e["message"], "unknown output format `reqiff`");
    assert!(e["help"]
        .as_str()
        .unwrap()
        .contains("did you mean `reqif`?"));
    assert!(!dir.path().join("out").exists(), "nothing written");
}

fn with_manifest(outputs: &str) -> (tempfile::TempDir, PathBuf) {
    let (dir, _, _) = hostile_model();
    let manifest = dir.path().join("Ward.toml");
    write(
        &manifest,
        &format!("files = [\"pump.ward\"]\n\n[outputs]\n{outputs}\n"),
    );
    (dir, manifest)
}

#[test]
fn ward_toml_outputs_turn_exports_on_and_bad_keys_point_at_themselves() {
    let (dir, _) = with_manifest("xlsx = true\nreqif = false");
    build(dir.path(), &[]);
    assert!(dir.path().join("out/ward.xlsx").exists());
    assert!(!dir.path().join("out/design-inputs.reqif").exists());

    let (dir, _) = with_manifest("xslx = true");
    let out = run_ward(
        dir.path(),
        &["build", "-o", "out", "--message-format", "json"],
    );
    assert_eq!(out.status.code(), Some(2));
    let diagnostics = json_diagnostics(&stdout(&out));
    let e = diagnostics
        .iter()
        .find(|d| d["code"] == "E0610")
        .expect("E0610");
    assert_eq!(e["file"], "Ward.toml");
    assert_eq!(
        (e["start_line"].as_u64(), e["start_column"].as_u64()),
        (Some(4), Some(1))
    );
    assert!(e["help"].as_str().unwrap().contains("did you mean `xlsx`?"));
    assert_eq!(e["fixes"][0]["edits"][0]["replacement"], "xlsx");
    assert!(!dir.path().join("out").exists());

    let (dir, _) = with_manifest("reqif = \"yes\"");
    let out = run_ward(
        dir.path(),
        &["build", "-o", "out", "--message-format", "json"],
    );
    assert_eq!(out.status.code(), Some(2));
    let diagnostics = json_diagnostics(&stdout(&out));
    let e = diagnostics
        .iter()
        .find(|d| d["code"] == "E0611")
        .expect("E0611");
    assert_eq!(
        (e["start_line"].as_u64(), e["start_column"].as_u64()),
        (Some(4), Some(9))
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn build_help_names_the_opt_in_formats() {
    let out = run_ward(&repo_root(), &["build", "--help"]);
    let help = stdout(&out);
    assert!(help.contains("--format <FORMAT>"), "{help}");
    assert!(
        help.contains("`xlsx` (ward.xlsx)") && help.contains("`reqif`"),
        "{help}"
    );
}

/// The spreadsheet letters of the `n`th column (1 = A, 27 = AA).
fn column_letters(mut n: usize) -> String {
    let mut letters = Vec::new();
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap()
}
