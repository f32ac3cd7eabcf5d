//! A component's `sbom`: the packages of its SBOM file become `software`
//! records as declared ones are, named by [`Package::base_id`] so that
//! references, hover, model.json and vulnerability matching can name them.
//! They are declared right after the model's own names, so a `.ward` file
//! can reference an imported package by its id.

use super::Source;
use crate::codes;
use crate::model::*;
use crate::names::{Cx, Entry};
use crate::sbom::span_at;
use crate::Loaded;
use std::collections::HashMap;
use ward_diagnostics::{Diagnostic, Span};
use ward_supply::sbom::{Package, Sbom};
use ward_syntax::ast::{DeclKind, PropertyValue, Value};

/// What the SBOM imports add to the model.
#[derive(Default)]
pub(super) struct Imports {
    /// Imported software, to follow the declared ones (ids continue theirs).
    pub software: Vec<Software>,
    /// Each importing component's `sbom`, by the component's declaration span.
    pub components: HashMap<Span, ComponentSbom>,
}

/// Imports the SBOM of every component that names one. `declared` is the
/// number of `software` declarations: imported ids follow theirs.
pub(super) fn declare_imports(
    cx: &mut Cx,
    decls: &[Source<'_>],
    loaded: &Loaded,
    declared: usize,
) -> Imports {
    let mut imports = Imports::default();
    let key = crate::language::COMPONENT_SBOM.key;
    for s in decls
        .iter()
        .filter(|s| s.decl.kind == DeclKind::Component && !s.stdlib)
    {
        let Some(property) = s.decl.property(key) else {
            continue;
        };
        let PropertyValue::Value(Value::Str(written)) = &property.value else {
            continue;
        };
        let Some(file) = loaded.sboms.iter().find(|f| f.written == written.value) else {
            continue;
        };
        let mut component = ComponentSbom {
            path: file.name.clone(),
            span: written.span,
            format: String::new(),
            spec_version: String::new(),
            software: Vec::new(),
        };
        if let (Some(sbom), Some(id)) = (&file.sbom, file.file) {
            component.format = sbom.format.name().to_owned();
            component.spec_version = sbom.spec_version.clone();
            let text = &loaded.sources.get(id).text;
            let at = |p: &Package| p.location.map_or(written.span, |l| span_at(id, text, l));
            component.software = import(cx, &mut imports.software, declared, sbom, &file.name, &at);
        }
        imports.components.insert(s.decl.span, component);
    }
    imports
}

/// Declares the packages of one SBOM, or finds those an earlier import of
/// the same package declared; returns their ids, in document order.
fn import(
    cx: &mut Cx,
    software: &mut Vec<Software>,
    declared: usize,
    sbom: &Sbom,
    sbom_name: &str,
    at: &dyn Fn(&Package) -> Span,
) -> Vec<SoftwareId> {
    let ids = sbom.software_ids();
    let mut resolved: Vec<Option<SoftwareId>> = Vec::with_capacity(ids.len());
    let mut fresh: Vec<bool> = Vec::with_capacity(ids.len());
    for (package, id) in sbom.packages.iter().zip(&ids) {
        let span = at(package);
        match cx.names.get(id) {
            Some(Entry {
                symbol: Symbol::Software(existing),
                ..
            }) if existing.index() >= declared
                && same_package(&software[existing.index() - declared], package) =>
            {
                resolved.push(Some(*existing));
                fresh.push(false);
            }
            Some(entry) => {
                let first = entry.name_span;
                cx.push(
                    Diagnostic::error(
                        codes::SBOM_ID_TAKEN,
                        span,
                        format!(
                            "the SBOM package `{}` would be software `{id}`, an id the model already has",
                            package.title()
                        ),
                    )
                    .with_primary_label("imported as `{id}`".replace("{id}", id))
                    .with_label(first, format!("`{id}` is declared here"))
                    .with_help(format!(
                        "an imported package's id is its purl's name and version (docs/lifecycle.md, \"Importing an SBOM\"): rename the other `{id}`, or remove the package from one of the two SBOMs"
                    )),
                );
                resolved.push(None);
                fresh.push(false);
            }
            None => {
                let new = SoftwareId((declared + software.len()) as u32);
                cx.names.insert(
                    id.clone(),
                    Entry {
                        kind: DeclKind::Software,
                        symbol: Symbol::Software(new),
                        name_span: span,
                        reverse: None,
                        applies_to: None,
                    },
                );
                cx.order.push((id.clone(), DeclKind::Software));
                cx.symbols.declarations.push(Declaration {
                    name: id.clone(),
                    kind: DeclKind::Software,
                    symbol: Symbol::Software(new),
                    span,
                    name_span: span,
                });
                software.push(package_software(cx, id, package, sbom, sbom_name, span));
                resolved.push(Some(new));
                fresh.push(true);
            }
        }
    }
    // Dependencies once every package has its id.
    for (i, package) in sbom.packages.iter().enumerate() {
        let (Some(id), true) = (resolved[i], fresh[i]) else {
            continue;
        };
        software[id.index() - declared].depends_on = package
            .depends_on
            .iter()
            .filter_map(|d| resolved[*d])
            .collect();
    }
    resolved.into_iter().flatten().collect()
}

/// The same package in two SBOMs (or one SBOM named twice): the same purl,
/// else, without purls, the same name and version.
fn same_package(software: &Software, package: &Package) -> bool {
    match (&software.purl, &package.purl) {
        (Some(a), Some(b)) => a == b,
        (None, None) => software.meta.title == package.name && software.version == package.version,
        _ => false,
    }
}

fn package_software(
    cx: &mut Cx,
    id: &str,
    package: &Package,
    sbom: &Sbom,
    sbom_name: &str,
    span: Span,
) -> Software {
    let support = package.support.as_deref().and_then(|text| {
        let level = SupportLevel::parse(text);
        if level.is_none() {
            cx.push(unreadable_property(
                span,
                "ward:support",
                text,
                &format!("one of {}", SupportLevel::NAMES.join(", ")),
            ));
        }
        level
    });
    let end_of_support = package.end_of_support.as_deref().and_then(|text| {
        let date = crate::is_calendar_date(text);
        if !date {
            cx.push(unreadable_property(
                span,
                "ward:end_of_support",
                text,
                "a date, `YYYY-MM-DD`",
            ));
        }
        date.then(|| text.to_owned())
    });
    if package.purl.is_none() && package.cpe.is_none() {
        cx.push(
            Diagnostic::warning(
                codes::SBOM_NO_IDENTIFIER,
                span,
                format!(
                    "the SBOM package `{}` has neither a purl nor a CPE",
                    package.title()
                ),
            )
            .with_primary_label("no unique identifier")
            .with_help("without one, vulnerability feeds cannot be matched to it: have the SBOM tool record its purl (CycloneDX `purl`, SPDX `externalRefs` of type `purl`)"),
        );
    }
    Software {
        meta: Meta::imported(id, package.name.clone(), span),
        supplier: package.supplier.clone(),
        version: package.version.clone(),
        purl: package.purl.clone(),
        cpe: package.cpe.clone(),
        author: sbom.author.clone(),
        timestamp: sbom.timestamp.clone().unwrap_or_default(),
        depends_on: Vec::new(),
        support,
        end_of_support,
        hashes: package.hashes.clone(),
        run_by: Vec::new(),
        imported_from: Some(SbomPackage {
            sbom: sbom_name.to_owned(),
            reference: package.reference.clone(),
        }),
    }
}

fn unreadable_property(span: Span, property: &str, value: &str, wanted: &str) -> Diagnostic {
    Diagnostic::warning(
        codes::SBOM_SUPPORT_VALUE,
        span,
        format!(
            "the SBOM property `{property}` of this package is `{value}`, which Ward does not read"
        ),
    )
    .with_primary_label(format!("`{property}` ignored"))
    .with_help(format!(
        "give {wanted}; until then the package's support is unknown (W0460)"
    ))
}

/// Gives each importing component its `sbom` and the imported software,
/// after the software it lists; rules and titles see the import as one
/// item, `N packages of PATH`.
pub(super) fn attach(elements: &mut [Element], mut components: HashMap<Span, ComponentSbom>) {
    for element in elements {
        let Some(sbom) = components.remove(&element.meta.span) else {
            continue;
        };
        if !sbom.software.is_empty() {
            let n = sbom.software.len();
            element.software.push(format!(
                "{n} package{} of {}",
                if n == 1 { "" } else { "s" },
                sbom.path
            ));
        }
        for id in &sbom.software {
            if !element.software_refs.contains(id) {
                element.software_refs.push(*id);
            }
        }
        element.sbom = Some(sbom);
    }
}
