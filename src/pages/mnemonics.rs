//! The `/mnemonics/` page: every MNEMONIC callout of the site, grouped by top-level
//! section in study order, each linking back to the heading it sits under.
//!
//! Built from the notes' [`Callout`] records, so nothing is parsed again. A site
//! without mnemonics gets no page.

use std::collections::HashMap;

use std::hash::{Hash, Hasher};

use serde::{Serialize, Serializer};

use crate::content::model::SectionId;
use crate::markdown::mnemonic::Mnemonic;
use crate::markdown::{Callout, RenderedNote};
use crate::pages::job::Job;
use crate::pages::kit::PageKit;
use crate::pages::paging::{Paging, NOTES_PER_PAGE};
use crate::pages::SiteData;
use crate::render::views::{NavView, PagerView, SiteValue};
use crate::render::TEMPLATE_MNEMONICS;
use crate::source::OutputPath;

/// Output path of the page, relative to the site root.
pub(crate) const MNEMONICS_PATH: &str = "mnemonics/";

/// Context of `mnemonics.html`.
#[derive(Debug, Hash, Serialize)]
pub(crate) struct MnemonicsContext<'a> {
    pub(crate) site: &'a SiteValue,
    pub(crate) nav: NavView<'a>,
    pub(crate) groups: Groups<'a>,
    /// Set when the mnemonics take more than one page.
    pub(crate) pager: Option<PagerView>,
}

/// The groups of [`MnemonicGroup`]s, made only when the page is rendered: at
/// 10,000 notes there are thousands of mnemonics, and an edit rarely changes
/// one. It hashes as the notes it is made from, each by the key of its
/// mnemonics, its title and its path.
pub(crate) struct Groups<'a> {
    data: &'a SiteData<'a>,
    notes: Vec<NoteAt<'a>>,
}

impl Hash for Groups<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for &(top, note, title, path) in &self.notes {
            (top, note.mnemonics_key, title, path).hash(state);
        }
    }
}

impl Serialize for Groups<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        groups(self.data, &self.notes).serialize(serializer)
    }
}

impl std::fmt::Debug for Groups<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Groups({} notes)", self.notes.len())
    }
}

/// The mnemonics of one top-level section (or of the home page).
#[derive(Debug, Serialize)]
pub(crate) struct MnemonicGroup<'a> {
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) entries: Vec<MnemonicEntry<'a>>,
}

/// One mnemonic and where it comes from.
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct MnemonicEntry<'a> {
    pub(crate) mnemonic: &'a Mnemonic,
    /// The note's title.
    pub(crate) page_title: String,
    /// The heading the mnemonic sits under, if any.
    pub(crate) heading: Option<String>,
    /// The note's URL with the heading's anchor.
    pub(crate) url: String,
}

/// True when any note or section index holds a mnemonic.
pub(crate) fn has_mnemonics(data: &SiteData<'_>) -> bool {
    data.notes
        .iter()
        .chain(data.section_notes)
        .flat_map(|note| &note.callouts)
        .any(|callout| callout.mnemonic.is_some())
}

/// `mnemonics/index.html`, paged by the notes the mnemonics come from, or
/// nothing when the site has no mnemonics.
pub(crate) fn jobs<'a>(data: &'a SiteData<'a>, kit: &'a PageKit) -> Vec<Job<'a>> {
    if !has_mnemonics(data) {
        return Vec::new();
    }
    let notes = notes_by_top(data, |note| note.mnemonics_key != 0);
    let paging = Paging::new(MNEMONICS_PATH.into(), notes.len(), NOTES_PER_PAGE);
    paging.jobs(TEMPLATE_MNEMONICS, data.targets, move |part| {
        MnemonicsContext {
            site: &kit.site,
            nav: kit.nav(None, part.url),
            groups: Groups {
                data,
                notes: notes[part.range].to_vec(),
            },
            pager: part.pager,
        }
    })
}

/// A note: its top-level section (the root for notes directly in content/), the
/// note, its title and its path.
pub(crate) type NoteAt<'a> = (SectionId, &'a RenderedNote, &'a str, &'a OutputPath);

/// The notes that `keep` keeps, in page order: each section's own index, then
/// its pages in study order, top-level sections in study order.
pub(crate) fn notes_by_top<'a>(
    data: &SiteData<'a>,
    keep: impl Fn(&RenderedNote) -> bool,
) -> Vec<NoteAt<'a>> {
    let model = data.model;
    let top_of = |id: SectionId| model.top_section(id).unwrap_or(SectionId(0));
    let sections = model.sections.iter().map(|section| {
        let note: &'a RenderedNote = &data.section_notes[section.id.0];
        (
            top_of(section.id),
            note,
            section.title.as_str(),
            &section.path,
        )
    });
    let pages = model.reading_order.iter().map(|&id| {
        let page = model.page(id);
        let note: &'a RenderedNote = &data.notes[id.0];
        (top_of(page.section), note, page.title.as_str(), &page.path)
    });
    let mut notes: Vec<NoteAt<'a>> = sections
        .chain(pages)
        .filter(|(_, note, ..)| keep(note))
        .collect();
    let rank: HashMap<SectionId, usize> = std::iter::once(SectionId(0))
        .chain(model.root().subsections.iter().copied())
        .enumerate()
        .map(|(rank, top)| (top, rank))
        .collect();
    notes.sort_by_key(|(top, ..)| rank[top]);
    notes
}

/// One group per top-level section, in the order of `notes`.
fn groups<'a>(data: &SiteData<'a>, notes: &[NoteAt<'a>]) -> Vec<MnemonicGroup<'a>> {
    let mut groups: Vec<(SectionId, MnemonicGroup<'a>)> = Vec::new();
    for &(top, note, title, path) in notes {
        if groups.last().is_none_or(|(last, _)| *last != top) {
            let section = data.model.section(top);
            groups.push((
                top,
                MnemonicGroup {
                    title: section.title.clone(),
                    url: data.targets.url(&section.path),
                    entries: Vec::new(),
                },
            ));
        }
        let (_, group) = groups.last_mut().expect("pushed above");
        group.entries.extend(note_entries(data, note, title, path));
    }
    groups.into_iter().map(|(_, group)| group).collect()
}

/// The mnemonics of one note, titled `title` at `path`.
pub(crate) fn note_entries<'a>(
    data: &SiteData<'a>,
    note: &'a RenderedNote,
    title: &str,
    path: &OutputPath,
) -> Vec<MnemonicEntry<'a>> {
    let page_url = data.targets.url(path);
    note.callouts
        .iter()
        .filter_map(|callout: &'a Callout| {
            let mnemonic = callout.mnemonic.as_ref()?;
            let (heading, url) = callout_link(note, callout, &page_url);
            Some(MnemonicEntry {
                mnemonic,
                page_title: title.to_string(),
                heading: heading.map(str::to_string),
                url,
            })
        })
        .collect()
}

/// The heading `callout` sits under, if any, and the URL of the note (at
/// `page_url`) with that heading's anchor.
pub(crate) fn callout_link<'n>(
    note: &'n RenderedNote,
    callout: &Callout,
    page_url: &str,
) -> (Option<&'n str>, String) {
    match callout.heading.map(|i| &note.headings[i]) {
        Some(heading) => (Some(&heading.text), format!("{page_url}#{}", heading.id)),
        None => (None, page_url.to_string()),
    }
}
