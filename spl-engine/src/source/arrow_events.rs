//! Arrow columns in the event shape: the one conversion the Parquet reader
//! and batches handed in from memory ([`crate::session::EngineBuilder::add_events`],
//! [`super::MemoryScan::events`], the Python `Engine.add_table`) share.
//!
//! Event columns come out as: strings (any string or dictionary type) Utf8;
//! lists List<Utf8> (multivalue); integers Int64; floats and decimals
//! Float64; booleans the text `true`/`false`; struct columns flattened to
//! `a.b` names (so OCSF's `src_endpoint.ip` is a field, as Splunk's `_json`
//! extraction names it); other types cast to their text. `_time` is Float64
//! epoch seconds.

use super::metrics_shape::time_to_f64;
use crate::error::{EngineError, Result};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch, RecordBatchOptions};
use arrow_schema::{DataType, Field, Schema};
use std::sync::Arc;

fn list_of_utf8() -> DataType {
    DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true)))
}

/// Whether a column of this type is already in the event shape.
fn is_event_type(dt: &DataType) -> bool {
    match dt {
        DataType::Utf8 | DataType::Int64 | DataType::Float64 => true,
        DataType::List(item) => item.data_type() == &DataType::Utf8,
        _ => false,
    }
}

/// Converts one column to the event column types (see the module docs),
/// pushing one field per leaf: a struct column gives `name.child` fields,
/// recursively, and a null struct hides its children's values.
/// `keep_dict`: a dictionary of strings stays one (the Parquet reader's
/// option for callers that group on dictionary codes, such as `tstats`).
pub(crate) fn event_column(
    name: &str,
    col: &ArrayRef,
    keep_dict: bool,
    fields: &mut Vec<Field>,
    arrays: &mut Vec<ArrayRef>,
    display: &str,
) -> Result<()> {
    let converted: ArrayRef = match col.data_type() {
        DataType::Utf8 | DataType::Int64 | DataType::Float64 => col.clone(),
        DataType::Dictionary(_, v) if keep_dict && **v == DataType::Utf8 => col.clone(),
        DataType::Struct(_) => {
            let s = col.as_struct();
            for (f, child) in s.fields().iter().zip(s.columns()) {
                let child = match s.nulls() {
                    Some(n) => {
                        let valid = arrow_array::BooleanArray::new(n.inner().clone(), None);
                        arrow_select::nullif::nullif(child, &arrow_arith::boolean::not(&valid)?)?
                    }
                    None => child.clone(),
                };
                event_column(
                    &format!("{name}.{}", f.name()),
                    &child,
                    keep_dict,
                    fields,
                    arrays,
                    display,
                )?;
            }
            return Ok(());
        }
        DataType::List(_)
        | DataType::LargeList(_)
        | DataType::FixedSizeList(_, _)
        | DataType::ListView(_) => arrow_cast::cast(col, &list_of_utf8())
            .map_err(|e| unsupported(display, name, col.data_type(), e))?,
        dt if dt.is_integer() => arrow_cast::cast(col, &DataType::Int64)?,
        dt if dt.is_floating()
            || matches!(dt, DataType::Decimal128(_, _) | DataType::Decimal256(_, _)) =>
        {
            arrow_cast::cast(col, &DataType::Float64)?
        }
        _ => arrow_cast::cast(col, &DataType::Utf8)
            .map_err(|e| unsupported(display, name, col.data_type(), e))?,
    };
    fields.push(Field::new(name, converted.data_type().clone(), true));
    arrays.push(converted);
    Ok(())
}

fn unsupported(display: &str, name: &str, dt: &DataType, e: impl std::fmt::Display) -> EngineError {
    EngineError::data(
        display,
        None,
        Some(name),
        format!("expected a column of strings, numbers or lists, found {dt} ({e})"),
    )
}

