//! Resource limits (issue 15): each one bounds its command with a coded
//! error or a Splunk-style warning naming the limit, and `--limit`
//! (`EngineBuilder::limit`) moves it.
#![allow(clippy::unwrap_used)]

use arrow_array::RecordBatch;
use spl_engine::session::{Engine, EngineBuilder, QueryResult};
use spl_engine::EngineError;

const NOW: f64 = 1_700_000_000.0;

fn engine() -> EngineBuilder {
    Engine::builder(NOW).no_default_apps().unwrap()
}

fn run(b: EngineBuilder, q: &str) -> spl_engine::error::Result<QueryResult> {
    b.build().run(q)
}

/// The text of `field` in row `row` of the result.
fn cell(r: &QueryResult, field: &str, row: usize) -> Option<String> {
    let b: RecordBatch = r.to_batch().unwrap();
    let c = b.column_by_name(field)?;
    let s = arrow_cast::display::ArrayFormatter::try_new(c.as_ref(), &Default::default()).unwrap();
    use arrow_array::Array;
    // Numbers as Splunk shows whole ones (`10`, not `10.0`).
    c.is_valid(row).then(|| {
        let t = s.value(row).to_string();
        t.strip_suffix(".0").map(str::to_string).unwrap_or(t)
    })
}

fn limit_error(e: EngineError, name: &str) {
    let text = e.to_string();
    assert!(
        matches!(e, EngineError::Limit { .. }),
        "expected a limit error, got {e:?}"
    );
    assert!(text.contains(&format!("`{name}`")), "{text}");
}

fn warned(r: &QueryResult, name: &str) -> String {
    let w = r
        .warnings
        .iter()
        .find(|w| w.code == "spl::run::limit_exceeded" && w.message.contains(name))
        .unwrap_or_else(|| panic!("no warning naming `{name}` in {:?}", r.warnings));
    w.message.clone()
}

#[test]
fn unknown_limit_and_zero_are_errors() {
    assert!(engine().limit("no_such_limit", 1).is_err());
    assert!(engine().limit("subsearch_maxout", 0).is_err());
}

#[test]
fn makeresults_count_is_bounded() {
    let e = run(engine(), "| makeresults count=1000000000000").unwrap_err();
    limit_error(e, "makeresults_max_count");
    let b = engine().limit("makeresults_max_count", 10).unwrap();
    let e = run(b, "| makeresults count=11").unwrap_err();
    limit_error(e, "makeresults_max_count");
    let b = engine().limit("makeresults_max_count", 10).unwrap();
    assert_eq!(run(b, "| makeresults count=10").unwrap().num_rows(), 10);
}

#[test]
fn mvrange_with_lost_precision_ends() {
    // 1e16 + 1 == 1e16 in f64: repeated addition never reached the end.
    let r = run(
        engine(),
        "| makeresults | eval x=mvrange(10000000000000000, 10000000000000010) | eval n=mvcount(x)",
    )
    .unwrap();
    assert_eq!(cell(&r, "n", 0).as_deref(), Some("10"));
}

#[test]
fn mvrange_over_the_limit_is_null_with_a_warning() {
    let q = "| makeresults | eval x=mvrange(0, 1000001) | eval n=mvcount(x)";
    let r = run(engine(), q).unwrap();
    assert_eq!(cell(&r, "n", 0), None);
    let w = warned(&r, "mvrange_max_values");
    assert!(w.contains("1000001 values"), "{w}");
    // At the limit: the values are made, without a warning.
    let r = run(
        engine(),
        "| makeresults | eval x=mvrange(0, 1000000) | eval n=mvcount(x)",
    )
    .unwrap();
    assert_eq!(cell(&r, "n", 0).as_deref(), Some("1000000"));
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let b = engine().limit("mvrange_max_values", 5).unwrap();
    let r = run(
        b,
        "| makeresults | eval x=mvrange(0, 6) | eval n=mvcount(x)",
    )
    .unwrap();
    assert_eq!(cell(&r, "n", 0), None);
}

#[test]
fn mvexpand_is_linear_in_the_values() {
    // Before: the 300,000-value list was copied once per value (9e10 values).
    let r = run(
        engine(),
        "| makeresults | eval x=mvrange(0, 300000), y=\"k\" | mvexpand x | stats count, max(x) as m, values(y) as y",
    )
    .unwrap();
    assert_eq!(cell(&r, "count", 0).as_deref(), Some("300000"));
    assert_eq!(cell(&r, "m", 0).as_deref(), Some("299999"));
    assert_eq!(cell(&r, "y", 0).as_deref(), Some("[k]"));
}

