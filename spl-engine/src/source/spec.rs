//! The `--data SPEC` syntax, format detection, and opening a file as a [`Dataset`].
//!
//! `SPEC` is a path, or comma-separated `key=value` pairs with keys `path`, `index`,
//! `source`, `sourcetype`, `host`, `format`, `kind`, `time_field`, `rollup`. Unstated
//! parts default to: the format from the extension and content, index `main`, source
//! the path as given, sourcetype from the format.
//!
//! `format=csv` and `format=parquet` name the container: a file of either with
//! metric columns (`metric_name` and `_value`, or `metric_name:<m>` columns) is
//! read as metric data points unless the spec says `kind=events`; `kind=metrics`
//! requires the metric columns.

use super::csv_events::CsvEventScan;
use super::csv_util::{delimiter_of, open_csv, read_header_sep};
use super::hec_metrics::{is_hec_metric, read_hec_metrics};
use super::json_events::{read_json_events, JsonLinesScan};
use super::metrics_csv::MetricsCsvScan;
use super::metrics_shape::MetricColumns;
use super::otlp::{read_otlp_metrics, OtlpRollup};
use super::raw::{IndexTimeProps, RawProps, RawScan};
use super::splunk_json::{is_export_object, read_splunk_json};
use super::{DataKind, Dataset, MemoryScan, Scan, SourceMeta};
use crate::error::{EngineError, Result};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

/// A file format the engine reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataFormat {
    /// JSON events: JSON lines, a JSON array of objects, or concatenated objects.
    Json,
    /// Splunk search-result export JSON (`{"result": {...}}` lines or `{"results": [...]}`).
    SplunkJson,
    /// CSV events with a header row.
    Csv,
    /// Parquet events (any columns).
    Parquet,
    /// Metric data points in CSV (`metric_timestamp`/`_time`, `metric_name`, `_value`, dims).
    MetricsCsv,
    /// Metric data points in Parquet (same columns).
    MetricsParquet,
    /// OTLP/JSON metrics (collector `file` exporter), converted to data points.
    OtlpJson,
    /// Splunk HEC metric events in JSON (`"event":"metric"`, `fields.metric_name`...).
    HecMetrics,
    /// KubeArmor telemetry and alerts (`karmor logs --json`, relay server output).
    Kubearmor,
    /// Raw text events (a log file), broken into events by the sourcetype's
    /// settings.
    Raw,
}

impl DataFormat {
    /// The format's entry in the format table.
    fn entry(self) -> &'static FormatEntry {
        FORMATS
            .iter()
            .find(|e| e.format == self)
            .unwrap_or(&FORMATS[0])
    }

    /// Every format, in the order listed in error messages.
    pub fn all() -> impl Iterator<Item = DataFormat> {
        FORMATS.iter().map(|e| e.format)
    }

    /// The name used in `format=`.
    pub fn name(self) -> &'static str {
        self.entry().name
    }

    /// Events or metrics.
    pub fn kind(self) -> DataKind {
        self.entry().kind
    }

    /// The sourcetype given to data of this format when none is stated.
    pub fn default_sourcetype(self) -> &'static str {
        self.entry().sourcetype
    }
}

/// One row of the format table: everything about a format except how its
/// content is recognised (`detect_format`, where the order of the checks
/// matters).
struct FormatEntry {
    format: DataFormat,
    /// The name in `format=`.
    name: &'static str,
    /// Other accepted spellings.
    aliases: &'static [&'static str],
    kind: DataKind,
    /// The default sourcetype.
    sourcetype: &'static str,
    /// Opens a file of this format as a scan (the spec, the file's name in
    /// messages, what is known of the file).
    open: fn(&DataSpec, &str, &FileFacts) -> Result<Arc<dyn Scan>>,
}

