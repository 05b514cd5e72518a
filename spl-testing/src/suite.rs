//! Running many test files: `.spltest` files and detection YAMLs found under
//! the given paths, with one report and the `N passed, M failed` summary that
//! `spl test` and the conformance test print.

use super::runner::{run_file, FileReport, RunOptions, SpltestError};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The results of every file of a run, in order.
#[derive(Debug, Default)]
pub struct SuiteReport {
    /// Each file with its report, or the error that stopped it (a malformed
    /// file, a missing path), which counts as one failure.
    pub files: Vec<(PathBuf, Result<FileReport, SpltestError>)>,
}

/// What a path holds.
fn is_detection_yaml(p: &Path) -> bool {
    p.extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("yml") || x.eq_ignore_ascii_case("yaml"))
}

/// Finds the test files under `path`: `.spltest` files, and detection YAMLs
/// (YAML files with both `search` and `tests`). A file named directly is
/// always returned, whatever its extension.
pub fn collect(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    if !path.is_dir() {
        if !path.exists() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{}: no such file or directory", path.display()),
            ));
        }
        return Ok(vec![path.to_path_buf()]);
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    let mut out = Vec::new();
    for p in entries {
        if p.is_dir() {
            out.extend(collect(&p)?);
        } else if p.extension().is_some_and(|x| x == "spltest")
            || (is_detection_yaml(&p) && super::detection::looks_like_detection(&p))
        {
            out.push(p);
        }
    }
    Ok(out)
}

/// Runs one file: a detection YAML or a `.spltest` file.
pub fn run_one(path: &Path, opts: &RunOptions) -> Result<FileReport, SpltestError> {
    if is_detection_yaml(path) {
        super::detection::run_detection(path, opts)
    } else {
        run_file(path, opts)
    }
}

/// Runs every test file under `paths` (all `.spltest` files under the
/// current directory when empty).
pub fn run_paths(paths: &[PathBuf], opts: &RunOptions) -> SuiteReport {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut report = SuiteReport::default();
    for p in paths {
        match collect(p) {
            Ok(files) => {
                for f in files {
                    // a panic outside any case (in a setup record) fails
                    // this file only
                    let r = super::runner::guard(|| run_one(&f, opts)).unwrap_or_else(|m| {
                        Err(SpltestError {
                            file: f.clone(),
                            line: 0,
                            message: m,
                        })
                    });
                    report.files.push((f, r));
                }
            }
            Err(e) => report.files.push((
                p.clone(),
                Err(SpltestError {
                    file: p.clone(),
                    line: 0,
                    message: e.to_string(),
                }),
            )),
        }
    }
    report
}

impl SuiteReport {
    /// Cases that passed.
    pub fn passed(&self) -> usize {
        self.files
            .iter()
            .filter_map(|(_, r)| r.as_ref().ok())
            .map(FileReport::passed)
            .sum()
    }

    /// Cases that failed, plus files that could not be run.
    pub fn failed(&self) -> usize {
        self.files
            .iter()
            .map(|(_, r)| r.as_ref().map_or(1, FileReport::failed))
            .sum()
    }

    /// Cases that were skipped.
    pub fn skipped(&self) -> usize {
        self.files
            .iter()
            .filter_map(|(_, r)| r.as_ref().ok())
            .map(FileReport::skipped)
            .sum()
    }

    /// `N passed, M failed`, plus `, K skipped` when any were.
    pub fn summary(&self) -> String {
        let mut s = format!("{} passed, {} failed", self.passed(), self.failed());
        let k = self.skipped();
        if k > 0 {
            let _ = write!(s, ", {k} skipped");
        }
        s
    }

    /// The failures (each with its location and diff), the skips with their
    /// reasons and the blessed records, ready to print.
    pub fn details(&self) -> String {
        let mut out = String::new();
        for (_, r) in &self.files {
            match r {
                Err(e) => {
                    let _ = writeln!(out, "FAIL {e}\n");
                }
                Ok(rep) => {
                    for c in &rep.cases {
                        if let Some(reason) = &c.skipped {
                            let _ = writeln!(out, "SKIP {}: {reason}", c.location);
                        } else if !c.passed {
                            let _ = writeln!(out, "FAIL {}\n{}", c.location, c.message);
                        }
                    }
                    for b in &rep.blessed {
                        let _ = writeln!(out, "blessed {b}");
                    }
                }
            }
        }
        out
    }
}
