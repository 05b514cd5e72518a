//! JSON documents in a file: the whole file as one document (a Splunk
//! search export, an OTLP export, a JSON array), or else one document per
//! non-blank line (JSON lines). The one reader the JSON formats share.

use super::json_events::line_of;
use crate::error::{EngineError, Result};
use serde_json::Value;

/// The documents of `text` with the line each starts on; a line that is not
/// JSON is an error naming the file (`display`), the line and the column.
pub(crate) fn json_documents(text: &str, display: &str) -> Result<Vec<(usize, Value)>> {
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        let start = text.len() - text.trim_start().len();
        return Ok(vec![(line_of(text, start), v)]);
    }
    let mut docs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v = serde_json::from_str::<Value>(line).map_err(|e| {
            let msg = e.to_string();
            let what = msg.split(" at line ").next().unwrap_or(&msg);
            EngineError::data(
                display,
                Some(i + 1),
                None,
                format!("invalid JSON at column {}: {what}", e.column()),
            )
        })?;
        docs.push((i + 1, v));
    }
    Ok(docs)
}
