#![no_main]
//! `cargo fuzz run data_parquet`: a `parquet` data file (see spl_fuzz::data_file).
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    spl_fuzz::data_file("parquet", data);
});
