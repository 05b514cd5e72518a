//! The `spl` command: parse, run and test Splunk detection searches offline,
//! and test KubeArmor policies. `main` only dispatches; each subcommand has its own file.

mod completions_cmd;
mod diagnostic;
mod docs_cmd;
mod explain;
mod input;
mod kubearmor_cmd;
mod output;
mod parse_cmd;
mod progress;
mod run_cmd;
mod stream_out;
mod test_cmd;
mod time_arg;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, Parser, Subcommand};
use std::process::ExitCode;

/// Splunk SPL, offline.
#[derive(Parser)]
#[command(
    name = "spl",
    version,
    about = "Parse and run Splunk SPL detection searches offline"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Parse a search (after macro expansion) and print its AST.
    Parse(parse_cmd::ParseArgs),
    /// Run a search over exported data and print the results.
    Run(run_cmd::RunArgs),
    /// Run `.spltest` files and detection tests; exit 1 on any failure.
    Test(test_cmd::TestArgs),
    /// Generate or check the reference docs (docs/reference/) from the
    /// registries: a maintainer command, run in a checkout of this repository
    /// (hidden from `--help`).
    #[command(hide = true)]
    Docs(docs_cmd::DocsArgs),
    /// Test KubeArmor policies offline over recorded telemetry.
    Kubearmor(kubearmor_cmd::KubearmorArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(completions_cmd::CompletionsArgs),
}

/// Adds a "did you mean" to an unknown subcommand or option when clap found
/// none: clap's similarity (Jaro, above 0.7) misses a swap of two letters in
/// a short word (`rnu`, `--nwo`), which the edit distance every other
/// diagnostic uses catches (`spl_parser::suggest`).
fn with_suggestion(mut err: clap::Error, argv: &[String]) -> clap::Error {
    let word = |kind| match err.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        _ => None,
    };
    // the (sub)command the user is in: follow the subcommand names given
    let mut cmd = Cli::command();
    for a in argv.iter().skip(1).filter(|a| !a.starts_with('-')) {
        match cmd.find_subcommand(a) {
            Some(sub) => cmd = sub.clone(),
            None => break,
        }
    }
    match err.kind() {
        ErrorKind::InvalidSubcommand if err.get(ContextKind::SuggestedSubcommand).is_none() => {
            let Some(w) = word(ContextKind::InvalidSubcommand) else {
                return err;
            };
            let names: Vec<String> = cmd
                .get_subcommands()
                .filter(|c| !c.is_hide_set())
                .map(|c| c.get_name().to_string())
                .collect();
            if let Some(s) = spl_parser::suggest::did_you_mean(&w, names.iter().map(String::as_str))
            {
                err.insert(
                    ContextKind::SuggestedSubcommand,
                    ContextValue::String(s.to_string()),
                );
            }
        }
        ErrorKind::UnknownArgument if err.get(ContextKind::SuggestedArg).is_none() => {
            let Some(w) = word(ContextKind::InvalidArg) else {
                return err;
            };
            let Some(w) = w.strip_prefix("--") else {
                return err;
            };
            let w = w.split_once('=').map_or(w, |(name, _)| name);
            let longs: Vec<String> = cmd
                .get_arguments()
                .filter(|a| !a.is_hide_set())
                .filter_map(|a| a.get_long().map(str::to_string))
                .collect();
            if let Some(s) = spl_parser::suggest::did_you_mean(w, longs.iter().map(String::as_str))
            {
                err.insert(
                    ContextKind::SuggestedArg,
                    ContextValue::String(format!("--{s}")),
                );
            }
        }
        _ => {}
    }
    err
}

/// mimalloc instead of the system allocator: scans allocate and free
/// batch-sized buffers continuously, which glibc's malloc serves with fresh
/// `mmap`s (a page fault per 4 KiB), about a tenth of a large `mstats` run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Stack of the thread that does the work: parsing and evaluating walk
/// expressions recursively, and a query may hold up to
/// `spl_parser::MAX_OPERATORS` operators in one chain (the main thread's
/// 8 MiB would overflow long before). Only the pages used are committed.
const STACK_BYTES: usize = 1 << 30;

/// Ends the process quietly, as a Unix tool killed by SIGPIPE does, when
/// the reader of its output went away (`spl ... | head`); Rust's `print!`
/// panics on that instead. Other panics report as usual.
fn quiet_on_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let msg = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if msg.contains("Broken pipe") && msg.contains("failed printing to stdout") {
            std::process::exit(141);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    quiet_on_broken_pipe();
    let argv: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => with_suggestion(e, &argv).exit(),
    };
    let work = move || match cli.command {
        Cmd::Parse(args) => parse_cmd::run(&args),
        Cmd::Run(args) => run_cmd::run(&args),
        Cmd::Test(args) => test_cmd::run(&args),
        Cmd::Docs(args) => docs_cmd::run(&args),
        Cmd::Kubearmor(args) => kubearmor_cmd::run(args),
        Cmd::Completions(args) => completions_cmd::run(&args, Cli::command()),
    };
    match std::thread::Builder::new()
        .name("spl".into())
        .stack_size(STACK_BYTES)
        .spawn(work)
    {
        Ok(h) => h.join().unwrap_or(ExitCode::from(101)),
        Err(e) => {
            eprintln!("error: cannot start the worker thread: {e}");
            ExitCode::from(2)
        }
    }
}
