//! Grouped accumulators: one state per group, updated from whole Arrow
//! columns with a group id per row (no per-row boxing).
//!
//! Commands map their rows to dense group ids ([`RowGroups`]) and hand each
//! accumulator the argument column ([`Input`]); multivalue cells contribute
//! one observation per value.

use super::hash::{FxHashSet, Interner};
use super::partial::{self, col, Column, Kind};
use super::sparkline::{spark_acc, SparkPlan};
use super::state::{DcState, NullState, State};
use super::value::{build_column, Out, Val};
use super::AggFunc;
use crate::error::{EngineError, Result};
use arrow_array::cast::AsArray;
use arrow_array::{
    Array, ArrayRef, BooleanArray, Float64Array, ListArray, RecordBatch, StringArray,
};
use arrow_schema::DataType;
use std::any::Any;

/// Group id meaning "this row contributes to no group".
pub(crate) const NO_GROUP: u32 = u32::MAX;

/// Rows of a batch mapped to groups: expanded row `i` is batch row
/// `rows[i]` (or `i` when `rows` is `None`) in group `groups[i]`. A row may
/// appear several times (multivalue BY fields).
#[derive(Debug, Default, Clone)]
pub(crate) struct RowGroups {
    /// Batch row of each expanded row; `None` = identity.
    pub(crate) rows: Option<Vec<u32>>,
    /// Group of each expanded row (`NO_GROUP` to skip).
    pub(crate) groups: Vec<u32>,
}

impl RowGroups {
    #[inline]
    fn row(&self, i: usize) -> usize {
        match &self.rows {
            Some(r) => r.get(i).map_or(usize::MAX, |&x| x as usize),
            None => i,
        }
    }
}

/// An argument column, normalised to the types accumulators read.
#[derive(Debug, Clone)]
pub(crate) enum InputColumn {
    /// Bare `count`: every row is one observation.
    Rows,
    /// The field is absent from the batch.
    Missing,
    /// Numbers.
    Num(Float64Array),
    /// Strings.
    Str(StringArray),
    /// Multivalue strings (offsets + flat values).
    List(ListArray, StringArray),
}

impl InputColumn {
    /// Normalises any Arrow column: integers/decimals become Float64, other
    /// scalars Utf8, lists List<Utf8>; booleans keep only `true` (so that
    /// `count(eval(pred))` counts the rows where the predicate holds).
    pub(crate) fn from_array(arr: &ArrayRef) -> Result<InputColumn> {
        Ok(match arr.data_type() {
            DataType::Float64 => InputColumn::Num(arr.as_primitive().clone()),
            DataType::Utf8 => InputColumn::Str(arr.as_string::<i32>().clone()),
            DataType::Null => InputColumn::Missing,
            DataType::Boolean => {
                let b: &BooleanArray = arr.as_boolean();
                let s: StringArray = b
                    .iter()
                    .map(|v| if v == Some(true) { Some("true") } else { None })
                    .collect();
                InputColumn::Str(s)
            }
            DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..) => {
                let target = DataType::List(std::sync::Arc::new(
                    arrow_schema::Field::new_list_field(DataType::Utf8, true),
                ));
                let list = arrow_cast::cast(arr, &target)?;
                let list = list.as_list::<i32>().clone();
                let values = list.values().as_string::<i32>().clone();
                InputColumn::List(list, values)
            }
            t if t.is_numeric() => {
                let c = arrow_cast::cast(arr, &DataType::Float64)?;
                InputColumn::Num(c.as_primitive().clone())
            }
            _ => {
                let c = arrow_cast::cast(arr, &DataType::Utf8)?;
                InputColumn::Str(c.as_string::<i32>().clone())
            }
        })
    }
}

/// What an accumulator reads for one batch.
pub(crate) struct Input<'a> {
    /// The argument.
    pub(crate) col: &'a InputColumn,
    /// `_time` of each batch row, when the function needs it.
    pub(crate) time: Option<&'a Float64Array>,
    /// Processing order of batch row 0 (rows count up from here).
    pub(crate) seq_base: u64,
}

