//! Metric data points from OTLP/JSON (the collector `file` exporter: one
//! `ExportMetricsServiceRequest` per line, or one pretty-printed request).
//!
//! One data point per NumberDataPoint: `_time` = `timeUnixNano`, `metric_name` =
//! the metric name, `_value` = `asDouble`/`asInt`, dimensions = resource attributes
//! merged with data point attributes (the data point wins). Histograms and
//! summaries give `<name>_count` and `<name>_sum` points, histograms also
//! `<name>_bucket` points with an `le` dimension (cumulative counts), as the
//! SignalFx translation names them. Points flagged "no recorded value" are skipped.
//!
//! [`OtlpRollup::SignalFlow`] then reproduces what Splunk holds when the data comes
//! through Splunk Observability and the SIM add-on: per series and per window
//! aligned to multiples of the resolution, gauges (and non-monotonic sums) average,
//! delta sums add up, and cumulative sums become the sum of their increases (a
//! decrease or a new `startTimeUnixNano` is a counter reset; a series' first point
//! only sets the baseline). `_time` is the window start.

use super::json_events::read_text;
use super::metrics_shape::cell_error;
use crate::error::{EngineError, Result};
use arrow_array::builder::StringBuilder;
use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use indexmap::IndexMap;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// How OTLP points become Splunk data points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtlpRollup {
    /// One data point per OTLP point, values as sent.
    Raw,
    /// SignalFlow's default rollups per window of this many milliseconds (the SIM
    /// add-on's "Metric Resolution"; the detections use 10000).
    SignalFlow(u64),
}

impl Default for OtlpRollup {
    fn default() -> Self {
        OtlpRollup::SignalFlow(10_000)
    }
}

impl std::str::FromStr for OtlpRollup {
    type Err = EngineError;

    /// `raw`, `signalflow` (10 s) or `signalflow:<seconds>`.
    fn from_str(s: &str) -> Result<Self> {
        let bad = || {
            EngineError::data(
                "--data",
                None,
                Some("rollup"),
                format!("expected `raw`, `signalflow` or `signalflow:<seconds>`, found `{s}`"),
            )
        };
        match s.trim().to_ascii_lowercase().as_str() {
            "raw" => Ok(OtlpRollup::Raw),
            "signalflow" => Ok(OtlpRollup::default()),
            other => {
                let secs = other
                    .strip_prefix("signalflow:")
                    .and_then(|v| v.trim_end_matches('s').parse::<f64>().ok())
                    .filter(|v| v.is_finite() && *v >= 0.001 && *v < 1e9)
                    .ok_or_else(bad)?;
                Ok(OtlpRollup::SignalFlow((secs * 1000.0).round() as u64))
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Gauge,
    DeltaSum,
    CumulativeSum,
}

/// One metric data point before it goes into a batch.
pub(crate) struct Point {
    pub time: f64,
    pub start: Option<u64>,
    pub name: String,
    pub value: f64,
    pub kind: Kind,
    pub dims: Vec<(String, String)>,
}

/// Reads an OTLP/JSON metrics file into metric batches.
pub(crate) fn read_otlp_metrics(
    path: &Path,
    display: &str,
    rollup: OtlpRollup,
) -> Result<Vec<RecordBatch>> {
    let text = read_text(path, display)?;
    parse_otlp_metrics(&text, display, rollup)
}

pub(crate) fn parse_otlp_metrics(
    text: &str,
    display: &str,
    rollup: OtlpRollup,
) -> Result<Vec<RecordBatch>> {
    let docs = super::json_docs::json_documents(text, display)?;
    let mut points = Vec::new();
    for (line, doc) in &docs {
        let rms = doc
            .get("resourceMetrics")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                EngineError::data(
                    display,
                    Some(*line),
                    Some("resourceMetrics"),
                    "expected an OTLP metrics request with `resourceMetrics`",
                )
            })?;
        for rm in rms {
            let res_attrs = attributes(rm.get("resource").and_then(|r| r.get("attributes")));
            for sm in
                array(rm.get("scopeMetrics")).chain(array(rm.get("instrumentationLibraryMetrics")))
            {
                for m in array(sm.get("metrics")) {
                    metric_points(m, &res_attrs, display, *line, &mut points)?;
                }
            }
        }
    }
    let points = match rollup {
        OtlpRollup::Raw => points,
        OtlpRollup::SignalFlow(ms) => signalflow(points, ms as f64 / 1000.0),
    };
    Ok(if points.is_empty() {
        Vec::new()
    } else {
        vec![to_batch(&points)?]
    })
}

fn array(v: Option<&Value>) -> impl Iterator<Item = &Value> {
    v.and_then(Value::as_array).into_iter().flatten()
}

fn any_value_text(v: &Value) -> Option<String> {
    let obj = v.as_object()?;
    let (k, inner) = obj.iter().next()?;
    Some(match (k.as_str(), inner) {
        ("stringValue" | "bytesValue", Value::String(s)) => s.clone(),
        ("intValue" | "doubleValue", Value::String(s)) => s.clone(),
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    })
}

fn attributes(v: Option<&Value>) -> Vec<(String, String)> {
    array(v)
        .filter_map(|kv| {
            let key = kv.get("key")?.as_str()?.to_string();
            let value = kv.get("value").and_then(any_value_text).unwrap_or_default();
            Some((key, value))
        })
        .collect()
}

fn merge_dims(resource: &[(String, String)], point: &[(String, String)]) -> Vec<(String, String)> {
    let mut dims: Vec<(String, String)> = resource.to_vec();
    for (k, v) in point {
        match dims.iter_mut().find(|(dk, _)| dk == k) {
            Some(d) => d.1 = v.clone(),
            None => dims.push((k.clone(), v.clone())),
        }
    }
    dims
}

/// A 64-bit integer written as a decimal string or a JSON number.
fn u64_of(v: Option<&Value>) -> Option<u64> {
    match v? {
        Value::String(s) => s.trim().parse().ok(),
        Value::Number(n) => n.as_u64().or_else(|| n.as_f64().map(|f| f as u64)),
        _ => None,
    }
}

fn f64_of(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::String(s) => s.trim().parse().ok(),
        Value::Number(n) => n.as_f64(),
        _ => None,
    }
}

