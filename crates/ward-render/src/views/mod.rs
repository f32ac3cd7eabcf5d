//! The FDA architecture views (premarket guidance §V.B.2) as DOT graphs:
//! the global system view, the multi-patient harm view, the updatability
//! view and one security use-case view per `usecase`.
//!
//! Each view is first described as a [`Spec`] (elements placed in their
//! zones, edges, legend); [`Spec::render`] then draws it, or, above
//! [`MAX_NODES`] elements or [`MAX_EDGES`] flows, draws a summary (one node
//! per top-level zone, flows aggregated per zone pair) plus one view per
//! zone, so Graphviz never has to lay out a huge graph. A view still above
//! the limits (one zone holding it all) is written as DOT and not laid out
//! ([`View::fits_layout`]). Zones nested deeper than [`MAX_ZONE_DEPTH`] are
//! drawn inside their ancestor at that depth ([`View::flattened_zones`]).

mod dot;
mod layout;
mod specs;

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

use ward_diagnostics::Diagnostic;
use ward_model::{owner_text, ComponentKind, ElementId, ElementKind, Model, Trust, ZoneId};

use dot::{digraph, text, Attrs, Body, Val};
use layout::{Drawing, Look};
pub use specs::build;

/// Above this many element nodes a view is summarised per zone.
pub const MAX_NODES: usize = 300;
/// Above this many flows a view is summarised per zone: `dot` time grows
/// steeply with edges whatever the node count. On random graphs with
/// labelled flows it took 0.3 s for 300 flows among 290 elements, 22 s for
/// 300 among 100, 15 s for 450 among 290, and over 120 s for 600.
pub const MAX_EDGES: usize = 300;
/// Zones nested deeper than this are drawn inside their ancestor at this
/// depth: Graphviz's time and the DOT text (indented a level per zone)
/// grow faster than linearly with nesting, and real systems nest a few levels.
pub const MAX_ZONE_DEPTH: usize = 16;

/// One rendered view.
#[derive(Clone, Debug)]
pub struct View {
    /// The file stem under `diagrams/`: `system`, `usecase-remote_bolus`, ...
    pub name: String,
    pub title: String,
    /// What the view shows, for the report's explanatory text.
    pub description: String,
    pub dot: String,
    /// The nodes and edges Graphviz would lay out: elements and flows, or
    /// in a summary zones and zone pairs (legend and notes aside).
    pub nodes: usize,
    pub edges: usize,
    /// Zones not drawn as their own box, being nested deeper than
    /// [`MAX_ZONE_DEPTH`]; their elements are in their ancestor's box.
    pub flattened_zones: usize,
    /// The same nodes and edges as `dot`, for the built-in layout.
    pub(crate) drawing: Drawing,
}

impl View {
    /// The view drawn by the built-in layout (for machines without
    /// Graphviz); `desc` says so inside the SVG.
    pub fn embedded_svg(&self, desc: &str) -> String {
        layout::to_svg(&self.drawing, desc)
    }

    /// Small enough for Graphviz: summaries make nearly every view so, but
    /// one zone can hold a whole large model.
    pub fn fits_layout(&self) -> bool {
        self.nodes <= MAX_NODES && self.edges <= MAX_EDGES
    }

    /// What the build says about this view: simplified nesting (W0520),
    /// not laid out (W0521).
    pub fn warnings(&self) -> Vec<Diagnostic> {
        let mut warnings = Vec::new();
        if self.flattened_zones > 0 {
            warnings.push(
                Diagnostic::warning_without_location(
                    ward_diagnostics::Code::W0520,
                    format!(
                        "view `{}` is simplified: {} zones nested more than {MAX_ZONE_DEPTH} deep are drawn inside their zone at depth {MAX_ZONE_DEPTH}",
                        self.name, self.flattened_zones
                    ),
                )
                .with_note("this concerns an output, not a model file"),
            );
        }
        if !self.fits_layout() {
            warnings.push(
                Diagnostic::warning_without_location(
                    ward_diagnostics::Code::W0521,
                    format!(
                        "view `{}` is too large to lay out ({} nodes, {} edges; Graphviz gets at most {MAX_NODES} nodes and {MAX_EDGES} edges): only its `.dot` file is written",
                        self.name, self.nodes, self.edges
                    ),
                )
                .with_note("this concerns an output, not a model file")
                .with_help("split the zone into nested zones, or draw the `.dot` file with other Graphviz tools"),
            );
        }
        warnings
    }
}

