#![no_main]
//! `cargo fuzz run spltest`: see spl_fuzz::spltest.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| spl_fuzz::spltest(data));
