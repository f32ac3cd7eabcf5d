//! What each view shows (the [`Spec`]s); drawing is in `mod.rs`.

use rayon::prelude::*;
use std::collections::BTreeSet;

use ward_analysis::Analysis;
use ward_model::{owner_text, DataKind, ElementId, FlowId, Model, Target};

use super::dot::{text, Attrs, Val};
use super::{element_attrs, kind_legend, LegendItem, Spec, SpecEdge, SpecNode, View};

const RED: &str = "#c62828";
const GREY: &str = "#424242";
const SHARED_FILL: &str = "#ffe0b2";

const CROSSING: LegendItem = LegendItem::Edge {
    label: "crosses a trust boundary",
    color: RED,
    style: "bold",
    penwidth: "2",
};
const WITHIN: LegendItem = LegendItem::Edge {
    label: "within one zone",
    color: GREY,
    style: "solid",
    penwidth: "1",
};

/// Every view of the model, in a fixed order: system, multi-patient harm,
/// updatability, then the use cases in declaration order.
pub fn build(model: &Model, analysis: &Analysis) -> Vec<View> {
    // The views are independent: built and drawn in parallel, collected
    // in this order.
    let specs: Vec<Spec> = (0..3 + model.usecases.len())
        .into_par_iter()
        .map(|i| match i {
            0 => system(model, analysis),
            1 => multi_patient(model, analysis),
            2 => updatability(model, analysis),
            _ => usecase(model, analysis, i - 3),
        })
        .collect();
    let levels = super::ZoneLevels::new(model);
    specs
        .into_par_iter()
        .flat_map_iter(|s| s.render(model, &levels))
        .collect()
}

fn system_title(model: &Model) -> String {
    match &model.system {
        Some(s) => match &s.version {
            Some(v) => format!("{} {v}", s.meta.title),
            None => s.meta.title.clone(),
        },
        None => "System".into(),
    }
}

fn crosses(analysis: &Analysis, f: FlowId) -> bool {
    analysis
        .flows
        .get(f.index())
        .is_some_and(|x| x.crosses_boundary)
}

