//! Registry completeness: every command has an example that runs and a
//! conformance file, every eval function has an example, and the generated
//! reference (`docs/reference/`) is current.
#![allow(clippy::unwrap_used)] // tests may unwrap

use spl_engine::commands::COMMANDS;
use spl_engine::eval::functions::functions;
use spl_engine::testing::reference::{self, EXAMPLES_ENV, REFERENCE_DIR};
use spl_engine::testing::runner::Environment;
use std::path::PathBuf;

fn repo(rel: &str) -> PathBuf {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    crate_dir.parent().unwrap().join(rel)
}

/// Commands whose `CommandSpec` has no example yet. This list may only
/// shrink: the test fails when a listed command gains an example.
const EXAMPLES_PENDING: &[&str] = &[];

#[test]
fn every_command_has_an_example_that_runs() {
    let mut env = Environment::from_file(&repo(EXAMPLES_ENV)).unwrap();
    let mut problems = Vec::new();
    for spec in COMMANDS {
        let pending = EXAMPLES_PENDING.contains(&spec.name);
        if spec.examples.is_empty() && !pending {
            problems.push(format!("{}: no example in its CommandSpec", spec.name));
        }
        if !spec.examples.is_empty() && pending {
            problems.push(format!(
                "{}: has examples now; remove it from EXAMPLES_PENDING",
                spec.name
            ));
        }
        for ex in spec.examples {
            match reference::run_example(&mut env, ex.spl) {
                Ok(t) if t == "(no results)\n" => problems.push(format!(
                    "{}: example `{}` returns no rows in {EXAMPLES_ENV}",
                    spec.name, ex.spl
                )),
                Ok(_) => {}
                Err(e) => problems.push(format!(
                    "{}: example `{}` fails in {EXAMPLES_ENV}:\n{e}",
                    spec.name, ex.spl
                )),
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// Commands without `fixtures/conformance/commands/<name>.spltest` yet. This
/// list may only shrink: the test fails when a listed command gets its file.
const CONFORMANCE_PENDING: &[&str] = &[];

#[test]
fn every_command_has_a_conformance_file() {
    let mut problems = Vec::new();
    for spec in COMMANDS {
        let file = format!("fixtures/conformance/commands/{}.spltest", spec.name);
        let exists = repo(&file).is_file();
        let pending = CONFORMANCE_PENDING.contains(&spec.name);
        if !exists && !pending {
            problems.push(format!("{}: missing {file}", spec.name));
        }
        if exists && pending {
            problems.push(format!(
                "{}: {file} exists now; remove it from CONFORMANCE_PENDING",
                spec.name
            ));
        }
    }
    for name in CONFORMANCE_PENDING {
        if !COMMANDS.iter().any(|s| s.name == *name) {
            problems.push(format!("{name}: in CONFORMANCE_PENDING but not a command"));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn command_names_are_unique_and_documented() {
    let mut seen = std::collections::HashSet::new();
    for spec in COMMANDS {
        for name in std::iter::once(&spec.name).chain(spec.aliases) {
            assert!(seen.insert(*name), "command name `{name}` registered twice");
        }
        assert!(!spec.synopsis.is_empty(), "{}: empty synopsis", spec.name);
        assert!(
            !spec.description.is_empty(),
            "{}: empty description",
            spec.name
        );
        assert!(
            spec.synopsis.starts_with(spec.name),
            "{}: synopsis `{}` does not start with the name",
            spec.name,
            spec.synopsis
        );
    }
}

/// Eval functions without an example, because their result cannot be pinned
/// by the exact-result example check (`random`). May only shrink.
const FN_EXAMPLES_PENDING: &[&str] = &[];

#[test]
fn every_function_has_an_example() {
    let mut problems = Vec::new();
    for f in functions() {
        let pending = FN_EXAMPLES_PENDING.contains(&f.name);
        if f.examples.is_empty() && !pending {
            problems.push(format!("{}: no example in its FunctionSpec", f.name));
        }
        if !f.examples.is_empty() && pending {
            problems.push(format!(
                "{}: has examples now; remove it from FN_EXAMPLES_PENDING",
                f.name
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn reference_docs_are_current() {
    let mut env = Environment::from_file(&repo(EXAMPLES_ENV)).unwrap();
    let files = reference::generate(&mut env);
    let problems = reference::check(&repo(REFERENCE_DIR), &files);
    assert!(
        problems.is_empty(),
        "docs/reference is out of date; run `spl docs --write` from the repository root:\n{}",
        problems.join("\n")
    );
}
