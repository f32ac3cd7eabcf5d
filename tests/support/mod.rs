//! Shared helpers for the end-to-end tests: run the `ward` binary, find the
//! external tools (Graphviz, Chromium, Neovim, node tools) and fail with a
//! clear message when one is missing: an end-to-end test never skips quietly.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "tools.rs"]
mod tools;
pub use tools::{find_tool, missing_tool, require_tool};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn ward() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ward"));
    cmd.env("NO_COLOR", "1").env_remove("WARD_LOG");
    cmd
}

/// Runs `ward ARGS` in `dir` and returns its output.
pub fn run_ward(dir: &Path, args: &[&str]) -> Output {
    ward()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the ward binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A node tool installed by `scripts/test` under `tests/node/node_modules/.bin`.
pub fn require_node_tool(name: &str) -> PathBuf {
    let path = repo_root().join("tests/node/node_modules/.bin").join(name);
    if !path.exists() {
        missing_tool(&format!(
            "this end-to-end test needs `{name}` from npm: run scripts/test, or `cd tests/node && npm ci`"
        ));
    }
    path
}

/// Copies a folder tree (for tests that write into a model folder).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "out" {
                copy_tree(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file below `dir` (its full path), sorted.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}
