//! Threagile YAML (`threagile_version` 1.x) onto the importer's model.
//! The mapping tables are in docs/interchange.md, "Importing models";
//! each table below is that table.

use crate::codes;
use crate::input::Input;
use crate::ir::*;
use crate::locate::Locator;
use crate::Read;
use indexmap::IndexMap;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use ward_diagnostics::Diagnostic;

#[derive(Deserialize)]
struct Model {
    threagile_version: Option<String>,
    title: Option<String>,
    date: Option<String>,
    author: Option<Author>,
    business_criticality: Option<String>,
    business_overview: Option<Overview>,
    data_assets: Option<IndexMap<String, DataAsset>>,
    technical_assets: Option<IndexMap<String, TechnicalAsset>>,
    trust_boundaries: Option<IndexMap<String, TrustBoundary>>,
    shared_runtimes: Option<IndexMap<String, serde_yaml_ng::Value>>,
    individual_risk_categories: Option<IndexMap<String, RiskCategory>>,
    risk_tracking: Option<IndexMap<String, Tracking>>,
    questions: Option<IndexMap<String, serde_yaml_ng::Value>>,
    abuse_cases: Option<IndexMap<String, serde_yaml_ng::Value>>,
    security_requirements: Option<IndexMap<String, serde_yaml_ng::Value>>,
    tags_available: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct Author {
    name: Option<String>,
}

#[derive(Deserialize)]
struct Overview {
    description: Option<String>,
}

#[derive(Deserialize)]
struct DataAsset {
    id: String,
    description: Option<String>,
    confidentiality: Option<String>,
    integrity: Option<String>,
    availability: Option<String>,
    justification_cia_rating: Option<String>,
}

#[derive(Deserialize)]
struct TechnicalAsset {
    id: String,
    description: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    technology: Option<String>,
    used_as_client_by_human: Option<bool>,
    out_of_scope: Option<bool>,
    justification_out_of_scope: Option<String>,
    internet: Option<bool>,
    encryption: Option<String>,
    data_assets_processed: Option<Vec<String>>,
    data_assets_stored: Option<Vec<String>>,
    communication_links: Option<IndexMap<String, Link>>,
}

#[derive(Deserialize)]
struct Link {
    target: String,
    description: Option<String>,
    protocol: Option<String>,
    authentication: Option<String>,
    authorization: Option<String>,
    vpn: Option<bool>,
    ip_filtered: Option<bool>,
    readonly: Option<bool>,
    data_assets_sent: Option<Vec<String>>,
    data_assets_received: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct TrustBoundary {
    id: String,
    description: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    technical_assets_inside: Option<Vec<String>>,
    trust_boundaries_nested: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct RiskCategory {
    id: String,
    description: Option<String>,
    impact: Option<String>,
    mitigation: Option<String>,
    stride: Option<String>,
    cwe: Option<u32>,
    risks_identified: Option<IndexMap<String, Risk>>,
}

#[derive(Deserialize)]
struct Risk {
    severity: Option<String>,
    exploitation_likelihood: Option<String>,
    exploitation_impact: Option<String>,
    data_breach_technical_assets: Option<Vec<String>>,
    most_relevant_technical_asset: Option<String>,
    most_relevant_communication_link: Option<String>,
    most_relevant_trust_boundary: Option<String>,
    most_relevant_shared_runtime: Option<String>,
    most_relevant_data_asset: Option<String>,
}

impl Risk {
    /// Threagile's id of the risk (`createSyntheticId` in its
    /// pkg/model/parse.go): the category, then the most relevant asset,
    /// link, boundary, runtime and data asset, each after an `@`.
    fn synthetic_id(&self, category: &str) -> String {
        let mut id = category.to_string();
        for part in [
            &self.most_relevant_technical_asset,
            &self.most_relevant_communication_link,
            &self.most_relevant_trust_boundary,
            &self.most_relevant_shared_runtime,
            &self.most_relevant_data_asset,
        ]
        .into_iter()
        .flatten()
        .filter(|p| !p.is_empty())
        {
            id.push('@');
            id.push_str(part);
        }
        id
    }
}

/// Threagile's id of a communication link (`createDataFlowId`): the source
/// asset's id, `>`, the title in lower case with every run of other than
/// ASCII letters and digits as one `-`, trimmed.
fn link_id(source: &str, title: &str) -> String {
    let mut slug = String::new();
    for c in title.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    format!("{source}>{}", slug.trim_matches(['-', ' ']))
}

#[derive(Deserialize)]
struct Tracking {
    status: Option<String>,
    justification: Option<String>,
    ticket: Option<String>,
    date: Option<String>,
    checked_by: Option<String>,
}

/// Trust level per Threagile boundary type.
fn boundary_trust(kind: &str) -> Option<Trust> {
    Some(match kind {
        "network-on-prem" | "network-dedicated-hoster" | "network-virtual-lan" => Trust::Controlled,
        "network-cloud-provider" => Trust::Controlled,
        "network-cloud-security-group" | "network-policy-namespace-isolation" => Trust::Trusted,
        "execution-environment" => Trust::Trusted,
        _ => return None,
    })
}

/// Component kind per Threagile technology (`None`: not in the table).
fn technology_kind(technology: &str) -> Option<ComponentKind> {
    use ComponentKind::*;
    Some(match technology {
        "database"
        | "file-server"
        | "local-file-system"
        | "artifact-registry"
        | "identity-store-ldap"
        | "identity-store-database"
        | "data-lake"
        | "block-storage"
        | "vault"
        | "hsm" => Datastore,
        "web-server" | "web-application" | "application-server" | "cms" | "erp" | "crm"
        | "wiki" | "report-engine" | "search-index" => WebApp,
        "web-service-rest"
        | "web-service-soap"
        | "ejb"
        | "message-queue"
        | "stream-processing"
        | "batch-processing"
        | "event-listener"
        | "search-engine"
        | "service-registry"
        | "mail-server"
        | "scheduler"
        | "mainframe"
        | "contract-management" => Service,
        "load-balancer" | "reverse-proxy" | "waf" => Proxy,
        "identity-provider" => IdentityProvider,
        "build-pipeline" => CiPipeline,
        "sourcecode-repository" => CodeRepository,
        "browser" => Browser,
        "ai" => MlModel,
        "container-platform" => Runtime,
        "gateway" | "ids" | "ips" | "router" | "switch" => Gateway,
        "function" | "serverless" => CloudService,
        "mobile-app" => MobileApp,
        "iot-device" => Device,
        "desktop"
        | "devops-client"
        | "code-inspection-platform"
        | "monitoring"
        | "task"
        | "tool"
        | "cli"
        | "library"
        | "unknown-technology" => Process,
        _ => return None,
    })
}

/// Protocols whose traffic is encrypted; the Ward protocol word drops the
/// `-encrypted` suffix (the flow gets `encrypted: true` instead).
fn protocol(protocol: &str) -> (String, bool) {
    let encrypted = protocol.ends_with("-encrypted")
        || matches!(
            protocol,
            "https"
                | "wss"
                | "ssh"
                | "ssh-tunnel"
                | "ldaps"
                | "sftp"
                | "scp"
                | "ftps"
                | "smtp-encrypted"
                | "imap-encrypted"
                | "pop3-encrypted"
        );
    let word = protocol.strip_suffix("-encrypted").unwrap_or(protocol);
    let word = crate::ident::sanitize(word);
    (
        if word.is_empty() {
            "unspecified".into()
        } else {
            word
        },
        encrypted,
    )
}

fn confidentiality(level: &str) -> Option<Rating> {
    Some(match level {
        "public" => Rating::None,
        "internal" => Rating::Low,
        "restricted" => Rating::Medium,
        "confidential" | "strictly-confidential" => Rating::High,
        _ => return None,
    })
}

fn criticality(level: &str) -> Option<Rating> {
    Some(match level {
        "archive" => Rating::None,
        "operational" => Rating::Low,
        "important" => Rating::Medium,
        "critical" | "mission-critical" => Rating::High,
        _ => return None,
    })
}

fn likelihood(level: &str) -> Option<Exploitability> {
    Some(match level {
        "unlikely" => Exploitability::Low,
        "likely" => Exploitability::Moderate,
        "very-likely" => Exploitability::High,
        "frequent" => Exploitability::VeryHigh,
        _ => return None,
    })
}

/// The HTML Threagile allows in risk titles (`<b>`), removed.
fn plain(text: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// Threagile's `risk_tracking` keys: `*` matches one whole `@` segment.
fn tracking_matches(pattern: &str, id: &str) -> bool {
    let pattern: Vec<&str> = pattern.split('@').collect();
    let id: Vec<&str> = id.split('@').collect();
    pattern.len() == id.len() && pattern.iter().zip(&id).all(|(p, i)| *p == "*" || p == i)
}

pub fn read(input: &Input) -> Result<Read, Vec<Diagnostic>> {
    let error = |code, what: &str, err: &serde_yaml_ng::Error| {
        let location = err.location().map(|l| Location {
            line: l.line(),
            column: l.column(),
        });
        input
            .error(
                code,
                location,
                format!("{what}: {}", strip_location(&err.to_string())),
            )
            .with_help(
                "correct the file at this position; `threagile -print-schema` describes each entry",
            )
    };
    // Threagile models use YAML merge keys (`<<: *base`): parsed as a
    // value, merged, then read into the typed model.
    let mut value: serde_yaml_ng::Value = serde_yaml_ng::from_str(input.text).map_err(|err| {
        vec![error(
            codes::INPUT_SYNTAX,
            "the Threagile file is not valid YAML",
            &err,
        )]
    })?;
    value.apply_merge().map_err(|err| {
        vec![error(
            codes::INPUT_SHAPE,
            "a YAML merge key (`<<`) cannot be applied",
            &err,
        )]
    })?;
    let model: Model = serde_yaml_ng::from_value(value).map_err(|err| {
        // The merged value has no positions: the text read directly (its
        // merge keys ignored) usually fails at the same entry, with one.
        let located = serde_yaml_ng::from_str::<Model>(input.text).err();
        let err = located.filter(|e| e.location().is_some()).unwrap_or(err);
        vec![error(
            codes::INPUT_SHAPE,
            "the Threagile file does not have Threagile's shape",
            &err,
        )]
    })?;
    let at = Locator::new(input.text);
    let version = model.threagile_version.as_deref().unwrap_or("");
    if !version.starts_with("1.") {
        let shown = if version.is_empty() {
            "missing".to_string()
        } else {
            format!("\"{version}\"")
        };
        return Err(vec![input
            .error(
                codes::UNKNOWN_VERSION,
                at.top_key("threagile_version"),
                format!("`threagile_version` is {shown}; `ward import` reads Threagile 1.x models"),
            )
            .with_help("save the model with Threagile 1.x (its `threagile_version: 1.0.0`), then import it")]);
    }
    Mapper {
        input,
        at,
        out: ImportModel::default(),
        errors: Vec::new(),
    }
    .map(model)
}

/// serde_yaml_ng appends " at line L column C": the span says it already.
fn strip_location(message: &str) -> &str {
    message.find(" at line ").map_or(message, |n| &message[..n])
}

struct Mapper<'a> {
    input: &'a Input<'a>,
    at: Locator<'a>,
    out: ImportModel,
    errors: Vec<Diagnostic>,
}

const INTERNET_ZONE: &str = "zone:<internet>";
const OUTSIDE_ZONE: &str = "zone:<outside>";

impl Mapper<'_> {
    fn map(mut self, model: Model) -> Result<Read, Vec<Diagnostic>> {
        let title = model
            .title
            .clone()
            .unwrap_or_else(|| "Imported model".into());
        self.out.title = title;
        self.out.description = model
            .business_overview
            .as_ref()
            .and_then(|o| o.description.clone());
        self.out.header = vec![
            "Imported from a Threagile model by `ward import threagile`.".into(),
            format!(
                "threagile_version {}{}{}",
                model.threagile_version.as_deref().unwrap_or_default(),
                model
                    .date
                    .as_deref()
                    .map(|d| format!(", dated {d}"))
                    .unwrap_or_default(),
                model
                    .author
                    .as_ref()
                    .and_then(|a| a.name.as_deref())
                    .map(|a| format!(", by {a}"))
                    .unwrap_or_default()
            ),
            "Review every zone's trust, data kind and the comments below (docs/interchange.md)."
                .into(),
        ];
        if let Some(criticality) = &model.business_criticality {
            self.out
                .header
                .push(format!("business_criticality: {criticality}"));
        }

        let data_assets = model.data_assets.unwrap_or_default();
        let assets = model.technical_assets.unwrap_or_default();
        let boundaries = model.trust_boundaries.unwrap_or_default();
        let data_ids = self.ids("data asset", data_assets.iter().map(|(t, d)| (t, &d.id)));
        let asset_ids = self.ids("technical asset", assets.iter().map(|(t, a)| (t, &a.id)));
        let boundary_ids = self.ids("trust boundary", boundaries.iter().map(|(t, b)| (t, &b.id)));
        if !self.errors.is_empty() {
            return Err(self.errors);
        }

        self.data(&data_assets);
        let zone_of = self.zones(&boundaries, &boundary_ids, &asset_ids, &assets);
        self.elements(&assets, &zone_of, &data_ids);
        let link_keys = self.flows(&assets, &asset_ids, &data_ids);
        let threat_keys = self.risks(
            model.individual_risk_categories.unwrap_or_default(),
            &asset_ids,
            &link_keys,
        );
        self.tracking(model.risk_tracking.unwrap_or_default(), &threat_keys);
        for (section, entries) in [
            (
                "shared_runtimes",
                model.shared_runtimes.map_or(0, |m| m.len()),
            ),
            ("questions", model.questions.map_or(0, |m| m.len())),
            ("abuse_cases", model.abuse_cases.map_or(0, |m| m.len())),
            (
                "security_requirements",
                model.security_requirements.map_or(0, |m| m.len()),
            ),
            (
                "tags_available",
                model.tags_available.map_or(0, |t| t.len()),
            ),
        ] {
            if entries > 0 {
                let location = self.at.top_key(section);
                self.out.drop_item(
                    format!("{section} ({entries})"),
                    "Ward has no equivalent declaration",
                    location,
                    true,
                );
            }
        }
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        Ok(Read {
            model: self.out,
            warnings: Vec::new(),
        })
    }

    /// The ids of one section, each once (E0624 for a repeated one).
    fn ids<'m>(
        &mut self,
        what: &str,
        entries: impl Iterator<Item = (&'m String, &'m String)>,
    ) -> HashSet<String> {
        let mut seen: HashMap<String, &String> = HashMap::new();
        for (title, id) in entries {
            if let Some(first) = seen.get(id.as_str()) {
                let second = self.at.value_nth("id", id, 1);
                let first_at = self.at.value("id", id, None);
                let mut error = self
                    .input
                    .error(
                        codes::DUPLICATE_ID,
                        second.or(first_at),
                        format!(
                            "the id `{id}` is declared twice ({what}s \"{first}\" and \"{title}\")"
                        ),
                    )
                    .with_help(
                        "give one of them another id, and update the references that meant it",
                    );
                if let (Some(first_at), Some(_)) = (first_at, second) {
                    error = error.with_label(self.input.line_span(first_at), "first declared here");
                }
                self.errors.push(error);
            } else {
                seen.insert(id.clone(), title);
            }
        }
        seen.into_keys().collect()
    }

