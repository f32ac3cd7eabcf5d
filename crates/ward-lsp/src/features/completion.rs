//! Completion. The context comes from the text before the cursor (it is
//! usually being typed, so not yet parsed): a forward scan from the start of
//! the enclosing declaration's block tracks blocks, lists, strings and
//! comments, and tells a property name from a value of a given property.
//! Candidates come from the schema below (spec §2), the closed value sets of
//! `ward-model`, the policy's scales, the declarations of the model (by
//! kind) and the analysis (rule-generated threat ids).

use crate::workspace::Snapshot;
use lsp_types::{CompletionItem, CompletionItemKind, CompletionTextEdit, Range, TextEdit};
use std::collections::BTreeSet;
use ward_diagnostics::FileId;
use ward_model::*;
use ward_syntax::ast::{Decl, DeclKind, Item};

/// What a property's value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// Free text, numbers, tags: nothing to offer.
    Free,
    Bool,
    /// One of a fixed list of words.
    Words(&'static [&'static str]),
    /// Ids declared with these keywords.
    Ids(&'static [DeclKind]),
    /// Hand-written and rule-generated threats.
    Threats,
    /// Flows, with `.reverse` for `<->` ones.
    Flows,
    /// Components, actors and flows.
    Targets,
    SeverityLevel,
    ExploitabilityLevel,
    Policy,
    /// `verification`: verification ids or an inline `METHOD "text"`.
    Verification,
    /// `when`: attributes and operators.
    When,
    /// A block property (`hazards { ... }`).
    Block,
}

use ValueKind::*;

const PROTOCOLS: &[&str] = &[
    "ble", "wifi", "usb", "nfc", "serial", "https", "http", "tls", "tcp", "udp", "mqtt", "mqtts",
    "amqp", "wss", "hl7", "fhir", "dicom", "ui", "zigbee", "cellular", "lte", "mics", "rf",
];
const INTERFACES: &[&str] = &[
    "ble", "wifi", "usb", "nfc", "serial", "jtag", "swd", "uart", "https", "http", "tls", "tcp",
    "udp", "mqtt", "ui", "cellular",
];
const LIFECYCLE: &[&str] = &[
    "design",
    "manufacturing",
    "deployment",
    "maintenance",
    "decommissioning",
];
const ELEMENTS: &[DeclKind] = &[DeclKind::Component, DeclKind::Actor];
const WHEN_WORDS: &[&str] = &[
    "and",
    "or",
    "not",
    "in",
    "true",
    "false",
    "id",
    "tags",
    "protocol",
    "authenticated",
    "encrypted",
    "integrity_protected",
    "crosses_boundary",
    "from_lower_trust",
    "source",
    "target",
    "carries",
    "max_confidentiality",
    "max_integrity",
    "max_availability",
    "carries_kind",
    "kind",
    "zone",
    "stores",
    "interfaces",
    "fleet",
    "software",
    "controlled_by",
    "updatable",
    "exposed",
    "stores_kind",
    "has_interface",
    "trust",
    "physical_access",
];

