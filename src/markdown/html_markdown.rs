//! Pass 1: Markdown inside raw HTML blocks marked `markdown="1"`, kramdown's
//! convention (Jekyll's default), which GitHub notes use for answers folded in
//! `<details markdown=1>`.
//!
//! CommonMark reads an HTML block's lines as raw HTML until a blank line, so
//! the Markdown between `<details markdown=1>` and `</details>` would show its
//! `**` and `[links]()` as written. This pass cuts such a block into its first
//! line (the opening tags), the lines between, parsed as Markdown so that the
//! later passes see their links and code, and a last line of closing tags. The
//! `markdown` attribute, which is not HTML, is dropped.

use std::sync::LazyLock;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use regex::Regex;

use crate::markdown::{parser_options, Spanned};

static MARKDOWN_ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\s+markdown\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)"#).expect("valid")
});

static CLOSING_TAGS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:</[A-Za-z][^>]*>\s*)+$").expect("valid"));

/// Runs the pass over a note's events.
pub(crate) fn parse_markdown_in_html(events: Vec<Spanned<'_>>) -> Vec<Spanned<'_>> {
    if !events.iter().any(|(e, _)| is_marked(e)) {
        return events;
    }
    let mut out = Vec::with_capacity(events.len());
    let mut block: Option<Vec<Spanned<'_>>> = None;
    for (event, range) in events {
        match (event, block.as_mut()) {
            (Event::Start(Tag::HtmlBlock), None) => block = Some(Vec::new()),
            (Event::End(TagEnd::HtmlBlock), Some(_)) => {
                let lines = block.take().expect("matched Some");
                out.extend(split_block(lines));
            }
            (event, Some(lines)) => lines.push((event, range)),
            (event, None) => out.push((event, range)),
        }
    }
    out
}

fn is_marked(event: &Event<'_>) -> bool {
    matches!(event, Event::Html(html) if MARKDOWN_ATTRIBUTE.is_match(html))
}

/// One HTML block's lines (one `Html` event each) → the block again, or its
/// opening line, the Markdown between and its closing line.
fn split_block(lines: Vec<Spanned<'_>>) -> Vec<Spanned<'_>> {
    let marked = lines.first().is_some_and(|(e, _)| is_marked(e));
    let text = |line: &Spanned<'_>| match &line.0 {
        Event::Html(html) => html.to_string(),
        _ => String::new(),
    };
    if !marked {
        return html_block(lines.iter().map(|l| (text(l), l.1.clone())).collect());
    }
    // The opening: the first line and any lines of tags after it (`<summary>…</summary>`).
    let is_tags = |line: &Spanned<'_>| {
        let text = text(line);
        let text = text.trim();
        text.starts_with('<') && text.ends_with('>')
    };
    let inner_start = 1 + lines[1..].iter().take_while(|l| is_tags(l)).count();
    let closes = inner_start < lines.len() && CLOSING_TAGS.is_match(&text(&lines[lines.len() - 1]));
    let inner_end = if closes { lines.len() - 1 } else { lines.len() };
    let opening = lines[..inner_start]
        .iter()
        .map(|l| {
            (
                MARKDOWN_ATTRIBUTE.replace_all(&text(l), "").into_owned(),
                l.1.clone(),
            )
        })
        .collect();
    let mut out = html_block(opening);
    out.extend(parse_lines(&lines[inner_start..inner_end]));
    if closes {
        let last = &lines[lines.len() - 1];
        out.extend(html_block(vec![(text(last), last.1.clone())]));
    }
    out
}

fn html_block<'a>(lines: Vec<(String, std::ops::Range<usize>)>) -> Vec<Spanned<'a>> {
    let Some(start) = lines.first().map(|(_, r)| r.clone()) else {
        return Vec::new();
    };
    let mut out = vec![(Event::Start(Tag::HtmlBlock), start.clone())];
    out.extend(
        lines
            .into_iter()
            .map(|(html, range)| (Event::Html(html.into()), range)),
    );
    out.push((Event::End(TagEnd::HtmlBlock), start));
    out
}

/// Lines of raw HTML parsed as Markdown, less their common indentation; each
/// event keeps the source offset of the line it starts on.
fn parse_lines<'a>(lines: &[Spanned<'_>]) -> Vec<Spanned<'a>> {
    let texts: Vec<&str> = lines
        .iter()
        .map(|(e, _)| match e {
            Event::Html(html) => &**html,
            _ => "",
        })
        .collect();
    let indent = texts
        .iter()
        .filter(|t| !t.trim().is_empty())
        .map(|t| t.len() - t.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut source = String::new();
    let mut starts = Vec::with_capacity(texts.len());
    for text in &texts {
        starts.push(source.len());
        source.push_str(text.get(indent..).unwrap_or(text.trim_start()));
        if !source.ends_with('\n') {
            source.push('\n');
        }
    }
    let line_of = |offset: usize| starts.partition_point(|&s| s <= offset).saturating_sub(1);
    Parser::new_ext(&source, parser_options())
        .into_offset_iter()
        .map(|(event, range)| {
            let line = &lines[line_of(range.start).min(lines.len() - 1)].1;
            (event.into_static(), line.start..line.end)
        })
        .collect()
}
