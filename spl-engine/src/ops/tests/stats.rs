use super::support::*;
use crate::plan::plan_stage;
use crate::EngineError;
use spl_parser::ast::{Agg, Command, Opt};

fn stats(
    aggs: Vec<Agg>,
    by: &[&str],
    options: Vec<Opt>,
    input: Vec<arrow_array::RecordBatch>,
) -> Vec<String> {
    let cmd = stats_cmd(aggs, by, options);
    let st = stage("stats", Command::Stats(cmd.clone()));
    let mut op = plan_stage(&st, &ctx(), false).unwrap();
    render(&run(op.as_mut(), input))
}

fn stats_err(aggs: Vec<Agg>, by: &[&str]) -> EngineError {
    let cmd = stats_cmd(aggs, by, vec![]);
    let st = stage("stats", Command::Stats(cmd.clone()));
    match plan_stage(&st, &ctx(), false) {
        Err(e) => e,
        Ok(_) => panic!("expected an error"),
    }
}

#[test]
fn no_by_gives_one_row_even_without_input() {
    let out = stats(
        vec![
            agg("count", None, None),
            agg("avg", Some("x"), None),
            agg("dc", Some("x"), None),
        ],
        &[],
        vec![],
        vec![],
    );
    assert_eq!(out, vec!["count ; avg(x) ; dc(x)", "0 ; - ; 0"]);
}

#[test]
fn by_rows_sorted_null_dropped_columns_in_order() {
    let b = batch(vec![
        (
            "host",
            strs(&[Some("b"), Some("a"), None, Some("B"), Some("a"), Some("")]),
        ),
        (
            "bytes",
            strs(&[Some("10"), Some("5"), Some("7"), Some("x"), None, Some("1")]),
        ),
    ]);
    let out = stats(
        vec![
            agg("sum", Some("bytes"), None),
            agg("count", None, None),
            agg("c", Some("bytes"), Some("n")),
        ],
        &["host"],
        vec![],
        vec![b],
    );
    assert_eq!(
        out,
        vec![
            "host ; sum(bytes) ; count ; n",
            " ; 1 ; 1 ; 1",
            "B ; - ; 1 ; 1",
            "a ; 5 ; 2 ; 1",
            "b ; 10 ; 1 ; 1",
        ]
    );
}

#[test]
fn every_numeric_function() {
    let vals = [65.0, 42.0, 40.0, 31.0, 47.0, 53.0, 64.0];
    let b = batch(vec![(
        "t",
        nums(&vals.iter().map(|v| Some(*v)).collect::<Vec<_>>()),
    )]);
    let fns = [
        "count",
        "dc",
        "sum",
        "avg",
        "mean",
        "min",
        "max",
        "range",
        "stdev",
        "stdevp",
        "var",
        "varp",
        "sumsq",
        "median",
        "perc50",
        "p95",
        "exactperc95",
        "upperperc95",
        "mode",
    ];
    let aggs = fns.iter().map(|f| agg(f, Some("t"), Some(f))).collect();
    let out = stats(aggs, &[], vec![], vec![b]);
    let row: Vec<&str> = out[1].split(" ; ").collect();
    let got: Vec<(&str, &str)> = fns.iter().copied().zip(row).collect();
    assert_eq!(
        got,
        vec![
            ("count", "7"),
            ("dc", "7"),
            ("sum", "342"),
            ("avg", "48.857142857142854"),
            ("mean", "48.857142857142854"),
            ("min", "31"),
            ("max", "65"),
            ("range", "34"),
            ("stdev", "12.615183595289349"),
            ("stdevp", "11.67939053483984"),
            ("var", "159.14285714285748"),
            ("varp", "136.40816326530643"),
            ("sumsq", "17664"),
            ("median", "47"),
            ("perc50", "47"),
            ("p95", "64.7"),
            ("exactperc95", "64.7"),
            ("upperperc95", "65"),
            ("mode", "65"),
        ]
    );
}