pub(crate) struct SpecNode {
    pub element: ElementId,
    pub attrs: Attrs,
}

pub(crate) struct SpecEdge {
    pub from: ElementId,
    pub to: ElementId,
    pub attrs: Attrs,
    /// For summaries: the protocol, and whether it crosses a trust boundary.
    pub protocol: String,
    pub crossing: bool,
}

/// A view before drawing.
pub(crate) struct Spec {
    pub name: String,
    pub title: String,
    pub description: String,
    /// The graph's own label (title lines).
    pub label: String,
    pub nodes: Vec<SpecNode>,
    pub edges: Vec<SpecEdge>,
    /// Free nodes outside zones (notes).
    pub notes: Vec<String>,
    /// Each item once: a part of a large view copies it (one item per
    /// element made that a copy per zone and element, quadratic).
    pub legend: BTreeSet<LegendItem>,
}

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum LegendItem {
    Kind(&'static str),
    Edge {
        label: &'static str,
        color: &'static str,
        style: &'static str,
        penwidth: &'static str,
    },
    Fill {
        label: &'static str,
        color: &'static str,
    },
}

pub(crate) fn trust_color(trust: Trust) -> &'static str {
    match trust {
        Trust::Hostile => "#b71c1c",
        Trust::Untrusted => "#e65100",
        Trust::Controlled => "#1565c0",
        Trust::Trusted => "#2e7d32",
    }
}

/// Shape and style of an element by its kind.
pub(crate) fn kind_shape(kind: ElementKind) -> (&'static str, &'static str) {
    match kind {
        ElementKind::Component(k) => match k {
            ComponentKind::Device => ("box3d", "solid"),
            ComponentKind::Firmware => ("component", "solid"),
            ComponentKind::MobileApp => ("tab", "solid"),
            ComponentKind::WebApp => ("folder", "solid"),
            ComponentKind::Service => ("box", "rounded"),
            ComponentKind::CloudService => ("box", "rounded,bold"),
            ComponentKind::Gateway => ("hexagon", "solid"),
            ComponentKind::Datastore => ("cylinder", "solid"),
            ComponentKind::Process => ("ellipse", "solid"),
            ComponentKind::Proxy => ("cds", "solid"),
            ComponentKind::IdentityProvider => ("octagon", "solid"),
            ComponentKind::CiPipeline => ("rarrow", "solid"),
            ComponentKind::CodeRepository => ("note", "solid"),
            ComponentKind::Browser => ("trapezium", "solid"),
            ComponentKind::MlModel => ("doubleoctagon", "solid"),
            ComponentKind::Agent => ("septagon", "solid"),
            // A platform others run on: drawn as a dashed 3D box.
            ComponentKind::Runtime => ("box3d", "dashed"),
        },
        ElementKind::Actor(ward_model::ActorKind::Human) => ("none", "solid"),
        ElementKind::Actor(ward_model::ActorKind::ExternalSystem) => ("box", "dashed"),
    }
}

/// A face above a human actor's name, so people read as people. (A person
/// emoji is missing from the fonts Graphviz usually has; U+263A is in DejaVu.)
const PERSON: &str = "\u{263A}";

/// The label and look of an element node; `extra` lines go under the title.
pub(crate) fn element_attrs(model: &Model, id: ElementId, extra: &[String]) -> Attrs {
    let e = model.element(id);
    let (shape, style) = kind_shape(e.kind);
    let mut lines = Vec::new();
    if matches!(e.kind, ElementKind::Actor(ward_model::ActorKind::Human)) {
        lines.push(PERSON.to_string());
    }
    lines.push(e.meta.title.clone());
    let kind = if e.is_actor() {
        format!("actor: {}", e.kind.as_str())
    } else {
        e.kind.as_str().to_string()
    };
    if e.meta.title == e.meta.name {
        lines.push(format!("[{kind}]"));
    } else {
        lines.push(format!("[{} · {kind}]", e.meta.name));
    }
    if e.fleet == ward_model::Fleet::Shared {
        lines.push("fleet: shared".into());
    }
    lines.extend(extra.iter().cloned());
    vec![
        ("label", text(lines.join("\n"))),
        ("shape", Val::Word(shape)),
        ("style", text(style)),
    ]
}

