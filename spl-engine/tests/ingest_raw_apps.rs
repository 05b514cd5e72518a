//! Index-time props.conf settings from `--apps` for raw text (issue 13
//! §1): event breaking and timestamps by sourcetype and `source::` stanza,
//! global-context precedence, the spec's own settings winning, and the
//! same result whether apps are loaded before or after the data.
#![allow(clippy::unwrap_used)] // tests may unwrap, helpers included

mod ingest_common;
use ingest_common::*;

use spl_engine::session::{Engine, QueryResult};
use spl_engine::source::{DataSpec, RawProps};
use std::path::{Path, PathBuf};

/// 2024-05-01T12:00:00Z
const NOW: f64 = 1714564800.0;

fn write(p: &Path, text: &str) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("spl-raw-apps-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn cells(r: &QueryResult, field: &str) -> Vec<Option<String>> {
    r.batches
        .iter()
        .flat_map(|b| (0..b.num_rows()).map(move |i| one(b, field, i)))
        .collect()
}

/// Runs `q` with `apps` loaded before or after the data.
fn run(apps: &Path, specs: &[DataSpec], apps_first: bool, q: &str) -> QueryResult {
    let mut b = Engine::builder(NOW);
    if apps_first {
        b = b.apps(&[apps.to_path_buf()]).unwrap();
    }
    for s in specs {
        b = b.add_data(s).unwrap();
    }
    if !apps_first {
        b = b.apps(&[apps.to_path_buf()]).unwrap();
    }
    b.build().run(q).unwrap()
}

const APP_PROPS: &str = "\
[pipe_log]
LINE_BREAKER = (\\|\\|)
SHOULD_LINEMERGE = false
TIME_PREFIX = at=
TIME_FORMAT = %d/%m/%Y %H.%M.%S
TZ = Europe/Berlin

[source::.../special/*.log]
LINE_BREAKER = (;)
SHOULD_LINEMERGE = false
DATETIME_CONFIG = NONE
";

/// Events separated by `||`, each with a day-first timestamp after `at=`
/// in Berlin time; without the app the file is one event per line.
const PIPE_LOG: &str =
    "first at=01/05/2024 10.00.00 a=1||second at=01/05/2024 11.30.00\nb=2||third\n";

#[test]
fn sourcetype_stanza_breaks_and_times_events_either_order() {
    let dir = temp("st");
    write(&dir.join("app/default/props.conf"), APP_PROPS);
    let log = dir.join("data/pipe.log");
    write(&log, PIPE_LOG);
    let spec: DataSpec = format!("path={},format=raw,sourcetype=pipe_log", log.display())
        .parse()
        .unwrap();
    let q = "sourcetype=pipe_log | eval t=strftime(_time, \"%Y-%m-%dT%H:%M:%SZ\") | table _raw t";
    for apps_first in [true, false] {
        let r = run(&dir.join("app"), std::slice::from_ref(&spec), apps_first, q);
        let raw: Vec<String> = cells(&r, "_raw")
            .into_iter()
            .map(|s| s.unwrap_or_default().trim_end().to_string())
            .collect();
        // newest first: `third` has no timestamp and takes the previous one
        assert_eq!(
            raw,
            [
                "second at=01/05/2024 11.30.00\nb=2",
                "third",
                "first at=01/05/2024 10.00.00 a=1"
            ],
            "apps first: {apps_first}"
        );
        // Berlin is UTC+2 in May
        assert_eq!(
            cells(&r, "t"),
            [
                Some("2024-05-01T09:30:00Z".to_string()),
                Some("2024-05-01T09:30:00Z".to_string()),
                Some("2024-05-01T08:00:00Z".to_string()),
            ],
            "apps first: {apps_first}"
        );
    }
    // another sourcetype of the same text keeps Splunk's defaults: lines
    let other: DataSpec = format!("path={},format=raw,sourcetype=plain", log.display())
        .parse()
        .unwrap();
    let r = run(
        &dir.join("app"),
        &[other],
        true,
        "sourcetype=plain | stats count",
    );
    assert_eq!(cells(&r, "count"), [Some("1".to_string())]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn source_stanza_beats_the_sourcetype_and_the_spec_wins() {
    let dir = temp("src");
    write(&dir.join("app/default/props.conf"), APP_PROPS);
    let special = dir.join("data/special/x.log");
    let plain = dir.join("data/other/x.log");
    let text = "a=1 at=01/05/2024 10.00.00;b=2;c=3";
    write(&special, text);
    write(&plain, text);
    let spec = |p: &Path| -> DataSpec {
        format!("path={},format=raw,sourcetype=pipe_log", p.display())
            .parse()
            .unwrap()
    };
    for apps_first in [true, false] {
        let r = run(
            &dir.join("app"),
            &[spec(&special), spec(&plain)],
            apps_first,
            "sourcetype=pipe_log | eval n=if(like(source, \"%special%\"), \"special\", \"other\") \
             | stats count by n",
        );
        // `;` breaks the special file (source:: over the sourcetype's `||`);
        // the other file has no `||` and is one event
        assert_eq!(
            cells(&r, "n"),
            [Some("other".into()), Some("special".into())]
        );
        assert_eq!(cells(&r, "count"), [Some("1".into()), Some("3".into())]);
        // DATETIME_CONFIG = NONE: the file's time, not the one in the text
        let r = run(
            &dir.join("app"),
            &[spec(&special)],
            apps_first,
            "sourcetype=pipe_log | where _time=strptime(\"2024-05-01 08:00:00\", \"%Y-%m-%d %H:%M:%S\") | stats count",
        );
        assert_eq!(cells(&r, "count"), [Some("0".into())]);
    }
    // a spec with settings of its own is not changed by the apps
    let mut own = spec(&special);
    own.props = Some(RawProps {
        should_linemerge: false,
        ..RawProps::default()
    });
    for apps_first in [true, false] {
        let r = run(
            &dir.join("app"),
            std::slice::from_ref(&own),
            apps_first,
            "* | stats count",
        );
        assert_eq!(cells(&r, "count"), [Some("1".into())]);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bad_index_time_value_is_an_error_naming_file_line_and_key() {
    let dir = temp("bad");
    write(
        &dir.join("app/local/props.conf"),
        "[pipe_log]\nSHOULD_LINEMERGE = false\nTIME_FORMAT = %Y-%m-%d %Ç\n",
    );
    let Err(e) = Engine::builder(NOW).apps(&[dir.join("app")]) else {
        panic!("expected an error");
    };
    let e = e.to_string();
    assert!(e.contains("app/local/props.conf:3"), "{e}");
    assert!(e.contains("TIME_FORMAT"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}
