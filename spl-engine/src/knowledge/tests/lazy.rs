//! Knowledge applied lazily: a search reads and makes only what it needs,
//! with the same results as applying everything.

use super::{app, column, engine, events, write};
use crate::context::EventKnowledge;
use crate::knowledge::Knowledge;
use crate::operator::demand::FieldSet;
use crate::session::Engine;
use crate::source::SourceMeta;

fn set(names: &[&str]) -> FieldSet {
    FieldSet::Named(names.iter().map(|s| s.to_string()).collect())
}

fn key(st: &str) -> [String; 3] {
    [st.into(), "/var/log/app.log".into(), "web01".into()]
}

fn reads(k: &Knowledge, wanted: &[&str], st: Option<&str>) -> Vec<String> {
    match k.reads(&set(wanted), st.map(key).as_ref(), false).unwrap() {
        FieldSet::All => vec!["*".into()],
        FieldSet::Named(n) => n,
    }
}

const PROPS: &str = "[st]\n\
    KV_MODE = none\n\
    EXTRACT-a = (?<a>\\d+) in src\n\
    EXTRACT-b = (?<b>x)\n\
    FIELDALIAS-c = a AS c\n\
    EVAL-d = e + 1\n\
    LOOKUP-l = users uid OUTPUT name\n\
    [auto]\n\
    EVAL-f = g\n";

#[test]
fn reads_only_what_makes_the_wanted_fields() {
    let a = app(PROPS);
    let k = Knowledge::load(&[a], false).unwrap();
    let r = reads(&k, &["c"], Some("st"));
    for f in ["c", "a", "src", "sourcetype", "source", "host"] {
        assert!(r.iter().any(|x| x == f), "{f} in {r:?}");
    }
    assert!(!r.iter().any(|x| x == "_raw"), "{r:?}");
    assert!(reads(&k, &["d"], Some("st")).contains(&"e".to_string()));
    assert!(!reads(&k, &["d"], Some("st")).contains(&"src".to_string()));
    assert!(reads(&k, &["name"], Some("st")).contains(&"uid".to_string()));
    assert!(reads(&k, &["b"], Some("st")).contains(&"_raw".to_string()));
    // nothing makes `zzz` when automatic extraction is off
    assert_eq!(
        reads(&k, &["zzz"], Some("st")),
        ["zzz", "sourcetype", "source", "host"]
    );
    // KV_MODE=auto (the default) may make any field from _raw, but never
    // the fields every event already has
    assert!(reads(&k, &["zzz"], Some("auto")).contains(&"_raw".to_string()));
    assert!(!reads(&k, &["_time", "index"], Some("auto")).contains(&"_raw".to_string()));
    // without a key every stanza may apply
    let any = reads(&k, &["c", "f"], None);
    for f in ["a", "src", "g", "_raw"] {
        assert!(any.iter().any(|x| x == f), "{f} in {any:?}");
    }
    assert_eq!(reads(&k, &[], None), ["sourcetype", "source", "host"]);
    // a reader that extracted every field of _raw (JSON) leaves automatic
    // extraction nothing to add
    let FieldSet::Named(json) = k.reads(&set(&["zzz"]), None, true).unwrap() else {
        panic!("all")
    };
    assert!(!json.iter().any(|x| x == "_raw"), "{json:?}");
    assert!(matches!(
        k.reads(&FieldSet::All, None, false).unwrap(),
        FieldSet::All
    ));
}

#[test]
fn event_types_and_tags_are_read_only_when_wanted() {
    let a = app("[st]\nKV_MODE = none\n");
    write(&a, "default/eventtypes.conf", "[et]\nsearch = code=5\n");
    write(&a, "default/tags.conf", "[host=web01]\nweb = enabled\n");
    let k = Knowledge::load(&[a], false).unwrap();
    let r = reads(&k, &["eventtype"], Some("st"));
    assert!(r.iter().any(|x| x == "code"), "{r:?}");
    assert!(reads(&k, &["tag::host"], Some("st")).contains(&"code".to_string()));
    assert!(reads(&k, &["tag*"], Some("st")).contains(&"code".to_string()));
    assert!(!reads(&k, &["x"], Some("st")).contains(&"code".to_string()));
}

#[test]
fn may_set_names_the_default_fields_knowledge_can_change() {
    let a = app("[st]\nEVAL-index = \"other\"\nFIELDALIAS-h = x AS host\n");
    let k = Knowledge::load(&[a], false).unwrap();
    assert!(k.may_set("index"));
    assert!(k.may_set("host"));
    assert!(!k.may_set("source"));
    let b = app("[st]\nrename = new\n");
    let k = Knowledge::load(&[b], false).unwrap();
    assert!(k.may_set("sourcetype"));
    assert!(!k.may_set("index"));
}

#[test]
fn a_dataset_is_not_skipped_on_a_field_knowledge_sets() {
    let a = app("[st]\nEVAL-index = \"other\"\n");
    let e = engine(&[a], &["x=1", "x=2"]).unwrap();
    assert_eq!(column(&e, "index=other | stats count", "count"), ["2"]);
    let plain = engine(&[], &["x=1", "x=2"]).unwrap();
    assert_eq!(column(&plain, "index=other | stats count", "count"), ["0"]);
}

