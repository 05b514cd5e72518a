//! Executes Splunk SPL searches over Apache Arrow record batches.
//!
//! The embedding API: build an [`Engine`](session::Engine) with a clock, data
//! ([`source`]), lookups ([`lookup`]), a GeoIP database ([`geoip`]) and
//! macros, run searches, and read [`QueryResult`](session::QueryResult)s
//! (printed with [`render`]); errors are [`EngineError`]s. [`registry`] says
//! what the engine runs (commands, functions) for help and docs; [`value`]
//! how SPL values live in Arrow; [`time`] the time modifiers and ranges.
//! Everything else is internal; `ARCHITECTURE.md` describes it.

pub(crate) mod aggregate;
pub mod atomic_file;
pub(crate) mod batch;
pub(crate) mod commands;
pub mod context;
pub mod datamodel;
pub mod error;
pub(crate) mod eval;
pub mod explain;
pub(crate) mod filter;
pub mod geoip;
pub(crate) mod knowledge;
pub mod limits;
pub mod lookup;
pub(crate) mod operator;
pub(crate) mod ops;
pub(crate) mod pcre;
pub(crate) mod plan;
pub mod registry;
pub mod render;
pub mod session;
pub mod source;
pub(crate) mod spec;
pub mod text_file;
pub mod time;
pub mod value;
pub mod warning;

pub use context::ExecContext;
pub use error::{EngineError, Result};
pub use session::{Engine, EngineBuilder, QueryResult};
