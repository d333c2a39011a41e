//! A question or flashcard bank → [`RenderedNote`], in place of the Markdown passes.
//!
//! A bank is a content file recognised by its name ([`BankFormat`]; the formats
//! and the reasons for each choice are in `docs/question-banks.md`):
//! 1. the format's reader ([`csv`], [`gift`], [`cards`]) walks the rows and hands
//!    each to [`Rows`], which checks it (a stem, two options or more, a correct one,
//!    no repeats) and keeps it, or warns at its `file:line` and goes on;
//! 2. each question renders as a QUIZ callout does (`partials/callout.html` with
//!    its quiz) and is recorded as one, so the quiz stage, the exam pools and
//!    search take it as they take a callout, with the row's line as its location;
//! 3. each card renders as a heading (`partials/heading_anchor.html`, id
//!    `card-LINE`) with its back below, and is recorded in [`RenderedNote::cards`]
//!    for the section's deck.
//!
//! Stems, options and explanations of CSV and GIFT rows are inline Markdown (raw
//! HTML passes, as in notes); card fields are HTML with Anki's `#html:true`, plain
//! text otherwise.

mod cards;
mod csv;
mod gift;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use pulldown_cmark::{Event, Options, Parser};
use serde::Serialize;

use crate::error::{Diagnostic, Diagnostics, Result};
use crate::hashing::key_of;
use crate::markdown::callouts::{Callout, CalloutKind, CalloutView};
use crate::markdown::headings::{HeadingView, TextSection};
use crate::markdown::packed::{PackedHtml, PackedTexts};
use crate::markdown::quiz_blocks::{
    inline_html, normalise_stem, question_id, QuizBlock, QuizOption,
};
use crate::markdown::text::plain_text;
use crate::markdown::{callouts_key, MarkdownEnv, NoteSource, RenderedNote, Spanned};
use crate::source::{BankFormat, SourceFile};

/// One imported flashcard, as its bank page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct BankCard {
    /// The front in plain text.
    pub(crate) front: String,
    pub(crate) front_html: String,
    pub(crate) back_html: Arc<PackedHtml>,
    /// The id of its heading on the bank page: `card-LINE`.
    pub(crate) anchor: String,
    /// Byte offset of its row in the file.
    pub(crate) offset: usize,
}

/// A question as a row gives it, before [`Rows::question`] checks it.
#[derive(Debug, Default)]
struct Draft {
    /// Byte offset of the row's first line.
    offset: usize,
    stem: String,
    /// Each option's Markdown and whether it is correct.
    options: Vec<(String, bool)>,
    explanation: String,
}

/// What a reader collects from one bank file.
struct Rows<'f> {
    file: &'f SourceFile,
    questions: Vec<(usize, QuizBlock)>,
    cards: Vec<BankCard>,
    diagnostics: Diagnostics,
    /// How many questions so far have each stem (lowercased).
    stems: HashMap<String, u32>,
    /// The offset of the first question with each stem and options.
    variants: HashMap<u64, usize>,
}

impl<'f> Rows<'f> {
    fn new(file: &'f SourceFile) -> Self {
        Rows {
            file,
            questions: Vec::new(),
            cards: Vec::new(),
            diagnostics: Diagnostics::default(),
            stems: HashMap::new(),
            variants: HashMap::new(),
        }
    }

    /// The file's text without a byte-order mark, and where that text starts.
    fn text(&self) -> (&'f str, usize) {
        let text = self.file.text.as_str();
        let without_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
        (without_bom, text.len() - without_bom.len())
    }

    /// A warning at byte `offset` of the file.
    fn warn(&mut self, offset: usize, message: impl Into<String>, help: &str) {
        let location = self.file.location(offset);
        self.diagnostics
            .push(Diagnostic::warning(Some(location), message).with_help(help));
    }

    /// Checks a drafted question and keeps it, or warns and drops it.
    fn question(&mut self, draft: Draft) {
        let Draft {
            offset,
            stem,
            options,
            explanation,
        } = draft;
        let (stem_text, stem_html) = inline(&stem);
        if stem_text.is_empty() {
            return self.warn(offset, "question has no text", "write the question first");
        }
        let Some(kept) = self.options(offset, options) else {
            return;
        };
        if kept.len() < 2 {
            let message = format!(
                "question has {} option(s); it needs two or more",
                kept.len()
            );
            return self.warn(offset, message, "give the question at least two options");
        }
        let correct = kept.iter().filter(|o| o.correct).count();
        if correct == 0 {
            return self.warn(
                offset,
                "question has no correct answer",
                "mark the correct option",
            );
        }
        let Some(id) = self.question_id(offset, &stem_text, &kept) else {
            return;
        };
        let (explanation_text, _) = inline(&explanation);
        self.questions.push((
            offset,
            QuizBlock {
                id,
                stem: stem_text,
                stem_html,
                options: kept,
                multi: correct > 1,
                explanation: explanation_text,
                explanation_html: block_html(&explanation),
            },
        ));
    }

