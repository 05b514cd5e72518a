//! `makeresults` (semantics 10.14; Splunk's "makeresults" reference page):
//! `count` results holding `_time` = the search's `now` (with `annotate=t`
//! also `_raw`, `host`, `source`, `sourcetype`, `splunk_server`,
//! `splunk_server_group`), or, with `format=csv|json data="..."`, one result
//! per CSV line or JSON object of the inline data.
//!
//! Inline data is parsed when the command is planned, so its errors carry a
//! caret into the query (exact when the data holds no backslash).

use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::source::csv_records::Records;
use crate::source::event_builder::EventBatchBuilder;
use crate::source::json_flatten::{Flattener, JsonSyntaxError};
use crate::source::timestamp::parse_time_text;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field};
use spl_parser::ast::{Makeresults, Opt};
use spl_parser::options::OptReader;
use spl_parser::Span;
use std::borrow::Cow;
use std::sync::Arc;

/// The `makeresults` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Generating,
    description: "Generates `count` results holding `_time`, the search's start time (with `annotate=true` also `_raw`, `host`, `source`, `sourcetype`, `splunk_server` and `splunk_server_group`), or one result per CSV line or JSON object of inline data.",
    examples: &[
        Example {
            title: "three results",
            spl: "| makeresults count=3",
        },
        Example {
            title: "annotated results",
            spl: "| makeresults annotate=true | table _time host splunk_server",
        },
        Example {
            title: "results from inline CSV",
            spl: "| makeresults format=csv data=\"name,age\nJohn,35\nSarah,39\"",
        },
        Example {
            title: "results from inline JSON",
            spl: "| makeresults format=json data=\"[{\\\"name\\\":\\\"John\\\",\\\"age\\\":35},{\\\"name\\\":\\\"Sarah\\\",\\\"age\\\":39}]\"",
        },
    ],
    compat: "Offline there is one server: `splunk_server` is `local` (any other value, and `splunk_server_group`, are rejected); `annotate=true` gives `splunk_server=local` and empty `_raw`, `host`, `source`, `sourcetype` and `splunk_server_group`. `count` is at most the limit `makeresults_max_count` (10,000,000 by default; an engine limit, Splunk documents none). With `format` and `data`, `count`, `annotate` and the server options are ignored as Splunk documents, with the warning `spl::run::ignored_option`. CSV results carry no `_time` (unless a `_time` column gives one); JSON results carry `_raw` (the object's text) and `_time` = now (or the object's `_time`). Values stay text; JSON arrays become multivalue fields named like `spath` (`tags{}`), nested keys `a.b`. Header names and cells are trimmed; an empty cell is an absent field.",
};

/// Inline datasets cannot exceed a threshold of 29,999 characters (Search
/// Reference, "Generating results from inline CSV- or JSON-formatted data").
pub const MAX_DATA_CHARS: usize = 29_999;

/// Rows per generated batch.
const BATCH_ROWS: usize = 65_536;

/// `annotate=true` fields after `_time`, with their offline values.
const ANNOTATED: &[(&str, &str)] = &[
    ("_raw", ""),
    ("host", ""),
    ("source", ""),
    ("sourcetype", ""),
    ("splunk_server", "local"),
    ("splunk_server_group", ""),
];

/// Plans `makeresults`.
pub(crate) fn plan(_m: &Makeresults, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let (o, ctx) = (p.opts, p.ctx);
    let format = o.choice("format")?;
    match (format, o.get("format"), o.get("data")) {
        (Some(format), _, Some(data)) => {
            // "If you specify these arguments, makeresults ignores other
            // arguments such as count or annotate."
            for name in ["count", "annotate", "splunk_server", "splunk_server_group"] {
                if let Some(opt) = o.get(name) {
                    ctx.warnings.push(
                        "spl::run::ignored_option",
                        format!(
                            "makeresults ignores `{}={}` when `format` and `data` are given",
                            opt.key.node, opt.value.node
                        ),
                    );
                }
            }
            let batches = inline_results(&format, data, ctx.now)?;
            Ok(Box::new(MakeresultsOp {
                gen: Gen::Inline(batches),
            }))
        }
        (_, Some(f), None) => Err(EngineError::InvalidArgument {
            message: format!(
                "expected `data=` with `format={}`, found no data",
                f.value.node
            ),
            span: f.key.span.join(f.value.span),
            label: "needs data".into(),
            help: Some(
                "give the rows inline, e.g. format=csv data=\"name,age<newline>John,35\"".into(),
            ),
        }),
        (_, None, Some(d)) => Err(EngineError::InvalidArgument {
            message: "expected `format=csv` or `format=json` with `data=`, found no format".into(),
            span: d.key.span,
            label: "needs format".into(),
            help: Some("say how to read the data: format=csv or format=json".into()),
        }),
        _ => plan_generated(o, ctx),
    }
}

