//! BY-clause grouping shared by `stats`, `eventstats` and `streamstats`.
//!
//! Each BY field's values are interned to small ids (by string form, so `1`
//! and `1.0` are different groups but a number and its display string are
//! the same; 5.2); a row's group is the tuple of its ids. Rows with a null BY
//! value join no group; multivalue BY values give one group per value (cross
//! product, duplicates kept unless `dedup_splitvals=true`).

use crate::aggregate::grouped::{InputColumn, RowGroups};
use crate::aggregate::hash::FxHashMap;
use crate::aggregate::keytable::KeyTable;
use crate::aggregate::value::{fmt_num, parse_num};
use crate::error::Result;
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch};
use std::cmp::Ordering;
use std::sync::Arc;

/// An interned BY value, as first seen.
#[derive(Debug, Clone)]
pub(crate) enum KeyVal {
    Num(f64),
    Str(String),
}

impl KeyVal {
    fn text(&self) -> String {
        match self {
            KeyVal::Num(x) => fmt_num(*x),
            KeyVal::Str(s) => s.clone(),
        }
    }
    fn number(&self) -> Option<f64> {
        match self {
            KeyVal::Num(x) => Some(*x),
            KeyVal::Str(s) => parse_num(s),
        }
    }
}

/// Output order of BY values: numbers (numeric-looking strings too) first,
/// numerically; then strings in byte order (UNK 14.4, see compat notes).
pub(crate) fn cmp_keys(a: &KeyVal, b: &KeyVal) -> Ordering {
    cmp_with_numbers(a, a.number(), b, b.number())
}

/// [`cmp_keys`] with each value's number (`KeyVal::number`) given, so
/// that a sort parses each value once, not at every comparison.
fn cmp_with_numbers(a: &KeyVal, an: Option<f64>, b: &KeyVal, bn: Option<f64>) -> Ordering {
    match (an, bn) {
        (Some(x), Some(y)) => x.total_cmp(&y).then_with(|| a.text().cmp(&b.text())),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => match (a, b) {
            (KeyVal::Str(x), KeyVal::Str(y)) => x.as_bytes().cmp(y.as_bytes()),
            _ => a.text().cmp(&b.text()),
        },
    }
}

/// A key of [`Interner::by_text`]: text of up to 22 bytes is held in the
/// table's own slot, so that finding an id (process ids, host names) reads
/// no other memory; a lookup per row of a plain string column otherwise
/// costs a cache miss on the key's heap bytes to compare them.
#[derive(Clone)]
enum TextKey {
    Inline(u8, [u8; 22]),
    Heap(Box<str>),
}

impl TextKey {
    fn new(s: &str) -> Self {
        let b = s.as_bytes();
        if b.len() <= 22 {
            let mut a = [0u8; 22];
            a[..b.len()].copy_from_slice(b);
            TextKey::Inline(b.len() as u8, a)
        } else {
            TextKey::Heap(s.into())
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // built from a `&str` whole: always UTF-8
            TextKey::Inline(n, a) => std::str::from_utf8(&a[..*n as usize]).unwrap_or_default(),
            TextKey::Heap(s) => s,
        }
    }
}

impl std::borrow::Borrow<str> for TextKey {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for TextKey {
    fn eq(&self, o: &Self) -> bool {
        self.as_str() == o.as_str()
    }
}

impl Eq for TextKey {}

impl std::hash::Hash for TextKey {
    // as `str` hashes, so that a `&str` finds its key
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.as_str().hash(h)
    }
}

