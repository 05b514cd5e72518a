//! Events from CSV with a header row (Splunk Web / REST `output_mode=csv` exports,
//! or any table).
//!
//! Every column is text; an empty cell is an absent field. Multivalue cells: a
//! `__mv_<f>` column (Splunk's `$v1$;$v2$` encoding, written by `outputcsv`) gives
//! `f` its values and is dropped; otherwise a cell holding newlines is split into
//! one value per line (how Splunk's CSV export joins multivalue fields), except in
//! `_raw`, whose newlines are part of the event text.

use super::csv_util::{csv_error, delimiter_of, open_csv, read_header_sep};
use super::event_builder::DEFAULT_TIME_FIELDS;
use super::timestamp::parse_time_text;
use crate::error::{EngineError, Result};
use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use std::path::Path;
use std::sync::Arc;

const CSV_EVENT_BATCH_ROWS: usize = 8192;

/// Reads events from a CSV file.
pub(crate) fn read_csv_events(
    path: &Path,
    display: &str,
    time_field: Option<&str>,
) -> Result<Vec<RecordBatch>> {
    let sep = delimiter_of(path);
    let header = read_header_sep(open_csv(path, display)?, display, sep)?;
    // Duplicate column names keep their first occurrence.
    let mut keep = Vec::new();
    for (i, name) in header.iter().enumerate() {
        if !header.iter().take(i).any(|n| n == name) && !name.is_empty() {
            keep.push(i);
        }
    }
    let fields: Vec<Field> = (0..header.len())
        .map(|i| Field::new(format!("c{i}"), DataType::Utf8, true))
        .collect();
    let reader = arrow_csv::ReaderBuilder::new(Arc::new(Schema::new(fields)))
        .with_header(true)
        .with_delimiter(sep)
        .with_batch_size(CSV_EVENT_BATCH_ROWS)
        .with_projection(keep.clone())
        .build(open_csv(path, display)?)
        .map_err(|e| csv_error(e, display))?;
    let names: Vec<String> = keep
        .iter()
        .filter_map(|&i| header.get(i).cloned())
        .collect();
    let time_col = match time_field {
        Some(f) => Some(f),
        None => DEFAULT_TIME_FIELDS
            .iter()
            .copied()
            .find(|c| names.iter().any(|n| n == c)),
    };
    let mut out = Vec::new();
    let mut rows_seen = 0usize;
    for batch in reader {
        let batch = batch.map_err(|e| csv_error(e, display))?;
        let first_line = rows_seen + 2;
        rows_seen += batch.num_rows();
        out.push(convert_batch(
            &batch, &names, time_col, display, first_line,
        )?);
    }
    Ok(out)
}

fn convert_batch(
    batch: &RecordBatch,
    names: &[String],
    time_col: Option<&str>,
    display: &str,
    first_line: usize,
) -> Result<RecordBatch> {
    let n = batch.num_rows();
    let col = |name: &str| {
        names
            .iter()
            .position(|c| c == name)
            .and_then(|i| batch.columns().get(i))
            .map(|a| a.as_string::<i32>().clone())
    };
    let time: Float64Array = match time_col.and_then(|t| col(t).map(|c| (t, c))) {
        None => Float64Array::new_null(n),
        Some((name, c)) => {
            let mut v = Vec::with_capacity(n);
            for (row, cell) in c.iter().enumerate() {
                v.push(match cell {
                    None => None,
                    Some(text) => Some(parse_time_text(text).ok_or_else(|| {
                        EngineError::data(
                            display,
                            Some(first_line + row),
                            Some(name),
                            format!(
                                "expected a timestamp (RFC 3339 or epoch seconds), found `{text}`"
                            ),
                        )
                    })?),
                });
            }
            Float64Array::from(v)
        }
    };
    let mut fields = vec![Field::new("_time", DataType::Float64, true)];
    let mut columns: Vec<ArrayRef> = vec![Arc::new(time)];
    if let Some(raw) = col("_raw") {
        fields.push(Field::new("_raw", DataType::Utf8, true));
        columns.push(Arc::new(raw));
    }
    for (name, array) in names.iter().zip(batch.columns()) {
        if name == "_time" || name == "_raw" || name.starts_with("__mv_") {
            continue;
        }
        let text = array.as_string::<i32>();
        let out: ArrayRef = match col(&format!("__mv_{name}")) {
            Some(mv) => decode_mv_column(text, &mv),
            None if text.iter().flatten().any(|s| s.contains('\n')) => split_lines(text),
            None => array.clone(),
        };
        fields.push(Field::new(name, out.data_type().clone(), true));
        columns.push(out);
    }
    Ok(RecordBatch::try_new(
        Arc::new(Schema::new(fields)),
        columns,
    )?)
}

fn split_lines(text: &StringArray) -> ArrayRef {
    let mut b = ListBuilder::new(StringBuilder::new());
    for cell in text.iter() {
        match cell {
            None => b.append(false),
            Some(s) => {
                for v in s.split('\n') {
                    b.values().append_value(v.strip_suffix('\r').unwrap_or(v));
                }
                b.append(true);
            }
        }
    }
    Arc::new(b.finish())
}

/// Decodes Splunk's `$a$;$b$` multivalue encoding (`$$` is a literal `$`).
pub(crate) fn decode_mv(enc: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = enc.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            continue; // separators `;` (and stray text) between values
        }
        let mut v = String::new();
        while let Some(c) = chars.next() {
            if c == '$' {
                if chars.peek() == Some(&'$') {
                    chars.next();
                    v.push('$');
                } else {
                    break;
                }
            } else {
                v.push(c);
            }
        }
        out.push(v);
    }
    out
}

/// Encodes values in Splunk's `$a$;$b$` multivalue form.
pub(crate) fn encode_mv<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    values
        .into_iter()
        .map(|v| format!("${}$", v.replace('$', "$$")))
        .collect::<Vec<_>>()
        .join(";")
}

/// Folds a CSV export's `__mv_<field>` column into its field: a row
/// with an encoded multivalue becomes its list, other rows keep their text.
pub(crate) fn decode_mv_column(text: &StringArray, mv: &StringArray) -> ArrayRef {
    let mut b = ListBuilder::new(StringBuilder::new());
    for i in 0..text.len() {
        if mv.is_valid(i) {
            for v in decode_mv(mv.value(i)) {
                b.values().append_value(v);
            }
            b.append(true);
        } else if text.is_valid(i) {
            b.values().append_value(text.value(i));
            b.append(true);
        } else {
            b.append(false);
        }
    }
    Arc::new(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mv_encoding_round_trips() {
        let vals = ["a", "b$c", ""];
        let enc = encode_mv(vals);
        assert_eq!(enc, "$a$;$b$$c$;$$");
        assert_eq!(decode_mv(&enc), vals);
    }
}
