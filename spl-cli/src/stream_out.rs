//! Writing `spl run`'s results while the search runs: each batch the last
//! command emits is rendered and written at once, so memory does not grow
//! with the size of the output (`docs/cli.md`, "Streaming").
//!
//! - JSON lines and JSON write every batch as it comes: a row's text depends
//!   on its own values only, and fields only join at the end of the field
//!   order (`render::extend_fields`), so the bytes are those of rendering
//!   the whole result at once.
//! - CSV and the table need their columns (and the table its widths) before
//!   the first row. They hold the first rows ([`hold_rows`]): a search that
//!   ends within them prints exactly what rendering the whole result gives;
//!   past them, the columns (and widths) of the rows held are fixed and
//!   later rows stream under them. A field first seen after that cannot
//!   join a header already written: the run stops with an error naming it
//!   ([`WriteError::LateField`]) rather than leave its values out.

use crate::output::Format;
use arrow_array::RecordBatch;
use spl_engine::explain::Explanation;
use spl_engine::render::{self as out, Cell};
use std::io::{self, Write};

/// Rows CSV and the table hold before fixing their columns, unless
/// `SPL_OUTPUT_HOLD_ROWS` says otherwise.
pub(crate) const HOLD_ROWS: usize = 10_000;

/// The rows CSV and the table hold before fixing their columns:
/// `SPL_OUTPUT_HOLD_ROWS` (a positive number, or `all` to hold the whole
/// result as before streaming), else [`HOLD_ROWS`]. `None` holds all.
pub(crate) fn hold_rows() -> Result<Option<usize>, String> {
    match std::env::var("SPL_OUTPUT_HOLD_ROWS") {
        Err(_) => Ok(Some(HOLD_ROWS)),
        Ok(v) if v.trim().eq_ignore_ascii_case("all") => Ok(None),
        Ok(v) => match v.trim().parse::<usize>() {
            Ok(n) if n > 0 => Ok(Some(n)),
            _ => Err(format!(
                "SPL_OUTPUT_HOLD_ROWS={v}: expected a positive number of rows or `all`"
            )),
        },
    }
}

/// Why writing stopped.
#[derive(Debug)]
pub(crate) enum WriteError {
    /// The output could not be written (a closed pipe, a full disk).
    Io(io::Error),
    /// A value could not be rendered (reported as the engine's error).
    Render(spl_engine::EngineError),
    /// A field first appeared after CSV or table columns were fixed.
    LateField {
        /// The field.
        field: String,
        /// Rows written before the one that has it.
        row: usize,
        /// Rows held to fix the columns.
        held: usize,
    },
}

impl From<io::Error> for WriteError {
    fn from(e: io::Error) -> Self {
        WriteError::Io(e)
    }
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Io(e) => write!(f, "{e}"),
            WriteError::Render(e) => write!(f, "{e}"),
            WriteError::LateField { field, row, held } => write!(
                f,
                "the field `{field}` first appears in row {}, after the columns were fixed from \
                 the first {held} rows and written: end the search with `| table` or `| fields` \
                 naming the fields to print, use --format jsonl, or set SPL_OUTPUT_HOLD_ROWS \
                 (a larger number, or `all` to hold the whole result in memory)",
                row + 1
            ),
        }
    }
}

/// How the rows are written.
pub(crate) struct Options {
    /// The format.
    pub format: Format,
    /// The width a table is fitted to (`None`: never cut).
    pub fit: Option<usize>,
    /// `--format json` wraps the rows as `{"results": [...], "metadata": ...}`.
    pub json_metadata: bool,
    /// Rows CSV and the table hold before fixing their columns (`None`: all).
    pub hold: Option<usize>,
    /// The user's time zone (for `_time`).
    pub tz: jiff::tz::TimeZone,
}

