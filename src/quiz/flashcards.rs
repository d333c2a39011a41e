//! Question headings → [`Flashcard`]s: the heading is the front, the blocks under it
//! (up to the next heading, callouts left out) the back.
//!
//! Flashcard banks' cards join them as they are ([`bank_flashcards`]).
//!
//! A question heading ends in `?` and starts `What is`, `What are`, `How is/are/does
//! … different/differ …`, or `When should I/you use`.

use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use regex::Regex;

use crate::markdown::callouts::Callout;
use crate::markdown::quiz_blocks::question_id;
use crate::quiz::generate::subject_of;
use crate::quiz::{Flashcard, PageContext};

static QUESTION_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(what (is|are) .+|how (is|are|does|do) .+ (different|differ)\b.*|when should (i|you) use .+)\?$",
    )
    .expect("the pattern is valid")
});

/// Whether a heading's text asks a question that makes a flashcard.
pub(crate) fn is_question_heading(text: &str) -> bool {
    QUESTION_HEADING.is_match(text.trim())
}

/// The flashcards of one page, in source order.
pub(crate) fn page_flashcards(context: &PageContext<'_>) -> Vec<Flashcard> {
    let note = context.note;
    let body = &context.page.file.text[context.page.body_start..];
    let mut cards = Vec::new();
    for (index, heading) in note.headings.iter().enumerate() {
        // A heading whose options follow it is a practice question already.
        let practice = |c: &Callout| c.heading == Some(index) && c.title == heading.text;
        if !is_question_heading(&heading.text) || note.callouts.iter().any(practice) {
            continue;
        }
        let end = note
            .headings
            .get(index + 1)
            .map_or(body.len(), |next| next.offset);
        let text = note
            .sections
            .iter()
            .find(|s| s.heading == Some(index))
            .map_or("", |s| s.text.as_str());
        let back_html = back_html(&body[heading.offset..end]);
        if back_html.is_empty() {
            continue;
        }
        let first = first_sentence(text);
        cards.push(Flashcard {
            // The heading's id is unique on its page even when two headings read the same.
            id: question_id(&context.page.file.path, &heading.id),
            section: context.section.clone(),
            section_title: context.section_title.clone(),
            front: heading.text.clone(),
            back_html,
            page_title: context.page.title.clone(),
            url: context.url(Some(&heading.id)),
            location: context.location(heading.offset),
            page: context.id,
            anchor: heading.id.clone(),
            subject: subject_of(&heading.text, &first),
            next_sentence: sentence_after(text, &first),
            first_sentence: first,
            key: 0,
        });
    }
    cards
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
        front: card.front.clone(),
        back_html: card.back_html.clone(),
        page_title: context.page.title.clone(),
        url: context.url(Some(&card.anchor)),
        location: context.location(card.offset),
        page: context.id,
        anchor: card.anchor.clone(),
        first_sentence: String::new(),
        next_sentence: String::new(),
        subject: None,
        key: 0,
    })
}

/// HTML of the blocks under a heading: paragraphs, lists, tables and code, without
/// the heading itself, callouts (blockquotes), raw HTML, links (kept as text) and images.
fn back_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut skip_depth = 0usize;
    let events = Parser::new_ext(markdown, options).filter(|event| {
        let skipped_block = |tag: &Tag<'_>| {
            matches!(
                tag,
                Tag::Heading { .. } | Tag::BlockQuote(_) | Tag::HtmlBlock | Tag::Image { .. }
            )
        };
        match event {
            Event::Start(tag) if skip_depth > 0 || skipped_block(tag) => {
                skip_depth += 1;
                false
            }
            Event::End(_) if skip_depth > 0 => {
                skip_depth -= 1;
                false
            }
            _ if skip_depth > 0 => false,
            Event::Start(Tag::Link { .. }) | Event::End(TagEnd::Link) => false,
            Event::Html(_) | Event::InlineHtml(_) | Event::FootnoteReference(_) => false,
            _ => true,
        }
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html.trim().to_string()
}

/// The first sentence of some plain text: up to the first `.`, `!` or `?` that ends a
/// word followed by the end, or by a space and anything but a lowercase letter (so
/// `e.g. S3` and `99.9%` stay, and a callout's `[!TIP]` after the answer is cut off).
pub(crate) fn first_sentence(text: &str) -> String {
    let text = text.trim();
    for (at, c) in text.char_indices() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let mut after = text[at + c.len_utf8()..].chars();
        let ends = match (after.next(), after.next()) {
            (None, _) => true,
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

/// The sentence of `text` after its `first`, or nothing.
fn sentence_after(text: &str, first: &str) -> String {
    first_sentence(&text.trim()[first.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_headings_are_recognised() {
        for yes in [
            "What is Amazon S3?",
            "What are IAM roles?",
            "How is KMS different from CloudHSM?",
            "How is Storage Gateway different to Direct Connect?",
            "When should I use CloudHSM?",
        ] {
            assert!(is_question_heading(yes), "{yes}");
        }
        for no in ["Amazon S3", "Why use S3?", "What is S3", "How do I start?"] {
            assert!(!is_question_heading(no), "{no}");
        }
    }

    #[test]
    fn the_back_leaves_out_headings_callouts_and_links() {
        let html = back_html(
            "## What is X?\n\nX is [a thing](y.md).\n\n- one\n- two\n\n> [!QUIZ] Q?\n> - [x] a\n\n<div>raw</div>\n",
        );
        assert_eq!(
            html,
            "<p>X is a thing.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
        );
    }

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
    }
}
