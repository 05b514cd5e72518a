//! `tstats` over a Parquet data model export, second round of issue 14:
//! the WHERE terms that read one column are tested while the file is
//! decoded (the other columns are decoded only for the rows that pass), and
//! row groups are aggregated by several workers whose tables are merged.
//! Neither may change a result: every query here is checked against the
//! same search run without either (`| from datamodel` then `search` and
//! `stats`, or one thread), on both sides of case, wildcards, nulls,
//! multivalue fields and fields the file does not have.
#![allow(clippy::unwrap_used)] // tests may unwrap, helpers included

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;
use spl_engine::session::Engine;
use spl_engine::source::DataSpec;
use spl_engine::value::{cell, Cell};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const NAMES: [Option<&str>; 7] = [
    Some("cmd.exe"),
    Some("CMD.EXE"),
    Some("powershell.exe"),
    Some("PowerShell.exe"),
    Some("notepad.exe"),
    None,
    Some("Cmd.Exe"),
];
const USERS: [Option<&[&str]>; 4] = [Some(&["a", "b"]), Some(&["B"]), None, Some(&["c"])];

/// `n` rows in row groups of `group` rows: process name (mixed case and
/// null), dest (null on some rows), pid (a number, null on some), user
/// (multivalue, null on some).
fn write_export(path: &Path, n: usize, group: usize) {
    let schema = Arc::new(Schema::new(vec![
        Field::new("_time", DataType::Float64, false),
        Field::new("Processes.process_name", DataType::Utf8, true),
        Field::new("Processes.dest", DataType::Utf8, true),
        Field::new("Processes.process_id", DataType::Float64, true),
        Field::new(
            "Processes.user",
            DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true))),
            true,
        ),
    ]));
    let props = WriterProperties::builder()
        .set_max_row_group_row_count(Some(group))
        .build();
    let mut w = ArrowWriter::try_new(
        std::fs::File::create(path).unwrap(),
        schema.clone(),
        Some(props),
    )
    .unwrap();
    let mut users = ListBuilder::new(StringBuilder::new());
    for i in 0..n {
        match USERS[(i * 7 + i / 5) % USERS.len()] {
            Some(vs) => {
                for v in vs {
                    users.values().append_value(v);
                }
                users.append(true);
            }
            None => users.append(false),
        }
    }
    let cols: Vec<ArrayRef> = vec![
        Arc::new(Float64Array::from(
            (0..n)
                .map(|i| 1_700_000_000.0 + i as f64)
                .collect::<Vec<_>>(),
        )),
        Arc::new(StringArray::from(
            (0..n)
                .map(|i| NAMES[(i * 3 + i / 7) % NAMES.len()])
                .collect::<Vec<_>>(),
        )),
        Arc::new(StringArray::from(
            (0..n)
                .map(|i| (i % 11 != 4).then(|| format!("h{}", i % 3)))
                .collect::<Vec<_>>(),
        )),
        // nulls only in some row groups: with fillnull_value those groups
        // give the number as text, the others as a number
        Arc::new(Float64Array::from(
            (0..n)
                .map(|i| (!(i / group % 3 == 1 && i % 2 == 0)).then_some((i % 5) as f64))
                .collect::<Vec<_>>(),
        )),
        Arc::new(users.finish()),
    ];
    w.write(&RecordBatch::try_new(schema, cols).unwrap())
        .unwrap();
    w.close().unwrap();
}

