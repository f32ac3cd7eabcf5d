//! Finding the external programs the end-to-end tests drive (Graphviz,
//! Chromium, Neovim). Shared by the root crate's tests and the crates' own
//! end-to-end tests through `#[path]`, so that every missing tool fails the
//! same way: one line that names the tool and the command that installs it,
//! and no backtrace.
#![allow(dead_code)]

use std::path::PathBuf;

/// The path of `program` on `PATH`, if any.
pub fn find_tool(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|p| p.is_file())
    })
}

/// The path of `program`, or a failed test with one line saying how to
/// install it. The failure unwinds without the panic hook, so no backtrace
/// is printed whatever `RUST_BACKTRACE` says.
pub fn require_tool(program: &str, install: &str) -> PathBuf {
    find_tool(program).unwrap_or_else(|| {
        missing_tool(&format!(
            "this end-to-end test needs `{program}`, which is not installed: run scripts/test, or `{install}`"
        ))
    })
}

/// Fails the running test with `line` and nothing else.
pub fn missing_tool(line: &str) -> ! {
    eprintln!("{line}");
    std::panic::resume_unwind(Box::new(line.to_string()))
}

/// A Python interpreter that can import every one of `modules` (the readers
/// in tests/python/requirements.txt): `WARD_TEST_PYTHON`, which scripts/test
/// points at its virtual environment, else `python3`. Fails the test with
/// one line naming what is missing.
pub fn require_python(modules: &[&str]) -> PathBuf {
    let python = std::env::var_os("WARD_TEST_PYTHON")
        .map(PathBuf::from)
        .or_else(|| find_tool("python3"))
        .unwrap_or_else(|| missing_tool("this end-to-end test needs Python 3: run scripts/test"));
    let imports = modules
        .iter()
        .map(|m| format!("import {m}"))
        .collect::<Vec<_>>()
        .join("; ");
    let ok = std::process::Command::new(&python)
        .args(["-c", &imports])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        missing_tool(&format!(
            "this end-to-end test needs the Python modules {modules:?} in {}: run scripts/test, which installs tests/python/requirements.txt",
            python.display()
        ));
    }
    python
}
