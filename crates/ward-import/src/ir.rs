//! The importer's model: what every format maps onto, and the one input of
//! the writer (`write.rs`). It holds Ward's concepts in Ward's words, but
//! references are the source tool's keys, not Ward ids: the writer turns
//! each key into a unique, valid identifier. Every item keeps where it came
//! from and the comments to write above it (what could not be mapped
//! exactly, at the place it came from).

/// A position in the input file, 1-based (column in characters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

/// Where an item came from: its id (or name) in the source tool and its
/// position in the input, when known.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    pub source_id: String,
    pub location: Option<Location>,
}

impl Origin {
    pub fn new(source_id: impl Into<String>, location: Option<Location>) -> Origin {
        Origin {
            source_id: source_id.into(),
            location,
        }
    }
}

/// A zone's `trust`, lowest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Trust {
    Hostile,
    Untrusted,
    Controlled,
    Trusted,
}

impl Trust {
    pub fn word(self) -> &'static str {
        match self {
            Trust::Hostile => "hostile",
            Trust::Untrusted => "untrusted",
            Trust::Controlled => "controlled",
            Trust::Trusted => "trusted",
        }
    }
}

/// A rating of `data` (`confidentiality`, `integrity`, `availability`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rating {
    #[default]
    None,
    Low,
    Medium,
    High,
}

impl Rating {
    pub fn word(self) -> &'static str {
        match self {
            Rating::None => "none",
            Rating::Low => "low",
            Rating::Medium => "medium",
            Rating::High => "high",
        }
    }
}

/// What an element is in Ward: a component of a kind, or an actor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElementKind {
    /// `component` with this `kind` (docs/language.md §3.4).
    Component(ComponentKind),
    /// `actor` with `kind: human`.
    Human,
    /// `actor` with `kind: external_system`.
    ExternalSystem,
}

/// A component's `kind`: the language's own set (docs/language.md §3.4).
pub use ward_model::ComponentKind;

/// `kind` of `data` (docs/language.md §3.3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DataKind {
    Command,
    Phi,
    Credential,
    Firmware,
    Config,
    Log,
    Telemetry,
    Identifier,
    #[default]
    Other,
}

impl DataKind {
    pub fn word(self) -> &'static str {
        match self {
            DataKind::Command => "command",
            DataKind::Phi => "phi",
            DataKind::Credential => "credential",
            DataKind::Firmware => "firmware",
            DataKind::Config => "config",
            DataKind::Log => "log",
            DataKind::Telemetry => "telemetry",
            DataKind::Identifier => "identifier",
            DataKind::Other => "other",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stride {
    Spoofing,
    Tampering,
    Repudiation,
    InformationDisclosure,
    DenialOfService,
    ElevationOfPrivilege,
}

impl Stride {
    pub fn word(self) -> &'static str {
        match self {
            Stride::Spoofing => "spoofing",
            Stride::Tampering => "tampering",
            Stride::Repudiation => "repudiation",
            Stride::InformationDisclosure => "information_disclosure",
            Stride::DenialOfService => "denial_of_service",
            Stride::ElevationOfPrivilege => "elevation_of_privilege",
        }
    }

    /// A STRIDE category as other tools spell it: `information-disclosure`,
    /// `Information disclosure`, `informationDisclosure`, `DoS`, ...
    pub fn parse(text: &str) -> Option<Stride> {
        let folded: String = text
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        Some(match folded.as_str() {
            "spoofing" | "s" => Stride::Spoofing,
            "tampering" | "t" => Stride::Tampering,
            "repudiation" | "r" => Stride::Repudiation,
            "informationdisclosure" | "i" => Stride::InformationDisclosure,
            "denialofservice" | "dos" | "d" => Stride::DenialOfService,
            "elevationofprivilege" | "eop" | "e" => Stride::ElevationOfPrivilege,
            _ => return None,
        })
    }
}

/// The exploitability levels of the standard policy
/// (`std::policy::iso14971_5x5`), which every imported model uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exploitability {
    VeryLow,
    Low,
    Moderate,
    High,
    VeryHigh,
}

impl Exploitability {
    pub fn word(self) -> &'static str {
        match self {
            Exploitability::VeryLow => "very_low",
            Exploitability::Low => "low",
            Exploitability::Moderate => "moderate",
            Exploitability::High => "high",
            Exploitability::VeryHigh => "very_high",
        }
    }
}

