//! Issue #13, item 3: the words of the outputs. Exploitability is never
//! called a probability, the two matrices are "security risk" and
//! "safety-related security risk", the transfer basis hands the hazard, the
//! hazardous situation and the exploitability to the ISO 14971 risk
//! management file, and each transferred row shows the risk file's side
//! (`rmf_ref`, `rmf_risk`).

use std::collections::BTreeMap;
use std::path::Path;

use ward_render::RenderOptions;

/// The one sentence allowed to speak of probability: the risk management
/// file, not Ward, estimates the probability of harm.
const RMF_ESTIMATES: &str = "the risk management file estimates the probability of harm";

fn no_svg() -> RenderOptions {
    RenderOptions {
        no_svg: true,
        ..RenderOptions::default()
    }
}

struct Built {
    files: BTreeMap<String, String>,
    explanations: Vec<(String, String)>,
}

fn build_example(name: &str) -> Built {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    let compiled = ward_model::compile_path(&dir);
    assert!(!compiled.has_errors(), "{} does not compile", dir.display());
    let analysis = ward_analysis::analyze(&compiled.model);
    let files = ward_render::testing::render_compiled(&compiled, &analysis, &no_svg())
        .unwrap_or_else(|e| panic!("{e:#?}"))
        .artifacts
        .iter()
        .map(|a| (a.path.clone(), a.text().to_string()))
        .collect();
    let view = ward_view::View::new(&compiled.model, &analysis, &compiled.sources);
    let explanations = analysis
        .threats
        .iter()
        .map(|t| {
            let text = ward_view::explain_risk(&compiled.model, &analysis, &view, &t.id).unwrap();
            (t.id.clone(), text)
        })
        .collect();
    Built {
        files,
        explanations,
    }
}

/// Fails if `text` speaks of probability anywhere but in [`RMF_ESTIMATES`],
/// or keeps a word of the old wording.
fn assert_exact_wording(what: &str, text: &str) {
    let rest = text.replace(RMF_ESTIMATES, "").to_lowercase();
    for word in ["probab", "p1 = 1", "p1 basis", "stands in", "safety risk"] {
        if let Some(at) = rest.find(word) {
            let around = &rest[at.saturating_sub(80)..(at + 80).min(rest.len())];
            panic!("{what} says {word:?}: ...{around}...");
        }
    }
}

#[test]
fn the_example_never_calls_exploitability_a_probability() {
    let built = build_example("insulin-pump");
    let report = &built.files["report.html"];
    for name in ["report.html", "safety-transfer.md", "safety-transfer.csv"] {
        assert_exact_wording(name, &built.files[name]);
    }
    for (id, text) in &built.explanations {
        assert_exact_wording(&format!("--explain-risk {id}"), text);
    }

    // Both matrices, by their names, in the method section and the heat maps.
    for title in [
        "<h3>Security risk matrix (security impact &times; exploitability)</h3>",
        "<h3>Safety-related security risk matrix (severity &times; exploitability)</h3>",
        "<h3>Security risk: threats before controls (",
        "<h3>Safety-related security risk: threats before controls (",
    ] {
        assert!(report.contains(title), "report.html lacks {title}");
    }
    // The method is cited, and the transfer basis is stated in the same terms.
    assert!(report.contains("Section V.A.2 and Appendix 5) and of AAMI TIR57"));
    let basis = "Transfer basis: Ward hands the hazard, the hazardous situation and the \
                 exploitability to the ISO 14971 risk management file; the risk management \
                 file estimates the probability of harm.";
    assert!(
        report.contains(basis),
        "report.html lacks the transfer basis"
    );
    assert!(built.files["safety-transfer.md"].contains(basis));
    assert!(report.contains(&format!(
        "Risk policy</dt><dd>{} (<code>std::policy::iso14971_5x5</code>)",
        ward_model::STD_POLICY_TITLE
    )));
    assert_eq!(
        ward_model::STD_POLICY_TITLE,
        "Exploitability-based 5x5 (FDA premarket guidance, AAMI TIR57)"
    );

    // --explain-risk names the safety-related security risk of a threat
    // with a hazard, and the security risk of every threat.
    let (_, with_hazard) = built
        .explanations
        .iter()
        .find(|(_, text)| !text.contains("3. Hazards: none"))
        .expect("a threat with a hazard");
    assert!(with_hazard.contains("   safety-related security risk = matrix["));
    assert!(built
        .explanations
        .iter()
        .all(|(_, text)| text.contains("   security risk = security_matrix[")));
}

/// The safety-transfer rows of a CSV, each a map from column title to cell.
fn csv_rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .map(str::to_string)
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

