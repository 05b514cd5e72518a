use super::support::*;
use crate::context::Catalog;
use crate::plan::plan_stage;
use crate::source::{DataKind, Dataset, MemoryScan, SourceMeta};
use crate::{EngineError, ExecContext};
use arrow_array::{ArrayRef, DictionaryArray, RecordBatch};
use spl_parser::ast::{Agg, Command, Mstats, Opt, SearchExpr, SearchKind, SearchOp, SearchValue};
use spl_parser::Span;
use std::sync::Arc;

/// One metric point: time, name, value, then dimension values in `dims` order.
type Point<'a> = (f64, &'a str, f64, Vec<Option<&'a str>>);

fn points(dims: &[&str], pts: &[Point<'_>]) -> RecordBatch {
    let mut cols: Vec<(&str, ArrayRef)> = vec![
        (
            "_time",
            nums(&pts.iter().map(|p| Some(p.0)).collect::<Vec<_>>()),
        ),
        (
            "metric_name",
            strs(&pts.iter().map(|p| Some(p.1)).collect::<Vec<_>>()),
        ),
        (
            "_value",
            nums(&pts.iter().map(|p| Some(p.2)).collect::<Vec<_>>()),
        ),
    ];
    for (j, d) in dims.iter().enumerate() {
        cols.push((d, strs(&pts.iter().map(|p| p.3[j]).collect::<Vec<_>>())));
    }
    batch(cols)
}

fn dataset(index: &str, batches: Vec<RecordBatch>) -> Dataset {
    Dataset {
        meta: SourceMeta {
            index: index.into(),
            source: "test".into(),
            sourcetype: "metrics".into(),
            host: None,
        },
        kind: DataKind::Metrics,
        scan: Arc::new(MemoryScan(batches)),
        datamodel: None,
    }
}

fn ctx_with(datasets: Vec<Dataset>) -> ExecContext {
    let mut c = ctx();
    c.catalog = Arc::new(Catalog {
        datasets,
        ..Default::default()
    });
    c
}

fn mstats_cmd(
    aggs: Vec<Agg>,
    by: &[&str],
    options: Vec<Opt>,
    where_: Option<SearchExpr>,
) -> Mstats {
    Mstats {
        options,
        aggs,
        where_,
        by: by.iter().map(|b| sp(b.to_string())).collect(),
    }
}

fn run_mstats(cmd: Mstats, c: &ExecContext) -> Vec<String> {
    let st = stage("mstats", Command::Mstats(cmd.clone()));
    let mut op = plan_stage(&st, c, true).unwrap();
    let mut out = op
        .push(batch(vec![("ignored", strs(&[Some("x")]))]), c)
        .unwrap();
    out.extend(op.finish(c).unwrap());
    render(&out)
}

fn plan_err(cmd: Mstats) -> EngineError {
    let st = stage("mstats", Command::Mstats(cmd.clone()));
    match plan_stage(&st, &ctx(), true) {
        Err(e) => e,
        Ok(_) => panic!("expected an error"),
    }
}

const S1_DIMS: [&str; 3] = [
    "k8s.cluster.name",
    "source.workload.name",
    "source.process.name",
];

fn s1_data() -> Vec<Dataset> {
    let p = |t, m, v, c, w, pr| (t, m, v, vec![c, w, pr]);
    let b = points(
        &S1_DIMS,
        &[
            p(
                1000.0,
                "tcp.bytes",
                10.0,
                Some("prod"),
                Some("web"),
                Some("nginx"),
            ),
            p(
                1005.0,
                "tcp.bytes",
                20.0,
                Some("prod"),
                Some("web"),
                Some("nginx"),
            ),
            p(
                1001.0,
                "udp.packets",
                3.0,
                Some("prod"),
                Some("web"),
                Some("nginx"),
            ),
            p(
                1012.0,
                "tcp.bytes",
                7.0,
                Some("prod"),
                Some("web"),
                Some("nginx"),
            ),
            p(
                1003.0,
                "tcp.x.y",
                1.0,
                Some("dev"),
                Some("api"),
                Some("java"),
            ),
            p(1004.0, "tcp.bytes", 99.0, Some("dev"), None, Some("java")),
            p(
                1004.0,
                "mem.used",
                5.0,
                Some("dev"),
                Some("api"),
                Some("java"),
            ),
            p(
                1004.0,
                "tcp.bytes",
                4.0,
                Some("dev"),
                Some("api"),
                Some("java"),
            ),
        ],
    );
    vec![dataset("kubernetes_metrics", vec![b])]
}

#[test]
fn s1_main_shape_buckets_wildcards_and_renames() {
    let c = ctx_with(s1_data());
    let cmd = mstats_cmd(
        vec![
            agg("avg", Some("tcp.*"), Some("tcp.*")),
            agg("avg", Some("udp.*"), Some("udp.*")),
        ],
        &S1_DIMS,
        vec![opt("span", "10s")],
        None,
    );
    assert_eq!(
        run_mstats(cmd, &c),
        vec![
            "_time ; k8s.cluster.name ; source.workload.name ; source.process.name ; tcp.bytes ; tcp.x.y ; udp.packets",
            "1000 ; dev ; api ; java ; 4 ; 1 ; -",
            "1000 ; prod ; web ; nginx ; 15 ; - ; 3",
            "1010 ; prod ; web ; nginx ; 7 ; - ; -",
        ]
    );
}

#[test]
fn s1_baseline_duplicate_aggregation_gives_both_columns() {
    let c = ctx_with(s1_data());
    let cmd = mstats_cmd(
        vec![
            agg("avg", Some("tcp.*"), Some("avg_tcp.*")),
            agg("avg", Some("udp.*"), Some("avg_udp.*")),
            agg("stdev", Some("tcp.*"), Some("stdev_tcp.*")),
            agg("avg", Some("udp.*"), Some("stdev_udp.*")),
        ],
        &["source.workload.name", "source.process.name"],
        vec![],
        None,
    );
    let out = run_mstats(cmd, &c);
    assert_eq!(
        out,
        vec![
            "source.workload.name ; source.process.name ; avg_tcp.bytes ; avg_tcp.x.y ; avg_udp.packets ; stdev_tcp.bytes ; stdev_tcp.x.y ; stdev_udp.packets",
            "api ; java ; 4 ; 1 ; - ; 0 ; 0 ; -",
            "web ; nginx ; 12.333333333333334 ; - ; 3 ; 6.806859285554045 ; - ; 3",
        ]
    );
}

#[test]
fn s2_shape_single_metric_alias() {
    let dims = [
        "k8s.cluster.name",
        "k8s.pod.name",
        "k8s.node.name",
        "direction",
    ];
    let p = |t, v, d| {
        (
            t,
            "k8s.pod.network.io",
            v,
            vec![Some("c1"), Some("pod-abcde"), Some("n1"), Some(d)],
        )
    };
    let b = points(
        &dims,
        &[
            p(20.0, 100.0, "transmit"),
            p(21.0, 300.0, "transmit"),
            p(25.0, 50.0, "receive"),
        ],
    );
    let c = ctx_with(vec![dataset("kubernetes_metrics", vec![b])]);
    let cmd = mstats_cmd(
        vec![agg("avg", Some("k8s.pod.network.io"), Some("io"))],
        &dims,
        vec![opt("span", "10s")],
        None,
    );
    assert_eq!(
        run_mstats(cmd, &c),
        vec![
            "_time ; k8s.cluster.name ; k8s.pod.name ; k8s.node.name ; direction ; io",
            "20 ; c1 ; pod-abcde ; n1 ; receive ; 50",
            "20 ; c1 ; pod-abcde ; n1 ; transmit ; 200",
        ]
    );
}

#[test]
fn time_window_is_earliest_inclusive_latest_exclusive() {
    let b = points(
        &[],
        &[
            (10.0, "m", 1.0, vec![]),
            (20.0, "m", 2.0, vec![]),
            (30.0, "m", 4.0, vec![]),
        ],
    );
    let mut c = ctx_with(vec![dataset("main", vec![b])]);
    c.picker = crate::time::TimeRange::written(Some(10.0), Some(30.0), c.now);
    let cmd = mstats_cmd(
        vec![agg("sum", Some("m"), None), agg("count", Some("m"), None)],
        &[],
        vec![],
        None,
    );
    assert_eq!(run_mstats(cmd, &c), vec!["sum(m) ; count(m)", "3 ; 2"]);
}

#[test]
fn fillnull_value_keeps_points_with_missing_dimensions() {
    let b = points(
        &["d"],
        &[
            (1.0, "m", 1.0, vec![None]),
            (2.0, "m", 3.0, vec![Some("x")]),
        ],
    );
    let c = ctx_with(vec![dataset("main", vec![b])]);
    let dropped = mstats_cmd(
        vec![agg("max", Some("m"), None)],
        &["d", "absent"],
        vec![],
        None,
    );
    // no point survives, so no metric column either
    assert_eq!(run_mstats(dropped, &c), vec!["d ; absent"]);
    let filled = mstats_cmd(
        vec![agg("max", Some("m"), None)],
        &["d", "absent"],
        vec![opt("fillnull_value", "NULL")],
        None,
    );
    assert_eq!(
        run_mstats(filled, &c),
        vec!["d ; absent ; max(m)", "NULL ; NULL ; 1", "x ; NULL ; 3"]
    );
}

#[test]
fn value_style_pools_all_selected_points() {
    let b = points(
        &["d"],
        &[
            (1.0, "a", 1.0, vec![Some("x")]),
            (2.0, "b", 3.0, vec![Some("x")]),
        ],
    );
    let c = ctx_with(vec![dataset("main", vec![b])]);
    let cmd = mstats_cmd(
        vec![
            agg("count", None, None),
            agg("avg", Some("_value"), Some("mean")),
        ],
        &["d", "metric_name"],
        vec![],
        None,
    );
    assert_eq!(
        run_mstats(cmd, &c),
        vec![
            "d ; metric_name ; count ; mean",
            "x ; a ; 1 ; 1",
            "x ; b ; 1 ; 3"
        ]
    );
}

#[test]
fn dictionary_encoded_names_and_dimensions() {
    let names: DictionaryArray<arrow_array::types::Int32Type> =
        vec!["tcp.a", "tcp.b", "tcp.a"].into_iter().collect();
    let dims: DictionaryArray<arrow_array::types::Int32Type> =
        vec![Some("z"), Some("z"), None].into_iter().collect();
    let b = batch(vec![
        ("_time", nums(&[Some(0.0), Some(0.0), Some(0.0)])),
        ("metric_name", Arc::new(names)),
        ("_value", nums(&[Some(1.0), Some(2.0), Some(3.0)])),
        ("d", Arc::new(dims)),
    ]);
    let c = ctx_with(vec![dataset("main", vec![b])]);
    let cmd = mstats_cmd(vec![agg("sum", Some("tcp.*"), None)], &["d"], vec![], None);
    assert_eq!(
        run_mstats(cmd, &c),
        vec!["d ; sum(tcp.a) ; sum(tcp.b)", "z ; 1 ; 2"]
    );
}

fn index_eq(v: &str) -> SearchExpr {
    SearchExpr {
        kind: SearchKind::Compare {
            field: "index".into(),
            field_span: Span::new(0, 0),
            op: SearchOp::Eq,
            value: SearchValue {
                text: v.into(),
                quoted: false,
                span: Span::new(0, 0),
            },
        },
        span: Span::new(0, 0),
    }
}

#[test]
fn where_index_selects_datasets() {
    let a = points(&[], &[(1.0, "m", 1.0, vec![])]);
    let b = points(&[], &[(1.0, "m", 10.0, vec![])]);
    let c = ctx_with(vec![
        dataset("kubernetes_metrics", vec![a]),
        dataset("other", vec![b]),
    ]);
    let cmd = mstats_cmd(
        vec![agg("sum", Some("m"), None)],
        &[],
        vec![],
        Some(index_eq("kubernetes_*")),
    );
    assert_eq!(run_mstats(cmd, &c), vec!["sum(m)", "1"]);
    let all = mstats_cmd(vec![agg("sum", Some("m"), None)], &[], vec![], None);
    assert_eq!(run_mstats(all, &c), vec!["sum(m)", "11"]);
}

#[test]
fn no_matching_metric_gives_no_rows_and_no_columns() {
    let c = ctx_with(s1_data());
    let cmd = mstats_cmd(
        vec![agg("avg", Some("nope.*"), None)],
        &["k8s.cluster.name"],
        vec![opt("span", "1m")],
        None,
    );
    assert_eq!(run_mstats(cmd, &c), vec!["_time ; k8s.cluster.name"]);
}

#[test]
fn plan_errors() {
    let bad_alias = mstats_cmd(
        vec![agg("avg", Some("tcp.*"), Some("avg_tcp"))],
        &[],
        vec![],
        None,
    );
    assert!(matches!(
        plan_err(bad_alias),
        EngineError::InvalidArgument { .. }
    ));
    let values = mstats_cmd(vec![agg("values", Some("tcp.*"), None)], &[], vec![], None);
    assert!(matches!(
        plan_err(values),
        EngineError::InvalidArgument { .. }
    ));
    let span = mstats_cmd(
        vec![agg("avg", Some("m"), None)],
        &[],
        vec![opt("span", "10q")],
        None,
    );
    assert!(matches!(
        plan_err(span),
        EngineError::InvalidArgument { .. }
    ));
    let mixed = mstats_cmd(
        vec![
            agg("avg", Some("m"), None),
            agg("avg", Some("_value"), None),
        ],
        &[],
        vec![],
        None,
    );
    assert!(matches!(
        plan_err(mixed),
        EngineError::InvalidArgument { .. }
    ));
    let unknown = mstats_cmd(vec![agg("avgg", Some("m"), None)], &[], vec![], None);
    assert!(matches!(
        plan_err(unknown),
        EngineError::UnknownFunction { .. }
    ));
}

#[test]
fn threaded_partials_merge_to_the_single_threaded_result() {
    // several batches and datasets, interned in different orders per worker
    let dims = ["host", "dc"];
    let mut batches = Vec::new();
    for i in 0..40u32 {
        let pts: Vec<Point<'_>> = (0..25u32)
            .map(|j| {
                let host = ["h1", "h2", "h3"][((i + j) % 3) as usize];
                let dc = if j % 7 == 0 {
                    None
                } else {
                    Some(["east", "west"][(j % 2) as usize])
                };
                let metric = ["tcp.a", "tcp.b", "udp.c"][((i * j) % 3) as usize];
                (
                    f64::from(i * 25 + j),
                    metric,
                    f64::from(j % 5),
                    vec![Some(host), dc],
                )
            })
            .collect();
        batches.push(points(&dims, &pts));
    }
    let (a, b) = batches.split_at(20);
    let data = || vec![dataset("m1", a.to_vec()), dataset("m2", b.to_vec())];
    let cmd = || {
        mstats_cmd(
            vec![
                agg("sum", Some("tcp.*"), Some("sum_*")),
                agg("max", Some("*"), None),
                agg("count", Some("udp.c"), None),
                agg("perc50", Some("tcp.*"), None),
                agg("latest", Some("tcp.*"), None),
            ],
            &dims,
            vec![opt("span", "100s")],
            None,
        )
    };
    let single = run_mstats(cmd(), &ctx_with(data()));
    let mut c2 = ctx_with(data());
    c2.threads = 2;
    let multi = run_mstats(cmd(), &c2);
    assert!(single.len() > 20, "{single:?}");
    assert_eq!(single, multi);
}
