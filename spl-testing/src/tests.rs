//! Unit tests of the `.spltest` machinery that span modules: format errors
//! with their lines, setup records, bless rewriting, detection helpers.

use super::format::{parse_file, CellText, RecordKind};
use super::runner::{run_file, RunOptions};
use super::setup::Setup;

fn scratch(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("spltest-unit-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(format!("{name}.spltest"));
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn format_errors_name_their_line() {
    let e = parse_file("now 0\n\nevents web\na | b\n1 | 2 | 3\n").unwrap_err();
    assert_eq!(
        (e.line, e.message.as_str()),
        (5, "expected 2 cells, found 3")
    );
    let e = parse_file("query\n| makeresults\n----\nx\n1 | 2\n").unwrap_err();
    assert_eq!(
        (e.line, e.message.as_str()),
        (5, "expected 1 cells, found 2")
    );
    let e = parse_file("query sideways\n| makeresults\n").unwrap_err();
    assert_eq!(e.line, 1);
    assert!(
        e.message.contains("expected rowsort or nosort"),
        "{}",
        e.message
    );
    assert_eq!(
        parse_file("frobnicate x\n").unwrap_err().message,
        "unknown record `frobnicate`"
    );
    assert_eq!(
        parse_file("data\n").unwrap_err().message,
        "expected a path after `data`"
    );
}

#[test]
fn one_line_records_parse() {
    let r = parse_file(
        "geoip x.mmdb\nlookups dir\nmacros m.conf\ninclude a.setup\nlookup t include=t.csv\n",
    )
    .unwrap();
    let kinds: Vec<_> = r.iter().map(|r| r.kind.clone()).collect();
    assert_eq!(
        kinds,
        vec![
            RecordKind::Geoip("x.mmdb".into()),
            RecordKind::LookupDir("dir".into()),
            RecordKind::MacroFile("m.conf".into()),
            RecordKind::Include("a.setup".into()),
            RecordKind::Lookup {
                name: "t".into(),
                csv: None,
                include: Some("t.csv".into())
            },
        ]
    );
}

#[test]
fn macro_signatures() {
    let mut s = Setup::new(0.0).unwrap();
    s.add_macro("m(a, b)", "x=$a$ y=$b$").unwrap();
    s.add_macro("plain", "index=x").unwrap();
    assert_eq!(
        s.add_macro("m(a", "x").unwrap_err(),
        "expected `)` to close `m(a`"
    );
    assert_eq!(
        s.add_macro("two words", "x").unwrap_err(),
        "expected a macro name, found `two words`"
    );
    let e = s.engine().unwrap();
    assert_eq!(
        e.expand("`m(1, 2)` `plain`").unwrap().text,
        "x=1 y=2 index=x"
    );
}

#[test]
fn lookup_names_cannot_escape_the_private_directory() {
    let mut s = Setup::new(0.0).unwrap();
    let dir = std::env::temp_dir();
    assert!(s.add_lookup(&dir, "../x", Some("a\n1\n"), None).is_err());
    assert!(s.add_lookup(&dir, "ok", Some(""), None).is_err());
}

#[test]
fn inline_table_types() {
    let b = super::setup::table_batch(
        &["_time".into(), "n:num".into(), "s".into(), "m:mv".into()],
        &[vec![
            CellText::Single("2024-01-01T00:00:00Z".into()),
            CellText::Single("1.5".into()),
            CellText::Single("7".into()),
            CellText::Single("x".into()),
        ]],
        false,
        0.0,
    )
    .unwrap();
    let types: Vec<String> = b
        .schema()
        .fields()
        .iter()
        .map(|f| format!("{}:{}", f.name(), f.data_type()))
        .collect();
    assert_eq!(types[0], "_time:Float64");
    assert_eq!(types[1], "n:Float64");
    assert_eq!(types[2], "s:Utf8");
    assert!(types[3].starts_with("m:List"), "{}", types[3]);
    let err = super::setup::table_batch(
        &["n:num".into()],
        &[vec![CellText::Single("abc".into())]],
        false,
        0.0,
    )
    .unwrap_err();
    assert_eq!(err, "expected a number or time in `n`, found `abc`");
}

#[test]
fn bless_rewrites_only_mismatched_blocks_and_lists_them() {
    let text = "now 2024-05-01T12:00:00Z\n\nquery\n| makeresults | eval a=1 | table a\n----\na\n2\n\nquery\n| makeresults | eval b=1 | table b\n----\nb\n1\n\nquery\n| makeresults | eval c=\"x\" | table c\n";
    let p = scratch("bless", text);
    let r = run_file(&p, &RunOptions::default()).unwrap();
    assert_eq!((r.passed(), r.failed()), (1, 2));
    let r = run_file(
        &p,
        &RunOptions {
            bless: true,
            ..Default::default()
        },
    )
    .unwrap();
    let loc = |l: usize| format!("{}:{l}", p.display());
    assert_eq!(r.blessed, vec![loc(3), loc(15)]);
    let blessed = std::fs::read_to_string(&p).unwrap();
    assert_eq!(blessed, text.replace("a\n2\n", "a\n1\n") + "----\nc\nx\n");
    let r = run_file(&p, &RunOptions::default()).unwrap();
    assert_eq!((r.passed(), r.failed()), (3, 0));
}

#[test]
fn errors_compare_code_then_rendering() {
    let text = "error spl::parse::unknown_command\n| makeresults | nosuch\n\nerror spl::eval::unknown_function\n| makeresults | nosuch\n\nerror spl::parse::unknown_command\n| makeresults\n";
    let p = scratch("errors", text);
    let r = run_file(&p, &RunOptions::default()).unwrap();
    let msgs: Vec<&str> = r.cases.iter().map(|c| c.message.as_str()).collect();
    assert_eq!(msgs[0], "");
    assert!(
        msgs[1].starts_with(
            "expected error spl::eval::unknown_function, found spl::parse::unknown_command"
        ),
        "{}",
        msgs[1]
    );
    assert_eq!(
        msgs[2],
        "expected error spl::parse::unknown_command, but the query succeeded"
    );
}

#[test]
fn include_rejects_queries_and_cycles() {
    let p = scratch("inc", "include q.setup\n");
    let dir = p.parent().unwrap();
    std::fs::write(dir.join("q.setup"), "query\n| makeresults\n").unwrap();
    let e = run_file(&p, &RunOptions::default()).unwrap_err();
    assert!(e.message.contains("setup records only"), "{e}");
    assert!(e.file.ends_with("q.setup"), "{e}");
    std::fs::write(dir.join("loop.setup"), "include loop.setup\n").unwrap();
    std::fs::write(&p, "include loop.setup\n").unwrap();
    let e = run_file(&p, &RunOptions::default()).unwrap_err();
    assert!(e.message.contains("nested includes"), "{e}");
}

/// A data source whose scan panics: stands in for an engine bug.
struct PanickingScan;

impl spl_engine::source::Scan for PanickingScan {
    fn scan(
        &self,
        _req: &spl_engine::source::ScanRequest,
    ) -> spl_engine::Result<spl_engine::source::BatchStream<'_>> {
        panic!("scan exploded")
    }
}

#[test]
fn a_panicking_case_fails_alone_with_its_message() {
    let mut setup = Setup::new(0.0).unwrap();
    setup.add_dataset(spl_engine::source::Dataset {
        meta: spl_engine::source::SourceMeta::new("main", "boom", "spltest"),
        kind: spl_engine::source::DataKind::Events,
        scan: std::sync::Arc::new(PanickingScan),
        datamodel: None,
    });
    let records = parse_file("query\nindex=main | stats count\n----\ncount\n0\n\nquery\n| makeresults | eval x=1 | table x\n----\nx\n1\n").unwrap();
    let mut results = Vec::new();
    for r in &records {
        results.push(super::runner::check_record(&mut setup, &r.kind).unwrap().0);
    }
    let msg = results[0].clone().unwrap_err();
    assert!(
        msg.starts_with("panicked: ") && msg.contains("scan exploded"),
        "{msg}"
    );
    // the next case runs on a fresh engine and passes
    assert_eq!(results[1], Ok(()));
}

#[test]
fn temp_dirs_are_unique_and_removed() {
    let a = super::setup::TempDir::new().unwrap();
    let b = super::setup::TempDir::new().unwrap();
    let (pa, pb) = (a.path().to_path_buf(), b.path().to_path_buf());
    assert_ne!(pa, pb);
    assert!(pa.is_dir());
    // not the old predictable `spltest-<pid>-<n>` name
    let name = pa.file_name().unwrap().to_string_lossy().into_owned();
    assert!(!name.contains(&std::process::id().to_string()), "{name}");
    drop(a);
    drop(b);
    assert!(!pa.exists() && !pb.exists());
}

#[test]
fn a_panic_inside_a_file_run_drops_its_temp_dir() {
    let mut setup = Setup::new(0.0).unwrap();
    let dir = setup.temp_path().to_path_buf();
    setup.add_dataset(spl_engine::source::Dataset {
        meta: spl_engine::source::SourceMeta::new("main", "boom", "spltest"),
        kind: spl_engine::source::DataKind::Events,
        scan: std::sync::Arc::new(PanickingScan),
        datamodel: None,
    });
    let r = super::runner::guard(move || {
        let e = setup.engine().unwrap();
        e.run("index=main").map(|_| ())
    });
    assert!(r.unwrap_err().contains("scan exploded"));
    assert!(!dir.exists());
}