const BOTH_SIDES: &str = r#"system s "S" { version: "1" }
zone home "Home" { trust: untrusted, controlled_by: patient }
zone dev "Device" in home { trust: trusted }

hazard overdose "Insulin over-delivery" {
  hazardous_situation: "Pump delivers a bolus the patient did not intend"
  harm: "Severe hypoglycaemia"
  severity: catastrophic
  rmf_ref: "HA-001"
  rmf_risk: "S5 x O2 (remote): acceptable with RC-011"
}
hazard missed_dose "Missed insulin dose" {
  hazardous_situation: "No basal insulin for hours"
  harm: "Hyperglycaemia"
  severity: minor
  rmf_ref: "HA-002"
}

component pump "Pump" in dev { kind: device }
component app "App" in home { kind: mobile_app }
data dose_cmd "Dose command" { kind: command, integrity: high }
flow f_dose: app -> pump "Dose" { protocol: ble, carries: [dose_cmd] }

threat bolus "Forged bolus" {
  stride: tampering
  targets: [f_dose]
  hazards: [overdose, missed_dose]
  exploitability: high
}
control auth "Authenticated commands" {
  category: authentication
  requirement: "Every dose command is authenticated"
  mitigates: [bolus]
  reduces: 2
}
"#;

#[test]
fn each_transferred_row_shows_both_sides() {
    let compiled = ward_model::compile_str("model.ward", BOTH_SIDES);
    let overdose = compiled.model.find_hazard("overdose").unwrap();
    let missed = compiled.model.find_hazard("missed_dose").unwrap();
    assert_eq!(
        compiled.model.hazard(overdose).rmf_risk.as_deref(),
        Some("S5 x O2 (remote): acceptable with RC-011")
    );
    assert_eq!(compiled.model.hazard(missed).rmf_risk, None);

    let rendered = ward_render::testing::render_text(BOTH_SIDES, &no_svg()).unwrap();
    let files: BTreeMap<&str, &str> = rendered
        .artifacts
        .iter()
        .map(|a| (a.path.as_str(), a.text()))
        .collect();

    let rows = csv_rows(files["safety-transfer.csv"]);
    assert_eq!(rows.len(), 2);
    let row = |hazard: &str| rows.iter().find(|r| r["Hazard"] == hazard).unwrap();
    let over = row("overdose");
    assert_eq!(over["Threat"], "bolus");
    assert_eq!(
        over["Hazardous situation"],
        "Pump delivers a bolus the patient did not intend"
    );
    assert_eq!(over["Severity"], "catastrophic");
    assert_eq!(over["Exploitability before controls"], "high");
    assert_eq!(
        over["Safety-related security risk before controls"],
        "unacceptable"
    );
    assert_eq!(over["Controls"], "auth");
    assert_eq!(over["Exploitability after controls"], "low");
    assert_eq!(
        over["Safety-related security risk after controls"],
        "review"
    );
    assert_eq!(over["RMF ref"], "HA-001");
    assert_eq!(
        over["RMF risk evaluation"],
        "S5 x O2 (remote): acceptable with RC-011"
    );
    assert!(over["Transfer basis"].ends_with(&format!("{RMF_ESTIMATES}.")));
    // Each row is judged on its own hazard's severity, not the threat's highest.
    let missed = row("missed_dose");
    assert_eq!(missed["Severity"], "minor");
    assert_eq!(
        missed["Safety-related security risk before controls"],
        "review"
    );
    assert_eq!(
        missed["Safety-related security risk after controls"],
        "acceptable"
    );
    assert_eq!(missed["RMF ref"], "HA-002");
    assert_eq!(missed["RMF risk evaluation"], "not recorded");

    // The report's transfer table has the same two sides.
    let island = ward_render::testing::report_island(files["report.html"]);
    let (titles, rows) = ward_render::testing::island_table(&island, "safety_transfer");
    let rmf = titles
        .iter()
        .position(|t| t == "RMF risk evaluation")
        .expect("the report's transfer table has the RMF column");
    let evaluations: Vec<&str> = rows.iter().map(|r| r[rmf].as_str()).collect();
    assert!(evaluations.contains(&"S5 x O2 (remote): acceptable with RC-011"));
    assert!(evaluations.contains(&"not recorded"));

    // model.json carries the risk file's evaluation; absent is null.
    let doc: serde_json::Value = serde_json::from_str(files["model.json"]).unwrap();
    let hazards = doc["hazards"].as_array().unwrap();
    let by_id = |id: &str| hazards.iter().find(|h| h["id"] == id).unwrap();
    assert_eq!(
        by_id("overdose")["rmf_risk"],
        "S5 x O2 (remote): acceptable with RC-011"
    );
    assert_eq!(by_id("missed_dose")["rmf_risk"], serde_json::Value::Null);
}
