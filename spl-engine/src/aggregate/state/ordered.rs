//! States that keep values rather than numbers: distinct counts, value
//! sets and lists, the mode, and order- or time-based picks.

use super::State;
use crate::aggregate::hash::{FxHashMap, FxHashSet};
use crate::aggregate::partial::{col, Column, Kind, RowReader, RowWriter};
use crate::aggregate::value::{parse_num, Out, Val};
use crate::error::Result;
use std::collections::BTreeSet;

/// `dc`: distinct values compared as strings (`1` and `1.0` differ).
// Fx, not SipHash: one lookup per row is this aggregation's whole cost
#[derive(Clone, Default)]
pub(crate) struct DcState(FxHashSet<String>);

impl State for DcState {
    const GROWS: bool = true;
    fn entries(&self) -> usize {
        self.0.len()
    }
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
    const COLUMNS: &'static [Column] = &[col("values", Kind::Strs)];
    fn write(&self, w: &mut RowWriter) {
        let mut v: Vec<&str> = self.0.iter().map(String::as_str).collect();
        v.sort_unstable();
        w.strs(v);
    }
    fn read(&self, r: &mut RowReader<'_>) -> Result<Self> {
        Ok(DcState(r.strs()?.into_iter().collect()))
    }
}

/// `mode`: the most frequent value as a string; ties go to the first seen
/// (UNK): the smallest processing order, and within one multivalue row the
/// first of its values.
#[derive(Clone, Default)]
pub(crate) struct ModeState {
    /// Per value: its count and where it was first seen (processing order,
    /// position among the values of that row).
    counts: FxHashMap<String, (u64, (u64, u64))>,
    numeric: bool,
    /// The processing order of the last value added and how many values of
    /// that row came before it.
    last: Option<(u64, u64)>,
}

impl State for ModeState {
    const GROWS: bool = true;
    fn entries(&self) -> usize {
        self.counts.len()
    }
    fn add(&mut self, v: Val<'_>, _t: Option<f64>, seq: u64) {
        if matches!(v, Val::Num(_)) {
            self.numeric = true;
        }
        let at = match self.last {
            Some((s, i)) if s == seq => (seq, i + 1),
            _ => (seq, 0),
        };
        self.last = Some(at);
        v.with_str(|s| match self.counts.get_mut(s) {
            Some(e) => e.0 += 1,
            None => {
                self.counts.insert(s.to_string(), (1, at));
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
        self.last = self.last.max(o.last);
    }
    fn result(&mut self) -> Option<Out> {
        let (k, _) = self
            .counts
            .iter()
            .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))?;
        Some(match (self.numeric, parse_num(k)) {
            (true, Some(x)) => Out::Num(x),
            _ => Out::Str(k.clone()),
        })
    }
    const COLUMNS: &'static [Column] = &[
        col("values", Kind::Strs),
        col("counts", Kind::U64s),
        col("first_seq", Kind::U64s),
        col("first_pos", Kind::U64s),
        col("numeric", Kind::Bool),
        col("last_seq", Kind::U64),
        col("last_pos", Kind::U64),
    ];
    fn write(&self, w: &mut RowWriter) {
        let mut v: Vec<_> = self.counts.iter().collect();
        v.sort_unstable_by(|a, b| a.0.cmp(b.0));
        w.strs(v.iter().map(|(k, _)| k.as_str()));
        w.u64s(v.iter().map(|(_, (c, _))| *c));
        w.u64s(v.iter().map(|(_, (_, (s, _)))| *s));
        w.u64s(v.iter().map(|(_, (_, (_, p)))| *p));
        w.bool(self.numeric);
        w.u64(self.last.map(|l| l.0));
        w.u64(self.last.map(|l| l.1));
    }
    fn read(&self, r: &mut RowReader<'_>) -> Result<Self> {
        let (keys, counts, seqs, pos) = (r.strs()?, r.u64s()?, r.u64s()?, r.u64s()?);
        if counts.len() != keys.len() || seqs.len() != keys.len() || pos.len() != keys.len() {
            return Err(crate::error::EngineError::Internal(
                "partial: mode columns of different lengths".into(),
            ));
        }
        let counts = keys
            .into_iter()
            .zip(counts)
            .zip(seqs.into_iter().zip(pos))
            .map(|((k, c), at)| (k, (c, at)))
            .collect();
        let numeric = r.bool()?;
        let last = r.u64()?.zip(r.u64()?);
        Ok(ModeState {
            counts,
            numeric,
            last,
        })
    }
}

