//! Where a `--data` path's bytes come from: a plain file is read in place; a
//! gzip-compressed file (by its magic bytes), standard input (`-`,
//! `/dev/stdin`) and any other stream (a named pipe) are read once into a
//! private temporary file, which the readers then open and seek like any
//! file, and which is removed when the dataset is dropped; a directory
//! stands for every file under it, in sorted order, as a monitor input reads
//! them.

use super::{BatchStream, Scan, ScanRequest, TimeSpan};
use crate::error::{EngineError, Result};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A private temporary directory, removed on drop: `TMPDIR/spl-input-<pid>-<16
/// random hex>`, created exclusively with mode 0700
/// ([`crate::atomic_file::create_unique_dir`]), so its name cannot be
/// guessed and a planted directory or symlink is never used. A process
/// killed by SIGKILL cannot remove it; the next spool of any `spl` process
/// of the same user removes such leftovers (Linux: the pid in the name no
/// longer runs and the directory is older than [`STALE_SPOOL`]).
#[derive(Debug)]
pub(crate) struct TempDir(PathBuf);

/// Prefix of spool directories.
const SPOOL_PREFIX: &str = "spl-input";

/// Age after which a spool directory of a process that no longer runs is
/// taken for a killed run's leftover (not a live one in another pid
/// namespace that shares the temporary directory).
const STALE_SPOOL: std::time::Duration = std::time::Duration::from_secs(10 * 60);

impl TempDir {
    fn new() -> std::io::Result<TempDir> {
        let parent = std::env::temp_dir();
        let prefix = format!("{SPOOL_PREFIX}-{}", std::process::id());
        let dir = crate::atomic_file::create_unique_dir(&parent, &prefix)?;
        static SWEPT: std::sync::Once = std::sync::Once::new();
        SWEPT.call_once(|| sweep_leftovers(&parent, &dir));
        Ok(TempDir(dir))
    }
}

/// Removes spool directories that killed runs left in `parent`: only
/// directories (not symlinks) named `spl-input-<pid>-...` whose process is
/// gone, older than [`STALE_SPOOL`], and owned by the owner of `ours` (the
/// directory just made). Best effort: anything unreadable is left alone.
#[cfg(target_os = "linux")]
fn sweep_leftovers(parent: &Path, ours: &Path) {
    use std::os::unix::fs::MetadataExt;
    let Ok(me) = std::fs::symlink_metadata(ours).map(|m| m.uid()) else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(SPOOL_PREFIX))
            .and_then(|n| n.strip_prefix('-'))
            .and_then(|n| n.split('-').next())
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == std::process::id() || Path::new("/proc").join(pid.to_string()).exists() {
            continue;
        }
        let Ok(meta) = std::fs::symlink_metadata(entry.path()) else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_SPOOL);
        if meta.is_dir() && meta.uid() == me && old {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn sweep_leftovers(_parent: &Path, _ours: &Path) {}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A file ready for the readers.
pub(crate) struct Input {
    /// The file to open: the original, or a temporary copy named as the
    /// original without `.gz` (its extension still tells the format).
    pub path: PathBuf,
    /// Modification time of the original (epoch seconds), when known.
    pub mtime: Option<f64>,
    /// Keeps a temporary copy alive.
    pub keep: Option<Arc<TempDir>>,
}

/// Whether a path names standard input.
pub(crate) fn is_stdin(path: &Path) -> bool {
    path == Path::new("-") || path == Path::new("/dev/stdin")
}

fn io_err(display: &str) -> impl Fn(std::io::Error) -> EngineError + '_ {
    move |source| EngineError::Io {
        path: display.to_string(),
        source,
    }
}

/// Copies a stream into a new temporary file named `name`, decompressing
/// gzip when it starts with gzip's magic bytes. At most `max_bytes` are
/// copied (`max_stream_bytes`), and a stream whose first bytes are binary
/// data in no format read (not Parquet) is refused at once: `/dev/zero` or
/// a decompression bomb must not fill the disk before the format is known.
fn spool(
    mut src: impl Read,
    name: &Path,
    display: &str,
    max_bytes: u64,
) -> Result<(PathBuf, Arc<TempDir>)> {
    let io = io_err(display);
    let dir = TempDir::new().map_err(&io)?;
    let file_name = name
        .file_name()
        .map_or_else(|| "input".into(), |n| n.to_os_string());
    let target = dir.0.join(file_name);
    let mut out = std::fs::File::create(&target).map_err(&io)?;
    let mut head = [0u8; 2];
    let mut got = 0;
    while got < 2 {
        let n = src
            .read(head.get_mut(got..).unwrap_or_default())
            .map_err(&io)?;
        if n == 0 {
            break;
        }
        got += n;
    }
    let head = head.get(..got).unwrap_or_default();
    let chained = head.chain(src);
    if head == GZIP_MAGIC {
        let mut gz = flate2::read::MultiGzDecoder::new(chained);
        copy_bounded(&mut gz, &mut out, display, max_bytes).map_err(|e| match e {
            Copy::Read(e) => EngineError::data(
                display,
                None,
                None,
                format!("expected gzip-compressed data, found an error: {e}"),
            ),
            Copy::Other(e) => e,
        })?;
    } else {
        let mut plain = chained;
        copy_bounded(&mut plain, &mut out, display, max_bytes).map_err(|e| match e {
            Copy::Read(e) => io(e),
            Copy::Other(e) => e,
        })?;
    }
    Ok((target, Arc::new(dir)))
}

