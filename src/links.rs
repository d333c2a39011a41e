//! Stage 5: check every captured reference against the pages and headings that exist.
//!
//! Broken references are warnings; `check` escalates them to errors.

use rustc_hash::FxHashMap as HashMap;

use crate::error::{Diagnostic, Diagnostics};
use crate::markdown::headings::Heading;
use crate::markdown::links::LinkKind;
use crate::markdown::RenderedNote;

/// Reports links to missing files and to anchors no heading on the target page has.
/// `notes` maps each rendered source path (pages and section `_index.md`) to its note.
pub(crate) fn resolve_links(notes: &HashMap<&str, &RenderedNote>) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    for note in notes.values() {
        for link in &note.links {
            let problem = match &link.kind {
                LinkKind::Missing(target) => Some(
                    Diagnostic::warning(
                        Some(link.location.clone()),
                        format!("broken link `{}`: no file {target}", link.written),
                    )
                    .with_help(
                        "fix the path; relative links are resolved from the note's own folder",
                    ),
                ),
                LinkKind::Page(target) => link.anchor.as_deref().and_then(|anchor| {
                    let headings = &notes.get(&**target)?.headings;
                    let known = headings.iter().any(|h| h.id == anchor);
                    (!known).then(|| missing_anchor(link, target, anchor, headings))
                }),
                LinkKind::Asset => None,
            };
            if let Some(problem) = problem {
                diagnostics.push(problem);
            }
        }
    }
    diagnostics.sort();
    diagnostics
}

fn missing_anchor(
    link: &crate::markdown::LinkRef,
    target: &str,
    anchor: &str,
    headings: &[Heading],
) -> Diagnostic {
    let mut ids: Vec<&str> = headings.iter().map(|h| h.id.as_str()).collect();
    ids.sort_by_key(|id| (!id.contains(anchor) && !anchor.contains(id), *id));
    let hint = match ids.first() {
        Some(id) => format!("headings there have ids like `#{id}`; ids follow GitHub's rules"),
        None => "that page has no headings; link to the page without `#…`".into(),
    };
    Diagnostic::warning(
        Some(link.location.clone()),
        format!(
            "broken anchor `{}`: {target} has no heading `#{anchor}`",
            link.written
        ),
    )
    .with_help(hint)
}
