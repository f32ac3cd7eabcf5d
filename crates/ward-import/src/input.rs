//! The input file of an import: read through the model loader's bounded
//! reader (a regular file only, never a FIFO or device, at most
//! [`MAX_INPUT_BYTES`]), and positions in it for diagnostics.

use crate::codes;
use crate::ir::Location;
use std::path::Path;
use ward_diagnostics::{Diagnostic, FileId, Span};

/// The largest input read, in bytes. Real Threagile and Threat Dragon
/// models are well under 1 MB (the demos here: 60 KB and 81 KB); a
/// diagram-heavy Threat Dragon model of thousands of cells stays under a
/// few MB. 16 MiB keeps the parse's memory bounded whatever the file.
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// The input's text and where diagnostics about it point.
pub struct Input<'a> {
    /// The file's id in the caller's `SourceMap`.
    pub file: FileId,
    pub text: &'a str,
}

impl Input<'_> {
    /// The span of one character at a 1-based line and column (the end of
    /// the text when past it).
    pub fn span_at(&self, location: Location) -> Span {
        let offset = self.offset(location);
        let end = self.text[offset..]
            .chars()
            .next()
            .map_or(offset, |c| offset + c.len_utf8());
        Span::new(self.file, offset, end)
    }

    /// The span of the text from `location` to the end of its line.
    pub fn line_span(&self, location: Location) -> Span {
        let offset = self.offset(location);
        let end = self.text[offset..]
            .find('\n')
            .map_or(self.text.len(), |n| offset + n);
        Span::new(self.file, offset, end.max(offset))
    }

    fn offset(&self, location: Location) -> usize {
        let mut offset = 0;
        for _ in 1..location.line.max(1) {
            match self.text[offset..].find('\n') {
                Some(n) => offset += n + 1,
                None => return self.text.len(),
            }
        }
        let line_end = self.text[offset..]
            .find('\n')
            .map_or(self.text.len(), |n| offset + n);
        self.text[offset..line_end]
            .char_indices()
            .nth(location.column.saturating_sub(1))
            .map_or(line_end, |(i, _)| offset + i)
    }

    /// The location of a byte offset.
    pub fn location_of(&self, offset: usize) -> Location {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |n| n + 1);
        Location {
            line,
            column: before[line_start..].chars().count() + 1,
        }
    }

    /// An error at `location` (a whole-line span: the entry it is about).
    pub fn error(
        &self,
        code: ward_diagnostics::Code,
        location: Option<Location>,
        message: impl Into<String>,
    ) -> Diagnostic {
        match location {
            Some(at) => Diagnostic::error(code, self.line_span(at), message),
            None => Diagnostic::error(code, Span::new(self.file, 0, 0), message),
        }
    }
}

/// Reads the input file as UTF-8 text (a leading byte-order mark dropped).
/// Errors carry no span (E0620), except text that is not UTF-8 (E0621,
/// whose position the message names).
pub fn read_input(path: &Path) -> Result<String, Diagnostic> {
    let shown = path.display();
    let bytes = ward_model::read_bytes_at_most(path, MAX_INPUT_BYTES).map_err(|err| {
        let why = match err {
            ward_model::SourceReadError::TooLarge => format!(
                "it is larger than {} MiB, the most `ward import` reads",
                MAX_INPUT_BYTES / (1024 * 1024)
            ),
            other => other.to_string(),
        };
        Diagnostic::error_without_location(
            codes::INPUT_UNREADABLE,
            format!("cannot read `{shown}`: {why}; nothing was written"),
        )
        .with_help("give the path of a Threagile YAML or Threat Dragon JSON file")
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text
            .strip_prefix('\u{feff}')
            .map(str::to_owned)
            .unwrap_or(text)),
        Err(err) => {
            let good = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            let good = std::str::from_utf8(good).unwrap_or_default();
            let line = good.matches('\n').count() + 1;
            let column = good[good.rfind('\n').map_or(0, |n| n + 1)..]
                .chars()
                .count()
                + 1;
            Err(Diagnostic::error_without_location(
                codes::INPUT_SYNTAX,
                format!("`{shown}` is not UTF-8 text: the first bad byte is at line {line}, column {column}; nothing was written"),
            )
            .with_help("save the file as UTF-8"))
        }
    }
}
