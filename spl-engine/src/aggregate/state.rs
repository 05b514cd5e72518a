//! Per-group aggregation states, one type per family of functions.
//!
//! A state sees each observed value once ([`State::add`]), can absorb a state
//! built elsewhere ([`State::merge`], for partial aggregates per thread or
//! chunk) and yields the result ([`State::result`]). Rules cite
//! `spl-semantics.md` 5.3.

use super::value::{Out, Val};
use super::{AggFunc, PercMethod};
use std::collections::{BTreeSet, HashMap, HashSet};

/// An aggregation state for one group.
pub(crate) trait State: Clone + Send + 'static {
    /// Adds one value; `time` is the row's `_time`, `seq` its processing order.
    fn add(&mut self, v: Val<'_>, time: Option<f64>, seq: u64);
    /// Absorbs another state of the same function.
    fn merge(&mut self, other: &Self);
    /// The result; `None` is null (the field is absent).
    fn result(&mut self) -> Option<Out>;
}

/// `count`, `count(x)`: number of values (each multivalue value counts).
#[derive(Clone, Default)]
pub(crate) struct CountState(u64);

impl State for CountState {
    #[inline]
    fn add(&mut self, _v: Val<'_>, _t: Option<f64>, _s: u64) {
        self.0 += 1;
    }
    fn merge(&mut self, o: &Self) {
        self.0 += o.0;
    }
    fn result(&mut self) -> Option<Out> {
        Some(Out::Num(self.0 as f64))
    }
}

/// `dc`: distinct values compared as strings (`1` and `1.0` differ).
#[derive(Clone, Default)]
pub(crate) struct DcState(HashSet<String>);

impl State for DcState {
    fn add(&mut self, v: Val<'_>, _t: Option<f64>, _s: u64) {
        v.with_str(|s| {
            if !self.0.contains(s) {
                self.0.insert(s.to_string());
            }
        });
    }
    fn merge(&mut self, o: &Self) {
        self.0.extend(o.0.iter().cloned());
    }
    fn result(&mut self) -> Option<Out> {
        Some(Out::Num(self.0.len() as f64))
    }
}

/// Which moment-based result to produce.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum MomentKind {
    Sum,
    Avg,
    Var,
    Varp,
    Stdev,
    Stdevp,
    Sumsq,
}

/// Sum, mean, variance family over the numeric values (others ignored).
#[derive(Clone)]
pub(crate) struct MomentState {
    kind: MomentKind,
    n: u64,
    sum: f64,
    sumsq: f64,
}

impl MomentState {
    pub(crate) fn new(kind: MomentKind) -> Self {
        MomentState {
            kind,
            n: 0,
            sum: 0.0,
            sumsq: 0.0,
        }
    }

    /// Adds a number directly (the mstats fast path).
    #[inline]
    pub(crate) fn add_num(&mut self, x: f64) {
        self.n += 1;
        self.sum += x;
        self.sumsq += x * x;
    }

    /// Variance as `(Σx² − n·x̄²)/d` with `x̄ = Σx/n`: this exact order of
    /// operations reproduces Splunk's documented stdev digits (5.3), unlike a
    /// two-pass or Welford computation.
    fn variance(&self, sample: bool) -> f64 {
        let n = self.n as f64;
        if sample && self.n == 1 {
            // one value: 0, not 0/0 (5.3, resolved by the mean() doc table)
            return 0.0;
        }
        let mean = self.sum / n;
        let d = if sample { n - 1.0 } else { n };
        let v = (self.sumsq - n * mean * mean) / d;
        // cancellation can leave a tiny negative number for constant inputs
        if v < 0.0 {
            0.0
        } else {
            v
        }
    }
}

impl State for MomentState {
    #[inline]
    fn add(&mut self, v: Val<'_>, _t: Option<f64>, _s: u64) {
        if let Some(x) = v.num() {
            self.add_num(x);
        }
    }
    fn merge(&mut self, o: &Self) {
        self.n += o.n;
        self.sum += o.sum;
        self.sumsq += o.sumsq;
    }
    fn result(&mut self) -> Option<Out> {
        if self.n == 0 {
            return None;
        }
        let x = match self.kind {
            MomentKind::Sum => self.sum,
            MomentKind::Avg => self.sum / self.n as f64,
            MomentKind::Sumsq => self.sumsq,
            MomentKind::Var => self.variance(true),
            MomentKind::Varp => self.variance(false),
            MomentKind::Stdev => self.variance(true).sqrt(),
            MomentKind::Stdevp => self.variance(false).sqrt(),
        };
        Some(Out::Num(x))
    }
}

