use crate::support::*;
use spl_engine::session::Engine;

fn web() -> Engine {
    // times 0..=250s, newest first
    engine(vec![events(
        &[250.0, 200.0, 130.0, 125.0, 61.0, 10.0, 0.0],
        vec![
            col(
                "host",
                &[
                    Some("a"),
                    Some("b"),
                    Some("a"),
                    None,
                    Some("c"),
                    Some("a"),
                    Some("b"),
                ],
            ),
            num(
                "bytes",
                &[
                    Some(10.0),
                    Some(20.0),
                    Some(30.0),
                    Some(40.0),
                    Some(50.0),
                    Some(60.0),
                    Some(70.0),
                ],
            ),
        ],
    )])
}

#[test]
fn timechart_count_per_span_with_empty_buckets() {
    let out = run(&web(), "index=main | timechart span=1m count");
    assert_eq!(
        out,
        "_time                         | count\n\
         1970-01-01T00:00:00.000+00:00 | 2\n\
         1970-01-01T00:01:00.000+00:00 | 1\n\
         1970-01-01T00:02:00.000+00:00 | 2\n\
         1970-01-01T00:03:00.000+00:00 | 1\n\
         1970-01-01T00:04:00.000+00:00 | 1\n"
    );
    let out = run(
        &web(),
        "index=main | where bytes!=50 | timechart span=1m count avg(bytes) as avg",
    );
    assert_eq!(
        out,
        "_time                         | count | avg\n\
         1970-01-01T00:00:00.000+00:00 | 2     | 65\n\
         1970-01-01T00:01:00.000+00:00 | 0     | NULL\n\
         1970-01-01T00:02:00.000+00:00 | 2     | 35\n\
         1970-01-01T00:03:00.000+00:00 | 1     | 20\n\
         1970-01-01T00:04:00.000+00:00 | 1     | 10\n"
    );
    let out = run(
        &web(),
        "index=main | where bytes!=50 | timechart span=1m cont=f count",
    );
    assert_eq!(out.lines().count(), 5);
}

#[test]
fn timechart_by_field_with_null_series() {
    let out = run(&web(), "index=main | timechart span=2m count by host");
    assert_eq!(
        out,
        "_time                         | a | b | c | NULL\n\
         1970-01-01T00:00:00.000+00:00 | 1 | 1 | 1 | 0\n\
         1970-01-01T00:02:00.000+00:00 | 1 | 1 | 0 | 1\n\
         1970-01-01T00:04:00.000+00:00 | 1 | 0 | 0 | 0\n"
    );
    let out = run(
        &web(),
        "index=main | timechart span=2m usenull=f sum(bytes) by host",
    );
    assert_eq!(
        out,
        "_time                         | a  | b    | c\n\
         1970-01-01T00:00:00.000+00:00 | 60 | 70   | 50\n\
         1970-01-01T00:02:00.000+00:00 | 30 | 20   | NULL\n\
         1970-01-01T00:04:00.000+00:00 | 10 | NULL | NULL\n"
    );
}

#[test]
fn timechart_limit_and_other() {
    // totals: a=3, b=2, c=1, NULL=1; limit=2 keeps a and b
    let out = run(
        &web(),
        "index=main | timechart span=5m limit=2 count by host",
    );
    assert_eq!(out, "_time                         | a | b | OTHER\n1970-01-01T00:00:00.000+00:00 | 3 | 2 | 2\n");
    let out = run(
        &web(),
        "index=main | timechart span=5m limit=2 useother=f otherstr=X count by host",
    );
    assert_eq!(
        out,
        "_time                         | a | b\n1970-01-01T00:00:00.000+00:00 | 3 | 2\n"
    );
    // series rank by the sum of their values (c's average 50 is the largest);
    // OTHER is re-aggregated: the average of every other event's bytes
    let out = run(
        &web(),
        "index=main | timechart span=5m limit=1 avg(bytes) by host",
    );
    assert_eq!(out, "_time                         | c  | OTHER\n1970-01-01T00:00:00.000+00:00 | 50 | 38.333333333333336\n");
}

#[test]
fn timechart_several_aggs_by_field_names() {
    let out = run(
        &web(),
        "index=main | timechart span=5m usenull=f count max(bytes) as mx by host",
    );
    assert_eq!(
        out,
        "_time                         | count: a | mx: a | count: b | mx: b | count: c | mx: c\n\
         1970-01-01T00:00:00.000+00:00 | 3        | 60    | 2        | 70    | 1        | 50\n"
    );
}

#[test]
fn timechart_default_span_from_time_range() {
    let e = Engine::builder(3_600.0)
        .add_events(
            spl_engine::source::SourceMeta::new("main", "s", "st"),
            vec![events(&[3_599.0, 0.0], vec![])],
        )
        .time_range(Some("-60m"), Some("now"))
        .unwrap()
        .build();
    // 60 minutes -> 1m buckets, all 60 of them
    let out = run(&e, "index=main | timechart count");
    assert_eq!(out.lines().count(), 61);
    assert!(out.contains("1970-01-01T00:59:00.000+00:00 | 1"), "{out}");
}

#[test]
fn timechart_in_appendpipe_fills_buckets() {
    let out = run(
        &web(),
        "index=main | stats count by host | eval _time=0 | appendpipe [ | timechart limit=0 span=5m count | table _time ] | table host _time",
    );
    assert!(
        out.ends_with("NULL | 1970-01-01T00:00:00.000+00:00\n"),
        "{out}"
    );
}

#[test]
fn chart_over_by() {
    // every bytes value occurs once: ties rank by name, so "10" and "20" are kept
    let out = run(
        &web(),
        "index=main | chart count over host by bytes limit=2 useother=t",
    );
    assert_eq!(
        out,
        "host | 10 | 20 | OTHER\na    | 1  | 0  | 2\nb    | 0  | 1  | 1\nc    | 0  | 0  | 1\n"
    );
}

#[test]
fn chart_by_one_and_two_fields_and_no_split() {
    let out = run(&web(), "index=main | chart sum(bytes) by host");
    assert_eq!(out, "host | sum(bytes)\na    | 100\nb    | 90\nc    | 50\n");
    let out = run(
        &web(),
        "index=main | eval big=if(bytes>35, \"y\", \"n\") | chart count by host big",
    );
    assert_eq!(
        out,
        "host | n | y\na    | 2 | 1\nb    | 1 | 1\nc    | 0 | 1\n"
    );
    let out = run(&web(), "index=main | chart count max(bytes)");
    assert_eq!(out, "count | max(bytes)\n7     | 70\n");
    let out = run0("| makeresults | where 1=2 | chart count");
    assert_eq!(out, "count\n0\n");
}

#[test]
fn errors() {
    let (_, at) = err_at("| makeresults | timechart span=5x count");
    assert_eq!(at, "5x");
    let (_, at) = err_at("| makeresults | timechart count by a, b");
    assert_eq!(at, "b");
    let (_, at) = err_at("| makeresults | timechart limit=x count");
    assert_eq!(at, "x");
    let (_, at) = err_at("| makeresults | chart count by a b c");
    assert_eq!(at, "c");
    let (msg, at) = err_at("| makeresults | chart sep=, count by a");
    assert!(msg.contains("not supported"), "{msg}");
    assert_eq!(at, "sep=,");
}

#[test]
fn spec_examples_run() {
    let e = empty();
    for spec in [
        &spl_engine::commands::timechart::SPEC,
        &spl_engine::commands::chart::SPEC,
    ] {
        for ex in spec.examples {
            e.run(ex.spl)
                .unwrap_or_else(|err| panic!("{}: {err}", ex.spl));
        }
    }
}
