//! The seed shapes end to end from query text: parser, search filter with
//! time bounds, and the aggregation operators.

use super::support::*;
use crate::context::Catalog;
use crate::plan::plan_stage;
use crate::source::{DataKind, Dataset, MemoryScan, SourceMeta};
use crate::ExecContext;
use arrow_array::{ArrayRef, RecordBatch};
use spl_parser::ast::Command;
use std::sync::Arc;

const NOW: f64 = 1_700_000_000.0;

/// (time, metric, value, cluster, workload)
type Row<'a> = (f64, &'a str, f64, &'a str, &'a str);

fn metric_batch(rows: &[Row<'_>]) -> RecordBatch {
    let col = |f: &dyn Fn(&Row<'_>) -> String| -> ArrayRef {
        let v: Vec<String> = rows.iter().map(f).collect();
        Arc::new(arrow_array::StringArray::from(v))
    };
    batch(vec![
        (
            "_time",
            nums(&rows.iter().map(|r| Some(r.0)).collect::<Vec<_>>()),
        ),
        ("metric_name", col(&|r| r.1.to_string())),
        (
            "_value",
            nums(&rows.iter().map(|r| Some(r.2)).collect::<Vec<_>>()),
        ),
        ("k8s.cluster.name", col(&|r| r.3.to_string())),
        ("source.workload.name", col(&|r| r.4.to_string())),
        ("source.process.name", col(&|_| "proc".to_string())),
    ])
}

fn catalog() -> ExecContext {
    let recent = metric_batch(&[
        (NOW - 100.0, "tcp.bytes", 10.0, "prod-1", "web"),
        (NOW - 95.0, "tcp.bytes", 30.0, "prod-1", "web"),
        (NOW - 95.0, "udp.bytes", 5.0, "prod-1", "web"),
        (NOW - 100.0, "tcp.bytes", 1.0, "dev", "web"),
        (NOW - 4000.0, "tcp.bytes", 2.0, "prod-1", "web"),
        (NOW - 5000.0, "tcp.bytes", 4.0, "prod-1", "web"),
        (NOW - 40.0 * 86400.0, "tcp.bytes", 1000.0, "prod-1", "web"),
    ]);
    let other = metric_batch(&[(NOW - 100.0, "tcp.bytes", 999.0, "prod-1", "web")]);
    let ds = |index: &str, b: RecordBatch| Dataset {
        meta: SourceMeta {
            index: index.into(),
            source: "otel".into(),
            sourcetype: "metrics".into(),
            host: None,
        },
        kind: DataKind::Metrics,
        scan: Arc::new(MemoryScan(vec![b])),
        datamodel: None,
    };
    let mut c = ExecContext::new(NOW);
    c.catalog = Arc::new(Catalog {
        datasets: vec![ds("kubernetes_metrics", recent), ds("other_metrics", other)],
        ..Default::default()
    });
    c
}

fn run_query(q: &str, c: &ExecContext, input: Vec<RecordBatch>) -> Vec<String> {
    let query = spl_parser::parse(q).unwrap();
    let stage = &query.pipeline.stages[0];
    let mut op = match &stage.command {
        Command::Mstats(_) => plan_stage(stage, c, true).unwrap(),
        Command::Stats(_) => plan_stage(stage, c, false).unwrap(),
        other => panic!("unexpected {other:?}"),
    };
    let mut out = Vec::new();
    for b in input {
        out.extend(op.push(b, c).unwrap());
    }
    out.extend(op.finish(c).unwrap());
    render(&out)
}

#[test]
fn s1_main_search_last_hour() {
    let out = run_query(
        "| mstats avg(tcp.*) as tcp.* avg(udp.*) as udp.* where index=kubernetes_metrics AND earliest=-1h \
         by k8s.cluster.name source.workload.name source.process.name span=10s",
        &catalog(),
        vec![],
    );
    assert_eq!(
        out,
        vec![
            "_time ; k8s.cluster.name ; source.workload.name ; source.process.name ; tcp.bytes ; udp.bytes",
            "1699999900 ; dev ; web ; proc ; 1 ; -",
            "1699999900 ; prod-1 ; web ; proc ; 20 ; 5",
        ]
    );
}

#[test]
fn s1_baseline_window_and_collision() {
    let out = run_query(
        "| mstats avg(tcp.*) as avg_tcp.* avg(udp.*) as avg_udp.* stdev(tcp.*) as stdev_tcp.* \
         avg(udp.*) as stdev_udp.* where index=kubernetes_metrics AND earliest=-30d latest=-1h \
         by source.workload.name source.process.name",
        &catalog(),
        vec![],
    );
    assert_eq!(
        out,
        vec![
            "source.workload.name ; source.process.name ; avg_tcp.bytes ; stdev_tcp.bytes",
            "web ; proc ; 3 ; 1.4142135623730951",
        ]
    );
}

#[test]
fn where_dimension_wildcard_is_case_sensitive() {
    let c = catalog();
    let q = |v: &str| {
        format!("| mstats sum(tcp.bytes) as s where index=kubernetes_metrics AND k8s.cluster.name={v} AND earliest=-1h")
    };
    assert_eq!(run_query(&q("prod*"), &c, vec![]), vec!["s", "40"]);
    assert!(run_query(&q("PROD*"), &c, vec![]).is_empty());
}

#[test]
fn s3_style_stats_from_text() {
    let b = batch(vec![
        (
            "sourceIPs{}",
            mv(&[
                Some(&["10.0.0.2"]),
                Some(&["10.0.0.1", "10.0.0.2"]),
                Some(&["10.0.0.1"]),
            ]),
        ),
        ("Country", strs(&[Some("FR"), Some("FR"), None])),
        ("City", strs(&[Some("Paris"), Some("Paris"), Some("Lyon")])),
        (
            "userAgent",
            strs(&[Some("curl"), Some("Go-http"), Some("curl")]),
        ),
    ]);
    let out = run_query(
        "| stats count values(userAgent) as userAgent by sourceIPs{} Country City",
        &ExecContext::new(NOW),
        vec![b],
    );
    assert_eq!(
        out,
        vec![
            "sourceIPs{} ; Country ; City ; count ; userAgent",
            "10.0.0.1 ; FR ; Paris ; 1 ; [Go-http]",
            "10.0.0.2 ; FR ; Paris ; 2 ; [Go-http|curl]",
        ]
    );
}

#[test]
fn value_style_with_metric_name_filter() {
    let out = run_query(
        "| mstats count(_value) as n avg(_value) where index=kubernetes_metrics AND metric_name=tcp.* \
         AND earliest=-1h by metric_name",
        &catalog(),
        vec![],
    );
    assert_eq!(
        out,
        vec![
            "metric_name ; n ; avg(_value)",
            "tcp.bytes ; 3 ; 13.666666666666666"
        ]
    );
}

#[test]
fn stats_by_time_after_mstats_buckets() {
    // S2's second stage groups mstats rows by their bucket `_time`
    let b = batch(vec![
        ("_time", nums(&[Some(20.0), Some(20.0), Some(30.0)])),
        ("key", strs(&[Some("c:svc"), Some("c:svc"), Some("c:svc")])),
        ("io", nums(&[Some(100.0), Some(50.0), Some(7.0)])),
    ]);
    let out = run_query(
        "| stats avg(io) as io max(io) by key _time",
        &ExecContext::new(NOW),
        vec![b],
    );
    assert_eq!(
        out,
        vec![
            "key ; _time ; io ; max(io)",
            "c:svc ; 20 ; 75 ; 100",
            "c:svc ; 30 ; 7 ; 7"
        ]
    );
}

#[test]
fn s2_eval_aggregations() {
    let b = batch(vec![
        (
            "key",
            strs(&[Some("c:svc"), Some("c:svc"), Some("c:svc"), Some("c:other")]),
        ),
        (
            "direction",
            strs(&[
                Some("transmit"),
                Some("receive"),
                Some("transmit"),
                Some("receive"),
            ]),
        ),
        (
            "io",
            nums(&[Some(100.0), Some(50.0), Some(300.0), Some(7.0)]),
        ),
    ]);
    let out = run_query(
        "| stats avg(eval(if(direction=\"transmit\", io,null()))) as outbound_network_io \
         avg(eval(if(direction=\"receive\", io,null()))) as inbound_network_io \
         count(eval(io > 60)) as big by key",
        &ExecContext::new(NOW),
        vec![b],
    );
    assert_eq!(
        out,
        vec![
            "key ; outbound_network_io ; inbound_network_io ; big",
            "c:other ; - ; 7 ; 0",
            "c:svc ; 200 ; 50 ; 2",
        ]
    );
}

#[test]
fn eval_aggregation_without_as_is_an_error() {
    let query = spl_parser::parse("| stats avg(eval(io * 2))").unwrap();
    let stage = &query.pipeline.stages[0];
    let Command::Stats(_) = &stage.command else {
        panic!("expected stats")
    };
    assert!(matches!(
        plan_stage(stage, &ExecContext::new(NOW), false),
        Err(crate::EngineError::InvalidArgument { .. })
    ));
}
