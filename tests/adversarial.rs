//! Adversarial inputs: each goes through the `ward check` binary under a
//! timeout (and, where it says something about the library, through the
//! library on a test thread's small stack). Every one must end with a clear
//! diagnostic and a non-zero exit, or exit 0 where the input is a valid
//! model; never a panic, a stack overflow, a kill by a signal or a hang.
//!
//! Sizes are the (100,000 levels of nesting, 1 MB strings and
//! identifiers, 100,000 declarations, 10,000 policy levels) except the huge
//! file, which is `HUGE_FILE_MB` here (a debug build) and 100 MB in
//! `scripts/fuzz big` (release); `docs/reliability.md` has the timings.
//! Saved fuzz crashes (`fuzz/regressions/TARGET/*`) are replayed through the
//! fuzz targets' own checks.

mod support;

#[allow(dead_code)]
#[path = "../fuzz/src/checks.rs"]
mod checks;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use std::time::Duration;

/// How long one `ward check` may take before the test fails as a hang. A
/// guard against hangs, not a speed target: generous, because CI runs these
/// debug builds in parallel on two cores (speed is measured in benches/).
const TIMEOUT: Duration = Duration::from_secs(90);
/// Nesting depth of the deep inputs.
const DEEP: usize = 100_000;
/// The size of the huge file in this (debug) test; 100 MB in release runs
/// under `scripts/fuzz big`.
const HUGE_FILE_MB: usize = 2;
/// A peak resident set above this (for any run) fails the test.
const MAX_RSS_MB: u64 = 2_048;

// ---------------------------------------------------------------- harness

/// The outcome of one `ward check` run.
struct Run {
    status: ExitStatus,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    /// The highest `VmHWM` seen while polling the child, in KB.
    peak_rss_kb: u64,
}

impl Run {
    /// The diagnostic codes of `--message-format json` output, in order.
    /// The codes of the diagnostics, less W0415-W0417: these small models
    /// state no hazards or ratings, which is not what they test.
    fn codes(&self) -> Vec<String> {
        self.stdout
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter_map(|v| v["code"].as_str().map(String::from))
            .filter(|code| !["W0415", "W0416", "W0417"].contains(&code.as_str()))
            .collect()
    }

    fn has_code(&self, code: &str) -> bool {
        self.codes().iter().any(|c| c == code)
    }

    /// The first JSON diagnostic with this code.
    fn diagnostic(&self, code: &str) -> serde_json::Value {
        self.stdout
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .find(|v| v["code"] == code)
            .unwrap_or_else(|| panic!("no {code} diagnostic in:\n{}", self.head()))
    }

    /// The start of the output, for failure messages.
    fn head(&self) -> String {
        let cut = |s: &str| s.chars().take(2_000).collect::<String>();
        format!(
            "status {:?} after {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.status,
            self.elapsed,
            cut(&self.stdout),
            cut(&self.stderr)
        )
    }

    /// Exited by itself with `code`, without a panic.
    fn assert_exit(&self, code: i32) -> &Run {
        assert!(
            !self.stderr.contains("panicked") && !self.stderr.contains("overflowed its stack"),
            "ward crashed:\n{}",
            self.head()
        );
        assert_eq!(
            self.status.code(),
            Some(code),
            "unexpected exit:\n{}",
            self.head()
        );
        self
    }
}

/// Runs `ward check --message-format json PATH` and `ward check PATH`
/// (human output) in `dir`, each under [`TIMEOUT`], and returns the JSON
/// run after checking that both agree on the exit code.
fn check(dir: &Path, path: &str) -> Run {
    let json = run(dir, &["check", "--message-format", "json", path]);
    let human = run(dir, &["check", path]);
    assert_eq!(
        json.status.code(),
        human.status.code(),
        "human and JSON runs disagree:\n{}\n{}",
        json.head(),
        human.head()
    );
    assert!(
        human.stderr.contains("error") || human.status.code() == Some(0),
        "a failing human run printed no error:\n{}",
        human.head()
    );
    json
}

