//! Robustness harness: one entry point per input surface of the engine,
//! each taking arbitrary bytes. The property is that none of them panics
//! (and each returns in bounded time): bad input is an `Err`, never a crash.
//!
//! The same functions are driven two ways:
//! - `tests/surfaces.rs`: a short proptest pass on stable, part of
//!   `cargo test --workspace` (so CI runs it), seeded with the conformance
//!   suite's queries and `../shared/corpus` searches;
//! - `fuzz/fuzz_targets/*.rs`: `cargo fuzz` targets (nightly, libFuzzer) for
//!   long campaigns. `docs/robustness.md` says how to run them and records
//!   the campaigns.
//!
//! Inputs are capped ([`MAX_INPUT`]) so a case stays small: the limits on
//! large inputs are the engine's own business (`docs/limits.md`), the
//! harness looks for crashes.

use spl_engine::source::{DataFormat, DataSpec, ScanRequest};
use spl_engine::Engine;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Inputs longer than this are cut (bytes).
pub const MAX_INPUT: usize = 16 * 1024;

/// The clock every engine here reads (2024-05-01T12:00:00Z).
const NOW: f64 = 1_714_564_800.0;

fn cap(data: &[u8]) -> &[u8] {
    data.get(..MAX_INPUT).unwrap_or(data)
}

fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(cap(data)).into_owned()
}

/// A private scratch directory, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        static N: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "spl-fuzz-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        // a harness that cannot write its scratch files cannot test anything:
        // that is the machine's fault, not the input's
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("scratch dir {dir:?}: {e}"));
        Scratch(dir)
    }

    fn write(&self, name: &str, data: &[u8]) -> PathBuf {
        let p = self.0.join(name);
        if let Some(parent) = p.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        std::fs::write(&p, data).unwrap_or_else(|e| panic!("scratch file {p:?}: {e}"));
        p
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Splits an input in two at the first NUL byte (or gives all of it to the
/// first part): lets one byte string carry, say, a macro file and a query.
fn split2(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[]),
    }
}

/// Parses a search; an error must carry a span inside the input on char
/// boundaries, and render.
pub fn parser(data: &[u8]) {
    let q = text(data);
    match spl_parser::parse(&q) {
        Ok(ast) => {
            // the printer must not panic either
            let _ = ast.to_string();
        }
        Err(e) => check_error(&q, e),
    }
}

fn check_error(input: &str, e: spl_parser::ParseError) {
    if let Some(span) = e.span() {
        assert!(span.start <= span.end, "inverted span {span:?}");
        assert!(
            span.end as usize <= input.len(),
            "span {span:?} past the end"
        );
        assert!(input.is_char_boundary(span.start as usize), "{span:?}");
        assert!(input.is_char_boundary(span.end as usize), "{span:?}");
    }
    let report = miette::Report::new(e).with_source_code(input.to_string());
    let mut out = String::new();
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
    let _ = handler.render_report(&mut out, report.as_ref());
}

/// Loads a `macros.conf` text (before the first NUL) and expands a query
/// (after it; the whole input when there is no NUL) with it and the bundled
/// macros, then parses the expansion.
pub fn macros(data: &[u8]) {
    let (conf, query) = split2(cap(data));
    let (conf, query) = (
        String::from_utf8_lossy(conf),
        String::from_utf8_lossy(query),
    );
    let mut set = spl_parser::macros::MacroSet::with_bundled();
    let _ = set.load_conf_str(&conf, "fuzz/macros.conf");
    let query = if query.is_empty() { conf } else { query };
    if let Ok(exp) = spl_parser::macros::expand(&query, &set) {
        let _ = exp.locate(spl_parser::span::Span::new(0, exp.text.len()));
        if let Err(e) = spl_parser::parse(&exp.text) {
            check_error(&exp.text, e);
        }
    }
}

/// Runs `| makeresults count=3 | eval x=<input>` (and the input as a
/// `where` condition); says whether the `eval` search ran.
pub fn eval(data: &[u8]) -> bool {
    let expr = text(data);
    let engine = Engine::builder(NOW).build();
    let ran = engine.run(&format!(
        "| makeresults count=3 | streamstats count as n | eval s=\"a,b\", m=split(s, \",\") | eval x={expr}"
    ));
    let _ = engine.run(&format!("| makeresults count=2 | eval y=1 | where {expr}"));
    ran.is_ok()
}

/// The data file surfaces: a format (as `--data path=...,format=`) and the
/// file extension its files have.
pub const DATA_SURFACES: &[(&str, &str)] = &[
    ("json", "jsonl"),
    ("splunk-json", "json"),
    ("csv", "csv"),
    ("metrics-csv", "csv"),
    ("parquet", "parquet"),
    ("metrics-parquet", "parquet"),
    ("otlp-json", "json"),
    ("hec-metrics", "json"),
    ("kubearmor", "json"),
    ("raw", "log"),
    ("xml", "xml"),
];

/// Reads `data` as a `--data` file of `surface` (a name of
/// [`DATA_SURFACES`]): opens it, scans every batch, and for events runs a
/// search that reads every field through the knowledge layer. Gives the
/// number of rows the scans read when the file opened without error.
pub fn data_file(surface: &str, data: &[u8]) -> Option<usize> {
    let Some(&(_, ext)) = DATA_SURFACES.iter().find(|(n, _)| *n == surface) else {
        panic!("no data surface `{surface}`");
    };
    let dir = Scratch::new();
    let path = dir.write(&format!("data.{ext}"), cap(data));
    let mut spec = DataSpec::new(&path);
    spec.now = Some(NOW);
    match surface {
        "xml" => {
            spec.format = Some(DataFormat::Raw);
            spec.sourcetype = Some("XmlWinEventLog".into());
        }
        "raw" => spec.format = Some(DataFormat::Raw),
        other => match other.parse::<DataFormat>() {
            Ok(f) => spec.format = Some(f),
            Err(e) => panic!("format `{other}`: {e}"),
        },
    }
    read_spec(&spec)
}

