//! Renderers: a terminal report through codespan-reporting, and JSON.

use crate::{Diagnostic, Severity, SourceMap};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor};
use serde_json::json;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Always,
    Never,
}

struct Adapter<'a>(&'a SourceMap);

impl<'a> Files<'a> for Adapter<'a> {
    type FileId = crate::FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: Self::FileId) -> Result<&'a str, FilesError> {
        Ok(&self.0.get(id).name)
    }
    fn source(&'a self, id: Self::FileId) -> Result<&'a str, FilesError> {
        Ok(&self.0.get(id).text)
    }
    fn line_index(&'a self, id: Self::FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.0.get(id).line_index(byte_index))
    }
    fn line_range(
        &'a self,
        id: Self::FileId,
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, FilesError> {
        let file = self.0.get(id);
        let starts = file.line_starts();
        let start = *starts.get(line_index).ok_or(FilesError::LineTooLarge {
            given: line_index,
            max: starts.len() - 1,
        })?;
        let end = starts
            .get(line_index + 1)
            .copied()
            .unwrap_or(file.text.len());
        Ok(start..end)
    }
}

fn to_codespan(d: &Diagnostic) -> cs::Diagnostic<crate::FileId> {
    let base = match d.severity {
        Severity::Error => cs::Diagnostic::error(),
        Severity::Warning => cs::Diagnostic::warning(),
    };
    let mut labels = vec![cs::Label::primary(d.span.file, d.span.range())
        .with_message(d.primary_label.clone().unwrap_or_default())];
    labels.extend(d.labels.iter().map(|l| {
        cs::Label::secondary(l.span.file, l.span.range()).with_message(l.message.clone())
    }));
    let mut notes: Vec<String> = d.help.iter().map(|h| format!("help: {h}")).collect();
    notes.extend(d.notes.iter().map(|n| format!("note: {n}")));
    base.with_code(d.code)
        .with_message(d.message.clone())
        .with_labels(labels)
        .with_notes(notes)
}

/// Renders diagnostics as rustc-style text, coloured when asked.
pub fn render_terminal(
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    color: ColorChoice,
) -> String {
    let mut buffer = match color {
        ColorChoice::Always => termcolor::Buffer::ansi(),
        ColorChoice::Never => termcolor::Buffer::no_color(),
    };
    let config = term::Config::default();
    let files = Adapter(sources);
    for d in diagnostics {
        term::emit_to_write_style(&mut buffer, &config, &files, &to_codespan(d))
            .expect("writing to a buffer cannot fail");
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// One JSON object per diagnostic, one per line.
pub fn render_json(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&json_value(sources, d).to_string());
        out.push('\n');
    }
    out
}

pub(crate) fn location(sources: &SourceMap, span: crate::Span) -> serde_json::Value {
    let file = sources.get(span.file);
    let start = file.line_col(span.start as usize);
    let end = file.line_col(span.end as usize);
    json!({
        "file": file.name,
        "start_line": start.line,
        "start_column": start.column,
        "end_line": end.line,
        "end_column": end.column,
    })
}

pub(crate) fn json_value(sources: &SourceMap, d: &Diagnostic) -> serde_json::Value {
    let mut v = json!({
        "code": d.code,
        "severity": d.severity,
        "message": d.message,
    });
    let obj = v.as_object_mut().unwrap();
    if let serde_json::Value::Object(loc) = location(sources, d.span) {
        obj.extend(loc);
    }
    obj.insert("label".into(), json!(d.primary_label));
    obj.insert(
        "labels".into(),
        d.labels
            .iter()
            .map(|l| {
                let mut loc = location(sources, l.span);
                loc.as_object_mut()
                    .unwrap()
                    .insert("message".into(), json!(l.message));
                loc
            })
            .collect(),
    );
    obj.insert("help".into(), json!(d.help));
    obj.insert("notes".into(), json!(d.notes));
    obj.insert("fixes".into(), crate::fix::fixes_json(sources, &d.fixes));
    v
}
