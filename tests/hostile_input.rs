//! Hostile repositories (issue #12): models and manifests made to exhaust
//! the analysis or the terminal. Each goes through the `ward` binary under a
//! hang guard, with its peak memory and output size bounded.

#[allow(unused_imports)]
mod support;

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::ExitStatus;
use std::time::Duration;

/// A guard against hangs, not a speed target (debug builds share 2 cores).
const TIMEOUT: Duration = Duration::from_secs(120);
/// A peak resident set above this fails the test.
const MAX_RSS_MB: u64 = 1_024;

struct Run {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The JSON diagnostics of `--message-format json` output.
    fn diagnostics(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            // The summary record that ends the stream is not a diagnostic.
            .filter(|d| d["type"] != "summary")
            .collect()
    }

    fn assert_exit(&self, code: i32) {
        let head: String = self.stderr.chars().take(2_000).collect();
        assert!(!self.stderr.contains("panicked"), "ward panicked:\n{head}");
        assert_eq!(self.status.code(), Some(code), "stderr:\n{head}");
    }
}

/// Runs ward with `args` in `dir` under [`TIMEOUT`], failing when its peak
/// memory passes [`MAX_RSS_MB`].
fn run(dir: &Path, args: &[&str]) -> Run {
    let guarded = support::run_guarded(dir, args, TIMEOUT);
    assert!(
        guarded.peak_rss_kb / 1024 < MAX_RSS_MB,
        "`ward {}` used {} MB",
        args.join(" "),
        guarded.peak_rss_kb / 1024
    );
    Run {
        status: guarded.status,
        stdout: guarded.stdout,
        stderr: guarded.stderr,
    }
}

