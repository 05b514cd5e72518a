//! One file per SPL command: its spec and its operator.

pub mod accum;
pub mod addinfo;
pub mod addtotals;
pub mod append;
pub mod appendpipe;
pub(crate) mod args;
pub mod bin;
pub mod chart;
pub mod convert;
pub mod dedup;
pub mod delta;
pub mod eval;
pub mod eventstats;
pub mod fields;
pub mod fillnull;
pub mod foreach;
pub mod format;
pub mod fromjson;
pub(crate) mod groupby;
pub mod head;
pub mod inputlookup;
pub mod iplocation;
pub mod join;
pub mod lookup;
pub mod makemv;
pub mod makeresults;
pub mod map;
pub mod mstats;
pub mod multisearch;
pub mod mvcombine;
pub mod mvexpand;
pub mod outputlookup;
pub mod regex;
pub mod rename;
pub mod replace;
pub mod return_;
pub mod reverse;
pub mod rex;
pub mod search;
pub mod search_base;
pub mod sort;
pub(crate) mod sort_keys;
pub mod spath;
pub mod stats;
pub mod strcat;
pub mod streamstats;
pub mod subsearch_format;
pub mod table;
pub mod timechart;
pub mod top;
pub mod transaction;
pub mod where_;
pub mod xmlkv;

use crate::spec::{CommandSpec, SimplePlanFn};

/// The planner of the simple-grammar command called `name` (its canonical
/// name or an alias), if the engine runs it.
pub fn simple_planner(name: &str) -> Option<SimplePlanFn> {
    let canonical = spl_parser::command_spec(name).map_or(name, |c| c.name);
    COMMANDS
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(canonical))
        .and_then(|c| c.simple)
}

/// Every command the engine runs, for help, docs and the registry test.
pub static COMMANDS: &[&CommandSpec] = &[
    &accum::SPEC,
    &addinfo::SPEC,
    &addtotals::SPEC,
    &append::SPEC,
    &appendpipe::SPEC,
    &bin::SPEC,
    &chart::SPEC,
    &convert::SPEC,
    &dedup::SPEC,
    &delta::SPEC,
    &eval::SPEC,
    &eventstats::SPEC,
    &fields::SPEC,
    &fillnull::SPEC,
    &foreach::SPEC,
    &format::SPEC,
    &fromjson::SPEC,
    &head::SPEC,
    &head::TAIL_SPEC,
    &inputlookup::SPEC,
    &iplocation::SPEC,
    &join::SPEC,
    &lookup::SPEC,
    &makemv::SPEC,
    &makeresults::SPEC,
    &map::SPEC,
    &mstats::SPEC,
    &multisearch::SPEC,
    &mvcombine::SPEC,
    &mvexpand::SPEC,
    &outputlookup::SPEC,
    &regex::SPEC,
    &top::RARE_SPEC,
    &rename::SPEC,
    &replace::SPEC,
    &return_::SPEC,
    &reverse::SPEC,
    &rex::SPEC,
    &search_base::SPEC,
    &sort::SPEC,
    &spath::SPEC,
    &stats::SPEC,
    &strcat::SPEC,
    &streamstats::SPEC,
    &table::SPEC,
    &timechart::SPEC,
    &top::SPEC,
    &transaction::SPEC,
    &where_::SPEC,
    &xmlkv::SPEC,
];
