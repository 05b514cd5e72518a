//! Reading a configuration or query file whole (`--query-file`, `--apps`
//! `.conf` files, `transforms.conf`, data model JSON, KubeArmor policies,
//! detection YAML): at most [`MAX_TEXT_FILE_BYTES`], so a path naming
//! `/dev/zero`, an endless FIFO or standard input that never ends is an
//! error after a bounded read instead of memory growing without bound.
//! Pipes and process substitutions (`--query-file <(...)`) still work: only
//! their size is bounded.

use std::io::Read;
use std::path::Path;

/// The largest text file read whole (256 MiB, the rule of `spl test`'s
/// files, `spl-testing/src/read.rs`).
pub const MAX_TEXT_FILE_BYTES: u64 = 256 << 20;

/// The error for input past [`MAX_TEXT_FILE_BYTES`].
fn too_large() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!(
            "expected at most {MAX_TEXT_FILE_BYTES} bytes (256 MiB), found more (a device or an endless pipe?)"
        ),
    )
}

/// All of `r`, up to [`MAX_TEXT_FILE_BYTES`] (more is an error).
pub fn read_bounded(r: impl Read) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    r.take(MAX_TEXT_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_TEXT_FILE_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// The bytes of the file at `path`, up to [`MAX_TEXT_FILE_BYTES`].
pub fn read(path: &Path) -> std::io::Result<Vec<u8>> {
    read_bounded(std::fs::File::open(path)?)
}

/// The text of the file at `path`, up to [`MAX_TEXT_FILE_BYTES`]; invalid
/// UTF-8 is an `InvalidData` error as with `std::fs::read_to_string`.
pub fn read_to_string(path: &Path) -> std::io::Result<String> {
    String::from_utf8(read(path)?).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endless_source_stops_at_the_cap() {
        let e = read_bounded(std::io::repeat(b'a')).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
        assert!(e.to_string().contains("256 MiB"), "{e}");
        let e = read(Path::new("/dev/zero")).unwrap_err();
        assert!(e.to_string().contains("256 MiB"), "{e}");
        assert_eq!(read_bounded(&b"abc"[..]).unwrap(), b"abc");
    }
}
