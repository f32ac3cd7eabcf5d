//! SBOM import and the system's SBOM (issue #17, Deliver 2 and the
//! `sbom.cdx.json` part of Deliver 5): a component's `sbom:` names a
//! CycloneDX 1.5/1.6 or SPDX 2.3 JSON file whose packages become its
//! software; `ward build` writes the whole system as a CycloneDX 1.6 SBOM,
//! checked by a real validator (cyclonedx-python-lib). Real SBOMs are in
//! tests/fixtures/sbom (LICENSE-NOTES.md); malformed ones are made here.

mod support;
use serde_json::Value;
use std::path::Path;
use support::{
    copy_tree, json_diagnostics, repo_root, require_python, run_ward, stderr, stdout, write,
};

const HEAD: &str = "system pump \"Insulin pump\" { version: \"2.1.0\" }\n\
zone body \"On body\" { trust: trusted, controlled_by: manufacturer }\n";

/// A component `id` of kind `kind` importing `sbom`.
fn component(id: &str, kind: &str, sbom: &str) -> String {
    format!("component {id} \"{id}\" in body {{\n  kind: {kind}\n  sbom: \"{sbom}\"\n}}\n")
}

/// A model folder with `model.ward` and the three real SBOMs in `sbom/`.
fn real_model() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = repo_root().join("tests/fixtures/sbom");
    for name in [
        "bundled-deps.cdx.json",
        "dev-deps-1.5.cdx.json",
        "hello-server.spdx.json",
    ] {
        let text = std::fs::read_to_string(fixtures.join(name)).unwrap();
        write(&dir.path().join("sbom").join(name), &text);
    }
    let text = format!(
        "{HEAD}{}{}{}",
        component("app", "web_app", "sbom/bundled-deps.cdx.json"),
        component("server", "service", "sbom/hello-server.spdx.json"),
        component("tools", "process", "sbom/dev-deps-1.5.cdx.json"),
    );
    write(&dir.path().join("model.ward"), &text);
    dir
}

fn build(dir: &Path) -> std::process::Output {
    run_ward(
        dir,
        &[
            "build",
            "--no-svg",
            "--message-format",
            "json",
            "-o",
            "out",
            ".",
        ],
    )
}

fn built(dir: &Path, file: &str) -> Value {
    let out = build(dir);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    serde_json::from_str(&std::fs::read_to_string(dir.join("out").join(file)).unwrap()).unwrap()
}

fn by_id<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no record `{id}`"))
}

/// cyclonedx-python-lib's strict JSON validator at spec 1.6: `None` when
/// the document is valid, else its complaint.
fn cyclonedx_errors(text: &str) -> Option<String> {
    let python = require_python(&["cyclonedx"]);
    let script = "import sys\n\
from cyclonedx.validation.json import JsonStrictValidator\n\
from cyclonedx.schema import SchemaVersion\n\
e = JsonStrictValidator(SchemaVersion.V1_6).validate_str(sys.stdin.read())\n\
print('VALID' if e is None else e)\n";
    let mut child = std::process::Command::new(python)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    (said != "VALID").then_some(said)
}

#[test]
fn real_cyclonedx_and_spdx_sboms_become_the_components_software() {
    let dir = real_model();
    let model = built(dir.path(), "model.json");
    let app = by_id(&model["elements"], "app");
    assert_eq!(app["sbom"]["path"], "sbom/bundled-deps.cdx.json");
    assert_eq!(app["sbom"]["format"], "CycloneDX");
    assert_eq!(app["sbom"]["spec_version"], "1.6");
    assert_eq!(
        app["sbom"]["software"].as_array().unwrap().len(),
        52,
        "cyclonedx-npm listed 52 packages"
    );
    assert_eq!(
        app["software"],
        serde_json::json!(["52 packages of sbom/bundled-deps.cdx.json"])
    );
    let tools = by_id(&model["elements"], "tools");
    assert_eq!(tools["sbom"]["spec_version"], "1.5");
    assert_eq!(tools["sbom"]["software"].as_array().unwrap().len(), 5);
    let server = by_id(&model["elements"], "server");
    assert_eq!(server["sbom"]["format"], "SPDX");
    assert_eq!(server["sbom"]["spec_version"], "SPDX-2.3");
    assert_eq!(server["sbom"]["software"].as_array().unwrap().len(), 4);

    // A known npm package: its id, version, purl and dependency.
    let software = &model["software"];
    let bundle = by_id(software, "bundle_dependencies_1_0_2");
    assert_eq!(bundle["version"], "1.0.2");
    assert_eq!(bundle["purl"], "pkg:npm/bundle-dependencies@1.0.2");
    assert_eq!(bundle["depends_on"], serde_json::json!(["yargs_4_1_0"]));
    assert_eq!(bundle["run_by"], serde_json::json!(["app"]));
    assert_eq!(
        bundle["imported_from"]["reference"],
        "demo-bundled-deps@0.0.0|bundle-dependencies@1.0.2"
    );
    assert_eq!(bundle["location"]["file"], "sbom/bundled-deps.cdx.json");
    // SPDX: purl and checksum from the package, author and timestamp from
    // creationInfo, DEPENDS_ON relationships as dependencies.
    let hyper = by_id(software, "hyper_0_14");
    assert_eq!(hyper["purl"], "pkg:cargo/hyper@0.14");
    assert_eq!(
        hyper["hashes"],
        serde_json::json!([
            "sha256:02c929dc5c39e335a03c405292728118860721b10190d98c2a0f0efd5baafbac"
        ])
    );
    assert_eq!(hyper["author"], "Unknown");
    assert_eq!(hyper["timestamp"], "2022-11-03");
    assert_eq!(
        hyper["support"],
        Value::Null,
        "SPDX states no support level"
    );
    let src = by_id(software, "libselinux1_dev_3_1_3");
    assert_eq!(src["title"], "hello-server-src");
    assert_eq!(
        src["depends_on"],
        serde_json::json!(["pretty_env_logger_0_4_0", "tokio_1_19_2", "hyper_0_14"])
    );
}

