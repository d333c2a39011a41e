//! `/<section>/quiz/`: every question of one top-level section.

use std::sync::Arc;

use serde::Serialize;

use crate::pages::job::Job;
use crate::pages::kit::PageKit;
use crate::pages::practice::{Practice, QuizSection, QUIZ_PATH};
use crate::pages::SiteData;
use crate::quiz::QuizQuestion;
use crate::render::views::{NavView, SiteValue};
use crate::render::TEMPLATE_QUIZ;
use crate::source::OutputPath;

/// Context of `quiz.html`: one section's questions.
#[derive(Debug, Hash, Serialize)]
pub(crate) struct QuizContext<'a> {
    pub(crate) site: &'a SiteValue,
    pub(crate) nav: NavView<'a>,
    pub(crate) section: &'a QuizSection,
    pub(crate) questions: &'a [&'a Arc<QuizQuestion>],
    pub(crate) quiz_index_url: String,
}

pub(crate) fn jobs<'a>(
    data: &'a SiteData<'a>,
    kit: &'a PageKit,
    practice: &'a Practice<'a>,
) -> Vec<Job<'a>> {
    practice
        .sections
        .iter()
        .map(|section| {
            let path = OutputPath::from(format!("{}/{QUIZ_PATH}", section.section));
            let url = data.targets.url(&path);
            let view = move || QuizContext {
                site: &kit.site,
                nav: kit.nav(None, url),
                section,
                questions: &practice.group(Some(section.id)).questions,
                quiz_index_url: data.targets.url(&QUIZ_PATH.into()),
            };
            Job::page(
                path.join("index.html"),
                TEMPLATE_QUIZ,
                path.to_string(),
                view,
            )
        })
        .collect()
}
