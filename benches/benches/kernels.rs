//! Engine kernels over 1 M-row in-memory batches, one worker thread
//! (`Engine::builder(..).threads(1)`): base search, `eval`, `where`, `stats`,
//! `mstats` (filtered with a span, wildcard without), `join` against a 10 k-row
//! subsearch, `lookup` against a 10 k-row CSV table, and regular expressions
//! (`rex`, `regex`, `match`/`replace`). Throughput is reported in input rows
//! per second.
//!
//! The data is built once, deterministically (seeded PRNG), before anything is
//! timed; each query is run once untimed first and must return rows. Every
//! timed query includes the base search (`index=bench`: cloning the in-memory
//! batches), which the `search` bench measures alone.
#![allow(missing_docs)]

use arrow_array::builder::StringDictionaryBuilder;
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use spl_benches::gen::rng::Rng;
use spl_engine::session::Engine;
use spl_engine::source::SourceMeta;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Rows of the event and of the metric dataset.
const ROWS: usize = 1_000_000;
/// Rows per in-memory batch (16 batches).
const BATCH: usize = 62_500;
/// Distinct join/lookup keys; also the rows of the join subsearch and the lookup table.
const KEYS: usize = 10_000;
/// First event / data point, 2025-01-01T00:00:00Z.
const T0: f64 = 1_735_689_600.0;
const SEED: u64 = 5;

const ACTIONS: [&str; 4] = ["allowed", "blocked", "dropped", "reset"];
const STATUS: [&str; 6] = ["200", "200", "200", "302", "404", "500"];
const METRICS: [&str; 5] = ["m.cpu", "m.mem", "m.disk", "m.net_in", "m.net_out"];
const HOSTS: usize = 100;
const REGIONS: [&str; 4] = ["us-east", "us-west", "eu-west", "ap-south"];

/// `index=bench`: `_time`, `host` (50), `user` (5 000), `action` (4),
/// `status` (numeric text), `bytes`, `duration` (numbers), `key` (10 000).
fn events() -> Vec<RecordBatch> {
    let schema = Arc::new(Schema::new(vec![
        Field::new("_time", DataType::Float64, true),
        Field::new("host", DataType::Utf8, true),
        Field::new("user", DataType::Utf8, true),
        Field::new("action", DataType::Utf8, true),
        Field::new("status", DataType::Utf8, true),
        Field::new("bytes", DataType::Float64, true),
        Field::new("duration", DataType::Float64, true),
        Field::new("key", DataType::Utf8, true),
    ]));
    let hosts: Vec<String> = (0..50).map(|i| format!("host-{i:02}")).collect();
    let mut rng = Rng::stream(SEED, "kernels/events");
    let mut out = Vec::new();
    for b in 0..ROWS / BATCH {
        let mut time = Vec::with_capacity(BATCH);
        let mut host = Vec::with_capacity(BATCH);
        let mut user = Vec::with_capacity(BATCH);
        let mut action = Vec::with_capacity(BATCH);
        let mut status = Vec::with_capacity(BATCH);
        let mut bytes = Vec::with_capacity(BATCH);
        let mut duration = Vec::with_capacity(BATCH);
        let mut key = Vec::with_capacity(BATCH);
        for i in 0..BATCH {
            let row = b * BATCH + i;
            time.push(T0 + row as f64 * 0.1);
            host.push(hosts[rng.below(hosts.len() as u64) as usize].clone());
            user.push(format!("user{}", rng.below(5_000)));
            action.push(ACTIONS[rng.below(4) as usize]);
            status.push(STATUS[rng.below(6) as usize]);
            // Heavy-tailed sizes: 100 B .. ~100 kB.
            let u = rng.uniform();
            bytes.push((100.0 + u * u * u * 100_000.0).round());
            duration.push((rng.uniform() * 1_000.0).round());
            key.push(format!("k{:05}", rng.below(KEYS as u64)));
        }
        let columns: Vec<ArrayRef> = vec![
            Arc::new(Float64Array::from(time)),
            Arc::new(StringArray::from(host)),
            Arc::new(StringArray::from(user)),
            Arc::new(StringArray::from(action)),
            Arc::new(StringArray::from(status)),
            Arc::new(Float64Array::from(bytes)),
            Arc::new(Float64Array::from(duration)),
            Arc::new(StringArray::from(key)),
        ];
        out.push(RecordBatch::try_new(schema.clone(), columns).expect("event batch"));
    }
    out
}