fn model(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

const SYSTEM: &str = "system s \"S\" { version: \"1\" }\nzone z \"Z\" { trust: untrusted }\n";

/// `rules` rules that each match every one of `components` components.
fn rules_times_components(rules: usize, components: usize) -> String {
    rules_with_when(rules, components, "true")
}

/// `rules` rules on components, each with `when: WHEN`.
fn rules_with_when(rules: usize, components: usize, when: &str) -> String {
    let mut text = String::from(SYSTEM);
    for i in 0..components {
        writeln!(text, "component c{i} \"C\" in z {{ kind: service }}").unwrap();
    }
    for i in 0..rules {
        writeln!(
            text,
            "rule r{i} \"R {{id}}\" {{ stride: spoofing, applies_to: component, exploitability: low, when: {when} }}"
        )
        .unwrap();
    }
    text
}

// ------------------------------------------------- item 4: threat budget

#[test]
fn rules_times_components_stop_at_the_threat_budget_and_nothing_is_written() {
    // 500 x 500 would be 250,000 threats; the budget of 500 components is
    // 55,000.
    let dir = model(&[("main.ward", &rules_times_components(500, 500))]);
    let check = run(
        dir.path(),
        &["check", "--message-format", "json", "main.ward"],
    );
    check.assert_exit(2);
    let budget: Vec<_> = check
        .diagnostics()
        .into_iter()
        .filter(|d| d["code"] == "E0420")
        .collect();
    assert_eq!(budget.len(), 1, "{}", check.stdout);
    assert!(budget[0]["message"].as_str().unwrap().contains("55000"));
    // The rules evaluated first generate 500 each: the first five are named.
    let notes = budget[0]["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 5);
    assert!(notes[0]
        .as_str()
        .unwrap()
        .contains("rule `r0` generated 500 threats"));

    let build = run(dir.path(), &["build", "main.ward"]);
    build.assert_exit(2);
    assert!(build.stderr.contains("E0420"), "{}", build.stderr);
    assert!(build.stderr.contains("nothing written"), "{}", build.stderr);
    assert!(!dir.path().join("out").exists(), "build wrote artifacts");
}

#[test]
fn a_model_under_the_budget_still_builds_all_its_threats() {
    // 100 x 100 = 10,000 generated threats: under the budget, all kept.
    let dir = model(&[("main.ward", &rules_times_components(100, 100))]);
    let check = run(dir.path(), &["check", "main.ward"]);
    assert!(
        check.stderr.contains("10000 threats"),
        "{}",
        check.stderr.lines().last().unwrap_or("")
    );
    assert!(!check.stderr.contains("E0420"));
}

#[test]
fn rules_times_components_that_match_nothing_stop_at_the_evaluation_budget() {
    // 4,000 x 3,000 = 12,000,000 evaluations; the budget of 3,000
    // components is 10,300,000. None would match: no threat budget helps.
    let dir = model(&[("main.ward", &rules_with_when(4000, 3000, "kind == device"))]);
    let check = run(
        dir.path(),
        &["check", "--message-format", "json", "main.ward"],
    );
    check.assert_exit(2);
    let codes: Vec<_> = check
        .diagnostics()
        .into_iter()
        .map(|d| d["code"].clone())
        .collect();
    assert_eq!(codes, ["E0421"], "{}", check.stdout);
    let diagnostic = &check.diagnostics()[0];
    assert!(diagnostic["message"]
        .as_str()
        .unwrap()
        .contains("evaluated 12000000 times, more than 10300000"));
    assert_eq!(
        diagnostic["notes"][0],
        "4000 rules apply to components, of which the model has 3000"
    );
}

// ------------------------------------- item 10: long lines, many diagnostics

#[test]
fn eight_thousand_unknown_references_on_one_line_print_a_bounded_report() {
    let refs: Vec<String> = (0..8000).map(|i| format!("nope{i}")).collect();
    let text = format!(
        "{SYSTEM}component a \"A\" in z {{ kind: service }}\ncomponent b \"B\" in z {{ kind: service }}\nflow f: a -> b \"F\" {{ protocol: https, carries: [{}] }}\n",
        refs.join(", ")
    );
    let dir = model(&[("main.ward", &text)]);
    let human = run(dir.path(), &["check", "main.ward"]);
    human.assert_exit(2);
    // 100 diagnostics of ~600 bytes each, then one count line (the line is
    // 70 KB: shown whole, 100 times, it would be 7 MB).
    assert!(human.stderr.len() < 100_000, "{} bytes", human.stderr.len());
    assert_eq!(human.stderr.matches("error[E0111]").count(), 100);
    assert!(human
        .stderr
        .contains("note: 7900 more E0111 diagnostics in main.ward not shown"));
    // The last shown reference, with its true column, under its carets.
    let at = text.find("nope99,").unwrap() - text[..text.find("flow f").unwrap()].len();
    assert!(human.stderr.contains(&format!("main.ward:5:{}", at + 1)));
    // JSON lists every one.
    let json = run(
        dir.path(),
        &["check", "--message-format", "json", "main.ward"],
    );
    assert_eq!(json.diagnostics().len(), 8000);
}

#[test]
fn ten_thousand_globs_on_one_line_of_ward_toml_are_reported_in_linear_time() {
    let globs: Vec<String> = (0..10_000).map(|i| format!("\"g{i}/*.ward\"")).collect();
    let manifest = format!("files = [\"main.ward\", {}]\n", globs.join(", "));
    let dir = model(&[("Ward.toml", &manifest), ("main.ward", SYSTEM)]);
    let json = run(dir.path(), &["check", "--message-format", "json", "."]);
    json.assert_exit(0);
    let unmatched: Vec<_> = json
        .diagnostics()
        .into_iter()
        .filter(|d| d["code"] == "W0101")
        .collect();
    assert_eq!(unmatched.len(), 10_000);
    // Each warning points at its own pattern.
    let last = &unmatched[9_999];
    assert!(last["message"].as_str().unwrap().contains("g9999/*.ward"));
    let column = manifest.find("\"g9999/").unwrap() + 1;
    assert_eq!(last["start_column"], column);
    let human = run(dir.path(), &["check", "."]);
    assert!(human.stderr.len() < 100_000, "{} bytes", human.stderr.len());
}

// ------------------------------------------- item 12: terminal escapes

#[test]
fn escape_sequences_in_the_model_reach_the_terminal_escaped() {
    let text =
        format!("{SYSTEM}component c0 \"C \u{1b}]0;pwned\u{7}\" in nowhere {{ kind: service }}\n");
    let dir = model(&[("main.ward", &text)]);
    let check = run(dir.path(), &["check", "main.ward"]);
    check.assert_exit(2);
    assert!(!check.stderr.contains('\u{1b}'), "{:?}", check.stderr);
    assert!(
        check.stderr.contains("\"C \\u{1b}]0;pwned\\u{7}\""),
        "{}",
        check.stderr
    );

    // A rule title in `--explain-risk`.
    let text = format!(
        "{SYSTEM}component c0 \"C\" in z {{ kind: service }}\nrule r \"R \u{1b}[2J\u{202e} {{id}}\" {{ stride: spoofing, applies_to: component, exploitability: low }}\n"
    );
    let dir = model(&[("main.ward", &text)]);
    let explain = run(
        dir.path(),
        &["check", "main.ward", "--explain-risk", "r@c0"],
    );
    explain.assert_exit(0);
    assert!(
        explain.stdout.contains("R \\u{1b}[2J\\u{202e} c0"),
        "{}",
        explain.stdout
    );
    assert!(!explain.stdout.contains('\u{1b}') && !explain.stdout.contains('\u{202e}'));
}
