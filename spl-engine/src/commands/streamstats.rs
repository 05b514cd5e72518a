//! `streamstats`: running aggregates added to each event in arrival order
//! (5.6).
//!
//! Options: `current` (default true: the event itself counts), `window=N`
//! (0 = unbounded; capped at `max_stream_window` = 10000), `global` (default
//! true: with a window and BY, one shared window of the last N events, each
//! event aggregating the ones of its group inside it; false: one window per
//! group), `time_window=<span>` (only events whose `_time` lies less than the
//! span before the event's own, or after it for input in descending time
//! order; the count window then defaults to `max_stream_window`),
//! `reset_on_change` (start over when the BY values change), `reset_before`
//! / `reset_after` (start over before / after an event for which an eval
//! expression is true; `reset_after` sees the event's own aggregates).
//! Unbounded windows update one state per group incrementally; bounded
//! windows re-aggregate the window's stored values for each event.

use crate::aggregate::grouped::{new_row_state, obs_at, InputColumn, RowState, NO_GROUP};
use crate::aggregate::value::{build_column, Out, Val};
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::eval::BoundExpr;
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::groupby::{time_column, GroupTable};
use crate::ops::stats::{make_batch, BoundAgg, BoundArg, StatsSpec};
use crate::spec::{CommandKind, CommandSpec, Example};
use crate::time::{self, Unit};
use arrow_array::{Array, ArrayRef, BooleanArray, RecordBatch};
use spl_parser::ast::{self, Opt};
use spl_parser::Span;
use std::collections::{HashMap, VecDeque};

/// Help, reference page and runnable examples of `streamstats`.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "Adds running aggregates to each result in arrival order, per BY group, optionally over a sliding window of results or of time, restarting where the BY values change or an expression says so.",
    examples: &[
        Example {
            title: "number the results",
            spl: "| makeresults count=3 | streamstats count",
        },
        Example {
            title: "count the results of the last five minutes",
            spl: "| makeresults count=4 | streamstats count as n | eval _time=_time+n*120 | streamstats time_window=5m count as recent",
        },
        Example {
            title: "restart a running total after it reaches 5",
            spl: "| makeresults count=6 | streamstats count as n | streamstats sum(n) as total reset_after=(total>=5)",
        },
    ],
    compat: "`time_window` needs the results in `_time` order (ascending or descending) and a `_time` on every result that has its BY fields; anything else is an error (Splunk's output is unspecified). A result exactly one span away from another is outside its window.",
};

/// `max_stream_window` (limits.conf).
const MAX_WINDOW: usize = 10_000;

/// Plans `streamstats`.
pub(crate) fn plan(cmd: &ast::Stats, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let (o, stage, ctx) = (p.opts, p.stage, p.ctx);
    let spec = StatsSpec::bind(cmd, o, stage, ctx)?;
    let window = match o.count("window")? {
        None => 0,
        Some((n, _)) if n as usize <= MAX_WINDOW => n as usize,
        Some((n, span)) => {
            return Err(EngineError::invalid(
                format!("expected a window between 0 and {MAX_WINDOW}, found `{n}`"),
                span,
                "bad window",
            ))
        }
    };
    let time_window = o.get("time_window").map(TimeWindow::parse).transpose()?;
    // With a time window, `max_stream_window` still caps the events in it (DOC).
    let window = match (&time_window, window) {
        (Some(_), 0) => MAX_WINDOW,
        (_, n) => n,
    };
    let reset_before = o
        .get("reset_before")
        .map(|x| bind_reset(x, ctx))
        .transpose()?;
    let reset_after = o
        .get("reset_after")
        .map(|x| bind_reset(x, ctx))
        .transpose()?;
    Ok(Box::new(StreamstatsOp {
        current: o.flag("current")?,
        global: o.flag("global")?,
        reset_on_change: o.flag("reset_on_change")?,
        reset_before,
        reset_after,
        window,
        time_window,
        table: GroupTable::new(spec.by.clone(), spec.dedup_splitvals),
        instances: Vec::new(),
        spec,
        states: HashMap::new(),
        shared: VecDeque::new(),
        per_group: HashMap::new(),
        prev_group: None,
        order: TimeOrder::default(),
        seq: 0,
        mem: crate::limits::MemBudget::new("streamstats", p.stage.span),
    }))
}

