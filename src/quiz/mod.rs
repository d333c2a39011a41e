//! Stage 6: rendered notes → [`QuizBank`], the questions and flashcards of the site.
//!
//! 1. Walk the pages in reading order, skipping pages with `quiz = false`.
//! 2. Each well-formed `[!QUIZ]` callout (read by the markdown stage into a
//!    [`QuizBlock`]) becomes a [`QuizQuestion`] from [`QuestionSource::Callout`].
//! 3. Each question heading (`What is …?`, `How is … different …?`) becomes a
//!    [`Flashcard`] ([`flashcards`]), as does each card of a flashcard bank.
//!    A question bank's questions arrive as QUIZ callouts, and join in step 2.
//! 4. With `[quiz] auto_generate`, each `What is/are X?` flashcard also becomes a
//!    multiple-choice question with X masked in the answer's first sentence and three
//!    distractors from other headings ([`generate`]), seeded by `[quiz] seed`.
//!
//! Everything keeps the page, heading anchor and `file:line` it came from. Output
//! order is the reading order, so two builds of the same tree are byte-identical.

pub(crate) mod exam;
pub(crate) mod flashcards;
pub(crate) mod generate;

use std::borrow::Cow;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::config::QuizConfig;
use crate::content::model::{Page, PageId, SiteModel};
use crate::hashing::key_of;
use crate::markdown::highlight::escape as escape_html;
use crate::markdown::packed::PackedHtml;
use crate::markdown::quiz_blocks::{QuizBlock, QuizOption};
use crate::markdown::{RenderedNote, Urls};
use generate::Subject;

/// Where a question came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum QuestionSource {
    /// An explicit `[!QUIZ]` callout.
    Callout,
    /// Generated from a `What is …?` heading.
    Generated,
}

/// One multiple-choice question; serialised as is into the quiz pages' views.
/// It hashes as its [`key`](QuizQuestion::key), so a view listing thousands of
/// questions is keyed without reading their text again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QuizQuestion {
    pub(crate) id: String,
    pub(crate) source: QuestionSource,
    /// Slug of the top-level section (`security`), the exam's weighting unit.
    pub(crate) section: Arc<str>,
    pub(crate) section_title: Arc<str>,
    pub(crate) stem: String,
    /// `None`: the stem is plain text, shown escaped (a generated question's:
    /// most of a large bank, whose stems need not be held twice).
    pub(crate) stem_html: Option<String>,
    pub(crate) options: Vec<QuizOption>,
    /// Indices of the correct options.
    pub(crate) correct: Vec<usize>,
    pub(crate) multi: bool,
    pub(crate) explanation: String,
    /// `None`: the plain explanation, escaped, as one paragraph (or nothing).
    pub(crate) explanation_html: Option<String>,
    pub(crate) page_title: Arc<str>,
    /// The heading the question sits under, if any.
    pub(crate) heading: Option<Arc<str>>,
    /// The note's URL with the heading's anchor.
    pub(crate) url: Arc<str>,
    /// `content/…/note.md:41`.
    pub(crate) location: Arc<str>,
    pub(crate) page: PageId,
    pub(crate) anchor: Option<Arc<str>>,
    /// A hash of everything above ([`QuizQuestion::keyed`]), for serve's memos.
    pub(crate) key: u64,
}

impl QuizQuestion {
    /// The stem as HTML.
    pub(crate) fn stem_html(&self) -> Cow<'_, str> {
        match &self.stem_html {
            Some(html) => Cow::Borrowed(html),
            None => Cow::Owned(escape_html(&self.stem)),
        }
    }

    /// The explanation as HTML.
    pub(crate) fn explanation_html(&self) -> Cow<'_, str> {
        match (&self.explanation_html, self.explanation.is_empty()) {
            (Some(html), _) => Cow::Borrowed(html),
            (None, true) => Cow::Borrowed(""),
            (None, false) => Cow::Owned(format!("<p>{}</p>", escape_html(&self.explanation))),
        }
    }

    /// The question with its [`key`](QuizQuestion::key) set: a hash of every
    /// other field (hashed as they are: serialising them for it escaped and
    /// rendered text that no page needed yet).
    pub(crate) fn keyed(mut self) -> Self {
        // Destructured, so that no field can be left out of the key.
        let QuizQuestion {
            id,
            source,
            section,
            section_title,
            stem,
            stem_html,
            options,
            correct,
            multi,
            explanation,
            explanation_html,
            page_title,
            heading,
            url,
            location,
            page,
            anchor,
            key: _,
        } = &self;
        self.key = key_of(&(
            (id, source, section, section_title, stem, stem_html),
            (options, correct, multi, explanation, explanation_html),
            (page_title, heading, url, location, page, anchor),
        ));
        self
    }
}

