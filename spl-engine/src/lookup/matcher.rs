//! The lookup kernel: which table rows match each event, and the output columns.
//!
//! Exact key columns are probed through a hash index built once per table and key
//! set; `WILDCARD`/`CIDR` columns are tested against precompiled per-row patterns,
//! memoised per distinct event key within a batch. Output columns are built with
//! `take` when every event matches at most one row, else with a list builder, and
//! merged into existing event fields with `zip`.

use super::columns::{build_text, set_column, unify, EventText};
use super::config::MatchKind;
use super::table::LookupTable;
use crate::error::{EngineError, Result};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, BooleanArray, RecordBatch, UInt32Array};
use arrow_schema::DataType;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// Keys of several columns are joined with this separator in the hash index.
const KEY_SEP: char = '\u{0}';
/// Bound on the key combinations tried for multivalue event keys.
const MAX_COMBOS: usize = 10_000;

/// Joined key text -> matching table rows, ascending.
type ExactIndex = HashMap<String, Vec<u32>>;

/// Per-table caches of hash indexes and compiled patterns.
#[derive(Default)]
pub(crate) struct IndexCache {
    exact: Mutex<HashMap<Vec<usize>, Arc<ExactIndex>>>,
    patterns: Mutex<HashMap<usize, Arc<Vec<Vec<Pattern>>>>>,
}

enum Pattern {
    Exact(String),
    /// A `WILDCARD(...)` key: escaped literals and `.*`, so Rust's `regex`
    /// (linear time) rather than PCRE ([`crate::pcre`] is for user regexes).
    Wildcard(regex::Regex),
    Cidr(IpAddr, u8),
    Never,
}

fn cell_values(arr: &ArrayRef, row: usize) -> Vec<&str> {
    if arr.is_null(row) {
        return Vec::new();
    }
    match arr.data_type() {
        DataType::Utf8 => vec![arr.as_string::<i32>().value(row)],
        DataType::List(_) => {
            let list = arr.as_list::<i32>();
            let values = list.values().as_string::<i32>();
            let offsets = list.value_offsets();
            let (Some(&start), Some(&end)) = (offsets.get(row), offsets.get(row + 1)) else {
                return Vec::new();
            };
            (start as usize..end as usize)
                .filter(|&i| values.is_valid(i))
                .map(|i| values.value(i))
                .collect()
        }
        _ => Vec::new(),
    }
}

fn norm(s: &str, case_sensitive: bool) -> String {
    if case_sensitive {
        s.to_string()
    } else {
        s.to_lowercase()
    }
}

/// Every combination of one value per key (bounded).
fn combos<'a>(keys: &[Vec<&'a str>]) -> Vec<Vec<&'a str>> {
    let mut out: Vec<Vec<&str>> = vec![Vec::new()];
    for values in keys {
        let mut next = Vec::new();
        for prefix in &out {
            for v in values {
                if next.len() >= MAX_COMBOS {
                    break;
                }
                let mut p = prefix.clone();
                p.push(*v);
                next.push(p);
            }
        }
        out = next;
    }
    out
}

fn join_key(values: &[&str], case_sensitive: bool) -> String {
    let mut k = String::new();
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            k.push(KEY_SEP);
        }
        k.push_str(&norm(v, case_sensitive));
    }
    k
}

impl LookupTable {
    fn exact_index(&self, cols: &[usize]) -> Result<Arc<ExactIndex>> {
        let mut cache = self
            .indexes
            .exact
            .lock()
            .map_err(|_| EngineError::Internal("lookup index lock poisoned".into()))?;
        if let Some(ix) = cache.get(cols) {
            return Ok(ix.clone());
        }
        let mut map: ExactIndex = HashMap::new();
        let arrays: Vec<&ArrayRef> = cols.iter().filter_map(|&c| self.data.get(c)).collect();
        for row in 0..self.rows {
            let keys: Vec<Vec<&str>> = arrays.iter().map(|a| cell_values(a, row)).collect();
            for combo in combos(&keys) {
                let entry = map
                    .entry(join_key(&combo, self.config.case_sensitive))
                    .or_default();
                if entry.last() != Some(&(row as u32)) {
                    entry.push(row as u32);
                }
            }
        }
        let ix = Arc::new(map);
        cache.insert(cols.to_vec(), ix.clone());
        Ok(ix)
    }

