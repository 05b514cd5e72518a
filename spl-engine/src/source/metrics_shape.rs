//! The metric data point shape shared by the CSV and Parquet metric readers:
//! which input columns are time, name, value, measurements and dimensions, and the
//! conversion of one input batch to the engine's metric batch (`_time` Float64,
//! `metric_name` Utf8, `_value` Float64, dimensions Utf8) with time filtering.

use super::timestamp::{epoch_from_number, parse_time_text};
use super::ScanRequest;
use crate::error::{EngineError, Result};
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float64Type, Int64Type, TimestampMicrosecondType, TimestampMillisecondType,
};
use arrow_array::types::{TimestampNanosecondType, TimestampSecondType};
use arrow_array::{Array, ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use std::sync::Arc;

/// Where the metric parts are among the input columns (indices into the header).
#[derive(Debug, Clone)]
pub(crate) struct MetricColumns {
    pub time: usize,
    pub name: Option<usize>,
    pub value: Option<usize>,
    /// `metric_name:<m>` columns of the multiple-measurement form.
    pub measures: Vec<(usize, String)>,
    pub dims: Vec<usize>,
}

impl MetricColumns {
    /// Recognises the metric columns; `None` when the names are not a metrics table.
    pub(crate) fn from_names(names: &[String]) -> Option<MetricColumns> {
        let pos = |n: &str| names.iter().position(|c| c == n);
        let time = pos("metric_timestamp").or_else(|| pos("_time"))?;
        let name = pos("metric_name");
        let value = pos("_value");
        let measures: Vec<(usize, String)> = names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| Some((i, n.strip_prefix("metric_name:")?.to_string())))
            .filter(|(_, m)| !m.is_empty())
            .collect();
        let single = name.is_some() && value.is_some();
        if !single && measures.is_empty() {
            return None;
        }
        let dims = (0..names.len())
            .filter(|&i| {
                i != time
                    && Some(i) != name
                    && Some(i) != value
                    && !measures.iter().any(|(m, _)| *m == i)
                    // The other spelling of the time column is not a dimension.
                    && !matches!(names.get(i).map(String::as_str), Some("metric_timestamp" | "_time"))
            })
            .collect();
        Some(MetricColumns {
            time,
            name: if single { name } else { None },
            value: if single { value } else { None },
            measures: if single { Vec::new() } else { measures },
            dims,
        })
    }

    /// Dimension columns the request needs (all when it names no columns).
    pub(crate) fn wanted_dims(&self, names: &[String], req: &ScanRequest) -> Vec<usize> {
        match &req.columns {
            None => self.dims.clone(),
            Some(cols) => self
                .dims
                .iter()
                .copied()
                .filter(|&i| names.get(i).is_some_and(|n| cols.iter().any(|c| c == n)))
                .collect(),
        }
    }

    /// Input column indices to read, ascending.
    pub(crate) fn input_projection(&self, names: &[String], req: &ScanRequest) -> Vec<usize> {
        let mut v = vec![self.time];
        v.extend(self.name);
        v.extend(self.value);
        v.extend(self.measures.iter().map(|(i, _)| *i));
        v.extend(self.wanted_dims(names, req));
        v.sort_unstable();
        v.dedup();
        v
    }
}

pub(crate) fn cell_error(
    display: &str,
    first_line: Option<usize>,
    row: usize,
    field: &str,
    msg: String,
) -> EngineError {
    match first_line {
        Some(l) => EngineError::data(display, Some(l + row), Some(field), msg),
        None => EngineError::data(
            display,
            None,
            Some(field),
            format!("row {}: {msg}", row + 1),
        ),
    }
}

/// Epoch seconds from a time column of any supported type.
pub(crate) fn time_to_f64(
    col: &ArrayRef,
    field: &str,
    display: &str,
    first_line: Option<usize>,
) -> Result<Float64Array> {
    let out: Float64Array = match col.data_type() {
        DataType::Float64 => col.as_primitive::<Float64Type>().clone(),
        DataType::Timestamp(unit, _) => {
            let (vals, scale): (Vec<Option<i64>>, f64) = match unit {
                TimeUnit::Second => (
                    col.as_primitive::<TimestampSecondType>().iter().collect(),
                    1.0,
                ),
                TimeUnit::Millisecond => (
                    col.as_primitive::<TimestampMillisecondType>()
                        .iter()
                        .collect(),
                    1e3,
                ),
                TimeUnit::Microsecond => (
                    col.as_primitive::<TimestampMicrosecondType>()
                        .iter()
                        .collect(),
                    1e6,
                ),
                TimeUnit::Nanosecond => (
                    col.as_primitive::<TimestampNanosecondType>()
                        .iter()
                        .collect(),
                    1e9,
                ),
            };
            vals.into_iter()
                .map(|v| v.map(|x| x as f64 / scale))
                .collect()
        }
        DataType::Int64 => {
            // integer epochs (s, ms, us or ns), without a cast to Float64 first
            let a = col.as_primitive::<Int64Type>();
            scale_epochs(a.values().iter().map(|&v| v as f64), a.nulls())
        }
        dt if dt.is_numeric() => {
            let f = arrow_cast::cast(col, &DataType::Float64)?;
            let f = f.as_primitive::<Float64Type>();
            if f.values().iter().all(|v| v.is_finite()) {
                scale_epochs(f.values().iter().copied(), f.nulls())
            } else {
                f.iter().map(|v| v.and_then(epoch_from_number)).collect()
            }
        }
        _ => {
            let s = arrow_cast::cast(col, &DataType::Utf8)?;
            let s = s.as_string::<i32>();
            let mut v = Vec::with_capacity(s.len());
            for (row, cell) in s.iter().enumerate() {
                match cell {
                    None => v.push(None),
                    Some(text) => v
                        .push(Some(time_from_text(text).map_err(|msg| {
                            cell_error(display, first_line, row, field, msg)
                        })?)),
                }
            }
            Float64Array::from(v)
        }
    };
    Ok(out)
}

