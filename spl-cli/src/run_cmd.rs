//! `spl run`: run a search over exported data and print the rows Splunk would
//! return. Exit codes: 0 success (zero rows included), 1 query error (parse,
//! unknown command or function, missing macro or lookup), 2 input error
//! (unreadable or malformed data, named by file, line and field).

use crate::diagnostic::{render, Located};
use crate::input::{is_stdin, QueryInput};
use crate::output::Format;
use crate::stream_out::{Options, ResultWriter, WriteError};
use spl_engine::render as out;
use spl_engine::session::{BatchSink, Engine, QueryResult};
use spl_engine::source::DataSpec;
use spl_engine::EngineError;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

/// Arguments of `spl run`.
#[derive(clap::Args)]
pub(crate) struct RunArgs {
    #[command(flatten)]
    input: QueryInput,
    /// Data to search: a path (a file, a directory of files, a `.gz` file, a named pipe or
    /// `<(process substitution)`, or `-` for standard input, read once), or `path=..,index=..,source=..,sourcetype=..,host=..,format=..,kind=..,time_field=..,strict=..,datamodel=..`
    /// (repeatable). `format=` json, splunk-json, csv, parquet, metrics-csv, metrics-parquet,
    /// otlp-json, hec-metrics, kubearmor, raw (default: from the extension and content; text
    /// in no other format is raw events). A csv or parquet file with metric columns is metrics
    /// unless `kind=events`; `kind=metrics` requires them. `datamodel=M.D` marks rows of a
    /// data model dataset (an export of `| datamodel M D search`, fields prefixed or bare) for
    /// `tstats`, `| datamodel` and `| from datamodel`.
    #[arg(long = "data", value_name = "SPEC")]
    data: Vec<String>,
    /// A JSON-lines line that is not JSON is an input error (default: it is kept as a raw
    /// event, with a warning).
    #[arg(long)]
    strict: bool,
    /// Macro definitions (macros.conf, corpus macros.jsonl, security_content YAML, or a directory; repeatable).
    #[arg(long = "macros", value_name = "PATH")]
    macros: Vec<PathBuf>,
    /// Directories holding lookup definitions and CSV files (repeatable; outputlookup writes to the first).
    #[arg(long = "lookups", value_name = "DIR")]
    lookups: Vec<PathBuf>,
    /// Splunk apps whose knowledge objects (props.conf, transforms.conf, eventtypes.conf,
    /// tags.conf) apply to events and whose data models (default/data/models/*.json) join the
    /// built-in CIM: an app folder or a folder of apps (repeatable).
    #[arg(long = "apps", value_name = "PATH")]
    apps: Vec<PathBuf>,
    /// Leave out the engine's built-in default app (its knowledge of common
    /// sourcetypes and Splunk's default automatic key/value extraction).
    #[arg(long = "no-default-apps")]
    no_default_apps: bool,
    /// MaxMind GeoIP database for iplocation (default: $SPL_GEOIP_DB).
    #[arg(long, value_name = "FILE.mmdb")]
    geoip: Option<PathBuf>,
    /// The search's clock: epoch seconds, RFC 3339, `%m/%d/%Y:%H:%M:%S`, or a time relative
    /// to the current time (`-1d`, `-1d@d`, `@d`); default: the current time.
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    now: Option<String>,
    /// Time picker start (`-24h`, `-30d@d`, epoch, RFC 3339, ...; relative to --now); default: all time.
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    earliest: Option<String>,
    /// Time picker end (exclusive); default: all time.
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    latest: Option<String>,
    /// Output format (default: from the --output extension, `.json`, `.jsonl`/`.ndjson`, `.csv`,
    /// `.txt`; else a table).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write the results to a file instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Do not fit a table to the terminal's width (cells are cut with `…` otherwise; a table
    /// not printed to a terminal is never cut).
    #[arg(long)]
    wide: bool,
    /// Also print notes (an undefined `*_filter` macro taken as an empty filter).
    #[arg(short, long)]
    verbose: bool,
    /// Worker threads (default: all cores; 1 means truly one).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Sets a resource limit, `name=value` (repeatable); `docs/limits.md` lists the names
    /// and their defaults (Splunk's limits.conf ones where Splunk has the setting).
    #[arg(long = "limit", value_name = "NAME=VALUE")]
    limit: Vec<String>,
    /// After the results, print on standard error each stage's rows in and out, batches and
    /// time, and what the base search read, the time range it applied, what each
    /// index/source/sourcetype/host term excluded and the fields no event has
    /// (docs/explain.md); `--format json` then wraps the rows as
    /// `{"results": [...], "metadata": {"explain": ...}}`. Zero-result hints print on a
    /// terminal without it (SPL_HINTS=always|never|auto).
    #[arg(long)]
    explain: bool,
}

