//! Escaping of model text for each output format. Model strings are
//! untrusted: a title may hold `<script>`, `"`, `|`, a newline, `=cmd()`,
//! or invisible characters that reorder or hide text (Trojan Source).
//! Templates get these as tera escape functions, so every `{{ value }}`
//! in a template is escaped for its format unless marked `safe`.
//!
//! Every escaper here starts with [`neutralise`], so no artifact carries a
//! bidirectional override, a zero-width character or a control character
//! as itself: each is written as a visible `<U+XXXX>`, the way `less`
//! shows them. `model.json` and `findings.sarif` keep exact strings but
//! write these characters as JSON escapes (`\u202e`), see `json.rs`.

use std::borrow::Cow;
use std::io::{self, Write};

/// Invisible formatting characters (bidi controls and marks, zero-width
/// characters): one list for the terminal and every artifact.
pub use ward_diagnostics::is_invisible_format;

/// A character no artifact writes as itself: the invisible formatting
/// characters, and C0 and C1 control characters other than tab, line feed
/// and carriage return (which each format handles its own way).
pub fn is_hidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || is_invisible_format(c)
}

/// Whether `s` has an [`is_hidden`] character. Printable ASCII (nearly
/// all model text) is checked a byte at a time, which the compiler
/// vectorises; anything else is checked by character.
pub fn has_hidden(s: &str) -> bool {
    let visible_ascii = |b: &u8| matches!(b, 0x20..=0x7e | b'\t' | b'\n' | b'\r');
    !s.as_bytes().iter().all(visible_ascii) && s.chars().any(is_hidden)
}

/// `s` with every [`is_hidden`] character written as a visible `<U+XXXX>`
/// (ESC becomes `<U+001B>`, a right-to-left override `<U+202E>`).
pub fn neutralise(s: &str) -> Cow<'_, str> {
    if !has_hidden(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_hidden(c) {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// HTML text and (quoted) attribute values.
pub fn html(s: &str) -> String {
    let s = neutralise(s);
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
    let s = neutralise(s);
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

/// Markdown prose (not a table cell), as in SARIF `help.markdown`: the
/// characters that make links, images, autolinks, inline HTML, entities,
/// emphasis, code and strikethrough are backslash-escaped everywhere, and
/// those that start headings, lists and quotes at the start of a line; so
/// the text renders as written, never as a link, a remote image or markup.
/// Line breaks stay.
pub fn markdown_text(s: &str) -> String {
    let s = neutralise(s);
    let mut out = String::with_capacity(s.len() + 8);
    let mut line_start = true;
    for c in s.chars() {
        let special = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~'
        ) || (line_start && matches!(c, '#' | '-' | '+' | '='));
        if special {
            out.push('\\');
        }
        out.push(c);
        line_start = c == '\n' || (line_start && c == ' ');
    }
    out
}

/// `s` neutralised, with a leading `'` when a spreadsheet would read it as
/// a formula (first character `=`, `+`, `-`, `@`, tab or CR). The quote is
/// the OWASP advice: the cell shows as text, with the value still readable.
pub fn csv_neutral(s: &str) -> Cow<'_, str> {
    let s = neutralise(s);
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}").into()
    } else {
        s
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
/// (never a label escape), quotes are escaped, newlines become `\n`, tabs
/// and carriage returns are dropped, hidden characters made visible.
pub fn dot_string(s: &str) -> String {
    let s = neutralise(s);
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
    neutralise(s)
        .chars()
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

    /// Trojan Source: text that displays other than it reads.
    const INVISIBLE: &[&str] = &[
        "admin\u{202E}txt.exe",
        "a\u{2066}b\u{2069}c\u{202A}d\u{202B}e\u{202C}f\u{202D}g\u{2067}h\u{2068}i",
        "zero\u{200B}width\u{200C}non\u{200D}joiner\u{2060}word\u{FEFF}bom",
        "mark\u{200E}\u{200F}\u{061C}",
        "esc\u{1b}[31mred\u{7}bell\u{0}nul\u{7f}del\u{85}nel\u{9b}csi",
    ];

    #[test]
    fn hidden_characters_become_visible_in_every_format() {
        assert_eq!(neutralise("a\u{202E}b"), "a<U+202E>b");
        assert_eq!(neutralise("e\u{1b}[0m"), "e<U+001B>[0m");
        assert_eq!(neutralise("tab\tand\nlines\r\n"), "tab\tand\nlines\r\n");
        assert!(matches!(neutralise("plain ünïcödé"), Cow::Borrowed(_)));
        assert_eq!(html("a\u{202E}b"), "a&lt;U+202E&gt;b");
        assert_eq!(markdown_cell("a\u{200B}b"), "a&lt;U+200B>b");
        assert_eq!(csv_field("\u{1b}=1"), "<U+001B>=1");
        assert_eq!(dot_string("a\u{2066}b"), "\"a<U+2066>b\"");
        assert_eq!(markdown_text("x\u{FEFF}"), "x\\<U+FEFF\\>");
        for s in INVISIBLE {
            for (format, e) in [
                ("html", html(s)),
                ("html code", html_code_spans(s)),
                ("markdown cell", markdown_cell(s)),
                ("markdown text", markdown_text(s)),
                ("csv", csv_field(s)),
                ("dot", dot_string(s)),
                ("comment", comment_line(s)),
            ] {
                assert!(
                    !e.chars()
                        .any(|c| is_hidden(c) || (c.is_control() && c != '\n')),
                    "{format}: {e:?}"
                );
                assert!(e.contains("<U+") || e.contains("&lt;U+"), "{format}: {e:?}");
            }
        }
    }

    #[test]
    fn markdown_text_cannot_link_embed_or_inject_html() {
        assert_eq!(
            markdown_text("see [docs](https://evil.example)"),
            "see \\[docs\\](https://evil.example)"
        );
        assert_eq!(
            markdown_text("![x](https://evil.example/p.png)"),
            "!\\[x\\](https://evil.example/p.png)"
        );
        assert_eq!(
            markdown_text("<img src=x onerror=alert(1)> &lt;"),
            "\\<img src=x onerror=alert(1)\\> \\&lt;"
        );
        assert_eq!(markdown_text("<https://evil>"), "\\<https://evil\\>");
        assert_eq!(
            markdown_text("# big\n- item\n  + x"),
            "\\# big\n\\- item\n  \\+ x"
        );
        assert_eq!(markdown_text("a - b = c # d"), "a - b = c # d");
        assert_eq!(
            markdown_text("*em* `code` ~~s~~ a|b \\"),
            "\\*em\\* \\`code\\` \\~\\~s\\~\\~ a\\|b \\\\"
        );
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
