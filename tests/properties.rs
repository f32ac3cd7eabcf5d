//! Property tests over generated valid models (proptest).
//!
//! A generated model has a system, zones (some nested), data, hazards,
//! components, actors, flows (`->` and `<->`), threats, rules, controls,
//! verifications, use cases, assumptions and acceptances, with random ids,
//! titles full of quotes, backslashes, braces and non-ASCII text, random
//! subsets of the optional properties and random layout (one-line or
//! multi-line blocks, commas or newlines). Properties:
//!
//! - the formatter is idempotent, and the formatted model compiles to the
//!   same diagnostics and the same analysis (spans aside);
//! - the analysis does not depend on declaration order nor on how the
//!   declarations are split across files: same threats, scores, residuals,
//!   paths, coverage and findings (spans and file names aside).
//!
//! Each property runs `CASES` cases (`docs/reliability.md`); set
//! `PROPTEST_CASES` to run more.

use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{json, Value};
use std::fmt::Write as _;
use ward_analysis::{Analysis, ThreatAnalysis};
use ward_diagnostics::{Diagnostic, FileId};
use ward_model::{Compiled, ElementId, FlowId, Model, Target};

/// Cases per property: enough to meet every construct many times, small
/// enough for a debug test run of a few seconds each.
const CASES: u32 = 64;

fn config() -> Config {
    Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(CASES),
        // Generated models are not worth a regressions file in the tree:
        // a failure prints the model.
        failure_persistence: None,
        ..Config::default()
    }
}

// ---------------------------------------------------------------- the model

const STRIDE: [&str; 6] = [
    "spoofing",
    "tampering",
    "repudiation",
    "information_disclosure",
    "denial_of_service",
    "elevation_of_privilege",
];
const TRUST: [&str; 4] = ["hostile", "untrusted", "controlled", "trusted"];
const OWNERS: [&str; 4] = ["manufacturer", "hcf", "patient", "third_party"];
const CIA: [&str; 4] = ["none", "low", "medium", "high"];
const DATA_KINDS: [&str; 8] = [
    "command",
    "phi",
    "credential",
    "firmware",
    "config",
    "log",
    "telemetry",
    "other",
];
const COMPONENT_KINDS: [&str; 9] = [
    "device",
    "firmware",
    "mobile_app",
    "web_app",
    "service",
    "gateway",
    "datastore",
    "cloud_service",
    "process",
];
const INTERFACES: [&str; 6] = ["ble", "usb", "jtag", "https", "wifi", "acme_bus"];
const PROTOCOLS: [&str; 6] = ["ble", "https", "usb", "mqtt", "serial", "proprietary_x"];
const SEVERITY: [&str; 5] = ["negligible", "minor", "serious", "critical", "catastrophic"];
const EXPLOITABILITY: [&str; 5] = ["very_low", "low", "moderate", "high", "very_high"];
// The language's own spellings of FDA control categories and options.
const CATEGORIES: &[&str] = ward_model::ControlCategory::NAMES;
const OPTIONS: &[&str] = ward_model::ControlOption::NAMES;
const STATUS: [&str; 3] = ["proposed", "implemented", "verified"];
const METHODS: [&str; 4] = ["test", "analysis", "inspection", "demonstration"];
const RESULTS: [&str; 3] = ["pass", "fail", "pending"];
const RISK: [&str; 3] = ["acceptable", "review", "unacceptable"];
/// `when` atoms valid on a flow.
const FLOW_ATOMS: [&str; 8] = [
    "authenticated",
    "encrypted",
    "crosses_boundary",
    "from_lower_trust",
    "protocol == ble",
    "max_integrity >= medium",
    "carries_kind(command)",
    "source.zone.trust < target.zone.trust",
];

/// Raw choices: indices are taken modulo the number of candidates when the
/// model is written, so every combination is a valid model.
#[derive(Clone, Debug)]
struct Raw {
    stride_rules: bool,
    fda: bool,
    zones: Vec<RawZone>,
    data: Vec<RawData>,
    hazards: Vec<RawHazard>,
    components: Vec<RawComponent>,
    actors: Vec<RawActor>,
    flows: Vec<RawFlow>,
    threats: Vec<RawThreat>,
    rules: Vec<RawRule>,
    controls: Vec<RawControl>,
    verifications: Vec<RawVerification>,
    usecases: Vec<Vec<usize>>,
    assumptions: Vec<(String, Vec<usize>)>,
    accepts: Vec<(usize, usize)>,
}

#[derive(Clone, Debug)]
struct Common {
    suffix: String,
    title: Option<String>,
    description: Option<String>,
    tags: Option<Vec<usize>>,
    /// Layout: one line with commas, or one property per line.
    one_line: bool,
}

