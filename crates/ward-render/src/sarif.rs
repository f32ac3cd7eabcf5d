//! `findings.sarif`: SARIF 2.1.0 for code-scanning tools. One rule per
//! diagnostic code (from the catalog) and one per threat rule of the model;
//! one result per diagnostic, located in the model's files relative to
//! `%SRCROOT%` (the model root). No absolute path is written, so the log is
//! the same wherever the model is checked out.

use serde::Serialize;
use serde_json::{json, Value};
use std::borrow::Cow;
use std::collections::HashMap;
use ward_diagnostics::{Diagnostic, Severity, SourceMap, Span, CODES};

use crate::escape;

/// The base id of model files; `uri`s are relative to the model root.
pub const SRCROOT: &str = "%SRCROOT%";
/// The base id of the embedded standard library (`std/stride.ward`).
pub const STDLIB: &str = "WARD_STDLIB";

/// A threat-generation rule, shown as a SARIF rule next to the codes.
#[derive(Clone, Debug, PartialEq)]
pub struct ThreatRuleInfo {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub stride: Vec<String>,
    pub capec: Vec<u32>,
    pub cwe: Vec<u32>,
    pub suggest: Vec<String>,
    pub from_stdlib: bool,
}

/// `syntax error` -> `SyntaxError`.
fn pascal_case(summary: &str) -> String {
    summary
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            let first = chars
                .next()
                .map(|c| c.to_ascii_uppercase())
                .unwrap_or_default();
            std::iter::once(first).chain(chars).collect::<String>()
        })
        .collect()
}

/// The description paragraphs of a catalog entry: the text between the
/// heading and the first `## ` section.
fn catalog_description(text: &str) -> String {
    let body = text.split_once('\n').map_or("", |(_, rest)| rest);
    let end = body.find("\n## ").unwrap_or(body.len());
    let description = body[..end].trim();
    let mut out = String::new();
    for paragraph in description.split("\n\n") {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&paragraph.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    out
}

fn ensure_period(text: &str) -> String {
    let t = text.trim_end();
    if t.ends_with(['.', '!', '?']) {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

fn code_rule(code: &ward_diagnostics::CodeInfo) -> Value {
    let level = if code.code.starts_with('E') {
        "error"
    } else {
        "warning"
    };
    let description = catalog_description(code.text);
    json!({
        "id": code.code,
        "name": pascal_case(code.summary),
        "shortDescription": { "text": ensure_period(code.summary) },
        "fullDescription": { "text": ensure_period(if description.is_empty() { code.summary } else { &description }) },
        "help": { "text": code.text.trim_end(), "markdown": code.text.trim_end() },
        "defaultConfiguration": { "level": level },
        "properties": { "tags": ["ward", "diagnostic"] },
    })
}

fn threat_rule(rule: &ThreatRuleInfo) -> Value {
    let refs = |prefix: &str, ids: &[u32]| {
        ids.iter()
            .map(|n| format!("{prefix}-{n}"))
            .collect::<Vec<_>>()
    };
    let capec = refs("CAPEC", &rule.capec);
    let cwe = refs("CWE", &rule.cwe);
    let list = |items: &[String]| {
        if items.is_empty() {
            "none".to_string()
        } else {
            items.join(", ")
        }
    };
    let facts = format!(
        "Threat rule `{}` ({}). STRIDE: {}. CAPEC: {}. CWE: {}. Suggested FDA control categories: {}.",
        rule.id,
        if rule.from_stdlib { "standard library" } else { "declared in the model" },
        list(&rule.stride),
        list(&capec),
        list(&cwe),
        list(&rule.suggest),
    );
    // The description is the model's text: in `markdown` it is escaped, so
    // a repository cannot put links, remote images or HTML in a viewer.
    let (help, markdown) = match &rule.description {
        Some(d) => (
            format!("{}\n\n{facts}", d.trim()),
            format!("{}\n\n{facts}", escape::markdown_text(d.trim())),
        ),
        None => (facts.clone(), facts),
    };
    let mut tags: Vec<String> = vec!["ward".into(), "threat-rule".into(), "security".into()];
    tags.extend(rule.stride.iter().cloned());
    tags.extend(capec);
    tags.extend(
        cwe.iter()
            .map(|c| format!("external/cwe/{}", c.to_ascii_lowercase())),
    );
    json!({
        "id": rule.id,
        "name": pascal_case(&rule.id),
        "shortDescription": { "text": ensure_period(&rule.title) },
        "fullDescription": { "text": ensure_period(rule.description.as_deref().unwrap_or(&rule.title)) },
        "help": { "text": help, "markdown": markdown },
        "defaultConfiguration": { "level": "note" },
        "properties": { "tags": tags },
    })
}

/// Every string of a SARIF log with hidden characters made visible
/// ([`escape::neutralise`]): viewers show messages and rule texts as they
/// are, so a bidi override in a model name must not reach them.
pub fn neutralise_strings(value: &mut Value) {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::String(s) => {
                if let std::borrow::Cow::Owned(visible) = escape::neutralise(s) {
                    *s = visible;
                }
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            Value::Object(members) => stack.extend(members.values_mut()),
            _ => {}
        }
    }
}

/// Percent-encodes a relative path for a URI: unreserved characters and `/`
/// stay, everything else becomes `%XX` per UTF-8 byte.
pub(crate) fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A file's URI relative to its base: model files by their name under the
/// model root, stdlib files (`<std>/stride.ward`) under [`STDLIB`].
fn file_uri(file: &ward_diagnostics::SourceFile) -> String {
    let name = if file.path.is_none() {
        file.name
            .strip_prefix("<std>/")
            .or_else(|| file.name.strip_prefix("std/"))
            .unwrap_or(&file.name)
    } else {
        &file.name
    };
    uri_path(name)
}

struct Files<'a> {
    sources: &'a SourceMap,
    /// Each file's `uri`, made once: a model has a hundred files and a
    /// hundred thousand locations.
    uris: Vec<String>,
}

impl Files<'_> {
    fn base_id(&self, span: Span) -> &'static str {
        if self.sources.get(span.file).path.is_some() {
            SRCROOT
        } else {
            STDLIB
        }
    }

    fn has(&self, span: Span) -> bool {
        (span.file.0 as usize) < self.sources.len()
    }

    fn location<'a>(
        &'a self,
        span: Span,
        message: Option<&'a str>,
        id: Option<usize>,
    ) -> Location<'a> {
        let file = self.sources.get(span.file);
        let start = file.line_col(span.start as usize);
        let end = file.line_col(span.end.max(span.start) as usize);
        Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: &self.uris[span.file.0 as usize],
                    uri_base_id: self.base_id(span),
                    index: span.file.0,
                },
                region: Region {
                    start_line: start.line,
                    start_column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                },
            },
            id,
            message: message.map(|m| Message {
                text: escape::neutralise(m),
            }),
        }
    }
}

