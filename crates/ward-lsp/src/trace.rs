//! Timings of the analysis stages on stderr, when `WARD_LSP_TRACE` is set
//! (for finding where an edit's latency goes).

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| std::env::var_os("WARD_LSP_TRACE").is_some())
}

/// Reports the time since `start` under `stage`, and restarts the clock.
pub fn stage(stage: &str, start: &mut Instant) {
    if enabled() {
        eprintln!("ward-lsp: {stage}: {:.2?}", start.elapsed());
    }
    *start = Instant::now();
}
