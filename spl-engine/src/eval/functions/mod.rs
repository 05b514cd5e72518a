//! The eval function registry: one [`FunctionSpec`] table per family,
//! concatenated into a case-insensitive lookup map.
//!
//! Arity and literal arguments (regexes, formats, time modifiers) are checked
//! at bind time with spans; per-row problems follow SPL and yield null.

mod conditional;
mod conversion;
mod crypto;
mod info;
mod json;
mod matching;
mod math;
mod multivalue;
mod mviter;
mod printf;
mod statistical;
mod string;
mod time;

use super::bind::{Kind, Node};
use super::val::Val;
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use arrow_array::RecordBatch;
use spl_parser::Span;
use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

/// An example call and its displayed result, checked by a test and shown in
/// the generated reference. `result` is the display text, `null` for null,
/// `True`/`False` for booleans and `["a","b"]` for multivalue results.
#[derive(Debug, Clone, Copy)]
pub struct FnExample {
    /// The expression (evaluated on a one-row batch, see `eval::tests`).
    pub expr: &'static str,
    /// The displayed result.
    pub result: &'static str,
}

/// Plan-time hook: validates literal arguments and precomputes state.
pub(crate) type BindFn = fn(&BindCx<'_>) -> Result<CallState>;
/// Evaluates a function from its already-evaluated arguments.
pub(crate) type EagerFn = fn(&Call<'_>, &[Val]) -> Result<Val>;
/// Evaluates a function that needs its argument expressions (mvfilter, mvmap).
pub(crate) type LazyFn = fn(&Call<'_>, &[Node], &RecordBatch) -> Result<Val>;

/// How a function is invoked.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Invoke {
    Eager(EagerFn),
    Lazy(LazyFn),
}

/// One eval function.
#[derive(Debug)]
pub struct FunctionSpec {
    /// Name (lower case).
    pub name: &'static str,
    /// Fewest arguments.
    pub min_args: usize,
    /// Most arguments (`None`: any number).
    pub max_args: Option<usize>,
    /// One-line description.
    pub description: &'static str,
    /// Examples (each is evaluated by a test).
    pub examples: &'static [FnExample],
    pub(crate) returns: Kind,
    pub(crate) bind: Option<BindFn>,
    pub(crate) invoke: Invoke,
}

impl FunctionSpec {
    /// The accepted argument count as text (`2`, `1 or 2`, `at least 1`, `2 to 4`).
    pub fn arity_text(&self) -> String {
        match self.max_args {
            None => format!("at least {}", self.min_args),
            Some(max) if max == self.min_args => max.to_string(),
            Some(max) if max == self.min_args + 1 => format!("{} or {max}", self.min_args),
            Some(max) => format!("{} to {max}", self.min_args),
        }
    }
}

/// A registry entry (the common shape of every family's table).
pub(crate) const fn spec(
    name: &'static str,
    min_args: usize,
    max_args: Option<usize>,
    returns: Kind,
    invoke: Invoke,
    description: &'static str,
    examples: &'static [FnExample],
) -> FunctionSpec {
    FunctionSpec {
        name,
        min_args,
        max_args,
        description,
        examples,
        returns,
        bind: None,
        invoke,
    }
}

impl FunctionSpec {
    /// The same entry with a plan-time hook.
    pub(crate) const fn bound(self, bind: BindFn) -> FunctionSpec {
        FunctionSpec {
            bind: Some(bind),
            ..self
        }
    }
}

/// Precomputed per-call state (a compiled literal regex, a parsed format...).
#[derive(Clone, Default)]
pub(crate) struct CallState(pub Option<Arc<dyn Any + Send + Sync>>);

impl CallState {
    pub fn new<T: Any + Send + Sync>(v: T) -> CallState {
        CallState(Some(Arc::new(v)))
    }

    pub fn get<T: Any>(&self) -> Option<&T> {
        self.0.as_deref().and_then(|a| a.downcast_ref::<T>())
    }
}

impl fmt::Debug for CallState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "CallState(..)"
        } else {
            "CallState"
        })
    }
}

/// What a bind hook sees.
pub(crate) struct BindCx<'a> {
    pub name: &'static str,
    pub span: Span,
    pub args: &'a [Node],
    pub ctx: &'a ExecContext,
}

impl BindCx<'_> {
    /// The string literal at argument `i`, if it is one.
    pub fn lit_str(&self, i: usize) -> Option<&str> {
        self.args.get(i).and_then(Node::as_str_lit)
    }

    /// The numeric literal at argument `i`, if it is one (negation folded).
    pub fn lit_num(&self, i: usize) -> Option<f64> {
        self.args.get(i).and_then(Node::as_num_lit)
    }

    /// Span of argument `i` (the call's span if absent).
    pub fn arg_span(&self, i: usize) -> Span {
        self.args.get(i).map_or(self.span, |a| a.span)
    }

    /// An invalid-argument error on argument `i`.
    pub fn err(&self, i: usize, message: impl Into<String>, label: &str) -> EngineError {
        EngineError::invalid(message, self.arg_span(i), label)
    }
}

/// What an invoked function sees.
pub(crate) struct Call<'a> {
    /// Rows in the batch.
    pub len: usize,
    pub ctx: &'a ExecContext,
    pub state: &'a CallState,
}

impl Call<'_> {
    /// Logical result length for arguments `args`: 1 if all are scalars.
    pub fn rows(&self, args: &[Val]) -> usize {
        if args.iter().all(|a| a.scalar) {
            1
        } else {
            self.len
        }
    }
}

fn families() -> [&'static [FunctionSpec]; 10] {
    [
        conditional::SPECS,
        conversion::SPECS,
        math::SPECS,
        string::SPECS,
        multivalue::SPECS,
        time::SPECS,
        info::SPECS,
        crypto::SPECS,
        statistical::SPECS,
        json::SPECS,
    ]
}

fn registry() -> &'static HashMap<&'static str, &'static FunctionSpec> {
    static MAP: OnceLock<HashMap<&'static str, &'static FunctionSpec>> = OnceLock::new();
    MAP.get_or_init(|| {
        families()
            .into_iter()
            .flatten()
            .map(|s| (s.name, s))
            .collect()
    })
}

/// Every eval function, grouped by family.
pub fn functions() -> impl Iterator<Item = &'static FunctionSpec> {
    families().into_iter().flatten()
}

/// Looks a function up by name (case-insensitive).
pub fn lookup(name: &str) -> Option<&'static FunctionSpec> {
    registry().get(name.to_ascii_lowercase().as_str()).copied()
}

/// "did you mean" text for an unknown function name.
pub(crate) fn suggest(name: &str) -> Option<String> {
    spl_parser::suggest::did_you_mean(name, functions().map(|s| s.name))
        .map(|best| format!("did you mean `{best}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_consistent() {
        let mut seen = std::collections::HashSet::new();
        for f in functions() {
            assert!(seen.insert(f.name), "duplicate function {}", f.name);
            assert_eq!(f.name, f.name.to_ascii_lowercase());
            assert!(f.max_args.is_none_or(|m| m >= f.min_args), "{}", f.name);
            assert!(!f.description.is_empty(), "{}", f.name);
        }
        assert!(seen.len() >= 60, "only {} functions", seen.len());
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            suggest("tostrng").as_deref(),
            Some("did you mean `tostring`?")
        );
        assert_eq!(
            suggest("mvcont").as_deref(),
            Some("did you mean `mvcount`?")
        );
        assert_eq!(suggest("zzzzzzzz"), None);
    }
}
