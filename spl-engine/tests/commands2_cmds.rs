//! End-to-end tests of the `commands2` commands (convert, rex, regex, bin,
//! spath, mvexpand, makemv, mvcombine, top/rare, timechart, chart, ...).
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

#[path = "commands2_cmds/support.rs"]
#[allow(dead_code)]
mod support;

#[path = "commands2_cmds/convert.rs"]
mod convert;

#[path = "commands2_cmds/rex.rs"]
mod rex;

#[path = "commands2_cmds/bin.rs"]
mod bin;

#[path = "commands2_cmds/spath.rs"]
mod spath;

#[path = "commands2_cmds/mv.rs"]
mod mv;

#[path = "commands2_cmds/small.rs"]
mod small;

#[path = "commands2_cmds/top.rs"]
mod top;

#[path = "commands2_cmds/transaction.rs"]
mod transaction;

#[path = "commands2_cmds/chart.rs"]
mod chart;

#[path = "commands2_cmds/subsearch.rs"]
mod subsearch;

#[path = "commands2_cmds/map.rs"]
mod map;

// Every registered example is run (in fixtures/examples.setup) by tests/registry.rs.