#[test]
fn percentile_examples_from_docs() {
    let b = batch(vec![(
        "v",
        nums(&(1..=10).map(|i| Some(i as f64)).collect::<Vec<_>>()),
    )]);
    let out = stats(
        vec![
            agg("perc50", Some("v"), None),
            agg("perc95", Some("v"), None),
            agg("p99.5", Some("v"), None),
        ],
        &[],
        vec![],
        vec![b],
    );
    assert_eq!(
        out,
        vec!["perc50(v) ; perc95(v) ; p99.5(v)", "5.5 ; 9.55 ; 9.955"]
    );
}

#[test]
fn non_numeric_values_ignored_by_numeric_functions() {
    let b = batch(vec![(
        "v",
        strs(&[Some("1"), Some("abc"), Some("3"), None, Some("")]),
    )]);
    let out = stats(
        vec![
            agg("avg", Some("v"), None),
            agg("count", Some("v"), None),
            agg("max", Some("v"), None),
            agg("min", Some("v"), None),
            agg("values", Some("v"), None),
        ],
        &[],
        vec![],
        vec![b],
    );
    assert_eq!(
        out,
        vec![
            "avg(v) ; count(v) ; max(v) ; min(v) ; values(v)",
            "2 ; 4 ; abc ; 1 ; [|1|3|abc]"
        ]
    );
}

#[test]
fn multivalue_values_each_count_and_by_splits() {
    let b = batch(vec![
        (
            "a",
            mv(&[Some(&["x", "y"]), Some(&["x"]), None, Some(&["AAA", "AAA"])]),
        ),
        ("g", strs(&[Some("1"), Some("1"), Some("1"), Some("2")])),
    ]);
    let out = stats(
        vec![
            agg("count", Some("a"), Some("count")),
            agg("values", Some("a"), Some("a")),
        ],
        &["g"],
        vec![],
        vec![b.clone()],
    );
    assert_eq!(out, vec!["g ; count ; a", "1 ; 3 ; [x|y]", "2 ; 2 ; [AAA]"]);
    // one event with STR=[AAA, AAA]: `stats count BY STR` gives 2 (5.2)
    let by_mv = stats(
        vec![agg("count", None, None)],
        &["a"],
        vec![],
        vec![b.clone()],
    );
    assert_eq!(by_mv, vec!["a ; count", "AAA ; 2", "x ; 2", "y ; 1"]);
    let dedup = stats(
        vec![agg("count", None, None)],
        &["a"],
        vec![opt("dedup_splitvals", "true")],
        vec![b],
    );
    assert_eq!(dedup, vec!["a ; count", "AAA ; 1", "x ; 2", "y ; 1"]);
}

#[test]
fn multivalue_by_cross_product() {
    let b = batch(vec![
        ("p", mv(&[Some(&["1", "2"])])),
        ("q", mv(&[Some(&["b", "a"])])),
    ]);
    let out = stats(vec![agg("count", None, None)], &["p", "q"], vec![], vec![b]);
    assert_eq!(
        out,
        vec![
            "p ; q ; count",
            "1 ; a ; 1",
            "1 ; b ; 1",
            "2 ; a ; 1",
            "2 ; b ; 1"
        ]
    );
}

#[test]
fn values_byte_order_and_list_processing_order() {
    let b1 = batch(vec![(
        "v",
        strs(&[Some("b"), Some("100"), Some("10"), Some("B")]),
    )]);
    let b2 = batch(vec![("v", strs(&[Some("1000"), Some("101"), Some("b")]))]);
    let out = stats(
        vec![
            agg("values", Some("v"), None),
            agg("list", Some("v"), None),
            agg("first", Some("v"), None),
            agg("last", Some("v"), None),
        ],
        &[],
        vec![],
        vec![b1, b2],
    );
    assert_eq!(
        out[1],
        "[10|100|1000|101|B|b] ; [b|100|10|B|1000|101|b] ; b ; b"
    );
    assert_eq!(out[0], "values(v) ; list(v) ; first(v) ; last(v)");
}

