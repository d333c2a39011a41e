//! `/<section>/flashcards/`: one top-level section's flashcard deck.

use std::sync::Arc;

use serde::Serialize;

use crate::pages::job::Job;
use crate::pages::kit::PageKit;
use crate::pages::practice::{Deck, Practice, FLASHCARDS_PATH};
use crate::pages::SiteData;
use crate::quiz::Flashcard;
use crate::render::views::{NavView, SiteValue};
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
}

pub(crate) fn jobs<'a>(
    data: &'a SiteData<'a>,
    kit: &'a PageKit,
    practice: &'a Practice<'a>,
) -> Vec<Job<'a>> {
    practice
        .decks
        .iter()
        .map(|deck| {
            let path = OutputPath::from(format!("{}/{FLASHCARDS_PATH}", deck.section));
            let url = data.targets.url(&path);
            let view = move || FlashcardsContext {
                site: &kit.site,
                nav: kit.nav(None, url),
                deck: Some(deck),
                decks: &[],
                cards: &practice.group(Some(deck.id)).cards,
                flashcards_url: data.targets.url(&FLASHCARDS_PATH.into()),
            };
            Job::page(
                path.join("index.html"),
                TEMPLATE_FLASHCARDS,
                path.to_string(),
                view,
            )
        })
        .collect()
}
