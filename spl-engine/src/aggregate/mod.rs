//! Aggregation functions shared by `stats`, `eventstats`, `streamstats`,
//! `chart`, `timechart` and `mstats`.
//!
//! Each aggregation is one entry of the [`table`] ([`AggSpec`]): where it is
//! allowed, what it takes, what it does, its examples and the state that
//! computes it; its spellings are the parser's (`spl_parser::aggregations`).
//! [`AggFunc::resolve`] turns a name as written (`dc`, `perc99.5`, `mean`)
//! into a function through the table; [`grouped`] holds the per-group
//! accumulators that consume Arrow columns, [`state`] the per-function
//! states, [`partial`] their partials as Arrow batches, [`value`] the value
//! views and result builders.
//!
//! Semantics follow `spl-semantics.md` section 5.3 (stats) and 6.2 (mstats).

pub(crate) mod bins;
pub(crate) mod grouped;
pub(crate) mod hash;
pub(crate) mod keytable;
pub(crate) mod names;
// partials are written and read by the tests today; between processes later
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) mod partial;
#[cfg(test)]
mod partial_tests;
pub(crate) mod sparkline;
pub(crate) mod state;
pub mod table;
pub(crate) mod timespan;
pub(crate) mod value;

pub(crate) use table::{AggContext, AggSpec, ArgRule};

use crate::error::{EngineError, Result};
use spl_parser::aggregations::AggLookup;
use spl_parser::Span;
use std::fmt;

/// How a percentile is read off the sorted values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PercMethod {
    /// `perc<N>`, `p<N>`, `exactperc<N>`: linear interpolation between ranks
    /// (matches the documented examples, 5.3).
    Interpolate,
    /// `upperperc<N>`: the value at the upper of the two neighbouring ranks.
    Upper,
}

/// An aggregation function resolved from its name: its table entry, and the
/// percentile of `perc<N>` and its kin.
#[derive(Clone, Copy)]
pub struct AggFunc {
    spec: &'static AggSpec,
    percent: f64,
}

impl PartialEq for AggFunc {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.spec, other.spec) && self.percent == other.percent
    }
}

impl fmt::Debug for AggFunc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.spec.names() {
            Some(n) if n.numbered => write!(f, "{}{}", self.spec.name, self.percent),
            _ => f.write_str(self.spec.name),
        }
    }
}

impl AggFunc {
    /// Resolves a function name as written (case-insensitive) for a command.
    /// Unknown names give [`EngineError::UnknownFunction`] with a "did you
    /// mean" hint; a function the command does not take is an invalid
    /// argument; a Splunk function the engine does not run is
    /// [`EngineError::UnsupportedFunction`].
    pub fn resolve(name: &str, span: Span, context: AggContext) -> Result<AggFunc> {
        let (agg, percent) = match spl_parser::aggregations::lookup(name) {
            AggLookup::Found { agg, percent } => (agg, percent),
            AggLookup::BadPercentile(_) => {
                return Err(EngineError::invalid(
                    format!("expected a percentile between 0 and 100, found `{name}`"),
                    span,
                    "bad percentile",
                ))
            }
            AggLookup::Unknown => return Err(unknown(name, span)),
        };
        let spec = table::spec(agg.name).ok_or_else(|| {
            EngineError::Internal(format!("aggregation `{}` has no table entry", agg.name))
        })?;
        if spec.is_sparkline() {
            return Err(sparkline_elsewhere(name, span));
        }
        if !spec.contexts.contains(&context) {
            return Err(not_in(name, span, spec, context));
        }
        if !spec.runs() {
            return Err(EngineError::UnsupportedFunction {
                name: name.to_string(),
                span,
            });
        }
        Ok(AggFunc {
            spec,
            percent: percent.unwrap_or(0.0),
        })
    }

    /// `sparkline`, which `stats` and `chart` bind with its plan.
    pub(crate) fn sparkline() -> Result<AggFunc> {
        let spec = table::spec("sparkline")
            .ok_or_else(|| EngineError::Internal("no sparkline table entry".into()))?;
        Ok(AggFunc { spec, percent: 0.0 })
    }

    /// The table entry.
    pub fn spec(self) -> &'static AggSpec {
        self.spec
    }

    /// The percentile of `perc<N>`, `upperperc<N>` (0 for the others).
    pub fn percent(self) -> f64 {
        self.percent
    }

    /// True when the function reads `_time` of each value.
    pub fn needs_time(self) -> bool {
        self.spec.time
    }

    /// True when the function may go without a field (`count`: events).
    pub fn takes_rows(self) -> bool {
        self.spec.arg == ArgRule::FieldOrRows
    }
}

/// A function the context does not take.
fn not_in(name: &str, span: Span, spec: &AggSpec, context: AggContext) -> EngineError {
    let command = context.command();
    let (message, help) = match context {
        AggContext::Mstats => (
            format!("expected an mstats aggregation, found `{name}`"),
            format!(
                "mstats supports {}",
                table::run_in(AggContext::Mstats).join(", ")
            ),
        ),
        _ => (
            format!("expected a {command} aggregation, found `{name}`"),
            format!(
                "`{name}` is available in {}",
                table::commands_text(spec.contexts)
            ),
        ),
    };
    EngineError::InvalidArgument {
        message,
        span,
        label: format!("not available in {command}"),
        help: Some(help),
    }
}

