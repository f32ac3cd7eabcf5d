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
