//! `ward init`: each template compiles clean and builds its report; a
//! starter is written whole or not at all, never over an existing file or
//! through a planted link; an empty folder points to `ward init`.

mod support;

use std::path::Path;
use support::{run_ward, stderr, stdout};

const TEMPLATES: [&str; 4] = ["minimal", "wearable", "infusion-pump", "hospital-fleet"];

/// Every file a starter consists of.
const STARTER_FILES: [&str; 5] = [
    "model.ward",
    "Ward.toml",
    "README.md",
    ".gitignore",
    ".github/workflows/ward.yml",
];

/// All paths below `dir`, files and folders, sorted.
fn listing(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            out.push(path.strip_prefix(root).unwrap().display().to_string());
            if entry.file_type().unwrap().is_dir() {
                walk(root, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

#[test]
fn each_template_checks_clean_and_builds_its_report() {
    for template in TEMPLATES {
        let dir = tempfile::tempdir().unwrap();
        let init = run_ward(dir.path(), &["init", "--template", template]);
        assert_eq!(init.status.code(), Some(0), "{template}: {}", stderr(&init));
        for file in STARTER_FILES {
            assert!(dir.path().join(file).is_file(), "{template}: no {file}");
        }

        let check = run_ward(dir.path(), &["check", "--deny-warnings"]);
        assert_eq!(
            check.status.code(),
            Some(0),
            "{template}: {}",
            stderr(&check)
        );
        assert!(
            !stderr(&check).contains("warning[") && !stderr(&check).contains("error["),
            "{template} is not clean:\n{}",
            stderr(&check)
        );

        let build = run_ward(dir.path(), &["build", "--no-svg"]);
        assert_eq!(
            build.status.code(),
            Some(0),
            "{template}: {}",
            stderr(&build)
        );
        let report = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
        assert!(report.contains("<html"), "{template}: no report");
        // The output folder is the one .gitignore keeps out of git.
        let ignore = std::fs::read_to_string(dir.path().join(".gitignore")).unwrap();
        assert!(ignore.lines().any(|l| l == "/out/"));
    }
}

/// The embedded templates are the files under templates/init/, so that
/// the templates a contributor checks are the ones users get.
#[test]
fn the_written_starter_is_the_template_folder() {
    let root = support::repo_root().join("templates/init");
    for template in TEMPLATES {
        let dir = tempfile::tempdir().unwrap();
        let init = run_ward(dir.path(), &["init", "out-here", "--template", template]);
        assert_eq!(init.status.code(), Some(0), "{}", stderr(&init));
        let written = dir.path().join("out-here");
        for file in ["model.ward", "Ward.toml", "README.md"] {
            assert_eq!(
                std::fs::read_to_string(written.join(file)).unwrap(),
                std::fs::read_to_string(root.join(template).join(file)).unwrap(),
                "{template}/{file}"
            );
        }
        assert_eq!(
            std::fs::read_to_string(written.join(".gitignore")).unwrap(),
            std::fs::read_to_string(root.join("common/gitignore")).unwrap()
        );
        let ci = std::fs::read_to_string(written.join(".github/workflows/ward.yml")).unwrap();
        assert!(ci.contains("ward check --deny-warnings"));
        assert!(ci.contains("ward build --no-svg --check"));
        assert!(ci.contains("GitLab"));
    }
}

#[test]
fn the_default_template_is_minimal_in_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    let init = run_ward(dir.path(), &["init"]);
    assert_eq!(init.status.code(), Some(0), "{}", stderr(&init));
    let model = std::fs::read_to_string(dir.path().join("model.ward")).unwrap();
    let minimal =
        std::fs::read_to_string(support::repo_root().join("templates/init/minimal/model.ward"))
            .unwrap();
    assert_eq!(model, minimal);
}

#[test]
fn an_existing_file_stops_init_before_it_writes_anything() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Ward.toml"), "# mine\n").unwrap();
    let init = run_ward(dir.path(), &["init", "--template", "wearable"]);
    assert_eq!(init.status.code(), Some(2));
    let err = stderr(&init);
    assert!(err.contains("error[E0606]"), "{err}");
    assert!(err.contains("Ward.toml"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(listing(dir.path()), ["Ward.toml"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("Ward.toml")).unwrap(),
        "# mine\n"
    );
}

#[test]
fn every_file_in_the_way_is_listed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "mine").unwrap();
    std::fs::write(dir.path().join(".gitignore"), "mine").unwrap();
    let init = run_ward(dir.path(), &["init", "--message-format", "json"]);
    assert_eq!(init.status.code(), Some(2));
    let out = stdout(&init);
    let record: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(record["code"], "E0606");
    let message = record["message"].as_str().unwrap();
    assert!(
        message.contains("README.md") && message.contains(".gitignore"),
        "{message}"
    );
    assert!(!message.contains("model.ward"), "{message}");
    assert_eq!(listing(dir.path()), [".gitignore", "README.md"]);
}

/// A hostile repository plants a link where the starter goes: init refuses
/// and the link's target is untouched, whether the link is a file's path or
/// a folder init would make.
#[test]
fn a_planted_symlink_is_never_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("bashrc");
    std::fs::write(&secret, "secret").unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join("model.ward")).unwrap();
    // A dangling link counts too: writing through it would create its target.
    std::os::unix::fs::symlink(outside.path().join("not-yet"), dir.path().join("README.md"))
        .unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join(".github")).unwrap();

    let init = run_ward(dir.path(), &["init"]);
    assert_eq!(init.status.code(), Some(2));
    let err = stderr(&init);
    assert!(err.contains("E0606"), "{err}");
    for path in ["model.ward", "README.md", ".github"] {
        assert!(err.contains(path), "{path} not listed: {err}");
    }
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), "secret");
    assert_eq!(listing(outside.path()), ["bashrc"]);
    assert_eq!(listing(dir.path()), [".github", "README.md", "model.ward"]);
}

#[test]
fn an_unknown_template_is_a_usage_error_listing_the_four() {
    let dir = tempfile::tempdir().unwrap();
    let init = run_ward(dir.path(), &["init", "--template", "pacemaker"]);
    assert_eq!(init.status.code(), Some(2));
    let err = stderr(&init);
    for template in TEMPLATES {
        assert!(err.contains(template), "{template} not listed: {err}");
    }
    assert!(listing(dir.path()).is_empty());
}

#[test]
fn check_in_a_folder_without_ward_files_points_to_init() {
    let dir = tempfile::tempdir().unwrap();
    let check = run_ward(dir.path(), &["check"]);
    assert_eq!(check.status.code(), Some(2));
    let err = stderr(&check);
    assert!(err.contains("error[E0115]: no .ward files in"), "{err}");
    assert!(err.contains("ward init"), "{err}");
    // No source excerpt at a made-up `1:1` in a file that does not exist.
    assert!(!err.contains(":1:1") && !err.contains("┌─"), "{err}");

    let json = run_ward(dir.path(), &["check", "--message-format", "json"]);
    let record: serde_json::Value =
        serde_json::from_str(stdout(&json).lines().next().unwrap()).unwrap();
    assert_eq!(record["code"], "E0115");
    assert!(record["file"].is_null(), "{record}");
    assert!(record["help"].as_str().unwrap().contains("ward init"));
}
