//! The engine's error type: planning (query) errors and execution/data errors.
//!
//! Every variant carries a stable dotted code (listed in `docs/errors.md`).
//! Query errors carry a [`Span`] into the expanded query text so the CLI can
//! draw a caret; data errors name the file, line and field.

use miette::Diagnostic;
use spl_parser::Span;
use thiserror::Error;

impl From<spl_parser::options::OptError> for EngineError {
    fn from(e: spl_parser::options::OptError) -> Self {
        EngineError::InvalidArgument {
            message: e.message,
            span: e.span,
            label: e.label,
            help: None,
        }
    }
}

/// Result alias for the engine.
pub type Result<T, E = EngineError> = std::result::Result<T, E>;

/// Everything that can go wrong while planning or running a search.
#[derive(Debug, Error, Diagnostic)]
pub enum EngineError {
    /// The query text did not parse (or a macro failed to expand).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Parse(#[from] spl_parser::ParseError),

    /// A Splunk command the engine does not run (yet). Words that are no
    /// command at all are parse errors (`spl::parse::unknown_command`).
    #[error("`{name}` is a Splunk command this engine does not run yet")]
    #[diagnostic(
        code(spl::run::unsupported_command),
        help("see docs/compatibility.md for the commands the engine runs")
    )]
    UnsupportedCommand {
        /// Command name.
        name: String,
        /// The command name's span.
        #[label("not supported")]
        span: Span,
    },

    /// A documented option of a command that the engine does not implement:
    /// rejected rather than ignored, since ignoring it would change results.
    #[error("option `{name}` of `{command}` is not supported by this engine yet")]
    #[diagnostic(
        code(spl::run::unsupported_option),
        help("remove it, or see docs/compatibility.md for the options each command supports")
    )]
    UnsupportedOption {
        /// The command.
        command: String,
        /// The option as written.
        name: String,
        /// The option.
        #[label("not supported")]
        span: Span,
    },

    /// A Splunk aggregation function that parses but that the engine does not
    /// run (yet): `per_second`, `rate_avg`, ... Names that are no aggregation
    /// at all are parse errors (`spl::parse::unknown_function`).
    #[error("`{name}` is a Splunk aggregation this engine does not run yet")]
    #[diagnostic(
        code(spl::run::unsupported_function),
        help("see docs/reference/aggregations.md for the aggregations the engine runs")
    )]
    UnsupportedFunction {
        /// The function as written.
        name: String,
        /// The name's span.
        #[label("not supported")]
        span: Span,
    },

    /// A function name the engine does not know.
    #[error("unknown function `{name}`")]
    #[diagnostic(code(spl::eval::unknown_function))]
    UnknownFunction {
        /// Function name.
        name: String,
        /// Span of the name.
        #[label("unknown function")]
        span: Span,
        /// "did you mean" text.
        #[help]
        help: Option<String>,
    },

    /// Wrong number of arguments to a function or aggregation.
    #[error("`{name}` expects {expected} argument(s), found {found}")]
    #[diagnostic(code(spl::eval::wrong_arg_count))]
    WrongArgCount {
        /// Function name.
        name: String,
        /// Expected count, as text (`2`, `1 or 2`, `at least 1`).
        expected: String,
        /// Found count.
        found: usize,
        /// Span of the call.
        #[label("here")]
        span: Span,
    },

    /// An argument or option value the command cannot use (bad regex, bad span,
    /// unknown option value...). `code` is specific to the check.
    #[error("{message}")]
    #[diagnostic(code(spl::run::invalid_argument))]
    InvalidArgument {
        /// What is wrong, `expected X, found Y` style.
        message: String,
        /// Where.
        #[label("{label}")]
        span: Span,
        /// Label text.
        label: String,
        /// What to do.
        #[help]
        help: Option<String>,
    },

    /// A regular expression exceeded a PCRE resource limit while matching
    /// (catastrophic backtracking, e.g. `(a+)+$`); the span is the regex.
    #[error("regular expression exceeded the {limit} while matching")]
    #[diagnostic(
        code(spl::run::regex_limit),
        help("the pattern backtracks too much on some value (nested repetition such as `(a+)+` is exponential): make it more specific, or anchor it; the limits are Splunk's limits.conf [rex] defaults")
    )]
    RegexLimit {
        /// The limit and its value, e.g. `match_limit (100000)`.
        limit: String,
        /// The regex in the query.
        #[label("this regex")]
        span: Span,
    },

    /// A resource limit of [`crate::limits::Limits`] was exceeded; the
    /// message names the limit.
    #[error("{message}")]
    #[diagnostic(code(spl::run::limit))]
    Limit {
        /// What went over which limit.
        message: String,
        /// The command or call that went over it.
        #[label("over the limit")]
        span: Span,
        /// How to raise it.
        #[help]
        help: String,
    },

    /// A lookup named in the query could not be found.
    #[error("lookup `{name}` not found")]
    #[diagnostic(
        code(spl::run::missing_lookup),
        help("pass --lookups DIR with a `{name}` definition or `{name}.csv` file")
    )]
    MissingLookup {
        /// Lookup name.
        name: String,
        /// Span of the name.
        #[label("no such lookup")]
        span: Span,
    },

    /// `iplocation` without a GeoIP database.
    #[error("no GeoIP database configured")]
    #[diagnostic(
        code(spl::run::missing_geoip),
        help("pass --geoip FILE.mmdb or set SPL_GEOIP_DB")
    )]
    MissingGeoip {
        /// Span of the command.
        #[label("needs a GeoIP database")]
        span: Span,
    },

    /// A time modifier that does not parse.
    #[error("invalid time modifier `{text}`")]
    #[diagnostic(
        code(spl::time::invalid_modifier),
        help("use forms such as -30d@d, -70m@m, @w0, now, an epoch number or %m/%d/%Y:%H:%M:%S")
    )]
    InvalidTime {
        /// The modifier text.
        text: String,
        /// Span in the query, when it came from the query.
        #[label("here")]
        span: Option<Span>,
    },

    /// Malformed or unreadable input data: file, line and field named.
    #[error("{file}{}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default(), field.as_ref().map(|f| format!(" (field `{f}`)")).unwrap_or_default())]
    #[diagnostic(code(spl::data::invalid))]
    Data {
        /// File path.
        file: String,
        /// 1-based line number, when known.
        line: Option<usize>,
        /// Field name, when known.
        field: Option<String>,
        /// What is wrong.
        message: String,
    },

    /// An I/O error on a named file.
    #[error("{path}: {source}")]
    #[diagnostic(code(spl::data::io))]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },

    /// An Arrow kernel failed (a bug unless the message says otherwise).
    #[error("arrow: {0}")]
    #[diagnostic(code(spl::internal::arrow))]
    Arrow(#[from] arrow_schema::ArrowError),

    /// A bug in the engine. Never shown with a caret.
    #[error("internal error: {0}")]
    #[diagnostic(
        code(spl::internal),
        help("this is a bug in the engine; please report it with the query and data")
    )]
    Internal(String),
}