/// The FDA control categories (`category` of `control`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ControlCategory {
    Authentication,
    Authorization,
    Cryptography,
    Integrity,
    Confidentiality,
    EventDetection,
    Resiliency,
    Updatability,
}

impl ControlCategory {
    pub fn word(self) -> &'static str {
        match self {
            ControlCategory::Authentication => "authentication",
            ControlCategory::Authorization => "authorization",
            ControlCategory::Cryptography => "cryptography",
            ControlCategory::Integrity => "integrity",
            ControlCategory::Confidentiality => "confidentiality",
            ControlCategory::EventDetection => "event_detection",
            ControlCategory::Resiliency => "resiliency",
            ControlCategory::Updatability => "updatability",
        }
    }

    /// The category a control against a threat of this STRIDE kind most
    /// often belongs to (a proposal; the user reviews it).
    pub fn for_stride(stride: Stride) -> ControlCategory {
        match stride {
            Stride::Spoofing => ControlCategory::Authentication,
            Stride::Tampering => ControlCategory::Integrity,
            Stride::Repudiation => ControlCategory::EventDetection,
            Stride::InformationDisclosure => ControlCategory::Confidentiality,
            Stride::DenialOfService => ControlCategory::Resiliency,
            Stride::ElevationOfPrivilege => ControlCategory::Authorization,
        }
    }
}

/// `status` of `control`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ControlStatus {
    #[default]
    Proposed,
    Implemented,
    Verified,
}

impl ControlStatus {
    pub fn word(self) -> &'static str {
        match self {
            ControlStatus::Proposed => "proposed",
            ControlStatus::Implemented => "implemented",
            ControlStatus::Verified => "verified",
        }
    }
}

/// `zone`. `key` is unique among the model's keys (all kinds).
#[derive(Clone, Debug)]
pub struct Zone {
    pub key: String,
    pub name: String,
    pub description: Option<String>,
    pub trust: Trust,
    /// The enclosing zone's key (`in ZONE`).
    pub parent: Option<String>,
    pub comments: Vec<String>,
    pub origin: Origin,
}

/// `data`.
#[derive(Clone, Debug)]
pub struct Data {
    pub key: String,
    pub name: String,
    pub description: Option<String>,
    pub kind: DataKind,
    pub confidentiality: Rating,
    pub integrity: Rating,
    pub availability: Rating,
    pub comments: Vec<String>,
    pub origin: Origin,
}

/// `component` or `actor`.
#[derive(Clone, Debug)]
pub struct Element {
    pub key: String,
    pub name: String,
    pub description: Option<String>,
    pub kind: ElementKind,
    /// The zone's key.
    pub zone: String,
    /// Keys of the data it stores.
    pub stores: Vec<String>,
    /// Ward tags the standard rules read (`encrypted_at_rest`, ...).
    pub tags: Vec<String>,
    pub comments: Vec<String>,
    pub origin: Origin,
}

/// `flow`.
#[derive(Clone, Debug)]
pub struct Flow {
    pub key: String,
    pub name: String,
    pub description: Option<String>,
    pub source: String,
    pub target: String,
    /// `<->`: the same data and properties both ways.
    pub both_ways: bool,
    /// Already a Ward protocol word (`https`, `ble`, ...); `None`: unspecified.
    pub protocol: Option<String>,
    pub carries: Vec<String>,
    pub authenticated: bool,
    pub encrypted: bool,
    pub integrity_protected: bool,
    pub comments: Vec<String>,
    pub origin: Origin,
}

/// A hand-written `threat`.
#[derive(Clone, Debug)]
pub struct Threat {
    pub key: String,
    pub name: String,
    pub description: Option<String>,
    pub stride: Vec<Stride>,
    /// Keys of flows, components or actors.
    pub targets: Vec<String>,
    pub exploitability: Exploitability,
    pub cwe: Vec<u32>,
    pub comments: Vec<String>,
    pub origin: Origin,
}

/// A `control` (a proposed mitigation, usually).
#[derive(Clone, Debug)]
pub struct Control {
    pub key: String,
    pub name: String,
    pub category: ControlCategory,
    pub requirement: String,
    /// Threat keys.
    pub mitigates: Vec<String>,
    pub status: ControlStatus,
    pub comments: Vec<String>,
    pub origin: Origin,
}

