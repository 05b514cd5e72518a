//! Binding and planning: AST stages to operators, and the executor that pushes
//! batches through them.

use crate::commands;
use crate::commands::search::time_bounds;
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::time::TimeRange;
use arrow_array::RecordBatch;
use spl_parser::ast::{Command, Pipeline, Stage};
use spl_parser::options::OptReader;

/// Plans every stage of a pipeline. `has_input` is true when the pipeline
/// receives rows from outside (a `foreach` template, `appendpipe`); otherwise
/// the first stage must generate them.
pub fn plan_pipeline(
    pipeline: &Pipeline,
    ctx: &ExecContext,
    has_input: bool,
) -> Result<Vec<Box<dyn Operator>>> {
    let mut ops = Vec::with_capacity(pipeline.stages.len());
    for (i, stage) in pipeline.stages.iter().enumerate() {
        let first = i == 0 && !has_input;
        ops.push(plan_stage(stage, ctx, first)?);
    }
    Ok(ops)
}

/// Plans one stage. `first` is true for the generating position.
///
/// Options reach the planner through an [`OptReader`] over the command's
/// declared options; one written (and accepted by the parser) that the
/// planner never read is a documented option the engine does not implement,
/// and is rejected here rather than silently ignored.
pub fn plan_stage(stage: &Stage, ctx: &ExecContext, first: bool) -> Result<Box<dyn Operator>> {
    let spec = spl_parser::command_spec(&stage.name.node);
    let o = OptReader::new(
        spec.map_or("", |s| s.name),
        stage.command.options(),
        spec.map_or(&[], |s| s.options),
    );
    let op = plan_command(stage, ctx, first, &o)?;
    if let Some(opt) = o.unread().first() {
        return Err(EngineError::unsupported_option(o.command(), opt));
    }
    Ok(op)
}

