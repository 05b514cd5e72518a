//! Time ranges over real files: events and metrics, from CSV and Parquet,
//! with data on both sides of `now` and exactly on every boundary, under the
//! picker and under bounds written in the search, with 1 and 2 threads.
//! The rules (spl-semantics 2.8, 6.5, 11.2) are pinned in detail by
//! `fixtures/conformance/time/ranges.spltest`; this checks that every reader
//! and the scan-level pruning apply the same window.
#![allow(clippy::unwrap_used)]

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray, TimestampMillisecondArray};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;
use spl_engine::session::Engine;
use spl_engine::source::DataSpec;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// 2024-05-01T12:00:00Z
const NOW: f64 = 1_714_564_800.0;

/// Offsets from now (seconds) and the value each point carries: powers of
/// two, so a sum names exactly the points it includes.
const POINTS: &[(f64, f64)] = &[
    (-7200.0, 1.0),    // before -1h
    (-3601.0, 2.0),    // just before -1h
    (-3600.0, 4.0),    // exactly -1h: inside earliest=-1h
    (-1.0, 8.0),       // just before now
    (-0.001, 16.0),    // a millisecond before now
    (0.0, 32.0),       // exactly now: outside when latest is now
    (1.0, 64.0),       // after now
    (86_400.0, 128.0), // exactly +1d: outside latest=+1d
];

fn scratch(test: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("spl-time-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn iso(t: f64) -> String {
    let ts = jiff::Timestamp::from_millisecond((t * 1000.0).round() as i64).unwrap();
    ts.strftime("%Y-%m-%dT%H:%M:%S%.3f+00:00").to_string()
}

fn write_events_csv(dir: &Path) -> PathBuf {
    let p = dir.join("events.csv");
    let mut s = String::from("_time,host,v\n");
    for (off, v) in POINTS {
        s.push_str(&format!("{},h,{v}\n", iso(NOW + off)));
    }
    std::fs::write(&p, s).unwrap();
    p
}

fn write_metrics_csv(dir: &Path) -> PathBuf {
    let p = dir.join("points.metrics.csv");
    let mut s = String::from("\"metric_timestamp\",\"metric_name\",\"_value\",\"d\"\n");
    for (off, v) in POINTS {
        s.push_str(&format!("\"{:.3}\",\"x\",\"{v}\",\"a\"\n", NOW + off));
    }
    std::fs::write(&p, s).unwrap();
    p
}

/// One row group per point, so whole-row-group pruning meets every boundary.
fn write_parquet(path: &Path, metrics: bool) {
    let ts = DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()));
    let mut fields = vec![Field::new("_time", ts, false)];
    if metrics {
        fields.push(Field::new("metric_name", DataType::Utf8, false));
        fields.push(Field::new("_value", DataType::Float64, false));
        fields.push(Field::new("d", DataType::Utf8, true));
    } else {
        fields.push(Field::new("host", DataType::Utf8, true));
        fields.push(Field::new("v", DataType::Float64, true));
    }
    let schema = Arc::new(Schema::new(fields));
    let props = WriterProperties::builder()
        .set_max_row_group_row_count(Some(1))
        .build();
    let file = std::fs::File::create(path).unwrap();
    let mut w = ArrowWriter::try_new(file, schema.clone(), Some(props)).unwrap();
    for (off, v) in POINTS {
        let t: ArrayRef = Arc::new(
            TimestampMillisecondArray::from(vec![((NOW + off) * 1000.0).round() as i64])
                .with_timezone("UTC"),
        );
        let cols: Vec<ArrayRef> = if metrics {
            vec![
                t,
                Arc::new(StringArray::from(vec!["x"])),
                Arc::new(Float64Array::from(vec![*v])),
                Arc::new(StringArray::from(vec!["a"])),
            ]
        } else {
            vec![
                t,
                Arc::new(StringArray::from(vec!["h"])),
                Arc::new(Float64Array::from(vec![*v])),
            ]
        };
        w.write(&RecordBatch::try_new(schema.clone(), cols).unwrap())
            .unwrap();
        w.flush().unwrap();
    }
    w.close().unwrap();
}

/// The sum a search returns.
fn sum(engine: &Engine, query: &str) -> f64 {
    let r = engine.run(query).unwrap();
    let b = r.to_batch().unwrap();
    let col = b.column_by_name("s").expect("column s");
    let col = arrow_cast::cast(col, &DataType::Float64).unwrap();
    col.as_primitive::<Float64Type>().value(0)
}

/// Sum of the points whose offsets satisfy `keep`.
fn expect(keep: impl Fn(f64) -> bool) -> f64 {
    POINTS
        .iter()
        .filter(|(o, _)| keep(*o))
        .map(|(_, v)| v)
        .sum()
}

fn engines(path: &Path, index: &str, picker: (Option<&str>, Option<&str>)) -> Vec<Engine> {
    [1, 2]
        .into_iter()
        .map(|threads| {
            let mut spec = DataSpec::new(path);
            spec.index = Some(index.to_string());
            Engine::builder(NOW)
                .add_data(&spec)
                .unwrap()
                .threads(threads)
                .time_range(picker.0, picker.1)
                .unwrap()
                .build()
        })
        .collect()
}

/// The time picker of a case: (`earliest`, `latest`).
type Picker = (Option<&'static str>, Option<&'static str>);

/// The cases every reader must agree on: (picker, where-bounds, expected).
fn cases() -> Vec<(Picker, &'static str, f64)> {
    vec![
        ((None, None), "", expect(|_| true)),
        (
            (None, None),
            "earliest=-1h",
            expect(|o| (-3600.0..0.0).contains(&o)),
        ),
        ((None, None), "latest=-1h", expect(|o| o < -3600.0)),
        (
            (None, None),
            "earliest=-1h latest=+1d",
            expect(|o| (-3600.0..86_400.0).contains(&o)),
        ),
        (
            (Some("-1h"), None),
            "",
            expect(|o| (-3600.0..0.0).contains(&o)),
        ),
        ((None, Some("-1h")), "", expect(|o| o < -3600.0)),
        (
            (Some("-1h"), None),
            "earliest=-2h latest=+2d",
            expect(|o| o >= -7200.0),
        ),
        ((Some("-1h"), None), "latest=-1h", expect(|o| o < -3600.0)),
    ]
}

#[test]
fn events_from_csv_and_parquet() {
    let dir = scratch("events");
    let csv = write_events_csv(&dir);
    let pq = dir.join("events.parquet");
    write_parquet(&pq, false);
    for path in [&csv, &pq] {
        for (picker, bounds, want) in cases() {
            for e in engines(path, "ev", picker) {
                let q = format!("index=ev {bounds} | stats sum(v) as s");
                let got = sum(&e, &q);
                assert_eq!(got, want, "{} {picker:?} {q}", path.display());
            }
        }
    }
}

#[test]
fn metrics_from_csv_and_parquet() {
    let dir = scratch("metrics");
    let csv = write_metrics_csv(&dir);
    let pq = dir.join("points.parquet");
    write_parquet(&pq, true);
    for path in [&csv, &pq] {
        for (picker, bounds, want) in cases() {
            for e in engines(path, "mt", picker) {
                let q = format!("| mstats sum(x) as s where index=mt {bounds}");
                let got = sum(&e, &q);
                assert_eq!(got, want, "{} {picker:?} {q}", path.display());
            }
        }
    }
}