/// Runs `ward check --message-format json PATH` only: for the inputs so
/// large that a second (human) run would double a long test.
fn check_json(dir: &Path, path: &str) -> Run {
    run(dir, &["check", "--message-format", "json", path])
}

/// [`check_json`] of `text` as `main.ward` in a fresh model folder.
fn check_large_text(text: &[u8]) -> Run {
    let dir = model(&[("main.ward", text)]);
    check_json(dir.path(), "main.ward")
}

/// Runs ward with `args` in `dir`, killing it after [`TIMEOUT`]; stdout and
/// stderr go to anonymous files, so a flood of diagnostics cannot block it.
fn run(dir: &Path, args: &[&str]) -> Run {
    let guarded = support::run_guarded(dir, args, TIMEOUT);
    let run = Run {
        status: guarded.status,
        stdout: guarded.stdout,
        stderr: guarded.stderr,
        elapsed: guarded.elapsed,
        peak_rss_kb: guarded.peak_rss_kb,
    };
    assert!(
        run.peak_rss_kb / 1024 < MAX_RSS_MB,
        "`ward {}` used {} MB",
        args.join(" "),
        run.peak_rss_kb / 1024
    );
    eprintln!(
        "ward {}: exit {:?} in {:.2?}, peak RSS {} MB",
        args.join(" "),
        run.status.code(),
        run.elapsed,
        run.peak_rss_kb / 1024
    );
    run
}

/// A temporary model folder holding `files`.
fn model(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    dir
}

/// Checks `text` as the file `main.ward` of a fresh model folder.
fn check_text(text: &[u8]) -> Run {
    let dir = model(&[("main.ward", text)]);
    check(dir.path(), "main.ward")
}

/// Runs the fuzz targets' checks on `text` as a library call, on the test
/// thread (2 MiB of stack in a debug build): the parser, formatter and
/// pipeline must not need more.
fn library_survives(text: &[u8]) {
    checks::check_parse(text);
    checks::check_format(text);
    checks::check_pipeline(text);
}

/// A valid model that the test cases add to.
const SYSTEM: &str = "system s \"S\" { version: \"1\" }\n";

/// A rule whose `when` is `expr`.
fn rule_with_when(expr: &str) -> String {
    format!(
        "{SYSTEM}rule r \"R\" {{\n  stride: spoofing\n  applies_to: flow\n  exploitability: high\n  when: {expr}\n}}\n"
    )
}

// ---------------------------------------------------------------- nesting

#[test]
fn brackets_nested_100000_deep_are_too_deep() {
    let text = format!(
        "{SYSTEM}zone z {{ tags: {}{} }}\n",
        "[".repeat(DEEP),
        "]".repeat(DEEP)
    );
    let run = check_text(text.as_bytes());
    run.assert_exit(2);
    assert!(run.has_code("E0006"), "{}", run.head());
    library_survives(text.as_bytes());
}

#[test]
fn unclosed_brackets_100000_deep_are_too_deep() {
    for opener in ["[", "(", "{"] {
        let text = format!("{SYSTEM}zone z {{ tags: {}\n", opener.repeat(DEEP));
        let run = check_text(text.as_bytes());
        run.assert_exit(2);
        assert!(run.has_code("E0006"), "{opener}: {}", run.head());
        library_survives(text.as_bytes());
    }
}

#[test]
fn nested_blocks_100000_deep_are_too_deep() {
    let text = format!(
        "{SYSTEM}zone z {}{}\n",
        "{ a ".repeat(DEEP),
        "}".repeat(DEEP)
    );
    let run = check_text(text.as_bytes());
    run.assert_exit(2);
    assert!(run.has_code("E0006"), "{}", run.head());
    library_survives(text.as_bytes());
}