/// `min`/`max`: numbers compare numerically and sort before strings; strings
/// compare in byte order (5.3).
#[derive(Clone)]
pub(crate) struct ExtremeState {
    max: bool,
    num: Option<f64>,
    text: Option<String>,
}

impl ExtremeState {
    pub(crate) fn new(max: bool) -> Self {
        ExtremeState {
            max,
            num: None,
            text: None,
        }
    }

    fn add_number(&mut self, x: f64) {
        self.num = Some(match self.num {
            None => x,
            Some(c) if self.max => c.max(x),
            Some(c) => c.min(x),
        });
    }

    fn add_text(&mut self, s: &str) {
        let replace = match &self.text {
            None => true,
            Some(c) => (self.max && s > c.as_str()) || (!self.max && s < c.as_str()),
        };
        if replace {
            self.text = Some(s.to_string());
        }
    }
}

impl State for ExtremeState {
    fn add(&mut self, v: Val<'_>, _t: Option<f64>, _s: u64) {
        match v {
            Val::Num(x) => self.add_number(x),
            Val::Str(s) => match super::value::parse_num(s) {
                Some(x) => self.add_number(x),
                None => self.add_text(s),
            },
        }
    }
    fn merge(&mut self, o: &Self) {
        if let Some(x) = o.num {
            self.add_number(x);
        }
        if let Some(s) = &o.text {
            self.add_text(s);
        }
    }
    fn result(&mut self) -> Option<Out> {
        let num = self.num.map(Out::Num);
        let text = self.text.clone().map(Out::Str);
        if self.max {
            text.or(num)
        } else {
            num.or(text)
        }
    }
}

/// `range`: max − min of the numeric values.
#[derive(Clone, Default)]
pub(crate) struct RangeState(Option<(f64, f64)>);

impl RangeState {
    fn add_number(&mut self, x: f64) {
        self.0 = Some(match self.0 {
            None => (x, x),
            Some((lo, hi)) => (lo.min(x), hi.max(x)),
        });
    }
}

impl State for RangeState {
    fn add(&mut self, v: Val<'_>, _t: Option<f64>, _s: u64) {
        if let Some(x) = v.num() {
            self.add_number(x);
        }
    }
    fn merge(&mut self, o: &Self) {
        if let Some((lo, hi)) = o.0 {
            self.add_number(lo);
            self.add_number(hi);
        }
    }
    fn result(&mut self) -> Option<Out> {
        self.0.map(|(lo, hi)| Out::Num(hi - lo))
    }
}

/// How a percentile state reads its answer.
#[derive(Clone, Copy)]
pub(crate) enum PercKind {
    /// `median`: the documented "higher of the two middle values" (UNK, 5.3).
    Median,
    /// `perc<N>` etc.
    Perc(f64, PercMethod),
}

/// Percentiles and median over all numeric values (kept exactly).
#[derive(Clone)]
pub(crate) struct PercState {
    kind: PercKind,
    vals: Vec<f64>,
}

impl PercState {
    pub(crate) fn new(kind: PercKind) -> Self {
        PercState {
            kind,
            vals: Vec::new(),
        }
    }
}

/// `F = p·(n−1)/100`, interpolated between ranks `floor(F)` and `ceil(F)`
/// (the documented examples: 1..10 -> perc50 5.5, perc95 9.55). Multiplying
/// before dividing matters: `0.95·9` is `8.549999999999999`, `95·9/100` is `8.55`.
pub(crate) fn percentile(sorted: &[f64], p: f64, method: PercMethod) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let f = p * (n - 1) as f64 / 100.0;
    let lo = f.floor() as usize;
    let hi = (f.ceil() as usize).min(n - 1);
    let (a, b) = (*sorted.get(lo)?, *sorted.get(hi)?);
    Some(match method {
        PercMethod::Upper => b,
        PercMethod::Interpolate => a + (f - lo as f64) * (b - a),
    })
}

impl State for PercState {
    fn add(&mut self, v: Val<'_>, _t: Option<f64>, _s: u64) {
        if let Some(x) = v.num() {
            self.vals.push(x);
        }
    }
    fn merge(&mut self, o: &Self) {
        self.vals.extend_from_slice(&o.vals);
    }
    fn result(&mut self) -> Option<Out> {
        self.vals.sort_by(f64::total_cmp);
        let r = match self.kind {
            PercKind::Median => self.vals.get(self.vals.len() / 2).copied(),
            PercKind::Perc(p, m) => percentile(&self.vals, p, m),
        };
        r.map(Out::Num)
    }
}

