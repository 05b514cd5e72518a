//! Kubernetes audit events (`audit.k8s.io/v1`, JSON lines as the API
//! server's log backend writes them) for "Kubernetes Scanning by
//! Unauthenticated IP Address", and the GeoIP answers for their addresses.
//!
//! Scanners are anonymous (`system:anonymous`, group
//! `system:unauthenticated`) and get 403s. Their addresses come from
//! MaxMind's GeoLite2 City *test* database: some with a city, one located
//! without a city (Bhutan: `City` is empty, the row is kept), one IPv6; plus
//! a public address that database does not know and a private one (no
//! location: `stats ... by Country City` drops them). Around them:
//! authenticated traffic (200s and 403s), anonymous 200s on public-info
//! endpoints, and `RequestReceived` stage events without a response.
//!
//! Events span the 24 hours before `now`, and one scanner's burst runs past
//! it (an event exactly at `now`, one after): the detection has no time
//! range and runs over all time, which by Splunk's rule includes events
//! after `now`, so that scanner fires only if they count.

use super::fixtures::Variant;
use super::rng::Rng;
use super::{GenError, DAY, HOUR};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;
use std::path::Path;

/// One scanning source: address, number of 403 events, user agents.
struct Scanner {
    ip: &'static str,
    events: usize,
    agents: &'static [&'static str],
    /// How many of the events are not before `now`: the first of them is
    /// exactly at `now`, the others after it. The detection has no time range
    /// and is run over all time, which includes events after `now`.
    after_now: usize,
}

const MASSCAN: &str = "masscan/1.3 (https://github.com/robertdavidgraham/masscan)";
const ZGRAB: &str = "Mozilla/5.0 zgrab/0.x";
const PYREQ: &str = "python-requests/2.31.0";
const GO: &str = "Go-http-client/1.1";
const CURL: &str = "curl/7.88.1";
const KUBECTL: &str = "kubectl/v1.29.3 (linux/amd64) kubernetes/6813625";

const ANOMALOUS: &[Scanner] = &[
    Scanner {
        ip: "81.2.69.142",
        events: 12,
        agents: &[MASSCAN, ZGRAB],
        after_now: 0,
    },
    Scanner {
        ip: "216.160.83.57",
        events: 8,
        agents: &[ZGRAB],
        after_now: 0,
    },
    // 4 events before `now`, one exactly at it and one after it: 6 > 5 over
    // all time, 5 or 4 (no row) if the window ended at `now`.
    Scanner {
        ip: "175.16.199.10",
        events: 6,
        agents: &[PYREQ],
        after_now: 2,
    },
    Scanner {
        ip: "67.43.156.20",
        events: 9,
        agents: &[GO, CURL],
        after_now: 0,
    },
    Scanner {
        ip: "2001:480::1",
        events: 7,
        agents: &[CURL],
        after_now: 0,
    },
    Scanner {
        ip: "89.160.20.130",
        events: 5,
        agents: &[PYREQ],
        after_now: 0,
    },
    Scanner {
        ip: "2.125.160.217",
        events: 3,
        agents: &[MASSCAN],
        after_now: 0,
    },
    Scanner {
        ip: "203.0.113.7",
        events: 10,
        agents: &[GO],
        after_now: 0,
    },
    Scanner {
        ip: "10.0.3.17",
        events: 20,
        agents: &[KUBECTL, CURL],
        after_now: 0,
    },
];

const QUIET: &[Scanner] = &[
    Scanner {
        ip: "81.2.69.142",
        events: 4,
        agents: &[MASSCAN, ZGRAB],
        after_now: 0,
    },
    Scanner {
        ip: "89.160.20.130",
        events: 5,
        agents: &[PYREQ],
        after_now: 0,
    },
    Scanner {
        ip: "2.125.160.217",
        events: 3,
        agents: &[MASSCAN],
        after_now: 0,
    },
    Scanner {
        ip: "67.43.156.20",
        events: 2,
        agents: &[GO],
        after_now: 0,
    },
    Scanner {
        ip: "203.0.113.7",
        events: 10,
        agents: &[GO],
        after_now: 0,
    },
    Scanner {
        ip: "10.0.3.17",
        events: 20,
        agents: &[KUBECTL, CURL],
        after_now: 0,
    },
];

