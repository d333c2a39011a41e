//! A `[!QUIZ]` callout's body → [`QuizBlock`]: called by the callouts pass for QUIZ
//! callouts, the way mnemonics are read.
//!
//! The title is the question. The body holds, in order:
//! 1. optional prose that continues the question (a list may interrupt a paragraph);
//! 2. the option list: task-list items, `- [x]` for a correct option, `- [ ]` otherwise;
//!    several `[x]` make the question choose-all-that-apply;
//! 3. the explanation: every block after the list.
//!
//! Problems (no question, no option list, a list without `[ ]` markers, no correct
//! option, two options with the same text) are warnings at the offending line, which
//! `check` escalates to errors; such a quiz renders as a plain callout and is left
//! out of the quiz bank.

use std::collections::HashMap;

use pulldown_cmark::{Event, Tag, TagEnd};
use serde::Serialize;

use crate::error::Diagnostic;
use crate::markdown::text::plain_text;
use crate::markdown::{PassCtx, Spanned};

/// One answer option.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub(crate) struct QuizOption {
    pub(crate) text: String,
    pub(crate) html: String,
    pub(crate) correct: bool,
}

/// A well-formed explicit quiz question, as read from its callout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct QuizBlock {
    /// Stable id: a hash of the file path and the question, for progress in localStorage.
    pub(crate) id: String,
    pub(crate) stem: String,
    pub(crate) stem_html: String,
    pub(crate) options: Vec<QuizOption>,
    /// More than one correct option: choose all that apply.
    pub(crate) multi: bool,
    pub(crate) explanation: String,
    pub(crate) explanation_html: String,
}

/// What the callout knows about its quiz: the question and where it is.
pub(crate) struct QuizSource<'t> {
    pub(crate) title_text: &'t str,
    pub(crate) title_html: &'t str,
    /// Body offset of the callout's marker.
    pub(crate) offset: usize,
}