fn input_error(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(2)
}

/// Prints an engine error: data errors without a caret (exit 2), query errors
/// with the source line and caret (exit 1).
fn engine_error(
    e: EngineError,
    name: &str,
    expanded: Option<&spl_parser::macros::Expanded>,
    query: &str,
) -> ExitCode {
    if e.is_data_error() {
        eprint!("{}", render(&e));
        return ExitCode::from(2);
    }
    let located = match expanded {
        Some(x) => Located::in_expansion(e, name, x),
        None => Located::in_query(e, name, query),
    };
    eprint!("{}", render(&located));
    ExitCode::from(1)
}

/// Checks what must hold before anything is read: standard input is read
/// by one consumer only, and the directories and files named exist.
fn check_inputs(args: &RunArgs, specs: &[DataSpec]) -> Result<(), String> {
    let mut stdin_users: Vec<&str> = Vec::new();
    if args.input.reads_stdin() {
        stdin_users.push("--query-file");
    }
    stdin_users.extend(specs.iter().filter(|s| is_stdin(&s.path)).map(|_| "--data"));
    if stdin_users.len() > 1 {
        return Err(format!(
            "standard input can be read once, but {} all read it; give one of them a file",
            stdin_users.join(" and ")
        ));
    }
    for d in &args.lookups {
        if !d.is_dir() {
            return Err(format!(
                "--lookups {}: no such directory (a directory of lookup files and definitions)",
                d.display()
            ));
        }
    }
    for (flag, paths) in [("--apps", &args.apps), ("--macros", &args.macros)] {
        for p in paths {
            if !p.exists() {
                return Err(format!("{flag} {}: no such file or directory", p.display()));
            }
        }
    }
    Ok(())
}

/// Whether a search reads events (or metrics) from `--data`: it starts with a
/// search, `tstats` or `mstats`.
fn reads_data(q: &spl_parser::ast::Query) -> bool {
    q.pipeline.stages.first().is_some_and(|st| {
        matches!(st.command, spl_parser::ast::Command::Search(_))
            || matches!(st.name.node.as_str(), "tstats" | "mstats")
    })
}

