//! What every JSON import shares: the size cap, typed parsing whose errors
//! carry the line and column serde_json reports, and the located error.

use serde::de::DeserializeOwned;
use std::fmt;

/// The largest supply-chain file read, in bytes. A CycloneDX SBOM of a
/// large container image is a few MB; OSV and KEV slices are smaller.
pub const MAX_SUPPLY_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// A position in a file's text: 1-based line, 1-based column in bytes
/// (as serde_json counts them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl Location {
    /// The byte offset of this position in `text`, clamped to the text and
    /// to a character boundary.
    pub fn offset_in(self, text: &str) -> usize {
        let mut start = 0;
        for _ in 1..self.line {
            match text[start..].find('\n') {
                Some(i) => start += i + 1,
                None => return text.len(),
            }
        }
        let mut at = (start + self.column.saturating_sub(1)).min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    /// The position of a byte offset of `text`.
    pub fn of_offset(text: &str, offset: usize) -> Location {
        let before = &text.as_bytes()[..offset.min(text.len())];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        Location {
            line,
            column: before.len() - line_start + 1,
        }
    }
}

/// What kind of problem a file has; the model maps each to its diagnostic
/// code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Over [`MAX_SUPPLY_FILE_BYTES`] or over a count limit of the format.
    TooLarge,
    /// Not JSON: a syntax error, or the text ends early.
    Syntax,
    /// JSON, but not the format: a missing field, a value of the wrong type,
    /// a document of another format.
    Shape,
    /// The format, at a version Ward does not read.
    UnsupportedVersion,
    /// Two entries with the same identifier (`bom-ref`, `SPDXID`, ...).
    DuplicateId,
    /// A warning: a reference (a dependency, a relationship) that names no
    /// entry of the document; the import leaves it out.
    DanglingReference,
    /// A warning: a dependency that closes a cycle; the import cuts it.
    DependencyCycle,
}

/// A problem with a supply-chain file, where it is and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SupplyError {
    pub kind: ErrorKind,
    pub message: String,
    /// `None` when the problem is the whole file (its size).
    pub location: Option<Location>,
    pub help: String,
    /// Where the first of two duplicates is, for a second label.
    pub first: Option<Location>,
}

impl SupplyError {
    pub fn new(
        kind: ErrorKind,
        location: Option<Location>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> SupplyError {
        SupplyError {
            kind,
            message: message.into(),
            location,
            help: help.into(),
            first: None,
        }
    }
}

impl fmt::Display for SupplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location {
            Some(l) => write!(f, "{}:{}: {}", l.line, l.column, self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for SupplyError {}

/// Checks `text` against [`MAX_SUPPLY_FILE_BYTES`] (the loader caps its
/// read at the same number; this holds for text from anywhere).
pub fn check_size(text: &str, what: &str) -> Result<(), SupplyError> {
    if text.len() as u64 > MAX_SUPPLY_FILE_BYTES {
        return Err(SupplyError::new(
            ErrorKind::TooLarge,
            None,
            format!(
                "the {what} is {} bytes, over Ward's limit of {MAX_SUPPLY_FILE_BYTES} bytes",
                text.len()
            ),
            "split the document, or import only the part this component runs",
        ));
    }
    Ok(())
}

/// Parses `text` as `T`. A syntax error or an early end is [`ErrorKind::Syntax`],
/// a value that does not fit `T` is [`ErrorKind::Shape`]; both at serde_json's
/// line and column.
pub fn parse<T: DeserializeOwned>(text: &str, what: &str) -> Result<T, SupplyError> {
    serde_json::from_str(text).map_err(|e| from_serde(&e, what))
}

/// A serde_json error as a located [`SupplyError`].
pub fn from_serde(e: &serde_json::Error, what: &str) -> SupplyError {
    use serde_json::error::Category;
    let location = (e.line() > 0).then(|| Location {
        line: e.line(),
        column: e.column().max(1),
    });
    // serde_json's message ends with " at line L column C": the location
    // is shown by the diagnostic itself.
    let full = e.to_string();
    let message = full
        .rsplit_once(" at line ")
        .map_or(full.as_str(), |(m, _)| m)
        .to_string();
    match e.classify() {
        Category::Eof => SupplyError::new(
            ErrorKind::Syntax,
            location,
            format!("the {what} ends early: {message}"),
            "the file looks truncated: export it again from the tool that made it",
        ),
        Category::Syntax | Category::Io => SupplyError::new(
            ErrorKind::Syntax,
            location,
            format!("the {what} is not valid JSON: {message}"),
            "fix the JSON at this place, or export the file again",
        ),
        Category::Data => SupplyError::new(
            ErrorKind::Shape,
            location,
            format!("the {what} does not match its format: {message}"),
            "check this value against the format's schema",
        ),
    }
}

/// Where the string `value` of the `nth` (0-based) `"key": "value"` pair is
/// in `text`: how an error names an entry that serde's typed parse has
/// already left behind (a duplicate identifier, a dangling reference).
pub fn locate_string(text: &str, key: &str, value: &str, nth: usize) -> Option<Location> {
    let quoted_key = serde_json::to_string(key).ok()?;
    let quoted_value = serde_json::to_string(value).ok()?;
    let mut seen = 0;
    let mut from = 0;
    while let Some(i) = text[from..].find(&quoted_key) {
        let after_key = from + i + quoted_key.len();
        let rest = text[after_key..].trim_start();
        if let Some(rest) = rest.strip_prefix(':') {
            let value_text = rest.trim_start();
            if value_text.starts_with(&quoted_value) {
                if seen == nth {
                    let at = text.len() - value_text.len();
                    return Some(Location::of_offset(text, at));
                }
                seen += 1;
            }
        }
        from = after_key;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_locations_round_trip() {
        let text = "{\n  \"a\": 1,\n  \"b\": \"x\"\n}";
        let at = Location { line: 3, column: 8 };
        assert_eq!(&text[at.offset_in(text)..at.offset_in(text) + 3], "\"x\"");
        assert_eq!(Location::of_offset(text, at.offset_in(text)), at);
    }

    #[test]
    fn a_truncated_document_is_a_syntax_error_at_its_end() {
        let e = parse::<serde_json::Value>("{\n  \"a\": [1,", "SBOM").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Syntax);
        assert_eq!(e.location.unwrap().line, 2);
        assert!(e.message.contains("ends early"), "{}", e.message);
    }

    #[test]
    fn a_wrong_type_is_a_shape_error_at_the_value() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Doc {
            n: u32,
        }
        let e = parse::<Doc>("{\n  \"n\": \"three\"\n}", "SBOM").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Shape);
        assert_eq!(e.location.unwrap().line, 2);
        assert!(!e.message.contains("at line"), "{}", e.message);
    }

    #[test]
    fn finds_the_nth_key_value_pair() {
        let text = r#"[{"bom-ref": "a"}, {"bom-ref" : "a"}]"#;
        assert_eq!(
            locate_string(text, "bom-ref", "a", 1),
            Some(Location {
                line: 1,
                column: 33
            })
        );
        assert_eq!(locate_string(text, "bom-ref", "a", 2), None);
    }

    #[test]
    fn over_the_cap_is_too_large() {
        assert!(check_size("{}", "SBOM").is_ok());
    }
}
