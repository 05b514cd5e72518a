//! `stats`, `eventstats`, `streamstats` and the aggregation clause grammar
//! shared with `mstats`, `tstats`, `timechart` and `chart`.

use crate::ast::display::{field, Words};
use crate::ast::{Expr, FieldName, Opt, SearchExpr};
use crate::options::{opt, OptKind as K, OptSpec};
use crate::parser::args::{agg, field_list, option};
use crate::parser::lex::{at_stage_end, is_option_start, keyword, quoted, ws};
use crate::parser::search::{search_expr, Stop};
use crate::parser::{fail, fail_kind, Cx, PErrKind, PResult};
use crate::span::{Span, Spanned};
use serde::Serialize;
use std::fmt;

/// The options of `stats` (Splunk's Search Reference).
pub(crate) static OPTIONS: &[OptSpec] = &[
    opt(
        "partitions",
        K::Count,
        Some("0"),
        "threads of the reduce phase",
    ),
    opt(
        "allnum",
        K::Bool,
        Some("false"),
        "numeric aggregations only for fields whose values are all numbers",
    ),
    opt(
        "delim",
        K::Text,
        Some(" "),
        "separator of flattened list() and values() outputs",
    ),
    opt(
        "dedup_splitvals",
        K::Bool,
        Some("false"),
        "count each value of a multivalue BY field once per result",
    ),
];
/// The options of `eventstats` (Splunk's Search Reference).
pub(crate) static EVENTSTATS_OPTIONS: &[OptSpec] = &[opt(
    "allnum",
    K::Bool,
    Some("false"),
    "numeric aggregations only for fields whose values are all numbers",
)];
/// The options of `streamstats` (Splunk's Search Reference).
pub(crate) static STREAMSTATS_OPTIONS: &[OptSpec] = &[
    opt(
        "reset_on_change",
        K::Bool,
        Some("false"),
        "reset when the BY values change",
    ),
    opt(
        "reset_before",
        K::Expr,
        None,
        "reset before a result for which this expression is true",
    ),
    opt(
        "reset_after",
        K::Expr,
        None,
        "reset after a result for which this expression is true",
    ),
    opt(
        "current",
        K::Bool,
        Some("true"),
        "include the current result in its own statistics",
    ),
    opt(
        "window",
        K::Count,
        Some("0"),
        "window size in results, 0 for all previous",
    ),
    opt("time_window", K::Span, None, "window as a time span"),
    opt(
        "global",
        K::Bool,
        Some("true"),
        "with window: one window for all groups (true) or one per group",
    ),
    opt(
        "allnum",
        K::Bool,
        Some("false"),
        "numeric aggregations only for fields whose values are all numbers",
    ),
];

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
    /// The inside of `sparkline(<func>[(<field>)][, <span>])`.
    Sparkline(SparklineArg),
}

/// The inside of `sparkline(...)`: an aggregation applied per time bucket,
/// and the bucket span (`sparkline(avg(bytes), 5m)`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SparklineArg {
    /// The aggregation function (`count`, `avg`, ...).
    pub func: Spanned<String>,
    /// Its field; `None` for a bare `count`.
    pub field: Option<FieldName>,
    /// The span as written (`1h`); `None`: chosen from the search's range.
    pub span: Option<Spanned<String>>,
}

impl fmt::Display for SparklineArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.func.node)?;
        if let Some(x) = &self.field {
            write!(f, "({})", field(&x.node))?;
        }
        if let Some(s) = &self.span {
            write!(f, ", {}", s.node)?;
        }
        Ok(())
    }
}

impl fmt::Display for Agg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.func.node)?;
        match &self.arg {
            Some(AggArg::Field(x)) => write!(f, "({})", field(&x.node))?,
            Some(AggArg::Eval(e)) => write!(f, "(eval({e}))")?,
            Some(AggArg::Sparkline(s)) => write!(f, "({s})")?,
            None => {}
        }
        if let Some(a) = &self.alias {
            write!(f, " AS {}", field(&a.node))?;
        }
        Ok(())
    }
}

/// The `eval(...)` arguments of aggregations, in order.
pub(crate) fn agg_exprs(aggs: &[Agg]) -> Vec<&crate::ast::Expr> {
    aggs.iter()
        .filter_map(|a| match &a.arg {
            Some(AggArg::Eval(e)) => Some(e),
            _ => None,
        })
        .collect()
}

/// Which clauses an aggregating command accepts.
#[derive(Clone, Copy, Default)]
pub(crate) struct Clauses {
    /// `WHERE <search>` (mstats, tstats).
    pub where_: bool,
    /// `FROM datamodel=X` (tstats).
    pub from: bool,
    /// `OVER <field>` (chart).
    pub over: bool,
    /// `GROUPBY` as a synonym of `BY` (mstats).
    pub groupby: bool,
    /// At least one aggregation is required.
    pub require_aggs: bool,
}

