//! Raw text logs of any size for the raw-event path (`spl-gen kv`,
//! `spl-gen xmlwin`): what `format=raw` breaks into events, finds timestamps
//! in and, with an app's `KV_MODE`/`EXTRACT-`, extracts fields from.
//!
//! - [`Shape::Kv`]: firewall/syslog-like lines, an ISO 8601 timestamp, a host
//!   and a process tag, then 10-20 `key=value` pairs (some values quoted,
//!   with spaces), ~300 bytes each. `action` takes `allowed`, `blocked`,
//!   `dropped` (blocked about one event in five); `src` takes `srcs`
//!   addresses; about one event in twenty carries the word `failed` (an
//!   authentication failure's `msg`).
//! - [`Shape::XmlWin`]: Windows XML event log records as exported, one
//!   `<Event>` per line (Splunk's `XmlWinEventLog`): Sysmon EventID 1
//!   (process creation, ~2.3 KB) and Security 4688 (~1.4 KB) in the
//!   shapes of real records, System fields then `<Data Name='..'>` pairs.
//!
//! Events are oldest first, ~20 ms apart; the file is written as it is
//! generated (the generator's memory does not grow with it), and its bytes
//! are a pure function of the spec.

use super::rng::Rng;
use super::GenError;
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

/// Which log to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Firewall/syslog-like `key=value` lines.
    Kv,
    /// Windows XML event log records (Sysmon 1, Security 4688).
    XmlWin,
}

/// What to write.
#[derive(Debug, Clone)]
pub struct RawSpec {
    /// The log.
    pub shape: Shape,
    /// Stop after this many bytes (the last event completes).
    pub bytes: u64,
    /// Distinct source addresses (`src`, `SourceIp`-like values).
    pub srcs: u64,
    /// Epoch seconds of the first event.
    pub start: i64,
    /// PRNG seed.
    pub seed: u64,
}

/// Writes the log to `out`; returns the number of events.
pub fn generate(spec: &RawSpec, out: &Path) -> Result<u64, GenError> {
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| GenError::io(dir, e))?;
    }
    let file = std::fs::File::create(out).map_err(|e| GenError::io(out, e))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    let n = write_to(spec, &mut w).map_err(|e| GenError::io(out, e))?;
    w.flush().map_err(|e| GenError::io(out, e))?;
    Ok(n)
}

/// Writes the log to any writer (benches generate into memory); returns the
/// number of events.
pub fn write_to(spec: &RawSpec, w: &mut impl Write) -> std::io::Result<u64> {
    let label = match spec.shape {
        Shape::Kv => "raw-kv",
        Shape::XmlWin => "raw-xmlwin",
    };
    let mut rng = Rng::stream(spec.seed, label);
    let mut line = String::with_capacity(4096);
    let (mut written, mut n) = (0u64, 0u64);
    while written < spec.bytes {
        // ~20 ms apart, in order
        let us = spec.start * 1_000_000 + n as i64 * 20_000 + rng.below(10_000) as i64;
        line.clear();
        match spec.shape {
            Shape::Kv => kv_event(&mut rng, us, spec.srcs, &mut line),
            Shape::XmlWin => xml_event(&mut rng, us, spec.srcs, n, &mut line),
        }
        w.write_all(line.as_bytes())?;
        written += line.len() as u64;
        n += 1;
    }
    Ok(n)
}

fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items
        .get(rng.below(items.len() as u64) as usize)
        .copied()
        .unwrap_or_default()
}

/// `2024-05-01T10:00:00.123456` plus `suffix` (`Z`, `+00:00`), from epoch
/// microseconds, with integer arithmetic only.
fn iso(us: i64, frac_digits: u32, suffix: &str, out: &mut String) {
    let secs = us.div_euclid(1_000_000);
    let micros = us.rem_euclid(1_000_000);
    let Ok(ts) = jiff::Timestamp::from_second(secs) else {
        out.push_str("1970-01-01T00:00:00");
        return;
    };
    let dt = jiff::tz::TimeZone::UTC.to_datetime(ts);
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    );
    match frac_digits {
        0 => {}
        3 => {
            let _ = write!(out, ".{:03}", micros / 1000);
        }
        // Windows writes 7 digits (100 ns ticks)
        7 => {
            let _ = write!(out, ".{micros:06}0");
        }
        _ => {
            let _ = write!(out, ".{micros:06}");
        }
    }
    out.push_str(suffix);
}

