//! `spl kubearmor test POLICY.yaml... --data LOGS`: replays recorded KubeArmor
//! telemetry through KubeArmor policies and prints the alerts KubeArmor would
//! have raised, in its own alert JSON shape (see `docs/kubearmor.md`).

use clap::{Args, Subcommand, ValueEnum};
use spl_engine::EngineError;
use spl_kubearmor::{
    evaluate, load_policy_file, read_telemetry, EvalOptions, Evaluation, Policy, Posture,
    PostureAction,
};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `spl kubearmor ...`
#[derive(Debug, Args)]
pub struct KubearmorArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: KubearmorCommand,
}

/// `spl kubearmor` subcommands.
#[derive(Debug, Subcommand)]
pub enum KubearmorCommand {
    /// Replay recorded telemetry through policies and print the alerts they would raise.
    Test(TestArgs),
}

/// How alerts are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AlertFormat {
    /// One JSON array of alert objects.
    Json,
    /// One alert object per line (like `karmor logs --json`).
    Jsonl,
    /// A readable summary table.
    Table,
}

/// `spl kubearmor test`
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Policy files (multi-document YAML) or directories of `*.yaml`/`*.yml` files.
    #[arg(required = true, value_name = "POLICY")]
    pub policies: Vec<PathBuf>,
    /// Telemetry recorded with `karmor logs --json` (or relay-server output); repeatable.
    #[arg(long = "data", required = true, value_name = "LOGS")]
    pub data: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AlertFormat::Json)]
    pub format: AlertFormat,
    /// Default posture `[NAMESPACE:]KIND=ACTION` (KIND: file, network, capabilities;
    /// ACTION: audit, block); repeatable. Unset kinds use `audit`, KubeArmor's global default.
    #[arg(long = "posture", value_name = "[NS:]KIND=ACTION")]
    pub posture: Vec<String>,
    /// `Enforcer` written on blocked accesses (`BPFLSM`, `AppArmor`, `SELinux`).
    #[arg(long, default_value = "BPFLSM")]
    pub enforcer: String,
    /// Also replay events recorded as alerts (`MatchedPolicy`, `MatchedHostPolicy`).
    #[arg(long)]
    pub include_alerts: bool,
    /// Node label `[HOST:]KEY=VALUE` for host policies' `nodeSelector`; repeatable.
    /// Every host already has `kubernetes.io/hostname=<HostName>`.
    #[arg(long = "node-label", value_name = "[HOST:]KEY=VALUE")]
    pub node_labels: Vec<String>,
    /// Treat policy parts that are not evaluated (capabilities, syscalls...) as errors.
    #[arg(long)]
    pub strict: bool,
    /// Do not print the summary line on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs `spl kubearmor ...`: exit 0 on success (alerts or not), 2 on a bad
/// policy, bad telemetry or bad option.
pub fn run(args: KubearmorArgs) -> ExitCode {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    ExitCode::from(run_to(args, &mut stdout.lock(), &mut stderr.lock()))
}

pub(crate) fn run_to(args: KubearmorArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match args.command {
        KubearmorCommand::Test(t) => match test(&t, out, err) {
            Ok(()) => 0,
            Err(e) => {
                let code = miette::Diagnostic::code(&e)
                    .map(|c| c.to_string())
                    .unwrap_or_default();
                let _ = writeln!(err, "error[{code}]: {e}");
                2
            }
        },
    }
}

fn usage(message: String) -> EngineError {
    EngineError::data("command line", None, None, message)
}

fn parse_action(text: &str, what: &str) -> Result<PostureAction, EngineError> {
    match text.to_ascii_lowercase().as_str() {
        "audit" => Ok(PostureAction::Audit),
        "block" => Ok(PostureAction::Block),
        _ => Err(usage(format!(
            "{what}: expected `audit` or `block`, found `{text}`"
        ))),
    }
}

