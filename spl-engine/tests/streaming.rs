//! The streaming executor: a satisfied `head` stops the scan of a large
//! JSON-lines file after a bounded part of it, time bounds skip partitions,
//! and events come newest first exactly as a stable sort of every event
//! would order them, whatever the order of the files.
#![allow(clippy::unwrap_used)]

use arrow_array::cast::AsArray;
use arrow_array::RecordBatch;
use arrow_schema::DataType;
use spl_engine::session::{Engine, QueryResult};
use spl_engine::source::{
    DataKind, Dataset, JsonLinesScan, MemoryScan, Scan, SourceMeta, JSON_PART_BYTES,
};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const T0: i64 = 1_700_000_000;

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("spl-streaming-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// One event line: `time` (epoch seconds, absent when `None`), `n`, `user`, padding.
fn line(t: Option<i64>, n: usize) -> String {
    let time = t.map_or(String::new(), |t| format!("\"time\":{t},"));
    format!(
        "{{{time}\"n\":{n},\"user\":\"u{}\",\"msg\":\"event {n} {}\"}}\n",
        n % 7,
        "x".repeat(120)
    )
}

fn dataset(scan: Arc<dyn Scan>, index: &str) -> Dataset {
    Dataset {
        meta: SourceMeta::new(index, "test", "_json"),
        kind: DataKind::Events,
        scan,
        datamodel: None,
    }
}

fn lines_scan(path: &Path, part_bytes: u64) -> Arc<dyn Scan> {
    Arc::new(
        JsonLinesScan::open_with(path, &path.display().to_string(), None, part_bytes)
            .unwrap()
            .unwrap(),
    )
}

fn column(r: &QueryResult, name: &str) -> Vec<Option<String>> {
    if r.num_rows() == 0 {
        return Vec::new();
    }
    let b: RecordBatch = r.to_batch().unwrap();
    let Some(c) = b.column_by_name(name) else {
        return vec![None; b.num_rows()];
    };
    let c = arrow_cast::cast(c, &DataType::Utf8).unwrap();
    c.as_string::<i32>()
        .iter()
        .map(|v| v.map(str::to_string))
        .collect()
}

fn numbers(r: &QueryResult, name: &str) -> Vec<usize> {
    column(r, name)
        .into_iter()
        .map(|v| v.unwrap().parse::<f64>().unwrap() as usize)
        .collect()
}

#[test]
fn head_1_reads_a_bounded_part_of_a_large_file() {
    let dir = scratch("head");
    let path = dir.join("events.jsonl");
    // 200,000 events, oldest first (as logs are written): ~34 MB, 9 partitions
    let n = 200_000;
    let mut text = String::with_capacity(n * 180);
    for i in 0..n {
        text.push_str(&line(Some(T0 + i as i64), i));
    }
    std::fs::write(&path, &text).unwrap();
    let len = text.len() as u64;
    drop(text);
    assert!(len > 8 * JSON_PART_BYTES, "{len}");
    let scan = lines_scan(&path, JSON_PART_BYTES);
    let engine = Engine::builder(T0 as f64 + n as f64)
        .add_dataset(dataset(scan, "main"))
        .build();

    // The newest event is in the last partition: it is read, not the rest.
    // Partitions not read yet have unknown time spans, so this first ordered
    // search learns them in a pass that builds no field (`bytes_indexed`).
    let r = engine.run("index=main | head 1").unwrap();
    assert_eq!(numbers(&r, "n"), [n - 1]);
    let s = r.scan;
    eprintln!("head 1 over {len} bytes: {s:?}");
    assert!(s.bytes_read <= 2 * JSON_PART_BYTES, "{s:?}");
    assert!(s.bytes_read * 4 < len, "{s:?}");
    assert!(s.rows < n as u64 / 4, "{s:?}");
    assert!(s.bytes_indexed < len, "{s:?}");

    // The spans are known now: a second search reads only the newest part.
    let r = engine
        .run("index=main | eval k=n*2 | head 3 | table k")
        .unwrap();
    assert_eq!(numbers(&r, "k"), [2 * (n - 1), 2 * (n - 2), 2 * (n - 3)]);
    assert_eq!(r.scan.bytes_indexed, 0, "{:?}", r.scan);
    assert!(r.scan.bytes_read <= 2 * JSON_PART_BYTES, "{:?}", r.scan);

    // Time bounds skip the partitions outside the window.
    let q = format!("index=main earliest={} | stats count", T0 + n as i64 - 10);
    let r = engine.run(&q).unwrap();
    assert_eq!(numbers(&r, "count"), [10]);
    assert!(r.scan.bytes_read <= 2 * JSON_PART_BYTES, "{:?}", r.scan);

    // Without a satisfied command, everything is read once, in no order.
    let r = engine.run("index=main | stats count by user").unwrap();
    assert_eq!(numbers(&r, "count").iter().sum::<usize>(), n);
    assert_eq!(r.scan.bytes_read, len);
    assert_eq!(r.scan.rows, n as u64);

    // Another index is not read at all.
    let r = engine.run("index=other | head 1").unwrap();
    assert_eq!(r.num_rows(), 0);
    assert_eq!((r.scan.bytes_read, r.scan.rows), (0, 0));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Newest first, events without a time last, ties in input order (datasets
/// in order, then rows): a stable sort of everything.
fn expected_order(events: &[(usize, Option<i64>, usize)]) -> Vec<usize> {
    let mut v: Vec<&(usize, Option<i64>, usize)> = events.iter().collect();
    v.sort_by(|a, b| match (a.1, b.1) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    v.into_iter().map(|e| e.2).collect()
}

#[test]
fn newest_first_is_a_stable_sort_whatever_the_file_order() {
    let dir = scratch("order");
    let mut rng = 12345u64;
    let mut next = move || {
        rng = rng
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        rng >> 33
    };
    // (dataset, time, n) in input order
    let mut events: Vec<(usize, Option<i64>, usize)> = Vec::new();
    let mut datasets = Vec::new();
    let shapes = ["ascending", "descending", "shuffled", "ties"];
    for (d, shape) in shapes.iter().enumerate() {
        let mut text = String::new();
        for i in 0..3000usize {
            let n = d * 10_000 + i;
            let t = match *shape {
                "ascending" => Some(T0 + i as i64),
                "descending" => Some(T0 + 3000 - i as i64),
                "shuffled" => (next() % 50 != 0).then(|| T0 + (next() % 4000) as i64),
                _ => Some(T0 + (i / 500) as i64 * 700),
            };
            text.push_str(&line(t, n));
            events.push((d, t, n));
        }
        let path = dir.join(format!("{shape}.jsonl"));
        std::fs::write(&path, &text).unwrap();
        // small partitions: many per file
        datasets.push(dataset(lines_scan(&path, 16 << 10), "main"));
    }
    // and events in memory, in two batches, overlapping the files
    let mut mem = Vec::new();
    for part in 0..2usize {
        let mut text = String::new();
        for i in 0..500usize {
            let n = 90_000 + part * 1000 + i;
            let t = Some(T0 + 1000 + (i * 7 % 2500) as i64);
            text.push_str(&line(t, n));
            events.push((shapes.len(), t, n));
        }
        let path = dir.join(format!("mem{part}.jsonl"));
        std::fs::write(&path, &text).unwrap();
        let ds =
            spl_engine::source::open_dataset(&spl_engine::source::DataSpec::new(&path)).unwrap();
        let req = spl_engine::source::ScanRequest::default();
        mem.extend(ds.scan.scan(&req).unwrap().map(Result::unwrap));
    }
    datasets.push(dataset(Arc::new(MemoryScan(mem)), "main"));
    let mut builder = Engine::builder(T0 as f64 + 10_000.0);
    for d in datasets {
        builder = builder.add_dataset(d);
    }
    let engine = builder.build();

    let all = expected_order(&events);
    let r = engine.run("index=main | table n").unwrap();
    assert_eq!(numbers(&r, "n"), all);
    let r = engine.run("index=main | head 25 | table n").unwrap();
    assert_eq!(numbers(&r, "n"), all[..25]);
    let r = engine.run("index=main | dedup user | table n").unwrap();
    let mut seen = std::collections::BTreeSet::new();
    let firsts: Vec<usize> = all.iter().copied().filter(|n| seen.insert(n % 7)).collect();
    assert_eq!(numbers(&r, "n"), firsts);
    // a window
    let q = format!(
        "index=main earliest={} latest={} | table n",
        T0 + 1200,
        T0 + 2100
    );
    let windowed: Vec<(usize, Option<i64>, usize)> = events
        .iter()
        .copied()
        .filter(|e| e.1.is_some_and(|t| (T0 + 1200..T0 + 2100).contains(&t)))
        .collect();
    assert_eq!(
        numbers(&engine.run(&q).unwrap(), "n"),
        expected_order(&windowed)
    );
    // no order needed: the same groups
    let r = engine.run("index=main | stats count by user").unwrap();
    assert_eq!(numbers(&r, "count").iter().sum::<usize>(), events.len());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn csv_events_stream_in_batches_with_only_the_requested_columns() {
    use spl_engine::source::{open_dataset, DataSpec, ScanRequest};
    let dir = scratch("csv");
    let path = dir.join("events.csv");
    let n = 30_000;
    let mut text = String::from("time,n,user,msg\n");
    for i in 0..n {
        text.push_str(&format!("{},{i},u{},\"event {i}\"\n", T0 + i as i64, i % 7));
    }
    std::fs::write(&path, &text).unwrap();
    let ds = open_dataset(&DataSpec::new(&path)).unwrap();
    let req = ScanRequest {
        columns: Some(vec!["user".into()]),
        ..ScanRequest::default()
    };
    let batches: Vec<RecordBatch> = ds.scan.scan(&req).unwrap().map(Result::unwrap).collect();
    assert!(batches.len() > 2, "{}", batches.len());
    assert_eq!(batches.iter().map(|b| b.num_rows()).sum::<usize>(), n);
    for b in &batches {
        let names: Vec<&str> = b
            .schema_ref()
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .collect();
        assert_eq!(names, ["_time", "time", "user"]);
    }
    let engine = Engine::builder(T0 as f64 + n as f64)
        .add_dataset(ds)
        .build();
    let r = engine.run("index=main | stats count by user").unwrap();
    assert_eq!(numbers(&r, "count").iter().sum::<usize>(), n);
    let r = engine.run("index=main | head 2 | table n").unwrap();
    assert_eq!(numbers(&r, "n"), [n - 1, n - 2]);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Writes events `(n, time)` to a Parquet file, `per_group` rows a row group
/// (`_time` as Float64 epoch seconds, so row groups carry time statistics).
fn write_parquet(path: &Path, events: &[(usize, i64)], per_group: usize) {
    use arrow_array::{Float64Array, Int64Array, StringArray};
    use arrow_schema::{Field, Schema};
    let schema = Arc::new(Schema::new(vec![
        Field::new("_time", DataType::Float64, true),
        Field::new("n", DataType::Int64, false),
        Field::new("user", DataType::Utf8, false),
    ]));
    let props = parquet::file::properties::WriterProperties::builder()
        .set_max_row_group_row_count(Some(per_group))
        .build();
    let file = std::fs::File::create(path).unwrap();
    let mut w = parquet::arrow::ArrowWriter::try_new(file, schema.clone(), Some(props)).unwrap();
    for chunk in events.chunks(per_group) {
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(Float64Array::from_iter_values(
                    chunk.iter().map(|e| e.1 as f64),
                )),
                Arc::new(Int64Array::from_iter_values(
                    chunk.iter().map(|e| e.0 as i64),
                )),
                Arc::new(StringArray::from_iter_values(
                    chunk.iter().map(|e| format!("u{}", e.0 % 7)),
                )),
            ],
        )
        .unwrap();
        w.write(&batch).unwrap();
    }
    w.close().unwrap();
}

#[test]
fn head_over_parquet_reads_only_the_newest_row_groups() {
    let dir = scratch("parquet");
    let path = dir.join("events.parquet");
    // 40 row groups of 1,000 events; the newest row group sits in the middle
    // of the file, so file order is not time order
    let per_group = 1_000;
    let groups = 40;
    let newest_group = 23;
    let mut events = Vec::new();
    for g in 0..groups {
        let base = if g == newest_group {
            groups as i64 * per_group as i64
        } else {
            (g * per_group) as i64
        };
        for i in 0..per_group {
            events.push((g * per_group + i, T0 + base + i as i64));
        }
    }
    write_parquet(&path, &events, per_group);
    let spec: spl_engine::source::DataSpec = format!("path={}", path.display()).parse().unwrap();
    let engine = Engine::builder(T0 as f64 + 1e9)
        .add_data(&spec)
        .unwrap()
        .build();

    // The newest event is the last of row group 23: only it is read (row
    // group statistics give every span without reading the data).
    let r = engine.run("index=main | head 1").unwrap();
    assert_eq!(numbers(&r, "n"), [newest_group * per_group + per_group - 1]);
    assert!(r.scan.rows <= per_group as u64, "{:?}", r.scan);
    assert_eq!(r.scan.bytes_indexed, 0, "{:?}", r.scan);

    // Crossing into the next newest row group (the last one of the file).
    let r = engine
        .run("index=main | head 1001 | stats min(n) AS lo, max(n) AS hi")
        .unwrap();
    // all of row group 23, then the newest event of row group 39
    assert_eq!(numbers(&r, "lo"), [newest_group * per_group]);
    assert_eq!(
        numbers(&r, "hi"),
        [(groups - 1) * per_group + per_group - 1]
    );
    assert!(r.scan.rows <= 2 * per_group as u64, "{:?}", r.scan);

    // Newest first across the whole file equals a stable sort by time.
    let r = engine
        .run("index=main | streamstats count AS k | where k<=3 | table n")
        .unwrap();
    let mut sorted = events.clone();
    sorted.sort_by_key(|e| std::cmp::Reverse(e.1));
    let want: Vec<usize> = sorted.iter().take(3).map(|e| e.0).collect();
    assert_eq!(numbers(&r, "n"), want);
    std::fs::remove_dir_all(&dir).unwrap();
}
