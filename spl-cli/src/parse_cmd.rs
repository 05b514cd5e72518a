//! `spl parse`: expand macros, parse, print the canonical search and an
//! outline (or the AST as JSON); warn about Splunk commands the engine does
//! not run. Exit codes: 0 parsed, 1 macro or parse error (unknown commands
//! and options included), 2 unreadable input or macro file.

use crate::diagnostic::{render, Located};
use crate::input::QueryInput;
use spl_parser::ast::{Command, Pipeline, Query};
use spl_parser::macros::{expand, MacroSet};
use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `spl parse`.
#[derive(clap::Args)]
pub(crate) struct ParseArgs {
    #[command(flatten)]
    input: QueryInput,
    /// Macro definitions: macros.conf, a corpus `macros.jsonl`, a
    /// security_content macro YAML, or a directory of them (repeatable; later
    /// files override earlier ones; bundled CIM/ES macros are always loaded).
    #[arg(long = "macros", value_name = "PATH")]
    macros: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Also print notes (an undefined `*_filter` macro taken as an empty filter).
    #[arg(short, long)]
    verbose: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    /// Canonical SPL and an outline of the stages.
    Text,
    /// The AST as JSON.
    Json,
}

/// An input problem: message for stderr, exit code 2.
fn input_error(msg: String) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(2)
}

pub(crate) fn run(args: &ParseArgs) -> ExitCode {
    let (query, name) = match args.input.read() {
        Ok(x) => x,
        Err(msg) => return input_error(msg),
    };
    let mut set = MacroSet::with_bundled();
    for p in &args.macros {
        if let Err(e) = set.load_path(p) {
            eprint!("{}", render(&e));
            return ExitCode::from(2);
        }
    }
    let expanded = match expand(&query, &set) {
        Ok(e) => e,
        Err(e) => {
            eprint!("{}", render(&Located::in_query(e, &name, &query)));
            return ExitCode::from(1);
        }
    };
    crate::diagnostic::print_macro_findings(&expanded.warnings, args.verbose);
    let ast = match spl_parser::parse(&expanded.text) {
        Ok(q) => q,
        Err(e) => {
            eprint!("{}", render(&Located::in_expansion(e, &name, &expanded)));
            return ExitCode::from(1);
        }
    };
    // Valid SPL that the engine will not run: warn, so a rule author can
    // lint a detection with `spl parse` (the exit code stays 0).
    for e in spl_engine::registry::unsupported_commands(&ast.pipeline) {
        eprint!(
            "{}",
            render(&Located::in_expansion(e, &name, &expanded).into_warning())
        );
    }
    match args.format {
        // compact: indentation grows with a tree's depth, so pretty output
        // of a long operator chain is quadratic in its length (pipe it
        // through `jq` to read it)
        Format::Json => match serde_json::to_string(&ast) {
            Ok(s) => println!("{s}"),
            Err(e) => return input_error(format!("cannot serialize the AST: {e}")),
        },
        Format::Text => print!("{}", text_output(&ast)),
    }
    ExitCode::SUCCESS
}

/// The canonical search, then one line per stage (subsearches indented).
fn text_output(q: &Query) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{q}");
    let _ = writeln!(out);
    outline(&mut out, &q.pipeline, 0);
    out
}

fn outline(out: &mut String, p: &Pipeline, depth: usize) {
    let pad = "  ".repeat(depth);
    for (k, st) in p.stages.iter().enumerate() {
        let kind = match &st.command {
            Command::Generic(_) => " (untyped)",
            Command::Search(_) if st.name.span.is_empty() => " (implicit)",
            _ => "",
        };
        let _ = writeln!(
            out,
            "{pad}{}. {}{kind} @{}..{}",
            k + 1,
            st.name.node,
            st.span.start,
            st.span.end
        );
        let args = st.command.to_string();
        if !args.is_empty() {
            let _ = writeln!(out, "{pad}     {args}");
        }
        for sub in st.command.subsearches() {
            outline(out, &sub.pipeline, depth + 2);
        }
    }
}
