//! Search-term filters, beside eval: the language of the base search and of
//! `search` later in a pipeline, `mstats ... where`, `inputlookup ... where`,
//! `transaction startswith=`, and `searchmatch()`.
//!
//! Semantics (docs: spl-semantics.md section 2): terms match `_raw`
//! case-insensitively; `field=value` compares text case-insensitively with `*`
//! wildcards (case-sensitively in metrics mode), any value of a multivalue field
//! may match; `f!=v` needs `f` to exist while `NOT f=v` keeps rows without `f`;
//! comparisons are numeric when both sides are numbers; precedence NOT > OR > AND.

mod subsearch;

use crate::batch::{self, values_at};
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::time::TimeRange;
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, BooleanArray, RecordBatch};
use arrow_schema::DataType;
use regex::Regex;
use spl_parser::ast::{SearchExpr, SearchKind, SearchOp, SearchValue};
use std::net::IpAddr;

/// How field comparisons behave: `search` is case-insensitive; `mstats` WHERE
/// is case-sensitive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchMode {
    /// The `search` command and base search.
    Events,
    /// `mstats`/`tstats` WHERE over metric dimensions.
    Metrics,
}

/// Time bounds written in a search expression, resolved to epoch seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TimeBounds {
    /// `earliest=` (inclusive) in the top-level AND.
    pub earliest: Option<f64>,
    /// `latest=` (exclusive) in the top-level AND.
    pub latest: Option<f64>,
    /// A bound written below an `OR` or `NOT` (`(earliest=-1h) OR (...)`):
    /// the search still sets its own window (the filter applies those
    /// bounds), so the picker's range does not apply.
    pub nested: bool,
}

impl TimeBounds {
    /// True when no bound is written anywhere.
    pub fn is_empty(&self) -> bool {
        self.earliest.is_none() && self.latest.is_none() && !self.nested
    }

    /// The window these bounds give their search, or `None` when it wrote
    /// none (the picker's range then applies): see [`TimeRange::written`].
    pub fn own_range(&self, now: f64) -> Option<TimeRange> {
        (!self.is_empty()).then(|| TimeRange::written(self.earliest, self.latest, now))
    }
}

/// The time bounds a search expression writes, without binding the rest.
pub fn time_bounds(expr: Option<&SearchExpr>, ctx: &ExecContext) -> Result<TimeBounds> {
    let mut bounds = TimeBounds::default();
    if let Some(e) = expr {
        collect_bounds(e, ctx, &mut bounds, true)?;
    }
    Ok(bounds)
}

/// A bound search-term filter.
#[derive(Debug, Clone)]
pub struct SearchFilter {
    node: Option<Node>,
}

/// A compiled value matcher for `field=value` and terms.
#[derive(Debug, Clone)]
enum ValueMatcher {
    /// `*`: any value.
    Any,
    /// Exact text (lower-cased when case-insensitive) and whether case is ignored.
    Exact(String, bool),
    /// Wildcard pattern compiled to a regex. Built here from escaped literals
    /// and `.*`, so it stays on Rust's `regex` (linear time, no PCRE limits);
    /// the user's own regexes go through [`crate::pcre`].
    Pattern(Regex),
    /// CIDR subnet.
    Cidr(IpAddr, u8),
}

#[derive(Debug, Clone)]
enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    True,
    /// A term against `_raw`.
    Term(ValueMatcher),
    Eq {
        field: String,
        m: ValueMatcher,
    },
    Ne {
        field: String,
        m: ValueMatcher,
    },
    Ord {
        field: String,
        op: SearchOp,
        value: String,
    },
    /// A `_time` bound.
    Time {
        earliest: bool,
        at: f64,
    },
}

impl SearchFilter {
    /// Binds a search expression; returns the filter and the time bounds its
    /// top-level AND states (those also stay in the filter as `_time` tests).
    pub fn bind(
        expr: Option<&SearchExpr>,
        mode: SearchMode,
        ctx: &ExecContext,
    ) -> Result<(SearchFilter, TimeBounds)> {
        let bounds = time_bounds(expr, ctx)?;
        let node = match expr {
            Some(e) => Some(compile(e, mode, ctx)?),
            None => None,
        };
        Ok((SearchFilter { node }, bounds))
    }

