//! Network Explorer metrics (`tcp.*`, `udp.*`) for the two "anomalous network
//! activity from process" detections (outbound groups by `source.*`,
//! inbound by `dest.*`; both read the same file).
//!
//! One series per flow and metric. The 30-day baseline is sparse (64 points
//! 11 hours apart, as the detection's subsearch only needs avg/stdev), the
//! last hour has a point every 10 s. Every series has a fixed sub-bucket
//! offset (0.25 s .. 9.75 s) so no point sits on a bucket or window boundary
//! (the `earliest`/`latest` inclusivity is a documented CONFLICT) while the
//! span flooring is still exercised. Values are integral counts (as the SIM
//! add-on's per-window sums are), so sums are exact in any order.
//!
//! Every baseline group (by source and by destination) holds a power-of-two
//! number of points of each metric and sums below 2^26, so `mean = sum/n`
//! and `mean*mean` are exact: the sample stdev is then the same whichever
//! way `n*mean^2` is associated (the doc's formula leaves that open).

use super::fixtures::Variant;
use super::metrics_file::{MetricPoint, MetricTable};
use super::rng::Rng;
use super::{diurnal, DAY, HOUR};

/// Metric names, in the order series are written.
pub const METRICS: [&str; 5] = [
    "tcp.bytes",
    "tcp.new_sockets",
    "tcp.packets",
    "udp.bytes",
    "udp.packets",
];

/// Dimension columns of the network file.
pub const DIMS: [&str; 5] = [
    "k8s.cluster.name",
    "source.workload.name",
    "source.process.name",
    "dest.workload.name",
    "dest.process.name",
];

const US: &str = "prod-us-east-1";
const EU: &str = "prod-eu-west-1";
const UNKNOWN: &str = "(unknown)";

/// How much history a flow has before the last hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum History {
    /// `n` points `step` seconds apart from `now - 30d + 1h`, plus one stale
    /// point before the window.
    Sparse { n: i64, step: i64 },
    /// A single point 80 minutes before `now`: a workload deployed then, so
    /// its baseline stdev is 0 (semantics 5.3, 13.1).
    Single,
}

/// A source -> destination flow; `base` is the per-10 s mean of each metric
/// (0 = the flow has no such metric).
struct Flow {
    id: &'static str,
    cluster: &'static str,
    src: (&'static str, Option<&'static str>),
    dst: (&'static str, &'static str),
    base: [f64; 5],
    amp: f64,
    phase: usize,
    offset_ms: i64,
    history: History,
    anomalous_only: bool,
}

/// A multiplicative burst on one metric of one flow for some 10 s buckets of
/// the last hour (`first` = bucket index 0..360).
struct Burst {
    flow: &'static str,
    metric: usize,
    first: i64,
    buckets: i64,
    factor: f64,
}

/// 64 points 11 hours apart (every hour of the day is sampled).
const FULL: History = History::Sparse {
    n: 64,
    step: 11 * HOUR,
};

const FLOWS: &[Flow] = &[
    Flow {
        id: "f1",
        cluster: US,
        src: ("frontend", Some("nginx")),
        dst: ("checkout", "java"),
        base: [600_000.0, 120.0, 900.0, 0.0, 0.0],
        amp: 0.2,
        phase: 0,
        offset_ms: 1_250,
        history: FULL,
        anomalous_only: false,
    },
    Flow {
        id: "f2",
        cluster: US,
        src: ("checkout", Some("java")),
        dst: ("payments", "java"),
        base: [420_000.0, 35.0, 520.0, 0.0, 0.0],
        amp: 0.15,
        phase: 2,
        offset_ms: 2_500,
        history: FULL,
        anomalous_only: false,
    },
    Flow {
        id: "f3",
        cluster: US,
        src: ("checkout", Some("java")),
        dst: ("redis", "redis-server"),
        base: [95_000.0, 0.0, 310.0, 0.0, 0.0],
        amp: 0.1,
        phase: 2,
        offset_ms: 3_750,
        history: FULL,
        anomalous_only: false,
    },
    Flow {
        id: "f4",
        cluster: US,
        src: ("catalog", Some("node")),
        dst: ("postgres", "postgres"),
        base: [260_000.0, 15.0, 400.0, 0.0, 0.0],
        amp: 0.25,
        phase: 5,
        offset_ms: 5_000,
        history: FULL,
        anomalous_only: false,
    },
    Flow {
        id: "f5",
        cluster: US,
        src: ("coredns", Some("coredns")),
        dst: (UNKNOWN, UNKNOWN),
        base: [12_000.0, 40.0, 60.0, 48_000.0, 420.0],
        amp: 0.1,
        phase: 11,
        offset_ms: 6_250,
        history: FULL,
        anomalous_only: false,
    },
    Flow {
        id: "f6",
        cluster: EU,
        src: ("frontend", Some("nginx")),
        dst: ("checkout", "java"),
        base: [280_000.0, 45.0, 350.0, 0.0, 0.0],
        amp: 0.2,
        phase: 8,
        offset_ms: 7_500,
        history: FULL,
        anomalous_only: false,
    },
    Flow {
        id: "f7",
        cluster: EU,
        src: ("batch-report", Some("python3")),
        dst: ("s3-gateway", "envoy"),
        base: [800_000.0, 60.0, 1_100.0, 5_200.0, 40.0],
        amp: 0.05,
        phase: 14,
        offset_ms: 8_750,
        history: FULL,
        anomalous_only: false,
    },
    // A point without `source.process.name`: mstats drops it from the
    // outbound groups (null BY dimension) but not from the inbound ones.
    Flow {
        id: "f8",
        cluster: US,
        src: ("sidecar-injector", None),
        dst: ("checkout", "java"),
        base: [5_000.0, 0.0, 30.0, 0.0, 0.0],
        amp: 0.1,
        phase: 3,
        offset_ms: 4_375,
        history: History::Sparse {
            n: 128,
            step: 11 * HOUR / 2,
        },
        anomalous_only: false,
    },
    Flow {
        id: "f9",
        cluster: EU,
        src: ("new-exporter", Some("curl")),
        dst: ("otel-collector", "otelcol"),
        base: [12_500.0, 41.0, 62.0, 0.0, 0.0],
        amp: 0.1,
        phase: 11,
        offset_ms: 625,
        history: History::Single,
        anomalous_only: true,
    },
];

