//! Everything a running search can see: the clock, the time zone, the
//! registered data, lookups and the GeoIP database, and compatibility switches.

use crate::error::{EngineError, Result};
use crate::geoip::GeoIp;
use crate::lookup::{LookupRegistry, LookupTable};
use crate::operator::demand::FieldSet;
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
///
/// Knowledge is applied lazily: a base search says which fields it needs,
/// and only the extractions, aliases, calculated fields, lookups and event
/// types that can make them run, reading only the fields they read.
pub trait EventKnowledge: Send + Sync + std::fmt::Debug {
    /// The fields a scan must deliver so that `apply` can make `wanted`:
    /// `wanted` and everything the knowledge that makes them reads. `key`
    /// is the (sourcetype, source, host) of every row when the rows cannot
    /// carry their own; `None` considers every props.conf stanza.
    /// `raw_extracted`: the reader made every field of `_raw` already
    /// (`Scan::raw_extracted`), so automatic key/value extraction is skipped.
    fn reads(
        &self,
        wanted: &FieldSet,
        key: Option<&[String; 3]>,
        raw_extracted: bool,
    ) -> Result<FieldSet>;

    /// Whether some knowledge object may set field `name` on an event that
    /// already has it (`rename`, `EVAL-`, `FIELDALIAS-`, `LOOKUP-`), so that
    /// a dataset's metadata cannot decide whether it matches.
    fn may_set(&self, name: &str) -> bool;

    /// The events of `batch` with the knowledge that makes fields `wanted`
    /// accepts applied (`raw_extracted` as for [`EventKnowledge::reads`]).
    fn apply(
        &self,
        batch: arrow_array::RecordBatch,
        wanted: &FieldSet,
        raw_extracted: bool,
        ctx: &ExecContext,
    ) -> Result<arrow_array::RecordBatch>;

    /// The knowledge itself, for commands that use its objects (`extract
    /// <transform>`).
    fn as_any(&self) -> &dyn std::any::Any;

    /// The apps' lookup named `name` (a transforms.conf definition merged
    /// across apps, or a file in an app's `lookups/`), if any.
    fn lookup(&self, _name: &str) -> Result<Option<Arc<LookupTable>>> {
        Ok(None)
    }
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
    /// The apps' lookups (`--apps`) come first, as for their automatic
    /// lookups, then the `--lookups` directories.
    pub fn lookup_table(&self, name: &str, span: spl_parser::Span) -> Result<Arc<LookupTable>> {
        if let Some(k) = &self.knowledge {
            if let Some(t) = k.lookup(name)? {
                return Ok(t);
            }
        }
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
    /// bounds, else the picker's. Set by `plan::execute_into` for each (sub)search;
    /// read by commands that report or fill the search's range (`timechart`,
    /// `bin aligntime`, `addinfo`).
    pub search: TimeRange,
    /// Registered data, lookups, GeoIP.
    pub catalog: Arc<Catalog>,
    /// Compatibility switches.
    pub compat: CompatOptions,
    /// Number of worker threads (1 = truly one).
    pub threads: usize,
    /// Resource limits (`--limit name=value`).
    pub limits: Arc<crate::limits::Limits>,
    /// Macro definitions, for searches built at run time (`map`).
    pub macros: Arc<spl_parser::macros::MacroSet>,
    /// Plans the pipelines commands hold (set by `plan::execute_into` and the
    /// session; a bare context has [`NoPlanner`]).
    pub planner: &'static dyn Planner,
    /// Non-fatal findings of the running search.
    pub warnings: crate::warning::Warnings,
    /// What the running search's scans read (bytes, batches, rows).
    pub scan: Arc<crate::source::ScanCounters>,
}

impl ExecContext {
    /// A scan request for the events of `range` (`columns`: `None` for
    /// every field) that counts into this search's scan counters and
    /// warnings.
    pub(crate) fn scan_request(
        &self,
        columns: Option<Vec<String>>,
        range: TimeRange,
    ) -> crate::source::ScanRequest {
        crate::source::ScanRequest {
            columns,
            earliest: range.earliest,
            latest: range.latest,
            time_only_for_window: false,
            counters: Some(self.scan.clone()),
            warnings: Some(self.warnings.clone()),
            dictionary_strings: false,
        }
    }

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
            limits: Arc::default(),
            macros: Arc::new(spl_parser::macros::MacroSet::new()),
            planner: &NoPlanner,
            warnings: crate::warning::Warnings::default(),
            scan: Arc::default(),
        }
    }
}
