//! One file per SPL command: its spec and its operator.

pub mod addtotals;
pub mod append;
pub mod appendpipe;
pub(crate) mod args;
pub mod bin;
pub mod chart;
pub mod convert;
pub mod dedup;
pub mod eval;
pub mod eventstats;
pub mod fields;
pub mod fillnull;
pub mod foreach;
pub mod format;
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
pub mod rex;
pub mod search;
pub mod search_base;
pub mod sort;
pub mod spath;
pub mod stats;
pub mod streamstats;
pub mod subsearch_format;
pub mod table;
pub mod timechart;
pub mod top;
pub mod transaction;
pub mod where_;

use crate::spec::CommandSpec;

/// Every command the engine runs, for help, docs and the registry test.
pub static COMMANDS: &[&CommandSpec] = &[
    &addtotals::SPEC,
    &append::SPEC,
    &appendpipe::SPEC,
    &bin::SPEC,
    &chart::SPEC,
    &convert::SPEC,
    &dedup::SPEC,
    &eval::SPEC,
    &eventstats::SPEC,
    &fields::SPEC,
    &fillnull::SPEC,
    &foreach::SPEC,
    &format::SPEC,
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
    &rex::SPEC,
    &search_base::SPEC,
    &sort::SPEC,
    &spath::SPEC,
    &stats::SPEC,
    &streamstats::SPEC,
    &table::SPEC,
    &timechart::SPEC,
    &top::SPEC,
    &transaction::SPEC,
    &where_::SPEC,
];
