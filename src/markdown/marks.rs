//! Pass 2: Obsidian's `%%comments%%` dropped and `==highlights==` → `<mark>`.
//!
//! Neither is Markdown, so both are read from `Text` events: code spans arrive as
//! `Code` and code blocks' text sits inside `CodeBlock`, so neither is touched.
//! 1. Comments: `%%` delimiters are paired in document order, and everything between
//!    a pair goes, across lines and paragraphs (`%%` on a line of its own opens a
//!    block comment). A pair whose removal would leave tags unbalanced (a comment
//!    opened in a list item and closed after it) is left as text rather than
//!    breaking the page; so is a `%%` without its partner.
//! 2. Highlights: `==` pairs within one block and one level of inline markup, with
//!    strikethrough's flanking rule (`==x==`, not `a == b`), become `<mark>` tags.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::markdown::Spanned;

/// A delimiter's place: the event's index and the byte offset in its text.
type Place = (usize, usize);

/// Runs both steps.
pub(crate) fn render_marks(events: Vec<Spanned<'_>>) -> Vec<Spanned<'_>> {
    let marked =
        |e: &Event<'_>| matches!(e, Event::Text(t) if t.contains("%%") || t.contains("=="));
    if !events.iter().any(|(e, _)| marked(e)) {
        return events;
    }
    highlight(drop_comments(events))
}

/// Byte offsets of exactly `delimiter` (not part of a longer run of its character).
fn delimiters(text: &str, delimiter: &str) -> Vec<usize> {
    let byte = delimiter.as_bytes()[0];
    let bytes = text.as_bytes();
    text.match_indices(delimiter)
        .map(|(at, _)| at)
        .filter(|&at| {
            (at == 0 || bytes[at - 1] != byte) && bytes.get(at + delimiter.len()) != Some(&byte)
        })
        .collect()
}

/// Whether each event's text is prose (not inside a code block or an image's alt text).
fn prose_texts(events: &[Spanned<'_>]) -> Vec<bool> {
    let mut code = 0usize;
    events
        .iter()
        .map(|(event, _)| match event {
            Event::Start(Tag::CodeBlock(_) | Tag::Image { .. }) => {
                code += 1;
                false
            }
            Event::End(TagEnd::CodeBlock | TagEnd::Image) => {
                code = code.saturating_sub(1);
                false
            }
            Event::Text(_) => code == 0,
            _ => false,
        })
        .collect()
}

fn drop_comments(events: Vec<Spanned<'_>>) -> Vec<Spanned<'_>> {
    let prose = prose_texts(&events);
    let mut found: Vec<Place> = Vec::new();
    for (index, (event, _)) in events.iter().enumerate() {
        if let (true, Event::Text(text)) = (prose[index], event) {
            found.extend(delimiters(text, "%%").into_iter().map(|at| (index, at)));
        }
    }
    let mut cuts: Vec<(Place, Place)> = Vec::new();
    let mut pending = found.into_iter();
    while let (Some(open), Some(close)) = (pending.next(), pending.next()) {
        // Both in one event is the common case, and trivially balanced.
        if is_balanced(events.get(open.0 + 1..close.0).unwrap_or_default()) {
            cuts.push((open, (close.0, close.1 + 2)));
        }
    }
    if cuts.is_empty() {
        return events;
    }
    cut(events, &cuts)
}

/// Whether the tags a run of events closes are exactly those it opens, in order,
/// so taking the run out (with the text around it) leaves the tree well formed.
fn is_balanced(run: &[Spanned<'_>]) -> bool {
    let mut closed = Vec::new();
    let mut open: Vec<TagEnd> = Vec::new();
    for (event, _) in run {
        match event {
            Event::Start(tag) => open.push(tag.to_end()),
            Event::End(end) => match open.pop() {
                Some(_) => {}
                None => closed.push(*end),
            },
            _ => {}
        }
    }
    closed == open
}

/// Takes out each cut (from its opening place to its closing place) and drops the
/// paragraphs this empties.
fn cut<'a>(events: Vec<Spanned<'a>>, cuts: &[(Place, Place)]) -> Vec<Spanned<'a>> {
    let mut out: Vec<Spanned<'a>> = Vec::with_capacity(events.len());
    let mut cuts = cuts.iter().peekable();
    let mut inside: Option<Place> = None;
    for (index, (event, range)) in events.into_iter().enumerate() {
        let touches = inside.is_some() || cuts.peek().is_some_and(|(open, _)| open.0 == index);
        if !touches {
            out.push((event, range));
            continue;
        }
        let Event::Text(text) = &event else {
            continue;
        };
        let mut kept = String::new();
        let mut at = 0;
        loop {
            match inside {
                Some(close) if close.0 == index => {
                    at = close.1;
                    inside = None;
                }
                Some(_) => {
                    at = text.len();
                    break;
                }
                None => match cuts.peek() {
                    Some(&&(open, close)) if open.0 == index => {
                        kept.push_str(&text[at..open.1]);
                        cuts.next();
                        inside = Some(close);
                    }
                    _ => break,
                },
            }
        }
        kept.push_str(&text[at..]);
        if !kept.is_empty() {
            out.push((Event::Text(kept.into()), range));
        }
    }
    drop_empty_paragraphs(out)
}

/// Drops `<p></p>` pairs that cutting text out of them left empty.
pub(crate) fn drop_empty_paragraphs(events: Vec<Spanned<'_>>) -> Vec<Spanned<'_>> {
    let mut out: Vec<Spanned<'_>> = Vec::with_capacity(events.len());
    for (event, range) in events {
        let empties = matches!(event, Event::End(TagEnd::Paragraph))
            && matches!(out.last(), Some((Event::Start(Tag::Paragraph), _)));
        match empties {
            true => {
                out.pop();
            }
            false => out.push((event, range)),
        }
    }
    out
}

fn highlight(events: Vec<Spanned<'_>>) -> Vec<Spanned<'_>> {
    let prose = prose_texts(&events);
    let mut marks: Vec<Place> = Vec::new();
    let mut pending: Option<(Place, usize)> = None;
    let mut depth = 0usize;
    for (index, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Start(tag) if is_inline(tag) => depth += 1,
            Event::End(end) if is_inline_end(end) => depth = depth.saturating_sub(1),
            Event::Start(_) | Event::End(_) => {
                pending = None;
                depth = 0;
            }
            Event::Text(text) if prose[index] => {
                for at in delimiters(text, "==") {
                    let before = text[..at].chars().next_back();
                    let after = text[at + 2..].chars().next();
                    let can_close = !before.is_some_and(char::is_whitespace);
                    let can_open = !after.is_some_and(char::is_whitespace);
                    match pending {
                        Some((open, at_depth)) if can_close && at_depth == depth => {
                            marks.extend([open, (index, at)]);
                            pending = None;
                        }
                        _ if can_open => pending = Some(((index, at), depth)),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    if marks.is_empty() {
        return events;
    }
    insert_marks(events, &marks)
}

fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. }
    )
}

fn is_inline_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link
    )
}

/// Splits the Text events at each paired `==`, alternately opening and closing `<mark>`.
fn insert_marks<'a>(events: Vec<Spanned<'a>>, marks: &[Place]) -> Vec<Spanned<'a>> {
    let mut out = Vec::with_capacity(events.len() + marks.len());
    let mut marks = marks.iter().enumerate().peekable();
    for (index, (event, range)) in events.into_iter().enumerate() {
        if marks.peek().is_none_or(|(_, place)| place.0 != index) {
            out.push((event, range));
            continue;
        }
        let Event::Text(text) = event else {
            unreachable!("marks are only found in Text events")
        };
        let mut at = 0;
        while let Some((nth, &(_, offset))) = marks.next_if(|(_, place)| place.0 == index) {
            if offset > at {
                out.push((
                    Event::Text(text[at..offset].to_string().into()),
                    range.clone(),
                ));
            }
            let tag = if nth % 2 == 0 { "<mark>" } else { "</mark>" };
            out.push((Event::InlineHtml(CowStr::Borrowed(tag)), range.clone()));
            at = offset + 2;
        }
        if at < text.len() {
            out.push((Event::Text(text[at..].to_string().into()), range));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::markdown::test_support::render;

    #[test]
    fn comments_go_but_not_in_code() {
        let note = render(
            "Keep %%drop this%% this.\n\n%%\nA block\n\ncomment\n%%\n\n`%%code%%`\n\n```\n%%x%%\n```\n",
        );
        let html = note.html.unpack();
        assert!(!html.contains("drop"), "{html}");
        assert!(!html.contains("block"), "{html}");
        assert!(html.contains("<p>Keep  this.</p>"), "{html}");
        assert!(html.contains("<code>%%code%%</code>"), "{html}");
        assert!(html.contains("%%x%%"), "{html}");
        assert!(!html.contains("<p></p>"), "{html}");
    }

    #[test]
    fn unpaired_or_unbalanced_comments_stay() {
        let note = render("- item %%open\n\nafter%% end\n\n100%% sure\n");
        let html = note.html.unpack();
        assert!(html.contains("open"), "{html}");
        assert!(html.contains("100%% sure"), "{html}");
    }

    #[test]
    fn highlights_become_marks() {
        let note = render("A ==key **fact**== and a == b == c, `==no==`, ===x===.\n");
        let html = note.html.unpack();
        assert!(
            html.contains("<mark>key <strong>fact</strong></mark>"),
            "{html}"
        );
        assert!(html.contains("a == b == c"), "{html}");
        assert!(html.contains("<code>==no==</code>"), "{html}");
        assert_eq!(html.matches("<mark>").count(), 1, "{html}");
    }
}
