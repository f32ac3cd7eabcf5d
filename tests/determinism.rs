//! Determinism under stress (issue 7): 20 builds of the insulin pump, each
//! from a fresh copy of the model whose files were written to disk in a
//! different order, from a different folder and working directory, give
//! byte-identical artifacts (names and contents).
//!
//! What varies between the runs:
//! - **The order the files are listed in.** Each copy is written in a
//!   seeded shuffled order. On tmpfs (`/dev/shm`, used when present) a
//!   folder lists its files in reverse creation order, so the loader's
//!   folder walk and the `Ward.toml` glob see the files in a different
//!   order each run (the test checks that it did); on ext4 the order is
//!   by name hash and does not change.
//! - **Hash seeds.** Every `ward` run is a new process, and Rust's
//!   `HashMap`/`HashSet` seed their hashers from the OS per process (and per
//!   map), so any output that followed a hash map's iteration order would
//!   differ between runs.
//! - **Paths.** Each copy lives in its own temporary folder (same leaf
//!   name), built by a relative path from the folder above it or by an
//!   absolute path from elsewhere: no absolute path may leak into an
//!   artifact.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;
use support::{files_below, repo_root, stderr, ward};

const RUNS: u64 = 20;

/// A small seeded generator (xorshift64*): the shuffles are reproducible.
struct Shuffler(u64);

impl Shuffler {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// Where the copies go: tmpfs when there is one (its listing order follows
/// creation order), else the default temporary folder.
fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(dir) = tempfile::Builder::new()
            .prefix("ward-determinism")
            .tempdir_in(shm)
        {
            return dir;
        }
    }
    tempfile::tempdir().unwrap()
}

/// The artifacts of one build: (relative path, bytes), sorted by path.
type Artifacts = Vec<(PathBuf, Vec<u8>)>;

/// Copies the model in a shuffled order, builds it, returns the artifacts
/// and the order in which the copy's folder lists its files.
fn build_shuffled(run: u64, sources: &[(String, Vec<u8>)]) -> (Artifacts, Vec<String>) {
    let dir = scratch();
    let model = dir.path().join("insulin-pump");
    std::fs::create_dir(&model).unwrap();
    let mut order: Vec<usize> = (0..sources.len()).collect();
    Shuffler(0x9e37_79b9_7f4a_7c15 ^ (run + 1)).shuffle(&mut order);
    for &i in &order {
        let (name, bytes) = &sources[i];
        let path = model.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let listed: Vec<String> = std::fs::read_dir(&model)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let out = dir.path().join("out");
    let mut command = ward();
    if run % 2 == 0 {
        command
            .current_dir(dir.path())
            .args(["build", "insulin-pump", "--no-svg", "-o", "out"]);
    } else {
        command.current_dir(repo_root()).args([
            "build",
            model.to_str().unwrap(),
            "--no-svg",
            "-o",
            out.to_str().unwrap(),
        ]);
    }
    let result = command.output().expect("the ward binary runs");
    assert!(
        matches!(result.status.code(), Some(0 | 1)),
        "run {run}: ward build failed: {}",
        stderr(&result)
    );
    let artifacts = files_below(&out)
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap();
            (path.strip_prefix(&out).unwrap().to_path_buf(), bytes)
        })
        .collect();
    (artifacts, listed)
}

#[test]
fn twenty_builds_in_shuffled_file_orders_are_byte_identical() {
    let source = repo_root().join("examples/insulin-pump");
    // Every file, those in subfolders (the CGM's SBOM in `sbom/`) included.
    let mut sources: Vec<(String, Vec<u8>)> = files_below(&source)
        .into_iter()
        .map(|path| {
            let name = path
                .strip_prefix(&source)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    sources.sort();
    assert!(sources.len() > 10, "the insulin pump has its files");

    let started = Instant::now();
    let (first, first_listing) = build_shuffled(0, &sources);
    assert!(first.len() > 15, "{} artifacts", first.len());
    let mut listings = BTreeSet::from([first_listing]);
    for run in 1..RUNS {
        let (artifacts, listing) = build_shuffled(run, &sources);
        listings.insert(listing);
        let names = |a: &Artifacts| a.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&artifacts),
            names(&first),
            "run {run}: other artifact names"
        );
        for ((path, bytes), (_, expected)) in artifacts.iter().zip(&first) {
            assert!(
                bytes == expected,
                "run {run}: {} differs from run 0",
                path.display()
            );
        }
    }
    let on_tmpfs = Path::new("/dev/shm").is_dir();
    eprintln!(
        "determinism: {RUNS} builds, {} artifacts ({} bytes) identical; {} different folder \
         listing orders (tmpfs: {on_tmpfs}); {:.1} s",
        first.len(),
        first.iter().map(|(_, b)| b.len()).sum::<usize>(),
        listings.len(),
        started.elapsed().as_secs_f64()
    );
    if on_tmpfs {
        assert!(
            listings.len() > RUNS as usize / 2,
            "the shuffled copies were listed in only {} orders",
            listings.len()
        );
    }
}
