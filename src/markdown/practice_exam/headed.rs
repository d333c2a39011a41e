//! A heading that asks a question, answered by the task list under it:
//!
//! ```markdown
//! ### Which service records who called which AWS API?
//!
//! - [ ] Amazon Inspector
//! - [x] AWS CloudTrail
//! ```
//!
//! the shape of the repositories that keep one practice question per heading.
//! The heading stays (its id too, so their tables of contents keep working),
//! and so do any paragraphs between it and the list (a diagram, say), which
//! also join the question's stem; the list becomes the question. The heading
//! must hold a `?` and the list at least two items, all of them tasks, at
//! least one checked: a heading over a to-do list is not a question.

use std::ops::Range;

use pulldown_cmark::{Event, Tag};

use super::numbered::list_items;
use crate::markdown::quiz_blocks::{inline_html, matching_end, stem_id, QuizBlock, QuizOption};
use crate::markdown::text::plain_text;
use crate::markdown::{PassCtx, Spanned};

/// A question read from a heading and the task list under it.
pub(crate) struct Headed {
    pub(crate) quiz: QuizBlock,
    /// The heading's own text: the question's record carries it, so that the
    /// heading does not also make a flashcard.
    pub(crate) heading: String,
    /// The task list's events, which the question replaces.
    pub(crate) list: Range<usize>,
}

/// The question of the heading starting at `events[at]`, if it is one.
pub(crate) fn read_headed(events: &[Spanned<'_>], at: usize, ctx: &PassCtx<'_>) -> Option<Headed> {
    let heading_end = at + matching_end(&events[at..]);
    let heading = plain_text(events[at + 1..heading_end].iter().map(|(e, _)| e))
        .trim()
        .to_string();
    if !heading.contains('?') {
        return None;
    }
    // Paragraphs may come between the heading and its options.
    let mut index = heading_end + 1;
    while let Some((Event::Start(Tag::Paragraph), _)) = events.get(index) {
        index += matching_end(&events[index..]) + 1;
    }
    let Some((Event::Start(Tag::List(None)), _)) = events.get(index) else {
        return None;
    };
    let list_end = index + matching_end(&events[index..]);
    let options = task_options(&events[index..=list_end])?;
    if options.len() < 2 || !options.iter().any(|o| o.correct) {
        return None;
    }
    let lead = &events[heading_end + 1..index];
    let heading_html = inline_html(&events[at + 1..heading_end]);
    let stem_html = match lead.is_empty() {
        true => heading_html,
        false => format!("{heading_html}<br>{}", inline_html(lead)),
    };
    let lead_text = plain_text(lead.iter().map(|(e, _)| e));
    let stem = format!("{heading} {}", lead_text.trim()).trim().to_string();
    let quiz = QuizBlock {
        id: stem_id(&ctx.note.file.path, &stem),
        multi: options.iter().filter(|o| o.correct).count() > 1,
        stem,
        stem_html,
        options,
        explanation: String::new(),
        explanation_html: String::new(),
    };
    Some(Headed {
        quiz,
        heading,
        list: index..list_end + 1,
    })
}

/// The options of a list whose every item is a task (`- [x] right`).
fn task_options(list: &[Spanned<'_>]) -> Option<Vec<QuizOption>> {
    list_items(list)
        .map(|item| {
            let at = item.iter().position(|(e, _)| !is_paragraph_start(e))?;
            let Event::TaskListMarker(correct) = item[at].0 else {
                return None;
            };
            let content: Vec<Spanned<'_>> = item
                .iter()
                .filter(|(e, _)| !matches!(e, Event::TaskListMarker(_)))
                .cloned()
                .collect();
            Some(QuizOption {
                text: plain_text(content.iter().map(|(e, _)| e))
                    .trim()
                    .to_string(),
                html: inline_html(&content),
                correct,
            })
        })
        .collect()
}

fn is_paragraph_start(event: &Event<'_>) -> bool {
    matches!(event, Event::Start(Tag::Paragraph))
}
