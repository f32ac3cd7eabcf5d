//! `ward import` through the binary: each real fixture imports into a
//! folder that `ward check` compiles (its risk findings are the analysis'
//! verdict on the imported design, not compile errors) and that derives
//! threats; the summary is printed; bad input and files in the way stop
//! the command with a located diagnostic and nothing written.

mod support;

use std::path::{Path, PathBuf};
use support::{json_diagnostics, run_ward, stderr, stdout};

fn fixture(name: &str) -> PathBuf {
    support::repo_root()
        .join("tests/fixtures/import")
        .join(name)
}

fn import(dir: &Path, format: &str, input: &Path, out: &str) -> std::process::Output {
    run_ward(dir, &["import", format, input.to_str().unwrap(), "-o", out])
}

/// The codes of the error-level diagnostics `ward check --message-format
/// json` prints for `dir`.
fn check_errors(dir: &Path) -> (Option<i32>, Vec<String>, usize) {
    let check = run_ward(dir, &["check", "--message-format", "json"]);
    let records = json_diagnostics(&stdout(&check));
    let errors = (records.iter())
        .filter(|r| r["severity"] == "error")
        .map(|r| r["code"].as_str().unwrap().to_string())
        .collect();
    let summary = run_ward(dir, &["check"]);
    let threats = stderr(&summary)
        .lines()
        .find_map(|l| l.split(": ").nth(1)?.split(" threat").next()?.parse().ok())
        .unwrap_or(0);
    (check.status.code(), errors, threats)
}

#[test]
fn each_fixture_imports_into_a_model_that_compiles_and_derives_threats() {
    for (format, name, min_threats) in [
        ("threagile", "threagile-example.yaml", 10),
        ("threat-dragon", "td-v2-threat-model.json", 13),
        ("threat-dragon", "td-iot-device.json", 4),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = import(dir.path(), format, &fixture(name), "model");
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let said = stderr(&out);
        assert!(said.contains("mapped: "), "{name}: no summary\n{said}");
        assert!(
            said.contains("approximated: ") && said.contains("dropped: "),
            "{said}"
        );
        let model = dir.path().join("model");
        assert!(model.join("Ward.toml").is_file() && model.join("model.ward").is_file());
        let text = std::fs::read_to_string(model.join("model.ward")).unwrap();
        assert!(text.contains("use std::stride"), "{name}");
        // Already formatted: `ward fmt --check` has nothing to change.
        let fmt = run_ward(&model, &["fmt", "--check"]);
        assert_eq!(fmt.status.code(), Some(0), "{name}: {}", stdout(&fmt));
        // Compiles: no error but the analysis' risk findings (E0401, an
        // unacceptable residual not accepted), so exit 0 or 1, never 2.
        let (code, errors, threats) = check_errors(&model);
        assert!(
            matches!(code, Some(0 | 1)),
            "{name}: check exit {code:?}: {errors:?}"
        );
        assert!(errors.iter().all(|c| c == "E0401"), "{name}: {errors:?}");
        assert!(threats >= min_threats, "{name}: {threats} threats");
    }
}

