#![no_main]
//! `cargo fuzz run detection_yaml`: see spl_fuzz::detection_yaml.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| spl_fuzz::detection_yaml(data));
