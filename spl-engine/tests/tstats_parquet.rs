//! `tstats` over a data model export in Parquet (issue 14): the aggregation
//! path reads dictionary-encoded string columns as dictionaries and only the
//! wanted columns. Its results must be Splunk's whatever the encoding:
//! case-insensitive WHERE matching, rows with a null BY value dropped
//! (unless `fillnull_value`), multivalue BY values split into groups, output
//! sorted by the BY values (numbers numerically). The prestats path (plain
//! strings, aggregated by `stats`) must agree.
#![allow(clippy::unwrap_used)] // tests may unwrap, helpers included

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;
use parquet::schema::types::ColumnPath;
use spl_engine::session::Engine;
use spl_engine::source::DataSpec;
use spl_engine::value::{cell, Cell};
use std::path::{Path, PathBuf};
use std::sync::Arc;

type Row = (
    f64,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
    Option<&'static [&'static str]>,
);

/// Two row groups (each with its own dictionaries): time, process name,
/// dest, process id (written plain, not dictionary-encoded), user (multivalue).
const ROWS: [Row; 8] = [
    (1.0, Some("cmd.exe"), Some("h1"), "10", Some(&["a", "b"])),
    (2.0, Some("CMD.EXE"), Some("h1"), "9", Some(&["a"])),
    (3.0, Some("notepad.exe"), Some("h1"), "9", Some(&["a"])),
    (4.0, Some("powershell.exe"), None, "100", Some(&["c"])),
    (5.0, None, Some("h2"), "9", Some(&["c"])),
    (6.0, Some("POWERSHELL.exe"), Some("h2"), "100", Some(&["c"])),
    (7.0, Some("cmd.exe"), Some("h1"), "10", Some(&["b"])),
    (8.0, Some("Cmd.Exe"), Some("h2"), "9", None),
];

fn write_export(path: &Path) {
    let schema = Arc::new(Schema::new(vec![
        Field::new("_time", DataType::Float64, false),
        Field::new("Processes.process_name", DataType::Utf8, true),
        Field::new("Processes.dest", DataType::Utf8, true),
        Field::new("Processes.process_id", DataType::Utf8, true),
        Field::new(
            "Processes.user",
            DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true))),
            true,
        ),
    ]));
    let props = WriterProperties::builder()
        .set_max_row_group_row_count(Some(5))
        .set_column_dictionary_enabled(ColumnPath::new(vec!["Processes.process_id".into()]), false)
        .build();
    let mut w = ArrowWriter::try_new(
        std::fs::File::create(path).unwrap(),
        schema.clone(),
        Some(props),
    )
    .unwrap();
    let mut users = ListBuilder::new(StringBuilder::new());
    for r in &ROWS {
        match r.4 {
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
            ROWS.iter().map(|r| r.0).collect::<Vec<_>>(),
        )),
        Arc::new(StringArray::from(
            ROWS.iter().map(|r| r.1).collect::<Vec<_>>(),
        )),
        Arc::new(StringArray::from(
            ROWS.iter().map(|r| r.2).collect::<Vec<_>>(),
        )),
        Arc::new(StringArray::from(
            ROWS.iter().map(|r| r.3).collect::<Vec<_>>(),
        )),
        Arc::new(users.finish()),
    ];
    w.write(&RecordBatch::try_new(schema, cols).unwrap())
        .unwrap();
    w.close().unwrap();
}

fn engine(name: &str) -> (Engine, PathBuf) {
    let dir = std::env::temp_dir().join(format!("spl-tstats-pq-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("processes.parquet");
    write_export(&path);
    let spec: DataSpec = format!("path={},datamodel=Endpoint.Processes", path.display())
        .parse()
        .unwrap();
    let e = Engine::builder(1_800_000_000.0)
        .threads(1)
        .add_data(&spec)
        .unwrap()
        .build();
    (e, dir)
}

/// Every row as `a|b|...` display strings.
fn rows(e: &Engine, q: &str) -> Vec<String> {
    let b = e.run(q).unwrap().to_batch().unwrap();
    let schema = b.schema();
    (0..b.num_rows())
        .map(|r| {
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
        })
        .collect()
}

const WHERE: &str = r#"where Processes.process_name IN ("cmd.exe", "Powershell.EXE")"#;
const BY: &str = "by Processes.dest Processes.process_id Processes.user";

#[test]
fn tstats_over_a_parquet_export_keeps_splunk_semantics() {
    let (e, dir) = engine("sem");
    let q = format!(
        "| tstats count min(_time) as first from datamodel=Endpoint.Processes {WHERE} {BY}"
    );
    // cmd.exe in any case and powershell.exe match; notepad.exe and a null
    // name do not; a null dest or user drops the row; user a,b splits row 1
    // into two groups; process ids sort as numbers (9 < 10 < 100)
    let want = ["h1|9|a|1|2", "h1|10|a|1|1", "h1|10|b|2|1", "h2|100|c|1|6"];
    assert_eq!(rows(&e, &q), want);
    // the prestats rows (plain strings) aggregated by stats agree
    let pre = format!(
        "| tstats prestats=t count min(_time) from datamodel=Endpoint.Processes {WHERE} {BY} | stats count min(_time) as first {BY}"
    );
    assert_eq!(rows(&e, &pre), want);
    // fillnull_value: null BY values are a group of their own
    let filled = format!(
        "| tstats fillnull_value=NULL count min(_time) as first from datamodel=Endpoint.Processes {WHERE} {BY}"
    );
    assert_eq!(
        rows(&e, &filled),
        [
            "NULL|100|c|1|4",
            "h1|9|a|1|2",
            "h1|10|a|1|1",
            "h1|10|b|2|1",
            "h2|9|NULL|1|8",
            "h2|100|c|1|6",
        ]
    );
    // `=` ignores case on both sides too
    let upper = r#"| tstats count from datamodel=Endpoint.Processes where Processes.process_name="CMD.exe" by Processes.dest"#;
    assert_eq!(rows(&e, upper), ["h1|3", "h2|1"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn tstats_by_a_field_the_export_lacks_and_by_bare_names() {
    let (e, dir) = engine("bare");
    // no row has `parent_process`: every row has a null BY value
    let q = "| tstats count from datamodel=Endpoint.Processes by Processes.parent_process";
    assert!(rows(&e, q).is_empty());
    // the default fields come from the dataset when asked for
    let q =
        "| tstats count from datamodel=Endpoint.Processes where Processes.dest=h2 by sourcetype";
    let got = rows(&e, q);
    assert!(got.len() == 1 && got[0].ends_with("|3"), "{got:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
