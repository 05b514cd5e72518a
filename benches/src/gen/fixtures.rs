//! The committed seed fixtures (`spl-gen fixtures`).
//!
//! Layout (relative to the repository's `fixtures/`):
//! - `data/k8s-network-<variant>.metrics.csv` / `.parquet`: `tcp.*`/`udp.*`
//!   for the outbound and inbound network-activity detections;
//! - `data/k8s-pod-io-<variant>.metrics.csv` / `.parquet`:
//!   `k8s.pod.network.io` for the IO-ratio detection and its baseline;
//! - `data/k8s-audit-<variant>.jsonl`: audit events for the scanning detection;
//! - `data/geo_expected.json`: `iplocation` answers for every audit address;
//! - `data/scenario.json`: `now`, the windows, and which groups each
//!   detection must return (the oracle checks its rows against it);
//! - `lookups/k8s_container_network_io_ratio_baseline.csv`: the baseline
//!   search's output over `[-30d@d, -1d@d)`.
//!
//! `<variant>` is `anomalous` (the detection fires for the listed groups) or
//! `quiet` (no rows). Both variants share their history (same PRNG streams),
//! so the baseline lookup is the same for both.

use super::{audit, network, podio, write_file, GenError, DAY};
use serde_json::json;
use std::path::{Path, PathBuf};

/// The fixtures' fixed search time (pass the same to `spl run --now`).
pub const DEFAULT_NOW: &str = "2024-05-01T12:00:00Z";
/// The fixtures' PRNG seed.
pub const DEFAULT_SEED: u64 = 20_240_501;

/// Which scenario a fixture file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// Some groups are far above their baseline: the detection fires.
    Anomalous,
    /// Everything within normal variation: the detection returns no rows.
    Quiet,
}

impl Variant {
    /// Both variants.
    pub const ALL: [Variant; 2] = [Variant::Anomalous, Variant::Quiet];

    /// The file-name part.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Anomalous => "anomalous",
            Variant::Quiet => "quiet",
        }
    }
}

/// Where and how to generate.
#[derive(Debug, Clone)]
pub struct FixtureOptions {
    /// Data files (`fixtures/data`).
    pub data_dir: PathBuf,
    /// The baseline lookup's directory (`fixtures/lookups`).
    pub lookups_dir: PathBuf,
    /// The GeoIP database whose answers go into `geo_expected.json`.
    pub geoip_db: PathBuf,
    /// Search time, epoch seconds (a multiple of 10).
    pub now: i64,
    /// PRNG seed.
    pub seed: u64,
}

impl FixtureOptions {
    /// Defaults for a `fixtures/` root: `data/`, `lookups/`,
    /// `geoip/GeoLite2-City-Test.mmdb`, [`DEFAULT_NOW`], [`DEFAULT_SEED`].
    pub fn for_root(root: &Path) -> Result<Self, GenError> {
        Ok(FixtureOptions {
            data_dir: root.join("data"),
            lookups_dir: root.join("lookups"),
            geoip_db: root.join("geoip").join("GeoLite2-City-Test.mmdb"),
            now: parse_now(DEFAULT_NOW)?,
            seed: DEFAULT_SEED,
        })
    }
}

/// `--now` as RFC 3339 or epoch seconds.
pub fn parse_now(s: &str) -> Result<i64, GenError> {
    if let Ok(n) = s.parse::<i64>() {
        return Ok(n);
    }
    s.parse::<jiff::Timestamp>()
        .map(|t| t.as_second())
        .map_err(|e| {
            GenError::Invalid(format!(
                "expected --now as RFC 3339 or epoch seconds, found {s:?}: {e}"
            ))
        })
}

/// The baseline window `[-30d@d, -1d@d)` (UTC days), as the corpus
/// baseline's schedule (`dispatch.earliest_time`/`latest_time`) gives it.
pub fn baseline_window(now: i64) -> (i64, i64) {
    let snap = |t: i64| t.div_euclid(DAY) * DAY;
    (snap(now - 30 * DAY), snap(now - DAY))
}

