//! VEX in and out (issue #17, Deliver 3 and 5): `Ward.toml`'s `vex` files
//! (real CSAF 2.0 VEX and CycloneDX VEX examples) set the disposition of
//! the model's vulnerabilities, malformed ones get located errors and no
//! artifacts, and `ward build` writes `vex.cdx.json`, checked by
//! cyclonedx-python-lib's CycloneDX 1.6 validator.

mod support;
use serde_json::Value;
use std::path::Path;
use support::{check_json, repo_root, require_python, run_ward, stderr, with_code, write};

/// Product ABC 4.2 of the CISA use-case examples, running Log4j.
const MODEL: &str = "system product_abc \"Product ABC\" { version: \"4.2\", overall_residual: \"Acceptable.\" }\n\
zone cloud \"Cloud\" { trust: controlled, controlled_by: manufacturer }\n\
hazard wrong_therapy \"Wrong therapy\" { severity: critical }\n\
software abc \"ABC\" {\n  supplier: \"Example Company\"\n  version: \"4.2\"\n  \
purl: \"pkg:generic/example/abc@4.2\"\n  author: \"Example Company\"\n  \
timestamp: \"2026-11-30\"\n  support: supported\n  end_of_support: \"2030-12-31\"\n}\n\
component service \"ABC service\" in cloud { kind: service, software: [abc], hazards { integrity: [wrong_therapy] } }\n\
vulnerability log4shell \"Log4Shell\" {\n  advisory: \"CVE-2021-44228\"\n  software: [abc]\n  \
cvss: \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H\"\n  status: under_investigation\n  \
published: \"2021-12-10\"\n}\n";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(repo_root().join("tests/fixtures/vex").join(name)).unwrap()
}

/// A model folder with `model.ward`, `Ward.toml` naming `vex/NAME` for
/// each of `files`, and those files.
fn model(text: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("model.ward"), text);
    let list: Vec<String> = files.iter().map(|(n, _)| format!("\"vex/{n}\"")).collect();
    write(
        &dir.path().join("Ward.toml"),
        &format!(
            "as_of = \"2026-12-01\"\n[vulnerabilities]\nvex = [{}]\n",
            list.join(", ")
        ),
    );
    for (name, text) in files {
        write(&dir.path().join("vex").join(name), text);
    }
    dir
}

fn check(dir: &Path) -> (i32, Vec<Value>) {
    check_json(dir, &[])
}

