//! Atomic, exclusive file writes, shared by `outputlookup`, `spl run --output`
//! and `spl test --bless`.
//!
//! A file is replaced by writing a unique temporary file in the same
//! directory, created with `O_EXCL` (`create_new`, which never follows a
//! symlink planted at its path), syncing it to disk, and renaming it over the
//! target; a reader therefore sees the old file or the new one, never a part,
//! and a crash leaves at most a hidden `.NAME.*.spl-tmp` file behind. A
//! [`FileLock`] serialises writers of one file (threads of one process and
//! other processes alike), so read-modify-write cycles such as
//! `outputlookup append=true` do not lose or mix rows.
//!
//! The wall clock (`Instant`) is used only to bound the wait for a lock: it
//! never reaches search results.

use std::fs::{File, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long a writer waits for another writer of the same file before giving
/// up with an error (Splunk has no documented equivalent; see
/// `docs/limits.md`).
pub const LOCK_WAIT: Duration = Duration::from_secs(30);

/// How many temporary names are tried before giving up (each is random, so
/// more than one attempt only happens when something was planted there).
const TEMP_ATTEMPTS: usize = 64;

/// Replaces `path` with what `write` produces, atomically.
///
/// When `path` names an existing special file (a character device such as
/// `/dev/stdout` or `/dev/null`, or a FIFO), there is nothing to replace:
/// the output is written to it directly. A symlink at `path` itself is
/// replaced, not written through, and the new file keeps the permissions of
/// the regular file it replaces.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
) -> io::Result<()> {
    if let Ok(m) = std::fs::metadata(path) {
        if !m.is_file() && !m.is_dir() {
            let mut w = BufWriter::new(OpenOptions::new().write(true).open(path)?);
            write(&mut w)?;
            return w.flush();
        }
    }
    let (dir, base) = split(path)?;
    write_atomic_with_names(path, &dir, random_names(&base), write)
}

/// [`write_atomic`] for bytes already in memory.
pub fn write_atomic_bytes(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic(path, |w| w.write_all(bytes))
}

/// The directory (`.` for a bare name) and the file name of `path`.
fn split(path: &Path) -> io::Result<(PathBuf, String)> {
    let base = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "expected a file name"))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((dir, base))
}

/// Random temporary names `.BASE.<16 hex>.spl-tmp`: the randomness comes from
/// std's per-process hash keys mixed with the process id and a counter, so
/// no name is predictable by another user.
fn random_names(base: &str) -> impl Iterator<Item = String> + '_ {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let keys = std::collections::hash_map::RandomState::new();
    (0..TEMP_ATTEMPTS).map(move |_| {
        let mut h = keys.build_hasher();
        h.write_u32(std::process::id());
        h.write_u64(SEQ.fetch_add(1, Ordering::Relaxed));
        format!(".{base}.{:016x}.spl-tmp", h.finish())
    })
}

