//! End-to-end tests of `ward check`, `ward fmt` and `ward explain` as a user
//! runs them: exit codes, diagnostics at the right lines, output formats.

mod support;

use serde_json::Value;
use support::{repo_root, run_ward, stderr, stdout};

fn fixture(name: &str) -> String {
    format!("tests/fixtures/cli/{name}")
}

/// `(code, line, column)` of each diagnostic of `ward check --message-format json`.
fn check_json(file: &str) -> (Vec<(String, u64, u64)>, i32) {
    let out = run_ward(&repo_root(), &["check", file, "--message-format", "json"]);
    let found = stdout(&out)
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("one JSON object per line"))
        // The last record is the summary (tests/cli_output.rs).
        .filter(|d| d.get("type").is_none())
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["start_line"].as_u64().unwrap(),
                d["start_column"].as_u64().unwrap(),
            )
        })
        .collect();
    (found, out.status.code().unwrap())
}

fn codes_at(expected: &[(&str, u64, u64)]) -> Vec<(String, u64, u64)> {
    expected
        .iter()
        .map(|(c, l, col)| (c.to_string(), *l, *col))
        .collect()
}

#[test]
fn clean_model_exits_zero() {
    let (found, code) = check_json(&fixture("clean.ward"));
    assert_eq!(found, vec![]);
    assert_eq!(code, 0);
}

#[test]
fn unknown_reference_is_reported_at_the_reference() {
    let (found, code) = check_json(&fixture("unknown_reference.ward"));
    assert_eq!(found, codes_at(&[("E0111", 5, 21)]));
    assert_eq!(code, 2);
}

#[test]
fn duplicate_id_is_reported_at_the_second_declaration() {
    let (found, code) = check_json(&fixture("duplicate_id.ward"));
    assert_eq!(found, codes_at(&[("E0110", 5, 11)]));
    assert_eq!(code, 2);
}

#[test]
fn bad_enum_value_is_reported_at_the_value() {
    let (found, code) = check_json(&fixture("bad_enum.ward"));
    assert_eq!(found, codes_at(&[("E0205", 4, 9)]));
    assert_eq!(code, 2);
}

#[test]
fn unterminated_string_is_reported_at_its_opening_quote() {
    let (found, code) = check_json(&fixture("unterminated_string.ward"));
    assert_eq!(found, codes_at(&[("E0002", 3, 16)]));
    assert_eq!(code, 2);
}

#[test]
fn three_syntax_errors_give_three_diagnostics() {
    let (found, code) = check_json(&fixture("three_syntax_errors.ward"));
    assert_eq!(
        found,
        codes_at(&[("E0008", 2, 37), ("E0001", 4, 36), ("E0001", 6, 21)])
    );
    assert_eq!(code, 2);
}

#[test]
fn human_output_of_each_broken_fixture() {
    for name in [
        "unknown_reference",
        "duplicate_id",
        "bad_enum",
        "unterminated_string",
        "three_syntax_errors",
    ] {
        let out = run_ward(&repo_root(), &["check", &fixture(&format!("{name}.ward"))]);
        insta::assert_snapshot!(format!("check_{name}"), stderr(&out));
    }
}

#[test]
fn json_output_has_every_field() {
    let out = run_ward(
        &repo_root(),
        &[
            "check",
            &fixture("duplicate_id.ward"),
            "--message-format",
            "json",
        ],
    );
    insta::assert_snapshot!("check_json_duplicate_id", stdout(&out));
}

#[test]
fn shipped_example_checks_clean() {
    let out = run_ward(&repo_root(), &["check", "examples/insulin-pump"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("error["), "{}", stderr(&out));
}

#[test]
fn deny_warnings_fails_on_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.ward");
    std::fs::write(
        &file,
        "system s { version: \"1\" }\nzone z { trust: untrusted }\ndata d { kind: command, confidentiality: low, integrity: none, availability: low }\n",
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let relaxed = run_ward(&repo_root(), &["check", file]);
    assert_eq!(relaxed.status.code(), Some(0), "{}", stderr(&relaxed));
    assert!(
        stderr(&relaxed).contains("warning[W0201]"),
        "{}",
        stderr(&relaxed)
    );
    let strict = run_ward(&repo_root(), &["check", file, "--deny-warnings"]);
    assert_eq!(strict.status.code(), Some(2));
}

#[test]
fn error_findings_exit_one() {
    // Appendix A of the spec compiles, but with std::stride its rule threats
    // have unacceptable residual risk.
    let out = run_ward(&repo_root(), &["check", "examples/glucose-monitor"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("error[E0401]"));
}

#[test]
fn explain_risk_prints_the_derivation() {
    let out = run_ward(
        &repo_root(),
        &[
            "check",
            "examples/glucose-monitor",
            "--explain-risk",
            "ble_jam",
        ],
    );
    let text = stdout(&out);
    assert!(text.contains("ble_jam"), "{text}");
    assert!(text.to_lowercase().contains("exploitability"), "{text}");
    let missing = run_ward(
        &repo_root(),
        &[
            "check",
            "examples/glucose-monitor",
            "--explain-risk",
            "ble_jamm",
        ],
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("did you mean `ble_jam`"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn explain_prints_every_code() {
    for info in ward_diagnostics::CODES {
        let out = run_ward(&repo_root(), &["explain", info.code]);
        assert_eq!(out.status.code(), Some(0), "ward explain {}", info.code);
        assert!(stdout(&out).starts_with(&format!("# {}:", info.code)));
        assert!(stdout(&out).contains("```"), "{} has no example", info.code);
    }
    let unknown = run_ward(&repo_root(), &["explain", "E9999"]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn misuse_exits_two() {
    let out = run_ward(&repo_root(), &["check", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run_ward(&repo_root(), &["check", "does/not/exist"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn fmt_check_lists_files_that_would_change_and_fmt_fixes_them() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.ward");
    std::fs::write(
        &file,
        "system s {version:\"1\"}\nzone   z {trust: hostile}\n",
    )
    .unwrap();
    let check = run_ward(dir.path(), &["fmt", "--check", "."]);
    assert_eq!(check.status.code(), Some(1));
    assert!(stdout(&check).contains("m.ward"));
    let fix = run_ward(dir.path(), &["fmt", "."]);
    assert_eq!(fix.status.code(), Some(0), "{}", stderr(&fix));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "system s { version: \"1\" }\nzone z { trust: hostile }\n"
    );
    let again = run_ward(dir.path(), &["fmt", "--check", "."]);
    assert_eq!(again.status.code(), Some(0));
}

#[test]
fn fmt_refuses_files_that_do_not_parse() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.ward");
    let broken = "zone z { trust: hostile physical_access: true }\n";
    std::fs::write(&file, broken).unwrap();
    let out = run_ward(dir.path(), &["fmt", "m.ward"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("E0008"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        broken,
        "a broken file is left as it was"
    );
}
