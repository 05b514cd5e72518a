//! Runs every `.spltest` file under `fixtures/conformance/` and fails with the
//! diffs. `SPLTEST_BLESS=1` rewrites the expected blocks in place (review the
//! change with `git diff`); `SPLTEST_FILTER=text` runs only the files whose
//! path contains `text`.
#![allow(clippy::unwrap_used)] // tests may unwrap

use spl_testing::runner::RunOptions;
use spl_testing::suite::{collect, run_one, SuiteReport};
use std::path::PathBuf;

#[test]
fn conformance_suite() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/conformance");
    let filter = std::env::var("SPLTEST_FILTER").unwrap_or_default();
    let opts = RunOptions {
        bless: std::env::var_os("SPLTEST_BLESS").is_some_and(|v| v == "1"),
        ..Default::default()
    };
    let files: Vec<PathBuf> = collect(&root)
        .unwrap()
        .into_iter()
        .filter(|f| f.extension().is_some_and(|x| x == "spltest"))
        .filter(|f| f.display().to_string().contains(&filter))
        .collect();
    assert!(
        !files.is_empty(),
        "no .spltest files under {}",
        root.display()
    );
    let mut report = SuiteReport::default();
    for f in files {
        let r = run_one(&f, &opts);
        report.files.push((f, r));
    }
    let summary = report.summary();
    eprintln!("conformance: {summary}");
    assert_eq!(report.failed(), 0, "\n{}\n{summary}", report.details());
}
