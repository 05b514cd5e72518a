//! `k8s.pod.network.io` metrics for the inbound-to-outbound IO ratio
//! detection, and the baseline lookup its baseline search writes.
//!
//! Pods follow real naming: deployments `<name>-<rs hash>-<5 chars>` (the
//! hash is 9 or 10 hex digits), a daemonset `<name>-<5 chars>`, a statefulset
//! `redis-0` (which the detection's regex leaves unchanged). The US checkout
//! deployment rolls out mid-month (new pod names, same service key). History
//! is a point every 6 hours (at 03/09/15/21 h UTC plus a per-pod offset, away
//! from the `@d` snaps of the baseline window); the last hour has a point
//! every 10 s, and the series go on for ten minutes after `now`. A few points
//! are missing (a bucket with one direction only). The points that test the
//! windows sit exactly on a boundary or 1 ms before it (see [`generate`]).

use super::fixtures::Variant;
use super::metrics_file::{MetricPoint, MetricTable};
use super::rng::Rng;
use super::{diurnal, DAY, HOUR};
use regex::Regex;
use std::collections::BTreeMap;

/// The only metric of this file.
pub const METRIC: &str = "k8s.pod.network.io";

/// Dimension columns of the pod IO file.
pub const DIMS: [&str; 4] = [
    "k8s.cluster.name",
    "k8s.pod.name",
    "k8s.node.name",
    "direction",
];

/// The detection's (and baseline's) service-name regex, verbatim.
pub const SERVICE_REGEX: &str = r"-\w{5}$|-[abcdef0-9]{8,10}-\w{5}$";

/// (bucket start, cluster, pod, node, direction).
type BucketKey = (i64, String, String, String, String);

/// Name of the baseline lookup (a KV-store collection in security_content,
/// written here as `<name>.csv`).
pub const LOOKUP_NAME: &str = "k8s_container_network_io_ratio_baseline";

const US: &str = "prod-us-east-1";
const EU: &str = "prod-eu-west-1";
const NODE_A: &str = "ip-10-0-1-23.ec2.internal";
const NODE_B: &str = "ip-10-0-2-45.ec2.internal";
const NODE_EU: &str = "ip-10-1-3-77.eu-west-1.compute.internal";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Life {
    Always,
    /// Until the rollout (old replica set).
    BeforeRollout,
    /// From the rollout on (new replica set).
    AfterRollout,
    /// Only in the last hour: a service with no baseline (lookup miss).
    LastHourOnly,
}

struct Pod {
    /// Replicas of one workload share their noise (load-balanced traffic), so
    /// one replica's ratio varies like the service's average does.
    group: &'static str,
    cluster: &'static str,
    name: &'static str,
    node: &'static str,
    receive: f64,
    transmit: f64,
    amp: f64,
    phase: usize,
    offset_ms: i64,
    life: Life,
}