/// Every field but `page`, `anchor` and `key`, the HTML ones made where they
/// are not held.
impl Serialize for QuizQuestion {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut fields = serializer.serialize_struct("QuizQuestion", 15)?;
        fields.serialize_field("id", &self.id)?;
        fields.serialize_field("source", &self.source)?;
        fields.serialize_field("section", &self.section)?;
        fields.serialize_field("section_title", &self.section_title)?;
        fields.serialize_field("stem", &self.stem)?;
        fields.serialize_field("stem_html", &self.stem_html())?;
        fields.serialize_field("options", &self.options)?;
        fields.serialize_field("correct", &self.correct)?;
        fields.serialize_field("multi", &self.multi)?;
        fields.serialize_field("explanation", &self.explanation)?;
        fields.serialize_field("explanation_html", &self.explanation_html())?;
        fields.serialize_field("page_title", &self.page_title)?;
        fields.serialize_field("heading", &self.heading)?;
        fields.serialize_field("url", &self.url)?;
        fields.serialize_field("location", &self.location)?;
        fields.end()
    }
}

impl Hash for QuizQuestion {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}

/// One flashcard: a question heading and the text under it; it hashes as its
/// [`key`](Flashcard::key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Flashcard {
    pub(crate) id: String,
    pub(crate) section: Arc<str>,
    pub(crate) section_title: Arc<str>,
    pub(crate) front: Arc<str>,
    pub(crate) back_html: Arc<PackedHtml>,
    pub(crate) page_title: Arc<str>,
    pub(crate) url: Arc<str>,
    pub(crate) location: Arc<str>,
    #[serde(skip)]
    pub(crate) page: PageId,
    #[serde(skip)]
    pub(crate) anchor: Arc<str>,
    /// The first sentence of the answer, in plain text (the generator's raw material).
    #[serde(skip)]
    pub(crate) first_sentence: String,
    /// The sentence after it, if any: a generated question's explanation.
    #[serde(skip)]
    pub(crate) next_sentence: String,
    /// What the heading asks about, for `What is/are …?` headings.
    #[serde(skip)]
    pub(crate) subject: Option<Box<Subject>>,
    /// A hash of everything above ([`Flashcard::keyed`]), for serve's memos.
    #[serde(skip)]
    pub(crate) key: u64,
}

impl Flashcard {
    /// The card with its [`key`](Flashcard::key) set: a hash of every other field.
    pub(crate) fn keyed(mut self) -> Self {
        // Destructured, so that no field can be left out of the key.
        let Flashcard {
            id,
            section,
            section_title,
            front,
            back_html,
            page_title,
            url,
            location,
            page,
            anchor,
            first_sentence,
            next_sentence,
            subject,
            key: _,
        } = &self;
        self.key = key_of(&(
            (id, section, section_title, front, back_html, page_title),
            (url, location, page, anchor),
            (first_sentence, next_sentence, subject),
        ));
        self
    }
}

impl Hash for Flashcard {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}

/// Every question and flashcard of the site, in reading order.
#[derive(Debug, Clone, Default)]
pub(crate) struct QuizBank {
    pub(crate) questions: Vec<Arc<QuizQuestion>>,
    /// Each question's page, kept beside it: reading the questions' own
    /// `page` is a cache miss apiece on a large bank.
    pub(crate) question_pages: Vec<PageId>,
    pub(crate) flashcards: Vec<Arc<Flashcard>>,
    /// Each flashcard's page.
    pub(crate) card_pages: Vec<PageId>,
}

impl QuizBank {
    /// Frees the bank on both threads: at 10,000 long notes one thread took
    /// 80–90 ms, two 42 ms.
    pub(crate) fn release(self) {
        rayon::join(
            || self.questions.into_par_iter().for_each(drop),
            || self.flashcards.into_par_iter().for_each(drop),
        );
    }
}

/// One page's callout questions and flashcards.
#[derive(Debug)]
pub(crate) struct PageQuiz {
    page: PageId,
    questions: Vec<Arc<QuizQuestion>>,
    flashcards: Vec<Arc<Flashcard>>,
}

/// What the quiz stage reads.
pub(crate) struct QuizInput<'a> {
    pub(crate) model: &'a SiteModel,
    /// Indexed by `PageId`.
    pub(crate) notes: &'a [Arc<RenderedNote>],
    pub(crate) config: &'a QuizConfig,
    pub(crate) targets: &'a Urls,
}

/// The section slug and title a page's questions count towards.
pub(crate) struct PageContext<'a> {
    pub(crate) id: PageId,
    pub(crate) page: &'a Page,
    pub(crate) note: &'a RenderedNote,
    pub(crate) section: Arc<str>,
    pub(crate) section_title: Arc<str>,
    /// The page's title, shared by its questions and cards.
    pub(crate) page_title: Arc<str>,
    pub(crate) targets: &'a Urls,
}

impl PageContext<'_> {
    /// The page URL, with `#anchor` when given.
    pub(crate) fn url(&self, anchor: Option<&str>) -> Arc<str> {
        let url = self.targets.url(&self.page.path);
        match anchor {
            Some(anchor) => format!("{url}#{anchor}").into(),
            None => url.into(),
        }
    }

    /// `file:line` of a body offset (from the line index: the source text is
    /// gone in a clean build by now).
    pub(crate) fn location(&self, body_offset: usize) -> Arc<str> {
        let file = &self.page.file;
        let line = file.lines.line(self.page.body_start + body_offset);
        format!("{}:{line}", file.path).into()
    }
}

