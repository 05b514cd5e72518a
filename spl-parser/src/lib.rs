//! Parser for Splunk's Search Processing Language (SPL).
//!
//! Stages: macro expansion ([`macros`]) turns query text into expanded text
//! plus a source map; [`parse`] turns expanded text into a spanned [`ast::Query`].

pub mod ast;
pub mod error;
pub mod macros;
pub mod span;

pub use error::ParseError;
pub use span::{Span, Spanned};

/// Parses an already macro-expanded search into a [`ast::Query`].
pub fn parse(text: &str) -> Result<ast::Query, ParseError> {
    Err(ParseError::Expected {
        expected: "a parser".into(),
        found: format!("{} bytes", text.len()),
        span: Span::new(0, 0),
        help: None,
    })
}

/// Parses a pipeline fragment such as a `foreach` template after substitution
/// (no implicit leading `search`: the first word must be a command).
pub fn parse_pipeline(text: &str) -> Result<ast::Pipeline, ParseError> {
    parse(text).map(|q| q.pipeline)
}
