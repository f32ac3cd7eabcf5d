//! The server's state after many edits equals a fresh start: random
//! one-line edits (a changed title, an emptied line, a duplicated line, a
//! new comment) to a generated model and to the insulin-pump example, then
//! the diagnostics every file shows and the hover of the edited files are
//! compared with those of a new server opened on the final texts. Whatever
//! the server keeps from one edit to the next (parses, line indexes, the
//! resolved view) must never leak an earlier state.

mod common;

use common::Client;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;

/// A small deterministic generator (xorshift), so a failure replays.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// One random one-line edit of `text`: the line and its new content.
fn one_line_edit(text: &str, dice: &mut Dice) -> (usize, String) {
    let lines: Vec<&str> = text.lines().collect();
    let at = dice.below(lines.len().max(1));
    let line = lines.get(at).copied().unwrap_or("");
    let new = match dice.below(4) {
        0 if line.contains('"') => line.replacen('"', "\"Edited ", 1),
        1 => String::new(),
        2 => format!("{line}\n{line}"),
        _ => format!("// note {at}\n{line}"),
    };
    (at, new)
}

fn replace_line(text: &str, at: usize, new: &str) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    if at < lines.len() {
        lines[at] = new;
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Hover at the start of every fifth line's first word, per edited file.
fn hovers(client: &Client, texts: &BTreeMap<String, String>) -> Vec<Value> {
    let mut out = Vec::new();
    for (file, text) in texts {
        for (n, line) in text.lines().enumerate().step_by(5) {
            let Some(column) = line.find(|c: char| c.is_ascii_alphabetic()) else {
                continue;
            };
            let hover = client.request(
                "textDocument/hover",
                client.at(file, n as u32, column as u32 + 1),
            );
            out.push(json!({ "file": file, "line": n, "hover": hover }));
        }
    }
    out
}

/// Applies `edits` random edits to the `.ward` files of the model in
/// `root`, then compares with a fresh server at every `check_every`.
fn edits_equal_a_fresh_start(root: &Path, seed: u64, edits: usize, check_every: usize) {
    let mut files: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".ward"))
        .collect();
    files.sort();
    let mut dice = Dice(seed);
    let client = Client::start(root);
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    let mut versions: BTreeMap<String, i64> = BTreeMap::new();
    for edit in 1..=edits {
        let file = files[dice.below(files.len())].clone();
        if !texts.contains_key(&file) {
            let text = std::fs::read_to_string(root.join(&file)).unwrap();
            client.open_text(&file, &text, 1);
            client.diagnostics(&file, Some(1));
            texts.insert(file.clone(), text);
            versions.insert(file.clone(), 1);
        }
        let text = &texts[&file];
        let (at, new) = one_line_edit(text, &mut dice);
        let old_len = text.lines().nth(at).map_or(0, |l| l.encode_utf16().count());
        let version = versions[&file] + 1;
        versions.insert(file.clone(), version);
        client.change_range(
            &file,
            version,
            (at as u32, 0),
            (at as u32, old_len as u32),
            &new,
        );
        let edited = replace_line(text, at, &new);
        texts.insert(file.clone(), edited);
        client.diagnostics(&file, Some(version));
        if edit % check_every == 0 {
            let incremental = client.shown_diagnostics();
            let fresh = Client::start(root);
            for (file, text) in &texts {
                fresh.open_text(file, text, 1);
            }
            for file in texts.keys() {
                fresh.diagnostics(file, Some(1));
            }
            let from_scratch = fresh.shown_diagnostics();
            assert_eq!(
                incremental, from_scratch,
                "diagnostics after {edit} edits (seed {seed}) differ from a fresh start"
            );
            // Not a vacuous comparison: findings are shown, hovers answer.
            assert!(!from_scratch.is_empty(), "no diagnostics to compare");
            let hovered = hovers(&client, &texts);
            assert!(
                hovered.iter().any(|h| !h["hover"].is_null()),
                "no hover to compare"
            );
            assert_eq!(
                hovered,
                hovers(&fresh, &texts),
                "hover after {edit} edits (seed {seed}) differs from a fresh start"
            );
            fresh.shutdown();
        }
    }
    client.shutdown();
}

#[test]
fn random_edits_to_a_generated_model_equal_a_fresh_start() {
    let dir = tempfile::tempdir().unwrap();
    ward_bench::write_model(dir.path(), &ward_bench::generate(60, 7)).unwrap();
    edits_equal_a_fresh_start(dir.path(), 0x5eed_0001, 60, 20);
}

#[test]
fn random_edits_to_the_example_equal_a_fresh_start() {
    let dir = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/insulin-pump");
    copy_folder(&example, dir.path());
    edits_equal_a_fresh_start(dir.path(), 0x5eed_0002, 60, 20);
}
