//! Whole-model checks, run after every declaration: the model has a `system`,
//! `std::stride` gets a five-level scale; `use` items become references.

use super::Builder;
use crate::codes;
use crate::load::{Origin, UseResolution};
use crate::model::*;
use crate::stdlib::StdModule;
use ward_diagnostics::{Diagnostic, FileId, Span};

impl Builder<'_> {
    pub(super) fn check_model_level(&mut self, no_system: bool, _data: &[Data]) {
        let user_files: Vec<FileId> = self
            .loaded
            .files
            .iter()
            .filter(|f| f.origin == Origin::User)
            .map(|f| f.id)
            .collect();
        if no_system {
            let load_failed = self.loaded.diagnostics.iter().any(|d| d.is_error());
            match user_files.first() {
                Some(first) => {
                    self.cx.push(
                        Diagnostic::error(codes::NO_SYSTEM, Span::new(*first, 0, 0), "the model has no `system`")
                            .with_primary_label("no `system` in the model")
                            .with_help("declare exactly one: `system my_device \"My device\" { version: \"1.0.0\" }`"),
                    );
                }
                None if !load_failed => {
                    // Nothing to point at: say where Ward looked.
                    self.cx.push(
                        Diagnostic::error_without_location(
                            codes::NO_SYSTEM,
                            format!("no .ward files in {}", self.loaded.root.display()),
                        )
                        .with_help("`ward init` creates a starter model here (`ward init --help` lists the templates)"),
                    );
                }
                None => {}
            }
        }
        if self.loaded.uses_std(StdModule::Stride) && self.policy.exploitability.len() != 5 {
            if let Some(u) = self
                .loaded
                .uses
                .iter()
                .find(|u| u.resolution == UseResolution::Std(StdModule::Stride))
            {
                self.cx.push(
                    Diagnostic::error(
                        codes::STDLIB_SCALE,
                        u.span,
                        format!(
                            "`std::stride` needs an exploitability scale of five levels; policy `{}` has {}",
                            self.policy_name,
                            self.policy.exploitability.len()
                        ),
                    )
                    .with_primary_label("the stdlib rules cannot be scored on this scale")
                    .with_help("stdlib rule levels map by rank onto the model's exploitability scale: give the policy five exploitability levels"),
                );
            }
        }
    }

    /// `use` items as references to the files they name.
    pub(super) fn use_references(&mut self) {
        for u in &self.loaded.uses {
            let file = match u.resolution {
                UseResolution::File(f) => f,
                UseResolution::Std(module) => {
                    match self
                        .loaded
                        .files
                        .iter()
                        .find(|f| f.origin == Origin::Std(module))
                    {
                        Some(f) => f.id,
                        None => continue,
                    }
                }
                UseResolution::Failed => continue,
            };
            self.cx.reference(u.target_span, Symbol::File(file));
        }
    }
}

impl Builder<'_> {
    /// A `renamed_from` id still declared makes the history ambiguous: the
    /// old id would match both declarations in `ward diff`.
    pub(super) fn check_renamed_from(&mut self) {
        for (old, span) in std::mem::take(&mut self.renamed_from) {
            let Some(still) = self
                .cx
                .symbols
                .declarations
                .iter()
                .find(|d| d.name == old)
                .map(|d| d.name_span)
            else {
                continue;
            };
            self.cx.push(
                Diagnostic::warning(
                    codes::RENAMED_FROM_EXISTS,
                    span,
                    format!("`renamed_from: {old}` names an id that is still declared"),
                )
                .with_primary_label("still declared")
                .with_label(still, format!("`{old}` is declared here"))
                .with_help(format!(
                    "remove `{old}` from `renamed_from`, or rename the other declaration"
                )),
            );
        }
    }
}