pub(crate) fn kind_legend(kind: ElementKind) -> LegendItem {
    LegendItem::Kind(match kind {
        ElementKind::Component(k) => k.as_str(),
        ElementKind::Actor(k) => k.as_str(),
    })
}

/// The legend as one small table (a DOT HTML-like label) and as rows for
/// the built-in layout: element kinds on one line, then a row per edge
/// style or fill the view uses.
fn legend(items: &BTreeSet<LegendItem>) -> (String, Vec<(String, Option<Look>)>) {
    let kinds: Vec<&str> = items
        .iter()
        .filter_map(|item| match item {
            LegendItem::Kind(kind) => Some(*kind),
            _ => None,
        })
        .collect();
    let mut html = String::from(
        "<TABLE BORDER=\"1\" COLOR=\"#9e9e9e\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"2\">\
         <TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\"><B>Legend</B></TD></TR>",
    );
    let mut rows = Vec::new();
    // Kinds four to a line, so the table stays narrow.
    for (i, chunk) in kinds.chunks(4).enumerate() {
        let head = if i == 0 { "kinds: " } else { "" };
        let line = format!("{head}{}", chunk.join(", "));
        html.push_str(&format!(
            "<TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\">{}</TD></TR>",
            crate::escape::html(&line)
        ));
        rows.push((line, None));
    }
    for item in items {
        match item {
            LegendItem::Kind(_) => {}
            LegendItem::Edge {
                label,
                color,
                style,
                penwidth,
            } => {
                let sample = if style.contains("dashed") {
                    "\u{254D}\u{254D}\u{254D}\u{25B6}"
                } else if *penwidth != "1" {
                    "\u{2501}\u{2501}\u{2501}\u{25B6}"
                } else {
                    "\u{2500}\u{2500}\u{2500}\u{25B6}"
                };
                html.push_str(&format!(
                    "<TR><TD ALIGN=\"LEFT\"><FONT COLOR=\"{color}\">{sample}</FONT></TD><TD ALIGN=\"LEFT\">{}</TD></TR>",
                    crate::escape::html(label)
                ));
                let attrs: Attrs = vec![
                    ("color", text(*color)),
                    ("style", text(*style)),
                    ("penwidth", text(*penwidth)),
                ];
                rows.push((label.to_string(), Some(Look::of(&attrs))));
            }
            LegendItem::Fill { label, color } => {
                html.push_str(&format!(
                    "<TR><TD BGCOLOR=\"{color}\" BORDER=\"1\"> </TD><TD ALIGN=\"LEFT\">{}</TD></TR>",
                    crate::escape::html(label)
                ));
                let attrs: Attrs = vec![("color", text(*color)), ("fillcolor", text(*color))];
                rows.push((label.to_string(), Some(Look::of(&attrs))));
            }
        }
    }
    html.push_str("</TABLE>");
    (html, rows)
}

fn graph_defaults(body: &mut Body, label: &str) {
    body.set("rankdir", Val::Word("LR"));
    body.set("label", text(label));
    body.set("labelloc", Val::Word("t"));
    body.set("fontname", text("Helvetica"));
    body.set("fontsize", Val::Word("16"));
    body.set("compound", Val::Word("true"));
    // Ranking across clusters as one graph: without it, dot fails ("trouble
    // in init_rank") on some edges between nested clusters.
    body.set("newrank", Val::Word("true"));
    body.set("nodesep", Val::Word("0.4"));
    body.node_defaults(vec![
        ("fontname", text("Helvetica")),
        ("fontsize", Val::Word("11")),
    ]);
    body.edge_defaults(vec![
        ("fontname", text("Helvetica")),
        ("fontsize", Val::Word("10")),
    ]);
}

