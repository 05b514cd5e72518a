//! Registered data: event and metric datasets, and how to scan them.
//!
//! Files come in through [`open_dataset`] with a [`DataSpec`] (`--data`): JSON
//! events (JSON lines, arrays, audit `EventList`s) flattened as Splunk's `_json`
//! names fields, Splunk search-export JSON, CSV and Parquet events; metrics from
//! Splunk's metrics CSV, `mstats` exports, Parquet, HEC metric JSON and OTLP/JSON;
//! raw text events ([`raw`]: log files broken into events as Splunk does).
//! JSON-lines, raw text and CSV event files, Parquet files and metric CSV files
//! are scanned lazily with projection (and, but for CSV events, time pruning);
//! other files are read whole when opened. Gzip files, standard input and
//! directories come in through `input.rs`. Choices are listed in
//! `docs/compat-notes/ingest.md`.
//!
//! Event batches: `_time` (Float64 epoch seconds), `_raw` (Utf8) when known,
//! every other field Utf8 (single value) or List<Utf8> (multivalue). Each batch
//! may have its own schema. Metric batches: `_time` (Float64), `metric_name`
//! and dimension columns (Utf8, or `Dictionary(Int32, Utf8)` from Parquet),
//! `_value` (Float64).

mod arrow_events;
pub(crate) mod csv_events;
pub(crate) mod csv_records;
pub(crate) mod csv_util;
pub(crate) mod event_builder;
mod hec_metrics;
mod input;
mod json_docs;
mod json_events;
pub(crate) mod json_flatten;
pub mod kubearmor;
pub mod kubearmor_log;
pub(crate) mod line_limit;
mod metrics_csv;
mod metrics_shape;
mod otlp;
mod parquet_scan;
pub(crate) mod pushdown;
pub mod raw;
mod spec;
mod splunk_json;
pub(crate) mod timestamp;

pub use arrow_events::flatten_event_batch;
pub use event_builder::DEFAULT_TIME_FIELDS;
pub use json_events::{JsonLinesScan, PART_BYTES as JSON_PART_BYTES};
pub use metrics_csv::MetricsCsvScan;
pub use otlp::OtlpRollup;
pub use parquet_scan::ParquetScan;
pub use raw::{check_time_format, DatetimeConfig, IndexTimeProps, RawProps, RawScan};
pub use spec::{
    detect_format, open_dataset, open_datasets, DataFormat, DataSpec, IndexPropsSource,
};

use crate::error::Result;
use arrow_array::cast::AsArray;
use arrow_array::RecordBatch;
use std::sync::atomic::{AtomicU64, Ordering};
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
    /// Rows of a data model dataset (`--data path=F,datamodel=M.D`), read by
    /// `tstats`, `| datamodel` and `| from datamodel` only.
    DataModel,
}

/// What a scan needs: `None` columns means all.
#[derive(Debug, Clone, Default)]
pub struct ScanRequest {
    /// Only these columns are needed (others may be left out). A name may be
    /// a `*` wildcard pattern ([`ScanRequest::wants`]).
    pub columns: Option<Vec<String>>,
    /// Rows with `_time` before this may be skipped (and, when either bound
    /// is set, rows without a `_time`).
    pub earliest: Option<f64>,
    /// Rows with `_time` at or after this may be skipped.
    pub latest: Option<f64>,
    /// Where the scan counts what it reads (the search's
    /// `ExecContext::scan`), if anyone is counting.
    pub counters: Option<Arc<ScanCounters>>,
    /// The caller reads `_time` only to keep `[earliest, latest)`: a
    /// partition known to lie wholly inside the window (Parquet statistics)
    /// may then come without a `_time` column, saving its decoding.
    pub time_only_for_window: bool,
    /// Where a scan reports what it read but could not take as it is (a
    /// JSON-lines line that is not JSON, kept as raw text): the search's
    /// warnings, if anyone is listening.
    pub warnings: Option<crate::warning::Warnings>,
    /// The caller takes string columns dictionary-encoded
    /// (`Dictionary(Int32, Utf8)`) where the source has them so (Parquet
    /// column chunks with a dictionary page): a filter or a group table
    /// then looks at each distinct value once, not once per row. Sources
    /// may ignore it and give Utf8.
    pub dictionary_strings: bool,
}