fn ip(rng: &mut Rng, srcs: u64, out: &mut String) {
    let k = rng.below(srcs.max(1));
    let _ = write!(out, "10.{}.{}.{}", (k >> 16) & 255, (k >> 8) & 255, k & 255);
}

const ACTIONS: [&str; 5] = ["allowed", "allowed", "allowed", "blocked", "dropped"];
const PROTOS: [&str; 3] = ["tcp", "tcp", "udp"];
const APPS: [&str; 8] = [
    "ssl", "dns", "http", "smb", "ssh", "ldap", "kerberos", "ntp",
];
const RULES: [&str; 6] = [
    "Allow outbound web",
    "Block inbound SMB",
    "Default deny",
    "Allow DNS to resolvers",
    "Geo block list",
    "Allow internal",
];
const USERS: [&str; 6] = [
    "CORP\\jdoe",
    "CORP\\asmith",
    "CORP\\svc_backup",
    "CORP\\mlee",
    "unknown",
    "CORP\\admin",
];
const ZONES: [&str; 4] = ["trust", "untrust", "dmz", "vpn"];

/// One firewall/syslog-like line (with its line break).
fn kv_event(rng: &mut Rng, us: i64, srcs: u64, out: &mut String) {
    iso(us, 3, "+00:00", out);
    let fw = rng.below(8);
    let pid = 1000 + rng.below(9000);
    let _ = write!(out, " fw{fw:02}.corp.local firewalld[{pid}]: ");
    let action = pick(rng, &ACTIONS);
    let proto = pick(rng, &PROTOS);
    let app = pick(rng, &APPS);
    out.push_str("action=");
    out.push_str(action);
    out.push_str(" src=");
    ip(rng, srcs, out);
    let _ = write!(
        out,
        " src_port={} dest={}.{}.{}.{} dest_port={} transport={proto} app={app}",
        1024 + rng.below(64_000),
        20 + rng.below(200),
        rng.below(256),
        rng.below(256),
        1 + rng.below(254),
        [443, 80, 53, 445, 22, 389, 88, 123]
            .get(rng.below(8) as usize)
            .copied()
            .unwrap_or(443),
    );
    let _ = write!(
        out,
        " bytes_in={} bytes_out={} packets={}",
        rng.below(2_000_000),
        rng.below(200_000),
        1 + rng.below(2000)
    );
    let _ = write!(
        out,
        " rule=\"{}\" src_zone={} dest_zone={}",
        pick(rng, &RULES),
        pick(rng, &ZONES),
        pick(rng, &ZONES)
    );
    // 0-6 optional pairs: 14-20 pairs in all
    if rng.below(2) == 0 {
        let _ = write!(out, " user=\"{}\"", pick(rng, &USERS));
    }
    if rng.below(2) == 0 {
        let _ = write!(out, " session_id={}", rng.below(1 << 40));
    }
    if rng.below(3) == 0 {
        let _ = write!(out, " duration={}.{:03}", rng.below(600), rng.below(1000));
    }
    if rng.below(4) == 0 {
        let _ = write!(out, " policy_id={}", 1 + rng.below(64));
    }
    if rng.below(20) == 0 {
        out.push_str(" status=failure msg=\"authentication failed for user\" reason=bad_password");
    } else if action != "allowed" {
        out.push_str(" msg=\"connection denied by policy\"");
    }
    out.push_str(" severity=");
    out.push_str(if action == "allowed" {
        "informational"
    } else {
        "medium"
    });
    out.push('\n');
}

const IMAGES: [(&str, &str, &str); 6] = [
    (
        "C:\\Windows\\System32\\cmd.exe",
        "Windows Command Processor",
        "Cmd.Exe",
    ),
    (
        "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
        "Windows PowerShell",
        "PowerShell.EXE",
    ),
    (
        "C:\\Windows\\System32\\rundll32.exe",
        "Windows host process (Rundll32)",
        "RUNDLL32.EXE",
    ),
    (
        "C:\\Windows\\System32\\reg.exe",
        "Registry Console Tool",
        "reg.exe",
    ),
    (
        "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
        "Google Chrome",
        "chrome.exe",
    ),
    (
        "C:\\Windows\\System32\\svchost.exe",
        "Host Process for Windows Services",
        "svchost.exe",
    ),
];
const ACCOUNTS: [&str; 5] = [
    "CORP\\Administrator",
    "CORP\\jdoe",
    "NT AUTHORITY\\SYSTEM",
    "CORP\\svc_sql",
    "CORP\\asmith",
];

