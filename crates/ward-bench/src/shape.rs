//! The architecture shared with the pytm benchmark model (`gen_pytm.py`):
//! components, trust boundaries, flows, data and their attributes, all
//! computed by the same formulas so that the Ward and pytm models describe
//! the same system. Nothing here is random.

/// The pytm class and name prefix of component `i` (`KINDS[i % 10]` in
/// `gen_pytm.py`), with the Ward element it becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kind {
    /// pytm class: `Actor`, `Server`, `Process`, `Datastore`, `Lambda`, `ExternalEntity`.
    pub pytm_class: &'static str,
    /// pytm name prefix: the component's title is `"{prefix} {i}"`.
    pub prefix: &'static str,
    /// Ward id prefix: the component's id is `{id}_{i}`.
    pub id: &'static str,
    /// Ward declaration: `actor` or `component`.
    pub keyword: &'static str,
    /// Ward `kind`.
    pub ward_kind: &'static str,
}

/// `KINDS` of `gen_pytm.py`, in the same order.
pub const KINDS: [Kind; 10] = [
    kind("Actor", "Clinician", "clinician", "actor", "human"),
    kind("Server", "Gateway", "gateway", "component", "gateway"),
    kind("Process", "Firmware", "firmware", "component", "firmware"),
    kind("Datastore", "Store", "store", "component", "datastore"),
    kind("Server", "CloudAPI", "cloud_api", "component", "service"),
    kind(
        "Process",
        "MobileApp",
        "mobile_app",
        "component",
        "mobile_app",
    ),
    kind(
        "Lambda",
        "Analytics",
        "analytics",
        "component",
        "cloud_service",
    ),
    kind("ExternalEntity", "EHR", "ehr", "actor", "external_system"),
    kind("Process", "Pump", "pump", "component", "device"),
    kind("Datastore", "Log", "log", "component", "datastore"),
];

const fn kind(
    pytm_class: &'static str,
    prefix: &'static str,
    id: &'static str,
    keyword: &'static str,
    ward_kind: &'static str,
) -> Kind {
    Kind {
        pytm_class,
        prefix,
        id,
        keyword,
        ward_kind,
    }
}

/// `PROTOCOLS` of `gen_pytm.py` as Ward protocol identifiers, same order.
pub const PROTOCOLS: [&str; 5] = ["https", "ble", "mqtt", "http", "hl7"];

/// pytm `Classification` of data `d` (`CLASSIFICATIONS[d % 4]`) as Ward
/// confidentiality: PUBLIC none, RESTRICTED low, SENSITIVE medium, SECRET high.
pub const CONFIDENTIALITY: [&str; 4] = ["none", "low", "medium", "high"];

/// The system of `gen_pytm.py N` (without `--shared-data`).
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    /// Components (pytm elements other than boundaries, flows and data).
    pub n: usize,
}

impl Shape {
    pub fn new(n: usize) -> Shape {
        Shape { n }
    }

    /// Trust boundaries: `max(1, N // 10)`.
    pub fn zones(&self) -> usize {
        (self.n / 10).max(1)
    }

    /// Dataflows: `3 * N`, one Data object each.
    pub fn flows(&self) -> usize {
        3 * self.n
    }

    pub fn kind(&self, component: usize) -> Kind {
        KINDS[component % KINDS.len()]
    }

    /// The boundary of component `i`: round-robin (`i % nb`).
    pub fn zone_of(&self, component: usize) -> usize {
        component % self.zones()
    }

    /// Source and target components of flow `j`, the formula of `gen_pytm.py`.
    pub fn flow_ends(&self, j: usize) -> (usize, usize) {
        let n = self.n;
        let src = j % n;
        let mut dst = (src + 1 + 7 * (j / n) + (j * 13) % (n - 1).max(1)) % n;
        if dst == src {
            dst = (src + 1) % n;
        }
        if n == 1 {
            dst = src;
        }
        (src, dst)
    }