fn nanos_to_secs(ns: u64) -> f64 {
    (ns / 1_000_000_000) as f64 + (ns % 1_000_000_000) as f64 / 1e9
}

fn metric_points(
    m: &Value,
    res: &[(String, String)],
    display: &str,
    line: usize,
    out: &mut Vec<Point>,
) -> Result<()> {
    let name = m
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if name.is_empty() {
        return Ok(());
    }
    let temporality = |body: &Value| {
        body.get("aggregationTemporality")
            .and_then(Value::as_u64)
            .unwrap_or(0)
    };
    let (body, kind) = if let Some(g) = m.get("gauge") {
        (g, Kind::Gauge)
    } else if let Some(s) = m.get("sum") {
        let monotonic = s
            .get("isMonotonic")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let kind = match (monotonic, temporality(s)) {
            (false, _) => Kind::Gauge,
            (true, 2) => Kind::CumulativeSum,
            (true, _) => Kind::DeltaSum,
        };
        (s, kind)
    } else if let Some(h) = m
        .get("histogram")
        .or_else(|| m.get("exponentialHistogram"))
        .or_else(|| m.get("summary"))
    {
        let kind = if m.get("summary").is_some() || temporality(h) == 2 {
            Kind::CumulativeSum
        } else {
            Kind::DeltaSum
        };
        return distribution_points(&name, h, kind, res, display, line, out);
    } else {
        return Ok(());
    };
    for dp in array(body.get("dataPoints")) {
        if u64_of(dp.get("flags")).unwrap_or(0) & 1 == 1 {
            continue;
        }
        let value = point_value(dp, display, line, &name)?;
        let time = point_time(dp, display, line, &name)?;
        out.push(Point {
            time,
            start: u64_of(dp.get("startTimeUnixNano")),
            name: name.clone(),
            value,
            kind,
            dims: merge_dims(res, &attributes(dp.get("attributes"))),
        });
    }
    Ok(())
}

/// A number data point's value: `asDouble` or `asInt` (a JSON number or
/// a decimal string). A value that is not a number, or a point with
/// neither (and not flagged "no recorded value"), is an error naming the
/// metric: dropping the point would lose data silently.
fn point_value(dp: &Value, display: &str, line: usize, name: &str) -> Result<f64> {
    let err = |field: &str, msg: String| cell_error(display, Some(line), 0, field, msg);
    for field in ["asDouble", "asInt"] {
        if let Some(v) = dp.get(field) {
            return f64_of(Some(v)).ok_or_else(|| {
                err(
                    field,
                    format!("expected a number on a `{name}` data point, found `{v}`"),
                )
            });
        }
    }
    Err(err(
        "asDouble",
        format!("expected `asDouble` or `asInt` on a `{name}` data point, found neither"),
    ))
}

