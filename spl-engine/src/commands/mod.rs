//! One file per SPL command: its spec and its operator.

pub mod append;
pub mod dedup;
pub mod eval;
pub mod fields;
pub mod fillnull;
pub mod foreach;
pub mod head;
pub mod join;
pub mod makeresults;
pub mod rename;
pub mod search;
pub mod search_base;
pub mod sort;
pub mod subsearch_format;
pub mod table;
pub mod where_;

use crate::spec::CommandSpec;

/// Every command the engine runs, for help, docs and the registry test.
pub static COMMANDS: &[&CommandSpec] = &[
    &append::SPEC,
    &dedup::SPEC,
    &eval::SPEC,
    &fields::SPEC,
    &fillnull::SPEC,
    &foreach::SPEC,
    &head::SPEC,
    &head::TAIL_SPEC,
    &join::SPEC,
    &makeresults::SPEC,
    &rename::SPEC,
    &search_base::SPEC,
    &sort::SPEC,
    &table::SPEC,
    &where_::SPEC,
];
