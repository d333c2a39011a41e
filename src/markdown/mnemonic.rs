//! A MNEMONIC callout's body: the phrase's words lined up with the list items they
//! stand for, and the check that the phrase's initials spell the items' bold letters.
//!
//! The title is the phrase (`Cool People Stay Fairly Sane`); the body's first list is
//! the expansion, one item per word, each starting with its letter(s) in bold
//! (`- **C**ost optimisation`). Anything else in the body is kept as notes.

use pulldown_cmark::{Event, Tag, TagEnd};
use serde::Serialize;

use crate::error::{Diagnostic, Location};
use crate::markdown::text::plain_text;
use crate::markdown::Spanned;

/// A mnemonic as the templates (`partials/mnemonic.html`, `mnemonics.html`) see it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub(crate) struct Mnemonic {
    pub(crate) phrase: String,
    /// Phrase word i beside list item i; the shorter side is padded with empty strings.
    pub(crate) pairs: Vec<MnemonicPair>,
    /// The body's other blocks, rendered.
    pub(crate) notes_html: String,
    /// The phrase's initials, uppercased: `CPSFS`.
    pub(crate) initials: String,
    /// Each item's first bold letter, uppercased; `?` for an item without one.
    pub(crate) letters: String,
}

/// One phrase word and the item it stands for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub(crate) struct MnemonicPair {
    /// The phrase word, e.g. `Cool`.
    pub(crate) word: String,
    /// Its initial (`C`) and what follows it (`ool`).
    pub(crate) initial: String,
    pub(crate) word_rest: String,
    /// The item's bold leading letters (`C`); empty when the item has none.
    pub(crate) letter: String,
    /// The rest of the item, as HTML (`ost optimisation`).
    pub(crate) rest_html: String,
    /// The whole item's plain text (`Cost optimisation`).
    pub(crate) item_text: String,
}

impl Mnemonic {
    /// True when the phrase's initials spell the items' bold letters, in order.
    pub(crate) fn initials_match(&self) -> bool {
        self.initials == self.letters
    }
}

/// The warning for a phrase that does not spell its items (an error in `check`).
pub(crate) fn mismatch(mnemonic: &Mnemonic, location: Location) -> Diagnostic {
    Diagnostic::warning(
        Some(location),
        format!(
            "mnemonic initials `{}` do not match the items' bold letters `{}`",
            mnemonic.initials, mnemonic.letters
        ),
    )
    .with_help(
        "give the phrase one word per list item, in order, and start each item with its letter in bold: `- **S**ecurity`",
    )
}

/// Reads the expansion list out of a mnemonic's (already rewritten) body.
pub(crate) fn read_mnemonic(phrase: &str, body: &[Spanned<'_>]) -> Mnemonic {
    let (items, notes) = split_first_list(body);
    let words: Vec<&str> = phrase
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect();
    let items: Vec<Item> = items.iter().map(|item| read_item(item)).collect();
    let initials = words
        .iter()
        .map(|w| first_letter(w).map_or('?', |(c, _)| c))
        .flat_map(char::to_uppercase)
        .collect();
    let letters = items
        .iter()
        .map(|i| first_letter(&i.letter).map_or('?', |(c, _)| c))
        .flat_map(char::to_uppercase)
        .collect();
    let mut pairs = Vec::new();
    for index in 0..words.len().max(items.len()) {
        let word = words.get(index).copied().unwrap_or("");
        let (initial, word_rest) = match first_letter(word) {
            Some((c, at)) => (c.to_string(), word[at + c.len_utf8()..].to_string()),
            None => (String::new(), word.to_string()),
        };
        let item = items.get(index).cloned().unwrap_or_default();
        pairs.push(MnemonicPair {
            word: word.to_string(),
            initial,
            word_rest,
            letter: item.letter,
            rest_html: item.rest_html,
            item_text: item.text,
        });
    }
    let mut notes_html = String::new();
    pulldown_cmark::html::push_html(&mut notes_html, notes.into_iter().map(|(e, _)| e));
    Mnemonic {
        phrase: phrase.to_string(),
        pairs,
        notes_html,
        initials,
        letters,
    }
}

/// The first alphanumeric character and its byte index.
fn first_letter(text: &str) -> Option<(char, usize)> {
    text.char_indices()
        .find(|(_, c)| c.is_alphanumeric())
        .map(|(i, c)| (c, i))
}

#[derive(Debug, Clone, Default)]
struct Item {
    letter: String,
    rest_html: String,
    text: String,
}

/// The events of each item of the body's first top-level list, and every other event.
fn split_first_list<'a>(body: &[Spanned<'a>]) -> (Vec<Vec<Spanned<'a>>>, Vec<Spanned<'a>>) {
    let mut items: Vec<Vec<Spanned<'a>>> = Vec::new();
    let mut notes = Vec::new();
    let mut depth = 0usize;
    // Some(depth of the list) while inside the first list; set to None after it.
    let mut list: Option<usize> = None;
    let mut list_done = false;
    for spanned in body {
        let event = &spanned.0;
        match (event, list) {
            (Event::Start(Tag::List(_)), None) if depth == 0 && !list_done => {
                list = Some(depth);
                depth += 1;
                continue;
            }
            (Event::End(TagEnd::List(_)), Some(at)) if depth == at + 1 => {
                list = None;
                list_done = true;
                depth -= 1;
                continue;
            }
            (Event::Start(Tag::Item), Some(at)) if depth == at + 1 => {
                items.push(Vec::new());
                depth += 1;
                continue;
            }
            (Event::End(TagEnd::Item), Some(at)) if depth == at + 2 => {
                depth -= 1;
                continue;
            }
            _ => {}
        }
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        match (list, items.last_mut()) {
            (Some(_), Some(item)) => item.push(spanned.clone()),
            _ => notes.push(spanned.clone()),
        }
    }
    (items, notes)
}

/// An item's bold leading letters and the rest; a loose item's first paragraph is unwrapped.
fn read_item(events: &[Spanned<'_>]) -> Item {
    let text = plain_text(events.iter().map(|(e, _)| e)).trim().to_string();
    let mut events: Vec<Event<'_>> = events.iter().map(|(e, _)| e.clone()).collect();
    if matches!(events.first(), Some(Event::Start(Tag::Paragraph))) {
        events.remove(0);
        if let Some(end) = events
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::Paragraph)))
        {
            events.remove(end);
        }
    }
    let mut letter = String::new();
    if matches!(events.first(), Some(Event::Start(Tag::Strong))) {
        if let Some(end) = events
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::Strong)))
        {
            letter = plain_text(&events[1..end]);
            events.drain(..=end);
        }
    }
    let mut rest_html = String::new();
    pulldown_cmark::html::push_html(&mut rest_html, events.into_iter());
    Item {
        letter,
        rest_html,
        text,
    }
}
