//! Building blocks of command operators that more than one command uses:
//! per-row text views of fields ([`texts`]), grouping keys ([`groupby`]),
//! sort keys ([`sort_keys`]), the `stats` family's bound aggregations and
//! accumulators ([`stats`]), the `chart`/`timechart` pivot ([`pivot`]) and
//! `top`/`rare` counting ([`frequency`]). `commands/` holds commands only.

pub(crate) mod datamodel;
pub(crate) mod frequency;
pub(crate) mod groupby;
pub(crate) mod pivot;
pub(crate) mod sort_keys;
pub(crate) mod stats;
#[cfg(test)]
mod tests;
pub(crate) mod texts;
