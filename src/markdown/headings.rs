//! Pass 8: heading ids, self-links, table of contents, and text by section.
//!
//! Ids follow GitHub's rules, so in-note tables of contents written for GitHub
//! keep working: lowercase, drop everything but letters, digits, `_`, `-` and
//! spaces, turn each space into `-` (no collapsing: `IAM & Access` →
//! `iam--access`), and suffix repeats with `-1`, `-2`. `{#custom-id}` wins.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};
use serde::Serialize;

use crate::error::Result;
use crate::markdown::text::{fitted, is_block_end};
use crate::markdown::{PassCtx, Spanned};

/// What `partials/heading_anchor.html` receives.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct HeadingView {
    pub(crate) level: u8,
    pub(crate) id: String,
    /// The heading's rendered inner HTML.
    pub(crate) html: String,
    /// The heading's plain text.
    pub(crate) text: String,
    pub(crate) classes: Vec<String>,
}

/// A heading as found in the source, for link checks and quizzes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Heading {
    pub(crate) level: u8,
    pub(crate) id: String,
    pub(crate) text: String,
    /// Byte offset in the body.
    pub(crate) offset: usize,
}

/// One entry of a page's table of contents (h2, with its h3 children).
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub(crate) struct TocEntry {
    pub(crate) level: u8,
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) children: Vec<TocEntry>,
}

/// The plain text under one heading (or before the first), for search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TextSection {
    /// Index into the note's headings; `None` for the text before the first heading.
    pub(crate) heading: Option<usize>,
    pub(crate) text: String,
}

pub(crate) struct Anchored<'a> {
    pub(crate) events: Vec<Spanned<'a>>,
    /// The id of the title heading the page shows in place of the first `# …`.
    pub(crate) title_id: Option<String>,
    pub(crate) headings: Vec<Heading>,
    pub(crate) toc: Vec<TocEntry>,
    pub(crate) sections: Vec<TextSection>,
}

/// GitHub's heading slug, without de-duplication.
pub(crate) fn github_slug(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// Hands out unique ids the way GitHub does: `x`, `x-1`, `x-2`.
///
/// Each base remembers the last suffix it handed out (as github-slugger does), so
/// the n-th repeat of a heading starts probing there rather than at `-1`: probing
/// from `-1` every time made 20,000 equal headings take 14 s. A probe that fails
/// hits an id some other heading took, and each id is hit from one base only,
/// so all the probes of a note together are linear in its headings.
#[derive(Default)]
struct IdRegistry {
    used: HashSet<String>,
    last_suffix: HashMap<String, usize>,
}

impl IdRegistry {
    fn unique(&mut self, base: String) -> String {
        let mut candidate = base.clone();
        if self.used.contains(&candidate) {
            let n = self.last_suffix.entry(base.clone()).or_default();
            while self.used.contains(&candidate) {
                *n += 1;
                candidate = format!("{base}-{n}");
            }
        }
        self.used.insert(candidate.clone());
        candidate
    }
}

struct OpenHeading<'a> {
    level: HeadingLevel,
    custom_id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    inner: Vec<Event<'a>>,
    text: String,
    range: std::ops::Range<usize>,
}

