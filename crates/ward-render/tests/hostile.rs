//! Models from repositories nobody reviewed (issue #12): deep zone nesting,
//! dense graphs, invisible characters and Markdown in model text. Each test
//! renders in memory and checks what a user of the artifacts relies on.

use std::collections::BTreeMap;

use ward_diagnostics::Diagnostic;
use ward_render::escape::is_hidden;
use ward_render::testing::render_text;
use ward_render::{Artifact, RenderOptions, Rendered, MAX_EDGES, MAX_NODES, MAX_ZONE_DEPTH};

const PUMP: &str = include_str!("fixtures/pump.ward");
const SYSTEM: &str = "system s \"S\" { version: \"1\" }\n";

fn no_svg() -> RenderOptions {
    RenderOptions {
        no_svg: true,
        ..RenderOptions::default()
    }
}

fn render_model(text: &str) -> Rendered {
    render_text(text, &no_svg()).unwrap_or_else(|e| panic!("render failed: {e:#?}"))
}

fn by_path(artifacts: &[Artifact]) -> BTreeMap<&str, &str> {
    artifacts
        .iter()
        .map(|a| (a.path.as_str(), a.text()))
        .collect()
}

fn codes(problems: &[Diagnostic]) -> Vec<(&str, &str)> {
    problems
        .iter()
        .map(|d| (d.code.as_str(), d.message.as_str()))
        .collect()
}

/// `n` zones, each inside the one before, a component in each and a flow
/// from each component to the next.
fn nested_zones(n: usize) -> String {
    let mut text = String::from(SYSTEM);
    text.push_str("zone z0 { trust: controlled }\n");
    for i in 1..n {
        text.push_str(&format!(
            "zone z{i} in z{} {{ trust: controlled }}\n",
            i - 1
        ));
    }
    for i in 0..n {
        text.push_str(&format!("component c{i} in z{i} {{ kind: service }}\n"));
    }
    for i in 1..n {
        text.push_str(&format!(
            "flow f{i}: c{} -> c{i} {{ protocol: https }}\n",
            i - 1
        ));
    }
    text
}

#[test]
fn thousands_of_nested_zones_render_flattened_below_the_depth_limit() {
    // 4,000 levels overflowed the stack of the recursive DOT printer (and
    // test threads have a smaller stack than `ward`'s main thread).
    let n = 4000;
    let rendered = render_model(&nested_zones(n));
    let files = by_path(&rendered.artifacts);
    // Above MAX_NODES elements: a summary, and the one top-level zone's view.
    let part = files["diagrams/system-zone-z0.dot"];
    let clusters = part
        .lines()
        .filter(|l| l.trim_start().starts_with("subgraph cluster_z"))
        .count();
    assert_eq!(
        clusters, MAX_ZONE_DEPTH,
        "one box per level down to the limit"
    );
    let deepest = part
        .lines()
        .map(|l| l.len() - l.trim_start().len())
        .max()
        .unwrap();
    assert!(deepest <= 2 * (MAX_ZONE_DEPTH + 1), "indentation {deepest}");
    // Every element is drawn exactly once; the text grows linearly.
    for i in [0, 15, 16, 2000, n - 1] {
        let node = format!("e{i}[");
        assert_eq!(
            part.lines()
                .filter(|l| l.trim_start().starts_with(&node))
                .count(),
            1,
            "{node}"
        );
    }
    // (A flow is two edges and its label's node: about 340 bytes per element.)
    assert!(part.len() < 400 * n, "{} bytes", part.len());
    // Graphviz's own parser reads it back.
    graphviz_rust::parse(part).unwrap_or_else(|e| panic!("{e}"));
    // The simplification is said in the view and as a warning; the view is
    // too large to lay out, which is said too.
    assert!(part.contains("Simplified: 3984 zones nested more than 16 deep"));
    let problems = codes(&rendered.problems);
    assert!(
        problems.contains(&(
            "W0520",
            "view `system-zone-z0` is simplified: 3984 zones nested more than 16 deep are drawn inside their zone at depth 16"
        )),
        "{problems:#?}"
    );
    assert!(
        problems
            .iter()
            .any(|(c, m)| *c == "W0521" && m.starts_with("view `system-zone-z0` is too large")),
        "{problems:#?}"
    );
    assert!(rendered.problems.iter().all(|d| !d.is_error()));
}

#[test]
fn nesting_within_the_limit_is_drawn_as_declared() {
    let rendered = render_model(&nested_zones(MAX_ZONE_DEPTH));
    let system = by_path(&rendered.artifacts)["diagrams/system.dot"];
    let clusters = system
        .lines()
        .filter(|l| l.trim_start().starts_with("subgraph cluster_z"))
        .count();
    assert_eq!(clusters, MAX_ZONE_DEPTH);
    assert!(!system.contains("Simplified"));
    assert!(rendered.problems.is_empty(), "{:#?}", rendered.problems);
    // The innermost element sits in the innermost box.
    let innermost = format!(
        "{}e{}[",
        "  ".repeat(MAX_ZONE_DEPTH + 1),
        MAX_ZONE_DEPTH - 1
    );
    assert!(system.contains(&innermost), "{system}");
}

/// `nodes` components, in `zones` zones (none if 0), each with a flow to
/// the next `fan` components.
fn dense(nodes: usize, zones: usize, fan: usize) -> String {
    let mut text = String::from(SYSTEM);
    for z in 0..zones {
        text.push_str(&format!("zone z{z} {{ trust: controlled }}\n"));
    }
    for i in 0..nodes {
        let zone = if zones == 0 {
            String::new()
        } else {
            format!(" in z{}", i % zones)
        };
        text.push_str(&format!("component c{i}{zone} {{ kind: service }}\n"));
    }
    for i in 0..nodes {
        for k in 1..=fan {
            let j = (i + k) % nodes;
            text.push_str(&format!(
                "flow f{i}_{j}: c{i} -> c{j} {{ protocol: https }}\n"
            ));
        }
    }
    text
}