/// `mode`: the most frequent value as a string; ties go to the first seen (UNK).
#[derive(Clone, Default)]
pub(crate) struct ModeState {
    counts: HashMap<String, (u64, u64)>,
    numeric: bool,
}

impl State for ModeState {
    fn add(&mut self, v: Val<'_>, _t: Option<f64>, seq: u64) {
        if matches!(v, Val::Num(_)) {
            self.numeric = true;
        }
        v.with_str(|s| match self.counts.get_mut(s) {
            Some(e) => e.0 += 1,
            None => {
                self.counts.insert(s.to_string(), (1, seq));
            }
        });
    }
    fn merge(&mut self, o: &Self) {
        self.numeric |= o.numeric;
        for (k, (c, s)) in &o.counts {
            let e = self.counts.entry(k.clone()).or_insert((0, *s));
            e.0 += c;
            e.1 = e.1.min(*s);
        }
    }
    fn result(&mut self) -> Option<Out> {
        let (k, _) = self
            .counts
            .iter()
            .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))?;
        Some(match (self.numeric, super::value::parse_num(k)) {
            (true, Some(x)) => Out::Num(x),
            _ => Out::Str(k.clone()),
        })
    }
}

/// `values`: distinct strings in byte order (5.3).
#[derive(Clone, Default)]
pub(crate) struct ValuesState(BTreeSet<String>);

impl State for ValuesState {
    fn add(&mut self, v: Val<'_>, _t: Option<f64>, _s: u64) {
        v.with_str(|s| {
            if !self.0.contains(s) {
                self.0.insert(s.to_string());
            }
        });
    }
    fn merge(&mut self, o: &Self) {
        self.0.extend(o.0.iter().cloned());
    }
    fn result(&mut self) -> Option<Out> {
        if self.0.is_empty() {
            None
        } else {
            Some(Out::Mv(self.0.iter().cloned().collect()))
        }
    }
}

/// `list_maxsize` default (limits.conf).
pub(crate) const LIST_MAX: usize = 100;

/// `list`: values in processing order, duplicates kept, at most 100.
#[derive(Clone, Default)]
pub(crate) struct ListState(Vec<(u64, String)>);

impl State for ListState {
    fn add(&mut self, v: Val<'_>, _t: Option<f64>, seq: u64) {
        if self.0.len() < LIST_MAX {
            self.0.push((seq, v.with_str(str::to_string)));
        }
    }
    fn merge(&mut self, o: &Self) {
        self.0.extend(o.0.iter().cloned());
        self.0.sort_by_key(|(s, _)| *s);
        self.0.truncate(LIST_MAX);
    }
    fn result(&mut self) -> Option<Out> {
        if self.0.is_empty() {
            None
        } else {
            Some(Out::Mv(self.0.iter().map(|(_, s)| s.clone()).collect()))
        }
    }
}

/// `first`/`last`: by processing order.
#[derive(Clone)]
pub(crate) struct OrderState {
    last: bool,
    best: Option<(u64, Out)>,
}

impl OrderState {
    pub(crate) fn new(last: bool) -> Self {
        OrderState { last, best: None }
    }
    fn offer(&mut self, seq: u64, v: impl FnOnce() -> Out) {
        let take = match &self.best {
            None => true,
            Some((s, _)) => (self.last && seq >= *s) || (!self.last && seq < *s),
        };
        if take {
            self.best = Some((seq, v()));
        }
    }
}

impl State for OrderState {
    fn add(&mut self, v: Val<'_>, _t: Option<f64>, seq: u64) {
        self.offer(seq, || v.to_out());
    }
    fn merge(&mut self, o: &Self) {
        if let Some((s, v)) = &o.best {
            self.offer(*s, || v.clone());
        }
    }
    fn result(&mut self) -> Option<Out> {
        self.best.as_ref().map(|(_, v)| v.clone())
    }
}

/// What a time-ordered state returns.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimeKind {
    Earliest,
    Latest,
    EarliestTime,
    LatestTime,
}

/// `earliest`/`latest`(`_time`): the value at the smallest/largest `_time`;
/// ties go to the first processed. Values without a `_time` are ignored.
#[derive(Clone)]
pub(crate) struct TimeState {
    kind: TimeKind,
    best: Option<(f64, u64, Out)>,
}

