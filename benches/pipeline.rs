//! Criterion benchmarks of each pipeline stage on generated models of
//! N = 100, 1,000 and 10,000 components (see `ward_bench::generate`).
//!
//! - `parse`: `ward_syntax::parse` of every file (throughput in bytes);
//! - `check`: loading with every parse cached (as the language server
//!   re-checks) plus name resolution and the semantic checks;
//! - `compile`: `compile_memory`, cold: parse + resolve + check;
//! - `analyze`: rules, risk, attack paths, multi-patient reach, findings;
//! - `render`: every `ward build` artifact in memory, without SVG;
//! - `build`: `compile` + `analyze` + `render` from the text, in memory.
//!
//! `cargo bench --bench pipeline` runs them all; `-- parse/10000` one.
//! `WARD_BENCH_SIZES=100,1000` limits the sizes. `render` and `build` skip
//! sizes above `WARD_BENCH_RENDER_MAX` (default 1000): at N = 10,000 one
//! render writes 870 MB of artifacts in about 12 s of CPU and 3 GB, so
//! criterion's samples take minutes (docs/performance.md);
//! `WARD_BENCH_RENDER_MAX=10000` includes it.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{
    criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion, Throughput,
};
use ward_analysis::Analysis;
use ward_bench::{generate, total_bytes, write_model, DEFAULT_SEED};
use ward_diagnostics::FileId;
use ward_model::{Compiled, Overlay, ParseCache};
use ward_render::{render_all, RenderInput, RenderOptions};

/// A generated model: its files in memory and on disk.
struct Fixture {
    n: usize,
    files: Vec<(String, String)>,
    dir: tempdir::TempDir,
}

mod tempdir {
    //! A scratch folder removed on drop (no tempfile dependency).
    use std::path::{Path, PathBuf};

    pub struct TempDir(PathBuf);

    impl TempDir {
        pub fn new(name: &str) -> TempDir {
            let path =
                std::env::temp_dir().join(format!("ward-bench-{}-{name}", std::process::id()));
            let _ = std::fs::remove_dir_all(&path);
            std::fs::create_dir_all(&path).expect("a scratch folder");
            TempDir(path)
        }
        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn sizes() -> Vec<usize> {
    std::env::var("WARD_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100, 1_000, 10_000])
}

/// The largest N for the `render` and `build` groups.
fn render_max() -> usize {
    std::env::var("WARD_BENCH_RENDER_MAX")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1_000)
}

fn fixtures() -> Vec<Fixture> {
    sizes()
        .into_iter()
        .map(|n| {
            let files = generate(n, DEFAULT_SEED);
            let dir = tempdir::TempDir::new(&n.to_string());
            write_model(dir.path(), &files).expect("the model is written");
            Fixture { n, files, dir }
        })
        .collect()
}

fn compile_memory(files: &[(String, String)]) -> Compiled {
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    ward_model::compile_memory(&refs, ".")
}

fn render(compiled: &Compiled, analysis: &Analysis) -> usize {
    let input = RenderInput {
        model: &compiled.model,
        analysis,
        sources: &compiled.sources,
        diagnostics: &compiled.diagnostics,
    };
    let options = RenderOptions {
        no_svg: true,
        ..RenderOptions::default()
    };
    render_all(&input, &options)
        .expect("the artifacts render")
        .len()
}

/// Fewer, shorter samples for the largest models so `cargo bench` ends in
/// minutes.
fn tune(group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>, n: usize) {
    if n >= 10_000 {
        group.sample_size(10);
        group.measurement_time(Duration::from_secs(10));
        group.warm_up_time(Duration::from_secs(1));
    } else if n >= 1_000 {
        group.sample_size(20);
        group.measurement_time(Duration::from_secs(5));
    } else {
        group.sample_size(50);
        group.measurement_time(Duration::from_secs(3));
    }
}

fn stages(c: &mut Criterion) {
    let fixtures = fixtures();

    let mut group = c.benchmark_group("parse");
    for f in &fixtures {
        tune(&mut group, f.n);
        group.throughput(Throughput::Bytes(total_bytes(&f.files) as u64));
        group.bench_with_input(BenchmarkId::from_parameter(f.n), &f.files, |b, files| {
            b.iter(|| {
                files
                    .iter()
                    .enumerate()
                    .map(|(i, (_, text))| {
                        ward_syntax::parse(black_box(text), FileId(i as u32))
                            .ast
                            .items
                            .len()
                    })
                    .sum::<usize>()
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("check");
    for f in &fixtures {
        tune(&mut group, f.n);
        let overlay = Overlay::new();
        let mut cache = ParseCache::new();
        let first = ward_model::compile(f.dir.path(), &overlay, &mut cache);
        assert!(
            !first.has_errors(),
            "N={}: the generated model has errors",
            f.n
        );
        group.bench_with_input(
            BenchmarkId::from_parameter(f.n),
            f.dir.path(),
            |b, dir: &Path| {
                b.iter(|| {
                    ward_model::compile(black_box(dir), &overlay, &mut cache)
                        .diagnostics
                        .len()
                })
            },
        );
    }
    group.finish();

    let mut group = c.benchmark_group("compile");
    for f in &fixtures {
        tune(&mut group, f.n);
        group.bench_with_input(BenchmarkId::from_parameter(f.n), &f.files, |b, files| {
            b.iter(|| compile_memory(black_box(files)).diagnostics.len())
        });
    }
    group.finish();

    let compiled: Vec<Compiled> = fixtures.iter().map(|f| compile_memory(&f.files)).collect();

    let mut group = c.benchmark_group("analyze");
    for (f, compiled) in fixtures.iter().zip(&compiled) {
        tune(&mut group, f.n);
        group.bench_with_input(
            BenchmarkId::from_parameter(f.n),
            &compiled.model,
            |b, model| b.iter(|| ward_analysis::analyze(black_box(model)).threats.len()),
        );
    }
    group.finish();

    let mut group = c.benchmark_group("render");
    for (f, compiled) in fixtures.iter().zip(&compiled) {
        if f.n > render_max() {
            eprintln!("render/{}: skipped (above WARD_BENCH_RENDER_MAX)", f.n);
            continue;
        }
        tune(&mut group, f.n);
        let analysis = ward_analysis::analyze(&compiled.model);
        group.bench_function(BenchmarkId::from_parameter(f.n), |b| {
            b.iter(|| render(black_box(compiled), &analysis))
        });
    }
    group.finish();
    drop(compiled);

    let mut group = c.benchmark_group("build");
    for f in fixtures.iter().filter(|f| f.n <= render_max()) {
        tune(&mut group, f.n);
        group.bench_with_input(BenchmarkId::from_parameter(f.n), &f.files, |b, files| {
            b.iter(|| {
                let compiled = compile_memory(black_box(files));
                let analysis = ward_analysis::analyze(&compiled.model);
                render(&compiled, &analysis)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
