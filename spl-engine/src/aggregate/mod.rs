//! Aggregation functions shared by `stats`, `eventstats`, `streamstats`,
//! `mstats` and `tstats`.
//!
//! [`AggFunc::resolve`] turns a function name as written (`dc`, `perc99.5`,
//! `mean`) into a function; [`grouped`] holds the per-group accumulators that
//! consume Arrow columns, [`state`] the per-function states, [`value`] the
//! value views and result builders.
//!
//! Semantics follow `spl-semantics.md` section 5.3 (stats) and 6.2 (mstats).

pub(crate) mod bins;
pub(crate) mod grouped;
pub(crate) mod hash;
pub(crate) mod keytable;
pub(crate) mod names;
pub(crate) mod sparkline;
pub(crate) mod state;
pub(crate) mod timespan;
pub(crate) mod value;

use crate::error::{EngineError, Result};
use spl_parser::Span;

/// How a percentile is read off the sorted values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PercMethod {
    /// `perc<N>`, `p<N>`, `exactperc<N>`: linear interpolation between ranks
    /// (matches the documented examples, 5.3).
    Interpolate,
    /// `upperperc<N>`: the value at the upper of the two neighbouring ranks.
    Upper,
}

/// An aggregation function, resolved from its name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AggFunc {
    /// `count` / `c`: events (no argument) or values (with an argument).
    Count,
    /// `dc` / `distinct_count` / `estdc`: distinct values compared as strings.
    DistinctCount,
    /// `sum`.
    Sum,
    /// `avg` / `mean`.
    Avg,
    /// `min`: numbers before strings.
    Min,
    /// `max`: numbers before strings.
    Max,
    /// `range`: max - min over numbers.
    Range,
    /// `stdev`: sample standard deviation.
    Stdev,
    /// `stdevp`: population standard deviation.
    Stdevp,
    /// `var`: sample variance.
    Var,
    /// `varp`: population variance.
    Varp,
    /// `sumsq`: sum of squares.
    Sumsq,
    /// `median`.
    Median,
    /// `perc<N>` and its spellings; the percentile is in 0..=100.
    Perc(f64, PercMethod),
    /// `mode`: most frequent value.
    Mode,
    /// `values`: distinct values in byte order.
    Values,
    /// `list`: values in processing order (at most 100).
    List,
    /// `first`: first value in processing order.
    First,
    /// `last`: last value in processing order.
    Last,
    /// `earliest`: value with the smallest `_time`.
    Earliest,
    /// `latest`: value with the largest `_time`.
    Latest,
    /// `earliest_time`: the smallest `_time` of a value.
    EarliestTime,
    /// `latest_time`: the largest `_time` of a value.
    LatestTime,
    /// `rate`: (latest - earliest value) / (latest_time - earliest_time).
    Rate,
    /// `sparkline(...)`: an aggregation per time bucket, as a multivalue
    /// field (`stats` and `chart` only; bound by the command with its
    /// [`sparkline::SparkPlan`]).
    Sparkline,
}

/// Which commands may use a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggContext {
    /// `stats`, `eventstats`, `streamstats`.
    Stats,
    /// `mstats` (numeric measurements only; 6.2).
    Mstats,
}

const STATS_NAMES: &[&str] = &[
    "count",
    "c",
    "dc",
    "distinct_count",
    "estdc",
    "sum",
    "avg",
    "mean",
    "min",
    "max",
    "range",
    "stdev",
    "stdevp",
    "var",
    "varp",
    "sumsq",
    "median",
    "perc95",
    "p95",
    "exactperc95",
    "upperperc95",
    "mode",
    "values",
    "list",
    "first",
    "last",
    "earliest",
    "latest",
    "earliest_time",
    "latest_time",
    "rate",
];

