//! The design-history index (`index.md`, `index.json`): every artifact of
//! `ward build`, what it is, and the FDA premarket cybersecurity guidance
//! section, eSTAR cybersecurity item and standards clauses it supports, with
//! the sources' hash and the revision it was built from (docs/qms.md; schema
//! in docs/index-schema.json).

use serde::Serialize;
use ward_view::ApprovalRecord;

use crate::json;

/// The two files this module writes; they list themselves too.
pub const INDEX_MD: &str = "index.md";
pub const INDEX_JSON: &str = "index.json";

/// What an approval of a set of accepts covers (a model or release approval
/// covers every artifact): the artifacts that state the accepted risk.
pub const ACCEPTS_SCOPE_COVERS: &[&str] = &[
    "risk-register.",
    "safety-transfer.",
    "findings.sarif",
    "model.json",
    "report.html",
];

/// The approvals that cover the artifact at `path`.
fn covering<'a>(path: &str, approvals: &'a [ApprovalRecord]) -> Vec<&'a ApprovalRecord> {
    approvals
        .iter()
        .filter(|a| {
            a.covers_everything() || ACCEPTS_SCOPE_COVERS.iter().any(|p| path.starts_with(p))
        })
        .collect()
}

/// The `schema_version` of `index.json`; it changes when a field does.
pub const INDEX_SCHEMA_VERSION: u32 = 1;

/// The revision stated when none is given and the model is not in git.
pub const UNVERSIONED: &str = "unversioned";

/// One kind of artifact and the records it supports in a design-history
/// file. An artifact's path is of this kind when it starts with `prefix`.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct ArtifactKind {
    #[serde(skip)]
    pub prefix: &'static str,
    /// What the artifact is, in a sentence.
    pub what: &'static str,
    /// Section of FDA's premarket cybersecurity guidance (2025/2026 edition).
    pub fda_section: &'static str,
    /// eSTAR cybersecurity item (the guidance's Appendix 4 documentation list).
    pub estar_item: &'static str,
    /// ISO 13485:2016 clause, as the QMSR (21 CFR 820) incorporates it.
    pub iso_13485: &'static str,
    /// ISO 14971:2019 or IEC 81001-5-1:2021 clause, where one applies.
    pub other_clause: Option<&'static str>,
}

const fn kind(
    prefix: &'static str,
    what: &'static str,
    fda_section: &'static str,
    estar_item: &'static str,
    iso_13485: &'static str,
    other_clause: Option<&'static str>,
) -> ArtifactKind {
    ArtifactKind {
        prefix,
        what,
        fda_section,
        estar_item,
        iso_13485,
        other_clause,
    }
}