/// An `accept` of imported threats. Its `level` is the threat's judged
/// residual risk, which only the analysis knows: the writer takes it from
/// the compiled model (see `lib.rs`), so an import never writes a stale
/// acceptance.
#[derive(Clone, Debug)]
pub struct Accept {
    /// Threat keys.
    pub threats: Vec<String>,
    pub rationale: String,
    pub approved_by: Option<String>,
    /// `YYYY-MM-DD`, when the source gave a calendar date.
    pub date: Option<String>,
    pub comments: Vec<String>,
    pub origin: Origin,
}

/// A declaration written as it is: the Ward source a Ward export kept in
/// its OTM document (`ward import otm` of `model.otm.json`). Its key is its
/// id, so mapped items can refer to it.
#[derive(Clone, Debug)]
pub struct Verbatim {
    /// The declaration keyword (`zone`, `hazard`, ...).
    pub kind: &'static str,
    pub id: String,
    pub source: String,
}

/// Something of the input the model could not hold exactly, for the
/// summary printed after the import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// What it was, in the source tool's words (`risk_tracking
    /// "x@y"`, `boundary "Internet"`).
    pub what: String,
    /// Why, in one line.
    pub reason: String,
    pub location: Option<Location>,
}

/// The whole imported model.
#[derive(Clone, Debug, Default)]
pub struct ImportModel {
    /// The system's title (its id is made from it).
    pub title: String,
    pub description: Option<String>,
    /// Comment lines at the top of the model file (the source, its version).
    pub header: Vec<String>,
    pub zones: Vec<Zone>,
    pub data: Vec<Data>,
    pub elements: Vec<Element>,
    pub flows: Vec<Flow>,
    pub threats: Vec<Threat>,
    pub controls: Vec<Control>,
    pub accepts: Vec<Accept>,
    /// Mapped, but not exactly: each is also a comment at its item.
    pub approximated: Vec<Note>,
    /// Not mapped at all: each is also a comment, at its item or, when it
    /// has no place in the model, in a closing section of the model file.
    pub dropped: Vec<Note>,
    /// Comments for the closing section (what had no place in the model).
    pub trailer: Vec<String>,
    /// Declarations written as they are, after the mapped ones; a
    /// `system` among them replaces the one made from `title`.
    pub verbatim: Vec<Verbatim>,
    /// The standard library modules to `use`; `None`: `std::stride`.
    pub uses: Option<Vec<String>>,
    /// Threats of the input that the model's rules generate again, with
    /// the same ids (a Ward export's rule threats): not written, counted.
    pub regenerated_threats: usize,
    /// Files the model reads besides `.ward` (SBOMs, vulnerability feeds,
    /// VEX documents), written beside it.
    pub files: Vec<KeptFile>,
    /// `[vulnerabilities]` of the generated `Ward.toml`.
    pub vulnerabilities: Option<VulnerabilitySettings>,
}

/// A file a Ward export kept (an SBOM, a feed, a VEX document), to write at
/// `path`: relative to the output folder, checked and normalised by
/// [`crate::relpath::file_path`].
#[derive(Clone, Debug)]
pub struct KeptFile {
    pub path: String,
    pub text: String,
    pub location: Option<Location>,
}

/// `[vulnerabilities]` of `Ward.toml`: feed patterns and VEX paths, as the
/// exported model's `Ward.toml` wrote them.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct VulnerabilitySettings {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub feeds: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub vex: Vec<String>,
}

impl ImportModel {
    /// Records an approximation (the caller writes the comment at the item).
    pub fn approximate(
        &mut self,
        what: impl Into<String>,
        reason: impl Into<String>,
        location: Option<Location>,
    ) {
        self.approximated.push(Note {
            what: what.into(),
            reason: reason.into(),
            location,
        });
    }

    /// Records something dropped; `comment_at_end` also writes it in the
    /// closing section (for what has no item to sit at).
    pub fn drop_item(
        &mut self,
        what: impl Into<String>,
        reason: impl Into<String>,
        location: Option<Location>,
        comment_at_end: bool,
    ) {
        let note = Note {
            what: what.into(),
            reason: reason.into(),
            location,
        };
        if comment_at_end {
            let at = note
                .location
                .map(|l| format!(" (line {})", l.line))
                .unwrap_or_default();
            self.trailer
                .push(format!("not imported: {}{at}: {}", note.what, note.reason));
        }
        self.dropped.push(note);
    }
}
