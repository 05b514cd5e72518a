//! `spl docs`: generate the reference (`docs/reference/`) from the engine's
//! command and function registries, running each command example in the
//! examples environment. `--check` (the default) exits 1 when the files are
//! out of date; `--write` rewrites them. A maintainer command (hidden from
//! `spl --help`): run it from the root of a checkout of this repository;
//! elsewhere it says so and exits 2.

use spl_testing::reference::{self, EXAMPLES_ENV, REFERENCE_DIR};
use spl_testing::runner::Environment;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `spl docs`.
#[derive(clap::Args)]
pub(crate) struct DocsArgs {
    /// Rewrite the reference files (default: only check them).
    #[arg(long, conflicts_with = "check")]
    write: bool,
    /// Check that the reference files are current; exit 1 when not.
    #[arg(long)]
    check: bool,
    /// The reference directory.
    #[arg(long, value_name = "DIR", default_value = REFERENCE_DIR)]
    out: PathBuf,
    /// The setup file the command examples run in.
    #[arg(long, value_name = "FILE", default_value = EXAMPLES_ENV)]
    examples_env: PathBuf,
}

pub(crate) fn run(args: &DocsArgs) -> ExitCode {
    if !args.examples_env.is_file() || (!args.write && !args.out.is_dir()) {
        eprintln!(
            "error: `spl docs` is a maintainer command: it checks or regenerates the reference \
             ({}) of a checkout of the spl repository, and {} is not here; run it from the \
             repository root, or pass --examples-env FILE and --out DIR",
            args.out.display(),
            if args.examples_env.is_file() {
                args.out.display()
            } else {
                args.examples_env.display()
            }
        );
        return ExitCode::from(2);
    }
    let mut env = match Environment::from_file(&args.examples_env) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {e} (run from the repository root or pass --examples-env)");
            return ExitCode::from(2);
        }
    };
    let files = reference::generate(&mut env);
    if args.write {
        match reference::write(&args.out, &files) {
            Ok(changed) => {
                for c in &changed {
                    println!("{c}");
                }
                println!("{} files, {} changed", files.len(), changed.len());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", args.out.display());
                ExitCode::from(2)
            }
        }
    } else {
        let problems = reference::check(&args.out, &files);
        for p in &problems {
            println!("{p}");
        }
        if problems.is_empty() {
            println!("{} files, all current", files.len());
            ExitCode::SUCCESS
        } else {
            println!("run `spl docs --write` to regenerate");
            ExitCode::from(1)
        }
    }
}
