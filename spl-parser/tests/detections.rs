//! The seed detections in `fixtures/detections/`: their searches are the
//! corpus searches verbatim, they expand and parse, the printer round-trips
//! them, and their ASTs are pinned by snapshots.

use spl_parser::macros::{expand, MacroSet};
use spl_parser::normalize::same_ast;
use std::path::PathBuf;

fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn corpus_search(id: &str) -> String {
    let text =
        std::fs::read_to_string(repo("../../shared/corpus/detections.jsonl")).expect("test setup");
    text.lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("test setup"))
        .find(|v| v["id"] == id)
        .and_then(|v| v["search"].as_str().map(str::to_string))
        .unwrap_or_else(|| panic!("{id} not in the corpus"))
}

fn fixtures() -> Vec<(String, serde_norway::Value)> {
    let mut out: Vec<(String, serde_norway::Value)> =
        std::fs::read_dir(repo("../fixtures/detections"))
            .expect("test setup")
            .map(|e| e.expect("test setup").path())
            .filter(|p| p.extension().is_some_and(|x| x == "yml"))
            // Only the Splunk seed detections: they come from the corpus and have snapshots.
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("kubernetes_"))
            })
            .map(|p| {
                let stem = p
                    .file_stem()
                    .expect("test setup")
                    .to_string_lossy()
                    .into_owned();
                let doc = serde_norway::from_str(&std::fs::read_to_string(&p).expect("test setup"))
                    .expect("test setup");
                (stem, doc)
            })
            .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn seed_detections_parse_and_match_snapshots() {
    let mut set = MacroSet::with_bundled();
    set.load_path(&repo("../../shared/corpus/macros.jsonl"))
        .expect("test setup");
    let all = fixtures();
    assert_eq!(
        all.len(),
        5,
        "four seed detections (the scanning one in both published names)"
    );
    for (stem, doc) in all {
        let id = doc["id"].as_str().expect("test setup");
        let search = doc["search"].as_str().expect("test setup");
        assert_eq!(
            search,
            corpus_search(id),
            "{stem}: search differs from the corpus"
        );
        for key in ["name", "version", "description", "tags", "tests"] {
            assert!(doc.get(key).is_some(), "{stem}: missing `{key}`");
        }
        let expanded = expand(search, &set).expect("test setup");
        let ast = spl_parser::parse(&expanded.text).unwrap_or_else(|e| panic!("{stem}: {e}"));
        let printed = ast.to_string();
        let again = spl_parser::parse(&printed).expect("test setup");
        assert!(
            same_ast(&ast, &again),
            "{stem}: round trip changed the AST: {printed}"
        );
        insta::assert_snapshot!(format!("{stem}.canonical"), printed);
        insta::assert_yaml_snapshot!(stem, ast);
    }
}
