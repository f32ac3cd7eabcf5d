//! The one writer from the importer's model to `.ward` text: identifiers
//! made from the source's names (unique, valid, not reserved), strings
//! escaped, comments at the place each item came from. The text is then
//! run through Ward's formatter (`lib.rs`), so layout is the formatter's.

use crate::ident::Idents;
use crate::ir::{self, ElementKind, ImportModel, Origin};
use std::collections::HashMap;
use std::fmt::Write as _;

/// The Ward ids given to the model's keys.
#[derive(Debug, Default)]
pub struct Ids {
    by_key: HashMap<String, String>,
    pub system: String,
}

impl Ids {
    /// Ids for every key of `model`, avoiding `reserved` (the standard
    /// library's ids). Keys are given in declaration order, so the first of
    /// two equal names keeps the plain id.
    pub fn assign<'a>(model: &ImportModel, reserved: impl IntoIterator<Item = &'a str>) -> Ids {
        let mut idents = Idents::new(reserved);
        // A verbatim declaration keeps its id, which is its key.
        let mut verbatim = HashMap::new();
        for v in model.verbatim.iter().filter(|v| v.kind != "accept") {
            idents.take(&v.id);
            verbatim.insert(v.id.clone(), v.id.clone());
        }
        let mut ids = Ids {
            system: idents.fresh(&model.title, "system"),
            by_key: verbatim,
        };
        let mut add = |key: &str, name: &str, fallback: &str| {
            let id = idents.fresh(name, fallback);
            ids.by_key.entry(key.to_string()).or_insert(id);
        };
        for zone in &model.zones {
            add(&zone.key, &zone.name, "zone");
        }
        for data in &model.data {
            add(&data.key, &data.name, "data");
        }
        for element in &model.elements {
            add(&element.key, &element.name, "element");
        }
        for flow in &model.flows {
            add(&flow.key, &format!("f {}", flow.name), "f");
        }
        for threat in &model.threats {
            add(&threat.key, &threat.name, "threat");
        }
        for control in &model.controls {
            add(&control.key, &control.name, "control");
        }
        ids
    }

    /// The id of `key`. Keys are checked by the importer before writing
    /// (every reference resolves), so a miss is a bug: it is written as the
    /// sanitised key, and the compile check after writing reports it.
    pub fn of(&self, key: &str) -> String {
        self.by_key
            .get(key)
            .cloned()
            .unwrap_or_else(|| crate::ident::sanitize(key))
    }

    fn list(&self, keys: &[String]) -> String {
        let ids: Vec<String> = keys.iter().map(|k| self.of(k)).collect();
        format!("[{}]", ids.join(", "))
    }
}

/// A Ward string literal for `text`: `"` `\` escaped, control characters as
/// `\n`, `\t` or `\u{...}`.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `// ` lines for a comment text (one per line of the text; control
/// characters dropped, so nothing can end the comment early).
fn comment(out: &mut String, text: &str) {
    for line in text.lines() {
        let clean: String = line
            .chars()
            .filter(|c| !c.is_control() || *c == '\t')
            .collect();
        let clean = clean.trim_end();
        if clean.is_empty() {
            out.push_str("//\n");
        } else {
            let _ = writeln!(out, "// {clean}");
        }
    }
}

fn comments(out: &mut String, origin: &Origin, what: &str, lines: &[String]) {
    let at = origin
        .location
        .map(|l| format!(" (line {})", l.line))
        .unwrap_or_default();
    if !origin.source_id.is_empty() {
        comment(out, &format!("{what} `{}`{at}", origin.source_id));
    }
    for line in lines {
        comment(out, line);
    }
}

fn description(props: &mut Vec<String>, text: &Option<String>) {
    if let Some(text) = text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        props.push(format!("description: {}", string(text)));
    }
}

fn block(out: &mut String, header: &str, props: &[String]) {
    if props.is_empty() {
        let _ = writeln!(out, "{header} {{}}");
    } else {
        let _ = writeln!(out, "{header} {{");
        for prop in props {
            let _ = writeln!(out, "  {prop}");
        }
        out.push_str("}\n");
    }
}

