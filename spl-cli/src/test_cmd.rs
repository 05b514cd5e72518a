//! `spl test`: run `.spltest` golden files and detection YAML tests, print
//! each failure with its diff, and end with `N passed, M failed` (plus
//! `, K skipped`). Exit code 1 when anything failed, 0 otherwise.

use spl_testing::detection::DetectionOptions;
use spl_testing::runner::RunOptions;
use spl_testing::suite::run_paths;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `spl test`.
#[derive(clap::Args)]
pub(crate) struct TestArgs {
    /// `.spltest` files, detection YAMLs, or directories holding them (default: `.`).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Rewrite expected blocks (and detection `.expected` files) from the actual output.
    #[arg(long)]
    bless: bool,
    /// Detection tests: macro definitions (file or directory; repeatable).
    #[arg(long = "macros", value_name = "PATH")]
    macros: Vec<PathBuf>,
    /// Detection tests: lookup directories (repeatable).
    #[arg(long = "lookups", value_name = "DIR")]
    lookups: Vec<PathBuf>,
    /// Detection tests: Splunk apps (an app folder or a folder of apps;
    /// repeatable) whose knowledge objects apply to the events.
    #[arg(long = "apps", value_name = "PATH")]
    apps: Vec<PathBuf>,
    /// Detection tests: leave out the engine's built-in default app.
    #[arg(long = "no-default-apps")]
    no_default_apps: bool,
    /// Detection tests: MaxMind GeoIP database for iplocation (default: $SPL_GEOIP_DB).
    #[arg(long, value_name = "FILE.mmdb")]
    geoip: Option<PathBuf>,
    /// Detection tests: the search's clock, as `spl run --now` takes it
    /// (default: `now` in spltest.yml, else just after the latest event).
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    now: Option<String>,
}

pub(crate) fn run(args: &TestArgs) -> ExitCode {
    let now = match &args.now {
        Some(t) => match crate::time_arg::now(t, crate::time_arg::wall_clock()) {
            Ok(v) => Some(v),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let opts = RunOptions {
        bless: args.bless,
        detection: DetectionOptions {
            macros: args.macros.clone(),
            lookups: args.lookups.clone(),
            apps: args.apps.clone(),
            no_default_apps: args.no_default_apps,
            geoip: args
                .geoip
                .clone()
                .or_else(|| std::env::var_os("SPL_GEOIP_DB").map(PathBuf::from)),
            now,
        },
    };
    let report = run_paths(&args.paths, &opts);
    print!("{}", report.details());
    println!("{}", report.summary());
    if report.failed() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