#[test]
fn the_system_sbom_is_valid_cyclonedx_1_6_with_components_software_and_dependencies() {
    let dir = real_model();
    let text = {
        let out = build(dir.path());
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        std::fs::read_to_string(dir.path().join("out/sbom.cdx.json")).unwrap()
    };
    assert_eq!(cyclonedx_errors(&text), None);
    let bom: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(bom["specVersion"], "1.6");
    assert_eq!(bom["metadata"]["component"]["bom-ref"], "system:pump");
    // No `as_of`: the latest software timestamp (the SPDX document's).
    assert_eq!(bom["metadata"]["timestamp"], "2022-11-03T00:00:00Z");
    let model: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/model.json")).unwrap())
            .unwrap();
    let hash = model["sources"]["sha256"].as_str().unwrap();
    assert_eq!(bom["metadata"]["properties"][0]["value"], hash);
    assert!(bom["serialNumber"]
        .as_str()
        .unwrap()
        .starts_with(&format!("urn:uuid:{}", &hash[..8])));
    let components = bom["components"].as_array().unwrap();
    assert_eq!(components.len(), 3 + 52 + 5 + 4);
    let dependency = |r: &str| {
        bom["dependencies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["ref"] == r)
            .unwrap_or_else(|| panic!("no dependency entry for {r}"))["dependsOn"]
            .clone()
    };
    assert_eq!(
        dependency("system:pump"),
        serde_json::json!(["component:app", "component:server", "component:tools"])
    );
    assert_eq!(dependency("component:server").as_array().unwrap().len(), 4);
    assert_eq!(
        dependency("software:bundle_dependencies_1_0_2"),
        serde_json::json!(["software:yargs_4_1_0"])
    );

    // Deterministic: a second build is byte-identical; a changed source
    // changes the serial number.
    std::fs::remove_dir_all(dir.path().join("out")).unwrap();
    let again = built(dir.path(), "sbom.cdx.json");
    assert_eq!(again, bom);
    let text = std::fs::read_to_string(dir.path().join("model.ward")).unwrap();
    write(
        &dir.path().join("model.ward"),
        &format!("{text}// changed\n"),
    );
    let changed = built(dir.path(), "sbom.cdx.json");
    assert_ne!(changed["serialNumber"], bom["serialNumber"]);
}

#[test]
fn the_example_imports_its_cgm_firmware_sbom_and_writes_a_valid_system_sbom() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo_root().join("examples/insulin-pump"), dir.path());
    let out = build(dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(dir.path().join("out/sbom.cdx.json")).unwrap();
    assert_eq!(cyclonedx_errors(&text), None);
    let bom: Value = serde_json::from_str(&text).unwrap();
    let zephyr = bom["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["bom-ref"] == "software:zephyr_v3_7_0")
        .expect("the CGM's Zephyr, imported from its SBOM");
    assert_eq!(
        zephyr["purl"],
        "pkg:github/zephyrproject-rtos/zephyr@v3.7.0"
    );
    let properties = zephyr["properties"].as_array().unwrap();
    assert!(properties
        .contains(&serde_json::json!({"name": "ward:end_of_support", "value": "2027-07-31"})));
    let model: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/model.json")).unwrap())
            .unwrap();
    let cgm_fw = by_id(&model["software"], "cgm_fw");
    assert_eq!(
        cgm_fw["depends_on"],
        serde_json::json!(["zephyr_v3_7_0", "glucose_dsp_1_9_0"]),
        "a declared software depends on imported packages by their ids"
    );
    assert_eq!(
        by_id(&model["software"], "cmsis_5_5_9_0")["support"],
        "limited"
    );
    assert_eq!(
        by_id(&model["software"], "mbedtls_v3_6_2")["run_by"],
        serde_json::json!(["cgm"])
    );
    // Listed in the design-history index.
    let index: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/index.json")).unwrap())
            .unwrap();
    assert!(
        index.to_string().contains("\"sbom.cdx.json\""),
        "index.json lists sbom.cdx.json"
    );
}

// ---- Malformed input: a located diagnostic, a non-zero exit, no panic and
// no artifact ----

/// A valid minimal document of each format, and how to break it.
const CDX: &str = "{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.6\",\n  \"components\": [\n    {\"bom-ref\": \"a\", \"type\": \"library\", \"name\": \"a\", \"version\": \"1.0.0\", \"purl\": \"pkg:generic/a@1.0.0\"},\n    {\"bom-ref\": \"b\", \"type\": \"library\", \"name\": \"b\", \"version\": \"2.0.0\", \"purl\": \"pkg:generic/b@2.0.0\"}\n  ]\n}\n";
const SPDX: &str = "{\n  \"spdxVersion\": \"SPDX-2.3\",\n  \"SPDXID\": \"SPDXRef-DOCUMENT\",\n  \"creationInfo\": {\"created\": \"2026-01-02T00:00:00Z\", \"creators\": [\"Tool: x\"]},\n  \"packages\": [\n    {\"SPDXID\": \"SPDXRef-a\", \"name\": \"a\", \"versionInfo\": \"1.0.0\"},\n    {\"SPDXID\": \"SPDXRef-b\", \"name\": \"b\", \"versionInfo\": \"2.0.0\"}\n  ]\n}\n";

/// A model whose one component imports `sbom/x.json` holding `text`.
fn broken_model(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("sbom/x.json"), text);
    write(
        &dir.path().join("model.ward"),
        &format!("{HEAD}{}", component("fw", "firmware", "sbom/x.json")),
    );
    dir
}