impl TimeState {
    pub(crate) fn new(kind: TimeKind) -> Self {
        TimeState { kind, best: None }
    }
    fn offer(&mut self, t: f64, seq: u64, v: impl FnOnce() -> Out) {
        let later = matches!(self.kind, TimeKind::Latest | TimeKind::LatestTime);
        let take = match &self.best {
            None => true,
            Some((bt, bs, _)) => {
                if t == *bt {
                    seq < *bs
                } else {
                    (t > *bt) == later
                }
            }
        };
        if take {
            self.best = Some((t, seq, v()));
        }
    }
}

impl State for TimeState {
    fn add(&mut self, v: Val<'_>, t: Option<f64>, seq: u64) {
        if let Some(t) = t {
            self.offer(t, seq, || v.to_out());
        }
    }
    fn merge(&mut self, o: &Self) {
        if let Some((t, s, v)) = &o.best {
            self.offer(*t, *s, || v.clone());
        }
    }
    fn result(&mut self) -> Option<Out> {
        let (t, _, v) = self.best.as_ref()?;
        Some(match self.kind {
            TimeKind::Earliest | TimeKind::Latest => v.clone(),
            TimeKind::EarliestTime | TimeKind::LatestTime => Out::Num(*t),
        })
    }
}

/// `rate`: (latest − earliest value) / (latest_time − earliest_time) over the
/// numeric values; null when all values share one time.
#[derive(Clone)]
pub(crate) struct RateState {
    first: TimeState,
    last: TimeState,
}

impl Default for RateState {
    fn default() -> Self {
        RateState {
            first: TimeState::new(TimeKind::Earliest),
            last: TimeState::new(TimeKind::Latest),
        }
    }
}

impl State for RateState {
    fn add(&mut self, v: Val<'_>, t: Option<f64>, seq: u64) {
        if let Some(x) = v.num() {
            self.first.add(Val::Num(x), t, seq);
            self.last.add(Val::Num(x), t, seq);
        }
    }
    fn merge(&mut self, o: &Self) {
        self.first.merge(&o.first);
        self.last.merge(&o.last);
    }
    fn result(&mut self) -> Option<Out> {
        match (&self.first.best, &self.last.best) {
            (Some((t0, _, Out::Num(v0))), Some((t1, _, Out::Num(v1)))) if t1 > t0 => {
                Some(Out::Num((v1 - v0) / (t1 - t0)))
            }
            _ => None,
        }
    }
}

