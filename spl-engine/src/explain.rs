//! What a search did, for `spl run --explain` and the zero-result hints: a
//! profile of its stages (rows and batches in and out, wall time) and the
//! facts that explain an empty result (what the base search read, the time
//! range it applied, which of its `index`/`source`/`sourcetype`/`host` terms
//! excluded events, fields it uses that no event has). How each number is
//! counted: `docs/explain.md`.
//!
//! Only data types live here; the executor fills [`StageProfile`]s
//! (`operator::run_search_into`) and the base search computes
//! [`BaseFacts`] in a pass of its own (`commands::search_base::explain`).
//! Wall times are measurements only: nothing a search returns depends on them.

use serde::Serialize;

/// Events read per dataset, at most, for the facts of a zero-result hint
/// ([`FactsWhen::Empty`]); `--explain` reads everything.
pub const HINT_EVENTS: u64 = 100_000;

/// A search's profile and, when asked for, the facts of its base search.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Explanation {
    /// One entry per stage of the (macro-expanded) search, in order.
    pub stages: Vec<StageProfile>,
    /// The facts of the base search, when the search starts with one and
    /// they were computed (see [`FactsWhen`]).
    pub base: Option<BaseFacts>,
}

/// When [`BaseFacts`] are computed (they take a pass over the data of their own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactsWhen {
    /// Never: the stage profile only.
    Never,
    /// Always (`--explain`).
    Always,
    /// Only when the search returned no rows or its base search matched no
    /// event (the zero-result hints), reading at most [`HINT_EVENTS`]
    /// events per dataset so that a hint never costs a second full read of
    /// a large file.
    Empty,
}

/// What one stage of a search did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StageProfile {
    /// The command name as written (`search` for the implicit base search).
    pub command: String,
    /// The stage's text in the expanded search (macros expanded).
    pub text: String,
    /// Rows fed to the stage; `None` for the stage that generates (the base
    /// search, `makeresults`, `inputlookup`, ...), which is fed nothing.
    pub rows_in: Option<u64>,
    /// Batches fed to the stage (`None` as for `rows_in`).
    pub batches_in: Option<u64>,
    /// Rows the stage emitted.
    pub rows_out: u64,
    /// Batches the stage emitted.
    pub batches_out: u64,
    /// Wall time spent in the stage itself (not in the stages it fed), in
    /// seconds. A measurement: it varies from run to run.
    pub seconds: f64,
}

/// Where the time range of a base search came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeOrigin {
    /// No bound anywhere: all time.
    AllTime,
    /// The time picker (`--earliest`/`--latest`, `EngineBuilder::time_range`).
    Picker,
    /// `earliest=`/`latest=` written in the search (they replace the picker's).
    Search,
}

/// The facts that explain what a base search matched.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BaseFacts {
    /// Every event dataset registered, in order (none when no data was given).
    pub datasets: Vec<DatasetFacts>,
    /// Events read, all datasets together (before the time range and the filter).
    pub events_read: u64,
    /// The time range applied and what it excluded.
    pub time: TimeFacts,
    /// The base search's `index`/`source`/`sourcetype`/`host` terms, each
    /// with what it excluded on its own.
    pub terms: Vec<TermFacts>,
    /// Fields the search tests or uses that no event read has.
    pub missing_fields: Vec<MissingField>,
}

/// One event dataset (a `--data` file) as the base search saw it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DatasetFacts {
    /// Its `source` (by default the file path).
    pub source: String,
    /// Its `index`.
    pub index: String,
    /// Its `sourcetype`.
    pub sourcetype: String,
    /// Its `host`, if known.
    pub host: Option<String>,
    /// Events read from it (before the time range and the filter).
    pub events_read: u64,
    /// The earliest `_time` of those events (epoch seconds).
    pub earliest: Option<f64>,
    /// The latest `_time` of those events (epoch seconds).
    pub latest: Option<f64>,
    /// Events without a `_time` (no timestamp found, or `time_field=`
    /// naming a field they lack): outside any bounded time range.
    pub without_time: u64,
    /// Reading stopped at the hint's budget ([`HINT_EVENTS`]): every count
    /// of this dataset is of its first `events_read` events.
    pub partial: bool,
}

/// The time range a base search applied.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TimeFacts {
    /// Inclusive lower bound (epoch seconds), if any.
    pub earliest: Option<f64>,
    /// Exclusive upper bound (epoch seconds), if any.
    pub latest: Option<f64>,
    /// Where the range came from.
    pub origin: TimeOrigin,
    /// Events read that lie outside it (events without `_time` included
    /// when the range is bounded).
    pub excluded: u64,
}

impl Default for TimeFacts {
    fn default() -> Self {
        TimeFacts {
            earliest: None,
            latest: None,
            origin: TimeOrigin::AllTime,
            excluded: 0,
        }
    }
}

/// One `index`/`source`/`sourcetype`/`host` term of a base search.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TermFacts {
    /// The term as it stands in the expanded search (`source="kubernetes"`).
    pub text: String,
    /// The field it tests.
    pub field: String,
    /// Events read that the term alone rejects (counted over every event
    /// read, independently of the other terms and of the time range).
    pub excluded: u64,
    /// Up to five distinct values the events read have for the field, in
    /// the order first seen.
    pub values: Vec<String>,
}

/// A field a search tests or uses that no event read has.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MissingField {
    /// The field name.
    pub name: String,
    /// The commands that use it, in pipeline order (`search`, `where`, `stats`).
    pub used_by: Vec<String>,
    /// Fields the events do have whose names are close: the same but for
    /// case, a dotted name with it as one of its parts (`user` for
    /// `user.username`), or within a small edit distance. Best first.
    pub suggestions: Vec<String>,
}
