//! `transaction [<field-list>] [maxspan=] [maxpause=] [maxevents=]
//! [startswith=] [endswith=] [connected=] [keepevicted=] [mvlist=]`: groups
//! events into transactions (Splunk's "transaction" reference page).
//!
//! Events are taken oldest first. An event joins the open transaction whose
//! field values agree with its own (at least one shared field, none
//! conflicting); `startswith` opens a new transaction, `endswith` closes one,
//! `maxspan`/`maxpause`/`maxevents` close one before an event that would
//! break them. A transaction is output when it is complete (started by a
//! `startswith` event and ended by an `endswith` event, where given);
//! incomplete ones are "evicted" and dropped unless `keepevicted=true`.
//! Events without any of the fields are orphans and dropped.
//!
//! Each transaction has `_time` of its earliest event, `_raw` of all events
//! (oldest first, newline separated), `duration` (last - first `_time`),
//! `eventcount`, and the union of every other field: distinct values in
//! lexicographic order, or all values in event order with `mvlist=true`.

use crate::aggregate::timespan::TimeSpan;
use crate::batch;
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::eval::BoundExpr;
use crate::filter::{SearchFilter, SearchMode};
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::groupby::time_column;
use crate::ops::texts::{build_texts, Texts};
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::{Array, ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field};
use spl_parser::ast::{Command, Opt, Transaction};
use spl_parser::options::OptReader;
use std::collections::HashMap;
use std::sync::Arc;

/// The `transaction` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Transforming,
    description: "Groups events sharing field values into transactions with `duration` and `eventcount`; `startswith`/`endswith` (search terms or eval(...)) mark the first and last events.",
    examples: &[Example {
        title: "login to logout",
        spl: "| makeresults count=3 | streamstats count as n | eval _time=_time+n, user=\"u\", action=case(n=1, \"login\", n=2, \"read\", n=3, \"logout\") | transaction user startswith=(action=login) endswith=eval(action==\"logout\")",
    }],
    compat: "`maxopentxn`, `maxopenevents`, `unifyends`, `keeporphans`, `name` and rendering options other than `mvlist` are not supported.",
};

/// A `startswith`/`endswith` filter.
enum Filter {
    Search(SearchFilter),
    Eval(BoundExpr),
}

impl Filter {
    fn bind(o: &Opt, ctx: &ExecContext) -> Result<Filter> {
        let text = o.value.node.trim();
        let rebase = |e: spl_parser::ParseError| {
            EngineError::invalid(
                format!("expected a search or eval(...) filter, found `{text}`: {e}"),
                o.value.span,
                "bad filter",
            )
        };
        if let Some(inner) = text
            .strip_prefix("eval(")
            .or_else(|| text.strip_prefix("EVAL("))
            .and_then(|t| t.strip_suffix(')'))
        {
            let src = format!("where {inner}");
            let p = spl_parser::parse_pipeline(&src).map_err(rebase)?;
            return match p.stages.first().map(|s| &s.command) {
                Some(Command::Where(w)) => Ok(Filter::Eval(
                    BoundExpr::bind_predicate(&w.expr, ctx)
                        .map_err(|e| e.pointing_at(o.value.span))?,
                )),
                _ => Err(EngineError::invalid(
                    format!("expected a boolean expression, found `{inner}`"),
                    o.value.span,
                    "bad filter",
                )),
            };
        }
        let inner = text.strip_prefix("search ").unwrap_or(text);
        let src = format!("search {inner}");
        let p = spl_parser::parse_pipeline(&src).map_err(rebase)?;
        match p.stages.first().map(|s| &s.command) {
            Some(Command::Search(s)) => {
                let (f, _) = SearchFilter::bind(s.expr.as_ref(), SearchMode::Events, ctx)
                    .map_err(|e| e.pointing_at(o.value.span))?;
                Ok(Filter::Search(f))
            }
            _ => Err(EngineError::invalid(
                format!("expected search terms, found `{text}`"),
                o.value.span,
                "bad filter",
            )),
        }
    }

