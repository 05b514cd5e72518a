#![no_main]
//! `cargo fuzz run lookup_csv`: see spl_fuzz::lookup_csv.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| spl_fuzz::lookup_csv(data));