fn section(out: &mut String, title: &str, count: usize) {
    if count > 0 {
        let _ = write!(out, "\n// ---- {title}\n\n");
    }
}

/// The accept levels the analysis judged, by threat key (see `lib.rs`).
pub type AcceptLevels = HashMap<String, &'static str>;

/// The model as `.ward` text (not yet formatted). `source` names the
/// tool in the origin comments ("Threagile asset").
pub fn model_text(model: &ImportModel, ids: &Ids, levels: &AcceptLevels) -> String {
    let mut out = String::new();
    for line in &model.header {
        comment(&mut out, line);
    }
    if !model.verbatim.iter().any(|v| v.kind == "system") {
        let mut props = Vec::new();
        description(&mut props, &model.description);
        block(
            &mut out,
            &format!("system {} {}", ids.system, string(&model.title)),
            &props,
        );
    }
    out.push('\n');
    match &model.uses {
        None => out.push_str("use std::stride\n"),
        Some(uses) => {
            for u in uses {
                let _ = writeln!(out, "use {u}");
            }
        }
    }

    section(&mut out, "Zones", model.zones.len());
    for zone in &model.zones {
        comments(&mut out, &zone.origin, "from", &zone.comments);
        let mut props = vec![format!("trust: {}", zone.trust.word())];
        description(&mut props, &zone.description);
        let parent = zone
            .parent
            .as_ref()
            .map(|p| format!(" in {}", ids.of(p)))
            .unwrap_or_default();
        block(
            &mut out,
            &format!("zone {} {}{parent}", ids.of(&zone.key), string(&zone.name)),
            &props,
        );
    }

    section(&mut out, "Data", model.data.len());
    for data in &model.data {
        comments(&mut out, &data.origin, "from", &data.comments);
        let mut props = vec![
            format!("kind: {}", data.kind.word()),
            format!("confidentiality: {}", data.confidentiality.word()),
            format!("integrity: {}", data.integrity.word()),
            format!("availability: {}", data.availability.word()),
        ];
        description(&mut props, &data.description);
        block(
            &mut out,
            &format!("data {} {}", ids.of(&data.key), string(&data.name)),
            &props,
        );
    }

    section(&mut out, "Components and actors", model.elements.len());
    for element in &model.elements {
        comments(&mut out, &element.origin, "from", &element.comments);
        let (keyword, kind) = match element.kind {
            ElementKind::Component(kind) => ("component", kind.as_str()),
            ElementKind::Human => ("actor", "human"),
            ElementKind::ExternalSystem => ("actor", "external_system"),
        };
        let mut props = vec![format!("kind: {kind}")];
        if !element.stores.is_empty() {
            props.push(format!("stores: {}", ids.list(&element.stores)));
        }
        if !element.tags.is_empty() {
            props.push(format!("tags: [{}]", element.tags.join(", ")));
        }
        description(&mut props, &element.description);
        block(
            &mut out,
            &format!(
                "{keyword} {} {} in {}",
                ids.of(&element.key),
                string(&element.name),
                ids.of(&element.zone)
            ),
            &props,
        );
    }

    section(&mut out, "Flows", model.flows.len());
    for flow in &model.flows {
        comments(&mut out, &flow.origin, "from", &flow.comments);
        let mut props = Vec::new();
        if let Some(protocol) = &flow.protocol {
            props.push(format!("protocol: {protocol}"));
        }
        if !flow.carries.is_empty() {
            props.push(format!("carries: {}", ids.list(&flow.carries)));
        }
        for (on, key) in [
            (flow.authenticated, "authenticated"),
            (flow.encrypted, "encrypted"),
            (flow.integrity_protected, "integrity_protected"),
        ] {
            if on {
                props.push(format!("{key}: true"));
            }
        }
        description(&mut props, &flow.description);
        let arrow = if flow.both_ways { "<->" } else { "->" };
        block(
            &mut out,
            &format!(
                "flow {}: {} {arrow} {} {}",
                ids.of(&flow.key),
                ids.of(&flow.source),
                ids.of(&flow.target),
                string(&flow.name)
            ),
            &props,
        );
    }

    section(&mut out, "Threats", model.threats.len());
    for threat in &model.threats {
        comments(&mut out, &threat.origin, "from", &threat.comments);
        let stride: Vec<&str> = threat.stride.iter().map(|s| s.word()).collect();
        let mut props = vec![
            format!("stride: [{}]", stride.join(", ")),
            format!("targets: {}", ids.list(&threat.targets)),
            format!("exploitability: {}", threat.exploitability.word()),
        ];
        if !threat.cwe.is_empty() {
            let cwe: Vec<String> = threat.cwe.iter().map(u32::to_string).collect();
            props.push(format!("cwe: [{}]", cwe.join(", ")));
        }
        description(&mut props, &threat.description);
        block(
            &mut out,
            &format!("threat {} {}", ids.of(&threat.key), string(&threat.name)),
            &props,
        );
    }

    section(&mut out, "Controls", model.controls.len());
    for control in &model.controls {
        comments(&mut out, &control.origin, "from", &control.comments);
        let props = vec![
            format!("category: {}", control.category.word()),
            format!("requirement: {}", string(&control.requirement)),
            format!("mitigates: {}", ids.list(&control.mitigates)),
            format!("status: {}", control.status.word()),
        ];
        block(
            &mut out,
            &format!("control {} {}", ids.of(&control.key), string(&control.name)),
            &props,
        );
    }

    section(&mut out, "Acceptances", model.accepts.len());
    for accept in &model.accepts {
        comments(&mut out, &accept.origin, "from", &accept.comments);
        // One `accept` per threat: each takes its own judged level.
        for threat in &accept.threats {
            let level = levels.get(threat).copied().unwrap_or("review");
            let mut props = vec![
                format!("level: {level}"),
                format!("rationale: {}", string(&accept.rationale)),
            ];
            if level == "unacceptable" {
                props.push(format!(
                    "benefit_risk: {}",
                    string(&format!("as justified in the source: {}", accept.rationale))
                ));
            }
            if let Some(by) = &accept.approved_by {
                props.push(format!("approved_by: {}", string(by)));
            }
            if let Some(date) = &accept.date {
                props.push(format!("date: {}", string(date)));
            }
            block(&mut out, &format!("accept {}", ids.of(threat)), &props);
        }
    }

    section(
        &mut out,
        "Declarations as the Ward export kept them",
        model.verbatim.len(),
    );
    for v in &model.verbatim {
        out.push_str(v.source.trim_end());
        out.push_str("\n\n");
    }

    if !model.trailer.is_empty() {
        out.push_str("\n// ---- Not imported\n//\n");
        for line in &model.trailer {
            comment(&mut out, line);
        }
    }
    out
}

