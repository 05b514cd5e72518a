//! Lazy Parquet scans for events and metrics.
//!
//! The footer is read once when the dataset is opened; each scan opens the file
//! again and reads only the row groups whose `_time` statistics overlap the
//! request's time range and only the requested columns, one batch at a time, so
//! memory stays bounded however large the file.
//!
//! Event columns come out in the event shape of [`super::arrow_events`] (struct
//! columns flattened to `a.b` names, lists multivalue), shared with batches
//! handed in from memory. `_time` is Float64 epoch seconds from the time field
//! (integer or float epochs, Arrow timestamps, or time text).

use super::arrow_events::event_column;
use super::event_builder::DEFAULT_TIME_FIELDS;
use super::metrics_shape::{finish_metric_batch, time_mask, time_to_f64, MetricColumns};
use super::pushdown::ColumnTest;
use super::timestamp::epoch_from_number;
use super::{BatchStream, Scan, ScanRequest, TimeSpan};
use crate::error::{EngineError, Result};
use arrow_array::{ArrayRef, BooleanArray, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef, TimeUnit};
use parquet::arrow::arrow_reader::{
    ArrowPredicate, ArrowPredicateFn, ArrowReaderMetadata, ArrowReaderOptions,
    ParquetRecordBatchReaderBuilder, RowFilter,
};
use parquet::arrow::ProjectionMask;
use parquet::file::statistics::Statistics;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const PARQUET_BATCH_ROWS: usize = 16384;

enum Mode {
    Events { time: Option<usize> },
    Metrics { layout: MetricColumns },
}

/// A Parquet file scanned lazily.
pub struct ParquetScan {
    path: PathBuf,
    display: String,
    meta: ArrowReaderMetadata,
    /// Events: `meta` with the string columns that are dictionary-encoded
    /// in every row group read as `Dictionary(Int32, Utf8)`, for requests
    /// that take dictionaries ([`ScanRequest::dictionary_strings`]); `None`
    /// when no column is.
    dict_meta: Option<ArrowReaderMetadata>,
    names: Vec<String>,
    mode: Mode,
}

fn parquet_error(display: &str, e: impl std::fmt::Display) -> EngineError {
    EngineError::data(display, None, None, format!("invalid parquet file: {e}"))
}

fn open_file(path: &Path, display: &str) -> Result<File> {
    File::open(path).map_err(|source| EngineError::Io {
        path: display.to_string(),
        source,
    })
}

fn load(path: &Path, display: &str) -> Result<(ArrowReaderMetadata, Vec<String>)> {
    let file = open_file(path, display)?;
    let meta = ArrowReaderMetadata::load(&file, ArrowReaderOptions::new())
        .map_err(|e| parquet_error(display, e))?;
    check_chunks(&meta, display)?;
    let names = meta
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    Ok((meta, names))
}

