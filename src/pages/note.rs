//! Note pages: `/<section>/<note>/`, one per page in reading order, with the
//! previous and next notes.

use crate::content::model::PageId;
use crate::hashing::Keyed;
use crate::markdown::RenderedNote;
use crate::pages::job::Job;
use crate::pages::kit::{meta_view, PageKit};
use crate::pages::tags::page_tags;
use crate::pages::SiteData;
use crate::render::views::{PageContext, PageView};
use crate::render::TEMPLATE_PAGE;

const WORDS_PER_MINUTE: usize = 200;

pub(crate) fn jobs<'a>(data: &'a SiteData<'a>, kit: &'a PageKit) -> Vec<Job<'a>> {
    jobs_of(data, kit, |_| true)
}

/// The pages of the notes `wanted` picks.
pub(crate) fn jobs_of<'a>(
    data: &'a SiteData<'a>,
    kit: &'a PageKit,
    wanted: impl Fn(PageId) -> bool,
) -> Vec<Job<'a>> {
    let order = &data.model.reading_order;
    order
        .iter()
        .enumerate()
        .filter(|&(_, &id)| wanted(id))
        .map(|(position, &id)| {
            let page = data.model.page(id);
            let view = move || context(data, kit, position, id);
            let origin: &str = &page.file.path;
            Job::page(page.path.join("index.html"), TEMPLATE_PAGE, origin, view)
        })
        .collect()
}

/// The context of note `id`, at `position` in reading order.
fn context<'a>(
    data: &'a SiteData<'a>,
    kit: &'a PageKit,
    position: usize,
    id: PageId,
) -> PageContext<'a> {
    let model = data.model;
    let page = model.page(id);
    let note = &data.notes[id.0];
    let neighbour = |i: Option<usize>| {
        let id = i.and_then(|i| model.reading_order.get(i))?;
        Some(kit.page_link(*id))
    };
    let url = kit.page_link(id).url.as_str();
    PageContext {
        site: &kit.site,
        meta: meta_view(data, &page.title, &page.description, &page.path),
        nav: kit.note_nav(page.section, id, url),
        page: PageView {
            title: &page.title,
            title_id: note.title_id.as_deref(),
            practice_exam: practice_exam_questions(note),
            description: &page.description,
            permalink: format!("{}/{}", data.config.absolute_root(), page.path),
            url,
            path: &page.path,
            content: Keyed::new(&note.html, note.source_key),
            toc: &note.toc,
            word_count: note.word_count,
            reading_minutes: note.word_count.div_ceil(WORDS_PER_MINUTE).max(1),
            tags: page_tags(data, id),
            extra: &page.extra,
            source: &page.file.path,
        },
        ancestors: kit.ancestors(page.section),
        practice: kit.practice(page.section),
        previous: neighbour(position.checked_sub(1)),
        next: neighbour(Some(position + 1)),
    }
}

/// A page made of practice questions, allowing a short introduction: at least
/// two of them, and at most this many words of its own besides.
const PRACTICE_EXAM_PROSE_WORDS: usize = 100;

fn practice_exam_questions(note: &RenderedNote) -> usize {
    let is_exam = note.practice_questions >= 2 && note.word_count <= PRACTICE_EXAM_PROSE_WORDS;
    if is_exam {
        note.practice_questions
    } else {
        0
    }
}
