//! One struct per typed command. Commands without a typed node parse into
//! [`Generic`]; the engine rejects those with `unknown command`.
//!
//! The parser issue adds more typed nodes; each new variant must be handled by
//! the engine's planner (it matches exhaustively).

use super::{Expr, FieldAlias, FieldName, Opt, Pipeline, SearchExpr, Subsearch};
use crate::span::{Span, Spanned};
use serde::Serialize;

/// Every command the parser knows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "command")]
pub enum Command {
    /// `search <terms>` (also the implicit leading search).
    Search(Search),
    /// `where <expr>`
    Where(Where),
    /// `eval f=expr, ...`
    Eval(Eval),
    /// `stats ...`
    Stats(Stats),
    /// `eventstats ...`
    Eventstats(Stats),
    /// `streamstats ...`
    Streamstats(Stats),
    /// `mstats ...`
    Mstats(Mstats),
    /// `tstats ...`
    Tstats(Tstats),
    /// `join ...`
    Join(Join),
    /// `append [...]`
    Append(Append),
    /// `foreach ... [template]`
    Foreach(Foreach),
    /// `lookup ...`
    Lookup(Lookup),
    /// `inputlookup ...`
    Inputlookup(Inputlookup),
    /// `outputlookup ...`
    Outputlookup(Outputlookup),
    /// `rename a AS b, ...`
    Rename(Rename),
    /// `fillnull [value=v] [fields]`
    Fillnull(Fillnull),
    /// `fields [+|-] list`
    Fields(Fields),
    /// `table list`
    Table(Table),
    /// `sort ...`
    Sort(Sort),
    /// `head ...`
    Head(Head),
    /// `tail N`
    Tail(Tail),
    /// `dedup ...`
    Dedup(Dedup),
    /// `iplocation ...`
    Iplocation(Iplocation),
    /// `makeresults ...`
    Makeresults(Makeresults),
    /// Any other command: name and raw arguments.
    Generic(Generic),
}

/// `search <terms>`; `expr` is `None` for an empty search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Search {
    /// The term expression.
    pub expr: Option<SearchExpr>,
}

/// `where <expr>`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Where {
    /// The predicate.
    pub expr: Expr,
}

/// `eval a=expr, b=expr`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Eval {
    /// Assignments, evaluated left to right.
    pub assignments: Vec<EvalAssign>,
}

/// One `target = expr` of an `eval`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalAssign {
    /// Destination field (bare, `'quoted'` or `"quoted"`; `{x}` means dynamic name).
    pub target: FieldName,
    /// The value.
    pub expr: Expr,
}

/// `stats`/`eventstats`/`streamstats`: options, aggregations, `BY`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// `key=value` options in order (`allnum`, `window`, `dedup_splitvals`, ...).
    pub options: Vec<Opt>,
    /// Aggregations in order.
    pub aggs: Vec<Agg>,
    /// `BY` fields.
    pub by: Vec<FieldName>,
}

/// One aggregation call `func(arg) [AS name]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agg {
    /// Function name as written (`count`, `dc`, `perc95`, `p99.5`, `avg`).
    pub func: Spanned<String>,
    /// The argument; `None` for a bare `count`.
    pub arg: Option<AggArg>,
    /// The `AS` name (may contain `*` for wildcard renames).
    pub alias: Option<FieldName>,
    /// Covers `func(arg) as name`.
    pub span: Span,
}

/// The argument of an aggregation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum AggArg {
    /// A field or wildcard pattern (`tcp.*`, `*:*`, `_value`).
    Field(FieldName),
    /// `eval(<expr>)`.
    Eval(Expr),
}

/// `mstats [opts] aggs... [WHERE search-expr] [BY dims] [span=..]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mstats {
    /// Options (`span`, `prestats`, `fillnull_value`, `every`, ...), wherever written.
    pub options: Vec<Opt>,
    /// Aggregations.
    pub aggs: Vec<Agg>,
    /// The `WHERE` clause (search-term language; macros already expanded).
    pub where_: Option<SearchExpr>,
    /// `BY`/`GROUPBY` dimensions.
    pub by: Vec<FieldName>,
}

/// `tstats [opts] aggs... [FROM datamodel=X] [WHERE search-expr] [BY fields]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tstats {
    /// Options (`summariesonly`, `allow_old_summaries`, `prestats`, `span`...).
    pub options: Vec<Opt>,
    /// Aggregations.
    pub aggs: Vec<Agg>,
    /// `FROM datamodel=...` (the text after `datamodel=`), or `FROM x`.
    pub from: Option<Spanned<String>>,
    /// `WHERE` clause.
    pub where_: Option<SearchExpr>,
    /// `BY` fields.
    pub by: Vec<FieldName>,
}

/// `join [opts] [fields] [subsearch]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Join {
    /// `type`, `max`, `overwrite`, `usetime`, `earlier`.
    pub options: Vec<Opt>,
    /// Join fields (empty: all common fields).
    pub fields: Vec<FieldName>,
    /// The right side.
    pub subsearch: Subsearch,
}

