//! Events from JSON: JSON lines (one object per line, e.g. Kubernetes audit logs), a
//! top-level array of objects, or concatenated (pretty-printed) objects.
//!
//! Fields are flattened as Splunk's `_json` source type names them
//! ([`super::json_flatten`]); `_raw` is the object's original text; `_time` comes
//! from the configured time field or the first parseable of
//! [`super::event_builder::DEFAULT_TIME_FIELDS`].

use super::event_builder::{EventBatchBuilder, DEFAULT_TIME_FIELDS, EVENT_BATCH_ROWS};
use super::json_flatten::{flatten_document, Flattener, JsonSyntaxError};
use super::timestamp::parse_time_text;
use crate::error::{EngineError, Result};
use arrow_array::RecordBatch;
use std::borrow::Cow;
use std::path::Path;

/// Reads a whole file as UTF-8 text, naming the line of the first invalid byte.
pub(crate) fn read_text(path: &Path, display: &str) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|source| EngineError::Io {
        path: display.to_string(),
        source,
    })?;
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let line = e
                .as_bytes()
                .get(..good)
                .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
                + 1;
            Err(EngineError::data(
                display,
                Some(line),
                None,
                format!("expected UTF-8 text, found an invalid byte at offset {good}"),
            ))
        }
    }
}

/// The 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()
        .get(..offset)
        .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
        + 1
}

/// Resolves a row's `_time` from the fields already added to the builder.
pub(crate) fn row_time(
    b: &EventBatchBuilder,
    time_field: Option<&str>,
    file: &str,
    line: usize,
) -> Result<Option<f64>> {
    if let Some(f) = time_field {
        return match b.current_value(f) {
            None => Ok(None),
            Some(v) => parse_time_text(v).map(Some).ok_or_else(|| {
                EngineError::data(
                    file,
                    Some(line),
                    Some(f),
                    format!("expected a timestamp (RFC 3339 or epoch seconds), found `{v}`"),
                )
            }),
        };
    }
    Ok(DEFAULT_TIME_FIELDS
        .iter()
        .find_map(|c| b.current_value(c).and_then(parse_time_text)))
}

fn syntax_error(file: &str, text: &str, base: usize, e: JsonSyntaxError) -> EngineError {
    let at = base + e.offset;
    let line = line_of(text, at);
    let line_start = text
        .get(..at)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |p| p + 1);
    let column = text.get(line_start..at).map_or(0, |s| s.chars().count()) + 1;
    EngineError::data(
        file,
        Some(line),
        None,
        format!("invalid JSON at column {column}: {}", e.message),
    )
}

/// Reads JSON events from a file.
pub(crate) fn read_json_events(
    path: &Path,
    display: &str,
    time_field: Option<&str>,
) -> Result<Vec<RecordBatch>> {
    let text = read_text(path, display)?;
    parse_json_events(&text, display, time_field)
}

