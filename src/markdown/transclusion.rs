//! `![[Note]]` and `![[Note#Heading]]`: that note, or its part under that heading,
//! rendered inside the embedding page through `partials/embed.html`.
//!
//! The part is cut from the target's source (the heading down to the next heading of
//! its level or above) and rendered as a note of its own, from the target's path so
//! its relative links resolve from its folder. Its diagnostics are dropped: the target
//! reports them when it renders itself. A note that embeds itself, a cycle of embeds,
//! or embeds nested deeper than [`MAX_EMBED_DEPTH`] are shown as a link instead, with a
//! warning at the embed that starts the loop in each page it shows in.

use std::cell::Cell;
use std::collections::BTreeSet;
use std::sync::Arc;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::error::{Diagnostic, Result};
use crate::hashing::key_of;
use crate::markdown::block_ids::block_part;
use crate::markdown::headings::github_slug;
use crate::markdown::text::plain_text;
use crate::markdown::wikilinks::WikiNames;
use crate::markdown::{parser_options, render_embedded, NoteSource, PassCtx};
use crate::source::{SourceFile, SourcePath};

/// Embeds inside embeds stop here: each level renders its notes again.
pub(crate) const MAX_EMBED_DEPTH: usize = 4;

/// A page shows at most this many embedded notes, nested ones included, so a few
/// notes that each embed many others cannot multiply into millions of renders.
pub(crate) const MAX_EMBEDS_PER_PAGE: usize = 100;

/// Where a note is rendered: the notes embedding it, outermost first (none for a
/// page itself), and the count of notes its page has embedded so far.
#[derive(Clone, Copy)]
pub(crate) struct EmbedScope<'a> {
    pub(crate) chain: &'a [SourcePath],
    pub(crate) rendered: &'a Cell<usize>,
}

/// What `partials/embed.html` receives.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EmbedView {
    /// The embed as Obsidian titles it: `Note` or `Note > Heading`.
    pub(crate) title: String,
    /// The embedded note's URL (with the heading's anchor).
    pub(crate) url: String,
    pub(crate) body_html: String,
}

/// One `![[…]]` naming a note.
pub(crate) struct Embed<'a> {
    pub(crate) target: &'a SourcePath,
    /// The heading's id, for `![[Note#Heading]]`.
    pub(crate) anchor: Option<&'a str>,
    pub(crate) title: String,
    pub(crate) url: &'a str,
    /// Body offset of the embed, for warnings.
    pub(crate) offset: usize,
}

/// The embed's HTML, or `None` to show it as a link (a loop, too deep, or no such
/// text or heading; stage 5 reports a missing heading).
pub(crate) fn transclude(ctx: &mut PassCtx<'_>, embed: &Embed<'_>) -> Result<Option<String>> {
    let Some(text) = ctx.env.targets.wiki.text(embed.target) else {
        return Ok(None);
    };
    let body = &text.file.text[text.body_start..];
    if let Some(problem) = why_not_embed(ctx, embed, body) {
        warn(ctx, embed.offset, &problem);
        ctx.embed_problem.get_or_insert(problem);
        return Ok(None);
    }
    let part = match embed.anchor {
        Some(anchor) if anchor.starts_with('^') => block_part(body, anchor),
        Some(anchor) => heading_part(body, anchor).map(str::to_string),
        None => Some(body.to_string()),
    };
    let Some(part) = part else {
        return Ok(None);
    };
    let file = Arc::new(SourceFile::new(embed.target.to_string(), part));
    let note = NoteSource {
        file: &file,
        body_start: 0,
        skip_first_h1: false,
        practice_questions: false,
    };
    let mut chain = ctx.embeds.chain.to_vec();
    chain.push(ctx.note.file.path.clone());
    let scope = EmbedScope {
        chain: &chain,
        rendered: ctx.embeds.rendered,
    };
    scope.rendered.set(scope.rendered.get() + 1);
    let rendered = render_embedded(&note, ctx.env, scope)?;
    if let Some(problem) = rendered.embed_problem {
        warn(ctx, embed.offset, &problem);
        ctx.embed_problem.get_or_insert(problem);
    }
    let view = EmbedView {
        title: embed.title.clone(),
        url: embed.url.to_string(),
        body_html: rendered.html.unpack(),
    };
    ctx.env.partials.embed(&view).map(Some)
}

