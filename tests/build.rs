//! End-to-end tests of `ward build` as CI and reviewers use it: every
//! artifact is written, Graphviz accepts the DOT, Chromium renders the report,
//! SARIF validates, output is deterministic and `--check` detects drift.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use support::{
    copy_tree, files_below, headless_chromium, repo_root, require_node_tool, require_tool,
    run_ward, stderr, stdout,
};

/// Builds `model` (relative to the repo root) into a fresh temp folder.
fn build(model: &str, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut args = vec!["build", model, "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let result = run_ward(&repo_root(), &args);
    assert!(
        matches!(result.status.code(), Some(0 | 1)),
        "ward build {model} failed: {}",
        stderr(&result)
    );
    (dir, out)
}

#[test]
fn build_writes_every_artifact_of_the_spec() {
    let (_dir, out) = build("examples/insulin-pump", &["--no-svg"]);
    for table in [
        "risk-register",
        "safety-transfer",
        "control-requirements",
        "traceability",
        "interfaces",
        "coverage",
    ] {
        for ext in ["md", "csv"] {
            let path = out.join(format!("{table}.{ext}"));
            assert!(path.is_file(), "{} missing", path.display());
        }
    }
    for file in [
        "model.json",
        "findings.sarif",
        "report.html",
        "diagrams/system.dot",
        "diagrams/multi-patient-harm.dot",
        "diagrams/updatability.dot",
    ] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
    let usecases = files_below(&out.join("diagrams"))
        .into_iter()
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("usecase-")
        })
        .count();
    assert!(usecases >= 2, "one view per use case");
}

#[test]
fn graphviz_accepts_every_dot_file() {
    let dot = require_tool("dot", "apt-get install graphviz");
    let (_dir, out) = build("examples/insulin-pump", &[]);
    let dots: Vec<PathBuf> = files_below(&out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "dot"))
        .collect();
    assert!(dots.len() >= 5);
    for file in &dots {
        let result = Command::new(&dot).arg("-Tsvg").arg(file).output().unwrap();
        assert!(
            result.status.success(),
            "dot rejected {}: {}",
            file.display(),
            String::from_utf8_lossy(&result.stderr)
        );
        assert!(
            file.with_extension("svg").is_file(),
            "{} has no SVG beside it",
            file.display()
        );
    }
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    // In the data island, `<` is written `\u003c`; the script draws a view when it is opened.
    assert!(
        report.contains("\\u003csvg"),
        "the report embeds the views' SVG"
    );
    let dom = chromium_dom(&out.join("report.html"));
    let first_view = &dom[dom.find("<details class=\"view\"").expect("a view")..];
    let first_view = &first_view[..first_view.find("</details>").unwrap()];
    assert!(
        first_view.contains("<svg") && first_view.contains("class=\"zoom-frame\""),
        "the open view is drawn inline, zoomable"
    );
}

#[test]
fn sarif_validates_with_the_sarif_multitool() {
    let multitool = require_node_tool("sarif-multitool");
    let (_dir, out) = build("examples/insulin-pump", &["--no-svg"]);
    let sarif = out.join("findings.sarif");
    let result = Command::new(&multitool)
        .arg("validate")
        .arg(&sarif)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(result.status.success(), "sarif-multitool failed: {text}");
    assert!(
        !text.contains(": error "),
        "SARIF has validation errors: {text}"
    );
    let log: serde_json::Value = serde_json::from_slice(&std::fs::read(&sarif).unwrap()).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty(), "the example has findings");
    let region = &results[0]["locations"][0]["physicalLocation"]["region"];
    assert!(region["startLine"].as_u64().unwrap() >= 1);
}

/// Loads the report in headless Chromium and returns the DOM after scripts ran.
fn chromium_dom(report: &Path) -> String {
    chromium(report, "", &["--dump-dom"])
}

/// Runs headless Chromium at 1,366 x 768 on `report` with a URL fragment
/// (`#threat-ID`, `#register?...`) and `mode` (`--dump-dom`, `--print-to-pdf=...`); returns stdout.
fn chromium(report: &Path, fragment: &str, mode: &[&str]) -> String {
    chromium_at(report, fragment, mode, (1366, 768))
}

/// [`chromium`] with the window's width and height.
fn chromium_at(report: &Path, fragment: &str, mode: &[&str], window: (u32, u32)) -> String {
    let mut extra = vec!["--virtual-time-budget=2000"];
    extra.extend_from_slice(mode);
    headless_chromium(
        &format!("file://{}{fragment}", report.display()),
        window,
        &extra,
    )
}

