//! Partials merge exactly: for every aggregation the engine runs, rows split
//! into partitions, aggregated per partition, written as Arrow IPC, read
//! back and merged in a random tree order give what one pass over all the
//! rows gives.
#![allow(clippy::unwrap_used)] // tests

use super::grouped::{
    new_group_acc, read_partial, write_partial, GroupAcc, Input, InputColumn, RowGroups,
};
use super::partial::{from_ipc, to_ipc};
use super::table::{aggregations, AggSpec};
use super::{AggContext, AggFunc};
use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{Array, ArrayRef, Float64Array, StringArray};
use proptest::prelude::*;
use proptest::sample::Index;
use spl_parser::Span;
use std::sync::Arc;

/// Strings a row may hold: words, numeric-looking ones, the empty string.
const WORDS: &[&str] = &[
    "a", "b", "B", "web-1", "10", "9", "2.5", "-3", "1.0", "1", "",
];

/// Groups of the test's `BY`.
const GROUPS: usize = 3;

/// One generated row: group, `_time` (few distinct values, so ties), and
/// the material of its value.
#[derive(Debug, Clone)]
struct Row {
    group: u32,
    time: Option<u8>,
    null: bool,
    /// A number: `quarters / 4`, so sums of these are exact in f64.
    quarters: i16,
    word: usize,
    words: Vec<usize>,
}

fn row() -> impl Strategy<Value = Row> {
    (
        0..GROUPS as u32,
        proptest::option::weighted(0.9, 0u8..6),
        proptest::bool::weighted(0.15),
        -400i16..400,
        0..WORDS.len(),
        proptest::collection::vec(0..WORDS.len(), 0..4),
    )
        .prop_map(|(group, time, null, quarters, word, words)| Row {
            group,
            time,
            null,
            quarters,
            word,
            words,
        })
}

/// The argument column: numbers, strings or multivalue strings.
#[derive(Debug, Clone, Copy)]
enum ColKind {
    Num,
    Str,
    Mv,
}

fn column(kind: ColKind, rows: &[Row]) -> ArrayRef {
    match kind {
        ColKind::Num => Arc::new(Float64Array::from_iter(
            rows.iter()
                .map(|r| (!r.null).then(|| f64::from(r.quarters) / 4.0)),
        )),
        ColKind::Str => Arc::new(StringArray::from_iter(
            rows.iter().map(|r| (!r.null).then(|| WORDS[r.word])),
        )),
        ColKind::Mv => {
            let mut b = ListBuilder::new(StringBuilder::new());
            for r in rows {
                for &w in &r.words {
                    b.values().append_value(WORDS[w]);
                }
                b.append(!r.null);
            }
            Arc::new(b.finish())
        }
    }
}

/// The function of a table entry (`perc` with the case's percentile).
fn func(spec: &AggSpec, percent: f64) -> AggFunc {
    let numbered = spec.names().is_some_and(|n| n.numbered);
    let name = if numbered {
        format!("{}{percent}", spec.name)
    } else {
        spec.name.to_string()
    };
    AggFunc::resolve(&name, Span::new(0, 0), AggContext::Stats).unwrap()
}

/// Every aggregation the engine runs over groups (`sparkline` is bound by
/// its command with a plan).
fn functions(percent: f64) -> Vec<AggFunc> {
    aggregations()
        .filter(|s| s.runs() && !s.is_sparkline())
        .map(|s| func(s, percent))
        .collect()
}

/// Feeds rows `range` of the columns to `acc` (processing order: the row
/// index, as a scan numbers its rows).
fn feed(
    acc: &mut dyn GroupAcc,
    col: &ArrayRef,
    time: &Float64Array,
    groups: &[u32],
    range: std::ops::Range<usize>,
    rows_only: bool,
) {
    let len = range.len();
    let input_col = if rows_only {
        InputColumn::Rows
    } else {
        InputColumn::from_array(&col.slice(range.start, len)).unwrap()
    };
    let t = time.slice(range.start, len);
    let input = Input {
        col: &input_col,
        time: Some(&t),
        seq_base: range.start as u64,
    };
    let rg = RowGroups {
        rows: None,
        groups: groups[range].to_vec(),
    };
    acc.update(&input, &rg, GROUPS);
}

