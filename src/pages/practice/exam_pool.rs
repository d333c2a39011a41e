//! `exam/pool-<section>.json` (`exam/pool.json` for pages outside any section):
//! a section's share of the mock exam's pool, a file of its own. An edit
//! rewrites only its section's, and the whole pool is tens of megabytes at
//! 10,000 notes.

use std::borrow::Cow;

use serde::Serialize;

use crate::content::model::SectionId;
use crate::markdown::highlight::escape as escape_html;
use crate::pages::job::{Job, OutputHashes};
use crate::pages::joined::{Frame, Joined};
use crate::pages::practice::{Practice, EXAM_PATH};
use crate::quiz::{QuestionSource, QuizQuestion};
use crate::render::relative::{relative_urls, ROOT_PAGE};
use crate::source::OutputPath;

/// The file is `{"questions":[…]}`, each question an [`ExamQuestion`].
/// What `exam.js` needs of a question, and nothing else. An HTML field that
/// is only its plain field escaped (a generated stem, most options) is left
/// out, and the reader escapes the plain one: it was a third of the file.
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
    #[serde(skip_serializing_if = "Option::is_none")]
    stem_html: Option<Cow<'a, str>>,
    options: Vec<ExamOption<'a>>,
    correct: &'a [usize],
    multi: bool,
    explanation_html: Cow<'a, str>,
    page_title: &'a str,
    heading: Option<&'a str>,
    /// From the site's root (`aws/iam/#roles`), as are the links in the HTML:
    /// the pages that show a question resolve them against the root.
    url: &'a str,
}

#[derive(Serialize)]
struct ExamOption<'a> {
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    html: Option<Cow<'a, str>>,
}

impl<'a> ExamQuestion<'a> {
    fn new(q: &'a QuizQuestion, base_path: &str) -> Self {
        let html = |html: &'a str| relative_urls(html, base_path, ROOT_PAGE);
        let unless_escaped =
            |field: &'a str, text: &str| (field != escape_html(text)).then(|| html(field));
        ExamQuestion {
            id: &q.id,
            source: q.source,
            location: &q.location,
            section: &q.section,
            section_title: &q.section_title,
            stem: &q.stem,
            stem_html: unless_escaped(&q.stem_html, &q.stem),
            options: q
                .options
                .iter()
                .map(|o| ExamOption {
                    text: &o.text,
                    html: unless_escaped(&o.html, &o.text),
                })
                .collect(),
            correct: &q.correct,
            multi: q.multi,
            explanation_html: html(&q.explanation_html),
            page_title: &q.page_title,
            heading: q.heading.as_deref(),
            url: q.url.strip_prefix(base_path).unwrap_or(&q.url),
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

/// The pool files' URLs from the site's root with their content hashes (`?h=`),
/// so a redeploy never pairs a page with a stale pool.
pub(crate) fn pool_urls(paths: &[OutputPath], hashes: &OutputHashes) -> Vec<String> {
    paths
        .iter()
        .map(|path| format!("{path}?h={}", hashes[path]))
        .collect()
}

pub(crate) fn jobs<'a>(practice: &'a Practice<'a>, base_path: &'a str) -> Vec<Job<'a>> {
    pool_sections(practice)
        .into_iter()
        .map(|(id, path)| {
            let questions = &practice.group(id).questions;
            let joined = Joined {
                // As serde writes `ExamPool`.
                frame: Frame {
                    head: r#"{"questions":["#.into(),
                    separator: ",",
                    tail: "]}",
                },
                context: base_path,
                items: questions.iter().map(|q| (q.key, q)).collect(),
            };
            Job::joined(path, joined, |base_path, question| {
                let question = ExamQuestion::new(question, base_path);
                serde_json::to_vec(&question).expect("quiz data serialises: plain structs")
            })
        })
        .collect()
}
