//! The quiz pages: `/<section>/quiz/` per top-level section, the `/quiz/` index,
//! `/flashcards/` and the `/exam/` mock exam.
//!
//! Questions are rendered server-side through `partials/quiz_question.html` (the
//! partial QUIZ callouts use on note pages), so every page works without
//! JavaScript; the flashcards and the exam also embed their data as JSON in a
//! `<script type="application/json">`, escaped by [`json_for_script`].

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::error::Result;
use crate::quiz::exam::{plan_exam, ExamPlan};
use crate::quiz::{Flashcard, QuestionSource, QuizBank, QuizQuestion};
use crate::render::pages::{nav_view, Emit, RenderedFile, SiteInput, Stream};
use crate::render::views::{NavView, SiteValue};
use crate::render::{
    Renderer, TEMPLATE_EXAM, TEMPLATE_FLASHCARDS, TEMPLATE_QUIZ, TEMPLATE_QUIZ_INDEX,
};

/// Output paths of the site-wide quiz pages.
pub(crate) const QUIZ_PATH: &str = "quiz/";
pub(crate) const FLASHCARDS_PATH: &str = "flashcards/";
pub(crate) const EXAM_PATH: &str = "exam/";
/// The exam's question pool, beside its page.
pub(crate) const EXAM_QUESTIONS: &str = "exam/questions.json";

/// Context of `quiz.html`: one section's questions.
#[derive(Debug, Serialize)]
pub(crate) struct QuizContext<'a> {
    pub(crate) site: &'a SiteValue,
    pub(crate) nav: NavView,
    pub(crate) section: QuizSection,
    pub(crate) questions: Vec<&'a QuizQuestion>,
    pub(crate) quiz_index_url: String,
}

/// Context of `quiz_index.html`.
#[derive(Debug, Serialize)]
pub(crate) struct QuizIndexContext<'a> {
    pub(crate) site: &'a SiteValue,
    pub(crate) nav: NavView,
    pub(crate) sections: &'a [QuizSection],
    pub(crate) total: usize,
    pub(crate) flashcards_url: String,
    pub(crate) exam_url: String,
}

/// A top-level section's quiz, as listed on `/quiz/`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct QuizSection {
    /// Slug (`security`), the key of the reader's best score in localStorage.
    pub(crate) section: String,
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) weight: Option<i64>,
    pub(crate) questions: usize,
    pub(crate) from_callouts: usize,
    pub(crate) generated: usize,
}

/// Context of `flashcards.html`.
#[derive(Debug, Serialize)]
pub(crate) struct FlashcardsContext<'a> {
    pub(crate) site: &'a SiteValue,
    pub(crate) nav: NavView,
    /// Rendered as a list that `flashcards.js` reads its cards from.
    pub(crate) cards: &'a [Flashcard],
}

/// Context of `exam.html`. The page does not list the pool: at thousands of
/// questions that made it hundreds of megabytes. Without JavaScript it links to
/// the section quizzes, which show every question with its answer.
#[derive(Debug, Serialize)]
pub(crate) struct ExamContext<'a> {
    pub(crate) site: &'a SiteValue,
    pub(crate) nav: NavView,
    pub(crate) plan: &'a ExamPlan,
    pub(crate) sections: &'a [QuizSection],
    /// `{ plan, questions_url }` as escaped JSON, for `exam.js`.
    pub(crate) exam_json: String,
}

/// The exam page's own data: small, embedded in the page.
#[derive(Serialize)]
struct ExamData<'a> {
    plan: &'a ExamPlan,
    /// [`EXAM_QUESTIONS`], fetched by `exam.js`.
    questions_url: String,
}

/// The whole pool, a file of its own: tens of megabytes at 10,000 notes, so it
/// is written as it is serialised, and loaded only once the exam page runs.
#[derive(Serialize)]
struct ExamPool<'a> {
    questions: &'a [ExamQuestion<'a>],
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

