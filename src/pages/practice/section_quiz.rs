//! `/<section>/quiz/`: the questions of one top-level section, a hundred a page
//! (`/<section>/quiz/page/2/`, …; see [`paging`](crate::pages::paging)).

use std::sync::Arc;

use serde::Serialize;

use crate::pages::job::Job;
use crate::pages::kit::PageKit;
use crate::pages::paging::{Paging, QUESTIONS_PER_PAGE};
use crate::pages::practice::{Practice, QuizSection, QUIZ_PATH};
use crate::pages::SiteData;
use crate::quiz::QuizQuestion;
use crate::render::views::{NavView, PagerView, SiteValue};
use crate::render::TEMPLATE_QUIZ;
use crate::source::OutputPath;

/// Context of `quiz.html`: one section's questions, or one page of them.
#[derive(Debug, Hash, Serialize)]
pub(crate) struct QuizContext<'a> {
    pub(crate) site: &'a SiteValue,
    pub(crate) nav: NavView<'a>,
    pub(crate) section: &'a QuizSection,
    pub(crate) questions: &'a [&'a Arc<QuizQuestion>],
    pub(crate) quiz_index_url: String,
    /// Set when the section's questions take more than one page.
    pub(crate) pager: Option<PagerView>,
}

pub(crate) fn jobs<'a>(
    data: &'a SiteData<'a>,
    kit: &'a PageKit,
    practice: &'a Practice<'a>,
) -> Vec<Job<'a>> {
    let mut jobs = Vec::new();
    for section in &practice.sections {
        let questions = &practice.group(Some(section.id)).questions;
        let base = OutputPath::from(format!("{}/{QUIZ_PATH}", section.section));
        let paging = Paging::new(base, questions.len(), QUESTIONS_PER_PAGE);
        jobs.extend(
            paging.jobs(TEMPLATE_QUIZ, data.targets, move |part| QuizContext {
                site: &kit.site,
                nav: kit.nav(None, part.url),
                section,
                questions: &questions[part.range],
                quiz_index_url: data.targets.url(&QUIZ_PATH.into()),
                pager: part.pager,
            }),
        );
    }
    jobs
}