impl EngineError {
    /// A documented option (or option value) the engine does not implement.
    pub(crate) fn unsupported_option(command: &str, opt: &spl_parser::ast::Opt) -> Self {
        EngineError::UnsupportedOption {
            command: command.to_string(),
            name: format!("{}={}", opt.key.node, opt.value.node),
            span: opt.key.span.join(opt.value.span),
        }
    }

    /// The same error pointing at `span`: for expressions re-parsed from an
    /// option value whose bytes do not line up with the query (escapes), so
    /// the caret marks the whole value. Errors without a span are unchanged.
    pub(crate) fn pointing_at(self, span: Span) -> Self {
        match self {
            EngineError::InvalidArgument {
                message,
                label,
                help,
                ..
            } => EngineError::InvalidArgument {
                message,
                span,
                label,
                help,
            },
            EngineError::UnknownFunction { name, help, .. } => {
                EngineError::UnknownFunction { name, span, help }
            }
            EngineError::WrongArgCount {
                name,
                expected,
                found,
                ..
            } => EngineError::WrongArgCount {
                name,
                expected,
                found,
                span,
            },
            EngineError::UnsupportedCommand { name, .. } => {
                EngineError::UnsupportedCommand { name, span }
            }
            EngineError::UnsupportedOption { command, name, .. } => {
                EngineError::UnsupportedOption {
                    command,
                    name,
                    span,
                }
            }
            EngineError::UnsupportedFunction { name, .. } => {
                EngineError::UnsupportedFunction { name, span }
            }
            EngineError::RegexLimit { limit, .. } => EngineError::RegexLimit { limit, span },
            EngineError::Limit { message, help, .. } => EngineError::Limit {
                message,
                span,
                help,
            },
            EngineError::MissingLookup { name, .. } => EngineError::MissingLookup { name, span },
            EngineError::MissingGeoip { .. } => EngineError::MissingGeoip { span },
            EngineError::InvalidTime {
                text,
                span: Some(_),
            } => EngineError::InvalidTime {
                text,
                span: Some(span),
            },
            other => other,
        }
    }

    /// True for errors caused by the input data (exit code 2 in the CLI) rather
    /// than by the query (exit code 1).
    pub fn is_data_error(&self) -> bool {
        matches!(self, EngineError::Data { .. } | EngineError::Io { .. })
    }

    /// Shorthand for an [`EngineError::InvalidArgument`].
    pub fn invalid(message: impl Into<String>, span: Span, label: impl Into<String>) -> Self {
        EngineError::InvalidArgument {
            message: message.into(),
            span,
            label: label.into(),
            help: None,
        }
    }

    /// Shorthand for an [`EngineError::Data`] error.
    pub fn data(
        file: impl Into<String>,
        line: Option<usize>,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        EngineError::Data {
            file: file.into(),
            line,
            field: field.map(str::to_string),
            message: message.into(),
        }
    }
}