/// The formats the engine reads: one row each (a new format is a variant of
/// [`DataFormat`], its reader module and its row here).
const FORMATS: &[FormatEntry] = &[
    FormatEntry {
        format: DataFormat::Json,
        name: "json",
        aliases: &["jsonl", "ndjson", "json-lines"],
        kind: DataKind::Events,
        sourcetype: "_json",
        open: |spec, display, _| {
            let time_field = spec.time_field.as_deref();
            Ok(
                match JsonLinesScan::open(
                    &spec.path,
                    display,
                    time_field,
                    spec.strict,
                    spec.now,
                    spec.limits.max_line_bytes,
                )? {
                    Some(lines) => Arc::new(lines),
                    None => Arc::new(MemoryScan(read_json_events(
                        &spec.path, display, time_field,
                    )?)),
                },
            )
        },
    },
    FormatEntry {
        format: DataFormat::SplunkJson,
        name: "splunk-json",
        aliases: &["splunk-export", "export-json"],
        kind: DataKind::Events,
        sourcetype: "_json",
        open: |spec, display, _| {
            Ok(Arc::new(MemoryScan(read_splunk_json(
                &spec.path,
                display,
                spec.time_field.as_deref(),
            )?)))
        },
    },
    FormatEntry {
        format: DataFormat::Csv,
        name: "csv",
        aliases: &[],
        kind: DataKind::Events,
        sourcetype: "csv",
        open: |spec, display, _| {
            Ok(Arc::new(CsvEventScan::open(
                &spec.path,
                display,
                spec.time_field.as_deref(),
                spec.limits.csv_max_columns,
                spec.limits.max_line_bytes,
            )?))
        },
    },
    FormatEntry {
        format: DataFormat::Parquet,
        name: "parquet",
        aliases: &[],
        kind: DataKind::Events,
        sourcetype: "parquet",
        open: |spec, display, _| {
            Ok(Arc::new(super::parquet_scan::ParquetScan::open_events(
                spec.path.clone(),
                display.to_string(),
                spec.time_field.clone(),
            )?))
        },
    },
    FormatEntry {
        format: DataFormat::MetricsCsv,
        name: "metrics-csv",
        aliases: &["metrics"],
        kind: DataKind::Metrics,
        sourcetype: "metrics_csv",
        open: |spec, display, _| {
            Ok(Arc::new(MetricsCsvScan::open(
                spec.path.clone(),
                display.to_string(),
                spec.limits.csv_max_columns,
                spec.limits.max_line_bytes,
            )?))
        },
    },
    FormatEntry {
        format: DataFormat::MetricsParquet,
        name: "metrics-parquet",
        aliases: &[],
        kind: DataKind::Metrics,
        sourcetype: "metrics_parquet",
        open: |spec, display, _| {
            Ok(Arc::new(super::parquet_scan::ParquetScan::open_metrics(
                spec.path.clone(),
                display.to_string(),
            )?))
        },
    },
    FormatEntry {
        format: DataFormat::OtlpJson,
        name: "otlp-json",
        aliases: &["otlp", "otlp-metrics"],
        kind: DataKind::Metrics,
        sourcetype: "otlp_json",
        open: |spec, display, _| {
            Ok(Arc::new(MemoryScan(read_otlp_metrics(
                &spec.path,
                display,
                spec.rollup.unwrap_or_default(),
            )?)))
        },
    },
    FormatEntry {
        format: DataFormat::HecMetrics,
        name: "hec-metrics",
        aliases: &["hec", "metrics-json", "hec-json"],
        kind: DataKind::Metrics,
        sourcetype: "hec_metrics",
        open: |spec, display, _| Ok(Arc::new(MemoryScan(read_hec_metrics(&spec.path, display)?))),
    },
    FormatEntry {
        format: DataFormat::Kubearmor,
        name: "kubearmor",
        aliases: &[],
        kind: DataKind::Events,
        sourcetype: "kubearmor",
        open: |spec, _display, _| {
            let meta = super::kubearmor::kubearmor_meta(&spec.path);
            Ok(Arc::new(MemoryScan(
                super::kubearmor::read_kubearmor_limited(
                    &spec.path,
                    &meta,
                    spec.limits.max_line_bytes,
                )?,
            )))
        },
    },
    FormatEntry {
        format: DataFormat::Raw,
        name: "raw",
        aliases: &["text", "log"],
        kind: DataKind::Events,
        sourcetype: "raw",
        open: |spec, display, facts| {
            let props = match &spec.props {
                Some(p) => p.clone(),
                None => match &spec.sourcetype {
                    Some(st) => RawProps::for_sourcetype(st),
                    None if facts.xml_events => RawProps::xml_win_event_log(),
                    None => RawProps::default(),
                },
            };
            Ok(Arc::new(RawScan::open(
                &spec.path,
                display,
                &props,
                spec.now,
                facts.mtime,
                super::raw::PART_BYTES,
            )?))
        },
    },
];

