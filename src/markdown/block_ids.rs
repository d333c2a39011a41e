//! Obsidian's block ids: ` ^id` at the end of a paragraph or list item names
//! that block, for `[[Note#^id]]`. The marker leaves the text and an empty
//! anchor with id `^id` (the theme's `partials/block_anchor.html`) takes its
//! place, so such a link lands on the block, as in Obsidian. A `^id` paragraph
//! of its own (after a table or a quote) is an anchor below the block it names.

use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};
use regex::Regex;
use serde::Serialize;

use crate::error::Result;
use crate::markdown::{parser_options, Partials, Spanned};

/// What `partials/block_anchor.html` receives: the id, `^` included.
#[derive(Serialize)]
pub(crate) struct BlockAnchorView<'a> {
    pub(crate) id: &'a str,
}

/// ` ^id` at the end of a text: Obsidian's ids are letters, digits and `-`.
static BLOCK_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|\s)\^([A-Za-z0-9-]+)\s*$").expect("valid"));

/// The id (without `^`) of the marker that ends `text`, if one does.
pub(crate) fn marker_id(text: &str) -> Option<&str> {
    BLOCK_ID.captures(text)?.get(1).map(|m| m.as_str())
}

/// The source of the block `^id` names in `body`: its list item, else its
/// paragraph; a marker alone in a paragraph names the block before it. A
/// nested item comes out of its list: its lines lose the first one's indent.
pub(crate) fn block_part(body: &str, anchor: &str) -> Option<String> {
    let id = anchor.strip_prefix('^')?;
    // Open paragraphs and list items (true for an item), innermost last.
    let mut open: Vec<(bool, Range<usize>)> = Vec::new();
    let mut depth = 0usize;
    let mut top = 0..0;
    let mut previous: Option<Range<usize>> = None;
    for (event, range) in Parser::new_ext(body, parser_options()).into_offset_iter() {
        match &event {
            Event::Start(tag) => {
                if depth == 0 {
                    top = range.clone();
                }
                depth += 1;
                if matches!(tag, Tag::Paragraph | Tag::Item) {
                    open.push((matches!(tag, Tag::Item), range));
                }
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if matches!(end, TagEnd::Paragraph | TagEnd::Item) {
                    open.pop();
                }
                if depth == 0 {
                    previous = Some(top.clone());
                }
            }
            Event::Text(text) if marker_id(text) == Some(id) => {
                if text.trim() == anchor && open.len() == 1 && !open[0].0 {
                    return previous.map(|r| dedented(body, r));
                }
                let item = open.iter().rev().find(|(item, _)| *item);
                let (_, block) = item.or(open.last())?;
                return Some(dedented(body, block.clone()));
            }
            _ => {}
        }
    }
    None
}

/// `body[range]` from its first non-blank character, each later line without
/// the indent that character's line has.
fn dedented(body: &str, range: Range<usize>) -> String {
    let text = &body[range.clone()];
    let start = range.start + (text.len() - text.trim_start().len());
    let line_start = body[..start].rfind('\n').map_or(0, |i| i + 1);
    let indent = &body[line_start..start];
    let mut lines = body[start..range.end].trim_end().split('\n');
    let mut out = lines.next().unwrap_or_default().to_string();
    for line in lines {
        out.push('\n');
        out.push_str(line.strip_prefix(indent).unwrap_or(line));
    }
    out
}

