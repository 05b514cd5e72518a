#![no_main]
//! `cargo fuzz run parser`: see spl_fuzz::parser.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| spl_fuzz::parser(data));
