//! Reading the text files a test names (`.spltest` files and their
//! includes, detection YAML, expected output, included lookup CSV): only
//! regular files, and at most [`MAX_TEST_FILE_BYTES`], so `include=/dev/zero`
//! or a FIFO is an error instead of a run that never ends.

use std::io::Read;
use std::path::Path;

/// The largest text file a test may name (256 MiB).
pub const MAX_TEST_FILE_BYTES: u64 = 256 << 20;

/// The text of the regular file `path`, or why not (for a message that
/// names the file).
pub fn read_text(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("expected a regular file, found a device, pipe or folder".into());
    }
    let f = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    f.take(MAX_TEST_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_TEST_FILE_BYTES {
        return Err(format!(
            "expected a file of at most {MAX_TEST_FILE_BYTES} bytes, found a larger one"
        ));
    }
    String::from_utf8(bytes).map_err(|_| "expected UTF-8 text, found invalid bytes".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_and_folders_are_refused_at_once() {
        let err = read_text(Path::new("/dev/zero")).unwrap_err();
        assert!(err.contains("regular file"), "{err}");
        assert!(read_text(Path::new("/")).is_err());
        assert!(read_text(Path::new("/nonexistent/x")).is_err());
    }
}
