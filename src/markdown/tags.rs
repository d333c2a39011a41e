//! Pass 5: Obsidian's `#tags` in running text → links to their tag pages, collected
//! as the note's tags (beside front matter `tags`).
//!
//! A tag is `#` at the start of a word, then letters, digits, `_`, `-` or `/`, with at
//! least one that is not a digit (`#123` is an issue number, not a tag), as Obsidian
//! reads them. Only prose counts: not headings (whose `#` is syntax), code, link or
//! image text, and `C#` or `page/#anchor` are not tags since `#` is inside a word.

use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};
use regex::Regex;

use crate::content::slug::slugify;
use crate::markdown::{PassCtx, Spanned};
use crate::source::OutputPath;

/// Output folder of the tag index; each tag's page is a folder inside it.
pub(crate) const TAGS_PATH: &str = "tags/";

/// A tag's page: `tags/<slug>/`. Tags that slug alike share it (`AWS`, `aws`).
pub(crate) fn tag_path(tag: &str) -> OutputPath {
    OutputPath::from(format!("{TAGS_PATH}{}/", slugify(tag)))
}

/// A tag as written, without its `#` (front matter may have one).
pub(crate) fn clean_tag(tag: &str) -> &str {
    tag.trim().trim_start_matches('#').trim_end_matches('/')
}

fn tag_pattern() -> &'static Regex {
    static TAG: OnceLock<Regex> = OnceLock::new();
    TAG.get_or_init(|| {
        Regex::new(r"(^|[\s(\[{,;:])#([\p{L}\p{N}_/-]*[\p{L}_/-][\p{L}\p{N}_/-]*)")
            .expect("constant regex is valid")
    })
}

/// Runs the pass; returns the events and the tags found, each once, as first written.
pub(crate) fn link_tags<'a>(
    events: Vec<Spanned<'a>>,
    ctx: &PassCtx<'_>,
) -> (Vec<Spanned<'a>>, Vec<String>) {
    if !events
        .iter()
        .any(|(e, _)| matches!(e, Event::Text(t) if t.contains('#')))
    {
        return (events, Vec::new());
    }
    let mut tags: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(events.len());
    // Headings, code blocks, links and images open around the text: not prose.
    let mut closed_to_tags = 0usize;
    let mut word_before = false;
    for (event, range) in events {
        match &event {
            Event::Start(
                Tag::Heading { .. } | Tag::CodeBlock(_) | Tag::Link { .. } | Tag::Image { .. },
            ) => closed_to_tags += 1,
            Event::End(TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::Link | TagEnd::Image) => {
                closed_to_tags = closed_to_tags.saturating_sub(1)
            }
            _ => {}
        }
        let Event::Text(text) = &event else {
            word_before = matches!(event, Event::Code(_) | Event::InlineHtml(_));
            out.push((event, range));
            continue;
        };
        let starts_word = !word_before;
        word_before = !text.ends_with(char::is_whitespace);
        if closed_to_tags > 0 || !text.contains('#') {
            out.push((event, range));
            continue;
        }
        let mut at = 0;
        for found in tag_pattern().captures_iter(text) {
            let name = found.get(2).expect("group 2 always matches");
            // An empty lead is the text's start: a tag only if a word does not run into it.
            if found[1].is_empty() && !starts_word {
                continue;
            }
            let tag = clean_tag(name.as_str());
            let hash = name.start() - 1;
            if hash > at {
                out.push((
                    Event::Text(text[at..hash].to_string().into()),
                    range.clone(),
                ));
            }
            let url = ctx.env.targets.url(&tag_path(tag));
            out.push((Event::Start(link(url)), range.clone()));
            out.push((Event::Text(format!("#{tag}").into()), range.clone()));
            out.push((Event::End(TagEnd::Link), range.clone()));
            at = hash + 1 + tag.len();
            if !tags.iter().any(|t| slugify(t) == slugify(tag)) {
                tags.push(tag.to_string());
            }
        }
        match at {
            0 => out.push((event, range)),
            _ if at < text.len() => {
                out.push((Event::Text(text[at..].to_string().into()), range));
            }
            _ => {}
        }
    }
    (out, tags)
}

fn link(url: String) -> Tag<'static> {
    Tag::Link {
        link_type: LinkType::Inline,
        dest_url: CowStr::from(url),
        title: CowStr::Borrowed(""),
        id: CowStr::Borrowed(""),
    }
}

#[cfg(test)]
mod tests {
    use crate::markdown::test_support::render;

    #[test]
    fn tags_in_prose_become_links_and_are_collected() {
        let note = render(
            "# Head #notatag\n\nStudy #aws/iam and #Exam-tips, #AWS/IAM again.\n\n\
             Not C#, issue #123, `#code`, [#link](x.md), url x.com/#frag.\n\n```\n#block\n```\n",
        );
        let html = note.html.unpack();
        assert_eq!(note.tags, ["aws/iam", "Exam-tips"]);
        assert!(
            html.contains("<a href=\"/base/tags/aws-iam/\">#aws/iam</a> and"),
            "{html}"
        );
        assert!(html.contains("#AWS/IAM</a> again."), "{html}");
        assert!(html.contains("Not C#, issue #123"), "{html}");
    }
}
