//! The standard library, embedded: `std::stride` (rules), `std::fda` (the
//! coverage check; the file declares nothing) and the default policy
//! `std::policy::iso14971_5x5`.

/// The path by which models name the default policy.
pub const STD_POLICY_PATH: &str = "std::policy::iso14971_5x5";

/// The default policy's title, as declared in its file. The path keeps its
/// old name so models keep compiling; the title says what the policy is.
pub const STD_POLICY_TITLE: &str = "Exploitability-based 5x5 (FDA premarket guidance, AAMI TIR57)";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StdModule {
    Stride,
    Fda,
    /// `std::policy::iso14971_5x5`: always loaded, named by path, not `use`d.
    Policy,
}

impl StdModule {
    /// The modules that `use` accepts.
    pub const USABLE: &'static [StdModule] = &[StdModule::Stride, StdModule::Fda];

    pub fn use_path(self) -> &'static str {
        match self {
            StdModule::Stride => "std::stride",
            StdModule::Fda => "std::fda",
            StdModule::Policy => STD_POLICY_PATH,
        }
    }

    pub fn by_use_path(path: &str) -> Option<StdModule> {
        StdModule::USABLE
            .iter()
            .copied()
            .find(|m| m.use_path() == path)
    }

    /// The name shown in diagnostics.
    pub fn file_name(self) -> String {
        match self {
            StdModule::Stride => "<std>/stride.ward".into(),
            StdModule::Fda => "<std>/fda.ward".into(),
            StdModule::Policy => "<std>/policy/iso14971_5x5.ward".into(),
        }
    }

    pub fn text(self) -> &'static str {
        match self {
            StdModule::Stride => include_str!("../../../stdlib/std/stride.ward"),
            StdModule::Fda => include_str!("../../../stdlib/std/fda.ward"),
            StdModule::Policy => include_str!("../../../stdlib/std/policy/iso14971_5x5.ward"),
        }
    }
}
