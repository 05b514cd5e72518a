//! Metric data points from CSV, streamed: Splunk's single-measurement metrics CSV
//! (`metric_timestamp,metric_name,_value,<dims...>`), the `mstats`/`mpreview` export
//! shape (`_time,metric_name,_value,<dims>`, `_time` as epoch or ISO text), and the
//! multiple-measurement form (`metric_timestamp,metric_name:<m>...,<dims>`), which is
//! unpivoted into one data point per non-empty measurement cell.

use super::csv_util::{csv_error, open_csv, read_header};
use super::metrics_shape::{finish_metric_batch, MetricColumns};
use super::{BatchStream, Scan, ScanRequest};
use crate::error::{EngineError, Result};
use arrow_array::ArrayRef;
use arrow_schema::{DataType, Field, Schema};
use std::path::PathBuf;
use std::sync::Arc;

/// Rows per batch read from a metrics CSV.
const METRICS_BATCH_ROWS: usize = 65536;

/// A lazily read metrics CSV file; each scan streams the file again.
pub struct MetricsCsvScan {
    path: PathBuf,
    display: String,
    header: Vec<String>,
    layout: MetricColumns,
}

impl MetricsCsvScan {
    /// Opens the file and checks its header has the metric columns.
    pub fn open(path: PathBuf, display: String) -> Result<Self> {
        let header = read_header(open_csv(&path, &display)?, &display)?;
        let layout = MetricColumns::from_names(&header).ok_or_else(|| {
            EngineError::data(
                &display,
                Some(1),
                None,
                format!(
                    "expected metric columns (`metric_timestamp` or `_time`, `metric_name`, `_value`, or `metric_name:<name>` columns), found {}",
                    header.join(",")
                ),
            )
        })?;
        Ok(MetricsCsvScan {
            path,
            display,
            header,
            layout,
        })
    }
}

impl Scan for MetricsCsvScan {
    fn scan(&self, req: &ScanRequest) -> Result<BatchStream<'_>> {
        // Every input column is read as text: time and dims need no conversion, and
        // `_value` is parsed by us so a bad number names its line and field.
        let fields: Vec<Field> = self
            .header
            .iter()
            .enumerate()
            .map(|(i, _)| Field::new(format!("c{i}"), DataType::Utf8, true))
            .collect();
        let projection = self.layout.input_projection(&self.header, req);
        let reader = arrow_csv::ReaderBuilder::new(Arc::new(Schema::new(fields)))
            .with_header(true)
            .with_batch_size(METRICS_BATCH_ROWS)
            .with_projection(projection.clone())
            .build(open_csv(&self.path, &self.display)?)
            .map_err(|e| csv_error(e, &self.display))?;
        let mut rows_seen = 0usize;
        let req = req.clone();
        Ok(Box::new(reader.map(move |batch| {
            let batch = batch.map_err(|e| csv_error(e, &self.display))?;
            let first_line = rows_seen + 2;
            rows_seen += batch.num_rows();
            let columns: Vec<(usize, ArrayRef)> = projection
                .iter()
                .copied()
                .zip(batch.columns().iter().cloned())
                .collect();
            finish_metric_batch(
                &self.layout,
                &self.header,
                &columns,
                batch.num_rows(),
                &req,
                &self.display,
                Some(first_line),
            )
        })))
    }
}
