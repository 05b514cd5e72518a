//! Large synthetic metric files for performance work, in the shape of
//! `shared/bench-anchors/gen_metrics.py`: the same columns and Parquet
//! physical types (`_time` int64 epoch seconds, `metric_name`, `_value`
//! double, five string dimensions), cardinalities, time range, row order
//! (`_time`, source, destination, metric), row groups of whole timestamps,
//! injected anomalies and `<name>.meta.json`. The random numbers come from
//! this crate's PRNG, so values differ from the Python generator's; the
//! structure and the injected ground truth are the same.

use super::metrics_file::format_value;
use super::rng::{det_exp, det_sin, Rng};
use super::GenError;
use arrow_array::types::Int32Type;
use arrow_array::{
    Array, ArrayRef, DictionaryArray, Float64Array, Int32Array, Int64Array, RecordBatch,
    StringArray,
};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::arrow_writer::ArrowWriterOptions;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Metric names, in row order within a (timestamp, source, destination).
pub const METRICS: [&str; 5] = [
    "tcp.bytes",
    "tcp.new_sockets",
    "tcp.packets",
    "udp.bytes",
    "udp.packets",
];
/// 2025-01-01T00:00:00Z, the first timestamp.
pub const T0: i64 = 1_735_689_600;
const STEP: i64 = 10;
const CLUSTERS: [&str; 3] = ["prod-us-east-1", "prod-eu-west-1", "staging-us-west-2"];
const WORDS: [&str; 20] = [
    "payments",
    "checkout",
    "cart",
    "catalog",
    "search",
    "auth",
    "users",
    "orders",
    "inventory",
    "shipping",
    "billing",
    "notify",
    "gateway",
    "reports",
    "media",
    "recommend",
    "pricing",
    "ledger",
    "audit",
    "session",
];
const PROCS: [&str; 10] = [
    "java",
    "node",
    "python3",
    "nginx",
    "envoy",
    "redis-server",
    "postgres",
    "gunicorn",
    "sidecar",
    "curl",
];

/// Size parameters (`--scale` presets or explicit).
#[derive(Debug, Clone)]
pub struct BenchSpec {
    /// Output base name.
    pub name: String,
    /// Workloads.
    pub workloads: usize,
    /// Processes per workload.
    pub procs: usize,
    /// Days of 10 s data.
    pub days: usize,
    /// Destinations per source process.
    pub dests: usize,
    /// PRNG seed.
    pub seed: u64,
    /// Target rows per Parquet row group (rounded to whole timestamps).
    pub row_group_rows: usize,
    /// Also write the metrics CSV (`metric_timestamp,metric_name,_value,<dims>`).
    pub csv: bool,
}

impl BenchSpec {
    /// The presets of `gen_metrics.py`: small (20 workloads, 2 processes,
    /// 1 day), medium (50, 2, 7), large (100, 3, 30).
    pub fn scale(name: &str) -> Result<Self, GenError> {
        let (w, p, d) = match name {
            "small" => (20, 2, 1),
            "medium" => (50, 2, 7),
            "large" => (100, 3, 30),
            other => {
                return Err(GenError::Invalid(format!(
                    "expected scale small, medium or large, found {other:?}"
                )))
            }
        };
        Ok(BenchSpec {
            name: name.to_string(),
            workloads: w,
            procs: p,
            days: d,
            dests: 1,
            seed: 42,
            row_group_rows: 1_000_000,
            csv: false,
        })
    }
}

/// A point's identity: (cluster, workload, process) per source; the
/// destination (workload, process) per (source, f).
struct Topology {
    src: Vec<(usize, usize, usize)>,
    dst: Vec<(usize, usize)>,
    wl_names: Vec<String>,
}

fn topology(w: usize, p: usize, f: usize) -> Topology {
    let wl_names: Vec<String> = (0..w)
        .map(|i| format!("{}-{}-svc", WORDS[i % WORDS.len()], i / WORDS.len()))
        .collect();
    let mut src = Vec::new();
    for wi in 0..w {
        for pi in 0..p {
            src.push((wi % CLUSTERS.len(), wi, (wi + pi) % PROCS.len()));
        }
    }
    let mut dst = Vec::new();
    for s in 0..src.len() {
        let wi = s / p.max(1);
        for fi in 0..f {
            let dw = (wi + 1 + 7 * fi) % w.max(1);
            dst.push((dw, dw % PROCS.len()));
        }
    }
    Topology { src, dst, wl_names }
}

struct Injection {
    src: usize,
    metric: usize,
    offset: usize,
    buckets: usize,
    factor: f64,
}

