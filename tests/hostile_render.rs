//! `ward build` on repositories nobody reviewed (issue #12, artifacts):
//! deeply nested zones, Graphviz failing or facing a dense graph, and what
//! is written then. Graphviz is replaced by a script on `PATH`, so each test
//! decides what `dot` does and sees what it was asked to draw.

#![cfg(unix)]

// Some of the shared helpers go unused here.
#[allow(unused_imports)]
mod support;

use std::fmt::Write as _;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use support::{files_below, stderr, ward};

const SYSTEM: &str = "system s \"S\" { version: \"1\" }\n";

/// A folder holding `model.ward` with `text`, and a `bin/dot` script with
/// `script` as its body (after `-V`, which succeeds so Graphviz is "installed").
fn setup(text: &str, script: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("model")).unwrap();
    fs::write(dir.path().join("model/model.ward"), text).unwrap();
    let bin = dir.path().join("bin");
    fs::create_dir_all(&bin).unwrap();
    let dot = bin.join("dot");
    fs::write(
        &dot,
        format!("#!/bin/sh\nif [ \"$1\" = \"-V\" ]; then exit 0; fi\n{script}\n"),
    )
    .unwrap();
    fs::set_permissions(&dot, fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

/// `ward build model -o out` with the fake `dot` first on `PATH`.
fn build(dir: &Path) -> Output {
    let path = std::env::var("PATH").unwrap_or_default();
    ward()
        .current_dir(dir)
        .env("PATH", format!("{}:{path}", dir.join("bin").display()))
        .env("DOT_LOG", dir.join("dot.log"))
        .args(["build", "model", "-o", "out"])
        .output()
        .expect("the ward binary runs")
}

/// The written files, relative to `out`.
fn written(dir: &Path) -> Vec<String> {
    let out = dir.join("out");
    files_below(&out)
        .iter()
        .map(|p: &PathBuf| p.strip_prefix(&out).unwrap().to_string_lossy().into_owned())
        .collect()
}

const PUMP: &str = include_str!("../crates/ward-render/tests/fixtures/pump.ward");

#[test]
fn when_graphviz_fails_every_other_artifact_is_still_written() {
    let dir = setup(
        PUMP,
        "cat >/dev/null\necho 'Error: layout exploded' >&2\nexit 1",
    );
    let out = build(dir.path());
    let err = stderr(&out);
    // An error, but the build is whole apart from the drawings.
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("error[E0507]: Graphviz could not draw view `system`: Error: layout exploded"),
        "{err}"
    );
    assert!(err.contains("the `.dot` file is still written"), "{err}");
    assert!(
        err.contains("error: a view has no drawing (see above); every other artifact is written"),
        "{err}"
    );
    let files = written(dir.path());
    for path in [
        "diagrams/system.dot",
        "diagrams/updatability.dot",
        "model.json",
        "findings.sarif",
        "report.html",
        "risk-register.csv",
        "risk-register.md",
        ".ward-output",
    ] {
        assert!(files.iter().any(|f| f == path), "{path} in {files:?}");
    }
    assert!(!files.iter().any(|f| f.ends_with(".svg")), "{files:?}");
    let report = fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    assert!(
        report.contains("No drawing; see <code>diagrams/system.dot</code>"),
        "the report says the view has no drawing"
    );
}

/// 200 components in 4 zones, each with a flow to the next 8: fewer
/// elements than the node limit, many more flows than the edge limit.
fn dense_model() -> String {
    let mut text = String::from(SYSTEM);
    for z in 0..4 {
        writeln!(text, "zone z{z} {{ trust: controlled }}").unwrap();
    }
    let n = 200;
    for i in 0..n {
        writeln!(text, "component c{i} in z{} {{ kind: service }}", i % 4).unwrap();
    }
    for i in 0..n {
        for k in 1..=8 {
            let j = (i + k) % n;
            writeln!(text, "flow f{i}_{j}: c{i} -> c{j} {{ protocol: https }}").unwrap();
        }
    }
    text
}

#[test]
fn graphviz_never_gets_a_view_above_the_limits() {
    // The fake `dot` logs the graph it was given (its first line) and draws nothing much.
    let dir = setup(
        &dense_model(),
        "head -n 1 >> \"$DOT_LOG\"\necho '<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>'",
    );
    let out = build(dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let log = fs::read_to_string(dir.path().join("dot.log")).unwrap();
    let drawn: Vec<&str> = log.lines().collect();
    // The summary is drawn; every zone's view has more than 300 flows and is not.
    assert!(drawn.contains(&"digraph system {"), "{drawn:?}");
    for z in 0..4 {
        let name = format!("system-zone-z{z}");
        assert!(
            !drawn.contains(&format!("digraph system_zone_z{z} {{").as_str()),
            "{drawn:?}"
        );
        assert!(
            err.contains(&format!(
                "warning[W0521]: view `{name}` is too large to lay out"
            )),
            "{err}"
        );
        let files = written(dir.path());
        assert!(files.contains(&format!("diagrams/{name}.dot")), "{files:?}");
        assert!(
            !files.contains(&format!("diagrams/{name}.svg")),
            "{files:?}"
        );
    }
    assert!(written(dir.path()).contains(&"diagrams/system.svg".to_string()));
}

#[test]
fn four_thousand_nested_zones_build() {
    // Aborted with a stack overflow in the DOT printer (exit 134).
    let n = 4000;
    let mut text = String::from(SYSTEM);
    text.push_str("zone z0 {}\n");
    for i in 1..n {
        writeln!(text, "zone z{i} in z{} {{}}", i - 1).unwrap();
    }
    for i in 0..n {
        writeln!(text, "component c{i} in z{i} {{ kind: service }}").unwrap();
    }
    let dir = setup(&text, "exit 1");
    let out = ward()
        .current_dir(dir.path())
        .args(["build", "model", "-o", "out", "--no-svg"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("warning[W0520]: view `system-zone-z0` is simplified: 3984 zones nested more than 16 deep"), "{err}");
    let part = fs::read_to_string(dir.path().join("out/diagrams/system-zone-z0.dot")).unwrap();
    // Linear in the model: the 28 MB of DOT at 2,000 zones came from indentation.
    assert!(part.len() < 200 * n, "{} bytes", part.len());
}

#[test]
fn a_template_that_doubles_a_string_it_never_writes_stops_at_its_memory_limit() {
    // Neither the output budget nor the deadline sees this: the string
    // grows in a variable, 2^64 bytes if nothing stops it.
    let dir = setup(PUMP, "exit 1");
    let templates = dir.path().join("templates");
    fs::create_dir_all(&templates).unwrap();
    fs::write(
        templates.join("coverage.md"),
        "{% set_global s = \"xxxxxxxx\" %}{% for i in range(end=64) %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}",
    )
    .unwrap();
    let run = support::run_guarded(
        dir.path(),
        &[
            "build",
            "model",
            "-o",
            "out",
            "--no-svg",
            "--templates",
            "templates",
        ],
        std::time::Duration::from_secs(300),
    );
    assert_eq!(run.status.code(), Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("error[E0522]: template `coverage.md` stopped: it held more than the limit of 2048 MiB of memory"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("out").exists(), "nothing is written");
    // The limit is 2 GiB for the render; the process stays near it.
    assert!(run.peak_rss_kb < 3 << 20, "peak {} KB", run.peak_rss_kb);
}