#[derive(Clone, Debug)]
struct RawZone {
    common: Common,
    parent: Option<usize>,
    trust: Option<usize>,
    physical_access: Option<bool>,
    controlled_by: Option<usize>,
}

#[derive(Clone, Debug)]
struct RawData {
    common: Common,
    kind: Option<usize>,
    cia: [Option<usize>; 3],
    hazards: [Vec<usize>; 3],
}

#[derive(Clone, Debug)]
struct RawHazard {
    common: Common,
    severity: usize,
    harm: Option<String>,
}

#[derive(Clone, Debug)]
struct RawComponent {
    common: Common,
    zone: usize,
    kind: Option<usize>,
    stores: Vec<usize>,
    software: Vec<String>,
    interfaces: Vec<usize>,
    shared: Option<bool>,
    hazards: [Vec<usize>; 3],
}

#[derive(Clone, Debug)]
struct RawActor {
    common: Common,
    zone: usize,
    human: bool,
    stores: Vec<usize>,
}

#[derive(Clone, Debug)]
struct RawFlow {
    common: Common,
    source: usize,
    target: usize,
    both_ways: bool,
    protocol: Option<usize>,
    carries: Vec<usize>,
    flags: [Option<bool>; 3],
}

#[derive(Clone, Debug)]
struct RawThreat {
    common: Common,
    stride: Vec<usize>,
    targets: Vec<(usize, bool)>,
    hazards: Vec<usize>,
    exploitability: usize,
}

#[derive(Clone, Debug)]
struct RawRule {
    common: Common,
    stride: usize,
    when: Vec<(bool, usize)>,
    conjunction: bool,
    exploitability: usize,
}

#[derive(Clone, Debug)]
struct RawControl {
    common: Common,
    category: usize,
    requirement: String,
    mitigates: Vec<usize>,
    reduces: Option<u32>,
    independent: Option<bool>,
    residual: Option<usize>,
    limits: Vec<(usize, usize)>,
    option: Option<usize>,
    implemented_in: Vec<usize>,
    verification: Vec<(bool, usize, String)>,
    status: Option<usize>,
}

#[derive(Clone, Debug)]
struct RawVerification {
    common: Common,
    method: usize,
    result: Option<usize>,
    scope: Vec<usize>,
}

/// Text with what a string can hold: quotes, backslashes, braces, tabs,
/// newlines (as escapes) and non-ASCII letters and emoji.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::char::range('a', 'z'),
            1 => prop::sample::select(vec![
                ' ', '"', '\\', '{', '}', '\t', '\n', 'é', 'ß', 'Ω', '中', '🩺', '/', '*', '@', '#',
            ]),
        ],
        0..24,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn common() -> impl Strategy<Value = Common> {
    (
        "[a-z0-9_]{0,6}",
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(prop::collection::vec(0..4usize, 0..3)),
        any::<bool>(),
    )
        .prop_map(|(suffix, title, description, tags, one_line)| Common {
            suffix,
            title,
            description,
            tags,
            one_line,
        })
}

fn indices(max_len: usize) -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0..64usize, 0..=max_len)
}

fn cia_hazards() -> impl Strategy<Value = [Vec<usize>; 3]> {
    (indices(2), indices(2), indices(1)).prop_map(|(c, i, a)| [c, i, a])
}

