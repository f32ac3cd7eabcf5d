//! The model as a directed graph: components and actors are nodes, each flow
//! direction is an edge. Per-element and per-flow facts that rules and views
//! ask about (boundary crossing, trust direction, exposure, `max_*` levels)
//! are computed once here, from per-element indexes of flows in and out, so
//! no query scans every flow.

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::{Bfs, EdgeRef};
use std::collections::VecDeque;
use ward_model::{CiaLevel, DataId, ElementId, FlowId, Model, SecurityProperty, Trust, ZoneId};

/// Facts about one component or actor.
#[derive(Clone, Debug)]
pub struct ElementInfo {
    /// Flows whose target is this element, in flow id order.
    pub flows_in: Vec<FlowId>,
    /// Flows whose source is this element, in flow id order.
    pub flows_out: Vec<FlowId>,
    /// The trust of its innermost zone (`None` without a zone).
    pub trust: Option<Trust>,
    /// The target of a flow whose source sits in a zone of trust
    /// `untrusted` or lower.
    pub exposed: bool,
    /// Highest confidentiality, integrity, availability over stored data.
    pub max: [CiaLevel; 3],
}

/// Facts about one flow direction.
#[derive(Clone, Debug)]
pub struct FlowInfo {
    /// The ends' innermost zones differ.
    pub crosses_boundary: bool,
    /// The source zone's trust is below the target zone's.
    pub from_lower_trust: bool,
    /// Highest confidentiality, integrity, availability over carried data.
    pub max: [CiaLevel; 3],
}

/// The flow graph of a model with precomputed facts.
pub struct ModelGraph<'m> {
    pub model: &'m Model,
    /// Node `i` is element `i`; edge weights are flow directions. Flows with
    /// an unresolved end (after an error) are not edges.
    pub graph: DiGraph<ElementId, FlowId>,
    pub elements: Vec<ElementInfo>,
    pub flows: Vec<FlowInfo>,
    /// Per element: outgoing (flow, target) sorted by flow id (name), for
    /// deterministic shortest paths.
    sorted_out: Vec<Vec<(FlowId, ElementId)>>,
}

/// A trust at or below which a zone counts as an entry point for attacks.
pub const ENTRY_TRUST: Trust = Trust::Untrusted;

impl<'m> ModelGraph<'m> {
    pub fn new(model: &'m Model) -> ModelGraph<'m> {
        let mut graph = DiGraph::with_capacity(model.elements.len(), model.flows.len());
        for index in 0..model.elements.len() {
            graph.add_node(ElementId(index as u32));
        }
        let mut elements: Vec<ElementInfo> = model
            .elements
            .iter()
            .map(|element| ElementInfo {
                flows_in: Vec::new(),
                flows_out: Vec::new(),
                trust: element.zone.map(|z| model.zone(z).trust),
                exposed: false,
                max: max_levels(model, &element.stores),
            })
            .collect();
        let mut sorted_out: Vec<Vec<(FlowId, ElementId)>> = vec![Vec::new(); model.elements.len()];
        let mut flows = Vec::with_capacity(model.flows.len());
        for (index, flow) in model.flows.iter().enumerate() {
            let id = FlowId(index as u32);
            let zone = |end: Option<ElementId>| end.and_then(|e| model.element(e).zone);
            let (source_zone, target_zone) = (zone(flow.source), zone(flow.target));
            let trust = |z: Option<ZoneId>| z.map(|z| model.zone(z).trust);
            let (source_trust, target_trust) = (trust(source_zone), trust(target_zone));
            flows.push(FlowInfo {
                crosses_boundary: match (flow.source, flow.target) {
                    (Some(_), Some(_)) => source_zone != target_zone,
                    _ => false,
                },
                from_lower_trust: matches!((source_trust, target_trust), (Some(s), Some(t)) if s < t),
                max: max_levels(model, &flow.carries),
            });
            if let (Some(source), Some(target)) = (flow.source, flow.target) {
                graph.add_edge(
                    NodeIndex::new(source.index()),
                    NodeIndex::new(target.index()),
                    id,
                );
                elements[source.index()].flows_out.push(id);
                elements[target.index()].flows_in.push(id);
                sorted_out[source.index()].push((id, target));
                if source_trust.is_some_and(|t| t <= ENTRY_TRUST) {
                    elements[target.index()].exposed = true;
                }
            }
        }
        let by_name = |f: &FlowId| model.flow(*f).meta.name.as_str();
        for info in &mut elements {
            info.flows_in.sort_by(|a, b| by_name(a).cmp(by_name(b)));
            info.flows_out.sort_by(|a, b| by_name(a).cmp(by_name(b)));
        }
        for out in &mut sorted_out {
            out.sort_by(|a, b| by_name(&a.0).cmp(by_name(&b.0)));
        }
        ModelGraph {
            model,
            graph,
            elements,
            flows,
            sorted_out,
        }
    }

    pub fn element(&self, id: ElementId) -> &ElementInfo {
        &self.elements[id.index()]
    }

    pub fn flow(&self, id: FlowId) -> &FlowInfo {
        &self.flows[id.index()]
    }

    /// Every flow into or out of an element (each once; flow id order within
    /// the outgoing, then the incoming ones).
    pub fn flows_touching(&self, id: ElementId) -> impl Iterator<Item = FlowId> + '_ {
        let info = self.element(id);
        // Only a flow from an element to itself is in both lists.
        let looped = move |f: &&FlowId| self.model.flow(**f).source != Some(id);
        info.flows_out
            .iter()
            .chain(info.flows_in.iter().filter(looped))
            .copied()
    }

