//! `MacroSet::load_path` over the fixture formats.

use spl_parser::macros::{expand, MacroSet};
use spl_parser::ParseError;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/macros")
        .join(rel)
}

fn exp(q: &str, s: &MacroSet) -> String {
    expand(q, s).unwrap_or_else(|e| panic!("{q:?}: {e}")).text
}

fn load_error(p: &Path) -> (String, Option<usize>, String) {
    match MacroSet::new().load_path(p) {
        Err(ParseError::MacroLoad {
            location,
            line,
            message,
            ..
        }) => (location, line, message),
        other => panic!("{}: unexpected {other:?}", p.display()),
    }
}

/// A scratch directory unique to this test process and name.
fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("spl-macros-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch dir");
    d
}

#[test]
fn macros_load_security_content_directory() {
    let mut s = MacroSet::new();
    let n = s.load_path(&fixture("security_content")).unwrap();
    assert_eq!(n, 5);
    assert_eq!(s.len(), 5);
    assert_eq!(
        exp("`kube_audit` verb=create", &s),
        "source=\"kubernetes\" verb=create"
    );
    assert_eq!(
        exp("| `security_content_ctime(firstTime)`", &s),
        "| convert timeformat=\"%Y-%m-%dT%H:%M:%S\" ctime(firstTime)"
    );
    let d = s.get("security_content_ctime", 1).unwrap();
    assert_eq!(d.args, ["field"]);
    assert!(
        d.origin.ends_with("security_content_ctime.yml"),
        "{}",
        d.origin
    );
}