fn point_time(dp: &Value, display: &str, line: usize, name: &str) -> Result<f64> {
    u64_of(dp.get("timeUnixNano"))
        .map(nanos_to_secs)
        .ok_or_else(|| {
            cell_error(
                display,
                Some(line),
                0,
                "timeUnixNano",
                format!("expected a nanosecond timestamp on a `{name}` data point"),
            )
        })
}

fn distribution_points(
    name: &str,
    body: &Value,
    kind: Kind,
    res: &[(String, String)],
    display: &str,
    line: usize,
    out: &mut Vec<Point>,
) -> Result<()> {
    for dp in array(body.get("dataPoints")) {
        if u64_of(dp.get("flags")).unwrap_or(0) & 1 == 1 {
            continue;
        }
        let time = point_time(dp, display, line, name)?;
        let start = u64_of(dp.get("startTimeUnixNano"));
        let dims = merge_dims(res, &attributes(dp.get("attributes")));
        let mut push = |suffix: &str, value: f64, extra: Option<(String, String)>| {
            let mut d = dims.clone();
            d.extend(extra);
            out.push(Point {
                time,
                start,
                name: format!("{name}_{suffix}"),
                value,
                kind,
                dims: d,
            });
        };
        let number = |field: &str, v: &Value| {
            f64_of(Some(v)).ok_or_else(|| {
                cell_error(
                    display,
                    Some(line),
                    0,
                    field,
                    format!("expected a number on a `{name}` data point, found `{v}`"),
                )
            })
        };
        if let Some(c) = dp.get("count") {
            push("count", number("count", c)?, None);
        }
        if let Some(s) = dp.get("sum") {
            push("sum", number("sum", s)?, None);
        }
        let bounds = array(dp.get("explicitBounds"))
            .map(|v| number("explicitBounds", v))
            .collect::<Result<Vec<f64>>>()?;
        let counts = array(dp.get("bucketCounts"))
            .map(|v| number("bucketCounts", v))
            .collect::<Result<Vec<f64>>>()?;
        let mut running = 0.0;
        for (i, c) in counts.iter().enumerate() {
            running += c;
            let le = bounds.get(i).map_or_else(
                || "+Inf".to_string(),
                |b| crate::value::format_number(*b, None),
            );
            push("bucket", running, Some(("le".to_string(), le)));
        }
    }
    Ok(())
}

/// SignalFlow's default rollups per series and window (see the module docs).
fn signalflow(mut points: Vec<Point>, resolution: f64) -> Vec<Point> {
    let series_key = |p: &Point| {
        let mut dims: Vec<&(String, String)> = p.dims.iter().collect();
        dims.sort();
        let mut k = p.name.clone();
        for (a, b) in dims {
            k.push('\u{0}');
            k.push_str(a);
            k.push('\u{1}');
            k.push_str(b);
        }
        k
    };
    points.sort_by(|a, b| a.time.total_cmp(&b.time));
    // (series, window) -> (sum, count, the point carrying name and dims)
    let mut windows: IndexMap<(String, i64), (f64, usize, usize)> = IndexMap::new();
    let mut last: HashMap<String, (f64, Option<u64>)> = HashMap::new();
    for (i, p) in points.iter().enumerate() {
        let key = series_key(p);
        let contribution = match p.kind {
            Kind::Gauge | Kind::DeltaSum => Some(p.value),
            Kind::CumulativeSum => {
                let prev = last.insert(key.clone(), (p.value, p.start));
                match prev {
                    None => None,
                    Some((pv, ps)) if ps != p.start || p.value < pv => Some(p.value),
                    Some((pv, _)) => Some(p.value - pv),
                }
            }
        };
        let Some(v) = contribution else { continue };
        let w = (p.time / resolution).floor() as i64;
        let e = windows.entry((key, w)).or_insert((0.0, 0, i));
        e.0 += v;
        e.1 += 1;
    }
    windows
        .into_iter()
        .filter_map(|((_, w), (sum, n, i))| {
            let p = points.get(i)?;
            let value = if p.kind == Kind::Gauge {
                sum / n as f64
            } else {
                sum
            };
            Some(Point {
                time: w as f64 * resolution,
                start: None,
                name: p.name.clone(),
                value,
                kind: p.kind,
                dims: p.dims.clone(),
            })
        })
        .collect()
}

