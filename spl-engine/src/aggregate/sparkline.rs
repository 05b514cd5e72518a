//! `sparkline(<func>(<field>), <span>)`: per group, the aggregation of each
//! time bucket over the search's time range, as Splunk returns it — a
//! multivalue field whose first value is `##__SPARKLINE__##`, then one value
//! per bucket, oldest first.
//!
//! Buckets are aligned like `bin`/`timechart` (epoch multiples below a day,
//! local midnight for days and months). The range is the search's window
//! when it is bounded on both sides, else the span of the `_time`s the
//! command saw. Without a span, the span is the first of 1s, 5s, 10s, 30s,
//! 1m, 5m, 10m, 30m, 1h, 1d, 1mon, 1y giving at most [`MAX_POINTS`] buckets
//! over that range. At most [`MAX_POINTS`] values are emitted (Splunk's
//! `sparkline_maxsize`, which defaults to `list_maxsize`, 100): the most
//! recent ones. An empty bucket is `0` for `count`, `dc`, `sum` and `sumsq`,
//! and the empty string for the others (no value to show).
//!
//! Memory stays bounded by groups × [`MAX_POINTS`]: with a fixed span,
//! buckets older than the last [`MAX_POINTS`] are dropped as the range
//! grows; with a span chosen from the data's range, buckets are merged into
//! the coarser span as soon as the range needs it.

use super::grouped::{for_each_obs, implementation, GroupAcc, Input, RowGroups};
use super::state::State;
use super::timespan::{Bucketer, TimeSpan};
use super::value::{fmt_num, Out};
use super::AggFunc;
use crate::aggregate::bins::{auto_span, BinSpan};
use crate::error::{EngineError, Result};
use crate::time::TimeRange;
use arrow_array::RecordBatch;
use jiff::tz::TimeZone;
use std::any::Any;
use std::collections::BTreeMap;

/// The first value of every sparkline.
pub(crate) const MARKER: &str = "##__SPARKLINE__##";

/// Values per sparkline: `limits.conf` `sparkline_maxsize`, whose default is
/// `list_maxsize` (100).
pub(crate) const MAX_POINTS: usize = 100;

/// A bound `sparkline(...)`.
#[derive(Debug, Clone)]
pub(crate) struct SparkPlan {
    /// The aggregation of each bucket.
    pub(crate) inner: AggFunc,
    /// The inside as written, compacted (`avg(bytes),5m`), for default names.
    pub(crate) text: String,
    /// The span written, if any.
    pub(crate) span: Option<TimeSpan>,
    /// The search's window.
    pub(crate) window: TimeRange,
    /// The user's time zone (day and month alignment).
    pub(crate) tz: TimeZone,
}

/// A grouped accumulator for a sparkline (the inner function is one the
/// table allows inside `sparkline(...)`, checked when binding).
pub(crate) fn new_spark_acc(plan: &SparkPlan) -> Box<dyn GroupAcc> {
    let empty = plan.inner.spec().sparkline.map_or("", |s| s.empty);
    implementation(plan.inner).spark(plan.inner, plan, empty)
}

/// A sparkline whose buckets each hold a copy of `proto`.
pub(crate) fn spark_acc<S: State>(
    plan: &SparkPlan,
    proto: S,
    empty: &'static str,
) -> Box<dyn GroupAcc> {
    Box::new(SparkGrouped::new(plan, proto, empty))
}

/// How buckets are laid out.
struct Grid {
    bucketer: Bucketer,
    span: TimeSpan,
    tz: TimeZone,
    /// The window `[earliest, latest)` when the search has one; the buckets
    /// then run from `first` to `last`.
    window: Option<(f64, f64)>,
    /// The span was written (not chosen from the data's range).
    fixed: bool,
    /// First and last bucket of the window (bounded window only).
    first: f64,
    last: f64,
    /// Data range seen (unbounded window).
    lo: Option<f64>,
    hi: Option<f64>,
    /// Buckets before this one are dropped (the oldest beyond MAX_POINTS).
    keep_from: Option<f64>,
}

/// The first candidate span giving at most [`MAX_POINTS`] buckets over `range`.
fn span_of(range: (f64, f64)) -> TimeSpan {
    match auto_span(&[range.0, range.1], MAX_POINTS, None, None, None, true) {
        Ok(BinSpan::Time(ts)) => ts,
        _ => TimeSpan::Months(12),
    }
}

