//! Binding and planning: AST stages to operators, and the executor that pushes
//! batches through them.

use crate::commands;
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use arrow_array::RecordBatch;
use spl_parser::ast::{Command, Pipeline, Stage};

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
pub fn plan_stage(stage: &Stage, ctx: &ExecContext, first: bool) -> Result<Box<dyn Operator>> {
    let unknown = || EngineError::UnknownCommand {
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
        Command::Head(h) => commands::head::plan(h, ctx)?,
        Command::Tail(t) => commands::head::plan_tail(t),
        Command::Dedup(d) => commands::dedup::plan(d, stage)?,
        Command::Join(j) => commands::join::plan(j, stage, ctx)?,
        Command::Append(a) => commands::append::plan(a, ctx)?,
        Command::Foreach(f) => commands::foreach::plan(f, stage, ctx)?,
        Command::Makeresults(m) => commands::makeresults::plan(m, stage, ctx)?,
        Command::Stats(s) => commands::stats::plan_stats(s, stage, ctx)?,
        Command::Eventstats(s) => commands::eventstats::plan_eventstats(s, stage, ctx)?,
        Command::Streamstats(s) => commands::streamstats::plan_streamstats(s, stage, ctx)?,
        Command::Mstats(m) => commands::mstats::plan_mstats(m, stage, ctx)?,
        Command::Lookup(l) => commands::lookup::plan(l, ctx)?,
        Command::Inputlookup(i) => commands::inputlookup::plan(i, ctx)?,
        Command::Outputlookup(o) => commands::outputlookup::plan(o),
        Command::Iplocation(i) => commands::iplocation::plan(i, stage, ctx)?,
        Command::Convert(c) => commands::convert::plan(c, stage, ctx)?,
        Command::Rex(r) => commands::rex::plan(r, stage, ctx)?,
        Command::Regex(r) => commands::regex::plan(r, stage, ctx)?,
        Command::Bin(b) => commands::bin::plan(b, stage, ctx)?,
        Command::Spath(s) => commands::spath::plan(s, stage, ctx)?,
        Command::Mvexpand(m) => commands::mvexpand::plan(m, stage, ctx)?,
        Command::Mvcombine(m) => commands::mvcombine::plan(m, stage, ctx)?,
        Command::Makemv(m) => commands::makemv::plan(m, stage, ctx)?,
        Command::Appendpipe(a) => commands::appendpipe::plan(a, stage, ctx)?,
        Command::Top(t) => commands::top::plan(t, stage, false)?,
        Command::Rare(t) => commands::top::plan(t, stage, true)?,
        Command::Addtotals(a) => commands::addtotals::plan(a, stage, ctx)?,
        Command::Replace(r) => commands::replace::plan(r, stage, ctx)?,
        Command::Transaction(t) => commands::transaction::plan(t, stage, ctx)?,
        Command::Timechart(t) => commands::timechart::plan(t, stage, ctx)?,
        Command::Chart(c) => commands::chart::plan(c, stage, ctx)?,
        Command::Multisearch(m) => commands::multisearch::plan(m, stage, ctx)?,
        Command::Return(r) => commands::return_::plan(r, stage, ctx)?,
        Command::Format(f) => commands::format::plan(f, stage, ctx)?,
        Command::Map(m) => commands::map::plan(m, stage, ctx)?,
        Command::Tstats(_) | Command::From(_) | Command::Collect(_) | Command::Generic(_) => {
            // keep in step with `unsupported_command`
            return Err(unknown());
        }
    })
}

/// The first stage of `pipeline` whose command the engine does not run, as
/// the error planning it would give (nested subsearches are not visited).
pub fn unsupported_command(pipeline: &Pipeline) -> Option<EngineError> {
    pipeline.stages.iter().find_map(|stage| {
        matches!(
            stage.command,
            Command::Tstats(_) | Command::From(_) | Command::Collect(_) | Command::Generic(_)
        )
        .then(|| EngineError::UnknownCommand {
            name: stage.name.node.clone(),
            span: stage.name.span,
        })
    })
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
pub fn execute(pipeline: &Pipeline, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
    let mut ops = plan_pipeline(pipeline, ctx, false)?;
    run_operators(&mut ops, Vec::new(), ctx)
}
