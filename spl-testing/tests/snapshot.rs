//! Embedding example: pin a search's output with an insta snapshot of
//! `spl_testing::render` (the `.spltest` table form).
#![allow(clippy::unwrap_used)] // tests may unwrap

use spl_engine::session::Engine;
use spl_engine::source::DataSpec;
use spl_testing::render;

#[test]
fn anonymous_403s_by_address() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut audit = DataSpec::new(root.join("fixtures/data/k8s-audit-anomalous.jsonl"));
    audit.source = Some("kubernetes".into());
    audit.sourcetype = Some("_json".into());
    let now = spl_engine::time::parse_now("2024-05-01T12:00:00Z").unwrap();
    let engine = Engine::builder(now).add_data(&audit).unwrap().build();
    let result = engine
        .run(
            r#"source=kubernetes "responseStatus.code"=403 "user.groups{}"="system:unauthenticated"
               | stats count by sourceIPs{} | where count > 8 | sort - count"#,
        )
        .unwrap();
    insta::assert_snapshot!(render(&result, engine.context()).unwrap(), @r"
    sourceIPs{}  | count
    10.0.3.17    | 20
    81.2.69.142  | 12
    203.0.113.7  | 10
    67.43.156.20 | 9
    ");
}
