//! Testing support: the stable text rendering of results for snapshots, and
//! the `.spltest` golden-file format and runner used by `spl test` and the
//! conformance suite.
//!
//! ```
//! use spl_engine::session::Engine;
//! use spl_engine::testing::render;
//!
//! let engine = Engine::builder(0.0).build();
//! let result = engine.run("| makeresults count=2").unwrap();
//! assert_eq!(render(&result, engine.context()).unwrap(), "_time\n1970-01-01T00:00:00.000+00:00\n1970-01-01T00:00:00.000+00:00\n");
//! ```

pub mod detection;
pub mod diagnostic;
pub mod format;
pub mod report;
pub mod runner;
mod setup;
pub mod suite;

use crate::context::ExecContext;
use crate::error::Result;
use crate::render::{self, Cell};
use crate::session::QueryResult;
use format::CellText;

/// Converts a display cell to `.spltest` cell text.
pub fn cell_text(c: &Cell) -> CellText {
    match c {
        Cell::Null => CellText::Null,
        Cell::Single(s) => CellText::Single(s.clone()),
        Cell::Multi(v) => CellText::Multi(v.clone()),
    }
}

/// Renders a result as the stable aligned text table used by `.spltest` files
/// (`NULL`, `(empty)`, `[a, b]`, `_time` in ISO-8601): suitable for
/// `insta::assert_snapshot!`.
pub fn render(result: &QueryResult, ctx: &ExecContext) -> Result<String> {
    let t = render::table(&result.batches, &ctx.tz)?;
    let rows: Vec<Vec<CellText>> = t
        .rows
        .iter()
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    Ok(render_rows(&t.fields, &rows))
}

/// Renders header and rows; an empty result renders as `(no results)`.
pub fn render_rows(fields: &[String], rows: &[Vec<CellText>]) -> String {
    if fields.is_empty() && rows.is_empty() {
        return "(no results)\n".into();
    }
    format::render_table(fields, rows)
}
