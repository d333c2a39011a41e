//! The practice pages: `/<section>/quiz/` and `/<section>/flashcards/` per
//! top-level section, the `/quiz/` and `/flashcards/` indexes, and the `/exam/`
//! mock exam with its pool of questions in one JSON file per section.
//!
//! Questions are rendered server-side through `partials/quiz_question.html` (the
//! partial QUIZ callouts use on note pages), so every page works without
//! JavaScript; the exam embeds its plan as JSON in a
//! `<script type="application/json">`, escaped by [`json_for_script`].
//!
//! Everything is per section so that a site's size does not make any one file
//! huge, and so that `serve` re-renders only the sections an edit touched.

use std::sync::Arc;

use bytes::Bytes;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::memo::{key_of, try_memoised, Memo};
use crate::quiz::exam::{plan_exam, ExamPlan};
use crate::quiz::{Flashcard, QuestionSource, QuizBank, QuizQuestion};
use crate::render::pages::{json_hash, Emit, PageKit, RenderedFile, SiteInput};
use crate::render::views::{NavView, SiteValue};
use crate::render::{
    content_hash, TEMPLATE_EXAM, TEMPLATE_FLASHCARDS, TEMPLATE_QUIZ, TEMPLATE_QUIZ_INDEX,
};

/// Output paths of the site-wide quiz pages.
pub(crate) const QUIZ_PATH: &str = "quiz/";
pub(crate) const FLASHCARDS_PATH: &str = "flashcards/";
pub(crate) const EXAM_PATH: &str = "exam/";

/// Context of `quiz.html`: one section's questions.
#[derive(Debug, Serialize)]
pub(crate) struct QuizContext<'a> {
    pub(crate) site: &'a SiteValue,
    pub(crate) nav: NavView,
    pub(crate) section: &'a QuizSection,
    pub(crate) questions: &'a [&'a Arc<QuizQuestion>],
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
#[derive(Debug, Clone, Serialize, Hash)]
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

/// A top-level section's flashcards, as listed on `/flashcards/`.
#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct Deck {
    pub(crate) section: String,
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) cards: usize,
}

/// Context of `flashcards.html`: `/flashcards/` lists the decks (and holds the
/// cards of pages outside any section); each `/<section>/flashcards/` is one deck.
#[derive(Debug, Serialize)]
pub(crate) struct FlashcardsContext<'a> {
    pub(crate) site: &'a SiteValue,
    pub(crate) nav: NavView,
    /// The deck this page reviews; none on `/flashcards/`.
    pub(crate) deck: Option<&'a Deck>,
    /// Every deck, on `/flashcards/` only.
    pub(crate) decks: &'a [Deck],
    /// Rendered as a list that `flashcards.js` reads its cards from.
    pub(crate) cards: &'a [&'a Arc<Flashcard>],
    pub(crate) flashcards_url: String,
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
    /// `{ plan, pools }` as escaped JSON, for `exam.js`.
    pub(crate) exam_json: String,
}

/// The exam page's own data: small, embedded in the page.
#[derive(Serialize)]
struct ExamData<'a> {
    plan: &'a ExamPlan,
    /// The pool's files, one per section, fetched by `exam.js`.
    pools: Vec<String>,
}

/// A section's share of the pool, a file of its own: an edit rewrites only
/// its section's, and the whole pool is tens of megabytes at 10,000 notes.
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

/// What every practice page shares, and serve's memo of pool files (by path,
/// with their content hash).
pub(crate) struct Practice<'a> {
    pub(crate) input: &'a SiteInput<'a>,
    pub(crate) kit: &'a PageKit<'a>,
    pub(crate) emit: &'a Emit<'a>,
    pub(crate) pools: Option<&'a Memo<(Bytes, String)>>,
}

/// One group of the bank: a top-level section's questions and cards.
#[derive(Default)]
struct Group<'b> {
    questions: Vec<&'b Arc<QuizQuestion>>,
    cards: Vec<&'b Arc<Flashcard>>,
}

impl Group<'_> {
    fn question_keys(&self) -> Vec<u64> {
        self.questions.iter().map(|q| q.key).collect()
    }
}

/// Renders every quiz page of `bank`, handing each to `emit` as it is made;
/// returns their paths (for the sitemap).
pub(crate) fn render_quiz_pages(practice: &Practice<'_>, bank: &QuizBank) -> Result<Vec<String>> {
    let input = practice.input;
    let mut groups: HashMap<&str, Group<'_>> = HashMap::default();
    for question in &bank.questions {
        groups
            .entry(&question.section)
            .or_default()
            .questions
            .push(question);
    }
    for card in &bank.flashcards {
        groups.entry(&card.section).or_default().cards.push(card);
    }
    let (sections, decks) = quiz_sections(input, &groups);
    let empty = Group::default();
    let group = |slug: &str| groups.get(slug).unwrap_or(&empty);
    let mut paths = sections
        .par_iter()
        .map(|section| practice.section_quiz(section, &group(&section.section).questions))
        .chain(
            decks
                .par_iter()
                .map(|deck| practice.deck(deck, &group(&deck.section).cards)),
        )
        .collect::<Result<Vec<String>>>()?;
    // The pool in plan order; questions of pages outside any section last.
    let mut slugs: Vec<&str> = sections.iter().map(|s| s.section.as_str()).collect();
    slugs.push("");
    let pools = slugs
        .par_iter()
        .filter(|slug| !group(slug).questions.is_empty())
        .map(|slug| practice.exam_pool(slug, group(slug)))
        .collect::<Result<Vec<String>>>()?;
    let total = bank.questions.len();
    practice.page(
        QUIZ_PATH,
        TEMPLATE_QUIZ_INDEX,
        json_hash(&(&sections, total)),
        |nav| QuizIndexContext {
            site: &practice.kit.site,
            nav,
            total,
            sections: &sections,
            flashcards_url: input.targets.url(FLASHCARDS_PATH),
            exam_url: input.targets.url(EXAM_PATH),
        },
    )?;
    let cards = &group("").cards;
    let view_key = key_of(&(
        json_hash(&decks),
        cards.iter().map(|c| c.key).collect::<Vec<_>>(),
    ));
    practice.page(FLASHCARDS_PATH, TEMPLATE_FLASHCARDS, view_key, |nav| {
        FlashcardsContext {
            site: &practice.kit.site,
            nav,
            deck: None,
            decks: &decks,
            cards,
            flashcards_url: input.targets.url(FLASHCARDS_PATH),
        }
    })?;
    let plan = plan_exam(&input.config.exam, input.model, bank);
    let exam_json = json_for_script(&ExamData { plan: &plan, pools });
    let view_key = key_of(&(&exam_json, json_hash(&sections)));
    practice.page(EXAM_PATH, TEMPLATE_EXAM, view_key, |nav| ExamContext {
        site: &practice.kit.site,
        nav,
        plan: &plan,
        sections: &sections,
        exam_json,
    })?;
    paths.extend([QUIZ_PATH, FLASHCARDS_PATH, EXAM_PATH].map(String::from));
    Ok(paths)
}

