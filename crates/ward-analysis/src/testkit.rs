//! Builds small typed models in unit tests, without the parser or loader:
//! each call declares one item with the language's defaults (the model's
//! constructors, `Zone::new` ...) and returns its id; a closure may adjust
//! the item. Only values that differ from those defaults are set here, so a
//! new optional property needs no edit in this file.

use ward_diagnostics::{FileId, Span};
use ward_model::*;

pub struct TestModel {
    pub model: Model,
    offset: u32,
}

/// `std::policy::iso14971_5x5` (spec §2 policy).
pub fn std_policy() -> Policy {
    use RiskLevel::{Acceptable as A, Review as R, Unacceptable as U};
    Policy {
        meta: meta_at("iso14971_5x5", Span::default()),
        from_stdlib: true,
        path: "std::policy::iso14971_5x5".into(),
        severity: ["negligible", "minor", "serious", "critical", "catastrophic"]
            .map(String::from)
            .to_vec(),
        exploitability: ["very_low", "low", "moderate", "high", "very_high"]
            .map(String::from)
            .to_vec(),
        exploitability_criteria: vec![None; 5],
        matrix: vec![
            vec![A, A, A, A, A],
            vec![A, A, A, R, R],
            vec![A, A, R, R, U],
            vec![A, R, R, U, U],
            vec![R, R, U, U, U],
        ],
        security_impact: CiaLevel::ALL.to_vec(),
        security_matrix: vec![
            vec![A, A, A, A, A],
            vec![A, A, A, R, R],
            vec![A, A, R, R, U],
            vec![A, R, R, U, U],
        ],
        cvss_exploitability_bands: Some(vec![0.5, 1.5, 2.5, 3.5]),
        controlled: vec![A],
        require_verified: false,
        transfer_basis: None,
    }
}

fn meta_at(name: &str, span: Span) -> Meta {
    Meta::imported(name, name, span)
}

// Exploitability and severity levels of the std policy, by name.
pub const VERY_LOW: Level = Level(0);
pub const LOW: Level = Level(1);
pub const MODERATE: Level = Level(2);
pub const HIGH: Level = Level(3);
pub const VERY_HIGH: Level = Level(4);
pub const NEGLIGIBLE: Level = Level(0);
pub const MINOR: Level = Level(1);
pub const SERIOUS: Level = Level(2);
pub const CRITICAL: Level = Level(3);
pub const CATASTROPHIC: Level = Level(4);

impl TestModel {
    pub fn new() -> TestModel {
        TestModel {
            model: Model {
                system: None,
                zones: Vec::new(),
                data: Vec::new(),
                elements: Vec::new(),
                flows: Vec::new(),
                hazards: Vec::new(),
                threats: Vec::new(),
                rules: Vec::new(),
                controls: Vec::new(),
                verifications: Vec::new(),
                assumptions: Vec::new(),
                usecases: Vec::new(),
                accepts: Vec::new(),
                dispositions: Vec::new(),
                approvals: Vec::new(),
                software: Vec::new(),
                vulnerabilities: Vec::new(),
                anomalies: Vec::new(),
                monitoring: None,
                vex: Vec::new(),
                content: Vec::new(),
                policies: vec![std_policy()],
                policy_in_force: PolicyId(0),
                uses_stride: false,
                fda_coverage: false,
                stage: ward_model::Stage::Design,
                as_of: None,
                supply: Default::default(),
                symbols: SymbolIndex::default(),
            },
            offset: 0,
        }
    }

    /// A fresh span per declaration, so findings sort in declaration order.
    fn meta(&mut self, name: &str) -> Meta {
        let start = self.offset;
        self.offset += name.len() as u32 + 1;
        meta_at(
            name,
            Span {
                file: FileId(0),
                start,
                end: start + name.len() as u32,
            },
        )
    }

    pub fn zone(&mut self, name: &str, trust: Trust) -> ZoneId {
        let meta = self.meta(name);
        let mut zone = Zone::new(meta, trust);
        zone.controlled_by = Some(ControlledBy::Manufacturer);
        self.model.zones.push(zone);
        ZoneId(self.model.zones.len() as u32 - 1)
    }

    pub fn data(&mut self, name: &str, kind: DataKind, cia: [CiaLevel; 3]) -> DataId {
        self.data_with(name, kind, cia, |_| {})
    }

    pub fn data_with(
        &mut self,
        name: &str,
        kind: DataKind,
        cia: [CiaLevel; 3],
        adjust: impl FnOnce(&mut Data),
    ) -> DataId {
        let meta = self.meta(name);
        let mut data = Data::new(meta, kind, cia);
        adjust(&mut data);
        self.model.data.push(data);
        DataId(self.model.data.len() as u32 - 1)
    }

