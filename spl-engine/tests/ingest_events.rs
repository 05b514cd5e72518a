//! Event readers: JSON lines (audit logs), Splunk export JSON, CSV; `--data` specs.
#![allow(clippy::unwrap_used)] // tests may unwrap, helpers included

mod ingest_common;
use ingest_common::*;

use arrow_schema::DataType;
use spl_engine::source::{open_dataset, DataFormat, DataKind, DataSpec, ScanRequest};

#[test]
fn audit_jsonl_is_flattened_like_splunk() {
    let ds = open_dataset(&DataSpec::new(fixture("audit.jsonl"))).unwrap();
    assert_eq!(ds.kind, DataKind::Events);
    assert_eq!(ds.meta.index, "main");
    assert_eq!(ds.meta.sourcetype, "_json");
    assert!(ds.meta.source.ends_with("audit.jsonl"));
    let batches = scan_all(&ds, &ScanRequest::default());
    assert_eq!(batches.len(), 1);
    let b = &batches[0];
    assert_eq!(b.num_rows(), 3, "the blank line is skipped");
    assert_eq!(&names(b)[..2], ["_time", "_raw"]);

    assert_eq!(
        one(b, "user.username", 0).as_deref(),
        Some("system:anonymous")
    );
    assert_eq!(
        cell(b, "user.groups{}", 1),
        ["system:authenticated", "devs"]
    );
    assert_eq!(cell(b, "user.groups{}", 0), ["system:unauthenticated"]);
    assert_eq!(cell(b, "sourceIPs{}", 1), ["10.0.0.7", "216.160.83.56"]);
    assert_eq!(cell(b, "responseStatus.code", 0), ["403"]);
    assert_eq!(
        cell(b, "requestURI", 0),
        ["/api/v1/namespaces/default/pods?limit=500&watch=false"]
    );
    assert_eq!(
        cell(b, "annotations.authorization.k8s.io/decision", 0),
        ["forbid"]
    );
    assert_eq!(cell(b, "annotations.authorization.k8s.io/reason", 0), [""]);
    // Arrays of objects, nested arrays, number lexemes, booleans, null, empties.
    assert_eq!(
        cell(b, "requestObject.spec.containers{}.name", 1),
        ["a", "b"]
    );
    assert_eq!(
        cell(
            b,
            "requestObject.spec.containers{}.ports{}.containerPort",
            1
        ),
        ["80", "443"]
    );
    assert_eq!(cell(b, "matrix{}{}", 2), ["1", "2", "3"]);
    assert_eq!(cell(b, "requestObject.spec.ratio", 1), ["1.50"]);
    assert_eq!(cell(b, "requestObject.spec.enabled", 1), ["true"]);
    assert_eq!(cell(b, "requestObject.spec.owner", 1), ["null"]);
    assert!(b.column_by_name("requestObject.spec.tags{}").is_none());
    assert!(b.column_by_name("requestObject.spec.labels").is_none());
    assert!(b.column_by_name("responseStatus.metadata").is_none());
    // Absent fields are null; _raw is the line as written.
    assert!(cell(b, "objectRef.resource", 0).is_empty());
    assert!(one(b, "_raw", 2)
        .unwrap()
        .starts_with("{\"kind\":\"Event\",\"level\""));
    // _time: requestReceivedTimestamp first, then stageTimestamp.
    assert_eq!(f64_at(b, "_time", 0), Some(1709287200.123456));
    assert_eq!(f64_at(b, "_time", 1), Some(1709287205.0));
    assert_eq!(f64_at(b, "_time", 2), Some(1709287209.0));
    // Single-valued everywhere in the batch: Utf8; several values somewhere: List.
    let schema = b.schema();
    assert_eq!(
        schema.field_with_name("verb").unwrap().data_type(),
        &DataType::Utf8
    );
    assert!(matches!(
        schema.field_with_name("user.groups{}").unwrap().data_type(),
        DataType::List(_)
    ));
}

#[test]
fn configured_time_field() {
    let spec: DataSpec = format!(
        "path={},time_field=stageTimestamp",
        fixture("audit.jsonl").display()
    )
    .parse()
    .unwrap();
    let b = &scan_all(&open_dataset(&spec).unwrap(), &ScanRequest::default())[0];
    assert_eq!(f64_at(b, "_time", 0), Some(1709287200.13));
    let spec: DataSpec = format!("path={},time_field=verb", fixture("audit.jsonl").display())
        .parse()
        .unwrap();
    let err = open_dataset(&spec).err().unwrap();
    let msg = err.to_string();
    assert!(
        msg.contains("audit.jsonl:1") && msg.contains("`verb`"),
        "{msg}"
    );
}

#[test]
fn spec_overrides_meta() {
    let spec: DataSpec = format!(
        "path={},index=k8s,source=kubernetes,sourcetype=kube:audit,host=cp-1",
        fixture("audit.jsonl").display()
    )
    .parse()
    .unwrap();
    let ds = open_dataset(&spec).unwrap();
    assert_eq!(ds.meta.index, "k8s");
    assert_eq!(ds.meta.source, "kubernetes");
    assert_eq!(ds.meta.sourcetype, "kube:audit");
    assert_eq!(ds.meta.host.as_deref(), Some("cp-1"));
}

