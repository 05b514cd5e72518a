//! The fields of a batch of events while the row-wise operations (EXTRACT,
//! REPORT, KV_MODE, FIELDALIAS) run: the batch's own columns, read in place,
//! under the values those operations set, added or removed. [`Work::finish`]
//! writes the changed fields back as columns (`Utf8`, or `List<Utf8>` where a
//! row has several values).

use crate::error::Result;
use crate::value::{self, Cell};
use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::DataType;
use indexmap::IndexMap;
use std::borrow::Cow;
use std::sync::Arc;

/// What an operation did to one field on one row.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Slot {
    /// Untouched: the batch's value, if any.
    Inherit,
    /// Removed (a `FIELDALIAS ... AS` whose source is absent).
    Removed,
    /// These values (never empty).
    Vals(Vec<String>),
}

/// A batch's fields under the changes made so far.
pub(crate) struct Work<'b> {
    batch: &'b RecordBatch,
    rows: usize,
    changed: IndexMap<String, Vec<Slot>>,
}

/// The values of one column on one row, borrowed where the column is text.
fn column_values<'a>(col: &'a ArrayRef, row: usize) -> Vec<Cow<'a, str>> {
    if row >= col.len() || col.is_null(row) {
        return Vec::new();
    }
    match col.data_type() {
        DataType::Utf8 => vec![Cow::Borrowed(col.as_string::<i32>().value(row))],
        DataType::List(f) if f.data_type() == &DataType::Utf8 => {
            let list = col.as_list::<i32>();
            let offsets = list.value_offsets();
            let (start, end) = (
                offsets.get(row).copied().unwrap_or(0),
                offsets.get(row + 1).copied().unwrap_or(0),
            );
            let items = list.values().as_string::<i32>();
            (start..end)
                .filter_map(|i| usize::try_from(i).ok())
                .filter(|&i| items.is_valid(i))
                .map(|i| Cow::Borrowed(items.value(i)))
                .collect()
        }
        DataType::Null => Vec::new(),
        _ => {
            let field = arrow_schema::Field::new("", col.data_type().clone(), true);
            match value::cell(&field, col.as_ref(), row) {
                Cell::Null => Vec::new(),
                Cell::Single(s) => vec![Cow::Owned(s)],
                Cell::Multi(v) => v.into_iter().map(Cow::Owned).collect(),
            }
        }
    }
}

impl<'b> Work<'b> {
    /// The fields of `batch`, unchanged.
    pub(crate) fn new(batch: &'b RecordBatch) -> Self {
        Work {
            batch,
            rows: batch.num_rows(),
            changed: IndexMap::new(),
        }
    }

    /// Number of rows.
    pub(crate) fn rows(&self) -> usize {
        self.rows
    }

    /// The values of `name` on `row` (empty: the field is absent).
    pub(crate) fn values(&self, row: usize, name: &str) -> Vec<Cow<'_, str>> {
        if let Some(slots) = self.changed.get(name) {
            match slots.get(row) {
                Some(Slot::Vals(v)) => {
                    return v.iter().map(|s| Cow::Borrowed(s.as_str())).collect()
                }
                Some(Slot::Removed) => return Vec::new(),
                _ => {}
            }
        }
        match value::column(self.batch, name) {
            Some(col) => column_values(col, row),
            None => Vec::new(),
        }
    }

    /// The first value of `name` on `row`.
    pub(crate) fn first(&self, row: usize, name: &str) -> Option<Cow<'_, str>> {
        if let Some(slots) = self.changed.get(name) {
            match slots.get(row) {
                Some(Slot::Vals(v)) => return v.first().map(|s| Cow::Borrowed(s.as_str())),
                Some(Slot::Removed) => return None,
                _ => {}
            }
        }
        let col = value::column(self.batch, name)?;
        if col.data_type() == &DataType::Utf8 {
            return (row < col.len() && col.is_valid(row))
                .then(|| Cow::Borrowed(col.as_string::<i32>().value(row)));
        }
        column_values(col, row).into_iter().next()
    }

    /// True when `name` has a value on `row`.
    pub(crate) fn has(&self, row: usize, name: &str) -> bool {
        if let Some(slots) = self.changed.get(name) {
            match slots.get(row) {
                Some(Slot::Vals(_)) => return true,
                Some(Slot::Removed) => return false,
                _ => {}
            }
        }
        value::column(self.batch, name).is_some_and(|c| {
            row < c.len() && c.is_valid(row) && c.data_type() != &DataType::Null && {
                // an empty list is no value
                !matches!(c.data_type(), DataType::List(_)) || !column_values(c, row).is_empty()
            }
        })
    }

    fn slots(&mut self, name: &str) -> &mut Vec<Slot> {
        let rows = self.rows;
        self.changed
            .entry(name.to_string())
            .or_insert_with(|| vec![Slot::Inherit; rows])
    }

    /// Sets `name` on `row` to `vals` (removes it when `vals` is empty).
    pub(crate) fn set(&mut self, row: usize, name: &str, vals: Vec<String>) {
        let slot = if vals.is_empty() {
            Slot::Removed
        } else {
            Slot::Vals(vals)
        };
        if let Some(s) = self.slots(name).get_mut(row) {
            *s = slot;
        }
    }

    /// Removes `name` from `row`.
    pub(crate) fn remove(&mut self, row: usize, name: &str) {
        self.set(row, name, Vec::new());
    }

    /// An extracted value: kept when the field is absent on the row; when it
    /// exists, appended with `mv_add` and otherwise discarded (the first
    /// extraction of a field wins; transforms.conf `MV_ADD`).
    pub(crate) fn add(&mut self, row: usize, name: &str, value: String, mv_add: bool) {
        if !self.has(row, name) {
            self.set(row, name, vec![value]);
        } else if mv_add {
            let mut vals: Vec<String> = self
                .values(row, name)
                .into_iter()
                .map(Cow::into_owned)
                .collect();
            vals.push(value);
            self.set(row, name, vals);
        }
    }

    /// The batch with every changed field written back, except those
    /// `keep` refuses. New fields come after the batch's own, in the order
    /// they were first set.
    pub(crate) fn finish(self, keep: impl Fn(&str) -> bool) -> Result<RecordBatch> {
        let mut out = self.batch.clone();
        for (name, slots) in &self.changed {
            if !keep(name) || slots.iter().all(|s| *s == Slot::Inherit) {
                continue;
            }
            let original = value::column(self.batch, name);
            let rows: Vec<Option<Vec<String>>> = slots
                .iter()
                .enumerate()
                .map(|(row, slot)| match slot {
                    Slot::Vals(v) => Some(v.clone()),
                    Slot::Removed => None,
                    Slot::Inherit => {
                        let v: Vec<String> = original
                            .map(|c| column_values(c, row))
                            .unwrap_or_default()
                            .into_iter()
                            .map(Cow::into_owned)
                            .collect();
                        (!v.is_empty()).then_some(v)
                    }
                })
                .collect();
            out = value::with_column(&out, name, text_column(&rows), None)?;
        }
        Ok(out)
    }
}

