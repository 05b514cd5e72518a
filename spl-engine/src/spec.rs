//! Metadata tying each command to its documentation and examples: the help
//! text, the generated reference page and a test, all from one value.

/// How a command consumes its input (Splunk's command taxonomy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandKind {
    /// Produces results without input (`makeresults`, `mstats`, base search).
    Generating,
    /// Row by row, batch by batch (`eval`, `where`, `rename`).
    Streaming,
    /// Needs all input before emitting (`stats`, `sort`, `dedup`).
    Transforming,
}

/// One runnable example of a command.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    /// What it shows.
    pub title: &'static str,
    /// The SPL (runs over no data unless it starts with a generating command).
    pub spl: &'static str,
}

/// A command's metadata.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    /// The SPL name.
    pub name: &'static str,
    /// Other names (`bucket` for `bin`).
    pub aliases: &'static [&'static str],
    /// The taxonomy.
    pub kind: CommandKind,
    /// One-line syntax.
    pub synopsis: &'static str,
    /// What it does, in a sentence or two.
    pub description: &'static str,
    /// Examples that must run.
    pub examples: &'static [Example],
    /// Known differences from Splunk (empty when none).
    pub compat: &'static str,
    /// The planner of a command parsed by the simple grammar
    /// (`spl_parser::ast::Args`); typed commands are planned by
    /// `plan::plan_stage`'s match and leave this `None`.
    pub simple: Option<SimplePlanFn>,
}

/// Plans a simple command from its words and options.
pub type SimplePlanFn = fn(
    &spl_parser::ast::Args,
    &spl_parser::options::OptReader,
    &spl_parser::ast::Stage,
    &crate::context::ExecContext,
) -> crate::error::Result<Box<dyn crate::operator::Operator>>;
