//! `/quiz/`: every section's quiz, with the reader's progress.

use serde::Serialize;

use crate::pages::job::Job;
use crate::pages::kit::PageKit;
use crate::pages::practice::{Practice, QuizSection, EXAM_PATH, FLASHCARDS_PATH, QUIZ_PATH};
use crate::pages::SiteData;
use crate::quiz::exam::exam_length;
use crate::render::views::{NavView, SiteValue};
use crate::render::TEMPLATE_QUIZ_INDEX;

/// Context of `quiz_index.html`.
#[derive(Debug, Hash, Serialize)]
pub(crate) struct QuizIndexContext<'a> {
    pub(crate) site: &'a SiteValue,
    pub(crate) nav: NavView<'a>,
    pub(crate) sections: &'a [QuizSection],
    pub(crate) total: usize,
    /// Questions in a mock exam (fewer than the real exam's when the pool is small).
    pub(crate) exam_questions: usize,
    pub(crate) flashcards_url: String,
    pub(crate) exam_url: String,
}

pub(crate) fn jobs<'a>(
    data: &'a SiteData<'a>,
    kit: &'a PageKit,
    practice: &'a Practice<'a>,
) -> Vec<Job<'a>> {
    let view = move || QuizIndexContext {
        site: &kit.site,
        nav: kit.nav(None, data.targets.url(&QUIZ_PATH.into())),
        sections: &practice.sections,
        total: practice.bank.questions.len(),
        exam_questions: exam_length(&data.config.exam, practice.bank.questions.len()),
        flashcards_url: data.targets.url(&FLASHCARDS_PATH.into()),
        exam_url: data.targets.url(&EXAM_PATH.into()),
    };
    let output = format!("{QUIZ_PATH}index.html").into();
    vec![Job::page(output, TEMPLATE_QUIZ_INDEX, QUIZ_PATH, view)]
}