fn plan_generated(o: &OptReader, ctx: &ExecContext) -> Result<Box<dyn Operator>> {
    let max = ctx.limits.makeresults_max_count;
    let count = match o.count("count")? {
        Some((n, span)) if n > max => {
            return Err(crate::limits::exceeded(
                "makeresults_max_count",
                max,
                format!("makeresults count={n}"),
                span,
            ))
        }
        Some((n, _)) => n as usize,
        None => 1,
    };
    let annotate = o.flag("annotate")?;
    // Offline there is one server, the local one, and no server groups.
    if let Some(opt) = o.get("splunk_server") {
        if !opt.value.node.eq_ignore_ascii_case("local") {
            return Err(EngineError::unsupported_option("makeresults", opt));
        }
    }
    if let Some(opt) = o.get("splunk_server_group") {
        return Err(EngineError::unsupported_option("makeresults", opt));
    }
    Ok(Box::new(MakeresultsOp {
        gen: Gen::Count {
            left: count,
            annotate,
            started: false,
        },
    }))
}

/// What the operator produces.
enum Gen {
    /// `count` results (`left` still to emit).
    Count {
        left: usize,
        annotate: bool,
        started: bool,
    },
    /// Results parsed from inline data.
    Inline(Vec<RecordBatch>),
}

struct MakeresultsOp {
    gen: Gen,
}

impl Operator for MakeresultsOp {
    fn push(&mut self, _batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }

    fn finish(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        match &mut self.gen {
            Gen::Inline(batches) => Ok(std::mem::take(batches)),
            Gen::Count { .. } => {
                let mut out = Vec::new();
                while let Some(b) = self.next_batch(ctx.now)? {
                    out.push(b);
                }
                Ok(out)
            }
        }
    }

    /// Makes one batch at a time, each going downstream before the next is
    /// made: memory stays one batch whatever the count, and a satisfied
    /// `head` (or a closed output) stops the making.
    fn generate(
        &mut self,
        ctx: &ExecContext,
        out: &mut dyn FnMut(RecordBatch) -> Result<bool>,
    ) -> Result<()> {
        if let Gen::Inline(batches) = &mut self.gen {
            for b in std::mem::take(batches) {
                if !out(b)? {
                    break;
                }
            }
            return Ok(());
        }
        while let Some(b) = self.next_batch(ctx.now)? {
            if !out(b)? {
                break;
            }
        }
        Ok(())
    }
}

impl MakeresultsOp {
    /// The next batch of a `count=` run, or `None` once all were made (one
    /// batch even for count=0, so the fields are known).
    fn next_batch(&mut self, now: f64) -> Result<Option<RecordBatch>> {
        let Gen::Count {
            left,
            annotate,
            started,
        } = &mut self.gen
        else {
            return Ok(None);
        };
        if *left == 0 && *started {
            return Ok(None);
        }
        *started = true;
        let n = (*left).min(BATCH_ROWS);
        *left -= n;
        generated(n, *annotate, now).map(Some)
    }
}