    pub fn component(&mut self, name: &str, kind: ComponentKind, zone: ZoneId) -> ElementId {
        self.component_with(name, kind, zone, |_| {})
    }

    pub fn component_with(
        &mut self,
        name: &str,
        kind: ComponentKind,
        zone: ZoneId,
        adjust: impl FnOnce(&mut Element),
    ) -> ElementId {
        let meta = self.meta(name);
        let controlled_by = self.model.zone(zone).controlled_by;
        let mut element = Element::component(meta, kind, Some(zone));
        element.controlled_by = controlled_by;
        element.updatable = false;
        adjust(&mut element);
        self.model.elements.push(element);
        ElementId(self.model.elements.len() as u32 - 1)
    }

    pub fn actor(&mut self, name: &str, kind: ActorKind, zone: ZoneId) -> ElementId {
        let id = self.component(name, ComponentKind::Process, zone);
        self.model.elements[id.index()].kind = ElementKind::Actor(kind);
        id
    }

    pub fn flow(
        &mut self,
        name: &str,
        source: ElementId,
        target: ElementId,
        carries: &[DataId],
    ) -> FlowId {
        self.flow_with(name, source, target, carries, |_| {})
    }

    pub fn flow_with(
        &mut self,
        name: &str,
        source: ElementId,
        target: ElementId,
        carries: &[DataId],
        adjust: impl FnOnce(&mut Flow),
    ) -> FlowId {
        let meta = self.meta(name);
        let mut flow = Flow::new(meta, Some(source), Some(target));
        flow.carries = carries.to_vec();
        adjust(&mut flow);
        self.model.flows.push(flow);
        FlowId(self.model.flows.len() as u32 - 1)
    }

    /// A `<->` flow: the forward direction and `name.reverse`.
    pub fn flow_both(
        &mut self,
        name: &str,
        a: ElementId,
        b: ElementId,
        carries: &[DataId],
    ) -> (FlowId, FlowId) {
        let forward = self.flow(name, a, b, carries);
        let mut reverse = self.model.flows[forward.index()].clone();
        reverse.meta.name = format!("{name}.reverse");
        reverse.source = Some(b);
        reverse.target = Some(a);
        reverse.reverse_of = Some(forward);
        self.model.flows.push(reverse);
        let reverse = FlowId(self.model.flows.len() as u32 - 1);
        self.model.flows[forward.index()].reverse = Some(reverse);
        (forward, reverse)
    }

    pub fn hazard(&mut self, name: &str, severity: Level) -> HazardId {
        let meta = self.meta(name);
        let mut hazard = Hazard::new(meta, severity);
        hazard.harm = Some(format!("harm of {name}"));
        self.model.hazards.push(hazard);
        HazardId(self.model.hazards.len() as u32 - 1)
    }

    pub fn threat(
        &mut self,
        name: &str,
        stride: &[Stride],
        targets: &[Target],
        exploitability: Level,
    ) -> ThreatId {
        self.threat_with(name, stride, targets, exploitability, |_| {})
    }

    pub fn threat_with(
        &mut self,
        name: &str,
        stride: &[Stride],
        targets: &[Target],
        exploitability: Level,
        adjust: impl FnOnce(&mut Threat),
    ) -> ThreatId {
        let meta = self.meta(name);
        let exploitability = Exploitability::Level {
            level: exploitability,
        };
        let mut threat = Threat::new(meta, stride.to_vec(), targets.to_vec(), exploitability);
        adjust(&mut threat);
        self.model.threats.push(threat);
        ThreatId(self.model.threats.len() as u32 - 1)
    }

    /// A control mitigating the given threats; adjust the rest.
    pub fn control(
        &mut self,
        name: &str,
        mitigates: &[ThreatKey],
        adjust: impl FnOnce(&mut Control),
    ) -> ControlId {
        let meta = self.meta(name);
        let span = meta.name_span;
        let requirement = format!("{name} requirement");
        let mut control = Control::new(meta, ControlCategory::Authentication, requirement);
        control.mitigates = mitigates
            .iter()
            .map(|key| ThreatRefResolved { key: *key, span })
            .collect();
        adjust(&mut control);
        self.model.controls.push(control);
        ControlId(self.model.controls.len() as u32 - 1)
    }

    pub fn usecase(&mut self, name: &str, steps: &[FlowId]) -> UsecaseId {
        let meta = self.meta(name);
        self.model.usecases.push(Usecase::new(meta, steps.to_vec()));
        UsecaseId(self.model.usecases.len() as u32 - 1)
    }
}

/// The key of a hand-written threat.
pub fn hand(threat: ThreatId) -> ThreatKey {
    ThreatKey::Hand { threat }
}
