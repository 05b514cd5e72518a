//! Expands every search of the security_content corpus
//! (`shared/corpus/detections.jsonl`) with the corpus macros plus the bundled
//! CIM/ES ones, and checks the source map over the results.

use spl_parser::macros::{expand, MacroDef, MacroSet};
use spl_parser::{ParseError, Span};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::Instant;

fn corpus(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus")
        .join(file)
}

struct Search {
    name: String,
    search: String,
}

fn searches() -> Vec<Search> {
    let text = std::fs::read_to_string(corpus("detections.jsonl"))
        .expect("shared/corpus/detections.jsonl beside the repository");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("corpus json");
            Search {
                name: v["name"].as_str().expect("name").to_string(),
                search: v["search"].as_str().expect("search").to_string(),
            }
        })
        .collect()
}

fn corpus_macros(with_bundled: bool) -> MacroSet {
    let mut set = if with_bundled {
        MacroSet::with_bundled()
    } else {
        MacroSet::new()
    };
    let n = set
        .load_path(&corpus("macros.jsonl"))
        .expect("corpus macros load");
    assert_eq!(n, 189);
    set
}

/// Failures we expect, by search name, with the reason. Must stay empty or
/// explained: a new failure fails the test, and so does a listed one that passes.
const KNOWN_FAILURES: &[(&str, &str)] = &[];

#[test]
fn macros_corpus_expands_every_search() {
    let set = corpus_macros(true);
    let all = searches();
    assert_eq!(all.len(), 1824);
    let start = Instant::now();
    let mut failures: BTreeMap<String, String> = BTreeMap::new();
    let mut warnings = 0;
    let mut expansions = 0;
    let mut bytes = 0;
    for s in &all {
        match expand(&s.search, &set) {
            Ok(e) => {
                warnings += e.warnings.len();
                expansions += e.source_map.expansion_count();
                bytes += e.text.len();
            }
            Err(err) => {
                failures.insert(s.name.clone(), err.to_string());
            }
        }
    }
    let elapsed = start.elapsed();
    eprintln!(
        "corpus: {} searches, {} failures, {} macro expansions, {} `_filter` warnings, {} bytes out, {:?}",
        all.len(),
        failures.len(),
        expansions,
        warnings,
        bytes,
        elapsed
    );
    for (name, err) in &failures {
        eprintln!("  FAIL {name}: {err}");
    }
    let known: BTreeMap<String, String> = KNOWN_FAILURES
        .iter()
        .map(|(n, r)| (n.to_string(), r.to_string()))
        .collect();
    let unexplained: Vec<_> = failures
        .keys()
        .filter(|k| !known.contains_key(*k))
        .collect();
    let fixed: Vec<_> = known
        .keys()
        .filter(|k| !failures.contains_key(*k))
        .collect();
    assert!(
        unexplained.is_empty(),
        "unexplained failures: {unexplained:?}"
    );
    assert!(fixed.is_empty(), "known failures that now pass: {fixed:?}");
    // Every detection calls its (undefined) `<name>_filter`.
    assert!(warnings >= 1711, "{warnings}");
    assert!(expansions > 6000, "{expansions}");
}

#[test]
fn macros_corpus_expansion_leaves_no_macro_calls() {
    // Re-expanding the output with no macros must be the identity: every call
    // and comment outside quotes is gone.
    let set = corpus_macros(true);
    let empty = MacroSet::new();
    for s in searches() {
        let e = expand(&s.search, &set).unwrap();
        let again = expand(&e.text, &empty)
            .unwrap_or_else(|err| panic!("{}: re-expansion failed: {err}\n{}", s.name, e.text));
        assert_eq!(again.text, e.text, "{}", s.name);
        assert!(again.warnings.is_empty());
    }
}

#[test]
fn macros_corpus_no_call_left_behind() {
    // Independent of the expander's scanner: after expansion no `` `name` `` /
    // `` `name( `` of a defined macro or a `_filter` remains outside a string
    // literal (tracked here with a plain toggle on unescaped quotes). Calls in
    // strings stay: two Zoom searches quote one in `relative_time`, and several
    // pass a search string to `map`, which expands macros when it runs it.
    let set = corpus_macros(true);
    let names: Vec<String> = set.names().map(str::to_string).collect();
    let mut literal = Vec::new();
    for s in searches() {
        let t = expand(&s.search, &set).unwrap().text;
        let mut in_quote = false;
        let mut prev = '\0';
        for (i, c) in t.char_indices() {
            if c == '"' && prev != '\\' {
                in_quote = !in_quote;
            }
            prev = if prev == '\\' && c == '\\' { '\0' } else { c };
            if c != '`' {
                continue;
            }
            let rest = &t[i + 1..];
            let word: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let after = rest[word.len()..].chars().next();
            let is_call = !word.is_empty()
                && matches!(after, Some('`' | '('))
                && (names.contains(&word) || word.ends_with("_filter"));
            if is_call {
                assert!(in_quote, "{}: call left at {i}: {}", s.name, &t[i..]);
                literal.push(word);
            }
        }
    }
    literal.sort();
    literal.dedup();
    assert_eq!(
        literal,
        [
            "drop_dm_object_name",
            "potential_password_in_username_false_positive_reduction",
            "previously_seen_zoom_child_processes_forget_window",
            "previously_seen_zoom_child_processes_window",
            "security_content_summariesonly",
            "wineventlog_security",
        ]
    );
}

