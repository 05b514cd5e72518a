//! The [`Command`] enum. Each typed command's struct lives next to its parser
//! in `crate::commands::<name>` and is re-exported here. Commands without a
//! typed node parse into [`Generic`]; the engine rejects those with
//! `unknown command`.
//!
//! Each new variant must be handled by the engine's planner (it matches
//! exhaustively).

pub use crate::commands::addtotals::Addtotals;
pub use crate::commands::append::Append;
pub use crate::commands::appendpipe::Appendpipe;
pub use crate::commands::bin::Bin;
pub use crate::commands::chart::Chart;
pub use crate::commands::collect::Collect;
pub use crate::commands::convert::{Conversion, Convert};
pub use crate::commands::dedup::Dedup;
pub use crate::commands::eval::{Eval, EvalAssign};
pub use crate::commands::fields::Fields;
pub use crate::commands::fillnull::Fillnull;
pub use crate::commands::foreach::Foreach;
pub use crate::commands::format::Format;
pub use crate::commands::from::FromDataset;
pub use crate::commands::generic::Generic;
pub use crate::commands::head::Head;
pub use crate::commands::inputlookup::Inputlookup;
pub use crate::commands::iplocation::Iplocation;
pub use crate::commands::join::Join;
pub use crate::commands::lookup::{Lookup, LookupOutput};
pub use crate::commands::makemv::Makemv;
pub use crate::commands::makeresults::Makeresults;
pub use crate::commands::map::Map;
pub use crate::commands::mstats::Mstats;
pub use crate::commands::multisearch::Multisearch;
pub use crate::commands::mvcombine::Mvcombine;
pub use crate::commands::mvexpand::Mvexpand;
pub use crate::commands::outputlookup::Outputlookup;
pub use crate::commands::regex::Regex;
pub use crate::commands::rename::Rename;
pub use crate::commands::replace::{Replace, ReplacePair};
pub use crate::commands::return_::{Return, ReturnItem};
pub use crate::commands::rex::Rex;
pub use crate::commands::search::Search;
pub use crate::commands::simple::{Args, Word};
pub use crate::commands::sort::{Sort, SortKey};
pub use crate::commands::spath::Spath;
pub use crate::commands::stats::{Agg, AggArg, SparklineArg, Stats};
pub use crate::commands::table::Table;
pub use crate::commands::tail::Tail;
pub use crate::commands::timechart::Timechart;
pub use crate::commands::top::Top;
pub use crate::commands::transaction::Transaction;
pub use crate::commands::tstats::Tstats;
pub use crate::commands::where_::Where;

use super::Pipeline;
use serde::Serialize;

/// Every command the parser knows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "command")]
pub enum Command {
    /// `search <terms>` (also the implicit leading search).
    Search(Search),
    /// `where <expr>`
    Where(Where),
    /// `eval f=expr, ...`
    Eval(Eval),
    /// `stats ...`
    Stats(Stats),
    /// `eventstats ...`
    Eventstats(Stats),
    /// `streamstats ...`
    Streamstats(Stats),
    /// `mstats ...`
    Mstats(Mstats),
    /// `tstats ...`
    Tstats(Tstats),
    /// `join ...`
    Join(Join),
    /// `append [...]`
    Append(Append),
    /// `foreach ... [template]`
    Foreach(Foreach),
    /// `lookup ...`
    Lookup(Lookup),
    /// `inputlookup ...`
    Inputlookup(Inputlookup),
    /// `outputlookup ...`
    Outputlookup(Outputlookup),
    /// `rename a AS b, ...`
    Rename(Rename),
    /// `fillnull [value=v] [fields]`
    Fillnull(Fillnull),
    /// `fields [+|-] list`
    Fields(Fields),
    /// `table list`
    Table(Table),
    /// `sort ...`
    Sort(Sort),
    /// `head ...`
    Head(Head),
    /// `tail N`
    Tail(Tail),
    /// `dedup ...`
    Dedup(Dedup),
    /// `iplocation ...`
    Iplocation(Iplocation),
    /// `makeresults ...`
    Makeresults(Makeresults),
    /// `convert [timeformat=..] func(field) [AS name]...`
    Convert(Convert),
    /// `rex [field=f] "regex"` / `rex mode=sed "s/a/b/"`
    Rex(Rex),
    /// `regex [field=|field!=]"regex"`
    Regex(Regex),
    /// `bin`/`bucket [opts] field [AS name]`
    Bin(Bin),
    /// `spath [input=..] [output=..] [path=..|path]`
    Spath(Spath),
    /// `mvexpand field [limit=N]`
    Mvexpand(Mvexpand),
    /// `mvcombine [delim=..] field`
    Mvcombine(Mvcombine),
    /// `makemv [delim=..|tokenizer=..] [allowempty=b] [setsv=b] field`
    Makemv(Makemv),
    /// `appendpipe [subpipeline]`
    Appendpipe(Appendpipe),
    /// `multisearch [..] [..]...`
    Multisearch(Multisearch),
    /// `transaction [fields] [opts]`
    Transaction(Transaction),
    /// `timechart [opts] aggs [BY field]`
    Timechart(Timechart),
    /// `chart [opts] aggs [OVER f] [BY f...]`
    Chart(Chart),
    /// `top [N] [opts] fields [BY fields]`
    Top(Top),
    /// `rare [N] [opts] fields [BY fields]`
    Rare(Top),
    /// `return [N] items`
    Return(Return),
    /// `format [opts] [six strings]`
    Format(Format),
    /// `from datamodel:X` / `from inputlookup:x.csv`
    From(FromDataset),
    /// `addtotals [opts] [fields]`
    Addtotals(Addtotals),
    /// `collect [opts]`
    Collect(Collect),
    /// `map search="..." | map [subsearch]`
    Map(Map),
    /// `replace "a" WITH "b" [, ...] [IN fields]`
    Replace(Replace),
    /// A command whose arguments are only options and words (`accum`,
    /// `delta`, `strcat`, `fromjson`, `xmlkv`, `reverse`, `addinfo`): the
    /// stage's name says which; see `crate::commands::simple`.
    Simple(Args),
    /// Any other command: name and raw arguments.
    Generic(Generic),
}

/// Marker so `Pipeline` is referenced from this module (subpipelines of
/// `appendpipe`, `foreach` templates parsed at run time).
pub type SubPipeline = Pipeline;
