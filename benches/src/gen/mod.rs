//! Deterministic generators of exported data (`spl-gen`).
//!
//! Two modes: [`fixtures`] writes the small committed seed fixtures under
//! `fixtures/` (metrics for the network-anomaly and IO-ratio detections,
//! Kubernetes audit logs for the scanning detection, the IO-ratio baseline
//! lookup and the GeoIP expectations the Python oracle reads), and
//! [`bench_metrics`] writes large synthetic metric files for performance work
//! in the shape of `shared/bench-anchors/gen_metrics.py`; [`audit_lines`]
//! writes JSON-lines audit events of any size for the event path, and
//! [`raw_logs`] raw text logs (key=value lines, Windows XML events) for the
//! raw-event path.
//!
//! Everything is a pure function of the seed and `now`: no clock, no libm
//! (see [`rng`]), sorted maps only, so the bytes are the same on every run.

pub mod audit;
pub mod audit_lines;
pub mod bench_metrics;
pub mod fixtures;
pub mod metrics_file;
pub mod network;
pub mod podio;
pub mod raw_logs;
pub mod rng;

use std::path::{Path, PathBuf};

/// Seconds in an hour.
pub const HOUR: i64 = 3_600;
/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// `sin(2*pi*h/24)` in ten-thousandths: the shape of a day's traffic. A
/// table rather than `sin()` keeps the bytes platform-independent.
pub const DIURNAL: [i32; 24] = [
    0, 2588, 5000, 7071, 8660, 9659, 10000, 9659, 8660, 7071, 5000, 2588, 0, -2588, -5000, -7071,
    -8660, -9659, -10000, -9659, -8660, -7071, -5000, -2588,
];

/// The diurnal factor at epoch second `t` for a series shifted by `phase` hours.
pub fn diurnal(t: i64, phase: usize, amp: f64) -> f64 {
    let hour = (t.div_euclid(HOUR).rem_euclid(24) as usize + phase) % 24;
    1.0 + amp * (f64::from(DIURNAL.get(hour).copied().unwrap_or(0)) / 10_000.0)
}

/// Errors of the generators.
#[derive(Debug, thiserror::Error)]
pub enum GenError {
    /// A file could not be read or written.
    #[error("spl::gen::io: {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Parquet writing failed.
    #[error("spl::gen::parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
    /// An Arrow batch could not be built.
    #[error("spl::gen::arrow: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
    /// The GeoIP database could not be read.
    #[error("spl::gen::geoip: {0}")]
    GeoIp(#[from] maxminddb::MaxMindDbError),
    /// JSON serialisation failed.
    #[error("spl::gen::json: {0}")]
    Json(#[from] serde_json::Error),
    /// A bad argument (message says which).
    #[error("spl::gen::invalid: {0}")]
    Invalid(String),
}

impl GenError {
    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        GenError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Writes `contents` to `path`, creating parent directories.
pub fn write_file(path: &Path, contents: &[u8]) -> Result<(), GenError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| GenError::io(dir, e))?;
    }
    std::fs::write(path, contents).map_err(|e| GenError::io(path, e))
}