/// A multiplicative burst on one direction of one pod for some 10 s buckets
/// (`first` = bucket index: 0..360 is the last hour `[-1h, now)`, 360 is the
/// bucket starting exactly at `now`, 361..=420 the ten minutes after it).
struct Burst {
    pod: &'static str,
    direction: &'static str,
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

/// The pair 1 ms before `-1h`, in both variants: `(pod, direction, factor)`.
/// Outside the detection's window; a window reaching below `-1h` would add
/// a sixth anomalous bucket to the exporter's near miss.
pub const SPIKE_BEFORE_LAST_HOUR: (&str, &str, f64) =
    ("exporter-84bd9f6c7-zz9q1", "transmit", 15.0);

const PODS: &[Pod] = &[
    Pod {
        group: "us/checkout",
        cluster: US,
        name: "checkout-5b8c9d7f6a-h7j6k",
        node: NODE_A,
        receive: 2_400_000.0,
        transmit: 3_100_000.0,
        amp: 0.2,
        phase: 0,
        offset_ms: 1_500,
        life: Life::BeforeRollout,
    },
    Pod {
        group: "us/checkout",
        cluster: US,
        name: "checkout-5b8c9d7f6a-p2l9m",
        node: NODE_B,
        receive: 2_400_000.0,
        transmit: 3_100_000.0,
        amp: 0.2,
        phase: 0,
        offset_ms: 2_750,
        life: Life::BeforeRollout,
    },
    Pod {
        group: "us/checkout",
        cluster: US,
        name: "checkout-7d9f8b6c5d-x2k4p",
        node: NODE_A,
        receive: 2_400_000.0,
        transmit: 3_100_000.0,
        amp: 0.2,
        phase: 0,
        offset_ms: 1_500,
        life: Life::AfterRollout,
    },
    Pod {
        group: "us/checkout",
        cluster: US,
        name: "checkout-7d9f8b6c5d-q8w7e",
        node: NODE_B,
        receive: 2_400_000.0,
        transmit: 3_100_000.0,
        amp: 0.2,
        phase: 0,
        offset_ms: 2_750,
        life: Life::AfterRollout,
    },
    Pod {
        group: "us/api-gateway",
        cluster: US,
        name: "api-gateway-5f6d7c8b9-tzv2m",
        node: NODE_A,
        receive: 5_200_000.0,
        transmit: 4_800_000.0,
        amp: 0.25,
        phase: 3,
        offset_ms: 4_250,
        life: Life::Always,
    },
    Pod {
        group: "us/redis",
        cluster: US,
        name: "redis-0",
        node: NODE_B,
        receive: 800_000.0,
        transmit: 1_900_000.0,
        amp: 0.1,
        phase: 6,
        offset_ms: 5_500,
        life: Life::Always,
    },
    Pod {
        group: "us/fluentd",
        cluster: US,
        name: "fluentd-x7k2p",
        node: NODE_A,
        receive: 30_000.0,
        transmit: 1_200_000.0,
        amp: 0.05,
        phase: 9,
        offset_ms: 6_750,
        life: Life::Always,
    },
    Pod {
        group: "us/payments-worker",
        cluster: US,
        name: "payments-worker-6d5f7c9b8d-r5t6y",
        node: NODE_B,
        receive: 600_000.0,
        transmit: 450_000.0,
        amp: 0.1,
        phase: 1,
        offset_ms: 8_000,
        life: Life::LastHourOnly,
    },
    Pod {
        group: "eu/checkout",
        cluster: EU,
        name: "checkout-6c7d8e9f0a-m3n4b",
        node: NODE_EU,
        receive: 1_100_000.0,
        transmit: 1_500_000.0,
        amp: 0.2,
        phase: 8,
        offset_ms: 3_250,
        life: Life::Always,
    },
    Pod {
        group: "eu/exporter",
        cluster: EU,
        name: "exporter-84bd9f6c7-zz9q1",
        node: NODE_EU,
        receive: 90_000.0,
        transmit: 2_200_000.0,
        amp: 0.1,
        phase: 12,
        offset_ms: 9_250,
        life: Life::Always,
    },
];

const BURSTS: &[Burst] = &[
    // Outbound surge of one checkout replica: 30 anomalous buckets.
    Burst {
        pod: "checkout-7d9f8b6c5d-x2k4p",
        direction: "transmit",
        first: 200,
        buckets: 30,
        factor: 12.0,
        quiet_too: false,
    },
    // Inbound surge on the gateway: 8 buckets.
    Burst {
        pod: "api-gateway-5f6d7c8b9-tzv2m",
        direction: "receive",
        first: 60,
        buckets: 8,
        factor: 10.0,
        quiet_too: false,
    },
    // Near miss: 5 buckets (count 5 is not > 5). One more anomalous bucket
    // fires it: see the pair exactly at `now` below and
    // [`SPIKE_BEFORE_LAST_HOUR`].
    Burst {
        pod: "exporter-84bd9f6c7-zz9q1",
        direction: "transmit",
        first: 100,
        buckets: 5,
        factor: 15.0,
        quiet_too: false,
    },
    // The daemonset transmits x6 for 6 buckets from the first one, whose
    // points sit exactly on `-1h`: count 6 > 5, and 5 (no row) if `earliest`
    // were exclusive.
    Burst {
        pod: "fluentd-x7k2p",
        direction: "transmit",
        first: 0,
        buckets: 6,
        factor: 6.0,
        quiet_too: false,
    },
    // Exactly at `now`, in both variants: a sixth anomalous bucket for the
    // exporter's near miss if the window wrongly includes `now`.
    Burst {
        pod: "exporter-84bd9f6c7-zz9q1",
        direction: "transmit",
        first: NOW_BUCKET,
        buckets: 1,
        factor: 15.0,
        quiet_too: true,
    },
    // After `now`, in both variants: `redis-0` transmits x10 from now+10s
    // to now+10min. It fires (60 buckets), in the quiet variant too, if
    // points after `now` count (`--earliest -1h` alone must end at `now`).
    Burst {
        pod: "redis-0",
        direction: "transmit",
        first: NOW_BUCKET + 1,
        buckets: 60,
        factor: 10.0,
        quiet_too: true,
    },
];

/// The epoch second of the US checkout rollout (new replica set).
fn rollout(now: i64) -> i64 {
    now - 16 * DAY - 12 * HOUR
}

/// Generates the pod IO metrics of one variant.
///
/// Besides the regular points, every pod alive at the time has a receive
/// and a transmit point (never missing):
/// - 1 ms before `-30d@d` (out of the baseline `[-30d@d, -1d@d)`) and
///   exactly at it (in);
/// - 1 ms before `-1d@d` (in: the baseline's `last_seen` is that bucket)
///   and exactly at it (out);
/// - exactly at `-1h` (the detection's first bucket: in) and exactly at
///   `now` (out), then every 10 s for ten minutes (out).
///
/// Everything outside `[-1h, now)` is the same in both variants.
pub fn generate(seed: u64, now: i64, variant: Variant) -> MetricTable {
    let mut table = MetricTable::new(DIMS.to_vec());
    let rollout = rollout(now);
    let (b0, b1) = super::fixtures::baseline_window(now);
    let alive = |pod: &Pod, t: i64| match pod.life {
        Life::BeforeRollout => t < rollout,
        Life::AfterRollout => t >= rollout,
        Life::Always => true,
        Life::LastHourOnly => false,
    };
    let edges = [b0 * 1000 - 1, b0 * 1000, b1 * 1000 - 1, b1 * 1000];
    for pod in PODS {
        // (epoch ms, regular): the regular points every 6 h and the
        // window-edge pairs, which draw nothing from `rng` (so the regular
        // points keep their numbers) and are never missing.
        let mut history: Vec<(i64, bool)> = edges.iter().map(|&e| (e, false)).collect();
        let mut t = now - 32 * DAY + 3 * HOUR;
        while t < now - 2 * HOUR {
            history.push((t * 1000 + pod.offset_ms, true));
            t += 6 * HOUR;
        }
        history.sort_unstable();
        let mut rng = Rng::stream(seed, &format!("podio/{}/history", pod.name));
        for (t_ms, regular) in history {
            // The nominal second: the regular points' offset is not part of it.
            let t = if regular {
                (t_ms - pod.offset_ms).div_euclid(1000)
            } else {
                t_ms.div_euclid(1000)
            };
            if !alive(pod, t) {
                continue;
            }
            let mut dropped = || regular && rng.below(50) == 0;
            push_pair(seed, &mut table, pod, t, t_ms, &mut dropped, |_| 1.0);
        }
        let before_last_hour = (now - HOUR) * 1000 - 1;
        let (spiked, spike_dir, spike) = SPIKE_BEFORE_LAST_HOUR;
        if pod.name == spiked {
            push_pair(
                seed,
                &mut table,
                pod,
                now - HOUR - 1,
                before_last_hour,
                &mut || false,
                |dir| if dir == spike_dir { spike } else { 1.0 },
            );
        }
        if pod.life == Life::BeforeRollout {
            continue;
        }
        // The last hour, the bucket at `now` and ten minutes after it: one
        // stream, so the points after `now` never shift the last hour's.
        let mut rng = Rng::stream(seed, &format!("podio/{}/last-hour", pod.name));
        for bucket in 0..=LAST_BUCKET {
            let t = now - HOUR + 10 * bucket;
            let exact = bucket == 0 || bucket == NOW_BUCKET;
            let t_ms = t * 1000 + if exact { 0 } else { pod.offset_ms };
            // Points on a window edge are never missing (the draw is made
            // anyway, so the other buckets keep their numbers).
            let mut dropped = || rng.below(100) == 0 && !exact;
            push_pair(seed, &mut table, pod, t, t_ms, &mut dropped, |dir| {
                burst_factor(variant, pod.name, dir, bucket)
            });
        }
    }
    table.sort_by_time();
    table
}

fn burst_factor(variant: Variant, pod: &str, direction: &str, bucket: i64) -> f64 {
    BURSTS
        .iter()
        .filter(|b| b.quiet_too || variant == Variant::Anomalous)
        .filter(|b| b.pod == pod && b.direction == direction)
        .filter(|b| bucket >= b.first && bucket < b.first + b.buckets)
        .map(|b| b.factor)
        .product()
}

/// A receive and a transmit point at epoch millisecond `t_ms` (`t`: the
/// nominal second, which picks the shared noise); `dropped()` is asked once
/// per direction whether that point is missing.
#[allow(clippy::too_many_arguments)]
fn push_pair(
    seed: u64,
    table: &mut MetricTable,
    pod: &Pod,
    t: i64,
    t_ms: i64,
    dropped: &mut dyn FnMut() -> bool,
    burst: impl Fn(&str) -> f64,
) {
    let shape = diurnal(t, pod.phase, pod.amp);
    // Load noise common to both directions, plus a smaller per-direction
    // part: the in/out ratio varies by a few percent, bounded.
    let mut shared = Rng::stream(seed, &format!("podio/{}/{t}", pod.group));
    let load = 1.0 + 0.08 * shared.bell();
    for (direction, base) in [("receive", pod.receive), ("transmit", pod.transmit)] {
        let noise = load * (1.0 + 0.03 * shared.bell());
        if dropped() {
            continue;
        }
        let v = (base * shape * noise * burst(direction)).round().max(1.0);
        table.points.push(MetricPoint {
            time_ms: t_ms,
            metric: METRIC,
            value: v,
            dims: vec![
                Some(pod.cluster.to_string()),
                Some(pod.name.to_string()),
                Some(pod.node.to_string()),
                Some(direction.to_string()),
            ],
        });
    }
}

/// The pods the IO-ratio detection must return for a variant, as
/// `(cluster, node, pod, service)`.
pub fn expected_groups(variant: Variant) -> Vec<[&'static str; 4]> {
    match variant {
        Variant::Anomalous => vec![
            [US, NODE_A, "api-gateway-5f6d7c8b9-tzv2m", "api-gateway"],
            [US, NODE_A, "checkout-7d9f8b6c5d-x2k4p", "checkout"],
            [US, NODE_A, "fluentd-x7k2p", "fluentd"],
        ],
        Variant::Quiet => Vec::new(),
    }
}

/// What `Baseline Of Kubernetes Container Network IO Ratio` computes over
/// `[earliest, latest)` (epoch seconds), as the CSV `outputlookup` writes:
///
/// ```text
/// | mstats avg(k8s.pod.network.io) as io ... by k8s.cluster.name k8s.pod.name k8s.node.name direction span=10s
/// | eval service = replace('k8s.pod.name', "-\w{5}$|-[abcdef0-9]{8,10}-\w{5}$", "")
/// | eval key = 'k8s.cluster.name' + ":" + 'service'
/// | stats avg(eval(if(direction="transmit", io,null()))) as outbound_network_io
///         avg(eval(if(direction="receive", io,null()))) as inbound_network_io by key _time
/// | eval inbound:outbound = inbound_network_io/outbound_network_io
/// | eval outbound:inbound = outbound_network_io/inbound_network_io
/// | stats avg(*:*) as avg_*:* stdev(*:*) as stdev_*:* count latest(_time) as last_seen by key
/// ```
///
/// Sums accumulate in row order (`_time` ascending within a key); the
/// sample stdev is `sqrt((sumsq - n*mean*mean)/(n-1))`, 0 for one value
/// (semantics 5.3); numbers print as the shortest round-trip decimal.
pub fn baseline_csv(table: &MetricTable, earliest: i64, latest: i64) -> Result<String, String> {
    let re = Regex::new(SERVICE_REGEX).map_err(|e| e.to_string())?;
    // mstats: (bucket, cluster, pod, node, direction) -> (sum, n). Values are
    // integers, so the sum is exact whatever the order.
    let mut io: BTreeMap<BucketKey, (f64, f64)> = BTreeMap::new();
    for p in &table.points {
        if p.metric != METRIC || p.time_ms < earliest * 1000 || p.time_ms >= latest * 1000 {
            continue;
        }
        let [Some(c), Some(pod), Some(node), Some(dir)] =
            [0, 1, 2, 3].map(|i| p.dims.get(i).cloned().flatten())
        else {
            continue;
        };
        let bucket = p.time_ms.div_euclid(10_000) * 10;
        let e = io.entry((bucket, c, pod, node, dir)).or_insert((0.0, 0.0));
        e.0 += p.value;
        e.1 += 1.0;
    }
    // stats by key _time: avg of the per-pod averages for each direction.
    let mut by_time: BTreeMap<(String, i64), [(f64, f64); 2]> = BTreeMap::new();
    for ((bucket, cluster, pod, _node, dir), (sum, n)) in &io {
        let service = re.replace_all(pod, "").into_owned();
        let key = format!("{cluster}:{service}");
        let slot = by_time.entry((key, *bucket)).or_insert([(0.0, 0.0); 2]);
        let i = usize::from(dir == "receive");
        if dir == "receive" || dir == "transmit" {
            if let Some(s) = slot.get_mut(i) {
                s.0 += sum / n;
                s.1 += 1.0;
            }
        }
    }
    // The BTreeMap walks (key, _time) ascending: stats' output order, which
    // is the order the second stats accumulates in.
    struct Acc {
        vals: [Vec<f64>; 2],
        count: u64,
        last: i64,
    }
    let mut per_key: BTreeMap<String, Acc> = BTreeMap::new();
    for ((key, bucket), [tx, rx]) in &by_time {
        let out = (tx.1 > 0.0).then(|| tx.0 / tx.1);
        let inb = (rx.1 > 0.0).then(|| rx.0 / rx.1);
        let acc = per_key.entry(key.clone()).or_insert(Acc {
            vals: [Vec::new(), Vec::new()],
            count: 0,
            last: i64::MIN,
        });
        acc.count += 1;
        acc.last = acc.last.max(*bucket);
        if let (Some(i), Some(o)) = (inb, out) {
            // Division by zero gives null (semantics 3.4).
            if o != 0.0 {
                acc.vals[0].push(i / o);
            }
            if i != 0.0 {
                acc.vals[1].push(o / i);
            }
        }
    }
    let mut csv = String::from(
        "key,avg_inbound:outbound,avg_outbound:inbound,stdev_inbound:outbound,stdev_outbound:inbound,count,last_seen\n",
    );
    for (key, acc) in &per_key {
        let stats: Vec<(String, String)> = acc.vals.iter().map(|v| avg_stdev(v)).collect();
        let cell = |i: usize, f: fn(&(String, String)) -> &String| {
            stats.get(i).map(f).cloned().unwrap_or_default()
        };
        csv.push_str(&format!(
            "{},{},{},{},{},{},{}\n",
            super::metrics_file::csv_cell(key),
            cell(0, |s| &s.0),
            cell(1, |s| &s.0),
            cell(0, |s| &s.1),
            cell(1, |s| &s.1),
            acc.count,
            acc.last
        ));
    }
    Ok(csv)
}

/// `avg` and sample `stdev` as printed; empty strings when there are no values.
fn avg_stdev(vals: &[f64]) -> (String, String) {
    if vals.is_empty() {
        return (String::new(), String::new());
    }
    let n = vals.len() as f64;
    let mut sum = 0.0;
    let mut sumsq = 0.0;
    for v in vals {
        sum += v;
        sumsq += v * v;
    }
    let mean = sum / n;
    let stdev = if vals.len() < 2 {
        0.0
    } else {
        ((sumsq - n * mean * mean) / (n - 1.0)).sqrt()
    };
    (format!("{mean}"), format!("{stdev}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_regex_strips_like_the_detection() {
        let re = Regex::new(SERVICE_REGEX).unwrap();
        let svc = |p: &str| re.replace_all(p, "").into_owned();
        assert_eq!(svc("checkout-7d9f8b6c5d-x2k4p"), "checkout");
        assert_eq!(svc("api-gateway-5f6d7c8b9-tzv2m"), "api-gateway");
        assert_eq!(svc("exporter-84bd9f6c7-zz9q1"), "exporter");
        assert_eq!(svc("fluentd-x7k2p"), "fluentd");
        assert_eq!(svc("redis-0"), "redis-0");
        assert_eq!(svc("payments-worker-6d5f7c9b8d-r5t6y"), "payments-worker");
    }

    /// Outside the last hour both variants hold the same points, and the
    /// window edges are there.
    #[test]
    fn variants_differ_only_in_the_last_hour() {
        let now = 1_714_564_800;
        let (b0, b1) = crate::gen::fixtures::baseline_window(now);
        let outside = |v: Variant| -> Vec<(i64, u64, Vec<Option<String>>)> {
            generate(7, now, v)
                .points
                .into_iter()
                .filter(|p| p.time_ms < (now - HOUR) * 1000 || p.time_ms >= now * 1000)
                .map(|p| (p.time_ms, p.value.to_bits(), p.dims))
                .collect()
        };
        let a = outside(Variant::Anomalous);
        for t in [
            b0 * 1000 - 1,
            b0 * 1000,
            b1 * 1000 - 1,
            b1 * 1000,
            now * 1000,
        ] {
            assert!(a.iter().any(|p| p.0 == t), "a point at {t} ms");
        }
        assert!(a.iter().any(|p| p.0 > now * 1000), "points after now");
        assert_eq!(a, outside(Variant::Quiet));
    }

    #[test]
    fn stdev_of_one_value_is_zero() {
        assert_eq!(avg_stdev(&[2.5]), ("2.5".into(), "0".into()));
        // The semantics doc's stats example (5.3).
        let temps = [65.0, 42.0, 40.0, 31.0, 47.0, 53.0, 64.0];
        assert_eq!(avg_stdev(&temps).1, "12.615183595289349");
    }
}