#[test]
fn earliest_and_latest_follow_time() {
    let b = batch(vec![
        ("_time", nums(&[Some(30.0), Some(10.0), Some(20.0)])),
        ("u", strs(&[Some("c"), Some("a"), Some("b")])),
    ]);
    let out = stats(
        vec![
            agg("earliest", Some("u"), None),
            agg("latest", Some("u"), None),
            agg("earliest_time", Some("u"), None),
            agg("latest_time", Some("u"), None),
        ],
        &[],
        vec![],
        vec![b],
    );
    assert_eq!(out[1], "a ; c ; 10 ; 30");
}

#[test]
fn wildcard_aggregations_and_renames() {
    let b1 = batch(vec![
        ("_time", nums(&[Some(1.0)])),
        ("in:out", nums(&[Some(2.0)])),
        ("a:b", nums(&[Some(4.0)])),
        ("other", nums(&[Some(1.0)])),
    ]);
    let b2 = batch(vec![
        ("in:out", nums(&[Some(4.0)])),
        ("late:field", nums(&[Some(8.0)])),
    ]);
    let out = stats(
        vec![
            agg("avg", Some("*:*"), Some("avg_*:*")),
            agg("max", Some("*"), None),
        ],
        &[],
        vec![],
        vec![b1, b2],
    );
    assert_eq!(
        out,
        vec![
            "avg_a:b ; avg_in:out ; avg_late:field ; max(a:b) ; max(in:out) ; max(late:field) ; max(other)",
            "4 ; 3 ; 8 ; 4 ; 4 ; 8 ; 1"
        ]
    );
}

#[test]
fn wildcard_rename_must_match_star_count() {
    let e = stats_err(vec![agg("sum", Some("*.free"), Some("FreeSum"))], &[]);
    assert!(matches!(e, EngineError::InvalidArgument { .. }), "{e:?}");
}

#[test]
fn unknown_function_has_span_and_hint() {
    let mut a = agg("vlaues", Some("x"), None);
    a.func = sp_at("vlaues".to_string(), 6, 12);
    match stats_err(vec![a], &[]) {
        EngineError::UnknownFunction { name, span, help } => {
            assert_eq!(name, "vlaues");
            assert_eq!(span, spl_parser::Span::new(6, 12));
            assert_eq!(help.as_deref(), Some("did you mean `values`?"));
        }
        e => panic!("{e:?}"),
    }
}

#[test]
fn wildcard_in_by_is_rejected() {
    let e = stats_err(vec![agg("count", None, None)], &["host*"]);
    assert!(matches!(e, EngineError::InvalidArgument { .. }));
}

#[test]
fn by_numeric_time_stays_numeric_and_sorts_numerically() {
    let b = batch(vec![
        ("_time", nums(&[Some(20.0), Some(100.0), Some(20.0)])),
        ("io", nums(&[Some(1.0), Some(2.0), Some(3.0)])),
    ]);
    let cmd = stats_cmd(vec![agg("avg", Some("io"), None)], &["_time"], vec![]);
    let st = stage("stats", Command::Stats(cmd.clone()));
    let mut op = plan_stage(&st, &ctx(), false).unwrap();
    let out = run(op.as_mut(), vec![b]);
    assert_eq!(
        out[0].schema().field(0).data_type(),
        &arrow_schema::DataType::Float64
    );
    assert_eq!(render(&out), vec!["_time ; avg(io)", "20 ; 2", "100 ; 2"]);
}

#[test]
fn by_field_missing_from_batch_gives_no_rows() {
    let b = batch(vec![("x", strs(&[Some("1")]))]);
    let out = stats(vec![agg("count", None, None)], &["host"], vec![], vec![b]);
    assert_eq!(out, vec!["host ; count"]);
}

#[test]
fn groups_span_batches() {
    let b1 = batch(vec![
        ("k", strs(&[Some("a"), Some("b")])),
        ("v", nums(&[Some(1.0), Some(2.0)])),
    ]);
    let b2 = batch(vec![("k", strs(&[Some("b"), Some("c")]))]);
    let out = stats(
        vec![agg("count", None, None), agg("sum", Some("v"), None)],
        &["k"],
        vec![],
        vec![b1, b2],
    );
    assert_eq!(
        out,
        vec!["k ; count ; sum(v)", "a ; 1 ; 1", "b ; 2 ; 2", "c ; 1 ; -"]
    );
}
