//! Metric readers: metrics CSV, mstats export CSV, multiple-measurement CSV, Parquet.
#![allow(clippy::unwrap_used)] // tests may unwrap, helpers included

mod ingest_common;
use ingest_common::*;

use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, DictionaryArray, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;
use spl_engine::source::{open_dataset, DataFormat, DataKind, DataSpec, ScanRequest};
use std::sync::Arc;

#[test]
fn metrics_csv_shape() {
    let spec: DataSpec = format!(
        "path={},index=kubernetes_metrics",
        fixture("metrics.csv").display()
    )
    .parse()
    .unwrap();
    let ds = open_dataset(&spec).unwrap();
    assert_eq!(ds.kind, DataKind::Metrics);
    assert_eq!(ds.meta.index, "kubernetes_metrics");
    let batches = scan_all(&ds, &ScanRequest::default());
    let b = &batches[0];
    assert_eq!(
        names(b),
        [
            "_time",
            "metric_name",
            "_value",
            "k8s.cluster.name",
            "k8s.pod.name",
            "direction"
        ]
    );
    assert_eq!(b.schema().field(0).data_type(), &DataType::Float64);
    assert_eq!(b.schema().field(2).data_type(), &DataType::Float64);
    assert_eq!(b.num_rows(), 4);
    assert_eq!(f64_at(b, "_time", 0), Some(1727870400.0));
    assert_eq!(f64_at(b, "_value", 2), Some(606900.5));
    assert_eq!(one(b, "k8s.pod.name", 3).as_deref(), Some("web-0"));
    assert!(one(b, "direction", 3).is_none());
}

#[test]
fn metrics_csv_projection_and_time_range() {
    let ds = open_dataset(&DataSpec::new(fixture("metrics.csv"))).unwrap();
    let req = ScanRequest {
        columns: Some(vec!["direction".into()]),
        earliest: Some(1727870400.0),
        latest: Some(1727870420.0),
        time_only_for_window: false,
        counters: None,
        warnings: None,
        dictionary_strings: false,
    };
    let batches = scan_all(&ds, &req);
    let b = &batches[0];
    assert_eq!(names(b), ["_time", "metric_name", "_value", "direction"]);
    assert_eq!(b.num_rows(), 3, "latest is exclusive");
    // The scan can be repeated (each scan streams the file again).
    assert_eq!(total_rows(&scan_all(&ds, &req)), 3);
}

#[test]
fn mstats_export_with_iso_time() {
    let ds = open_dataset(&DataSpec::new(fixture("mstats_export.csv"))).unwrap();
    let b = &scan_all(&ds, &ScanRequest::default())[0];
    assert_eq!(
        names(b),
        [
            "_time",
            "metric_name",
            "_value",
            "dest.workload.name",
            "dest.process.name"
        ]
    );
    assert_eq!(f64_at(b, "_time", 1), Some(1727870410.0));
    assert_eq!(f64_at(b, "_value", 2), Some(12.0));
}

#[test]
fn multiple_measurement_csv_is_unpivoted() {
    let ds = open_dataset(&DataSpec::new(fixture("multi_measure.csv"))).unwrap();
    let b = &scan_all(&ds, &ScanRequest::default())[0];
    assert_eq!(b.num_rows(), 3, "the empty tcp.bytes cell is no data point");
    let points: Vec<(String, f64, String)> = (0..3)
        .map(|r| {
            (
                one(b, "metric_name", r).unwrap(),
                f64_at(b, "_value", r).unwrap(),
                one(b, "dest.workload.name", r).unwrap(),
            )
        })
        .collect();
    assert!(points.contains(&("tcp.bytes".into(), 10240.0, "checkout".into())));
    assert!(points.contains(&("tcp.packets".into(), 12.0, "checkout".into())));
    assert!(points.contains(&("tcp.packets".into(), 3.0, "cart".into())));
}