/// Value -> id for one BY field.
#[derive(Default)]
struct Interner {
    by_text: FxHashMap<TextKey, u32>,
    by_bits: FxHashMap<u64, u32>,
    values: Vec<KeyVal>,
    /// The last dictionary seen (kept alive, so its address is not reused)
    /// and the id of each of its entries (`UNSEEN` until a row uses it):
    /// Parquet hands every batch of a column chunk the same dictionary, so
    /// its entries are interned once per chunk, and only those rows use.
    dict: Option<(ArrayRef, Vec<u32>)>,
    /// The scan unit being grouped ([`GroupTable::set_unit`]) and, per
    /// value, the unit it was first seen in: merging tables grouped by
    /// workers keeps the form (`1` number or `"1"` text) seen first in
    /// unit order, as one table fed the units in order would.
    unit: u32,
    first_unit: Vec<u32>,
    /// Estimated bytes of the interned values (for the memory budget).
    bytes: usize,
}

/// Estimated overhead of one interned value (its `KeyVal`, map entries).
const INTERNED_OVERHEAD: usize = 96;

/// A dictionary entry not interned yet ([`Interner::dict`]).
const UNSEEN: u32 = u32::MAX;
/// A dictionary entry that is null (or not text nor number): no group.
const NULL_ENTRY: u32 = u32::MAX - 1;

impl Interner {
    fn str_id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.by_text.get(s) {
            return id;
        }
        let id = self.values.len() as u32;
        self.values.push(KeyVal::Str(s.to_string()));
        self.first_unit.push(self.unit);
        self.by_text.insert(TextKey::new(s), id);
        self.bytes += 2 * s.len() + INTERNED_OVERHEAD;
        id
    }

    /// The id of a value as another interner holds it, first seen in
    /// unit `unit` there.
    fn merge_value(&mut self, v: &KeyVal, unit: u32) -> u32 {
        let id = match v {
            KeyVal::Num(x) => self.num_id(*x),
            KeyVal::Str(s) => self.str_id(s),
        };
        if let (Some(first), Some(mine)) = (
            self.first_unit.get_mut(id as usize),
            self.values.get_mut(id as usize),
        ) {
            if unit < *first {
                *first = unit;
                *mine = v.clone();
            }
        }
        id
    }

    fn num_id(&mut self, x: f64) -> u32 {
        let x = if x == 0.0 { 0.0 } else { x };
        if let Some(&id) = self.by_bits.get(&x.to_bits()) {
            return id;
        }
        let text = fmt_num(x);
        let id = match self.by_text.get(text.as_str()) {
            Some(&id) => id,
            None => {
                let id = self.values.len() as u32;
                self.bytes += text.len() + INTERNED_OVERHEAD;
                self.values.push(KeyVal::Num(x));
                self.first_unit.push(self.unit);
                self.by_text.insert(TextKey::new(&text), id);
                id
            }
        };
        self.by_bits.insert(x.to_bits(), id);
        id
    }
}

/// Ids of one BY field for each batch row: one id, or several (multivalue).
enum FieldIds {
    Single(Vec<Option<u32>>),
    Multi(Vec<Vec<u32>>),
}

/// The group table of one command instance.
pub(crate) struct GroupTable {
    fields: Vec<String>,
    dedup_splitvals: bool,
    interners: Vec<Interner>,
    /// Group number of each id tuple.
    table: KeyTable,
}

impl GroupTable {
    /// A table for these BY fields; without fields there is exactly one group.
    pub(crate) fn new(fields: Vec<String>, dedup_splitvals: bool) -> Self {
        let n = fields.len();
        let mut table = KeyTable::new(n);
        if n == 0 {
            table.find_or_insert(&[]);
        }
        GroupTable {
            interners: (0..n).map(|_| Interner::default()).collect(),
            fields,
            dedup_splitvals,
            table,
        }
    }

