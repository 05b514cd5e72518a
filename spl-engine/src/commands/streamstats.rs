//! `streamstats`: running aggregates added to each event in arrival order
//! (5.6).
//!
//! Options: `current` (default true: the event itself counts), `window=N`
//! (0 = unbounded; capped at `max_stream_window` = 10000), `global` (default
//! true: with a window and BY, one shared window of the last N events, each
//! event aggregating the ones of its group inside it; false: one window per
//! group), `reset_on_change` (start over when the BY values change).
//! Unbounded windows update one state per group incrementally; bounded
//! windows re-aggregate the window's stored values for each event.

use super::groupby::{time_column, GroupTable};
use super::stats::{make_batch, BoundAgg, BoundArg, StatsSpec};
use crate::aggregate::grouped::{new_row_state, obs_at, InputColumn, RowState, NO_GROUP};
use crate::aggregate::value::{build_column, Out, Val};
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::{ArrayRef, RecordBatch};
use spl_parser::ast::{self};
use spl_parser::options::OptReader;
use std::collections::{HashMap, VecDeque};

/// Help, reference page and runnable examples of `streamstats`.
pub static SPEC: CommandSpec = CommandSpec {
    name: "streamstats",
    aliases: &[],
    kind: CommandKind::Streaming,
    synopsis: "streamstats [current=<bool>] [window=<n>] [global=<bool>] [reset_on_change=<bool>] <func>(<field>) [AS <name>]... [BY <field-list>]",
    description: "Adds running aggregates to each result in arrival order, per BY group, optionally over a sliding window of results.",
    examples: &[
        Example {
            title: "number the results",
            spl: "| makeresults count=3 | streamstats count",
        },
    ],
    compat: "`time_window`, `reset_before` and `reset_after` are not supported yet.",
    simple: None,
};

/// `max_stream_window` (limits.conf).
const MAX_WINDOW: usize = 10_000;

/// Plans `streamstats`.
pub fn plan_streamstats(
    cmd: &ast::Stats,
    o: &OptReader,
    stage: &ast::Stage,
    ctx: &ExecContext,
) -> Result<Box<dyn Operator>> {
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
    Ok(Box::new(StreamstatsOp {
        current: o.flag("current")?,
        global: o.flag("global")?,
        reset_on_change: o.flag("reset_on_change")?,
        window,
        table: GroupTable::new(spec.by.clone(), spec.dedup_splitvals),
        instances: Vec::new(),
        spec,
        states: HashMap::new(),
        shared: VecDeque::new(),
        per_group: HashMap::new(),
        prev_group: None,
        seq: 0,
    }))
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

struct StreamstatsOp {
    spec: StatsSpec,
    current: bool,
    global: bool,
    reset_on_change: bool,
    window: usize,
    table: GroupTable,
    instances: Vec<Instance>,
    /// Unbounded mode: per group, one state per instance.
    states: HashMap<u32, Vec<Box<dyn RowState>>>,
    /// `global=true` window: (group, values) of the last N events.
    shared: VecDeque<(u32, RowObs)>,
    /// `global=false` windows.
    per_group: HashMap<u32, VecDeque<RowObs>>,
    prev_group: Option<u32>,
    seq: u64,
}

fn out_val(o: &Out) -> Val<'_> {
    match o {
        Out::Num(x) => Val::Num(*x),
        Out::Str(s) => Val::Str(s),
        Out::Mv(_) => Val::Str(""),
    }
}

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

    fn reset(&mut self) {
        self.states.clear();
        self.shared.clear();
        self.per_group.clear();
    }

    /// Aggregates stored window rows of group `g` with fresh states.
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

    fn row_results(&mut self, g: u32, obs: RowObs) -> Vec<Option<Out>> {
        if self.window == 0 {
            let states = self.states.entry(g).or_default();
            // instances found in later batches start empty for existing groups
            for inst in self.instances.iter().skip(states.len()) {
                states.push(inst.proto.fresh());
            }
            let add = |states: &mut Vec<Box<dyn RowState>>| {
                for (s, vals) in states.iter_mut().zip(&obs) {
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
        if self.global {
            if self.current {
                self.shared.push_back((g, obs));
                while self.shared.len() > self.window {
                    self.shared.pop_front();
                }
                return self
                    .aggregate_window(self.shared.iter().filter(|(x, _)| *x == g).map(|(_, o)| o));
            }
            let r =
                self.aggregate_window(self.shared.iter().filter(|(x, _)| *x == g).map(|(_, o)| o));
            self.shared.push_back((g, obs));
            while self.shared.len() > self.window {
                self.shared.pop_front();
            }
            return r;
        }
        let mut w = self.per_group.remove(&g).unwrap_or_default();
        let r = if self.current {
            w.push_back(obs);
            while w.len() > self.window {
                w.pop_front();
            }
            self.aggregate_window(w.iter())
        } else {
            let r = self.aggregate_window(w.iter());
            w.push_back(obs);
            while w.len() > self.window {
                w.pop_front();
            }
            r
        };
        self.per_group.insert(g, w);
        r
    }
}

fn agg_pattern_underscore(agg: &BoundAgg) -> bool {
    matches!(&agg.arg, BoundArg::Wildcard(g) if g.starts_with_underscore())
}

impl Operator for StreamstatsOp {
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let n = batch.num_rows();
        self.discover(&batch);
        let rg = self.table.assign(&batch)?;
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
        let time = if self.spec.aggs.iter().any(|a| a.func.needs_time()) {
            time_column(&batch)?
        } else {
            None
        };
        let mut results: Vec<Vec<Option<Out>>> = vec![Vec::with_capacity(n); self.instances.len()];
        for (row, g) in group.iter().enumerate() {
            let seq = self.seq + row as u64;
            let Some(g) = *g else {
                // null BY value: the event gets no aggregates
                results.iter_mut().for_each(|r| r.push(None));
                continue;
            };
            if self.reset_on_change && self.prev_group.is_some_and(|p| p != g) {
                self.reset();
            }
            self.prev_group = Some(g);
            let t = time.as_ref().and_then(|t| {
                (row < t.len() && arrow_array::Array::is_valid(t, row)).then(|| t.value(row))
            });
            let obs: RowObs = inputs
                .iter()
                .map(|col| {
                    let mut v = Vec::new();
                    obs_at(col, row, |x| v.push((x.to_out(), t, seq)));
                    v
                })
                .collect();
            for (r, o) in results.iter_mut().zip(self.row_results(g, obs)) {
                r.push(o);
            }
        }
        self.seq += n as u64;
        let mut cols: Vec<(String, ArrayRef)> = batch
            .schema()
            .fields()
            .iter()
            .zip(batch.columns())
            .map(|(f, c)| (f.name().clone(), c.clone()))
            .collect();
        for (inst, vals) in self.instances.iter().zip(results) {
            let arr = build_column(&vals);
            match cols.iter_mut().find(|(name, _)| *name == inst.name) {
                Some(slot) => slot.1 = arr,
                None => cols.push((inst.name.clone(), arr)),
            }
        }
        Ok(vec![make_batch(cols, n)?])
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(Vec::new())
    }
}
