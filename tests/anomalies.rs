//! Unresolved anomalies and the post-market plan (issue #17, Deliver 4 and
//! 6): `anomaly` declarations, their register (`anomalies.md`, `.csv`, the
//! report), W0480 without a rationale, and the `monitoring` plan (E0150 a
//! second one, E0151 none at the submission stage).

mod support;
use serde_json::Value;
use std::path::Path;
use support::{assert_matches_schema, repo_root, run_ward, stderr, with_code, write};

const SYSTEM: &str = "system pump \"Insulin pump\" { version: \"2.1.0\", overall_residual: \"Acceptable: see the RMF.\" }\n\
zone body \"On body\" { trust: trusted, controlled_by: patient }\n\
hazard underdose \"Insulin under-delivery\" { severity: critical }\n\
software pump_fw_sw \"Pump firmware\" {\n  supplier: \"Acme Medical\"\n  version: \"4.2.0\"\n  \
purl: \"pkg:generic/acme/pump-fw@4.2.0\"\n  author: \"Acme SBOM tooling\"\n  \
timestamp: \"2026-11-30\"\n  support: supported\n  end_of_support: \"2031-12-31\"\n}\n\
component pump_fw \"Pump firmware\" in body { kind: firmware, software: [pump_fw_sw] }\n";

const MONITORING: &str = "monitoring postmarket \"Post-market plan\" {\n  \
sources: [\"NVD\", \"CISA KEV\", \"vendor advisories: Nordic\"]\n  \
cvd_contact: \"security@acme.example\"\n  cvd_policy: \"https://acme.example/disclosure\"\n  \
patch_within { uncontrolled: 30, controlled: 180 }\n}\n";

/// An anomaly in the pump firmware; `extra` lines go in its block.
fn anomaly(id: &str, extra: &str) -> String {
    format!(
        "anomaly {id} \"History shows a cancelled bolus as delivered\" {{\n  software: [pump_fw_sw]\n  \
         cwe: 684\n  safety_impact: \"Dosing reads the delivery log, not the screen.\"\n  \
         hazards: [underdose]\n  security_impact: \"None: display only.\"\n{extra}}}\n"
    )
}

const RATIONALE: &str =
    "  rationale: \"Acceptable per RMF-31; fixed in 4.3.0.\"\n  ticket: \"PUMP-412\"\n";

fn model(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("model.ward"), text);
    dir
}

use support::check_json as check;

