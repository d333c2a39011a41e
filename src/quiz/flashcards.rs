//! Question headings → [`Flashcard`]s: the heading is the front, the blocks under it
//! (up to the next heading, callouts left out) the back, which the Markdown stage
//! made ([`crate::markdown::question_headings`]).
//!
//! Flashcard banks' cards join them as they are ([`bank_flashcards`]).

use crate::markdown::question_headings::question_of;
use crate::markdown::quiz_blocks::question_id;
use crate::quiz::generate::subject_of;
use crate::quiz::{Flashcard, PageContext};

/// The flashcards of one page, in source order: its question headings, each with
/// the back the Markdown stage made of the blocks under it.
pub(crate) fn page_flashcards(context: &PageContext<'_>) -> Vec<Flashcard> {
    let note = context.note;
    // The texts give each card its first sentence; most notes have no card.
    let texts = if note.question_backs.is_empty() {
        Vec::new()
    } else {
        note.sections.unpack()
    };
    let cards = note.question_backs.iter().map(|back| {
        let heading = &note.headings[back.heading];
        let text = texts
            .iter()
            .find(|s| s.heading == Some(back.heading))
            .map_or("", |s| s.text.as_str());
        let first = first_sentence(text);
        let question = question_of(&heading.text).unwrap_or(&heading.text);
        Flashcard {
            // The heading's id is unique on its page even when two headings read the same.
            id: question_id(&context.page.file.path, &heading.id),
            section: context.section.clone(),
            section_title: context.section_title.clone(),
            front: question.into(),
            back_html: back.html.clone(),
            page_title: context.page_title.clone(),
            url: context.url(Some(&heading.id)),
            location: context.location(heading.offset),
            page: context.id,
            anchor: heading.id.as_str().into(),
            subject: subject_of(question, &first),
            next_sentence: sentence_after(text, &first),
            first_sentence: first,
            key: 0,
        }
    });
    cards.collect()
}

/// The cards of a flashcard bank page (`*.cards.txt`), in file order; each links
/// to its heading on the bank's page.
pub(crate) fn bank_flashcards<'a>(
    context: &'a PageContext<'a>,
) -> impl Iterator<Item = Flashcard> + 'a {
    context.note.cards.iter().map(move |card| Flashcard {
        id: question_id(&context.page.file.path, &card.anchor),
        section: context.section.clone(),
        section_title: context.section_title.clone(),
        front: card.front.as_str().into(),
        back_html: card.back_html.clone(),
        page_title: context.page_title.clone(),
        url: context.url(Some(&card.anchor)),
        location: context.location(card.offset),
        page: context.id,
        anchor: card.anchor.as_str().into(),
        first_sentence: String::new(),
        next_sentence: String::new(),
        subject: None,
        key: 0,
    })
}

/// The first sentence of some plain text: up to the first `.`, `!` or `?` that ends a
/// word followed by the end, or by a space and anything but a lowercase letter (so
/// `e.g. S3` and `99.9%` stay, and a callout's `[!TIP]` after the answer is cut off).
pub(crate) fn first_sentence(text: &str) -> String {
    let text = text.trim();
    for (at, c) in text.char_indices() {
        if c == '\n' {
            // The end of a block ends its sentence, stop or no stop.
            return text[..at].trim_end().to_string();
        }
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let mut after = text[at + c.len_utf8()..].chars();
        let ends = match (after.next(), after.next()) {
            (None | Some('\n'), _) => true,
            (Some(' '), Some(a)) => !a.is_lowercase(),
            _ => false,
        };
        if !ends {
            continue;
        }
        let word = text[..at].rsplit(' ').next().unwrap_or("");
        let abbreviation = matches!(word.to_lowercase().as_str(), "e.g" | "i.e" | "etc" | "vs")
            || word.chars().count() == 1;
        if !abbreviation {
            return text[..at + c.len_utf8()].to_string();
        }
    }
    text.to_string()
}

/// The sentence of `text` after its `first`, or nothing: nothing either after
/// a sentence that introduces a list (`… stores:`), whose first item alone
/// would explain nothing.
fn sentence_after(text: &str, first: &str) -> String {
    if first.ends_with(':') {
        return String::new();
    }
    first_sentence(&text.trim()[first.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentences_skip_abbreviations_and_decimals() {
        assert_eq!(
            first_sentence("S3 keeps 99.9% of data, e.g. images. More here."),
            "S3 keeps 99.9% of data, e.g. images."
        );
        assert_eq!(first_sentence("No full stop"), "No full stop");
        assert_eq!(first_sentence("Ends here. "), "Ends here.");
        assert_eq!(
            first_sentence("Budgets alert on costs. [!MNEMONIC] Bills Come"),
            "Budgets alert on costs."
        );
        let next_sentence = |text| sentence_after(text, &first_sentence(text));
        assert_eq!(
            next_sentence("S3 keeps data, e.g. images. It scales. More."),
            "It scales."
        );
        assert_eq!(next_sentence("Only one."), "");
        // Blocks are lines: a paragraph ends its sentence, and one that
        // introduces a list is not explained by the list's first item.
        let text = "Key Vault stores:\nSecrets\nKeys\nIt removes secrets from code.";
        assert_eq!(first_sentence(text), "Key Vault stores:");
        assert_eq!(next_sentence(text), "");
        assert_eq!(first_sentence("No stop\nNext block."), "No stop");
        assert_eq!(next_sentence("One.\nTwo. Three."), "Two.");
    }
}
