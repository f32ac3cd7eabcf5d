//! Lowers `vulnerability` declarations: the advisory, the software it is
//! stated for and the versions it affects (which of that software it
//! affects in this model is decided here, once), its CVSS vector, KEV
//! listing and VEX disposition.

use super::Builder;
use crate::codes;
use crate::language::{
    VULNERABILITY_ADVISORY, VULNERABILITY_ALIASES, VULNERABILITY_CVSS, VULNERABILITY_FIXED,
    VULNERABILITY_INTRODUCED, VULNERABILITY_JUSTIFICATION, VULNERABILITY_KEV,
    VULNERABILITY_KEV_ADDED, VULNERABILITY_PUBLISHED, VULNERABILITY_SOFTWARE, VULNERABILITY_STATUS,
    VULNERABILITY_VERSIONS,
};
use crate::model::*;
use std::collections::HashMap;
use ward_diagnostics::Diagnostic;
use ward_syntax::ast::Decl;

impl Builder<'_> {
    pub(super) fn vulnerability(&mut self, decl: &Decl, software: &[Software]) -> Vulnerability {
        let props = self.props(decl);
        let meta = self.meta(decl, &props);
        let mut text = |spec| props.get(spec).and_then(|p| self.cx.string(p));
        let advisory = text(&VULNERABILITY_ADVISORY).unwrap_or_default();
        let introduced = text(&VULNERABILITY_INTRODUCED);
        let fixed = text(&VULNERABILITY_FIXED);
        let mut list = |spec| {
            props
                .get(spec)
                .map(|p| self.cx.string_list(p))
                .unwrap_or_default()
        };
        let aliases = list(&VULNERABILITY_ALIASES);
        let versions = list(&VULNERABILITY_VERSIONS);
        let stated_for = props
            .get(&VULNERABILITY_SOFTWARE)
            .map(|p| self.software_refs(p))
            .unwrap_or_default();
        let cvss = props.get(&VULNERABILITY_CVSS).and_then(|p| self.cvss(p));
        let listed = props
            .get(&VULNERABILITY_KEV)
            .and_then(|p| self.cx.boolean(p))
            .unwrap_or(false);
        let date_added = props
            .get(&VULNERABILITY_KEV_ADDED)
            .and_then(|p| self.cx.date(p));
        let kev = (listed || date_added.is_some()).then_some(KevListing { date_added });
        let status = props
            .get(&VULNERABILITY_STATUS)
            .and_then(|p| self.cx.enum_value::<VulnerabilityStatus>(p));
        let justification = props
            .get(&VULNERABILITY_JUSTIFICATION)
            .and_then(|p| self.cx.enum_value::<VexJustification>(p));
        if let (Some(j), Some(s)) = (props.get(&VULNERABILITY_JUSTIFICATION), status) {
            if s != VulnerabilityStatus::NotAffected {
                self.cx.push(
                    Diagnostic::error(
                        codes::JUSTIFICATION_WITHOUT_NOT_AFFECTED,
                        j.key.span,
                        format!(
                            "vulnerability `{}` gives a `justification` but its status is `{s}`",
                            decl.name.name
                        ),
                    )
                    .with_primary_label("a VEX justification explains `not_affected` only")
                    .with_help(
                        "remove `justification`, or set `status: not_affected` if the product is not affected",
                    ),
                );
            }
        }
        let published = props
            .get(&VULNERABILITY_PUBLISHED)
            .and_then(|p| self.cx.date(p));
        let range = VersionRange {
            introduced,
            fixed,
            last_affected: None,
            versions,
        };
        let affects = stated_for
            .iter()
            .copied()
            .filter(|s| range.contains(&software[s.index()].version))
            .collect();
        Vulnerability {
            meta,
            advisory,
            aliases,
            software: stated_for,
            range,
            affects,
            cvss,
            kev,
            status,
            justification,
            published,
            origin: VulnerabilityOrigin::Declared,
        }
    }

    /// Two records of one advisory (E0141): the second is reported, at its
    /// `advisory`, naming the first.
    pub(super) fn check_duplicate_advisories(&mut self, vulnerabilities: &[Vulnerability]) {
        let mut first: HashMap<&str, &Vulnerability> = HashMap::new();
        for v in vulnerabilities {
            if v.advisory.is_empty() {
                continue;
            }
            let Some(earlier) = first.get(v.advisory.as_str()) else {
                first.insert(&v.advisory, v);
                continue;
            };
            self.duplicate_advisory(earlier, &v.meta.name, v.meta.name_span);
        }
    }

    /// E0141 at `span`, the second record (named `name`) of `earlier`'s
    /// advisory.
    pub(super) fn duplicate_advisory(
        &mut self,
        earlier: &Vulnerability,
        name: &str,
        span: ward_diagnostics::Span,
    ) {
        self.cx.push(
            Diagnostic::error(
                codes::DUPLICATE_ADVISORY,
                span,
                format!(
                    "advisory `{}` is recorded twice, by `{}` and `{name}`",
                    earlier.advisory, earlier.meta.name
                ),
            )
            .with_primary_label("second record of this advisory")
            .with_label(earlier.meta.name_span, "first recorded here")
            .with_help(
                "keep one `vulnerability` per advisory and list every software it affects in its `software`",
            ),
        );
    }
}
