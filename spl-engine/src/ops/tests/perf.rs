//! Throughput smoke check for mstats (ignored by default; run with
//! `cargo test --release -p spl-engine --lib ops::tests::perf -- --ignored --nocapture`).

use super::support::*;
use crate::context::Catalog;
use crate::plan::plan_stage;
use crate::source::{DataKind, Dataset, MemoryScan, SourceMeta};
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, DictionaryArray, Float64Array, Int32Array, RecordBatch, StringArray};
use spl_parser::ast::Command;
use std::sync::Arc;
use std::time::Instant;

const METRICS: [&str; 5] = [
    "tcp.bytes",
    "tcp.new_sockets",
    "tcp.packets",
    "udp.bytes",
    "udp.packets",
];

fn dict(values: &[String], keys: Vec<i32>) -> ArrayRef {
    let v = Arc::new(StringArray::from(values.to_vec()));
    Arc::new(DictionaryArray::<Int32Type>::try_new(Int32Array::from(keys), v).unwrap())
}

fn gen(rows: usize, batch_rows: usize, dictionary: bool) -> Vec<RecordBatch> {
    let clusters: Vec<String> = (0..3).map(|i| format!("cluster-{i}")).collect();
    let workloads: Vec<String> = (0..20).map(|i| format!("workload-{i}")).collect();
    let procs: Vec<String> = (0..2).map(|i| format!("proc-{i}")).collect();
    let metrics: Vec<String> = METRICS.iter().map(|s| s.to_string()).collect();
    let series = 3 * 20 * 2 * 5;
    let mut out = Vec::new();
    let mut start = 0;
    while start < rows {
        let n = batch_rows.min(rows - start);
        let idx: Vec<usize> = (start..start + n).collect();
        let time: Float64Array = idx
            .iter()
            .map(|&i| Some(1_600_000_000.0 + (i / series) as f64 * 10.0))
            .collect();
        let value: Float64Array = idx.iter().map(|&i| Some((i % 97) as f64)).collect();
        let s = |i: usize| i % series;
        let cols: Vec<(Vec<String>, Vec<i32>)> = vec![
            (
                metrics.clone(),
                idx.iter().map(|&i| (s(i) % 5) as i32).collect(),
            ),
            (
                clusters.clone(),
                idx.iter().map(|&i| (s(i) / 5 % 3) as i32).collect(),
            ),
            (
                workloads.clone(),
                idx.iter().map(|&i| (s(i) / 15 % 20) as i32).collect(),
            ),
            (
                procs.clone(),
                idx.iter().map(|&i| (s(i) / 300 % 2) as i32).collect(),
            ),
        ];
        let arr = |(vals, keys): &(Vec<String>, Vec<i32>)| -> ArrayRef {
            if dictionary {
                dict(vals, keys.clone())
            } else {
                Arc::new(StringArray::from(
                    keys.iter()
                        .map(|&k| vals[k as usize].clone())
                        .collect::<Vec<_>>(),
                ))
            }
        };
        out.push(batch(vec![
            ("_time", Arc::new(time)),
            ("metric_name", arr(&cols[0])),
            ("_value", Arc::new(value)),
            ("k8s.cluster.name", arr(&cols[1])),
            ("source.workload.name", arr(&cols[2])),
            ("source.process.name", arr(&cols[3])),
        ]));
        start += n;
    }
    out
}

/// CPU seconds used so far by the calling thread (Linux; 0 elsewhere), so
/// the figures mean something on a shared, loaded machine.
fn thread_cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    // fields 14 and 15 (utime, stime, clock ticks) follow state (field 3) at offsets 11, 12
    let tick = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}

fn time_query(q: &str, batches: Vec<RecordBatch>, threads: usize) -> (f64, usize) {
    let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
    let mut c = ctx();
    c.threads = threads;
    c.catalog = Arc::new(Catalog {
        datasets: vec![Dataset {
            meta: SourceMeta {
                index: "kubernetes_metrics".into(),
                source: "gen".into(),
                sourcetype: "metrics".into(),
                host: None,
            },
            kind: DataKind::Metrics,
            scan: Arc::new(MemoryScan(batches)),
            datamodel: None,
        }],
        ..Default::default()
    });
    let query = spl_parser::parse(q).unwrap();
    let stage = &query.pipeline.stages[0];
    let Command::Mstats(_) = &stage.command else {
        panic!()
    };
    let t0 = Instant::now();
    let c0 = thread_cpu();
    let mut op = plan_stage(stage, &c, true).unwrap();
    let out = op.finish(&c).unwrap();
    let secs = t0.elapsed().as_secs_f64();
    let cpu = thread_cpu() - c0;
    let out_rows = out.iter().map(|b| b.num_rows()).sum();
    eprintln!(
        "{:>6.1} M rows/s wall, {:>6.1} M rows/s per CPU-second of this thread ({rows} rows, {out_rows} out rows, {secs:.3}s wall, threads={threads})",
        rows as f64 / secs / 1e6,
        rows as f64 / cpu.max(0.01) / 1e6
    );
    (secs, out_rows)
}

#[test]
#[ignore]
fn perf_mstats_seed_shapes() {
    let baseline = "| mstats avg(tcp.*) as avg_tcp.* avg(udp.*) as avg_udp.* stdev(tcp.*) as stdev_tcp.* \
                    avg(udp.*) as stdev_udp.* where index=kubernetes_metrics by source.workload.name source.process.name";
    let bucketed =
        "| mstats avg(tcp.*) as tcp.* avg(udp.*) as udp.* where index=kubernetes_metrics \
                    by k8s.cluster.name source.workload.name source.process.name span=10s";
    let rows = std::env::var("AGG_PERF_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4_000_000);
    let only = std::env::var("AGG_PERF_ONLY").unwrap_or_default();
    for dictionary in [true, false] {
        eprintln!("dictionary-encoded strings: {dictionary}");
        let data = gen(rows, 65_536, dictionary);
        if only.is_empty() || only == "baseline" {
            let (_, n) = time_query(baseline, data.clone(), 1);
            assert_eq!(n, 40);
            time_query(baseline, data.clone(), 2);
        }
        if only.is_empty() || only == "bucketed" {
            time_query(bucketed, data, 1);
        }
    }
}
