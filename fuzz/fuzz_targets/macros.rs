#![no_main]
//! `cargo fuzz run macros`: see spl_fuzz::macros.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| spl_fuzz::macros(data));
