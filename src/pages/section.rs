//! Section pages (`/<section>/`) and the home page (the root section, `/`).
//! A section with more notes than a page lists is paged (`/<section>/page/2/`, …,
//! see [`paging`](crate::pages::paging)); its text and subsections are on page 1
//! only, and the home page's later pages are plain section pages.

use crate::content::model::{PageId, Section};
use crate::hashing::Keyed;
use crate::markdown::packed::NO_HTML;
use crate::pages::job::Job;
use crate::pages::kit::{meta_view, section_summary, PageKit};
use crate::pages::paging::{Paging, Part, NOTES_PER_PAGE};
use crate::pages::SiteData;
use crate::render::views::{SectionContext, SectionView};
use crate::render::{TEMPLATE_INDEX, TEMPLATE_SECTION};

pub(crate) fn jobs<'a>(data: &'a SiteData<'a>, kit: &'a PageKit) -> Vec<Job<'a>> {
    let sections = data.model.sections.iter();
    sections
        .flat_map(|section| section_jobs(data, kit, section))
        .collect()
}

/// The pages of one section: one, or one per part of its notes.
fn section_jobs<'a>(
    data: &'a SiteData<'a>,
    kit: &'a PageKit,
    section: &'a Section,
) -> Vec<Job<'a>> {
    let origin = section
        .index
        .as_ref()
        .map_or(section.dir.clone(), |f| f.path.to_string());
    let paging = Paging::new(section.path.clone(), section.pages.len(), NOTES_PER_PAGE);
    let jobs = paging.parts(data.targets).map(|part| {
        let template = match is_home(section) && part.number == 1 {
            true => TEMPLATE_INDEX,
            false => TEMPLATE_SECTION,
        };
        let output = part.path.join("index.html");
        let view = move || context(data, kit, section, part);
        Job::page(output, template, origin.clone(), view)
    });
    jobs.collect()
}

fn is_home(section: &Section) -> bool {
    section.id.0 == 0
}

fn context<'a>(
    data: &'a SiteData<'a>,
    kit: &'a PageKit,
    section: &'a Section,
    part: Part,
) -> SectionContext<'a> {
    let url = part.url;
    let home = is_home(section);
    let first = part.number == 1;
    let note = &data.section_notes[section.id.0];
    let pages: &[PageId] = &section.pages[part.range];
    SectionContext {
        site: &kit.site,
        meta: meta_view(data, &section.title, &section.description, &part.path),
        // A later page's sidebar shows the notes around its first.
        nav: match (home || first, pages.first()) {
            (false, Some(&note)) => kit.note_nav(section.id, note, url.clone()),
            _ => kit.nav((!home).then_some(section.id), url.clone()),
        },
        section: SectionView {
            title: &section.title,
            description: &section.description,
            permalink: format!("{}/{}", data.config.absolute_root(), part.path),
            url,
            weight: section.weight,
            content: match first {
                true => Keyed::new(&note.html, note.source_key),
                false => Keyed::new(&NO_HTML, 0),
            },
            pages: pages.iter().map(|&p| kit.page_link(p).clone()).collect(),
            subsections: match first {
                true => section
                    .subsections
                    .iter()
                    .map(|&s| section_summary(data, s))
                    .collect(),
                false => Vec::new(),
            },
            extra: &section.extra,
        },
        pager: part.pager,
        practice: kit.practice(section.id),
        ancestors: match home {
            true => &[],
            false => kit.ancestors(section.id),
        },
    }
}
