//! The quiz stage through the cache: each page's questions and flashcards are
//! kept by the note's key and its place, and the generated questions by their
//! cards while the pool of subjects is unchanged.

use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use crate::cache::memo::Memo;
use crate::content::model::PageId;
use crate::hashing::key_of;
use crate::quiz::generate::{Groups, Pool};
use crate::quiz::{
    assemble_bank, page_context, page_quiz, quiz_pages, Flashcard, PageQuiz, QuizBank, QuizInput,
    QuizQuestion,
};

#[derive(Debug, Default)]
pub(crate) struct QuizMemo {
    pub(crate) pages: Memo<Arc<PageQuiz>>,
    generated: Mutex<Generated>,
}

/// A generated question and its page (its card's).
type PageQuestion = (PageId, Arc<QuizQuestion>);

/// The generated questions of the last build, one per candidate in flashcard
/// order, with the key of the pool they were chosen from and its groups.
#[derive(Debug, Default)]
struct Generated {
    pool_key: u64,
    groups: Option<Arc<Groups>>,
    /// Each candidate's card key and its question with its page (`None`: it made none).
    questions: Vec<(u64, Option<PageQuestion>)>,
}

impl QuizMemo {
    /// [`build_quiz_bank`](crate::quiz::build_quiz_bank), reusing what is unchanged.
    pub(crate) fn build_quiz_bank(&self, input: &QuizInput<'_>) -> QuizBank {
        let pages = quiz_pages(input)
            .into_par_iter()
            .with_max_len(1)
            .map(|id| {
                let context = page_context(input, id);
                let page = context.page;
                let key = key_of(&(
                    (context.note.source_key, id.0, &page.file.path, &page.path),
                    (&page.title, &context.section, &context.section_title),
                ));
                let make = || Arc::new(page_quiz(&context));
                self.pages.get_or_make(&page.file.path, key, make)
            })
            .collect();
        let seed = input.config.seed;
        assemble_bank(input, pages, |cards| self.generate(cards, seed))
    }

    /// Every generated question; while the pool is the same, only the
    /// questions of changed cards are made.
    fn generate(&self, cards: &[Arc<Flashcard>], seed: u64) -> Vec<PageQuestion> {
        let mut pool = Pool::new(cards);
        let pool_key = pool.key(seed);
        let mut kept = self
            .generated
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let same_pool = kept.pool_key == pool_key;
        let previous = match same_pool {
            true => std::mem::take(&mut kept.questions),
            false => Vec::new(),
        };
        if let Some(groups) = kept.groups.take().filter(|_| same_pool) {
            pool = pool.with_groups(groups);
        }
        let questions: Vec<(u64, Option<PageQuestion>)> = (0..pool.len())
            .into_par_iter()
            .map(|i| {
                let key = pool.card_key(i);
                match previous.get(i) {
                    Some((kept, question)) if *kept == key => (key, question.clone()),
                    _ => (key, pool.question(i, seed).map(|q| (q.page, q))),
                }
            })
            .collect();
        let generated = questions.iter().filter_map(|(_, q)| q.clone()).collect();
        *kept = Generated {
            pool_key,
            groups: pool.made_groups(),
            questions,
        };
        generated
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::packed::PackedHtml;
    use crate::quiz::generate::tests::sample_cards;
    use crate::quiz::generate::{generate_questions, subject_of};

    #[test]
    fn memoised_generation_equals_a_fresh_one_after_edits() {
        let memo = QuizMemo::default();
        let mut cards = sample_cards();
        let mut last: Vec<Arc<QuizQuestion>> = Vec::new();
        // Generates with the memo, checks it against a fresh generation and counts
        // the questions made anew (not the very ones of the last generation).
        let mut made = |cards: &[Arc<Flashcard>]| {
            let memoised: Vec<Arc<QuizQuestion>> = memo
                .generate(cards, 7)
                .into_iter()
                .map(|(page, question)| {
                    assert_eq!(page, question.page);
                    question
                })
                .collect();
            assert_eq!(memoised, generate_questions(cards, 7));
            let new = memoised
                .iter()
                .filter(|q| !last.iter().any(|old| Arc::ptr_eq(old, q)))
                .count();
            let total = memoised.len();
            last = memoised;
            (new, total)
        };
        let (all, total) = made(&cards);
        assert!(all == total && all > 5, "{all} questions");
        assert_eq!(made(&cards).0, 0, "nothing changed");
        // A card's answer text, not its subject: only its own question is made again.
        let mut edited = (*cards[1]).clone();
        edited.back_html = Arc::new(PackedHtml::new(format!("{}<p>More.</p>", edited.back_html)));
        edited.location = format!("{}0", edited.location).into();
        cards[1] = Arc::new(edited.keyed());
        assert_eq!(made(&cards).0, 1);
        // A new subject changes every question's pool of distractors.
        let mut renamed = (*cards[0]).clone();
        renamed.front = "What is Amazon S4?".into();
        renamed.subject = subject_of(&renamed.front, &renamed.first_sentence);
        cards[0] = Arc::new(renamed.keyed());
        let (new, total) = made(&cards);
        assert_eq!(new, total, "all made again");
    }
}