#[test]
fn shared_falco_audit_events_read_without_schema_trouble() {
    let path = shared("datasets/k8s-audit/falco-k8s-audit-events.jsonl");
    if !path.exists() {
        return; // shared/ is beside the clone in CI and here; tolerate its absence
    }
    let ds = open_dataset(&DataSpec::new(&path)).unwrap();
    let batches = scan_all(&ds, &ScanRequest::default());
    assert_eq!(total_rows(&batches), 51);
    let b = &batches[0];
    // `responseObject.status` is a string in some events and an object in others.
    assert!(b.column_by_name("verb").is_some());
    assert!((0..b.num_rows()).all(|r| f64_at(b, "_time", r).is_some()));
}

#[test]
fn pretty_printed_and_array_json() {
    let dir = scratch("pretty");
    let p = dir.join("one.json");
    std::fs::write(
        &p,
        "{\n  \"a\": {\"b\": [1, 2]},\n  \"time\": 1700000000\n}\n{\"a\": {\"b\": 3}}\n",
    )
    .unwrap();
    let b = &scan_all(
        &open_dataset(&DataSpec::new(&p)).unwrap(),
        &ScanRequest::default(),
    )[0];
    assert_eq!(b.num_rows(), 2);
    assert_eq!(cell(b, "a.b{}", 0), ["1", "2"]);
    assert_eq!(cell(b, "a.b", 1), ["3"]);
    assert_eq!(f64_at(b, "_time", 0), Some(1700000000.0));
    assert!(one(b, "_raw", 0).unwrap().starts_with("{\n  \"a\""));

    let p = dir.join("arr.json");
    std::fs::write(
        &p,
        "[{\"x\":\"1\",\"@timestamp\":\"2024-01-01T00:00:00Z\"},\n {\"x\":\"2\"}]",
    )
    .unwrap();
    let b = &scan_all(
        &open_dataset(&DataSpec::new(&p)).unwrap(),
        &ScanRequest::default(),
    )[0];
    assert_eq!(b.num_rows(), 2);
    assert_eq!(one(b, "x", 1).as_deref(), Some("2"));
    assert_eq!(one(b, "_raw", 1).as_deref(), Some("{\"x\":\"2\"}"));
    assert_eq!(f64_at(b, "_time", 0), Some(1704067200.0));
    assert_eq!(f64_at(b, "_time", 1), None);

    let p = dir.join("empty.json");
    std::fs::write(&p, "[]").unwrap();
    let ds = open_dataset(&DataSpec::new(&p)).unwrap();
    assert_eq!(total_rows(&scan_all(&ds, &ScanRequest::default())), 0);
}

#[test]
fn many_rows_split_into_batches_with_their_own_schemas() {
    let dir = scratch("many");
    let p = dir.join("many.jsonl");
    let mut text = String::new();
    for i in 0..10_000 {
        if i < 8192 {
            text.push_str(&format!("{{\"n\":{i}}}\n"));
        } else {
            text.push_str(&format!("{{\"n\":{i},\"late\":[\"x\",\"y\"]}}\n"));
        }
    }
    std::fs::write(&p, text).unwrap();
    let batches = scan_all(
        &open_dataset(&DataSpec::new(&p)).unwrap(),
        &ScanRequest::default(),
    );
    assert_eq!(batches.len(), 2);
    assert_eq!(batches[0].num_rows(), 8192);
    assert!(batches[0].column_by_name("late").is_none());
    assert_eq!(cell(&batches[1], "late{}", 0), ["x", "y"]);
    assert_eq!(one(&batches[1], "n", 1807).as_deref(), Some("9999"));
}

#[test]
fn splunk_export_json() {
    let ds = open_dataset(&DataSpec::new(fixture("export.jsonl"))).unwrap();
    let b = &scan_all(&ds, &ScanRequest::default())[0];
    assert_eq!(b.num_rows(), 2);
    assert_eq!(f64_at(b, "_time", 1), Some(1704164646.5));
    assert_eq!(one(b, "_raw", 0).as_deref(), Some("{\"verb\":\"get\"}"));
    assert!(one(b, "_raw", 1).is_none());
    assert_eq!(cell(b, "sourceIPs{}", 0), ["81.2.69.142", "10.1.1.1"]);
    assert_eq!(one(b, "count", 0).as_deref(), Some("42"));
    assert_eq!(one(b, "source", 0).as_deref(), Some("kubernetes"));
    let spec: DataSpec = format!(
        "format=splunk-json,path={}",
        fixture("export.jsonl").display()
    )
    .parse()
    .unwrap();
    assert_eq!(spec.format, Some(DataFormat::SplunkJson));
    assert_eq!(
        total_rows(&scan_all(
            &open_dataset(&spec).unwrap(),
            &ScanRequest::default()
        )),
        2
    );
}