/// Renders every quiz page of `bank`, handing each to `emit` as it is made;
/// returns their paths (for the sitemap).
pub(crate) fn render_quiz_pages(
    input: &SiteInput<'_>,
    bank: &QuizBank,
    renderer: &Renderer,
    site: &SiteValue,
    emit: &Emit<'_>,
    stream: &Stream<'_>,
) -> Result<Vec<String>> {
    let sections = quiz_sections(input, bank);
    let mut by_section: HashMap<&str, Vec<&QuizQuestion>> = HashMap::new();
    for question in &bank.questions {
        by_section
            .entry(&question.section)
            .or_default()
            .push(question);
    }
    let section_pages: Vec<(&QuizSection, Vec<&QuizQuestion>)> = sections
        .iter()
        .map(|s| (s, by_section.remove(s.section.as_str()).unwrap_or_default()))
        .collect();
    let mut paths = section_pages
        .into_par_iter()
        .map(|(section, questions)| {
            let path = section_quiz_path(&section.section);
            let context = QuizContext {
                site,
                nav: nav_view(input, None, section.url.clone()),
                section: section.clone(),
                questions,
                quiz_index_url: input.targets.url(QUIZ_PATH),
            };
            emit(page(renderer, TEMPLATE_QUIZ, &context, &path)?)?;
            Ok(path)
        })
        .collect::<Result<Vec<String>>>()?;
    let index = QuizIndexContext {
        site,
        nav: nav_view(input, None, input.targets.url(QUIZ_PATH)),
        total: bank.questions.len(),
        sections: &sections,
        flashcards_url: input.targets.url(FLASHCARDS_PATH),
        exam_url: input.targets.url(EXAM_PATH),
    };
    emit(page(renderer, TEMPLATE_QUIZ_INDEX, &index, QUIZ_PATH)?)?;
    let flashcards = FlashcardsContext {
        site,
        nav: nav_view(input, None, input.targets.url(FLASHCARDS_PATH)),
        cards: &bank.flashcards,
    };
    stream_page(
        renderer,
        stream,
        TEMPLATE_FLASHCARDS,
        &flashcards,
        FLASHCARDS_PATH,
    )?;
    let plan = plan_exam(&input.config.exam, input.model, bank);
    let questions: Vec<ExamQuestion<'_>> = bank.questions.iter().map(ExamQuestion::from).collect();
    let hash = stream(EXAM_QUESTIONS, &mut |writer| {
        serde_json::to_writer(
            writer,
            &ExamPool {
                questions: &questions,
            },
        )
        .map_err(Into::into)
    })?;
    drop(questions);
    let exam = ExamContext {
        site,
        nav: nav_view(input, None, input.targets.url(EXAM_PATH)),
        plan: &plan,
        sections: &sections,
        exam_json: json_for_script(&ExamData {
            plan: &plan,
            questions_url: format!("{}?h={hash}", input.targets.url(EXAM_QUESTIONS)),
        }),
    };
    emit(page(renderer, TEMPLATE_EXAM, &exam, EXAM_PATH)?)?;
    paths.extend([QUIZ_PATH, FLASHCARDS_PATH, EXAM_PATH].map(String::from));
    Ok(paths)
}

fn page(
    renderer: &Renderer,
    template: &str,
    context: &impl Serialize,
    path: &str,
) -> Result<RenderedFile> {
    Ok(RenderedFile {
        path: format!("{path}index.html"),
        body: renderer.render(template, context, Some(path))?.into(),
    })
}

/// [`page`] written as Tera renders it: the flashcards page is tens of
/// megabytes on a large site.
fn stream_page(
    renderer: &Renderer,
    stream: &Stream<'_>,
    template: &str,
    context: &impl Serialize,
    path: &str,
) -> Result<()> {
    let mut failure = None;
    let streamed = stream(&format!("{path}index.html"), &mut |writer| {
        renderer
            .render_to(template, context, Some(path), writer)
            .map_err(|error| {
                failure = Some(error);
                std::io::Error::other("the template failed")
            })
    });
    match failure {
        Some(error) => Err(error),
        None => streamed.map(drop),
    }
}

fn section_quiz_path(section: &str) -> String {
    format!("{section}/{QUIZ_PATH}")
}

/// Top-level sections that have questions, in study order.
fn quiz_sections(input: &SiteInput<'_>, bank: &QuizBank) -> Vec<QuizSection> {
    let model = input.model;
    model
        .root()
        .subsections
        .iter()
        .filter_map(|&id| {
            let section = model.section(id);
            let slug = section.path.trim_end_matches('/').to_string();
            let of_section = |q: &&QuizQuestion| q.section == slug;
            let questions: Vec<&QuizQuestion> = bank.questions.iter().filter(of_section).collect();
            let from_callouts = questions
                .iter()
                .filter(|q| q.source == QuestionSource::Callout)
                .count();
            (!questions.is_empty()).then(|| QuizSection {
                url: input.targets.url(&section_quiz_path(&slug)),
                title: section.title.clone(),
                weight: section.weight,
                questions: questions.len(),
                from_callouts,
                generated: questions.len() - from_callouts,
                section: slug,
            })
        })
        .collect()
}

/// JSON that is safe inside `<script type="application/json">`: `<`, `>` and `&`
/// become `\u003c`, `\u003e`, `\u0026`, so note text holding `</script>` or `<!--`
/// cannot end the element early; `JSON.parse` reads them back unchanged.
pub(crate) fn json_for_script(value: &impl Serialize) -> String {
    let mut json = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut json, ScriptSafe);
    value
        .serialize(&mut serializer)
        .expect("quiz data serialises: plain structs");
    String::from_utf8(json).expect("serde_json writes UTF-8")
}

/// Escapes inside string literals as they are written: the only place the
/// characters can occur, and no second copy of a page-sized string.
struct ScriptSafe;

impl serde_json::ser::Formatter for ScriptSafe {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut rest = fragment;
        while let Some(at) = rest.find(['<', '>', '&', '\u{2028}', '\u{2029}']) {
            let c = rest[at..].chars().next().expect("found a character");
            writer.write_all(&rest.as_bytes()[..at])?;
            write!(writer, "\\u{:04x}", u32::from(c))?;
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::json_for_script;

    #[test]
    fn script_json_cannot_close_its_element() {
        let json = json_for_script(&["</script><script>alert(1)</script> & <!--"]);
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
        let back: Vec<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, ["</script><script>alert(1)</script> & <!--"]);
    }
}
