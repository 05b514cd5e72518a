//! Knowledge objects end to end: app folders on disk, events with `_raw`,
//! searches through the engine.
#![allow(clippy::unwrap_used)]

use crate::session::Engine;
use crate::source::SourceMeta;
use crate::value::{self, Cell};
use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

static N: AtomicUsize = AtomicUsize::new(0);

/// A fresh temporary folder.
fn tmp() -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "spl-knowledge-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn events(raws: &[&str]) -> RecordBatch {
    let n = raws.len();
    let times: Vec<f64> = (0..n).map(|i| 1000.0 - i as f64).collect();
    RecordBatch::try_new(
        Arc::new(Schema::new(vec![
            Field::new("_time", DataType::Float64, true),
            Field::new("_raw", DataType::Utf8, true),
        ])),
        vec![
            Arc::new(Float64Array::from(times)) as ArrayRef,
            Arc::new(StringArray::from(raws.to_vec())),
        ],
    )
    .unwrap()
}

/// An engine over `raws` (sourcetype `st`, source `/var/log/app.log`, host
/// `web01`) with the apps at `apps`.
fn engine(apps: &[PathBuf], raws: &[&str]) -> crate::error::Result<Engine> {
    let meta = SourceMeta {
        host: Some("web01".into()),
        ..SourceMeta::new("main", "/var/log/app.log", "st")
    };
    Ok(Engine::builder(2000.0)
        .add_events(meta, vec![events(raws)])
        .apps(apps)?
        .build())
}

/// The values of `field` on every result row (`-` absent, `a|b` multivalue).
fn column(e: &Engine, query: &str, field: &str) -> Vec<String> {
    let r = e.run(query).unwrap();
    let b = r.to_batch().unwrap();
    let Some(col) = value::column(&b, field) else {
        return vec!["-".into(); b.num_rows()];
    };
    let f = Field::new(field, col.data_type().clone(), true);
    (0..b.num_rows())
        .map(|row| match value::cell(&f, col.as_ref(), row) {
            Cell::Null => "-".into(),
            Cell::Single(s) => s,
            Cell::Multi(v) => v.join("|"),
        })
        .collect()
}

fn app(props: &str) -> PathBuf {
    let root = tmp();
    write(&root, "default/props.conf", props);
    root
}

#[test]
fn extract_named_groups_and_in_field_from_earlier_classes() {
    let a = app("[st]\n\
         EXTRACT-a = user=(?<user>\\w+) msg=(?<msg>\\S+)\n\
         EXTRACT-b = (?<code>\\d+) in msg\n\
         EXTRACT-0early = (?<early>\\d+) in msg\n\
         EXTRACT-c = (?<_under>x+)\n");
    let e = engine(&[a], &["user=bob msg=err42 xx"]).unwrap();
    assert_eq!(column(&e, "*", "user"), ["bob"]);
    assert_eq!(column(&e, "*", "code"), ["42"]);
    // class `0early` runs before `a`, so `msg` does not exist for it yet
    assert_eq!(column(&e, "*", "early"), ["-"]);
    // group names are field names as written
    assert_eq!(column(&e, "*", "_under"), ["xx"]);
    assert_eq!(column(&e, "code=42", "user"), ["bob"]);
}

#[test]
fn extract_first_value_wins_over_later_classes_and_kv() {
    let a = app("[st]\nEXTRACT-a = v=(?<v>\\d)\nEXTRACT-b = v=\\d (?<v>\\d)\n");
    let e = engine(&[a], &["v=1 2"]).unwrap();
    assert_eq!(column(&e, "*", "v"), ["1"]);
}