/// Calls `f(group, value, time, seq)` for every observation, in row order.
#[inline]
pub(crate) fn for_each_obs<'a>(
    input: &Input<'a>,
    rg: &RowGroups,
    mut f: impl FnMut(u32, Val<'a>, Option<f64>, u64),
) {
    let time = |row: usize| {
        input
            .time
            .and_then(|t| (row < t.len() && t.is_valid(row)).then(|| t.value(row)))
    };
    let n = rg.groups.len();
    match input.col {
        InputColumn::Missing => {}
        InputColumn::Rows => {
            for (i, &g) in rg.groups.iter().enumerate() {
                if g != NO_GROUP {
                    let row = rg.row(i);
                    f(g, Val::Num(1.0), time(row), input.seq_base + row as u64);
                }
            }
        }
        InputColumn::Num(a) => {
            for i in 0..n {
                let g = rg.groups[i];
                let row = rg.row(i);
                if g != NO_GROUP && row < a.len() && a.is_valid(row) {
                    f(
                        g,
                        Val::Num(a.value(row)),
                        time(row),
                        input.seq_base + row as u64,
                    );
                }
            }
        }
        InputColumn::Str(a) => {
            for i in 0..n {
                let g = rg.groups[i];
                let row = rg.row(i);
                if g != NO_GROUP && row < a.len() && a.is_valid(row) {
                    f(
                        g,
                        Val::Str(a.value(row)),
                        time(row),
                        input.seq_base + row as u64,
                    );
                }
            }
        }
        InputColumn::List(l, vals) => {
            let offsets = l.value_offsets();
            for i in 0..n {
                let g = rg.groups[i];
                let row = rg.row(i);
                if g == NO_GROUP || row >= l.len() || l.is_null(row) {
                    continue;
                }
                let (s, e) = (offsets[row] as usize, offsets[row + 1] as usize);
                let t = time(row);
                for j in s..e.min(vals.len()) {
                    if vals.is_valid(j) {
                        f(g, Val::Str(vals.value(j)), t, input.seq_base + row as u64);
                    }
                }
            }
        }
    }
}

/// Calls `f` with each value of batch row `row` (none for null; one per
/// multivalue entry; `Val::Num(1.0)` for [`InputColumn::Rows`]).
pub(crate) fn obs_at<'a>(col: &'a InputColumn, row: usize, mut f: impl FnMut(Val<'a>)) {
    match col {
        InputColumn::Missing => {}
        InputColumn::Rows => f(Val::Num(1.0)),
        InputColumn::Num(a) => {
            if row < a.len() && a.is_valid(row) {
                f(Val::Num(a.value(row)));
            }
        }
        InputColumn::Str(a) => {
            if row < a.len() && a.is_valid(row) {
                f(Val::Str(a.value(row)));
            }
        }
        InputColumn::List(l, vals) => {
            if row < l.len() && l.is_valid(row) {
                let o = l.value_offsets();
                for j in o[row] as usize..(o[row + 1] as usize).min(vals.len()) {
                    if vals.is_valid(j) {
                        f(Val::Str(vals.value(j)));
                    }
                }
            }
        }
    }
}

