//! An OTM document (read and checked by `document.rs`) onto the importer's
//! model: the tables of docs/interchange.md, "Importing OTM". An object
//! that carries the Ward source a Ward export kept is written as that
//! source ([`Verbatim`]); every other object is mapped from its OTM fields.

use std::collections::HashSet;

use ward_diagnostics::Diagnostic;
use ward_syntax::ast::{DeclKind, Item};

use super::document::{
    Asset, Component, Dataflow, Document, Located, Mitigation, Parent, Threat, ThreatInstance,
    TrustZone,
};
use crate::codes;
use crate::input::Input;
use crate::ir::{self, ImportModel, Origin, Verbatim};

/// The standard exploitability scale, lowest first: OTM's 0..100
/// likelihood and risk reduction map onto it.
const EXPLOITABILITY: [ir::Exploitability; 5] = [
    ir::Exploitability::VeryLow,
    ir::Exploitability::Low,
    ir::Exploitability::Moderate,
    ir::Exploitability::High,
    ir::Exploitability::VeryHigh,
];

/// The importer's model of `doc`, and the warnings about Ward sources that
/// could not be used (W0640).
pub fn map(doc: &Document, input: &Input) -> (ImportModel, Vec<Diagnostic>) {
    let mut m = Mapper {
        doc,
        input,
        model: ImportModel::default(),
        warnings: Vec::new(),
        verbatim: HashSet::new(),
    };
    m.run();
    (m.model, m.warnings)
}

struct Mapper<'d> {
    doc: &'d Document,
    input: &'d Input<'d>,
    model: ImportModel,
    warnings: Vec<Diagnostic>,
    /// `(collection, OTM id)` of the objects written as their Ward source:
    /// their key is their Ward id.
    verbatim: HashSet<(&'static str, String)>,
}

