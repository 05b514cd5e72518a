//! Binding and planning: AST stages to operators, and the executor that pushes
//! batches through them.

use crate::commands;
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::filter::time_bounds;
use crate::operator::demand::{self, Demand};
use crate::operator::{
    run_search, run_search_into, Operator, PlanCx, PlannedSearch, Planner, Sink, StageCounter,
    WithEffects,
};
use crate::time::TimeRange;
use arrow_array::RecordBatch;
use spl_parser::ast::{Command, Pipeline, Stage};
use spl_parser::options::OptReader;

/// Plans every stage of a pipeline. `has_input` is true when the pipeline
/// receives rows from outside (a `foreach` template, `appendpipe`); otherwise
/// the first stage must generate them.
pub(crate) fn plan_pipeline(
    pipeline: &Pipeline,
    ctx: &ExecContext,
    has_input: bool,
) -> Result<Vec<Box<dyn Operator>>> {
    let mut ops = Vec::with_capacity(pipeline.stages.len());
    let demands = demand::stage_demands(pipeline);
    for (i, (stage, demand)) in pipeline.stages.iter().zip(&demands).enumerate() {
        let first = i == 0 && !has_input;
        let op = plan_stage_for(stage, ctx, first, demand)?;
        ops.push(if demand::has_effects(stage) {
            Box::new(WithEffects(op))
        } else {
            op
        });
    }
    Ok(ops)
}

/// Plans one stage. `first` is true for the generating position.
///
/// Options reach the planner through an [`OptReader`] over the command's
/// declared options; one written (and accepted by the parser) that the
/// planner never read is a documented option the engine does not implement,
/// and is rejected here rather than silently ignored.
#[cfg(test)] // the engine plans with a demand (`plan_stage_for`); tests plan one stage
pub fn plan_stage(stage: &Stage, ctx: &ExecContext, first: bool) -> Result<Box<dyn Operator>> {
    plan_stage_for(stage, ctx, first, &Demand::all())
}

/// Plans one stage whose output must meet `demand` (the fields and order the
/// stages after it need).
fn plan_stage_for(
    stage: &Stage,
    ctx: &ExecContext,
    first: bool,
    demand: &Demand,
) -> Result<Box<dyn Operator>> {
    let spec = spl_parser::command_spec(&stage.name.node);
    let o = OptReader::new(
        spec.map_or("", |s| s.name),
        stage.command.options(),
        spec.map_or(&[], |s| s.options),
    );
    let op = commands::plan_command(&PlanCx {
        stage,
        opts: &o,
        ctx,
        first,
        demand,
    })?;
    if let Some(opt) = o.unread().first() {
        return Err(EngineError::unsupported_option(o.command(), opt));
    }
    Ok(op)
}

/// Whether the engine runs a stage's command (the others parse, and are
/// rejected with `spl::run::unsupported_command` when planned).
pub fn runs(stage: &Stage) -> bool {
    commands::runs(&stage.command)
}

/// Every command of a search, nested pipelines included, that the engine
/// does not run: what `spl parse` reports so a rule author can lint a search.
pub fn unsupported_commands(pipeline: &Pipeline) -> Vec<EngineError> {
    let mut out = Vec::new();
    pipeline.walk_stages(&mut |st| {
        if !runs(st) {
            out.push(EngineError::UnsupportedCommand {
                name: st.name.node.clone(),
                span: st.name.span,
            });
        }
    });
    out
}

