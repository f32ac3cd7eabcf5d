//! `software` declarations (issue #17, Deliver 1): the NTIA minimum elements
//! and the FDA support fields, references from components (free text still
//! works, with W0204), dependency cycles (E0123) and the end-of-support gap
//! (W0460) judged against `as_of`, never the clock.

mod support;
use serde_json::Value;
use std::path::Path;
use support::{run_ward, stderr, stdout, with_code, write};

const SYSTEM: &str = "system pump \"Insulin pump\" { version: \"2.1.0\", overall_residual: \"Acceptable: see the RMF.\" }\n\
zone body \"On body\" { trust: trusted, controlled_by: patient }\n";

/// A `software` declaration with every field; `extra` lines go in its block.
fn software(id: &str, end_of_support: Option<&str>, extra: &str) -> String {
    let eos = end_of_support.map_or(String::new(), |d| format!("  end_of_support: \"{d}\"\n"));
    format!(
        "software {id} \"Zephyr RTOS\" {{\n  supplier: \"Zephyr Project\"\n  version: \"3.6.0\"\n  \
         purl: \"pkg:github/zephyrproject-rtos/zephyr@v3.6.0\"\n  \
         cpe: \"cpe:2.3:o:zephyrproject:zephyr:3.6.0:*:*:*:*:*:*:*\"\n  \
         author: \"Acme Medical SBOM tooling\"\n  timestamp: \"2026-11-30\"\n  \
         support: supported\n{eos}  hashes: [\"sha256:00ff\"]\n{extra}}}\n"
    )
}

const MBEDTLS: &str = "software mbedtls \"Mbed TLS\" {\n  supplier: \"Trusted Firmware\"\n  \
version: \"3.5.2\"\n  purl: \"pkg:github/Mbed-TLS/mbedtls@v3.5.2\"\n  author: \"Acme\"\n  \
timestamp: \"2026-11-30\"\n  support: limited\n  end_of_support: \"2027-03-31\"\n}\n";

fn component(software: &str) -> String {
    format!("component pump_fw \"Pump firmware\" in body {{\n  kind: firmware\n  software: {software}\n}}\n")
}

/// A model folder holding `model.ward` (and `Ward.toml` when given).
fn model(text: &str, manifest: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("model.ward"), text);
    if let Some(toml) = manifest {
        write(&dir.path().join("Ward.toml"), toml);
    }
    dir
}

use support::check_json as check;

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

