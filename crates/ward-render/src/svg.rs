//! SVG through Graphviz `dot`, when it is installed (else the built-in
//! layout in `views/layout.rs` draws). The DOT text is the artifact that
//! matters (and the one snapshot-tested); SVG depends on the Graphviz version.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ward_diagnostics::Diagnostic;

/// Said by `ward build` when Graphviz is missing.
pub const NO_GRAPHVIZ_NOTE: &str =
    "Graphviz is not installed: the views are drawn by Ward's built-in layout \
     (install Graphviz, e.g. `apt-get install graphviz`, for zone boxes and routed edges)";

/// In each SVG the built-in layout draws (`<desc>`) and in its caption.
pub const BUILT_IN_LAYOUT_NOTE: &str =
    "Drawn by Ward's built-in layout (Graphviz is not installed): \
     elements in columns with straight edges; no zone boxes, each element names its zone.";

/// No view should take longer: large ones are summarised before this.
const TIMEOUT: Duration = Duration::from_secs(120);

/// `dot` is on the PATH and runs.
pub fn graphviz_available() -> bool {
    Command::new("dot")
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn failure(view: &str, why: String) -> Diagnostic {
    Diagnostic::error_without_location(
        ward_diagnostics::Code::E0507,
        format!("Graphviz could not draw view `{view}`: {why}"),
    )
    .with_note("this concerns an output, not a model file")
    .with_help("the `.dot` file is still written; rerun with `--no-svg` to skip SVG")
}

/// Lays out one DOT graph as SVG.
pub fn to_svg(view: &str, dot: &str) -> Result<String, Diagnostic> {
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| failure(view, format!("cannot run `dot`: {e}")))?;
    // Input is written and output read on their own threads, so neither pipe can fill up and block.
    let mut stdin = child.stdin.take().expect("piped");
    let input = dot.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        stdout.read_to_end(&mut out).map(|_| out)
    });
    let mut stderr = child.stderr.take().expect("piped");
    let errors = std::thread::spawn(move || {
        let mut out = String::new();
        let _ = stderr.read_to_string(&mut out);
        out
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(failure(
                    view,
                    format!("`dot` took more than {} s", TIMEOUT.as_secs()),
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(failure(view, e.to_string())),
        }
    };
    let _ = writer.join();
    let stdout = reader.join().ok().and_then(Result::ok).unwrap_or_default();
    let stderr = errors.join().unwrap_or_default();
    if !status.success() {
        return Err(failure(view, stderr.trim().to_string()));
    }
    String::from_utf8(stdout).map_err(|_| failure(view, "its output is not UTF-8".into()))
}

/// The `<svg ...>...</svg>` element alone, for inlining in HTML (drops the
/// XML declaration, doctype and leading comments).
pub fn inline_svg(svg: &str) -> &str {
    svg.find("<svg").map_or(svg, |i| svg[i..].trim_end())
}
