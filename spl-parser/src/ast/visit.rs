//! Walking the tree: every stage of a search, including those of the
//! pipelines nested in it (subsearches, `appendpipe`, search-term
//! subsearches), so checks over "every command of this search" need no
//! hand-written recursion.

use super::{Pipeline, SearchExpr, SearchKind, Stage, Subsearch};

impl Pipeline {
    /// Calls `f` on every stage, outer stages first, each stage before the
    /// pipelines nested in it.
    pub fn walk_stages<'a>(&'a self, f: &mut dyn FnMut(&'a Stage)) {
        for stage in &self.stages {
            f(stage);
            for sub in stage.command.subsearches() {
                sub.pipeline.walk_stages(f);
            }
        }
    }
}

/// The subsearches written in a search expression (`index=a [search b]`).
pub fn search_subsearches(e: Option<&SearchExpr>) -> Vec<&Subsearch> {
    let mut out = Vec::new();
    collect(e, &mut out);
    out
}

fn collect<'a>(e: Option<&'a SearchExpr>, out: &mut Vec<&'a Subsearch>) {
    let Some(e) = e else { return };
    match &e.kind {
        SearchKind::And(items) | SearchKind::Or(items) => {
            for i in items {
                collect(Some(i), out);
            }
        }
        SearchKind::Not(inner) => collect(Some(inner), out),
        SearchKind::Subsearch(s) => out.push(s),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn walks_nested_pipelines_in_order() {
        let q = crate::parse(
            "index=a [search b | fields x] | join x [search c | append [| makeresults]] | appendpipe [stats count]",
        )
        .unwrap();
        let mut names = Vec::new();
        q.pipeline
            .walk_stages(&mut |s| names.push(s.name.node.clone()));
        assert_eq!(
            names,
            [
                "search",
                "search",
                "fields",
                "join",
                "search",
                "append",
                "makeresults",
                "appendpipe",
                "stats"
            ]
        );
    }
}
