//! Parser for Splunk's Search Processing Language (SPL).
//!
//! Stages: macro expansion turns query text into expanded text plus a source
//! map; [`parse`] turns expanded text into a spanned [`ast::Query`]. `Display`
//! on the AST prints canonical SPL, and [`normalize`] compares trees without
//! their spans.

pub mod ast;
mod commands;
pub mod error;
pub mod macros;
pub mod normalize;
mod parser;
pub mod span;

pub use commands::{is_known_command, suggest_command};
pub use error::ParseError;
pub use parser::args::is_agg_function;
pub use span::{Span, Spanned};

use parser::pipeline::{pipeline, Mode};
use parser::{to_public, Cx};

/// Parses an already macro-expanded search into a [`ast::Query`].
///
/// Triple-backtick comments are blanked out first (offsets are preserved, so
/// spans still point into `text`).
pub fn parse(text: &str) -> Result<ast::Query, ParseError> {
    parse_mode(text, Mode::Top).map(|pipeline| ast::Query { pipeline })
}

/// Parses a pipeline fragment such as a `foreach` template after substitution
/// (no implicit leading `search`: the first word must be a command).
pub fn parse_pipeline(text: &str) -> Result<ast::Pipeline, ParseError> {
    parse_mode(text, Mode::Fragment)
}

fn parse_mode(text: &str, mode: Mode) -> Result<ast::Pipeline, ParseError> {
    let src = parser::comments::strip_comments(text)?;
    let cx = Cx::new(&src);
    match pipeline(&cx, &src, mode) {
        Ok((_, p)) => Ok(p),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(to_public(&src, e)),
        Err(nom::Err::Incomplete(_)) => Err(ParseError::Expected {
            expected: "more input".into(),
            found: "end of input".into(),
            span: Span::new(src.len(), src.len()),
            help: None,
        }),
    }
}
