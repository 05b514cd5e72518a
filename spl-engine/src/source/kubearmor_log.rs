//! KubeArmor telemetry records as read from disk (the data-reading half;
//! policies live in the `spl-kubearmor` crate): what `karmor logs --json` and the
//! relay server's stdout print (one `Alert`/`Log` object per line, field names
//! from `protobuf/kubearmor.proto`).
//!
//! Accepted shapes: JSON lines; concatenated or pretty-printed JSON objects; a
//! JSON array of objects; lines wrapped by the container runtime (CRI
//! `<time> stdout F <json>` or Docker's `{"log": "<json>", ...}`).

use crate::error::{EngineError, Result};
use serde_json::{Map, Value};
use std::path::Path;

/// One JSON object from a telemetry file.
#[derive(Debug, Clone)]
pub struct Record {
    /// 1-based line where the object starts.
    pub line: usize,
    /// The object's text as it appears in the file (the event's `_raw`).
    pub raw: String,
    /// The object, key order kept.
    pub object: Map<String, Value>,
}

/// Reads every object of a telemetry file (lines up to the default
/// `max_line_bytes`).
pub fn read_records(path: &Path) -> Result<Vec<Record>> {
    read_records_limited(path, crate::limits::Limits::default().max_line_bytes)
}

/// [`read_records`] with a longest line of `max_line` bytes: a longer one is
/// a data error naming the line, found before the line is held whole.
pub fn read_records_limited(path: &Path, max_line: u64) -> Result<Vec<Record>> {
    let file = path.display().to_string();
    let f = std::fs::File::open(path).map_err(|source| EngineError::Io {
        path: file.clone(),
        source,
    })?;
    let bytes = super::line_limit::read_all(f, &file, max_line)?;
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            return Err(EngineError::data(file, Some(line), None, "invalid UTF-8"));
        }
    };
    parse_records(text, &file)
}

/// Parses telemetry text; `file` names it in errors.
pub fn parse_records(text: &str, file: &str) -> Result<Vec<Record>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match text.trim_start().chars().next() {
        None => Ok(Vec::new()),
        Some('{') | Some('[') => parse_json_stream(text, file),
        Some(_) => parse_wrapped_lines(text, file),
    }
}

fn json_error(file: &str, line_offset: usize, e: &serde_json::Error) -> EngineError {
    let mut msg = e.to_string();
    if let Some(pos) = msg.rfind(" at line ") {
        msg.truncate(pos);
    }
    EngineError::data(
        file,
        Some(line_offset + e.line().max(1) - 1),
        None,
        format!("invalid JSON: {msg}"),
    )
}

fn parse_json_stream(text: &str, file: &str) -> Result<Vec<Record>> {
    let mut out = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    let mut counted_to = 0usize;
    let mut line = 1usize;
    loop {
        let start = stream.byte_offset();
        let Some(next) = stream.next() else { break };
        // The line the value being read starts on.
        let value_line = || {
            let rest = text.get(start..).unwrap_or_default();
            let obj_start = start + rest.len() - rest.trim_start().len();
            line + text
                .get(counted_to..obj_start)
                .unwrap_or_default()
                .matches('\n')
                .count()
        };
        let value = match next {
            Ok(v) => v,
            // A truncated object: name the line it starts on, not the end of the file.
            Err(e) if e.is_eof() => {
                return Err(EngineError::data(
                    file,
                    Some(value_line()),
                    None,
                    "invalid JSON: the object starting on this line is not closed",
                ));
            }
            // serde_json places an error found at a line's end on the next
            // line (column 0), and one found at the next object's `{` after
            // an unclosed one there too: name the line the bad object
            // starts on, and where in it the parser stopped when elsewhere.
            Err(e) => {
                let at = value_line();
                let mut err = json_error(file, 1, &e);
                if let EngineError::Data { line, message, .. } = &mut err {
                    if *line != Some(at) {
                        let (el, col) = (e.line(), e.column());
                        *message = format!(
                            "{message} (in the object starting on this line; the parser \
                             stopped at line {el}, column {col})"
                        );
                        *line = Some(at);
                    }
                }
                return Err(err);
            }
        };
        let end = stream.byte_offset();
        let slice = text.get(start..end).unwrap_or_default();
        let lead = slice.len() - slice.trim_start().len();
        let obj_start = start + lead;
        line += text
            .get(counted_to..obj_start)
            .unwrap_or_default()
            .matches('\n')
            .count();
        counted_to = obj_start;
        let raw = slice.trim();
        match value {
            Value::Object(object) => out.push(unwrap_docker(Record {
                line,
                raw: raw.to_string(),
                object,
            })?),
            Value::Array(items) => {
                for item in items {
                    match item {
                        Value::Object(object) => out.push(Record {
                            line,
                            raw: Value::Object(object.clone()).to_string(),
                            object,
                        }),
                        other => return Err(not_an_object(file, line, &other)),
                    }
                }
            }
            other => return Err(not_an_object(file, line, &other)),
        }
    }
    Ok(out)
}