/// Binds `reset_before=`/`reset_after=`: an eval expression (Splunk writes
/// it in parentheses) that must be boolean, with errors pointing into the
/// option's value.
fn bind_reset(o: &Opt, ctx: &ExecContext) -> Result<BoundExpr> {
    let text = &o.value.node;
    let span = o.value.span;
    let quotes = if o.quoted { 2 } else { 0 };
    let start = span.start as usize + quotes / 2;
    // A quoted value with escapes (`\"`) no longer lines up with the query
    // byte for byte: its errors mark the whole value instead.
    let exact = span.len() == text.len() + quotes;
    let expr = spl_parser::parse_expr_at(text, start).map_err(|e| {
        if exact {
            EngineError::Parse(e)
        } else {
            EngineError::invalid(
                format!("`{}` is not an eval expression: {e}", o.key.node),
                span,
                "in this expression",
            )
        }
    })?;
    BoundExpr::bind_predicate(&expr, ctx).map_err(|e| if exact { e } else { e.pointing_at(span) })
}

/// `time_window=<n><unit>`.
#[derive(Debug, Clone, Copy)]
struct TimeWindow {
    n: i64,
    unit: Unit,
    /// The option's value, for the errors found while running.
    span: Span,
}

impl TimeWindow {
    fn parse(o: &Opt) -> Result<TimeWindow> {
        let text = o.value.node.trim();
        let bad = |label: &str| {
            EngineError::InvalidArgument {
            message: format!(
                "expected a time span such as 30s, 5m, 2d, 1w or 1mon for `time_window`, found `{text}`"
            ),
            span: o.value.span,
            label: label.into(),
            help: Some(
                "a whole number and a unit: s, m, h, d, w, mon, q or y (or us, ms, cs, ds)".into(),
            ),
        }
        };
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        let (num, unit) = text.split_at(digits);
        let n: i64 = if num.is_empty() {
            1
        } else {
            num.parse().map_err(|_| bad("bad number"))?
        };
        if n <= 0 {
            return Err(bad("the span must be positive"));
        }
        if unit.is_empty() {
            return Err(bad("no time unit"));
        }
        let unit = Unit::parse(unit).ok_or_else(|| bad("unknown unit"))?;
        Ok(TimeWindow {
            n,
            unit,
            span: o.value.span,
        })
    }

    /// Where the window of a result at `t` ends on the far side: for
    /// ascending input, results at or before this time are outside it; for
    /// descending input, results at or after it. Day-or-longer units follow
    /// the wall clock of the time zone, as in relative time modifiers.
    fn edge(&self, t: f64, ascending: bool, ctx: &ExecContext) -> f64 {
        let (n, unbounded) = if ascending {
            (-self.n, f64::NEG_INFINITY)
        } else {
            (self.n, f64::INFINITY)
        };
        time::offset(t, n, self.unit, &ctx.tz).unwrap_or(unbounded)
    }
}

/// The direction of `_time` seen so far (time windows need sorted input).
#[derive(Default)]
struct TimeOrder {
    last: Option<f64>,
    /// `Some(true)`: ascending; unknown while every time was equal.
    ascending: Option<bool>,
}

impl TimeOrder {
    /// Checks the next time; an error when it goes against the direction.
    fn check(&mut self, t: f64, tw: &TimeWindow) -> Result<()> {
        if let Some(last) = self.last {
            if t != last {
                let up = t > last;
                match self.ascending {
                    None => self.ascending = Some(up),
                    Some(a) if a != up => {
                        return Err(EngineError::InvalidArgument {
                            message: format!(
                                "`time_window` needs results sorted by `_time`, but {} follows {} in {} input",
                                time::format_time_iso(t),
                                time::format_time_iso(last),
                                if a { "ascending" } else { "descending" },
                            ),
                            span: tw.span,
                            label: "needs time-ordered input".into(),
                            help: Some(
                                "sort the results first: `| sort 0 _time` (or `- _time`)".into(),
                            ),
                        })
                    }
                    Some(_) => {}
                }
            }
        }
        self.last = Some(t);
        Ok(())
    }
}

/// One output column: an aggregation, on one field for wildcard ones.
struct Instance {
    agg: usize,
    field: Option<String>,
    name: String,
    proto: Box<dyn RowState>,
}

