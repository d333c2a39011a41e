//! Tag pages: `/tags/<tag>/` lists the notes carrying a tag (front matter `tags` or
//! `#tags` in the text), and `/tags/` every tag with its notes. Notes appear in study
//! order, as titles and links only, so a page stays small however long the notes are;
//! a tag with more notes than a page lists is paged (`/tags/<tag>/page/2/`, …), and
//! the index shows each tag's first page of notes. A site without tags gets no tag pages.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::content::model::PageId;
use crate::content::slug::slugify;

use crate::markdown::tags::{clean_tag, tag_path, TAGS_PATH};
use crate::pages::job::Job;
use crate::pages::kit::PageKit;
use crate::pages::paging::{Paging, NOTES_PER_PAGE};
use crate::pages::SiteData;
use crate::render::views::{NavView, PageLink, PagerView, SiteValue, TagLink};
use crate::render::TEMPLATE_TAGS;

/// Context of `tags.html`: the index (every tag) or one tag's page.
#[derive(Debug, Hash, Serialize)]
pub(crate) struct TagsContext<'a> {
    pub(crate) site: &'a SiteValue,
    pub(crate) nav: NavView<'a>,
    /// Set on a tag's page: the index's URL, to go back to.
    pub(crate) index_url: Option<String>,
    pub(crate) tags: Vec<TagGroup<'a>>,
    /// Set on a tag's page when its notes take more than one page.
    pub(crate) pager: Option<PagerView>,
}

/// One tag and its notes.
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct TagGroup<'a> {
    /// As first written in study order.
    pub(crate) name: String,
    pub(crate) url: String,
    /// How many notes carry the tag.
    pub(crate) count: usize,
    /// Its notes, or those of one page of them.
    pub(crate) notes: Vec<&'a PageLink>,
}

/// The tag index and one page per tag (or per part of its notes), or nothing
/// when no note has a tag.
pub(crate) fn jobs<'a>(data: &'a SiteData<'a>, kit: &'a PageKit) -> Vec<Job<'a>> {
    let mut groups = groups(data, kit);
    if groups.is_empty() {
        return Vec::new();
    }
    let index_url = data.targets.url(&TAGS_PATH.into());
    let mut jobs: Vec<Job<'a>> = Vec::with_capacity(groups.len() + 1);
    for group in &groups {
        jobs.extend(tag_jobs(data, kit, group, &index_url));
    }
    for group in &mut groups {
        group.notes.truncate(NOTES_PER_PAGE);
    }
    let view = move || TagsContext {
        site: &kit.site,
        nav: kit.nav(None, index_url),
        index_url: None,
        tags: groups,
        pager: None,
    };
    let output = format!("{TAGS_PATH}index.html").into();
    jobs.insert(0, Job::page(output, TEMPLATE_TAGS, TAGS_PATH, view));
    jobs
}

/// The pages of one tag: one per part of its notes.
fn tag_jobs<'a>(
    data: &'a SiteData<'a>,
    kit: &'a PageKit,
    group: &TagGroup<'a>,
    index_url: &str,
) -> Vec<Job<'a>> {
    let paging = Paging::new(tag_path(&group.name), group.notes.len(), NOTES_PER_PAGE);
    let (group, index_url) = (group.clone(), index_url.to_string());
    paging.jobs(TEMPLATE_TAGS, data.targets, move |part| TagsContext {
        site: &kit.site,
        nav: kit.nav(None, part.url),
        index_url: Some(index_url.clone()),
        tags: vec![TagGroup {
            notes: group.notes[part.range].to_vec(),
            ..group.clone()
        }],
        pager: part.pager,
    })
}

/// Every tag's notes, tags sorted by slug, notes in study order, each note once a tag.
fn groups<'a>(data: &'a SiteData<'a>, kit: &'a PageKit) -> Vec<TagGroup<'a>> {
    let mut groups: BTreeMap<String, TagGroup<'a>> = BTreeMap::new();
    for &id in &data.model.reading_order {
        let page = data.model.page(id);
        let written = page.tags.iter().chain(&data.notes[id.0].tags);
        for tag in written.map(|t| clean_tag(t)).filter(|t| !t.is_empty()) {
            let group = groups.entry(slugify(tag)).or_insert_with(|| TagGroup {
                name: tag.to_string(),
                url: data.targets.url(&tag_path(tag)),
                count: 0,
                notes: Vec::new(),
            });
            // Pages come in order, so a page seen under this tag is the last one.
            let link = kit.page_link(id);
            if !group.notes.last().is_some_and(|n| std::ptr::eq(*n, link)) {
                group.notes.push(link);
                group.count += 1;
            }
        }
    }
    groups.into_values().collect()
}

/// A note's tags, front matter's first, each once, linked to their pages.
pub(crate) fn page_tags(data: &SiteData<'_>, id: PageId) -> Vec<TagLink> {
    let written = data
        .model
        .page(id)
        .tags
        .iter()
        .chain(&data.notes[id.0].tags);
    let mut links: Vec<TagLink> = Vec::new();
    for tag in written.map(|t| clean_tag(t)).filter(|t| !t.is_empty()) {
        let url = data.targets.url(&tag_path(tag));
        if !links.iter().any(|l| l.url == url) {
            links.push(TagLink {
                name: tag.to_string(),
                url,
            });
        }
    }
    links
}
