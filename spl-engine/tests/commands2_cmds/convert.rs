use crate::support::*;

#[test]
fn ctime_with_timeformat_replaces_values() {
    let out = run0(
        "| makeresults | eval firstTime=1700000000, lastTime=\"1700000060.5\" \
         | convert timeformat=\"%Y-%m-%dT%H:%M:%S\" ctime(firstTime) ctime(lastTime) | table firstTime lastTime",
    );
    assert_eq!(
        out,
        "firstTime           | lastTime\n2023-11-14T22:13:20 | 2023-11-14T22:14:20\n"
    );
}

#[test]
fn ctime_default_format_and_as_keeps_original() {
    let out = run0("| makeresults | eval t=0 | convert ctime(t) AS c | table t c");
    assert_eq!(out, "t | c\n0 | 01/01/1970 00:00:00\n");
}

#[test]
fn ctime_leaves_unconvertible_and_missing_values() {
    let e = engine(vec![events(
        &[1.0, 2.0, 3.0],
        vec![col("t", &[Some("abc"), None, Some("86400")])],
    )]);
    let out = run(
        &e,
        "index=main | sort _time | convert timeformat=\"%F\" ctime(t) ctime(nosuch) | table t nosuch",
    );
    assert_eq!(
        out,
        "t          | nosuch\nabc        | NULL\nNULL       | NULL\n1970-01-02 | NULL\n"
    );
}

#[test]
fn ctime_uses_the_user_time_zone() {
    let e = spl_engine::session::Engine::builder(0.0)
        .time_zone(jiff::tz::TimeZone::fixed(jiff::tz::offset(2)))
        .build();
    let out = run(
        &e,
        "| makeresults | eval t=0 | convert timeformat=\"%H:%M\" ctime(t) | table t",
    );
    assert_eq!(out, "t\n02:00\n");
}

#[test]
fn wildcards_and_none_exclusion() {
    let out = run0(
        "| makeresults | eval aTime=0, bTime=60, cTime=120 \
         | convert timeformat=\"%M\" ctime(*Time) none(bTime) | table aTime bTime cTime",
    );
    assert_eq!(out, "aTime | bTime | cTime\n00    | 60    | 02\n");
}

#[test]
fn wildcard_as_substitutes() {
    let out = run0(
        "| makeresults | eval x_in=\"1,000\", x_out=\"2,500\" | convert rmcomma(x_*) AS y_* | table x_in y_in y_out",
    );
    assert_eq!(out, "x_in  | y_in | y_out\n1,000 | 1000 | 2500\n");
}

#[test]
fn mktime_parses_with_timeformat() {
    let out = run0(
        "| makeresults | eval s=\"2023-11-14 22:13:20\", bad=\"nope\" \
         | convert timeformat=\"%Y-%m-%d %H:%M:%S\" mktime(s) mktime(bad) | table s bad",
    );
    assert_eq!(out, "s          | bad\n1700000000 | nope\n");
}

#[test]
fn dur2sec_mstime_memk_rmunit() {
    let out = run0(
        "| makeresults | eval d=\"1+00:00:10\", m=\"01:30.5\", k=\"3m\", u=\"250ms\", v=\"n/a\" \
         | convert dur2sec(d) mstime(m) memk(k) rmunit(u) rmunit(v) | table d m k u v",
    );
    assert_eq!(
        out,
        "d     | m    | k    | u   | v\n86410 | 90.5 | 3072 | 250 | n/a\n"
    );
}

#[test]
fn num_removes_unconvertible_values() {
    let e = engine(vec![events(
        &[1.0, 2.0, 3.0],
        vec![col("x", &[Some("12"), Some("abc"), Some("1,234")])],
    )]);
    let out = run(
        &e,
        "index=main | sort _time | convert num(x) AS n | table x n",
    );
    assert_eq!(out, "x     | n\n12    | 12\nabc   | NULL\n1,234 | 1234\n");
}

#[test]
fn auto_converts_a_field_only_when_every_value_converts() {
    let e = engine(vec![
        events(&[1.0], vec![col("a", &[Some("1")]), col("b", &[Some("2")])]),
        events(
            &[2.0],
            vec![col("a", &[Some("x")]), col("b", &[Some("3.5")])],
        ),
    ]);
    // `a` has a non-numeric value in a later batch: it stays text; `b` becomes numbers
    let out = run(
        &e,
        "index=main | sort _time | convert auto(a) auto(b) | eval c=b*2 | table a b c",
    );
    assert_eq!(out, "a | b   | c\n1 | 2   | 4\nx | 3.5 | 7\n");
}

#[test]
fn multivalue_values_convert_one_by_one() {
    let e = engine(vec![events(&[1.0], vec![col("t", &[Some("0|60|bad")])])]);
    let out = run(
        &e,
        "index=main | convert timeformat=\"%M\" ctime(t) | table t",
    );
    assert_eq!(out, "t\n[00, 01, bad]\n");
}

#[test]
fn ctime_of_time_field() {
    let out = run0("| makeresults | convert timeformat=\"%Y\" ctime(_time) AS year | table year");
    assert_eq!(out, "year\n2023\n");
}

#[test]
fn bad_options_are_positioned_errors() {
    let (msg, at) = err_at("| makeresults | convert foo=1 ctime(_time)");
    assert!(msg.contains("unknown option `foo` of `convert`"), "{msg}");
    assert_eq!(at, "foo");
    let (msg, at) = err_at("| makeresults | convert ctime(a) AS b*");
    assert!(msg.contains("wildcard"), "{msg}");
    assert_eq!(at, "b*");
}

#[test]
fn spec_examples_run() {
    let e = empty();
    for ex in spl_engine::commands::convert::SPEC.examples {
        e.run(ex.spl)
            .unwrap_or_else(|err| panic!("{}: {err}", ex.spl));
    }
}
