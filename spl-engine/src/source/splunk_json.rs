//! Events from Splunk search-result exports in JSON: the streaming export
//! (`{"preview":false,"offset":N,"result":{...}}` per line, REST
//! `search/jobs/export?output_mode=json`) and the one-object results form
//! (`{"results":[{...}], ...}`, REST `.../results?output_mode=json`).
//!
//! Each result is already flat: values are strings, multivalue fields arrays of
//! strings. `_raw` becomes the raw column and `_time` (ISO text such as
//! `2024-01-02T03:04:05.000+00:00`, or epoch) the time column.

use super::event_builder::{EventBatchBuilder, EVENT_BATCH_ROWS};
use super::json_events::{read_text, row_time};
use crate::error::{EngineError, Result};
use arrow_array::RecordBatch;
use serde_json::{Map, Value};
use std::path::Path;

/// True when a parsed JSON line looks like a Splunk export row.
pub(crate) fn is_export_object(v: &Value) -> bool {
    let Some(obj) = v.as_object() else {
        return false;
    };
    let export_key = ["preview", "offset", "lastrow", "init_offset", "messages"]
        .iter()
        .any(|k| obj.contains_key(*k));
    export_key
        && (obj.get("result").is_some_and(Value::is_object)
            || obj.get("results").is_some_and(Value::is_array))
}

struct Row<'v> {
    line: usize,
    preview: bool,
    fields: &'v Map<String, Value>,
}

/// Reads a Splunk JSON export.
pub(crate) fn read_splunk_json(
    path: &Path,
    display: &str,
    time_field: Option<&str>,
) -> Result<Vec<RecordBatch>> {
    let text = read_text(path, display)?;
    parse_splunk_json(&text, display, time_field)
}

pub(crate) fn parse_splunk_json(
    text: &str,
    display: &str,
    time_field: Option<&str>,
) -> Result<Vec<RecordBatch>> {
    let docs = super::json_docs::json_documents(text, display)?;
    let mut rows = Vec::new();
    for (line, doc) in &docs {
        check_messages(doc, display, *line)?;
        let preview = doc.get("preview").and_then(Value::as_bool).unwrap_or(false);
        if let Some(r) = doc.get("result").and_then(Value::as_object) {
            rows.push(Row {
                line: *line,
                preview,
                fields: r,
            });
        }
        if let Some(rs) = doc.get("results").and_then(Value::as_array) {
            for r in rs {
                let fields = r.as_object().ok_or_else(|| {
                    EngineError::data(
                        display,
                        Some(*line),
                        None,
                        "expected each of `results` to be an object",
                    )
                })?;
                rows.push(Row {
                    line: *line,
                    preview,
                    fields,
                });
            }
        }
    }
    // Transforming searches stream preview rows that the final rows replace.
    if rows.iter().any(|r| !r.preview) {
        rows.retain(|r| !r.preview);
    }
    let time_field = Some(time_field.unwrap_or("_time"));
    let mut out = Vec::new();
    let mut b = EventBatchBuilder::new(true);
    for row in rows {
        let mut raw = None;
        for (k, v) in row.fields {
            if k == "_raw" {
                raw = v.as_str();
                continue;
            }
            add_value(&mut b, k, v);
        }
        let t = row_time(&b, time_field, display, row.line)?;
        b.end_row(t, raw);
        if b.len() >= EVENT_BATCH_ROWS {
            out.push(b.finish()?);
        }
    }
    if b.len() > 0 {
        out.push(b.finish()?);
    }
    Ok(out)
}

fn add_value(b: &mut EventBatchBuilder, k: &str, v: &Value) {
    match v {
        Value::Null => {}
        Value::String(s) => b.add(k, s),
        Value::Array(items) => {
            for item in items {
                add_value(b, k, item);
            }
        }
        other => b.add(k, &other.to_string()),
    }
}

fn check_messages(doc: &Value, display: &str, line: usize) -> Result<()> {
    let Some(msgs) = doc.get("messages").and_then(Value::as_array) else {
        return Ok(());
    };
    for m in msgs {
        let kind = m.get("type").and_then(Value::as_str).unwrap_or_default();
        if matches!(kind, "FATAL" | "ERROR") {
            let text = m.get("text").and_then(Value::as_str).unwrap_or_default();
            return Err(EngineError::data(
                display,
                Some(line),
                None,
                format!(
                    "the export holds a Splunk {} message: {text}",
                    kind.to_lowercase()
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::cast::AsArray;
    use arrow_array::Array;

    #[test]
    fn export_lines_preview_and_multivalue() {
        let text = r#"{"preview":true,"offset":0,"result":{"count":"1"}}
{"preview":false,"offset":0,"result":{"_time":"2024-01-02T03:04:05.000+00:00","_raw":"hello","sourceIPs{}":["1.2.3.4","5.6.7.8"],"count":"42"}}
{"preview":false,"offset":1,"lastrow":true,"result":{"_time":"2024-01-02T03:04:06.000+00:00","count":"7"}}
"#;
        let b = parse_splunk_json(text, "f", None).unwrap();
        assert_eq!(b.len(), 1);
        let b = &b[0];
        assert_eq!(b.num_rows(), 2);
        let t = b
            .column_by_name("_time")
            .unwrap()
            .as_primitive::<arrow_array::types::Float64Type>();
        assert_eq!(t.value(0), 1704164645.0);
        let ips = b.column_by_name("sourceIPs{}").unwrap().as_list::<i32>();
        assert_eq!(ips.value(0).len(), 2);
        assert!(ips.is_null(1));
        assert_eq!(
            b.column_by_name("_raw")
                .unwrap()
                .as_string::<i32>()
                .value(0),
            "hello"
        );
    }

    #[test]
    fn fatal_message_is_an_error() {
        let text = r#"{"messages":[{"type":"FATAL","text":"Error in 'search' command"}]}"#;
        let e = parse_splunk_json(text, "f", None).unwrap_err();
        assert!(e.to_string().contains("fatal"), "{e}");
    }

    #[test]
    fn results_form() {
        let text = r#"{"preview":false,"init_offset":0,"messages":[],"fields":[{"name":"a"}],"results":[{"a":"1"},{"a":"2"}]}"#;
        let b = parse_splunk_json(text, "f", None).unwrap();
        assert_eq!(b[0].num_rows(), 2);
    }
}
