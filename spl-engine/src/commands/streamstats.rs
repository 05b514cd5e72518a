//! `streamstats` (in progress).
