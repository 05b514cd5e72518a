//! The parser's error type. Every variant has a stable dotted code, a span into
//! the expanded query text, and a help line where one helps.

use crate::span::Span;
use miette::Diagnostic;
use thiserror::Error;

/// Errors from macro expansion and parsing.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum ParseError {
    /// Generic "expected X, found Y" at a position.
    #[error("expected {expected}, found {found}")]
    #[diagnostic(code(spl::parse::expected))]
    Expected {
        /// What the grammar wanted (`expression`, `)`, `field name`).
        expected: String,
        /// What was there (`end of input`, `` `)` ``).
        found: String,
        /// Where.
        #[label("expected {expected}")]
        span: Span,
        /// Context such as "in `stats`".
        #[help]
        help: Option<String>,
    },
}