/// Epoch seconds of a time cell's text: an epoch number (s, ms, us or ns
/// by magnitude) or RFC 3339 / Splunk export text; the error says what was found.
pub(crate) fn time_from_text(text: &str) -> std::result::Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .and_then(epoch_from_number)
        .or_else(|| parse_time_text(text))
        .ok_or_else(|| format!("expected a timestamp (epoch seconds or RFC 3339), found `{text}`"))
}

/// A `_value` or measurement cell's number (spaces around it allowed).
pub(crate) fn number_from_text(text: &str) -> std::result::Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .map_err(|_| format!("expected a number, found `{text}`"))
}

/// Finite epoch numbers to seconds, keeping the null mask: the common
/// case, without building per-row options.
fn scale_epochs(values: impl Iterator<Item = f64>, nulls: Option<&NullBuffer>) -> Float64Array {
    let values: Vec<f64> = values.map(|v| epoch_from_number(v).unwrap_or(v)).collect();
    Float64Array::new(values.into(), nulls.cloned())
}

/// Like [`time_to_f64`], but a missing time is an error (metric points need one).
pub(crate) fn required_time(
    col: &ArrayRef,
    field: &str,
    display: &str,
    first_line: Option<usize>,
) -> Result<Float64Array> {
    let out = time_to_f64(col, field, display, first_line)?;
    if let Some(row) = (0..out.len()).find(|&i| out.is_null(i)) {
        return Err(cell_error(
            display,
            first_line,
            row,
            field,
            "expected a timestamp, found an empty value".into(),
        ));
    }
    Ok(out)
}

/// `_value` (or a measurement) as Float64; empty cells stay null.
fn value_to_f64(
    col: &ArrayRef,
    field: &str,
    display: &str,
    first_line: Option<usize>,
) -> Result<Float64Array> {
    match col.data_type() {
        DataType::Float64 => Ok(col.as_primitive::<Float64Type>().clone()),
        dt if dt.is_numeric() => Ok(arrow_cast::cast(col, &DataType::Float64)?
            .as_primitive::<Float64Type>()
            .clone()),
        _ => {
            let s = arrow_cast::cast(col, &DataType::Utf8)?;
            let s = s.as_string::<i32>();
            let mut v = Vec::with_capacity(s.len());
            for (row, cell) in s.iter().enumerate() {
                v.push(match cell {
                    None => None,
                    Some(text) => Some(
                        number_from_text(text)
                            .map_err(|msg| cell_error(display, first_line, row, field, msg))?,
                    ),
                });
            }
            Ok(Float64Array::from(v))
        }
    }
}

/// Text columns stay Utf8 or `Dictionary(Int32, Utf8)` (cheap to aggregate
/// on codes); anything else becomes Utf8.
fn to_text(col: &ArrayRef) -> Result<ArrayRef> {
    Ok(match col.data_type() {
        DataType::Utf8 => col.clone(),
        DataType::Dictionary(k, v) if **k == DataType::Int32 && **v == DataType::Utf8 => {
            col.clone()
        }
        _ => arrow_cast::cast(col, &DataType::Utf8)?,
    })
}

fn metric_schema(
    names: &[String],
    dims: &[usize],
    name_type: &DataType,
    dim_cols: &[ArrayRef],
    with_time: bool,
) -> Arc<Schema> {
    let mut fields = Vec::with_capacity(3 + dims.len());
    if with_time {
        fields.push(Field::new("_time", DataType::Float64, false));
    }
    fields.extend([
        Field::new("metric_name", name_type.clone(), true),
        Field::new("_value", DataType::Float64, true),
    ]);
    for (&d, col) in dims.iter().zip(dim_cols) {
        fields.push(Field::new(
            names.get(d).cloned().unwrap_or_default(),
            col.data_type().clone(),
            true,
        ));
    }
    Arc::new(Schema::new(fields))
}

