//! Hostile repositories, file-system side (issue #12): each test builds the
//! attack in a temporary folder and runs the `ward` binary on it, as CI or
//! an editor would on a repository nobody has reviewed.
#![cfg(unix)]

#[allow(unused_imports)] // the shared helpers re-export tools this file does not use
mod support;

use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use support::{finish, mkfifo, run_ward, said, spawn, stderr, stdout, ward, write};

const MODEL: &str = "system s \"S\" { version: \"1\" }\nzone home \"Home\" { trust: untrusted }\ncomponent pump \"Pump\" in home { kind: device }\n";
/// What must never reach a log: it stands for a CI secret.
const SECRET: &str = "CI_TOKEN=hunter2-do-not-print";

/// Tests of this file run one at a time: a child forked by another test
/// thread holds a copy of every open pipe until it execs, so the pipe of
/// [`with_stdout_closed`] could still have a reader for a moment.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

/// A temporary folder holding `model/` (with `main.ward`) and `secret/`.
fn repository() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("model/main.ward"), MODEL);
    write(&tmp.path().join("secret/creds.txt"), &format!("{SECRET}\n"));
    write(
        &tmp.path().join("secret/creds.ward"),
        &format!("{SECRET}\n"),
    );
    tmp
}

/// [`repository`] with `model/` built once into `model/out`.
fn built_repository() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = repository();
    let model = tmp.path().join("model");
    let o = run_ward(&model, &["build", ".", "--no-svg"]);
    assert_eq!(o.status.code(), Some(0), "{}", said(&o));
    (tmp, model)
}

