//! Per-group aggregation states, one type per family of functions.
//!
//! A state sees each observed value once ([`State::add`]), can absorb a state
//! built elsewhere ([`State::merge`], for partial aggregates per thread or
//! chunk) and yields the result ([`State::result`]); it is written as a row
//! of Arrow columns and read back ([`State::write`], [`State::read`];
//! `partial.rs`). Rules cite `spl-semantics.md` 5.3.

use super::partial::{col, Column, Kind, RowReader, RowWriter};
use super::value::{Out, Val};
use super::PercMethod;
use crate::error::Result;

mod ordered;
pub(crate) use ordered::{
    DcState, ListState, ModeState, OrderState, RateState, TimeKind, TimeState, ValuesState,
};

/// An aggregation state for one group.
pub(crate) trait State: Clone + Send + 'static {
    /// Adds one value; `time` is the row's `_time`, `seq` its processing order.
    fn add(&mut self, v: Val<'_>, time: Option<f64>, seq: u64);
    /// Absorbs another state of the same function.
    fn merge(&mut self, other: &Self);
    /// The result; `None` is null (the field is absent).
    fn result(&mut self) -> Option<Out>;
    /// The columns of the state's partial.
    const COLUMNS: &'static [Column];
    /// Writes the state as one row of its partial ([`State::COLUMNS`]).
    fn write(&self, w: &mut RowWriter);
    /// The state a row of its partial holds; `self` is a fresh state of the
    /// same function (it carries what the function is: `perc95`, `max`).
    fn read(&self, r: &mut RowReader<'_>) -> Result<Self>;
    /// Whether the state grows with the values it sees (`values`, `dc`,
    /// `list`, percentiles, `mode`); only those are measured for the memory
    /// budget (`blocking_max_mem_mb`), so fixed-size states cost nothing.
    const GROWS: bool = false;
    /// How many values a growing state holds (O(1)); 0 for the others.
    fn entries(&self) -> usize {
        0
    }
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
    const COLUMNS: &'static [Column] = &[col("count", Kind::U64)];
    fn write(&self, w: &mut RowWriter) {
        w.u64(Some(self.0));
    }
    fn read(&self, r: &mut RowReader<'_>) -> Result<Self> {
        Ok(CountState(r.u64()?.unwrap_or(0)))
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
    const COLUMNS: &'static [Column] = &[
        col("n", Kind::U64),
        col("sum", Kind::F64),
        col("sumsq", Kind::F64),
    ];
    fn write(&self, w: &mut RowWriter) {
        w.u64(Some(self.n));
        w.f64(Some(self.sum));
        w.f64(Some(self.sumsq));
    }
    fn read(&self, r: &mut RowReader<'_>) -> Result<Self> {
        Ok(MomentState {
            kind: self.kind,
            n: r.u64()?.unwrap_or(0),
            sum: r.f64()?.unwrap_or(0.0),
            sumsq: r.f64()?.unwrap_or(0.0),
        })
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
    const COLUMNS: &'static [Column] = &[col("num", Kind::F64), col("text", Kind::Str)];
    fn write(&self, w: &mut RowWriter) {
        w.f64(self.num);
        w.str(self.text.as_deref());
    }
    fn read(&self, r: &mut RowReader<'_>) -> Result<Self> {
        Ok(ExtremeState {
            max: self.max,
            num: r.f64()?,
            text: r.str()?,
        })
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
    const COLUMNS: &'static [Column] = &[col("min", Kind::F64), col("max", Kind::F64)];
    fn write(&self, w: &mut RowWriter) {
        w.f64(self.0.map(|(lo, _)| lo));
        w.f64(self.0.map(|(_, hi)| hi));
    }
    fn read(&self, r: &mut RowReader<'_>) -> Result<Self> {
        Ok(RangeState(r.f64()?.zip(r.f64()?)))
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
    const GROWS: bool = true;
    fn entries(&self) -> usize {
        self.vals.len()
    }
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
    const COLUMNS: &'static [Column] = &[col("values", Kind::F64s)];
    fn write(&self, w: &mut RowWriter) {
        w.f64s(&self.vals);
    }
    fn read(&self, r: &mut RowReader<'_>) -> Result<Self> {
        Ok(PercState {
            kind: self.kind,
            vals: r.f64s()?,
        })
    }
}

/// A state with no result: what `sparkline` has outside its command's
/// binding (never asked for).
#[derive(Clone, Copy, Default)]
pub(crate) struct NullState;

impl State for NullState {
    fn add(&mut self, _v: Val<'_>, _t: Option<f64>, _s: u64) {}
    fn merge(&mut self, _o: &Self) {}
    fn result(&mut self) -> Option<Out> {
        None
    }
    const COLUMNS: &'static [Column] = &[];
    fn write(&self, _w: &mut RowWriter) {}
    fn read(&self, _r: &mut RowReader<'_>) -> Result<Self> {
        Ok(NullState)
    }
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