/// A key of the texts of the notes `file` embeds (and those embed, to the depth
/// limit), for serve's cache: an edit of an embedded note renders its embedders
/// again. Zero without embeds. Names are found the simple way (any `![[name`, code
/// included), which can only make a key change more often than needed.
pub(crate) fn embeds_key(names: &WikiNames, file: &SourceFile) -> u64 {
    if file.embeds(embedded_names).is_empty() {
        return 0;
    }
    let mut seen: BTreeSet<&SourcePath> = BTreeSet::new();
    let mut level: Vec<&SourceFile> = vec![file];
    for _ in 0..MAX_EMBED_DEPTH {
        let mut next = Vec::new();
        for source in level {
            for name in source.embeds(embedded_names) {
                let Some(text) = names.embedded_note(name, &source.path) else {
                    continue;
                };
                if seen.insert(&text.file.path) {
                    next.push(&*text.file);
                }
            }
        }
        level = next;
    }
    let keys: Vec<(&SourcePath, u64)> = seen
        .into_iter()
        .filter_map(|path| Some((path, names.text(path)?.file.text_key())))
        .collect();
    key_of(&keys)
}

/// The names after each `![[` of a text, trimmed.
fn embedded_names(text: &str) -> Vec<Box<str>> {
    let names = text.split("![[").skip(1);
    let names = names.map(|name| name.split([']', '|', '#']).next().unwrap_or_default());
    names.map(|name| name.trim().into()).collect()
}

/// Why `embed` may not be shown here, if it may not; `body` is its note's.
fn why_not_embed(ctx: &PassCtx<'_>, embed: &Embed<'_>, body: &str) -> Option<String> {
    let (current, target) = (&ctx.note.file.path, embed.target);
    let chain = ctx.embeds.chain;
    let path = || {
        let notes = chain.iter().chain([current, target]);
        notes.map(|p| &**p).collect::<Vec<&str>>().join(" → ")
    };
    if (target == current && !another_part_of_page(ctx, embed, body)) || chain.contains(target) {
        return Some(format!("transclusion loop: {}", path()));
    }
    if chain.len() + 1 >= MAX_EMBED_DEPTH {
        let path = path();
        return Some(format!(
            "transclusions nested more than {MAX_EMBED_DEPTH} deep: {path}"
        ));
    }
    (ctx.embeds.rendered.get() >= MAX_EMBEDS_PER_PAGE)
        .then(|| format!("more than {MAX_EMBEDS_PER_PAGE} embedded notes on one page"))
}

/// Whether `embed` shows a heading's part of the page it is on that does not
/// hold the embed itself (`![[#Diagram]]` under another heading), as Obsidian
/// allows. Embeds inside that part are then in a chain that holds the page.
fn another_part_of_page(ctx: &PassCtx<'_>, embed: &Embed<'_>, body: &str) -> bool {
    let anchor = match embed.anchor {
        Some(anchor) if !anchor.starts_with('^') && ctx.embeds.chain.is_empty() => anchor,
        _ => return false,
    };
    let Some(part) = heading_part(body, anchor) else {
        return false;
    };
    let start = part.as_ptr() as usize - body.as_ptr() as usize;
    !(start..start + part.len()).contains(&embed.offset)
}

fn warn(ctx: &mut PassCtx<'_>, offset: usize, problem: &str) {
    let location = ctx.location(offset);
    ctx.diagnostics.push(
        Diagnostic::warning(Some(location), format!("{problem}; shown as a link")).with_help(
            "a note cannot show itself or a note that shows it, and embeds nest at most \
                 4 deep and 100 to a page; link with `[[…]]` instead",
        ),
    );
}

/// The part of `body` from the heading whose id is `anchor` to the next heading of
/// the same level or above.
fn heading_part<'b>(body: &'b str, anchor: &str) -> Option<&'b str> {
    let mut start: Option<(usize, pulldown_cmark::HeadingLevel)> = None;
    let mut heading: Option<(usize, pulldown_cmark::HeadingLevel, Option<String>)> = None;
    let mut text: Vec<Event<'_>> = Vec::new();
    for (event, range) in Parser::new_ext(body, parser_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                if let Some((from, found)) = start {
                    if level <= found {
                        return Some(&body[from..range.start]);
                    }
                }
                heading = Some((range.start, level, id.map(|id| id.to_string())));
                text.clear();
            }
            Event::End(TagEnd::Heading(_)) => {
                if let (None, Some((from, level, id))) = (start, heading.take()) {
                    let slug = id.unwrap_or_else(|| github_slug(plain_text(&text).trim()));
                    if slug == anchor {
                        start = Some((from, level));
                    }
                }
            }
            other if heading.is_some() => text.push(other),
            _ => {}
        }
    }
    start.map(|(from, _)| &body[from..])
}
