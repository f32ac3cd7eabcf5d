fn main() {
    std::process::exit(ward::cli::main());
}
