//! One file per SPL command: its spec and its operator.

pub mod search;