#[test]
fn mvexpand_truncates_at_its_memory_limit() {
    let b = engine().limit("mvexpand_max_mem_mb", 1).unwrap();
    let r = run(
        b,
        "| makeresults | eval x=mvrange(0, 200000) | mvexpand x | stats count",
    )
    .unwrap();
    let n: usize = cell(&r, "count", 0).unwrap().parse().unwrap();
    assert!(n > 1000 && n < 200_000, "{n}");
    let w = warned(&r, "mvexpand_max_mem_mb");
    assert!(w.contains(&format!("truncated at {n} results")), "{w}");
}

#[test]
fn join_fan_out_is_bounded() {
    let q =
        "| makeresults count=20 | eval k=1 | join max=0 k [| makeresults count=20 | eval k=1, v=2]";
    let b = engine().limit("join_max_output", 399).unwrap();
    limit_error(run(b, q).unwrap_err(), "join_max_output");
    let b = engine().limit("join_max_output", 400).unwrap();
    assert_eq!(run(b, q).unwrap().num_rows(), 400);
}

#[test]
fn join_subsearch_truncation_warns() {
    let q = "| makeresults count=3 | streamstats count as k | join type=left k [| makeresults count=10 | streamstats count as k | eval v=k]";
    let b = engine().limit("join_subsearch_maxout", 2).unwrap();
    let r = run(b, q).unwrap();
    assert_eq!(cell(&r, "v", 1).as_deref(), Some("2"));
    assert_eq!(cell(&r, "v", 2), None);
    let w = warned(&r, "join_subsearch_maxout");
    assert!(
        w.contains("Subsearch produced 10 results, truncating to maxout 2"),
        "{w}"
    );
    // Under the limit: no warning.
    let r = run(engine(), q).unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn append_subsearch_truncation_warns() {
    let b = engine().limit("append_maxout", 4).unwrap();
    let r = run(b, "| makeresults | append [| makeresults count=9]").unwrap();
    assert_eq!(r.num_rows(), 5);
    let w = warned(&r, "append_maxout");
    assert!(
        w.contains("produced 9 results, truncating to maxout 4"),
        "{w}"
    );
    // An explicit maxout= names the option.
    let r = run(
        engine(),
        "| makeresults | append maxout=2 [| makeresults count=9]",
    )
    .unwrap();
    assert_eq!(r.num_rows(), 3);
    assert!(r
        .warnings
        .iter()
        .any(|w| w.message.contains("truncating to maxout 2")
            && w.message.contains("option `maxout`")));
}

#[test]
fn search_subsearch_truncation_warns() {
    let q = "| makeresults count=5 | streamstats count as k | search [| makeresults count=5 | streamstats count as k | fields k]";
    let b = engine().limit("subsearch_maxout", 3).unwrap();
    let r = run(b, q).unwrap();
    assert_eq!(r.num_rows(), 3);
    warned(&r, "subsearch_maxout");
    assert_eq!(run(engine(), q).unwrap().num_rows(), 5);
}

#[test]
fn eventstats_values_over_budget_is_an_error() {
    let q = "| makeresults count=20000 | streamstats count as x | eventstats values(x) as all | stats count";
    let b = engine().limit("max_mem_usage_mb", 1).unwrap();
    limit_error(run(b, q).unwrap_err(), "max_mem_usage_mb");
    // 20,000 rows x 20,000 values is about 400M values: over the default too.
    limit_error(run(engine(), q).unwrap_err(), "max_mem_usage_mb");
    let r = run(
        engine(),
        "| makeresults count=200 | streamstats count as x | eventstats values(x) as all | eval n=mvcount(all) | stats max(n) as n",
    )
    .unwrap();
    assert_eq!(cell(&r, "n", 0).as_deref(), Some("200"));
}

/// 30,000 results of about 250 bytes each (about 7 MB as Arrow): over a
/// 2 MB `blocking_max_mem_mb`, far under 64 MB.
const WIDE: &str = "| makeresults count=30000 | streamstats count as n | eval pad=printf(\"%0200d\", n), k=n%7, _time=1700000000-n";

/// Each blocking operator stops with `blocking_max_mem_mb` when what it
/// holds passes the budget, and runs under a budget just large enough.
#[test]
fn blocking_operators_stop_at_the_memory_budget() {
    let cases: &[(&str, &str)] = &[
        ("sort", "sort 0 -n"),
        ("reverse", "reverse"),
        ("eventstats", "eventstats count by k"),
        ("stats", "stats count by pad"),
        ("stats", "stats values(pad) as v by k"),
        ("stats", "stats dc(pad) as d, list(pad) as l by k | where d>0 AND mvcount(l)>0"),
        ("chart", "chart count over k by n"),
        ("timechart", "timechart span=1h count"),
        ("dedup", "dedup pad"),
        ("dedup", "dedup k sortby -n"),
        ("transaction", "transaction k maxevents=3"),
        ("mvcombine", "mvcombine n"),
        ("top", "top limit=5 pad"),
        ("rare", "rare limit=5 pad"),
        ("appendpipe", "appendpipe [stats count]"),
        (
            "join",
            "join type=left k [| makeresults count=30000 | streamstats count as k | eval big=printf(\"%0200d\", k)]",
        ),
    ];
    for (command, stage) in cases {
        let q = format!("{WIDE} | {stage} | stats count");
        let e = run(engine().limit("blocking_max_mem_mb", 2).unwrap(), &q)
            .expect_err(&format!("{q} should be over 2 MB"));
        assert!(e.to_string().contains(command), "{q}: {e}");
        limit_error(e, "blocking_max_mem_mb");
        let r = run(engine().limit("blocking_max_mem_mb", 64).unwrap(), &q)
            .unwrap_or_else(|e| panic!("{q} under 64 MB: {e}"));
        assert_eq!(r.num_rows(), 1, "{q}");
    }
}

/// A sort with a limit and `tail` keep only what they can output, so they
/// run over any input under a small budget; the output is the same as
/// sorting everything.
#[test]
fn limited_sort_and_tail_hold_only_their_results() {
    let small = || engine().limit("blocking_max_mem_mb", 2).unwrap();
    let q = format!("{WIDE} | sort 3 -n | table n");
    let r = run(small(), &q).unwrap();
    assert_eq!(
        (0..3).map(|i| cell(&r, "n", i)).collect::<Vec<_>>(),
        ["30000", "29999", "29998"].map(|s| Some(s.to_string()))
    );
    // ties keep their input order (stable) across the cuts
    let q = format!("{WIDE} | sort 4 k | table n k");
    let r = run(small(), &q).unwrap();
    assert_eq!(
        (0..4).map(|i| cell(&r, "n", i)).collect::<Vec<_>>(),
        ["7", "14", "21", "28"].map(|s| Some(s.to_string()))
    );
    // the default limit of 10,000 results holds at most about 28,000 rows
    let q =
        "| makeresults count=200000 | streamstats count as n | sort - n | stats count, max(n) as m";
    let r = run(engine().limit("blocking_max_mem_mb", 8).unwrap(), q).unwrap();
    assert_eq!(cell(&r, "count", 0).as_deref(), Some("10000"));
    assert_eq!(cell(&r, "m", 0).as_deref(), Some("200000"));
    // over several batches (makeresults makes 65,536 rows a batch)
    let q = "| makeresults count=200000 | streamstats count as n | tail 70000 | stats count, max(n) as hi, min(n) as lo";
    let r = run(engine().limit("blocking_max_mem_mb", 8).unwrap(), q).unwrap();
    assert_eq!(cell(&r, "count", 0).as_deref(), Some("70000"));
    assert_eq!(cell(&r, "hi", 0).as_deref(), Some("200000"));
    assert_eq!(cell(&r, "lo", 0).as_deref(), Some("130001"));
    let q = format!("{WIDE} | tail 2 | table n");
    let r = run(small(), &q).unwrap();
    assert_eq!(cell(&r, "n", 0).as_deref(), Some("30000"));
    assert_eq!(cell(&r, "n", 1).as_deref(), Some("29999"));
}

/// The default budget leaves ordinary searches alone.
#[test]
fn default_budget_runs_wide_searches() {
    let q = format!("{WIDE} | sort 0 -n | eventstats count by k | stats count");
    let r = run(engine(), &q).unwrap();
    assert_eq!(cell(&r, "count", 0).as_deref(), Some("30000"));
}
