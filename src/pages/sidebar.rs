//! The sidebar: every top-level section, and the current section's notes.
//!
//! A section of up to `FULL_LIST_LIMIT` notes is listed whole, one list shared
//! by all its pages. A bigger one shows a window of `WINDOW` notes around the
//! current page, with the counts before and after linking to the section page:
//! listing 2,500 notes on each of 2,500 pages makes the output grow with the
//! square of the section, while a window keeps every page's sidebar bounded.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::content::model::{PageId, SectionId, SiteModel};
use crate::hashing::{key_of, Keyed};
use crate::pages::SiteData;
use crate::render::views::{NavList, NavSection, NavWindow, PageLink, PracticeLinks};

/// Sections with at most this many notes (subsections included) list them all.
const FULL_LIST_LIMIT: usize = 40;
/// Notes shown around the current page in a bigger section.
const WINDOW: usize = 21;

pub(crate) struct Sidebar {
    /// The section list for each top-level section (`None`: pages outside any
    /// section), made once for all its pages.
    lists: HashMap<Option<SectionId>, NavList>,
    /// The notes of each top-level section too big to list whole, in reading
    /// order, with their key.
    windowed: HashMap<SectionId, Keyed<Vec<PageLink>>>,
    /// Where each page of a windowed section stands in its list.
    positions: HashMap<PageId, usize>,
}

impl Sidebar {
    pub(crate) fn new(
        data: &SiteData<'_>,
        page_links: &[PageLink],
        practice: &HashMap<SectionId, PracticeLinks>,
    ) -> Self {
        let model = data.model;
        let tops: Vec<Option<SectionId>> = model
            .root()
            .subsections
            .iter()
            .map(|&id| Some(id))
            .chain([None])
            .collect();
        let notes: HashMap<SectionId, Vec<PageId>> = tops
            .iter()
            .flatten()
            .map(|&top| (top, section_notes(model, top)))
            .collect();
        let listed = |top: SectionId| notes[&top].len() <= FULL_LIST_LIMIT;
        // Every list names every top-level section: their URLs are made once.
        let entries: Vec<(SectionId, String)> = model
            .root()
            .subsections
            .iter()
            .map(|&id| (id, data.targets.url(&model.section(id).path)))
            .collect();
        let lists = tops
            .into_par_iter()
            .map(|current| {
                let list = NavLists {
                    model,
                    entries: &entries,
                    page_links,
                    practice,
                    notes: &notes,
                };
                (current, NavList::new(list.sections(current, listed)))
            })
            .collect();
        let mut windowed = HashMap::new();
        let mut positions = HashMap::new();
        for (&top, ids) in notes.iter().filter(|(&top, _)| !listed(top)) {
            positions.extend(ids.iter().enumerate().map(|(i, &id)| (id, i)));
            let links: Vec<PageLink> = ids.iter().map(|p| page_links[p.0].clone()).collect();
            let key = key_of(&links);
            windowed.insert(top, Keyed::new(links, key));
        }
        Sidebar {
            lists,
            windowed,
            positions,
        }
    }

    pub(crate) fn list(&self, top: Option<SectionId>) -> &NavList {
        &self.lists[&top]
    }

    /// The window of notes around `anchor` (a page of top-level section `top`,
    /// or `None` for its start), when that section is too big to list whole.
    pub(crate) fn window(&self, top: SectionId, anchor: Option<PageId>) -> Option<NavWindow<'_>> {
        let Keyed { value: notes, key } = self.windowed.get(&top)?;
        let at = anchor.and_then(|id| self.positions.get(&id)).copied();
        let start = at
            .unwrap_or(0)
            .saturating_sub(WINDOW / 2)
            .min(notes.len().saturating_sub(WINDOW));
        let end = (start + WINDOW).min(notes.len());
        Some(NavWindow {
            earlier: start,
            pages: &notes[start..end],
            later: notes.len() - end,
            list_key: *key,
        })
    }
}

/// What the sidebar lists are made of.
struct NavLists<'a> {
    model: &'a SiteModel,
    /// Each top-level section and its URL, in order.
    entries: &'a [(SectionId, String)],
    page_links: &'a [PageLink],
    practice: &'a HashMap<SectionId, PracticeLinks>,
    notes: &'a HashMap<SectionId, Vec<PageId>>,
}

impl NavLists<'_> {
    /// The sections as listed on the pages under `current_top`.
    fn sections(
        &self,
        current_top: Option<SectionId>,
        listed: impl Fn(SectionId) -> bool,
    ) -> Vec<NavSection> {
        self.entries
            .iter()
            .map(|(id, url)| {
                let is_current = Some(*id) == current_top;
                let pages = match is_current && listed(*id) {
                    true => self.notes[id]
                        .iter()
                        .map(|p| self.page_links[p.0].clone())
                        .collect(),
                    false => Vec::new(),
                };
                NavSection {
                    title: self.model.section(*id).title.clone(),
                    url: url.clone(),
                    is_current,
                    pages,
                    practice: is_current.then(|| self.practice.get(id).cloned()).flatten(),
                }
            })
            .collect()
    }
}

/// The notes of a section and its subsections, in sidebar order.
fn section_notes(model: &SiteModel, id: SectionId) -> Vec<PageId> {
    let mut ids = Vec::new();
    collect_pages(model, id, &mut ids);
    ids
}

fn collect_pages(model: &SiteModel, id: SectionId, out: &mut Vec<PageId>) {
    let section = model.section(id);
    out.extend(&section.pages);
    for &child in &section.subsections {
        collect_pages(model, child, out);
    }
}