    /// The fields the filter reads (terms read `_raw`, time bounds `_time`),
    /// subsearch terms included (they ran when the filter was bound).
    pub fn fields(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut add = |n: &str| {
            if !out.iter().any(|x| x == n) {
                out.push(n.to_string());
            }
        };
        fn walk(n: &Node, add: &mut dyn FnMut(&str)) {
            match n {
                Node::And(items) | Node::Or(items) => items.iter().for_each(|i| walk(i, add)),
                Node::Not(inner) => walk(inner, add),
                Node::True => {}
                Node::Term(_) => add("_raw"),
                Node::Eq { field, .. } | Node::Ne { field, .. } | Node::Ord { field, .. } => {
                    add(field)
                }
                Node::Time { .. } => add("_time"),
            }
        }
        if let Some(n) = &self.node {
            walk(n, &mut add);
        }
        out
    }

    /// Whether any row may match, knowing only some fields' values for every
    /// row: `known(field)` is `Some(value)` when every row has that value
    /// (`Some(None)`: no row has the field), `None` when rows may differ.
    /// False only when the filter fails whatever the unknown fields hold: a
    /// dataset whose `index` is `a` cannot match `index=b`.
    pub fn may_match(&self, known: &dyn Fn(&str) -> Option<Option<String>>) -> bool {
        match &self.node {
            None => true,
            Some(n) => tri(n, known) != Some(false),
        }
    }

    /// Which rows match. Fields absent from the batch are missing on every row.
    pub fn evaluate(&self, batch: &RecordBatch, _ctx: &ExecContext) -> Result<BooleanArray> {
        self.evaluate_rows(batch)
    }

    /// [`SearchFilter::evaluate`] without a search context (matching reads
    /// only the batch), for tests a scan applies while decoding.
    pub(crate) fn evaluate_rows(&self, batch: &RecordBatch) -> Result<BooleanArray> {
        match &self.node {
            None => Ok(BooleanArray::from(vec![true; batch.num_rows()])),
            Some(n) => eval_node(n, batch),
        }
    }

    /// The terms of the top-level AND (nested ANDs flattened), each a
    /// filter of its own: a row the filter keeps passes every one of them,
    /// so a scan may drop rows that fail any one before the filter runs.
    pub(crate) fn conjuncts(&self) -> Vec<SearchFilter> {
        fn flatten(n: &Node, out: &mut Vec<SearchFilter>) {
            match n {
                Node::And(items) => items.iter().for_each(|i| flatten(i, out)),
                other => out.push(SearchFilter {
                    node: Some(other.clone()),
                }),
            }
        }
        let mut out = Vec::new();
        if let Some(n) = &self.node {
            flatten(n, &mut out);
        }
        out
    }
}

/// Three-valued evaluation of a node over rows of which only some fields
/// are known (see [`SearchFilter::may_match`]): `None` is "may differ".
fn tri(n: &Node, known: &dyn Fn(&str) -> Option<Option<String>>) -> Option<bool> {
    let field_test = |field: &str, test: &dyn Fn(&str) -> bool| -> Option<bool> {
        match known(field)? {
            None => Some(false),
            Some(v) => Some(test(&v)),
        }
    };
    match n {
        Node::True => Some(true),
        Node::And(items) => {
            let mut all = Some(true);
            for i in items {
                match tri(i, known) {
                    Some(false) => return Some(false),
                    None => all = None,
                    Some(true) => {}
                }
            }
            all
        }
        Node::Or(items) => {
            let mut any = Some(false);
            for i in items {
                match tri(i, known) {
                    Some(true) => return Some(true),
                    None => any = None,
                    Some(false) => {}
                }
            }
            any
        }
        Node::Not(inner) => tri(inner, known).map(|b| !b),
        Node::Term(_) | Node::Ord { .. } | Node::Time { .. } => None,
        Node::Eq { field, m } => {
            let ci = m.case_insensitive();
            field_test(field, &|v| m.matches(v, ci))
        }
        Node::Ne { field, m } => {
            let ci = m.case_insensitive();
            field_test(field, &|v| {
                !matches!(m, ValueMatcher::Any) && !m.matches(v, ci)
            })
        }
    }
}