#[test]
fn macros_corpus_source_map_maps_bytes_back() {
    let set = corpus_macros(true);
    let mut checked = 0usize;
    let mut replaced = 0usize;
    for s in searches() {
        let e = expand(&s.search, &set).unwrap();
        let t = &e.text;
        // Every 5th char boundary: a one-byte-or-char span maps to the same text
        // in its origin, unless it is a comment's space or a `_filter` placeholder.
        for (i, c) in t.char_indices().step_by(5) {
            let span = Span::new(i, i + c.len_utf8());
            let loc = e.locate(span);
            let src = e.source_map.source_text(loc.source).unwrap();
            let got = src
                .get(loc.span_in_origin.range())
                .unwrap_or_else(|| panic!("{}: span {span:?} -> {loc:?} outside source", s.name));
            if loc.span_in_origin.len() == c.len_utf8() {
                assert_eq!(got, &t[span.range()], "{} at {i}", s.name);
                checked += 1;
            } else {
                // Replacements: comment space (from ```...```) or filter placeholder.
                assert!(
                    got.starts_with("```") || got.ends_with("_filter`"),
                    "{}: {span:?} -> {got:?}",
                    s.name
                );
                replaced += 1;
            }
            // The blamed query span is always inside the query.
            let q = loc.query_span();
            assert!(s.search.get(q.range()).is_some(), "{}: {q:?}", s.name);
        }
    }
    eprintln!("source map: {checked} positions mapped byte for byte, {replaced} replacements");
    assert!(checked > 100_000, "{checked}");
}

#[test]
fn macros_corpus_called_but_undefined_are_bundled() {
    // The macros the corpus calls but does not define (other than `*_filter`)
    // must be exactly the bundled top-level ones.
    let mut set = corpus_macros(false);
    let mut missing: BTreeSet<String> = BTreeSet::new();
    for s in searches() {
        loop {
            match expand(&s.search, &set) {
                Ok(_) => break,
                Err(ParseError::MacroUndefined { name, .. }) => {
                    // Find the arity from the call text; define a stub and retry.
                    let arity = arity_of_call(&s.search, &name);
                    missing.insert(format!("{name}({arity})"));
                    let args: Vec<String> = (0..arity).map(|i| format!("a{i}")).collect();
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    set.insert(MacroDef::new(&name, &args, "stub"));
                }
                Err(e) => panic!("{}: {e}", s.name),
            }
        }
    }
    let bundled: BTreeSet<String> = MacroSet::with_bundled()
        .iter()
        .map(|d| format!("{}({})", d.name, d.arity()))
        .filter(|k| k != "get_notable_index(0)")
        .collect();
    assert_eq!(missing, bundled);
}

fn arity_of_call(search: &str, name: &str) -> usize {
    let pat = format!("`{name}");
    let at = search.find(&pat).expect("call present") + pat.len();
    let rest = &search[at..];
    let end = rest.find('`').expect("closing backtick");
    let call = rest[..end].trim();
    if call.is_empty() {
        0
    } else {
        call.matches(',').count() + 1
    }
}

#[test]
fn macros_corpus_quoted_macro_stays_literal() {
    // Two detections pass a macro call inside a quoted relative_time argument;
    // Splunk does not expand macros inside quotes, and neither do we.
    let set = corpus_macros(true);
    let s = searches()
        .into_iter()
        .find(|s| s.name == "First Time Seen Child Process of Zoom")
        .unwrap();
    let e = expand(&s.search, &set).unwrap();
    assert!(e
        .text
        .contains("relative_time(now(), \"`previously_seen_zoom_child_processes_window`\")"));
    assert!(e.text.contains("rename Processes.* AS *"));
}

/// Timing probe: `cargo test --release -p spl-parser --test macros_corpus -- --ignored --nocapture`.
#[test]
#[ignore]
fn macros_corpus_timing() {
    let set = corpus_macros(true);
    let all = searches();
    for round in 0..5 {
        let start = Instant::now();
        let mut n = 0;
        for s in &all {
            n += expand(&s.search, &set).unwrap().text.len();
        }
        eprintln!("round {round}: {:?} ({n} bytes)", start.elapsed());
    }
}
