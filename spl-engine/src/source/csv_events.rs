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
use super::line_limit::LineGuard;
use super::timestamp::parse_time_text;
use super::{BatchStream, Scan, ScanRequest};
use crate::error::{EngineError, Result};
use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const CSV_EVENT_BATCH_ROWS: usize = 8192;

/// Most cells one batch holds: arrow-csv sizes its decoder for rows times
/// columns of the whole file (not only the projected ones), so a wide file
/// reads in fewer rows per batch instead of allocating for 8192 rows of
/// every column (a 50,000-column file took 3 GB and minutes).
const CSV_EVENT_BATCH_CELLS: usize = 1 << 21;

/// Rows per batch for a file of `columns` columns.
fn batch_rows(columns: usize) -> usize {
    (CSV_EVENT_BATCH_CELLS / columns.max(1)).clamp(1, CSV_EVENT_BATCH_ROWS)
}

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
    /// `max_line_bytes`: a longer line is a data error.
    max_line: u64,
}

impl CsvEventScan {
    /// Opens a CSV event file: reads its header and checks its first batch.
    pub(crate) fn open(
        path: &Path,
        display: &str,
        time_field: Option<&str>,
        max_columns: u64,
        max_line: u64,
    ) -> Result<Self> {
        let sep = delimiter_of(path);
        let header = read_header_sep(
            LineGuard::new(open_csv(path, display)?, max_line),
            display,
            sep,
        )?;
        super::csv_util::check_columns(&header, display, max_columns)?;
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
            max_line,
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
        let guarded = LineGuard::new(open_csv(&self.path, &self.display)?, self.max_line);
        let quotes = QuoteTracker::new(guarded, self.sep);
        let open_quote = quotes.open_line.clone();
        let reader = arrow_csv::ReaderBuilder::new(Arc::new(Schema::new(fields)))
            .with_header(true)
            .with_delimiter(self.sep)
            .with_batch_size(batch_rows(self.header.len()))
            .with_projection(cols)
            .build(quotes)
            .map_err(|e| csv_error(e, &self.display))?;
        let mut rows_seen = 0usize;
        let mut failed = false;
        // arrow-csv ends a quoted field left open at the end of the file
        // without a word, taking every later line into it: after the last
        // batch, a quote still open is an error naming its line.
        let display = self.display.clone();
        let unclosed = std::iter::from_fn(move || {
            let line = open_quote.swap(0, Ordering::Relaxed);
            (line > 0).then(|| {
                Err(EngineError::data(
                    &display,
                    Some(line),
                    None,
                    "expected a closing `\"` for the quoted field opened on this line, found \
                     the end of the file",
                ))
            })
        });
        Ok(Box::new(
            reader
                .map_while(move |batch| {
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
                })
                .chain(unclosed),
        ))
    }
}

/// Passes a CSV file's bytes through while following its quoting as
/// arrow-csv (csv-core) reads it: a `"` opens a quoted field only at the
/// start of a field, `""` inside one is a quote, and a closing quote may
/// be followed by more text. At the end of the file, `open_line` holds
/// the line of a quoted field still open (0 when none).
struct QuoteTracker<R> {
    inner: R,
    sep: u8,
    state: QuoteState,
    line: usize,
    opened: usize,
    open_line: Arc<AtomicUsize>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

impl<R> QuoteTracker<R> {
    fn new(inner: R, sep: u8) -> Self {
        QuoteTracker {
            inner,
            sep,
            state: QuoteState::FieldStart,
            line: 1,
            opened: 0,
            open_line: Arc::new(AtomicUsize::new(0)),
        }
    }

    fn track(&mut self, bytes: &[u8]) {
        use QuoteState::*;
        for &b in bytes {
            if b == b'\n' {
                self.line += 1;
            }
            self.state = match (self.state, b) {
                (Quoted, b'"') => QuoteInQuoted,
                (Quoted, _) => Quoted,
                (QuoteInQuoted, b'"') => Quoted,
                (FieldStart, b'"') => {
                    self.opened = self.line;
                    Quoted
                }
                (_, b'\n' | b'\r') => FieldStart,
                (_, c) if c == self.sep => FieldStart,
                _ => Unquoted,
            };
        }
    }
}

impl<R: Read> Read for QuoteTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.track(buf.get(..n).unwrap_or_default());
        if n == 0 && !buf.is_empty() && self.state == QuoteState::Quoted {
            self.open_line.store(self.opened, Ordering::Relaxed);
        }
        Ok(n)
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

    fn scan_text(name: &str, text: &str) -> Result<usize> {
        let dir = std::env::temp_dir().join(format!("spl-csv-quote-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let out = CsvEventScan::open(&path, "e.csv", None, 10_000, 1 << 20).and_then(|scan| {
            let mut rows = 0;
            for b in scan.scan(&ScanRequest::default())? {
                rows += b?.num_rows();
            }
            Ok(rows)
        });
        let _ = std::fs::remove_file(&path);
        out
    }

    /// Issue 15: an unclosed quote took the rest of the file into one
    /// field, exit 0.
    #[test]
    fn csv_events_unclosed_quote_is_an_error() {
        let e = scan_text("open.csv", "a,b\n1,x\n2,\"y\n3,z\n4,w\n").unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("e.csv:3") && msg.contains("closing `\"`"),
            "{msg}"
        );
        // closed quotes, `""`, a quote inside an unquoted cell and text after a
        // closing quote are all fine
        let ok = "a,b\n1,\"x\ny\"\n2,\"say \"\"hi\"\"\"\n3,ab\"c\n4,\"ab\"cd\n";
        assert_eq!(scan_text("ok.csv", ok).unwrap(), 4);
        // many batches: the open quote is past the first one
        let mut big = String::from("a,b\n");
        for i in 0..20_000 {
            big.push_str(&format!("{i},v\n"));
        }
        big.push_str("x,\"open\n1,2\n");
        let e = scan_text("big.csv", &big).unwrap_err();
        assert!(e.to_string().contains("e.csv:20002"), "{e}");
    }

    #[test]
    fn mv_encoding_round_trips() {
        let vals = ["a", "b$c", ""];
        let enc = encode_mv(vals);
        assert_eq!(enc, "$a$;$b$$c$;$$");
        assert_eq!(decode_mv(&enc), vals);
    }
}
