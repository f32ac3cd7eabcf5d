//! `--message-format json` on every failure a user can meet in `ward check`,
//! `build`, `fmt` and `explain`: every line on stdout and stderr is a JSON
//! object, and the failure is a diagnostic with its code.

mod support;

use serde_json::Value;
use std::path::Path;
use support::{repo_root, run_ward, stderr, stdout, write};

const CLEAN: &str = "tests/fixtures/cli/clean.ward";

/// Runs ward in `dir`; asserts that it fails, that every line it printed is
/// a JSON object, and returns the objects of stdout.
fn failing_json(dir: &Path, args: &[&str]) -> Vec<Value> {
    let out = run_ward(dir, args);
    assert_ne!(out.status.code(), Some(0), "{args:?} should fail");
    let (stdout, stderr) = (stdout(&out), stderr(&out));
    for line in stderr.lines() {
        let value: Result<Value, _> = serde_json::from_str(line);
        assert!(
            value.is_ok_and(|v| v.is_object()),
            "{args:?}: a stderr line that is not JSON: {line:?}"
        );
    }
    stdout
        .lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line).unwrap_or_else(|e| {
                panic!("{args:?}: a stdout line that is not JSON ({e}): {line:?}")
            });
            assert!(value.is_object(), "{args:?}: {line}");
            value
        })
        .collect()
}

fn codes(objects: &[Value]) -> Vec<&str> {
    objects.iter().filter_map(|o| o["code"].as_str()).collect()
}

/// The one diagnostic with `code`, which has no source location.
fn without_location<'a>(objects: &'a [Value], code: &str) -> &'a Value {
    let found: Vec<&Value> = objects.iter().filter(|o| o["code"] == code).collect();
    assert!(!found.is_empty(), "no {code} in {objects:?}");
    let d = found[0];
    assert_eq!(d["severity"], "error");
    assert!(
        d.get("file").is_none(),
        "{code} has no source location: {d}"
    );
    d
}

#[test]
fn check_of_a_missing_path_is_a_json_diagnostic() {
    let found = failing_json(
        &repo_root(),
        &["check", "no/such/model", "--message-format", "json"],
    );
    assert_eq!(codes(&found), ["E0101"]);
}

#[test]
fn explain_risk_of_an_unknown_threat_is_e0601() {
    let found = failing_json(
        &repo_root(),
        &[
            "check",
            CLEAN,
            "--explain-risk",
            "no_such_threat",
            "--message-format",
            "json",
        ],
    );
    let d = without_location(&found, "E0601");
    assert_eq!(d["message"], "no threat `no_such_threat` in this model");
}

#[test]
fn explain_risk_of_a_model_that_does_not_compile_is_e0601_alone() {
    let found = failing_json(
        &repo_root(),
        &[
            "check",
            "tests/fixtures/cli/unknown_reference.ward",
            "--explain-risk",
            "x",
            "--message-format",
            "json",
        ],
    );
    // Printed on its own: the errors are `ward check`'s to list.
    assert_eq!(codes(&found), ["E0601"]);
    let d = without_location(&found, "E0601");
    assert_eq!(
        d["message"],
        "cannot explain `x`: the model does not compile (1 error; `ward check` lists them)"
    );
}

#[test]
fn build_of_a_model_that_does_not_compile_prints_only_its_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let found = failing_json(
        &repo_root(),
        &[
            "build",
            "tests/fixtures/cli/duplicate_id.ward",
            "-o",
            out.to_str().unwrap(),
            "--message-format",
            "json",
        ],
    );
    assert_eq!(codes(&found), ["E0110"]);
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn template_errors_are_json_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("model.ward"),
        &std::fs::read_to_string(repo_root().join(CLEAN)).unwrap(),
    );
    write(&dir.path().join("templates/coverage.md"), "{{ unclosed");
    write(&dir.path().join("templates/unknown.txt"), "x");
    let args = [
        "build",
        ".",
        "--no-svg",
        "--templates",
        "templates",
        "--message-format",
        "json",
    ];
    let found = failing_json(dir.path(), &args);
    assert_eq!(codes(&found), ["E0506"]);
    without_location(&found, "E0506");
    std::fs::remove_file(dir.path().join("templates/unknown.txt")).unwrap();
    let found = failing_json(dir.path(), &args);
    assert_eq!(codes(&found), ["E0505"]);
    without_location(&found, "E0505");
    assert!(!dir.path().join("out").exists(), "nothing is written");
}