/// The one mapping from artifacts to guidance and clauses: a row per kind,
/// the first matching row wins. A build artifact that matches no row fails
/// the render (see [`entries`]), so a new artifact cannot go unmapped.
pub const ARTIFACT_KINDS: &[ArtifactKind] = &[
    kind(
        "report.html",
        "Cybersecurity risk report: scope, method, threats with initial and residual risk, controls, verification, architecture views and open findings",
        "V.A Security risk management (security risk management report)",
        "Security risk management report",
        "7.1 Planning of product realization (risk management)",
        Some("ISO 14971 8 Evaluation of overall residual risk"),
    ),
    kind(
        "model.json",
        "The whole analysed model, machine-readable: threats, risks, controls, verifications, hazards, findings and source hashes",
        "V.A Security risk management (traceability of threat model, risk assessment and testing)",
        "Traceability",
        "4.2.5 Control of records",
        None,
    ),
    kind(
        "sbom.cdx.json",
        "Software bill of materials of the whole system (CycloneDX 1.6): its components, the software each runs with supplier, version, purl or CPE, support and end of support, and their dependencies",
        "V.A.4 Software Bill of Materials",
        "Software bill of materials",
        "7.5.9 Traceability",
        None,
    ),
    kind(
        "model.otm.json",
        "The architecture, threats with their risk, and controls as an Open Threat Model (OTM 0.2.0) document, for threat-modeling tools (opt-in)",
        "V.A Security risk management (threat model)",
        "Threat model",
        "4.2.5 Control of records",
        None,
    ),
    kind(
        "vex.cdx.json",
        "Vulnerability dispositions (CycloneDX 1.6 VEX): each known vulnerability's analysis state, justification, response and detail, the software it affects and its CVSS rating",
        "V.A.4 Software Bill of Materials (known vulnerabilities assessment)",
        "Software bill of materials (known vulnerabilities)",
        "7.5.9 Traceability",
        None,
    ),
    kind(
        "findings.sarif",
        "Gaps in the threat model and risk file (threats without controls, controls without tests, stale acceptances) as SARIF",
        "V.A Security risk management",
        "Unresolved anomalies assessment",
        "7.3.5 Design and development review",
        Some("ISO 14971 9 Risk management review"),
    ),
    kind(
        "risk-register.",
        "Risk register: each threat's exploitability, severity, initial, planned and verified residual risk and verdict",
        "V.A Security risk management (cybersecurity risk assessment)",
        "Cybersecurity risk assessment",
        "7.1 Planning of product realization (risk management)",
        Some("ISO 14971 5.5 Risk estimation, 6 Risk evaluation"),
    ),
    kind(
        "safety-transfer.",
        "Threats handed to the safety risk process as causes of hazardous situations",
        "V.A Security risk management (interface with ISO 14971 safety risk management)",
        "Cybersecurity risk assessment",
        "7.1 Planning of product realization (risk management)",
        Some("ISO 14971 5.4 Identification of hazards and hazardous situations"),
    ),
    kind(
        "control-requirements.",
        "Security control requirements with their acceptance criteria (design inputs)",
        "V.B.1 Security controls; Appendix 1",
        "Requirements (Appendix 1 categories)",
        "7.3.3 Design and development inputs",
        Some("IEC 81001-5-1 5.2 Health software requirements analysis"),
    ),
    kind(
        "traceability.",
        "Traceability from threats to controls, requirements and verification results",
        "V.A Security risk management (traceability); V.C Cybersecurity testing",
        "Traceability",
        "7.3.6 Design and development verification",
        Some("IEC 81001-5-1 5.7 System testing"),
    ),
    kind(
        "vulnerabilities.",
        "Vulnerability register: each known vulnerability (declared or from an OSV feed) with its status and VEX justification, CVSS, KEV listing, and for each component it threatens the exploitability, severity, risk before and after controls, controls and verification",
        "V.A.4 Cybersecurity risk assessment (known vulnerabilities); VI.A Vulnerability management",
        "Assessment of known vulnerabilities",
        "7.1 Planning of product realization (risk management)",
        Some("IEC 81001-5-1 7.3 Known vulnerabilities"),
    ),
    kind(
        "interfaces.",
        "Interfaces and communication paths with protocols, directions and endpoints",
        "V.B.2 Architecture views; VI.A Labeling (ports and interfaces)",
        "Architecture views",
        "7.3.4 Design and development outputs",
        Some("IEC 81001-5-1 5.3 Software architectural design"),
    ),
    kind(
        "coverage.",
        "Coverage of the Appendix 1 security control categories per component",
        "V.B.1 Security controls; Appendix 1",
        "Requirements (Appendix 1 categories)",
        "7.3.3 Design and development inputs",
        None,
    ),
    kind(
        "ward.xlsx",
        "Every register (risk register, safety transfer, control requirements, traceability, interfaces, coverage) as a sheet of one workbook, linked threat to control to verification (opt-in)",
        "V.A Security risk management (traceability of threat model, risk assessment and testing)",
        "Traceability",
        "4.2.5 Control of records",
        Some("ISO 14971 5.5 Risk estimation, 6 Risk evaluation"),
    ),
    kind(
        "design-inputs.reqif",
        "Control requirements as ReqIF 1.2 requirements with stable identifiers, the threats they mitigate and the verifications that verify them, for a requirements tool (opt-in)",
        "V.B.1 Security controls; Appendix 1",
        "Requirements (Appendix 1 categories)",
        "7.3.3 Design and development inputs",
        Some("IEC 81001-5-1 5.2 Health software requirements analysis"),
    ),
    kind(
        "anomalies.",
        "Unresolved anomalies: each known defect released with, its safety and security impact assessments and the rationale for release",
        "V.A.5 Security assessment of unresolved anomalies",
        "Unresolved anomalies assessment",
        "7.3.5 Design and development review",
        Some("IEC 62304 5.8.3 Document known residual anomalies"),
    ),
    kind(
        "diagrams/system",
        "Global system view (or, for a large model, one zone of it): zones, trust boundaries, components and flows",
        "V.B.2 Architecture views (global system view)",
        "Architecture views",
        "7.3.4 Design and development outputs",
        Some("IEC 81001-5-1 5.3 Software architectural design"),
    ),
    kind(
        "diagrams/multi-patient-harm",
        "Multi-patient harm view (or one zone of it): paths by which one attack reaches many patients",
        "V.B.2 Architecture views (multi-patient harm view)",
        "Architecture views",
        "7.3.4 Design and development outputs",
        Some("IEC 81001-5-1 5.3 Software architectural design"),
    ),
    kind(
        "diagrams/updatability",
        "Updatability and patchability view (or one zone of it): the software update path end to end",
        "V.B.2 Architecture views (updatability/patchability view)",
        "Architecture views",
        "7.3.4 Design and development outputs",
        Some("IEC 81001-5-1 5.3 Software architectural design"),
    ),
    kind(
        "diagrams/usecase-",
        "Security use case view: the elements and flows of one clinical use case",
        "V.B.2 Architecture views (security use case views)",
        "Architecture views",
        "7.3.4 Design and development outputs",
        Some("IEC 81001-5-1 5.3 Software architectural design"),
    ),
    kind(
        "index.",
        "This design-history index: every artifact with the records it supports",
        "Appendix 4 Documentation list",
        "All cybersecurity items (index)",
        "7.3.10 Design and development files; 4.2.4 Control of documents",
        None,
    ),
];

