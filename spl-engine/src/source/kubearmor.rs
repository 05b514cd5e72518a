//! KubeArmor telemetry (`karmor logs --json`, relay-server stdout) as events.
//!
//! Field naming, as a Splunk user would see these JSON events:
//! - top-level keys keep their names (`PodName`, `Operation`, `HostPID`...);
//!   nested objects flatten with `.` (`Owner.Name`, `EventData.Sa_family`,
//!   `ExecEvent.ExecutableName`) and arrays with `{}` as multivalue fields
//!   (`ATags{}`), as Splunk's JSON extraction (`spath`) names them;
//! - `Labels` (`app=wordpress,tier=web`) is also split into one field per label,
//!   `Labels.app`, `Labels.tier`;
//! - the `key=value` words of `Data` (`syscall=SYS_OPENAT fd=-100 flags=...`)
//!   and, for network events, of `Resource` (`sa_family=AF_INET sin_port=80
//!   sin_addr=10.0.0.1`, `domain=AF_INET type=SOCK_STREAM protocol=0`) become
//!   fields named by their key (`syscall`, `flags`, `sin_port`...), as Splunk's
//!   automatic key-value extraction names them. A key that collides with a
//!   JSON field keeps the JSON value; a key seen twice is multivalue.
//!
//! `_time` comes from `UpdatedTime` (RFC 3339), else `Timestamp` (epoch
//! seconds), else `UpdatedTimeISO`; events with none of them have a null
//! `_time`. `_raw` is the event's JSON text; `host` is `meta.host`, else the
//! event's `HostName`. JSON `null` values and empty strings, arrays and objects
//! yield no field. As for every event format, a field is a list column only in
//! batches where some row has several values for it.

use super::event_builder::{EventBatchBuilder, EVENT_BATCH_ROWS};
use super::kubearmor_log::{parse_labels, Record};
use super::SourceMeta;
use crate::error::{EngineError, Result};
use arrow_array::RecordBatch;
use serde_json::Value;
use std::collections::HashSet;
use std::path::Path;

/// The dataset defaults for a KubeArmor file: index `main`, sourcetype `kubearmor`.
pub fn kubearmor_meta(path: &Path) -> SourceMeta {
    SourceMeta {
        index: "main".to_string(),
        source: path.display().to_string(),
        sourcetype: "kubearmor".to_string(),
        host: None,
    }
}

/// Whether a file's first non-blank line looks like KubeArmor telemetry: a JSON
/// object (possibly behind a CRI log prefix) with KubeArmor's `Type` values or
/// its characteristic keys.
pub fn looks_like_kubearmor(first_line: &str) -> bool {
    let line = first_line.trim().trim_start_matches('\u{feff}');
    let body = line.find('{').map(|i| &line[i..]).unwrap_or(line);
    // The first element of a JSON array written on one line ends with `},` or `}]`.
    let parsed = serde_json::from_str::<Value>(body)
        .or_else(|_| serde_json::from_str::<Value>(body.trim_end_matches([',', ']', ' '])));
    if let Ok(Value::Object(obj)) = parsed {
        let ty = obj.get("Type").and_then(Value::as_str).unwrap_or_default();
        let known_type = matches!(
            ty,
            "ContainerLog"
                | "HostLog"
                | "MatchedPolicy"
                | "MatchedHostPolicy"
                | "MatchedNetworkPolicy"
        );
        let keys = [
            "Operation",
            "Resource",
            "HostPID",
            "UpdatedTime",
            "ClusterName",
        ];
        let hits = keys.iter().filter(|k| obj.contains_key(**k)).count();
        return (known_type && obj.contains_key("Operation")) || hits >= 4;
    }
    // A pretty-printed or truncated first line: look for the key names.
    line.contains("\"Operation\"")
        && (line.contains("\"HostPID\"") || line.contains("\"UpdatedTime\""))
}

/// Reads a KubeArmor telemetry file into event batches (`_time`, `_raw`, then
/// the event's fields and `host`). `index`, `source` and `sourcetype` come from
/// `meta` at search time, as for the other event formats.
pub fn read_kubearmor(path: &Path, meta: &SourceMeta) -> Result<Vec<RecordBatch>> {
    read_kubearmor_limited(path, meta, crate::limits::Limits::default().max_line_bytes)
}

/// [`read_kubearmor`] with a longest line of `max_line` bytes
/// (`max_line_bytes`; a longer one is a data error naming the line).
pub fn read_kubearmor_limited(
    path: &Path,
    meta: &SourceMeta,
    max_line: u64,
) -> Result<Vec<RecordBatch>> {
    let file = path.display().to_string();
    let records = super::kubearmor_log::read_records_limited(path, max_line)?;
    records
        .chunks(EVENT_BATCH_ROWS)
        .map(|chunk| build_batch(chunk, meta, &file))
        .collect()
}

fn build_batch(records: &[Record], meta: &SourceMeta, file: &str) -> Result<RecordBatch> {
    let mut b = EventBatchBuilder::new(true);
    let mut json_fields: HashSet<String> = HashSet::new();
    for rec in records {
        let time = event_time(rec, file)?;
        add_fields(&mut b, &mut json_fields, rec, meta);
        b.end_row(time, Some(&rec.raw));
    }
    b.finish()
}