#[test]
fn csv_events_multivalue_and_time() {
    let ds = open_dataset(&DataSpec::new(fixture("events.csv"))).unwrap();
    assert_eq!(ds.meta.sourcetype, "csv");
    let b = &scan_all(&ds, &ScanRequest::default())[0];
    assert_eq!(b.num_rows(), 3);
    assert_eq!(names(b), ["_time", "_raw", "host", "user", "groups"]);
    assert_eq!(f64_at(b, "_time", 0), Some(1704164645.0));
    assert_eq!(f64_at(b, "_time", 1), Some(1704164646.0));
    assert_eq!(f64_at(b, "_time", 2), None);
    // The `__mv_` encoding gives the values; `_raw` keeps its newlines.
    assert_eq!(cell(b, "groups", 0), ["a", "b"]);
    assert_eq!(cell(b, "groups", 1), ["solo"]);
    // With a `__mv_` column, an empty encoding means one value (newlines included).
    assert_eq!(cell(b, "groups", 2), ["x\ny"]);
    assert_eq!(one(b, "_raw", 0).as_deref(), Some("line one\nline two"));
    assert!(cell(b, "user", 2).is_empty(), "empty cell is null");
}

#[test]
fn format_detection() {
    use spl_engine::source::detect_format;
    assert_eq!(
        detect_format(&fixture("audit.jsonl")).unwrap(),
        DataFormat::Json
    );
    assert_eq!(
        detect_format(&fixture("export.jsonl")).unwrap(),
        DataFormat::SplunkJson
    );
    assert_eq!(
        detect_format(&fixture("events.csv")).unwrap(),
        DataFormat::Csv
    );
    assert_eq!(
        detect_format(&fixture("metrics.csv")).unwrap(),
        DataFormat::MetricsCsv
    );
    assert_eq!(
        detect_format(&fixture("mstats_export.csv")).unwrap(),
        DataFormat::MetricsCsv
    );
    assert_eq!(
        detect_format(&fixture("multi_measure.csv")).unwrap(),
        DataFormat::MetricsCsv
    );
    let err = detect_format(&fixture("no-such-file.json")).unwrap_err();
    assert!(err.is_data_error() && err.to_string().contains("no-such-file.json"));
}

#[test]
fn csv_newline_cells_split_without_mv_columns() {
    let dir = scratch("csvnl");
    let p = dir.join("e.csv");
    std::fs::write(&p, "a,_raw\n\"x\ny\",\"r1\nr2\"\nz,\n").unwrap();
    let b = &scan_all(
        &open_dataset(&DataSpec::new(&p)).unwrap(),
        &ScanRequest::default(),
    )[0];
    assert_eq!(cell(b, "a", 0), ["x", "y"]);
    assert_eq!(cell(b, "a", 1), ["z"]);
    assert_eq!(cell(b, "_raw", 0), ["r1\nr2"]);
}

#[test]
fn audit_event_list_items_are_events() {
    let dir = scratch("eventlist");
    let p = dir.join("webhook.json");
    std::fs::write(
        &p,
        "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"metadata\":{},\"items\":[\n  {\"verb\":\"get\",\"code\":1.0,\"stageTimestamp\":\"2024-01-01T00:00:01Z\"},\n  {\"verb\":\"list\"}]}\n{\"verb\":\"watch\"}\n",
    )
    .unwrap();
    let b = &scan_all(
        &open_dataset(&DataSpec::new(&p)).unwrap(),
        &ScanRequest::default(),
    )[0];
    assert_eq!(b.num_rows(), 3);
    assert_eq!(one(b, "verb", 0).as_deref(), Some("get"));
    assert_eq!(one(b, "code", 0).as_deref(), Some("1.0"));
    assert_eq!(one(b, "verb", 2).as_deref(), Some("watch"));
    assert!(b.column_by_name("kind").is_none());
    assert_eq!(f64_at(b, "_time", 0), Some(1704067201.0));
    assert_eq!(one(b, "_raw", 1).as_deref(), Some("{\"verb\":\"list\"}"));
    // A pretty-printed EventList is read the same way.
    let p = dir.join("pretty.json");
    std::fs::write(
        &p,
        "{\n \"kind\": \"EventList\",\n \"items\": [\n  {\"verb\": \"get\"}\n ]\n}\n",
    )
    .unwrap();
    let b = &scan_all(
        &open_dataset(&DataSpec::new(&p)).unwrap(),
        &ScanRequest::default(),
    )[0];
    assert_eq!(b.num_rows(), 1);
    // An object that merely mentions EventList is an ordinary event.
    let p = dir.join("plain.jsonl");
    std::fs::write(&p, "{\"note\":\"EventList\",\"items\":[1,2]}\n").unwrap();
    let b = &scan_all(
        &open_dataset(&DataSpec::new(&p)).unwrap(),
        &ScanRequest::default(),
    )[0];
    assert_eq!(cell(b, "items{}", 0), ["1", "2"]);
}
