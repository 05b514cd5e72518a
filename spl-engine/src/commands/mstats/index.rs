//! Cell lookup for mstats: (time bucket, dimension ids, metric) -> dense
//! cell number, and (time bucket, dimension ids) -> dense output row.
//!
//! Lookups go through one small table per time bucket. Metric exports are
//! written in time order, so the tables in use stay in the CPU cache even
//! when the whole result has millions of cells (`span=10s` over a month);
//! a single global hash table would miss the cache on every point. Row and
//! cell keys are kept once, in insertion order, for the output.

use crate::aggregate::hash::FxHashMap;
use crate::aggregate::keytable::KeyTable;

/// The lookup tables of one time bucket.
struct BucketTables {
    /// Dimension ids -> local row; `row_ids[local]` is the global row.
    rows: KeyTable,
    row_ids: Vec<u32>,
    /// `local_row << 32 | metric` -> local cell; `cell_ids[local]` is global.
    cells: KeyTable,
    cell_ids: Vec<u32>,
}

/// Dense numbering of output rows and cells.
pub(super) struct CellIndex {
    dims: usize,
    buckets: FxHashMap<u64, u32>,
    tables: Vec<BucketTables>,
    last: Option<(u64, u32)>,
    /// Row `r`'s key at `row_keys[r*(1+dims)..]`: bucket bits, dimension ids.
    row_keys: Vec<u64>,
    /// Row and metric of each cell.
    pub(super) cell_row: Vec<u32>,
    pub(super) cell_metric: Vec<u32>,
}

impl CellIndex {
    pub(super) fn new(dims: usize) -> Self {
        CellIndex {
            dims,
            buckets: FxHashMap::default(),
            tables: Vec::new(),
            last: None,
            row_keys: Vec::new(),
            cell_row: Vec::new(),
            cell_metric: Vec::new(),
        }
    }

    /// Number of output rows.
    pub(super) fn n_rows(&self) -> usize {
        self.row_keys.len() / (1 + self.dims)
    }

    /// Number of cells.
    pub(super) fn n_cells(&self) -> usize {
        self.cell_row.len()
    }

    /// Key of row `r`: bucket bits, then dimension ids.
    pub(super) fn row_key(&self, r: usize) -> &[u64] {
        let w = 1 + self.dims;
        self.row_keys.get(r * w..(r + 1) * w).unwrap_or(&[])
    }

    fn bucket(&mut self, bucket: u64) -> u32 {
        if let Some((b, i)) = self.last {
            if b == bucket {
                return i;
            }
        }
        let next = self.tables.len() as u32;
        let i = *self.buckets.entry(bucket).or_insert(next);
        if i == next {
            self.tables.push(BucketTables {
                rows: KeyTable::new(self.dims),
                row_ids: Vec::new(),
                cells: KeyTable::new(1),
                cell_ids: Vec::new(),
            });
        }
        self.last = Some((bucket, i));
        i
    }

    /// The cell of (bucket, dimension ids, metric), created if new.
    #[inline]
    pub(super) fn cell(&mut self, bucket: u64, dims: &[u64], metric: u32) -> u32 {
        let b = self.bucket(bucket) as usize;
        let n_rows = self.n_rows() as u32;
        let n_cells = self.cell_row.len() as u32;
        let Some(t) = self.tables.get_mut(b) else {
            return 0;
        };
        let local_row = t.rows.find_or_insert(dims);
        let row = match t.row_ids.get(local_row as usize) {
            Some(&r) => r,
            None => {
                t.row_ids.push(n_rows);
                self.row_keys.push(bucket);
                self.row_keys.extend_from_slice(dims);
                n_rows
            }
        };
        let local_cell = t
            .cells
            .find_or_insert(&[u64::from(local_row) << 32 | u64::from(metric)]);
        match t.cell_ids.get(local_cell as usize) {
            Some(&c) => c,
            None => {
                t.cell_ids.push(n_cells);
                self.cell_row.push(row);
                self.cell_metric.push(metric);
                n_cells
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_cells_are_numbered_densely() {
        let mut ix = CellIndex::new(2);
        assert_eq!(ix.cell(10, &[1, 2], 0), 0);
        assert_eq!(ix.cell(10, &[1, 2], 1), 1);
        assert_eq!(ix.cell(20, &[1, 2], 0), 2);
        assert_eq!(ix.cell(10, &[1, 2], 1), 1);
        assert_eq!(ix.cell(10, &[3, 2], 1), 3);
        assert_eq!(ix.n_rows(), 3);
        assert_eq!(ix.row_key(1), &[20, 1, 2]);
        assert_eq!(ix.cell_row, vec![0, 0, 1, 2]);
        assert_eq!(ix.cell_metric, vec![0, 1, 0, 1]);
    }
}