/// Brings an event batch from memory into the shape the file readers give
/// (see the module docs): struct columns become dotted fields, lists
/// multivalue fields, other types strings or numbers, in place.
///
/// `_time` comes from `time_field` when given (the column stays a field
/// too, as in the readers), else from a `_time` column, converted to
/// Float64 epoch seconds from integer or float epochs, Arrow timestamps or
/// time text. Unlike a file reader, no other column is guessed to be the
/// time: in memory the caller names it. A batch already in the event shape
/// is returned as it is (no copy).
///
/// `display` names the data in errors (a column of a type with no text
/// form, such as a list of structs, or time text that does not parse).
pub fn flatten_event_batch(
    batch: &RecordBatch,
    time_field: Option<&str>,
    display: &str,
) -> Result<RecordBatch> {
    let schema = batch.schema();
    let time_name = time_field.unwrap_or("_time");
    let time_idx = schema.index_of(time_name).ok();
    if time_field.is_some() && time_idx.is_none() {
        return Err(EngineError::data(
            display,
            None,
            Some(time_name),
            "expected the time field among the columns, found no such column",
        ));
    }
    let time_ok = time_field.is_none()
        && time_idx.is_none_or(|i| schema.field(i).data_type() == &DataType::Float64);
    if time_ok && schema.fields().iter().all(|f| is_event_type(f.data_type())) {
        return Ok(batch.clone());
    }
    let mut fields = Vec::with_capacity(schema.fields().len() + 1);
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(fields.capacity());
    if let Some(i) = time_idx {
        let time = time_to_f64(batch.column(i), time_name, display, None)?;
        fields.push(Field::new("_time", DataType::Float64, true));
        arrays.push(Arc::new(time));
    }
    for (f, col) in schema.fields().iter().zip(batch.columns()) {
        if f.name() == "_time" {
            continue;
        }
        event_column(f.name(), col, false, &mut fields, &mut arrays, display)?;
    }
    let schema = Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone()));
    Ok(RecordBatch::try_new_with_options(
        schema,
        arrays,
        &RecordBatchOptions::new().with_row_count(Some(batch.num_rows())),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::builder::{ListBuilder, StringBuilder};
    use arrow_array::{
        BooleanArray, Float64Array, Int32Array, StringArray, StructArray, TimestampMillisecondArray,
    };
    use arrow_buffer::NullBuffer;

    fn text(b: &RecordBatch, name: &str) -> Vec<Option<String>> {
        let c = b.column_by_name(name).unwrap();
        (0..c.len())
            .map(|r| crate::batch::values_at(c, r).unwrap().map(|v| v.join("|")))
            .collect()
    }

    #[test]
    fn a_flat_batch_is_returned_as_it_is() {
        let b = RecordBatch::try_from_iter([
            ("_time", Arc::new(Float64Array::from(vec![1.0])) as ArrayRef),
            ("user", Arc::new(StringArray::from(vec!["a"])) as ArrayRef),
        ])
        .unwrap();
        let out = flatten_event_batch(&b, None, "mem").unwrap();
        assert!(Arc::ptr_eq(out.column(1), b.column(1)));
        assert_eq!(out.schema(), b.schema());
    }

    #[test]
    fn structs_lists_and_other_types_take_the_reader_shape() {
        let ip = Arc::new(StringArray::from(vec![Some("10.0.0.1"), Some("hidden")])) as ArrayRef;
        let port = Arc::new(Int32Array::from(vec![443, 80])) as ArrayRef;
        let endpoint = StructArray::new(
            vec![
                Field::new("ip", DataType::Utf8, true),
                Field::new("port", DataType::Int32, true),
            ]
            .into(),
            vec![ip, port],
            // a null struct hides its children
            Some(NullBuffer::from(vec![true, false])),
        );
        let mut tags = ListBuilder::new(StringBuilder::new());
        tags.append_value([Some("a"), Some("b")]);
        tags.append_null();
        let b = RecordBatch::try_from_iter([
            (
                "_time",
                Arc::new(TimestampMillisecondArray::from(vec![1_500, 2_000])) as ArrayRef,
            ),
            ("src_endpoint", Arc::new(endpoint) as ArrayRef),
            ("tags", Arc::new(tags.finish()) as ArrayRef),
            (
                "ok",
                Arc::new(BooleanArray::from(vec![true, false])) as ArrayRef,
            ),
        ])
        .unwrap();
        let out = flatten_event_batch(&b, None, "mem").unwrap();
        let names: Vec<&String> = out.schema_ref().fields().iter().map(|f| f.name()).collect();
        assert_eq!(
            names,
            [
                "_time",
                "src_endpoint.ip",
                "src_endpoint.port",
                "tags",
                "ok"
            ]
        );
        assert_eq!(
            out.column(0)
                .as_primitive::<arrow_array::types::Float64Type>()
                .values(),
            &[1.5, 2.0]
        );
        assert_eq!(
            text(&out, "src_endpoint.ip"),
            [Some("10.0.0.1".into()), None]
        );
        assert_eq!(out.column(2).data_type(), &DataType::Int64);
        assert_eq!(text(&out, "tags"), [Some("a|b".into()), None]);
        assert_eq!(
            text(&out, "ok"),
            [Some("true".into()), Some("false".into())]
        );
    }

    #[test]
    fn a_named_time_field_gives_time_and_stays_a_field() {
        let b = RecordBatch::try_from_iter([
            (
                "ts",
                Arc::new(StringArray::from(vec!["2024-01-01T00:00:01Z"])) as ArrayRef,
            ),
            ("user", Arc::new(StringArray::from(vec!["a"])) as ArrayRef),
        ])
        .unwrap();
        let out = flatten_event_batch(&b, Some("ts"), "mem").unwrap();
        assert_eq!(text(&out, "_time"), [Some("1704067201".into())]);
        assert_eq!(text(&out, "ts"), [Some("2024-01-01T00:00:01Z".into())]);
        let e = flatten_event_batch(&b, Some("when"), "mem").unwrap_err();
        assert!(e.to_string().contains("field `when`"), "{e}");
        // time text that does not parse is a data error naming the field
        let e = flatten_event_batch(&b, Some("user"), "mem").unwrap_err();
        assert!(e.is_data_error() && e.to_string().contains("user"), "{e}");
    }
}
