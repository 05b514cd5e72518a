//! Parser throughput over the corpus.
#![allow(missing_docs)]
fn main() {}
