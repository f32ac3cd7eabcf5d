//! `ward explain CODE`

use super::{args::ExplainArgs, exit};

pub fn run(args: &ExplainArgs) -> i32 {
    match ward_diagnostics::explain(&args.code) {
        Some(info) => {
            print!("{}", info.text);
            if !info.text.ends_with('\n') {
                println!();
            }
            exit::OK
        }
        None => {
            eprintln!("error: `{}` is not a Ward diagnostic code", args.code);
            let codes: Vec<&str> = ward_diagnostics::CODES.iter().map(|c| c.code).collect();
            eprintln!("help: known codes: {}", codes.join(", "));
            exit::ERROR
        }
    }
}