/// The properties of each declaration (spec §2), in the spec's order, with
/// whether they are required and what their values are.
pub fn schema(kind: DeclKind) -> &'static [(&'static str, bool, ValueKind)] {
    match kind {
        DeclKind::System => &[
            ("version", false, Free),
            ("intended_use", false, Free),
            ("policy", false, Policy),
            ("out_of_scope", false, Free),
            ("lifecycle", false, Words(LIFECYCLE)),
            ("overall_residual", false, Free),
            ("approved_by", false, Free),
        ],
        DeclKind::Zone => &[
            (
                "trust",
                false,
                Words(&["hostile", "untrusted", "controlled", "trusted"]),
            ),
            ("physical_access", false, Bool),
            (
                "controlled_by",
                false,
                Words(&["manufacturer", "hcf", "patient", "third_party"]),
            ),
        ],
        DeclKind::Data => &[
            (
                "kind",
                false,
                Words(&[
                    "command",
                    "phi",
                    "credential",
                    "firmware",
                    "config",
                    "log",
                    "telemetry",
                    "other",
                ]),
            ),
            (
                "confidentiality",
                false,
                Words(&["none", "low", "medium", "high"]),
            ),
            (
                "integrity",
                false,
                Words(&["none", "low", "medium", "high"]),
            ),
            (
                "availability",
                false,
                Words(&["none", "low", "medium", "high"]),
            ),
            ("hazards", false, Block),
        ],
        DeclKind::Component => &[
            (
                "kind",
                false,
                Words(&[
                    "device",
                    "firmware",
                    "mobile_app",
                    "web_app",
                    "service",
                    "gateway",
                    "datastore",
                    "cloud_service",
                    "process",
                ]),
            ),
            ("stores", false, Ids(&[DeclKind::Data])),
            ("software", false, Free),
            ("interfaces", false, Words(INTERFACES)),
            ("fleet", false, Words(&["per_patient", "shared"])),
            (
                "controlled_by",
                false,
                Words(&["manufacturer", "hcf", "patient", "third_party"]),
            ),
            ("updatable", false, Bool),
            ("hazards", false, Block),
        ],
        DeclKind::Actor => &[
            ("kind", true, Words(&["human", "external_system"])),
            ("stores", false, Ids(&[DeclKind::Data])),
            (
                "controlled_by",
                false,
                Words(&["manufacturer", "hcf", "patient", "third_party"]),
            ),
            ("fleet", false, Words(&["per_patient", "shared"])),
        ],
        DeclKind::Flow => &[
            ("protocol", false, Words(PROTOCOLS)),
            ("carries", false, Ids(&[DeclKind::Data])),
            ("authenticated", false, Bool),
            ("encrypted", false, Bool),
            ("integrity_protected", false, Bool),
        ],
        DeclKind::Hazard => &[
            ("severity", true, SeverityLevel),
            ("harm", false, Free),
            ("hazardous_situation", false, Free),
            ("rmf_ref", false, Free),
        ],
        DeclKind::Threat => &[
            ("stride", true, Words(STRIDE)),
            ("targets", true, Targets),
            ("hazards", false, Ids(&[DeclKind::Hazard])),
            ("exploitability", false, ExploitabilityLevel),
            ("cvss", false, Free),
            ("capec", false, Free),
            ("cwe", false, Free),
        ],
        DeclKind::Rule => &[
            ("stride", true, Words(STRIDE)),
            ("applies_to", true, Words(&["flow", "component", "actor"])),
            ("exploitability", true, ExploitabilityLevel),
            ("when", false, When),
            ("capec", false, Free),
            ("cwe", false, Free),
            ("suggest", false, Words(CATEGORIES)),
        ],
        DeclKind::Control => &[
            ("category", true, Words(CATEGORIES)),
            ("requirement", true, Free),
            ("id", false, Free),
            ("mitigates", false, Threats),
            ("reduces", false, Free),
            ("independent", false, Bool),
            ("residual_exploitability", false, ExploitabilityLevel),
            ("limits", false, Block),
            (
                "option",
                false,
                Words(&[
                    "inherent_safety",
                    "protective_measure",
                    "information_for_safety",
                ]),
            ),
            ("acceptance", false, Free),
            ("implemented_in", false, Ids(ELEMENTS)),
            ("verification", false, Verification),
            (
                "status",
                false,
                Words(&["proposed", "implemented", "verified"]),
            ),
        ],
        DeclKind::Verification => &[
            (
                "type",
                false,
                Words(&[
                    "security_requirements",
                    "threat_mitigation",
                    "vulnerability",
                    "penetration",
                ]),
            ),
            ("method", true, Words(METHODS)),
            ("report", false, Free),
            ("result", false, Words(&["pass", "fail", "pending"])),
            ("independent", false, Bool),
            ("scope", false, Targets),
        ],
        DeclKind::Assumption => &[
            ("rationale", false, Free),
            (
                "applies_to",
                false,
                Ids(&[
                    DeclKind::Zone,
                    DeclKind::Component,
                    DeclKind::Actor,
                    DeclKind::Flow,
                ]),
            ),
        ],
        DeclKind::Accept => &[
            ("rationale", true, Free),
            ("level", true, Words(RISK_LEVELS)),
            ("benefit", false, Free),
            ("benefit_risk", false, Free),
            ("approved_by", false, Free),
        ],
        DeclKind::Usecase => &[("steps", true, Flows), ("state", false, Free)],
        DeclKind::Policy => &[
            ("severity", true, Free),
            ("exploitability", true, Free),
            ("matrix", true, Block),
            ("security_matrix", true, Block),
            ("exploitability_criteria", false, Block),
            (
                "security_impact",
                false,
                Words(&["none", "low", "medium", "high"]),
            ),
            ("cvss_exploitability_bands", false, Free),
            ("controlled", false, Words(RISK_LEVELS)),
            ("require_verified", false, Bool),
            ("transfer_basis", false, Free),
        ],
    }
}