/// The register's rows in a dumped DOM, in page order: their threat ids.
fn register_ids(dom: &str) -> Vec<String> {
    let start = dom
        .find("id=\"risk-register\"")
        .expect("the register is drawn");
    let end = dom[start..].find("</table>").unwrap() + start;
    dom[start..end]
        .split("<tr id=\"threat-")
        .skip(1)
        .map(|row| row[..row.find('"').unwrap()].to_string())
        .collect()
}

/// The example's threats from model.json, each with the members it takes
/// from its rule (`stride`, `capec`, `cwe`, `suggest`) written in, as a
/// reader resolves them.
fn model_threats(out: &Path) -> Vec<serde_json::Value> {
    let model: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("model.json")).unwrap()).unwrap();
    support::model_threats(&model)
}

fn risk_rank(level: &serde_json::Value) -> usize {
    ["acceptable", "review", "unacceptable"]
        .iter()
        .position(|l| level.as_str() == Some(l))
        .unwrap()
}

#[test]
fn the_report_opens_with_the_verdict_and_shows_the_register_by_risk_at_1366px() {
    let (_dir, out) = build("examples/insulin-pump", &["--no-svg"]);
    let report = out.join("report.html");
    let dom = chromium_dom(&report);
    // The first screen, top of DOM order: verdict, counts, heat maps, before any section.
    let first_section = dom.find("<section").unwrap();
    for needle in [
        "id=\"verdict\"",
        "id=\"verdict-counts\"",
        "id=\"heatmaps\"",
        "id=\"top-risks\"",
    ] {
        let at = dom
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} missing"));
        assert!(at < first_section, "{needle} is on the first screen");
    }
    // The script measured the key columns' header cells against the window
    // (getBoundingClientRect) and recorded it on the table.
    assert!(
        dom.contains("data-key-columns-fit=\"yes\" data-viewport=\""),
        "the register's key columns fit at 1,366 px"
    );
    let viewport: u32 = {
        let at = dom.find("data-viewport=\"").unwrap() + "data-viewport=\"".len();
        dom[at..at + dom[at..].find('"').unwrap()].parse().unwrap()
    };
    assert!((1300..=1366).contains(&viewport), "{viewport}");
    // The default order: highest judged residual risk, then initial risk, then id.
    let threats = model_threats(&out);
    let mut expected: Vec<&serde_json::Value> = threats.iter().collect();
    expected.sort_by_key(|t| {
        (
            std::cmp::Reverse(risk_rank(&t["judged"])),
            std::cmp::Reverse(risk_rank(&t["initial"]["overall"])),
            t["id"].as_str().unwrap().to_string(),
        )
    });
    let expected: Vec<&str> = expected
        .iter()
        .take(100)
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert!(threats.len() > 100, "the example needs a second page");
    assert_eq!(register_ids(&dom), expected, "first page, by risk");
    // No command-line hints in the document.
    for hint in ["ward check", "ward build", "ward explain", "`ward "] {
        assert!(!dom.contains(hint), "the report says `{hint}`");
    }
}