/// `index=dim`: the join subsearch's 10 000 rows (`key`, `owner`, `tier`).
fn dim_events() -> Vec<RecordBatch> {
    let schema = Arc::new(Schema::new(vec![
        Field::new("_time", DataType::Float64, true),
        Field::new("key", DataType::Utf8, true),
        Field::new("owner", DataType::Utf8, true),
        Field::new("tier", DataType::Utf8, true),
    ]));
    let (keys, owners, tiers) = dim_rows();
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Float64Array::from(vec![T0; KEYS])),
        Arc::new(StringArray::from(keys)),
        Arc::new(StringArray::from(owners)),
        Arc::new(StringArray::from(tiers)),
    ];
    vec![RecordBatch::try_new(schema, columns).expect("dim batch")]
}

fn dim_rows() -> (Vec<String>, Vec<String>, Vec<String>) {
    let mut rng = Rng::stream(SEED, "kernels/dim");
    let keys = (0..KEYS).map(|k| format!("k{k:05}")).collect();
    let owners = (0..KEYS)
        .map(|_| format!("team-{}", rng.below(200)))
        .collect();
    let tiers = (0..KEYS)
        .map(|_| ["gold", "silver", "bronze"][rng.below(3) as usize].to_string())
        .collect();
    (keys, owners, tiers)
}

/// Writes the lookup table `bench_keys.csv` (`key,owner,tier`, 10 000 rows).
fn write_lookup(dir: &Path) {
    let (keys, owners, tiers) = dim_rows();
    let mut csv = String::from("key,owner,tier\n");
    for ((k, o), t) in keys.iter().zip(&owners).zip(&tiers) {
        csv.push_str(&format!("{k},{o},{t}\n"));
    }
    std::fs::create_dir_all(dir).expect("lookup dir");
    std::fs::write(dir.join("bench_keys.csv"), csv).expect("write lookup");
}

/// Metric data points: per 10 s timestamp, 5 metrics x 100 hosts (1 M rows =
/// 2 000 timestamps, 5.6 h); dimensions `host` (100) and `region` (4).
/// `dictionary` picks `Dictionary(Int32, Utf8)` text columns (what Parquet
/// gives) instead of plain Utf8 (what the metrics CSV reader gives).
fn metrics(dictionary: bool) -> Vec<RecordBatch> {
    let text_type = if dictionary {
        DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
    } else {
        DataType::Utf8
    };
    let schema = Arc::new(Schema::new(vec![
        Field::new("_time", DataType::Float64, false),
        Field::new("metric_name", text_type.clone(), true),
        Field::new("_value", DataType::Float64, true),
        Field::new("host", text_type.clone(), true),
        Field::new("region", text_type, true),
    ]));
    let hosts: Vec<String> = (0..HOSTS).map(|i| format!("node-{i:03}")).collect();
    let text = |v: Vec<&str>| -> ArrayRef {
        if dictionary {
            let mut b = StringDictionaryBuilder::<Int32Type>::new();
            for s in v {
                b.append_value(s);
            }
            Arc::new(b.finish())
        } else {
            Arc::new(StringArray::from(v))
        }
    };
    let mut rng = Rng::stream(SEED, "kernels/metrics");
    let mut out = Vec::new();
    let per_ts = METRICS.len() * HOSTS;
    for b in 0..ROWS / BATCH {
        let mut time = Vec::with_capacity(BATCH);
        let mut name = Vec::with_capacity(BATCH);
        let mut value = Vec::with_capacity(BATCH);
        let mut host = Vec::with_capacity(BATCH);
        let mut region = Vec::with_capacity(BATCH);
        for i in 0..BATCH {
            let row = b * BATCH + i;
            let ts = row / per_ts;
            let h = (row % per_ts) / METRICS.len();
            let m = row % METRICS.len();
            time.push(T0 + ts as f64 * 10.0);
            name.push(METRICS[m]);
            value.push((rng.uniform() * 100.0 * (m + 1) as f64).round());
            host.push(hosts[h].as_str());
            region.push(REGIONS[h % REGIONS.len()]);
        }
        let columns: Vec<ArrayRef> = vec![
            Arc::new(Float64Array::from(time)),
            text(name),
            Arc::new(Float64Array::from(value)),
            text(host),
            text(region),
        ];
        out.push(RecordBatch::try_new(schema.clone(), columns).expect("metric batch"));
    }
    out
}

