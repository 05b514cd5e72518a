//! `spl-gen`: deterministic generator of the seed fixtures and of large
//! synthetic metric files for benchmarks.

use clap::{Parser, Subcommand};
use spl_benches::gen::audit_lines::{self, LinesSpec};
use spl_benches::gen::bench_metrics::{self, BenchSpec};
use spl_benches::gen::fixtures::{self, FixtureOptions, DEFAULT_NOW, DEFAULT_SEED};
use spl_benches::gen::raw_logs::{self, RawSpec, Shape};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "spl-gen",
    about = "Deterministic data generator for the SPL engine's fixtures and benchmarks"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// The committed seed fixtures (metrics, audit logs, baseline lookup, GeoIP answers).
    Fixtures {
        /// Data directory.
        #[arg(long, default_value = "fixtures/data")]
        out: PathBuf,
        /// Lookup directory (default: `lookups` beside the data directory).
        #[arg(long)]
        lookups_out: Option<PathBuf>,
        /// GeoIP database (default: `geoip/GeoLite2-City-Test.mmdb` beside the data directory).
        #[arg(long)]
        geoip: Option<PathBuf>,
        /// Search time: RFC 3339 or epoch seconds, on a 10 s boundary.
        #[arg(long, default_value = DEFAULT_NOW)]
        now: String,
        /// PRNG seed.
        #[arg(long, default_value_t = DEFAULT_SEED)]
        seed: u64,
    },
    /// Synthetic network metrics shaped like `bench-anchors/gen_metrics.py`.
    Metrics {
        /// small (1.7 M rows), medium (30 M), large (389 M).
        #[arg(long, default_value = "small")]
        scale: String,
        /// Output directory.
        #[arg(long, default_value = "target/bench-data")]
        out: PathBuf,
        /// Override: workloads.
        #[arg(long)]
        workloads: Option<usize>,
        /// Override: processes per workload.
        #[arg(long)]
        procs: Option<usize>,
        /// Override: days.
        #[arg(long)]
        days: Option<usize>,
        /// Destinations per source process.
        #[arg(long, default_value_t = 1)]
        dests: usize,
        /// PRNG seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Output base name (default: the scale).
        #[arg(long)]
        name: Option<String>,
        /// Also write the metrics CSV (large: only sensible for small).
        #[arg(long)]
        csv: bool,
        /// Target rows per Parquet row group.
        #[arg(long, default_value_t = 1_000_000)]
        row_group_rows: usize,
    },
    /// JSON lines of Kubernetes-audit-shaped events (~900 bytes each), of any size.
    Jsonl {
        /// Size: bytes, or with K, M, G (`300M`, `3G`).
        #[arg(long, default_value = "300M")]
        size: String,
        /// Output file.
        #[arg(long, default_value = "target/bench-data/audit.jsonl")]
        out: PathBuf,
        /// Distinct `user.username` values.
        #[arg(long, default_value_t = 2000)]
        users: u64,
        /// `asc` (oldest first), `desc` or `shuffled`.
        #[arg(long, default_value = "asc")]
        order: String,
        /// Epoch seconds of the first event.
        #[arg(long, default_value_t = 1_714_500_000)]
        start: i64,
        /// PRNG seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Raw text logs of any size: `kv` (firewall/syslog-like key=value lines,
    /// ~300 bytes) or `xmlwin` (Windows XML events, Sysmon 1 and Security
    /// 4688, one `<Event>` per line, ~1.4-2.5 KB).
    Raw {
        /// `kv` or `xmlwin`.
        #[arg(long, default_value = "kv")]
        shape: String,
        /// Size: bytes, or with K, M, G (`100M`, `1G`).
        #[arg(long, default_value = "100M")]
        size: String,
        /// Output file.
        #[arg(long, default_value = "target/bench-data/raw.log")]
        out: PathBuf,
        /// Distinct source addresses (kv) or computers (xmlwin).
        #[arg(long, default_value_t = 5000)]
        srcs: u64,
        /// Epoch seconds of the first event.
        #[arg(long, default_value_t = 1_714_500_000)]
        start: i64,
        /// PRNG seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
}

fn run(cli: Cli) -> Result<Vec<PathBuf>, spl_benches::gen::GenError> {
    match cli.cmd {
        Cmd::Fixtures {
            out,
            lookups_out,
            geoip,
            now,
            seed,
        } => {
            let root = out.parent().map(PathBuf::from).unwrap_or_default();
            let opts = FixtureOptions {
                lookups_dir: lookups_out.unwrap_or_else(|| root.join("lookups")),
                geoip_db: geoip
                    .unwrap_or_else(|| root.join("geoip").join("GeoLite2-City-Test.mmdb")),
                data_dir: out,
                now: fixtures::parse_now(&now)?,
                seed,
            };
            fixtures::generate(&opts)
        }
        Cmd::Metrics {
            scale,
            out,
            workloads,
            procs,
            days,
            dests,
            seed,
            name,
            csv,
            row_group_rows,
        } => {
            let mut spec = BenchSpec::scale(&scale)?;
            spec.workloads = workloads.unwrap_or(spec.workloads);
            spec.procs = procs.unwrap_or(spec.procs);
            spec.days = days.unwrap_or(spec.days);
            spec.dests = dests;
            spec.seed = seed;
            spec.csv = csv;
            spec.row_group_rows = row_group_rows;
            if let Some(n) = name {
                spec.name = n;
            } else if workloads.is_some() || procs.is_some() || days.is_some() || dests != 1 {
                spec.name = format!(
                    "W{}_P{}_D{}_F{}",
                    spec.workloads, spec.procs, spec.days, spec.dests
                );
            }
            bench_metrics::generate(&spec, &out)
        }
        Cmd::Jsonl {
            size,
            out,
            users,
            order,
            start,
            seed,
        } => {
            if !matches!(order.as_str(), "asc" | "desc" | "shuffled") {
                return Err(spl_benches::gen::GenError::Invalid(format!(
                    "expected --order asc, desc or shuffled, found `{order}`"
                )));
            }
            let spec = LinesSpec {
                bytes: audit_lines::parse_size(&size)?,
                users,
                start,
                order,
                seed,
            };
            audit_lines::generate(&spec, &out)?;
            Ok(vec![out])
        }
        Cmd::Raw {
            shape,
            size,
            out,
            srcs,
            start,
            seed,
        } => {
            let shape = match shape.as_str() {
                "kv" => Shape::Kv,
                "xmlwin" | "xml" => Shape::XmlWin,
                _ => {
                    return Err(spl_benches::gen::GenError::Invalid(format!(
                        "expected --shape kv or xmlwin, found `{shape}`"
                    )))
                }
            };
            let spec = RawSpec {
                shape,
                bytes: audit_lines::parse_size(&size)?,
                srcs,
                start,
                seed,
            };
            raw_logs::generate(&spec, &out)?;
            Ok(vec![out])
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(files) => {
            for f in files {
                println!("{}", f.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
