//! Registered data: event and metric datasets, and how to scan them.
//!
//! Files come in through [`open_dataset`] with a [`DataSpec`] (`--data`): JSON
//! events (JSON lines, arrays, audit `EventList`s) flattened as Splunk's `_json`
//! names fields, Splunk search-export JSON, CSV and Parquet events; metrics from
//! Splunk's metrics CSV, `mstats` exports, Parquet, HEC metric JSON and OTLP/JSON.
//! Event files are read when opened; metric CSV and Parquet files are scanned
//! lazily with projection and time pruning. Choices are listed in
//! `docs/compat-notes/ingest.md`.
//!
//! Event batches: `_time` (Float64 epoch seconds), `_raw` (Utf8) when known,
//! every other field Utf8 (single value) or List<Utf8> (multivalue). Each batch
//! may have its own schema. Metric batches: `_time` (Float64), `metric_name`
//! and dimension columns (Utf8, or `Dictionary(Int32, Utf8)` from Parquet),
//! `_value` (Float64).

pub(crate) mod csv_events;
pub(crate) mod csv_records;
pub(crate) mod csv_util;
pub(crate) mod event_builder;
mod hec_metrics;
mod json_docs;
mod json_events;
pub(crate) mod json_flatten;
pub mod kubearmor;
pub mod kubearmor_log;
mod metrics_csv;
mod metrics_shape;
mod otlp;
mod parquet_scan;
mod spec;
mod splunk_json;
pub(crate) mod timestamp;

pub use event_builder::DEFAULT_TIME_FIELDS;
pub use metrics_csv::MetricsCsvScan;
pub use otlp::OtlpRollup;
pub use parquet_scan::ParquetScan;
pub use spec::{detect_format, open_dataset, DataFormat, DataSpec};

use crate::error::Result;
use arrow_array::RecordBatch;
use std::sync::Arc;

/// Where a dataset came from: Splunk's default fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceMeta {
    /// `index` (default `main`).
    pub index: String,
    /// `source` (default: the file path).
    pub source: String,
    /// `sourcetype`.
    pub sourcetype: String,
    /// `host`, if known.
    pub host: Option<String>,
}

/// Events or metric data points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataKind {
    /// Events (searched by `search`).
    Events,
    /// Metric data points (searched by `mstats`).
    Metrics,
}

/// What a scan needs: `None` columns means all.
#[derive(Debug, Clone, Default)]
pub struct ScanRequest {
    /// Only these columns are needed (others may be left out).
    pub columns: Option<Vec<String>>,
    /// Rows with `_time` before this may be skipped.
    pub earliest: Option<f64>,
    /// Rows with `_time` at or after this may be skipped.
    pub latest: Option<f64>,
    /// The caller reads `_time` only to keep `[earliest, latest)`: a
    /// partition known to lie wholly inside the window (Parquet statistics)
    /// may then come without a `_time` column, saving its decoding.
    pub time_only_for_window: bool,
}

/// A stream of batches from a [`Scan`].
pub type BatchStream<'a> = Box<dyn Iterator<Item = Result<RecordBatch>> + Send + 'a>;

/// A scannable source of batches (in memory or a file read lazily).
///
/// A scan is made of independent partitions (a Parquet row group, a batch in
/// memory) that workers may read in parallel; their concatenation in
/// partition order is [`Scan::scan`].
pub trait Scan: Send + Sync {
    /// Produces the batches; may apply the request's projection and time pruning.
    fn scan(&self, req: &ScanRequest) -> Result<BatchStream<'_>>;

    /// Number of partitions of this request's scan.
    fn partitions(&self, _req: &ScanRequest) -> usize {
        1
    }

    /// The batches of partition `part` (`0..partitions(req)`).
    fn scan_partition(&self, req: &ScanRequest, part: usize) -> Result<BatchStream<'_>> {
        match part {
            0 => self.scan(req),
            _ => Ok(Box::new(std::iter::empty())),
        }
    }
}

/// Batches held in memory.
pub struct MemoryScan(pub Vec<RecordBatch>);

impl Scan for MemoryScan {
    fn scan(&self, _req: &ScanRequest) -> Result<BatchStream<'_>> {
        Ok(Box::new(self.0.iter().cloned().map(Ok)))
    }

    fn partitions(&self, _req: &ScanRequest) -> usize {
        self.0.len()
    }

    fn scan_partition(&self, _req: &ScanRequest, part: usize) -> Result<BatchStream<'_>> {
        Ok(Box::new(self.0.get(part).cloned().into_iter().map(Ok)))
    }
}

/// One registered dataset.
#[derive(Clone)]
pub struct Dataset {
    /// Default fields.
    pub meta: SourceMeta,
    /// Events or metrics.
    pub kind: DataKind,
    /// The data.
    pub scan: Arc<dyn Scan>,
}