impl Grid {
    fn new(plan: &SparkPlan) -> Grid {
        let window = match (plan.window.earliest, plan.window.latest) {
            (Some(e), Some(l)) if l > e => Some((e, l)),
            (Some(e), Some(_)) => Some((e, e)),
            _ => None,
        };
        let span = match (plan.span, window) {
            (Some(s), _) => s,
            // `latest` is exclusive: the last instant decides the count
            (None, Some((e, l))) => span_of((e, (l - 1e-6).max(e))),
            (None, None) => TimeSpan::Micros(1_000_000),
        };
        let mut g = Grid {
            bucketer: Bucketer::new(span, plan.tz.clone()),
            span,
            tz: plan.tz.clone(),
            window,
            fixed: plan.span.is_some(),
            first: 0.0,
            last: 0.0,
            lo: None,
            hi: None,
            keep_from: None,
        };
        if let Some((e, l)) = window {
            g.first = g.bucketer.bucket(e).unwrap_or(e);
            // `latest` is exclusive
            g.last = g.bucketer.bucket((l - 1e-6).max(e)).unwrap_or(g.first);
            g.keep_from = Some(g.oldest_kept(g.first, g.last));
        }
        g
    }

    /// The oldest of the last [`MAX_POINTS`] buckets from `first` to `last`.
    fn oldest_kept(&mut self, first: f64, last: f64) -> f64 {
        if let TimeSpan::Micros(us) = self.span {
            let back = key(last).saturating_sub((MAX_POINTS as i64 - 1).saturating_mul(us));
            return start_of(back.max(key(first)));
        }
        let mut b = last;
        for _ in 1..MAX_POINTS {
            match self.bucketer.prev(b) {
                Some(p) if p >= first => b = p,
                _ => break,
            }
        }
        b
    }

    /// The bucket of `t`, or `None` when `t` is outside the sparkline.
    fn bucket(&mut self, t: f64) -> Option<f64> {
        if let Some((e, l)) = self.window {
            if t < e || t >= l {
                return None;
            }
        }
        let b = self.bucketer.bucket(t)?;
        match self.keep_from {
            Some(k) if key(b) < key(k) => None,
            _ => Some(b),
        }
    }

    /// The buckets shown, oldest first.
    fn buckets(&mut self) -> Vec<f64> {
        let (first, last) = match (self.window, self.lo, self.hi) {
            (Some(_), _, _) => (self.first, self.last),
            (None, Some(lo), Some(hi)) => {
                let (Some(f), Some(l)) = (self.bucketer.bucket(lo), self.bucketer.bucket(hi))
                else {
                    return Vec::new();
                };
                (f, l)
            }
            _ => return Vec::new(),
        };
        let mut b = self.oldest_kept(first, last);
        let mut out = Vec::with_capacity(MAX_POINTS);
        while key(b) <= key(last) && out.len() < MAX_POINTS {
            out.push(b);
            let next = match self.span {
                // integer steps: no drift for sub-second spans
                TimeSpan::Micros(us) => Some(start_of(key(b).saturating_add(us))),
                _ => self.bucketer.next(b),
            };
            match next {
                Some(n) => b = n,
                None => break,
            }
        }
        out
    }
}

fn key(start: f64) -> i64 {
    (start * 1e6).round() as i64
}

fn start_of(key: i64) -> f64 {
    key as f64 / 1e6
}

/// Per group, the states of its buckets (keyed by bucket start in µs).
struct SparkGrouped<S: State> {
    proto: S,
    /// What a bucket without values shows (`0` for counts and sums).
    empty: &'static str,
    grid: Grid,
    groups: Vec<BTreeMap<i64, S>>,
}

impl<S: State> SparkGrouped<S> {
    fn new(plan: &SparkPlan, proto: S, empty: &'static str) -> Self {
        SparkGrouped {
            proto,
            empty,
            grid: Grid::new(plan),
            groups: Vec::new(),
        }
    }

    fn grow(&mut self, n: usize) {
        if self.groups.len() < n {
            self.groups.resize_with(n, BTreeMap::new);
        }
    }

    /// Widens the data range (unbounded window) and adapts the buckets: a
    /// chosen span coarsens when the range needs it; with any span, buckets
    /// older than the last [`MAX_POINTS`] go.
    fn widen(&mut self, lo: f64, hi: f64) {
        if self.grid.window.is_some() {
            return;
        }
        let lo = self.grid.lo.map_or(lo, |l| l.min(lo));
        let hi = self.grid.hi.map_or(hi, |h| h.max(hi));
        self.grid.lo = Some(lo);
        self.grid.hi = Some(hi);
        if !self.grid.fixed {
            let span = span_of((lo, hi));
            if span != self.grid.span {
                self.rebucket(span);
            }
        }
        let (Some(f), Some(l)) = (self.grid.bucketer.bucket(lo), self.grid.bucketer.bucket(hi))
        else {
            return;
        };
        let keep = self.grid.oldest_kept(f, l);
        if self.grid.keep_from.is_none_or(|k| key(keep) > key(k)) {
            self.grid.keep_from = Some(keep);
            let k = key(keep);
            for m in &mut self.groups {
                if m.first_key_value().is_some_and(|(&first, _)| first < k) {
                    *m = m.split_off(&k);
                }
            }
        }
    }

