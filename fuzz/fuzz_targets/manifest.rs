//! `cargo fuzz run manifest`: see `ward_fuzz::check_manifest` for what is checked.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ward_fuzz::check_manifest(data);
});