    fn unknown(
        &mut self,
        location: Option<Location>,
        message: String,
        known: &HashSet<String>,
        id: &str,
    ) {
        let mut error = self
            .input
            .error(codes::UNKNOWN_REFERENCE, location, message);
        let mut candidates: Vec<&str> = known.iter().map(String::as_str).collect();
        candidates.sort_unstable();
        error = match ward_model::did_you_mean(id, candidates.iter().copied()) {
            Some(near) => error.with_help(format!("did you mean `{near}`?")),
            None => error.with_help("correct the id, or add the entry it names"),
        };
        self.errors.push(error);
    }

    fn data(&mut self, assets: &IndexMap<String, DataAsset>) {
        for (title, asset) in assets {
            let location = self.at.value("id", &asset.id, None);
            let mut comments = Vec::new();
            let mut rate =
                |field: &str, value: &Option<String>, table: fn(&str) -> Option<Rating>| {
                    let word = value.as_deref().unwrap_or("");
                    match table(word) {
                        Some(rating) => rating,
                        None => {
                            comments.push(format!(
                                "{field} `{word}` is not a Threagile level: written as `none`"
                            ));
                            Rating::None
                        }
                    }
                };
            let c = rate("confidentiality", &asset.confidentiality, confidentiality);
            let i = rate("integrity", &asset.integrity, criticality);
            let a = rate("availability", &asset.availability, criticality);
            for note in &comments {
                self.out
                    .approximate(format!("data asset \"{title}\""), note.clone(), location);
            }
            comments.push(format!(
                "Threagile CIA: {} / {} / {}",
                asset.confidentiality.as_deref().unwrap_or("-"),
                asset.integrity.as_deref().unwrap_or("-"),
                asset.availability.as_deref().unwrap_or("-")
            ));
            if let Some(why) = &asset.justification_cia_rating {
                comments.push(format!("justification: {}", why.trim()));
            }
            self.out.data.push(Data {
                key: format!("data:{}", asset.id),
                name: title.clone(),
                description: asset.description.clone(),
                kind: DataKind::Other,
                confidentiality: c,
                integrity: i,
                availability: a,
                comments,
                origin: Origin::new(&asset.id, location),
            });
        }
    }

