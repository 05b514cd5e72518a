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
//! `_time`. `_raw` is the event's JSON text. JSON `null` values and empty
//! strings, arrays and objects yield no field.

use super::SourceMeta;
use crate::error::{EngineError, Result};
use crate::kubearmor::{parse_labels, read_records, Record};
use arrow_array::builder::{Float64Builder, ListBuilder, StringBuilder};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use indexmap::IndexMap;
use serde_json::Value;
use std::path::Path;
use std::sync::Arc;

/// Rows per batch.
const BATCH_ROWS: usize = 8192;

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
    if let Ok(Value::Object(obj)) = serde_json::from_str::<Value>(body) {
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

/// Reads a KubeArmor telemetry file into event batches (`_time`, `_raw`,
/// `index`, `source`, `sourcetype`, `host`, then the event's fields).
pub fn read_kubearmor(path: &Path, meta: &SourceMeta) -> Result<Vec<RecordBatch>> {
    let file = path.display().to_string();
    let records = read_records(path)?;
    records
        .chunks(BATCH_ROWS)
        .map(|chunk| build_batch(chunk, meta, &file))
        .collect()
}

/// One row: `(field, values, multivalue)` in first-seen order.
type Row = IndexMap<String, (Vec<String>, bool)>;

fn build_batch(records: &[Record], meta: &SourceMeta, file: &str) -> Result<RecordBatch> {
    let mut times = Float64Builder::with_capacity(records.len());
    let mut rows: Vec<Row> = Vec::with_capacity(records.len());
    for rec in records {
        times.append_option(event_time(rec, file)?);
        rows.push(flatten(rec, meta));
    }
    // Union of the rows' fields; a field is a list column if multivalue anywhere.
    let mut columns: IndexMap<String, bool> = IndexMap::new();
    for row in &rows {
        for (name, (_, mv)) in row {
            let entry = columns.entry(name.clone()).or_insert(false);
            *entry |= *mv;
        }
    }
    let mut fields = vec![Field::new("_time", DataType::Float64, true)];
    let mut arrays: Vec<ArrayRef> = vec![Arc::new(times.finish())];
    for (name, is_list) in &columns {
        if *is_list {
            let mut b = ListBuilder::new(StringBuilder::new());
            for row in &rows {
                match row.get(name) {
                    Some((vals, _)) => {
                        for v in vals {
                            b.values().append_value(v);
                        }
                        b.append(true);
                    }
                    None => b.append(false),
                }
            }
            let arr = b.finish();
            fields.push(Field::new(name, arr.data_type().clone(), true));
            arrays.push(Arc::new(arr));
        } else {
            let mut b = StringBuilder::new();
            for row in &rows {
                b.append_option(row.get(name).and_then(|(v, _)| v.first()));
            }
            fields.push(Field::new(name, DataType::Utf8, true));
            arrays.push(Arc::new(b.finish()));
        }
    }
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)?)
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

fn push(row: &mut Row, name: String, value: String, multivalue: bool) {
    let entry = row.entry(name).or_insert((Vec::new(), false));
    entry.0.push(value);
    entry.1 |= multivalue || entry.0.len() > 1;
}

fn flatten(rec: &Record, meta: &SourceMeta) -> Row {
    let mut row = Row::new();
    let host = meta.host.clone().or_else(|| {
        rec.object
            .get("HostName")
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    push(&mut row, "_raw".into(), rec.raw.clone(), false);
    push(&mut row, "index".into(), meta.index.clone(), false);
    push(&mut row, "source".into(), meta.source.clone(), false);
    push(
        &mut row,
        "sourcetype".into(),
        meta.sourcetype.clone(),
        false,
    );
    if let Some(h) = host {
        push(&mut row, "host".into(), h, false);
    }
    for (k, v) in &rec.object {
        flatten_value(&mut row, k.clone(), v, false);
    }
    let text = |k: &str| {
        rec.object
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    for (k, v) in parse_labels(text("Labels")) {
        if !v.is_empty() {
            push(&mut row, format!("Labels.{k}"), v, false);
        }
    }
    // Splunk-style key=value extraction never overrides a JSON field.
    let json_fields: Vec<String> = row.keys().cloned().collect();
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
            push(&mut row, k, v, false);
        }
    }
    row
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

fn flatten_value(row: &mut Row, name: String, v: &Value, in_array: bool) {
    match v {
        Value::Null => {}
        Value::Bool(b) => push(row, name, b.to_string(), in_array),
        Value::Number(n) => push(row, name, n.to_string(), in_array),
        Value::String(s) if s.is_empty() => {}
        Value::String(s) => push(row, name, s.clone(), in_array),
        Value::Array(items) => {
            for item in items {
                flatten_value(row, format!("{name}{{}}"), item, true);
            }
        }
        Value::Object(map) => {
            for (k, inner) in map {
                flatten_value(row, format!("{name}.{k}"), inner, in_array);
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
    }
}
