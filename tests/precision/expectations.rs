//! The reviewed expectations of a precision model
//! (`tests/precision/MODEL/expected-threats.toml`): every threat the
//! standard rules generate on the model, marked `keep`, `duplicate` or
//! `noise` with a one-line reason. Read by `tests/precision.rs`, which checks
//! them against the build, and by `tests/rules_doc.rs`, which reports them in
//! docs/rules.md ("Precision").

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// The file of a model's expectations, beside its `Ward.toml`.
pub const FILE: &str = "expected-threats.toml";

/// How to refresh the files after the threats changed.
pub const UPDATE: &str = "WARD_PRECISION_UPDATE=1 cargo test --test precision";

/// The precision models, in the order docs/rules.md reports them.
pub const MODELS: [&str; 3] = ["infusion-fleet", "cgm-ai", "build-pipeline"];

/// The folder of a precision model.
pub fn model_dir(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/precision")
        .join(name)
}

/// A reviewer's verdict on one generated threat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// True and useful: it stays in the register as it is.
    Keep,
    /// A reviewer would merge it into the threat it names.
    Duplicate { of: String },
    /// Wrong or irrelevant for this system.
    Noise,
    /// Added by `WARD_PRECISION_UPDATE=1` and not yet classified.
    Unreviewed,
}

impl Verdict {
    pub fn word(&self) -> &'static str {
        match self {
            Verdict::Keep => "keep",
            Verdict::Duplicate { .. } => "duplicate",
            Verdict::Noise => "noise",
            Verdict::Unreviewed => "unreviewed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub verdict: Verdict,
    pub reason: String,
    /// The generated title, written for unreviewed entries so the reviewer
    /// sees what to classify; not kept once classified.
    pub title: Option<String>,
}

/// One model's expectations.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expectations {
    /// What the model exercises, one paragraph (docs/rules.md).
    pub exercises: String,
    /// By threat id (`RULE@ELEMENT`).
    pub threats: BTreeMap<String, Entry>,
}

/// The counts a reviewer reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub keep: usize,
    pub duplicate: usize,
    pub noise: usize,
    pub unreviewed: usize,
}

impl Counts {
    pub fn total(&self) -> usize {
        self.keep + self.duplicate + self.noise + self.unreviewed
    }

    /// The share of threats marked keep, 0 for no threats.
    pub fn keep_ratio(&self) -> f64 {
        if self.total() == 0 {
            0.0
        } else {
            self.keep as f64 / self.total() as f64
        }
    }
}

impl Expectations {
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for entry in self.threats.values() {
            match entry.verdict {
                Verdict::Keep => counts.keep += 1,
                Verdict::Duplicate { .. } => counts.duplicate += 1,
                Verdict::Noise => counts.noise += 1,
                Verdict::Unreviewed => counts.unreviewed += 1,
            }
        }
        counts
    }

    /// Reads a model's file; a missing file is an empty list (every threat
    /// is then new).
    pub fn read(dir: &Path) -> Result<Expectations, Vec<String>> {
        Self::read_with(dir, Require::All)
    }

    /// Reads a model's file to update it: `exercises` may still be empty
    /// (a new model's file), everything else must be well-formed, so no
    /// review is lost by rewriting the file.
    pub fn read_for_update(dir: &Path) -> Result<Expectations, Vec<String>> {
        Self::read_with(dir, Require::Entries)
    }

    fn read_with(dir: &Path, require: Require) -> Result<Expectations, Vec<String>> {
        let path = dir.join(FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => parse_with(&text, require).map_err(|errors| {
                errors
                    .into_iter()
                    .map(|e| format!("{}: {e}", path.display()))
                    .collect()
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Expectations::default()),
            Err(e) => Err(vec![format!("{}: {e}", path.display())]),
        }
    }

    /// The file's text: one line per threat, sorted by id.
    pub fn render(&self) -> String {
        let mut out = String::from(
            "# Every threat std::stride generates on this model, reviewed as an FDA\n\
             # reviewer would: `keep` (true and useful), `duplicate` (merged into the\n\
             # threat named by `of`) or `noise` (wrong or irrelevant here), each with a\n\
             # one-line reason. tests/precision.rs fails when a threat appears or\n\
             # disappears without this file; `WARD_PRECISION_UPDATE=1 cargo test --test\n\
             # precision` adds new ids as `unreviewed` (rejected until classified) and\n\
             # drops vanished ones. docs/rules.md (\"Precision\") reports the counts.\n\n",
        );
        let _ = writeln!(out, "exercises = {}\n", quoted(&self.exercises));
        out.push_str("[threats]\n");
        for (id, entry) in &self.threats {
            let mut fields = vec![format!("verdict = {}", quoted(entry.verdict.word()))];
            if let Verdict::Duplicate { of } = &entry.verdict {
                fields.push(format!("of = {}", quoted(of)));
            }
            fields.push(format!("reason = {}", quoted(&entry.reason)));
            if let Some(title) = &entry.title {
                fields.push(format!("title = {}", quoted(title)));
            }
            let _ = writeln!(out, "{} = {{ {} }}", quoted(id), fields.join(", "));
        }
        out
    }
}

fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Require {
    All,
    Entries,
}

/// Parses a file's text, with every problem found (not only the first).
pub fn parse(text: &str) -> Result<Expectations, Vec<String>> {
    parse_with(text, Require::All)
}

fn parse_with(text: &str, require: Require) -> Result<Expectations, Vec<String>> {
    let table: toml::Table = text.parse().map_err(|e| vec![format!("not TOML: {e}")])?;
    let mut errors = Vec::new();
    for key in table.keys() {
        if key != "exercises" && key != "threats" {
            errors.push(format!(
                "unknown key `{key}` (expected `exercises` and `[threats]`)"
            ));
        }
    }
    let exercises = match table.get("exercises") {
        Some(toml::Value::String(s)) if !s.trim().is_empty() || require == Require::Entries => {
            s.clone()
        }
        None if require == Require::Entries => String::new(),
        _ => {
            errors.push(
                "`exercises` must say, in a non-empty string, what the model exercises".into(),
            );
            String::new()
        }
    };
    let mut threats = BTreeMap::new();
    match table.get("threats") {
        Some(toml::Value::Table(entries)) => {
            for (id, value) in entries {
                match entry(id, value) {
                    Ok(e) => {
                        threats.insert(id.clone(), e);
                    }
                    Err(e) => errors.push(e),
                }
            }
        }
        None => {}
        Some(_) => errors.push("`threats` must be a table".into()),
    }
    for (id, e) in &threats {
        if let Verdict::Duplicate { of } = &e.verdict {
            match threats.get(of) {
                Some(target) if target.verdict == Verdict::Keep => {}
                Some(_) => errors.push(format!(
                    "`{id}` is a duplicate of `{of}`, which is not marked keep: a duplicate merges into a kept threat"
                )),
                None => errors.push(format!(
                    "`{id}` is a duplicate of `{of}`, which is not in the list"
                )),
            }
        }
    }
    if errors.is_empty() {
        Ok(Expectations { exercises, threats })
    } else {
        Err(errors)
    }
}

fn entry(id: &str, value: &toml::Value) -> Result<Entry, String> {
    let toml::Value::Table(fields) = value else {
        return Err(format!(
            "`{id}`: expected `{{ verdict = \"keep\", reason = \"...\" }}`"
        ));
    };
    if !id.contains('@') {
        return Err(format!(
            "`{id}`: not a generated threat id (`RULE@ELEMENT`)"
        ));
    }
    for key in fields.keys() {
        if !["verdict", "of", "reason", "title"].contains(&key.as_str()) {
            return Err(format!(
                "`{id}`: unknown field `{key}` (expected `verdict`, `reason`, and `of` for a duplicate)"
            ));
        }
    }
    let text = |key: &str| fields.get(key).and_then(|v| v.as_str()).map(str::to_string);
    let reason = text("reason").unwrap_or_default();
    let of = text("of");
    let verdict = match text("verdict").as_deref() {
        Some("keep") => Verdict::Keep,
        Some("noise") => Verdict::Noise,
        Some("duplicate") => match of.clone() {
            Some(of) if !of.is_empty() => Verdict::Duplicate { of },
            _ => {
                return Err(format!(
                    "`{id}`: a duplicate names the threat it merges into with `of`"
                ))
            }
        },
        Some("unreviewed") => Verdict::Unreviewed,
        Some(other) => {
            return Err(format!(
                "`{id}`: verdict `{other}` is not one of keep, duplicate, noise"
            ))
        }
        None => return Err(format!("`{id}`: no `verdict`")),
    };
    if of.is_some() && !matches!(verdict, Verdict::Duplicate { .. }) {
        return Err(format!("`{id}`: only a duplicate has `of`"));
    }
    if verdict != Verdict::Unreviewed && reason.trim().is_empty() {
        return Err(format!("`{id}`: no `reason` for `{}`", verdict.word()));
    }
    if reason.contains('\n') {
        return Err(format!("`{id}`: the reason is one line"));
    }
    let title = text("title");
    if title.is_some() && verdict != Verdict::Unreviewed {
        return Err(format!(
            "`{id}`: `title` is a hint for unreviewed entries; remove it once classified"
        ));
    }
    Ok(Entry {
        verdict,
        reason,
        title,
    })
}