/// The values one event contributed: per instance, (value, time, seq).
type RowObs = Vec<Vec<(Out, Option<f64>, u64)>>;

/// An event in a bounded window.
struct Entry {
    group: u32,
    /// `_time` (always present with a time window).
    time: Option<f64>,
    obs: RowObs,
}

struct StreamstatsOp {
    spec: StatsSpec,
    current: bool,
    global: bool,
    reset_on_change: bool,
    reset_before: Option<BoundExpr>,
    reset_after: Option<BoundExpr>,
    /// Events in a bounded window (0: unbounded).
    window: usize,
    time_window: Option<TimeWindow>,
    table: GroupTable,
    instances: Vec<Instance>,
    /// Unbounded mode: per group, one state per instance.
    states: HashMap<u32, Vec<Box<dyn RowState>>>,
    /// `global=true` window: the last N events.
    shared: VecDeque<Entry>,
    /// `global=false` windows.
    per_group: HashMap<u32, VecDeque<Entry>>,
    prev_group: Option<u32>,
    order: TimeOrder,
    seq: u64,
    /// The group table and the per-group states and windows (estimated per
    /// group; a window holds at most `max_stream_window` events), against
    /// `blocking_max_mem_mb`.
    mem: crate::limits::MemBudget,
}

/// Estimated bytes of one group's state or window per aggregation.
const PER_GROUP_BYTES: usize = 128;

fn out_val(o: &Out) -> Val<'_> {
    match o {
        Out::Num(x) => Val::Num(*x),
        Out::Str(s) => Val::Str(s),
        Out::Mv(_) => Val::Str(""),
    }
}

/// Rows evaluated at once before `reset_after` is checked; it adapts to
/// how often the expression fires (see [`StreamstatsOp::push`]).
const FIRST_CHUNK: usize = 256;
const MAX_CHUNK: usize = 65_536;

impl StreamstatsOp {
    fn discover(&mut self, batch: &RecordBatch) {
        let schema = batch.schema();
        for (i, agg) in self.spec.aggs.iter().enumerate() {
            match &agg.arg {
                BoundArg::Wildcard(_) => {
                    for f in schema.fields() {
                        let name = f.name();
                        if f.name().starts_with('_') && !agg_pattern_underscore(agg) {
                            continue;
                        }
                        let Some(out) = agg.wildcard_name(name) else {
                            continue;
                        };
                        if !self
                            .instances
                            .iter()
                            .any(|x| x.agg == i && x.field.as_deref() == Some(name))
                        {
                            self.instances.push(Instance {
                                agg: i,
                                field: Some(name.clone()),
                                name: out,
                                proto: new_row_state(agg.func),
                            });
                        }
                    }
                }
                _ => {
                    if !self.instances.iter().any(|x| x.agg == i) {
                        self.instances.push(Instance {
                            agg: i,
                            field: None,
                            name: agg.name.clone(),
                            proto: new_row_state(agg.func),
                        });
                    }
                }
            }
        }
    }

    fn inputs(&self, batch: &RecordBatch, ctx: &ExecContext) -> Result<Vec<InputColumn>> {
        let mut out = Vec::with_capacity(self.instances.len());
        for inst in &self.instances {
            let agg = self
                .spec
                .aggs
                .get(inst.agg)
                .ok_or_else(|| EngineError::Internal("streamstats instance".into()))?;
            let col = match (&agg.arg, &inst.field) {
                (BoundArg::Rows, _) => InputColumn::Rows,
                (BoundArg::Eval(e), _) => InputColumn::from_array(&e.eval(batch, ctx)?)?,
                (BoundArg::Field(f), _) | (BoundArg::Wildcard(_), Some(f)) => {
                    match batch.column_by_name(f) {
                        Some(a) => InputColumn::from_array(a)?,
                        None => InputColumn::Missing,
                    }
                }
                (BoundArg::Wildcard(_), None) => InputColumn::Missing,
            };
            out.push(col);
        }
        Ok(out)
    }

    /// Starts over "as if no previous events had been seen" (DOC): every
    /// state and window, and the group `reset_on_change` compares with.
    fn reset(&mut self) {
        self.states.clear();
        self.shared.clear();
        self.per_group.clear();
        self.prev_group = None;
    }