fn model_json(dir: &Path) -> Value {
    let out = run_ward(dir, &["build", "--no-svg", "-o", "out", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&std::fs::read_to_string(dir.join("out/model.json")).unwrap()).unwrap()
}

#[test]
fn every_field_is_lowered_into_model_json() {
    let text = format!(
        "{SYSTEM}{}{MBEDTLS}{}",
        software(
            "zephyr_rtos",
            Some("2029-12-31"),
            "  depends_on: [mbedtls]\n"
        ),
        component("[zephyr_rtos]")
    );
    let dir = model(&text, None);
    let (code, diagnostics) = check(dir.path(), &[]);
    assert_eq!(code, 0);
    assert!(
        codes(&diagnostics)
            .iter()
            .all(|c| !c.starts_with("W02") && c != "W0460"),
        "{diagnostics:?}"
    );
    let doc = model_json(dir.path());
    let software = doc["software"].as_array().expect("model.json `software`");
    assert_eq!(software.len(), 2);
    let zephyr = &software[0];
    assert_eq!(zephyr["id"], "zephyr_rtos");
    assert_eq!(zephyr["title"], "Zephyr RTOS");
    assert_eq!(zephyr["supplier"], "Zephyr Project");
    assert_eq!(zephyr["version"], "3.6.0");
    assert_eq!(
        zephyr["purl"],
        "pkg:github/zephyrproject-rtos/zephyr@v3.6.0"
    );
    assert_eq!(
        zephyr["cpe"],
        "cpe:2.3:o:zephyrproject:zephyr:3.6.0:*:*:*:*:*:*:*"
    );
    assert_eq!(zephyr["author"], "Acme Medical SBOM tooling");
    assert_eq!(zephyr["timestamp"], "2026-11-30");
    assert_eq!(zephyr["depends_on"], serde_json::json!(["mbedtls"]));
    assert_eq!(zephyr["support"], "supported");
    assert_eq!(zephyr["end_of_support"], "2029-12-31");
    assert_eq!(zephyr["hashes"], serde_json::json!(["sha256:00ff"]));
    assert_eq!(zephyr["run_by"], serde_json::json!(["pump_fw"]));
    // mbedtls is run through zephyr's dependency; its cpe is not given.
    assert_eq!(software[1]["run_by"], serde_json::json!(["pump_fw"]));
    assert_eq!(software[1]["cpe"], Value::Null);
    // The component lists it by its label, which the std rule's title reads.
    let pump_fw = doc["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "pump_fw")
        .unwrap();
    assert_eq!(
        pump_fw["software"],
        serde_json::json!(["Zephyr RTOS 3.6.0"])
    );
}

#[test]
fn software_without_purl_or_cpe_is_an_error() {
    let text = format!(
        "{SYSTEM}software bare \"Bare\" {{\n  supplier: \"S\"\n  version: \"1\"\n  author: \"A\"\n  \
         timestamp: \"2026-11-30\"\n  support: supported\n  end_of_support: \"2030-01-01\"\n}}\n"
    );
    let dir = model(&text, None);
    let (code, diagnostics) = check(dir.path(), &[]);
    assert_eq!(code, 2);
    let missing = with_code(&diagnostics, "E0202");
    assert_eq!(missing.len(), 1, "{diagnostics:?}");
    assert!(missing[0]["message"]
        .as_str()
        .unwrap()
        .contains("`purl` or `cpe`"));
    assert_eq!(missing[0]["start_line"], 3);
    assert_eq!(missing[0]["start_column"], 10);
}

#[test]
fn bad_dates_are_e0216() {
    let text = format!(
        "{SYSTEM}{}",
        software("zephyr_rtos", Some("2029-02-30"), "").replace("\"2026-11-30\"", "\"30/11/2026\"")
    );
    let dir = model(&text, None);
    let (code, diagnostics) = check(dir.path(), &[]);
    assert_eq!(code, 2);
    let bad: Vec<String> = with_code(&diagnostics, "E0216")
        .iter()
        .map(|d| d["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        bad,
        [
            "`30/11/2026` is not a calendar date",
            "`2029-02-30` is not a calendar date"
        ]
    );
}

#[test]
fn an_unknown_reference_suggests_the_declared_software() {
    let text = format!(
        "{SYSTEM}{}{}",
        software(
            "zephyr_rtos",
            Some("2029-12-31"),
            "  depends_on: [mbedtsl]\n"
        ),
        component("[zephyr_rtso]")
    );
    let dir = model(&text, None);
    let (code, diagnostics) = check(dir.path(), &[]);
    assert_eq!(code, 2);
    let unknown = with_code(&diagnostics, "E0111");
    assert_eq!(unknown.len(), 2, "{diagnostics:?}");
    assert_eq!(unknown[0]["message"], "unknown software `mbedtsl`");
    assert_eq!(unknown[1]["message"], "unknown software `zephyr_rtso`");
    assert_eq!(unknown[1]["help"], "did you mean `zephyr_rtos`?");
    assert_eq!(unknown[1]["start_line"], 17);
    assert_eq!(unknown[1]["start_column"], 14);
}

#[test]
fn a_dependency_cycle_is_e0123_reported_once() {
    let text = format!(
        "{SYSTEM}{}{}{}",
        software(
            "zephyr_rtos",
            Some("2029-12-31"),
            "  depends_on: [mbedtls]\n"
        ),
        MBEDTLS.replace("}\n", "  depends_on: [zephyr_rtos]\n}\n"),
        component("[zephyr_rtos]")
    );
    let dir = model(&text, None);
    let (code, diagnostics) = check(dir.path(), &[]);
    assert_eq!(code, 2);
    let cycles = with_code(&diagnostics, "E0123");
    assert_eq!(cycles.len(), 1, "{diagnostics:?}");
    assert_eq!(
        cycles[0]["message"],
        "software `zephyr_rtos` depends on itself through `depends_on`"
    );
    assert_eq!(
        cycles[0]["notes"][0],
        "the cycle holds `zephyr_rtos`, `mbedtls`"
    );
    assert_eq!(cycles[0]["start_line"], 3);
}

#[test]
fn free_text_software_still_works_with_a_warning() {
    let text = format!(
        "{SYSTEM}use std::stride\n{}",
        component("[\"zephyr 3.6.0\"]").replace("in body", "in home")
    )
    .replace(
        "zone body \"On body\" { trust: trusted, controlled_by: patient }",
        "zone home \"Home\" { trust: untrusted, controlled_by: patient }",
    )
    .replace("kind: firmware", "kind: gateway");
    let dir = model(&text, None);
    let (code, diagnostics) = check(dir.path(), &["--color", "never"]);
    assert_ne!(code, 2, "{diagnostics:?}");
    let free = with_code(&diagnostics, "W0204");
    assert_eq!(free.len(), 1);
    assert_eq!(
        free[0]["message"],
        "free-text software `zephyr 3.6.0` cannot be traced to an SBOM or vulnerabilities"
    );
    assert_eq!(
        (
            free[0]["start_line"].clone(),
            free[0]["start_column"].clone()
        ),
        (6.into(), 14.into())
    );
    // The std rule still sees it.
    let out = run_ward(
        dir.path(),
        &[
            "check",
            "--explain-risk",
            "third_party_component_vulnerability@pump_fw",
            ".",
        ],
    );
    assert!(stdout(&out).contains("zephyr 3.6.0"), "{}", stdout(&out));
}

#[test]
fn the_known_vulnerabilities_rule_matches_referenced_software() {
    let text = format!(
        "{SYSTEM}use std::stride\n{}{}",
        software("zephyr_rtos", Some("2029-12-31"), ""),
        component("[zephyr_rtos]")
    )
    .replace(
        "zone body \"On body\" { trust: trusted, controlled_by: patient }",
        "zone home \"Home\" { trust: untrusted, controlled_by: patient }",
    )
    .replace("in body", "in home")
    .replace("kind: firmware", "kind: gateway");
    let dir = model(&text, None);
    let out = run_ward(
        dir.path(),
        &[
            "check",
            "--explain-risk",
            "third_party_component_vulnerability@pump_fw",
            ".",
        ],
    );
    assert!(
        stdout(&out).contains("Known vulnerabilities in software of pump_fw: Zephyr RTOS 3.6.0"),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
}

/// Support ended on 2026-01-31.
/// A hazard and rated data linking it (W0415-W0417 stay silent).
const MEDICAL_FACTS: &str = "hazard overdose \"Overdose\" {\n  hazardous_situation: \"Too much insulin\"\n  harm: \"Hypoglycaemia\"\n  severity: catastrophic\n  rmf_ref: \"HA-001\"\n}\ndata dose \"Dose\" { kind: command, confidentiality: low, integrity: high, availability: high, hazards { integrity: [overdose] } }\n";

fn ended_model(manifest: Option<&str>) -> tempfile::TempDir {
    // With the post-market plan a device with software needs at the
    // submission stage (E0151), and the medical facts every device model
    // states, so only W0460 is in question.
    let text = format!(
        "{SYSTEM}{}{}monitoring postmarket \"Plan\" {{ sources: [\"NVD\"], cvd_contact: \"security@acme.example\", patch_within {{ uncontrolled: 30 }} }}\n{MEDICAL_FACTS}",
        software("zephyr_rtos", Some("2026-01-31"), ""),
        component("[zephyr_rtos]")
    );
    model(&text, manifest)
}

#[test]
fn past_end_of_support_is_a_warning_at_design_and_an_error_at_submission() {
    let dir = ended_model(Some("files = [\"*.ward\"]\nas_of = \"2026-12-01\"\n"));
    let (code, diagnostics) = check(dir.path(), &[]);
    assert_eq!(code, 0, "{diagnostics:?}");
    let ended = with_code(&diagnostics, "W0460");
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0]["severity"], "warning");
    assert_eq!(
        ended[0]["message"],
        "support for software `zephyr_rtos` ended on 2026-01-31, before 2026-12-01"
    );
    assert_eq!(ended[0]["notes"][0], "run by `pump_fw`");
    assert_eq!(ended[0]["start_line"], 3);

    let (code, diagnostics) = check(dir.path(), &["--stage", "submission"]);
    assert_eq!(code, 1);
    let ended = with_code(&diagnostics, "W0460");
    assert_eq!(ended[0]["severity"], "error");
}

#[test]
fn as_of_on_the_command_line_overrides_ward_toml() {
    // Ward.toml's date is before the end: nothing; --as-of after it: W0460.
    let dir = ended_model(Some("files = [\"*.ward\"]\nas_of = \"2025-06-01\"\n"));
    let (_, diagnostics) = check(dir.path(), &[]);
    assert!(
        with_code(&diagnostics, "W0460").is_empty(),
        "{diagnostics:?}"
    );
    let (code, diagnostics) = check(
        dir.path(),
        &["--as-of", "2026-02-01", "--stage", "submission"],
    );
    assert_eq!(code, 1);
    assert_eq!(with_code(&diagnostics, "W0460").len(), 1);
    // No date anywhere: a stated end of support is never compared.
    let dir = ended_model(None);
    let (code, diagnostics) = check(dir.path(), &["--stage", "submission"]);
    assert_eq!(code, 0, "{diagnostics:?}");
    assert!(with_code(&diagnostics, "W0460").is_empty());
}

#[test]
fn a_bad_as_of_is_refused() {
    let dir = ended_model(Some("files = [\"*.ward\"]\nas_of = \"next year\"\n"));
    let (code, diagnostics) = check(dir.path(), &[]);
    assert_eq!(code, 2);
    let bad = with_code(&diagnostics, "E0102");
    assert_eq!(bad.len(), 1);
    assert!(bad[0]["message"].as_str().unwrap().contains("`as_of`"));
    let out = run_ward(dir.path(), &["check", "--as-of", "2026-02-30", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not a calendar date"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unsupported_or_missing_end_of_support_is_reported_without_a_date() {
    let text = format!(
        "{SYSTEM}{}{}{}",
        software("zephyr_rtos", None, ""),
        MBEDTLS.replace("support: limited", "support: unsupported"),
        component("[zephyr_rtos, mbedtls]")
    );
    let dir = model(&text, None);
    let (code, diagnostics) = check(dir.path(), &[]);
    assert_eq!(code, 0);
    let messages: Vec<&str> = with_code(&diagnostics, "W0460")
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "software `zephyr_rtos` states no end of support",
            "software `mbedtls` is unsupported by its supplier"
        ]
    );
}

#[test]
fn not_reported_when_support_ends_after_as_of() {
    let dir = ended_model(Some("files = [\"*.ward\"]\nas_of = \"2026-01-31\"\n"));
    let (code, diagnostics) = check(dir.path(), &["--stage", "submission"]);
    assert_eq!(code, 0, "{diagnostics:?}");
    assert!(with_code(&diagnostics, "W0460").is_empty());
}
