//! Row tests a scan may apply while it decodes (late materialisation).
//!
//! A caller that filters the rows of a scan right after reading them can
//! hand the scan the parts of its filter that read one column each
//! ([`ColumnTest`]). A columnar source (Parquet) then decodes those columns
//! first, and the other columns only for the rows that pass every test; a
//! source that cannot do so ignores them. Either way the caller's own filter
//! still runs afterwards, so a test only has to be exact in one direction:
//! it must never fail a row the filter keeps.

use crate::error::Result;
use arrow_array::{ArrayRef, BooleanArray};
use std::sync::Arc;

/// Which rows of one column pass, given the column as the scan hands it
/// over (event shape: `_time` aside, the column the source names `column`).
pub type ColumnTestFn = dyn Fn(&ArrayRef) -> Result<BooleanArray> + Send + Sync;

/// A test of the values of one source column.
#[derive(Clone)]
pub struct ColumnTest {
    /// The column as the source names it (a top-level column, not a field
    /// flattened out of a structure).
    pub column: String,
    /// The rows that pass (false or null: the row may be dropped).
    pub test: Arc<ColumnTestFn>,
}

impl std::fmt::Debug for ColumnTest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ColumnTest")
            .field("column", &self.column)
            .finish_non_exhaustive()
    }
}
