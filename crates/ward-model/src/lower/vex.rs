//! Applies the statements of `Ward.toml`'s VEX files to the model's
//! vulnerabilities: a statement sets the status (and, for `not_affected`,
//! the justification) of each vulnerability it matches, in file order, so
//! a later statement wins. One that matches nothing is W0482.
//!
//! A statement matches a vulnerability when its id is the vulnerability's
//! advisory or an alias (or the other way round), and its product is one
//! of the software the vulnerability is stated for: the same purl
//! (qualifiers and subpath ignored; a purl without a version matches any),
//! the same CPE, or the software's title or id with the same version (when
//! the product gives one). Case is ignored throughout.

use crate::model::*;
use crate::names::Cx;
use crate::sbom::span_at;
use crate::Loaded;
use ward_diagnostics::Diagnostic;
use ward_supply::vex::{VexProduct, VexStatement, VexStatus};

/// A purl without qualifiers and subpath, lower case; and without its
/// version when `versioned` is false.
/// A VEX statement that matches no vulnerability of the model: in the
/// post-market range (W048x), so not among the model's own codes.
const VEX_UNMATCHED: ward_diagnostics::Code = ward_diagnostics::Code::W0482;

fn purl_key(purl: &str, versioned: bool) -> String {
    let base = purl.split(['?', '#']).next().unwrap_or(purl);
    let base = if versioned {
        base
    } else {
        base.split('@').next().unwrap_or(base)
    };
    base.to_ascii_lowercase()
}

fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Whether the VEX product is this software.
fn is_product(product: &VexProduct, s: &Software) -> bool {
    if let (Some(p), Some(own)) = (&product.purl, &s.purl) {
        let versioned = p.contains('@');
        return purl_key(p, versioned) == purl_key(own, versioned);
    }
    if let (Some(p), Some(own)) = (&product.cpe, &s.cpe) {
        return same(p, own);
    }
    let named = product
        .name
        .as_deref()
        .is_some_and(|n| same(n, &s.meta.title) || same(n, &s.meta.name));
    named
        && product
            .version
            .as_deref()
            .is_none_or(|v| same(v, &s.version))
}

fn is_advisory(st: &VexStatement, v: &Vulnerability) -> bool {
    let ours = std::iter::once(&v.advisory).chain(&v.aliases);
    let theirs: Vec<&String> = std::iter::once(&st.advisory).chain(&st.aliases).collect();
    ours.into_iter().any(|a| theirs.iter().any(|b| same(a, b)))
}

fn status(status: VexStatus) -> VulnerabilityStatus {
    match status {
        VexStatus::Affected => VulnerabilityStatus::Affected,
        VexStatus::NotAffected => VulnerabilityStatus::NotAffected,
        VexStatus::Fixed => VulnerabilityStatus::Fixed,
        VexStatus::UnderInvestigation => VulnerabilityStatus::UnderInvestigation,
    }
}

/// How a product reads in a message.
fn product_text(p: &VexProduct) -> String {
    match (&p.purl, &p.cpe, &p.name, &p.version) {
        (Some(purl), _, _, _) => format!("`{purl}`"),
        (None, Some(cpe), _, _) => format!("`{cpe}`"),
        (None, None, Some(name), Some(version)) => format!("`{name}` {version}"),
        (None, None, Some(name), None) => format!("`{name}`"),
        (None, None, None, _) => "an unnamed product".into(),
    }
}

pub(super) fn apply(
    cx: &mut Cx,
    loaded: &Loaded,
    software: &[Software],
    vulnerabilities: &mut [Vulnerability],
) -> Vec<VexDisposition> {
    let mut applied = Vec::new();
    for file in &loaded.vex {
        let (Some(vex), Some(id)) = (&file.vex, file.file) else {
            continue;
        };
        let text = &loaded.sources.get(id).text;
        for st in &vex.statements {
            let products: Vec<SoftwareId> = software
                .iter()
                .enumerate()
                .filter(|(_, s)| is_product(&st.product, s))
                .map(|(i, _)| SoftwareId(i as u32))
                .collect();
            let mut advisory_known = false;
            let mut matched = false;
            for (i, v) in vulnerabilities.iter_mut().enumerate() {
                if !is_advisory(st, v) {
                    continue;
                }
                advisory_known = true;
                if !v.software.iter().any(|s| products.contains(s)) {
                    continue;
                }
                matched = true;
                let status = status(st.status);
                v.status = Some(status);
                v.justification = match status {
                    VulnerabilityStatus::NotAffected => st
                        .justification
                        .as_deref()
                        .and_then(VexJustification::parse),
                    _ => None,
                };
                applied.push(VexDisposition {
                    vulnerability: VulnerabilityId(i as u32),
                    file: file.name.clone(),
                    detail: st.detail.clone(),
                    response: st.response.clone(),
                });
            }
            if matched {
                continue;
            }
            let span = st.location.map_or(file.at, |l| span_at(id, text, l));
            let (message, note) = if advisory_known {
                (
                    format!(
                        "VEX statement on `{}` for {} matches none of the software the model records it for",
                        st.advisory,
                        product_text(&st.product)
                    ),
                    "a statement applies to a vulnerability of the model only for the software that vulnerability is stated for",
                )
            } else {
                (
                    format!(
                        "VEX statement on `{}` names a vulnerability the model does not have",
                        st.advisory
                    ),
                    "statements apply to the model's vulnerabilities (declared, or from its feeds), matched by advisory id or alias",
                )
            };
            cx.push(
                Diagnostic::warning(VEX_UNMATCHED, span, message)
                    .with_primary_label("sets nothing")
                    .with_label(file.at, "imported here")
                    .with_note(note)
                    .with_help(
                        "record the vulnerability for the software the statement is about, or drop the statement from the file",
                    ),
            );
        }
    }
    applied
}