/// What is known of a file when it is opened.
#[derive(Debug, Clone, Default)]
pub(crate) struct FileFacts {
    /// Modification time (epoch seconds) of the file as named.
    pub mtime: Option<f64>,
    /// The text starts with a Windows XML `<Event` (or an XML declaration
    /// followed by one).
    pub xml_events: bool,
}

impl std::fmt::Display for DataFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

fn format_names() -> String {
    FORMATS
        .iter()
        .map(|f| f.name)
        .collect::<Vec<_>>()
        .join(", ")
}

impl FromStr for DataFormat {
    type Err = EngineError;

    fn from_str(s: &str) -> Result<Self> {
        let t = s.trim().to_ascii_lowercase().replace('_', "-");
        FORMATS
            .iter()
            .find(|f| f.name == t || f.aliases.contains(&t.as_str()))
            .map(|f| f.format)
            .ok_or_else(|| {
                EngineError::data(
                    "--data",
                    None,
                    Some("format"),
                    format!("expected one of {}, found `{s}`", format_names()),
                )
            })
    }
}

/// A shared [`IndexTimeProps`] (two are equal when they are the same one).
#[derive(Clone)]
pub struct IndexPropsSource(pub Arc<dyn IndexTimeProps>);

impl std::fmt::Debug for IndexPropsSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IndexPropsSource")
    }
}

impl PartialEq for IndexPropsSource {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// One `--data` argument: a file and how to register it.
#[derive(Debug, Clone, PartialEq)]
pub struct DataSpec {
    /// The file.
    pub path: PathBuf,
    /// `index` (default `main`).
    pub index: Option<String>,
    /// `source` (default: the path as given).
    pub source: Option<String>,
    /// `sourcetype` (default: from the format).
    pub sourcetype: Option<String>,
    /// `host` (default: none).
    pub host: Option<String>,
    /// Format (default: detected from the extension and content).
    pub format: Option<DataFormat>,
    /// Field giving `_time` (default: the first parseable of the usual candidates).
    pub time_field: Option<String>,
    /// How OTLP metrics are rolled up (`rollup=raw|signalflow[:<seconds>]`;
    /// default SignalFlow at 10 s, what Splunk holds via the SIM add-on).
    pub rollup: Option<OtlpRollup>,
    /// Events or metrics (`kind=events|metrics`; default: metric columns mean
    /// metrics).
    pub kind: Option<DataKind>,
    /// Event breaking and timestamp settings for raw text (`props.conf`
    /// keys; default: by sourcetype, [`RawProps::for_sourcetype`]).
    pub props: Option<RawProps>,
    /// The loaded apps' index-time `props.conf` settings, consulted for a
    /// raw text file when `props` is `None` (set by
    /// [`crate::session::EngineBuilder::add_data`] once apps are loaded).
    pub index_props: Option<IndexPropsSource>,
    /// A JSON-lines line that is not JSON is an error (`strict=true`)
    /// instead of an event of its raw text with a warning.
    pub strict: bool,
    /// The clock (epoch seconds): the year of timestamps written without
    /// one, the time of `DATETIME_CONFIG = CURRENT`. [`crate::session::EngineBuilder::add_data`]
    /// sets it from the engine's clock; without it the file's modification
    /// time stands in.
    pub now: Option<f64>,
    /// The data model dataset (`M.D`) whose rows the file holds
    /// (`datamodel=Endpoint.Processes`): an export of
    /// `| datamodel M D search`, fields prefixed with the dataset's name or bare.
    pub datamodel: Option<String>,
    /// The resource limits the readers apply (`csv_max_columns`,
    /// `max_stream_bytes`, ...); [`crate::session::EngineBuilder::add_data`]
    /// sets the engine's.
    pub limits: Arc<crate::limits::Limits>,
}

impl DataSpec {
    /// A spec for a path with every other part defaulted.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        DataSpec {
            path: path.into(),
            index: None,
            source: None,
            sourcetype: None,
            host: None,
            format: None,
            time_field: None,
            rollup: None,
            kind: None,
            props: None,
            index_props: None,
            strict: false,
            now: None,
            datamodel: None,
            limits: Arc::default(),
        }
    }
}

