//! The push-based operator model: streaming commands emit from `push`,
//! blocking ones buffer and emit from `finish`. Also what a command's planner
//! is given ([`PlanCx`]), and the [`Planner`] through which commands that
//! hold a pipeline (subsearches, templates) plan it: commands never import
//! the planner, which dispatches to them, so the two do not form a cycle.

pub mod demand;

use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use arrow_array::RecordBatch;
use spl_parser::ast::{Pipeline, Stage};
use spl_parser::options::OptReader;
use std::time::{Duration, Instant};

/// One planned command.
pub trait Operator: Send {
    /// Feeds one batch; returns the batches ready downstream.
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>>;
    /// End of input; returns the remaining batches.
    fn finish(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>>;

    /// True once more input can change nothing this operator emits (`head`
    /// has its N results): the executor stops feeding it, and stops the scan
    /// when nothing upstream has effects of its own ([`Operator::has_effects`]).
    fn satisfied(&self) -> bool {
        false
    }

    /// True when the operator does something with its input besides emitting
    /// results (`outputlookup` writes it): its input is then never cut short
    /// by a satisfied operator downstream.
    fn has_effects(&self) -> bool {
        false
    }

    /// Runs the operator in the generating position (the first of a search):
    /// hands each batch to `out` as it is produced and stops as soon as `out`
    /// returns false (nothing downstream wants more). The default emits the
    /// batches of [`Operator::finish`]; the base search streams its scan.
    fn generate(
        &mut self,
        ctx: &ExecContext,
        out: &mut dyn FnMut(RecordBatch) -> Result<bool>,
    ) -> Result<()> {
        for b in self.finish(ctx)? {
            if !out(b)? {
                break;
            }
        }
        Ok(())
    }
}

/// Marks an operator whose input must not be cut short (see
/// [`Operator::has_effects`]); everything else is delegated.
pub struct WithEffects(pub Box<dyn Operator>);

impl Operator for WithEffects {
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        self.0.push(batch, ctx)
    }
    fn finish(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        self.0.finish(ctx)
    }
    fn satisfied(&self) -> bool {
        self.0.satisfied()
    }
    fn has_effects(&self) -> bool {
        true
    }
    fn generate(
        &mut self,
        ctx: &ExecContext,
        out: &mut dyn FnMut(RecordBatch) -> Result<bool>,
    ) -> Result<()> {
        self.0.generate(ctx, out)
    }
}

/// What a command's planner gets besides its node: the stage (for spans),
/// the command's options, the execution context, and whether the stage is
/// in the generating position (first, with no input from outside).
pub struct PlanCx<'a> {
    /// The stage being planned.
    pub stage: &'a Stage,
    /// Its options, read through their declarations.
    pub opts: &'a OptReader<'a>,
    /// The execution context.
    pub ctx: &'a ExecContext,
    /// True for the first stage of a search without outside input.
    pub first: bool,
    /// What the stages after this one need of its output (fields, order).
    pub demand: &'a demand::Demand,
}

impl PlanCx<'_> {
    /// The error for a Splunk command the engine does not run.
    pub fn unsupported(&self) -> EngineError {
        EngineError::UnsupportedCommand {
            name: self.stage.name.node.clone(),
            span: self.stage.name.span,
        }
    }
}

