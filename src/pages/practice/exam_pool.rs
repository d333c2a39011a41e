//! `exam/pool-<section>.json` (`exam/pool.json` for pages outside any section):
//! a section's share of the mock exam's pool, a file of its own. An edit
//! rewrites only its section's, and the whole pool is tens of megabytes at
//! 10,000 notes.

use bytes::Bytes;
use serde::Serialize;

use crate::content::model::SectionId;
use crate::pages::job::{Job, OutputHashes};
use crate::pages::practice::{Practice, EXAM_PATH};
use crate::pages::SiteData;
use crate::quiz::{QuestionSource, QuizQuestion};
use crate::source::OutputPath;

#[derive(Serialize)]
struct ExamPool<'a> {
    questions: Vec<ExamQuestion<'a>>,
}

/// What `exam.js` needs of a question, and nothing else.
#[derive(Serialize)]
struct ExamQuestion<'a> {
    id: &'a str,
    source: QuestionSource,
    /// `file:line` of the note it came from.
    location: &'a str,
    section: &'a str,
    section_title: &'a str,
    /// Plain text: what `/progress/` compares to re-attach a reworded question.
    stem: &'a str,
    stem_html: &'a str,
    options: Vec<ExamOption<'a>>,
    correct: &'a [usize],
    multi: bool,
    explanation_html: &'a str,
    page_title: &'a str,
    heading: Option<&'a str>,
    url: &'a str,
}

#[derive(Serialize)]
struct ExamOption<'a> {
    text: &'a str,
    html: &'a str,
}

impl<'a> From<&'a QuizQuestion> for ExamQuestion<'a> {
    fn from(q: &'a QuizQuestion) -> Self {
        ExamQuestion {
            id: &q.id,
            source: q.source,
            location: &q.location,
            section: &q.section,
            section_title: &q.section_title,
            stem: &q.stem,
            stem_html: &q.stem_html,
            options: q
                .options
                .iter()
                .map(|o| ExamOption {
                    text: &o.text,
                    html: &o.html,
                })
                .collect(),
            correct: &q.correct,
            multi: q.multi,
            explanation_html: &q.explanation_html,
            page_title: &q.page_title,
            heading: q.heading.as_deref(),
            url: &q.url,
        }
    }
}

/// The sections with questions in plan order, then pages outside any section.
pub(crate) fn pool_sections(practice: &Practice<'_>) -> Vec<(Option<SectionId>, OutputPath)> {
    let sections = practice.sections.iter();
    let path = |name: String| OutputPath::from(format!("{EXAM_PATH}{name}.json"));
    let named = sections.map(|s| (Some(s.id), path(format!("pool-{}", s.section))));
    named
        .chain([(None, path("pool".into()))])
        .filter(|(id, _)| !practice.group(*id).questions.is_empty())
        .collect()
}

/// The pool files' paths, which a page that fetches them names in its job's `needs`.
pub(crate) fn pool_paths(practice: &Practice<'_>) -> Vec<OutputPath> {
    pool_sections(practice)
        .into_iter()
        .map(|(_, p)| p)
        .collect()
}

/// The pool files' URLs with their content hashes (`?h=`), so a redeploy
/// never pairs a page with a stale pool.
pub(crate) fn pool_urls(
    data: &SiteData<'_>,
    paths: &[OutputPath],
    hashes: &OutputHashes,
) -> Vec<String> {
    let url = |path| format!("{}?h={}", data.targets.url(path), hashes[path]);
    paths.iter().map(url).collect()
}

pub(crate) fn jobs<'a>(practice: &'a Practice<'a>) -> Vec<Job<'a>> {
    pool_sections(practice)
        .into_iter()
        .map(|(id, path)| {
            let questions = &practice.group(id).questions;
            Job::data(path, questions, |questions| {
                let pool = ExamPool {
                    questions: questions
                        .iter()
                        .map(|q| ExamQuestion::from(&***q))
                        .collect(),
                };
                let json = serde_json::to_vec(&pool).expect("quiz data serialises: plain structs");
                Bytes::from(json)
            })
        })
        .collect()
}
