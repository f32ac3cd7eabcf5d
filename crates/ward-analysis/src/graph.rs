//! The model as a directed graph: components and actors are nodes, each flow
//! direction is an edge. Per-element and per-flow facts that rules and views
//! ask about (boundary crossing, trust direction, exposure, `max_*` levels)
//! are computed once here, from per-element indexes of flows in and out, so
//! no query scans every flow.

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::{Bfs, EdgeRef};
use ward_model::{
    ActorKind, CiaLevel, ComponentKind, ControlledBy, DataId, ElementId, ElementKind, FlowId,
    Model, SecurityProperty, Trust, ZoneId,
};

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
    /// `untrusted` or lower, or of a flow from an exposed `proxy` (so
    /// through chains of proxies). A response (`is_response`) does not
    /// expose its target: a client that calls out listens on nothing.
    pub exposed: bool,
    /// A `runtime`: some component that runs on it (`runs_on`) is exposed.
    pub hosts_exposed: bool,
    /// Input from untrusted zones reaches it: it is exposed, it receives a
    /// response from a zone of trust `untrusted` or lower, or it receives a
    /// flow from an element that receives untrusted input and does not
    /// validate it (`input_validation`).
    pub receives_untrusted_input: bool,
    /// A `browser` a human not controlled by the patient (staff) drives
    /// over a `ui` flow: privileged access through it is the staff
    /// member's.
    pub used_by_staff: bool,
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

/// Marks each runtime that hosts an exposed component; runs after
/// every exposure fact is final.
fn mark_hosts_exposed(model: &Model, elements: &mut [ElementInfo]) {
    for (index, element) in model.elements.iter().enumerate() {
        if let Some(host) = element.security.runs_on {
            if elements[index].exposed {
                elements[host.index()].hosts_exposed = true;
            }
        }
    }
}