    fn patterns(&self, col: usize, kind: MatchKind) -> Result<Arc<Vec<Vec<Pattern>>>> {
        let mut cache = self
            .indexes
            .patterns
            .lock()
            .map_err(|_| EngineError::Internal("lookup pattern lock poisoned".into()))?;
        if let Some(p) = cache.get(&col) {
            return Ok(p.clone());
        }
        let arr = self
            .data
            .get(col)
            .ok_or_else(|| EngineError::Internal("lookup column out of range".into()))?;
        let cs = self.config.case_sensitive;
        let compiled: Vec<Vec<Pattern>> = (0..self.rows)
            .map(|row| {
                cell_values(arr, row)
                    .into_iter()
                    .map(|v| match kind {
                        MatchKind::Cidr => parse_cidr(v)
                            .map_or(Pattern::Never, |(ip, bits)| Pattern::Cidr(ip, bits)),
                        _ if v.contains('*') => {
                            wildcard_regex(v, cs).map_or(Pattern::Never, Pattern::Wildcard)
                        }
                        _ => Pattern::Exact(norm(v, cs)),
                    })
                    .collect()
            })
            .collect();
        let p = Arc::new(compiled);
        cache.insert(col, p.clone());
        Ok(p)
    }

    /// Applies the lookup to a batch of events.
    ///
    /// `inputs` pairs a table column with the event field holding its key;
    /// `outputs` pairs a table column with the event field to write (`None`: every
    /// non-input column, under its own name). `output_new` writes a field only on
    /// events where it is absent (OUTPUTNEW); otherwise matches overwrite (OUTPUT).
    /// Events with no match keep their fields unchanged unless `min_matches`
    /// pads them with `default_match`.
    pub fn apply(
        &self,
        batch: &RecordBatch,
        inputs: &[(String, String)],
        outputs: Option<&[(String, String)]>,
        output_new: bool,
    ) -> Result<RecordBatch> {
        let col_of = |name: &str| {
            self.columns.iter().position(|c| c == name).ok_or_else(|| {
                EngineError::data(
                    self.path
                        .as_ref()
                        .map_or(self.name.clone(), |p| p.display().to_string()),
                    None,
                    Some(name),
                    format!(
                        "expected a column `{name}` in lookup `{}`, found columns {}",
                        self.name,
                        self.columns.join(", ")
                    ),
                )
            })
        };
        if inputs.is_empty() {
            return Err(EngineError::Internal(
                "lookup applied without input fields".into(),
            ));
        }
        let in_cols = inputs
            .iter()
            .map(|(t, _)| col_of(t))
            .collect::<Result<Vec<_>>>()?;
        let out_pairs: Vec<(usize, String)> = match outputs {
            Some(o) => o
                .iter()
                .map(|(t, e)| Ok((col_of(t)?, e.clone())))
                .collect::<Result<_>>()?,
            None => (0..self.columns.len())
                .filter(|c| !in_cols.contains(c))
                .filter_map(|c| Some((c, self.columns.get(c)?.clone())))
                .collect(),
        };
        let matches = self.match_rows(batch, inputs, &in_cols)?;
        let mut out = batch.clone();
        for (tcol, event_field) in out_pairs {
            out = self.write_output(&out, batch, &matches, tcol, &event_field, output_new)?;
        }
        Ok(out)
    }

