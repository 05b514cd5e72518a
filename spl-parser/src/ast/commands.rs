//! The [`Command`] enum, generated from the command list
//! (`crate::commands::list`, `for_each_command!`). Each command's node type
//! lives next to its grammar in `crate::commands::<name>` and is re-exported
//! here, with its [`CommandNode`] implementation. Splunk commands without a
//! node of their own parse into [`Generic`].

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

use super::{Expr, Opt, Pipeline, Subsearch};
use serde::Serialize;
use std::fmt;

/// What any command node can say about itself: the `name=value` options
/// written for it and the pipelines written inside it. Each node type
/// implements it in its own file; the defaults say "none".
pub trait CommandNode: fmt::Display {
    /// The options written for the command (empty for commands whose options
    /// the grammar folds into typed fields, such as `sort limit=`).
    fn options(&self) -> &[Opt] {
        &[]
    }

    /// The pipelines written inside the command, in source order.
    fn subsearches(&self) -> Vec<&Subsearch> {
        Vec::new()
    }

    /// The eval expressions written in the command (outermost ones, in
    /// source order): `eval` assignments, `where`, `head (expr)`,
    /// aggregations' `eval(...)` arguments.
    fn exprs(&self) -> Vec<&Expr> {
        Vec::new()
    }
}

macro_rules! define_command_enum {
    ($(($name:literal, [$($alias:literal),*], $variant:ident, $ty:ident, $grammar:ident,
        $opts:expr, $run:ident $module:ident, $usage:literal)),* $(,)?) => {
        /// Every command the parser knows: one variant per line of the
        /// command list, and [`Generic`] for any other Splunk command.
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(tag = "command")]
        pub enum Command {
            $(
                #[doc = concat!("`", $usage, "`")]
                $variant($ty),
            )*
            /// Any other Splunk command: its name and raw arguments.
            Generic(Generic),
        }

        impl Command {
            /// The node as its generic view.
            pub fn node(&self) -> &dyn CommandNode {
                match self {
                    $(Command::$variant(c) => c,)*
                    Command::Generic(c) => c,
                }
            }
        }
    };
}

crate::for_each_command!(define_command_enum);

impl Command {
    /// The `name=value` options written for the command.
    pub fn options(&self) -> &[Opt] {
        self.node().options()
    }

    /// The pipelines written inside the command, in source order.
    pub fn subsearches(&self) -> Vec<&Subsearch> {
        self.node().subsearches()
    }

    /// The eval expressions written in the command, in source order.
    pub fn exprs(&self) -> Vec<&Expr> {
        self.node().exprs()
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.node().fmt(f)
    }
}

/// Marker so `Pipeline` is referenced from this module (subpipelines of
/// `appendpipe`, `foreach` templates parsed at run time).
pub type SubPipeline = Pipeline;
