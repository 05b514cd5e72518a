//! The short robustness pass CI runs on stable: every input surface of
//! `spl_fuzz` gets mutated seeds (conformance queries, `../shared/corpus`
//! searches, the fixtures' data files) and random bytes. Property: no panic,
//! and each case returns within [`CASE_LIMIT`]. Deterministic (a fixed
//! proptest seed), a few thousand cases in all. The long campaigns run the
//! same functions under `cargo fuzz` (`fuzz/`, `docs/robustness.md`).
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Wall time one case may take (debug build, 2 shared cores): generous,
/// since the point is to catch hangs and blow-ups, not to benchmark.
const CASE_LIMIT: Duration = Duration::from_secs(20);

fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(rel)
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(repo(rel)).unwrap_or_else(|e| panic!("seed {rel}: {e}"))
}

/// The queries of every conformance `.spltest` file.
fn conformance_queries() -> &'static Vec<String> {
    static Q: OnceLock<Vec<String>> = OnceLock::new();
    Q.get_or_init(|| {
        spl_fuzz::spltest_files(&repo("fixtures/conformance"))
            .iter()
            .flat_map(|p| spl_fuzz::spltest_queries(&std::fs::read_to_string(p).unwrap()))
            .collect()
    })
}

/// Searches from `../shared/corpus/detections.jsonl` (absent outside the
/// project's machines: then only the conformance queries seed).
fn corpus_searches() -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(repo("../shared/corpus/detections.jsonl")) else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).ok()?;
            Some(v["search"].as_str()?.to_string())
        })
        .collect()
}

/// One edit of a seed.
#[derive(Debug, Clone)]
enum Edit {
    /// Cut the input at a position.
    Truncate(usize),
    /// Remove `len` bytes at a position.
    Delete(usize, usize),
    /// Insert a byte.
    Insert(usize, u8),
    /// Insert one of the [`TOKENS`].
    Token(usize, usize),
    /// Replace a byte.
    Flip(usize, u8),
    /// Repeat a stretch of the input after itself.
    Duplicate(usize, usize),
}

/// Text that matters to some parser: quotes, brackets, separators,
/// escapes, numbers at the edges.
const TOKENS: &[&str] = &[
    "\"",
    "'",
    "`",
    "[",
    "]",
    "(",
    ")",
    "{",
    "}",
    "|",
    ",",
    "=",
    "\\",
    "\n",
    "\r\n",
    "\t",
    "\0",
    "$",
    "%",
    "*",
    "<",
    ">",
    "</",
    "/>",
    "é",
    "\u{feff}",
    "-1",
    "0",
    "1e308",
    "NaN",
    "inf",
    "18446744073709551616",
    "-9223372036854775809",
    "null",
    "true",
    "[]",
    "{}",
    "\"\"",
    ":",
    ";",
    "#",
    "[default]",
    "REGEX = ",
    "FORMAT = ",
    "EXTRACT-x = ",
    "TIME_FORMAT = %s",
    "LINE_BREAKER = ",
    "(?<f>",
    ".*",
    "+",
    "?",
    "AND ",
    "OR ",
    "NOT ",
    "eval(",
    "if(",
    "mvindex(",
    "substr(",
    "strftime(",
    "printf(\"%",
    "count",
    "by ",
];

fn apply(seed: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for e in edits {
        let at = |p: usize, v: &Vec<u8>| if v.is_empty() { 0 } else { p % (v.len() + 1) };
        match *e {
            Edit::Truncate(p) => {
                let p = at(p, &v);
                v.truncate(p);
            }
            Edit::Delete(p, len) => {
                let p = at(p, &v);
                let end = (p + len % 16).min(v.len());
                v.drain(p..end);
            }
            Edit::Insert(p, b) => {
                let p = at(p, &v);
                v.insert(p, b);
            }
            Edit::Token(p, t) => {
                let p = at(p, &v);
                let tok = TOKENS[t % TOKENS.len()].as_bytes();
                v.splice(p..p, tok.iter().copied());
            }
            Edit::Flip(p, b) => {
                if !v.is_empty() {
                    let i = p % v.len();
                    v[i] ^= b | 1;
                }
            }
            Edit::Duplicate(p, len) => {
                let p = at(p, &v);
                let end = (p + len % 64).min(v.len());
                let piece = v[p..end].to_vec();
                v.splice(end..end, piece);
            }
        }
    }
    v
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        1 => any::<usize>().prop_map(Edit::Truncate),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(p, l)| Edit::Delete(p, l)),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Edit::Insert(p, b)),
        4 => (any::<usize>(), any::<usize>()).prop_map(|(p, t)| Edit::Token(p, t)),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Edit::Flip(p, b)),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(p, l)| Edit::Duplicate(p, l)),
    ]
}

