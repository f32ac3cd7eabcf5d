//! Renderers: a terminal report through codespan-reporting, and JSON.

use crate::snippet::Snippet;
use crate::{terminal_safe, Diagnostic, Severity, SourceMap};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::term::{self, termcolor};
use serde_json::json;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Always,
    Never,
}

/// At most this many diagnostics of one code are printed per file; the
/// rest are counted in one line, so that a flood of one mistake (8,000
/// unknown references on a line) prints a bounded report.
pub const MAX_SHOWN_PER_CODE_AND_FILE: usize = 100;

/// `d` (whose span is `primary`) for codespan: its text escaped for the
/// terminal, its labels at `ranges` of the [`Snippet`] (primary first).
fn to_codespan(
    d: &Diagnostic,
    primary: crate::Span,
    ranges: &[std::ops::Range<usize>],
) -> cs::Diagnostic<crate::FileId> {
    let base = match d.severity {
        Severity::Error => cs::Diagnostic::error(),
        Severity::Warning => cs::Diagnostic::warning(),
    };
    let safe = |text: &str| terminal_safe(text).into_owned();
    let mut labels = vec![cs::Label::primary(primary.file, ranges[0].clone())
        .with_message(safe(d.primary_label.as_deref().unwrap_or_default()))];
    labels.extend(d.labels.iter().zip(&ranges[1..]).map(|(l, range)| {
        cs::Label::secondary(l.span.file, range.clone()).with_message(safe(&l.message))
    }));
    let mut notes: Vec<String> = d
        .help
        .iter()
        .map(|h| format!("help: {}", safe(h)))
        .collect();
    notes.extend(d.notes.iter().map(|n| format!("note: {}", safe(n))));
    base.with_code(d.code.as_str())
        .with_message(safe(&d.message))
        .with_labels(labels)
        .with_notes(notes)
}

/// Renders diagnostics as rustc-style text, coloured when asked. Text from
/// the model is escaped ([`terminal_safe`]), long source lines are cut to
/// a window around the label, and past [`MAX_SHOWN_PER_CODE_AND_FILE`]
/// diagnostics of one code in one file the rest are counted, not shown.
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
    let mut shown: BTreeMap<(crate::FileId, crate::Code), usize> = BTreeMap::new();
    for d in diagnostics {
        let Some(span) = d.span else {
            std::io::Write::write_all(&mut buffer, without_location(d).as_bytes())
                .expect("writing to a buffer cannot fail");
            continue;
        };
        let count = shown.entry((span.file, d.code)).or_default();
        *count += 1;
        if *count > MAX_SHOWN_PER_CODE_AND_FILE {
            continue;
        }
        let (snippet, ranges) = Snippet::new(sources, span, d, &config);
        term::emit_to_write_style(
            &mut buffer,
            &config,
            &snippet,
            &to_codespan(d, span, &ranges),
        )
        .expect("writing to a buffer cannot fail");
    }
    let mut out = String::from_utf8_lossy(buffer.as_slice()).into_owned();
    for ((file, code), count) in shown {
        if count > MAX_SHOWN_PER_CODE_AND_FILE {
            out.push_str(&format!(
                "note: {} more {code} diagnostics in {} not shown (`--message-format json` lists every one)\n\n",
                count - MAX_SHOWN_PER_CODE_AND_FILE,
                terminal_safe(&sources.get(file).name)
            ));
        }
    }
    out
}

/// A diagnostic in no source file, as plain lines: `error[CODE]: message`,
/// then its help and notes.
fn without_location(d: &Diagnostic) -> String {
    let mut out = String::new();
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    out.push_str(&format!(
        "{kind}[{}]: {}\n",
        d.code,
        terminal_safe(&d.message)
    ));
    if let Some(help) = &d.help {
        out.push_str(&format!("  = help: {}\n", terminal_safe(help)));
    }
    for note in &d.notes {
        out.push_str(&format!("  = note: {}\n", terminal_safe(note)));
    }
    out
}