/// The `Ward.toml` of an imported model.
pub fn manifest_text(
    source: &str,
    vulnerabilities: Option<&ir::VulnerabilitySettings>,
) -> Result<String, toml::ser::Error> {
    let mut text = format!(
        "# Imported from {source} by `ward import`; see docs/interchange.md.\nfiles = [\"**/*.ward\"]\nstage = \"design\"\n"
    );
    if let Some(v) = vulnerabilities.filter(|v| !v.feeds.is_empty() || !v.vex.is_empty()) {
        #[derive(serde::Serialize)]
        struct Table<'a> {
            vulnerabilities: &'a ir::VulnerabilitySettings,
        }
        text.push_str("\n# Known vulnerabilities, read from the files beside the model.\n");
        text.push_str(&toml::to_string(&Table { vulnerabilities: v })?);
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        assert_eq!(string("a \"b\" \\ c"), r#""a \"b\" \\ c""#);
        assert_eq!(string("x\ny\tz\u{1}"), r#""x\ny\tz\u{1}""#);
        assert_eq!(string("Zürich ☃"), "\"Zürich ☃\"");
    }

    #[test]
    fn comments_cannot_break_out_of_their_line() {
        let mut out = String::new();
        comment(&mut out, "one\r\ntwo */ \u{b}three\n\nfour");
        assert_eq!(out, "// one\n// two */ three\n//\n// four\n");
    }
}