    /// Zones from trust boundaries, plus the synthetic Internet zone and
    /// one for assets in no boundary; returns each asset's zone key.
    fn zones(
        &mut self,
        boundaries: &IndexMap<String, TrustBoundary>,
        boundary_ids: &HashSet<String>,
        asset_ids: &HashSet<String>,
        assets: &IndexMap<String, TechnicalAsset>,
    ) -> HashMap<String, String> {
        let mut parent: HashMap<&str, &str> = HashMap::new();
        for boundary in boundaries.values() {
            let location = self.at.value("id", &boundary.id, None);
            for nested in boundary.trust_boundaries_nested.iter().flatten() {
                if !boundary_ids.contains(nested) {
                    let at = self
                        .at
                        .list_item(nested, location.map(|l| l.line))
                        .or(location);
                    self.unknown(
                        at,
                        format!("trust boundary `{}` nests `{nested}`, which no trust boundary declares", boundary.id),
                        boundary_ids,
                        nested,
                    );
                } else if let Some(first) = parent.insert(nested, &boundary.id) {
                    self.out.approximate(
                        format!("trust boundary `{nested}`"),
                        format!(
                            "nested in both `{first}` and `{}`: kept in `{}`",
                            boundary.id, first
                        ),
                        location,
                    );
                    parent.insert(nested, first);
                }
            }
        }
        let mut zone_of: HashMap<String, String> = HashMap::new();
        for (title, boundary) in boundaries {
            let location = self.at.value("id", &boundary.id, None);
            let kind = boundary.kind.as_deref().unwrap_or("");
            let mut comments = vec![format!("Threagile boundary type: {kind}")];
            let trust = boundary_trust(kind).unwrap_or_else(|| {
                self.out.approximate(
                    format!("trust boundary \"{title}\""),
                    format!("unknown boundary type `{kind}`: trust `untrusted`"),
                    location,
                );
                comments.push(format!("unknown type `{kind}`: trust set to untrusted"));
                Trust::Untrusted
            });
            let key = format!("zone:{}", boundary.id);
            for asset in boundary.technical_assets_inside.iter().flatten() {
                if !asset_ids.contains(asset) {
                    let at = self
                        .at
                        .list_item(asset, location.map(|l| l.line))
                        .or(location);
                    self.unknown(
                        at,
                        format!("trust boundary `{}` holds `{asset}`, which no technical asset declares", boundary.id),
                        asset_ids,
                        asset,
                    );
                } else if let Some(first) = zone_of.get(asset) {
                    self.out.approximate(
                        format!("technical asset `{asset}`"),
                        format!(
                            "inside two boundaries: kept in `{}`",
                            &first["zone:".len()..]
                        ),
                        location,
                    );
                } else {
                    zone_of.insert(asset.clone(), key.clone());
                }
            }
            self.out.zones.push(Zone {
                key,
                name: title.clone(),
                description: boundary.description.clone(),
                trust,
                parent: parent
                    .get(boundary.id.as_str())
                    .map(|p| format!("zone:{p}")),
                comments,
                origin: Origin::new(&boundary.id, location),
            });
        }
        let mut need_internet = false;
        let mut need_outside = false;
        for asset in assets.values() {
            if zone_of.contains_key(&asset.id) {
                if asset.internet == Some(true) {
                    let location = self.at.value("id", &asset.id, None);
                    self.out.approximate(
                        format!("technical asset `{}`", asset.id),
                        "`internet: true` but inside a trust boundary: kept in the boundary's zone",
                        location,
                    );
                }
            } else if asset.internet == Some(true) {
                zone_of.insert(asset.id.clone(), INTERNET_ZONE.into());
                need_internet = true;
            } else {
                zone_of.insert(asset.id.clone(), OUTSIDE_ZONE.into());
                need_outside = true;
            }
        }
        if need_internet {
            self.out.zones.push(Zone {
                key: INTERNET_ZONE.into(),
                name: "Internet".into(),
                description: None,
                trust: Trust::Hostile,
                parent: None,
                comments: vec!["Made for the technical assets with `internet: true`.".into()],
                origin: Origin::default(),
            });
        }
        if need_outside {
            self.out.zones.push(Zone {
                key: OUTSIDE_ZONE.into(),
                name: "Outside any trust boundary".into(),
                description: None,
                trust: Trust::Untrusted,
                parent: None,
                comments: vec![
                    "Made for the technical assets in no trust boundary and not on the Internet."
                        .into(),
                ],
                origin: Origin::default(),
            });
        }
        zone_of
    }

