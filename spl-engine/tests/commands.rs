//! End-to-end tests of the engine's own commands over in-memory events.

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, Float64Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use spl_engine::session::Engine;
use spl_engine::source::SourceMeta;
use spl_engine::testing::render;
use std::sync::Arc;

/// A column of optional strings, or a multivalue column when any cell has a `|`.
fn col(name: &str, vals: &[Option<&str>]) -> (Field, ArrayRef) {
    if vals.iter().any(|v| v.is_some_and(|s| s.contains('|'))) {
        let mut b = ListBuilder::new(StringBuilder::new());
        for v in vals {
            match v {
                None => b.append(false),
                Some(s) => {
                    for p in s.split('|') {
                        b.values().append_value(p);
                    }
                    b.append(true);
                }
            }
        }
        let dt = DataType::List(Arc::new(Field::new("item", DataType::Utf8, true)));
        (Field::new(name, dt, true), Arc::new(b.finish()))
    } else {
        let a: arrow_array::StringArray = vals.iter().copied().collect();
        (Field::new(name, DataType::Utf8, true), Arc::new(a))
    }
}

fn events(times: &[f64], cols: Vec<(Field, ArrayRef)>) -> RecordBatch {
    let mut fields = vec![Field::new("_time", DataType::Float64, true)];
    let mut arrays: Vec<ArrayRef> = vec![Arc::new(Float64Array::from(times.to_vec()))];
    for (f, a) in cols {
        fields.push(f);
        arrays.push(a);
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).expect("test batch")
}

fn engine(batches: Vec<RecordBatch>) -> Engine {
    Engine::builder(1_000.0)
        .add_events(SourceMeta::new("web", "access.log", "access"), batches)
        .build()
}

fn run(e: &Engine, q: &str) -> String {
    let r = e.run(q).unwrap_or_else(|err| panic!("{q}: {err}"));
    render(&r, e.context()).expect("render")
}

fn sample() -> Engine {
    engine(vec![events(
        &[10.0, 30.0, 20.0, 40.0],
        vec![
            col(
                "_raw",
                &[
                    Some("GET /index.html 200 error-free"),
                    Some("POST /login 403 Errors"),
                    Some("GET /a 200"),
                    Some("x"),
                ],
            ),
            col("status", &[Some("200"), Some("403"), Some("200"), None]),
            col("user", &[Some("Alice"), Some("bob"), None, Some("carol")]),
            col("groups", &[Some("a|b"), Some("b"), Some(""), None]),
        ],
    )])
}

#[test]
fn base_search_orders_newest_first() {
    let out = run(&sample(), "index=web | table _time status");
    assert_eq!(
        out,
        "_time                         | status\n\
         1970-01-01T00:00:40.000+00:00 | NULL\n\
         1970-01-01T00:00:30.000+00:00 | 403\n\
         1970-01-01T00:00:20.000+00:00 | 200\n\
         1970-01-01T00:00:10.000+00:00 | 200\n"
    );
}

#[test]
fn base_search_without_index_sees_all() {
    assert!(run(&sample(), "status=200 | table status").ends_with("200\n200\n"));
    assert_eq!(
        run(&sample(), "index=other | table status"),
        "(no results)\n"
    );
}

#[test]
fn search_field_values_are_case_insensitive_with_wildcards() {
    assert_eq!(run(&sample(), "user=ALICE | table user"), "user\nAlice\n");
    assert_eq!(run(&sample(), "user=b* | table user"), "user\nbob\n");
    assert_eq!(
        run(&sample(), "status IN (40*, 500) | table status"),
        "status\n403\n"
    );
}

#[test]
fn search_ne_multivalue() {
    // `!=` needs the field; any differing value matches (UNK 2.5).
    assert_eq!(
        run(&sample(), "groups!=b | table user"),
        "user\nNULL\nAlice\n"
    );
    // `NOT` keeps rows without the field.
    assert_eq!(
        run(&sample(), "NOT groups=b | table user"),
        "user\ncarol\nNULL\n"
    );
}

