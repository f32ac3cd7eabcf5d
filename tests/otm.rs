//! Open Threat Model interchange (issue #19): `model.otm.json` written by
//! `ward build` and checked against the official OTM 0.2.0 schema with
//! Python's `jsonschema`; the pytm helper (`tools/pytm2otm.py`) on pytm's
//! own sample model.

mod support;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use support::{repo_root, require_python, run_ward, stderr, stdout};

fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures/otm").join(name)
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// `ward build --no-svg MODEL -o OUT ARGS`, which must write its artifacts:
/// exit 0, or 1 for error findings (the glucose monitor has unaccepted
/// risks), never 2 (a compile error).
fn build(model: &Path, out: &Path, args: &[&str]) {
    let mut all = vec![
        "build",
        "--no-svg",
        "-q",
        model.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    let o = run_ward(&repo_root(), &all);
    assert!(
        matches!(o.status.code(), Some(0 | 1)) && out.join("model.json").is_file(),
        "ward {all:?} failed:\n{}{}",
        stdout(&o),
        stderr(&o)
    );
}

/// Fails with the validator's words unless `document` is valid OTM 0.2.0.
fn assert_valid_otm(document: &Path) {
    let python = require_python(&["jsonschema"]);
    let script = "import json, sys, jsonschema\n\
        schema = json.load(open(sys.argv[1]))\n\
        jsonschema.Draft7Validator.check_schema(schema)\n\
        errors = list(jsonschema.Draft7Validator(schema).iter_errors(json.load(open(sys.argv[2]))))\n\
        for e in errors[:10]: print(list(e.absolute_path), e.message)\n\
        sys.exit(1 if errors else 0)\n";
    let o = std::process::Command::new(python)
        .args(["-c", script])
        .arg(fixture("otm_schema.json"))
        .arg(document)
        .output()
        .expect("python runs");
    assert!(
        o.status.success(),
        "{} is not valid OTM:\n{}{}",
        document.display(),
        stdout(&o),
        stderr(&o)
    );
}

fn ids(items: &Value) -> BTreeSet<String> {
    items
        .as_array()
        .expect("an array")
        .iter()
        .map(|i| i["id"].as_str().expect("an id").to_string())
        .collect()
}

#[test]
fn the_pump_example_writes_valid_otm_with_every_threat_and_its_risk() {
    let out = tempfile::tempdir().unwrap();
    build(&repo_root().join("examples/insulin-pump"), out.path(), &[]);
    let otm_path = out.path().join("model.otm.json");
    assert!(
        otm_path.is_file(),
        "the example's Ward.toml turns the OTM export on"
    );
    assert_valid_otm(&otm_path);
    let otm = read_json(&otm_path);
    let model = read_json(&out.path().join("model.json"));
    assert_eq!(otm["otmVersion"], "0.2.0");
    assert_eq!(otm["project"]["id"], model["system"]["id"]);

    // A request/response link is one bidirectional dataflow whose assets
    // hold the response data too, which `returns` names.
    let sync = otm["dataflows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "f_sync")
        .unwrap();
    assert_eq!(sync["bidirectional"], true);
    assert_eq!(
        sync["assets"],
        serde_json::json!(["remote_readings", "dose_log", "therapy_history"])
    );
    assert_eq!(
        sync["attributes"]["ward"]["returns"],
        serde_json::json!(["therapy_history"])
    );
    assert_eq!(sync["attributes"]["ward"]["tlsVersion"], "tls1_2");

    // Every threat of the analysis, by its stable id, with its risk.
    let model_threats: BTreeSet<String> = model["threats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids(&otm["threats"]), model_threats);
    for t in model["threats"].as_array().unwrap() {
        let id = t["id"].as_str().unwrap();
        let o = otm["threats"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .unwrap();
        let ward = &o["attributes"]["ward"];
        assert_eq!(ward["initialRisk"], t["initial"]["overall"], "{id}");
        assert_eq!(
            ward["plannedResidualRisk"], t["planned"]["risk"]["overall"],
            "{id}"
        );
        assert_eq!(
            ward["verifiedResidualRisk"],
            verified(t)["risk"]["overall"],
            "{id}"
        );
        let likelihood = o["risk"]["likelihood"].as_u64().unwrap();
        let impact = o["risk"]["impact"].as_u64().unwrap();
        assert!(
            likelihood <= 100 && impact <= 100,
            "{id}: OTM scores are 0..100"
        );
        assert!(
            !o["categories"].as_array().unwrap().is_empty(),
            "{id}: STRIDE categories"
        );
    }
    let replay = otm["threats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| {
            t["attributes"]["ward"]["origin"] == "written"
                && !t["cwes"].as_array().unwrap().is_empty()
        })
        .expect("a hand-written threat with CWE references");
    assert!(replay["cwes"][0].as_str().unwrap().starts_with("CWE-"));

    // Zones with OTM trust ratings; hostile is 0, trusted 100.
    for zone in otm["trustZones"].as_array().unwrap() {
        let rating = zone["risk"]["trustRating"].as_u64().unwrap();
        let expected = match zone["attributes"]["ward"]["trust"].as_str().unwrap() {
            "hostile" => 0,
            "untrusted" => 33,
            "controlled" => 67,
            "trusted" => 100,
            other => panic!("trust {other}"),
        };
        assert_eq!(rating, expected, "{}", zone["id"]);
    }

    // Every component sits in a declared zone; every flow joins components,
    // states its protocol and encryption, and references declared threats.
    let zones = ids(&otm["trustZones"]);
    let components = ids(&otm["components"]);
    let threats = ids(&otm["threats"]);
    let controls = ids(&otm["mitigations"]);
    for c in otm["components"].as_array().unwrap() {
        assert!(
            zones.contains(c["parent"]["trustZone"].as_str().unwrap()),
            "{}",
            c["id"]
        );
    }
    let mut instances = 0;
    for f in otm["dataflows"].as_array().unwrap() {
        assert!(components.contains(f["source"].as_str().unwrap()));
        assert!(components.contains(f["destination"].as_str().unwrap()));
        assert!(f["attributes"]["protocol"].is_string(), "{}", f["id"]);
        assert!(f["attributes"]["encryption"].is_string(), "{}", f["id"]);
    }
    for holder in otm["components"]
        .as_array()
        .unwrap()
        .iter()
        .chain(otm["dataflows"].as_array().unwrap())
    {
        for instance in holder["threats"].as_array().unwrap() {
            instances += 1;
            assert!(threats.contains(instance["threat"].as_str().unwrap()));
            for m in instance["mitigations"].as_array().unwrap() {
                assert!(controls.contains(m["mitigation"].as_str().unwrap()));
            }
        }
    }
    assert!(
        instances >= model_threats.len(),
        "each threat is on at least one target"
    );

    // The design-history index lists it.
    let index = read_json(&out.path().join("index.json"));
    assert!(
        index.to_string().contains("model.otm.json"),
        "index.json lists model.otm.json"
    );
}

#[test]
fn otm_is_opt_in_and_deterministic() {
    let model = repo_root().join("examples/glucose-monitor");
    let plain = tempfile::tempdir().unwrap();
    build(&model, plain.path(), &[]);
    assert!(
        !plain.path().join("model.otm.json").exists(),
        "without [outputs] otm or --format otm there is no OTM"
    );
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    build(&model, first.path(), &["--format", "otm"]);
    build(&model, second.path(), &["--format=otm"]);
    let a = std::fs::read(first.path().join("model.otm.json")).unwrap();
    let b = std::fs::read(second.path().join("model.otm.json")).unwrap();
    assert!(a == b, "two builds write the same OTM bytes");
    assert_valid_otm(&first.path().join("model.otm.json"));
    // The other artifacts do not change when OTM is switched on.
    for name in ["model.json", "risk-register.csv", "findings.sarif"] {
        assert_eq!(
            std::fs::read(plain.path().join(name)).unwrap(),
            std::fs::read(first.path().join(name)).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn an_unknown_output_format_is_refused() {
    let out = tempfile::tempdir().unwrap();
    let model = repo_root().join("examples/glucose-monitor");
    let o = run_ward(
        &repo_root(),
        &[
            "build",
            model.to_str().unwrap(),
            "-o",
            out.path().to_str().unwrap(),
            "--format",
            "otmx",
        ],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("otm"), "{}", stderr(&o));
}

/// Runs the pytm helper on pytm's sample model and returns its OTM.
fn pytm_sample_as_otm(dir: &Path) -> PathBuf {
    pytm_as_otm(&fixture("pytm"), dir)
}

/// Runs the pytm helper on `model_dir/tm.py`; returns its OTM, in `dir`.
fn pytm_as_otm(model_dir: &Path, dir: &Path) -> PathBuf {
    let python = require_python(&["pytm"]);
    let o = std::process::Command::new(python)
        .arg(repo_root().join("tools/pytm2otm.py"))
        .arg("tm.py")
        .current_dir(model_dir)
        .output()
        .expect("python runs");
    assert!(o.status.success(), "pytm2otm failed:\n{}", stderr(&o));
    let path = dir.join("tm.otm.json");
    std::fs::write(&path, &o.stdout).unwrap();
    path
}

#[test]
fn the_pytm_helper_writes_valid_otm_that_keeps_protocol_and_port() {
    let dir = tempfile::tempdir().unwrap();
    let path = pytm_sample_as_otm(dir.path());
    assert_valid_otm(&path);
    let otm = read_json(&path);
    let flows = otm["dataflows"].as_array().unwrap();
    // tm.py: `user_to_web.protocol = "HTTP"`, `user_to_web.dstPort = 80`.
    let user_to_web = flows
        .iter()
        .find(|f| f["name"] == "User enters comments (*)")
        .expect("the sample's first flow");
    assert_eq!(user_to_web["attributes"]["protocol"], "HTTP");
    assert_eq!(user_to_web["attributes"]["port"], 80);
    assert_eq!(user_to_web["source"], "user");
    assert_eq!(user_to_web["destination"], "web_server");
    assert_eq!(flows.len(), 11, "every Dataflow of tm.py");
    let components = ids(&otm["components"]);
    for name in ["user", "web_server", "sql_database", "aws_lambda"] {
        assert!(components.contains(name), "{name} in {components:?}");
    }
    assert!(
        otm["threats"].as_array().unwrap().len() > 10,
        "pytm's findings become threats"
    );
}

/// `ward import otm INPUT -o OUT ARGS`.
fn run_import(input: &Path, out: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec![
        "import",
        "otm",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    run_ward(&repo_root(), &all)
}

/// `ward import otm INPUT -o OUT`, which must succeed; returns what it
/// said (the summary is on stderr).
fn import(input: &Path, out: &Path) -> String {
    let o = run_import(input, out, &[]);
    assert!(
        o.status.success(),
        "ward import otm {} failed:\n{}{}",
        input.display(),
        stdout(&o),
        stderr(&o)
    );
    stderr(&o)
}

/// A threat's verified residual in model.json: written only when it is not
/// the planned one.
fn verified(threat: &serde_json::Value) -> &serde_json::Value {
    threat.get("verified").unwrap_or(&threat["planned"])
}

/// Threat id -> (title, STRIDE, initial security/safety/overall, planned,
/// verified and judged residual levels) of a build's model.json.
fn threats_and_risks(out: &Path) -> std::collections::BTreeMap<String, String> {
    let model = read_json(&out.join("model.json"));
    support::model_threats(&model)
        .iter()
        .map(|t| {
            let facts = serde_json::json!([
                t["title"],
                t["stride"],
                t["initial"],
                t["planned"]["risk"],
                verified(t)["risk"],
                t["judged"]
            ]);
            (t["id"].as_str().unwrap().to_string(), facts.to_string())
        })
        .collect()
}

/// Vulnerability id -> (advisory, software, status, KEV) and anomaly id ->
/// (title, software, impacts, hazards) of a build's model.json.
fn vulnerabilities_and_anomalies(out: &Path) -> std::collections::BTreeMap<String, String> {
    let model = read_json(&out.join("model.json"));
    // A model without any has no such key.
    let vulnerabilities = model["vulnerabilities"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| {
            let facts = serde_json::json!([v["advisory"], v["software"], v["status"], v["kev"]]);
            (format!("vulnerability {}", v["id"]), facts.to_string())
        });
    let anomalies = model["anomalies"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| {
            let facts = serde_json::json!([
                a["title"],
                a["software"],
                a["safety_impact"],
                a["security_impact"],
                a["hazards"]
            ]);
            (format!("anomaly {}", a["id"]), facts.to_string())
        });
    vulnerabilities.chain(anomalies).collect()
}

/// Build with OTM, import the OTM, build the import: the same threats (by
/// id, none more, none less) with the same title, STRIDE classes and
/// initial, planned, verified and judged risk levels, and the same
/// vulnerabilities (advisory, status, KEV) and anomalies. Returns the
/// first build's folder (with `model.otm.json`).
fn assert_round_trip(model: &Path) -> tempfile::TempDir {
    let example = model.display();
    let first = tempfile::tempdir().unwrap();
    build(model, first.path(), &["--format", "otm"]);
    let imported = tempfile::tempdir().unwrap();
    let model_dir = imported.path().join("model");
    let summary = import(&first.path().join("model.otm.json"), &model_dir);
    assert!(summary.contains("dropped: 0"), "{summary}");
    assert!(
        summary.contains("(generated again)"),
        "rule threats are regenerated: {summary}"
    );
    let second = tempfile::tempdir().unwrap();
    build(&model_dir, second.path(), &[]);
    let before = threats_and_risks(first.path());
    let after = threats_and_risks(second.path());
    assert!(!before.is_empty());
    let lost: Vec<&String> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    let added: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    assert!(
        lost.is_empty() && added.is_empty(),
        "{example}: lost {lost:?}, added {added:?}"
    );
    for (id, facts) in &before {
        assert_eq!(
            facts, &after[id],
            "{example}: threat {id} changed in the round trip"
        );
    }
    assert_eq!(
        vulnerabilities_and_anomalies(first.path()),
        vulnerabilities_and_anomalies(second.path()),
        "{example}: vulnerabilities or anomalies changed in the round trip"
    );
    assert_eq!(
        out_of_scope(first.path()),
        out_of_scope(second.path()),
        "{example}: out-of-scope elements or flows changed in the round trip"
    );
    first
}

/// `element TITLE` or `flow TITLE` -> `out_of_scope` reason of each
/// out-of-scope element and flow of a build's model.json.
fn out_of_scope(out: &Path) -> std::collections::BTreeMap<String, String> {
    let model = read_json(&out.join("model.json"));
    ["element", "flow"]
        .into_iter()
        .flat_map(|kind| {
            let items = model[format!("{kind}s")].as_array().unwrap().clone();
            items.into_iter().filter_map(move |i| {
                let reason = i["out_of_scope"].as_str()?.to_string();
                Some((format!("{kind} {}", i["title"].as_str().unwrap()), reason))
            })
        })
        .collect()
}

/// `id` -> `[outOfScope, reasonOutOfScope]` of each component or dataflow
/// of an OTM document that has either attribute.
fn otm_out_of_scope(otm: &Value, collection: &str) -> std::collections::BTreeMap<String, Value> {
    otm[collection]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| {
            let a = &o["attributes"];
            !a["outOfScope"].is_null() || !a["reasonOutOfScope"].is_null()
        })
        .map(|o| {
            let a = &o["attributes"];
            let id = o["id"].as_str().unwrap().to_string();
            (
                id,
                serde_json::json!([a["outOfScope"], a["reasonOutOfScope"]]),
            )
        })
        .collect()
}

#[test]
fn the_pump_round_trips_through_otm_with_the_same_threats_and_risks() {
    let first = assert_round_trip(&repo_root().join("examples/insulin-pump"));
    // The SBOM, the feeds (the KEV catalog raises two vulnerabilities) and
    // the anomalies are there to lose.
    let facts = vulnerabilities_and_anomalies(first.path());
    assert!(
        facts
            .iter()
            .filter(|(k, v)| k.starts_with("vulnerability") && v.ends_with(",true]"))
            .count()
            >= 2,
        "{facts:?}"
    );
    assert!(facts.keys().any(|k| k.starts_with("anomaly")), "{facts:?}");
    // The hospital's EHR is out of scope: every OTM reader sees it on its
    // component (and nothing else is), and the round trip keeps its reason.
    let otm = read_json(&first.path().join("model.otm.json"));
    let reason =
        "run and secured by the hospital; Acme's side of the link is the EHR integration engine";
    assert_eq!(
        otm_out_of_scope(&otm, "components"),
        [(
            "hospital_ehr".to_string(),
            serde_json::json!([true, reason])
        )]
        .into()
    );
    assert!(otm_out_of_scope(&otm, "dataflows").is_empty());
    assert_eq!(
        out_of_scope(first.path()),
        [("element Hospital EHR".to_string(), reason.to_string())].into()
    );

    // A kept file is never written over: importing where the SBOM already
    // is stops with E0626 and writes nothing.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sbom")).unwrap();
    let mine = dir.path().join("sbom/cgm-fw.cdx.json");
    std::fs::write(&mine, "mine").unwrap();
    let o = run_import(&first.path().join("model.otm.json"), dir.path(), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("E0626"), "{}", stderr(&o));
    assert!(stderr(&o).contains("cgm-fw.cdx.json"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "mine");
    assert_eq!(
        support::files_below(dir.path()),
        [mine],
        "nothing is written"
    );
}

#[test]
fn the_glucose_monitor_round_trips_through_otm_with_the_same_threats_and_risks() {
    assert_round_trip(&repo_root().join("examples/glucose-monitor"));
}

/// The pump with a CycloneDX VEX file that says the update server's nginx
/// is not affected by HTTP/2 Rapid Reset: the round trip keeps the file, so
/// the vulnerability stays `not_affected` and its threat stays gone.
#[test]
fn a_vex_statement_round_trips_through_otm() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("pump");
    support::copy_tree(&repo_root().join("examples/insulin-pump"), &model);
    support::write(
        &model.join("vex/pump.cdx.json"),
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
 "components": [{"type": "library", "bom-ref": "nginx", "name": "nginx", "version": "1.24.0",
   "purl": "pkg:generic/nginx/nginx@1.24.0"}],
 "vulnerabilities": [{"id": "CVE-2023-44487", "affects": [{"ref": "nginx"}],
   "analysis": {"state": "not_affected", "justification": "code_not_reachable"}}]}
"#,
    );
    let manifest = std::fs::read_to_string(model.join("Ward.toml")).unwrap();
    assert!(manifest
        .trim_end()
        .ends_with("feeds = [\"feeds/osv/*.json\", \"feeds/kev.json\"]"));
    support::write(
        &model.join("Ward.toml"),
        &format!("{manifest}vex = [\"./vex/pump.cdx.json\"]\n"),
    );
    let first = assert_round_trip(&model);
    let facts = vulnerabilities_and_anomalies(first.path());
    assert!(
        facts
            .values()
            .any(|v| v.contains("CVE-2023-44487") && v.contains("not_affected")),
        "the VEX statement applies: {facts:?}"
    );
}

/// `ward check DIR --message-format json`: the model compiles (exit 0 or 1,
/// not 2) and its threats are in the last summary record.
fn assert_compiles(dir: &Path) {
    let o = run_ward(&repo_root(), &["check", dir.to_str().unwrap(), "-q"]);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "the imported model does not compile:\n{}{}",
        stdout(&o),
        stderr(&o)
    );
}

#[test]
fn the_otm_example_imports_into_a_model_that_compiles_and_has_its_threat() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model");
    let summary = import(&fixture("EXAMPLE.json"), &model);
    assert!(
        summary.contains("mapped: 2 zone, 2 data, 4 component, 2 flow, 1 threat, 2 control"),
        "{summary}"
    );
    assert!(summary.contains("approximated:"), "{summary}");
    assert_compiles(&model);
    let text = std::fs::read_to_string(model.join("model.ward")).unwrap();
    // The UUID of a trust zone is not a Ward id: the zone is named from its
    // name, and the OTM id stays in a comment.
    assert!(
        text.contains("// from `f0ba7722-39b6-4c81-8290-a30a248bb8d9`"),
        "{text}"
    );
    assert!(text.contains("zone internet \"Internet\""), "{text}");
    // Threat 1 is on the web service and the database dataflow, with its
    // STRIDE categories and CWEs; likelihood 50 is `moderate`.
    assert!(text.contains("stride: [spoofing, tampering]"), "{text}");
    assert!(text.contains("cwe: [79, 787]"), "{text}");
    assert!(text.contains("exploitability: moderate"), "{text}");
    let out = tempfile::tempdir().unwrap();
    build(&model, out.path(), &[]);
    let threats = threats_and_risks(out.path());
    assert!(threats.contains_key("threat_1"), "{threats:?}");
}

#[test]
fn a_pytm_model_imports_through_the_helper_and_compiles() {
    let dir = tempfile::tempdir().unwrap();
    let otm = pytm_sample_as_otm(dir.path());
    let model = dir.path().join("model");
    let summary = import(&otm, &model);
    assert!(summary.contains("11 flow"), "{summary}");
    assert_compiles(&model);
    let text = std::fs::read_to_string(model.join("model.ward")).unwrap();
    assert!(
        text.contains("protocol: http"),
        "the flows keep their protocol"
    );
    assert!(
        text.contains("actor user \"User\""),
        "pytm's Actor is an actor"
    );
    let out = tempfile::tempdir().unwrap();
    build(&model, out.path(), &[]);
    // pytm's finding INP03 on the web server is a hand-written threat.
    let threats = threats_and_risks(out.path());
    assert!(
        threats
            .values()
            .any(|facts| facts.contains("Server Side Include (SSI) Injection")),
        "{threats:?}"
    );
    assert!(
        threats.len() >= 138,
        "every finding, and the rules' threats"
    );
}

/// pytm 1.4's controls reach the v2 vocabulary through the helper: input
/// validation, output encoding, access control on elements; MFA, server
/// authentication and the TLS version on a dataflow.
#[test]
fn pytm_controls_become_the_v2_properties() {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read_to_string(fixture("pytm/tm.py")).unwrap();
    assert!(sample.contains("\nweb.controls.encodesOutput = True\n"));
    assert!(sample.contains("\nmy_lambda.controls.hasAccessControl = True\n"));
    let derived = sample
        + "\nfrom pytm import TLSVersion\n"
        + "web.controls.validatesInput = True\n"
        + "user_to_web.isEncrypted = True\n"
        + "user_to_web.tlsVersion = TLSVersion.TLSv12\n"
        + "user_to_web.controls.usesMFA = True\n"
        + "user_to_web.controls.authenticatesDestination = True\n";
    let model_dir = dir.path().join("pytm");
    support::write(&model_dir.join("tm.py"), &derived);
    let path = pytm_as_otm(&model_dir, dir.path());
    assert_valid_otm(&path);
    let model = dir.path().join("model");
    let summary = import(&path, &model);
    assert!(summary.contains("dropped: 0"), "{summary}");
    assert_compiles(&model);
    let out = tempfile::tempdir().unwrap();
    build(&model, out.path(), &[]);
    let built = read_json(&out.path().join("model.json"));
    let find = |collection: &str, title: &str| {
        (built[collection].as_array().unwrap().iter())
            .find(|x| x["title"] == title)
            .unwrap_or_else(|| panic!("no {title}"))
            .clone()
    };
    let web = find("elements", "Web Server");
    assert_eq!(
        [&web["input_validation"], &web["output_encoding"]],
        [&Value::Bool(true); 2]
    );
    assert_eq!(find("elements", "AWS Lambda")["access_control"], true);
    let comments = find("flows", "User enters comments (*)");
    assert_eq!(comments["auth"], "mfa");
    assert_eq!(comments["tls_version"], "tls1_2");
    assert_eq!(comments["encrypted"], true);
}

/// A small model with an out-of-scope actor and an out-of-scope `<->` flow
/// between it and an in-scope store.
const SCOPED_MODEL: &str = r#"system clinic_link "Clinic link" { version: "1.0" }
use std::stride

zone clinic "Clinic network" { trust: controlled }
zone hospital "Hospital network" { trust: controlled }

data summary "Therapy summary" { kind: phi, confidentiality: high, integrity: high, availability: low }

component gateway "EHR gateway" in clinic { kind: service, stores: [summary] }
actor ehr "Hospital EHR" in hospital {
  kind: external_system
  out_of_scope: "run by the hospital"
}
component archive "Hospital archive" in hospital { kind: datastore }

flow f_feed: gateway -> ehr "Summary feed" { protocol: https, carries: [summary], encrypted: true }
flow f_archive: ehr <-> archive "Archive sync" {
  protocol: smb
  carries: [summary]
  out_of_scope: "inside the hospital: its own risk file"
}
"#;

/// Out of scope reaches another tool through the OTM attributes alone: with
/// the Ward sources removed (as a tool that rewrites the objects leaves
/// them), `ward import otm` reads `outOfScope` and `reasonOutOfScope` back.
#[test]
fn out_of_scope_comes_back_from_the_otm_attributes_without_the_ward_source() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model");
    support::write(&model.join("Ward.toml"), "files = [\"**/*.ward\"]\n");
    support::write(&model.join("model.ward"), SCOPED_MODEL);
    let first = assert_round_trip(&model);
    let want: std::collections::BTreeMap<String, String> = [
        ("element Hospital EHR", "run by the hospital"),
        (
            "flow Archive sync",
            "inside the hospital: its own risk file",
        ),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .into();
    assert_eq!(out_of_scope(first.path()), want);

    let mut otm = read_json(&first.path().join("model.otm.json"));
    assert_eq!(
        otm_out_of_scope(&otm, "dataflows"),
        [(
            "f_archive".to_string(),
            serde_json::json!([true, "inside the hospital: its own risk file"])
        )]
        .into(),
        "a `<->` flow is one dataflow, out of scope once"
    );
    for collection in ["components", "dataflows"] {
        for object in otm[collection].as_array_mut().unwrap() {
            object["attributes"]["ward"]
                .as_object_mut()
                .unwrap()
                .remove("source");
        }
    }
    let input = dir.path().join("edited.otm.json");
    std::fs::write(&input, serde_json::to_string_pretty(&otm).unwrap()).unwrap();
    let imported = dir.path().join("imported");
    let summary = import(&input, &imported);
    assert!(
        !summary.contains("out of scope without a reason"),
        "the reasons are kept: {summary}"
    );
    let text = std::fs::read_to_string(imported.join("model.ward")).unwrap();
    assert!(
        text.contains("out_of_scope: \"run by the hospital\""),
        "{text}"
    );
    let second = tempfile::tempdir().unwrap();
    build(&imported, second.path(), &[]);
    assert_eq!(out_of_scope(second.path()), want);
}

/// A model that uses every v2 property (issue #16): the component
/// properties, `runs_on`, and on flows `auth`, `server_authenticated`,
/// `tls_version`, `identity` and a request/response flow (`returns`).
const V2_MODEL: &str = r#"system clinic "Clinic portal" {
  version: "1.0"
  intended_use: "Shows glucose readings to clinicians."
}

use std::stride

zone internet "Internet" { trust: hostile }
zone cloud "Cloud" { trust: controlled }

data glucose "Glucose readings" { kind: phi, confidentiality: high, integrity: high }
data query "Reading query" { kind: other }
data token "Session token" { kind: credential, confidentiality: high }

actor clinician "Clinician" in internet { kind: human }
component browser "Clinician browser" in internet { kind: browser }
component cluster "Cloud cluster" in cloud { kind: runtime }
component api "Readings API" in cloud {
  kind: service
  input_validation: true
  output_encoding: true
  access_control: true
  authorization: per_patient
  parses: [json, hl7v2]
  processes: [query]
  stores: [glucose]
  runs_on: cluster
}
component idp "Identity provider" in cloud { kind: identity_provider, stores: [token], runs_on: cluster }

flow f_use: clinician -> browser "Uses" { protocol: ui }
flow f_read: browser -> api "Reads glucose" {
  protocol: https
  carries: [query]
  returns: [glucose]
  auth: mfa
  server_authenticated: true
  tls_version: tls1_2
  identity: end_user
  encrypted: true
  integrity_protected: true
}
flow f_sign_in: browser -> idp "Signs in" {
  protocol: https
  carries: [token]
  auth: password
  server_authenticated: false
  encrypted: true
}
flow f_token: api <-> idp "Checks tokens" {
  protocol: https
  carries: [token]
  auth: mutual_tls
  tls_version: tls1_3
  identity: service
  encrypted: true
}
"#;

/// Element title -> its kind and v2 properties (`runs_on` by the runtime's
/// title); flow title and direction -> its v2 properties and data, from a
/// build's model.json.
fn v2_properties(out: &Path) -> std::collections::BTreeMap<String, Value> {
    let model = read_json(&out.join("model.json"));
    let elements = model["elements"].as_array().unwrap();
    let title_of = |id: &Value| {
        (elements.iter())
            .find(|e| &e["id"] == id)
            .map_or(Value::Null, |e| e["title"].clone())
    };
    let mut facts = std::collections::BTreeMap::new();
    for e in elements {
        let p: Vec<Value> = [
            "kind",
            "input_validation",
            "output_encoding",
            "access_control",
        ]
        .iter()
        .chain(&["authorization", "parses", "processes", "stores"])
        .map(|k| e[*k].clone())
        .chain([title_of(&e["runs_on"])])
        .collect();
        facts.insert(format!("element {}", e["title"]), Value::Array(p));
    }
    for f in model["flows"].as_array().unwrap() {
        let direction = if f["reverse_of"].is_null() {
            "forward"
        } else {
            "reverse"
        };
        let p: Vec<Value> = [
            "auth",
            "authenticated",
            "tls_version",
            "identity",
            "carries",
        ]
        .iter()
        .chain(&["is_response", "encrypted"])
        .map(|k| f[*k].clone())
        .collect();
        facts.insert(format!("flow {} {direction}", f["title"]), Value::Array(p));
    }
    facts
}

/// Every v2 property survives `ward build --format otm` then `ward import
/// otm`: through the Ward sources the export keeps, and through the OTM
/// attributes alone (the sources removed, as another tool leaves them).
#[test]
fn every_v2_property_round_trips_through_otm() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model");
    support::write(&model.join("Ward.toml"), "files = [\"**/*.ward\"]\n");
    support::write(&model.join("model.ward"), V2_MODEL);
    let first = assert_round_trip(&model);
    let want = v2_properties(first.path());
    assert_eq!(
        want["flow \"Reads glucose\" reverse"],
        serde_json::json!(["mfa", true, "tls1_2", "end_user", ["glucose"], true, true]),
        "the response direction carries `returns`"
    );

    let mut otm = read_json(&first.path().join("model.otm.json"));
    let object = |otm: &Value, collection: &str, id: &str| {
        (otm[collection].as_array().unwrap().iter())
            .find(|o| o["id"] == id)
            .unwrap()["attributes"]
            .clone()
    };
    let api = object(&otm, "components", "api");
    assert_eq!(
        [
            &api["inputValidation"],
            &api["outputEncoding"],
            &api["accessControl"]
        ],
        [&Value::Bool(true); 3]
    );
    assert_eq!(api["authorization"], "per_patient");
    assert_eq!(api["parses"], serde_json::json!(["json", "hl7v2"]));
    assert_eq!(api["processes"], serde_json::json!(["query"]));
    assert_eq!(api["runsOn"], "cluster");
    let read = object(&otm, "dataflows", "f_read")["ward"].clone();
    assert_eq!(
        [
            &read["auth"],
            &read["tlsVersion"],
            &read["identity"],
            &read["returns"]
        ],
        [
            &serde_json::json!("mfa"),
            &serde_json::json!("tls1_2"),
            &serde_json::json!("end_user"),
            &serde_json::json!(["glucose"])
        ]
    );
    let sign_in = object(&otm, "dataflows", "f_sign_in")["ward"].clone();
    assert_eq!(sign_in["serverAuthenticated"], false);

    for collection in ["components", "dataflows"] {
        for object in otm[collection].as_array_mut().unwrap() {
            object["attributes"]["ward"]
                .as_object_mut()
                .unwrap()
                .remove("source");
        }
    }
    let input = dir.path().join("edited.otm.json");
    std::fs::write(&input, serde_json::to_string_pretty(&otm).unwrap()).unwrap();
    let imported = dir.path().join("imported");
    let summary = import(&input, &imported);
    assert!(summary.contains("dropped: 0"), "{summary}");
    assert!(summary.contains("runs_on on 2"), "{summary}");
    let text = std::fs::read_to_string(imported.join("model.ward")).unwrap();
    assert_eq!(
        text.matches("server_authenticated: false").count(),
        1,
        "only the flow that states it: {text}"
    );
    let second = tempfile::tempdir().unwrap();
    build(&imported, second.path(), &[]);
    assert_eq!(v2_properties(second.path()), want);
}

/// pytm's `inScope = False` on an element and on a dataflow (a copy of
/// pytm's sample with the SQL database and its flow to the identity
/// database taken out of scope): pytm makes no findings on them, the helper
/// marks them `outOfScope`, and the import makes them `out_of_scope` with a
/// reason naming the source (pytm records none), listed as approximated.
#[test]
fn a_pytm_element_and_flow_not_in_scope_are_out_of_scope() {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read_to_string(fixture("pytm/tm.py")).unwrap();
    assert!(sample.contains("\ndb.inScope = True\n"));
    let derived = sample.replace("\ndb.inScope = True\n", "\ndb.inScope = False\n")
        + "\ndb_to_secretDb.inScope = False\n";
    let model_dir = dir.path().join("pytm");
    support::write(&model_dir.join("tm.py"), &derived);
    let path = pytm_as_otm(&model_dir, dir.path());
    assert_valid_otm(&path);
    let otm = read_json(&path);
    assert_eq!(
        otm_out_of_scope(&otm, "components"),
        [("sql_database".to_string(), serde_json::json!([true, null]))].into()
    );
    assert_eq!(
        otm_out_of_scope(&otm, "dataflows"),
        [(
            "database_verify_real_user_identity".to_string(),
            serde_json::json!([true, null])
        )]
        .into()
    );
    let database = (otm["components"].as_array().unwrap().iter())
        .find(|c| c["id"] == "sql_database")
        .unwrap();
    assert!(
        database["threats"].is_null(),
        "pytm makes no findings on an element out of its scope"
    );

    let model = dir.path().join("model");
    let summary = import(&path, &model);
    for what in [
        "component `sql_database`",
        "dataflow `database_verify_real_user_identity`",
    ] {
        assert!(
            summary.lines().any(|l| l.contains(&format!("{what} (line"))
                && l.contains("out of scope without a reason")),
            "{what}: {summary}"
        );
    }
    assert_compiles(&model);
    let out = tempfile::tempdir().unwrap();
    build(&model, out.path(), &[]);
    let reason = "out of scope in the OTM document, which gives no reason";
    assert_eq!(
        out_of_scope(out.path()),
        [
            ("element SQL Database", reason),
            ("flow Database verify real user identity", reason)
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .into()
    );
}

/// `ward import otm` of `text`: it must fail with exit 2 and `code` at
/// `line`, and write nothing.
fn assert_refused(text: &[u8], code: &str, line: Option<u64>) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input.otm.json");
    std::fs::write(&input, text).unwrap();
    let out = dir.path().join("out");
    let o = run_import(&input, &out, &["--message-format", "json"]);
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    let records = support::json_diagnostics(&stdout(&o));
    let record = records
        .iter()
        .find(|r| r["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {records:?}"));
    if let Some(line) = line {
        assert_eq!(record["start_line"], line, "{record}");
        assert!(record["start_column"].as_u64().unwrap() >= 1);
        assert!(record["help"].is_string(), "{record}");
    }
    assert!(!out.exists(), "nothing is written");
}

fn example_text() -> String {
    std::fs::read_to_string(fixture("EXAMPLE.json")).unwrap()
}

#[test]
fn malformed_otm_is_refused_with_its_location_and_nothing_written() {
    let example = example_text();
    // Truncated: the string open at line 121 never ends.
    assert_refused(&example.as_bytes()[..3000], "E0621", Some(121));
    // Wrong type.
    let wrong = example.replace("\"trustRating\": 20", "\"trustRating\": \"high\"");
    assert_refused(wrong.as_bytes(), "E0622", Some(235));
    // Missing required field.
    let missing = example.replacen("\"source\": \"web-client\",", "", 1);
    assert_refused(missing.as_bytes(), "E0622", Some(187));
    // Unknown version.
    let version = example.replace("\"otmVersion\": \"0.2.0\"", "\"otmVersion\": \"7.0\"");
    assert_refused(version.as_bytes(), "E0623", Some(2));
    // Duplicate id: the second component takes the first one's id.
    let duplicate = example.replace("\"id\": \"web-service\"", "\"id\": \"web-client\"");
    assert_refused(duplicate.as_bytes(), "E0624", Some(92));
    // Dangling reference: a dataflow to a component that is not there.
    let dangling = example.replace(
        "\"destination\": \"customer-database\"",
        "\"destination\": \"customer-db\"",
    );
    assert_refused(dangling.as_bytes(), "E0625", Some(204));
    // Not an object; deep nesting stops at its bound, never the stack.
    assert_refused(b"[1, 2]", "E0622", Some(1));
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_refused(deep.as_bytes(), "E0621", Some(1));
    assert_refused(b"", "E0621", None);
}

/// A kept file's path that leaves the output folder, is absolute, hidden
/// or a model file, or repeats another's, is refused at its line, and
/// nothing is written.
#[test]
fn a_kept_file_path_out_of_the_model_folder_is_refused_and_nothing_written() {
    let example: Value = serde_json::from_str(&example_text()).unwrap();
    for (bad, code) in [
        ("../x", "E0622"),
        ("/etc/x", "E0622"),
        ("a/../../x", "E0622"),
        ("C:/x", "E0622"),
        (".git/hooks/post-checkout", "E0622"),
        ("extra.ward", "E0622"),
        ("./sbom/ok.json", "E0624"),
    ] {
        let mut otm = example.clone();
        otm["project"]["attributes"] = serde_json::json!({ "ward": { "files": [
            { "path": "sbom/ok.json", "text": "{}" },
            { "path": bad, "text": "x" }
        ] } });
        let text = serde_json::to_string_pretty(&otm).unwrap();
        let needle = format!("\"path\": {}", serde_json::to_string(bad).unwrap());
        let line = text[..text.find(&needle).unwrap()].matches('\n').count() + 1;
        assert_refused(text.as_bytes(), code, Some(line as u64));
    }
}

#[test]
fn a_100_mb_otm_file_is_refused_before_it_is_parsed() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("huge.otm.json");
    let file = std::fs::File::create(&input).unwrap();
    file.set_len(100 * 1024 * 1024).unwrap();
    let out = dir.path().join("out");
    let o = run_import(&input, &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("E0620"), "{}", stderr(&o));
    assert!(stderr(&o).contains("MiB"), "{}", stderr(&o));
    assert!(!out.exists());
}

#[test]
fn a_kept_ward_source_that_does_not_match_its_object_is_not_used() {
    let first = tempfile::tempdir().unwrap();
    build(
        &repo_root().join("examples/glucose-monitor"),
        first.path(),
        &["--format", "otm"],
    );
    let mut otm = read_json(&first.path().join("model.otm.json"));
    let zone = &mut otm["trustZones"][0];
    let id = zone["id"].as_str().unwrap().to_string();
    zone["attributes"]["ward"]["source"] = Value::String("zone somewhere_else {}".into());
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("edited.otm.json");
    std::fs::write(&input, serde_json::to_string_pretty(&otm).unwrap()).unwrap();
    let model = dir.path().join("model");
    let o = run_import(&input, &model, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("W0640"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("it declares `somewhere_else`"),
        "{}",
        stderr(&o)
    );
    let text = std::fs::read_to_string(model.join("model.ward")).unwrap();
    assert!(!text.contains("somewhere_else"));
    assert!(
        text.contains(&format!("zone {id} ")),
        "the zone is mapped from OTM, id kept: {text}"
    );
    assert_compiles(&model);
}
