//! The drawings a reviewer reads (issue #14 item 5): with Graphviz, no two
//! text labels overlap, no text is below 10 px at 100%, the SVG keeps its
//! natural size and the legend is small; without Graphviz, the built-in
//! layout draws every view.
//!
//! Text boxes are estimated from the SVG alone, conservatively: a line is
//! `0.55 × font size` wide per character (Helvetica and DejaVu Sans average
//! about 0.5 em; capitals and `m`/`w` are wider, spaces and `i`/`l`
//! narrower) and spans from 0.75 em above its baseline to 0.2 em below it.

#![cfg(unix)]

#[allow(unused_imports)]
mod support;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use support::{files_below, repo_root, require_tool, stderr, ward};

const CHAR_WIDTH: f64 = 0.55;
const MIN_FONT: f64 = 10.0;
/// The legend's share of the drawing's area, at most.
const MAX_LEGEND_SHARE: f64 = 0.15;

#[derive(Debug)]
struct TextBox {
    text: String,
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
}

fn number(node: roxmltree::Node, name: &str) -> f64 {
    node.attribute(name)
        .and_then(|v| v.trim_end_matches("pt").trim_end_matches("px").parse().ok())
        .unwrap_or(0.0)
}

/// The text lines of an SVG, each with its estimated box.
fn text_boxes(doc: &roxmltree::Document) -> Vec<TextBox> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| {
            let text: String = n
                .descendants()
                .filter(|d| d.is_text())
                .filter_map(|d| d.text())
                .collect();
            let text = text.trim().to_string();
            if text.is_empty() {
                return None;
            }
            let font = number(n, "font-size");
            let (x, y) = (number(n, "x"), number(n, "y"));
            let width = text.chars().count() as f64 * font * CHAR_WIDTH;
            let x0 = match n.attribute("text-anchor") {
                Some("middle") => x - width / 2.0,
                Some("end") => x - width,
                _ => x,
            };
            Some(TextBox {
                text,
                x0,
                x1: x0 + width,
                y0: y - 0.75 * font,
                y1: y + 0.2 * font,
            })
        })
        .collect()
}

/// Pairs of text lines whose boxes overlap.
fn overlaps(boxes: &[TextBox]) -> Vec<String> {
    let mut found = Vec::new();
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            if a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1 {
                found.push(format!("{:?} / {:?}", a.text, b.text));
            }
        }
    }
    found
}

/// Every font size in the SVG, on `<text>` elements and their ancestors.
fn smallest_font(doc: &roxmltree::Document) -> f64 {
    doc.descendants()
        .filter_map(|n| n.attribute("font-size"))
        .filter_map(|v| v.trim_end_matches("px").parse::<f64>().ok())
        .fold(f64::INFINITY, f64::min)
}

/// Width and height of the drawing, as its `<svg>` states them.
fn natural_size(doc: &roxmltree::Document) -> (f64, f64) {
    let svg = doc.root_element();
    let width = svg.attribute("width").expect("the SVG states its width");
    assert!(
        width.ends_with("pt"),
        "a natural size, not a scale: {width}"
    );
    (number(svg, "width"), number(svg, "height"))
}

/// The points of every polygon in Graphviz's legend node.
fn legend_area(doc: &roxmltree::Document) -> Option<f64> {
    let node = doc.descendants().find(|n| {
        n.has_tag_name("g")
            && n.attribute("class") == Some("node")
            && n.children()
                .any(|c| c.has_tag_name("title") && c.text() == Some("legend"))
    })?;
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for polygon in node.descendants().filter(|n| n.has_tag_name("polygon")) {
        for point in polygon.attribute("points").unwrap_or("").split_whitespace() {
            let (x, y) = point.split_once(',').unwrap();
            let (x, y): (f64, f64) = (x.parse().unwrap(), y.parse().unwrap());
            (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
        }
    }
    Some((x1 - x0) * (y1 - y0))
}

/// The lines of every element label in a `.dot` file (nodes `eN`).
fn element_label_lines(dot: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for line in dot.lines().map(str::trim) {
        let is_element = line.starts_with('e')
            && line[1..].starts_with(|c: char| c.is_ascii_digit())
            && !line.contains("->");
        let Some(start) = line.find("label=\"").filter(|_| is_element) else {
            continue;
        };
        let mut label = String::new();
        let mut chars = line[start + 7..].chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next() {
                    Some('n') => label.push('\n'),
                    Some(other) => label.push(other),
                    None => break,
                },
                c => label.push(c),
            }
        }
        lines.extend(label.lines().map(|l| l.trim().to_string()));
    }
    lines
}