/// A search planned ahead of running (a subsearch planned with its command,
/// so its errors surface even when it never runs), in its own time window.
pub trait PlannedSearch: Send {
    /// Runs the search to completion.
    fn run(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>>;
}

/// Plans the pipelines commands hold. The planner (`plan::PLANNER`) is
/// reached through [`ExecContext::planner`].
pub trait Planner: Sync {
    /// Plans a search of its own (no outside input), in its own window.
    fn plan_search(&self, pipeline: &Pipeline, ctx: &ExecContext)
        -> Result<Box<dyn PlannedSearch>>;
    /// Plans stages fed from outside (`appendpipe`, `foreach` templates).
    fn plan_stages(&self, pipeline: &Pipeline, ctx: &ExecContext)
        -> Result<Vec<Box<dyn Operator>>>;
    /// The first command of `pipeline` (nested pipelines included) that the
    /// engine does not run, as the error planning it would give.
    fn unsupported_command(&self, pipeline: &Pipeline) -> Option<EngineError>;
}

/// The planner of a context built without one: every plan is an internal
/// error (searches run through `plan::execute_into` or `session::Engine`, which
/// set the real planner).
pub struct NoPlanner;

impl Planner for NoPlanner {
    fn plan_search(&self, _: &Pipeline, _: &ExecContext) -> Result<Box<dyn PlannedSearch>> {
        Err(no_planner())
    }
    fn plan_stages(&self, _: &Pipeline, _: &ExecContext) -> Result<Vec<Box<dyn Operator>>> {
        Err(no_planner())
    }
    fn unsupported_command(&self, _: &Pipeline) -> Option<EngineError> {
        None
    }
}

fn no_planner() -> EngineError {
    EngineError::Internal("no planner in this context: run through plan::execute_into".into())
}

/// Where the executor hands each output batch of the last operator: a
/// caller's sink (a writer streaming rows out) or a vector collecting them.
/// A sink's error stops the search at once (a closed output).
pub type Sink<'s> = dyn FnMut(RecordBatch) -> Result<()> + 's;

/// Runs planned operators to completion over input batches (the first
/// operator is fed, not generating: `appendpipe`, `foreach` templates).
pub fn run_operators(
    ops: &mut [Box<dyn Operator>],
    input: Vec<RecordBatch>,
    ctx: &ExecContext,
) -> Result<Vec<RecordBatch>> {
    let mut out = Vec::new();
    let mut sink = |b| {
        out.push(b);
        Ok(())
    };
    let mut exec = Executor::new(ops, &mut sink);
    for b in input {
        if !exec.wants_input(0) {
            break;
        }
        exec.feed(0, b, ctx)?;
    }
    exec.finish_from(0, ctx)?;
    Ok(out)
}

/// Runs a search's operators: the first generates ([`Operator::generate`]),
/// each batch it produces flows through the rest at once, and generation
/// stops when no operator downstream wants more.
pub fn run_search(ops: &mut [Box<dyn Operator>], ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
    let mut out = Vec::new();
    run_search_into(ops, ctx, None, &mut |b| {
        out.push(b);
        Ok(())
    })?;
    Ok(out)
}

/// What the executor counts for one stage when a search is profiled
/// (`spl run --explain`): rows and batches in and out, and the wall time
/// spent in the stage's own `push`/`finish`/`generate` (not in the stages
/// it feeds). The time is a measurement only; it never reaches a result.
#[derive(Debug, Clone, Copy, Default)]
pub struct StageCounter {
    /// Rows fed to the stage.
    pub rows_in: u64,
    /// Batches fed to the stage.
    pub batches_in: u64,
    /// Rows the stage emitted.
    pub rows_out: u64,
    /// Batches the stage emitted.
    pub batches_out: u64,
    /// Wall time in the stage itself.
    pub time: Duration,
}

impl StageCounter {
    fn emitted(&mut self, batches: &[RecordBatch]) {
        self.batches_out += batches.len() as u64;
        self.rows_out += batches.iter().map(|b| b.num_rows() as u64).sum::<u64>();
    }
}

/// [`run_search`], counting into `profile` (one counter per operator) when
/// given, and handing each batch the last operator emits to `sink` as soon
/// as it is emitted (so output can be written while the search runs). The
/// counting sits here, in the one place every batch passes, so no command
/// counts for itself; unprofiled, it costs one branch per batch.
pub fn run_search_into(
    ops: &mut [Box<dyn Operator>],
    ctx: &ExecContext,
    profile: Option<&mut [StageCounter]>,
    sink: &mut Sink<'_>,
) -> Result<()> {
    let Some((source, rest)) = ops.split_first_mut() else {
        return Ok(());
    };
    let (mut first, rest_profile) = match profile.and_then(|p| p.split_first_mut()) {
        Some((f, r)) => (Some(f), Some(r)),
        None => (None, None),
    };
    let mut exec = Executor::new(rest, sink);
    exec.profile = rest_profile;
    if exec.wants_input(0) {
        let started = first.is_some().then(Instant::now);
        let mut downstream = Duration::ZERO;
        source.generate(ctx, &mut |b| {
            let fed = match first.as_deref_mut() {
                Some(c) => {
                    c.emitted(std::slice::from_ref(&b));
                    Some(Instant::now())
                }
                None => None,
            };
            exec.feed(0, b, ctx)?;
            if let Some(t) = fed {
                downstream += t.elapsed();
            }
            Ok(exec.wants_input(0))
        })?;
        if let (Some(c), Some(t)) = (first, started) {
            c.time += t.elapsed().saturating_sub(downstream);
        }
    }
    exec.finish_from(0, ctx)
}

/// Pushes batches through a chain of operators, each output going on to the
/// next operator at once (depth first), so no stage runs to completion
/// before the next unless it is blocking itself.
struct Executor<'a, 's> {
    ops: &'a mut [Box<dyn Operator>],
    /// Receives what the last operator emits.
    out: &'a mut Sink<'s>,
    /// One counter per operator when the search is profiled.
    profile: Option<&'a mut [StageCounter]>,
}

impl<'a, 's> Executor<'a, 's> {
    fn new(ops: &'a mut [Box<dyn Operator>], out: &'a mut Sink<'s>) -> Self {
        Executor {
            ops,
            out,
            profile: None,
        }
    }