impl Practice<'_> {
    /// `/<section>/quiz/`: every question of the section.
    fn section_quiz(
        &self,
        section: &QuizSection,
        questions: &[&Arc<QuizQuestion>],
    ) -> Result<String> {
        let keys: Vec<u64> = questions.iter().map(|q| q.key).collect();
        let path = format!("{}/{QUIZ_PATH}", section.section);
        self.page(&path, TEMPLATE_QUIZ, key_of(&(section, keys)), |nav| {
            QuizContext {
                site: &self.kit.site,
                nav,
                section,
                questions,
                quiz_index_url: self.input.targets.url(QUIZ_PATH),
            }
        })
    }

    /// `/<section>/flashcards/`: one deck.
    fn deck(&self, deck: &Deck, cards: &[&Arc<Flashcard>]) -> Result<String> {
        let keys: Vec<u64> = cards.iter().map(|c| c.key).collect();
        let path = format!("{}/{FLASHCARDS_PATH}", deck.section);
        self.page(&path, TEMPLATE_FLASHCARDS, key_of(&(deck, keys)), |nav| {
            FlashcardsContext {
                site: &self.kit.site,
                nav,
                deck: Some(deck),
                decks: &[],
                cards,
                flashcards_url: self.input.targets.url(FLASHCARDS_PATH),
            }
        })
    }

    /// Renders the page at `path` (a folder) through `template` and hands it
    /// on; kept by serve while `view_key` (what the context is made of) and
    /// the sidebar are unchanged. Returns `path`.
    fn page<C: Serialize>(
        &self,
        path: &str,
        template: &str,
        view_key: u64,
        context: impl FnOnce(NavView) -> C,
    ) -> Result<String> {
        let (nav, nav_hash) = self.kit.nav(self.input, None, self.input.targets.url(path));
        let output = format!("{path}index.html");
        let file = self.kit.render(
            template,
            || (nav_hash, view_key),
            &output,
            path,
            || context(nav),
        )?;
        (self.emit)(file)?;
        Ok(path.to_string())
    }

    /// `exam/<section>.json` (`exam/pool.json` for pages outside any section);
    /// returns its URL with its content hash.
    fn exam_pool(&self, slug: &str, group: &Group<'_>) -> Result<String> {
        let path = match slug {
            "" => format!("{EXAM_PATH}pool.json"),
            slug => format!("{EXAM_PATH}pool-{slug}.json"),
        };
        let make = || {
            let pool = ExamPool {
                questions: group
                    .questions
                    .iter()
                    .map(|q| ExamQuestion::from(&***q))
                    .collect(),
            };
            let json = serde_json::to_vec(&pool).expect("quiz data serialises: plain structs");
            let hash = content_hash(&json);
            Ok::<_, Error>((Bytes::from(json), hash))
        };
        let key = || key_of(&group.question_keys());
        let (body, hash) = try_memoised(self.pools, &path, key, make)?;
        (self.emit)(RenderedFile {
            path: path.clone(),
            body,
        })?;
        Ok(format!("{}?h={hash}", self.input.targets.url(&path)))
    }
}

/// Top-level sections that have questions, and those that have flashcards, in study order.
fn quiz_sections(
    input: &SiteInput<'_>,
    groups: &HashMap<&str, Group<'_>>,
) -> (Vec<QuizSection>, Vec<Deck>) {
    let model = input.model;
    let mut sections = Vec::new();
    let mut decks = Vec::new();
    for &id in &model.root().subsections {
        let section = model.section(id);
        let slug = section.path.trim_end_matches('/').to_string();
        let Some(group) = groups.get(slug.as_str()) else {
            continue;
        };
        if !group.cards.is_empty() {
            decks.push(Deck {
                title: section.title.clone(),
                url: input.targets.url(&format!("{slug}/{FLASHCARDS_PATH}")),
                cards: group.cards.len(),
                section: slug.clone(),
            });
        }
        if group.questions.is_empty() {
            continue;
        }
        let from_callouts = group
            .questions
            .iter()
            .filter(|q| q.source == QuestionSource::Callout)
            .count();
        sections.push(QuizSection {
            url: input.targets.url(&format!("{slug}/{QUIZ_PATH}")),
            title: section.title.clone(),
            weight: section.weight,
            questions: group.questions.len(),
            from_callouts,
            generated: group.questions.len() - from_callouts,
            section: slug,
        });
    }
    (sections, decks)
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
