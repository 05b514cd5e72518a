//! Parses every search of the security_content corpus
//! (`shared/corpus/detections.jsonl`) after macro expansion with the corpus
//! macros plus the bundled CIM/ES ones, checks the canonical printer round
//! trip on each, and holds the list of known failures to the truth.
//!
//! `corpus_known_failures.txt` lists `id  reason` lines; it may only shrink:
//! the test fails when a listed id parses (remove it) and when an unlisted id
//! fails (fix the parser).

use spl_parser::macros::{expand, MacroSet};
use spl_parser::normalize::same_ast;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn repo_file(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

struct Detection {
    id: String,
    name: String,
    search: String,
}

fn detections() -> Vec<Detection> {
    let text = std::fs::read_to_string(repo_file("../../shared/corpus/detections.jsonl"))
        .expect("shared/corpus/detections.jsonl beside the repository");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("corpus json");
            Detection {
                id: v["id"].as_str().expect("id").to_string(),
                name: v["name"].as_str().expect("name").to_string(),
                search: v["search"].as_str().expect("search").to_string(),
            }
        })
        .collect()
}

fn macros() -> MacroSet {
    let mut set = MacroSet::with_bundled();
    set.load_path(&repo_file("../../shared/corpus/macros.jsonl"))
        .expect("corpus macros load");
    set
}

fn known_failures() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(repo_file("tests/corpus_known_failures.txt"))
        .expect("corpus_known_failures.txt");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (id, reason) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
            (id.to_string(), reason.trim().to_string())
        })
        .collect()
}

#[test]
fn corpus_parses_and_round_trips() {
    let set = macros();
    let all = detections();
    assert_eq!(all.len(), 1824);
    let known = known_failures();
    for (id, reason) in &known {
        assert!(
            !reason.is_empty(),
            "{id}: every known failure needs a reason"
        );
    }

    let mut failed: BTreeSet<String> = BTreeSet::new();
    let mut report = Vec::new();
    let mut roundtrip_errors = Vec::new();
    for d in &all {
        let expanded = match expand(&d.search, &set) {
            Ok(e) => e,
            Err(e) => {
                failed.insert(d.id.clone());
                report.push(format!("{} ({}): macro expansion: {e}", d.id, d.name));
                continue;
            }
        };
        match spl_parser::parse(&expanded.text) {
            Ok(q) => {
                let printed = q.to_string();
                match spl_parser::parse(&printed) {
                    Ok(again) if same_ast(&q, &again) => {}
                    Ok(_) => roundtrip_errors.push(format!("{}: AST changed: {printed}", d.id)),
                    Err(e) => roundtrip_errors.push(format!("{}: reparse: {e}: {printed}", d.id)),
                }
            }
            Err(e) => {
                failed.insert(d.id.clone());
                report.push(format!("{} ({}): {e}", d.id, d.name));
            }
        }
    }

    let parsed = all.len() - failed.len();
    let rate = parsed as f64 / all.len() as f64;
    eprintln!(
        "corpus: {parsed}/{} parse ({:.2}%)",
        all.len(),
        rate * 100.0
    );
    assert!(
        roundtrip_errors.is_empty(),
        "round trip broken:\n{}",
        roundtrip_errors.join("\n")
    );
    let unexpected: Vec<&String> = report
        .iter()
        .filter(|r| !known.keys().any(|id| r.starts_with(id.as_str())))
        .collect();
    assert!(
        unexpected.is_empty(),
        "new parse failures (fix them or, with a reason, list them in corpus_known_failures.txt):\n{}",
        unexpected.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
    );
    let fixed: Vec<&String> = known.keys().filter(|id| !failed.contains(*id)).collect();
    assert!(
        fixed.is_empty(),
        "these ids now parse; remove them from corpus_known_failures.txt: {fixed:?}"
    );
    assert!(rate >= 0.995, "parse rate {rate:.4} below 99.5%");
}