/// `n` results with `_time` = `now` (and the annotate fields).
fn generated(n: usize, annotate: bool, now: f64) -> Result<RecordBatch> {
    let mut fields = vec![Field::new("_time", DataType::Float64, true)];
    let mut cols: Vec<ArrayRef> = vec![Arc::new(Float64Array::from(vec![now; n]))];
    if annotate {
        for (name, value) in ANNOTATED {
            fields.push(Field::new(*name, DataType::Utf8, true));
            cols.push(Arc::new(StringArray::from(vec![*value; n])));
        }
    }
    crate::batch::from_columns(fields, cols, n)
}

/// Parses `data` in `format` into result batches.
fn inline_results(format: &str, data: &Opt, now: f64) -> Result<Vec<RecordBatch>> {
    let text = data.value.node.as_str();
    let chars = text.chars().count();
    if chars > MAX_DATA_CHARS {
        return Err(EngineError::InvalidArgument {
            message: format!(
                "expected at most {MAX_DATA_CHARS} characters of inline data, found {chars}"
            ),
            span: data.value.span,
            label: "too long".into(),
            help: Some("Splunk limits inline datasets to 29,999 characters; use a lookup (inputlookup) for larger tables".into()),
        });
    }
    let place = DataPlace::new(data);
    if format == "json" {
        json_results(text, &place, now)
    } else {
        csv_results(text, &place)
    }
}

/// Maps byte offsets of the unescaped data back to the query.
struct DataPlace {
    span: Span,
    /// Byte offset in the query of each byte of the data, when exact (no
    /// backslash in the data: only `\"` was unescaped).
    offsets: Option<Vec<u32>>,
}

impl DataPlace {
    fn new(data: &Opt) -> Self {
        let text = data.value.node.as_str();
        let span = data.value.span;
        let offsets = (!text.contains('\\')).then(|| {
            let mut at = span.start + u32::from(data.quoted);
            let mut v = Vec::with_capacity(text.len() + 1);
            for b in text.bytes() {
                if data.quoted && b == b'"' {
                    at += 1; // the backslash before it
                }
                v.push(at);
                at += 1;
            }
            v.push(at);
            v
        });
        let exact = offsets
            .as_ref()
            .and_then(|v| v.last())
            .is_some_and(|&end| end + u32::from(data.quoted) == span.end);
        DataPlace {
            span,
            offsets: offsets.filter(|_| exact),
        }
    }

    /// The query span of data bytes `start..end` (the whole value when the
    /// place is not exact).
    fn span(&self, start: usize, end: usize) -> Span {
        match &self.offsets {
            // empty data: the whole value
            Some(v) if v.len() > 1 => {
                let s = v.get(start).copied().unwrap_or(self.span.start);
                let last = end.max(start + 1) - 1;
                let e = v.get(last).map_or(self.span.end, |&p| p + 1);
                Span::new(s as usize, (e as usize).max(s as usize + 1))
            }
            _ => self.span,
        }
    }

    fn error(&self, message: String, start: usize, end: usize, label: &str) -> EngineError {
        EngineError::InvalidArgument {
            message,
            span: self.span(start, end),
            label: label.into(),
            help: None,
        }
    }
}

/// The byte range of 1-based line `line` of `text`.
fn line_range(text: &str, line: usize) -> (usize, usize) {
    let mut start = 0;
    for (i, l) in text.split('\n').enumerate() {
        if i + 1 == line {
            return (start, start + l.len());
        }
        start += l.len() + 1;
    }
    (text.len(), text.len())
}

/// The `_time` of a row from its `_time` field, if any.
fn row_time(
    b: &EventBatchBuilder,
    place: &DataPlace,
    range: (usize, usize),
) -> Result<Option<f64>> {
    match b.current_value("_time") {
        None => Ok(None),
        Some(v) => parse_time_text(v).map(Some).ok_or_else(|| {
            place.error(
                format!("expected a time (epoch seconds or RFC 3339) for `_time`, found `{v}`"),
                range.0,
                range.1,
                "bad _time",
            )
        }),
    }
}

