//! The four seed detections end to end through the embedding API, one worker
//! thread: engine set-up (data registration, lookups, GeoIP), macro expansion,
//! parse, plan and execution, as `spl run` does minus process start-up and
//! output formatting.
//!
//! Data is generated once into a temporary directory before anything is timed:
//! the seed fixtures (`spl-gen fixtures`: the "anomalous" variant of each
//! detection's data, and the IO-ratio baseline lookup) and the `small`
//! synthetic network metrics (`spl-gen metrics --scale small`: 1.73 M data
//! points, one day) that the outbound and inbound detections also run over.
//! The detections' `search:` is read from `fixtures/detections/*.yml` and the
//! macros from `fixtures/macros/security_content`, as the seed tests do.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use spl_benches::gen::bench_metrics::{self, BenchSpec};
use spl_benches::gen::fixtures::{self, FixtureOptions, DEFAULT_NOW, DEFAULT_SEED};
use spl_engine::session::Engine;
use spl_engine::source::DataSpec;
use spl_parser::macros::MacroSet;
use std::hint::black_box;
use std::path::{Path, PathBuf};

const OUTBOUND: &str = "kubernetes_anomalous_outbound_network_activity_from_process";
const INBOUND: &str = "kubernetes_anomalous_inbound_network_activity_from_process";
const IO_RATIO: &str = "kubernetes_anomalous_inbound_to_outbound_network_io_ratio";
const SCANNING: &str = "kubernetes_scanning_by_unauthenticated_ip_address";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The `search:` string of a detection YAML.
fn detection_search(name: &str) -> String {
    let path = repo().join(format!("fixtures/detections/{name}.yml"));
    let text = std::fs::read_to_string(&path).expect("detection YAML");
    let doc: serde_norway::Value = serde_norway::from_str(&text).expect("detection YAML parses");
    doc.get("search")
        .and_then(|s| s.as_str())
        .expect("detection has a `search` string")
        .to_string()
}

/// One detection run: what `spl run` would be given.
struct Case {
    name: &'static str,
    /// `fixtures/expected/<expected>-anomalous.jsonl` holds the rows the oracle computed.
    expected: &'static str,
    detection: &'static str,
    data: DataSpec,
    now: f64,
    earliest: Option<&'static str>,
    lookups: Option<PathBuf>,
    geoip: Option<PathBuf>,
}

impl Case {
    /// Builds the engine and runs the detection; returns the row count.
    fn run(&self, search: &str, macros: &MacroSet) -> usize {
        let mut b = Engine::builder(self.now).threads(1).macros(macros);
        if let Some(dir) = &self.lookups {
            b = b.lookup_dirs(vec![dir.clone()]);
        }
        if let Some(g) = &self.geoip {
            b = b.geoip(g).expect("GeoIP database opens");
        }
        let engine = b
            .add_data(&self.data)
            .expect("data opens")
            .time_range(self.earliest, None)
            .expect("time range")
            .build();
        engine
            .run(search)
            .unwrap_or_else(|e| panic!("{}: {e:?}", self.name))
            .num_rows()
    }
}

fn metrics_spec(path: PathBuf) -> DataSpec {
    DataSpec {
        index: Some("kubernetes_metrics".into()),
        ..DataSpec::new(path)
    }
}

fn seeds(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("spl-bench-seeds-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let geoip = repo().join("fixtures/geoip/GeoLite2-City-Test.mmdb");
    let opts = FixtureOptions {
        data_dir: dir.join("data"),
        lookups_dir: dir.join("lookups"),
        geoip_db: geoip.clone(),
        now: fixtures::parse_now(DEFAULT_NOW).expect("now"),
        seed: DEFAULT_SEED,
    };
    fixtures::generate(&opts).expect("seed fixtures generate");
    let small = BenchSpec::scale("small").expect("small scale");
    let small_files = bench_metrics::generate(&small, &dir).expect("small metrics generate");
    let meta: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(small_files.last().expect("meta file")).expect("meta read"),
    )
    .expect("meta json");
    let small_rows = meta["rows"].as_u64().expect("rows");
    let small_now = meta["now"].as_f64().expect("now");

    let mut macros = MacroSet::new();
    macros
        .load_path(&repo().join("fixtures/macros/security_content"))
        .expect("macros load");
    let now = opts.now as f64;
    let data = |f: &str| dir.join("data").join(f);
    let fixture_cases = [
        Case {
            name: "outbound",
            expected: "outbound",
            detection: OUTBOUND,
            data: metrics_spec(data("k8s-network-anomalous.parquet")),
            now,
            earliest: None,
            lookups: None,
            geoip: None,
        },
        Case {
            name: "inbound",
            expected: "inbound",
            detection: INBOUND,
            data: metrics_spec(data("k8s-network-anomalous.parquet")),
            now,
            earliest: None,
            lookups: None,
            geoip: None,
        },
        Case {
            name: "io_ratio",
            expected: "io-ratio",
            detection: IO_RATIO,
            data: metrics_spec(data("k8s-pod-io-anomalous.parquet")),
            now,
            earliest: Some("-1h"),
            lookups: Some(opts.lookups_dir.clone()),
            geoip: None,
        },
        Case {
            name: "scanning",
            expected: "scanning",
            detection: SCANNING,
            data: DataSpec {
                source: Some("kubernetes".into()),
                sourcetype: Some("_json".into()),
                ..DataSpec::new(data("k8s-audit-anomalous.jsonl"))
            },
            now,
            earliest: None,
            lookups: None,
            geoip: Some(geoip.clone()),
        },
    ];
    let small_path = dir.join(format!("{}.parquet", small.name));
    let small_cases = [
        Case {
            name: "outbound",
            expected: "outbound",
            detection: OUTBOUND,
            data: metrics_spec(small_path.clone()),
            now: small_now,
            earliest: None,
            lookups: None,
            geoip: None,
        },
        Case {
            name: "inbound",
            expected: "inbound",
            detection: INBOUND,
            data: metrics_spec(small_path),
            now: small_now,
            earliest: None,
            lookups: None,
            geoip: None,
        },
    ];

    let mut group = c.benchmark_group("seeds_fixture");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    for case in &fixture_cases {
        let search = detection_search(case.detection);
        let rows = case.run(&search, &macros);
        eprintln!("seeds_fixture/{}: {rows} rows", case.name);
        let expected = std::fs::read_to_string(repo().join(format!(
            "fixtures/expected/{}-anomalous.jsonl",
            case.expected
        )))
        .expect("expected rows");
        assert_eq!(
            rows,
            expected.lines().count(),
            "{}: the oracle's row count",
            case.name
        );
        group.bench_function(case.name, |b| {
            b.iter(|| black_box(case.run(black_box(&search), &macros)))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("seeds_small");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.throughput(Throughput::Elements(small_rows));
    for case in &small_cases {
        let search = detection_search(case.detection);
        let rows = case.run(&search, &macros);
        eprintln!(
            "seeds_small/{}: {rows} rows over {small_rows} points",
            case.name
        );
        group.bench_function(case.name, |b| {
            b.iter(|| black_box(case.run(black_box(&search), &macros)))
        });
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, seeds);
criterion_main!(benches);