impl AggFunc {
    /// Resolves a function name as written (case-insensitive). Unknown names
    /// give [`EngineError::UnknownFunction`] with a "did you mean" hint.
    pub fn resolve(name: &str, span: Span, context: AggContext) -> Result<AggFunc> {
        let lower = name.to_ascii_lowercase();
        if lower == "sparkline" {
            return Err(sparkline_elsewhere(name, span));
        }
        let func = match lower.as_str() {
            "count" | "c" => Some(AggFunc::Count),
            "dc" | "distinct_count" | "estdc" => Some(AggFunc::DistinctCount),
            "sum" => Some(AggFunc::Sum),
            "avg" | "mean" => Some(AggFunc::Avg),
            "min" => Some(AggFunc::Min),
            "max" => Some(AggFunc::Max),
            "range" => Some(AggFunc::Range),
            "stdev" => Some(AggFunc::Stdev),
            "stdevp" => Some(AggFunc::Stdevp),
            "var" => Some(AggFunc::Var),
            "varp" => Some(AggFunc::Varp),
            "sumsq" => Some(AggFunc::Sumsq),
            "median" => Some(AggFunc::Median),
            "mode" => Some(AggFunc::Mode),
            "values" => Some(AggFunc::Values),
            "list" => Some(AggFunc::List),
            "first" => Some(AggFunc::First),
            "last" => Some(AggFunc::Last),
            "earliest" => Some(AggFunc::Earliest),
            "latest" => Some(AggFunc::Latest),
            "earliest_time" => Some(AggFunc::EarliestTime),
            "latest_time" => Some(AggFunc::LatestTime),
            "rate" => Some(AggFunc::Rate),
            _ => None,
        };
        let func = match func {
            Some(f) => f,
            None => match parse_percentile(&lower, name, span)? {
                Some(f) => f,
                None => return Err(unknown(name, span)),
            },
        };
        if context == AggContext::Mstats && !func.allowed_in_mstats() {
            return Err(EngineError::InvalidArgument {
                message: format!("expected an mstats aggregation, found `{name}`"),
                span,
                label: "not available in mstats".into(),
                help: Some(
                    "mstats supports avg, count, max, median, min, perc<N>, range, rate, stdev, stdevp, sum, \
                     sumsq, var, varp, earliest, latest, earliest_time, latest_time"
                        .into(),
                ),
            });
        }
        Ok(func)
    }

    fn allowed_in_mstats(self) -> bool {
        !matches!(
            self,
            AggFunc::DistinctCount
                | AggFunc::Mode
                | AggFunc::Values
                | AggFunc::List
                | AggFunc::First
                | AggFunc::Last
                | AggFunc::Sparkline
        )
    }

    /// True when the function reads `_time` of each value.
    pub fn needs_time(self) -> bool {
        matches!(
            self,
            AggFunc::Earliest
                | AggFunc::Latest
                | AggFunc::EarliestTime
                | AggFunc::LatestTime
                | AggFunc::Rate
                | AggFunc::Sparkline
        )
    }
}

/// `sparkline` where Splunk does not allow it (only `stats` and `chart` take
/// a sparkline-agg-term).
pub(crate) fn sparkline_elsewhere(name: &str, span: Span) -> EngineError {
    EngineError::InvalidArgument {
        message: format!("expected a statistical function, found `{name}`"),
        span,
        label: "sparkline is not available here".into(),
        help: Some("sparkline(...) is available in `stats` and `chart` only".into()),
    }
}

/// `perc95`, `p99.5`, `exactperc50`, `upperperc90`: `None` when `lower` is not
/// a percentile name at all, an error when it is one with a bad number.
fn parse_percentile(lower: &str, name: &str, span: Span) -> Result<Option<AggFunc>> {
    let (rest, method) = if let Some(r) = lower.strip_prefix("upperperc") {
        (r, PercMethod::Upper)
    } else if let Some(r) = lower.strip_prefix("exactperc") {
        (r, PercMethod::Interpolate)
    } else if let Some(r) = lower.strip_prefix("perc") {
        (r, PercMethod::Interpolate)
    } else if let Some(r) = lower.strip_prefix('p') {
        (r, PercMethod::Interpolate)
    } else {
        return Ok(None);
    };
    if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Ok(None);
    }
    match rest.parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(Some(AggFunc::Perc(p, method))),
        _ => Err(EngineError::invalid(
            format!("expected a percentile between 0 and 100, found `{name}`"),
            span,
            "bad percentile",
        )),
    }
}

fn unknown(name: &str, span: Span) -> EngineError {
    let best = spl_parser::suggest::did_you_mean(name, STATS_NAMES.iter().copied());
    EngineError::UnknownFunction {
        name: name.to_string(),
        span,
        help: best.map(|c| format!("did you mean `{c}`?")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(name: &str) -> Result<AggFunc> {
        AggFunc::resolve(name, Span::new(0, name.len()), AggContext::Stats)
    }

    #[test]
    fn resolves_aliases_and_percentiles() {
        assert_eq!(r("c").unwrap(), AggFunc::Count);
        assert_eq!(r("distinct_count").unwrap(), AggFunc::DistinctCount);
        assert_eq!(r("MEAN").unwrap(), AggFunc::Avg);
        assert_eq!(
            r("p99.5").unwrap(),
            AggFunc::Perc(99.5, PercMethod::Interpolate)
        );
        assert_eq!(
            r("perc95").unwrap(),
            AggFunc::Perc(95.0, PercMethod::Interpolate)
        );
        assert_eq!(
            r("exactperc1").unwrap(),
            AggFunc::Perc(1.0, PercMethod::Interpolate)
        );
        assert_eq!(
            r("upperperc90").unwrap(),
            AggFunc::Perc(90.0, PercMethod::Upper)
        );
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
            AggFunc::Stdev
        );
    }
}
