//! The one time-range resolver: every generating command (base search,
//! `mstats`, later `tstats`), every subsearch and the time picker
//! (`--earliest`/`--latest`, `.spltest` `earliest`/`latest`, the embedding
//! API) turns written bounds into a window here, so they cannot drift apart.
//!
//! Splunk's rules (spl-semantics.md 2.8, 6.5, 11.2):
//! - the window is `earliest <= _time < latest`;
//! - `earliest` written alone ends at `now`; `latest` alone starts at the
//!   beginning of time; neither means all time, future events included;
//! - bounds written in a search replace the picker's for that search only;
//!   a subsearch gets the picker's range, never its outer search's.

/// A resolved time window `[earliest, latest)` in epoch seconds; `None` is
/// unbounded on that side.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TimeRange {
    /// Inclusive lower bound.
    pub earliest: Option<f64>,
    /// Exclusive upper bound.
    pub latest: Option<f64>,
}

impl TimeRange {
    /// All time: no bound on either side (future events included).
    pub const ALL: TimeRange = TimeRange {
        earliest: None,
        latest: None,
    };

    /// The window meant by bounds written together (in a search, a WHERE
    /// clause or the time picker): `earliest` alone ends at `now`, `latest`
    /// alone starts at the beginning of time, neither is all time.
    pub fn written(earliest: Option<f64>, latest: Option<f64>, now: f64) -> TimeRange {
        match (earliest, latest) {
            (Some(e), None) => TimeRange {
                earliest: Some(e),
                latest: Some(now),
            },
            (e, l) => TimeRange {
                earliest: e,
                latest: l,
            },
        }
    }

    /// The window a generating command searches: its own written bounds when
    /// it has any, else the time picker's.
    pub fn for_search(own: Option<TimeRange>, picker: TimeRange) -> TimeRange {
        own.unwrap_or(picker)
    }

    /// True when neither side is bounded.
    pub fn is_all(&self) -> bool {
        self.earliest.is_none() && self.latest.is_none()
    }

    /// True when `t` lies in the window.
    pub fn contains(&self, t: f64) -> bool {
        self.earliest.is_none_or(|e| t >= e) && self.latest.is_none_or(|l| t < l)
    }

    /// The lower bound, `-inf` when unbounded.
    pub fn lo(&self) -> f64 {
        self.earliest.unwrap_or(f64::NEG_INFINITY)
    }

    /// The upper bound, `+inf` when unbounded.
    pub fn hi(&self) -> f64 {
        self.latest.unwrap_or(f64::INFINITY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_bounds_follow_splunks_defaults() {
        let now = 100.0;
        assert_eq!(
            TimeRange::written(Some(10.0), None, now),
            TimeRange {
                earliest: Some(10.0),
                latest: Some(100.0)
            }
        );
        assert_eq!(
            TimeRange::written(None, Some(50.0), now),
            TimeRange {
                earliest: None,
                latest: Some(50.0)
            }
        );
        assert_eq!(TimeRange::written(None, None, now), TimeRange::ALL);
        let both = TimeRange::written(Some(1.0), Some(200.0), now);
        assert_eq!(both.latest, Some(200.0), "an explicit latest may pass now");
    }

    #[test]
    fn window_is_half_open() {
        let r = TimeRange::written(Some(10.0), Some(20.0), 0.0);
        assert!(!r.contains(9.999));
        assert!(r.contains(10.0));
        assert!(r.contains(19.999));
        assert!(!r.contains(20.0));
        assert!(TimeRange::ALL.contains(f64::MAX));
    }

    #[test]
    fn own_bounds_replace_the_pickers() {
        let picker = TimeRange::written(Some(0.0), Some(5.0), 5.0);
        let own = TimeRange::written(None, Some(50.0), 5.0);
        assert_eq!(TimeRange::for_search(Some(own), picker), own);
        assert_eq!(TimeRange::for_search(None, picker), picker);
    }
}
