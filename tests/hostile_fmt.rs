//! `ward fmt` on a repository nobody reviewed (issue #12 items 1, 5, 11,
//! 18): each test plants the attack in a temporary folder and runs the
//! `ward` binary as a developer or CI would.
#![cfg(unix)]

#[allow(unused_imports)] // the shared helpers re-export tools this file does not use
mod support;

use std::fs;
use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Output;
use support::{finish, mkfifo, said, spawn, stderr, stdout, write};

/// A model `ward fmt` changes (two spaces of indentation are canonical).
const UNFORMATTED: &str = "system s \"S\" {\nversion: \"1\"\n}\n";
const FORMATTED: &str = "system s \"S\" {\n  version: \"1\"\n}\n";

fn fmt(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["fmt"];
    all.extend_from_slice(args);
    finish(spawn(dir, &all))
}

#[test]
fn a_planted_temporary_file_symlink_is_never_written_through() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    write(&home.join(".bashrc"), "# the victim's shell start-up\n");
    let repo = tmp.path().join("repo");
    write(&repo.join("main.ward"), UNFORMATTED);
    // The names the old formatter wrote through, and a guess at new ones.
    for planted in [
        "main.ward.fmt-tmp",
        "main.fmt-tmp",
        ".main.ward.fmt-tmp",
        ".main.ward.ward-tmp",
    ] {
        symlink(home.join(".bashrc"), repo.join(planted)).unwrap();
    }
    let o = fmt(&repo, &["main.ward"]);
    assert_eq!(o.status.code(), Some(0), "{}", said(&o));
    assert_eq!(
        fs::read_to_string(repo.join("main.ward")).unwrap(),
        FORMATTED
    );
    assert_eq!(
        fs::read_to_string(home.join(".bashrc")).unwrap(),
        "# the victim's shell start-up\n"
    );
    // Nothing left behind but the planted links and the file.
    let mut names: Vec<String> = fs::read_dir(&repo)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ".main.ward.fmt-tmp",
            ".main.ward.ward-tmp",
            "main.fmt-tmp",
            "main.ward",
            "main.ward.fmt-tmp"
        ]
    );
}

#[test]
fn a_symlinked_source_is_refused_and_its_target_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside.ward");
    write(&outside, UNFORMATTED);
    let repo = tmp.path().join("repo");
    fs::create_dir_all(&repo).unwrap();
    symlink(&outside, repo.join("main.ward")).unwrap();
    let o = fmt(&repo, &["main.ward"]);
    assert_eq!(o.status.code(), Some(2), "{}", said(&o));
    assert!(
        stderr(&o).contains("error[E0603]: cannot format `main.ward`: it is a symbolic link"),
        "{}",
        said(&o)
    );
    assert_eq!(fs::read_to_string(&outside).unwrap(), UNFORMATTED);
    assert!(fs::symlink_metadata(repo.join("main.ward"))
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn a_folder_walk_stays_inside_and_never_loops_or_reads_devices() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    write(&outside.join("victim.ward"), UNFORMATTED);
    let repo = tmp.path().join("repo");
    write(&repo.join("main.ward"), UNFORMATTED);
    // A symlinked folder out of the repository, two symlink loops, a symlink
    // to an endless device, a symlinked file pointing out, and a FIFO.
    symlink(&outside, repo.join("linked")).unwrap();
    symlink(".", repo.join("loop1")).unwrap();
    symlink("..", repo.join("loop2")).unwrap();
    symlink("/dev/zero", repo.join("zero.ward")).unwrap();
    symlink(outside.join("victim.ward"), repo.join("victim.ward")).unwrap();
    mkfifo(&repo.join("pipe.ward"));

    let o = fmt(&repo, &["--check", "."]);
    assert_eq!(o.status.code(), Some(1), "{}", said(&o));
    let printed = stdout(&o);
    let listed: Vec<&str> = printed.lines().collect();
    assert_eq!(listed.len(), 1, "{}", said(&o));
    assert!(listed[0].ends_with("main.ward"), "{}", said(&o));

    let o = fmt(&repo, &["."]);
    assert_eq!(o.status.code(), Some(0), "{}", said(&o));
    assert_eq!(
        fs::read_to_string(repo.join("main.ward")).unwrap(),
        FORMATTED
    );
    assert_eq!(
        fs::read_to_string(outside.join("victim.ward")).unwrap(),
        UNFORMATTED,
        "a file outside the repository is never rewritten"
    );
}

#[test]
fn a_fifo_or_device_named_directly_is_refused_without_blocking() {
    let tmp = tempfile::tempdir().unwrap();
    mkfifo(&tmp.path().join("pipe.ward"));
    let o = fmt(tmp.path(), &["pipe.ward"]);
    assert_eq!(o.status.code(), Some(2), "{}", said(&o));
    assert!(
        stderr(&o).contains("it is not a regular file"),
        "{}",
        said(&o)
    );
    let o = fmt(tmp.path(), &["/dev/zero"]);
    assert_eq!(o.status.code(), Some(2), "{}", said(&o));
}

#[test]
fn formatting_keeps_permissions_and_never_splits_hard_links() {
    let tmp = tempfile::tempdir().unwrap();
    let private = tmp.path().join("private.ward");
    write(&private, UNFORMATTED);
    fs::set_permissions(&private, fs::Permissions::from_mode(0o600)).unwrap();
    let o = fmt(tmp.path(), &["private.ward"]);
    assert_eq!(o.status.code(), Some(0), "{}", said(&o));
    assert_eq!(fs::read_to_string(&private).unwrap(), FORMATTED);
    assert_eq!(fs::metadata(&private).unwrap().mode() & 0o777, 0o600);

    let linked = tmp.path().join("linked.ward");
    write(&linked, UNFORMATTED);
    fs::hard_link(&linked, tmp.path().join("other-name.ward")).unwrap();
    let o = fmt(tmp.path(), &["linked.ward"]);
    assert_eq!(o.status.code(), Some(2), "{}", said(&o));
    assert!(stderr(&o).contains("hard links"), "{}", said(&o));
    assert_eq!(
        fs::metadata(&linked).unwrap().nlink(),
        2,
        "the link is kept"
    );
    assert_eq!(fs::read_to_string(&linked).unwrap(), UNFORMATTED);
}
