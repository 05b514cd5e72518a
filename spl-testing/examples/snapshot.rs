//! Snapshot-testing a detection from Rust: run a search over exported data and
//! render the rows in the stable `.spltest` text form, ready for
//! `insta::assert_snapshot!` (see `spl-engine/tests/snapshot.rs` for the test
//! version of this example).
//!
//! Run with `cargo run -p spl-engine --example snapshot` from the repository root.

use spl_engine::session::Engine;
use spl_engine::source::DataSpec;
use spl_testing::render;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut audit = DataSpec::new(root.join("fixtures/data/k8s-audit-anomalous.jsonl"));
    audit.source = Some("kubernetes".into());
    audit.sourcetype = Some("_json".into());
    // The clock is fixed, so relative times and `_time` renderings never drift.
    let now = spl_engine::time::parse_now("2024-05-01T12:00:00Z")?;
    let engine = Engine::builder(now).add_data(&audit)?.build();
    let result = engine.run(
        r#"source=kubernetes "responseStatus.code"=403 "user.groups{}"="system:unauthenticated"
           | stats count by sourceIPs{} | where count > 8 | sort - count"#,
    )?;
    // In a test: insta::assert_snapshot!(render(&result, engine.context())?);
    print!("{}", render(&result, engine.context())?);
    Ok(())
}
