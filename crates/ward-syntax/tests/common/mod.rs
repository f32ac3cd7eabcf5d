//! Inputs shared by the tests: the fixtures and the Ward blocks of the spec.
#![allow(dead_code)]

use std::path::PathBuf;

pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `tests/fixtures/*.ward`, sorted by name: (name, text).
pub fn fixtures() -> Vec<(String, String)> {
    let dir = crate_dir().join("tests/fixtures");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("fixtures folder")
        .map(|e| e.expect("fixture entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ward"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).expect("fixture text"))
        })
        .collect();
    out.sort();
    out
}

/// The fixture copy of the language spec.
pub fn spec_text() -> String {
    std::fs::read_to_string(crate_dir().join("../../tests/spec/language.md"))
        .expect("tests/spec/language.md")
}

/// Every ```-fenced block of the spec but the two grammar blocks of §1, with
/// the fence's indentation removed and bare `...` placeholders filled in:
/// (line of the opening fence, text).
pub fn spec_blocks() -> Vec<(usize, String)> {
    fenced_blocks(&spec_text())
        .into_iter()
        .filter(|(_, b)| !b.contains("ref        =") && !b.contains("decl   ="))
        .map(|(line, b)| {
            let filled: Vec<String> = b.lines().map(fill_placeholders).collect();
            (line, filled.join("\n") + "\n")
        })
        .collect()
}

/// Replaces `...` outside string literals by an identifier.
fn fill_placeholders(line: &str) -> String {
    let mut out = String::new();
    let mut in_string = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '"' {
            in_string = !in_string;
        }
        if !in_string && rest.starts_with("...") {
            out.push_str("placeholder");
            rest = &rest[3..];
            continue;
        }
        if !in_string && rest.starts_with("//") {
            out.push_str(rest);
            break;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// A tiny deterministic PRNG (xorshift64*), so the tests need no crate.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Mutations of `text` at char boundaries: truncations every `step` bytes,
/// and `flips` copies with a few random bytes replaced by grammar-relevant
/// characters.
pub fn mutations(text: &str, step: usize, flips: usize, seed: u64) -> Vec<String> {
    let mut out = Vec::new();
    let mut cut = 0;
    while cut < text.len() {
        if text.is_char_boundary(cut) {
            out.push(text[..cut].to_string());
        }
        cut += step.max(1);
    }
    const ALPHABET: &[u8] = b"{}[]()\"\\/*:,.@<>=-!\n \tazin_09";
    let mut rng = Rng::new(seed);
    for _ in 0..flips {
        let mut bytes = text.as_bytes().to_vec();
        if bytes.is_empty() {
            break;
        }
        for _ in 0..1 + rng.below(3) {
            let at = rng.below(bytes.len());
            bytes[at] = ALPHABET[rng.below(ALPHABET.len())];
        }
        // Keep the text UTF-8: a flip inside a multi-byte char is dropped.
        out.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    out
}

/// The repository's root folder.
pub fn repo_root() -> PathBuf {
    crate_dir().join("../..")
}

/// Folders the repository does not track (`.gitignore`s): build outputs,
/// editor dependencies, and fuzzing's own corpora and artifacts (the seed
/// corpus is copied from the files the tests read directly). `examples/*/out`
/// is skipped too.
const UNTRACKED_DIRS: &[&str] = &[
    "target",
    "node_modules",
    "fuzz/corpus",
    "fuzz/seeds",
    "fuzz/seeds-lsp",
    "fuzz/artifacts",
    "fuzz/coverage",
];

/// Every file under `dir` (relative to the repository root) whose name
/// ends in `suffix`, outside untracked and hidden folders, sorted:
/// (path relative to the root, bytes).
pub fn repo_files(dir: &str, suffix: &str) -> Vec<(String, Vec<u8>)> {
    let root = repo_root();
    let mut out = Vec::new();
    let mut pending = vec![dir.trim_end_matches('/').to_string()];
    while let Some(rel) = pending.pop() {
        let entries =
            std::fs::read_dir(root.join(&rel)).unwrap_or_else(|e| panic!("cannot list {rel}: {e}"));
        for entry in entries {
            let entry = entry.expect("folder entry");
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let kind = entry.file_type().expect("file type");
            if kind.is_dir() {
                let skip = name.starts_with('.')
                    || (path.starts_with("examples/") && name == "out")
                    || UNTRACKED_DIRS
                        .iter()
                        .any(|d| path == *d || path.ends_with(&format!("/{d}")));
                if !skip {
                    pending.push(path);
                }
            } else if kind.is_file() && name.ends_with(suffix) {
                let bytes = std::fs::read(entry.path()).expect("file bytes");
                out.push((path, bytes));
            }
        }
    }
    out.sort();
    out
}

/// Every ```-fenced block of a Markdown text, whatever its language, with
/// the fence's indentation removed: (line of the opening fence, text).
pub fn fenced_blocks(text: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, usize, String)> = None;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with("```") {
            match current.take() {
                Some((start, _, block)) => blocks.push((start, block)),
                None => current = Some((n + 1, indent, String::new())),
            }
            continue;
        }
        if let Some((_, fence_indent, block)) = &mut current {
            let cut = line.len().min(*fence_indent);
            let cut = if line[..cut].trim().is_empty() {
                cut
            } else {
                0
            };
            block.push_str(&line[cut..]);
            block.push('\n');
        }
    }
    blocks
}
