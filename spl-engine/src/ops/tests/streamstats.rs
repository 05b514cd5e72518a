use super::support::*;
use crate::plan::plan_stage;
use crate::EngineError;
use arrow_array::RecordBatch;
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

/// Plans the single stage of `text` (a pipeline fragment).
fn parsed(text: &str) -> Box<dyn crate::operator::Operator> {
    let p = spl_parser::parse_pipeline(text).unwrap();
    plan_stage(&p.stages[0], &ctx(), false).unwrap()
}

/// Batches of 400 rows: `v` cycles through 0..5, `g` through a, b, c, and
/// `_time` ascends one second per row.
fn long_input(batches: usize) -> (Vec<RecordBatch>, Vec<(f64, &'static str, f64)>) {
    let mut rows = Vec::new();
    let mut out = Vec::new();
    for b in 0..batches {
        let part: Vec<(f64, &'static str, f64)> = (0..400)
            .map(|i| {
                let k = b * 400 + i;
                ((k * 7 % 5) as f64, ["a", "b", "c"][k % 3], k as f64)
            })
            .collect();
        out.push(batch(vec![
            (
                "v",
                nums(&part.iter().map(|r| Some(r.0)).collect::<Vec<_>>()),
            ),
            (
                "g",
                strs(&part.iter().map(|r| Some(r.1)).collect::<Vec<_>>()),
            ),
            (
                "_time",
                nums(&part.iter().map(|r| Some(r.2)).collect::<Vec<_>>()),
            ),
        ]));
        rows.extend(part);
    }
    (out, rows)
}

#[test]
fn reset_after_on_own_output_across_chunks_and_batches() {
    // Rows are computed in chunks before `reset_after` is checked; every
    // reset inside a chunk recomputes the rest of it.
    let (input, rows) = long_input(3);
    let mut op = parsed("streamstats sum(v) AS s reset_after=(s >= 9)");
    let out = render(&run(op.as_mut(), input));
    let mut expected = Vec::new();
    let mut s = 0.0;
    for (v, _, _) in &rows {
        s += v;
        expected.push(format!("{s}"));
        if s >= 9.0 {
            s = 0.0;
        }
    }
    assert_eq!(column(&out, 3), expected);
}

#[test]
fn reset_after_rarely_and_reset_before_often() {
    let (input, rows) = long_input(2);
    let mut op = parsed(
        "streamstats count AS n reset_after=(n == 500) reset_before=(v == 4 AND g == \"c\")",
    );
    let out = render(&run(op.as_mut(), input));
    let mut expected = Vec::new();
    let mut n = 0;
    for (v, g, _) in &rows {
        if *v == 4.0 && *g == "c" {
            n = 0;
        }
        n += 1;
        expected.push(n.to_string());
        if n == 500 {
            n = 0;
        }
    }
    assert_eq!(column(&out, 3), expected);
}

#[test]
fn time_window_per_group_across_batches() {
    // 10s window, ascending: per group, the group's rows less than 10s before.
    let (input, rows) = long_input(2);
    let mut op = parsed("streamstats time_window=10s count AS n max(v) AS m BY g global=false");
    let out = render(&run(op.as_mut(), input));
    let mut counts = Vec::new();
    let mut maxes = Vec::new();
    for (i, (_, g, t)) in rows.iter().enumerate() {
        let inside: Vec<f64> = rows[..=i]
            .iter()
            .filter(|r| r.1 == *g && r.2 > t - 10.0)
            .map(|r| r.0)
            .collect();
        counts.push(inside.len().to_string());
        maxes.push(format!(
            "{}",
            inside.iter().cloned().fold(f64::MIN, f64::max)
        ));
    }
    assert_eq!(column(&out, 3), counts);
    assert_eq!(column(&out, 4), maxes);
}
