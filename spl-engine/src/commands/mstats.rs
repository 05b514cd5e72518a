//! `mstats` (in progress).