fn build(dir: &Path) -> std::process::Output {
    run_ward(dir, &["build", "--no-svg", "-o", "out", "."])
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The analysis `vex.cdx.json` states for the model's one vulnerability.
fn analysis(dir: &Path) -> Value {
    read_json(&dir.join("out/vex.cdx.json"))["vulnerabilities"][0]["analysis"].clone()
}

#[test]
fn a_real_cyclonedx_vex_statement_sets_the_disposition_and_vex_cdx_json_states_it() {
    let dir = model(
        MODEL,
        &[("abc.cdx.json", &fixture("cdx-case1-vex-not_affected.json"))],
    );
    let (code, diagnostics) = check(dir.path());
    assert_eq!(code, 0, "{diagnostics:#?}");
    assert!(
        with_code(&diagnostics, "W0482").is_empty(),
        "{diagnostics:#?}"
    );
    let out = build(dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // `not_affected` is recorded, not scored: no threat.
    let doc = read_json(&dir.path().join("out/model.json"));
    assert!(doc["threats"].as_array().unwrap().is_empty());

    let vex = read_json(&dir.path().join("out/vex.cdx.json"));
    assert_eq!(vex["specVersion"], "1.6");
    assert_eq!(vex["metadata"]["timestamp"], "2026-12-01T00:00:00Z");
    let sources = &vex["metadata"]["properties"][0];
    assert_eq!(sources["name"], "ward:sources_sha256");
    assert_eq!(sources["value"], doc["sources"]["sha256"]);
    let entry = &vex["vulnerabilities"][0];
    assert_eq!(entry["id"], "CVE-2021-44228");
    assert_eq!(entry["analysis"]["state"], "not_affected");
    assert_eq!(entry["analysis"]["justification"], "code_not_present");
    assert_eq!(
        entry["analysis"]["response"],
        serde_json::json!(["will_not_fix"])
    );
    assert!(entry["analysis"]["detail"]
        .as_str()
        .unwrap()
        .starts_with("This version of Product ABC"));
    assert_eq!(entry["affects"][0]["ref"], "software:abc");
    assert_eq!(entry["ratings"][0]["method"], "CVSSv31");
    assert_eq!(entry["ratings"][0]["severity"], "critical");
    // The same software bom-ref as sbom.cdx.json.
    let sbom = read_json(&dir.path().join("out/sbom.cdx.json"));
    let refs: Vec<&str> = sbom["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["bom-ref"].as_str())
        .collect();
    assert!(refs.contains(&"software:abc"), "{refs:?}");
    // Listed in the design-history index.
    let index = read_json(&dir.path().join("out/index.json"));
    assert!(index["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["path"] == "vex.cdx.json"));
    assert_valid_cyclonedx(&dir.path().join("out/vex.cdx.json"));
}

fn assert_valid_cyclonedx(path: &Path) {
    let python = require_python(&["cyclonedx"]);
    let script = "import sys\n\
from cyclonedx.validation.json import JsonStrictValidator\n\
from cyclonedx.schema import SchemaVersion\n\
errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(open(sys.argv[1]).read())\n\
print(errors if errors is not None else 'valid')\n\
sys.exit(0 if errors is None else 1)\n";
    let out = std::process::Command::new(python)
        .args(["-c", script])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{} is not valid CycloneDX 1.6: {}{}",
        path.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_real_csaf_vex_document_sets_the_disposition_by_product_name_and_version() {
    let dir = model(
        MODEL,
        &[("abc.csaf.json", &fixture("csaf-2022-evd-uc-01-a-001.json"))],
    );
    // uc-01-a is about product DEF 1.0: nothing in this model.
    let (_, diagnostics) = check(dir.path());
    let unmatched = with_code(&diagnostics, "W0482");
    assert_eq!(unmatched.len(), 1, "{diagnostics:#?}");
    assert_eq!(unmatched[0]["file"], "vex/abc.csaf.json");
    assert_eq!(unmatched[0]["start_line"], 66);
    assert!(unmatched[0]["message"]
        .as_str()
        .unwrap()
        .contains("`DEF` 1.0"));

    // uc-01-na is about ABC 4.2: known_not_affected, with the impact statement.
    let dir = model(
        MODEL,
        &[("abc.csaf.json", &fixture("csaf-2022-evd-uc-01-na-001.json"))],
    );
    let (_, diagnostics) = check(dir.path());
    assert!(
        with_code(&diagnostics, "W0482").is_empty(),
        "{diagnostics:#?}"
    );
    assert_eq!(build(dir.path()).status.code(), Some(0));
    assert_eq!(analysis(dir.path())["state"], "not_affected");
    let vex = read_json(&dir.path().join("out/vex.cdx.json"));
    assert_eq!(
        vex["vulnerabilities"][0]["analysis"]["detail"],
        "Class with vulnerable code was removed before shipping."
    );
    // The document gives no justification flag: the gap is reported.
    assert_eq!(
        with_code(&diagnostics, "W0470").len(),
        1,
        "{diagnostics:#?}"
    );
}

#[test]
fn a_later_statement_wins_and_a_version_range_matches_no_version() {
    let affected = fixture("cdx-case1-vex-not_affected.json")
        .replace("\"not_affected\"", "\"exploitable\"")
        .replace("\"justification\": \"code_not_present\",", "");
    let dir = model(
        MODEL,
        &[
            ("1.cdx.json", &fixture("cdx-case1-vex-not_affected.json")),
            ("2.cdx.json", &affected),
            ("3.csaf.json", &fixture("csaf-sec-vex-2022-0001.json")),
        ],
    );
    let (_, diagnostics) = check(dir.path());
    // Secvisogram `<=1.14.0` names no software of the model (3 CVEs).
    assert_eq!(
        with_code(&diagnostics, "W0482").len(),
        3,
        "{diagnostics:#?}"
    );
    build(dir.path());
    let a = analysis(dir.path());
    assert_eq!(a["state"], "exploitable", "{a}");
    assert!(a.get("justification").is_none(), "{a}");
    // Scored again: the threat is back.
    let doc = read_json(&dir.path().join("out/model.json"));
    assert_eq!(doc["threats"].as_array().unwrap().len(), 1);
}

#[test]
fn vex_cdx_json_is_deterministic_and_only_written_with_vulnerabilities() {
    let dir = model(
        MODEL,
        &[("abc.cdx.json", &fixture("cdx-case1-vex-not_affected.json"))],
    );
    build(dir.path());
    let first = std::fs::read(dir.path().join("out/vex.cdx.json")).unwrap();
    std::fs::remove_dir_all(dir.path().join("out")).unwrap();
    build(dir.path());
    assert_eq!(
        first,
        std::fs::read(dir.path().join("out/vex.cdx.json")).unwrap()
    );

    let without = MODEL.split("vulnerability log4shell").next().unwrap();
    let dir = model(without, &[]);
    let out = build(dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!dir.path().join("out/vex.cdx.json").exists());
}

/// A malformed VEX file: the code, its place in the file, a help line,
/// exit 2 and no output folder.
fn assert_rejected(name: &str, text: &str, code: &str, line: Option<u64>) {
    let dir = model(MODEL, &[(name, text)]);
    if code == "E0152" {
        std::fs::remove_file(dir.path().join("vex").join(name)).unwrap();
    }
    let (exit, diagnostics) = check(dir.path());
    assert_eq!(exit, 2, "{name}: {diagnostics:#?}");
    let found = with_code(&diagnostics, code);
    assert_eq!(found.len(), 1, "{name}: {diagnostics:#?}");
    let d = found[0];
    if let Some(line) = line {
        assert_eq!(d["file"], format!("vex/{name}"), "{d}");
        assert_eq!(d["start_line"], line, "{d}");
    } else {
        assert_eq!(d["file"], "Ward.toml", "{d}");
    }
    assert!(!d["help"].as_str().unwrap_or_default().is_empty(), "{d}");
    let out = build(dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        !dir.path().join("out").exists(),
        "{name}: a build wrote artifacts"
    );
}

#[test]
fn malformed_vex_files_get_located_errors_and_no_artifacts() {
    let csaf = fixture("csaf-2022-evd-uc-01-na-001.json");
    let cdx = fixture("cdx-case1-vex-not_affected.json");
    assert_rejected("missing.json", "", "E0152", None);
    assert_rejected("truncated.json", &csaf[..1000], "E0153", Some(36));
    assert_rejected(
        "types.json",
        &csaf.replace("\"cve\": \"CVE-2021-44228\"", "\"cve\": 44228"),
        "E0154",
        Some(66),
    );
    assert_rejected(
        "csaf21.json",
        &csaf.replace("\"csaf_version\": \"2.0\"", "\"csaf_version\": \"2.1\""),
        "E0155",
        Some(4),
    );
    assert_rejected(
        "cdx13.json",
        &cdx.replace("\"specVersion\": \"1.4\"", "\"specVersion\": \"1.3\""),
        "E0155",
        Some(3),
    );
    let doubled = cdx.replace(
        "  \"vulnerabilities\": [",
        "  \"components\": [{\"type\": \"library\", \"name\": \"a\", \"bom-ref\": \"product-ABC\"}],\n  \"vulnerabilities\": [",
    );
    assert_rejected("duplicate.json", &doubled, "E0156", Some(14));
    // Over 32 MiB: refused before it is parsed.
    let huge = format!(
        "{{\"bomFormat\": \"CycloneDX\", \"pad\": \"{}\"}}",
        "x".repeat(33 << 20)
    );
    assert_rejected("huge.json", &huge, "E0157", None);
}

#[test]
fn the_example_writes_a_valid_vex_cdx_json_of_its_vulnerabilities() {
    let out = tempfile::tempdir().unwrap();
    let run = run_ward(
        &repo_root().join("examples/insulin-pump"),
        &["build", "--no-svg", "-o", out.path().to_str().unwrap(), "."],
    );
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let path = out.path().join("vex.cdx.json");
    let vex = read_json(&path);
    let doc = read_json(&out.path().join("model.json"));
    assert_eq!(
        vex["vulnerabilities"].as_array().unwrap().len(),
        doc["vulnerabilities"].as_array().unwrap().len()
    );
    assert_valid_cyclonedx(&path);
}
