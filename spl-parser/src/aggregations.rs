//! Aggregation function names (`stats`, `eventstats`, `streamstats`,
//! `chart`, `timechart`, `tstats`, `mstats`, `sparkline`), declared once.
//!
//! The parser knows an aggregation by one of its spellings ([`AggName`]):
//! `count` or `c`, `perc95` or `p95`. What each one does, where it is
//! allowed and whether the engine runs it is the engine's aggregation table,
//! whose entries name these canonical names (a test there checks that every
//! name here has exactly one entry). Every Splunk aggregation is listed,
//! including those the engine does not run: those parse, and the engine
//! rejects them with a positioned error rather than an "unknown" one.

/// The names of one aggregation function.
#[derive(Debug)]
pub struct AggName {
    /// The canonical name (`count`; `perc` for `perc<N>`).
    pub name: &'static str,
    /// Other spellings of the same function (`c`; `p` and `exactperc`).
    pub aliases: &'static [&'static str],
    /// Every spelling is followed by a percentile between 0 and 100
    /// (`perc95`, `p99.5`).
    pub numbered: bool,
}

impl AggName {
    /// The canonical name and then the aliases.
    pub fn spellings(&self) -> impl Iterator<Item = &'static str> {
        std::iter::once(self.name).chain(self.aliases.iter().copied())
    }

    /// A spelling as documented: `perc<N>` for a numbered one.
    pub fn shown(&self, spelling: &str) -> String {
        if self.numbered {
            format!("{spelling}<N>")
        } else {
            spelling.to_string()
        }
    }
}

const fn plain(name: &'static str, aliases: &'static [&'static str]) -> AggName {
    AggName {
        name,
        aliases,
        numbered: false,
    }
}

const fn numbered(name: &'static str, aliases: &'static [&'static str]) -> AggName {
    AggName {
        name,
        aliases,
        numbered: true,
    }
}

/// Every aggregation function of Splunk's Search Reference ("Statistical
/// and charting functions", `mstats`, `tstats`).
pub static AGGREGATIONS: &[AggName] = &[
    plain("count", &["c"]),
    plain("dc", &["distinct_count", "estdc"]),
    plain("avg", &["mean"]),
    plain("stdev", &[]),
    plain("stdevp", &[]),
    plain("var", &[]),
    plain("varp", &[]),
    plain("sum", &[]),
    plain("sumsq", &[]),
    plain("min", &[]),
    plain("max", &[]),
    plain("range", &[]),
    plain("estdc_error", &[]),
    plain("median", &[]),
    numbered("perc", &["p", "exactperc"]),
    numbered("upperperc", &[]),
    plain("mode", &[]),
    plain("values", &[]),
    plain("list", &[]),
    plain("first", &[]),
    plain("last", &[]),
    plain("earliest", &[]),
    plain("latest", &[]),
    plain("earliest_time", &[]),
    plain("latest_time", &[]),
    plain("rate", &[]),
    plain("rate_avg", &[]),
    plain("rate_sum", &[]),
    plain("per_second", &[]),
    plain("per_minute", &[]),
    plain("per_hour", &[]),
    plain("per_day", &[]),
    plain("sparkline", &[]),
];

/// What a written name is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AggLookup {
    /// An aggregation, with its percentile for a numbered one.
    Found {
        /// The aggregation.
        agg: &'static AggName,
        /// `95` for `perc95`.
        percent: Option<f64>,
    },
    /// A numbered spelling whose number is no percentile (`perc101`, `p1.2.3`).
    BadPercentile(&'static AggName),
    /// No aggregation.
    Unknown,
}

impl PartialEq for AggName {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

/// Looks a written name up (case-insensitive).
pub fn lookup(name: &str) -> AggLookup {
    let lower = name.to_ascii_lowercase();
    for agg in AGGREGATIONS {
        if !agg.numbered {
            if agg.spellings().any(|s| s == lower) {
                return AggLookup::Found { agg, percent: None };
            }
            continue;
        }
        for prefix in agg.spellings() {
            let Some(rest) = lower.strip_prefix(prefix) else {
                continue;
            };
            if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                continue;
            }
            return match rest.parse::<f64>() {
                Ok(p) if (0.0..=100.0).contains(&p) => AggLookup::Found {
                    agg,
                    percent: Some(p),
                },
                _ => AggLookup::BadPercentile(agg),
            };
        }
    }
    AggLookup::Unknown
}

/// True for a known aggregation function name (case-insensitive).
pub fn is_agg_function(name: &str) -> bool {
    matches!(lookup(name), AggLookup::Found { .. })
}

/// The aggregation a written name is closest to, for "did you mean".
pub fn suggest(name: &str) -> Option<&'static str> {
    let plain = AGGREGATIONS
        .iter()
        .filter(|a| !a.numbered)
        .flat_map(AggName::spellings);
    crate::suggest::did_you_mean(name, plain)
}

/// The canonical entry of `name` (exact, lower case), if there is one.
pub fn canonical(name: &str) -> Option<&'static AggName> {
    AGGREGATIONS.iter().find(|a| a.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_percentiles() {
        for ok in [
            "count",
            "DC",
            "perc95",
            "p99.5",
            "exactperc50",
            "upperperc9",
            "values",
            "Per_Second",
        ] {
            assert!(is_agg_function(ok), "{ok}");
        }
        for bad in ["perc", "p", "foo", "perc101", "pct95", "p9x", "p1.2.3"] {
            assert!(!is_agg_function(bad), "{bad}");
        }
        let found = |n: &str| match lookup(n) {
            AggLookup::Found { agg, percent } => (agg.name, percent),
            other => panic!("{n}: {other:?}"),
        };
        assert_eq!(found("c"), ("count", None));
        assert_eq!(found("MEAN"), ("avg", None));
        assert_eq!(found("p99.5"), ("perc", Some(99.5)));
        assert_eq!(found("exactperc1"), ("perc", Some(1.0)));
        assert_eq!(found("upperperc90"), ("upperperc", Some(90.0)));
        assert!(matches!(lookup("perc101"), AggLookup::BadPercentile(a) if a.name == "perc"));
        assert_eq!(suggest("avgg"), Some("avg"));
        assert_eq!(suggest("vlaues"), Some("values"));
    }

    #[test]
    fn every_spelling_is_unique_and_lower_case() {
        let mut seen = std::collections::HashSet::new();
        for a in AGGREGATIONS {
            for s in a.spellings() {
                assert!(seen.insert(s), "{s} twice");
                assert_eq!(s, s.to_ascii_lowercase());
            }
            assert_eq!(canonical(a.name), Some(a));
        }
    }
}