/// One aggregation over all groups.
pub(crate) trait GroupAcc: Send {
    /// Feeds one batch's observations.
    fn update(&mut self, input: &Input<'_>, rg: &RowGroups, n_groups: usize);
    /// Feeds numbers: row `i` of `values` goes to group `groups[i]` when
    /// `take[classes[i]]` holds (`NO_GROUP` or an unknown class: skipped),
    /// in processing order from `seq_base`; nulls are skipped. The same as
    /// [`GroupAcc::update`] without time and row indirection, for callers
    /// with a plain numeric column (mstats: classes are metric ids).
    fn update_num(
        &mut self,
        values: &Float64Array,
        groups: &[u32],
        classes: &[u32],
        take: &[bool],
        seq_base: u64,
        n_groups: usize,
    ) {
        let col = InputColumn::Num(values.clone());
        let input = Input {
            col: &col,
            time: None,
            seq_base,
        };
        let rg = RowGroups {
            rows: None,
            groups: groups
                .iter()
                .zip(classes)
                .map(|(&g, &c)| match take.get(c as usize) {
                    Some(true) => g,
                    _ => NO_GROUP,
                })
                .collect(),
        };
        self.update(&input, &rg, n_groups);
    }
    /// Merges a partial accumulator of the same function; `mapping[g]` is
    /// this accumulator's group for the other's group `g`.
    fn merge(&mut self, other: &dyn GroupAcc, mapping: &[u32]) -> Result<()>;
    /// The result of every group `0..n_groups`.
    fn results(&mut self, n_groups: usize) -> Vec<Option<Out>>;
    /// As [`GroupAcc::results`], as a column.
    fn finish(&mut self, n_groups: usize) -> ArrayRef {
        build_column(&self.results(n_groups))
    }
    /// The partial of groups `0..n_groups`: one row per group, the columns
    /// of the function's state (`partial.rs`); [`read_partial`] reads it
    /// back.
    #[cfg_attr(not(test), allow(dead_code))] // read by the partial tests; between processes later
    fn partial(&mut self, n_groups: usize) -> Result<RecordBatch>;
    /// For [`GroupAcc::merge`].
    fn as_any(&self) -> &dyn Any;
    /// Estimated bytes held (for the memory budget, `blocking_max_mem_mb`).
    fn heap_bytes(&self) -> usize {
        0
    }
}

/// Estimated bytes one value costs a growing state: its text (or a number)
/// plus the entry's own overhead in a set, map or vector.
#[inline]
fn entry_bytes(v: &Val<'_>) -> usize {
    const OVERHEAD: usize = 48;
    match v {
        Val::Str(s) => s.len() + OVERHEAD,
        Val::Num(_) => 24 + OVERHEAD,
    }
}

/// A [`GroupAcc`] over any [`State`].
pub(crate) struct Grouped<S: State> {
    proto: S,
    states: Vec<S>,
    /// Estimated bytes the states' values hold (growing states only).
    grown: usize,
}

impl<S: State> Grouped<S> {
    pub(crate) fn new(proto: S) -> Self {
        Grouped {
            proto,
            states: Vec::new(),
            grown: 0,
        }
    }
    fn grow(&mut self, n: usize) {
        if self.states.len() < n {
            self.states.resize(n, self.proto.clone());
        }
    }
}

impl<S: State> GroupAcc for Grouped<S> {
    fn update(&mut self, input: &Input<'_>, rg: &RowGroups, n_groups: usize) {
        self.grow(n_groups);
        let states = &mut self.states;
        if S::GROWS {
            // counts the values a state keeps, one O(1) length check per
            // value, so `values(x)` over many distinct values is measured
            let grown = &mut self.grown;
            for_each_obs(input, rg, |g, v, t, seq| {
                if let Some(s) = states.get_mut(g as usize) {
                    let before = s.entries();
                    let size = entry_bytes(&v);
                    s.add(v, t, seq);
                    if s.entries() > before {
                        *grown = grown.saturating_add(size);
                    }
                }
            });
            return;
        }
        for_each_obs(input, rg, |g, v, t, seq| {
            if let Some(s) = states.get_mut(g as usize) {
                s.add(v, t, seq);
            }
        });
    }

    fn update_num(
        &mut self,
        values: &Float64Array,
        groups: &[u32],
        classes: &[u32],
        take: &[bool],
        seq_base: u64,
        n_groups: usize,
    ) {
        self.grow(n_groups);
        let states = &mut self.states;
        let vals = values.values();
        let nulls = values.nulls().filter(|n| n.null_count() > 0);
        for (i, ((&g, &c), &x)) in groups.iter().zip(classes).zip(vals.iter()).enumerate() {
            if g == NO_GROUP
                || !take.get(c as usize).copied().unwrap_or(false)
                || nulls.is_some_and(|n| n.is_null(i))
            {
                continue;
            }
            if let Some(s) = states.get_mut(g as usize) {
                s.add(Val::Num(x), None, seq_base + i as u64);
            }
        }
    }

