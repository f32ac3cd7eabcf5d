//! How much `ward check` and `ward build` print (issue #14, item 3): a
//! summary by default, `--verbose` and `--quiet`, `--explain-risk` on its
//! own, `build` that does not repeat what `check` printed, and the JSON
//! stream's structured fields and summary record.

mod support;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use support::{repo_root, run_ward, stderr, stdout, ward};

const PUMP: &str = "examples/insulin-pump";
/// What the CLI shows in full before it counts the rest (src/cli/output.rs).
const SHOWN_BY_DEFAULT: usize = 20;

/// A generated model of `n` components (ward-bench's gen-model).
fn generated(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ward_bench::write_model(dir.path(), &ward_bench::generate(n, 7)).unwrap();
    dir
}

/// The records of a `--message-format json` run, each checked against
/// docs/message-format.schema.json; the last one must be the summary.
fn json_stream(out: &Output) -> (Vec<Value>, Value) {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("docs/message-format.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft202012::new(&schema).expect("the schema is valid");
    let mut records: Vec<Value> = stdout(out)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    for record in &records {
        let errors: Vec<String> = validator
            .iter_errors(record)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{record} breaks the schema: {errors:?}");
    }
    let summary = records.pop().expect("a summary record");
    assert_eq!(summary["type"], "summary", "the last record: {summary}");
    assert!(
        records.iter().all(|r| r.get("type").is_none()),
        "one summary, last"
    );
    (records, summary)
}

fn count_of(records: &[Value], severity: &str) -> usize {
    records.iter().filter(|r| r["severity"] == severity).count()
}

/// Lines that open a diagnostic in human output.
fn headers(text: &str, kind: &str) -> usize {
    text.lines()
        .filter(|l| l.starts_with(&format!("{kind}[")))
        .count()
}

fn check(dir: &Path, path: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["check", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    run_ward(dir, &args)
}

#[test]
fn the_example_prints_a_bounded_report_that_ends_with_the_counts() {
    let out = run_ward(&repo_root(), &["check", PUMP]);
    assert_eq!(out.status.code(), Some(0));
    let text = stderr(&out);
    assert!(text.lines().count() < 120, "{} lines", text.lines().count());
    assert_eq!(headers(&text, "warning"), 6, "all six warnings fit");
    assert_eq!(
        text.lines().last(),
        Some(
            "checked 20 files at stage design: 133 threats (114 controlled); 0 errors, 6 warnings"
        )
    );
}

#[test]
fn past_the_first_diagnostics_warnings_are_counted_by_code_as_json_counts_them() {
    let model = generated(10);
    let (records, summary) = json_stream(&check(
        model.path(),
        Path::new("."),
        &["--message-format", "json"],
    ));
    let (errors, warnings) = (count_of(&records, "error"), count_of(&records, "warning"));
    assert!(errors > 0 && errors < SHOWN_BY_DEFAULT && warnings > SHOWN_BY_DEFAULT);
    assert_eq!(summary["errors"], errors);
    assert_eq!(summary["warnings"], warnings);

    let out = check(model.path(), Path::new("."), &[]);
    assert_eq!(
        out.status.code(),
        summary["exit_code"].as_i64().map(|c| c as i32)
    );
    let text = stderr(&out);
    assert_eq!(headers(&text, "error"), errors, "every error is shown");
    assert_eq!(headers(&text, "warning"), SHOWN_BY_DEFAULT - errors);
    // Errors come first.
    let first_warning = text.find("\nwarning[").unwrap();
    assert!(text.rfind("\nerror[").unwrap() < first_warning);

    let lines: Vec<&str> = text.lines().collect();
    let more = lines[lines.len() - 2];
    let hidden = warnings - (SHOWN_BY_DEFAULT - errors);
    let prefix = format!("… and {hidden} more warnings: ");
    assert!(more.starts_with(&prefix), "{more}");
    assert!(more.ends_with("; --verbose lists them all"), "{more}");
    assert!(more.contains("× W0402 residual risk `review` and not accepted"));
    // Shown plus counted, code by code, is what the JSON stream counts.
    let mut counted = counts_in(&more[prefix.len()..]);
    assert_eq!(counted.values().sum::<usize>(), hidden);
    for line in text.lines() {
        if let Some(code) = line.strip_prefix("warning[").and_then(|l| l.get(..5)) {
            *counted.entry(code.to_string()).or_default() += 1;
        }
    }
    let json_warnings: BTreeMap<String, usize> = (summary["by_code"].as_object().unwrap())
        .iter()
        .filter(|(code, _)| code.starts_with('W'))
        .map(|(code, n)| (code.clone(), n.as_u64().unwrap() as usize))
        .collect();
    assert_eq!(counted, json_warnings);
    let last = lines[lines.len() - 1];
    assert!(
        last.starts_with("checked ") && last.contains(" at stage design: "),
        "{last}"
    );
    assert!(
        last.ends_with(&format!("; {errors} errors, {warnings} warnings")),
        "{last}"
    );

    let verbose = stderr(&check(model.path(), Path::new("."), &["--verbose"]));
    assert_eq!(
        headers(&verbose, "warning"),
        warnings,
        "--verbose lists all"
    );
    assert_eq!(headers(&verbose, "error"), errors);
    assert!(!verbose.contains("more warnings"));

    let quiet = stderr(&check(model.path(), Path::new("."), &["--quiet"]));
    assert_eq!(headers(&quiet, "warning"), 0, "--quiet lists no warning");
    assert_eq!(headers(&quiet, "error"), errors);
    assert_eq!(quiet.lines().last(), lines.last().copied());
}

/// `31 × W0402 title, 18 × W0411 title` as code → count.
fn counts_in(list: &str) -> BTreeMap<String, usize> {
    list.split(", ")
        .filter_map(|item| {
            let (n, rest) = item.split_once(" × ")?;
            let code = rest.split(' ').next()?;
            Some((code.to_string(), n.parse().ok()?))
        })
        .collect()
}

#[test]
fn a_generated_model_of_100_gets_its_errors_and_a_count_of_its_warnings() {
    let model = generated(100);
    let (records, summary) = json_stream(&check(
        model.path(),
        Path::new("."),
        &["--message-format", "json"],
    ));
    let errors = count_of(&records, "error");
    let warnings = count_of(&records, "warning");
    let default = stderr(&check(model.path(), Path::new("."), &[]));
    let quiet = stderr(&check(model.path(), Path::new("."), &["-q"]));
    let verbose = stderr(&check(model.path(), Path::new("."), &["-v"]));
    // Past the errors, a bounded number of lines: at most 20 diagnostics
    // of a dozen lines each, the count line and the last line.
    let extra = default.lines().count() - quiet.lines().count();
    assert!(
        extra <= 12 * SHOWN_BY_DEFAULT + 2,
        "{extra} lines past the errors"
    );
    assert!(default.lines().count() * 2 < verbose.lines().count());
    // --verbose shows all but a flood of one code in one file, which it
    // counts (`note: N more W0402 diagnostics in F not shown`).
    let flooded: usize = (verbose.lines())
        .filter_map(|l| {
            l.strip_prefix("note: ")?
                .split(" more W")
                .next()?
                .parse::<usize>()
                .ok()
        })
        .sum();
    assert_eq!(headers(&verbose, "warning") + flooded, warnings);
    assert!(
        default
            .lines()
            .last()
            .unwrap()
            .ends_with(&format!("; {errors} errors, {warnings} warnings")),
        "{:?}",
        default.lines().last()
    );
    assert_eq!(
        summary["by_code"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum::<u64>(),
        (errors + warnings) as u64
    );
}

#[test]
fn quiet_prints_nothing_for_a_clean_model() {
    let out = run_ward(
        &repo_root(),
        &["check", "-q", "tests/fixtures/cli/clean.ward"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stderr(&out), "");
    assert_eq!(stdout(&out), "");
}

#[test]
fn explain_risk_prints_the_derivation_alone() {
    let model = generated(10);
    let (records, _) = json_stream(&check(
        model.path(),
        Path::new("."),
        &["--message-format", "json"],
    ));
    let threat = records
        .iter()
        .find_map(|r| r["threat"].as_str())
        .expect("a threat finding");
    let out = check(model.path(), Path::new("."), &["--explain-risk", threat]);
    let text = stderr(&out);
    assert_eq!(
        headers(&text, "warning") + headers(&text, "error"),
        0,
        "{text}"
    );
    assert!(!text.contains("checked "), "{text}");
    assert!(
        stdout(&out).contains(threat),
        "the derivation names the threat"
    );

    // A model that does not compile: one line, exit 2.
    let out = run_ward(
        &repo_root(),
        &[
            "check",
            "tests/fixtures/cli/unknown_reference.ward",
            "--explain-risk",
            "x",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error[E0601]: cannot explain `x`: the model does not compile (1 error; `ward check` lists them)\n"
    );
}

/// Runs ward in `dir` with `cache` as its cache folder.
fn run_cached(dir: &Path, cache: &Path, args: &[&str]) -> Output {
    ward()
        .current_dir(dir)
        .env("XDG_CACHE_HOME", cache)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn build_after_check_of_an_unchanged_model_counts_its_warnings_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let model: PathBuf = dir.path().join("pump");
    support::copy_tree(&repo_root().join(PUMP), &model);
    let build = ["build", "--no-svg", "-o", "../out", "."];

    let checked = run_cached(&model, cache.path(), &["check"]);
    assert_eq!(headers(&stderr(&checked), "warning"), 6);
    let built = run_cached(&model, cache.path(), &build);
    assert_eq!(built.status.code(), Some(0));
    let text = stderr(&built);
    assert_eq!(headers(&text, "warning"), 0, "{text}");
    assert!(text.contains("6 warnings, as the last run reported; --verbose lists them"));
    assert!(text.contains("; 0 errors, 6 warnings"));
    // --check likewise; --verbose lists them again.
    let drift = run_cached(
        &model,
        cache.path(),
        &["build", "--check", "--no-svg", "-o", "../out", "."],
    );
    assert_eq!(drift.status.code(), Some(0), "{}", stderr(&drift));
    assert_eq!(headers(&stderr(&drift), "warning"), 0);
    let mut verbose = build.to_vec();
    verbose.push("--verbose");
    assert_eq!(
        headers(
            &stderr(&run_cached(&model, cache.path(), &verbose)),
            "warning"
        ),
        6
    );

    // An edit that adds a finding: build lists the warnings again.
    let controls = model.join("controls.ward");
    let mut text = std::fs::read_to_string(&controls).unwrap();
    text.push_str("\ncontrol lonely \"Mitigates nothing\" {\n  category: integrity\n  requirement: \"x\"\n  acceptance: \"y\"\n  implemented_in: [pump]\n  status: proposed\n}\n");
    std::fs::write(&controls, text).unwrap();
    let built = run_cached(&model, cache.path(), &build);
    let text = stderr(&built);
    assert!(!text.contains("as the last run reported"), "{text}");
    assert!(
        text.contains("control `lonely` mitigates no threat"),
        "{text}"
    );
    assert!(headers(&text, "warning") > 6);

    // Without a usable cache, build prints everything, and exits alike.
    let unwritable = cache.path().join("file");
    std::fs::write(&unwritable, "").unwrap();
    let built = run_cached(&model, &unwritable, &build);
    assert_eq!(built.status.code(), Some(0));
    assert!(headers(&stderr(&built), "warning") > 6);
}

#[test]
fn json_records_name_their_threat_rule_and_element() {
    let model = generated(10);
    let (records, _) = json_stream(&check(
        model.path(),
        Path::new("."),
        &["--message-format", "json"],
    ));
    let review = records
        .iter()
        .find(|r| r["code"] == "W0402" && r["rule"].is_string())
        .expect("a W0402 of a rule-generated threat");
    let (rule, element) = (
        review["rule"].as_str().unwrap(),
        review["element"].as_str().unwrap(),
    );
    assert_eq!(review["threat"], format!("{rule}@{element}"));
    assert!(review["message"]
        .as_str()
        .unwrap()
        .contains(review["threat"].as_str().unwrap()));
    let coverage = records.iter().find(|r| r["code"] == "W0411").unwrap();
    assert!(coverage["threat"].is_null() && coverage["rule"].is_null());
    assert!(coverage["message"]
        .as_str()
        .unwrap()
        .contains(&format!("`{}`", coverage["element"].as_str().unwrap())));

    // A did-you-mean typo carries its fix, with the edit.
    let out = run_ward(
        &repo_root(),
        &[
            "check",
            "tests/fixtures/cli/unknown_reference.ward",
            "--message-format",
            "json",
        ],
    );
    let (records, summary) = json_stream(&out);
    assert_eq!(summary["exit_code"], 2);
    assert_eq!(summary["by_code"], serde_json::json!({"E0111": 1}));
    let typo = &records[0];
    assert!(typo["threat"].is_null() && typo["element"].is_null());
    assert_eq!(typo["fixes"][0]["applicability"], "safe");
    assert_eq!(typo["fixes"][0]["edits"][0]["replacement"], "pump");
}

#[test]
fn build_json_ends_with_the_summary_of_everything_printed() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let out = run_ward(
        &repo_root(),
        &[
            "build",
            PUMP,
            "--no-svg",
            "-o",
            out_dir.to_str().unwrap(),
            "--message-format",
            "json",
        ],
    );
    let (records, summary) = json_stream(&out);
    assert_eq!(summary["exit_code"], 0);
    assert_eq!(summary["warnings"], count_of(&records, "warning"));
    assert_eq!(summary["stage"], "design");
}

/// Each exit code `ward check --help` documents, run.
#[test]
fn check_help_documents_each_exit_code_it_exits_with() {
    let help = stdout(&run_ward(&repo_root(), &["check", "--help"]));
    let codes = help
        .split("Exit codes:")
        .nth(1)
        .expect("exit codes in --help");
    let documented: Vec<i32> = codes
        .split(';')
        .filter_map(|part| part.split_whitespace().next()?.parse().ok())
        .collect();
    assert_eq!(documented, [0, 1, 2, 141]);
    assert!(help.contains("exit 1 on any warning finding"), "{help}");

    let model = generated(10);
    let pump = repo_root().join(PUMP);
    let exits = |args: &[&str]| run_ward(&repo_root(), args).status.code();
    assert_eq!(exits(&["check", PUMP]), Some(0), "0: warnings allowed");
    assert_eq!(
        exits(&["check", model.path().to_str().unwrap()]),
        Some(1),
        "1: an error-level finding"
    );
    assert_eq!(
        exits(&["check", pump.to_str().unwrap(), "--deny-warnings"]),
        Some(1),
        "1: a warning finding under --deny-warnings"
    );
    assert_eq!(
        exits(&["check", "tests/fixtures/cli/duplicate_id.ward"]),
        Some(2),
        "2: does not compile"
    );
    assert_eq!(exits(&["check", "--no-such-flag"]), Some(2), "2: misuse");
    // 141: the reader of stderr is gone before ward writes.
    let mut child = ward()
        .current_dir(repo_root())
        .args(["check", "--verbose", model.path().to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    assert_eq!(child.wait().unwrap().code(), Some(141));
}

#[test]
fn the_last_run_record_is_never_read_or_written_through_a_link() {
    let cache = tempfile::tempdir().unwrap();
    let pump = repo_root().join(PUMP);
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let build = [
        "build",
        "--no-svg",
        "-o",
        out_dir.to_str().unwrap(),
        pump.to_str().unwrap(),
    ];
    run_cached(&repo_root(), cache.path(), &["check", PUMP]);
    let records: Vec<PathBuf> = std::fs::read_dir(cache.path().join("ward"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(records.len(), 1, "one record per model root");
    let record = &records[0];
    let remembered = std::fs::read_to_string(record).unwrap();
    // A link in its place, to a file of the user's: not read, not written through.
    let victim = dir.path().join("victim");
    std::fs::write(&victim, &remembered).unwrap();
    std::fs::remove_file(record).unwrap();
    std::os::unix::fs::symlink(&victim, record).unwrap();
    let built = run_cached(&repo_root(), cache.path(), &build);
    assert_eq!(built.status.code(), Some(0));
    assert_eq!(
        headers(&stderr(&built), "warning"),
        6,
        "a linked record is not read"
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), remembered);
    assert!(!record.is_symlink(), "the rename replaced the link");
    assert_eq!(std::fs::read_to_string(record).unwrap(), remembered);
}