/// Metric batch from points; dimensions in order of first appearance.
pub(crate) fn to_batch(points: &[Point]) -> Result<RecordBatch> {
    let mut dim_names: IndexMap<&str, ()> = IndexMap::new();
    for p in points {
        for (k, _) in &p.dims {
            dim_names.insert(k.as_str(), ());
        }
    }
    let mut fields = vec![
        Field::new("_time", DataType::Float64, false),
        Field::new("metric_name", DataType::Utf8, true),
        Field::new("_value", DataType::Float64, true),
    ];
    let mut cols: Vec<ArrayRef> = vec![
        Arc::new(Float64Array::from_iter_values(
            points.iter().map(|p| p.time),
        )),
        Arc::new(StringArray::from_iter_values(
            points.iter().map(|p| p.name.as_str()),
        )),
        Arc::new(Float64Array::from_iter_values(
            points.iter().map(|p| p.value),
        )),
    ];
    for name in dim_names.keys() {
        let mut b = StringBuilder::new();
        for p in points {
            b.append_option(
                p.dims
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.as_str()),
            );
        }
        fields.push(Field::new(*name, DataType::Utf8, true));
        cols.push(Arc::new(b.finish()));
    }
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), cols)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::cast::AsArray;
    use arrow_array::types::Float64Type;

    fn sum_line(points: &[(u64, u64, &str)], temporality: u8, monotonic: bool) -> String {
        let dps: Vec<String> = points
            .iter()
            .map(|(start, t, v)| {
                format!(
                    r#"{{"asInt":"{v}","startTimeUnixNano":"{start}","timeUnixNano":"{t}","attributes":[{{"key":"direction","value":{{"stringValue":"receive"}}}}]}}"#
                )
            })
            .collect();
        format!(
            r#"{{"resourceMetrics":[{{"resource":{{"attributes":[{{"key":"k8s.pod.name","value":{{"stringValue":"p1"}}}},{{"key":"direction","value":{{"stringValue":"ignored"}}}}]}},"scopeMetrics":[{{"metrics":[{{"name":"k8s.pod.network.io","sum":{{"aggregationTemporality":{temporality},"isMonotonic":{monotonic},"dataPoints":[{}]}}}}]}}]}}]}}"#,
            dps.join(",")
        )
    }

    const S: u64 = 1_000_000_000;

    fn values(b: &RecordBatch) -> Vec<(f64, f64)> {
        let t = b
            .column_by_name("_time")
            .unwrap()
            .as_primitive::<Float64Type>();
        let v = b
            .column_by_name("_value")
            .unwrap()
            .as_primitive::<Float64Type>();
        (0..b.num_rows())
            .map(|i| (t.value(i), v.value(i)))
            .collect()
    }

    #[test]
    fn raw_points_with_merged_dims() {
        let text = sum_line(&[(S, 1_700_000_000 * S + 500_000_000, "606529")], 2, true);
        let b = &parse_otlp_metrics(&text, "f", OtlpRollup::Raw).unwrap()[0];
        assert_eq!(values(b), [(1_700_000_000.5, 606529.0)]);
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
                "k8s.pod.name",
                "direction"
            ]
        );
        let dir = b.column_by_name("direction").unwrap().as_string::<i32>();
        assert_eq!(dir.value(0), "receive", "data point attributes win");
    }

    #[test]
    fn cumulative_sums_become_window_deltas() {
        let t0 = 1_700_000_000u64; // a multiple of 10
        let text = sum_line(
            &[
                (S, t0 * S, "100"),
                (S, (t0 + 3) * S, "130"),
                (S, (t0 + 7) * S, "150"),
                (S, (t0 + 12) * S, "200"),
                // reset: new start time, value restarts
                (2 * S, (t0 + 25) * S, "20"),
                (2 * S, (t0 + 28) * S, "15"),
            ],
            2,
            true,
        );
        let b = &parse_otlp_metrics(&text, "f", OtlpRollup::SignalFlow(10_000)).unwrap()[0];
        let t = t0 as f64;
        // window t0: +30 +20; window t0+10: +50; window t0+20: reset 20 then a
        // decrease (reset again) 15.
        assert_eq!(values(b), [(t, 50.0), (t + 10.0, 50.0), (t + 20.0, 35.0)]);
    }

    #[test]
    fn gauges_average_and_delta_sums_add() {
        let t0 = 1_700_000_000u64;
        let gauge = sum_line(
            &[
                (S, t0 * S, "10"),
                (S, (t0 + 5) * S, "20"),
                (S, (t0 + 10) * S, "7"),
            ],
            0,
            false,
        );
        let b = &parse_otlp_metrics(&gauge, "f", OtlpRollup::default()).unwrap()[0];
        assert_eq!(values(b), [(t0 as f64, 15.0), (t0 as f64 + 10.0, 7.0)]);
        let delta = sum_line(
            &[
                (S, t0 * S, "10"),
                (S, (t0 + 5) * S, "20"),
                (S, (t0 + 30) * S, "7"),
            ],
            1,
            true,
        );
        let b = &parse_otlp_metrics(&delta, "f", OtlpRollup::default()).unwrap()[0];
        assert_eq!(values(b), [(t0 as f64, 30.0), (t0 as f64 + 30.0, 7.0)]);
    }

    #[test]
    fn rollup_option_parsing() {
        assert_eq!("raw".parse::<OtlpRollup>().unwrap(), OtlpRollup::Raw);
        assert_eq!(
            "signalflow".parse::<OtlpRollup>().unwrap(),
            OtlpRollup::SignalFlow(10_000)
        );
        assert_eq!(
            "signalflow:30s".parse::<OtlpRollup>().unwrap(),
            OtlpRollup::SignalFlow(30_000)
        );
        assert!("signalflow:0".parse::<OtlpRollup>().is_err());
        assert!("median".parse::<OtlpRollup>().is_err());
    }

    #[test]
    fn malformed_otlp() {
        let e = parse_otlp_metrics("{\"resourceMetrics\":[]}\n{\"oops\":", "f", OtlpRollup::Raw)
            .unwrap_err();
        assert!(e.to_string().contains("f:2"), "{e}");
        let e = parse_otlp_metrics("{\"something\":1}", "f", OtlpRollup::Raw).unwrap_err();
        assert!(e.to_string().contains("resourceMetrics"), "{e}");
        let no_time = r#"{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"g","gauge":{"dataPoints":[{"asDouble":1}]}}]}]}]}"#;
        let e = parse_otlp_metrics(no_time, "f", OtlpRollup::Raw).unwrap_err();
        assert!(e.to_string().contains("timeUnixNano"), "{e}");
        // a value that is no number is an error naming the point, not a
        // point dropped without a word (issue 15)
        for (field, v) in [("asInt", "\"notanint\""), ("asDouble", "{}")] {
            let bad = format!(
                r#"{{"resourceMetrics":[{{"scopeMetrics":[{{"metrics":[{{"name":"g","gauge":{{"dataPoints":[{{"{field}":{v},"timeUnixNano":"1"}}]}}}}]}}]}}]}}"#
            );
            let e = parse_otlp_metrics(&bad, "f", OtlpRollup::Raw).unwrap_err();
            let msg = e.to_string();
            assert!(
                msg.contains("f:1") && msg.contains(field) && msg.contains("`g`"),
                "{msg}"
            );
        }
        let none = r#"{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"g","gauge":{"dataPoints":[{"timeUnixNano":"1"}]}}]}]}]}"#;
        let e = parse_otlp_metrics(none, "f", OtlpRollup::Raw).unwrap_err();
        assert!(e.to_string().contains("found neither"), "{e}");
        let hist = r#"{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"h","histogram":{"dataPoints":[{"bucketCounts":["1","x"],"timeUnixNano":"1"}]}}]}]}]}"#;
        let e = parse_otlp_metrics(hist, "f", OtlpRollup::Raw).unwrap_err();
        assert!(e.to_string().contains("bucketCounts"), "{e}");
        assert!(
            parse_otlp_metrics("{\"resourceMetrics\":[]}", "f", OtlpRollup::Raw)
                .unwrap()
                .is_empty()
        );
    }
}
