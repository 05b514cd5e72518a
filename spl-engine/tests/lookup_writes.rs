//! Lookup writes (issue 15): atomic replacement, no symlink following, one
//! complete file from concurrent writers, what a failed search leaves, and
//! definitions whose `filename` is a path.
#![allow(clippy::unwrap_used)] // tests may unwrap, helpers included

mod ingest_common;
use ingest_common::scratch;

use spl_engine::lookup::LookupRegistry;
use spl_engine::Engine;
use std::path::Path;

fn engine(dir: &Path) -> Engine {
    Engine::builder(1_700_000_000.0)
        .lookup_dirs(vec![dir.to_path_buf()])
        .build()
}

/// The data lines of a lookup file, checking that every line is whole.
fn rows(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(!text.contains('\0'), "NUL bytes in {text:?}");
    text.lines().skip(1).map(str::to_string).collect()
}

#[cfg(unix)]
#[test]
fn a_symlink_at_the_old_fixed_temp_name_is_not_followed() {
    let dir = scratch("lw-symlink");
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "precious\n").unwrap();
    // The name the writer used to use for its temporary file.
    std::os::unix::fs::symlink(&victim, dir.join("t.csv.spl-tmp")).unwrap();
    engine(&dir)
        .run("| makeresults count=3 | streamstats count as n | table n | outputlookup t.csv")
        .unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    assert_eq!(rows(&dir.join("t.csv")), ["1", "2", "3"]);
    // nothing but the victim, the planted link and the lookup is left behind
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["t.csv", "t.csv.spl-tmp", "victim.txt"]);
}

#[test]
fn concurrent_writers_of_one_lookup_leave_one_complete_file() {
    let dir = scratch("lw-concurrent");
    let threads: Vec<_> = (0..6)
        .map(|i| {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let e = engine(&dir);
                for _ in 0..5 {
                    e.run(&format!(
                        "| makeresults count=2000 | streamstats count as n | eval w={i} | table w n | outputlookup shared.csv"
                    ))
                    .unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let r = rows(&dir.join("shared.csv"));
    assert_eq!(r.len(), 2000);
    let w = r[0].split(',').next().unwrap().to_string();
    for (k, line) in r.iter().enumerate() {
        assert_eq!(line, &format!("{w},{}", k + 1));
    }
}

#[test]
fn concurrent_appends_lose_no_rows() {
    let dir = scratch("lw-append");
    let threads: Vec<_> = (0..4)
        .map(|i| {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let e = engine(&dir);
                for j in 0..5 {
                    e.run(&format!(
                        "| makeresults | eval w={i}, j={j} | table w j | outputlookup append=true log.csv"
                    ))
                    .unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let mut r = rows(&dir.join("log.csv"));
    r.sort();
    let mut want: Vec<String> = (0..4)
        .flat_map(|i| (0..5).map(move |j| format!("{i},{j}")))
        .collect();
    want.sort();
    assert_eq!(r, want);
}

/// Splunk writes the lookup when `outputlookup` runs; a command failing
/// later does not undo it. We do the same (docs/compat-notes/lookup-writes.md):
/// the file holds exactly the rows `outputlookup` received, never a part.
#[test]
fn a_search_failing_after_outputlookup_keeps_the_written_lookup() {
    let dir = scratch("lw-failed");
    std::fs::write(dir.join("t.csv"), "n\nold\n").unwrap();
    let err = engine(&dir)
        .run("| makeresults count=2 | streamstats count as n | table n | outputlookup t.csv | eval x=printf(\"%.70000f\", 1)")
        .unwrap_err();
    assert!(err.to_string().contains("70000"), "{err}");
    assert_eq!(rows(&dir.join("t.csv")), ["1", "2"]);
    // A search failing before outputlookup finishes leaves the old file.
    let err = engine(&dir)
        .run("| makeresults count=2 | eval x=printf(\"%.70000f\", 1) | outputlookup t.csv")
        .unwrap_err();
    assert!(err.to_string().contains("70000"), "{err}");
    assert_eq!(rows(&dir.join("t.csv")), ["1", "2"]);
}

#[test]
fn a_definition_filename_with_a_path_is_an_error() {
    let dir = scratch("lw-pathname");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("sub/hosts.csv"), "host\na\n").unwrap();
    std::fs::write(
        dir.join("transforms.conf"),
        "[hosts_conf]\nfilename = sub/hosts.csv\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("d.yml"),
        "name: hosts_yml\nfilename: ../hosts.csv\n",
    )
    .unwrap();
    let reg = LookupRegistry::new(vec![dir.clone()]);
    for name in ["hosts_conf", "hosts_yml"] {
        let err = reg.resolve(name).unwrap_err();
        assert!(err.is_data_error(), "{err}");
        let m = err.to_string();
        assert!(m.contains("expected a bare file name"), "{m}");
        assert!(m.contains(name), "{m}");
        assert!(reg.write(name, &[], false).is_err());
    }
    // a bare file name still works
    std::fs::write(
        dir.join("transforms.conf"),
        "[hosts_conf]\nfilename = hosts.csv\n",
    )
    .unwrap();
    std::fs::write(dir.join("hosts.csv"), "host\na\n").unwrap();
    let reg = LookupRegistry::new(vec![dir]);
    assert_eq!(reg.resolve("hosts_conf").unwrap().unwrap().num_rows(), 1);
}