/// Runs the pass; see the module doc.
pub(crate) fn anchor_headings<'a>(
    events: Vec<Spanned<'a>>,
    ctx: &mut PassCtx<'_>,
) -> Result<Anchored<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut headings = Vec::new();
    let mut sections = vec![TextSection::default()];
    let mut ids = IdRegistry::default();
    let mut open: Option<OpenHeading<'a>> = None;
    let mut skip_h1 = ctx.note.skip_first_h1;
    let mut title_id = None;
    let mut text = SectionText::default();
    for (index, (event, range)) in events.into_iter().enumerate() {
        match (event, open.as_mut()) {
            (
                Event::Start(Tag::Heading {
                    level, id, classes, ..
                }),
                None,
            ) => {
                open = Some(OpenHeading {
                    level,
                    custom_id: id,
                    classes,
                    inner: Vec::new(),
                    text: String::new(),
                    range,
                });
                skip_h1 &= index == 0 && level == HeadingLevel::H1;
            }
            (Event::End(TagEnd::Heading(_)), Some(_)) => {
                let heading = open.take().expect("matched Some above");
                let base = heading
                    .custom_id
                    .as_ref()
                    .map_or_else(|| github_slug(heading.text.trim()), |id| id.to_string());
                let id = ids.unique(base);
                // An embedded note's headings are on the embedding page too: their
                // ids get the embed's number there, so none repeats one of the page's.
                let id = match ctx.embeds.chain.is_empty() {
                    true => id,
                    false => format!("embed-{}-{id}", ctx.embeds.rendered.get()),
                };
                // The page shows the title heading itself, with this id: the
                // tables of contents of notes written for GitHub link to it.
                if std::mem::take(&mut skip_h1) {
                    title_id = Some(id);
                    continue;
                }
                let range = heading.range.clone();
                let (html, record) = render_heading(heading, id, ctx)?;
                out.push((Event::Html(html.into()), range));
                sections.push(TextSection {
                    heading: Some(headings.len()),
                    text: String::new(),
                });
                headings.push(record);
            }
            (event, Some(heading)) => {
                if let Event::Text(t) | Event::Code(t) = &event {
                    heading.text.push_str(t);
                }
                heading.inner.push(event);
            }
            (event, None) => {
                text.collect(&event, sections.last_mut().expect("starts non-empty"));
                out.push((event, range));
            }
        }
    }
    let toc = table_of_contents(&headings);
    for section in &mut sections {
        section.text = fitted(std::mem::take(&mut section.text));
    }
    Ok(Anchored {
        events: out,
        title_id,
        headings,
        toc,
        sections,
    })
}

/// A closed heading through the heading partial, and its record.
fn render_heading(
    heading: OpenHeading<'_>,
    id: String,
    ctx: &PassCtx<'_>,
) -> Result<(String, Heading)> {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, heading.inner.into_iter());
    let view = HeadingView {
        level: heading.level as u8,
        id,
        html,
        text: heading.text.trim().to_string(),
        classes: heading.classes.iter().map(|c| c.to_string()).collect(),
    };
    let html = ctx.env.partials.heading(&view)?;
    let record = Heading {
        level: view.level,
        id: view.id,
        text: view.text,
        offset: heading.range.start,
    };
    Ok((html, record))
}

/// Collects a section's text, leaving out `[!QUIZ]` callouts: their options (wrong
/// ones included) and explanation would otherwise be searched and shown as the
/// note's own words, and read as the note's next sentence. A blockquote's text is
/// held until it ends, since its marker may be split over several text events.
#[derive(Default)]
struct SectionText {
    quote_depth: usize,
    quote: String,
}

impl SectionText {
    fn collect(&mut self, event: &Event<'_>, section: &mut TextSection) {
        match event {
            Event::Start(Tag::BlockQuote(_)) => self.quote_depth += 1,
            Event::End(TagEnd::BlockQuote(_)) if self.quote_depth > 0 => {
                self.quote_depth -= 1;
                if self.quote_depth == 0 {
                    let quote = std::mem::take(&mut self.quote);
                    push_block_end(&mut section.text);
                    if !is_quiz_callout(&quote) {
                        section.text.push_str(&quote);
                    }
                    return;
                }
            }
            _ => {}
        }
        let text = if self.quote_depth > 0 {
            &mut self.quote
        } else {
            &mut section.text
        };
        collect_text(event, text);
    }
}

/// Whether a blockquote's text starts with the QUIZ callout marker (any case).
fn is_quiz_callout(text: &str) -> bool {
    let start = text.trim_start();
    start
        .get(..7)
        .is_some_and(|marker| marker.eq_ignore_ascii_case("[!quiz]"))
}

/// Blocks are lines of the text: a sentence never runs from a paragraph into
/// the list after it (`… stores:` then `Secrets`), and words on both sides of
/// a block's edge stay apart (`across:` then a nested `Azure`).
fn push_block_end(text: &mut String) {
    if !text.is_empty() && !text.ends_with(char::is_whitespace) {
        text.push('\n');
    }
}