    fn elements(
        &mut self,
        assets: &IndexMap<String, TechnicalAsset>,
        zone_of: &HashMap<String, String>,
        data_ids: &HashSet<String>,
    ) {
        for (title, asset) in assets {
            let location = self.at.value("id", &asset.id, None);
            let technology = asset.technology.as_deref().unwrap_or("");
            let kind_word = asset.kind.as_deref().unwrap_or("");
            let mut comments = vec![format!("Threagile {kind_word}, technology {technology}")];
            let kind = if kind_word == "external-entity" {
                if asset.used_as_client_by_human == Some(true) {
                    ElementKind::Human
                } else {
                    ElementKind::ExternalSystem
                }
            } else if kind_word == "datastore" && technology != "sourcecode-repository" {
                // A repository is a code repository whatever its type says.
                ElementKind::Component(ComponentKind::Datastore)
            } else {
                match technology_kind(technology) {
                    Some(kind) => ElementKind::Component(kind),
                    None => {
                        self.out.approximate(
                            format!("technical asset \"{title}\""),
                            format!(
                                "technology `{technology}` is not in the table: kind `process`"
                            ),
                            location,
                        );
                        comments.push(format!(
                            "technology `{technology}` not in the mapping table: kind process"
                        ));
                        ElementKind::Component(ComponentKind::Process)
                    }
                }
            };
            if kind == ElementKind::Human {
                comments.push(
                    "used as a client by a human: the person at the client is the actor".into(),
                );
            }
            if asset.out_of_scope == Some(true) {
                let why = asset
                    .justification_out_of_scope
                    .as_deref()
                    .unwrap_or("no justification given")
                    .trim();
                comments.push(format!("out of scope in Threagile: {why}"));
                self.out.approximate(
                    format!("technical asset \"{title}\""),
                    "out of scope: Ward has no out-of-scope element; imported, with the justification as a comment",
                    location,
                );
            }
            let mut stores = Vec::new();
            for data in asset.data_assets_stored.iter().flatten() {
                self.data_ref(data, data_ids, location, &asset.id, "stores");
                stores.push(format!("data:{data}"));
            }
            for data in asset.data_assets_processed.iter().flatten() {
                self.data_ref(data, data_ids, location, &asset.id, "processes");
            }
            let processed = asset.data_assets_processed.as_ref().map_or(0, Vec::len);
            if processed > 0 {
                comments.push(format!(
                    "processes: {} (Ward reads processed data from the flows)",
                    asset
                        .data_assets_processed
                        .iter()
                        .flatten()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            let is_actor = matches!(kind, ElementKind::Human | ElementKind::ExternalSystem);
            let mut tags = Vec::new();
            let encryption = asset.encryption.as_deref().unwrap_or("none");
            if encryption != "none" {
                comments.push(format!("encryption: {encryption}"));
                if kind == ElementKind::Component(ComponentKind::Datastore) {
                    tags.push("encrypted_at_rest".to_string());
                }
            }
            if is_actor && !stores.is_empty() {
                // Actors may store data too (docs/language.md §3.5).
            }
            self.out.elements.push(Element {
                key: format!("asset:{}", asset.id),
                name: title.clone(),
                description: asset.description.clone(),
                kind,
                zone: zone_of
                    .get(&asset.id)
                    .cloned()
                    .unwrap_or_else(|| OUTSIDE_ZONE.into()),
                stores,
                tags,
                comments,
                origin: Origin::new(&asset.id, location),
            });
        }
    }

    fn data_ref(
        &mut self,
        data: &str,
        data_ids: &HashSet<String>,
        location: Option<Location>,
        owner: &str,
        verb: &str,
    ) {
        if !data_ids.contains(data) {
            let at = self
                .at
                .list_item(data, location.map(|l| l.line))
                .or(location);
            self.unknown(
                at,
                format!("technical asset `{owner}` {verb} `{data}`, which no data asset declares"),
                data_ids,
                data,
            );
        }
    }

    /// Flows from communication links; returns each link's flow keys by
    /// Threagile's link id (`asset>link title`, lower-case).
    fn flows(
        &mut self,
        assets: &IndexMap<String, TechnicalAsset>,
        asset_ids: &HashSet<String>,
        data_ids: &HashSet<String>,
    ) -> HashMap<String, Vec<String>> {
        let mut keys: HashMap<String, Vec<String>> = HashMap::new();
        let mut split = 0;
        for asset in assets.values() {
            let asset_at = self.at.value("id", &asset.id, None);
            for (title, link) in asset.communication_links.iter().flatten() {
                let location = self
                    .at
                    .value("target", &link.target, asset_at.map(|l| l.line))
                    .or(asset_at);
                if !asset_ids.contains(&link.target) {
                    self.unknown(
                        location,
                        format!("communication link \"{title}\" of `{}` targets `{}`, which no technical asset declares", asset.id, link.target),
                        asset_ids,
                        &link.target,
                    );
                    continue;
                }
                let sent = link.data_assets_sent.clone().unwrap_or_default();
                let received = link.data_assets_received.clone().unwrap_or_default();
                for data in sent.iter().chain(&received) {
                    if !data_ids.contains(data) {
                        let at = self
                            .at
                            .list_item(data, location.map(|l| l.line))
                            .or(location);
                        self.unknown(
                            at,
                            format!("communication link \"{title}\" carries `{data}`, which no data asset declares"),
                            data_ids,
                            data,
                        );
                    }
                }
                let word = link.protocol.as_deref().unwrap_or("");
                let (protocol, mut encrypted) = protocol(word);
                let authentication = link.authentication.as_deref().unwrap_or("none");
                let authorization = link.authorization.as_deref().unwrap_or("none");
                let mut comments = vec![format!(
                    "Threagile link \"{title}\": protocol {word}, authentication {authentication}, authorization {authorization}"
                )];
                if link.vpn == Some(true) {
                    encrypted = true;
                    comments.push("through a VPN: encrypted".into());
                }
                if link.ip_filtered == Some(true) {
                    comments.push("IP-filtered".into());
                }
                if link.readonly == Some(true) {
                    comments.push("read-only".into());
                }
                let link_id = link_id(&asset.id, title);
                let mut sorted_sent = sent.clone();
                let mut sorted_received = received.clone();
                sorted_sent.sort();
                sorted_received.sort();
                let same = sorted_sent == sorted_received;
                let flow = |key: String,
                            source: &str,
                            target: &str,
                            name: String,
                            carries: &[String],
                            both_ways: bool,
                            comments: Vec<String>| Flow {
                    key,
                    name,
                    description: link.description.clone(),
                    source: format!("asset:{source}"),
                    target: format!("asset:{target}"),
                    both_ways,
                    protocol: Some(protocol.clone()),
                    carries: carries.iter().map(|d| format!("data:{d}")).collect(),
                    authenticated: authentication != "none",
                    encrypted,
                    integrity_protected: false,
                    comments,
                    origin: Origin::new(format!("{}: {title}", asset.id), location),
                };
                let key = format!("link:{link_id}");
                let mut these = vec![key.clone()];
                if same || received.is_empty() {
                    self.out.flows.push(flow(
                        key,
                        &asset.id,
                        &link.target,
                        title.clone(),
                        &sent,
                        same && !sent.is_empty(),
                        comments,
                    ));
                } else {
                    split += 1;
                    let mut request = comments.clone();
                    request.push("the data sent; the data received is the next flow (Ward has no request/response flow yet)".into());
                    self.out.flows.push(flow(
                        key,
                        &asset.id,
                        &link.target,
                        title.clone(),
                        &sent,
                        false,
                        request,
                    ));
                    let response_key = format!("link:{link_id}<response>");
                    let mut response = comments;
                    response.push("the data received over the same link".into());
                    self.out.flows.push(flow(
                        response_key.clone(),
                        &link.target,
                        &asset.id,
                        format!("{title} (response)"),
                        &received,
                        false,
                        response,
                    ));
                    these.push(response_key);
                }
                keys.insert(link_id, these);
            }
        }
        if split > 0 {
            self.out.approximate(
                format!("{split} communication links"),
                "different data sent and received: each written as two flows, one per direction (Ward has no request/response flow yet)",
                None,
            );
        }
        keys
    }

    /// Hand-written threats and proposed controls from individual risk
    /// categories; returns each threat's key by Threagile's risk id.
    fn risks(
        &mut self,
        categories: IndexMap<String, RiskCategory>,
        asset_ids: &HashSet<String>,
        link_keys: &HashMap<String, Vec<String>>,
    ) -> Vec<(String, String)> {
        let mut threats = Vec::new();
        for (category_title, category) in categories {
            let location = self.at.value("id", &category.id, None);
            let stride_word = category.stride.as_deref().unwrap_or("");
            let stride = Stride::parse(stride_word).unwrap_or_else(|| {
                self.out.approximate(
                    format!("risk category \"{category_title}\""),
                    format!("STRIDE `{stride_word}` unknown: written as tampering"),
                    location,
                );
                Stride::Tampering
            });
            for (risk_title, risk) in category.risks_identified.iter().flatten() {
                let risk_at = self
                    .at
                    .key(risk_title, location.map(|l| l.line))
                    .or(location);
                let title = plain(risk_title);
                let mut targets = Vec::new();
                if let Some(link) = &risk.most_relevant_communication_link {
                    match link_keys.get(link) {
                        Some(keys) => targets.extend(keys.iter().cloned()),
                        None => {
                            let known: HashSet<String> = link_keys.keys().cloned().collect();
                            self.unknown(risk_at, format!("risk \"{title}\" names the communication link `{link}`, which does not exist"), &known, link);
                        }
                    }
                }
                let assets: Vec<&String> = match &risk.most_relevant_technical_asset {
                    Some(asset) => vec![asset],
                    None => risk.data_breach_technical_assets.iter().flatten().collect(),
                };
                for asset in assets {
                    if asset_ids.contains(asset) {
                        targets.push(format!("asset:{asset}"));
                    } else {
                        self.unknown(risk_at, format!("risk \"{title}\" names the technical asset `{asset}`, which no technical asset declares"), asset_ids, asset);
                    }
                }
                if targets.is_empty() {
                    self.out.drop_item(
                        format!("risk \"{title}\""),
                        "names no technical asset or link: a Ward threat needs a target",
                        risk_at,
                        true,
                    );
                    continue;
                }
                let word = risk.exploitation_likelihood.as_deref().unwrap_or("");
                let exploitability = likelihood(word).unwrap_or_else(|| {
                    self.out.approximate(
                        format!("risk \"{title}\""),
                        format!(
                            "exploitation_likelihood `{word}` unknown: exploitability very_high"
                        ),
                        risk_at,
                    );
                    Exploitability::VeryHigh
                });
                let risk_id = risk.synthetic_id(&category.id);
                let key = format!("risk:{risk_id}");
                let mut comments = vec![format!(
                    "Threagile individual risk `{risk_id}`: severity {}, likelihood {word}, impact {}",
                    risk.severity.as_deref().unwrap_or("-"),
                    risk.exploitation_impact.as_deref().unwrap_or("-")
                )];
                if let Some(impact) = &category.impact {
                    comments.push(format!("impact: {}", impact.trim()));
                }
                self.out.threats.push(Threat {
                    key: key.clone(),
                    name: title.clone(),
                    description: category.description.clone(),
                    stride: vec![stride],
                    targets,
                    exploitability,
                    cwe: category.cwe.filter(|c| *c > 0).into_iter().collect(),
                    comments,
                    origin: Origin::new(&risk_id, risk_at),
                });
                if let Some(mitigation) = category
                    .mitigation
                    .as_deref()
                    .map(str::trim)
                    .filter(|m| !m.is_empty())
                {
                    self.out.controls.push(Control {
                        key: format!("control:{risk_id}"),
                        name: format!("Mitigation: {title}"),
                        category: ControlCategory::for_stride(stride),
                        requirement: mitigation.to_string(),
                        mitigates: vec![key.clone()],
                        status: ControlStatus::Proposed,
                        comments: vec![format!(
                            "proposed from the mitigation of risk category `{}`; the category is a guess from its STRIDE",
                            category.id
                        )],
                        origin: Origin::new(&category.id, location),
                    });
                }
                threats.push((risk_id, key));
            }
        }
        threats
    }

    fn tracking(&mut self, tracking: IndexMap<String, Tracking>, threats: &[(String, String)]) {
        for (pattern, entry) in tracking {
            let location = self.at.key(&pattern, None);
            let status = entry.status.as_deref().unwrap_or("unchecked");
            let matched: Vec<&(String, String)> = threats
                .iter()
                .filter(|(id, _)| tracking_matches(&pattern, id))
                .collect();
            let what = format!("risk_tracking `{pattern}` ({status})");
            if matched.is_empty() {
                self.out.drop_item(
                    what,
                    "names risks of Threagile's built-in rules, not imported (`use std::stride` derives Ward's own)",
                    location,
                    true,
                );
                continue;
            }
            let mut detail = vec![format!("Threagile risk_tracking `{pattern}`: {status}")];
            if let Some(ticket) = &entry.ticket {
                detail.push(format!("ticket {ticket}"));
            }
            let detail = detail.join(", ");
            let rationale = entry
                .justification
                .clone()
                .unwrap_or_else(|| format!("accepted in Threagile ({pattern})"));
            let date = entry
                .date
                .clone()
                .filter(|d| ward_model::is_calendar_date(d));
            if pattern.contains('*') {
                self.out.approximate(
                    what.clone(),
                    format!("wildcard expanded to the {} imported risks it matches (Ward names each threat)", matched.len()),
                    location,
                );
            }
            match status {
                "accepted" => self.out.accepts.push(Accept {
                    threats: matched.iter().map(|(_, key)| key.clone()).collect(),
                    rationale,
                    approved_by: entry.checked_by.clone(),
                    date,
                    comments: vec![detail],
                    origin: Origin::new(&pattern, location),
                }),
                "mitigated" => {
                    let mut marked = 0;
                    for (id, _) in &matched {
                        let control_key = format!("control:{id}");
                        if let Some(control) =
                            self.out.controls.iter_mut().find(|c| c.key == control_key)
                        {
                            control.status = ControlStatus::Implemented;
                            control.comments.push(format!("{detail}: status implemented (not verified: no test evidence in Threagile)"));
                            marked += 1;
                        }
                    }
                    if marked < matched.len() {
                        self.out.drop_item(what, "mitigated, but the risk category has no mitigation text to make a control of", location, true);
                    } else {
                        self.out.approximate(what, "the proposed control is marked `implemented`; Ward asks for a verification to count it as verified", location);
                    }
                }
                _ => {
                    for (_, key) in &matched {
                        if let Some(threat) = self.out.threats.iter_mut().find(|t| &t.key == key) {
                            threat.comments.push(detail.clone());
                            if let Some(why) = &entry.justification {
                                threat.comments.push(format!("justification: {why}"));
                            }
                        }
                    }
                    self.out.drop_item(
                        what,
                        "Ward has no status for it: a comment at the threat",
                        location,
                        false,
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_wildcards_match_whole_segments() {
        assert!(tracking_matches("x@*", "x@db"));
        assert!(tracking_matches("x@db", "x@db"));
        assert!(!tracking_matches("x@*", "x@db@link"));
        assert!(!tracking_matches("y@*", "x@db"));
    }

    #[test]
    fn technologies_map_to_the_v2_kinds() {
        use ComponentKind::*;
        for (technology, kind) in [
            ("load-balancer", Proxy),
            ("reverse-proxy", Proxy),
            ("waf", Proxy),
            ("identity-provider", IdentityProvider),
            ("build-pipeline", CiPipeline),
            ("sourcecode-repository", CodeRepository),
            ("browser", Browser),
            ("ai", MlModel),
            ("container-platform", Runtime),
            // Unchanged: a network device is still a gateway, an LDAP store a store.
            ("router", Gateway),
            ("identity-store-ldap", Datastore),
        ] {
            assert_eq!(technology_kind(technology), Some(kind), "{technology}");
        }
    }

    #[test]
    fn protocols_map_with_their_encryption() {
        assert_eq!(protocol("https"), ("https".into(), true));
        assert_eq!(protocol("jdbc-encrypted"), ("jdbc".into(), true));
        assert_eq!(protocol("http"), ("http".into(), false));
        assert_eq!(protocol(""), ("unspecified".into(), false));
    }

    #[test]
    fn link_ids_are_threagiles() {
        assert_eq!(
            link_id("erp-system", "Database Traffic"),
            "erp-system>database-traffic"
        );
        assert_eq!(
            link_id("a", " Git Repo / Code (write)! "),
            "a>git-repo-code-write"
        );
    }

    #[test]
    fn html_is_removed_from_risk_titles() {
        assert_eq!(plain("<b>Example</b> at <b>DB</b>"), "Example at DB");
    }
}
