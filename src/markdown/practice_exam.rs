//! Pass 3: practice-exam questions written as ordinary Markdown → quiz questions.
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
//! option, or a letter used twice is left as written, with a warning (an error
//! in `check`). "(Choose TWO)" that disagrees with the number of answers is a
//! warning; the question is kept with the answers given.
//!
//! It runs before the headings pass, which then takes the rendered question
//! for markup and leaves its options and answer out of the note's own text.

use std::collections::HashMap;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use regex::Regex;

use crate::error::{Diagnostic, Result};
use crate::markdown::callouts::{Callout, CalloutKind, CalloutView};
use crate::markdown::quiz_blocks::{inline_html, matching_end, question_id, QuizBlock, QuizOption};
use crate::markdown::text::plain_text;
use crate::markdown::{PassCtx, Spanned};

/// `A. `, `A) `, `(A) ` or `a. ` at the start of an option.
static LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:\(([A-Za-z])\)|([A-Za-z])[.)])\s+").expect("valid"));

/// `Correct answer: B, E` and its variants, on a line of its own; the rest of
/// the line may start the explanation.
static ANSWER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?im)^\s*(?:correct\s+)?answers?\s*:\s*([A-Za-z](?:\s*(?:,|&|\band\b)\s*[A-Za-z])*|[A-Z]{2,6})\b[\s.:;)-]*(.*)$",
    )
    .expect("valid")
});

/// `(Choose TWO)`, `(Select 3)`: how many answers the question wants.
static CHOOSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\((?:choose|select)\s+(two|three|four|five|\d)\)").expect("valid")
});

static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]*>").expect("valid"));

/// Runs the pass: each recognised numbered item's content becomes the rendered
/// question, and is returned as a QUIZ callout (its heading is set later).
pub(crate) fn recognise_questions<'a>(
    mut events: Vec<Spanned<'a>>,
    ctx: &mut PassCtx<'_>,
) -> Result<(Vec<Spanned<'a>>, Vec<Callout>)> {
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
            Event::Start(Tag::Item) if ordered.last() == Some(&true) => {
                let end = index + matching_end(&events[index..]);
                let offset = events[index].1.start;
                if let Some(quiz) = read_question(&events[index + 1..end], offset, ctx) {
                    let (html, callout) = render(quiz, offset, ctx)?;
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

/// One option as written: its letter and its inline events, label removed.
struct Lettered<'a> {
    letter: char,
    events: Vec<Spanned<'a>>,
    offset: usize,
    /// Lettered by its place in the list (A for the first), not as written.
    implied: bool,
}

/// Options written without letters, lettered A, B, C … in order, if none has one.
fn by_position(items: Vec<Vec<Spanned<'_>>>) -> Option<Vec<Lettered<'_>>> {
    if items.len() > 26 || items.iter().any(|item| label_of(item).is_some()) {
        return None;
    }
    let letters = ('A'..='Z').zip(items);
    let options = letters.map(|(letter, events)| Lettered {
        letter,
        offset: events.first().map_or(0, |(_, r)| r.start),
        events,
        implied: true,
    });
    Some(options.collect())
}

/// The question of a numbered item's content, if it is one; problems with an
/// item that looks like one go to the pass's diagnostics.
fn read_question(item: &[Spanned<'_>], offset: usize, ctx: &mut PassCtx<'_>) -> Option<QuizBlock> {
    let (stem_end, lines) = first_block_lines(item);
    let first_option = lines.iter().position(|line| label_of(line).is_some());
    let (stem, options, rest) = match first_option {
        // Options on the question's own lines (no bullets).
        Some(at) if at > 0 => {
            let options = lines[at..].iter().map(lettered).collect();
            (joined(&lines[..at]), options, &item[stem_end..])
        }
        _ => {
            let list = &item[stem_end..];
            let Some((Event::Start(Tag::List(None)), _)) = list.first() else {
                return None;
            };
            let list_end = matching_end(list);
            let items: Vec<_> = list_items(&list[..=list_end]).collect();
            let options = items.iter().map(lettered).collect::<Option<Vec<_>>>();
            let options = options.or_else(|| by_position(items));
            (joined(&lines), options, &list[list_end + 1..])
        }
    };
    let options: Option<Vec<Lettered>> = options;
    let options = options.filter(|o| o.len() >= 2)?;
    let stem_text = plain_text(stem.iter().map(|(e, _)| e)).trim().to_string();
    if stem_text.is_empty() {
        return None;
    }
    let answer = find_answer(rest);
    // Options without letters are a question only with an answer line: a
    // numbered list with plain sub-items is far more often just a list.
    if options.iter().any(|o| o.implied) && answer.is_none() {
        return None;
    }
    check_question(&stem_text, &options, answer.as_ref(), offset, ctx)?;
    let answer = answer?;
    let options: Vec<QuizOption> = options
        .iter()
        .map(|o| QuizOption {
            text: plain_text(o.events.iter().map(|(e, _)| e))
                .trim()
                .to_string(),
            html: inline_html(&o.events),
            correct: answer.letters.contains(&o.letter),
        })
        .collect();
    Some(QuizBlock {
        id: question_id(&ctx.note.file.path, &stem_text),
        multi: answer.letters.len() > 1,
        stem_html: inline_html(&stem),
        stem: stem_text,
        options,
        explanation: TAG
            .replace_all(&answer.explanation_html, "")
            .trim()
            .to_string(),
        explanation_html: answer.explanation_html,
    })
}

/// The item's first block (a paragraph, or a tight item's text) as lines of
/// inline events, and where the block ends.
fn first_block_lines<'a>(item: &[Spanned<'a>]) -> (usize, Vec<Vec<Spanned<'a>>>) {
    let (start, end) = match item.first() {
        Some((Event::Start(Tag::Paragraph), _)) => (1, matching_end(item)),
        _ => {
            let end = item
                .iter()
                .position(|(e, _)| matches!(e, Event::Start(_) if !is_inline_start(e)))
                .unwrap_or(item.len());
            (0, end)
        }
    };
    let mut lines = vec![Vec::new()];
    for spanned in &item[start..end] {
        match spanned.0 {
            Event::SoftBreak | Event::HardBreak => lines.push(Vec::new()),
            _ => lines
                .last_mut()
                .expect("starts non-empty")
                .push(spanned.clone()),
        }
    }
    let after = if start == 1 { end + 1 } else { end };
    (after, lines)
}

/// Lines joined again by line breaks.
fn joined<'a>(lines: &[Vec<Spanned<'a>>]) -> Vec<Spanned<'a>> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            let at = line.first().map_or(0, |(_, r)| r.start);
            out.push((Event::SoftBreak, at..at));
        }
        out.extend(line.iter().cloned());
    }
    out
}

