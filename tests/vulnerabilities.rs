//! Known vulnerabilities end to end (issue #17, Deliver 3, 5 and 7): the
//! example imports a real OSV feed and a CISA KEV slice; a KEV-listed
//! vulnerability on a component that reaches a hazard is an uncontrolled,
//! safety-related threat until a control and a passing verification
//! address it; the register, model.json and the report show it; malformed
//! feeds are diagnostics at file:line:col, never a panic or a half-written
//! output folder.

mod support;
use serde_json::Value;
use std::path::{Path, PathBuf};
use support::{copy_tree, json_diagnostics, repo_root, run_ward, stdout, write};

fn example() -> PathBuf {
    repo_root().join("examples/insulin-pump")
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(repo_root().join("tests/fixtures/vulns").join(name)).unwrap()
}

/// `ward check --message-format json` of `dir` with `args`: exit code and
/// diagnostics.
fn check(dir: &Path, args: &[&str]) -> (i32, Vec<Value>) {
    let mut all = vec!["check", "--message-format", "json"];
    all.extend(args);
    all.push(".");
    let out = run_ward(dir, &all);
    (
        out.status.code().unwrap_or(-1),
        json_diagnostics(&stdout(&out)),
    )
}

fn with_code<'a>(diagnostics: &'a [Value], code: &str) -> Vec<&'a Value> {
    diagnostics.iter().filter(|d| d["code"] == code).collect()
}

/// `ward build` of `dir` into `dir/out`: the exit code.
fn build(dir: &Path) -> i32 {
    let out = run_ward(dir, &["build", "--no-svg", "-q", "--revision", "test", "."]);
    out.status.code().unwrap_or(-1)
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    // The cells Ward writes here hold no quotes or commas but in quoted
    // cells; a small reader is enough for the assertions.
    let mut rows = Vec::new();
    for line in text.lines() {
        let mut cells = Vec::new();
        let mut cell = String::new();
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    cell.push('"');
                    chars.next();
                }
                ('"', _) => quoted = !quoted,
                (',', false) => cells.push(std::mem::take(&mut cell)),
                _ => cell.push(c),
            }
        }
        cells.push(cell);
        rows.push(cells);
    }
    rows
}

#[test]
fn the_example_imports_a_real_osv_feed_and_a_kev_slice() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&example(), dir.path());
    assert_eq!(build(dir.path()), 0);
    let out = dir.path().join("out");
    let model: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("model.json")).unwrap()).unwrap();
    let records = model["vulnerabilities"]
        .as_array()
        .expect("vulnerabilities");
    let by_advisory = |a: &str| {
        records
            .iter()
            .find(|r| r["advisory"] == a)
            .unwrap_or_else(|| panic!("no record of {a}"))
    };
    // From the OSV feed: OkHttp 4.12.0 is past both fixed versions.
    let okhttp = by_advisory("GHSA-4hc2-jh7r-wrc3");
    assert_eq!(okhttp["status"], "fixed");
    assert_eq!(okhttp["origin"]["kind"], "feed");
    assert_eq!(
        okhttp["origin"]["path"],
        "feeds/osv/GHSA-4hc2-jh7r-wrc3.json"
    );
    assert_eq!(okhttp["aliases"][0], "CVE-2016-2402");
    assert_eq!(okhttp["kev"], false);
    // Declared, and marked by the KEV slice with CISA's date.
    let jenkins = by_advisory("CVE-2024-23897");
    assert_eq!(jenkins["kev"], true);
    assert_eq!(jenkins["kev_added"], "2024-08-19");
    assert_eq!(jenkins["affects"][0], "jenkins");

    // The threat: safety-related (the pipeline holds the pump firmware),
    // controlled by a verified control, the residual accepted.
    let threat = model["threats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "jenkins_cli_file_read@build_pipeline")
        .expect("the vulnerability's threat");
    assert_eq!(threat["origin"], "vulnerability");
    assert_eq!(threat["exploitability_source"]["source"], "vulnerability");
    assert_eq!(threat["exploitability_source"]["kev"], true);
    assert!(threat["hazards"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h == "overdose"));

    // The register: one row per threat, recorded ones with n/a risk.
    let rows = csv_rows(&std::fs::read_to_string(out.join("vulnerabilities.csv")).unwrap());
    let header = &rows[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = rows
        .iter()
        .find(|r| r[col("Vulnerability")] == "CVE-2024-23897")
        .unwrap();
    assert_eq!(row[col("Component")], "build_pipeline");
    assert_eq!(row[col("KEV")], "yes, added 2024-08-19");
    assert_eq!(row[col("Severity")], "catastrophic");
    assert_eq!(row[col("Initial risk")], "unacceptable");
    assert_eq!(row[col("Controls")], "jenkins_cli_disabled");
    assert_eq!(row[col("Verification")], "vt_jenkins_cli (pass)");
    let fixed = rows
        .iter()
        .find(|r| r[col("Vulnerability")] == "GHSA-4hc2-jh7r-wrc3")
        .unwrap();
    assert_eq!(fixed[col("Status")], "fixed");
    assert_eq!(fixed[col("Initial risk")], "n/a");

    // The report's section and the design-history index.
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("<h3 id=\"vulnerabilities\">Known vulnerabilities</h3>"));
    assert!(report.contains("data-table=\"vulnerabilities\""));
    let index = std::fs::read_to_string(out.join("index.md")).unwrap();
    assert!(index.contains("vulnerabilities.md"), "{index}");
}

