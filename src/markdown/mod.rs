//! Stage 4: one note's Markdown → [`RenderedNote`] (HTML plus by-products).
//!
//! The body is parsed once into `(Event, Range)` pairs; each pass rewrites the
//! event list, in this order:
//! 1. [`flags::keep_flags`]: a `--` that starts a word (a command's flag) kept as
//!    typed, not made an en dash by smart punctuation.
//! 2. [`html_markdown::parse_markdown_in_html`]: `<details markdown=1>` (kramdown)
//!    blocks → their Markdown parsed, so the later passes see it.
//! 3. [`marks::render_marks`]: Obsidian's `%%comments%%` dropped, `==highlights==` marked.
//! 4. [`block_ids::anchor_block_ids`]: Obsidian's ` ^id` block markers → anchors.
//! 5. [`videos::embed_videos`]: a YouTube link written as an image → the video partial.
//! 6. [`links::rewrite_links`]: relative `.md` and asset references → output URLs; each
//!    captured as a [`LinkRef`] so stage 5 can check targets and anchors.
//! 7. [`wikilinks::resolve_wikilinks`]: `[[Note]]` and `![[image.png]]` found by name
//!    anywhere under content/, captured the same way.
//! 8. [`tags::link_tags`]: `#tags` in prose → links to their tag pages, collected.
//! 9. [`highlight::highlight_code_blocks`]: fenced code → class-based highlighted HTML.
//! 10. [`practice_exam::recognise_questions`]: practice-exam questions written as
//!     numbered items or question headings → quiz questions, recorded as QUIZ callouts.
//! 11. [`headings::anchor_headings`]: GitHub-style ids, self-links through the heading
//!     partial, the table of contents, and plain text per heading section.
//! 12. [`callouts::render_callouts`]: `> [!KIND] title` blockquotes → the callout partial,
//!     each recorded as a [`Callout`] under its heading; mnemonics checked. It runs last
//!     so a callout's body arrives with links, code and headings already rendered.
//!
//! Then `pulldown_cmark::html::push_html` writes the HTML. A question or flashcard bank
//! (CSV, GIFT, Anki text) skips the passes: [`banks`] reads its rows instead. This module knows nothing of
//! the site model: link targets arrive as a plain [`Urls`] map, and partials
//! through the [`Partials`] trait, which the render stage implements.

pub(crate) mod banks;
pub(crate) mod block_ids;
pub(crate) mod callouts;
pub(crate) mod flags;
pub(crate) mod headings;
pub(crate) mod highlight;
pub(crate) mod html_markdown;
pub(crate) mod links;
pub(crate) mod marks;
pub(crate) mod mnemonic;
pub(crate) mod packed;
pub(crate) mod practice_exam;
pub(crate) mod question_headings;
pub(crate) mod quiz_blocks;
pub(crate) mod tags;
pub(crate) mod text;
pub(crate) mod transclusion;
pub(crate) mod videos;
pub(crate) mod wikilinks;

use std::cell::Cell;
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{Event, Options, Parser};
use serde::Serialize;

use crate::error::{Diagnostics, Location, Result};
use crate::hashing::{key_of, key_of_items};
use crate::source::{BankFormat, SourceFile};
pub(crate) use block_ids::BlockAnchorView;
pub(crate) use callouts::{Callout, CalloutView};
pub(crate) use headings::{Heading, HeadingView, TextSection, TocEntry};
pub(crate) use links::{LinkRef, Urls};
use packed::{PackedHtml, PackedTexts};
pub(crate) use transclusion::{EmbedScope, EmbedView};
pub(crate) use videos::VideoView;

/// An event with its byte range in the body.
pub(crate) type Spanned<'a> = (Event<'a>, Range<usize>);