    /// The element sits in a zone of trust `untrusted` or lower.
    pub fn is_entry(&self, id: ElementId) -> bool {
        self.element(id).trust.is_some_and(|t| t <= ENTRY_TRUST)
    }

    /// The elements reachable from `from` along flows (itself included).
    pub fn reachable(&self, from: ElementId) -> Vec<ElementId> {
        let mut bfs = Bfs::new(&self.graph, NodeIndex::new(from.index()));
        let mut out = Vec::new();
        while let Some(node) = bfs.next(&self.graph) {
            out.push(self.graph[node]);
        }
        out.sort();
        out
    }

    /// Flows leaving an element, in flow id order, with their targets.
    pub fn successors(&self, id: ElementId) -> &[(FlowId, ElementId)] {
        &self.sorted_out[id.index()]
    }

    /// One breadth-first search from `from`: for every element reached, the
    /// flow by which it was first reached. Adjacency is visited in flow id
    /// order, so the path read back from it is, among the shortest paths,
    /// the first by flow ids compared from the source on.
    pub fn shortest_path_tree(&self, from: ElementId) -> ShortestPathTree {
        let mut parent: Vec<Option<FlowId>> = vec![None; self.elements.len()];
        let mut seen = vec![false; self.elements.len()];
        let mut queue = VecDeque::new();
        seen[from.index()] = true;
        queue.push_back(from);
        while let Some(node) = queue.pop_front() {
            for &(flow, next) in self.successors(node) {
                if !seen[next.index()] {
                    seen[next.index()] = true;
                    parent[next.index()] = Some(flow);
                    queue.push_back(next);
                }
            }
        }
        ShortestPathTree { from, parent, seen }
    }

    /// The shortest directed path of flows from one element to another (ties
    /// broken by flow id order); `None` if unreachable or the same element.
    pub fn shortest_path(&self, from: ElementId, to: ElementId) -> Option<Vec<FlowId>> {
        self.shortest_path_tree(from).path_to(self.model, to)
    }

    /// The petgraph edge of a flow, if both its ends resolved.
    pub fn edge_of(&self, flow: FlowId) -> Option<EdgeIndex> {
        let source = self.model.flow(flow).source?;
        self.graph
            .edges(NodeIndex::new(source.index()))
            .find(|e| *e.weight() == flow)
            .map(|e| e.id())
    }
}

/// The result of [`ModelGraph::shortest_path_tree`].
pub struct ShortestPathTree {
    pub from: ElementId,
    parent: Vec<Option<FlowId>>,
    seen: Vec<bool>,
}

impl ShortestPathTree {
    pub fn reaches(&self, to: ElementId) -> bool {
        self.seen[to.index()]
    }

    /// The flows from the root to `to`, in order; `None` when `to` is the
    /// root or not reached.
    pub fn path_to(&self, model: &Model, to: ElementId) -> Option<Vec<FlowId>> {
        if to == self.from || !self.reaches(to) {
            return None;
        }
        let mut flows = Vec::new();
        let mut node = to;
        while let Some(flow) = self.parent[node.index()] {
            flows.push(flow);
            node = model.flow(flow).source.expect("edges have both ends");
        }
        flows.reverse();
        Some(flows)
    }
}

/// The highest C, I, A levels over some data (`none` for none).
pub fn max_levels(model: &Model, data: &[DataId]) -> [CiaLevel; 3] {
    let mut max = [CiaLevel::None; 3];
    for &d in data {
        let datum = model.datum(d);
        for (slot, property) in max.iter_mut().zip(PROPERTIES) {
            *slot = (*slot).max(datum.level(property));
        }
    }
    max
}

/// The security properties in `[C, I, A]` order.
pub const PROPERTIES: [SecurityProperty; 3] = [
    SecurityProperty::Confidentiality,
    SecurityProperty::Integrity,
    SecurityProperty::Availability,
];

pub fn property_index(property: SecurityProperty) -> usize {
    match property {
        SecurityProperty::Confidentiality => 0,
        SecurityProperty::Integrity => 1,
        SecurityProperty::Availability => 2,
    }
}
