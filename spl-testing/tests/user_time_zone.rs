//! Command results that depend on the user's time zone.
//!
//! These cases are Rust because a `.spltest` file cannot express them: the
//! format has no record for the time zone, so every file runs in UTC. They go
//! through the embedding API (`Engine::builder(now).time_zone(..)`) and the
//! suite's table renderer (`spl_testing::render`). Everything else
//! about these commands is in `fixtures/conformance/commands/bin.spltest` and
//! `convert.spltest`.

use spl_engine::session::Engine;
use spl_testing::render;

/// An engine without data at epoch 0, in a fixed UTC offset.
fn engine_at_offset(hours: i8) -> Engine {
    Engine::builder(0.0)
        .time_zone(jiff::tz::TimeZone::fixed(jiff::tz::offset(hours)))
        .build()
}

/// Runs `q` and renders the result as an expected table.
fn run(e: &Engine, q: &str) -> String {
    let r = e.run(q).unwrap_or_else(|err| panic!("{q}: {err}"));
    render(&r, e.context()).unwrap_or_else(|err| panic!("{q}: {err}"))
}

/// `bin` day spans align to midnight in the user's time zone, and week spans
/// are 7-day bins aligned like day bins (docs/compat-notes/commands2.md,
/// "`bin` weeks").
#[test]
fn bin_day_spans_use_the_user_time_zone() {
    let e = engine_at_offset(-5);
    // 2023-11-14T22:13:20Z is 17:13:20 at -05:00; local midnight is 05:00Z
    let out = run(
        &e,
        "| makeresults | eval t=1700000000 | bin t span=1d | table t",
    );
    assert_eq!(out, "t\n1699938000\n");
    let out = run(
        &e,
        "| makeresults | eval t=1700000000 | bin t span=1w | eval ok=if(t<=1700000000, 1, 0) | table ok",
    );
    assert_eq!(out, "ok\n1\n");
}

/// `convert ctime` formats in the user's time zone.
#[test]
fn convert_ctime_uses_the_user_time_zone() {
    let e = engine_at_offset(2);
    let out = run(
        &e,
        "| makeresults | eval t=0 | convert timeformat=\"%H:%M\" ctime(t) | table t",
    );
    assert_eq!(out, "t\n02:00\n");
}