    fn merge(&mut self, other: &dyn GroupAcc, mapping: &[u32]) -> Result<()> {
        let other = other.as_any().downcast_ref::<Grouped<S>>().ok_or_else(|| {
            EngineError::Internal("merging accumulators of different functions".into())
        })?;
        for (g, s) in other.states.iter().enumerate() {
            let target = *mapping.get(g).ok_or_else(|| {
                EngineError::Internal("accumulator merge mapping too short".into())
            })?;
            self.grow(target as usize + 1);
            if let Some(t) = self.states.get_mut(target as usize) {
                t.merge(s);
            }
        }
        Ok(())
    }

    fn results(&mut self, n_groups: usize) -> Vec<Option<Out>> {
        self.grow(n_groups);
        self.states
            .iter_mut()
            .take(n_groups)
            .map(State::result)
            .collect()
    }

    fn partial(&mut self, n_groups: usize) -> Result<RecordBatch> {
        self.grow(n_groups);
        partial::write_states(self.states.get(..n_groups).unwrap_or_default())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn heap_bytes(&self) -> usize {
        (self.states.len() * std::mem::size_of::<S>()).saturating_add(self.grown)
    }
}

/// A single-group state behind a trait object (for `streamstats`).
pub(crate) trait RowState: Send {
    /// Adds one value.
    fn add(&mut self, v: Val<'_>, time: Option<f64>, seq: u64);
    /// The current result.
    fn result(&mut self) -> Option<Out>;
    /// A fresh copy in the initial state.
    fn fresh(&self) -> Box<dyn RowState>;
}

struct RowImpl<S: State> {
    proto: S,
    state: S,
}

impl<S: State> RowState for RowImpl<S> {
    fn add(&mut self, v: Val<'_>, time: Option<f64>, seq: u64) {
        self.state.add(v, time, seq);
    }
    fn result(&mut self) -> Option<Out> {
        self.state.result()
    }
    fn fresh(&self) -> Box<dyn RowState> {
        Box::new(RowImpl {
            proto: self.proto.clone(),
            state: self.proto.clone(),
        })
    }
}

/// How an aggregation's accumulators are made: one implementation per
/// table entry (`table::AggSpec::run`).
pub(crate) trait AggImpl: Sync {
    /// A grouped accumulator.
    fn group(&self, f: AggFunc) -> Box<dyn GroupAcc>;
    /// A single-group state (`streamstats`).
    fn row(&self, f: AggFunc) -> Box<dyn RowState>;
    /// A sparkline whose buckets aggregate with `f`; `empty` is what a
    /// bucket without values shows.
    fn spark(&self, f: AggFunc, plan: &SparkPlan, empty: &'static str) -> Box<dyn GroupAcc>;
    /// The columns of its partial ([`GroupAcc::partial`]).
    fn columns(&self) -> &'static [Column];
    /// A grouped accumulator holding a partial ([`GroupAcc::partial`]).
    #[cfg_attr(not(test), allow(dead_code))] // read by the partial tests; between processes later
    fn read(&self, f: AggFunc, batch: &RecordBatch) -> Result<Box<dyn GroupAcc>>;
}

/// An aggregation computed by one [`State`], made by the function.
pub(crate) struct StateOf<S>(pub(crate) fn(AggFunc) -> S);

impl<S: State> AggImpl for StateOf<S> {
    fn group(&self, f: AggFunc) -> Box<dyn GroupAcc> {
        Box::new(Grouped::new((self.0)(f)))
    }
    fn row(&self, f: AggFunc) -> Box<dyn RowState> {
        let s = (self.0)(f);
        Box::new(RowImpl {
            proto: s.clone(),
            state: s,
        })
    }
    fn spark(&self, f: AggFunc, plan: &SparkPlan, empty: &'static str) -> Box<dyn GroupAcc> {
        spark_acc(plan, (self.0)(f), empty)
    }
    fn columns(&self) -> &'static [Column] {
        S::COLUMNS
    }
    fn read(&self, f: AggFunc, batch: &RecordBatch) -> Result<Box<dyn GroupAcc>> {
        let proto = (self.0)(f);
        let states = partial::read_states(&proto, batch)?;
        Ok(Box::new(Grouped {
            proto,
            states,
            grown: 0,
        }))
    }
}

/// `dc`: [`DistinctGrouped`] over groups, [`DcState`] for one group and in
/// sparkline buckets.
pub(crate) struct DistinctImpl;

const DC_STATE: StateOf<DcState> = StateOf(|_| DcState::default());

impl AggImpl for DistinctImpl {
    fn group(&self, _f: AggFunc) -> Box<dyn GroupAcc> {
        Box::new(DistinctGrouped::default())
    }
    fn row(&self, f: AggFunc) -> Box<dyn RowState> {
        DC_STATE.row(f)
    }
    fn spark(&self, f: AggFunc, plan: &SparkPlan, empty: &'static str) -> Box<dyn GroupAcc> {
        DC_STATE.spark(f, plan, empty)
    }
    fn columns(&self) -> &'static [Column] {
        DISTINCT_COLUMNS
    }
    fn read(&self, _f: AggFunc, batch: &RecordBatch) -> Result<Box<dyn GroupAcc>> {
        let mut acc = DistinctGrouped::default();
        let sets = partial::read_rows(DISTINCT_COLUMNS, batch, |r| r.strs())?;
        for values in sets {
            let set = values.iter().map(|v| acc.values.id(v)).collect();
            acc.sets.push(set);
        }
        Ok(Box::new(acc))
    }
}

/// `sparkline`, whose command binds its accumulator with the plan
/// (`sparkline::new_spark_acc`): these give null, and no command asks
/// for them.
pub(crate) struct NullImpl;

const NULL_STATE: StateOf<NullState> = StateOf(|_| NullState);

impl AggImpl for NullImpl {
    fn group(&self, f: AggFunc) -> Box<dyn GroupAcc> {
        NULL_STATE.group(f)
    }
    fn row(&self, f: AggFunc) -> Box<dyn RowState> {
        NULL_STATE.row(f)
    }
    fn spark(&self, f: AggFunc, plan: &SparkPlan, empty: &'static str) -> Box<dyn GroupAcc> {
        NULL_STATE.spark(f, plan, empty)
    }
    fn columns(&self) -> &'static [Column] {
        &[]
    }
    fn read(&self, f: AggFunc, batch: &RecordBatch) -> Result<Box<dyn GroupAcc>> {
        NULL_STATE.read(f, batch)
    }
}

/// The implementation of a resolved function (every resolved function has
/// one: resolution rejects the functions the engine does not run).
pub(crate) fn implementation(func: AggFunc) -> &'static dyn AggImpl {
    func.spec().run.unwrap_or(&NullImpl)
}

