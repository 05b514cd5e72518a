//! The embedding API: register data, macros, lookups, a GeoIP database and the
//! clock, then run searches.
//!
//! ```
//! use spl_engine::session::Engine;
//! use spl_engine::source::SourceMeta;
//! use arrow_array::{RecordBatch, StringArray, Float64Array};
//! use arrow_schema::{Schema, Field, DataType};
//! use std::sync::Arc;
//!
//! let schema = Arc::new(Schema::new(vec![
//!     Field::new("_time", DataType::Float64, true),
//!     Field::new("user", DataType::Utf8, true),
//! ]));
//! let batch = RecordBatch::try_new(schema, vec![
//!     Arc::new(Float64Array::from(vec![1.0, 2.0])),
//!     Arc::new(StringArray::from(vec!["alice", "bob"])),
//! ]).unwrap();
//! let engine = Engine::builder(1_700_000_000.0)
//!     .add_events(SourceMeta::new("main", "users.json", "_json"), vec![batch])
//!     .build();
//! let result = engine.run("index=main user=ALICE").unwrap();
//! assert_eq!(result.num_rows(), 1);
//! ```

use crate::context::Catalog;
use crate::context::{CompatOptions, ExecContext};
use crate::error::{EngineError, Result};
use crate::explain::{Explanation, FactsWhen, StageProfile};
use crate::plan;
use crate::source::{BatchStream, DataKind, Dataset, MemoryScan, Scan, ScanRequest, SourceMeta};
use crate::warning::{Warning, Warnings};
use arrow_array::RecordBatch;
use spl_parser::macros::{Expanded, MacroSet};
use std::sync::Arc;

/// A configured engine. Cheap to clone; each `run` is independent.
#[derive(Clone)]
pub struct Engine {
    ctx: ExecContext,
    macros: Arc<MacroSet>,
}

/// Stack of the thread a search runs on: binding and evaluating walk
/// expressions recursively, and one may hold up to
/// [`spl_parser::MAX_OPERATORS`] operators in a chain; a caller's thread
/// (2 MiB for spawned threads) would overflow. Only used pages are committed.
const SEARCH_STACK_BYTES: usize = 1 << 30;

/// Runs `f` on a thread with [`SEARCH_STACK_BYTES`] of stack.
fn on_big_stack<T: Send>(f: impl FnOnce() -> Result<T> + Send) -> Result<T> {
    std::thread::scope(|s| {
        let h = std::thread::Builder::new()
            .name("spl-search".into())
            .stack_size(SEARCH_STACK_BYTES)
            .spawn_scoped(s, f)
            .map_err(|e| EngineError::Internal(format!("cannot start the search thread: {e}")))?;
        h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
    })
}

/// Builds an [`Engine`]. Cloning one is cheap (data and knowledge are
/// shared): an embedding that keeps adding data after running searches
/// (the Python `spl.Engine`) builds from a clone each time.
#[derive(Clone)]
pub struct EngineBuilder {
    ctx: ExecContext,
    catalog: Catalog,
    macros: MacroSet,
    /// The `--apps` paths given so far.
    apps: Vec<std::path::PathBuf>,
    /// Whether the engine's own default app applies (`--no-default-apps`).
    default_apps: bool,
    /// The index-time settings of the apps (and the default app).
    index_props: Option<crate::source::IndexPropsSource>,
    /// Each `add_data` spec and the positions of its datasets in the
    /// catalog, so that apps loaded later can re-open its raw text files.
    data_specs: Vec<(crate::source::DataSpec, std::ops::Range<usize>)>,
}

impl Engine {
    /// Starts a builder whose clock reads `now` (epoch seconds): relative
    /// times and `now()` resolve against it, never against the system clock.
    pub fn builder(now: f64) -> EngineBuilder {
        let mut ctx = ExecContext::new(now);
        ctx.planner = &plan::PLANNER;
        // The built-in default app is checked by the knowledge tests; should
        // it ever fail to load, events simply get no knowledge.
        let knowledge = crate::knowledge::Knowledge::builtin()
            .ok()
            .map(|k| k as Arc<dyn crate::context::EventKnowledge>);
        let index_props = crate::knowledge::index_props::IndexProps::builtin()
            .ok()
            .map(|ip| {
                crate::source::IndexPropsSource(ip as Arc<dyn crate::source::IndexTimeProps>)
            });
        EngineBuilder {
            ctx,
            catalog: Catalog {
                knowledge,
                ..Catalog::default()
            },
            macros: MacroSet::with_bundled(),
            apps: Vec::new(),
            default_apps: true,
            index_props,
            data_specs: Vec::new(),
        }
    }

