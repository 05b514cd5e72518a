//! Metric data points from Splunk HTTP Event Collector metric JSON, one event per
//! line (or a JSON array of them), as pipelines export them:
//! `{"time":1727870400,"event":"metric","host":"n1","fields":{"metric_name":"tcp.bytes","_value":10240,"dest.workload.name":"checkout"}}`
//! or the multiple-measurement form with `"metric_name:<m>": <value>` keys.
//!
//! `host`, `source` and `sourcetype` become dimensions as in Splunk; `index` is
//! left to the dataset's `index`. Every other `fields` key is a dimension.

use super::json_events::read_text;
use super::otlp::{to_batch, Kind, Point};
use super::timestamp::{epoch_from_number, parse_time_text};
use crate::error::{EngineError, Result};
use arrow_array::RecordBatch;
use serde_json::Value;
use std::path::Path;

/// True when a JSON object looks like an HEC metric event.
pub(crate) fn is_hec_metric(v: &Value) -> bool {
    v.get("fields").is_some_and(Value::is_object)
        && (v.get("event").and_then(Value::as_str) == Some("metric")
            || v.get("fields").is_some_and(|f| {
                f.get("metric_name").is_some()
                    || f.as_object()
                        .is_some_and(|o| o.keys().any(|k| k.starts_with("metric_name:")))
            }))
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn number_of(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Reads an HEC metrics file.
pub(crate) fn read_hec_metrics(path: &Path, display: &str) -> Result<Vec<RecordBatch>> {
    let text = read_text(path, display)?;
    parse_hec_metrics(&text, display)
}

pub(crate) fn parse_hec_metrics(text: &str, display: &str) -> Result<Vec<RecordBatch>> {
    // a JSON array of events, or one event per line
    let mut events: Vec<(usize, Value)> = Vec::new();
    for (line, v) in super::json_docs::json_documents(text, display)? {
        match v {
            Value::Array(items) => events.extend(items.into_iter().map(|i| (line, i))),
            other => events.push((line, other)),
        }
    }
    let mut points = Vec::new();
    for (line, ev) in &events {
        let err =
            |field: &str, msg: String| EngineError::data(display, Some(*line), Some(field), msg);
        let fields = ev
            .get("fields")
            .and_then(Value::as_object)
            .ok_or_else(|| err("fields", "expected a `fields` object".into()))?;
        let time = match ev.get("time") {
            Some(Value::Number(n)) => n.as_f64().and_then(epoch_from_number),
            Some(Value::String(s)) => parse_time_text(s),
            _ => None,
        }
        .ok_or_else(|| {
            err(
                "time",
                format!(
                    "expected an epoch time, found {}",
                    ev.get("time").map_or("nothing".into(), Value::to_string)
                ),
            )
        })?;
        let mut dims: Vec<(String, String)> = ["host", "source", "sourcetype"]
            .iter()
            .filter_map(|k| Some((k.to_string(), text_of(ev.get(*k)?))))
            .collect();
        let mut measures: Vec<(String, f64)> = Vec::new();
        let mut single_name = None;
        let mut single_value = None;
        for (k, v) in fields {
            if k == "metric_name" {
                single_name = Some(text_of(v));
            } else if k == "_value" {
                single_value = Some(
                    number_of(v)
                        .ok_or_else(|| err("_value", format!("expected a number, found {v}")))?,
                );
            } else if let Some(m) = k.strip_prefix("metric_name:") {
                let n =
                    number_of(v).ok_or_else(|| err(k, format!("expected a number, found {v}")))?;
                measures.push((m.to_string(), n));
            } else {
                dims.retain(|(d, _)| d != k);
                dims.push((k.clone(), text_of(v)));
            }
        }
        if let Some(name) = single_name {
            let value = single_value.ok_or_else(|| {
                err(
                    "_value",
                    "expected `_value` with `metric_name`, found none".into(),
                )
            })?;
            measures.push((name, value));
        }
        if measures.is_empty() {
            return Err(err(
                "fields",
                "expected `metric_name` and `_value` or `metric_name:<name>` fields".into(),
            ));
        }
        for (name, value) in measures {
            points.push(Point {
                time,
                start: None,
                name,
                value,
                kind: Kind::Gauge,
                dims: dims.clone(),
            });
        }
    }
    Ok(if points.is_empty() {
        Vec::new()
    } else {
        vec![to_batch(&points)?]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::cast::AsArray;
    use arrow_array::types::Float64Type;

    #[test]
    fn single_and_multiple_measurements() {
        let text = r#"{"time":1727870400,"event":"metric","host":"n1","source":"sim","fields":{"metric_name":"tcp.bytes","_value":10240,"dest.workload.name":"checkout"}}
{"time":"1727870410.5","event":"metric","fields":{"metric_name:tcp.bytes":"10","metric_name:tcp.packets":12,"dest.workload.name":"cart"}}
"#;
        let b = &parse_hec_metrics(text, "f").unwrap()[0];
        assert_eq!(b.num_rows(), 3);
        let names: Vec<_> = b
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        assert_eq!(
            names,
            [
                "_time",
                "metric_name",
                "_value",
                "host",
                "source",
                "dest.workload.name"
            ]
        );
        let v = b.column(2).as_primitive::<Float64Type>();
        assert_eq!((v.value(0), v.value(1), v.value(2)), (10240.0, 10.0, 12.0));
        let t = b.column(0).as_primitive::<Float64Type>();
        assert_eq!(t.value(2), 1727870410.5);
        assert!(is_hec_metric(
            &serde_json::from_str(text.lines().next().unwrap()).unwrap()
        ));
    }

    #[test]
    fn errors_name_line_and_field() {
        let e = parse_hec_metrics(
            "{\"time\":1,\"fields\":{\"metric_name\":\"a\",\"_value\":\"x\"}}",
            "f",
        )
        .unwrap_err();
        assert!(e.to_string().contains("f:1 (field `_value`)"), "{e}");
        let e = parse_hec_metrics(
            "{\"time\":1,\"fields\":{\"metric_name\":\"a\",\"_value\":1}}\n{\"fields\":{}}",
            "f",
        )
        .unwrap_err();
        assert!(e.to_string().contains("f:2 (field `time`)"), "{e}");
        let e = parse_hec_metrics("{\"time\":1,\"fields\":{\"a\":1}}", "f").unwrap_err();
        assert!(e.to_string().contains("metric_name"), "{e}");
    }
}
