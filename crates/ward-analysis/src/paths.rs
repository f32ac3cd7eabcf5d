//! Attack paths (spec §4.9): for each component whose affected data has a
//! hazard, and each element in a zone of trust `untrusted` or lower, one
//! shortest directed path of flows from that element to the component, ties
//! broken by flow id order.
//!
//! One breadth-first search per entry element serves every target, so the
//! work is O(entries x (elements + flows)) plus the paths themselves.

use crate::graph::ModelGraph;
use crate::risk::affected_data;
use crate::types::AttackPath;
use ward_model::{ElementId, FlowId, Target};

/// The attack paths of a model and, per element and per flow, the paths
/// that contain it.
pub struct PathIndex {
    pub paths: Vec<AttackPath>,
    by_element: Vec<Vec<usize>>,
    by_flow: Vec<Vec<usize>>,
}

impl PathIndex {
    /// The paths containing one of the targets, sorted, each once.
    pub fn containing(&self, targets: &[Target]) -> Vec<usize> {
        let mut out = Vec::new();
        for target in targets {
            match target {
                Target::Element(e) => out.extend_from_slice(&self.by_element[e.index()]),
                Target::Flow(f) => out.extend_from_slice(&self.by_flow[f.index()]),
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Components an attack path leads to: those whose affected data lists a
/// hazard, and (a refinement, see docs/risk.md) those whose own `hazards`
/// block lists one.
pub fn hazard_targets(graph: &ModelGraph) -> Vec<ElementId> {
    let model = graph.model;
    (0..model.elements.len())
        .map(|i| ElementId(i as u32))
        .filter(|&e| {
            let element = model.element(e);
            if element.is_actor() {
                return false;
            }
            !element.hazards.is_empty()
                || affected_data(graph, &[Target::Element(e)])
                    .iter()
                    .any(|d| !model.datum(*d).hazards.is_empty())
        })
        .collect()
}

pub fn attack_paths(graph: &ModelGraph) -> PathIndex {
    let model = graph.model;
    let targets = hazard_targets(graph);
    let mut paths = Vec::new();
    if !targets.is_empty() {
        for entry in (0..model.elements.len()).map(|i| ElementId(i as u32)) {
            if !graph.is_entry(entry) {
                continue;
            }
            let tree = graph.shortest_path_tree(entry);
            for &target in &targets {
                if let Some(flows) = tree.path_to(model, target) {
                    paths.push(AttackPath {
                        entry,
                        target,
                        flows,
                    });
                }
            }
        }
    }
    paths.sort_by_key(|p| (p.target, p.entry));
    let mut by_element = vec![Vec::new(); model.elements.len()];
    let mut by_flow: Vec<Vec<usize>> = vec![Vec::new(); model.flows.len()];
    for (index, path) in paths.iter().enumerate() {
        by_element[path.entry.index()].push(index);
        for &flow in &path.flows {
            by_flow[flow.index()].push(index);
            if let Some(target) = model.flow(flow).target {
                by_element[target.index()].push(index);
            }
        }
    }
    PathIndex {
        paths,
        by_element,
        by_flow,
    }
}

/// A path as `entry -f1-> a -f2-> target`, for messages and explanations.
pub fn describe(graph: &ModelGraph, path: &AttackPath) -> String {
    let model = graph.model;
    let mut out = model.element(path.entry).meta.name.clone();
    for &flow in &path.flows {
        let f = model.flow(flow);
        let next = f
            .target
            .map_or("?", |t| model.element(t).meta.name.as_str());
        out.push_str(&format!(" -[{}]-> {}", f.meta.name, next));
    }
    out
}

/// Flow ids of a path, for tests and tables.
pub fn flow_names(graph: &ModelGraph, flows: &[FlowId]) -> Vec<String> {
    flows
        .iter()
        .map(|f| graph.model.flow(*f).meta.name.clone())
        .collect()
}
