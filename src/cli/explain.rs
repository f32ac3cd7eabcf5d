//! `ward explain CODE`

use super::args::{ColorWhen, ExplainArgs};
use super::exit;
use super::output::{Printer, Verbosity};
use ward_diagnostics::{Code, Diagnostic};

pub fn run(args: &ExplainArgs) -> i32 {
    let printer = Printer {
        format: args.message_format,
        color: ColorWhen::Auto,
        verbosity: Verbosity::Normal,
    };
    match Code::parse(&args.code) {
        Some(code) if printer.is_json() => {
            let info = code.info();
            let page = serde_json::json!({
                "code": info.code,
                "summary": info.summary,
                "text": info.text,
            });
            println!("{page}");
            exit::OK
        }
        Some(code) => {
            let text = code.info().text;
            print!("{text}");
            if !text.ends_with('\n') {
                println!();
            }
            exit::OK
        }
        None => {
            let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
            printer.problem(
                Diagnostic::error_without_location(
                    Code::E0602,
                    format!("`{}` is not a Ward diagnostic code", args.code),
                )
                .with_help(format!("known codes: {}", codes.join(", "))),
            );
            exit::ERROR
        }
    }
}