/// Builds `dir` and returns the one error with `code`, after checking the
/// exit, that nothing panicked and that no output folder was written.
fn the_error(dir: &Path, code: &str) -> Value {
    let out = build(dir);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    assert!(!dir.join("out").exists(), "no artifact is written");
    let diagnostics = json_diagnostics(&stdout(&out));
    let errors: Vec<&Value> = diagnostics
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["code"], code, "{errors:?}");
    assert!(
        !errors[0]["help"].as_str().unwrap_or_default().is_empty(),
        "{errors:?}"
    );
    errors[0].clone()
}

/// The error is in the SBOM at `line`, with a label at the `sbom:` value.
fn in_sbom_at(error: &Value, line: u64) {
    assert_eq!(error["file"], "sbom/x.json", "{error}");
    assert_eq!(error["start_line"], line, "{error}");
    assert!(error["start_column"].as_u64().unwrap() >= 1);
    let label = &error["labels"][0];
    assert_eq!(label["file"], "model.ward", "{error}");
    assert_eq!(label["start_line"], 5, "the `sbom:` line: {error}");
    assert_eq!(label["message"], "imported here");
}

#[test]
fn truncated_json_is_e0131_where_the_text_ends() {
    for (doc, cut) in [(CDX, 150), (SPDX, 200)] {
        let dir = broken_model(&doc[..cut]);
        let error = the_error(dir.path(), "E0131");
        assert!(
            error["message"].as_str().unwrap().contains("ends early"),
            "{error}"
        );
        in_sbom_at(&error, doc[..cut].lines().count() as u64);
    }
}

#[test]
fn a_value_of_the_wrong_type_is_e0132_at_the_value() {
    let dir = broken_model(&CDX.replace("\"name\": \"b\"", "\"name\": 7"));
    in_sbom_at(&the_error(dir.path(), "E0132"), 6);
    let dir = broken_model(&SPDX.replace("\"versionInfo\": \"2.0.0\"", "\"versionInfo\": [2]"));
    in_sbom_at(&the_error(dir.path(), "E0132"), 7);
    let dir = broken_model("{\"hello\": \"world\"}");
    in_sbom_at(&the_error(dir.path(), "E0132"), 1);
}