// The log's results, typed and written straight to the file: a
// `serde_json::Value` per result cost seconds on large models. Fields are
// in the order SARIF viewers and earlier logs show them; every string from
// the model goes through `escape::neutralise`.

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation<'a> {
    uri: &'a str,
    uri_base_id: &'static str,
    index: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct Message<'a> {
    text: Cow<'a, str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    level: &'static str,
    message: Message<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    locations: Option<[Location<'a>; 1]>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<ThreatProperties<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression<'a>>,
}

/// Why a result is not open: a threat's `not_applicable` or
/// `false_positive` disposition, decided outside the tool.
#[derive(Serialize)]
struct Suppression<'a> {
    kind: &'static str,
    status: &'static str,
    justification: Cow<'a, str>,
}

/// What a result about a threat says of it (see [`SarifLog::link_threats`]).
/// STRIDE, CAPEC and CWE are left out when they are those of `threatRule`,
/// whose entry in `tool.driver.rules` states them once.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ThreatProperties<'a> {
    threat: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stride: Option<Vec<&'static str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    capec: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cwe: Option<Vec<String>>,
    targets: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    threat_rule: Option<Cow<'a, str>>,
}

/// A SARIF log: one run. Its results are made one at a time as the log is
/// serialised, so the log never holds them all.
#[derive(Serialize)]
pub struct SarifLog<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    /// The driver and its rules, small beside the results.
    tool: Value,
    original_uri_base_ids: Value,
    artifacts: Value,
    column_kind: &'static str,
    results: Results<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<Value>,
}

/// One result per diagnostic, in order.
struct Results<'a> {
    files: Files<'a>,
    diagnostics: &'a [Diagnostic],
    /// Rule ids (codes, then threat rules) to their index in `rules`.
    rule_index: HashMap<String, usize>,
    threats: Option<Threats<'a>>,
}

/// The threats results are linked to, by the span their findings are
/// reported at: a scan of every threat per diagnostic was quadratic
/// (minutes on large models).
struct Threats<'a> {
    model: &'a ward_model::Model,
    at_span: HashMap<Span, Vec<&'a ward_analysis::ThreatAnalysis>>,
    /// `not_applicable` and `false_positive` threats: a suppressed result each.
    dispositioned: Vec<&'a ward_analysis::ThreatAnalysis>,
}

