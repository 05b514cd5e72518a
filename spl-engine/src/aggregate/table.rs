//! The aggregation table: one [`AggSpec`] per aggregation function, the way
//! eval functions have their `FunctionSpec`s.
//!
//! An entry is named by the parser's canonical name
//! (`spl_parser::aggregations`, which holds the spellings: `c`, `mean`,
//! `p<N>`) and says where the function is allowed, what it takes, what it
//! does, examples with their results (checked by `tests/registry.rs` in the
//! examples environment and shown in `docs/reference/aggregations.md`) and
//! which state computes it. Resolution ([`AggFunc::resolve`]), the "did you
//! mean" list, the help texts, the sparkline functions and the generated
//! reference all read this table.

use super::grouped::{AggImpl, DistinctImpl, NullImpl, StateOf};
use super::state::{
    CountState, ExtremeState, ListState, ModeState, MomentKind, MomentState, OrderState, PercKind,
    PercState, RangeState, RateState, TimeKind, TimeState, ValuesState,
};
use super::{AggFunc, PercMethod};
use std::fmt;

/// A command that takes aggregations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggContext {
    /// `stats`.
    Stats,
    /// `eventstats`.
    Eventstats,
    /// `streamstats`.
    Streamstats,
    /// `chart`.
    Chart,
    /// `timechart`.
    Timechart,
    /// `mstats` (numeric measurements only; 6.2).
    Mstats,
    /// `tstats`.
    Tstats,
}

impl AggContext {
    /// Every context, in the order the reference lists them.
    pub const ALL: [AggContext; 7] = [
        AggContext::Stats,
        AggContext::Eventstats,
        AggContext::Streamstats,
        AggContext::Chart,
        AggContext::Timechart,
        AggContext::Mstats,
        AggContext::Tstats,
    ];

    /// The command's name.
    pub fn command(self) -> &'static str {
        match self {
            AggContext::Stats => "stats",
            AggContext::Eventstats => "eventstats",
            AggContext::Streamstats => "streamstats",
            AggContext::Chart => "chart",
            AggContext::Timechart => "timechart",
            AggContext::Mstats => "mstats",
            AggContext::Tstats => "tstats",
        }
    }

    /// The context of a command name (lower case).
    pub fn of_command(name: &str) -> Option<AggContext> {
        AggContext::ALL.into_iter().find(|c| c.command() == name)
    }
}

/// What an aggregation takes between its parentheses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgRule {
    /// A field, a wildcard pattern or `eval(...)`.
    Field,
    /// The same, or nothing: every event counts (`count`).
    FieldOrRows,
    /// `sparkline(<func>(<field>), <span>)`, or nothing.
    Sparkline,
}

/// An aggregation's place inside `sparkline(...)`.
#[derive(Debug, Clone, Copy)]
pub struct SparkInner {
    /// The spellings Splunk's syntax allows there (`c`, `count`).
    pub spellings: &'static [&'static str],
    /// What a bucket without values shows (`0` for counts and sums).
    pub empty: &'static str,
}

/// An example and its result in the examples environment: `call` runs as
/// `index=main | stats <call> AS x` ([`AggExample::spl`]) over
/// `fixtures/examples.setup`, and `result`
/// is the one cell it returns, written as in a `.spltest` table
/// (`NULL`, `[a, b]`).
#[derive(Debug, Clone, Copy)]
pub struct AggExample {
    /// The aggregation as written (`dc(host)`).
    pub call: &'static str,
    /// Its result.
    pub result: &'static str,
}

impl AggExample {
    /// The search the example runs.
    pub fn spl(&self) -> String {
        format!("index=main | stats {} AS x", self.call)
    }
}

/// One aggregation function.
pub struct AggSpec {
    /// Canonical name: the parser's entry of the same name holds the spellings.
    pub name: &'static str,
    /// The commands that accept it.
    pub contexts: &'static [AggContext],
    /// What it takes.
    pub arg: ArgRule,
    /// One-line description.
    pub description: &'static str,
    /// Examples (each is run by a test).
    pub examples: &'static [AggExample],
    /// Allowed inside `sparkline(...)`, and how.
    pub sparkline: Option<SparkInner>,
    /// Reads the `_time` of each value.
    pub time: bool,
    /// The result over no values is `0`, not null (`count`, `dc`); `chart`
    /// fills its empty cells with it.
    pub zero_when_empty: bool,
    /// The states that compute it; `None`: a Splunk aggregation this engine
    /// does not run (`spl::run::unsupported_function`).
    pub(crate) run: Option<&'static dyn AggImpl>,
}