fn build(model: &Path, out: &Path, path: Option<&str>) {
    let mut cmd = ward();
    if let Some(path) = path {
        cmd.env("PATH", path);
    }
    let result = cmd
        .arg("build")
        .arg(model)
        .arg("-o")
        .arg(out)
        .output()
        .expect("ward runs");
    assert!(
        result.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&result)
    );
}

/// Checks every SVG in `out/diagrams`; returns how many.
fn check_drawings(out: &Path, legend_measured: bool) -> usize {
    let svgs: Vec<PathBuf> = files_below(&out.join("diagrams"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .collect();
    for file in &svgs {
        let text = fs::read_to_string(file).unwrap();
        let doc = roxmltree::Document::parse_with_options(
            &text,
            roxmltree::ParsingOptions {
                allow_dtd: true,
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("{} is not XML: {e}", file.display()));
        let name = file.display();
        let boxes = text_boxes(&doc);
        let overlapping = overlaps(&boxes);
        assert!(
            overlapping.is_empty(),
            "{name}: {} overlapping labels, e.g. {:?}",
            overlapping.len(),
            &overlapping[..overlapping.len().min(5)]
        );
        let smallest = smallest_font(&doc);
        assert!(smallest >= MIN_FONT, "{name}: text at {smallest} px");
        let (width, height) = natural_size(&doc);
        if legend_measured {
            let legend = legend_area(&doc).unwrap_or_else(|| panic!("{name} has no legend node"));
            let share = legend / (width * height);
            assert!(
                share <= MAX_LEGEND_SHARE,
                "{name}: the legend is {:.0}% of the drawing",
                share * 100.0
            );
        }
        // Every line of every element label is drawn.
        let dot = fs::read_to_string(file.with_extension("dot")).unwrap();
        let drawn: Vec<&str> = boxes.iter().map(|b| b.text.as_str()).collect();
        for line in element_label_lines(&dot) {
            assert!(
                drawn.contains(&line.as_str()),
                "{name} lacks the label line {line:?}"
            );
        }
    }
    svgs.len()
}

fn graphviz_drawings_are_readable(model: &Path) {
    require_tool("dot", "apt-get install graphviz");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build(model, &out, None);
    assert!(check_drawings(&out, true) >= 3);
}

#[test]
fn graphviz_draws_the_pump_readably() {
    graphviz_drawings_are_readable(&repo_root().join("examples/insulin-pump"));
}

#[test]
fn graphviz_draws_the_glucose_monitor_readably() {
    graphviz_drawings_are_readable(&repo_root().join("examples/glucose-monitor"));
}

#[test]
fn graphviz_draws_a_generated_100_component_model_readably() {
    let dir = tempfile::tempdir().unwrap();
    ward_bench::write_model(dir.path(), &ward_bench::generate(100, 7)).unwrap();
    graphviz_drawings_are_readable(dir.path());
}

/// A `PATH` whose `dot` fails to start: Graphviz is "not installed".
fn path_without_graphviz(dir: &Path) -> String {
    let bin = dir.join("bin");
    fs::create_dir_all(&bin).unwrap();
    let dot = bin.join("dot");
    fs::write(&dot, "#!/bin/sh\nexit 127\n").unwrap();
    fs::set_permissions(&dot, fs::Permissions::from_mode(0o755)).unwrap();
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

#[test]
fn without_graphviz_the_built_in_layout_draws_every_view() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let path = path_without_graphviz(dir.path());
    build(
        &repo_root().join("examples/insulin-pump"),
        &out,
        Some(&path),
    );
    let dots = files_below(&out.join("diagrams"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "dot"))
        .count();
    // Parses as XML, holds every element label line, readable sizes.
    let svgs = check_drawings(&out, false);
    assert!(svgs >= 5 && svgs == dots, "{svgs} SVGs for {dots} views");
    let system = fs::read_to_string(out.join("diagrams/system.svg")).unwrap();
    assert!(
        system.contains("<desc>Drawn by Ward&#39;s built-in layout"),
        "the SVG says what drew it"
    );
    let report = fs::read_to_string(out.join("report.html")).unwrap();
    // The drawings sit in the report's data island (JSON, `<` escaped),
    // drawn when their view is opened.
    assert_eq!(
        report.matches("\\u003csvg").count(),
        svgs,
        "every view embedded"
    );
    assert!(
        report.contains("Drawn by Ward&#39;s built-in layout (Graphviz is not installed)"),
        "the caption says what drew each view"
    );
    // Same input, same bytes.
    let again = dir.path().join("again");
    build(
        &repo_root().join("examples/insulin-pump"),
        &again,
        Some(&path),
    );
    for file in files_below(&out.join("diagrams")) {
        let twin = again.join(file.strip_prefix(&out).unwrap());
        assert_eq!(
            fs::read(&file).unwrap(),
            fs::read(&twin).unwrap(),
            "{}",
            file.display()
        );
    }
}

#[test]
fn without_graphviz_no_svg_still_means_no_svg() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let path = path_without_graphviz(dir.path());
    let result = ward()
        .env("PATH", &path)
        .arg("build")
        .arg(repo_root().join("examples/insulin-pump"))
        .args(["--no-svg", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        result.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&result)
    );
    let svgs = files_below(&out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .count();
    assert_eq!(svgs, 0);
    let report = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!report.contains("<svg"));
}

/// Views at the layout limits, and a cycle-rich dense graph: drawn by the
/// built-in layout, and in bounded time (the timeout only guards against a hang).
#[test]
fn the_built_in_layout_is_bounded_on_a_dense_model() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model");
    fs::create_dir_all(&model).unwrap();
    let mut text =
        String::from("system s \"S\" { version: \"1\" }\nzone z \"Z\" { trust: controlled }\n");
    // 150 services, 300 flows in both directions around and across: cycles everywhere.
    for i in 0..150 {
        text.push_str(&format!(
            "component c{i} \"C {i}\" in z {{ kind: service }}\n"
        ));
    }
    for i in 0..150 {
        let (a, b) = (i, (i + 1) % 150);
        let c = (i * 37 + 11) % 150;
        text.push_str(&format!("data d{i} \"D {i}\" {{ kind: log }}\n"));
        text.push_str(&format!(
            "flow f{i}: c{a} -> c{b} \"F {i}\" {{ protocol: https, carries: [d{i}] }}\n"
        ));
        text.push_str(&format!(
            "flow g{i}: c{c} -> c{a} \"G {i}\" {{ protocol: https, carries: [d{i}] }}\n"
        ));
    }
    fs::write(model.join("model.ward"), text).unwrap();
    let path = path_without_graphviz(dir.path());
    let out = dir.path().join("out");
    let guarded = std::thread::spawn({
        let (model, out) = (model.clone(), out.clone());
        move || build(&model, &out, Some(&path))
    });
    let start = std::time::Instant::now();
    while !guarded.is_finished() {
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "the layout hangs"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    guarded.join().unwrap();
    let system = fs::read_to_string(out.join("diagrams/system.svg")).unwrap();
    let doc = roxmltree::Document::parse(&system).unwrap();
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    for i in 0..150 {
        assert!(texts.contains(&format!("C {i}").as_str()), "C {i} is drawn");
    }
    // Flows between the same two elements share a line.
    let lines = system.matches("<polyline").count();
    assert!((250..=300).contains(&lines), "{lines} lines for 300 flows");
}

/// Parallel flows share one path: the pump example's three `app -> pump`
/// flows are one edge whose label (a node of its own) lists all three.
#[test]
fn parallel_flows_are_one_edge_with_every_label() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let result = ward()
        .arg("build")
        .arg(repo_root().join("examples/insulin-pump"))
        .args(["--no-svg", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        result.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&result)
    );
    let dot = fs::read_to_string(out.join("diagrams/system.dot")).unwrap();
    let labels: Vec<&str> = dot
        .lines()
        .filter(|l| l.contains("f_bolus: ") || l.contains("f_fw_install: "))
        .collect();
    assert_eq!(labels.len(), 1, "{labels:#?}");
    let label = labels[0].trim_start();
    assert!(label.starts_with('l'), "a label node: {label}");
    assert!(label.contains("f_settings_push: "), "{label}");
    let id = &label[..label.find('[').unwrap()];
    assert_eq!(dot.matches(&format!("-> {id} ")).count(), 1, "one edge in");
    assert_eq!(
        dot.matches(&format!("  {id} -> ")).count(),
        1,
        "one edge out"
    );
}
