//! Parser throughput over the whole security_content corpus (1,824 searches,
//! macro-expanded once up front): bytes/s and searches/s.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use spl_parser::macros::{expand, MacroSet};
use std::hint::black_box;
use std::path::PathBuf;

fn corpus() -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    let mut set = MacroSet::with_bundled();
    set.load_path(&root.join("macros.jsonl"))
        .expect("shared/corpus/macros.jsonl beside the repository");
    let text = std::fs::read_to_string(root.join("detections.jsonl"))
        .expect("shared/corpus/detections.jsonl beside the repository");
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["search"].as_str().map(str::to_string))
        .filter_map(|s| expand(&s, &set).ok().map(|e| e.text))
        .collect()
}

fn parse_corpus(c: &mut Criterion) {
    let searches = corpus();
    let bytes: usize = searches.iter().map(String::len).sum();
    let mut group = c.benchmark_group("parse_corpus");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("bytes", |b| {
        b.iter(|| {
            for s in &searches {
                let _ = black_box(spl_parser::parse(black_box(s)));
            }
        })
    });
    group.throughput(Throughput::Elements(searches.len() as u64));
    group.bench_function("searches", |b| {
        b.iter(|| {
            for s in &searches {
                let _ = black_box(spl_parser::parse(black_box(s)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, parse_corpus);
criterion_main!(benches);