/// Plans and runs a pipeline (a search) with no outside input, handing
/// each output batch to `sink` as the last stage emits it (nothing is
/// collected), and counting each stage's rows, batches and wall time into
/// `profile` when given (`--explain`): one counter per stage of `pipeline`.
/// The pipeline runs in its own window ([`search_range`]). An error from
/// `sink` stops the search and is returned.
pub(crate) fn execute_into(
    pipeline: &Pipeline,
    ctx: &ExecContext,
    profile: Option<&mut Vec<StageCounter>>,
    sink: &mut Sink<'_>,
) -> Result<()> {
    let mut ctx = ctx.clone();
    ctx.planner = &PLANNER;
    let mut search = Search::plan(pipeline, &ctx)?;
    ctx.search = search.range;
    let counters = profile.map(|p| {
        *p = vec![StageCounter::default(); search.ops.len()];
        p.as_mut_slice()
    });
    run_search_into(&mut search.ops, &ctx, counters, sink)
}

/// The facts of the base search `pipeline` starts with (`None` when it
/// starts with another command): what it read, the time range it applied,
/// what its default-field terms excluded, the fields it uses that no event
/// has. `text` is the expanded search the spans point into; `budget`
/// caps the events read per dataset.
pub(crate) fn base_facts(
    pipeline: &Pipeline,
    text: &str,
    ctx: &ExecContext,
    budget: Option<u64>,
) -> Result<Option<crate::explain::BaseFacts>> {
    let Some(Command::Search(s)) = pipeline.stages.first().map(|s| &s.command) else {
        return Ok(None);
    };
    let mut ctx = ctx.clone();
    ctx.planner = &PLANNER;
    ctx.search = search_range(pipeline, &ctx)?;
    // the pass is no part of the search: its findings and reads are not the search's
    ctx.warnings = crate::warning::Warnings::default();
    ctx.scan = std::sync::Arc::default();
    commands::search_base::explain::base_facts(s, pipeline, text, &ctx, budget).map(Some)
}

/// The planner: what commands reach through [`ExecContext::planner`].
pub static PLANNER: SplPlanner = SplPlanner;

/// The engine's [`Planner`].
pub struct SplPlanner;

impl Planner for SplPlanner {
    fn plan_search(
        &self,
        pipeline: &Pipeline,
        ctx: &ExecContext,
    ) -> Result<Box<dyn PlannedSearch>> {
        Ok(Box::new(Search::plan(pipeline, ctx)?))
    }

    fn plan_stages(
        &self,
        pipeline: &Pipeline,
        ctx: &ExecContext,
    ) -> Result<Vec<Box<dyn Operator>>> {
        plan_pipeline(pipeline, ctx, true)
    }

    fn unsupported_command(&self, pipeline: &Pipeline) -> Option<EngineError> {
        unsupported_commands(pipeline).into_iter().next()
    }
}

/// A search planned ahead of running, in its own window.
struct Search {
    ops: Vec<Box<dyn Operator>>,
    range: TimeRange,
}

impl Search {
    /// Plans `pipeline` as a search of its own (no outside input).
    fn plan(pipeline: &Pipeline, ctx: &ExecContext) -> Result<Search> {
        let mut ctx = ctx.clone();
        ctx.search = search_range(pipeline, &ctx)?;
        Ok(Search {
            ops: plan_pipeline(pipeline, &ctx, false)?,
            range: ctx.search,
        })
    }
}

impl PlannedSearch for Search {
    fn run(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let mut ctx = ctx.clone();
        ctx.search = self.range;
        run_search(&mut self.ops, &ctx)
    }
}

/// The window a pipeline searches: the bounds its generating command writes
/// (base search terms, `mstats ... WHERE`), else the time picker's.
pub fn search_range(pipeline: &Pipeline, ctx: &ExecContext) -> Result<TimeRange> {
    let own = match pipeline.stages.first().map(|s| &s.command) {
        Some(Command::Search(s)) => time_bounds(s.expr.as_ref(), ctx)?.own_range(ctx.now),
        Some(Command::Mstats(m)) => commands::mstats::written_bounds(m, ctx)?.own_range(ctx.now),
        Some(Command::Tstats(t)) => commands::tstats::written_bounds(t, ctx)?.own_range(ctx.now),
        _ => None,
    };
    Ok(TimeRange::for_search(own, ctx.picker))
}