/// `sparkline` where Splunk does not allow it (only `stats` and `chart` take
/// a sparkline-agg-term).
pub(crate) fn sparkline_elsewhere(name: &str, span: Span) -> EngineError {
    EngineError::InvalidArgument {
        message: format!("expected a statistical function, found `{name}`"),
        span,
        label: "sparkline is not available here".into(),
        help: Some(sparkline_help()),
    }
}

/// Where a sparkline is allowed, from its table entry.
pub(crate) fn sparkline_help() -> String {
    let contexts = table::spec("sparkline").map_or(&[][..], |s| s.contexts);
    format!(
        "sparkline(...) is available in {} only",
        table::commands_text(contexts)
    )
}

fn unknown(name: &str, span: Span) -> EngineError {
    EngineError::UnknownFunction {
        name: name.to_string(),
        span,
        help: spl_parser::aggregations::suggest(name).map(|c| format!("did you mean `{c}`?")),
    }
}

/// A function by name, for tests.
#[cfg(test)]
pub(crate) fn test_func(name: &str) -> AggFunc {
    AggFunc::resolve(name, Span::new(0, 0), AggContext::Stats).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(name: &str) -> Result<AggFunc> {
        AggFunc::resolve(name, Span::new(0, name.len()), AggContext::Stats)
    }

    fn named(name: &str) -> (&'static str, f64) {
        let f = r(name).unwrap();
        (f.spec().name, f.percent())
    }

    #[test]
    fn resolves_aliases_and_percentiles() {
        assert_eq!(named("c"), ("count", 0.0));
        assert_eq!(named("distinct_count"), ("dc", 0.0));
        assert_eq!(named("MEAN"), ("avg", 0.0));
        assert_eq!(named("p99.5"), ("perc", 99.5));
        assert_eq!(named("perc95"), ("perc", 95.0));
        assert_eq!(named("exactperc1"), ("perc", 1.0));
        assert_eq!(named("upperperc90"), ("upperperc", 90.0));
        assert_eq!(r("estdc").unwrap(), r("dc").unwrap());
        assert_ne!(r("perc95").unwrap(), r("perc90").unwrap());
        assert_ne!(r("perc95").unwrap(), r("upperperc95").unwrap());
        assert!(r("count").unwrap().takes_rows());
        assert!(!r("sum").unwrap().takes_rows());
        assert!(r("latest_time").unwrap().needs_time());
    }

    #[test]
    fn unknown_function_suggests() {
        match r("avgg") {
            Err(EngineError::UnknownFunction { help, name, .. }) => {
                assert_eq!(name, "avgg");
                assert_eq!(help.as_deref(), Some("did you mean `avg`?"));
            }
            other => panic!("{other:?}"),
        }
        // the name's span is kept
        match AggFunc::resolve("vlaues", Span::new(6, 12), AggContext::Stats) {
            Err(EngineError::UnknownFunction { name, span, help }) => {
                assert_eq!(name, "vlaues");
                assert_eq!(span, Span::new(6, 12));
                assert_eq!(help.as_deref(), Some("did you mean `values`?"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            r("frobnicate"),
            Err(EngineError::UnknownFunction { help: None, .. })
        ));
        assert!(matches!(
            r("perc101"),
            Err(EngineError::InvalidArgument { .. })
        ));
    }

    #[test]
    fn mstats_rejects_string_functions() {
        let e = AggFunc::resolve("values", Span::new(0, 6), AggContext::Mstats);
        assert!(matches!(e, Err(EngineError::InvalidArgument { .. })));
        assert_eq!(
            AggFunc::resolve("stdev", Span::new(0, 5), AggContext::Mstats).unwrap(),
            r("stdev").unwrap()
        );
    }

    /// Splunk aggregations the engine does not run are positioned errors,
    /// and one a command does not take says where it is available.
    #[test]
    fn unsupported_and_misplaced_functions() {
        let span = Span::new(3, 13);
        match AggFunc::resolve("per_second", span, AggContext::Timechart) {
            Err(EngineError::UnsupportedFunction { name, span: s }) => {
                assert_eq!(name, "per_second");
                assert_eq!(s, span);
            }
            other => panic!("{other:?}"),
        }
        match AggFunc::resolve("per_second", span, AggContext::Stats) {
            Err(EngineError::InvalidArgument { message, help, .. }) => {
                assert_eq!(message, "expected a stats aggregation, found `per_second`");
                assert_eq!(
                    help.as_deref(),
                    Some("`per_second` is available in `timechart`")
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            AggFunc::resolve("rate_sum", span, AggContext::Mstats),
            Err(EngineError::UnsupportedFunction { .. })
        ));
        assert!(matches!(
            r("sparkline"),
            Err(EngineError::InvalidArgument { .. })
        ));
    }
}
