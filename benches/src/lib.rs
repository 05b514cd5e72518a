//! Benchmark support crate.
