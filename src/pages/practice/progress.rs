//! `/progress/`: the learner's progress per section, the review queue of
//! missed questions, the mock exam history and the export and import of it
//! all. Progress lives in the browser, so the page carries what `progress.js`
//! needs to read it: each section's weight, question and card counts and the
//! URL of its ids file (`progress/ids-<section>.json`: the ids of its current
//! questions and cards, which the page counts the learner's records against;
//! tens of thousands on a large site, so not in the page), and the URL of the
//! index of the exam's pool files, where the review queue finds its questions.

use std::sync::Arc;

use bytes::Bytes;
use serde::Serialize;

use crate::content::model::SectionId;
use crate::pages::job::{Job, OutputHashes};
use crate::pages::kit::PageKit;
use crate::pages::practice::exam::{pools_url, ScriptJson};
use crate::pages::practice::exam_pool::POOLS_PATH;
use crate::pages::practice::{Practice, EXAM_PATH, FLASHCARDS_PATH, QUIZ_PATH};
use crate::pages::SiteData;
use crate::render::views::{NavView, SiteValue};
use crate::render::TEMPLATE_PROGRESS;
use crate::source::OutputPath;

/// Output path of the page.
pub(crate) const PROGRESS_PATH: &str = "progress/";

/// Context of `progress.html`.
#[derive(Debug, Hash, Serialize)]
pub(crate) struct ProgressContext<'a> {
    pub(crate) site: &'a SiteValue,
    pub(crate) nav: NavView<'a>,
    pub(crate) sections: Arc<[ProgressSection<'a>]>,
    /// The share of the scale the pass mark needs, in percent.
    pub(crate) pass_percent: u32,
    pub(crate) quiz_url: String,
    pub(crate) flashcards_url: String,
    pub(crate) exam_url: String,
    /// [`ProgressData`] as escaped JSON, for `progress.js`.
    pub(crate) progress_json: ScriptJson<ProgressData<'a>>,
}

/// A top-level section as the page lists it.
#[derive(Debug, Hash, Serialize)]
pub(crate) struct ProgressSection<'a> {
    /// Slug (`security`): the `section` of questions and exam results.
    section: String,
    title: &'a str,
    url: String,
    weight: Option<i64>,
    question_count: usize,
    card_count: usize,
    /// Its [`SectionIds`] file, from the site's root with its content hash.
    ids: String,
}

/// A section's `progress/ids-<section>.json`: the ids of its questions and cards.
#[derive(Hash, Serialize)]
struct SectionIds<'a> {
    questions: Vec<&'a str>,
    cards: Vec<&'a str>,
}

/// The page's own data, embedded in it.
#[derive(Debug, Hash, Serialize)]
pub(crate) struct ProgressData<'a> {
    sections: Arc<[ProgressSection<'a>]>,
    /// The pool's index (`exam/pools.json?h=…`): the page fetches only the
    /// files holding the questions it shows or re-attaches.
    pools: String,
    min_score: u32,
    max_score: u32,
    pass_score: u32,
}

pub(crate) fn jobs<'a>(
    data: &'a SiteData<'a>,
    kit: &'a PageKit,
    practice: &'a Practice<'a>,
) -> Vec<Job<'a>> {
    let mut jobs = ids_jobs(data, practice);
    let ids = jobs.iter().map(|j| j.output.clone());
    let needs = ids.chain([POOLS_PATH.into()]).collect();
    let view = move |hashes: &OutputHashes| {
        let sections: Arc<[ProgressSection<'a>]> = sections(data, practice, hashes).into();
        let exam = &data.config.exam;
        let progress_json = ScriptJson(ProgressData {
            sections: Arc::clone(&sections),
            pools: pools_url(hashes),
            min_score: exam.min_score,
            max_score: exam.max_score,
            pass_score: exam.pass_score,
        });
        let url = |path: &str| data.targets.url(&path.into());
        ProgressContext {
            site: &kit.site,
            nav: kit.nav(None, url(PROGRESS_PATH)),
            sections,
            pass_percent: pass_percent(exam.min_score, exam.pass_score, exam.max_score),
            quiz_url: url(QUIZ_PATH),
            flashcards_url: url(FLASHCARDS_PATH),
            exam_url: url(EXAM_PATH),
            progress_json,
        }
    };
    let output = format!("{PROGRESS_PATH}index.html").into();
    jobs.push(Job::page_after(
        output,
        needs,
        TEMPLATE_PROGRESS,
        PROGRESS_PATH,
        view,
    ));
    jobs
}

fn ids_path(data: &SiteData<'_>, id: SectionId) -> OutputPath {
    let slug = data.model.section(id).slug();
    format!("{PROGRESS_PATH}ids-{slug}.json").into()
}

/// Each top-level section's ids file.
fn ids_jobs<'a>(data: &'a SiteData<'a>, practice: &'a Practice<'a>) -> Vec<Job<'a>> {
    let tops = data.model.root().subsections.iter();
    tops.map(|&id| {
        let group = practice.group(Some(id));
        let ids = SectionIds {
            questions: group.questions.iter().map(|q| q.id.as_str()).collect(),
            cards: group.cards.iter().map(|c| c.id.as_str()).collect(),
        };
        Job::data(ids_path(data, id), ids, |ids| {
            Bytes::from(serde_json::to_vec(ids).expect("plain strings serialise"))
        })
    })
    .collect()
}

/// Every top-level section, with or without questions, in study order.
fn sections<'a>(
    data: &'a SiteData<'a>,
    practice: &'a Practice<'a>,
    hashes: &OutputHashes,
) -> Vec<ProgressSection<'a>> {
    let model = data.model;
    let section = |id: SectionId| {
        let section = model.section(id);
        let group = practice.group(Some(id));
        let ids = ids_path(data, id);
        ProgressSection {
            section: section.slug().to_string(),
            title: &section.title,
            url: data.targets.url(&section.path),
            weight: section.weight,
            question_count: group.questions.len(),
            card_count: group.cards.len(),
            ids: format!("{ids}?h={}", hashes[&ids]),
        }
    };
    model
        .root()
        .subsections
        .iter()
        .map(|&id| section(id))
        .collect()
}

/// Where the pass mark sits between the lowest and highest score, in percent
/// (the mock exam scales linearly between them).
fn pass_percent(min: u32, pass: u32, max: u32) -> u32 {
    let span = max.saturating_sub(min).max(1);
    (100 * pass.saturating_sub(min) + span / 2) / span
}

#[cfg(test)]
mod tests {
    use super::pass_percent;

    #[test]
    fn pass_percent_is_the_pass_marks_place_on_the_scale() {
        assert_eq!(pass_percent(100, 700, 1000), 67);
        assert_eq!(pass_percent(0, 720, 1000), 72);
        assert_eq!(pass_percent(500, 500, 500), 0);
    }
}
