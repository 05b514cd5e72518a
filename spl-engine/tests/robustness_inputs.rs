//! Inputs without end or without bound (issue 15): a device that never ends,
//! a decompression bomb, a stream over `max_stream_bytes`, a CSV wider than
//! `csv_max_columns` each end at once with a data error naming the input,
//! in bounded memory and disk.
#![allow(clippy::unwrap_used)]

mod ingest_common;
use ingest_common::*;

use spl_engine::session::Engine;
use spl_engine::source::DataSpec;
use std::io::Write;

fn add_err(spec: &DataSpec, limits: &[(&str, u64)]) -> String {
    let mut b = Engine::builder(1_714_564_800.0);
    for (n, v) in limits {
        b = b.limit(n, *v).unwrap();
    }
    match b.add_data(spec) {
        Ok(_) => panic!("{} should be refused", spec.path.display()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn dev_zero_is_refused_before_it_is_copied() {
    // NUL bytes from the first read: binary data, not a 64 GiB copy
    let err = add_err(&DataSpec::new("/dev/zero"), &[]);
    assert!(
        err.contains("/dev/zero") && err.contains("binary data"),
        "{err}"
    );
}

#[test]
fn gzip_bombs_and_long_streams_stop_at_the_limits() {
    let dir = scratch("robustness_inputs_gz");
    // 8 MiB of zeros in a few KiB: binary once decompressed
    let bomb = dir.join("bomb.log.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&bomb).unwrap(),
        flate2::Compression::best(),
    );
    gz.write_all(&vec![0u8; 8 << 20]).unwrap();
    gz.finish().unwrap();
    let err = add_err(&DataSpec::new(&bomb), &[]);
    assert!(err.contains("binary data"), "{err}");
    // text past max_stream_bytes; at the limit it is read
    let text = dir.join("lines.log.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&text).unwrap(),
        flate2::Compression::fast(),
    );
    let body: String = (0..1000)
        .map(|i| format!("2024-05-01T00:00:00Z n={i}\n"))
        .collect();
    gz.write_all(body.as_bytes()).unwrap();
    gz.finish().unwrap();
    let err = add_err(&DataSpec::new(&text), &[("max_stream_bytes", 1000)]);
    assert!(
        err.contains("max_stream_bytes") && err.contains("lines.log.gz"),
        "{err}"
    );
    let ok = Engine::builder(1_714_564_800.0)
        .limit("max_stream_bytes", body.len() as u64)
        .unwrap()
        .add_data(&DataSpec::new(&text))
        .unwrap()
        .build();
    let out = ok.run("* | stats count").unwrap();
    assert_eq!(one(&out.batches[0], "count", 0).as_deref(), Some("1000"));
}

#[test]
fn csv_columns_over_the_limit_are_an_error_and_wide_files_read() {
    let dir = scratch("robustness_inputs_csv");
    let wide = |n: usize| {
        let p = dir.join(format!("w{n}.csv"));
        let header: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
        let row = vec!["1"; n];
        std::fs::write(
            &p,
            format!(
                "{}\n{}\n{}\n",
                header.join(","),
                row.join(","),
                row.join(",")
            ),
        )
        .unwrap();
        p
    };
    let over = wide(101);
    let err = add_err(&DataSpec::new(&over), &[("csv_max_columns", 100)]);
    assert!(
        err.contains("101 columns") && err.contains("csv_max_columns"),
        "{err}"
    );
    // the default limit is 10,000; a wide file under it is read in batches
    // sized for its width (it took gigabytes: 8192 rows of every column)
    let at = wide(3_000);
    let e = Engine::builder(1_714_564_800.0)
        .add_data(&DataSpec::new(&at))
        .unwrap()
        .build();
    let out = e.run("* | stats count sum(c2999) as s").unwrap();
    assert_eq!(one(&out.batches[0], "count", 0).as_deref(), Some("2"));
    assert_eq!(one(&out.batches[0], "s", 0).as_deref(), Some("2"));
}
