//! The answer line after a question's options, and the explanation around it:
//! blocks between the options and the answer line, then those after it.

use std::sync::LazyLock;

use pulldown_cmark::{Event, Tag, TagEnd};
use regex::Regex;

use crate::markdown::quiz_blocks::matching_end;
use crate::markdown::text::plain_text;
use crate::markdown::Spanned;

/// `Correct answer: B, E` and its variants, on a line of its own; the rest of
/// the line may start the explanation.
static ANSWER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?im)^\s*(?:correct\s+)?answers?\s*:\s*([A-Za-z](?:\s*(?:,|&|\band\b)\s*[A-Za-z])*|[A-Z]{2,6})\b[\s.:;)-]*(.*)$",
    )
    .expect("valid")
});

pub(crate) static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]*>").expect("valid"));

/// The answer given after the options.
pub(crate) struct Answer {
    pub(crate) letters: Vec<char>,
    pub(crate) explanation_html: String,
    /// Body offset of the block that gives it.
    pub(crate) offset: usize,
}

/// The first answer line in the blocks after the options, and what follows it.
pub(crate) fn find_answer(rest: &[Spanned<'_>]) -> Option<Answer> {
    let mut index = 0;
    // Markdown blocks between the options and the answer line explain it too.
    let mut before = String::new();
    while index < rest.len() {
        let end = block_end(rest, index);
        let block = &rest[index..=end.min(rest.len() - 1)];
        let text = block_text(block);
        let found = ANSWER
            .captures(&text)
            .and_then(|f| Some((letters(&f[1])?, f)));
        if let Some((letters, found)) = found {
            let mut explanation = before;
            explanation.push_str(&after_answer(&text, &found));
            for block in blocks(&rest[end + 1..]) {
                explanation.push_str(&block_html(block));
            }
            return Some(Answer {
                letters,
                explanation_html: explanation.trim().to_string(),
                offset: rest[index].1.start,
            });
        }
        // Raw HTML before the answer is its wrapper (`<details><summary>Answer`).
        if raw_html(block).is_none() {
            before.push_str(&block_html(block));
        }
        index = end + 1;
    }
    None
}

/// `B, E`, `B and E` or `BE` → `[B, E]`. Letters run together count only in
/// alphabetical order, so `AWS` is not three answers.
fn letters(written: &str) -> Option<Vec<char>> {
    let upper = |c: char| c.to_ascii_uppercase();
    let tokens: Vec<&str> = written
        .split(|c: char| c == ',' || c == '&' || c.is_whitespace())
        .filter(|t| !t.is_empty() && !t.eq_ignore_ascii_case("and"))
        .collect();
    match tokens.as_slice() {
        [run] if run.len() > 1 => {
            let chars: Vec<char> = run.chars().map(upper).collect();
            chars.windows(2).all(|w| w[0] < w[1]).then_some(chars)
        }
        _ => tokens.iter().map(|t| t.chars().next().map(upper)).collect(),
    }
}

/// The rest of the answer's block after the answer line, as escaped paragraphs.
fn after_answer(text: &str, found: &regex::Captures<'_>) -> String {
    let line_end = found.get(0).map_or(text.len(), |m| m.end());
    let rest_of_line = found.get(2).map_or("", |m| m.as_str());
    let text = format!("{rest_of_line}\n{}", &text[line_end..]);
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .map(|p| paragraph(&p))
        .collect()
}

/// Plain text as one paragraph of HTML, through the Markdown writer; nothing
/// for blank text.
fn paragraph(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        return String::new();
    }
    let events = [
        Event::Start(Tag::Paragraph),
        Event::Text(text.into()),
        Event::End(TagEnd::Paragraph),
    ];
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// Index of the last event of the block starting at `start`.
fn block_end(events: &[Spanned<'_>], start: usize) -> usize {
    match events[start].0 {
        Event::Start(_) => start + matching_end(&events[start..]),
        _ => start,
    }
}

fn blocks<'e, 'a>(events: &'e [Spanned<'a>]) -> impl Iterator<Item = &'e [Spanned<'a>]> {
    let mut index = 0;
    std::iter::from_fn(move || {
        (index < events.len()).then(|| {
            let end = block_end(events, index);
            let block = &events[index..=end];
            index = end + 1;
            block
        })
    })
}

/// A block's text: raw HTML without its tags, or the plain text of Markdown,
/// one line per line.
fn block_text(block: &[Spanned<'_>]) -> String {
    if let Some(html) = raw_html(block) {
        return TAG.replace_all(&html, "").into_owned();
    }
    block
        .iter()
        .map(|(e, _)| match e {
            Event::SoftBreak | Event::HardBreak => "\n".into(),
            Event::InlineHtml(h) => TAG.replace_all(h, "").into_owned(),
            other => plain_text(std::iter::once(other)),
        })
        .collect()
}

/// The HTML of a raw HTML block (as the parser wraps it, or bare).
fn raw_html(block: &[Spanned<'_>]) -> Option<String> {
    let inner = match block {
        [(Event::Start(Tag::HtmlBlock), _), inner @ .., (Event::End(TagEnd::HtmlBlock), _)] => {
            inner
        }
        [(Event::Html(_), _)] => block,
        _ => return None,
    };
    let html = inner.iter().filter_map(|(e, _)| match e {
        Event::Html(h) | Event::InlineHtml(h) => Some(&**h),
        _ => None,
    });
    Some(html.collect())
}

/// A block of the explanation as HTML. Raw HTML is the `<details>` markup
/// around the answer: only its text is kept, escaped.
fn block_html(block: &[Spanned<'_>]) -> String {
    if let Some(html) = raw_html(block) {
        return paragraph(&TAG.replace_all(&html, ""));
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, block.iter().map(|(e, _)| e.clone()));
    html
}
