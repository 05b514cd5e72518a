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
    /// Rows with more than one value.
    multi_rows: u32,
}

impl FieldBuf {
    /// Adds a value to `row`; true when it is the row's first.
    fn push(&mut self, row: u32, value: &str) -> bool {
        let first = self.rows.last() != Some(&row);
        if first {
            self.rows.push(row);
            self.first_value.push(self.ends.len() as u32);
        } else if self.first_value.last().map(|&f| f as usize) == Some(self.ends.len() - 1) {
            self.multi_rows += 1;
        }
        self.data.push_str(value);
        self.ends.push(self.data.len());
        first
    }

    /// Removes the values of `row` if it is the last row with any.
    fn pop_row(&mut self, row: u32) {
        if self.rows.last() != Some(&row) {
            return;
        }
        let first = self.first_value.last().map_or(0, |&f| f as usize);
        if self.ends.len() - first > 1 {
            self.multi_rows -= 1;
        }
        let data_end = if first == 0 {
            0
        } else {
            self.ends.get(first - 1).copied().unwrap_or(0)
        };
        self.data.truncate(data_end);
        self.ends.truncate(first);
        self.rows.pop();
        self.first_value.pop();
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
        if self.multi_rows > 0 {
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
    /// Fields given a value in the row being built (indexes into `fields`).
    touched: Vec<usize>,
}

impl EventBatchBuilder {
    pub(crate) fn new(has_raw: bool) -> Self {
        EventBatchBuilder {
            times: Float64Builder::new(),
            raws: StringBuilder::new(),
            has_raw,
            fields: IndexMap::new(),
            rows: 0,
            touched: Vec::new(),
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
        match self.fields.get_full_mut(field) {
            Some((i, _, buf)) => {
                if buf.push(self.rows, value) {
                    self.touched.push(i);
                }
            }
            None => {
                let mut buf = FieldBuf::default();
                buf.push(self.rows, value);
                self.touched.push(self.fields.len());
                self.fields.insert(field.to_string(), buf);
            }
        }
    }

    /// Drops the row being built (an event outside the scan's time window):
    /// the batch comes out as if it had never been added.
    pub(crate) fn discard_row(&mut self) {
        let row = self.rows;
        for &i in &self.touched {
            if let Some((_, buf)) = self.fields.get_index_mut(i) {
                buf.pop_row(row);
            }
        }
        self.touched.clear();
        // fields first seen in this row were the last added
        while self.fields.last().is_some_and(|(_, b)| b.rows.is_empty()) {
            self.fields.pop();
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
        self.touched.clear();
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
        self.touched.clear();
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

    #[test]
    fn a_discarded_row_leaves_no_trace() {
        let mut b = EventBatchBuilder::new(false);
        b.add("a", "1");
        b.end_row(Some(1.0), None);
        // a second value (multivalue) and a new field, then dropped
        b.add("a", "2");
        b.add("a", "3");
        b.add("new", "x");
        b.discard_row();
        b.add("a", "4");
        b.end_row(Some(2.0), None);
        let batch = b.finish().unwrap();
        let names: Vec<_> = batch
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        assert_eq!(names, ["_time", "a"]);
        let a = batch.column(1).as_string::<i32>();
        assert_eq!((a.value(0), a.value(1)), ("1", "4"));
    }
}
