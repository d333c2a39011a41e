//! The practice pages: `/<section>/quiz/` and `/<section>/flashcards/` per
//! top-level section, the `/quiz/` and `/flashcards/` indexes, and the `/exam/`
//! mock exam with its pool of questions in one JSON file per section; each deck
//! also as a file for Anki; and the learner's `/progress/`.
//!
//! Questions are rendered server-side through `partials/quiz_question.html` (the
//! partial QUIZ callouts use on note pages), so every page works without
//! JavaScript.
//!
//! Everything is per section so that a site's size does not make any one file
//! huge, and so that `serve` re-renders only the sections an edit touched.
//! [`Practice`] groups the bank by top-level section once for all these kinds.

pub(crate) mod anki;
pub(crate) mod deck;
pub(crate) mod exam;
pub(crate) mod exam_pool;
pub(crate) mod flashcards_index;
pub(crate) mod progress;
pub(crate) mod quiz_index;
pub(crate) mod section_quiz;

use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

use crate::content::model::{PageId, SectionId};
use crate::pages::cram::CramSheets;
use crate::pages::paging::{part_count, QUESTIONS_PER_PAGE};
use crate::pages::SiteData;
use crate::quiz::{Flashcard, QuestionSource, QuizBank, QuizQuestion};

/// Output paths of the site-wide practice pages.
pub(crate) const QUIZ_PATH: &str = "quiz/";
pub(crate) const FLASHCARDS_PATH: &str = "flashcards/";
pub(crate) const EXAM_PATH: &str = "exam/";

/// A top-level section's quiz, as listed on `/quiz/`.
#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct QuizSection {
    /// Slug (`security`), the key of the reader's best score in localStorage.
    pub(crate) section: String,
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) weight: Option<i64>,
    pub(crate) questions: usize,
    /// How many pages the questions take (`/<section>/quiz/page/N/` after the first).
    pub(crate) parts: usize,
    pub(crate) from_callouts: usize,
    pub(crate) generated: usize,
    /// The section's cards and QUIZ callouts as a file for Anki ([`anki`]): the
    /// first file, when there are several.
    pub(crate) anki_url: Option<String>,
    /// Every file, when the section's notes take more than one.
    pub(crate) anki_parts: Vec<String>,
    #[serde(skip)]
    pub(crate) id: SectionId,
}

/// A top-level section's flashcards, as listed on `/flashcards/`.
#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct Deck {
    pub(crate) section: String,
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) cards: usize,
    /// The deck as a file for Anki ([`anki`]): the first, when there are several.
    pub(crate) anki_url: String,
    /// Every file, when the deck takes more than one.
    pub(crate) anki_parts: Vec<String>,
    #[serde(skip)]
    pub(crate) id: SectionId,
}

/// One top-level section's questions and cards (`None`: pages outside any section).
#[derive(Default)]
pub(crate) struct Group<'b> {
    pub(crate) questions: Vec<&'b Arc<QuizQuestion>>,
    pub(crate) cards: Vec<&'b Arc<Flashcard>>,
}

impl<'b> Group<'b> {
    /// The questions written as QUIZ callouts (the rest are generated).
    pub(crate) fn callout_questions(&self) -> impl Iterator<Item = &'b Arc<QuizQuestion>> + '_ {
        let callout = |q: &&Arc<QuizQuestion>| q.source == QuestionSource::Callout;
        self.questions.iter().copied().filter(callout)
    }
}

/// The bank grouped by top-level section, with the sections that have
/// questions and those that have cards, in study order.
pub(crate) struct Practice<'a> {
    pub(crate) bank: &'a QuizBank,
    groups: HashMap<Option<SectionId>, Group<'a>>,
    empty: Group<'a>,
    pub(crate) sections: Vec<QuizSection>,
    pub(crate) decks: Vec<Deck>,
    /// The cram sheets, which list question headings with the notes' callouts.
    pub(crate) crams: CramSheets<'a>,
}

impl<'a> Practice<'a> {
    pub(crate) fn new(data: &SiteData<'a>, bank: &'a QuizBank) -> Self {
        let model = data.model;
        let tops: Vec<Option<SectionId>> = model
            .sections
            .iter()
            .map(|s| model.top_section(s.id))
            .collect();
        let top = |page: &PageId| tops[model.page(*page).section.0];
        let mut groups: HashMap<Option<SectionId>, Group<'a>> = HashMap::default();
        for (page, question) in bank.question_pages.iter().zip(&bank.questions) {
            groups
                .entry(top(page))
                .or_default()
                .questions
                .push(question);
        }
        for (page, card) in bank.card_pages.iter().zip(&bank.flashcards) {
            groups.entry(top(page)).or_default().cards.push(card);
        }
        let mut practice = Practice {
            bank,
            groups,
            empty: Group::default(),
            sections: Vec::new(),
            decks: Vec::new(),
            crams: CramSheets::default(),
        };
        practice.list_sections(data);
        practice.crams = CramSheets::new(data, |top| &practice.group(top).cards);
        practice
    }

    /// How many Anki notes the files of top-level section `id` hold: its
    /// flashcards and QUIZ callouts.
    pub(crate) fn anki_notes(&self, id: SectionId) -> usize {
        let group = self.group(Some(id));
        group.cards.len() + group.callout_questions().count()
    }

    /// The URLs of top-level section `id`'s files for Anki, `slug` being its slug.
    fn anki_urls(&self, data: &SiteData<'_>, id: SectionId, slug: &str) -> Vec<String> {
        let files = anki::file_count(self.anki_notes(id));
        let url = |part| data.targets.url(&anki::anki_path(slug, part));
        (1..=files).map(url).collect()
    }

    /// The questions and cards of top-level section `section`.
    pub(crate) fn group(&self, section: Option<SectionId>) -> &Group<'a> {
        self.groups.get(&section).unwrap_or(&self.empty)
    }

    fn list_sections(&mut self, data: &SiteData<'_>) {
        for &id in &data.model.root().subsections {
            let section = data.model.section(id);
            let slug = section.slug().to_string();
            let group = self.group(Some(id));
            let questions = group.questions.len();
            let anki_urls = self.anki_urls(data, id, &slug);
            let anki_url = anki_urls.first().cloned();
            // Listed only when there are several, so that one file reads as before.
            let anki_parts = match anki_urls.len() {
                0 | 1 => Vec::new(),
                _ => anki_urls,
            };
            let from_callouts = group.callout_questions().count();
            if !group.cards.is_empty() {
                self.decks.push(Deck {
                    title: section.title.clone(),
                    url: data
                        .targets
                        .url(&format!("{slug}/{FLASHCARDS_PATH}").into()),
                    cards: group.cards.len(),
                    // A deck has cards, so its section has a file.
                    anki_url: anki_url.clone().unwrap_or_default(),
                    anki_parts: anki_parts.clone(),
                    section: slug.clone(),
                    id,
                });
            }
            if questions > 0 {
                self.sections.push(QuizSection {
                    url: data.targets.url(&format!("{slug}/{QUIZ_PATH}").into()),
                    title: section.title.clone(),
                    weight: section.weight,
                    questions,
                    parts: part_count(questions, QUESTIONS_PER_PAGE),
                    from_callouts,
                    generated: questions - from_callouts,
                    anki_url,
                    anki_parts,
                    section: slug,
                    id,
                });
            }
        }
    }
}