/// Theme partials that passes render through, so Rust decides what and templates how.
pub(crate) trait Partials: Sync {
    /// `partials/heading_anchor.html`.
    fn heading(&self, view: &HeadingView) -> Result<String>;
    /// `partials/callout.html` (which includes `partials/mnemonic.html` for mnemonics).
    fn callout(&self, view: &CalloutView<'_>) -> Result<String>;
    /// `partials/embed.html`: a note embedded with `![[Note]]`.
    fn embed(&self, view: &EmbedView) -> Result<String>;
    /// `partials/block_anchor.html`: where an Obsidian block id (`^id`) points.
    fn block_anchor(&self, view: &BlockAnchorView<'_>) -> Result<String>;
    /// `partials/video.html`: a YouTube link written as an image.
    fn video(&self, view: &VideoView) -> Result<String>;
}

/// What every note is rendered with.
pub(crate) struct MarkdownEnv<'a> {
    pub(crate) partials: &'a dyn Partials,
    pub(crate) targets: &'a Urls,
    /// Compress what each note holds until it is read ([`packed`]): a large site's.
    pub(crate) compress: bool,
}

/// One note to render.
pub(crate) struct NoteSource<'a> {
    /// Shared with the content model (and `serve`'s cache, which can tell an
    /// unchanged note by the pointer alone).
    pub(crate) file: &'a Arc<SourceFile>,
    /// Byte offset of the body (after front matter) in `file.text`.
    pub(crate) body_start: usize,
    /// Drop the body's first `# heading`, already used as the page title.
    pub(crate) skip_first_h1: bool,
    /// Read numbered practice-exam questions as quiz questions
    /// ([`practice_exam`]): the page's `quiz` and the site's `[quiz] practice_exams`.
    pub(crate) practice_questions: bool,
}

/// A rendered note and what was learnt while rendering it.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct RenderedNote {
    /// Compressed until its page is made ([`packed`]).
    pub(crate) html: PackedHtml,
    /// The title heading's id (see [`headings::Anchored::title_id`]).
    pub(crate) title_id: Option<String>,
    /// How many practice-exam questions were recognised ([`practice_exam`]).
    pub(crate) practice_questions: usize,
    pub(crate) toc: Vec<TocEntry>,
    #[serde(skip)]
    pub(crate) headings: Vec<Heading>,
    /// Obsidian block ids (`^id`), which links may name as anchors ([`block_ids`]).
    #[serde(skip)]
    pub(crate) block_ids: Vec<String>,
    #[serde(skip)]
    pub(crate) links: Vec<LinkRef>,
    /// Plain text under each heading, for flashcards and the search index.
    #[serde(skip)]
    pub(crate) sections: PackedTexts,
    /// Every callout, in source order.
    #[serde(skip)]
    pub(crate) callouts: Vec<Callout>,
    /// The flashcard backs of the page's question headings ([`question_headings`]).
    #[serde(skip)]
    pub(crate) question_backs: Vec<question_headings::QuestionBack>,
    /// A flashcard bank's cards ([`banks`]); empty for notes.
    #[serde(skip)]
    pub(crate) cards: Vec<banks::BankCard>,
    #[serde(skip)]
    pub(crate) diagnostics: Diagnostics,
    pub(crate) word_count: usize,
    /// With serve's cache: a hash of the note's source, which with the cache's
    /// fingerprint determines everything above. Zero otherwise.
    #[serde(skip)]
    pub(crate) source_key: u64,
    /// A key of the note's mnemonics and the headings they sit under: what the
    /// `/mnemonics/` page shows of it, so an edit elsewhere in the note leaves
    /// that page as it is. Zero when it has none.
    #[serde(skip)]
    pub(crate) mnemonics_key: u64,
    /// A key of the note's callouts and the headings they sit under
    /// ([`callouts_key`]): what the cram sheets show of it, so an edit
    /// elsewhere in the note leaves them as they are.
    #[serde(skip)]
    pub(crate) callouts_key: u64,
    /// An embed loop or too deep a nest of embeds met while rendering, so the page
    /// embedding this note can warn at its own `![[…]]`.
    #[serde(skip)]
    pub(crate) embed_problem: Option<String>,
    /// `#tags` in the text, each once, as first written.
    #[serde(skip)]
    pub(crate) tags: Vec<String>,
}

impl RenderedNote {
    /// The note's HTML, section texts and flashcard backs, those it alone holds.
    pub(crate) fn held_parts(&mut self) -> impl Iterator<Item = &mut PackedHtml> {
        let backs = self.question_backs.iter_mut().map(|back| &mut back.html);
        let cards = self.cards.iter_mut().map(|card| &mut card.back_html);
        [&mut self.html, &mut self.sections.texts]
            .into_iter()
            .chain(backs.chain(cards).filter_map(Arc::get_mut))
    }
}

/// State shared by the passes over one note.
pub(crate) struct PassCtx<'a> {
    pub(crate) note: &'a NoteSource<'a>,
    pub(crate) env: &'a MarkdownEnv<'a>,
    pub(crate) diagnostics: Diagnostics,
    /// The notes embedding this one, and the page's count of embedded notes.
    pub(crate) embeds: EmbedScope<'a>,
    /// See [`RenderedNote::embed_problem`].
    pub(crate) embed_problem: Option<String>,
}

