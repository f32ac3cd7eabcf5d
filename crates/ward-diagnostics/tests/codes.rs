//! Every code is a page and every page is a code in use: `Code` is generated
//! from `docs/diagnostics/*.md`, so a code without a page does not compile;
//! these tests fail for a page no stage reports and for a code written as a
//! string literal instead of a `Code`.

use std::path::{Path, PathBuf};
use ward_diagnostics::Code;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The text of every non-test Rust source of the workspace (crates' `src`
/// and the CLI's), each cut at its `#[cfg(test)]` module.
fn library_sources() -> Vec<(PathBuf, String)> {
    let root = repository();
    let mut folders = vec![root.join("src")];
    for entry in std::fs::read_dir(root.join("crates")).unwrap() {
        folders.push(entry.unwrap().path().join("src"));
    }
    let mut out = Vec::new();
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs")
                && path.file_name().is_some_and(|n| n != "tests.rs")
            {
                let text = std::fs::read_to_string(&path).unwrap();
                let code = match text.find("#[cfg(test)]") {
                    Some(at) => text[..at].to_string(),
                    None => text,
                };
                out.push((path, code));
            }
        }
    }
    assert!(out.len() > 50, "the workspace's sources were not found");
    out
}

#[test]
fn every_page_is_a_code_some_stage_reports() {
    let sources = library_sources();
    let unused: Vec<&str> = Code::ALL
        .iter()
        .filter(|code| {
            let word = format!("Code::{code}");
            !sources.iter().any(|(_, text)| {
                text.match_indices(&word).any(|(at, _)| {
                    !text[at + word.len()..].starts_with(|c: char| c.is_ascii_alphanumeric())
                })
            })
        })
        .map(|code| code.as_str())
        .collect();
    assert!(
        unused.is_empty(),
        "docs/diagnostics has pages for codes no stage reports (remove the page or report the code): {unused:?}"
    );
}

#[test]
fn no_library_code_spells_a_diagnostic_code_as_a_string() {
    let mut found = Vec::new();
    for (path, text) in library_sources() {
        for (line, content) in text.lines().enumerate() {
            let bytes = content.as_bytes();
            for (at, _) in content.match_indices('"') {
                let code = &bytes[at + 1..];
                if code.len() >= 6
                    && (code[0] == b'E' || code[0] == b'W')
                    && code[1..5].iter().all(u8::is_ascii_digit)
                    && code[5] == b'"'
                {
                    found.push(format!("{}:{}: {content}", path.display(), line + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "use `Code::...` (or a stage's `codes::` constant), not a string:\n{}",
        found.join("\n")
    );
}

#[test]
fn codes_print_as_their_page_names() {
    for code in Code::ALL {
        let page = repository().join(format!("docs/diagnostics/{code}.md"));
        let text = std::fs::read_to_string(&page).unwrap();
        assert!(text.starts_with(&format!("# {code}: {}", code.summary())));
        assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
    }
}