#[test]
fn ward_toml_files_outside_the_root_are_refused_and_never_echoed() {
    let _serial = one_at_a_time();
    let tmp = repository();
    let model = tmp.path().join("model");
    std::os::unix::fs::symlink(
        tmp.path().join("secret/creds.ward"),
        model.join("link.ward"),
    )
    .unwrap();
    write(
        &model.join("Ward.toml"),
        "files = [\"main.ward\", \"../secret/creds.txt\", \"/proc/self/environ\", \"link.ward\", \"*.ward\"]\n",
    );
    let o = run_ward(&model, &["check", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", said(&o));
    assert!(!said(&o).contains("hunter2"), "{}", said(&o));
    let e0105 = stderr(&o).matches("error[E0105]").count();
    assert_eq!(e0105, 3, "{}", stderr(&o));

    // A `Ward.toml` that is itself a link to the secret is not read.
    let other = tmp.path().join("other");
    write(&other.join("main.ward"), MODEL);
    std::os::unix::fs::symlink(tmp.path().join("secret/creds.txt"), other.join("Ward.toml"))
        .unwrap();
    let o = run_ward(&other, &["check", "main.ward"]);
    assert_eq!(o.status.code(), Some(2), "{}", said(&o));
    assert!(stderr(&o).contains("error[E0105]"), "{}", stderr(&o));
    assert!(!said(&o).contains("hunter2"), "{}", said(&o));
}

#[test]
fn a_source_over_the_size_limit_is_refused_unread() {
    let _serial = one_at_a_time();
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("main.ward"), MODEL);
    // Sparse: no disk space, and ward must not read it to know its size.
    let big = fs::File::create(tmp.path().join("big.ward")).unwrap();
    big.set_len(ward_model::MAX_SOURCE_BYTES + 1).unwrap();
    let o = run_ward(tmp.path(), &["check", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", said(&o));
    assert!(stderr(&o).contains("error[E0122]"), "{}", stderr(&o));
}

#[test]
fn ward_files_whose_names_differ_in_invalid_bytes_are_both_reported() {
    let _serial = one_at_a_time();
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("main.ward"), MODEL);
    for name in [&b"threats\xff.ward"[..], &b"threats\xfe.ward"[..]] {
        let path = tmp.path().join(std::ffi::OsStr::from_bytes(name));
        fs::write(path, "zone z \"Z\" { trust: untrusted }\n").unwrap();
    }
    let o = run_ward(tmp.path(), &["check", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", said(&o));
    assert_eq!(
        stderr(&o).matches("error[E0121]").count(),
        2,
        "{}",
        stderr(&o)
    );
}

#[test]
fn build_paths_of_ward_toml_stay_inside_the_root() {
    let _serial = one_at_a_time();
    let tmp = repository();
    let model = tmp.path().join("model");
    let victim = tmp.path().join("victim");
    fs::create_dir(&victim).unwrap();
    for out in ["../victim", victim.to_str().unwrap()] {
        write(
            &model.join("Ward.toml"),
            &format!("[build]\nout = \"{out}\"\n"),
        );
        let o = run_ward(&model, &["build", ".", "--no-svg"]);
        assert_eq!(o.status.code(), Some(2), "{out}: {}", said(&o));
        assert!(stderr(&o).contains("error[E0105]"), "{}", stderr(&o));
        assert_eq!(fs::read_dir(&victim).unwrap().count(), 0, "{out}: written");
    }
    write(&model.join("Ward.toml"), "[build]\ntemplates = \"/etc\"\n");
    let o = run_ward(&model, &["build", ".", "--no-svg"]);
    assert_eq!(o.status.code(), Some(2), "{}", said(&o));
    assert!(stderr(&o).contains("error[E0105]"), "{}", stderr(&o));
    assert!(!said(&o).contains("passwd"), "{}", said(&o));

    // The command line is trusted: `-o` may name a folder outside.
    fs::remove_file(model.join("Ward.toml")).unwrap();
    let o = run_ward(&model, &["build", ".", "--no-svg", "-o", "../victim"]);
    assert_eq!(o.status.code(), Some(0), "{}", said(&o));
    assert!(victim.join("model.json").is_file());
}

#[test]
fn a_committed_out_symlink_is_neither_written_nor_listed() {
    let _serial = one_at_a_time();
    let tmp = repository();
    let model = tmp.path().join("model");
    let home = tmp.path().join("home");
    fs::create_dir_all(home.join("alice")).unwrap();
    fs::write(home.join(".ward-output"), "").unwrap();
    std::os::unix::fs::symlink(&home, model.join("out")).unwrap();
    let o = run_ward(&model, &["build", ".", "--no-svg", "--check"]);
    assert_eq!(o.status.code(), Some(2), "{}", said(&o));
    assert!(stderr(&o).contains("error[E0510]"), "{}", stderr(&o));
    assert!(!said(&o).contains("alice"), "{}", said(&o));
    // Marked as ward's own, the folder would be replaced: it is not.
    let o = run_ward(&model, &["build", ".", "--no-svg"]);
    assert_eq!(o.status.code(), Some(2), "{}", said(&o));
    assert!(stderr(&o).contains("error[E0510]"), "{}", stderr(&o));
    assert!(home.join("alice").is_dir());
}

#[test]
fn build_check_never_follows_a_symlinked_artifact() {
    let _serial = one_at_a_time();
    let (_tmp, model) = built_repository();
    fs::remove_file(model.join("out/model.json")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", model.join("out/model.json")).unwrap();
    mkfifo(&model.join("out/risk-register.md.fifo"));
    let o = finish(spawn(&model, &["build", ".", "--no-svg", "--check"]));
    assert_eq!(o.status.code(), Some(1), "{}", said(&o));
    assert!(stdout(&o).contains("model.json: differs"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("risk-register.md.fifo: not generated"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_fifo_named_ward_does_not_hang_check() {
    let _serial = one_at_a_time();
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("main.ward"), MODEL);
    mkfifo(&tmp.path().join("pipe.ward"));
    let o = finish(spawn(tmp.path(), &["check", "."]));
    assert_eq!(o.status.code(), Some(0), "{}", said(&o));
    // Named in Ward.toml, or by `use`: an error, not a blocked read.
    write(
        &tmp.path().join("Ward.toml"),
        "files = [\"main.ward\", \"pipe.ward\"]\n",
    );
    let o = finish(spawn(tmp.path(), &["check", "."]));
    assert_eq!(o.status.code(), Some(2), "{}", said(&o));
    fs::remove_file(tmp.path().join("Ward.toml")).unwrap();
    write(
        &tmp.path().join("main.ward"),
        &format!("use \"pipe.ward\"\n{MODEL}"),
    );
    let o = finish(spawn(tmp.path(), &["check", "main.ward"]));
    assert_eq!(o.status.code(), Some(2), "{}", said(&o));
}

#[test]
fn concurrent_builds_into_one_folder_all_succeed() {
    let _serial = one_at_a_time();
    let tmp = repository();
    let model = tmp.path().join("model");
    let builds: Vec<Child> = (0..6)
        .map(|_| spawn(&model, &["build", ".", "--no-svg"]))
        .collect();
    for build in builds {
        let o = finish(build);
        assert_eq!(o.status.code(), Some(0), "{}", said(&o));
    }
    let mut beside: Vec<String> = fs::read_dir(&model)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(
        beside,
        ["main.ward", "out"],
        "no .out.old-*/.out.new-* left"
    );
}

#[test]
fn a_build_killed_between_its_renames_is_put_back_by_the_next() {
    let _serial = one_at_a_time();
    let (_tmp, model) = built_repository();
    // What a kill between "move the old output aside" and "move the new
    // one in" leaves: no `out/`, the old output in `.out.old-*`.
    fs::rename(model.join("out"), model.join(".out.old-AbC123")).unwrap();
    let o = run_ward(&model, &["build", ".", "--no-svg"]);
    assert_eq!(o.status.code(), Some(0), "{}", said(&o));
    assert!(
        stderr(&o).contains("note: an interrupted build"),
        "{}",
        stderr(&o)
    );
    assert!(model.join("out/model.json").is_file());
    assert!(!model.join(".out.old-AbC123").exists());
}

#[test]
fn a_build_failing_after_some_artifacts_were_staged_leaves_the_previous_output() {
    let _serial = one_at_a_time();
    let (tmp, model) = built_repository();
    let before: Vec<(std::path::PathBuf, Vec<u8>)> = support::files_below(&model.join("out"))
        .into_iter()
        .map(|f| {
            let bytes = fs::read(&f).unwrap();
            (f, bytes)
        })
        .collect();
    // The views are streamed to the staging folder before the tables are
    // rendered; this table then fails on an undefined variable.
    write(
        &tmp.path().join("templates/risk-register.md"),
        "{{ no_such_variable }}\n",
    );
    let templates = tmp.path().join("templates");
    let o = run_ward(
        &model,
        &[
            "build",
            ".",
            "--no-svg",
            "--templates",
            templates.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", said(&o));
    assert!(stderr(&o).contains("nothing written"), "{}", stderr(&o));
    let after: Vec<(std::path::PathBuf, Vec<u8>)> = support::files_below(&model.join("out"))
        .into_iter()
        .map(|f| {
            let bytes = fs::read(&f).unwrap();
            (f, bytes)
        })
        .collect();
    assert!(before.len() > 10, "{before:?}");
    assert!(before == after, "the previous output is as it was");
    let mut beside: Vec<String> = fs::read_dir(&model)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(
        beside,
        ["main.ward", "out"],
        "the staging folder is removed"
    );
}

/// Runs ward with its stdout a pipe whose reader is gone before ward
/// starts: the write end of the stdin of a `true` that has exited.
fn with_stdout_closed(dir: &Path, args: &[&str]) -> Output {
    let mut reader = Command::new("true")
        .stdin(Stdio::piped())
        .spawn()
        .expect("`true` runs");
    let closed = reader.stdin.take().unwrap();
    assert!(reader.wait().unwrap().success());
    let child = ward()
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(closed)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    finish(child)
}

#[test]
fn a_closed_stdout_ends_every_command_quietly_with_141() {
    let _serial = one_at_a_time();
    let (tmp, model) = built_repository();
    write(
        &model.join("ugly.ward"),
        "zone   z \"Z\"   { trust: untrusted }\n",
    );
    fs::write(model.join("out/model.json"), "{}").unwrap();
    // A diagnostic for `check` to print on stdout.
    write(
        &tmp.path().join("broken/main.ward"),
        &format!("{MODEL}component x \"X\" in nowhere {{ kind: device }}\n"),
    );
    for (dir, args) in [
        ("broken", &["check", ".", "--message-format", "json"][..]),
        ("model", &["build", ".", "--no-svg", "--check"]),
        ("model", &["fmt", "--check", "."]),
    ] {
        let o = with_stdout_closed(&tmp.path().join(dir), args);
        assert_eq!(o.status.code(), Some(141), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
    }
}
