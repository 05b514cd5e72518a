#![no_main]
//! `cargo fuzz run kubearmor_policy`: see spl_fuzz::kubearmor_policy.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| spl_fuzz::kubearmor_policy(data));
