//! What every page shares: the site view and the sidebar, made once per build,
//! and the small views (links, summaries, meta tags) that page kinds build theirs from.

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::content::model::{Page, PageId, Section, SectionId, SiteModel};
use crate::hashing::{json_key, Keyed};
use crate::pages::mnemonics::{has_mnemonics, MNEMONICS_PATH};
use crate::pages::practice::Practice;
use crate::pages::sidebar::Sidebar;
use crate::pages::SiteData;
use crate::render::views::{
    MetaView, NavView, PageLink, PracticeLinks, SectionSummary, SiteValue, SiteView,
};

pub(crate) struct PageKit {
    pub(crate) site: SiteValue,
    /// Each page's link (title, URL, description), by `PageId`: made once, as
    /// its own page's URL and its neighbours' previous and next links.
    page_links: Vec<PageLink>,
    /// Each section's chain of sections from the top (the breadcrumb), by `SectionId`.
    ancestors: Vec<Vec<PageLink>>,
    /// Each section's top-level section, by `SectionId`.
    tops: Vec<Option<SectionId>>,
    /// Each top-level section's practice pages.
    practice: HashMap<SectionId, PracticeLinks>,
    /// Each section's first note (subsections included), by `SectionId`: where
    /// a section page's sidebar window starts.
    first_notes: Vec<Option<PageId>>,
    sidebar: Sidebar,
}

impl PageKit {
    pub(crate) fn new(data: &SiteData<'_>, practice: &Practice<'_>) -> Self {
        let site_view = site_view(data, practice);
        let practice = practice_links(practice);
        let pages = data.model.pages.par_iter();
        let page_links: Vec<PageLink> = pages.map(|page| page_link(data, page)).collect();
        let sidebar = Sidebar::new(data, &page_links, &practice);
        let sections = &data.model.sections;
        PageKit {
            practice,
            page_links,
            ancestors: sections.iter().map(|s| ancestors(data, s.id)).collect(),
            tops: sections
                .iter()
                .map(|s| data.model.top_section(s.id))
                .collect(),
            site: Keyed::new(
                tera::Value::from_serializable(&site_view),
                json_key(&site_view),
            ),
            first_notes: sections
                .iter()
                .map(|s| first_note(data.model, s.id))
                .collect(),
            sidebar,
        }
    }

    /// The practice pages of the top-level section above `section`.
    pub(crate) fn practice(&self, section: SectionId) -> Option<&PracticeLinks> {
        self.practice.get(&self.tops[section.0]?)
    }

    /// The link to page `id`.
    pub(crate) fn page_link(&self, id: PageId) -> &PageLink {
        &self.page_links[id.0]
    }

    /// The breadcrumb of a page under `section`: the sections from the top.
    pub(crate) fn ancestors(&self, section: SectionId) -> &[PageLink] {
        &self.ancestors[section.0]
    }

    /// The sidebar of a page under `section` (`None`: a generated page).
    pub(crate) fn nav<'k>(
        &'k self,
        section: Option<SectionId>,
        current_url: impl Into<Cow<'k, str>>,
    ) -> NavView<'k> {
        let anchor = section.and_then(|s| self.first_notes[s.0]);
        self.nav_at(section, anchor, current_url)
    }

    /// The sidebar of note `page` under `section`.
    pub(crate) fn note_nav<'k>(
        &'k self,
        section: SectionId,
        page: PageId,
        current_url: impl Into<Cow<'k, str>>,
    ) -> NavView<'k> {
        self.nav_at(Some(section), Some(page), current_url)
    }

    fn nav_at<'k>(
        &'k self,
        section: Option<SectionId>,
        anchor: Option<PageId>,
        current_url: impl Into<Cow<'k, str>>,
    ) -> NavView<'k> {
        let top = section.and_then(|s| self.tops[s.0]);
        let sections = self.sidebar.list(top);
        NavView {
            sections,
            sections_earlier: sections.earlier,
            sections_later: sections.later,
            current_url: current_url.into(),
            window: top.and_then(|top| self.sidebar.window(top, anchor)),
        }
    }
}