    /// The options rendered, or `None` (with a warning) when one repeats another.
    fn options(&mut self, offset: usize, options: Vec<(String, bool)>) -> Option<Vec<QuizOption>> {
        let mut seen = HashSet::new();
        let mut kept = Vec::with_capacity(options.len());
        for (markdown, correct) in options {
            let (text, html) = inline(&markdown);
            if !seen.insert(text.to_lowercase()) {
                let message = format!("question repeats option `{text}`");
                self.warn(offset, message, "give each option different text");
                return None;
            }
            kept.push(QuizOption {
                text,
                html,
                correct,
            });
        }
        Some(kept)
    }

    /// The question's id, or `None` (with a warning) when an earlier question of
    /// the file has the same stem and options: a repeat, or a contradiction. The
    /// same stem with other options is a variant (GIFT files hold them).
    fn question_id(&mut self, offset: usize, stem: &str, options: &[QuizOption]) -> Option<String> {
        let texts: Vec<&str> = options.iter().map(|o| o.text.as_str()).collect();
        let variant = key_of(&(stem.to_lowercase(), &texts));
        if let Some(&first) = self.variants.get(&variant) {
            let (line, _) = self.file.lines.line_col(&self.file.text, first);
            let message = format!("question repeats the one at line {line}, options and all");
            self.warn(offset, message, "remove the repeat, or reword one of them");
            return None;
        }
        self.variants.insert(variant, offset);
        // Of the path and stem, as a QUIZ callout's; a variant's counts on.
        let key = normalise_stem(stem);
        let id = match self.stems.get(&key).copied().unwrap_or(0) {
            0 => question_id(&self.file.path, &key),
            n => question_id(&self.file.path, &format!("{key}\u{0}{n}")),
        };
        *self.stems.entry(key).or_default() += 1;
        Some(id)
    }

    /// Keeps a card whose fields a reader has already turned into HTML.
    fn card(&mut self, offset: usize, front_html: String, front: String, back_html: String) {
        let (line, _) = self.file.lines.line_col(&self.file.text, offset);
        self.cards.push(BankCard {
            front,
            front_html,
            back_html: Arc::new(PackedHtml::new(back_html)),
            anchor: format!("card-{line}"),
            offset,
        });
    }
}

/// Renders a bank file (see the module doc for the steps).
pub(crate) fn render_bank(
    format: BankFormat,
    note: &NoteSource<'_>,
    env: &MarkdownEnv<'_>,
) -> Result<RenderedNote> {
    let mut rows = Rows::new(note.file);
    match format {
        BankFormat::Csv => csv::read(&mut rows),
        BankFormat::Gift => gift::read(&mut rows),
        BankFormat::Cards => cards::read(&mut rows),
    }
    if rows.questions.is_empty() && rows.cards.is_empty() {
        let help = "add rows, or see docs/question-banks.md for the format";
        let what = match format {
            BankFormat::Cards => "cards",
            _ => "questions",
        };
        rows.warn(0, format!("bank holds no {what}"), help);
    }
    let mut html = String::new();
    let callouts = render_questions(rows.questions, env, &mut html)?;
    let card_text = render_cards(&rows.cards, env, &mut html)?;
    let word_count = card_text.split_whitespace().count()
        + callouts
            .iter()
            .map(|c| c.title.split_whitespace().count())
            .sum::<usize>();
    Ok(RenderedNote {
        callouts_key: callouts_key(&callouts, &[]),
        html: PackedHtml::new(html),
        sections: PackedTexts::new(&[TextSection {
            heading: None,
            text: card_text,
        }]),
        callouts,
        cards: rows.cards,
        diagnostics: rows.diagnostics,
        word_count,
        ..RenderedNote::default()
    })
}

