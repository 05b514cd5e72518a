//! The run profile and the base-search facts (`Engine::run_query_explained`,
//! issue 16 item 1) through the public API: per-stage counts, the facts that
//! explain a zero, and that explaining never changes the rows.
#![allow(clippy::unwrap_used)] // tests may unwrap

use arrow_array::{Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use spl_engine::explain::{Explanation, FactsWhen, TimeOrigin};
use spl_engine::session::{Engine, QueryResult};
use spl_engine::source::SourceMeta;
use std::sync::Arc;

/// 2024-05-01T00:00:00Z
const NOW: f64 = 1714521600.0;

/// Five events an hour apart ending an hour before `NOW`, `user` and
/// `status` on each.
fn events(users: &[&str], status: &[&str]) -> RecordBatch {
    let n = users.len();
    let schema = Arc::new(Schema::new(vec![
        Field::new("_time", DataType::Float64, true),
        Field::new("user", DataType::Utf8, true),
        Field::new("status", DataType::Utf8, true),
    ]));
    let times: Vec<f64> = (0..n).map(|i| NOW - 3600.0 * (n - i) as f64).collect();
    RecordBatch::try_new(
        schema,
        vec![
            Arc::new(Float64Array::from(times)),
            Arc::new(StringArray::from(users.to_vec())),
            Arc::new(StringArray::from(status.to_vec())),
        ],
    )
    .unwrap()
}

fn engine() -> Engine {
    let b1 = events(&["alice", "bob", "carol"], &["200", "404", "404"]);
    let b2 = events(&["dave", "erin"], &["200", "200"]);
    Engine::builder(NOW)
        .add_events(SourceMeta::new("web", "access.log", "access"), vec![b1, b2])
        .build()
}

fn explained(e: &Engine, q: &str, when: FactsWhen) -> (QueryResult, Explanation) {
    let x = e.expand(q).unwrap();
    let ast = spl_parser::parse(&x.text).unwrap();
    let r = e.run_query_explained(&ast, &x.text, when).unwrap();
    let ex = r.explain.clone().unwrap();
    (r, ex)
}

#[test]
fn stage_counts() {
    let e = engine();
    let (r, ex) = explained(
        &e,
        "index=web | where status=\"404\" | stats count",
        FactsWhen::Never,
    );
    assert_eq!(r.num_rows(), 1);
    let s = &ex.stages;
    assert_eq!(s.len(), 3);
    assert_eq!(
        (s[0].command.as_str(), s[0].text.as_str()),
        ("search", "index=web")
    );
    assert_eq!(
        (s[0].rows_in, s[0].rows_out, s[0].batches_out),
        (None, 5, 2)
    );
    assert_eq!(s[1].text, "where status=\"404\"");
    assert_eq!(
        (s[1].rows_in, s[1].batches_in, s[1].rows_out),
        (Some(5), Some(2), 2)
    );
    assert_eq!(
        (s[2].rows_in, s[2].rows_out, s[2].batches_out),
        (Some(2), 1, 1)
    );
    assert!(s.iter().all(|st| st.seconds >= 0.0));
    assert!(ex.base.is_none(), "no facts unless asked");
}

#[test]
fn head_stops_the_count() {
    let e = engine();
    let (r, ex) = explained(&e, "index=web | head 2", FactsWhen::Never);
    assert_eq!(r.num_rows(), 2);
    assert_eq!(ex.stages[1].rows_out, 2);
    // the newest-first base search hands head what it holds, head keeps two
    assert!(ex.stages[1].rows_in.unwrap() >= 2);
}

#[test]
fn explaining_changes_no_row() {
    let e = engine();
    for q in [
        "index=web | where status=\"404\" | stats count by user",
        "index=web | head 3 | table user status",
        "| makeresults count=2 | eval x=1",
        "index=web earliest=-2h | stats count",
    ] {
        let plain = e.run(q).unwrap();
        let (r, _) = explained(&e, q, FactsWhen::Always);
        assert_eq!(plain.batches, r.batches, "{q}");
        assert_eq!(
            plain.scan, r.scan,
            "{q}: the facts pass is not counted as the search's"
        );
    }
}

#[test]
fn facts_of_a_time_range_that_excludes_everything() {
    let e = engine();
    let (r, ex) = explained(
        &e,
        "index=web earliest=-30d latest=-7d | stats count",
        FactsWhen::Empty,
    );
    assert_eq!(r.num_rows(), 1, "stats count returns its 0");
    let b = ex.base.unwrap();
    assert_eq!(b.events_read, 5);
    assert_eq!(b.time.origin, TimeOrigin::Search);
    assert_eq!(b.time.excluded, 5);
    assert_eq!(b.time.earliest, Some(NOW - 30.0 * 86400.0));
    assert_eq!(b.time.latest, Some(NOW - 7.0 * 86400.0));
    let d = &b.datasets[0];
    assert_eq!((d.events_read, d.without_time), (5, 0));
    // two batches, each ending an hour before now: the span is over both
    assert_eq!(d.earliest, Some(NOW - 3.0 * 3600.0));
    assert_eq!(d.latest, Some(NOW - 3600.0));
    // the window keeps the last 90 minutes: three of five events are out
    let (_, ex) = explained(&e, "index=web earliest=-90m", FactsWhen::Always);
    assert_eq!(ex.base.unwrap().time.excluded, 3);
}

#[test]
fn facts_of_the_picker() {
    let e = Engine::builder(NOW)
        .add_events(
            SourceMeta::new("web", "access.log", "access"),
            vec![events(&["a"], &["200"])],
        )
        .time_range(Some("-1y"), Some("-300d"))
        .unwrap()
        .build();
    let (_, ex) = explained(&e, "index=web", FactsWhen::Empty);
    let t = ex.base.unwrap().time;
    assert_eq!((t.origin, t.excluded), (TimeOrigin::Picker, 1));
}

#[test]
fn each_default_field_term_counted_alone() {
    let e = Engine::builder(NOW)
        .add_events(
            SourceMeta::new("web", "access.log", "access"),
            vec![events(&["a", "b"], &["200", "404"])],
        )
        .add_events(
            SourceMeta::new("main", "kube.json", "_json"),
            vec![events(&["c"], &["200"])],
        )
        .build();
    let (r, ex) = explained(
        &e,
        "index=web source=\"kubernetes\" NOT sourcetype=_json",
        FactsWhen::Empty,
    );
    assert_eq!(r.num_rows(), 0);
    let b = ex.base.unwrap();
    assert_eq!(b.events_read, 3, "every dataset is read, none skipped");
    let t: Vec<(&str, &str, u64)> = b
        .terms
        .iter()
        .map(|t| (t.text.as_str(), t.field.as_str(), t.excluded))
        .collect();
    assert_eq!(
        t,
        [
            ("index=web", "index", 1),
            ("source=\"kubernetes\"", "source", 3),
            ("NOT sourcetype=_json", "sourcetype", 1),
        ]
    );
    assert_eq!(b.terms[1].values, ["access.log", "kube.json"]);
}

#[test]
fn missing_fields_with_near_misses() {
    let e = engine();
    let (_, ex) = explained(
        &e,
        "index=web Status=404 | eval u=lower(usr) | where u=\"x\" | stats count by user",
        FactsWhen::Always,
    );
    let m: Vec<(&str, Vec<String>, Vec<String>)> = ex
        .base
        .as_ref()
        .unwrap()
        .missing_fields
        .iter()
        .map(|m| (m.name.as_str(), m.used_by.clone(), m.suggestions.clone()))
        .collect();
    assert_eq!(
        m,
        [
            ("Status", vec!["search".into()], vec!["status".into()]),
            ("usr", vec!["eval".into()], vec!["user".into()]),
        ]
    );
}

#[test]
fn no_data_and_other_first_commands() {
    let e = Engine::builder(NOW).build();
    let (_, ex) = explained(&e, "* | stats count", FactsWhen::Empty);
    let b = ex.base.unwrap();
    assert!(b.datasets.is_empty());
    assert_eq!(b.events_read, 0);
    let (_, ex) = explained(&e, "| makeresults | where x=1", FactsWhen::Always);
    assert!(ex.base.is_none(), "facts are the base search's");
    // rows came back: no facts when only a zero asks for them
    let (_, ex) = explained(&engine(), "index=web", FactsWhen::Empty);
    assert!(ex.base.is_none());
}

#[test]
fn hint_facts_read_within_a_budget() {
    let big = |n: usize| {
        let users: Vec<&str> = vec!["u"; n];
        events(&users, &users)
    };
    let n = 60_000;
    let e = Engine::builder(NOW)
        .add_events(
            SourceMeta::new("web", "big.log", "access"),
            vec![big(n), big(n), big(n)],
        )
        .add_events(SourceMeta::new("web", "small.log", "access"), vec![big(10)])
        .build();
    let (_, ex) = explained(&e, "index=nosuch | stats count", FactsWhen::Empty);
    let b = ex.base.unwrap();
    // the batch that reaches the budget is the last one read
    assert!(spl_engine::explain::HINT_EVENTS <= 2 * n as u64);
    assert_eq!(
        (b.datasets[0].events_read, b.datasets[0].partial),
        (120_000, true)
    );
    assert_eq!(
        (b.datasets[1].events_read, b.datasets[1].partial),
        (10, false)
    );
    assert_eq!(b.terms[0].excluded, 120_010);
    // --explain reads everything
    let (_, ex) = explained(&e, "index=nosuch | stats count", FactsWhen::Always);
    let b = ex.base.unwrap();
    assert_eq!(
        (b.datasets[0].events_read, b.datasets[0].partial),
        (180_000, false)
    );
}