#[test]
fn a_kev_listed_vulnerability_is_uncontrolled_and_safety_related_without_its_control() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&example(), dir.path());
    // The example without the control, its verification and the acceptance.
    let path = dir.path().join("vulnerabilities.ward");
    let text = std::fs::read_to_string(&path).unwrap();
    let cut = text.find("/// Jenkins' documented workaround").unwrap();
    let end = text.find("/// Caps HTTP/2 stream resets").unwrap();
    let accept = text
        .find("/// The build controller holds no patient data")
        .unwrap();
    write(&path, &format!("{}{}", &text[..cut], &text[end..accept]));
    let out = run_ward(
        dir.path(),
        &[
            "check",
            "--explain-risk",
            "jenkins_cli_file_read@build_pipeline",
            ".",
        ],
    );
    let explained = stdout(&out);
    assert!(explained.contains("KEV-listed"), "{explained}");
    assert!(
        explained.contains("`overdose` severity catastrophic"),
        "{explained}"
    );
    assert!(
        explained.contains(
            "safety-related security risk = matrix[catastrophic][very_high] = unacceptable"
        ),
        "{explained}"
    );
    let (code, diagnostics) = check(dir.path(), &[]);
    assert_eq!(code, 1, "an unacceptable residual is an error");
    let e = with_code(&diagnostics, "E0401");
    assert!(
        e.iter().any(|d| d["message"]
            .as_str()
            .unwrap()
            .contains("jenkins_cli_file_read@build_pipeline")),
        "{diagnostics:#?}"
    );

    // With the control but its verification pending, the submission stage
    // still judges it uncontrolled (on verified evidence).
    let pending = text
        .replace(
            "  result: pass\n  independent: false\n  scope: [build_pipeline]",
            "  result: pending\n  independent: false\n  scope: [build_pipeline]",
        )
        .replace(
            "  status: verified\n  verification: [vt_jenkins_cli]",
            "  status: implemented\n  verification: [vt_jenkins_cli]",
        );
    write(&path, &pending);
    let (code, diagnostics) = check(dir.path(), &["--stage", "submission"]);
    assert_eq!(code, 1);
    // Its acceptance (of the `review` residual with the control) is now
    // stale: the verified residual is `unacceptable`.
    assert!(
        with_code(&diagnostics, "E0404").iter().any(|d| {
            let m = d["message"].as_str().unwrap();
            m.contains("jenkins_cli_file_read@build_pipeline")
                && m.contains("the verified residual risk is `unacceptable`")
        }),
        "{diagnostics:#?}"
    );
}

/// A model folder with one feed file and a component running `software`.
fn feed_model(software: &str, feed_name: &str, feed: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("Ward.toml"),
        &format!("files = [\"*.ward\"]\n\n[vulnerabilities]\nfeeds = [\"feeds/{feed_name}\", \"feeds/kev.json\"]\n"),
    );
    write(&dir.path().join("feeds").join(feed_name), feed);
    write(
        &dir.path().join("feeds/kev.json"),
        &fixture("kev-slice.json"),
    );
    write(
        &dir.path().join("model.ward"),
        &format!(
            "system s \"S\" {{ version: \"1\", overall_residual: \"Acceptable: see RMF-1.\" }}\n\
             zone cloud \"Cloud\" {{ trust: controlled, controlled_by: manufacturer }}\n{software}\n\
             component api \"API\" in cloud {{ kind: service, software: [web] }}\n"
        ),
    );
    dir
}

const SPRING_WEBMVC: &str = "software web \"spring-webmvc\" { supplier: \"VMware\", version: \"5.3.17\", purl: \"pkg:maven/org.springframework/spring-webmvc@5.3.17\", author: \"Acme\", timestamp: \"2026-11-30\", support: unsupported, end_of_support: \"2024-08-31\" }";

#[test]
fn a_real_osv_record_matches_by_package_and_version_and_kev_marks_it_by_alias() {
    let dir = feed_model(
        SPRING_WEBMVC,
        "spring4shell.json",
        &fixture("osv/GHSA-36p3-wjmg-h94x.json"),
    );
    let out = run_ward(
        dir.path(),
        &["check", "--explain-risk", "ghsa_36p3_wjmg_h94x@api", "."],
    );
    let explained = stdout(&out);
    assert!(
        explained.contains("GHSA-36p3-wjmg-h94x in spring-webmvc 5.3.17 of api"),
        "{explained}"
    );
    assert!(explained.contains("KEV-listed"), "{explained}");
    // 5.3.18 has the fix: recorded as fixed, no threat.
    let fixed = feed_model(
        &SPRING_WEBMVC.replace("5.3.17", "5.3.18"),
        "spring4shell.json",
        &fixture("osv/GHSA-36p3-wjmg-h94x.json"),
    );
    let (code, diagnostics) = check(fixed.path(), &[]);
    assert!(with_code(&diagnostics, "E0601").is_empty());
    let out = run_ward(
        fixed.path(),
        &["check", "--explain-risk", "ghsa_36p3_wjmg_h94x@api", "."],
    );
    assert_ne!(out.status.code(), Some(0), "no such threat once fixed");
    let _ = code;
}

