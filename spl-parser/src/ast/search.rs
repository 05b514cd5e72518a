//! The search-term language (base search, `search`, `where` clauses of
//! `mstats`/`tstats`/`inputlookup`).

use super::Subsearch;
use crate::span::Span;
use serde::Serialize;

/// A search-term expression node with its span.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchExpr {
    /// What kind of node.
    pub kind: SearchKind,
    /// Covers the node.
    pub span: Span,
}

/// Search-term kinds. Precedence (tightest first): NOT, OR, AND/juxtaposition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum SearchKind {
    /// All must match (explicit `AND` or juxtaposition).
    And(Vec<SearchExpr>),
    /// Any must match.
    Or(Vec<SearchExpr>),
    /// `NOT x`.
    Not(Box<SearchExpr>),
    /// A bare or quoted term matched against `_raw` (`error`, `"failed login"`, `*`).
    Term(SearchValue),
    /// `field op value`; the value is always a literal (`fieldA=fieldB` compares with
    /// the text `fieldB`). `index`, `source`, `sourcetype`, `host` are fields here too.
    Compare {
        /// Field name (unquoted; may have been written `"user.groups{}"`).
        field: String,
        /// Span of the field name.
        field_span: Span,
        /// The comparison.
        op: SearchOp,
        /// The literal value.
        value: SearchValue,
    },
    /// `field IN (v1, v2, ...)`.
    In {
        /// Field name.
        field: String,
        /// Span of the field name.
        field_span: Span,
        /// Values (wildcards allowed).
        values: Vec<SearchValue>,
    },
    /// `earliest=...`, `latest=...` and friends (`starttime`, `endtime`,
    /// `_index_earliest`, ...), kept apart because they bound `_time` rather than match.
    TimeBound {
        /// Which bound (lower-cased key).
        key: String,
        /// The modifier text (`-30d@d`, `now`, `1700000000`, `11/15/2022:20:00:00`).
        value: String,
    },
    /// `CASE(term)` / `TERM(term)`.
    Func {
        /// `CASE` or `TERM` (upper-cased).
        name: String,
        /// The inner value.
        value: SearchValue,
    },
    /// A `[ ... ]` subsearch used as a search argument (its rows become terms).
    Subsearch(Box<Subsearch>),
}

/// Comparison operators of the search language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SearchOp {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl SearchOp {
    /// As written.
    pub fn as_str(self) -> &'static str {
        match self {
            SearchOp::Eq => "=",
            SearchOp::Ne => "!=",
            SearchOp::Lt => "<",
            SearchOp::Le => "<=",
            SearchOp::Gt => ">",
            SearchOp::Ge => ">=",
        }
    }
}

/// A literal in the search language: text with `*` wildcards, after escape
/// processing (`\"` -> `"`, `\\` -> `\`; unknown escapes such as `\s` keep both chars).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchValue {
    /// The value text.
    pub text: String,
    /// True when double-quoted in the source (phrases; `"AND"` is a value, not an operator).
    pub quoted: bool,
    /// Covers the value as written.
    pub span: Span,
}
