//! Richer findings and generic models (issue #16, Deliver 4 and 5): the
//! register and the report show each rule threat's description, CAPEC and
//! CWE links and suggested control categories; a model without medical
//! facts still gets its security threats, a warning per missing fact, and a
//! verdict that says the safety assessment is missing.

mod support;
use serde_json::Value;
use std::path::Path;
use support::{
    assert_matches_schema, check_json, copy_tree, repo_root, run_ward, stderr, stdout, with_code,
    write,
};

fn build(dir: &Path) {
    let out = run_ward(dir, &["build", "--no-svg", "-q", "-o", "out"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
}

fn read(dir: &Path, artifact: &str) -> String {
    std::fs::read_to_string(dir.join("out").join(artifact)).unwrap()
}

/// The report's data island, parsed.
fn report_island(report: &str) -> Value {
    let start = report
        .find(r#"<script type="application/json" id="report-data">"#)
        .expect("the report has its data island");
    let json = &report[start..];
    let json = &json[json.find('>').unwrap() + 1..json.find("</script>").unwrap()];
    serde_json::from_str(json).expect("the island is JSON")
}

const JAMMING: &str = "wireless_jamming@f_bolus";

#[test]
fn the_register_lists_each_rule_threats_description_references_and_suggested_categories() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo_root().join("examples/insulin-pump"), dir.path());
    build(dir.path());

    // CSV: the references as text, the categories and the rule's description.
    let csv_text = read(dir.path(), "risk-register.csv");
    let mut rows = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(String::from).collect();
    let column = |title: &str| {
        header
            .iter()
            .position(|h| h == title)
            .unwrap_or_else(|| panic!("no column {title} in {header:?}"))
    };
    let (capec, cwe, suggest, description) = (
        column("CAPEC"),
        column("CWE"),
        column("Suggested control categories"),
        column("Description"),
    );
    let row = rows
        .records()
        .map(Result::unwrap)
        .find(|r| &r[0] == JAMMING)
        .expect("the example has the jamming threat");
    assert_eq!(&row[capec], "CAPEC-601, CAPEC-604");
    assert_eq!(&row[cwe], "CWE-754");
    assert_eq!(&row[suggest], "resiliency, event_detection");
    assert!(
        row[description].starts_with("A radio link whose data must arrive can be jammed"),
        "{}",
        &row[description]
    );
    assert!(!row[description].contains('\n'), "one line per cell");

    // Markdown: the same references as links to MITRE.
    let markdown = read(dir.path(), "risk-register.md");
    let line = markdown
        .lines()
        .find(|l| l.starts_with(&format!("| {JAMMING} |")))
        .expect("the jamming row");
    assert!(line.contains(
        "[CAPEC-601](https://capec.mitre.org/data/definitions/601.html), \
         [CAPEC-604](https://capec.mitre.org/data/definitions/604.html)"
    ));
    assert!(line.contains("[CWE-754](https://cwe.mitre.org/data/definitions/754.html)"));
    assert!(line.contains("| resiliency, event_detection |"));

    // The report: the island carries each link column's [label, url] per
    // row, and the script draws those cells as links.
    let report = read(dir.path(), "report.html");
    let island = report_island(&report);
    let strings = island["strings"].as_array().unwrap();
    let text = |i: &Value| strings[i.as_u64().unwrap() as usize].as_str().unwrap();
    let register = &island["tables"]["risk_register"];
    let index = register["rows"]
        .as_array()
        .unwrap()
        .iter()
        .position(|r| text(&r[0]) == JAMMING)
        .unwrap();
    let links = |key: &str| -> Vec<(String, String)> {
        register["links"][key][index]
            .as_array()
            .unwrap()
            .iter()
            .map(|pair| (text(&pair[0]).to_string(), text(&pair[1]).to_string()))
            .collect()
    };
    assert_eq!(
        links("cwe"),
        [(
            "CWE-754".to_string(),
            "https://cwe.mitre.org/data/definitions/754.html".to_string()
        )]
    );
    assert_eq!(links("capec").len(), 2);
    assert!(report.contains("referenceCell(dd, self.links[col[0]][r])"));
}

/// A model as a generic tool would export it: components and flows, no
/// hazards, no data ratings.
const GENERIC: &str = r#"use std::stride

system booking "Clinic booking portal" { version: "1.0.0" }
zone internet "Internet" { trust: untrusted, controlled_by: third_party }
zone dc "Data centre" { trust: trusted, controlled_by: manufacturer }
actor patient "Patient" in internet { kind: human }
component web "Booking web app" in dc { kind: web_app }
component db "Booking database" in dc { kind: datastore }
flow f_book: patient -> web "Book an appointment" { protocol: https }
flow f_store: web -> db "Store the booking" { protocol: sql }
"#;

#[test]
fn a_generic_model_gets_its_threats_a_warning_per_missing_fact_and_no_safety_verdict() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("model.ward"), GENERIC);

    let (code, diagnostics) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "warnings only: {diagnostics:#?}");
    for (missing, help) in [("W0415", "§3.7"), ("W0416", "§3.3")] {
        let found = with_code(&diagnostics, missing);
        assert_eq!(found.len(), 1, "one {missing} per model: {diagnostics:#?}");
        assert_eq!(found[0]["severity"], "warning");
        assert!(found[0]["help"].as_str().unwrap().contains(help));
    }
    // Hazards are missing altogether, so none is left unlinked.
    assert!(with_code(&diagnostics, "W0417").is_empty());
    // At the submission stage the missing facts are errors.
    let (code, diagnostics) = check_json(dir.path(), &["--stage", "submission"]);
    assert_ne!(code, 0);
    assert_eq!(with_code(&diagnostics, "W0415")[0]["severity"], "error");

    build(dir.path());
    let model: Value = serde_json::from_str(&read(dir.path(), "model.json")).unwrap();
    assert_matches_schema(&model, "docs/model-schema.json");
    assert!(
        !model["threats"].as_array().unwrap().is_empty(),
        "the security threats are still derived"
    );
    let verdict = &model["verdict"];
    assert_eq!(verdict["ready"], false);
    assert_eq!(
        verdict["safety_not_assessed"],
        serde_json::json!(["no hazards declared", "no data rated"])
    );
    let summary = verdict["summary"].as_str().unwrap();
    assert!(
        summary.starts_with(
            "Safety assessment missing (no hazards declared, no data rated); security: "
        ),
        "{summary}"
    );
    // The model declares no control: its acceptable threats are not
    // credited to controls.
    assert!(
        summary.ends_with("acceptable on their own scores, with no control"),
        "{summary}"
    );
    assert!(read(dir.path(), "report.html").contains(summary));
}