    /// The execution context searches run with.
    pub fn context(&self) -> &ExecContext {
        &self.ctx
    }

    /// The macro definitions searches are expanded with.
    pub fn macros(&self) -> &MacroSet {
        &self.macros
    }

    /// Expands comments and macros (errors point into `query`).
    pub fn expand(&self, query: &str) -> Result<Expanded> {
        Ok(spl_parser::macros::expand(query, &self.macros)?)
    }

    /// Expands, parses and runs a search. Error spans point into the expanded
    /// text; use [`Engine::expand`] and [`Engine::run_query`] to keep it for diagnostics.
    pub fn run(&self, query: &str) -> Result<QueryResult> {
        on_big_stack(|| self.run_here(query))
    }

    fn run_here(&self, query: &str) -> Result<QueryResult> {
        let expanded = self.expand(query)?;
        let q = spl_parser::parse(&expanded.text)?;
        let mut r = self.run_query_here(&q)?;
        let expansion = expanded.warnings.iter().map(|w| Warning {
            code: w.code,
            message: w.message.clone(),
        });
        r.warnings = expansion.chain(r.warnings).collect();
        Ok(r)
    }

    /// Runs a parsed search; the result carries the search's run-time warnings.
    pub fn run_query(&self, q: &spl_parser::ast::Query) -> Result<QueryResult> {
        on_big_stack(|| self.run_query_here(q))
    }

    /// Runs a parsed search handing each output batch to `sink` as soon as
    /// the last command emits it, so a caller can write rows while the
    /// search runs and memory does not grow with the output (what a
    /// pipeline holds itself, `sort` or `stats`, aside). The batches may
    /// have different schemas, as [`QueryResult::batches`] may. An error
    /// from `sink` (a closed output) stops the search and is returned as
    /// is. The result carries the warnings and scan figures; its `batches`
    /// are empty.
    pub fn run_query_to(
        &self,
        q: &spl_parser::ast::Query,
        sink: &mut BatchSink<'_>,
    ) -> Result<QueryResult> {
        self.run_query_counted_to(q, Arc::default(), sink)
    }

    /// Runs a parsed search counting what its scans read into `counters`,
    /// which another thread may read while it runs (a progress display: the
    /// engine itself shows nothing); [`QueryResult::scan`] is their final value.
    pub fn run_query_counted(
        &self,
        q: &spl_parser::ast::Query,
        counters: Arc<crate::source::ScanCounters>,
    ) -> Result<QueryResult> {
        collecting(|sink| self.run_query_counted_to(q, counters, sink))
    }

    /// [`Engine::run_query_to`] counting what its scans read into
    /// `counters`, as [`Engine::run_query_counted`] does.
    pub fn run_query_counted_to(
        &self,
        q: &spl_parser::ast::Query,
        counters: Arc<crate::source::ScanCounters>,
        sink: &mut BatchSink<'_>,
    ) -> Result<QueryResult> {
        on_big_stack(|| self.run_into(q, None, counters, sink))
    }

    fn run_query_here(&self, q: &spl_parser::ast::Query) -> Result<QueryResult> {
        let mut out = Vec::new();
        let mut r = self.run_into(q, None, Arc::default(), &mut |b| {
            out.push(b);
            Ok(())
        })?;
        r.batches = out;
        Ok(r)
    }

    /// Runs a parsed search as [`Engine::run_query`] does, profiling it:
    /// the result's [`QueryResult::explain`] holds each stage's rows and
    /// batches in and out and wall time and, as `facts` asks, the facts of
    /// its base search (a pass over the data of their own: see
    /// `docs/explain.md`). `text` is the expanded search `q` was parsed
    /// from (the profile quotes each stage from it). The rows are those
    /// [`Engine::run_query`] returns; the wall times never affect them.
    pub fn run_query_explained(
        &self,
        q: &spl_parser::ast::Query,
        text: &str,
        facts: FactsWhen,
    ) -> Result<QueryResult> {
        self.run_query_explained_counted(q, text, facts, Arc::default())
    }

