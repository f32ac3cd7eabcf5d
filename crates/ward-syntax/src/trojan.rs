//! Trojan Source (CVE-2021-42574): bidirectional overrides and isolates
//! reorder how text is displayed, and zero-width characters hide text, so
//! a model can read differently from what it is. As rustc's
//! `text_direction_codepoint_in_literal` and `..._in_comment` lints do, a
//! string or comment holding one gets a warning (one per token, at its
//! first such character); in code, where no token admits them, each is an
//! error.

use crate::codes;
use ward_diagnostics::{Diagnostic, FileId, Span};

/// The Unicode name of a character Ward reports, `None` for any other.
pub fn invisible_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{202A}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202B}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202C}' => "POP DIRECTIONAL FORMATTING",
        '\u{202D}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202E}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        '\u{2069}' => "POP DIRECTIONAL ISOLATE",
        '\u{200B}' => "ZERO WIDTH SPACE",
        '\u{200C}' => "ZERO WIDTH NON-JOINER",
        '\u{200D}' => "ZERO WIDTH JOINER",
        '\u{2060}' => "WORD JOINER",
        '\u{FEFF}' => "ZERO WIDTH NO-BREAK SPACE",
        _ => return None,
    })
}

/// Every reported character starts with one of these UTF-8 bytes.
pub(crate) fn may_start_invisible(byte: u8) -> bool {
    byte == 0xE2 || byte == 0xEF
}

/// `U+202E RIGHT-TO-LEFT OVERRIDE`.
fn described(c: char, name: &str) -> String {
    format!("U+{:04X} {name}", c as u32)
}

/// Where a reported character sits.
#[derive(Clone, Copy)]
pub(crate) enum Place {
    String,
    Comment,
}

/// The warning for the string or comment `text[range]`, if it holds a
/// reported character.
pub(crate) fn check_token(
    text: &str,
    range: std::ops::Range<usize>,
    place: Place,
    file: FileId,
) -> Option<Diagnostic> {
    let token = &text[range.clone()];
    if !token.bytes().any(may_start_invisible) {
        return None;
    }
    let mut found = token
        .char_indices()
        .filter_map(|(at, c)| Some((range.start + at, c, invisible_name(c)?)));
    let (at, c, name) = found.next()?;
    let more = found.count();
    let (code, what, help) = match place {
        Place::String => (
            codes::INVISIBLE_IN_STRING,
            "string",
            format!(
                "{} is invisible; if it is meant, write it as the escape `\\u{{{:X}}}`, else remove it",
                described(c, name),
                c as u32
            ),
        ),
        Place::Comment => (
            codes::INVISIBLE_IN_COMMENT,
            "comment",
            format!("{} is invisible; remove it", described(c, name)),
        ),
    };
    let mut diagnostic = Diagnostic::warning(
        code,
        Span::new(file, at, at + c.len_utf8()),
        format!("a {what} holds a character that changes or hides how text is displayed"),
    )
    .with_primary_label(format!("{} here", described(c, name)))
    .with_help(help)
    .with_note("such characters make the model read differently from what it is (Trojan Source, CVE-2021-42574)");
    if more > 0 {
        diagnostic = diagnostic.with_note(format!("and {more} more in this {what}"));
    }
    Some(diagnostic)
}

/// The error for a reported character at `at` in code, if there is one.
pub(crate) fn check_code(text: &str, at: usize, file: FileId) -> Option<(Diagnostic, usize)> {
    let c = text[at..].chars().next()?;
    if at == 0 && c == '\u{FEFF}' {
        // A byte order mark, where one belongs.
        return None;
    }
    let name = invisible_name(c)?;
    let diagnostic = Diagnostic::error(
        codes::INVISIBLE_IN_CODE,
        Span::new(file, at, at + c.len_utf8()),
        format!("invisible character {} in code", described(c, name)),
    )
    .with_primary_label("an invisible character here")
    .with_help(format!(
        "{} changes or hides how the text around it is displayed; ids and keywords are ASCII: remove it",
        described(c, name)
    ));
    Some((diagnostic, c.len_utf8()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_reported_character_is_neutralised_in_terminals_and_artifacts() {
        // The lint reports a subset of what every output neutralises, so a
        // warned character can never reach a reader raw.
        for c in '\u{0}'..='\u{FFFF}' {
            if super::invisible_name(c).is_some() {
                assert!(
                    ward_diagnostics::is_invisible_format(c),
                    "U+{:04X}",
                    c as u32
                );
            }
        }
    }

    use crate::{codes, parse};
    use ward_diagnostics::FileId;

    fn codes_of(text: &str) -> Vec<&'static str> {
        parse(text, FileId(0))
            .errors
            .iter()
            .map(|d| d.code.as_str())
            .collect()
    }

    #[test]
    fn each_reported_character_is_caught_in_code_strings_and_comments() {
        for c in [
            '\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}', '\u{200B}', '\u{200D}', '\u{2060}',
            '\u{FEFF}',
        ] {
            assert_eq!(
                codes_of(&format!("zone z{c} \"Z\" {{}}\n")),
                [codes::INVISIBLE_IN_CODE],
                "{c:?}"
            );
            assert_eq!(
                codes_of(&format!("zone z \"Z{c}\" {{}}\n")),
                [codes::INVISIBLE_IN_STRING],
                "{c:?}"
            );
            assert_eq!(
                codes_of(&format!("zone z \"\"\"Z{c}\"\"\" {{}}\n")),
                [codes::INVISIBLE_IN_STRING],
                "{c:?}"
            );
            assert_eq!(
                codes_of(&format!("// x{c}\nzone z \"Z\" {{}}\n")),
                [codes::INVISIBLE_IN_COMMENT],
                "{c:?}"
            );
            assert_eq!(
                codes_of(&format!("/* x{c} */ zone z \"Z\" {{}}\n")),
                [codes::INVISIBLE_IN_COMMENT],
                "{c:?}"
            );
        }
    }

    #[test]
    fn a_byte_order_mark_at_the_start_and_other_text_are_not_reported() {
        assert!(codes_of("zone z \"Zone — “quoted” … ✓\" {} // ✓ …\n").is_empty());
        // The loader strips a leading BOM; `parse` given one does not call
        // it invisible.
        assert!(!codes_of("\u{FEFF}zone z \"Z\" {}\n").contains(&codes::INVISIBLE_IN_CODE.as_str()));
        // Left-to-right and right-to-left marks are not in the set (as rustc).
        assert!(codes_of("zone z \"\u{200E}\" {}\n").is_empty());
    }

    #[test]
    fn the_span_is_on_the_character_and_the_help_names_it() {
        let text = "zone z \"ab\u{202E}cd\" {}\n";
        let parsed = parse(text, FileId(0));
        let d = &parsed.errors[0];
        assert_eq!(&text[d.span.unwrap().range()], "\u{202E}");
        assert!(d
            .help
            .as_deref()
            .unwrap()
            .contains("U+202E RIGHT-TO-LEFT OVERRIDE"));
    }
}
