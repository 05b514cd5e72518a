//! Issue 15, "Lookup writes": files written by `spl` (`outputlookup`,
//! `run --output`, `test --bless`) are replaced atomically and exclusively,
//! and `spl test` survives a bad case with its summary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
mod common;

fn spl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spl"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("spl: {e}"))
}

fn scratch(name: &str) -> PathBuf {
    common::scratch(&format!("spl-cli-lw-{name}"))
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|e| {
            e.unwrap_or_else(|e| panic!("{e}"))
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    v.sort();
    v
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn concurrent_processes_writing_one_lookup_leave_one_complete_file() {
    let dir = scratch("procs");
    let d = dir.display().to_string();
    let children: Vec<_> = (0..4)
        .map(|i| {
            let q = format!("| makeresults count=20000 | streamstats count as n | eval w={i} | table w n | outputlookup shared.csv | stats count");
            Command::new(env!("CARGO_BIN_EXE_spl"))
                .args(["run", "--lookups", &d, &q])
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("spl: {e}"))
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap_or_else(|e| panic!("{e}")).success());
    }
    let text = read(&dir.join("shared.csv"));
    assert!(!text.contains('\0'));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 20_001);
    assert_eq!(lines[0], "w,n");
    let w = lines[1].split(',').next().unwrap_or_default();
    for (k, l) in lines[1..].iter().enumerate() {
        assert_eq!(*l, format!("{w},{}", k + 1));
    }
    // no temporary or lock file is left behind
    assert_eq!(names(&dir), ["shared.csv"]);
}

#[test]
fn output_replaces_the_file_atomically_and_writes_through_devices() {
    let dir = scratch("output");
    let out = dir.join("out.csv");
    std::fs::write(&out, "old\n").unwrap_or_else(|e| panic!("{e}"));
    let o = spl(&[
        "run",
        "--format",
        "csv",
        "--output",
        &out.display().to_string(),
        "| makeresults count=2 | streamstats count as n | table n",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(read(&out), "n\n1\n2\n");
    assert_eq!(names(&dir), ["out.csv"]);
    // a failing search leaves the old output alone
    let o = spl(&[
        "run",
        "--output",
        &out.display().to_string(),
        "| makeresults | eval x=printf(\"%.70000f\", 1)",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(read(&out), "n\n1\n2\n");
    // a device is written to, not replaced
    #[cfg(unix)]
    {
        let o = spl(&["run", "--output", "/dev/null", "| makeresults"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(Path::new("/dev/null").exists());
    }
}

#[test]
fn bless_rewrites_atomically_without_leftovers() {
    let dir = scratch("bless");
    let f = dir.join("b.spltest");
    std::fs::write(
        &f,
        "query\n| makeresults | eval x=1 | table x\n----\nx\n2\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let o = spl(&["test", "--bless", &f.display().to_string()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        read(&f),
        "query\n| makeresults | eval x=1 | table x\n----\nx\n1\n"
    );
    assert_eq!(names(&dir), ["b.spltest"]);
}

#[test]
fn a_lookup_definition_whose_filename_is_a_path_is_an_error() {
    let dir = scratch("pathdef");
    std::fs::create_dir_all(dir.join("sub")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("sub/h.csv"), "host\na\n").unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.join("transforms.conf"),
        "[hosts]\nfilename = sub/h.csv\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let o = spl(&[
        "run",
        "--lookups",
        &dir.display().to_string(),
        "| inputlookup hosts",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}"); // a data error
    assert!(err.contains("expected a bare file name"), "{err}");
}
