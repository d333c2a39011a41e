//! Pass 9: `> [!KIND] title` blockquotes → callouts, rendered through `partials/callout.html`.
//!
//! GitHub's alert parsing is off in the parser options (it knows only five kinds, and
//! only with nothing after the marker), so every blockquote arrives plain and this
//! pass reads the marker itself:
//! 1. The blockquote's first paragraph starts with a run of `Text` events; the parser
//!    splits `[!TIP]` at the brackets (`[`, `!TIP`, `]`), so the run is joined first.
//! 2. `[!KIND]` starts the run; `-` right after it folds the callout (`<details>`),
//!    `+` makes it foldable but open. The rest of that first line is the title.
//! 3. The rest of the blockquote is the body. It is run through this same pass first,
//!    so nested callouts work, and every other block (lists, code, links) arrives
//!    already rendered by the earlier passes.
//! 4. A MNEMONIC's body is read by [`mnemonic::read_mnemonic`]; its initials check is
//!    a warning here, which `check` escalates to an error.
//!
//! It runs after the headings pass so each [`Callout`] knows the heading it sits under.
//! Not callouts, left as the plain blockquotes they are: a marker without its closing
//! bracket, and a bare marker with neither title nor body.

use std::collections::HashMap;

use pulldown_cmark::{Event, Tag, TagEnd};
use serde::Serialize;

use crate::error::{Diagnostic, Result};
use crate::markdown::mnemonic::{self, Mnemonic};
use crate::markdown::quiz_blocks::{self, QuizBlock, QuizSource};
use crate::markdown::text::plain_text;
use crate::markdown::{Heading, PassCtx, Spanned};

/// The closed set of callout kinds: GitHub's five, ours, and Obsidian's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum CalloutKind {
    Note,
    Tip,
    Important,
    Warning,
    Caution,
    Mnemonic,
    Quiz,
    Abstract,
    Success,
    Question,
    Failure,
    Danger,
    Bug,
    Example,
    Quote,
}

/// Obsidian's other names for its kinds (its `info` and `todo` are notes), and what
/// each stands for here; a kind's own name needs no entry.
const ALIASES: [(&str, CalloutKind); 14] = [
    ("info", CalloutKind::Note),
    ("todo", CalloutKind::Note),
    ("hint", CalloutKind::Tip),
    ("attention", CalloutKind::Warning),
    ("summary", CalloutKind::Abstract),
    ("tldr", CalloutKind::Abstract),
    ("check", CalloutKind::Success),
    ("done", CalloutKind::Success),
    ("help", CalloutKind::Question),
    ("faq", CalloutKind::Question),
    ("fail", CalloutKind::Failure),
    ("missing", CalloutKind::Failure),
    ("error", CalloutKind::Danger),
    ("cite", CalloutKind::Quote),
];

impl CalloutKind {
    const ALL: [CalloutKind; 15] = [
        CalloutKind::Note,
        CalloutKind::Tip,
        CalloutKind::Important,
        CalloutKind::Warning,
        CalloutKind::Caution,
        CalloutKind::Mnemonic,
        CalloutKind::Quiz,
        CalloutKind::Abstract,
        CalloutKind::Success,
        CalloutKind::Question,
        CalloutKind::Failure,
        CalloutKind::Danger,
        CalloutKind::Bug,
        CalloutKind::Example,
        CalloutKind::Quote,
    ];

    /// The one place a marker name becomes a kind; case-insensitive, Obsidian's
    /// aliases included.
    pub(crate) fn parse(name: &str) -> Option<CalloutKind> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.name().eq_ignore_ascii_case(name))
            .or_else(|| {
                ALIASES
                    .iter()
                    .find(|(alias, _)| alias.eq_ignore_ascii_case(name))
                    .map(|&(_, kind)| kind)
            })
    }

    /// The name as written in a marker: `TIP`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            CalloutKind::Note => "NOTE",
            CalloutKind::Tip => "TIP",
            CalloutKind::Important => "IMPORTANT",
            CalloutKind::Warning => "WARNING",
            CalloutKind::Caution => "CAUTION",
            CalloutKind::Mnemonic => "MNEMONIC",
            CalloutKind::Quiz => "QUIZ",
            CalloutKind::Abstract => "ABSTRACT",
            CalloutKind::Success => "SUCCESS",
            CalloutKind::Question => "QUESTION",
            CalloutKind::Failure => "FAILURE",
            CalloutKind::Danger => "DANGER",
            CalloutKind::Bug => "BUG",
            CalloutKind::Example => "EXAMPLE",
            CalloutKind::Quote => "QUOTE",
        }
    }

    /// What a screen reader announces: `Tip`.
    pub(crate) fn label(self) -> &'static str {
        match self {
            CalloutKind::Note => "Note",
            CalloutKind::Tip => "Tip",
            CalloutKind::Important => "Important",
            CalloutKind::Warning => "Warning",
            CalloutKind::Caution => "Caution",
            CalloutKind::Mnemonic => "Mnemonic",
            CalloutKind::Quiz => "Quiz",
            CalloutKind::Abstract => "Abstract",
            CalloutKind::Success => "Success",
            CalloutKind::Question => "Question",
            CalloutKind::Failure => "Failure",
            CalloutKind::Danger => "Danger",
            CalloutKind::Bug => "Bug",
            CalloutKind::Example => "Example",
            CalloutKind::Quote => "Quote",
        }
    }
}

