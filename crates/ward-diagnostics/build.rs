//! Builds the code catalog from `docs/diagnostics/*.md`: one file per code,
//! so the text `ward explain` prints and the reference docs are the same.
use std::{env, fs, path::PathBuf};

fn main() {
    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap()).join("../../docs/diagnostics");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut entries: Vec<(String, PathBuf, String)> = Vec::new();
    for entry in fs::read_dir(&dir).expect("docs/diagnostics exists") {
        let path = entry.unwrap().path();
        println!("cargo:rerun-if-changed={}", path.display());
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().and_then(|e| e.to_str()) != Some("md") || !is_code(stem) {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let first = text.lines().next().unwrap_or("");
        let summary = first
            .strip_prefix(&format!("# {stem}:"))
            .unwrap_or_else(|| panic!("{} must start with `# {stem}: summary`", path.display()))
            .trim()
            .to_string();
        entries.push((stem.to_string(), path.canonicalize().unwrap(), summary));
    }
    entries.sort();
    let mut out = String::from(
        "/// Every diagnostic code, one variant per page of `docs/diagnostics/`, in\n\
         /// code order (the order of [`CODES`]).\n\
         #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]\n\
         #[allow(clippy::upper_case_acronyms)]\n\
         pub enum Code {\n",
    );
    for (code, _, summary) in &entries {
        out.push_str(&format!("    /// {summary}\n    {code},\n"));
    }
    out.push_str("}\n\nimpl Code {\n    /// Every code, in code order.\n    pub const ALL: &'static [Code] = &[\n");
    for (code, _, _) in &entries {
        out.push_str(&format!("        Code::{code},\n"));
    }
    out.push_str("    ];\n    /// The code as printed: `E0101`.\n    pub const fn as_str(self) -> &'static str {\n        match self {\n");
    for (code, _, _) in &entries {
        out.push_str(&format!("            Code::{code} => {code:?},\n"));
    }
    out.push_str("        }\n    }\n}\n\npub static CODES: &[CodeInfo] = &[\n");
    for (code, path, summary) in entries {
        out.push_str(&format!(
            "    CodeInfo {{ code: {code:?}, summary: {summary:?}, text: include_str!({:?}) }},\n",
            path.display().to_string()
        ));
    }
    out.push_str("];\n");
    fs::write(
        PathBuf::from(env::var("OUT_DIR").unwrap()).join("codes.rs"),
        out,
    )
    .unwrap();
}

fn is_code(s: &str) -> bool {
    s.len() == 5
        && (s.starts_with('E') || s.starts_with('W'))
        && s[1..].chars().all(|c| c.is_ascii_digit())
}