#[test]
fn the_summary_names_what_was_approximated_and_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let out = import(
        dir.path(),
        "threat-dragon",
        &fixture("td-v2-threat-model.json"),
        "m",
    );
    let said = stderr(&out);
    assert!(
        said.contains("mapped: 4 zone, 6 component, 1 actor, 9 flow, 13 threat, 13 control"),
        "{said}"
    );
    assert!(
        said.contains("flow \"Web Request\" (line 1971): one end is attached to no element"),
        "{said}"
    );
    assert!(said.contains("warning[W0620]"), "{said}");
    assert!(said.contains("Browser -> \""), "{said}");
    // Dropped things are comments in the model too.
    let text = std::fs::read_to_string(dir.path().join("m/model.ward")).unwrap();
    assert!(
        text.contains("// not imported: flow \"Web Request\""),
        "{text}"
    );
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model");
    std::fs::create_dir(&model).unwrap();
    std::fs::write(model.join("Ward.toml"), "mine").unwrap();
    let out = import(
        dir.path(),
        "threagile",
        &fixture("threagile-example.yaml"),
        "model",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("error[E0626]"), "{}", stderr(&out));
    assert!(stderr(&out).contains("model/Ward.toml"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(model.join("Ward.toml")).unwrap(),
        "mine"
    );
    assert_eq!(
        std::fs::read_dir(&model).unwrap().count(),
        1,
        "something was written"
    );

    // A symbolic link in the way is not written through.
    let secret = dir.path().join("secret");
    std::fs::write(&secret, "secret").unwrap();
    let linked = dir.path().join("linked");
    std::fs::create_dir(&linked).unwrap();
    std::os::unix::fs::symlink(&secret, linked.join("model.ward")).unwrap();
    let out = import(
        dir.path(),
        "threagile",
        &fixture("threagile-example.yaml"),
        "linked",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("linked/model.ward"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), "secret");
    assert_eq!(std::fs::read_dir(&linked).unwrap().count(), 1);

    // Importing again into the folder of a first import is refused too.
    let first = import(
        dir.path(),
        "threat-dragon",
        &fixture("td-iot-device.json"),
        "again",
    );
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let before = std::fs::read_to_string(dir.path().join("again/model.ward")).unwrap();
    let second = import(
        dir.path(),
        "threagile",
        &fixture("threagile-example.yaml"),
        "again",
    );
    assert_eq!(second.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("again/model.ward")).unwrap(),
        before
    );
}

#[test]
fn bad_input_is_a_located_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(fixture("threagile-example.yaml")).unwrap();
    let cases = [
        (
            "threagile",
            "truncated.yaml",
            good[..good.len() / 3].to_string() + "\n  - [",
            "E0621",
        ),
        (
            "threagile",
            "version.yaml",
            good.replacen("threagile_version: 1.0.0", "threagile_version: 2.0.0", 1),
            "E0623",
        ),
        (
            "threagile",
            "missing.yaml",
            good.replacen("target: sql-database", "target: nowhere", 1),
            "E0625",
        ),
        (
            "threat-dragon",
            "truncated.json",
            "{\n  \"version\": \"2.3.0\",\n  \"detail\": {".to_string(),
            "E0621",
        ),
        (
            "threat-dragon",
            "types.json",
            "{\n  \"version\": \"2.3.0\",\n  \"detail\": {\"diagrams\": 7}\n}".to_string(),
            "E0622",
        ),
    ];
    for (format, name, text, code) in cases {
        let input = dir.path().join(name);
        std::fs::write(&input, &text).unwrap();
        let out_name = format!("out-{name}");
        let out = import(dir.path(), format, &input, &out_name);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        let said = stderr(&out);
        assert!(said.contains(&format!("error[{code}]")), "{name}: {said}");
        assert!(
            said.contains(&format!("{name}:")),
            "{name}: no file:line:col\n{said}"
        );
        assert!(said.contains("help:"), "{name}: no help\n{said}");
        assert!(!said.contains("panicked"), "{said}");
        assert!(
            !dir.path().join(&out_name).exists(),
            "{name}: something was written"
        );
    }
    // JSON: the location as fields.
    let input = dir.path().join("version.yaml");
    let json = run_ward(
        dir.path(),
        &[
            "import",
            "threagile",
            input.to_str().unwrap(),
            "-o",
            "j",
            "--message-format",
            "json",
        ],
    );
    let records = json_diagnostics(&stdout(&json));
    assert_eq!(records[0]["code"], "E0623");
    assert_eq!(records[0]["start_line"], 1, "{records:?}");

    // A 100 MB file is refused before it is read; a missing file too.
    let huge = dir.path().join("huge.json");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(100 * 1024 * 1024)
        .unwrap();
    let out = import(dir.path(), "threat-dragon", &huge, "huge");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("error[E0620]") && stderr(&out).contains("16 MiB"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("huge").exists());
    let out = import(
        dir.path(),
        "threagile",
        &dir.path().join("absent.yaml"),
        "absent",
    );
    assert!(stderr(&out).contains("error[E0620]"), "{}", stderr(&out));
}