#[test]
fn macros_load_nested_undefined_names_the_chain() {
    let mut s = MacroSet::new();
    s.load_path(&fixture("security_content")).unwrap();
    let q = "| tstats `security_content_summariesonly` count from datamodel=Endpoint";
    match expand(q, &s) {
        Err(ParseError::MacroUndefined { name, span, help }) => {
            assert_eq!(name, "oldsummaries_config");
            assert_eq!(&q[span.range()], "`security_content_summariesonly`");
            let help = help.unwrap();
            assert!(help.contains("`security_content_summariesonly`"), "{help}");
            assert!(
                help.contains("security_content_summariesonly.yml"),
                "{help}"
            );
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn macros_load_single_yaml_file() {
    let mut s = MacroSet::new();
    let n = s
        .load_path(&fixture("security_content/kubernetes_metrics.yml"))
        .unwrap();
    assert_eq!(n, 1);
    assert_eq!(
        exp("| mstats avg(x) where `kubernetes_metrics`", &s),
        "| mstats avg(x) where index=kubernetes_metrics"
    );
}

#[test]
fn macros_load_macros_conf() {
    let mut s = MacroSet::new();
    let n = s.load_path(&fixture("macros.conf")).unwrap();
    assert_eq!(n, 5, "[default] defines nothing");
    assert_eq!(exp("`by_index`", &s), "index=main");
    assert_eq!(
        exp("`by_index(web, access)`", &s),
        "index=web sourcetype=access"
    );
    assert_eq!(
        exp("x | `top_talkers(src)`", &s),
        "x | stats count BY src \n| sort - count \n| head 10"
    );
    assert_eq!(exp("`quoted_index(web)`", &s), "index=web");
    let d = s.get("by_index", 2).unwrap();
    assert_eq!(d.validation.as_deref(), Some("isnotnull($idx$)"));
    assert_eq!(d.errormsg.as_deref(), Some("idx is required"));
    assert!(d.origin.ends_with("macros.conf:15"), "{}", d.origin);
    assert!(s.get("quoted_index", 1).unwrap().iseval);
}

#[test]
fn macros_load_corpus_jsonl() {
    let mut s = MacroSet::new();
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/macros.jsonl");
    assert_eq!(s.load_path(&p).unwrap(), 189);
    assert_eq!(s.get("base64decode", 1).unwrap().args, ["b64in"]);
    assert!(s.get("security_content_summariesonly", 0).is_some());
    assert!(s
        .get("security_content_ctime", 1)
        .unwrap()
        .origin
        .contains("macros.jsonl:"));
}

#[test]
fn macros_load_user_definitions_override_bundled() {
    let dir = scratch("override");
    let conf = dir.join("macros.conf");
    std::fs::write(
        &conf,
        "[drop_dm_object_name(1)]\nargs = object\ndefinition = rename $object$.* AS *, $object$ AS obj\n",
    )
    .unwrap();
    let mut s = MacroSet::with_bundled();
    let before = s.len();
    s.load_path(&conf).unwrap();
    assert_eq!(s.len(), before);
    assert_eq!(
        exp("`drop_dm_object_name(X)`", &s),
        "rename X.* AS *, X AS obj"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn macros_load_sniffs_unknown_extensions() {
    let dir = scratch("sniff");
    let j = dir.join("defs.txt");
    std::fs::write(&j, "{\"name\":\"a\",\"definition\":\"A\",\"args\":[]}\n").unwrap();
    let c = dir.join("defs.cfg");
    std::fs::write(&c, "[b]\ndefinition = B\n").unwrap();
    let y = dir.join("defs");
    std::fs::write(&y, "name: c\ndefinition: C\n").unwrap();
    let mut s = MacroSet::new();
    for p in [&j, &c, &y] {
        assert_eq!(s.load_path(p).unwrap(), 1, "{}", p.display());
    }
    assert_eq!(exp("`a` `b` `c`", &s), "A B C");
    let bad = dir.join("notes.txt");
    std::fs::write(&bad, "just some words\n").unwrap();
    let (_, _, msg) = load_error(&bad);
    assert!(msg.starts_with("expected a macros directory"), "{msg}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn macros_load_errors_name_file_and_line() {
    let (loc, line, msg) = load_error(&fixture("does-not-exist.conf"));
    assert!(loc.ends_with("does-not-exist.conf"), "{loc}");
    assert_eq!(line, None);
    assert!(msg.contains("no such file"), "{msg}");

    let dir = scratch("errors");
    let conf = dir.join("macros.conf");
    std::fs::write(
        &conf,
        "[ok]\ndefinition = x\n\n[bad(2)]\nargs = a\ndefinition = $a$\n",
    )
    .unwrap();
    let (loc, line, msg) = load_error(&conf);
    assert_eq!(line, Some(5));
    assert!(loc.ends_with("macros.conf:5"), "{loc}");
    assert!(msg.contains("expects 2"), "{msg}");

    let jsonl = dir.join("m.jsonl");
    std::fs::write(&jsonl, "{\"name\":\"a\",\"definition\":\"x\"}\n{not json\n").unwrap();
    let (_, line, _) = load_error(&jsonl);
    assert_eq!(line, Some(2));

    let yml = dir.join("m.yml");
    std::fs::write(&yml, "name: a\ndefinition: x\narguments: {not: a list}\n").unwrap();
    let (_, line, _) = load_error(&yml);
    assert_eq!(line, Some(3));

    let empty = scratch("empty-dir");
    let (_, _, msg) = load_error(&empty);
    assert!(msg.contains("found none"), "{msg}");

    let bin = dir.join("bin.conf");
    std::fs::write(&bin, b"[a]\ndefinition = \xff\xfe\n").unwrap();
    let (_, line, msg) = load_error(&bin);
    assert_eq!(line, Some(2));
    assert!(msg.contains("utf-8"), "{msg}");
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_dir_all(&empty).unwrap();
}

#[test]
fn macros_load_error_codes() {
    let err = MacroSet::new()
        .load_path(&fixture("missing.yml"))
        .unwrap_err();
    let code = miette::Diagnostic::code(&err).unwrap().to_string();
    assert_eq!(code, "spl::macro::load");
    assert!(err.to_string().starts_with("cannot load macros from "));
}