/// A grouped accumulator for `func`.
pub(crate) fn new_group_acc(func: AggFunc) -> Box<dyn GroupAcc> {
    implementation(func).group(func)
}

/// The partial of `acc`, an accumulator of `func`, over groups
/// `0..n_groups`, with the function named in its schema's metadata.
#[cfg_attr(not(test), allow(dead_code))] // read by the partial tests; between processes later
pub(crate) fn write_partial(
    func: AggFunc,
    acc: &mut dyn GroupAcc,
    n_groups: usize,
) -> Result<RecordBatch> {
    partial::named(acc.partial(n_groups)?, &format!("{func:?}"))
}

/// An accumulator of `func` holding a partial [`write_partial`] wrote (a
/// partial of another function is an error).
#[cfg_attr(not(test), allow(dead_code))] // read by the partial tests; between processes later
pub(crate) fn read_partial(func: AggFunc, batch: &RecordBatch) -> Result<Box<dyn GroupAcc>> {
    partial::check_named(batch, &format!("{func:?}"))?;
    implementation(func).read(func, batch)
}

/// The partial of `dc` over groups: the same as [`DcState`]'s.
const DISTINCT_COLUMNS: &[Column] = &[col("values", Kind::Strs)];

/// `dc` over groups, the same results as [`Grouped<DcState>`] (values
/// compared as strings): each value is interned once for the whole
/// accumulator and groups keep sets of ids, so an observation costs one
/// string lookup in a table shared by all groups, and a value seen in many
/// groups is stored once.
#[derive(Default)]
pub(crate) struct DistinctGrouped {
    values: Interner,
    sets: Vec<FxHashSet<u32>>,
    /// Estimated bytes of the interned values and set entries (for the
    /// memory budget), counted as they are added.
    bytes: usize,
}