/// Appends each question to `html` as a QUIZ callout renders, and returns the
/// callouts the quiz stage and search read.
fn render_questions(
    questions: Vec<(usize, QuizBlock)>,
    env: &MarkdownEnv<'_>,
    html: &mut String,
) -> Result<Vec<Callout>> {
    let mut callouts = Vec::with_capacity(questions.len());
    for (offset, quiz) in questions {
        html.push_str(&env.partials.callout(&CalloutView {
            kind: CalloutKind::Quiz,
            label: CalloutKind::Quiz.label(),
            title_html: quiz.stem_html.clone(),
            foldable: false,
            open: false,
            body_html: "",
            mnemonic: None,
            quiz: Some(&quiz),
        })?);
        callouts.push(Callout {
            kind: CalloutKind::Quiz,
            title: quiz.stem.clone(),
            body_text: quiz.explanation.clone(),
            body_html: String::new(),
            heading: None,
            offset,
            mnemonic: None,
            quiz: Some(Box::new(quiz)),
        });
    }
    Ok(callouts)
}

/// Appends each card to `html` (its front as a heading, its back below), and
/// returns their text for search.
fn render_cards(cards: &[BankCard], env: &MarkdownEnv<'_>, html: &mut String) -> Result<String> {
    let mut text = String::new();
    for card in cards {
        html.push_str(&env.partials.heading(&HeadingView {
            level: 2,
            id: card.anchor.clone(),
            html: card.front_html.clone(),
            text: card.front.clone(),
            classes: vec!["flashcard-front".into()],
        })?);
        // The back as the bank holds it, in a wrapper the theme can style.
        let back = card.back_html.unpack();
        html.push_str(&format!("<div class=\"flashcard-back\">{back}</div>\n"));
        text.push_str(&format!("{}\n{}\n", card.front, strip_tags(&back)));
    }
    Ok(text)
}

/// Inline Markdown → (plain text, HTML without a wrapping `<p>`). HTML editors
/// (Moodle's among them) wrap a field in one `<p>`, which is dropped too: the
/// field goes inside a `<legend>` or an option's `<span>`.
fn inline(markdown: &str) -> (String, String) {
    let markdown = markdown.trim();
    let markdown = unwrap_paragraph(markdown).unwrap_or(markdown);
    let events: Vec<Spanned<'_>> = Parser::new_ext(markdown, markdown_options())
        .into_offset_iter()
        .collect();
    // Text inside an HTML block arrives as HTML, not as text events.
    let text = match events.iter().any(|(e, _)| matches!(e, Event::Html(_))) {
        true => strip_tags(markdown),
        false => plain_text(events.iter().map(|(e, _)| e)).trim().to_string(),
    };
    (text, inline_html(&events))
}

/// The inside of a field that is one `<p>` or `<p style=…>` element.
fn unwrap_paragraph(html: &str) -> Option<&str> {
    let rest = html.strip_prefix("<p")?;
    if !rest.starts_with(['>', ' ']) {
        return None;
    }
    let inner = rest[rest.find('>')? + 1..].strip_suffix("</p>")?;
    (!inner.contains("<p")).then_some(inner)
}

/// Block Markdown → HTML (an explanation may hold paragraphs and lists).
fn block_html(markdown: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(markdown, markdown_options()));
    html.trim().to_string()
}

fn markdown_options() -> Options {
    Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION
}

/// Plain text of a field holding HTML: tags dropped (those that break a line
/// leave a space), entities decoded.
fn strip_tags(html: &str) -> String {
    let mut joined = String::with_capacity(html.len());
    for event in Parser::new_ext(html, Options::empty()) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                joined.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => joined.push(' '),
            _ => {}
        }
    }
    let mut text = String::with_capacity(joined.len());
    let mut rest = joined.as_str();
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = &rest[open..];
            break;
        };
        let tag = &rest[open + 1..open + close];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        let name = name.to_ascii_lowercase();
        if BREAKING_TAGS.contains(&name.as_str()) {
            text.push(' ');
        }
        // An image's words are its alt text (card fronts are often a picture).
        if let Some(alt) = (name == "img").then(|| alt_text(tag)).flatten() {
            text.push_str(&format!(" {alt} "));
        }
        rest = &rest[open + close + 1..];
    }
    text.push_str(rest);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The `alt="…"` (or `'…'`) value inside a tag's text.
fn alt_text(tag: &str) -> Option<&str> {
    let at = tag.to_ascii_lowercase().find("alt=")?;
    let value = &tag[at + 4..];
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &value[1..];
    Some(&value[..value.find(quote)?])
}

/// Tags that end a line of text: `a<br>b` reads as `a b`, `a<b>b</b>` as `ab`.
const BREAKING_TAGS: &[&str] = &[
    "br", "div", "p", "li", "tr", "td", "th", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
];