#[test]
fn a_dense_graph_is_summarised_by_its_flows_and_never_laid_out_whole() {
    // 200 elements, 1,600 flows: fewer elements than MAX_NODES, but `dot`
    // ran for minutes on such a graph.
    let (nodes, fan) = (200, 8);
    assert!(nodes < MAX_NODES && nodes * fan > MAX_EDGES);
    let rendered = render_model(&dense(nodes, 4, fan));
    let files = by_path(&rendered.artifacts);
    let summary = files["diagrams/system.dot"];
    assert!(
        summary.contains("summary: 200 elements and 1600 flows in 4 zones"),
        "{summary}"
    );
    for z in 0..4 {
        assert!(files.contains_key(format!("diagrams/system-zone-z{z}.dot").as_str()));
    }
    // Every view is either small enough for Graphviz or reported as not laid out.
    let too_large: Vec<&str> = rendered
        .problems
        .iter()
        .filter(|d| d.code == "W0521")
        .map(|d| d.message.as_str())
        .collect();
    for (path, dot) in &files {
        let Some(name) = path
            .strip_prefix("diagrams/")
            .and_then(|p| p.strip_suffix(".dot"))
        else {
            continue;
        };
        let reported = too_large
            .iter()
            .any(|m| m.starts_with(&format!("view `{name}` ")));
        // Flows are the edges between element nodes (`e3 -> e7`).
        let flows = dot
            .lines()
            .filter(|l| l.trim_start().starts_with(['e', 'z']) && l.contains(" -> "))
            .count();
        assert_eq!(flows > MAX_EDGES, reported, "{name}: {flows} flows");
    }
}

#[test]
fn one_dense_zone_is_written_as_dot_and_reported_not_laid_out() {
    let rendered = render_model(&dense(200, 1, 8));
    let files = by_path(&rendered.artifacts);
    let part = files["diagrams/system-zone-z0.dot"];
    let flows = part
        .lines()
        .filter(|l| l.trim_start().starts_with('e') && l.contains(" -> "))
        .count();
    assert_eq!(flows, 1600);
    let problems = codes(&rendered.problems);
    assert!(
        problems.contains(&(
            "W0521",
            "view `system-zone-z0` is too large to lay out (200 nodes, 1600 edges; Graphviz gets at most 300 nodes and 300 edges): only its `.dot` file is written"
        )),
        "{problems:#?}"
    );
}

/// Invisible characters that make text read other than it displays.
const TROJAN: &str =
    "admin\u{202E}gnp.exe\u{2066}x\u{2069}\u{200B}\u{200D}\u{2060}\u{FEFF}\u{1b}[31m\u{9b}";

#[test]
fn invisible_and_control_characters_never_reach_an_artifact_raw() {
    let mut text = PUMP.to_string();
    for title in [
        "\"Insulin pump\"",
        "\"Companion app\"",
        "\"Patient home\"",
        "\"Insulin over-delivery\"",
        "\"Mutual authentication of app and pump\"",
        "\"Replay of a captured bolus command\"",
    ] {
        assert!(text.contains(title), "{title}");
        text = text.replace(title, &format!("\"{TROJAN}\""));
    }
    let rendered = render_model(&text);
    let files = by_path(&rendered.artifacts);
    for (path, content) in &files {
        let raw: Vec<char> = content.chars().filter(|&c| is_hidden(c)).collect();
        assert!(raw.is_empty(), "{path}: {raw:?}");
    }
    // Shown, not dropped, in each text format.
    for ext in [".csv", ".md", ".html", ".dot"] {
        assert!(
            files
                .iter()
                .any(|(path, text)| path.ends_with(ext) && text.contains("U+202E")),
            "{ext}"
        );
    }
    assert!(files["risk-register.csv"].contains(
        "admin<U+202E>gnp.exe<U+2066>x<U+2069><U+200B><U+200D><U+2060><U+FEFF><U+001B>[31m<U+009B>"
    ));
    // model.json keeps the exact string, written with JSON escapes.
    let json: serde_json::Value = serde_json::from_str(files["model.json"]).unwrap();
    let titles: Vec<&str> = json["elements"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["title"].as_str())
        .collect();
    assert!(titles.contains(&TROJAN), "{titles:?}");
    assert!(files["model.json"].contains("admin\\u202egnp.exe"));
}

#[test]
fn a_rule_description_cannot_put_links_images_or_html_in_sarif_markdown() {
    let description = "Click [here](https://evil.example) ![x](https://evil.example/t.png) <img src=x onerror=alert(1)> <https://evil.example>";
    let text = format!(
        "{PUMP}\nrule evil \"Evil\" {{\n  description: \"{description}\"\n  stride: spoofing\n  applies_to: flow\n  when: not authenticated\n  exploitability: high\n}}\n"
    );
    let rendered = render_model(&text);
    let sarif: serde_json::Value =
        serde_json::from_str(by_path(&rendered.artifacts)["findings.sarif"]).unwrap();
    let rule = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "evil")
        .expect("the rule is in the log");
    let markdown = rule["help"]["markdown"].as_str().unwrap();
    assert!(
        markdown.starts_with("Click \\[here\\](https://evil.example) !\\[x\\](https://evil.example/t.png) \\<img src=x onerror=alert(1)\\> \\<https://evil.example\\>"),
        "{markdown}"
    );
    // The plain text keeps the description as written.
    assert!(rule["help"]["text"]
        .as_str()
        .unwrap()
        .starts_with(description));
}
