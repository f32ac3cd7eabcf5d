//! `design-inputs.reqif`: the controls as ReqIF 1.2 requirements, for
//! requirements tools (DOORS, Polarion, Jama, Codebeamer). Each control is
//! a SPEC-OBJECT carrying the control requirements' columns; threats and
//! verifications are SPEC-OBJECTs of their own types; SPEC-RELATIONs say
//! which control mitigates which threat and which verification verifies
//! which control. Identifiers come from the model's ids (`ward-control-ID`,
//! the first id for a renamed declaration), so a re-import updates rather
//! than duplicates; dates come from `as_of`,
//! never the clock.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::io;

use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::name::QName;
use quick_xml::Writer;
use ward_analysis::Analysis;
use ward_diagnostics::{Code, Diagnostic};
use ward_model::{Meta, Model, VerificationItem};

use crate::escape::neutralise;
use crate::tables::{Table, Tables};

pub const REQIF_FILE: &str = "design-inputs.reqif";
pub const REQIF_NAMESPACE: &str = "http://www.omg.org/spec/ReqIF/20110401/reqif.xsd";

/// The threat columns of the risk register a threat object carries.
const THREAT_COLUMNS: &[&str] = &[
    "id",
    "title",
    "stride",
    "targets",
    "hazards",
    "initial_risk",
    "residual_risk_planned",
    "residual_risk_verified",
    "controlled",
    "acceptance",
    "status",
    "ticket",
];

/// A model id as part of an XML ID (an NCName): letters, digits, `_` and
/// `.` stay; `@` is `-at-`; anything else `-uHEX-`. Ward ids have no `-`
/// of their own (it is escaped too), so distinct ids stay distinct.
pub fn id_part(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '_' | '.' => out.push(c),
            '@' => out.push_str("-at-"),
            other => out.push_str(&format!("-u{:x}-", other as u32)),
        }
    }
    out
}

/// `YYYY-MM-DDT00:00:00Z` from `as_of`, else the zip epoch.
pub fn last_change(as_of: Option<&str>) -> String {
    match as_of {
        Some(date) if ward_model::is_calendar_date(date) => format!("{date}T00:00:00Z"),
        _ => "1980-01-01T00:00:00Z".to_string(),
    }
}

/// One object type: its id part, name and attribute columns.
struct ObjectType {
    part: &'static str,
    name: &'static str,
    /// (column key, long name)
    attributes: Vec<(String, String)>,
}

/// One SPEC-OBJECT: its identifier and a value per attribute of its type.
struct Object {
    identifier: String,
    values: Vec<String>,
}