#[test]
fn an_unknown_spec_version_is_e0133_at_the_version() {
    let dir = broken_model(&CDX.replace("\"1.6\"", "\"1.4\""));
    let error = the_error(dir.path(), "E0133");
    in_sbom_at(&error, 3);
    assert!(error["help"].as_str().unwrap().contains("`1.5` and `1.6`"));
    let dir = broken_model(&SPDX.replace("SPDX-2.3", "SPDX-2.2"));
    in_sbom_at(&the_error(dir.path(), "E0133"), 2);
}

#[test]
fn duplicate_references_are_e0134_at_the_second_with_the_first_labelled() {
    let dir = broken_model(&CDX.replace("\"bom-ref\": \"b\"", "\"bom-ref\": \"a\""));
    let error = the_error(dir.path(), "E0134");
    in_sbom_at(&error, 6);
    assert_eq!(error["labels"][1]["start_line"], 5, "the first: {error}");
    let dir = broken_model(&SPDX.replace("SPDXRef-b", "SPDXRef-a"));
    let error = the_error(dir.path(), "E0134");
    in_sbom_at(&error, 7);
    assert_eq!(error["labels"][1]["start_line"], 6);
}

#[test]
fn a_file_over_the_cap_is_e0136_before_it_is_parsed() {
    // 32 MiB and one byte: the loader's capped read refuses it.
    let mut text = String::from(CDX);
    text.push_str(&" ".repeat(32 * 1024 * 1024 + 1 - CDX.len()));
    let dir = broken_model(&text);
    let error = the_error(dir.path(), "E0136");
    assert_eq!(error["file"], "model.ward", "at the `sbom:` value: {error}");
    assert_eq!(error["start_line"], 5);
}

#[test]
fn a_missing_file_a_path_outside_the_root_and_a_symlink_out_are_e0130() {
    let dir = broken_model(CDX);
    std::fs::remove_file(dir.path().join("sbom/x.json")).unwrap();
    let error = the_error(dir.path(), "E0130");
    assert_eq!(error["file"], "model.ward");
    assert_eq!(error["start_line"], 5);
    assert!(error["message"].as_str().unwrap().contains("no such file"));

    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("model");
    write(&outer.path().join("secret.cdx.json"), CDX);
    write(
        &root.join("model.ward"),
        &format!(
            "{HEAD}{}",
            component("fw", "firmware", "../secret.cdx.json")
        ),
    );
    let error = the_error(&root, "E0130");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("outside the model root"),
        "{error}"
    );

    #[cfg(unix)]
    {
        write(
            &root.join("model.ward"),
            &format!("{HEAD}{}", component("fw", "firmware", "sbom/link.json")),
        );
        std::fs::create_dir_all(root.join("sbom")).unwrap();
        std::os::unix::fs::symlink(
            outer.path().join("secret.cdx.json"),
            root.join("sbom/link.json"),
        )
        .unwrap();
        let error = the_error(&root, "E0130");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains("outside the model root"),
            "{error}"
        );

        // A FIFO is never opened for reading (it could block forever).
        std::fs::remove_file(root.join("sbom/link.json")).unwrap();
        support::mkfifo(&root.join("sbom/link.json"));
        let error = the_error(&root, "E0130");
        let message = error["message"].as_str().unwrap();
        assert!(message.contains("not a regular file"), "{error}");
    }
}

#[test]
fn an_imported_id_that_the_model_declares_is_e0135() {
    let dir = broken_model(CDX);
    let declared = "software a_1_0_0 \"a\" {\n  supplier: \"x\"\n  version: \"1.0.0\"\n  purl: \"pkg:generic/other-a@1.0.0\"\n  author: \"x\"\n  timestamp: \"2026-01-01\"\n  support: supported\n  end_of_support: \"2030-01-01\"\n}\n";
    let text = std::fs::read_to_string(dir.path().join("model.ward")).unwrap();
    write(&dir.path().join("model.ward"), &format!("{text}{declared}"));
    let error = the_error(dir.path(), "E0135");
    assert_eq!(error["file"], "sbom/x.json");
    assert_eq!(error["start_line"], 5);
    assert_eq!(error["labels"][0]["file"], "model.ward");
}

#[test]
fn one_package_in_two_sboms_is_one_software_run_by_both() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("one.json"), CDX);
    write(
        &dir.path().join("two.json"),
        &CDX.replace("\"bom-ref\": \"b\"", "\"bom-ref\": \"z\""),
    );
    write(
        &dir.path().join("model.ward"),
        &format!(
            "{HEAD}{}{}",
            component("fw", "firmware", "one.json"),
            component("app", "mobile_app", "two.json")
        ),
    );
    let model = built(dir.path(), "model.json");
    let software = model["software"].as_array().unwrap();
    assert_eq!(software.len(), 2);
    assert_eq!(
        by_id(&model["software"], "b_2_0_0")["run_by"],
        serde_json::json!(["fw", "app"])
    );
}
