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

/// References in the docs resolve (docs/*.md, README.md, the
/// docs/diagnostics pages and the diagnostics' texts in the sources):
///
/// - a relative link or a backticked `*.md` path names a file of the
///   repository, and its `#anchor` a heading of that file (GitHub slugs);
/// - `§N` / `§N.M` names a heading numbered that way in the file written
///   just before it (`risk.md §7`, ``[`risk.md` §1](...)``), or, when none is
///   named, in the page itself if its headings are numbered, else in
///   docs/language.md; `§4 and §5`, `§2-§4` share the first one's file;
/// - "spec §", "the specification's §" and "Appendix X" name nothing that
///   ships, unless the sentence names a standard or the FDA guidance
///   (`ISO 14971 §7.1`, "premarket guidance, Appendix 1"), whose sections
///   are not Ward's.
mod references {
    use regex::Regex;
    use std::sync::LazyLock;

    /// Reads a repository file by its path from the root: `None` when
    /// there is none, the empty string for a folder.
    pub type Read<'a> = &'a dyn Fn(&str) -> Option<String>;

    static LINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\]\(([^)\s]+)\)").unwrap());
    static MD_PATH: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"`([A-Za-z0-9_./-]+\.md)`").unwrap());
    static SECTION: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"§\s?(\d+(?:\.\d+)*)").unwrap());
    static APPENDIX: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\bAppendix\s+([A-Z0-9]+)\b").unwrap());
    static STANDARD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(ISO|IEC|IEEE|AAMI|CFR|QMSR|FDA|[Gg]uidance)\b|13485|14971|62304|81001")
            .unwrap()
    });
    static NAMES_SPEC: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\bspec(ification)?('s)?\s*$").unwrap());
    static JOINS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\s*(-|–|to|and|or|,)\s*$").unwrap());

    /// What in `text` (the file `doc`, a path from the repository root)
    /// does not resolve, one line each.
    pub fn dangling(doc: &str, text: &str, read: Read) -> Vec<String> {
        let prose = without_code_blocks(text);
        let dir = doc.rsplit_once('/').map_or("", |(d, _)| d);
        let mut problems = Vec::new();
        let mut report = |at: usize, what: String| {
            let line = prose[..at].matches('\n').count() + 1;
            problems.push(format!("{doc}:{line}: {what}"));
        };

        for link in LINK.captures_iter(&prose) {
            let target = &link[1];
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (path, anchor) = target.split_once('#').unwrap_or((target, ""));
            let file = if path.is_empty() {
                doc.to_string()
            } else {
                join(dir, path)
            };
            match read(&file) {
                None => report(
                    link.get(0).unwrap().start(),
                    format!("`{target}`: no file {file}"),
                ),
                Some(body) if !anchor.is_empty() && file.ends_with(".md") => {
                    if !anchors(&body).iter().any(|a| a == anchor) {
                        report(
                            link.get(0).unwrap().start(),
                            format!("`{target}`: {file} has no heading #{anchor}"),
                        );
                    }
                }
                Some(_) => {}
            }
        }

        // A path with a folder; a bare `index.md` is an artifact's name, and
        // `CODE.md` stands for any code's page.
        for path in MD_PATH.captures_iter(&prose) {
            let written = &path[1];
            if !written.contains('/') || written.ends_with("/CODE.md") {
                continue;
            }
            if read(&join(dir, written)).is_none() && read(&join("", written)).is_none() {
                report(
                    path.get(0).unwrap().start(),
                    format!("`{written}`: no such file"),
                );
            }
        }

        let mut previous: Option<(usize, Option<String>)> = None;
        for section in SECTION.captures_iter(&prose) {
            let whole = section.get(0).unwrap();
            let number = &section[1];
            let before = &prose[..whole.start()];
            let shared = previous
                .as_ref()
                .filter(|(end, _)| JOINS.is_match(&prose[*end..whole.start()]))
                .map(|(_, file)| file.clone());
            let file = match shared {
                Some(file) => file,
                None if NAMES_SPEC.is_match(before) => {
                    report(
                        whole.start(),
                        format!("`§{number}` of the specification, which does not ship"),
                    );
                    None
                }
                None => match file_named_before(before) {
                    Some(named) => Some(named),
                    None if STANDARD.is_match(sentence(before)) => None,
                    None if prose[whole.end()..].starts_with(" of the language reference") => {
                        Some("docs/language.md".into())
                    }
                    None if has_numbered_headings(text) => Some(doc.to_string()),
                    None => Some("docs/language.md".into()),
                },
            };
            previous = Some((whole.end(), file.clone()));
            let Some(file) = file else { continue };
            let file = if file == doc || file.starts_with("docs/") {
                file
            } else {
                resolve(dir, &file, read)
            };
            match read(&file) {
                None => report(whole.start(), format!("`§{number}`: no file {file}")),
                Some(body) if !has_section(&body, number) => report(
                    whole.start(),
                    format!("`§{number}`: {file} has no heading numbered {number}"),
                ),
                Some(_) => {}
            }
        }

        for appendix in APPENDIX.captures_iter(&prose) {
            let at = appendix.get(0).unwrap().start();
            if !STANDARD.is_match(sentence(&prose[..at])) {
                report(
                    at,
                    format!("`Appendix {}`: no appendix ships", &appendix[1]),
                );
            }
        }
        problems
    }

    /// The text with fenced code blocks blanked (line numbers kept).
    fn without_code_blocks(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut fenced = false;
        for line in text.split_inclusive('\n') {
            let fence = line.trim_start().starts_with("```");
            if fence {
                fenced = !fenced;
            }
            if fence || fenced {
                out.push_str(if line.ends_with('\n') { "\n" } else { "" });
            } else {
                out.push_str(line);
            }
        }
        out
    }

    /// `path` written in a file of folder `dir`, from the repository root.
    fn join(dir: &str, path: &str) -> String {
        let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
        for part in path.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                p => parts.push(p),
            }
        }
        parts.join("/")
    }

    /// A file named in a page: from its folder, from docs/ (a page names
    /// its siblings `risk.md`), or from the root.
    fn resolve(dir: &str, path: &str, read: Read) -> String {
        [join(dir, path), join("docs", path)]
            .into_iter()
            .find(|p| read(p).is_some())
            .unwrap_or_else(|| join("", path))
    }

    /// The `*.md` file written just before a `§`: `risk.md §2`,
    /// `` `risk.md` §1 ``, `[risk.md §9](...)`.
    fn file_named_before(before: &str) -> Option<String> {
        let tail = before.trim_end().trim_end_matches(['`', '[']);
        let start = tail
            .rfind(|c: char| c.is_whitespace() || "[`(".contains(c))
            .map_or(0, |i| i + 1);
        let word = &tail[start..];
        word.ends_with(".md").then(|| word.to_string())
    }

    /// The sentence `before` ends in: from the paragraph, list item, table
    /// row or sentence start.
    fn sentence(before: &str) -> &str {
        let mut start = before.rfind("\n\n").map_or(0, |i| i + 2);
        for (i, _) in before.match_indices('\n') {
            let line = before[i + 1..].trim_start();
            let item = line.starts_with("- ")
                || line.starts_with("* ")
                || line.starts_with('|')
                || line.starts_with('#')
                || line
                    .split_once(". ")
                    .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            if item {
                start = start.max(i + 1);
            }
        }
        for end in [". ", ".\n", "| "] {
            if let Some(i) = before[start..].rfind(end) {
                start += i + end.len();
            }
        }
        &before[start..]
    }

    fn headings(text: &str) -> Vec<&str> {
        let mut fenced = false;
        text.lines()
            .filter(|line| {
                if line.trim_start().starts_with("```") {
                    fenced = !fenced;
                }
                !fenced && line.starts_with('#')
            })
            .map(|line| line.trim_start_matches('#').trim())
            .collect()
    }

    fn has_numbered_headings(text: &str) -> bool {
        headings(text).iter().any(|h| heading_number(h).is_some())
    }

    /// `7.1` of `7.1 Evidence`, `7` of `7. Residual risk`.
    fn heading_number(heading: &str) -> Option<&str> {
        let first = heading.split_whitespace().next()?.trim_end_matches('.');
        (!first.is_empty() && first.split('.').all(|p| p.parse::<u32>().is_ok())).then_some(first)
    }

    fn has_section(text: &str, number: &str) -> bool {
        headings(text)
            .iter()
            .any(|h| heading_number(h) == Some(number))
    }

    /// The anchors GitHub gives the headings: lower case, punctuation
    /// dropped, spaces to `-`, `-1`, `-2` on repeats.
    pub fn anchors(text: &str) -> Vec<String> {
        let mut seen: Vec<String> = Vec::new();
        let mut out = Vec::new();
        for heading in headings(text) {
            let slug: String = heading
                .to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
                .map(|c| if c == ' ' { '-' } else { c })
                .collect();
            let repeats = seen.iter().filter(|s| **s == slug).count();
            out.push(if repeats == 0 {
                slug.clone()
            } else {
                format!("{slug}-{repeats}")
            });
            seen.push(slug);
        }
        out
    }
}