const STRIDE: &[&str] = &[
    "spoofing",
    "tampering",
    "repudiation",
    "information_disclosure",
    "denial_of_service",
    "elevation_of_privilege",
];
const CATEGORIES: &[&str] = &[
    "authentication",
    "authorization",
    "cryptography",
    "integrity",
    "confidentiality",
    "event_detection",
    "resiliency",
    "updatability",
];
const METHODS: &[&str] = &["test", "analysis", "inspection", "demonstration"];
const RISK_LEVELS: &[&str] = &["acceptable", "review", "unacceptable"];

/// Every key a declaration takes: its own and the common ones.
pub fn keys(kind: DeclKind) -> Vec<(&'static str, bool, ValueKind)> {
    let mut keys = schema(kind).to_vec();
    if kind != DeclKind::Accept {
        keys.push(("description", false, Free));
        keys.push(("tags", false, Free));
    }
    keys
}

/// Where the cursor is.
#[derive(Debug, PartialEq, Eq)]
enum Context {
    TopLevel,
    StdModule,
    /// After `::` in a path that starts with these segments.
    PathSegment(Vec<String>),
    FlowEnd,
    Parent(DeclKind),
    AcceptedThreat,
    /// `RULE@` typed: the elements the rule generates a threat on.
    GeneratedFor(String),
    /// `f.` typed.
    Reverse,
    Key {
        decl: DeclKind,
        block: Option<String>,
    },
    Value {
        decl: DeclKind,
        block: Option<String>,
        key: String,
    },
    Nothing,
}