impl DistinctGrouped {
    fn grow(&mut self, n: usize) {
        if self.sets.len() < n {
            self.sets.resize_with(n, FxHashSet::default);
        }
    }
}

impl GroupAcc for DistinctGrouped {
    fn update(&mut self, input: &Input<'_>, rg: &RowGroups, n_groups: usize) {
        self.grow(n_groups);
        let (values, sets, bytes) = (&mut self.values, &mut self.sets, &mut self.bytes);
        for_each_obs(input, rg, |g, v, _, _| {
            let known = values.values.len();
            let id = v.with_str(|s| {
                let id = values.id(s);
                if values.values.len() > known {
                    *bytes = bytes.saturating_add(2 * s.len() + 64);
                }
                id
            });
            if let Some(set) = sets.get_mut(g as usize) {
                if set.insert(id) {
                    *bytes = bytes.saturating_add(8);
                }
            }
        });
    }

    fn merge(&mut self, other: &dyn GroupAcc, mapping: &[u32]) -> Result<()> {
        let other = other
            .as_any()
            .downcast_ref::<DistinctGrouped>()
            .ok_or_else(|| {
                EngineError::Internal("merging accumulators of different functions".into())
            })?;
        let id_map: Vec<u32> = other
            .values
            .values
            .iter()
            .map(|v| self.values.id(v))
            .collect();
        for (g, set) in other.sets.iter().enumerate() {
            let target = *mapping.get(g).ok_or_else(|| {
                EngineError::Internal("accumulator merge mapping too short".into())
            })? as usize;
            self.grow(target + 1);
            if let Some(t) = self.sets.get_mut(target) {
                t.extend(
                    set.iter()
                        .filter_map(|&id| id_map.get(id as usize).copied()),
                );
            }
        }
        Ok(())
    }

    fn results(&mut self, n_groups: usize) -> Vec<Option<Out>> {
        self.grow(n_groups);
        self.sets
            .iter()
            .take(n_groups)
            .map(|s| Some(Out::Num(s.len() as f64)))
            .collect()
    }