impl fmt::Debug for AggSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl AggSpec {
    /// True when the engine runs it.
    pub fn runs(&self) -> bool {
        self.run.is_some()
    }

    /// The parser's names of this aggregation.
    pub fn names(&self) -> Option<&'static spl_parser::aggregations::AggName> {
        spl_parser::aggregations::canonical(self.name)
    }

    /// The spellings as documented (`perc<N>`, `p<N>`, `exactperc<N>`).
    pub fn spellings(&self) -> Vec<String> {
        match self.names() {
            Some(n) => n.spellings().map(|s| n.shown(s)).collect(),
            None => vec![self.name.to_string()],
        }
    }

    /// The columns of its partial (one row per group, `aggregate/partial.rs`)
    /// as the reference shows them: `` `sum` (Float64) ``. Empty for a
    /// function the engine does not run and for `sparkline`.
    pub fn partial_columns(&self) -> Vec<String> {
        self.run
            .map_or(&[][..], |r| r.columns())
            .iter()
            .map(|c| format!("`{}` ({})", c.name, c.kind.shown()))
            .collect()
    }

    /// True for `sparkline`, which its commands bind with a plan.
    pub(crate) fn is_sparkline(&self) -> bool {
        self.arg == ArgRule::Sparkline
    }

    /// An aggregation the engine runs.
    const fn new(
        name: &'static str,
        contexts: &'static [AggContext],
        run: &'static dyn AggImpl,
        description: &'static str,
        examples: &'static [AggExample],
    ) -> AggSpec {
        AggSpec {
            name,
            contexts,
            arg: ArgRule::Field,
            description,
            examples,
            sparkline: None,
            time: false,
            zero_when_empty: false,
            run: Some(run),
        }
    }

    /// A Splunk aggregation the engine does not run.
    const fn not_run(
        name: &'static str,
        contexts: &'static [AggContext],
        description: &'static str,
    ) -> AggSpec {
        AggSpec {
            name,
            contexts,
            arg: ArgRule::Field,
            description,
            examples: &[],
            sparkline: None,
            time: false,
            zero_when_empty: false,
            run: None,
        }
    }

    const fn rows(self) -> AggSpec {
        AggSpec {
            arg: ArgRule::FieldOrRows,
            ..self
        }
    }

    const fn time(self) -> AggSpec {
        AggSpec { time: true, ..self }
    }

    const fn zero(self) -> AggSpec {
        AggSpec {
            zero_when_empty: true,
            ..self
        }
    }

    const fn spark(self, spellings: &'static [&'static str], empty: &'static str) -> AggSpec {
        AggSpec {
            sparkline: Some(SparkInner { spellings, empty }),
            ..self
        }
    }
}

use AggContext::{Chart, Eventstats, Mstats, Stats, Streamstats, Timechart, Tstats};

/// Every command that takes aggregations.
const EVERYWHERE: &[AggContext] = &[
    Stats,
    Eventstats,
    Streamstats,
    Chart,
    Timechart,
    Mstats,
    Tstats,
];
/// All but `mstats`, which aggregates numbers only.
const NOT_MSTATS: &[AggContext] = &[Stats, Eventstats, Streamstats, Chart, Timechart, Tstats];
/// Order-based functions, which `tstats` does not offer either.
const EVENTS_ONLY: &[AggContext] = &[Stats, Eventstats, Streamstats, Chart, Timechart];

const fn ex(call: &'static str, result: &'static str) -> AggExample {
    AggExample { call, result }
}

fn moment(kind: MomentKind) -> MomentState {
    MomentState::new(kind)
}

