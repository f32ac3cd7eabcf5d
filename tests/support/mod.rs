//! Shared helpers for the end-to-end tests: run the `ward` binary, find the
//! external tools (Graphviz, Chromium, Neovim, node tools) and fail with a
//! clear message when one is missing: an end-to-end test never skips quietly.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "tools.rs"]
mod tools;
#[allow(unused_imports)] // each test binary uses some of them
pub use tools::{find_tool, missing_tool, require_python, require_tool};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `ward` with no colour and a cache folder of its own, so that no run
/// remembers another's diagnostics (`build` after `check`, see
/// src/cli/last_run.rs) unless a test shares one on purpose.
pub fn ward() -> Command {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("ward-cache")
        .join(format!("{}-{run}", std::process::id()));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ward"));
    cmd.env("NO_COLOR", "1")
        .env_remove("WARD_LOG")
        .env("XDG_CACHE_HOME", cache);
    cmd
}

/// Runs `ward ARGS` in `dir` and returns its output.
pub fn run_ward(dir: &Path, args: &[&str]) -> Output {
    ward()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the ward binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The diagnostic records of a `--message-format json` stream: every line
/// is a JSON object, and the summary record that ends it has no `code`.
pub fn json_diagnostics(stream: &str) -> Vec<serde_json::Value> {
    stream
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).expect("a JSON line"))
        .filter(|record| record.get("code").is_some())
        .collect()
}

/// `ward check --message-format json ARGS .` in `dir`: the exit code and
/// the diagnostics.
pub fn check_json(dir: &Path, args: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let mut all = vec!["check", "--message-format", "json"];
    all.extend(args);
    all.push(".");
    let out = run_ward(dir, &all);
    (
        out.status.code().unwrap_or(-1),
        json_diagnostics(&stdout(&out)),
    )
}

/// `ward diff OLD NEW --format json`, run in `old`, which must succeed: the
/// JSON report.
pub fn diff_json(old: &Path, new: &Path) -> serde_json::Value {
    let o = run_ward(
        old,
        &[
            "diff",
            old.to_str().unwrap(),
            new.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

/// The diagnostics of one code.
pub fn with_code<'a>(
    diagnostics: &'a [serde_json::Value],
    code: &str,
) -> Vec<&'a serde_json::Value> {
    diagnostics.iter().filter(|d| d["code"] == code).collect()
}

/// Asserts that `value` matches the JSON Schema at `schema` (relative to
/// the repository root).
pub fn assert_matches_schema(value: &serde_json::Value, schema: &str) {
    let schema_value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo_root().join(schema)).unwrap()).unwrap();
    let validator = jsonschema::draft202012::new(&schema_value).expect("the schema is valid");
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "does not match {schema}: {errors:#?}");
}

/// A node tool installed by `scripts/test` under `tests/node/node_modules/.bin`.
pub fn require_node_tool(name: &str) -> PathBuf {
    let path = repo_root().join("tests/node/node_modules/.bin").join(name);
    if !path.exists() {
        missing_tool(&format!(
            "this end-to-end test needs `{name}` from npm: run scripts/test, or `cd tests/node && npm ci`"
        ));
    }
    path
}

/// Runs headless Chromium on `page` (a `file://` URL, with any fragment) in a
/// `window` (width, height) with `extra` arguments (`--dump-dom`,
/// `--screenshot=...`, `--virtual-time-budget=MS`); returns its stdout.
pub fn headless_chromium(page: &str, window: (u32, u32), extra: &[&str]) -> String {
    let chromium = require_tool("chromium", "apt-get install chromium");
    let profile = tempfile::tempdir().unwrap();
    let result = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--window-size={},{}", window.0, window.1))
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(page)
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    String::from_utf8_lossy(&result.stdout).into_owned()
}

/// Copies a folder tree (for tests that write into a model folder).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "out" {
                copy_tree(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file below `dir` (its full path), sorted.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// How a [`run_guarded`] run ended.
pub struct Guarded {
    pub status: std::process::ExitStatus,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: std::time::Duration,
    /// The highest `VmHWM` seen while polling the child, in KB.
    pub peak_rss_kb: u64,
}

/// Runs ward with `args` in `dir`, killing it (and failing) after
/// `timeout`, a hang guard; stdout and stderr go to anonymous files, so a
/// flood of output cannot block it. Its peak memory is polled.
pub fn run_guarded(dir: &Path, args: &[&str], timeout: std::time::Duration) -> Guarded {
    use std::io::{Read, Seek};
    let mut out = tempfile::tempfile().unwrap();
    let mut err = tempfile::tempfile().unwrap();
    let start = std::time::Instant::now();
    let mut child = ward()
        .current_dir(dir)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(out.try_clone().unwrap())
        .stderr(err.try_clone().unwrap())
        .spawn()
        .expect("the ward binary starts");
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_rss_kb = 0;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        peak_rss_kb = peak_rss_kb.max(vm_hwm_kb(&status_path).unwrap_or(0));
        if start.elapsed() > timeout {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!(
                "`ward {}` still running after {timeout:?}: a hang",
                args.join(" ")
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    let read = |file: &mut std::fs::File| {
        let mut bytes = Vec::new();
        file.rewind().unwrap();
        file.read_to_end(&mut bytes).unwrap();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    Guarded {
        status,
        stdout: read(&mut out),
        stderr: read(&mut err),
        elapsed,
        peak_rss_kb,
    }
}

/// The `VmHWM` (peak resident set) line of `/proc/PID/status`, in KB.
pub fn vm_hwm_kb(status_path: &str) -> Option<u64> {
    let status = std::fs::read_to_string(status_path).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Writes `text` to `path`, creating its folders.
pub fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Makes a FIFO at `path` (`mkfifo`).
pub fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(made.success());
}

/// Starts `ward ARGS` in `dir` with piped output and no input.
pub fn spawn(dir: &Path, args: &[&str]) -> std::process::Child {
    ward()
        .current_dir(dir)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits for `child`; a hang guard only (two minutes), never a timing assertion.
pub fn finish(mut child: std::process::Child) -> Output {
    for _ in 0..1200 {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = child.kill();
    panic!("ward hung");
}

/// Everything ward said, both streams.
pub fn said(o: &Output) -> String {
    format!("{}{}", stdout(o), stderr(o))
}

/// The threats of a built model's `model.json` (format 3) with what each
/// takes from its rule filled in: STRIDE, CAPEC, CWE and suggestions are
/// written once, on the rule, unless the threat states its own.
#[allow(dead_code)]
pub fn model_threats(model: &serde_json::Value) -> Vec<serde_json::Value> {
    let rules = model["rules"].as_array().unwrap();
    let mut threats = model["threats"].as_array().unwrap().clone();
    for t in &mut threats {
        let Some(rule) = rules.iter().find(|r| r["id"] == t["rule"]) else {
            continue;
        };
        for member in ["stride", "capec", "cwe", "suggest"] {
            if t.get(member).is_none() {
                t[member] = rule[member].clone();
            }
        }
    }
    threats
}