/// One JSON object per diagnostic, one per line. A diagnostic in no source
/// file has no location fields (`file`, `start_line`, ...).
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
    if let Some(serde_json::Value::Object(loc)) = d.span.map(|span| location(sources, span)) {
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
    obj.insert("threat".into(), json!(d.subject.threat));
    obj.insert("rule".into(), json!(d.subject.rule));
    obj.insert("element".into(), json!(d.subject.element));
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Diagnostic, SourceFile, Span, SNIPPET_WIDTH};

    fn one_file(text: &str) -> (SourceMap, crate::FileId) {
        let mut sources = SourceMap::new();
        let id = sources.add(SourceFile::new("main.ward", None, text));
        (sources, id)
    }

    /// The source line shown in a rendering and the caret line under it.
    fn snippet_lines(rendered: &str) -> (&str, &str) {
        let lines: Vec<&str> = rendered.lines().collect();
        let carets = lines.iter().position(|l| l.contains('^')).expect("carets");
        (lines[carets - 1], lines[carets])
    }

    #[test]
    fn json_names_the_subject_of_a_finding_and_null_without_one() {
        let (sources, id) = one_file("threat x\n");
        let span = Span::new(id, 7, 8);
        let plain = Diagnostic::warning(crate::Code::W0402, span, "m");
        let about = plain.clone().with_subject(crate::Subject {
            threat: Some("spoofing@pump".into()),
            rule: Some("spoofing".into()),
            element: Some("pump".into()),
        });
        let plain = json_value(&sources, &plain);
        for field in ["threat", "rule", "element"] {
            assert!(plain[field].is_null(), "{field}: {plain}");
        }
        let about = json_value(&sources, &about);
        assert_eq!(about["threat"], "spoofing@pump");
        assert_eq!(about["rule"], "spoofing");
        assert_eq!(about["element"], "pump");
    }

    #[test]
    fn a_long_line_is_shown_as_a_window_around_the_label_with_true_line_and_column() {
        let head = "x".repeat(5_000);
        let tail = "y".repeat(5_000);
        let text = format!("first\n{head} target {tail}\n");
        let (sources, id) = one_file(&text);
        let at = 6 + head.len() + 1;
        let d = Diagnostic::error(crate::Code::E0111, Span::new(id, at, at + 6), "unknown id");
        let out = render_terminal(&sources, &[d], ColorChoice::Never);
        assert!(out.contains("main.ward:2:5002"), "{out}");
        for line in out.lines() {
            assert!(line.chars().count() < SNIPPET_WIDTH + 20, "{line}");
        }
        let (source, carets) = snippet_lines(&out);
        assert!(source.contains('…'));
        let start = carets.find('^').unwrap();
        let under: String = source
            .chars()
            .skip(carets[..start].chars().count())
            .take(6)
            .collect();
        assert_eq!(under, "target");
        assert_eq!(carets.matches('^').count(), 6);
    }

    #[test]
    fn control_characters_from_the_model_reach_the_terminal_escaped() {
        let text = "component \u{1b}]0;pwned\u{7} \u{202e}x\n";
        let (sources, id) = one_file(text);
        let d = Diagnostic::error(
            crate::Code::E0001,
            Span::new(id, 10, 20),
            "bad \u{1b}[31m title",
        )
        .with_note("rule title \u{1b}[2J")
        .with_primary_label("here \u{9b}");
        let out = render_terminal(&sources, &[d], ColorChoice::Never);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\u{9b}'));
        assert!(!out.contains('\u{202e}'));
        assert!(out.contains("bad \\u{1b}[31m title"), "{out}");
        assert!(out.contains("note: rule title \\u{1b}[2J"), "{out}");
        let (source, carets) = snippet_lines(&out);
        assert!(
            source.contains("component \\u{1b}]0;pwned\\u{7} \\u{202e}x"),
            "{source}"
        );
        // The label covers the escaped text of its ten bytes.
        let start = carets.find('^').unwrap();
        let under: String = source
            .chars()
            .skip(carets[..start].chars().count())
            .take(carets.matches('^').count())
            .collect();
        assert_eq!(under, "\\u{1b}]0;pwned\\u{7}");
    }

    #[test]
    fn past_the_cap_diagnostics_of_one_code_in_one_file_are_counted_not_shown() {
        let text = "a ".repeat(300);
        let (sources, id) = one_file(&text);
        let mut diagnostics: Vec<Diagnostic> = (0..250)
            .map(|i| {
                Diagnostic::error(
                    crate::Code::E0111,
                    Span::new(id, 2 * i, 2 * i + 1),
                    "unknown id",
                )
            })
            .collect();
        diagnostics.push(Diagnostic::warning(
            crate::Code::W0101,
            Span::new(id, 0, 1),
            "other",
        ));
        let out = render_terminal(&sources, &diagnostics, ColorChoice::Never);
        assert_eq!(
            out.matches("error[E0111]").count(),
            MAX_SHOWN_PER_CODE_AND_FILE
        );
        assert_eq!(out.matches("warning[W0101]").count(), 1);
        assert!(out.contains("note: 150 more E0111 diagnostics in main.ward not shown"));
    }
}
