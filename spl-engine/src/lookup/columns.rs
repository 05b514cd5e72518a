//! Column plumbing for the lookup kernel: event key columns as text, output
//! columns as Utf8 or List<Utf8>, and merging them into a batch.

use crate::error::Result;
use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, ArrayRef, ListArray, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use std::sync::Arc;

/// Utf8 when no row has several values, else List<Utf8>; `None` rows are null.
pub(crate) fn build_text(per_row: &[Option<Vec<&str>>]) -> ArrayRef {
    if per_row.iter().flatten().all(|v| v.len() <= 1) {
        let arr: StringArray = per_row
            .iter()
            .map(|v| v.as_ref().and_then(|v| v.first().copied()))
            .collect();
        Arc::new(arr)
    } else {
        let mut b = ListBuilder::new(StringBuilder::new());
        for v in per_row {
            match v {
                Some(vals) if !vals.is_empty() => {
                    for s in vals {
                        b.values().append_value(s);
                    }
                    b.append(true);
                }
                _ => b.append(false),
            }
        }
        Arc::new(b.finish())
    }
}

/// Brings a new lookup column and an existing event column to one type.
pub(crate) fn unify(new: ArrayRef, old: ArrayRef) -> Result<(ArrayRef, ArrayRef)> {
    let old = to_text(&old)?;
    match (new.data_type(), old.data_type()) {
        (a, b) if a == b => Ok((new, old)),
        (DataType::List(_), _) => Ok((new, to_list(&old))),
        _ => Ok((to_list(&new), old)),
    }
}

fn to_list(arr: &ArrayRef) -> ArrayRef {
    if matches!(arr.data_type(), DataType::List(_)) {
        return arr.clone();
    }
    let s = arr.as_string::<i32>();
    let mut b = ListBuilder::new(StringBuilder::new());
    for v in s.iter() {
        match v {
            Some(v) => {
                b.values().append_value(v);
                b.append(true);
            }
            None => b.append(false),
        }
    }
    Arc::new(b.finish())
}

/// An event column as Utf8 or List<Utf8> (numbers as their SPL text).
pub(crate) fn to_text(arr: &ArrayRef) -> Result<ArrayRef> {
    Ok(match arr.data_type() {
        DataType::Utf8 => arr.clone(),
        DataType::List(f) if f.data_type() == &DataType::Utf8 => arr.clone(),
        DataType::List(_) | DataType::LargeList(_) => arrow_cast::cast(
            arr,
            &DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true))),
        )?,
        DataType::Float64 => Arc::new(
            arr.as_primitive::<Float64Type>()
                .iter()
                .map(|v| v.map(|v| crate::value::format_number(v, None)))
                .collect::<StringArray>(),
        ),
        DataType::Int64 => Arc::new(
            arr.as_primitive::<Int64Type>()
                .iter()
                .map(|v| v.map(|v| v.to_string()))
                .collect::<StringArray>(),
        ),
        _ => arrow_cast::cast(arr, &DataType::Utf8)?,
    })
}

pub(crate) fn set_column(batch: &RecordBatch, name: &str, col: ArrayRef) -> Result<RecordBatch> {
    let schema = batch.schema();
    let mut fields: Vec<Field> = schema.fields().iter().map(|f| f.as_ref().clone()).collect();
    let mut cols: Vec<ArrayRef> = batch.columns().to_vec();
    let field = Field::new(name, col.data_type().clone(), true);
    match fields.iter().position(|f| f.name() == name) {
        Some(i) => {
            if let (Some(f), Some(c)) = (fields.get_mut(i), cols.get_mut(i)) {
                *f = field;
                *c = col;
            }
        }
        None => {
            fields.push(field);
            cols.push(col);
        }
    }
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), cols)?)
}

/// An event key column viewed as text values per row.
pub(crate) enum EventText {
    Str(StringArray),
    List(ListArray),
}

impl EventText {
    pub(crate) fn new(arr: &ArrayRef) -> Result<EventText> {
        let t = to_text(arr)?;
        Ok(match t.data_type() {
            DataType::List(_) => EventText::List(t.as_list::<i32>().clone()),
            _ => EventText::Str(t.as_string::<i32>().clone()),
        })
    }

    pub(crate) fn values(&self, row: usize) -> Vec<&str> {
        match self {
            EventText::Str(s) => {
                if s.is_valid(row) {
                    vec![s.value(row)]
                } else {
                    Vec::new()
                }
            }
            EventText::List(l) => {
                if l.is_null(row) {
                    return Vec::new();
                }
                let values = l.values().as_string::<i32>();
                let offsets = l.value_offsets();
                let (Some(&start), Some(&end)) = (offsets.get(row), offsets.get(row + 1)) else {
                    return Vec::new();
                };
                (start as usize..end as usize)
                    .filter(|&i| values.is_valid(i))
                    .map(|i| values.value(i))
                    .collect()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_keys_print_like_spl() {
        let a: ArrayRef = Arc::new(arrow_array::Float64Array::from(vec![3.0, -0.5, 0.1 + 0.2]));
        let t = to_text(&a).unwrap();
        let t = t.as_string::<i32>();
        assert_eq!(t.value(0), "3");
        assert_eq!(t.value(1), "-0.5");
        assert_eq!(t.value(2), "0.30000000000000004");
    }
}