/// The events with each block id's marker turned into an anchor made by
/// `anchors`' partial, and the ids (`^id`), in order; `body` is the text the
/// events were parsed from. Embedded text (`anchors` `None`) loses its markers
/// but gets no anchors: its ids are its own page's, and a page may embed it twice.
pub(crate) fn anchor_block_ids<'a>(
    events: Vec<Spanned<'a>>,
    body: &str,
    anchors: Option<&dyn Partials>,
) -> Result<(Vec<Spanned<'a>>, Vec<String>)> {
    if memchr::memchr(b'^', body.as_bytes()).is_none() {
        return Ok((events, Vec::new()));
    }
    let mut ids = Vec::new();
    let mut out: Vec<Spanned<'_>> = Vec::with_capacity(events.len());
    let mut events = events.into_iter().peekable();
    while let Some((event, range)) = events.next() {
        let Event::Text(text) = &event else {
            out.push((event, range));
            continue;
        };
        let ends_block = matches!(
            events.peek(),
            None | Some((
                Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell)
                    | Event::Start(Tag::List(_)),
                _
            ))
        );
        let Some(found) = BLOCK_ID.captures(text).filter(|_| ends_block) else {
            out.push((event, range));
            continue;
        };
        let id = format!("^{}", &found[1]);
        let kept = text[..found.get(0).map_or(0, |m| m.start())].trim_end();
        let alone = kept.is_empty()
            && matches!(out.last(), Some((Event::Start(Tag::Paragraph), _)))
            && matches!(events.peek(), Some((Event::End(TagEnd::Paragraph), _)));
        let view = BlockAnchorView { id: &id };
        let anchor = anchors.map(|p| p.block_anchor(&view)).transpose()?;
        if alone {
            // The paragraph was only the marker: the anchor stands in its place.
            out.pop();
            events.next();
            if let Some(anchor) = anchor {
                out.push((Event::Html(anchor.into()), range));
            }
        } else {
            if !kept.is_empty() {
                out.push((Event::Text(CowStr::from(kept.to_string())), range.clone()));
            }
            if let Some(anchor) = anchor {
                out.push((Event::InlineHtml(anchor.into()), range));
            }
        }
        ids.push(id);
    }
    Ok((out, ids))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::test_support::PlainPartials;
    use pulldown_cmark::html::push_html;

    fn html_and_ids(markdown: &str) -> (String, Vec<String>) {
        let events = Parser::new(markdown).into_offset_iter().collect();
        let (events, ids) = anchor_block_ids(events, markdown, Some(&PlainPartials)).unwrap();
        let mut html = String::new();
        push_html(&mut html, events.into_iter().map(|(e, _)| e));
        (html, ids)
    }

    #[test]
    fn markers_become_anchors_where_they_stood() {
        let (html, ids) = html_and_ids("- CIA ^51b6d8\n- AAA\n\nA paragraph. ^para-1\n");
        assert_eq!(ids, ["^51b6d8", "^para-1"]);
        assert!(html.contains("<li>CIA<span class=\"block-anchor\" id=\"^51b6d8\"></span></li>"));
        assert!(
            html.contains("<p>A paragraph.<span class=\"block-anchor\" id=\"^para-1\"></span></p>")
        );
        assert!(!html.contains(" ^"));
    }

    #[test]
    fn a_marker_of_its_own_is_an_anchor_and_others_stay_text() {
        let (html, ids) = html_and_ids("| a |\n|---|\n| b |\n\n^table\n");
        assert_eq!(ids, ["^table"]);
        assert!(html.ends_with("<span class=\"block-anchor\" id=\"^table\"></span>"));
        for text in [
            "2^10 is 1024\n",
            "x ^id then more\n",
            "`code ^id`\n",
            "a ^b.c\n",
        ] {
            let (html, ids) = html_and_ids(text);
            assert!(ids.is_empty(), "{text}: {html}");
            assert!(html.contains('^'), "{text}");
        }
    }

    #[test]
    fn an_id_names_its_item_its_paragraph_or_the_block_before_it() {
        let body = "Intro.\n\n- one\n- CIA ^51b6d8\n\nA paragraph\nover two lines. ^p1\n\n\
                    | a |\n|---|\n| b |\n\n^t1\n";
        let part = |anchor| block_part(body, anchor);
        assert_eq!(part("^51b6d8").as_deref(), Some("- CIA ^51b6d8"));
        let paragraph = Some("A paragraph\nover two lines. ^p1");
        assert_eq!(part("^p1").as_deref(), paragraph);
        assert_eq!(part("^t1").as_deref(), Some("| a |\n|---|\n| b |"));
        assert_eq!(part("^missing"), None);
        assert_eq!(part("heading"), None);
        // A nested item, with one of its own, leaves its list at its own indent.
        let nested = "- a\n\t- b ^x\n\t\t- c\n- d\n";
        assert_eq!(block_part(nested, "^x").as_deref(), Some("- b ^x\n\t- c"));
    }
}