fn data_names(model: &Model, f: FlowId) -> String {
    model
        .flow(f)
        .carries
        .iter()
        .map(|&d| model.datum(d).meta.name.clone())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `f_dose: ble` then the carried data on a second line.
fn flow_label(model: &Model, f: FlowId) -> String {
    let flow = model.flow(f);
    let mut label = format!("{}: {}", flow.meta.name, flow.protocol);
    let data = data_names(model, f);
    if !data.is_empty() {
        label.push('\n');
        label.push_str(&data);
    }
    label
}

/// The look of an edge that needs attention: red, thick, in `style`.
fn alarm(attrs: &mut Attrs, style: &str) {
    attrs.extend([
        ("color", text(RED)),
        ("fontcolor", text(RED)),
        ("style", text(style)),
        ("penwidth", Val::Word("2")),
    ]);
}

fn crossing_style(attrs: &mut Attrs, crossing: bool) {
    if crossing {
        alarm(attrs, "bold");
    } else {
        attrs.push(("color", text(GREY)));
    }
}

fn ends(model: &Model, f: FlowId) -> Option<(ElementId, ElementId)> {
    let flow = model.flow(f);
    Some((flow.source?, flow.target?))
}

fn nodes_for(
    model: &Model,
    elements: &BTreeSet<ElementId>,
    extra: impl Fn(ElementId) -> Vec<String>,
) -> Vec<SpecNode> {
    elements
        .iter()
        .map(|&e| SpecNode {
            element: e,
            attrs: element_attrs(model, e, &extra(e)),
        })
        .collect()
}

/// The kinds of `elements`, each once.
fn kinds_legend(model: &Model, elements: &BTreeSet<ElementId>) -> BTreeSet<LegendItem> {
    elements
        .iter()
        .map(|&e| kind_legend(model.element(e).kind))
        .collect()
}

fn system(model: &Model, analysis: &Analysis) -> Spec {
    let all: BTreeSet<ElementId> = (0..model.elements.len())
        .map(|i| ElementId(i as u32))
        .collect();
    let mut edges = Vec::new();
    for (i, flow) in model.flows.iter().enumerate() {
        let f = FlowId(i as u32);
        // A `<->` flow is drawn once, with arrows both ways.
        if flow.reverse_of.is_some() {
            continue;
        }
        let Some((from, to)) = ends(model, f) else {
            continue;
        };
        let crossing = crosses(analysis, f) || flow.reverse.is_some_and(|r| crosses(analysis, r));
        let mut label = flow_label(model, f);
        // A request's one edge names its response data too.
        if let Some(response) = flow.reverse.filter(|&r| model.flow(r).is_response) {
            let returns = data_names(model, response);
            if !returns.is_empty() {
                label.push_str("\nreturns: ");
                label.push_str(&returns);
            }
        }
        let mut attrs: Attrs = vec![("label", text(label))];
        if flow.reverse.is_some() {
            attrs.push(("dir", Val::Word("both")));
        }
        crossing_style(&mut attrs, crossing);
        edges.push(SpecEdge {
            from,
            to,
            attrs,
            protocol: flow.protocol.clone(),
            crossing,
        });
    }
    let mut legend = kinds_legend(model, &all);
    legend.extend([CROSSING, WITHIN]);
    Spec {
        name: "system".into(),
        title: "Global system view".into(),
        description: "Every component and actor in its trust zone (zones show their trust level and owner), and \
                      every flow with its protocol and the data it carries. Flows that cross a trust boundary are \
                      drawn bold red; a two-way flow is one edge with arrows at both ends, and a request's edge names \
                      the data it returns."
            .into(),
        label: format!("Global system view: {}", system_title(model)),
        nodes: nodes_for(model, &all, |_| Vec::new()),
        edges,
        notes: Vec::new(),
        legend,
    }
}

/// Per flow, the names of the controls of the threats that target it, in
/// one pass over the threats (a scan per flow was quadratic).
fn controls_by_flow(model: &Model, analysis: &Analysis) -> Vec<BTreeSet<String>> {
    let mut by_flow = vec![BTreeSet::new(); model.flows.len()];
    for t in &analysis.threats {
        for target in &t.targets {
            if let Target::Flow(f) = target {
                by_flow[f.index()].extend(
                    t.controls
                        .iter()
                        .map(|&c| model.control(c).meta.name.clone()),
                );
            }
        }
    }
    by_flow
}

fn multi_patient(model: &Model, analysis: &Analysis) -> Spec {
    let shared: BTreeSet<ElementId> = model
        .elements
        .iter()
        .enumerate()
        .filter(|(_, e)| e.fleet == ward_model::Fleet::Shared)
        .map(|(i, _)| ElementId(i as u32))
        .collect();
    let mut elements: BTreeSet<ElementId> = shared.clone();
    elements.extend(
        analysis
            .elements
            .iter()
            .filter(|x| x.multi_patient)
            .map(|x| x.element),
    );
    let mut edges = Vec::new();
    let mut uncontrolled = false;
    let controls_by_flow = controls_by_flow(model, analysis);
    for facts in analysis.flows.iter().filter(|x| x.multi_patient) {
        let f = facts.flow;
        let Some((from, to)) = ends(model, f) else {
            continue;
        };
        elements.extend([from, to]);
        let controls: Vec<&str> = controls_by_flow[f.index()]
            .iter()
            .map(String::as_str)
            .collect();
        let mut label = flow_label(model, f);
        let mut attrs: Attrs = Vec::new();
        if controls.is_empty() {
            uncontrolled = true;
            label.push_str("\ncontrols: NONE");
            alarm(&mut attrs, "bold,dashed");
        } else {
            label.push_str(&format!("\ncontrols: {}", controls.join(", ")));
            attrs.push(("color", text(GREY)));
        }
        attrs.insert(0, ("label", text(label)));
        edges.push(SpecEdge {
            from,
            to,
            attrs,
            protocol: model.flow(f).protocol.clone(),
            crossing: facts.crosses_boundary,
        });
    }
    let reached = elements.len() - shared.len();
    let mut nodes = nodes_for(model, &elements, |e| {
        let multi = analysis
            .elements
            .get(e.index())
            .is_some_and(|x| x.multi_patient);
        if !shared.contains(&e) && multi {
            vec!["reached from a shared element".into()]
        } else {
            Vec::new()
        }
    });
    for n in nodes.iter_mut().filter(|n| shared.contains(&n.element)) {
        n.attrs.retain(|(k, _)| *k != "style");
        n.attrs.extend([
            ("style", text("filled,bold")),
            ("fillcolor", text(SHARED_FILL)),
        ]);
    }
    let mut legend = kinds_legend(model, &elements);
    legend.insert(LegendItem::Fill {
        label: "fleet: shared (serves many patients)",
        color: SHARED_FILL,
    });
    if uncontrolled {
        legend.insert(LegendItem::Edge {
            label: "no control on this flow",
            color: RED,
            style: "bold,dashed",
            penwidth: "2",
        });
    }
    let notes = if shared.is_empty() {
        vec![
            "No component or actor is `fleet: shared`:\nthe model has no multi-patient harm path."
                .to_string(),
        ]
    } else {
        Vec::new()
    };
    Spec {
        name: "multi-patient-harm".into(),
        title: "Multi-patient harm view".into(),
        description: "Shared elements (fleet: shared, filled) and the flows by which they reach many patients' \
                      devices: flows from a shared element, and onward flows carrying commands, firmware or \
                      configuration. Each flow lists the controls that mitigate threats against it; a flow with \
                      none is drawn red and dashed."
            .into(),
        label: format!(
            "Multi-patient harm view: {}\n{} shared element(s), {} element(s) reached from them",
            system_title(model),
            shared.len(),
            reached
        ),
        nodes,
        edges,
        notes,
        legend,
    }
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "NO"
    }
}