fn raw_model() -> impl Strategy<Value = Raw> {
    let zone = (
        common(),
        prop::option::of(0..64usize),
        prop::option::of(0..4usize),
        prop::option::of(any::<bool>()),
        prop::option::of(0..4usize),
    )
        .prop_map(
            |(common, parent, trust, physical_access, controlled_by)| RawZone {
                common,
                parent,
                trust,
                physical_access,
                controlled_by,
            },
        );
    let data = (
        common(),
        prop::option::of(0..8usize),
        [
            prop::option::of(0..4usize),
            prop::option::of(0..4usize),
            prop::option::of(0..4usize),
        ],
        cia_hazards(),
    )
        .prop_map(|(common, kind, cia, hazards)| RawData {
            common,
            kind,
            cia,
            hazards,
        });
    let hazard =
        (common(), 0..5usize, prop::option::of(text())).prop_map(|(common, severity, harm)| {
            RawHazard {
                common,
                severity,
                harm,
            }
        });
    let component = (
        common(),
        0..64usize,
        prop::option::of(0..9usize),
        indices(2),
        prop::collection::vec(text(), 0..2),
        indices(3),
        prop::option::of(any::<bool>()),
        cia_hazards(),
    )
        .prop_map(
            |(common, zone, kind, stores, software, interfaces, shared, hazards)| RawComponent {
                common,
                zone,
                kind,
                stores,
                software,
                interfaces,
                shared,
                hazards,
            },
        );
    let actor = (common(), 0..64usize, any::<bool>(), indices(1)).prop_map(
        |(common, zone, human, stores)| RawActor {
            common,
            zone,
            human,
            stores,
        },
    );
    let flow = (
        common(),
        0..64usize,
        0..64usize,
        any::<bool>(),
        prop::option::of(0..6usize),
        indices(2),
        [
            prop::option::of(any::<bool>()),
            prop::option::of(any::<bool>()),
            prop::option::of(any::<bool>()),
        ],
    )
        .prop_map(
            |(common, source, target, both_ways, protocol, carries, flags)| RawFlow {
                common,
                source,
                target,
                both_ways,
                protocol,
                carries,
                flags,
            },
        );
    let threat = (
        common(),
        prop::collection::vec(0..6usize, 1..3),
        prop::collection::vec((0..64usize, any::<bool>()), 1..3),
        indices(2),
        0..5usize,
    )
        .prop_map(
            |(common, stride, targets, hazards, exploitability)| RawThreat {
                common,
                stride,
                targets,
                hazards,
                exploitability,
            },
        );
    let rule = (
        common(),
        0..6usize,
        prop::collection::vec((any::<bool>(), 0..FLOW_ATOMS.len()), 1..4),
        any::<bool>(),
        0..5usize,
    )
        .prop_map(
            |(common, stride, when, conjunction, exploitability)| RawRule {
                common,
                stride,
                when,
                conjunction,
                exploitability,
            },
        );
    let control = (
        (
            common(),
            0..CATEGORIES.len(),
            text(),
            indices(2),
            prop::option::of(0..4u32),
            prop::option::of(any::<bool>()),
        ),
        (
            prop::option::of(0..5usize),
            prop::collection::vec((0..64usize, 0..5usize), 0..2),
            prop::option::of(0..OPTIONS.len()),
            indices(2),
            prop::collection::vec((any::<bool>(), 0..64usize, text()), 0..3),
            prop::option::of(0..3usize),
        ),
    )
        .prop_map(
            |(
                (common, category, requirement, mitigates, reduces, independent),
                (residual, limits, option, implemented_in, verification, status),
            )| RawControl {
                common,
                category,
                requirement,
                mitigates,
                reduces,
                independent,
                residual,
                limits,
                option,
                implemented_in,
                verification,
                status,
            },
        );
    let verification = (common(), 0..4usize, prop::option::of(0..3usize), indices(2)).prop_map(
        |(common, method, result, scope)| RawVerification {
            common,
            method,
            result,
            scope,
        },
    );
    (
        (any::<bool>(), any::<bool>()),
        (
            prop::collection::vec(zone, 1..5),
            prop::collection::vec(data, 0..4),
            prop::collection::vec(hazard, 0..3),
            prop::collection::vec(component, 1..5),
            prop::collection::vec(actor, 0..3),
            prop::collection::vec(flow, 0..6),
        ),
        (
            prop::collection::vec(threat, 0..4),
            prop::collection::vec(rule, 0..2),
            prop::collection::vec(control, 0..4),
            prop::collection::vec(verification, 0..3),
            prop::collection::vec(indices(3), 0..2),
            prop::collection::vec((text(), indices(2)), 0..2),
            prop::collection::vec((0..64usize, 0..3usize), 0..3),
        ),
    )
        .prop_map(
            |(
                (stride_rules, fda),
                (zones, data, hazards, components, actors, flows),
                (threats, rules, controls, verifications, usecases, assumptions, accepts),
            )| Raw {
                stride_rules,
                fda,
                zones,
                data,
                hazards,
                components,
                actors,
                flows,
                threats,
                rules,
                controls,
                verifications,
                usecases,
                assumptions,
                accepts,
            },
        )
}

// ---------------------------------------------------------------- writing

/// A Ward string literal with escapes.
fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list(items: impl IntoIterator<Item = String>) -> String {
    format!("[{}]", items.into_iter().collect::<Vec<_>>().join(", "))
}

/// Picks from `names` by raw indices, without repeats.
fn pick(names: &[String], raw: &[usize]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if names.is_empty() {
        return out;
    }
    for i in raw {
        let name = &names[i % names.len()];
        if !out.contains(name) {
            out.push(name.clone());
        }
    }
    out
}

/// One declaration being written: header, then properties.
struct DeclText {
    header: String,
    props: Vec<String>,
    one_line: bool,
}

