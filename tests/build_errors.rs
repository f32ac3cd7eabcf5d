//! Snapshots of the diagnostics `ward build` gives when it cannot write its
//! output (codes E05xx); each leaves the file system as it was.

mod support;

use std::path::Path;
use support::{copy_tree, repo_root, run_ward, stderr};

/// A copy of the glucose-monitor example in a temp folder, named `model`.
fn model_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &repo_root().join("examples/glucose-monitor"),
        &dir.path().join("model"),
    );
    dir
}

/// `ward build` in `dir`; returns (exit code, stderr with the temp path hidden).
fn build(dir: &Path, args: &[&str]) -> (i32, String) {
    let mut all = vec!["build", "model", "--no-svg"];
    all.extend_from_slice(args);
    let out = run_ward(dir, &all);
    let text = stderr(&out).replace(&dir.canonicalize().unwrap().display().to_string(), "[TMP]");
    let text = text.replace(&dir.display().to_string(), "[TMP]");
    // The compile summary and findings are covered elsewhere: keep the build's own lines.
    let own: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("error[E05") && !l.starts_with("error: nothing"))
        .collect();
    (out.status.code().unwrap(), own.join("\n"))
}

#[test]
fn e0501_output_over_the_model_sources() {
    let dir = model_copy();
    let (code, text) = build(dir.path(), &["-o", "model"]);
    assert_eq!(code, 2);
    insta::assert_snapshot!(text);
}

#[test]
fn e0503_output_into_a_folder_ward_did_not_make() {
    let dir = model_copy();
    std::fs::create_dir(dir.path().join("notes")).unwrap();
    std::fs::write(dir.path().join("notes/keep.txt"), "mine").unwrap();
    let (code, text) = build(dir.path(), &["-o", "notes"]);
    assert_eq!(code, 2);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes/keep.txt")).unwrap(),
        "mine"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn e0504_output_below_a_file() {
    let dir = model_copy();
    std::fs::write(dir.path().join("plain-file"), "x").unwrap();
    let (code, text) = build(dir.path(), &["-o", "plain-file/out"]);
    assert_eq!(code, 2);
    insta::assert_snapshot!(text);
}

#[test]
fn e0505_template_that_does_not_parse() {
    let dir = model_copy();
    std::fs::create_dir(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/risk-register.md"),
        "{% for t in threats %}\n",
    )
    .unwrap();
    let (code, text) = build(dir.path(), &["-o", "out", "--templates", "templates"]);
    assert_eq!(code, 2);
    assert!(!dir.path().join("out").exists(), "nothing written");
    insta::assert_snapshot!(text);
}

#[test]
fn e0506_template_override_that_matches_no_template() {
    let dir = model_copy();
    std::fs::create_dir(dir.path().join("templates")).unwrap();
    std::fs::write(dir.path().join("templates/risk-registr.md"), "x").unwrap();
    let (code, text) = build(dir.path(), &["-o", "out", "--templates", "templates"]);
    assert_eq!(code, 2);
    insta::assert_snapshot!(text);
}

#[test]
fn template_override_replaces_the_builtin() {
    let dir = model_copy();
    std::fs::create_dir(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/risk-register.md"),
        "# Our register\n{% for t in doc.threats %}- {{ t.id }}\n{% endfor %}",
    )
    .unwrap();
    let (code, text) = build(dir.path(), &["-o", "out", "--templates", "templates"]);
    assert_eq!(code, 1, "Appendix A has error findings: {text}");
    let register = std::fs::read_to_string(dir.path().join("out/risk-register.md")).unwrap();
    assert!(register.starts_with("# Our register\n- "), "{register}");
    assert!(register.contains("- ble_jam\n"), "{register}");
}