/// Parses JSON events from text (see the module docs for the accepted shapes).
pub(crate) fn parse_json_events(
    text: &str,
    display: &str,
    time_field: Option<&str>,
) -> Result<Vec<RecordBatch>> {
    let mut r = Reader {
        text,
        display,
        time_field,
        b: EventBatchBuilder::new(true),
        out: Vec::new(),
        has_event_list: text.contains("\"EventList\""),
        line_cursor: (0, 1),
    };
    let first = text.trim_start().as_bytes().first().copied();
    let first_line_is_object = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .is_some_and(|l| flatten_document(l, &mut |_: &str, _: Cow<'_, str>| {}).is_ok());
    if first == Some(b'[') || !first_line_is_object {
        r.document_mode()?;
    } else {
        r.line_mode()?;
    }
    if r.b.len() > 0 {
        let last = r.b.finish()?;
        r.out.push(last);
    }
    Ok(r.out)
}

struct Reader<'t> {
    /// The whole file (for line numbers).
    text: &'t str,
    display: &'t str,
    time_field: Option<&'t str>,
    b: EventBatchBuilder,
    out: Vec<RecordBatch>,
    /// Whether any object may be an audit `EventList` (checked once per file).
    has_event_list: bool,
    /// (byte offset, its 1-based line): line numbers are counted incrementally
    /// because objects are visited in file order.
    line_cursor: (usize, usize),
}

impl<'t> Reader<'t> {
    fn line_at(&mut self, offset: usize) -> usize {
        let (at, line) = self.line_cursor;
        if offset < at {
            return line_of(self.text, offset);
        }
        let added = self
            .text
            .as_bytes()
            .get(at..offset)
            .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count());
        self.line_cursor = (offset, line + added);
        line + added
    }

    fn err(&self, base: usize, e: JsonSyntaxError) -> EngineError {
        syntax_error(self.display, self.text, base, e)
    }

    /// Each non-blank line is one object (or one EventList).
    fn line_mode(&mut self) -> Result<()> {
        let mut offset = 0usize;
        let text = self.text;
        for raw_line in text.split('\n') {
            let base = offset;
            offset += raw_line.len() + 1;
            let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
            if line.trim().is_empty() {
                continue;
            }
            let mut p = Flattener::new(line);
            p.skip_ws();
            let end = self.object_at(line, base, p.pos())?;
            let mut p = Flattener::at(line, end);
            if p.skip_ws().is_some() {
                return Err(self.err(base, p.unexpected("end of the JSON object")));
            }
        }
        Ok(())
    }

    /// A top-level array of objects, or objects one after another in any layout.
    fn document_mode(&mut self) -> Result<()> {
        let text = self.text;
        let mut p = Flattener::new(text);
        if p.skip_ws() == Some(b'[') {
            let end = self.array_at(text, 0, p.pos())?;
            let mut p = Flattener::at(text, end);
            return match p.skip_ws() {
                None => Ok(()),
                Some(_) => Err(self.err(0, p.unexpected("end of input after the JSON array"))),
            };
        }
        while p.skip_ws().is_some() {
            let end = self.object_at(text, 0, p.pos())?;
            p = Flattener::at(text, end);
        }
        Ok(())
    }

    /// One event object starting at `start` in `src` (which begins at byte `base` of
    /// the file); an audit `EventList` contributes its `items`. Returns the end.
    fn object_at(&mut self, src: &'t str, base: usize, start: usize) -> Result<usize> {
        if self.has_event_list {
            let mut p = Flattener::at(src, start);
            let members = p.object_members().map_err(|e| self.err(base, e))?;
            let is_list = members.iter().any(|(k, s, e)| {
                k == "kind" && src.get(*s..*e).is_some_and(|v| v == "\"EventList\"")
            });
            let items = members
                .iter()
                .find(|(k, s, _)| k == "items" && src.as_bytes().get(*s) == Some(&b'['));
            if let (true, Some((_, items_start, _))) = (is_list, items) {
                self.array_at(src, base, *items_start)?;
                return Ok(p.pos());
            }
        }
        let mut p = Flattener::at(src, start);
        let b = &mut self.b;
        p.flatten_object(&mut |k: &str, v: Cow<'_, str>| b.add(k, &v))
            .map_err(|e| syntax_error(self.display, self.text, base, e))?;
        let end = p.pos();
        let raw = src.get(start..end).unwrap_or_default();
        let line = self.line_at(base + start);
        let t = row_time(&self.b, self.time_field, self.display, line)?;
        self.b.end_row(t, Some(raw));
        if self.b.len() >= EVENT_BATCH_ROWS {
            let batch = self.b.finish()?;
            self.out.push(batch);
        }
        Ok(end)
    }

    /// An array of event objects at `start` (`[`); returns the end.
    fn array_at(&mut self, src: &'t str, base: usize, start: usize) -> Result<usize> {
        let mut p = Flattener::at(src, start);
        p.expect(b'[', "`[`").map_err(|e| self.err(base, e))?;
        if p.skip_ws() == Some(b']') {
            return Ok(p.pos() + 1);
        }
        loop {
            p.skip_ws();
            let end = self.object_at(src, base, p.pos())?;
            p = Flattener::at(src, end);
            match p.skip_ws() {
                Some(b',') => p.expect(b',', "`,`").map_err(|e| self.err(base, e))?,
                Some(b']') => return Ok(p.pos() + 1),
                _ => return Err(self.err(base, p.unexpected("`,` or `]` in the array of events"))),
            }
        }
    }
}