/// `values`: distinct strings in byte order (5.3).
#[derive(Clone, Default)]
pub(crate) struct ValuesState(BTreeSet<String>);

impl State for ValuesState {
    const GROWS: bool = true;
    fn entries(&self) -> usize {
        self.0.len()
    }
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
    const COLUMNS: &'static [Column] = &[col("values", Kind::Strs)];
    fn write(&self, w: &mut RowWriter) {
        w.strs(self.0.iter().map(String::as_str));
    }
    fn read(&self, r: &mut RowReader<'_>) -> Result<Self> {
        Ok(ValuesState(r.strs()?.into_iter().collect()))
    }
}

/// `list_maxsize` default (limits.conf).
pub(crate) const LIST_MAX: usize = 100;

/// `list`: values in processing order, duplicates kept, at most 100.
#[derive(Clone, Default)]
pub(crate) struct ListState(Vec<(u64, String)>);

impl State for ListState {
    const GROWS: bool = true;
    fn entries(&self) -> usize {
        self.0.len()
    }
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
    const COLUMNS: &'static [Column] = &[col("seqs", Kind::U64s), col("values", Kind::Strs)];
    fn write(&self, w: &mut RowWriter) {
        w.u64s(self.0.iter().map(|(s, _)| *s));
        w.strs(self.0.iter().map(|(_, v)| v.as_str()));
    }
    fn read(&self, r: &mut RowReader<'_>) -> Result<Self> {
        let (seqs, values) = (r.u64s()?, r.strs()?);
        if seqs.len() != values.len() {
            return Err(crate::error::EngineError::Internal(
                "partial: list columns of different lengths".into(),
            ));
        }
        Ok(ListState(seqs.into_iter().zip(values).collect()))
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
    const COLUMNS: &'static [Column] = &[col("seq", Kind::U64), col("value", Kind::Out)];
    fn write(&self, w: &mut RowWriter) {
        w.u64(self.best.as_ref().map(|b| b.0));
        w.out(self.best.as_ref().map(|b| &b.1));
    }
    fn read(&self, r: &mut RowReader<'_>) -> Result<Self> {
        Ok(OrderState {
            last: self.last,
            best: r.u64()?.zip(r.out()?),
        })
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
    const COLUMNS: &'static [Column] = &[
        col("time", Kind::F64),
        col("seq", Kind::U64),
        col("value", Kind::Out),
    ];
    fn write(&self, w: &mut RowWriter) {
        write_pick(&self.best, w);
    }
    fn read(&self, r: &mut RowReader<'_>) -> Result<Self> {
        Ok(TimeState {
            kind: self.kind,
            best: read_pick(r)?,
        })
    }
}

fn write_pick(best: &Option<(f64, u64, Out)>, w: &mut RowWriter) {
    w.f64(best.as_ref().map(|b| b.0));
    w.u64(best.as_ref().map(|b| b.1));
    w.out(best.as_ref().map(|b| &b.2));
}

fn read_pick(r: &mut RowReader<'_>) -> Result<Option<(f64, u64, Out)>> {
    let (t, s, v) = (r.f64()?, r.u64()?, r.out()?);
    Ok(match (t, s, v) {
        (Some(t), Some(s), Some(v)) => Some((t, s, v)),
        _ => None,
    })
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
    const COLUMNS: &'static [Column] = &[
        col("earliest_time", Kind::F64),
        col("earliest_seq", Kind::U64),
        col("earliest", Kind::Out),
        col("latest_time", Kind::F64),
        col("latest_seq", Kind::U64),
        col("latest", Kind::Out),
    ];
    fn write(&self, w: &mut RowWriter) {
        write_pick(&self.first.best, w);
        write_pick(&self.last.best, w);
    }
    fn read(&self, r: &mut RowReader<'_>) -> Result<Self> {
        let mut out = self.clone();
        out.first.best = read_pick(r)?;
        out.last.best = read_pick(r)?;
        Ok(out)
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
}
