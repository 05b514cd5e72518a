//! Raw text events (`format=raw`) end to end through the embedding API, one
//! worker thread: opening the file (cutting it into partitions), event
//! breaking, timestamp recognition, the base search and, with the bench app
//! (`fixtures/apps/bench_raw`), search-time extraction.
//!
//! Inputs are generated once into a temporary directory before anything is
//! timed (`spl-gen raw`, seed 42): 16 MiB of firewall-like `key=value` lines
//! (~300 bytes each) and 16 MiB of Windows XML events (Sysmon 1 and Security
//! 4688, one `<Event>` per line). Each query is checked once to return rows.
//! Throughput is reported in input bytes.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use spl_benches::gen::raw_logs::{self, RawSpec, Shape};
use spl_engine::session::Engine;
use spl_engine::source::{DataFormat, DataSpec};
use std::hint::black_box;
use std::path::{Path, PathBuf};

const BYTES: u64 = 16 << 20;
/// 2024-05-01T12:00:00Z.
const NOW: f64 = 1_714_564_800.0;

fn app() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/apps/bench_raw")
}

fn generate(dir: &Path, shape: Shape, name: &str) -> PathBuf {
    let out = dir.join(name);
    let spec = RawSpec {
        shape,
        bytes: BYTES,
        srcs: 5000,
        start: 1_714_500_000,
        seed: 42,
    };
    raw_logs::generate(&spec, &out).expect("raw log generates");
    out
}

fn spec(path: &Path, sourcetype: &str) -> DataSpec {
    let mut s = DataSpec::new(path);
    s.format = Some(DataFormat::Raw);
    s.sourcetype = Some(sourcetype.to_string());
    s.index = Some("raw".to_string());
    s
}

fn run(data: &DataSpec, apps: bool, query: &str) -> usize {
    let mut b = Engine::builder(NOW).threads(1);
    if apps {
        b = b.apps(&[app()]).expect("bench app loads");
    }
    let engine = b.add_data(data).expect("data opens").build();
    engine
        .run(query)
        .unwrap_or_else(|e| panic!("{query}: {e:?}"))
        .num_rows()
}

fn raw(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("spl-bench-raw-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let kv = spec(&generate(&dir, Shape::Kv, "fw.log"), "fw_kv");
    let xml = spec(
        &generate(&dir, Shape::XmlWin, "win.xml.log"),
        "XmlWinEventLog",
    );
    let cases: &[(&str, &DataSpec, bool, &str)] = &[
        ("kv/count", &kv, false, "index=raw | stats count"),
        ("kv/term", &kv, false, "index=raw failed | stats count"),
        ("kv/head", &kv, false, "index=raw | head 10"),
        (
            "kv/extract",
            &kv,
            true,
            "index=raw action=blocked | stats count by src",
        ),
        ("xml/count", &xml, false, "index=raw | stats count"),
        (
            "xml/extract",
            &xml,
            true,
            "index=raw | stats count by EventCode",
        ),
    ];
    for (name, data, apps, query) in cases {
        assert!(run(data, *apps, query) > 0, "{name} returns rows");
    }
    let mut group = c.benchmark_group("raw");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.throughput(Throughput::Bytes(BYTES));
    for (name, data, apps, query) in cases {
        group.bench_function(*name, |b| b.iter(|| black_box(run(data, *apps, query))));
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, raw);
criterion_main!(benches);