/// Whether the engine runs a stage's command (the others parse, and are
/// rejected with `spl::run::unsupported_command` when planned).
pub fn runs(stage: &Stage) -> bool {
    match &stage.command {
        Command::Tstats(_) | Command::From(_) | Command::Collect(_) | Command::Generic(_) => false,
        Command::Simple(_) => commands::simple_planner(&stage.name.node).is_some(),
        _ => true,
    }
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

fn plan_command(
    stage: &Stage,
    ctx: &ExecContext,
    first: bool,
    o: &OptReader,
) -> Result<Box<dyn Operator>> {
    let unsupported = || EngineError::UnsupportedCommand {
        name: stage.name.node.clone(),
        span: stage.name.span,
    };
    Ok(match &stage.command {
        Command::Search(s) if first => commands::search_base::plan(s, stage, ctx)?,
        Command::Search(s) => commands::search_base::plan_filter(s, stage, ctx)?,
        Command::Where(w) => commands::where_::plan(w, ctx)?,
        Command::Eval(e) => commands::eval::plan(e, ctx)?,
        Command::Rename(r) => commands::rename::plan(r)?,
        Command::Fields(f) => commands::fields::plan(f),
        Command::Table(t) => commands::table::plan(t),
        Command::Fillnull(f) => commands::fillnull::plan(f),
        Command::Sort(s) => commands::sort::plan(s, stage)?,
        Command::Head(h) => commands::head::plan(h, o, ctx)?,
        Command::Tail(t) => commands::head::plan_tail(t),
        Command::Dedup(d) => commands::dedup::plan(d, o, stage)?,
        Command::Join(j) => commands::join::plan(j, o, stage, ctx)?,
        Command::Append(a) => commands::append::plan(a, o, ctx)?,
        Command::Foreach(f) => commands::foreach::plan(f, o, stage, ctx)?,
        Command::Makeresults(m) => commands::makeresults::plan(m, o, stage, ctx)?,
        Command::Stats(s) => commands::stats::plan_stats(s, o, stage, ctx)?,
        Command::Eventstats(s) => commands::eventstats::plan_eventstats(s, o, stage, ctx)?,
        Command::Streamstats(s) => commands::streamstats::plan_streamstats(s, o, stage, ctx)?,
        Command::Mstats(m) => commands::mstats::plan_mstats(m, o, stage, ctx)?,
        Command::Lookup(l) => commands::lookup::plan(l, o, ctx)?,
        Command::Inputlookup(i) => commands::inputlookup::plan(i, o, ctx)?,
        Command::Outputlookup(x) => commands::outputlookup::plan(x, o)?,
        Command::Iplocation(i) => commands::iplocation::plan(i, o, stage, ctx)?,
        Command::Convert(c) => commands::convert::plan(c, o, stage, ctx)?,
        Command::Rex(r) => commands::rex::plan(r, o, stage, ctx)?,
        Command::Regex(r) => commands::regex::plan(r, stage, ctx)?,
        Command::Bin(b) => commands::bin::plan(b, o, stage, ctx)?,
        Command::Spath(s) => commands::spath::plan(s, o, stage, ctx)?,
        Command::Mvexpand(m) => commands::mvexpand::plan(m, o, stage, ctx)?,
        Command::Mvcombine(m) => commands::mvcombine::plan(m, o, stage, ctx)?,
        Command::Makemv(m) => commands::makemv::plan(m, o, stage, ctx)?,
        Command::Appendpipe(a) => commands::appendpipe::plan(a, o, stage, ctx)?,
        Command::Top(t) => commands::top::plan(t, o, stage, false)?,
        Command::Rare(t) => commands::top::plan(t, o, stage, true)?,
        Command::Addtotals(a) => commands::addtotals::plan(a, o, stage, ctx)?,
        Command::Replace(r) => commands::replace::plan(r, stage, ctx)?,
        Command::Transaction(t) => commands::transaction::plan(t, o, stage, ctx)?,
        Command::Timechart(t) => commands::timechart::plan(t, o, stage, ctx)?,
        Command::Chart(c) => commands::chart::plan(c, o, stage, ctx)?,
        Command::Multisearch(m) => commands::multisearch::plan(m, stage, ctx)?,
        Command::Return(r) => commands::return_::plan(r, stage, ctx)?,
        Command::Format(f) => commands::format::plan(f, o, stage, ctx)?,
        Command::Map(m) => commands::map::plan(m, o, stage, ctx)?,
        Command::Simple(a) => match commands::simple_planner(&stage.name.node) {
            Some(plan) => plan(a, o, stage, ctx)?,
            None => return Err(unsupported()),
        },
        Command::Tstats(_) | Command::From(_) | Command::Collect(_) | Command::Generic(_) => {
            debug_assert!(!runs(stage));
            return Err(unsupported());
        }
    })
}

/// The first command of `pipeline` (nested pipelines included) that the
/// engine does not run, as the error planning it would give.
pub fn unsupported_command(pipeline: &Pipeline) -> Option<EngineError> {
    unsupported_commands(pipeline).into_iter().next()
}

/// Runs a planned pipeline to completion over optional input batches.
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

/// Plans and runs a pipeline (a search or a subsearch) with no outside input.
/// The pipeline runs in its own window ([`search_range`]), so a subsearch
/// never inherits the bounds its outer search wrote.
pub fn execute(pipeline: &Pipeline, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
    PlannedSearch::plan(pipeline, ctx)?.run(ctx)
}

/// A search planned ahead of running, in its own window: a subsearch is
/// planned with its command so that its errors surface (with their spans)
/// even when it never runs.
pub struct PlannedSearch {
    ops: Vec<Box<dyn Operator>>,
    range: TimeRange,
}

impl PlannedSearch {
    /// Plans `pipeline` as a search of its own (no outside input).
    pub fn plan(pipeline: &Pipeline, ctx: &ExecContext) -> Result<PlannedSearch> {
        let mut ctx = ctx.clone();
        ctx.search = search_range(pipeline, &ctx)?;
        Ok(PlannedSearch {
            ops: plan_pipeline(pipeline, &ctx, false)?,
            range: ctx.search,
        })
    }

    /// Runs the planned search to completion.
    pub fn run(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let mut ctx = ctx.clone();
        ctx.search = self.range;
        run_operators(&mut self.ops, Vec::new(), &ctx)
    }
}

/// The window a pipeline searches: the bounds its generating command writes
/// (base search terms, `mstats ... WHERE`), else the time picker's.
pub fn search_range(pipeline: &Pipeline, ctx: &ExecContext) -> Result<TimeRange> {
    let own = match pipeline.stages.first().map(|s| &s.command) {
        Some(Command::Search(s)) => time_bounds(s.expr.as_ref(), ctx)?.own_range(ctx.now),
        Some(Command::Mstats(m)) => commands::mstats::written_bounds(m, ctx)?.own_range(ctx.now),
        _ => None,
    };
    Ok(TimeRange::for_search(own, ctx.picker))
}