#[test]
fn hazards_that_nothing_links_are_a_warning_of_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let model = GENERIC.replace(
        "component web",
        "hazard wrong_slot \"Treatment delayed\" { severity: serious }\n\
         data booking_data \"Bookings\" { kind: phi, confidentiality: high, integrity: medium, availability: medium }\n\
         component web",
    );
    write(&dir.path().join("model.ward"), &model);
    let (_, diagnostics) = check_json(dir.path(), &[]);
    assert_eq!(
        with_code(&diagnostics, "W0417").len(),
        1,
        "{diagnostics:#?}"
    );
    assert!(with_code(&diagnostics, "W0415").is_empty());
    assert!(with_code(&diagnostics, "W0416").is_empty());

    // Linked, the model states its medical facts: no such warning, and the
    // verdict is on the threats alone.
    let linked = model.replace(
        "availability: medium }",
        "availability: medium, hazards { integrity: [wrong_slot] } }",
    );
    write(&dir.path().join("model.ward"), &linked);
    let (_, diagnostics) = check_json(dir.path(), &[]);
    for code in ["W0415", "W0416", "W0417"] {
        assert!(with_code(&diagnostics, code).is_empty(), "{code}");
    }
    build(dir.path());
    let model: Value = serde_json::from_str(&read(dir.path(), "model.json")).unwrap();
    assert!(model["verdict"].get("safety_not_assessed").is_none());
    assert!(!model["verdict"]["summary"]
        .as_str()
        .unwrap()
        .starts_with("Safety assessment missing"));
}
