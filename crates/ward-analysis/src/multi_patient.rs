//! Multi-patient harm (spec §4.10). A target is multi-patient when it is a
//! `fleet: shared` component or actor, a flow whose source is one, or an
//! element reached from one by flows that each carry `command`, `firmware`
//! or `config` data. The flows of such a chain are multi-patient too: they
//! are how one shared element commands many devices.

use crate::graph::ModelGraph;
use std::collections::VecDeque;
use ward_model::{DataKind, ElementId, Fleet, FlowId, Model, Target};

/// Data kinds by which a shared element acts on many devices.
pub const FLEET_KINDS: [DataKind; 3] = [DataKind::Command, DataKind::Firmware, DataKind::Config];

pub struct MultiPatient {
    pub elements: Vec<bool>,
    pub flows: Vec<bool>,
}

impl MultiPatient {
    pub fn target(&self, target: Target) -> bool {
        match target {
            Target::Element(e) => self.elements[e.index()],
            Target::Flow(f) => self.flows[f.index()],
        }
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
    for (i, element) in model.elements.iter().enumerate() {
        if element.fleet == Fleet::Shared {
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
    MultiPatient { elements, flows }
}