    /// Aggregates stored window events with fresh states.
    fn aggregate_window<'a>(&self, rows: impl Iterator<Item = &'a RowObs>) -> Vec<Option<Out>> {
        let mut states: Vec<Box<dyn RowState>> =
            self.instances.iter().map(|i| i.proto.fresh()).collect();
        for obs in rows {
            for (s, vals) in states.iter_mut().zip(obs) {
                for (v, t, seq) in vals {
                    s.add(out_val(v), *t, *seq);
                }
            }
        }
        states.iter_mut().map(|s| s.result()).collect()
    }

    /// Drops from the front of a window the events that no longer belong
    /// in it once an event at `now` arrives: beyond the count, and (with a
    /// time window) one span or more away in time.
    fn trim(&self, w: &mut VecDeque<Entry>, now: Option<f64>, ctx: &ExecContext, keep: usize) {
        while w.len() > keep {
            w.pop_front();
        }
        let (Some(tw), Some(now)) = (&self.time_window, now) else {
            return;
        };
        let ascending = self.order.ascending.unwrap_or(true);
        let edge = tw.edge(now, ascending, ctx);
        while let Some(t) = w.front().and_then(|e| e.time) {
            let outside = if ascending { t <= edge } else { t >= edge };
            if !outside {
                break;
            }
            w.pop_front();
        }
    }

    fn row_results(&mut self, entry: Entry, ctx: &ExecContext) -> Vec<Option<Out>> {
        let g = entry.group;
        if self.window == 0 {
            let states = self.states.entry(g).or_default();
            // instances found in later batches start empty for existing groups
            for inst in self.instances.iter().skip(states.len()) {
                states.push(inst.proto.fresh());
            }
            let add = |states: &mut Vec<Box<dyn RowState>>| {
                for (s, vals) in states.iter_mut().zip(&entry.obs) {
                    for (v, t, seq) in vals {
                        s.add(out_val(v), *t, *seq);
                    }
                }
            };
            if self.current {
                add(states);
                return states.iter_mut().map(|s| s.result()).collect();
            }
            let r = states.iter_mut().map(|s| s.result()).collect();
            add(states);
            return r;
        }
        let now = entry.time;
        // The window before this event arrives: the previous N events
        // (current=false) or N-1 plus this one.
        let keep = if self.current {
            self.window - 1
        } else {
            self.window
        };
        let mut w = if self.global {
            std::mem::take(&mut self.shared)
        } else {
            self.per_group.remove(&g).unwrap_or_default()
        };
        self.trim(&mut w, now, ctx, keep);
        let mine = |w: &VecDeque<Entry>| {
            self.aggregate_window(w.iter().filter(|e| e.group == g).map(|e| &e.obs))
        };
        let r = if self.current {
            w.push_back(entry);
            mine(&w)
        } else {
            let r = mine(&w);
            w.push_back(entry);
            if w.len() > self.window {
                w.pop_front();
            }
            r
        };
        if self.global {
            self.shared = w;
        } else {
            self.per_group.insert(g, w);
        }
        r
    }

    /// The rows `from..from + len` of `batch` with the aggregate columns
    /// `results` (indexed from `from`) added or replacing same-named fields.
    fn output(
        &self,
        batch: &RecordBatch,
        results: &[Vec<Option<Out>>],
        from: usize,
        len: usize,
    ) -> Result<RecordBatch> {
        let part = batch.slice(from, len);
        let mut cols: Vec<(String, ArrayRef)> = part
            .schema()
            .fields()
            .iter()
            .zip(part.columns())
            .map(|(f, c)| (f.name().clone(), c.clone()))
            .collect();
        for (inst, vals) in self.instances.iter().zip(results) {
            let arr = build_column(vals.get(from..from + len).unwrap_or_default());
            match cols.iter_mut().find(|(name, _)| *name == inst.name) {
                Some(slot) => slot.1 = arr,
                None => cols.push((inst.name.clone(), arr)),
            }
        }
        make_batch(cols, len)
    }
}

fn agg_pattern_underscore(agg: &BoundAgg) -> bool {
    matches!(&agg.arg, BoundArg::Wildcard(g) if g.starts_with_underscore())
}

fn is_true(flags: Option<&BooleanArray>, row: usize) -> bool {
    flags.is_some_and(|f| row < f.len() && f.is_valid(row) && f.value(row))
}