/// Collects the top-level AND's bounds; `top` is false below an OR or NOT,
/// where a bound only marks the search as setting its own window.
fn collect_bounds(e: &SearchExpr, ctx: &ExecContext, b: &mut TimeBounds, top: bool) -> Result<()> {
    match &e.kind {
        SearchKind::And(items) => {
            for i in items {
                collect_bounds(i, ctx, b, top)?;
            }
        }
        SearchKind::Or(items) => {
            for i in items {
                collect_bounds(i, ctx, b, false)?;
            }
        }
        SearchKind::Not(inner) => collect_bounds(inner, ctx, b, false)?,
        SearchKind::TimeBound { key, value } => {
            let t = resolve(value, e, ctx)?;
            let window = matches!(
                key.as_str(),
                "earliest" | "starttime" | "latest" | "endtime"
            );
            if window && !top {
                b.nested = true;
            } else {
                match key.as_str() {
                    "earliest" | "starttime" => b.earliest = Some(t),
                    "latest" | "endtime" => b.latest = Some(t),
                    _ => {}
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn resolve(value: &str, e: &SearchExpr, ctx: &ExecContext) -> Result<f64> {
    crate::time::resolve_time_modifier(value, ctx.now, &ctx.tz).map_err(|err| match err {
        EngineError::InvalidTime { text, .. } => EngineError::InvalidTime {
            text,
            span: Some(e.span),
        },
        other => other,
    })
}

/// Whether a bound of each kind is among `items` (an AND group).
fn group_bounds(items: &[&SearchExpr]) -> (bool, bool) {
    let (mut e, mut l) = (false, false);
    for i in items {
        if let SearchKind::TimeBound { key, .. } = &i.kind {
            match key.as_str() {
                "earliest" | "starttime" => e = true,
                "latest" | "endtime" => l = true,
                _ => {}
            }
        }
    }
    (e, l)
}

/// Compiles an expression; an AND group (or a lone bound) that writes
/// `earliest` without `latest` also ends at now, as a search's window does
/// (spl-semantics 2.8), wherever it sits in the expression.
fn compile(e: &SearchExpr, mode: SearchMode, ctx: &ExecContext) -> Result<Node> {
    let items: Vec<&SearchExpr> = match &e.kind {
        SearchKind::And(items) => items.iter().collect(),
        _ => vec![e],
    };
    let node = compile_node(e, mode, ctx)?;
    Ok(match group_bounds(&items) {
        (true, false) => Node::And(vec![
            node,
            Node::Time {
                earliest: false,
                at: ctx.now,
            },
        ]),
        _ => node,
    })
}

fn compile_node(e: &SearchExpr, mode: SearchMode, ctx: &ExecContext) -> Result<Node> {
    let ci = mode == SearchMode::Events;
    Ok(match &e.kind {
        SearchKind::And(items) => Node::And(
            items
                .iter()
                .map(|i| match i.kind {
                    // bounds of this group are windowed by `compile` above
                    SearchKind::TimeBound { .. } => compile_node(i, mode, ctx),
                    _ => compile(i, mode, ctx),
                })
                .collect::<Result<_>>()?,
        ),
        SearchKind::Or(items) => Node::Or(
            items
                .iter()
                .map(|i| compile(i, mode, ctx))
                .collect::<Result<_>>()?,
        ),
        SearchKind::Not(inner) => Node::Not(Box::new(compile(inner, mode, ctx)?)),
        SearchKind::Term(v) => term_node(v, ci, e)?,
        SearchKind::Func { name, value } => {
            let case_sensitive = name.eq_ignore_ascii_case("CASE");
            term_node(value, ci && !case_sensitive, e)?
        }
        SearchKind::Compare {
            field, op, value, ..
        } => match op {
            SearchOp::Eq => Node::Eq {
                field: field.clone(),
                m: value_matcher(&value.text, ci, true, e)?,
            },
            SearchOp::Ne => Node::Ne {
                field: field.clone(),
                m: value_matcher(&value.text, ci, true, e)?,
            },
            _ => Node::Ord {
                field: field.clone(),
                op: *op,
                value: value.text.clone(),
            },
        },
        SearchKind::In { field, values, .. } => Node::Or(
            values
                .iter()
                .map(|v| {
                    Ok(Node::Eq {
                        field: field.clone(),
                        m: value_matcher(&v.text, ci, true, e)?,
                    })
                })
                .collect::<Result<_>>()?,
        ),
        SearchKind::TimeBound { key, value } => {
            let at = resolve(value, e, ctx)?;
            match key.as_str() {
                "earliest" | "starttime" => Node::Time { earliest: true, at },
                "latest" | "endtime" => Node::Time {
                    earliest: false,
                    at,
                },
                // Index-time bounds: exported data has no `_indextime`; they select everything.
                _ => Node::True,
            }
        }
        SearchKind::Subsearch(sub) => {
            let expr = subsearch::subsearch_to_search(sub, ctx)?;
            match expr {
                Some(x) => compile(&x, mode, ctx)?,
                None => Node::Not(Box::new(Node::True)),
            }
        }
    })
}

fn term_node(v: &SearchValue, ci: bool, e: &SearchExpr) -> Result<Node> {
    if v.text == "*" {
        return Ok(Node::True);
    }
    // Splunk matches terms as whole segments of `_raw` (2.1): a term that starts
    // (ends) with a letter or digit must not be preceded (followed) by one.
    let text = v.text.as_str();
    let mut re = String::from(if ci { "(?is)" } else { "(?s)" });
    if text.chars().next().is_some_and(char::is_alphanumeric) {
        re.push_str(r"(?:^|[^\p{L}\p{N}])");
    }
    for (i, part) in text.split('*').enumerate() {
        if i > 0 {
            re.push_str(".*?");
        }
        re.push_str(&regex::escape(part));
    }
    if text.chars().last().is_some_and(char::is_alphanumeric) {
        re.push_str(r"(?:$|[^\p{L}\p{N}])");
    }
    let regex = Regex::new(&re).map_err(|err| {
        EngineError::invalid(format!("invalid search term: {err}"), e.span, "here")
    })?;
    Ok(Node::Term(ValueMatcher::Pattern(regex)))
}

fn value_matcher(text: &str, ci: bool, allow_cidr: bool, e: &SearchExpr) -> Result<ValueMatcher> {
    if text == "*" {
        return Ok(ValueMatcher::Any);
    }
    if allow_cidr {
        if let Some((ip, bits)) = parse_cidr(text) {
            return Ok(ValueMatcher::Cidr(ip, bits));
        }
    }
    if !text.contains('*') {
        return Ok(ValueMatcher::Exact(
            if ci {
                text.to_lowercase()
            } else {
                text.to_string()
            },
            ci,
        ));
    }
    let mut re = String::from(if ci { "(?is)^" } else { "(?s)^" });
    for (i, part) in text.split('*').enumerate() {
        if i > 0 {
            re.push_str(".*");
        }
        re.push_str(&regex::escape(part));
    }
    re.push('$');
    let regex = Regex::new(&re).map_err(|err| {
        EngineError::invalid(format!("invalid wildcard pattern: {err}"), e.span, "here")
    })?;
    Ok(ValueMatcher::Pattern(regex))
}

fn parse_cidr(text: &str) -> Option<(IpAddr, u8)> {
    let (ip, bits) = text.split_once('/')?;
    let ip: IpAddr = ip.parse().ok()?;
    let bits: u8 = bits.parse().ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    (bits <= max).then_some((ip, bits))
}

fn cidr_contains(net: IpAddr, bits: u8, text: &str) -> bool {
    let Ok(ip) = text.trim().parse::<IpAddr>() else {
        return false;
    };
    match (net, ip) {
        (IpAddr::V4(n), IpAddr::V4(a)) => {
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - bits)
            };
            (u32::from(n) & mask) == (u32::from(a) & mask)
        }
        (IpAddr::V6(n), IpAddr::V6(a)) => {
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - bits)
            };
            (u128::from(n) & mask) == (u128::from(a) & mask)
        }
        _ => false,
    }
}

impl ValueMatcher {
    fn matches(&self, value: &str, ci: bool) -> bool {
        match self {
            ValueMatcher::Any => true,
            ValueMatcher::Exact(s, _) => {
                if ci {
                    value.eq_ignore_ascii_case(s)
                        || (!value.is_ascii() && value.to_lowercase() == *s)
                } else {
                    value == s
                }
            }
            ValueMatcher::Pattern(re) => re.is_match(value),
            ValueMatcher::Cidr(ip, bits) => cidr_contains(*ip, *bits, value),
        }
    }
    fn case_insensitive(&self) -> bool {
        match self {
            ValueMatcher::Pattern(re) => re.as_str().starts_with("(?is)"),
            ValueMatcher::Exact(_, ci) => *ci,
            ValueMatcher::Any | ValueMatcher::Cidr(..) => true,
        }
    }
}

/// Calls `f` on each value of a cell; returns whether `f` was true for any value
/// (`None` when the cell is null).
fn any_value(
    array: &ArrayRef,
    row: usize,
    f: &mut dyn FnMut(&str) -> bool,
) -> Result<Option<bool>> {
    if array.is_null(row) {
        return Ok(None);
    }
    match array.data_type() {
        DataType::Utf8 => Ok(Some(f(array.as_string::<i32>().value(row)))),
        _ => Ok(values_at(array, row)?.map(|vals| vals.iter().any(|v| f(v)))),
    }
}

fn eval_node(n: &Node, batch: &RecordBatch) -> Result<BooleanArray> {
    let rows = batch.num_rows();
    Ok(match n {
        Node::True => BooleanArray::from(vec![true; rows]),
        Node::And(items) => {
            let mut acc = BooleanArray::from(vec![true; rows]);
            for i in items {
                let r = eval_node(i, batch)?;
                acc = arrow_arith::boolean::and(&acc, &r)?;
            }
            acc
        }
        Node::Or(items) => {
            if let Some(r) = eval_in(items, batch)? {
                return Ok(r);
            }
            let mut acc = BooleanArray::from(vec![false; rows]);
            for i in items {
                let r = eval_node(i, batch)?;
                acc = arrow_arith::boolean::or(&acc, &r)?;
            }
            acc
        }
        Node::Not(inner) => arrow_arith::boolean::not(&eval_node(inner, batch)?)?,
        Node::Term(m) => match batch::column(batch, "_raw") {
            None => BooleanArray::from(vec![false; rows]),
            Some(raw) => per_row(raw, rows, |v| m.matches(v, true))?,
        },
        Node::Eq { field, m } => match batch::column(batch, field) {
            None => BooleanArray::from(vec![false; rows]),
            Some(col) => {
                let ci = m.case_insensitive();
                per_row(col, rows, |v| m.matches(v, ci))?
            }
        },
        Node::Ne { field, m } => match batch::column(batch, field) {
            None => BooleanArray::from(vec![false; rows]),
            Some(col) => {
                let ci = m.case_insensitive();
                if matches!(m, ValueMatcher::Any) {
                    // `f!=*` matches nothing.
                    BooleanArray::from(vec![false; rows])
                } else {
                    per_row(col, rows, |v| !m.matches(v, ci))?
                }
            }
        },
        Node::Ord { field, op, value } => match batch::column(batch, field) {
            None => BooleanArray::from(vec![false; rows]),
            Some(col) => {
                let rhs_num = crate::value::parse_number(value);
                per_row(col, rows, |v| {
                    let ord = match (crate::value::parse_number(v), rhs_num) {
                        (Some(a), Some(b)) => a.partial_cmp(&b),
                        _ => Some(v.cmp(value.as_str())),
                    };
                    match ord {
                        None => false,
                        Some(o) => match op {
                            SearchOp::Lt => o.is_lt(),
                            SearchOp::Le => o.is_le(),
                            SearchOp::Gt => o.is_gt(),
                            SearchOp::Ge => o.is_ge(),
                            SearchOp::Eq => o.is_eq(),
                            SearchOp::Ne => o.is_ne(),
                        },
                    }
                })?
            }
        },
        Node::Time { earliest, at } => match batch::column(batch, "_time") {
            None => BooleanArray::from(vec![false; rows]),
            Some(t) => {
                let t = arrow_cast::cast(t, &DataType::Float64)?;
                let t = t.as_primitive::<arrow_array::types::Float64Type>();
                t.iter()
                    .map(|v| Some(v.is_some_and(|v| if *earliest { v >= *at } else { v < *at })))
                    .collect()
            }
        },
    })
}

/// `f IN (a, b, ...)` (an OR of `f=value` tests of one field): one pass
/// over the column testing each value against every matcher, instead of one
/// pass and one OR per value. `None` when `items` is not of that form.
fn eval_in(items: &[Node], batch: &RecordBatch) -> Result<Option<BooleanArray>> {
    let mut field = None;
    let mut ms: Vec<(&ValueMatcher, bool)> = Vec::with_capacity(items.len());
    for i in items {
        match i {
            Node::Eq { field: f, m } if field.is_none_or(|x: &String| x == f) => {
                field = Some(f);
                ms.push((m, m.case_insensitive()));
            }
            _ => return Ok(None),
        }
    }
    let Some(field) = field.filter(|_| ms.len() > 1) else {
        return Ok(None);
    };
    let rows = batch.num_rows();
    Ok(Some(match batch::column(batch, field) {
        None => BooleanArray::from(vec![false; rows]),
        Some(col) => per_row(col, rows, |v| ms.iter().any(|(m, ci)| m.matches(v, *ci)))?,
    }))
}

fn per_row(col: &ArrayRef, rows: usize, mut f: impl FnMut(&str) -> bool) -> Result<BooleanArray> {
    let bits = |g: &mut dyn FnMut(usize) -> bool| {
        BooleanArray::new(arrow_buffer::BooleanBuffer::collect_bool(rows, g), None)
    };
    if let Some(s) = col.as_string_opt::<i32>() {
        // one value per row: no per-row type dispatch
        return Ok(bits(&mut |r| r < s.len() && s.is_valid(r) && f(s.value(r))));
    }
    if let Some(dict) = col.as_any_dictionary_opt() {
        // test each distinct value once, then map the codes
        let values = arrow_cast::cast(dict.values(), &DataType::Utf8)?;
        let hits: Vec<bool> = values
            .as_string::<i32>()
            .iter()
            .map(|v| v.is_some_and(&mut f))
            .collect();
        let keys = dict.normalized_keys();
        return Ok(bits(&mut |r| {
            col.is_valid(r)
                && keys
                    .get(r)
                    .and_then(|&k| hits.get(k))
                    .copied()
                    .unwrap_or(false)
        }));
    }
    let mut out = Vec::with_capacity(rows);
    for row in 0..rows {
        out.push(any_value(col, row, &mut f)?.unwrap_or(false));
    }
    Ok(BooleanArray::from(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::builder::{ListBuilder, StringBuilder};
    use arrow_array::types::Int32Type;
    use arrow_array::{DictionaryArray, Int32Array, StringArray};
    use arrow_schema::{Field, Schema};
    use spl_parser::ast::Command;
    use std::sync::Arc;

    fn filter(search: &str) -> SearchFilter {
        let q = spl_parser::parse(&format!("search {search}")).unwrap();
        let Some(Command::Search(s)) = q.pipeline.stages.first().map(|c| &c.command) else {
            panic!("not a search");
        };
        let ctx = ExecContext::new(0.0);
        SearchFilter::bind(s.expr.as_ref(), SearchMode::Events, &ctx)
            .unwrap()
            .0
    }

    fn hits(f: &SearchFilter, col: ArrayRef) -> Vec<bool> {
        let schema = Schema::new(vec![Field::new("f", col.data_type().clone(), true)]);
        let b = RecordBatch::try_new(Arc::new(schema), vec![col]).unwrap();
        let m = f.evaluate(&b, &ExecContext::new(0.0)).unwrap();
        (0..m.len()).map(|i| m.is_valid(i) && m.value(i)).collect()
    }

    /// `IN` over plain, dictionary and multivalue columns: values match
    /// without case on either side, nulls never match, any value of a
    /// multivalue field may match; the same as the OR of `=` tests.
    #[test]
    fn in_lists_match_each_encoding_alike() {
        let f = filter(r#"f IN ("Cmd.exe", "powershell.EXE", "n*d")"#);
        let or = filter(r#"f="Cmd.exe" OR f="powershell.EXE" OR f="n*d""#);
        let texts = [
            Some("cmd.exe"),
            Some("CMD.EXE"),
            None,
            Some("PowerShell.exe"),
            Some("notepad"),
            Some("cmd.exe2"),
            Some("ÇMD.exe"),
        ];
        let want = [true, true, false, true, true, false, false];
        let plain: ArrayRef = Arc::new(StringArray::from(texts.to_vec()));
        assert_eq!(hits(&f, plain.clone()), want);
        assert_eq!(hits(&or, plain), want);
        let dict: DictionaryArray<Int32Type> = texts.iter().copied().collect();
        assert_eq!(hits(&f, Arc::new(dict)), want);
        // a dictionary with a null entry, and keys pointing at it
        let values: ArrayRef = Arc::new(StringArray::from(vec![None, Some("CMD.exe")]));
        let d = DictionaryArray::<Int32Type>::try_new(
            Int32Array::from(vec![Some(0), Some(1), None]),
            values,
        )
        .unwrap();
        assert_eq!(hits(&f, Arc::new(d)), [false, true, false]);
        let mut lb = ListBuilder::new(StringBuilder::new());
        for vs in [&["x", "POWERSHELL.exe"][..], &["x"][..], &[][..]] {
            for v in vs {
                lb.values().append_value(v);
            }
            lb.append(true);
        }
        lb.append(false);
        assert_eq!(hits(&f, Arc::new(lb.finish())), [true, false, false, false]);
    }

    /// In `search` mode non-ASCII text compares lower-cased: `É` matches `é`.
    #[test]
    fn in_lists_lower_case_non_ascii_text() {
        let f = filter(r#"f IN ("été", "x")"#);
        let col: ArrayRef = Arc::new(StringArray::from(vec!["ÉTÉ", "Été", "ete"]));
        assert_eq!(hits(&f, col), [true, true, false]);
    }
}