/// What the file holds, gathered before writing.
struct Content {
    types: Vec<(ObjectType, Vec<Object>)>,
    /// (relation type part, source identifier, target identifier)
    relations: Vec<(&'static str, String, String)>,
    /// Each control's identifier and its verifications' identifiers.
    hierarchy: Vec<(String, Vec<String>)>,
}

fn column_values(table: &Table, keys: &[&str], row: &[String]) -> Vec<String> {
    keys.iter()
        .map(|key| {
            table
                .columns
                .iter()
                .position(|c| c.key == *key)
                .map_or_else(String::new, |i| row[i].clone())
        })
        .collect()
}

fn columns_of(table: &Table, keys: &[&str]) -> Vec<(String, String)> {
    keys.iter()
        .filter_map(|key| table.columns.iter().find(|c| c.key == *key))
        .map(|c| (c.key.to_string(), c.title.to_string()))
        .collect()
}

/// The identifier of a declaration's SPEC-OBJECT: from its first id, the
/// oldest of `renamed_from` when it was renamed, so that a requirements tool
/// updates the requirement it already holds instead of adding a new one.
fn identifier(kind: &str, meta: &Meta) -> String {
    let first_id = meta.renamed_from.last().unwrap_or(&meta.name);
    format!("ward-{kind}-{}", id_part(first_id))
}

fn gather(model: &Model, analysis: &Analysis, tables: &Tables) -> Content {
    let requirements = &tables.control_requirements;
    let control_keys: Vec<&str> = std::iter::once("control")
        .chain(requirements.columns.iter().map(|c| c.key))
        .collect();
    let mut control_attributes = vec![("control".to_string(), "Control".to_string())];
    control_attributes.extend(columns_of(requirements, &control_keys[1..]));
    let controls: Vec<Object> = model
        .controls
        .iter()
        .zip(&requirements.rows)
        .map(|(c, row)| Object {
            identifier: identifier("control", &c.meta),
            values: std::iter::once(c.meta.name.clone())
                .chain(column_values(requirements, &control_keys[1..], row))
                .collect(),
        })
        .collect();

    let register = &tables.risk_register;
    let threats: Vec<Object> = register
        .rows
        .iter()
        .zip(&analysis.threats)
        .map(|(row, t)| Object {
            identifier: format!("ward-threat-{}", id_part(&t.id)),
            values: column_values(register, THREAT_COLUMNS, row),
        })
        .collect();
    let threat_ids: BTreeSet<&str> = analysis.threats.iter().map(|t| t.id.as_str()).collect();

    let verifications: Vec<Object> = model
        .verifications
        .iter()
        .map(|v| Object {
            identifier: identifier("verification", &v.meta),
            values: vec![
                v.meta.name.clone(),
                v.meta.title.clone(),
                v.kind.map_or_else(String::new, |k| k.as_str().into()),
                v.method.as_str().into(),
                v.result.map_or_else(String::new, |r| r.as_str().into()),
                v.report.clone().unwrap_or_default(),
                v.tested_version.clone().unwrap_or_default(),
                v.date.clone().unwrap_or_default(),
            ],
        })
        .collect();
    let verification_attributes = [
        ("id", "ID"),
        ("title", "Title"),
        ("type", "Test type"),
        ("method", "Method"),
        ("result", "Result"),
        ("report", "Report"),
        ("tested_version", "Tested version"),
        ("date", "Date"),
    ]
    .iter()
    .map(|(k, n)| (k.to_string(), n.to_string()))
    .collect();

    let mut relations = Vec::new();
    let mut hierarchy = Vec::new();
    for c in &model.controls {
        let control = identifier("control", &c.meta);
        let mut mitigated = BTreeSet::new();
        for m in &c.mitigates {
            let threat = model.threat_key_name(m.key);
            if threat_ids.contains(threat.as_str()) && mitigated.insert(threat.clone()) {
                relations.push((
                    "mitigates",
                    control.clone(),
                    format!("ward-threat-{}", id_part(&threat)),
                ));
            }
        }
        let mut verified_by = Vec::new();
        for item in &c.verification {
            if let VerificationItem::Ref { verification, .. } = item {
                let v = identifier("verification", &model.verification(*verification).meta);
                if !verified_by.contains(&v) {
                    relations.push(("verifies", v.clone(), control.clone()));
                    verified_by.push(v);
                }
            }
        }
        hierarchy.push((control, verified_by));
    }

    Content {
        types: vec![
            (
                ObjectType {
                    part: "control",
                    name: "Control requirement",
                    attributes: control_attributes,
                },
                controls,
            ),
            (
                ObjectType {
                    part: "threat",
                    name: "Threat",
                    attributes: columns_of(register, THREAT_COLUMNS),
                },
                threats,
            ),
            (
                ObjectType {
                    part: "verification",
                    name: "Verification",
                    attributes: verification_attributes,
                },
                verifications,
            ),
        ],
        relations,
        hierarchy,
    }
}

/// An attribute value: neutralised (no control or bidi character reaches
/// the file as itself; XML 1.0 cannot carry most control characters at
/// all), escaped, with line breaks and tabs as character references so
/// they survive attribute-value normalisation.
fn value(text: &str) -> String {
    let escaped = quick_xml::escape::escape(neutralise(text).into_owned());
    escaped.replace('\n', "&#10;").replace('\t', "&#9;")
}

fn attr<'a>(key: &'a str, text: &str) -> Attribute<'a> {
    Attribute {
        key: QName(key),
        value: Cow::Owned(value(text)),
    }
}