/// Mutated seeds (nine in ten cases) and random bytes.
fn input(seeds: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    assert!(!seeds.is_empty());
    let n = seeds.len();
    prop_oneof![
        9 => (0..n, prop::collection::vec(edit(), 0..6))
            .prop_map(move |(i, edits)| apply(&seeds[i], &edits)),
        1 => prop::collection::vec(any::<u8>(), 0..512),
    ]
}

/// Runs `f` over `cases` inputs drawn from `seeds`: fails on a panic (with
/// the input, shrunk) or a case slower than [`CASE_LIMIT`].
fn run(name: &str, cases: u32, seeds: Vec<Vec<u8>>, f: impl Fn(&[u8])) {
    // SPL_FUZZ_SCALE=N runs N times the cases (longer local campaigns on
    // stable; docs/robustness.md)
    let scale = std::env::var("SPL_FUZZ_SCALE")
        .ok()
        .and_then(|s| s.parse::<u32>().ok())
        .unwrap_or(1)
        .max(1);
    let cases = cases.saturating_mul(scale);
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 200,
        ..Config::default()
    };
    // a fixed seed per surface: CI runs the same cases every time
    // (SPL_FUZZ_SEED=N draws others)
    let extra = std::env::var("SPL_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse::<u8>().ok())
        .unwrap_or(0);
    let mut key = [7u8 ^ extra; 32];
    for (k, b) in key.iter_mut().zip(name.bytes()) {
        *k ^= b;
    }
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &key);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let started = Instant::now();
    let result = runner.run(&input(seeds), |data| {
        let t = Instant::now();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&data)));
        prop_assert!(outcome.is_ok(), "{name} panicked");
        prop_assert!(
            t.elapsed() < CASE_LIMIT,
            "{name} took {:?} (limit {CASE_LIMIT:?})",
            t.elapsed()
        );
        Ok(())
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
    eprintln!("{name}: {cases} cases in {:?}", started.elapsed());
}

fn bytes_of(v: impl IntoIterator<Item = String>) -> Vec<Vec<u8>> {
    v.into_iter().map(String::into_bytes).collect()
}

#[test]
fn parser() {
    let mut seeds = bytes_of(conformance_queries().iter().cloned());
    seeds.extend(bytes_of(corpus_searches()));
    run("parser", 3000, seeds, spl_fuzz::parser);
}

#[test]
fn macros() {
    let conf = read("fixtures/macros/macros.conf");
    let mut seeds = Vec::new();
    for q in corpus_searches()
        .into_iter()
        .filter(|q| q.contains('`'))
        .take(200)
    {
        let mut s = conf.clone();
        s.push(0);
        s.extend(q.into_bytes());
        seeds.push(s);
    }
    seeds.push(b"[m(1)]\nargs = x\ndefinition = eval y=$x$\n\0| makeresults | `m(\"a\")`".to_vec());
    seeds.push(b"[a]\ndefinition = `b`\n[b]\ndefinition = `a`\n\0`a`".to_vec());
    run("macros", 600, seeds, spl_fuzz::macros);
}

/// Expressions after `eval x=` / `where` in the conformance queries.
fn eval_seeds() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for q in conformance_queries() {
        for seg in q.split(" | ") {
            let seg = seg.trim();
            if let Some(rest) = seg.strip_prefix("eval ") {
                if let Some((_, e)) = rest.split_once('=') {
                    out.push(e.trim().to_string());
                }
            } else if let Some(rest) = seg.strip_prefix("where ") {
                out.push(rest.to_string());
            }
        }
    }
    out.sort();
    out.dedup();
    bytes_of(out)
}