/// A partial through IPC bytes and back.
fn round_trip(f: AggFunc, acc: &mut dyn GroupAcc) -> Box<dyn GroupAcc> {
    let batch = write_partial(f, acc, GROUPS).unwrap();
    let back = from_ipc(&to_ipc(&batch).unwrap()).unwrap();
    assert_eq!(back, batch);
    read_partial(f, &back).unwrap()
}

fn results(acc: &mut dyn GroupAcc) -> String {
    format!("{:?}", acc.results(GROUPS))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn merged_partials_equal_one_pass(
        rows in proptest::collection::vec(row(), 0..140),
        kind in prop_oneof![Just(ColKind::Num), Just(ColKind::Str), Just(ColKind::Mv)],
        rows_only in proptest::bool::weighted(0.1),
        cuts in proptest::collection::vec(any::<Index>(), 0..5),
        picks in proptest::collection::vec((any::<Index>(), any::<Index>(), any::<bool>()), 8),
        half_percents in 0u8..=200,
    ) {
        let percent = f64::from(half_percents) / 2.0;
        let col = column(kind, &rows);
        let time = Float64Array::from_iter(rows.iter().map(|r| r.time.map(f64::from)));
        let groups: Vec<u32> = rows.iter().map(|r| r.group).collect();
        // contiguous partitions, as a scan splits its data
        let mut bounds: Vec<usize> = cuts.iter().map(|c| c.index(rows.len() + 1)).collect();
        bounds.push(0);
        bounds.push(rows.len());
        bounds.sort_unstable();
        bounds.dedup();
        for f in functions(percent) {
            let rows_only = rows_only && f.takes_rows();
            let mut one = new_group_acc(f);
            feed(one.as_mut(), &col, &time, &groups, 0..rows.len(), rows_only);
            let want = results(one.as_mut());
            let mut pool: Vec<Box<dyn GroupAcc>> = bounds
                .windows(2)
                .map(|w| {
                    let mut acc = new_group_acc(f);
                    feed(acc.as_mut(), &col, &time, &groups, w[0]..w[1], rows_only);
                    round_trip(f, acc.as_mut())
                })
                .collect();
            if pool.is_empty() {
                // no rows: one partition, empty
                pool.push(round_trip(f, new_group_acc(f).as_mut()));
            }
            let identity: Vec<u32> = (0..GROUPS as u32).collect();
            let mut step = 0;
            while pool.len() > 1 {
                let (a, b, again) = picks[step % picks.len()];
                step += 1;
                let i = a.index(pool.len());
                let mut j = b.index(pool.len() - 1);
                if j >= i {
                    j += 1;
                }
                let other = pool.remove(j);
                let i = if j < i { i - 1 } else { i };
                pool[i].merge(other.as_ref(), &identity).unwrap();
                if again {
                    pool[i] = round_trip(f, pool[i].as_mut());
                }
            }
            let mut merged = pool.pop().unwrap();
            prop_assert_eq!(results(merged.as_mut()), want, "{:?} over {:?}", f, bounds);
        }
    }
}

/// A partial is read only as its own function's.
#[test]
fn a_partial_is_read_as_its_function_only() {
    let perc = |p: f64| func(super::table::spec("perc").unwrap(), p);
    let mut acc = new_group_acc(perc(95.0));
    let batch = write_partial(perc(95.0), acc.as_mut(), 2).unwrap();
    assert_eq!(batch.num_rows(), 2);
    assert!(read_partial(perc(95.0), &batch).is_ok());
    assert!(read_partial(perc(90.0), &batch).is_err());
    let upper = AggFunc::resolve("upperperc95", Span::new(0, 0), AggContext::Stats).unwrap();
    assert!(read_partial(upper, &batch).is_err());
    // same columns, other function
    let sum = AggFunc::resolve("sum", Span::new(0, 0), AggContext::Stats).unwrap();
    let avg = AggFunc::resolve("avg", Span::new(0, 0), AggContext::Stats).unwrap();
    let mut s = new_group_acc(sum);
    let batch = write_partial(sum, s.as_mut(), 1).unwrap();
    assert!(read_partial(avg, &batch).is_err());
    // every function the engine runs writes a partial, even of no groups
    for f in functions(50.0) {
        let mut acc = new_group_acc(f);
        let batch = write_partial(f, acc.as_mut(), 0).unwrap();
        assert_eq!(batch.num_rows(), 0, "{f:?}");
        let mut back = read_partial(f, &from_ipc(&to_ipc(&batch).unwrap()).unwrap()).unwrap();
        assert!(back.results(0).is_empty());
    }
}
