//! Stage 5: check every captured reference against the pages and headings that exist.
//!
//! Broken references are warnings; `check` escalates them to errors.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::error::{Diagnostic, Diagnostics};
use crate::markdown::headings::Heading;
use crate::markdown::links::LinkKind;
use crate::markdown::RenderedNote;

/// Reports links to missing files and to anchors no heading on the target page has.
/// `notes` maps each rendered source path (pages and section `_index.md`) to its note.
pub(crate) fn resolve_links(notes: &HashMap<&str, &RenderedNote>) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    // Each target's ids as a set, made on first use: a scan of its headings per
    // link was quadratic (20,000 links to a page of 20,000 headings took 25 s).
    let mut id_sets: HashMap<&str, HashSet<&str>> = HashMap::default();
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
                    let (target, note) = notes.get_key_value(&**target)?;
                    let ids = id_sets.entry(target).or_insert_with(|| {
                        let headings = note.headings.iter().map(|h| h.id.as_str());
                        let blocks = note.block_ids.iter().map(String::as_str);
                        headings
                            .chain(blocks)
                            .chain(note.title_id.as_deref())
                            .collect()
                    });
                    (!ids.contains(anchor))
                        .then(|| missing_anchor(link, target, anchor, &note.headings))
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

/// A broken anchor's hint is picked from at most this many of the target's headings,
/// so each broken link costs the same however long the target page is.
const HINT_CANDIDATES: usize = 1000;

fn missing_anchor(
    link: &crate::markdown::LinkRef,
    target: &str,
    anchor: &str,
    headings: &[Heading],
) -> Diagnostic {
    if anchor.starts_with('^') {
        let message = format!(
            "broken anchor `{}`: {target} has no block `{anchor}`",
            link.written
        );
        return Diagnostic::warning(Some(link.location.clone()), message).with_help(
            "a block id is ` ^id` at the end of a paragraph or list item of that note; \
             add it there, or link to the note or a heading",
        );
    }
    let hint = match headings
        .iter()
        .take(HINT_CANDIDATES)
        .map(|h| h.id.as_str())
        .min_by_key(|id| (!id.contains(anchor) && !anchor.contains(id), *id))
    {
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