/// Writes `<out>/<name>.parquet` (+ `.csv`) and `<out>/<name>.meta.json`;
/// returns the paths written.
pub fn generate(spec: &BenchSpec, out: &Path) -> Result<Vec<PathBuf>, GenError> {
    let (w, p, d, f) = (spec.workloads, spec.procs, spec.days, spec.dests);
    if w == 0 || p == 0 || d == 0 || f == 0 {
        return Err(GenError::Invalid(
            "expected workloads, procs, days and dests > 0, found 0".into(),
        ));
    }
    std::fs::create_dir_all(out).map_err(|e| GenError::io(out, e))?;
    let topo = topology(w, p, f);
    let s_count = topo.src.len();
    let m = METRICS.len();
    let n_ts = (d as i64 * 86_400 / STEP) as usize;
    let rows_per_ts = s_count * f * m;
    let now = T0 + n_ts as i64 * STEP;
    let last_hour_start = n_ts.saturating_sub(360);

    let mut rng = Rng::stream(spec.seed, "bench/setup");
    // Per (source, dest) scale ~ lognormal(0, 1); per-metric bases as in the anchors.
    let mult = [150_000.0, 40.0, 200.0, 20_000.0, 50.0];
    let base: Vec<[f64; 5]> = (0..s_count * f)
        .map(|_| {
            let scale = det_exp(normal4(&mut rng));
            mult.map(|k| scale * k)
        })
        .collect();
    let phase: Vec<f64> = (0..s_count)
        .map(|_| rng.uniform() * std::f64::consts::TAU)
        .collect();
    let amp: Vec<f64> = (0..s_count).map(|_| 0.1 + 0.2 * rng.uniform()).collect();
    let n_anom = if s_count > 1 { 3.min(s_count - 1) } else { 0 };
    let mut perm: Vec<usize> = (0..s_count).collect();
    for i in (1..perm.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        perm.swap(i, j);
    }
    let mut anom_src: Vec<usize> = perm.iter().take(n_anom).copied().collect();
    anom_src.sort_unstable();
    let near_miss = perm.get(n_anom).copied();
    let mut injections = Vec::new();
    for (j, &s) in anom_src.iter().enumerate() {
        let start = 60 + 60 * j;
        injections.push(Injection {
            src: s,
            metric: 0,
            offset: start,
            buckets: 60,
            factor: 12.0,
        });
        if j % 2 == 0 {
            injections.push(Injection {
                src: s,
                metric: 4,
                offset: start,
                buckets: 60,
                factor: 9.0,
            });
        }
    }
    if let Some(s) = near_miss {
        injections.push(Injection {
            src: s,
            metric: 1,
            offset: 300,
            buckets: 3,
            factor: 15.0,
        });
    }

    // Sorted string dictionaries, as the anchors' generator builds them.
    let mut wls: Vec<String> = topo.wl_names.clone();
    wls.sort();
    let mut procs: Vec<&str> = PROCS.to_vec();
    procs.sort_unstable();
    procs.dedup();
    let wl_index = |wi: usize| -> i32 {
        topo.wl_names
            .get(wi)
            .and_then(|n| wls.iter().position(|x| x == n))
            .unwrap_or(0) as i32
    };
    let proc_index = |pi: usize| -> i32 {
        PROCS
            .get(pi)
            .and_then(|n| procs.iter().position(|x| x == n))
            .unwrap_or(0) as i32
    };
    let mut clusters: Vec<&str> = CLUSTERS.to_vec();
    clusters.sort_unstable();
    let cluster_index = |ci: usize| -> i32 {
        CLUSTERS
            .get(ci)
            .and_then(|n| clusters.iter().position(|x| x == n))
            .unwrap_or(0) as i32
    };

    // One timestamp's pattern of dictionary keys.
    let mut pat: [Vec<i32>; 6] = Default::default();
    for s in 0..s_count {
        let (ci, wi, pi) = topo.src.get(s).copied().unwrap_or((0, 0, 0));
        for fi in 0..f {
            let (dw, dp) = topo.dst.get(s * f + fi).copied().unwrap_or((0, 0));
            for mi in 0..m {
                pat[0].push(mi as i32);
                pat[1].push(cluster_index(ci));
                pat[2].push(wl_index(wi));
                pat[3].push(proc_index(pi));
                pat[4].push(wl_index(dw));
                pat[5].push(proc_index(dp));
            }
        }
    }
    let dict_field = |name: &str| {
        Field::new(
            name,
            DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
            false,
        )
    };
    let schema = Arc::new(Schema::new(vec![
        Field::new("_time", DataType::Int64, false),
        dict_field("metric_name"),
        Field::new("_value", DataType::Float64, false),
        dict_field("k8s.cluster.name"),
        dict_field("source.workload.name"),
        dict_field("source.process.name"),
        dict_field("dest.workload.name"),
        dict_field("dest.process.name"),
    ]));
    let metric_values = Arc::new(StringArray::from_iter_values(METRICS));
    let cluster_values = Arc::new(StringArray::from_iter_values(clusters.iter()));
    let wl_values = Arc::new(StringArray::from_iter_values(wls.iter()));
    let proc_values = Arc::new(StringArray::from_iter_values(procs.iter()));
    let dict_values = [
        metric_values,
        cluster_values,
        wl_values.clone(),
        proc_values.clone(),
        wl_values,
        proc_values,
    ];

    let ts_per_rg = (spec.row_group_rows / rows_per_ts.max(1)).max(1);
    let parquet_path = out.join(format!("{}.parquet", spec.name));
    let csv_path = out.join(format!("{}.csv", spec.name));
    let mut csv = if spec.csv {
        let file = std::fs::File::create(&csv_path).map_err(|e| GenError::io(&csv_path, e))?;
        let mut w = std::io::BufWriter::new(file);
        writeln!(w, "metric_timestamp,metric_name,_value,k8s.cluster.name,source.workload.name,source.process.name,dest.workload.name,dest.process.name")
            .map_err(|e| GenError::io(&csv_path, e))?;
        Some(w)
    } else {
        None
    };
    let file = std::fs::File::create(&parquet_path).map_err(|e| GenError::io(&parquet_path, e))?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(ts_per_rg * rows_per_ts))
        .build();
    let options = ArrowWriterOptions::new()
        .with_properties(props)
        .with_skip_arrow_metadata(true);
    let mut writer = ArrowWriter::try_new_with_options(file, schema.clone(), options)?;
    let mut total = 0usize;
    let mut value_sum = 0.0f64;
    let mut vals = vec![0.0f64; rows_per_ts];
    let mut ts0 = 0;
    while ts0 < n_ts {
        let ts1 = (ts0 + ts_per_rg).min(n_ts);
        let rows = (ts1 - ts0) * rows_per_ts;
        let mut rng = Rng::stream(spec.seed, &format!("bench/chunk/{ts0}"));
        let mut times = Vec::with_capacity(rows);
        let mut values = Vec::with_capacity(rows);
        for ti in ts0..ts1 {
            let t = T0 + ti as i64 * STEP;
            let day_frac = (t % 86_400) as f64 / 86_400.0;
            for s in 0..s_count {
                let a = amp.get(s).copied().unwrap_or(0.0);
                let ph = phase.get(s).copied().unwrap_or(0.0);
                let shape = 1.0 + a * det_sin(std::f64::consts::TAU * day_frac + ph);
                for fi in 0..f {
                    let b = base.get(s * f + fi).copied().unwrap_or([0.0; 5]);
                    for (mi, bv) in b.iter().enumerate() {
                        let mut v = bv * shape * (1.0 + 0.08 * normal4(&mut rng));
                        for inj in &injections {
                            let g0 = last_hour_start + inj.offset;
                            if inj.src == s && inj.metric == mi && ti >= g0 && ti < g0 + inj.buckets
                            {
                                v *= inj.factor;
                            }
                        }
                        if let Some(slot) = vals.get_mut((s * f + fi) * m + mi) {
                            *slot = v.round_ties_even().max(0.0);
                        }
                    }
                }
            }
            for v in &vals {
                times.push(t);
                values.push(*v);
                value_sum += v;
            }
            if let Some(w) = csv.as_mut() {
                write_csv_rows(w, t, &vals, &pat, &dict_values)
                    .map_err(|e| GenError::io(&csv_path, e))?;
            }
        }
        let reps = ts1 - ts0;
        let mut columns: Vec<ArrayRef> = vec![Arc::new(Int64Array::from(times))];
        for (k, keys) in pat.iter().enumerate() {
            let tiled: Int32Array = keys
                .iter()
                .copied()
                .cycle()
                .take(keys.len() * reps)
                .collect();
            let values_arr = dict_values
                .get(k)
                .cloned()
                .unwrap_or_else(|| Arc::new(StringArray::from(Vec::<&str>::new())));
            let dict = DictionaryArray::<Int32Type>::try_new(tiled, values_arr)?;
            columns.push(Arc::new(dict));
            if k == 0 {
                columns.push(Arc::new(Float64Array::from(std::mem::take(&mut values))));
            }
        }
        writer.write(&RecordBatch::try_new(schema.clone(), columns)?)?;
        total += rows;
        ts0 = ts1;
    }
    writer.close()?;
    if let Some(mut w) = csv.take() {
        w.flush().map_err(|e| GenError::io(&csv_path, e))?;
    }

    let src_name = |s: usize| -> String {
        let (ci, wi, pi) = topo.src.get(s).copied().unwrap_or((0, 0, 0));
        format!(
            "{}|{}|{}",
            CLUSTERS.get(ci).unwrap_or(&""),
            topo.wl_names.get(wi).map(String::as_str).unwrap_or(""),
            PROCS.get(pi).unwrap_or(&"")
        )
    };
    let mut expected = serde_json::Map::new();
    for inj in &injections {
        let key = src_name(inj.src);
        let n = expected.get(&key).and_then(|v| v.as_u64()).unwrap_or(0) + inj.buckets as u64;
        expected.insert(key, json!(n));
    }
    expected.retain(|_, v| v.as_u64().unwrap_or(0) > 5);
    let parquet_bytes = std::fs::metadata(&parquet_path)
        .map_err(|e| GenError::io(&parquet_path, e))?
        .len();
    let mut meta = json!({
        "name": spec.name, "path": format!("{}.parquet", spec.name), "workloads": w, "procs": p, "days": d,
        "dests": f, "seed": spec.seed, "sources": s_count, "metrics": METRICS, "rows": total,
        "rows_per_timestamp": rows_per_ts, "timestamps": n_ts, "t0": T0, "now": now,
        "last_hour_start": now - 3600, "row_group_rows": ts_per_rg * rows_per_ts, "compression": "snappy",
        "parquet_bytes": parquet_bytes, "value_sum": value_sum,
        "injected": injections.iter().map(|i| json!({
            "source": src_name(i.src), "metric": METRICS.get(i.metric).unwrap_or(&""),
            "first_bucket": now - 3600 + STEP * i.offset as i64, "buckets": i.buckets, "factor": i.factor,
        })).collect::<Vec<_>>(),
        "expected_groups": expected,
    });
    let mut written = vec![parquet_path];
    if spec.csv {
        let csv_bytes = std::fs::metadata(&csv_path)
            .map_err(|e| GenError::io(&csv_path, e))?
            .len();
        meta["csv_bytes"] = json!(csv_bytes);
        written.push(csv_path);
    }
    let meta_path = out.join(format!("{}.meta.json", spec.name));
    super::write_file(&meta_path, serde_json::to_string_pretty(&meta)?.as_bytes())?;
    written.push(meta_path);
    Ok(written)
}