/// A writer of results in one format, fed batch by batch.
pub(crate) struct ResultWriter<W: Write> {
    w: W,
    o: Options,
    /// The output fields so far (every field for JSON; the fixed columns
    /// for CSV and the table once streaming).
    fields: Vec<String>,
    /// Batches held before CSV or table columns are fixed.
    held: Vec<RecordBatch>,
    held_rows: usize,
    /// The table's column widths, once fixed; for CSV an empty vector.
    fixed: Option<Vec<usize>>,
    /// Rows written.
    rows: usize,
    /// Called once before the first byte is written (a progress display
    /// on the same terminal steps aside).
    before_first: Option<Box<dyn FnOnce() + Send>>,
}

impl<W: Write> ResultWriter<W> {
    /// A writer into `w`.
    pub(crate) fn new(w: W, o: Options) -> Self {
        ResultWriter {
            w,
            o,
            fields: Vec::new(),
            held: Vec::new(),
            held_rows: 0,
            fixed: None,
            rows: 0,
            before_first: None,
        }
    }

    /// Calls `f` once, before the first byte is written.
    pub(crate) fn before_first_write(mut self, f: Box<dyn FnOnce() + Send>) -> Self {
        self.before_first = Some(f);
        self
    }

    fn write(&mut self, s: &str) -> io::Result<()> {
        if let Some(f) = self.before_first.take() {
            f();
        }
        self.w.write_all(s.as_bytes())
    }

    /// The indent of a JSON row and its depth in the document.
    fn json_depth(&self) -> usize {
        if self.o.json_metadata {
            2
        } else {
            1
        }
    }

    /// Writes (or holds) one batch.
    pub(crate) fn push(&mut self, batch: RecordBatch) -> Result<(), WriteError> {
        match self.o.format {
            Format::Jsonl => {
                out::extend_fields(&mut self.fields, &batch);
                let mut s = String::new();
                for row in out::rows(&batch, &self.fields, &self.o.tz).map_err(other)? {
                    s.push_str(&out::json_row(&self.fields, &row).to_string());
                    s.push('\n');
                }
                self.rows += batch.num_rows();
                self.write(&s)?;
            }
            Format::Json => {
                out::extend_fields(&mut self.fields, &batch);
                let depth = self.json_depth();
                let indent = "  ".repeat(depth);
                let mut s = String::new();
                for row in out::rows(&batch, &self.fields, &self.o.tz).map_err(other)? {
                    s.push_str(match (self.rows, self.o.json_metadata) {
                        (0, false) => "[\n",
                        (0, true) => "{\n  \"results\": [\n",
                        _ => ",\n",
                    });
                    s.push_str(&indent);
                    s.push_str(&out::json_pretty_at(
                        &out::json_row(&self.fields, &row),
                        depth,
                    ));
                    self.rows += 1;
                }
                self.write(&s)?;
            }
            Format::Csv | Format::Table => match self.fixed {
                None => {
                    self.held_rows += batch.num_rows();
                    self.held.push(batch);
                    if self.o.hold.is_some_and(|h| self.held_rows >= h) {
                        self.fix_columns()?;
                    }
                }
                Some(_) => {
                    let mut fields = self.fields.clone();
                    if out::extend_fields(&mut fields, &batch) > 0 {
                        let late = fields.get(self.fields.len()).cloned().unwrap_or_default();
                        return Err(WriteError::LateField {
                            field: late,
                            row: self.rows,
                            held: self.held_rows,
                        });
                    }
                    let rows = out::rows(&batch, &self.fields, &self.o.tz).map_err(other)?;
                    self.write_rows(&rows)?;
                }
            },
        }
        Ok(())
    }

    /// Fixes CSV or table columns from the rows held, writes the header and
    /// those rows, and streams from then on.
    fn fix_columns(&mut self) -> Result<(), WriteError> {
        let held = std::mem::take(&mut self.held);
        let t = out::table(&held, &self.o.tz).map_err(other)?;
        drop(held);
        self.fields = t.fields;
        let (head, widths) = match self.o.format {
            Format::Table => {
                let widths = out::text_widths(&self.fields, &t.rows, self.o.fit);
                (out::text_header(&self.fields, &widths), widths)
            }
            _ => (out::csv_header(&self.fields), Vec::new()),
        };
        self.fixed = Some(widths);
        self.write(&head)?;
        self.write_rows(&t.rows)?;
        Ok(())
    }