#[test]
fn search_star_matches_empty() {
    assert_eq!(
        run(&sample(), "groups=* | table user"),
        "user\nbob\nNULL\nAlice\n"
    );
}

#[test]
fn search_terms_match_segments() {
    // `error` is a segment of `error-free`, not of `Errors`.
    assert_eq!(run(&sample(), "error | table status"), "status\n200\n");
    assert_eq!(
        run(&sample(), "error* | table status"),
        "status\n403\n200\n"
    );
    assert_eq!(run(&sample(), "\"GET /a\" | table status"), "status\n200\n");
}

#[test]
fn search_precedence_or_binds_tighter_than_and() {
    // `a b OR c` is `a AND (b OR c)`.
    assert_eq!(
        run(&sample(), "status=200 user=alice OR user=bob | table user"),
        "user\nAlice\n"
    );
}

#[test]
fn search_earliest_latest_bound_time() {
    assert_eq!(
        run(&sample(), "earliest=15 latest=35 | table status"),
        "status\n403\n200\n"
    );
}

#[test]
fn rename_wildcards_and_missing_sources() {
    let e = sample();
    assert_eq!(
        run(&e, "status=403 | rename us* AS the_us* | table the_user"),
        "the_user\nbob\n"
    );
    // Renaming a missing field onto an existing one removes it (10.2).
    assert_eq!(
        run(&e, "status=403 | rename nosuch AS user | table user"),
        "user\nNULL\n"
    );
}

#[test]
fn fields_keep_and_remove() {
    let e = sample();
    assert_eq!(
        run(
            &e,
            "status=403 | fields - _raw groups index source sourcetype | fields - _time"
        ),
        "status | user\n403    | bob\n"
    );
    assert_eq!(
        run(&e, "status=403 | fields user | fields - _raw _time"),
        "user\nbob\n"
    );
}

#[test]
fn table_orders_and_fills_missing() {
    assert_eq!(
        run(&sample(), "status=403 | table user nosuch status"),
        "user | nosuch | status\nbob  | NULL   | 403\n"
    );
}

#[test]
fn sort_numeric_and_missing_last() {
    let e = sample();
    assert_eq!(
        run(&e, "index=web | sort - status | table status"),
        "status\n403\n200\n200\nNULL\n"
    );
    assert_eq!(
        run(&e, "index=web | sort status | table status"),
        "status\n200\n200\n403\nNULL\n"
    );
    assert_eq!(
        run(&e, "index=web | sort 1 user | table user"),
        "user\nAlice\n"
    );
}

#[test]
fn head_and_tail() {
    let e = sample();
    assert_eq!(
        run(&e, "index=web | head 2 | table _time"),
        "_time\n1970-01-01T00:00:40.000+00:00\n1970-01-01T00:00:30.000+00:00\n"
    );
    assert_eq!(
        run(&e, "index=web | tail 2 | table _time"),
        "_time\n1970-01-01T00:00:10.000+00:00\n1970-01-01T00:00:20.000+00:00\n"
    );
}

#[test]
fn dedup_drops_missing_and_keeps_first() {
    let e = sample();
    assert_eq!(
        run(&e, "index=web | dedup status | table status"),
        "status\n403\n200\n"
    );
    assert_eq!(
        run(&e, "index=web | dedup status keepempty=true | table status"),
        "status\nNULL\n403\n200\n"
    );
}

#[test]
fn fillnull_skips_fields_null_everywhere() {
    let e = sample();
    assert_eq!(
        run(&e, "index=web | table user status nosuch | fillnull"),
        "user  | status | nosuch\ncarol | 0      | NULL\nbob   | 403    | NULL\n0     | 200    | NULL\nAlice | 200    | NULL\n"
    );
    assert_eq!(
        run(&e, "status=403 | fillnull value=x nosuch | table nosuch"),
        "nosuch\nx\n"
    );
}

