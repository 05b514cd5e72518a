//! Shared helpers: in-memory events, running a query, rendering, errors.

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, Float64Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use spl_engine::session::Engine;
use spl_engine::source::SourceMeta;
use spl_engine::testing::render;
use spl_engine::EngineError;
use std::sync::Arc;

/// A column of optional strings; a multivalue column when any cell has a `|`.
pub fn col(name: &str, vals: &[Option<&str>]) -> (Field, ArrayRef) {
    if vals.iter().any(|v| v.is_some_and(|s| s.contains('|'))) {
        let mut b = ListBuilder::new(StringBuilder::new());
        for v in vals {
            match v {
                None => b.append(false),
                Some(s) => {
                    for p in s.split('|') {
                        b.values().append_value(p);
                    }
                    b.append(true);
                }
            }
        }
        let dt = DataType::List(Arc::new(Field::new("item", DataType::Utf8, true)));
        (Field::new(name, dt, true), Arc::new(b.finish()))
    } else {
        let a: arrow_array::StringArray = vals.iter().copied().collect();
        (Field::new(name, DataType::Utf8, true), Arc::new(a))
    }
}

/// A numeric column.
pub fn num(name: &str, vals: &[Option<f64>]) -> (Field, ArrayRef) {
    (
        Field::new(name, DataType::Float64, true),
        Arc::new(Float64Array::from(vals.to_vec())),
    )
}

/// Events with `_time` and the given columns.
pub fn events(times: &[f64], cols: Vec<(Field, ArrayRef)>) -> RecordBatch {
    let mut fields = vec![Field::new("_time", DataType::Float64, true)];
    let mut arrays: Vec<ArrayRef> = vec![Arc::new(Float64Array::from(times.to_vec()))];
    for (f, a) in cols {
        fields.push(f);
        arrays.push(a);
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).unwrap()
}

/// An engine (now = 1000, UTC) over the batches as `index=main`.
pub fn engine(batches: Vec<RecordBatch>) -> Engine {
    Engine::builder(1_000.0)
        .add_events(SourceMeta::new("main", "test.log", "test"), batches)
        .build()
}

/// An engine with no data.
pub fn empty() -> Engine {
    Engine::builder(1_700_000_000.0).build()
}

/// Runs and renders.
pub fn run(e: &Engine, q: &str) -> String {
    let r = e.run(q).unwrap_or_else(|err| panic!("{q}: {err}"));
    render(&r, e.context()).unwrap()
}

/// Runs `q` over no data and renders.
pub fn run0(q: &str) -> String {
    run(&empty(), q)
}

/// The error of a query that must fail.
pub fn run_err(e: &Engine, q: &str) -> EngineError {
    match e.run(q) {
        Ok(_) => panic!("{q}: expected an error"),
        Err(err) => err,
    }
}

/// The error text and the query text under its span: a plan-time argument
/// error, or a parse-time option error (unknown option, ill-typed value).
pub fn err_at(q: &str) -> (String, String) {
    let err = run_err(&empty(), q);
    let text = err.to_string();
    let span = match &err {
        EngineError::InvalidArgument { span, .. } | EngineError::UnsupportedOption { span, .. } => {
            *span
        }
        EngineError::Parse(
            p @ (spl_parser::ParseError::InvalidValue { .. }
            | spl_parser::ParseError::UnknownOption { .. }),
        ) => p.span().unwrap_or_default(),
        other => panic!("{q}: expected an argument error, got {other:?}"),
    };
    (
        text,
        q.get(span.start as usize..span.end as usize)
            .unwrap_or("")
            .to_string(),
    )
}