#[test]
fn report_regex_format_and_mv_add() {
    let root = tmp();
    write(
        &root,
        "default/props.conf",
        "[st]\nREPORT-kv = pairs, mv\nREPORT-z = named\n",
    );
    write(
        &root,
        "default/transforms.conf",
        "[pairs]\nREGEX = (\\w+):(\\w+)\nFORMAT = $1::$2\n\
         [mv]\nREGEX = tag=(\\w+)\nFORMAT = tags::$1\nMV_ADD = true\n\
         [named]\nREGEX = (?<first>\\w+):\n",
    );
    let e = engine(&[root], &["a:1 b:2 a:3 tag=x tag=y"]).unwrap();
    // every match counts; without MV_ADD the first value of `a` stays
    assert_eq!(column(&e, "*", "a"), ["1"]);
    assert_eq!(column(&e, "*", "b"), ["2"]);
    assert_eq!(column(&e, "*", "tags"), ["x|y"]);
    assert_eq!(column(&e, "*", "first"), ["a"]);
}

#[test]
fn report_delims_fields_source_key_clean_keys_keep_empty() {
    let root = tmp();
    write(
        &root,
        "default/props.conf",
        "[st]\nEXTRACT-body = ^(?<body>[^#]*)#\nREPORT-a = csvish, kvs, raw_keys, keep\n",
    );
    write(
        &root,
        "default/transforms.conf",
        "[csvish]\nDELIMS = \",\"\nFIELDS = f1, f2, f3\nSOURCE_KEY = body\n\
         [kvs]\nDELIMS = \"|\", \"=\"\nSOURCE_KEY = field:rest\n\
         [raw_keys]\nREGEX = (?<_KEY_1>[\\w-]+)~(?<_VAL_1>\\w+)\nCLEAN_KEYS = false\n\
         [keep]\nREGEX = empty=(?<emptyval>\\w*);\nKEEP_EMPTY_VALS = true\n",
    );
    write(
        &root,
        "local/props.conf",
        "[st]\nEXTRACT-rest = #(?<rest>\\S+)\n",
    );
    let e = engine(&[root], &["x,,z#k1=v1|k-2=v2 src-ip~1 empty=;"]).unwrap();
    assert_eq!(column(&e, "*", "f1"), ["x"]);
    // an empty value is dropped without KEEP_EMPTY_VALS
    assert_eq!(column(&e, "*", "f2"), ["-"]);
    assert_eq!(column(&e, "*", "f3"), ["z"]);
    assert_eq!(column(&e, "*", "k1"), ["v1"]);
    assert_eq!(column(&e, "*", "k_2"), ["v2"]);
    assert_eq!(column(&e, "*", "src-ip"), ["1"]);
    assert_eq!(column(&e, "*", "emptyval"), [""]);
}

