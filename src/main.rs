/// The system allocator, with a bound on what a repository's template may
/// hold (see `ward_render::TemplateMemoryGuard`).
#[global_allocator]
static ALLOCATOR: ward_render::TemplateMemoryGuard = ward_render::TemplateMemoryGuard;

fn main() {
    std::process::exit(ward::cli::main());
}
