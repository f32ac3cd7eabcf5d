//! The Ward language server on stdin/stdout, without the CLI: for the
//! protocol tests (which spawn it) and for editor set-ups during development.
//! `ward lsp` runs the same server.

fn main() {
    std::process::exit(ward_lsp::run_stdio());
}
