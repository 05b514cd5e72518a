//! Aggregation functions shared by `stats`, `eventstats`, `streamstats`,
//! `mstats` and `tstats`.