    /// [`Engine::run_query_explained`] counting what its scans read into
    /// `counters`, as [`Engine::run_query_counted`] does.
    pub fn run_query_explained_counted(
        &self,
        q: &spl_parser::ast::Query,
        text: &str,
        facts: FactsWhen,
        counters: Arc<crate::source::ScanCounters>,
    ) -> Result<QueryResult> {
        collecting(|sink| self.run_query_explained_counted_to(q, text, facts, counters, sink))
    }

    /// [`Engine::run_query_explained_counted`] handing each output batch to
    /// `sink` as [`Engine::run_query_to`] does: the profile and the facts
    /// come back in the result once the search has ended (the facts' pass
    /// runs after it, so it never delays the first rows).
    pub fn run_query_explained_counted_to(
        &self,
        q: &spl_parser::ast::Query,
        text: &str,
        facts: FactsWhen,
        counters: Arc<crate::source::ScanCounters>,
        sink: &mut BatchSink<'_>,
    ) -> Result<QueryResult> {
        on_big_stack(|| self.run_into(q, Some((text, facts)), counters, sink))
    }

    /// The one way a search runs: output batches go to `sink`; `explain`
    /// (the expanded text and when to compute the base facts) profiles it.
    fn run_into(
        &self,
        q: &spl_parser::ast::Query,
        explain: Option<(&str, FactsWhen)>,
        counters: Arc<crate::source::ScanCounters>,
        sink: &mut BatchSink<'_>,
    ) -> Result<QueryResult> {
        let mut ctx = self.ctx.clone();
        ctx.warnings = Warnings::default();
        ctx.scan = counters;
        let Some((text, facts)) = explain else {
            plan::execute_into(&q.pipeline, &ctx, None, sink)?;
            return Ok(QueryResult {
                batches: Vec::new(),
                warnings: ctx.warnings.to_vec(),
                scan: ctx.scan.snapshot(),
                explain: None,
            });
        };
        let mut counters = Vec::new();
        let mut rows = 0usize;
        plan::execute_into(&q.pipeline, &ctx, Some(&mut counters), &mut |b| {
            rows += b.num_rows();
            sink(b)
        })?;
        let stages: Vec<StageProfile> = q
            .pipeline
            .stages
            .iter()
            .zip(&counters)
            .enumerate()
            .map(|(i, (st, c))| {
                let at = st.span.start as usize..st.span.end as usize;
                StageProfile {
                    command: st.name.node.clone(),
                    text: text.get(at).unwrap_or_default().trim().to_string(),
                    rows_in: (i > 0).then_some(c.rows_in),
                    batches_in: (i > 0).then_some(c.batches_in),
                    rows_out: c.rows_out,
                    batches_out: c.batches_out,
                    seconds: c.time.as_secs_f64(),
                }
            })
            .collect();
        let empty = rows == 0 || stages.first().is_some_and(|s| s.rows_out == 0);
        let base = match facts {
            FactsWhen::Always => plan::base_facts(&q.pipeline, text, &ctx, None)?,
            FactsWhen::Empty if empty => {
                plan::base_facts(&q.pipeline, text, &ctx, Some(crate::explain::HINT_EVENTS))?
            }
            _ => None,
        };
        Ok(QueryResult {
            batches: Vec::new(),
            warnings: ctx.warnings.to_vec(),
            scan: ctx.scan.snapshot(),
            explain: Some(Explanation { stages, base }),
        })
    }
}

/// What receives a search's output batches one by one
/// ([`Engine::run_query_to`]). `Send`, as the search runs on a thread of
/// its own (a deep stack for long expression chains).
pub type BatchSink<'s> = dyn FnMut(RecordBatch) -> Result<()> + Send + 's;