fn is_inline_start(event: &Event<'_>) -> bool {
    matches!(
        event,
        Event::Start(
            Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
        )
    )
}

/// Each item's content in the list `events` (from its start to its end).
fn list_items<'e, 'a>(events: &'e [Spanned<'a>]) -> impl Iterator<Item = Vec<Spanned<'a>>> + 'e {
    let mut index = 1;
    std::iter::from_fn(move || {
        if index >= events.len() - 1 {
            return None;
        }
        let end = index + matching_end(&events[index..]);
        let item = events[index + 1..end].to_vec();
        index = end + 1;
        Some(item)
    })
}

/// The label of a line or item that starts with one, and its length in the
/// leading text.
fn label_of(events: &[Spanned<'_>]) -> Option<(char, usize)> {
    let text = leading_text(events)?;
    let found = LABEL.captures(&text)?;
    let letter = found.get(1).or(found.get(2))?.as_str().chars().next()?;
    Some((letter.to_ascii_uppercase(), found.get(0)?.end()))
}

/// The text before the first non-text event (a loose item's paragraph start skipped).
fn leading_text(events: &[Spanned<'_>]) -> Option<String> {
    let text: String = events
        .iter()
        .skip_while(|(e, _)| matches!(e, Event::Start(Tag::Paragraph)))
        .map_while(|(e, _)| match e {
            Event::Text(t) => Some(&**t),
            _ => None,
        })
        .collect();
    (!text.is_empty()).then_some(text)
}

/// An option with its label cut from its leading text, or `None` when it has none.
fn lettered<'a>(events: impl AsRef<[Spanned<'a>]>) -> Option<Lettered<'a>> {
    let events = events.as_ref();
    let (letter, mut cut) = label_of(events)?;
    let offset = events.first().map_or(0, |(_, r)| r.start);
    let mut kept = Vec::with_capacity(events.len());
    for (event, range) in events {
        match event {
            Event::Text(t) if cut > 0 => {
                let skip = cut.min(t.len());
                cut -= skip;
                if skip < t.len() {
                    kept.push((
                        Event::Text(CowStr::from(t[skip..].to_string())),
                        range.clone(),
                    ));
                }
            }
            _ => kept.push((event.clone(), range.clone())),
        }
    }
    Some(Lettered {
        letter,
        events: kept,
        offset,
        implied: false,
    })
}