/// Builds the quiz bank (see the module doc for the steps).
pub(crate) fn build_quiz_bank(input: &QuizInput<'_>) -> QuizBank {
    let pages = quiz_pages(input)
        .into_par_iter()
        .with_max_len(1) // see `build::render_notes`
        .map(|id| Arc::new(page_quiz(&page_context(input, id))))
        .collect();
    let seed = input.config.seed;
    let mut bank = assemble_bank(input, pages, |cards| {
        let questions = generate::generate_questions(cards, seed);
        questions.into_iter().map(|q| (q.page, q)).collect()
    });
    // What only the generator reads goes (20 MB at 10,000 long notes); the
    // first sentence stays for the cram sheets. `serve`'s cache, which makes
    // its bank elsewhere, keeps its cards whole for the next build.
    bank.flashcards.par_iter_mut().for_each(|card| {
        if let Some(card) = Arc::get_mut(card) {
            card.next_sentence = String::new();
            card.subject = None;
        }
    });
    bank
}

/// The pages whose questions and flashcards the bank holds, in reading order.
pub(crate) fn quiz_pages(input: &QuizInput<'_>) -> Vec<PageId> {
    let order = input.model.reading_order.iter().copied();
    order.filter(|&id| input.model.page(id).quiz).collect()
}

/// The bank of each page's questions and flashcards (in reading order), and
/// of the questions `generate` makes from the flashcards.
pub(crate) fn assemble_bank(
    input: &QuizInput<'_>,
    pages: Vec<Arc<PageQuiz>>,
    generate: impl FnOnce(&[Arc<Flashcard>]) -> Vec<(PageId, Arc<QuizQuestion>)>,
) -> QuizBank {
    let mut bank = QuizBank::default();
    let mut questions: Vec<(PageId, Arc<QuizQuestion>)> = Vec::new();
    for page in &pages {
        questions.extend(page.questions.iter().map(|q| (page.page, Arc::clone(q))));
        bank.flashcards.extend(page.flashcards.iter().cloned());
        let cards = page.flashcards.len();
        bank.card_pages
            .extend(std::iter::repeat_n(page.page, cards));
    }
    if input.config.auto_generate {
        questions.extend(generate(&bank.flashcards));
    }
    questions.sort_by_key(|(page, _)| *page);
    (bank.question_pages, bank.questions) = questions.into_iter().unzip();
    bank
}

pub(crate) fn page_context<'a>(input: &QuizInput<'a>, id: PageId) -> PageContext<'a> {
    let page = input.model.page(id);
    let top = input.model.top_section(page.section);
    let section = top.map(|s| input.model.section(s));
    PageContext {
        id,
        page,
        note: &input.notes[id.0],
        section: section.map_or_else(|| "".into(), |s| s.slug().into()),
        section_title: section.map_or_else(|| "".into(), |s| s.title.as_str().into()),
        page_title: page.title.as_str().into(),
        targets: input.targets,
    }
}

pub(crate) fn page_quiz(context: &PageContext<'_>) -> PageQuiz {
    PageQuiz {
        page: context.id,
        questions: callout_questions(context)
            .map(|q| Arc::new(q.keyed()))
            .collect(),
        flashcards: flashcards::page_flashcards(context)
            .into_iter()
            .chain(flashcards::bank_flashcards(context))
            .map(|card| Arc::new(card.keyed()))
            .collect(),
    }
}

fn callout_questions<'a>(context: &'a PageContext<'a>) -> impl Iterator<Item = QuizQuestion> + 'a {
    context.note.callouts.iter().filter_map(move |callout| {
        let quiz: &QuizBlock = callout.quiz.as_ref()?;
        let heading = callout.heading.map(|h| &context.note.headings[h]);
        Some(QuizQuestion {
            id: quiz.id.clone(),
            source: QuestionSource::Callout,
            section: context.section.clone(),
            section_title: context.section_title.clone(),
            stem: quiz.stem.clone(),
            stem_html: Some(quiz.stem_html.clone()),
            correct: correct_indices(&quiz.options),
            options: quiz.options.clone(),
            multi: quiz.multi,
            explanation: quiz.explanation.clone(),
            explanation_html: Some(quiz.explanation_html.clone()),
            page_title: context.page_title.clone(),
            heading: heading.map(|h| h.text.as_str().into()),
            url: context.url(heading.map(|h| h.id.as_str())),
            location: context.location(callout.offset),
            page: context.id,
            anchor: heading.map(|h| h.id.as_str().into()),
            key: 0,
        })
    })
}

pub(crate) fn correct_indices(options: &[QuizOption]) -> Vec<usize> {
    options
        .iter()
        .enumerate()
        .filter(|(_, o)| o.correct)
        .map(|(i, _)| i)
        .collect()
}
