//! Metric data points and their two on-disk shapes: Splunk's metrics CSV
//! (`metric_timestamp,metric_name,_value,<dims>`) and the Parquet form of an
//! `mstats` export (`_time,metric_name,_value,<dims>`).

use super::GenError;
use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray, TimestampMillisecondArray};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

/// One metric data point (single-measurement form).
#[derive(Debug, Clone)]
pub struct MetricPoint {
    /// Epoch milliseconds.
    pub time_ms: i64,
    /// Metric name, e.g. `tcp.bytes`.
    pub metric: &'static str,
    /// The measurement (integral counts in the fixtures).
    pub value: f64,
    /// One entry per dimension column; `None` = the point lacks that dimension.
    pub dims: Vec<Option<String>>,
}

/// A set of points sharing one dimension schema.
#[derive(Debug, Clone, Default)]
pub struct MetricTable {
    /// Dimension names, in column order.
    pub dim_names: Vec<&'static str>,
    /// The points, in the order they are written.
    pub points: Vec<MetricPoint>,
}

impl MetricTable {
    /// An empty table with these dimensions.
    pub fn new(dim_names: Vec<&'static str>) -> Self {
        MetricTable {
            dim_names,
            points: Vec::new(),
        }
    }

    /// Sorts by time, keeping insertion order among equal times (stable), so
    /// files read like an export ordered by `_time`.
    pub fn sort_by_time(&mut self) {
        self.points.sort_by_key(|p| p.time_ms);
    }

    /// Splunk's single-measurement metrics CSV.
    pub fn to_metrics_csv(&self) -> String {
        let mut out = String::with_capacity(self.points.len() * 80);
        out.push_str("metric_timestamp,metric_name,_value");
        for d in &self.dim_names {
            out.push(',');
            out.push_str(&csv_cell(d));
        }
        out.push('\n');
        for p in &self.points {
            let _ = write!(
                out,
                "{},{},{}",
                format_epoch_ms(p.time_ms),
                csv_cell(p.metric),
                format_value(p.value)
            );
            for d in &p.dims {
                out.push(',');
                if let Some(v) = d {
                    out.push_str(&csv_cell(v));
                }
            }
            out.push('\n');
        }
        out
    }

    /// The same points as an Arrow batch: `_time` Timestamp(ms, UTC),
    /// `metric_name` Utf8, `_value` Float64, one nullable Utf8 per dimension.
    pub fn to_batch(&self) -> Result<RecordBatch, GenError> {
        let mut fields = vec![
            Field::new(
                "_time",
                DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
                false,
            ),
            Field::new("metric_name", DataType::Utf8, false),
            Field::new("_value", DataType::Float64, false),
        ];
        let times =
            TimestampMillisecondArray::from_iter_values(self.points.iter().map(|p| p.time_ms))
                .with_timezone("UTC");
        let names = StringArray::from_iter_values(self.points.iter().map(|p| p.metric));
        let values = Float64Array::from_iter_values(self.points.iter().map(|p| p.value));
        let mut columns: Vec<ArrayRef> = vec![Arc::new(times), Arc::new(names), Arc::new(values)];
        for (i, d) in self.dim_names.iter().enumerate() {
            fields.push(Field::new(*d, DataType::Utf8, true));
            let col: StringArray = self
                .points
                .iter()
                .map(|p| p.dims.get(i).and_then(|v| v.as_deref()))
                .collect();
            columns.push(Arc::new(col));
        }
        Ok(RecordBatch::try_new(
            Arc::new(Schema::new(fields)),
            columns,
        )?)
    }

    /// Writes the Parquet form (snappy, one row group per 64k rows).
    pub fn write_parquet(&self, path: &Path) -> Result<(), GenError> {
        let batch = self.to_batch()?;
        write_parquet_batches(path, batch.schema(), std::iter::once(Ok(batch)), 65_536)
    }
}

/// Writes batches to a Parquet file with fixed, deterministic properties.
pub fn write_parquet_batches(
    path: &Path,
    schema: Arc<Schema>,
    batches: impl Iterator<Item = Result<RecordBatch, GenError>>,
    row_group_rows: usize,
) -> Result<(), GenError> {
    let file = std::fs::File::create(path).map_err(|e| GenError::io(path, e))?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(row_group_rows.max(1)))
        .build();
    let mut writer = ArrowWriter::try_new(file, schema, Some(props))?;
    for batch in batches {
        writer.write(&batch?)?;
    }
    writer.close()?;
    Ok(())
}

/// `1714561202.345` from epoch milliseconds (always three decimals, as
/// Splunk's metrics CSV examples write them).
pub fn format_epoch_ms(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let frac = ms.rem_euclid(1000);
    format!("{secs}.{frac:03}")
}

/// Integral values print without a decimal point; others as Rust's shortest
/// round-trip form.
pub fn format_value(v: f64) -> String {
    format!("{v}")
}

/// Quotes a CSV cell only when it must be (RFC 4180).
pub fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_shape() {
        let mut t = MetricTable::new(vec!["k8s.cluster.name", "direction"]);
        t.points.push(MetricPoint {
            time_ms: 1_714_561_202_345,
            metric: "k8s.pod.network.io",
            value: 606_529.0,
            dims: vec![Some("prod,1".into()), None],
        });
        assert_eq!(
            t.to_metrics_csv(),
            "metric_timestamp,metric_name,_value,k8s.cluster.name,direction\n\
             1714561202.345,k8s.pod.network.io,606529,\"prod,1\",\n"
        );
        assert_eq!(format_epoch_ms(5), "0.005");
        let b = t.to_batch().unwrap();
        assert_eq!(b.num_rows(), 1);
        assert_eq!(b.column(4).null_count(), 1);
    }
}
