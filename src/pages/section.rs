//! Section pages (`/<section>/`) and the home page (the root section, `/`).

use crate::content::model::Section;
use crate::hashing::Keyed;
use crate::pages::job::Job;
use crate::pages::kit::{meta_view, section_summary, PageKit};
use crate::pages::SiteData;
use crate::render::views::{SectionContext, SectionView};
use crate::render::{TEMPLATE_INDEX, TEMPLATE_SECTION};

pub(crate) fn jobs<'a>(data: &'a SiteData<'a>, kit: &'a PageKit) -> Vec<Job<'a>> {
    data.model
        .sections
        .iter()
        .map(|section| {
            let template = match is_home(section) {
                true => TEMPLATE_INDEX,
                false => TEMPLATE_SECTION,
            };
            let origin = section
                .index
                .as_ref()
                .map_or(section.dir.clone(), |f| f.path.to_string());
            let output = section.path.join("index.html");
            Job::page(output, template, origin, move || {
                context(data, kit, section)
            })
        })
        .collect()
}

fn is_home(section: &Section) -> bool {
    section.id.0 == 0
}

fn context<'a>(
    data: &'a SiteData<'a>,
    kit: &'a PageKit,
    section: &'a Section,
) -> SectionContext<'a> {
    let url = data.targets.url(&section.path);
    let home = is_home(section);
    let note = &data.section_notes[section.id.0];
    SectionContext {
        site: &kit.site,
        meta: meta_view(data, &section.title, &section.description, &section.path),
        nav: kit.nav((!home).then_some(section.id), url.clone()),
        section: SectionView {
            title: &section.title,
            description: &section.description,
            permalink: format!("{}/{}", data.config.absolute_root(), section.path),
            url,
            weight: section.weight,
            content: Keyed::new(&note.html, note.source_key),
            pages: section
                .pages
                .iter()
                .map(|&p| kit.page_link(p).clone())
                .collect(),
            subsections: section
                .subsections
                .iter()
                .map(|&s| section_summary(data, s))
                .collect(),
            extra: &section.extra,
        },
        practice: kit.practice(section.id),
        ancestors: match home {
            true => &[],
            false => kit.ancestors(section.id),
        },
    }
}