    fn write_rows(&mut self, rows: &[Vec<Cell>]) -> io::Result<()> {
        let s = match &self.fixed {
            Some(widths) if self.o.format == Format::Table => {
                out::text_rows(rows, widths, self.o.fit.is_some())
            }
            _ => rows.iter().map(|r| out::csv_row(r)).collect(),
        };
        self.rows += rows.len();
        self.write(&s)
    }

    /// Rows of the result so far, written or held.
    pub(crate) fn rows(&self) -> usize {
        self.rows + self.held_rows * usize::from(self.fixed.is_none())
    }

    /// Ends the output (writing what is held, the table's row count, the
    /// end of the JSON document with `explain` as its metadata) and flushes.
    pub(crate) fn finish(mut self, explain: Option<&Explanation>) -> Result<W, WriteError> {
        match self.o.format {
            Format::Jsonl => {}
            Format::Json => {
                let mut s = String::new();
                match (self.rows, self.o.json_metadata) {
                    (0, false) => s.push_str("[]"),
                    (0, true) => s.push_str("{\n  \"results\": []"),
                    (_, false) => s.push_str("\n]"),
                    (_, true) => s.push_str("\n  ]"),
                }
                if self.o.json_metadata {
                    let meta = serde_json::json!({ "explain": explain });
                    s.push_str(",\n  \"metadata\": ");
                    s.push_str(&out::json_pretty_at(&meta, 1));
                    s.push_str("\n}");
                }
                s.push('\n');
                self.write(&s)?;
            }
            Format::Csv | Format::Table => match self.fixed {
                // the whole result was held: rendered at once, as before streaming
                None => {
                    let held = std::mem::take(&mut self.held);
                    let t = out::table(&held, &self.o.tz).map_err(other)?;
                    let s = match self.o.format {
                        Format::Table => out::to_text_table_fit(&t, self.o.fit),
                        _ => out::to_csv(&t),
                    };
                    self.write(&s)?;
                }
                Some(_) if self.o.format == Format::Table => {
                    let footer = out::text_footer(self.rows);
                    self.write(&footer)?;
                }
                Some(_) => {}
            },
        }
        self.w.flush()?;
        Ok(self.w)
    }
}

