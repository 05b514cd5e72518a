//! Runs every `| tstats` search of the security_content corpus
//! (`shared/corpus/detections.jsonl`) with the corpus macros and lookups,
//! the built-in CIM, and an empty export registered for every data model
//! dataset (issue 14: "plan and run ... over an empty data-model file"),
//! and prints how many run, by outcome. The figure is reported in
//! docs/compatibility.md; the test fails when it drops below the floor.
//!
//! `cargo test -q -p spl-engine --test corpus_tstats -- --nocapture`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use spl_engine::session::Engine;
use spl_engine::source::{DataKind, Dataset, MemoryScan, SourceMeta};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

fn shared(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus")
        .join(rel)
}

/// The fewest searches that must run (of 950; the rest need lookups the
/// corpus does not ship, MLTK/`summary` commands, or retired data models).
const FLOOR: usize = 884;

#[test]
fn corpus_tstats_searches_run() {
    let Ok(text) = std::fs::read_to_string(shared("detections.jsonl")) else {
        eprintln!("shared/corpus missing: skipped");
        return;
    };
    // Baselines `outputlookup` over the corpus lookups: run on a private
    // copy, so the shared corpus is never written and every run starts
    // from the same lookups.
    let scratch = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir(shared("lookups")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, scratch.path().join(f.file_name().unwrap())).unwrap();
    }
    let mut b = Engine::builder(1_714_564_800.0)
        .load_macros(&shared("macros.jsonl"))
        .unwrap()
        .lookup_dirs(vec![scratch.path().to_path_buf()])
        .geoip(
            &PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../fixtures/geoip/GeoLite2-City-Test.mmdb"),
        )
        .unwrap();
    // an empty export for every model, so every dataset has a (rowless) source
    for m in [
        "Alerts",
        "Authentication",
        "Certificates",
        "Change",
        "Compute_Inventory",
        "DLP",
        "Data_Access",
        "Databases",
        "Email",
        "Endpoint",
        "Event_Signatures",
        "Interprocess_Messaging",
        "Intrusion_Detection",
        "Malware",
        "Network_Resolution",
        "Network_Sessions",
        "Network_Traffic",
        "Performance",
        "Risk",
        "Ticket_Management",
        "Updates",
        "Vulnerabilities",
        "Web",
    ] {
        b = b.add_dataset(Dataset {
            meta: SourceMeta::new("main", "empty", "export"),
            kind: DataKind::DataModel,
            scan: Arc::new(MemoryScan(Vec::new())),
            datamodel: Some(m.to_string()),
        });
    }
    let engine = b.build();
    let mut total = 0;
    let mut ran = 0;
    let mut outcomes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let search = v["search"].as_str().unwrap_or_default();
        if !search
            .trim_start()
            .trim_start_matches('|')
            .trim_start()
            .starts_with("tstats")
        {
            continue;
        }
        total += 1;
        let name = v["name"].as_str().unwrap_or_default().to_string();
        match engine.run(search) {
            Ok(_) => ran += 1,
            Err(e) => {
                let code = miette::Diagnostic::code(&e)
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| "?".into());
                let msg = e.to_string();
                outcomes.entry(code).or_default().push(format!(
                    "{name}: {}",
                    msg.chars().take(160).collect::<String>()
                ));
            }
        }
    }
    println!("corpus tstats searches: {ran} of {total} run");
    for (code, list) in &outcomes {
        println!("  {code}: {}", list.len());
        for l in list.iter().take(8) {
            println!("    {l}");
        }
    }
    assert!(
        total >= 900,
        "expected the corpus's ~950 tstats searches, found {total}"
    );
    assert!(
        ran >= FLOOR,
        "{ran} of {total} tstats searches run, expected at least {FLOOR}"
    );
}
