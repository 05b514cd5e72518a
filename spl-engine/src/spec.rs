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

/// A command's metadata for help, the generated reference and the registry
/// test. Its name, aliases, usage line and options come from the command
/// list (`spl_parser::for_each_command!`), which also names the module whose
/// `plan` builds its operator.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    /// The taxonomy.
    pub kind: CommandKind,
    /// What it does, in a sentence or two.
    pub description: &'static str,
    /// Examples that must run.
    pub examples: &'static [Example],
    /// Known differences from Splunk (empty when none).
    pub compat: &'static str,
}