#[test]
fn eval() {
    let seeds = eval_seeds();
    // the harness reaches the evaluator: most seeds run as they are
    let ran = seeds.iter().filter(|s| spl_fuzz::eval(s)).count();
    assert!(ran * 2 > seeds.len(), "{ran} of {} seeds ran", seeds.len());
    run("eval", 1000, seeds, |d| {
        spl_fuzz::eval(d);
    });
}

fn parquet_seed(metrics: bool) -> Vec<u8> {
    use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
    use std::sync::Arc;
    let cols: Vec<(&str, ArrayRef)> = if metrics {
        vec![
            (
                "_time",
                Arc::new(Float64Array::from(vec![1.7e9, 1.7e9 + 60.0])),
            ),
            (
                "metric_name",
                Arc::new(StringArray::from(vec!["cpu", "mem"])),
            ),
            ("_value", Arc::new(Float64Array::from(vec![0.5, 42.0]))),
            ("host", Arc::new(StringArray::from(vec![Some("a"), None]))),
        ]
    } else {
        vec![
            (
                "_time",
                Arc::new(Float64Array::from(vec![1.7e9, 1.7e9 + 1.0])),
            ),
            ("user", Arc::new(StringArray::from(vec!["alice", "bob"]))),
            ("_raw", Arc::new(StringArray::from(vec!["a=1", "b=2"]))),
        ]
    };
    let batch = RecordBatch::try_from_iter(cols).unwrap();
    let mut out = Vec::new();
    let mut w = parquet::arrow::ArrowWriter::try_new(&mut out, batch.schema(), None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    out
}

const OTLP_SEED: &str = r#"{"resourceMetrics":[{"resource":{"attributes":[{"key":"host.name","value":{"stringValue":"web1"}}]},"scopeMetrics":[{"metrics":[{"name":"g","gauge":{"dataPoints":[{"asDouble":1.5,"timeUnixNano":"1714561200000000000"},{"asInt":"3","timeUnixNano":"1714561260000000000"}]}},{"name":"c","sum":{"aggregationTemporality":2,"isMonotonic":true,"dataPoints":[{"asInt":"10","startTimeUnixNano":"1714561000000000000","timeUnixNano":"1714561200000000000"}]}},{"name":"h","histogram":{"aggregationTemporality":1,"dataPoints":[{"count":"3","sum":2.5,"bucketCounts":["1","2"],"explicitBounds":[1],"timeUnixNano":"1714561200000000000"}]}}]}]}]}
"#;

/// A text seed cut to whole lines within the harness's input cap.
fn whole_lines(mut v: Vec<u8>) -> Vec<u8> {
    if v.len() > spl_fuzz::MAX_INPUT {
        v.truncate(spl_fuzz::MAX_INPUT);
        let end = v.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        v.truncate(end);
    }
    v
}

fn data_seeds(surface: &str) -> Vec<Vec<u8>> {
    if surface.ends_with("parquet") {
        return vec![parquet_seed(surface == "metrics-parquet")];
    }
    let seeds = match surface {
        "json" => vec![
            read("fixtures/ingest/audit.jsonl"),
            read("fixtures/ingest/export.jsonl"),
        ],
        "splunk-json" => vec![read("fixtures/ingest/export.jsonl")],
        "csv" => vec![
            read("fixtures/ingest/events.csv"),
            read("fixtures/ingest/lookups/users.csv"),
        ],
        "metrics-csv" => vec![
            read("fixtures/ingest/metrics.csv"),
            read("fixtures/ingest/mstats_export.csv"),
            read("fixtures/ingest/multi_measure.csv"),
        ],
        "otlp-json" => vec![OTLP_SEED.as_bytes().to_vec()],
        "hec-metrics" => vec![read("fixtures/ingest/hec_metrics.jsonl")],
        "kubearmor" => vec![
            read("fixtures/kubearmor/seed/telemetry.jsonl"),
            read("fixtures/kubearmor/portscan/fires.jsonl"),
        ],
        "raw" => vec![
            read("fixtures/ingest/raw/secure.log"),
            read("fixtures/ingest/raw/auditd.log"),
            read("fixtures/ingest/raw/ivanti_vtm_audit.log"),
        ],
        "xml" => vec![read("fixtures/ingest/raw/security.xml")],
        other => panic!("no seeds for {other}"),
    };
    seeds.into_iter().map(whole_lines).collect()
}

#[test]
fn data_readers() {
    for &(surface, _) in spl_fuzz::DATA_SURFACES {
        let seeds = data_seeds(surface);
        // the harness reaches the reader: every seed reads rows as it is
        for seed in &seeds {
            let rows = spl_fuzz::data_file(surface, seed);
            assert!(rows.is_some_and(|n| n > 0), "{surface}: seed read {rows:?}");
        }
        run(surface, 120, seeds, |d| {
            spl_fuzz::data_file(surface, d);
        });
    }
}

#[test]
fn data_sniffed() {
    let mut seeds = Vec::new();
    for &(surface, _) in spl_fuzz::DATA_SURFACES {
        seeds.extend(data_seeds(surface));
    }
    for ext in ["jsonl", "csv", "log"] {
        run(&format!("sniffed.{ext}"), 60, seeds.clone(), |d| {
            spl_fuzz::data_sniffed(ext, d);
        });
    }
}

#[test]
fn app_conf() {
    let mut seeds = Vec::new();
    for app in [
        "fixtures/apps/web_app/default",
        "fixtures/apps-extract/kv_app/default",
    ] {
        let mut s = read(&format!("{app}/props.conf"));
        s.push(0);
        s.extend(read(&format!("{app}/transforms.conf")));
        seeds.push(s);
    }
    seeds.push(
        b"[fuzz]\nEXTRACT-u = user=(?<user>\\w+)\nREPORT-kv = kv\nEVAL-x = len(user)\n\
FIELDALIAS-a = user AS account\nLINE_BREAKER = ([\\r\\n]+)\nTIME_PREFIX = ^\n\
TIME_FORMAT = %Y-%m-%dT%H:%M:%S%Z\n\0[kv]\nREGEX = (\\w+)=(\\S+)\nFORMAT = $1::$2\n"
            .to_vec(),
    );
    run("app_conf", 200, seeds, spl_fuzz::app_conf);
}

#[test]
fn spltest() {
    let seeds = spl_fuzz::spltest_files(&repo("fixtures/conformance"))
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .filter(|s| s.len() < 6000 && !s.windows(8).any(|w| w == b"include="))
        .take(40)
        .collect();
    run("spltest", 150, seeds, spl_fuzz::spltest);
}

#[test]
fn detection_yaml() {
    let seeds = ["kubernetes_access_scanning.yml", "kubearmor_port_scan.yml"]
        .iter()
        .map(|n| read(&format!("fixtures/detections/{n}")))
        .collect();
    run("detection_yaml", 100, seeds, spl_fuzz::detection_yaml);
}

#[test]
fn kubearmor_policy() {
    let seeds = vec![read(
        "fixtures/kubearmor/seed/ksp-nist-ac-18-1-network-audit.yaml",
    )];
    run("kubearmor_policy", 500, seeds, spl_fuzz::kubearmor_policy);
}

#[test]
fn lookup_csv() {
    let seeds = ["nets.csv", "suspicious_tools.csv", "users.csv"]
        .iter()
        .map(|n| read(&format!("fixtures/ingest/lookups/{n}")))
        .collect();
    run("lookup_csv", 200, seeds, spl_fuzz::lookup_csv);
}

#[test]
fn harness_helpers() {
    let q = spl_fuzz::spltest_queries("now 1\nquery\n| makeresults\n| eval x=1\n----\nx\n1\n");
    assert_eq!(q, ["| makeresults\n| eval x=1"]);
    assert!(!conformance_queries().is_empty());
    assert!(Path::new(&repo("fixtures/conformance")).is_dir());
}