/// Callouts nested deeper than this are left plain blockquotes, with a warning: each
/// level repeats its body's HTML once more, so the cost grows with depth × size.
pub(crate) const MAX_CALLOUT_DEPTH: usize = 32;

/// Obsidian's fold markers: `[!TIP]-` folded, `[!TIP]+` open but foldable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fold {
    Fixed,
    Folded,
    Open,
}

/// One callout as found in a note: the page model's record, for search and quizzes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Callout {
    pub(crate) kind: CalloutKind,
    /// The title's plain text (a mnemonic's phrase, a quiz's question); may be empty.
    pub(crate) title: String,
    /// The body's plain text.
    pub(crate) body_text: String,
    /// The body's rendered HTML.
    pub(crate) body_html: String,
    /// Index into the note's headings of the heading it sits under.
    pub(crate) heading: Option<usize>,
    /// Byte offset of the blockquote in the body: a `Location` is made from it
    /// only where one is reported (a site has tens of thousands of callouts).
    pub(crate) offset: usize,
    /// Set for MNEMONIC callouts.
    pub(crate) mnemonic: Option<Box<Mnemonic>>,
    /// Set for well-formed QUIZ callouts.
    pub(crate) quiz: Option<Box<QuizBlock>>,
}

/// What `partials/callout.html` receives.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CalloutView<'a> {
    /// Lowercase kind, for classes: `tip`.
    pub(crate) kind: CalloutKind,
    /// Accessible name of the kind: `Tip`.
    pub(crate) label: &'static str,
    /// The title as inline HTML; empty when the marker stands alone.
    pub(crate) title_html: String,
    /// `[!KIND]-` or `[!KIND]+`: rendered as `<details>`.
    pub(crate) foldable: bool,
    /// Foldable and shown open (`+`).
    pub(crate) open: bool,
    pub(crate) body_html: &'a str,
    /// Set for MNEMONIC callouts; `partials/mnemonic.html` renders it.
    pub(crate) mnemonic: Option<&'a Mnemonic>,
    /// Set for well-formed QUIZ callouts; `partials/quiz_question.html` renders it.
    pub(crate) quiz: Option<&'a QuizBlock>,
}

/// The marker at the start of a blockquote, and where its parts are.
struct Marker {
    name: String,
    fold: Fold,
    /// Body offset of the `[`.
    offset: usize,
    /// Number of `Text` events (after the paragraph start) the marker line's text run spans.
    run_len: usize,
    /// What follows the marker in that run: the start of the title.
    title_start: String,
    /// Index in the blockquote's events where the first line ends (soft/hard break or
    /// paragraph end), and whether the paragraph goes on after it.
    line_end: usize,
    paragraph_continues: bool,
}

/// Runs the pass; returns the rewritten events and every callout, in source order.
pub(crate) fn render_callouts<'a>(
    events: Vec<Spanned<'a>>,
    headings: &[Heading],
    ctx: &mut PassCtx<'_>,
) -> Result<(Vec<Spanned<'a>>, Vec<Callout>)> {
    let mut pass = CalloutPass {
        ctx,
        headings,
        callouts: Vec::new(),
    };
    let events = pass.rewrite(events, 0)?;
    let mut callouts = pass.callouts;
    callouts.sort_by_key(|c| c.offset);
    Ok((events, callouts))
}

struct CalloutPass<'p, 'c> {
    ctx: &'p mut PassCtx<'c>,
    headings: &'p [Heading],
    callouts: Vec<Callout>,
}

