#![no_main]
//! `cargo fuzz run data_raw`: a `raw` data file (see spl_fuzz::data_file).
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    spl_fuzz::data_file("raw", data);
});