/// The bench-anchors generator's shape: `_time` int64, dictionary strings.
fn write_metrics_parquet(path: &std::path::Path, row_groups: usize, rows_per_group: usize) {
    let dict = |vals: Vec<&str>| -> ArrayRef {
        Arc::new(vals.into_iter().collect::<DictionaryArray<Int32Type>>())
    };
    let schema = Arc::new(Schema::new(vec![
        Field::new("_time", DataType::Int64, false),
        Field::new(
            "metric_name",
            DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
            false,
        ),
        Field::new("_value", DataType::Float64, false),
        Field::new(
            "k8s.cluster.name",
            DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
            false,
        ),
        Field::new("dest.workload.name", DataType::Utf8, true),
    ]));
    let props = WriterProperties::builder()
        .set_max_row_group_row_count(Some(rows_per_group))
        .build();
    let file = std::fs::File::create(path).unwrap();
    let mut w = ArrowWriter::try_new(file, schema.clone(), Some(props)).unwrap();
    for g in 0..row_groups {
        let n = rows_per_group;
        let t0 = 1735689600 + (g * n) as i64 * 10;
        let times: Vec<i64> = (0..n as i64).map(|i| t0 + i * 10).collect();
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(Int64Array::from(times)),
                dict(vec!["tcp.bytes"; n]),
                Arc::new(Float64Array::from(
                    (0..n).map(|i| i as f64).collect::<Vec<_>>(),
                )),
                dict(vec!["prod-us-east-1"; n]),
                Arc::new(StringArray::from(vec![Some("checkout"); n])),
            ],
        )
        .unwrap();
        w.write(&batch).unwrap();
        w.flush().unwrap();
    }
    w.close().unwrap();
}

#[test]
fn metrics_parquet_lazy_projected_pruned() {
    let dir = scratch("mparquet");
    let p = dir.join("metrics.parquet");
    write_metrics_parquet(&p, 4, 100);
    let ds = open_dataset(&DataSpec::new(&p)).unwrap();
    assert_eq!(ds.kind, DataKind::Metrics);
    assert_eq!(
        spl_engine::source::detect_format(&p).unwrap(),
        DataFormat::MetricsParquet
    );
    let all = scan_all(&ds, &ScanRequest::default());
    assert_eq!(total_rows(&all), 400);
    let b = &all[0];
    assert_eq!(
        names(b),
        [
            "_time",
            "metric_name",
            "_value",
            "k8s.cluster.name",
            "dest.workload.name"
        ]
    );
    // Parquet string columns keep their dictionary encoding (cheap for mstats).
    let dict = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
    for f in b.schema().fields().iter().skip(3) {
        assert_eq!(f.data_type(), &dict);
    }
    assert_eq!(
        one(b, "k8s.cluster.name", 5).as_deref(),
        Some("prod-us-east-1")
    );
    assert_eq!(f64_at(b, "_time", 1), Some(1735689610.0));

    // Projection drops unrequested dimensions.
    let req = ScanRequest {
        columns: Some(vec!["k8s.cluster.name".into()]),
        ..Default::default()
    };
    assert_eq!(
        names(&scan_all(&ds, &req)[0]),
        ["_time", "metric_name", "_value", "k8s.cluster.name"]
    );

    // A time range inside the third row group: only that group is read, and rows
    // outside the range are dropped.
    let start = 1735689600.0 + 2.0 * 1000.0;
    let req = ScanRequest {
        columns: None,
        earliest: Some(start + 50.0),
        latest: Some(start + 100.0),
        time_only_for_window: false,
        counters: None,
        warnings: None,
        dictionary_strings: false,
    };
    let got = scan_all(&ds, &req);
    assert_eq!(total_rows(&got), 5);
    assert_eq!(f64_at(&got[0], "_time", 0), Some(start + 50.0));
}

