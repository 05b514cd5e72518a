//! Commands without a typed node: the name and raw arguments.

use crate::ast::Subsearch;
use crate::span::Spanned;
use serde::Serialize;
use std::fmt;

/// A command without a typed node: its name and raw arguments.
///
/// Arguments are whitespace-separated tokens (quoted strings and bracketed
/// subsearches kept whole). Running such a command is an `unknown command` error.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Generic {
    /// Raw argument tokens with spans.
    pub args: Vec<Spanned<String>>,
    /// Subsearches found among the arguments, parsed.
    pub subsearches: Vec<Subsearch>,
    /// The raw text after the command name (for printing).
    pub raw: Spanned<String>,
}

impl fmt::Display for Generic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw.node)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, query};

    #[test]
    fn unknown_command_is_generic_not_search() {
        insta::assert_snapshot!(cmd(r#"search a | fit DensityFunction x by "y z" into m [search b]"#), @"");
    }

    #[test]
    fn known_generic_starts_subsearch() {
        insta::assert_snapshot!(query("search a [ rest /services/x | fields title ]"), @"");
    }
}
