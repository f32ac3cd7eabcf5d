//! Attack paths (spec §4.9): for each component whose affected data has a
//! hazard, and each element in a zone of trust `untrusted` or lower, one
//! shortest directed path of flows from that element to the component, ties
//! broken by flow id order.
//!
//! One breadth-first search per entry element serves every target, so the
//! work is O(entries x (elements + flows)) plus the paths themselves.

use crate::graph::{ModelGraph, ShortestPathTree};
use crate::risk::affected_data;
use crate::types::AttackPath;
use ward_model::{ElementId, FlowId, Target};

/// At most this many attack paths are enumerated (entry elements in
/// declaration order), so that a model with thousands of entry points all
/// reaching thousands of hazard-bearing components stays tractable for the
/// editor; the finding W0412 says when the bound was hit.
pub const MAX_PATHS: usize = 100_000;

/// The attack paths of a model and, per element and per flow, the paths
/// that contain it.
pub struct PathIndex {
    pub paths: Vec<AttackPath>,
    /// Enumeration stopped at [`MAX_PATHS`].
    pub truncated: bool,
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
    let mut is_target = vec![false; model.elements.len()];
    for target in hazard_targets(graph) {
        is_target[target.index()] = true;
    }
    let mut paths = Vec::new();
    let mut truncated = false;
    if is_target.contains(&true) {
        let mut tree = ShortestPathTree::default();
        'entries: for entry in (0..model.elements.len()).map(|i| ElementId(i as u32)) {
            if !graph.is_entry(entry) {
                continue;
            }
            graph.search_from(entry, &mut tree);
            for &target in &tree.order {
                if is_target[target.index()] {
                    if let Some(flows) = tree.path_to(model, target) {
                        if paths.len() == MAX_PATHS {
                            truncated = true;
                            break 'entries;
                        }
                        paths.push(AttackPath {
                            entry,
                            target,
                            flows,
                        });
                    }
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
        truncated,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use ward_model::{ActorKind, CiaLevel::*, ComponentKind, DataKind, Trust};

    #[test]
    fn one_shortest_path_per_entry_and_hazard_component() {
        let mut m = TestModel::new();
        let home = m.zone("home", Trust::Untrusted);
        let cloud = m.zone("cloud", Trust::Controlled);
        let hw = m.zone("hw", Trust::Trusted);
        let overdose = m.hazard("overdose", CATASTROPHIC);
        let dose = m.data_with("dose", DataKind::Command, [None, High, High], |d| {
            d.hazards.integrity = vec![overdose]
        });
        let plain = m.data("plain", DataKind::Other, [Low, Low, Low]);
        let patient = m.actor("patient", ActorKind::Human, home);
        let app = m.component("app", ComponentKind::MobileApp, home);
        let api = m.component("api", ComponentKind::Service, cloud);
        let pump = m.component("pump", ComponentKind::Device, hw);
        let other = m.component("other", ComponentKind::Device, hw);
        let f_use = m.flow("f_use", patient, app, &[plain]);
        let f_up = m.flow("f_up", app, api, &[plain]);
        let f_cmd = m.flow("f_cmd", api, pump, &[dose]);
        let f_direct = m.flow("f_direct", app, pump, &[plain]);
        m.flow("f_other", api, other, &[plain]);
        let g = ModelGraph::new(&m.model);
        // pump and api (carries dose) have hazard data; the app's flows carry none.
        assert_eq!(hazard_targets(&g), vec![api, pump]);
        let index = attack_paths(&g);
        let got: Vec<(ElementId, ElementId, Vec<FlowId>)> = index
            .paths
            .iter()
            .map(|p| (p.entry, p.target, p.flows.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                (patient, api, vec![f_use, f_up]),
                (app, api, vec![f_up]),
                (patient, pump, vec![f_use, f_direct]),
                (app, pump, vec![f_direct]),
            ]
        );
        // Paths containing a target: an element anywhere on it, or a flow.
        assert_eq!(
            index.containing(&[Target::Flow(f_cmd)]),
            Vec::<usize>::new()
        );
        assert_eq!(index.containing(&[Target::Flow(f_up)]), vec![0, 1]);
        assert_eq!(index.containing(&[Target::Element(app)]), vec![0, 1, 2, 3]);
        assert_eq!(
            index.containing(&[Target::Element(pump), Target::Flow(f_use)]),
            vec![0, 2, 3]
        );
        assert_eq!(
            describe(&g, &index.paths[0]),
            "patient -[f_use]-> app -[f_up]-> api"
        );
    }

    #[test]
    fn a_component_with_its_own_hazards_is_a_path_target() {
        let mut m = TestModel::new();
        let home = m.zone("home", Trust::Hostile);
        let hw = m.zone("hw", Trust::Trusted);
        let h = m.hazard("h", SERIOUS);
        let attacker = m.actor("attacker", ActorKind::Human, home);
        let dev = m.component_with("dev", ComponentKind::Device, hw, |e| {
            e.hazards.availability = vec![h]
        });
        let f = m.flow("f", attacker, dev, &[]);
        let g = ModelGraph::new(&m.model);
        let index = attack_paths(&g);
        assert_eq!(
            index.paths,
            vec![AttackPath {
                entry: attacker,
                target: dev,
                flows: vec![f]
            }]
        );
    }
}
