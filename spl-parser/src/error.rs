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
    // --- macro expansion ---
    /// A ```` ``` ```` comment without its closing ```` ``` ````.
    #[error("unterminated comment: expected closing ```, found end of input")]
    #[diagnostic(code("spl::macro::unterminated_comment"))]
    MacroUnterminatedComment {
        /// The opening backticks, in the user's query.
        #[label("comment starts here")]
        span: Span,
        /// The expansion chain when the comment is inside a macro body.
        #[help]
        help: Option<String>,
    },

    /// A `` ` `` that opens a macro call with no closing backtick.
    #[error("unterminated macro call: expected closing `, found end of input")]
    #[diagnostic(code("spl::macro::unterminated_call"))]
    MacroUnterminatedCall {
        /// From the opening backtick to the end, in the user's query.
        #[label("macro call starts here")]
        span: Span,
        /// Hint, and the expansion chain when inside a macro body.
        #[help]
        help: Option<String>,
    },

    /// The text between backticks is not `name` or `name(args)`.
    #[error("invalid macro call: {message}")]
    #[diagnostic(code("spl::macro::invalid_call"))]
    MacroInvalidCall {
        /// What is wrong (`expected X, found Y`).
        message: String,
        /// The call, in the user's query.
        #[label("invalid call")]
        span: Span,
        /// The expansion chain when inside a macro body.
        #[help]
        help: Option<String>,
    },

    /// No definition of the macro under any arity.
    #[error("undefined macro `{name}`")]
    #[diagnostic(code("spl::macro::undefined"))]
    MacroUndefined {
        /// The macro name as called.
        name: String,
        /// The call, in the user's query.
        #[label("no definition for `{name}`")]
        span: Span,
        /// Similar names, and the expansion chain when inside a macro body.
        #[help]
        help: Option<String>,
    },

    /// The macro exists, but not with this many arguments.
    #[error("wrong number of arguments to macro `{name}`: expected {expected}, found {found}")]
    #[diagnostic(code("spl::macro::wrong_arity"))]
    MacroArity {
        /// The macro name as called.
        name: String,
        /// Arguments at the call.
        found: usize,
        /// The defined arities, e.g. `1 or 2`.
        expected: String,
        /// The call, in the user's query.
        #[label("called with {found} argument(s)")]
        span: Span,
        /// The defined stanzas, and the expansion chain when inside a macro body.
        #[help]
        help: Option<String>,
    },

    /// A macro calls itself (directly or not), or nesting exceeds the depth limit.
    #[error("macro expansion {reason}: {chain}")]
    #[diagnostic(code("spl::macro::recursion_limit"))]
    MacroRecursion {
        /// `calls itself` or `exceeds the nesting limit of 50`.
        reason: String,
        /// The chain of calls, e.g. `` `a` -> `b` -> `a` ``.
        chain: String,
        /// The outermost call, in the user's query.
        #[label("expanding this call")]
        span: Span,
    },

    /// The expansion grew beyond the size limit (e.g. exponential fan-out).
    #[error("macro expansion too large: expected at most {limit} {what}, found more")]
    #[diagnostic(code("spl::macro::too_large"))]
    MacroTooLarge {
        /// The limit.
        limit: usize,
        /// What is limited: `bytes` or `macro expansions`.
        what: String,
        /// The outermost call being expanded, in the user's query.
        #[label("expanding this call")]
        span: Span,
    },

    /// An `iseval = true` definition this crate cannot evaluate.
    #[error("cannot evaluate `iseval` macro `{name}`: expected string literals joined by `.`, found {found}")]
    #[diagnostic(code("spl::macro::iseval_unsupported"))]
    MacroIsevalUnsupported {
        /// The macro's stanza key.
        name: String,
        /// The first construct we cannot evaluate.
        found: String,
        /// The call, in the user's query.
        #[label("expanded here")]
        span: Span,
        /// Which definition, and the expansion chain.
        #[help]
        help: Option<String>,
    },

    /// A macro definition file could not be read or parsed.
    #[error("cannot load macros from {location}: {message}")]
    #[diagnostic(code("spl::macro::load"))]
    MacroLoad {
        /// `path` or `path:line`.
        location: String,
        /// The file.
        path: String,
        /// 1-based line, when known.
        line: Option<usize>,
        /// What went wrong.
        message: String,
    },
}