fn repository_file(path: &str) -> Option<String> {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path);
    if full.is_dir() {
        return Some(String::new());
    }
    std::fs::read(&full)
        .ok()
        .map(|bytes| String::from_utf8_lossy(&bytes).replace("\r\n", "\n"))
}

/// The Markdown files whose references are checked: all of them.
fn checked_pages() -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut pages = vec!["README.md".to_string()];
    for dir in ["docs", "docs/diagnostics"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if name.ends_with(".md") {
                pages.push(format!("{dir}/{name}"));
            }
        }
    }
    pages.sort();
    pages
}

#[test]
fn every_reference_in_the_docs_resolves() {
    let pages = checked_pages();
    assert!(pages.len() > 100, "{pages:?}");
    let problems: Vec<String> = pages
        .iter()
        .flat_map(|page| {
            let text = repository_file(page).unwrap();
            references::dangling(page, &text, &repository_file)
        })
        .collect();
    assert!(
        problems.is_empty(),
        "dangling references:\n{}",
        problems.join("\n")
    );
}

/// The string literals of the diagnostics' sources that cite a section:
/// help texts, notes and hover descriptions the user reads.
#[test]
fn every_section_cited_in_a_diagnostic_text_resolves() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut sources = Vec::new();
    let mut dirs = vec![root.join("src")];
    for crate_dir in std::fs::read_dir(root.join("crates")).unwrap() {
        dirs.push(crate_dir.unwrap().path().join("src"));
    }
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                sources.push(path);
            }
        }
    }
    assert!(sources.len() > 50);
    let literal = regex::Regex::new(r#""((?:[^"\\]|\\.)*)""#).unwrap();
    let mut cited = 0;
    let mut problems = Vec::new();
    for path in sources {
        let text = std::fs::read_to_string(&path).unwrap();
        let code: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let strings: Vec<&str> = literal
            .captures_iter(&code)
            .map(|c| c.get(1).unwrap().as_str())
            .filter(|s| s.contains('§') || s.contains("spec "))
            .collect();
        cited += strings.len();
        let name = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        problems.extend(references::dangling(
            &name,
            &strings.join("\n\n"),
            &repository_file,
        ));
    }
    assert!(
        cited > 0,
        "no diagnostic text cites a section: is the scan reading the sources?"
    );
    assert!(
        problems.is_empty(),
        "dangling references:\n{}",
        problems.join("\n")
    );
}

