//! Times both parse routes on a folder of `.ward` files, such as a model
//! written by `gen-model`: the fast path with pest behind it (`parse`) and
//! pest alone (`parse_with_pest_only`), and checks they built the same.
//!
//! `cargo run --release -p ward-syntax --example parse_routes -- DIR [MAX_FILES]`

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use ward_diagnostics::FileId;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: parse_routes DIR [MAX_FILES]");
        std::process::exit(2);
    };
    let max_files: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(usize::MAX);
    let mut files = Vec::new();
    ward_files(Path::new(&dir), &mut files);
    files.sort();
    files.truncate(max_files);
    let (mut bytes, mut fast, mut pest, mut differ) = (0usize, Duration::ZERO, Duration::ZERO, 0);
    for path in &files {
        let text = std::fs::read_to_string(path).expect("a UTF-8 file");
        bytes += text.len();
        let start = Instant::now();
        let a = ward_syntax::parse(&text, FileId(0));
        fast += start.elapsed();
        let start = Instant::now();
        let b = ward_syntax::parse_with_pest_only(&text, FileId(0));
        pest += start.elapsed();
        if format!("{:?}", a.ast) != format!("{:?}", b.ast) || a.errors != b.errors {
            differ += 1;
            eprintln!("differ: {}", path.display());
        }
    }
    let mb = bytes as f64 / 1e6;
    let rate = |d: Duration| mb / d.as_secs_f64();
    println!(
        "{} files, {mb:.1} MB: fast path {:.2} s ({:.1} MB/s), pest alone {:.2} s ({:.1} MB/s), {:.1}x; {differ} files differ",
        files.len(),
        fast.as_secs_f64(),
        rate(fast),
        pest.as_secs_f64(),
        rate(pest),
        pest.as_secs_f64() / fast.as_secs_f64(),
    );
}

fn ward_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            ward_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "ward") {
            out.push(path);
        }
    }
}