/// Approximately standard normal from four uniforms (cheap; bounded).
fn normal4(rng: &mut Rng) -> f64 {
    let s = rng.uniform() + rng.uniform() + rng.uniform() + rng.uniform();
    (s - 2.0) * 1.732_050_807_568_877_2
}

fn write_csv_rows(
    w: &mut impl Write,
    t: i64,
    vals: &[f64],
    pat: &[Vec<i32>; 6],
    dicts: &[Arc<StringArray>; 6],
) -> std::io::Result<()> {
    for (row, v) in vals.iter().enumerate() {
        let cell = |k: usize| -> &str {
            let key = pat.get(k).and_then(|p| p.get(row)).copied().unwrap_or(0) as usize;
            dicts
                .get(k)
                .filter(|d| key < d.len())
                .map(|d| d.value(key))
                .unwrap_or("")
        };
        writeln!(
            w,
            "{t},{},{},{},{},{},{},{}",
            cell(0),
            format_value(*v),
            cell(1),
            cell(2),
            cell(3),
            cell(4),
            cell(5)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topology_matches_the_anchors() {
        let t = topology(20, 2, 1);
        assert_eq!(t.src.len(), 40);
        assert_eq!(t.wl_names[0], "payments-0-svc");
        // Source 3 = workload 1 ("checkout-0-svc"), process (1+1)%10 = python3.
        assert_eq!(t.src[3], (1, 1, 2));
        // Destination of workload 1 = workload 2 with process 2.
        assert_eq!(t.dst[3], (2, 2));
    }

    #[test]
    fn rejects_unknown_scale() {
        assert!(BenchSpec::scale("huge").is_err());
    }

    #[test]
    fn tiny_run_has_the_anchor_shape() {
        let dir = std::env::temp_dir().join(format!("spl-gen-bench-test-{}", std::process::id()));
        let spec = BenchSpec {
            name: "tiny".into(),
            workloads: 3,
            procs: 1,
            days: 1,
            dests: 1,
            seed: 42,
            row_group_rows: 100_000,
            csv: true,
        };
        let files = generate(&spec, &dir).unwrap();
        assert_eq!(files.len(), 3);
        let meta: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&files[2]).unwrap()).unwrap();
        assert_eq!(meta["rows"], json!(8640 * 3 * 5));
        assert_eq!(meta["now"], json!(T0 + 86_400));
        let csv = std::fs::read_to_string(&files[1]).unwrap();
        assert_eq!(csv.lines().count(), 8640 * 3 * 5 + 1);
        let again = generate(&spec, &dir.join("again")).unwrap();
        assert_eq!(
            std::fs::read(&files[0]).unwrap(),
            std::fs::read(&again[0]).unwrap()
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