impl Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let dispositioned = self
            .threats
            .iter()
            .flat_map(|t| t.dispositioned.iter().map(move |d| (t, *d)));
        serializer.collect_seq(
            self.diagnostics
                .iter()
                .map(|d| self.result(d))
                .chain(dispositioned.map(|(t, d)| self.suppressed(t, d))),
        )
    }
}

impl<'a> Results<'a> {
    fn result(&'a self, d: &'a Diagnostic) -> SarifResult<'a> {
        let code = d.code.as_str();
        let mut text = ensure_period(&d.message);
        if let Some(help) = &d.help {
            text.push_str(" Help: ");
            text.push_str(&ensure_period(help));
        }
        for note in &d.notes {
            text.push_str(" Note: ");
            text.push_str(&ensure_period(note));
        }
        let text = match escape::neutralise(&text) {
            Cow::Borrowed(_) => text,
            Cow::Owned(visible) => visible,
        };
        let files = &self.files;
        let span = d.span.filter(|&span| files.has(span));
        SarifResult {
            rule_id: code,
            level: level(d.severity),
            message: Message {
                text: Cow::Owned(text),
            },
            rule_index: self.rule_index.get(code).copied(),
            locations: span.map(|span| [files.location(span, d.primary_label.as_deref(), None)]),
            related_locations: match span {
                Some(_) => d
                    .labels
                    .iter()
                    .filter(|l| files.has(l.span))
                    .enumerate()
                    .map(|(i, l)| files.location(l.span, Some(&l.message), Some(i + 1)))
                    .collect(),
                None => Vec::new(),
            },
            properties: self.threats.as_ref().and_then(|t| t.properties(d)),
            suppressions: Vec::new(),
        }
    }
}

impl<'a> Results<'a> {
    /// A dispositioned threat: kept in the log, suppressed with the
    /// disposition's rationale as the justification.
    fn suppressed(
        &'a self,
        threats: &Threats<'a>,
        t: &'a ward_analysis::ThreatAnalysis,
    ) -> SarifResult<'a> {
        let model = threats.model;
        let state = t.disposition.as_ref().expect("a dispositioned threat");
        let disposition = model.disposition(state.disposition);
        let rationale = disposition.rationale.as_deref().unwrap_or_default();
        let text = format!(
            "Threat `{}` ({}) is dispositioned `{}`: {}",
            t.id,
            t.title,
            state.status,
            ensure_period(rationale)
        );
        let rule_id = t.rule.as_deref().unwrap_or(&t.id);
        let files = &self.files;
        SarifResult {
            rule_id,
            level: "note",
            message: Message {
                text: escape::neutralise(&text).into_owned().into(),
            },
            rule_index: self.rule_index.get(rule_id).copied(),
            locations: files
                .has(t.span)
                .then(|| [files.location(t.span, None, None)]),
            related_locations: Vec::new(),
            properties: Some(threats.threat_properties(t)),
            suppressions: vec![Suppression {
                kind: "external",
                status: "accepted",
                justification: escape::neutralise(rationale),
            }],
        }
    }
}

