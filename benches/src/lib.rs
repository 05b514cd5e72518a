//! Benchmark support crate, and the deterministic data generator behind the
//! `spl-gen` binary (committed seed fixtures and large performance inputs).

pub mod gen;
