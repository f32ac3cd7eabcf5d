//! Approvals as records (issue #18, Deliver 4), as a reviewer uses them on a
//! copy of the shipped example: take the hash from `ward check
//! --print-hash`, record the approval, and see it go stale (W0450) exactly
//! when what it approved changes.

mod support;
use serde_json::Value;
use std::path::{Path, PathBuf};
use support::{
    assert_matches_schema, copy_tree, json_diagnostics, repo_root, run_ward, stderr, stdout, write,
};

/// The accepted threats the accepts-scope approvals of these tests cover.
const ACCEPTED: &str = "[cgm_link_jamming, wireless_jamming@f_glucose]";

/// A copy of the example in a temporary folder.
fn example() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("pump");
    copy_tree(&repo_root().join("examples/insulin-pump"), &model);
    (dir, model)
}

/// `scope -> hash` from `ward check --print-hash`.
fn hashes(model: &Path) -> Vec<(String, String)> {
    let out = run_ward(model, &["check", "--print-hash", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
        .lines()
        .map(|line| {
            let (scope, hash) = line.rsplit_once(' ').expect("`SCOPE HASH`");
            assert!(
                hash.starts_with("sha256:") && hash.len() == 7 + 64,
                "{line}"
            );
            (scope.to_string(), hash.to_string())
        })
        .collect()
}

fn hash_of(model: &Path, scope: &str) -> String {
    hashes(model)
        .into_iter()
        .find(|(s, _)| s == scope)
        .unwrap_or_else(|| panic!("no `{scope}` line"))
        .1
}

fn approval(id: &str, scope: &str, hash: &str) -> String {
    format!(
        "// Design review record.\napproval {id} {{\n  role: \"Design review chair\"\n  \
         name: \"A. Example\"\n  date: \"2026-11-30\"\n  scope: {scope}\n  \
         approved_hash: \"{hash}\"\n  note: \"DR-3 minutes, QMS-REC-0042\"\n}}\n"
    )
}

/// Approves the model and the two accepts at their current hashes.
fn approve(model: &Path) {
    // The accepts scope's hash is printed once an approval uses it.
    write(
        &model.join("approvals.ward"),
        &approval("rrb", ACCEPTED, "sha256:pending"),
    );
    let accepts = hash_of(model, &format!("accepts {ACCEPTED}"));
    let whole = hash_of(model, "model");
    write(
        &model.join("approvals.ward"),
        &format!(
            "{}\n{}",
            approval("dr3", "model", &whole),
            approval("rrb", ACCEPTED, &accepts)
        ),
    );
}

/// `(code, severity, message)` of every diagnostic of `ward check`.
fn check(model: &Path, extra: &[&str]) -> (Option<i32>, Vec<(String, String, String)>) {
    let mut args = vec!["check", "--message-format", "json"];
    args.extend_from_slice(extra);
    args.push(".");
    let out = run_ward(model, &args);
    let found = json_diagnostics(&stdout(&out))
        .into_iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (out.status.code(), found)
}

/// The approvals W0450 names stale.
fn stale(found: &[(String, String, String)]) -> Vec<String> {
    found
        .iter()
        .filter(|d| d.0 == "W0450")
        .map(|d| d.2.split('`').nth(1).unwrap().to_string())
        .collect()
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn an_approval_is_current_right_after_it_is_made_and_adding_it_changes_no_hash() {
    let (_dir, model) = example();
    let before = hash_of(&model, "model");
    approve(&model);
    assert_eq!(
        hash_of(&model, "model"),
        before,
        "the approvals are not hashed"
    );
    let (code, found) = check(&model, &[]);
    assert_eq!(code, Some(0), "{found:#?}");
    assert!(stale(&found).is_empty(), "{found:#?}");
}

#[test]
fn an_edit_inside_the_scope_makes_it_stale_a_warning_at_design_an_error_at_submission() {
    let (_dir, model) = example();
    approve(&model);
    edit(
        &model.join("threats.ward"),
        "\"Jamming of the CGM links hides falling glucose\"",
        "\"Jamming of the CGM links hides low glucose\"",
    );
    let (code, found) = check(&model, &[]);
    assert_eq!(code, Some(0), "a warning at the design stage: {found:#?}");
    assert_eq!(stale(&found), ["dr3"], "{found:#?}");
    let w = found.iter().find(|d| d.0 == "W0450").unwrap();
    assert_eq!(w.1, "warning");
    assert!(w.2.contains("scope `model`"), "{}", w.2);

    let (code, found) = check(&model, &["--stage", "submission"]);
    assert_eq!(code, Some(1), "{found:#?}");
    let w = found.iter().find(|d| d.0 == "W0450").unwrap();
    assert_eq!(w.1, "error", "an error at the submission stage");
}

#[test]
fn judging_at_the_submission_stage_does_not_itself_stale_a_model_approval() {
    let (_dir, model) = example();
    approve(&model);
    let (_, found) = check(&model, &["--stage", "submission"]);
    assert!(stale(&found).is_empty(), "{found:#?}");
}

#[test]
fn comments_layout_and_file_order_are_not_part_of_the_hash() {
    let (_dir, model) = example();
    approve(&model);
    let before = hashes(&model);
    let controls = model.join("controls.ward");
    let text = std::fs::read_to_string(&controls).unwrap();
    write(
        &controls,
        &format!(
            "// A reviewer's note, added after the approval.\n/* and a block comment */\n{text}"
        ),
    );
    // Reflow a one-line declaration over lines.
    edit(
        &model.join("actors.ward"),
        "actor patient \"Patient\" in home { kind: human }",
        "actor patient \"Patient\" in home {\n\n  kind: human\n}",
    );
    // Move every threat to another file: the declarations are the same.
    std::fs::rename(model.join("threats.ward"), model.join("zz-threats.ward")).unwrap();
    assert_eq!(hashes(&model), before);
    let (_, found) = check(&model, &[]);
    assert!(stale(&found).is_empty(), "{found:#?}");
}

#[test]
fn an_unrelated_flow_stales_the_model_approval_but_not_the_accepts_one() {
    let (_dir, model) = example();
    approve(&model);
    write(
        &model.join("extra.ward"),
        "flow f_ehr_audit: ehr_gateway -> audit_store \"EHR gateway audit events\" {\n  \
         protocol: https\n  authenticated: true\n  encrypted: true\n}\n",
    );
    let (_, found) = check(&model, &[]);
    assert_eq!(stale(&found), ["dr3"], "{found:#?}");
}

#[test]
fn a_risk_change_under_an_accepted_threat_stales_the_accepts_approval() {
    let (_dir, model) = example();
    approve(&model);
    // The accept is not edited; the threat it accepts now scores higher.
    edit(
        &model.join("threats.ward"),
        "  exploitability: moderate\n  capec: [601]",
        "  exploitability: very_high\n  capec: [601]",
    );
    let (_, found) = check(&model, &[]);
    let mut names = stale(&found);
    names.sort();
    assert_eq!(names, ["dr3", "rrb"], "{found:#?}");
    let w = found.iter().find(|d| d.2.contains("`rrb`")).unwrap();
    assert!(w.2.contains(&format!("accepts {ACCEPTED}")), "{}", w.2);
}

#[test]
fn a_date_that_is_not_a_calendar_date_is_e0216() {
    let (_dir, model) = example();
    write(
        &model.join("approvals.ward"),
        &approval("dr3", "model", "sha256:0").replace("2026-11-30", "2026-02-30"),
    );
    let (code, found) = check(&model, &[]);
    assert_eq!(code, Some(2), "a compile error: {found:#?}");
    assert!(found.iter().any(|d| d.0 == "E0216"), "{found:#?}");
}

#[test]
fn a_scope_naming_a_threat_no_accept_names_is_e0111_with_a_suggestion() {
    let (_dir, model) = example();
    write(
        &model.join("approvals.ward"),
        &approval("rrb", "[cgm_link_jaming]", "sha256:0"),
    );
    let out = run_ward(&model, &["check", "--message-format", "json", "."]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let line = stdout(&out)
        .lines()
        .find(|l| l.contains("\"E0111\""))
        .map(str::to_string)
        .unwrap_or_else(|| panic!("no E0111: {}", stdout(&out)));
    let d: Value = serde_json::from_str(&line).unwrap();
    assert!(d["message"].as_str().unwrap().contains("cgm_link_jaming"));
    assert_eq!(d["help"], "did you mean `cgm_link_jamming`?");
}

#[test]
fn a_missing_required_property_is_e0202() {
    let (_dir, model) = example();
    write(
        &model.join("approvals.ward"),
        &approval("dr3", "model", "sha256:0").replace("  name: \"A. Example\"\n", ""),
    );
    let (code, found) = check(&model, &[]);
    assert_eq!(code, Some(2), "a compile error: {found:#?}");
    assert!(
        found.iter().any(|d| d.0 == "E0202" && d.2.contains("name")),
        "{found:#?}"
    );
}

#[test]
fn model_json_and_the_index_carry_the_approvals_that_cover_each_artifact() {
    let (dir, model) = example();
    approve(&model);
    // The accept's rationale changes: both approvals go stale.
    edit(
        &model.join("acceptance.ward"),
        "BLE jamming cannot be prevented.",
        "BLE jamming cannot be prevented by design.",
    );
    let out_dir = dir.path().join("out");
    let out = run_ward(
        &model,
        &["build", "--no-svg", "-o", out_dir.to_str().unwrap(), "."],
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("model.json")).unwrap())
            .unwrap();
    let approvals = doc["approvals"].as_array().unwrap();
    assert_eq!(approvals.len(), 2);
    let rrb = &approvals[1];
    assert_eq!(rrb["id"], "rrb");
    assert_eq!(rrb["role"], "Design review chair");
    assert_eq!(rrb["name"], "A. Example");
    assert_eq!(rrb["date"], "2026-11-30");
    assert_eq!(rrb["scope"], "accepts");
    assert_eq!(
        rrb["threats"],
        serde_json::json!(["cgm_link_jamming", "wireless_jamming@f_glucose"])
    );
    assert_eq!(rrb["stale"], true);
    assert_ne!(rrb["approved_hash"], rrb["current_hash"]);
    assert_eq!(
        rrb["current_hash"].as_str().unwrap(),
        hash_of(&model, &format!("accepts {ACCEPTED}"))
    );

    let index: Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("index.json")).unwrap())
            .unwrap();
    let covering = |path: &str| -> Vec<String> {
        let entry = index["artifacts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["path"] == path)
            .unwrap_or_else(|| panic!("no {path}"));
        entry["approvals"]
            .as_array()
            .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    // A model approval covers everything; an accepts one the risk records.
    assert_eq!(covering("risk-register.csv"), ["dr3", "rrb"]);
    assert_eq!(covering("report.html"), ["dr3", "rrb"]);
    assert_eq!(covering("control-requirements.md"), ["dr3"]);
    assert_eq!(index["approvals"].as_array().unwrap().len(), 2);
    let md = std::fs::read_to_string(out_dir.join("index.md")).unwrap();
    assert!(md.contains("## Approvals"), "{md}");
    assert!(md.contains("| rrb |") && md.contains("**stale**"), "{md}");
    let report = std::fs::read_to_string(out_dir.join("report.html")).unwrap();
    // The first screen lists each approval with its state.
    assert!(report.contains("<h2 class=\"first\" id=\"approvals\">Approvals</h2>"));
    assert!(report.contains("<td><code>rrb</code>") && report.contains("<strong>stale</strong>"));
    assert!(report.contains("stale approvals</li>"));

    assert_matches_schema(&doc, "docs/model-schema.json");
    assert_matches_schema(&index, "docs/index-schema.json");
}

#[test]
fn an_edited_sbom_or_feed_stales_the_model_approval() {
    let (_dir, model) = example();
    approve(&model);
    // A package upgraded in the CGM's SBOM: the software approved changed.
    edit(
        &model.join("sbom/cgm-fw.cdx.json"),
        "\"version\": \"3.7.0\"",
        "\"version\": \"3.7.1\"",
    );
    let (_, found) = check(&model, &[]);
    assert_eq!(stale(&found), ["dr3"], "{found:#?}");

    // A new KEV date in the feed, on a fresh copy: the feed is approved too.
    let (_dir, model) = example();
    approve(&model);
    edit(
        &model.join("feeds/kev.json"),
        "\"dateAdded\": \"2024-08-19\"",
        "\"dateAdded\": \"2024-08-20\"",
    );
    let (_, found) = check(&model, &[]);
    assert_eq!(stale(&found), ["dr3"], "{found:#?}");
}

#[test]
fn the_printed_hash_of_a_model_without_approvals_or_dispositions_is_the_one_an_approval_pins() {
    // Without approvals or dispositions `ward check` skips digesting the
    // declarations; `--print-hash` must still print the hash they make.
    let (_dir, model) = example();
    std::fs::remove_file(model.join("dispositions.ward")).unwrap();
    let (code, found) = check(&model, &[]);
    assert_eq!(code, Some(0), "{found:#?}");
    let whole = hash_of(&model, "model");
    write(
        &model.join("approvals.ward"),
        &approval("dr3", "model", &whole),
    );
    let (_, found) = check(&model, &[]);
    assert!(stale(&found).is_empty(), "{found:#?}");
    edit(
        &model.join("threats.ward"),
        "\"Jamming of the CGM links hides falling glucose\"",
        "\"Jamming of the CGM links hides low glucose\"",
    );
    let (_, found) = check(&model, &[]);
    assert_eq!(stale(&found), ["dr3"], "{found:#?}");
}
