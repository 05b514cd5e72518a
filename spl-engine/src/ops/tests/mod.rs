//! Tests of the aggregation commands (`stats`, `eventstats`, `streamstats`,
//! `mstats`) over hand-built batches and ASTs, planned with
//! `plan::plan_stage` and run as operators.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

#[allow(dead_code)]
mod support;

mod eventstats;
mod mstats;
mod parsed;
mod perf;
mod stats;
mod streamstats;