    /// For each event: the matching table rows, or `None` when the lookup does not
    /// run for it (an input field is absent).
    fn match_rows(
        &self,
        batch: &RecordBatch,
        inputs: &[(String, String)],
        in_cols: &[usize],
    ) -> Result<Vec<Option<Vec<u32>>>> {
        let texts = inputs
            .iter()
            .map(|(_, e)| batch.column_by_name(e).map(EventText::new).transpose())
            .collect::<Result<Vec<_>>>()?;
        let kinds: Vec<MatchKind> = inputs
            .iter()
            .map(|(t, _)| self.config.match_kind(t))
            .collect();
        let exact_pos: Vec<usize> = (0..inputs.len())
            .filter(|&i| kinds.get(i) == Some(&MatchKind::Exact))
            .collect();
        let exact_cols: Vec<usize> = exact_pos
            .iter()
            .filter_map(|&i| in_cols.get(i).copied())
            .collect();
        let index = if exact_cols.is_empty() {
            None
        } else {
            Some(self.exact_index(&exact_cols)?)
        };
        let patterns = (0..inputs.len())
            .filter(|&i| kinds.get(i) != Some(&MatchKind::Exact))
            .map(|i| {
                let col = in_cols.get(i).copied().unwrap_or_default();
                Ok((
                    i,
                    self.patterns(col, kinds.get(i).copied().unwrap_or(MatchKind::Exact))?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        let cs = self.config.case_sensitive;
        let max = self.config.max_matches.max(1);
        let mut memo: HashMap<String, Vec<u32>> = HashMap::new();
        let mut out = Vec::with_capacity(batch.num_rows());
        for row in 0..batch.num_rows() {
            let keys: Vec<Vec<&str>> = texts
                .iter()
                .map(|t| t.as_ref().map_or(Vec::new(), |t| t.values(row)))
                .collect();
            if keys.iter().any(Vec::is_empty) {
                out.push(None);
                continue;
            }
            let exact_keys: Vec<Vec<&str>> = exact_pos
                .iter()
                .filter_map(|&i| keys.get(i).cloned())
                .collect();
            let mut rows: Vec<u32> = match &index {
                Some(ix) => {
                    let cs_combos = combos(&exact_keys);
                    if let [only] = cs_combos.as_slice() {
                        ix.get(&join_key(only, cs)).cloned().unwrap_or_default()
                    } else {
                        let mut r: Vec<u32> = cs_combos
                            .iter()
                            .filter_map(|c| ix.get(&join_key(c, cs)))
                            .flatten()
                            .copied()
                            .collect();
                        r.sort_unstable();
                        r.dedup();
                        r
                    }
                }
                None => Vec::new(),
            };
            if !patterns.is_empty() {
                let memo_key = keys
                    .iter()
                    .map(|k| k.join("\u{1}"))
                    .collect::<Vec<_>>()
                    .join("\u{2}");
                if let Some(hit) = memo.get(&memo_key) {
                    out.push(Some(hit.clone()));
                    continue;
                }
                let candidates: Vec<u32> = if index.is_some() {
                    rows
                } else {
                    (0..self.rows as u32).collect()
                };
                rows = candidates
                    .into_iter()
                    .filter(|&r| {
                        patterns.iter().all(|(i, pats)| {
                            let values = keys.get(*i).map(Vec::as_slice).unwrap_or_default();
                            pats.get(r as usize).is_some_and(|cell| {
                                cell.iter().any(|p| values.iter().any(|v| p.matches(v, cs)))
                            })
                        })
                    })
                    .collect();
                rows.truncate(max);
                memo.insert(memo_key, rows.clone());
            }
            rows.truncate(max);
            out.push(Some(rows));
        }
        Ok(out)
    }

    fn write_output(
        &self,
        current: &RecordBatch,
        original: &RecordBatch,
        matches: &[Option<Vec<u32>>],
        tcol: usize,
        event_field: &str,
        output_new: bool,
    ) -> Result<RecordBatch> {
        let table_col = self
            .data
            .get(tcol)
            .ok_or_else(|| EngineError::Internal("lookup column out of range".into()))?;
        let existing = original.column_by_name(event_field);
        let min = self.config.min_matches;
        let n = original.num_rows();
        let mut write = Vec::with_capacity(n);
        for (row, m) in matches.iter().enumerate() {
            let runs = m.as_ref().is_some_and(|rows| !rows.is_empty() || min > 0);
            let allowed = !output_new || existing.is_none_or(|e| e.is_null(row));
            write.push(runs && allowed);
        }
        if !write.iter().any(|&w| w) {
            return Ok(current.clone());
        }
        let single = matches.iter().zip(&write).all(|(m, &w)| {
            !w || m
                .as_ref()
                .is_some_and(|r| r.len() <= 1 && (r.len() == 1 || min == 0))
        });
        let new: ArrayRef = if single && table_col.data_type() == &DataType::Utf8 {
            let idx: UInt32Array = matches
                .iter()
                .zip(&write)
                .map(|(m, &w)| {
                    if w {
                        m.as_ref().and_then(|r| r.first().copied())
                    } else {
                        None
                    }
                })
                .collect();
            arrow_select::take::take(table_col.as_ref(), &idx, None)?
        } else {
            let per_row: Vec<Option<Vec<&str>>> = matches
                .iter()
                .zip(&write)
                .map(|(m, &w)| {
                    if !w {
                        return None;
                    }
                    let rows = m.as_deref().unwrap_or_default();
                    let mut vals: Vec<&str> = rows
                        .iter()
                        .flat_map(|&r| cell_values(table_col, r as usize))
                        .collect();
                    for _ in rows.len()..min {
                        vals.push(self.config.default_match.as_str());
                    }
                    Some(vals)
                })
                .collect();
            build_text(&per_row)
        };
        let mask = BooleanArray::from(write);
        let merged = match existing {
            None => new,
            Some(old) => {
                let (new, old) = unify(new, old.clone())?;
                arrow_select::zip::zip(&mask, &new, &old)?
            }
        };
        set_column(current, event_field, merged)
    }
}

impl Pattern {
    fn matches(&self, v: &str, case_sensitive: bool) -> bool {
        match self {
            Pattern::Exact(p) => {
                if case_sensitive {
                    p == v
                } else {
                    *p == v.to_lowercase()
                }
            }
            Pattern::Wildcard(re) => re.is_match(v),
            Pattern::Cidr(net, bits) => v
                .trim()
                .parse::<IpAddr>()
                .is_ok_and(|ip| cidr_contains(*net, *bits, ip)),
            Pattern::Never => false,
        }
    }
}

fn wildcard_regex(pattern: &str, case_sensitive: bool) -> Option<regex::Regex> {
    let body = pattern
        .split('*')
        .map(regex::escape)
        .collect::<Vec<_>>()
        .join(".*");
    regex::RegexBuilder::new(&format!("^{body}$"))
        .case_insensitive(!case_sensitive)
        .dot_matches_new_line(true)
        .build()
        .ok()
}

/// `10.0.0.0/8`, `2001:db8::/32`, or a single address.
pub(crate) fn parse_cidr(s: &str) -> Option<(IpAddr, u8)> {
    let s = s.trim();
    let (addr, bits) = match s.split_once('/') {
        Some((a, b)) => (
            a.parse::<IpAddr>().ok()?,
            Some(b.trim().parse::<u8>().ok()?),
        ),
        None => (s.parse::<IpAddr>().ok()?, None),
    };
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let bits = bits.unwrap_or(max);
    (bits <= max).then_some((addr, bits))
}

pub(crate) fn cidr_contains(net: IpAddr, bits: u8, ip: IpAddr) -> bool {
    match (net, ip) {
        (IpAddr::V4(n), IpAddr::V4(i)) => {
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - u32::from(bits))
            };
            (u32::from(n) & mask) == (u32::from(i) & mask)
        }
        (IpAddr::V6(n), IpAddr::V6(i)) => {
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - u32::from(bits))
            };
            (u128::from(n) & mask) == (u128::from(i) & mask)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_parsing_and_containment() {
        let (n, b) = parse_cidr("10.0.0.0/8").unwrap();
        assert!(cidr_contains(n, b, "10.200.1.1".parse().unwrap()));
        assert!(!cidr_contains(n, b, "11.0.0.1".parse().unwrap()));
        let (n, b) = parse_cidr("2001:db8::/32").unwrap();
        assert!(cidr_contains(n, b, "2001:db8:1::5".parse().unwrap()));
        assert!(!cidr_contains(n, b, "10.0.0.1".parse().unwrap()));
        assert_eq!(parse_cidr("1.2.3.4").unwrap().1, 32);
        assert!(parse_cidr("1.2.3.4/33").is_none());
        assert!(parse_cidr("nope/8").is_none());
        let (n, b) = parse_cidr("0.0.0.0/0").unwrap();
        assert!(cidr_contains(n, b, "8.8.8.8".parse().unwrap()));
    }
}
