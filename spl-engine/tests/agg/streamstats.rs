use crate::support::*;
use arrow_array::RecordBatch;
use spl_engine::plan::plan_stage;
use spl_engine::EngineError;
use spl_parser::ast::{Agg, Command, Opt};

fn streamstats(
    aggs: Vec<Agg>,
    by: &[&str],
    options: Vec<Opt>,
    input: Vec<RecordBatch>,
) -> Vec<String> {
    let cmd = stats_cmd(aggs, by, options);
    let st = stage("streamstats", Command::Streamstats(cmd.clone()));
    let mut op = plan_stage(&st, &ctx(), false).unwrap();
    render(&run(op.as_mut(), input))
}

fn input() -> Vec<RecordBatch> {
    vec![
        batch(vec![
            ("g", strs(&[Some("a"), Some("a"), Some("b")])),
            ("v", nums(&[Some(1.0), Some(5.0), Some(2.0)])),
        ]),
        batch(vec![
            ("g", strs(&[Some("a"), None, Some("b")])),
            ("v", nums(&[Some(3.0), Some(9.0), Some(4.0)])),
        ]),
    ]
}

fn column(out: &[String], idx: usize) -> Vec<String> {
    out.iter()
        .skip(1)
        .map(|l| l.split(" ; ").nth(idx).unwrap_or("?").to_string())
        .collect()
}

#[test]
fn count_numbers_events() {
    let out = streamstats(vec![agg("count", None, None)], &[], vec![], input());
    assert_eq!(out[0], "g ; v ; count");
    assert_eq!(column(&out, 2), vec!["1", "2", "3", "4", "5", "6"]);
}

#[test]
fn running_aggregates_by_group() {
    let out = streamstats(
        vec![
            agg("sum", Some("v"), None),
            agg("avg", Some("v"), None),
            agg("max", Some("v"), None),
            agg("values", Some("v"), None),
        ],
        &["g"],
        vec![],
        input(),
    );
    assert_eq!(
        out,
        vec![
            "g ; v ; sum(v) ; avg(v) ; max(v) ; values(v)",
            "a ; 1 ; 1 ; 1 ; 1 ; [1]",
            "a ; 5 ; 6 ; 3 ; 5 ; [1|5]",
            "b ; 2 ; 2 ; 2 ; 2 ; [2]",
            "a ; 3 ; 9 ; 3 ; 5 ; [1|3|5]",
            "- ; 9 ; - ; - ; - ; -",
            "b ; 4 ; 6 ; 3 ; 4 ; [2|4]",
        ]
    );
}

#[test]
fn current_false_excludes_the_event() {
    let out = streamstats(
        vec![agg("sum", Some("v"), None)],
        &[],
        vec![opt("current", "f")],
        input(),
    );
    assert_eq!(column(&out, 2), vec!["-", "1", "6", "8", "11", "20"]);
}

#[test]
fn window_global_and_per_group() {
    let global = streamstats(
        vec![agg("sum", Some("v"), None)],
        &["g"],
        vec![opt("window", "2")],
        input(),
    );
    // shared window of the last 2 events, summed over the event's group
    assert_eq!(column(&global, 2), vec!["1", "6", "2", "3", "-", "4"]);
    let per_group = streamstats(
        vec![agg("sum", Some("v"), None), agg("dc", Some("v"), None)],
        &["g"],
        vec![opt("window", "2"), opt("global", "false")],
        input(),
    );
    assert_eq!(column(&per_group, 2), vec!["1", "6", "2", "8", "-", "6"]);
    assert_eq!(column(&per_group, 3), vec!["1", "2", "1", "2", "-", "2"]);
}

#[test]
fn reset_on_change_starts_over() {
    let out = streamstats(
        vec![agg("count", None, None), agg("list", Some("v"), None)],
        &["g"],
        vec![opt("reset_on_change", "true")],
        input(),
    );
    assert_eq!(column(&out, 2), vec!["1", "2", "1", "1", "-", "1"]);
    assert_eq!(
        column(&out, 3),
        vec!["[1]", "[1|5]", "[2]", "[3]", "-", "[4]"]
    );
}

#[test]
fn bad_window_is_an_error() {
    let cmd = stats_cmd(
        vec![agg("count", None, None)],
        &[],
        vec![opt("window", "-1")],
    );
    let st = stage("streamstats", Command::Streamstats(cmd.clone()));
    assert!(matches!(
        plan_stage(&st, &ctx(), false),
        Err(EngineError::InvalidArgument { .. })
    ));
}