    /// Whether input fed at `from` can still matter: no operator from there
    /// on is satisfied, or one with effects comes before the first that is.
    fn wants_input(&self, from: usize) -> bool {
        let rest = self.ops.get(from..).unwrap_or_default();
        match rest.iter().position(|o| o.satisfied()) {
            None => true,
            Some(k) => rest.iter().take(k).any(|o| o.has_effects()),
        }
    }

    /// The counter of operator `i`, when profiling.
    fn counter(&mut self, i: usize) -> Option<&mut StageCounter> {
        self.profile.as_deref_mut().and_then(|p| p.get_mut(i))
    }

    /// Feeds `batch` to operator `i` and what it emits onwards.
    fn feed(&mut self, i: usize, batch: RecordBatch, ctx: &ExecContext) -> Result<()> {
        let Some(op) = self.ops.get_mut(i) else {
            return (self.out)(batch);
        };
        if op.satisfied() {
            return Ok(());
        }
        let out = if self.profile.is_some() {
            let rows = batch.num_rows() as u64;
            let t = Instant::now();
            let out = op.push(batch, ctx)?;
            let time = t.elapsed();
            if let Some(c) = self.counter(i) {
                c.rows_in += rows;
                c.batches_in += 1;
                c.time += time;
                c.emitted(&out);
            }
            out
        } else {
            op.push(batch, ctx)?
        };
        for b in out {
            self.feed(i + 1, b, ctx)?;
        }
        Ok(())
    }

    /// End of input at operator `from`: finishes it and each later one in
    /// turn, feeding what each emits to the next.
    fn finish_from(mut self, from: usize, ctx: &ExecContext) -> Result<()> {
        for i in from..self.ops.len() {
            let Some(op) = self.ops.get_mut(i) else {
                break;
            };
            let t = self.profile.is_some().then(Instant::now);
            let out = op.finish(ctx)?;
            if let Some(t) = t {
                let time = t.elapsed();
                if let Some(c) = self.counter(i) {
                    c.time += time;
                    c.emitted(&out);
                }
            }
            for b in out {
                self.feed(i + 1, b, ctx)?;
            }
        }
        Ok(())
    }
}
