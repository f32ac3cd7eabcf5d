//! `ward diff`: a sequence of model versions in tests/fixtures/diff/, one
//! change each, and what the diff reports of each change (field by field) with
//! its exit code under every `--fail-on`; diffs across git revisions of a
//! throwaway repository; the errors (exit 2) of sides that cannot be read;
//! the HTML parses and the JSON matches docs/diff-schema.json.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::{repo_root, require_tool, run_ward, stderr, stdout};

const FAIL_ON: [&str; 4] = [
    "risk-increase",
    "new-uncontrolled",
    "stale-acceptance",
    "any-change",
];

fn fixtures() -> PathBuf {
    repo_root().join("tests/fixtures/diff")
}

fn diff_in(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["diff"];
    all.extend_from_slice(args);
    run_ward(dir, &all)
}

/// `ward diff OLD NEW --format json [EXTRA]` between two fixture versions,
/// checked against the schema.
fn json_diff(old: &str, new: &str, extra: &[&str]) -> Value {
    let mut args = vec![old, new, "--format", "json"];
    args.extend_from_slice(extra);
    let out = diff_in(&fixtures(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).expect("the JSON form parses");
    assert_valid(&json);
    json
}

fn assert_valid(json: &Value) {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("docs/diff-schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft202012::new(&schema).expect("the schema is valid");
    let errors: Vec<String> = validator
        .iter_errors(json)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "the diff does not match docs/diff-schema.json: {errors:#?}"
    );
}

/// The exit code of the diff under each `--fail-on`, in `FAIL_ON` order.
fn exit_codes(dir: &Path, old: &str, new: &str, extra: &[&str]) -> Vec<i32> {
    FAIL_ON
        .iter()
        .map(|on| {
            let mut args = vec![old, new, "--fail-on", on];
            args.extend_from_slice(extra);
            diff_in(dir, &args).status.code().unwrap()
        })
        .collect()
}

fn threat<'a>(json: &'a Value, id: &str) -> &'a Value {
    json["threats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("no threat change `{id}` in {json:#}"))
}

/// A changed field's old and new values.
fn field(change: &Value, name: &str) -> [String; 2] {
    let f = change["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == name)
        .unwrap_or_else(|| panic!("no field `{name}` in {change:#}"));
    [text(&f["old"]), text(&f["new"])]
}

fn text(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

/// The values of `keys` in `v`, as text.
fn strs(v: &Value, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| text(&v[*k])).collect()
}

fn ids(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

#[test]
fn identical_models_say_so_and_exit_0_under_every_fail_on() {
    let json = json_diff("v1-base", "v1-base", &[]);
    assert_eq!(json["verdict"], "identical");
    assert_eq!(json["summary"]["changes"], 0);
    let text = stdout(&diff_in(&fixtures(), &["v1-base", "v1-base"]));
    assert!(text.contains("The two models are identical."), "{text}");
    assert_eq!(
        exit_codes(&fixtures(), "v1-base", "v1-base", &[]),
        [0, 0, 0, 0]
    );
}

#[test]
fn a_flow_across_a_boundary_adds_threats_with_the_flow_as_reason() {
    let json = json_diff("v1-base", "v2-crossing-flow", &[]);
    assert_eq!(json["verdict"], "changed");
    let added = threat(&json, "unauthenticated_command_path@f_settings");
    assert_eq!(added["change"], "added");
    assert_eq!(added["risk"], "increase");
    assert_eq!(added["uncontrolled"], true);
    assert_eq!(added["reasons"][0], "flow `f_settings` added");
    let crossing = threat(&json, "command_from_untrusted_zone@f_settings");
    assert_eq!(crossing["change"], "added");
    let flow = &json["declarations"][0];
    assert_eq!(
        strs(flow, &["kind", "id", "change"]),
        ["flow", "f_settings", "added"]
    );
    let introduced: Vec<&str> = json["findings"]["introduced"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(introduced.contains(&"E0401"), "{introduced:?}");
    assert!(ids(&json["summary"]["risk_increases"])
        .contains(&"unauthenticated_command_path@f_settings"));
    // New threats raise risk and are not controlled; nothing was accepted.
    assert_eq!(
        exit_codes(&fixtures(), "v1-base", "v2-crossing-flow", &[]),
        [1, 1, 0, 1]
    );
}

#[test]
fn a_weakened_control_raises_the_residual_it_lowered() {
    let json = json_diff("v2-crossing-flow", "v3-weaker-control", &[]);
    let control = &json["controls"][0];
    assert_eq!(control["id"], "ble_auth");
    assert_eq!(control["change"], "changed");
    assert_eq!(field(control, "reduces"), ["2", "1"]);
    let t = threat(&json, "device_impersonation@pump_mcu");
    assert_eq!(t["change"], "changed");
    assert_eq!(field(t, "planned_residual"), ["acceptable", "review"]);
    assert_eq!(field(t, "judged_risk"), ["acceptable", "review"]);
    assert_eq!(field(t, "controlled"), ["true", "false"]);
    assert_eq!(t["risk"], "increase");
    assert_eq!(
        t["reasons"][0],
        "control `ble_auth` changed: reduces 2 -> 1"
    );
    assert_eq!(
        ids(&json["summary"]["new_uncontrolled"]),
        ["device_impersonation@pump_mcu"]
    );
    assert_eq!(
        exit_codes(&fixtures(), "v2-crossing-flow", "v3-weaker-control", &[]),
        [1, 1, 0, 1]
    );
}

#[test]
fn a_version_bump_invalidates_evidence_and_at_submission_makes_an_acceptance_stale() {
    let json = json_diff("v3-weaker-control", "v4-version-bump", &[]);
    let component = json["declarations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "pump_mcu")
        .unwrap();
    assert_eq!(field(component, "version"), ["1.0.0", "1.1.0"]);
    let invalidated = json["verifications_invalidated"].as_array().unwrap();
    let vt_fw = invalidated.iter().find(|v| v["id"] == "vt_fw").unwrap();
    assert_eq!(
        vt_fw["reason"],
        "tested_version 1.0.0 but component `pump_mcu` is now at 1.1.0"
    );
    assert_eq!(ids(&vt_fw["controls"]), ["fw_signing"]);
    let fw = json["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "fw_signing")
        .unwrap();
    assert_eq!(field(fw, "evidence_holds"), ["true", "false"]);
    let t = threat(&json, "downgrade");
    assert_eq!(field(t, "verified_residual"), ["review", "unacceptable"]);
    assert!(t["reasons"].as_array().unwrap().iter().any(|r| r
        .as_str()
        .unwrap()
        .starts_with("component `pump_mcu` changed: software +pump-fw 1.1.0, -pump-fw 1.0.0; version 1.0.0 -> 1.1.0")));
    // At design the planned residual is judged: the acceptance holds.
    assert_eq!(json["acceptances_made_stale"], Value::Array(Vec::new()));
    assert_eq!(
        exit_codes(&fixtures(), "v3-weaker-control", "v4-version-bump", &[]),
        [1, 0, 0, 1]
    );

    let submission = json_diff(
        "v3-weaker-control",
        "v4-version-bump",
        &["--stage", "submission"],
    );
    assert_eq!(submission["new"]["judged_on"], "verified");
    let stale = &submission["acceptances_made_stale"][0];
    assert_eq!(
        strs(stale, &["threat", "accepted", "judged"]),
        ["downgrade", "review", "unacceptable"]
    );
    assert_eq!(submission["summary"]["stale_acceptances"], 1);
    assert_eq!(
        exit_codes(
            &fixtures(),
            "v3-weaker-control",
            "v4-version-bump",
            &["--stage", "submission"]
        ),
        [1, 0, 1, 1]
    );
}

#[test]
fn a_rename_with_renamed_from_is_a_rename_and_its_generated_threats_follow() {
    let json = json_diff("v4-version-bump", "v5-rename", &[]);
    let rename = &json["renames"][0];
    assert_eq!(
        strs(rename, &["kind", "from", "to"]),
        ["component", "pump_mcu", "pump_controller"]
    );
    for t in json["threats"].as_array().unwrap() {
        assert_eq!(t["change"], "renamed", "only renames: {t:#}");
        assert_eq!(t["fields"], Value::Array(Vec::new()), "{t:#}");
    }
    let t = threat(&json, "device_impersonation@pump_controller");
    assert_eq!(t["previous_id"], "device_impersonation@pump_mcu");
    let d = &json["declarations"][0];
    assert_eq!(strs(d, &["change", "previous_id"]), ["renamed", "pump_mcu"]);
    assert_eq!(d["fields"], Value::Array(Vec::new()));
    assert_eq!(json["findings"]["introduced"], Value::Array(Vec::new()));
    assert_eq!(json["findings"]["resolved"], Value::Array(Vec::new()));
    assert_eq!(json["summary"]["risk_increases"], Value::Array(Vec::new()));
    assert_eq!(
        exit_codes(&fixtures(), "v4-version-bump", "v5-rename", &[]),
        [0, 0, 0, 1]
    );
}

#[test]
fn a_comment_edit_is_a_provenance_only_change_for_diff_and_build_check() {
    let json = json_diff("v5-rename", "v6-comment", &[]);
    assert_eq!(json["verdict"], "provenance_only");
    assert_ne!(json["old"]["sources_sha256"], json["new"]["sources_sha256"]);
    assert_eq!(json["summary"]["changes"], 0);
    assert_eq!(
        exit_codes(&fixtures(), "v5-rename", "v6-comment", &[]),
        [0, 0, 0, 0]
    );
    let text = stdout(&diff_in(&fixtures(), &["v5-rename", "v6-comment"]));
    assert!(text.contains("Only provenance changed"), "{text}");

    // `build --check` tells the two apart too.
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.ward");
    let copy =
        |version: &str| std::fs::copy(fixtures().join(version).join("model.ward"), &model).unwrap();
    copy("v5-rename");
    let built = run_ward(dir.path(), &["build", "--no-svg"]);
    assert!(built.status.code() != Some(2), "{}", stderr(&built));
    copy("v6-comment");
    let check = run_ward(dir.path(), &["build", "--no-svg", "--check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stderr(&check).contains("note: provenance only"),
        "{}",
        stderr(&check)
    );
    copy("v4-version-bump");
    let check = run_ward(dir.path(), &["build", "--no-svg", "--check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        !stderr(&check).contains("provenance only"),
        "{}",
        stderr(&check)
    );
}

#[test]
fn markdown_and_html_show_the_change_impact_and_the_html_parses() {
    let md = stdout(&diff_in(
        &fixtures(),
        &["v2-crossing-flow", "v3-weaker-control", "--format", "md"],
    ));
    assert!(md.starts_with("## Threat model change impact\n"), "{md}");
    assert!(md.contains("### Threats (1)"), "{md}");
    assert!(md.contains("- `~` `device_impersonation@pump_mcu`"), "{md}");
    assert!(
        md.contains("  - because control `ble_auth` changed: reduces 2 -\\> 1"),
        "{md}"
    );

    let html = stdout(&diff_in(
        &fixtures(),
        &["v3-weaker-control", "v4-version-bump", "--format", "html"],
    ));
    let errors = html_parse_errors(&html);
    assert!(errors.is_empty(), "the HTML has parse errors: {errors:?}");
    assert!(
        html.contains("<h2>Verifications invalidated (2)</h2>"),
        "{html}"
    );
    assert!(html.contains("<code>vt_fw</code>"), "{html}");
}

/// html5ever's parse errors, exact (as a validator reports them).
fn html_parse_errors(html: &str) -> Vec<String> {
    use html5ever::tendril::TendrilSink;
    let opts = html5ever::ParseOpts {
        tree_builder: html5ever::tree_builder::TreeBuilderOpts {
            exact_errors: true,
            ..Default::default()
        },
        ..Default::default()
    };
    let dom = html5ever::parse_document(markup5ever_rcdom::RcDom::default(), opts).one(html);
    let errors = dom.errors.borrow().iter().map(|e| e.to_string()).collect();
    errors
}

/// Runs `git ARGS` in `dir` as a test user, away from the machine's git
/// configuration.
fn git(dir: &Path, args: &[&str]) {
    let git = require_tool("git", "apt-get install git");
    let out = Command::new(&git)
        .current_dir(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
}

/// A throwaway git repository whose commits are the fixture versions, in
/// order, with the model in `model/`; tagged `v1` at the first.
fn repository(versions: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    std::fs::create_dir(dir.path().join("model")).unwrap();
    for (i, version) in versions.iter().enumerate() {
        std::fs::copy(
            fixtures().join(version).join("model.ward"),
            dir.path().join("model/model.ward"),
        )
        .unwrap();
        git(dir.path(), &["add", "-A"]);
        git(dir.path(), &["commit", "-q", "-m", version]);
        if i == 0 {
            git(dir.path(), &["tag", "v1"]);
        }
    }
    dir
}

#[test]
fn revisions_of_a_repository_are_read_without_a_checkout() {
    let repo = repository(&["v1-base", "v2-crossing-flow", "v3-weaker-control"]);
    let model = repo.path().join("model");
    // From the model's folder: both sides are revisions of it.
    let out = diff_in(&model, &["HEAD~1", "HEAD", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_valid(&json);
    assert_eq!(json["old"]["label"], "HEAD~1");
    assert_eq!(json["old"]["commit"].as_str().unwrap().len(), 40);
    assert_eq!(json["controls"][0]["id"], "ble_auth");
    assert_eq!(
        threat(&json, "device_impersonation@pump_mcu")["risk"],
        "increase"
    );

    // A tag against the work tree, and `REV:PATH` from the repository's root.
    let out = diff_in(&model, &["v1", ".", "--fail-on", "new-uncontrolled"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("+ `unauthenticated_command_path@f_settings`"),
        "{}",
        stdout(&out)
    );
    let out = diff_in(repo.path(), &["v1:model", "main:model", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        threat(&json, "unauthenticated_command_path@f_settings")["change"],
        "added"
    );
    // `--model` names the folder for revisions given bare.
    let out = diff_in(repo.path(), &["main", "main", "--model", "model"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("identical"), "{}", stdout(&out));
    // Nothing was checked out: the work tree holds only the last version.
    let files: Vec<_> = std::fs::read_dir(&model).unwrap().collect();
    assert_eq!(files.len(), 1);
}

#[test]
fn sides_that_cannot_be_read_are_errors_with_exit_2() {
    let repo = repository(&["v1-base"]);
    let model = repo.path().join("model");
    let cases: [(&Path, &[&str], &str); 4] = [
        (&model, &["HEAD~5", "."], "`HEAD~5` is not a folder or file here, and `HEAD~5` is not a revision of this repository"),
        (&model, &["main^{tree", "."], "is not a revision of this repository"),
        (&model, &["no/such/folder", "."], "`no/such/folder` is not a folder or file here"),
        (repo.path(), &["main:nowhere", "."], "revision `main` has no folder `nowhere`"),
    ];
    for (dir, args, message) in cases {
        let out = diff_in(dir, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
        assert!(
            stdout(&out).is_empty(),
            "{args:?}: nothing is written to stdout"
        );
    }
    // Outside any repository, a name that is no path cannot be a revision.
    let plain = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixtures().join("v1-base/model.ward"),
        plain.path().join("model.ward"),
    )
    .unwrap();
    let out = diff_in(plain.path(), &["main", "."]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is not inside a git repository"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_side_that_does_not_compile_is_an_error_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("model.ward"),
        "system s \"S\" { version: }\n",
    )
    .unwrap();
    let out = diff_in(&fixtures(), &[dir.path().to_str().unwrap(), "v1-base"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("does not compile; nothing compared"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn renamed_from_naming_a_declared_id_is_w0203_and_the_fix_clears_it() {
    let page = std::fs::read_to_string(repo_root().join("docs/diagnostics/W0203.md")).unwrap();
    let blocks: Vec<&str> = page
        .split("```ward\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .collect();
    let check = |text: &str| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("model.ward"), text).unwrap();
        let out = run_ward(dir.path(), &["check", "--message-format", "json"]);
        stdout(&out)
    };
    let example = check(blocks[0]);
    assert!(example.contains("\"W0203\""), "{example}");
    assert!(
        example.contains("`renamed_from: pump_mcu` names an id that is still declared"),
        "{example}"
    );
    assert!(!check(blocks[1]).contains("W0203"));
}

#[test]
fn a_revision_nested_too_deep_is_an_error_not_a_crash() {
    let repo = repository(&["v1-base"]);
    let mut deep = repo.path().join("model");
    for _ in 0..70 {
        deep.push("d");
    }
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join("more.ward"), "// nothing\n").unwrap();
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "deep"]);
    let out = diff_in(repo.path(), &["v1:model", "HEAD:model"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("nested more than 64 folders deep"),
        "{}",
        stderr(&out)
    );
}