/// Rejects a footer whose column chunks start at or span a negative byte
/// count: the parquet crate asserts on them when reading (`byte_range`),
/// so a corrupted file would panic (found by `spl-fuzz`, issue 15).
fn check_chunks(meta: &ArrowReaderMetadata, display: &str) -> Result<()> {
    for (g, rg) in meta.metadata().row_groups().iter().enumerate() {
        for c in rg.columns() {
            let start = c.dictionary_page_offset().unwrap_or(c.data_page_offset());
            if start < 0 || c.compressed_size() < 0 {
                return Err(parquet_error(
                    display,
                    format!(
                        "row group {g}, column `{}`: negative offset {start} or size {}",
                        c.column_path(),
                        c.compressed_size()
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The same metadata with every top-level string column read as
/// `Dictionary(Int32, Utf8)`.
fn with_dictionary_strings(
    meta: ArrowReaderMetadata,
) -> std::result::Result<ArrowReaderMetadata, parquet::errors::ParquetError> {
    with_dictionary_strings_where(meta, |_| true)
}

/// The same metadata with the top-level string columns `pick` accepts (by
/// index) read as `Dictionary(Int32, Utf8)`.
fn with_dictionary_strings_where(
    meta: ArrowReaderMetadata,
    pick: impl Fn(usize) -> bool,
) -> std::result::Result<ArrowReaderMetadata, parquet::errors::ParquetError> {
    let fields: Vec<Field> = meta
        .schema()
        .fields()
        .iter()
        .enumerate()
        .map(|(i, f)| match f.data_type() {
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View if pick(i) => {
                f.as_ref().clone().with_data_type(DataType::Dictionary(
                    Box::new(DataType::Int32),
                    Box::new(DataType::Utf8),
                ))
            }
            _ => f.as_ref().clone(),
        })
        .collect();
    let schema = Arc::new(Schema::new_with_metadata(
        fields,
        meta.schema().metadata().clone(),
    ));
    ArrowReaderMetadata::try_new(
        meta.metadata().clone(),
        ArrowReaderOptions::new().with_schema(schema),
    )
}

/// For events: the metadata reading as dictionaries the top-level string
/// columns (other than the time field) whose column chunks have a
/// dictionary page in row groups holding at least half the rows. Such a
/// chunk decodes to codes and one shared dictionary; a chunk written plain
/// (a writer falls back to plain when a chunk has too many distinct values)
/// is instead hashed into a dictionary per batch, slower than reading its
/// strings, so a column mostly plain is read as strings.
fn events_dictionary_meta(
    meta: &ArrowReaderMetadata,
    names: &[String],
    time: Option<usize>,
) -> Option<ArrowReaderMetadata> {
    let md = meta.metadata();
    let leaves = md.file_metadata().schema_descr().columns();
    let mostly_dict = |i: usize| -> bool {
        let Some(name) = names.get(i) else {
            return false;
        };
        if Some(i) == time {
            return false;
        }
        let Some(leaf) = leaves.iter().position(|c| c.path().string() == *name) else {
            return false;
        };
        let (mut dict_rows, mut rows) = (0i64, 0i64);
        for rg in md.row_groups() {
            rows += rg.num_rows();
            if rg
                .columns()
                .get(leaf)
                .is_some_and(|c| c.dictionary_page_offset().is_some())
            {
                dict_rows += rg.num_rows();
            }
        }
        rows > 0 && dict_rows * 2 >= rows
    };
    let any = meta.schema().fields().iter().enumerate().any(|(i, f)| {
        matches!(
            f.data_type(),
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
        ) && mostly_dict(i)
    });
    if !any {
        return None;
    }
    with_dictionary_strings_where(meta.clone(), mostly_dict).ok()
}

/// True when the file's columns are a metrics table.
pub(crate) fn has_metric_columns(path: &Path, display: &str) -> Result<bool> {
    let (_, names) = load(path, display)?;
    Ok(MetricColumns::from_names(&names).is_some())
}

impl ParquetScan {
    /// Opens an events file; `time_field` names the time column.
    pub fn open_events(path: PathBuf, display: String, time_field: Option<String>) -> Result<Self> {
        let (meta, names) = load(&path, &display)?;
        let time = match &time_field {
            Some(f) => Some(names.iter().position(|n| n == f).ok_or_else(|| {
                EngineError::data(
                    &display,
                    None,
                    Some(f),
                    "expected the time field among the columns, found no such column",
                )
            })?),
            None => DEFAULT_TIME_FIELDS
                .iter()
                .find_map(|c| names.iter().position(|n| n == c)),
        };
        let dict_meta = events_dictionary_meta(&meta, &names, time);
        Ok(ParquetScan {
            path,
            display,
            meta,
            dict_meta,
            names,
            mode: Mode::Events { time },
        })
    }

    /// Opens a metrics file (`_time`/`metric_timestamp`, `metric_name`, `_value`, dims).
    ///
    /// String columns are read as dictionaries: Parquet writers dictionary-encode
    /// them, so `mstats` gets the codes without materialising one string per
    /// point and interns each distinct value once per batch.
    pub fn open_metrics(path: PathBuf, display: String) -> Result<Self> {
        let (meta, names) = load(&path, &display)?;
        let meta = with_dictionary_strings(meta).map_err(|e| parquet_error(&display, e))?;
        let layout = MetricColumns::from_names(&names).ok_or_else(|| {
            EngineError::data(
                &display,
                None,
                None,
                format!(
                    "expected metric columns (`_time` or `metric_timestamp`, `metric_name`, `_value`), found {}",
                    names.join(",")
                ),
            )
        })?;
        Ok(ParquetScan {
            path,
            display,
            meta,
            dict_meta: None,
            names,
            mode: Mode::Metrics { layout },
        })
    }

    fn time_index(&self) -> Option<usize> {
        match &self.mode {
            Mode::Events { time } => *time,
            Mode::Metrics { layout } => Some(layout.time),
        }
    }

    /// Row groups that may hold rows in the request's time range.
    fn row_groups(&self, req: &ScanRequest) -> Vec<usize> {
        let n = self.meta.metadata().num_row_groups();
        if req.earliest.is_none() && req.latest.is_none() {
            return (0..n).collect();
        }
        let lo = req.earliest.unwrap_or(f64::NEG_INFINITY);
        let hi = req.latest.unwrap_or(f64::INFINITY);
        (0..n)
            .filter(|&rg| match self.time_range(rg) {
                Some((min, max)) => max >= lo && min < hi,
                None => true,
            })
            .collect()
    }

    /// True when every row of row group `rg` is inside `[earliest, latest)`
    /// by its statistics (and the time column has no nulls).
    fn inside_window(&self, rg: usize, req: &ScanRequest) -> bool {
        let lo = req.earliest.unwrap_or(f64::NEG_INFINITY);
        let hi = req.latest.unwrap_or(f64::INFINITY);
        self.time_nulls(rg) == Some(0)
            && self
                .time_range(rg)
                .is_some_and(|(min, max)| min >= lo && max < hi)
    }

    /// Rows of row group `rg` without a time, by its statistics.
    fn time_nulls(&self, rg: usize) -> Option<u64> {
        self.meta
            .metadata()
            .row_group(rg)
            .columns()
            .get(self.time_leaf()?)?
            .statistics()?
            .null_count_opt()
    }

    fn time_leaf(&self) -> Option<usize> {
        let name = self.time_index().and_then(|i| self.names.get(i))?;
        self.meta
            .metadata()
            .file_metadata()
            .schema_descr()
            .columns()
            .iter()
            .position(|c| c.path().string() == *name)
    }

    /// Epoch seconds (min, max) of row group `rg`'s time column from its
    /// statistics; `None` when unknown (text times, no statistics).
    fn time_range(&self, rg: usize) -> Option<(f64, f64)> {
        let time_name = self.time_index().and_then(|i| self.names.get(i))?;
        let scale = match self
            .meta
            .schema()
            .field_with_name(time_name)
            .map(|f| f.data_type().clone())
        {
            Ok(DataType::Timestamp(unit, _)) => Some(match unit {
                TimeUnit::Second => 1.0,
                TimeUnit::Millisecond => 1e3,
                TimeUnit::Microsecond => 1e6,
                TimeUnit::Nanosecond => 1e9,
            }),
            Ok(dt) if dt.is_numeric() => None,
            _ => return None, // text times: no usable statistics
        };
        let to_secs = |v: f64| match scale {
            Some(s) => Some(v / s),
            None => epoch_from_number(v),
        };
        let md = self.meta.metadata();
        let stats = md
            .row_group(rg)
            .columns()
            .get(self.time_leaf()?)?
            .statistics();
        let (min, max) = match stats {
            Some(Statistics::Int64(s)) => (
                s.min_opt().map(|&v| v as f64),
                s.max_opt().map(|&v| v as f64),
            ),
            Some(Statistics::Int32(s)) => (
                s.min_opt().map(|&v| v as f64),
                s.max_opt().map(|&v| v as f64),
            ),
            Some(Statistics::Double(s)) => (s.min_opt().copied(), s.max_opt().copied()),
            Some(Statistics::Float(s)) => (
                s.min_opt().map(|&v| v as f64),
                s.max_opt().map(|&v| v as f64),
            ),
            _ => (None, None),
        };
        Some((min.and_then(to_secs)?, max.and_then(to_secs)?))
    }

    fn projection(&self, req: &ScanRequest) -> Vec<usize> {
        match &self.mode {
            Mode::Metrics { layout } => layout.input_projection(&self.names, req),
            Mode::Events { time } => match &req.columns {
                None => (0..self.names.len()).collect(),
                Some(cols) => (0..self.names.len())
                    .filter(|&i| {
                        Some(i) == *time
                            || self.names.get(i).is_some_and(|n| {
                                n == "_raw"
                                    || cols
                                        .iter()
                                        .any(|c| c == n || c.starts_with(&format!("{n}.")))
                            })
                    })
                    .collect(),
            },
        }
    }
}

impl Scan for ParquetScan {
    fn scan(&self, req: &ScanRequest) -> Result<BatchStream<'_>> {
        self.read(req, self.row_groups(req), true, &[])
    }

    /// Events: the tests on top-level, non-nested columns are evaluated
    /// first, one row group at a time, and the other columns are decoded
    /// only for the rows that pass (parquet's `RowFilter`).
    fn scan_pushed(
        &self,
        req: &ScanRequest,
        part: Option<usize>,
        tests: &[ColumnTest],
    ) -> Result<BatchStream<'_>> {
        let groups = self.row_groups(req);
        let groups = match part {
            None => groups,
            Some(p) => groups.get(p).map(|&g| vec![g]).unwrap_or_default(),
        };
        self.read(req, groups, true, tests)
    }

    /// A field the schema (flattened) does not name is in no row.
    fn carries_known(&self, field: &str) -> Option<bool> {
        Some(self.names.iter().any(|n| n == field))
    }

    /// One partition per row group left after time pruning.
    fn partitions(&self, req: &ScanRequest) -> usize {
        self.row_groups(req).len()
    }

    /// Each row group's span from its `_time` statistics, so an ordered
    /// search (`head`) reads the newest row groups first and stops; `None`
    /// when any row group has none (text times, statistics not written).
    fn partition_spans(&self, req: &ScanRequest) -> Result<Option<Vec<TimeSpan>>> {
        let mut spans = Vec::new();
        for rg in self.row_groups(req) {
            let Some((min, max)) = self.time_range(rg) else {
                return Ok(None);
            };
            let nulls = self.time_nulls(rg).is_none_or(|n| n > 0);
            spans.push(TimeSpan {
                min: Some(min),
                max: Some(max),
                nulls,
            });
        }
        Ok(Some(spans))
    }

    fn scan_partition(&self, req: &ScanRequest, part: usize) -> Result<BatchStream<'_>> {
        let Some(&group) = self.row_groups(req).get(part) else {
            return Ok(Box::new(std::iter::empty()));
        };
        let with_time = !(req.time_only_for_window
            && matches!(self.mode, Mode::Metrics { .. })
            && self.inside_window(group, req));
        self.read(req, vec![group], with_time, &[])
    }
}

impl ParquetScan {
    /// The tests among `tests` this file can apply while decoding: events
    /// only, on a column of the projection, and none when the file has a
    /// structure (its fields are flattened to `a.b` names, which a test's
    /// column could then share). Each with the column's index.
    fn pushable<'t>(
        &self,
        tests: &'t [ColumnTest],
        projection: &[usize],
    ) -> Vec<(usize, &'t ColumnTest)> {
        if !matches!(self.mode, Mode::Events { .. })
            || self
                .meta
                .schema()
                .fields()
                .iter()
                .any(|f| matches!(f.data_type(), DataType::Struct(_)))
        {
            return Vec::new();
        }
        tests
            .iter()
            .filter_map(|t| {
                let i = self.names.iter().position(|n| *n == t.column)?;
                projection.contains(&i).then_some((i, t))
            })
            .collect()
    }

    /// Reads the given row groups with the request's projection (metrics:
    /// without the time column unless `with_time`), applying the `tests`
    /// it can ([`ParquetScan::pushable`]) while decoding.
    fn read(
        &self,
        req: &ScanRequest,
        row_groups: Vec<usize>,
        with_time: bool,
        tests: &[ColumnTest],
    ) -> Result<BatchStream<'_>> {
        let mut projection = self.projection(req);
        if !with_time {
            projection.retain(|&i| Some(i) != self.time_index());
        }
        let keep_dict = req.dictionary_strings && matches!(self.mode, Mode::Events { .. });
        let meta = match (&self.dict_meta, keep_dict) {
            (Some(d), true) => d.clone(),
            _ => self.meta.clone(),
        };
        let pushed: Vec<(usize, ColumnTest)> = self
            .pushable(tests, &projection)
            .into_iter()
            .map(|(i, t)| (i, t.clone()))
            .collect();
        // with tests, one reader per row group: the sync reader evaluates
        // the tests of all its row groups when built, and holds the rows
        // selected until read
        let units: Vec<Vec<usize>> = if pushed.is_empty() {
            vec![row_groups]
        } else {
            row_groups.into_iter().map(|g| vec![g]).collect()
        };
        let req = req.clone();
        let readers = units.into_iter().flat_map(move |groups| {
            match self.reader(&meta, &projection, groups, &pushed, keep_dict) {
                Ok(r) => {
                    let projection = projection.clone();
                    let req = req.clone();
                    Box::new(r.map(move |b| {
                        self.finish_batch(b, &projection, &req, with_time, keep_dict)
                    })) as BatchStream<'_>
                }
                Err(e) => Box::new(std::iter::once(Err(e))),
            }
        });
        Ok(Box::new(readers))
    }

    /// A reader of `groups` with `projection`, the `pushed` tests as a
    /// row filter (each on its own column, in order).
    fn reader(
        &self,
        meta: &ArrowReaderMetadata,
        projection: &[usize],
        groups: Vec<usize>,
        pushed: &[(usize, ColumnTest)],
        keep_dict: bool,
    ) -> Result<parquet::arrow::arrow_reader::ParquetRecordBatchReader> {
        let descr = self.meta.metadata().file_metadata().schema_descr();
        let mask = ProjectionMask::roots(descr, projection.to_vec());
        let mut builder = ParquetRecordBatchReaderBuilder::new_with_metadata(
            open_file(&self.path, &self.display)?,
            meta.clone(),
        )
        .with_projection(mask)
        .with_row_groups(groups)
        .with_batch_size(PARQUET_BATCH_ROWS);
        if !pushed.is_empty() {
            let predicates: Vec<Box<dyn ArrowPredicate>> = pushed
                .iter()
                .map(|(i, t)| {
                    let name = t.column.clone();
                    let test = t.test.clone();
                    let display = self.display.clone();
                    Box::new(ArrowPredicateFn::new(
                        ProjectionMask::roots(descr, [*i]),
                        move |b: RecordBatch| {
                            // the column as `event_batch` hands it over
                            let (mut fields, mut arrays) = (Vec::new(), Vec::new());
                            let ok = b.columns().first().map(|c| {
                                event_column(
                                    &name,
                                    c,
                                    keep_dict,
                                    &mut fields,
                                    &mut arrays,
                                    &display,
                                )
                            });
                            let col = match (ok, arrays.as_slice()) {
                                (Some(Ok(())), [one]) if fields[0].name() == &name => one.clone(),
                                // not one plain column: every row passes
                                _ => {
                                    return Ok(BooleanArray::from(vec![true; b.num_rows()]));
                                }
                            };
                            test(&col).map_err(|e| ArrowError::ExternalError(Box::new(e)))
                        },
                    )) as Box<dyn ArrowPredicate>
                })
                .collect();
            builder = builder.with_row_filter(RowFilter::new(predicates));
        }
        builder.build().map_err(|e| parquet_error(&self.display, e))
    }

    /// One batch read, in the event or metric shape.
    fn finish_batch(
        &self,
        batch: std::result::Result<RecordBatch, ArrowError>,
        projection: &[usize],
        req: &ScanRequest,
        with_time: bool,
        keep_dict: bool,
    ) -> Result<RecordBatch> {
        let batch = batch.map_err(|e| parquet_error(&self.display, e))?;
        let columns: Vec<(usize, ArrayRef)> = projection
            .iter()
            .copied()
            .zip(batch.columns().iter().cloned())
            .collect();
        match &self.mode {
            Mode::Metrics { layout } => finish_metric_batch(
                layout,
                &self.names,
                &columns,
                batch.num_rows(),
                req,
                &self.display,
                None,
                with_time,
            ),
            Mode::Events { time } => {
                self.event_batch(&columns, *time, batch.num_rows(), req, keep_dict)
            }
        }
    }

    fn event_batch(
        &self,
        columns: &[(usize, ArrayRef)],
        time: Option<usize>,
        n_rows: usize,
        req: &ScanRequest,
        keep_dict: bool,
    ) -> Result<RecordBatch> {
        let time_col = match time.and_then(|t| columns.iter().find(|(i, _)| *i == t)) {
            Some((i, c)) => time_to_f64(
                c,
                self.names.get(*i).map_or("_time", String::as_str),
                &self.display,
                None,
            )?,
            None => arrow_array::Float64Array::new_null(n_rows),
        };
        let mut fields = vec![Field::new("_time", DataType::Float64, true)];
        let mut arrays: Vec<ArrayRef> = vec![Arc::new(time_col.clone())];
        let raw_first = columns
            .iter()
            .filter(|(i, _)| self.names.get(*i).is_some_and(|n| n == "_raw"));
        let rest = columns.iter().filter(|(i, _)| {
            self.names
                .get(*i)
                .is_some_and(|n| n != "_raw" && n != "_time")
        });
        for (i, col) in raw_first.chain(rest) {
            let name = self.names.get(*i).cloned().unwrap_or_default();
            event_column(
                &name,
                col,
                keep_dict,
                &mut fields,
                &mut arrays,
                &self.display,
            )?;
        }
        let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)) as SchemaRef, arrays)?;
        Ok(match time_mask(&time_col, req) {
            Some(m) => arrow_select::filter::filter_record_batch(&batch, &m)?,
            None => batch,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by `spl-fuzz` (issue 15): a footer whose column chunk has a
    /// negative offset panicked inside the parquet crate; it is a data error.
    #[test]
    fn a_negative_chunk_offset_is_an_error_not_a_panic() {
        let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../fixtures/fuzz/parquet-negative-chunk-offset.parquet");
        let e = has_metric_columns(&path, "f.parquet")
            .and_then(|_| ParquetScan::open_metrics(path.clone(), "f.parquet".into()).map(|_| true))
            .and_then(|_| {
                let scan = ParquetScan::open_metrics(path.clone(), "f.parquet".into())?;
                for b in scan.scan(&ScanRequest::default())? {
                    b?;
                }
                Ok(true)
            })
            .unwrap_err();
        assert!(e.to_string().contains("invalid parquet file"), "{e}");
    }
    use arrow_array::{Float64Array, Int64Array, StringArray};
    use parquet::arrow::ArrowWriter;
    use parquet::file::properties::WriterProperties;

    fn write(path: &Path, time_type: DataType) {
        let schema = Arc::new(Schema::new(vec![
            Field::new("_time", time_type.clone(), false),
            Field::new("metric_name", DataType::Utf8, false),
            Field::new("_value", DataType::Float64, false),
        ]));
        let props = WriterProperties::builder()
            .set_max_row_group_row_count(Some(10))
            .build();
        let mut w =
            ArrowWriter::try_new(File::create(path).unwrap(), schema.clone(), Some(props)).unwrap();
        for g in 0..3i64 {
            let secs: Vec<i64> = (0..10).map(|i| 1_000_000 + g * 1000 + i).collect();
            let time: ArrayRef = match &time_type {
                DataType::Timestamp(TimeUnit::Millisecond, _) => {
                    Arc::new(arrow_array::TimestampMillisecondArray::from(
                        secs.iter().map(|s| s * 1000).collect::<Vec<_>>(),
                    ))
                }
                _ => Arc::new(Int64Array::from(secs)),
            };
            let batch = RecordBatch::try_new(
                schema.clone(),
                vec![
                    time,
                    Arc::new(StringArray::from(vec!["m"; 10])),
                    Arc::new(Float64Array::from(vec![1.0; 10])),
                ],
            )
            .unwrap();
            w.write(&batch).unwrap();
            w.flush().unwrap();
        }
        w.close().unwrap();
    }

    fn req(lo: f64, hi: f64) -> ScanRequest {
        ScanRequest {
            columns: None,
            earliest: Some(lo),
            latest: Some(hi),
            ..ScanRequest::default()
        }
    }

    #[test]
    fn partitions_inside_the_window_may_leave_out_time() {
        let dir = std::env::temp_dir().join(format!("spl-ingest-notime-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("m.parquet");
        write(&p, DataType::Int64);
        let scan = ParquetScan::open_metrics(p, "m".into()).unwrap();
        // groups hold 1_000_000..9, 1_001_000..9, 1_002_000..9
        let mut r = req(1_000_005.0, 1_003_000.0);
        r.time_only_for_window = true;
        assert_eq!(scan.partitions(&r), 3);
        let has_time = |r: &ScanRequest, part: usize| -> Vec<(bool, usize)> {
            scan.scan_partition(r, part)
                .unwrap()
                .map(|b| {
                    let b = b.unwrap();
                    (b.column_by_name("_time").is_some(), b.num_rows())
                })
                .collect()
        };
        // partly inside: time kept and filtered; wholly inside: no time
        assert_eq!(has_time(&r, 0), [(true, 5)]);
        assert_eq!(has_time(&r, 1), [(false, 10)]);
        assert_eq!(has_time(&r, 2), [(false, 10)]);
        // dictionary-encoded names
        let b = scan.scan_partition(&r, 1).unwrap().next().unwrap().unwrap();
        assert!(matches!(
            b.column_by_name("metric_name").unwrap().data_type(),
            DataType::Dictionary(_, _)
        ));
        // without the flag every partition keeps time
        r.time_only_for_window = false;
        assert_eq!(has_time(&r, 2), [(true, 10)]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Events string columns come as dictionaries only when the request
    /// takes them and the file has them dictionary-encoded; otherwise Utf8.
    #[test]
    fn events_strings_come_as_dictionaries_on_request() {
        let dir = std::env::temp_dir().join(format!("spl-ingest-evdict-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("e.parquet");
        let schema = Arc::new(Schema::new(vec![
            Field::new("_time", DataType::Int64, false),
            Field::new("host", DataType::Utf8, true),
            Field::new("id", DataType::Utf8, true),
        ]));
        let props = WriterProperties::builder()
            .set_column_dictionary_enabled(parquet::schema::types::ColumnPath::from("id"), false)
            .build();
        let mut w =
            ArrowWriter::try_new(File::create(&p).unwrap(), schema.clone(), Some(props)).unwrap();
        let batch = RecordBatch::try_new(
            schema,
            vec![
                Arc::new(Int64Array::from(vec![1, 2, 3])),
                Arc::new(StringArray::from(vec![Some("a"), None, Some("a")])),
                Arc::new(StringArray::from(vec!["1", "2", "3"])),
            ],
        )
        .unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
        let scan = ParquetScan::open_events(p, "e".into(), None).unwrap();
        let types = |dictionary_strings: bool| -> Vec<(String, DataType)> {
            let req = ScanRequest {
                dictionary_strings,
                ..ScanRequest::default()
            };
            let b = scan.scan(&req).unwrap().next().unwrap().unwrap();
            let host = b.column_by_name("host").unwrap();
            assert_eq!(
                crate::batch::values_at(host, 2).unwrap(),
                Some(vec!["a".to_string()])
            );
            assert!(host.is_null(1));
            b.schema()
                .fields()
                .iter()
                .map(|f| (f.name().clone(), f.data_type().clone()))
                .collect()
        };
        let dict = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
        let t = types(true);
        assert_eq!(t[1], ("host".into(), dict));
        assert_eq!(t[2], ("id".into(), DataType::Utf8));
        assert_eq!(t[0], ("_time".into(), DataType::Float64));
        let t = types(false);
        assert_eq!(t[1], ("host".into(), DataType::Utf8));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn row_groups_are_pruned_by_time() {
        let dir = std::env::temp_dir().join(format!("spl-ingest-prune-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, dt) in [
            ("int.parquet", DataType::Int64),
            (
                "ts.parquet",
                DataType::Timestamp(TimeUnit::Millisecond, None),
            ),
        ] {
            let p = dir.join(name);
            write(&p, dt);
            let scan = ParquetScan::open_metrics(p.clone(), name.into()).unwrap();
            assert_eq!(scan.meta.metadata().num_row_groups(), 3);
            assert_eq!(scan.row_groups(&ScanRequest::default()), [0, 1, 2]);
            assert_eq!(
                scan.row_groups(&req(1_001_000.0, 1_001_005.0)),
                [1],
                "{name}"
            );
            assert_eq!(
                scan.row_groups(&req(1_000_009.0, 1_001_001.0)),
                [0, 1],
                "{name}"
            );
            // `latest` is exclusive: a group starting exactly there is skipped.
            assert_eq!(scan.row_groups(&req(0.0, 1_001_000.0)), [0], "{name}");
            assert!(scan.row_groups(&req(2e6, 3e6)).is_empty());
            let events = ParquetScan::open_events(p, name.into(), None).unwrap();
            assert_eq!(events.row_groups(&req(1_002_000.0, 1e7)), [2]);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
