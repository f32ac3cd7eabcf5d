//! Every diagnostic code with its long description, generated from
//! `docs/diagnostics/CODE.md` by the build script.

#[derive(Debug)]
pub struct CodeInfo {
    pub code: &'static str,
    /// One line, from the file's `# CODE: summary` heading.
    pub summary: &'static str,
    /// The whole Markdown file: description, example, fix.
    pub text: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/codes.rs"));

/// The catalog entry of a code, case-insensitively (`e0001` works).
pub fn explain(code: &str) -> Option<&'static CodeInfo> {
    CODES.iter().find(|c| c.code.eq_ignore_ascii_case(code))
}