/// Runs `f` with a sink that collects every batch, and puts them in the
/// result: the collecting entry points are the streaming ones plus this.
fn collecting(f: impl FnOnce(&mut BatchSink<'_>) -> Result<QueryResult>) -> Result<QueryResult> {
    let mut out = Vec::new();
    let mut r = f(&mut |b| {
        out.push(b);
        Ok(())
    })?;
    r.batches = out;
    Ok(r)
}

impl EngineBuilder {
    /// Registers in-memory events, flattened as the file readers flatten
    /// them ([`crate::source::flatten_event_batch`]: a struct column
    /// `src_endpoint` gives the fields `src_endpoint.ip`, ..., a list column
    /// a multivalue field; `_time` from a `_time` column). A batch that
    /// cannot be flattened (a column of a type with no text form) makes
    /// every search over this dataset fail with that data error, as an
    /// unreadable column of a file does; [`EngineBuilder::try_add_events`]
    /// reports it at once.
    pub fn add_events(self, meta: SourceMeta, batches: Vec<RecordBatch>) -> Self {
        let display = meta.source.clone();
        let scan: Arc<dyn Scan> = match MemoryScan::events(batches, None, &display) {
            Ok(scan) => Arc::new(scan),
            Err(EngineError::Data {
                file,
                line,
                field,
                message,
            }) => Arc::new(Unreadable {
                file,
                line,
                field,
                message,
            }),
            Err(e) => Arc::new(Unreadable {
                file: display,
                line: None,
                field: None,
                message: e.to_string(),
            }),
        };
        self.add_dataset(Dataset {
            meta,
            kind: DataKind::Events,
            scan,
            datamodel: None,
        })
    }

    /// Registers in-memory events as [`EngineBuilder::add_events`] does,
    /// with `_time` from the column `time_field` (default `_time`), and
    /// fails at once on a batch that cannot be flattened or a time that does
    /// not parse.
    pub fn try_add_events(
        self,
        meta: SourceMeta,
        batches: Vec<RecordBatch>,
        time_field: Option<&str>,
    ) -> Result<Self> {
        let scan = MemoryScan::events(batches, time_field, &meta.source)?;
        Ok(self.add_dataset(Dataset {
            meta,
            kind: DataKind::Events,
            scan: Arc::new(scan),
            datamodel: None,
        }))
    }

    /// Registers in-memory metric data points (`_time`, `metric_name`, `_value`, dimensions).
    pub fn add_metrics(mut self, meta: SourceMeta, batches: Vec<RecordBatch>) -> Self {
        self.catalog.datasets.push(Dataset {
            meta,
            kind: DataKind::Metrics,
            scan: Arc::new(MemoryScan(batches)),
            datamodel: None,
        });
        self
    }

    /// Registers a dataset (for example one opened from a file).
    pub fn add_dataset(mut self, dataset: Dataset) -> Self {
        self.catalog.datasets.push(dataset);
        self
    }

    /// Opens a data file described by a `--data` spec (or every file under
    /// its directory) and registers it; timestamps without a year take the
    /// engine's clock's unless the spec sets `now`. A raw text file without
    /// settings of its own (`DataSpec::props`) is broken into events by the
    /// index-time `props.conf` settings of the apps ([`EngineBuilder::apps`]),
    /// whether they are loaded before or after it.
    pub fn add_data(mut self, spec: &crate::source::DataSpec) -> Result<Self> {
        let mut spec = spec.clone();
        spec.now = spec.now.or(Some(self.ctx.now));
        spec.limits = self.ctx.limits.clone();
        if spec.index_props.is_none() {
            spec.index_props = self.index_props.clone();
        }
        let start = self.catalog.datasets.len();
        for ds in crate::source::open_datasets(&spec)? {
            self = self.add_dataset(ds);
        }
        let end = self.catalog.datasets.len();
        self.data_specs.push((spec, start..end));
        Ok(self)
    }

    /// Registers the knowledge objects of Splunk apps (`--apps`): each path
    /// is an app folder (`default/`, `local/`, `lookups/`) or a folder of
    /// apps, merged by Splunk's search-time precedence above the engine's
    /// own default app. Their field extractions, aliases, calculated
    /// fields, automatic lookups, event types and tags apply to the events
    /// of every base search. A bad setting is an error naming its file,
    /// line and key.
    ///
    /// Their index-time `props.conf` settings (event breaking and
    /// timestamps, merged in Splunk's global context) apply to raw text
    /// files added with [`EngineBuilder::add_data`] before or after this
    /// call, unless a spec gives its own settings.
    pub fn apps(mut self, paths: &[std::path::PathBuf]) -> Result<Self> {
        self.apps.extend(paths.iter().cloned());
        self.reload_knowledge()
    }

    /// Leaves out the engine's own default app (`--no-default-apps`): only
    /// the apps given with [`EngineBuilder::apps`] apply.
    pub fn no_default_apps(mut self) -> Result<Self> {
        self.default_apps = false;
        self.reload_knowledge()
    }

    /// Loads the knowledge of the apps and (unless turned off) the default
    /// app, and re-opens raw text added before with their index-time
    /// settings.
    fn reload_knowledge(mut self) -> Result<Self> {
        use crate::knowledge::{index_props::IndexProps, Knowledge};
        let (knowledge, ip) = match (self.apps.is_empty(), self.default_apps) {
            (true, false) => (None, None),
            (true, true) => (Some(Knowledge::builtin()?), Some(IndexProps::builtin()?)),
            (false, builtin) => (
                Some(Arc::new(Knowledge::load(&self.apps, builtin)?)),
                Some(Arc::new(IndexProps::load(&self.apps, builtin)?)),
            ),
        };
        self.catalog.knowledge = knowledge.map(|k| k as Arc<dyn crate::context::EventKnowledge>);
        let ip = ip.map(|ip: Arc<IndexProps>| {
            crate::source::IndexPropsSource(ip as Arc<dyn crate::source::IndexTimeProps>)
        });
        self.index_props = ip.clone();
        // their data models (`default/data/models/*.json`) join the built-in
        // CIM (part of the default app), replacing a built-in model of the
        // same name
        let found = crate::knowledge::apps::discover(&self.apps)?;
        let dirs: Vec<&std::path::Path> = found.iter().map(|a| a.dir.as_path()).collect();
        let mut models = if self.default_apps {
            crate::datamodel::DataModels::default()
        } else {
            crate::datamodel::DataModels::empty()
        };
        models.add_app_dirs(&dirs)?;
        self.catalog.datamodels = Arc::new(models);
        // raw text already opened without settings of its own is opened
        // again with these settings
        for (spec, range) in &mut self.data_specs {
            let raw = self
                .catalog
                .datasets
                .get(range.clone())
                .is_some_and(|ds| ds.iter().any(|d| d.scan.raw_props().is_some()));
            if spec.props.is_some() || !raw {
                continue;
            }
            // a stream (standard input, a pipe) was read once and cannot be
            // read again
            if !spec.path.is_file() && !spec.path.is_dir() {
                return Err(crate::error::EngineError::data(
                    spec.path.display().to_string(),
                    None,
                    None,
                    "this stream was read as raw text before the apps were loaded, and a stream \
                     cannot be read twice: load the apps before adding it",
                ));
            }
            spec.index_props = ip.clone();
            let again = crate::source::open_datasets(spec)?;
            if again.len() != range.len() {
                return Err(crate::error::EngineError::Internal(format!(
                    "{} changed while the engine was built",
                    spec.path.display()
                )));
            }
            if let Some(slots) = self.catalog.datasets.get_mut(range.clone()) {
                for (slot, ds) in slots.iter_mut().zip(again) {
                    *slot = ds;
                }
            }
        }
        Ok(self)
    }

    /// Sets the directories lookups are resolved in (the first one receives
    /// `outputlookup` files).
    pub fn lookup_dirs(mut self, dirs: Vec<std::path::PathBuf>) -> Self {
        self.catalog.lookups = Arc::new(crate::lookup::LookupRegistry::new(dirs));
        self
    }

    /// Opens a MaxMind `.mmdb` database for `iplocation`.
    pub fn geoip(mut self, path: &std::path::Path) -> Result<Self> {
        self.catalog.geoip = Some(Arc::new(crate::geoip::GeoIp::open(path)?));
        Ok(self)
    }

    /// Sets the user's time zone (default UTC).
    pub fn time_zone(mut self, tz: jiff::tz::TimeZone) -> Self {
        self.ctx.tz = tz;
        self
    }

    /// Sets the time picker's range as modifiers (`-24h`, `@d`, epoch, ...),
    /// resolved against the clock by Splunk's rule: `earliest` alone ends at
    /// now, `latest` alone starts at the beginning of time, neither is all time.
    pub fn time_range(mut self, earliest: Option<&str>, latest: Option<&str>) -> Result<Self> {
        let r = |t: &str| crate::time::resolve_time_modifier(t, self.ctx.now, &self.ctx.tz);
        let (e, l) = (earliest.map(r).transpose()?, latest.map(r).transpose()?);
        self.ctx.picker = crate::time::TimeRange::written(e, l, self.ctx.now);
        self.ctx.search = self.ctx.picker;
        Ok(self)
    }

    /// Sets the compatibility switches.
    pub fn compat(mut self, compat: CompatOptions) -> Self {
        self.ctx.compat = compat;
        self
    }

    /// Sets the resource limit `name` (see [`crate::limits::LIMITS`] and
    /// `docs/limits.md`) to `value`; an unknown name or a zero value is an
    /// error. Set limits before adding data: readers apply theirs as they read.
    pub fn limit(
        mut self,
        name: &str,
        value: u64,
    ) -> std::result::Result<Self, crate::limits::LimitError> {
        Arc::make_mut(&mut self.ctx.limits).set(name, value)?;
        Ok(self)
    }

    /// Replaces all resource limits.
    pub fn limits(mut self, limits: crate::limits::Limits) -> Self {
        self.ctx.limits = Arc::new(limits);
        self
    }

    /// Sets the number of worker threads (1 = truly one).
    pub fn threads(mut self, n: usize) -> Self {
        self.ctx.threads = n.max(1);
        self
    }

    /// Adds macro definitions (they override bundled and earlier ones).
    pub fn macros(mut self, macros: &MacroSet) -> Self {
        for d in macros.iter() {
            self.macros.insert(d.clone());
        }
        self
    }

    /// Loads macro definitions from a file or directory (corpus JSON lines,
    /// security_content YAML, or `macros.conf`).
    pub fn load_macros(mut self, path: &std::path::Path) -> Result<Self> {
        self.macros.load_path(path)?;
        Ok(self)
    }

    /// Finishes the engine.
    pub fn build(mut self) -> Engine {
        self.catalog
            .lookups
            .set_max_line_bytes(self.ctx.limits.max_line_bytes);
        self.ctx.catalog = Arc::new(self.catalog);
        let macros = Arc::new(self.macros);
        self.ctx.macros = macros.clone();
        Engine {
            ctx: self.ctx,
            macros,
        }
    }
}

/// In-memory events that could not be flattened: every scan fails with the
/// data error ([`EngineBuilder::add_events`]).
struct Unreadable {
    file: String,
    line: Option<usize>,
    field: Option<String>,
    message: String,
}

impl Scan for Unreadable {
    fn scan(&self, _req: &ScanRequest) -> Result<BatchStream<'_>> {
        Err(EngineError::data(
            &self.file,
            self.line,
            self.field.as_deref(),
            &self.message,
        ))
    }
}