/// Converts one input batch (columns given with their header index) into a metric
/// batch, keeping rows inside the request's time range.
// one call site per reader; a parameter struct would only rename these
#[allow(clippy::too_many_arguments)]
pub(crate) fn finish_metric_batch(
    layout: &MetricColumns,
    names: &[String],
    columns: &[(usize, ArrayRef)],
    n_rows: usize,
    req: &ScanRequest,
    display: &str,
    first_line: Option<usize>,
    with_time: bool,
) -> Result<RecordBatch> {
    let get = |i: usize| {
        columns
            .iter()
            .find(|(c, _)| *c == i)
            .map(|(_, a)| a.clone())
    };
    let missing = |i: usize| EngineError::Internal(format!("metric column {i} was not read"));
    let time_name = names.get(layout.time).map_or("_time", String::as_str);
    // without the time column (the scan knows every row is inside the
    // window), batches have no `_time`
    let time = match with_time {
        true => Some(required_time(
            &get(layout.time).ok_or_else(|| missing(layout.time))?,
            time_name,
            display,
            first_line,
        )?),
        false => None,
    };
    let dims = layout.wanted_dims(names, req);
    let dim_cols = dims
        .iter()
        .map(|&d| to_text(&get(d).ok_or_else(|| missing(d))?))
        .collect::<Result<Vec<_>>>()?;
    let keep = match time.as_ref().and_then(|t| time_mask(t, req)) {
        // every row inside the window: no copy
        Some(m) if m.true_count() == m.len() => None,
        m => m,
    };

    let mut parts: Vec<(ArrayRef, ArrayRef, Option<BooleanArray>)> = Vec::new();
    if let (Some(n), Some(v)) = (layout.name, layout.value) {
        let name = to_text(&get(n).ok_or_else(|| missing(n))?)?;
        let value = value_to_f64(
            &get(v).ok_or_else(|| missing(v))?,
            "_value",
            display,
            first_line,
        )?;
        parts.push((name, Arc::new(value), None));
    }
    for (i, m) in &layout.measures {
        let field = names.get(*i).map_or("", String::as_str);
        let value = value_to_f64(
            &get(*i).ok_or_else(|| missing(*i))?,
            field,
            display,
            first_line,
        )?;
        let present = BooleanArray::from_iter((0..n_rows).map(|r| Some(value.is_valid(r))));
        let name: ArrayRef = Arc::new(StringArray::from_iter_values(std::iter::repeat_n(
            m.as_str(),
            n_rows,
        )));
        parts.push((name, Arc::new(value), Some(present)));
    }
    let mut batches = Vec::with_capacity(parts.len());
    let several = parts.len() > 1;
    for (name, value, present) in parts {
        // parts are concatenated below: one name type for all
        let name = match several && name.data_type() != &DataType::Utf8 {
            true => arrow_cast::cast(&name, &DataType::Utf8)?,
            false => name,
        };
        let mask = match (&keep, present) {
            (None, None) => None,
            (Some(k), None) => Some(k.clone()),
            (None, Some(p)) => Some(p),
            (Some(k), Some(p)) => Some(arrow_arith::boolean::and(k, &p)?),
        };
        let schema = metric_schema(names, &dims, name.data_type(), &dim_cols, time.is_some());
        let mut cols: Vec<ArrayRef> = Vec::with_capacity(3 + dim_cols.len());
        if let Some(t) = &time {
            cols.push(Arc::new(t.clone()));
        }
        cols.extend([name, value]);
        cols.extend(dim_cols.iter().cloned());
        let batch = RecordBatch::try_new(schema, cols)?;
        batches.push(match mask {
            Some(m) => arrow_select::filter::filter_record_batch(&batch, &m)?,
            None => batch,
        });
    }
    match batches.len() {
        1 => batches
            .pop()
            .ok_or_else(|| EngineError::Internal("no metric batch".into())),
        _ => {
            let schema = metric_schema(names, &dims, &DataType::Utf8, &dim_cols, time.is_some());
            Ok(arrow_select::concat::concat_batches(&schema, &batches)?)
        }
    }
}

/// Rows inside `[earliest, latest)`, or `None` when the request has no bounds.
pub(crate) fn time_mask(time: &Float64Array, req: &ScanRequest) -> Option<BooleanArray> {
    if req.earliest.is_none() && req.latest.is_none() {
        return None;
    }
    let lo = req.earliest.unwrap_or(f64::NEG_INFINITY);
    let hi = req.latest.unwrap_or(f64::INFINITY);
    let values = time.values();
    // nulls fail the test: a null slot's value is masked out below
    let inside = arrow_buffer::BooleanBuffer::collect_bool(values.len(), |i| {
        let t = values[i];
        t >= lo && t < hi
    });
    let inside = match time.nulls() {
        Some(n) => &inside & n.inner(),
        None => inside,
    };
    Some(BooleanArray::new(inside, None))
}
