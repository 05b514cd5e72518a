//! The CLI's time options: `--now` (the search's clock) and the time picker
//! (`--earliest`, `--latest`). All three accept the same texts: epoch
//! seconds, RFC 3339 / ISO 8601, Splunk's `%m/%d/%Y:%H:%M:%S`, and relative
//! modifiers (`-1d`, `-24h@h`, `@d`, `now`). A relative `--now` resolves
//! against the wall clock here, in the CLI, once: the engine only ever sees
//! the resulting number (its clock is injected, never read). A relative
//! `--earliest`/`--latest` resolves against `--now`. Times are in UTC.

use jiff::tz::TimeZone;

/// The current time, for `--now`'s default and its relative forms (the
/// engine itself never reads the clock).
pub(crate) fn wall_clock() -> f64 {
    #[allow(clippy::disallowed_methods)]
    let now = std::time::SystemTime::now();
    now.duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// What the time options accept, with examples: printed under every
/// invalid time so the fix is on screen.
pub(crate) const ACCEPTED: &str = "\
accepted times:
  epoch seconds             1714564800, 1714564800.25
  RFC 3339 / ISO 8601       2024-05-01T12:00:00Z, 2024-05-01T14:00:00+02:00, 2024-05-01T12:00:00 (UTC)
  Splunk absolute           05/01/2024:12:00:00, 05/01/2024
  relative (Splunk syntax)  now, -1d, -24h@h, -30d@d, @d, @w1, +1mon@mon
relative times resolve against --now for --earliest/--latest, and against the current time for --now";

/// The error text for an invalid time given to `flag`.
fn invalid(flag: &str, text: &str) -> String {
    format!("{flag}: invalid time `{text}`\n{ACCEPTED}")
}

/// Resolves `text` as epoch seconds: an absolute time (epoch, ISO), else
/// a Splunk time modifier relative to `base`.
fn resolve(flag: &str, text: &str, base: f64) -> Result<f64, String> {
    if let Ok(v) = spl_engine::time::parse_now(text) {
        return Ok(v);
    }
    spl_engine::time::resolve_time_modifier(text, base, &TimeZone::UTC)
        .map_err(|_| invalid(flag, text))
}

/// `--now`: relative forms resolve against `wall_clock` (the current time).
pub(crate) fn now(text: &str, wall_clock: f64) -> Result<f64, String> {
    resolve("--now", text, wall_clock)
}

/// `--earliest`/`--latest` as the engine's time picker takes them: a
/// Splunk modifier (relative to the search's `now`) passes through; an ISO
/// time becomes its epoch seconds (the engine's modifiers have no ISO form).
pub(crate) fn picker(flag: &str, text: &str, now: f64) -> Result<String, String> {
    if spl_engine::time::resolve_time_modifier(text, now, &TimeZone::UTC).is_ok() {
        return Ok(text.to_string());
    }
    match spl_engine::time::parse_now(text) {
        Ok(v) => Ok(format!("{v}")),
        Err(_) => Err(invalid(flag, text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WALL: f64 = 1_714_564_800.0; // 2024-05-01T12:00:00Z

    #[test]
    fn now_accepts_absolute_and_relative_times() {
        assert_eq!(now("1714564800", WALL), Ok(WALL));
        assert_eq!(now("2024-05-01T12:00:00Z", 0.0), Ok(WALL));
        assert_eq!(now("2024-05-01T14:00:00+02:00", 0.0), Ok(WALL));
        assert_eq!(now("05/01/2024:12:00:00", 0.0), Ok(WALL));
        assert_eq!(now("now", WALL), Ok(WALL));
        assert_eq!(now("-1d", WALL), Ok(WALL - 86_400.0));
        assert_eq!(now("@d", WALL), Ok(WALL - 12.0 * 3600.0));
        assert_eq!(now("-1d@d", WALL), Ok(WALL - 36.0 * 3600.0));
    }

    #[test]
    fn invalid_times_list_the_accepted_formats() {
        let e = now("yesterday", WALL).unwrap_err();
        assert!(e.starts_with("--now: invalid time `yesterday`"), "{e}");
        for example in [
            "1714564800",
            "2024-05-01T12:00:00Z",
            "-1d",
            "@d",
            "05/01/2024",
        ] {
            assert!(e.contains(example), "{example}: {e}");
        }
        let e = picker("--earliest", "-1x", WALL).unwrap_err();
        assert!(e.starts_with("--earliest: invalid time `-1x`"), "{e}");
        assert!(e.contains("accepted times:"), "{e}");
    }

    #[test]
    fn the_picker_passes_modifiers_and_turns_iso_into_epoch() {
        assert_eq!(picker("--earliest", "-30d@d", WALL), Ok("-30d@d".into()));
        assert_eq!(
            picker("--earliest", "1714564800", WALL),
            Ok("1714564800".into())
        );
        assert_eq!(
            picker("--latest", "2024-05-01T12:00:00Z", WALL),
            Ok("1714564800".into())
        );
    }
}