/// Like [`data_file`] but lets the engine sniff the format (the file is
/// named by `ext`).
pub fn data_sniffed(ext: &str, data: &[u8]) -> Option<usize> {
    let dir = Scratch::new();
    let path = dir.write(&format!("data.{ext}"), cap(data));
    let mut spec = DataSpec::new(&path);
    spec.now = Some(NOW);
    read_spec(&spec)
}

fn read_spec(spec: &DataSpec) -> Option<usize> {
    let mut rows = None;
    if let Ok(sets) = spl_engine::source::open_datasets(spec) {
        let mut n = 0;
        for ds in &sets {
            if let Ok(stream) = ds.scan.scan(&ScanRequest::default()) {
                for batch in stream {
                    match batch {
                        Ok(b) => n += b.num_rows(),
                        Err(_) => break,
                    }
                }
            }
        }
        rows = Some(n);
    }
    if let Ok(b) = Engine::builder(NOW).add_data(spec) {
        let engine = b.build();
        let _ = engine.run("search * | head 200 | table *");
        let _ = engine.run("| mstats count(_value) WHERE index=* BY metric_name");
    }
    rows
}

/// A small raw log the app surface reads with the fuzzed settings.
const APP_LOG: &str = "2024-05-01T11:00:00Z host=web1 user=alice action=login status=200 \
src=10.0.0.1\n2024-05-01T11:01:00Z host=web2 user=bob action=logout status=404 src=10.0.0.2\n\
May  1 11:02:00 db1 sshd[42]: Failed password for carol from 10.0.0.3 port 22 ssh2\n";

/// Loads an app whose `default/props.conf` is the input before the first
/// NUL and whose `default/transforms.conf` is the rest (`eventtypes.conf`
/// and `tags.conf` get the same two texts), then reads a small raw log and
/// searches it through the app.
pub fn app_conf(data: &[u8]) {
    let (props, transforms) = split2(cap(data));
    let dir = Scratch::new();
    dir.write("app/default/props.conf", props);
    dir.write("app/default/transforms.conf", transforms);
    dir.write("app/default/eventtypes.conf", transforms);
    dir.write("app/default/tags.conf", props);
    let log = dir.write("data.log", APP_LOG.as_bytes());
    let Ok(b) = Engine::builder(NOW).apps(&[dir.0.join("app")]) else {
        return;
    };
    let mut spec = DataSpec::new(&log);
    spec.format = Some(DataFormat::Raw);
    spec.sourcetype = Some("fuzz".into());
    spec.now = Some(NOW);
    let Ok(b) = b.add_data(&spec) else { return };
    let engine = b.build();
    let _ = engine.run("search * | table *");
    let _ = engine.run("search eventtype=* tag=* | stats count by sourcetype");
}

/// Runs a `.spltest` file with the input as its text.
pub fn spltest(data: &[u8]) {
    let dir = Scratch::new();
    let path = dir.write("case.spltest", cap(data));
    let _ = spl_testing::suite::run_one(&path, &spl_testing::runner::RunOptions::default());
}

/// Runs a security_content detection YAML with the input as its text.
pub fn detection_yaml(data: &[u8]) {
    let dir = Scratch::new();
    let path = dir.write("detection.yml", cap(data));
    let _ =
        spl_testing::detection::run_detection(&path, &spl_testing::runner::RunOptions::default());
}

/// Loads KubeArmor policies from the input as YAML.
pub fn kubearmor_policy(data: &[u8]) {
    let _ = spl_kubearmor::parse_policies(&text(data), "fuzz/policy.yaml");
}

/// Reads the input as a lookup table `fuzz.csv`: `inputlookup`, and a
/// `lookup` on its first column.
pub fn lookup_csv(data: &[u8]) {
    let data = cap(data);
    let dir = Scratch::new();
    dir.write("lookups/fuzz.csv", data);
    let first = String::from_utf8_lossy(data)
        .lines()
        .next()
        .and_then(|l| l.split(',').next())
        .map(|f| f.trim().trim_matches('"').to_string())
        .filter(|f| !f.is_empty() && f.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .unwrap_or_else(|| "k".into());
    let engine = Engine::builder(NOW)
        .lookup_dirs(vec![dir.0.join("lookups")])
        .build();
    let _ = engine.run("| inputlookup fuzz.csv | head 100");
    let _ = engine.run(&format!(
        "| makeresults count=2 | streamstats count as {first} | lookup fuzz.csv {first}"
    ));
}

/// The queries of a `.spltest` text: the lines after each `query` line up
/// to its `----` (seeds for the parser and eval surfaces).
pub fn spltest_queries(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    for line in text.lines() {
        match &mut cur {
            None if line.trim() == "query" => cur = Some(String::new()),
            None => {}
            Some(q) if line.starts_with("----") => {
                out.push(std::mem::take(q));
                cur = None;
            }
            Some(q) => {
                if !q.is_empty() {
                    q.push('\n');
                }
                q.push_str(line);
            }
        }
    }
    out
}

/// Every `.spltest` file under `dir`, recursively, sorted.
pub fn spltest_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            out.extend(spltest_files(&p));
        } else if p.extension().is_some_and(|e| e == "spltest") {
            out.push(p);
        }
    }
    out
}
