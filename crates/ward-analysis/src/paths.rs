//! Attack paths (spec §4.9, as refined in docs/risk.md): for each component
//! whose affected data (or own `hazards` block) has a hazard, one shortest
//! directed path of flows from the nearest entry element (an element in a
//! zone of trust `untrusted` or lower), and how many entry elements reach it.
//!
//! The spec's one path per (entry, target) pair grows with entries x targets
//! (millions in a fleet model, where every home reaches every pump through
//! the cloud). One breadth-first search from all entries at once gives every
//! target its nearest entry in O(elements + flows); the count of entries
//! reaching each target comes from the strongly connected components, 64
//! entries per pass. Neither depends on declaration order: entries are
//! searched in id order and adjacency in flow id order.
//!
//! These are the shortest *modelled* paths from an entry point, not attack
//! scenarios. A proximity threat (attack vector `adjacent` or `physical`)
//! takes none of them: its attacker starts within radio range of, or
//! touching, the target in the target's zone ([`proximity_start`]).

use crate::graph::{sort_by_name, ModelGraph};
use crate::risk::affected_data;
use crate::types::{AttackPath, ProximityStart};
use petgraph::algo::kosaraju_scc;
use ward_model::{AttackVector, ElementId, Model, Target};

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

/// Entry elements, in id (name) order.
fn entries(graph: &ModelGraph) -> Vec<ElementId> {
    let model = graph.model;
    let mut entries: Vec<ElementId> = (0..model.elements.len())
        .map(|i| ElementId(i as u32))
        .filter(|&e| graph.is_entry(e))
        .collect();
    sort_by_name(model, &mut entries);
    entries
}