#[test]
fn the_register_is_sorted_filtered_searched_and_deep_linked_from_the_url() {
    let (_dir, out) = build("examples/insulin-pump", &["--no-svg"]);
    let report = out.join("report.html");
    let threats = model_threats(&out);
    let ids_where = |keep: &dyn Fn(&serde_json::Value) -> bool| -> Vec<String> {
        let mut ids: Vec<String> = threats
            .iter()
            .filter(|t| keep(t))
            .map(|t| t["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    let has = |t: &serde_json::Value, key: &str, value: &str| {
        t[key]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v.as_str() == Some(value))
    };

    let dom = chromium(
        &report,
        "#register?stride=tampering&sort=id",
        &["--dump-dom"],
    );
    let tampering = ids_where(&|t| has(t, "stride", "tampering"));
    assert!(!tampering.is_empty() && tampering.len() < threats.len());
    assert_eq!(register_ids(&dom), tampering, "STRIDE filter, sorted by id");

    let dom = chromium(
        &report,
        "#register?component=pump&risk=review&sort=id",
        &["--dump-dom"],
    );
    let pump_review = ids_where(&|t| has(t, "targets", "pump") && t["judged"] == "review");
    assert!(!pump_review.is_empty());
    assert_eq!(
        register_ids(&dom),
        pump_review,
        "component and risk filters"
    );

    let dom = chromium(
        &report,
        "#register?q=BLE%20connection&sort=id",
        &["--dump-dom"],
    );
    let ble = ids_where(&|t| t["title"].as_str().unwrap().contains("BLE connection"));
    assert!(!ble.is_empty());
    assert_eq!(register_ids(&dom), ble, "text search");

    let dom = chromium(
        &report,
        "#register?status=accepted&sort=id",
        &["--dump-dom"],
    );
    let accepted = ids_where(&|t| t["controlled"] == false && t["acceptance"]["stale"] == false);
    assert!(!accepted.is_empty());
    assert_eq!(register_ids(&dom), accepted, "status filter");

    // A threat beyond the first page: its link opens its page and marks its row.
    let last = threats
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .min_by_key(|id| {
            let t = threats.iter().find(|t| t["id"] == *id).unwrap();
            (
                risk_rank(&t["judged"]),
                risk_rank(&t["initial"]["overall"]),
                std::cmp::Reverse(id.to_string()),
            )
        })
        .unwrap();
    let dom = chromium(&report, &format!("#threat-{last}"), &["--dump-dom"]);
    assert!(
        !chromium_dom(&report).contains(&format!("id=\"threat-{last}\"")),
        "not on page 1"
    );
    assert!(
        dom.contains(&format!("<tr id=\"threat-{last}\" data-status=\"")),
        "the deep link drew its row"
    );
    let row = &dom[dom.find(&format!("<tr id=\"threat-{last}\"")).unwrap()..];
    assert!(row[..row.find('>').unwrap()].contains("class=\"target\""));
    // Threat -> control -> verification links are drawn as anchors.
    assert!(dom.contains("href=\"#control-"), "threat to control");
    assert!(
        dom.contains("href=\"#verification-"),
        "control to verification"
    );
    // The findings are parsed and drawn when their section is shown.
    let model: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("model.json")).unwrap()).unwrap();
    let findings = model["diagnostics"].as_array().unwrap().len();
    assert!(findings > 0);
    assert!(
        !chromium_dom(&report).contains("<td class=\"col-code\">"),
        "not at load"
    );
    let dom = chromium(&report, "#findings", &["--dump-dom"]);
    assert_eq!(
        dom.matches("<td class=\"col-code\">").count(),
        findings.min(100)
    );
}

#[test]
fn printing_the_report_gives_every_threat_on_several_pages() {
    let pdftotext = require_tool("pdftotext", "apt-get install poppler-utils");
    let (dir, out) = build("examples/insulin-pump", &["--no-svg"]);
    let pdf = dir.path().join("report.pdf");
    chromium(
        &out.join("report.html"),
        "",
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
        ],
    );
    let text = Command::new(pdftotext).arg(&pdf).arg("-").output().unwrap();
    assert!(text.status.success());
    let text = String::from_utf8_lossy(&text.stdout);
    // Pages are separated by form feeds.
    let pages = text.matches('\u{c}').count();
    assert!(pages > 1, "{pages} page(s)");
    // Cells wrap long ids onto a second line: join the lines.
    let joined = text.replace('\n', "");
    for t in model_threats(&out) {
        let id = t["id"].as_str().unwrap();
        assert!(joined.contains(id), "`{id}` is not in the printed report");
    }
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && &png[12..16] == b"IHDR",
        "not a PNG"
    );
    let be = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn the_first_screen_is_drawn_at_desktop_and_print_sizes() {
    let (dir, out) = build("examples/insulin-pump", &["--no-svg"]);
    let blank = dir.path().join("blank.html");
    std::fs::write(&blank, "<!DOCTYPE html><title>blank</title>").unwrap();
    // Desktop (1,366 x 768) and an A4 landscape page at 96 dpi (1,123 x 794),
    // the size the print stylesheet lays out for.
    for (width, height) in [(1366, 768), (1123, 794)] {
        let shot = |page: &Path, name: &str| {
            let png = dir.path().join(format!("{name}-{width}.png"));
            chromium_at(
                page,
                "",
                &[&format!("--screenshot={}", png.display())],
                (width, height),
            );
            std::fs::read(&png).unwrap()
        };
        let report = shot(&out.join("report.html"), "report");
        let empty = shot(&blank, "blank");
        assert_eq!(png_size(&report), (width, height));
        // A drawn first screen (verdict, counts, heat maps) compresses far
        // worse than an empty page of the same size.
        assert!(
            report.len() > 8 * empty.len(),
            "the report's first screen at {width} px looks blank: {} bytes against {} for an empty page",
            report.len(),
            empty.len()
        );
    }
}

