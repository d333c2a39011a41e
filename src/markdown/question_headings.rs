//! Question headings (`What is …?`, `How is … different …?`): each makes a
//! flashcard whose back is the blocks under the heading. The back is made here,
//! beside the note's HTML, so the quiz stage needs no source text.
//!
//! A question heading ends in `?` and starts `What is`, `What are`, `How is/are/does
//! … different/differ …`, or `When should I/you use`.

use std::sync::{Arc, LazyLock};

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use regex::Regex;

use crate::markdown::callouts::Callout;
use crate::markdown::flags::{has_double_dash, keep_flags};
use crate::markdown::headings::Heading;
use crate::markdown::packed::PackedHtml;

/// A question heading's flashcard back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QuestionBack {
    /// Index of the heading in the note's headings.
    pub(crate) heading: usize,
    /// Compressed like the note's HTML until the flashcard pages are made.
    pub(crate) html: Arc<PackedHtml>,
}

static QUESTION_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(what (is|are) .+|how (is|are|does|do) .+ (different|differ)\b.*|when should (i|you) use .+)\?$",
    )
    .expect("the pattern is valid")
});

/// What may come before the question in a heading: a label (`Q:`, `Q4.`,
/// `Question 5 -`), a number (`1.`, `2.3)`) or a decoration (`📌`, `•`).
static LEAD: LazyLock<Regex> = LazyLock::new(|| {
    let label = r"(?i:q|question)\s*\d*\s*[.):-]\s+";
    let number = r"\d+(?:\.\d+)*\s*[.):-]?\s+";
    let decoration = r"[^\p{L}\p{N}\s]+\s*";
    Regex::new(&format!("^(?:{label}|{number}|{decoration})+")).expect("the pattern is valid")
});

/// The question a heading asks, if it makes a flashcard: its text without a
/// number or decoration in front (`## 1. What is a Region?` asks `What is a Region?`).
pub(crate) fn question_of(text: &str) -> Option<&str> {
    let text = text.trim();
    if QUESTION_HEADING.is_match(text) {
        return Some(text);
    }
    let lead = LEAD.find(text)?;
    let question = &text[lead.end()..];
    QUESTION_HEADING.is_match(question).then_some(question)
}

/// The backs of a note's question headings, in source order. A heading whose
/// options follow it is a practice question already, and a heading with nothing
/// under it makes no card.
pub(crate) fn question_backs(
    body: &str,
    headings: &[Heading],
    callouts: &[Callout],
) -> Vec<QuestionBack> {
    let mut backs = Vec::new();
    for (index, heading) in headings.iter().enumerate() {
        let practice = |c: &Callout| c.heading == Some(index) && c.title == heading.text;
        if question_of(&heading.text).is_none() || callouts.iter().any(practice) {
            continue;
        }
        let end = headings
            .get(index + 1)
            .map_or(body.len(), |next| next.offset);
        let html = back_html(&body[heading.offset..end]);
        if !html.is_empty() {
            backs.push(QuestionBack {
                heading: index,
                html: Arc::new(PackedHtml::new(html)),
            });
        }
    }
    backs
}

/// HTML of the blocks under a heading: paragraphs, lists, tables and code, without
/// the heading itself, callouts (blockquotes), raw HTML, links (kept as text) and images.
fn back_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut skip_depth = 0usize;
    let parser = Parser::new_ext(markdown, options);
    // Most backs hold no `--`; those stream straight from the parser.
    let events: Box<dyn Iterator<Item = Event<'_>>> = match has_double_dash(markdown) {
        true => {
            let flagged = keep_flags(parser.into_offset_iter().collect(), markdown);
            Box::new(flagged.into_iter().map(|(event, _)| event))
        }
        false => Box::new(parser),
    };
    let events = events.filter(|event| {
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
            assert_eq!(question_of(yes), Some(yes));
        }
        for (heading, question) in [
            ("1. What is an Azure Region?", "What is an Azure Region?"),
            ("2.3) What are zones?", "What are zones?"),
            ("Q4: What is IAM?", "What is IAM?"),
            (
                "Q: What are the 4 DORA messages?",
                "What are the 4 DORA messages?",
            ),
            ("Question 5 - What is KMS?", "What is KMS?"),
            ("📌 What Is a Resource Group?", "What Is a Resource Group?"),
            ("• What is S3?", "What is S3?"),
        ] {
            assert_eq!(question_of(heading), Some(question), "{heading}");
        }
        for no in [
            "Amazon S3",
            "Why use S3?",
            "What is S3",
            "How do I start?",
            "1. Why use S3?",
            "3 What",
            "Quiet: What is it?",
        ] {
            assert_eq!(question_of(no), None, "{no}");
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
}