/// The benched queries: (name, SPL).
const QUERIES: &[(&str, &str)] = &[
    ("search", "index=bench"),
    (
        "eval",
        "index=bench | eval kb = bytes / 1024 + duration * 2, label = host . \":\" . user, \
         size = if(bytes > 10000, \"big\", \"small\")",
    ),
    (
        "where_numeric",
        "index=bench | where bytes > 5000 AND duration < 500",
    ),
    (
        "where_string",
        "index=bench | where action=\"blocked\" AND host!=\"host-07\"",
    ),
    ("where_numeric_text", "index=bench | where status >= 400"),
    (
        "stats_by",
        "index=bench | stats count avg(bytes) dc(user) by host action",
    ),
    (
        "mstats_filter_span",
        "| mstats avg(_value) where index=benchm metric_name=\"m.cpu\" by host span=1m",
    ),
    (
        "mstats_filter_span_dict",
        "| mstats avg(_value) where index=benchmd metric_name=\"m.cpu\" by host span=1m",
    ),
    (
        "mstats_wildcard",
        "| mstats avg(m.*) as m.* where index=benchm by host",
    ),
    (
        "mstats_wildcard_dict",
        "| mstats avg(m.*) as m.* where index=benchmd by host",
    ),
    (
        "join_left",
        "index=bench | join type=left key [search index=dim | fields key owner tier]",
    ),
    (
        "lookup",
        "index=bench | lookup bench_keys key OUTPUT owner tier",
    ),
    ("rex", "index=bench | rex field=user \"user(?<uid>\\d+)\""),
    (
        "rex_line",
        "index=bench | eval line = \"action=\" . action . \" user=\" . user . \" host=\" . host \
         | rex field=line \"user=(?<u>\\w+) host=(?<h>\\S+)\"",
    ),
    ("regex", "index=bench | regex host=\"host-0[0-4]$\""),
    (
        "eval_regex",
        "index=bench | eval m = if(match(user, \"7$\"), 1, 0), r = replace(host, \"host-(\\d+)\", \"h\\1\")",
    ),
];

fn kernels(c: &mut Criterion) {
    let dir: PathBuf =
        std::env::temp_dir().join(format!("spl-bench-kernels-{}", std::process::id()));
    write_lookup(&dir);
    let engine = Engine::builder(T0 + ROWS as f64)
        .add_events(SourceMeta::new("bench", "bench.json", "_json"), events())
        .add_events(SourceMeta::new("dim", "dim.json", "_json"), dim_events())
        .add_metrics(
            SourceMeta::new("benchm", "benchm", "metrics"),
            metrics(false),
        )
        .add_metrics(
            SourceMeta::new("benchmd", "benchmd", "metrics"),
            metrics(true),
        )
        .lookup_dirs(vec![dir.clone()])
        .threads(1)
        .build();

    for (name, q) in QUERIES {
        let r = engine
            .run(q)
            .unwrap_or_else(|e| panic!("{name}: {q}: {e:?}"));
        assert!(r.num_rows() > 0, "{name}: no rows");
        eprintln!("kernels/{name}: {} rows out", r.num_rows());
    }

    let mut group = c.benchmark_group("kernels");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.throughput(Throughput::Elements(ROWS as u64));
    for (name, q) in QUERIES {
        group.bench_function(*name, |b| {
            b.iter(|| black_box(engine.run(black_box(q)).expect("query runs")))
        });
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, kernels);
criterion_main!(benches);