/// Everything an aggregating command can hold.
#[derive(Default)]
pub(crate) struct AggParts {
    pub options: Vec<Opt>,
    pub aggs: Vec<Agg>,
    pub by: Vec<FieldName>,
    pub where_: Option<SearchExpr>,
    pub from: Option<Spanned<String>>,
    pub over: Option<FieldName>,
}

/// Options, aggregations and the clauses in `c`, in any order.
pub(crate) fn clauses<'a>(cx: &Cx, i: &'a str, c: Clauses) -> PResult<'a, AggParts> {
    let mut p = AggParts::default();
    let mut j = i;
    // After `BY`, an option may interrupt the list (`by _time span=1h, host`):
    // bare names that follow still belong to it.
    let mut in_by = false;
    loop {
        let k = ws(j);
        if at_stage_end(k) {
            break;
        }
        if let Some(r) = k.strip_prefix(',') {
            j = r;
            continue;
        }
        let by_kw = keyword(k, "by").or_else(|| c.groupby.then(|| keyword(k, "groupby")).flatten());
        if let Some(after) = by_kw {
            let (r, f) = field_list(cx, after, &|s| {
                keyword(s, "where").is_some() || keyword(s, "over").is_some()
            })?;
            if f.is_empty() {
                return fail_kind(ws(after), PErrKind::Missing("field name after `BY`".into()));
            }
            p.by.extend(f);
            in_by = true;
            j = r;
            continue;
        }
        if c.where_ {
            if let Some(after) = keyword(k, "where") {
                // The command's own options end the clause (`... span=1h`).
                let stop = Stop {
                    by: true,
                    options: cx.command().map_or(&[], |c| c.options),
                };
                let (r, e) = search_expr(cx, after, stop)?;
                let Some(e) = e else {
                    return fail_kind(
                        ws(after),
                        PErrKind::Missing("search terms after `WHERE`".into()),
                    );
                };
                p.where_ = Some(match p.where_.take() {
                    Some(prev) => and(prev, e),
                    None => e,
                });
                j = r;
                continue;
            }
        }
        if c.from {
            if let Some(after) = keyword(k, "from") {
                let (r, name) = datamodel(cx, ws(after))?;
                p.from = Some(name);
                j = r;
                continue;
            }
        }
        if c.over {
            if let Some(after) = keyword(k, "over") {
                let (r, f) = crate::parser::lex::field_token(cx, ws(after))?;
                p.over = Some(f);
                j = r;
                continue;
            }
        }
        if is_option_start(k) {
            // After an option that interrupted a `WHERE` clause
            // (`WHERE a=1 span=1m b=2`), a `field=value` that is no option of
            // the command continues the clause.
            let key = &k[..crate::parser::lex::option_key_len(k)];
            let declared = cx
                .command()
                .is_some_and(|c| crate::options::find_spec(c.options, key).is_some());
            if c.where_ && !in_by && p.where_.is_some() && !declared {
                let stop = Stop {
                    by: true,
                    options: cx.command().map_or(&[], |c| c.options),
                };
                if let (r, Some(e)) = search_expr(cx, k, stop)? {
                    p.where_ = p.where_.take().map(|prev| and(prev, e));
                    j = r;
                    continue;
                }
            }
            let (r, o) = option(cx, k)?;
            p.options.push(o);
            j = r;
            continue;
        }
        if in_by {
            let (r, f) = field_list(cx, k, &|s| {
                keyword(s, "where").is_some() || keyword(s, "over").is_some()
            })?;
            if !f.is_empty() {
                p.by.extend(f);
                j = r;
                continue;
            }
        }
        let (r, a) = agg(cx, k)?;
        p.aggs.push(a);
        j = r;
    }
    if c.require_aggs && p.aggs.is_empty() {
        return fail_kind(ws(j), PErrKind::Missing("aggregation".into()));
    }
    Ok((j, p))
}

/// Two `WHERE` parts split by an option are one conjunction.
fn and(a: SearchExpr, b: SearchExpr) -> SearchExpr {
    let span = a.span.join(b.span);
    SearchExpr {
        kind: crate::ast::SearchKind::And(vec![a, b]),
        span,
    }
}