pub fn attack_paths(graph: &ModelGraph) -> PathIndex {
    let model = graph.model;
    let targets = hazard_targets(graph);
    let entries = entries(graph);
    let mut paths = Vec::new();
    if !targets.is_empty() && !entries.is_empty() {
        let forest = graph.search_from_all(&entries);
        let reaching = entries_reaching(graph, &entries);
        for target in targets {
            if let Some((entry, flows)) = forest.path_to(model, target) {
                paths.push(AttackPath {
                    entry,
                    target,
                    flows,
                    entries: reaching[target.index()],
                });
            }
        }
    }
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

/// Per element, how many of `entries` reach it along flows (an entry
/// reaches itself). The components of the flow graph, in topological order,
/// carry a bit per entry, 64 entries per pass: O(entries / 64 x (elements +
/// flows)) time and O(elements) memory.
fn entries_reaching(graph: &ModelGraph, entries: &[ElementId]) -> Vec<u32> {
    let elements = graph.model.elements.len();
    // kosaraju_scc lists components in reverse topological order.
    let mut components = kosaraju_scc(&graph.graph);
    components.reverse();
    let mut component_of = vec![0usize; elements];
    for (index, members) in components.iter().enumerate() {
        for node in members {
            component_of[node.index()] = index;
        }
    }
    let mut counts = vec![0u32; elements];
    let mut bits = vec![0u64; components.len()];
    for chunk in entries.chunks(64) {
        bits.iter_mut().for_each(|b| *b = 0);
        for (bit, entry) in chunk.iter().enumerate() {
            bits[component_of[entry.index()]] |= 1 << bit;
        }
        for (index, members) in components.iter().enumerate() {
            let here = bits[index];
            if here == 0 {
                continue;
            }
            for &node in members {
                for &(_, next) in graph.successors(ElementId(node.index() as u32)) {
                    bits[component_of[next.index()]] |= here;
                }
            }
        }
        for (element, count) in counts.iter_mut().enumerate() {
            *count += bits[component_of[element]].count_ones();
        }
    }
    counts
}

/// Where a proximity threat's attacker must be: near its first target that
/// sits in a zone (for a flow, its destination, the element that receives
/// what the attacker sends), in that element's zone. `None` for a network
/// or local threat, which starts at an entry point instead.
pub fn proximity_start(
    model: &Model,
    vector: AttackVector,
    targets: &[Target],
) -> Option<ProximityStart> {
    if !vector.is_proximity() {
        return None;
    }
    targets.iter().find_map(|&target| {
        let element = match target {
            Target::Element(e) => e,
            Target::Flow(f) => model.flow(f).target?,
        };
        let zone = model.element(element).zone?;
        Some(ProximityStart { element, zone })
    })
}

/// How a proximity attacker starts, in words: "within radio range of" or
/// "with physical access to" (followed by the element's name).
pub fn proximity_words(vector: AttackVector) -> &'static str {
    match vector {
        AttackVector::Physical => "an attacker with physical access to",
        _ => "an attacker within radio range of",
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use ward_model::{ActorKind, CiaLevel::*, ComponentKind, DataKind, Trust};

    #[test]
    fn one_path_per_hazard_component_from_the_nearest_entry() {
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
        // Both targets are one flow from the app, two from the patient; both
        // entries reach both.
        assert_eq!(
            index.paths,
            vec![
                AttackPath {
                    entry: app,
                    target: api,
                    flows: vec![f_up],
                    entries: 2
                },
                AttackPath {
                    entry: app,
                    target: pump,
                    flows: vec![f_direct],
                    entries: 2
                },
            ]
        );
        // Paths containing a target: an element anywhere on it, or a flow.
        assert_eq!(
            index.containing(&[Target::Flow(f_cmd)]),
            Vec::<usize>::new()
        );
        assert_eq!(index.containing(&[Target::Flow(f_up)]), vec![0]);
        assert_eq!(index.containing(&[Target::Element(app)]), vec![0, 1]);
        assert_eq!(
            index.containing(&[Target::Flow(f_use)]),
            Vec::<usize>::new()
        );
        assert_eq!(
            index.containing(&[Target::Element(pump), Target::Element(patient)]),
            vec![1]
        );
        assert_eq!(describe(&g, &index.paths[1]), "app -[f_direct]-> pump");
    }

    #[test]
    fn ties_go_to_the_first_entry_by_id_then_flow_id_whatever_the_declaration_order() {
        for reversed in [false, true] {
            let mut m = TestModel::new();
            let home = m.zone("home", Trust::Hostile);
            let hw = m.zone("hw", Trust::Trusted);
            let h = m.hazard("h", SERIOUS);
            let names = if reversed {
                ["zed", "amy"]
            } else {
                ["amy", "zed"]
            };
            let [first, second] = names.map(|n| m.actor(n, ActorKind::Human, home));
            let dev = m.component_with("dev", ComponentKind::Device, hw, |e| {
                e.hazards.availability = vec![h]
            });
            let f1 = m.flow(&format!("f_{}", names[0]), first, dev, &[]);
            let f2 = m.flow(&format!("f_{}", names[1]), second, dev, &[]);
            let (amy, f_amy) = if reversed { (second, f2) } else { (first, f1) };
            let g = ModelGraph::new(&m.model);
            let index = attack_paths(&g);
            assert_eq!(
                index.paths,
                vec![AttackPath {
                    entry: amy,
                    target: dev,
                    flows: vec![f_amy],
                    entries: 2
                }]
            );
        }
    }

    #[test]
    fn an_entry_target_has_a_path_of_no_flows_and_cycles_count_each_entry_once() {
        let mut m = TestModel::new();
        let home = m.zone("home", Trust::Untrusted);
        let hw = m.zone("hw", Trust::Trusted);
        let h = m.hazard("h", SERIOUS);
        let with_hazard = |e: &mut ward_model::Element| e.hazards.integrity = vec![h];
        let app = m.component_with("app", ComponentKind::MobileApp, home, with_hazard);
        let phone = m.component("phone", ComponentKind::MobileApp, home);
        let a = m.component("a", ComponentKind::Process, hw);
        let b = m.component_with("b", ComponentKind::Device, hw, with_hazard);
        let lone = m.component_with("lone", ComponentKind::Device, hw, with_hazard);
        // app <-> phone and a <-> b are cycles; phone -> a joins them.
        m.flow("f1", app, phone, &[]);
        m.flow("f2", phone, app, &[]);
        let f3 = m.flow("f3", phone, a, &[]);
        let f4 = m.flow("f4", a, b, &[]);
        m.flow("f5", b, a, &[]);
        let g = ModelGraph::new(&m.model);
        let index = attack_paths(&g);
        assert_eq!(
            index.paths,
            vec![
                AttackPath {
                    entry: app,
                    target: app,
                    flows: vec![],
                    entries: 2
                },
                AttackPath {
                    entry: phone,
                    target: b,
                    flows: vec![f3, f4],
                    entries: 2
                },
            ],
            "`lone` is reached by no entry"
        );
        assert_eq!(
            index.containing(&[Target::Element(lone)]),
            Vec::<usize>::new()
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
                flows: vec![f],
                entries: 1
            }]
        );
    }
}