    fn partial(&mut self, n_groups: usize) -> Result<RecordBatch> {
        self.grow(n_groups);
        let values = &self.values.values;
        let sets = self.sets.get(..n_groups).unwrap_or_default();
        partial::write_rows(DISTINCT_COLUMNS, sets, |set, w| {
            let mut v: Vec<&str> = set
                .iter()
                .filter_map(|&id| values.get(id as usize).map(String::as_str))
                .collect();
            v.sort_unstable();
            w.strs(v);
        })
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn heap_bytes(&self) -> usize {
        self.bytes
            .saturating_add(self.sets.len() * std::mem::size_of::<FxHashSet<u32>>())
    }
}

/// A single-group state for `func`.
pub(crate) fn new_row_state(func: AggFunc) -> Box<dyn RowState> {
    implementation(func).row(func)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::builder::{ListBuilder, StringBuilder};
    use std::sync::Arc;

    fn mv(rows: &[Option<&[&str]>]) -> ArrayRef {
        let mut b = ListBuilder::new(StringBuilder::new());
        for r in rows {
            match r {
                Some(vs) => {
                    for v in *vs {
                        b.values().append_value(v);
                    }
                    b.append(true);
                }
                None => b.append(false),
            }
        }
        Arc::new(b.finish())
    }

    /// The shared-interner `dc` gives what the per-group string sets give,
    /// merges included (numbers compare by their text: `1` and `1.0` differ).
    #[test]
    fn distinct_grouped_matches_per_group_sets() {
        let strs = mv(&[
            Some(&["a", "b"]),
            None,
            Some(&["a"]),
            Some(&["1.0", "1"]),
            Some(&["b"]),
        ]);
        let nums: ArrayRef = Arc::new(Float64Array::from(vec![
            Some(1.0),
            Some(1.0),
            None,
            Some(2.5),
            Some(1.0),
        ]));
        let groups = vec![0, 0, 1, 1, NO_GROUP];
        let run = |acc: &mut Box<dyn GroupAcc>, arr: &ArrayRef, n: usize| {
            let col = InputColumn::from_array(arr).unwrap();
            let input = Input {
                col: &col,
                time: None,
                seq_base: 0,
            };
            let rg = RowGroups {
                rows: None,
                groups: groups.clone(),
            };
            acc.update(&input, &rg, n);
        };
        for arr in [&strs, &nums] {
            let mut fast = new_group_acc(crate::aggregate::test_func("dc"));
            let mut slow: Box<dyn GroupAcc> = Box::new(Grouped::new(DcState::default()));
            run(&mut fast, arr, 3);
            run(&mut slow, arr, 3);
            let want = slow.results(3);
            assert_eq!(fast.results(3), want);
            // merging a partial into group 2 and group 0 of another
            let mut other = new_group_acc(crate::aggregate::test_func("dc"));
            run(&mut other, arr, 2);
            fast.merge(other.as_ref(), &[2, 0]).unwrap();
            let mut other_slow: Box<dyn GroupAcc> = Box::new(Grouped::new(DcState::default()));
            run(&mut other_slow, arr, 2);
            slow.merge(other_slow.as_ref(), &[2, 0]).unwrap();
            assert_eq!(fast.results(3), slow.results(3));
        }
        // the text of the strings case, to be sure the test compares something
        let mut fast = new_group_acc(crate::aggregate::test_func("dc"));
        run(&mut fast, &strs, 2);
        assert_eq!(
            fast.results(2),
            vec![Some(Out::Num(2.0)), Some(Out::Num(3.0))]
        );
    }

    #[test]
    fn multivalue_values_are_separate_observations() {
        let col = InputColumn::from_array(&mv(&[Some(&["a", "b"]), None, Some(&["a"])])).unwrap();
        let rg = RowGroups {
            rows: None,
            groups: vec![0, 0, 1],
        };
        let input = Input {
            col: &col,
            time: None,
            seq_base: 0,
        };
        let mut c = new_group_acc(crate::aggregate::test_func("count"));
        c.update(&input, &rg, 2);
        assert_eq!(c.results(2), vec![Some(Out::Num(2.0)), Some(Out::Num(1.0))]);
    }

    #[test]
    fn ints_and_bools_are_normalised() {
        let ints: ArrayRef = Arc::new(arrow_array::Int64Array::from(vec![Some(2), None, Some(4)]));
        let col = InputColumn::from_array(&ints).unwrap();
        let rg = RowGroups {
            rows: None,
            groups: vec![0, 0, 0],
        };
        let input = Input {
            col: &col,
            time: None,
            seq_base: 0,
        };
        let mut a = new_group_acc(crate::aggregate::test_func("avg"));
        a.update(&input, &rg, 1);
        assert_eq!(a.results(1), vec![Some(Out::Num(3.0))]);
        let bools: ArrayRef = Arc::new(BooleanArray::from(vec![Some(true), Some(false), None]));
        let col = InputColumn::from_array(&bools).unwrap();
        let input = Input {
            col: &col,
            time: None,
            seq_base: 0,
        };
        let mut c = new_group_acc(crate::aggregate::test_func("count"));
        c.update(&input, &rg, 1);
        assert_eq!(c.results(1), vec![Some(Out::Num(1.0))]);
    }

    #[test]
    fn merge_maps_groups() {
        let col = InputColumn::Num(Float64Array::from(vec![1.0, 2.0, 3.0]));
        let input = Input {
            col: &col,
            time: None,
            seq_base: 0,
        };
        let mut a = new_group_acc(crate::aggregate::test_func("sum"));
        a.update(
            &input,
            &RowGroups {
                rows: None,
                groups: vec![0, 1, 0],
            },
            2,
        );
        let mut b = new_group_acc(crate::aggregate::test_func("sum"));
        b.update(
            &input,
            &RowGroups {
                rows: Some(vec![2]),
                groups: vec![0],
            },
            1,
        );
        a.merge(b.as_ref(), &[1]).unwrap();
        assert_eq!(a.results(2), vec![Some(Out::Num(4.0)), Some(Out::Num(5.0))]);
        let wrong = new_group_acc(crate::aggregate::test_func("values"));
        assert!(a.merge(wrong.as_ref(), &[0]).is_err());
    }
}
