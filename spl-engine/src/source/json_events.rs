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
    let mut out = Vec::new();
    let mut b = EventBatchBuilder::new(true);
    let first = text.trim_start().as_bytes().first().copied();
    let first_line_is_object = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .is_some_and(|l| flatten_document(l, &mut |_: &str, _: Cow<'_, str>| {}).is_ok());
    if first == Some(b'[') || !first_line_is_object {
        document_mode(text, display, time_field, &mut b, &mut out)?;
    } else {
        line_mode(text, display, time_field, &mut b, &mut out)?;
    }
    if b.len() > 0 {
        out.push(b.finish()?);
    }
    Ok(out)
}

fn line_mode(
    text: &str,
    display: &str,
    time_field: Option<&str>,
    b: &mut EventBatchBuilder,
    out: &mut Vec<RecordBatch>,
) -> Result<()> {
    let mut offset = 0usize;
    for (i, raw_line) in text.split('\n').enumerate() {
        let base = offset;
        offset += raw_line.len() + 1;
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        if line.trim().is_empty() {
            continue;
        }
        flatten_document(line, &mut |k: &str, v: Cow<'_, str>| b.add(k, &v))
            .map_err(|e| syntax_error(display, text, base, e))?;
        let t = row_time(b, time_field, display, i + 1)?;
        b.end_row(t, Some(line));
        if b.len() >= EVENT_BATCH_ROWS {
            out.push(b.finish()?);
        }
    }
    Ok(())
}

/// A top-level array of objects, or objects one after another in any layout.
fn document_mode(
    text: &str,
    display: &str,
    time_field: Option<&str>,
    b: &mut EventBatchBuilder,
    out: &mut Vec<RecordBatch>,
) -> Result<()> {
    let mut p = Flattener::new(text);
    let in_array = p.skip_ws() == Some(b'[');
    if in_array {
        p.expect(b'[', "`[`")
            .map_err(|e| syntax_error(display, text, 0, e))?;
        if p.skip_ws() == Some(b']') {
            p.expect(b']', "`]`")
                .map_err(|e| syntax_error(display, text, 0, e))?;
            return trailing(&mut p, text, display);
        }
    }
    loop {
        if !in_array && p.skip_ws().is_none() {
            return Ok(());
        }
        p.skip_ws();
        let start = p.pos();
        p.flatten_object(&mut |k: &str, v: Cow<'_, str>| b.add(k, &v))
            .map_err(|e| syntax_error(display, text, 0, e))?;
        let raw = text.get(start..p.pos()).unwrap_or_default();
        let t = row_time(b, time_field, display, line_of(text, start))?;
        b.end_row(t, Some(raw));
        if b.len() >= EVENT_BATCH_ROWS {
            out.push(b.finish()?);
        }
        if in_array {
            match p.skip_ws() {
                Some(b',') => p
                    .expect(b',', "`,`")
                    .map_err(|e| syntax_error(display, text, 0, e))?,
                Some(b']') => {
                    p.expect(b']', "`]`")
                        .map_err(|e| syntax_error(display, text, 0, e))?;
                    return trailing(&mut p, text, display);
                }
                _ => return Err(syntax_error(display, text, 0, p.unexpected("`,` or `]`"))),
            }
        }
    }
}

fn trailing(p: &mut Flattener<'_>, text: &str, display: &str) -> Result<()> {
    match p.skip_ws() {
        None => Ok(()),
        Some(_) => Err(syntax_error(
            display,
            text,
            0,
            p.unexpected("end of input after the JSON array"),
        )),
    }
}