/// What a JSON value is, for messages ("expected an object, found a string").
pub fn json_type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn not_an_object(file: &str, line: usize, v: &Value) -> EngineError {
    let found = json_type_name(v);
    EngineError::data(
        file,
        Some(line),
        None,
        format!("expected a KubeArmor event (a JSON object), found {found}"),
    )
}

/// Docker's json-file driver wraps each stdout line as `{"log": "...", "stream": ..., "time": ...}`.
fn unwrap_docker(rec: Record) -> Result<Record> {
    let is_wrapper = rec.object.len() <= 3
        && rec
            .object
            .keys()
            .all(|k| matches!(k.as_str(), "log" | "stream" | "time"))
        && rec
            .object
            .get("log")
            .and_then(Value::as_str)
            .is_some_and(|l| l.trim_start().starts_with('{'));
    if !is_wrapper {
        return Ok(rec);
    }
    let inner = rec
        .object
        .get("log")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_string();
    match serde_json::from_str::<Value>(&inner) {
        Ok(Value::Object(object)) => Ok(Record {
            line: rec.line,
            raw: inner,
            object,
        }),
        _ => Ok(rec),
    }
}

/// Lines that do not start with JSON: CRI log lines (`<time> <stream> <F|P> <message>`).
fn parse_wrapped_lines(text: &str, file: &str) -> Result<Vec<Record>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let ln = i + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let body = strip_cri_prefix(trimmed).unwrap_or(trimmed);
        if !body.starts_with('{') {
            let shown: String = trimmed.chars().take(40).collect();
            return Err(EngineError::data(
                file,
                Some(ln),
                None,
                format!("expected a KubeArmor event (a JSON object per line), found `{shown}`"),
            ));
        }
        match serde_json::from_str::<Value>(body) {
            Ok(Value::Object(object)) => out.push(Record {
                line: ln,
                raw: body.to_string(),
                object,
            }),
            Ok(other) => return Err(not_an_object(file, ln, &other)),
            Err(e) => return Err(json_error(file, ln, &e)),
        }
    }
    Ok(out)
}

fn strip_cri_prefix(line: &str) -> Option<&str> {
    let mut parts = line.splitn(4, ' ');
    let time = parts.next()?;
    let stream = parts.next()?;
    let tag = parts.next()?;
    let rest = parts.next()?;
    let looks_like_time =
        time.len() >= 20 && time.as_bytes().first().is_some_and(u8::is_ascii_digit);
    (looks_like_time && matches!(stream, "stdout" | "stderr") && matches!(tag, "F" | "P"))
        .then_some(rest)
}

/// `app=wordpress,tier=web` (KubeArmor joins with `,`; some releases used spaces).
pub fn parse_labels(text: &str) -> Vec<(String, String)> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (p.to_string(), String::new()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// serde_json places these errors on the line after the bad object
    /// (issue 15: KubeArmor log errors named line N+1).
    #[test]
    fn a_bad_object_is_named_by_its_own_line() {
        for text in [
            // not closed before the next object
            "{\"a\":1}\n{\"a\":1\n{\"b\":2}\n",
            // a raw newline inside a string: found at column 0 of line 3
            "{\"a\":1}\n{\"a\":\"x\n\"}\n",
            // a bad value at the end of the line
            "{\"a\":1}\n{\"a\":tru\n}\n",
        ] {
            let err = parse_records(text, "t.jsonl").unwrap_err().to_string();
            assert!(
                err.starts_with("t.jsonl:2: invalid JSON"),
                "{text:?}: {err}"
            );
        }
        // an error inside one line keeps that line, with no note
        let err = parse_records("{\"a\":1}\n{\"a\":,}\n", "t.jsonl")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("t.jsonl:2: invalid JSON"), "{err}");
        assert!(!err.contains("stopped at"), "{err}");
    }
}
