//! The streaming entry points (`Engine::run_query_to` and friends): each
//! output batch reaches the sink as the last command emits it, the sink's
//! error stops the search, and the collecting entry points give the same
//! rows.
#![allow(clippy::unwrap_used)]

use arrow_array::RecordBatch;
use spl_engine::explain::FactsWhen;
use spl_engine::session::Engine;
use spl_engine::EngineError;
use std::sync::Arc;

fn engine() -> Engine {
    Engine::builder(1_700_000_000.0).build()
}

fn query(q: &str) -> spl_parser::ast::Query {
    spl_parser::parse(q).unwrap()
}

#[test]
fn the_sink_gets_each_batch_as_it_is_emitted() {
    let q = query("| makeresults count=200000 | streamstats count | eval x=count*2");
    let mut got: Vec<RecordBatch> = Vec::new();
    let r = engine()
        .run_query_to(&q, &mut |b| {
            got.push(b);
            Ok(())
        })
        .unwrap();
    // makeresults emits 65,536 rows a batch: several calls, nothing collected
    assert!(got.len() >= 4, "{} batches", got.len());
    assert!(r.batches.is_empty());
    assert_eq!(
        got.iter().map(RecordBatch::num_rows).sum::<usize>(),
        200_000
    );
    // the collecting entry point gives the same batches
    let all = engine().run_query(&q).unwrap();
    assert_eq!(all.batches, got);
}

#[test]
fn a_sink_error_stops_the_search() {
    // a row count under the makeresults limit that would take long to
    // evaluate whole: the search must end at the first batch
    let q = query("| makeresults count=5000000 | eval x=1");
    let mut calls = 0;
    let e = engine()
        .run_query_to(&q, &mut |_| {
            calls += 1;
            Err(EngineError::Io {
                path: "<stdout>".into(),
                source: std::io::Error::from(std::io::ErrorKind::BrokenPipe),
            })
        })
        .unwrap_err();
    assert_eq!(calls, 1);
    match e {
        EngineError::Io { path, source } => {
            assert_eq!(path, "<stdout>");
            assert_eq!(source.kind(), std::io::ErrorKind::BrokenPipe);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_blocking_command_reaches_the_sink_at_its_end() {
    let q = query(
        "| makeresults count=100000 | streamstats count | eval k=count % 3 | stats count by k",
    );
    let mut calls = Vec::new();
    engine()
        .run_query_to(&q, &mut |b| {
            calls.push(b.num_rows());
            Ok(())
        })
        .unwrap();
    assert_eq!(calls, [3]);
}

#[test]
fn explained_runs_stream_and_profile() {
    let text = "| makeresults count=70000 | eval x=1";
    let q = query(text);
    let mut sunk = 0;
    let r = engine()
        .run_query_explained_counted_to(&q, text, FactsWhen::Empty, Arc::default(), &mut |b| {
            sunk += b.num_rows();
            Ok(())
        })
        .unwrap();
    assert_eq!(sunk, 70_000);
    let e = r.explain.unwrap();
    assert_eq!(e.stages.len(), 2);
    assert_eq!(e.stages[1].rows_out, 70_000);
    assert_eq!(e.stages[1].batches_out, 2);
    // rows came out: the zero-result facts were not computed
    assert!(e.base.is_none());
    // and the collecting form agrees
    let all = engine()
        .run_query_explained(&q, text, FactsWhen::Empty)
        .unwrap();
    assert_eq!(all.num_rows(), 70_000);
}
