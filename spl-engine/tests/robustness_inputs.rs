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

/// Runs `q` over `spec` with `max_line_bytes` = `max`: the data error or the
/// count of results.
fn with_line_limit(
    spec: &str,
    max: u64,
    lookups: Option<&std::path::Path>,
    q: &str,
) -> Result<String, String> {
    let spec: DataSpec = spec.parse().unwrap();
    let mut b = Engine::builder(1_714_564_800.0)
        .no_default_apps()
        .unwrap()
        .limit("max_line_bytes", max)
        .unwrap();
    if let Some(d) = lookups {
        b = b.lookup_dirs(vec![d.to_path_buf()]);
    }
    let e = b.add_data(&spec).map_err(|e| e.to_string())?.build();
    let out = e.run(q).map_err(|e| e.to_string())?;
    Ok(one(&out.batches[0], "count", 0).unwrap_or_default())
}

/// A line of `n` bytes of `x` inside a JSON object.
fn long_json(n: usize) -> String {
    format!("{{\"time\":1714564800,\"a\":\"{}\"}}", "x".repeat(n))
}

#[test]
fn a_line_over_max_line_bytes_is_an_error_naming_file_and_line() {
    let dir = scratch("robustness_line_limit");
    let short = long_json(10); // 40 bytes
    let long = long_json(300); // 330 bytes
    let expect_err = |r: Result<String, String>, file: &str, line: usize| {
        let e = r.expect_err("should be over max_line_bytes");
        assert!(
            e.contains("max_line_bytes") && e.contains(&format!("{file}:{line}:")),
            "{e}"
        );
    };
    // JSON lines: in the first partition, in a later one, and a file that is one line
    let jl = dir.join("events.jsonl");
    let mut text = format!("{short}\n{short}\n{long}\n");
    std::fs::write(&jl, &text).unwrap();
    let spec = format!("path={},format=json", jl.display());
    expect_err(
        with_line_limit(&spec, 200, None, "* | stats count"),
        "events.jsonl",
        3,
    );
    assert_eq!(
        with_line_limit(&spec, 330, None, "* | stats count").unwrap(),
        "3"
    );
    for _ in 0..200_000 {
        text.push_str(&short);
        text.push('\n');
    }
    text.push_str(&long_json(5_000_000));
    text.push('\n');
    std::fs::write(&jl, &text).unwrap();
    expect_err(
        with_line_limit(&spec, 1 << 20, None, "* | stats count"),
        "events.jsonl",
        200_004,
    );
    let one_line = dir.join("one.jsonl");
    std::fs::write(&one_line, long_json(3_000_000)).unwrap();
    let spec1 = format!("path={},format=json", one_line.display());
    expect_err(
        with_line_limit(&spec1, 1 << 20, None, "* | stats count"),
        "one.jsonl",
        1,
    );
    assert_eq!(
        with_line_limit(&spec1, 4 << 20, None, "* | stats count").unwrap(),
        "1"
    );

    // CSV events
    let csv = dir.join("events.csv");
    std::fs::write(
        &csv,
        format!("_time,a\n1714564800,x\n1714564801,{}\n", "y".repeat(500)),
    )
    .unwrap();
    let spec = format!("path={},format=csv", csv.display());
    expect_err(
        with_line_limit(&spec, 100, None, "* | stats count"),
        "events.csv",
        3,
    );
    assert_eq!(
        with_line_limit(&spec, 600, None, "* | stats count").unwrap(),
        "2"
    );

    // metrics CSV
    let m = dir.join("m.csv");
    std::fs::write(
        &m,
        format!(
            "metric_timestamp,metric_name,_value,host\n1714564800,cpu,1,a\n1714564800,cpu,2,{}\n",
            "h".repeat(500)
        ),
    )
    .unwrap();
    let spec = format!("path={},format=metrics-csv", m.display());
    let q = "| mstats count(_value) as count WHERE index=* metric_name=cpu";
    expect_err(with_line_limit(&spec, 100, None, q), "m.csv", 3);
    assert_eq!(with_line_limit(&spec, 600, None, q).unwrap(), "2");

    // KubeArmor telemetry
    let ka = dir.join("ka.json");
    let rec = |r: &str| {
        format!("{{\"Timestamp\":1714564800,\"Type\":\"HostLog\",\"Operation\":\"Process\",\"Resource\":\"{r}\"}}\n")
    };
    std::fs::write(&ka, format!("{}{}", rec("/bin/sh"), rec(&"z".repeat(500)))).unwrap();
    let spec = format!("path={},format=kubearmor", ka.display());
    expect_err(
        with_line_limit(&spec, 200, None, "* | stats count"),
        "ka.json",
        2,
    );
    assert_eq!(
        with_line_limit(&spec, 700, None, "* | stats count").unwrap(),
        "2"
    );

    // a lookup CSV
    let lk = dir.join("lookups");
    std::fs::create_dir_all(&lk).unwrap();
    std::fs::write(
        lk.join("users.csv"),
        format!("a,b\nx,1\ny,{}\n", "w".repeat(500)),
    )
    .unwrap();
    let small = dir.join("small.jsonl");
    std::fs::write(&small, format!("{short}\n")).unwrap();
    let csv_spec = format!("path={},format=json", small.display());
    let q = "| inputlookup users.csv | stats count";
    expect_err(
        with_line_limit(&csv_spec, 400, Some(&lk), q),
        "users.csv",
        3,
    );
    assert_eq!(with_line_limit(&csv_spec, 600, Some(&lk), q).unwrap(), "2");
}
