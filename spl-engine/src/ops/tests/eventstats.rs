use super::support::*;
use crate::plan::plan_stage;
use arrow_array::RecordBatch;
use spl_parser::ast::{Agg, Command};

fn eventstats(aggs: Vec<Agg>, by: &[&str], input: Vec<RecordBatch>) -> Vec<String> {
    let cmd = stats_cmd(aggs, by, vec![]);
    let st = stage("eventstats", Command::Eventstats(cmd.clone()));
    let mut op = plan_stage(&st, &ctx(), false).unwrap();
    render(&run(op.as_mut(), input))
}

#[test]
fn appends_group_aggregates_to_every_event() {
    let b1 = batch(vec![
        ("g", strs(&[Some("a"), Some("b"), None])),
        ("age", strs(&[Some("10"), Some("x"), Some("5")])),
    ]);
    let b2 = batch(vec![
        ("g", strs(&[Some("a")])),
        ("age", strs(&[Some("20")])),
    ]);
    let out = eventstats(
        vec![agg("avg", Some("age"), None), agg("count", None, Some("n"))],
        &["g"],
        vec![b1, b2],
    );
    assert_eq!(
        out,
        vec![
            "g ; age ; avg(age) ; n",
            "a ; 10 ; 15 ; 2",
            "b ; x ; - ; 1",
            "- ; 5 ; - ; -",
            "a ; 20 ; 15 ; 2",
        ]
    );
}

#[test]
fn without_by_every_event_gets_the_total_and_existing_fields_are_overwritten() {
    let b = batch(vec![
        ("v", nums(&[Some(1.0), Some(2.0)])),
        ("total", strs(&[Some("old"), None])),
    ]);
    let out = eventstats(vec![agg("sum", Some("v"), Some("total"))], &[], vec![b]);
    assert_eq!(out, vec!["v ; total", "1 ; 3", "2 ; 3"]);
}
