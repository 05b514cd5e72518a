//! Executes Splunk SPL searches over Apache Arrow record batches.
//!
//! The stages are described in `ARCHITECTURE.md`: macro expansion and parsing
//! live in `spl-parser`; this crate binds the AST to operators ([`plan`]) and
//! runs them over [`arrow_array::RecordBatch`]es ([`operator`]).

pub mod aggregate;
pub mod batch;
pub mod commands;
pub mod context;
pub mod error;
pub mod eval;
pub mod filter;
pub mod geoip;
pub mod lookup;
pub mod operator;
pub(crate) mod ops;
pub mod pcre;
pub mod plan;
pub mod render;
pub mod session;
pub mod source;
pub mod spec;
pub mod time;
pub mod value;
pub mod warning;

pub use context::ExecContext;
pub use error::{EngineError, Result};
