//! Embedding the engine: register exported data and a clock, run a search,
//! print the rows as JSON lines.
//!
//! Run with `cargo run -p spl-engine --example quickstart` from the repository root.

use arrow_array::{Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use spl_engine::render;
use spl_engine::session::Engine;
use spl_engine::source::{DataSpec, SourceMeta};
use std::sync::Arc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // In-memory events: any Arrow batch whose columns are fields.
    let schema = Arc::new(Schema::new(vec![
        Field::new("_time", DataType::Float64, true),
        Field::new("user", DataType::Utf8, true),
        Field::new("action", DataType::Utf8, true),
    ]));
    let batch = RecordBatch::try_new(
        schema,
        vec![
            Arc::new(Float64Array::from(vec![
                1_714_560_000.0,
                1_714_560_060.0,
                1_714_560_120.0,
            ])),
            Arc::new(StringArray::from(vec!["alice", "bob", "alice"])),
            Arc::new(StringArray::from(vec!["login", "login", "logout"])),
        ],
    )?;
    let mut builder = Engine::builder(1_714_564_800.0) // the clock: 2024-05-01T12:00:00Z
        .add_events(SourceMeta::new("auth", "example", "_json"), vec![batch]);

    // Exported files: the same `--data` specs the CLI takes.
    let audit = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/data/k8s-audit-anomalous.jsonl");
    if audit.exists() {
        let spec: DataSpec = format!(
            "path={},source=kubernetes,sourcetype=_json",
            audit.display()
        )
        .parse()?;
        builder = builder.add_data(&spec)?;
    }
    let engine = builder.build();

    for query in [
        "index=auth action=login | stats count by user",
        "source=kubernetes \"responseStatus.code\"=403 | stats count by verb | sort - count | head 3",
    ] {
        let result = engine.run(query)?;
        let table = render::table(&result.batches, &engine.context().tz)?;
        println!("# {query}");
        print!("{}", render::to_jsonl(&table));
    }
    Ok(())
}
