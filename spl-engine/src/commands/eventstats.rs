//! `eventstats` (in progress).