impl<'a> Threats<'a> {
    /// The threat a result is about: reported at the threat, naming it.
    fn properties(&self, d: &Diagnostic) -> Option<ThreatProperties<'a>> {
        let threats = self.at_span.get(&d.span?)?;
        let t = threats
            .iter()
            .find(|t| d.message.contains(&format!("`{}`", t.id)))?;
        Some(self.threat_properties(t))
    }

    fn threat_properties(&self, t: &'a ward_analysis::ThreatAnalysis) -> ThreatProperties<'a> {
        let model = self.model;
        let rule = match t.key {
            ward_model::ThreatKey::Generated { rule, .. } => Some(model.rule(rule)),
            _ => None,
        };
        ThreatProperties {
            threat: escape::neutralise(&t.id),
            stride: rule
                .is_none_or(|r| r.stride != t.stride)
                .then(|| t.stride.iter().map(|s| s.as_str()).collect()),
            capec: rule
                .is_none_or(|r| r.capec != t.capec)
                .then(|| t.capec.iter().map(|n| format!("CAPEC-{n}")).collect()),
            cwe: rule
                .is_none_or(|r| r.cwe != t.cwe)
                .then(|| t.cwe.iter().map(|n| format!("CWE-{n}")).collect()),
            targets: t
                .targets
                .iter()
                .map(|&x| escape::neutralise(model.target_name(x)).into_owned())
                .collect(),
            threat_rule: t.rule.as_deref().map(escape::neutralise),
        }
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The SARIF log of a build. `diagnostics` are all of them (compile
/// warnings and analysis findings); results keep their order.
pub fn sarif_log<'a>(
    sources: &'a SourceMap,
    diagnostics: &'a [Diagnostic],
    threat_rules: &[ThreatRuleInfo],
    tool_version: &str,
) -> SarifLog<'a> {
    let mut rules: Vec<Value> = CODES.iter().map(code_rule).collect();
    let mut rule_index: HashMap<String, usize> = HashMap::new();
    for (i, c) in CODES.iter().enumerate() {
        rule_index.insert(c.code.to_string(), i);
    }
    for r in threat_rules {
        if !rule_index.contains_key(&r.id) {
            rule_index.insert(r.id.clone(), rules.len());
            rules.push(threat_rule(r));
        }
    }
    let mut tool = json!({
        "driver": {
            "name": "ward",
            "version": tool_version,
            "semanticVersion": tool_version,
            "rules": rules,
        },
    });
    neutralise_strings(&mut tool);
    let mut artifacts: Value = sources
        .files()
        .map(|(_, f)| {
            let base = if f.path.is_some() { SRCROOT } else { STDLIB };
            json!({
                "location": { "uri": file_uri(f), "uriBaseId": base },
                // An imported SBOM is JSON; everything else is Ward (or
                // Ward.toml, which SARIF has no better word for).
                "sourceLanguage": if f.name.ends_with(".json") { "json" } else { "ward" },
                "roles": ["analysisTarget"],
            })
        })
        .collect();
    neutralise_strings(&mut artifacts);
    let mut original_uri_base_ids = json!({
        SRCROOT: { "description": { "text": "The model root: the folder holding Ward.toml, else the folder or the file's folder given to ward." } },
        STDLIB: { "description": { "text": "The Ward standard library embedded in the ward binary." } },
    });
    neutralise_strings(&mut original_uri_base_ids);

    SarifLog {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool,
            original_uri_base_ids,
            artifacts,
            column_kind: "unicodeCodePoints",
            results: Results {
                files: Files {
                    sources,
                    uris: sources.files().map(|(_, f)| file_uri(f)).collect(),
                },
                diagnostics,
                rule_index,
                threats: None,
            },
            properties: None,
        }],
    }
}

impl<'a> SarifLog<'a> {
    /// Adds to each result about a threat (reported at the threat, naming
    /// it) a property bag with the threat id, its targets and generating
    /// rule (and STRIDE, CAPEC and CWE where they are not the rule's), so
    /// code-scanning tools can group findings by threat rule.
    pub fn link_threats(
        &mut self,
        model: &'a ward_model::Model,
        analysis: &'a ward_analysis::Analysis,
    ) {
        let mut at_span: HashMap<Span, Vec<&ward_analysis::ThreatAnalysis>> = HashMap::new();
        for t in &analysis.threats {
            at_span.entry(t.span).or_default().push(t);
        }
        let dispositioned = analysis
            .threats
            .iter()
            .filter(|t| t.disposition.as_ref().is_some_and(|d| d.dispositioned))
            .collect();
        self.runs[0].results.threats = Some(Threats {
            model,
            at_span,
            dispositioned,
        });
    }