impl DeclText {
    fn new(keyword: &str, id: &str, common: &Common, parent: Option<&str>) -> DeclText {
        let mut header = format!("{keyword} {id}");
        if let Some(title) = &common.title {
            write!(header, " {}", quote(title)).unwrap();
        }
        if let Some(parent) = parent {
            write!(header, " in {parent}").unwrap();
        }
        let mut decl = DeclText {
            header,
            props: Vec::new(),
            one_line: common.one_line,
        };
        if let Some(description) = &common.description {
            decl.prop("description", quote(description));
        }
        if let Some(tags) = &common.tags {
            decl.prop(
                "tags",
                list(
                    tags.iter()
                        .map(|t| ["safety", "ble", "cloud", "legacy"][*t].to_string()),
                ),
            );
        }
        decl
    }

    fn prop(&mut self, key: &str, value: impl Into<String>) {
        self.props.push(format!("{key}: {}", value.into()));
    }

    fn block(&mut self, key: &str, entries: Vec<String>) {
        if !entries.is_empty() {
            self.props
                .push(format!("{key} {{ {} }}", entries.join(", ")));
        }
    }

    fn finish(self) -> String {
        if self.props.is_empty() {
            format!("{} {{}}\n", self.header)
        } else if self.one_line {
            format!("{} {{ {} }}\n", self.header, self.props.join(", "))
        } else {
            let mut out = format!("{} {{\n", self.header);
            for p in &self.props {
                writeln!(out, "    {p}").unwrap();
            }
            out.push_str("}\n");
            out
        }
    }
}

