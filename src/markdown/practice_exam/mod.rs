//! Pass 7: practice-exam questions written as ordinary Markdown → quiz questions.
//!
//! The format of most practice exams on GitHub: a numbered item holds the
//! question, a nested list (or the question's next lines) holds the options
//! lettered `A.`, `A)`, `(A)` or `a.`, and the answer follows the options:
//! `Correct answer: B`, `Answer: B, E` or `**Answer:** B`, in a `<details>`
//! block or a paragraph, with any explanation after it. A recognised item
//! renders as a QUIZ callout does and is recorded as one, so it joins the
//! section quiz and the mock exam with its file and line.
//!
//! An item with lettered options but no answer, an answer letter with no
//! option, a letter used twice, or options indented less than its text is
//! left as written, with a warning (an error in `check`). "(Choose TWO)" that
//! disagrees with the number of answers is a warning; the question is kept
//! with the answers given.
//!
//! Also read: a heading that asks a question over a task list of options
//! ([`headed`]), the shape of repositories with one question per heading.
//!
//! It runs before the headings pass, which then takes the rendered question
//! for markup and leaves its options and answer out of the note's own text.

mod answer;
mod headed;
mod numbered;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::error::{Diagnostic, Result};
use crate::markdown::callouts::{Callout, CalloutKind, CalloutView};
use crate::markdown::quiz_blocks::{matching_end, QuizBlock};
use crate::markdown::{PassCtx, Spanned};

/// Runs the pass: each recognised numbered item's content becomes the rendered
/// question, and is returned as a QUIZ callout (its heading is set later).
pub(crate) fn recognise_questions<'a>(
    mut events: Vec<Spanned<'a>>,
    ctx: &mut PassCtx<'_>,
) -> Result<(Vec<Spanned<'a>>, Vec<Callout>)> {
    // Only numbered lists and task lists hold questions: most notes have neither.
    let may_ask = |e: &Event<'_>| {
        matches!(
            e,
            Event::Start(Tag::List(Some(_))) | Event::TaskListMarker(_)
        )
    };
    if !events.iter().any(|(e, _)| may_ask(e)) {
        return Ok((events, Vec::new()));
    }
    let mut out = Vec::with_capacity(events.len());
    let mut callouts = Vec::new();
    let mut ordered: Vec<bool> = Vec::new();
    let mut index = 0;
    while index < events.len() {
        match &events[index].0 {
            Event::Start(Tag::List(first)) => ordered.push(first.is_some()),
            Event::End(TagEnd::List(_)) => {
                ordered.pop();
            }
            Event::Start(Tag::Heading { .. }) if ordered.is_empty() => {
                if let Some(headed) = headed::read_headed(&events, index, ctx) {
                    let list = headed.list.clone();
                    out.extend(events[index..list.start].iter_mut().map(take));
                    let offset = events[list.start].1.start;
                    let (html, mut callout) = render(headed.quiz, offset, ctx, false)?;
                    callout.title = headed.heading;
                    out.push((Event::Html(html.into()), events[list.start].1.clone()));
                    callouts.push(callout);
                    index = list.end;
                    continue;
                }
            }
            Event::Start(Tag::Item) if ordered.last() == Some(&true) => {
                let end = index + matching_end(&events[index..]);
                let offset = events[index].1.start;
                if let Some(quiz) = numbered::read_question(&events[index + 1..end], offset, ctx) {
                    let (html, callout) = render(quiz, offset, ctx, true)?;
                    let range = events[index].1.clone();
                    out.push(take(&mut events[index]));
                    out.push((Event::Html(html.into()), range));
                    out.push(take(&mut events[end]));
                    callouts.push(callout);
                    index = end + 1;
                    continue;
                }
            }
            _ => {}
        }
        out.push(take(&mut events[index]));
        index += 1;
    }
    Ok((out, callouts))
}

fn take<'a>(event: &mut Spanned<'a>) -> Spanned<'a> {
    std::mem::replace(event, (Event::SoftBreak, 0..0))
}

pub(crate) fn warn(ctx: &mut PassCtx<'_>, offset: usize, message: String, help: &str) {
    let location = ctx.location(offset);
    ctx.diagnostics
        .push(Diagnostic::warning(Some(location), message).with_help(help));
}

/// The question's HTML, as a QUIZ callout (with the stem as its title when
/// `titled`, else the page shows it already), and its record.
fn render(
    quiz: QuizBlock,
    offset: usize,
    ctx: &mut PassCtx<'_>,
    titled: bool,
) -> Result<(String, Callout)> {
    let title_html = if titled {
        quiz.stem_html.clone()
    } else {
        String::new()
    };
    let view = CalloutView {
        kind: CalloutKind::Quiz,
        label: CalloutKind::Quiz.label(),
        title_html,
        foldable: false,
        open: false,
        body_html: "",
        mnemonic: None,
        quiz: Some(&quiz),
    };
    let html = ctx.env.partials.callout(&view)?;
    let callout = Callout {
        kind: CalloutKind::Quiz,
        title: quiz.stem.clone(),
        body_text: String::new(),
        body_html: String::new(),
        heading: None,
        offset,
        mnemonic: None,
        quiz: Some(Box::new(quiz)),
    };
    Ok((html, callout))
}
