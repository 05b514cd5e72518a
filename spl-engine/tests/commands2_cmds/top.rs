use crate::support::*;

fn users() -> spl_engine::session::Engine {
    engine(vec![events(
        &[7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0],
        vec![
            col(
                "user",
                &[
                    Some("bob"),
                    Some("alice"),
                    Some("bob"),
                    Some("carol"),
                    Some("alice"),
                    Some("bob"),
                    None,
                ],
            ),
            col(
                "host",
                &[
                    Some("h1"),
                    Some("h1"),
                    Some("h2"),
                    Some("h2"),
                    Some("h2"),
                    Some("h1"),
                    Some("h1"),
                ],
            ),
        ],
    )])
}

#[test]
fn top_counts_and_percent() {
    let out = run(&users(), "index=main | top user");
    assert_eq!(
        out,
        "user  | count | percent\n\
         bob   | 3     | 50.000000\n\
         alice | 2     | 33.333333\n\
         carol | 1     | 16.666667\n"
    );
}

#[test]
fn top_limit_and_rare() {
    let out = run(&users(), "index=main | top 1 user");
    assert_eq!(out, "user | count | percent\nbob  | 3     | 50.000000\n");
    let out = run(&users(), "index=main | rare user limit=2 showperc=f");
    assert_eq!(out, "user  | count\ncarol | 1\nalice | 2\n");
}

#[test]
fn top_by_groups_and_other() {
    let out = run(
        &users(),
        "index=main | top limit=1 useother=t otherstr=REST countfield=n percentfield=p user by host",
    );
    assert_eq!(
        out,
        "host | user  | n | p\n\
         h1   | bob   | 2 | 66.666667\n\
         h1   | REST  | 1 | 33.333333\n\
         h2   | alice | 1 | 33.333333\n\
         h2   | REST  | 2 | 66.666667\n"
    );
}

#[test]
fn top_several_fields_count_combinations() {
    let out = run(&users(), "index=main | top user host showcount=false");
    assert_eq!(
        out,
        "user  | host | percent\n\
         bob   | h1   | 33.333333\n\
         alice | h1   | 16.666667\n\
         alice | h2   | 16.666667\n\
         bob   | h2   | 16.666667\n\
         carol | h2   | 16.666667\n"
    );
}

#[test]
fn top_multivalue_and_empty() {
    let e = engine(vec![events(
        &[1.0, 2.0],
        vec![col("g", &[Some("a|b"), Some("a")])],
    )]);
    let out = run(&e, "index=main | top g");
    assert_eq!(
        out,
        "g | count | percent\na | 2     | 66.666667\nb | 1     | 33.333333\n"
    );
    let out = run(&e, "index=main | top nosuch");
    assert_eq!(out, "(no results)\n");
}

#[test]
fn top_errors() {
    let (_, at) = err_at("| makeresults | top limit=x a");
    assert_eq!(at, "x");
    let (_, at) = err_at("| makeresults | top a*");
    assert_eq!(at, "a*");
    let (_, at) = err_at("| makeresults | rare showcount=maybe a");
    assert_eq!(at, "maybe");
}

#[test]
fn spec_examples_run() {
    let e = empty();
    for spec in [
        &spl_engine::commands::top::SPEC,
        &spl_engine::commands::rare::SPEC,
    ] {
        for ex in spec.examples {
            e.run(ex.spl)
                .unwrap_or_else(|err| panic!("{}: {err}", ex.spl));
        }
    }
}
