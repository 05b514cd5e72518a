//! Helpers shared by the ingest integration tests.
#![allow(dead_code, clippy::unwrap_used)]

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use spl_engine::source::{Dataset, ScanRequest};
use std::path::PathBuf;

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/ingest")
        .join(name)
}

pub fn shared(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared")
        .join(name)
}

/// A fresh, empty scratch directory for one test.
pub fn scratch(test: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("spl-ingest-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

pub fn scan_all(ds: &Dataset, req: &ScanRequest) -> Vec<RecordBatch> {
    ds.scan.scan(req).unwrap().map(|b| b.unwrap()).collect()
}

/// The values of `field` at `row` as text (empty = null/absent).
pub fn cell(batch: &RecordBatch, field: &str, row: usize) -> Vec<String> {
    let Some(col) = batch.column_by_name(field) else {
        return Vec::new();
    };
    if col.is_null(row) {
        return Vec::new();
    }
    match col.data_type() {
        DataType::Utf8 => vec![col.as_string::<i32>().value(row).to_string()],
        DataType::Float64 => vec![col.as_primitive::<Float64Type>().value(row).to_string()],
        DataType::Int64 => vec![col.as_primitive::<Int64Type>().value(row).to_string()],
        DataType::List(_) => {
            let v = col.as_list::<i32>().value(row);
            let s = v.as_string::<i32>();
            s.iter()
                .map(|x| x.unwrap_or("<null>").to_string())
                .collect()
        }
        DataType::Dictionary(_, _) => {
            let text = arrow_cast::cast(col, &DataType::Utf8).unwrap();
            vec![text.as_string::<i32>().value(row).to_string()]
        }
        other => panic!("unexpected type {other}"),
    }
}

pub fn one(batch: &RecordBatch, field: &str, row: usize) -> Option<String> {
    let v = cell(batch, field, row);
    assert!(v.len() <= 1, "{field} is multivalue: {v:?}");
    v.into_iter().next()
}

pub fn f64_at(batch: &RecordBatch, field: &str, row: usize) -> Option<f64> {
    let col = batch.column_by_name(field)?;
    (!col.is_null(row)).then(|| col.as_primitive::<Float64Type>().value(row))
}

pub fn names(batch: &RecordBatch) -> Vec<String> {
    batch
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect()
}

pub fn total_rows(batches: &[RecordBatch]) -> usize {
    batches.iter().map(RecordBatch::num_rows).sum()
}