/// The table. Its order is the order of the sparkline functions in messages.
static AGGREGATIONS: &[AggSpec] = &[
    AggSpec::new(
        "count",
        EVERYWHERE,
        &StateOf(|_| CountState::default()),
        "Without a field, the number of events; with one, the number of its values (each value of a multivalue field counts; the empty string counts).",
        &[ex("count", "3"), ex("count(user)", "3"), ex("c(bytes)", "3")],
    )
    .rows()
    .zero()
    .spark(&["c", "count"], "0"),
    AggSpec::new(
        "dc",
        NOT_MSTATS,
        &DistinctImpl,
        "The number of distinct values, compared as strings (`1` and `1.0` differ); `estdc` is exact.",
        &[ex("dc(host)", "2"), ex("distinct_count(status)", "3")],
    )
    .zero()
    .spark(&["dc"], "0"),
    AggSpec::new(
        "avg",
        EVERYWHERE,
        &StateOf(|_| moment(MomentKind::Avg)),
        "The arithmetic mean of the numeric values, printed at full precision.",
        &[ex("avg(bytes)", "503.3333333333333"), ex("mean(status)", "368")],
    )
    .spark(&["mean", "avg"], ""),
    AggSpec::new(
        "stdev",
        EVERYWHERE,
        &StateOf(|_| moment(MomentKind::Stdev)),
        "The sample standard deviation of the numeric values, as `sqrt((Σx² − n·x̄²)/(n−1))` (Splunk's digits); 0 for one value.",
        &[ex("stdev(bytes)", "622.9232162420449")],
    )
    .spark(&["stdev"], ""),
    AggSpec::new(
        "stdevp",
        EVERYWHERE,
        &StateOf(|_| moment(MomentKind::Stdevp)),
        "The population standard deviation of the numeric values.",
        &[ex("stdevp(bytes)", "508.61467624213213")],
    )
    .spark(&["stdevp"], ""),
    AggSpec::new(
        "var",
        EVERYWHERE,
        &StateOf(|_| moment(MomentKind::Var)),
        "The sample variance of the numeric values; 0 for one value.",
        &[ex("var(bytes)", "388033.3333333334")],
    )
    .spark(&["var"], ""),
    AggSpec::new(
        "varp",
        EVERYWHERE,
        &StateOf(|_| moment(MomentKind::Varp)),
        "The population variance of the numeric values.",
        &[ex("varp(bytes)", "258688.8888888889")],
    )
    .spark(&["varp"], ""),
    AggSpec::new(
        "sum",
        EVERYWHERE,
        &StateOf(|_| moment(MomentKind::Sum)),
        "The sum of the numeric values (non-numeric values are ignored).",
        &[ex("sum(bytes)", "1510")],
    )
    .spark(&["sum"], "0"),
    AggSpec::new(
        "sumsq",
        EVERYWHERE,
        &StateOf(|_| moment(MomentKind::Sumsq)),
        "The sum of the squares of the numeric values.",
        &[ex("sumsq(bytes)", "1536100")],
    )
    .spark(&["sumsq"], "0"),
    AggSpec::new(
        "min",
        EVERYWHERE,
        &StateOf(|_| ExtremeState::new(false)),
        "The smallest value: numbers compare as numbers and sort before strings, strings in byte order.",
        &[ex("min(bytes)", "0"), ex("min(user)", "alice")],
    )
    .spark(&["min"], ""),
    AggSpec::new(
        "max",
        EVERYWHERE,
        &StateOf(|_| ExtremeState::new(true)),
        "The largest value: numbers compare as numbers and sort before strings, strings in byte order.",
        &[ex("max(status)", "500"), ex("max(host)", "web-2")],
    )
    .spark(&["max"], ""),
    AggSpec::new(
        "range",
        EVERYWHERE,
        &StateOf(|_| RangeState::default()),
        "The largest numeric value minus the smallest.",
        &[ex("range(bytes)", "1200")],
    )
    .spark(&["range"], ""),
    AggSpec::not_run(
        "estdc_error",
        NOT_MSTATS,
        "The theoretical error of `estdc`'s estimate.",
    ),
    AggSpec::new(
        "median",
        EVERYWHERE,
        &StateOf(|_| PercState::new(PercKind::Median)),
        "The middle value of the sorted numeric values; with an even count, the higher of the two middle ones.",
        &[ex("median(bytes)", "310")],
    ),
    AggSpec::new(
        "perc",
        EVERYWHERE,
        &StateOf(|f: AggFunc| {
            PercState::new(PercKind::Perc(f.percent(), PercMethod::Interpolate))
        }),
        "The N-th percentile (N from 0 to 100, fractions allowed) of the numeric values, interpolated linearly between the ranks around `N·(n−1)/100`.",
        &[ex("perc50(bytes)", "310"), ex("p90(bytes)", "1022"), ex("exactperc25(bytes)", "155")],
    ),
    AggSpec::new(
        "upperperc",
        EVERYWHERE,
        &StateOf(|f: AggFunc| PercState::new(PercKind::Perc(f.percent(), PercMethod::Upper))),
        "The N-th percentile of the numeric values, taking the upper of the two ranks around `N·(n−1)/100`.",
        &[ex("upperperc90(bytes)", "1200")],
    ),
    AggSpec::new(
        "mode",
        NOT_MSTATS,
        &StateOf(|_| ModeState::default()),
        "The most frequent value, compared as strings; ties go to the value seen first.",
        &[ex("mode(host)", "web-1")],
    ),
    AggSpec::new(
        "values",
        NOT_MSTATS,
        &StateOf(|_| ValuesState::default()),
        "The distinct values, compared as strings, in byte order, as a multivalue field.",
        &[ex("values(host)", "[web-1, web-2]")],
    ),
    AggSpec::new(
        "list",
        EVENTS_ONLY,
        &StateOf(|_| ListState::default()),
        "The values in the order the command sees them, duplicates kept, at most 100, as a multivalue field.",
        &[ex("list(status)", "[500, 404, 200]")],
    ),
    AggSpec::new(
        "first",
        EVENTS_ONLY,
        &StateOf(|_| OrderState::new(false)),
        "The first value the command sees (a search returns events newest first, so usually the most recent).",
        &[ex("first(user)", "carol")],
    ),
    AggSpec::new(
        "last",
        EVENTS_ONLY,
        &StateOf(|_| OrderState::new(true)),
        "The last value the command sees.",
        &[ex("last(user)", "alice")],
    ),
    AggSpec::new(
        "earliest",
        EVERYWHERE,
        &StateOf(|_| TimeState::new(TimeKind::Earliest)),
        "The value with the smallest `_time` (ties: the first seen); values without `_time` are ignored.",
        &[ex("earliest(user)", "alice")],
    )
    .time(),
    AggSpec::new(
        "latest",
        EVERYWHERE,
        &StateOf(|_| TimeState::new(TimeKind::Latest)),
        "The value with the largest `_time` (ties: the first seen); values without `_time` are ignored.",
        &[ex("latest(user)", "carol")],
    )
    .time(),
    AggSpec::new(
        "earliest_time",
        EVERYWHERE,
        &StateOf(|_| TimeState::new(TimeKind::EarliestTime)),
        "The smallest `_time` (epoch seconds) of an event with a value.",
        &[ex("earliest_time(user)", "1714564200")],
    )
    .time(),
    AggSpec::new(
        "latest_time",
        EVERYWHERE,
        &StateOf(|_| TimeState::new(TimeKind::LatestTime)),
        "The largest `_time` (epoch seconds) of an event with a value.",
        &[ex("latest_time(user)", "1714564500")],
    )
    .time(),
    AggSpec::new(
        "rate",
        EVERYWHERE,
        &StateOf(|_| RateState::default()),
        "`(latest − earliest) / (latest_time − earliest_time)` over the numeric values; null when they all share one time.",
        &[ex("rate(bytes)", "-4")],
    )
    .time(),
    AggSpec::not_run(
        "rate_avg",
        &[Mstats],
        "The average of the per-time-series rates of a counter metric.",
    ),
    AggSpec::not_run(
        "rate_sum",
        &[Mstats],
        "The sum of the per-time-series rates of a counter metric.",
    ),
    AggSpec::not_run(
        "per_second",
        &[Timechart],
        "The sum of the values in each time bucket, per second of the bucket.",
    ),
    AggSpec::not_run(
        "per_minute",
        &[Timechart],
        "The sum of the values in each time bucket, per minute of the bucket.",
    ),
    AggSpec::not_run(
        "per_hour",
        &[Timechart],
        "The sum of the values in each time bucket, per hour of the bucket.",
    ),
    AggSpec::not_run(
        "per_day",
        &[Timechart],
        "The sum of the values in each time bucket, per day of the bucket.",
    ),
    AggSpec {
        arg: ArgRule::Sparkline,
        ..AggSpec::new(
            "sparkline",
            &[Stats, Chart],
            &NullImpl,
            "Per group, an aggregation (one of the sparkline functions, `count` by default) of each time bucket, as a multivalue field that starts with `##__SPARKLINE__##`; the span is written (`sparkline(avg(bytes), 5m)`) or chosen for at most 100 buckets.",
            &[ex("sparkline(count, 5m)", "[##__SPARKLINE__##, 2, 1]")],
        )
    }
    .time(),
];