impl PassCtx<'_> {
    /// Location of a byte offset in the body.
    pub(crate) fn location(&self, body_offset: usize) -> Location {
        self.note.file.location(self.note.body_start + body_offset)
    }
}

pub(crate) fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_WIKILINKS
}

/// Renders one note through every pass.
pub(crate) fn render_note(note: &NoteSource<'_>, env: &MarkdownEnv<'_>) -> Result<RenderedNote> {
    let mut rendered = match BankFormat::of(&note.file.path) {
        Some(format) => banks::render_bank(format, note, env)?,
        None => {
            let embedded = Cell::new(0);
            let scope = EmbedScope {
                chain: &[],
                rendered: &embedded,
            };
            render_embedded(note, env, scope)?
        }
    };
    if env.compress {
        for part in rendered.held_parts() {
            part.compress();
        }
    }
    Ok(rendered)
}

/// Renders a note as a page (an empty chain) or embedded in one.
pub(crate) fn render_embedded(
    note: &NoteSource<'_>,
    env: &MarkdownEnv<'_>,
    embeds: EmbedScope<'_>,
) -> Result<RenderedNote> {
    let body = &note.file.text[note.body_start..];
    let events: Vec<Spanned<'_>> = Parser::new_ext(body, parser_options())
        .into_offset_iter()
        .collect();
    let events = flags::keep_flags(events, body);
    let events = html_markdown::parse_markdown_in_html(events);
    let mut ctx = PassCtx {
        note,
        env,
        diagnostics: Diagnostics::default(),
        embeds,
        embed_problem: None,
    };
    let events = marks::render_marks(events);
    // Embedded text keeps no anchors: its ids are its own page's.
    let anchors = ctx.embeds.chain.is_empty().then_some(env.partials);
    let (events, block_ids) = block_ids::anchor_block_ids(events, body, anchors)?;
    let events = videos::embed_videos(events, body, env.partials)?;
    let (events, mut links) = links::rewrite_links(events, &mut ctx);
    let events = wikilinks::resolve_wikilinks(events, &mut ctx, &mut links)?;
    let (events, tags) = tags::link_tags(events, &ctx);
    let events = highlight::highlight_code_blocks(events, &mut ctx);
    let (events, practice) = match note.practice_questions {
        true => practice_exam::recognise_questions(events, &mut ctx)?,
        false => (events, Vec::new()),
    };
    let anchored = headings::anchor_headings(events, &mut ctx)?;
    let (events, mut callouts) =
        callouts::render_callouts(anchored.events, &anchored.headings, &mut ctx)?;
    let practice_questions = practice.len();
    if !practice.is_empty() {
        callouts.extend(practice.into_iter().map(|mut callout| {
            callout.heading = anchored
                .headings
                .iter()
                .rposition(|h| h.offset < callout.offset);
            callout
        }));
        callouts.sort_by_key(|c| c.offset);
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
    let mnemonics: Vec<_> = callouts
        .iter()
        .filter_map(|c| {
            let heading = c.heading.map(|h| &anchored.headings[h]);
            Some((c.mnemonic.as_ref()?, heading.map(|h| (&h.id, &h.text))))
        })
        .collect();
    let mnemonics_key = match mnemonics.is_empty() {
        true => 0,
        false => key_of(&mnemonics),
    };
    let callouts_key = callouts_key(&callouts, &anchored.headings);
    // An embedded note's cards are its own page's, not the embedding page's.
    let question_backs = match ctx.embeds.chain.is_empty() {
        true => question_headings::question_backs(body, &anchored.headings, &callouts),
        false => Vec::new(),
    };
    Ok(RenderedNote {
        html: PackedHtml::new(html),
        title_id: anchored.title_id,
        practice_questions,
        toc: anchored.toc,
        word_count: anchored
            .sections
            .iter()
            .map(|s| s.text.split_whitespace().count())
            .sum(),
        headings: anchored.headings,
        block_ids,
        sections: PackedTexts::new(&anchored.sections),
        links,
        callouts,
        question_backs,
        cards: Vec::new(),
        diagnostics: ctx.diagnostics,
        source_key: 0,
        mnemonics_key,
        callouts_key,
        embed_problem: ctx.embed_problem,
        tags,
    })
}

/// A key of `callouts` (their kind, title, body and mnemonic) and the
/// `headings` they sit under.
pub(crate) fn callouts_key(callouts: &[Callout], headings: &[Heading]) -> u64 {
    let parts = callouts.iter().map(|c| {
        let heading = c.heading.map(|h| (&headings[h].id, &headings[h].text));
        (c.kind, &c.title, &c.body_html, &c.mnemonic, heading)
    });
    key_of_items(&callouts.len(), parts)
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    /// Renders headings as a bare `<hN id>` so pass tests need no theme.
    pub(crate) struct PlainPartials;

    impl Partials for PlainPartials {
        fn heading(&self, view: &HeadingView) -> Result<String> {
            Ok(format!(
                "<h{l} id=\"{id}\"><a class=\"anchor\" href=\"#{id}\"></a>{html}</h{l}>\n",
                l = view.level,
                id = view.id,
                html = view.html
            ))
        }

        /// `<div class="callout callout-KIND" data-fold="…"><p class="callout-title">Label: title</p>body</div>`.
        fn callout(&self, view: &CalloutView<'_>) -> Result<String> {
            let fold = match (view.foldable, view.open) {
                (false, _) => "fixed",
                (true, false) => "folded",
                (true, true) => "open",
            };
            Ok(format!(
                "<div class=\"callout callout-{kind}\" data-fold=\"{fold}\"><p class=\"callout-title\">{label}: {title}</p>{body}</div>\n",
                kind = view.kind.name().to_lowercase(),
                label = view.label,
                title = view.title_html,
                body = view.body_html,
            ))
        }

        /// `<span class="block-anchor" id>`, as the theme's.
        fn block_anchor(&self, view: &BlockAnchorView<'_>) -> Result<String> {
            Ok(format!(
                "<span class=\"block-anchor\" id=\"{}\"></span>",
                view.id
            ))
        }

        /// `<video-embed id start alt></video-embed>`.
        fn video(&self, view: &VideoView) -> Result<String> {
            Ok(format!(
                "<video-embed id=\"{}\" start=\"{}\" alt=\"{}\"></video-embed>",
                view.id,
                view.start.map_or(String::new(), |s| s.to_string()),
                view.alt
            ))
        }

        /// `<div class="embed"><a href>title</a>body</div>`.
        fn embed(&self, view: &EmbedView) -> Result<String> {
            Ok(format!(
                "<div class=\"embed\"><a href=\"{}\">{}</a>{}</div>",
                view.url, view.title, view.body_html
            ))
        }
    }

    /// Renders `markdown` as `content/sec/note.md` with one known page and one asset.
    pub(crate) fn render(markdown: &str) -> RenderedNote {
        let targets = Urls::for_tests();
        let file = Arc::new(SourceFile::new("content/sec/note.md", markdown.to_string()));
        let note = NoteSource {
            file: &file,
            body_start: 0,
            skip_first_h1: false,
            practice_questions: true,
        };
        let env = MarkdownEnv {
            partials: &PlainPartials,
            targets: &targets,
            compress: false,
        };
        render_note(&note, &env).expect("plain partials cannot fail")
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::render;
    use scraper::{Html, Selector};

    fn select(html: &str, css: &str) -> Vec<String> {
        let doc = Html::parse_fragment(html);
        let selector = Selector::parse(css).unwrap();
        doc.select(&selector).map(|e| e.text().collect()).collect()
    }

    #[test]
    fn gfm_features_render() {
        let note = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ \"quoted\"\n\n- [x] done\n\nText[^1]\n\n[^1]: Foot.\n",
        );
        let html = note.html.unpack();
        assert_eq!(select(&html, "td"), ["1", "2"]);
        assert_eq!(select(&html, "del"), ["old"]);
        assert!(select(&html, "p").iter().any(|p| p.contains('“')));
        assert_eq!(select(&html, "input[type=checkbox][checked]").len(), 1);
        assert_eq!(select(&html, ".footnote-definition").len(), 1);
    }

    #[test]
    fn raw_html_passes_through() {
        let note = render("<details><summary>More</summary>\n\nHidden\n\n</details>\n");
        assert_eq!(select(&note.html.unpack(), "details summary"), ["More"]);
    }

    #[test]
    fn code_is_highlighted_by_class() {
        let note = render("```rust\nfn main() {}\n```\n\n```nosuchlang\nx < y\n```\n");
        let html = note.html.unpack();
        let doc = Html::parse_fragment(&html);
        let classed = Selector::parse("pre code.language-rust span[class^=hl-]").unwrap();
        assert!(doc.select(&classed).next().is_some(), "{html}");
        assert_eq!(select(&html, "pre code.language-nosuchlang"), ["x < y\n"]);
    }
}