#[test]
fn block_comments_nested_100000_deep_are_too_deep() {
    let text = format!("{}{}\n{SYSTEM}", "/*".repeat(DEEP), "*/".repeat(DEEP));
    let run = check_text(text.as_bytes());
    run.assert_exit(2);
    let too_deep = run.diagnostic("E0006");
    assert_eq!(too_deep["start_line"], 1, "{}", run.head());
    library_survives(text.as_bytes());
    // Never closed: one error for the depth, one for the comment.
    let text = "/*".repeat(DEEP);
    let run = check_text(text.as_bytes());
    run.assert_exit(2);
    assert!(
        run.has_code("E0006") && run.has_code("E0007"),
        "{}",
        run.head()
    );
    library_survives(text.as_bytes());
}

#[test]
fn a_when_parenthesised_100000_deep_is_too_deep() {
    let text = rule_with_when(&format!(
        "{}authenticated{}",
        "(".repeat(DEEP),
        ")".repeat(DEEP)
    ));
    let run = check_text(text.as_bytes());
    run.assert_exit(2);
    assert!(run.has_code("E0006"), "{}", run.head());
    library_survives(text.as_bytes());
}

#[test]
fn long_operator_chains_in_a_when_are_bounded() {
    // Not brackets, but each operator deepens the tree: 100,000 `not`s and
    // an `and` chain of 100,000 operands.
    let nots = rule_with_when(&format!("{}authenticated", "not ".repeat(DEEP)));
    let ands = rule_with_when(&format!("({})", vec!["authenticated"; DEEP].join(" and ")));
    for text in [nots, ands] {
        let run = check_text(text.as_bytes());
        run.assert_exit(2);
        assert!(run.has_code("E0006"), "{}", run.head());
        library_survives(text.as_bytes());
    }
}

// ---------------------------------------------------------------- size

#[test]
fn a_huge_file_finishes_with_bounded_memory() {
    let size = HUGE_FILE_MB * 1024 * 1024;
    // Valid but huge: zones, then one undeclared reference so the check
    // ends with a diagnostic.
    let mut valid = String::with_capacity(size + 1024);
    valid.push_str(SYSTEM);
    let mut i = 0;
    while valid.len() < size {
        writeln!(valid, "zone z{i} \"Zone {i}\" {{ trust: controlled }}").unwrap();
        i += 1;
    }
    valid.push_str("component c in nowhere {}\n");
    let run = check_large_text(valid.as_bytes());
    run.assert_exit(2);
    assert_eq!(run.codes(), ["E0111"], "{}", run.head());
    // Junk: one syntax error for the whole region (and no `system`, which
    // comes after it: a file's syntax errors come first), not one per byte.
    let junk: Vec<u8> = (0..size).map(|i| b"#$%^&*~`|!?;:"[i % 13]).collect();
    let run = check_large_text(&junk);
    run.assert_exit(2);
    assert_eq!(run.codes(), ["E0009", "E0115"], "{}", run.head());
}

#[test]
fn one_megabyte_strings_and_identifiers() {
    let big = "x".repeat(1 << 20);
    // Valid: a 1 MB title and a 1 MB id.
    let text = format!("{SYSTEM}zone {big} \"{big}\" {{}}\ncomponent c in {big} {{}}\n");
    check_text(text.as_bytes()).assert_exit(0);
    // An unterminated 1 MB string.
    let text = format!("{SYSTEM}zone z \"{big}\n");
    let run = check_text(text.as_bytes());
    run.assert_exit(2);
    assert!(run.has_code("E0002"), "{}", run.head());
    // A 1 MB reference that almost matches a 1 MB id: the did-you-mean
    // search must not be quadratic in the length of the names.
    let near = format!("{}y", &big[1..]);
    let text = format!("{SYSTEM}zone {big} {{}}\ncomponent c in {near} {{}}\n");
    let run = check_text(text.as_bytes());
    run.assert_exit(2);
    assert!(run.has_code("E0111"), "{}", run.head());
}