/// Generates every fixture file; returns the paths written.
pub fn generate(opts: &FixtureOptions) -> Result<Vec<PathBuf>, GenError> {
    if opts.now.rem_euclid(10) != 0 {
        return Err(GenError::Invalid(format!(
            "expected --now on a 10 s boundary, found {}",
            opts.now
        )));
    }
    let mut written = Vec::new();
    let put = |written: &mut Vec<PathBuf>, path: PathBuf, bytes: &[u8]| -> Result<(), GenError> {
        write_file(&path, bytes)?;
        written.push(path);
        Ok(())
    };
    let (b0, b1) = baseline_window(opts.now);
    let mut baseline: Option<String> = None;
    for v in Variant::ALL {
        let net = network::generate(opts.seed, opts.now, v);
        put(
            &mut written,
            opts.data_dir
                .join(format!("k8s-network-{}.metrics.csv", v.name())),
            net.to_metrics_csv().as_bytes(),
        )?;
        let pq = opts
            .data_dir
            .join(format!("k8s-network-{}.parquet", v.name()));
        net.write_parquet(&pq)?;
        written.push(pq);

        let pods = podio::generate(opts.seed, opts.now, v);
        put(
            &mut written,
            opts.data_dir
                .join(format!("k8s-pod-io-{}.metrics.csv", v.name())),
            pods.to_metrics_csv().as_bytes(),
        )?;
        let pq = opts
            .data_dir
            .join(format!("k8s-pod-io-{}.parquet", v.name()));
        pods.write_parquet(&pq)?;
        written.push(pq);
        let csv = podio::baseline_csv(&pods, b0, b1).map_err(GenError::Invalid)?;
        match &baseline {
            Some(prev) if *prev != csv => return Err(GenError::Invalid(
                "expected both variants to share the baseline history, found different baselines"
                    .into(),
            )),
            _ => baseline = Some(csv),
        }

        let events = audit::generate(opts.seed, opts.now, v)?;
        put(
            &mut written,
            opts.data_dir.join(format!("k8s-audit-{}.jsonl", v.name())),
            events.as_bytes(),
        )?;
    }
    if let Some(csv) = baseline {
        put(
            &mut written,
            opts.lookups_dir.join(format!("{}.csv", podio::LOOKUP_NAME)),
            csv.as_bytes(),
        )?;
    }
    put(
        &mut written,
        opts.data_dir.join("geo_expected.json"),
        audit::geo_expected(&opts.geoip_db)?.as_bytes(),
    )?;
    put(
        &mut written,
        opts.data_dir.join("scenario.json"),
        scenario(opts.now, opts.seed)?.as_bytes(),
    )?;
    Ok(written)
}

/// A window as written (`null` = not given) and as Splunk resolves it:
/// `[from, to)` in epoch seconds, `null` = unbounded on that side.
fn window(
    earliest: Option<&str>,
    latest: Option<&str>,
    from: Option<i64>,
    to: Option<i64>,
) -> serde_json::Value {
    json!({"earliest": earliest, "latest": latest, "from": from, "to": to})
}

fn scenario(now: i64, seed: u64) -> Result<String, GenError> {
    let (b0, b1) = baseline_window(now);
    let per_variant = |f: &dyn Fn(Variant) -> serde_json::Value| json!({"anomalous": f(Variant::Anomalous), "quiet": f(Variant::Quiet)});
    let network = json!({
        "search": window(Some("-1h"), None, Some(now - 3600), Some(now)),
        "subsearch": window(Some("-30d"), Some("-1h"), Some(now - 30 * DAY), Some(now - 3600)),
    });
    let s = json!({
        "now": jiff::Timestamp::from_second(now).map(|t| t.to_string()).unwrap_or_default(),
        "now_epoch": now,
        "seed": seed,
        "windows": {
            "rule": "earliest <= _time < latest; earliest alone ends at now; latest alone starts at the beginning of time; neither is all time (events after now included); bounds written in a search replace the time picker's",
            "outbound": network.clone(),
            "inbound": network,
            "io-ratio": {"picker": window(Some("-1h"), None, Some(now - 3600), Some(now))},
            "io-ratio-baseline": {"picker": window(Some("-30d@d"), Some("-1d@d"), Some(b0), Some(b1))},
            "scanning": {"picker": window(None, None, None, None)},
        },
        "expected_groups": {
            "outbound": per_variant(&|v| json!(network::expected_groups("outbound", v))),
            "inbound": per_variant(&|v| json!(network::expected_groups("inbound", v))),
            "io-ratio": per_variant(&|v| json!(podio::expected_groups(v))),
            "scanning": per_variant(&|v| json!(audit::expected_groups(v))),
        },
    });
    let mut out = serde_json::to_string_pretty(&s)?;
    out.push('\n');
    Ok(out)
}