/// CSV: a header line of field names, then one result per line. No `_time`
/// unless a `_time` column gives it.
fn csv_results(text: &str, place: &DataPlace) -> Result<Vec<RecordBatch>> {
    let mut recs = Records::new(text.as_bytes().to_vec(), 1);
    let unclosed = |line: usize| {
        let (s, e) = line_range(text, line);
        place.error(
            format!("expected a closing `\"` in the CSV data, opened on line {line}"),
            s,
            e,
            "unclosed quote",
        )
    };
    let Some(_) = recs.next_record().map_err(unclosed)? else {
        return Err(place.error(
            "expected a CSV header line of field names, found no data".into(),
            0,
            text.len(),
            "empty data",
        ));
    };
    let mut header = Vec::with_capacity(recs.len());
    for i in 0..recs.len() {
        let name = String::from_utf8_lossy(recs.field(i)).trim().to_string();
        if name.is_empty() || header.contains(&name) {
            let (s, e) = line_range(text, 1);
            let what = if name.is_empty() {
                "an empty field name".to_string()
            } else {
                format!("`{name}` twice")
            };
            return Err(place.error(
                format!("expected distinct field names in the CSV header, found {what}"),
                s,
                e,
                "bad header",
            ));
        }
        header.push(name);
    }
    let mut b = EventBatchBuilder::new(false);
    let mut out = Vec::new();
    while let Some(line) = recs.next_record().map_err(unclosed)? {
        let range = line_range(text, line);
        if recs.len() > header.len() {
            return Err(place.error(
                format!(
                    "expected at most {} values on CSV line {line} (the header's fields), found {}",
                    header.len(),
                    recs.len()
                ),
                range.0,
                range.1,
                "too many values",
            ));
        }
        for (i, name) in header.iter().enumerate().take(recs.len()) {
            let cell = String::from_utf8_lossy(recs.field(i));
            let cell = cell.trim();
            if !cell.is_empty() {
                b.add(name, cell);
            }
        }
        let t = row_time(&b, place, range)?;
        b.end_row(t, None);
        if b.len() >= BATCH_ROWS {
            out.push(without_null_time(b.finish()?)?);
        }
    }
    out.push(without_null_time(b.finish()?)?);
    Ok(out)
}

/// Drops a `_time` column that no row has (CSV results without a `_time` column).
fn without_null_time(batch: RecordBatch) -> Result<RecordBatch> {
    let schema = batch.schema();
    match schema.index_of("_time") {
        Ok(i) if batch.column(i).null_count() == batch.num_rows() => {
            let keep: Vec<usize> = (0..batch.num_columns()).filter(|&j| j != i).collect();
            Ok(batch.project(&keep)?)
        }
        _ => Ok(batch),
    }
}

