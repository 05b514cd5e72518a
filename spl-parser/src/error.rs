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

    /// A `"` string or `'` field name with no closing quote.
    #[error("unterminated {what}: expected closing `{quote}`, found end of input")]
    #[diagnostic(code(spl::parse::unterminated_string))]
    UnterminatedString {
        /// `string` or `field name`.
        what: String,
        /// The missing quote character.
        quote: char,
        /// From the opening quote to the end of the input.
        #[label("opened here")]
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

    /// More binary operators in the query's expressions than the parser
    /// allows (each later stage walks an operator chain recursively).
    #[error("expression too long: expected at most {limit} operators, found more")]
    #[diagnostic(
        code(spl::parse::too_long),
        help("split the expression over several `eval`s, or use `IN (...)` or `case(...)` for long lists")
    )]
    TooLong {
        /// The operator limit.
        limit: usize,
        /// Where the limit was exceeded.
        #[label("operator over the limit")]
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
    /// An option the command does not have.
    #[error("unknown option `{name}` of `{command}`")]
    #[diagnostic(code(spl::parse::unknown_option))]
    UnknownOption {
        /// The command's canonical name.
        command: String,
        /// The option as written.
        name: String,
        /// The option name.
        #[label("not an option of `{command}`")]
        span: Span,
        /// "did you mean" or the command's options.
        #[help]
        help: Option<String>,
    },

    /// An option written twice (Splunk: "should not be specified more than once").
    #[error("duplicate option `{name}`: expected it at most once")]
    #[diagnostic(code(spl::parse::duplicate_option))]
    DuplicateOption {
        /// The option as written the second time.
        name: String,
        /// The second occurrence.
        #[label("written again here")]
        span: Span,
        /// The command's usage.
        #[help]
        help: Option<String>,
    },

    /// A word in command position that is no Splunk command.
    #[error("unknown command `{name}`")]
    #[diagnostic(code(spl::parse::unknown_command))]
    UnknownCommand {
        /// The name as written.
        name: String,
        /// The name.
        #[label("not a Splunk command")]
        span: Span,
        /// "did you mean".
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

impl ParseError {
    /// The primary span of the error (its first label), if it has one.
    pub fn span(&self) -> Option<Span> {
        let label = self.labels()?.next()?;
        Some(Span::new(label.offset(), label.offset() + label.len()))
    }
}
