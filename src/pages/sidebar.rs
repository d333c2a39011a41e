//! The sidebar: every top-level section, and the current section's notes.
//!
//! A section of up to `FULL_LIST_LIMIT` notes is listed whole, one list shared
//! by all its pages. A bigger one shows a window of `WINDOW` notes around the
//! current page, with the counts before and after linking to the section page:
//! listing 2,500 notes on each of 2,500 pages makes the output grow with the
//! square of the section, while a window keeps every page's sidebar bounded.
//! Sections are windowed the same way: a site of up to `SECTION_LIST_LIMIT`
//! top-level sections lists them all; one with more lists `SECTION_WINDOW`
//! around the current section, and the home page lists them all.

use std::collections::HashMap;
use std::ops::Range;

use rayon::prelude::*;

use crate::content::model::{PageId, SectionId, SiteModel};
use crate::hashing::key_of;
use crate::pages::SiteData;
use crate::render::views::{NavList, NavSection, NavWindow, PageLink, PracticeLinks};

/// Sections with at most this many notes (subsections included) list them all.
const FULL_LIST_LIMIT: usize = 40;
/// Notes shown around the current page in a bigger section.
const WINDOW: usize = 21;
/// Sites with at most this many top-level sections list them all.
const SECTION_LIST_LIMIT: usize = 30;
/// Top-level sections shown around the current one on a site with more.
const SECTION_WINDOW: usize = 15;

pub(crate) struct Sidebar {
    /// The section list for each top-level section (`None`: pages outside any
    /// section), made once for all its pages.
    lists: HashMap<Option<SectionId>, NavList>,
    /// The notes of each top-level section too big to list whole, in reading
    /// order, with each link's key.
    windowed: HashMap<SectionId, (Vec<PageLink>, Vec<u64>)>,
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
        let lists = tops
            .into_par_iter()
            .map(|current| {
                let list = nav_sections(data, current, page_links, practice, &notes, listed);
                (current, list)
            })
            .collect();
        let mut windowed = HashMap::new();
        let mut positions = HashMap::new();
        for (&top, ids) in notes.iter().filter(|(&top, _)| !listed(top)) {
            positions.extend(ids.iter().enumerate().map(|(i, &id)| (id, i)));
            let links: Vec<PageLink> = ids.iter().map(|p| page_links[p.0].clone()).collect();
            let keys = links.iter().map(key_of).collect();
            windowed.insert(top, (links, keys));
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
        let (notes, keys) = self.windowed.get(&top)?;
        let at = anchor.and_then(|id| self.positions.get(&id)).copied();
        let shown = window_around(notes.len(), at, WINDOW);
        Some(NavWindow {
            earlier: shown.start,
            pages: &notes[shown.clone()],
            later: notes.len() - shown.end,
            keys: &keys[shown],
        })
    }
}

/// The top-level sections listed for the pages under `current_top`, with how
/// many are left out before and after them.
fn nav_sections(
    data: &SiteData<'_>,
    current_top: Option<SectionId>,
    page_links: &[PageLink],
    practice: &HashMap<SectionId, PracticeLinks>,
    notes: &HashMap<SectionId, Vec<PageId>>,
    listed: impl Fn(SectionId) -> bool,
) -> NavList {
    let model = data.model;
    let tops = &model.root().subsections;
    let at = tops.iter().position(|&id| Some(id) == current_top);
    let shown = section_window(tops.len(), at);
    let sections = tops[shown.clone()]
        .iter()
        .map(|&id| {
            let section = model.section(id);
            let is_current = Some(id) == current_top;
            let pages = match is_current && listed(id) {
                true => notes[&id].iter().map(|p| page_links[p.0].clone()).collect(),
                false => Vec::new(),
            };
            NavSection {
                title: section.title.clone(),
                url: data.targets.url(&section.path),
                is_current,
                pages,
                practice: is_current.then(|| practice.get(&id).cloned()).flatten(),
            }
        })
        .collect();
    NavList::new(sections, shown.start, tops.len() - shown.end)
}

/// Which of `count` top-level sections the sidebar lists, around the one at
/// `current` (the first ones on pages outside any section).
fn section_window(count: usize, current: Option<usize>) -> Range<usize> {
    if count <= SECTION_LIST_LIMIT {
        return 0..count;
    }
    window_around(count, current, SECTION_WINDOW)
}

/// `size` of `len` items centred on the one at `at` (else the first ones),
/// moved inwards at either end.
fn window_around(len: usize, at: Option<usize>, size: usize) -> Range<usize> {
    let start = at
        .unwrap_or(0)
        .saturating_sub(size / 2)
        .min(len.saturating_sub(size));
    start..(start + size).min(len)
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