impl CalloutPass<'_, '_> {
    /// Replaces each callout blockquote of `events` (and, through [`Self::callout`],
    /// of its body) with its HTML; `depth` is the number of callouts around `events`.
    ///
    /// Plain blockquotes stay in the stream as they are, so only callouts recurse:
    /// taking every blockquote out and rewriting it on its own made each level of
    /// nesting copy everything inside it (10,000 nested `>` took 22 GB).
    fn rewrite<'a>(
        &mut self,
        mut events: Vec<Spanned<'a>>,
        depth: usize,
    ) -> Result<Vec<Spanned<'a>>> {
        let ends = blockquote_ends(&events);
        let mut out = Vec::with_capacity(events.len());
        let mut index = 0;
        while index < events.len() {
            if let Some(&end) = ends.get(&index) {
                if let Some(marker) = find_marker(&events[index + 1..end]) {
                    if depth < MAX_CALLOUT_DEPTH {
                        let inner = events[index + 1..end].iter_mut().map(take).collect();
                        let range = events[index].1.clone();
                        let html = self.callout(marker, inner, range.start, depth)?;
                        out.push((Event::Html(html.into()), range));
                        index = end + 1;
                        continue;
                    }
                    self.warn_too_deep(&marker);
                }
            }
            out.push(take(&mut events[index]));
            index += 1;
        }
        Ok(out)
    }

    /// Renders one callout and records it.
    fn callout(
        &mut self,
        marker: Marker,
        inner: Vec<Spanned<'_>>,
        offset: usize,
        depth: usize,
    ) -> Result<String> {
        let kind = CalloutKind::parse(&marker.name).unwrap_or_else(|| {
            self.warn_unknown_kind(&marker);
            CalloutKind::Note
        });
        let (title, body) = split_title(&marker, inner);
        let mut title_html = String::new();
        pulldown_cmark::html::push_html(&mut title_html, title.iter().map(|(e, _)| e.clone()));
        let title_text = plain_text(title.iter().map(|(e, _)| e)).trim().to_string();
        let body = self.rewrite(body, depth + 1)?;
        let body_text = plain_text(body.iter().map(|(e, _)| e)).trim().to_string();
        let mnemonic = (kind == CalloutKind::Mnemonic).then(|| {
            let read = mnemonic::read_mnemonic(&title_text, &body);
            if !read.initials_match() {
                let location = self.ctx.location(marker.offset);
                self.ctx
                    .diagnostics
                    .push(mnemonic::mismatch(&read, location));
            }
            read
        });
        let quiz = if kind == CalloutKind::Quiz {
            let source = QuizSource {
                title_text: &title_text,
                title_html: title_html.trim(),
                offset,
            };
            quiz_blocks::read_quiz(&source, &body, self.ctx)
        } else {
            None
        };
        let mut body_html = String::new();
        pulldown_cmark::html::push_html(&mut body_html, body.into_iter().map(|(e, _)| e));
        let view = CalloutView {
            kind,
            label: kind.label(),
            title_html: title_html.trim().to_string(),
            foldable: marker.fold != Fold::Fixed,
            open: marker.fold == Fold::Open,
            body_html: &body_html,
            mnemonic: mnemonic.as_ref(),
            quiz: quiz.as_ref(),
        };
        let html = self.ctx.env.partials.callout(&view)?;
        self.callouts.push(Callout {
            kind,
            title: title_text,
            body_text,
            body_html,
            heading: self.headings.iter().rposition(|h| h.offset < offset),
            offset,
            mnemonic: mnemonic.map(Box::new),
            quiz: quiz.map(Box::new),
        });
        Ok(html)
    }

    fn warn_too_deep(&mut self, marker: &Marker) {
        self.ctx.diagnostics.push(
            Diagnostic::warning(
                Some(self.ctx.location(marker.offset)),
                format!(
                    "callout `[!{}]` is nested more than {MAX_CALLOUT_DEPTH} callouts deep; \
                     it is shown as a plain blockquote",
                    marker.name
                ),
            )
            .with_help("nest fewer callouts; each level repeats its whole body in the page"),
        );
    }

    fn warn_unknown_kind(&mut self, marker: &Marker) {
        let kinds: Vec<&str> = CalloutKind::ALL.iter().map(|k| k.name()).collect();
        self.ctx.diagnostics.push(
            Diagnostic::warning(
                Some(self.ctx.location(marker.offset)),
                format!(
                    "unknown callout kind `[!{}]`, rendered as NOTE",
                    marker.name
                ),
            )
            .with_help(format!("use one of: {}", kinds.join(", "))),
        );
    }
}