/// Why [`copy_bounded`] stopped.
enum Copy {
    /// Reading the source failed (for gzip: the data is not gzip).
    Read(std::io::Error),
    /// Writing, the limit, or binary data.
    Other(EngineError),
}

/// Bytes of a stream's start checked for binary data.
const SNIFF: usize = 64 << 10;

/// Copies `src` to `out`, refusing more than `max_bytes` and a start that is
/// binary data (Parquet, which starts with `PAR1`, excepted).
fn copy_bounded(
    src: &mut impl Read,
    out: &mut std::fs::File,
    display: &str,
    max_bytes: u64,
) -> std::result::Result<(), Copy> {
    use std::io::Write;
    let mut buf = vec![0u8; 1 << 20];
    let mut total: u64 = 0;
    let mut head: Vec<u8> = Vec::new();
    let mut checked = false;
    loop {
        let n = match src.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Copy::Read(e)),
        };
        let chunk = buf.get(..n).unwrap_or_default();
        if !checked {
            head.extend_from_slice(
                chunk
                    .get(..SNIFF.saturating_sub(head.len()).min(n))
                    .unwrap_or_default(),
            );
            if head.len() >= SNIFF {
                checked = true;
                refuse_binary(&head, display)?;
            }
        }
        total += n as u64;
        if total > max_bytes {
            return Err(Copy::Other(crate::limits::data_exceeded(
                display,
                None,
                "max_stream_bytes",
                max_bytes,
                format!("the stream holds more than {max_bytes} bytes"),
            )));
        }
        out.write_all(chunk).map_err(|e| {
            Copy::Other(EngineError::Io {
                path: display.to_string(),
                source: e,
            })
        })?;
    }
    if !checked {
        refuse_binary(&head, display)?;
    }
    Ok(())
}

/// NUL bytes in a stream's start that is not Parquet: binary data no
/// reader takes (the full check, invalid UTF-8 included, comes with the
/// format; this one only stops what can never be text before it is copied).
fn refuse_binary(head: &[u8], display: &str) -> std::result::Result<(), Copy> {
    if head.starts_with(b"PAR1") || !head.contains(&0) {
        return Ok(());
    }
    match super::spec::binary_data(display, head) {
        Some(e) => Err(Copy::Other(e)),
        None => Ok(()),
    }
}

const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];

/// Prepares one file (not a directory) for reading.
pub(crate) fn prepare(path: &Path, display: &str, limits: &crate::limits::Limits) -> Result<Input> {
    let io = io_err(display);
    if is_stdin(path) {
        let (p, keep) = spool(
            std::io::stdin().lock(),
            Path::new("stdin"),
            display,
            limits.max_stream_bytes,
        )?;
        return Ok(Input {
            path: p,
            mtime: None,
            keep: Some(keep),
        });
    }
    let meta = std::fs::metadata(path).map_err(&io)?;
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs_f64());
    let gz_name = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
        .then(|| path.with_extension(""));
    let mut magic = [0u8; 2];
    let is_gz = meta.is_file() && {
        let mut f = std::fs::File::open(path).map_err(&io)?;
        f.read_exact(&mut magic).is_ok() && magic == GZIP_MAGIC
    };
    if !meta.is_file() || is_gz {
        // a pipe or a compressed file: read once into a file of our own
        let f = std::fs::File::open(path).map_err(&io)?;
        let name = gz_name.unwrap_or_else(|| path.to_path_buf());
        let (p, keep) = spool(f, &name, display, limits.max_stream_bytes)?;
        return Ok(Input {
            path: p,
            mtime,
            keep: Some(keep),
        });
    }
    Ok(Input {
        path: path.to_path_buf(),
        mtime,
        keep: None,
    })
}

/// The files under a directory, recursively, in sorted order (hidden
/// files, whose names start with `.`, are left out).
pub(crate) fn files_under(dir: &Path, display: &str) -> Result<Vec<PathBuf>> {
    let io = io_err(display);
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(&io)?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()
        .map_err(&io)?;
    entries.sort();
    for p in entries {
        if p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'))
        {
            continue;
        }
        if p.is_dir() {
            out.extend(files_under(&p, display)?);
        } else {
            out.push(p);
        }
    }
    Ok(out)
}

