//! The one way Ward names content by hash.

use sha2::{Digest, Sha256};

/// The sha256 of `bytes`, in lower-case hex: the digests approvals' content
/// hashes are made of, those hashes themselves, and the CLI's last-run record.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