fn write_atomic_with_names(
    path: &Path,
    dir: &Path,
    names: impl Iterator<Item = String>,
    write: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
) -> io::Result<()> {
    let (tmp, file) = create_temp(dir, names)?;
    let result = (|| {
        if let Ok(m) = std::fs::symlink_metadata(path) {
            if m.is_file() {
                file.set_permissions(m.permissions())?;
            }
        }
        let mut w = BufWriter::new(file);
        write(&mut w)?;
        let file = w.into_inner().map_err(io::IntoInnerError::into_error)?;
        // The data must be on disk before the rename makes it visible, or a
        // crash could leave an empty or partial file under the real name.
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)?;
        sync_dir(dir);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Creates the first name that does not exist yet, exclusively: `create_new`
/// is `O_CREAT | O_EXCL`, which fails on any existing entry, a symlink
/// (even a dangling one) included, so a planted link is never followed.
fn create_temp(dir: &Path, names: impl Iterator<Item = String>) -> io::Result<(PathBuf, File)> {
    for name in names {
        let p = dir.join(name);
        match OpenOptions::new().write(true).create_new(true).open(&p) {
            Ok(f) => return Ok((p, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!(
            "cannot create a temporary file in {}: every name tried exists",
            dir.display()
        ),
    ))
}

/// Creates a new, private directory `PARENT/PREFIX-<16 hex>` with a random
/// name: `create_dir` fails on any existing entry (a planted symlink too), so
/// the directory is always fresh and ours; on Unix only its owner may enter it.
pub fn create_unique_dir(parent: &Path, prefix: &str) -> io::Result<PathBuf> {
    for name in random_names(prefix) {
        // `.PREFIX.<hex>.spl-tmp` -> `PREFIX-<hex>`
        let hex = name.rsplit('.').nth(1).unwrap_or_default();
        let p = parent.join(format!("{prefix}-{hex}"));
        let mut b = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        match b.create(&p) {
            Ok(()) => return Ok(p),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!(
            "cannot create a directory in {}: every name tried exists",
            parent.display()
        ),
    ))
}

/// Makes the rename durable. Best effort: not every platform or file system
/// can sync a directory, and the data itself is already synced.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// A lock file older than this is taken for the leftover of a writer that
/// died while holding it (and removed), when its owner cannot be checked.
pub const STALE_LOCK: Duration = Duration::from_secs(600);

/// An exclusive lock on one file name, held until dropped: a hidden
/// `.NAME.spl-lock` file beside it, created with `create_new` (`O_EXCL`, so
/// exactly one creator wins and a planted symlink is never followed) and
/// holding the owner's process id; removed on release.
///
/// A writer killed while holding it leaves the file behind: on Linux a lock
/// whose owner process no longer exists is removed at once; elsewhere (or
/// when `/proc` is not mounted) a lock older than [`STALE_LOCK`] is.
#[derive(Debug)]
pub struct FileLock {
    path: PathBuf,
}

impl FileLock {
    /// Locks `path` (the file to be written), waiting at most `wait` for
    /// another holder; a timeout is an [`io::ErrorKind::WouldBlock`] error.
    pub fn acquire(path: &Path, wait: Duration) -> io::Result<FileLock> {
        let (dir, base) = split(path)?;
        let lock_path = dir.join(format!(".{base}.spl-lock"));
        let deadline = Instant::now() + wait;
        let mut pause = Duration::from_millis(1);
        loop {
            match OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&lock_path)
            {
                Ok(mut f) => {
                    // the owner, for the stale check of a later waiter
                    let _ = write!(f, "{}", std::process::id());
                    return Ok(FileLock { path: lock_path });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    if is_stale(&lock_path) {
                        let _ = std::fs::remove_file(&lock_path);
                        continue;
                    }
                }
                Err(e) => return Err(e),
            }
            if Instant::now() >= deadline {
                return Err(io::Error::new(
                    io::ErrorKind::WouldBlock,
                    format!(
                        "{} is being written by another search; gave up after {} s",
                        path.display(),
                        wait.as_secs_f64()
                    ),
                ));
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(50));
        }
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Whether the lock file at `p` was left by a writer that died. A symlink or
/// anything but a regular file is never stale (it is not ours to remove: the
/// writer waits and then fails).
fn is_stale(p: &Path) -> bool {
    let Ok(m) = std::fs::symlink_metadata(p) else {
        return false;
    };
    if !m.is_file() {
        return false;
    }
    #[cfg(target_os = "linux")]
    if Path::new("/proc/self").exists() {
        // An owner still being written (empty file) is alive.
        if let Ok(pid) = std::fs::read_to_string(p) {
            if let Ok(pid) = pid.trim().parse::<u32>() {
                return !Path::new(&format!("/proc/{pid}")).exists();
            }
        }
    }
    m.modified()
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age > STALE_LOCK)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "spl-atomic-{name}-{}-{:x}",
            std::process::id(),
            std::collections::hash_map::RandomState::new()
                .build_hasher()
                .finish()
        ));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn replaces_the_target_and_leaves_no_temp_file() {
        let d = scratch("replace");
        let t = d.join("x.csv");
        std::fs::write(&t, "old\n").unwrap();
        write_atomic_bytes(&t, b"new\n").unwrap();
        assert_eq!(std::fs::read_to_string(&t).unwrap(), "new\n");
        let left: Vec<_> = std::fs::read_dir(&d).unwrap().collect();
        assert_eq!(left.len(), 1);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_failed_write_keeps_the_old_file_and_removes_the_temp_file() {
        let d = scratch("fail");
        let t = d.join("x.csv");
        std::fs::write(&t, "old\n").unwrap();
        let e = write_atomic(&t, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("boom"))
        })
        .unwrap_err();
        assert_eq!(e.to_string(), "boom");
        assert_eq!(std::fs::read_to_string(&t).unwrap(), "old\n");
        assert_eq!(std::fs::read_dir(&d).unwrap().count(), 1);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_planted_at_the_temp_name_is_not_followed() {
        let d = scratch("symlink");
        let victim = d.join("victim");
        std::fs::write(&victim, "precious\n").unwrap();
        std::os::unix::fs::symlink(&victim, d.join(".x.csv.planted.spl-tmp")).unwrap();
        let t = d.join("x.csv");
        let names = [".x.csv.planted.spl-tmp", ".x.csv.second.spl-tmp"].map(String::from);
        write_atomic_with_names(&t, &d, names.into_iter(), |w| w.write_all(b"new\n")).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
        assert_eq!(std::fs::read_to_string(&t).unwrap(), "new\n");
        assert!(!d.join(".x.csv.second.spl-tmp").exists());
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_lock_left_by_a_dead_writer_is_removed() {
        let d = scratch("stale");
        let t = d.join("x.csv");
        // pid_max is at most 2^22 on Linux: this process cannot exist
        std::fs::write(d.join(".x.csv.spl-lock"), "4294967295").unwrap();
        let l = FileLock::acquire(&t, Duration::from_millis(30)).unwrap();
        assert_eq!(
            std::fs::read_to_string(d.join(".x.csv.spl-lock")).unwrap(),
            std::process::id().to_string()
        );
        drop(l);
        // a live owner's lock is waited for
        std::fs::write(d.join(".x.csv.spl-lock"), "1").unwrap();
        assert!(FileLock::acquire(&t, Duration::from_millis(30)).is_err());
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn unique_dirs_are_fresh_and_distinct() {
        let d = scratch("dirs");
        let a = create_unique_dir(&d, "spltest").unwrap();
        let b = create_unique_dir(&d, "spltest").unwrap();
        assert_ne!(a, b);
        assert!(a.is_dir() && b.is_dir());
        let name = a.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with("spltest-") && name.len() == "spltest-".len() + 16,
            "{name}"
        );
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn writing_to_a_special_file_writes_through() {
        #[cfg(unix)]
        write_atomic_bytes(Path::new("/dev/null"), b"x").unwrap();
    }

    #[test]
    fn locks_serialise_writers_and_are_removed() {
        let d = scratch("lock");
        let t = Arc::new(d.join("x.csv"));
        std::fs::write(&*t, "0\n").unwrap();
        // Each thread increments the number under the lock: a lost update
        // (two holders at once) shows as a total below the count.
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let t = t.clone();
                std::thread::spawn(move || {
                    for _ in 0..10 {
                        let _l = FileLock::acquire(&t, LOCK_WAIT).unwrap();
                        let n: u32 = std::fs::read_to_string(&*t)
                            .unwrap()
                            .trim()
                            .parse()
                            .unwrap();
                        write_atomic_bytes(&t, format!("{}\n", n + 1).as_bytes()).unwrap();
                    }
                })
            })
            .collect();
        for th in threads {
            th.join().unwrap();
        }
        assert_eq!(std::fs::read_to_string(&*t).unwrap(), "80\n");
        assert!(!d.join(".x.csv.spl-lock").exists());
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_held_lock_times_out_with_a_clear_error() {
        let d = scratch("timeout");
        let t = d.join("x.csv");
        let _held = FileLock::acquire(&t, LOCK_WAIT).unwrap();
        let e = FileLock::acquire(&t, Duration::from_millis(30)).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::WouldBlock);
        assert!(
            e.to_string().contains("being written by another search"),
            "{e}"
        );
        drop(_held);
        FileLock::acquire(&t, Duration::from_millis(30)).unwrap();
        std::fs::remove_dir_all(&d).unwrap();
    }
}