/// `(verb, requestURI, (resource, apiGroup, namespace))` probed by scanners.
type Probe = (
    &'static str,
    &'static str,
    Option<(&'static str, &'static str, Option<&'static str>)>,
);

const PROBES: &[Probe] = &[
    ("get", "/", None),
    ("get", "/api", None),
    ("get", "/apis", None),
    ("get", "/.env", None),
    ("get", "/metrics", None),
    ("list", "/api/v1/pods", Some(("pods", "", None))),
    ("list", "/api/v1/nodes", Some(("nodes", "", None))),
    (
        "list",
        "/api/v1/namespaces/kube-system/secrets",
        Some(("secrets", "", Some("kube-system"))),
    ),
    (
        "list",
        "/apis/apps/v1/deployments",
        Some(("deployments", "apps", None)),
    ),
    (
        "create",
        "/api/v1/namespaces/default/pods",
        Some(("pods", "", Some("default"))),
    ),
];

/// The scanning groups the detection must return for a variant:
/// `(src_ip, Country, City)`.
pub fn expected_groups(variant: Variant) -> Vec<[&'static str; 3]> {
    match variant {
        Variant::Anomalous => vec![
            ["175.16.199.10", "China", "Changchun"],
            ["2001:480::1", "United States", "San Diego"],
            ["216.160.83.57", "United States", "Milton"],
            ["67.43.156.20", "Bhutan", ""],
            ["81.2.69.142", "United Kingdom", "London"],
        ],
        Variant::Quiet => Vec::new(),
    }
}

/// Audit events of one variant, one JSON object per line, in
/// `requestReceivedTimestamp` order.
pub fn generate(seed: u64, now: i64, variant: Variant) -> Result<String, GenError> {
    let mut rng = Rng::stream(seed, &format!("audit/{variant:?}"));
    let mut events: Vec<(i64, Value)> = Vec::new();
    let scanners = match variant {
        Variant::Anomalous => ANOMALOUS,
        Variant::Quiet => QUIET,
    };
    let start = (now - DAY) * 1_000_000;
    for s in scanners {
        // A burst: a random start in the first 20 hours, 1-30 s apart.
        let mut t = start + rng.below(20 * HOUR as u64) as i64 * 1_000_000;
        for i in 0..s.events {
            t += (1 + rng.below(30) as i64) * 1_000_000 + rng.below(1_000_000) as i64;
            if s.events - i == s.after_now {
                t = now * 1_000_000;
            }
            let probe = PROBES
                .get(rng.below(PROBES.len() as u64) as usize)
                .copied()
                .unwrap_or(PROBES[0]);
            let agent = s
                .agents
                .get(i % s.agents.len().max(1))
                .copied()
                .unwrap_or(CURL);
            events.push((t, anonymous_403(&mut rng, t, s.ip, agent, probe)));
        }
    }
    // Anonymous requests the public-info-viewer role allows: 200, not 403.
    for i in 0..10u64 {
        let t = start + rng.below(23 * HOUR as u64 * 1_000_000) as i64 + i as i64;
        let uri = ["/version", "/healthz", "/livez", "/readyz"][(i % 4) as usize];
        let user = anonymous_user();
        let status = json!({"metadata": {}, "code": 200});
        events.push((
            t,
            event(
                &mut rng,
                t,
                "ResponseComplete",
                "81.2.69.143",
                ZGRAB,
                "get",
                uri,
                user,
                None,
                Some(status),
                "allow",
            ),
        ));
    }
    // An authenticated developer denied on a public address: 403, but not
    // unauthenticated.
    for _ in 0..8 {
        let t = start + rng.below(23 * HOUR as u64 * 1_000_000) as i64;
        let user = json!({"username": "dev-alice", "uid": "aws-iam-authenticator:591511147606:AROAEXAMPLE", "groups": ["system:authenticated"]});
        let msg = "secrets is forbidden: User \"dev-alice\" cannot list resource \"secrets\" in API group \"\" in the namespace \"payments\"";
        let status = forbidden(msg, Some("secrets"));
        let obj = json!({"resource": "secrets", "namespace": "payments", "apiVersion": "v1"});
        events.push((
            t,
            event(
                &mut rng,
                t,
                "ResponseComplete",
                "216.160.83.58",
                KUBECTL,
                "list",
                "/api/v1/namespaces/payments/secrets",
                user,
                Some(obj),
                Some(status),
                "forbid",
            ),
        ));
    }
    // In-cluster authenticated traffic, with RequestReceived stage events.
    let actors = [
        (
            "system:serviceaccount:kube-system:coredns",
            json!([
                "system:serviceaccounts",
                "system:serviceaccounts:kube-system",
                "system:authenticated"
            ]),
            "10.0.1.23",
            "coredns/v1.11.1 (linux/amd64) kubernetes/v1.29.3",
        ),
        (
            "system:node:ip-10-0-2-45.ec2.internal",
            json!(["system:nodes", "system:authenticated"]),
            "10.0.2.45",
            "kubelet/v1.29.3 (linux/amd64) kubernetes/6813625",
        ),
        (
            "kubernetes-admin",
            json!(["system:masters", "system:authenticated"]),
            "10.0.0.8",
            KUBECTL,
        ),
    ];
    for i in 0..60u64 {
        let (name, groups, ip, agent) = actors
            .get((i % 3) as usize)
            .cloned()
            .unwrap_or_else(|| actors[0].clone());
        let t = start + rng.below(DAY as u64 * 1_000_000 - 10_000) as i64;
        let (verb, uri, obj) = match i % 4 {
            0 => (
                "list",
                "/api/v1/endpoints",
                json!({"resource": "endpoints", "apiVersion": "v1"}),
            ),
            1 => (
                "watch",
                "/api/v1/namespaces/default/pods",
                json!({"resource": "pods", "namespace": "default", "apiVersion": "v1"}),
            ),
            2 => (
                "get",
                "/api/v1/namespaces/kube-system/configmaps/coredns",
                json!({"resource": "configmaps", "namespace": "kube-system", "name": "coredns", "apiVersion": "v1"}),
            ),
            _ => (
                "patch",
                "/api/v1/nodes/ip-10-0-2-45.ec2.internal/status",
                json!({"resource": "nodes", "name": "ip-10-0-2-45.ec2.internal", "apiVersion": "v1", "subresource": "status"}),
            ),
        };
        let user = json!({"username": name, "groups": groups});
        if i % 5 == 0 {
            events.push((
                t,
                event(
                    &mut rng,
                    t,
                    "RequestReceived",
                    ip,
                    agent,
                    verb,
                    uri,
                    user.clone(),
                    Some(obj.clone()),
                    None,
                    "allow",
                ),
            ));
        }
        let status = json!({"metadata": {}, "code": 200});
        events.push((
            t + 4_000,
            event(
                &mut rng,
                t + 4_000,
                "ResponseComplete",
                ip,
                agent,
                verb,
                uri,
                user,
                Some(obj),
                Some(status),
                "allow",
            ),
        ));
    }
    events.sort_by_key(|(t, _)| *t);
    let mut out = String::new();
    for (_, e) in events {
        out.push_str(&serde_json::to_string(&e)?);
        out.push('\n');
    }
    Ok(out)
}

fn anonymous_user() -> Value {
    json!({"username": "system:anonymous", "groups": ["system:unauthenticated"]})
}

fn forbidden(message: &str, kind: Option<&str>) -> Value {
    let details = match kind {
        Some(k) => json!({"kind": k}),
        None => json!({}),
    };
    json!({"metadata": {}, "status": "Failure", "message": message, "reason": "Forbidden", "details": details, "code": 403})
}

fn anonymous_403(rng: &mut Rng, t: i64, ip: &str, agent: &str, probe: Probe) -> Value {
    let (verb, uri, resource) = probe;
    let (message, obj, kind) = match resource {
        None => (
            format!("forbidden: User \"system:anonymous\" cannot {verb} path \"{uri}\""),
            None,
            None,
        ),
        Some((res, group, ns)) => {
            let scope = match ns {
                Some(n) => format!("in the namespace \"{n}\""),
                None => "at the cluster scope".to_string(),
            };
            let msg = format!("{res} is forbidden: User \"system:anonymous\" cannot {verb} resource \"{res}\" in API group \"{group}\" {scope}");
            let mut o = Map::new();
            o.insert("resource".into(), json!(res));
            if let Some(n) = ns {
                o.insert("namespace".into(), json!(n));
            }
            if !group.is_empty() {
                o.insert("apiGroup".into(), json!(group));
            }
            o.insert("apiVersion".into(), json!("v1"));
            (msg, Some(Value::Object(o)), Some(res))
        }
    };
    let status = forbidden(&message, kind);
    event(
        rng,
        t,
        "ResponseComplete",
        ip,
        agent,
        verb,
        uri,
        anonymous_user(),
        obj,
        Some(status),
        "forbid",
    )
}

/// One audit event, keys in the API server's order.
#[allow(clippy::too_many_arguments)]
fn event(
    rng: &mut Rng,
    t_us: i64,
    stage: &str,
    ip: &str,
    agent: &str,
    verb: &str,
    uri: &str,
    user: Value,
    object_ref: Option<Value>,
    status: Option<Value>,
    decision: &str,
) -> Value {
    let mut e = Map::new();
    e.insert("kind".into(), json!("Event"));
    e.insert("apiVersion".into(), json!("audit.k8s.io/v1"));
    e.insert("level".into(), json!("Metadata"));
    e.insert("auditID".into(), json!(rng.uuid()));
    e.insert("stage".into(), json!(stage));
    e.insert("requestURI".into(), json!(uri));
    e.insert("verb".into(), json!(verb));
    e.insert("user".into(), user);
    e.insert("sourceIPs".into(), json!([ip]));
    e.insert("userAgent".into(), json!(agent));
    if let Some(o) = object_ref {
        e.insert("objectRef".into(), o);
    }
    if let Some(s) = status {
        e.insert("responseStatus".into(), s);
    }
    let stage_us = if stage == "RequestReceived" {
        t_us
    } else {
        t_us + 1_000 + rng.below(20_000) as i64
    };
    e.insert("requestReceivedTimestamp".into(), json!(rfc3339_us(t_us)));
    e.insert("stageTimestamp".into(), json!(rfc3339_us(stage_us)));
    if stage != "RequestReceived" {
        e.insert(
            "annotations".into(),
            json!({"authorization.k8s.io/decision": decision, "authorization.k8s.io/reason": ""}),
        );
    }
    Value::Object(e)
}

/// `2024-04-30T14:44:53.358394Z` from epoch microseconds.
pub fn rfc3339_us(us: i64) -> String {
    match jiff::Timestamp::from_microsecond(us) {
        Ok(ts) => ts.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
        Err(_) => String::from("1970-01-01T00:00:00.000000Z"),
    }
}

/// Every source address used by the audit fixtures.
pub fn all_ips() -> BTreeSet<&'static str> {
    let mut ips: BTreeSet<&'static str> = ANOMALOUS.iter().chain(QUIET).map(|s| s.ip).collect();
    ips.extend([
        "81.2.69.143",
        "216.160.83.58",
        "10.0.1.23",
        "10.0.2.45",
        "10.0.0.8",
    ]);
    ips
}

/// What `iplocation` gives each address with this database: `City`,
/// `Country`, `Region` (first subdivision), `lat`, `lon` in English, `""`
/// for a name the record lacks, `null` when the address has no record.
pub fn geo_expected(mmdb: &Path) -> Result<String, GenError> {
    let reader = maxminddb::Reader::open_readfile(mmdb)?;
    let mut out: BTreeMap<&str, Value> = BTreeMap::new();
    for ip in all_ips() {
        let addr: IpAddr = ip
            .parse()
            .map_err(|_| GenError::Invalid(format!("expected an IP address, found {ip:?}")))?;
        let result = reader.lookup(addr)?;
        let city: Option<maxminddb::geoip2::City> = result.decode()?;
        let value = match city {
            None => Value::Null,
            Some(c) => json!({
                "City": c.city.names.english.unwrap_or(""),
                "Country": c.country.names.english.unwrap_or(""),
                "Region": c.subdivisions.first().and_then(|s| s.names.english).unwrap_or(""),
                "lat": c.location.latitude,
                "lon": c.location.longitude,
            }),
        };
        out.insert(ip, value);
    }
    let mut s = serde_json::to_string_pretty(&out)?;
    s.push('\n');
    Ok(s)
}