/// What every Identifiable element carries.
fn identifiable<'a>(identifier: &str, changed: &str, name: Option<&str>) -> Vec<Attribute<'a>> {
    let mut attrs = vec![attr("IDENTIFIER", identifier), attr("LAST-CHANGE", changed)];
    if let Some(name) = name {
        attrs.push(attr("LONG-NAME", name));
    }
    attrs
}

type W = Writer<Vec<u8>>;

fn reference(w: &mut W, outer: &str, inner: &str, identifier: &str) -> io::Result<()> {
    w.create_element(outer).write_inner_content(|w| {
        w.create_element(inner)
            .write_text_content(BytesText::new(identifier))?;
        Ok(())
    })?;
    Ok(())
}

fn text_element(w: &mut W, name: &str, text: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(&neutralise(text)))?;
    Ok(())
}

/// What the header states.
pub(crate) struct Header<'a> {
    pub system_id: &'a str,
    pub system_title: &'a str,
    pub version: &'a str,
    pub source_hash: &'a str,
    pub tool_version: &'a str,
    pub as_of: Option<&'a str>,
}

/// The file's bytes.
pub(crate) fn document(
    model: &Model,
    analysis: &Analysis,
    tables: &Tables,
    header: &Header,
) -> Result<Vec<u8>, Diagnostic> {
    write(&gather(model, analysis, tables), header).map_err(|e| {
        Diagnostic::error_without_location(Code::E0612, format!("cannot write `{REQIF_FILE}`: {e}"))
    })
}

fn write(content: &Content, header: &Header) -> io::Result<Vec<u8>> {
    let changed = last_change(header.as_of);
    let changed = changed.as_str();
    let system = id_part(if header.system_id.is_empty() {
        "model"
    } else {
        header.system_id
    });
    let longest = content
        .types
        .iter()
        .flat_map(|(_, objects)| objects.iter().flat_map(|o| &o.values))
        .map(|v| neutralise(v).chars().count())
        .max()
        .unwrap_or(0)
        .max(255);
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("REQ-IF")
        .with_attribute(("xmlns", REQIF_NAMESPACE))
        .write_inner_content(|w| {
            w.create_element("THE-HEADER").write_inner_content(|w| {
                w.create_element("REQ-IF-HEADER")
                    .with_attribute(attr("IDENTIFIER", &format!("ward-header-{system}")))
                    .write_inner_content(|w| {
                        text_element(
                            w,
                            "COMMENT",
                            &format!(
                                "Design inputs of {} {}; sources sha256 {}",
                                header.system_id, header.version, header.source_hash
                            ),
                        )?;
                        text_element(w, "CREATION-TIME", changed)?;
                        text_element(
                            w,
                            "REQ-IF-TOOL-ID",
                            &format!("ward {}", header.tool_version),
                        )?;
                        text_element(w, "REQ-IF-VERSION", "1.0")?;
                        text_element(w, "SOURCE-TOOL-ID", "ward")?;
                        text_element(
                            w,
                            "TITLE",
                            &format!("{} design inputs", header.system_title),
                        )
                    })?;
                Ok(())
            })?;
            w.create_element("CORE-CONTENT").write_inner_content(|w| {
                w.create_element("REQ-IF-CONTENT")
                    .write_inner_content(|w| content_body(w, content, changed, &system, longest))?;
                Ok(())
            })?;
            Ok(())
        })?;
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    Ok(bytes)
}

const STRING_TYPE: &str = "ward-datatype-text";

fn attribute_id(part: &str, key: &str) -> String {
    format!("ward-attribute-{part}-{}", id_part(key))
}