/// `datamodel=X`, `datamodel:X` or a bare name after `FROM`.
fn datamodel<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Spanned<String>> {
    let body = i
        .get(..9)
        .filter(|h| h.eq_ignore_ascii_case("datamodel"))
        .and_then(|_| i[9..].strip_prefix(['=', ':']))
        .unwrap_or(i);
    if body.starts_with('"') {
        return quoted(cx, body);
    }
    let n = body
        .find(|c: char| c.is_whitespace() || "|[]()\"".contains(c))
        .unwrap_or(body.len());
    if n == 0 {
        return fail(body, "data model name");
    }
    let rest = &body[n..];
    Ok((
        rest,
        Spanned::new(body[..n].to_string(), cx.span(body, rest)),
    ))
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Stats> {
    let (rest, p) = clauses(
        cx,
        i,
        Clauses {
            require_aggs: true,
            ..Clauses::default()
        },
    )?;
    Ok((
        rest,
        Stats {
            options: p.options,
            aggs: p.aggs,
            by: p.by,
        },
    ))
}

/// Pushes aggregations onto a word list.
pub(crate) fn push_aggs(w: &mut Words, aggs: &[Agg]) {
    for a in aggs {
        w.push(a);
    }
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        w.opts(&self.options);
        push_aggs(&mut w, &self.aggs);
        w.clause("BY", &self.by);
        w.fmt(f)
    }
}

impl crate::ast::CommandNode for Stats {
    fn options(&self) -> &[crate::ast::Opt] {
        &self.options
    }

