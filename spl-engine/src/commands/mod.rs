//! One file per SPL command: its spec and its operator.

pub mod eventstats;
pub(crate) mod groupby;
pub mod mstats;
pub mod search;
pub mod stats;
pub mod streamstats;