/// Reads every record of `text` (at file offset `start`) with `reader`, and
/// hands each to `each` with the file offset of its first line. A record that
/// cannot be read is warned of as a `what` (`row`, `line`) and skipped.
fn each_record<'f>(
    rows: &mut Rows<'f>,
    reader: &::csv::ReaderBuilder,
    what: &str,
    mut each: impl FnMut(&::csv::StringRecord, usize, &mut Rows<'f>),
) {
    let (text, start) = rows.text();
    let mut reader = reader.from_reader(text.as_bytes());
    let mut record = ::csv::StringRecord::new();
    loop {
        let before = reader.position().byte();
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => {
                let at = error.position().map_or(before, |p| p.byte()) as usize;
                let message = format!("{what} cannot be read: {error}");
                rows.warn(start + at, message, &format!("check the {what}'s quotes"));
                if reader.position().byte() == before {
                    break;
                }
                continue;
            }
        }
        let read_from = record.position().map_or(before, |p| p.byte()) as usize;
        each(&record, start + record_start(text, read_from), rows);
    }
}

/// Where the record the csv reader says starts at `at` really starts: its
/// position is where it began looking, before the comment and blank lines it
/// skipped.
fn record_start(text: &str, mut at: usize) -> usize {
    while let Some(rest) = text.get(at..) {
        let line = rest.split_inclusive('\n').next().unwrap_or("");
        if line.is_empty() || !(line.starts_with('#') || line.trim().is_empty()) {
            break;
        }
        at += line.len();
    }
    at
}

/// Escapes plain text for HTML, line breaks kept as `<br>`.
fn escape_lines(text: &str) -> String {
    let mut html = String::new();
    for (i, line) in text.trim().lines().enumerate() {
        if i > 0 {
            html.push_str("<br>\n");
        }
        pulldown_cmark_escape::escape_html(&mut html, line).expect("writing to a String");
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every reader on odd input: a warning at worst, never a panic.
    #[test]
    fn odd_input_never_panics() {
        let mut inputs: Vec<String> = [
            "",
            "\u{feff}",
            "{",
            "}",
            "\\",
            "::",
            "::a",
            "a{",
            "a{=",
            "a{~%",
            "a{~%x%y}",
            "a{~%50",
            "\"",
            "\"a\nb",
            "#separator:\"\na\"b",
            "#separator:#\n#\n",
            "#tags column:0",
            "#tags column:99999999999999999999\na\tb",
            "q,a|b,Z",
            "q,|,A",
            "q,a|b,A,,é",
            "<p",
            "<img alt=",
            "<img alt='x>",
            "é{=é ~ü#é####é}",
            "\r\n\r\n",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // And some seeded noise from the characters the formats give meaning to.
        let alphabet: Vec<char> = "{}=~#%:\\|,;\"\t\n<>/p aé->TF".chars().collect();
        let mut seed: u64 = 7;
        for _ in 0..300 {
            let text: String = (0..40)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    alphabet[(seed >> 33) as usize % alphabet.len()]
                })
                .collect();
            inputs.push(text);
        }
        for text in inputs {
            for path in ["c/a.questions.csv", "c/a.gift", "c/a.cards.txt"] {
                let file = SourceFile::new(path, text.clone());
                let mut rows = Rows::new(&file);
                match BankFormat::of(path) {
                    Some(BankFormat::Csv) => csv::read(&mut rows),
                    Some(BankFormat::Gift) => gift::read(&mut rows),
                    _ => cards::read(&mut rows),
                }
            }
        }
    }

    #[test]
    fn tags_are_stripped_and_entities_decoded() {
        assert_eq!(
            strip_tags("What is <b>S3</b>? &amp; <i>EBS</i><br>&nbsp;x<div>y</div>"),
            "What is S3? & EBS x y"
        );
        assert_eq!(
            strip_tags("<img src=\"a.jpg\" alt=\"Black square\">"),
            "Black square"
        );
        assert_eq!(unwrap_paragraph("<p style='x'>Which?</p>"), Some("Which?"));
        assert_eq!(unwrap_paragraph("<p>a</p><p>b</p>"), None);
        assert_eq!(unwrap_paragraph("<pre>a</p>"), None);
        assert_eq!(escape_lines("a < b\nc"), "a &lt; b<br>\nc");
        assert_eq!(record_start("#a\n\n#b\nrow\n", 0), 7);
        assert_eq!(record_start("row\n#a\n", 0), 0);
    }
}
