//! Guards the built-in default app's field recall on the corpus's real
//! example events (`../shared/corpus/data_sources.jsonl`; the measure and
//! its table are in `docs/knowledge.md`, reproduced by
//! `cargo run -p spl-testing --bin corpus-knowledge`). A change to the
//! default app or to the extraction code that loses fields fails here.

use spl_testing::corpus_knowledge::{recall, Corpus};
use std::path::PathBuf;

/// The values measured when the default app was written, less a small
/// margin (a field or two per source may move with unrelated changes);
/// the overall floor is issue 13's target.
const OVERALL_AT_LEAST: f64 = 0.90;
const WHOLE_AT_LEAST: f64 = 0.95;
const WHOLE_USED_AT_LEAST: f64 = 0.99;

#[test]
fn default_app_field_recall_on_corpus_examples() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    let corpus = Corpus::load(&dir).expect("shared/corpus beside the repository");
    let r = recall(&corpus).expect("recall");
    let errors: Vec<_> = r
        .sources
        .iter()
        .filter_map(|s| s.error.as_ref().map(|e| format!("{}: {e}", s.name)))
        .collect();
    assert!(errors.is_empty(), "examples that did not run: {errors:#?}");
    assert!(
        r.sources.len() >= 190,
        "{} sources measured",
        r.sources.len()
    );
    let overall = r.overall();
    assert!(
        overall >= OVERALL_AT_LEAST,
        "overall recall fell to {overall:.4} ({} of {})",
        r.found(),
        r.listed()
    );
    let (wf, wl) = r.whole();
    let whole = wf as f64 / wl as f64;
    assert!(
        whole >= WHOLE_AT_LEAST,
        "recall over whole examples fell to {whole:.4} ({wf} of {wl})"
    );
    let (uf, ul) = r.whole_used();
    let used = uf as f64 / ul as f64;
    assert!(
        used >= WHOLE_USED_AT_LEAST,
        "recall of the fields detections use fell to {used:.4} ({uf} of {ul})"
    );
    // the top sources of the corpus's detections read completely
    for name in [
        "Sysmon EventID 1",
        "Windows Event Log Security 4688",
        "Sysmon EventID 13",
        "Sysmon EventID 12",
        "Linux Auditd Syscall",
        "Linux Auditd Execve",
    ] {
        let s = r.sources.iter().find(|s| s.name == name).expect(name);
        assert!(
            s.used_missing.is_empty(),
            "{name}: fields its detections use are missing: {:?}",
            s.used_missing
        );
    }
}