    pub fn protocol(&self, j: usize) -> &'static str {
        PROTOCOLS[j % PROTOCOLS.len()]
    }

    /// `f{j}.controls.isEncrypted`.
    pub fn flow_encrypted(&self, j: usize) -> bool {
        j % 2 == 0
    }

    /// Ward `authenticated` of flow `j`: pytm sets no authentication on
    /// flows; its closest fact is the target's `controls.authenticatesSource`
    /// (`i % 5 != 0`), which is what we use.
    pub fn flow_authenticated(&self, j: usize) -> bool {
        let (_, dst) = self.flow_ends(j);
        authenticates_source(dst)
    }

    /// Ward `integrity_protected` (no pytm counterpart): encrypted flows
    /// whose target authenticates its source (an authenticated channel).
    pub fn flow_integrity_protected(&self, j: usize) -> bool {
        self.flow_encrypted(j) && self.flow_authenticated(j)
    }
}

/// `c{i}.controls.authenticatesSource`.
pub fn authenticates_source(component: usize) -> bool {
    component % 5 != 0
}

/// `c{i}.controls.isHardened`.
pub fn is_hardened(component: usize) -> bool {
    component % 3 == 0
}

/// `c{i}.controls.isEncrypted` (at rest, for Ward).
pub fn is_encrypted(component: usize) -> bool {
    component % 2 == 0
}

/// The Ward data kind of data `d`: pytm's `isCredentials` (`d % 7 == 0`)
/// gives `credential`, else `isPII` (`d % 3 == 0`) gives `phi`, else the
/// other kinds round-robin.
pub fn data_kind(d: usize) -> &'static str {
    const OTHER: [&str; 5] = ["command", "firmware", "config", "log", "telemetry"];
    if d % 7 == 0 {
        "credential"
    } else if d % 3 == 0 {
        "phi"
    } else {
        OTHER[d % OTHER.len()]
    }
}

/// Ward confidentiality of data `d` (its pytm classification).
pub fn data_confidentiality(d: usize) -> &'static str {
    CONFIDENTIALITY[d % CONFIDENTIALITY.len()]
}

/// Ward integrity of data `d` (no pytm counterpart): high for what drives
/// the device, lower for records.
pub fn data_integrity(d: usize) -> &'static str {
    match data_kind(d) {
        "credential" | "command" | "firmware" | "config" => "high",
        "telemetry" | "phi" => "medium",
        _ => "low",
    }
}

/// Ward availability of data `d` (no pytm counterpart).
pub fn data_availability(d: usize) -> &'static str {
    match data_kind(d) {
        "command" => "high",
        "telemetry" => "medium",
        "firmware" | "config" => "low",
        _ => "none",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_ends_match_the_pytm_formula() {
        // Values printed by gen_pytm.py's formula in Python.
        let s = Shape::new(100);
        assert_eq!(s.flow_ends(0), (0, 1));
        assert_eq!(s.flow_ends(1), (1, 15));
        assert_eq!(s.flow_ends(100), (0, 21));
        assert_eq!(s.flow_ends(299), (99, 40));
        let one = Shape::new(1);
        assert_eq!(one.flow_ends(2), (0, 0));
    }

    #[test]
    fn zones_and_kinds_are_round_robin() {
        let s = Shape::new(1000);
        assert_eq!(s.zones(), 100);
        assert_eq!(s.zone_of(257), 57);
        assert_eq!(s.kind(17).prefix, "EHR");
        assert_eq!(Shape::new(5).zones(), 1);
    }

    #[test]
    fn data_kinds_follow_the_pytm_flags() {
        assert_eq!(data_kind(0), "credential");
        assert_eq!(data_kind(21), "credential");
        assert_eq!(data_kind(9), "phi");
        assert_eq!(data_kind(5), "command");
        assert_eq!(data_kind(1), "firmware");
        assert_eq!(data_kind(4), "telemetry");
    }
}
