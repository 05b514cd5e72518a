//! Network Explorer metrics (`tcp.*`, `udp.*`) for the two "anomalous network
//! activity from process" detections (outbound groups by `source.*`,
//! inbound by `dest.*`; both read the same file).
//!
//! One series per flow and metric. The 30-day baseline is sparse (64 points
//! 11 hours apart, as the detection's subsearch only needs avg/stdev), the
//! last hour has a point every 10 s, and the series go on every 10 s for ten
//! minutes after `now` (an export taken a little after the search time).
//! Regular points have a fixed per-series sub-bucket offset (0.25 s ..
//! 9.75 s), so the span flooring is exercised; the points that test the
//! windows sit exactly on a boundary or 1 ms before it (see [`generate`]).
//! Values are integral counts (as the SIM add-on's per-window sums are), so
//! sums are exact in any order.
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
    /// `n` points in the baseline `[-30d, -1h)`: one exactly at `-30d`,
    /// `n - 2` every `step` seconds after it, one 1 ms before `-1h`; plus two
    /// points before `-30d` (see [`generate`]).
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

/// A multiplicative burst on one metric of one flow for some 10 s buckets
/// (`first` = bucket index: 0..360 is the last hour `[-1h, now)`, 360 is the
/// bucket starting exactly at `now`, 361..=420 the ten minutes after it).
struct Burst {
    flow: &'static str,
    metric: usize,
    first: i64,
    buckets: i64,
    factor: f64,
    /// In both variants (points outside the detection's window, which must
    /// not count), not only in the anomalous one.
    quiet_too: bool,
}

/// Bucket index of the bucket that starts exactly at `now`.
const NOW_BUCKET: i64 = 360;
/// The last bucket written: ten minutes after `now`.
const LAST_BUCKET: i64 = 420;

/// 64 baseline points, 11 hours apart (every hour of the day is sampled).
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
        quiet_too: false,
    },
    Burst {
        flow: "f2",
        metric: 2,
        first: 120,
        buckets: 40,
        factor: 9.0,
        quiet_too: false,
    },
    // UDP burst (the udp threshold is 4 x avg because of the stdev_udp.* = avg
    // collision, semantics 6.6): 20 buckets.
    Burst {
        flow: "f7",
        metric: 3,
        first: 250,
        buckets: 20,
        factor: 12.0,
        quiet_too: false,
    },
    Burst {
        flow: "f7",
        metric: 4,
        first: 250,
        buckets: 20,
        factor: 12.0,
        quiet_too: false,
    },
    // 3 buckets x 2 metrics = 6 anomaly strings: fires only because
    // count(mv) counts values (count 6 > 5), not rows (3). The first bucket's
    // points sit exactly on `-1h`: without them (an exclusive `earliest`)
    // the count is 4 and the row disappears.
    Burst {
        flow: "f4",
        metric: 0,
        first: 0,
        buckets: 3,
        factor: 6.0,
        quiet_too: false,
    },
    Burst {
        flow: "f4",
        metric: 1,
        first: 0,
        buckets: 3,
        factor: 10.0,
        quiet_too: false,
    },
    // Near miss: 5 buckets x 1 metric = count 5, not > 5. One more anomalous
    // bucket fires it: see the spike exactly at `now` below and
    // [`SPIKE_BEFORE_LAST_HOUR`].
    Burst {
        flow: "f1",
        metric: 1,
        first: 300,
        buckets: 5,
        factor: 10.0,
        quiet_too: false,
    },
    // Exactly at `now`, in both variants: one more anomalous bucket for the
    // near miss above if the window wrongly includes `now` (count 6 > 5).
    Burst {
        flow: "f1",
        metric: 1,
        first: NOW_BUCKET,
        buckets: 1,
        factor: 10.0,
        quiet_too: true,
    },
    // After `now`, in both variants: an otherwise quiet workload (coredns ->
    // its unresolved destination) bursts from now+10s to now+10min. It fires
    // (60 buckets x 3 metrics) for both detections, in the quiet variant
    // too, if points after `now` count (`earliest=-1h` without `latest`
    // must end at `now`).
    Burst {
        flow: "f5",
        metric: 0,
        first: NOW_BUCKET + 1,
        buckets: 60,
        factor: 10.0,
        quiet_too: true,
    },
    Burst {
        flow: "f5",
        metric: 1,
        first: NOW_BUCKET + 1,
        buckets: 60,
        factor: 10.0,
        quiet_too: true,
    },
    Burst {
        flow: "f5",
        metric: 2,
        first: NOW_BUCKET + 1,
        buckets: 60,
        factor: 10.0,
        quiet_too: true,
    },
];