/// `append [opts] [subsearch]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Append {
    /// Options.
    pub options: Vec<Opt>,
    /// The appended search.
    pub subsearch: Subsearch,
}

/// `foreach [opts] <wc-fields> [template]`.
///
/// The template is kept as text: SPL substitutes `<<FIELD>>`, `<<MATCHSTR>>`...
/// textually (even inside string literals) and parses the result per field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Foreach {
    /// `mode`, `fieldstr`, `matchstr`, `matchseg1..3`, `itemstr`, `iterstr`.
    pub options: Vec<Opt>,
    /// Wildcard field patterns.
    pub fields: Vec<FieldName>,
    /// The template text between the brackets (exclusive).
    pub template: Spanned<String>,
}

/// `lookup [opts] table field [AS f]... [OUTPUT|OUTPUTNEW f [AS g]...]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lookup {
    /// `local`, `update`...
    pub options: Vec<Opt>,
    /// Lookup definition or file name.
    pub table: Spanned<String>,
    /// Match fields: lookup column `AS` event field.
    pub inputs: Vec<FieldAlias>,
    /// The output clause, if any.
    pub output: Option<LookupOutput>,
}

/// `OUTPUT`/`OUTPUTNEW` clause of `lookup`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LookupOutput {
    /// True for `OUTPUTNEW`.
    pub new_only: bool,
    /// Lookup column `AS` event field.
    pub fields: Vec<FieldAlias>,
}

/// `inputlookup [opts] table [WHERE search-expr]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Inputlookup {
    /// `append`, `start`, `max`...
    pub options: Vec<Opt>,
    /// Lookup definition or file name.
    pub table: Spanned<String>,
    /// Row filter.
    pub where_: Option<SearchExpr>,
}

/// `outputlookup [opts] table`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outputlookup {
    /// `append`, `create_empty`, `override_if_empty`, `createinapp`...
    pub options: Vec<Opt>,
    /// Lookup definition or file name.
    pub table: Spanned<String>,
}

/// `rename a AS b, ...`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rename {
    /// Pairs in order (wildcards allowed; the alias is always present).
    pub pairs: Vec<FieldAlias>,
}

/// `fillnull [value=v] [field...]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fillnull {
    /// The fill value (`None`: `0`).
    pub value: Option<Spanned<String>>,
    /// Fields to fill; empty: every field that exists.
    pub fields: Vec<FieldName>,
}

/// `fields [+|-] list`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fields {
    /// True for `fields -`.
    pub remove: bool,
    /// Wildcard field patterns.
    pub fields: Vec<FieldName>,
}

/// `table list`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// Wildcard field patterns, in output order.
    pub fields: Vec<FieldName>,
}

/// `sort [N|limit=N] [+|-]key, ... [desc]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sort {
    /// Maximum number of results (`None`: Splunk's default 10,000; `Some(0)`: all).
    pub limit: Option<u64>,
    /// Sort keys in priority order.
    pub keys: Vec<SortKey>,
    /// A trailing `desc` (reverses the whole order).
    pub desc: bool,
}

/// One sort key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SortKey {
    /// The field.
    pub field: FieldName,
    /// True for a leading `-`.
    pub descending: bool,
    /// `auto`, `str`, `num` or `ip` when written as `num(f)`; `None` = auto.
    pub func: Option<String>,
}

/// `head [N | limit=N | (expr)] [keeplast=b] [null=b]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Head {
    /// The count, if given.
    pub limit: Option<u64>,
    /// The `(expr)` form.
    pub expr: Option<Expr>,
    /// `keeplast`, `null`, `limit`.
    pub options: Vec<Opt>,
}

/// `tail [N]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tail {
    /// Count (default 10).
    pub limit: Option<u64>,
}

/// `dedup [N] fields [opts] [sortby ...]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dedup {
    /// Results to keep per combination (default 1).
    pub count: Option<u64>,
    /// The fields.
    pub fields: Vec<FieldName>,
    /// `keepevents`, `keepempty`, `consecutive`.
    pub options: Vec<Opt>,
    /// `sortby` keys.
    pub sortby: Vec<SortKey>,
}

/// `iplocation [prefix=p] [allfields=b] [lang=l] field`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Iplocation {
    /// Options.
    pub options: Vec<Opt>,
    /// The IP field.
    pub field: FieldName,
}

/// `makeresults [count=N] [annotate=b] [format=.. data=..]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Makeresults {
    /// Options.
    pub options: Vec<Opt>,
}

/// A command without a typed node: its name and raw arguments.
///
/// Arguments are whitespace-separated tokens (quoted strings and bracketed
/// subsearches kept whole). Running such a command is an `unknown command` error.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Generic {
    /// Raw argument tokens with spans.
    pub args: Vec<Spanned<String>>,
    /// Subsearches found among the arguments, parsed.
    pub subsearches: Vec<Subsearch>,
    /// The raw text after the command name (for printing).
    pub raw: Spanned<String>,
}

/// Marker so `Pipeline` is referenced from this module (subpipelines of
/// `appendpipe`, `foreach` templates parsed at run time).
pub type SubPipeline = Pipeline;