fn updatability(model: &Model, analysis: &Analysis) -> Spec {
    let carries_firmware = |f: FlowId| {
        model
            .flow(f)
            .carries
            .iter()
            .any(|&d| model.datum(d).kind == DataKind::Firmware)
    };
    let update_flows: Vec<FlowId> = (0..model.flows.len())
        .map(|i| FlowId(i as u32))
        .filter(|&f| carries_firmware(f))
        .collect();
    let with_software: BTreeSet<ElementId> = model
        .elements
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.software.is_empty())
        .map(|(i, _)| ElementId(i as u32))
        .collect();
    let receives: BTreeSet<ElementId> = update_flows
        .iter()
        .filter_map(|&f| model.flow(f).target)
        .collect();
    let mut elements = with_software.clone();
    let mut edges = Vec::new();
    let mut unprotected = false;
    let mut protected_any = false;
    for &f in &update_flows {
        let Some((from, to)) = ends(model, f) else {
            continue;
        };
        elements.extend([from, to]);
        let flow = model.flow(f);
        let owner = |e: ElementId| owner_text(model.element(e).controlled_by);
        let owners = if owner(from) == owner(to) {
            format!("owner: {}", owner(from))
        } else {
            format!("owners: {} to {}", owner(from), owner(to))
        };
        let protected = flow.authenticated && flow.integrity_protected;
        let label = format!(
            "{}\n{owners}\nauthenticated: {}, encrypted: {}, integrity-protected: {}",
            flow_label(model, f),
            yes_no(flow.authenticated),
            yes_no(flow.encrypted),
            yes_no(flow.integrity_protected)
        );
        let mut attrs: Attrs = vec![("label", text(label))];
        if protected {
            protected_any = true;
            attrs.push(("color", text("#2e7d32")));
        } else {
            unprotected = true;
            alarm(&mut attrs, "bold,dashed");
        }
        edges.push(SpecEdge {
            from,
            to,
            attrs,
            protocol: flow.protocol.clone(),
            crossing: crosses(analysis, f),
        });
    }
    let mut no_path = false;
    let mut nodes = nodes_for(model, &elements, |e| {
        let element = model.element(e);
        let mut lines: Vec<String> = element
            .software
            .iter()
            .map(|s| format!("sw: {s}"))
            .collect();
        if !element.software.is_empty() {
            lines.push(format!(
                "updatable: {}",
                if element.updatable { "yes" } else { "no" }
            ));
            if element.updatable && !receives.contains(&e) {
                lines.push("no update path modelled".into());
            }
        }
        lines
    });
    for n in &mut nodes {
        let element = model.element(n.element);
        if !element.software.is_empty() && element.updatable && !receives.contains(&n.element) {
            no_path = true;
            n.attrs
                .extend([("color", text(RED)), ("fontcolor", text(RED))]);
        }
    }
    let mut legend = kinds_legend(model, &elements);
    if protected_any {
        legend.insert(LegendItem::Edge {
            label: "update segment: authenticated and integrity-protected",
            color: "#2e7d32",
            style: "solid",
            penwidth: "1",
        });
    }
    if unprotected {
        legend.insert(LegendItem::Edge {
            label: "update segment lacking authentication or integrity protection",
            color: RED,
            style: "bold,dashed",
            penwidth: "2",
        });
    }
    let mut notes = Vec::new();
    if update_flows.is_empty() {
        notes.push("No flow carries `firmware` data:\nno update path is modelled.".to_string());
    }
    if no_path && !update_flows.is_empty() {
        notes.push("Red elements have software and are updatable,\nbut no modelled flow brings them firmware.".to_string());
    }
    Spec {
        name: "updatability".into(),
        title: "Updatability and patchability view".into(),
        description: "Every component with software (its software items and whether it is updatable) and every \
                      flow that carries firmware: the end-to-end update path, each segment with its owner(s) and \
                      protection. Segments lacking authentication or integrity protection are drawn red and dashed."
            .into(),
        label: format!("Updatability view: {}", system_title(model)),
        nodes,
        edges,
        notes,
        legend,
    }
}