/// A column of text values: `Utf8` when no row has more than one value,
/// else `List<Utf8>`; `None` rows are null.
pub(crate) fn text_column(rows: &[Option<Vec<String>>]) -> ArrayRef {
    let multi = rows.iter().flatten().any(|v| v.len() > 1);
    if !multi {
        let mut b = StringBuilder::with_capacity(rows.len(), rows.len() * 8);
        for r in rows {
            match r.as_ref().and_then(|v| v.first()) {
                Some(s) => b.append_value(s),
                None => b.append_null(),
            }
        }
        return Arc::new(b.finish());
    }
    list_column(rows)
}

/// A `List<Utf8>` column of `rows`; `None` rows are null.
pub(crate) fn list_column(rows: &[Option<Vec<String>>]) -> ArrayRef {
    let mut b = ListBuilder::new(StringBuilder::new());
    for r in rows {
        match r {
            Some(v) => {
                for s in v {
                    b.values().append_value(s);
                }
                b.append(true);
            }
            None => b.append(false),
        }
    }
    Arc::new(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Float64Array, StringArray};
    use arrow_schema::{Field, Schema};

    fn batch() -> RecordBatch {
        let list = text_column(&[Some(vec!["a".into(), "b".into()]), None]);
        RecordBatch::try_new(
            Arc::new(Schema::new(vec![
                Field::new("s", DataType::Utf8, true),
                Field::new("n", DataType::Float64, true),
                Field::new("m", list.data_type().clone(), true),
            ])),
            vec![
                Arc::new(StringArray::from(vec![Some("x"), None])),
                Arc::new(Float64Array::from(vec![Some(1.5), None])),
                list,
            ],
        )
        .unwrap()
    }

    #[test]
    fn reads_text_numbers_and_lists() {
        let b = batch();
        let w = Work::new(&b);
        assert_eq!(w.values(0, "s"), ["x"]);
        assert_eq!(w.values(0, "n"), ["1.5"]);
        assert_eq!(w.values(0, "m"), ["a", "b"]);
        assert!(w.values(1, "s").is_empty());
        assert!(w.has(0, "m") && !w.has(1, "m") && !w.has(0, "nope"));
        assert_eq!(w.first(0, "m").as_deref(), Some("a"));
    }

    #[test]
    fn first_extraction_wins_unless_mv_add() {
        let b = batch();
        let mut w = Work::new(&b);
        w.add(0, "s", "y".into(), false);
        w.add(1, "s", "y".into(), false);
        w.add(1, "s", "z".into(), false);
        w.add(0, "m", "c".into(), true);
        w.add(0, "new", "1".into(), false);
        w.remove(0, "n");
        let out = w.finish(|_| true).unwrap();
        let s = out.column_by_name("s").unwrap().as_string::<i32>();
        assert_eq!((s.value(0), s.value(1)), ("x", "y"));
        let m = value::cell(
            out.schema().field_with_name("m").unwrap(),
            out.column_by_name("m").unwrap().as_ref(),
            0,
        );
        assert_eq!(m, Cell::Multi(vec!["a".into(), "b".into(), "c".into()]));
        assert!(out.column_by_name("n").unwrap().is_null(0));
        assert_eq!(out.schema().fields().len(), 4);
    }

    #[test]
    fn finish_skips_refused_fields() {
        let b = batch();
        let mut w = Work::new(&b);
        w.add(0, "keep", "1".into(), false);
        w.add(0, "drop", "1".into(), false);
        let out = w.finish(|n| n != "drop").unwrap();
        assert!(out.column_by_name("keep").is_some());
        assert!(out.column_by_name("drop").is_none());
    }
}
