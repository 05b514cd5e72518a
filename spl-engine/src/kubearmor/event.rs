//! KubeArmor telemetry as read from disk: what `karmor logs --json` and the
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
pub(crate) struct Record {
    /// 1-based line where the object starts.
    pub(crate) line: usize,
    /// The object's text as it appears in the file (the event's `_raw`).
    pub(crate) raw: String,
    pub(crate) object: Map<String, Value>,
}

/// Reads every object of a telemetry file.
pub(crate) fn read_records(path: &Path) -> Result<Vec<Record>> {
    let bytes = std::fs::read(path).map_err(|source| EngineError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let file = path.display().to_string();
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
pub(crate) fn parse_records(text: &str, file: &str) -> Result<Vec<Record>> {
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
        let value = match next {
            Ok(v) => v,
            // A truncated object: name the line it starts on, not the end of the file.
            Err(e) if e.is_eof() => {
                let rest = text.get(start..).unwrap_or_default();
                let obj_start = start + rest.len() - rest.trim_start().len();
                let at = line
                    + text
                        .get(counted_to..obj_start)
                        .unwrap_or_default()
                        .matches('\n')
                        .count();
                return Err(EngineError::data(
                    file,
                    Some(at),
                    None,
                    "invalid JSON: the object starting on this line is not closed",
                ));
            }
            Err(e) => return Err(json_error(file, 1, &e)),
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

fn not_an_object(file: &str, line: usize, v: &Value) -> EngineError {
    let found = match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
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

/// A telemetry event with the fields policy matching reads, typed.
#[derive(Debug, Clone)]
pub struct TelemetryEvent {
    /// The telemetry file it was read from.
    pub file: String,
    /// 1-based line in the telemetry file.
    pub line: usize,
    /// The event as read (key order kept), used to build alerts.
    pub object: Map<String, Value>,
    /// `Type` (`ContainerLog`, `HostLog`, `MatchedPolicy`, ...).
    pub event_type: String,
    /// `Operation` (`Process`, `File`, `Network`, ...).
    pub operation: String,
    /// `Resource`.
    pub resource: String,
    /// `Data`.
    pub data: String,
    /// `Source`.
    pub source: String,
    /// `ProcessName`.
    pub process_name: String,
    /// `ParentProcessName`.
    pub parent_process_name: String,
    /// `NamespaceName`.
    pub namespace: String,
    /// `PodName`.
    pub pod: String,
    /// `ContainerID`.
    pub container_id: String,
    /// `ContainerName`.
    pub container_name: String,
    /// `HostName`.
    pub host_name: String,
    /// `Result`.
    pub result: String,
    /// `Labels` split into `(key, value)` pairs.
    pub labels: Vec<(String, String)>,
    /// `UID`.
    pub uid: Option<i64>,
    /// `OID` (owner of the accessed file), when the exporter recorded it.
    pub owner_uid: Option<i64>,
}

impl TelemetryEvent {
    /// True for events of a pod's container (`ContainerID` set), false for the host.
    pub fn is_container(&self) -> bool {
        match self.event_type.as_str() {
            "HostLog" | "MatchedHostPolicy" => false,
            "ContainerLog" | "MatchedPolicy" => true,
            _ => !self.container_id.is_empty(),
        }
    }

    pub(crate) fn from_record(rec: Record, file: &str) -> Result<TelemetryEvent> {
        let line = rec.line;
        let s = |key: &str| -> Result<String> {
            match rec.object.get(key) {
                None | Some(Value::Null) => Ok(String::new()),
                Some(Value::String(s)) => Ok(s.clone()),
                Some(_) => Err(EngineError::data(
                    file,
                    Some(line),
                    Some(key),
                    format!(
                        "expected a string, found {}",
                        rec.object.get(key).map(type_name).unwrap_or("nothing")
                    ),
                )),
            }
        };
        let n = |key: &str| -> Result<Option<i64>> {
            match rec.object.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Number(n)) => Ok(n.as_i64().or_else(|| n.as_f64().map(|f| f as i64))),
                Some(Value::String(s)) if s.trim().parse::<i64>().is_ok() => {
                    Ok(s.trim().parse::<i64>().ok())
                }
                Some(other) => Err(EngineError::data(
                    file,
                    Some(line),
                    Some(key),
                    format!("expected an integer, found {}", type_name(other)),
                )),
            }
        };
        let labels_text = s("Labels")?;
        Ok(TelemetryEvent {
            file: file.to_string(),
            line,
            event_type: s("Type")?,
            operation: s("Operation")?,
            resource: s("Resource")?,
            data: s("Data")?,
            source: s("Source")?,
            process_name: s("ProcessName")?,
            parent_process_name: s("ParentProcessName")?,
            namespace: s("NamespaceName")?,
            pod: s("PodName")?,
            container_id: s("ContainerID")?,
            container_name: s("ContainerName")?,
            host_name: s("HostName")?,
            result: s("Result")?,
            labels: parse_labels(&labels_text),
            uid: n("UID")?,
            owner_uid: n("OID")?,
            object: rec.object,
        })
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `app=wordpress,tier=web` (KubeArmor joins with `,`; some releases used spaces).
pub(crate) fn parse_labels(text: &str) -> Vec<(String, String)> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (p.to_string(), String::new()),
        })
        .collect()
}

/// Reads a telemetry file into typed events.
pub fn read_telemetry(path: &Path) -> Result<Vec<TelemetryEvent>> {
    let file = path.display().to_string();
    read_records(path)?
        .into_iter()
        .map(|r| TelemetryEvent::from_record(r, &file))
        .collect()
}

/// Parses telemetry text into typed events; `file` names it in errors.
pub fn parse_telemetry(text: &str, file: &str) -> Result<Vec<TelemetryEvent>> {
    parse_records(text, file)?
        .into_iter()
        .map(|r| TelemetryEvent::from_record(r, file))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_keep_raw_and_line_numbers() {
        let text = "{\"a\":1}\n\n  {\"b\": 2}\n";
        let recs = parse_records(text, "f").unwrap();
        assert_eq!(recs.len(), 2);
        assert_eq!((recs[0].line, recs[0].raw.as_str()), (1, "{\"a\":1}"));
        assert_eq!((recs[1].line, recs[1].raw.as_str()), (3, "{\"b\": 2}"));
    }

    #[test]
    fn pretty_printed_and_arrays() {
        let text = "[\n {\"a\": 1},\n {\"a\": 2}\n]\n{\n  \"c\": 3\n}\n";
        let recs = parse_records(text, "f").unwrap();
        assert_eq!(recs.len(), 3);
        assert_eq!(recs[2].line, 5);
        assert_eq!(recs[2].object["c"], 3);
    }

    #[test]
    fn cri_and_docker_wrappers() {
        let text = "2024-01-02T03:04:05.123456789Z stdout F {\"Type\":\"ContainerLog\"}\n";
        let recs = parse_records(text, "f").unwrap();
        assert_eq!(recs[0].object["Type"], "ContainerLog");
        let docker = "{\"log\":\"{\\\"Type\\\":\\\"HostLog\\\"}\\n\",\"stream\":\"stdout\",\"time\":\"x\"}\n";
        let recs = parse_records(docker, "f").unwrap();
        assert_eq!(recs[0].object["Type"], "HostLog");
        assert_eq!(recs[0].raw, "{\"Type\":\"HostLog\"}");
    }

    #[test]
    fn malformed_input_names_the_line() {
        let err = parse_records("{\"a\":1}\n{\"a\":\n", "t.jsonl")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("t.jsonl:2: invalid JSON"), "{err}");
        let err = parse_records("{\"a\":1}\n42\n", "t.jsonl")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("t.jsonl:2") && err.contains("found a number"),
            "{err}"
        );
        let err = parse_records("hello world\n", "t.jsonl")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("t.jsonl:1") && err.contains("found `hello world`"),
            "{err}"
        );
    }

    #[test]
    fn typed_fields_are_checked() {
        let err = parse_telemetry("{\"Resource\": 5}\n", "t")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("t:1 (field `Resource`): expected a string, found a number"),
            "{err}"
        );
        let ev = parse_telemetry("{\"UID\": \"1000\", \"Labels\": \"app=a,tier=b\"}", "t").unwrap();
        assert_eq!(ev[0].uid, Some(1000));
        assert_eq!(
            ev[0].labels,
            vec![("app".into(), "a".into()), ("tier".into(), "b".into())]
        );
    }
}
