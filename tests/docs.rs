//! The language reference stays complete and its examples stay valid:
//! every diagnostic code is listed in `docs/language.md`, and every Ward
//! code block in it parses without syntax errors.

use std::path::PathBuf;
use ward_diagnostics::{FileId, CODES};

fn language_md() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/language.md");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
        .replace("\r\n", "\n")
}

/// The ```ward blocks of a Markdown text, with the line each starts on.
fn ward_blocks(text: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (number, line) in text.lines().enumerate() {
        let fence = line.trim_start();
        match &mut current {
            None if fence.starts_with("```") => {
                if fence.trim_start_matches('`').trim() == "ward" {
                    current = Some((number + 1, String::new()));
                } else {
                    // Skip a non-Ward block whole, so its text is not read as fences.
                    current = Some((0, String::new()));
                }
            }
            None => {}
            // A closing fence has no info string.
            Some(_)
                if fence.starts_with("```") && fence.trim_start_matches('`').trim().is_empty() =>
            {
                if let Some((start, body)) = current.take() {
                    if start > 0 {
                        blocks.push((start, body));
                    }
                }
            }
            Some((_, body)) => {
                body.push_str(line);
                body.push('\n');
            }
        }
    }
    assert!(
        current.is_none(),
        "docs/language.md has an unclosed code block"
    );
    blocks
}

#[test]
fn every_diagnostic_code_is_in_the_language_reference() {
    let text = language_md();
    let missing: Vec<&str> = CODES
        .iter()
        .map(|c| c.code)
        .filter(|code| !text.contains(&format!("[{code}](diagnostics/{code}.md)")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/language.md §10 lists no row for {missing:?}: add `| [CODE](diagnostics/CODE.md) | severity | summary |`"
    );
}

#[test]
fn every_ward_block_of_the_language_reference_parses() {
    let text = language_md();
    let blocks = ward_blocks(&text);
    assert!(
        blocks.len() >= 20,
        "only {} ward blocks found",
        blocks.len()
    );
    for (line, block) in blocks {
        let parsed = ward_syntax::parse(&block, FileId(0));
        let errors: Vec<String> = parsed
            .errors
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format!("{} {}", d.code, d.message))
            .collect();
        assert!(
            errors.is_empty(),
            "the ward block at docs/language.md:{line} has syntax errors: {errors:#?}"
        );
    }
}

#[test]
fn fences_are_read_as_blocks() {
    let text = "a\n```ward\nzone z {}\n```\n```text\n```ward\n```\n```ward\nuse std::stride\n```\n";
    let blocks = ward_blocks(text);
    assert_eq!(
        blocks,
        vec![
            (2, "zone z {}\n".to_string()),
            (8, "use std::stride\n".to_string())
        ]
    );
}