fn zone_label(model: &Model, z: ZoneId) -> String {
    let zone = model.zone(z);
    let mut label = format!(
        "{}\ntrust: {}, owner: {}",
        zone.meta.title,
        zone.trust,
        owner_text(zone.controlled_by)
    );
    if zone.physical_access {
        label.push_str(", physical access");
    }
    label
}

fn zone_cluster_attrs(model: &Model, z: ZoneId, body: &mut Body) {
    let zone = model.zone(z);
    body.set("label", text(zone_label(model, z)));
    body.set("style", text("rounded"));
    body.set("color", text(trust_color(zone.trust)));
    body.set("fontcolor", text(trust_color(zone.trust)));
    body.set("penwidth", Val::Word("1.5"));
}

pub(crate) fn node_id(e: ElementId) -> String {
    format!("e{}", e.index())
}

/// The depth (1 for a top-level zone) and the top-level ancestor of every
/// zone, found in one pass: walking each zone's chain to the root instead
/// would take time quadratic in the nesting.
pub(crate) struct ZoneLevels {
    depth: Vec<usize>,
    top: Vec<ZoneId>,
}

impl ZoneLevels {
    pub fn new(model: &Model) -> ZoneLevels {
        let n = model.zones.len();
        let mut depth = vec![0; n];
        let mut top: Vec<ZoneId> = (0..n).map(ZoneId::from_index).collect();
        let mut path = Vec::new();
        for start in 0..n {
            // Up to the first zone already placed, or the root.
            path.clear();
            let mut next = Some(ZoneId::from_index(start));
            while let Some(z) = next.filter(|z| depth[z.index()] == 0) {
                path.push(z);
                // `in` cycles are errors and cut at resolution; the bound is a guard.
                next = model.zone(z).parent.filter(|_| path.len() <= n);
            }
            let (mut d, root) = match next {
                Some(known) => (depth[known.index()], top[known.index()]),
                None => (0, *path.last().expect("the start zone is unplaced")),
            };
            for z in path.iter().rev() {
                d += 1;
                depth[z.index()] = d;
                top[z.index()] = root;
            }
        }
        ZoneLevels { depth, top }
    }

    pub fn depth(&self, z: ZoneId) -> usize {
        self.depth[z.index()]
    }

    /// The outermost zone of an element (summaries group by it).
    pub fn top_zone(&self, model: &Model, e: ElementId) -> Option<ZoneId> {
        model.element(e).zone.map(|z| self.top[z.index()])
    }
}

impl Spec {
    /// Draws the view, or a summary plus per-zone views when it is large.
    pub fn render(self, model: &Model, levels: &ZoneLevels) -> Vec<View> {
        if self.nodes.len() <= MAX_NODES && self.edges.len() <= MAX_EDGES {
            return vec![self.draw(model, levels)];
        }
        let mut views = vec![self.summary(model, levels)];
        // Nodes and edges grouped by top-level zone in one pass (a scan of
        // the whole view per zone was quadratic), then each part drawn on
        // its own thread.
        let mut parts: BTreeMap<Option<ZoneId>, Part> = BTreeMap::new();
        let mut zone_of: BTreeMap<ElementId, Option<ZoneId>> = BTreeMap::new();
        let mut node_index: BTreeMap<ElementId, usize> = BTreeMap::new();
        for (index, n) in self.nodes.iter().enumerate() {
            let zone = levels.top_zone(model, n.element);
            zone_of.insert(n.element, zone);
            node_index.insert(n.element, index);
            parts.entry(zone).or_default().inside.push(index);
        }
        for (index, e) in self.edges.iter().enumerate() {
            let (from, to) = (zone_of.get(&e.from), zone_of.get(&e.to));
            for zone in [from, to].into_iter().flatten() {
                let edges = &mut parts.entry(*zone).or_default().edges;
                if edges.last() != Some(&index) {
                    edges.push(index);
                }
            }
        }
        let drawn: Vec<View> = parts
            .into_par_iter()
            .map(|(zone, part)| self.zone_part(model, levels, zone, &part, &node_index))
            .collect();
        views.extend(drawn);
        views
    }