#[test]
fn one_hundred_thousand_declarations() {
    let mut text = String::from(SYSTEM);
    for i in 0..DEEP {
        writeln!(text, "zone z{i} {{}}").unwrap();
    }
    check_large_text(text.as_bytes()).assert_exit(0);
    // The same id 100,000 times: one error per repeat, all rendered.
    let mut text = String::from(SYSTEM);
    for _ in 0..DEEP {
        text.push_str("zone z {}\n");
    }
    let run = check_large_text(text.as_bytes());
    run.assert_exit(2);
    assert_eq!(
        run.codes().iter().filter(|c| *c == "E0110").count(),
        DEEP - 1
    );
}

#[test]
fn lists_of_100000_items() {
    // Duplicates were found by comparing each item with those before it:
    // minutes for a list this long.
    let items = |prefix: &str, n: usize| {
        (0..n)
            .map(|i| format!("{prefix}{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let threats = 20_000;
    let mut text = format!(
        "{SYSTEM}zone z {{ trust: hostile, controlled_by: third_party, tags: [{}] }}\ncomponent a in z {{}}\ncomponent b in z {{}}\nflow f: a -> b {{}}\n",
        items("t", DEEP)
    );
    for i in 0..threats {
        writeln!(
            text,
            "threat t{i} {{ stride: [tampering], targets: [f], exploitability: low }}"
        )
        .unwrap();
    }
    writeln!(
        text,
        "control k {{ category: integrity, requirement: \"R\", mitigates: [{}], verification: [test \"x\"] }}",
        items("t", threats)
    )
    .unwrap();
    writeln!(
        text,
        "usecase u {{ steps: [{}] }}",
        vec!["f"; DEEP].join(", ")
    )
    .unwrap();
    let run = check_large_text(text.as_bytes());
    run.assert_exit(0);
    assert_eq!(run.codes(), ["W0202"], "{}", run.head());
}

#[test]
fn thousands_of_unknown_ids_among_thousands_of_names() {
    // Each unknown id is compared with every id of its kind for a
    // did-you-mean: 4,000 x 4,000 comparisons, beyond the compiler's budget
    // (later ids then get plain help). Took minutes before the budget.
    const N: usize = 4_000;
    let mut text = String::from(SYSTEM);
    for i in 0..N {
        writeln!(text, "zone z{i} {{}}").unwrap();
    }
    for i in 0..N {
        writeln!(text, "component c{i} in q{i} {{}}").unwrap();
    }
    let run = check_large_text(text.as_bytes());
    run.assert_exit(2);
    let helps: Vec<String> = run
        .stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|d| d["code"] == "E0111")
        .map(|d| d["help"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(helps.len(), N);
    assert_eq!(helps[0], "did you mean `z0`?");
    assert!(
        helps[N - 1].starts_with("declare a zone"),
        "{}",
        helps[N - 1]
    );
}

// ---------------------------------------------------------------- encoding

#[test]
fn invalid_utf8_is_reported() {
    let mut bytes = SYSTEM.as_bytes().to_vec();
    bytes.extend_from_slice(b"zone z \"\xff\xfe\" {}\n");
    let run = check_text(&bytes);
    run.assert_exit(2);
    let d = run.diagnostic("E0101");
    assert!(
        d["message"].as_str().unwrap().contains("UTF-8"),
        "{}",
        run.head()
    );
    library_survives(&bytes);
}

#[test]
fn nul_bytes_are_a_syntax_error() {
    let text = format!("{SYSTEM}zone z\0 {{}}\n\0\0\0\n");
    let run = check_text(text.as_bytes());
    run.assert_exit(2);
    assert!(
        run.codes().iter().all(|c| c.starts_with("E00")),
        "{}",
        run.head()
    );
    // The NUL is named, escaped, not printed raw.
    assert!(run.stdout.contains("found `\\\\u{0}`"), "{}", run.head());
    library_survives(text.as_bytes());
}

/// A small valid model in two files, the second used by the first.
fn two_file_model(bom: bool, line_end: &str) -> tempfile::TempDir {
    let prefix = if bom { "\u{feff}" } else { "" };
    let main = format!(
        "{prefix}{SYSTEM}use \"zones.ward\"\ncomponent c \"C\" in home {{\n  kind: device\n  interfaces: [ble]\n}}\n"
    )
    .replace('\n', line_end);
    let zones = format!(
        "{prefix}zone home \"Home\" {{\n  trust: untrusted /* a\n  comment */\n  controlled_by: patient\n  description: \"\"\"\n    two\n    lines\n  \"\"\"\n}}\n"
    )
    .replace('\n', line_end);
    model(&[
        ("main.ward", main.as_bytes()),
        ("zones.ward", zones.as_bytes()),
    ])
}

#[test]
fn a_byte_order_mark_and_crlf_line_ends_just_work() {
    for (bom, line_end) in [(true, "\n"), (false, "\r\n"), (true, "\r\n")] {
        let dir = two_file_model(bom, line_end);
        let run = check(dir.path(), "main.ward");
        run.assert_exit(0);
        assert!(run.codes().is_empty(), "{}", run.head());
        // A diagnostic still points at the right line and column.
        let bad = format!(
            "{}{SYSTEM}\nzone z {{ trust: hostle }}\n",
            if bom { "\u{feff}" } else { "" }
        )
        .replace('\n', line_end);
        let run = check_text(bad.as_bytes());
        run.assert_exit(2);
        let d = run.diagnostic("E0205");
        assert_eq!(
            (d["start_line"].as_u64(), d["start_column"].as_u64()),
            (Some(3), Some(17))
        );
    }
}

// ---------------------------------------------------------------- use

#[test]
fn import_cycles_are_reported() {
    let dir = model(&[
        ("main.ward", format!("{SYSTEM}use \"a.ward\"\n").as_bytes()),
        ("a.ward", b"use \"b.ward\"\n"),
        ("b.ward", b"use \"a.ward\"\n"),
        ("self.ward", b"use \"self.ward\"\n"),
    ]);
    let run = check(dir.path(), "main.ward");
    run.assert_exit(2);
    assert!(run.has_code("E0107"), "{}", run.head());
    let run = check(dir.path(), ".");
    run.assert_exit(2);
    assert_eq!(
        run.codes().iter().filter(|c| *c == "E0107").count(),
        2,
        "{}",
        run.head()
    );
}

#[test]
fn use_outside_the_model_root_is_refused() {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("model");
    fs::create_dir_all(root.join("sub")).unwrap();
    fs::write(outer.path().join("secret.ward"), "zone secret {}\n").unwrap();
    fs::write(root.join("Ward.toml"), "files = [\"main.ward\"]\n").unwrap();
    let main = |target: &str| format!("{SYSTEM}use \"{target}\"\n");
    let refused = |target: &str| {
        fs::write(root.join("main.ward"), main(target)).unwrap();
        let run = check(&root, "main.ward");
        run.assert_exit(2);
        assert!(run.has_code("E0105"), "{target}: {}", run.head());
    };
    // By `..`, directly and after going down first.
    refused("../secret.ward");
    refused("sub/../../secret.ward");
    // By a symlinked file and a symlinked folder inside the root.
    std::os::unix::fs::symlink(outer.path().join("secret.ward"), root.join("link.ward")).unwrap();
    std::os::unix::fs::symlink(outer.path(), root.join("sub/up")).unwrap();
    refused("link.ward");
    refused("sub/up/secret.ward");
    // An absolute path outside the root.
    refused(&outer.path().join("secret.ward").display().to_string());
}

// ---------------------------------------------------------------- policy

/// A policy with `levels` severity levels (or exploitability levels, when
/// `wide`), whose matrices are `acceptable` below `cut` and `unacceptable`
/// from it; a hazard of the top severity and a threat of the top
/// exploitability.
fn big_policy_model(levels: usize, wide: bool, cut: usize) -> String {
    let scale = |prefix: &str, n: usize| {
        (0..n)
            .map(|i| format!("{prefix}{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (severities, exploits) = if wide { (5, levels) } else { (levels, 5) };
    let row = |level: usize| {
        let cells: Vec<&str> = (0..exploits)
            .map(|e| {
                let at = if wide { e } else { level };
                if at >= cut {
                    "unacceptable"
                } else {
                    "acceptable"
                }
            })
            .collect();
        format!("[{}]", cells.join(", "))
    };
    let mut text = String::new();
    writeln!(text, "system s {{ version: \"1\", policy: big }}").unwrap();
    writeln!(text, "policy big {{").unwrap();
    writeln!(text, "  severity: [{}]", scale("s", severities)).unwrap();
    writeln!(text, "  exploitability: [{}]", scale("e", exploits)).unwrap();
    writeln!(text, "  matrix {{").unwrap();
    for s in 0..severities {
        writeln!(text, "    s{s}: {}", row(s)).unwrap();
    }
    writeln!(text, "  }}\n  security_matrix {{").unwrap();
    for impact in ["none", "low", "medium", "high"] {
        writeln!(text, "    {impact}: {}", row(0)).unwrap();
    }
    writeln!(text, "  }}\n}}").unwrap();
    writeln!(text, "zone z {{}}\ncomponent c in z {{}}").unwrap();
    writeln!(text, "hazard h {{ severity: s{} }}", severities - 1).unwrap();
    writeln!(
        text,
        "threat t {{ stride: [tampering], targets: [c], hazards: [h], exploitability: e{} }}",
        exploits - 1
    )
    .unwrap();
    text
}

#[test]
fn a_policy_with_10000_levels_scores_on_the_right_row() {
    const LEVELS: usize = 10_000;
    // Rows 0..256 acceptable, the rest unacceptable: a level number that
    // wrapped around a small integer type would land on an acceptable row.
    for wide in [false, true] {
        let text = big_policy_model(LEVELS, wide, 256);
        let run = check_text(text.as_bytes());
        run.assert_exit(1);
        assert!(run.has_code("E0401"), "wide {wide}: {}", run.head());
    }
    // A matrix that misses most rows: one error naming the missing levels.
    let mut text = big_policy_model(LEVELS, false, 256);
    let start = text.find("    s1: ").unwrap();
    let end = text.find("  }\n  security_matrix").unwrap();
    text.replace_range(start..end, "");
    let run = check_text(text.as_bytes());
    run.assert_exit(2);
    assert_eq!(run.codes(), ["E0252"], "{}", run.head());
    let message = run.diagnostic("E0252")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains("`s1`") && message.contains("`s9999`"),
        "{message}"
    );
}

// ---------------------------------------------------------------- fuzz

/// Every input a fuzz target once crashed on, replayed through its check.
#[test]
fn saved_fuzz_crashes_stay_fixed() {
    let root = support::repo_root().join("fuzz/regressions");
    type Check = fn(&[u8]);
    let targets: [(&str, Check); 5] = [
        ("parse", checks::check_parse),
        ("pipeline", checks::check_pipeline),
        ("format", checks::check_format),
        ("lsp", checks::check_lsp),
        ("manifest", checks::check_manifest),
    ];
    for (target, check) in targets {
        for path in regression_inputs(&root.join(target)) {
            eprintln!("replaying {}", path.display());
            check(&fs::read(&path).unwrap());
        }
    }
}

/// The manifest target's check on `Ward.toml` files that try to leave the
/// model root: nothing is loaded from, or built into, a path outside.
#[test]
fn the_manifest_fuzz_check_holds_on_hostile_manifests() {
    for manifest in [
        "files = [\"main.ward\", \"../secret.ward\", \"/etc/passwd\", \"sub/../../x.ward\"]\n",
        "files = [\"**/*.ward\", \"{main,sub/*}.ward\", \"[\"]\n[build]\nout = \"../../x\"\ntemplates = \"/etc\"\n",
        "[build]\nout = \"out\"\ntemplates = \"sub/../templates\"\n",
        "files = 3\n\u{0}\u{ff}",
    ] {
        checks::check_manifest(manifest.as_bytes());
    }
}

fn regression_inputs(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().path())
                .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}