    /// Estimated bytes of the table: interned BY values and group keys
    /// (for the memory budget, `blocking_max_mem_mb`).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.interners
            .iter()
            .map(|i| i.bytes + i.by_bits.len() * 16)
            .fold(self.table.heap_bytes(), usize::saturating_add)
    }

    /// Number of groups so far.
    pub(crate) fn n_groups(&self) -> usize {
        self.table.len()
    }

    /// The scan unit (partition number) the next batches come from, for
    /// [`GroupTable::merge`]; units must come in increasing order.
    pub(crate) fn set_unit(&mut self, unit: u32) {
        for int in &mut self.interners {
            int.unit = unit;
        }
    }

    /// Adds the groups of `other` (same BY fields), fed other units than
    /// this table; returns this table's group of each of `other`'s groups.
    /// Groups and their values are the same as if one table had been fed
    /// every unit in order; only group numbers differ, which the output
    /// order ([`GroupTable::sorted_groups`]) does not depend on.
    pub(crate) fn merge(&mut self, other: &GroupTable) -> Vec<u32> {
        let ids: Vec<Vec<u32>> = self
            .interners
            .iter_mut()
            .zip(&other.interners)
            .map(|(mine, theirs)| {
                theirs
                    .values
                    .iter()
                    .zip(&theirs.first_unit)
                    .map(|(v, &u)| mine.merge_value(v, u))
                    .collect()
            })
            .collect();
        let mut key = vec![0u64; self.fields.len()];
        (0..other.n_groups())
            .map(|g| {
                for ((k, &id), map) in key.iter_mut().zip(other.table.key(g)).zip(&ids) {
                    *k = u64::from(map.get(id as usize).copied().unwrap_or(u32::MAX));
                }
                self.table.find_or_insert(&key)
            })
            .collect()
    }

    /// Maps the batch's rows to groups, creating groups as needed.
    pub(crate) fn assign(&mut self, batch: &RecordBatch) -> Result<RowGroups> {
        let n = batch.num_rows();
        if self.fields.is_empty() {
            return Ok(RowGroups {
                rows: None,
                groups: vec![0; n],
            });
        }
        let mut per_field = Vec::with_capacity(self.fields.len());
        for i in 0..self.fields.len() {
            let Some(col) = self.fields.get(i).and_then(|f| batch.column_by_name(f)) else {
                // a missing BY field is null on every row: no row has a group
                return Ok(RowGroups {
                    rows: Some(Vec::new()),
                    groups: Vec::new(),
                });
            };
            per_field.push(self.intern_column(i, col, n)?);
        }
        let all_single = per_field.iter().all(|f| matches!(f, FieldIds::Single(_)));
        let k = self.fields.len();
        let mut buf = vec![0u64; k];
        if all_single {
            let mut groups = Vec::with_capacity(n);
            for row in 0..n {
                let mut ok = true;
                for (j, f) in per_field.iter().enumerate() {
                    match f {
                        FieldIds::Single(ids) => match ids.get(row).copied().flatten() {
                            Some(id) => buf[j] = u64::from(id),
                            None => ok = false,
                        },
                        FieldIds::Multi(_) => ok = false,
                    }
                }
                groups.push(if ok {
                    self.group_of(&buf)
                } else {
                    crate::aggregate::grouped::NO_GROUP
                });
            }
            return Ok(RowGroups { rows: None, groups });
        }
        let mut rows = Vec::with_capacity(n);
        let mut groups = Vec::with_capacity(n);
        let mut singles = vec![[0u32; 1]; k];
        for row in 0..n {
            let mut empty = false;
            for (j, f) in per_field.iter().enumerate() {
                if let FieldIds::Single(ids) = f {
                    match ids.get(row).copied().flatten() {
                        Some(id) => singles[j] = [id],
                        None => empty = true,
                    }
                }
            }
            if empty {
                continue;
            }
            let choices: Vec<&[u32]> = per_field
                .iter()
                .zip(&singles)
                .map(|(f, s)| match f {
                    FieldIds::Single(_) => s.as_slice(),
                    FieldIds::Multi(ids) => ids.get(row).map_or(&[][..], Vec::as_slice),
                })
                .collect();
            // cross product, last field varying fastest
            let total: usize = choices.iter().map(|c| c.len()).product();
            for combo in 0..total {
                let mut rest = combo;
                for j in (0..k).rev() {
                    let c = choices[j];
                    buf[j] = u64::from(c[rest % c.len()]);
                    rest /= c.len();
                }
                rows.push(row as u32);
                groups.push(self.group_of(&buf));
            }
        }
        Ok(RowGroups {
            rows: Some(rows),
            groups,
        })
    }

    fn group_of(&mut self, key: &[u64]) -> u32 {
        self.table.find_or_insert(key)
    }

    fn intern_column(&mut self, field: usize, col: &ArrayRef, n: usize) -> Result<FieldIds> {
        let Some(int) = self.interners.get_mut(field) else {
            return Ok(FieldIds::Single(vec![None; n]));
        };
        if let Some(dict) = col.as_any_dictionary_opt() {
            // each dictionary entry is interned once, when a row first uses it
            let values = dict.values();
            if !int
                .dict
                .as_ref()
                .is_some_and(|(v, _)| Arc::ptr_eq(v, values))
            {
                int.dict = Some((values.clone(), vec![UNSEEN; values.len()]));
            }
            let entries = match InputColumn::from_array(values)? {
                c @ (InputColumn::Str(_) | InputColumn::Num(_)) => c,
                _ => return Ok(FieldIds::Single(vec![None; n])),
            };
            let keys = dict.normalized_keys();
            let mut out = Vec::with_capacity(n);
            for (r, &k) in keys.iter().enumerate().take(n) {
                if col.is_null(r) {
                    out.push(None);
                    continue;
                }
                let cached = int
                    .dict
                    .as_ref()
                    .and_then(|(_, ids)| ids.get(k).copied())
                    .unwrap_or(NULL_ENTRY);
                let id = if cached != UNSEEN {
                    cached
                } else {
                    let id = match &entries {
                        InputColumn::Str(s) if s.is_valid(k) => int.str_id(s.value(k)),
                        InputColumn::Num(a) if a.is_valid(k) => int.num_id(a.value(k)),
                        _ => NULL_ENTRY,
                    };
                    if let Some(slot) = int.dict.as_mut().and_then(|(_, ids)| ids.get_mut(k)) {
                        *slot = id;
                    }
                    id
                };
                out.push((id != NULL_ENTRY).then_some(id));
            }
            out.resize(n, None);
            return Ok(FieldIds::Single(out));
        }
        Ok(match InputColumn::from_array(col)? {
            InputColumn::Str(s) => {
                FieldIds::Single(s.iter().map(|v| v.map(|v| int.str_id(v))).collect())
            }
            InputColumn::Num(a) => {
                FieldIds::Single(a.iter().map(|v| v.map(|v| int.num_id(v))).collect())
            }
            InputColumn::List(l, vals) => {
                let offsets = l.value_offsets();
                let mut out = Vec::with_capacity(n);
                for r in 0..n.min(l.len()) {
                    let mut ids = Vec::new();
                    if l.is_valid(r) {
                        for j in offsets[r] as usize..(offsets[r + 1] as usize).min(vals.len()) {
                            if vals.is_valid(j) {
                                let id = int.str_id(vals.value(j));
                                if !(self.dedup_splitvals && ids.contains(&id)) {
                                    ids.push(id);
                                }
                            }
                        }
                    }
                    out.push(ids);
                }
                FieldIds::Multi(out)
            }
            InputColumn::Missing | InputColumn::Rows => FieldIds::Single(vec![None; n]),
        })
    }

    fn key(&self, g: usize, field: usize) -> Option<&KeyVal> {
        let id = *self.table.key(g).get(field)?;
        self.interners.get(field)?.values.get(id as usize)
    }

    /// Group ids in output order: ascending by the BY values in field order.
    ///
    /// Each field's distinct values are ranked once ([`cmp_keys`] is a total
    /// order on them: interned values differ in text), so sorting the groups
    /// compares small integers, not values parsed again at every comparison.
    pub(crate) fn sorted_groups(&self) -> Vec<u32> {
        let n = self.n_groups();
        let k = self.fields.len();
        let mut order: Vec<u32> = (0..n as u32).collect();
        if k == 0 || n < 2 {
            return order;
        }
        let ranks: Vec<Vec<u32>> = self
            .interners
            .iter()
            .map(|int| {
                let nums: Vec<Option<f64>> = int.values.iter().map(KeyVal::number).collect();
                let mut ids: Vec<u32> = (0..int.values.len() as u32).collect();
                ids.sort_unstable_by(|&a, &b| {
                    let (a, b) = (a as usize, b as usize);
                    cmp_with_numbers(&int.values[a], nums[a], &int.values[b], nums[b])
                });
                let mut rank = vec![0u32; ids.len()];
                for (r, &id) in ids.iter().enumerate() {
                    rank[id as usize] = r as u32;
                }
                rank
            })
            .collect();
        // the groups' rank tuples, one row of `k` per group
        let mut keys = vec![0u32; n * k];
        for g in 0..n {
            for (f, (&id, rank)) in self.table.key(g).iter().zip(&ranks).enumerate() {
                keys[g * k + f] = rank.get(id as usize).copied().unwrap_or(u32::MAX);
            }
        }
        // distinct groups have distinct tuples: an unstable sort is exact
        order.sort_unstable_by(|&a, &b| {
            let (a, b) = (a as usize * k, b as usize * k);
            keys[a..a + k].cmp(&keys[b..b + k])
        });
        order
    }

    /// The BY columns for the given groups: Float64 when every value of the
    /// field was a number, else Utf8.
    pub(crate) fn key_columns(&self, groups: &[u32]) -> Vec<(String, ArrayRef)> {
        let mut out = Vec::with_capacity(self.fields.len());
        for (f, name) in self.fields.iter().enumerate() {
            let vals: Vec<Option<&KeyVal>> =
                groups.iter().map(|&g| self.key(g as usize, f)).collect();
            let all_num = vals.iter().flatten().all(|v| matches!(v, KeyVal::Num(_)));
            let arr: ArrayRef = if all_num {
                Arc::new(
                    vals.iter()
                        .map(|v| match v {
                            Some(KeyVal::Num(x)) => Some(*x),
                            _ => None,
                        })
                        .collect::<Float64Array>(),
                )
            } else {
                // numbers among text print in display form; text is copied
                // straight into the array (no String per row)
                let mut b = arrow_array::builder::StringBuilder::with_capacity(groups.len(), 0);
                for v in &vals {
                    match v {
                        Some(KeyVal::Str(s)) => b.append_value(s),
                        Some(KeyVal::Num(x)) => b.append_value(fmt_num(*x)),
                        None => b.append_null(),
                    }
                }
                Arc::new(b.finish())
            };
            out.push((name.clone(), arr));
        }
        out
    }
}

