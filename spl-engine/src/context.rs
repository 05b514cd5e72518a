//! Everything a running search can see: the clock, the time zone, the
//! registered data, lookups and the GeoIP database, and compatibility switches.

use crate::error::{EngineError, Result};
use crate::geoip::GeoIp;
use crate::lookup::{LookupRegistry, LookupTable};
use crate::operator::{NoPlanner, Planner};
use crate::source::Dataset;
use crate::time::TimeRange;
use std::sync::Arc;

/// Switches for behaviours the semantics document marks UNK; each default is
/// listed in `docs/compatibility.md`.
#[derive(Debug, Clone)]
pub struct CompatOptions {
    /// `tostring(null())` returns null (true) or the empty string (false).
    pub tostring_null_is_null: bool,
}

impl Default for CompatOptions {
    fn default() -> Self {
        CompatOptions {
            tostring_null_is_null: true,
        }
    }
}

/// Search-time knowledge (field extractions, aliases, calculated fields,
/// automatic lookups, event types and tags from Splunk apps) applied to the
/// events of a base search before its filter. Implemented by
/// `knowledge::Knowledge`, which sits above this layer.
pub trait EventKnowledge: Send + Sync + std::fmt::Debug {
    /// The events of `batch` with their knowledge applied.
    fn apply(
        &self,
        batch: arrow_array::RecordBatch,
        ctx: &ExecContext,
    ) -> Result<arrow_array::RecordBatch>;
}

/// Everything registered with an engine: data, lookups, GeoIP.
#[derive(Clone, Default)]
pub struct Catalog {
    /// Event and metric datasets.
    pub datasets: Vec<Dataset>,
    /// Lookup tables (`--lookups` directories).
    pub lookups: Arc<LookupRegistry>,
    /// The GeoIP database for `iplocation`, if one is configured.
    pub geoip: Option<Arc<GeoIp>>,
    /// Knowledge objects from Splunk apps (`--apps`), if any.
    pub knowledge: Option<Arc<dyn EventKnowledge>>,
    /// Data models (`tstats`, `| datamodel`, `| from datamodel`): the
    /// built-in CIM and those of `--apps`.
    pub datamodels: Arc<crate::datamodel::DataModels>,
}

impl Catalog {
    /// The lookup named `name` (a definition or a `.csv` file), or a
    /// `spl::run::missing_lookup` error pointing at `span`.
    pub fn lookup_table(&self, name: &str, span: spl_parser::Span) -> Result<Arc<LookupTable>> {
        self.lookups
            .resolve(name)?
            .ok_or_else(|| EngineError::MissingLookup {
                name: name.to_string(),
                span,
            })
    }
}

/// Per-search execution context.
#[derive(Clone)]
pub struct ExecContext {
    /// Search start time, epoch seconds (from `--now`, never the system clock).
    pub now: f64,
    /// The user's time zone (strftime, day snaps, day-or-longer bins).
    pub tz: jiff::tz::TimeZone,
    /// The time picker's range (the dispatch window), resolved with
    /// [`TimeRange::written`]; subsearches search it unless they write their own.
    pub picker: TimeRange,
    /// The window of the search being run: its generating command's own
    /// bounds, else the picker's. Set by `plan::execute` for each (sub)search;
    /// read by commands that report or fill the search's range (`timechart`,
    /// `bin aligntime`, `addinfo`).
    pub search: TimeRange,
    /// Registered data, lookups, GeoIP.
    pub catalog: Arc<Catalog>,
    /// Compatibility switches.
    pub compat: CompatOptions,
    /// Number of worker threads (1 = truly one).
    pub threads: usize,
    /// Macro definitions, for searches built at run time (`map`).
    pub macros: Arc<spl_parser::macros::MacroSet>,
    /// Plans the pipelines commands hold (set by `plan::execute` and the
    /// session; a bare context has [`NoPlanner`]).
    pub planner: &'static dyn Planner,
    /// Non-fatal findings of the running search.
    pub warnings: crate::warning::Warnings,
    /// What the running search's scans read (bytes, batches, rows).
    pub scan: Arc<crate::source::ScanCounters>,
}

impl ExecContext {
    /// A context with an empty catalog, UTC, and the given clock.
    pub fn new(now: f64) -> Self {
        ExecContext {
            now,
            tz: jiff::tz::TimeZone::UTC,
            picker: TimeRange::ALL,
            search: TimeRange::ALL,
            catalog: Arc::new(Catalog::default()),
            compat: CompatOptions::default(),
            threads: 1,
            macros: Arc::new(spl_parser::macros::MacroSet::new()),
            planner: &NoPlanner,
            warnings: crate::warning::Warnings::default(),
            scan: Arc::default(),
        }
    }
}