    /// Every node in its zone cluster, zones nested as declared down to
    /// [`MAX_ZONE_DEPTH`]. Zones are walked with a stack, not recursion:
    /// nesting comes from the model.
    fn draw(&self, model: &Model, levels: &ZoneLevels) -> View {
        let mut body = Body::default();
        graph_defaults(&mut body, &self.label);
        // Each element's zone, or its ancestor at the depth limit. Walks up
        // stop at a zone already seen, so each zone is visited once.
        let mut shown_zone: BTreeMap<ZoneId, ZoneId> = BTreeMap::new();
        // Zones to draw: those holding nodes, and their ancestors.
        let mut drawn: BTreeSet<ZoneId> = BTreeSet::new();
        let mut flattened: BTreeSet<ZoneId> = BTreeSet::new();
        let mut by_zone: BTreeMap<Option<ZoneId>, Vec<&SpecNode>> = BTreeMap::new();
        let mut element_zone: BTreeMap<ElementId, Option<ZoneId>> = BTreeMap::new();
        for n in &self.nodes {
            let zone = model.element(n.element).zone.map(|z| {
                if let Some(&shown) = shown_zone.get(&z) {
                    return shown;
                }
                let mut path = Vec::new();
                let mut at = z;
                while levels.depth(at) > MAX_ZONE_DEPTH && !shown_zone.contains_key(&at) {
                    let Some(parent) = model.zone(at).parent else {
                        break;
                    };
                    path.push(at);
                    at = parent;
                }
                let shown = shown_zone.get(&at).copied().unwrap_or(at);
                flattened.extend(&path);
                for p in path {
                    shown_zone.insert(p, shown);
                }
                shown_zone.insert(at, shown);
                // Its ancestors, up to one already drawn.
                let mut up = Some(shown);
                while let Some(a) = up.filter(|a| drawn.insert(*a)) {
                    up = model.zone(a).parent;
                }
                shown
            });
            by_zone.entry(zone).or_default().push(n);
            element_zone.insert(n.element, zone);
        }
        let mut children: BTreeMap<ZoneId, Vec<ZoneId>> = BTreeMap::new();
        let mut roots = Vec::new();
        for &z in &drawn {
            match model
                .zone(z)
                .parent
                .filter(|p| drawn.contains(p) && *p != z)
            {
                Some(p) => children.entry(p).or_default().push(z),
                None => roots.push(z),
            }
        }
        // Each edge label is a node in the innermost zone holding both ends.
        let edges = self.merged_edges();
        let mut labels: BTreeMap<Option<ZoneId>, Vec<(String, Attrs)>> = BTreeMap::new();
        let mut lines = Vec::new();
        for (i, (from, to, attrs)) in edges.iter().enumerate() {
            let id = format!("l{i}");
            let (label, into, out) = split_label(attrs);
            match label {
                Some(label) => {
                    let zone = common_zone(model, element_zone[from], element_zone[to]);
                    labels.entry(zone).or_default().push((id.clone(), label));
                    lines.push((node_id(*from), id.clone(), into));
                    lines.push((id, node_id(*to), out));
                }
                None => lines.push((node_id(*from), node_id(*to), attrs.clone())),
            }
        }
        enum Visit {
            Enter(ZoneId),
            Exit,
        }
        let mut stack: Vec<Visit> = roots.into_iter().rev().map(Visit::Enter).collect();
        while let Some(visit) = stack.pop() {
            let Visit::Enter(zone) = visit else {
                body.close_cluster();
                continue;
            };
            body.open_cluster(&format!("z{}", zone.index()));
            zone_cluster_attrs(model, zone, &mut body);
            for n in by_zone.get(&Some(zone)).into_iter().flatten() {
                body.node(&node_id(n.element), n.attrs.clone());
            }
            for (id, attrs) in labels.remove(&Some(zone)).into_iter().flatten() {
                body.node(&id, attrs);
            }
            stack.push(Visit::Exit);
            let inner = children.get(&zone).into_iter().flatten().rev();
            stack.extend(inner.map(|&c| Visit::Enter(c)));
        }
        for n in by_zone.get(&None).into_iter().flatten() {
            body.node(&node_id(n.element), n.attrs.clone());
        }
        // At the top level: labels of edges between elements in no zone
        // (the walk above took every zone's own).
        for (id, attrs) in labels.into_values().flatten() {
            body.node(&id, attrs);
        }
        let mut drawing = Drawing::default();
        let mut index: BTreeMap<ElementId, usize> = BTreeMap::new();
        for n in &self.nodes {
            let i = drawing.node(&n.attrs);
            // No zone boxes in the built-in layout: each element names its zone.
            if let Some(z) = model.element(n.element).zone {
                let zone = model.zone(z);
                drawing.nodes[i]
                    .label
                    .push(format!("zone: {} ({})", zone.meta.title, zone.trust));
            }
            index.insert(n.element, i);
        }
        for (from, to, attrs) in &edges {
            drawing.edge(index[from], index[to], attrs);
        }
        for (from, to, attrs) in lines {
            body.edge(&from, &to, attrs);
        }
        if !flattened.is_empty() {
            let attrs = vec![
                    (
                        "label",
                        text(format!(
                            "Simplified: {} zones nested more than {MAX_ZONE_DEPTH} deep\nare drawn inside their zone at depth {MAX_ZONE_DEPTH}.",
                            flattened.len()
                        )),
                    ),
                    ("shape", Val::Word("note")),
                    ("color", text("#757575")),
                ];
            drawing.node(&attrs);
            body.node("note_depth", attrs);
        }
        let mut view = self.finish(body, drawing, self.nodes.len(), self.edges.len());
        view.flattened_zones = flattened.len();
        view
    }

