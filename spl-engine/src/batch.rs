//! RecordBatch helpers: columns by name, schema union across batches whose
//! schemas differ, and per-field value access used by row-oriented commands.

use crate::error::{EngineError, Result};
use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{new_null_array, Array, ArrayRef, RecordBatch, RecordBatchOptions};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use indexmap::IndexMap;
use std::sync::Arc;

pub use crate::value::column;

/// An empty batch with no columns and `rows` rows.
pub fn empty_rows(rows: usize) -> Result<RecordBatch> {
    Ok(RecordBatch::try_new_with_options(
        Arc::new(Schema::empty()),
        vec![],
        &RecordBatchOptions::new().with_row_count(Some(rows)),
    )?)
}

/// Builds a batch from named columns (the row count is taken from `rows` so a
/// batch without columns keeps its rows).
pub fn from_columns(
    fields: Vec<Field>,
    columns: Vec<ArrayRef>,
    rows: usize,
) -> Result<RecordBatch> {
    Ok(RecordBatch::try_new_with_options(
        Arc::new(Schema::new(fields)),
        columns,
        &RecordBatchOptions::new().with_row_count(Some(rows)),
    )?)
}

/// Replaces (in place, keeping its position) or appends a column.
pub fn set_column(batch: &RecordBatch, field: Field, array: ArrayRef) -> Result<RecordBatch> {
    let schema = batch.schema();
    let mut fields: Vec<Field> = schema.fields().iter().map(|f| f.as_ref().clone()).collect();
    let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
    match schema.index_of(field.name()) {
        Ok(i) => {
            fields[i] = field;
            columns[i] = array;
        }
        Err(_) => {
            fields.push(field);
            columns.push(array);
        }
    }
    from_columns(fields, columns, batch.num_rows())
}

/// Removes the named columns (names that are absent are ignored).
pub fn drop_columns(batch: &RecordBatch, names: &[&str]) -> Result<RecordBatch> {
    let schema = batch.schema();
    let mut fields = Vec::new();
    let mut columns = Vec::new();
    for (f, c) in schema.fields().iter().zip(batch.columns()) {
        if !names.contains(&f.name().as_str()) {
            fields.push(f.as_ref().clone());
            columns.push(c.clone());
        }
    }
    from_columns(fields, columns, batch.num_rows())
}

/// True when the type holds multivalue data.
pub fn is_multivalue(dt: &DataType) -> bool {
    matches!(dt, DataType::List(_) | DataType::LargeList(_))
}

/// The type two batches' versions of one field unify to.
pub(crate) fn unify_type(a: &DataType, b: &DataType) -> DataType {
    if a == b {
        return a.clone();
    }
    if matches!(a, DataType::Null) {
        return b.clone();
    }
    if matches!(b, DataType::Null) {
        return a.clone();
    }
    if is_multivalue(a) || is_multivalue(b) {
        return DataType::List(Arc::new(Field::new("item", DataType::Utf8, true)));
    }
    let numeric = |t: &DataType| t.is_numeric();
    if numeric(a) && numeric(b) {
        return DataType::Float64;
    }
    DataType::Utf8
}

/// The union of the batches' schemas, fields in order of first appearance.
pub fn union_schema(batches: &[RecordBatch]) -> SchemaRef {
    let mut fields: IndexMap<String, Field> = IndexMap::new();
    for b in batches {
        for f in b.schema().fields() {
            match fields.get_mut(f.name()) {
                Some(existing) => {
                    let t = unify_type(existing.data_type(), f.data_type());
                    let mut meta = existing.metadata().clone();
                    if existing.metadata() != f.metadata() {
                        meta.clear();
                    }
                    *existing = Field::new(f.name(), t, true).with_metadata(meta);
                }
                None => {
                    fields.insert(f.name().clone(), f.as_ref().clone().with_nullable(true));
                }
            }
        }
    }
    Arc::new(Schema::new(fields.into_values().collect::<Vec<_>>()))
}

/// Converts an array to `target` the SPL way: numbers to their display text,
/// single values to one-element lists.
pub fn coerce_array(array: &ArrayRef, target: &DataType) -> Result<ArrayRef> {
    if array.data_type() == target {
        return Ok(array.clone());
    }
    if matches!(array.data_type(), DataType::Null) {
        return Ok(new_null_array(target, array.len()));
    }
    match target {
        DataType::Utf8 => Ok(Arc::new(to_utf8(array)?)),
        DataType::List(_) => {
            let mut b = ListBuilder::new(StringBuilder::new());
            for row in 0..array.len() {
                match values_at(array, row)? {
                    None => b.append(false),
                    Some(vals) => {
                        for v in vals {
                            b.values().append_value(v);
                        }
                        b.append(true);
                    }
                }
            }
            Ok(Arc::new(b.finish()))
        }
        _ => Ok(arrow_cast::cast(array, target)?),
    }
}

