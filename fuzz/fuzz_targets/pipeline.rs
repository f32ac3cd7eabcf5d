//! `cargo fuzz run pipeline`: see `ward_fuzz::check_pipeline` for what is checked.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ward_fuzz::check_pipeline(data);
});
