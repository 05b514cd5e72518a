//! One file per SPL command: its spec (`SPEC`), its planner (`plan`) and
//! its operator. The registry and the planner dispatch are generated from
//! the parser's command list (`spl_parser::for_each_command!`): a command's
//! line there names the module here that plans it.

pub mod accum;
pub mod addinfo;
pub mod addtotals;
pub mod append;
pub mod appendpipe;
pub mod bin;
pub mod chart;
pub mod convert;
pub mod datamodel;
pub mod dedup;
pub mod delta;
pub mod eval;
pub mod eventstats;
pub mod extract;
pub mod fields;
pub mod fillnull;
pub mod foreach;
pub mod format;
pub mod from;
pub mod fromjson;
pub mod head;
pub mod inputlookup;
pub mod iplocation;
pub mod join;
pub mod lookup;
pub mod makemv;
pub mod makeresults;
pub mod map;
pub mod mstats;
pub mod multikv;
pub mod multisearch;
pub mod mvcombine;
pub mod mvexpand;
pub mod nomv;
pub mod outputlookup;
pub mod rare;
pub mod regex;
pub mod rename;
pub mod replace;
pub mod return_;
pub mod reverse;
pub mod rex;
pub mod search_base;
pub mod sort;
pub mod spath;
pub mod stats;
pub mod strcat;
pub mod streamstats;
pub mod table;
pub mod tail;
pub mod timechart;
pub mod top;
pub mod transaction;
pub mod tstats;
pub mod where_;
pub mod xmlkv;

use crate::error::Result;
use crate::operator::{Operator, PlanCx};
use crate::spec::CommandSpec;
use spl_parser::ast::Command;
use std::sync::OnceLock;

/// One command the engine runs: its canonical name and its spec.
#[derive(Debug, Clone, Copy)]
pub struct Registered {
    /// The canonical name (its aliases, usage and options:
    /// `spl_parser::command_spec(name)`).
    pub name: &'static str,
    /// Description, kind, examples and compatibility notes.
    pub spec: &'static CommandSpec,
}

macro_rules! define_registry {
    ($(($name:literal, [$($alias:literal),*], $variant:ident, $ty:ident, $grammar:ident,
        $opts:expr, $run:ident $module:ident, $usage:literal)),* $(,)?) => {
        /// Plans a stage with its command's planner.
        pub(crate) fn plan_command(p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
            match &p.stage.command {
                $(Command::$variant(c) => define_registry!(@plan $run $module c p),)*
                Command::Generic(_) => Err(p.unsupported()),
            }
        }

        /// Whether the engine runs a command (the others parse, and are
        /// rejected with `spl::run::unsupported_command` when planned).
        pub fn runs(command: &Command) -> bool {
            match command {
                $(Command::$variant(_) => define_registry!(@runs $run),)*
                Command::Generic(_) => false,
            }
        }

        /// Every command the engine runs, in the command list's order.
        pub fn registry() -> &'static [Registered] {
            static REGISTRY: OnceLock<Vec<Registered>> = OnceLock::new();
            // `vec_init_then_push`: the pushes are generated, one per command.
            #[allow(clippy::vec_init_then_push)]
            REGISTRY.get_or_init(|| {
                let mut all = Vec::new();
                $(define_registry!(@push $run all $name $module);)*
                all
            })
        }
    };
    (@plan run $module:ident $c:ident $p:ident) => { $module::plan($c, $p) };
    (@plan norun $module:ident $c:ident $p:ident) => {{
        let _ = $c;
        Err($p.unsupported())
    }};
    (@runs run) => { true };
    (@runs norun) => { false };
    (@push run $all:ident $name:literal $module:ident) => {
        $all.push(Registered { name: $name, spec: &$module::SPEC })
    };
    (@push norun $all:ident $name:literal $module:ident) => {};
}

spl_parser::for_each_command!(define_registry);
