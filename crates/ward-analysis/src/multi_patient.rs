//! Multi-patient harm (spec §4.10). A target is multi-patient when it is a
//! `fleet: shared` component or actor, a flow whose source is one, or an
//! element reached from one by flows that each carry `command`, `firmware`
//! or `config` data. The flows of such a chain are multi-patient too: they
//! are how one shared element commands many devices.
//!
//! Since 0.2 (issue #13) a threat that alters something (it breaks
//! integrity) is multi-patient too when a shared element lies downstream of
//! one of its targets: what it alters travels along the flows to an element
//! that serves every patient (an injection on an upload flow reaches the
//! fleet-wide database). The threat's `shared_reached` names that element.

use crate::graph::{sort_by_name, ModelGraph};
use crate::types::BrokenProperty;
use std::collections::VecDeque;
use ward_model::{DataKind, ElementId, Fleet, FlowId, Model, SecurityProperty, Target};

/// Data kinds by which a shared element acts on many devices.
pub const FLEET_KINDS: [DataKind; 3] = [DataKind::Command, DataKind::Firmware, DataKind::Config];

pub struct MultiPatient {
    pub elements: Vec<bool>,
    pub flows: Vec<bool>,
    /// Per element, the nearest `fleet: shared` element it reaches along
    /// flows (itself when shared), ties to the first by id.
    pub reaches_shared: Vec<Option<ElementId>>,
}

impl MultiPatient {
    pub fn target(&self, target: Target) -> bool {
        match target {
            Target::Element(e) => self.elements[e.index()],
            Target::Flow(f) => self.flows[f.index()],
        }
    }

    /// The shared element downstream of a target: for a component or actor,
    /// the nearest one it reaches (itself included); for a flow, the nearest
    /// one its destination reaches (the destination included).
    pub fn shared_downstream(&self, model: &Model, target: Target) -> Option<ElementId> {
        let from = match target {
            Target::Element(e) => e,
            Target::Flow(f) => model.flow(f).target?,
        };
        self.reaches_shared[from.index()]
    }

    /// Why a threat that breaks `broken` on `targets` is multi-patient
    /// beyond its targets themselves: the shared element what it alters
    /// reaches. `None` for a threat that alters nothing (disclosure, denial
    /// of service, repudiation of logs only).
    pub fn shared_reached(
        &self,
        model: &Model,
        broken: &[BrokenProperty],
        targets: &[Target],
    ) -> Option<ElementId> {
        let alters = broken
            .iter()
            .any(|b| b.property == SecurityProperty::Integrity && !b.log_data_only);
        if !alters {
            return None;
        }
        targets
            .iter()
            .find_map(|t| self.shared_downstream(model, *t))
    }
}

/// The flow carries command, firmware or config data.
pub fn carries_fleet_data(model: &Model, flow: FlowId) -> bool {
    model
        .flow(flow)
        .carries
        .iter()
        .any(|d| FLEET_KINDS.contains(&model.datum(*d).kind))
}

pub fn multi_patient(graph: &ModelGraph) -> MultiPatient {
    let model = graph.model;
    let mut elements = vec![false; model.elements.len()];
    let mut flows = vec![false; model.flows.len()];
    let mut queue = VecDeque::new();
    let mut shared = Vec::new();
    for (i, element) in model.elements.iter().enumerate() {
        if element.fleet == Fleet::Shared {
            shared.push(ElementId(i as u32));
            elements[i] = true;
            queue.push_back(ElementId(i as u32));
            for &f in &graph.element(ElementId(i as u32)).flows_out {
                flows[f.index()] = true;
            }
        }
    }
    while let Some(node) = queue.pop_front() {
        for &(flow, next) in graph.successors(node) {
            if !carries_fleet_data(model, flow) {
                continue;
            }
            flows[flow.index()] = true;
            if !elements[next.index()] {
                elements[next.index()] = true;
                queue.push_back(next);
            }
        }
    }
    sort_by_name(model, &mut shared);
    MultiPatient {
        elements,
        flows,
        reaches_shared: graph.nearest_reachable(&shared),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use ward_model::{CiaLevel::*, ComponentKind, Trust};

    #[test]
    fn shared_elements_their_flows_and_command_chains_are_multi_patient() {
        let mut m = TestModel::new();
        let cloud = m.zone("cloud", Trust::Controlled);
        let home = m.zone("home", Trust::Untrusted);
        let cmd = m.data("cmd", DataKind::Command, [None, High, High]);
        let fw = m.data("fw", DataKind::Firmware, [None, High, None]);
        let tel = m.data("tel", DataKind::Telemetry, [Low, Low, Low]);
        let api = m.component_with("api", ComponentKind::Service, cloud, |e| {
            e.fleet = Fleet::Shared
        });
        let app = m.component("app", ComponentKind::MobileApp, home);
        let pump = m.component("pump", ComponentKind::Device, home);
        let cgm = m.component("cgm", ComponentKind::Device, home);
        let lone = m.component("lone", ComponentKind::Device, home);
        let f_tel = m.flow("f_tel", api, app, &[tel]); // leaves a shared element
        let f_fw = m.flow("f_fw", api, app, &[fw]);
        let f_cmd = m.flow("f_cmd", app, pump, &[cmd]); // chain continues
        let f_read = m.flow("f_read", app, cgm, &[tel]); // chain stops
        let f_up = m.flow("f_up", lone, api, &[cmd]); // into the shared one
        let g = ModelGraph::new(&m.model);
        let mp = multi_patient(&g);
        assert!(mp.target(Target::Element(api)));
        assert!(mp.target(Target::Element(app)));
        assert!(mp.target(Target::Element(pump)));
        assert!(!mp.target(Target::Element(cgm)));
        assert!(!mp.target(Target::Element(lone)));
        assert!(mp.target(Target::Flow(f_tel)));
        assert!(mp.target(Target::Flow(f_fw)));
        assert!(mp.target(Target::Flow(f_cmd)));
        assert!(!mp.target(Target::Flow(f_read)));
        assert!(!mp.target(Target::Flow(f_up)));
    }
}
