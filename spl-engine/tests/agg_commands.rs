//! Tests of the aggregation commands over hand-built batches and ASTs.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

#[path = "agg/support.rs"]
#[allow(dead_code)]
mod support;

#[path = "agg/stats.rs"]
mod stats;

#[path = "agg/mstats.rs"]
mod mstats;

#[path = "agg/eventstats.rs"]
mod eventstats;

#[path = "agg/streamstats.rs"]
mod streamstats;

#[path = "agg/parsed.rs"]
mod parsed;

#[path = "agg/perf.rs"]
mod perf;