fn usecase(model: &Model, analysis: &Analysis, index: usize) -> Spec {
    let u = &model.usecases[index];
    let mut elements = BTreeSet::new();
    let mut edges = Vec::new();
    for (step, &f) in u.steps.iter().enumerate() {
        let Some((from, to)) = ends(model, f) else {
            continue;
        };
        elements.extend([from, to]);
        let flow = model.flow(f);
        let crossing = crosses(analysis, f);
        let mut attrs: Attrs = vec![(
            "label",
            text(format!(
                "{}. {}\n{}",
                step + 1,
                flow.meta.title,
                flow_label(model, f)
            )),
        )];
        crossing_style(&mut attrs, crossing);
        edges.push(SpecEdge {
            from,
            to,
            attrs,
            protocol: flow.protocol.clone(),
            crossing,
        });
    }
    let mut legend = kinds_legend(model, &elements);
    if edges.iter().any(|e| e.crossing) {
        legend.insert(CROSSING);
    }
    if edges.iter().any(|e| !e.crossing) {
        legend.insert(WITHIN);
    }
    let state = u.state.as_deref().unwrap_or("not stated");
    let mut heading = format!("Security use case: {}", u.meta.title);
    if u.meta.title != u.meta.name {
        heading.push_str(&format!(" ({})", u.meta.name));
    }
    Spec {
        name: format!("usecase-{}", u.meta.name),
        title: format!("Use case: {}", u.meta.title),
        description: format!(
            "The flows of use case {} in order (numbered steps), in state {state}. Steps that cross a trust \
             boundary are drawn bold red.",
            u.meta.name
        ),
        label: format!("{heading}\nstate: {state}\n{}", system_title(model)),
        nodes: nodes_for(model, &elements, |_| Vec::new()),
        edges,
        notes: Vec::new(),
        legend,
    }
}