/// Moment kind of a function, if it is one.
pub(crate) fn moment_kind(f: AggFunc) -> Option<MomentKind> {
    Some(match f {
        AggFunc::Sum => MomentKind::Sum,
        AggFunc::Avg => MomentKind::Avg,
        AggFunc::Var => MomentKind::Var,
        AggFunc::Varp => MomentKind::Varp,
        AggFunc::Stdev => MomentKind::Stdev,
        AggFunc::Stdevp => MomentKind::Stdevp,
        AggFunc::Sumsq => MomentKind::Sumsq,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run<S: State>(mut s: S, vals: &[Val<'_>]) -> Option<Out> {
        for (i, v) in vals.iter().enumerate() {
            s.add(*v, Some(i as f64), i as u64);
        }
        s.result()
    }

    fn nums(xs: &[f64]) -> Vec<Val<'static>> {
        xs.iter().map(|x| Val::Num(*x)).collect()
    }

    #[test]
    fn stdev_matches_documented_digits() {
        let v = nums(&[65.0, 42.0, 40.0, 31.0, 47.0, 53.0, 64.0]);
        assert_eq!(
            run(MomentState::new(MomentKind::Stdev), &v),
            Some(Out::Num(12.615183595289349))
        );
        assert_eq!(
            run(MomentState::new(MomentKind::Stdev), &nums(&[5.0])),
            Some(Out::Num(0.0))
        );
        assert_eq!(
            run(MomentState::new(MomentKind::Var), &nums(&[5.0])),
            Some(Out::Num(0.0))
        );
        assert_eq!(
            run(MomentState::new(MomentKind::Varp), &nums(&[1.0, 3.0])),
            Some(Out::Num(1.0))
        );
        assert_eq!(run(MomentState::new(MomentKind::Stdev), &[]), None);
    }

    #[test]
    fn avg_of_many_prints_full_precision() {
        let v = nums(&[3.99; 100]);
        assert_eq!(
            run(MomentState::new(MomentKind::Avg), &v),
            Some(Out::Num(3.9900000000000055))
        );
    }

    #[test]
    fn percentiles_interpolate() {
        let v = nums(&[10.0, 9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0]);
        let p = |p| {
            run(
                PercState::new(PercKind::Perc(p, PercMethod::Interpolate)),
                &v,
            )
        };
        assert_eq!(p(50.0), Some(Out::Num(5.5)));
        assert_eq!(p(95.0), Some(Out::Num(9.55)));
        assert_eq!(p(0.0), Some(Out::Num(1.0)));
        assert_eq!(p(100.0), Some(Out::Num(10.0)));
        let up = run(PercState::new(PercKind::Perc(95.0, PercMethod::Upper)), &v);
        assert_eq!(up, Some(Out::Num(10.0)));
        assert_eq!(
            run(PercState::new(PercKind::Median), &v),
            Some(Out::Num(6.0))
        );
        assert_eq!(
            run(PercState::new(PercKind::Median), &nums(&[3.0, 1.0, 2.0])),
            Some(Out::Num(2.0))
        );
    }

    #[test]
    fn min_max_mixed_types() {
        let v = [Val::Str("10"), Val::Str("9"), Val::Str("a"), Val::Str("B")];
        assert_eq!(run(ExtremeState::new(true), &v), Some(Out::Str("a".into())));
        assert_eq!(run(ExtremeState::new(false), &v), Some(Out::Num(9.0)));
        let s = [Val::Str("b"), Val::Str("a")];
        assert_eq!(
            run(ExtremeState::new(false), &s),
            Some(Out::Str("a".into()))
        );
        assert_eq!(run(RangeState::default(), &v), Some(Out::Num(1.0)));
    }

    #[test]
    fn values_and_dc_compare_strings() {
        let v = [
            Val::Str("1"),
            Val::Str("1.0"),
            Val::Num(1.0),
            Val::Str("10"),
            Val::Str("B"),
            Val::Str("a"),
        ];
        assert_eq!(run(DcState::default(), &v), Some(Out::Num(5.0)));
        assert_eq!(
            run(ValuesState::default(), &v),
            Some(Out::Mv(vec![
                "1".into(),
                "1.0".into(),
                "10".into(),
                "B".into(),
                "a".into()
            ]))
        );
        assert_eq!(run(ValuesState::default(), &[]), None);
        assert_eq!(run(DcState::default(), &[]), Some(Out::Num(0.0)));
    }

    #[test]
    fn list_keeps_order_and_caps() {
        let many: Vec<Val<'_>> = (0..150).map(|i| Val::Num(i as f64)).collect();
        match run(ListState::default(), &many) {
            Some(Out::Mv(v)) => {
                assert_eq!(v.len(), 100);
                assert_eq!(v[0], "0");
                assert_eq!(v[99], "99");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn order_and_time_states() {
        let v = [Val::Str("x"), Val::Str("y"), Val::Str("z")];
        assert_eq!(run(OrderState::new(false), &v), Some(Out::Str("x".into())));
        assert_eq!(run(OrderState::new(true), &v), Some(Out::Str("z".into())));
        let mut e = TimeState::new(TimeKind::Earliest);
        e.add(Val::Str("late"), Some(20.0), 0);
        e.add(Val::Str("early"), Some(10.0), 1);
        e.add(Val::Str("none"), None, 2);
        assert_eq!(e.result(), Some(Out::Str("early".into())));
        let mut l = TimeState::new(TimeKind::LatestTime);
        l.add(Val::Str("late"), Some(20.0), 0);
        l.add(Val::Str("early"), Some(10.0), 1);
        assert_eq!(l.result(), Some(Out::Num(20.0)));
        let mut r = RateState::default();
        r.add(Val::Num(10.0), Some(0.0), 0);
        r.add(Val::Num(30.0), Some(10.0), 1);
        assert_eq!(r.result(), Some(Out::Num(2.0)));
    }

    #[test]
    fn mode_ties_go_to_first_seen() {
        let v = [
            Val::Str("b"),
            Val::Str("a"),
            Val::Str("a"),
            Val::Str("b"),
            Val::Str("c"),
        ];
        assert_eq!(run(ModeState::default(), &v), Some(Out::Str("b".into())));
    }

    #[test]
    fn merge_combines_partials() {
        let mut a = MomentState::new(MomentKind::Avg);
        a.add_num(1.0);
        let mut b = MomentState::new(MomentKind::Avg);
        b.add_num(3.0);
        a.merge(&b);
        assert_eq!(a.result(), Some(Out::Num(2.0)));
        let mut f = OrderState::new(false);
        f.add(Val::Str("later"), None, 5);
        let mut g = OrderState::new(false);
        g.add(Val::Str("sooner"), None, 1);
        f.merge(&g);
        assert_eq!(f.result(), Some(Out::Str("sooner".into())));
    }
}