fn options(t: &TestArgs) -> Result<EvalOptions, EngineError> {
    let mut opts = EvalOptions {
        enforcer: t.enforcer.clone(),
        include_alerts: t.include_alerts,
        ..EvalOptions::default()
    };
    for spec in &t.posture {
        let what = format!("--posture {spec}");
        let (scope, setting) = match spec.split_once(':') {
            Some((ns, rest)) => (Some(ns.to_string()), rest),
            None => (None, spec.as_str()),
        };
        let (kind, action) = setting
            .split_once('=')
            .ok_or_else(|| usage(format!("{what}: expected `[NAMESPACE:]KIND=ACTION`")))?;
        let action = parse_action(action, &what)?;
        let global = opts.posture;
        let target: &mut Posture = match scope {
            Some(ns) => opts.namespace_posture.entry(ns).or_insert(global),
            None => &mut opts.posture,
        };
        match kind {
            "file" | "process" => target.file = action,
            "network" => target.network = action,
            "capabilities" => target.capabilities = action,
            _ => {
                return Err(usage(format!(
                    "{what}: expected KIND `file`, `network` or `capabilities`, found `{kind}`"
                )))
            }
        }
    }
    for spec in &t.node_labels {
        let (left, value) = spec
            .split_once('=')
            .ok_or_else(|| usage(format!("--node-label {spec}: expected `[HOST:]KEY=VALUE`")))?;
        let (host, key) = match left.split_once(':') {
            Some((h, k)) => (Some(h.to_string()), k),
            None => (None, left),
        };
        opts.node_labels
            .push((host, key.to_string(), value.to_string()));
    }
    Ok(opts)
}

/// Files named on the command line; directories contribute their `*.yaml`/`*.yml` files, sorted.
fn policy_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, EngineError> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let entries = std::fs::read_dir(p).map_err(|source| EngineError::Io {
                path: p.display().to_string(),
                source,
            })?;
            let mut files: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "yaml" || x == "yml"))
                .collect();
            files.sort();
            out.extend(files);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn test(t: &TestArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), EngineError> {
    let opts = options(t)?;
    let mut policies: Vec<Policy> = Vec::new();
    for f in policy_files(&t.policies)? {
        policies.extend(load_policy_file(&f)?);
    }
    let mut events = Vec::new();
    for d in &t.data {
        events.extend(read_telemetry(d)?);
    }
    let result = evaluate(&policies, &events, &opts);
    for u in &result.unsupported {
        let _ = writeln!(err, "warning: {u}");
    }
    if t.strict {
        if let Some(u) = result.unsupported.first() {
            return Err(EngineError::data(
                u.file.clone(),
                Some(u.line),
                None,
                format!(
                    "{} is not evaluated ({}); --strict forbids it",
                    u.feature, u.reason
                ),
            ));
        }
    }
    write_alerts(&result, t.format, t.data.len() > 1, out).map_err(|source| EngineError::Io {
        path: "stdout".into(),
        source,
    })?;
    if !t.quiet {
        let skipped: Vec<String> = result
            .skipped
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect();
        let rules: usize = policies.iter().map(Policy::rule_count).sum();
        let _ = writeln!(
            err,
            "{} polic{} ({} rules), {} events read, {} replayed{}, {} alert{}",
            policies.len(),
            if policies.len() == 1 { "y" } else { "ies" },
            rules,
            events.len(),
            result.evaluated,
            if skipped.is_empty() {
                String::new()
            } else {
                format!(" (skipped: {})", skipped.join(", "))
            },
            result.alerts.len(),
            if result.alerts.len() == 1 { "" } else { "s" },
        );
    }
    Ok(())
}

fn write_alerts(
    result: &Evaluation,
    format: AlertFormat,
    many_files: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        AlertFormat::Json => {
            let arr = serde_json::Value::Array(result.alerts.iter().map(|a| a.to_json()).collect());
            let text = serde_json::to_string_pretty(&arr).map_err(std::io::Error::other)?;
            writeln!(out, "{text}")
        }
        AlertFormat::Jsonl => {
            for a in &result.alerts {
                writeln!(out, "{}", a.to_json())?;
            }
            Ok(())
        }
        AlertFormat::Table => write_table(result, many_files, out),
    }
}