/// Reads a `_time` column as Float64 (numeric strings parsed; others null).
/// A multivalue `_time` (made by `eval` or `makemv`) counts as its first
/// value, as Splunk's event time is one number (compat-notes/agg.md).
pub(crate) fn time_column(batch: &RecordBatch) -> Result<Option<Float64Array>> {
    let Some(col) = batch.column_by_name("_time") else {
        return Ok(None);
    };
    if matches!(
        col.data_type(),
        arrow_schema::DataType::List(_) | arrow_schema::DataType::LargeList(_)
    ) {
        let mut out = Vec::with_capacity(col.len());
        for row in 0..col.len() {
            let first = crate::batch::values_at(col, row)?
                .and_then(|v| v.into_iter().next())
                .and_then(|v| crate::value::parse_number(v.trim()));
            out.push(first);
        }
        return Ok(Some(Float64Array::from(out)));
    }
    let c = arrow_cast::cast(col, &arrow_schema::DataType::Float64)?;
    Ok(Some(c.as_primitive().clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::builder::{ListBuilder, StringBuilder};
    use arrow_array::StringArray;
    use arrow_schema::{DataType, Field, Schema};

    /// Text kept inline (up to 22 bytes) and on the heap is found by its
    /// `&str`, on both sides of the boundary, multi-byte text included.
    #[test]
    fn text_keys_are_found_by_their_text() {
        let mut int = Interner::default();
        let texts = [
            "",
            "12558",
            "0123456789012345678901",  // 22 bytes: inline
            "01234567890123456789012", // 23: heap
            "héllo wörld ünïcode ßß",
            "cmdline 4358 with a long tail of text",
        ];
        let ids: Vec<u32> = texts.iter().map(|t| int.str_id(t)).collect();
        assert_eq!(ids, [0, 1, 2, 3, 4, 5]);
        for (t, id) in texts.iter().zip(&ids) {
            assert_eq!(int.str_id(t), *id, "{t}");
            assert_eq!(TextKey::new(t).as_str(), *t);
        }
        // a number and its display text are one value
        assert_eq!(int.num_id(12558.0), 1);
        assert_eq!(int.str_id("012345678901234567890"), 6);
    }

    fn batch(cols: Vec<(&str, ArrayRef)>) -> RecordBatch {
        let schema = Schema::new(
            cols.iter()
                .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
                .collect::<Vec<_>>(),
        );
        RecordBatch::try_new(Arc::new(schema), cols.into_iter().map(|(_, a)| a).collect()).unwrap()
    }

    #[test]
    fn null_by_rows_are_dropped_and_numbers_unify_with_text() {
        let a: ArrayRef = Arc::new(StringArray::from(vec![
            Some("x"),
            None,
            Some("1"),
            Some("1.0"),
        ]));
        let mut t = GroupTable::new(vec!["a".into()], false);
        let rg = t.assign(&batch(vec![("a", a)])).unwrap();
        assert_eq!(
            rg.groups,
            vec![0, crate::aggregate::grouped::NO_GROUP, 1, 2]
        );
        let b: ArrayRef = Arc::new(Float64Array::from(vec![1.0]));
        let rg = t.assign(&batch(vec![("a", b)])).unwrap();
        assert_eq!(rg.groups, vec![1]);
    }

    #[test]
    fn multivalue_by_cross_product() {
        let mut lb = ListBuilder::new(StringBuilder::new());
        lb.values().append_value("p");
        lb.values().append_value("q");
        lb.values().append_value("p");
        lb.append(true);
        let mv: ArrayRef = Arc::new(lb.finish());
        let s: ArrayRef = Arc::new(StringArray::from(vec!["z"]));
        let b = batch(vec![("m", mv), ("s", s)]);
        let mut t = GroupTable::new(vec!["s".into(), "m".into()], false);
        let rg = t.assign(&b).unwrap();
        assert_eq!(rg.rows, Some(vec![0, 0, 0]));
        assert_eq!(rg.groups, vec![0, 1, 0]);
        let mut t = GroupTable::new(vec!["s".into(), "m".into()], true);
        assert_eq!(t.assign(&b).unwrap().groups, vec![0, 1]);
    }

    #[test]
    fn dictionary_by_columns() {
        let d: arrow_array::DictionaryArray<arrow_array::types::Int32Type> =
            vec![Some("b"), Some("a"), None, Some("b")]
                .into_iter()
                .collect();
        let d: ArrayRef = Arc::new(d);
        assert!(matches!(d.data_type(), DataType::Dictionary(..)));
        let mut t = GroupTable::new(vec!["d".into()], false);
        let rg = t.assign(&batch(vec![("d", d)])).unwrap();
        assert_eq!(
            rg.groups,
            vec![0, 1, crate::aggregate::grouped::NO_GROUP, 0]
        );
        let order = t.sorted_groups();
        assert_eq!(order, vec![1, 0]);
    }

    /// Batches of one Parquet column chunk share a dictionary: its entries
    /// are interned when first used and the ids reused; a new dictionary
    /// with the same texts elsewhere gives the same groups; null keys and
    /// null entries are in no group.
    #[test]
    fn shared_dictionaries_are_interned_once() {
        use crate::aggregate::grouped::NO_GROUP;
        use arrow_array::types::Int32Type;
        use arrow_array::{DictionaryArray, Int32Array};
        let values: ArrayRef = Arc::new(StringArray::from(vec![
            Some("x"),
            None,
            Some("10"),
            Some("9"),
        ]));
        let dict = |keys: Vec<Option<i32>>, values: &ArrayRef| -> ArrayRef {
            Arc::new(
                DictionaryArray::<Int32Type>::try_new(Int32Array::from(keys), values.clone())
                    .unwrap(),
            )
        };
        let mut t = GroupTable::new(vec!["d".into()], false);
        let d1 = dict(vec![Some(0), Some(1), None, Some(2)], &values);
        assert_eq!(
            t.assign(&batch(vec![("d", d1)])).unwrap().groups,
            vec![0, NO_GROUP, NO_GROUP, 1]
        );
        let d2 = dict(vec![Some(3), Some(0), Some(2)], &values);
        assert_eq!(
            t.assign(&batch(vec![("d", d2)])).unwrap().groups,
            vec![2, 0, 1]
        );
        let other: ArrayRef = Arc::new(StringArray::from(vec!["9", "x", "y"]));
        let d3 = dict(vec![Some(1), Some(0), Some(2)], &other);
        assert_eq!(
            t.assign(&batch(vec![("d", d3)])).unwrap().groups,
            vec![0, 2, 3]
        );
        // numbers first, numerically: 9, 10; then text
        let order = t.sorted_groups();
        let keys = t.key_columns(&order);
        let texts: Vec<&str> = keys[0].1.as_string::<i32>().iter().flatten().collect();
        assert_eq!(texts, ["9", "10", "x", "y"]);
    }

    /// The ranked sort gives the order of comparing the values themselves
    /// ([`cmp_keys`] field by field), numbers and texts mixed.
    #[test]
    fn sorted_groups_match_comparing_values() {
        let words = ["10", "9", "1.0", "1", "B", "a", "-1", "1e1", "", "b"];
        let nums = [1.0, 9.0, -0.5, 10.0, 100.0];
        let mut t = GroupTable::new(vec!["s".into(), "n".into()], false);
        for round in 0..3 {
            let s: Vec<&str> = (0..40)
                .map(|i| words[(i * 7 + round) % words.len()])
                .collect();
            let n: Vec<f64> = (0..40)
                .map(|i| nums[(i * 3 + round) % nums.len()])
                .collect();
            let b = batch(vec![
                ("s", Arc::new(StringArray::from(s)) as ArrayRef),
                ("n", Arc::new(Float64Array::from(n)) as ArrayRef),
            ]);
            t.assign(&b).unwrap();
        }
        let mut want: Vec<u32> = (0..t.n_groups() as u32).collect();
        want.sort_by(|&a, &b| {
            (0..2)
                .map(|f| cmp_keys(t.key(a as usize, f).unwrap(), t.key(b as usize, f).unwrap()))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        });
        assert!(t.n_groups() > 20);
        assert_eq!(t.sorted_groups(), want);
    }

    #[test]
    fn key_order_numbers_first_then_bytes() {
        let mut v = [
            KeyVal::Str("b".into()),
            KeyVal::Str("10".into()),
            KeyVal::Str("B".into()),
            KeyVal::Num(9.0),
            KeyVal::Str("a".into()),
        ];
        v.sort_by(cmp_keys);
        let texts: Vec<String> = v.iter().map(KeyVal::text).collect();
        assert_eq!(texts, vec!["9", "10", "B", "a", "b"]);
    }
}
