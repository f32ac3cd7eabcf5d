//! `--stage submission` as a user runs it (issue #13): the shipped example
//! lists exactly what it still lacks, as its README says; a generated
//! N = 1,000 model is judged without a panic; `stage` in `Ward.toml` and
//! `--stage` agree.

mod support;
use serde_json::Value;
use support::{json_diagnostics, repo_root, run_ward, stderr, stdout};

/// `(code, severity, message)` of every diagnostic, from `--message-format json`.
fn diagnostics(out: &std::process::Output) -> Vec<(String, String, String)> {
    json_diagnostics(&stdout(out))
        .into_iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// `ward build --stage submission --no-svg` of `model` into a temporary
/// folder: the run, the folder (kept alive) and the output path.
fn build_at_submission(
    model: &str,
) -> (std::process::Output, tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let args = [
        "build",
        "--stage",
        "submission",
        "--no-svg",
        "-o",
        out.to_str().unwrap(),
        model,
    ];
    (run_ward(&repo_root(), &args), dir, out)
}

#[test]
fn the_example_lists_exactly_what_it_lacks_for_a_submission() {
    let args = [
        "check",
        "--stage",
        "submission",
        "--message-format",
        "json",
        "examples/insulin-pump",
    ];
    let out = run_ward(&repo_root(), &args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let found = diagnostics(&out);
    let errors: Vec<_> = found.iter().filter(|d| d.1 == "error").collect();
    assert_eq!(errors.len(), 1, "{found:#?}");
    assert_eq!(errors[0].0, "E0430");
    assert!(
        errors[0].2.contains("`bridge_signed_updates`"),
        "{}",
        errors[0].2
    );
    let mut warnings: Vec<&str> = found
        .iter()
        .filter(|d| d.1 == "warning")
        .map(|d| d.0.as_str())
        .collect();
    warnings.sort();
    assert_eq!(
        warnings,
        ["W0402", "W0402", "W0402", "W0409", "W0411", "W0411"]
    );
    let readme =
        std::fs::read_to_string(repo_root().join("examples/insulin-pump/README.md")).unwrap();
    for (_, _, message) in &found {
        assert!(
            readme.contains(message.as_str()) || message.starts_with("component `"),
            "README lacks: {message}"
        );
    }
    // The human summary line is the README's.
    let human = run_ward(
        &repo_root(),
        &["check", "--stage", "submission", "examples/insulin-pump"],
    );
    let last = stderr(&human)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string();
    assert!(
        readme.contains(&last),
        "README lacks the summary line: {last}"
    );

    // `build` writes every artifact judged at that stage, and exits as check does.
    let (build, _out_dir, out) = build_at_submission("examples/insulin-pump");
    assert_eq!(build.status.code(), Some(1), "{}", stderr(&build));
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("model.json")).unwrap()).unwrap();
    assert_eq!(doc["stage"], "submission");
    assert_eq!(doc["judged_on"], "verified");
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("built at the <strong>submission</strong> stage"));

    // At the design stage the same model passes, judged on planned controls.
    let design = run_ward(&repo_root(), &["check", "examples/insulin-pump"]);
    assert_eq!(design.status.code(), Some(0), "{}", stderr(&design));
}

#[test]
fn a_generated_model_of_1000_components_is_judged_at_the_submission_stage() {
    let dir = tempfile::tempdir().unwrap();
    ward_bench::write_model(dir.path(), &ward_bench::generate(1000, 7)).unwrap();
    let path = dir.path().to_str().unwrap();
    let design = run_ward(&repo_root(), &["check", "--message-format", "json", path]);
    let submission = run_ward(
        &repo_root(),
        &[
            "check",
            "--stage",
            "submission",
            "--message-format",
            "json",
            path,
        ],
    );
    let (build, _out_dir, out) = build_at_submission(path);
    assert_eq!(build.status.code(), Some(1), "{}", stderr(&build));
    assert!(out.join("model.json").is_file() && out.join("report.html").is_file());
    for out in [&design, &submission, &build] {
        assert!(!stderr(out).contains("panicked"), "{}", stderr(out));
    }
    // A generated model states no overall residual and has unverified
    // controls: the submission stage reports them as errors (exit 1), the
    // design stage does not report the submission-only codes at all.
    assert_eq!(submission.status.code(), Some(1), "{}", stderr(&submission));
    let count = |out, code: &str| diagnostics(out).iter().filter(|d| d.0 == code).count();
    for code in ["E0430", "E0433", "E0438"] {
        assert_eq!(count(&design, code), 0, "{code} at design");
    }
    assert_eq!(count(&submission, "E0438"), 1);
    assert!(count(&submission, "E0430") > 0);
    // The generator leaves some zones without an owner: the gap below is
    // seen at both stages, not vacuously.
    assert!(count(&submission, "W0439") > 0);
    // A gap is a warning at design and the same code as an error at submission.
    let severities = |out, code: &str| -> Vec<String> {
        diagnostics(out)
            .into_iter()
            .filter(|d| d.0 == code)
            .map(|d| d.1)
            .collect()
    };
    for code in ["W0431", "W0432", "W0436", "W0439", "W0440"] {
        assert!(
            severities(&design, code).iter().all(|s| s == "warning"),
            "{code}"
        );
        assert!(
            severities(&submission, code).iter().all(|s| s == "error"),
            "{code}"
        );
        assert_eq!(count(&design, code), count(&submission, code), "{code}");
    }
}

#[test]
fn the_stage_of_ward_toml_is_used_and_the_flag_overrides_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Ward.toml"), "stage = \"submission\"\n").unwrap();
    std::fs::write(
        dir.path().join("m.ward"),
        "system s \"S\" { version: \"1\" }\nzone z \"Z\" { trust: untrusted, controlled_by: patient }\n",
    )
    .unwrap();
    let path = dir.path().to_str().unwrap();
    let from_toml = run_ward(&repo_root(), &["check", path]);
    assert_eq!(from_toml.status.code(), Some(1), "{}", stderr(&from_toml));
    assert!(
        stderr(&from_toml).contains("error[E0438]"),
        "{}",
        stderr(&from_toml)
    );
    let design = run_ward(&repo_root(), &["check", "--stage", "design", path]);
    assert_eq!(design.status.code(), Some(0), "{}", stderr(&design));
    assert!(!stderr(&design).contains("E0438"), "{}", stderr(&design));
    let bad = run_ward(&repo_root(), &["check", "--stage", "final", path]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
}