    /// Merges every group's buckets into buckets of `span` (a multiple of
    /// the current one).
    fn rebucket(&mut self, span: TimeSpan) {
        let mut b = Bucketer::new(span, self.grid.tz.clone());
        for m in &mut self.groups {
            let old = std::mem::take(m);
            for (k, s) in old {
                let nb = b.bucket(start_of(k)).map_or(k, key);
                match m.get_mut(&nb) {
                    Some(t) => t.merge(&s),
                    None => {
                        m.insert(nb, s);
                    }
                }
            }
        }
        self.grid.span = span;
        self.grid.bucketer = b;
        self.grid.keep_from = None;
    }
}

impl<S: State> GroupAcc for SparkGrouped<S> {
    fn update(&mut self, input: &Input<'_>, rg: &RowGroups, n_groups: usize) {
        self.grow(n_groups);
        // the range covers every row the command saw, with or without a value
        if let Some(t) = input.time {
            let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
            for x in t.iter().flatten().filter(|x| x.is_finite()) {
                lo = lo.min(x);
                hi = hi.max(x);
            }
            if lo <= hi {
                self.widen(lo, hi);
            }
        }
        let (grid, groups, proto) = (&mut self.grid, &mut self.groups, &self.proto);
        for_each_obs(input, rg, |g, v, t, seq| {
            let Some(b) = t.filter(|x| x.is_finite()).and_then(|t| grid.bucket(t)) else {
                return;
            };
            if let Some(m) = groups.get_mut(g as usize) {
                m.entry(key(b))
                    .or_insert_with(|| proto.clone())
                    .add(v, t, seq);
            }
        });
    }