#[test]
fn a_feed_about_software_the_model_does_not_run_is_stale() {
    let okhttp = fixture("osv/GHSA-4hc2-jh7r-wrc3.json");
    let dir = feed_model(SPRING_WEBMVC, "okhttp.json", &okhttp);
    let (_, diagnostics) = check(dir.path(), &[]);
    let w = with_code(&diagnostics, "W0471");
    assert_eq!(w.len(), 1, "{diagnostics:#?}");
    assert_eq!(w[0]["file"], "feeds/okhttp.json");
    assert_eq!(w[0]["start_line"], 3, "at the record's id");
}

/// Each malformed feed: its code at file:line:col with a help line, exit 1,
/// and `ward build` leaves no output folder.
#[test]
fn malformed_feeds_are_located_diagnostics_never_panics() {
    let okhttp = fixture("osv/GHSA-4hc2-jh7r-wrc3.json");
    let truncated = &okhttp[..okhttp.find("\"affected\"").unwrap() + 20];
    let wrong_type = okhttp.replacen(
        "\"aliases\": [\n    \"CVE-2016-2402\"\n  ]",
        "\"aliases\": \"CVE-2016-2402\"",
        1,
    );
    let unknown_schema = okhttp.replacen(
        "\"schema_version\": \"1.3.0\"",
        "\"schema_version\": \"2.0.0\"",
        1,
    );
    let duplicate = format!("[{okhttp},\n{okhttp}]");
    let kev = fixture("kev-slice.json");
    let first_entry = kev.find("        {").unwrap();
    let entry_end = kev[first_entry..].find("        }").unwrap() + first_entry + "        }".len();
    let kev_duplicate = format!(
        "{}{},\n{}",
        &kev[..first_entry],
        &kev[first_entry..entry_end],
        &kev[first_entry..]
    );
    let cases: Vec<(&str, String, &str, usize)> = vec![
        ("truncated", truncated.to_string(), "E0143", 0),
        ("wrong type", wrong_type, "E0144", 6),
        ("unknown schema_version", unknown_schema, "E0144", 2),
        ("duplicate id", duplicate, "E0145", 0),
        ("duplicate KEV entry", kev_duplicate, "E0145", 0),
        ("not a feed", "{\"hello\": 1}".into(), "E0144", 1),
    ];
    for (what, text, code, line) in cases {
        let dir = feed_model(SPRING_WEBMVC, "feed.json", &text);
        let (exit, diagnostics) = check(dir.path(), &[]);
        assert_eq!(exit, 2, "{what}: a compile error");
        let found = with_code(&diagnostics, code);
        assert_eq!(found.len(), 1, "{what}: {diagnostics:#?}");
        let d = found[0];
        assert_eq!(d["file"], "feeds/feed.json", "{what}");
        if line > 0 {
            assert_eq!(d["start_line"], line, "{what}: {d:#}");
        }
        assert!(d["start_column"].as_u64().unwrap() >= 1, "{what}");
        assert!(
            !d["help"].as_str().unwrap_or("").is_empty(),
            "{what}: a help line"
        );
        assert_ne!(build(dir.path()), 0, "{what}");
        assert!(
            !dir.path().join("out").exists(),
            "{what}: no half-written output"
        );
    }
}

#[test]
fn a_huge_or_missing_feed_is_refused_at_its_ward_toml_entry() {
    let dir = feed_model(SPRING_WEBMVC, "huge.json", "[]");
    // One byte over the 32 MiB cap; never parsed.
    let huge = vec![b' '; 32 * 1024 * 1024 + 1];
    std::fs::write(dir.path().join("feeds/huge.json"), huge).unwrap();
    let (exit, diagnostics) = check(dir.path(), &[]);
    assert_eq!(exit, 2);
    let e = with_code(&diagnostics, "E0142");
    assert_eq!(e.len(), 1, "{diagnostics:#?}");
    assert_eq!(e[0]["file"], "Ward.toml");
    assert!(
        e[0]["message"]
            .as_str()
            .unwrap()
            .contains("over Ward's limit"),
        "{e:#?}"
    );

    std::fs::remove_file(dir.path().join("feeds/huge.json")).unwrap();
    let (_, diagnostics) = check(dir.path(), &[]);
    let e = with_code(&diagnostics, "E0142");
    assert!(
        e[0]["message"].as_str().unwrap().contains("no such file"),
        "{e:#?}"
    );
}