    fn eval(&self, batch: &RecordBatch, ctx: &ExecContext) -> Result<BooleanArray> {
        match self {
            Filter::Search(f) => f.evaluate(batch, ctx),
            Filter::Eval(e) => e.eval_predicate(batch, ctx),
        }
    }
}

/// `maxspan`/`maxpause` in seconds (`-1` = unlimited).
fn seconds_opt(opts: &OptReader, key: &str) -> Result<Option<f64>> {
    let Some(o) = opts.get(key) else {
        return Ok(None);
    };
    let v = o.value.node.trim();
    if v == "-1" {
        return Ok(None);
    }
    let t = if v.bytes().all(|b| b.is_ascii_digit()) {
        format!("{v}s")
    } else {
        v.to_string()
    };
    Ok(Some(match TimeSpan::parse(&t, o.value.span)? {
        TimeSpan::Micros(us) => us as f64 / 1e6,
        TimeSpan::Days(d) => d as f64 * 86_400.0,
        TimeSpan::Months(m) => m as f64 * 30.0 * 86_400.0,
    }))
}

/// Plans `transaction`.
pub(crate) fn plan(t: &Transaction, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let (o, ctx) = (p.opts, p.ctx);
    // A negative count disables the limit (Splunk); so does 0 here.
    let maxevents = match o.int("maxevents")? {
        Some((n, _)) if n <= 0 => usize::MAX,
        Some((n, _)) => n as usize,
        None => 1000,
    };
    let start = o
        .get("startswith")
        .map(|x| Filter::bind(x, ctx))
        .transpose()?;
    let end = o
        .get("endswith")
        .map(|x| Filter::bind(x, ctx))
        .transpose()?;
    Ok(Box::new(TransactionOp {
        fields: t.fields.iter().map(|f| f.node.clone()).collect(),
        maxspan: seconds_opt(o, "maxspan")?,
        maxpause: seconds_opt(o, "maxpause")?,
        maxevents,
        start,
        end,
        connected: o.flag("connected")?,
        keepevicted: o.flag("keepevicted")?,
        mvlist: o.flag("mvlist")?,
        buffered: Vec::new(),
        mem: crate::limits::MemBudget::new("transaction", p.stage.span),
    }))
}

struct TransactionOp {
    fields: Vec<String>,
    maxspan: Option<f64>,
    maxpause: Option<f64>,
    maxevents: usize,
    start: Option<Filter>,
    end: Option<Filter>,
    connected: bool,
    keepevicted: bool,
    mvlist: bool,
    buffered: Vec<RecordBatch>,
    /// What `buffered` holds, against `blocking_max_mem_mb`.
    mem: crate::limits::MemBudget,
}

/// An open (or finished) transaction.
struct Txn {
    /// Instantiated value of each field.
    values: Vec<Option<String>>,
    rows: Vec<usize>,
    first: f64,
    last: f64,
    started: bool,
    ended: bool,
}

/// Open transactions, indexed by their values once every field is known
/// (the common case), so matching an event is a hash lookup.
#[derive(Default)]
struct OpenSet {
    txns: HashMap<u64, Txn>,
    by_key: HashMap<Vec<String>, u64>,
    partial: Vec<u64>,
    next: u64,
}

impl OpenSet {
    fn get(&self, id: u64) -> Option<&Txn> {
        self.txns.get(&id)
    }

    /// The newest open transaction that can take an event with values `ev`.
    fn find(&self, ev: &[Option<String>], fits: impl Fn(&[Option<String>]) -> bool) -> Option<u64> {
        let full: Option<Vec<String>> = ev.iter().cloned().collect();
        let mut best = match &full {
            Some(k) => self.by_key.get(k).copied(),
            None => self
                .by_key
                .values()
                .copied()
                .filter(|id| self.txns.get(id).is_some_and(|t| fits(&t.values)))
                .max(),
        };
        for &id in &self.partial {
            if self.txns.get(&id).is_some_and(|t| fits(&t.values)) && best.is_none_or(|b| id > b) {
                best = Some(id);
            }
        }
        best
    }

    fn insert(&mut self, t: Txn) -> u64 {
        let id = self.next;
        self.next += 1;
        self.txns.insert(id, t);
        self.partial.push(id);
        id
    }