/// The answer given after the options.
struct Answer {
    letters: Vec<char>,
    explanation_html: String,
    offset: usize,
}

/// The first answer line in the blocks after the options, and what follows it.
fn find_answer(rest: &[Spanned<'_>]) -> Option<Answer> {
    let mut index = 0;
    while index < rest.len() {
        let end = block_end(rest, index);
        let block = &rest[index..=end.min(rest.len() - 1)];
        let text = block_text(block);
        let found = ANSWER
            .captures(&text)
            .and_then(|f| Some((letters(&f[1])?, f)));
        if let Some((letters, found)) = found {
            let mut explanation = after_answer(&text, &found);
            for block in blocks(&rest[end + 1..]) {
                explanation.push_str(&block_html(block));
            }
            return Some(Answer {
                letters,
                explanation_html: explanation.trim().to_string(),
                offset: rest[index].1.start,
            });
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
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut html = String::from("<p>");
            pulldown_cmark_escape::escape_html(&mut html, &p).expect("writing to a String");
            html + "</p>"
        })
        .collect()
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
        let text = TAG.replace_all(&html, "");
        let text = text.trim();
        if text.is_empty() {
            return String::new();
        }
        let mut escaped = String::from("<p>");
        pulldown_cmark_escape::escape_html(&mut escaped, text).expect("writing to a String");
        return escaped + "</p>";
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, block.iter().map(|(e, _)| e.clone()));
    html
}

/// Warns about an item that looks like a question but cannot be one; `None`
/// leaves it as written.
fn check_question(
    stem: &str,
    options: &[Lettered<'_>],
    answer: Option<&Answer>,
    offset: usize,
    ctx: &mut PassCtx<'_>,
) -> Option<()> {
    let mut seen: HashMap<char, usize> = HashMap::new();
    for option in options {
        if seen.insert(option.letter, option.offset).is_some() {
            warn(
                ctx,
                option.offset,
                format!("practice question has two options `{}`", option.letter),
                "letter the options A, B, C … once each",
            );
            return None;
        }
    }
    let Some(answer) = answer else {
        warn(ctx, offset, "practice question has lettered options but no answer".into(),
            "add `Correct answer: B` after the options, or remove the letters if it is not a question");
        return None;
    };
    if let Some(&letter) = answer.letters.iter().find(|l| !seen.contains_key(l)) {
        warn(
            ctx,
            answer.offset,
            format!("answer `{letter}` names no option of the question"),
            "use the letter of one of the options",
        );
        return None;
    }
    if let Some(wanted) = CHOOSE.captures(stem).and_then(|c| count(&c[1])) {
        if wanted != answer.letters.len() {
            warn(
                ctx,
                answer.offset,
                format!(
                    "the question asks to choose {wanted} but the answer gives {}",
                    answer.letters.len()
                ),
                "give as many answer letters as the question asks for",
            );
        }
    }
    Some(())
}

fn count(word: &str) -> Option<usize> {
    let words = ["one", "two", "three", "four", "five"];
    word.parse().ok().or_else(|| {
        let lower = word.to_ascii_lowercase();
        words.iter().position(|w| *w == lower).map(|i| i + 1)
    })
}

fn warn(ctx: &mut PassCtx<'_>, offset: usize, message: String, help: &str) {
    let location = ctx.location(offset);
    ctx.diagnostics
        .push(Diagnostic::warning(Some(location), message).with_help(help));
}

/// The question's HTML, as a QUIZ callout with it as title, and its record.
fn render(quiz: QuizBlock, offset: usize, ctx: &mut PassCtx<'_>) -> Result<(String, Callout)> {
    let view = CalloutView {
        kind: CalloutKind::Quiz,
        label: CalloutKind::Quiz.label(),
        title_html: quiz.stem_html.clone(),
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
        location: ctx.location(offset),
        mnemonic: None,
        quiz: Some(quiz),
    };
    Ok((html, callout))
}