fn event_time(rec: &Record, file: &str) -> Result<Option<f64>> {
    let rfc3339 = |key: &str| -> Option<f64> {
        let s = rec.object.get(key)?.as_str()?;
        let ts: jiff::Timestamp = s.trim().parse().ok()?;
        Some(ts.as_microsecond() as f64 / 1e6)
    };
    if let Some(t) = rfc3339("UpdatedTime") {
        return Ok(Some(t));
    }
    match rec.object.get("Timestamp") {
        Some(Value::Number(n)) => return Ok(n.as_f64()),
        Some(Value::String(s)) if s.trim().parse::<f64>().is_ok() => {
            return Ok(s.trim().parse::<f64>().ok())
        }
        Some(Value::Null) | None => {}
        Some(other) => {
            return Err(EngineError::data(
                file,
                Some(rec.line),
                Some("Timestamp"),
                format!("expected epoch seconds, found `{other}`"),
            ))
        }
    }
    if let Some(t) = rfc3339("UpdatedTimeISO") {
        return Ok(Some(t));
    }
    match rec.object.get("UpdatedTime") {
        Some(Value::String(s)) => Err(EngineError::data(
            file,
            Some(rec.line),
            Some("UpdatedTime"),
            format!("expected an RFC 3339 time such as 2021-12-18T05:06:00.077564Z, found `{s}`"),
        )),
        _ => Ok(None),
    }
}

/// Adds one event's fields to the row being built.
fn add_fields(
    b: &mut EventBatchBuilder,
    json_fields: &mut HashSet<String>,
    rec: &Record,
    meta: &SourceMeta,
) {
    json_fields.clear();
    for (k, v) in &rec.object {
        flatten_value(b, json_fields, k.clone(), v);
    }
    let text = |k: &str| {
        rec.object
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    if !json_fields.contains("host") {
        let host = meta.host.as_deref().unwrap_or(text("HostName"));
        if !host.is_empty() {
            b.add("host", host);
        }
    }
    for (k, v) in parse_labels(text("Labels")) {
        if !v.is_empty() {
            b.add(&format!("Labels.{k}"), &v);
        }
    }
    // Splunk-style key=value extraction never overrides a JSON field.
    let mut kv = Vec::new();
    key_values(text("Data"), &mut kv);
    let resource = text("Resource");
    let resource_is_kv = !resource.starts_with('/')
        && !resource.is_empty()
        && resource.split_whitespace().all(|w| w.contains('='));
    if resource_is_kv {
        key_values(resource, &mut kv);
    }
    for (k, v) in kv {
        if !json_fields.contains(&k) {
            b.add(&k, &v);
        }
    }
}

/// `a=1 b=x|y c=` and `kfunc=UDP_SENDMSG,domain=x,daddr=y` (comma-joined pairs).
fn key_values(text: &str, out: &mut Vec<(String, String)>) {
    for word in text.split_whitespace() {
        let mut pending: Option<(String, String)> = None;
        for piece in word.split(',') {
            match piece.split_once('=') {
                Some((k, v)) if is_key(k) => {
                    if let Some(p) = pending.take() {
                        out.push(p);
                    }
                    pending = Some((k.to_string(), v.to_string()));
                }
                // A comma inside a value (no `key=` after it): keep it in the value.
                _ => {
                    if let Some((_, v)) = pending.as_mut() {
                        v.push(',');
                        v.push_str(piece);
                    }
                }
            }
        }
        if let Some(p) = pending {
            out.push(p);
        }
    }
    out.retain(|(_, v)| !v.is_empty());
}

fn is_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
}

fn flatten_value(b: &mut EventBatchBuilder, seen: &mut HashSet<String>, name: String, v: &Value) {
    let mut add = |name: String, text: &str| {
        b.add(&name, text);
        seen.insert(name);
    };
    match v {
        Value::Null => {}
        Value::Bool(x) => add(name, if *x { "true" } else { "false" }),
        Value::Number(n) => add(name, &n.to_string()),
        Value::String(s) if s.is_empty() => {}
        Value::String(s) => add(name, s),
        Value::Array(items) => {
            for item in items {
                flatten_value(b, seen, format!("{name}{{}}"), item);
            }
        }
        Value::Object(map) => {
            for (k, inner) in map {
                flatten_value(b, seen, format!("{name}.{k}"), inner);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_value_words() {
        let mut kv = Vec::new();
        key_values(
            "syscall=SYS_OPENAT fd=-100 flags=O_RDONLY|O_CLOEXEC mode=",
            &mut kv,
        );
        assert_eq!(
            kv,
            vec![
                ("syscall".into(), "SYS_OPENAT".into()),
                ("fd".into(), "-100".into()),
                ("flags".into(), "O_RDONLY|O_CLOEXEC".into())
            ]
        );
        let mut kv = Vec::new();
        key_values(
            "kfunc=UDP_SENDMSG,domain=google.com,daddr=10.43.0.10,qtype=A",
            &mut kv,
        );
        assert_eq!(kv.len(), 4);
        assert_eq!(kv[1], ("domain".into(), "google.com".into()));
    }

    #[test]
    fn detection_by_content() {
        assert!(looks_like_kubearmor(
            r#"{"Timestamp":1,"Type":"ContainerLog","Operation":"File","Resource":"/etc/x"}"#
        ));
        assert!(looks_like_kubearmor(
            r#"2024-01-01T00:00:00.000000000Z stdout F {"Type":"HostLog","Operation":"Process"}"#
        ));
        assert!(!looks_like_kubearmor(
            r#"{"kind":"Event","apiVersion":"audit.k8s.io/v1","verb":"get"}"#
        ));
        assert!(!looks_like_kubearmor("metric_timestamp,metric_name,_value"));
        assert!(looks_like_kubearmor(
            r#"[{"Type":"MatchedPolicy","Operation":"Process","Resource":"/bin/sleep"},"#
        ));
    }
}