const SPEC_KEYS: &[&str] = &[
    "path",
    "index",
    "source",
    "sourcetype",
    "host",
    "format",
    "time_field",
    "rollup",
    "kind",
    "strict",
    "datamodel",
];

impl FromStr for DataKind {
    type Err = EngineError;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "events" | "event" => Ok(DataKind::Events),
            "metrics" | "metric" => Ok(DataKind::Metrics),
            _ => Err(EngineError::data(
                "--data",
                None,
                Some("kind"),
                format!("expected events or metrics, found `{s}`"),
            )),
        }
    }
}

impl DataSpec {
    /// Sets one `--data` key other than `path` (`index`, `sourcetype`,
    /// `format`, `kind`, `strict`, ...) from its text, as a spec's
    /// `key=value` pair sets it: for embeddings that take the keys one by
    /// one (the Python `Engine.add_data(path, sourcetype=...)`).
    pub fn set(&mut self, key: &str, value: &str) -> Result<()> {
        let err = |field: Option<&str>, msg: String| {
            EngineError::data(format!("--data {key}={value}"), None, field, msg)
        };
        if !SPEC_KEYS.contains(&key) || key == "path" {
            return Err(err(
                Some(key),
                format!(
                    "expected one of the keys {}, found `{key}`",
                    SPEC_KEYS
                        .iter()
                        .filter(|k| **k != "path")
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        let value = value.trim();
        if value.is_empty() {
            return Err(err(
                Some(key),
                format!("expected a value after `{key}=`, found nothing"),
            ));
        }
        self.set_key(key, value, &err)
    }

    /// Sets `key` (a known key other than `path`) to a non-empty `value`.
    fn set_key(
        &mut self,
        key: &str,
        value: &str,
        err: &impl Fn(Option<&str>, String) -> EngineError,
    ) -> Result<()> {
        let v = Some(value.to_string());
        match key {
            "index" => self.index = v,
            "source" => self.source = v,
            "sourcetype" => self.sourcetype = v,
            "host" => self.host = v,
            "time_field" => self.time_field = v,
            "datamodel" => self.datamodel = v,
            "rollup" => self.rollup = Some(value.parse()?),
            "kind" => self.kind = Some(value.parse()?),
            "strict" => {
                self.strict = match value.to_ascii_lowercase().as_str() {
                    "true" | "t" | "yes" | "1" => true,
                    "false" | "f" | "no" | "0" => false,
                    _ => {
                        return Err(err(
                            Some(key),
                            format!("expected true or false, found `{value}`"),
                        ))
                    }
                }
            }
            _ => self.format = Some(value.parse()?),
        }
        Ok(())
    }
}

impl FromStr for DataSpec {
    type Err = EngineError;

    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim();
        let err = |field: Option<&str>, msg: String| {
            EngineError::data(format!("--data {s}"), None, field, msg)
        };
        if s.is_empty() {
            return Err(err(
                None,
                "expected a path or key=value pairs, found nothing".into(),
            ));
        }
        // A spec is key=value pairs only when it starts with a known key; anything
        // else is a path (which may itself contain `=` or `,`).
        let is_pairs = s
            .split(',')
            .next()
            .and_then(|p| p.split_once('='))
            .is_some_and(|(k, _)| SPEC_KEYS.contains(&k.trim()));
        if !is_pairs {
            return Ok(DataSpec::new(s));
        }
        let mut spec = DataSpec::new("");
        let mut path = None;
        let mut seen: Vec<&str> = Vec::new();
        for part in s.split(',') {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let (key, value) = part
                .split_once('=')
                .map(|(k, v)| (k.trim(), v.trim()))
                .ok_or_else(|| err(None, format!("expected key=value, found `{part}`")))?;
            if !SPEC_KEYS.contains(&key) {
                return Err(err(
                    Some(key),
                    format!(
                        "expected one of the keys {}, found `{key}`",
                        SPEC_KEYS.join(", ")
                    ),
                ));
            }
            if seen.contains(&key) {
                return Err(err(
                    Some(key),
                    format!("expected `{key}` once, found it twice"),
                ));
            }
            seen.push(key);
            if value.is_empty() {
                return Err(err(
                    Some(key),
                    format!("expected a value after `{key}=`, found nothing"),
                ));
            }
            if key == "path" {
                path = Some(PathBuf::from(value));
            } else {
                spec.set_key(key, value, &err)?;
            }
        }
        spec.path =
            path.ok_or_else(|| err(Some("path"), "expected `path=FILE`, found no path".into()))?;
        Ok(spec)
    }
}

/// Guesses the format of a file from its extension and first bytes (a
/// gzip-compressed file by what it holds and the name without `.gz`). Text
/// that is no other format is raw text events.
pub fn detect_format(path: &Path) -> Result<DataFormat> {
    let display = path.display().to_string();
    let input = super::input::prepare(path, &display, &crate::limits::Limits::default())?;
    detect_in(&input.path, &display)
}

/// [`detect_format`] of a file ready for reading (its name, if a temporary
/// copy, is the original's without `.gz`).
fn detect_in(path: &Path, display: &str) -> Result<DataFormat> {
    let display = display.to_string();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let mut head = Vec::with_capacity(super::json_events::SNIFF_BYTES);
    std::fs::File::open(path)
        .and_then(|f| {
            f.take(super::json_events::SNIFF_BYTES as u64)
                .read_to_end(&mut head)
        })
        .map_err(|source| EngineError::Io {
            path: display.clone(),
            source,
        })?;
    if head.starts_with(b"PAR1") || matches!(ext.as_str(), "parquet" | "pq" | "parq") {
        return Ok(
            if super::parquet_scan::has_metric_columns(path, &display)? {
                DataFormat::MetricsParquet
            } else {
                DataFormat::Parquet
            },
        );
    }
    let text = String::from_utf8_lossy(&head);
    let body = text.trim_start_matches('\u{feff}').trim_start();
    // CSV only by extension (a `format=csv` spec does not come here): any text
    // would pass for a CSV file whose first line is the header
    if ext == "csv" || ext == "tsv" {
        if body.is_empty() {
            return Ok(DataFormat::Csv);
        }
        let header = read_header_sep(open_csv(path, &display)?, &display, delimiter_of(path))?;
        return Ok(if MetricColumns::from_names(&header).is_some() {
            DataFormat::MetricsCsv
        } else {
            DataFormat::Csv
        });
    }
    // `[19/Aug/2024:...]` or `{worker-1} ...` opens a log line, not JSON
    // (JSON events are objects, alone or in an array)
    let opens_json = |b: &str| {
        let mut rest = b.chars().skip(1).filter(|c| !c.is_whitespace());
        match (b.chars().next(), rest.next()) {
            (Some('['), next) => matches!(next, None | Some('{' | ']')),
            (Some('{'), next) => matches!(next, None | Some('"' | '}')),
            _ => false,
        }
    };
    if !opens_json(body) && ext != "json" {
        let first_line = body.lines().next().unwrap_or_default();
        // KubeArmor logs as `kubectl logs` prints them: a prefix, then JSON
        if super::kubearmor::looks_like_kubearmor(first_line) {
            return Ok(DataFormat::Kubearmor);
        }
        // JSON lines whose first line is not JSON (a banner, a line cut by
        // rotation): that line becomes a raw event, as the others would
        let whole = head.len() < super::json_events::SNIFF_BYTES;
        if super::json_events::mostly_json_lines(body, whole) {
            return Ok(DataFormat::Json);
        }
        if let Some(e) = binary_data(&display, &head) {
            return Err(e);
        }
        return Ok(DataFormat::Raw);
    }
    let first_line = body.lines().next().unwrap_or_default();
    let first_doc = serde_json::from_str::<serde_json::Value>(first_line)
        .ok()
        .or_else(|| serde_json::from_str(body).ok());
    if first_doc
        .as_ref()
        .is_some_and(|d| d.get("resourceMetrics").is_some())
        || body
            .strip_prefix('{')
            .is_some_and(|b| b.trim_start().starts_with("\"resourceMetrics\""))
    {
        return Ok(DataFormat::OtlpJson);
    }
    if first_doc.as_ref().is_some_and(|d| {
        is_hec_metric(d)
            || d.as_array()
                .and_then(|a| a.first())
                .is_some_and(is_hec_metric)
    }) {
        return Ok(DataFormat::HecMetrics);
    }
    if super::kubearmor::looks_like_kubearmor(first_line) {
        return Ok(DataFormat::Kubearmor);
    }
    if first_doc.as_ref().is_some_and(is_export_object)
        || (first_line.starts_with("{\"preview\"") || first_line.starts_with("{\"result\""))
    {
        return Ok(DataFormat::SplunkJson);
    }
    Ok(DataFormat::Json)
}

/// The format a spec's file is read as: the stated (or detected) format, with
/// `csv`/`parquet` naming only the container, so that metric columns make the
/// file metrics unless `kind=events` says otherwise.
pub(crate) fn resolve_format(spec: &DataSpec, display: &str) -> Result<DataFormat> {
    let stated = spec.format.is_some();
    let format = match spec.format {
        Some(f) => f,
        None => detect_in(&spec.path, display)?,
    };
    let kind_error = |msg: String| EngineError::data(display, None, Some("kind"), msg);
    let metric_columns = |format: DataFormat| -> Result<bool> {
        match format {
            DataFormat::Csv => {
                let header = read_header_sep(
                    open_csv(&spec.path, display)?,
                    display,
                    delimiter_of(&spec.path),
                )?;
                Ok(MetricColumns::from_names(&header).is_some())
            }
            _ => super::parquet_scan::has_metric_columns(&spec.path, display),
        }
    };
    // the container, and its events / metrics formats
    let (events, metrics) = match format {
        DataFormat::Csv | DataFormat::MetricsCsv => (DataFormat::Csv, DataFormat::MetricsCsv),
        DataFormat::Parquet | DataFormat::MetricsParquet => {
            (DataFormat::Parquet, DataFormat::MetricsParquet)
        }
        other => {
            return match spec.kind {
                Some(k) if k != other.kind() => Err(kind_error(format!(
                    "expected kind={} for format {other}, found kind={}{}",
                    kind_name(other.kind()),
                    kind_name(k),
                    if k == DataKind::Metrics {
                        " (metrics in JSON: format=hec-metrics or format=otlp-json)"
                    } else {
                        ""
                    }
                ))),
                _ => Ok(other),
            };
        }
    };
    // a data model export is events, whatever columns it has
    let kind = if spec.datamodel.is_some() {
        Some(DataKind::Events)
    } else {
        spec.kind
    };
    let resolved = match (kind, format) {
        // a stated metrics format with kind=events contradicts itself
        (Some(DataKind::Events), DataFormat::MetricsCsv | DataFormat::MetricsParquet) if stated => {
            Err(kind_error(format!(
                "expected kind=metrics for format {format}, found kind=events (use format={events})"
            )))
        }
        (Some(DataKind::Events | DataKind::DataModel), _) => Ok(events),
        (Some(DataKind::Metrics), f) if f == metrics => Ok(metrics),
        (Some(DataKind::Metrics), _) => {
            if metric_columns(events)? {
                Ok(metrics)
            } else {
                Err(kind_error(
                    "expected metric columns for kind=metrics (`metric_name` and `_value`, or \
                     `metric_name:<metric>` columns), found none"
                        .into(),
                ))
            }
        }
        (None, f) if f == metrics => Ok(metrics),
        (None, _) if stated && metric_columns(events)? => Ok(metrics),
        (None, _) => Ok(events),
    }?;
    if resolved == DataFormat::MetricsCsv && delimiter_of(&spec.path) == b'\t' {
        return Err(EngineError::data(
            display,
            None,
            None,
            "expected metric data points in a comma-separated file, found a .tsv file \
             (tab-separated metrics are not read; convert it to CSV or pass kind=events)",
        ));
    }
    Ok(resolved)
}

fn kind_name(k: DataKind) -> &'static str {
    match k {
        DataKind::Events => "events",
        DataKind::Metrics => "metrics",
        DataKind::DataModel => "data model rows",
    }
}

/// The error for a file of binary data in no format read (text that is no
/// other format is raw events).
pub(crate) fn binary_data(display: &str, head: &[u8]) -> Option<EngineError> {
    let binary = match std::str::from_utf8(head) {
        Ok(t) => t.contains('\0'),
        // a character cut at the end of the sniffed bytes is still text
        Err(e) => e.error_len().is_some(),
    };
    binary.then(|| {
        EngineError::data(
            display,
            None,
            None,
            format!(
                "expected text (raw events) or a file in one of the formats {}, found binary data",
                format_names()
            ),
        )
    })
}

/// Whether text starts with a Windows XML event (after an XML declaration
/// and an `<Events>` wrapper, if any).
fn starts_with_xml_event(path: &Path) -> bool {
    let mut head = Vec::new();
    let _ = std::fs::File::open(path).and_then(|f| f.take(4096).read_to_end(&mut head));
    let text = String::from_utf8_lossy(&head);
    let mut body = text.trim_start_matches('\u{feff}').trim_start();
    if let Some(rest) = body.strip_prefix("<?xml") {
        body = rest.split_once("?>").map_or("", |(_, r)| r).trim_start();
    }
    if let Some(rest) = body.strip_prefix("<Events>") {
        body = rest.trim_start();
    }
    body.starts_with("<Event ") || body.starts_with("<Event>")
}

/// Opens the file of a spec as a dataset: JSON-lines and CSV events, raw
/// text, metrics CSV and Parquet files are scanned lazily, each scan
/// streaming the file (so their data errors past the first part surface
/// when a search reads them); other files are read now. A gzip-compressed
/// file, standard input (`-`) or a pipe is first read into a temporary file;
/// an empty file is a dataset of no events. A directory is an error here:
/// [`open_datasets`] reads every file under it.
pub fn open_dataset(spec: &DataSpec) -> Result<Dataset> {
    let display = spec.path.display().to_string();
    if !super::input::is_stdin(&spec.path) && spec.path.is_dir() {
        return Err(EngineError::data(
            &display,
            None,
            None,
            "expected a file, found a directory (open_datasets and --data read every file \
             under a directory)",
        ));
    }
    open_file(spec, display)
}

/// Opens a spec's file, or every file under its directory (recursively, in
/// sorted order, hidden files left out), each a dataset whose `source` is
/// its own path unless the spec sets one.
pub fn open_datasets(spec: &DataSpec) -> Result<Vec<Dataset>> {
    if super::input::is_stdin(&spec.path) || !spec.path.is_dir() {
        return Ok(vec![open_dataset(spec)?]);
    }
    let display = spec.path.display().to_string();
    super::input::files_under(&spec.path, &display)?
        .into_iter()
        .map(|file| {
            let one = DataSpec {
                path: file.clone(),
                ..spec.clone()
            };
            open_file(&one, file.display().to_string())
        })
        .collect()
}

fn open_file(spec: &DataSpec, display: String) -> Result<Dataset> {
    let input = super::input::prepare(&spec.path, &display, &spec.limits)?;
    let mut local = DataSpec {
        path: input.path.clone(),
        ..spec.clone()
    };
    let len = std::fs::metadata(&input.path)
        .map_err(|source| EngineError::Io {
            path: display.clone(),
            source,
        })?
        .len();
    let format = match len {
        0 => spec.format.unwrap_or(DataFormat::Raw),
        _ => resolve_format(&local, &display)?,
    };
    let xml = len > 0 && format == DataFormat::Raw && starts_with_xml_event(&input.path);
    let sourcetype = spec.sourcetype.clone().unwrap_or_else(|| {
        if xml {
            "XmlWinEventLog".to_string()
        } else {
            format.default_sourcetype().to_string()
        }
    });
    // every raw event has a host, as in Splunk; offline there is no
    // forwarder to name, so it is `localhost` unless the spec says
    let host = spec
        .host
        .clone()
        .or_else(|| (format == DataFormat::Raw).then(|| "localhost".to_string()));
    let source = spec.source.clone().unwrap_or_else(|| display.clone());
    // raw text: the spec's own settings, else the apps' index-time settings
    // for this sourcetype, source and host over the built-in ones
    if format == DataFormat::Raw && local.props.is_none() {
        if let Some(ip) = &spec.index_props {
            let base = RawProps::for_sourcetype(&sourcetype);
            let host = host.as_deref().unwrap_or_default();
            local.props = Some(ip.0.resolve(&sourcetype, &source, host, base)?);
        }
    }
    let mut scan: Arc<dyn Scan> = if len == 0 {
        Arc::new(MemoryScan(Vec::new()))
    } else {
        let facts = FileFacts {
            mtime: input.mtime.or(spec.now),
            xml_events: xml,
        };
        (format.entry().open)(&local, &display, &facts)?
    };
    if let Some(keep) = input.keep {
        scan = Arc::new(super::input::KeepAlive {
            inner: scan,
            _keep: keep,
        });
    }
    let kind = match (len, spec.kind) {
        _ if spec.datamodel.is_some() => DataKind::DataModel,
        (0, Some(k)) => k,
        _ => format.kind(),
    };
    Ok(Dataset {
        meta: SourceMeta {
            index: spec.index.clone().unwrap_or_else(|| "main".to_string()),
            source,
            sourcetype,
            host,
        },
        kind,
        scan,
        datamodel: spec.datamodel.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_set_one_by_one_as_in_a_spec() {
        let mut one = DataSpec::new("f.csv");
        for (k, v) in [
            ("index", "idx"),
            ("sourcetype", "st"),
            ("kind", "events"),
            ("strict", "yes"),
            ("format", "csv"),
        ] {
            one.set(k, v).unwrap();
        }
        let spec: DataSpec = "path=f.csv,index=idx,sourcetype=st,kind=events,strict=yes,format=csv"
            .parse()
            .unwrap();
        assert_eq!(one, spec);
        for (k, v) in [
            ("path", "g"),
            ("colour", "red"),
            ("index", " "),
            ("strict", "maybe"),
        ] {
            let e = one.set(k, v).unwrap_err();
            assert!(e.is_data_error(), "{k}: {e}");
        }
        assert_eq!(one.index.as_deref(), Some("idx"));
    }

    #[test]
    fn format_table_has_one_row_per_format() {
        // An exhaustive match: a new variant does not compile until it is
        // listed here, and then fails until it has its row.
        let every = |f: DataFormat| match f {
            DataFormat::Json
            | DataFormat::SplunkJson
            | DataFormat::Csv
            | DataFormat::Parquet
            | DataFormat::MetricsCsv
            | DataFormat::MetricsParquet
            | DataFormat::OtlpJson
            | DataFormat::HecMetrics
            | DataFormat::Kubearmor
            | DataFormat::Raw => f,
        };
        let rows: Vec<DataFormat> = DataFormat::all().map(every).collect();
        for f in [
            DataFormat::Json,
            DataFormat::SplunkJson,
            DataFormat::Csv,
            DataFormat::Parquet,
            DataFormat::MetricsCsv,
            DataFormat::MetricsParquet,
            DataFormat::OtlpJson,
            DataFormat::HecMetrics,
            DataFormat::Kubearmor,
            DataFormat::Raw,
        ] {
            assert_eq!(rows.iter().filter(|&&r| r == f).count(), 1, "{f:?}");
            assert_eq!(f.entry().format, f);
            assert_eq!(f.name().parse::<DataFormat>().unwrap(), f);
        }
        let mut names: Vec<&str> = FORMATS
            .iter()
            .flat_map(|e| std::iter::once(e.name).chain(e.aliases.iter().copied()))
            .collect();
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n, "a format name or alias is listed twice");
    }

    #[test]
    fn plain_path_and_pairs() {
        let s: DataSpec = "data/audit.jsonl".parse().unwrap();
        assert_eq!(s, DataSpec::new("data/audit.jsonl"));
        let s: DataSpec = "path=m.csv, index=kubernetes_metrics,format=metrics-csv,time_field=ts"
            .parse()
            .unwrap();
        assert_eq!(s.path, PathBuf::from("m.csv"));
        assert_eq!(s.index.as_deref(), Some("kubernetes_metrics"));
        assert_eq!(s.format, Some(DataFormat::MetricsCsv));
        assert_eq!(s.time_field.as_deref(), Some("ts"));
        // A path that merely contains `=` is still a path.
        let s: DataSpec = "dir/a=b.json".parse().unwrap();
        assert_eq!(s.path, PathBuf::from("dir/a=b.json"));
    }

    #[test]
    fn bad_specs_are_clear_errors() {
        for (spec, needle) in [
            ("path=a.json,colour=red", "`colour`"),
            ("path=a.json,format=xml", "expected one of json"),
            ("index=main", "found no path"),
            ("path=a.json,index=", "expected a value"),
            ("path=a.json,index=a,index=b", "twice"),
            ("path=a.json,oops", "expected key=value"),
            ("", "found nothing"),
        ] {
            let e = spec.parse::<DataSpec>().unwrap_err();
            assert!(e.to_string().contains(needle), "{spec}: {e}");
            assert!(e.is_data_error());
        }
    }
}