/// The index of each blockquote start's matching end, in one pass.
fn blockquote_ends(events: &[Spanned<'_>]) -> HashMap<usize, usize> {
    let mut ends = HashMap::new();
    let mut open = Vec::new();
    for (index, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::BlockQuote(_)) => open.push(index),
            Event::End(TagEnd::BlockQuote(_)) => {
                if let Some(start) = open.pop() {
                    ends.insert(start, index);
                }
            }
            _ => {}
        }
    }
    ends
}

/// Moves an event out of the list, leaving a placeholder that is never read again.
fn take<'a>(event: &mut Spanned<'a>) -> Spanned<'a> {
    std::mem::replace(event, (Event::SoftBreak, 0..0))
}

/// The `[!KIND]` marker on the blockquote's first line, if it is a callout.
fn find_marker(inner: &[Spanned<'_>]) -> Option<Marker> {
    let (Event::Start(Tag::Paragraph), _) = inner.first()? else {
        return None;
    };
    let run: Vec<&Spanned<'_>> = inner[1..]
        .iter()
        .take_while(|(e, _)| matches!(e, Event::Text(_)))
        .collect();
    let text: String = run
        .iter()
        .map(|(e, _)| match e {
            Event::Text(t) => t.as_ref(),
            _ => "",
        })
        .collect();
    let (name, fold, rest) = parse_marker(&text)?;
    let mut depth = 0usize;
    let mut line_end = None;
    for (index, (event, _)) in inner.iter().enumerate().skip(1 + run.len()) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(TagEnd::Paragraph) if depth == 0 => {
                line_end = Some((index, false));
                break;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::SoftBreak | Event::HardBreak if depth == 0 => {
                line_end = Some((index, true));
                break;
            }
            _ => {}
        }
    }
    let (line_end, paragraph_continues) = line_end?;
    let has_title = !rest.trim().is_empty() || line_end > 1 + run.len();
    let has_body = paragraph_continues || line_end + 1 < inner.len();
    if !has_title && !has_body {
        return None;
    }
    Some(Marker {
        name: name.to_string(),
        fold,
        offset: run[0].1.start,
        run_len: run.len(),
        title_start: rest.trim_start().to_string(),
        line_end,
        paragraph_continues,
    })
}

/// `[!NAME]`, `[!NAME]-` or `[!NAME]+` at the start of `text`: (name, fold, the rest).
pub(super) fn parse_marker(text: &str) -> Option<(&str, Fold, &str)> {
    let inside = text.strip_prefix("[!")?;
    let close = inside.find(']')?;
    let name = &inside[..close];
    let is_name_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if name.is_empty() || !name.chars().all(is_name_char) {
        return None;
    }
    let after = &inside[close + 1..];
    let (fold, rest) = if let Some(rest) = after.strip_prefix('-') {
        (Fold::Folded, rest)
    } else if let Some(rest) = after.strip_prefix('+') {
        (Fold::Open, rest)
    } else {
        (Fold::Fixed, after)
    };
    Some((name, fold, rest))
}

/// Splits a callout's events into title (inline) and body (blocks).
fn split_title<'a>(
    marker: &Marker,
    inner: Vec<Spanned<'a>>,
) -> (Vec<Spanned<'a>>, Vec<Spanned<'a>>) {
    let mut events = inner.into_iter();
    let (paragraph_start, paragraph_range) = events.next().expect("find_marker saw a paragraph");
    let mut title = Vec::new();
    let run: Vec<Spanned<'a>> = events.by_ref().take(marker.run_len).collect();
    if !marker.title_start.is_empty() {
        let range = run[0].1.start..run[run.len() - 1].1.end;
        title.push((Event::Text(marker.title_start.clone().into()), range));
    }
    let rest_of_line = marker.line_end - 1 - marker.run_len;
    title.extend(events.by_ref().take(rest_of_line));
    let (_line_break, break_range) = events.next().expect("find_marker saw the line end");
    let mut body = Vec::new();
    if marker.paragraph_continues {
        body.push((
            paragraph_start,
            paragraph_range.start.max(break_range.end)..paragraph_range.end,
        ));
    }
    body.extend(events);
    (title, body)
}

#[cfg(test)]
mod tests;
