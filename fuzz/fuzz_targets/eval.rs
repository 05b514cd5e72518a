#![no_main]
//! `cargo fuzz run eval`: see spl_fuzz::eval.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    spl_fuzz::eval(data);
});