impl ScanRequest {
    /// Whether column `name` is needed.
    pub fn wants(&self, name: &str) -> bool {
        match &self.columns {
            None => true,
            Some(cols) => cols.iter().any(|c| {
                c == name || (c.contains('*') && crate::batch::wildcard_match(c, name).is_some())
            }),
        }
    }

    /// Whether a row at time `t` is inside the request's window (a row
    /// without a time is outside any bounded window).
    pub fn keeps(&self, t: Option<f64>) -> bool {
        if self.earliest.is_none() && self.latest.is_none() {
            return true;
        }
        t.is_some_and(|t| self.earliest.is_none_or(|e| t >= e) && self.latest.is_none_or(|l| t < l))
    }

    /// Whether rows in `span` may be inside the request's window.
    pub fn may_keep(&self, span: &TimeSpan) -> bool {
        if self.earliest.is_none() && self.latest.is_none() {
            return true;
        }
        match span.max {
            None => false,
            Some(max) => {
                self.earliest.is_none_or(|e| max >= e)
                    && self
                        .latest
                        .is_none_or(|l| span.min.is_some_and(|min| min < l))
            }
        }
    }

    /// Counts bytes read from a file to build events.
    pub fn count_bytes(&self, n: u64) {
        if let Some(c) = &self.counters {
            c.add_bytes(n);
        }
    }

    /// Counts bytes read only to learn the time ranges of partitions.
    pub fn count_index_bytes(&self, n: u64) {
        if let Some(c) = &self.counters {
            c.add_index_bytes(n);
        }
    }
}

/// Counts what the scans of one search read (`ExecContext::scan`): the
/// evidence that a search stopped reading early, or skipped what it did not
/// need. Readers of files count bytes; the base search and `mstats` count
/// batches and rows as they receive them.
///
/// The counters are atomics, so another thread may read them while the
/// search runs ([`crate::Engine::run_query_counted`]): the CLI's progress
/// display polls them. Each source (a dataset's `source`) has its own child
/// counters ([`ScanCounters::for_source`]) that also count into their parent.
#[derive(Debug, Default)]
pub struct ScanCounters {
    /// Bytes read from files to build events.
    pub bytes_read: AtomicU64,
    /// Bytes read only to learn partitions' time ranges (an ordered search
    /// over a JSON-lines file not scanned before).
    pub bytes_indexed: AtomicU64,
    /// Batches the scans produced.
    pub batches: AtomicU64,
    /// Rows the scans produced (before the search's filter).
    pub rows: AtomicU64,
    /// The counters a source's counters also count in. Weak: the parent
    /// holds its children in `sources`, and a strong link back made a cycle
    /// that leaked every search's counters (found by the libFuzzer campaign's
    /// leak checker).
    parent: Option<std::sync::Weak<ScanCounters>>,
    /// Per-source children, in order of first read (a lock taken once per
    /// dataset scanned, never per batch).
    sources: std::sync::Mutex<Vec<(String, Arc<ScanCounters>)>>,
}

impl ScanCounters {
    fn parent(&self) -> Option<Arc<ScanCounters>> {
        self.parent.as_ref().and_then(std::sync::Weak::upgrade)
    }

    /// Counts one batch a scan produced.
    pub fn count_batch(&self, rows: usize) {
        self.batches.fetch_add(1, Ordering::Relaxed);
        self.rows.fetch_add(rows as u64, Ordering::Relaxed);
        if let Some(p) = self.parent() {
            p.count_batch(rows);
        }
    }

    /// Counts bytes read from a file to build events.
    fn add_bytes(&self, n: u64) {
        self.bytes_read.fetch_add(n, Ordering::Relaxed);
        if let Some(p) = self.parent() {
            p.add_bytes(n);
        }
    }

    /// Counts bytes read only to learn partitions' time ranges.
    fn add_index_bytes(&self, n: u64) {
        self.bytes_indexed.fetch_add(n, Ordering::Relaxed);
        if let Some(p) = self.parent() {
            p.add_index_bytes(n);
        }
    }