pub(crate) fn run(args: &RunArgs) -> ExitCode {
    let mut specs = Vec::new();
    for d in &args.data {
        match d.parse::<DataSpec>() {
            Ok(mut spec) => {
                spec.strict |= args.strict;
                specs.push(spec);
            }
            Err(e) => {
                eprint!("{}", render(&e));
                return ExitCode::from(2);
            }
        }
    }
    if let Err(msg) = check_inputs(args, &specs) {
        return input_error(msg);
    }
    let format = match crate::output::choose(args.format, args.output.as_deref()) {
        Ok(f) => f,
        Err(msg) => return input_error(msg),
    };
    let (query, name) = match args.input.read() {
        Ok(x) => x,
        Err(msg) => return input_error(msg),
    };
    let now = match &args.now {
        Some(t) => match crate::time_arg::now(t, crate::time_arg::wall_clock()) {
            Ok(v) => v,
            Err(e) => return input_error(e),
        },
        None => crate::time_arg::wall_clock(),
    };
    let picker = |flag: &str, t: &Option<String>| {
        t.as_deref()
            .map(|t| crate::time_arg::picker(flag, t, now))
            .transpose()
    };
    let (earliest, latest) = match (
        picker("--earliest", &args.earliest),
        picker("--latest", &args.latest),
    ) {
        (Ok(e), Ok(l)) => (e, l),
        (Err(e), _) | (_, Err(e)) => return input_error(e),
    };
    let mut b = Engine::builder(now);
    if let Some(n) = args.threads {
        b = b.threads(n);
    }
    let mut limits = spl_engine::limits::Limits::default();
    for l in &args.limit {
        if let Err(e) = limits.set_text(l) {
            return input_error(format!("--limit: {e}"));
        }
    }
    b = b.limits(limits);
    for p in &args.macros {
        b = match b.load_macros(p) {
            Ok(b) => b,
            Err(e) => {
                eprint!("{}", render(&e));
                return ExitCode::from(2);
            }
        };
    }
    if !args.lookups.is_empty() {
        b = b.lookup_dirs(args.lookups.clone());
    }
    if args.no_default_apps {
        b = match b.no_default_apps() {
            Ok(b) => b,
            Err(e) => {
                eprint!("{}", render(&e));
                return ExitCode::from(2);
            }
        };
    }
    if !args.apps.is_empty() {
        b = match b.apps(&args.apps) {
            Ok(b) => b,
            Err(e) => {
                eprint!("{}", render(&e));
                return ExitCode::from(2);
            }
        };
    }
    let geoip = args
        .geoip
        .clone()
        .or_else(|| std::env::var_os("SPL_GEOIP_DB").map(PathBuf::from));
    if let Some(g) = geoip {
        b = match b.geoip(&g) {
            Ok(b) => b,
            Err(e) => {
                eprint!("{}", render(&e));
                return ExitCode::from(2);
            }
        };
    }
    for spec in &specs {
        b = match b.add_data(spec) {
            Ok(b) => b,
            Err(e) => {
                eprint!("{}", render(&e));
                return ExitCode::from(2);
            }
        };
    }
    b = match b.time_range(earliest.as_deref(), latest.as_deref()) {
        Ok(b) => b,
        Err(e) => return input_error(format!("time range: {e}")),
    };
    let engine = b.build();
    let expanded = match engine.expand(&query) {
        Ok(x) => x,
        Err(e) => return engine_error(e, &name, None, &query),
    };
    crate::diagnostic::print_macro_findings(&expanded.warnings, args.verbose);
    let ast = match spl_parser::parse(&expanded.text) {
        Ok(q) => q,
        Err(e) => return engine_error(EngineError::Parse(e), &name, Some(&expanded), &query),
    };
    if args.data.is_empty() && reads_data(&ast) {
        return input_error(
            "this search reads events, but no --data was given: pass --data PATH (a file, a \
             directory, or - for standard input); searches that start with a generating \
             command such as `| makeresults` need none",
        );
    }
    let hints = match crate::explain::Hints::from_env() {
        Ok(h) => h.on(),
        Err(m) => return input_error(m),
    };
    let hold = match crate::stream_out::hold_rows() {
        Ok(h) => h,
        Err(m) => return input_error(m),
    };
    let options = || Options {
        format,
        // fitted to the terminal only when printed to it
        fit: match (format, &args.output) {
            (Format::Table, None) => crate::output::table_width(args.wide),
            _ => None,
        },
        json_metadata: args.explain,
        hold,
        tz: engine.context().tz.clone(),
    };
    let counters = std::sync::Arc::new(spl_engine::source::ScanCounters::default());
    let progress = Arc::new(Mutex::new(Some(crate::progress::Progress::start(
        counters.clone(),
    ))));
    let when = crate::explain::facts_when(args.explain, hints);
    let run = |sink: &mut BatchSink<'_>| match when {
        Some(when) => engine.run_query_explained_counted_to(
            &ast,
            &expanded.text,
            when,
            counters.clone(),
            sink,
        ),
        None => engine.run_query_counted_to(&ast, counters.clone(), sink),
    };
    let outcome = match &args.output {
        // atomically: a failed or interrupted run never leaves half a file;
        // the rows stream into the temporary file
        Some(p) => {
            let mut outcome = None;
            let written = spl_engine::atomic_file::write_atomic(p, |w| {
                let r = run_into(w, options(), None, run);
                let failed = r.is_err();
                outcome = Some(r);
                match failed {
                    true => Err(std::io::Error::other("the run failed")),
                    false => Ok(()),
                }
            });
            match (outcome, written) {
                (Some(Err(f)), _) => Err(f),
                (_, Err(e)) => Err(Failed::Write(WriteError::Io(e))),
                (Some(Ok(r)), Ok(())) => Ok(r),
                (None, Ok(())) => Err(Failed::Write(WriteError::Io(std::io::Error::other(
                    "nothing was written",
                )))),
            }
        }
        None => {
            // a progress display on the terminal the rows go to steps aside
            // when they start
            let aside: Option<Box<dyn FnOnce() + Send>> =
                std::io::stdout().is_terminal().then(|| {
                    let p = progress.clone();
                    Box::new(move || stop_progress(&p)) as Box<dyn FnOnce() + Send>
                });
            let w = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout());
            run_into(w, options(), aside, run)
        }
    };
    stop_progress(&progress);
    let (result, rows) = match outcome {
        Ok(r) => r,
        Err(Failed::Engine(e) | Failed::Write(WriteError::Render(e))) => {
            return engine_error(e, &name, Some(&expanded), &query)
        }
        // the reader went away (`spl run ... | head`): stop quietly, as a
        // Unix tool killed by SIGPIPE does
        Err(Failed::Write(WriteError::Io(e)))
            if args.output.is_none() && e.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            return ExitCode::from(141)
        }
        Err(Failed::Write(e @ WriteError::LateField { .. })) => return input_error(e),
        Err(Failed::Write(e)) => {
            return input_error(match &args.output {
                Some(p) => format!("cannot write {}: {e}", p.display()),
                None => format!("cannot write output: {e}"),
            })
        }
    };
    for w in &result.warnings {
        eprintln!("{w}");
    }
    if let Some(e) = &result.explain {
        let time = |t: f64| out::format_time(t, &engine.context().tz);
        if args.explain {
            eprint!("{}", crate::explain::report(e, &time));
        } else if let Some(h) = crate::explain::hint(e, rows == 0, &time) {
            eprint!("{h}");
        }
    }
    ExitCode::SUCCESS
}

