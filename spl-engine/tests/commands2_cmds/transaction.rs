use crate::support::*;
use spl_engine::session::Engine;

fn txn_events() -> Engine {
    engine(vec![events(
        &[100.0, 90.0, 60.0, 30.0, 20.0, 10.0, 5.0],
        vec![
            col(
                "_raw",
                &[
                    Some("u1 logout"),
                    Some("u2 login"),
                    Some("u1 read"),
                    Some("u1 login"),
                    Some("u2 read"),
                    Some("u3 other"),
                    Some("no user"),
                ],
            ),
            col(
                "user",
                &[
                    Some("u1"),
                    Some("u2"),
                    Some("u1"),
                    Some("u1"),
                    Some("u2"),
                    Some("u3"),
                    None,
                ],
            ),
            col(
                "action",
                &[
                    Some("logout"),
                    Some("login"),
                    Some("read"),
                    Some("login"),
                    Some("read"),
                    Some("x"),
                    Some("y"),
                ],
            ),
        ],
    )])
}

#[test]
fn groups_by_field_with_duration_and_eventcount() {
    let out = run(
        &txn_events(),
        "index=main | transaction user | table _time user action duration eventcount",
    );
    assert_eq!(
        out,
        "_time                         | user | action                | duration | eventcount\n\
         1970-01-01T00:00:30.000+00:00 | u1   | [login, logout, read] | 70       | 3\n\
         1970-01-01T00:00:20.000+00:00 | u2   | [login, read]         | 70       | 2\n\
         1970-01-01T00:00:10.000+00:00 | u3   | x                     | 0        | 1\n"
    );
}

#[test]
fn raw_joined_oldest_first_and_mvlist() {
    let out = run(
        &txn_events(),
        "index=main | transaction user mvlist=true | search user=u1 | eval r=replace(_raw, \"\\n\", \";\") | table r action",
    );
    assert_eq!(
        out,
        "r                          | action\nu1 login;u1 read;u1 logout | [login, read, logout]\n"
    );
}

#[test]
fn startswith_endswith_drop_incomplete() {
    let out = run(
        &txn_events(),
        "index=main | transaction user startswith=(action=login) endswith=eval(action==\"logout\") | table user eventcount",
    );
    assert_eq!(out, "user | eventcount\nu1   | 3\n");
    let out = run(
        &txn_events(),
        "index=main | transaction user startswith=\"login\" endswith=\"logout\" keepevicted=true | table user eventcount closed_txn",
    );
    assert_eq!(
        out,
        "user | eventcount | closed_txn\nu2   | 1          | 0\nu1   | 3          | 1\n"
    );
}

#[test]
fn maxspan_and_maxpause_split() {
    let out = run(
        &txn_events(),
        "index=main | transaction user maxspan=40s | table user eventcount duration",
    );
    assert_eq!(
        out,
        "user | eventcount | duration\nu1   | 1          | 0\nu2   | 1          | 0\nu1   | 2          | 30\nu2   | 1          | 0\nu3   | 1          | 0\n"
    );
    let out = run(
        &txn_events(),
        "index=main | transaction user maxpause=35s maxevents=2 | table user eventcount",
    );
    assert_eq!(
        out,
        "user | eventcount\nu1   | 1\nu2   | 1\nu1   | 2\nu2   | 1\nu3   | 1\n"
    );
}

#[test]
fn two_fields_connected() {
    let e = engine(vec![events(
        &[3.0, 2.0, 1.0],
        vec![
            col("a", &[Some("x"), None, Some("x")]),
            col("b", &[Some("1"), Some("1"), Some("2")]),
        ],
    )]);
    // b=1 (no a) joins the open transaction only when it agrees on b
    let out = run(&e, "index=main | transaction a b | table a b eventcount");
    assert_eq!(out, "a | b | eventcount\nx | 1 | 2\nx | 2 | 1\n");
}

#[test]
fn no_field_list_is_one_stream() {
    let out = run(
        &txn_events(),
        "index=main | transaction maxpause=15s | table eventcount duration",
    );
    assert_eq!(
        out,
        "eventcount | duration\n2          | 10\n1          | 0\n4          | 25\n"
    );
}

#[test]
fn errors() {
    let (_, at) = err_at("| makeresults | transaction x maxspan=10q");
    assert_eq!(at, "10q");
    let q = "| makeresults | transaction x startswith=eval(nosuchfn(a))";
    match run_err(&empty(), q) {
        spl_engine::EngineError::UnknownFunction { name, span, .. } => {
            assert_eq!(name, "nosuchfn");
            assert_eq!(
                &q[span.start as usize..span.end as usize],
                "eval(nosuchfn(a))"
            );
        }
        other => panic!("{other:?}"),
    }
    let (_, at) = err_at("| makeresults | transaction x startswith=(a=\"unclosed)");
    assert!(at.starts_with("(a="), "{at}");
    let (_, at) = err_at("| makeresults | transaction x maxopentxn=5");
    assert_eq!(at, "maxopentxn=5");
}

#[test]
fn spec_examples_run() {
    let e = empty();
    for ex in spl_engine::commands::transaction::SPEC.examples {
        let r = e
            .run(ex.spl)
            .unwrap_or_else(|err| panic!("{}: {err}", ex.spl));
        assert_eq!(r.num_rows(), 1);
    }
}