fn to_utf8(array: &ArrayRef) -> Result<arrow_array::StringArray> {
    let mut out = StringBuilder::with_capacity(array.len(), array.len() * 8);
    for row in 0..array.len() {
        match values_at(array, row)? {
            None => out.append_null(),
            Some(v) => out.append_value(v.join("\n")),
        }
    }
    Ok(out.finish())
}

/// Concatenates batches with differing schemas into one batch over their union schema.
pub fn concat_unified(batches: &[RecordBatch]) -> Result<RecordBatch> {
    let schema = union_schema(batches);
    let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
    if schema.fields().is_empty() {
        return empty_rows(rows);
    }
    let aligned: Vec<RecordBatch> = batches
        .iter()
        .map(|b| align_to(b, &schema))
        .collect::<Result<_>>()?;
    Ok(arrow_select::concat::concat_batches(&schema, &aligned)?)
}

/// Re-shapes a batch to `schema`: missing fields become null columns, types are coerced.
pub fn align_to(batch: &RecordBatch, schema: &SchemaRef) -> Result<RecordBatch> {
    let mut cols = Vec::with_capacity(schema.fields().len());
    for f in schema.fields() {
        match column(batch, f.name()) {
            Some(c) => cols.push(coerce_array(c, f.data_type())?),
            None => cols.push(new_null_array(f.data_type(), batch.num_rows())),
        }
    }
    Ok(RecordBatch::try_new_with_options(
        schema.clone(),
        cols,
        &RecordBatchOptions::new().with_row_count(Some(batch.num_rows())),
    )?)
}

/// The display strings of one cell (`None` when null). Multivalue cells give
/// every value; numbers print in SPL's shortest form.
pub fn values_at(array: &ArrayRef, row: usize) -> Result<Option<Vec<String>>> {
    if row >= array.len() {
        return Err(EngineError::Internal(format!("row {row} out of range")));
    }
    let field = Field::new("", array.data_type().clone(), true);
    Ok(match crate::value::cell(&field, array.as_ref(), row) {
        crate::value::Cell::Null => None,
        crate::value::Cell::Single(s) => Some(vec![s]),
        crate::value::Cell::Multi(v) => Some(v),
    })
}

/// SPL's default display of a double: shortest round-trip, no `.0` on integers.
pub fn format_f64(v: f64) -> String {
    crate::value::format_number(v, None)
}

/// A string key for one row over several columns (values joined with control
/// characters), or `None` when any column is null on that row. Used by join,
/// dedup and lookups, where SPL compares values as exact strings.
pub fn row_key(columns: &[&ArrayRef], row: usize) -> Result<Option<String>> {
    let mut key = String::new();
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            key.push('\u{1f}');
        }
        match values_at(c, row)? {
            None => return Ok(None),
            Some(v) => key.push_str(&v.join("\u{1e}")),
        }
    }
    Ok(Some(key))
}

/// Matches `text` against a `*` pattern; returns the texts matched by each
/// `*` (owned, for renames; `value::Glob` is the matcher).
pub fn wildcard_match(pattern: &str, text: &str) -> Option<Vec<String>> {
    crate::value::Glob::new(pattern)
        .captures(text)
        .map(|c| c.into_iter().map(str::to_string).collect())
}

/// Substitutes captured texts into a wildcard rename target (`avg_*` + ["x"] -> `avg_x`).
pub fn substitute_wildcards(target: &str, caps: &[String]) -> String {
    let mut out = String::new();
    let mut it = caps.iter();
    for (i, part) in target.split('*').enumerate() {
        if i > 0 {
            out.push_str(it.next().map(String::as_str).unwrap_or(""));
        }
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_matching_captures() {
        assert_eq!(
            wildcard_match("stdev_*", "stdev_tcp.bytes"),
            Some(vec!["tcp.bytes".to_string()])
        );
        assert_eq!(
            wildcard_match("*:*", "in:out"),
            Some(vec!["in".to_string(), "out".to_string()])
        );
        assert_eq!(wildcard_match("a*", "b"), None);
        assert_eq!(wildcard_match("abc", "abc"), Some(vec![]));
        assert_eq!(
            wildcard_match("*network_io", "inbound_network_io"),
            Some(vec!["inbound_".to_string()])
        );
        assert_eq!(wildcard_match("*", ""), Some(vec![String::new()]));
        assert_eq!(
            substitute_wildcards("avg_*:*", &["a".into(), "b".into()]),
            "avg_a:b"
        );
    }

    #[test]
    fn formats_doubles_like_splunk() {
        assert_eq!(format_f64(2.0), "2");
        assert_eq!(format_f64(3.9900000000000055), "3.9900000000000055");
        assert_eq!(format_f64(f64::NAN), "nan");
        assert_eq!(format_f64(-0.0), "0");
    }
}