fn engine(name: &str, n: usize, group: usize, threads: usize) -> (Engine, PathBuf) {
    let dir = std::env::temp_dir().join(format!(
        "spl-tstats-push-{name}-{threads}-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("processes.parquet");
    write_export(&path, n, group);
    let spec: DataSpec = format!("path={},datamodel=Endpoint.Processes", path.display())
        .parse()
        .unwrap();
    let e = Engine::builder(1_800_000_000.0)
        .threads(threads)
        .add_data(&spec)
        .unwrap()
        .build();
    (e, dir)
}

/// Every row as `a|b|...` display strings, after the column names and types.
fn rows(e: &Engine, q: &str) -> Vec<String> {
    let b = e.run(q).unwrap().to_batch().unwrap();
    let schema = b.schema();
    let mut out = vec![schema
        .fields()
        .iter()
        .map(|f| format!("{}:{}", f.name(), f.data_type()))
        .collect::<Vec<_>>()
        .join("|")];
    out.extend((0..b.num_rows()).map(|r| {
        schema
            .fields()
            .iter()
            .zip(b.columns())
            .map(|(f, c)| match cell(f, c.as_ref(), r) {
                Cell::Null => "-".to_string(),
                Cell::Single(s) => s,
                Cell::Multi(v) => v.join(","),
            })
            .collect::<Vec<_>>()
            .join("|")
    }));
    out
}

/// The rows the scans produced for `q` (before the search's filter).
fn scanned(e: &Engine, q: &str) -> u64 {
    e.run(q).unwrap().scan.rows
}

const BY: &str = "by Processes.dest Processes.process_id Processes.user";

/// WHERE terms on one column each, with what they keep: case on both
/// sides, wildcards, nulls (`!=` needs the field, `NOT` keeps rows
/// without it), multivalue, and fields the file does not have.
const WHERES: [&str; 12] = [
    r#"Processes.process_name IN ("CMD.exe", "powershell.EXE")"#,
    "Processes.process_name=cmd.exe",
    "Processes.process_name=POWER*",
    "Processes.process_name=*.EXE Processes.dest=h1",
    "Processes.process_name!=cmd.exe",
    "NOT Processes.process_name=cmd.exe",
    "Processes.user=b",
    "NOT Processes.user=B Processes.dest!=h2",
    "process_name=cmd.exe user=c",
    "Processes.parent_process_name=cmd.exe",
    "NOT Processes.parent_process_name=cmd.exe Processes.process_name=notepad.exe",
    "Processes.process_id>2 Processes.process_name IN (cmd.exe, notepad.exe)",
];

#[test]
fn pushed_down_where_terms_keep_splunk_semantics() {
    let (e, dir) = engine("sem", 200, 16, 1);
    for w in WHERES {
        let got = rows(
            &e,
            &format!("| tstats count min(_time) as first from datamodel=Endpoint.Processes where {w} {BY}"),
        );
        // the same rows through the unaccelerated path: no pushdown there
        let want = rows(
            &e,
            &format!("| from datamodel:Endpoint.Processes | search {w} | stats count min(_time) as first {BY}"),
        );
        assert_eq!(got, want, "where {w}");
        // prestats rows, aggregated by stats, agree too
        let pre = rows(
            &e,
            &format!("| tstats prestats=t count min(_time) from datamodel=Endpoint.Processes where {w} {BY} | stats count min(_time) as first {BY}"),
        );
        assert_eq!(pre, want, "prestats where {w}");
    }
    // the terms select something, and not everything
    let n = |w: &str| {
        rows(
            &e,
            &format!("| tstats count from datamodel=Endpoint.Processes where {w}"),
        )[1]
        .clone()
    };
    // 200 rows cycle through 7 names (one null): cmd.exe in 3 cases
    let cmd = n("Processes.process_name=cmd.exe");
    let not_cmd = n("NOT Processes.process_name=cmd.exe");
    let ne_cmd = n("Processes.process_name!=cmd.exe");
    let all = n("Processes.dest=* OR NOT Processes.dest=*");
    let num = |s: &str| s.parse::<u64>().unwrap();
    assert_eq!(num(&cmd) + num(&not_cmd), num(&all));
    assert!(num(&ne_cmd) < num(&not_cmd), "!= drops the null names");
    assert_eq!(n("Processes.parent_process_name=x"), "0");
    assert_eq!(n("NOT Processes.parent_process_name=x"), all);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_scan_decodes_only_rows_that_pass_the_pushed_terms() {
    let (e, dir) = engine("count", 200, 16, 1);
    let q = |w: &str| format!("| tstats count from datamodel=Endpoint.Processes where {w} {BY}");
    // a term on a column of the file: the scan hands over only its rows
    let kept = scanned(&e, &q("Processes.process_name=cmd.exe"));
    assert!(kept > 0 && kept < 200, "{kept}");
    // a term on a field the file lacks, or on the time, is not pushed
    assert_eq!(scanned(&e, &q("NOT Processes.parent_process_name=x")), 200);
    assert_eq!(scanned(&e, &q("_time>=0")), 200);
    // an OR of two fields reads two columns: not pushed
    assert_eq!(
        scanned(
            &e,
            &q("Processes.process_name=cmd.exe OR Processes.dest=h1")
        ),
        200
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn parallel_row_groups_give_the_one_thread_result() {
    let (one, d1) = engine("par", 500, 7, 1);
    let (two, d2) = engine("par", 500, 7, 2);
    let (three, d3) = engine("par", 500, 7, 3);
    for q in [
        format!("| tstats count min(_time) as firstTime max(_time) as lastTime from datamodel=Endpoint.Processes where Processes.process_name IN (cmd.exe, powershell.exe) {BY}"),
        // a pick by processing order: the prestats rows, in scan order
        "| tstats prestats=t count from datamodel=Endpoint.Processes by Processes.dest Processes.process_id | stats first(Processes.process_id) as f last(Processes.process_id) as l list(Processes.process_id) as li count by Processes.dest".to_string(),
        // picks by time, sets, percentiles, extremes
        "| tstats values(Processes.process_name) as v dc(Processes.user) as d earliest(Processes.process_name) as e latest(Processes.user) as la perc50(Processes.process_id) as p min(Processes.process_name) as mi max(Processes.user) as ma from datamodel=Endpoint.Processes by Processes.dest".to_string(),
        // numbers in some row groups, text in others (fillnull_value)
        "| tstats fillnull_value=0 count from datamodel=Endpoint.Processes by Processes.process_id".to_string(),
        "| tstats fillnull_value=null count max(_time) from datamodel=Endpoint.Processes by Processes.process_id Processes.dest".to_string(),
        // sums run on one thread: their digits depend on the order
        "| tstats avg(Processes.process_id) as a sum(_time) as s count from datamodel=Endpoint.Processes by Processes.dest".to_string(),
        // no BY: one group
        "| tstats count dc(Processes.dest) from datamodel=Endpoint.Processes".to_string(),
        // span buckets
        "| tstats count from datamodel=Endpoint.Processes by _time span=1m".to_string(),
    ] {
        let want = rows(&one, &q);
        assert!(want.len() > 1, "{q}");
        assert_eq!(rows(&two, &q), want, "{q}");
        assert_eq!(rows(&three, &q), want, "{q}");
    }
    for d in [d1, d2, d3] {
        let _ = std::fs::remove_dir_all(&d);
    }
}
