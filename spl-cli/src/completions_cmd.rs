//! `spl completions <shell>`: prints a shell completion script for `spl`
//! (its subcommands and options), generated from the same clap definition
//! the parser uses, so it never drifts.

use clap_complete::Shell;
use std::process::ExitCode;

/// Arguments of `spl completions`.
#[derive(clap::Args)]
pub(crate) struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish.
    #[arg(value_enum)]
    shell: Shell,
}

pub(crate) fn run(args: &CompletionsArgs, cmd: clap::Command) -> ExitCode {
    let name = cmd.get_name().to_string();
    // hidden subcommands (`docs`, a maintainer command) are not offered:
    // the script is generated from a copy of the command without them
    let shown: Vec<clap::Command> = cmd
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .cloned()
        .collect();
    let mut cmd = clap::Command::new("spl")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommands(shown);
    clap_complete::generate(args.shell, &mut cmd, name, &mut std::io::stdout());
    ExitCode::SUCCESS
}
