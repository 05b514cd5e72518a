//! Non-fatal findings of a running search (for example `mstats` over an index
//! that holds only events). Operators push them into the context's
//! [`Warnings`]; [`crate::session::Engine::run_query`] returns them with the
//! rows, and `spl run` prints each as `warning[code]: message` on stderr.

use std::sync::{Arc, Mutex};

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Stable dotted code, e.g. `spl::run::mstats_events_index` (`docs/errors.md`).
    pub code: &'static str,
    /// Human-readable message.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "warning[{}]: {}", self.code, self.message)
    }
}

/// The findings of one search, shared by its operators (clones share the list).
#[derive(Debug, Clone, Default)]
pub struct Warnings(Arc<Mutex<Vec<Warning>>>);

impl Warnings {
    /// Records a finding; the same finding twice (a subsearch run per result
    /// by `map`) is kept once.
    pub fn push(&self, code: &'static str, message: impl Into<String>) {
        let w = Warning {
            code,
            message: message.into(),
        };
        let mut list = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if !list.contains(&w) {
            list.push(w);
        }
    }

    /// The findings so far, in the order they were made.
    pub fn to_vec(&self) -> Vec<Warning> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}
