//! What a cram sheet shows of one top-level section, taken from what earlier
//! stages recorded, so nothing is parsed again: the notes' [`Callout`]s
//! (mnemonics, tips, important points and warnings) and the quiz bank's
//! question-heading [`Flashcard`]s, each with its answer's first sentence.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

use crate::content::model::SectionId;
use crate::markdown::callouts::CalloutKind;
use crate::markdown::{Callout, RenderedNote};
use crate::pages::mnemonics::{callout_link, note_entries, notes_by_top, MnemonicEntry, NoteAt};
use crate::pages::SiteData;
use crate::quiz::Flashcard;

/// The callout kinds a cram sheet lists besides mnemonics.
const KEY_POINT_KINDS: [CalloutKind; 3] = [
    CalloutKind::Tip,
    CalloutKind::Important,
    CalloutKind::Warning,
];

/// One top-level section's sheet (or the notes outside any section).
#[derive(Debug, Hash, Serialize)]
pub(crate) struct CramGroup<'a> {
    pub(crate) title: &'a str,
    /// The section's page.
    pub(crate) url: String,
    pub(crate) mnemonics: Vec<MnemonicEntry<'a>>,
    pub(crate) key_points: Vec<KeyPoint<'a>>,
    pub(crate) questions: Vec<CramQuestion<'a>>,
}

impl<'a> CramGroup<'a> {
    /// The items in `range` of the sheet read in order: mnemonics, then key
    /// points, then questions.
    pub(crate) fn part(&self, range: Range<usize>) -> CramGroup<'a> {
        let key_points_from = self.mnemonics.len();
        let questions_from = key_points_from + self.key_points.len();
        CramGroup {
            title: self.title,
            url: self.url.clone(),
            mnemonics: slice(&self.mnemonics, 0, &range).to_vec(),
            key_points: slice(&self.key_points, key_points_from, &range).to_vec(),
            questions: slice(&self.questions, questions_from, &range).to_vec(),
        }
    }
}

/// The items of `items`, which start at `offset` in the sheet, that fall in `range`.
fn slice<'s, T>(items: &'s [T], offset: usize, range: &Range<usize>) -> &'s [T] {
    let index = |at: usize| at.saturating_sub(offset).min(items.len());
    &items[index(range.start)..index(range.end)]
}

/// A TIP, IMPORTANT or WARNING callout and where it comes from.
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct KeyPoint<'a> {
    pub(crate) kind: CalloutKind,
    /// `Tip`.
    pub(crate) label: &'static str,
    /// The callout's title as plain text; may be empty.
    pub(crate) title: &'a str,
    pub(crate) body_html: &'a str,
    pub(crate) page_title: &'a str,
    /// The heading it sits under, if any.
    pub(crate) heading: Option<&'a str>,
    /// The note's URL with the heading's anchor.
    pub(crate) url: String,
}

/// A question heading and the first sentence of its answer.
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct CramQuestion<'a> {
    pub(crate) question: &'a str,
    pub(crate) answer: &'a str,
    pub(crate) page_title: &'a str,
    /// The note's URL with the heading's anchor.
    pub(crate) url: &'a str,
}

pub(crate) fn is_mnemonic(callout: &Callout) -> bool {
    callout.mnemonic.is_some()
}

pub(crate) fn is_key_point(callout: &Callout) -> bool {
    KEY_POINT_KINDS.contains(&callout.kind)
}

fn is_cram_callout(callout: &Callout) -> bool {
    is_mnemonic(callout) || is_key_point(callout)
}

/// Cards from question headings; a flashcard bank's cards have no first sentence.
pub(crate) fn is_cram_card(card: &Flashcard) -> bool {
    !card.first_sentence.is_empty()
}

/// The notes with something to cram, in page order, by top-level section
/// (`SectionId(0)`: the notes outside any).
pub(crate) fn notes_by_section<'a>(data: &SiteData<'a>) -> HashMap<SectionId, Vec<NoteAt<'a>>> {
    let mut by_section: HashMap<SectionId, Vec<NoteAt<'a>>> = HashMap::new();
    let has_items = |note: &RenderedNote| note.callouts.iter().any(is_cram_callout);
    for note in notes_by_top(data, has_items) {
        by_section.entry(note.0).or_default().push(note);
    }
    by_section
}

/// How many items a sheet of `notes` and `cards` lists, without making it.
pub(crate) fn count(notes: &[NoteAt<'_>], cards: &[&Arc<Flashcard>]) -> usize {
    let callouts = notes.iter().flat_map(|(_, note, ..)| &note.callouts);
    let callouts = callouts.filter(|c| is_cram_callout(c)).count();
    callouts + cards.iter().filter(|c| is_cram_card(c)).count()
}

/// The sheet of top-level section `top` (`None`: the notes outside any
/// section), of its `notes` and its flashcards `cards`.
pub(crate) fn group<'a>(
    data: &SiteData<'a>,
    top: Option<SectionId>,
    notes: &[NoteAt<'a>],
    cards: &[&'a Arc<Flashcard>],
) -> CramGroup<'a> {
    let section = data.model.section(top.unwrap_or(SectionId(0)));
    let mut group = CramGroup {
        title: &section.title,
        url: data.targets.url(&section.path),
        mnemonics: Vec::new(),
        key_points: Vec::new(),
        questions: cards
            .iter()
            .filter(|card| is_cram_card(card))
            .map(|card| CramQuestion {
                question: &card.front,
                answer: &card.first_sentence,
                page_title: &card.page_title,
                url: &card.url,
            })
            .collect(),
    };
    for &(_, note, title, path) in notes {
        let mnemonics = note_entries(data, note, title, path);
        group.mnemonics.extend(mnemonics);
        let page_url = data.targets.url(path);
        let key_points = note_key_points(note, title, &page_url);
        group.key_points.extend(key_points);
    }
    group
}

fn note_key_points<'a>(
    note: &'a RenderedNote,
    page_title: &'a str,
    page_url: &str,
) -> impl Iterator<Item = KeyPoint<'a>> + 'a {
    let page_url = page_url.to_string();
    note.callouts
        .iter()
        .filter(|c| is_key_point(c))
        .map(move |callout| {
            let (heading, url) = callout_link(note, callout, &page_url);
            KeyPoint {
                kind: callout.kind,
                label: callout.kind.label(),
                title: &callout.title,
                body_html: &callout.body_html,
                page_title,
                heading,
                url,
            }
        })
}