#[test]
fn a_dangling_reference_is_caught() {
    let files = |path: &str| -> Option<String> {
        match path {
            "docs/risk.md" => Some("# Risk\n## 7. Residual risk\n### 7.1 Evidence\n".into()),
            "docs/language.md" => Some("# Ref\n## 3. Declarations\n### 3.2 zone\n".into()),
            "docs/diagnostics/E0401.md" | "docs/diagnostics" => Some(String::new()),
            _ => None,
        }
    };
    let check = |text: &str| references::dangling("docs/diagnostics/E0401.md", text, &files);

    // What resolves.
    let fine = "See [risk.md §7](../risk.md#7-residual-risk) and `risk.md` §7.1. \
                Then §3.2 and §3 of the language reference, [E0401](E0401.md), \
                ISO 14971 §7.4, the premarket guidance's Appendix 1, the \
                `index.md` artifact, `docs/diagnostics/CODE.md`.\n";
    assert_eq!(check(fine), Vec::<String>::new());

    // What does not: each is reported once, at its line.
    let broken = "residual risk (spec §4.7)\n\
                  see `spec/language.md`\n\
                  an excerpt of the spec's Appendix A\n\
                  [risk](../risk.md#8-findings)\n\
                  [gone](../gone.md)\n\
                  risk.md §9\n\
                  §4.7 of nothing\n";
    assert_eq!(
        check(broken),
        [
            "docs/diagnostics/E0401.md:4: `../risk.md#8-findings`: docs/risk.md has no heading #8-findings",
            "docs/diagnostics/E0401.md:5: `../gone.md`: no file docs/gone.md",
            "docs/diagnostics/E0401.md:2: `spec/language.md`: no such file",
            "docs/diagnostics/E0401.md:1: `§4.7` of the specification, which does not ship",
            "docs/diagnostics/E0401.md:6: `§9`: docs/risk.md has no heading numbered 9",
            "docs/diagnostics/E0401.md:7: `§4.7`: docs/language.md has no heading numbered 4.7",
            "docs/diagnostics/E0401.md:3: `Appendix A`: no appendix ships",
        ]
    );
}

#[test]
fn headings_get_github_anchors() {
    let text = "# Ward\n## 7. Residual risk\n### 4.2 Attributes\n## `Ward.toml`\n## Notes\n## Notes\n```\n# not a heading\n```\n";
    assert_eq!(
        references::anchors(text),
        [
            "ward",
            "7-residual-risk",
            "42-attributes",
            "wardtoml",
            "notes",
            "notes-1"
        ]
    );
}