/// JSON: an array of objects, one result each, with `_raw` = the object's
/// text and `_time` = `now` (or the object's `_time`).
fn json_results(text: &str, place: &DataPlace, now: f64) -> Result<Vec<RecordBatch>> {
    let syntax = |e: JsonSyntaxError| {
        place.error(
            format!("invalid JSON data: {}", e.message),
            e.offset,
            e.offset + 1,
            "here",
        )
    };
    let mut p = Flattener::new(text);
    if p.skip_ws() != Some(b'[') {
        let at = p.pos();
        return Err(place.error(
            "expected a JSON array of objects (`[{...}, ...]`) in the data".into(),
            at,
            at + 1,
            "not an array",
        ));
    }
    p.expect(b'[', "`[`").map_err(syntax)?;
    let mut b = EventBatchBuilder::new(true);
    let mut out = Vec::new();
    if p.skip_ws() == Some(b']') {
        p.expect(b']', "`]`").map_err(syntax)?;
    } else {
        loop {
            let start = match p.skip_ws() {
                Some(b'{') => p.pos(),
                _ => return Err(syntax(p.unexpected("a JSON object (`{...}`) in the array"))),
            };
            p.flatten_object(&mut |k: &str, v: Cow<'_, str>| b.add(k, &v))
                .map_err(syntax)?;
            let end = p.pos();
            let raw = text.get(start..end).unwrap_or_default();
            let t = row_time(&b, place, (start, end))?.unwrap_or(now);
            b.end_row(Some(t), Some(raw));
            if b.len() >= BATCH_ROWS {
                out.push(b.finish()?);
            }
            match p.skip_ws() {
                Some(b',') => p.expect(b',', "`,`").map_err(syntax)?,
                Some(b']') => {
                    p.expect(b']', "`]`").map_err(syntax)?;
                    break;
                }
                _ => return Err(syntax(p.unexpected("`,` or `]` after an object"))),
            }
        }
    }
    if p.skip_ws().is_some() {
        return Err(syntax(
            p.unexpected("the end of the data after the JSON array"),
        ));
    }
    out.push(b.finish()?);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Engine;

    fn run(q: &str) -> Result<Vec<RecordBatch>> {
        let e = Engine::builder(1_714_564_800.0).build();
        e.run(q).map(|r| r.batches)
    }

    fn rows(q: &str) -> usize {
        run(q).unwrap().iter().map(RecordBatch::num_rows).sum()
    }

    /// Inline data of exactly the documented maximum is read; one more
    /// character is an error naming the limit, with the caret on the data.
    #[test]
    fn inline_data_limit_is_29999_characters() {
        let body = |chars: usize| {
            let mut s = String::from("a\n");
            s.push_str(&"x".repeat(chars - 2));
            s
        };
        let ok = format!("| makeresults format=csv data=\"{}\"", body(MAX_DATA_CHARS));
        assert_eq!(rows(&ok), 1);
        let long = format!(
            "| makeresults format=csv data=\"{}\"",
            body(MAX_DATA_CHARS + 1)
        );
        match run(&long) {
            Err(EngineError::InvalidArgument { message, span, .. }) => {
                assert_eq!(
                    message,
                    "expected at most 29999 characters of inline data, found 30000"
                );
                assert_eq!(span.start as usize, long.find("data=").unwrap() + 5);
                assert_eq!(span.end as usize, long.len());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn batches_of_generated_results() {
        assert_eq!(rows("| makeresults count=70000"), 70_000);
        let b = run("| makeresults count=70000").unwrap();
        assert_eq!(b.len(), 2);
        assert_eq!(rows("| makeresults count=0"), 0);
    }

    #[test]
    fn places_map_back_to_the_query() {
        let q = r#"| makeresults format=json data="[{\"a\":1} x]""#;
        match run(q) {
            Err(EngineError::InvalidArgument { span, .. }) => {
                assert_eq!(&q[span.start as usize..span.end as usize], "x");
            }
            other => panic!("{other:?}"),
        }
    }

    /// Blank lines (which a `.spltest` query cannot hold) are skipped.
    #[test]
    fn blank_csv_lines_are_skipped() {
        assert_eq!(rows("| makeresults format=csv data=\"a\n\n1\n\n2\n\""), 2);
        assert_eq!(rows("| makeresults format=csv data=\"a\r\n1\r\n\""), 1);
    }

    /// Options that `format`/`data` make Splunk ignore are reported as warnings.
    #[test]
    fn ignored_options_warn() {
        let e = Engine::builder(0.0).build();
        let r = e
            .run("| makeresults count=3 annotate=t splunk_server=idx1 format=csv data=\"a\n1\"")
            .unwrap();
        assert_eq!(
            r.batches.iter().map(RecordBatch::num_rows).sum::<usize>(),
            1
        );
        let w: Vec<String> = r.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            w,
            [
                "warning[spl::run::ignored_option]: makeresults ignores `count=3` when `format` and `data` are given",
                "warning[spl::run::ignored_option]: makeresults ignores `annotate=t` when `format` and `data` are given",
                "warning[spl::run::ignored_option]: makeresults ignores `splunk_server=idx1` when `format` and `data` are given",
            ]
        );
    }

    /// With a backslash in the data the caret cannot be placed exactly: it
    /// covers the whole value.
    #[test]
    fn escaped_data_errors_cover_the_value() {
        let q = r#"| makeresults format=json data="[{\"a\":\"x\\y\"}] z""#;
        match run(q) {
            Err(EngineError::InvalidArgument { span, .. }) => {
                assert_eq!(span.start as usize, q.find("data=").unwrap() + 5);
                assert_eq!(span.end as usize, q.len());
            }
            other => panic!("{other:?}"),
        }
    }
}