    /// The view with its notes and legend; `nodes` and `edges` are what it draws.
    fn finish(&self, mut body: Body, mut drawing: Drawing, nodes: usize, edges: usize) -> View {
        for (i, note) in self.notes.iter().enumerate() {
            let attrs = vec![
                ("label", text(note)),
                ("shape", Val::Word("note")),
                ("color", text("#757575")),
            ];
            drawing.node(&attrs);
            body.node(&format!("note_{i}"), attrs);
        }
        if !self.legend.is_empty() {
            let (table, rows) = legend(&self.legend);
            // A node alone: dot puts it in the first rank, a corner.
            body.node(
                "legend",
                vec![
                    ("label", Val::Html(table)),
                    ("shape", Val::Word("plaintext")),
                    ("fontsize", Val::Word("10")),
                ],
            );
            drawing.legend = rows;
        }
        drawing.title = self.label.split('\n').map(str::to_string).collect();
        View {
            name: self.name.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            dot: digraph(&graph_name(&self.name), body),
            nodes,
            edges,
            flattened_zones: 0,
            drawing,
        }
    }

    /// The edges to draw: flows between the same two elements in the same
    /// direction become one edge whose label lists each flow (parallel
    /// edges' labels collide), drawn in the look of the first that needs
    /// attention (red), or else of the first. Order: first appearance.
    fn merged_edges(&self) -> Vec<(ElementId, ElementId, Attrs)> {
        let mut groups: BTreeMap<(ElementId, ElementId), Vec<&SpecEdge>> = BTreeMap::new();
        let mut order = Vec::new();
        for e in &self.edges {
            let group = groups.entry((e.from, e.to)).or_default();
            if group.is_empty() {
                order.push((e.from, e.to));
            }
            group.push(e);
        }
        order
            .into_iter()
            .map(|(from, to)| {
                let group = &groups[&(from, to)];
                if group.len() == 1 {
                    return (from, to, group[0].attrs.clone());
                }
                let alarming = |e: &&&SpecEdge| e.attrs.iter().any(|(k, _)| *k == "penwidth");
                let look = group.iter().find(alarming).unwrap_or(&group[0]);
                let labels: Vec<String> = group
                    .iter()
                    .filter_map(|e| {
                        e.attrs.iter().find_map(|(k, v)| match (k, v) {
                            (&"label", Val::Text(t)) => Some(t.clone()),
                            _ => None,
                        })
                    })
                    .collect();
                let mut attrs: Attrs = look
                    .attrs
                    .iter()
                    .filter(|(k, _)| *k != "label")
                    .cloned()
                    .collect();
                attrs.insert(0, ("label", text(labels.join("\n"))));
                (from, to, attrs)
            })
            .collect()
    }