/// The model as a list of top-level items (each a complete declaration or
/// `use`), in declaration order.
fn write_model(raw: &Raw) -> Vec<String> {
    let mut items =
        vec!["system sys \"Generated ☃ \\\"system\\\"\" { version: \"1.0\" }\n".to_string()];
    if raw.stride_rules {
        items.push("use std::stride\n".into());
    }
    if raw.fda {
        items.push("use std::fda\n".into());
    }
    let id = |prefix: &str, i: usize, c: &Common| format!("{prefix}{i}_{}", c.suffix);
    let zones: Vec<String> = raw
        .zones
        .iter()
        .enumerate()
        .map(|(i, z)| id("z", i, &z.common))
        .collect();
    let data: Vec<String> = raw
        .data
        .iter()
        .enumerate()
        .map(|(i, d)| id("d", i, &d.common))
        .collect();
    let hazards: Vec<String> = raw
        .hazards
        .iter()
        .enumerate()
        .map(|(i, h)| id("h", i, &h.common))
        .collect();
    let mut elements: Vec<String> = raw
        .components
        .iter()
        .enumerate()
        .map(|(i, c)| id("c", i, &c.common))
        .collect();
    elements.extend(
        raw.actors
            .iter()
            .enumerate()
            .map(|(i, a)| id("a", i, &a.common)),
    );
    let flows: Vec<String> = raw
        .flows
        .iter()
        .enumerate()
        .map(|(i, f)| id("f", i, &f.common))
        .collect();
    let threats: Vec<String> = raw
        .threats
        .iter()
        .enumerate()
        .map(|(i, t)| id("t", i, &t.common))
        .collect();
    let verifications: Vec<String> = raw
        .verifications
        .iter()
        .enumerate()
        .map(|(i, v)| id("v", i, &v.common))
        .collect();
    // Flow directions a threat or use case may name.
    let mut directions: Vec<String> = Vec::new();
    let mut endpoints = Vec::new();
    for (i, f) in raw.flows.iter().enumerate() {
        if elements.len() < 2 {
            break;
        }
        let source = f.source % elements.len();
        let target = (source + 1 + f.target % (elements.len() - 1)) % elements.len();
        endpoints.push((i, source, target));
        directions.push(flows[i].clone());
        if f.both_ways {
            directions.push(format!("{}.reverse", flows[i]));
        }
    }
    let cia_block = |lists: &[Vec<usize>; 3]| -> Vec<String> {
        ["confidentiality", "integrity", "availability"]
            .iter()
            .zip(lists)
            .filter_map(|(key, raw)| {
                let picked = pick(&hazards, raw);
                (!picked.is_empty()).then(|| format!("{key}: {}", list(picked)))
            })
            .collect()
    };

    for (i, z) in raw.zones.iter().enumerate() {
        let parent = z.parent.filter(|_| i > 0).map(|p| zones[p % i].as_str());
        let mut d = DeclText::new("zone", &zones[i], &z.common, parent);
        if let Some(t) = z.trust {
            d.prop("trust", TRUST[t]);
        }
        if let Some(p) = z.physical_access {
            d.prop("physical_access", p.to_string());
        }
        if let Some(o) = z.controlled_by {
            d.prop("controlled_by", OWNERS[o]);
        }
        items.push(d.finish());
    }
    for (i, h) in raw.hazards.iter().enumerate() {
        let mut d = DeclText::new("hazard", &hazards[i], &h.common, None);
        d.prop("severity", SEVERITY[h.severity]);
        if let Some(harm) = &h.harm {
            d.prop("harm", quote(harm));
        }
        items.push(d.finish());
    }
    for (i, x) in raw.data.iter().enumerate() {
        let mut d = DeclText::new("data", &data[i], &x.common, None);
        if let Some(k) = x.kind {
            d.prop("kind", DATA_KINDS[k]);
        }
        for (key, level) in ["confidentiality", "integrity", "availability"]
            .iter()
            .zip(x.cia)
        {
            if let Some(level) = level {
                d.prop(key, CIA[level]);
            }
        }
        d.block("hazards", cia_block(&x.hazards));
        items.push(d.finish());
    }
    for (i, c) in raw.components.iter().enumerate() {
        let zone = &zones[c.zone % zones.len()];
        let mut d = DeclText::new("component", &elements[i], &c.common, Some(zone));
        if let Some(k) = c.kind {
            d.prop("kind", COMPONENT_KINDS[k]);
        }
        let stores = pick(&data, &c.stores);
        if !stores.is_empty() {
            d.prop("stores", list(stores));
        }
        if !c.software.is_empty() {
            d.prop("software", list(c.software.iter().map(|s| quote(s))));
        }
        let interfaces: Vec<String> = INTERFACES.iter().map(|s| s.to_string()).collect();
        let interfaces = pick(&interfaces, &c.interfaces);
        if !interfaces.is_empty() {
            d.prop("interfaces", list(interfaces));
        }
        if let Some(shared) = c.shared {
            d.prop("fleet", if shared { "shared" } else { "per_patient" });
        }
        d.block("hazards", cia_block(&c.hazards));
        items.push(d.finish());
    }
    for (i, a) in raw.actors.iter().enumerate() {
        let name = &elements[raw.components.len() + i];
        let zone = &zones[a.zone % zones.len()];
        let mut d = DeclText::new("actor", name, &a.common, Some(zone));
        d.prop("kind", if a.human { "human" } else { "external_system" });
        let stores = pick(&data, &a.stores);
        if !stores.is_empty() {
            d.prop("stores", list(stores));
        }
        items.push(d.finish());
    }
    for &(i, source, target) in &endpoints {
        let f = &raw.flows[i];
        let arrow = if f.both_ways { "<->" } else { "->" };
        let mut header = format!(
            "flow {}: {} {arrow} {}",
            flows[i], elements[source], elements[target]
        );
        if let Some(title) = &f.common.title {
            write!(header, " {}", quote(title)).unwrap();
        }
        let mut d = DeclText::new("", "", &f.common, None);
        d.header = header;
        if let Some(p) = f.protocol {
            d.prop("protocol", PROTOCOLS[p]);
        }
        let carries = pick(&data, &f.carries);
        if !carries.is_empty() {
            d.prop("carries", list(carries));
        }
        for (key, flag) in ["authenticated", "encrypted", "integrity_protected"]
            .iter()
            .zip(f.flags)
        {
            if let Some(flag) = flag {
                d.prop(key, flag.to_string());
            }
        }
        items.push(d.finish());
    }
    for (i, t) in raw.threats.iter().enumerate() {
        let mut d = DeclText::new("threat", &threats[i], &t.common, None);
        let stride: Vec<String> = STRIDE.iter().map(|s| s.to_string()).collect();
        d.prop("stride", list(pick(&stride, &t.stride)));
        let targetable: Vec<String> = elements.iter().chain(&directions).cloned().collect();
        let raw_targets: Vec<usize> = t.targets.iter().map(|(i, _)| *i).collect();
        d.prop("targets", list(pick(&targetable, &raw_targets)));
        let hz = pick(&hazards, &t.hazards);
        if !hz.is_empty() {
            d.prop("hazards", list(hz));
        }
        d.prop("exploitability", EXPLOITABILITY[t.exploitability]);
        items.push(d.finish());
    }
    for (i, r) in raw.rules.iter().enumerate() {
        let name = id("r", i, &r.common);
        // Rule titles are templates: `{id}` expands, `{{ }}` are braces.
        let title = format!("{{{{{}}}}} on {{id}} via {{protocol}}", r.common.suffix);
        let mut d = DeclText::new(
            "rule",
            &name,
            &Common {
                title: None,
                ..r.common.clone()
            },
            None,
        );
        d.header = format!("rule {name} {}", quote(&title));
        d.prop("stride", STRIDE[r.stride]);
        d.prop("applies_to", "flow");
        let atoms: Vec<String> = r
            .when
            .iter()
            .map(|(negate, atom)| {
                let atom = FLOW_ATOMS[*atom];
                if *negate {
                    format!("not ({atom})")
                } else {
                    atom.to_string()
                }
            })
            .collect();
        let joiner = if r.conjunction { " and " } else { " or " };
        d.prop("when", atoms.join(joiner));
        d.prop("exploitability", EXPLOITABILITY[r.exploitability]);
        items.push(d.finish());
    }
    for (i, v) in raw.verifications.iter().enumerate() {
        let mut d = DeclText::new("verification", &verifications[i], &v.common, None);
        d.prop("type", "threat_mitigation");
        d.prop("method", METHODS[v.method]);
        if let Some(r) = v.result {
            d.prop("result", RESULTS[r]);
        }
        let scope = pick(&elements, &v.scope);
        if !scope.is_empty() {
            d.prop("scope", list(scope));
        }
        items.push(d.finish());
    }
    for (i, c) in raw.controls.iter().enumerate() {
        let name = id("k", i, &c.common);
        let mut d = DeclText::new("control", &name, &c.common, None);
        d.prop("category", CATEGORIES[c.category]);
        d.prop("requirement", quote(&c.requirement));
        let mitigates = pick(&threats, &c.mitigates);
        if !mitigates.is_empty() {
            d.prop("mitigates", list(mitigates));
        }
        let informs = c.option == Some(2);
        if let Some(o) = c.option {
            d.prop("option", OPTIONS[o]);
        }
        if !informs {
            if let Some(r) = c.reduces {
                d.prop("reduces", r.to_string());
            }
            if let Some(level) = c.residual {
                d.prop("residual_exploitability", EXPLOITABILITY[level]);
            }
            let mut limited = Vec::new();
            let limits: Vec<String> = c
                .limits
                .iter()
                .filter(|_| !hazards.is_empty())
                .filter_map(|(h, s)| {
                    let h = &hazards[h % hazards.len()];
                    (!limited.contains(h)).then(|| {
                        limited.push(h.clone());
                        format!("{h}: {}", SEVERITY[*s])
                    })
                })
                .collect();
            d.block("limits", limits);
        }
        if let Some(independent) = c.independent {
            d.prop("independent", independent.to_string());
        }
        let implemented = pick(&elements[..raw.components.len()], &c.implemented_in);
        if !implemented.is_empty() {
            d.prop("implemented_in", list(implemented));
        }
        let mut named = Vec::new();
        let verification: Vec<String> = c
            .verification
            .iter()
            .filter_map(|(by_id, v, text)| {
                if *by_id && !verifications.is_empty() {
                    let v = verifications[v % verifications.len()].clone();
                    (!named.contains(&v)).then(|| {
                        named.push(v.clone());
                        v
                    })
                } else {
                    Some(format!("{} {}", METHODS[v % 4], quote(text)))
                }
            })
            .collect();
        if !verification.is_empty() {
            d.prop("verification", list(verification));
        }
        if let Some(s) = c.status {
            d.prop("status", STATUS[s]);
        }
        items.push(d.finish());
    }
    for (i, steps) in raw.usecases.iter().enumerate() {
        let steps = pick(&directions, steps);
        if steps.is_empty() {
            continue;
        }
        items.push(format!(
            "usecase u{i} \"Use case {i}\" {{ state: therapy, steps: {} }}\n",
            list(steps)
        ));
    }
    for (i, (rationale, applies)) in raw.assumptions.iter().enumerate() {
        let scope: Vec<String> = zones.iter().chain(&elements).cloned().collect();
        items.push(format!(
            "assumption as{i} {{\n  rationale: {}\n  applies_to: {}\n}}\n",
            quote(rationale),
            list(pick(&scope, applies))
        ));
    }
    let mut accepted = Vec::new();
    for (threat, level) in &raw.accepts {
        if threats.is_empty() {
            break;
        }
        let threat = &threats[threat % threats.len()];
        if accepted.contains(threat) {
            continue;
        }
        accepted.push(threat.clone());
        items.push(format!(
            "/// Accepted.\naccept {threat} {{\n  level: {}\n  rationale: \"r\"\n  benefit_risk: \"BRA-1\" // needed for unacceptable\n}}\n",
            RISK[*level]
        ));
    }
    items
}