    fn add_event(&mut self, id: u64, row: usize, time: f64, ev: &[Option<String>]) {
        let Some(x) = self.txns.get_mut(&id) else {
            return;
        };
        x.rows.push(row);
        x.last = time;
        for (slot, v) in x.values.iter_mut().zip(ev) {
            if slot.is_none() {
                slot.clone_from(v);
            }
        }
        if let Some(pos) = self.partial.iter().position(|&p| p == id) {
            let full: Option<Vec<String>> = x.values.iter().cloned().collect();
            if let Some(k) = full {
                self.partial.remove(pos);
                self.by_key.insert(k, id);
            }
        }
    }

    fn remove(&mut self, id: u64) -> Option<Txn> {
        let t = self.txns.remove(&id)?;
        self.partial.retain(|&p| p != id);
        let full: Option<Vec<String>> = t.values.iter().cloned().collect();
        if let Some(k) = full {
            if self.by_key.get(&k) == Some(&id) {
                self.by_key.remove(&k);
            }
        }
        Some(t)
    }

    /// Every still-open transaction, oldest first.
    fn drain(self) -> Vec<Txn> {
        let mut all: Vec<(u64, Txn)> = self.txns.into_iter().collect();
        all.sort_by_key(|(id, _)| *id);
        all.into_iter().map(|(_, t)| t).collect()
    }
}

fn mask_at(mask: &Option<BooleanArray>, row: usize) -> bool {
    mask.as_ref()
        .is_some_and(|m| row < m.len() && m.is_valid(row) && m.value(row))
}

impl TransactionOp {
    /// Whether a transaction with these values can take an event with `ev`.
    fn fits(&self, txn: &[Option<String>], ev: &[Option<String>]) -> bool {
        let mut shared = false;
        for (a, b) in txn.iter().zip(ev) {
            match (a, b) {
                (Some(x), Some(y)) if x != y => return false,
                (Some(_), Some(_)) => shared = true,
                _ => {}
            }
        }
        shared || !self.connected || self.fields.is_empty()
    }

    fn complete(&self, t: &Txn) -> bool {
        (self.start.is_none() || t.started) && (self.end.is_none() || t.ended)
    }

