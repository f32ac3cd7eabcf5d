use std::path::Path;
use std::time::Instant;
include!("/tmp/gen.rs");
fn main() {
    let dir = std::env::temp_dir().join("ward-profile");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    generate(&dir);
    let mut cache = ward_model::ParseCache::new();
    let overlay = ward_model::Overlay::new();
    for round in 0..5 {
        let t = Instant::now();
        let loaded = ward_model::load(&dir, &overlay, &mut cache);
        let t_load = t.elapsed();
        let t = Instant::now();
        let compiled = ward_model::check(loaded);
        let t_check = t.elapsed();
        let t = Instant::now();
        let analysis = ward_analysis::analyze(&compiled.model);
        let t_an = t.elapsed();
        println!("round {round}: load {t_load:?} check {t_check:?} analyze {t_an:?} threats {} findings {} diags {}", analysis.threats.len(), analysis.findings.len(), compiled.diagnostics.len());
    }
    let text = std::fs::read_to_string(dir.join("part5.ward")).unwrap();
    let t = Instant::now();
    let p = ward_syntax::parse(&text, ward_diagnostics::FileId(0));
    println!(
        "parse one file: {:?} ({} errors)",
        t.elapsed(),
        p.errors.len()
    );
}
