//! `tstats` over a data model export in Parquet (issue 14): the security_content
//! template `count min(_time) max(_time) ... where <filters> by <8 fields>` over
//! `Endpoint.Processes` rows, through the embedding API, one worker thread.
//!
//! The rows are generated once into a temporary Parquet file before anything is
//! timed (deterministic; `SPL_TSTATS_ROWS`, default 1,000,000): prefixed field
//! names as `| datamodel Endpoint Processes search` exports them, 8 process
//! names and 5 parent names so the filter keeps about 1 row in 10, and
//! high-cardinality BY fields (dest, user, command line, ids, guid). The
//! 10 M-row comparison with DuckDB is in docs/performance.md.
#![allow(missing_docs)]

use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use spl_engine::session::Engine;
use spl_engine::source::DataSpec;
use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;

/// The template the corpus uses 500 times, with `stats count` so the timing
/// is the aggregation, not printing a million groups.
pub const QUERY: &str = "| tstats summariesonly=false allow_old_summaries=true fillnull_value=null count min(_time) as firstTime max(_time) as lastTime from datamodel=Endpoint.Processes where Processes.process_name IN (\"cmd.exe\", \"powershell.exe\") Processes.parent_process_name IN (\"winword.exe\", \"services.exe\") by Processes.dest Processes.user Processes.parent_process_name Processes.process_name Processes.process Processes.process_id Processes.parent_process_id Processes.process_guid | stats count as groups sum(count) as rows";

fn mix(mut x: u64) -> u64 {
    // splitmix64: a fixed, well-spread sequence
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Writes `rows` generated rows to `path`.
pub fn generate(path: &std::path::Path, rows: usize) {
    const PROCS: [&str; 8] = [
        "cmd.exe",
        "powershell.exe",
        "notepad.exe",
        "chrome.exe",
        "rundll32.exe",
        "conhost.exe",
        "svchost.exe",
        "net.exe",
    ];
    const PARENTS: [&str; 5] = [
        "explorer.exe",
        "cmd.exe",
        "services.exe",
        "winword.exe",
        "svchost.exe",
    ];
    let names = [
        "Processes.dest",
        "Processes.user",
        "Processes.parent_process_name",
        "Processes.process_name",
        "Processes.process",
        "Processes.process_id",
        "Processes.parent_process_id",
        "Processes.process_guid",
    ];
    let mut fields = vec![Field::new("_time", DataType::Float64, false)];
    fields.extend(names.iter().map(|n| Field::new(*n, DataType::Utf8, true)));
    let schema = Arc::new(Schema::new(fields));
    let file = std::fs::File::create(path).expect("create parquet");
    let mut w = parquet::arrow::ArrowWriter::try_new(file, schema.clone(), None).expect("writer");
    let chunk = 122_880;
    let mut start = 0;
    while start < rows {
        let n = chunk.min(rows - start);
        let idx = start as u64..(start + n) as u64;
        let col = |f: &dyn Fn(u64) -> String| -> ArrayRef {
            Arc::new(StringArray::from(idx.clone().map(f).collect::<Vec<_>>()))
        };
        let cols: Vec<ArrayRef> = vec![
            Arc::new(Float64Array::from(
                idx.clone()
                    .map(|i| 1_714_500_000.0 + i as f64 * 0.01)
                    .collect::<Vec<_>>(),
            )),
            col(&|i| format!("host-{}", mix(i) % 1000)),
            col(&|i| format!("user-{}", mix(i * 7) % 500)),
            col(&|i| PARENTS[(mix(i * 11) % 5) as usize].to_string()),
            col(&|i| PROCS[(mix(i * 13) % 8) as usize].to_string()),
            col(&|i| format!("cmdline {}", mix(i * 17) % 5000)),
            col(&|i| (mix(i * 19) % 60000).to_string()),
            col(&|i| (mix(i * 23) % 60000).to_string()),
            col(&|i| format!("guid-{}", mix(i * 29) % 100)),
        ];
        w.write(&RecordBatch::try_new(schema.clone(), cols).expect("batch"))
            .expect("write");
        start += n;
    }
    w.close().expect("close parquet");
}

fn bench(c: &mut Criterion) {
    let rows: usize = std::env::var("SPL_TSTATS_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = std::env::temp_dir().join(format!("spl-tstats-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path: PathBuf = dir.join("processes.parquet");
    generate(&path, rows);
    let spec: DataSpec = format!("path={},datamodel=Endpoint.Processes", path.display())
        .parse()
        .expect("spec");
    let engine = Engine::builder(1_714_600_000.0)
        .threads(1)
        .add_data(&spec)
        .expect("data")
        .build();
    let mut g = c.benchmark_group("tstats");
    g.sampling_mode(SamplingMode::Flat).sample_size(10);
    g.throughput(Throughput::Elements(rows as u64));
    g.bench_function("datamodel_8_by_fields_parquet", |b| {
        b.iter(|| {
            let r = engine.run(black_box(QUERY)).expect("tstats runs");
            assert_eq!(r.num_rows(), 1);
        })
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