fn guid(rng: &mut Rng, out: &mut String) {
    out.push('{');
    for (i, n) in [8, 4, 4, 4, 12].iter().enumerate() {
        if i > 0 {
            out.push('-');
        }
        for _ in 0..*n {
            let d = rng.below(16) as u8;
            out.push(char::from(if d < 10 { b'0' + d } else { b'A' + d - 10 }));
        }
    }
    out.push('}');
}

fn hex_upper(rng: &mut Rng, n: usize, out: &mut String) {
    for _ in 0..n {
        let d = rng.below(16) as u8;
        out.push(char::from(if d < 10 { b'0' + d } else { b'A' + d - 10 }));
    }
}

/// One Windows XML event on one line (with its line break): Sysmon 1 two
/// times in three, else Security 4688.
fn xml_event(rng: &mut Rng, us: i64, srcs: u64, n: u64, out: &mut String) {
    let host = rng.below(srcs.max(1));
    let (image, desc, orig) = IMAGES
        .get(rng.below(IMAGES.len() as u64) as usize)
        .copied()
        .unwrap_or(IMAGES[0]);
    let (pimage, _, _) = IMAGES
        .get(rng.below(IMAGES.len() as u64) as usize)
        .copied()
        .unwrap_or(IMAGES[1]);
    let account = pick(rng, &ACCOUNTS);
    let sysmon = rng.below(3) != 0;
    out.push_str("<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>");
    if sysmon {
        out.push_str(
            "<Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385F-C22A-43E0-BF4C-06F5698FFBD9}'/>\
             <EventID>1</EventID><Version>5</Version><Level>4</Level><Task>1</Task><Opcode>0</Opcode>\
             <Keywords>0x8000000000000000</Keywords>",
        );
    } else {
        out.push_str(
            "<Provider Name='Microsoft-Windows-Security-Auditing' Guid='{54849625-5478-4994-A5BA-3E3B0328C30D}'/>\
             <EventID>4688</EventID><Version>2</Version><Level>0</Level><Task>13312</Task><Opcode>0</Opcode>\
             <Keywords>0x8020000000000000</Keywords>",
        );
    }
    out.push_str("<TimeCreated SystemTime='");
    iso(us, 7, "Z", out);
    let _ = write!(
        out,
        "'/><EventRecordID>{}</EventRecordID><Correlation/><Execution ProcessID='{}' ThreadID='{}'/>",
        100_000 + n,
        4 + rng.below(8000),
        4 + rng.below(8000)
    );
    let _ = write!(
        out,
        "<Channel>{}</Channel><Computer>win-{host:05}.corp.local</Computer>",
        if sysmon {
            "Microsoft-Windows-Sysmon/Operational"
        } else {
            "Security"
        }
    );
    out.push_str(if sysmon {
        "<Security UserID='S-1-5-18'/></System><EventData>"
    } else {
        "<Security/></System><EventData>"
    });
    let pid = 100 + rng.below(60_000);
    let ppid = 100 + rng.below(60_000);
    let cmd_arg = rng.below(1 << 32);
    if sysmon {
        out.push_str("<Data Name='RuleName'>-</Data><Data Name='UtcTime'>");
        let mut t = String::new();
        iso(us, 3, "", &mut t);
        out.push_str(&t.replacen('T', " ", 1));
        out.push_str("</Data><Data Name='ProcessGuid'>");
        guid(rng, out);
        let _ = write!(
            out,
            "</Data><Data Name='ProcessId'>{pid}</Data><Data Name='Image'>{image}</Data>\
             <Data Name='FileVersion'>10.0.19041.{} (WinBuild.160101.0800)</Data>\
             <Data Name='Description'>{desc}</Data>\
             <Data Name='Product'>Microsoft® Windows® Operating System</Data>\
             <Data Name='Company'>Microsoft Corporation</Data>\
             <Data Name='OriginalFileName'>{orig}</Data>\
             <Data Name='CommandLine'>\"{image}\" /c echo {cmd_arg:08x} &gt; %TEMP%\\out-{cmd_arg}.txt</Data>\
             <Data Name='CurrentDirectory'>C:\\Users\\Public\\</Data><Data Name='User'>{account}</Data>\
             <Data Name='LogonGuid'>",
            rng.below(5000)
        );
        guid(rng, out);
        let _ = write!(
            out,
            "</Data><Data Name='LogonId'>0x{:x}</Data><Data Name='TerminalSessionId'>{}</Data>\
             <Data Name='IntegrityLevel'>{}</Data><Data Name='Hashes'>MD5=",
            rng.below(1 << 24),
            rng.below(3),
            pick(rng, &["High", "Medium", "System"])
        );
        hex_upper(rng, 32, out);
        out.push_str(",SHA256=");
        hex_upper(rng, 64, out);
        out.push_str(",IMPHASH=");
        hex_upper(rng, 32, out);
        out.push_str("</Data><Data Name='ParentProcessGuid'>");
        guid(rng, out);
        let _ = write!(
            out,
            "</Data><Data Name='ParentProcessId'>{ppid}</Data><Data Name='ParentImage'>{pimage}</Data>\
             <Data Name='ParentCommandLine'>\"{pimage}\" -noninteractive -encodedcommand "
        );
        // a base64 payload, as launched scripts carry
        for _ in 0..(200 + rng.below(400)) {
            let c = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                .get(rng.below(64) as usize)
                .copied()
                .unwrap_or(b'A');
            out.push(char::from(c));
        }
        out.push_str("</Data></EventData></Event>\n");
    } else {
        let _ = write!(
            out,
            "<Data Name='SubjectUserSid'>S-1-5-21-{}-{}</Data><Data Name='SubjectUserName'>{}</Data>\
             <Data Name='SubjectDomainName'>CORP</Data><Data Name='SubjectLogonId'>0x{:x}</Data>\
             <Data Name='NewProcessId'>0x{pid:x}</Data><Data Name='NewProcessName'>{image}</Data>\
             <Data Name='TokenElevationType'>%%{}</Data><Data Name='ProcessId'>0x{ppid:x}</Data>\
             <Data Name='CommandLine'>\"{image}\" --run {cmd_arg}</Data>\
             <Data Name='TargetUserSid'>NULL SID</Data><Data Name='TargetUserName'>-</Data>\
             <Data Name='TargetDomainName'>-</Data><Data Name='TargetLogonId'>0x0</Data>\
             <Data Name='ParentProcessName'>{pimage}</Data>\
             <Data Name='MandatoryLabel'>Mandatory Label\\{} Mandatory Level</Data></EventData></Event>",
            rng.below(1 << 30),
            1000 + rng.below(5000),
            account.rsplit('\\').next().unwrap_or(account),
            rng.below(1 << 24),
            1936 + rng.below(3),
            pick(rng, &["High", "Medium", "System"])
        );
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(shape: Shape, bytes: u64) -> (String, u64) {
        let spec = RawSpec {
            shape,
            bytes,
            srcs: 100,
            start: 1_714_500_000,
            seed: 7,
        };
        let mut out = Vec::new();
        let n = write_to(&spec, &mut out).unwrap();
        (String::from_utf8(out).unwrap(), n)
    }

    #[test]
    fn kv_lines_have_a_time_and_pairs() {
        let (t, n) = text(Shape::Kv, 100_000);
        assert_eq!(t.lines().count() as u64, n);
        assert!(t.len() >= 100_000 && t.len() < 101_000);
        for l in t.lines() {
            assert!(l.starts_with("2024-04-30T"), "{l}");
            let pairs = l.matches('=').count();
            assert!((14..=24).contains(&pairs), "{pairs}: {l}");
            assert!(l.contains(" action=") && l.contains(" src=10."));
        }
        assert!(t.contains("action=blocked") && t.contains("failed"));
        // deterministic
        assert_eq!(text(Shape::Kv, 100_000).0, t);
    }

    #[test]
    fn xml_records_are_one_event_per_line() {
        let (t, n) = text(Shape::XmlWin, 200_000);
        assert_eq!(t.lines().count() as u64, n);
        for l in t.lines() {
            assert!(l.starts_with("<Event xmlns=") && l.ends_with("</Event>"));
            assert_eq!(l.matches("<Event ").count(), 1);
            assert!(l.contains("<EventID>1</EventID>") || l.contains("<EventID>4688</EventID>"));
            assert!(l.contains("SystemTime='2024-04-30T"));
        }
        assert!(t.contains("<EventID>4688</EventID>"));
        assert!((1000..3500).contains(&(t.len() as u64 / n)));
    }
}
