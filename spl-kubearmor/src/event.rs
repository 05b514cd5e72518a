//! KubeArmor telemetry typed for policy matching: the records the engine's
//! reader parses (`spl_engine::source::kubearmor_log`), with the fields a
//! rule reads.

use serde_json::{Map, Value};
use spl_engine::source::kubearmor_log::{
    json_type_name, parse_labels, parse_records, read_records, Record,
};
use spl_engine::{EngineError, Result};
use std::path::Path;

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
                        rec.object.get(key).map(json_type_name).unwrap_or("nothing")
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
                    format!("expected an integer, found {}", json_type_name(other)),
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