/// The spike 1 ms before `-1h`, in both variants: `(flow, metric, factor)`.
/// That point is in the baseline (`[-30d, -1h)`) and outside the last hour;
/// a window reaching below `-1h` would add one more anomalous bucket to the
/// `frontend/nginx` near miss (count 6 > 5), in both directions.
pub const SPIKE_BEFORE_LAST_HOUR: (&str, usize, f64) = ("f1", 1, 10.0);

/// Generates the network metrics of one variant.
///
/// Each series (flow x metric) has, besides its regular points:
/// - before the baseline `[-30d, -1h)`: a stale point 30 days + 5 hours ago
///   and one 1 ms before `-30d`, both with 40x values (they change the
///   baseline if they count);
/// - exactly at `-30d` (the baseline's first point: in);
/// - 1 ms before `-1h` (the baseline's last point: in the baseline, not in
///   the last hour), replacing a regular point so counts stay powers of two;
/// - exactly at `-1h` (the last hour's first point: in the detection's
///   window, not in the baseline);
/// - exactly at `now` (out of both windows);
/// - every 10 s from `now` to `now + 10 min` (out of both windows).
///
/// Everything outside `[-1h, now)` is the same in both variants.
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
        // (epoch ms, factor of every metric)
        let mut history: Vec<(i64, f64)> = Vec::new();
        match flow.history {
            History::Sparse { n, step } => {
                let start = now - 30 * DAY;
                // Before the 30-day window, far off the norm: they change the
                // baseline if `earliest=-30d` is ignored or off by a little.
                history.push(((start - 5 * HOUR) * 1000 + flow.offset_ms, 40.0));
                history.push((start * 1000 - 1, 40.0));
                history.push((start * 1000, 1.0));
                for k in 1..n - 1 {
                    history.push(((start + k * step) * 1000 + flow.offset_ms, 1.0));
                }
                history.push(((now - HOUR) * 1000 - 1, 1.0));
            }
            History::Single => history.push(((now - HOUR - 20 * 60) * 1000 + flow.offset_ms, 1.0)),
        }
        let before_last_hour = (now - HOUR) * 1000 - 1;
        let mut rng = Rng::stream(seed, &format!("network/{}/history", flow.id));
        for &(t_ms, factor) in &history {
            push_points(&mut table, flow, &dims, t_ms, factor, &mut rng, |m| {
                let (f, metric, spike) = SPIKE_BEFORE_LAST_HOUR;
                if t_ms == before_last_hour && f == flow.id && metric == m {
                    spike
                } else {
                    1.0
                }
            });
        }
        // The last hour, the bucket at `now` and ten minutes after it: one
        // stream, so the points after `now` never shift the last hour's.
        let mut rng = Rng::stream(seed, &format!("network/{}/last-hour", flow.id));
        for bucket in 0..=LAST_BUCKET {
            let t = now - HOUR + 10 * bucket;
            let exact = bucket == 0 || bucket == NOW_BUCKET;
            let t_ms = t * 1000 + if exact { 0 } else { flow.offset_ms };
            push_points(&mut table, flow, &dims, t_ms, 1.0, &mut rng, |m| {
                burst_factor(variant, flow.id, m, bucket)
            });
        }
    }
    table.sort_by_time();
    table
}