    fn merge(&mut self, other: &dyn GroupAcc, mapping: &[u32]) -> Result<()> {
        let other = other
            .as_any()
            .downcast_ref::<SparkGrouped<S>>()
            .ok_or_else(|| {
                EngineError::Internal("merging accumulators of different functions".into())
            })?;
        if let (Some(lo), Some(hi)) = (other.grid.lo, other.grid.hi) {
            self.widen(lo, hi);
        }
        for (g, m) in other.groups.iter().enumerate() {
            let target = *mapping.get(g).ok_or_else(|| {
                EngineError::Internal("accumulator merge mapping too short".into())
            })? as usize;
            self.grow(target + 1);
            for (&k, s) in m {
                let Some(b) = self.grid.bucket(start_of(k)) else {
                    continue;
                };
                if let Some(t) = self.groups.get_mut(target) {
                    match t.get_mut(&key(b)) {
                        Some(x) => x.merge(s),
                        None => {
                            t.insert(key(b), s.clone());
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn results(&mut self, n_groups: usize) -> Vec<Option<Out>> {
        self.grow(n_groups);
        let buckets = self.grid.buckets();
        let empty = self.empty;
        self.groups
            .iter_mut()
            .take(n_groups)
            .map(|m| {
                let mut vals = Vec::with_capacity(buckets.len() + 1);
                vals.push(MARKER.to_string());
                for &b in &buckets {
                    let v = match m.get_mut(&key(b)).and_then(State::result) {
                        Some(Out::Num(x)) => fmt_num(x),
                        Some(Out::Str(s)) => s,
                        Some(Out::Mv(v)) => v.join(" "),
                        None => empty.to_string(),
                    };
                    vals.push(v);
                }
                Some(Out::Mv(vals))
            })
            .collect()
    }

    fn partial(&mut self, _n_groups: usize) -> Result<RecordBatch> {
        // its buckets' states are written like any state's, but reading them
        // back needs the command's plan (span, window): not done yet
        Err(EngineError::Internal(
            "sparkline partials are not written yet".into(),
        ))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::grouped::InputColumn;
    use arrow_array::Float64Array;

    fn plan(inner: AggFunc, span: Option<&str>, window: TimeRange) -> SparkPlan {
        SparkPlan {
            inner,
            text: String::new(),
            span: span.map(|s| TimeSpan::parse(s, spl_parser::Span::new(0, 0)).unwrap()),
            window,
            tz: TimeZone::UTC,
        }
    }

    fn feed(acc: &mut Box<dyn GroupAcc>, times: &[f64], groups: &[u32], n: usize) {
        let t = Float64Array::from(times.to_vec());
        let input = Input {
            col: &InputColumn::Rows,
            time: Some(&t),
            seq_base: 0,
        };
        let rg = RowGroups {
            rows: None,
            groups: groups.to_vec(),
        };
        acc.update(&input, &rg, n);
    }

    fn values(out: &Option<Out>) -> Vec<String> {
        match out {
            Some(Out::Mv(v)) => v[1..].to_vec(),
            other => panic!("{other:?}"),
        }
    }

    /// With a span chosen from the data, buckets merge as the range grows,
    /// and the result equals what the final span gives directly.
    #[test]
    fn chosen_span_coarsens_as_the_range_grows() {
        let p = plan(crate::aggregate::test_func("count"), None, TimeRange::ALL);
        let mut acc = new_spark_acc(&p);
        feed(&mut acc, &[0.0, 1.0, 2.0], &[0, 0, 1], 2);
        feed(&mut acc, &[3_599.0], &[0], 2);
        // 0..3599 s: 1m buckets (60 of them)
        let r = acc.results(2);
        assert_eq!(values(&r[0]).len(), 60);
        assert_eq!(values(&r[0])[0], "2");
        assert_eq!(values(&r[0])[59], "1");
        assert_eq!(values(&r[1])[0], "1");
        feed(&mut acc, &[86_399.0], &[1], 2);
        // 0..86399 s: 30m buckets (48)
        let r = acc.results(2);
        assert_eq!(values(&r[0]).len(), 48);
        assert_eq!(values(&r[0])[..3], ["2", "1", "0"]);
        assert_eq!(values(&r[1])[47], "1");
    }

    /// A written span over a long range keeps the last 100 buckets.
    #[test]
    fn fixed_span_keeps_the_last_points() {
        let p = plan(
            crate::aggregate::test_func("count"),
            Some("1s"),
            TimeRange::ALL,
        );
        let mut acc = new_spark_acc(&p);
        let times: Vec<f64> = (0..1000).map(f64::from).collect();
        feed(&mut acc, &times, &vec![0; 1000], 1);
        let r = acc.results(1);
        assert_eq!(values(&r[0]), vec!["1"; 100]);
    }

    /// A bounded window decides the buckets, whatever the data.
    #[test]
    fn bounded_window_gives_the_buckets() {
        let w = TimeRange {
            earliest: Some(0.0),
            latest: Some(3_600.0),
        };
        let p = plan(crate::aggregate::test_func("count"), Some("10m"), w);
        let mut acc = new_spark_acc(&p);
        feed(&mut acc, &[-1.0, 0.0, 3_599.0, 3_600.0], &[0; 4], 1);
        assert_eq!(values(&acc.results(1)[0]), ["1", "0", "0", "0", "0", "1"]);
        let p = plan(crate::aggregate::test_func("avg"), None, w);
        let acc = new_spark_acc(&p);
        // 1h window: 1m buckets, all empty for avg
        let mut acc = acc;
        assert_eq!(values(&acc.results(1)[0]), vec![""; 60]);
    }

    /// Coarsening to days keeps local-midnight alignment (whole-hour zone).
    #[test]
    fn day_buckets_after_coarsening_follow_the_time_zone() {
        let mut p = plan(crate::aggregate::test_func("count"), None, TimeRange::ALL);
        p.tz = TimeZone::fixed(jiff::tz::offset(-5));
        let mut acc = new_spark_acc(&p);
        // 2024-01-01T04:30Z is Dec 31 local, 05:30Z is Jan 1 local
        feed(&mut acc, &[1_704_083_400.0, 1_704_087_000.0], &[0, 0], 1);
        let r = acc.results(1);
        assert_eq!(values(&r[0]).len(), 61); // 1m buckets over one hour
                                             // 59 days later: day buckets
        feed(&mut acc, &[1_704_087_000.0 + 59.0 * 86_400.0], &[0], 1);
        let r = acc.results(1);
        let v = values(&r[0]);
        assert_eq!(v.len(), 61);
        assert_eq!(v[..2], ["1", "1"]);
        assert_eq!(v[60], "1");
    }

    /// Sub-second spans step in whole microseconds (no float drift).
    #[test]
    fn sub_second_buckets_do_not_drift() {
        let w = TimeRange {
            earliest: Some(1_714_564_800.0),
            latest: Some(1_714_564_810.0),
        };
        let p = plan(crate::aggregate::test_func("count"), Some("100ms"), w);
        let mut acc = new_spark_acc(&p);
        feed(&mut acc, &[1_714_564_809.95, 1_714_564_800.3], &[0, 0], 1);
        let v = values(&acc.results(1)[0]);
        assert_eq!(v.len(), 100);
        assert_eq!(v[3], "1");
        assert_eq!(v[99], "1");
        assert_eq!(v.iter().filter(|x| *x == "1").count(), 2);
    }

    #[test]
    fn no_data_gives_the_marker_alone() {
        let p = plan(crate::aggregate::test_func("count"), None, TimeRange::ALL);
        let mut acc = new_spark_acc(&p);
        assert_eq!(
            acc.results(1),
            vec![Some(Out::Mv(vec![MARKER.to_string()]))]
        );
    }
}
