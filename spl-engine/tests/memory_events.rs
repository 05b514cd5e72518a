//! Events handed in from memory are flattened as the file readers flatten
//! them: the same nested batch searched from memory and from a Parquet file
//! gives the same rows (issue 16: OCSF's `src_endpoint.ip` came back empty
//! from memory).
#![allow(clippy::unwrap_used)] // tests may unwrap

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{Array, ArrayRef, Int32Array, RecordBatch, StringArray, StructArray};
use arrow_array::{ListArray, TimestampMillisecondArray};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, Field};
use spl_engine::session::{Engine, EngineBuilder};
use spl_engine::source::{DataSpec, SourceMeta};
use std::sync::Arc;

const NOW: f64 = 1_700_000_100.0;

/// Three OCSF-like events: a struct `src_endpoint` (null on the third), a
/// list `tags`, a millisecond timestamp `_time`.
fn ocsf_batch() -> RecordBatch {
    let ip: ArrayRef = Arc::new(StringArray::from(vec![
        Some("10.0.0.1"),
        Some("10.0.0.2"),
        Some("10.9.9.9"),
    ]));
    let port: ArrayRef = Arc::new(Int32Array::from(vec![443, 22, 80]));
    let endpoint = StructArray::new(
        vec![
            Field::new("ip", DataType::Utf8, true),
            Field::new("port", DataType::Int32, true),
        ]
        .into(),
        vec![ip, port],
        Some(NullBuffer::from(vec![true, true, false])),
    );
    let mut tags = ListBuilder::new(StringBuilder::new());
    tags.append_value([Some("auth"), Some("login")]);
    tags.append_value([Some("ssh")]);
    tags.append_null();
    let tags: ListArray = tags.finish();
    RecordBatch::try_from_iter([
        (
            "_time",
            Arc::new(TimestampMillisecondArray::from(vec![
                1_700_000_001_000,
                1_700_000_002_000,
                1_700_000_003_000,
            ])) as ArrayRef,
        ),
        (
            "activity",
            Arc::new(StringArray::from(vec!["logon", "logon", "logoff"])) as ArrayRef,
        ),
        ("src_endpoint", Arc::new(endpoint) as ArrayRef),
        ("tags", Arc::new(tags) as ArrayRef),
    ])
    .unwrap()
}

fn csv(engine: &Engine, query: &str) -> String {
    let r = engine.run(query).unwrap();
    let t = spl_engine::render::table(&r.batches, &engine.context().tz).unwrap();
    spl_engine::render::to_csv(&t)
}

fn from_memory() -> Engine {
    Engine::builder(NOW)
        .add_events(SourceMeta::new("ocsf", "mem", "ocsf"), vec![ocsf_batch()])
        .build()
}

#[test]
fn a_struct_column_in_memory_gives_dotted_fields() {
    let e = from_memory();
    assert_eq!(
        csv(
            &e,
            "index=ocsf src_endpoint.ip=10.0.0.1 | table src_endpoint.ip src_endpoint.port tags"
        ),
        "src_endpoint.ip,src_endpoint.port,tags\n10.0.0.1,443,\"auth\nlogin\"\n"
    );
    // a null struct hides its children; `_time` came from the timestamp
    assert_eq!(
        csv(
            &e,
            "index=ocsf | eval t=_time | stats count(src_endpoint.ip) AS ips max(t) AS t"
        ),
        "ips,t\n2,1700000003\n"
    );
}

#[test]
fn memory_and_parquet_give_the_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ocsf.parquet");
    let batch = ocsf_batch();
    let mut w = parquet::arrow::ArrowWriter::try_new(
        std::fs::File::create(&path).unwrap(),
        batch.schema(),
        None,
    )
    .unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    let spec: DataSpec = format!("path={},index=ocsf", path.display())
        .parse()
        .unwrap();
    let file = Engine::builder(NOW).add_data(&spec).unwrap().build();
    let memory = from_memory();
    for q in [
        "index=ocsf | table _time activity src_endpoint.ip src_endpoint.port tags",
        "index=ocsf src_endpoint.port>30 | stats values(src_endpoint.ip) AS ip by activity",
        "index=ocsf tags=ssh | fields src_endpoint.* | fields - _time",
    ] {
        assert_eq!(csv(&memory, q), csv(&file, q), "{q}");
    }
}

#[test]
fn a_column_without_a_text_form_is_a_data_error() {
    // a list of structs (OCSF's `observables`) has no multivalue form
    let item = StructArray::from(vec![(
        Arc::new(Field::new("name", DataType::Utf8, true)),
        Arc::new(StringArray::from(vec!["a"])) as ArrayRef,
    )]);
    let list = ListArray::new(
        Arc::new(Field::new_list_field(item.data_type().clone(), true)),
        arrow_buffer::OffsetBuffer::from_lengths([1]),
        Arc::new(item),
        None,
    );
    let bad = RecordBatch::try_from_iter([("blob", Arc::new(list) as ArrayRef)]).unwrap();
    let meta = SourceMeta::new("main", "blobs", "x");
    let e =
        EngineBuilder::try_add_events(Engine::builder(NOW), meta.clone(), vec![bad.clone()], None)
            .err()
            .unwrap();
    assert!(e.is_data_error(), "{e}");
    assert!(
        e.to_string().contains("blobs") && e.to_string().contains("`blob`"),
        "{e}"
    );
    // `add_events` cannot fail: the search over it does, with the same error
    let engine = Engine::builder(NOW).add_events(meta, vec![bad]).build();
    let e = engine.run("index=main").unwrap_err();
    assert!(e.is_data_error() && e.to_string().contains("`blob`"), "{e}");
}