    /// One node per top-level zone with counts, one edge per zone pair.
    fn summary(&self, model: &Model, levels: &ZoneLevels) -> View {
        let mut body = Body::default();
        let label = format!(
            "{}\nsummary: {} elements and {} flows in {} zones; each zone is drawn in its own view",
            self.label,
            self.nodes.len(),
            self.edges.len(),
            self.nodes
                .iter()
                .map(|n| levels.top_zone(model, n.element))
                .collect::<BTreeSet<_>>()
                .len()
        );
        graph_defaults(&mut body, &label);
        let mut counts: BTreeMap<Option<ZoneId>, (usize, usize)> = BTreeMap::new();
        for n in &self.nodes {
            let c = counts.entry(levels.top_zone(model, n.element)).or_default();
            if model.element(n.element).is_actor() {
                c.1 += 1;
            } else {
                c.0 += 1;
            }
        }
        let zone_node = |z: Option<ZoneId>| {
            z.map_or_else(|| "z_none".to_string(), |z| format!("z{}", z.index()))
        };
        let zone_nodes = counts.len();
        let mut drawing = Drawing::default();
        let mut zone_index: BTreeMap<Option<ZoneId>, usize> = BTreeMap::new();
        for (&z, &(components, actors)) in &counts {
            let head = z.map_or_else(|| "No zone".to_string(), |z| zone_label(model, z));
            let mut attrs: Attrs = vec![
                (
                    "label",
                    text(format!("{head}\n{components} components, {actors} actors")),
                ),
                ("shape", Val::Word("box")),
                ("style", text("rounded")),
            ];
            if let Some(z) = z {
                attrs.push(("color", text(trust_color(model.zone(z).trust))));
            }
            zone_index.insert(z, drawing.node(&attrs));
            body.node(&zone_node(z), attrs);
        }
        let mut pairs: BTreeMap<(Option<ZoneId>, Option<ZoneId>), ZonePair> = BTreeMap::new();
        for e in &self.edges {
            let key = (levels.top_zone(model, e.from), levels.top_zone(model, e.to));
            let pair = pairs.entry(key).or_default();
            pair.count += 1;
            pair.protocols.insert(e.protocol.clone());
            pair.crossing |= e.crossing;
        }
        let zone_pairs = pairs.len();
        for (
            (from, to),
            ZonePair {
                count,
                protocols,
                crossing,
            },
        ) in pairs
        {
            let protocols: Vec<String> = protocols.into_iter().collect();
            let mut attrs: Attrs = vec![(
                "label",
                text(format!("{count} flows\n{}", protocols.join(", "))),
            )];
            if crossing {
                attrs.push(("color", text("#c62828")));
                attrs.push(("penwidth", Val::Word("2")));
            }
            drawing.edge(zone_index[&from], zone_index[&to], &attrs);
            let (label, into, out) = split_label(&attrs);
            let id = format!("l{}", drawing.edges.len() - 1);
            if let Some(label) = label {
                body.node(&id, label);
                body.edge(&zone_node(from), &id, into);
                body.edge(&id, &zone_node(to), out);
            } else {
                body.edge(&zone_node(from), &zone_node(to), into);
            }
        }
        let mut view = self.finish(body, drawing, zone_nodes, zone_pairs);
        view.description = format!(
            "{} Summary of a large model: one node per top-level zone.",
            self.description
        );
        view
    }