#[test]
fn report_renders_in_chromium_with_the_risk_rows() {
    let (_dir, out) = build("examples/insulin-pump", &["--no-svg"]);
    let dom = chromium_dom(&out.join("report.html"));
    let model: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("model.json")).unwrap()).unwrap();
    let threats = model["threats"]
        .as_array()
        .expect("model.json lists threats");
    assert!(threats.len() > 20);
    for threat in threats {
        let id = threat["id"].as_str().unwrap();
        assert!(
            dom.contains(id),
            "threat `{id}` is not in the rendered report"
        );
    }
}

#[test]
fn hostile_title_shows_as_text_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model");
    std::fs::create_dir_all(&model).unwrap();
    std::fs::write(
        model.join("m.ward"),
        r#"system s "<script>document.title='pwned'</script> & \"quoted\"" { version: "1.0" }
zone home "<b>Home</b>" { trust: untrusted }
component pump "=cmd|' /C calc'!A0" in home { kind: device }
actor patient "Patient" in home { kind: human }
flow f: patient -> pump "<img src=x onerror=alert(1)>" { protocol: ui }
"#,
    )
    .unwrap();
    let out = dir.path().join("out");
    let result = run_ward(
        dir.path(),
        &["build", "model", "-o", out.to_str().unwrap(), "--no-svg"],
    );
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    let dom = chromium_dom(&out.join("report.html"));
    assert!(
        dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"),
        "the title is shown as text"
    );
    assert!(!dom.contains("<title>pwned"), "the script did not run");
    assert!(!dom.contains("<img src=\"x\""), "no element was injected");
    let csv = std::fs::read_to_string(out.join("interfaces.csv")).unwrap();
    assert!(
        !csv.lines().any(|l| l
            .split(',')
            .any(|cell| cell.trim_start_matches('"').starts_with("=cmd"))),
        "formula injection neutralised: {csv}"
    );
}

#[test]
fn builds_are_byte_identical() {
    let (_a, out_a) = build("examples/insulin-pump", &["--no-svg"]);
    let (_b, out_b) = build("examples/insulin-pump", &["--no-svg"]);
    let files_a = files_below(&out_a);
    assert!(files_a.len() > 15);
    for file in files_a {
        let rel = file.strip_prefix(&out_a).unwrap();
        assert_eq!(
            std::fs::read(&file).unwrap(),
            std::fs::read(out_b.join(rel)).unwrap(),
            "{} differs",
            rel.display()
        );
    }
}

#[test]
fn build_check_detects_drift() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("pump");
    copy_tree(&repo_root().join("examples/insulin-pump"), &model);
    let build = run_ward(dir.path(), &["build", "pump", "--no-svg"]);
    assert_eq!(build.status.code(), Some(0), "{}", stderr(&build));
    assert!(
        model.join("out/report.html").is_file(),
        "default output is out/ in the model root"
    );

    let unchanged = run_ward(dir.path(), &["build", "pump", "--no-svg", "--check"]);
    assert_eq!(unchanged.status.code(), Some(0), "{}", stderr(&unchanged));

    let system = model.join("system.ward");
    let text = std::fs::read_to_string(&system).unwrap();
    let changed = text.replacen("version: \"", "version: \"9", 1);
    assert_ne!(text, changed);
    std::fs::write(&system, changed).unwrap();
    let drifted = run_ward(dir.path(), &["build", "pump", "--no-svg", "--check"]);
    assert_eq!(drifted.status.code(), Some(1));
    assert!(
        stdout(&drifted).contains("risk-register.md"),
        "{}",
        stdout(&drifted)
    );
}

#[test]
fn a_model_that_does_not_compile_writes_nothing_and_keeps_old_output() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("pump");
    copy_tree(&repo_root().join("examples/insulin-pump"), &model);
    assert_eq!(
        run_ward(dir.path(), &["build", "pump", "--no-svg"])
            .status
            .code(),
        Some(0)
    );
    let before = std::fs::read(model.join("out/risk-register.csv")).unwrap();
    std::fs::write(model.join("broken.ward"), "zone z { trust: \n").unwrap();
    let failed = run_ward(dir.path(), &["build", "pump", "--no-svg"]);
    assert_eq!(failed.status.code(), Some(2));
    assert_eq!(
        std::fs::read(model.join("out/risk-register.csv")).unwrap(),
        before
    );
}

#[test]
fn output_into_the_model_folder_itself_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("pump");
    copy_tree(&repo_root().join("examples/insulin-pump"), &model);
    let result = run_ward(dir.path(), &["build", "pump", "-o", "pump", "--no-svg"]);
    assert_eq!(result.status.code(), Some(2));
    assert!(model.join("system.ward").is_file(), "sources untouched");
}