#[test]
fn join_left_and_inner() {
    let e = sample();
    let q = "index=web | table user status | join type=left status [ search index=web status=403 | rename user AS other | table status other ]";
    assert_eq!(run(&e, q), "user  | status | other\ncarol | NULL   | NULL\nbob   | 403    | bob\nNULL  | 200    | NULL\nAlice | 200    | NULL\n");
    let q = "index=web | table user status | join status [ search index=web status=403 | rename user AS other | table status other ]";
    assert_eq!(run(&e, q), "user | status | other\nbob  | 403    | bob\n");
}

#[test]
fn join_overwrite_keeps_main_when_sub_null() {
    let e = sample();
    let q = "index=web status=403 | table status user | join status [ search index=web status=403 | table status user nothing ]";
    assert_eq!(
        run(&e, q),
        "status | user | nothing\n403    | bob  | NULL\n"
    );
}

#[test]
fn append_adds_subsearch_rows() {
    let e = sample();
    assert_eq!(run(&e, "index=web status=403 | table user | append [ search index=web user=carol | table user ]"), "user\nbob\ncarol\n");
}

#[test]
fn unknown_and_unsupported_commands_are_told_apart_with_spans() {
    let e = sample();
    let err = e.run("index=web | frobnicate x=1").unwrap_err();
    assert_eq!(
        spl_engine::testing::runner::code_of(&err),
        "spl::parse::unknown_command"
    );
    let err = e.run("index=web | xyseries a b c").unwrap_err();
    assert_eq!(
        spl_engine::testing::runner::code_of(&err),
        "spl::run::unsupported_command"
    );
    match err {
        spl_engine::EngineError::UnsupportedCommand { name, span } => {
            assert_eq!(name, "xyseries");
            assert_eq!((span.start, span.end), (12, 20));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn render_hides_internal_fields() {
    let e = engine(vec![events(
        &[1.0],
        vec![col("_hidden", &[Some("h")]), col("a", &[Some("1")])],
    )]);
    assert_eq!(
        run(&e, "* | fields - index source sourcetype"),
        "_time                         | a\n1970-01-01T00:00:01.000+00:00 | 1\n"
    );
}

#[test]
fn eval_where_and_precision() {
    let e = sample();
    assert_eq!(
        run(&e, "| makeresults | eval a=\"x\", b=a + \":\" + \"y\", c=round(7/2, 2), d=10/4 | table a b c d"),
        "a | b   | c    | d\nx | x:y | 3.50 | 2.5\n"
    );
    assert_eq!(
        run(&e, "index=web | where status > 250 | table status"),
        "status\n403\n"
    );
}

#[test]
fn foreach_substitutes_matchstr_even_in_strings() {
    let e = sample();
    let q = "| makeresults | eval avg_x=1, stdev_x=2, avg_y=5, stdev_y=0, x=10, y=3, anomalies=\"\" \
             | foreach stdev_* [ eval anomalies=if('<<MATCHSTR>>' > ('avg_<<MATCHSTR>>' + 3 * 'stdev_<<MATCHSTR>>'), anomalies + \"<<MATCHSTR>> 'stdev_<<MATCHSTR>>'=\" + tostring('stdev_<<MATCHSTR>>') + \", \", anomalies) ] \
             | table anomalies";
    assert_eq!(run(&e, q), "anomalies\n\"x 'stdev_x'=2, \"\n");
}

#[test]
fn foreach_skips_rows_without_field() {
    let e = engine(vec![events(
        &[1.0, 2.0],
        vec![
            col("www1", &[Some("5"), Some("7")]),
            col("www2", &[Some("1"), None]),
        ],
    )]);
    let q = "* | eval total=0 | foreach www* [ eval total = total + '<<FIELD>>' ] | table total";
    assert_eq!(run(&e, q), "total\n7\n6\n");
}

#[test]
fn sort_default_limit() {
    let e = sample();
    let r = e
        .run("| makeresults count=10005 | streamstats count as n | sort - n")
        .expect("sort");
    assert_eq!(r.num_rows(), 10_000);
    let r = e
        .run("| makeresults count=10005 | streamstats count as n | sort 0 - n")
        .expect("sort");
    assert_eq!(r.num_rows(), 10_005);
}