#[test]
fn kv_mode_auto_quoted_none_json() {
    let a = app("[st]\n");
    let e = engine(&[a], &[r#"user=alice msg="hello world" n=1"#]).unwrap();
    assert_eq!(column(&e, "*", "msg"), ["hello world"]);
    assert_eq!(column(&e, "user=alice", "n"), ["1"]);
    let b = app("[st]\nKV_MODE = none\n");
    let e = engine(&[b], &["user=alice"]).unwrap();
    assert_eq!(column(&e, "*", "user"), ["-"]);
    let c = app("[st]\nKV_MODE = json\n");
    let e = engine(&[c], &[r#"{"a":{"b":"x"},"l":[1,2]}"#]).unwrap();
    assert_eq!(column(&e, "*", "a.b"), ["x"]);
    assert_eq!(column(&e, "*", "l{}"), ["1|2"]);
    let d = app("[st]\nKV_MODE = auto_escaped\n");
    let e = engine(&[d], &[r#"m="say \"hi\"" k=v"#]).unwrap();
    assert_eq!(column(&e, "*", "m"), [r#"say "hi""#]);
}

#[test]
fn field_alias_as_asnew_and_alias_of_alias() {
    let a = app("[st]\nKV_MODE = auto\n\
         FIELDALIAS-a = src AS src_ip\n\
         FIELDALIAS-b = src_ip AS ip dest ASNEW user\n\
         FIELDALIAS-c = missing AS user2\n");
    let e = engine(&[a], &["src=1.2.3.4 user=bob dest=h user2=old"]).unwrap();
    assert_eq!(column(&e, "*", "src_ip"), ["1.2.3.4"]);
    // class b runs after class a: an alias of an alias
    assert_eq!(column(&e, "*", "ip"), ["1.2.3.4"]);
    // ASNEW leaves an existing field alone
    assert_eq!(column(&e, "*", "user"), ["bob"]);
    // AS from an absent field removes the alias (7.2.4 and later)
    assert_eq!(column(&e, "*", "user2"), ["-"]);
    // the original stays
    assert_eq!(column(&e, "*", "src"), ["1.2.3.4"]);
}

#[test]
fn eval_runs_in_parallel_after_aliases() {
    let a = app("[st]\nFIELDALIAS-a = y AS yy\n\
         EVAL-x = y * 2\nEVAL-y = 100\nEVAL-z = yy + 1\nEVAL-w = x\n");
    let e = engine(&[a], &["y=5 x=1"]).unwrap();
    // every EVAL reads the fields as they were before any EVAL
    assert_eq!(column(&e, "*", "x"), ["10"]);
    assert_eq!(column(&e, "*", "y"), ["100"]);
    assert_eq!(column(&e, "*", "z"), ["6"]);
    assert_eq!(column(&e, "*", "w"), ["1"]);
    assert_eq!(column(&e, "y=100", "x"), ["10"]);
}

#[test]
fn automatic_lookup() {
    let root = tmp();
    write(
        &root,
        "default/props.conf",
        "[st]\nLOOKUP-users = users_lookup uid AS user OUTPUT name AS full_name\n\
         LOOKUP-z = users_lookup uid AS user OUTPUTNEW name AS user\n",
    );
    write(
        &root,
        "default/transforms.conf",
        "[users_lookup]\nfilename = users.csv\n",
    );
    write(&root, "lookups/users.csv", "uid,name\nbob,Bob Smith\n");
    let e = engine(&[root], &["user=bob", "user=eve"]).unwrap();
    assert_eq!(column(&e, "*", "full_name"), ["Bob Smith", "-"]);
    assert_eq!(column(&e, "full_name=\"Bob*\"", "user"), ["bob"]);
}

#[test]
fn stanza_precedence_source_host_sourcetype() {
    let a = app("[st]\nEVAL-who = \"sourcetype\"\nEVAL-st_only = \"st\"\n\
         [host::web*]\nEVAL-who = \"host\"\nEVAL-h = \"host\"\n\
         [source::/var/log/...]\nEVAL-who = \"source\"\n\
         [source::/other/...]\nEVAL-h = \"never\"\n");
    let e = engine(&[a], &["x"]).unwrap();
    assert_eq!(column(&e, "*", "who"), ["source"]);
    assert_eq!(column(&e, "*", "h"), ["host"]);
    assert_eq!(column(&e, "*", "st_only"), ["st"]);
}

#[test]
fn local_over_default_and_app_order() {
    let root = tmp();
    write(
        &root,
        "a_app/default/props.conf",
        "[st]\nEVAL-v = \"a default\"\nEVAL-only_a = \"a\"\n",
    );
    write(
        &root,
        "a_app/local/props.conf",
        "[st]\nEVAL-v = \"a local\"\n",
    );
    write(
        &root,
        "b_app/default/props.conf",
        "[st]\nEVAL-w = \"b default\"\n",
    );
    write(&root, "a_app/default/props.conf.bak", "");
    write(
        &root,
        "c_app/default/props.conf",
        "[st]\nEVAL-w = \"c default\"\n",
    );
    let e = engine(std::slice::from_ref(&root), &["x"]).unwrap();
    assert_eq!(column(&e, "*", "v"), ["a local"]);
    // reverse lexicographic order: c_app beats b_app
    assert_eq!(column(&e, "*", "w"), ["c default"]);
    assert_eq!(column(&e, "*", "only_a"), ["a"]);
    // apps given one by one are ordered the same way
    let e = engine(&[root.join("c_app"), root.join("b_app")], &["x"]).unwrap();
    assert_eq!(column(&e, "*", "w"), ["c default"]);
}

#[test]
fn rename_sourcetype() {
    let a = app("[st]\nrename = renamed\nEVAL-k = \"applied\"\n");
    let e = engine(&[a], &["x"]).unwrap();
    assert_eq!(column(&e, "sourcetype=renamed", "k"), ["applied"]);
    assert_eq!(column(&e, "sourcetype=renamed", "_sourcetype"), ["st"]);
    assert_eq!(column(&e, "sourcetype=st", "k"), Vec::<String>::new());
}

#[test]
fn event_types_and_tags() {
    let root = tmp();
    write(&root, "default/props.conf", "[st]\n");
    write(
        &root,
        "default/eventtypes.conf",
        "[failed_login]\nsearch = action=failure user=*\npriority = 2\n\
         [any_login]\nsearch = action=*\npriority = 1\n\
         [failed_admin]\nsearch = eventtype=failed_login user=admin\n\
         [off]\nsearch = *\ndisabled = true\n",
    );
    write(
        &root,
        "default/tags.conf",
        "[eventtype=failed_login]\nauthentication = enabled\nfailure = enabled\n\
         [eventtype=any_login]\nauthentication = enabled\n\
         [user=admin]\nprivileged = enabled\nignored = disabled\n\
         [eventtype=failed%20thing]\nx = enabled\n",
    );
    let e = engine(
        &[root],
        &[
            "action=failure user=admin",
            "action=success user=bob",
            "nothing",
        ],
    )
    .unwrap();
    assert_eq!(
        column(&e, "*", "eventtype"),
        ["any_login|failed_login|failed_admin", "any_login", "-"]
    );
    assert_eq!(column(&e, "eventtype=failed_login", "user"), ["admin"]);
    assert_eq!(column(&e, "tag=authentication", "user"), ["admin", "bob"]);
    assert_eq!(column(&e, "tag::eventtype=failure", "user"), ["admin"]);
    assert_eq!(column(&e, "tag=privileged", "tag::user"), ["privileged"]);
    assert_eq!(
        column(&e, "user=admin", "tag"),
        ["authentication|failure|privileged"]
    );
}

#[test]
fn structured_events_get_knowledge_by_sourcetype() {
    let a = app("[st]\nFIELDALIAS-u = user AS account\nEVAL-n = len(user)\n");
    let meta = SourceMeta::new("main", "x.json", "st");
    let b = RecordBatch::try_new(
        Arc::new(Schema::new(vec![Field::new("user", DataType::Utf8, true)])),
        vec![Arc::new(StringArray::from(vec!["carol"])) as ArrayRef],
    )
    .unwrap();
    let e = Engine::builder(0.0)
        .add_events(meta, vec![b])
        .apps(&[a])
        .unwrap()
        .build();
    assert_eq!(column(&e, "account=carol", "n"), ["5"]);
}

fn err(apps: &[PathBuf]) -> String {
    match engine(apps, &["x"]) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn errors_name_file_line_and_key() {
    let a = app("[st]\nKV_MODE = none\nEXTRACT-bad = (?<x>[a-\n");
    let msg = err(&[a]);
    assert!(
        msg.contains("default/props.conf:3") && msg.contains("EXTRACT-bad"),
        "{msg}"
    );
    let b = app("[st]\n\nEVAL-x = 1 +\n");
    let msg = err(&[b]);
    assert!(
        msg.contains("props.conf:3") && msg.contains("EVAL-x"),
        "{msg}"
    );
    let c = app("[st]\nREPORT-x = nope\n");
    let msg = err(&[c]);
    assert!(
        msg.contains("props.conf:2") && msg.contains("nope"),
        "{msg}"
    );
    let d = tmp();
    write(
        &d,
        "default/eventtypes.conf",
        "[e]\nsearch = a | stats count\n",
    );
    let msg = err(&[d]);
    assert!(
        msg.contains("eventtypes.conf:2") && msg.contains("pipes"),
        "{msg}"
    );
    let f = tmp();
    write(&f, "default/tags.conf", "[user=a]\nt = yes\n");
    let msg = err(&[f]);
    assert!(msg.contains("tags.conf:2"), "{msg}");
    let g = app("[st]\nFIELDALIAS-x = a TO b\n");
    assert!(err(&[g]).contains("FIELDALIAS-x"));
}

mod lazy;
