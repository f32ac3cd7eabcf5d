//! Paths an input names for files the import writes (the SBOM, feed and
//! VEX files a Ward export keeps). They are untrusted: only a plain
//! relative path below the output folder is accepted, never one that climbs
//! out, is absolute, names a drive or a hidden entry, or would be read as
//! part of the model itself.

/// The longest path accepted, in bytes (Linux's `PATH_MAX` is 4096; real
/// SBOM and feed paths are well under 200).
pub const MAX_PATH_BYTES: usize = 1024;

/// The most files one import writes besides the model: the loader reads
/// at most 1,000 feed files, plus an SBOM per component and VEX files.
pub const MAX_KEPT_FILES: usize = 4096;

/// `path` as a `/`-separated path relative to the output folder, with `.`
/// and empty parts dropped; or why it cannot be written.
pub fn file_path(path: &str) -> Result<String, String> {
    if path.len() > MAX_PATH_BYTES {
        return Err(format!("it is over {MAX_PATH_BYTES} bytes long"));
    }
    if path.contains('\\') {
        return Err("it has a `\\`: paths are `/`-separated".into());
    }
    if path.chars().any(char::is_control) {
        return Err("it has a control character".into());
    }
    if path.starts_with('/') {
        return Err("it is absolute".into());
    }
    if path.contains(':') {
        return Err("it names a drive or a stream (`:`)".into());
    }
    let mut parts = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err("it climbs out of the model's folder (`..`)".into()),
            hidden if hidden.starts_with('.') => {
                return Err(format!("`{hidden}` is a hidden file or folder"))
            }
            part => parts.push(part),
        }
    }
    let Some(name) = parts.last() else {
        return Err("it names no file".into());
    };
    if *name == crate::MANIFEST_FILE || name.to_ascii_lowercase().ends_with(".ward") {
        return Err(format!("`{name}` would be read as part of the model"));
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::file_path;

    #[test]
    fn plain_relative_paths_are_kept_normalised() {
        assert_eq!(
            file_path("sbom/cgm-fw.cdx.json").unwrap(),
            "sbom/cgm-fw.cdx.json"
        );
        assert_eq!(file_path("./feeds//kev.json").unwrap(), "feeds/kev.json");
        assert_eq!(file_path("feeds/osv/*.json").unwrap(), "feeds/osv/*.json");
    }

    #[test]
    fn paths_out_of_the_folder_or_into_the_model_are_refused() {
        for bad in [
            "../x",
            "a/../../x",
            "a/../x",
            "/etc/x",
            "C:/x",
            "C:x",
            "a\\..\\x",
            "",
            "./",
            ".git/hooks/pre-commit",
            "a/.hidden",
            "x.ward",
            "sub/Model.WARD",
            "Ward.toml",
            "a\nb",
            "a\0b",
        ] {
            assert!(file_path(bad).is_err(), "{bad:?} is accepted");
        }
        assert!(file_path(&"a/".repeat(600)).is_err(), "a path too long");
    }
}