// ---------------------------------------------------------------- digests

fn element_name(model: &Model, id: ElementId) -> String {
    model.element(id).meta.name.clone()
}

fn flow_name(model: &Model, id: FlowId) -> String {
    model.flow(id).meta.name.clone()
}

fn target_name(model: &Model, target: Target) -> String {
    match target {
        Target::Element(e) => element_name(model, e),
        Target::Flow(f) => flow_name(model, f),
    }
}

fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names
}

/// A diagnostic without its position or file. Lists of names in its text
/// (`` `a`, `b` ``) follow declaration order, so they are compared sorted.
fn diagnostic_digest(d: &Diagnostic) -> Value {
    let text = |s: &str| sort_name_lists(s);
    json!({
        "code": d.code,
        "severity": d.severity,
        "message": text(&d.message),
        "label": d.primary_label.as_deref().map(text),
        "help": d.help.as_deref().map(text),
        "notes": d.notes.iter().map(|n| text(n)).collect::<Vec<_>>(),
        "labels": d.labels.iter().map(|l| text(&l.message)).collect::<Vec<_>>(),
    })
}

/// `text` with each run of backticked names joined by `, ` sorted.
fn sort_name_lists(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let mut names = Vec::new();
        // Take `name` (, `name`)* from the front of `rest`.
        while let Some(end) = rest[1..].find('`').map(|i| i + 2) {
            names.push(&rest[..end]);
            rest = &rest[end..];
            if !rest.starts_with(", `") {
                break;
            }
            rest = &rest[2..];
        }
        if names.is_empty() {
            // An unpaired backtick.
            out.push_str(rest);
            return out;
        }
        names.sort();
        out.push_str(&names.join(", "));
    }
    out.push_str(rest);
    out
}

