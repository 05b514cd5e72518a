//! Builds event batches row by row when rows have different fields.
//!
//! A batch's schema is the union of the fields of its rows, in order of first
//! appearance, after `_time` (Float64) and `_raw` (Utf8). A field is Utf8 when no row
//! of the batch has more than one value for it, else List<Utf8>; rows without the
//! field are null. Values are stored in one string buffer per field so building a
//! row costs no allocation per value.

use crate::error::Result;
use arrow_array::builder::{Float64Builder, ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use indexmap::IndexMap;
use std::sync::Arc;

/// Rows per batch produced by the event readers.
pub(crate) const EVENT_BATCH_ROWS: usize = 8192;

/// The time candidates tried, in order, when no time field is configured.
pub const DEFAULT_TIME_FIELDS: &[&str] = &[
    "requestReceivedTimestamp",
    "stageTimestamp",
    "_time",
    "@timestamp",
    "timestamp",
    "time",
    "Timestamp",
    "eventTime",
    "UpdatedTime",
];

#[derive(Default)]
struct FieldBuf {
    /// Rows that have the field, ascending.
    rows: Vec<u32>,
    /// For each entry of `rows`, the index of its first value in `ends`.
    first_value: Vec<u32>,
    /// End offset in `data` of each value.
    ends: Vec<usize>,
    data: String,
    multi: bool,
}

impl FieldBuf {
    fn push(&mut self, row: u32, value: &str) {
        if self.rows.last() == Some(&row) {
            self.multi = true;
        } else {
            self.rows.push(row);
            self.first_value.push(self.ends.len() as u32);
        }
        self.data.push_str(value);
        self.ends.push(self.data.len());
    }

    /// The values of entry `k` (an index into `rows`).
    fn values(&self, k: usize) -> impl Iterator<Item = &str> {
        let first = self.first_value.get(k).map_or(0, |&v| v as usize);
        let last = self
            .first_value
            .get(k + 1)
            .map_or(self.ends.len(), |&v| v as usize);
        (first..last).map(move |i| {
            let start = if i == 0 {
                0
            } else {
                self.ends.get(i - 1).copied().unwrap_or(0)
            };
            let end = self.ends.get(i).copied().unwrap_or(start);
            self.data.get(start..end).unwrap_or_default()
        })
    }

    /// The first value of the current (last) row, if that row is `row`.
    fn first_of_row(&self, row: u32) -> Option<&str> {
        if self.rows.last() == Some(&row) {
            self.values(self.rows.len() - 1).next()
        } else {
            None
        }
    }

    fn build(&self, n_rows: usize) -> ArrayRef {
        let mut k = 0usize;
        if self.multi {
            let mut b = ListBuilder::new(StringBuilder::new());
            for r in 0..n_rows as u32 {
                if self.rows.get(k) == Some(&r) {
                    for v in self.values(k) {
                        b.values().append_value(v);
                    }
                    b.append(true);
                    k += 1;
                } else {
                    b.append(false);
                }
            }
            Arc::new(b.finish())
        } else {
            let mut b = StringBuilder::with_capacity(n_rows, self.data.len());
            for r in 0..n_rows as u32 {
                if self.rows.get(k) == Some(&r) {
                    b.append_option(self.values(k).next());
                    k += 1;
                } else {
                    b.append_null();
                }
            }
            Arc::new(b.finish())
        }
    }
}

/// Accumulates event rows and turns them into a [`RecordBatch`].
pub(crate) struct EventBatchBuilder {
    times: Float64Builder,
    raws: StringBuilder,
    has_raw: bool,
    fields: IndexMap<String, FieldBuf>,
    rows: u32,
}

impl EventBatchBuilder {
    pub(crate) fn new(has_raw: bool) -> Self {
        EventBatchBuilder {
            times: Float64Builder::new(),
            raws: StringBuilder::new(),
            has_raw,
            fields: IndexMap::new(),
            rows: 0,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.rows as usize
    }

    /// Adds one value of `field` to the row being built.
    pub(crate) fn add(&mut self, field: &str, value: &str) {
        // `_time` and `_raw` are the engine's own columns; a data field of the same
        // name is only used as a time candidate (kept under `_time` in the buffers).
        if field == "_raw" {
            return;
        }
        match self.fields.get_mut(field) {
            Some(buf) => buf.push(self.rows, value),
            None => {
                let mut buf = FieldBuf::default();
                buf.push(self.rows, value);
                self.fields.insert(field.to_string(), buf);
            }
        }
    }

    /// The first value of `field` in the row being built.
    pub(crate) fn current_value(&self, field: &str) -> Option<&str> {
        self.fields.get(field)?.first_of_row(self.rows)
    }

    /// Ends the current row.
    pub(crate) fn end_row(&mut self, time: Option<f64>, raw: Option<&str>) {
        self.times.append_option(time);
        if self.has_raw {
            self.raws.append_option(raw);
        }
        self.rows += 1;
    }

    /// Builds the batch and resets the builder.
    pub(crate) fn finish(&mut self) -> Result<RecordBatch> {
        let n = self.rows as usize;
        let mut fields = vec![Field::new("_time", DataType::Float64, true)];
        let mut columns: Vec<ArrayRef> = vec![Arc::new(self.times.finish())];
        if self.has_raw {
            fields.push(Field::new("_raw", DataType::Utf8, true));
            columns.push(Arc::new(self.raws.finish()));
        }
        for (name, buf) in std::mem::take(&mut self.fields) {
            if name == "_time" {
                continue;
            }
            let col = buf.build(n);
            fields.push(Field::new(name, col.data_type().clone(), true));
            columns.push(col);
        }
        self.rows = 0;
        let opts = arrow_array::RecordBatchOptions::new().with_row_count(Some(n));
        Ok(RecordBatch::try_new_with_options(
            Arc::new(Schema::new(fields)),
            columns,
            &opts,
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::cast::AsArray;
    use arrow_array::Array;

    #[test]
    fn union_schema_nulls_and_multivalue() {
        let mut b = EventBatchBuilder::new(true);
        b.add("a", "1");
        b.add("m{}", "x");
        b.end_row(Some(1.0), Some("r1"));
        b.add("b", "2");
        b.add("m{}", "y");
        b.add("m{}", "z");
        b.end_row(None, Some("r2"));
        let batch = b.finish().unwrap();
        let names: Vec<_> = batch
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        assert_eq!(names, ["_time", "_raw", "a", "m{}", "b"]);
        let a = batch.column(2).as_string::<i32>();
        assert_eq!(a.value(0), "1");
        assert!(a.is_null(1));
        let m = batch.column(3).as_list::<i32>();
        assert_eq!(m.value(1).as_string::<i32>().value(1), "z");
        assert_eq!(m.value(0).len(), 1);
        assert!(batch.column(0).is_null(1));
    }
}