    fn exprs(&self) -> Vec<&crate::ast::Expr> {
        super::stats::agg_exprs(&self.aggs)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    /// `sparkline`, alone, with a count and a span, and with a function of
    /// a field (the PaperCut detection writes `stats sparkline, count, ...`).
    #[test]
    fn sparklines() {
        insta::assert_snapshot!(cmd(r#"| stats sparkline, count sparkline(count, 1h) as trend SPARKLINE(avg("b y"),5m) sparkline(dc(x)) by h"#), @"
        command: Stats
        options: []
        aggs:
        - func:
            node: sparkline
            span: 8-17
          arg: null
          alias: null
          span: 8-17
        - func:
            node: count
            span: 19-24
          arg: null
          alias: null
          span: 19-24
        - func:
            node: sparkline
            span: 25-34
          arg: !Sparkline
            func:
              node: count
              span: 35-40
            field: null
            span:
              node: 1h
              span: 42-44
          alias:
            node: trend
            span: 49-54
          span: 25-54
        - func:
            node: SPARKLINE
            span: 55-64
          arg: !Sparkline
            func:
              node: avg
              span: 65-68
            field:
              node: b y
              span: 69-74
            span:
              node: 5m
              span: 76-78
          alias: null
          span: 55-79
        - func:
            node: sparkline
            span: 80-89
          arg: !Sparkline
            func:
              node: dc
              span: 90-92
            field:
              node: x
              span: 93-94
            span: null
          alias: null
          span: 80-96
        by:
        - node: h
          span: 100-101
        ");
    }

    #[test]
    fn sparkline_errors() {
        insta::assert_snapshot!(err("| stats sparkline(nosuch(x), 1h)"), @"
        spl::parse::unknown_function

          × unknown aggregation function `nosuch`
           ╭────
         1 │ | stats sparkline(nosuch(x), 1h)
           ·                   ───┬──
           ·                      ╰── not a known aggregation function
           ╰────
        ");
        insta::assert_snapshot!(err("| stats sparkline(count, )"), @"
        spl::parse::expected

          × expected a span such as `1h` after `,`, found `)`
           ╭────
         1 │ | stats sparkline(count, )
           ·                          ┬
           ·                          ╰── expected a span such as `1h` after `,`
           ╰────
          help: in `stats`; usage: stats [<option>=<value>]... <agg>[(<field>|
                eval(<expr>))] [AS <name>]... [BY <field>...]
        ");
        insta::assert_snapshot!(err("| stats sparkline(avg(x) 1h)"), @"
        spl::parse::unbalanced_bracket

          × unbalanced `(`: expected `)`, found `1h`
           ╭────
         1 │ | stats sparkline(avg(x) 1h)
           ·                  ┬
           ·                  ╰── this `(` is not matched
           ╰────
          help: in `stats`; usage: stats [<option>=<value>]... <agg>[(<field>|
                eval(<expr>))] [AS <name>]... [BY <field>...]
        ");
        insta::assert_snapshot!(err("| stats sparkline()"), @"
        spl::parse::expected

          × expected an aggregation such as `count` or `avg(bytes)` inside
          │ `sparkline(...)`, found `)`
           ╭────
         1 │ | stats sparkline()
           ·                   ┬
           ·                   ╰── expected an aggregation such as `count` or `avg(bytes)` inside `sparkline(...)`
           ╰────
          help: in `stats`; usage: stats [<option>=<value>]... <agg>[(<field>|
                eval(<expr>))] [AS <name>]... [BY <field>...]
        ");
    }

    #[test]
    fn seed_s2_eval_aggregations() {
        insta::assert_snapshot!(cmd(r#"| stats avg(eval(if(direction="transmit", io,null()))) as outbound_network_io count by key, service _time"#), @r#"
            command: Stats
            options: []
            aggs:
            - func:
                node: avg
                span: 8-11
              arg: !Eval
                kind: !Call
                  name:
                    node: if
                    span: 17-19
                  args:
                  - kind: !Binary
                      op: Eq
                      lhs:
                        kind: !Field
                          name: direction
                          quoted: false
                        span: 20-29
                      rhs:
                        kind: !Str transmit
                        span: 30-40
                    span: 20-40
                  - kind: !Field
                      name: io
                      quoted: false
                    span: 42-44
                  - kind: !Call
                      name:
                        node: 'null'
                        span: 45-49
                      args: []
                    span: 45-51
                span: 17-52
              alias:
                node: outbound_network_io
                span: 58-77
              span: 8-77
            - func:
                node: count
                span: 78-83
              arg: null
              alias: null
              span: 78-83
            by:
            - node: key
              span: 87-90
            - node: service
              span: 92-99
            - node: _time
              span: 100-105
        "#);
    }

    #[test]
    fn wildcards_and_percentiles() {
        insta::assert_snapshot!(cmd("| stats allnum=t avg(*:*) as avg_*:* p99.5(x) perc95(y), dc(user.groups{}) AS \"Group Count\""), @r#"
            command: Stats
            options:
            - key:
                node: allnum
                span: 8-14
              value:
                node: t
                span: 15-16
              quoted: false
            aggs:
            - func:
                node: avg
                span: 17-20
              arg: !Field
                node: '*:*'
                span: 21-24
              alias:
                node: avg_*:*
                span: 29-36
              span: 17-36
            - func:
                node: p99.5
                span: 37-42
              arg: !Field
                node: x
                span: 43-44
              alias: null
              span: 37-45
            - func:
                node: perc95
                span: 46-52
              arg: !Field
                node: y
                span: 53-54
              alias: null
              span: 46-55
            - func:
                node: dc
                span: 57-59
              arg: !Field
                node: user.groups{}
                span: 60-73
              alias:
                node: Group Count
                span: 78-91
              span: 57-91
            by: []
        "#);
    }

    #[test]
    fn eventstats_streamstats() {
        insta::assert_snapshot!(cmd("| eventstats avg(x) as a by h"), @r#"
            command: Eventstats
            options: []
            aggs:
            - func:
                node: avg
                span: 13-16
              arg: !Field
                node: x
                span: 17-18
              alias:
                node: a
                span: 23-24
              span: 13-24
            by:
            - node: h
              span: 28-29
        "#);
        insta::assert_snapshot!(cmd("| streamstats window=5 current=f count"), @r#"
            command: Streamstats
            options:
            - key:
                node: window
                span: 14-20
              value:
                node: '5'
                span: 21-22
              quoted: false
            - key:
                node: current
                span: 23-30
              value:
                node: f
                span: 31-32
              quoted: false
            aggs:
            - func:
                node: count
                span: 33-38
              arg: null
              alias: null
              span: 33-38
            by: []
        "#);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("| stats"), @r#"
            spl::parse::missing_argument

              × missing argument: expected aggregation, found end of input
               ╭────
             1 │ | stats
               ·       ┬
               ·       ╰── expected aggregation here
               ╰────
              help: in `stats`; usage: stats [<option>=<value>]... <agg>[(<field>|
                    eval(<expr>))] [AS <name>]... [BY <field>...]
        "#);
        insta::assert_snapshot!(err("| stats cnt(x)"), @r#"
            spl::parse::unknown_function

              × unknown aggregation function `cnt`
               ╭────
             1 │ | stats cnt(x)
               ·         ─┬─
               ·          ╰── not a known aggregation function
               ╰────
              help: did you mean `count`?
        "#);
        insta::assert_snapshot!(err("| stats count by"), @r#"
            spl::parse::missing_argument

              × missing argument: expected field name after `BY`, found end of input
               ╭────
             1 │ | stats count by
               ·                ┬
               ·                ╰── expected field name after `BY` here
               ╰────
              help: in `stats`; usage: stats [<option>=<value>]... <agg>[(<field>|
                    eval(<expr>))] [AS <name>]... [BY <field>...]
        "#);
        insta::assert_snapshot!(err("| stats avg(x"), @r#"
            spl::parse::unbalanced_bracket

              × unbalanced `(`: expected `)`, found end of input
               ╭────
             1 │ | stats avg(x
               ·            ┬
               ·            ╰── this `(` is not matched
               ╰────
              help: in `stats`; usage: stats [<option>=<value>]... <agg>[(<field>|
                    eval(<expr>))] [AS <name>]... [BY <field>...]
        "#);
    }
}
