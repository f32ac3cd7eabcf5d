//! The v2 component kinds (issue #16) in the diagrams: each is drawn with a
//! shape of its own that Graphviz accepts.

use std::io::Write;
use std::process::{Command, Stdio};
use ward_render::RenderOptions;

const KINDS: &[&str] = &[
    "proxy",
    "identity_provider",
    "ci_pipeline",
    "code_repository",
    "browser",
    "ml_model",
    "agent",
    "runtime",
];

fn system_dot() -> String {
    let mut text = String::from(
        "system s \"S\" { version: \"1.0.0\" }\nzone cloud \"Cloud\" { trust: controlled }\n",
    );
    for kind in KINDS {
        text.push_str(&format!("component c_{kind} in cloud {{ kind: {kind} }}\n"));
    }
    let options = RenderOptions {
        no_svg: true,
        ..RenderOptions::default()
    };
    let rendered = ward_render::testing::render_text(&text, &options)
        .unwrap_or_else(|e| panic!("render failed: {e:#?}"));
    rendered
        .artifacts
        .iter()
        .find(|a| a.path == "diagrams/system.dot")
        .expect("the system diagram")
        .text()
        .to_owned()
}

/// The `shape=` of the node of `c_KIND`.
fn shape_of(dot: &str, kind: &str) -> String {
    let line = dot
        .lines()
        .find(|l| l.contains(&format!("label=\"c_{kind}\\n")) && l.contains("shape="))
        .unwrap_or_else(|| panic!("no node c_{kind} in\n{dot}"));
    let from = line.find("shape=").unwrap() + "shape=".len();
    line[from..]
        .split([' ', ']'])
        .next()
        .unwrap()
        .trim_matches('"')
        .to_owned()
}

#[test]
fn each_new_kind_has_its_own_shape() {
    let dot = system_dot();
    let mut shapes: Vec<String> = KINDS.iter().map(|k| shape_of(&dot, k)).collect();
    shapes.sort();
    shapes.dedup();
    assert_eq!(shapes.len(), KINDS.len(), "{shapes:?}");
}

#[test]
fn graphviz_draws_every_new_kind_without_a_warning() {
    let dot = system_dot();
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("Graphviz `dot` on PATH (scripts/test installs it)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("Warning"), "{stderr}");
}