pub fn completion(snapshot: &Snapshot, file: FileId, offset: usize) -> Vec<CompletionItem> {
    let text = snapshot.text(file);
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let word_start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '_')
        .last()
        .map_or(offset, |(i, _)| i);
    let context = context(snapshot, file, word_start);
    let range = snapshot.file(file).index.range(text, word_start, offset);
    let mut items = Candidates::default();
    let model = snapshot.model.as_ref();
    match context {
        Context::Nothing => {}
        Context::TopLevel => {
            for keyword in ["use"]
                .into_iter()
                .chain(DeclKind::ALL.iter().map(|k| k.keyword()))
            {
                items.add(
                    keyword,
                    CompletionItemKind::KEYWORD,
                    None,
                    Some(format!("{keyword} ")),
                );
            }
        }
        Context::StdModule => {
            for path in ["std::stride", "std::fda"] {
                items.add(path, CompletionItemKind::MODULE, None, None);
            }
        }
        Context::PathSegment(segments) => {
            let known = ["std::stride", "std::fda", ward_model::STD_POLICY_PATH];
            let prefix = format!("{}::", segments.join("::"));
            for path in known {
                if let Some(rest) = path.strip_prefix(&prefix) {
                    items.add(rest, CompletionItemKind::MODULE, None, None);
                }
            }
        }
        Context::FlowEnd => ids(snapshot, &mut items, ELEMENTS),
        Context::Parent(kind) => {
            if matches!(kind, DeclKind::Zone | DeclKind::Component | DeclKind::Actor) {
                ids(snapshot, &mut items, &[DeclKind::Zone]);
            }
        }
        Context::AcceptedThreat => threats(snapshot, &mut items),
        Context::GeneratedFor(rule) => generated_targets(snapshot, &mut items, &rule),
        Context::Reverse => items.add("reverse", CompletionItemKind::KEYWORD, None, None),
        Context::Key { decl, block: None } => {
            let present = present_keys(snapshot, file, word_start);
            for (key, required, kind) in keys(decl) {
                if present.contains(key) {
                    continue;
                }
                let insert = if kind == Block {
                    format!("{key} {{ ")
                } else {
                    format!("{key}: ")
                };
                let detail = if required { "required" } else { "optional" };
                items.add(
                    key,
                    CompletionItemKind::PROPERTY,
                    Some(detail.into()),
                    Some(insert),
                );
            }
        }
        Context::Key {
            decl,
            block: Some(block),
        } => block_keys(snapshot, model, &mut items, decl, &block),
        Context::Value {
            decl,
            block: Some(block),
            ..
        } => block_values(snapshot, model, &mut items, decl, &block),
        Context::Value {
            decl,
            block: None,
            key,
        } => {
            if let Some((_, _, kind)) = keys(decl).into_iter().find(|(k, _, _)| *k == key) {
                values(snapshot, model, &mut items, kind);
            }
        }
    }
    items.finish(range)
}

#[derive(Default)]
struct Candidates {
    items: Vec<CompletionItem>,
    seen: BTreeSet<String>,
}

impl Candidates {
    fn add(
        &mut self,
        label: &str,
        kind: CompletionItemKind,
        detail: Option<String>,
        insert: Option<String>,
    ) {
        if !self.seen.insert(label.to_owned()) {
            return;
        }
        self.items.push(CompletionItem {
            label: label.to_owned(),
            kind: Some(kind),
            detail,
            insert_text: insert,
            ..CompletionItem::default()
        });
    }

