//! The diff as sections of items, and its two text forms: human text (the
//! terminal) and Markdown (a pull-request comment). `html` renders the same
//! sections. Item text writes ids and values as `` `code` `` spans, which
//! each form turns into its own markup.

use crate::compare::{describe, field_words};
use crate::types::*;
use ward_render::escape;

/// One part of the change impact.
pub struct Section {
    pub title: &'static str,
    pub items: Vec<Item>,
}

/// One change: `+` added, `-` removed, `~` changed, `>` renamed, `!` a
/// consequence (stale, invalidated, reached).
pub struct Item {
    pub mark: char,
    pub text: String,
    pub details: Vec<String>,
}

fn mark(change: Change) -> char {
    match change {
        Change::Added => '+',
        Change::Removed => '-',
        Change::Changed => '~',
        Change::Renamed => '>',
    }
}

/// The verdict in one sentence.
pub fn headline(d: &ModelDiff) -> String {
    match d.verdict {
        Verdict::Identical => "The two models are identical.".to_string(),
        Verdict::ProvenanceOnly => "Only provenance changed: the sources differ (comments or layout), but no declaration and no analysed fact did.".to_string(),
        Verdict::Changed => {
            let s = &d.summary;
            format!(
                "{} changed: {} with increased risk, {} newly uncontrolled, {} made stale.",
                plural(s.changes, "item"),
                plural(s.risk_increases.len(), "threat"),
                plural(s.new_uncontrolled.len(), "threat"),
                plural(s.stale_acceptances, "acceptance"),
            )
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `OLD` and `NEW` as named, with the commit and the sources hash.
pub fn side_line(side: &SideSummary) -> String {
    let commit = side
        .commit
        .as_deref()
        .map(|c| format!(" at {}", &c[..c.len().min(12)]))
        .unwrap_or_default();
    format!(
        "`{}`{commit}: {} judged on {} residuals at stage {}, sources sha256 `{}`",
        side.label,
        plural(side.threats, "threat"),
        side.judged_on,
        side.stage,
        &side.sources_sha256[..side.sources_sha256.len().min(16)],
    )
}

/// The non-empty sections, in the order a reviewer reads them.
pub fn sections(d: &ModelDiff) -> Vec<Section> {
    let mut out = vec![
        Section {
            title: "Threats",
            items: d
                .threats
                .iter()
                .map(|t| {
                    let mut text = format!("`{}` {}", t.id, t.title);
                    if let Some(p) = &t.previous_id {
                        text.push_str(&format!(" (was `{p}`)"));
                    }
                    let mut facts = Vec::new();
                    if t.change == Change::Added || t.change == Change::Removed {
                        facts.push(format!("{:?}", t.change).to_lowercase());
                    }
                    if t.risk == Direction::Increase {
                        facts.push("risk up".to_string());
                    } else if t.risk == Direction::Decrease {
                        facts.push("risk down".to_string());
                    }
                    if t.uncontrolled {
                        facts.push("not controlled".to_string());
                    }
                    if !facts.is_empty() {
                        text.push_str(&format!(" [{}]", facts.join(", ")));
                    }
                    let mut details: Vec<String> = t.fields.iter().map(code_field).collect();
                    details.extend(t.reasons.iter().map(|r| format!("because {r}")));
                    Item {
                        mark: mark(t.change),
                        text,
                        details,
                    }
                })
                .collect(),
        },
        Section {
            title: "Controls",
            items: d
                .controls
                .iter()
                .map(|c| Item {
                    mark: mark(c.change),
                    text: describe("control", &c.id, c.change, &c.previous_id, &[]),
                    details: c.fields.iter().map(code_field).collect(),
                })
                .collect(),
        },
        Section {
            title: "Verifications invalidated",
            items: d
                .verifications_invalidated
                .iter()
                .map(|v| Item {
                    mark: '!',
                    text: format!("`{}`: {}", v.id, v.reason),
                    details: if v.controls.is_empty() {
                        Vec::new()
                    } else {
                        vec![format!("evidence of {}", code_list(&v.controls))]
                    },
                })
                .collect(),
        },
        Section {
            title: "Acceptances made stale",
            items: d
                .acceptances_made_stale
                .iter()
                .map(|a| Item {
                    mark: '!',
                    text: format!(
                        "`{}` accepted at `{}`, judged residual now `{}`",
                        a.threat, a.accepted, a.judged
                    ),
                    details: Vec::new(),
                })
                .collect(),
        },
        Section {
            title: "Hazards and patients reached",
            items: [
                ('!', "hazard newly reached", &d.hazards.newly_reached),
                (
                    '-',
                    "hazard no longer reached",
                    &d.hazards.no_longer_reached,
                ),
                (
                    '!',
                    "threat now multi-patient",
                    &d.hazards.newly_multi_patient,
                ),
                (
                    '-',
                    "threat no longer multi-patient",
                    &d.hazards.no_longer_multi_patient,
                ),
            ]
            .into_iter()
            .flat_map(|(mark, what, ids)| {
                ids.iter().map(move |id| Item {
                    mark,
                    text: format!("{what}: `{id}`"),
                    details: Vec::new(),
                })
            })
            .collect(),
        },
        Section {
            title: "Findings",
            items: [
                ('+', "introduced", &d.findings.introduced),
                ('-', "resolved", &d.findings.resolved),
            ]
            .into_iter()
            .flat_map(|(mark, what, list)| {
                list.iter().map(move |f| Item {
                    mark,
                    text: format!("{} {} {what}: {}", f.code, f.severity, f.message),
                    details: Vec::new(),
                })
            })
            .collect(),
        },
        Section {
            title: "Declarations",
            items: d
                .renames
                .iter()
                .filter(|r| !d.declarations.iter().any(|c| c.id == r.to))
                .map(|r| Item {
                    mark: '>',
                    text: format!("{} `{}` renamed to `{}`", r.kind, r.from, r.to),
                    details: Vec::new(),
                })
                .chain(d.declarations.iter().map(|c| Item {
                    mark: mark(c.change),
                    text: describe(&c.kind, &c.id, c.change, &c.previous_id, &[]),
                    details: c.fields.iter().map(code_field).collect(),
                }))
                .collect(),
        },
    ];
    out.retain(|s| !s.items.is_empty());
    out
}

/// `status `verified` -> `proposed``.
fn code_field(f: &FieldChange) -> String {
    field_words(f, "`", "`")
}

fn code_list(ids: &[String]) -> String {
    ids.iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Human text, for the terminal.
pub fn text(d: &ModelDiff) -> String {
    let mut out = format!(
        "old: {}\nnew: {}\n\n{}\n",
        d.old_line(),
        d.new_line(),
        headline(d)
    );
    for s in sections(d) {
        out.push_str(&format!("\n{}:\n", s.title));
        for item in s.items {
            out.push_str(&format!(
                "  {} {}\n",
                item.mark,
                escape::neutralise(&item.text)
            ));
            for detail in item.details {
                out.push_str(&format!("      {}\n", escape::neutralise(&detail)));
            }
        }
    }
    out
}

/// Markdown, for a pull-request comment.
pub fn markdown(d: &ModelDiff) -> String {
    let mut out = format!(
        "## Threat model change impact\n\n- old: {}\n- new: {}\n\n**{}**\n",
        md(&d.old_line()),
        md(&d.new_line()),
        md(&headline(d))
    );
    for s in sections(d) {
        out.push_str(&format!("\n### {} ({})\n\n", s.title, s.items.len()));
        for item in s.items {
            out.push_str(&format!("- `{}` {}\n", item.mark, md(&item.text)));
            for detail in item.details {
                out.push_str(&format!("  - {}\n", md(&detail)));
            }
        }
    }
    out
}

/// Markdown with `` `code` `` spans kept and everything else escaped.
fn md(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        let code = i % 2 == 1 && i < parts.len() - 1;
        if code {
            let inner = escape::neutralise(part).replace(['\n', '\r'], " ");
            out.push_str(&format!("`{inner}`"));
        } else {
            if i % 2 == 1 {
                out.push_str("\\`");
            }
            out.push_str(&escape::markdown_text(&part.replace(['\n', '\r'], " ")));
        }
    }
    out
}

impl ModelDiff {
    pub(crate) fn old_line(&self) -> String {
        side_line(&self.old)
    }
    pub(crate) fn new_line(&self) -> String {
        side_line(&self.new)
    }
}