/// Every aggregation, in table order.
pub fn aggregations() -> impl Iterator<Item = &'static AggSpec> {
    AGGREGATIONS.iter()
}

/// The entry of a canonical name.
pub(crate) fn spec(name: &str) -> Option<&'static AggSpec> {
    AGGREGATIONS.iter().find(|s| s.name == name)
}

/// The spellings allowed inside `sparkline(...)`, in table order.
pub(crate) fn sparkline_spellings() -> impl Iterator<Item = &'static str> {
    AGGREGATIONS
        .iter()
        .filter_map(|s| s.sparkline)
        .flat_map(|s| s.spellings.iter().copied())
}

/// The aggregations a context runs, as documented (`perc<N>`), sorted.
pub(crate) fn run_in(context: AggContext) -> Vec<String> {
    let mut names: Vec<String> = AGGREGATIONS
        .iter()
        .filter(|s| s.runs() && !s.is_sparkline() && s.contexts.contains(&context))
        .filter_map(|s| s.spellings().into_iter().next())
        .collect();
    names.sort();
    names
}

/// The commands of `contexts` as text: "`stats` and `chart`".
pub(crate) fn commands_text(contexts: &[AggContext]) -> String {
    let names: Vec<String> = contexts
        .iter()
        .map(|c| format!("`{}`", c.command()))
        .collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spl_parser::aggregations::AGGREGATIONS as NAMES;

    /// The parser's names and this table describe the same functions.
    #[test]
    fn one_entry_per_parser_name() {
        for n in NAMES {
            let entries = AGGREGATIONS.iter().filter(|s| s.name == n.name).count();
            assert_eq!(entries, 1, "{}: {entries} entries", n.name);
        }
        for s in AGGREGATIONS {
            assert!(s.names().is_some(), "{}: not in the parser's table", s.name);
            assert!(!s.description.is_empty(), "{}", s.name);
            assert!(!s.contexts.is_empty(), "{}", s.name);
            assert_eq!(s.runs(), !s.examples.is_empty(), "{}: examples", s.name);
            if s.sparkline.is_some() {
                assert!(s.contexts.contains(&Stats), "{}", s.name);
            }
        }
    }

    /// Every spelling of every parser name, in every command the table
    /// allows it in: an aggregation the engine runs resolves, any other is
    /// a positioned `spl::run::unsupported_function`; in a command it is
    /// not allowed in, a positioned invalid argument.
    #[test]
    fn every_parser_name_runs_or_is_rejected_with_its_span() {
        use crate::error::EngineError;
        use spl_parser::Span;
        for n in NAMES {
            let Some(spec) = spec(n.name) else {
                panic!("{}: no entry", n.name);
            };
            for spelling in n.spellings() {
                let written = if n.numbered {
                    format!("{spelling}95")
                } else {
                    spelling.to_uppercase()
                };
                let span = Span::new(7, 7 + written.len());
                for context in AggContext::ALL {
                    let got = super::AggFunc::resolve(&written, span, context);
                    let allowed = spec.contexts.contains(&context);
                    match got {
                        Ok(f) => {
                            assert!(allowed && spec.runs(), "{written} in {context:?}");
                            assert_eq!(f.spec().name, spec.name);
                        }
                        Err(EngineError::UnsupportedFunction { name, span: s }) => {
                            assert!(allowed && !spec.runs(), "{written} in {context:?}");
                            assert_eq!((name.as_str(), s), (written.as_str(), span));
                        }
                        Err(EngineError::InvalidArgument { span: s, .. }) => {
                            assert!(!allowed || spec.is_sparkline(), "{written} in {context:?}");
                            assert_eq!(s, span, "{written} in {context:?}");
                        }
                        Err(e) => panic!("{written} in {context:?}: {e:?}"),
                    }
                }
            }
        }
    }

    #[test]
    fn derived_texts() {
        assert_eq!(
            sparkline_spellings().collect::<Vec<_>>().join(", "),
            "c, count, dc, mean, avg, stdev, stdevp, var, varp, sum, sumsq, min, max, range"
        );
        assert_eq!(
            run_in(Mstats).join(", "),
            "avg, count, earliest, earliest_time, latest, latest_time, max, median, min, \
             perc<N>, range, rate, stdev, stdevp, sum, sumsq, upperperc<N>, var, varp"
        );
        assert_eq!(commands_text(&[Stats, Chart]), "`stats` and `chart`");
        assert_eq!(commands_text(&[Timechart]), "`timechart`");
        assert_eq!(
            spec("perc").map(AggSpec::spellings),
            Some(vec!["perc<N>".into(), "p<N>".into(), "exactperc<N>".into()])
        );
    }
}