    /// The run's property bag (written as given, after the results).
    pub fn set_properties(&mut self, properties: Value) {
        self.runs[0].properties = Some(properties);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;
    use ward_diagnostics::{Code, FileId, SourceFile};

    pub(crate) fn sample() -> (SourceMap, Vec<Diagnostic>) {
        let mut sources = SourceMap::new();
        let a = sources.add(SourceFile::new(
            "model/pump app.ward",
            Some("/m/model/pump app.ward".into()),
            "zone home \"Home\" { trust: untrusted physical_access: true }\nzone é { }\n",
        ));
        let std = sources.add(SourceFile::new("<std>/stride.ward", None, "rule x {}\n"));
        let diagnostics = vec![
            Diagnostic::error(
                Code::E0001,
                Span::new(a, 36, 51),
                "expected `,` before `physical_access`",
            )
            .with_primary_label("a second property on the same line")
            .with_help("separate properties with a comma or a newline"),
            Diagnostic::warning(Code::W0101, Span::new(a, 65, 67), "zone `é` is empty")
                .with_label(Span::new(std, 0, 4), "the rule"),
            Diagnostic::error(Code::E0501, Span::new(FileId(9), 0, 0), "an output problem"),
        ];
        (sources, diagnostics)
    }

    #[test]
    fn locations_are_relative_one_based_and_percent_encoded() {
        let (sources, diagnostics) = sample();
        let log = serde_json::to_value(sarif_log(&sources, &diagnostics, &[], "0.1.0")).unwrap();
        let results = &log["runs"][0]["results"];
        let loc = &results[0]["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "model/pump%20app.ward");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], SRCROOT);
        assert_eq!(loc["region"]["startLine"], 1);
        assert_eq!(loc["region"]["startColumn"], 37);
        assert_eq!(results[0]["level"], "error");
        assert_eq!(results[1]["level"], "warning");
        let w = &results[1]["locations"][0]["physicalLocation"]["region"];
        assert_eq!(
            (w["startLine"].as_u64(), w["startColumn"].as_u64()),
            (Some(2), Some(6))
        );
        let stdlib = &results[1]["relatedLocations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(
            (stdlib["uriBaseId"].as_str(), stdlib["uri"].as_str()),
            (Some(STDLIB), Some("stride.ward"))
        );
        assert!(
            results[2].get("locations").is_none(),
            "a span outside the map has no location"
        );
        assert_eq!(results[0]["ruleId"], "E0001");
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        assert_eq!(
            rules[results[0]["ruleIndex"].as_u64().unwrap() as usize]["id"],
            "E0001"
        );
        assert_eq!(
            rules[results[1]["ruleIndex"].as_u64().unwrap() as usize]["id"],
            "W0101"
        );
    }

    #[test]
    fn hidden_characters_in_messages_are_made_visible() {
        let (sources, _) = sample();
        let a = FileId(0);
        let diagnostics = vec![Diagnostic::warning(
            Code::W0101,
            Span::new(a, 65, 67),
            "zone `a\u{202E}b` is empty",
        )
        .with_label(Span::new(a, 0, 4), "see\u{200B}here")];
        let text = json::to_string_lines(&sarif_log(&sources, &diagnostics, &[], "0.1.0"), 5);
        let log: Value = serde_json::from_str(&text).unwrap();
        let result = &log["runs"][0]["results"][0];
        assert_eq!(result["message"]["text"], "zone `a<U+202E>b` is empty.");
        assert_eq!(
            result["relatedLocations"][0]["message"]["text"],
            "see<U+200B>here"
        );
    }

    #[test]
    fn threat_rules_carry_capec_cwe_and_categories() {
        let rule = ThreatRuleInfo {
            id: "unauthenticated_crossing".into(),
            title: "Spoofing on unauthenticated flow".into(),
            description: None,
            stride: vec!["spoofing".into()],
            capec: vec![151],
            cwe: vec![306],
            suggest: vec!["authentication".into()],
            from_stdlib: true,
        };
        let log =
            serde_json::to_value(sarif_log(&SourceMap::new(), &[], &[rule], "0.1.0")).unwrap();
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        let r = rules
            .iter()
            .find(|r| r["id"] == "unauthenticated_crossing")
            .unwrap();
        let help = r["help"]["text"].as_str().unwrap();
        assert!(
            help.contains("CAPEC-151")
                && help.contains("CWE-306")
                && help.contains("authentication"),
            "{help}"
        );
        assert_eq!(r["name"], "UnauthenticatedCrossing");
    }

    /// Runs Microsoft's validator when it is installed (see
    /// `testing::validate_sarif`); the end-to-end tests require it.
    #[test]
    fn the_log_passes_the_sarif_multitool() {
        let (sources, diagnostics) = sample();
        let rule = ThreatRuleInfo {
            id: "debug_port".into(),
            title: "Debug port <jtag> left open".into(),
            description: Some("A \"debug\" port.".into()),
            stride: vec!["tampering".into()],
            capec: vec![],
            cwe: vec![1191],
            suggest: vec![],
            from_stdlib: false,
        };
        let log = sarif_log(&sources, &diagnostics, &[rule], "0.1.0");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("findings.sarif");
        std::fs::write(&file, serde_json::to_string_pretty(&log).unwrap()).unwrap();
        match crate::testing::validate_sarif(&file) {
            // SARIF2005 asks for `informationUri`: Ward has no public home page to name yet.
            Some(v) => assert!(
                v.errors.is_empty() && v.warnings.iter().all(|w| w.contains("SARIF2005")),
                "{v:#?}"
            ),
            None => {
                eprintln!("note: sarif-multitool not found; set WARD_SARIF_MULTITOOL to validate")
            }
        }
    }

    #[test]
    fn catalog_descriptions_are_the_first_section() {
        let text =
            "# E0001: syntax error\n\nThe parser met\na token.\n\nSecond.\n\n## Example\n\nx\n";
        assert_eq!(
            catalog_description(text),
            "The parser met a token.\n\nSecond."
        );
        assert_eq!(
            pascal_case("`use` outside the model root"),
            "UseOutsideTheModelRoot"
        );
    }
}
