//! Every diagnostic code with its long description, generated from
//! `docs/diagnostics/CODE.md` by the build script: the [`Code`] enum (one
//! variant per page, so a code without a page does not compile) and the
//! [`CODES`] catalog `ward explain` prints.

use crate::Severity;

#[derive(Debug)]
pub struct CodeInfo {
    pub code: &'static str,
    /// One line, from the file's `# CODE: summary` heading.
    pub summary: &'static str,
    /// The whole Markdown file: description, example, fix.
    pub text: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/codes.rs"));

impl Code {
    /// Its page: summary and text.
    pub fn info(self) -> &'static CodeInfo {
        &CODES[self as usize]
    }
    /// The one-line summary of its page.
    pub fn summary(self) -> &'static str {
        self.info().summary
    }
    /// The severity its class gives: `E` codes are errors, `W` codes
    /// warnings (a denied warning keeps its `W`, see
    /// [`crate::Diagnostic::denied_warning`]).
    pub fn severity(self) -> Severity {
        if self.as_str().starts_with('E') {
            Severity::Error
        } else {
            Severity::Warning
        }
    }
    /// Whether it is a syntax code (E0001-E0099, W0001-W0099): the parser's.
    pub fn is_syntax(self) -> bool {
        self.as_str()[1..].starts_with("00")
    }
    /// The code spelt `text`, case-insensitively (`e0001` works).
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(text))
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// So that tests and tools can compare with the printed form.
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.as_str()
    }
}

/// The catalog entry of a code, case-insensitively (`e0001` works).
pub fn explain(code: &str) -> Option<&'static CodeInfo> {
    Code::parse(code).map(Code::info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_variant_is_its_catalog_entry() {
        assert_eq!(Code::ALL.len(), CODES.len());
        for (code, info) in Code::ALL.iter().zip(CODES) {
            assert_eq!(code.as_str(), info.code);
            assert_eq!(code.info().code, info.code);
        }
        assert_eq!(Code::parse("e0001"), Some(Code::E0001));
        assert_eq!(Code::E0001.severity(), Severity::Error);
        assert_eq!(Code::W0101.severity(), Severity::Warning);
        assert_eq!(Code::parse("E9999"), None);
    }
}
