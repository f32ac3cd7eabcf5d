//! Benchmark support for Ward: a generator of synthetic, realistic Ward
//! models of any size, describing the same system as the pytm benchmark
//! model (`gen_pytm.py`, copied beside this crate) plus the facts only Ward
//! has (hazards, hand-written threats, controls with verifications,
//! assumptions, use cases). See `docs/performance.md` for the mapping.
//!
//! [`generate`] returns the files in memory, for benchmarks and tests;
//! [`write_model`] writes them under a folder (the `gen-model` binary).

// The formulas read like gen_pytm.py's `i % 3 == 0`, and
// `is_multiple_of` is newer than the workspace's rust-version (1.85).
#![allow(clippy::manual_is_multiple_of)]

mod architecture;
mod out;
pub mod prng;
mod risk;
pub mod shape;

use std::io;
use std::path::Path;

pub use shape::Shape;

use out::Files;
use prng::Prng;

/// Default seed of `gen-model`.
pub const DEFAULT_SEED: u64 = 1;

/// How many declarations of each sort a model of `n` components has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counts {
    pub components: usize,
    pub zones: usize,
    pub flows: usize,
    pub data: usize,
    pub hazards: usize,
    pub threats: usize,
    pub controls: usize,
    pub verifications: usize,
    pub assumptions: usize,
    pub usecases: usize,
    pub files: usize,
}

impl Counts {
    pub fn new(n: usize) -> Counts {
        let shape = Shape::new(n);
        let controls = n / 2;
        Counts {
            components: n,
            zones: shape.zones(),
            flows: shape.flows(),
            data: shape.flows(),
            hazards: n / 5,
            threats: n / 2,
            controls,
            verifications: controls,
            assumptions: n / 100,
            usecases: n / 50,
            files: (n / 50).max(1),
        }
    }

    /// Elements in pytm's sense: components, boundaries, flows and data.
    pub fn pytm_elements(&self) -> usize {
        self.components + self.zones + self.flows + self.data
    }

    /// Every Ward declaration, the system included.
    pub fn declarations(&self) -> usize {
        self.pytm_elements()
            + self.hazards
            + self.threats
            + self.controls
            + self.verifications
            + self.assumptions
            + self.usecases
            + 1
    }
}

/// A synthetic model with `n` components (`n >= 1`): `(relative path,
/// text)` per file, sorted by path. The same `n` and `seed` always give
/// the same files; the architecture does not depend on `seed`, only the
/// Ward-specific facts (hazard links, threats, controls) do.
pub fn generate(n: usize, seed: u64) -> Vec<(String, String)> {
    assert!(n >= 1, "a model needs at least one component");
    let counts = Counts::new(n);
    let shape = Shape::new(n);
    let rng = Prng::new(seed);
    let mut files = Files::new(counts.files);
    architecture::write(&mut files, &shape, &counts, &rng);
    risk::write(&mut files, &shape, &counts, &rng);
    files.finish()
}

/// Writes [`generate`]'s files under `dir` (created if missing).
pub fn write_model(dir: &Path, files: &[(String, String)]) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, text) in files {
        std::fs::write(dir.join(name), text)?;
    }
    Ok(())
}

/// Total size of the model's text in bytes.
pub fn total_bytes(files: &[(String, String)]) -> usize {
    files.iter().map(|(_, text)| text.len()).sum()
}