/// Appends an event's visible text, with a line break between blocks.
fn collect_text(event: &Event<'_>, text: &mut String) {
    match event {
        Event::Text(t) | Event::Code(t) => text.push_str(t),
        Event::SoftBreak | Event::HardBreak if !text.ends_with(char::is_whitespace) => {
            text.push(' ')
        }
        Event::Start(tag) if is_block_end(&tag.to_end()) => push_block_end(text),
        Event::End(end) if is_block_end(end) => push_block_end(text),
        _ => {}
    }
}

/// h2 entries with their h3 children; an h3 before any h2 stands on its own.
fn table_of_contents(headings: &[Heading]) -> Vec<TocEntry> {
    let mut toc: Vec<TocEntry> = Vec::new();
    for heading in headings.iter().filter(|h| h.level == 2 || h.level == 3) {
        let entry = TocEntry {
            level: heading.level,
            id: heading.id.clone(),
            title: heading.text.clone(),
            children: Vec::new(),
        };
        match toc.last_mut() {
            Some(parent) if heading.level == 3 && parent.level == 2 => parent.children.push(entry),
            _ => toc.push(entry),
        }
    }
    toc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::test_support::render;

    #[test]
    fn github_slug_rules() {
        assert_eq!(github_slug("What is Amazon S3?"), "what-is-amazon-s3");
        assert_eq!(
            github_slug("IAM — Identity & Access Management (IAM)"),
            "iam--identity--access-management-iam"
        );
        assert_eq!(
            github_slug("IAM (Identity & Access) Management: IAM"),
            "iam-identity--access-management-iam"
        );
        assert_eq!(github_slug("snake_case and-dash"), "snake_case-and-dash");
    }

    #[test]
    fn ids_are_unique_custom_and_linked() {
        let note = render("## Intro\n\n## Intro\n\n## Intro\n\n### Deep `code` {#custom}\n");
        let ids: Vec<&str> = note.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["intro", "intro-1", "intro-2", "custom"]);
        assert!(
            note.html.unpack().contains("href=\"#intro-1\""),
            "{}",
            note.html
        );
        assert_eq!(note.headings[3].text, "Deep code");
    }

    #[test]
    fn repeats_skip_ids_taken_by_other_headings() {
        let note = render("## A\n\n## A-1\n\n## A\n\n## A\n\n## A-1\n");
        let ids: Vec<&str> = note.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["a", "a-1", "a-2", "a-3", "a-1-1"]);
    }

    #[test]
    fn toc_nests_h3_under_h2() {
        let note = render("### Early\n\n## A\n\n### A1\n\n#### skipped\n\n## B\n");
        let shape: Vec<(String, usize)> = note
            .toc
            .iter()
            .map(|e| (e.id.clone(), e.children.len()))
            .collect();
        assert_eq!(
            shape,
            [("early".into(), 0), ("a".into(), 1), ("b".into(), 0)]
        );
    }

    #[test]
    fn text_is_collected_per_heading() {
        let note = render("Lead in.\n\n## One\n\nFirst *para*.\n\n- item\n");
        let sections = note.sections.unpack();
        assert_eq!(sections.len(), 2);
        assert_eq!(sections[1].heading, Some(0));
        assert!(
            sections[1].text.contains("First para."),
            "{:?}",
            sections[1].text
        );
    }

    #[test]
    fn quiz_callouts_are_left_out_of_the_text_but_other_callouts_stay() {
        let note = render(
            "## WAF\n\nWAF filters requests.\n\n> [!quiz] Which filters requests?\n> - [x] WAF\n> - [ ] Wrong option\n>\n> Because.\n\n\
             > [!TIP] Tip\n> Learn the pairs.\n\nAfter.\n",
        );
        let text = &note.sections.unpack()[1].text;
        assert!(text.contains("WAF filters requests."), "{text:?}");
        assert!(text.contains("Learn the pairs."), "{text:?}");
        assert!(text.contains("After."), "{text:?}");
        assert!(!text.contains("Wrong option"), "{text:?}");
        assert!(!text.contains("Which filters"), "{text:?}");
    }
}
