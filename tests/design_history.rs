//! The design-history index of `ward build` (docs/qms.md): every file the
//! build writes is listed in `index.md` and `index.json` with its FDA section
//! and ISO 13485 clause, `index.json` matches docs/index-schema.json, the
//! report links it, and the revision is `--revision`, else the git commit,
//! else `unversioned`.

mod support;

use serde_json::Value;
use std::path::Path;
use std::process::Command;
use support::{copy_tree, files_below, repo_root, require_tool, run_ward, stderr};

/// Builds a copy of the insulin pump into `dir/out`, returning `index.json`.
fn build_pump(dir: &Path, extra: &[&str]) -> Value {
    copy_tree(
        &repo_root().join("examples/insulin-pump"),
        &dir.join("model"),
    );
    let mut args = vec!["build", "model", "-o", "out", "--no-svg"];
    args.extend_from_slice(extra);
    let out = run_ward(dir, &args);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "ward build failed: {}",
        stderr(&out)
    );
    let text = std::fs::read_to_string(dir.join("out/index.json")).expect("index.json is written");
    serde_json::from_str(&text).expect("index.json parses")
}

fn assert_matches_schema(index: &Value) {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("docs/index-schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft202012::new(&schema).expect("the schema is valid");
    let errors: Vec<String> = validator
        .iter_errors(index)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "index.json does not match docs/index-schema.json: {errors:#?}"
    );
}

#[test]
fn every_written_artifact_is_in_the_index_with_its_fda_section_and_iso_clause() {
    let dir = tempfile::tempdir().unwrap();
    let index = build_pump(dir.path(), &[]);
    assert_matches_schema(&index);

    let out = dir.path().join("out");
    let written: Vec<String> = files_below(&out)
        .iter()
        .map(|p| {
            p.strip_prefix(&out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .filter(|p| p != ".ward-output")
        .collect();
    let listed: Vec<&str> = index["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        listed, written,
        "index.json lists exactly the files written, sorted"
    );
    for kind in [
        "report.html",
        "model.json",
        "findings.sarif",
        "index.md",
        "diagrams/system.dot",
    ] {
        assert!(listed.contains(&kind), "{kind} is listed");
    }

    let index_md = std::fs::read_to_string(out.join("index.md")).unwrap();
    for entry in index["artifacts"].as_array().unwrap() {
        let path = entry["path"].as_str().unwrap();
        assert!(
            index_md.contains(&format!("]({path})")),
            "index.md links {path}"
        );
        for field in ["fda_section", "iso_13485"] {
            assert!(
                !entry[field].as_str().unwrap().is_empty(),
                "{path} has a {field}"
            );
        }
    }
    let by_path = |p: &str| {
        index["artifacts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["path"] == p)
            .unwrap()
            .clone()
    };
    assert!(by_path("control-requirements.csv")["iso_13485"]
        .as_str()
        .unwrap()
        .starts_with("7.3.3"));
    assert!(by_path("diagrams/system.dot")["fda_section"]
        .as_str()
        .unwrap()
        .starts_with("V.B.2"));

    // The index names the sources' hash of model.json, and the report links it.
    let model: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("model.json")).unwrap()).unwrap();
    assert_eq!(index["source_hash"], model["sources"]["sha256"]);
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains(r#"<a href="index.md">"#));
}

#[test]
fn the_revision_is_unversioned_outside_git_and_as_given_with_revision() {
    let plain = tempfile::tempdir().unwrap();
    assert_eq!(build_pump(plain.path(), &[])["revision"], "unversioned");
    let given = tempfile::tempdir().unwrap();
    assert_eq!(
        build_pump(given.path(), &["--revision", "v1.2.0"])["revision"],
        "v1.2.0"
    );
}

#[test]
fn the_revision_defaults_to_the_git_commit_inside_a_repository() {
    let git = require_tool("git", "apt-get install git");
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &repo_root().join("examples/insulin-pump"),
        &dir.path().join("model"),
    );
    let run = |args: &[&str]| {
        let out = Command::new(&git)
            .current_dir(dir.path())
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    run(&["init", "-q"]);
    run(&["add", "model"]);
    run(&["commit", "-q", "-m", "model"]);
    let head = run(&["rev-parse", "HEAD"]).trim().to_string();
    let out = run_ward(dir.path(), &["build", "model", "-o", "out", "--no-svg"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let index: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/index.json")).unwrap())
            .unwrap();
    assert_eq!(index["revision"], head.as_str());

    // Committing the artifacts moves HEAD; `--check` is about content and
    // keeps the revision they record, unless `--revision` says otherwise.
    run(&["add", "out"]);
    run(&["commit", "-q", "-m", "artifacts"]);
    let check = run_ward(
        dir.path(),
        &["build", "model", "-o", "out", "--no-svg", "--check"],
    );
    assert_eq!(check.status.code(), Some(0), "{}", support::said(&check));
    assert!(support::said(&check).contains("up to date"));
    let other = run_ward(
        dir.path(),
        &[
            "build",
            "model",
            "-o",
            "out",
            "--no-svg",
            "--check",
            "--revision",
            "v2",
        ],
    );
    assert_eq!(other.status.code(), Some(1), "{}", support::said(&other));
    assert!(support::said(&other).contains("index.json: differs"));
}