const BURSTS: &[Burst] = &[
    // Exfiltration-like: checkout -> payments, bytes and packets, 40 buckets.
    Burst {
        flow: "f2",
        metric: 0,
        first: 120,
        buckets: 40,
        factor: 14.0,
    },
    Burst {
        flow: "f2",
        metric: 2,
        first: 120,
        buckets: 40,
        factor: 9.0,
    },
    // UDP burst (the udp threshold is 4 x avg because of the stdev_udp.* = avg
    // collision, semantics 6.6): 20 buckets.
    Burst {
        flow: "f7",
        metric: 3,
        first: 250,
        buckets: 20,
        factor: 12.0,
    },
    Burst {
        flow: "f7",
        metric: 4,
        first: 250,
        buckets: 20,
        factor: 12.0,
    },
    // 3 buckets x 2 metrics = 6 anomaly strings: fires only because
    // count(mv) counts values (count 6 > 5), not rows (3).
    Burst {
        flow: "f4",
        metric: 0,
        first: 30,
        buckets: 3,
        factor: 6.0,
    },
    Burst {
        flow: "f4",
        metric: 1,
        first: 30,
        buckets: 3,
        factor: 10.0,
    },
    // Near miss: 5 buckets x 1 metric = count 5, not > 5.
    Burst {
        flow: "f1",
        metric: 1,
        first: 300,
        buckets: 5,
        factor: 10.0,
    },
];

/// Generates the network metrics of one variant.
pub fn generate(seed: u64, now: i64, variant: Variant) -> MetricTable {
    let mut table = MetricTable::new(DIMS.to_vec());
    for flow in FLOWS {
        if flow.anomalous_only && variant == Variant::Quiet {
            continue;
        }
        let dims = vec![
            Some(flow.cluster.to_string()),
            Some(flow.src.0.to_string()),
            flow.src.1.map(str::to_string),
            Some(flow.dst.0.to_string()),
            Some(flow.dst.1.to_string()),
        ];
        let mut history = Vec::new();
        match flow.history {
            History::Sparse { n, step } => {
                // Stale point before the 30-day window, far off the norm: it
                // changes the baseline if `earliest=-30d` is ignored.
                history.push((now - 30 * DAY - 5 * HOUR, 40.0));
                for k in 0..n {
                    history.push((now - 30 * DAY + HOUR + k * step, 1.0));
                }
            }
            History::Single => history.push((now - HOUR - 20 * 60, 1.0)),
        }
        let mut rng = Rng::stream(seed, &format!("network/{}/history", flow.id));
        for &(t, factor) in &history {
            push_points(&mut table, flow, &dims, t, factor, &mut rng, |_| 1.0);
        }
        let mut rng = Rng::stream(seed, &format!("network/{}/last-hour", flow.id));
        for bucket in 0..360 {
            let t = now - HOUR + 10 * bucket;
            push_points(&mut table, flow, &dims, t, 1.0, &mut rng, |m| {
                burst_factor(variant, flow.id, m, bucket)
            });
        }
    }
    table.sort_by_time();
    table
}

fn burst_factor(variant: Variant, flow: &str, metric: usize, bucket: i64) -> f64 {
    if variant == Variant::Quiet {
        return 1.0;
    }
    BURSTS
        .iter()
        .filter(|b| b.flow == flow && b.metric == metric)
        .filter(|b| bucket >= b.first && bucket < b.first + b.buckets)
        .map(|b| b.factor)
        .product()
}

/// One point per metric of the flow at second `t` (+ the flow's offset).
fn push_points(
    table: &mut MetricTable,
    flow: &Flow,
    dims: &[Option<String>],
    t: i64,
    factor: f64,
    rng: &mut Rng,
    burst: impl Fn(usize) -> f64,
) {
    let shape = diurnal(t, flow.phase, flow.amp);
    for (m, name) in METRICS.iter().enumerate() {
        let base = flow.base.get(m).copied().unwrap_or(0.0);
        // Draw even for absent metrics so adding one never shifts the others.
        let noise = 1.0 + 0.08 * rng.bell();
        if base <= 0.0 {
            continue;
        }
        let v = (base * shape * noise * factor * burst(m)).round().max(1.0);
        table.points.push(MetricPoint {
            time_ms: t * 1000 + flow.offset_ms,
            metric: name,
            value: v,
            dims: dims.to_vec(),
        });
    }
}

/// The groups each network detection must return for a variant, as
/// `(cluster, workload, process)`; the oracle checks its rows against this.
pub fn expected_groups(direction: &str, variant: Variant) -> Vec<[&'static str; 3]> {
    match (direction, variant) {
        ("outbound", Variant::Anomalous) => vec![
            [EU, "batch-report", "python3"],
            [EU, "new-exporter", "curl"],
            [US, "catalog", "node"],
            [US, "checkout", "java"],
        ],
        ("inbound", Variant::Anomalous) => vec![
            [EU, "otel-collector", "otelcol"],
            [EU, "s3-gateway", "envoy"],
            [US, "payments", "java"],
            [US, "postgres", "postgres"],
        ],
        _ => Vec::new(),
    }
}