fn site_view(data: &SiteData<'_>, practice: &Practice<'_>) -> SiteView {
    let mnemonics_url = has_mnemonics(data).then(|| data.targets.url(&MNEMONICS_PATH.into()));
    let config = data.config;
    SiteView {
        title: config.title.clone(),
        description: config.description.clone(),
        language: config.language.clone(),
        base_path: data.targets.base_path.clone(),
        base_url: config.absolute_root(),
        exam: config.exam.clone(),
        search: config.search.enabled,
        extra: config.extra.clone(),
        sections: data
            .model
            .root()
            .subsections
            .iter()
            .map(|&id| section_summary(data, id))
            .collect(),
        mnemonics_url,
        cram_url: practice.crams.site_url(data),
    }
}

pub(crate) fn section_summary(data: &SiteData<'_>, id: SectionId) -> SectionSummary {
    let section = data.model.section(id);
    SectionSummary {
        slug: section.slug().to_string(),
        title: section.title.clone(),
        url: data.targets.url(&section.path),
        description: section.description.clone(),
        weight: section.weight,
        page_count: data.model.page_count(id),
    }
}

fn page_link(data: &SiteData<'_>, page: &Page) -> PageLink {
    PageLink {
        title: page.title.clone(),
        url: data.targets.url(&page.path),
        description: page.description.clone(),
    }
}

fn section_link(data: &SiteData<'_>, section: &Section) -> PageLink {
    PageLink {
        title: section.title.clone(),
        url: data.targets.url(&section.path),
        description: section.description.clone(),
    }
}

/// The section chain from the top, for the breadcrumb.
fn ancestors(data: &SiteData<'_>, section: SectionId) -> Vec<PageLink> {
    data.model
        .section_chain(section)
        .into_iter()
        .map(|id| section_link(data, data.model.section(id)))
        .collect()
}

/// A page's meta tags: its title, its description (else the site's) and, when
/// the base URL is absolute, its canonical URL.
pub(crate) fn meta_view<'a>(
    data: &'a SiteData<'a>,
    title: &'a str,
    description: &'a str,
    path: &str,
) -> MetaView<'a> {
    let root = absolute_root(data.config);
    MetaView {
        title,
        description: if description.is_empty() {
            &data.config.description
        } else {
            description
        },
        canonical: root.map_or(String::new(), |root| format!("{root}/{path}")),
    }
}

/// The site's root URL without a trailing slash, when `base_url` is absolute.
pub(crate) fn absolute_root(config: &SiteConfig) -> Option<String> {
    config.has_absolute_base().then(|| config.absolute_root())
}

/// Each top-level section's quiz, deck and cram sheet URLs, where it has them.
fn practice_links(practice: &Practice<'_>) -> HashMap<SectionId, PracticeLinks> {
    let mut links: HashMap<SectionId, PracticeLinks> = HashMap::new();
    let empty = || PracticeLinks {
        quiz_url: None,
        deck_url: None,
        cram_url: None,
    };
    for section in &practice.sections {
        links.entry(section.id).or_insert_with(empty).quiz_url = Some(section.url.clone());
    }
    for deck in &practice.decks {
        links.entry(deck.id).or_insert_with(empty).deck_url = Some(deck.url.clone());
    }
    for sheet in &practice.crams.sections {
        links.entry(sheet.id).or_insert_with(empty).cram_url = Some(sheet.url.clone());
    }
    links
}

/// The first note under section `id`, in sidebar order.
fn first_note(model: &SiteModel, id: SectionId) -> Option<PageId> {
    let section = model.section(id);
    let nested = || {
        section
            .subsections
            .iter()
            .find_map(|&s| first_note(model, s))
    };
    section.pages.first().copied().or_else(nested)
}
