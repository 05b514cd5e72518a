//! The spanned abstract syntax tree of an SPL search.
//!
//! A [`Query`] is a [`Pipeline`] of [`Stage`]s; each stage holds one typed
//! [`Command`]. Eval/where expressions are [`Expr`] trees; search-term
//! expressions (base search, `search`, `mstats ... where`, `tstats ... where`,
//! `inputlookup ... where`) are [`SearchExpr`] trees, because SPL gives the two
//! languages different precedence and matching rules.
//!
//! `Display` on these types is the canonical printer (see `display.rs`):
//! `parse(&q.to_string()) == parse(original)` for every query we accept.

mod commands;
pub(crate) mod display;
mod expr;
mod search;
mod visit;

pub use commands::*;
pub use expr::*;
pub use search::*;
pub use visit::search_subsearches;

use crate::span::{Span, Spanned};
use serde::Serialize;

/// A whole search: the top-level pipeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Query {
    /// The top-level pipeline.
    pub pipeline: Pipeline,
}

/// `cmd | cmd | ...`: the commands of a search or a subsearch, in order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pipeline {
    /// Stages in execution order. The first may be an implicit `search`.
    pub stages: Vec<Stage>,
    /// Covers the whole pipeline text.
    pub span: Span,
}

/// One `| name args...` segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stage {
    /// The typed command.
    pub command: Command,
    /// The command name as written (`bucket` for an aliased `bin`); for an
    /// implicit leading search the name is `search` with an empty span at the start.
    pub name: Spanned<String>,
    /// True when the command was written after a `|` (or is a leading `| cmd`).
    pub piped: bool,
    /// Covers the name and all arguments (not the `|`).
    pub span: Span,
}

/// A `key=value` command option (`type=left`, `span=10s`, `max=0`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Opt {
    /// Option name as written (matching is case-insensitive where Splunk's is).
    pub key: Spanned<String>,
    /// The value, unquoted.
    pub value: Spanned<String>,
    /// True when the value was double-quoted in the source.
    pub quoted: bool,
}

/// A `[ ... ]` subsearch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Subsearch {
    /// The nested pipeline.
    pub pipeline: Pipeline,
    /// Covers the brackets.
    pub span: Span,
}

/// A field name or wildcard field pattern (`k8s.cluster.name`, `stdev_*`,
/// `user.groups{}`), already unquoted.
pub type FieldName = Spanned<String>;

/// `field [AS alias]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldAlias {
    /// The source field (or lookup column).
    pub field: FieldName,
    /// The `AS` name, if any.
    pub alias: Option<FieldName>,
}

/// Helpers shared by command structs.
pub fn find_opt<'a>(opts: &'a [Opt], key: &str) -> Option<&'a Opt> {
    opts.iter().find(|o| o.key.node.eq_ignore_ascii_case(key))
}
