//! What the engine runs, for help, the generated reference and tooling:
//! its commands (with their specs; names, aliases, usage and options come
//! from the parser's command list, `spl_parser::command_spec`), its eval
//! functions, its aggregations (the aggregation table), and a check of which
//! commands of a search it does not run.

pub use crate::aggregate::table::{
    aggregations, AggContext, AggExample, AggSpec, ArgRule, SparkInner,
};
pub use crate::commands::{registry as commands, Registered};
pub use crate::eval::functions::{functions, lookup as function, FnExample, FunctionSpec};
pub use crate::plan::unsupported_commands;
pub use crate::spec::{CommandKind, CommandSpec, Example};
