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
        assert_eq!(ward["plannedResidualRisk"], t["planned"]["risk"]["overall"], "{id}");
        assert_eq!(ward["verifiedResidualRisk"], t["verified"]["risk"]["overall"], "{id}");
        let likelihood = o["risk"]["likelihood"].as_u64().unwrap();
        let impact = o["risk"]["impact"].as_u64().unwrap();
        assert!(likelihood <= 100 && impact <= 100, "{id}: OTM scores are 0..100");
        assert!(!o["categories"].as_array().unwrap().is_empty(), "{id}: STRIDE categories");
    }
    let replay = otm["threats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["attributes"]["ward"]["origin"] == "written" && !t["cwes"].as_array().unwrap().is_empty())
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
        assert!(zones.contains(c["parent"]["trustZone"].as_str().unwrap()), "{}", c["id"]);
    }
    let mut instances = 0;
    for f in otm["dataflows"].as_array().unwrap() {
        assert!(components.contains(f["source"].as_str().unwrap()));
        assert!(components.contains(f["destination"].as_str().unwrap()));
        assert!(f["attributes"]["protocol"].is_string(), "{}", f["id"]);
        assert!(f["attributes"]["encryption"].is_string(), "{}", f["id"]);
    }
    for holder in otm["components"].as_array().unwrap().iter().chain(otm["dataflows"].as_array().unwrap()) {
        for instance in holder["threats"].as_array().unwrap() {
            instances += 1;
            assert!(threats.contains(instance["threat"].as_str().unwrap()));
            for m in instance["mitigations"].as_array().unwrap() {
                assert!(controls.contains(m["mitigation"].as_str().unwrap()));
            }
        }
    }
    assert!(instances >= model_threats.len(), "each threat is on at least one target");

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
        &["build", model.to_str().unwrap(), "-o", out.path().to_str().unwrap(), "--format", "otmx"],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("otm"), "{}", stderr(&o));
}

/// Runs the pytm helper on pytm's sample model and returns its OTM.
fn pytm_sample_as_otm(dir: &Path) -> PathBuf {
    let python = require_python(&["pytm"]);
    let o = std::process::Command::new(python)
        .arg(repo_root().join("tools/pytm2otm.py"))
        .arg("tm.py")
        .current_dir(fixture("pytm"))
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
