//! The embedding API: register data, macros, lookups, a GeoIP database and the
//! clock, then run searches.
//!
//! ```
//! use spl_engine::session::Engine;
//! use spl_engine::source::SourceMeta;
//! use arrow_array::{RecordBatch, StringArray, Float64Array};
//! use arrow_schema::{Schema, Field, DataType};
//! use std::sync::Arc;
//!
//! let schema = Arc::new(Schema::new(vec![
//!     Field::new("_time", DataType::Float64, true),
//!     Field::new("user", DataType::Utf8, true),
//! ]));
//! let batch = RecordBatch::try_new(schema, vec![
//!     Arc::new(Float64Array::from(vec![1.0, 2.0])),
//!     Arc::new(StringArray::from(vec!["alice", "bob"])),
//! ]).unwrap();
//! let engine = Engine::builder(1_700_000_000.0)
//!     .add_events(SourceMeta::new("main", "users.json", "_json"), vec![batch])
//!     .build();
//! let result = engine.run("index=main user=ALICE").unwrap();
//! assert_eq!(result.num_rows(), 1);
//! ```

use crate::context::{CompatOptions, ExecContext};
use crate::error::Result;
use crate::plan;
use crate::source::{Catalog, DataKind, Dataset, MemoryScan, SourceMeta};
use arrow_array::RecordBatch;
use std::sync::Arc;

/// A configured engine. Cheap to clone; each `run` is independent.
#[derive(Clone)]
pub struct Engine {
    ctx: ExecContext,
}

/// Builds an [`Engine`].
pub struct EngineBuilder {
    ctx: ExecContext,
    catalog: Catalog,
}

impl Engine {
    /// Starts a builder whose clock reads `now` (epoch seconds): relative
    /// times and `now()` resolve against it, never against the system clock.
    pub fn builder(now: f64) -> EngineBuilder {
        EngineBuilder {
            ctx: ExecContext::new(now),
            catalog: Catalog::default(),
        }
    }

    /// The execution context searches run with.
    pub fn context(&self) -> &ExecContext {
        &self.ctx
    }

    /// Parses an already macro-expanded search and runs it.
    pub fn run(&self, query: &str) -> Result<QueryResult> {
        let q = spl_parser::parse(query)?;
        self.run_query(&q)
    }

    /// Runs a parsed search.
    pub fn run_query(&self, q: &spl_parser::ast::Query) -> Result<QueryResult> {
        let batches = plan::execute(&q.pipeline, &self.ctx)?;
        Ok(QueryResult { batches })
    }
}

impl EngineBuilder {
    /// Registers in-memory events.
    pub fn add_events(mut self, meta: SourceMeta, batches: Vec<RecordBatch>) -> Self {
        self.catalog.datasets.push(Dataset {
            meta,
            kind: DataKind::Events,
            scan: Arc::new(MemoryScan(batches)),
        });
        self
    }

    /// Registers in-memory metric data points (`_time`, `metric_name`, `_value`, dimensions).
    pub fn add_metrics(mut self, meta: SourceMeta, batches: Vec<RecordBatch>) -> Self {
        self.catalog.datasets.push(Dataset {
            meta,
            kind: DataKind::Metrics,
            scan: Arc::new(MemoryScan(batches)),
        });
        self
    }

    /// Registers a dataset (for example one opened from a file).
    pub fn add_dataset(mut self, dataset: Dataset) -> Self {
        self.catalog.datasets.push(dataset);
        self
    }

    /// Sets the user's time zone (default UTC).
    pub fn time_zone(mut self, tz: jiff::tz::TimeZone) -> Self {
        self.ctx.tz = tz;
        self
    }

    /// Sets the time picker's range as modifiers (`-24h`, `@d`, epoch, ...),
    /// resolved against the clock. `None` leaves that side unbounded.
    pub fn time_range(mut self, earliest: Option<&str>, latest: Option<&str>) -> Result<Self> {
        let r = |t: &str| crate::time::resolve_time_modifier(t, self.ctx.now, &self.ctx.tz);
        self.ctx.earliest = earliest.map(r).transpose()?;
        self.ctx.latest = latest.map(r).transpose()?;
        Ok(self)
    }

    /// Sets the compatibility switches.
    pub fn compat(mut self, compat: CompatOptions) -> Self {
        self.ctx.compat = compat;
        self
    }

    /// Sets the number of worker threads (1 = truly one).
    pub fn threads(mut self, n: usize) -> Self {
        self.ctx.threads = n.max(1);
        self
    }

    /// Finishes the engine.
    pub fn build(mut self) -> Engine {
        self.ctx.catalog = Arc::new(self.catalog);
        Engine { ctx: self.ctx }
    }
}

/// The rows a search returned, as batches that may have different schemas.
#[derive(Debug, Clone, Default)]
pub struct QueryResult {
    /// Output batches in order.
    pub batches: Vec<RecordBatch>,
}

impl QueryResult {
    /// Total number of rows.
    pub fn num_rows(&self) -> usize {
        self.batches.iter().map(|b| b.num_rows()).sum()
    }

    /// All rows in one batch over the union of the fields (first-appearance order).
    pub fn to_batch(&self) -> Result<RecordBatch> {
        crate::batch::concat_unified(&self.batches)
    }
}

impl SourceMeta {
    /// Metadata with an index, source and sourcetype, and no host.
    pub fn new(index: &str, source: &str, sourcetype: &str) -> Self {
        SourceMeta {
            index: index.to_string(),
            source: source.to_string(),
            sourcetype: sourcetype.to_string(),
            host: None,
        }
    }
}
