//! report.html of a generated N = 1,000 model (issue #15, target 3): the
//! page stays usable in headless Chromium when its data is deflated. The
//! register is searched, filtered, sorted and paged through to its last
//! threat, and the findings are read on demand, as a reviewer would.

mod support;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;
use support::{headless_chromium, run_ward, stderr};

/// Rows the report draws per page (report.js, `PAGE`).
const PAGE: usize = 100;

struct Built {
    _dir: tempfile::TempDir,
    report: PathBuf,
    threats: Vec<Value>,
}

/// The generated N = 1,000 model, built once for every test of this file.
fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let model = dir.path().join("model");
        std::fs::create_dir(&model).unwrap();
        ward_bench::write_model(&model, &ward_bench::generate(1000, 7)).unwrap();
        let out = dir.path().join("out");
        let result = run_ward(
            dir.path(),
            &["build", "model", "-o", out.to_str().unwrap(), "--no-svg"],
        );
        assert!(
            matches!(result.status.code(), Some(0 | 1)),
            "ward build failed: {}",
            stderr(&result)
        );
        let model: Value =
            serde_json::from_slice(&std::fs::read(out.join("model.json")).unwrap()).unwrap();
        Built {
            threats: support::model_threats(&model),
            report: out.join("report.html"),
            _dir: dir,
        }
    })
}

/// The DOM after the script ran, with `fragment` in the URL.
fn dom(report: &Path, fragment: &str) -> String {
    headless_chromium(
        &format!("file://{}{fragment}", report.display()),
        (1366, 768),
        &["--virtual-time-budget=10000", "--dump-dom"],
    )
}

/// The register's `<table>` element in a dumped DOM.
fn register(dom: &str) -> &str {
    let start = dom
        .find("id=\"risk-register\"")
        .expect("the register is drawn");
    let end = dom[start..].find("</table>").unwrap() + start;
    &dom[start..end]
}

/// The threat ids of the register's drawn rows, in page order.
fn register_ids(dom: &str) -> Vec<String> {
    register(dom)
        .split("<tr id=\"threat-")
        .skip(1)
        .map(|row| row[..row.find('"').unwrap()].to_string())
        .collect()
}

/// An attribute of the register's `<table>` (`data-matching`, `data-page`).
fn register_attr(dom: &str, name: &str) -> usize {
    let table = register(dom);
    let at = table.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
    table[at..at + table[at..].find('"').unwrap()]
        .parse()
        .unwrap()
}

fn id(t: &Value) -> &str {
    t["id"].as_str().unwrap()
}

fn sorted_ids<'a>(threats: impl Iterator<Item = &'a Value>) -> Vec<String> {
    let mut ids: Vec<String> = threats.map(|t| id(t).to_string()).collect();
    ids.sort();
    ids
}

#[test]
fn the_large_report_is_one_compact_offline_file() {
    let b = built();
    let html = std::fs::read_to_string(&b.report).unwrap();
    assert!(b.threats.len() > 9000, "{} threats", b.threats.len());
    // Was 10.2 MB with the islands as plain JSON.
    assert!(
        html.len() < 3_000_000,
        "report.html is {} bytes",
        html.len()
    );
    assert!(
        html.contains("<script type=\"application/json\" id=\"report-data\">\""),
        "the register data is deflated"
    );
    // Nothing is fetched: no external script, style or frame, and the CSP
    // allows no connection.
    assert!(html.contains("content=\"default-src 'none';"));
    for outside in ["<script src", "<link ", "<iframe", "<img src=\"http"] {
        assert!(!html.contains(outside), "the report loads `{outside}`");
    }
}

#[test]
fn every_threat_is_reachable_by_paging_sorted_by_id() {
    let b = built();
    let ids = sorted_ids(b.threats.iter());
    let pages = ids.len().div_ceil(PAGE);
    let first = dom(&b.report, "#register?sort=id");
    assert_eq!(register_attr(&first, "data-matching"), ids.len());
    assert_eq!(register_ids(&first), ids[..PAGE], "page 1, by id");
    let last = dom(&b.report, &format!("#register?sort=id&page={pages}"));
    assert_eq!(register_attr(&last, "data-page"), pages);
    assert_eq!(
        register_ids(&last),
        ids[(pages - 1) * PAGE..],
        "the last page ends on the last threat"
    );
    assert!(last.contains(&format!("page {pages} of {pages}")));
    let descending = dom(&b.report, "#register?sort=id&dir=desc");
    assert_eq!(
        register_ids(&descending)[0],
        *ids.last().unwrap(),
        "sorted the other way, the last threat comes first"
    );
}

#[test]
fn a_deep_link_opens_the_page_of_the_last_threat_in_the_register() {
    let b = built();
    // Any threat beyond page 1 will do: the last one in model order.
    let target = id(b.threats.last().unwrap());
    assert!(
        !register_ids(&dom(&b.report, ""))
            .iter()
            .any(|i| i == target),
        "{target} is not on page 1"
    );
    let dom = dom(&b.report, &format!("#threat-{target}"));
    assert!(
        register_ids(&dom).iter().any(|i| i == target),
        "{target} is drawn"
    );
    assert!(dom.contains(&format!("id=\"threat-{target}\"")));
}

#[test]
fn the_register_is_filtered_and_searched() {
    let b = built();
    let has = |t: &Value, key: &str, value: &str| {
        t[key]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v.as_str() == Some(value))
    };
    let tampering_review = sorted_ids(
        b.threats
            .iter()
            .filter(|t| has(t, "stride", "tampering") && t["judged"] == "review"),
    );
    assert!(tampering_review.len() > PAGE, "{}", tampering_review.len());
    let dom_filtered = dom(&b.report, "#register?stride=tampering&risk=review&sort=id");
    assert_eq!(
        register_attr(&dom_filtered, "data-matching"),
        tampering_review.len()
    );
    assert_eq!(register_ids(&dom_filtered), tampering_review[..PAGE]);

    // A search for one component's name: the threats whose title names it.
    let component = b.threats[b.threats.len() / 2]["targets"][0]
        .as_str()
        .unwrap()
        .to_string();
    let titled = sorted_ids(b.threats.iter().filter(|t| {
        t["title"]
            .as_str()
            .unwrap()
            .ends_with(&format!(" {component}"))
    }));
    assert!(!titled.is_empty());
    let searched = dom(&b.report, &format!("#register?q={component}&sort=id"));
    let matching = register_attr(&searched, "data-matching");
    assert!(matching >= titled.len() && matching < b.threats.len());
    if matching <= PAGE {
        let shown = register_ids(&searched);
        for want in &titled {
            assert!(shown.contains(want), "search `{component}` shows {want}");
        }
    }
    // A search for one threat's id finds it, wherever it is in the register.
    let wanted = id(&b.threats[b.threats.len() * 2 / 3]);
    let searched = dom(&b.report, &format!("#register?q={wanted}"));
    assert!(register_attr(&searched, "data-matching") <= PAGE);
    assert!(register_ids(&searched).iter().any(|i| i == wanted));
}

#[test]
fn the_findings_are_read_on_demand_and_drawn() {
    let b = built();
    let dom = dom(&b.report, "#findings");
    let start = dom.find("id=\"findings\"").unwrap();
    let section = &dom[start..];
    assert!(
        section.contains("<td class=\"col-code\"><code>"),
        "the findings table is drawn"
    );
}
