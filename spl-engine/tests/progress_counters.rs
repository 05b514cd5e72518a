//! The scan counters a progress display polls while a search runs
//! (`Engine::run_query_counted`): totals, one child per source that counts
//! into them, and the same figures `QueryResult::scan` reports.
#![allow(clippy::unwrap_used)]

use spl_engine::session::Engine;
use spl_engine::source::{DataSpec, ScanCounters};
use std::path::PathBuf;
use std::sync::Arc;

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("spl-progress-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn counters_are_per_source_and_add_up() {
    let dir = scratch("sources");
    let a = dir.join("a.jsonl");
    let b = dir.join("b.log");
    let a_text: String = (0..300)
        .map(|i| format!("{{\"time\":{},\"n\":{i}}}\n", 1_700_000_000 + i))
        .collect();
    let b_text: String = (0..40)
        .map(|i| format!("2024-05-01T12:00:{:02}Z host sshd[1]: event {i}\n", i % 60))
        .collect();
    std::fs::write(&a, &a_text).unwrap();
    std::fs::write(&b, &b_text).unwrap();
    let spec = |p: &PathBuf| -> DataSpec { format!("path={}", p.display()).parse().unwrap() };
    let engine = Engine::builder(1_800_000_000.0)
        .add_data(&spec(&a))
        .unwrap()
        .add_data(&spec(&b))
        .unwrap()
        .build();
    let q = spl_parser::parse("* | stats count").unwrap();
    let counters = Arc::new(ScanCounters::default());
    let r = engine.run_query_counted(&q, counters.clone()).unwrap();
    let total = counters.snapshot();
    assert_eq!(
        total, r.scan,
        "the result reports the counters' final value"
    );
    assert_eq!(total.rows, 340);
    assert_eq!(total.bytes_read, (a_text.len() + b_text.len()) as u64);
    let sources = counters.source_snapshots();
    let names: Vec<&str> = sources.iter().map(|(n, _)| n.as_str()).collect();
    let (a_name, b_name) = (a.display().to_string(), b.display().to_string());
    assert_eq!(names, [a_name.as_str(), b_name.as_str()]);
    assert_eq!(sources[0].1.rows, 300);
    assert_eq!(sources[0].1.bytes_read, a_text.len() as u64);
    assert_eq!(sources[1].1.rows, 40);
    assert_eq!(sources[1].1.bytes_read, b_text.len() as u64);

    // a search of one source reads only that one
    let q = spl_parser::parse(&format!("source=\"{a_name}\" | stats count")).unwrap();
    let counters = Arc::new(ScanCounters::default());
    engine.run_query_counted(&q, counters.clone()).unwrap();
    let sources = counters.source_snapshots();
    assert_eq!(sources.len(), 1, "{sources:?}");
    assert_eq!(sources[0].1.rows, 300);

    // a source's counters do not keep the totals alive (a cycle leaked
    // every search's counters: found by the libFuzzer leak checker)
    let weak = Arc::downgrade(&counters);
    drop(counters);
    assert!(
        weak.upgrade().is_none(),
        "the counters outlive their search"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn mstats_counts_the_metric_rows_it_reads() {
    let data: DataSpec = format!(
        "path={}/../fixtures/data/k8s-network-anomalous.parquet,index=kubernetes_metrics",
        env!("CARGO_MANIFEST_DIR")
    )
    .parse()
    .unwrap();
    let engine = Engine::builder(1_714_564_800.0)
        .add_data(&data)
        .unwrap()
        .build();
    let q =
        spl_parser::parse("| mstats count(_value) AS n WHERE index=kubernetes_metrics").unwrap();
    let counters = Arc::new(ScanCounters::default());
    let r = engine.run_query_counted(&q, counters.clone()).unwrap();
    let table = spl_engine::render::table(&r.batches, &jiff::tz::TimeZone::UTC).unwrap();
    let csv = spl_engine::render::to_csv(&table);
    let n: f64 = csv.lines().nth(1).unwrap().parse().unwrap();
    let total = counters.snapshot();
    assert!(total.rows >= n as u64 && n > 0.0, "{total:?} {n}");
    assert_eq!(counters.source_snapshots().len(), 1);
}
