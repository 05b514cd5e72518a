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
use super::{BatchStream, Scan, ScanRequest};
use crate::error::{EngineError, Result};
use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const CSV_EVENT_BATCH_ROWS: usize = 8192;

/// A CSV event file read lazily: each scan streams the file in batches of
/// 8,192 records, decoding only the columns the scan asks for (and the time
/// column), so memory does not grow with the file. The header and the first
/// batch are read when the file is opened, so a small file reports its data
/// errors then; later batches report theirs when a search reads them.
pub(crate) struct CsvEventScan {
    path: PathBuf,
    display: String,
    sep: u8,
    /// Header names, one per column of the file.
    header: Vec<String>,
    /// The columns read: the first of each name (empty names dropped).
    keep: Vec<usize>,
    /// The column `_time` is parsed from.
    time_col: Option<String>,
}

impl CsvEventScan {
    /// Opens a CSV event file: reads its header and checks its first batch.
    pub(crate) fn open(path: &Path, display: &str, time_field: Option<&str>) -> Result<Self> {
        let sep = delimiter_of(path);
        let header = read_header_sep(open_csv(path, display)?, display, sep)?;
        // Duplicate column names keep their first occurrence.
        let mut keep = Vec::new();
        for (i, name) in header.iter().enumerate() {
            if !header.iter().take(i).any(|n| n == name) && !name.is_empty() {
                keep.push(i);
            }
        }
        let time_col = match time_field {
            Some(f) => Some(f.to_string()),
            None => DEFAULT_TIME_FIELDS
                .iter()
                .find(|c| keep.iter().any(|&i| header.get(i).is_some_and(|n| n == *c)))
                .map(|c| c.to_string()),
        };
        let scan = CsvEventScan {
            path: path.to_path_buf(),
            display: display.to_string(),
            sep,
            header,
            keep,
            time_col,
        };
        if let Some(first) = scan.batches(&ScanRequest::default())?.next() {
            first?;
        }
        Ok(scan)
    }

    /// The events of the file, batch by batch, with the columns `req` wants.
    fn batches(&self, req: &ScanRequest) -> Result<BatchStream<'_>> {
        let name = |i: usize| self.header.get(i).map(String::as_str).unwrap_or_default();
        let wanted = |n: &str| {
            req.wants(n)
                || self.time_col.as_deref() == Some(n)
                || n.strip_prefix("__mv_").is_some_and(|f| req.wants(f))
        };
        let mut cols: Vec<usize> = self
            .keep
            .iter()
            .copied()
            .filter(|&i| wanted(name(i)))
            .collect();
        // a batch needs a column to count its rows
        if cols.is_empty() {
            cols.extend(self.keep.first());
        }
        let names: Vec<String> = cols.iter().map(|&i| name(i).to_string()).collect();
        let fields: Vec<Field> = (0..self.header.len())
            .map(|i| Field::new(format!("c{i}"), DataType::Utf8, true))
            .collect();
        let reader = arrow_csv::ReaderBuilder::new(Arc::new(Schema::new(fields)))
            .with_header(true)
            .with_delimiter(self.sep)
            .with_batch_size(CSV_EVENT_BATCH_ROWS)
            .with_projection(cols)
            .build(open_csv(&self.path, &self.display)?)
            .map_err(|e| csv_error(e, &self.display))?;
        let mut rows_seen = 0usize;
        let mut failed = false;
        Ok(Box::new(reader.map_while(move |batch| {
            if failed {
                return None;
            }
            let out = batch
                .map_err(|e| csv_error(e, &self.display))
                .and_then(|batch| {
                    let first_line = rows_seen + 2;
                    rows_seen += batch.num_rows();
                    convert_batch(
                        &batch,
                        &names,
                        self.time_col.as_deref(),
                        &self.display,
                        first_line,
                    )
                });
            failed = out.is_err();
            Some(out)
        })))
    }
}

impl Scan for CsvEventScan {
    fn scan(&self, req: &ScanRequest) -> Result<BatchStream<'_>> {
        self.batches(req)
    }

    fn may_carry(&self, field: &str) -> Result<bool> {
        Ok(self
            .keep
            .iter()
            .any(|&i| self.header.get(i).is_some_and(|n| n == field)))
    }

    fn carries_known(&self, field: &str) -> Option<bool> {
        self.may_carry(field).ok()
    }
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
