//! The committed fixtures never drift from the generator, the Parquet and
//! CSV forms agree, and the expected rows are the oracle's.

#![allow(clippy::unwrap_used)] // tests may unwrap (helpers outside #[test] fns too)
use arrow_array::{Array, Float64Array, StringArray, TimestampMillisecondArray};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use spl_benches::gen::fixtures::{generate, FixtureOptions, Variant};
use spl_benches::gen::metrics_file::format_epoch_ms;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const REGENERATE: &str = "cargo run -p spl-benches --bin spl-gen -- fixtures --out fixtures/data --now 2024-05-01T12:00:00Z, then python3 fixtures/oracle/seeds.py";

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("fixtures")
}

fn files_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn committed_fixtures_are_byte_identical_to_a_fresh_generation() {
    let root = fixtures_root();
    let tmp = std::env::temp_dir().join(format!("spl-gen-fixtures-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let mut opts = FixtureOptions::for_root(&root).unwrap();
    opts.data_dir = tmp.join("data");
    opts.lookups_dir = tmp.join("lookups");
    let written = generate(&opts).unwrap();
    assert!(
        written.len() >= 13,
        "expected every fixture file, found {written:?}"
    );
    for path in &written {
        let rel = path.strip_prefix(&tmp).unwrap();
        let committed = root.join(rel);
        let fresh = std::fs::read(path).unwrap();
        let old = std::fs::read(&committed).unwrap_or_else(|e| {
            panic!(
                "{} is missing ({e}); regenerate: {REGENERATE}",
                committed.display()
            )
        });
        assert!(
            fresh == old,
            "{} differs from the generator's output; regenerate: {REGENERATE}",
            committed.display()
        );
    }
    // No stale committed file that the generator no longer writes.
    for dir in ["data", "lookups"] {
        assert_eq!(
            files_in(&root.join(dir)),
            files_in(&tmp.join(dir)),
            "stale files in fixtures/{dir}"
        );
    }
    std::fs::remove_dir_all(&tmp).unwrap();
}

/// Parses the metrics CSV the generator writes (no quoted cells in fixtures).
fn csv_rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    let rows = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    (header, rows)
}

#[test]
fn parquet_files_hold_the_same_points_as_the_metrics_csv() {
    let data = fixtures_root().join("data");
    let mut checked = 0;
    for name in ["k8s-network", "k8s-pod-io"] {
        for v in Variant::ALL {
            let base = format!("{name}-{}", v.name());
            let (header, rows) = csv_rows(&data.join(format!("{base}.metrics.csv")));
            assert_eq!(header[..3], ["metric_timestamp", "metric_name", "_value"]);
            let file = std::fs::File::open(data.join(format!("{base}.parquet"))).unwrap();
            let reader = ParquetRecordBatchReaderBuilder::try_new(file)
                .unwrap()
                .build()
                .unwrap();
            let mut i = 0;
            for batch in reader {
                let batch = batch.unwrap();
                let schema = batch.schema();
                let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
                assert_eq!(names[0], "_time");
                assert_eq!(
                    names[1..],
                    header[1..].iter().map(String::as_str).collect::<Vec<_>>()[..]
                );
                let t = batch
                    .column(0)
                    .as_any()
                    .downcast_ref::<TimestampMillisecondArray>()
                    .unwrap();
                let m = batch
                    .column(1)
                    .as_any()
                    .downcast_ref::<StringArray>()
                    .unwrap();
                let val = batch
                    .column(2)
                    .as_any()
                    .downcast_ref::<Float64Array>()
                    .unwrap();
                for r in 0..batch.num_rows() {
                    let row = &rows[i];
                    assert_eq!(format_epoch_ms(t.value(r)), row[0], "{base} row {i}");
                    assert_eq!(m.value(r), row[1]);
                    assert_eq!(val.value(r).to_string(), row[2]);
                    for c in 3..batch.num_columns() {
                        let d = batch
                            .column(c)
                            .as_any()
                            .downcast_ref::<StringArray>()
                            .unwrap();
                        let cell = if d.is_null(r) { "" } else { d.value(r) };
                        assert_eq!(cell, row[c], "{base} row {i} column {}", names[c]);
                    }
                    i += 1;
                }
            }
            assert_eq!(i, rows.len(), "{base}: row count");
            checked += 1;
        }
    }
    assert_eq!(checked, 4);
}

#[test]
fn expected_files_exist_for_every_seed_and_variant() {
    let expected = fixtures_root().join("expected");
    for seed in ["outbound", "inbound", "io-ratio", "scanning"] {
        for v in Variant::ALL {
            let path = expected.join(format!("{seed}-{}.jsonl", v.name()));
            let text = std::fs::read_to_string(&path).unwrap();
            let rows: Vec<serde_json::Value> = text
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            match v {
                Variant::Anomalous => assert!(!rows.is_empty(), "{} should fire", path.display()),
                Variant::Quiet => assert!(rows.is_empty(), "{} should be empty", path.display()),
            }
            for row in rows {
                for (k, val) in row.as_object().unwrap() {
                    let ok = val.is_string()
                        || val
                            .as_array()
                            .is_some_and(|a| a.len() > 1 && a.iter().all(|x| x.is_string()));
                    assert!(ok, "{}: field {k} is {val}", path.display());
                }
            }
        }
    }
}

#[test]
fn expected_rows_are_the_oracles() {
    let root = fixtures_root();
    let script = root.join("oracle").join("seeds.py");
    let out = match Command::new("python3").arg(&script).arg("--check").output() {
        Ok(out) => out,
        Err(e) => {
            eprintln!("skipped: python3 is not available ({e})");
            return;
        }
    };
    assert!(
        out.status.success(),
        "the oracle disagrees with the committed files:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