    /// The nodes of one top-level zone, with the peers of its flows outside.
    fn zone_part(
        &self,
        model: &Model,
        levels: &ZoneLevels,
        zone: Option<ZoneId>,
        members: &Part,
        node_index: &BTreeMap<ElementId, usize>,
    ) -> View {
        let inside: BTreeSet<ElementId> = members
            .inside
            .iter()
            .map(|&i| self.nodes[i].element)
            .collect();
        let edges: Vec<&SpecEdge> = members.edges.iter().map(|&i| &self.edges[i]).collect();
        let zone_name = zone.map_or_else(
            || "no-zone".to_string(),
            |z| model.zone(z).meta.name.clone(),
        );
        let zone_title = zone.map_or_else(
            || "elements in no zone".to_string(),
            |z| model.zone(z).meta.title.clone(),
        );
        let mut part = Spec {
            name: format!("{}-zone-{zone_name}", self.name),
            title: format!("{}: {zone_title}", self.title),
            description: format!(
                "{} Part of a large model: zone {zone_title} and its peers.",
                self.description
            ),
            label: format!("{}\nzone: {zone_title}", self.label),
            nodes: Vec::new(),
            edges: Vec::new(),
            notes: Vec::new(),
            legend: self.legend.clone(),
        };
        let mut peers = BTreeSet::new();
        for e in &edges {
            peers.extend([e.from, e.to].into_iter().filter(|x| !inside.contains(x)));
        }
        // Nodes in view order: those inside, and their peers.
        let mut wanted: Vec<usize> = members.inside.clone();
        wanted.extend(peers.iter().filter_map(|e| node_index.get(e)));
        wanted.sort_unstable();
        for i in wanted {
            let n = &self.nodes[i];
            part.nodes.push(SpecNode {
                element: n.element,
                attrs: n.attrs.clone(),
            });
        }
        part.edges = edges
            .into_iter()
            .map(|e| SpecEdge {
                from: e.from,
                to: e.to,
                attrs: e.attrs.clone(),
                protocol: e.protocol.clone(),
                crossing: e.crossing,
            })
            .collect();
        part.draw(model, levels)
    }
}

/// An edge's label as a node of its own (plain text) between its ends,
/// with the attributes of the two edges to and from it: Graphviz never
/// lets nodes overlap, while edge labels it places can (parallel and
/// same-rank edges). `None` for an edge without a label: drawn whole.
fn split_label(attrs: &Attrs) -> (Option<Attrs>, Attrs, Attrs) {
    let mut label = None;
    let mut line: Attrs = Vec::new();
    let mut font: Attrs = Vec::new();
    let mut both_ways = false;
    for (key, value) in attrs {
        match *key {
            "label" => label = Some(value.clone()),
            "fontcolor" => font.push(("fontcolor", value.clone())),
            "dir" => both_ways = true,
            _ => line.push((key, value.clone())),
        }
    }
    let Some(label) = label else {
        return (None, attrs.clone(), attrs.clone());
    };
    let mut node: Attrs = vec![
        ("label", label),
        ("shape", Val::Word("plaintext")),
        ("fontsize", Val::Word("10")),
        ("margin", Val::Word("0.04")),
    ];
    node.extend(font);
    let mut into = line.clone();
    // The arrowheads sit at the real ends: at the source too for a two-way flow.
    into.push(("dir", Val::Word(if both_ways { "back" } else { "none" })));
    (Some(node), into, line)
}

/// The innermost zone drawn around both `a` and `b` (`None`: the top level).
fn common_zone(model: &Model, a: Option<ZoneId>, b: Option<ZoneId>) -> Option<ZoneId> {
    let mut around_a = Vec::new();
    let mut at = a;
    // Drawn zones are at most MAX_ZONE_DEPTH deep; the bound is a guard.
    while let Some(z) = at.filter(|_| around_a.len() <= MAX_ZONE_DEPTH) {
        around_a.push(z);
        at = model.zone(z).parent;
    }
    let mut at = b;
    let mut steps = 0;
    while let Some(z) = at.filter(|_| steps <= MAX_ZONE_DEPTH) {
        if around_a.contains(&z) {
            return Some(z);
        }
        at = model.zone(z).parent;
        steps += 1;
    }
    None
}

/// The members of one top-level zone's part of a large view: indexes of
/// its nodes, and of the edges with an end in it.
#[derive(Default)]
struct Part {
    inside: Vec<usize>,
    edges: Vec<usize>,
}

/// The flows between two top-level zones, in a summary.
#[derive(Default)]
struct ZonePair {
    count: usize,
    protocols: BTreeSet<String>,
    crossing: bool,
}

/// `usecase-remote_bolus` -> `usecase_remote_bolus` (a DOT id).
fn graph_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}