    /// Items replace the word before the cursor (ids may contain `@` and `.`
    /// that editors' word patterns do not include).
    fn finish(self, range: Range) -> Vec<CompletionItem> {
        self.items
            .into_iter()
            .enumerate()
            .map(|(i, mut item)| {
                let new_text = item
                    .insert_text
                    .take()
                    .unwrap_or_else(|| item.label.clone());
                item.text_edit = Some(CompletionTextEdit::Edit(TextEdit { range, new_text }));
                item.sort_text = Some(format!("{i:04}"));
                item
            })
            .collect()
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn completion_kind(kind: DeclKind) -> CompletionItemKind {
    match kind {
        DeclKind::System | DeclKind::Zone | DeclKind::Policy => CompletionItemKind::MODULE,
        DeclKind::Data => CompletionItemKind::STRUCT,
        DeclKind::Component => CompletionItemKind::CLASS,
        DeclKind::Actor => CompletionItemKind::INTERFACE,
        DeclKind::Flow => CompletionItemKind::EVENT,
        DeclKind::Hazard => CompletionItemKind::CONSTANT,
        DeclKind::Threat => CompletionItemKind::FUNCTION,
        DeclKind::Rule => CompletionItemKind::OPERATOR,
        DeclKind::Control => CompletionItemKind::METHOD,
        DeclKind::Verification => CompletionItemKind::VALUE,
        DeclKind::Assumption | DeclKind::Accept => CompletionItemKind::VARIABLE,
        DeclKind::Usecase => CompletionItemKind::ENUM,
    }
}

/// Declarations of the given kinds in every file of the model.
fn declarations<'a>(
    snapshot: &'a Snapshot,
    kinds: &'a [DeclKind],
) -> impl Iterator<Item = &'a Decl> + 'a {
    snapshot
        .files
        .iter()
        .flat_map(|f| f.ast.items.iter())
        .filter_map(|item| match item {
            Item::Decl(d) if kinds.contains(&d.kind) => Some(d),
            _ => None,
        })
}

fn title_detail(decl: &Decl) -> Option<String> {
    Some(match &decl.title {
        Some(title) => format!("{} \u{2014} {}", decl.kind.keyword(), title.value),
        None => decl.kind.keyword().to_owned(),
    })
}

fn ids(snapshot: &Snapshot, items: &mut Candidates, kinds: &[DeclKind]) {
    for decl in declarations(snapshot, kinds) {
        items.add(
            &decl.name.name,
            completion_kind(decl.kind),
            title_detail(decl),
            None,
        );
    }
}

fn flows(snapshot: &Snapshot, items: &mut Candidates) {
    for decl in declarations(snapshot, &[DeclKind::Flow]) {
        items.add(
            &decl.name.name,
            CompletionItemKind::EVENT,
            title_detail(decl),
            None,
        );
        let both = decl
            .flow
            .as_ref()
            .is_some_and(|f| f.direction == ward_syntax::ast::FlowDirection::Both);
        if both {
            let reverse = format!("{}.reverse", decl.name.name);
            items.add(
                &reverse,
                CompletionItemKind::EVENT,
                title_detail(decl),
                None,
            );
        }
    }
}

fn threats(snapshot: &Snapshot, items: &mut Candidates) {
    ids(snapshot, items, &[DeclKind::Threat]);
    if let Some(analysis) = &snapshot.analysis {
        // Uncontrolled threats first: they are the ones that need a control.
        let mut generated: Vec<_> = analysis
            .threats
            .iter()
            .filter(|t| t.rule.is_some())
            .collect();
        generated.sort_by_key(|t| (t.controlled, std::cmp::Reverse(t.judged), t.id.clone()));
        for t in generated {
            let detail = format!("{} \u{2014} {} -> {}", t.title, t.initial.overall, t.judged);
            items.add(&t.id, CompletionItemKind::FUNCTION, Some(detail), None);
        }
    }
}

fn generated_targets(snapshot: &Snapshot, items: &mut Candidates, rule: &str) {
    let (Some(model), Some(analysis)) = (&snapshot.model, &snapshot.analysis) else {
        return;
    };
    for t in analysis
        .threats
        .iter()
        .filter(|t| t.rule.as_deref() == Some(rule))
    {
        if let ThreatKey::Generated { element, .. } = t.key {
            let detail = format!("{} -> {}", t.initial.overall, t.judged);
            items.add(
                model.target_name(element),
                CompletionItemKind::REFERENCE,
                Some(detail),
                None,
            );
        }
    }
}

fn words(items: &mut Candidates, words: &[&str]) {
    for word in words {
        items.add(word, CompletionItemKind::ENUM_MEMBER, None, None);
    }
}

fn levels(items: &mut Candidates, names: &[String]) {
    for name in names {
        items.add(name, CompletionItemKind::ENUM_MEMBER, None, None);
    }
}

fn values(snapshot: &Snapshot, model: Option<&Model>, items: &mut Candidates, kind: ValueKind) {
    let policy = model.map(Model::policy);
    match kind {
        Free | Block => {}
        Bool => words(items, &["true", "false"]),
        Words(list) => words(items, list),
        Ids(kinds) => ids(snapshot, items, kinds),
        Threats => threats(snapshot, items),
        Flows => flows(snapshot, items),
        Targets => {
            ids(snapshot, items, ELEMENTS);
            flows(snapshot, items);
        }
        SeverityLevel => levels(
            items,
            &policy.map(|p| p.severity.clone()).unwrap_or_default(),
        ),
        ExploitabilityLevel => levels(
            items,
            &policy.map(|p| p.exploitability.clone()).unwrap_or_default(),
        ),
        Policy => {
            items.add(
                ward_model::STD_POLICY_PATH,
                CompletionItemKind::MODULE,
                Some("ISO 14971 5x5".into()),
                None,
            );
            ids(snapshot, items, &[DeclKind::Policy]);
        }
        Verification => {
            ids(snapshot, items, &[DeclKind::Verification]);
            words(items, METHODS);
        }
        When => words(items, WHEN_WORDS),
    }
}

fn block_keys(
    snapshot: &Snapshot,
    model: Option<&Model>,
    items: &mut Candidates,
    decl: DeclKind,
    block: &str,
) {
    let policy = model.map(Model::policy);
    match (decl, block) {
        (DeclKind::Data | DeclKind::Component, "hazards") => {
            words(items, &["confidentiality", "integrity", "availability"])
        }
        (DeclKind::Control, "limits") => ids(snapshot, items, &[DeclKind::Hazard]),
        (DeclKind::Policy, "matrix") => levels(
            items,
            &policy.map(|p| p.severity.clone()).unwrap_or_default(),
        ),
        (DeclKind::Policy, "security_matrix") => words(items, &["none", "low", "medium", "high"]),
        (DeclKind::Policy, "exploitability_criteria") => levels(
            items,
            &policy.map(|p| p.exploitability.clone()).unwrap_or_default(),
        ),
        _ => {}
    }
}

fn block_values(
    snapshot: &Snapshot,
    model: Option<&Model>,
    items: &mut Candidates,
    decl: DeclKind,
    block: &str,
) {
    let policy = model.map(Model::policy);
    match (decl, block) {
        (DeclKind::Data | DeclKind::Component, "hazards") => {
            ids(snapshot, items, &[DeclKind::Hazard])
        }
        (DeclKind::Control, "limits") => levels(
            items,
            &policy.map(|p| p.severity.clone()).unwrap_or_default(),
        ),
        (DeclKind::Policy, "matrix" | "security_matrix") => words(items, RISK_LEVELS),
        _ => {}
    }
}

/// Keys already given in the block around the cursor.
fn present_keys(snapshot: &Snapshot, file: FileId, offset: usize) -> BTreeSet<&str> {
    enclosing_decl(snapshot, file, offset)
        .map(|d| {
            d.body
                .properties
                .iter()
                .filter(|p| {
                    !(p.key.span.start as usize <= offset && offset <= p.key.span.end as usize)
                })
                .map(|p| p.key.name.as_str())
                .collect()
        })
        .unwrap_or_default()
}

/// The declaration whose block holds the offset (an unclosed block runs to
/// the next declaration).
fn enclosing_decl(snapshot: &Snapshot, file: FileId, offset: usize) -> Option<&Decl> {
    let items = &snapshot.file(file).ast.items;
    let mut found = None;
    for (i, item) in items.iter().enumerate() {
        let Item::Decl(decl) = item else { continue };
        let open = decl.body.open.end as usize;
        if decl.body.open.is_empty() || offset < open {
            continue;
        }
        let end = match decl.body.close {
            Some(close) => close.start as usize,
            None => items
                .get(i + 1)
                .map_or(usize::MAX, |next| next.span().start as usize),
        };
        if offset <= end {
            found = Some(decl);
        }
    }
    found
}

fn context(snapshot: &Snapshot, file: FileId, word_start: usize) -> Context {
    let text = snapshot.text(file);
    let before = &text[..word_start];
    // Punctuation just before the word.
    if let Some(rest) = before.strip_suffix("::") {
        let segments: Vec<String> = path_before(rest);
        return Context::PathSegment(segments);
    }
    if let Some(rest) = before.strip_suffix('@') {
        let rule = ident_before(rest);
        return if rule.is_empty() {
            Context::Nothing
        } else {
            Context::GeneratedFor(rule)
        };
    }
    if before.ends_with('.') {
        return if ident_before(&before[..before.len() - 1]).is_empty() {
            Context::Nothing
        } else {
            Context::Reverse
        };
    }
    if in_comment_or_string(text, word_start) {
        return Context::Nothing;
    }
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = &before[line_start..];
    let words: Vec<&str> = line.split_whitespace().collect();
    if let Some(decl) = enclosing_decl(snapshot, file, word_start) {
        return block_context(text, decl, word_start);
    }
    // Header or top level.
    match words.first().copied() {
        None => Context::TopLevel,
        Some("use") if words.len() == 1 => Context::StdModule,
        Some("accept") if words.len() == 1 => Context::AcceptedThreat,
        Some("flow") => {
            let tail = line.trim_end();
            if tail.ends_with(':') || tail.ends_with("->") {
                Context::FlowEnd
            } else {
                Context::Nothing
            }
        }
        Some(keyword) => match DeclKind::from_keyword(keyword) {
            Some(kind) if words.last() == Some(&"in") && words.len() >= 3 => Context::Parent(kind),
            _ if words.len() == 1 && line.ends_with(|c: char| !c.is_whitespace()) => {
                Context::TopLevel
            }
            _ => Context::Nothing,
        },
    }
}

/// The identifier that ends `text`.
fn ident_before(text: &str) -> String {
    let start = text
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '_')
        .last()
        .map_or(text.len(), |(i, _)| i);
    text[start..].to_owned()
}

