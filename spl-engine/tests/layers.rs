//! The engine's modules form layers, and a module may use only the modules
//! below it (issue 12: no import cycle, in particular none through
//! `commands/`). This reads the sources and checks every `crate::` path
//! outside comments against the order below; `commands/<name>` may also not
//! use another command (shared code lives in `ops/`), and only the registry
//! (`commands/mod.rs`) sees them all.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

/// Top-level modules in layers, lowest first. A module may use the modules
/// of its own layer and of the layers before it. Only `context` and
/// `operator` share a layer: a context holds the planner, and operators run
/// in a context.
const LAYERS: &[&[&str]] = &[
    // primitives: errors, SPL values, regexes, warnings, command metadata
    &["error"],
    // atomic file writes and locks (std only; used by lookups and the CLI)
    &["atomic_file"],
    // configuration and query files read whole, with a size cap (std only)
    &["text_file"],
    &["value"],
    &["pcre"],
    &["warning"],
    // what `--explain` reports (data types only)
    &["explain"],
    &["limits"],
    &["spec"],
    // time, batches and how they print
    &["time"],
    &["batch"],
    &["render"],
    // aggregation state, GeoIP, data readers, lookups
    &["aggregate"],
    &["geoip"],
    &["source"],
    &["lookup"],
    // data model definitions (Splunk's data model JSON, the built-in CIM)
    &["datamodel"],
    // what a running search sees, and the operator model
    &["context", "operator"],
    // the two expression languages: search terms, then eval
    &["filter"],
    &["eval"],
    // search-time knowledge from Splunk apps (uses eval, filter, lookups)
    &["knowledge"],
    // building blocks several commands share, then the commands
    &["ops"],
    &["commands"],
    // the planner, then the embedding API and its introspection
    &["plan"],
    &["session"],
    // what the engine runs, for help and docs
    &["registry"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file without `//` comments (doc links may name any
/// module) and without its unit tests (they may drive the engine from the
/// top, through `session`).
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::<module>` a file's code names.
fn crate_refs(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + 7..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        // `$crate::` in macros and `spl_parser::...` are not ours
        let before = rest[..i].chars().last();
        if !name.is_empty() && before != Some('$') && before != Some('_') {
            out.push(name);
        }
        rest = after;
    }
    out
}

#[test]
fn modules_use_only_the_layers_below_them() {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut problems = Vec::new();
    for f in files {
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        // unit-test modules in files of their own (`ops/tests/`), like the
        // unit tests at the end of a file, may drive the engine from the top
        if rel == "lib.rs" || rel.split('/').any(|part| part == "tests") {
            continue;
        }
        let top = rel.split('/').next().unwrap().trim_end_matches(".rs");
        let Some(level) = layer(top) else {
            problems.push(format!(
                "{rel}: module `{top}` is in no layer (add it to LAYERS)"
            ));
            continue;
        };
        let text = code(&std::fs::read_to_string(&f).unwrap());
        for r in crate_refs(&text) {
            match layer(&r) {
                Some(l) if l <= level => {}
                Some(_) => {
                    problems.push(format!("{rel}: uses `crate::{r}`, a layer above `{top}`"))
                }
                None => {} // a re-export at the crate root (`crate::Result`)
            }
        }
        // a command uses no other command; only the registry sees them all
        if top == "commands" && rel != "commands/mod.rs" {
            let own = rel
                .trim_start_matches("commands/")
                .split('/')
                .next()
                .unwrap()
                .trim_end_matches(".rs")
                .to_string();
            let mut rest = text.as_str();
            while let Some(i) = rest.find("commands::") {
                let after = &rest[i + 10..];
                let name: String = after
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != own {
                    problems.push(format!("{rel}: uses the command `{name}`"));
                }
                rest = after;
            }
            if !rel.contains(&format!("commands/{own}/")) && text.contains("super::") {
                problems.push(format!("{rel}: uses `super::` (the registry)"));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
