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

impl crate::ast::CommandNode for Generic {
    fn subsearches(&self) -> Vec<&crate::ast::Subsearch> {
        self.subsearches.iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, query};

    #[test]
    fn unknown_command_is_generic_not_search() {
        insta::assert_snapshot!(cmd(r#"search a | fit DensityFunction x by "y z" into m [search b]"#), @r#"
            command: Generic
            args:
            - node: DensityFunction
              span: 15-30
            - node: x
              span: 31-32
            - node: by
              span: 33-35
            - node: '"y z"'
              span: 36-41
            - node: into
              span: 42-46
            - node: m
              span: 47-48
            - node: '[search b]'
              span: 49-59
            subsearches:
            - pipeline:
                stages:
                - command:
                    command: Search
                    expr:
                      kind: !Term
                        text: b
                        quoted: false
                        span: 57-58
                      span: 57-58
                  name:
                    node: search
                    span: 50-56
                  piped: false
                  span: 50-58
                span: 50-58
              span: 49-59
            raw:
              node: DensityFunction x by "y z" into m [search b]
              span: 15-59
        "#);
    }

    #[test]
    fn known_generic_starts_subsearch() {
        insta::assert_snapshot!(query("search a [ rest /services/x | fields title ]"), @r#"
            pipeline:
              stages:
              - command:
                  command: Search
                  expr:
                    kind: !And
                    - kind: !Term
                        text: a
                        quoted: false
                        span: 7-8
                      span: 7-8
                    - kind: !Subsearch
                        pipeline:
                          stages:
                          - command:
                              command: Generic
                              args:
                              - node: /services/x
                                span: 16-27
                              subsearches: []
                              raw:
                                node: /services/x
                                span: 16-27
                            name:
                              node: rest
                              span: 11-15
                            piped: false
                            span: 11-27
                          - command:
                              command: Fields
                              remove: false
                              fields:
                              - node: title
                                span: 37-42
                            name:
                              node: fields
                              span: 30-36
                            piped: true
                            span: 30-42
                          span: 11-42
                        span: 9-44
                      span: 9-44
                    span: 7-44
                name:
                  node: search
                  span: 0-6
                piped: false
                span: 0-44
              span: 0-44
        "#);
    }
}
