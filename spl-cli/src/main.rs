//! The `spl` command: parse, run and test Splunk detection searches offline,
//! and test KubeArmor policies. `main` only dispatches; each subcommand has its own file.

mod diagnostic;
mod docs_cmd;
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Cmd::Parse(args) => parse_cmd::run(&args),
        Cmd::Run(args) => run_cmd::run(&args),
        Cmd::Test(args) => test_cmd::run(&args),
        Cmd::Docs(args) => docs_cmd::run(&args),
        Cmd::Kubearmor(args) => kubearmor_cmd::run(args),
    }
}
