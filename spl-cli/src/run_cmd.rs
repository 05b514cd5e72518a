//! `spl run`: run a search over exported data and print the rows Splunk would
//! return. Exit codes: 0 success (zero rows included), 1 query error (parse,
//! unknown command or function, missing macro or lookup), 2 input error
//! (unreadable or malformed data, named by file, line and field).

use crate::diagnostic::{render, Located};
use crate::input::QueryInput;
use spl_engine::render as out;
use spl_engine::session::Engine;
use spl_engine::source::DataSpec;
use spl_engine::EngineError;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `spl run`.
#[derive(clap::Args)]
pub(crate) struct RunArgs {
    #[command(flatten)]
    input: QueryInput,
    /// Data to search: a path (a file, a directory of files, a `.gz` file, or `-` for standard
    /// input), or `path=..,index=..,source=..,sourcetype=..,host=..,format=..,kind=..,time_field=..,strict=..,datamodel=..`
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
    /// The search's clock: RFC 3339 or epoch seconds (default: the current time).
    #[arg(long, value_name = "TIME")]
    now: Option<String>,
    /// Time picker start (`-24h`, `-30d@d`, epoch, ...); default: all time.
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    earliest: Option<String>,
    /// Time picker end (exclusive); default: all time.
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    latest: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Write the results to a file instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
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

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    /// A readable terminal table.
    Table,
    /// Splunk-style CSV.
    Csv,
    /// One JSON array of row objects.
    Json,
    /// One JSON object per row.
    Jsonl,
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

/// The current time, for `--now`'s default (the engine itself never reads the clock).
fn wall_clock() -> f64 {
    #[allow(clippy::disallowed_methods)]
    let now = std::time::SystemTime::now();
    now.duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

pub(crate) fn run(args: &RunArgs) -> ExitCode {
    let (query, name) = match args.input.read() {
        Ok(x) => x,
        Err(msg) => return input_error(msg),
    };
    let now = match &args.now {
        Some(t) => match spl_engine::time::parse_now(t) {
            Ok(v) => v,
            Err(e) => return input_error(format!("--now: {e}")),
        },
        None => wall_clock(),
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
    for d in &args.data {
        let mut spec: DataSpec = match d.parse() {
            Ok(s) => s,
            Err(e) => {
                eprint!("{}", render(&e));
                return ExitCode::from(2);
            }
        };
        spec.strict |= args.strict;
        b = match b.add_data(&spec) {
            Ok(b) => b,
            Err(e) => {
                eprint!("{}", render(&e));
                return ExitCode::from(2);
            }
        };
    }
    b = match b.time_range(args.earliest.as_deref(), args.latest.as_deref()) {
        Ok(b) => b,
        Err(e) => return input_error(format!("time range: {e}")),
    };
    let engine = b.build();
    let expanded = match engine.expand(&query) {
        Ok(x) => x,
        Err(e) => return engine_error(e, &name, None, &query),
    };
    for w in &expanded.warnings {
        eprintln!("warning[{}]: {}", w.code, w.message);
    }
    let ast = match spl_parser::parse(&expanded.text) {
        Ok(q) => q,
        Err(e) => return engine_error(EngineError::Parse(e), &name, Some(&expanded), &query),
    };
    let hints = match crate::explain::Hints::from_env() {
        Ok(h) => h.on(),
        Err(m) => return input_error(m),
    };
    let result = match crate::explain::facts_when(args.explain, hints) {
        Some(when) => engine.run_query_explained(&ast, &expanded.text, when),
        None => engine.run_query(&ast),
    };
    let result = match result {
        Ok(r) => r,
        Err(e) => return engine_error(e, &name, Some(&expanded), &query),
    };
    for w in &result.warnings {
        eprintln!("{w}");
    }
    let table = match out::table(&result.batches, &engine.context().tz) {
        Ok(t) => t,
        Err(e) => return engine_error(e, &name, Some(&expanded), &query),
    };
    let text = match args.format {
        Format::Table => out::to_text_table(&table),
        Format::Csv => out::to_csv(&table),
        Format::Json => match (&result.explain, args.explain) {
            (Some(e), true) => crate::explain::json_with_metadata(&out::to_json(&table), e),
            _ => out::to_json(&table),
        },
        Format::Jsonl => out::to_jsonl(&table),
    };
    let written = match &args.output {
        // atomically: a failed or interrupted run never leaves half a file
        Some(p) => spl_engine::atomic_file::write_atomic_bytes(p, text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", p.display())),
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| format!("cannot write output: {e}")),
    };
    if let Some(e) = &result.explain {
        let time = |t: f64| out::format_time(t, &engine.context().tz);
        if args.explain {
            eprint!("{}", crate::explain::report(e, &time));
        } else if let Some(h) = crate::explain::hint(e, table.rows.is_empty(), &time) {
            eprint!("{h}");
        }
    }
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(m) => input_error(m),
    }
}