    fn group(&self, all: &RecordBatch, ctx: &ExecContext) -> Result<Vec<(Txn, bool)>> {
        let n = all.num_rows();
        let times: Vec<f64> = match time_column(all)? {
            Some(t) => (0..n)
                .map(|i| if t.is_valid(i) { t.value(i) } else { 0.0 })
                .collect(),
            None => vec![0.0; n],
        };
        let starts = self.start.as_ref().map(|f| f.eval(all, ctx)).transpose()?;
        let ends = self.end.as_ref().map(|f| f.eval(all, ctx)).transpose()?;
        let key_texts: Vec<Texts> = self
            .fields
            .iter()
            .map(|f| Texts::of(all, f))
            .collect::<Result<_>>()?;
        // oldest first; equal times keep the reverse of the (newest-first) input order
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| times[a].total_cmp(&times[b]).then(b.cmp(&a)));
        let mut open = OpenSet::default();
        let mut done: Vec<(Txn, bool)> = Vec::new();
        for row in order {
            let ev: Vec<Option<String>> = key_texts
                .iter()
                .map(|t| {
                    let v = t.get(row).to_vec();
                    (!v.is_empty()).then(|| v.join("\n"))
                })
                .collect();
            if !self.fields.is_empty() && ev.iter().all(Option::is_none) {
                continue; // orphan
            }
            let t = times[row];
            let is_start = mask_at(&starts, row);
            let is_end = mask_at(&ends, row);
            let mut id = open.find(&ev, |v| self.fits(v, &ev));
            // limits close the transaction before this event
            if let Some(i) = id {
                let breaks = open.get(i).is_some_and(|x| {
                    self.maxspan.is_some_and(|m| t - x.first > m)
                        || self.maxpause.is_some_and(|m| t - x.last > m)
                        || x.rows.len() >= self.maxevents
                        || is_start
                });
                if breaks {
                    if let Some(x) = open.remove(i) {
                        let ok = self.complete(&x);
                        done.push((x, ok));
                    }
                    id = None;
                }
            }
            let i = match id {
                Some(i) => i,
                None => {
                    if self.start.is_some() && !is_start {
                        continue; // not part of any started transaction
                    }
                    open.insert(Txn {
                        values: vec![None; self.fields.len()],
                        rows: Vec::new(),
                        first: t,
                        last: t,
                        started: is_start,
                        ended: false,
                    })
                }
            };
            open.add_event(i, row, t, &ev);
            if is_end {
                if let Some(mut x) = open.remove(i) {
                    x.ended = true;
                    let ok = self.complete(&x);
                    done.push((x, ok));
                }
            }
        }
        for x in open.drain() {
            let ok = self.complete(&x);
            done.push((x, ok));
        }
        Ok(done)
    }

    fn build(&self, all: &RecordBatch, txns: Vec<(Txn, bool)>) -> Result<RecordBatch> {
        let mut txns: Vec<(Txn, bool)> = txns
            .into_iter()
            .filter(|(_, ok)| *ok || self.keepevicted)
            .collect();
        // newest transaction first, like events
        txns.sort_by(|a, b| b.0.first.total_cmp(&a.0.first));
        let schema = all.schema();
        let mut fields = Vec::new();
        let mut arrays: Vec<ArrayRef> = Vec::new();
        fields.push(Field::new("_time", DataType::Float64, true));
        arrays.push(Arc::new(Float64Array::from(
            txns.iter().map(|(t, _)| t.first).collect::<Vec<_>>(),
        )));
        for f in schema.fields() {
            let name = f.name();
            if name == "_time" {
                continue;
            }
            let texts = Texts::of(all, name)?;
            if name == "_raw" {
                let raw: StringArray = txns
                    .iter()
                    .map(|(t, _)| {
                        let parts: Vec<&str> =
                            t.rows.iter().flat_map(|&r| texts.get(r).to_vec()).collect();
                        (!parts.is_empty()).then(|| parts.join("\n"))
                    })
                    .collect();
                fields.push(Field::new("_raw", DataType::Utf8, true));
                arrays.push(Arc::new(raw));
                continue;
            }
            let rows: Vec<Option<Vec<String>>> = txns
                .iter()
                .map(|(t, _)| {
                    let mut vals: Vec<String> = t
                        .rows
                        .iter()
                        .flat_map(|&r| texts.get(r).to_vec())
                        .map(str::to_string)
                        .collect();
                    if !self.mvlist {
                        vals.sort();
                        vals.dedup();
                    }
                    (!vals.is_empty()).then_some(vals)
                })
                .collect();
            let arr = build_texts(&rows);
            fields.push(Field::new(name, arr.data_type().clone(), true));
            arrays.push(arr);
        }
        let mut extra: Vec<(&str, Vec<f64>)> = vec![
            (
                "duration",
                txns.iter().map(|(t, _)| t.last - t.first).collect(),
            ),
            (
                "eventcount",
                txns.iter().map(|(t, _)| t.rows.len() as f64).collect(),
            ),
        ];
        if self.keepevicted {
            extra.push((
                "closed_txn",
                txns.iter()
                    .map(|(_, ok)| f64::from(u8::from(*ok)))
                    .collect(),
            ));
        }
        for (name, vals) in extra {
            if let Some(i) = fields.iter().position(|f| f.name() == name) {
                fields.remove(i);
                arrays.remove(i);
            }
            fields.push(Field::new(name, DataType::Float64, true));
            arrays.push(Arc::new(Float64Array::from(vals)));
        }
        batch::from_columns(fields, arrays, txns.len())
    }
}

impl Operator for TransactionOp {
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        self.mem.hold(&batch, &ctx.limits)?;
        self.buffered.push(batch);
        Ok(Vec::new())
    }

    fn finish(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let batches = std::mem::take(&mut self.buffered);
        if batches.is_empty() {
            return Ok(Vec::new());
        }
        let all = batch::concat_unified(&batches)?;
        let txns = self.group(&all, ctx)?;
        let out = self.build(&all, txns)?;
        Ok(if out.num_rows() == 0 {
            vec![]
        } else {
            vec![out]
        })
    }
}