fn build(dir: &Path) {
    let out = run_ward(dir, &["build", "--no-svg", "-o", "out", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

fn read(dir: &Path, artifact: &str) -> String {
    std::fs::read_to_string(dir.join("out").join(artifact))
        .unwrap_or_else(|e| panic!("{artifact}: {e}"))
}

fn json(dir: &Path, artifact: &str) -> Value {
    serde_json::from_str(&read(dir, artifact)).unwrap()
}

#[test]
fn an_anomaly_reaches_model_json_its_register_the_report_and_the_index() {
    let dir = model(&format!(
        "{SYSTEM}{}{MONITORING}",
        anomaly("pump_412", RATIONALE)
    ));
    let (code, diagnostics) = check(dir.path(), &[]);
    assert_eq!(code, 0, "{diagnostics:#?}");
    assert!(with_code(&diagnostics, "W0480").is_empty());
    build(dir.path());

    let doc = json(dir.path(), "model.json");
    let a = &doc["anomalies"][0];
    assert_eq!(a["id"], "pump_412");
    assert_eq!(a["cwe"], 684);
    assert_eq!(a["software"], serde_json::json!(["pump_fw_sw"]));
    assert_eq!(a["hazards"], serde_json::json!(["underdose"]));
    assert_eq!(
        a["safety_impact"],
        "Dosing reads the delivery log, not the screen."
    );
    assert_eq!(a["security_impact"], "None: display only.");
    assert_eq!(a["rationale"], "Acceptable per RMF-31; fixed in 4.3.0.");
    assert_eq!(a["ticket"], "PUMP-412");
    let m = &doc["monitoring"];
    assert_eq!(m["id"], "postmarket");
    assert_eq!(m["sources"][2], "vendor advisories: Nordic");
    assert_eq!(m["cvd_contact"], "security@acme.example");
    assert_eq!(m["cvd_policy"], "https://acme.example/disclosure");
    assert_eq!(
        m["patch_within"],
        serde_json::json!({"uncontrolled": 30, "controlled": 180})
    );
    assert_matches_schema(&doc, "docs/model-schema.json");

    let csv = read(dir.path(), "anomalies.csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "ID,Anomaly,Description,Software,CWE,Safety impact assessment,Hazards considered,\
         Security impact assessment,Rationale for release,Ticket"
    );
    assert_eq!(
        lines.next().unwrap(),
        "pump_412,History shows a cancelled bolus as delivered,,Pump firmware 4.2.0,CWE-684,\
         \"Dosing reads the delivery log, not the screen.\",underdose,None: display only.,\
         Acceptable per RMF-31; fixed in 4.3.0.,PUMP-412"
    );
    let md = read(dir.path(), "anomalies.md");
    assert!(
        md.starts_with("# Unresolved anomalies: Insulin pump\n"),
        "{md}"
    );
    assert!(md.contains("| pump_412 | History shows a cancelled bolus as delivered |"));

    let report = read(dir.path(), "report.html");
    assert!(report.contains("<h2>12. Unresolved anomalies</h2>"));
    assert!(report.contains("<div class=\"pager\" data-table=\"anomalies\"></div>"));
    assert!(report.contains("<h2>13. Post-market plan</h2>"));
    assert!(report.contains("<dd>NVD; CISA KEV; vendor advisories: Nordic</dd>"));
    assert!(report.contains("<dd>security@acme.example</dd>"));
    assert!(report.contains("uncontrolled within</dt><dd>30 days</dd>"));
    assert!(report.contains("controlled within</dt><dd>180 days</dd>"));
    // The register's rows are in the data island the script draws from.
    let island = report
        .split("<script type=\"application/json\" id=\"report-data\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("the data island");
    let island: Value = serde_json::from_str(island).unwrap();
    let rows = island["tables"]["anomalies"]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    let strings = island["strings"].as_array().unwrap();
    let first = rows[0][0].as_u64().unwrap() as usize;
    assert_eq!(strings[first], "pump_412");

    let index = json(dir.path(), "index.json");
    let entry = index["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["path"] == "anomalies.csv")
        .expect("anomalies.csv in the index");
    assert_eq!(
        entry["fda_section"],
        "V.A.5 Security assessment of unresolved anomalies"
    );
    assert!(read(dir.path(), "index.md").contains("[anomalies.md](anomalies.md)"));
}

#[test]
fn a_model_without_anomalies_or_plan_writes_no_register_and_no_section() {
    let dir = model(SYSTEM);
    build(dir.path());
    assert!(!dir.path().join("out/anomalies.md").exists());
    assert!(!dir.path().join("out/anomalies.csv").exists());
    let doc = json(dir.path(), "model.json");
    assert!(doc.get("anomalies").is_none() && doc.get("monitoring").is_none());
    let report = read(dir.path(), "report.html");
    assert!(!report.contains("id=\"anomalies\"") && !report.contains("id=\"postmarket\""));
    assert_matches_schema(&doc, "docs/model-schema.json");
}

#[test]
fn a_missing_rationale_is_a_warning_at_design_and_an_error_at_submission() {
    let dir = model(&format!("{SYSTEM}{}{MONITORING}", anomaly("pump_412", "")));
    let (code, diagnostics) = check(dir.path(), &[]);
    assert_eq!(code, 0);
    let w = with_code(&diagnostics, "W0480");
    assert_eq!(w.len(), 1, "{diagnostics:#?}");
    assert_eq!(w[0]["severity"], "warning");
    assert_eq!(w[0]["start_line"], 14);
    assert!(w[0]["help"].as_str().unwrap().contains("rationale"));

    let (code, diagnostics) = check(dir.path(), &["--stage", "submission"]);
    assert_eq!(code, 1);
    let w = with_code(&diagnostics, "W0480");
    assert_eq!(w[0]["severity"], "error", "{diagnostics:#?}");

    // The register marks the gap rather than leaving the cell empty.
    build(dir.path());
    assert!(read(dir.path(), "anomalies.csv").contains(",GAP: not stated,"));
}

#[test]
fn bad_anomalies_get_located_diagnostics() {
    let text = format!(
        "{SYSTEM}anomaly a1 \"Bad\" {{\n  software: [pump_fw]\n  cwe: \"CWE-125\"\n  \
         safety_impact: \"x\"\n  security_impact: \"y\"\n  rationale: \"z\"\n}}\n\
         anomaly a2 \"No assessment\" {{ rationale: \"r\" }}\n{MONITORING}"
    );
    let dir = model(&text);
    let (code, diagnostics) = check(dir.path(), &[]);
    assert_eq!(code, 2, "{diagnostics:#?}");
    // `pump_fw` is a component: the reference names software only.
    let kind = with_code(&diagnostics, "E0112");
    assert_eq!(kind.len(), 1, "{diagnostics:#?}");
    assert_eq!(kind[0]["start_line"], 15);
    assert!(kind[0]["message"]
        .as_str()
        .unwrap()
        .contains("expected a software"));
    // The CWE is a number.
    let shape = with_code(&diagnostics, "E0204");
    assert_eq!(shape.len(), 1, "{diagnostics:#?}");
    assert_eq!(shape[0]["start_line"], 16);
    // Software and both assessments are required.
    let missing: Vec<String> = with_code(&diagnostics, "E0202")
        .iter()
        .map(|d| d["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(missing.len(), 3, "{missing:#?}");
    for key in ["software", "safety_impact", "security_impact"] {
        assert!(
            missing.iter().any(|m| m.contains(key)),
            "{key}: {missing:#?}"
        );
    }
}

#[test]
fn csv_cells_that_start_a_formula_are_neutralised() {
    let extra =
        "  rationale: \"=HYPERLINK(\\\"http://evil.example\\\")\"\n  ticket: \"@SUM(A1)\"\n";
    let dir = model(&format!(
        "{SYSTEM}{}{MONITORING}",
        anomaly("pump_412", extra)
    ));
    build(dir.path());
    let csv = read(dir.path(), "anomalies.csv");
    let row = csv.lines().nth(1).unwrap();
    assert!(
        !row.contains(",=HYPERLINK") && !row.contains(",\"=HYPERLINK"),
        "{row}"
    );
    assert!(row.contains("'=HYPERLINK"), "{row}");
    assert!(row.ends_with(",'@SUM(A1)"), "{row}");
}

#[test]
fn one_monitoring_plan_per_model() {
    let text = format!(
        "{SYSTEM}{MONITORING}monitoring app_plan \"App plan\" {{\n  sources: [\"OSV\"]\n  \
         cvd_contact: \"app@acme.example\"\n  patch_within {{ uncontrolled: 30, later: 5 }}\n}}\n"
    );
    let dir = model(&text);
    let (code, diagnostics) = check(dir.path(), &[]);
    assert_eq!(code, 2);
    let second = with_code(&diagnostics, "E0150");
    assert_eq!(second.len(), 1, "{diagnostics:#?}");
    assert_eq!(second[0]["start_line"], 20);
    // The second plan's properties are still checked.
    let unknown = with_code(&diagnostics, "E0201");
    assert_eq!(unknown.len(), 1, "{diagnostics:#?}");
    assert!(unknown[0]["message"].as_str().unwrap().contains("`later`"));
}

#[test]
fn a_device_with_software_needs_the_plan_at_submission() {
    let dir = model(SYSTEM);
    let (code, diagnostics) = check(dir.path(), &[]);
    assert_eq!(code, 0);
    assert!(with_code(&diagnostics, "E0151").is_empty());
    let (code, diagnostics) = check(dir.path(), &["--stage", "submission"]);
    assert_eq!(code, 1);
    let missing = with_code(&diagnostics, "E0151");
    assert_eq!(missing.len(), 1, "{diagnostics:#?}");
    assert_eq!(missing[0]["start_line"], 1);

    let dir = model(&format!("{SYSTEM}{MONITORING}"));
    let (_, diagnostics) = check(dir.path(), &["--stage", "submission"]);
    assert!(
        with_code(&diagnostics, "E0151").is_empty(),
        "{diagnostics:#?}"
    );
}

#[test]
fn the_example_ships_its_anomalies_and_plan() {
    let example = repo_root().join("examples/insulin-pump");
    let out = tempfile::tempdir().unwrap();
    let run = run_ward(
        &example,
        &["build", "--no-svg", "-o", out.path().to_str().unwrap(), "."],
    );
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let csv = std::fs::read_to_string(out.path().join("anomalies.csv")).unwrap();
    assert_eq!(csv.lines().count(), 4, "{csv}");
    assert!(csv.contains("pump_438,") && csv.contains("nordic-softdevice-s140 7.3.0"));
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("model.json")).unwrap())
            .unwrap();
    assert_eq!(doc["monitoring"]["patch_within"]["uncontrolled"], 30);
}

/// An open vulnerability of the pump firmware; `extra` lines go in its block.
fn vulnerability(status: &str, extra: &str) -> String {
    format!(
        "vulnerability fw_overflow \"Overflow in the bolus parser\" {{\n  advisory: \"CVE-2026-0001\"\n  \
         software: [pump_fw_sw]\n  cvss: \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"\n  \
         status: {status}\n  published: \"2026-09-05\"\n{extra}}}\n"
    )
}

/// The model with the pump firmware reaching a hazard: a vulnerability of
/// its software is an uncontrolled threat.
fn hazardous_system() -> String {
    SYSTEM.replace(
        "software: [pump_fw_sw] }",
        "software: [pump_fw_sw], hazards { integrity: [underdose] } }",
    )
}

fn overdue(dir: &Path, args: &[&str]) -> (i32, Vec<Value>) {
    let (code, diagnostics) = check(dir, args);
    let found = with_code(&diagnostics, "W0481")
        .into_iter()
        .cloned()
        .collect();
    (code, found)
}

#[test]
fn an_open_vulnerability_past_its_plan_deadline_is_reported_as_of_the_model_date() {
    let dir = model(&format!(
        "{}{}{MONITORING}",
        hazardous_system(),
        vulnerability("affected", "")
    ));
    // No date: nothing is compared (the clock is never read).
    assert!(overdue(dir.path(), &[]).1.is_empty());
    // Within the 30 days for an uncontrolled risk.
    assert!(overdue(dir.path(), &["--as-of", "2026-10-05"]).1.is_empty());
    // One day late, then 57.
    let (_, found) = overdue(dir.path(), &["--as-of", "2026-10-06"]);
    assert_eq!(found.len(), 1);
    assert!(found[0]["message"]
        .as_str()
        .unwrap()
        .contains("1 day past its patch deadline, 2026-10-05"));
    let (_, found) = overdue(dir.path(), &["--as-of", "2026-12-01"]);
    assert_eq!(found[0]["severity"], "warning");
    assert_eq!(found[0]["start_line"], 14);
    let message = found[0]["message"].as_str().unwrap();
    assert!(
        message.contains("`fw_overflow` (`CVE-2026-0001`) is still `affected` 57 days"),
        "{message}"
    );
    let notes = found[0]["notes"].to_string();
    assert!(
        notes.contains("published on 2026-09-05")
            && notes.contains("30 days for uncontrolled risk"),
        "{notes}"
    );
    // An error at the submission stage; `as_of` of Ward.toml counts too.
    write(&dir.path().join("Ward.toml"), "as_of = \"2026-12-01\"\n");
    let (code, found) = overdue(dir.path(), &["--stage", "submission"]);
    assert_eq!(code, 1);
    assert_eq!(found[0]["severity"], "error");
}

#[test]
fn a_vulnerability_whose_threats_are_controlled_gets_the_longer_timeline() {
    // The firmware reaches no hazard and holds no data: the threat the
    // vulnerability became is controlled (its risk is acceptable).
    let dir = model(&format!(
        "{SYSTEM}{}{MONITORING}",
        vulnerability("affected", "")
    ));
    assert!(overdue(dir.path(), &["--as-of", "2027-03-04"]).1.is_empty());
    let (_, found) = overdue(dir.path(), &["--as-of", "2027-03-05"]);
    assert_eq!(found.len(), 1);
    assert!(found[0]["message"]
        .as_str()
        .unwrap()
        .contains("deadline, 2027-03-04"));
    assert!(found[0]["notes"]
        .to_string()
        .contains("180 days for controlled risk"));
}

#[test]
fn the_kev_listing_starts_the_clock_and_closed_vulnerabilities_are_not_judged() {
    let dir = model(&format!(
        "{}{}{MONITORING}",
        hazardous_system(),
        vulnerability("under_investigation", "  kev_added: \"2026-11-20\"\n")
    ));
    // 87 days after publication but 11 after the KEV listing.
    assert!(overdue(dir.path(), &["--as-of", "2026-12-01"]).1.is_empty());
    let (_, found) = overdue(dir.path(), &["--as-of", "2026-12-21"]);
    assert_eq!(found.len(), 1);
    assert!(found[0]["notes"]
        .to_string()
        .contains("added to CISA's KEV catalog on 2026-11-20"));
    // Fixed: recorded, never late.
    let dir = model(&format!(
        "{}{}{MONITORING}",
        hazardous_system(),
        vulnerability("fixed", "")
    ));
    assert!(overdue(dir.path(), &["--as-of", "2027-12-01"]).1.is_empty());
    // No plan: no timeline to judge against.
    let dir = model(&format!(
        "{}{}",
        hazardous_system(),
        vulnerability("affected", "")
    ));
    assert!(overdue(dir.path(), &["--as-of", "2027-12-01"]).1.is_empty());
}

fn git(dir: &Path, args: &[&str]) {
    let git = support::require_tool("git", "apt-get install git");
    let out = std::process::Command::new(&git)
        .current_dir(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
}

#[test]
fn ward_diff_shows_what_changed_in_an_anomaly_and_the_plan() {
    let dir = model(&format!("{SYSTEM}{}{MONITORING}", anomaly("pump_412", "")));
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "v1"]);
    let changed = format!("{SYSTEM}{}{MONITORING}", anomaly("pump_412", RATIONALE))
        .replace("cwe: 684", "cwe: 685")
        .replace("uncontrolled: 30", "uncontrolled: 14");
    write(&dir.path().join("model.ward"), &changed);
    let out = run_ward(dir.path(), &["diff", "HEAD"]);
    let text = support::stdout(&out);
    assert!(text.contains("~ anomaly `pump_412` changed"), "{text}");
    assert!(text.contains("cwe `CWE-684` -> `CWE-685`"), "{text}");
    assert!(
        text.contains("rationale (none) -> `Acceptable per RMF-31; fixed in 4.3.0.`"),
        "{text}"
    );
    assert!(text.contains("~ monitoring `postmarket` changed"), "{text}");
    assert!(
        text.contains("patch_within.uncontrolled `30 days` -> `14 days`"),
        "{text}"
    );
    assert!(text.contains("W0480 warning resolved"), "{text}");
}