/// A rendering failure (a bug or an unrepresentable value), reported as
/// the engine's error it is.
fn other(e: spl_engine::EngineError) -> WriteError {
    WriteError::Render(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Float64Array, StringArray};
    use arrow_schema::{DataType, Field, Schema};
    use std::sync::Arc;

    fn batch(cols: &[(&str, Vec<Option<&str>>)]) -> RecordBatch {
        let fields: Vec<Field> = cols
            .iter()
            .map(|(n, _)| Field::new(*n, DataType::Utf8, true))
            .collect();
        let arrays = cols
            .iter()
            .map(|(_, v)| Arc::new(StringArray::from(v.clone())) as arrow_array::ArrayRef)
            .collect();
        RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).unwrap()
    }

    fn batches() -> Vec<RecordBatch> {
        vec![
            batch(&[("a", vec![Some("1"), Some("x,y")])]),
            batch(&[("b", vec![Some("2")]), ("a", vec![None])]),
            batch(&[("a", vec![Some("3")]), ("c", vec![Some("new\nline")])]),
        ]
    }

    fn options(format: Format, hold: Option<usize>, meta: bool) -> Options {
        Options {
            format,
            fit: None,
            json_metadata: meta,
            hold,
            tz: jiff::tz::TimeZone::UTC,
        }
    }

    fn streamed(
        bs: &[RecordBatch],
        o: Options,
        explain: Option<&Explanation>,
    ) -> Result<String, WriteError> {
        let mut w = ResultWriter::new(Vec::new(), o);
        for b in bs {
            w.push(b.clone())?;
        }
        Ok(String::from_utf8(w.finish(explain)?).unwrap())
    }

    /// What rendering the whole result at once gives.
    fn whole(bs: &[RecordBatch], format: Format) -> String {
        let t = out::table(bs, &jiff::tz::TimeZone::UTC).unwrap();
        match format {
            Format::Table => out::to_text_table(&t),
            Format::Csv => out::to_csv(&t),
            Format::Json => out::to_json(&t),
            Format::Jsonl => out::to_jsonl(&t),
        }
    }

    #[test]
    fn json_formats_stream_the_bytes_of_the_whole_rendering() {
        for f in [Format::Json, Format::Jsonl] {
            for bs in [batches(), Vec::new(), vec![batch(&[("a", vec![])])]] {
                assert_eq!(
                    streamed(&bs, options(f, Some(1), false), None).unwrap(),
                    whole(&bs, f),
                    "{f:?}"
                );
            }
        }
    }

    #[test]
    fn json_with_metadata_streams_the_document_explain_builds() {
        let e = Explanation {
            stages: Vec::new(),
            base: None,
        };
        for bs in [batches(), Vec::new()] {
            let rows = whole(&bs, Format::Json);
            assert_eq!(
                streamed(&bs, options(Format::Json, None, true), Some(&e)).unwrap(),
                crate::explain::json_with_metadata(&rows, &e)
            );
        }
    }

    #[test]
    fn csv_and_table_held_whole_are_the_whole_rendering() {
        for f in [Format::Csv, Format::Table] {
            for hold in [None, Some(4), Some(100)] {
                assert_eq!(
                    streamed(&batches(), options(f, hold, false), None).unwrap(),
                    whole(&batches(), f),
                    "{f:?} {hold:?}"
                );
            }
        }
    }

    #[test]
    fn csv_streams_under_the_columns_of_the_rows_held() {
        // columns fixed after the first two batches (a, b); the third adds c
        let bs = &batches()[..2];
        let mut more = bs.to_vec();
        more.push(batch(&[("b", vec![Some("4")])]));
        let got = streamed(&more, options(Format::Csv, Some(3), false), None).unwrap();
        assert_eq!(got, "a,b\n1,\n\"x,y\",\n,2\n,4\n");
        assert_eq!(got, whole(&more, Format::Csv));
    }

    #[test]
    fn a_field_after_the_columns_are_fixed_stops_the_output() {
        let e = streamed(&batches(), options(Format::Csv, Some(2), false), None).unwrap_err();
        let WriteError::LateField { field, row, held } = &e else {
            panic!("{e:?}")
        };
        assert_eq!((field.as_str(), *row, *held), ("b", 2, 2));
        assert!(e.to_string().contains("row 3"), "{e}");
        // fields that are not shown never stop it
        let internal = batch(&[("a", vec![Some("5")]), ("_cd", vec![Some("0:1")])]);
        let bs = vec![batches()[0].clone(), internal];
        assert!(streamed(&bs, options(Format::Csv, Some(1), false), None).is_ok());
    }

    #[test]
    fn a_streamed_table_keeps_its_widths_and_counts_its_rows() {
        let bs = vec![
            batch(&[("a", vec![Some("1"), Some("22")])]),
            batch(&[("a", vec![Some("a longer cell")])]),
        ];
        let plain = streamed(&bs, options(Format::Table, Some(2), false), None).unwrap();
        assert_eq!(plain, "a\n--\n1\n22\na longer cell\n(3 rows)\n");
        let mut o = options(Format::Table, Some(2), false);
        o.fit = Some(80);
        let fitted = streamed(&bs, o, None).unwrap();
        assert_eq!(fitted, "a\n--\n1\n22\na…\n(3 rows)\n");
    }

    #[test]
    fn cells_render_from_their_own_batch() {
        // a number in one batch and text in another: each as it is
        let schema = |t: DataType| Arc::new(Schema::new(vec![Field::new("n", t, true)]));
        let nums = RecordBatch::try_new(
            schema(DataType::Float64),
            vec![Arc::new(Float64Array::from(vec![1.5]))],
        )
        .unwrap();
        let text = RecordBatch::try_new(
            schema(DataType::Utf8),
            vec![Arc::new(StringArray::from(vec!["x"]))],
        )
        .unwrap();
        let got = streamed(&[nums, text], options(Format::Jsonl, None, false), None).unwrap();
        assert_eq!(got, "{\"n\":\"1.5\"}\n{\"n\":\"x\"}\n");
    }
}
