//! Registry completeness: every command has an example that runs and a
//! conformance file, every eval function has an example, and the generated
//! reference (`docs/reference/`) is current.
#![allow(clippy::unwrap_used)] // tests may unwrap

use spl_engine::registry::aggregations;
use spl_engine::registry::commands as registry;
use spl_engine::registry::functions;
use spl_testing::reference::{self, EXAMPLES_ENV, REFERENCE_DIR};
use spl_testing::runner::Environment;
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
    for cmd in registry() {
        let (name, spec) = (cmd.name, cmd.spec);
        let pending = EXAMPLES_PENDING.contains(&name);
        if spec.examples.is_empty() && !pending {
            problems.push(format!("{name}: no example in its CommandSpec"));
        }
        if !spec.examples.is_empty() && pending {
            problems.push(format!(
                "{name}: has examples now; remove it from EXAMPLES_PENDING"
            ));
        }
        for ex in spec.examples {
            match reference::run_example(&mut env, ex.spl) {
                Ok(t) if t == "(no results)\n" => problems.push(format!(
                    "{name}: example `{}` returns no rows in {EXAMPLES_ENV}",
                    ex.spl
                )),
                Ok(_) => {}
                Err(e) => problems.push(format!(
                    "{name}: example `{}` fails in {EXAMPLES_ENV}:\n{e}",
                    ex.spl
                )),
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// Every aggregation the engine runs has an example, and each gives its
/// result in the examples environment.
#[test]
fn every_aggregation_example_gives_its_result() {
    let mut env = Environment::from_file(&repo(EXAMPLES_ENV)).unwrap();
    let mut problems = Vec::new();
    let mut n = 0;
    for a in aggregations() {
        if a.runs() && a.examples.is_empty() {
            problems.push(format!("{}: no example", a.name));
        }
        for ex in a.examples {
            n += 1;
            let got = match reference::run_example(&mut env, &ex.spl()) {
                Ok(t) => t.lines().map(str::trim_end).collect::<Vec<_>>().join("\n"),
                Err(e) => e,
            };
            let want = format!("x\n{}", ex.result);
            if got != want {
                problems.push(format!(
                    "{}: `{}` gave\n{got}\nnot\n{want}",
                    a.name, ex.call
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
    assert!(n >= 30, "only {n} examples");
}

/// Commands without `fixtures/conformance/commands/<name>.spltest` yet. This
/// list may only shrink: the test fails when a listed command gets its file.
const CONFORMANCE_PENDING: &[&str] = &[];

#[test]
fn every_command_has_a_conformance_file() {
    let mut problems = Vec::new();
    for cmd in registry() {
        let name = cmd.name;
        let file = format!("fixtures/conformance/commands/{name}.spltest");
        let exists = repo(&file).is_file();
        let pending = CONFORMANCE_PENDING.contains(&name);
        if !exists && !pending {
            problems.push(format!("{name}: missing {file}"));
        }
        if exists && pending {
            problems.push(format!(
                "{name}: {file} exists now; remove it from CONFORMANCE_PENDING"
            ));
        }
    }
    for name in CONFORMANCE_PENDING {
        if !registry().iter().any(|s| s.name == *name) {
            problems.push(format!("{name}: in CONFORMANCE_PENDING but not a command"));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn command_names_are_unique_and_documented() {
    let mut seen = std::collections::HashSet::new();
    for cmd in registry() {
        let decl = spl_parser::command_spec(cmd.name).unwrap();
        assert_eq!(decl.name, cmd.name);
        for name in std::iter::once(&decl.name).chain(decl.aliases) {
            assert!(seen.insert(*name), "command name `{name}` registered twice");
        }
        assert!(
            !cmd.spec.description.is_empty(),
            "{}: empty description",
            cmd.name
        );
        assert!(
            decl.usage.starts_with(cmd.name),
            "{}: usage `{}` does not start with the name",
            cmd.name,
            decl.usage
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