/// The `a::b` path that ends `text` (before a final `::`), as segments.
fn path_before(text: &str) -> Vec<String> {
    let mut segments = vec![ident_before(text)];
    let mut rest = &text[..text.len() - segments[0].len()];
    while let Some(r) = rest.strip_suffix("::") {
        let segment = ident_before(r);
        if segment.is_empty() {
            break;
        }
        rest = &r[..r.len() - segment.len()];
        segments.insert(0, segment);
    }
    segments
}

/// Whether an offset is inside a comment or a string (a forward scan of
/// the file up to it).
fn in_comment_or_string(text: &str, offset: usize) -> bool {
    let mut scanner = Scanner::new(&text[..offset]);
    while scanner.step().is_some() {}
    scanner.inside
}

/// A token-level scan that skips comments and strings.
struct Scanner<'a> {
    text: &'a str,
    at: usize,
    /// The scan ended inside a comment or string.
    inside: bool,
}

#[derive(Debug, PartialEq, Eq)]
enum Token<'a> {
    Ident(&'a str),
    Punct(char),
    Newline,
    Other,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Scanner<'a> {
        Scanner {
            text,
            at: 0,
            inside: false,
        }
    }

    fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    fn step(&mut self) -> Option<Token<'a>> {
        let rest = self.rest();
        let c = rest.chars().next()?;
        if rest.starts_with("//") {
            match rest.find('\n') {
                Some(i) => self.at += i,
                None => {
                    self.at = self.text.len();
                    self.inside = true;
                }
            }
            return Some(Token::Other);
        }
        if rest.starts_with("/*") {
            // Nested block comments.
            let mut depth = 0usize;
            let mut i = 0;
            let bytes = rest.as_bytes();
            while i < bytes.len() {
                if bytes[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if bytes[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            self.inside = depth > 0;
            self.at += i;
            return Some(Token::Other);
        }
        if rest.starts_with("\"\"\"") {
            match rest[3..].find("\"\"\"") {
                Some(i) => self.at += i + 6,
                None => {
                    self.at = self.text.len();
                    self.inside = true;
                }
            }
            return Some(Token::Other);
        }
        if c == '"' {
            let bytes = rest.as_bytes();
            let mut i = 1;
            while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            if i >= bytes.len() {
                self.at = self.text.len();
                self.inside = true;
            } else {
                // An unterminated string ends at the line's end.
                self.at += i + usize::from(bytes[i] == b'"');
            }
            return Some(Token::Other);
        }
        if c.is_ascii_alphanumeric() || c == '_' {
            let len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            self.at += len;
            return Some(Token::Ident(&rest[..len]));
        }
        self.at += c.len_utf8();
        Some(match c {
            '\n' => Token::Newline,
            c if "{}[](),:".contains(c) => Token::Punct(c),
            _ => Token::Other,
        })
    }
}

/// Inside a declaration's block: a key or a value of which property.
fn block_context(text: &str, decl: &Decl, offset: usize) -> Context {
    #[derive(Clone, Copy, PartialEq)]
    enum Frame {
        Block,
        List,
    }
    let start = decl.body.open.start as usize;
    let mut scanner = Scanner::new(&text[start..offset]);
    // Per block level: its key (for nested blocks), the key being given,
    // and whether a value is expected.
    let mut blocks: Vec<(Option<String>, Option<String>, bool)> = Vec::new();
    let mut frames: Vec<Frame> = Vec::new();
    let mut last_ident: Option<&str> = None;
    let mut previous_colon = false;
    while let Some(token) = scanner.step() {
        let in_block = frames.last() == Some(&Frame::Block);
        match token {
            Token::Punct('{') => {
                // The outermost block is the declaration's; inner ones are
                // block properties named by the word before them.
                let key = if blocks.is_empty() {
                    None
                } else {
                    last_ident.map(str::to_owned)
                };
                blocks.push((key, None, false));
                frames.push(Frame::Block);
            }
            Token::Punct('}') => {
                if frames.pop() == Some(Frame::Block) {
                    blocks.pop();
                }
                if let Some(block) = blocks.last_mut() {
                    block.2 = false;
                }
            }
            Token::Punct('[' | '(') => frames.push(Frame::List),
            Token::Punct(']' | ')') => {
                frames.pop();
            }
            Token::Punct(':') if in_block => {
                // `::` is a path, not a key separator.
                if scanner.rest().starts_with(':') || previous_colon {
                    previous_colon = !previous_colon;
                    continue;
                }
                if let Some(block) = blocks.last_mut() {
                    block.1 = last_ident.map(str::to_owned);
                    block.2 = true;
                }
            }
            Token::Punct(',') | Token::Newline if in_block => {
                if let Some(block) = blocks.last_mut() {
                    block.2 = false;
                }
            }
            Token::Ident(word) => last_ident = Some(word),
            _ => {}
        }
        previous_colon = false;
    }
    if scanner.inside {
        return Context::Nothing;
    }
    let Some((block_key, key, expecting_value)) = blocks.last().cloned() else {
        return Context::Nothing;
    };
    let in_list = frames.last() == Some(&Frame::List);
    match (expecting_value || in_list, key) {
        (true, Some(key)) => Context::Value {
            decl: decl.kind,
            block: block_key,
            key,
        },
        (true, None) => Context::Nothing,
        (false, _) => Context::Key {
            decl: decl.kind,
            block: block_key,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_before_a_separator() {
        assert_eq!(path_before("use std"), vec!["std"]);
        assert_eq!(path_before("policy: std::policy"), vec!["std", "policy"]);
    }

    #[test]
    fn comments_and_strings_are_skipped() {
        assert!(in_comment_or_string("a // b", 6));
        assert!(in_comment_or_string("x: \"ab", 6));
        assert!(!in_comment_or_string("x: \"ab\" ", 8));
        assert!(in_comment_or_string("/* /* */ x", 10));
        assert!(!in_comment_or_string("/* /* */ */ x", 13));
        assert!(in_comment_or_string("\"\"\"\nab", 6));
    }
}