    /// The counters of `source` (created on first use): what they count
    /// also counts in `self`.
    pub fn for_source(self: &Arc<Self>, source: &str) -> Arc<ScanCounters> {
        let Ok(mut sources) = self.sources.lock() else {
            // a panicking reader poisoned the list: count into the total only
            return self.clone();
        };
        if let Some((_, c)) = sources.iter().find(|(s, _)| s == source) {
            return c.clone();
        }
        let c = Arc::new(ScanCounters {
            parent: Some(Arc::downgrade(self)),
            ..ScanCounters::default()
        });
        sources.push((source.to_string(), c.clone()));
        c
    }

    /// The counts so far of each source read, in order of first read.
    pub fn source_snapshots(&self) -> Vec<(String, ScanStats)> {
        self.sources
            .lock()
            .map(|s| s.iter().map(|(n, c)| (n.clone(), c.snapshot())).collect())
            .unwrap_or_default()
    }

    /// The counts so far.
    pub fn snapshot(&self) -> ScanStats {
        ScanStats {
            bytes_read: self.bytes_read.load(Ordering::Relaxed),
            bytes_indexed: self.bytes_indexed.load(Ordering::Relaxed),
            batches: self.batches.load(Ordering::Relaxed),
            rows: self.rows.load(Ordering::Relaxed),
        }
    }
}

/// What the scans of a search read (see [`ScanCounters`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanStats {
    /// Bytes read from files to build events.
    pub bytes_read: u64,
    /// Bytes read only to learn partitions' time ranges.
    pub bytes_indexed: u64,
    /// Batches the scans produced.
    pub batches: u64,
    /// Rows the scans produced (before the search's filter).
    pub rows: u64,
}

/// The `_time` range of a partition's rows, for reading partitions newest
/// first: `min`/`max` over the rows that have a time (`None` when none has),
/// and whether some row has none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeSpan {
    /// The earliest time (by `f64::total_cmp`).
    pub min: Option<f64>,
    /// The latest time (by `f64::total_cmp`).
    pub max: Option<f64>,
    /// Some row has no time.
    pub nulls: bool,
}

impl TimeSpan {
    /// The span of no rows.
    pub const EMPTY: TimeSpan = TimeSpan {
        min: None,
        max: None,
        nulls: false,
    };

    /// Widens the span by one row's time.
    pub fn add(&mut self, t: Option<f64>) {
        match t {
            None => self.nulls = true,
            Some(t) => {
                self.min = Some(
                    self.min
                        .map_or(t, |m| if t.total_cmp(&m).is_lt() { t } else { m }),
                );
                self.max = Some(
                    self.max
                        .map_or(t, |m| if t.total_cmp(&m).is_gt() { t } else { m }),
                );
            }
        }
    }

    /// The span of a batch's `_time` column (all null when it has none).
    pub fn of_batch(batch: &RecordBatch) -> TimeSpan {
        let mut span = TimeSpan::EMPTY;
        match event_times(batch) {
            Some(t) => t.iter().for_each(|v| span.add(v)),
            None if batch.num_rows() > 0 => span.nulls = true,
            None => {}
        }
        span
    }
}

/// A batch's `_time` as Float64 (text that is no number is null), or `None`
/// when it has no such column.
pub fn event_times(batch: &RecordBatch) -> Option<arrow_array::Float64Array> {
    let t = crate::batch::column(batch, "_time")?;
    let t = arrow_cast::cast(t, &arrow_schema::DataType::Float64).ok()?;
    Some(t.as_primitive::<arrow_array::types::Float64Type>().clone())
}

/// A stream of batches from a [`Scan`].
pub type BatchStream<'a> = Box<dyn Iterator<Item = Result<RecordBatch>> + Send + 'a>;

