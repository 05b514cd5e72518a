//! Progress of a long `spl run` on a terminal: events and bytes read, their
//! rate, and one line per source, on standard error. Shown only when
//! standard error is a terminal, from one second into the run
//! (`SPL_PROGRESS_AFTER_MS` changes the delay; `SPL_PROGRESS=0` turns it
//! off), and cleared when the run ends, so results and pipes never see it.
//! The figures are the engine's scan counters
//! ([`spl_engine::source::ScanCounters`]), polled from a thread of our own:
//! the engine knows nothing of terminals.

use indicatif::{HumanBytes, HumanCount, MultiProgress, ProgressBar, ProgressDrawTarget};
use spl_engine::source::{ScanCounters, ScanStats};
use std::io::IsTerminal;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Source lines shown at most (the rest are summed up in one line).
const MAX_SOURCE_LINES: usize = 8;

/// How often the figures are refreshed.
const TICK: Duration = Duration::from_millis(200);

/// A running progress display (or none); [`Progress::finish`] clears it.
pub(crate) struct Progress {
    done: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Whether progress may be shown: standard error is a terminal and
/// `SPL_PROGRESS` does not say `0`/`never`/`off`.
fn wanted() -> bool {
    let off = std::env::var("SPL_PROGRESS")
        .is_ok_and(|v| matches!(v.trim(), "0" | "never" | "off" | "false"));
    !off && std::io::stderr().is_terminal()
}

fn delay() -> Duration {
    let ms = std::env::var("SPL_PROGRESS_AFTER_MS")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(1000);
    Duration::from_millis(ms)
}

/// One line of figures: events, bytes (when the reader counts them), rate.
pub(crate) fn line(s: &ScanStats, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64().max(1e-3);
    let mut out = format!("{} events", HumanCount(s.rows));
    if s.bytes_read > 0 {
        out.push_str(&format!(", {}", HumanBytes(s.bytes_read)));
    }
    out.push_str(&format!(
        " ({} events/s",
        HumanCount((s.rows as f64 / secs) as u64)
    ));
    if s.bytes_read > 0 {
        out.push_str(&format!(
            ", {}/s",
            HumanBytes((s.bytes_read as f64 / secs) as u64)
        ));
    }
    out.push(')');
    out
}

impl Progress {
    /// Starts showing `counters` (nothing happens unless [`wanted`]).
    pub(crate) fn start(counters: Arc<ScanCounters>) -> Progress {
        let done = Arc::new((Mutex::new(false), Condvar::new()));
        if !wanted() {
            return Progress { done, thread: None };
        }
        let flag = done.clone();
        let thread = std::thread::Builder::new()
            .name("spl-progress".into())
            .spawn(move || show(&counters, &flag))
            .ok();
        Progress { done, thread }
    }

    /// Stops and clears the display.
    pub(crate) fn finish(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let (lock, cvar) = &*self.done;
        if let Ok(mut d) = lock.lock() {
            *d = true;
        }
        cvar.notify_all();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Waits up to `d`; true when the run is done.
fn wait(done: &(Mutex<bool>, Condvar), d: Duration) -> bool {
    let (lock, cvar) = done;
    let Ok(g) = lock.lock() else { return true };
    match cvar.wait_timeout_while(g, d, |done| !*done) {
        Ok((g, _)) => *g,
        Err(_) => true,
    }
}

/// The display thread: waits out the delay, then refreshes until done.
fn show(counters: &ScanCounters, done: &(Mutex<bool>, Condvar)) {
    let start = Instant::now();
    if wait(done, delay()) {
        return;
    }
    let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
    let total = multi.add(ProgressBar::new_spinner());
    let mut sources: Vec<ProgressBar> = Vec::new();
    loop {
        let elapsed = start.elapsed();
        total.set_message(format!("reading: {}", line(&counters.snapshot(), elapsed)));
        total.tick();
        let per = counters.source_snapshots();
        // one line per source only when there are several
        if per.len() > 1 {
            for (i, (name, s)) in per.iter().enumerate().take(MAX_SOURCE_LINES) {
                if sources.len() <= i {
                    sources.push(multi.add(ProgressBar::new_spinner()));
                }
                if let Some(bar) = sources.get(i) {
                    bar.set_message(format!("{name}: {}", line(s, elapsed)));
                    bar.tick();
                }
            }
            if per.len() > MAX_SOURCE_LINES {
                if sources.len() <= MAX_SOURCE_LINES {
                    sources.push(multi.add(ProgressBar::new_spinner()));
                }
                if let Some(bar) = sources.get(MAX_SOURCE_LINES) {
                    bar.set_message(format!("and {} more sources", per.len() - MAX_SOURCE_LINES));
                    bar.tick();
                }
            }
        }
        if wait(done, TICK) {
            break;
        }
    }
    for bar in &sources {
        bar.finish_and_clear();
    }
    total.finish_and_clear();
    let _ = multi.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_shows_events_bytes_and_rates() {
        let s = ScanStats {
            bytes_read: 4 * 1024 * 1024,
            bytes_indexed: 0,
            batches: 3,
            rows: 20_000,
        };
        let l = line(&s, Duration::from_secs(2));
        assert_eq!(l, "20,000 events, 4.00 MiB (10,000 events/s, 2.00 MiB/s)");
        let s = ScanStats {
            bytes_read: 0,
            rows: 10,
            ..s
        };
        // readers that do not count bytes (CSV, Parquet) show events only
        assert_eq!(line(&s, Duration::from_secs(1)), "10 events (10 events/s)");
    }
}
