//! Hostile repositories (issue #12): models and manifests made to exhaust
//! the analysis or the terminal. Each goes through the `ward` binary under a
//! hang guard, with its peak memory and output size bounded.

#[allow(unused_imports)]
mod support;

use std::fmt::Write as _;
use std::fs;
use std::io::{Read, Seek};
use std::path::Path;
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};
use support::ward;

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
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect()
    }

    fn assert_exit(&self, code: i32) {
        let head: String = self.stderr.chars().take(2_000).collect();
        assert!(!self.stderr.contains("panicked"), "ward panicked:\n{head}");
        assert_eq!(self.status.code(), Some(code), "stderr:\n{head}");
    }
}

/// Runs ward with `args` in `dir`, killing it after [`TIMEOUT`] and failing
/// when its peak memory passes [`MAX_RSS_MB`].
fn run(dir: &Path, args: &[&str]) -> Run {
    let mut out = tempfile::tempfile().unwrap();
    let mut err = tempfile::tempfile().unwrap();
    let start = Instant::now();
    let mut child = ward()
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(out.try_clone().unwrap())
        .stderr(err.try_clone().unwrap())
        .spawn()
        .expect("the ward binary starts");
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        peak_kb = peak_kb.max(vm_hwm_kb(&status_path).unwrap_or(0));
        if start.elapsed() > TIMEOUT {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("`ward {}` still running after {TIMEOUT:?}", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    assert!(
        peak_kb / 1024 < MAX_RSS_MB,
        "`ward {}` used {} MB",
        args.join(" "),
        peak_kb / 1024
    );
    let read = |file: &mut fs::File| {
        let mut bytes = Vec::new();
        file.rewind().unwrap();
        file.read_to_end(&mut bytes).unwrap();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    Run {
        status,
        stdout: read(&mut out),
        stderr: read(&mut err),
    }
}

fn vm_hwm_kb(status_path: &str) -> Option<u64> {
    let status = fs::read_to_string(status_path).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
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
    let mut text = String::from(SYSTEM);
    for i in 0..components {
        writeln!(text, "component c{i} \"C\" in z {{ kind: service }}").unwrap();
    }
    for i in 0..rules {
        writeln!(
            text,
            "rule r{i} \"R {{id}}\" {{ stride: spoofing, applies_to: component, exploitability: low }}"
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