fn content_body(
    w: &mut W,
    content: &Content,
    changed: &str,
    system: &str,
    longest: usize,
) -> io::Result<()> {
    w.create_element("DATATYPES").write_inner_content(|w| {
        w.create_element("DATATYPE-DEFINITION-STRING")
            .with_attributes(identifiable(STRING_TYPE, changed, Some("Text")))
            .with_attribute(attr("MAX-LENGTH", &longest.to_string()))
            .write_empty()?;
        Ok(())
    })?;
    w.create_element("SPEC-TYPES").write_inner_content(|w| {
        for (t, _) in &content.types {
            w.create_element("SPEC-OBJECT-TYPE")
                .with_attributes(identifiable(
                    &format!("ward-type-{}", t.part),
                    changed,
                    Some(t.name),
                ))
                .write_inner_content(|w| {
                    w.create_element("SPEC-ATTRIBUTES")
                        .write_inner_content(|w| {
                            for (key, name) in &t.attributes {
                                w.create_element("ATTRIBUTE-DEFINITION-STRING")
                                    .with_attributes(identifiable(
                                        &attribute_id(t.part, key),
                                        changed,
                                        Some(name),
                                    ))
                                    .write_inner_content(|w| {
                                        reference(
                                            w,
                                            "TYPE",
                                            "DATATYPE-DEFINITION-STRING-REF",
                                            STRING_TYPE,
                                        )
                                    })?;
                            }
                            Ok(())
                        })?;
                    Ok(())
                })?;
        }
        for (part, name) in [("mitigates", "mitigates"), ("verifies", "verifies")] {
            w.create_element("SPEC-RELATION-TYPE")
                .with_attributes(identifiable(
                    &format!("ward-type-{part}"),
                    changed,
                    Some(name),
                ))
                .write_empty()?;
        }
        w.create_element("SPECIFICATION-TYPE")
            .with_attributes(identifiable(
                "ward-type-specification",
                changed,
                Some("Ward specification"),
            ))
            .write_empty()?;
        Ok(())
    })?;
    w.create_element("SPEC-OBJECTS").write_inner_content(|w| {
        for (t, objects) in &content.types {
            for object in objects {
                w.create_element("SPEC-OBJECT")
                    .with_attributes(identifiable(&object.identifier, changed, None))
                    .write_inner_content(|w| {
                        w.create_element("VALUES").write_inner_content(|w| {
                            for ((key, _), text) in t.attributes.iter().zip(&object.values) {
                                w.create_element("ATTRIBUTE-VALUE-STRING")
                                    .with_attribute(attr("THE-VALUE", text))
                                    .write_inner_content(|w| {
                                        reference(
                                            w,
                                            "DEFINITION",
                                            "ATTRIBUTE-DEFINITION-STRING-REF",
                                            &attribute_id(t.part, key),
                                        )
                                    })?;
                            }
                            Ok(())
                        })?;
                        reference(
                            w,
                            "TYPE",
                            "SPEC-OBJECT-TYPE-REF",
                            &format!("ward-type-{}", t.part),
                        )
                    })?;
            }
        }
        Ok(())
    })?;
    w.create_element("SPEC-RELATIONS")
        .write_inner_content(|w| {
            for (part, source, target) in &content.relations {
                let identifier = format!(
                    "ward-{part}-{}-to-{}",
                    source.trim_start_matches("ward-"),
                    target.trim_start_matches("ward-")
                );
                w.create_element("SPEC-RELATION")
                    .with_attributes(identifiable(&identifier, changed, None))
                    .write_inner_content(|w| {
                        reference(w, "SOURCE", "SPEC-OBJECT-REF", source)?;
                        reference(w, "TARGET", "SPEC-OBJECT-REF", target)?;
                        reference(
                            w,
                            "TYPE",
                            "SPEC-RELATION-TYPE-REF",
                            &format!("ward-type-{part}"),
                        )
                    })?;
            }
            Ok(())
        })?;
    w.create_element("SPECIFICATIONS")
        .write_inner_content(|w| {
            // The design inputs: each control, its verifications below it.
            w.create_element("SPECIFICATION")
                .with_attributes(identifiable(
                    &format!("ward-specification-{system}-design-inputs"),
                    changed,
                    Some("Design inputs"),
                ))
                .write_inner_content(|w| {
                    w.create_element("CHILDREN").write_inner_content(|w| {
                        for (control, verifications) in &content.hierarchy {
                            w.create_element("SPEC-HIERARCHY")
                                .with_attributes(identifiable(
                                    &format!(
                                        "ward-hierarchy-{}",
                                        control.trim_start_matches("ward-")
                                    ),
                                    changed,
                                    None,
                                ))
                                .write_inner_content(|w| {
                                    if !verifications.is_empty() {
                                        w.create_element("CHILDREN").write_inner_content(|w| {
                                            for v in verifications {
                                                let identifier = format!(
                                                    "ward-hierarchy-{}-{}",
                                                    control.trim_start_matches("ward-"),
                                                    v.trim_start_matches("ward-")
                                                );
                                                w.create_element("SPEC-HIERARCHY")
                                                    .with_attributes(identifiable(
                                                        &identifier,
                                                        changed,
                                                        None,
                                                    ))
                                                    .write_inner_content(|w| {
                                                        reference(w, "OBJECT", "SPEC-OBJECT-REF", v)
                                                    })?;
                                            }
                                            Ok(())
                                        })?;
                                    }
                                    reference(w, "OBJECT", "SPEC-OBJECT-REF", control)
                                })?;
                        }
                        Ok(())
                    })?;
                    reference(
                        w,
                        "TYPE",
                        "SPECIFICATION-TYPE-REF",
                        "ward-type-specification",
                    )
                })?;
            // The threats the design inputs answer.
            let threats = content
                .types
                .iter()
                .find(|(t, _)| t.part == "threat")
                .map(|(_, o)| o);
            w.create_element("SPECIFICATION")
                .with_attributes(identifiable(
                    &format!("ward-specification-{system}-threats"),
                    changed,
                    Some("Threats"),
                ))
                .write_inner_content(|w| {
                    if let Some(threats) = threats.filter(|t| !t.is_empty()) {
                        w.create_element("CHILDREN").write_inner_content(|w| {
                            for t in threats {
                                w.create_element("SPEC-HIERARCHY")
                                    .with_attributes(identifiable(
                                        &format!(
                                            "ward-hierarchy-{}",
                                            t.identifier.trim_start_matches("ward-")
                                        ),
                                        changed,
                                        None,
                                    ))
                                    .write_inner_content(|w| {
                                        reference(w, "OBJECT", "SPEC-OBJECT-REF", &t.identifier)
                                    })?;
                            }
                            Ok(())
                        })?;
                    }
                    reference(
                        w,
                        "TYPE",
                        "SPECIFICATION-TYPE-REF",
                        "ward-type-specification",
                    )
                })?;
            Ok(())
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_become_distinct_ncnames() {
        assert_eq!(
            id_part("spoofing@f_pairing.reverse"),
            "spoofing-at-f_pairing.reverse"
        );
        assert_eq!(id_part("a-b"), "a-u2d-b");
        assert_ne!(id_part("a@b"), id_part("a-at-b"));
    }

    #[test]
    fn values_are_escaped_and_keep_line_breaks() {
        let v = value("a<b & \"c\" ]]> \u{202e}\u{1}\nx");
        assert_eq!(
            v,
            "a&lt;b &amp; &quot;c&quot; ]]&gt; <U+202E><U+0001>&#10;x"
                .replace("<U+", "&lt;U+")
                .replace("E>", "E&gt;")
                .replace("1>", "1&gt;")
        );
    }

    #[test]
    fn last_change_is_as_of_or_fixed() {
        assert_eq!(last_change(Some("2026-11-30")), "2026-11-30T00:00:00Z");
        assert_eq!(last_change(None), "1980-01-01T00:00:00Z");
    }
}