/// Partitions `0..parts` of `scan` in order as one stream, each read only
/// when the one before is used up; the stream ends after the first error.
/// (A partitioned scan's `scan`.)
pub(crate) fn partitions_in_order<'a, S: Scan + ?Sized>(
    scan: &'a S,
    req: &ScanRequest,
    parts: usize,
) -> BatchStream<'a> {
    let req = req.clone();
    let mut current: Option<BatchStream<'a>> = None;
    let mut next_part = 0;
    Box::new(std::iter::from_fn(move || loop {
        if let Some(batch) = current.as_mut().and_then(Iterator::next) {
            return Some(batch);
        }
        if next_part >= parts {
            return None;
        }
        next_part += 1;
        match scan.scan_partition(&req, next_part - 1) {
            Ok(s) => current = Some(s),
            Err(e) => {
                next_part = parts;
                return Some(Err(e));
            }
        }
    }))
}

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

    /// [`Scan::scan`] (`part` `None`) or [`Scan::scan_partition`] with row
    /// tests the source may apply while decoding, so that the columns the
    /// tests do not read are decoded only for the rows that pass them
    /// (`pushdown.rs`). A source may ignore the tests (the default): the
    /// caller filters the rows again.
    fn scan_pushed(
        &self,
        req: &ScanRequest,
        part: Option<usize>,
        _tests: &[pushdown::ColumnTest],
    ) -> Result<BatchStream<'_>> {
        match part {
            None => self.scan(req),
            Some(p) => self.scan_partition(req, p),
        }
    }

    /// The time span of each partition of this request's scan, so that an
    /// ordered search can read the newest first and stop early; `None` when
    /// the scan cannot tell (it is then read whole and sorted). A scan may
    /// have to read its data once to answer (a JSON-lines file not scanned
    /// before).
    fn partition_spans(&self, _req: &ScanRequest) -> Result<Option<Vec<TimeSpan>>> {
        Ok(None)
    }

    /// Whether rows may carry a field of this name (for the default fields
    /// `index`, `source`, `sourcetype`, `host`: when none does, the dataset's
    /// own value applies to every row and a search can skip the dataset on
    /// it alone).
    fn may_carry(&self, _field: &str) -> Result<bool> {
        Ok(true)
    }

    /// [`Scan::may_carry`] when it costs no pass over the data (a header, a
    /// schema, a format that has no such fields); `None` otherwise.
    fn carries_known(&self, _field: &str) -> Option<bool> {
        None
    }

    /// Whether the fields of each event's `_raw` were extracted when read
    /// (JSON: Splunk's `INDEXED_EXTRACTIONS`), so that automatic key/value
    /// extraction at search time has nothing to add.
    fn raw_extracted(&self) -> bool {
        false
    }

    /// The event breaking and timestamp settings a raw text scan was opened
    /// with (`None` for every other scan).
    fn raw_props(&self) -> Option<&RawProps> {
        None
    }
}

/// Batches held in memory, scanned as they are: event batches must already
/// be in the event shape (the readers' output; [`MemoryScan::events`] brings
/// batches from elsewhere into it), metric batches in the metric shape.
pub struct MemoryScan(pub Vec<RecordBatch>);

impl MemoryScan {
    /// Event batches from elsewhere (an application, Python), flattened as
    /// the file readers flatten them ([`flatten_event_batch`]: struct
    /// columns become `a.b` fields, lists multivalue fields); `time_field`
    /// names the column holding the time (default `_time`), and `display`
    /// names the data in errors.
    pub fn events(
        batches: Vec<RecordBatch>,
        time_field: Option<&str>,
        display: &str,
    ) -> Result<MemoryScan> {
        let flat = batches
            .iter()
            .map(|b| flatten_event_batch(b, time_field, display))
            .collect::<Result<_>>()?;
        Ok(MemoryScan(flat))
    }
}

impl Scan for MemoryScan {
    fn scan(&self, _req: &ScanRequest) -> Result<BatchStream<'_>> {
        Ok(Box::new(self.0.iter().cloned().map(Ok)))
    }

    fn partition_spans(&self, _req: &ScanRequest) -> Result<Option<Vec<TimeSpan>>> {
        Ok(Some(self.0.iter().map(TimeSpan::of_batch).collect()))
    }

    fn may_carry(&self, field: &str) -> Result<bool> {
        Ok(self
            .0
            .iter()
            .any(|b| b.schema_ref().index_of(field).is_ok()))
    }

    fn carries_known(&self, field: &str) -> Option<bool> {
        self.may_carry(field).ok()
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
    /// For [`DataKind::DataModel`]: the dataset its rows belong to (`M.D`).
    pub datamodel: Option<String>,
}