#[test]
fn parquet_events() {
    let dir = scratch("eparquet");
    let p = dir.join("events.parquet");
    let list = {
        let mut b =
            arrow_array::builder::ListBuilder::new(arrow_array::builder::StringBuilder::new());
        b.values().append_value("a");
        b.values().append_value("b");
        b.append(true);
        b.append(false);
        Arc::new(b.finish()) as ArrayRef
    };
    let schema = Arc::new(Schema::new(vec![
        Field::new(
            "_time",
            DataType::Timestamp(arrow_schema::TimeUnit::Millisecond, Some("UTC".into())),
            true,
        ),
        Field::new("user", DataType::Utf8, true),
        Field::new("groups{}", list.data_type().clone(), true),
        Field::new("code", DataType::Int32, true),
        Field::new("ok", DataType::Boolean, true),
    ]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![
            Arc::new(
                arrow_array::TimestampMillisecondArray::from(vec![1704067200500, 1704067201000])
                    .with_timezone("UTC"),
            ),
            Arc::new(StringArray::from(vec![Some("alice"), None])),
            list,
            Arc::new(arrow_array::Int32Array::from(vec![403, 200])),
            Arc::new(arrow_array::BooleanArray::from(vec![true, false])),
        ],
    )
    .unwrap();
    let mut w = ArrowWriter::try_new(std::fs::File::create(&p).unwrap(), schema, None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    let ds = open_dataset(&DataSpec::new(&p)).unwrap();
    assert_eq!(ds.kind, DataKind::Events);
    let b = &scan_all(&ds, &ScanRequest::default())[0];
    assert_eq!(names(b), ["_time", "user", "groups{}", "code", "ok"]);
    assert_eq!(f64_at(b, "_time", 0), Some(1704067200.5));
    assert_eq!(cell(b, "groups{}", 0), ["a", "b"]);
    assert_eq!(b.schema().field(3).data_type(), &DataType::Int64);
    assert_eq!(one(b, "ok", 1).as_deref(), Some("false"));
    let req = ScanRequest {
        columns: Some(vec!["user".into()]),
        earliest: Some(1704067201.0),
        latest: None,
        time_only_for_window: false,
        counters: None,
        warnings: None,
        dictionary_strings: false,
    };
    let b = &scan_all(&ds, &req)[0];
    assert_eq!(names(b), ["_time", "user"]);
    assert_eq!(b.num_rows(), 1);
}

#[test]
fn otlp_json_metrics() {
    let kubelet = shared("datasets/otlp-json/kubeletstats-pod-network-io.otlp.jsonl");
    let examples = shared("datasets/otlp-json/opentelemetry-proto-examples-metrics.json");
    if !kubelet.exists() || !examples.exists() {
        return;
    }
    assert_eq!(
        spl_engine::source::detect_format(&kubelet).unwrap(),
        DataFormat::OtlpJson
    );
    assert_eq!(
        spl_engine::source::detect_format(&examples).unwrap(),
        DataFormat::OtlpJson
    );
    let spec: DataSpec = format!(
        "path={},rollup=raw,index=kubernetes_metrics",
        kubelet.display()
    )
    .parse()
    .unwrap();
    let ds = open_dataset(&spec).unwrap();
    assert_eq!(ds.kind, DataKind::Metrics);
    let b = &scan_all(&ds, &ScanRequest::default())[0];
    assert_eq!(b.num_rows(), 18, "9 pods x 2 directions");
    assert_eq!(
        one(b, "metric_name", 0).as_deref(),
        Some("k8s.pod.network.io")
    );
    assert!(names(b).contains(&"k8s.pod.name".to_string()));
    assert!(names(b).contains(&"direction".to_string()));
    assert_eq!(f64_at(b, "_time", 0), Some(0.002));
    // SignalFlow rollup: one cumulative point per series only sets the baseline.
    let ds = open_dataset(&DataSpec::new(&kubelet)).unwrap();
    assert_eq!(total_rows(&scan_all(&ds, &ScanRequest::default())), 0);

    let spec: DataSpec = format!("path={},rollup=raw", examples.display())
        .parse()
        .unwrap();
    let b = &scan_all(&open_dataset(&spec).unwrap(), &ScanRequest::default())[0];
    let metric_names: std::collections::BTreeSet<String> = (0..b.num_rows())
        .filter_map(|r| one(b, "metric_name", r))
        .collect();
    for n in [
        "my.counter",
        "my.gauge",
        "my.histogram_count",
        "my.histogram_sum",
        "my.histogram_bucket",
    ] {
        assert!(metric_names.contains(n), "{n} in {metric_names:?}");
    }
}

#[test]
fn hec_metric_json() {
    let p = fixture("hec_metrics.jsonl");
    assert_eq!(
        spl_engine::source::detect_format(&p).unwrap(),
        DataFormat::HecMetrics
    );
    let ds = open_dataset(&DataSpec::new(&p)).unwrap();
    assert_eq!(ds.kind, DataKind::Metrics);
    assert_eq!(ds.meta.sourcetype, "hec_metrics");
    let b = &scan_all(&ds, &ScanRequest::default())[0];
    assert_eq!(b.num_rows(), 3);
    assert_eq!(one(b, "metric_name", 2).as_deref(), Some("tcp.packets"));
    assert_eq!(f64_at(b, "_value", 1), Some(20480.0));
    assert_eq!(one(b, "dest.process.name", 2).as_deref(), Some("java"));
    assert!(one(b, "source", 1).is_none());
}

/// `format=parquet`/`format=csv` name the container: metric columns make the
/// file metrics unless `kind=events` says otherwise (issue 11.6).
#[test]
fn format_names_the_container_and_kind_decides() {
    let dir = scratch("kinds");
    let p = dir.join("m.parquet");
    write_metrics_parquet(&p, 1, 10);
    let spec = |extra: &str| -> DataSpec {
        format!("path={},index=m{extra}", p.display())
            .parse()
            .unwrap()
    };
    for extra in [
        "",
        ",format=parquet",
        ",kind=metrics",
        ",format=parquet,kind=metrics",
    ] {
        let ds = open_dataset(&spec(extra)).unwrap();
        assert_eq!(ds.kind, DataKind::Metrics, "{extra}");
        assert_eq!(ds.meta.sourcetype, "metrics_parquet", "{extra}");
    }
    for extra in [",kind=events", ",format=parquet,kind=events"] {
        let ds = open_dataset(&spec(extra)).unwrap();
        assert_eq!(ds.kind, DataKind::Events, "{extra}");
        assert_eq!(ds.meta.sourcetype, "parquet", "{extra}");
        // as events the metric columns are plain fields
        let b = &scan_all(&ds, &ScanRequest::default())[0];
        assert_eq!(one(b, "metric_name", 0).as_deref(), Some("tcp.bytes"));
    }
    // the same in CSV
    let csv = fixture("metrics.csv");
    for (extra, kind) in [
        ("", DataKind::Metrics),
        (",format=csv", DataKind::Metrics),
        (",format=csv,kind=events", DataKind::Events),
        (",kind=events", DataKind::Events),
    ] {
        let s: DataSpec = format!("path={}{extra}", csv.display()).parse().unwrap();
        assert_eq!(open_dataset(&s).unwrap().kind, kind, "{extra}");
    }
    // contradictions and impossible kinds are data errors naming the file
    for (file, extra, needle) in [
        (
            fixture("events.csv"),
            ",kind=metrics",
            "expected metric columns",
        ),
        (
            fixture("metrics.csv"),
            ",format=metrics-csv,kind=events",
            "use format=csv",
        ),
        (
            fixture("audit.jsonl"),
            ",kind=metrics",
            "format=hec-metrics",
        ),
        (
            fixture("hec_metrics.jsonl"),
            ",format=hec-metrics,kind=events",
            "expected kind=metrics",
        ),
    ] {
        let s: DataSpec = format!("path={}{extra}", file.display()).parse().unwrap();
        let e = open_dataset(&s).err().unwrap();
        assert!(e.is_data_error(), "{e}");
        let msg = e.to_string();
        assert!(
            msg.contains(needle) && msg.contains("kind"),
            "{extra}: {msg}"
        );
        assert!(msg.contains(&*file.to_string_lossy()), "{msg}");
    }
    let e = format!("path={},kind=logs", csv.display())
        .parse::<DataSpec>()
        .unwrap_err();
    assert!(e.is_data_error() && e.to_string().contains("expected events or metrics"));
}

/// `mstats` over an index holding only events warns, naming the index and
/// its datasets; an index with metric data does not (issue 11.6).
#[test]
fn mstats_over_an_events_index_warns() {
    use spl_engine::session::Engine;
    let dir = scratch("mstats_events");
    let p = dir.join("m.parquet");
    write_metrics_parquet(&p, 1, 10);
    let as_events: DataSpec = format!("path={},index=km,kind=events", p.display())
        .parse()
        .unwrap();
    let audit: DataSpec = format!("path={}", fixture("audit.jsonl").display())
        .parse()
        .unwrap();
    let engine = Engine::builder(1_800_000_000.0)
        .add_data(&as_events)
        .unwrap()
        .add_data(&audit)
        .unwrap()
        .build();
    let r = engine
        .run("| mstats count(_value) AS n WHERE index=km")
        .unwrap();
    assert_eq!(r.num_rows(), 0);
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    let w = &r.warnings[0];
    assert_eq!(w.code, "spl::run::mstats_events_index");
    assert!(
        w.message.contains("index `km`")
            && w.message.contains("only events")
            && w.message.contains("m.parquet")
            && w.message.contains("kind=metrics"),
        "{}",
        w.message
    );
    // No index named and no metric data at all: every events index is named.
    let r = engine.run("| mstats count(_value) AS n").unwrap();
    let indexes: Vec<bool> = ["index `km`", "index `main`"]
        .iter()
        .map(|i| r.warnings.iter().any(|w| w.message.contains(i)))
        .collect();
    assert_eq!(indexes, [true, true], "{:?}", r.warnings);

    // With the file as metrics: rows, and no warning for its index (the
    // events-only `main` is not searched by `index=km`).
    let as_metrics: DataSpec = format!("path={},index=km,format=parquet", p.display())
        .parse()
        .unwrap();
    let engine = Engine::builder(1_800_000_000.0)
        .add_data(&as_metrics)
        .unwrap()
        .add_data(&audit)
        .unwrap()
        .build();
    let r = engine
        .run("| mstats count(_value) AS n WHERE index=km")
        .unwrap();
    assert_eq!(r.num_rows(), 1);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    // without an index term, metric data exists: no warning about `main`
    let r = engine.run("| mstats count(_value) AS n").unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    // naming the events index itself warns
    let r = engine
        .run("| mstats count(_value) AS n WHERE index=main")
        .unwrap();
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert!(r.warnings[0].message.contains("index `main`"));
}
