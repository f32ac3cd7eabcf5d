//! Dispositions end to end, on a copy of the example: its
//! `not_applicable` threat stays in every register with its status and
//! rationale, is a suppressed SARIF result and leaves the verdict's open
//! risk; a change to its target makes it stale until a reviewer writes the
//! new hash (`ward check --fix` leaves that to a person); `ward diff`
//! reports a changed disposition.

mod support;

use serde_json::Value;
use std::path::Path;
use support::{copy_tree, diff_json, repo_root, run_ward, stderr};

const NOT_APPLICABLE: &str = "external_data_repudiation@crash_analytics";
const IN_PROGRESS: &str = "log_export_to_third_party@f_crash";
const RATIONALE: &str = "crash_analytics only receives crash reports from the app (f_crash)";

fn example_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo_root().join("examples/insulin-pump"), dir.path());
    dir
}

fn build(model: &Path, out: &Path) {
    let o = run_ward(model, &["build", "--no-svg", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn a_dispositioned_threat_stays_in_the_registers_and_is_a_suppressed_sarif_result() {
    let model = example_copy();
    let out = tempfile::tempdir().unwrap();
    build(model.path(), out.path());

    // The CSV register: Status, Disposition and Ticket columns.
    let csv = read(&out.path().join("risk-register.csv"));
    let mut rows = csv.lines();
    let header: Vec<&str> = rows.next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (status, disposition, ticket) = (column("Status"), column("Disposition"), column("Ticket"));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let row = |id: &str| {
        records
            .iter()
            .find(|r| &r[0] == id)
            .unwrap_or_else(|| panic!("no row {id}"))
    };
    assert_eq!(&row(NOT_APPLICABLE)[status], "not_applicable");
    assert!(row(NOT_APPLICABLE)[disposition].contains(RATIONALE));
    assert!(row(NOT_APPLICABLE)[disposition]
        .contains("approved by Risk review board, RRB-2026-07 on 2026-07-16"));
    assert_eq!(&row(IN_PROGRESS)[status], "in_progress");
    assert_eq!(&row(IN_PROGRESS)[ticket], "SEC-214");
    let md = read(&out.path().join("risk-register.md"));
    assert!(md
        .lines()
        .any(|l| l.contains(NOT_APPLICABLE) && l.contains("not_applicable")));

    // SARIF: one suppressed result, with the rationale as justification.
    let sarif: Value = serde_json::from_str(&read(&out.path().join("findings.sarif"))).unwrap();
    let suppressed: Vec<&Value> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1, "{suppressed:#?}");
    assert_eq!(suppressed[0]["properties"]["threat"], NOT_APPLICABLE);
    let s = &suppressed[0]["suppressions"][0];
    assert_eq!(
        (s["kind"].as_str(), s["status"].as_str()),
        (Some("external"), Some("accepted"))
    );
    assert!(s["justification"].as_str().unwrap().starts_with(RATIONALE));

    // model.json and the report: counted as dispositioned, not as open.
    let json: Value = serde_json::from_str(&read(&out.path().join("model.json"))).unwrap();
    assert_eq!(json["verdict"]["dispositioned"], 1);
    assert_eq!(json["verdict"]["ready"], true);
    let threat = json["threats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == NOT_APPLICABLE)
        .unwrap();
    assert_eq!(threat["disposition"]["status"], "not_applicable");
    assert_eq!(threat["disposition"]["dispositioned"], true);
    let report = read(&out.path().join("report.html"));
    assert!(report.contains("1 threat dispositioned not applicable or false positive"));
    assert!(report.contains("<strong>1</strong> dispositioned"));
    assert!(report.contains(RATIONALE));
}

#[test]
fn a_changed_target_makes_the_disposition_stale_until_a_reviewer_writes_the_new_hash() {
    let model = example_copy();
    let actors = model.path().join("actors.ward");
    let text = read(&actors);
    let before = "actor crash_analytics \"Crash reporting service\" in internet {\n  kind: external_system\n";
    assert!(text.contains(before));
    std::fs::write(
        &actors,
        text.replace(
            before,
            &format!("{before}  description: \"Now also sends remote config\"\n"),
        ),
    )
    .unwrap();

    let o = run_ward(model.path(), &["check", "--stage", "submission"]);
    assert_ne!(o.status.code(), Some(0));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "error[W0162]: stale disposition of `{NOT_APPLICABLE}`"
        )),
        "{err}"
    );

    // Writing the hash re-approves the decision: `--fix` leaves it to a
    // person, who reviews and writes the hash the diagnostic shows.
    let o = run_ward(model.path(), &["check", "--fix"]);
    assert!(stderr(&o).contains("W0162"), "{}", stderr(&o));
    let label = "the targets' hash is now `";
    let after = &err[err.find(label).expect("the current hash in the label") + label.len()..];
    let current = &after[..after.find('`').unwrap()];
    let file = model.path().join("dispositions.ward");
    let text = read(&file);
    let pinned = text
        .lines()
        .find(|l| l.contains("target_hash: \"sha256:"))
        .expect("the example's pinned hash")
        .to_string();
    std::fs::write(
        &file,
        text.replace(&pinned, &format!("  target_hash: \"{current}\"")),
    )
    .unwrap();
    let o = run_ward(model.path(), &["check", "--stage", "submission"]);
    assert!(!stderr(&o).contains("W0162"), "{}", stderr(&o));
}

#[test]
fn ward_diff_reports_a_changed_disposition() {
    let old = example_copy();
    let new = example_copy();
    let file = new.path().join("dispositions.ward");
    let text = read(&file);
    assert!(text.contains("status: in_progress"));
    std::fs::write(&file, text.replace("status: in_progress", "status: open")).unwrap();
    let json = diff_json(old.path(), new.path());
    let changed = json["declarations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == IN_PROGRESS)
        .unwrap_or_else(|| panic!("{json:#}"));
    assert_eq!(changed["change"], "changed");
    assert!(changed.to_string().contains("in_progress"), "{changed}");
    assert!(changed.to_string().contains("disposition"), "{changed}");
}
