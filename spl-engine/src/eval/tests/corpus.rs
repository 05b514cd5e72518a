//! Binds every eval/where expression of the security_content corpus
//! (`shared/corpus/detections.jsonl`, macros expanded; found with the AST's
//! own walk: `Pipeline::walk_stages` and `Command::exprs`) against the
//! function registry, and evaluates each one on a small batch of text
//! fields, so an unknown function, a wrong arity, a regex the engine cannot
//! compile, or a panic in a function shows up here.

use super::super::BoundExpr;
use crate::context::ExecContext;
use arrow_array::{ArrayRef, RecordBatch, StringArray};
use serde_json::Value;
use spl_parser::macros::{expand, MacroSet};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

fn corpus(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus")
        .join(file)
}

/// Failures we expect, by the start of the error message, with the reason.
/// A new kind of failure fails the test, and so does a listed one that no
/// longer occurs.
/// (Empty since regexes are PCRE: the two searches whose look-ahead in
/// `replace()`/`match()` Rust's `regex` rejected now bind.)
const KNOWN: &[(&str, &str)] = &[];

#[test]
fn corpus_expressions_bind_and_evaluate() {
    let text = std::fs::read_to_string(corpus("detections.jsonl"))
        .expect("shared/corpus beside the repository");
    let mut macros = MacroSet::with_bundled();
    macros
        .load_path(&corpus("macros.jsonl"))
        .expect("corpus macros");
    let ctx = ExecContext::new(1_700_000_000.0);
    let mut total = 0;
    let mut parsed = 0;
    let mut failures: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).expect("json");
        let name = v["name"].as_str().unwrap_or("?").to_string();
        let Ok(expanded) = expand(v["search"].as_str().unwrap_or(""), &macros) else {
            continue;
        };
        let Ok(query) = spl_parser::parse(&expanded.text) else {
            continue;
        };
        parsed += 1;
        let mut exprs = Vec::new();
        query
            .pipeline
            .walk_stages(&mut |st| exprs.extend(st.command.exprs()));
        for e in exprs {
            total += 1;
            let mut fields = Vec::new();
            match BoundExpr::bind(e, &ctx) {
                Ok(b) => {
                    fields.extend(b.referenced_fields());
                    // Evaluate on three rows of plausible text values.
                    let cols: Vec<(String, ArrayRef)> = fields
                        .iter()
                        .map(|f| {
                            let a: ArrayRef = Arc::new(StringArray::from(vec![
                                Some("10"),
                                Some("C:\\Windows\\x.exe"),
                                None,
                            ]));
                            (f.clone(), a)
                        })
                        .collect();
                    let batch = if cols.is_empty() {
                        RecordBatch::try_new_with_options(
                            Arc::new(arrow_schema::Schema::empty()),
                            vec![],
                            &arrow_array::RecordBatchOptions::new().with_row_count(Some(3)),
                        )
                        .unwrap()
                    } else {
                        RecordBatch::try_from_iter(cols).unwrap()
                    };
                    if let Err(err) = b.eval(&batch, &ctx) {
                        failures
                            .entry(format!("eval: {err}"))
                            .or_default()
                            .push(name.clone());
                    }
                }
                Err(err) => failures
                    .entry(err.to_string())
                    .or_default()
                    .push(name.clone()),
            }
        }
    }
    eprintln!("corpus: {parsed} searches parsed, {total} expressions");
    for (msg, names) in &failures {
        eprintln!("  {msg} ({} searches, e.g. {})", names.len(), names[0]);
    }
    assert!(parsed > 1500, "only {parsed} searches parsed");
    assert!(total > 1000, "only {total} expressions");
    let unexplained: Vec<_> = failures
        .keys()
        .filter(|m| !KNOWN.iter().any(|(k, _)| m.starts_with(k)))
        .collect();
    assert!(
        unexplained.is_empty(),
        "unexplained failures: {unexplained:#?}"
    );
    let fixed: Vec<_> = KNOWN
        .iter()
        .filter(|(k, _)| !failures.keys().any(|m| m.starts_with(k)))
        .collect();
    assert!(
        fixed.is_empty(),
        "known failures that no longer occur: {fixed:?}"
    );
}
