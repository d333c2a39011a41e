//! Numbered items holding a question, lettered options and an answer line.

use std::collections::HashMap;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Tag};
use regex::Regex;

use super::answer::{find_answer, Answer, TAG};
use super::warn;
use crate::markdown::quiz_blocks::{inline_html, matching_end, stem_id, QuizBlock, QuizOption};
use crate::markdown::text::plain_text;
use crate::markdown::{PassCtx, Spanned};

/// `A. `, `A) `, `(A) ` or `a. ` at the start of an option.
static LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:\(([A-Za-z])\)|([A-Za-z])[.)])\s+").expect("valid"));

/// `- A. ` on a line of the question's own paragraph: an option list indented
/// less than the item's text, which Markdown reads as more of the question.
static UNDER_INDENTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[-*+]\s+(?:\([A-Za-z]\)|[A-Za-z][.)])\s+").expect("valid"));

/// `(Choose TWO)`, `(Select 3)`: how many answers the question wants.
static CHOOSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\((?:choose|select)\s+(two|three|four|five|\d)\)").expect("valid")
});

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
pub(crate) fn read_question(
    item: &[Spanned<'_>],
    offset: usize,
    ctx: &mut PassCtx<'_>,
) -> Option<QuizBlock> {
    let (stem_end, lines) = first_block_lines(item);
    if let Some(line) = lines.iter().skip(1).find(|l| under_indented(l)) {
        warn_under_indented(&lines[0], line, offset, ctx);
        return None;
    }
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
        id: stem_id(&ctx.note.file.path, &stem_text),
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
pub(crate) fn list_items<'e, 'a>(
    events: &'e [Spanned<'a>],
) -> impl Iterator<Item = Vec<Spanned<'a>>> + 'e {
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

fn under_indented(line: &[Spanned<'_>]) -> bool {
    leading_text(line).is_some_and(|text| UNDER_INDENTED.is_match(&text))
}

/// An item numbered `100.` takes its text 5 columns in: options indented 4
/// are lazy lines of the question, and its answer below them a code block.
fn warn_under_indented(
    stem: &[Spanned<'_>],
    option: &[Spanned<'_>],
    offset: usize,
    ctx: &mut PassCtx<'_>,
) {
    let start = |line: &[Spanned<'_>]| line.first().map(|(_, r)| r.start);
    let indent = start(stem).map_or(0, |at| at.saturating_sub(offset));
    warn(
        ctx,
        start(option).unwrap_or(offset),
        "practice question's options are indented less than its text, so Markdown reads them as part of the question".into(),
        &format!("indent the options and the answer by {indent} spaces, as far as the question's text"),
    );
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