/// The row of [`ARTIFACT_KINDS`] for `path`.
pub fn kind_of(path: &str) -> Option<&'static ArtifactKind> {
    ARTIFACT_KINDS.iter().find(|k| path.starts_with(k.prefix))
}

/// The revision the `index.json` in `out_dir` states, if it reads as one.
/// `ward build --check` keeps it when no `--revision` is given: committing
/// the artifacts moves the git commit, and the check is about content.
pub fn recorded_revision(out_dir: &std::path::Path) -> Option<String> {
    let text = std::fs::read(out_dir.join(INDEX_JSON)).ok()?;
    let index: serde_json::Value = serde_json::from_slice(&text).ok()?;
    index["revision"].as_str().map(str::to_string)
}

/// What the whole index states once.
#[derive(Serialize)]
struct Index<'a> {
    schema_version: u32,
    system: &'a str,
    version: &'a str,
    /// sha256 of the sources every artifact was built from.
    source_hash: &'a str,
    revision: &'a str,
    tool_version: &'a str,
    /// Left out when the model has no approvals.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    approvals: &'a [ApprovalRecord],
    artifacts: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Entry<'a> {
    path: &'a str,
    #[serde(flatten)]
    kind: &'static ArtifactKind,
    /// The ids of the approvals that cover it; left out when none does.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    approvals: Vec<&'a str>,
}

/// What the index says of the build as a whole.
pub struct IndexMeta<'a> {
    pub system: &'a str,
    pub system_title: &'a str,
    pub version: &'a str,
    pub source_hash: &'a str,
    pub revision: &'a str,
    pub tool_version: &'a str,
    pub approvals: &'a [ApprovalRecord],
}

