//! Resource limits of a search, declared once: each has a name (what
//! `spl run --limit name=value` and [`crate::session::EngineBuilder::limit`]
//! take), a default (Splunk's limits.conf default where Splunk has the
//! setting), and a description. `docs/limits.md` lists them; a test checks it
//! lists every one.
//!
//! Exceeding a limit is a coded error (`spl::run::limit`) or, where Splunk
//! truncates with a message, a warning `spl::run::limit_exceeded`, both
//! naming the limit, so a hostile query or input ends cleanly instead of
//! exhausting memory.

/// One limit's declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitSpec {
    /// The name used on the command line and in messages.
    pub name: &'static str,
    /// Its default value.
    pub default: u64,
    /// The unit of the value (`results`, `values`, `MB`, `bytes`...).
    pub unit: &'static str,
    /// The limits.conf setting it follows, or `None` for an engine limit.
    pub splunk: Option<&'static str>,
    /// What it bounds and what happens past it.
    pub description: &'static str,
}

macro_rules! limits {
    ($(
        $(#[doc = $doc:literal])*
        $field:ident = $default:expr, $unit:literal, $splunk:expr;
    )*) => {
        /// The resource limits of a search (see the module documentation);
        /// [`Limits::default`] holds the documented defaults.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Limits {
            $( $(#[doc = $doc])* pub $field: u64, )*
        }

        impl Default for Limits {
            fn default() -> Self {
                Limits { $( $field: $default, )* }
            }
        }

        /// Every limit, in the order of [`Limits`]' fields.
        pub static LIMITS: &[LimitSpec] = &[
            $( LimitSpec {
                name: stringify!($field),
                default: $default,
                unit: $unit,
                splunk: $splunk,
                description: concat!($($doc),*),
            }, )*
        ];

        impl Limits {
            /// The value of the limit named `name`, if there is one.
            pub fn get(&self, name: &str) -> Option<u64> {
                match name {
                    $( stringify!($field) => Some(self.$field), )*
                    _ => None,
                }
            }

            fn slot(&mut self, name: &str) -> Option<&mut u64> {
                match name {
                    $( stringify!($field) => Some(&mut self.$field), )*
                    _ => None,
                }
            }
        }
    };
}

limits! {
    /// Most results `makeresults count=` may generate; a larger count is an error.
    makeresults_max_count = 10_000_000, "results", None;
    /// Most results a subsearch used as search terms (`[ search ... ]`) contributes; the rest are dropped with a warning.
    subsearch_maxout = 10_000, "results", Some("[subsearch] maxout");
    /// Most results of a `join` subsearch; the rest are dropped with a warning.
    join_subsearch_maxout = 50_000, "results", Some("[join] subsearch_maxout");
    /// Default of `append maxout=`: most results of an `append` subsearch; the rest are dropped with a warning.
    append_maxout = 50_000, "results", Some("[searchresults] maxresultrows");
    /// Most results one `join` may output (the fan-out of `max=0` on a shared key); more is an error.
    join_max_output = 10_000_000, "results", None;
    /// Most values `mvrange` makes for one result; past it the result is null with a warning.
    mvrange_max_values = 1_000_000, "values", None;
    /// Memory `mvexpand` may produce for one input batch; past it the output is truncated with a warning, as Splunk does.
    mvexpand_max_mem_mb = 500, "MB", Some("[mvexpand] max_mem_usage_mb");
    /// Memory budget of the values a blocking operator adds to its results (`eventstats`); past it the search stops with an error.
    max_mem_usage_mb = 200, "MB", Some("[default] max_mem_usage_mb");
    /// Memory budget of what one blocking operator holds (the results `sort`, `reverse`, `tail`, `eventstats`, `transaction`, `chart`/`timechart`, `dedup sortby`... buffer, a `join`'s subsearch results, a `stats` group table with its `values()`/`list()`/`dc()` states), estimated per batch; past it the search stops with an error (Splunk spills to disk at `max_mem_usage_mb` instead).
    blocking_max_mem_mb = 4096, "MB", None;
    /// Longest line (or unbroken record) a data reader accepts; a longer one is an error naming file and line.
    max_line_bytes = 64 << 20, "bytes", None;
    /// Most columns (fields) a CSV data file may have; more is an error naming the file.
    csv_max_columns = 10_000, "columns", None;
    /// Most bytes read from standard input, a pipe or a gzip file into the private copy the readers use (after decompression); more is an error naming the input (a stream without end such as `/dev/zero`, a decompression bomb).
    max_stream_bytes = 64 << 30, "bytes", None;
}

/// Estimated bytes of a batch's columns. A column that is a slice of a
/// larger array counts only its share (`ArrayData::get_slice_memory_size`),
/// so a reader's batches cut from one buffer are not each charged the whole
/// buffer; an estimate, computed once per batch, never per row.
pub(crate) fn batch_bytes(batch: &arrow_array::RecordBatch) -> usize {
    use arrow_array::Array;
    batch
        .columns()
        .iter()
        .map(|c| {
            c.to_data()
                .get_slice_memory_size()
                .unwrap_or_else(|_| c.get_array_memory_size())
        })
        .fold(0usize, usize::saturating_add)
}

/// What one blocking operator holds, checked against `blocking_max_mem_mb`
/// each time it takes a batch (or its group table grows), so a search over
/// more than the budget stops with `spl::run::limit` instead of exhausting
/// memory. The estimate is the Arrow size of the held batches
/// ([`batch_bytes`]) plus whatever the operator adds (its group table).
#[derive(Debug, Clone)]
pub(crate) struct MemBudget {
    command: &'static str,
    span: spl_parser::Span,
    held: usize,
}

impl MemBudget {
    /// A budget for `command` at `span` (the stage, for the error's caret).
    pub(crate) fn new(command: &'static str, span: spl_parser::Span) -> Self {
        MemBudget {
            command,
            span,
            held: 0,
        }
    }

    /// Counts `batch` as held from now on and checks the budget.
    pub(crate) fn hold(
        &mut self,
        batch: &arrow_array::RecordBatch,
        limits: &Limits,
    ) -> crate::error::Result<()> {
        self.held = self.held.saturating_add(batch_bytes(batch));
        self.check(0, limits)
    }

    /// Counts `bytes` more as held (a subsearch's results, an estimate).
    pub(crate) fn hold_bytes(&mut self, bytes: usize, limits: &Limits) -> crate::error::Result<()> {
        self.held = self.held.saturating_add(bytes);
        self.check(0, limits)
    }

    /// Checks what is held plus `extra` (e.g. the group table's estimate).
    pub(crate) fn check(&self, extra: usize, limits: &Limits) -> crate::error::Result<()> {
        let budget = Limits::mb_bytes(limits.blocking_max_mem_mb);
        let total = self.held.saturating_add(extra);
        if total > budget {
            return Err(exceeded(
                "blocking_max_mem_mb",
                limits.blocking_max_mem_mb,
                format!(
                    "{} holds about {} MB of results or groups",
                    self.command,
                    total.div_ceil(1 << 20)
                ),
                self.span,
            ));
        }
        Ok(())
    }

    /// Forgets what was held (the operator released its batches).
    pub(crate) fn release(&mut self) {
        self.held = 0;
    }
}

/// A `--limit` setting that cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    /// No limit has this name.
    #[error("unknown limit `{0}` (known: {known})", known = LIMITS.iter().map(|l| l.name).collect::<Vec<_>>().join(", "))]
    Unknown(String),
    /// The value is not a positive integer.
    #[error("limit `{name}`: expected a positive integer, found `{value}`")]
    BadValue {
        /// The limit.
        name: String,
        /// The text given.
        value: String,
    },
    /// Not of the form `name=value`.
    #[error("expected `name=value`, found `{0}`")]
    Syntax(String),
}

impl Limits {
    /// Sets the limit `name` to `value` (at least 1).
    pub fn set(&mut self, name: &str, value: u64) -> Result<(), LimitError> {
        if value == 0 {
            return Err(LimitError::BadValue {
                name: name.into(),
                value: "0".into(),
            });
        }
        let slot = self
            .slot(name)
            .ok_or_else(|| LimitError::Unknown(name.into()))?;
        *slot = value;
        Ok(())
    }

    /// Applies a `name=value` setting (the `--limit` syntax); the value may
    /// use `_` separators.
    pub fn set_text(&mut self, setting: &str) -> Result<(), LimitError> {
        let (name, value) = setting
            .split_once('=')
            .ok_or_else(|| LimitError::Syntax(setting.into()))?;
        let (name, value) = (name.trim(), value.trim());
        if self.get(name).is_none() {
            return Err(LimitError::Unknown(name.into()));
        }
        let n: u64 = value
            .replace('_', "")
            .parse()
            .map_err(|_| LimitError::BadValue {
                name: name.into(),
                value: value.into(),
            })?;
        self.set(name, n)
    }

    /// A limit as a `usize` (saturating on 32-bit targets).
    pub fn usize(v: u64) -> usize {
        usize::try_from(v).unwrap_or(usize::MAX)
    }

    /// A megabyte limit in bytes.
    pub fn mb_bytes(v: u64) -> usize {
        Self::usize(v.saturating_mul(1 << 20))
    }
}

/// The error for a limit exceeded, naming it and how to raise it.
pub(crate) fn exceeded(
    name: &'static str,
    value: u64,
    what: String,
    span: spl_parser::Span,
) -> crate::error::EngineError {
    crate::error::EngineError::Limit {
        message: format!("{what}: over the limit `{name}` ({value})"),
        span,
        help: format!("raise it with --limit {name}=N (docs/limits.md)"),
    }
}

/// The error for a data file over a limit, naming the file (and line).
pub(crate) fn data_exceeded(
    display: &str,
    line: Option<usize>,
    name: &'static str,
    value: u64,
    what: String,
) -> crate::error::EngineError {
    crate::error::EngineError::data(
        display,
        line,
        None,
        format!("{what}: over the limit `{name}` ({value}); raise it with --limit {name}=N"),
    )
}

/// The warning for a limit that dropped results or values (Splunk truncates
/// there with a message rather than failing).
pub(crate) fn truncated(warnings: &crate::warning::Warnings, name: &'static str, message: String) {
    warnings.push(
        "spl::run::limit_exceeded",
        format!("{message} (limit `{name}`; raise it with --limit {name}=N)"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_settings() {
        let mut l = Limits::default();
        assert_eq!(l.get("join_subsearch_maxout"), Some(50_000));
        assert_eq!(l.get("subsearch_maxout"), Some(10_000));
        assert_eq!(l.get("mvexpand_max_mem_mb"), Some(500));
        l.set_text("join_subsearch_maxout=7").unwrap();
        assert_eq!(l.join_subsearch_maxout, 7);
        l.set_text("max_line_bytes = 1_000").unwrap();
        assert_eq!(l.max_line_bytes, 1000);
        assert!(matches!(l.set_text("nope=1"), Err(LimitError::Unknown(_))));
        assert!(matches!(
            l.set_text("max_line_bytes=-1"),
            Err(LimitError::BadValue { .. })
        ));
        assert!(matches!(
            l.set_text("max_line_bytes=0"),
            Err(LimitError::BadValue { .. })
        ));
        assert!(matches!(
            l.set_text("max_line_bytes"),
            Err(LimitError::Syntax(_))
        ));
        assert_eq!(LIMITS.len(), 12);
        assert!(LIMITS
            .iter()
            .all(|s| Limits::default().get(s.name) == Some(s.default)));
    }

    /// `docs/limits.md` lists every limit with its default.
    #[test]
    fn documented() {
        let doc = include_str!("../../docs/limits.md");
        for s in LIMITS {
            let row = doc
                .lines()
                .find(|l| l.starts_with(&format!("| `{}` ", s.name)))
                .unwrap_or_else(|| panic!("docs/limits.md lacks `{}`", s.name));
            assert!(
                row.contains(&format!("| {} |", s.default)),
                "docs/limits.md: `{}` should have default {}",
                s.name,
                s.default
            );
        }
    }
}