#[test]
fn an_output_folder_that_would_replace_the_sources_is_a_json_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("model.ward"),
        &std::fs::read_to_string(repo_root().join(CLEAN)).unwrap(),
    );
    let found = failing_json(
        dir.path(),
        &[
            "build",
            ".",
            "--no-svg",
            "-o",
            ".",
            "--message-format",
            "json",
        ],
    );
    without_location(&found, "E0501");
}

#[test]
fn build_check_lists_each_stale_artifact_as_e0512() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("model.ward"),
        &std::fs::read_to_string(repo_root().join(CLEAN)).unwrap(),
    );
    let built = run_ward(
        dir.path(),
        &["build", ".", "--no-svg", "--message-format", "json"],
    );
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    assert!(
        stderr(&built).is_empty(),
        "a JSON build prints no prose: {}",
        stderr(&built)
    );
    std::fs::write(dir.path().join("out/model.json"), "{}").unwrap();
    std::fs::remove_file(dir.path().join("out/coverage.md")).unwrap();
    let found = failing_json(
        dir.path(),
        &[
            "build",
            ".",
            "--no-svg",
            "--check",
            "--message-format",
            "json",
        ],
    );
    let messages: Vec<&str> = found
        .iter()
        .filter(|d| d["code"] == "E0512")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "artifact `coverage.md` missing",
            "artifact `model.json` differs"
        ]
    );
}

#[test]
fn fmt_failures_are_json_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let found = failing_json(
        dir.path(),
        &["fmt", "missing.ward", "--message-format", "json"],
    );
    assert_eq!(
        without_location(&found, "E0603")["message"],
        "cannot format `missing.ward`: it does not exist"
    );

    write(&dir.path().join("broken.ward"), "zone z \"Z\" {\n");
    let found = failing_json(
        dir.path(),
        &["fmt", "broken.ward", "--message-format", "json"],
    );
    assert_eq!(codes(&found), ["E0003"]);
    assert_eq!(found[0]["file"], "broken.ward");

    write(
        &dir.path().join("m.ward"),
        "zone  z \"Z\"{trust: trusted}\n",
    );
    let found = failing_json(
        dir.path(),
        &["fmt", "--check", "m.ward", "--message-format", "json"],
    );
    assert_eq!(
        without_location(&found, "E0604")["message"],
        "`m.ward` is not formatted"
    );
}

#[test]
fn explain_of_an_unknown_code_is_e0602_and_a_page_is_one_object() {
    let found = failing_json(
        &repo_root(),
        &["explain", "E9999", "--message-format", "json"],
    );
    without_location(&found, "E0602");

    let out = run_ward(
        &repo_root(),
        &["explain", "e0111", "--message-format", "json"],
    );
    assert_eq!(out.status.code(), Some(0));
    let page: Value = serde_json::from_str(stdout(&out).trim_end()).unwrap();
    assert_eq!(page["code"], "E0111");
    assert!(page["text"].as_str().unwrap().starts_with("# E0111: "));
}

#[test]
fn location_less_errors_read_as_before_in_human_format() {
    let out = run_ward(
        &repo_root(),
        &["check", CLEAN, "--explain-risk", "no_such_threat"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("error[E0601]: no threat `no_such_threat` in this model\n"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn command_line_errors_are_e0605_in_json_and_clap_text_in_human_format() {
    for args in [
        &["check", "--bogus", "--message-format", "json"][..],
        &["build", "-o", "--message-format=json"],
        &["build", "--stage", "final", "--message-format", "json"],
    ] {
        let out = run_ward(&repo_root(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let found = failing_json(&repo_root(), args);
        assert_eq!(codes(&found), ["E0605"], "{args:?}");
        without_location(&found, "E0605");
    }
    let found = failing_json(
        &repo_root(),
        &["build", "--stage", "final", "--message-format", "json"],
    );
    assert_eq!(
        found[0]["message"],
        "invalid value 'final' for '--stage <STAGE>'"
    );
    assert_eq!(
        found[0]["notes"][0],
        "[possible values: design, submission]"
    );

    let human = run_ward(&repo_root(), &["build", "--stage", "final"]);
    assert_eq!(human.status.code(), Some(2));
    assert!(stdout(&human).is_empty());
    assert!(
        stderr(&human).starts_with("error: invalid value 'final' for '--stage <STAGE>'\n"),
        "{}",
        stderr(&human)
    );
}
