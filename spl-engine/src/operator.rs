//! The push-based operator model: streaming commands emit from `push`,
//! blocking ones buffer and emit from `finish`. Also what a command's planner
//! is given ([`PlanCx`]), and the [`Planner`] through which commands that
//! hold a pipeline (subsearches, templates) plan it: commands never import
//! the planner, which dispatches to them, so the two do not form a cycle.

use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use arrow_array::RecordBatch;
use spl_parser::ast::{Pipeline, Stage};
use spl_parser::options::OptReader;

/// One planned command.
pub trait Operator: Send {
    /// Feeds one batch; returns the batches ready downstream.
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>>;
    /// End of input; returns the remaining batches.
    fn finish(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>>;
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
/// error (searches run through `plan::execute` or `session::Engine`, which
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
    EngineError::Internal("no planner in this context: run through plan::execute".into())
}

/// Runs planned operators to completion over optional input batches.
pub fn run_operators(
    ops: &mut [Box<dyn Operator>],
    input: Vec<RecordBatch>,
    ctx: &ExecContext,
) -> Result<Vec<RecordBatch>> {
    let mut batches = input;
    for op in ops.iter_mut() {
        let mut out = Vec::new();
        for b in batches {
            out.extend(op.push(b, ctx)?);
        }
        out.extend(op.finish(ctx)?);
        batches = out;
    }
    Ok(batches)
}
