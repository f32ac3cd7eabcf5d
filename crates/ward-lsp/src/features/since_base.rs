//! The diff lens: what changed on each declaration since the `[diff] base`
//! revision, from `ward_diff::diff(base, working copy)`. Protocol-free: one
//! entry per declaration of the working copy that changed, with the line a
//! code lens shows and the lines of hover's "Since BASE" section.

use crate::workspace::Snapshot;
use ward_diagnostics::{FileId, Span};
use ward_diff::{Change, FieldChange, ModelDiff, ThreatChange};
use ward_syntax::ast::{DeclKind, Item};

/// The most changes a lens title lists; hover lists them all.
const TITLE_PARTS: usize = 2;

/// What changed on the declarations of a snapshot since a base revision.
#[derive(Debug, Default)]
pub struct SinceBase {
    /// The revision as `Ward.toml` names it (`main`).
    pub base: String,
    pub declarations: Vec<ChangedDeclaration>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedDeclaration {
    pub id: String,
    /// The declared id's span: where the lens stands.
    pub name: Span,
    /// `changed since main: residual risk medium → high (control ...)`.
    pub title: String,
    /// Every change, one line each, for hover.
    pub lines: Vec<String>,
}

impl SinceBase {
    /// The changed declarations of one file, in source order.
    pub fn in_file(&self, file: FileId) -> impl Iterator<Item = &ChangedDeclaration> {
        self.declarations
            .iter()
            .filter(move |d| d.name.file == file)
    }

    /// The hover section for the declaration `id`, if it changed.
    pub fn hover_section(&self, id: &str) -> Option<String> {
        let changed = self.declarations.iter().find(|d| d.id == id)?;
        let mut out = format!("\n**Since {}**\n", self.base);
        for line in &changed.lines {
            out.push_str(&format!("- {line}\n"));
        }
        Some(out)
    }
}

/// Maps a diff onto the declarations of the working copy it was computed on.
pub fn since_base(snapshot: &Snapshot, diff: &ModelDiff, base: &str) -> SinceBase {
    let mut declarations = Vec::new();
    for file in &snapshot.files {
        if !file.is_user {
            continue;
        }
        for item in &file.ast.items {
            let Item::Decl(decl) = item else { continue };
            let id = decl.name.name.as_str();
            if let Some(changed) = changes_of(diff, decl.kind, id, base) {
                let (title, lines) = changed;
                declarations.push(ChangedDeclaration {
                    id: id.to_owned(),
                    name: decl.name.span,
                    title,
                    lines,
                });
            }
        }
    }
    SinceBase {
        base: base.to_owned(),
        declarations,
    }
}

/// The lens title and hover lines of one declaration, `None` if unchanged.
fn changes_of(
    diff: &ModelDiff,
    kind: DeclKind,
    id: &str,
    base: &str,
) -> Option<(String, Vec<String>)> {
    let keyword = kind.keyword();
    // Controls are reported with their evidence, other declarations alone.
    let own = if kind == DeclKind::Control {
        diff.controls
            .iter()
            .find(|c| c.id == id)
            .map(|c| (c.change, c.previous_id.as_deref(), &c.fields))
    } else {
        diff.declarations
            .iter()
            .find(|d| d.kind == keyword && d.id == id)
            .map(|d| (d.change, d.previous_id.as_deref(), &d.fields))
    };
    let threats: Vec<&ThreatChange> = match kind {
        DeclKind::Threat => diff.threats.iter().filter(|t| t.id == id).collect(),
        DeclKind::Component | DeclKind::Actor | DeclKind::Flow => diff
            .threats
            .iter()
            .filter(|t| t.change != Change::Removed && generated_on(&t.id) == Some(id))
            .collect(),
        _ => Vec::new(),
    };
    if own.is_none() && threats.is_empty() {
        return None;
    }
    let head = match own {
        Some((Change::Added, _, _)) => format!("new since {base}"),
        Some((Change::Renamed, Some(from), _)) => format!("renamed from {from} since {base}"),
        _ => format!("changed since {base}"),
    };
    let mut lines: Vec<String> = own
        .filter(|(change, _, _)| matches!(change, Change::Changed | Change::Renamed))
        .map(|(_, _, fields)| fields.iter().map(field_line).collect())
        .unwrap_or_default();
    let mut parts = lines.clone();
    let on_self = kind == DeclKind::Threat;
    let added = matches!(own, Some((Change::Added, _, _)));
    let new_threats = threats.iter().filter(|t| t.change == Change::Added).count();
    if added && new_threats > 0 {
        // A new declaration's threats are all new: counted, not listed.
        parts.push(format!("{new_threats} new threat(s)"));
    }
    for t in threats {
        let (short, full) = threat_line(t, on_self);
        if !(added && t.change == Change::Added) {
            parts.push(short);
        }
        lines.push(full);
    }
    let mut title = head.clone();
    if !parts.is_empty() {
        title.push_str(": ");
        title.push_str(&parts[..parts.len().min(TITLE_PARTS)].join("; "));
        if parts.len() > TITLE_PARTS {
            title.push_str(&format!("; {} more", parts.len() - TITLE_PARTS));
        }
    }
    if lines.is_empty() {
        lines.push(head);
    }
    Some((title, lines))
}

/// The element or flow of a generated threat id (`RULE@ELEMENT`, the flow
/// of `RULE@f.reverse` being `f`).
fn generated_on(threat: &str) -> Option<&str> {
    let (_, element) = threat.split_once('@')?;
    Some(element.split('.').next().unwrap_or(element))
}

fn field_line(f: &FieldChange) -> String {
    let value = |v: &Option<String>| v.clone().unwrap_or_else(|| "unset".into());
    format!(
        "{} {} \u{2192} {}",
        f.field.replace('_', " "),
        value(&f.old),
        value(&f.new)
    )
}

/// The risk fields a threat line names, the judged one first.
const RISK_FIELDS: [(&str, &str); 4] = [
    ("judged_risk", "residual risk"),
    ("planned_residual", "planned residual"),
    ("verified_residual", "verified residual"),
    ("initial_risk", "initial risk"),
];

/// `residual risk medium → high (control `c` changed)` for a threat on the
/// declaration itself, prefixed with the threat's id for a generated one:
/// the short form for the lens (the reason's subject), the full one for
/// hover (every reason).
fn threat_line(t: &ThreatChange, on_self: bool) -> (String, String) {
    let subject = if on_self {
        String::new()
    } else {
        format!("{} ", t.id)
    };
    let risk = RISK_FIELDS.iter().find_map(|(field, words)| {
        let f = t.fields.iter().find(|f| f.field == *field)?;
        Some(format!(
            "{words} {} \u{2192} {}",
            f.old.as_deref().unwrap_or("unset"),
            f.new.as_deref().unwrap_or("unset")
        ))
    });
    let what = match (t.change, risk) {
        (Change::Added, _) => format!("new threat {}", t.id),
        (Change::Removed, _) => format!("threat {} removed", t.id),
        (_, Some(risk)) => format!("{subject}{risk}"),
        (_, None) => format!(
            "{subject}{}",
            t.fields
                .first()
                .map(field_line)
                .unwrap_or_else(|| "changed".into())
        ),
    };
    let short = match t.reasons.first() {
        Some(reason) => {
            let subject = reason.split(':').next().unwrap_or(reason);
            format!("{what} ({subject})")
        }
        None => what.clone(),
    };
    let full = match t.reasons.is_empty() {
        true => what,
        false => format!("{what} ({})", t.reasons.join("; ")),
    };
    (short, full)
}
