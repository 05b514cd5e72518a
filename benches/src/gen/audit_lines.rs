//! Large JSON-lines files of Kubernetes-audit-shaped events, for measuring
//! the event path on inputs of any size (`spl-gen jsonl`): the streaming
//! executor's memory must not grow with the file.
//!
//! Each event is one line of about 900 bytes with nested objects and arrays
//! (`user.username`, `objectRef.namespace`, `sourceIPs{}`, ...), oldest first
//! unless asked otherwise, a few tens of milliseconds apart. `user.username`
//! takes `users` values and `verb` eight, so `stats count by user.username
//! verb` has at most `8 * users` groups. The file is written as it is
//! generated: the generator's memory does not grow with it either.

use super::audit::rfc3339_us;
use super::rng::Rng;
use super::GenError;
use std::io::Write;
use std::path::Path;

/// What to write.
#[derive(Debug, Clone)]
pub struct LinesSpec {
    /// Stop after this many bytes (the last line completes).
    pub bytes: u64,
    /// Distinct `user.username` values.
    pub users: u64,
    /// Epoch seconds of the first event.
    pub start: i64,
    /// `asc` (oldest first), `desc` (newest first) or `shuffled` (times out
    /// of order within an hour).
    pub order: String,
    /// PRNG seed.
    pub seed: u64,
}

const VERBS: [&str; 8] = [
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
];
const RESOURCES: [&str; 6] = [
    "pods",
    "secrets",
    "configmaps",
    "deployments",
    "services",
    "nodes",
];
const AGENTS: [&str; 4] = [
    "kubectl/v1.29.3 (linux/amd64) kubernetes/6813625",
    "kube-controller-manager/v1.29.3 (linux/amd64) kubernetes/6813625/system:serviceaccount:kube-system:generic-garbage-collector",
    "Go-http-client/2.0",
    "argocd-application-controller/v2.10.4",
];

/// Parses a size such as `300M`, `3G`, `1500000` (bytes).
pub fn parse_size(s: &str) -> Result<u64, GenError> {
    let s = s.trim();
    let (num, mult) = match s.chars().last() {
        Some('K' | 'k') => (&s[..s.len() - 1], 1u64 << 10),
        Some('M' | 'm') => (&s[..s.len() - 1], 1 << 20),
        Some('G' | 'g') => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    let n: f64 = num
        .parse()
        .map_err(|_| GenError::Invalid(format!("expected a size like 300M or 3G, found `{s}`")))?;
    Ok((n * mult as f64) as u64)
}

/// Writes the file; returns the number of events.
pub fn generate(spec: &LinesSpec, out: &Path) -> Result<u64, GenError> {
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| GenError::io(dir, e))?;
    }
    let file = std::fs::File::create(out).map_err(|e| GenError::io(out, e))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    let mut rng = Rng::stream(spec.seed, "audit-lines");
    // about 900 bytes per event: count them first, so `desc` can count down
    let approx_events = spec.bytes / 900 + 1;
    let mut written = 0u64;
    let mut n = 0u64;
    let mut line = String::with_capacity(2048);
    while written < spec.bytes {
        let step = match spec.order.as_str() {
            "desc" => approx_events.saturating_sub(n) as i64,
            _ => n as i64,
        };
        // 25 ms apart on average
        let mut us = spec.start * 1_000_000 + step * 25_000 + rng.below(20_000) as i64;
        if spec.order == "shuffled" {
            us += rng.below(3_600_000_000) as i64;
        }
        line.clear();
        event(&mut rng, us, spec.users, &mut line);
        w.write_all(line.as_bytes())
            .map_err(|e| GenError::io(out, e))?;
        written += line.len() as u64;
        n += 1;
    }
    w.flush().map_err(|e| GenError::io(out, e))?;
    Ok(n)
}

fn hex(rng: &mut Rng, digits: usize, out: &mut String) {
    for _ in 0..digits {
        let d = rng.below(16) as u8;
        out.push(char::from(if d < 10 { b'0' + d } else { b'a' + d - 10 }));
    }
}

fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items
        .get(rng.below(items.len() as u64) as usize)
        .copied()
        .unwrap_or_default()
}

/// One event line (with its line break).
fn event(rng: &mut Rng, us: i64, users: u64, out: &mut String) {
    use std::fmt::Write;
    let user = rng.below(users.max(1));
    let team = user % 12;
    let ns = rng.below(40);
    let verb = pick(rng, &VERBS);
    let resource = pick(rng, &RESOURCES);
    let agent = pick(rng, &AGENTS);
    let code = match rng.below(20) {
        0 => 403,
        1 => 404,
        _ => 200,
    };
    let decision = if code == 403 { "forbid" } else { "allow" };
    let mut id = String::new();
    hex(rng, 8, &mut id);
    id.push('-');
    hex(rng, 4, &mut id);
    id.push_str("-4");
    hex(rng, 3, &mut id);
    id.push('-');
    hex(rng, 4, &mut id);
    id.push('-');
    hex(rng, 12, &mut id);
    let mut name = String::new();
    hex(rng, 5, &mut name);
    let ip = format!(
        "10.{}.{}.{}",
        rng.below(16),
        rng.below(256),
        1 + rng.below(254)
    );
    let received = rfc3339_us(us);
    let done = rfc3339_us(us + 1_000 + rng.below(40_000) as i64);
    let _ = writeln!(
        out,
        "{{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\
         \"auditID\":\"{id}\",\"stage\":\"ResponseComplete\",\
         \"requestURI\":\"/api/v1/namespaces/ns-{ns}/{resource}/web-{name}\",\"verb\":\"{verb}\",\
         \"user\":{{\"username\":\"user-{user:04}\",\"uid\":\"{id}\",\
         \"groups\":[\"system:authenticated\",\"team-{team}\"]}},\
         \"sourceIPs\":[\"{ip}\"],\"userAgent\":\"{agent}\",\
         \"objectRef\":{{\"resource\":\"{resource}\",\"namespace\":\"ns-{ns}\",\
         \"name\":\"web-{name}\",\"apiVersion\":\"v1\"}},\
         \"responseStatus\":{{\"metadata\":{{}},\"code\":{code}}},\
         \"requestReceivedTimestamp\":\"{received}\",\"stageTimestamp\":\"{done}\",\
         \"annotations\":{{\"authorization.k8s.io/decision\":\"{decision}\",\
         \"authorization.k8s.io/reason\":\"RBAC: allowed by RoleBinding \\\"team-{team}-edit/ns-{ns}\\\" \
         of ClusterRole \\\"edit\\\" to Group \\\"team-{team}\\\"\"}}}}"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_json_and_sized() {
        let dir = std::env::temp_dir().join(format!("spl-gen-lines-{}", std::process::id()));
        let out = dir.join("e.jsonl");
        let spec = LinesSpec {
            bytes: 200_000,
            users: 50,
            start: 1_714_500_000,
            order: "asc".into(),
            seed: 7,
        };
        let n = generate(&spec, &out).unwrap();
        let text = std::fs::read_to_string(&out).unwrap();
        assert_eq!(text.lines().count() as u64, n);
        assert!(text.len() as u64 >= spec.bytes && (text.len() as u64) < spec.bytes + 2000);
        for l in text.lines() {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            assert!(v["user"]["username"].as_str().unwrap().starts_with("user-"));
        }
        assert_eq!(parse_size("3G").unwrap(), 3 << 30);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
