//! Issue #15 target 6: the cost of `ward build --no-svg` grows at most
//! 11-fold from N = 1,000 to N = 10,000 components. The group `build_growth`
//! times the whole build (compile, analyse, render every artifact into a
//! staging folder and swap it in, as `ward build` does) at both sizes, then
//! prints the 1,000 -> 10,000 ratio of the median time and of the bytes
//! allocated by one build, each marked `met` or `MISSED`.
//!
//! `cargo bench --bench build_growth`. Each N = 10,000 sample is one full
//! build (seconds), so the group takes a few minutes.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use ward_bench::{generate, write_model, DEFAULT_SEED};
use ward_render::{render_into, RenderInput, RenderOptions, Staging};

/// Counts the bytes every allocation asks for (not the peak: the total a
/// build allocates, which grows with the work and the copies it makes).
struct Counting;

static ALLOCATED: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATED.fetch_add(layout.size() as u64, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATED.fetch_add(
            new_size.saturating_sub(layout.size()) as u64,
            Ordering::Relaxed,
        );
        // SAFETY: as for `alloc` and `dealloc`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The most a 10-fold larger model may cost, as a multiple (issue #15).
const MAX_GROWTH: f64 = 11.0;
const SIZES: [usize; 2] = [1_000, 10_000];

/// One `ward build --no-svg` of the model in `model`, into `out`.
fn build(model: &Path, out: &Path) {
    let compiled = ward_model::compile_path(model);
    let analysis = ward_analysis::analyze(&compiled.model);
    let input = RenderInput {
        model: &compiled.model,
        analysis: &analysis,
        sources: &compiled.sources,
        diagnostics: &compiled.diagnostics,
    };
    let options = RenderOptions {
        no_svg: true,
        revision: Some("bench".into()),
        ..RenderOptions::default()
    };
    let staging = Staging::begin(out, &[]).expect("the output folder");
    render_into(&input, &options, &staging).expect("the artifacts render");
    staging.finish().expect("the output is swapped in");
}

fn growth(c: &mut Criterion) {
    let scratch = std::env::temp_dir().join(format!("ward-build-growth-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    // Each size: (median seconds, bytes allocated by one build).
    let mut measured: Vec<(usize, f64, u64)> = Vec::new();
    let mut group = c.benchmark_group("build_growth");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(1));
    group.measurement_time(Duration::from_secs(20));
    for n in SIZES {
        let model = scratch.join(format!("model-{n}"));
        let out = scratch.join(format!("out-{n}"));
        write_model(&model, &generate(n, DEFAULT_SEED)).expect("the model is written");
        let before = ALLOCATED.load(Ordering::Relaxed);
        build(&model, &out);
        let allocated = ALLOCATED.load(Ordering::Relaxed) - before;
        let mut times = Vec::new();
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                for _ in 0..iters {
                    let one = Instant::now();
                    build(&model, &out);
                    times.push(one.elapsed().as_secs_f64());
                }
                start.elapsed()
            })
        });
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        measured.push((n, median, allocated));
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&scratch);

    let [(small, t1, a1), (large, t2, a2)] = measured[..] else {
        unreachable!("two sizes")
    };
    println!("build_growth: N = {small} -> {large}, target at most {MAX_GROWTH}x");
    for (what, from, to, ratio) in [
        (
            "time (median)",
            format!("{t1:.3} s"),
            format!("{t2:.3} s"),
            t2 / t1,
        ),
        (
            "allocated bytes",
            format!("{:.1} MB", a1 as f64 / 1e6),
            format!("{:.1} MB", a2 as f64 / 1e6),
            a2 as f64 / a1 as f64,
        ),
    ] {
        let verdict = if ratio <= MAX_GROWTH { "met" } else { "MISSED" };
        println!("build_growth: {what}: {from} -> {to}: {ratio:.1}x {verdict}");
    }
}

criterion_group!(benches, growth);
criterion_main!(benches);