impl Operator for StreamstatsOp {
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let n = batch.num_rows();
        self.discover(&batch);
        let rg = self.table.assign(&batch)?;
        let groups = self.states.len() + self.per_group.len();
        let held = groups
            .saturating_mul(self.instances.len().max(1) * PER_GROUP_BYTES)
            .saturating_add(self.table.heap_bytes());
        self.mem.check(held, &ctx.limits)?;
        let mut group = vec![None; n];
        for (i, &g) in rg.groups.iter().enumerate() {
            let row = rg
                .rows
                .as_ref()
                .map_or(Some(i), |r| r.get(i).map(|&x| x as usize));
            if let Some(slot) = row.and_then(|r| group.get_mut(r)) {
                if slot.is_none() && g != NO_GROUP {
                    *slot = Some(g);
                }
            }
        }
        let inputs = self.inputs(&batch, ctx)?;
        let time =
            if self.time_window.is_some() || self.spec.aggs.iter().any(|a| a.func.needs_time()) {
                time_column(&batch)?
            } else {
                None
            };
        let time_at = |row: usize| {
            time.as_ref()
                .and_then(|t| (row < t.len() && t.is_valid(row)).then(|| t.value(row)))
        };
        // Time windows need time-ordered input: checked for the whole batch
        // first (it does not depend on resets).
        if let Some(tw) = &self.time_window {
            for (row, g) in group.iter().enumerate() {
                if g.is_none() {
                    continue;
                }
                let Some(t) = time_at(row) else {
                    return Err(EngineError::InvalidArgument {
                        message: format!(
                            "`time_window` needs `_time` on every result, but result #{} has none",
                            self.seq + row as u64 + 1
                        ),
                        span: tw.span,
                        label: "needs `_time`".into(),
                        help: Some(
                            "give the results a `_time` (eval _time=...) or drop `time_window`"
                                .into(),
                        ),
                    });
                };
                self.order.check(t, tw)?;
            }
        }
        let before = self
            .reset_before
            .as_ref()
            .map(|e| e.eval_predicate(&batch, ctx))
            .transpose()?;
        let mut results: Vec<Vec<Option<Out>>> = vec![Vec::with_capacity(n); self.instances.len()];
        // `reset_after` can read this command's own outputs, so it is
        // evaluated on chunks of computed rows; when it fires inside a chunk
        // the rows after it are computed again from the reset state. The
        // chunk grows while it does not fire and shrinks to about the
        // distance between resets when it does, bounding the rework.
        let mut chunk = FIRST_CHUNK;
        let mut row = 0;
        while row < n {
            let end = if self.reset_after.is_some() {
                n.min(row + chunk)
            } else {
                n
            };
            for (r, &g) in group.iter().enumerate().take(end).skip(row) {
                if is_true(before.as_ref(), r) {
                    self.reset();
                }
                let Some(g) = g else {
                    // null BY value: the event gets no aggregates
                    results.iter_mut().for_each(|x| x.push(None));
                    continue;
                };
                if self.reset_on_change && self.prev_group.is_some_and(|p| p != g) {
                    self.reset();
                }
                self.prev_group = Some(g);
                let t = time_at(r);
                let seq = self.seq + r as u64;
                let obs: RowObs = inputs
                    .iter()
                    .map(|col| {
                        let mut v = Vec::new();
                        obs_at(col, r, |x| v.push((x.to_out(), t, seq)));
                        v
                    })
                    .collect();
                let entry = Entry {
                    group: g,
                    time: t,
                    obs,
                };
                for (x, o) in results.iter_mut().zip(self.row_results(entry, ctx)) {
                    x.push(o);
                }
            }
            let Some(after) = &self.reset_after else {
                row = end;
                continue;
            };
            let part = self.output(&batch, &results, row, end - row)?;
            let fired = after.eval_predicate(&part, ctx)?;
            match (0..fired.len()).find(|&k| is_true(Some(&fired), k)) {
                Some(k) => {
                    let last = row + k;
                    results.iter_mut().for_each(|x| x.truncate(last + 1));
                    self.reset();
                    chunk = (2 * (k + 1)).clamp(16, MAX_CHUNK);
                    row = last + 1;
                }
                None => {
                    chunk = (chunk * 2).min(MAX_CHUNK);
                    row = end;
                }
            }
        }
        self.seq += n as u64;
        Ok(vec![self.output(&batch, &results, 0, n)?])
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(Vec::new())
    }
}