/// Why a run ended without its output.
enum Failed {
    /// The search failed.
    Engine(EngineError),
    /// Writing failed.
    Write(WriteError),
}

/// Runs the search through `run`, writing each batch into `w` as it comes
/// (`stream_out`): the result and the rows written. A write error stops
/// the search at once.
fn run_into<W: Write + Send>(
    w: W,
    o: Options,
    before_first: Option<Box<dyn FnOnce() + Send>>,
    run: impl FnOnce(&mut BatchSink<'_>) -> Result<QueryResult, EngineError>,
) -> Result<(QueryResult, usize), Failed> {
    let mut writer = ResultWriter::new(w, o);
    if let Some(f) = before_first {
        writer = writer.before_first_write(f);
    }
    let mut failed: Option<WriteError> = None;
    let result = run(&mut |b| {
        writer.push(b).map_err(|e| {
            failed = Some(e);
            // a marker only: the writer's own error is what is reported
            EngineError::Internal("the output stopped".into())
        })
    });
    if let Some(e) = failed {
        return Err(Failed::Write(e));
    }
    let r = result.map_err(Failed::Engine)?;
    let rows = writer.rows();
    writer.finish(r.explain.as_ref()).map_err(Failed::Write)?;
    Ok((r, rows))
}

/// Stops the progress display, once.
fn stop_progress(p: &Mutex<Option<crate::progress::Progress>>) {
    if let Some(p) = p.lock().ok().and_then(|mut g| g.take()) {
        p.finish();
    }
}
