//! The parser's error type. Every variant has a stable dotted code, a span into
//! the expanded query text, and a help line where one helps.
//!
//! Codes are listed in `docs/errors.md` and never reused for another meaning.

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

    /// A `"` with no closing quote.
    #[error("unterminated string: expected closing `\"`, found end of input")]
    #[diagnostic(code(spl::parse::unterminated_string))]
    UnterminatedString {
        /// From the opening quote to the end of the input.
        #[label("string starts here")]
        span: Span,
        /// Hint (escape quotes inside strings with `\"`).
        #[help]
        help: Option<String>,
    },

    /// An opening `[`, `(` without its closing partner, or a stray closing one.
    #[error("unbalanced `{bracket}`: expected {expected}, found {found}")]
    #[diagnostic(code(spl::parse::unbalanced_bracket))]
    UnbalancedBracket {
        /// The bracket that has no partner.
        bracket: char,
        /// What would have balanced it.
        expected: String,
        /// What was there instead.
        found: String,
        /// The unmatched bracket.
        #[label("this `{bracket}` is not matched")]
        span: Span,
        /// Context such as "in `join`".
        #[help]
        help: Option<String>,
    },

    /// A ```` ``` ```` comment that is never closed.
    #[error("unterminated comment: expected closing ```` ``` ````, found end of input")]
    #[diagnostic(code(spl::parse::unterminated_comment))]
    UnterminatedComment {
        /// The opening backticks.
        #[label("comment starts here")]
        span: Span,
    },

    /// A command is missing a required argument.
    #[error("missing argument: expected {expected}, found {found}")]
    #[diagnostic(code(spl::parse::missing_argument))]
    MissingArgument {
        /// The required argument (`lookup table name`, `subsearch`).
        expected: String,
        /// What was there.
        found: String,
        /// Where the argument should be.
        #[label("expected {expected} here")]
        span: Span,
        /// Usage of the command.
        #[help]
        help: Option<String>,
    },

    /// A function name that the grammar must know (aggregations, `convert`
    /// functions) is not one of the known names.
    #[error("unknown {kind} function `{name}`")]
    #[diagnostic(code(spl::parse::unknown_function))]
    UnknownFunction {
        /// `aggregation`, `convert`...
        kind: String,
        /// The name as written.
        name: String,
        /// The name.
        #[label("not a known {kind} function")]
        span: Span,
        /// "did you mean" or the list of valid names.
        #[help]
        help: Option<String>,
    },

    /// A backtick macro call reached the parser: macros must be expanded first.
    #[error("unexpanded macro `{name}`: expected a search, found a macro call")]
    #[diagnostic(code(spl::parse::unexpanded_macro))]
    UnexpandedMacro {
        /// The text between the backticks.
        name: String,
        /// The call.
        #[label("macro call")]
        span: Span,
        /// How to supply definitions.
        #[help]
        help: Option<String>,
    },

    /// Parentheses, brackets or `NOT`s nested deeper than the parser allows.
    #[error("nesting too deep: expected at most {limit} levels, found more")]
    #[diagnostic(code(spl::parse::too_deep))]
    TooDeep {
        /// The nesting limit.
        limit: usize,
        /// Where the limit was exceeded.
        #[label("nested too deeply here")]
        span: Span,
    },

    /// A value of the wrong form (`head abc`, `span=` with no number).
    #[error("invalid {what}: expected {expected}, found {found}")]
    #[diagnostic(code(spl::parse::invalid_value))]
    InvalidValue {
        /// What was being read (`count`, `sort limit`).
        what: String,
        /// The expected form.
        expected: String,
        /// The text found.
        found: String,
        /// The value.
        #[label("invalid {what}")]
        span: Span,
        /// Context.
        #[help]
        help: Option<String>,
    },
    // --- macro expansion ---
}

impl ParseError {
    /// The primary span of the error (its first label), if it has one.
    pub fn span(&self) -> Option<Span> {
        let label = self.labels()?.next()?;
        Some(Span::new(label.offset(), label.offset() + label.len()))
    }
}
