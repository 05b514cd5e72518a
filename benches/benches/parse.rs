//! Parser throughput over the whole security_content corpus (1,824 searches,
//! macro-expanded once up front): bytes/s and searches/s.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use spl_parser::macros::{expand, MacroSet};
use std::hint::black_box;
use std::path::PathBuf;

/// The corpus searches, macro-expanded as `spl-parser/tests/corpus.rs` does
/// (bundled macros plus the corpus's); `None` when `../shared/corpus` is not
/// beside the repository.
fn corpus() -> Option<Vec<String>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    let detections = root.join("detections.jsonl");
    let macros = root.join("macros.jsonl");
    if !detections.is_file() || !macros.is_file() {
        eprintln!(
            "parse_corpus: skipped: {} not found (the corpus lives in shared/ beside the repository)",
            detections.display()
        );
        return None;
    }
    let mut set = MacroSet::with_bundled();
    set.load_path(&macros)
        .expect("shared/corpus/macros.jsonl loads");
    let text = std::fs::read_to_string(&detections).expect("shared/corpus/detections.jsonl reads");
    Some(
        text.lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v["search"].as_str().map(str::to_string))
            .filter_map(|s| expand(&s, &set).ok().map(|e| e.text))
            .collect(),
    )
}

fn parse_corpus(c: &mut Criterion) {
    let Some(searches) = corpus() else {
        return;
    };
    eprintln!(
        "parse_corpus: {} searches, {} bytes",
        searches.len(),
        searches.iter().map(String::len).sum::<usize>()
    );
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