/// The rows a search returned, as batches that may have different schemas.
#[derive(Debug, Clone, Default)]
pub struct QueryResult {
    /// Output batches in order.
    pub batches: Vec<RecordBatch>,
    /// Non-fatal findings: macro expansion's (an undefined `*_filter` macro,
    /// from [`Engine::run`] only), then the search's (`mstats` over events).
    pub warnings: Vec<Warning>,
    /// What the search's scans read (subsearches included).
    pub scan: crate::source::ScanStats,
    /// The search's profile and base-search facts, from
    /// [`Engine::run_query_explained`] only.
    pub explain: Option<Explanation>,
}

impl QueryResult {
    /// Total number of rows.
    pub fn num_rows(&self) -> usize {
        self.batches.iter().map(|b| b.num_rows()).sum()
    }

    /// All rows in one batch over the union of the fields (first-appearance order).
    pub fn to_batch(&self) -> Result<RecordBatch> {
        crate::batch::concat_unified(&self.batches)
    }

    /// The batches over the union of the fields (first-appearance order),
    /// each given null columns for the fields it lacks: one schema for all,
    /// without concatenating (a column is copied only when one batch holds
    /// a field as numbers and another as text, which the union makes text).
    pub fn aligned_batches(&self) -> Result<(arrow_schema::SchemaRef, Vec<RecordBatch>)> {
        let schema = crate::batch::union_schema(&self.batches);
        let batches = self
            .batches
            .iter()
            .map(|b| crate::batch::align_to(b, &schema))
            .collect::<Result<_>>()?;
        Ok((schema, batches))
    }
}

impl SourceMeta {
    /// Metadata with an index, source and sourcetype, and no host.
    pub fn new(index: &str, source: &str, sourcetype: &str) -> Self {
        SourceMeta {
            index: index.to_string(),
            source: source.to_string(),
            sourcetype: sourcetype.to_string(),
            host: None,
        }
    }
}
