//! `/flashcards/`: the list of decks, with the cards of pages outside any section.

use crate::pages::job::Job;
use crate::pages::kit::PageKit;
use crate::pages::practice::deck::FlashcardsContext;
use crate::pages::practice::{Practice, FLASHCARDS_PATH};
use crate::pages::SiteData;
use crate::render::TEMPLATE_FLASHCARDS;

pub(crate) fn jobs<'a>(
    data: &'a SiteData<'a>,
    kit: &'a PageKit,
    practice: &'a Practice<'a>,
) -> Vec<Job<'a>> {
    let view = move || FlashcardsContext {
        site: &kit.site,
        nav: kit.nav(None, data.targets.url(&FLASHCARDS_PATH.into())),
        deck: None,
        decks: &practice.decks,
        cards: &practice.group(None).cards,
        flashcards_url: data.targets.url(&FLASHCARDS_PATH.into()),
        pager: None,
    };
    let output = format!("{FLASHCARDS_PATH}index.html").into();
    vec![Job::page(
        output,
        TEMPLATE_FLASHCARDS,
        FLASHCARDS_PATH,
        view,
    )]
}