/// A scan whose file is a temporary copy, kept while the scan lives.
pub(crate) struct KeepAlive {
    pub inner: Arc<dyn Scan>,
    pub _keep: Arc<TempDir>,
}

impl Scan for KeepAlive {
    fn scan(&self, req: &ScanRequest) -> Result<BatchStream<'_>> {
        self.inner.scan(req)
    }
    fn partitions(&self, req: &ScanRequest) -> usize {
        self.inner.partitions(req)
    }
    fn scan_partition(&self, req: &ScanRequest, part: usize) -> Result<BatchStream<'_>> {
        self.inner.scan_partition(req, part)
    }
    fn scan_pushed(
        &self,
        req: &ScanRequest,
        part: Option<usize>,
        tests: &[super::pushdown::ColumnTest],
    ) -> Result<BatchStream<'_>> {
        self.inner.scan_pushed(req, part, tests)
    }
    fn partition_spans(&self, req: &ScanRequest) -> Result<Option<Vec<TimeSpan>>> {
        self.inner.partition_spans(req)
    }
    fn may_carry(&self, field: &str) -> Result<bool> {
        self.inner.may_carry(field)
    }

    fn carries_known(&self, field: &str) -> Option<bool> {
        self.inner.carries_known(field)
    }

    fn raw_extracted(&self) -> bool {
        self.inner.raw_extracted()
    }

    fn raw_props(&self) -> Option<&super::RawProps> {
        self.inner.raw_props()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn gzip_is_read_by_its_magic_bytes() {
        let dir = TempDir::new().unwrap();
        let p = dir.0.join("events.log.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"hello\nworld\n").unwrap();
        std::fs::write(&p, gz.finish().unwrap()).unwrap();
        let input = prepare(&p, "events.log.gz", &crate::limits::Limits::default()).unwrap();
        assert_eq!(std::fs::read(&input.path).unwrap(), b"hello\nworld\n");
        assert_eq!(input.path.file_name().unwrap(), "events.log");
        assert!(input.mtime.is_some());
        let kept = input.path.clone();
        drop(input);
        assert!(!kept.exists(), "the temporary copy is removed");
        // a plain file is read in place
        let q = dir.0.join("plain.log");
        std::fs::write(&q, b"x").unwrap();
        let input = prepare(&q, "plain.log", &crate::limits::Limits::default()).unwrap();
        assert_eq!(input.path, q);
        assert!(input.keep.is_none());
    }

    #[test]
    fn spool_directories_are_private_unpredictable_and_removed() {
        let a = TempDir::new().unwrap();
        let b = TempDir::new().unwrap();
        assert_ne!(a.0, b.0);
        let name = a.0.file_name().unwrap().to_str().unwrap().to_string();
        let hex = name
            .strip_prefix(&format!("spl-input-{}-", std::process::id()))
            .unwrap();
        assert_eq!(hex.len(), 16, "{name}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&a.0).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        let kept = a.0.clone();
        drop(a);
        assert!(!kept.exists());
    }

    /// A leftover of a process that no longer runs is removed once it is
    /// old; a fresh one, or one of a live process, stays.
    #[cfg(target_os = "linux")]
    #[test]
    fn leftovers_of_killed_runs_are_swept() {
        let parent = tempfile::tempdir().unwrap();
        let ours = parent.path().join("ours");
        std::fs::create_dir(&ours).unwrap();
        // pid 4194304 is past Linux's largest (pid_max <= 2^22): never running
        let dead_old = parent.path().join("spl-input-4194304-0123456789abcdef");
        let dead_new = parent.path().join("spl-input-4194304-fedcba9876543210");
        let live_old = parent.path().join("spl-input-1-0123456789abcdef");
        for d in [&dead_old, &dead_new, &live_old] {
            std::fs::create_dir(d).unwrap();
            std::fs::write(d.join("stdin"), b"x").unwrap();
        }
        // 2001: older than any spool of a live run
        let old = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
        for d in [&dead_old, &live_old] {
            std::fs::File::open(d).unwrap().set_modified(old).unwrap();
        }
        sweep_leftovers(parent.path(), &ours);
        assert!(!dead_old.exists());
        assert!(dead_new.exists());
        assert!(live_old.exists());
    }

    #[test]
    fn directories_list_files_sorted() {
        let dir = TempDir::new().unwrap();
        std::fs::create_dir_all(dir.0.join("b")).unwrap();
        for f in ["c.log", "a.log", "b/x.log", ".hidden"] {
            std::fs::write(dir.0.join(f), b"x").unwrap();
        }
        let files = files_under(&dir.0, "d").unwrap();
        let names: Vec<_> = files
            .iter()
            .map(|p| {
                p.strip_prefix(&dir.0)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(names, ["a.log", "b/x.log", "c.log"]);
    }
}
