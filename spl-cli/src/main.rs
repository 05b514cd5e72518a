//! The `spl` command: parse (and, later, run and test) Splunk detection
//! searches offline. `main` only dispatches; each subcommand has its own file.

mod diagnostic;
mod input;
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Cmd::Parse(args) => parse_cmd::run(&args),
        Cmd::Run(args) => run_cmd::run(&args),
        Cmd::Test(args) => test_cmd::run(&args),
    }
}
