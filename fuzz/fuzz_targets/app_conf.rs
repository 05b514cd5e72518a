#![no_main]
//! `cargo fuzz run app_conf`: see spl_fuzz::app_conf.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| spl_fuzz::app_conf(data));
