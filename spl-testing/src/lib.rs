//! Testing support: the stable text rendering of results for snapshots, the
//! `.spltest` golden-file format and runner (`spl test`, the conformance
//! suite), and detection YAML tests. The workflow is described in
//! `docs/testing.md`.
//!
//! [`render`] gives the same table a `.spltest` expected block holds, so a
//! Rust program can pin a search's output with
//! `insta::assert_snapshot!(render(&result, engine.context())?)`
//! (`spl-engine/tests/snapshot.rs`, `examples/snapshot.rs`):
//!
//! ```
//! use spl_engine::session::Engine;
//! use spl_testing::render;
//!
//! let now = spl_engine::time::parse_now("2024-05-01T12:00:00Z").unwrap();
//! let engine = Engine::builder(now).build();
//! let result = engine
//!     .run(r#"| makeresults count=2 | streamstats count as n | eval tags=split("a,b", ","), empty="""#)
//!     .unwrap();
//! assert_eq!(
//!     render(&result, engine.context()).unwrap(),
//!     "_time                         | n | tags   | empty\n\
//!      2024-05-01T12:00:00.000+00:00 | 1 | [a, b] | (empty)\n\
//!      2024-05-01T12:00:00.000+00:00 | 2 | [a, b] | (empty)\n"
//! );
//! ```

pub mod corpus_knowledge;
pub mod detection;
pub mod diagnostic;
pub mod format;
pub mod read;
pub mod reference;
pub mod report;
pub mod runner;
mod setup;
pub mod suite;
#[cfg(test)]
mod tests;

use format::CellText;
use spl_engine::context::ExecContext;
use spl_engine::error::Result;
use spl_engine::render::{self, Cell};
use spl_engine::session::QueryResult;

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

/// Renders header and rows; a result without rows renders as `(no results)`,
/// as Splunk shows no columns when a search finds nothing.
pub fn render_rows(fields: &[String], rows: &[Vec<CellText>]) -> String {
    if rows.is_empty() {
        return "(no results)\n".into();
    }
    format::render_table(fields, rows)
}