fn diagnostics_digest(diagnostics: &[Diagnostic]) -> Vec<String> {
    let mut out: Vec<String> = diagnostics
        .iter()
        .map(|d| diagnostic_digest(d).to_string())
        .collect();
    out.sort();
    out
}

fn residual_digest(model: &Model, r: &ward_analysis::Residual) -> Value {
    let controls = |ids: &[ward_model::ControlId]| {
        sorted(
            ids.iter()
                .map(|c| model.control(*c).meta.name.clone())
                .collect(),
        )
    };
    let mut severities: Vec<Value> = r
        .severities
        .iter()
        .map(|s| {
            json!([
                model.hazard(s.hazard).meta.name,
                s.severity,
                s.limited_by.map(|c| model.control(c).meta.name.clone())
            ])
        })
        .collect();
    severities.sort_by_key(|v| v.to_string());
    json!({
        "controls": controls(&r.controls),
        "reduction": r.reduction,
        "exploitability": r.exploitability,
        "capped_by": r.capped_by.map(|c| model.control(c).meta.name.clone()),
        "severities": severities,
        "severity": r.severity,
        "risk": r.risk,
    })
}

fn threat_digest(model: &Model, analysis: &Analysis, t: &ThreatAnalysis) -> Value {
    let mut paths: Vec<Vec<String>> = t
        .paths
        .iter()
        .map(|&p| {
            let path = &analysis.paths[p];
            let mut names = vec![
                element_name(model, path.entry),
                element_name(model, path.target),
            ];
            names.extend(path.flows.iter().map(|f| flow_name(model, *f)));
            names.push(path.entries.to_string());
            names
        })
        .collect();
    paths.sort();
    let mut stride = t.stride.clone();
    stride.sort();
    json!({
        "id": t.id,
        "title": t.title,
        "origin": t.origin,
        "rule": t.rule,
        "stride": stride,
        "targets": sorted(t.targets.iter().map(|x| target_name(model, *x)).collect()),
        "affected": sorted(t.affected_data.iter().map(|d| model.datum(*d).meta.name.clone()).collect()),
        "broken": t.broken,
        "hazards": sorted(t.hazards.iter().map(|h| model.hazard(*h).meta.name.clone()).collect()),
        "severity": t.severity,
        "exploitability": t.exploitability,
        "exploitability_source": serde_json::to_value(&t.exploitability_source).unwrap()["source"],
        "impact": t.impact,
        "initial": t.initial,
        "controls": sorted(t.controls.iter().map(|c| model.control(*c).meta.name.clone()).collect()),
        "planned": residual_digest(model, &t.planned),
        "verified": residual_digest(model, &t.verified),
        "judged": t.judged,
        "controlled": t.controlled,
        "transferred": t.transferred,
        "acceptance": t.acceptance.as_ref().map(|a| json!([a.level, a.stale])),
        "multi_patient": t.multi_patient,
        "paths": paths,
        "capec": t.capec,
        "cwe": t.cwe,
        "suggest": t.suggest,
    })
}

