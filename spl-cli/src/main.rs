//! The `spl` command: parse, run and test Splunk detection searches offline,
//! and test KubeArmor policies. `main` only dispatches; each subcommand has its own file.

mod diagnostic;
mod docs_cmd;
mod explain;
mod input;
mod kubearmor_cmd;
mod parse_cmd;
mod run_cmd;
mod test_cmd;

use clap::{Parser, Subcommand};
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
    /// Generate or check the reference docs (docs/reference/) from the registries.
    Docs(docs_cmd::DocsArgs),
    /// Test KubeArmor policies offline over recorded telemetry.
    Kubearmor(kubearmor_cmd::KubearmorArgs),
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
    let cli = Cli::parse();
    let work = move || match cli.command {
        Cmd::Parse(args) => parse_cmd::run(&args),
        Cmd::Run(args) => run_cmd::run(&args),
        Cmd::Test(args) => test_cmd::run(&args),
        Cmd::Docs(args) => docs_cmd::run(&args),
        Cmd::Kubearmor(args) => kubearmor_cmd::run(args),
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
