//! `stage-times N [--seed S] [--repeat R] [--no-render]`: one-shot wall time of each
//! pipeline stage on a generated model, in memory (the best of R runs).
//! A quick look before `cargo bench`, and an easy target for a profiler.
//! Beside wall time it reports the process's CPU time (user + system, from
//! `/proc/self/stat`, 10 ms resolution), which stays meaningful when other
//! work shares the machine.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use ward_bench::{generate, total_bytes, DEFAULT_SEED};
use ward_diagnostics::FileId;
use ward_render::{render_all, RenderInput, RenderOptions};

/// CPU time (user + system) of this process so far; zero where
/// `/proc/self/stat` is missing.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the parenthesised command name; utime and stime are the
    // 14th and 15th fields of the line, in clock ticks (100 per second).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let ticks: u64 = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|f| f.parse::<u64>().ok())
        .sum();
    Duration::from_millis(ticks * 10)
}

fn parse_number(value: Option<String>, what: &str) -> Result<u64, String> {
    let value = value.ok_or(format!("{what} needs a value"))?;
    value
        .parse()
        .map_err(|_| format!("{what}: `{value}` is not a number"))
}

fn main() -> ExitCode {
    let mut n = None;
    let mut seed = DEFAULT_SEED;
    let mut repeat = 1;
    let mut render = true;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let parsed = match arg.as_str() {
            "--seed" => parse_number(args.next(), "--seed").map(|v| seed = v),
            "--no-render" => {
                render = false;
                Ok(())
            }
            "--repeat" => parse_number(args.next(), "--repeat").map(|v| repeat = v.max(1)),
            _ => parse_number(Some(arg), "N").map(|v| n = Some(v as usize)),
        };
        if let Err(message) = parsed {
            eprintln!("stage-times: {message}\nusage: stage-times N [--seed S] [--repeat R] [--no-render]");
            return ExitCode::from(2);
        }
    }
    let Some(n) = n.filter(|&n| n > 0) else {
        eprintln!("usage: stage-times N [--seed S] [--repeat R] [--no-render]");
        return ExitCode::from(2);
    };

    let files = generate(n, seed);
    let bytes = total_bytes(&files);
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let mut best = [Duration::MAX; 4];
    let mut best_cpu = [Duration::MAX; 4];
    let mut summary = String::new();
    for _ in 0..repeat {
        let cpu_start = cpu_time();
        let start = Instant::now();
        for (i, (_, text)) in files.iter().enumerate() {
            black_box(ward_syntax::parse(text, FileId(i as u32)));
        }
        let parsed = Instant::now();
        let cpu_parsed = cpu_time();
        let compiled = ward_model::compile_memory(&refs, ".");
        let checked = Instant::now();
        let cpu_checked = cpu_time();
        let analysis = ward_analysis::analyze(&compiled.model);
        let analysed = Instant::now();
        let cpu_analysed = cpu_time();
        let input = RenderInput {
            model: &compiled.model,
            analysis: &analysis,
            sources: &compiled.sources,
            diagnostics: &compiled.diagnostics,
        };
        let options = RenderOptions {
            no_svg: true,
            ..RenderOptions::default()
        };
        let artifacts = if render {
            render_all(&input, &options).unwrap_or_default()
        } else {
            Vec::new()
        };
        let rendered = Instant::now();
        let cpu_rendered = cpu_time();
        let times = [
            parsed - start,
            checked - parsed,
            analysed - checked,
            rendered - analysed,
        ];
        for (b, t) in best.iter_mut().zip(times) {
            *b = (*b).min(t);
        }
        let cpu_times = [
            cpu_parsed - cpu_start,
            cpu_checked - cpu_parsed,
            cpu_analysed - cpu_checked,
            cpu_rendered - cpu_analysed,
        ];
        for (b, t) in best_cpu.iter_mut().zip(cpu_times) {
            *b = (*b).min(t);
        }
        if std::env::var_os("WARD_BENCH_SIZES_OF").is_some() {
            for a in &artifacts {
                eprintln!("{:>12} {}", a.bytes.len(), a.path);
            }
        }
        summary = format!(
            "{} errors, {} threats, {} paths, {} findings, {} artifacts ({} bytes)",
            compiled.diagnostics.iter().filter(|d| d.is_error()).count(),
            analysis.threats.len(),
            analysis.paths.len(),
            analysis.findings.len(),
            artifacts.len(),
            artifacts.iter().map(|a| a.bytes.len()).sum::<usize>(),
        );
    }
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("N={n}: {} files, {bytes} bytes; {summary}", files.len());
    println!(
        "wall: parse {:.1} ms ({:.1} MB/s), compile (parse+check) {:.1} ms, analyze {:.1} ms, render {:.1} ms",
        ms(best[0]),
        bytes as f64 / 1e6 / best[0].as_secs_f64(),
        ms(best[1]),
        ms(best[2]),
        ms(best[3]),
    );
    println!(
        "cpu:  parse {:.0} ms, compile (parse+check) {:.0} ms, analyze {:.0} ms, render {:.0} ms",
        ms(best_cpu[0]),
        ms(best_cpu[1]),
        ms(best_cpu[2]),
        ms(best_cpu[3]),
    );
    ExitCode::SUCCESS
}
