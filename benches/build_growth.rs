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

/// Bytes allocated so far, by every thread.
fn allocated() -> u64 {
    ALLOCATED.load(Ordering::Relaxed)
}

/// One `ward build --no-svg` of the model in `model`, into `out`. Returns
/// the bytes allocated by compile, analyse and render.
fn build(model: &Path, out: &Path) -> [u64; 3] {
    let start = allocated();
    let compiled = ward_model::compile_path(model);
    let compiled_at = allocated();
    let analysis = ward_analysis::analyze(&compiled.model);
    let analysed_at = allocated();
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
    [
        compiled_at - start,
        analysed_at - compiled_at,
        allocated() - analysed_at,
    ]
}

/// The verdict on a growth ratio.
fn verdict(ratio: f64) -> &'static str {
    if ratio <= MAX_GROWTH {
        "met"
    } else {
        "MISSED"
    }
}

fn growth(c: &mut Criterion) {
    let scratch = std::env::temp_dir().join(format!("ward-build-growth-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    // Each size: (median seconds, bytes allocated by each stage of one build).
    let mut measured: Vec<(usize, f64, [u64; 3])> = Vec::new();
    let mut group = c.benchmark_group("build_growth");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(1));
    group.measurement_time(Duration::from_secs(20));
    for n in SIZES {
        let model = scratch.join(format!("model-{n}"));
        let out = scratch.join(format!("out-{n}"));
        write_model(&model, &generate(n, DEFAULT_SEED)).expect("the model is written");
        let allocated = build(&model, &out);
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
    let ratio = t2 / t1;
    println!(
        "build_growth: time (median): {t1:.3} s -> {t2:.3} s: {ratio:.1}x {}",
        verdict(ratio)
    );
    let mb = |bytes: u64| bytes as f64 / 1e6;
    let (total1, total2) = (a1.iter().sum::<u64>(), a2.iter().sum::<u64>());
    for (what, from, to) in [
        ("allocated bytes", total1, total2),
        ("  of which compile", a1[0], a2[0]),
        ("  of which analyse", a1[1], a2[1]),
        ("  of which render and write", a1[2], a2[2]),
    ] {
        let ratio = to as f64 / from as f64;
        println!(
            "build_growth: {what}: {:.1} MB -> {:.1} MB: {ratio:.1}x {}",
            mb(from),
            mb(to),
            verdict(ratio)
        );
    }
}

criterion_group!(benches, growth);
criterion_main!(benches);