/// `index.md` and `index.json` for artifacts at `paths` (the index's own
/// two files are added). Fails with the first path no row maps.
pub fn artifacts<'a>(
    paths: impl IntoIterator<Item = &'a str>,
    meta: &IndexMeta,
) -> Result<[(String, String); 2], String> {
    let mut all: Vec<&str> = paths.into_iter().collect();
    all.extend([INDEX_MD, INDEX_JSON]);
    all.sort_unstable();
    let mut entries = Vec::with_capacity(all.len());
    for path in all {
        let kind = kind_of(path).ok_or_else(|| path.to_string())?;
        let approvals = covering(path, meta.approvals)
            .into_iter()
            .map(|a| a.id.as_str())
            .collect();
        entries.push(Entry {
            path,
            kind,
            approvals,
        });
    }
    let index = Index {
        schema_version: INDEX_SCHEMA_VERSION,
        system: meta.system,
        version: meta.version,
        source_hash: meta.source_hash,
        revision: meta.revision,
        tool_version: meta.tool_version,
        approvals: meta.approvals,
        artifacts: entries,
    };
    let md = markdown(&index, meta.system_title);
    Ok([
        (INDEX_MD.to_string(), md),
        (INDEX_JSON.to_string(), json::to_string_lines(&index, 2)),
    ])
}

fn markdown(index: &Index, title: &str) -> String {
    // `markdown_cell` also turns `<` into an entity, which prose escaping
    // leaves as `\<`: no inline HTML from a model reaches the index.
    let cell = crate::escape::markdown_cell;
    let mut out = format!(
        "# Design-history index: {}\n\n\
         System {}, version {}. Revision {}. Sources sha256 `{}`. Generated by ward {}.\n\n\
         Every artifact of this build, with the FDA premarket cybersecurity guidance section, \
         the eSTAR cybersecurity item and the ISO 13485 clause it supports (see Ward's docs/qms.md).\n\n\
         | Artifact | What it is | FDA guidance | eSTAR item | ISO 13485 | ISO 14971 / IEC 81001-5-1 |\n\
         | --- | --- | --- | --- | --- | --- |\n",
        cell(title),
        cell(index.system),
        cell(index.version),
        cell(index.revision),
        index.source_hash,
        index.tool_version,
    );
    for e in &index.artifacts {
        out.push_str(&format!(
            "| [{}]({}) | {} | {} | {} | {} | {} |\n",
            cell(e.path),
            e.path,
            e.kind.what,
            e.kind.fda_section,
            e.kind.estar_item,
            e.kind.iso_13485,
            e.kind.other_clause.unwrap_or(""),
        ));
    }
    approvals_markdown(index, &mut out);
    out
}

/// The approvals, their state and what each covers (only when there are any).
fn approvals_markdown(index: &Index, out: &mut String) {
    if index.approvals.is_empty() {
        return;
    }
    let cell = crate::escape::markdown_cell;
    out.push_str(
        "\n## Approvals\n\n\
         A stale approval's scope changed after it was approved (W0450): it no longer covers \
         these artifacts until it is approved again.\n\n\
         | Approval | Role | Name | Date | Scope | State | Approved hash | Covers |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for a in index.approvals {
        let scope = if a.threats.is_empty() {
            a.scope.to_string()
        } else {
            format!("accepts [{}]", a.threats.join(", "))
        };
        let covers: Vec<&str> = index
            .artifacts
            .iter()
            .filter(|e| e.approvals.contains(&a.id.as_str()))
            .map(|e| e.path)
            .collect();
        let covers = if covers.len() == index.artifacts.len() {
            "every artifact".to_string()
        } else {
            covers.join(", ")
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | `{}` | {} |\n",
            cell(&a.id),
            cell(&a.role),
            cell(&a.name),
            cell(&a.date),
            cell(&scope),
            if a.stale { "**stale**" } else { "current" },
            cell(&a.approved_hash),
            cell(&covers),
        ));
    }
}
