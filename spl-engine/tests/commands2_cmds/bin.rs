use crate::support::*;

fn timed() -> spl_engine::session::Engine {
    engine(vec![events(
        &[
            1_700_000_005.0,
            1_700_000_299.9,
            1_700_000_300.0,
            1_700_000_611.0,
        ],
        vec![
            col("size", &[Some("3"), Some("17"), Some("-4"), Some("abc")]),
            num("n", &[Some(0.35), Some(1.0), None, Some(29.99)]),
        ],
    )])
}

#[test]
fn time_span_aligns_to_epoch() {
    let out = run(&timed(), "index=main | bin _time span=5m | table _time");
    assert_eq!(
        out,
        "_time\n\
         2023-11-14T22:20:00.000+00:00\n\
         2023-11-14T22:15:00.000+00:00\n\
         2023-11-14T22:15:00.000+00:00\n\
         2023-11-14T22:10:00.000+00:00\n"
    );
}

#[test]
fn bucket_alias_and_as_field() {
    let out = run(
        &timed(),
        "index=main | bucket span=10m _time AS t | eval s=strftime(t, \"%H:%M:%S\") | table s",
    );
    // 22:23:31, 22:18:20, 22:18:19.9, 22:13:25
    assert_eq!(out, "s\n22:20:00\n22:10:00\n22:10:00\n22:10:00\n");
}

#[test]
fn unitless_span_on_time_means_seconds() {
    let out = run(
        &timed(),
        "index=main | bin _time span=100 | stats count by _time | table _time count",
    );
    assert_eq!(
        out,
        "_time                         | count\n\
         2023-11-14T22:13:20.000+00:00 | 1\n\
         2023-11-14T22:16:40.000+00:00 | 1\n\
         2023-11-14T22:18:20.000+00:00 | 1\n\
         2023-11-14T22:23:20.000+00:00 | 1\n"
    );
}

#[test]
fn numeric_span_gives_range_strings() {
    let out = run(
        &timed(),
        "index=main | sort _time | bin size span=10 | table size",
    );
    assert_eq!(out, "size\n0-10\n10-20\n-10-0\nabc\n");
    let out = run(
        &timed(),
        "index=main | sort _time | bin n span=0.5 AS b | table n b",
    );
    assert_eq!(
        out,
        "n     | b\n0.35  | 0.0-0.5\n1     | 1.0-1.5\nNULL  | NULL\n29.99 | 29.5-30.0\n"
    );
}

#[test]
fn time_unit_span_on_other_epoch_field() {
    let out = run0(
        "| makeresults | eval t=1700000123 | bin span=1h t | eval s=strftime(t, \"%H:%M:%S\") | table t s",
    );
    assert_eq!(out, "t          | s\n1699999200 | 22:00:00\n");
}

#[test]
fn day_spans_use_the_user_time_zone() {
    let e = spl_engine::session::Engine::builder(0.0)
        .time_zone(jiff::tz::TimeZone::fixed(jiff::tz::offset(-5)))
        .build();
    // 2023-11-14T22:13:20Z is 17:13:20 at -05:00; local midnight is 05:00Z
    let out = run(
        &e,
        "| makeresults | eval t=1700000000 | bin t span=1d | table t",
    );
    assert_eq!(out, "t\n1699938000\n");
    let out = run(&e, "| makeresults | eval t=1700000000 | bin t span=1w | eval ok=if(t<=1700000000, 1, 0) | table ok");
    assert_eq!(out, "ok\n1\n");
}

#[test]
fn aligntime_shifts_sub_day_bins() {
    let out =
        run0("| makeresults | eval t=1700000000 | bin t span=1h aligntime=1699999230 | table t");
    // bins start at :20:30 past each hour
    assert_eq!(out, "t\n1699999230\n");
    let out =
        run0("| makeresults | eval t=1700000000 | bin t span=1d aligntime=1699999230 | table t");
    assert_eq!(out, "t\n1699920000\n");
}

#[test]
fn bins_picks_a_span_over_all_results() {
    let e = engine(vec![
        events(&[1.0], vec![num("v", &[Some(5.0)])]),
        events(&[2.0], vec![num("v", &[Some(95.0)])]),
    ]);
    let out = run(&e, "index=main | sort _time | bin v bins=10 | table v");
    assert_eq!(out, "v\n0-10\n90-100\n");
    let out = run(
        &e,
        "index=main | sort _time | bin v bins=10 start=0 end=999 | table v",
    );
    assert_eq!(out, "v\n0-100\n0-100\n");
    let out = run(
        &e,
        "index=main | sort _time | bin v bins=100 minspan=50 | table v",
    );
    assert_eq!(out, "v\n0-100\n0-100\n");
}

#[test]
fn default_bins_on_time() {
    let e = engine(vec![events(&[0.0, 3599.0, 7200.0], vec![])]);
    // 2 hours in at most 100 bins: 5-minute bins
    let out = run(
        &e,
        "index=main | bin _time | stats count by _time | table _time",
    );
    assert_eq!(
        out,
        "_time\n1970-01-01T00:00:00.000+00:00\n1970-01-01T00:55:00.000+00:00\n1970-01-01T02:00:00.000+00:00\n"
    );
}

#[test]
fn missing_field_and_multivalue() {
    let e = engine(vec![events(&[1.0], vec![col("m", &[Some("1|15|x")])])]);
    let out = run(
        &e,
        "index=main | bin m span=10 | bin nosuch span=5 | table m",
    );
    assert_eq!(out, "m\n[0-10, 10-20, x]\n");
}

#[test]
fn bad_options() {
    let (msg, at) = err_at("| makeresults | bin _time span=5q");
    assert!(msg.contains("time span"), "{msg}");
    assert_eq!(at, "5q");
    let (msg, at) = err_at("| makeresults | bin x span=-3");
    assert!(msg.contains("span"), "{msg}");
    assert_eq!(at, "-3");
    let (_, at) = err_at("| makeresults | bin x span=log2");
    assert_eq!(at, "log2");
    let (_, at) = err_at("| makeresults | bin x bins=0");
    assert_eq!(at, "0");
    let (_, at) = err_at("| makeresults | bin x start=abc");
    assert_eq!(at, "abc");
    let (_, at) = err_at("| makeresults | bin x span=1h aligntime=whenever");
    assert_eq!(at, "whenever");
    let (_, at) = err_at("| makeresults | bucket x spam=1");
    assert_eq!(at, "spam");
}

#[test]
fn spec_examples_run() {
    let e = empty();
    for ex in spl_engine::commands::bin::SPEC.examples {
        e.run(ex.spl)
            .unwrap_or_else(|err| panic!("{}: {err}", ex.spl));
    }
}