/// With several data files the LINE column names the file too.
fn write_table(result: &Evaluation, many_files: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let header = [
        "LINE",
        "TIME",
        "WORKLOAD",
        "POLICY",
        "ACTION",
        "RESULT",
        "OPERATION",
        "RESOURCE",
        "PROCESS",
    ];
    let mut rows: Vec<[String; 9]> = Vec::new();
    for a in &result.alerts {
        let s = |k: &str| a.get_str(k).unwrap_or_default().to_string();
        let workload = if s("PodName").is_empty() {
            format!("host/{}", s("HostName"))
        } else {
            format!("{}/{}", s("NamespaceName"), s("PodName"))
        };
        let process = if s("ProcessName").is_empty() {
            s("Source")
        } else {
            s("ProcessName")
        };
        rows.push([
            if many_files {
                let name = Path::new(&a.file)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned());
                format!("{}:{}", name.unwrap_or_default(), a.line)
            } else {
                a.line.to_string()
            },
            s("UpdatedTime"),
            workload,
            s("PolicyName"),
            s("Action"),
            s("Result"),
            s("Operation"),
            s("Resource"),
            process,
        ]);
    }
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r.iter()) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<width$}", width = *w))
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    writeln!(out, "{}", line(header.to_vec()))?;
    for r in &rows {
        writeln!(out, "{}", line(r.iter().map(String::as_str).collect()))?;
    }
    writeln!(
        out,
        "({} alert{})",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(subcommand)]
        cmd: Top,
    }

    #[derive(Debug, clap::Subcommand)]
    enum Top {
        Kubearmor(KubearmorArgs),
    }

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/kubearmor")
    }

    fn run_cli(argv: &[&str]) -> (u8, String, String) {
        let mut full = vec!["spl", "kubearmor"];
        full.extend_from_slice(argv);
        let cli = Cli::try_parse_from(full).unwrap();
        let Top::Kubearmor(args) = cli.cmd;
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run_to(args, &mut out, &mut err);
        (
            code,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn seed_scenario_jsonl_matches_the_expected_alerts() {
        let seed = fixtures().join("seed");
        let (code, out, err) = run_cli(&[
            "test",
            seed.join("ksp-nist-ac-18-1-network-audit.yaml")
                .to_str()
                .unwrap(),
            "--data",
            seed.join("telemetry.jsonl").to_str().unwrap(),
            "--format",
            "jsonl",
        ]);
        assert_eq!(code, 0, "{err}");
        let expected = std::fs::read_to_string(seed.join("expected-alerts.jsonl")).unwrap();
        assert_eq!(out, expected);
        assert!(
            err.contains("1 policy (10 rules), 17 events read, 17 replayed"),
            "{err}"
        );
        assert!(err.contains("2 alerts"), "{err}");
    }

    #[test]
    fn json_is_an_array_and_table_is_readable() {
        let seed = fixtures().join("seed");
        let policy = seed.join("ksp-nist-ac-18-1-network-audit.yaml");
        let data = seed.join("telemetry.jsonl");
        let (code, out, _) = run_cli(&[
            "test",
            policy.to_str().unwrap(),
            "--data",
            data.to_str().unwrap(),
        ]);
        assert_eq!(code, 0);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v.as_array().unwrap().len(), 2);
        let (code, out, _) = run_cli(&[
            "test",
            seed.to_str().unwrap(),
            "--data",
            data.to_str().unwrap(),
            "--format",
            "table",
            "-q",
        ]);
        assert_eq!(code, 0);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[0].starts_with("LINE  TIME"), "{out}");
        assert!(
            lines[1].contains("wordpress-mysql/wordpress-7c966b5d85-wvtln"),
            "{out}"
        );
        assert!(lines[1].contains("/etc/network/if-up.d"), "{out}");
        assert!(lines[2].contains("/proc/net/tcp"), "{out}");
        assert_eq!(lines[3], "(2 alerts)");
    }

    #[test]
    fn bad_policy_and_bad_data_exit_2_with_file_and_line() {
        // a fresh private directory of its own, removed on drop
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let bad = dir.join("bad.yaml");
        std::fs::write(&bad, "apiVersion: security.kubearmor.com/v1\nkind: KubeArmorPolicy\nmetadata: {name: x}\nspec:\n  file:\n    matchPath: []\n").unwrap();
        let data = fixtures().join("seed/telemetry.jsonl");
        let (code, out, err) = run_cli(&[
            "test",
            bad.to_str().unwrap(),
            "--data",
            data.to_str().unwrap(),
        ]);
        assert_eq!(code, 2);
        assert!(out.is_empty());
        assert!(
            err.contains("bad.yaml:6") && err.contains("unknown field `matchPath`"),
            "{err}"
        );
        let logs = dir.join("bad.jsonl");
        std::fs::write(&logs, "{\"Type\":\"ContainerLog\"}\n{\"Type\": \n").unwrap();
        let policy = fixtures().join("seed/ksp-nist-ac-18-1-network-audit.yaml");
        let (code, _, err) = run_cli(&[
            "test",
            policy.to_str().unwrap(),
            "--data",
            logs.to_str().unwrap(),
        ]);
        assert_eq!(code, 2);
        assert!(
            err.contains("bad.jsonl:2") && err.contains("spl::data::invalid"),
            "{err}"
        );
        let (code, _, err) = run_cli(&[
            "test",
            policy.to_str().unwrap(),
            "--data",
            data.to_str().unwrap(),
            "--posture",
            "file=deny",
        ]);
        assert_eq!(code, 2);
        assert!(
            err.contains("expected `audit` or `block`, found `deny`"),
            "{err}"
        );
    }

    #[test]
    fn unsupported_parts_warn_and_strict_fails() {
        // a fresh private directory of its own, removed on drop
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let p = dir.join("caps.yaml");
        std::fs::write(
            &p,
            "apiVersion: security.kubearmor.com/v1\nkind: KubeArmorPolicy\nmetadata: {name: caps, namespace: ns}\nspec:\n  selector: {matchLabels: {app: a}}\n  capabilities:\n    matchCapabilities:\n    - capability: net_raw\n  action: Block\n",
        )
        .unwrap();
        let data = fixtures().join("seed/telemetry.jsonl");
        let (code, _, err) = run_cli(&[
            "test",
            p.to_str().unwrap(),
            "--data",
            data.to_str().unwrap(),
        ]);
        assert_eq!(code, 0);
        assert!(
            err.contains("warning:")
                && err.contains("caps.yaml:6")
                && err.contains("spec.capabilities"),
            "{err}"
        );
        let (code, _, err) = run_cli(&[
            "test",
            p.to_str().unwrap(),
            "--data",
            data.to_str().unwrap(),
            "--strict",
        ]);
        assert_eq!(code, 2, "{err}");
    }

    #[test]
    fn posture_and_node_label_options() {
        let t = TestArgs {
            policies: vec![],
            data: vec![],
            format: AlertFormat::Json,
            posture: vec!["network=block".into(), "shop:file=block".into()],
            enforcer: "AppArmor".into(),
            include_alerts: false,
            node_labels: vec!["node-1:role=db".into(), "zone=a".into()],
            strict: false,
            quiet: false,
        };
        let o = options(&t).unwrap();
        assert_eq!(o.posture.network, PostureAction::Block);
        assert_eq!(o.posture.file, PostureAction::Audit);
        let shop = o.namespace_posture["shop"];
        assert_eq!(
            (shop.file, shop.network),
            (PostureAction::Block, PostureAction::Block)
        );
        assert_eq!(
            o.node_labels[0],
            (Some("node-1".into()), "role".into(), "db".into())
        );
        assert_eq!(o.node_labels[1], (None, "zone".into(), "a".into()));
    }
}
