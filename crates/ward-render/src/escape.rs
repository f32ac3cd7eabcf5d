//! Escaping of model text for each output format. Model strings are
//! untrusted: a title may hold `<script>`, `"`, `|`, a newline or `=cmd()`.
//! Templates get these as tera escape functions, so every `{{ value }}`
//! in a template is escaped for its format unless marked `safe`.

use std::io::{self, Write};

/// HTML text and (quoted) attribute values.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// HTML text in which `` `code` `` spans (as diagnostics write them) become
/// `<code>` elements; everything is escaped first, an unpaired backtick stays.
pub fn html_code_spans(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    let mut out = String::with_capacity(s.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        let inside = i % 2 == 1;
        if inside && i == parts.len() - 1 {
            // An odd backtick count: the last one opens no span.
            out.push('`');
            out.push_str(&html(part));
        } else if inside {
            out.push_str("<code>");
            out.push_str(&html(part));
            out.push_str("</code>");
        } else {
            out.push_str(&html(part));
        }
    }
    out
}

/// A Markdown table cell: pipes and backslashes escaped, inline HTML
/// neutralised (`<` and `&` as entities; a lone `>` is harmless inside a
/// cell and kept readable), newlines as `<br>`, link and code syntax escaped.
pub fn markdown_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '|' | '`' | '*' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("<br>");
                }
            }
            '\n' => out.push_str("<br>"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `s`, with a leading `'` when a spreadsheet would read it as a formula
/// (first character `=`, `+`, `-`, `@`, tab or CR).
pub fn csv_neutral(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

/// A CSV field: a value a spreadsheet would read as a formula (first
/// character `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`; then quoted
/// by the csv crate where needed.
pub fn csv_field(s: &str) -> String {
    let value = csv_neutral(s);
    if value.is_empty() {
        return String::new();
    }
    // A one-field record, so the writer closes the quotes; then without its terminator.
    let mut writer = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Necessary)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    writer
        .write_record([value.as_ref()])
        .expect("writing to memory cannot fail");
    let mut bytes = writer.into_inner().expect("writing to memory cannot fail");
    bytes.pop();
    String::from_utf8(bytes).expect("csv keeps UTF-8")
}

/// A DOT double-quoted string, quotes included. DOT itself only knows `\"`;
/// label processing then reads `\n`, `\l`, `\N`... so a backslash is doubled
/// (never a label escape), quotes are escaped, newlines become `\n`, other
/// control characters are dropped.
pub fn dot_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for a one-line comment (DOT `//`): control characters, line
/// breaks included, become spaces, so the comment cannot end early.
pub fn comment_line(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// Tera escape function for `.html` templates.
pub(crate) fn tera_html(s: &str, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(html(s).as_bytes())
}

/// Tera escape function for `.md` templates.
pub(crate) fn tera_markdown(s: &str, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(markdown_cell(s).as_bytes())
}

/// Tera escape function for `.csv` templates.
pub(crate) fn tera_csv(s: &str, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(csv_field(s).as_bytes())
}

/// Standard base64 with padding (for the CSP script hash).
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &[&str] = &[
        "<script>alert(1)</script>",
        "\"quoted\" & 'single'",
        "a|b\\c",
        "line1\nline2\r\nline3",
        "=HYPERLINK(\"http://x\")",
        "+1",
        "-2+3",
        "@SUM(A1)",
        "\tlead tab",
        "\rlead cr",
        "][link](javascript:x)`code`*em*",
        "\\N \\G \\\" \\l",
        "ünïcödé → ✓",
    ];

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            html("<script>alert('x')</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
        );
        assert_eq!(html("a \"b\" & c"), "a &quot;b&quot; &amp; c");
        for s in HOSTILE {
            let e = html(s);
            assert!(!e.contains(['<', '>', '"', '\'']), "{e}");
            // Every `&` starts an entity we wrote.
            for (i, _) in e.match_indices('&') {
                let rest = &e[i..];
                assert!(
                    ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                        .iter()
                        .any(|p| rest.starts_with(p)),
                    "{e}"
                );
            }
        }
    }

    #[test]
    fn code_spans_pair_backticks() {
        assert_eq!(html_code_spans("a `b` c"), "a <code>b</code> c");
        assert_eq!(html_code_spans("odd ` tick"), "odd ` tick");
        assert_eq!(html_code_spans("`<script>`"), "<code>&lt;script&gt;</code>");
        for s in HOSTILE {
            assert!(!html_code_spans(s).contains("<script"), "{s}");
        }
    }

    #[test]
    fn markdown_cells_cannot_break_the_table() {
        assert_eq!(markdown_cell("a|b"), "a\\|b");
        assert_eq!(markdown_cell("x\ny"), "x<br>y");
        assert_eq!(markdown_cell("x\r\ny"), "x<br>y");
        assert_eq!(markdown_cell("<b>"), "&lt;b>");
        assert_eq!(markdown_cell("[a](b)"), "\\[a\\](b)");
        for s in HOSTILE {
            let e = markdown_cell(s);
            assert!(
                !e.contains('\n') && !e.contains('\r') && !e.contains('<') || e.contains("<br>"),
                "{e}"
            );
            assert!(!e.replace("<br>", "").contains('<'), "{e}");
            // Every pipe is escaped by an odd run of backslashes.
            for (i, _) in e.match_indices('|') {
                let run = e[..i].chars().rev().take_while(|&c| c == '\\').count();
                assert_eq!(run % 2, 1, "{e}");
            }
        }
    }

    #[test]
    fn csv_fields_neutralise_formulas_and_round_trip() {
        assert_eq!(csv_field("=1+1"), "'=1+1");
        assert_eq!(csv_field("+1"), "'+1");
        assert_eq!(csv_field("-1"), "'-1");
        assert_eq!(csv_field("@x"), "'@x");
        assert_eq!(csv_field("\tx"), "'\tx");
        assert_eq!(csv_field("\rx"), "\"'\rx\"");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
        let line: Vec<String> = HOSTILE.iter().map(|s| csv_field(s)).collect();
        let text = format!("{}\n", line.join(","));
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(record.len(), HOSTILE.len());
        for (got, want) in record.iter().zip(HOSTILE) {
            let formula = want.starts_with(['=', '+', '-', '@', '\t', '\r']);
            let want = if formula {
                format!("'{want}")
            } else {
                want.to_string()
            };
            assert_eq!(got, want);
            assert!(!got.starts_with(['=', '+', '-', '@', '\t', '\r']));
        }
    }

    #[test]
    fn dot_strings_stay_one_quoted_token() {
        assert_eq!(dot_string("a\"b"), "\"a\\\"b\"");
        assert_eq!(dot_string("a\\b"), "\"a\\\\b\"");
        assert_eq!(dot_string("a\nb"), "\"a\\nb\"");
        assert_eq!(dot_string("\\N"), "\"\\\\N\"");
        for s in HOSTILE {
            let e = dot_string(s);
            assert!(!e.contains(['\n', '\r', '\t']), "{e}");
            // Walk the string as DOT's lexer would: it must end exactly at the last quote.
            let inner = &e[1..];
            let mut escaped = false;
            let mut end = None;
            for (i, c) in inner.char_indices() {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => {
                        end = Some(i);
                        break;
                    }
                    _ => {}
                }
            }
            assert_eq!(end, Some(inner.len() - 1), "{e}");
        }
    }

    #[test]
    fn comments_stay_on_one_line() {
        for s in HOSTILE {
            assert!(!comment_line(s).contains(['\n', '\r']), "{s}");
        }
    }

    #[test]
    fn base64_matches_known_vectors() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