/// Reads a QUIZ callout's body; problems go to the pass's diagnostics.
pub(crate) fn read_quiz(
    source: &QuizSource<'_>,
    body: &[Spanned<'_>],
    ctx: &mut PassCtx<'_>,
) -> Option<QuizBlock> {
    let list_start = body
        .iter()
        .position(|(e, _)| matches!(e, Event::Start(Tag::List(_))));
    let mut problems = Vec::new();
    if source.title_text.trim().is_empty() {
        problems.push(
            Diagnostic::warning(Some(ctx.location(source.offset)), "quiz has no question")
                .with_help("write the question after the marker: `> [!QUIZ] Which …?`"),
        );
    }
    let Some(list_start) = list_start else {
        problems.push(
            Diagnostic::warning(
                Some(ctx.location(source.offset)),
                "quiz has no option list under its question",
            )
            .with_help("list the options as tasks: `> - [ ] wrong` and `> - [x] right`"),
        );
        return report(problems, ctx);
    };
    let list_end = list_start + matching_end(&body[list_start..]);
    let options = read_options(&body[list_start..=list_end], &mut problems, ctx);
    if options.is_empty() {
        problems.push(
            Diagnostic::warning(
                Some(ctx.location(body[list_start].1.start)),
                "quiz has no options",
            )
            .with_help("mark each option with `[ ]`, and the correct ones with `[x]`"),
        );
    } else if !options.iter().any(|o| o.correct) {
        problems.push(
            Diagnostic::warning(
                Some(ctx.location(body[list_start].1.start)),
                "quiz has no correct option",
            )
            .with_help("mark the correct option with `[x]`"),
        );
    }
    if !problems.is_empty() {
        return report(problems, ctx);
    }
    let lead = &body[..list_start];
    let rest = &body[list_end + 1..];
    let stem = join_text(source.title_text, &plain_text(lead.iter().map(|(e, _)| e)));
    let stem_html = if lead.is_empty() {
        source.title_html.to_string()
    } else {
        format!("{}<br>{}", source.title_html, inline_html(lead))
    };
    Some(QuizBlock {
        id: stem_id(&ctx.note.file.path, &stem),
        multi: options.iter().filter(|o| o.correct).count() > 1,
        stem,
        stem_html,
        options,
        explanation: plain_text(rest.iter().map(|(e, _)| e)).trim().to_string(),
        explanation_html: to_html(rest),
    })
}

fn report(problems: Vec<Diagnostic>, ctx: &mut PassCtx<'_>) -> Option<QuizBlock> {
    for problem in problems {
        ctx.diagnostics.push(problem);
    }
    None
}

/// Index (relative) of the end event matching the start at `events[0]`.
pub(crate) fn matching_end(events: &[Spanned<'_>]) -> usize {
    let mut depth = 0usize;
    for (index, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return index;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

/// The task items of the list `events` (from its start to its end), in order.
fn read_options(
    events: &[Spanned<'_>],
    problems: &mut Vec<Diagnostic>,
    ctx: &PassCtx<'_>,
) -> Vec<QuizOption> {
    let mut options: Vec<QuizOption> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut index = 1;
    while index < events.len() - 1 {
        let end = index + matching_end(&events[index..]);
        let item = &events[index + 1..end];
        let offset = events[index].1.start;
        index = end + 1;
        let Some((Event::TaskListMarker(correct), _)) = first_inline(item) else {
            continue;
        };
        let correct = *correct;
        let content: Vec<Spanned<'_>> = item
            .iter()
            .filter(|(e, _)| !matches!(e, Event::TaskListMarker(_)))
            .cloned()
            .collect();
        let text = plain_text(content.iter().map(|(e, _)| e))
            .trim()
            .to_string();
        // By key, not by a scan of the options so far: that was quadratic (a
        // quiz of 100,000 options did not finish in 30 s).
        if let Some(&first) = seen.get(&text.to_ascii_lowercase()) {
            let first: &QuizOption = &options[first];
            problems.push(
                Diagnostic::warning(
                    Some(ctx.location(offset)),
                    format!("quiz has duplicate option `{}`", first.text),
                )
                .with_help("give each option different text, or remove the repeat"),
            );
            continue;
        }
        seen.insert(text.to_ascii_lowercase(), options.len());
        options.push(QuizOption {
            html: inline_html(&content),
            text,
            correct,
        });
    }
    options
}

/// The first event of an item that is not a paragraph start (loose lists wrap items).
fn first_inline<'e, 'a>(item: &'e [Spanned<'a>]) -> Option<&'e Spanned<'a>> {
    item.iter()
        .find(|(e, _)| !matches!(e, Event::Start(Tag::Paragraph)))
}

/// HTML of some events, with a lone paragraph's `<p>` unwrapped (options and stems are inline).
pub(crate) fn inline_html(events: &[Spanned<'_>]) -> String {
    let inner: Vec<&Spanned<'_>> = match (events.first(), events.last()) {
        (Some((Event::Start(Tag::Paragraph), _)), Some((Event::End(TagEnd::Paragraph), _)))
            if events[1..events.len() - 1]
                .iter()
                .all(|(e, _)| !matches!(e, Event::Start(Tag::Paragraph))) =>
        {
            events[1..events.len() - 1].iter().collect()
        }
        _ => events.iter().collect(),
    };
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, inner.into_iter().map(|(e, _)| e.clone()));
    html.trim().to_string()
}

fn to_html(events: &[Spanned<'_>]) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.iter().map(|(e, _)| e.clone()));
    html.trim().to_string()
}

fn join_text(first: &str, second: &str) -> String {
    let (first, second) = (first.trim(), second.trim());
    match (first.is_empty(), second.is_empty()) {
        (_, true) => first.to_string(),
        (true, false) => second.to_string(),
        (false, false) => format!("{first} {second}"),
    }
}

/// A question's id from its note and stem: rewording that changes only case,
/// punctuation or spacing keeps the id, so the learner's progress (keyed by
/// it, docs/progress-format.md) stays attached across rebuilds.
pub(crate) fn stem_id(path: &str, stem: &str) -> String {
    question_id(path, &normalise_stem(stem))
}

/// Lowercase, punctuation removed, whitespace collapsed: `normaliseStem` in
/// progress-store.js.
pub(crate) fn normalise_stem(stem: &str) -> String {
    let kept: String = stem
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `q` + 16 hex digits of FNV-1a over the file path and the question.
pub(crate) fn question_id(path: &str, stem: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in path.bytes().chain([0]).chain(stem.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("q{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::{normalise_stem, stem_id};
    use crate::markdown::test_support::render;

    #[test]
    fn ids_survive_changes_of_case_punctuation_and_spacing() {
        assert_eq!(normalise_stem("  What is  AWS IAM?! "), "what is aws iam");
        let id = stem_id("content/iam.md", "What is IAM?");
        assert_eq!(stem_id("content/iam.md", "what is   IAM"), id);
        assert_ne!(stem_id("content/kms.md", "What is IAM?"), id);
        assert_ne!(stem_id("content/iam.md", "What is KMS?"), id);
    }

    fn messages(md: &str) -> Vec<String> {
        render(md)
            .diagnostics
            .iter()
            .map(|d| {
                format!(
                    "{}:{}",
                    d.location.as_ref().map_or(0, |l| l.line),
                    d.message
                )
            })
            .collect()
    }

    #[test]
    fn reads_options_correct_set_and_explanation() {
        let note = render(
            "## Storage\n\n> [!QUIZ] Which is *cheap*?\n> - [ ] S3 Standard\n> - [x] S3 `Glacier`\n> - [ ] EBS\n>\n> Glacier is **cheap**.\n",
        );
        assert!(note.diagnostics.is_empty(), "{:?}", note.diagnostics);
        let quiz = note.callouts[0].quiz.as_ref().expect("a quiz");
        assert_eq!(quiz.stem, "Which is cheap?");
        assert_eq!(quiz.stem_html, "Which is <em>cheap</em>?");
        let texts: Vec<_> = quiz
            .options
            .iter()
            .map(|o| (o.text.as_str(), o.correct))
            .collect();
        assert_eq!(
            texts,
            [("S3 Standard", false), ("S3 Glacier", true), ("EBS", false)]
        );
        assert_eq!(quiz.options[1].html, "S3 <code>Glacier</code>");
        assert!(!quiz.multi);
        assert_eq!(quiz.explanation, "Glacier is cheap.");
        assert_eq!(
            quiz.explanation_html,
            "<p>Glacier is <strong>cheap</strong>.</p>"
        );
        assert_eq!(note.callouts[0].heading, Some(0));
    }

    #[test]
    fn several_checked_options_make_a_multi_answer_question() {
        let note = render("> [!quiz] Pick two\n> - [x] a\n> - [x] b\n> - [ ] c\n");
        let quiz = note.callouts[0].quiz.as_ref().expect("a quiz");
        assert!(quiz.multi);
        assert_eq!(quiz.explanation, "");
    }

    #[test]
    fn malformed_quizzes_warn_at_their_line() {
        assert_eq!(
            messages("Intro\n\n> [!QUIZ] Which?\n> Just prose.\n"),
            ["3:quiz has no option list under its question"]
        );
        assert_eq!(
            messages("> [!QUIZ] Which?\n> - a\n> - b\n"),
            ["2:quiz has no options"]
        );
        assert_eq!(
            messages("> [!QUIZ] Which?\n> - [ ] a\n> - [ ] b\n"),
            ["2:quiz has no correct option"]
        );
        assert_eq!(
            messages("> [!QUIZ] Which?\n> - [x] a\n> - [ ] b\n> - [ ] A\n"),
            ["4:quiz has duplicate option `a`"]
        );
        assert_eq!(
            messages("> [!QUIZ]\n> - [x] a\n> - [ ] b\n"),
            ["1:quiz has no question"]
        );
        assert!(render("> [!QUIZ] Which?\n> Just prose.\n").callouts[0]
            .quiz
            .is_none());
    }
}
