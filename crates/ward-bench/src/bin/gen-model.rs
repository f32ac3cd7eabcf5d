//! `gen-model N [--seed S] [--out DIR]`: writes a synthetic Ward model with
//! N components (the system of `gen_pytm.py N`, plus Ward's hazards,
//! threats and controls) into DIR (default `model-N`), and prints a summary.

use std::path::PathBuf;
use std::process::ExitCode;

use ward_bench::{generate, total_bytes, write_model, Counts, DEFAULT_SEED};

const USAGE: &str = "usage: gen-model N [--seed S] [--out DIR]";

struct Args {
    n: usize,
    seed: u64,
    out: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut n = None;
    let mut seed = DEFAULT_SEED;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seed" => {
                let value = args.next().ok_or("--seed needs a value")?;
                seed = value
                    .parse()
                    .map_err(|_| format!("--seed: `{value}` is not a number"))?;
            }
            "--out" => out = Some(PathBuf::from(args.next().ok_or("--out needs a folder")?)),
            "-h" | "--help" => return Err(String::new()),
            _ if n.is_none() => {
                let value: usize = arg
                    .parse()
                    .map_err(|_| format!("N: `{arg}` is not a number"))?;
                if value == 0 {
                    return Err("N must be at least 1".into());
                }
                n = Some(value);
            }
            _ => return Err(format!("unexpected argument `{arg}`")),
        }
    }
    let n = n.ok_or("missing N")?;
    Ok(Args {
        n,
        seed,
        out: out.unwrap_or_else(|| PathBuf::from(format!("model-{n}"))),
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("gen-model: {message}");
            }
            eprintln!("{USAGE}");
            return if message.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    let files = generate(args.n, args.seed);
    if let Err(e) = write_model(&args.out, &files) {
        eprintln!("gen-model: cannot write {}: {e}", args.out.display());
        return ExitCode::from(1);
    }
    let counts = Counts::new(args.n);
    println!(
        "{}: {} files, {} bytes, {} declarations ({} components, {} zones, {} flows, {} data, {} hazards, {} threats, {} controls)",
        args.out.display(),
        files.len(),
        total_bytes(&files),
        counts.declarations(),
        counts.components,
        counts.zones,
        counts.flows,
        counts.data,
        counts.hazards,
        counts.threats,
        counts.controls,
    );
    ExitCode::SUCCESS
}
