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
    let text = spec_text();
    let mut blocks = Vec::new();
    let mut current: Option<(usize, usize, Vec<String>)> = None;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with("```") {
            match current.take() {
                Some((start, _, lines)) => blocks.push((start, lines.join("\n") + "\n")),
                None => current = Some((n + 1, indent, Vec::new())),
            }
            continue;
        }
        if let Some((_, fence_indent, lines)) = &mut current {
            let cut = line.len().min(*fence_indent);
            let cut = if line[..cut].trim().is_empty() {
                cut
            } else {
                0
            };
            lines.push(fill_placeholders(&line[cut..]));
        }
    }
    blocks.retain(|(_, b)| !b.contains("ref        =") && !b.contains("decl   ="));
    blocks
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
