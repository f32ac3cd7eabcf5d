use ward_render::*;
#[test]
fn dump() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/appendix_a.ward"
    ))
    .unwrap();
    let compiled = ward_model::compile_str("appendix_a.ward", &text);
    for d in &compiled.diagnostics {
        eprintln!("{} {}", d.code, d.message);
    }
    let analysis = ward_analysis::analyze(&compiled.model);
    let input = RenderInput {
        model: &compiled.model,
        analysis: &analysis,
        sources: &compiled.sources,
        diagnostics: &compiled.diagnostics,
    };
    let artifacts = match render_all(&input, &RenderOptions::default()) {
        Ok(a) => a,
        Err(e) => {
            for d in e {
                eprintln!("{} {}", d.code, d.message);
            }
            panic!()
        }
    };
    let out = std::path::Path::new("/tmp/ward-dump");
    let _ = std::fs::remove_dir_all(out);
    write_atomically(out, &[], &artifacts).unwrap();
}
