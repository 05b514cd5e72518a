use crate::support::*;

fn mv_events() -> spl_engine::session::Engine {
    engine(vec![events(
        &[3.0, 2.0, 1.0],
        vec![
            col("m", &[Some("a|b|c"), None, Some("z")]),
            num("k", &[Some(1.5), Some(2.0), Some(3.0)]),
        ],
    )])
}

#[test]
fn mvexpand_one_row_per_value_and_drops_nulls() {
    let out = run(&mv_events(), "index=main | mvexpand m | table m k");
    assert_eq!(out, "m | k\na | 1.5\nb | 1.5\nc | 1.5\nz | 3\n");
}

#[test]
fn mvexpand_limit() {
    let out = run(&mv_events(), "index=main | mvexpand m limit=2 | table m");
    assert_eq!(out, "m\na\nb\nz\n");
}

#[test]
fn mvexpand_missing_field_removes_all_and_numbers_pass_through() {
    let out = run(&mv_events(), "index=main | mvexpand nosuch | table m");
    assert_eq!(out, "(no results)\n");
    let out = run(&mv_events(), "index=main | mvexpand k | stats sum(k) as s");
    assert_eq!(out, "s\n6.5\n");
}

#[test]
fn mvexpand_errors() {
    let (_, at) = err_at("| makeresults | mvexpand _raw");
    assert_eq!(at, "_raw");
    let (_, at) = err_at("| makeresults | mvexpand x limit=a");
    assert_eq!(at, "a");
    let (_, at) = err_at("| makeresults | mvexpand x max=1");
    assert_eq!(at, "max");
}

#[test]
fn spec_examples_run() {
    let e = empty();
    for ex in spl_engine::commands::mvexpand::SPEC.examples {
        e.run(ex.spl)
            .unwrap_or_else(|err| panic!("{}: {err}", ex.spl));
    }
}
