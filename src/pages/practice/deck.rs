//! `/<section>/flashcards/`: one top-level section's flashcard deck, two hundred
//! cards a page (`/<section>/flashcards/page/2/`, …; see
//! [`paging`](crate::pages::paging)). Each page is a review session of its
//! cards; `/flashcards/` counts a deck's due cards over all its pages.

use std::sync::Arc;

use serde::Serialize;

use crate::pages::job::Job;
use crate::pages::kit::PageKit;
use crate::pages::paging::{Paging, CARDS_PER_PAGE};
use crate::pages::practice::{Deck, Practice, FLASHCARDS_PATH};
use crate::pages::SiteData;
use crate::quiz::Flashcard;
use crate::render::views::{NavView, PagerView, SiteValue};
use crate::render::TEMPLATE_FLASHCARDS;
use crate::source::OutputPath;

/// Context of `flashcards.html`: `/flashcards/` lists the decks (and holds the
/// cards of pages outside any section); each `/<section>/flashcards/` is one deck.
#[derive(Debug, Hash, Serialize)]
pub(crate) struct FlashcardsContext<'a> {
    pub(crate) site: &'a SiteValue,
    pub(crate) nav: NavView<'a>,
    /// The deck this page reviews; none on `/flashcards/`.
    pub(crate) deck: Option<&'a Deck>,
    /// Every deck, on `/flashcards/` only.
    pub(crate) decks: &'a [Deck],
    /// Rendered as a list that `flashcards.js` reads its cards from.
    pub(crate) cards: &'a [&'a Arc<Flashcard>],
    pub(crate) flashcards_url: String,
    /// Set when the deck's cards take more than one page.
    pub(crate) pager: Option<PagerView>,
}

pub(crate) fn jobs<'a>(
    data: &'a SiteData<'a>,
    kit: &'a PageKit,
    practice: &'a Practice<'a>,
) -> Vec<Job<'a>> {
    let mut jobs = Vec::new();
    for deck in &practice.decks {
        let cards = &practice.group(Some(deck.id)).cards;
        let base = OutputPath::from(format!("{}/{FLASHCARDS_PATH}", deck.section));
        let paging = Paging::new(base, cards.len(), CARDS_PER_PAGE);
        jobs.extend(paging.jobs(TEMPLATE_FLASHCARDS, data.targets, move |part| {
            FlashcardsContext {
                site: &kit.site,
                nav: kit.nav(None, part.url),
                deck: Some(deck),
                decks: &[],
                cards: &cards[part.range],
                flashcards_url: data.targets.url(&FLASHCARDS_PATH.into()),
                pager: part.pager,
            }
        }));
    }
    jobs
}