/// The analysis in names rather than indices, spans or files.
fn analysis_digest(compiled: &Compiled) -> Value {
    let model = &compiled.model;
    let analysis = ward_analysis::analyze(model);
    let threats: Vec<Value> = analysis
        .threats
        .iter()
        .map(|t| threat_digest(model, &analysis, t))
        .collect();
    let mut elements: Vec<Value> = analysis
        .elements
        .iter()
        .map(|e| {
            json!([
                element_name(model, e.element),
                e.crosses_boundary,
                e.exposed,
                e.entry,
                e.multi_patient,
                sorted(e.flows_in.iter().map(|f| flow_name(model, *f)).collect()),
                sorted(e.flows_out.iter().map(|f| flow_name(model, *f)).collect()),
            ])
        })
        .collect();
    elements.sort_by_key(|v| v.to_string());
    let mut flows: Vec<Value> = analysis
        .flows
        .iter()
        .map(|f| {
            json!([
                flow_name(model, f.flow),
                f.crosses_boundary,
                f.from_lower_trust,
                f.multi_patient
            ])
        })
        .collect();
    flows.sort_by_key(|v| v.to_string());
    let mut coverage: Vec<Value> = analysis
        .coverage
        .iter()
        .map(|c| {
            let covered: Vec<Value> = c
                .covered
                .iter()
                .map(|(category, controls)| {
                    json!([
                        category,
                        sorted(
                            controls
                                .iter()
                                .map(|k| model.control(*k).meta.name.clone())
                                .collect()
                        )
                    ])
                })
                .collect();
            json!([
                element_name(model, c.element),
                covered,
                c.missing,
                c.checked
            ])
        })
        .collect();
    coverage.sort_by_key(|v| v.to_string());
    json!({
        "threats": threats,
        "elements": elements,
        "flows": flows,
        "coverage": coverage,
        "findings": diagnostics_digest(&analysis.findings),
    })
}

#[test]
fn name_lists_in_messages_are_sorted_for_comparison() {
    assert_eq!(
        sort_name_lists("after `k2`, `k0`: `x` -> `a`, `b`; `"),
        "after `k0`, `k2`: `x` -> `a`, `b`; `"
    );
}

fn compile_one(text: &str) -> Compiled {
    ward_model::compile_memory(&[("model.ward", text)], "model.ward")
}

fn assert_compiles(compiled: &Compiled, text: &str) {
    let errors: Vec<&Diagnostic> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(
        errors.is_empty(),
        "the generated model does not compile: {errors:#?}\n--- model\n{text}"
    );
}

// ---------------------------------------------------------------- properties

proptest! {
    #![proptest_config(config())]

    /// Formatting is idempotent and changes neither diagnostics nor analysis.
    #[test]
    fn formatting_preserves_the_model(raw in raw_model()) {
        let text: String = write_model(&raw).concat();
        let original = compile_one(&text);
        assert_compiles(&original, &text);
        let once = ward_syntax::format(&text, FileId(0))
            .unwrap_or_else(|e| panic!("refused: {e:#?}\n--- model\n{text}"));
        let twice = ward_syntax::format(&once, FileId(0)).expect("formatted text formats");
        prop_assert_eq!(&once, &twice, "not idempotent");
        let formatted = compile_one(&once);
        prop_assert_eq!(
            diagnostics_digest(&original.diagnostics),
            diagnostics_digest(&formatted.diagnostics),
            "diagnostics changed\n--- before\n{}\n--- after\n{}", text, once
        );
        prop_assert_eq!(analysis_digest(&original), analysis_digest(&formatted));
    }

    /// Shuffling the declarations and splitting them across files changes
    /// nothing in the analysis.
    #[test]
    fn analysis_ignores_order_and_files(
        (raw, order, files) in raw_model().prop_flat_map(|raw| {
            let n = write_model(&raw).len();
            (
                Just(raw),
                Just((0..n).collect::<Vec<usize>>()).prop_shuffle(),
                prop::collection::vec(0..4usize, n),
            )
        })
    ) {
        let items = write_model(&raw);
        let text: String = items.concat();
        let original = compile_one(&text);
        assert_compiles(&original, &text);

        let names = ["model.ward", "b.ward", "sub/c.ward", "sub/deeper/d.ward"];
        let mut parts = vec![String::new(); names.len()];
        for (&item, &file) in order.iter().zip(&files) {
            parts[file].push_str(&items[item]);
        }
        let split: Vec<(&str, &str)> = names
            .iter()
            .zip(&parts)
            .filter(|(_, text)| !text.is_empty())
            .map(|(name, text)| (*name, text.as_str()))
            .collect();
        let shuffled = ward_model::compile_memory(&split, ".");
        prop_assert_eq!(
            diagnostics_digest(&original.diagnostics),
            diagnostics_digest(&shuffled.diagnostics),
            "diagnostics changed; files: {:#?}", split
        );
        prop_assert_eq!(
            analysis_digest(&original),
            analysis_digest(&shuffled),
            "analysis changed; files: {:#?}", split
        );
    }
}