#[test]
fn narrow_and_full_demand_agree() {
    let a = app(PROPS);
    write(&a, "lookups/users.csv", "uid,name\n7,ann\n");
    let raws = ["x 7 src=1 uid=7", "y 8 uid=8"];
    let e = engine(&[a], &raws).unwrap();
    let narrow = column(&e, "* | stats count by b", "b");
    let full = column(&e, "* | table * | stats count by b", "b");
    assert_eq!(narrow, full);
    assert_eq!(narrow, ["x"]);
}

fn raw_engine(b: crate::session::EngineBuilder) -> Engine {
    let meta = SourceMeta::new("main", "/var/log/app.log", "kvlog");
    b.add_events(
        meta,
        vec![events(&["login user=bob ok", "login user=eve ok"])],
    )
    .build()
}

#[test]
fn the_default_app_applies_unless_turned_off() {
    // Splunk's default KV_MODE=auto without any --apps
    let e = raw_engine(Engine::builder(2000.0));
    assert_eq!(column(&e, "user=bob | stats count", "count"), ["1"]);
    assert_eq!(
        column(&e, "* | stats count by user", "user"),
        ["bob", "eve"]
    );
    let off = raw_engine(Engine::builder(2000.0).no_default_apps().unwrap());
    assert_eq!(column(&off, "user=bob | stats count", "count"), ["0"]);
    // a user's app turns it off for its sourcetype, above the default app
    let a = app("[kvlog]\nKV_MODE = none\n");
    let mine = raw_engine(Engine::builder(2000.0).apps(&[a]).unwrap());
    assert_eq!(column(&mine, "user=bob | stats count", "count"), ["0"]);
}

#[test]
fn json_events_get_no_second_extraction_from_raw() {
    // every key of a JSON object is a field when read (INDEXED_EXTRACTIONS);
    // automatic extraction adds no `user=bob` found inside a string value,
    // however much of the event the search needs
    let dir = super::tmp();
    let p = dir.join("e.jsonl");
    std::fs::write(
        &p,
        "{\"time\":\"2024-05-01T00:00:00Z\",\"msg\":\"user=bob\",\"a\":1}\n",
    )
    .unwrap();
    let mut spec = crate::source::DataSpec::new(&p);
    spec.sourcetype = Some("myjson".into());
    let e = Engine::builder(2000.0).add_data(&spec).unwrap().build();
    assert_eq!(column(&e, "* | stats count by a", "a"), ["1"]);
    assert_eq!(column(&e, "* | table *", "user"), ["-"]);
    assert_eq!(column(&e, "user=bob | stats count", "count"), ["0"]);
    // the same text as a raw event is extracted
    let q = dir.join("e.log");
    std::fs::write(&q, "2024-05-01T00:00:00Z msg user=bob\n").unwrap();
    let mut spec = crate::source::DataSpec::new(&q);
    spec.sourcetype = Some("mylog".into());
    let e = Engine::builder(2000.0).add_data(&spec).unwrap().build();
    assert_eq!(column(&e, "user=bob | stats count", "count"), ["1"]);
}

/// A transform whose field names come from the text may make any field, but
/// with `CLEAN_KEYS` (the default) never one starting with `_`, and without
/// `MV_ADD` never one every event has (`_time`, `index`, `host`...: an
/// extracted value does not replace a value); the plan's key (sourcetype,
/// source, host) is read, not made. So `index=x | stats count`, which wants
/// `_time` and `index`, runs neither it nor the extraction feeding it (the
/// XML event logs of the default app were 6x slower than without it).
#[test]
fn dynamic_names_run_only_for_names_they_can_make() {
    // (transform settings, wanted fields, whether the transform runs)
    let cases: [(&str, &[&str], bool); 10] = [
        ("", &["_time", "index"], false),
        ("", &["_foo"], false),
        ("", &["_*"], false),
        ("", &["zzz"], true),
        ("", &["z*"], true),
        ("", &["_time", "index", "zzz"], true),
        ("CLEAN_KEYS = false\n", &["_time", "index", "host"], false),
        ("CLEAN_KEYS = false\n", &["_foo"], true),
        ("MV_ADD = true\n", &["index"], true),
        ("MV_ADD = true\nCLEAN_KEYS = false\n", &["_time"], true),
    ];
    for (settings, wanted, runs) in cases {
        let a = app("[st]\nKV_MODE = none\nEXTRACT-s = <s>(?<S>.*)</s>\nREPORT-p = pairs\n");
        write(
            &a,
            "default/transforms.conf",
            &format!("[pairs]\nSOURCE_KEY = S\nREGEX = (\\w+)=(\\w+)\nFORMAT = $1::$2\n{settings}"),
        );
        let k = Knowledge::load(&[a], false).unwrap();
        let r = reads(&k, wanted, Some("st"));
        assert_eq!(
            r.contains(&"S".to_string()),
            runs,
            "{settings} {wanted:?}: {r:?}"
        );
        assert_eq!(
            r.contains(&"_raw".to_string()),
            runs,
            "{settings} {wanted:?}: {r:?}"
        );
    }
}