/// Marks each `browser` a staff member drives: the target of a `ui` flow
/// from a human whose `controlled_by` is stated and is not the patient.
fn mark_used_by_staff(model: &Model, elements: &mut [ElementInfo]) {
    for flow in &model.flows {
        let (Some(source), Some(target)) = (flow.source, flow.target) else {
            continue;
        };
        let (user, browser) = (model.element(source), model.element(target));
        if flow.protocol == "ui"
            && user.kind == ElementKind::Actor(ActorKind::Human)
            && user
                .controlled_by
                .is_some_and(|c| c != ControlledBy::Patient)
            && browser.kind == ElementKind::Component(ComponentKind::Browser)
        {
            elements[target.index()].used_by_staff = true;
        }
    }
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
                hosts_exposed: false,
                receives_untrusted_input: false,
                used_by_staff: false,
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
                    let info = &mut elements[target.index()];
                    if flow.is_response {
                        info.receives_untrusted_input = true;
                    } else {
                        info.exposed = true;
                    }
                }
            }
        }
        pass_exposure_through_proxies(model, &mut elements);
        mark_untrusted_input(model, &mut elements);
        mark_hosts_exposed(model, &mut elements);
        mark_used_by_staff(model, &mut elements);
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

    /// One breadth-first search from all `roots` at once: every element
    /// reached, with the flow by which it was first reached. Roots are
    /// visited in the order given and adjacency in flow id order, so the path
    /// read back is, among the shortest paths from any root, the one from the
    /// first root, then the first by flow ids compared from the root on.
    pub fn search_from_all(&self, roots: &[ElementId]) -> ShortestPathForest {
        let mut seen = vec![false; self.elements.len()];
        let mut parent = vec![None; self.elements.len()];
        let mut order = Vec::new();
        for &root in roots {
            if !seen[root.index()] {
                seen[root.index()] = true;
                order.push(root);
            }
        }
        let mut next = 0;
        while let Some(&node) = order.get(next) {
            next += 1;
            for &(flow, target) in self.successors(node) {
                if !seen[target.index()] {
                    seen[target.index()] = true;
                    parent[target.index()] = Some(flow);
                    order.push(target);
                }
            }
        }
        ShortestPathForest { seen, parent }
    }

    /// Per element, the nearest of `roots` it reaches along flows (itself
    /// when it is one), or `None`. One breadth-first search backwards from
    /// all roots at once, O(elements + flows); ties go to the first root in
    /// the order given.
    pub fn nearest_reachable(&self, roots: &[ElementId]) -> Vec<Option<ElementId>> {
        let mut nearest = vec![None; self.elements.len()];
        let mut queue = std::collections::VecDeque::new();
        for &root in roots {
            if nearest[root.index()].is_none() {
                nearest[root.index()] = Some(root);
                queue.push_back(root);
            }
        }
        while let Some(node) = queue.pop_front() {
            for &flow in &self.element(node).flows_in {
                let Some(source) = self.model.flow(flow).source else {
                    continue;
                };
                if nearest[source.index()].is_none() {
                    nearest[source.index()] = nearest[node.index()];
                    queue.push_back(source);
                }
            }
        }
        nearest
    }

    /// The shortest directed path of flows from one element to another (ties
    /// broken by flow id order); `None` if unreachable or the same element.
    pub fn shortest_path(&self, from: ElementId, to: ElementId) -> Option<Vec<FlowId>> {
        if from == to {
            return None;
        }
        self.search_from_all(&[from])
            .path_to(self.model, to)
            .map(|(_, flows)| flows)
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

/// The result of [`ModelGraph::search_from_all`].
pub struct ShortestPathForest {
    seen: Vec<bool>,
    /// Per element, the flow by which the search first reached it (`None`
    /// for a root or an element not reached).
    parent: Vec<Option<FlowId>>,
}

impl ShortestPathForest {
    pub fn reaches(&self, to: ElementId) -> bool {
        self.seen.get(to.index()).copied().unwrap_or(false)
    }

    /// The root a shortest path to `to` starts from, and its flows in order
    /// (none when `to` is a root); `None` when `to` was not reached.
    pub fn path_to(&self, model: &Model, to: ElementId) -> Option<(ElementId, Vec<FlowId>)> {
        if !self.reaches(to) {
            return None;
        }
        let mut flows = Vec::new();
        let mut node = to;
        while let Some(flow) = self.parent[node.index()] {
            flows.push(flow);
            node = model.flow(flow).source.expect("edges have both ends");
        }
        flows.reverse();
        Some((node, flows))
    }
}

/// A proxy forwards requests without being their final receiver, so what it
/// forwards to is as exposed as the proxy (chains of proxies included).
fn pass_exposure_through_proxies(model: &Model, elements: &mut [ElementInfo]) {
    let is_proxy =
        |e: ElementId| model.element(e).kind == ElementKind::Component(ComponentKind::Proxy);
    let request = |f: FlowId| !model.flow(f).is_response;
    spread_along_flows(model, elements, |info| &mut info.exposed, is_proxy, request);
}

/// `receives_untrusted_input`: the exposed elements and the receivers of
/// untrusted responses (marked while the flows were read), then everything
/// they pass input on to without validating it, responses included.
fn mark_untrusted_input(model: &Model, elements: &mut [ElementInfo]) {
    for info in elements.iter_mut() {
        info.receives_untrusted_input |= info.exposed;
    }
    let passes_on = |e: ElementId| !model.element(e).security.input_validation;
    spread_along_flows(
        model,
        elements,
        |info| &mut info.receives_untrusted_input,
        passes_on,
        |_| true,
    );
}

/// Sets `fact` on every target of a flow it `follows` from an element that
/// has it and `passes_on` it, until nothing changes: each element is queued
/// at most once, so O(elements + flows).
fn spread_along_flows(
    model: &Model,
    elements: &mut [ElementInfo],
    fact: impl Fn(&mut ElementInfo) -> &mut bool,
    passes_on: impl Fn(ElementId) -> bool,
    follows: impl Fn(FlowId) -> bool,
) {
    let mut queue: Vec<ElementId> = (0..elements.len())
        .map(|i| ElementId(i as u32))
        .filter(|&e| *fact(&mut elements[e.index()]) && passes_on(e))
        .collect();
    while let Some(from) = queue.pop() {
        for position in 0..elements[from.index()].flows_out.len() {
            let flow = elements[from.index()].flows_out[position];
            let Some(target) = model.flow(flow).target.filter(|_| follows(flow)) else {
                continue;
            };
            let reached = fact(&mut elements[target.index()]);
            if !*reached {
                *reached = true;
                if passes_on(target) {
                    queue.push(target);
                }
            }
        }
    }
}

/// Sorts elements by id (name): searches seeded with them then do not
/// depend on declaration order.
pub fn sort_by_name(model: &Model, elements: &mut [ElementId]) {
    elements.sort_by(|a, b| {
        model
            .element(*a)
            .meta
            .name
            .cmp(&model.element(*b).meta.name)
    });
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use ward_model::{ActorKind, CiaLevel::*, ComponentKind, DataKind};

    #[test]
    fn facts_of_flows_and_elements() {
        let mut m = TestModel::new();
        let internet = m.zone("internet", Trust::Hostile);
        let cloud = m.zone("cloud", Trust::Controlled);
        let hw = m.zone("hw", Trust::Trusted);
        let d = m.data("d", DataKind::Phi, [High, Low, None]);
        let attacker = m.actor("attacker", ActorKind::Human, internet);
        let api = m.component_with("api", ComponentKind::Service, cloud, |e| e.stores = vec![d]);
        let db = m.component("db", ComponentKind::Datastore, cloud);
        let dev = m.component("dev", ComponentKind::Device, hw);
        let f_in = m.flow("f_in", attacker, api, &[d]);
        let f_db = m.flow("f_db", api, db, &[]);
        let f_down = m.flow("f_down", dev, api, &[]);
        let g = ModelGraph::new(&m.model);
        assert!(g.flow(f_in).crosses_boundary && g.flow(f_in).from_lower_trust);
        assert!(!g.flow(f_db).crosses_boundary && !g.flow(f_db).from_lower_trust);
        assert!(g.flow(f_down).crosses_boundary && !g.flow(f_down).from_lower_trust);
        assert!(g.element(api).exposed);
        assert!(!g.element(db).exposed && !g.element(attacker).exposed);
        assert_eq!(g.element(api).max, [High, Low, None]);
        assert_eq!(g.flow(f_db).max, [None, None, None]);
        assert!(g.is_entry(attacker) && !g.is_entry(api));
        assert_eq!(g.element(api).flows_in, vec![f_down, f_in]); // by flow id
        assert_eq!(
            g.flows_touching(api).collect::<Vec<_>>(),
            vec![f_db, f_down, f_in]
        );
        assert_eq!(g.reachable(attacker), vec![attacker, api, db]);
    }

    #[test]
    fn nearest_reachable_root_goes_backwards_along_flows_ties_to_the_first_root() {
        let mut m = TestModel::new();
        let z = m.zone("z", Trust::Untrusted);
        let [a, b, c, r1, r2, lone] =
            ["a", "b", "c", "r1", "r2", "lone"].map(|n| m.component(n, ComponentKind::Process, z));
        // a -> b -> r1, b -> r2 (r1 and r2 both one flow from b), c -> a.
        m.flow("f1", a, b, &[]);
        m.flow("f2", b, r1, &[]);
        m.flow("f3", b, r2, &[]);
        m.flow("f4", c, a, &[]);
        m.flow("f5", r1, lone, &[]);
        let g = ModelGraph::new(&m.model);
        let nearest = g.nearest_reachable(&[r2, r1]);
        assert_eq!(nearest[r1.index()], Some(r1), "a root reaches itself");
        assert_eq!(nearest[b.index()], Some(r2), "a tie goes to the first root");
        assert_eq!(nearest[a.index()], Some(r2));
        assert_eq!(nearest[c.index()], Some(r2));
        assert_eq!(
            nearest[lone.index()],
            Option::None,
            "only upstream elements"
        );
    }

    #[test]
    fn shortest_path_breaks_ties_by_flow_id() {
        let mut m = TestModel::new();
        let z = m.zone("z", Trust::Untrusted);
        let [a, b, c, d] = ["a", "b", "c", "d"].map(|n| m.component(n, ComponentKind::Process, z));
        // Two shortest paths a -> d: via b (flows x1, y1) and via c (flows
        // w1, y2). Flow id order prefers w1.
        m.flow("x1", a, b, &[]);
        m.flow("y1", b, d, &[]);
        let w1 = m.flow("w1", a, c, &[]);
        let y2 = m.flow("y2", c, d, &[]);
        // A longer path never wins.
        let a0 = m.flow("a0", a, a, &[]);
        let g = ModelGraph::new(&m.model);
        assert_eq!(g.shortest_path(a, d), Some(vec![w1, y2]));
        assert_eq!(g.shortest_path(d, a), Option::None);
        assert_eq!(g.shortest_path(a, a), Option::None);
        // A loop is both in and out, listed once.
        assert_eq!(g.flows_touching(a).filter(|f| *f == a0).count(), 1);
    }

    #[test]
    fn exposure_passes_through_chains_of_exposed_proxies_only() {
        let mut m = TestModel::new();
        let internet = m.zone("internet", Trust::Hostile);
        let dmz = m.zone("dmz", Trust::Controlled);
        let cloud = m.zone("cloud", Trust::Controlled);
        let user = m.actor("user", ActorKind::Human, internet);
        let lb = m.component("lb", ComponentKind::Proxy, dmz);
        let gw = m.component("gw", ComponentKind::Proxy, dmz);
        let portal = m.component("portal", ComponentKind::WebApp, cloud);
        let api = m.component("api", ComponentKind::Service, cloud);
        let db = m.component("db", ComponentKind::Datastore, cloud);
        let inner = m.component("inner", ComponentKind::Proxy, cloud);
        let admin = m.component("admin", ComponentKind::WebApp, cloud);
        m.flow("f_in", user, lb, &[]);
        m.flow("f_lb", lb, gw, &[]); // proxy to proxy
        m.flow("f_gw", gw, portal, &[]);
        m.flow("f_api", portal, api, &[]); // a web app is no proxy
        m.flow("f_db", api, db, &[]);
        m.flow("f_inner", inner, admin, &[]); // a proxy nobody exposes
        let g = ModelGraph::new(&m.model);
        assert!(g.element(lb).exposed && g.element(gw).exposed);
        assert!(g.element(portal).exposed, "behind two proxies");
        assert!(!g.element(api).exposed, "exposure stops at a non-proxy");
        assert!(!g.element(inner).exposed && !g.element(admin).exposed);
        // Untrusted input flows on until something validates it.
        for e in [lb, gw, portal, api, db] {
            assert!(g.element(e).receives_untrusted_input);
        }
        assert!(!g.element(admin).receives_untrusted_input);
        assert!(!g.element(user).receives_untrusted_input);
    }

    #[test]
    fn untrusted_input_stops_at_a_component_that_validates_it() {
        let mut m = TestModel::new();
        let home = m.zone("home", Trust::Untrusted);
        let cloud = m.zone("cloud", Trust::Controlled);
        let app = m.component("app", ComponentKind::MobileApp, home);
        let api = m.component_with("api", ComponentKind::Service, cloud, |e| {
            e.security.input_validation = true
        });
        let worker = m.component("worker", ComponentKind::Service, cloud);
        let db = m.component("db", ComponentKind::Datastore, cloud);
        m.flow("f_up", app, api, &[]);
        m.flow("f_job", api, worker, &[]);
        m.flow("f_db", worker, db, &[]);
        let g = ModelGraph::new(&m.model);
        assert!(g.element(api).receives_untrusted_input, "it receives it");
        assert!(
            !g.element(worker).receives_untrusted_input,
            "validated upstream"
        );
        assert!(!g.element(db).receives_untrusted_input);
    }

    /// A client that calls out to the internet listens on nothing: the
    /// response does not expose it, but what it brings back is untrusted
    /// (tests/precision: the LLM summary job, the CI's package download).
    #[test]
    fn a_response_from_an_untrusted_zone_is_untrusted_input_not_exposure() {
        let mut m = TestModel::new();
        let internet = m.zone("internet", Trust::Hostile);
        let dmz = m.zone("dmz", Trust::Controlled);
        let cloud = m.zone("cloud", Trust::Controlled);
        let llm = m.component("llm", ComponentKind::MlModel, internet);
        let job = m.component("job", ComponentKind::Service, cloud);
        let db = m.component("db", ComponentKind::Datastore, cloud);
        let lb = m.component("lb", ComponentKind::Proxy, dmz);
        let app = m.component("app", ComponentKind::MobileApp, cloud);
        m.flow("f_prompt", job, llm, &[]);
        m.flow_with("f_prompt.reverse", llm, job, &[], |f| f.is_response = true);
        m.flow("f_store", job, db, &[]);
        m.flow("f_in", llm, lb, &[]);
        m.flow_with("f_answer", lb, app, &[], |f| f.is_response = true);
        let g = ModelGraph::new(&m.model);
        assert!(!g.element(job).exposed, "it only calls out");
        assert!(
            g.element(job).receives_untrusted_input,
            "the answer is untrusted"
        );
        assert!(
            g.element(db).receives_untrusted_input,
            "passed on unvalidated"
        );
        assert!(!g.element(db).exposed);
        assert!(g.element(lb).exposed);
        assert!(
            !g.element(app).exposed,
            "a proxy's response does not expose its client"
        );
        assert!(g.element(app).receives_untrusted_input);
    }
}