fn burst_factor(variant: Variant, flow: &str, metric: usize, bucket: i64) -> f64 {
    BURSTS
        .iter()
        .filter(|b| b.quiet_too || variant == Variant::Anomalous)
        .filter(|b| b.flow == flow && b.metric == metric)
        .filter(|b| bucket >= b.first && bucket < b.first + b.buckets)
        .map(|b| b.factor)
        .product()
}

/// One point per metric of the flow at epoch millisecond `t_ms`.
fn push_points(
    table: &mut MetricTable,
    flow: &Flow,
    dims: &[Option<String>],
    t_ms: i64,
    factor: f64,
    rng: &mut Rng,
    burst: impl Fn(usize) -> f64,
) {
    let shape = diurnal(t_ms.div_euclid(1000), flow.phase, flow.amp);
    for (m, name) in METRICS.iter().enumerate() {
        let base = flow.base.get(m).copied().unwrap_or(0.0);
        // Draw even for absent metrics so adding one never shifts the others.
        let noise = 1.0 + 0.08 * rng.bell();
        if base <= 0.0 {
            continue;
        }
        let v = (base * shape * noise * factor * burst(m)).round().max(1.0);
        table.points.push(MetricPoint {
            time_ms: t_ms,
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

#[cfg(test)]
mod tests {
    use super::super::fixtures::DEFAULT_SEED;
    use super::*;
    use std::collections::BTreeMap;

    const NOW: i64 = 1_714_564_800;

    /// The property the oracle's stdev guard relies on: every baseline group
    /// (the subsearch's `[-30d, -1h)`, by source and by destination) holds a
    /// power-of-two number of integral points of each metric, summing below
    /// 2^26, so `sum/n` and `mean*mean` are exact.
    #[test]
    fn baseline_groups_have_power_of_two_counts_and_small_sums() {
        for variant in Variant::ALL {
            let table = generate(DEFAULT_SEED, NOW, variant);
            for (wl, proc) in [(1, 2), (3, 4)] {
                let mut groups: BTreeMap<(String, String, &str), (u64, f64)> = BTreeMap::new();
                for p in &table.points {
                    if p.time_ms < (NOW - 30 * DAY) * 1000 || p.time_ms >= (NOW - HOUR) * 1000 {
                        continue;
                    }
                    let (Some(Some(w)), Some(Some(pr))) = (p.dims.get(wl), p.dims.get(proc)) else {
                        continue;
                    };
                    assert_eq!(p.value, p.value.round());
                    let g = groups
                        .entry((w.clone(), pr.clone(), p.metric))
                        .or_insert((0, 0.0));
                    g.0 += 1;
                    g.1 += p.value;
                }
                assert!(groups.len() > 10);
                for (key, (n, sum)) in groups {
                    assert!(n.is_power_of_two(), "{variant:?} {key:?}: {n} points");
                    assert!(sum < 67_108_864.0, "{variant:?} {key:?}: sum {sum}");
                }
            }
        }
    }

    /// Outside the last hour both variants hold the same points.
    #[test]
    fn variants_differ_only_in_the_last_hour() {
        let outside = |v: Variant| -> Vec<(i64, &str, u64, Vec<Option<String>>)> {
            generate(DEFAULT_SEED, NOW, v)
                .points
                .into_iter()
                .filter(|p| p.time_ms < (NOW - HOUR) * 1000 || p.time_ms >= NOW * 1000)
                .filter(|p| p.dims.get(1).cloned().flatten().as_deref() != Some("new-exporter"))
                .map(|p| (p.time_ms, p.metric, p.value.to_bits(), p.dims))
                .collect()
        };
        let a = outside(Variant::Anomalous);
        assert!(a.iter().any(|p| p.0 > NOW * 1000), "points after now");
        assert!(a.iter().any(|p| p.0 == NOW * 1000), "points at now");
        assert_eq!(a, outside(Variant::Quiet));
    }
}