impl Mapper<'_> {
    fn origin(&self, id: &Located<String>) -> Origin {
        Origin::new(
            id.value.clone(),
            Some(self.input.location_of(id.span.start as usize)),
        )
    }

    /// The importer's key of an OTM object: the Ward id of one written as
    /// its Ward source, else the collection and the OTM id (keys of
    /// different collections never meet).
    fn key(&self, collection: &'static str, id: &str) -> String {
        if self.verbatim.contains(&(collection, id.to_string())) {
            id.to_string()
        } else {
            format!("{collection}:{id}")
        }
    }

    fn run(&mut self) {
        let doc = self.doc;
        let p = &doc.project;
        self.model.title = if p.name.is_empty() {
            p.id.clone()
        } else {
            p.name.clone()
        };
        self.model.description = p.description.clone();
        self.model.header = vec![format!(
            "Imported from OTM project `{}` by `ward import otm`; see docs/interchange.md.",
            p.id
        )];
        if !p.tags.is_empty() && p.ward.is_none() {
            self.model
                .header
                .push(format!("OTM project tags: {}", p.tags.join(", ")));
        }
        if let Some(w) = &p.ward {
            self.model.files = w
                .files
                .iter()
                .map(|(path, text)| ir::KeptFile {
                    path: path.value.clone(),
                    text: text.clone(),
                    location: Some(self.input.location_of(path.span.start as usize)),
                })
                .collect();
            self.model.vulnerabilities = w
                .vulnerabilities
                .clone()
                .map(|(feeds, vex)| ir::VulnerabilitySettings { feeds, vex });
            self.model.uses = Some(
                w.uses
                    .iter()
                    .filter(|u| {
                        let ok = is_std_path(u);
                        if !ok {
                            self.model.drop_item(
                                format!("`use {u}`"),
                                "not a standard library module",
                                None,
                                true,
                            );
                        }
                        ok
                    })
                    .cloned()
                    .collect(),
            );
            for (kind, id, source) in &w.declarations {
                let Some(decl) = DeclKind::ALL.iter().copied().find(|k| k.keyword() == kind) else {
                    self.model.drop_item(
                        format!("Ward declaration `{id}`"),
                        format!("`{kind}` is not a declaration keyword"),
                        None,
                        true,
                    );
                    continue;
                };
                match check_declaration(source, &[decl], id) {
                    Ok(()) => self.model.verbatim.push(Verbatim {
                        kind: decl.keyword(),
                        id: id.clone(),
                        source: source.clone(),
                    }),
                    Err(why) => self.model.drop_item(
                        format!("Ward declaration {kind} `{id}`"),
                        format!("its source is not used: {why}"),
                        None,
                        true,
                    ),
                }
            }
        }
        // Which objects keep their Ward source is known before any is
        // mapped, so that references to them use their Ward ids.
        let zones: Vec<bool> = doc
            .zones
            .iter()
            .map(|z| {
                self.keeps(
                    z.ward_source.as_ref(),
                    &[DeclKind::Zone],
                    &z.id,
                    "trust zone",
                )
            })
            .collect();
        let assets: Vec<bool> = doc
            .assets
            .iter()
            .map(|a| self.keeps(a.ward_source.as_ref(), &[DeclKind::Data], &a.id, "asset"))
            .collect();
        let components: Vec<bool> = doc
            .components
            .iter()
            .map(|c| {
                self.keeps(
                    c.ward_source.as_ref(),
                    &[DeclKind::Component, DeclKind::Actor],
                    &c.id,
                    "component",
                )
            })
            .collect();
        let flows: Vec<bool> = doc
            .dataflows
            .iter()
            .map(|f| self.keeps(f.ward_source.as_ref(), &[DeclKind::Flow], &f.id, "dataflow"))
            .collect();
        let threats: Vec<bool> = doc
            .threats
            .iter()
            .map(|t| self.keeps(t.ward_source.as_ref(), &[DeclKind::Threat], &t.id, "threat"))
            .collect();
        let mitigations: Vec<bool> = doc
            .mitigations
            .iter()
            .map(|mi| {
                self.keeps(
                    mi.ward_source.as_ref(),
                    &[DeclKind::Control],
                    &mi.id,
                    "mitigation",
                )
            })
            .collect();
        for (z, kept) in doc.zones.iter().zip(zones) {
            self.zone(z, kept);
        }
        for (a, kept) in doc.assets.iter().zip(assets) {
            self.asset(a, kept);
        }
        for (c, kept) in doc.components.iter().zip(components) {
            self.component(c, kept);
        }
        for (f, kept) in doc.dataflows.iter().zip(flows) {
            self.dataflow(f, kept);
        }
        for (t, kept) in doc.threats.iter().zip(threats) {
            self.threat(t, kept);
        }
        for (mi, kept) in doc.mitigations.iter().zip(mitigations) {
            self.mitigation(mi, kept);
        }
    }

    /// Whether an object is written as its Ward source: it has one, and it
    /// is one declaration of the kind the object maps to, with the object's
    /// id. A source that is not is W0640, and the object is mapped from its
    /// OTM fields.
    fn keeps(
        &mut self,
        source: Option<&String>,
        kinds: &[DeclKind],
        id: &Located<String>,
        what: &str,
    ) -> bool {
        let Some(source) = source else {
            return false;
        };
        match check_declaration(source, kinds, &id.value) {
            Ok(()) => {
                let collection = collection_of(kinds[0]);
                self.verbatim.insert((collection, id.value.clone()));
                self.model.verbatim.push(Verbatim {
                    kind: declared_kind(source).unwrap_or(kinds[0]).keyword(),
                    id: id.value.clone(),
                    source: source.clone(),
                });
                true
            }
            Err(why) => {
                self.warnings.push(
                    Diagnostic::warning(
                        codes::WARD_SOURCE_UNUSED,
                        id.span,
                        format!("the Ward source of {what} `{}` is not used: {why}", id.value),
                    )
                    .with_primary_label("mapped from its OTM fields instead")
                    .with_help("a Ward export keeps each declaration's source in `attributes.ward.source`; correct it, or remove it to map the object from OTM alone"),
                );
                false
            }
        }
    }

    fn zone(&mut self, z: &TrustZone, kept: bool) {
        if kept {
            return;
        }
        let trust = nearest(
            z.trust_rating,
            &[
                ir::Trust::Hostile,
                ir::Trust::Untrusted,
                ir::Trust::Controlled,
                ir::Trust::Trusted,
            ],
        );
        let mut comments = vec![format!(
            "OTM trustRating {} is `{}`",
            z.trust_rating,
            trust.word()
        )];
        if let Some(kind) = &z.kind {
            comments.push(format!("OTM type: {kind}"));
        }
        let parent = match &z.parent {
            Some(Parent::Zone(p)) => Some(self.key("zone", &p.value)),
            Some(Parent::Component(p)) => {
                self.model.approximate(
                    format!("trust zone `{}`", z.id.value),
                    format!("its parent is component `{}`; Ward zones nest in zones only, so it is top-level", p.value),
                    Some(self.input.location_of(p.span.start as usize)),
                );
                comments.push(format!("OTM parent: component `{}` (not a zone)", p.value));
                None
            }
            None => None,
        };
        self.model.zones.push(ir::Zone {
            key: self.key("zone", &z.id.value),
            name: z.name.clone(),
            description: z.description.clone(),
            trust,
            parent,
            comments,
            origin: self.origin(&z.id),
        });
    }

    fn asset(&mut self, a: &Asset, kept: bool) {
        if kept {
            return;
        }
        let levels = [
            ir::Rating::None,
            ir::Rating::Low,
            ir::Rating::Medium,
            ir::Rating::High,
        ];
        self.model.data.push(ir::Data {
            key: self.key("asset", &a.id.value),
            name: a.name.clone(),
            description: a.description.clone(),
            kind: ir::DataKind::Other,
            confidentiality: nearest(a.cia[0], &levels),
            integrity: nearest(a.cia[1], &levels),
            availability: nearest(a.cia[2], &levels),
            comments: vec![format!(
                "OTM risk: confidentiality {}, integrity {}, availability {}",
                a.cia[0], a.cia[1], a.cia[2]
            )],
            origin: self.origin(&a.id),
        });
    }

    /// The zone a component goes in: its parent zone, or the zone its
    /// parent components reach first (references are checked, so the walk
    /// ends; it is bounded by the component count all the same).
    fn zone_of(&self, parent: &Parent) -> Option<String> {
        let mut parent = parent.clone();
        for _ in 0..=self.doc.components.len() {
            match parent {
                Parent::Zone(z) => return Some(self.key("zone", &z.value)),
                Parent::Component(c) => {
                    parent = (self.doc.components.iter())
                        .find(|x| x.id.value == c.value)?
                        .parent
                        .clone();
                }
            }
        }
        None
    }

    fn component(&mut self, c: &Component, kept: bool) {
        if kept {
            return;
        }
        let what = format!("component `{}`", c.id.value);
        let at = Some(self.input.location_of(c.id.span.start as usize));
        let Some(zone) = self.zone_of(&c.parent) else {
            self.model
                .drop_item(what, "its parents never reach a trust zone", at, true);
            return;
        };
        let mut comments = Vec::new();
        if let Parent::Component(p) = &c.parent {
            comments.push(format!(
                "OTM parent: component `{}` (Ward does not nest components; placed in its zone)",
                p.value
            ));
            self.model.approximate(
                what.clone(),
                format!("nested in component `{}`: placed in its zone", p.value),
                at,
            );
        }
        if c.representations > 0 {
            comments.push(format!(
                "OTM representations: {} (diagram shapes and code locations are not imported)",
                c.representations
            ));
        }
        let (kind, guessed) = element_kind(&c.kind);
        if guessed {
            comments.push(format!("OTM type `{}`: the kind is a guess", c.kind));
            self.model.approximate(
                what,
                format!("type `{}` taken as {}", c.kind, kind_word(kind)),
                at,
            );
        }
        let mut seen = HashSet::new();
        let tags = c
            .tags
            .iter()
            .map(|t| crate::ident::sanitize(t))
            .filter(|t| {
                !t.is_empty()
                    && !t.starts_with(|c: char| c.is_ascii_digit())
                    && seen.insert(t.clone())
            })
            .collect();
        self.model.elements.push(ir::Element {
            key: self.key("component", &c.id.value),
            name: c.name.clone(),
            description: c.description.clone(),
            kind,
            zone,
            stores: c
                .stored
                .iter()
                .map(|s| self.key("asset", &s.value))
                .collect(),
            tags,
            comments,
            origin: self.origin(&c.id),
        });
    }

    fn dataflow(&mut self, f: &Dataflow, kept: bool) {
        if kept {
            return;
        }
        let mut comments = Vec::new();
        let protocol = f.protocol.as_ref().map(|p| {
            let word = crate::ident::sanitize(p);
            if word != p.as_str() {
                comments.push(format!("OTM protocol: {p}"));
            }
            word
        });
        let protocol =
            protocol.filter(|p| !p.is_empty() && !p.starts_with(|c: char| c.is_ascii_digit()));
        if !f.tags.is_empty() {
            comments.push(format!("OTM tags: {}", f.tags.join(", ")));
        }
        self.model.flows.push(ir::Flow {
            key: self.key("dataflow", &f.id.value),
            name: f.name.clone(),
            description: f.description.clone(),
            source: self.key("component", &f.source.value),
            target: self.key("component", &f.destination.value),
            both_ways: f.bidirectional,
            protocol,
            carries: f
                .assets
                .iter()
                .map(|a| self.key("asset", &a.value))
                .collect(),
            authenticated: f.authenticated == Some(true),
            encrypted: f.encrypted == Some(true),
            integrity_protected: false,
            comments,
            origin: self.origin(&f.id),
        });
    }

    /// The components and dataflows whose threat instances name `threat`.
    fn instances_of(&self, threat: &str) -> Vec<(String, &ThreatInstance)> {
        let doc = self.doc;
        let on_components = doc.components.iter().flat_map(|c| {
            c.threats
                .iter()
                .filter(|i| i.threat.value == threat)
                .map(|i| (self.key("component", &c.id.value), i))
        });
        let on_flows = doc.dataflows.iter().flat_map(|f| {
            f.threats
                .iter()
                .filter(|i| i.threat.value == threat)
                .map(|i| (self.key("dataflow", &f.id.value), i))
        });
        on_components.chain(on_flows).collect()
    }

    /// A rule threat of a Ward export that the imported model's rules
    /// generate again, with the same id (`RULE@ELEMENT`), or a
    /// vulnerability's threat (`VULNERABILITY@ELEMENT`) that its kept
    /// declaration or feed gives again.
    fn regenerated(&self, t: &Threat) -> bool {
        if t.ward_origin.as_deref() == Some("vulnerability") {
            let declared = t.id.value.split_once('@').is_some_and(|(v, _)| {
                (self.model.verbatim.iter()).any(|d| d.kind == "vulnerability" && d.id == v)
            });
            let fed = (self.model.vulnerabilities.iter()).any(|v| !v.feeds.is_empty());
            return declared || fed;
        }
        let Some(rule) = &t.ward_rule else {
            return false;
        };
        let uses_stride = (self.model.uses.iter().flatten()).any(|u| u == "std::stride");
        let declared = self
            .model
            .verbatim
            .iter()
            .any(|v| v.kind == "rule" && &v.id == rule);
        t.id.value.starts_with(&format!("{rule}@")) && (declared || uses_stride)
    }

    fn threat(&mut self, t: &Threat, kept: bool) {
        if kept {
            return;
        }
        if self.regenerated(t) {
            self.model.regenerated_threats += 1;
            return;
        }
        let what = format!("threat `{}`", t.id.value);
        let at = Some(self.input.location_of(t.id.span.start as usize));
        let mut targets: Vec<String> = Vec::new();
        let mut comments = Vec::new();
        for (target, instance) in self.instances_of(&t.id.value) {
            if !instance.state.is_empty() {
                let on = target.split_once(':').map_or(target.as_str(), |(_, id)| id);
                comments.push(format!("OTM state on `{on}`: {}", instance.state));
            }
            if !targets.contains(&target) {
                targets.push(target);
            }
        }
        if targets.is_empty() {
            self.model.drop_item(
                what,
                "no component or dataflow names it, so it has no target",
                at,
                true,
            );
            return;
        }
        let mut stride: Vec<ir::Stride> = Vec::new();
        for c in &t.categories {
            match ir::Stride::parse(c) {
                Some(s) if !stride.contains(&s) => stride.push(s),
                Some(_) => {}
                None => comments.push(format!("OTM category not in STRIDE: {c}")),
            }
        }
        if stride.is_empty() {
            let guess = stride_guess(&t.name);
            comments.push(format!(
                "no STRIDE category in OTM: `{}` is a guess from the name",
                guess.word()
            ));
            self.model.approximate(
                what.clone(),
                format!("no STRIDE category; `{}` from its name", guess.word()),
                at,
            );
            stride.push(guess);
        }
        let exploitability = match t.likelihood {
            Some(l) => nearest(l, &EXPLOITABILITY),
            None => {
                self.model.approximate(
                    what.clone(),
                    "no likelihood; exploitability `moderate`",
                    at,
                );
                ir::Exploitability::Moderate
            }
        };
        comments.push(format!(
            "OTM impact {}{} (Ward derives the impact from data and hazards)",
            t.impact,
            t.impact_comment
                .as_ref()
                .map_or(String::new(), |c| format!(": {c}"))
        ));
        let capec = numbers(&t.capec, "CAPEC-");
        if !capec.is_empty() {
            comments.push(format!(
                "CAPEC: {}",
                capec
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        self.model.threats.push(ir::Threat {
            key: self.key("threat", &t.id.value),
            name: t.name.clone(),
            description: t.description.clone(),
            stride,
            targets,
            exploitability,
            cwe: numbers(&t.cwes, "CWE-"),
            comments,
            origin: self.origin(&t.id),
        });
    }

    fn mitigation(&mut self, mi: &Mitigation, kept: bool) {
        if kept {
            return;
        }
        let what = format!("mitigation `{}`", mi.id.value);
        let at = Some(self.input.location_of(mi.id.span.start as usize));
        let mut comments = Vec::new();
        let mut mitigates: Vec<String> = Vec::new();
        let mut states: Vec<String> = Vec::new();
        let doc = self.doc;
        for t in &doc.threats {
            for (_, instance) in self.instances_of(&t.id.value) {
                for (m, state) in &instance.mitigations {
                    if m.value != mi.id.value {
                        continue;
                    }
                    let key = if self.regenerated(t) {
                        t.id.value.clone()
                    } else {
                        self.key("threat", &t.id.value)
                    };
                    if !mitigates.contains(&key) {
                        mitigates.push(key);
                    }
                    if let Some(s) = state {
                        states.push(s.to_lowercase());
                    }
                }
            }
        }
        // Only threats written into the model can be named.
        let written: HashSet<String> = self
            .model
            .threats
            .iter()
            .map(|t| t.key.clone())
            .chain(
                self.model
                    .verbatim
                    .iter()
                    .filter(|v| v.kind == "threat")
                    .map(|v| v.id.clone()),
            )
            .collect();
        mitigates.retain(|k| written.contains(k) || k.contains('@'));
        let status = if states.iter().any(|s| s == "implemented") {
            ir::ControlStatus::Implemented
        } else {
            ir::ControlStatus::Proposed
        };
        for s in &states {
            if !matches!(
                s.as_str(),
                "implemented" | "required" | "recommended" | "proposed"
            ) {
                comments.push(format!("OTM mitigation state: {s}"));
            }
        }
        let category = match mi.category.as_deref().and_then(category_word) {
            Some(c) => c,
            None => {
                let guess = category_guess(&mi.name);
                comments.push(format!(
                    "category `{}` is a guess from the name",
                    guess.word()
                ));
                self.model.approximate(
                    what,
                    format!("category `{}` from its name", guess.word()),
                    at,
                );
                guess
            }
        };
        let reduces = (mi.risk_reduction.clamp(0.0, 100.0) * (EXPLOITABILITY.len() - 1) as f64
            / 100.0)
            .round();
        comments.push(format!(
            "OTM riskReduction {} (about {reduces} exploitability levels; not set: Ward's `reduces` is a design decision)",
            mi.risk_reduction
        ));
        self.model.controls.push(ir::Control {
            key: self.key("mitigation", &mi.id.value),
            name: mi.name.clone(),
            category,
            requirement: mi.description.clone().unwrap_or_else(|| mi.name.clone()),
            mitigates,
            status,
            comments,
            origin: self.origin(&mi.id),
        });
    }
}

/// Why `source` is not one declaration of `kinds` named `id`, if it is not.
fn check_declaration(source: &str, kinds: &[DeclKind], id: &str) -> Result<(), String> {
    let parse = ward_syntax::parse(source, ward_diagnostics::FileId(0));
    if parse.has_errors() {
        return Err("it does not parse as Ward".into());
    }
    match parse.ast.items.as_slice() {
        [Item::Decl(d)] if !kinds.contains(&d.kind) => {
            Err(format!("it declares a `{}`", d.kind.keyword()))
        }
        [Item::Decl(d)] if d.name.name != id => Err(format!("it declares `{}`", d.name.name)),
        [Item::Decl(_)] => Ok(()),
        items => Err(format!(
            "it holds {} items, not one declaration",
            items.len()
        )),
    }
}

fn declared_kind(source: &str) -> Option<DeclKind> {
    match ward_syntax::parse(source, ward_diagnostics::FileId(0))
        .ast
        .items
        .as_slice()
    {
        [Item::Decl(d)] => Some(d.kind),
        _ => None,
    }
}

/// The OTM collection of the objects that map to a declaration kind.
fn collection_of(kind: DeclKind) -> &'static str {
    match kind {
        DeclKind::Zone => "zone",
        DeclKind::Data => "asset",
        DeclKind::Flow => "dataflow",
        DeclKind::Threat => "threat",
        DeclKind::Control => "mitigation",
        _ => "component",
    }
}

fn is_std_path(path: &str) -> bool {
    path.starts_with("std::")
        && path
            .split("::")
            .all(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

/// The nearest of `levels`, spread evenly over 0..100, to `value`.
fn nearest<T: Copy>(value: f64, levels: &[T]) -> T {
    let steps = (levels.len() - 1) as f64;
    let index = (value.clamp(0.0, 100.0) * steps / 100.0).round() as usize;
    levels[index.min(levels.len() - 1)]
}

/// `CWE-79` and `79` as 79; anything else is left out.
fn numbers(items: &[String], prefix: &str) -> Vec<u32> {
    items
        .iter()
        .filter_map(|i| {
            let i = i.trim();
            i.strip_prefix(prefix).unwrap_or(i).parse().ok()
        })
        .collect()
}

fn kind_word(kind: ir::ElementKind) -> String {
    match kind {
        ir::ElementKind::Component(k) => format!("component kind `{}`", k.as_str()),
        ir::ElementKind::Human => "actor kind `human`".into(),
        ir::ElementKind::ExternalSystem => "actor kind `external_system`".into(),
    }
}

/// A component type as an element kind, and whether it is a guess
/// (docs/interchange.md, "Importing OTM": an exact Ward kind is taken as it
/// is, otherwise the first row whose word the type contains).
fn element_kind(otm_type: &str) -> (ir::ElementKind, bool) {
    use ir::ComponentKind as K;
    use ir::ElementKind as E;
    let t = otm_type.to_lowercase();
    if let Some(k) = K::ALL.iter().find(|k| k.as_str() == t) {
        return (E::Component(*k), false);
    }
    match t.as_str() {
        "actor-human" | "human" => return (E::Human, false),
        "actor-external_system" | "external_system" => return (E::ExternalSystem, false),
        _ => {}
    }
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    let kind = if has(&["actor", "user", "human", "person"]) {
        if t.contains("external") {
            E::ExternalSystem
        } else {
            E::Human
        }
    } else if has(&["external", "third-party", "saas"]) {
        E::ExternalSystem
    } else if has(&[
        "database",
        "datastore",
        "data-store",
        "storage",
        "db",
        "bucket",
        "queue",
        "cache",
    ]) {
        E::Component(K::Datastore)
    } else if has(&["mobile"]) {
        E::Component(K::MobileApp)
    } else if has(&["browser"]) {
        E::Component(K::Browser)
    } else if has(&["web-client", "web-app", "webapp", "frontend"]) {
        E::Component(K::WebApp)
    } else if has(&["firmware"]) {
        E::Component(K::Firmware)
    } else if has(&["device", "sensor", "iot", "embedded", "pump"]) {
        E::Component(K::Device)
    } else if has(&[
        "proxy",
        "load-balancer",
        "loadbalancer",
        "waf",
        "api-gateway",
    ]) {
        E::Component(K::Proxy)
    } else if has(&["identity", "idp", "oidc", "saml", "active-directory"]) {
        E::Component(K::IdentityProvider)
    } else if has(&["ci-cd", "cicd", "ci-pipeline", "build-pipeline", "jenkins"]) {
        E::Component(K::CiPipeline)
    } else if has(&["repository", "git-", "gitlab", "github"]) {
        E::Component(K::CodeRepository)
    } else if has(&["agent"]) {
        E::Component(K::Agent)
    } else if has(&[
        "llm",
        "ml-model",
        "machine-learning",
        "model-endpoint",
        "inference",
    ]) {
        E::Component(K::MlModel)
    } else if has(&[
        "container",
        "kubernetes",
        "cluster",
        "virtual-machine",
        "runtime",
    ]) {
        E::Component(K::Runtime)
    } else if has(&["gateway", "firewall"]) {
        E::Component(K::Gateway)
    } else if has(&["cloud", "lambda", "serverless", "function"]) {
        E::Component(K::CloudService)
    } else if has(&["service", "server", "api", "backend"]) {
        E::Component(K::Service)
    } else {
        E::Component(K::Process)
    };
    (kind, true)
}

/// A STRIDE class from words of a threat's name; tampering when none fits.
fn stride_guess(name: &str) -> ir::Stride {
    let n = name.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
    if has(&["spoof", "impersonat", "phishing", "forg"]) {
        ir::Stride::Spoofing
    } else if has(&["privilege", "escalat", "bypass"]) {
        ir::Stride::ElevationOfPrivilege
    } else if has(&["denial", "flood", "exhaust", "dos"]) {
        ir::Stride::DenialOfService
    } else if has(&[
        "disclos",
        "leak",
        "sniff",
        "expos",
        "eavesdrop",
        "footprint",
    ]) {
        ir::Stride::InformationDisclosure
    } else if has(&["repudiat", "audit", "log"]) {
        ir::Stride::Repudiation
    } else {
        ir::Stride::Tampering
    }
}

/// A Ward control category word.
fn category_word(word: &str) -> Option<ir::ControlCategory> {
    use ir::ControlCategory as C;
    [
        C::Authentication,
        C::Authorization,
        C::Cryptography,
        C::Integrity,
        C::Confidentiality,
        C::EventDetection,
        C::Resiliency,
        C::Updatability,
    ]
    .into_iter()
    .find(|c| c.word() == word)
}

/// A control category from words of a mitigation's name; integrity when
/// none fits.
fn category_guess(name: &str) -> ir::ControlCategory {
    use ir::ControlCategory as C;
    let n = name.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
    if has(&["authenticat", "login", "password", "mfa"]) {
        C::Authentication
    } else if has(&[
        "authoriz",
        "access control",
        "permission",
        "privilege",
        "role",
    ]) {
        C::Authorization
    } else if has(&["encrypt", "crypt", "tls", "certificate", "key"]) {
        C::Cryptography
    } else if has(&["integrity", "sign", "checksum", "hash"]) {
        C::Integrity
    } else if has(&["log", "audit", "monitor", "detect", "alert"]) {
        C::EventDetection
    } else if has(&["update", "patch"]) {
        C::Updatability
    } else if has(&[
        "backup",
        "redundan",
        "rate limit",
        "availability",
        "resilien",
    ]) {
        C::Resiliency
    } else if has(&["confidential", "privacy", "mask"]) {
        C::Confidentiality
    } else {
        C::Integrity
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_map_to_the_nearest_level() {
        use ir::Trust::*;
        let trust = [Hostile, Untrusted, Controlled, Trusted];
        assert_eq!(nearest(0.0, &trust), Hostile);
        assert_eq!(nearest(20.0, &trust), Untrusted);
        assert_eq!(nearest(33.0, &trust), Untrusted);
        assert_eq!(nearest(67.0, &trust), Controlled);
        assert_eq!(nearest(100.0, &trust), Trusted);
        assert_eq!(nearest(250.0, &trust), Trusted);
        assert_eq!(nearest(-5.0, &trust), Hostile);
        assert_eq!(nearest(50.0, &EXPLOITABILITY), ir::Exploitability::Moderate);
    }

    #[test]
    fn component_types_map_by_the_table() {
        use ir::ComponentKind as K;
        use ir::ElementKind as E;
        assert_eq!(element_kind("web-client"), (E::Component(K::WebApp), true));
        assert_eq!(element_kind("database"), (E::Component(K::Datastore), true));
        assert_eq!(element_kind("actor"), (E::Human, true));
        assert_eq!(element_kind("device"), (E::Component(K::Device), false));
        assert_eq!(
            element_kind("actor-external_system"),
            (E::ExternalSystem, false)
        );
        assert_eq!(element_kind("code-class"), (E::Component(K::Process), true));
        // The v2 kinds (issue #16): exact words and the usual OTM types.
        assert_eq!(element_kind("runtime"), (E::Component(K::Runtime), false));
        assert_eq!(
            element_kind("load-balancer"),
            (E::Component(K::Proxy), true)
        );
        assert_eq!(
            element_kind("reverse-proxy"),
            (E::Component(K::Proxy), true)
        );
        assert_eq!(
            element_kind("oidc-provider"),
            (E::Component(K::IdentityProvider), true)
        );
        assert_eq!(
            element_kind("ci-cd-pipeline"),
            (E::Component(K::CiPipeline), true)
        );
        assert_eq!(
            element_kind("git-repository"),
            (E::Component(K::CodeRepository), true)
        );
        assert_eq!(
            element_kind("web-browser"),
            (E::Component(K::Browser), true)
        );
        assert_eq!(element_kind("llm"), (E::Component(K::MlModel), true));
        assert_eq!(element_kind("ai-agent"), (E::Component(K::Agent), true));
        assert_eq!(
            element_kind("kubernetes-cluster"),
            (E::Component(K::Runtime), true)
        );
    }

    #[test]
    fn ward_sources_are_checked() {
        let zone = "zone home \"Home\" { trust: untrusted }";
        assert!(check_declaration(zone, &[DeclKind::Zone], "home").is_ok());
        assert!(check_declaration(zone, &[DeclKind::Zone], "cloud").is_err());
        assert!(check_declaration(zone, &[DeclKind::Data], "home").is_err());
        assert!(check_declaration("zone a {} zone b {}", &[DeclKind::Zone], "a").is_err());
        assert!(check_declaration("zone a { trust: ", &[DeclKind::Zone], "a").is_err());
        assert_eq!(
            numbers(&["CWE-79".into(), "x".into(), "787".into()], "CWE-"),
            vec![79, 787]
        );
    }
}
