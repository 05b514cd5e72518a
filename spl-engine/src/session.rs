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
use crate::error::Result;
use crate::plan;
use crate::source::{DataKind, Dataset, MemoryScan, SourceMeta};
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

/// Builds an [`Engine`].
pub struct EngineBuilder {
    ctx: ExecContext,
    catalog: Catalog,
    macros: MacroSet,
}

impl Engine {
    /// Starts a builder whose clock reads `now` (epoch seconds): relative
    /// times and `now()` resolve against it, never against the system clock.
    pub fn builder(now: f64) -> EngineBuilder {
        let mut ctx = ExecContext::new(now);
        ctx.planner = &plan::PLANNER;
        EngineBuilder {
            ctx,
            catalog: Catalog::default(),
            macros: MacroSet::with_bundled(),
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
        let expanded = self.expand(query)?;
        let q = spl_parser::parse(&expanded.text)?;
        let mut r = self.run_query(&q)?;
        let expansion = expanded.warnings.iter().map(|w| Warning {
            code: w.code,
            message: w.message.clone(),
        });
        r.warnings = expansion.chain(r.warnings).collect();
        Ok(r)
    }

    /// Runs a parsed search; the result carries the search's run-time warnings.
    pub fn run_query(&self, q: &spl_parser::ast::Query) -> Result<QueryResult> {
        let mut ctx = self.ctx.clone();
        ctx.warnings = Warnings::default();
        ctx.scan = Arc::default();
        let batches = plan::execute(&q.pipeline, &ctx)?;
        Ok(QueryResult {
            batches,
            warnings: ctx.warnings.to_vec(),
            scan: ctx.scan.snapshot(),
        })
    }
}

impl EngineBuilder {
    /// Registers in-memory events.
    pub fn add_events(mut self, meta: SourceMeta, batches: Vec<RecordBatch>) -> Self {
        self.catalog.datasets.push(Dataset {
            meta,
            kind: DataKind::Events,
            scan: Arc::new(MemoryScan(batches)),
            datamodel: None,
        });
        self
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
    /// engine's clock's unless the spec sets `now`.
    pub fn add_data(mut self, spec: &crate::source::DataSpec) -> Result<Self> {
        let mut spec = spec.clone();
        spec.now = spec.now.or(Some(self.ctx.now));
        for ds in crate::source::open_datasets(&spec)? {
            self = self.add_dataset(ds);
        }
        Ok(self)
    }

    /// Registers the knowledge objects of Splunk apps (`--apps`): each path
    /// is an app folder (`default/`, `local/`, `lookups/`) or a folder of
    /// apps, merged by Splunk's search-time precedence. Their field
    /// extractions, aliases, calculated fields, automatic lookups, event
    /// types and tags apply to the events of every base search. A bad
    /// setting is an error naming its file, line and key.
    pub fn apps(mut self, paths: &[std::path::PathBuf]) -> Result<Self> {
        let k = crate::knowledge::Knowledge::load(paths)?;
        self.catalog.knowledge = Some(Arc::new(k));
        // their data models (`default/data/models/*.json`) join the
        // built-in CIM, replacing a built-in model of the same name
        let apps = crate::knowledge::apps::discover(paths)?;
        let dirs: Vec<&std::path::Path> = apps.iter().map(|a| a.dir.as_path()).collect();
        let mut models = (*self.catalog.datamodels).clone();
        models.add_app_dirs(&dirs)?;
        self.catalog.datamodels = Arc::new(models);
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
        self.ctx.catalog = Arc::new(self.catalog);
        let macros = Arc::new(self.macros);
        self.ctx.macros = macros.clone();
        Engine {
            ctx: self.ctx,
            macros,
        }
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
